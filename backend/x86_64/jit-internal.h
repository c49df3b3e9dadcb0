/*
 * Private parts of the x86-64 JIT shared with its own tests: the host
 * feature bits codegen may use, a code-generation entry that takes them
 * explicitly (so tests can exercise the fallbacks on any host), and a
 * disassembler with a chosen base address (for position-independent golden
 * dumps).
 */
#ifndef BACKEND_X86_64_JIT_INTERNAL_H
#define BACKEND_X86_64_JIT_INTERNAL_H

#include "backend/backend.h"

enum {
    JIT_FEAT_LZCNT  = 1 << 0,
    JIT_FEAT_BMI1   = 1 << 1,   /* tzcnt */
    JIT_FEAT_POPCNT = 1 << 2,
};

uint32_t jit_host_features(void);
int jit_gen_code_features(CodeBuffer *cb, TCGContext *s, TranslationBlock *tb, CPUState *cpu,
                          uint32_t features);
/* Like jit_disas, but print addresses as base + offset. */
void jit_disas_at(FILE *f, const void *code, size_t len, uint64_t base);

#endif
