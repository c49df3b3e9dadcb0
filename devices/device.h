/*
 * The device API: what every device model under devices/ is made of, and
 * all a board needs to wire one. A device is a state struct whose FIRST
 * member is a Device (its class: name, reset, a field table describing its
 * state for snapshots); it exposes registers through softmmu MemoryRegionOps
 * (MMIO or x86 port I/O, both are regions of an AddressSpace) and drives
 * interrupt lines through IRQLine. Devices never include CPU headers and
 * never exit the process: they ask the board through callbacks.
 */
#ifndef DEVICES_DEVICE_H
#define DEVICES_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "softmmu/memory.h"

/* ---- interrupt lines ----
 * An output line of a device: the board points it at the input it is wired
 * to (an interrupt controller pin). An unconnected line (handler NULL)
 * drops level changes, so a device never needs to know if it is wired. */
typedef struct IRQLine {
    void (*handler)(void *opaque, int n, int level);
    void *opaque;
    int n;                  /* input number at the receiver (e.g. the ISA IRQ) */
} IRQLine;

static inline void irq_set_level(const IRQLine *irq, int level)
{
    if (irq->handler)
        irq->handler(irq->opaque, irq->n, level);
}
static inline void irq_raise(const IRQLine *irq) { irq_set_level(irq, 1); }
static inline void irq_lower(const IRQLine *irq) { irq_set_level(irq, 0); }
static inline void irq_connect(IRQLine *irq, void (*handler)(void *, int, int), void *opaque, int n)
{
    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
}

/* ---- state description (for snapshots and migration, later) ----
 * Each entry names one member of the device's state struct. Only
 * guest-visible state is listed: host-side pointers (backends, IRQ wiring)
 * are rebuilt by the board, never saved. */
typedef enum DeviceFieldType {
    DEVF_U8, DEVF_U16, DEVF_U32, DEVF_U64, DEVF_BOOL,
    DEVF_BYTES,             /* a byte array of `size` bytes */
} DeviceFieldType;

typedef struct DeviceField {
    const char *name;
    DeviceFieldType type;
    size_t offset;
    size_t size;            /* in bytes */
} DeviceField;

#define DEV_FIELD(st, f, t)  { #f, t, offsetof(st, f), sizeof(((st *)0)->f) }
#define DEV_FIELD_U8(st, f)    DEV_FIELD(st, f, DEVF_U8)
#define DEV_FIELD_U16(st, f)   DEV_FIELD(st, f, DEVF_U16)
#define DEV_FIELD_U32(st, f)   DEV_FIELD(st, f, DEVF_U32)
#define DEV_FIELD_U64(st, f)   DEV_FIELD(st, f, DEVF_U64)
#define DEV_FIELD_BOOL(st, f)  DEV_FIELD(st, f, DEVF_BOOL)
#define DEV_FIELD_BYTES(st, f) DEV_FIELD(st, f, DEVF_BYTES)
#define DEV_FIELD_END           { NULL, 0, 0, 0 }

/* ---- the class ---- */
typedef struct DeviceClass {
    const char *name;                 /* as in -device NAME */
    const char *desc;                 /* one line for -device help */
    void (*reset)(void *dev);         /* power-on state; keeps wiring and backends */
    const DeviceField *fields;        /* ends with DEV_FIELD_END */
} DeviceClass;

/* First member of every device state struct. */
typedef struct Device {
    const DeviceClass *cls;
} Device;

static inline void device_reset(Device *d)
{
    if (d->cls->reset)
        d->cls->reset(d);
}

#endif
