/*
 * MC146818 RTC and CMOS (see mc146818rtc.h), after the Motorola datasheet.
 * The time registers are derived from the device clock when read (BCD or
 * binary per B.DM, 12/24 hour per B.24/12); writing one moves the clock.
 * B.SET (or a divider held in reset through A.DV) freezes the registers
 * so software can write them; clearing it starts the next second from
 * what was written. UIP reads 1 during the 244 us before each update.
 * Register C's flags: PF at the periodic rate (A.RS), UF after each update,
 * AF when the update matches the alarm (0xc0-0xff in an alarm byte matches
 * anything); IRQF = any flag whose enable (B.PIE/AIE/UIE) is set, and IRQ 8
 * follows IRQF. Reading C returns and clears them. Flags are brought up to
 * date from the clock whenever C is read; timers run only for enabled
 * interrupts, so a guest that never enables one costs no host wake-ups.
 */
#include <string.h>
#include "devices/mc146818rtc.h"

#define REG_SEC 0x00
#define REG_SEC_ALARM 0x01
#define REG_MIN 0x02
#define REG_MIN_ALARM 0x03
#define REG_HOUR 0x04
#define REG_HOUR_ALARM 0x05
#define REG_WDAY 0x06
#define REG_MDAY 0x07
#define REG_MONTH 0x08
#define REG_YEAR 0x09

#define A_UIP   0x80
#define A_DV    0x70
#define A_RS    0x0f
#define B_SET   0x80
#define B_PIE   0x40
#define B_AIE   0x20
#define B_UIE   0x10
#define B_SQWE  0x08
#define B_DM    0x04     /* 1 = binary */
#define B_24H   0x02
#define C_IRQF  0x80
#define C_PF    0x40
#define C_AF    0x20
#define C_UF    0x10
#define D_VRT   0x80

#define UIP_NS  244000   /* UIP rises this long before the update */
#define RTC_HZ  32768

/* ---- calendar (proleptic Gregorian, days since 1970-01-01) ---- */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* ---- register formats ---- */
static uint8_t to_reg(const MC146818 *s, unsigned v)
{
    return (s->cmos[RTC_REG_B] & B_DM) ? (uint8_t)v : (uint8_t)((v / 10) << 4 | (v % 10));
}

static unsigned from_reg(const MC146818 *s, uint8_t r)
{
    return (s->cmos[RTC_REG_B] & B_DM) ? r : (unsigned)((r >> 4) * 10 + (r & 0xf));
}

static uint8_t hour_to_reg(const MC146818 *s, unsigned h)
{
    if (s->cmos[RTC_REG_B] & B_24H)
        return to_reg(s, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return (uint8_t)(to_reg(s, h12) | (h >= 12 ? 0x80 : 0));
}

static unsigned hour_from_reg(const MC146818 *s, uint8_t r)
{
    if (s->cmos[RTC_REG_B] & B_24H)
        return from_reg(s, r);
    return from_reg(s, r & 0x7f) % 12 + ((r & 0x80) ? 12 : 0);
}

/* ---- time ---- */
static bool rtc_frozen(const MC146818 *s)
{
    /* SET, or the divider chain not in its normal 32.768 kHz setting */
    return (s->cmos[RTC_REG_B] & B_SET) || (s->cmos[RTC_REG_A] & A_DV) != 0x20;
}

static int64_t rtc_now_ns(MC146818 *s)
{
    return s->base_ns + timerlist_clock_ns(s->clock);
}

/* Write the time and date registers (and the century byte) for secs. */
static void rtc_store_time(MC146818 *s, int64_t secs)
{
    int64_t days = floor_div(secs, 86400), y;
    unsigned sod = (unsigned)(secs - days * 86400), m, d;
    civil_from_days(days, &y, &m, &d);
    s->cmos[REG_SEC] = to_reg(s, sod % 60);
    s->cmos[REG_MIN] = to_reg(s, sod / 60 % 60);
    s->cmos[REG_HOUR] = hour_to_reg(s, sod / 3600);
    s->cmos[REG_WDAY] = to_reg(s, (unsigned)((days % 7 + 11) % 7) + 1);   /* Sunday = 1 */
    s->cmos[REG_MDAY] = to_reg(s, d);
    s->cmos[REG_MONTH] = to_reg(s, m);
    s->cmos[REG_YEAR] = to_reg(s, (unsigned)(y % 100));
    s->cmos[RTC_CENTURY] = to_reg(s, (unsigned)(y / 100));
}

/* The registers as a time (out-of-range fields are taken as they come,
 * as the chip's counters would roll them over). */
static int64_t rtc_load_time(const MC146818 *s)
{
    unsigned year = from_reg(s, s->cmos[RTC_CENTURY]) * 100 + from_reg(s, s->cmos[REG_YEAR]);
    unsigned mon = from_reg(s, s->cmos[REG_MONTH]), day = from_reg(s, s->cmos[REG_MDAY]);
    if (mon < 1 || mon > 12)
        mon = 1;
    if (day < 1)
        day = 1;
    return days_from_civil(year, mon, day) * 86400 + hour_from_reg(s, s->cmos[REG_HOUR]) * 3600 +
           from_reg(s, s->cmos[REG_MIN]) * 60 + from_reg(s, s->cmos[REG_SEC]);
}

int64_t mc146818_get_time(MC146818 *s)
{
    if (rtc_frozen(s))
        return rtc_load_time(s);
    return floor_div(rtc_now_ns(s), NS_PER_SEC);
}

/* ---- interrupts ---- */
static void rtc_update_irq(MC146818 *s)
{
    uint8_t c = s->cmos[RTC_REG_C] & (C_PF | C_AF | C_UF);
    uint8_t en = s->cmos[RTC_REG_B] & (B_PIE | B_AIE | B_UIE);   /* same bit order as C */
    if (c & en)
        c |= C_IRQF;
    s->cmos[RTC_REG_C] = c;
    bool level = c & C_IRQF;
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set_level(&s->irq, level);
    }
}

static bool rtc_alarm_matches(MC146818 *s, int64_t secs)
{
    rtc_store_time(s, secs);
    static const uint8_t pairs[3][2] = { { REG_SEC_ALARM, REG_SEC }, { REG_MIN_ALARM, REG_MIN },
                                         { REG_HOUR_ALARM, REG_HOUR } };
    for (int i = 0; i < 3; i++) {
        uint8_t a = s->cmos[pairs[i][0]];
        if ((a & 0xc0) != 0xc0 && a != s->cmos[pairs[i][1]])
            return false;
    }
    return true;
}

/* Periodic rate select: the interval in 32.768 kHz ticks, 0 = off. */
static int64_t rtc_period_ticks(const MC146818 *s)
{
    unsigned rs = s->cmos[RTC_REG_A] & A_RS;
    if (!rs)
        return 0;
    if (rs <= 2)
        rs += 7;                 /* 1 and 2 repeat 8 and 9 at 32.768 kHz */
    return 1ll << (rs - 1);
}

static int64_t ns_to_rtc_ticks(int64_t ns)
{
    return (int64_t)(((__int128)ns * RTC_HZ) / NS_PER_SEC) - (ns < 0 && ((__int128)ns * RTC_HZ) % NS_PER_SEC);
}

/* Bring C's flags up to date: every boundary passed since the last look. */
static void rtc_check_flags(MC146818 *s)
{
    int64_t now = rtc_now_ns(s), last = s->flags_checked_ns;
    s->flags_checked_ns = now;
    if (rtc_frozen(s) || now <= last)
        return;
    int64_t period = rtc_period_ticks(s);
    if (period && floor_div(ns_to_rtc_ticks(now), period) > floor_div(ns_to_rtc_ticks(last), period))
        s->cmos[RTC_REG_C] |= C_PF;
    int64_t sec_now = floor_div(now, NS_PER_SEC), sec_last = floor_div(last, NS_PER_SEC);
    if (sec_now > sec_last) {
        s->cmos[RTC_REG_C] |= C_UF;
        /* the alarm is checked at the last update passed (a guest that
         * polls C without AIE sees the most recent match) */
        uint8_t saved[sizeof(s->cmos)];
        memcpy(saved, s->cmos, sizeof(saved));
        bool match = rtc_alarm_matches(s, sec_now);
        memcpy(s->cmos, saved, sizeof(saved));
        if (match)
            s->cmos[RTC_REG_C] |= C_AF;
    }
    rtc_update_irq(s);
}

/* Arm the timers the enabled interrupts need, at their next boundary. */
static void rtc_arm_timers(MC146818 *s)
{
    int64_t clock = timerlist_clock_ns(s->clock), now = s->base_ns + clock;
    int64_t period = rtc_period_ticks(s);
    uint8_t b = s->cmos[RTC_REG_B];

    if ((b & B_PIE) && period && !rtc_frozen(s)) {
        int64_t next = (floor_div(ns_to_rtc_ticks(now), period) + 1) * period;
        int64_t ns = (int64_t)(((__int128)next * NS_PER_SEC + RTC_HZ - 1) / RTC_HZ);
        timer_mod(&s->periodic_timer, ns - s->base_ns);
    } else {
        timer_del(&s->periodic_timer);
    }
    if ((b & (B_UIE | B_AIE)) && !rtc_frozen(s))
        timer_mod(&s->update_timer, (floor_div(now, NS_PER_SEC) + 1) * NS_PER_SEC - s->base_ns);
    else
        timer_del(&s->update_timer);
}

static void rtc_timer_cb(void *opaque)
{
    MC146818 *s = opaque;
    rtc_check_flags(s);
    rtc_arm_timers(s);
}

/* ---- registers ---- */
static bool is_time_reg(unsigned idx)
{
    return idx == REG_SEC || idx == REG_MIN || idx == REG_HOUR || (idx >= REG_WDAY && idx <= REG_YEAR) ||
           idx == RTC_CENTURY;
}

static uint8_t rtc_read_reg(MC146818 *s, unsigned idx)
{
    if (is_time_reg(idx)) {
        if (!rtc_frozen(s))
            rtc_store_time(s, floor_div(rtc_now_ns(s), NS_PER_SEC));
        return s->cmos[idx];
    }
    switch (idx) {
    case RTC_REG_A: {
        uint8_t a = s->cmos[RTC_REG_A] & (uint8_t)~A_UIP;
        if (!rtc_frozen(s)) {
            int64_t now = rtc_now_ns(s);
            if (now - floor_div(now, NS_PER_SEC) * NS_PER_SEC >= NS_PER_SEC - UIP_NS)
                a |= A_UIP;
        }
        return a;
    }
    case RTC_REG_C: {
        rtc_check_flags(s);
        uint8_t c = s->cmos[RTC_REG_C];
        s->cmos[RTC_REG_C] = 0;
        rtc_update_irq(s);
        return c;
    }
    default:
        return s->cmos[idx];
    }
}

static void rtc_write_reg(MC146818 *s, unsigned idx, uint8_t val)
{
    if (is_time_reg(idx)) {
        if (rtc_frozen(s)) {
            s->cmos[idx] = val;
            return;
        }
        /* running: the new field takes effect within the current second */
        int64_t now = rtc_now_ns(s), sec = floor_div(now, NS_PER_SEC);
        rtc_store_time(s, sec);
        s->cmos[idx] = val;
        s->base_ns += (rtc_load_time(s) - sec) * NS_PER_SEC;
        s->flags_checked_ns = rtc_now_ns(s);
        rtc_arm_timers(s);
        return;
    }
    switch (idx) {
    case RTC_REG_A: {
        bool was_frozen = rtc_frozen(s);
        int64_t secs = mc146818_get_time(s);
        rtc_check_flags(s);
        if (!was_frozen)
            rtc_store_time(s, secs);
        s->cmos[RTC_REG_A] = (val & (uint8_t)~A_UIP) | (s->cmos[RTC_REG_A] & A_UIP);
        if (was_frozen && !rtc_frozen(s)) {
            /* out of divider reset: the first update comes 500 ms later */
            s->base_ns = rtc_load_time(s) * NS_PER_SEC + NS_PER_SEC / 2 - timerlist_clock_ns(s->clock);
            s->flags_checked_ns = rtc_now_ns(s);
        }
        rtc_arm_timers(s);
        return;
    }
    case RTC_REG_B: {
        bool was_frozen = rtc_frozen(s);
        int64_t secs = mc146818_get_time(s);
        rtc_check_flags(s);
        if (val & B_SET)
            val &= (uint8_t)~B_UIE;        /* SET clears UIE */
        if (!was_frozen)
            rtc_store_time(s, secs);       /* freeze (or reformat) what the guest sees */
        s->cmos[RTC_REG_B] = val;
        if (!was_frozen && !rtc_frozen(s)) {
            /* a format change rewrites the registers in the new format */
            rtc_store_time(s, secs);
        } else if (was_frozen && !rtc_frozen(s)) {
            /* SET cleared: counting resumes from the registers, the next
             * update one second later */
            s->base_ns = rtc_load_time(s) * NS_PER_SEC - timerlist_clock_ns(s->clock);
            s->flags_checked_ns = rtc_now_ns(s);
        }
        rtc_update_irq(s);
        rtc_arm_timers(s);
        return;
    }
    case RTC_REG_C:
    case RTC_REG_D:
        return;                             /* read-only */
    default:
        s->cmos[idx] = val;
        return;
    }
}

static uint64_t rtc_read(void *opaque, uint64_t addr, unsigned size)
{
    MC146818 *s = opaque;
    if (addr == 0)
        return 0xff;                        /* the index register is write-only */
    return rtc_read_reg(s, s->index);
}

static void rtc_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    MC146818 *s = opaque;
    if (addr == 0) {
        s->index = val & 0x7f;
        s->nmi_masked = val & 0x80;
        return;
    }
    rtc_write_reg(s, s->index, (uint8_t)val);
}

static const char *rtc_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    static const char *const names[14] = {
        "seconds", "seconds alarm", "minutes", "minutes alarm", "hours", "hours alarm",
        "day of week", "day of month", "month", "year", "register A", "register B",
        "register C", "register D",
    };
    const MC146818 *s = opaque;
    if (addr == 0)
        return "index (bit 7: NMI mask)";
    if (s->index < 14)
        return names[s->index];
    return s->index == RTC_CENTURY ? "century" : "CMOS RAM";
}

static const MemoryRegionOps mc146818_ops = {
    .read = rtc_read, .write = rtc_write, .min_access = 1, .max_access = 1,
    .reg_name = rtc_reg_name,
};

/* System reset: the clock and the RAM are battery backed and keep going;
 * the interrupt enables and flags are cleared (datasheet: RESET clears
 * PIE, AIE, UIE, SQWE and the flags of C). */
static void mc146818_reset(void *opaque)
{
    MC146818 *s = opaque;
    s->cmos[RTC_REG_B] &= (uint8_t)~(B_PIE | B_AIE | B_UIE | B_SQWE);
    s->cmos[RTC_REG_C] = 0;
    s->flags_checked_ns = rtc_now_ns(s);
    rtc_update_irq(s);
    rtc_arm_timers(s);
}

static const DeviceField mc146818_fields[] = {
    DEV_FIELD_BYTES(MC146818, cmos),
    DEV_FIELD_U8(MC146818, index),
    DEV_FIELD_BOOL(MC146818, nmi_masked),
    DEV_FIELD_U64(MC146818, base_ns),
    DEV_FIELD_U64(MC146818, flags_checked_ns),
    DEV_FIELD_BOOL(MC146818, irq_level),
    DEV_FIELD_END,
};

const DeviceClass mc146818_class = {
    .name = "mc146818rtc",
    .desc = "MC146818 RTC and CMOS RAM (0x70-0x71, IRQ 8)",
    .reset = mc146818_reset,
    .fields = mc146818_fields,
};

void mc146818_init(MC146818 *s, TimerList *clock, int64_t start_ns)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &mc146818_class;
    s->clock = clock;
    timer_init(&s->periodic_timer, clock, rtc_timer_cb, s);
    timer_init(&s->update_timer, clock, rtc_timer_cb, s);
    s->cmos[RTC_REG_A] = 0x26;      /* 32.768 kHz, 1024 Hz periodic rate */
    s->cmos[RTC_REG_B] = B_24H;     /* BCD, 24 hour, no interrupts */
    s->cmos[RTC_REG_D] = D_VRT;     /* the battery is fine */
    s->base_ns = start_ns - timerlist_clock_ns(clock);
    s->flags_checked_ns = rtc_now_ns(s);
    rtc_store_time(s, floor_div(rtc_now_ns(s), NS_PER_SEC));
}

bool mc146818_map(MC146818 *s, AddressSpace *io)
{
    return memory_region_add_mmio(io, "rtc", 0x70, 2, &mc146818_ops, s, 0) != NULL;
}

void mc146818_cmos_set(MC146818 *s, unsigned idx, uint8_t val)
{
    if (idx < sizeof(s->cmos) && !is_time_reg(idx) && (idx < RTC_REG_A || idx > RTC_REG_D))
        s->cmos[idx] = val;
}

uint8_t mc146818_cmos_get(MC146818 *s, unsigned idx)
{
    return idx < sizeof(s->cmos) ? s->cmos[idx] : 0xff;
}
