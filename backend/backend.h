/*
 * What tcg/ asks of a backend: compile one optimised block of IR into the
 * code buffer, run a block, patch a chain jump. Two backends exist: the
 * x86-64 JIT (backend/x86_64/) and the portable interpreter (backend/interp/);
 * the CPU's use_interp switch picks one at run time.
 */
#ifndef BACKEND_BACKEND_H
#define BACKEND_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include "tcg/cpu.h"

/* ---- code buffer (tcg/codebuf.c): one mapping written through a RW view
 * and executed through an RX view of the same memory (W^X). ---- */
typedef struct CodeBuffer {
    uint8_t *rw;          /* where the backend writes */
    uint8_t *rx;          /* where the CPU executes: rx + i is rw + i */
    size_t size, used;
    ptrdiff_t rw_minus_rx;
    FILE *perf_map;       /* /tmp/perf-<pid>.map when enabled */
    size_t populated;     /* bytes from the start already faulted in (both views) */
} CodeBuffer;

int codebuf_init(CodeBuffer *cb, size_t size);   /* 0 or -errno */
void codebuf_reset(CodeBuffer *cb);
/* Fault in the pages ahead of cb->used in batches (one system call per
 * view instead of a page fault per page and view). */
void codebuf_populate(CodeBuffer *cb);
static inline uint8_t *codebuf_rw(const CodeBuffer *cb, const void *rx)
{ return (uint8_t *)rx + cb->rw_minus_rx; }
void codebuf_perf_map(CodeBuffer *cb, const void *rx, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- JIT backend (backend/x86_64/) ---- */
/* Emit the prologue/epilogue once at the start of the buffer. */
void jit_init(CodeBuffer *cb);
/* Compile s's ops for tb at cb->used. Fills tb->host_code, host_size,
 * jmp_insn_offset/jmp_reset_offset, insn_end_off. Returns -1 if the buffer
 * is full (the caller flushes and retries). */
int jit_gen_code(CodeBuffer *cb, TCGContext *s, TranslationBlock *tb, CPUState *cpu);
/* Enter generated code: returns the TB|TB_EXIT_* value of exit_tb. */
uintptr_t jit_exec(CPUState *cpu, const void *host_code);
/* Point slot n of tb at host address target (the RX address). */
void jit_patch_jump(CodeBuffer *cb, TranslationBlock *tb, int n, const void *target);
/* The epilogue entry that returns 0 to the loop (for goto_ptr misses). */
const void *jit_exit_path(void);
/* -d out_asm: disassemble host code with Capstone. */
void jit_disas(FILE *f, const void *code, size_t len);

/* ---- interpreter backend (backend/interp/) ---- */
/* Run the ops stored for tb (interp keeps a private copy of the block's IR
 * per TB); returns TB|TB_EXIT_* like jit_exec. */
int interp_prepare(TCGContext *s, TranslationBlock *tb);   /* copy the IR into tb-owned storage */
uintptr_t interp_exec(CPUState *cpu, TranslationBlock *tb);
void interp_free(TranslationBlock *tb);

#endif
