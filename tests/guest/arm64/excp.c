/* Exceptions and syndromes: SVC, BRK, undefined instructions, HVC that is
 * not PSCI, alignment faults of exclusive and ordered accesses, a PC
 * alignment fault, and EL0 <-> EL1 round trips (SVC from EL0, privileged
 * and trapped accesses from EL0, DAIF from EL0). Each exception prints its
 * vector offset, ESR, ELR (relative to the faulting label) and FAR. */
#include "lib.h"

static uint64_t expect_base;    /* ELR is printed relative to this */
static int taken;

static void handler(ExcFrame *f, uint64_t vector)
{
    uint64_t ec = f->esr >> 26;
    uint64_t esr = f->esr;
    taken++;
    /* A trapped MSR DAIFSet/DAIFClr (EC 0x18, Op0 0, CRn 4): QEMU 7.2
     * reports Op1 and Op2 exchanged (the Arm ARM puts Op2 at ISS[19:17],
     * Op1 at ISS[16:14], as kasou does), so both are left out here. */
    if (ec == 0x18 && ((esr >> 20) & 3) == 0 && ((esr >> 10) & 15) == 4)
        esr &= ~(0x3full << 14);
    printf_("exception %d: vector %x ESR %lx ELR %lx SPSR %lx", taken, (unsigned)vector, esr,
            f->elr - expect_base, f->spsr);
    if (ec == 0x24 || ec == 0x25 || ec == 0x22 || ec == 0x20 || ec == 0x21)
        printf_(" FAR %lx", f->far - expect_base);
    printf_("\n");
    if (ec == 0x15 && (f->esr & 0xffff) == 0x99) {
        /* the EL0 program's "return to EL1": resume at x0, EL1h */
        f->elr = f->x[0];
        f->spsr = 0x3c5;
        return;
    }
    if (ec == 0x22)
        f->elr = f->x[30];          /* PC alignment: resume at the link address */
    else if (ec != 0x15)
        f->elr += 4;                /* step over the faulting instruction */
}

#define AT_LABEL(name) ({ uint64_t a_; __asm__ volatile("adr %0, " name : "=r"(a_)); a_; })

static uint8_t data[64] __attribute__((aligned(16)));
static uint64_t user_stack[256] __attribute__((aligned(16)));

/* EL0 code: an SVC, a privileged read (UNDEFINED at EL0), CNTVCT with
 * EL0VCTEN clear and DAIF with UMA clear (both trapped, EC 0x18), DC ZVA
 * with DZE clear, then SVC #0x99 back to EL1 with the resume address in x0. */
__attribute__((naked)) static void el0_program(void)
{
    __asm__ volatile(
        "svc #0x21\n"
        "mrs x1, sctlr_el1\n"
        "mrs x2, cntvct_el0\n"
        "msr daifset, #2\n"
        "dc zva, x3\n"
        "mrs x4, tpidr_el0\n"
        "msr tpidr_el0, x4\n"
        "mov x0, x19\n"
        "svc #0x99\n"
        "b .\n");
}

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;

    expect_base = AT_LABEL("1f");
    __asm__ volatile("1: svc #0x42" ::: "memory");
    expect_base = AT_LABEL("1f");
    __asm__ volatile("1: brk #0x7" ::: "memory");
    expect_base = AT_LABEL("1f");
    __asm__ volatile("1: .word 0x00000000" ::: "memory");         /* UDF #0 */
    expect_base = AT_LABEL("1f");
    __asm__ volatile("1: .word 0xd503201f | (1 << 21)" ::: "memory");   /* L=1 hint space: unallocated */
    expect_base = AT_LABEL("1f");
    __asm__ volatile("mov x0, #0x1234\n1: hvc #0" ::: "x0", "memory");   /* not a PSCI function */
    expect_base = AT_LABEL("1f");
    __asm__ volatile("1: mrs x0, id_aa64pfr0_el1" ::: "x0");
    printf_("pfr0 read without exception, taken %d\n", taken);
    expect_base = AT_LABEL("1f");
    __asm__ volatile("1: msr spsel, #1" ::: "memory");
    printf_("CurrentEL %lx SPSel %lx DAIF %lx\n", READ_SYSREG(currentel), READ_SYSREG(spsel),
            READ_SYSREG(daif));
    /* breakpoint 0 and watchpoint 0 (ID_AA64DFR0 promises one of each, and
     * Linux resets them at boot), left disabled: they read back */
    WRITE_SYSREG(dbgbvr0_el1, 0x40001000ull);
    WRITE_SYSREG(dbgbcr0_el1, 0x1e0ull);
    WRITE_SYSREG(dbgwvr0_el1, 0x40002008ull);
    WRITE_SYSREG(dbgwcr0_el1, 0x1ff8ull);
    printf_("DBGBVR0 %lx DBGBCR0 %lx DBGWVR0 %lx DBGWCR0 %lx\n", READ_SYSREG(dbgbvr0_el1),
            READ_SYSREG(dbgbcr0_el1), READ_SYSREG(dbgwvr0_el1), READ_SYSREG(dbgwcr0_el1));

    /* alignment faults: exclusive and ordered accesses must be aligned */
    expect_base = (uint64_t)data;
    __asm__ volatile("ldxr x0, [%0]" :: "r"(data + 4) : "x0", "memory");
    __asm__ volatile("stlr w0, [%0]" :: "r"(data + 2) : "memory");
    __asm__ volatile("ldaxrh w0, [%0]" :: "r"(data + 1) : "x0", "memory");
    __asm__ volatile("ldxp x0, x1, [%0]" :: "r"(data + 8) : "x0", "x1", "memory");

    /* PC alignment: BR to an odd address */
    expect_base = 0;
    __asm__ volatile("adr x30, 1f\nadd x0, x30, #2\nbr x0\n1:" ::: "x0", "x30", "memory");

    /* EL0 round trip: ERET into el0_program on its own stack */
    expect_base = (uint64_t)el0_program;
    WRITE_SYSREG(sp_el0, (uint64_t)(user_stack + 256));
    __asm__ volatile(
        "adr x19, 2f\n"
        "msr elr_el1, %0\n"
        "msr spsr_el1, xzr\n"               /* EL0t, interrupts unmasked */
        "eret\n"
        "2:\n" :: "r"((uint64_t)el0_program) : "x0", "x1", "x2", "x3", "x4", "x19", "x30", "memory");
    printf_("back at EL1: CurrentEL %lx SPSel %lx DAIF %lx\n", READ_SYSREG(currentel),
            READ_SYSREG(spsel), READ_SYSREG(daif));
    printf_("ESR %lx ELR %lx SPSR %lx\n", READ_SYSREG(esr_el1), READ_SYSREG(elr_el1) - (uint64_t)el0_program,
            READ_SYSREG(spsr_el1));
    check("exceptions taken", taken, 15);
    exc_hook = 0;
    return 0;
}
