/* Alignment checks QEMU 7.2 leaves out, checked against the Arm ARM by the
 * program itself (kasou only; the expected values are the architecture's):
 * - Device memory (MAIR attribute 0b0000xxxx, any of nGnRnE/nGnRE/nGRE/
 *   GRE) takes an alignment fault on every unaligned data access, whatever
 *   SCTLR.A says; Normal memory next to it does not.
 * - A store-exclusive to an unaligned address faults even when the monitor
 *   does not hold it (AArch64.ExclusiveMonitorsPass checks alignment first).
 * Each fault: EC 0x25, DFSC 0b100001, WnR for stores, FAR = the address. */
#include "lib.h"

#define TEST_VA 0x80000000ull

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

/* want_fault: the ESR expected (0: no fault) */
#define TRY(name, insn, addr, want_esr) do {                                 \
        int before_ = faults;                                                \
        uint64_t a_ = (addr), v_ = 0x1122334455667788ull;                   \
        __asm__ volatile(insn : "+r"(v_) : "r"(a_) : "memory", "x9");       \
        bool f_ = faults != before_;                                         \
        printf_("%s: %s ESR %lx FAR +%lx\n", name, f_ ? "fault" : "ok",     \
                f_ ? last_esr : 0, f_ ? last_far - a_ : 0);                  \
        check(name, f_ ? last_esr : 0, want_esr);                            \
        if (f_)                                                              \
            check(name, last_far, a_);                                       \
    } while (0)

#define RD 0x96000021ull
#define WR 0x96000061ull

static void device_page(const char *attr, uint64_t b)
{
    printf_("-- %s --\n", attr);
    TRY("ldr x +0", "ldr %0, [%1]", b, 0);
    TRY("ldr x +4", "ldr %0, [%1]", b + 4, RD);
    TRY("ldr w +4", "ldr %w0, [%1]", b + 4, 0);
    TRY("ldr w +2", "ldr %w0, [%1]", b + 2, RD);
    TRY("ldrh +1", "ldrh %w0, [%1]", b + 1, RD);
    TRY("ldrb +1", "ldrb %w0, [%1]", b + 1, 0);
    TRY("str x +3", "str %0, [%1]", b + 3, WR);
    TRY("strh +2", "strh %w0, [%1]", b + 2, 0);
    TRY("stp w +2", "stp %w0, %w0, [%1]", b + 2, WR);
    TRY("ldp x +8", "ldp %0, x9, [%1]", b + 8, 0);
    TRY("ldr x cross", "ldr %0, [%1]", b + 0xffc, RD);
}

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;
    l1[0] = 0x00000000ull | ATTR(0) | AF | BLOCK;
    l1[1] = 0x40000000ull | ATTR(1) | AF | SH_INNER | BLOCK;
    l1[2] = (uint64_t)l2 | TABLE;
    l2[0] = (uint64_t)l3 | TABLE;
    /* the same RAM page as Device-nGnRnE, -nGnRE, -nGRE, -GRE, then Normal
     * (each followed by a normal one, for accesses crossing into it) */
    for (int i = 0; i < 4; i++) {
        l3[2 * i] = (uint64_t)page | ATTR(i + 2) | PAGE | AF;
        l3[2 * i + 1] = (uint64_t)page | ATTR(1) | SH_INNER | PAGE | AF;
    }
    l3[8] = (uint64_t)page | ATTR(1) | SH_INNER | PAGE | AF;
    /* attr0 nGnRnE, 1 normal WB, 2 nGnRnE, 3 nGnRE, 4 nGRE, 5 GRE */
    WRITE_SYSREG(mair_el1, 0x0c080400ff00ull);
    uint64_t tcr = 25 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) | (2ull << 32);
    WRITE_SYSREG(tcr_el1, tcr);
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    __asm__ volatile("isb\ntlbi vmalle1\ndsb sy\nisb");
    WRITE_SYSREG(sctlr_el1, (READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12)) & ~2ull);
    __asm__ volatile("isb");

    static const char *const names[] = { "Device-nGnRnE", "Device-nGnRE", "Device-nGRE", "Device-GRE" };
    for (int i = 0; i < 4; i++)
        device_page(names[i], TEST_VA + 0x2000ull * i);
    printf_("-- Normal --\n");
    TRY("ldr x +4", "ldr %0, [%1]", TEST_VA + 0x8004, 0);
    TRY("str x +3", "str %0, [%1]", TEST_VA + 0x8003, 0);
    /* the attribute is read at the walk: MAIR rewritten makes page 0 Normal */
    WRITE_SYSREG(mair_el1, 0x0c0804ffff00ull);
    __asm__ volatile("isb\ntlbi vmalle1\ndsb sy\nisb");
    TRY("MAIR attr2 now Normal: ldr x +4", "ldr %0, [%1]", TEST_VA + 4, 0);

    printf_("-- store-exclusive, monitor open --\n");
    TRY("stxr x +4", "clrex\nstxr w9, %0, [%1]", TEST_VA + 0x8044, WR);
    TRY("stlxr w +2", "clrex\nstlxr w9, %w0, [%1]", TEST_VA + 0x8042, WR);
    TRY("stxp x +8", "clrex\nstxp w9, %0, %0, [%1]", TEST_VA + 0x8048, WR);
    TRY("stxrh +1 after ldxrh +2", "add x9, %1, #1\nldxrh w9, [x9]\nstxrh w9, %w0, [%1]", TEST_VA + 0x8041, WR);
    printf_("faults %d\n", faults);
    check("faults taken", faults, 4 * 6 + 4);
    exc_hook = 0;
    return 0;
}
