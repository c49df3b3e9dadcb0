/*
 * Guest test (64-bit): a double fault in long mode. #GP whose IDT gate is
 * not a valid gate raises #GP again while being delivered: #DF, through a
 * 64-bit interrupt gate with IST2. The handler sees error code 0, runs on
 * the IST2 stack (aligned to 16), restores the #GP gate and resumes after
 * the faulting instruction. Then INT3 with a non-canonical RSP: the frame
 * cannot be pushed, nor the resulting fault's: #DF again.
 */
#include "lib64.h"


static uint64_t big_gdt[16] __attribute__((aligned(16)));
struct tss64 tss __attribute__((aligned(64)));
static uint8_t ist2_stack[4096] __attribute__((aligned(16)));
uint64_t df_rsp, df_err, df_rip, df_count, df_resume, df_good_rsp, idt13[2];

void df_handler(void);
__asm__(".text\n"
        ".globl df_handler\ndf_handler:\n\t"
        "movq %rsp, df_rsp\n\t"
        "pushq %rax\n\t"
        "movq 8(%rsp), %rax\n\tmovq %rax, df_err\n\t"
        "movq 16(%rsp), %rax\n\tmovq %rax, df_rip\n\t"
        "movq df_resume, %rax\n\tmovq %rax, 16(%rsp)\n\t"   /* resume after the fault */
        "movq idt13, %rax\n\tmovq %rax, idt+13*16\n\t"     /* the #GP gate is back */
        "movq idt13+8, %rax\n\tmovq %rax, idt+13*16+8\n\t"
        "movq df_good_rsp, %rax\n\ttestq %rax, %rax\n\tjz 2f\n\t"
        "movq %rax, 40(%rsp)\n"                             /* a usable stack again */
        "2:\t"
        "incq df_count\n\t"
        "popq %rax\n\t"
        "addq $8, %rsp\n\t"                                /* the error code */
        "iretq\n");

int main(void)
{
    tss.ist[1] = (uint64_t)ist2_stack + sizeof(ist2_stack) - 8;   /* IST2, misaligned */
    tss.iomap = sizeof(tss);
    tss64_install(big_gdt, 16, &tss, sizeof(tss));
    uint64_t fn = (uint64_t)df_handler;
    idt[8 * 2] = (fn & 0xffff) | (uint64_t)0x08 << 16 | (uint64_t)2 << 32 | (uint64_t)0x8e << 40 |
                 ((fn >> 16) & 0xffff) << 48;
    idt[8 * 2 + 1] = fn >> 32;
    idt13[0] = idt[13 * 2];
    idt13[1] = idt[13 * 2 + 1];
    idt[13 * 2] &= ~(0x1full << 40);   /* type 0: not a gate, so #GP on delivery */

    /* a non-canonical access: #GP(0), then #GP on delivering it: #DF */
    __asm__ volatile("movq $1f, df_resume\n\t"
                     "movq (%0), %%rax\n"
                     "1:" : : "r"(0x0000800000000000ull) : "rax", "memory");
    printf("df: count=%llu err=%llx rsp_off=%llx\n", (unsigned long long)df_count,
           (unsigned long long)df_err,
           (unsigned long long)((uint64_t)ist2_stack + sizeof(ist2_stack) - df_rsp));
    check("df.count", (uint32_t)df_count, 1);
    check("df.err", (uint32_t)df_err, 0);
    check("df.ist2_rsp", (uint32_t)((uint64_t)ist2_stack + sizeof(ist2_stack) - df_rsp), 16 + 48);
    check("gp_gate_restored", (uint32_t)(idt[13 * 2] >> 40) & 0x1f, 0xe);

    /* INT3 with RSP non-canonical: the frame cannot be pushed (#SS in kasou,
     * #GP in QEMU), nor can that fault's: #DF on the IST2 stack */
    __asm__ volatile("movq %%rsp, df_good_rsp\n\t"
                     "movq $1f, df_resume\n\t"
                     "movq $0x0000800000000100, %%rsp\n\t"
                     "int3\n"
                     "1:" : : : "memory");
    df_good_rsp = 0;
    printf("df2: count=%llu err=%llx\n", (unsigned long long)df_count, (unsigned long long)df_err);
    check("df_stack.count", (uint32_t)df_count, 2);
    check("df_stack.err", (uint32_t)df_err, 0);
    return check_failures ? 1 : 0;
}
