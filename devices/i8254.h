/*
 * Intel 8254 programmable interval timer (the PC's PIT at 0x40-0x43,
 * 1.193182 MHz) and the PC's system control port B (0x61: channel 2 gate,
 * speaker enable, refresh toggle, channel 2 output). Counters are computed
 * from the device clock at each read, never ticked; channel 0's output
 * drives ISA IRQ 0 through one timer per output edge.
 */
#ifndef DEVICES_I8254_H
#define DEVICES_I8254_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"
#include "devices/timer.h"

#define I8254_FREQ 1193182u          /* Hz */

typedef struct I8254Channel {
    uint8_t mode;            /* 0-5 */
    uint8_t rw_mode;         /* 1 LSB, 2 MSB, 3 LSB then MSB */
    bool bcd;
    bool gate;
    uint32_t count;          /* counting element's reload value, 1..0x10000 (binary ticks) */
    int64_t load_time;       /* clock ns the count was loaded / the period started */
    bool counting;           /* a count was loaded (and, modes 1/5, triggered) */
    bool armed;              /* modes 1/5: a count is waiting for its gate trigger */
    int64_t frozen_ticks;    /* ticks counted when the gate stopped modes 0/2/3/4 */
    /* a count written while modes 2/3 run takes effect at the period's end,
     * one written in modes 1/5 at the next trigger */
    bool reload_pending;
    int64_t reload_time;
    uint32_t next_count;
    uint8_t ctrl;            /* control word bits 5-0 (RW, M, BCD), for status reads */
    /* the bus side */
    bool write_msb_next;     /* rw_mode 3: the next write is the MSB */
    uint8_t write_lsb;
    bool read_msb_next;      /* rw_mode 3: the next unlatched read is the MSB */
    bool count_latched;
    uint16_t latch;          /* latched counter value (as read: BCD if bcd) */
    uint8_t latch_reads;     /* bytes of the latch still to read */
    bool status_latched;
    uint8_t status;
    bool null_count;         /* a written count is not yet in the counting element */
    bool out_initial;        /* OUT before the first count (set by the control word) */
} I8254Channel;

typedef struct I8254 {
    Device dev;
    I8254Channel ch[3];
    uint8_t port61;          /* bits 0-3 as written */
    bool irq0_level;
    /* wiring (not state) */
    IRQLine irq0;
    TimerList *clock;
    Timer irq_timer;         /* channel 0's next output edge */
} I8254;

extern const DeviceClass i8254_class;

void i8254_init(I8254 *s, TimerList *clock);
/* Map the PIT at 0x40-0x43 and port B at 0x61. */
bool i8254_map(I8254 *s, AddressSpace *io);
/* Counter value and OUT level of a channel now (for tests and port 0x61). */
uint16_t i8254_get_count(I8254 *s, int channel);
bool i8254_get_out(I8254 *s, int channel);
/* Gate input (channel 2's is port 0x61 bit 0; 0 and 1 are tied high). */
void i8254_set_gate(I8254 *s, int channel, bool gate);

#endif
