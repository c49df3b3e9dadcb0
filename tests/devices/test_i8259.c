/*
 * The 8259A pair through its ports, against the Intel 8259A datasheet:
 * initialisation words, priorities and nesting, masks, IRR/ISR reads,
 * non-specific/specific/rotating EOIs, set priority, auto-EOI, special
 * mask mode, special fully nested mode, poll mode, edge vs level (ELCR),
 * the cascade, and the spurious IR7/IR15 of a request gone before INTA.
 */
#include <stdlib.h>
#include "devices/i8259.h"
#include "tests/devices/devtest.h"

static I8259 pic;
static IrqProbe intr;

/* The PC BIOS's programming, with a choice of ICW4 for the master. */
static void setup(uint8_t master_icw4)
{
    i8259_init(&pic);
    intr = (IrqProbe){ 0 };
    irq_connect(&pic.intr, irq_probe_set, &intr, 0);
    for (int i = 0; i < 16; i++)
        i8259_set_irq(&pic, i, 0);
    outb(0x20, 0x11); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, master_icw4);
    outb(0xa0, 0x11); outb(0xa1, 0x28); outb(0xa1, 0x02); outb(0xa1, 0x01);
    outb(0x21, 0x00); outb(0xa1, 0x00);
}

static void pulse(int irq)
{
    i8259_set_irq(&pic, irq, 1);
    i8259_set_irq(&pic, irq, 0);
}

static uint8_t read_irr(uint16_t base) { outb(base, 0x0a); return inb(base); }
static uint8_t read_isr(uint16_t base) { outb(base, 0x0b); return inb(base); }

static void test_basic(void)
{
    setup(0x01);
    CHECK_EQ("i8259/icw1-clears-imr", inb(0x21), 0x00);
    check(!intr.level, "i8259/idle-intr-low", "INTR high with nothing pending");
    pulse(0);
    check(intr.level, "i8259/edge-raises-intr", "INTR low after an IRQ0 edge");
    CHECK_EQ("i8259/irr-latched", read_irr(0x20), 0x01);
    CHECK_EQ("i8259/ack-vector", i8259_ack(&pic), 0x20);
    CHECK_EQ("i8259/ack-sets-isr", read_isr(0x20), 0x01);
    CHECK_EQ("i8259/ack-clears-irr", read_irr(0x20), 0x00);
    check(!intr.level, "i8259/ack-lowers-intr", "INTR still high");
    outb(0x20, 0x20);
    CHECK_EQ("i8259/eoi-clears-isr", read_isr(0x20), 0x00);

    /* priorities: IR1 beats IR3; IR3 waits while IR1 is in service */
    pulse(3);
    pulse(1);
    CHECK_EQ("i8259/priority-order", i8259_ack(&pic), 0x21);
    check(!intr.level, "i8259/lower-priority-blocked", "IR3 offered while IR1 in service");
    outb(0x20, 0x20);
    check(intr.level, "i8259/lower-after-eoi", "IR3 not offered after the EOI of IR1");
    CHECK_EQ("i8259/lower-vector", i8259_ack(&pic), 0x23);
    /* nesting: IR0 interrupts an IR3 in service */
    pulse(0);
    check(intr.level, "i8259/higher-nests", "IR0 not offered while IR3 in service");
    CHECK_EQ("i8259/nested-vector", i8259_ack(&pic), 0x20);
    CHECK_EQ("i8259/nested-isr", read_isr(0x20), 0x09);
    outb(0x20, 0x20);     /* non-specific EOI ends the highest: IR0 */
    CHECK_EQ("i8259/eoi-highest-first", read_isr(0x20), 0x08);
    outb(0x20, 0x63);     /* specific EOI for IR3 */
    CHECK_EQ("i8259/specific-eoi", read_isr(0x20), 0x00);

    /* masking: the request stays in IRR, INTR stays low until unmasked */
    outb(0x21, 0x10);
    CHECK_EQ("i8259/imr-readback", inb(0x21), 0x10);
    pulse(4);
    check(!intr.level, "i8259/masked-no-intr", "masked IR4 raised INTR");
    CHECK_EQ("i8259/masked-in-irr", read_irr(0x20), 0x10);
    outb(0x21, 0x00);
    check(intr.level, "i8259/unmask-raises", "IR4 not offered once unmasked");
    CHECK_EQ("i8259/unmasked-vector", i8259_ack(&pic), 0x24);
    outb(0x20, 0x20);
}

static void test_edge_level(void)
{
    setup(0x01);
    CHECK_EQ("i8259/elcr1-mask", (outb(0x4d0, 0xff), inb(0x4d0)), 0xf8);
    CHECK_EQ("i8259/elcr2-mask", (outb(0x4d1, 0xff), inb(0x4d1)), 0xde);
    outb(0x4d0, 0x00);
    outb(0x4d1, 0x00);
    /* edge: a line held high requests once */
    i8259_set_irq(&pic, 3, 1);
    CHECK_EQ("i8259/edge-once", i8259_ack(&pic), 0x23);
    outb(0x20, 0x20);
    check(!intr.level, "i8259/edge-held-high-no-repeat", "a held edge input requested again");
    i8259_set_irq(&pic, 3, 0);
    /* level (ELCR bit 3): requests again after EOI while high */
    outb(0x4d0, 0x08);
    i8259_set_irq(&pic, 3, 1);
    CHECK_EQ("i8259/level-first", i8259_ack(&pic), 0x23);
    outb(0x20, 0x20);
    check(intr.level, "i8259/level-repeats-while-high", "a high level input did not request again");
    i8259_set_irq(&pic, 3, 0);
    check(!intr.level, "i8259/level-drop-withdraws", "INTR stayed high after the level dropped");
    /* a level request withdrawn before INTA: spurious IR7, nothing in service */
    i8259_set_irq(&pic, 3, 1);
    i8259_set_irq(&pic, 3, 0);
    CHECK_EQ("i8259/spurious-irq7", i8259_ack(&pic), 0x27);
    CHECK_EQ("i8259/spurious-irq7-no-isr", read_isr(0x20), 0x00);
    /* ICW1.LTIM makes every input level triggered */
    setup(0x01);
    outb(0x20, 0x19); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, 0x01); outb(0x21, 0x00);
    i8259_set_irq(&pic, 1, 1);
    i8259_ack(&pic);
    outb(0x20, 0x20);
    check(intr.level, "i8259/ltim-level", "LTIM input did not request again while high");
    i8259_set_irq(&pic, 1, 0);
}

static void test_cascade(void)
{
    setup(0x01);
    pulse(10);
    check(intr.level, "i8259/cascade-intr", "IRQ10 did not reach INTR");
    CHECK_EQ("i8259/cascade-vector", i8259_ack(&pic), 0x2a);
    CHECK_EQ("i8259/cascade-master-isr", read_isr(0x20), 0x04);
    CHECK_EQ("i8259/cascade-slave-isr", read_isr(0xa0), 0x04);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    /* masking IR2 on the master masks the whole slave */
    outb(0x21, 0x04);
    pulse(8);
    check(!intr.level, "i8259/cascade-masked", "IRQ8 reached INTR with IR2 masked");
    outb(0x21, 0x00);
    CHECK_EQ("i8259/cascade-unmasked", i8259_ack(&pic), 0x28);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    /* a slave level request gone before INTA: spurious IRQ15, and the
     * master's IR2 is in service (Linux EOIs the master for it) */
    outb(0x4d1, 0x08);
    i8259_set_irq(&pic, 11, 1);
    i8259_set_irq(&pic, 11, 0);
    CHECK_EQ("i8259/spurious-irq15", i8259_ack(&pic), 0x2f);
    CHECK_EQ("i8259/spurious-irq15-slave-isr", read_isr(0xa0), 0x00);
    CHECK_EQ("i8259/spurious-irq15-master-isr", read_isr(0x20), 0x04);
    outb(0x20, 0x20);
    /* without SFNM a higher slave request waits for the master's EOI */
    pulse(9);
    i8259_ack(&pic);
    pulse(8);
    check(!intr.level, "i8259/fully-nested-blocks-slave", "IRQ8 offered while IR2 in service");
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
    CHECK_EQ("i8259/fully-nested-after-eoi", i8259_ack(&pic), 0x28);
    /* special fully nested mode (ICW4.SFNM on the master): it may */
    setup(0x11);
    pulse(9);
    CHECK_EQ("i8259/sfnm-first", i8259_ack(&pic), 0x29);
    pulse(8);
    check(intr.level, "i8259/sfnm-nests-slave", "IRQ8 not offered under SFNM");
    CHECK_EQ("i8259/sfnm-vector", i8259_ack(&pic), 0x28);
}

static void test_modes(void)
{
    /* auto-EOI (ICW4 bit 1): nothing goes into service */
    setup(0x03);
    pulse(5);
    CHECK_EQ("i8259/aeoi-vector", i8259_ack(&pic), 0x25);
    CHECK_EQ("i8259/aeoi-no-isr", read_isr(0x20), 0x00);
    /* rotate on non-specific EOI: the serviced input drops to the lowest */
    setup(0x01);
    pulse(0);
    i8259_ack(&pic);
    outb(0x20, 0xa0);
    pulse(0);
    pulse(4);
    CHECK_EQ("i8259/rotate-eoi", i8259_ack(&pic), 0x24);
    outb(0x20, 0x20);
    /* set priority: IR3 lowest, so IR4 highest: 5 beats 1 */
    setup(0x01);
    outb(0x20, 0xc3);
    pulse(1);
    pulse(5);
    CHECK_EQ("i8259/set-priority", i8259_ack(&pic), 0x25);
    /* rotate on specific EOI (0xe0 | n): n becomes the lowest */
    setup(0x01);
    outb(0x20, 0xe6);
    pulse(7);
    pulse(6);
    CHECK_EQ("i8259/rotate-specific", i8259_ack(&pic), 0x27);
    /* special mask mode: a masked in-service level stops blocking lower ones */
    setup(0x01);
    pulse(1);
    i8259_ack(&pic);
    pulse(3);
    check(!intr.level, "i8259/smm-off-blocks", "IR3 offered while IR1 in service");
    outb(0x21, 0x02);
    outb(0x20, 0x68);
    check(intr.level, "i8259/smm-unblocks", "IR3 not offered in special mask mode");
    CHECK_EQ("i8259/smm-vector", i8259_ack(&pic), 0x23);
    outb(0x20, 0x48);
    /* poll mode: the read is the poll word and acknowledges */
    setup(0x01);
    pulse(6);
    outb(0x20, 0x0c);
    CHECK_EQ("i8259/poll-word", inb(0x20), 0x86);
    CHECK_EQ("i8259/poll-acks", read_isr(0x20), 0x40);
    outb(0x20, 0x20);
    outb(0x20, 0x0c);
    CHECK_EQ("i8259/poll-none", inb(0x20), 0x00);
    /* single mode (ICW1.SNGL): no ICW3, the next word is ICW4 */
    setup(0x01);
    outb(0x20, 0x13); outb(0x21, 0x40); outb(0x21, 0x03); outb(0x21, 0xfe);
    CHECK_EQ("i8259/single-mode-imr", inb(0x21), 0xfe);
    pulse(0);
    CHECK_EQ("i8259/single-mode-aeoi", (i8259_ack(&pic), read_isr(0x20)), 0x00);
    /* reset: everything cleared */
    setup(0x01);
    outb(0x21, 0x55);
    pulse(0);
    device_reset(&pic.dev);
    check(inb(0x21) == 0 && read_irr(0x20) == 0 && !intr.level, "i8259/reset", "state survived reset");
}

int main(void)
{
    test_io = address_space_new("io");
    i8259_init(&pic);
    if (!test_io || !i8259_map(&pic, test_io)) {
        printf("not ok - i8259/map\n");
        return 1;
    }
    test_basic();
    test_edge_level();
    test_cascade();
    test_modes();
    address_space_free(test_io);
    return test_finish();
}
