/*
 * i440FX / PIIX3 / PIIX4-PM configuration spaces. Power-on values follow
 * the Intel datasheets where QEMU does and QEMU where it sets more (its
 * subsystem ID 1af4:1100, the 0x57 RAM-size byte, PIIX4's 0x5b/0x5f/0x63/
 * 0x67); tests/guest/x86/pcboard.c compares the identity registers with
 * QEMU's. SMBus (PIIX4 0x90/0xd2) is off: no SMBus controller here.
 */
#include <string.h>
#include "devices/piix.h"

static void set_subsystem(PCIFunction *f)
{
    pci_set_word(f->config, PCI_SUBSYSTEM_VENDOR_ID, 0x1af4);
    pci_set_word(f->config, PCI_SUBSYSTEM_ID, 0x1100);
}

void i440fx_init(PCIFunction *f, uint64_t ram_size)
{
    pci_function_init(f, "i440FX", 0x8086, 0x1237, 0x02, 0x060000);
    set_subsystem(f);
    uint64_t units = ram_size >> 23;
    f->config[0x57] = units > 255 ? 255 : (uint8_t)units;
    /* PAM0-6 (0x59-0x5f) and SMRAM (0x72, default 0x02) hold what firmware
     * writes; the shadow-RAM switching they control is not modelled */
    memset(f->wmask + 0x59, 0xff, 7);
    f->config[0x72] = 0x02;
    f->wmask[0x72] = 0x78;        /* D_OPEN, D_CLS, D_LCK, G_SMRAME */
    pci_function_seal(f);
}

void piix3_init(PCIFunction *f)
{
    pci_function_init(f, "PIIX3", 0x8086, 0x7000, 0x00, 0x060100);
    set_subsystem(f);
    f->config[PCI_HEADER_TYPE] = 0x80;          /* multi-function */
    pci_set_word(f->config, PCI_COMMAND, 0x0007);
    pci_set_word(f->config, PCI_STATUS, 0x0200);   /* DEVSEL medium */
    /* the datasheet's power-on values (QEMU's piix3 reset) */
    static const struct { uint8_t reg, val; } init[] = {
        { 0x4c, 0x4d }, { 0x4e, 0x03 }, { 0x60, 0x80 }, { 0x61, 0x80 }, { 0x62, 0x80 },
        { 0x63, 0x80 }, { 0x69, 0x02 }, { 0x70, 0x80 }, { 0x76, 0x0c }, { 0x77, 0x0c },
        { 0x78, 0x02 }, { 0xa0, 0x08 }, { 0xa8, 0x0f },
    };
    for (size_t i = 0; i < sizeof(init) / sizeof(init[0]); i++)
        f->config[init[i].reg] = init[i].val;
    /* the device-specific area is read/write configuration */
    memset(f->wmask + 0x40, 0xff, 0x100 - 0x40);
    pci_function_seal(f);
}

int piix3_pirq_irq(const PCIFunction *piix3, int pirq)
{
    uint8_t v = piix3->config[PIIX3_PIRQC + (pirq & 3)];
    if (v & 0x80)
        return -1;
    v &= 0xf;
    /* IRQ 0, 1, 2, 8 and 13 are reserved routings */
    return v < 3 || v == 8 || v == 13 ? -1 : v;
}

static void piix4_pm_apply(PCIFunction *f, ACPIPM *pm)
{
    uint16_t base = pci_get_word(f->config, PIIX4_PMBA) & 0xffc0;
    bool enabled = f->config[PIIX4_PMREGMISC] & 1;
    acpi_pm_set_io(pm, base, enabled);
}

static void piix4_pm_written(PCIFunction *f, uint32_t addr, unsigned len)
{
    if ((addr < PIIX4_PMBA + 4 && addr + len > PIIX4_PMBA) ||
        (addr <= PIIX4_PMREGMISC && addr + len > PIIX4_PMREGMISC))
        piix4_pm_apply(f, f->opaque);
}

static void piix4_pm_reset(PCIFunction *f)
{
    piix4_pm_apply(f, f->opaque);
}

void piix4_pm_init(PCIFunction *f, ACPIPM *pm, bool com1, bool lpt)
{
    pci_function_init(f, "PIIX4-PM", 0x8086, 0x7113, 0x03, 0x068000);
    set_subsystem(f);
    pci_set_word(f->config, PCI_STATUS, 0x0280);   /* DEVSEL medium, fast back-to-back */
    f->config[PCI_INTERRUPT_PIN] = 1;              /* INTA (the SCI is wired to IRQ 9) */
    f->config[PIIX4_PMBA] = 0x01;                  /* I/O space indicator, read-only */
    f->wmask[PIIX4_PMBA] = 0xc0;
    f->wmask[PIIX4_PMBA + 1] = 0xff;
    f->wmask[PIIX4_PMREGMISC] = 0x01;
    f->config[0x5b] = 0x02;                        /* no SMM: "SMM already initialised" */
    f->config[0x5f] = 0x10 | (lpt ? 0x80 : 0);     /* device resources, as QEMU reports */
    f->config[0x63] = 0x60;
    f->config[0x67] = com1 ? 0x08 : 0;
    pci_function_seal(f);
    f->opaque = pm;
    f->written = piix4_pm_written;
    f->reset = piix4_pm_reset;
}
