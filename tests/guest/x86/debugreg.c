/*
 * Guest test: the debug registers (SDM vol. 3, ch. 18) in ring 0.
 * Execute breakpoints (DR0-3, local and global enables, addresses inside a
 * block, two registers on one address) are faults: the handler sees EIP at
 * the instruction and resumes with RF set in the saved EFLAGS (as a
 * debugger does), which lets that instruction run once.  Data breakpoints
 * (R/W 01 write, 11 read/write; LEN 1, 2, 4, 8) and I/O breakpoints (R/W 10
 * with CR4.DE) are traps taken after the accessing instruction.  Single-step (TF) counts the traps through a loop,
 * after MOV SS / POP SS (the shadow delays the trap one instruction) and
 * across INT n (the handler runs with TF clear).  DR6 reports B0-B3 and
 * BS, together when a data breakpoint and single-step meet.  DR7.GD is in
 * debuggd.c: QEMU 7.2, the reference here, does not implement it.
 * The handler writes 0 to DR6 after each #DB: the SDM lets a CPU leave old
 * B0-B3 bits set, so every DR6 printed here holds one exception's bits.
 */
#include "lib.h"

#define DR7_FIXED 0x400u
#define DR7_L(i) (1u << (2 * (i)))
#define DR7_G(i) (2u << (2 * (i)))
#define DR7_RW(i, rw) ((uint32_t)(rw) << (16 + 4 * (i)))
#define DR7_LEN(i, len) ((uint32_t)((len) == 1 ? 0 : (len) == 2 ? 1 : (len) == 8 ? 2 : 3) << (18 + 4 * (i)))
#define DR6_BS 0x4000u
#define EFL_TF 0x100u
#define EFL_RF 0x10000u

#define MAX_LOG 32
static volatile uint32_t db_count, db_set_rf, db_dr7, db_eflags;
static volatile uint32_t db_eip[MAX_LOG], db_dr6[MAX_LOG], db_ecx[MAX_LOG];
/* the watched bytes live alone in their own cache line */
static volatile uint8_t dbuf[64] __attribute__((aligned(64)));

#define SET_DR(n, v) __asm__ volatile("mov %0, %%dr" #n : : "r"((uint32_t)(v)) : "memory")
#define GET_DR(n, v) __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v) : : "memory")

static int db_hook(struct trap_frame *f)
{
    if (f->vector == 0x30)
        return 1;                 /* INT 0x30 under single-step: just return */
    if (f->vector != 1)
        return 0;
    uint32_t dr6, dr7, n = db_count++;
    db_eflags = f->eflags;
    GET_DR(6, dr6);
    GET_DR(7, dr7);
    if (n < MAX_LOG) {
        db_eip[n] = f->eip;
        db_dr6[n] = dr6;
        db_ecx[n] = f->ecx;
    }
    db_dr7 = dr7;
    SET_DR(6, 0);
    if (db_set_rf)
        f->eflags |= EFL_RF;
    return 1;
}

/* a short function with breakpoint targets inside it */
extern char bp_fn[], bp_fn_1[], bp_fn_mid[], bp_fn_mid1[];
__asm__(".text\n"
        "bp_fn:\n\tnop\n"
        "bp_fn_1:\n\tnop\n"
        "bp_fn_mid:\n\tnop\n"
        "bp_fn_mid1:\n\tnop\n\tret\n");

static void call_bp_fn(void)
{
    __asm__ volatile("call bp_fn" : : : "memory");
}

static void print_hits(const char *name, uint32_t c0, uint32_t base)
{
    uint32_t n = db_count - c0;
    printf("%s: hits=%u", name, n);
    for (uint32_t i = c0; i < db_count && i < MAX_LOG; i++)
        printf(" [eip=+%u dr6=%08x]", db_eip[i] - base, db_dr6[i]);
    printf("\n");
}

static void exec_breakpoints(void)
{
    uint32_t c0, base = (uint32_t)(uintptr_t)bp_fn;

    db_set_rf = 1;
    SET_DR(0, bp_fn);
    SET_DR(7, DR7_FIXED | DR7_L(0));
    db_count = c0 = 0;
    call_bp_fn();
    print_hits("exec_dr0_local", c0, base);
    check("exec_dr0_local.hits", db_count - c0, 1);
    check("exec_dr0_local.eip", db_eip[c0], base);
    check("exec_dr0_local.dr6", db_dr6[c0] & (0xf | DR6_BS), 1);

    /* RF lets the instruction run once; the next call hits again */
    db_count = c0 = 0;
    call_bp_fn();
    call_bp_fn();
    print_hits("exec_again", c0, base);
    check("exec_again.hits", db_count - c0, 2);

    /* a global enable, an address inside the block */
    SET_DR(1, bp_fn_mid);
    SET_DR(7, DR7_FIXED | DR7_G(1));
    db_count = c0 = 0;
    call_bp_fn();
    print_hits("exec_dr1_global_mid", c0, base);
    check("exec_dr1_global_mid.eip", db_eip[c0], (uint32_t)(uintptr_t)bp_fn_mid);
    check("exec_dr1_global_mid.dr6", db_dr6[c0] & 0xf, 2);

    /* all four on consecutive instructions: one #DB each, in order */
    SET_DR(0, bp_fn);
    SET_DR(1, bp_fn_1);
    SET_DR(2, bp_fn_mid);
    SET_DR(3, bp_fn_mid1);
    SET_DR(7, DR7_FIXED | DR7_L(0) | DR7_G(1) | DR7_L(2) | DR7_G(3));
    db_count = c0 = 0;
    call_bp_fn();
    print_hits("exec_four", c0, base);
    check("exec_four.hits", db_count - c0, 4);
    for (uint32_t i = 0; i < 4 && c0 + i < MAX_LOG; i++)
        check("exec_four.dr6", db_dr6[c0 + i] & 0xf, 1u << i);

    /* two registers on one address: one #DB reporting both */
    SET_DR(0, bp_fn_mid);
    SET_DR(2, bp_fn_mid);
    SET_DR(7, DR7_FIXED | DR7_L(0) | DR7_L(2));
    db_count = c0 = 0;
    call_bp_fn();
    print_hits("exec_two_on_one", c0, base);
    check("exec_two_on_one.dr6", db_dr6[c0] & 0xf, 5);

    /* disabled: addresses stay, nothing fires */
    SET_DR(7, DR7_FIXED);
    db_count = c0 = 0;
    call_bp_fn();
    print_hits("exec_disabled", c0, base);
    check("exec_disabled.hits", db_count - c0, 0);
    db_set_rf = 0;
}

/* One access at dbuf+off; returns the address after the instruction. */
enum { W1, W2, W4, R1, R4 };
static uint32_t access_at(int kind, uint32_t off)
{
    volatile uint8_t *p = dbuf + off;
    uint32_t after = 0, tmp = 0;
    switch (kind) {
    case W1: __asm__ volatile("movb $0x5a, (%2)\n1:\tmovl $1b, %0" : "=r"(after), "+r"(tmp) : "r"(p) : "memory"); break;
    case W2: __asm__ volatile("movw $0x5a5a, (%2)\n1:\tmovl $1b, %0" : "=r"(after), "+r"(tmp) : "r"(p) : "memory"); break;
    case W4: __asm__ volatile("movl $0x5a5a5a5a, (%2)\n1:\tmovl $1b, %0" : "=r"(after), "+r"(tmp) : "r"(p) : "memory"); break;
    case R1: __asm__ volatile("movzbl (%2), %1\n1:\tmovl $1b, %0" : "=r"(after), "+r"(tmp) : "r"(p) : "memory"); break;
    default: __asm__ volatile("movl (%2), %1\n1:\tmovl $1b, %0" : "=r"(after), "+r"(tmp) : "r"(p) : "memory"); break;
    }
    return after;
}

static void data_breakpoints(void)
{
    static const unsigned lens[4] = { 1, 2, 4, 8 };
    static const char *const kind_names[] = { "w1", "w2", "w4", "r1", "r4" };
    /* (kind, offset from the watched address dbuf+16) */
    static const struct { int kind; int off; } cases[] = {
        { W1, 0 }, { W1, -1 }, { W1, 1 }, { W1, 3 }, { W1, 7 }, { W1, 8 },
        { W2, -1 }, { W4, -2 }, { W4, 4 }, { W4, -4 }, { R1, 0 }, { R4, 4 }, { R1, 8 },
    };
    for (unsigned rwi = 0; rwi < 2; rwi++) {
        unsigned rw = rwi ? 3 : 1;
        for (unsigned li = 0; li < 4; li++) {
            unsigned len = lens[li];
            uint32_t bad = 0;
            char name[32];
            SET_DR(2, dbuf + 16);
            SET_DR(7, DR7_FIXED | DR7_G(2) | DR7_RW(2, rw) | DR7_LEN(2, len));
            printf("data %s len=%u:", rw == 1 ? "write" : "rw", len);
            for (unsigned c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
                int kind = cases[c].kind, off = cases[c].off;
                int size = kind == W1 || kind == R1 ? 1 : kind == W2 ? 2 : 4;
                int is_write = kind <= W4;
                db_count = 0;
                uint32_t after = access_at(kind, (uint32_t)(16 + off));
                uint32_t hits = db_count;
                uint32_t want = off < (int)len && off + size > 0 && (is_write || rw == 3);
                printf(" %s@%d=%u", kind_names[kind], off, hits);
                if (hits)
                    printf("/%x", db_dr6[0] & (0xf | DR6_BS));
                /* a trap: EIP after the accessing insn, DR6.B2 */
                if (hits != want || (hits && (db_eip[0] != after || (db_dr6[0] & 0xf) != 4)))
                    bad |= 1u << c;
            }
            printf("\n");
            snprintf(name, sizeof(name), "data_%s_len%u", rw == 1 ? "w" : "rw", len);
            check(name, bad, 0);
        }
    }
    SET_DR(7, DR7_FIXED);
}

/* REP STOSB across a 4-byte write breakpoint: a trap after each iteration
 * that hits, EIP at the REP while iterations remain (ECX counts them) */
static void data_rep(void)
{
    uint32_t at, ecx = 24;
    volatile uint8_t *p = dbuf + 8;
    SET_DR(2, dbuf + 16);
    SET_DR(7, DR7_FIXED | DR7_G(2) | DR7_RW(2, 1) | DR7_LEN(2, 4));
    db_count = 0;
    __asm__ volatile("movl $1f, %0\n\tcld\n1:\trep stosb"
                     : "=&r"(at), "+c"(ecx), "+D"(p) : "a"(0x77) : "memory", "cc");
    SET_DR(7, DR7_FIXED);
    printf("data_rep: hits=%u", db_count);
    for (uint32_t i = 0; i < db_count && i < MAX_LOG; i++)
        printf(" [ecx=%u eip=%s dr6=%x]", db_ecx[i], db_eip[i] == at ? "rep" : "other", db_dr6[i] & 0xf);
    printf("\n");
    check("data_rep.hits", db_count, 4);
    check("data_rep.stored", dbuf[31] == 0x77 && dbuf[8] == 0x77 && dbuf[32] != 0x77, 1);
}

/* I/O breakpoints (R/W 10 with CR4.DE): traps after IN/OUT of a port in
 * the range.  UART ports: SCR (0x3ff) is scratch, LSR (0x3fd) reads
 * harmlessly; nothing is printed while they are armed (printf polls LSR). */
static void io_breakpoints(void)
{
    uint32_t cr4, r[4], e[4];
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 8));
    SET_DR(0, 0x3ff);
    SET_DR(1, 0x3fc);
    SET_DR(7, DR7_FIXED | DR7_L(0) | DR7_RW(0, 2) | DR7_LEN(0, 1));
    db_count = 0;
    __asm__ volatile("movb $0x5a, %%al\n\toutb %%al, %%dx\n1:\tmovl $1b, %0" : "=r"(e[0]) : "d"(0x3ff) : "eax");
    r[0] = db_count;
    __asm__ volatile("inb %%dx, %%al\n1:\tmovl $1b, %0" : "=r"(e[1]) : "d"(0x3ff) : "eax");
    r[1] = db_count;
    __asm__ volatile("inb %%dx, %%al" : : "d"(0x3fd) : "eax");
    r[2] = db_count;
    SET_DR(7, DR7_FIXED | DR7_G(1) | DR7_RW(1, 2) | DR7_LEN(1, 4));
    __asm__ volatile("inb %%dx, %%al" : : "d"(0x3fd) : "eax");
    r[3] = db_count;
    e[2] = db_dr6[2];
    SET_DR(7, DR7_FIXED);
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
    printf("io: out_3ff=%u in_3ff=%u in_3fd=%u in_3fd_len4=%u dr6=%x,%x,%x\n", r[0], r[1] - r[0],
           r[2] - r[1], r[3] - r[2], db_dr6[0] & 0xf, db_dr6[1] & 0xf, e[2] & 0xf);
    check("io.hits", r[0] == 1 && r[1] == 2 && r[2] == 2 && r[3] == 3, 1);
    check("io.eip_after", db_eip[0] == e[0] && db_eip[1] == e[1], 1);
    check("io.dr6", (db_dr6[0] & 0xf) == 1 && (e[2] & 0xf) == 2, 1);
}

static void single_step(void)
{
    uint32_t c0, l[4];

    /* POPF that sets TF: no trap after it; MOV, 5 x (DEC, JNZ), PUSHF, AND
     * and the POPF that clears TF: one trap each */
    db_count = c0 = 0;
    __asm__ volatile("pushf\n\torl $0x100, (%%esp)\n\tpopf\n\t"
                     "movl $5, %%ecx\n"
                     "1:\tdecl %%ecx\n\tjnz 1b\n\t"
                     "pushf\n\tandl $~0x100, (%%esp)\n\tpopf"
                     : : : "ecx", "cc", "memory");
    printf("step_loop: traps=%u dr6=%08x\n", db_count - c0, db_dr6[c0]);
    check("step_loop.traps", db_count - c0, 14);
    check("step_loop.dr6", db_dr6[c0] & (0xf | DR6_BS), DR6_BS);

    /* MOV SS: the trap comes after the next instruction */
    db_count = c0 = 0;
    __asm__ volatile("movw %%ss, %%ax\n\t"
                     "pushf\n\torl $0x100, (%%esp)\n\tpopf\n"
                     "2:\tmovw %%ax, %%ss\n"
                     "3:\tnop\n"
                     "4:\tnop\n"
                     "5:\tpushf\n\tandl $~0x100, (%%esp)\n\tpopf\n\t"
                     "movl $2b, %0\n\tmovl $3b, %1\n\tmovl $4b, %2\n\tmovl $5b, %3"
                     : "=m"(l[0]), "=m"(l[1]), "=m"(l[2]), "=m"(l[3]) : : "eax", "cc", "memory");
    printf("step_mov_ss: traps=%u first=+%u second=+%u\n", db_count - c0,
           db_eip[c0] - l[0], db_eip[c0 + 1] - l[0]);
    check("step_mov_ss.first", db_eip[c0], l[2]);
    check("step_mov_ss.second", db_eip[c0 + 1], l[3]);

    /* POP SS likewise */
    db_count = c0 = 0;
    __asm__ volatile("pushl %%ss\n\t"
                     "pushf\n\torl $0x100, (%%esp)\n\tpopf\n"
                     "2:\tpopl %%ss\n"
                     "3:\tnop\n"
                     "4:\tpushf\n\tandl $~0x100, (%%esp)\n\tpopf\n\t"
                     "movl $3b, %0\n\tmovl $4b, %1"
                     : "=m"(l[0]), "=m"(l[1]) : : "cc", "memory");
    printf("step_pop_ss: traps=%u first=+%u\n", db_count - c0, db_eip[c0] - l[0]);
    check("step_pop_ss.first", db_eip[c0], l[1]);

    /* INT n: the handler runs with TF clear, no trap after INT or IRET */
    db_count = c0 = 0;
    __asm__ volatile("pushf\n\torl $0x100, (%%esp)\n\tpopf\n\t"
                     "int $0x30\n"
                     "2:\tnop\n"
                     "3:\tpushf\n\tandl $~0x100, (%%esp)\n\tpopf\n\t"
                     "movl $2b, %0\n\tmovl $3b, %1"
                     : "=m"(l[0]), "=m"(l[1]) : : "cc", "memory");
    printf("step_int: traps=%u first=+%u\n", db_count - c0, db_eip[c0] - l[0]);
    check("step_int.traps", db_count - c0, 4);
    check("step_int.first", db_eip[c0], l[1]);
}

/* A data breakpoint and a single-step trap on one instruction: one #DB,
 * DR6 holds both BS and the B bit. */
static void step_and_data(void)
{
    uint32_t c0 = db_count = 0;
    SET_DR(1, dbuf + 32);
    SET_DR(7, DR7_FIXED | DR7_L(1) | DR7_RW(1, 1) | DR7_LEN(1, 4));
    __asm__ volatile("pushf\n\torl $0x100, (%%esp)\n\tpopf\n\t"
                     "movl $7, (%0)\n\t"
                     "pushf\n\tandl $~0x100, (%%esp)\n\tpopf"
                     : : "r"(dbuf + 32) : "cc", "memory");
    SET_DR(7, DR7_FIXED);
    /* QEMU 7.2 then takes a second #DB with DR6 clear (SDM: one): only
     * the first is printed; debuggd.c counts them under kasou */
    printf("step_and_data: first dr6=%08x\n", db_dr6[c0]);
    check("step_and_data.dr6", db_dr6[c0] & (0xf | DR6_BS), DR6_BS | 2);
}

/* RF in the EFLAGS image of an execute breakpoint's #DB is RF as it was
 * (0).  For other faults the SDM pushes RF = 1; QEMU 7.2 pushes 0, so that
 * is checked in debuggd.c. */
static void rf_pushed(void)
{
    db_set_rf = 1;
    SET_DR(0, bp_fn);
    SET_DR(7, DR7_FIXED | DR7_L(0));
    call_bp_fn();
    SET_DR(7, DR7_FIXED);
    db_set_rf = 0;
    printf("rf_pushed: exec_bp=%u\n", (db_eflags >> 16) & 1);
    check("rf_pushed.exec_bp", (db_eflags >> 16) & 1, 0);
}

int main(void)
{
    trap_hook = db_hook;
    SET_DR(6, 0);
    exec_breakpoints();
    data_breakpoints();
    data_rep();
    io_breakpoints();
    single_step();
    step_and_data();
    rf_pushed();
    trap_hook = 0;
    printf("%s\n", check_failures ? "FAIL debugreg" : "PASS debugreg");
    exit(0);
}
