/*
 * Guest test: control registers, MSRs and CPUID (qemu32 model). LMSW
 * cannot clear PE; CLTS; DR0/DR6/DR7 read back with DR6/DR7's fixed bits; MTRRdefType, a variable-range pair, fixed-range
 * registers, PAT and MISC_ENABLE read back; CPUID vendor,
 * family/model, the brand string and the feature bits kasou implements.
 */
#include "lib.h"

static uint32_t rdmsr_probe(uint32_t idx, uint64_t *v)
{
    uint32_t c0 = trap_last.count, lo = 0, hi = 0;
    __asm__ volatile("movl $1f, trap_resume\n\trdmsr\n1:" : "+a"(lo), "+d"(hi) : "c"(idx) : "memory");
    *v = (uint64_t)hi << 32 | lo;
    return trap_last.count - c0 == 1 ? trap_last.vector : 0;
}

static uint32_t wrmsr_probe(uint32_t idx, uint64_t v)
{
    uint32_t c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\twrmsr\n1:"
                     : : "c"(idx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
    return trap_last.count - c0 == 1 ? trap_last.vector : 0;
}

static void msr_rw(const char *name, uint32_t idx, uint64_t v)
{
    uint64_t got = 0;
    uint32_t w = wrmsr_probe(idx, v), r = rdmsr_probe(idx, &got);
    printf("%s: wr=%u rd=%u %08x%08x\n", name, w, r, (uint32_t)(got >> 32), (uint32_t)got);
    check(name, w == 0 && r == 0 && got == v, 1);
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

int main(void)
{
    uint32_t cr0, cr4;
    __asm__ volatile("movl %%cr0, %0\n\tmovl %%cr4, %1" : "=r"(cr0), "=r"(cr4));
    /* (a reserved CR4 bit, CR0.PG without PE and CR0.NW without CD are #GP in
     * kasou as the SDM says; qemu-system-i386 loops, triple-faults or takes
     * them: not compared) */
    (void)cr4;
    uint32_t v;
    __asm__ volatile("lmsw %w1\n\tmovl %%cr0, %0" : "=r"(v) : "r"(0));
    check("lmsw_keeps_pe", v & 1, 1);
    __asm__ volatile("movl %0, %%cr0" : : "r"(cr0 | 8));   /* TS */
    __asm__ volatile("clts\n\tmovl %%cr0, %0" : "=r"(v));
    check("clts", v & 8, 0);

    /* debug registers: DR0-3 hold addresses, DR6/DR7 their fixed bits */
    uint32_t d0, d6, d7;
    __asm__ volatile("movl %3, %%dr0\n\tmovl %%dr0, %0\n\t"
                     "movl %4, %%dr6\n\tmovl %%dr6, %1\n\t"
                     "movl %5, %%dr7\n\tmovl %%dr7, %2"
                     : "=&r"(d0), "=&r"(d6), "=&r"(d7)
                     : "r"(0x12345678), "r"(0), "r"(0)
                     : "memory");
    printf("dr0=%08x dr6=%08x dr7=%08x\n", d0, d6, d7);
    check("dr0", d0, 0x12345678);
    check("dr6_fixed", d6, 0xffff0ff0);
    check("dr7_fixed", d7, 0x400);
    /* (DR7.GD raises #DB on the next MOV DRn in kasou; QEMU ignores GD: not
     * compared) */
    uint64_t m;
    /* (unknown MSRs are #GP in kasou; qemu-system-i386 reads 0 and ignores
     * writes: not compared) */
    /* (MTRRcap and the TSC MSR read 0 under qemu-system-i386: not compared) */
    uint32_t id[4];
    cpuid(1, id);
    if (id[3] & (1u << 12)) {
        msr_rw("mtrr_deftype", 0x2ff, 0xc06);
        msr_rw("mtrr_physbase0", 0x200, 0x00000006);
        msr_rw("mtrr_physmask0", 0x201, 0xff0000800ull);
        msr_rw("mtrr_fix64k", 0x250, 0x0606060606060606ull);
        msr_rw("mtrr_fix4k_f8000", 0x26f, 0x0505050505050505ull);
    } else {
        printf("no MTRRs advertised\n");
    }
    check("pat_reset", rdmsr_probe(0x277, &m) == 0 && m == 0x0007040600070406ull, 1);
    msr_rw("pat", 0x277, 0x0007010600070106ull);
    check("misc_enable_fast_strings", rdmsr_probe(0x1a0, &m) == 0 && (m & 1), 1);
    trap_resume = 0;

    uint32_t r[4];
    cpuid(0, r);
    char vendor[13];
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    printf("cpuid 0: max=%u vendor=%s\n", r[0], vendor);
    cpuid(1, r);
    printf("cpuid 1: version=%08x\n", r[0]);
    /* what kasou implements of QEMU's qemu32: PSE TSC MSR PAE CX8 SEP PGE CMOV PAT */
    uint32_t impl = 0x38 | 0x40 | 0x100 | 0x800 | 0x2000 | 0x8000 | 0x10000;
    printf("cpuid 1: edx&impl=%08x\n", r[3] & impl);
    check("cpuid1_implemented_bits", r[3] & impl, impl);
    cpuid(0x80000000u, r);
    printf("cpuid 80000000: max=%08x\n", r[0]);
    char brand[49];
    for (uint32_t i = 0; i < 3; i++) {
        cpuid(0x80000002u + i, r);
        memcpy(brand + 16 * i, r, 16);
    }
    brand[48] = 0;
    printf("brand: %s\n", brand);
    return check_failures ? 1 : 0;
}
