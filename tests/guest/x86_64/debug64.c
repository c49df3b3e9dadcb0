/*
 * Guest test (64-bit): the debug registers in long mode.  An execute
 * breakpoint (a fault, resumed with RF set by the handler), 8-byte data
 * breakpoints hit by 8-byte accesses (traps: RIP after the instruction),
 * REP STOSQ across a write breakpoint (a trap after each iteration that
 * hits, RIP at the REP while RCX counts on), single-step through a loop,
 * and DR6 with BS and a data hit together.  DR6 is written 0 after each
 * #DB, so each value printed is one exception's.  (QEMU 7.2 reports a
 * stale B0 for an unaligned 8-byte write into DR3's quadword, so no
 * unaligned access is printed here.)
 */
#include "lib64.h"

#define MAX_LOG 16
static volatile uint64_t db_count;
static volatile uint64_t db_rip[MAX_LOG], db_dr6[MAX_LOG], db_rcx[MAX_LOG];
static volatile uint64_t qbuf[8] __attribute__((aligned(64)));

#define SET_DR(n, v) __asm__ volatile("mov %0, %%dr" #n : : "r"((uint64_t)(v)) : "memory")
#define GET_DR(n, v) __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v) : : "memory")

static int db_hook(struct trap_frame64 *f)
{
    if (f->vector != 1)
        return 0;
    uint64_t dr6, n = db_count++;
    GET_DR(6, dr6);
    if (n < MAX_LOG) {
        db_rip[n] = f->rip;
        db_dr6[n] = dr6;
        db_rcx[n] = f->rcx;
    }
    SET_DR(6, 0);
    f->rflags |= 0x10000;   /* RF: an execute breakpoint's insn runs once */
    return 1;
}

extern char bp64_fn[], bp64_mid[];
__asm__(".text\nbp64_fn:\n\tnop\nbp64_mid:\n\tmovq $1, %rax\n\tret\n");

int main(void)
{
    uint64_t at;
    trap_hook64 = db_hook;
    SET_DR(6, 0);

    /* execute: DR1 (G1) inside the function */
    SET_DR(1, bp64_mid);
    SET_DR(7, 0x400 | 0x8);
    db_count = 0;
    __asm__ volatile("call bp64_fn" : : : "rax", "memory");
    __asm__ volatile("call bp64_fn" : : : "rax", "memory");
    SET_DR(7, 0x400);
    printf("exec64: hits=%llu rip=+%llu dr6=%llx\n", (unsigned long long)db_count,
           (unsigned long long)(db_rip[0] - (uint64_t)bp64_fn), (unsigned long long)db_dr6[0]);
    check("exec64.hits", (uint32_t)db_count, 2);
    check("exec64.rip", db_rip[0] == (uint64_t)bp64_mid, 1);
    check("exec64.dr6", (uint32_t)db_dr6[0] & 0x400f, 2);

    /* data: DR0 write, DR3 read/write, LEN 8 each */
    SET_DR(0, &qbuf[2]);
    SET_DR(3, &qbuf[4]);
    SET_DR(7, 0x400 | 0x1 | 0x40 | (1u << 16) | (2u << 18) | (3u << 28) | (2u << 30));
    static const struct { int write; int idx; int off; } cases[] = {
        { 1, 2, 0 }, { 1, 1, 4 }, { 1, 3, 0 }, { 0, 2, 0 }, { 0, 4, 0 }, { 0, 3, 4 }, { 1, 4, 0 }, { 0, 5, 0 },
    };
    printf("data64:");
    uint32_t bad = 0;
    for (unsigned c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        volatile uint8_t *p = (volatile uint8_t *)&qbuf[cases[c].idx] + cases[c].off;
        uint64_t v = 0x1122334455667788ull, after;
        db_count = 0;
        if (cases[c].write)
            __asm__ volatile("movq %2, (%1)\n1:\tleaq 1b(%%rip), %0" : "=r"(after) : "r"(p), "r"(v) : "memory");
        else
            __asm__ volatile("movq (%1), %2\n1:\tleaq 1b(%%rip), %0" : "=r"(after), "+r"(p), "=r"(v) : : "memory");
        printf(" %c%d+%d=%llu", cases[c].write ? 'w' : 'r', cases[c].idx, cases[c].off,
               (unsigned long long)db_count);
        if (db_count) {
            printf("/%llx", (unsigned long long)(db_dr6[0] & 0x400f));
            if (db_rip[0] != after)
                bad |= 1u << c;
        }
    }
    printf("\n");
    check("data64.rip_after", bad, 0);
    SET_DR(7, 0x400);

    /* REP STOSQ over qbuf[0..7] with a write breakpoint on qbuf[5] */
    SET_DR(2, &qbuf[5]);
    SET_DR(7, 0x400 | 0x20 | (1u << 24) | (2u << 26));
    db_count = 0;
    uint64_t rcx = 8;
    volatile uint64_t *dst = qbuf;
    __asm__ volatile("leaq 1f(%%rip), %0\n\tcld\n1:\trep stosq"
                     : "=&r"(at), "+c"(rcx), "+D"(dst) : "a"(0x77ull) : "memory", "cc");
    SET_DR(7, 0x400);
    printf("rep64: hits=%llu rcx=%llu at_rep=%d dr6=%llx\n", (unsigned long long)db_count,
           (unsigned long long)db_rcx[0], db_rip[0] == at, (unsigned long long)(db_dr6[0] & 0x400f));
    check("rep64.hits", (uint32_t)db_count, 1);

    /* single-step: MOV, 4 x (DEC, JNZ), PUSHF, AND, POPF */
    db_count = 0;
    __asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t"
                     "movl $4, %%ecx\n"
                     "1:\tdecl %%ecx\n\tjnz 1b\n\t"
                     "pushfq\n\tandq $~0x100, (%%rsp)\n\tpopfq"
                     : : : "rcx", "cc", "memory");
    printf("step64: traps=%llu dr6=%llx\n", (unsigned long long)db_count, (unsigned long long)db_dr6[0]);
    check("step64.traps", (uint32_t)db_count, 12);

    /* single-step and a data write on one insn: the first #DB has both */
    SET_DR(0, &qbuf[6]);
    SET_DR(7, 0x400 | 0x1 | (1u << 16) | (2u << 18));
    db_count = 0;
    __asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t"
                     "movq $5, (%0)\n\t"
                     "pushfq\n\tandq $~0x100, (%%rsp)\n\tpopfq"
                     : : "r"(&qbuf[6]) : "cc", "memory");
    SET_DR(7, 0x400);
    printf("step_data64: first dr6=%llx\n", (unsigned long long)db_dr6[0]);
    check("step_data64.dr6", (uint32_t)db_dr6[0] & 0x400f, 0x4001);

    trap_hook64 = 0;
    printf("%s\n", check_failures ? "FAIL debug64" : "PASS debug64");
    return 0;
}
