/*
 * HPET (IA-PC HPET specification 1.0a) as QEMU's pc presents it: 1 KiB of
 * registers at 0xFED00000, a 64-bit main counter at 100 MHz (period
 * 10,000,000 fs), three timers with 64-bit comparators, periodic mode,
 * 32-bit mode, edge or level interrupts, and legacy replacement routing
 * (timer 0 on ISA IRQ 0, timer 1 on IRQ 8). Outputs are IRQ lines: the
 * board wires the legacy pair to its ISA fan-out and the routed ones to
 * IOAPIC pins (Tn_INT_ROUTE_CAP: pin 2 only, as QEMU 7.2 reports).
 */
#ifndef DEVICES_HPET_H
#define DEVICES_HPET_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"
#include "devices/timer.h"

#define HPET_BASE        0xfed00000u
#define HPET_MMIO_SIZE   0x400
#define HPET_NUM_TIMERS  3
#define HPET_PERIOD_FS   10000000u        /* 10 ns: 100 MHz */
#define HPET_INT_CAP     0x00000004u      /* IOAPIC pin 2 only, as QEMU 7.2 reports */
#define HPET_GCAP_ID_LOW 0x8086a201u      /* rev 1, 3 timers, 64-bit, legacy capable, vendor 8086 */

typedef struct HPETState HPETState;
typedef struct HPETTimer {
    HPETState *hpet;
    int n;
    uint64_t config, cmp, period;
    bool line;                    /* level driven on its output now */
    Timer timer;
} HPETTimer;

struct HPETState {
    Device dev;
    uint64_t config;              /* GEN_CONF: ENABLE_CNF, LEG_RT_CNF */
    uint64_t isr;                 /* GINTR_STA: level-triggered timers asserted */
    uint64_t counter_offset;      /* running: counter = clock ticks + offset */
    uint64_t counter_frozen;      /* halted: the counter's value */
    HPETTimer t[HPET_NUM_TIMERS];
    /* wiring (not state) */
    TimerList *timers;
    IRQLine legacy_irq[2];        /* ISA IRQ 0 and 8 (legacy replacement) */
    IRQLine gsi[24];              /* IOAPIC pins by number (routed timers) */
};

extern const DeviceClass hpet_class;
extern const MemoryRegionOps hpet_ops;

void hpet_init(HPETState *s, TimerList *timers);
MemoryRegion *hpet_map(HPETState *s, AddressSpace *mem, uint64_t base);
/* Legacy replacement on: the board silences the PIT's IRQ 0 and the
 * RTC's IRQ 8, which timers 0 and 1 now drive. */
static inline bool hpet_legacy_mode(const HPETState *s) { return (s->config & 3) == 3; }
/* The main counter now (tests). */
uint64_t hpet_counter(HPETState *s);

#endif
