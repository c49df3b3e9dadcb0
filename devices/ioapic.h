/*
 * I/O APIC as QEMU's pc board presents it (version 0x20, 24 pins):
 * IOREGSEL/IOWIN at base and base + 0x10, the EOI register at base + 0x40
 * (version 0x20 and later), a redirection
 * table that turns input pin levels into interrupt messages for the local
 * APIC, and the remote-IRR handshake of level-triggered pins, cleared by
 * the local APIC's EOI broadcast (ioapic_eoi).
 */
#ifndef DEVICES_IOAPIC_H
#define DEVICES_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"

#define IOAPIC_DEFAULT_BASE 0xfec00000u
#define IOAPIC_MMIO_SIZE    0x1000
#define IOAPIC_NUM_PINS     24
#define IOAPIC_VERSION      0x20   /* QEMU 7.2's; 0x11 (82093AA) has no EOI register */

typedef struct IOAPICState {
    Device dev;
    uint8_t id;
    uint32_t ioregsel;
    uint64_t redir[IOAPIC_NUM_PINS];
    uint32_t irr;                 /* asserted inputs (level) / latched edges */
    uint32_t level;               /* current input levels */
    /* wiring (not state): the message to the local APIC(s) */
    void (*deliver)(void *opaque, uint8_t dest, int dest_logical, int delivery_mode,
                    uint8_t vector, int trigger_level);
    void *deliver_opaque;
} IOAPICState;

extern const DeviceClass ioapic_class;
extern const MemoryRegionOps ioapic_mmio_ops;

void ioapic_init(IOAPICState *s, uint8_t id);
MemoryRegion *ioapic_map(IOAPICState *s, AddressSpace *mem, uint64_t base);
/* An input pin (IRQLine handler: opaque = the IOAPIC, n = pin). The level
 * is "asserted", whatever the pin's programmed polarity: the board's lines
 * carry assertion, as QEMU's do. */
void ioapic_set_irq(void *opaque, int pin, int level);
/* The local APIC's EOI broadcast for a level-triggered vector. */
void ioapic_eoi(IOAPICState *s, int vector);

/* Indirect register access (for tests and the MMIO ops). */
uint32_t ioapic_reg_read(IOAPICState *s, uint32_t index);
void ioapic_reg_write(IOAPICState *s, uint32_t index, uint32_t val);

#endif
