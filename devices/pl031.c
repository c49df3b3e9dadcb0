/*
 * PL031 real-time clock, after the ARM PrimeCell RTC (PL031) Technical
 * Reference Manual (DDI 0224): RTCDR counts seconds, a write to RTCLR
 * loads it, and the match interrupt is raised when it reaches RTCMR. As in
 * QEMU's model the counter runs from reset, so RTCCR.RTCStart reads 1 from
 * reset (and cannot be cleared), which is what Linux's rtc-pl031 expects.
 * Must stay true: the IRQ line level always equals (RIS & IMSC) != 0, and
 * the match timer is armed for the next time the counter equals RTCMR.
 */
#include <string.h>
#include "devices/pl031.h"

enum {
    PL031_DR = 0x000, PL031_MR = 0x004, PL031_LR = 0x008, PL031_CR = 0x00c,
    PL031_IMSC = 0x010, PL031_RIS = 0x014, PL031_MIS = 0x018, PL031_ICR = 0x01c,
};

static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static int64_t pl031_now_ns(PL031 *s)
{
    return s->start_ns + s->offset_ns + timerlist_clock_ns(s->clock);
}

static uint32_t pl031_count(PL031 *s)
{
    int64_t ns = pl031_now_ns(s);
    return (uint32_t)((ns >= 0 ? ns : ns - (NS_PER_SEC - 1)) / NS_PER_SEC);
}

static void pl031_update_irq(PL031 *s)
{
    bool level = (s->ris & s->imsc) != 0;
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set_level(&s->irq, level);
    }
}

/* The counter next equals mr at the start of that second: (mr - count)
 * seconds after the current second began, a full wrap (2^32 s) if it
 * equals mr now. */
static void pl031_arm_match(PL031 *s)
{
    int64_t now = pl031_now_ns(s);
    int64_t second_start = now - (now % NS_PER_SEC + NS_PER_SEC) % NS_PER_SEC;
    uint32_t delta = s->mr - pl031_count(s);
    int64_t secs = delta ? (int64_t)delta : (int64_t)1 << 32;
    int64_t at = second_start + secs * NS_PER_SEC;
    timer_mod(&s->match, timerlist_clock_ns(s->clock) + (at - now));
}

static void pl031_match_fired(void *opaque)
{
    PL031 *s = opaque;
    s->ris |= 1;
    pl031_update_irq(s);
    pl031_arm_match(s);
}

static void pl031_reset(void *dev)
{
    PL031 *s = dev;
    timer_del(&s->match);
    s->offset_ns = 0;
    s->mr = s->lr = s->imsc = s->ris = 0;
    s->cr = 1;
    if (s->irq.handler)
        irq_lower(&s->irq);
    s->irq_level = false;
    pl031_arm_match(s);
}

static uint64_t pl031_read(void *opaque, uint64_t addr, unsigned size)
{
    PL031 *s = opaque;
    if (addr >= 0xfe0 && addr < 0x1000)
        return pl031_id[(addr - 0xfe0) >> 2];
    switch (addr) {
    case PL031_DR: return pl031_count(s);
    case PL031_MR: return s->mr;
    case PL031_LR: return s->lr;
    case PL031_CR: return s->cr;
    case PL031_IMSC: return s->imsc;
    case PL031_RIS: return s->ris;
    case PL031_MIS: return s->ris & s->imsc;
    default: return 0;
    }
}

static void pl031_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PL031 *s = opaque;
    uint32_t v = (uint32_t)val;
    switch (addr) {
    case PL031_MR:
        s->mr = v;
        pl031_arm_match(s);
        break;
    case PL031_LR: {
        /* the counter shows v from now, counting on from this instant */
        int64_t now = pl031_now_ns(s);
        s->lr = v;
        s->offset_ns += (int64_t)v * NS_PER_SEC - now;
        pl031_arm_match(s);
        break;
    }
    case PL031_CR: s->cr |= v & 1; break;        /* RTCStart: set until reset */
    case PL031_IMSC: s->imsc = v & 1; pl031_update_irq(s); break;
    case PL031_ICR: s->ris &= ~v; pl031_update_irq(s); break;
    default: break;
    }
}

static const char *pl031_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    switch (addr) {
    case PL031_DR: return "RTCDR";
    case PL031_MR: return "RTCMR";
    case PL031_LR: return "RTCLR";
    case PL031_CR: return "RTCCR";
    case PL031_IMSC: return "RTCIMSC";
    case PL031_RIS: return "RTCRIS";
    case PL031_MIS: return "RTCMIS";
    case PL031_ICR: return "RTCICR";
    default: return addr >= 0xfe0 && addr < 0x1000 ? "ID register" : "reserved";
    }
}

static const MemoryRegionOps pl031_ops = {
    .read = pl031_read,
    .write = pl031_write,
    .min_access = 4,
    .max_access = 4,
    .reg_name = pl031_reg_name,
};

static const DeviceField pl031_fields[] = {
    DEV_FIELD_U32(PL031, mr), DEV_FIELD_U32(PL031, lr), DEV_FIELD_U32(PL031, cr),
    DEV_FIELD_U32(PL031, imsc), DEV_FIELD_U32(PL031, ris),
    DEV_FIELD_END
};

const DeviceClass pl031_class = {
    .name = "pl031",
    .desc = "ARM PrimeCell PL031 real-time clock",
    .reset = pl031_reset,
    .fields = pl031_fields,
};

void pl031_init(PL031 *s, TimerList *clock, int64_t start_ns)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &pl031_class;
    s->clock = clock;
    s->start_ns = start_ns;
    timer_init(&s->match, clock, pl031_match_fired, s);
    pl031_reset(s);
}

MemoryRegion *pl031_map(PL031 *s, AddressSpace *as, uint64_t base)
{
    return memory_region_add_mmio(as, "pl031", base, 0x1000, &pl031_ops, s, 0);
}
