/*
 * I/O APIC (Intel 82093AA datasheet). Registers are reached indirectly:
 * IOREGSEL (base + 0x00) selects, IOWIN (base + 0x10) reads or writes:
 * 0x00 ID, 0x01 version (0x20, max redirection entry 23), 0x02
 * arbitration ID, 0x10 + 2n / 0x11 + 2n the low/high halves of pin n's
 * redirection entry; a write of a vector to base + 0x40 is an EOI for
 * it, as the local APIC's broadcast is. As in QEMU, an edge that arrives while its pin is
 * masked is latched and delivered on unmask, and a level-triggered pin
 * still asserted after its EOI is delivered again at once.
 */
#include <string.h>
#include "devices/ioapic.h"

#define RTE_VECTOR(e)     ((uint8_t)((e) & 0xff))
#define RTE_DELIV_MODE(e) ((int)(((e) >> 8) & 7))
#define RTE_DEST_LOGICAL  (1ull << 11)
#define RTE_DELIV_STATUS  (1ull << 12)
#define RTE_POLARITY_LOW  (1ull << 13)
#define RTE_REMOTE_IRR    (1ull << 14)
#define RTE_LEVEL_TRIG    (1ull << 15)
#define RTE_MASKED        (1ull << 16)
#define RTE_DEST(e)       ((uint8_t)((e) >> 56))
/* software may write everything except delivery status and remote IRR */
#define RTE_RO_BITS       (RTE_DELIV_STATUS | RTE_REMOTE_IRR)
#define RTE_WRITABLE      (0xff00000000000000ull | 0x1ffffull)

/* deliver every pin whose input waits and may go (unmasked, remote IRR clear) */
static void ioapic_service(IOAPICState *s)
{
    for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
        uint32_t bit = 1u << pin;
        uint64_t e = s->redir[pin];
        if (!(s->irr & bit) || (e & RTE_MASKED))
            continue;
        int mode = RTE_DELIV_MODE(e);
        /* only fixed and lowest-priority messages take part in the EOI
         * handshake; NMI/INIT/ExtINT are sent once per assertion */
        bool level = (e & RTE_LEVEL_TRIG) && (mode == 0 || mode == 1);
        if (level) {
            if (e & RTE_REMOTE_IRR)
                continue;
            s->redir[pin] |= RTE_REMOTE_IRR;
        } else {
            s->irr &= ~bit;
        }
        if (s->deliver)
            s->deliver(s->deliver_opaque, RTE_DEST(e), (e & RTE_DEST_LOGICAL) != 0, mode,
                       RTE_VECTOR(e), level);
    }
}

void ioapic_set_irq(void *opaque, int pin, int level)
{
    IOAPICState *s = opaque;
    if (pin < 0 || pin >= IOAPIC_NUM_PINS)
        return;
    uint32_t bit = 1u << pin;
    bool was = s->level & bit;
    if (level)
        s->level |= bit;
    else
        s->level &= ~bit;
    if (s->redir[pin] & RTE_LEVEL_TRIG) {
        if (level)
            s->irr |= bit;
        else
            s->irr &= ~bit;
    } else if (level && !was) {
        s->irr |= bit;            /* a rising edge */
    }
    ioapic_service(s);
}

void ioapic_eoi(IOAPICState *s, int vector)
{
    for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
        uint64_t e = s->redir[pin];
        if ((e & RTE_LEVEL_TRIG) && (e & RTE_REMOTE_IRR) && RTE_VECTOR(e) == vector)
            s->redir[pin] &= ~RTE_REMOTE_IRR;
    }
    ioapic_service(s);
}

uint32_t ioapic_reg_read(IOAPICState *s, uint32_t index)
{
    switch (index) {
    case 0x00: return (uint32_t)(s->id & 0xf) << 24;
    case 0x01: return IOAPIC_VERSION | ((IOAPIC_NUM_PINS - 1) << 16);
    case 0x02: return (uint32_t)(s->id & 0xf) << 24;
    default:
        if (index >= 0x10 && index < 0x10 + 2 * IOAPIC_NUM_PINS) {
            uint64_t e = s->redir[(index - 0x10) >> 1];
            return (index & 1) ? (uint32_t)(e >> 32) : (uint32_t)e;
        }
        return 0xffffffffu;       /* no register there: QEMU reads all ones too */
    }
}

void ioapic_reg_write(IOAPICState *s, uint32_t index, uint32_t val)
{
    if (index == 0x00) {
        s->id = (val >> 24) & 0xf;
        return;
    }
    if (index < 0x10 || index >= 0x10 + 2 * IOAPIC_NUM_PINS)
        return;                   /* version, arbitration: read-only */
    int pin = (index - 0x10) >> 1;
    uint64_t e = s->redir[pin];
    uint64_t nv = (index & 1) ? ((uint64_t)val << 32) | (uint32_t)e
                              : (e & 0xffffffff00000000ull) | val;
    nv = (nv & RTE_WRITABLE & ~RTE_RO_BITS) | (e & RTE_RO_BITS);
    if (!(nv & RTE_LEVEL_TRIG))
        nv &= ~RTE_REMOTE_IRR;    /* meaningless for edge pins */
    s->redir[pin] = nv;
    /* a level pin becoming edge, or the other way: irr follows the input */
    if (nv & RTE_LEVEL_TRIG) {
        if (s->level & (1u << pin))
            s->irr |= 1u << pin;
        else
            s->irr &= ~(1u << pin);
    }
    ioapic_service(s);
}

static uint64_t ioapic_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    IOAPICState *s = opaque;
    uint32_t v;
    switch (addr & 0xff) {
    case 0x00: v = s->ioregsel; break;
    case 0x10: v = ioapic_reg_read(s, s->ioregsel); break;
    default: return 0;
    }
    return size == 4 ? v : v & ((1u << (size * 8)) - 1);
}

static void ioapic_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    IOAPICState *s = opaque;
    switch (addr & 0xff) {
    case 0x00: s->ioregsel = (uint32_t)val & 0xff; break;
    case 0x10: ioapic_reg_write(s, s->ioregsel, (uint32_t)val); break;
    case 0x40: ioapic_eoi(s, (uint8_t)val); break;
    default: break;
    }
}

static const char *ioapic_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    switch (addr & 0xff) {
    case 0x00: return "IOREGSEL";
    case 0x10: return "IOWIN";
    case 0x40: return "EOI";
    default: return "reserved";
    }
}

const MemoryRegionOps ioapic_mmio_ops = {
    .read = ioapic_mmio_read,
    .write = ioapic_mmio_write,
    .min_access = 4,
    .max_access = 4,
    .reg_name = ioapic_reg_name,
};

static void ioapic_reset(void *dev)
{
    IOAPICState *s = dev;
    s->ioregsel = 0;
    for (int i = 0; i < IOAPIC_NUM_PINS; i++)
        s->redir[i] = RTE_MASKED;
    s->irr = 0;
    /* input levels are wires: they keep their state */
}

static const DeviceField ioapic_fields[] = {
    DEV_FIELD_U8(IOAPICState, id),
    DEV_FIELD_U32(IOAPICState, ioregsel),
    DEV_FIELD_BYTES(IOAPICState, redir),
    DEV_FIELD_U32(IOAPICState, irr),
    DEV_FIELD_U32(IOAPICState, level),
    DEV_FIELD_END,
};

const DeviceClass ioapic_class = {
    .name = "ioapic",
    .desc = "I/O APIC (version 0x20, 24 pins)",
    .reset = ioapic_reset,
    .fields = ioapic_fields,
};

void ioapic_init(IOAPICState *s, uint8_t id)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &ioapic_class;
    s->id = id;
    ioapic_reset(s);
}

MemoryRegion *ioapic_map(IOAPICState *s, AddressSpace *mem, uint64_t base)
{
    return memory_region_add_mmio(mem, "ioapic", base, IOAPIC_MMIO_SIZE, &ioapic_mmio_ops, s, 1);
}
