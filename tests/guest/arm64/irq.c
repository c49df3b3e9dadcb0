/* Interrupts through the GICv2: the virtual timer (PPI 27) waking WFI and
 * taken after polling ISTATUS with IRQs masked, the PL011 TX interrupt
 * (SPI 1 = IRQ 33), a software-generated interrupt to self, priorities
 * and the priority mask, spurious acknowledges (1023). */
#include "lib.h"

#define GICD ((volatile uint32_t *)0x08000000)
#define GICC ((volatile uint32_t *)0x08010000)
#define UART ((volatile uint32_t *)0x09000000)
#define GICD_CTLR (0x000 / 4)
#define GICD_TYPER (0x004 / 4)
#define GICD_ISENABLER (0x100 / 4)
#define GICD_ICENABLER (0x180 / 4)
#define GICD_ISPENDR (0x200 / 4)
#define GICD_IPRIORITYR (0x400 / 4)
#define GICD_SGIR (0xf00 / 4)
#define GICC_CTLR (0x00 / 4)
#define GICC_PMR (0x04 / 4)
#define GICC_IAR (0x0c / 4)
#define GICC_EOIR (0x10 / 4)
#define GICC_RPR (0x14 / 4)
#define GICC_HPPIR (0x18 / 4)

static int irqs;
static uint32_t seen[16];

static void handler(ExcFrame *f, uint64_t vector)
{
    if (vector != 0x280) {
        printf_("FAIL vector %x ESR %lx ELR %lx\n", (unsigned)vector, f->esr, f->elr);
        guest_exit();
    }
    uint32_t iar = GICC[GICC_IAR];
    uint32_t irq = iar & 0x3ff;
    if (irqs < 16)
        seen[irqs] = iar;
    irqs++;
    if (irq == 27)
        WRITE_SYSREG(cntv_ctl_el0, 3);            /* IMASK: the line drops */
    else if (irq == 33) {
        UART[0x38 / 4] = 0;                       /* IMSC: no more TX interrupts */
        UART[0x44 / 4] = 0x7ff;                   /* ICR */
    }
    if (irq != 1023)
        GICC[GICC_EOIR] = iar;
}

static void set_prio(int irq, uint8_t prio)
{
    volatile uint8_t *p = (volatile uint8_t *)&GICD[GICD_IPRIORITYR];
    p[irq] = prio;
}

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;
    printf_("GICD_TYPER %x\n", GICD[GICD_TYPER]);
    printf_("spurious before enabling: %x\n", GICC[GICC_IAR]);
    GICD[GICD_CTLR] = 1;
    GICC[GICC_CTLR] = 1;
    GICC[GICC_PMR] = 0xf0;
    set_prio(27, 0xa0);
    set_prio(33, 0x80);
    set_prio(5, 0x40);
    GICD[GICD_ISENABLER] = 1u << 27;
    printf_("enabled: %x\n", GICD[GICD_ISENABLER]);

    /* the virtual timer wakes WFI */
    WRITE_SYSREG(cntv_tval_el0, 62500);          /* 1 ms at 62.5 MHz */
    WRITE_SYSREG(cntv_ctl_el0, 1);
    __asm__ volatile("msr daifclr, #2");
    while (!irqs)
        __asm__ volatile("wfi");
    __asm__ volatile("msr daifset, #2");
    printf_("timer irq: count %d IAR %x CTL %lx\n", irqs, seen[0], READ_SYSREG(cntv_ctl_el0));

    /* polled with IRQs masked, then taken */
    WRITE_SYSREG(cntv_cval_el0, READ_SYSREG(cntvct_el0) + 10000);
    WRITE_SYSREG(cntv_ctl_el0, 1);
    while (!(READ_SYSREG(cntv_ctl_el0) & 4))
        ;
    for (volatile int i = 0; i < 1000; i++)
        ;
    printf_("ISTATUS set: pending %x HPPIR %x ISR %lx\n", GICD[GICD_ISPENDR] & (1u << 27),
            GICC[GICC_HPPIR], READ_SYSREG(isr_el1));
    __asm__ volatile("msr daifclr, #2\nisb\nmsr daifset, #2");
    printf_("after unmask: count %d IAR %x\n", irqs, seen[1]);

    /* priority mask: PMR below the priority holds the interrupt back */
    GICC[GICC_PMR] = 0x90;
    WRITE_SYSREG(cntv_tval_el0, 100);
    WRITE_SYSREG(cntv_ctl_el0, 1);
    while (!(READ_SYSREG(cntv_ctl_el0) & 4))
        ;
    __asm__ volatile("msr daifclr, #2\nisb\nnop\nnop\nmsr daifset, #2");
    printf_("masked by PMR: count %d\n", irqs);
    GICC[GICC_PMR] = 0xf0;
    __asm__ volatile("msr daifclr, #2\nisb\nmsr daifset, #2");
    printf_("PMR raised: count %d IAR %x\n", irqs, seen[2]);

    /* an SGI to this CPU, the UART's TX interrupt */
    GICD[GICD_SGIR] = (2u << 24) | 5;
    __asm__ volatile("msr daifclr, #2\nisb\nmsr daifset, #2");
    printf_("SGI: count %d IAR %x\n", irqs, seen[3]);
    GICD[GICD_ISENABLER + 1] = 1u << 1;
    UART[0x38 / 4] = 1u << 5;                     /* IMSC: TX */
    UART[0] = '.';
    __asm__ volatile("msr daifclr, #2\nisb\nmsr daifset, #2");
    printf_("\nUART TX: count %d IAR %x RPR %x\n", irqs, seen[4], GICC[GICC_RPR]);
    printf_("spurious: %x\n", GICC[GICC_IAR]);
    check("interrupts taken", irqs, 5);
    exc_hook = 0;
    return 0;
}
