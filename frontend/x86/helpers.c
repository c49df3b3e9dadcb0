/*
 * The one file that instantiates the TCGHelperInfo of every x86 helper
 * declared in helpers.def (the implementations live in the topic files).
 * Must stay true: it includes helpers.h first so every helper_ function
 * has its prototype, and no other file defines HELPER_MODE HELPER_INFO.
 */
#include "frontend/x86/helpers.h"

#undef HELPER_MODE
#define HELPER_MODE HELPER_INFO
#include "tcg/helper-gen.h"
#include "frontend/x86/helpers.def"
