/*
 * 64-bit mode faults, host CPU against kasou: near branches to
 * non-canonical addresses (the #GP comes at the branch, before CALL
 * pushes or RET pops for good), CMPXCHG16B on a misaligned operand,
 * non-canonical data addresses. Each case records the vector, the error
 * code, the faulting RIP (relative to the instruction meant to fault) and
 * RSP (relative to before the case). Hosted (x86-64 Linux), a SIGSEGV
 * handler reads them from the signal context (REG_TRAPNO, REG_ERR); as a
 * guest, the runtime's trap hook reads the trap frame. Both then resume
 * after the case with RSP restored, and print the same
 * "form <case> 1 <hash>" lines as insn64.c (the case line itself with -v
 * or NATIVE_FULL).
 */
#ifdef NATIVE_HOSTED
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#else
#include "lib64.h"
#endif
#include <stdint.h>

uint64_t f_saved_rsp, f_resume, f_at;            /* set by each case before it faults */
static volatile uint64_t f_count, f_vector, f_error, f_rip, f_rsp;
static uint64_t f_buf[8] __attribute__((aligned(16)));

#define NONCANON "0x0000800000000000"
/* prologue: remember RSP, where to resume, where the fault should be */
#define CASE_START(name)                                                    \
    "movq %%rsp, f_saved_rsp(%%rip)\n\t"                                    \
    "leaq 9f(%%rip), %%rcx\n\tmovq %%rcx, f_resume(%%rip)\n\t"              \
    "leaq 8f(%%rip), %%rcx\n\tmovq %%rcx, f_at(%%rip)\n\t"
#define CASE_END "\n9:\n\tmovq f_saved_rsp(%%rip), %%rsp"

static void case_jmp(void)
{
    __asm__ volatile(CASE_START(jmp) "movabsq $" NONCANON ", %%rax\n8:\tjmp *%%rax" CASE_END
                     : : : "rax", "rcx", "memory");
}
static void case_call(void)
{
    __asm__ volatile(CASE_START(call) "movabsq $" NONCANON ", %%rax\n8:\tcall *%%rax" CASE_END
                     : : : "rax", "rcx", "memory");
}
static void case_call_mem(void)
{
    f_buf[0] = 0xffff7fffffffff00ull;
    __asm__ volatile(CASE_START(callm) "leaq f_buf(%%rip), %%rax\n8:\tcall *(%%rax)" CASE_END
                     : : : "rax", "rcx", "memory");
}
static void case_ret(void)
{
    __asm__ volatile(CASE_START(ret) "movabsq $" NONCANON ", %%rax\n\tpushq %%rax\n8:\tret" CASE_END
                     : : : "rax", "rcx", "memory");
}
static void case_ret_imm(void)
{
    __asm__ volatile(CASE_START(reti) "movabsq $0x8000000000000000, %%rax\n\tpushq %%rax\n8:\tret $16"
                     CASE_END : : : "rax", "rcx", "memory");
}
static void case_load(void)
{
    __asm__ volatile(CASE_START(load) "movabsq $" NONCANON ", %%rax\n8:\tmovq 8(%%rax), %%rcx" CASE_END
                     : : : "rax", "rcx", "memory");
}
static void case_store_high(void)
{
    __asm__ volatile(CASE_START(storeh) "movabsq $0xffff000000000000, %%rax\n8:\tmovl %%ecx, -4(%%rax)"
                     CASE_END : : : "rax", "rcx", "memory");
}
static void case_cmpxchg16b(void)
{
    __asm__ volatile(CASE_START(cx16) "leaq f_buf+8(%%rip), %%rdi\n\txorl %%eax, %%eax\n\t"
                     "xorl %%edx, %%edx\n8:\tlock cmpxchg16b (%%rdi)" CASE_END
                     : : : "rax", "rcx", "rdx", "rbx", "rdi", "memory");
}
static void case_cmpxchg16b_ok(void)
{
    f_buf[2] = 5;
    f_buf[3] = 6;
    __asm__ volatile(CASE_START(cx16ok) "leaq f_buf+16(%%rip), %%rdi\n\tmovl $5, %%eax\n\t"
                     "movl $6, %%edx\n\tmovl $7, %%ebx\n\tmovl $8, %%ecx\n8:\tlock cmpxchg16b (%%rdi)"
                     CASE_END : : : "rax", "rcx", "rdx", "rbx", "rdi", "memory");
}

typedef struct fcase { const char *name; void (*fn)(void); } fcase;
static const fcase cases[] = {
    { "gp_jmp_reg", case_jmp }, { "gp_call_reg", case_call }, { "gp_call_mem", case_call_mem },
    { "gp_ret", case_ret }, { "gp_ret_imm", case_ret_imm }, { "gp_load", case_load },
    { "gp_store_high", case_store_high }, { "gp_cmpxchg16b_misaligned", case_cmpxchg16b },
    { "cmpxchg16b_aligned", case_cmpxchg16b_ok }, { 0, 0 }
};

#ifdef NATIVE_HOSTED
static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    f_count++;
    f_vector = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
    f_error = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
    f_rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    f_rsp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)f_resume;
    uc->uc_mcontext.gregs[REG_RSP] = (greg_t)f_saved_rsp;
}
#else
static int on_trap(struct trap_frame64 *f)
{
    f_count++;
    f_vector = f->vector;
    f_error = f->error;
    f_rip = f->rip;
    f_rsp = f->rsp;
    f->rip = f_resume;
    f->rsp = f_saved_rsp;
    return 1;
}
#endif

static uint32_t fnv(uint32_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 16777619u;
    }
    return h;
}

static void run(int full)
{
    char line[200];
    for (const fcase *c = cases; c->name; c++) {
        f_count = f_vector = f_error = f_rip = f_rsp = 0;
        c->fn();
        if (f_count) {
            /* signed differences as sign and magnitude: the guest's printf has no %+ */
            int64_t dr = (int64_t)(f_rip - f_at), ds = (int64_t)(f_rsp - f_saved_rsp);
            snprintf(line, sizeof(line), "%s faults=%llu vector=%llu error=%llx rip=at%c%llu rsp=%c%llu",
                     c->name, (unsigned long long)f_count, (unsigned long long)f_vector,
                     (unsigned long long)f_error, dr < 0 ? '-' : '+',
                     (unsigned long long)(dr < 0 ? -dr : dr), ds < 0 ? '-' : '+',
                     (unsigned long long)(ds < 0 ? -ds : ds));
        } else {
            snprintf(line, sizeof(line), "%s no fault, memory %llx %llx", c->name,
                     (unsigned long long)f_buf[2], (unsigned long long)f_buf[3]);
        }
        if (full)
            printf("%s\n", line);
        printf("form %s 1 %08x\n", c->name, fnv(2166136261u, line));
    }
}

#ifdef NATIVE_HOSTED
int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
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
    trap_hook64 = on_trap;
    run(NATIVE_FULL);
    return 0;
}
#endif
