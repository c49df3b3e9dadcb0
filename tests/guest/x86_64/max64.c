/*
 * Guest test (64-bit, -cpu max): what max adds to qemu64. 1 GiB pages
 * (CPUID PDPE1GB): an alias through a PDPTE with PS, its accessed and
 * dirty bits, reserved address bits 29:13 (RSVD); RDTSCP with TSC_AUX.
 */
#include "lib64.h"

#define PG_P  0x001ull
#define PG_RW 0x002ull
#define PG_A  0x020ull
#define PG_D  0x040ull
#define PG_PS 0x080ull
#define VA_1G 0x0000008000000000ull   /* PML4 slot 1 */
#define MSR_TSC_AUX 0xc0000103u

static uint64_t g_pdpt[512] __attribute__((aligned(4096)));

static uint32_t read_fault(uint64_t va)
{
    uint32_t c0 = trap_last.count, v = 0;
    __asm__ volatile("movl $1f, trap_resume\n\tmovl (%1), %0\n1:" : "+r"(v) : "r"(va) : "memory");
    return trap_last.count - c0;
}

int main(void)
{
    uint32_t r[4];
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0x80000001u));
    check("cpuid_pdpe1gb", (r[3] >> 26) & 1, 1);
    check("cpuid_rdtscp", (r[3] >> 27) & 1, 1);

    volatile uint32_t *target = (volatile uint32_t *)0x00600000ull;
    *target = 0x1a2b3c4d;
    volatile uint64_t *pdpte = (volatile uint64_t *)&g_pdpt[0];
    *pdpte = 0 | PG_PS | PG_P | PG_RW;            /* VA_1G -> physical 0, 1 GiB */
    pt_pml4[1] = (uint64_t)g_pdpt | PG_P | PG_RW;
    flush_tlb();
    check("1g_alias", *(volatile uint32_t *)(VA_1G + 0x00600000ull), 0x1a2b3c4d);
    check("1g_accessed", (uint32_t)(*pdpte & (PG_A | PG_D)), (uint32_t)PG_A);
    *(volatile uint32_t *)(VA_1G + 0x00600004ull) = 7;
    check("1g_dirty", (uint32_t)(*pdpte & PG_D), (uint32_t)PG_D);
    check("1g_write_visible", target[1], 7);
    *pdpte = 0 | PG_PS | PG_P | PG_RW | (1ull << 13);
    flush_tlb();
    uint32_t n = read_fault(VA_1G + 0x1000);
    uint32_t err = trap_last.error;
    if (err & 8)
        err &= ~1u;   /* the SDM sets P with RSVD, QEMU does not */
    printf("1g_rsvd: n=%u vec=%u err=%x\n", n, trap_last.vector, err);
    check("1g_rsvd", n << 16 | trap_last.vector << 8 | err, 1 << 16 | 14 << 8 | 8);
    trap_resume = 0;
    pt_pml4[1] = 0;
    flush_tlb();

    wrmsr(MSR_TSC_AUX, 0x5a5a);
    uint32_t lo, hi, aux;
    __asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
    check("rdtscp_aux", aux, 0x5a5a);
    check("tsc_aux_readback", (uint32_t)rdmsr(MSR_TSC_AUX), 0x5a5a);
    return check_failures ? 1 : 0;
}
