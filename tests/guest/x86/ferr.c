/*
 * Guest test: x87 exceptions in MS-DOS compatibility mode (CR0.NE = 0,
 * SDM vol. 1 8.7.1 and appendix D.2). A pending unmasked exception met by
 * a waiting instruction asserts FERR#, which the PC routes to IRQ 13
 * (slave 8259, remapped here to vector 0x3d), and the CPU waits for that
 * interrupt before the instruction: the handler sees the FWAIT's address.
 * A write to port 0xF0 drops IRQ 13 and asserts IGNNE#, so waiting
 * instructions go on while the exception stays pending; FNCLEX (ES = 0)
 * deasserts FERR#, which drops IGNNE# again. With interrupts off the IRQ
 * waits in the PIC. With NE = 1 it is #MF (vector 16) and no IRQ 13.
 * QEMU 7.2 aborts when it raises FERR# (tcg_handle_interrupt asserts the
 * I/O thread lock), so this program checks itself against the SDM and
 * runs under kasou only (ferr.sh).
 */
#include "lib.h"

#define PIC1 0x20
#define PIC2 0xa0
#define IRQ13_VECTOR 0x3d
#define FSW_SHOWN 0x80bf       /* B, ES, SF and the six flags (no TOP, no C*) */

static volatile uint32_t irq13_count, irq13_fsw, irq13_eip, handler_fnclex;
extern char fwait_at[];

static uint8_t pic_read_irr(uint16_t base) { outb(base, 0x0a); return inb(base); }

static int irq_hook(struct trap_frame *f)
{
    if (f->vector != IRQ13_VECTOR)
        return 0;
    uint16_t sw;
    __asm__ volatile("fnstsw %0" : "=m"(sw));
    irq13_fsw = sw;
    irq13_eip = f->eip;
    irq13_count++;
    outb(0xf0, 0);                       /* drop IRQ 13, assert IGNNE# */
    if (handler_fnclex)
        __asm__ volatile("fnclex");
    outb(PIC2, 0x20);
    outb(PIC1, 0x20);
    return 1;
}

static void pic_init(void)
{
    outb(PIC1, 0x11); outb(PIC1 + 1, 0x30); outb(PIC1 + 1, 0x04); outb(PIC1 + 1, 0x01);
    outb(PIC2, 0x11); outb(PIC2 + 1, 0x38); outb(PIC2 + 1, 0x02); outb(PIC2 + 1, 0x01);
    outb(PIC1 + 1, 0xfb);                /* only the cascade */
    outb(PIC2 + 1, 0xdf);                /* only IRQ 13 */
}

static uint32_t read_cr0(void) { uint32_t v; __asm__ volatile("movl %%cr0, %0" : "=r"(v)); return v; }
static void write_cr0(uint32_t v) { __asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory"); }

/* ZE unmasked and a division by zero: ZE and ES pending */
static void make_pending(void)
{
    uint16_t cw = 0x37b;
    __asm__ volatile("fninit; fldcw %0; fld1; fldz; fdivrp" : : "m"(cw));
}

static uint16_t fsw(void)
{
    uint16_t sw;
    __asm__ volatile("fnstsw %0" : "=m"(sw));
    return sw & FSW_SHOWN;
}

/* A few hundred instructions with interrupts open */
static void window(void)
{
    __asm__ volatile("sti");
    for (volatile int i = 0; i < 200; i++)
        ;
    __asm__ volatile("cli");
}

#define TRAP_TRY(insns)                                                                   \
    __asm__ volatile("movl $1f, trap_resume\n\t" insns "\n1:" : : : "memory", "cc")

int main(void)
{
    uint32_t cr0 = read_cr0(), c0;
    trap_hook = irq_hook;
    pic_init();
    write_cr0(cr0 & ~0x20u);             /* NE = 0 */

    /* 1: FWAIT with a pending ZE: IRQ 13; the handler clears it */
    handler_fnclex = 1;
    make_pending();
    printf("pending: fsw=%04x\n", fsw());
    check("pending es", fsw() & 0x80, 0x80);
    __asm__ volatile("sti; nop\n.globl fwait_at\nfwait_at: fwait; cli" : : : "memory");
    printf("fwait: irq13=%u at the fwait=%u fsw in handler=%04x after=%04x\n", irq13_count,
           irq13_eip == (uint32_t)fwait_at, irq13_fsw & FSW_SHOWN, fsw());
    check("irq13 at fwait", irq13_count, 1);
    check("irq13 before the fwait", irq13_eip, (uint32_t)fwait_at);
    check("irq13 fsw ze", irq13_fsw & 0x84, 0x84);
    check("fnclex in handler", fsw(), 0);

    /* 2: interrupts off: FERR# raises IRQ 13 in the PIC, taken at STI */
    make_pending();
    __asm__ volatile("fwait");
    uint8_t irr = pic_read_irr(PIC2);
    printf("if=0: irq13=%u slave irr bit5=%u\n", irq13_count, (irr >> 5) & 1);
    check("held while if=0", irq13_count, 1);
    check("irr13", (irr >> 5) & 1, 1);
    window();
    printf("sti: irq13=%u\n", irq13_count);
    check("taken at sti", irq13_count, 2);

    /* 3: the handler leaves ES set: port 0xF0 asserted IGNNE#, so later
     * waiting instructions run and no further IRQ 13 comes */
    handler_fnclex = 0;
    make_pending();
    __asm__ volatile("sti; fwait");
    window();
    uint16_t cw_out = 0;
    __asm__ volatile("sti; fwait; fstcw %0; fld1; fstp %%st(0); fwait" : "=m"(cw_out));
    window();
    printf("ignne: irq13=%u fsw=%04x cw=%04x\n", irq13_count, fsw(), cw_out);
    check("one irq with ignne", irq13_count, 3);
    check("es still pending", fsw() & 0x84, 0x84);
    __asm__ volatile("fnclex");

    /* 4: NE = 1: #MF at the FWAIT, IRQ 13 stays quiet */
    write_cr0(cr0 | 0x20);
    make_pending();
    c0 = trap_last.count;
    TRAP_TRY("sti; fwait");
    window();
    printf("ne=1: vector=%u traps=%u irq13=%u\n", trap_last.vector, trap_last.count - c0,
           irq13_count);
    check("mf", trap_last.vector, 16);
    check("no irq13 with ne", irq13_count, 3);
    __asm__ volatile("fninit");
    write_cr0(cr0);
    return check_failures ? 1 : 0;
}
