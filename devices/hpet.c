/*
 * HPET (IA-PC HPET spec 1.0a, with QEMU's behaviour where the spec leaves
 * room). Registers are 64-bit, read and written 32 or 64 bits at a time.
 * The counter runs from the device clock while ENABLE_CNF is set and
 * holds its value while it is clear. A timer fires when the counter
 * passes its comparator: periodic timers then add their period (the
 * value last written to the comparator; with VAL_SET_CNF the write also
 * sets the comparator itself), one-shot timers in 32-bit mode match again
 * after the 32-bit wrap. Edge interrupts are a pulse on the output;
 * level ones set GINTR_STA and hold the output until software writes 1
 * to that bit.
 */
#include <string.h>
#include "devices/hpet.h"

#define CFG_ENABLE     (1ull << 0)
#define CFG_LEGACY     (1ull << 1)
#define TN_LEVEL       (1ull << 1)
#define TN_INT_ENB     (1ull << 2)
#define TN_PERIODIC    (1ull << 3)
#define TN_PER_CAP     (1ull << 4)
#define TN_SIZE_CAP    (1ull << 5)
#define TN_VAL_SET     (1ull << 6)
#define TN_32BIT       (1ull << 8)
#define TN_ROUTE_SHIFT 9
#define TN_ROUTE_MASK  (0x1full << TN_ROUTE_SHIFT)
#define TN_WRITABLE    (TN_LEVEL | TN_INT_ENB | TN_PERIODIC | TN_VAL_SET | TN_32BIT | TN_ROUTE_MASK)

static uint64_t clock_ticks(HPETState *s)
{
    int64_t ns = timerlist_clock_ns(s->timers);
    return (uint64_t)(ns < 0 ? 0 : ns) / (HPET_PERIOD_FS / 1000000u);
}

static bool hpet_enabled(const HPETState *s) { return s->config & CFG_ENABLE; }

uint64_t hpet_counter(HPETState *s)
{
    return hpet_enabled(s) ? clock_ticks(s) + s->counter_offset : s->counter_frozen;
}

/* the output a timer drives: legacy pair, or its routed IOAPIC pin */
static const IRQLine *timer_irq(HPETTimer *t)
{
    HPETState *s = t->hpet;
    if ((s->config & CFG_LEGACY) && t->n < 2)
        return &s->legacy_irq[t->n];
    return &s->gsi[(t->config & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT];
}

static void timer_set_line(HPETTimer *t, bool level)
{
    if (t->line != level) {
        t->line = level;
        irq_set_level(timer_irq(t), level);
    }
}

static void timer_fire(HPETTimer *t)
{
    HPETState *s = t->hpet;
    if (!(t->config & TN_INT_ENB) || !hpet_enabled(s))
        return;
    if (t->config & TN_LEVEL) {
        s->isr |= 1ull << t->n;
        timer_set_line(t, true);
    } else {
        timer_set_line(t, true);   /* an edge: a pulse */
        timer_set_line(t, false);
    }
}

static uint64_t width_mask(const HPETTimer *t)
{
    return (t->config & TN_32BIT) ? 0xffffffffull : ~0ull;
}

/* arm the host timer for when the counter reaches ticks_ahead more */
static void timer_arm_in(HPETTimer *t, uint64_t ticks_ahead)
{
    HPETState *s = t->hpet;
    if (ticks_ahead > (1ull << 58) / 10)
        ticks_ahead = (1ull << 58) / 10;            /* years away: keep clock + delay in range */
    timer_mod(&t->timer, timerlist_clock_ns(s->timers) + (int64_t)ticks_ahead * (HPET_PERIOD_FS / 1000000u));
}

/* arm for the next match of the comparator (now, if it matches now) */
static void timer_arm(HPETTimer *t)
{
    if (!hpet_enabled(t->hpet)) {
        timer_del(&t->timer);
        return;
    }
    timer_arm_in(t, (t->cmp - hpet_counter(t->hpet)) & width_mask(t));
}

static void timer_cb(void *opaque)
{
    HPETTimer *t = opaque;
    HPETState *s = t->hpet;
    uint64_t now = hpet_counter(s), mask = width_mask(t);
    uint64_t past = (now - t->cmp) & mask;           /* ticks since the comparator */
    if (past > (mask >> 1)) {                        /* not there yet (a clamped wait) */
        timer_arm(t);
        return;
    }
    timer_fire(t);
    if ((t->config & TN_PERIODIC) && t->period) {
        /* the next period boundary after now (missed periods are dropped, as QEMU) */
        t->cmp = (t->cmp + (past / t->period + 1) * t->period) & mask;
        timer_arm(t);
    } else if (t->config & TN_32BIT) {
        timer_arm_in(t, (mask + 1) - past);          /* matches again after the wrap */
    }
}

static uint64_t timer_reg_read(HPETTimer *t, unsigned reg)
{
    switch (reg) {
    case 0x00: return t->config;
    case 0x08: return t->cmp;
    default: return 0;           /* FSB route: not offered */
    }
}

static void timer_config_write(HPETTimer *t, uint64_t v)
{
    uint64_t old = t->config;
    t->config = (old & ~TN_WRITABLE) | (v & TN_WRITABLE);
    if (!(t->config & TN_LEVEL) || !(t->config & TN_INT_ENB)) {
        t->hpet->isr &= ~(1ull << t->n);
        timer_set_line(t, false);
    }
    if (t->config & TN_32BIT) {
        t->cmp &= 0xffffffffull;
        t->period &= 0xffffffffull;
    }
    if ((old ^ t->config) & TN_ROUTE_MASK)
        timer_set_line(t, false);
    timer_arm(t);
}

static void timer_cmp_write(HPETTimer *t, uint64_t v, uint64_t lane_mask)
{
    if (t->config & TN_32BIT)
        v &= 0xffffffffull;
    bool periodic = t->config & TN_PERIODIC;
    if (!periodic || (t->config & TN_VAL_SET))
        t->cmp = (t->cmp & ~lane_mask) | (v & lane_mask);
    if (periodic)
        t->period = ((t->period & ~lane_mask) | (v & lane_mask)) & (width_mask(t) >> 1);
    t->config &= ~TN_VAL_SET;
    timer_arm(t);
}

static uint64_t hpet_reg_read(HPETState *s, unsigned reg)
{
    switch (reg) {
    case 0x000: return HPET_GCAP_ID_LOW | ((uint64_t)HPET_PERIOD_FS << 32);
    case 0x010: return s->config;
    case 0x020: return s->isr;
    case 0x0f0: return hpet_counter(s);
    default:
        if (reg >= 0x100 && reg < 0x100 + 0x20 * HPET_NUM_TIMERS)
            return timer_reg_read(&s->t[(reg - 0x100) / 0x20], reg & 0x18);
        return 0;
    }
}

static void hpet_gen_config_write(HPETState *s, uint64_t v)
{
    uint64_t old = s->config;
    s->config = v & (CFG_ENABLE | CFG_LEGACY);
    if ((old ^ s->config) & CFG_ENABLE) {
        if (s->config & CFG_ENABLE)
            s->counter_offset = s->counter_frozen - clock_ticks(s);
        else
            s->counter_frozen = clock_ticks(s) + s->counter_offset;
    }
    if ((old ^ s->config) & (CFG_ENABLE | CFG_LEGACY)) {
        /* routes or running state changed: outputs start from low */
        for (int i = 0; i < HPET_NUM_TIMERS; i++) {
            HPETTimer *t = &s->t[i];
            if ((old ^ s->config) & CFG_LEGACY && t->n < 2 && t->line) {
                /* drop the level on the route it was on */
                s->config ^= CFG_LEGACY;
                timer_set_line(t, false);
                s->config ^= CFG_LEGACY;
            }
            if (!(s->config & CFG_ENABLE)) {
                timer_set_line(t, false);
                s->isr &= ~(1ull << i);
            }
            timer_arm(t);
        }
    }
}

/* a write of the lanes in lane_mask of the 64-bit register at reg */
static void hpet_reg_write(HPETState *s, unsigned reg, uint64_t v, uint64_t lane_mask)
{
    uint64_t merged = (hpet_reg_read(s, reg) & ~lane_mask) | (v & lane_mask);
    switch (reg) {
    case 0x010:
        hpet_gen_config_write(s, merged);
        return;
    case 0x020:
        /* write 1 to clear a level timer's status */
        for (int i = 0; i < HPET_NUM_TIMERS; i++)
            if (v & lane_mask & (1ull << i) && (s->isr & (1ull << i))) {
                s->isr &= ~(1ull << i);
                timer_set_line(&s->t[i], false);
            }
        return;
    case 0x0f0:
        if (hpet_enabled(s))
            return;               /* the counter is writable only while halted */
        s->counter_frozen = merged;
        return;
    default:
        break;
    }
    if (reg >= 0x100 && reg < 0x100 + 0x20 * HPET_NUM_TIMERS) {
        HPETTimer *t = &s->t[(reg - 0x100) / 0x20];
        if ((reg & 0x18) == 0x00)
            timer_config_write(t, merged);
        else if ((reg & 0x18) == 0x08)
            timer_cmp_write(t, v, lane_mask);
    }
}

static uint64_t hpet_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    HPETState *s = opaque;
    uint64_t v = hpet_reg_read(s, (unsigned)addr & 0x3f8);
    v >>= (addr & 7) * 8;
    return size == 8 ? v : v & ((1ull << (size * 8)) - 1);
}

static void hpet_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    HPETState *s = opaque;
    unsigned shift = (addr & 7) * 8;
    uint64_t lanes = (size == 8 ? ~0ull : ((1ull << (size * 8)) - 1)) << shift;
    hpet_reg_write(s, (unsigned)addr & 0x3f8, val << shift, lanes);
}

static const char *hpet_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    unsigned reg = (unsigned)addr & 0x3f8;
    static const char *const tn[] = { "Tn_CONF", "Tn_COMPARATOR", "Tn_FSB_ROUTE", "reserved" };
    switch (reg) {
    case 0x000: return "GCAP_ID";
    case 0x010: return "GEN_CONF";
    case 0x020: return "GINTR_STA";
    case 0x0f0: return "MAIN_COUNTER";
    default:
        return reg >= 0x100 && reg < 0x100 + 0x20 * HPET_NUM_TIMERS ? tn[(reg >> 3) & 3] : "reserved";
    }
}

const MemoryRegionOps hpet_ops = {
    .read = hpet_mmio_read,
    .write = hpet_mmio_write,
    .min_access = 4,
    .max_access = 8,
    .reg_name = hpet_reg_name,
};

static void hpet_reset(void *dev)
{
    HPETState *s = dev;
    s->config = 0;
    s->isr = 0;
    s->counter_offset = 0;
    s->counter_frozen = 0;
    for (int i = 0; i < HPET_NUM_TIMERS; i++) {
        HPETTimer *t = &s->t[i];
        timer_del(&t->timer);
        timer_set_line(t, false);
        t->config = TN_PER_CAP | TN_SIZE_CAP | ((uint64_t)HPET_INT_CAP << 32);
        t->cmp = ~0ull;
        t->period = 0;
    }
}

static const DeviceField hpet_fields[] = {
    DEV_FIELD_U64(HPETState, config),
    DEV_FIELD_U64(HPETState, isr),
    DEV_FIELD_U64(HPETState, counter_offset),
    DEV_FIELD_U64(HPETState, counter_frozen),
    DEV_FIELD_U64(HPETState, t[0].config), DEV_FIELD_U64(HPETState, t[0].cmp),
    DEV_FIELD_U64(HPETState, t[0].period),
    DEV_FIELD_U64(HPETState, t[1].config), DEV_FIELD_U64(HPETState, t[1].cmp),
    DEV_FIELD_U64(HPETState, t[1].period),
    DEV_FIELD_U64(HPETState, t[2].config), DEV_FIELD_U64(HPETState, t[2].cmp),
    DEV_FIELD_U64(HPETState, t[2].period),
    DEV_FIELD_END,
};

const DeviceClass hpet_class = {
    .name = "hpet",
    .desc = "HPET: 100 MHz counter, 3 timers, legacy replacement (IRQ 0/8)",
    .reset = hpet_reset,
    .fields = hpet_fields,
};

void hpet_init(HPETState *s, TimerList *timers)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &hpet_class;
    s->timers = timers;
    for (int i = 0; i < HPET_NUM_TIMERS; i++) {
        s->t[i].hpet = s;
        s->t[i].n = i;
        timer_init(&s->t[i].timer, timers, timer_cb, &s->t[i]);
    }
    hpet_reset(s);
}

MemoryRegion *hpet_map(HPETState *s, AddressSpace *mem, uint64_t base)
{
    return memory_region_add_mmio(mem, "hpet", base, HPET_MMIO_SIZE, &hpet_ops, s, 1);
}
