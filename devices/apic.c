/*
 * Local APIC, xAPIC register interface (Intel SDM vol. 3 ch. 10/11), with
 * QEMU's identity: version 0x50014 (six LVT entries), a 1 GHz bus clock
 * for the timer, LINT0 reset to ExtINT on the BSP (the state firmware
 * leaves it in, so a guest that only programs the PIC still gets its
 * interrupts with the APIC enabled). One CPU: an IPI reaches this APIC or
 * nothing (INIT/SIPI to absent CPUs are dropped).
 * Must stay true: the CPU's INTR level is recomputed after every change of
 * IRR/ISR/TPR/SVR/LINT0, because the CPU clears its request when it
 * acknowledges and relies on the controller to raise it again.
 */
#include <string.h>
#include "devices/apic.h"

#define LVT_MASKED        (1u << 16)
#define LVT_DELIV_STATUS  (1u << 12)
#define LVT_REMOTE_IRR    (1u << 14)
#define LVT_LEVEL_TRIG    (1u << 15)
#define LVT_TIMER_PERIODIC (1u << 17)
#define SVR_ENABLE        (1u << 8)
#define ESR_SEND_ILLEGAL  (1u << 5)
#define ESR_RECV_ILLEGAL  (1u << 6)
#define ESR_ILLEGAL_REG   (1u << 7)

/* what software may write in each LVT entry (delivery status and remote
 * IRR are read-only; the timer has no delivery mode; TSC-deadline mode is
 * not advertised, so timer mode bit 18 stays 0) */
static const uint32_t lvt_write_mask[APIC_LVT_NB] = {
    [APIC_LVT_TIMER] = 0x000300ff,
    [APIC_LVT_THERMAL] = 0x000107ff,
    [APIC_LVT_PERF] = 0x000107ff,
    [APIC_LVT_LINT0] = 0x0001a7ff,
    [APIC_LVT_LINT1] = 0x0001a7ff,
    [APIC_LVT_ERROR] = 0x000100ff,
};

static void set_bit256(uint32_t *t, int v) { t[v >> 5] |= 1u << (v & 31); }
static void clear_bit256(uint32_t *t, int v) { t[v >> 5] &= ~(1u << (v & 31)); }
static bool test_bit256(const uint32_t *t, int v) { return t[v >> 5] >> (v & 31) & 1; }

/* highest set bit of a 256-bit table, -1 if none */
static int highest_bit256(const uint32_t *t)
{
    for (int i = 7; i >= 0; i--)
        if (t[i])
            return i * 32 + 31 - __builtin_clz(t[i]);
    return -1;
}

static bool hw_enabled(const APICState *s) { return s->apicbase & APIC_BASE_ENABLE; }
static bool sw_enabled(const APICState *s) { return s->spurious & SVR_ENABLE; }

static int64_t clock_ns(APICState *s) { return timerlist_clock_ns(s->timers); }

/* PPR (SDM 10.8.3.1): TPR if its class is not below the in-service class */
static uint8_t apic_ppr(const APICState *s)
{
    int isrv = highest_bit256(s->isr);
    if (isrv < 0)
        isrv = 0;
    if ((s->tpr >> 4) >= (isrv >> 4))
        return s->tpr;
    return isrv & 0xf0;
}

/* APR (P6 definition, SDM 10.8.3 of older editions) */
static uint8_t apic_apr(const APICState *s)
{
    int isrv = highest_bit256(s->isr), irrv = highest_bit256(s->irr);
    if (isrv < 0)
        isrv = 0;
    if (irrv < 0)
        irrv = 0;
    if ((s->tpr >> 4) >= (irrv >> 4) && (s->tpr >> 4) > (isrv >> 4))
        return s->tpr;
    uint8_t m = s->tpr & 0xf0;
    if ((isrv & 0xf0) > m)
        m = isrv & 0xf0;
    if ((irrv & 0xf0) > m)
        m = irrv & 0xf0;
    return m;
}

/* does the PIC reach the CPU (through LINT0 in ExtINT mode, or directly
 * while the APIC is hardware-disabled)? */
static bool accepts_pic(const APICState *s)
{
    uint32_t lvt0 = s->lvt[APIC_LVT_LINT0];
    if (!hw_enabled(s))
        return true;
    return !(lvt0 & LVT_MASKED) && ((lvt0 >> 8) & 7) == APIC_DM_EXTINT;
}

/* the vector the APIC would deliver: >0 above PPR, -1 pending but masked
 * by PPR (a spurious acknowledge), 0 nothing pending */
static int apic_pending(const APICState *s)
{
    int irrv = highest_bit256(s->irr);
    if (irrv < 0)
        return 0;
    if ((irrv & 0xf0) <= (apic_ppr(s) & 0xf0))
        return -1;
    return irrv;
}

static void apic_update_irq(APICState *s)
{
    bool level;
    if (!hw_enabled(s))
        level = s->pic_level;
    else
        level = (sw_enabled(s) && apic_pending(s) > 0) || s->extint_pending ||
                (accepts_pic(s) && s->pic_level);
    s->intr_level = level;
    if (s->set_intr)
        s->set_intr(s->cpu_opaque, level);
}

static void apic_error(APICState *s, uint32_t bits);

/* accept a fixed/lowest-priority interrupt into IRR */
static void apic_accept(APICState *s, int vector, bool level)
{
    if (vector < 16) {
        apic_error(s, ESR_RECV_ILLEGAL);
        return;
    }
    set_bit256(s->irr, vector);
    if (level)
        set_bit256(s->tmr, vector);
    else
        clear_bit256(s->tmr, vector);
    apic_update_irq(s);
}

static void apic_nmi(APICState *s)
{
    if (s->raise_nmi)
        s->raise_nmi(s->cpu_opaque);
}

/* deliver by an LVT entry (timer, LINTn, error ...) */
static void apic_local_deliver(APICState *s, int lvt_index)
{
    uint32_t lvt = s->lvt[lvt_index];
    if (!hw_enabled(s) || (lvt & LVT_MASKED))
        return;
    int mode = lvt_index == APIC_LVT_TIMER ? APIC_DM_FIXED : (lvt >> 8) & 7;
    switch (mode) {
    case APIC_DM_FIXED:
        apic_accept(s, lvt & 0xff, (lvt_index == APIC_LVT_LINT0 || lvt_index == APIC_LVT_LINT1) &&
                                       (lvt & LVT_LEVEL_TRIG));
        break;
    case APIC_DM_NMI:
        apic_nmi(s);
        break;
    case APIC_DM_EXTINT:
        apic_update_irq(s);   /* the PIC's level is looked at directly */
        break;
    default:                  /* SMI, INIT: no SMM, one CPU */
        break;
    }
}

static void apic_error(APICState *s, uint32_t bits)
{
    bool first = !(s->esr_pending & bits);
    s->esr_pending |= bits;
    if (first)
        apic_local_deliver(s, APIC_LVT_ERROR);
}

/* ---- timer ---- */

static int apic_count_shift(const APICState *s)
{
    uint32_t v = (s->divide_conf & 3) | ((s->divide_conf >> 1) & 4);
    return (v + 1) & 7;     /* 0b111 = divide by 1 */
}

static uint32_t apic_current_count(APICState *s)
{
    if (!s->initial_count)
        return 0;
    uint64_t d = (uint64_t)(clock_ns(s) - s->count_load_ns) >> apic_count_shift(s);
    if (s->lvt[APIC_LVT_TIMER] & LVT_TIMER_PERIODIC)
        return s->initial_count - (uint32_t)(d % ((uint64_t)s->initial_count + 1));
    return d >= s->initial_count ? 0 : s->initial_count - (uint32_t)d;
}

/* arm the timer for the next time the count reaches zero (QEMU's rule:
 * one-shot after initial_count + 1 ticks, periodic every initial_count + 1) */
static void apic_timer_rearm(APICState *s)
{
    if (!s->timers)
        return;
    if (!s->initial_count) {
        timer_del(&s->timer);
        return;
    }
    uint64_t period = (uint64_t)s->initial_count + 1;
    uint64_t d = (uint64_t)(clock_ns(s) - s->count_load_ns) >> apic_count_shift(s);
    uint64_t next;
    if (s->lvt[APIC_LVT_TIMER] & LVT_TIMER_PERIODIC)
        next = (d / period + 1) * period;
    else if (d < s->initial_count)
        next = period;
    else {
        timer_del(&s->timer);
        return;
    }
    timer_mod(&s->timer, s->count_load_ns + (int64_t)(next << apic_count_shift(s)));
}

static void apic_timer_cb(void *opaque)
{
    APICState *s = opaque;
    apic_local_deliver(s, APIC_LVT_TIMER);
    apic_timer_rearm(s);
}

/* ---- IPIs and messages ---- */

static bool apic_match_dest(const APICState *s, uint8_t dest, int logical)
{
    if (!logical)
        return dest == 0xff || dest == s->id;
    if (dest == 0xff)
        return true;
    if (((s->dest_mode >> 0) & 0xf) == 0xf)          /* flat model */
        return (dest & s->log_dest) != 0;
    /* cluster model: high nibble is the cluster, low nibble a bitmap */
    return (dest >> 4) == (s->log_dest >> 4) && (dest & s->log_dest & 0xf);
}

static void apic_deliver_mode(APICState *s, int delivery_mode, uint8_t vector, int trigger_level)
{
    switch (delivery_mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWEST:
        apic_accept(s, vector, trigger_level);
        break;
    case APIC_DM_NMI:
        apic_nmi(s);
        break;
    case APIC_DM_EXTINT:
        s->extint_pending = true;
        apic_update_irq(s);
        break;
    default:          /* SMI (no SMM), INIT, SIPI (one CPU, already running) */
        break;
    }
}

void apic_deliver(APICState *s, uint8_t dest, int dest_logical, int delivery_mode,
                  uint8_t vector, int trigger_level)
{
    if (!hw_enabled(s) || !apic_match_dest(s, dest, dest_logical))
        return;
    apic_deliver_mode(s, delivery_mode, vector, trigger_level);
}

/* an ICR low write: send an IPI (SDM 10.6.1) */
static void apic_send_ipi(APICState *s)
{
    uint32_t lo = s->icr[0];
    int mode = (lo >> 8) & 7, shorthand = (lo >> 18) & 3;
    uint8_t vector = lo & 0xff;
    bool level = (lo >> 15) & 1;
    bool to_self;

    if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) && vector < 16) {
        apic_error(s, ESR_SEND_ILLEGAL);
        return;
    }
    switch (shorthand) {
    case 0: to_self = apic_match_dest(s, s->icr[1] >> 24, (lo >> 11) & 1); break;
    case 1: to_self = true; break;
    case 2: to_self = true; break;
    default: to_self = false; break;   /* all excluding self: nobody here */
    }
    if (!to_self)
        return;
    if (mode == APIC_DM_INIT || mode == APIC_DM_SIPI || mode == APIC_DM_EXTINT ||
        (shorthand == 1 && mode != APIC_DM_FIXED))
        return;   /* not deliverable to self (SDM table 10-3), INIT level de-assert */
    apic_deliver_mode(s, mode, vector, level);
}

static void apic_eoi(APICState *s)
{
    int v = highest_bit256(s->isr);
    if (v < 0)
        return;
    clear_bit256(s->isr, v);
    if (test_bit256(s->tmr, v) && s->eoi_broadcast)
        s->eoi_broadcast(s->eoi_opaque, v);
    apic_update_irq(s);
}

static bool apic_add_window(APICState *s, uint64_t base);

/* ---- the CPU side ---- */

int apic_get_interrupt(APICState *s)
{
    int v;
    if (!hw_enabled(s)) {
        v = s->pic_ack ? s->pic_ack(s->pic) : -1;
        apic_update_irq(s);
        return v;
    }
    /* ExtINT ignores priority: the PIC goes first, as QEMU does */
    if (s->extint_pending || (accepts_pic(s) && s->pic_level)) {
        s->extint_pending = false;
        v = s->pic_ack ? s->pic_ack(s->pic) : -1;
        apic_update_irq(s);
        return v;
    }
    if (!sw_enabled(s))
        return -1;
    v = apic_pending(s);
    if (v == 0)
        return -1;
    if (v < 0)
        return s->spurious & 0xff;   /* raised, then masked by a TPR change */
    clear_bit256(s->irr, v);
    set_bit256(s->isr, v);
    apic_update_irq(s);
    return v;
}

void apic_set_tpr_cr8(APICState *s, uint8_t cr8)
{
    s->tpr = (cr8 & 0xf) << 4;
    apic_update_irq(s);
}

uint8_t apic_get_tpr_cr8(APICState *s)
{
    return s->tpr >> 4;
}

uint64_t apic_get_base(const APICState *s)
{
    return s->apicbase;
}

void apic_set_base(APICState *s, uint64_t val)
{
    uint64_t old = s->apicbase;
    /* the BSP flag is read-only; x2APIC (bit 10) is not offered */
    s->apicbase = (val & 0xfffff000ull & 0xfffffffffull) | (val & APIC_BASE_ENABLE) |
                  (old & APIC_BASE_BSP);
    if ((old & APIC_BASE_ENABLE) && !(val & APIC_BASE_ENABLE)) {
        /* a hardware disable is a reset of the APIC's state that keeps the
         * ID; only a system reset enables it again (SDM 10.4.3) */
        uint64_t keep = s->apicbase;
        uint8_t id = s->id;
        device_reset(&s->dev);
        s->apicbase = keep;
        s->id = id;
        s->spurious = 0xff;
    }
    if ((old ^ s->apicbase) & ~0xfffull) {
        apic_add_window(s, s->apicbase & ~0xfffull);
        if (s->remap)
            s->remap(s->remap_opaque, s->apicbase & ~0xfffull);
    }
    apic_update_irq(s);
}

void apic_set_lint0(APICState *s, int level)
{
    bool was = s->pic_level;
    s->pic_level = level != 0;
    uint32_t lvt0 = s->lvt[APIC_LVT_LINT0];
    int mode = (lvt0 >> 8) & 7;
    if (hw_enabled(s) && mode != APIC_DM_EXTINT && level &&
        (!was || (lvt0 & LVT_LEVEL_TRIG)))
        apic_local_deliver(s, APIC_LVT_LINT0);
    apic_update_irq(s);
}

void apic_set_lint1(APICState *s, int level)
{
    bool was = s->lint1_level;
    s->lint1_level = level != 0;
    if (level && !was)
        apic_local_deliver(s, APIC_LVT_LINT1);
}

/* ---- registers ---- */

uint32_t apic_reg_read(APICState *s, uint32_t offset)
{
    unsigned idx = (offset >> 4) & 0xff;
    switch (idx) {
    case 0x02: return (uint32_t)s->id << 24;
    case 0x03: return APIC_VERSION;
    case 0x08: return s->tpr;
    case 0x09: return apic_apr(s);
    case 0x0a: return apic_ppr(s);
    case 0x0b: return 0;                       /* EOI is write-only */
    case 0x0d: return (uint32_t)s->log_dest << 24;
    case 0x0e: return ((uint32_t)s->dest_mode << 28) | 0x0fffffff;
    case 0x0f: return s->spurious;
    case 0x10 ... 0x17: return s->isr[idx - 0x10];
    case 0x18 ... 0x1f: return s->tmr[idx - 0x18];
    case 0x20 ... 0x27: return s->irr[idx - 0x20];
    case 0x28: return s->esr;
    case 0x30: return s->icr[0];
    case 0x31: return s->icr[1];
    case 0x32 ... 0x37: return s->lvt[idx - 0x32];
    case 0x38: return s->initial_count;
    case 0x39: return apic_current_count(s);
    case 0x3e: return s->divide_conf;
    default:
        apic_error(s, ESR_ILLEGAL_REG);
        return 0;
    }
}

void apic_reg_write(APICState *s, uint32_t offset, uint32_t val)
{
    unsigned idx = (offset >> 4) & 0xff;
    switch (idx) {
    case 0x02: s->id = val >> 24; break;
    case 0x03: case 0x09: case 0x0a: break;      /* read-only */
    case 0x08: s->tpr = val & 0xff; apic_update_irq(s); break;
    case 0x0b: apic_eoi(s); break;
    case 0x0d: s->log_dest = val >> 24; break;
    case 0x0e: s->dest_mode = val >> 28; break;
    case 0x0f:
        /* vector and enable; focus checking (bit 9) means nothing with
         * one CPU and EOI-broadcast suppression is not offered (version
         * bit 24 clear): both read 0, as on QEMU */
        s->spurious = val & 0x1ff;
        if (!(val & SVR_ENABLE)) {
            /* software disable masks every LVT entry (SDM 10.4.7.2) */
            for (int i = 0; i < APIC_LVT_NB; i++)
                s->lvt[i] |= LVT_MASKED;
        }
        apic_update_irq(s);
        break;
    case 0x10 ... 0x27: break;                    /* ISR/TMR/IRR read-only */
    case 0x28:
        s->esr = s->esr_pending;                  /* a write latches the errors seen */
        s->esr_pending = 0;
        break;
    case 0x30:
        s->icr[0] = val & ~LVT_DELIV_STATUS;      /* delivery is instantaneous: idle */
        apic_send_ipi(s);
        break;
    case 0x31: s->icr[1] = val & 0xff000000u; break;
    case 0x32 ... 0x37: {
        int n = idx - 0x32;
        uint32_t v = (s->lvt[n] & ~lvt_write_mask[n]) | (val & lvt_write_mask[n]);
        if (!sw_enabled(s))
            v |= LVT_MASKED;
        s->lvt[n] = v;
        if (n == APIC_LVT_TIMER)
            apic_timer_rearm(s);
        else if (n == APIC_LVT_LINT0)
            apic_update_irq(s);
        break;
    }
    case 0x38:
        s->initial_count = val;
        s->count_load_ns = s->timers ? clock_ns(s) : 0;
        apic_timer_rearm(s);
        break;
    case 0x39: break;                            /* current count: read-only */
    case 0x3e:
        s->divide_conf = val & 0xb;
        apic_timer_rearm(s);
        break;
    default:
        apic_error(s, ESR_ILLEGAL_REG);
        break;
    }
}

/* a window that is not the current base, or a hardware-disabled APIC:
 * the access goes to the bus, where nothing answers */
static APICState *apic_window_live(void *opaque)
{
    APICWindow *w = opaque;
    APICState *s = w->apic;
    if (!hw_enabled(s) || (s->apicbase & ~0xfffull) != w->base)
        return NULL;
    return s;
}

static uint64_t apic_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    APICState *s = apic_window_live(opaque);
    if (!s)
        return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    /* registers are 32-bit at 16-byte strides; narrower reads see part of one */
    uint32_t v = apic_reg_read(s, addr & 0xff0);
    v >>= (addr & 3) * 8;
    return size == 4 ? v : v & ((1u << (size * 8)) - 1);
}

static void apic_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    APICState *s = apic_window_live(opaque);
    /* only aligned 32-bit writes are defined; QEMU takes the value anyway */
    if (!s || (addr & 0xf))
        return;
    apic_reg_write(s, addr & 0xff0, (uint32_t)val);
}

static const char *apic_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    static const char *const names[0x40] = {
        [0x02] = "ID", [0x03] = "version", [0x08] = "TPR", [0x09] = "APR",
        [0x0a] = "PPR", [0x0b] = "EOI", [0x0d] = "LDR", [0x0e] = "DFR",
        [0x0f] = "SVR", [0x10 ... 0x17] = "ISR", [0x18 ... 0x1f] = "TMR",
        [0x20 ... 0x27] = "IRR", [0x28] = "ESR", [0x30] = "ICR low",
        [0x31] = "ICR high", [0x32] = "LVT timer", [0x33] = "LVT thermal",
        [0x34] = "LVT perf", [0x35] = "LVT LINT0", [0x36] = "LVT LINT1",
        [0x37] = "LVT error", [0x38] = "timer initial count",
        [0x39] = "timer current count", [0x3e] = "timer divide",
    };
    unsigned idx = (addr >> 4) & 0xff;
    return idx < 0x40 && names[idx] ? names[idx] : "reserved";
}

const MemoryRegionOps apic_mmio_ops = {
    .read = apic_mmio_read,
    .write = apic_mmio_write,
    .min_access = 1,
    .max_access = 4,
    .reg_name = apic_reg_name,
};

static void apic_reset(void *dev)
{
    APICState *s = dev;
    if (s->timers)
        timer_del(&s->timer);
    s->apicbase = APIC_DEFAULT_BASE | APIC_BASE_ENABLE | APIC_BASE_BSP;
    s->tpr = 0;
    s->log_dest = 0;
    s->dest_mode = 0xf;
    s->spurious = 0xff;
    memset(s->isr, 0, sizeof(s->isr));
    memset(s->tmr, 0, sizeof(s->tmr));
    memset(s->irr, 0, sizeof(s->irr));
    for (int i = 0; i < APIC_LVT_NB; i++)
        s->lvt[i] = LVT_MASKED;
    /* as firmware leaves the BSP (and QEMU resets it): virtual wire mode */
    s->lvt[APIC_LVT_LINT0] = APIC_DM_EXTINT << 8;
    s->esr = s->esr_pending = 0;
    s->icr[0] = s->icr[1] = 0;
    s->divide_conf = 0;
    s->initial_count = 0;
    s->count_load_ns = 0;
    s->extint_pending = false;
    s->intr_level = false;
    /* pic_level and lint1_level are input wires: they keep their level */
}

static const DeviceField apic_fields[] = {
    DEV_FIELD_U64(APICState, apicbase),
    DEV_FIELD_U8(APICState, id),
    DEV_FIELD_U8(APICState, tpr),
    DEV_FIELD_U8(APICState, log_dest),
    DEV_FIELD_U8(APICState, dest_mode),
    DEV_FIELD_U32(APICState, spurious),
    DEV_FIELD_BYTES(APICState, isr),
    DEV_FIELD_BYTES(APICState, tmr),
    DEV_FIELD_BYTES(APICState, irr),
    DEV_FIELD_BYTES(APICState, lvt),
    DEV_FIELD_U32(APICState, esr),
    DEV_FIELD_U32(APICState, esr_pending),
    DEV_FIELD_BYTES(APICState, icr),
    DEV_FIELD_U32(APICState, divide_conf),
    DEV_FIELD_U32(APICState, initial_count),
    DEV_FIELD_U64(APICState, count_load_ns),
    DEV_FIELD_BOOL(APICState, pic_level),
    DEV_FIELD_BOOL(APICState, lint1_level),
    DEV_FIELD_BOOL(APICState, extint_pending),
    DEV_FIELD_END,
};

const DeviceClass apic_class = {
    .name = "apic",
    .desc = "local APIC (xAPIC, version 0x14, timer on the device clock)",
    .reset = apic_reset,
    .fields = apic_fields,
};

void apic_init(APICState *s, TimerList *timers, uint8_t id)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &apic_class;
    s->timers = timers;
    if (timers)
        timer_init(&s->timer, timers, apic_timer_cb, s);
    apic_reset(s);
    s->id = id;
}

static bool apic_add_window(APICState *s, uint64_t base)
{
    if (!s->mem)
        return false;
    for (int i = 0; i < s->nb_windows; i++)
        if (s->windows[i].base == base)
            return true;
    if (s->nb_windows == APIC_MAX_WINDOWS)
        return false;
    APICWindow *w = &s->windows[s->nb_windows];
    *w = (APICWindow){ s, base };
    if (!memory_region_add_mmio(s->mem, "apic", base, APIC_MMIO_SIZE, &apic_mmio_ops, w, 1))
        return false;
    s->nb_windows++;
    return true;
}

bool apic_map(APICState *s, AddressSpace *mem)
{
    s->mem = mem;
    return apic_add_window(s, s->apicbase & ~0xfffull);
}
