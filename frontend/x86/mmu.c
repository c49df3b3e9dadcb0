/*
 * x86 page-table walker (tlb_fill): linear -> physical for the soft TLB.
 * Paging off: identity (A20-masked). CR0.PG on, by CR4.PAE and EFER.LMA:
 *  - 32-bit paging: 2 levels, 4 KiB pages, 4 MiB pages under CR4.PSE (PSE-36
 *    high address bits 20:13); a walker of its own, the hot one for i386;
 *  - PAE: the 4 PDPTEs cached in env->pdptrs (loaded on MOV CR3 and when
 *    paging or PAE is turned on, x86_load_pdptrs), then 2 levels of 64-bit
 *    entries, 4 KiB and 2 MiB pages;
 *  - 4-level (long mode): PML4, PDPT (1 GiB pages when CPUID advertises
 *    them), PD (2 MiB), PT; 48-bit canonical linear addresses.
 * Rights: U/S and R/W are ANDed over the levels, CR0.WP protects read-only
 * pages from supervisor writes, XD (bit 63) under EFER.NXE forbids fetches
 * from any level; with NXE off bit 63 is reserved. Reserved bits (above
 * MAXPHYADDR, PS where it cannot be, the low bits of large-page addresses)
 * raise #PF with RSVD.
 * What must stay true: the guest's accessed bits are set as each table
 * entry is used (before the next level is read, even if that then faults),
 * the leaf's accessed bit on a successful access and its dirty bit at the
 * first write (in guest physical memory, only when they change); PAGE_WRITE is granted to the TLB only once
 * the dirty bit is set, so the first write to a clean page walks again and
 * marks it; PAGE_EXEC only when no level forbids fetches. A fault raises
 * #PF with CR2 = the linear address and the SDM's error code (P, W, U,
 * RSVD, I/D; I/D as QEMU reports it: fetches when NXE+PAE or SMEP).
 * Long mode: a non-canonical address raises #GP(0) here, on the TLB miss
 * of the access (a non-canonical page is never in the TLB, so this catches
 * every access); #SS(0) for SS-relative accesses is not told apart here
 * (the helpers' own stack accesses check first and raise #SS(0): seg.h).
 */
#include "frontend/x86/cpu.h"
#include "frontend/x86/cpuid.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"

#define PG_P   (1ull << 0)
#define PG_RW  (1ull << 1)
#define PG_US  (1ull << 2)
#define PG_A   (1ull << 5)
#define PG_D   (1ull << 6)
#define PG_PS  (1ull << 7)
#define PG_NX  (1ull << 63)

#define PFERR_P    (1u << 0)
#define PFERR_W    (1u << 1)
#define PFERR_U    (1u << 2)
#define PFERR_RSVD (1u << 3)
#define PFERR_ID   (1u << 4)


/* Entries outside RAM read as all ones (unassigned) or come from the
 * device, as on hardware: the result code is not needed. */
static uint64_t ld_phys(CPUState *cs, uint64_t addr, int size)
{
    return address_space_ldn(cs->as, addr, (unsigned)size, NULL);
}

static void st_phys(CPUState *cs, uint64_t addr, uint64_t val, int size)
{
    address_space_stn(cs->as, addr, val, (unsigned)size, NULL);
}

/* Bits [51:MAXPHYADDR] of a 64-bit entry: reserved. */
static uint64_t x86_phys_rsvd(const CPUX86State *env)
{
    unsigned m = env->cpuid_phys_bits ? env->cpuid_phys_bits : 36;
    return ((1ull << 52) - 1) & ~((1ull << m) - 1);
}

uint64_t x86_pae_rsvd_mask(const CPUX86State *env)
{
    uint64_t rsvd = x86_phys_rsvd(env);
    if (!(env->efer & X86_EFER_NXE))
        rsvd |= PG_NX;
    return rsvd;
}

bool x86_canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;   /* bits 63:47 all equal */
}

/* PAE PDPTEs: reserved bits 2:1, 8:5 and above MAXPHYADDR (XD too). */
bool x86_load_pdptrs(CPUX86State *env, uint64_t cr3)
{
    CPUState *cs = env_cpu(env);
    uint64_t pdpt[4];
    uint64_t rsvd = x86_phys_rsvd(env) | PG_NX | 0x1e6ull;
    for (int i = 0; i < 4; i++) {
        pdpt[i] = ld_phys(cs, ((cr3 & 0xffffffe0u) + 8u * (unsigned)i) & env->a20_mask, 8);
        if ((pdpt[i] & PG_P) && (pdpt[i] & rsvd))
            return false;
    }
    for (int i = 0; i < 4; i++)
        env->pdptrs[i] = pdpt[i];
    return true;
}

/* The #PF (or, for a probe, the refusal): CR2 = the linear address; the
 * error code gets W, U and I/D from the access. Out of line: walkers stay
 * small on the path that succeeds. */
static bool __attribute__((cold, noinline))
x86_page_fault(CPUX86State *env, uint64_t addr, uint32_t err, int access_type, int mmu_idx,
               bool probe, uintptr_t retaddr)
{
    if (probe)
        return false;
    bool is_fetch = access_type == MMU_INST_FETCH;
    err |= (access_type == MMU_DATA_STORE ? PFERR_W : 0) | (mmu_idx == X86_MMU_USER ? PFERR_U : 0);
    if (is_fetch && (((env->efer & X86_EFER_NXE) && (env->cr[4] & X86_CR4_PAE)) ||
                     (env->cr[4] & X86_CR4_SMEP)))
        err |= PFERR_ID;
    env->cr[2] = addr;
    x86_raise_exception_err_ra(env, EXCP0E_PAGE, (int)err, retaddr);
}

/*
 * 32-bit paging (CR4.PAE=0): PDE then PTE, or a 4 MiB page from the PDE
 * under CR4.PSE. Its own straight path because it is the i386 guests' TLB
 * miss (no loop over the PAE formats, 32-bit entries, few values kept over
 * the calls); the rules are the PAE walker's: the PDE's accessed bit as
 * the walk goes through it, the leaf's A (and D on a write) only on
 * success, no fetch restriction (XD needs PAE).
 */
static bool x86_walk_32bit(CPUState *cs, CPUX86State *env, uint32_t addr, int access_type,
                           int mmu_idx, bool probe, uintptr_t retaddr)
{
    uint64_t a20 = env->a20_mask;
    uint64_t pde_addr = ((env->cr[3] & ~0xfffull) + ((addr >> 20) & 0xffc)) & a20;
    uint32_t pde = (uint32_t)ld_phys(cs, pde_addr, 4);
    uint32_t rights, leaf;
    uint64_t leaf_addr, frame;   /* frame: physical address of the 4 KiB frame */
    if (!(pde & PG_P))
        return x86_page_fault(env, addr, 0, access_type, mmu_idx, probe, retaddr);
    if ((pde & PG_PS) && (env->cr[4] & X86_CR4_PSE)) {
        /* PSE-36: PDE bits 20:13 are physical address bits 39:32 */
        uint64_t phys = ((uint64_t)((pde >> 13) & 0xff) << 32) | (pde & 0xffc00000u);
        if ((pde & (1u << 21)) || (phys & x86_phys_rsvd(env)))
            return x86_page_fault(env, addr, PFERR_P | PFERR_RSVD, access_type, mmu_idx, probe,
                                  retaddr);
        rights = leaf = pde;
        leaf_addr = pde_addr;
        frame = phys | (addr & 0x3ff000u);
    } else {
        if (!(pde & PG_A))
            st_phys(cs, pde_addr, pde | PG_A, 4);
        uint64_t pte_addr = ((pde & ~0xfffu) + ((addr >> 10) & 0xffc)) & a20;
        uint32_t pte = (uint32_t)ld_phys(cs, pte_addr, 4);
        if (!(pte & PG_P))
            return x86_page_fault(env, addr, 0, access_type, mmu_idx, probe, retaddr);
        rights = pde & pte;
        leaf = pte;
        leaf_addr = pte_addr;
        frame = pte & ~0xfffu;
    }

    bool is_write = access_type == MMU_DATA_STORE;
    bool writable;
    if (mmu_idx == X86_MMU_USER) {
        if (!(rights & PG_US))
            return x86_page_fault(env, addr, PFERR_P, access_type, mmu_idx, probe, retaddr);
        writable = (rights & PG_RW) != 0;
    } else {
        writable = (rights & PG_RW) || !(env->cr[0] & X86_CR0_WP);
    }
    if (is_write && !writable)
        return x86_page_fault(env, addr, PFERR_P, access_type, mmu_idx, probe, retaddr);

    uint32_t nleaf = leaf | PG_A | (is_write ? PG_D : 0);
    if (nleaf != leaf)
        st_phys(cs, leaf_addr, nleaf, 4);
    int prot = PAGE_READ | PAGE_EXEC;
    if (writable && (nleaf & PG_D))
        prot |= PAGE_WRITE;
    tlb_set_page(cs, addr, frame & a20, prot, mmu_idx);
    return true;
}

/* PAE and 4-level paging: the levels from the outermost down, the rights
 * accumulated over them. Not inlined: its frame (the entry arrays, many
 * live values) would otherwise be set up on every 32-bit TLB miss too. */
static bool __attribute__((noinline))
x86_walk_pae(CPUState *cs, CPUX86State *env, uint64_t addr, int access_type,
                         int mmu_idx, bool probe, uintptr_t retaddr)
{
    uint64_t a20 = env->a20_mask;
    bool is_write = access_type == MMU_DATA_STORE;
    bool is_fetch = access_type == MMU_INST_FETCH;
    bool is_user = mmu_idx == X86_MMU_USER;
    bool lma = (env->efer & X86_EFER_LMA) != 0;
    uint32_t err = 0;

    uint64_t rights = PG_RW | PG_US, nx = 0;
    uint64_t page_base, page_mask;   /* page_mask: offset bits within the page */

    uint64_t rsvd = x86_pae_rsvd_mask(env);
    uint64_t e, ea;
    int level;   /* 4 = PML4 .. 1 = PT */
    if (lma) {
        ea = ((env->cr[3] & 0x000ffffffffff000ull) + ((addr >> 36) & 0xff8)) & a20;
        e = ld_phys(cs, ea, 8);
        level = 4;
    } else {
        e = env->pdptrs[(addr >> 30) & 3];
        ea = ~0ull;   /* the PDPTE register: its accessed bit is not written back */
        level = 3;
        if (!(e & PG_P))
            goto fault;
        if (e & (x86_phys_rsvd(env) | PG_NX | 0x1e6ull))
            goto fault_rsvd;
        ea = ((e & 0x000ffffffffff000ull) + ((addr >> 18) & 0xff8)) & a20;
        e = ld_phys(cs, ea, 8);
        level = 2;
    }
    for (;;) {
        if (!(e & PG_P))
            goto fault;
        uint64_t lrsvd = rsvd;
        bool leaf = level == 1;
        if (level == 4) {
            lrsvd |= PG_PS;
        } else if (level == 3 || level == 2) {
            if (e & PG_PS) {
                if (level == 3 && !(env->cpuid_ext2_features & CPUID_EXT2_PDPE1GB))
                    goto fault_rsvd;
                leaf = true;
                /* address bits below the page size, except PAT (bit 12) */
                lrsvd |= (level == 3 ? 0x3fffe000ull : 0x1fe000ull);
            }
        }
        if (e & lrsvd)
            goto fault_rsvd;
        rights &= e;
        nx |= e & PG_NX;
        if (leaf) {
            int shift = level == 3 ? 30 : level == 2 ? 21 : 12;
            page_mask = (1ull << shift) - 1;
            page_base = e & 0x000ffffffffff000ull & ~page_mask;
            break;
        }
        /* a table entry is used once the walk goes through it (SDM 4.8):
         * its accessed bit, whatever happens further down */
        if (!(e & PG_A))
            st_phys(cs, ea, e | PG_A, 8);
        level--;
        ea = ((e & 0x000ffffffffff000ull) + ((addr >> (12 + 9 * (level - 1) - 3)) & 0xff8)) & a20;
        e = ld_phys(cs, ea, 8);
    }

    err = PFERR_P;
    bool writable;
    if (is_user) {
        if (!(rights & PG_US))
            goto fault;
        writable = (rights & PG_RW) != 0;
    } else {
        writable = (rights & PG_RW) || !(env->cr[0] & X86_CR0_WP);
    }
    if (is_write && !writable)
        goto fault;
    bool exec = !nx;
    if (is_fetch && !exec)
        goto fault;

    /* success: the leaf's accessed (and dirty on a write) bits */
    uint64_t nleaf = e | PG_A | (is_write ? PG_D : 0);
    if (nleaf != e)
        st_phys(cs, ea, nleaf, 8);
    int prot = PAGE_READ;
    if (exec)
        prot |= PAGE_EXEC;
    if (writable && (nleaf & PG_D))
        prot |= PAGE_WRITE;
    uint64_t paddr = (page_base | (addr & page_mask & ~0xfffull)) & a20;
    tlb_set_page(cs, addr, paddr, prot, mmu_idx);
    return true;

fault_rsvd:
    err = PFERR_P | PFERR_RSVD;
fault:
    return x86_page_fault(env, addr, err, access_type, mmu_idx, probe, retaddr);
}

bool x86_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access_type, int mmu_idx,
                  bool probe, uintptr_t retaddr)
{
    CPUX86State *env = x86_env(cs);

    if (__builtin_expect((env->cr[0] & X86_CR0_PG) && mmu_idx != X86_MMU_PHYS, 1)) {
        /* LMA implies PAE (the CR4 and EFER writes refuse otherwise) */
        if (!(env->cr[4] & X86_CR4_PAE))
            return x86_walk_32bit(cs, env, (uint32_t)vaddr, access_type, mmu_idx, probe, retaddr);
        if (!(env->efer & X86_EFER_LMA))
            return x86_walk_pae(cs, env, (uint32_t)vaddr, access_type, mmu_idx, probe, retaddr);
        if (!x86_canonical(vaddr)) {
            if (probe)
                return false;
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, retaddr);
        }
        return x86_walk_pae(cs, env, vaddr, access_type, mmu_idx, probe, retaddr);
    }
    uint64_t addr = (env->efer & X86_EFER_LMA) ? vaddr : (uint32_t)vaddr;
    tlb_set_page(cs, addr, (addr & TARGET_PAGE_MASK) & env->a20_mask,
                 PAGE_READ | PAGE_WRITE | PAGE_EXEC, mmu_idx);
    return true;
}
