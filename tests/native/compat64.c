/*
 * Registers across compatibility mode, host CPU against kasou: 64-bit code
 * fills RAX..R15 with all-ones upper halves, far-calls (m16:32) a snippet
 * in a 32-bit code segment (hosted: Linux's __USER32_CS 0x23; guest: the
 * runtime's 0x30) that writes EAX..EDI with 32-bit, 16-bit and 8-bit
 * operations, and prints all 16 registers in full back in 64-bit mode.
 * The SDM calls the upper halves undefined after 32-bit code; real CPUs
 * zero-extend 32-bit writes there as in 64-bit mode (and keep R8-R15),
 * and this pins kasou to what the host does. Lines as insn64.c prints
 * them ("form <case> 1 <hash>", the case line with -v / NATIVE_FULL).
 */
#ifdef NATIVE_HOSTED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define CS32 0x23
#else
#include "lib64.h"
#define CS32 0x30
#endif
#include <stdint.h>

uint64_t c_regs[16], c_rsp;
uint64_t c_stack[512] __attribute__((aligned(16)));   /* below 4 GiB: 32-bit code pushes with ESP */
uint32_t c_far[2];   /* m16:32 far pointer to the 32-bit snippet */

/* the 32-bit snippets: called with EAX..EDI as 64-bit code left them */
__asm__(".text\n\t.code32\n"
        "c32_writes:\n\t"
        "movl $0x11111111, %eax\n\t"      /* 32-bit writes */
        "addl $1, %ecx\n\t"
        "movw $0x2222, %dx\n\t"           /* 16-bit: merges */
        "movb $0x33, %bl\n\t"             /* 8-bit: merges */
        "leal 4(%esi), %esi\n\t"
        "xchgl %edi, %edi\n\t"            /* a 32-bit write of itself */
        "lret\n"
        "c32_none:\n\t"
        "lret\n"
        "\t.code64\n");
extern char c32_writes[], c32_none[];

static void run_case(void *snippet)
{
    c_far[0] = (uint32_t)(uintptr_t)snippet;
    c_far[1] = CS32;
    __asm__ volatile(
        "pushq %%rbx\n\tpushq %%rbp\n\tpushq %%r12\n\tpushq %%r13\n\tpushq %%r14\n\tpushq %%r15\n\t"
        "movq $-1, %%rax\n\tmovq $-2, %%rcx\n\tmovq $-3, %%rdx\n\tmovq $-4, %%rbx\n\t"
        "movq $-6, %%rsi\n\tmovq $-7, %%rdi\n\tmovq $-8, %%r8\n\tmovq $-9, %%r9\n\t"
        "movq $-10, %%r10\n\tmovq $-11, %%r11\n\tmovq $-12, %%r12\n\tmovq $-13, %%r13\n\t"
        "movq $-14, %%r14\n\tmovq $-15, %%r15\n\tmovq $-5, %%rbp\n\t"
        "movq %%rsp, c_rsp(%%rip)\n\tleaq c_stack+4096(%%rip), %%rsp\n\t"
        "lcall *c_far(%%rip)\n\t"
        "movq c_rsp(%%rip), %%rsp\n\t"
        "movq %%rax, c_regs+0(%%rip)\n\tmovq %%rcx, c_regs+8(%%rip)\n\t"
        "movq %%rdx, c_regs+16(%%rip)\n\tmovq %%rbx, c_regs+24(%%rip)\n\t"
        "movq %%rbp, c_regs+40(%%rip)\n\tmovq %%rsi, c_regs+48(%%rip)\n\t"
        "movq %%rdi, c_regs+56(%%rip)\n\tmovq %%r8, c_regs+64(%%rip)\n\t"
        "movq %%r9, c_regs+72(%%rip)\n\tmovq %%r10, c_regs+80(%%rip)\n\t"
        "movq %%r11, c_regs+88(%%rip)\n\tmovq %%r12, c_regs+96(%%rip)\n\t"
        "movq %%r13, c_regs+104(%%rip)\n\tmovq %%r14, c_regs+112(%%rip)\n\t"
        "movq %%r15, c_regs+120(%%rip)\n\t"
        "popq %%r15\n\tpopq %%r14\n\tpopq %%r13\n\tpopq %%r12\n\tpopq %%rbp\n\tpopq %%rbx"
        : : : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "cc", "memory");
}

static uint32_t fnv(uint32_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 16777619u;
    }
    return h;
}

static void report(const char *name, int full)
{
    char line[600];
    int n = snprintf(line, sizeof(line), "%s", name);
    for (int i = 0; i < 16; i++)
        if (i != 4)   /* RSP: restored by the test */
            n += snprintf(line + n, sizeof(line) - (size_t)n, " %llx", (unsigned long long)c_regs[i]);
    if (full)
        printf("%s\n", line);
    printf("form %s 1 %08x\n", name, fnv(2166136261u, line));
}

static void run(int full)
{
    run_case(c32_writes);
    report("compat_writes", full);
    run_case(c32_none);
    report("compat_nothing", full);
}

#ifdef NATIVE_HOSTED
int main(int argc, char **argv)
{
    const char *e = getenv("NATIVE_FULL");
    run((argc > 1 && !strcmp(argv[1], "-v")) || (e && *e == '1'));
    return 0;
}
#else
#ifndef NATIVE_FULL
#define NATIVE_FULL 0
#endif
int main(void)
{
    run(NATIVE_FULL);
    return 0;
}
#endif
