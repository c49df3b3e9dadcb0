/*
 * A64 stage-1 translation for EL1&0 (tlb_fill): MMU off is the identity;
 * MMU on walks TTBR0_EL1 or TTBR1_EL1 (chosen by the top VA bits, T0SZ and
 * T1SZ, top byte ignored where TBI says), with the 4 KiB or 64 KiB
 * granule, block and page descriptors, hierarchical APTable/UXNTable/
 * PXNTable, AP/UXN/PXN/WXN, and access-flag faults (no hardware AF
 * update in v8.0). A fault raises a data or instruction abort with the
 * fault status code and level in ESR and the address in FAR.
 * Must stay true: the TLB gets only the permissions this mmu index has,
 * so an access the entry lacks comes back here and faults precisely.
 * Device memory (MAIR attribute 0b0000xxxx) is entered PAGE_ALIGNED: its
 * unaligned accesses come back through the slow path to
 * a64_unaligned_access (with the MMU off they are not checked, see below).
 * ASIDs: each has its own TLB context (see TLB maintenance below).
 */
#include <inttypes.h>
#include <string.h>
#include "frontend/arm64/cpu.h"
#include "frontend/arm64/helpers.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"

#define PA_MASK 0x0000fffffffff000ull     /* 48-bit output addresses */

typedef struct A64Walk {
    uint64_t pa;          /* of the page holding va */
    uint64_t size;        /* of the leaf (page or block) mapping va */
    int prot;
    bool global;          /* not nG: kept across ASID switches */
    uint32_t fsc;         /* fault status code when the walk fails */
    uint64_t attrs;       /* the leaf descriptor */
} A64Walk;

enum { FSC_ADDR_SIZE = 0x00, FSC_TRANSLATION = 0x04, FSC_ACCESS_FLAG = 0x08, FSC_PERMISSION = 0x0c };

static uint64_t ldq_phys(CPUState *cs, uint64_t addr)
{
    MemTxResult res;
    return address_space_ldn(cs->as, addr, 8, &res);
}

/* Walk va for an access by mmu_idx; false with w->fsc set on a fault. */
static bool a64_walk(CPUARMState *env, uint64_t va, int access, int mmu_idx, A64Walk *w)
{
    CPUState *cs = a64_cs(env);
    uint64_t tcr = env->tcr_el1;
    bool el0 = mmu_idx == A64_MMU_EL0;

    if (!(env->sctlr_el1 & SCTLR_M)) {
        /* Data accesses are Device-nGnRnE with stage 1 off, so the Arm ARM
         * wants them aligned too; not checked (no PAGE_ALIGNED): QEMU 7.2,
         * the oracle, does not, and guests tested against it (ldst,
         * fpmove) make unaligned accesses with the MMU off. */
        w->pa = va & TARGET_PAGE_MASK;
        w->size = TARGET_PAGE_SIZE;
        w->prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC;
        w->global = true;
        w->attrs = 0;
        return true;
    }
    /* the region: bit 55 when the top byte is ignored, else all top bits */
    bool hi = (va >> 55) & 1;
    bool tbi = access != MMU_INST_FETCH && ((tcr >> (hi ? 38 : 37)) & 1);
    uint64_t check = tbi ? (uint64_t)((int64_t)(va << 8) >> 8) : va;
    int tsz = hi ? (int)((tcr >> 16) & 0x3f) : (int)(tcr & 0x3f);
    if (tsz < 16)
        tsz = 16;                         /* at most 48-bit VAs */
    if (tsz > 39)
        tsz = 39;
    int inputsize = 64 - tsz;
    uint64_t top = (uint64_t)((int64_t)check >> inputsize);   /* bits [63:inputsize] */
    w->fsc = FSC_TRANSLATION;             /* level 0 */
    if (top != (hi ? ~0ull : 0))
        return false;
    if ((tcr >> (hi ? 23 : 7)) & 1)       /* EPDn: walks disabled */
        return false;
    unsigned tg = (unsigned)((tcr >> (hi ? 30 : 14)) & 3);
    int gbits;
    if (hi)
        gbits = tg == 3 ? 16 : 12;        /* TG1: 2 = 4K, 3 = 64K (16K unsupported: 4K) */
    else
        gbits = tg == 1 ? 16 : 12;        /* TG0: 0 = 4K, 1 = 64K */
    int stride = gbits - 3;
    int levels = (inputsize - gbits + stride - 1) / stride;
    int level = 4 - levels;
    /* the start table may be smaller than a granule: its base keeps bits
     * down to its own size (BADDR is TTBR[47:1]; ASID above) */
    uint64_t table = (hi ? env->ttbr1_el1 : env->ttbr0_el1) & 0x0000fffffffffffeull;
    bool ap_table_el0 = false, ap_table_ro = false, xn_table = false, pxn_table = false;
    uint64_t desc;

    for (;; level++) {
        int shift = gbits + stride * (3 - level);
        int bits = level == 4 - levels ? inputsize - shift : stride;
        uint64_t index = (check >> shift) & ((1ull << bits) - 1);
        desc = ldq_phys(cs, (table & ~7ull) + index * 8);
        w->fsc = FSC_TRANSLATION | (uint32_t)level;
        if (!(desc & 1))
            return false;
        bool is_table = (desc & 2) && level < 3;
        if (!is_table) {
            if (level == 3 && !(desc & 2))
                return false;             /* reserved at level 3 */
            /* blocks: 4K at levels 1 and 2, 64K at level 2 only */
            if (level < 3 && (level == 0 || (gbits == 16 && level == 1)))
                return false;
            uint64_t size_mask = (1ull << shift) - 1;
            w->pa = ((desc & PA_MASK & ~size_mask) | (check & size_mask)) & TARGET_PAGE_MASK;
            w->size = 1ull << shift;
            break;
        }
        pxn_table |= (desc >> 59) & 1;
        xn_table |= (desc >> 60) & 1;
        ap_table_el0 |= (desc >> 61) & 1;
        ap_table_ro |= (desc >> 62) & 1;
        table = desc & PA_MASK & ~((1ull << gbits) - 1);
    }
    w->attrs = desc;
    w->global = !(desc & (1u << 11));
    if (!(desc & (1u << 10))) {
        w->fsc = FSC_ACCESS_FLAG | (uint32_t)level;
        return false;
    }
    unsigned ap = (unsigned)(desc >> 6) & 3;
    bool el0_ok = (ap & 1) && !ap_table_el0;
    bool ro = (ap & 2) || ap_table_ro;
    bool uxn = ((desc >> 54) & 1) || xn_table;
    bool pxn = ((desc >> 53) & 1) || pxn_table;
    bool el0_writable = el0_ok && !ro;
    int prot = 0;
    if (el0) {
        /* AP governs data accesses only: EL0 may execute where UXN is 0
         * even without read access (execute-only memory) */
        if (el0_ok)
            prot = PAGE_READ | (ro ? 0 : PAGE_WRITE);
        if (!uxn)
            prot |= PAGE_EXEC;
    } else {
        prot = PAGE_READ | (ro ? 0 : PAGE_WRITE);
        if (!pxn && !el0_writable)
            prot |= PAGE_EXEC;
    }
    if ((env->sctlr_el1 & (1u << 19)) && (prot & PAGE_WRITE))   /* WXN */
        prot &= ~PAGE_EXEC;
    /* Device memory (MAIR attribute 0b0000xxxx): every data access must
     * be aligned to its size, whatever SCTLR.A says */
    if (!((env->mair_el1 >> (8 * ((desc >> 2) & 7))) & 0xf0))
        prot |= PAGE_ALIGNED;
    w->prot = prot;
    int need = access == MMU_DATA_STORE ? PAGE_WRITE : access == MMU_INST_FETCH ? PAGE_EXEC : PAGE_READ;
    if (!(prot & need)) {
        w->fsc = FSC_PERMISSION | (uint32_t)level;
        return false;
    }
    return true;
}

/* Bit of tlb_large_map for the block of size 2^log2 holding va. */
static unsigned a64_large_bit(uint64_t va, unsigned log2)
{
    uint64_t base = va & ~((1ull << log2) - 1);
    return (unsigned)(((base ^ log2) * 0x9e3779b97f4a7c15ull) >> (64 - 10));
}

static void a64_large_note(CPUARMState *env, uint64_t va, uint64_t size)
{
    unsigned log2 = (unsigned)__builtin_ctzll(size);
    unsigned b = a64_large_bit(va, log2);
    env->tlb_large_map[b / 64] |= 1ull << (b % 64);
    env->tlb_large_sizes |= 1ull << log2;
}

/* The size of the largest leaf entered in a block holding va, or 0. */
static uint64_t a64_large_find(const CPUARMState *env, uint64_t va)
{
    uint64_t sizes = env->tlb_large_sizes;
    while (sizes) {
        unsigned log2 = 63 - (unsigned)__builtin_clzll(sizes);
        unsigned b = a64_large_bit(va, log2);
        if ((env->tlb_large_map[b / 64] >> (b % 64)) & 1)
            return 1ull << log2;
        sizes &= ~(1ull << log2);
    }
    return 0;
}

bool a64_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access_type, int mmu_idx,
                  bool probe, uintptr_t retaddr)
{
    CPUARMState *env = a64_env(cs);
    A64Walk w;
    if (a64_walk(env, vaddr, access_type, mmu_idx, &w)) {
        if (w.size > TARGET_PAGE_SIZE) {
            uint64_t base = vaddr & ~(w.size - 1);
            if (base < env->tlb_large_lo)
                env->tlb_large_lo = base;
            if (base + w.size - 1 > env->tlb_large_hi)
                env->tlb_large_hi = base + w.size - 1;
            if (w.size > env->tlb_large_size)
                env->tlb_large_size = w.size;
            a64_large_note(env, vaddr, w.size);
        }
        if ((uint64_t)((int64_t)(vaddr << 8) >> 8) != vaddr)
            env->tlb_tagged_va = true;
        /* tag 1: non-global, dropped by a64_tlb_flush_nonglobal */
        tlb_set_page_tagged(cs, vaddr, w.pa, w.prot, mmu_idx, !w.global);
        return true;
    }
    if (probe)
        return false;
    if (retaddr)
        cpu_restore_state(cs, retaddr);
    bool lower = env->el == 0;
    uint32_t syn;
    if (access_type == MMU_INST_FETCH)
        syn = ((uint32_t)(lower ? EC_INSN_ABORT_LOWER : EC_INSN_ABORT_SAME) << 26) | ESR_IL | w.fsc;
    else
        syn = ((uint32_t)(lower ? EC_DATA_ABORT_LOWER : EC_DATA_ABORT_SAME) << 26) | ESR_IL |
              (access_type == MMU_DATA_STORE ? 1u << 6 : 0) | w.fsc;
    A64_TRAP(env, "%s abort at 0x%016" PRIx64 ": FSC 0x%02x", access_type == MMU_INST_FETCH ?
             "instruction" : "data", vaddr, w.fsc);
    a64_raise_sync(env, syn, true, vaddr, 0);
}

/* ---- TLB maintenance ----
 * ASIDs: each ASID has its own softmmu context (the 4 most recent are
 * kept), made current when TTBRn or TCR change the ASID; TLBI ASIDE1
 * empties that ASID's context, TLBI by VA and VMALLE1 act on all of them
 * (global entries are entered in each context that uses them, so they
 * need no tag of their own). Blocks and 64 KiB
 * pages are entered a 4 KiB piece at a time: a TLBI by VA inside a block
 * where such a leaf was entered (tlb_large_map, by size-aligned base, may
 * err towards yes) drops that whole aligned block; once a
 * VA with a top-byte tag (TBI) was entered, a TLBI by VA flushes all. */
/* The ASID translations are tagged with now (TCR.A1 picks the TTBR, TCR.AS
 * 8 or 16 bits) */
static uint32_t a64_asid_of(const CPUARMState *env, uint64_t asid_field)
{
    return (uint32_t)(asid_field & (((env->tcr_el1 >> 36) & 1) ? 0xffff : 0xff));
}

void a64_tlb_switch_asid(CPUARMState *env)
{
    uint64_t ttbr = ((env->tcr_el1 >> 22) & 1) ? env->ttbr1_el1 : env->ttbr0_el1;
    tlb_switch_context(a64_cs(env), a64_asid_of(env, ttbr >> 48));
}

void a64_tlb_flush_asid(CPUARMState *env, uint64_t asid_field)
{
    tlb_flush_context(a64_cs(env), a64_asid_of(env, asid_field));
}

void a64_tlb_flush_all(CPUARMState *env)
{
    env->tlb_large_lo = ~0ull;
    env->tlb_large_hi = 0;
    env->tlb_large_size = 0;
    env->tlb_tagged_va = false;
    memset(env->tlb_large_map, 0, sizeof(env->tlb_large_map));
    env->tlb_large_sizes = 0;
    tlb_flush(a64_cs(env));
    a64_tlb_switch_asid(env);     /* TCR.A1/AS may have changed */
}

void a64_tlb_flush_va(CPUARMState *env, uint64_t va)
{
    uint64_t size;
    if (env->tlb_tagged_va)
        a64_tlb_flush_all(env);
    else if (env->tlb_large_size && va >= env->tlb_large_lo && va <= env->tlb_large_hi
             && (size = a64_large_find(env, va)) != 0)
        tlb_flush_range(a64_cs(env), va & ~(size - 1), size);
    else
        tlb_flush_page(a64_cs(env), va);
}

/* Alignment fault (SCTLR.A, exclusives and ordered accesses through
 * MO_ALIGN or explicit checks, Device memory through PAGE_ALIGNED): a
 * data abort with DFSC 0b100001, WnR, FAR = the address accessed. It
 * comes before any translation fault of the same access. */
void a64_unaligned_access(CPUState *cs, uint64_t vaddr, unsigned size, int access_type, int mmu_idx,
                          uintptr_t retaddr)
{
    CPUARMState *env = a64_env(cs);
    if (retaddr)
        cpu_restore_state(cs, retaddr);
    uint32_t ec = env->el == 0 ? EC_DATA_ABORT_LOWER : EC_DATA_ABORT_SAME;
    A64_TRAP(env, "alignment fault: %s%u at 0x%016" PRIx64, access_type == MMU_DATA_STORE ? "write" : "read",
             size * 8, vaddr);
    a64_raise_sync(env, (ec << 26) | ESR_IL | (access_type == MMU_DATA_STORE ? 1u << 6 : 0) | 0x21,
                   true, vaddr, 0);
}

/* An alignment check the translator emits itself (a 128-bit SIMD&FP
 * access with SCTLR.A: its IR halves are 64-bit) */
void helper_a64_align_fault(CPUARMState *env, uint64_t addr, uint32_t is_write)
{
    a64_unaligned_access(a64_cs(env), addr, 16, is_write ? MMU_DATA_STORE : MMU_DATA_LOAD,
                         env->el ? A64_MMU_EL1 : A64_MMU_EL0, GETPC());
}

/* AT S1E{0,1}{R,W}: PAR_EL1 for va (F=0: PA and attributes; F=1: FST) */
uint64_t a64_at_translate(CPUARMState *env, uint64_t va, int access, int mmu_idx);
uint64_t a64_at_translate(CPUARMState *env, uint64_t va, int access, int mmu_idx)
{
    A64Walk w;
    if (!a64_walk(env, va, access, mmu_idx, &w))
        return (1ull << 11) | 1 | ((uint64_t)w.fsc << 1);      /* RES1, F, FST */
    uint64_t attr = 0;
    if (env->sctlr_el1 & SCTLR_M)
        attr = (env->mair_el1 >> (8 * ((w.attrs >> 2) & 7))) & 0xff;
    /* RES1 bit 11, NS (the only security state), SH */
    return (attr << 56) | (w.pa & PA_MASK) | (1ull << 11) | (1ull << 9) | (((w.attrs >> 8) & 3) << 7);
}
