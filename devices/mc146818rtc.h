/*
 * Motorola MC146818 real-time clock and its 128 bytes of CMOS RAM, the
 * PC's RTC at ports 0x70 (index; bit 7 masks NMI) and 0x71 (data), on ISA
 * IRQ 8. The time follows the device clock from a start time the board
 * gives (host UTC, local time, or a fixed date); the board fills the CMOS
 * bytes firmware and kernels read (memory size, equipment, boot order).
 */
#ifndef DEVICES_MC146818RTC_H
#define DEVICES_MC146818RTC_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"
#include "devices/timer.h"

#define RTC_REG_A       0x0a
#define RTC_REG_B       0x0b
#define RTC_REG_C       0x0c
#define RTC_REG_D       0x0d
#define RTC_CENTURY     0x32    /* the PC's (and ACPI FADT's) century byte */

typedef struct MC146818 {
    Device dev;
    uint8_t cmos[128];       /* registers A-D and the RAM; time bytes while frozen */
    uint8_t index;
    bool nmi_masked;         /* port 0x70 bit 7 as last written */
    /* RTC time = base_ns + clock: ns since 1970-01-01 00:00:00 of the
     * time the registers show (the guest's notion of "UTC" or local time) */
    int64_t base_ns;
    int64_t flags_checked_ns;   /* RTC time reg C's flags were last brought up to date */
    bool irq_level;
    /* wiring (not state) */
    IRQLine irq;
    TimerList *clock;
    Timer periodic_timer;
    Timer update_timer;
} MC146818;

extern const DeviceClass mc146818_class;

/* Power-on: registers A-D as the BIOS leaves them (A 0x26, B 0x02: BCD,
 * 24 hour), the time start_ns (ns since the epoch) at clock 0. */
void mc146818_init(MC146818 *s, TimerList *clock, int64_t start_ns);
/* Ports 0x70-0x71. */
bool mc146818_map(MC146818 *s, AddressSpace *io);
/* CMOS RAM bytes for the board (not the time or control registers). */
void mc146818_cmos_set(MC146818 *s, unsigned idx, uint8_t val);
uint8_t mc146818_cmos_get(MC146818 *s, unsigned idx);
/* The time the clock shows now, in seconds since the epoch. */
int64_t mc146818_get_time(MC146818 *s);

#endif
