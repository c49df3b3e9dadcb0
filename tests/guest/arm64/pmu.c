/* The PMUv3 (ID_AA64DFR0_EL1.PMUVer 1): the PMCR_EL0 identification and
 * control bits, PMCEID0/1, enabling through PMCR.E and PMCNTENSET/CLR,
 * SW_INCR counting through PMSWINC (deterministic), event counters reached
 * directly and through PMSELR/PMXEVCNTR, overflow status (PMOVSSET/CLR) and
 * the overflow interrupt (PPI 7 = GIC 23) for an event counter preset near
 * overflow and for the cycle counter, and EL0 accesses trapping (EC 0x18)
 * while PMUSERENR_EL0 is 0. */
#include "lib.h"

#define GICD ((volatile uint32_t *)0x08000000)
#define GICC ((volatile uint32_t *)0x08010000)

static int irqs, traps;
static uint32_t last_iar;
static uint64_t ovs_in_handler;

static void handler(ExcFrame *f, uint64_t vector)
{
    if (vector == 0x280 || vector == 0x480) {
        uint32_t iar = GICC[0x0c / 4];
        last_iar = iar;
        irqs++;
        ovs_in_handler = READ_SYSREG(pmovsset_el0);
        WRITE_SYSREG(pmovsclr_el0, ovs_in_handler);    /* the line drops */
        if ((iar & 0x3ff) != 1023)
            GICC[0x10 / 4] = iar;
        return;
    }
    uint64_t ec = f->esr >> 26;
    if (ec == 0x15 && (f->esr & 0xffff) == 0x99) {       /* back to EL1 */
        f->elr = f->x[0];
        f->spsr = 0x3c5;
        return;
    }
    traps++;
    printf_("exception: vector %x ESR %lx\n", (unsigned)vector, f->esr);
    f->elr += 4;
}

static uint64_t user_stack[256] __attribute__((aligned(16)));

/* EL0: PMCR, PMCCNTR, PMSWINC and PMEVCNTR0 with PMUSERENR_EL0 as the
 * caller set it, then SVC #0x99 back to EL1 with the resume address in x0 */
__attribute__((naked)) static void el0_program(void)
{
    __asm__ volatile(
        "mrs x1, pmcr_el0\n"
        "mrs x2, pmccntr_el0\n"
        "msr pmswinc_el0, x3\n"
        "mrs x4, pmevcntr0_el0\n"
        "mov x0, x19\n"
        "svc #0x99\n"
        "b .\n");
}

static void run_el0(void)
{
    WRITE_SYSREG(sp_el0, (uint64_t)(user_stack + 256));
    __asm__ volatile(
        "adr x19, 2f\n"
        "msr elr_el1, %0\n"
        "mov x3, #1\n"
        "mov x1, #0x3c0\n"
        "msr spsr_el1, x1\n"               /* EL0t, interrupts masked */
        "eret\n"
        "2:\n" :: "r"((uint64_t)el0_program) : "x0", "x1", "x2", "x3", "x4", "x19", "x30", "memory");
}

static void swinc(uint64_t mask) { WRITE_SYSREG(pmswinc_el0, mask); }

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;
    uint64_t dfr0 = READ_SYSREG(id_aa64dfr0_el1);
    uint64_t pmcr = READ_SYSREG(pmcr_el0);
    printf_("ID_AA64DFR0 PMUVer %lx\n", (dfr0 >> 8) & 0xf);
    printf_("PMCR_EL0 %lx: IMP %lx IDCODE %lx N %lx\n", pmcr, pmcr >> 24, (pmcr >> 16) & 0xff,
            (pmcr >> 11) & 0x1f);
    printf_("PMCEID0 %lx PMCEID1 %lx\n", READ_SYSREG(pmceid0_el0), READ_SYSREG(pmceid1_el0));
    unsigned n = (pmcr >> 11) & 0x1f;

    /* P and C read as zero; E, D, X, DP, LC as written */
    WRITE_SYSREG(pmcr_el0, 0x7f);
    printf_("PMCR after writing 0x7f: %lx\n", READ_SYSREG(pmcr_el0) & 0xff);
    WRITE_SYSREG(pmcr_el0, 0x6);                  /* reset all counters, disable */
    WRITE_SYSREG(pmcntenset_el0, 0xffffffffull);
    printf_("PMCNTENSET all: %lx\n", READ_SYSREG(pmcntenset_el0));
    WRITE_SYSREG(pmcntenclr_el0, 0xffffffffull);
    WRITE_SYSREG(pmintenset_el1, 0x80000005);
    printf_("PMINTENSET %lx\n", READ_SYSREG(pmintenset_el1));
    WRITE_SYSREG(pmintenclr_el1, 0xffffffffull);
    printf_("PMINTENCLR %lx\n", READ_SYSREG(pmintenclr_el1));

    /* SW_INCR on counter 0 (direct) */
    WRITE_SYSREG(pmevtyper0_el0, 0x0);
    WRITE_SYSREG(pmevcntr0_el0, 0);
    WRITE_SYSREG(pmcntenset_el0, 1);
    swinc(1);
    printf_("E clear: PMEVCNTR0 %lx\n", READ_SYSREG(pmevcntr0_el0));
    WRITE_SYSREG(pmcr_el0, 1);
    swinc(1); swinc(1); swinc(3);
    printf_("E set: PMEVCNTR0 %lx\n", READ_SYSREG(pmevcntr0_el0));
    WRITE_SYSREG(pmcntenclr_el0, 1);
    swinc(1);
    printf_("disabled: PMEVCNTR0 %lx CNTENSET %lx\n", READ_SYSREG(pmevcntr0_el0), READ_SYSREG(pmcntenset_el0));
    WRITE_SYSREG(pmcr_el0, 1 | 2);                /* P: event counters to 0 */
    printf_("after P: PMEVCNTR0 %lx\n", READ_SYSREG(pmevcntr0_el0));

    /* counter n-1 through PMSELR/PMXEVTYPER/PMXEVCNTR, preset near overflow */
    unsigned c = n - 1;
    WRITE_SYSREG(pmselr_el0, c);
    WRITE_SYSREG(pmxevtyper_el0, 0x0);
    WRITE_SYSREG(pmxevcntr_el0, 0xfffffffeull);
    printf_("PMSELR %lx PMXEVTYPER %lx PMXEVCNTR %lx\n", READ_SYSREG(pmselr_el0), READ_SYSREG(pmxevtyper_el0),
            READ_SYSREG(pmxevcntr_el0));
    WRITE_SYSREG(pmcntenset_el0, 1ull << c);
    swinc(1ull << c);
    printf_("one increment: %lx PMOVSSET %lx\n", READ_SYSREG(pmxevcntr_el0), READ_SYSREG(pmovsset_el0));
    swinc(1ull << c);
    printf_("overflowed: %lx PMOVSSET %lx\n", READ_SYSREG(pmxevcntr_el0), READ_SYSREG(pmovsset_el0));
    WRITE_SYSREG(pmovsclr_el0, 1ull << c);
    printf_("PMOVSCLR: PMOVSSET %lx\n", READ_SYSREG(pmovsset_el0));

    /* the overflow interrupt: PPI 7 = INTID 23 */
    GICD[0] = 1;
    GICC[0] = 1;
    GICC[1] = 0xf0;
    ((volatile uint8_t *)&GICD[0x400 / 4])[23] = 0x80;
    GICD[0x100 / 4] = 1u << 23;
    WRITE_SYSREG(pmintenset_el1, 1ull << c);
    WRITE_SYSREG(pmxevcntr_el0, 0xffffffffull);
    swinc(1ull << c);
    printf_("pending before unmask: %x count %d\n", (GICD[0x200 / 4] >> 23) & 1, irqs);
    __asm__ volatile("msr daifclr, #2\nisb\nnop\nmsr daifset, #2");
    printf_("SW_INCR overflow irq: count %d IAR %x PMOVS in handler %lx now %lx\n", irqs, last_iar,
            ovs_in_handler, READ_SYSREG(pmovsset_el0));
    WRITE_SYSREG(pmintenclr_el1, 1ull << c);
    WRITE_SYSREG(pmcntenclr_el0, 1ull << c);

    /* the cycle counter: counts while enabled, overflows at 32 bits with
     * LC clear and interrupts */
    WRITE_SYSREG(pmccfiltr_el0, 0);
    WRITE_SYSREG(pmcr_el0, 1 | 4);                /* C: cycle counter to 0 */
    printf_("after C: small %d\n", READ_SYSREG(pmccntr_el0) < 1000000);
    WRITE_SYSREG(pmcntenset_el0, 1ull << 31);
    uint64_t c0 = READ_SYSREG(pmccntr_el0);
    for (volatile int i = 0; i < 10000; i++)
        ;
    uint64_t c1 = READ_SYSREG(pmccntr_el0);
    printf_("cycle counter advances: %d\n", c1 > c0);
    WRITE_SYSREG(pmcntenclr_el0, 1ull << 31);
    c0 = READ_SYSREG(pmccntr_el0);
    for (volatile int i = 0; i < 10000; i++)
        ;
    printf_("stopped when disabled: %d\n", READ_SYSREG(pmccntr_el0) == c0);
    WRITE_SYSREG(pmccntr_el0, 0xffffffffull - 100000);    /* 100 us at QEMU's 1 GHz */
    WRITE_SYSREG(pmintenset_el1, 1ull << 31);
    WRITE_SYSREG(pmcntenset_el0, 1ull << 31);
    __asm__ volatile("msr daifclr, #2");
    while (irqs < 2)
        __asm__ volatile("wfi");
    __asm__ volatile("msr daifset, #2");
    printf_("cycle overflow irq: count %d IAR %x PMOVS in handler %lx high %lx\n", irqs, last_iar,
            ovs_in_handler, READ_SYSREG(pmccntr_el0) >> 32);
    WRITE_SYSREG(pmcntenclr_el0, 1ull << 31);
    WRITE_SYSREG(pmintenclr_el1, 1ull << 31);

    /* EL0: trapped with PMUSERENR 0, allowed with EN */
    WRITE_SYSREG(pmuserenr_el0, 0);
    run_el0();
    printf_("EL0 with PMUSERENR 0: traps %d\n", traps);
    WRITE_SYSREG(pmuserenr_el0, 1);
    printf_("PMUSERENR %lx\n", READ_SYSREG(pmuserenr_el0));
    run_el0();
    printf_("EL0 with EN: traps %d\n", traps);
    WRITE_SYSREG(pmuserenr_el0, 0);

    check("overflow interrupts", irqs, 2);
    check("EL0 traps", traps, 4);
    exc_hook = 0;
    return 0;
}
