/* Alignment checks (Arm ARM B2.5, D5 "Alignment support"): which accesses
 * must be aligned and the data abort they raise (EC 0x25, DFSC 0b100001,
 * WnR, FAR = the address accessed).
 * - Always: exclusives (LDXR/STXR/LDAXR/STLXR/LDXP/STXP) and load-acquire/
 *   store-release (LDAR/STLR), to the size of the access.
 * - SCTLR_EL1.A = 1: every load and store to its element size (integer,
 *   pairs per register, FP/SIMD, structures per element).
 * - The alignment fault comes before a translation fault.
 * A store-exclusive to an unaligned address is left out: QEMU 7.2 fails
 * it without a fault when the monitor does not hold that address, where
 * the Arm ARM checks alignment first (alignsys.c has it).
 * Normal memory with SCTLR.A = 0 takes unaligned accesses. What QEMU 7.2
 * leaves out (Device memory) is in alignsys.c. */
#include "lib.h"

#define TEST_VA 0x80000000ull          /* level-1 entry 2: test pages */

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint8_t page[4096] __attribute__((aligned(4096)));

#define AF        (1ull << 10)
#define SH_INNER  (3ull << 8)
#define ATTR(i)   ((uint64_t)(i) << 2)
#define BLOCK     1ull
#define TABLE     3ull
#define PAGE      3ull

static int faults;
static uint64_t last_esr, last_far;

static void handler(ExcFrame *f, uint64_t vector)
{
    faults++;
    last_esr = f->esr;
    last_far = f->far;
    f->elr += 4;
}

static void report(const char *name, int before, uint64_t addr, uint64_t val)
{
    if (faults != before)
        printf_("%s: fault ESR %lx FAR %s%lx\n", name, last_esr, last_far >= addr ? "+" : "-",
                last_far >= addr ? last_far - addr : addr - last_far);
    else
        printf_("%s: ok %lx\n", name, val);
}

/* one access: %0 the value (in/out), %1 the address */
#define TRY(name, insn, addr) do {                                           \
        int before_ = faults;                                                \
        uint64_t a_ = (addr), v_ = 0x1122334455667788ull;                   \
        __asm__ volatile(insn : "+r"(v_) : "r"(a_) : "memory", "x9", "v0", "v1"); \
        report(name, before_, a_, v_);                                       \
    } while (0)

static void accesses(const char *mode, uint64_t b)
{
    printf_("-- %s --\n", mode);
    TRY("ldr x +0", "ldr %0, [%1]", b);
    TRY("ldr x +4", "ldr %0, [%1]", b + 4);
    TRY("ldr w +2", "ldr %w0, [%1]", b + 2);
    TRY("ldrh +1", "ldrh %w0, [%1]", b + 1);
    TRY("ldrh +2", "ldrh %w0, [%1]", b + 2);
    TRY("ldrb +3", "ldrb %w0, [%1]", b + 3);
    TRY("ldrsw +6", "ldrsw %0, [%1]", b + 6);
    TRY("ldur x +1", "ldur %0, [%1, #-1]", b + 2);
    TRY("str x +3", "str %0, [%1]", b + 3);
    TRY("str w +4", "str %w0, [%1]", b + 4);
    TRY("strh +5", "strh %w0, [%1]", b + 5);
    TRY("ldp x +4", "ldp %0, x9, [%1]", b + 4);
    TRY("ldp w +4", "ldp %w0, w9, [%1]", b + 4);
    TRY("ldp w +2", "ldp %w0, w9, [%1]", b + 2);
    TRY("stp x +8", "stp %0, %0, [%1]", b + 8);
    TRY("stp x +12", "stp %0, %0, [%1]", b + 12);
    TRY("ldr d +4", "ldr d0, [%1]\nfmov %0, d0", b + 4);
    TRY("ldr s +2", "ldr s0, [%1]\nfmov %w0, s0", b + 2);
    TRY("ldr q +8", "ldr q0, [%1]\nfmov %0, d0", b + 8);
    TRY("ldr q +4", "ldr q0, [%1]\nfmov %0, d0", b + 4);
    TRY("str q +8", "fmov d0, %0\nstr q0, [%1]", b + 8);
    TRY("ldp d +4", "ldp d0, d1, [%1]\nfmov %0, d1", b + 4);
    TRY("ld1 16b +1", "ld1 {v0.16b}, [%1]\nfmov %0, d0", b + 1);
    TRY("ld1 4s +2", "ld1 {v0.4s}, [%1]\nfmov %0, d0", b + 2);
    TRY("ld1 4s +4", "ld1 {v0.4s}, [%1]\nfmov %0, d0", b + 4);
    TRY("ld2 8h +1", "ld2 {v0.8h, v1.8h}, [%1]\nfmov %0, d1", b + 1);
    TRY("st1 2d +4", "st1 {v0.2d}, [%1]", b + 4);
    TRY("ld1r 4s +2", "ld1r {v0.4s}, [%1]\nfmov %0, d0", b + 2);
    TRY("ld1 s[1] +6", "ld1 {v0.s}[1], [%1]\nfmov %0, d0", b + 6);
    /* always checked */
    TRY("ldxr x +4", "ldxr %0, [%1]", b + 4);
    TRY("ldxr w +2", "ldxr %w0, [%1]", b + 2);
    TRY("ldxrh +1", "ldxrh %w0, [%1]", b + 1);
    TRY("ldxrb +1", "ldxrb %w0, [%1]\nclrex", b + 1);
    TRY("ldaxr x +8", "ldaxr %0, [%1]\nclrex", b + 8);
    TRY("ldxp x +8", "ldxp %0, x9, [%1]", b + 8);
    TRY("ldxp w +4", "ldxp %w0, w9, [%1]", b + 4);
    TRY("ldxp x +16", "ldxp %0, x9, [%1]\nclrex", b + 16);
    TRY("ldar x +4", "ldar %0, [%1]", b + 4);
    TRY("ldarh +1", "ldarh %w0, [%1]", b + 1);
    TRY("stlr w +2", "stlr %w0, [%1]", b + 2);
    TRY("stlrb +3", "stlrb %w0, [%1]", b + 3);
    /* priority: alignment before translation */
    TRY("ldr x unmapped +4", "ldr %0, [%1]", TEST_VA + 0x2004);
    TRY("ldxr unmapped +4", "ldxr %0, [%1]", TEST_VA + 0x2004);
    TRY("ldr x unmapped +0", "ldr %0, [%1]", TEST_VA + 0x2000);
    /* crossing a page into an unmapped one */
    TRY("ldr x cross", "ldr %0, [%1]", TEST_VA + 0x1ffc);
}

static void el0_part(void);

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    for (int i = 0; i < 4096; i++)
        page[i] = (uint8_t)(i * 7 + 1);

    l1[0] = 0x00000000ull | ATTR(0) | AF | BLOCK;
    l1[1] = 0x40000000ull | ATTR(1) | AF | SH_INNER | BLOCK;
    l1[2] = (uint64_t)l2 | TABLE;
    l2[0] = (uint64_t)l3 | TABLE;
    l3[0] = (uint64_t)page | ATTR(1) | SH_INNER | PAGE | AF | (1ull << 6);   /* EL0 too */
    l3[1] = (uint64_t)page | ATTR(1) | SH_INNER | PAGE | AF | (1ull << 6);
    WRITE_SYSREG(mair_el1, 0xff00);
    uint64_t tcr = 25 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) | (2ull << 32);
    WRITE_SYSREG(tcr_el1, tcr);
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    __asm__ volatile("isb\ntlbi vmalle1\ndsb sy\nisb");
    uint64_t sctlr = (READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12)) & ~2ull;
    WRITE_SYSREG(sctlr_el1, sctlr);
    __asm__ volatile("isb");

    accesses("SCTLR.A 0", TEST_VA + 0x40);
    int f0 = faults;
    WRITE_SYSREG(sctlr_el1, sctlr | 2);
    __asm__ volatile("isb");
    accesses("SCTLR.A 1", TEST_VA + 0x40);
    el0_part();
    WRITE_SYSREG(sctlr_el1, sctlr);
    __asm__ volatile("isb");
    TRY("A back to 0: ldr x +4", "ldr %0, [%1]", TEST_VA + 0x44);
    printf_("faults %d then %d\n", f0, faults - f0);
    check("alignment faults with A=0", f0, 12);
    check("alignment faults with A=1", faults - f0, 34);
    exc_hook = 0;
    return 0;
}

/* EL0 with SCTLR.A = 1: EC 0x24 (from a lower EL); the SVC comes back. */
static uint64_t el0_esr;
static void el0_handler(ExcFrame *f, uint64_t vector)
{
    uint64_t ec = f->esr >> 26;
    if (ec == 0x15) {               /* SVC: back to EL1 after the eret */
        f->elr = f->x[19];
        f->spsr = 0x3c5;
        return;
    }
    el0_esr = f->esr;
    last_far = f->far;
    faults++;
    f->elr += 4;
}

__attribute__((naked)) static void el0_code(void)
{
    __asm__ volatile("ldr x1, [x20]\nsvc #0\n");
}

static void el0_part(void)
{
    exc_hook = el0_handler;
    __asm__ volatile(
        "adr x19, 2f\n"
        "mov x20, %1\n"
        "msr sp_el0, %2\n"
        "msr elr_el1, %0\n"
        "msr spsr_el1, xzr\n"
        "eret\n"
        "2:\n" :: "r"((uint64_t)el0_code), "r"(TEST_VA + 0x46), "r"(TEST_VA + 0x800)
        : "x0", "x1", "x19", "x20", "x30", "memory");
    exc_hook = handler;
    printf_("EL0 ldr x +6: ESR %lx FAR +%lx\n", el0_esr, last_far - TEST_VA);
}
