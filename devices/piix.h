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

#define I440FX_PAM0    0x59       /* PAM0-6: 0x59-0x5f */
#define I440FX_PAM_SEGMENTS 13    /* 0xF0000 (64 KiB), then 0xC0000-0xEFFFF in 16 KiB */

/* The i440FX's Programmable Attribute Map: each segment of 0xC0000-0xFFFFF
 * reads and writes either the PCI side (ROM images) or the shadow RAM
 * under it, per its 2-bit field (bit 0 RE: reads RAM, bit 1 WE: writes
 * RAM). Three views per segment (ROM, read-only RAM, write-only RAM) sit
 * over RAM and are raised or lowered by priority. */
typedef struct I440FXPamSegment {
    struct I440FXPam *pam;
    uint32_t base, size;
    MemoryRegion *rom, *ram_ro, *ram_wo;
    uint8_t mode;                  /* the 2-bit field as applied */
} I440FXPamSegment;

typedef struct I440FXPam {
    AddressSpace *mem;
    MemoryRegion *ram;
    I440FXPamSegment seg[I440FX_PAM_SEGMENTS];
    /* after a mapping changed: the board flushes TLBs and translations of
     * [0xC0000, 0x100000) */
    void (*changed)(void *opaque);
    void *changed_opaque;
} I440FXPam;

/* ram_size feeds the host bridge's 0x57 byte (RAM in 8 MiB units, as QEMU) */
void i440fx_init(PCIFunction *f, uint64_t ram_size);
/* Shadow RAM switching on f (an i440fx_init'ed function): the PCI side of
 * [0xC0000, bios_low_base) is pc_rom (ROM-kind, offset 0 at 0xC0000), that
 * of [bios_low_base, 0x100000) is bios_rom from bios_low_offset on
 * (bios_low_base a multiple of 64 KiB).
 * ram is the RAM region holding 0-1 MiB. false if out of memory. */
bool i440fx_pam_init(PCIFunction *f, I440FXPam *pam, AddressSpace *mem, MemoryRegion *ram,
                     MemoryRegion *pc_rom, MemoryRegion *bios_rom, uint64_t bios_low_offset,
                     uint32_t bios_low_base);
void piix3_init(PCIFunction *f);
/* The PIIX4 PM function; its PMBA/PMIOSE writes move pm's I/O block.
 * com1/lpt: whether those ISA devices exist (QEMU reports them in the
 * device-resource registers 0x5f and 0x67). */
void piix4_pm_init(PCIFunction *f, ACPIPM *pm, bool com1, bool lpt);
/* ISA IRQ a PIRQ line (0..3 = A..D) is routed to, or -1 if disabled. */
int piix3_pirq_irq(const PCIFunction *piix3, int pirq);

#endif
