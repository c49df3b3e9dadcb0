/*
 * x86 page-table walker (tlb_fill): linear -> physical for the soft TLB.
 * Paging off: identity (A20-masked). CR0.PG on, by CR4.PAE and EFER.LMA:
 *  - 32-bit paging: 2 levels, 4 KiB pages, 4 MiB pages under CR4.PSE (PSE-36
 *    high address bits 20:13);
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
 * What must stay true: the guest's accessed bits are set as each entry is
 * used and the dirty bit on the leaf at the first write (in guest physical
 * memory, only when they change); PAGE_WRITE is granted to the TLB only once
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


static uint64_t ld_phys(CPUState *cs, uint64_t addr, int size)
{
    MemTxResult res;
    return address_space_ldn(cs->as, addr, (unsigned)size, &res);
}

static void st_phys(CPUState *cs, uint64_t addr, uint64_t val, int size)
{
    MemTxResult res;
    address_space_stn(cs->as, addr, val, (unsigned)size, &res);
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

bool x86_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access_type, int mmu_idx,
                  bool probe, uintptr_t retaddr)
{
    CPUX86State *env = x86_env(cs);
    uint64_t a20 = env->a20_mask;
    bool is_write = access_type == MMU_DATA_STORE;
    bool is_fetch = access_type == MMU_INST_FETCH;
    bool is_user = mmu_idx == X86_MMU_USER;
    bool lma = (env->efer & X86_EFER_LMA) != 0;
    uint32_t err = 0;
    uint64_t addr = lma ? vaddr : (uint32_t)vaddr;

    if (!(env->cr[0] & X86_CR0_PG) || mmu_idx == X86_MMU_PHYS) {
        tlb_set_page(cs, addr, (addr & TARGET_PAGE_MASK) & a20,
                     PAGE_READ | PAGE_WRITE | PAGE_EXEC, mmu_idx);
        return true;
    }
    if (lma && !x86_canonical(addr)) {
        if (probe)
            return false;
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, retaddr);
    }

    /* The entries used, outermost first: address and value, for the
     * accessed bits; rights accumulate over them. */
    uint64_t ent_addr[4], ent[4];
    int nent = 0, ent_size = 8;
    uint64_t rights = PG_RW | PG_US, nx = 0;
    uint64_t page_base, page_mask;   /* page_mask: offset bits within the page */

    if (env->cr[4] & X86_CR4_PAE) {
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
            ent_addr[nent] = ea;
            ent[nent++] = e;
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
            ent_addr[nent] = ea;
            ent[nent++] = e;
            if (leaf) {
                int shift = level == 3 ? 30 : level == 2 ? 21 : 12;
                page_mask = (1ull << shift) - 1;
                page_base = e & 0x000ffffffffff000ull & ~page_mask;
                break;
            }
            level--;
            ea = ((e & 0x000ffffffffff000ull) + ((addr >> (12 + 9 * (level - 1) - 3)) & 0xff8)) & a20;
            e = ld_phys(cs, ea, 8);
        }
    } else {
        ent_size = 4;
        uint64_t pde_addr = ((env->cr[3] & ~0xfffull) + ((addr >> 20) & 0xffc)) & a20;
        uint64_t pde = ld_phys(cs, pde_addr, 4);
        if (!(pde & PG_P))
            goto fault;
        ent_addr[nent] = pde_addr;
        ent[nent++] = pde;
        rights &= pde;
        if ((pde & PG_PS) && (env->cr[4] & X86_CR4_PSE)) {
            /* PSE-36: PDE bits 20:13 are physical address bits 39:32 */
            uint64_t high = (pde >> 13) & 0xff;
            uint64_t phys = (high << 32) | (pde & 0xffc00000u);
            if ((pde & (1u << 21)) || (phys & x86_phys_rsvd(env)))
                goto fault_rsvd;
            page_mask = 0x3fffff;
            page_base = phys;
        } else {
            uint64_t pte_addr = ((pde & ~0xfffull) + ((addr >> 10) & 0xffc)) & a20;
            uint64_t pte = ld_phys(cs, pte_addr, 4);
            if (!(pte & PG_P))
                goto fault;
            ent_addr[nent] = pte_addr;
            ent[nent++] = pte;
            rights &= pte;
            page_mask = 0xfff;
            page_base = pte & ~0xfffull;
        }
    }

    /* every entry used so far gets its accessed bit (as the SDM says: set
     * whenever an entry is used, even if the access then faults) */
    for (int i = 0; i < nent - 1; i++) {
        if (ent_addr[i] != ~0ull && !(ent[i] & PG_A))
            st_phys(cs, ent_addr[i], ent[i] | PG_A, ent_size);
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
    uint64_t leaf = ent[nent - 1];
    uint64_t nleaf = leaf | PG_A | (is_write ? PG_D : 0);
    if (nleaf != leaf)
        st_phys(cs, ent_addr[nent - 1], nleaf, ent_size);
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
    if (probe)
        return false;
    err |= (is_write ? PFERR_W : 0) | (is_user ? PFERR_U : 0);
    if (is_fetch && (((env->efer & X86_EFER_NXE) && (env->cr[4] & X86_CR4_PAE)) ||
                     (env->cr[4] & X86_CR4_SMEP)))
        err |= PFERR_ID;
    env->cr[2] = addr;
    x86_raise_exception_err_ra(env, EXCP0E_PAGE, (int)err, retaddr);
}
