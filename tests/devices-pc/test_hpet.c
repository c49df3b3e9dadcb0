/*
 * HPET registers (IA-PC HPET 1.0a) on a fake clock: capabilities as QEMU
 * reports them, the 100 MHz counter running only while enabled and
 * writable while halted, one-shot and periodic timers, edge pulses and
 * level status (write 1 to clear), 32-bit mode, legacy routing to IRQ 0/8
 * and Tn_INT_ROUTE to IOAPIC pins.
 */
#include "devices/hpet.h"
#include "tests/devices-pc/devtest.h"

static int legacy_edges[2], legacy_level[2], gsi_edges[24], gsi_level[24];
static void on_legacy(void *o, int n, int level)
{
    if (level && !legacy_level[n])
        legacy_edges[n]++;
    legacy_level[n] = level;
}
static void on_gsi(void *o, int n, int level)
{
    if (level && !gsi_level[n])
        gsi_edges[n]++;
    gsi_level[n] = level;
}

static uint64_t rd64(HPETState *s, unsigned a) { return hpet_ops.read(s, a, 8); }
static void wr64(HPETState *s, unsigned a, uint64_t v) { hpet_ops.write(s, a, v, 8); }
static void wr32(HPETState *s, unsigned a, uint32_t v) { hpet_ops.write(s, a, v, 4); }

void test_hpet(void)
{
    static HPETState s;
    FakeClock c;
    fake_clock_init(&c);
    hpet_init(&s, &c.tl);
    irq_connect(&s.legacy_irq[0], on_legacy, NULL, 0);
    irq_connect(&s.legacy_irq[1], on_legacy, NULL, 1);
    for (int i = 0; i < 24; i++)
        irq_connect(&s.gsi[i], on_gsi, NULL, i);

    CHECK_EQ("hpet GCAP_ID (QEMU's: 100 MHz, 3 timers, 64-bit, legacy)", rd64(&s, 0), 0x009896808086a201ull);
    CHECK_EQ("hpet GCAP_ID high half by 32-bit read", hpet_ops.read(&s, 4, 4), 10000000);
    CHECK_EQ("hpet timer caps: periodic, 64-bit, route to pin 2 (QEMU 7.2)", rd64(&s, 0x100), 0x0000000400000030ull);
    fake_clock_advance(&c, 1000);
    CHECK_EQ("hpet counter halted at reset", rd64(&s, 0xf0), 0);
    wr64(&s, 0xf0, 1000);
    CHECK_EQ("hpet counter writable while halted", rd64(&s, 0xf0), 1000);
    wr64(&s, 0x10, 1);
    fake_clock_advance(&c, 10000);
    CHECK_EQ("hpet counter at 100 MHz", rd64(&s, 0xf0), 2000);
    wr64(&s, 0xf0, 0);
    CHECK_EQ("hpet counter not writable while running", rd64(&s, 0xf0), 2000);
    wr64(&s, 0x10, 0);
    fake_clock_advance(&c, 10000);
    CHECK_EQ("hpet counter holds when disabled", rd64(&s, 0xf0), 2000);

    /* timer 2, one-shot edge, routed to pin 20 */
    wr64(&s, 0x140, (20u << 9) | (1u << 2));
    CHECK_EQ("hpet Tn_INT_ROUTE_CNF reads back", (rd64(&s, 0x140) >> 9) & 0x1f, 20);
    wr64(&s, 0x148, 2500);
    wr64(&s, 0x10, 1);
    fake_clock_advance(&c, 4990);
    CHECK_EQ("hpet one-shot: not before the comparator", gsi_edges[20], 0);
    fake_clock_advance(&c, 20);
    CHECK_EQ("hpet one-shot: edge on the routed pin", gsi_edges[20], 1);
    CHECK_EQ("hpet edge: line back low", gsi_level[20], 0);
    fake_clock_advance(&c, 1000000);
    CHECK_EQ("hpet one-shot 64-bit: once", gsi_edges[20], 1);

    /* timer 0 periodic, legacy replacement → IRQ 0 */
    wr64(&s, 0x10, 3);                          /* enable + legacy */
    uint64_t now = rd64(&s, 0xf0);
    wr64(&s, 0x100, (1u << 2) | (1u << 3) | (1u << 6));
    wr64(&s, 0x108, now + 1000);                /* VAL_SET: comparator and period */
    wr64(&s, 0x108, 1000);                      /* period */
    CHECK_EQ("hpet VAL_SET is self-clearing", (rd64(&s, 0x100) >> 6) & 1, 0);
    fake_clock_advance(&c, 100000);             /* 10000 ticks: 10 periods */
    CHECK_EQ("hpet periodic legacy IRQ 0: 10 in 10 periods", legacy_edges[0], 10);
    CHECK_EQ("hpet periodic comparator moves on", rd64(&s, 0x108), now + 11000);

    /* timer 1 level, legacy → IRQ 8: status bit until cleared */
    now = rd64(&s, 0xf0);
    wr64(&s, 0x120, (1u << 1) | (1u << 2));
    wr64(&s, 0x128, now + 100);
    fake_clock_advance(&c, 2000);
    CHECK_EQ("hpet level: IRQ 8 held high", legacy_level[1], 1);
    CHECK_EQ("hpet level: GINTR_STA bit 1", rd64(&s, 0x20) & 2, 2);
    wr32(&s, 0x20, 2);
    CHECK_EQ("hpet level: write 1 clears status", rd64(&s, 0x20) & 2, 0);
    CHECK_EQ("hpet level: line drops", legacy_level[1], 0);

    /* 32-bit mode: comparator truncated, one-shot matches again after the wrap */
    wr64(&s, 0x10, 0);
    wr64(&s, 0xf0, 0xffffff00ull);
    wr64(&s, 0x140, (21u << 9) | (1u << 2) | (1u << 8));
    wr64(&s, 0x148, 0x100000010ull);
    CHECK_EQ("hpet 32-bit mode truncates the comparator", rd64(&s, 0x148), 0x10);
    wr64(&s, 0x10, 1);
    fake_clock_advance(&c, (0x100 + 0x10 + 1) * 10);
    CHECK_EQ("hpet 32-bit: match after the counter's low half wraps", gsi_edges[21], 1);
    fake_clock_advance(&c, 0x100000000ll * 10);
    CHECK_EQ("hpet 32-bit one-shot: again after 2^32 ticks", gsi_edges[21], 2);
    device_reset(&s.dev);
    CHECK_EQ("hpet reset: halted, counter 0", rd64(&s, 0x10) | rd64(&s, 0xf0), 0);
}
