/*
 * 16550A UART. Register semantics follow the National/TI datasheet as
 * Linux's 8250 driver and QEMU's serial model use them: the divisor latch
 * behind LCR.DLAB, IIR priorities (line status > received data or
 * character timeout > THR empty > modem status), THRE|TEMT set again
 * right after every THR write (the host backend is never "busy", so the
 * transmit FIFO is always empty), and loopback (MCR bit 4) echoing THR
 * into the receiver with the modem lines mirrored into MSR. With FIFOs on (FCR bit 0) the receiver holds 16 bytes and
 * interrupts at the FCR trigger level (1, 4, 8, 14), or with a character
 * timeout when fewer bytes sat there for 4 character times; with FIFOs
 * off it holds one byte (16450 mode). Must stay true: the IRQ line level
 * always equals "IIR says an interrupt is pending".
 */
#include <string.h>
#include "devices/uart16550.h"

enum {
    UART_RBR = 0, UART_IER = 1, UART_IIR = 2, UART_LCR = 3,
    UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7,
};
#define IER_RDI   0x01
#define IER_THRI  0x02
#define IER_RLSI  0x04
#define IER_MSI   0x08
#define IIR_NO_INT 0x01
#define IIR_MSI    0x00
#define IIR_THRI   0x02
#define IIR_RDI    0x04
#define IIR_RLSI   0x06
#define IIR_CTI    0x0c
#define IIR_ID_MASK 0x0f
#define IIR_FIFO_BITS 0xc0
#define FCR_FE    0x01
#define FCR_RFR   0x02
#define FCR_TRIGGER 0xc0
#define LCR_DLAB  0x80
#define MCR_LOOP  0x10
#define LSR_DR    0x01
#define LSR_OE    0x02
#define LSR_PE    0x04
#define LSR_FE    0x08
#define LSR_BI    0x10
#define LSR_THRE  0x20
#define LSR_TEMT  0x40
#define LSR_INT_ANY (LSR_OE | LSR_PE | LSR_FE | LSR_BI)
#define MSR_DCTS  0x01
#define MSR_CTS   0x10
#define MSR_DSR   0x20
#define MSR_DCD   0x80
#define MSR_DELTA_MASK 0x0f
#define UART_CLOCK_HZ 1843200u      /* the PC's 1.8432 MHz crystal: 115200 * 16 */

static bool fifo_on(const UART16550 *s)
{
    return s->fcr & FCR_FE;
}

static unsigned rx_trigger(const UART16550 *s)
{
    static const uint8_t levels[4] = { 1, 4, 8, 14 };
    return fifo_on(s) ? levels[s->fcr >> 6] : 1;
}

/* One character on the line: start bit, 5-8 data bits, parity, stop bits. */
static int64_t char_time_ns(const UART16550 *s)
{
    unsigned bits = 1 + 5 + (s->lcr & 3) + ((s->lcr & 0x08) ? 1 : 0) + ((s->lcr & 0x04) ? 2 : 1);
    unsigned div = s->divider ? s->divider : 0x10000;
    return muldiv64((int64_t)bits * div * 16, NS_PER_SEC, UART_CLOCK_HZ);
}

static void uart16550_update_irq(UART16550 *s)
{
    uint8_t id = IIR_NO_INT;

    if ((s->ier & IER_RLSI) && (s->lsr & LSR_INT_ANY))
        id = IIR_RLSI;
    else if ((s->ier & IER_RDI) && s->rx_count >= rx_trigger(s))
        id = IIR_RDI;
    else if ((s->ier & IER_RDI) && s->timeout_ipending && s->rx_count)
        id = IIR_CTI;
    else if ((s->ier & IER_THRI) && s->thr_ipending)
        id = IIR_THRI;
    else if ((s->ier & IER_MSI) && (s->msr & MSR_DELTA_MASK))
        id = IIR_MSI;
    s->iir = (uint8_t)((s->iir & IIR_FIFO_BITS) | id);

    bool level = id != IIR_NO_INT;
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set_level(&s->irq, level);
    }
}

/* Data below the trigger level raises the timeout interrupt after 4
 * character times without a byte received or read. */
static void uart16550_timeout_rearm(UART16550 *s)
{
    s->timeout_ipending = false;
    if (!s->rx_count || s->rx_count >= rx_trigger(s)) {
        if (s->has_clock)
            timer_del(&s->timeout_timer);
        return;
    }
    if (!s->has_clock) {
        s->timeout_ipending = true;
        return;
    }
    timer_mod(&s->timeout_timer, timerlist_clock_ns(s->timeout_timer.list) + 4 * char_time_ns(s));
}

static void uart16550_timeout_cb(void *opaque)
{
    UART16550 *s = opaque;
    s->timeout_ipending = true;
    uart16550_update_irq(s);
}

static void uart16550_rx_clear(UART16550 *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    s->lsr &= (uint8_t)~(LSR_DR | LSR_BI);
    uart16550_timeout_rearm(s);
}

/* The modem status lines: in loopback, MCR's outputs (DTR->DSR, RTS->CTS,
 * OUT1->RI, OUT2->DCD); else the host side, always ready (DCD, DSR, CTS). */
static uint8_t uart16550_modem_lines(const UART16550 *s)
{
    if (s->mcr & MCR_LOOP)
        return (uint8_t)(((s->mcr & 0x0c) << 4) | ((s->mcr & 0x02) << 3) | ((s->mcr & 0x01) << 5));
    return MSR_DCD | MSR_DSR | MSR_CTS;
}

/* The lines changed (MCR write): the status bits follow. The datasheet
 * also sets the delta bits from loopback changes; QEMU does not and
 * tests/cli/uartprobe compares with QEMU, so neither does kasou (Linux
 * masks them off in its loopback probe). */
static void uart16550_modem_update(UART16550 *s)
{
    s->msr = (uint8_t)(uart16550_modem_lines(s) | (s->msr & MSR_DELTA_MASK));
}

static void uart16550_rx_push(UART16550 *s, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!fifo_on(s) && s->rx_count) {
            /* 16450 mode: the new byte overwrites the unread one */
            s->lsr |= LSR_OE;
            s->rx_fifo[s->rx_head] = buf[i];
            continue;
        }
        if (s->rx_count == UART16550_FIFO_SIZE) {
            s->lsr |= LSR_OE;     /* the byte is lost, as on the chip */
            continue;
        }
        s->rx_fifo[(s->rx_head + s->rx_count) % UART16550_FIFO_SIZE] = buf[i];
        s->rx_count++;
    }
    if (s->rx_count)
        s->lsr |= LSR_DR;
    uart16550_timeout_rearm(s);
    uart16550_update_irq(s);
}

static void uart16550_reset(void *opaque)
{
    UART16550 *s = opaque;

    s->divider = 0x0c;                 /* 9600 baud */
    s->ier = 0;
    s->iir = IIR_NO_INT;
    s->lcr = 0;
    s->mcr = 0x08;                     /* OUT2, as QEMU's model resets it */
    s->lsr = LSR_THRE | LSR_TEMT;
    s->msr = MSR_DCD | MSR_DSR | MSR_CTS;
    s->scr = 0;
    s->fcr = 0;
    s->thr_ipending = false;
    s->timeout_ipending = false;
    uart16550_rx_clear(s);
    uart16550_update_irq(s);
}

static uint64_t uart16550_read(void *opaque, uint64_t addr, unsigned size)
{
    UART16550 *s = opaque;
    uint8_t ret;

    switch (addr & 7) {
    case UART_RBR:
        if (s->lcr & LCR_DLAB)
            return s->divider & 0xff;
        ret = 0;
        if (s->rx_count) {
            ret = s->rx_fifo[s->rx_head];
            s->rx_head = (uint8_t)((s->rx_head + 1) % UART16550_FIFO_SIZE);
            s->rx_count--;
        }
        if (!s->rx_count)
            s->lsr &= (uint8_t)~(LSR_DR | LSR_BI);
        uart16550_timeout_rearm(s);
        uart16550_update_irq(s);
        if (s->backend.rx_ready)
            s->backend.rx_ready(s->backend.opaque);   /* may receive more at once */
        return ret;
    case UART_IER:
        if (s->lcr & LCR_DLAB)
            return s->divider >> 8;
        return s->ier;
    case UART_IIR:
        ret = s->iir;
        /* reading IIR acknowledges a THR-empty interrupt */
        if ((ret & IIR_ID_MASK) == IIR_THRI) {
            s->thr_ipending = false;
            uart16550_update_irq(s);
        }
        return ret;
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        ret = s->lsr;
        if (s->lsr & (LSR_BI | LSR_OE)) {
            s->lsr &= (uint8_t)~(LSR_BI | LSR_OE);
            uart16550_update_irq(s);
        }
        return ret;
    case UART_MSR:
        ret = s->msr;
        if (s->msr & MSR_DELTA_MASK) {
            s->msr &= (uint8_t)~MSR_DELTA_MASK;
            uart16550_update_irq(s);
        }
        return ret;
    default:
        return s->scr;
    }
}

static void uart16550_write(void *opaque, uint64_t addr, uint64_t val64, unsigned size)
{
    UART16550 *s = opaque;
    uint8_t val = (uint8_t)val64;

    switch (addr & 7) {
    case UART_RBR:   /* THR */
        if (s->lcr & LCR_DLAB) {
            s->divider = (uint16_t)((s->divider & 0xff00) | val);
            return;
        }
        s->thr_ipending = false;
        if (s->mcr & MCR_LOOP)
            uart16550_rx_push(s, &val, 1);
        else if (s->backend.write)
            s->backend.write(s->backend.opaque, &val, 1);
        /* the byte left at once: the transmitter is empty again */
        s->lsr |= LSR_THRE | LSR_TEMT;
        s->thr_ipending = true;
        uart16550_update_irq(s);
        return;
    case UART_IER: {
        if (s->lcr & LCR_DLAB) {
            s->divider = (uint16_t)((s->divider & 0x00ff) | (val << 8));
            return;
        }
        uint8_t changed = (uint8_t)((s->ier ^ val) & 0x0f);
        s->ier = val & 0x0f;
        /* enabling THRI with an empty THR interrupts at once (Linux's
         * 8250 driver relies on this to start transmitting) */
        if (changed & IER_THRI)
            s->thr_ipending = (s->ier & IER_THRI) && (s->lsr & LSR_THRE);
        uart16550_update_irq(s);
        return;
    }
    case UART_IIR:   /* FCR */
        if ((val ^ s->fcr) & FCR_FE)
            uart16550_rx_clear(s);       /* toggling the FIFO enable clears it */
        s->fcr = val & 0xc9;
        if (val & FCR_RFR)
            uart16550_rx_clear(s);
        uart16550_timeout_rearm(s);   /* the trigger level may have moved */
        if (s->fcr & FCR_FE)
            s->iir |= IIR_FIFO_BITS;
        else
            s->iir &= (uint8_t)~IIR_FIFO_BITS;
        uart16550_update_irq(s);
        return;
    case UART_LCR:
        s->lcr = val;
        return;
    case UART_MCR:
        s->mcr = val & 0x1f;
        uart16550_modem_update(s);
        uart16550_update_irq(s);
        return;
    case UART_LSR:
    case UART_MSR:
        return;      /* factory test registers: writes ignored */
    default:
        s->scr = val;
        return;
    }
}

/* -d trap: the 16550 datasheet's names (DLAB switches offsets 0 and 1) */
static const char *uart16550_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    const UART16550 *s = opaque;
    static const char *const rd[8] = { "RBR", "IER", "IIR", "LCR", "MCR", "LSR", "MSR", "SCR" };
    static const char *const wr[8] = { "THR", "IER", "FCR", "LCR", "MCR", "LSR", "MSR", "SCR" };
    addr &= 7;
    if ((s->lcr & LCR_DLAB) && addr < 2)
        return addr ? "DLM" : "DLL";
    return is_write ? wr[addr] : rd[addr];
}

const MemoryRegionOps uart16550_ops = {
    .read = uart16550_read,
    .write = uart16550_write,
    .min_access = 1,
    .max_access = 1,
    .reg_name = uart16550_reg_name,
};

static const DeviceField uart16550_fields[] = {
    DEV_FIELD_U16(UART16550, divider),
    DEV_FIELD_U8(UART16550, ier),
    DEV_FIELD_U8(UART16550, iir),
    DEV_FIELD_U8(UART16550, lcr),
    DEV_FIELD_U8(UART16550, mcr),
    DEV_FIELD_U8(UART16550, lsr),
    DEV_FIELD_U8(UART16550, msr),
    DEV_FIELD_U8(UART16550, scr),
    DEV_FIELD_U8(UART16550, fcr),
    DEV_FIELD_BOOL(UART16550, thr_ipending),
    DEV_FIELD_BOOL(UART16550, timeout_ipending),
    DEV_FIELD_BYTES(UART16550, rx_fifo),
    DEV_FIELD_U8(UART16550, rx_head),
    DEV_FIELD_U8(UART16550, rx_count),
    DEV_FIELD_BOOL(UART16550, irq_level),
    DEV_FIELD_END,
};

const DeviceClass uart16550_class = {
    .name = "isa-serial",
    .desc = "16550A UART (COM1 at 0x3f8, IRQ 4 on pc)",
    .reset = uart16550_reset,
    .fields = uart16550_fields,
};

void uart16550_init(UART16550 *s, UART16550Backend backend)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &uart16550_class;
    s->backend = backend;
    uart16550_reset(s);
}

void uart16550_set_clock(UART16550 *s, TimerList *clock)
{
    timer_init(&s->timeout_timer, clock, uart16550_timeout_cb, s);
    s->has_clock = true;
}

MemoryRegion *uart16550_map(UART16550 *s, AddressSpace *as, uint64_t base)
{
    return memory_region_add_mmio(as, "serial", base, 8, &uart16550_ops, s, 0);
}

size_t uart16550_can_receive(const UART16550 *s)
{
    if (!fifo_on(s))
        return s->rx_count ? 0 : 1;   /* one holding register */
    return UART16550_FIFO_SIZE - s->rx_count;
}

void uart16550_receive(UART16550 *s, const uint8_t *buf, size_t len)
{
    uart16550_rx_push(s, buf, len);
}
