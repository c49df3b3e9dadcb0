/*
 * ARM PrimeCell PL011 UART (QEMU virt's UART at 0x09000000, Linux's
 * ttyAMA0): data, flags, baud divisors, line and control registers, the
 * interrupt mask/raw/masked/clear set, the PrimeCell IDs, a receive FIFO
 * fed by the board, and one interrupt line.
 */
#ifndef DEVICES_PL011_H
#define DEVICES_PL011_H

#include <stddef.h>
#include <stdint.h>
#include "devices/device.h"

#define PL011_FIFO_SIZE 16

typedef struct PL011Backend {
    void (*write)(void *opaque, const uint8_t *buf, size_t len);
    void *opaque;
} PL011Backend;

typedef struct PL011 {
    Device dev;
    uint32_t flags, lcr, cr, ibrd, fbrd, ifls, imsc, ris, dmacr, ilpr, rsr;
    uint32_t rx_fifo[PL011_FIFO_SIZE];
    uint32_t rx_head, rx_count;
    bool irq_level;
    IRQLine irq;
    PL011Backend backend;
} PL011;

extern const DeviceClass pl011_class;
extern const MemoryRegionOps pl011_ops;

void pl011_init(PL011 *s, PL011Backend backend);
/* Map the 4 KiB register page at base. NULL on failure. */
MemoryRegion *pl011_map(PL011 *s, AddressSpace *as, uint64_t base);
size_t pl011_can_receive(const PL011 *s);
void pl011_receive(PL011 *s, const uint8_t *buf, size_t len);

#endif
