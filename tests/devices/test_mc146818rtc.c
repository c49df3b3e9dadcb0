/*
 * The MC146818 RTC and CMOS against the Motorola datasheet, on a fake
 * clock: BCD and binary, 12 and 24 hour, the calendar (weekday, month
 * ends, leap years, century), SET freezing and restarting the clock, UIP
 * in the 244 us before an update, register C's flags and IRQ 8 for the
 * periodic, alarm (with don't-care bytes) and update-ended interrupts,
 * and the CMOS RAM behind the index port.
 */
#include "devices/mc146818rtc.h"
#include "tests/devices/devtest.h"

static MC146818 rtc;
static TimerList tl;
static IrqProbe irq8;

static uint8_t rd(uint8_t reg) { outb(0x70, reg); return inb(0x71); }
static void wr(uint8_t reg, uint8_t v) { outb(0x70, reg); outb(0x71, v); }

/* 2006-06-17T16:01:21 UTC, a Saturday */
#define START_SECS 1150560081ll

static void setup(int64_t start_ns)
{
    fake_timerlist_init(&tl);
    mc146818_init(&rtc, &tl, start_ns);
    irq8 = (IrqProbe){ 0 };
    irq_connect(&rtc.irq, irq_probe_set, &irq8, 8);
}

/* clock time at which the RTC shows secs + frac_ns */
static int64_t when(int64_t secs, int64_t frac_ns)
{
    return (secs - START_SECS) * NS_PER_SEC + frac_ns;
}

static void test_time(void)
{
    setup(START_SECS * NS_PER_SEC);
    CHECK_EQ("rtc/reg-a", rd(0x0a), 0x26);
    CHECK_EQ("rtc/reg-b", rd(0x0b), 0x02);
    CHECK_EQ("rtc/reg-d", rd(0x0d), 0x80);
    CHECK_EQ("rtc/seconds-bcd", rd(0x00), 0x21);
    CHECK_EQ("rtc/minutes-bcd", rd(0x02), 0x01);
    CHECK_EQ("rtc/hours-bcd", rd(0x04), 0x16);
    CHECK_EQ("rtc/weekday-saturday", rd(0x06), 7);
    CHECK_EQ("rtc/day", rd(0x07), 0x17);
    CHECK_EQ("rtc/month", rd(0x08), 0x06);
    CHECK_EQ("rtc/year", rd(0x09), 0x06);
    CHECK_EQ("rtc/century", rd(0x32), 0x20);
    fake_advance_to(&tl, when(START_SECS + 1, NS_PER_SEC / 2));
    CHECK_EQ("rtc/time-follows-clock", rd(0x00), 0x22);
    wr(0x0b, 0x06);                          /* binary, 24 hour */
    CHECK_EQ("rtc/seconds-binary", rd(0x00), 22);
    CHECK_EQ("rtc/hours-binary", rd(0x04), 16);
    wr(0x0b, 0x00);                          /* BCD, 12 hour */
    CHECK_EQ("rtc/hours-12h-pm", rd(0x04), 0x84);
    wr(0x0b, 0x02);
    /* UIP: set only in the 244 us before the update */
    fake_advance_to(&tl, when(START_SECS + 2, NS_PER_SEC - 200000));
    CHECK_EQ("rtc/uip-before-update", rd(0x0a) & 0x80, 0x80);
    fake_advance_to(&tl, when(START_SECS + 2, NS_PER_SEC - 300000));
    fake_advance_to(&tl, when(START_SECS + 3, 1000));
    CHECK_EQ("rtc/uip-clear-after-update", rd(0x0a) & 0x80, 0);
    fake_advance_to(&tl, when(START_SECS + 3, NS_PER_SEC - 250000));
    CHECK_EQ("rtc/uip-clear-earlier", rd(0x0a) & 0x80, 0);
    /* writing a field while running moves the clock */
    wr(0x00, 0x40);
    CHECK_EQ("rtc/write-seconds", rd(0x00), 0x40);
    fake_advance_to(&tl, when(START_SECS + 4, 1000));
    CHECK_EQ("rtc/write-seconds-runs-on", rd(0x00), 0x41);
}

static void test_set(void)
{
    setup(START_SECS * NS_PER_SEC);
    /* SET: freeze, write 2024-02-28 23:59:59, restart */
    wr(0x0b, 0x82);
    wr(0x00, 0x59); wr(0x02, 0x59); wr(0x04, 0x23);
    wr(0x07, 0x28); wr(0x08, 0x02); wr(0x09, 0x24); wr(0x32, 0x20);
    fake_advance_to(&tl, 5 * NS_PER_SEC);
    CHECK_EQ("rtc/set-freezes", rd(0x00), 0x59);
    CHECK_EQ("rtc/set-no-uip", rd(0x0a) & 0x80, 0);
    wr(0x0b, 0x02);
    CHECK_EQ("rtc/set-cleared-same-second", rd(0x00), 0x59);
    fake_advance_to(&tl, 6 * NS_PER_SEC);
    CHECK_EQ("rtc/leap-day", rd(0x07), 0x29);
    CHECK_EQ("rtc/leap-month", rd(0x08), 0x02);
    CHECK_EQ("rtc/leap-midnight", rd(0x04) | rd(0x02) | rd(0x00), 0);
    CHECK_EQ("rtc/leap-weekday-thursday", rd(0x06), 5);
    /* the century rolls over */
    wr(0x0b, 0x82);
    wr(0x00, 0x59); wr(0x02, 0x59); wr(0x04, 0x23);
    wr(0x07, 0x31); wr(0x08, 0x12); wr(0x09, 0x99); wr(0x32, 0x19);
    wr(0x0b, 0x02);
    fake_advance_to(&tl, 7 * NS_PER_SEC);
    check(rd(0x09) == 0x00 && rd(0x32) == 0x20 && rd(0x08) == 0x01 && rd(0x07) == 0x01,
          "rtc/century-rollover", "year %02x century %02x", rd(0x09), rd(0x32));
    CHECK_EQ("rtc/get-time", mc146818_get_time(&rtc), 946684800);
    /* SET clears UIE */
    wr(0x0b, 0x92);
    CHECK_EQ("rtc/set-clears-uie", rd(0x0b), 0x82);
    wr(0x0b, 0x02);
}

static void test_interrupts(void)
{
    setup(START_SECS * NS_PER_SEC);
    /* flags without enables: set, but no IRQF and no IRQ */
    fake_advance_to(&tl, NS_PER_SEC + NS_PER_SEC / 2);
    CHECK_EQ("rtc/flags-without-enables", rd(0x0c), 0x50);
    CHECK_EQ("rtc/c-cleared-by-read", rd(0x0c), 0x00);
    check(irq8.rises == 0, "rtc/no-irq-without-enables", "%d IRQs", irq8.rises);

    /* periodic at 1024 Hz: one interrupt per period, each acknowledged */
    wr(0x0b, 0x42);
    int n = 0;
    int64_t end = fake_now_ns + NS_PER_SEC;
    while (timerlist_deadline_ns(&tl) <= end) {
        fake_advance_to(&tl, timerlist_deadline_ns(&tl));
        if (irq8.level) {
            n++;
            rd(0x0c);
        }
    }
    check(n >= 1023 && n <= 1025, "rtc/periodic-1024hz", "%d interrupts in 1 s", n);
    /* rate 15: 2 Hz */
    wr(0x0a, 0x2f);
    irq8.rises = 0;
    fake_advance_to(&tl, fake_now_ns + NS_PER_SEC);
    rd(0x0c);
    fake_advance_to(&tl, fake_now_ns + NS_PER_SEC / 2);
    check(irq8.rises == 2, "rtc/periodic-2hz", "%d interrupts in 1 s", irq8.rises);
    wr(0x0b, 0x02);
    wr(0x0a, 0x20);                          /* rate 0: no PF from here on */
    rd(0x0c);
    check(!irq8.level, "rtc/irq-low-after-c", "IRQ 8 still high");

    /* update-ended */
    wr(0x0b, 0x12);
    irq8.rises = 0;
    int64_t now_secs = mc146818_get_time(&rtc);
    fake_advance_to(&tl, when(now_secs + 1, 0) - 1);
    check(irq8.rises == 0, "rtc/uie-not-early", "IRQ before the update");
    fake_advance_to(&tl, when(now_secs + 1, 0));
    check(irq8.level, "rtc/uie-at-update", "no IRQ at the update");
    CHECK_EQ("rtc/uie-flags", rd(0x0c) & 0xb0, 0x90);
    wr(0x0b, 0x02);

    /* alarm two seconds ahead: AF with that update only */
    now_secs = mc146818_get_time(&rtc);
    int64_t alarm = now_secs + 2;
    wr(0x01, (uint8_t)((alarm % 60 / 10) << 4 | alarm % 10));
    wr(0x03, (uint8_t)((alarm / 60 % 60 / 10) << 4 | alarm / 60 % 10));
    wr(0x05, (uint8_t)((alarm / 3600 % 24 / 10) << 4 | alarm / 3600 % 24 % 10));
    rd(0x0c);
    wr(0x0b, 0x22);
    irq8.rises = 0;
    fake_advance_to(&tl, when(now_secs + 1, 10));
    check(!irq8.level, "rtc/alarm-not-early", "IRQ a second early");
    fake_advance_to(&tl, when(alarm, 10));
    check(irq8.level, "rtc/alarm-fires", "no IRQ at the alarm time");
    CHECK_EQ("rtc/alarm-flags", rd(0x0c), 0xb0);
    fake_advance_to(&tl, when(alarm + 1, 10));
    check(irq8.rises == 1, "rtc/alarm-once", "%d IRQs", irq8.rises);
    /* don't-care bytes: every second */
    wr(0x01, 0xc0); wr(0x03, 0xff); wr(0x05, 0xc0);
    rd(0x0c);
    irq8.rises = 0;
    for (int i = 2; i <= 4; i++) {
        fake_advance_to(&tl, when(alarm + i, 10));
        rd(0x0c);
    }
    check(irq8.rises == 3, "rtc/alarm-dont-care", "%d IRQs in 3 s", irq8.rises);
    /* system reset clears the enables */
    device_reset(&rtc.dev);
    CHECK_EQ("rtc/reset-clears-enables", rd(0x0b), 0x02);
}

static void test_cmos(void)
{
    setup(START_SECS * NS_PER_SEC);
    wr(0x40, 0x5a);
    CHECK_EQ("rtc/cmos-ram", rd(0x40), 0x5a);
    outb(0x70, 0x80 | 0x40);                 /* NMI masked: same index */
    CHECK_EQ("rtc/index-nmi-bit", inb(0x71), 0x5a);
    check(rtc.nmi_masked, "rtc/nmi-mask-kept", "bit 7 not recorded");
    wr(0x7f, 0x11);
    CHECK_EQ("rtc/cmos-last-byte", rd(0x7f), 0x11);
    wr(0x0d, 0x00);
    CHECK_EQ("rtc/reg-d-read-only", rd(0x0d), 0x80);
    mc146818_cmos_set(&rtc, 0x15, 0x80);
    CHECK_EQ("rtc/board-cmos-set", rd(0x15), 0x80);
    CHECK_EQ("rtc/index-port-write-only", inb(0x70), 0xff);
    /* a date start (-rtc base=DATE) and before-1970 arithmetic stay sane */
    setup(0);
    CHECK_EQ("rtc/epoch-year", rd(0x09), 0x70);
    CHECK_EQ("rtc/epoch-weekday-thursday", rd(0x06), 5);
}

int main(void)
{
    test_io = address_space_new("io");
    fake_timerlist_init(&tl);
    mc146818_init(&rtc, &tl, START_SECS * NS_PER_SEC);
    if (!test_io || !mc146818_map(&rtc, test_io)) {
        printf("not ok - rtc/map\n");
        return 1;
    }
    test_time();
    test_set();
    test_interrupts();
    test_cmos();
    address_space_free(test_io);
    return test_finish();
}
