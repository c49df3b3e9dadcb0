/*
 * Guest test: SYSENTER/SYSEXIT. The SYSENTER MSRs read back; from ring 3,
 * SYSENTER enters ring 0 at SYSENTER_EIP on SYSENTER_ESP with the flat
 * selectors SYSENTER_CS and +8 (IF cleared), and SYSEXIT returns to ring 3
 * at EDX with ESP = ECX and the selectors +16/+24 (RPL 3). SYSEXIT at CPL3
 * and SYSENTER with SYSENTER_CS = 0 raise #GP(0).
 */
#include "lib.h"
#include "user.h"

#define SEL_KCODE 0x48   /* SYSENTER_CS: 0x48 code, 0x50 data, 0x58 user code, 0x60 user data */
#define GDT_N 16

static uint64_t big_gdt[GDT_N] __attribute__((aligned(8)));
uint8_t kstack[4096] __attribute__((aligned(16)));

/* seen by the kernel entry */
uint32_t k_cs, k_ss, k_esp, k_eflags, k_eax, k_count;
/* seen back in ring 3 */
uint32_t u_cs, u_ss, u_esp_ok, u_eax;
static uint32_t gp_sysexit_vec, gp_sysexit_err;

void sysenter_entry(void);
__asm__(".text\n"
        ".globl sysenter_entry\nsysenter_entry:\n\t"
        "incl k_count\n\t"
        "movw %cs, k_cs\n\tmovw %ss, k_ss\n\tmovl %esp, k_esp\n\t"
        "pushfl\n\tpopl k_eflags\n\t"
        "movl %eax, k_eax\n\t"
        "addl %eax, %eax\n\t"
        "sysexit\n");

static void user_main(void)
{
    uint32_t eax = 21, esp0, esp1;
    __asm__ volatile("movl %%esp, %1\n\t"
                     "movl %%esp, %%ecx\n\t"
                     "movl $1f, %%edx\n\t"
                     "sysenter\n"
                     "1:\tmovl %%esp, %2"
                     : "+a"(eax), "=&r"(esp0), "=&r"(esp1) : : "ecx", "edx", "memory");
    u_eax = eax;
    u_esp_ok = esp0 == esp1;
    __asm__ volatile("movw %%cs, %0\n\tmovw %%ss, %1" : "=m"(u_cs), "=m"(u_ss));
    uint32_t c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tsysexit\n1:" : : : "memory");
    gp_sysexit_vec = trap_last.count - c0 == 1 ? trap_last.vector : 0xff;
    gp_sysexit_err = trap_last.error;
    __asm__ volatile("int $0x3f");
}

static inline void wrmsr(uint32_t idx, uint32_t lo)
{
    __asm__ volatile("wrmsr" : : "c"(idx), "a"(lo), "d"(0) : "memory");
}
static inline uint32_t rdmsr(uint32_t idx)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx));
    return lo;
}

int main(void)
{
    uint32_t eax = 1, ebx, ecx, edx;
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    check("cpuid_sep", (edx >> 11) & 1, 1);
    big_gdt[SEL_KCODE / 8] = 0x00cf9a000000ffffull;
    big_gdt[SEL_KCODE / 8 + 1] = 0x00cf92000000ffffull;
    big_gdt[SEL_KCODE / 8 + 2] = 0x00cffa000000ffffull;
    big_gdt[SEL_KCODE / 8 + 3] = 0x00cff2000000ffffull;
    ring3_setup(big_gdt, GDT_N);

    /* SYSENTER_CS = 0: #GP(0) */
    wrmsr(0x174, 0);
    uint32_t c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tsysenter\n1:" : : : "ecx", "edx", "memory");
    check("sysenter_cs0.vector", trap_last.count - c0 == 1 ? trap_last.vector : 0xff, 13);
    check("sysenter_cs0.error", trap_last.error, 0);

    wrmsr(0x174, SEL_KCODE);
    wrmsr(0x175, (uint32_t)kstack + sizeof(kstack));
    wrmsr(0x176, (uint32_t)sysenter_entry);
    check("msr_cs", rdmsr(0x174), SEL_KCODE);
    check("msr_esp", rdmsr(0x175), (uint32_t)kstack + sizeof(kstack));
    check("msr_eip", rdmsr(0x176), (uint32_t)sysenter_entry);

    ring3_call(user_main);
    printf("kernel: cs=%x ss=%x esp_ok=%u if=%u eax=%u\n", k_cs, k_ss,
           k_esp == (uint32_t)kstack + sizeof(kstack), (k_eflags >> 9) & 1, k_eax);
    printf("user: cs=%x ss=%x esp_ok=%u eax=%u\n", u_cs, u_ss, u_esp_ok, u_eax);
    check("k.count", k_count, 1);
    check("k.cs", k_cs, SEL_KCODE);
    check("k.ss", k_ss, SEL_KCODE + 8);
    check("k.esp", k_esp, (uint32_t)kstack + sizeof(kstack));
    check("k.if_clear", (k_eflags >> 9) & 1, 0);
    check("k.eax", k_eax, 21);
    check("u.cs", u_cs, (SEL_KCODE + 16) | 3);
    check("u.ss", u_ss, (SEL_KCODE + 24) | 3);
    check("u.esp", u_esp_ok, 1);
    check("u.eax", u_eax, 42);
    check("user_sysexit.vector", gp_sysexit_vec, 13);
    check("user_sysexit.error", gp_sysexit_err, 0);
    return check_failures ? 1 : 0;
}
