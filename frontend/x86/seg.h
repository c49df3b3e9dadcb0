/*
 * Private to the x86 system helpers (excp_helper.c, seg_helper.c): the
 * stack cursor used by interrupt delivery and far transfers, and the
 * descriptor accessors they share.
 * What must stay true: a cursor writes guest memory only through
 * cpu_ld_mmu/cpu_st_mmu with its own privilege (mmu_idx) and return
 * address, and changes no register until the caller commits (set_rsp).
 */
#ifndef FRONTEND_X86_SEG_H
#define FRONTEND_X86_SEG_H

#include "frontend/x86/cpu.h"
#include "softmmu/tlb.h"

/* A stack: SS base, the stack pointer, the width mask (0xffff, 0xffffffff,
 * or all ones for a 64-bit stack, whose base is 0 and whose addresses are
 * not truncated to 32 bits). */
typedef struct X86Stack {
    uint64_t base, sp, mask;
    bool is64;
    int mmu_idx;
    uintptr_t ra;
    uint64_t lo, hi;     /* offsets the segment allows (expand-down: above the limit) */
    int err;             /* #SS error code: 0, or the selector of a stack being switched to */
} X86Stack;

static inline void stk_init(X86Stack *st, const SegmentCache *ss, uint64_t sp, bool is64,
                            int mmu_idx, uintptr_t ra)
{
    st->is64 = is64;
    st->base = is64 ? 0 : ss->base;
    st->mask = is64 ? ~0ull : (ss->flags & DESC_B_MASK) ? 0xffffffffull : 0xffffull;
    st->sp = sp;
    st->mmu_idx = mmu_idx;
    st->ra = ra;
    /* the segment's limit (SDM vol. 3, 5.3): a new stack (not SS itself)
     * faults with its selector */
    st->lo = 0;
    st->hi = is64 ? ~0ull : ss->limit;
    if (!is64 && (ss->flags & (DESC_S_MASK | DESC_CS_MASK | DESC_E_MASK)) == (DESC_S_MASK | DESC_E_MASK)) {
        st->lo = (uint64_t)ss->limit + 1;
        st->hi = (ss->flags & DESC_B_MASK) ? 0xffffffffull : 0xffffull;
    }
    st->err = 0;
}

/* A stack switched to (interrupt or call gate to an inner level): its
 * faults are #SS(selector). */
static inline void stk_set_new(X86Stack *st, uint32_t sel)
{
    st->err = (int)(sel & 0xfffc);
}

/* The linear address of the stack top; a 64-bit stack at a non-canonical
 * address is #SS(0) (precise here, unlike the TLB's #GP for other code). */
static inline uint64_t stk_addr(CPUX86State *env, const X86Stack *st, int size)
{
    uint64_t off = st->sp & st->mask, a = st->base + off;
    if (!st->is64) {
        if (off < st->lo || off + (uint64_t)size - 1 > st->hi)
            x86_raise_exception_err_ra(env, EXCP0C_STACK, st->err, st->ra);
        return (uint32_t)a;
    }
    if (!x86_canonical(a) || !x86_canonical(a + (uint64_t)size - 1))
        x86_raise_exception_err_ra(env, EXCP0C_STACK, 0, st->ra);
    return a;
}

/* shift: 0 = 2 bytes, 1 = 4 bytes, 2 = 8 bytes */
static inline void stk_push(CPUX86State *env, X86Stack *st, uint64_t val, int shift)
{
    st->sp -= 2u << shift;
    cpu_st_mmu(env_cpu(env), stk_addr(env, st, 2 << shift), val, (MemOp)(shift + 1), st->mmu_idx,
               st->ra);
}

static inline uint64_t stk_pop(CPUX86State *env, X86Stack *st, int shift)
{
    uint64_t v = cpu_ld_mmu(env_cpu(env), stk_addr(env, st, 2 << shift), (MemOp)(shift + 1),
                            st->mmu_idx, st->ra);
    st->sp += 2u << shift;
    return v;
}

/* Commit the cursor's stack pointer to RSP (only the bits of its width). */
static inline void set_rsp(CPUX86State *env, uint64_t sp, uint64_t mask)
{
    if (mask == ~0ull)
        env->regs[R_ESP] = sp;
    else if (mask == 0xffffffffull)
        env->regs[R_ESP] = (uint32_t)sp;
    else
        env->regs[R_ESP] = (env->regs[R_ESP] & ~mask) | (sp & mask);
}

static inline int cpl_of(CPUX86State *env)
{
    return env->hflags & HF_CPL_MASK;
}

static inline uint32_t desc_base(uint32_t e1, uint32_t e2)
{
    return (e1 >> 16) | ((e2 & 0xff) << 16) | (e2 & 0xff000000u);
}

static inline uint32_t desc_limit(uint32_t e1, uint32_t e2)
{
    uint32_t limit = (e1 & 0xffff) | (e2 & 0x000f0000u);
    if (e2 & DESC_G_MASK)
        limit = (limit << 12) | 0xfff;
    return limit;
}

/* The upper 8 bytes of a 16-byte system descriptor (long mode gates, TSS,
 * LDT); false if beyond the table limit. */
bool x86_load_desc_hi(CPUX86State *env, uint32_t sel, uint32_t *e3, uint32_t *e4, uintptr_t ra);
/* Real-mode / vm86 segment load: base = sel << 4. */
void x86_seg_load_real(CPUX86State *env, int seg, uint32_t sel);
/* 64-bit TSS: RSPn (n 0..2) or ISTn (n 1..7, ist true); #TS if outside the TSS. */
uint64_t x86_tss64_stack(CPUX86State *env, int n, bool ist, int ext);
/* 16/32-bit TSS: SS:ESP for privilege level dpl; #TS if outside the TSS. */
void x86_tss_get_stack(CPUX86State *env, int dpl, uint32_t *ss, uint32_t *esp, int ext, uintptr_t ra);
/* Hardware task switch (seg_helper.c). source: X86_TASK_JMP/CALL/IRET/INT. */
enum { X86_TASK_JMP, X86_TASK_CALL, X86_TASK_IRET, X86_TASK_INT };
void x86_task_switch(CPUX86State *env, uint32_t tss_sel, uint32_t e1, uint32_t e2, int source,
                     uint64_t next_eip, int error_code, uintptr_t ra);

#endif
