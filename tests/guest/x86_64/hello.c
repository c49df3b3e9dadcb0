/*
 * Guest test (64-bit): the runtime reached long mode. Prints the mode
 * registers (CR0, CR4, EFER with LMA), 64-bit arithmetic and addresses
 * above 4 GiB in registers, a #GP from a non-canonical address, and the
 * MTRR MSRs, CR8.
 */
#include "lib64.h"

int main(void)
{
    uint64_t efer = rdmsr(MSR_EFER);
    printf("cr0 %llx cr4 %llx\n", (unsigned long long)read_cr(0), (unsigned long long)read_cr(4));
    printf("efer %llx\n", (unsigned long long)efer);
    check("efer_lma", (efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA), 1);
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    check("cs_selector", cs, 0x08);
    volatile uint64_t a = 0x123456789abcdef0ull, b = 0x0fedcba987654321ull;
    uint64_t sum = a + b;
    printf("sum %llx\n", (unsigned long long)sum);
    check("add64_high", (uint32_t)(sum >> 32), 0x22222222);
    /* a non-canonical address: #GP(0) */
    uint32_t c0 = trap_last.count;
    uint64_t v = 0;
    __asm__ volatile("movl $1f, trap_resume\n\tmovq (%1), %0\n1:"
                     : "+r"(v) : "r"(0x0000800000000000ull) : "memory");
    check("noncanonical_gp", trap_last.count - c0, 1);
    printf("trap vector %u error %x\n", trap_last.vector, trap_last.error);
    /* MTRRs (qemu64 advertises them): capabilities and a range pair */
    printf("mtrrcap %llx\n", (unsigned long long)rdmsr(0xfe));
    wrmsr(0x2ff, 0xc06);
    wrmsr(0x200, 0x6);
    wrmsr(0x201, 0xff0000800ull);
    check("mtrr_deftype", (uint32_t)rdmsr(0x2ff), 0xc06);
    check("mtrr_physmask0", rdmsr(0x201) == 0xff0000800ull, 1);
    /* CR8: the task priority (APIC TPR, or the CPU's own without an APIC) */
    uint64_t cr8 = 5;
    __asm__ volatile("mov %0, %%cr8\n\tmov %%cr8, %0" : "+r"(cr8));
    check("cr8", (uint32_t)cr8, 5);
    cr8 = 0;
    __asm__ volatile("mov %0, %%cr8" : : "r"(cr8));
    /* CLFLUSH is advertised (leaf 1 EDX bit 19, line size 8 qwords in EBX) and runs */
    uint32_t ea = 1, eb, ec, ed;
    __asm__ volatile("cpuid" : "+a"(ea), "=b"(eb), "=c"(ec), "=d"(ed));
    check("cpuid_clflush", (ed >> 19) & 1, 1);
    check("cpuid_clflush_size", (eb >> 8) & 0xff, 8);
    __asm__ volatile("clflush (%0)" : : "r"(&ea) : "memory");
    printf("PASS hello64\n");
    return 0;
}
