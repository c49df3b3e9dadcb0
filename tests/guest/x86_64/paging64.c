/*
 * Guest test (64-bit): 4-level paging. A 4 KiB page table under the
 * runtime's 2 MiB identity map; aliases and A/D bits at every level; #PF
 * error codes and 64-bit CR2 for not-present, read-only (CR0.WP), NX with
 * EFER.NXE (the I/D bit), XD set without NXE and a bit above MAXPHYADDR
 * (RSVD), PS in a PML4E; a mapping above 4 GiB; a non-canonical address
 * (#GP(0)); INVLPG and CR3 reloads.
 */
#include "lib64.h"

#define PG_P  0x001ull
#define PG_RW 0x002ull
#define PG_US 0x004ull
#define PG_A  0x020ull
#define PG_D  0x040ull
#define PG_PS 0x080ull
#define PG_NX (1ull << 63)

#define PA_A 0x00600000ull
#define PA_B 0x00601000ull
#define VA_X 0x00800000ull             /* the 2 MiB region mapped through pt4k */
#define VA_HIGH 0x0000012345600000ull  /* PML4 slot 2: our own PDPT/PD/PT */

static uint64_t pt4k[512] __attribute__((aligned(4096)));
static uint64_t hi_pdpt[512] __attribute__((aligned(4096)));
static uint64_t hi_pd[512] __attribute__((aligned(4096)));
static uint64_t hi_pt[512] __attribute__((aligned(4096)));

static volatile uint32_t *p32(uint64_t a) { return (volatile uint32_t *)a; }
static volatile uint64_t *ent(uint64_t *table, unsigned i) { return (volatile uint64_t *)&table[i]; }

static uint32_t read_fault(uint64_t va)
{
    uint32_t c0 = trap_last.count, v = 0;
    __asm__ volatile("movl $1f, trap_resume\n\tmovl (%1), %0\n1:" : "+r"(v) : "r"(va) : "memory");
    return trap_last.count - c0;
}

static uint32_t write_fault(uint64_t va, uint32_t v)
{
    uint32_t c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tmovl %1, (%0)\n1:" : : "r"(va), "r"(v) : "memory");
    return trap_last.count - c0;
}

static uint32_t jump_fault(uint64_t va)
{
    uint32_t c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tjmp *%0\n1:" : : "r"(va) : "memory");
    return trap_last.count - c0;
}

/* Reserved-bit faults: the SDM sets P with RSVD; QEMU leaves P clear. The
 * P bit of those is masked so both print the same line. */
static void report(const char *name, uint32_t n, uint32_t vec, uint32_t want_err, uint64_t want_cr2)
{
    uint32_t err = trap_last.error;
    if (err & 8)
        err &= ~1u;
    uint64_t cr2 = read_cr(2);
    printf("%s: n=%u vec=%u err=%x cr2=%llx\n", name, n, trap_last.vector, err,
           (unsigned long long)cr2);
    char buf[64];
    snprintf(buf, sizeof(buf), "%s.err", name);
    check(buf, n << 16 | trap_last.vector << 8 | err, 1 << 16 | vec << 8 | want_err);
    if (vec == 14) {
        snprintf(buf, sizeof(buf), "%s.cr2", name);
        check(buf, cr2 == want_cr2, 1);
    }
}

int main(void)
{
    for (unsigned j = 0; j < 512; j++)
        pt4k[j] = (VA_X + ((uint64_t)j << 12)) | PG_P | PG_RW | PG_US;
    pt_pd[VA_X >> 21] = (uint64_t)pt4k | PG_P | PG_RW | PG_US;
    *p32(PA_A) = 0xaaaa0001;
    *p32(PA_B) = 0xbbbb0002;
    flush_tlb();
    check("pt4k_identity", *p32(VA_X + 0x10000) == *p32(VA_X + 0x10000), 1);

    volatile uint64_t *pte = ent(pt4k, 0);
    *pte = PA_A | PG_P | PG_RW;
    invlpg64(VA_X);
    check("alias_read", *p32(VA_X), 0xaaaa0001);
    check("pte_accessed", (uint32_t)(*pte & (PG_A | PG_D)), (uint32_t)PG_A);
    *p32(VA_X + 4) = 0x5555;
    check("pte_dirty", (uint32_t)(*pte & (PG_A | PG_D)), (uint32_t)(PG_A | PG_D));
    check("pde_accessed", (uint32_t)(*ent(pt_pd, VA_X >> 21) & PG_A), (uint32_t)PG_A);
    check("pdpte_accessed", (uint32_t)(*ent(pt_pdpt, 0) & PG_A), (uint32_t)PG_A);
    check("pml4e_accessed", (uint32_t)(*ent(pt_pml4, 0) & PG_A), (uint32_t)PG_A);
    *pte = PA_B | PG_P | PG_RW;
    invlpg64(VA_X);
    check("invlpg_remap", *p32(VA_X), 0xbbbb0002);

    /* not present, read-only */
    *pte = PA_A | PG_RW;
    invlpg64(VA_X);
    report("np_read", read_fault(VA_X + 0x10), 14, 0, VA_X + 0x10);
    report("np_write", write_fault(VA_X + 0x20, 1), 14, 2, VA_X + 0x20);
    report("np_fetch", jump_fault(VA_X + 0x30), 14, 0, VA_X + 0x30);
    *pte = PA_A | PG_P;
    invlpg64(VA_X);
    report("ro_write", write_fault(VA_X + 0x40, 1), 14, 3, VA_X + 0x40);

    /* XD without NXE is reserved */
    *pte = PA_A | PG_P | PG_RW | PG_NX;
    invlpg64(VA_X);
    report("xd_no_nxe", read_fault(VA_X + 0x50), 14, 8, VA_X + 0x50);
    /* a bit above the 40-bit MAXPHYADDR */
    *pte = PA_A | PG_P | PG_RW | (1ull << 45);
    invlpg64(VA_X);
    report("rsvd_phys", write_fault(VA_X + 0x60, 1), 14, 0xa, VA_X + 0x60);

    /* NX with EFER.NXE: data fine, fetch faults with I/D */
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    check("efer_nxe", (uint32_t)(rdmsr(MSR_EFER) & EFER_NXE), EFER_NXE);
    *pte = PA_A | PG_P | PG_RW | PG_NX;
    invlpg64(VA_X);
    check("nx_data_read", *p32(VA_X), 0xaaaa0001);
    report("nx_fetch", jump_fault(VA_X + 0x70), 14, 0x11, VA_X + 0x70);
    *pte = PA_A | PG_RW;
    invlpg64(VA_X);
    report("np_fetch_nxe", jump_fault(VA_X + 0x80), 14, 0x10, VA_X + 0x80);
    /* NX at the PD level covers the 4 KiB pages below it */
    *pte = PA_A | PG_P | PG_RW;
    pt_pd[VA_X >> 21] |= PG_NX;
    flush_tlb();
    report("nx_pde_fetch", jump_fault(VA_X + 0x90), 14, 0x11, VA_X + 0x90);
    pt_pd[VA_X >> 21] &= ~PG_NX;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~(uint64_t)EFER_NXE);
    flush_tlb();

    /* a mapping above 4 GiB through PML4 slot 2 */
    for (unsigned j = 0; j < 512; j++)
        hi_pt[j] = 0;
    hi_pt[(VA_HIGH >> 12) & 511] = PA_A | PG_P | PG_RW;
    hi_pd[(VA_HIGH >> 21) & 511] = (uint64_t)hi_pt | PG_P | PG_RW;
    hi_pdpt[(VA_HIGH >> 30) & 511] = (uint64_t)hi_pd | PG_P | PG_RW;
    pt_pml4[(VA_HIGH >> 39) & 511] = (uint64_t)hi_pdpt | PG_P | PG_RW;
    flush_tlb();
    check("high_alias", *p32(VA_HIGH), 0xaaaa0001);
    report("high_np", read_fault(VA_HIGH + 0x1000), 14, 0, VA_HIGH + 0x1000);
    /* PS in a PML4E is reserved */
    pt_pml4[(VA_HIGH >> 39) & 511] |= PG_PS;
    flush_tlb();
    report("pml4_ps", read_fault(VA_HIGH), 14, 8, VA_HIGH);
    pt_pml4[(VA_HIGH >> 39) & 511] = 0;
    flush_tlb();
    report("pml4_np", read_fault(VA_HIGH), 14, 0, VA_HIGH);
    /* non-canonical: #GP(0), CR2 untouched */
    report("noncanonical", read_fault(0x0000800000001000ull), 13, 0, 0);
    report("noncanonical_high", write_fault(0xfff0000000000000ull, 1), 13, 0, 0);
    trap_resume = 0;

    *pte = PA_A | PG_P | PG_RW;
    invlpg64(VA_X);
    return check_failures ? 1 : 0;
}
