/*
 * x86 integer helpers the translator calls for instructions too awkward to
 * emit inline: DIV/IDIV (#DE), the BCD adjustments, RCL/RCR, and the
 * single-step trap. Register-file helpers write only the bits the
 * instruction defines (AL/AH/AX deposit, 32-bit results zero the upper
 * half like a 32-bit register write); helpers that fault do so before
 * changing any guest state. Flags they produce are left as CC_OP_EFLAGS.
 */
#include <string.h>
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"
#include "frontend/x86/translate.h"
#include "softmmu/tlb.h"

static inline void set_ax(CPUX86State *env, uint32_t v)
{
    env->regs[R_EAX] = (env->regs[R_EAX] & ~(uint64_t)0xffff) | (v & 0xffff);
}

static inline void set_dx16(CPUX86State *env, uint32_t v)
{
    env->regs[R_EDX] = (env->regs[R_EDX] & ~(uint64_t)0xffff) | (v & 0xffff);
}

static inline void set_flags(CPUX86State *env, uint32_t f)
{
    env->cc_src = f & CC_ALL;
    env->cc_op = CC_OP_EFLAGS;
}

static inline uint32_t zsp8(uint32_t al)
{
    al &= 0xff;
    return (al == 0 ? CC_Z : 0) | (al & 0x80 ? CC_S : 0) |
           (__builtin_parity(al) ? 0 : CC_P);
}

static inline uint32_t cur_flags(CPUX86State *env)
{
    return x86_cc_compute_all(env->cc_dst, env->cc_src, env->cc_src2, (int)env->cc_op);
}

/* ---- DIV / IDIV ---- */
void helper_divb(CPUX86State *env, uint32_t d)
{
    uint32_t num = env->regs[R_EAX] & 0xffff, den = d & 0xff, q;
    if (den == 0 || (q = num / den) > 0xff) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, (q & 0xff) | ((num % den) << 8));
}

void helper_divw(CPUX86State *env, uint32_t d)
{
    uint32_t num = (uint32_t)((env->regs[R_EAX] & 0xffff) | ((env->regs[R_EDX] & 0xffff) << 16));
    uint32_t den = d & 0xffff, q;
    if (den == 0 || (q = num / den) > 0xffff) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, q);
    set_dx16(env, num % den);
}

void helper_divl(CPUX86State *env, uint32_t den)
{
    uint64_t num = (env->regs[R_EAX] & 0xffffffffu) | ((env->regs[R_EDX] & 0xffffffffu) << 32), q;
    if (den == 0 || (q = num / den) > 0xffffffffu) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint32_t)q;
    env->regs[R_EDX] = (uint32_t)(num % den);
}

void helper_idivb(CPUX86State *env, uint32_t d)
{
    int32_t num = (int16_t)env->regs[R_EAX], den = (int8_t)d, q;
    if (den == 0) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    q = num / den;
    if (q != (int8_t)q) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, (q & 0xff) | ((uint32_t)(num % den) & 0xff) << 8);
}

void helper_idivw(CPUX86State *env, uint32_t d)
{
    int32_t num = (int32_t)((env->regs[R_EAX] & 0xffff) | ((env->regs[R_EDX] & 0xffff) << 16));
    int32_t den = (int16_t)d, q;
    if (den == 0 || (num == INT32_MIN && den == -1)) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    q = num / den;
    if (q != (int16_t)q) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, (uint32_t)q);
    set_dx16(env, (uint32_t)(num % den));
}

void helper_idivl(CPUX86State *env, uint32_t d)
{
    int64_t num = (int64_t)((env->regs[R_EAX] & 0xffffffffu) | ((env->regs[R_EDX] & 0xffffffffu) << 32));
    int64_t den = (int32_t)d, q;
    if (den == 0 || (num == INT64_MIN && den == -1)) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    q = num / den;
    if (q != (int32_t)q) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint32_t)q;
    env->regs[R_EDX] = (uint32_t)(num % den);
}

/* ---- BCD ---- */
void helper_daa(CPUX86State *env)
{
    uint32_t f = cur_flags(env), al = env->regs[R_EAX] & 0xff, old = al, nf = 0;
    if ((al & 0xf) > 9 || (f & CC_A)) {
        al = (al + 6) & 0xff;
        nf |= CC_A;
    }
    if (old > 0x99 || (f & CC_C)) {
        al = (al + 0x60) & 0xff;
        nf |= CC_C;
    }
    env->regs[R_EAX] = (env->regs[R_EAX] & ~(uint64_t)0xff) | al;
    set_flags(env, nf | zsp8(al) | (f & CC_O));
}

void helper_das(CPUX86State *env)
{
    uint32_t f = cur_flags(env), al = env->regs[R_EAX] & 0xff, old = al, nf = 0;
    if ((al & 0xf) > 9 || (f & CC_A)) {
        nf |= CC_A;
        if (al < 6 || (f & CC_C)) {
            nf |= CC_C;
        }
        al = (al - 6) & 0xff;
    }
    if (old > 0x99 || (f & CC_C)) {
        al = (al - 0x60) & 0xff;
        nf |= CC_C;
    }
    env->regs[R_EAX] = (env->regs[R_EAX] & ~(uint64_t)0xff) | al;
    set_flags(env, nf | zsp8(al) | (f & CC_O));
}

void helper_aaa(CPUX86State *env)
{
    uint32_t f = cur_flags(env), ax = env->regs[R_EAX] & 0xffff;
    if ((ax & 0xf) > 9 || (f & CC_A)) {
        ax = (ax + 0x106) & 0xffff;
        f |= CC_A | CC_C;
    } else {
        f &= ~(CC_A | CC_C);
    }
    set_ax(env, ax & 0xff0f);
    set_flags(env, f);
}

void helper_aas(CPUX86State *env)
{
    uint32_t f = cur_flags(env), ax = env->regs[R_EAX] & 0xffff;
    if ((ax & 0xf) > 9 || (f & CC_A)) {
        ax = (ax - 6) & 0xffff;
        ax = (ax - 0x100) & 0xffff;
        f |= CC_A | CC_C;
    } else {
        f &= ~(CC_A | CC_C);
    }
    set_ax(env, ax & 0xff0f);
    set_flags(env, f);
}

void helper_aam(CPUX86State *env, uint32_t base)
{
    uint32_t al = env->regs[R_EAX] & 0xff;
    base &= 0xff;
    if (base == 0) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, ((al / base) << 8) | (al % base));
    set_flags(env, zsp8(al % base));
}

void helper_aad(CPUX86State *env, uint32_t base)
{
    uint32_t ax = env->regs[R_EAX] & 0xffff;
    uint32_t al = ((ax & 0xff) + (ax >> 8) * (base & 0xff)) & 0xff;
    set_ax(env, al);
    set_flags(env, zsp8(al));
}

/* ---- RCL / RCR: pure, so a faulting store after them changes nothing ---- */
static uint64_t rc_common(uint32_t val, uint32_t count, uint32_t flags, uint32_t shift, bool left)
{
    unsigned n = 8u << shift;
    uint64_t m = n == 32 ? 0xffffffffu : ((1u << n) - 1), x, res;
    unsigned c = count & 0x1f;
    uint32_t cf = flags & CC_C, nf;
    if (c == 0) {
        return ((uint64_t)(flags & CC_ALL) << 32) | (val & m);
    }
    c %= n + 1;
    val &= (uint32_t)m;
    x = val | ((uint64_t)cf << n);
    if (c) {
        uint64_t mm = (m << 1) | 1;
        x = left ? ((x << c) | (x >> (n + 1 - c))) : ((x >> c) | (x << (n + 1 - c)));
        x &= mm;
    }
    res = x & m;
    nf = (flags & CC_ALL & ~(CC_C | CC_O)) | ((x >> n) & 1 ? CC_C : 0);
    if (((val ^ res) >> (n - 1)) & 1) {
        nf |= CC_O;
    }
    return ((uint64_t)nf << 32) | res;
}

uint64_t helper_rcl(uint32_t val, uint32_t count, uint32_t flags, uint32_t shift)
{
    return rc_common(val, count, flags, shift, true);
}

uint64_t helper_rcr(uint32_t val, uint32_t count, uint32_t flags, uint32_t shift)
{
    return rc_common(val, count, flags, shift, false);
}

/* The translator stored eip (the next insn) and cc_op before calling. */
void helper_single_step(CPUX86State *env)
{
    env->dr[6] |= 0x4000;   /* DR6.BS */
    x86_raise_exception(env, EXCP01_DB);
}

/* ---- bulk REP MOVS / STOS ---- */
/* Registers are updated in env after every element, so a fault part-way
 * (restored to this instruction by retaddr) leaves the iterations done. */
static inline void rep_set(CPUX86State *env, int reg, uint64_t v, uint64_t mask)
{
    env->regs[reg] = (env->regs[reg] & ~mask) | (v & mask);
}

/* Host pointer of plain RAM at vaddr for this access, if the TLB already
 * maps it with no slow-path flag (MMIO, code page, unmapped): else NULL. */
static uint8_t *rep_host(CPUState *cs, uint64_t vaddr, int mmu, bool write)
{
    CPUTLBEntry *e = &cs->tlb_table[mmu][(vaddr >> TARGET_PAGE_BITS) & (CPU_TLB_SIZE - 1)];
    uint64_t cmp = write ? e->addr_write : e->addr_read;
    if (cmp != (vaddr & TARGET_PAGE_MASK)) {
        return NULL;
    }
    return (uint8_t *)(uintptr_t)(vaddr + e->addend);
}

/* Elements at addr, addr+step, ... that stay inside addr's page. */
static uint64_t rep_fit(uint64_t addr, int size, bool down)
{
    uint64_t off = addr & ~TARGET_PAGE_MASK;
    if (off + (uint64_t)size > TARGET_PAGE_SIZE) {
        return 0;
    }
    return down ? off / (uint64_t)size + 1 : (TARGET_PAGE_SIZE - off) / (uint64_t)size;
}

static void rep_common(CPUX86State *env, uint32_t desc, bool movs, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);
    int shift = X86_REP_SIZE_SHIFT(desc), mmu = (int)X86_REP_MMU(desc), size = 1 << shift;
    unsigned sseg = X86_REP_SRC_SEG(desc);
    bool addr16 = (desc & X86_REP_ADDR16) != 0, down = env->df < 0;
    uint64_t mask = addr16 ? 0xffff : 0xffffffffu;
    uint64_t sbase = sseg < R_NB_SEGS ? env->segs[sseg].base : 0;
    uint64_t dbase = (desc & X86_REP_DST_BASE) ? env->segs[R_ES].base : 0;
    uint64_t step = (uint64_t)(down ? -((int64_t)size) : (int64_t)size);
    uint64_t val = env->regs[R_EAX];
    MemOp mop = (MemOp)shift;
    int budget = X86_REP_CHUNK;

    while (budget > 0) {
        uint64_t cx = env->regs[R_ECX] & mask, si = 0, di, sa = 0, da, n;
        uint8_t *hs = NULL, *hd;
        if (cx == 0) {
            break;
        }
        di = env->regs[R_EDI] & mask;
        da = (dbase + di) & 0xffffffffu;
        if (movs) {
            si = env->regs[R_ESI] & mask;
            sa = (sbase + si) & 0xffffffffu;
        }
        /* fast: a run inside one source and one destination RAM page,
         * element by element in order (overlapping copies behave) */
        n = addr16 ? 0 : rep_fit(da, size, down);
        if (movs && n) {
            uint64_t ns = rep_fit(sa, size, down);
            n = ns < n ? ns : n;
        }
        n = n < cx ? n : cx;
        n = n < (uint64_t)budget ? n : (uint64_t)budget;
        hd = n ? rep_host(cs, da, mmu, true) : NULL;
        if (movs && hd) {
            hs = rep_host(cs, sa, mmu, false);
        }
        if (hd && (!movs || hs)) {
            int64_t st = down ? -size : size;
            for (uint64_t i = 0; i < n; i++) {
                if (movs) {
                    memcpy(hd, hs, (size_t)size);
                    hs += st;
                } else {
                    memcpy(hd, &val, (size_t)size);
                }
                hd += st;
            }
        } else {
            /* slow: one element through the soft MMU (fills the TLB, faults) */
            n = 1;
            if (movs) {
                val = cpu_ld_mmu(cs, sa, mop, mmu, ra);
            }
            cpu_st_mmu(cs, da, val, mop, mmu, ra);
        }
        if (movs) {
            rep_set(env, R_ESI, si + n * step, mask);
        }
        rep_set(env, R_EDI, di + n * step, mask);
        rep_set(env, R_ECX, cx - n, mask);
        budget -= (int)n;
    }
}

void helper_rep_movs(CPUX86State *env, uint32_t desc)
{
    rep_common(env, desc, true, GETPC());
}

void helper_rep_stos(CPUX86State *env, uint32_t desc)
{
    rep_common(env, desc, false, GETPC());
}
