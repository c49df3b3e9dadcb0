/*
 * x86 string instructions in bulk: REP MOVS/STOS/LODS and REPE/REPNE
 * CMPS/SCAS do up to X86_REP_CHUNK iterations per call, a run at a time
 * inside one RAM page (host pointers from the soft TLB), element by
 * element through the soft MMU elsewhere (MMIO, code pages, unmapped).
 * The translator calls again (jumping back to the instruction, where
 * interrupts are taken) while the helper returns nonzero.
 * Must stay true: ESI/EDI/ECX in env count exactly the iterations done
 * before any access that may fault (a fault restores eip by retaddr and
 * leaves the registers as they are); CMPS/SCAS never fault after changing
 * the flags in the same call, because the restore puts back the cc_op
 * the instruction started with.
 */
#include <string.h>
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"
#include "frontend/x86/translate.h"
#include "softmmu/tlb.h"

enum { REP_MOVS, REP_STOS, REP_LODS, REP_CMPS, REP_SCAS };

/* A 16-bit register write merges; a 32-bit one in 64-bit mode (zext)
 * zero-extends, elsewhere it leaves the undefined upper half alone. */
static inline void rep_set(CPUX86State *env, int reg, uint64_t v, uint64_t mask, bool zext)
{
    if (zext && mask != 0xffff) {
        env->regs[reg] = v & mask;
    } else {
        env->regs[reg] = (env->regs[reg] & ~mask) | (v & mask);
    }
}

/* Host pointer of plain RAM at vaddr for this access, or NULL (MMIO, a
 * code page, ROM written, unmapped): the soft TLB decides. */
static uint8_t *rep_host(CPUState *cs, uint64_t vaddr, int mmu, bool write)
{
    return tlb_host_ptr(cs, vaddr, write ? MMU_DATA_STORE : MMU_DATA_LOAD, mmu);
}

/* Elements at off, off+step, ... (linear lin) that stay inside lin's page
 * and do not wrap the offset register (SI/DI at 16 bits). */
static uint64_t rep_fit(uint64_t lin, uint64_t off, int size, bool down, uint64_t mask)
{
    uint64_t po = lin & ~TARGET_PAGE_MASK, sz = (uint64_t)size, a, b;
    bool full = mask == ~(uint64_t)0;   /* 64-bit addresses never wrap here */
    if (po + sz > TARGET_PAGE_SIZE || (!full && off + sz > mask + 1)) {
        return 0;
    }
    if (down) {
        a = po / sz + 1;
        b = full ? a : off / sz + 1;
    } else {
        a = (TARGET_PAGE_SIZE - po) / sz;
        b = full ? a : (mask + 1 - off) / sz;
    }
    return a < b ? a : b;
}

static inline uint64_t rep_ld(const uint8_t *p, int size)
{
    uint64_t v = 0;
    memcpy(&v, p, (size_t)size);
    return v;
}

/* The first of n elements (stride st) where (x == y) == stop_eq, x being
 * the comparand or the source element: n if none. */
static uint64_t rep_find(const uint8_t *hs, const uint8_t *hd, uint64_t acc, uint64_t n,
                         int size, int64_t st, bool stop_eq)
{
    uint64_t i = 0;
    if (st == 1 && !hs && stop_eq) {
        const uint8_t *p = memchr(hd, (int)acc, (size_t)n);   /* REPNE SCASB: strlen */
        return p ? (uint64_t)(p - hd) : n;
    }
    if (st > 0 && hs && !stop_eq) {
        /* REPE CMPS forward: skip equal 8-byte blocks first */
        uint64_t per = 8 / (uint64_t)size;
        for (; i + per <= n; i += per) {
            if (memcmp(hs + i * (uint64_t)size, hd + i * (uint64_t)size, 8) != 0) {
                break;
            }
        }
    }
    for (; i < n; i++) {
        uint64_t x = hs ? rep_ld(hs + (int64_t)i * st, size) : acc;
        if ((x == rep_ld(hd + (int64_t)i * st, size)) == stop_eq) {
            return i;
        }
    }
    return n;
}

/* Returns nonzero when the instruction must run again (ECX != 0 and, for
 * CMPS/SCAS, the condition still holds). */
static uint32_t rep_run(CPUX86State *env, uint32_t desc, int kind, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);
    int shift = X86_REP_SIZE_SHIFT(desc), mmu = (int)X86_REP_MMU(desc), size = 1 << shift;
    unsigned sseg = X86_REP_SRC_SEG(desc);
    bool addr16 = (desc & X86_REP_ADDR16) != 0, down = env->df < 0;
    bool addr64 = (desc & X86_REP_ADDR64) != 0, zext = (desc & X86_REP_ZEXT32) != 0;
    bool cmp = kind == REP_CMPS || kind == REP_SCAS, stop_eq = (desc & X86_REP_NZ) != 0;
    bool use_src = kind == REP_MOVS || kind == REP_LODS || kind == REP_CMPS;
    bool use_dst = kind != REP_LODS;
    uint64_t mask = addr64 ? ~(uint64_t)0 : addr16 ? 0xffff : 0xffffffffu;
    uint64_t lmask = (desc & X86_REP_LIN64) ? ~(uint64_t)0 : 0xffffffffu;   /* linear addresses */
    uint64_t emask = size == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * size)) - 1;
    uint64_t sbase = sseg < R_NB_SEGS ? env->segs[sseg].base : 0;
    uint64_t dbase = (desc & X86_REP_DST_BASE) ? env->segs[R_ES].base : 0;
    uint64_t step = (uint64_t)(down ? -((int64_t)size) : (int64_t)size);
    int64_t st = down ? -size : size;
    uint64_t acc = env->regs[R_EAX] & emask;
    MemOp mop = (MemOp)shift;
    int64_t budget = X86_REP_CHUNK;
    bool changed = false;

    for (;;) {
        uint64_t cx = env->regs[R_ECX] & mask, si = 0, di = 0, sa = 0, da = 0, n = cx, k;
        uint64_t x = 0, y = 0;
        uint8_t *hs = NULL, *hd = NULL;
        bool stop = false;
        if (cx == 0) {
            /* ECX is written even then: a 64-bit CPU clears RCX[63:32] */
            rep_set(env, R_ECX, 0, mask, zext);
            return 0;
        }
        if (budget <= 0) {
            return 1;
        }
        n = n < (uint64_t)budget ? n : (uint64_t)budget;
        if (use_src) {
            si = env->regs[R_ESI] & mask;
            sa = (sbase + si) & lmask;
            k = rep_fit(sa, si, size, down, mask);
            n = k < n ? k : n;
        }
        if (use_dst) {
            di = env->regs[R_EDI] & mask;
            da = (dbase + di) & lmask;
            k = rep_fit(da, di, size, down, mask);
            n = k < n ? k : n;
        }
        /* source first: its fault comes first, and a write probe would set D */
        if (n && use_src) {
            hs = rep_host(cs, sa, mmu, false);
        }
        if (n && use_dst && (hs || !use_src)) {
            hd = rep_host(cs, da, mmu, kind == REP_MOVS || kind == REP_STOS);
        }
        if (n && (hs || !use_src) && (hd || !use_dst)) {
            switch (kind) {
            case REP_MOVS: {
                /* element by element unless the ranges are apart (an
                 * overlapping forward copy repeats a pattern) */
                uint64_t len = n * (uint64_t)size;
                uintptr_t lo_s = (uintptr_t)hs - (down ? len - (uint64_t)size : 0);
                uintptr_t lo_d = (uintptr_t)hd - (down ? len - (uint64_t)size : 0);
                if (lo_d + len <= lo_s || lo_s + len <= lo_d) {
                    memcpy((void *)lo_d, (const void *)lo_s, (size_t)len);
                } else {
                    for (uint64_t i = 0; i < n; i++) {
                        memcpy(hd + (int64_t)i * st, hs + (int64_t)i * st, (size_t)size);
                    }
                }
                break;
            }
            case REP_STOS:
                if (size == 1) {
                    memset(down ? hd - (n - 1) : hd, (int)acc, (size_t)n);
                } else {
                    for (uint64_t i = 0; i < n; i++) {
                        memcpy(hd + (int64_t)i * st, &acc, (size_t)size);
                    }
                }
                break;
            case REP_LODS:
                x = rep_ld(hs + (int64_t)(n - 1) * st, size);
                break;
            default: /* CMPS, SCAS */
                k = rep_find(hs, hd, acc, n, size, st, stop_eq);
                if (k < n) {
                    stop = true;
                    n = k + 1;
                }
                x = hs ? rep_ld(hs + (int64_t)(n - 1) * st, size) : acc;
                y = rep_ld(hd + (int64_t)(n - 1) * st, size);
                break;
            }
        } else {
            /* slow: one element through the soft MMU (fills the TLB, faults).
             * A fault now would lose the flags this call set: go round. */
            if (cmp && changed) {
                return 1;
            }
            n = 1;
            if (use_src) {
                x = cpu_ld_mmu(cs, sa, mop, mmu, ra);
            }
            switch (kind) {
            case REP_MOVS:
                cpu_st_mmu(cs, da, x, mop, mmu, ra);
                break;
            case REP_STOS:
                cpu_st_mmu(cs, da, acc, mop, mmu, ra);
                break;
            case REP_SCAS:
                x = acc;
                /* fall through */
            case REP_CMPS:
                y = cpu_ld_mmu(cs, da, mop, mmu, ra);
                stop = (x == y) == stop_eq;
                break;
            default:
                break;
            }
        }
        if (use_src) {
            rep_set(env, R_ESI, si + n * step, mask, zext);
        }
        if (use_dst) {
            rep_set(env, R_EDI, di + n * step, mask, zext);
        }
        rep_set(env, R_ECX, cx - n, mask, zext);
        if (kind == REP_LODS) {
            rep_set(env, R_EAX, x, emask, zext && size == 4);
        }
        if (cmp) {
            /* as the last iteration's CMP: first operand minus second */
            env->cc_dst = (x - y) & emask;
            env->cc_src = y;
            env->cc_op = CC_OP_SUBB + (uint32_t)shift;
            changed = true;
            if (stop) {
                return 0;
            }
        }
        budget -= (int64_t)n;
        if (env->db_pending) {
            /* a data breakpoint hit this iteration: its #DB comes now,
             * with eip at the instruction if iterations remain */
            return (env->regs[R_ECX] & mask) != 0;
        }
    }
}

uint32_t helper_rep_movs(CPUX86State *env, uint32_t desc)
{
    return rep_run(env, desc, REP_MOVS, GETPC());
}

uint32_t helper_rep_stos(CPUX86State *env, uint32_t desc)
{
    return rep_run(env, desc, REP_STOS, GETPC());
}

uint32_t helper_rep_lods(CPUX86State *env, uint32_t desc)
{
    return rep_run(env, desc, REP_LODS, GETPC());
}

uint32_t helper_rep_cmps(CPUX86State *env, uint32_t desc)
{
    return rep_run(env, desc, REP_CMPS, GETPC());
}

uint32_t helper_rep_scas(CPUX86State *env, uint32_t desc)
{
    return rep_run(env, desc, REP_SCAS, GETPC());
}
