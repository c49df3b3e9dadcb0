/*
 * Guest test: PAE paging (CR4.PAE, 3 levels, 64-bit entries) with 4 KiB and
 * 2 MiB pages: aliases, accessed/dirty bits in the PTE and the 2 MiB PDE,
 * #PF error codes and CR2 for not-present, read-only (CR0.WP) and
 * reserved-bit entries (bit 63 without EFER.NXE, a bit above MAXPHYADDR,
 * the low address bits of a 2 MiB page), an instruction fetch from a
 * not-present page, INVLPG and CR3 reloads. Then back to 2-level paging.
 */
#include "lib.h"

#define PG_P  0x001ull
#define PG_RW 0x002ull
#define PG_US 0x004ull
#define PG_A  0x020ull
#define PG_D  0x040ull
#define PG_PS 0x080ull

#define PA_A 0x00600000u
#define PA_B 0x00601000u
#define VA_X 0x00800000u      /* the 2 MiB region mapped through pae_pt */
#define VA_BIG 0x40000000u    /* a 2 MiB PDE we remap */

static uint64_t pae_pdpt[4] __attribute__((aligned(32)));
static uint64_t pae_pd[4][512] __attribute__((aligned(4096)));
static uint64_t pae_pt[512] __attribute__((aligned(4096)));

static volatile uint32_t *p32(uint32_t a) { return (volatile uint32_t *)a; }

/* volatile: the CPU writes A/D bits behind the compiler's back */
static volatile uint64_t *pde_of(uint32_t va) { return &pae_pd[va >> 30][(va >> 21) & 511]; }
static volatile uint64_t *pte_of(uint32_t va) { return &pae_pt[(va >> 12) & 511]; }

static uint32_t read_fault(uint32_t va, uint32_t *val)
{
    uint32_t c0 = trap_last.count, v = 0xeeeeeeee;
    __asm__ volatile("movl $1f, trap_resume\n\tmovl (%1), %0\n1:"
                     : "+r"(v) : "r"(va) : "memory");
    *val = v;
    return trap_last.count - c0;
}

static uint32_t write_fault(uint32_t va, uint32_t v)
{
    uint32_t c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tmovl %1, (%0)\n1:"
                     : : "r"(va), "r"(v) : "memory");
    return trap_last.count - c0;
}

static uint32_t jump_fault(uint32_t va)
{
    uint32_t c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tjmp *%0\n1:" : : "r"(va) : "memory");
    return trap_last.count - c0;
}

/* Reserved-bit faults: the SDM sets P with RSVD (err 9/0xb); QEMU leaves P
 * clear. The P bit of those is masked so the line reads the same. */
static void report(const char *name, uint32_t n, uint32_t want_err, uint32_t want_cr2)
{
    uint32_t err = trap_last.error;
    if (err & 8)
        err &= ~1u;
    printf("%s: n=%u vec=%u err=%x cr2=%08x\n", name, n, trap_last.vector, err, trap_last.cr2);
    char buf[64];
    snprintf(buf, sizeof(buf), "%s.err", name);
    check(buf, n << 8 | err, 1 << 8 | want_err);
    snprintf(buf, sizeof(buf), "%s.cr2", name);
    check(buf, trap_last.cr2, want_cr2);
}

static void pae_enable(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    v |= 0x20;                                      /* PAE */
    __asm__ volatile("mov %0, %%cr4" : : "r"(v));
    __asm__ volatile("mov %0, %%cr3" : : "r"(pae_pdpt) : "memory");
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    v |= 0x80010000;                                /* PG | WP */
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static void pae_disable(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    v &= ~0x80000000u;
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    v &= ~0x20u;
    __asm__ volatile("mov %0, %%cr4" : : "r"(v));
}

int main(void)
{
    uint32_t v, n;
    for (uint32_t i = 0; i < 4; i++) {
        pae_pdpt[i] = (uint32_t)pae_pd[i] | PG_P;
        for (uint32_t j = 0; j < 512; j++)
            pae_pd[i][j] = ((uint64_t)(i * 512 + j) << 21) | PG_PS | PG_P | PG_RW | PG_US;
    }
    for (uint32_t j = 0; j < 512; j++)
        pae_pt[j] = (VA_X + (j << 12)) | PG_P | PG_RW | PG_US;
    *pde_of(VA_X) = (uint32_t)pae_pt | PG_P | PG_RW | PG_US;
    *p32(PA_A) = 0xaaaa0001;
    *p32(PA_B) = 0xbbbb0002;
    memset((void *)(PA_A + 4), 0, 0x100);

    pae_enable();
    uint32_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    check("pae_on", cr4 & 0x20, 0x20);
    check("identity_2m", *p32(PA_A), 0xaaaa0001);
    check("pde_2m_accessed", (uint32_t)(*pde_of(PA_A) & PG_A), (uint32_t)PG_A);

    /* 4 KiB alias with clear A/D */
    volatile uint64_t *pte = pte_of(VA_X);
    *pte = PA_A | PG_P | PG_RW;
    invlpg(VA_X);
    check("alias_read", *p32(VA_X), 0xaaaa0001);
    check("pte_accessed", (uint32_t)(*pte & (PG_A | PG_D)), (uint32_t)PG_A);
    *p32(VA_X + 4) = 0x12345678;
    check("pte_dirty", (uint32_t)(*pte & (PG_A | PG_D)), (uint32_t)(PG_A | PG_D));
    check("alias_write_visible", *p32(PA_A + 4), 0x12345678);
    check("pt_pde_accessed", (uint32_t)(*pde_of(VA_X) & PG_A), (uint32_t)PG_A);
    *pte = PA_B | PG_P | PG_RW;
    invlpg(VA_X);
    check("invlpg_remap", *p32(VA_X), 0xbbbb0002);
    *pte = PA_A | PG_P | PG_RW;
    __asm__ volatile("mov %%cr3, %%eax\n\tmov %%eax, %%cr3" : : : "eax", "memory");
    check("cr3_reload_flush", *p32(VA_X), 0xaaaa0001);

    /* not present */
    *pte = PA_A | PG_RW;
    invlpg(VA_X);
    n = read_fault(VA_X + 0x10, &v);
    report("np_read", n, 0, VA_X + 0x10);
    check("np_read.no_load", v, 0xeeeeeeee);
    n = write_fault(VA_X + 0x20, 5);
    report("np_write", n, 2, VA_X + 0x20);
    n = jump_fault(VA_X + 0x40);
    report("np_fetch", n, 0, VA_X + 0x40);

    /* read-only with CR0.WP */
    *pte = PA_A | PG_P;
    invlpg(VA_X);
    check("ro_read", *p32(VA_X), 0xaaaa0001);
    n = write_fault(VA_X + 0x30, 0x99);
    report("ro_write", n, 3, VA_X + 0x30);
    check("ro_write.no_store", *p32(PA_A + 0x30), 0);

    /* reserved bits: XD (bit 63) without EFER.NXE, bit 40 (above 36-bit MAXPHYADDR) */
    *pte = PA_A | PG_P | PG_RW | (1ull << 63);
    invlpg(VA_X);
    n = read_fault(VA_X + 0x50, &v);
    report("rsvd_xd_read", n, 8, VA_X + 0x50);
    *pte = PA_A | PG_P | PG_RW | (1ull << 40);
    invlpg(VA_X);
    n = write_fault(VA_X + 0x60, 1);
    report("rsvd_phys_write", n, 0xa, VA_X + 0x60);
    *pte = PA_A | PG_P | PG_RW;
    invlpg(VA_X);

    /* 2 MiB page alias, its A/D bits, read-only, reserved low bits */
    volatile uint64_t *pde = pde_of(VA_BIG);
    *pde = 0x00600000 | PG_PS | PG_P | PG_RW;
    invlpg(VA_BIG);
    check("big_alias_read", *p32(VA_BIG), 0xaaaa0001);
    check("big_accessed", (uint32_t)(*pde & (PG_A | PG_D)), (uint32_t)PG_A);
    *p32(VA_BIG + 0x1ffffc) = 0xfeedface;
    check("big_dirty", (uint32_t)(*pde & PG_D), (uint32_t)PG_D);
    check("big_write_visible", *p32(0x007ffffc), 0xfeedface);
    *pde = 0x00600000 | PG_PS | PG_P;
    invlpg(VA_BIG);
    n = write_fault(VA_BIG + 0x123458, 1);
    report("big_ro_write", n, 3, VA_BIG + 0x123458);
    *pde = 0x00600000 | PG_PS | PG_P | PG_RW | (1u << 13);
    invlpg(VA_BIG);
    n = read_fault(VA_BIG + 0x10, &v);
    report("big_rsvd_read", n, 8, VA_BIG + 0x10);
    *pde = 0;
    invlpg(VA_BIG);
    n = read_fault(VA_BIG + 0x20, &v);
    report("big_np_read", n, 0, VA_BIG + 0x20);
    trap_resume = 0;

    /* a PDPTE that is not present */
    pae_pdpt[3] = 0;
    __asm__ volatile("mov %%cr3, %%eax\n\tmov %%eax, %%cr3" : : : "eax", "memory");
    n = read_fault(0xc0001000u, &v);
    report("pdpte_np_read", n, 0, 0xc0001000u);
    trap_resume = 0;

    pae_disable();
    check("paging_off", *p32(PA_A + 4), 0x12345678);
    /* and 2-level paging still works after PAE */
    pt_init(8);
    pt_enable();
    check("two_level_after_pae", *p32(PA_B), 0xbbbb0002);
    pt_disable();
    return check_failures ? 1 : 0;
}
