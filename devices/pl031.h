/*
 * ARM PrimeCell PL031 real-time clock (QEMU virt's RTC at 0x09010000,
 * Linux's rtc-pl031): a 32-bit seconds counter, its load and match
 * registers, the match interrupt with its mask/raw/masked/clear set, the
 * PrimeCell IDs, and one interrupt line.
 */
#ifndef DEVICES_PL031_H
#define DEVICES_PL031_H

#include <stdint.h>
#include "devices/device.h"
#include "devices/timer.h"

typedef struct PL031 {
    Device dev;
    TimerList *clock;
    int64_t start_ns;       /* ns since the epoch at reset (clock 0) */
    int64_t offset_ns;      /* counter = (start_ns + clock + offset_ns) / 1 s */
    uint32_t mr, lr, cr, imsc, ris;
    bool irq_level;
    Timer match;            /* fires when the counter reaches mr */
    IRQLine irq;
} PL031;

extern const DeviceClass pl031_class;

/* start_ns: the time the counter shows at clock 0, in ns since the epoch */
void pl031_init(PL031 *s, TimerList *clock, int64_t start_ns);
/* Map the 4 KiB register page at base. NULL on failure. */
MemoryRegion *pl031_map(PL031 *s, AddressSpace *as, uint64_t base);

#endif
