/*
 * ACPI power management I/O block, PIIX4 style (the PIIX4 datasheet's PM
 * registers as QEMU's piix4-pm presents them): PM1a status/enable (+0,
 * +2), PM1a control (+4: SCI_EN, SLP_TYP/SLP_EN), the 24-bit PM timer at
 * 3.579545 MHz (+8) on the device clock, and the SCI (a level IRQ line,
 * ISA IRQ 9 on the pc). The block moves where the PIIX4 function's PMBA
 * register puts it (acpi_pm_set_io); a sleep request goes to the board.
 */
#ifndef DEVICES_ACPI_PM_H
#define DEVICES_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"
#include "devices/timer.h"

#define ACPI_PM_IO_SIZE     64
#define ACPI_PM_TIMER_HZ    3579545u
#define ACPI_PM_MAX_WINDOWS 8

/* PM1 status/enable bits */
#define ACPI_PM1_TMR        (1u << 0)
#define ACPI_PM1_BM         (1u << 4)
#define ACPI_PM1_GBL        (1u << 5)
#define ACPI_PM1_PWRBTN     (1u << 8)
#define ACPI_PM1_SLPBTN     (1u << 9)
#define ACPI_PM1_RTC        (1u << 10)
#define ACPI_PM1_WAK        (1u << 15)
/* PM1 control */
#define ACPI_PM1_CNT_SCI_EN (1u << 0)
#define ACPI_PM1_CNT_SLP_EN (1u << 13)

typedef struct ACPIPM ACPIPM;
typedef struct ACPIPMWindow {
    ACPIPM *pm;
    uint16_t base;
} ACPIPMWindow;

struct ACPIPM {
    Device dev;
    uint16_t pm1_sts, pm1_en, pm1_cnt;
    uint32_t tmr_epoch;           /* timer bit-23 period count when TMR_STS was last clear */
    uint16_t iobase;
    bool io_enabled;
    bool sci_level;
    /* wiring (not state) */
    TimerList *timers;
    Timer tmr_timer;              /* TMR_STS when TMR_EN is set */
    IRQLine sci;
    void (*sleep)(void *opaque, int slp_typ);   /* SLP_EN written: the board acts */
    void *sleep_opaque;
    AddressSpace *io;
    ACPIPMWindow windows[ACPI_PM_MAX_WINDOWS];  /* every base ever mapped */
    int nb_windows;
};

extern const DeviceClass acpi_pm_class;
extern const MemoryRegionOps acpi_pm_ops;

void acpi_pm_init(ACPIPM *pm, TimerList *timers, AddressSpace *io);
/* Where the block answers (PMBA) and whether it does (PMIOSE). False if
 * a new base could not be mapped. */
bool acpi_pm_set_io(ACPIPM *pm, uint16_t base, bool enabled);
/* The PM timer's value now (24 bits). */
uint32_t acpi_pm_timer_read(ACPIPM *pm);
/* Register access relative to the block (tests, and the port ops). */
uint32_t acpi_pm_read(ACPIPM *pm, uint32_t off, unsigned size);
void acpi_pm_write(ACPIPM *pm, uint32_t off, uint32_t val, unsigned size);
/* Events from the board: the power button. */
void acpi_pm_power_button(ACPIPM *pm);

#endif
