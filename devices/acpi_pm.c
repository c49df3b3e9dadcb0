/*
 * ACPI PM1a event/control blocks and the PM timer (ACPI 6.x ch. 4.8, PIIX4
 * datasheet 7.2): status bits are write-1-to-clear, the SCI is the level
 * "some enabled status bit is set" gated by SCI_EN, and TMR_STS sets each
 * time bit 23 of the timer changes. The FADT says SMI_CMD = 0 (no SMM, the
 * hardware is always in ACPI mode), so SCI_EN reads 1 from reset on.
 * SLP_TYP 0 with SLP_EN is S5 (the DSDT's \_S5 package, QEMU's value) and
 * goes to the board; other sleep types are not offered and do nothing.
 */
#include <string.h>
#include "devices/acpi_pm.h"

#define PM1_STS_BITS (ACPI_PM1_TMR | ACPI_PM1_BM | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | \
                      ACPI_PM1_SLPBTN | ACPI_PM1_RTC | ACPI_PM1_WAK)
#define PM1_EN_BITS  (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_SLPBTN | \
                      ACPI_PM1_RTC)
/* SLP_TYP and the bus-master/global-release bits; SCI_EN is fixed at 1 */
#define PM1_CNT_BITS ((7u << 10) | (1u << 1))

static uint64_t pm_ticks(ACPIPM *pm)
{
    int64_t ns = timerlist_clock_ns(pm->timers);
    return (uint64_t)muldiv64(ns < 0 ? 0 : ns, ACPI_PM_TIMER_HZ, NS_PER_SEC);
}

uint32_t acpi_pm_timer_read(ACPIPM *pm)
{
    return (uint32_t)pm_ticks(pm) & 0xffffff;
}

/* TMR_STS: has bit 23 changed since the status was last cleared? */
static void pm_sync_tmr_sts(ACPIPM *pm)
{
    if ((uint32_t)(pm_ticks(pm) >> 23) != pm->tmr_epoch)
        pm->pm1_sts |= ACPI_PM1_TMR;
}

static void pm_update_sci(ACPIPM *pm);

/* with TMR_EN, wake up at the next bit-23 change to raise the SCI */
static void pm_arm_tmr(ACPIPM *pm)
{
    if (!(pm->pm1_en & ACPI_PM1_TMR) || (pm->pm1_sts & ACPI_PM1_TMR)) {
        timer_del(&pm->tmr_timer);
        return;
    }
    uint64_t next_tick = ((pm_ticks(pm) >> 23) + 1) << 23;
    /* ceil(ticks * 1e9 / hz): the first ns at which the count reaches it */
    int64_t ns = (int64_t)(((__int128)next_tick * NS_PER_SEC + ACPI_PM_TIMER_HZ - 1) /
                           ACPI_PM_TIMER_HZ);
    timer_mod(&pm->tmr_timer, ns);
}

static void pm_tmr_cb(void *opaque)
{
    ACPIPM *pm = opaque;
    pm_update_sci(pm);
    pm_arm_tmr(pm);
}

static void pm_update_sci(ACPIPM *pm)
{
    pm_sync_tmr_sts(pm);
    bool level = (pm->pm1_cnt & ACPI_PM1_CNT_SCI_EN) &&
                 (pm->pm1_sts & pm->pm1_en & PM1_EN_BITS);
    pm->sci_level = level;
    irq_set_level(&pm->sci, level);
}

/* the 16-bit register at reg, merged with a write of some of its bytes */
static uint16_t merge16(uint16_t old, uint32_t off, uint32_t reg, uint32_t val, unsigned size)
{
    uint16_t v = old;
    for (unsigned i = 0; i < size; i++) {
        uint32_t a = off + i;
        if (a < reg || a >= reg + 2)
            continue;
        unsigned sh = (a - reg) * 8;
        v = (uint16_t)((v & ~(0xffu << sh)) | (((val >> (8 * i)) & 0xff) << sh));
    }
    return v;
}

static bool covers(uint32_t off, unsigned size, uint32_t reg, unsigned len)
{
    return off < reg + len && reg < off + size;
}

uint32_t acpi_pm_read(ACPIPM *pm, uint32_t off, unsigned size)
{
    uint8_t bytes[16] = { 0 };
    if (off >= 16)
        return 0;                 /* PIIX4's other PM registers: not modelled, read 0 */
    pm_sync_tmr_sts(pm);
    uint32_t tmr = acpi_pm_timer_read(pm);
    bytes[0] = (uint8_t)pm->pm1_sts;
    bytes[1] = (uint8_t)(pm->pm1_sts >> 8);
    bytes[2] = (uint8_t)pm->pm1_en;
    bytes[3] = (uint8_t)(pm->pm1_en >> 8);
    bytes[4] = (uint8_t)pm->pm1_cnt;
    bytes[5] = (uint8_t)(pm->pm1_cnt >> 8);
    for (int i = 0; i < 4; i++)
        bytes[8 + i] = (uint8_t)(tmr >> (8 * i));
    uint32_t v = 0;
    for (unsigned i = 0; i < size && off + i < 16; i++)
        v |= (uint32_t)bytes[off + i] << (8 * i);
    return v;
}

void acpi_pm_write(ACPIPM *pm, uint32_t off, uint32_t val, unsigned size)
{
    if (covers(off, size, 0, 2)) {
        uint16_t clear = merge16(0, off, 0, val, size) & PM1_STS_BITS;
        pm_sync_tmr_sts(pm);
        pm->pm1_sts &= ~clear;
        if (clear & ACPI_PM1_TMR)
            pm->tmr_epoch = (uint32_t)(pm_ticks(pm) >> 23);
    }
    if (covers(off, size, 2, 2))
        pm->pm1_en = merge16(pm->pm1_en, off, 2, val, size) & PM1_EN_BITS;
    if (covers(off, size, 4, 2)) {
        uint16_t v = merge16(pm->pm1_cnt, off, 4, val, size);
        pm->pm1_cnt = (v & PM1_CNT_BITS) | ACPI_PM1_CNT_SCI_EN;
        if ((v & ACPI_PM1_CNT_SLP_EN) && pm->sleep)
            pm->sleep(pm->sleep_opaque, (v >> 10) & 7);
    }
    pm_update_sci(pm);
    pm_arm_tmr(pm);
}

void acpi_pm_power_button(ACPIPM *pm)
{
    pm->pm1_sts |= ACPI_PM1_PWRBTN;
    pm_update_sci(pm);
}

static uint64_t acpi_pm_io_read(void *opaque, uint64_t addr, unsigned size)
{
    ACPIPMWindow *w = opaque;
    if (!w->pm->io_enabled || w->pm->iobase != w->base)
        return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;   /* moved or off: unassigned */
    return acpi_pm_read(w->pm, (uint32_t)addr, size);
}

static void acpi_pm_io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ACPIPMWindow *w = opaque;
    if (!w->pm->io_enabled || w->pm->iobase != w->base)
        return;
    acpi_pm_write(w->pm, (uint32_t)addr, (uint32_t)val, size);
}

static const char *acpi_pm_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    switch (addr) {
    case 0: case 1: return "PM1a_STS";
    case 2: case 3: return "PM1a_EN";
    case 4: case 5: return "PM1a_CNT";
    case 8 ... 11: return "PM_TMR";
    default: return "PIIX4 PM register (not modelled)";
    }
}

const MemoryRegionOps acpi_pm_ops = {
    .read = acpi_pm_io_read,
    .write = acpi_pm_io_write,
    .min_access = 1,
    .max_access = 4,
    .reg_name = acpi_pm_reg_name,
};

bool acpi_pm_set_io(ACPIPM *pm, uint16_t base, bool enabled)
{
    pm->iobase = base;
    pm->io_enabled = enabled;
    if (!enabled || !pm->io)
        return true;
    for (int i = 0; i < pm->nb_windows; i++)
        if (pm->windows[i].base == base)
            return true;
    /* the port space cannot drop a region: each base stays mapped and
     * answers only while it is the current one */
    if (pm->nb_windows == ACPI_PM_MAX_WINDOWS || (uint32_t)base + ACPI_PM_IO_SIZE > 0x10000)
        return false;
    ACPIPMWindow *w = &pm->windows[pm->nb_windows];
    *w = (ACPIPMWindow){ pm, base };
    if (!memory_region_add_mmio(pm->io, "acpi-pm", base, ACPI_PM_IO_SIZE, &acpi_pm_ops, w, 1))
        return false;
    pm->nb_windows++;
    return true;
}

static void acpi_pm_reset(void *dev)
{
    ACPIPM *pm = dev;
    pm->pm1_sts = 0;
    pm->pm1_en = 0;
    pm->pm1_cnt = ACPI_PM1_CNT_SCI_EN;
    pm->tmr_epoch = (uint32_t)(pm_ticks(pm) >> 23);
    timer_del(&pm->tmr_timer);
    pm_update_sci(pm);
    /* the I/O base belongs to the PIIX4 function, which resets it */
}

static const DeviceField acpi_pm_fields[] = {
    DEV_FIELD_U16(ACPIPM, pm1_sts),
    DEV_FIELD_U16(ACPIPM, pm1_en),
    DEV_FIELD_U16(ACPIPM, pm1_cnt),
    DEV_FIELD_U32(ACPIPM, tmr_epoch),
    DEV_FIELD_U16(ACPIPM, iobase),
    DEV_FIELD_BOOL(ACPIPM, io_enabled),
    DEV_FIELD_END,
};

const DeviceClass acpi_pm_class = {
    .name = "acpi-pm",
    .desc = "ACPI PM1a event/control and PM timer (PIIX4 style)",
    .reset = acpi_pm_reset,
    .fields = acpi_pm_fields,
};

void acpi_pm_init(ACPIPM *pm, TimerList *timers, AddressSpace *io)
{
    memset(pm, 0, sizeof(*pm));
    pm->dev.cls = &acpi_pm_class;
    pm->timers = timers;
    pm->io = io;
    timer_init(&pm->tmr_timer, timers, pm_tmr_cb, pm);
    acpi_pm_reset(pm);
}
