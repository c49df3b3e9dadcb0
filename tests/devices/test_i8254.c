/*
 * The 8254 PIT and port 0x61 against the Intel 8254 datasheet, on a fake
 * clock: counter values and OUT in modes 0-5, LSB/MSB/word access, BCD,
 * the latch and read-back commands, null count, gates (channel 2 through
 * port 0x61), reload at the end of a period, IRQ 0 edges at the right
 * times, and no catch-up burst after a host stall.
 */
#include "devices/i8254.h"
#include "tests/devices/devtest.h"

static I8254 pit;
static TimerList tl;
static IrqProbe irq0;

static int64_t ticks_ns(int64_t t)
{
    return (t * NS_PER_SEC + I8254_FREQ - 1) / I8254_FREQ;
}

static void setup(void)
{
    fake_timerlist_init(&tl);
    i8254_init(&pit, &tl);
    irq0 = (IrqProbe){ 0 };
    irq_connect(&pit.irq0, irq_probe_set, &irq0, 0);
}

static void at_tick(int64_t base_ns, int64_t t)
{
    fake_advance_to(&tl, base_ns + ticks_ns(t));
}

static void load(int ch, uint8_t mode_bits, uint16_t count)
{
    outb(0x43, (uint8_t)(ch << 6 | 0x30 | mode_bits));
    outb((uint16_t)(0x40 + ch), count & 0xff);
    outb((uint16_t)(0x40 + ch), count >> 8);
}

static uint16_t latch_read(int ch)
{
    outb(0x43, (uint8_t)(ch << 6));
    uint8_t lo = inb((uint16_t)(0x40 + ch));
    return (uint16_t)(lo | inb((uint16_t)(0x40 + ch)) << 8);
}

static uint8_t status(int ch)
{
    outb(0x43, (uint8_t)(0xe0 | 2 << ch));      /* read-back, status only */
    return inb((uint16_t)(0x40 + ch));
}

static void test_mode2(void)
{
    setup();
    int64_t t0 = 1000;
    fake_advance_to(&tl, t0);
    load(0, 0x04, 1193);                         /* mode 2, about 1 kHz */
    irq0.rises = 0;
    at_tick(t0, 100);
    CHECK_EQ("i8254/mode2-count", latch_read(0), 1093);
    at_tick(t0, 1192);
    check(irq0.rises == 0, "i8254/mode2-no-edge-before-period", "%d edges", irq0.rises);
    CHECK_EQ("i8254/mode2-out-low-last-tick", i8254_get_out(&pit, 0), 0);
    at_tick(t0, 1193);
    check(irq0.rises == 1, "i8254/mode2-edge-at-period", "%d edges", irq0.rises);
    CHECK_EQ("i8254/mode2-reloaded", latch_read(0), 1193);
    at_tick(t0, 1193 * 10);
    check(irq0.rises == 10, "i8254/mode2-10-periods", "%d edges", irq0.rises);
    /* a new count takes effect at the end of the current period */
    at_tick(t0, 1193 * 10 + 300);
    outb(0x40, 500 & 0xff);
    outb(0x40, 500 >> 8);
    CHECK_EQ("i8254/mode2-null-count-until-reload", status(0) & 0x40, 0x40);
    at_tick(t0, 1193 * 10 + 400);
    CHECK_EQ("i8254/mode2-old-count-runs-on", latch_read(0), 1193 - 400);
    at_tick(t0, 1193 * 11 + 100);
    CHECK_EQ("i8254/mode2-new-count-next-period", latch_read(0), 400);
    CHECK_EQ("i8254/mode2-null-count-cleared", status(0) & 0x40, 0);
    check(irq0.rises == 11, "i8254/mode2-edge-at-reload", "%d edges", irq0.rises);
}

static void test_mode0(void)
{
    setup();
    int64_t t0 = 5000;
    fake_advance_to(&tl, t0);
    outb(0x43, 0x30);                            /* channel 0, word, mode 0 */
    CHECK_EQ("i8254/mode0-control-word-out-low", i8254_get_out(&pit, 0), 0);
    CHECK_EQ("i8254/control-word-null-count", status(0), 0x70);
    outb(0x40, 1000 & 0xff);
    outb(0x40, 1000 >> 8);
    CHECK_EQ("i8254/mode0-status-loaded", status(0), 0x30);
    irq0.rises = 0;
    at_tick(t0, 999);
    CHECK_EQ("i8254/mode0-count", latch_read(0), 1);
    check(!irq0.level, "i8254/mode0-irq-low-before-terminal", "IRQ 0 high");
    at_tick(t0, 1000);
    check(irq0.level && irq0.rises == 1, "i8254/mode0-irq-at-terminal", "level %d rises %d",
          irq0.level, irq0.rises);
    CHECK_EQ("i8254/mode0-status-out-high", status(0), 0xb0);
    at_tick(t0, 1010);
    CHECK_EQ("i8254/mode0-wraps-and-counts", latch_read(0), 0xfff6);
    check(irq0.rises == 1, "i8254/mode0-one-shot", "%d edges", irq0.rises);
    /* the first byte of a new count stops counting and drops OUT */
    outb(0x40, 0x10);
    CHECK_EQ("i8254/mode0-first-byte-out-low", i8254_get_out(&pit, 0), 0);
    check(!irq0.level, "i8254/mode0-first-byte-irq-low", "IRQ 0 still high");
    outb(0x40, 0x00);
    at_tick(t0, 1010 + 0x11);      /* the count restarted within tick 1010 */
    check(irq0.rises == 2, "i8254/mode0-restart", "%d edges", irq0.rises);
}

static void test_access_modes(void)
{
    setup();
    /* LSB only */
    outb(0x43, 0x50);                            /* channel 1, LSB, mode 0 */
    outb(0x41, 0x80);
    fake_advance_to(&tl, ticks_ns(0x10));
    CHECK_EQ("i8254/lsb-only-read", inb(0x41), 0x70);
    /* MSB only */
    int64_t t0 = fake_now_ns;
    outb(0x43, 0x60);                            /* channel 1, MSB, mode 0 */
    outb(0x41, 0x12);                            /* count 0x1200 */
    at_tick(t0, 0x100);
    CHECK_EQ("i8254/msb-only-read", inb(0x41), 0x11);
    /* word reads alternate LSB, MSB */
    t0 = fake_now_ns;
    load(1, 0x00, 0x1234);
    at_tick(t0, 0x34);
    uint8_t lo = inb(0x41), hi = inb(0x41);
    CHECK_EQ("i8254/word-read", (uint16_t)(lo | hi << 8), 0x1200);
    /* BCD: 1000 counts in decimal */
    t0 = fake_now_ns;
    outb(0x43, 0x71);                            /* channel 1, word, mode 0, BCD */
    outb(0x41, 0x00);
    outb(0x41, 0x10);                            /* 1000 */
    at_tick(t0, 1);
    CHECK_EQ("i8254/bcd-count", latch_read(1), 0x0999);
    at_tick(t0, 1001);
    CHECK_EQ("i8254/bcd-wraps-to-9999", latch_read(1), 0x9999);
    /* a latched value holds until read, a second latch is ignored */
    t0 = fake_now_ns;
    load(1, 0x00, 5000);
    at_tick(t0, 100);
    outb(0x43, 0x40);
    at_tick(t0, 200);
    outb(0x43, 0x40);
    lo = inb(0x41);
    at_tick(t0, 300);
    hi = inb(0x41);
    CHECK_EQ("i8254/latch-holds", (uint16_t)(lo | hi << 8), 4900);
    CHECK_EQ("i8254/after-latch-live", latch_read(1), 4700);
    /* read-back of count and status together: status first */
    outb(0x43, 0xc4);                            /* count + status of channel 1 */
    CHECK_EQ("i8254/readback-status-first", inb(0x41), 0x30);
    lo = inb(0x41);
    hi = inb(0x41);
    CHECK_EQ("i8254/readback-count", (uint16_t)(lo | hi << 8), 4700);
}

static void test_modes_3_4_1(void)
{
    setup();
    int64_t t0 = 0;
    load(0, 0x06, 1000);                         /* mode 3 */
    irq0.rises = 0;
    at_tick(t0, 10);
    CHECK_EQ("i8254/mode3-counts-by-2", latch_read(0), 980);
    CHECK_EQ("i8254/mode3-first-half-high", i8254_get_out(&pit, 0), 1);
    at_tick(t0, 500);
    CHECK_EQ("i8254/mode3-second-half-low", i8254_get_out(&pit, 0), 0);
    at_tick(t0, 1000);
    CHECK_EQ("i8254/mode3-new-period-high", i8254_get_out(&pit, 0), 1);
    check(irq0.rises == 1, "i8254/mode3-edge-per-period", "%d edges", irq0.rises);

    setup();
    t0 = fake_now_ns;
    load(0, 0x08, 100);                          /* mode 4 */
    irq0.rises = 0;
    at_tick(t0, 99);
    CHECK_EQ("i8254/mode4-high-while-counting", i8254_get_out(&pit, 0), 1);
    at_tick(t0, 100);
    CHECK_EQ("i8254/mode4-strobe-low", i8254_get_out(&pit, 0), 0);
    at_tick(t0, 101);
    CHECK_EQ("i8254/mode4-high-after-strobe", i8254_get_out(&pit, 0), 1);
    check(irq0.rises == 1, "i8254/mode4-one-edge", "%d edges", irq0.rises);

    /* mode 1 on channel 2: waits for the gate's rising edge */
    setup();
    t0 = fake_now_ns;
    load(2, 0x02, 100);
    at_tick(t0, 50);
    CHECK_EQ("i8254/mode1-waits-for-trigger", i8254_get_out(&pit, 2), 1);
    outb(0x61, 0x01);                            /* gate 2 rises */
    t0 = fake_now_ns;
    at_tick(t0, 10);
    CHECK_EQ("i8254/mode1-out-low-after-trigger", i8254_get_out(&pit, 2), 0);
    CHECK_EQ("i8254/mode1-count", latch_read(2), 90);
    at_tick(t0, 100);
    CHECK_EQ("i8254/mode1-out-high-at-end", i8254_get_out(&pit, 2), 1);
    outb(0x61, 0x00);
    outb(0x61, 0x01);                            /* retrigger */
    at_tick(fake_now_ns, 1);
    CHECK_EQ("i8254/mode1-retrigger", i8254_get_out(&pit, 2), 0);
}

static void test_gate_and_portb(void)
{
    setup();
    int64_t t0 = fake_now_ns;
    CHECK_EQ("i8254/portb-reset", inb(0x61) & 0x0f, 0);
    outb(0x61, 0x01);                            /* gate 2 on, speaker off */
    load(2, 0x00, 0xffff);                       /* mode 0, as Linux's calibration */
    CHECK_EQ("i8254/portb-out2-low", inb(0x61) & 0x21, 0x01);
    at_tick(t0, 1000);
    CHECK_EQ("i8254/ch2-counts", latch_read(2), 0xffff - 1000);
    outb(0x61, 0x00);                            /* gate off: the count stops */
    at_tick(t0, 5000);
    CHECK_EQ("i8254/gate-stops-mode0", latch_read(2), 0xffff - 1000);
    outb(0x61, 0x01);
    at_tick(fake_now_ns, 0xffff - 1000);
    CHECK_EQ("i8254/gate-resumes-mode0", inb(0x61) & 0x20, 0x20);
    /* the refresh toggle flips every 15.085 us */
    fake_advance_to(&tl, 15085 * 100);
    uint8_t a = inb(0x61) & 0x10;
    fake_advance_to(&tl, 15085 * 101);
    uint8_t b = inb(0x61) & 0x10;
    check(a != b, "i8254/portb-refresh-toggle", "bit 4 did not change");
}

static void test_no_catch_up(void)
{
    setup();
    load(0, 0x04, 1193);                          /* 1 kHz */
    irq0.rises = 0;
    /* the host stalls for a second: one edge, not a thousand */
    fake_now_ns = NS_PER_SEC;
    timerlist_run_expired(&tl);
    check(irq0.rises == 1, "i8254/stall-one-edge", "%d edges", irq0.rises);
    check(timerlist_deadline_ns(&tl) > fake_now_ns, "i8254/stall-next-in-future",
          "deadline %lld <= now", (long long)timerlist_deadline_ns(&tl));
    /* reset: mode 3, 18.2 Hz on channel 0, OUT high in the first half */
    device_reset(&pit.dev);
    CHECK_EQ("i8254/reset-status", status(0), 0xb6);
}

int main(void)
{
    test_io = address_space_new("io");
    fake_timerlist_init(&tl);
    i8254_init(&pit, &tl);
    if (!test_io || !i8254_map(&pit, test_io)) {
        printf("not ok - i8254/map\n");
        return 1;
    }
    test_mode2();
    test_mode0();
    test_access_modes();
    test_modes_3_4_1();
    test_gate_and_portb();
    test_no_catch_up();
    address_space_free(test_io);
    return test_finish();
}
