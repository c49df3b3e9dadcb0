/* Prototypes of the x86 helpers declared in helpers.def. */
#ifndef FRONTEND_X86_HELPERS_H
#define FRONTEND_X86_HELPERS_H
#include "frontend/x86/cpu.h"
#define HELPER_ENV_TYPE CPUX86State
#define HELPER_MODE HELPER_PROTO
#include "tcg/helper-gen.h"
#include "frontend/x86/helpers.def"
#undef HELPER_MODE
#endif
