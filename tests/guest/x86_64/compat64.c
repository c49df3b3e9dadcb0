/*
 * Guest test (64-bit): compatibility mode. IRETQ to a 32-bit ring-3 code
 * segment under long mode; there 32-bit code runs (32-bit stack and
 * addresses), SYSCALL goes to CSTAR with RCX = the 32-bit return EIP, and
 * SYSRETL (no REX.W) returns to the 32-bit segment; INT through a DPL3
 * gate from compatibility mode reaches the 64-bit handler with the 32-bit
 * CS and SS in its frame; a far CALL from 64-bit ring-0 code to a 32-bit
 * code segment and a far RET back.
 */
#include "lib64.h"

#define GDT_N 16
#define VEC_RETURN 0x3f
#define VEC_PROBE 0x40
#define MSR_STAR 0xc0000081u
#define MSR_CSTAR 0xc0000083u
#define MSR_FMASK 0xc0000084u

static uint64_t big_gdt[GDT_N] __attribute__((aligned(16)));
struct tss64 tss __attribute__((aligned(64)));
static uint8_t user_stack[8192] __attribute__((aligned(16)));
uint64_t saved_rsp;
uint64_t sc_rcx, sc_cs, sc_count, pr_cs, pr_ss, pr_count, u_result, k32_cs, k32_result;
volatile uint32_t far32[2];

void user_enter(void (*fn)(void), uint64_t rsp);
void user_leave(void) __attribute__((noreturn));
void compat_user(void);
void cstar_entry(void);
void probe_handler(void);
void kernel32(void);
__asm__(".text\n"
        ".globl user_enter\nuser_enter:\n\t"
        "pushq %rbp\n\tpushq %rbx\n\tpushq %r12\n\tpushq %r13\n\tpushq %r14\n\tpushq %r15\n\t"
        "movq %rsp, saved_rsp\n\t"
        "movq %rsp, tss+4\n\t"
        "pushq $0x23\n\tpushq %rsi\n\tpushfq\n\tpushq $0x1b\n\tpushq %rdi\n\t"   /* 32-bit CS */
        "iretq\n"
        ".globl user_leave\nuser_leave:\n\t"
        "movq saved_rsp, %rsp\n\t"
        "movw $0x10, %ax\n\tmovw %ax, %ss\n\t"
        "popq %r15\n\tpopq %r14\n\tpopq %r13\n\tpopq %r12\n\tpopq %rbx\n\tpopq %rbp\n\tret\n"
        ".code32\n"
        ".globl compat_user\ncompat_user:\n\t"
        /* IRETQ to CPL3 nulled DS (DPL0): compatibility mode checks it */
        "movw %ss, %ax\n\tmovw %ax, %ds\n\t"
        "movl $20, %eax\n\t"
        "pushl %eax\n\tpopl %ebx\n\t"          /* a 32-bit stack */
        "syscall\n\t"                          /* EAX doubled by the kernel */
        "addl %ebx, %eax\n\t"
        "movl %eax, u_result\n\t"
        "int $0x40\n\t"
        "int $0x3f\n"
        ".globl kernel32\nkernel32:\n\t"
        "movw %cs, k32_cs\n\t"
        "movl $0x3232, k32_result\n\t"
        "lret\n"
        ".code64\n"
        ".globl cstar_entry\ncstar_entry:\n\t"
        "movq %rcx, sc_rcx\n\t"
        "movw %cs, sc_cs\n\t"
        "incq sc_count\n\t"
        "addl %eax, %eax\n\t"
        "sysretl\n"
        ".globl probe_handler\nprobe_handler:\n\t"
        "pushq %rax\n\t"
        "movq 16(%rsp), %rax\n\tmovq %rax, pr_cs\n\t"
        "movq 40(%rsp), %rax\n\tmovq %rax, pr_ss\n\t"
        "incq pr_count\n\t"
        "popq %rax\n\t"
        "iretq\n");

static int user_hook(struct trap_frame64 *f)
{
    if (f->vector == VEC_RETURN && (f->cs & 3) == 3)
        user_leave();
    return 0;
}

int main(void)
{
    tss.iomap = sizeof(tss);
    tss64_install(big_gdt, GDT_N, &tss, sizeof(tss));
    idt[VEC_RETURN * 2] |= (uint64_t)0x60 << 40;
    gate64_set(&idt[VEC_PROBE * 2], probe_handler, 0x08, 3, 0, 0xe);
    trap_hook64 = user_hook;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, (uint64_t)0x1b << 48 | (uint64_t)0x08 << 32);
    wrmsr(MSR_CSTAR, (uint64_t)cstar_entry);
    wrmsr(MSR_FMASK, 0);

    /* ring 0: far call into 32-bit code (0x30) and far return */
    far32[0] = (uint32_t)(uint64_t)kernel32;
    far32[1] = 0x30;
    __asm__ volatile("lcall *far32" : : : "memory");
    printf("kernel32: cs=%llx result=%llx\n", (unsigned long long)k32_cs,
           (unsigned long long)k32_result);
    check("kernel32.cs", (uint32_t)k32_cs, 0x30);
    check("kernel32.ran", (uint32_t)k32_result, 0x3232);

    user_enter(compat_user, (uint64_t)user_stack + sizeof(user_stack));
    printf("syscall: count=%llu cs=%llx rcx_high=%llx\n", (unsigned long long)sc_count,
           (unsigned long long)sc_cs, (unsigned long long)(sc_rcx >> 32));
    check("compat_syscall.count", (uint32_t)sc_count, 1);
    check("compat_syscall.cs", (uint32_t)sc_cs, 0x08);
    check("compat_syscall.rcx_32bit", (uint32_t)(sc_rcx >> 32), 0);
    check("compat_result", (uint32_t)u_result, 60);
    printf("int from compat: count=%llu cs=%llx ss=%llx\n", (unsigned long long)pr_count,
           (unsigned long long)pr_cs, (unsigned long long)pr_ss);
    check("compat_int.cs", (uint32_t)pr_cs, 0x1b);
    check("compat_int.ss", (uint32_t)pr_ss, 0x23);
    return check_failures ? 1 : 0;
}
