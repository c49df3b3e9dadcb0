/* The system instructions the translator emits without a helper at EL1:
 * MRS/MSR of plain registers (TPIDR_EL1, ELR, SPSR, FAR, CONTEXTIDR...),
 * MRS DAIF, MSR DAIF (a pending interrupt is taken right after the write
 * that unmasks it), MRS SP_EL0 (UNDEFINED while SPSel is 0), DC ZVA as stores
 * (exactly one aligned block zeroed, from any address inside it, in
 * loops so later runs go through translated code) and cache maintenance
 * at EL1 with no effect but to let rewritten code run. */
#include "lib.h"

#define GICD ((volatile uint32_t *)0x08000000)
#define GICC ((volatile uint32_t *)0x08010000)

static int taken;
static volatile int irqs;
static volatile uint32_t last_iar;

static void handler(ExcFrame *f, uint64_t vector)
{
    if (vector == 0x280) {                     /* IRQ: acknowledge, count, return to ELR */
        uint32_t iar = GICC[0x0c / 4];
        last_iar = iar;
        irqs++;
        if ((iar & 0x3ff) != 1023)
            GICC[0x10 / 4] = iar;
        return;
    }
    taken++;
    printf_("exception %d: vector %x EC %lx ISS %lx\n", taken, (unsigned)vector, f->esr >> 26,
            f->esr & 0x1ffffff);
    f->elr += 4;
}

static uint8_t buf[512] __attribute__((aligned(256)));
static uint32_t code[4] __attribute__((aligned(64)));

/* DC ZVA at buf + off; returns a hash of buf (which bytes are zero) */
static uint64_t zva_at(unsigned off)
{
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i | 1);
    __asm__ volatile("dc zva, %0" :: "r"(buf + off) : "memory");
    uint64_t h = 0;
    for (unsigned i = 0; i < sizeof(buf); i++)
        h = h * 31 + buf[i];
    return h;
}

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;

    uint64_t bs = 4ull << (READ_SYSREG(dczid_el0) & 0xf);
    printf_("DCZID_EL0 %lx block %lu\n", READ_SYSREG(dczid_el0), bs);
    unsigned offs[] = { 0, 1, 63, 64, 100, 200, 255, 256, 300, 447 };
    for (int r = 0; r < 3; r++)
        for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
            uint64_t h = zva_at(offs[i]);
            unsigned first = sizeof(buf), last = 0;
            for (unsigned k = 0; k < sizeof(buf); k++)
                if (!buf[k]) {
                    if (k < first)
                        first = k;
                    last = k;
                }
            if (r == 2)
                printf_("dc zva at +%u: zero bytes %u..%u hash %lx\n", offs[i], first, last, h);
        }

    uint64_t sum = 0;
    for (uint64_t i = 1; i <= 100; i++) {
        WRITE_SYSREG(tpidr_el1, i * 3);
        WRITE_SYSREG(contextidr_el1, i & 0xff);
        WRITE_SYSREG(far_el1, i << 12);
        WRITE_SYSREG(elr_el1, i << 2);
        WRITE_SYSREG(spsr_el1, i & 0xf);
        sum = sum * 7 + READ_SYSREG(tpidr_el1) + READ_SYSREG(contextidr_el1) + READ_SYSREG(far_el1) +
              READ_SYSREG(elr_el1) + READ_SYSREG(spsr_el1);
    }
    printf_("plain registers: %lx\n", sum);
    printf_("TPIDR_EL1 %lx CONTEXTIDR %lx MIDR %lx\n", READ_SYSREG(tpidr_el1), READ_SYSREG(contextidr_el1),
            READ_SYSREG(midr_el1));

    __asm__ volatile("msr daifset, #0xf");
    printf_("DAIF all set: %lx\n", READ_SYSREG(daif));
    __asm__ volatile("msr daifclr, #0x5");
    printf_("DAIF D A: %lx\n", READ_SYSREG(daif));
    WRITE_SYSREG(daif, 0x3c0);
    printf_("DAIF written: %lx\n", READ_SYSREG(daif));

    /* a software-generated interrupt to self, pending while IRQs are
     * masked: MSR DAIF that keeps I set leaves it pending, the one that
     * clears I has it taken before the next instruction */
    GICD[0] = 1;                                   /* GICD_CTLR */
    GICC[0] = 1;                                   /* GICC_CTLR */
    GICC[1] = 0xf0;                                /* GICC_PMR */
    GICD[0x100 / 4] = 1u << 3;                     /* enable SGI 3 */
    GICD[0xf00 / 4] = (2u << 24) | 3;              /* GICD_SGIR: to self */
    __asm__ volatile("dsb sy\nisb" ::: "memory");
    int before, masked, after;
    uint64_t keep_masked = 0x80, unmask = 0;
    __asm__ volatile("ldr %w0, [%3]\n"
                     "msr daif, %4\n"
                     "ldr %w1, [%3]\n"
                     "msr daif, %5\n"
                     "ldr %w2, [%3]\n"
                     : "=&r"(before), "=&r"(masked), "=&r"(after)
                     : "r"(&irqs), "r"(keep_masked), "r"(unmask) : "memory");
    __asm__ volatile("msr daifset, #2" ::: "memory");
    printf_("SGI: irqs before %d, still masked %d, after unmasking %d, IAR %x\n", before, masked, after,
            last_iar);

    /* SP_EL0 while SPSel is 1, then while it is the SP in use */
    uint64_t saved = READ_SYSREG(sp_el0);
    WRITE_SYSREG(sp_el0, 0x1230);
    printf_("SP_EL0 %lx\n", READ_SYSREG(sp_el0));
    uint64_t got = 0;
    __asm__ volatile("mov x9, sp\n"
                     "msr spsel, #0\n"
                     "mov sp, x9\n"
                     "mov %0, #7\n"
                     "mrs %0, sp_el0\n"            /* UNDEFINED: the handler skips it */
                     "msr spsel, #1\n"
                     : "=&r"(got) :: "x9", "memory");
    printf_("MRS SP_EL0 with SPSel 0 left %lx, exceptions %d\n", got, taken);
    WRITE_SYSREG(sp_el0, saved);

    /* code rewritten and run after DC CVAU, IC IVAU, DSB, ISB */
    uint64_t (*fn)(void) = (uint64_t (*)(void))code;
    uint64_t csum = 0;
    for (unsigned i = 0; i < 20; i++) {
        code[0] = 0xd2800000u | ((i * 5 + 3) << 5);   /* movz x0, #imm */
        code[1] = 0xd65f03c0u;                        /* ret */
        __asm__ volatile("dc cvau, %0\ndc civac, %0\ndsb ish\nic ivau, %0\ndsb ish\nic iallu\nisb"
                         :: "r"(code) : "memory");
        csum = csum * 13 + fn();
    }
    printf_("rewritten code: %lx\n", csum);
    check("exceptions", (uint64_t)taken, 1);
    return 0;
}
