/* Prototypes of the A64 helpers declared in helpers.def. */
#ifndef FRONTEND_ARM64_HELPERS_H
#define FRONTEND_ARM64_HELPERS_H
#include "frontend/arm64/cpu.h"
#define HELPER_ENV_TYPE CPUARMState
#define HELPER_MODE HELPER_PROTO
#include "tcg/helper-gen.h"
#include "frontend/arm64/helpers.def"
#undef HELPER_MODE
#endif
