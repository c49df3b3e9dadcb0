/*
 * isa-debug-exit: QEMU's test device. A write of value v to its port asks
 * the board to end the run with exit status (v << 1) | 1, so a test guest
 * can report success or failure through the emulator's exit status.
 */
#ifndef DEVICES_ISA_DEBUG_EXIT_H
#define DEVICES_ISA_DEBUG_EXIT_H

#include <stdint.h>
#include "devices/device.h"

#define ISA_DEBUG_EXIT_IOBASE 0xf4
#define ISA_DEBUG_EXIT_IOSIZE 0x04

typedef struct ISADebugExit {
    Device dev;
    uint16_t iobase, iosize;
    /* wiring: the board ends the run (the device never exits itself) */
    void (*request_exit)(void *opaque, int status);
    void *opaque;
} ISADebugExit;

extern const DeviceClass isa_debug_exit_class;
extern const MemoryRegionOps isa_debug_exit_ops;

void isa_debug_exit_init(ISADebugExit *s, uint16_t iobase, uint16_t iosize,
                         void (*request_exit)(void *opaque, int status), void *opaque);
/* Map the port range in the I/O space. NULL on failure. */
MemoryRegion *isa_debug_exit_map(ISADebugExit *s, AddressSpace *io);

#endif
