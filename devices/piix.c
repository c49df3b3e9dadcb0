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
    /* PAM0-6 (0x59-0x5f): shadow RAM, switched by i440fx_pam_init's
     * hooks when the board has firmware; SMRAM (0x72, default 0x02) holds
     * what firmware writes (no SMM here) */
    memset(f->wmask + 0x59, 0xff, 7);
    f->config[0x72] = 0x02;
    f->wmask[0x72] = 0x78;        /* D_OPEN, D_CLS, D_LCK, G_SMRAME */
    pci_function_seal(f);
}

/* PAM priorities: RAM (0) wins unless a view is raised over it */
#define PAM_VIEW_HIDDEN (-10)
#define PAM_VIEW_SHOWN  10

/* write-only shadow RAM (WE without RE): reads come from the ROM side,
 * writes land in RAM */
static uint64_t pam_wo_read(void *opaque, uint64_t addr, unsigned size)
{
    I440FXPamSegment *s = opaque;
    uint64_t v = 0;
    memcpy(&v, s->rom->host + addr, size);
    return v;
}

static void pam_wo_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I440FXPamSegment *s = opaque;
    I440FXPam *pam = s->pam;
    uint64_t paddr = s->base + addr;   /* this view covers the address: write RAM directly */
    memcpy(pam->ram->host + paddr, &val, size);
    if (pam->ram->code_bitmap[paddr >> 12] && pam->mem->code_write_notify)
        pam->mem->code_write_notify(pam->mem->code_write_opaque, paddr);
}

static const MemoryRegionOps pam_wo_ops = {
    .read = pam_wo_read,
    .write = pam_wo_write,
    .min_access = 1,
    .max_access = 8,
};

static uint8_t pam_field(const PCIFunction *f, int seg)
{
    if (seg == 0)
        return f->config[I440FX_PAM0] >> 4 & 3;
    int n = seg - 1;               /* PAM1 low nibble = 0xC0000 */
    return f->config[I440FX_PAM0 + 1 + n / 2] >> (n & 1 ? 4 : 0) & 3;
}

/* Raise the view the field selects (none for read/write RAM): ROM alone
 * would shadow the RAM the write-only view writes, so exactly one of the
 * three is shown at a time. */
static void pam_apply(PCIFunction *f)
{
    I440FXPam *pam = f->opaque;
    bool changed = false;
    for (int i = 0; i < I440FX_PAM_SEGMENTS; i++) {
        I440FXPamSegment *s = &pam->seg[i];
        uint8_t mode = pam_field(f, i);
        if (mode == s->mode)
            continue;
        MemoryRegion *shown = mode == 0 ? s->rom : mode == 1 ? s->ram_ro : mode == 2 ? s->ram_wo : NULL;
        MemoryRegion *views[3] = { s->rom, s->ram_ro, s->ram_wo };
        for (int v = 0; v < 3; v++)
            memory_region_set_priority(pam->mem, views[v], views[v] == shown ? PAM_VIEW_SHOWN : PAM_VIEW_HIDDEN);
        s->mode = mode;
        changed = true;
    }
    if (changed && pam->changed)
        pam->changed(pam->changed_opaque);
}

static void pam_written(PCIFunction *f, uint32_t addr, unsigned len)
{
    if (addr < I440FX_PAM0 + 7 && addr + len > I440FX_PAM0)
        pam_apply(f);
}

bool i440fx_pam_init(PCIFunction *f, I440FXPam *pam, AddressSpace *mem, MemoryRegion *ram,
                     MemoryRegion *pc_rom, MemoryRegion *bios_rom, uint64_t bios_low_offset,
                     uint32_t bios_low_base)
{
    pam->mem = mem;
    pam->ram = ram;
    for (int i = 0; i < I440FX_PAM_SEGMENTS; i++) {
        I440FXPamSegment *s = &pam->seg[i];
        s->pam = pam;
        s->base = i == 0 ? 0xf0000 : 0xc0000 + (uint32_t)(i - 1) * 0x4000;
        s->size = i == 0 ? 0x10000 : 0x4000;
        s->rom = s->base < bios_low_base
                     ? memory_region_add_alias(mem, "pam.rom", s->base, pc_rom, s->base - 0xc0000, s->size)
                     : memory_region_add_alias(mem, "pam.rom", s->base, bios_rom,
                                               bios_low_offset + (s->base - bios_low_base), s->size);
        s->ram_ro = memory_region_add_alias(mem, "pam.ram-ro", s->base, ram, s->base, s->size);
        s->ram_wo = memory_region_add_mmio(mem, "pam.ram-wo", s->base, s->size, &pam_wo_ops, s,
                                           PAM_VIEW_HIDDEN);
        if (!s->rom || !s->ram_ro || !s->ram_wo)
            return false;
        s->ram_ro->kind = MR_ROM;  /* reads RAM, writes go to the PCI side (dropped) */
        s->mode = 3;               /* as applied: every view hidden, RAM */
        memory_region_set_priority(mem, s->rom, PAM_VIEW_HIDDEN);
        memory_region_set_priority(mem, s->ram_ro, PAM_VIEW_HIDDEN);
    }
    f->opaque = pam;
    f->written = pam_written;
    f->reset = pam_apply;
    pam_apply(f);
    return true;
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
