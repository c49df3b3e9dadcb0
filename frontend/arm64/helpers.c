/*
 * The one file that instantiates the TCGHelperInfo of every A64 helper
 * declared in helpers.def (the implementations live in the topic files).
 */
#include "frontend/arm64/helpers.h"

#undef HELPER_MODE
#define HELPER_MODE HELPER_INFO
#include "tcg/helper-gen.h"
#include "frontend/arm64/helpers.def"
