/*
 * The 8042 keyboard controller and the reset lines, from a bare-metal
 * guest: self-tests, the command byte, keyboard echo/identify/reset with
 * and without set 2 -> set 1 translation, the output port's A20 bit and
 * port 0x92; then a reset through the controller (0xfe) and one through
 * port 0x92, counted in a CMOS RAM byte (battery backed: it survives), so
 * the program runs three times and each run prints its own lines.
 * Needs a reboot after reset (tests/guest/x86/reset.sh runs it so, under
 * QEMU without -no-reboot too).
 */
#include "lib.h"

#define KBC_DATA 0x60
#define KBC_CMD  0x64
#define CMOS_STAGE 0x50          /* a CMOS RAM byte nothing else uses */

static uint8_t cmos_read(uint8_t reg) { outb(0x70, reg); return inb(0x71); }
static void cmos_write(uint8_t reg, uint8_t v) { outb(0x70, reg); outb(0x71, v); }

static void kbc_wait_write(void)
{
    for (int i = 0; i < 100000 && (inb(KBC_CMD) & 0x02); i++)
        ;
}

/* The next output byte, or -1 after a while. */
static int kbc_read(void)
{
    for (int i = 0; i < 1000000; i++)
        if (inb(KBC_CMD) & 0x01)
            return inb(KBC_DATA);
    return -1;
}

static void kbc_flush(void)
{
    for (int i = 0; i < 64 && (inb(KBC_CMD) & 0x01); i++)
        inb(KBC_DATA);
}

static void kbc_cmd(uint8_t c) { kbc_wait_write(); outb(KBC_CMD, c); }
static void kbc_data(uint8_t d) { kbc_wait_write(); outb(KBC_DATA, d); }

static void test_controller(void)
{
    kbc_flush();
    kbc_cmd(0xaa);
    check("kbc-self-test", (uint32_t)kbc_read(), 0x55);
    kbc_cmd(0xab);
    check("kbc-kbd-interface-test", (uint32_t)kbc_read(), 0x00);
    /* command byte: no interrupts (polled), keyboard on, translation on */
    kbc_cmd(0x60);
    kbc_data(0x44);
    kbc_cmd(0x20);
    check("kbc-command-byte", (uint32_t)kbc_read(), 0x44);
    check("kbc-status-sys", inb(KBC_CMD) & 0x04, 0x04);
    kbc_cmd(0xd0);
    check("kbc-outport-a20", (uint32_t)kbc_read() & 0x03, 0x03);
    check("port92-a20", inb(0x92) & 0x02, 0x02);
    /* loop a byte back through the keyboard output buffer */
    kbc_cmd(0xd2);
    kbc_data(0x5a);
    check("kbc-kbd-loopback", (uint32_t)kbc_read(), 0x5a);
}

static void test_keyboard(void)
{
    kbc_data(0xee);
    check("kbd-echo", (uint32_t)kbc_read(), 0xee);
    kbc_data(0xf2);
    check("kbd-identify-ack", (uint32_t)kbc_read(), 0xfa);
    check("kbd-identify-1", (uint32_t)kbc_read(), 0xab);
    check("kbd-identify-2-translated", (uint32_t)kbc_read(), 0x41);
    kbc_cmd(0x60);
    kbc_data(0x04);                     /* translation off */
    kbc_data(0xf2);
    kbc_read();
    kbc_read();
    check("kbd-identify-2-raw", (uint32_t)kbc_read(), 0x83);
    kbc_data(0xed);
    check("kbd-leds-ack", (uint32_t)kbc_read(), 0xfa);
    kbc_data(0x02);
    check("kbd-leds-param-ack", (uint32_t)kbc_read(), 0xfa);
    kbc_data(0xff);
    check("kbd-reset-ack", (uint32_t)kbc_read(), 0xfa);
    check("kbd-reset-bat", (uint32_t)kbc_read(), 0xaa);
    kbc_data(0xf4);
    check("kbd-enable-ack", (uint32_t)kbc_read(), 0xfa);
    check("kbc-empty", inb(KBC_CMD) & 0x01, 0);
}

int main(void)
{
    uint8_t stage = cmos_read(CMOS_STAGE);
    if (stage == 0) {
        test_controller();
        test_keyboard();
        printf("resetting through the keyboard controller\n");
        cmos_write(CMOS_STAGE, 1);
        kbc_cmd(0xfe);
    } else if (stage == 1) {
        printf("back after the keyboard controller reset\n");
        cmos_write(CMOS_STAGE, 2);
        outb(0x92, inb(0x92) & ~1u);
        outb(0x92, inb(0x92) | 1u);
    } else {
        printf("back after the port 0x92 reset\n");
        cmos_write(CMOS_STAGE, 0);
        return check_failures ? 1 : 0;
    }
    for (volatile int i = 0; i < 10000000; i++)
        ;
    printf("FAIL no reset\n");
    return 1;
}
