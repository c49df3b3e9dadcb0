/*
 * isa-debug-exit, as QEMU defines it (hw/misc/debugexit.c): any write of
 * any size inside [iobase, iobase + iosize) requests exit status
 * (v << 1) | 1; reads return 0. The device only reports the request; the
 * board flushes output, restores the terminal and exits, so the status a
 * test sees is always odd and never collides with a clean 0.
 */
#include <string.h>
#include "devices/isa_debug_exit.h"

static uint64_t isa_debug_exit_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0;
}

static void isa_debug_exit_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ISADebugExit *s = opaque;

    if (s->request_exit)
        s->request_exit(s->opaque, (int)(((uint32_t)val << 1) | 1));
}

const MemoryRegionOps isa_debug_exit_ops = {
    .read = isa_debug_exit_read,
    .write = isa_debug_exit_write,
    .min_access = 1,
    .max_access = 4,
};

static const DeviceField isa_debug_exit_fields[] = {
    DEV_FIELD_END,    /* no guest-visible state */
};

const DeviceClass isa_debug_exit_class = {
    .name = "isa-debug-exit",
    .desc = "write v to iobase: exit with status (v << 1) | 1 (iobase=0xf4,iosize=0x04)",
    .reset = NULL,
    .fields = isa_debug_exit_fields,
};

void isa_debug_exit_init(ISADebugExit *s, uint16_t iobase, uint16_t iosize,
                         void (*request_exit)(void *opaque, int status), void *opaque)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &isa_debug_exit_class;
    s->iobase = iobase;
    s->iosize = iosize;
    s->request_exit = request_exit;
    s->opaque = opaque;
}

MemoryRegion *isa_debug_exit_map(ISADebugExit *s, AddressSpace *io)
{
    return memory_region_add_mmio(io, "isa-debug-exit", s->iobase, s->iosize,
                                  &isa_debug_exit_ops, s, 0);
}
