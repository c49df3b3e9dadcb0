/*
 * Intel 8259A PIC pair (see i8259.h), after the 8259A datasheet: ICW1-ICW4
 * initialisation, OCW1 (mask), OCW2 (EOI, specific EOI, rotation, set
 * priority), OCW3 (IRR/ISR reads, poll, special mask mode), auto-EOI,
 * special fully nested mode, edge or level inputs (ICW1.LTIM or the PIIX
 * ELCR), and the spurious IR7 when a request vanishes before INTA.
 * Priorities are relative to priority_add (the rotation): priority p means
 * input (p + priority_add) & 7, and 0 is the highest.
 * Must stay true: intr's level always equals "the master has an unmasked
 * request of higher priority than anything in service", recomputed by
 * i8259_update after every change; the slave's output drives master IR2.
 */
#include <string.h>
#include "devices/i8259.h"

#define CASCADE_IRQ 2

static uint8_t chip_level_mask(const I8259Chip *c)
{
    return c->ltim ? 0xff : c->elcr;
}

/* Priority (0 = highest) of the best bit in mask, 8 if none. */
static int chip_priority(const I8259Chip *c, uint8_t mask)
{
    if (!mask)
        return 8;
    int p = 0;
    while (!(mask & (1u << ((p + c->priority_add) & 7))))
        p++;
    return p;
}

/* The input this chip would present on INTR now, or -1. */
static int chip_pending(const I8259Chip *c, bool is_master)
{
    int p = chip_priority(c, c->irr & (uint8_t)~c->imr);
    if (p == 8)
        return -1;
    uint8_t in_service = c->isr;
    if (c->special_mask)
        in_service &= (uint8_t)~c->imr;     /* masked levels do not block lower ones */
    if (is_master && c->special_fully_nested)
        in_service &= (uint8_t)~(1u << CASCADE_IRQ);  /* the slave may nest its own */
    if (p < chip_priority(c, in_service))
        return (p + c->priority_add) & 7;
    return -1;
}

static void chip_set_input(I8259Chip *c, int irq, int level)
{
    uint8_t bit = (uint8_t)(1u << irq);

    if (chip_level_mask(c) & bit) {
        if (level)
            c->irr |= bit;
        else
            c->irr &= (uint8_t)~bit;
    } else if (level && !(c->lines & bit)) {
        c->irr |= bit;                       /* rising edge */
    }
    if (level)
        c->lines |= bit;
    else
        c->lines &= (uint8_t)~bit;
}

/* INTA for input irq of one chip: into service (unless auto-EOI), and the
 * request is consumed (a level input requests again while it stays high). */
static void chip_ack(I8259Chip *c, int irq)
{
    uint8_t bit = (uint8_t)(1u << irq);

    if (c->auto_eoi) {
        if (c->rotate_on_auto_eoi)
            c->priority_add = (uint8_t)((irq + 1) & 7);
    } else {
        c->isr |= bit;
    }
    if (!(chip_level_mask(c) & bit))
        c->irr &= (uint8_t)~bit;
}

static void i8259_update(I8259 *s)
{
    chip_set_input(&s->chip[0], CASCADE_IRQ, chip_pending(&s->chip[1], false) >= 0);
    bool level = chip_pending(&s->chip[0], true) >= 0;
    if (level != s->intr_level) {
        s->intr_level = level;
        irq_set_level(&s->intr, level);
    }
}

void i8259_set_irq(void *opaque, int n, int level)
{
    I8259 *s = opaque;

    if (n < 0 || n > 15)
        return;
    chip_set_input(&s->chip[n >> 3], n & 7, level);
    i8259_update(s);
}

int i8259_ack(void *opaque)
{
    I8259 *s = opaque;
    I8259Chip *m = &s->chip[0], *sl = &s->chip[1];
    int vector;
    int irq = chip_pending(m, true);

    if (irq < 0) {
        vector = m->irq_base + 7;           /* spurious: the request went away */
    } else if (irq == CASCADE_IRQ && !m->single_mode) {
        int irq2 = chip_pending(sl, false);
        if (irq2 >= 0)
            chip_ack(sl, irq2);
        else
            irq2 = 7;                        /* spurious IRQ 15 */
        vector = sl->irq_base + irq2;
        chip_ack(m, irq);
    } else {
        vector = m->irq_base + irq;
        chip_ack(m, irq);
    }
    i8259_update(s);
    /* the CPU dropped its request to ask: drive INTR afresh either way */
    irq_set_level(&s->intr, s->intr_level);
    return vector;
}

/* ICW1: start initialisation. The datasheet: IMR cleared, IR7 gets the
 * lowest priority, special mask mode off, status reads give the IRR, and
 * the edge sense is reset (an input must rise again to request). */
static void chip_icw1(I8259Chip *c, uint8_t val)
{
    c->init_state = 1;
    c->init4 = val & 0x01;
    c->single_mode = val & 0x02;
    c->ltim = val & 0x08;
    c->imr = 0;
    c->isr = 0;
    c->irr = c->lines & chip_level_mask(c);
    c->priority_add = 0;
    c->special_mask = false;
    c->read_isr = false;
    c->poll = false;
    c->auto_eoi = false;
    c->rotate_on_auto_eoi = false;
    c->special_fully_nested = false;
}

static void chip_ocw2(I8259Chip *c, uint8_t val)
{
    int irq;

    switch (val >> 5) {
    case 0:                           /* rotate in auto-EOI mode: clear */
        c->rotate_on_auto_eoi = false;
        break;
    case 4:                           /* rotate in auto-EOI mode: set */
        c->rotate_on_auto_eoi = true;
        break;
    case 1:                           /* non-specific EOI */
    case 5: {                         /* rotate on non-specific EOI */
        int p = chip_priority(c, c->isr);
        if (p == 8)
            break;
        irq = (p + c->priority_add) & 7;
        c->isr &= (uint8_t)~(1u << irq);
        if (val >> 5 == 5)
            c->priority_add = (uint8_t)((irq + 1) & 7);
        break;
    }
    case 3:                           /* specific EOI */
        c->isr &= (uint8_t)~(1u << (val & 7));
        break;
    case 7:                           /* rotate on specific EOI */
        irq = val & 7;
        c->isr &= (uint8_t)~(1u << irq);
        c->priority_add = (uint8_t)((irq + 1) & 7);
        break;
    case 6:                           /* set priority: IR val&7 becomes the lowest */
        c->priority_add = (uint8_t)((val + 1) & 7);
        break;
    default:                          /* 2: no operation */
        break;
    }
}

static void chip_write(I8259 *s, int which, uint64_t addr, uint8_t val)
{
    I8259Chip *c = &s->chip[which];

    if (!(addr & 1)) {
        if (val & 0x10) {
            chip_icw1(c, val);
        } else if (val & 0x08) {      /* OCW3 */
            if (val & 0x04)
                c->poll = true;
            if (val & 0x02)
                c->read_isr = val & 0x01;
            if (val & 0x40)
                c->special_mask = (val >> 5) & 1;
        } else {
            chip_ocw2(c, val);
        }
    } else {
        switch (c->init_state) {
        case 0:                       /* OCW1 */
            c->imr = val;
            break;
        case 1:                       /* ICW2 */
            c->irq_base = val & 0xf8;
            c->init_state = c->single_mode ? (c->init4 ? 3 : 0) : 2;
            break;
        case 2:                       /* ICW3 */
            c->icw3 = val;
            c->init_state = c->init4 ? 3 : 0;
            break;
        default:                      /* ICW4 (8080 mode, bit 0 = 0, is not modelled) */
            c->auto_eoi = val & 0x02;
            c->special_fully_nested = val & 0x10;
            c->init_state = 0;
            break;
        }
    }
    i8259_update(s);
}

/* The poll word: 0x80 | the highest request, acknowledged as by INTA; 0
 * when none. */
static uint8_t chip_poll(I8259 *s, int which)
{
    I8259Chip *c = &s->chip[which];
    int irq = chip_pending(c, which == 0);

    c->poll = false;
    if (irq < 0)
        return 0;
    chip_ack(c, irq);
    i8259_update(s);
    return (uint8_t)(0x80 | irq);
}

static uint8_t chip_read(I8259 *s, int which, uint64_t addr)
{
    I8259Chip *c = &s->chip[which];

    if (c->poll)
        return chip_poll(s, which);
    if (addr & 1)
        return c->imr;
    return c->read_isr ? c->isr : c->irr;
}

static uint64_t master_read(void *opaque, uint64_t addr, unsigned size)
{
    return chip_read(opaque, 0, addr);
}
static void master_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    chip_write(opaque, 0, addr, (uint8_t)val);
}
static uint64_t slave_read(void *opaque, uint64_t addr, unsigned size)
{
    return chip_read(opaque, 1, addr);
}
static void slave_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    chip_write(opaque, 1, addr, (uint8_t)val);
}

static const char *chip_reg_name(const I8259Chip *c, uint64_t addr, bool is_write)
{
    static const char *const icw[4] = { "OCW1 (IMR)", "ICW2", "ICW3", "ICW4" };
    if (addr & 1)
        return is_write ? icw[c->init_state & 3] : "IMR";
    if (is_write)
        return "ICW1/OCW2/OCW3";
    return c->poll ? "poll word" : c->read_isr ? "ISR" : "IRR";
}
static const char *master_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    return chip_reg_name(&((I8259 *)opaque)->chip[0], addr, is_write);
}
static const char *slave_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    return chip_reg_name(&((I8259 *)opaque)->chip[1], addr, is_write);
}

static const MemoryRegionOps i8259_master_ops = {
    .read = master_read, .write = master_write, .min_access = 1, .max_access = 1,
    .reg_name = master_reg_name,
};
static const MemoryRegionOps i8259_slave_ops = {
    .read = slave_read, .write = slave_write, .min_access = 1, .max_access = 1,
    .reg_name = slave_reg_name,
};

/* ELCR (PIIX 0x4d0/0x4d1): bit n = IRQ n level triggered. IRQ 0, 1, 2, 8
 * and 13 are always edge. */
static uint64_t elcr_read(void *opaque, uint64_t addr, unsigned size)
{
    I8259 *s = opaque;
    return s->chip[addr & 1].elcr;
}

static void elcr_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8259 *s = opaque;
    I8259Chip *c = &s->chip[addr & 1];

    c->elcr = (uint8_t)val & c->elcr_mask;
    /* a level input requests exactly while it is high */
    c->irr = (uint8_t)((c->irr & ~chip_level_mask(c)) | (c->lines & chip_level_mask(c)));
    i8259_update(s);
}

static const char *elcr_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    return addr & 1 ? "ELCR2" : "ELCR1";
}

static const MemoryRegionOps i8259_elcr_ops = {
    .read = elcr_read, .write = elcr_write, .min_access = 1, .max_access = 1,
    .reg_name = elcr_reg_name,
};

static void i8259_reset(void *opaque)
{
    I8259 *s = opaque;

    for (int i = 0; i < 2; i++) {
        I8259Chip *c = &s->chip[i];
        uint8_t lines = c->lines;
        memset(c, 0, sizeof(*c));
        c->lines = lines;               /* the wires keep their levels */
        c->elcr_mask = i ? 0xde : 0xf8;
    }
    s->intr_level = false;
    irq_lower(&s->intr);
    i8259_update(s);
}

void i8259_bios_init(I8259 *s, uint16_t unmasked)
{
    static const uint8_t base[2] = { 0x08, 0x70 }, icw3[2] = { 1u << CASCADE_IRQ, CASCADE_IRQ };
    for (int i = 0; i < 2; i++) {
        chip_write(s, i, 0, 0x11);          /* ICW1: edge, cascade, ICW4 */
        chip_write(s, i, 1, base[i]);
        chip_write(s, i, 1, icw3[i]);
        chip_write(s, i, 1, 0x01);          /* ICW4: 8086 mode */
    }
    unmasked |= 1u << CASCADE_IRQ;
    chip_write(s, 0, 1, (uint8_t)~unmasked);
    chip_write(s, 1, 1, (uint8_t)~(unmasked >> 8));
}

static const DeviceField i8259_fields[] = {
#define CHIP_FIELDS(i) \
    DEV_FIELD_U8(I8259, chip[i].lines), DEV_FIELD_U8(I8259, chip[i].irr), \
    DEV_FIELD_U8(I8259, chip[i].isr), DEV_FIELD_U8(I8259, chip[i].imr), \
    DEV_FIELD_U8(I8259, chip[i].elcr), DEV_FIELD_U8(I8259, chip[i].irq_base), \
    DEV_FIELD_U8(I8259, chip[i].priority_add), DEV_FIELD_U8(I8259, chip[i].init_state), \
    DEV_FIELD_U8(I8259, chip[i].icw3), DEV_FIELD_BOOL(I8259, chip[i].init4), \
    DEV_FIELD_BOOL(I8259, chip[i].single_mode), DEV_FIELD_BOOL(I8259, chip[i].ltim), \
    DEV_FIELD_BOOL(I8259, chip[i].auto_eoi), DEV_FIELD_BOOL(I8259, chip[i].rotate_on_auto_eoi), \
    DEV_FIELD_BOOL(I8259, chip[i].special_fully_nested), \
    DEV_FIELD_BOOL(I8259, chip[i].special_mask), DEV_FIELD_BOOL(I8259, chip[i].read_isr), \
    DEV_FIELD_BOOL(I8259, chip[i].poll)
    CHIP_FIELDS(0),
    CHIP_FIELDS(1),
#undef CHIP_FIELDS
    DEV_FIELD_BOOL(I8259, intr_level),
    DEV_FIELD_END,
};

const DeviceClass i8259_class = {
    .name = "i8259",
    .desc = "8259A PIC pair (0x20, 0xa0; ELCR 0x4d0)",
    .reset = i8259_reset,
    .fields = i8259_fields,
};

void i8259_init(I8259 *s)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &i8259_class;
    i8259_reset(s);
}

bool i8259_map(I8259 *s, AddressSpace *io)
{
    return memory_region_add_mmio(io, "pic-master", 0x20, 2, &i8259_master_ops, s, 0) &&
           memory_region_add_mmio(io, "pic-slave", 0xa0, 2, &i8259_slave_ops, s, 0) &&
           memory_region_add_mmio(io, "elcr", 0x4d0, 2, &i8259_elcr_ops, s, 0);
}
