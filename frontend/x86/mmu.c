/*
 * x86 page-table walker (tlb_fill): linear -> physical for the soft TLB.
 * Paging off: identity (A20-masked). CR0.PG on: the 2-level 32-bit walk,
 * 4 KiB pages and 4 MiB pages under CR4.PSE, U/S and R/W checks, CR0.WP.
 * What must stay true: the guest's accessed/dirty bits are set here (in
 * guest physical memory) and PAGE_WRITE is granted to the TLB only once the
 * dirty bit is set, so the first write to a clean page walks again and
 * marks it. A fault leaves the page tables untouched and raises #PF with
 * CR2 = the faulting linear address.
 */
#include "frontend/x86/cpu.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"

#define PG_P   (1u << 0)
#define PG_RW  (1u << 1)
#define PG_US  (1u << 2)
#define PG_A   (1u << 5)
#define PG_D   (1u << 6)
#define PG_PS  (1u << 7)

#define PFERR_P (1u << 0)
#define PFERR_W (1u << 1)
#define PFERR_U (1u << 2)

static uint32_t x86_ldl_phys(CPUState *cs, uint64_t addr)
{
    MemTxResult res;
    return (uint32_t)address_space_ldn(cs->as, addr, 4, &res);
}

static void x86_stl_phys(CPUState *cs, uint64_t addr, uint32_t val)
{
    MemTxResult res;
    address_space_stn(cs->as, addr, val, 4, &res);
}

bool x86_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access_type, int mmu_idx,
                  bool probe, uintptr_t retaddr)
{
    CPUX86State *env = x86_env(cs);
    uint32_t addr = (uint32_t)vaddr;
    uint64_t a20 = env->a20_mask;
    bool is_write = access_type == MMU_DATA_STORE;
    bool is_user = mmu_idx == X86_MMU_USER;
    uint32_t err = 0;

    if (!(env->cr[0] & X86_CR0_PG) || mmu_idx == X86_MMU_PHYS) {
        tlb_set_page(cs, addr, (addr & TARGET_PAGE_MASK) & a20,
                     PAGE_READ | PAGE_WRITE | PAGE_EXEC, mmu_idx);
        return true;
    }

    uint64_t pde_addr = ((env->cr[3] & ~0xfffull) + ((addr >> 20) & 0xffc)) & a20;
    uint32_t pde = x86_ldl_phys(cs, pde_addr);
    uint32_t rights, pte = 0, page_base;
    uint64_t pte_addr = 0;
    bool big;
    if (!(pde & PG_P))
        goto fault;
    big = (pde & PG_PS) && (env->cr[4] & X86_CR4_PSE);
    if (big) {
        rights = pde;
        /* bits 13..20 (PSE-36 high address bits) are ignored: 32-bit physical */
        page_base = (pde & 0xffc00000u) | (addr & 0x003ff000u);
    } else {
        pte_addr = ((pde & ~0xfffu) + ((addr >> 10) & 0xffc)) & a20;
        pte = x86_ldl_phys(cs, pte_addr);
        if (!(pte & PG_P))
            goto fault;
        rights = pde & pte;
        page_base = pte & ~0xfffu;
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

    /* success: accessed (and dirty on a write) bits, only where they change */
    bool dirty;
    if (big) {
        uint32_t npde = pde | PG_A | (is_write ? PG_D : 0);
        if (npde != pde)
            x86_stl_phys(cs, pde_addr, npde);
        dirty = (npde & PG_D) != 0;
    } else {
        if (!(pde & PG_A))
            x86_stl_phys(cs, pde_addr, pde | PG_A);
        uint32_t npte = pte | PG_A | (is_write ? PG_D : 0);
        if (npte != pte)
            x86_stl_phys(cs, pte_addr, npte);
        dirty = (npte & PG_D) != 0;
    }
    int prot = PAGE_READ | PAGE_EXEC;
    if (writable && dirty)
        prot |= PAGE_WRITE;
    tlb_set_page(cs, addr, (uint64_t)page_base & a20, prot, mmu_idx);
    return true;

fault:
    if (probe)
        return false;
    err |= (is_write ? PFERR_W : 0) | (is_user ? PFERR_U : 0);
    env->cr[2] = addr;
    x86_raise_exception_err_ra(env, EXCP0E_PAGE, (int)err, retaddr);
}
