/*
 * Intel 8254 PIT and PC port B (see i8254.h), after the 8254 datasheet.
 * A counter is (count, load_time): the ticks elapsed since load_time give
 * the counter value and the OUT level of each mode when read, so readers
 * (Linux's TSC calibration polls channel 2) see the host clock closely.
 * Channel 0 arms one timer for its next rising OUT edge; when it fires the
 * next edge is the first one after now, so a stalled host never replays
 * missed periods as a storm of interrupts.
 * Must stay true: every state change of channel 0 goes through
 * pit_irq_update, which re-derives the IRQ 0 level and the timer.
 */
#include <string.h>
#include "devices/i8254.h"

#define PORTB_GATE2    0x01
#define PORTB_REFRESH  0x10
#define PORTB_OUT2     0x20
#define REFRESH_NS     15085      /* DRAM refresh request period: bit 4 toggles */

static int64_t pit_now(I8254 *s)
{
    return timerlist_clock_ns(s->clock);
}

static int64_t ticks_to_ns(int64_t ticks)
{
    /* rounded up, so ns_to_ticks(ticks_to_ns(t)) == t */
    return (int64_t)(((__int128)ticks * NS_PER_SEC + I8254_FREQ - 1) / I8254_FREQ);
}

static int64_t ns_to_ticks(int64_t ns)
{
    return ns <= 0 ? 0 : muldiv64(ns, I8254_FREQ, NS_PER_SEC);
}

static uint16_t bin_to_bcd(uint32_t v)
{
    return (uint16_t)((v % 10) | (v / 10 % 10) << 4 | (v / 100 % 10) << 8 | (v / 1000 % 10) << 12);
}

static uint32_t bcd_to_bin(uint16_t v)
{
    return (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 + ((v >> 12) & 0xf) * 1000;
}

/* Gate low stops modes 0, 2, 3 and 4 (modes 1 and 5 only use its edges). */
static bool ch_stopped(const I8254Channel *c)
{
    return !c->gate && c->mode != 1 && c->mode != 5;
}

/* Apply a reload that became due (modes 2/3: a count written mid-period). */
static void ch_sync(I8254Channel *c, int64_t now)
{
    if (c->reload_pending && (c->mode == 2 || c->mode == 3) && now >= c->reload_time) {
        /* the period boundary in ticks, exact; rebase on it rounded down so
         * the new period's tick count is exact too */
        int64_t boundary = ns_to_ticks(c->reload_time - c->load_time);
        c->count = c->next_count;
        c->load_time += (int64_t)(((__int128)boundary * NS_PER_SEC) / I8254_FREQ);
        c->reload_pending = false;
        c->null_count = false;
    }
}

/* Ticks counted since the load (frozen while the gate stops the count). */
static int64_t ch_ticks(const I8254Channel *c, int64_t now)
{
    if (ch_stopped(c))
        return c->frozen_ticks;
    return ns_to_ticks(now - c->load_time);
}

/* The counting element, binary (0 stands for the full count). */
static uint32_t ch_value(const I8254Channel *c, int64_t now)
{
    if (!c->counting)
        return c->count & 0xffff;
    int64_t d = ch_ticks(c, now);
    uint32_t n = c->count, wrap = c->bcd ? 10000 : 0x10000;
    switch (c->mode) {
    case 2:
        return (uint32_t)(n - d % n) % wrap;
    case 3: {
        /* two half periods counting down by 2: high for ceil(n/2) ticks */
        uint32_t p = (uint32_t)(d % n), hi = (n + 1) / 2;
        uint32_t v = (p < hi) ? n - 2 * p : n - 2 * (p - hi);
        return (v & ~1u) % wrap;
    }
    default:                     /* 0, 1, 4, 5: down to 0, then wrap and go on */
        return (uint32_t)((((int64_t)n - d) % wrap + wrap) % wrap);
    }
}

static bool ch_out(const I8254Channel *c, int64_t now)
{
    if (!c->counting)
        return c->out_initial;
    if (!c->gate && (c->mode == 2 || c->mode == 3))
        return true;             /* gate low forces OUT high */
    int64_t d = ch_ticks(c, now), n = c->count;
    switch (c->mode) {
    case 0:
    case 1:
        return d >= n;
    case 2:
        return d % n != n - 1;
    case 3:
        return d % n < (n + 1) / 2;
    default:                     /* 4, 5: low for one clock after terminal count */
        return d != n;
    }
}

/* Clock time of the first rising OUT edge after now, or -1. */
static int64_t ch_next_edge(const I8254Channel *c, int64_t now)
{
    if (!c->counting || ch_stopped(c))
        return -1;
    int64_t d = ch_ticks(c, now), n = c->count, edge;
    switch (c->mode) {
    case 0:
    case 1:
        edge = n;
        break;
    case 2:
    case 3:
        edge = (d / n + 1) * n;
        break;
    default:
        edge = n + 1;
        break;
    }
    if (edge <= d)
        return -1;
    int64_t t = c->load_time + ticks_to_ns(edge);
    if (c->reload_pending && t > c->reload_time)
        t = c->reload_time;      /* the new count starts a period: an edge */
    return t;
}

/* Channel 0 drives IRQ 0: its level now, and a timer for the next edge.
 * Periodic modes pulse the line at each edge (an edge-triggered input
 * must see it rise); modes 0 and 1 hold it high after terminal count. */
static void pit_irq_set(I8254 *s, bool level)
{
    if (level != s->irq0_level) {
        s->irq0_level = level;
        irq_set_level(&s->irq0, level);
    }
}

static void pit_irq_update(I8254 *s, int64_t now)
{
    I8254Channel *c = &s->ch[0];
    pit_irq_set(s, c->counting && c->mode >= 2 ? true : ch_out(c, now));
    int64_t edge = ch_next_edge(c, now);
    if (edge < 0)
        timer_del(&s->irq_timer);
    else
        timer_mod(&s->irq_timer, edge);
}

static void pit_irq_timer(void *opaque)
{
    I8254 *s = opaque;
    I8254Channel *c = &s->ch[0];
    int64_t now = pit_now(s);

    ch_sync(c, now);
    if (c->mode >= 2)
        pit_irq_set(s, false);   /* the low phase before this edge */
    pit_irq_update(s, now);
}

static void ch_update(I8254 *s, int i, int64_t now)
{
    if (i == 0)
        pit_irq_update(s, now);
}

/* A full count arrived from the bus. */
static void ch_load(I8254 *s, int i, uint16_t raw, int64_t now)
{
    I8254Channel *c = &s->ch[i];
    uint32_t n = c->bcd ? bcd_to_bin(raw) : raw;
    if (n == 0)
        n = c->bcd ? 10000 : 0x10000;

    switch (c->mode) {
    case 1:
    case 5:
        c->next_count = n;        /* counting starts at the gate's next rising edge */
        c->armed = true;
        c->null_count = true;
        if (!c->counting)
            c->count = n;
        break;
    case 2:
    case 3:
        if (c->counting) {
            /* the current period ends first */
            int64_t d = ch_ticks(c, now);
            c->next_count = n;
            c->reload_pending = true;
            c->reload_time = c->load_time + ticks_to_ns((d / c->count + 1) * c->count);
            c->null_count = true;
            break;
        }
        __attribute__((fallthrough));
    default:                      /* 0, 4: starts at once */
        c->count = n;
        c->load_time = now;
        c->frozen_ticks = 0;
        c->counting = true;
        c->null_count = false;
        c->reload_pending = false;
        break;
    }
    ch_update(s, i, now);
}

static void ch_latch_count(I8254Channel *c, int64_t now)
{
    if (c->count_latched)
        return;                   /* a second latch is ignored until read */
    uint32_t v = ch_value(c, now);
    c->latch = c->bcd ? bin_to_bcd(v) : (uint16_t)v;
    c->latch_reads = c->rw_mode == 3 ? 2 : 1;
    c->count_latched = true;
}

static void ch_latch_status(I8254Channel *c, int64_t now)
{
    if (c->status_latched)
        return;
    c->status = (uint8_t)(ch_out(c, now) << 7 | c->null_count << 6 | c->ctrl);
    c->status_latched = true;
}

static void pit_control(I8254 *s, uint8_t val, int64_t now)
{
    int sel = val >> 6;

    if (sel == 3) {               /* read-back: bit 5 = !COUNT, bit 4 = !STATUS */
        for (int i = 0; i < 3; i++) {
            if (!(val & (2u << i)))
                continue;
            ch_sync(&s->ch[i], now);
            if (!(val & 0x20))
                ch_latch_count(&s->ch[i], now);
            if (!(val & 0x10))
                ch_latch_status(&s->ch[i], now);
        }
        return;
    }
    I8254Channel *c = &s->ch[sel];
    ch_sync(c, now);
    if (!(val & 0x30)) {          /* counter latch command */
        ch_latch_count(c, now);
        return;
    }
    c->ctrl = val & 0x3f;
    c->rw_mode = (val >> 4) & 3;
    c->mode = (val >> 1) & 7;
    if (c->mode > 5)
        c->mode -= 4;             /* 6 and 7 are modes 2 and 3 */
    c->bcd = val & 1;
    c->counting = false;          /* waits for a count */
    c->armed = false;
    c->reload_pending = false;
    c->null_count = true;
    c->out_initial = c->mode != 0;   /* mode 0: OUT low at once; others high */
    c->write_msb_next = false;
    c->read_msb_next = false;
    c->count_latched = false;
    c->status_latched = false;
    ch_update(s, sel, now);
}

static void pit_write(void *opaque, uint64_t addr, uint64_t val64, unsigned size)
{
    I8254 *s = opaque;
    int64_t now = pit_now(s);
    uint8_t val = (uint8_t)val64;

    if (addr == 3) {
        pit_control(s, val, now);
        return;
    }
    I8254Channel *c = &s->ch[addr];
    ch_sync(c, now);
    switch (c->rw_mode) {
    case 1:
        ch_load(s, (int)addr, val, now);
        break;
    case 2:
        ch_load(s, (int)addr, (uint16_t)(val << 8), now);
        break;
    case 3:
        if (!c->write_msb_next) {
            c->write_lsb = val;
            c->write_msb_next = true;
            if (c->mode == 0 && c->counting) {
                /* mode 0: the first byte stops the count, OUT goes low */
                c->counting = false;
                c->out_initial = false;
                ch_update(s, (int)addr, now);
            }
        } else {
            c->write_msb_next = false;
            ch_load(s, (int)addr, (uint16_t)(c->write_lsb | val << 8), now);
        }
        break;
    default:
        break;                    /* no count access programmed yet */
    }
}

static uint64_t pit_read(void *opaque, uint64_t addr, unsigned size)
{
    I8254 *s = opaque;
    int64_t now = pit_now(s);

    if (addr == 3)
        return 0xff;              /* the control word register is write-only */
    I8254Channel *c = &s->ch[addr];
    ch_sync(c, now);
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v;
    bool msb;
    if (c->count_latched) {
        v = c->latch;
        msb = c->rw_mode == 2 || (c->rw_mode == 3 && c->latch_reads == 1);
        if (--c->latch_reads == 0 || c->rw_mode != 3)
            c->count_latched = false;
    } else {
        uint32_t b = ch_value(c, now);
        v = c->bcd ? bin_to_bcd(b) : (uint16_t)b;
        msb = c->rw_mode == 2 || (c->rw_mode == 3 && c->read_msb_next);
        if (c->rw_mode == 3)
            c->read_msb_next = !c->read_msb_next;
    }
    return msb ? v >> 8 : v & 0xff;
}

static const char *pit_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    static const char *const names[4] = { "counter 0", "counter 1", "counter 2", "control word" };
    return names[addr & 3];
}

static const MemoryRegionOps i8254_ops = {
    .read = pit_read, .write = pit_write, .min_access = 1, .max_access = 1,
    .reg_name = pit_reg_name,
};

void i8254_set_gate(I8254 *s, int i, bool gate)
{
    I8254Channel *c = &s->ch[i];
    int64_t now = pit_now(s);

    ch_sync(c, now);
    if (gate == c->gate)
        return;
    if (!gate) {
        if (c->counting)
            c->frozen_ticks = ns_to_ticks(now - c->load_time);
        c->gate = false;
    } else {
        c->gate = true;
        switch (c->mode) {
        case 1:
        case 5:                   /* trigger: (re)load and start */
            if (c->armed || c->counting) {
                if (c->armed)
                    c->count = c->next_count;
                c->armed = false;
                c->load_time = now;
                c->counting = true;
                c->null_count = false;
            }
            break;
        case 2:
        case 3:                   /* a new period with the newest count */
            if (c->reload_pending) {
                c->count = c->next_count;
                c->reload_pending = false;
                c->null_count = false;
            }
            c->load_time = now;
            break;
        default:                  /* 0, 4: go on from where the count stopped */
            c->load_time = now - ticks_to_ns(c->frozen_ticks);
            break;
        }
    }
    ch_update(s, i, now);
}

uint16_t i8254_get_count(I8254 *s, int i)
{
    int64_t now = pit_now(s);
    ch_sync(&s->ch[i], now);
    uint32_t v = ch_value(&s->ch[i], now);
    return s->ch[i].bcd ? bin_to_bcd(v) : (uint16_t)v;
}

bool i8254_get_out(I8254 *s, int i)
{
    int64_t now = pit_now(s);
    ch_sync(&s->ch[i], now);
    return ch_out(&s->ch[i], now);
}

/* Port B: gate 2 and speaker enable (bits 0-1), parity/IOCHK enables
 * (bits 2-3) as written; refresh toggle and OUT2 (bits 4-5) from the clock. */
static uint64_t portb_read(void *opaque, uint64_t addr, unsigned size)
{
    I8254 *s = opaque;
    int64_t now = pit_now(s);
    uint8_t v = s->port61 & 0x0f;
    if ((now / REFRESH_NS) & 1)
        v |= PORTB_REFRESH;
    if (i8254_get_out(s, 2))
        v |= PORTB_OUT2;
    return v;
}

static void portb_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8254 *s = opaque;
    s->port61 = (uint8_t)val & 0x0f;
    i8254_set_gate(s, 2, val & PORTB_GATE2);
}

static const char *portb_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    return "port B (gate 2, speaker, refresh, OUT2)";
}

static const MemoryRegionOps portb_ops = {
    .read = portb_read, .write = portb_write, .min_access = 1, .max_access = 1,
    .reg_name = portb_reg_name,
};

/* Power-on as QEMU's PIT (the BIOS's set-up): every channel in mode 3
 * with the full count 0x10000 (18.2 Hz), binary, LSB then MSB; gates 0
 * and 1 tied high, gate 2 from port B (low). */
static void i8254_reset(void *opaque)
{
    I8254 *s = opaque;
    int64_t now = pit_now(s);

    timer_del(&s->irq_timer);
    s->port61 = 0;
    for (int i = 0; i < 3; i++) {
        I8254Channel *c = &s->ch[i];
        memset(c, 0, sizeof(*c));
        c->gate = i != 2;
        pit_control(s, (uint8_t)(i << 6 | 0x36), now);
        ch_load(s, i, 0, now);
        c->null_count = false;
    }
    s->irq0_level = false;
    irq_lower(&s->irq0);
    pit_irq_update(s, now);
}

static const DeviceField i8254_fields[] = {
#define CH_FIELDS(i) \
    DEV_FIELD_U8(I8254, ch[i].mode), DEV_FIELD_U8(I8254, ch[i].rw_mode), \
    DEV_FIELD_BOOL(I8254, ch[i].bcd), DEV_FIELD_BOOL(I8254, ch[i].gate), \
    DEV_FIELD_U32(I8254, ch[i].count), DEV_FIELD_U64(I8254, ch[i].load_time), \
    DEV_FIELD_BOOL(I8254, ch[i].counting), DEV_FIELD_BOOL(I8254, ch[i].armed), \
    DEV_FIELD_U64(I8254, ch[i].frozen_ticks), DEV_FIELD_BOOL(I8254, ch[i].reload_pending), \
    DEV_FIELD_U64(I8254, ch[i].reload_time), DEV_FIELD_U32(I8254, ch[i].next_count), \
    DEV_FIELD_U8(I8254, ch[i].ctrl), DEV_FIELD_BOOL(I8254, ch[i].write_msb_next), \
    DEV_FIELD_U8(I8254, ch[i].write_lsb), DEV_FIELD_BOOL(I8254, ch[i].read_msb_next), \
    DEV_FIELD_BOOL(I8254, ch[i].count_latched), DEV_FIELD_U16(I8254, ch[i].latch), \
    DEV_FIELD_U8(I8254, ch[i].latch_reads), DEV_FIELD_BOOL(I8254, ch[i].status_latched), \
    DEV_FIELD_U8(I8254, ch[i].status), DEV_FIELD_BOOL(I8254, ch[i].null_count), \
    DEV_FIELD_BOOL(I8254, ch[i].out_initial)
    CH_FIELDS(0), CH_FIELDS(1), CH_FIELDS(2),
#undef CH_FIELDS
    DEV_FIELD_U8(I8254, port61),
    DEV_FIELD_BOOL(I8254, irq0_level),
    DEV_FIELD_END,
};

const DeviceClass i8254_class = {
    .name = "i8254",
    .desc = "8254 PIT (0x40-0x43, IRQ 0) and port B (0x61)",
    .reset = i8254_reset,
    .fields = i8254_fields,
};

void i8254_init(I8254 *s, TimerList *clock)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &i8254_class;
    s->clock = clock;
    timer_init(&s->irq_timer, clock, pit_irq_timer, s);
    i8254_reset(s);
}

bool i8254_map(I8254 *s, AddressSpace *io)
{
    return memory_region_add_mmio(io, "pit", 0x40, 4, &i8254_ops, s, 0) &&
           memory_region_add_mmio(io, "port-b", 0x61, 1, &portb_ops, s, 0);
}
