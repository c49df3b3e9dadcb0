/*
 * The PC chipset's PCI identities, as QEMU's `-M pc` presents them: the
 * i440FX host bridge (00.0, 8086:1237), the PIIX3 PCI-to-ISA bridge (01.0,
 * 8086:7000, with the PIRQ routing registers 0x60-0x63) and the PIIX4
 * power management function (01.3, 8086:7113, whose PMBA/PMIOSE place the
 * ACPI PM block). Configuration space only: what the registers route or
 * map is the board's and acpi_pm.c's business.
 */
#ifndef DEVICES_PIIX_H
#define DEVICES_PIIX_H

#include <stdint.h>
#include "devices/acpi_pm.h"
#include "devices/pci.h"

#define I440FX_DEVFN   PCI_DEVFN(0, 0)
#define PIIX3_DEVFN    PCI_DEVFN(1, 0)
#define PIIX4_PM_DEVFN PCI_DEVFN(1, 3)

#define PIIX3_PIRQC    0x60       /* PIRQA..D route control, 4 bytes */
#define PIIX4_PMBA     0x40       /* PM I/O base (bits 15:6), bit 0 reads 1 */
#define PIIX4_PMREGMISC 0x80      /* bit 0: PMIOSE, the PM I/O space enable */
#define PIIX4_PM_DEFAULT_BASE 0x600   /* where SeaBIOS and QEMU put it */

/* ram_size feeds the host bridge's 0x57 byte (RAM in 8 MiB units, as QEMU) */
void i440fx_init(PCIFunction *f, uint64_t ram_size);
void piix3_init(PCIFunction *f);
/* The PIIX4 PM function; its PMBA/PMIOSE writes move pm's I/O block.
 * com1/lpt: whether those ISA devices exist (QEMU reports them in the
 * device-resource registers 0x5f and 0x67). */
void piix4_pm_init(PCIFunction *f, ACPIPM *pm, bool com1, bool lpt);
/* ISA IRQ a PIRQ line (0..3 = A..D) is routed to, or -1 if disabled. */
int piix3_pirq_irq(const PCIFunction *piix3, int pirq);

#endif
