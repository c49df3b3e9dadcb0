/*
 * 16550A UART (the PC's COM ports, Linux's ttyS0): eight byte-wide
 * registers, a receive FIFO fed by the board from a host backend, and one
 * interrupt line.
 */
#ifndef DEVICES_UART16550_H
#define DEVICES_UART16550_H

#include <stddef.h>
#include <stdint.h>
#include "devices/device.h"
#include "devices/timer.h"

#define UART16550_FIFO_SIZE 16

/* Where transmitted bytes go (the host side: stdout, a file, nowhere). */
typedef struct UART16550Backend {
    void (*write)(void *opaque, const uint8_t *buf, size_t len);
    void *opaque;
    /* optional: the receiver has room again (the guest read RBR) */
    void (*rx_ready)(void *opaque);
} UART16550Backend;

typedef struct UART16550 {
    Device dev;
    /* registers */
    uint16_t divider;       /* DLL | DLM << 8 */
    uint8_t ier, iir, lcr, mcr, lsr, msr, scr, fcr;
    bool thr_ipending;      /* THR empty interrupt pending until IIR read or THR write */
    bool timeout_ipending;  /* character timeout: data below the trigger level sat 4 char times */
    uint8_t rx_fifo[UART16550_FIFO_SIZE];
    uint8_t rx_head, rx_count;
    bool irq_level;         /* last level driven on irq */
    /* wiring (not state) */
    IRQLine irq;
    UART16550Backend backend;
    Timer timeout_timer;    /* armed when a clock is given (uart16550_set_clock) */
    bool has_clock;
} UART16550;

extern const DeviceClass uart16550_class;
extern const MemoryRegionOps uart16550_ops;

/* Initialise (reset state, no wiring); the board then sets irq and backend. */
void uart16550_init(UART16550 *s, UART16550Backend backend);
/* The device clock, for the character timeout; without one the timeout
 * interrupt is raised as soon as data sits below the trigger level. */
void uart16550_set_clock(UART16550 *s, TimerList *clock);
/* Map the 8 registers at base in as (port I/O on the PC). NULL on failure. */
MemoryRegion *uart16550_map(UART16550 *s, AddressSpace *as, uint64_t base);
/* Host input: how many bytes the receive FIFO takes now, and feed them. */
size_t uart16550_can_receive(const UART16550 *s);
void uart16550_receive(UART16550 *s, const uint8_t *buf, size_t len);

#endif
