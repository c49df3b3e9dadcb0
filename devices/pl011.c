/*
 * PL011 UART, after the ARM PrimeCell UART (PL011) Technical Reference
 * Manual (DDI 0183) as QEMU's model and Linux's amba-pl011 driver use it:
 * transmission is immediate (the host backend never makes the FIFO full,
 * so TXFF stays clear and TXFE set), the TX interrupt is raised by every
 * write to DR, the receive FIFO is 16 deep with LCR_H.FEN and 1 without,
 * and RX/RT interrupts follow the FIFO level against IFLS.
 * Must stay true: the IRQ line level always equals (RIS & IMSC) != 0.
 */
#include <string.h>
#include "devices/pl011.h"

enum {
    PL011_DR = 0x000, PL011_RSR = 0x004, PL011_FR = 0x018, PL011_ILPR = 0x020,
    PL011_IBRD = 0x024, PL011_FBRD = 0x028, PL011_LCR_H = 0x02c, PL011_CR = 0x030,
    PL011_IFLS = 0x034, PL011_IMSC = 0x038, PL011_RIS = 0x03c, PL011_MIS = 0x040,
    PL011_ICR = 0x044, PL011_DMACR = 0x048,
};
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define INT_RX  (1u << 4)
#define INT_TX  (1u << 5)
#define INT_RT  (1u << 6)
#define LCR_FEN (1u << 4)

static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static void pl011_update_irq(PL011 *s)
{
    bool level = (s->ris & s->imsc) != 0;
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set_level(&s->irq, level);
    }
}

static unsigned pl011_fifo_depth(const PL011 *s)
{
    return (s->lcr & LCR_FEN) ? PL011_FIFO_SIZE : 1;
}

/* The receive interrupt fires at the IFLS level (1/8 .. 7/8 of the FIFO). */
static void pl011_update_rx(PL011 *s)
{
    unsigned depth = pl011_fifo_depth(s);
    unsigned sel = (s->ifls >> 3) & 7;
    unsigned trigger = (s->lcr & LCR_FEN) ? (sel <= 4 ? (2u << sel) : 14u) : 1u;
    s->flags &= ~(FR_RXFE | FR_RXFF);
    if (s->rx_count == 0)
        s->flags |= FR_RXFE;
    if (s->rx_count >= depth)
        s->flags |= FR_RXFF;
    if (s->rx_count >= trigger)
        s->ris |= INT_RX;
    else
        s->ris &= ~INT_RX;
    /* receive timeout: data waiting below the trigger level */
    if (s->rx_count && s->rx_count < trigger)
        s->ris |= INT_RT;
    else
        s->ris &= ~INT_RT;
    pl011_update_irq(s);
}

static void pl011_reset(void *dev)
{
    PL011 *s = dev;
    IRQLine irq = s->irq;
    PL011Backend backend = s->backend;
    Device d = s->dev;
    memset(s, 0, sizeof(*s));
    s->dev = d;
    s->irq = irq;
    s->backend = backend;
    s->flags = FR_RXFE | FR_TXFE;
    s->cr = 0x300;              /* TXE | RXE */
    s->ifls = 0x12;             /* 1/2 full both ways */
    if (s->irq.handler)
        irq_lower(&s->irq);
}

static uint64_t pl011_read(void *opaque, uint64_t addr, unsigned size)
{
    PL011 *s = opaque;
    if (addr >= 0xfe0 && addr < 0x1000)
        return pl011_id[(addr - 0xfe0) >> 2];
    switch (addr) {
    case PL011_DR: {
        if (!s->rx_count) {
            pl011_update_rx(s);
            return 0;
        }
        uint32_t c = s->rx_fifo[s->rx_head];
        s->rx_head = (s->rx_head + 1) % PL011_FIFO_SIZE;
        s->rx_count--;
        s->rsr = c >> 8;
        pl011_update_rx(s);
        return c;
    }
    case PL011_RSR: return s->rsr;
    case PL011_FR: return s->flags;
    case PL011_ILPR: return s->ilpr;
    case PL011_IBRD: return s->ibrd;
    case PL011_FBRD: return s->fbrd;
    case PL011_LCR_H: return s->lcr;
    case PL011_CR: return s->cr;
    case PL011_IFLS: return s->ifls;
    case PL011_IMSC: return s->imsc;
    case PL011_RIS: return s->ris;
    case PL011_MIS: return s->ris & s->imsc;
    case PL011_DMACR: return s->dmacr;
    default: return 0;
    }
}

static void pl011_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PL011 *s = opaque;
    uint32_t v = (uint32_t)val;
    switch (addr) {
    case PL011_DR: {
        uint8_t c = (uint8_t)v;
        if (s->backend.write)
            s->backend.write(s->backend.opaque, &c, 1);
        s->ris |= INT_TX;
        pl011_update_irq(s);
        break;
    }
    case PL011_RSR: s->rsr = 0; break;                  /* ECR: clear errors */
    case PL011_ILPR: s->ilpr = v & 0xff; break;
    case PL011_IBRD: s->ibrd = v & 0xffff; break;
    case PL011_FBRD: s->fbrd = v & 0x3f; break;
    case PL011_LCR_H:
        /* toggling FEN flushes the receive FIFO, as QEMU does */
        if ((s->lcr ^ v) & LCR_FEN)
            s->rx_count = 0;
        s->lcr = v & 0xff;
        pl011_update_rx(s);
        break;
    case PL011_CR: s->cr = v & 0xff87; break;
    case PL011_IFLS: s->ifls = v & 0x3f; pl011_update_rx(s); break;
    case PL011_IMSC: s->imsc = v & 0x7ff; pl011_update_irq(s); break;
    case PL011_ICR: s->ris &= ~v; pl011_update_irq(s); break;
    case PL011_DMACR: s->dmacr = v & 7; break;
    default: break;
    }
}

static const char *pl011_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    switch (addr) {
    case PL011_DR: return "UARTDR";
    case PL011_RSR: return is_write ? "UARTECR" : "UARTRSR";
    case PL011_FR: return "UARTFR";
    case PL011_ILPR: return "UARTILPR";
    case PL011_IBRD: return "UARTIBRD";
    case PL011_FBRD: return "UARTFBRD";
    case PL011_LCR_H: return "UARTLCR_H";
    case PL011_CR: return "UARTCR";
    case PL011_IFLS: return "UARTIFLS";
    case PL011_IMSC: return "UARTIMSC";
    case PL011_RIS: return "UARTRIS";
    case PL011_MIS: return "UARTMIS";
    case PL011_ICR: return "UARTICR";
    case PL011_DMACR: return "UARTDMACR";
    default: return addr >= 0xfe0 && addr < 0x1000 ? "ID register" : "reserved";
    }
}

const MemoryRegionOps pl011_ops = {
    .read = pl011_read,
    .write = pl011_write,
    .min_access = 4,
    .max_access = 4,
    .reg_name = pl011_reg_name,
};

static const DeviceField pl011_fields[] = {
    DEV_FIELD_U32(PL011, flags), DEV_FIELD_U32(PL011, lcr), DEV_FIELD_U32(PL011, cr),
    DEV_FIELD_U32(PL011, ibrd), DEV_FIELD_U32(PL011, fbrd), DEV_FIELD_U32(PL011, ifls),
    DEV_FIELD_U32(PL011, imsc), DEV_FIELD_U32(PL011, ris), DEV_FIELD_U32(PL011, dmacr),
    DEV_FIELD_U32(PL011, ilpr), DEV_FIELD_U32(PL011, rsr), DEV_FIELD_BYTES(PL011, rx_fifo),
    DEV_FIELD_U32(PL011, rx_head), DEV_FIELD_U32(PL011, rx_count),
    DEV_FIELD_END
};

const DeviceClass pl011_class = {
    .name = "pl011",
    .desc = "ARM PrimeCell PL011 UART",
    .reset = pl011_reset,
    .fields = pl011_fields,
};

void pl011_init(PL011 *s, PL011Backend backend)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &pl011_class;
    s->backend = backend;
    pl011_reset(s);
}

MemoryRegion *pl011_map(PL011 *s, AddressSpace *as, uint64_t base)
{
    return memory_region_add_mmio(as, "pl011", base, 0x1000, &pl011_ops, s, 0);
}

size_t pl011_can_receive(const PL011 *s)
{
    unsigned depth = pl011_fifo_depth(s);
    return s->rx_count < depth ? depth - s->rx_count : 0;
}

void pl011_receive(PL011 *s, const uint8_t *buf, size_t len)
{
    unsigned depth = pl011_fifo_depth(s);
    for (size_t i = 0; i < len && s->rx_count < depth; i++) {
        s->rx_fifo[(s->rx_head + s->rx_count) % PL011_FIFO_SIZE] = buf[i];
        s->rx_count++;
    }
    pl011_update_rx(s);
}
