/*
 * The 8042 keyboard controller and its AT keyboard, as Linux's i8042 and
 * atkbd drivers and the BIOS use them: status bits, controller commands,
 * the command byte and its interrupt enables, port disables holding
 * keyboard bytes back, keyboard commands and their ACKs, set 2 -> set 1
 * translation (with break codes), the aux loopback, and the output port
 * driving the A20 and reset callbacks.
 */
#include "devices/i8042.h"
#include "tests/devices/devtest.h"

static I8042 kbc;
static IrqProbe irq1, irq12;
static int a20_calls, a20_state = 1, resets;

static void set_a20(void *opaque, bool on) { a20_calls++; a20_state = on; }
static void reset_line(void *opaque) { resets++; }

static void setup(void)
{
    i8042_init(&kbc, (I8042Board){ set_a20, reset_line, NULL });
    irq1 = irq12 = (IrqProbe){ 0 };
    irq_connect(&kbc.irq1, irq_probe_set, &irq1, 1);
    irq_connect(&kbc.irq12, irq_probe_set, &irq12, 12);
    a20_calls = resets = 0;
    a20_state = 1;
}

static int rd(void)
{
    if (!(inb(0x64) & 1))
        return -1;
    return inb(0x60);
}

static void test_controller(void)
{
    setup();
    CHECK_EQ("i8042/status-idle", inb(0x64) & 0x21, 0x00);
    outb(0x64, 0xaa);
    CHECK_EQ("i8042/self-test-obf", inb(0x64) & 0x01, 0x01);
    check(irq1.level, "i8042/reply-raises-irq1", "no IRQ 1 (KBDINT set at reset)");
    CHECK_EQ("i8042/self-test", rd(), 0x55);
    check(!irq1.level, "i8042/read-lowers-irq1", "IRQ 1 still high");
    CHECK_EQ("i8042/sys-flag", inb(0x64) & 0x04, 0x04);
    outb(0x64, 0x60);
    CHECK_EQ("i8042/a2-after-command", inb(0x64) & 0x08, 0x08);
    outb(0x60, 0x54);                          /* XLATE, KBDDIS, SYS; no interrupts */
    CHECK_EQ("i8042/a2-after-data", inb(0x64) & 0x08, 0x00);
    outb(0x64, 0x20);
    CHECK_EQ("i8042/command-byte", rd(), 0x54);
    check(irq1.rises == 1, "i8042/no-irq-when-disabled", "%d IRQ 1 edges", irq1.rises);
    outb(0x64, 0xab);
    CHECK_EQ("i8042/kbd-test", rd(), 0x00);
    outb(0x64, 0xa9);
    CHECK_EQ("i8042/aux-test", rd(), 0x00);
    /* the keyboard is disabled in the command byte: its bytes wait */
    outb(0x60, 0xee);
    CHECK_EQ("i8042/kbd-disabled-holds", inb(0x64) & 0x01, 0x00);
    outb(0x64, 0xae);
    CHECK_EQ("i8042/kbd-enabled-delivers", rd(), 0xee);
    /* aux loopback: AUXB and IRQ 12 */
    outb(0x64, 0x60);
    outb(0x60, 0x47);                          /* XLATE, SYS, AUXINT, KBDINT */
    outb(0x64, 0xd3);
    outb(0x60, 0x5a);
    CHECK_EQ("i8042/aux-loop-auxb", inb(0x64) & 0x21, 0x21);
    check(irq12.level && !irq1.level, "i8042/aux-loop-irq12", "IRQ 1 %d, IRQ 12 %d", irq1.level,
          irq12.level);
    CHECK_EQ("i8042/aux-loop-byte", rd(), 0x5a);
    outb(0x64, 0xd4);
    outb(0x60, 0xf2);
    CHECK_EQ("i8042/aux-no-device", rd(), 0xfe);
    outb(0x64, 0xd2);
    outb(0x60, 0x33);
    CHECK_EQ("i8042/kbd-loop", rd(), 0x33);
    check(irq1.level == 0, "i8042/irq1-low-when-empty", "IRQ 1 high");
}

static void test_keyboard(void)
{
    setup();
    outb(0x64, 0x60);
    outb(0x60, 0x44);                          /* translation on, no interrupts */
    outb(0x60, 0xf2);
    CHECK_EQ("i8042/kbd-id-ack", rd(), 0xfa);
    CHECK_EQ("i8042/kbd-id-1", rd(), 0xab);
    CHECK_EQ("i8042/kbd-id-2-translated", rd(), 0x41);
    outb(0x60, 0xff);
    CHECK_EQ("i8042/kbd-reset-ack", rd(), 0xfa);
    CHECK_EQ("i8042/kbd-reset-bat", rd(), 0xaa);
    outb(0x60, 0xed);
    CHECK_EQ("i8042/kbd-leds-ack", rd(), 0xfa);
    outb(0x60, 0x07);
    CHECK_EQ("i8042/kbd-leds-param-ack", rd(), 0xfa);
    CHECK_EQ("i8042/kbd-leds", kbc.kbd_leds, 7);
    outb(0x60, 0xf0);
    rd();
    outb(0x60, 0x00);
    CHECK_EQ("i8042/kbd-get-set-ack", rd(), 0xfa);
    CHECK_EQ("i8042/kbd-get-set-2-translated", rd(), 0x41);
    outb(0x60, 0x42);
    CHECK_EQ("i8042/kbd-unknown-resend", rd(), 0xfe);
    /* scancodes: set 2 'A' (0x1c) press and release -> set 1 0x1e, 0x9e */
    i8042_kbd_put_scancode(&kbc, 0x1c);
    CHECK_EQ("i8042/xlat-make", rd(), 0x1e);
    i8042_kbd_put_scancode(&kbc, 0xf0);
    i8042_kbd_put_scancode(&kbc, 0x1c);
    CHECK_EQ("i8042/xlat-break", rd(), 0x9e);
    CHECK_EQ("i8042/xlat-break-one-byte", rd(), -1);
    i8042_kbd_put_scancode(&kbc, 0x76);
    CHECK_EQ("i8042/xlat-esc", rd(), 0x01);
    i8042_kbd_put_scancode(&kbc, 0x5a);
    CHECK_EQ("i8042/xlat-enter", rd(), 0x1c);
    /* without translation: set 2 as sent */
    outb(0x64, 0x60);
    outb(0x60, 0x04);
    i8042_kbd_put_scancode(&kbc, 0xf0);
    i8042_kbd_put_scancode(&kbc, 0x1c);
    CHECK_EQ("i8042/raw-break-prefix", rd(), 0xf0);
    CHECK_EQ("i8042/raw-break-code", rd(), 0x1c);
    /* scanning off: keys are dropped */
    outb(0x60, 0xf5);
    rd();
    i8042_kbd_put_scancode(&kbc, 0x1c);
    CHECK_EQ("i8042/scanning-off", rd(), -1);
}

static void test_output_port(void)
{
    setup();
    outb(0x64, 0xd0);
    CHECK_EQ("i8042/outport-reset", rd() & 0x03, 0x03);
    outb(0x64, 0xd1);
    outb(0x60, 0xdd);                          /* A20 off, reset high */
    check(a20_calls == 1 && !a20_state && !resets, "i8042/outport-a20-off", "calls %d state %d",
          a20_calls, a20_state);
    outb(0x64, 0xdf);
    check(a20_calls == 2 && a20_state, "i8042/a20-on-command", "calls %d state %d", a20_calls,
          a20_state);
    outb(0x64, 0xd1);
    outb(0x60, 0xde);                          /* reset line low */
    check(resets == 1, "i8042/outport-reset-line", "%d resets", resets);
    outb(0x64, 0xff);                          /* pulse nothing */
    check(resets == 1, "i8042/pulse-none", "%d resets", resets);
    outb(0x64, 0xfe);
    check(resets == 2, "i8042/pulse-reset", "%d resets", resets);
}

int main(void)
{
    test_io = address_space_new("io");
    setup();
    if (!test_io || !i8042_map(&kbc, test_io)) {
        printf("not ok - i8042/map\n");
        return 1;
    }
    test_controller();
    test_keyboard();
    test_output_port();
    address_space_free(test_io);
    return test_finish();
}
