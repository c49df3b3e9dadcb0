/*
 * The i440FX's PAM registers (devices/piix.c, i440fx_pam_init): for each
 * of the four settings of a segment's field, what a read and a write of
 * 0xC0000-0xFFFFF reach (the ROM side or the shadow RAM under it), the
 * 64 KiB F segment and the 16 KiB C/D/E segments, and a reset back to
 * the ROM; checked through the address space as the CPU and DMA see it.
 */
#include <string.h>
#include "devices/piix.h"
#include "softmmu/memory.h"
#include "tests/devices-pc/devtest.h"

static int pam_changes;
static void pam_changed(void *opaque)
{
    pam_changes++;
}

static uint8_t rd(AddressSpace *as, uint64_t a)
{
    return (uint8_t)address_space_ldn(as, a, 1, NULL);
}

void test_pam(void)
{
    AddressSpace *as = address_space_new("pam-test");
    MemoryRegion *ram = memory_region_add_ram(as, "ram", 0, 2 << 20);
    MemoryRegion *bios = memory_region_add_rom(as, "bios", 0xfffe0000ull, 0x20000);
    MemoryRegion *opt = memory_region_add_rom(as, "pc.rom", 0xc0000, 0x20000);
    memory_region_set_priority(as, opt, -20);
    /* ROM side: 0xB1 in the BIOS image, 0xC1 in pc.rom; RAM under it 0x5A */
    memset(bios->host, 0xb1, 0x20000);
    memset(opt->host, 0xc1, 0x20000);
    memset(ram->host + 0xc0000, 0x5a, 0x40000);
    PCIHost h;
    static PCIFunction f;
    pci_host_init(&h);
    i440fx_init(&f, 2 << 20);
    pci_host_plug(&h, I440FX_DEVFN, &f);
    static I440FXPam pam;
    CHECK("pam: init", i440fx_pam_init(&f, &pam, as, ram, opt, bios, 0, 0xe0000));
    pam.changed = pam_changed;

    /* power-on: every field 0, reads and writes to the ROM side */
    CHECK_EQ("pam: reset F segment reads the BIOS", rd(as, 0xffff0), 0xb1);
    CHECK_EQ("pam: reset E segment reads the BIOS", rd(as, 0xe0000), 0xb1);
    CHECK_EQ("pam: reset C segment reads pc.rom", rd(as, 0xc4000), 0xc1);
    address_space_stn(as, 0xf0000, 0x11, 1, NULL);
    CHECK_EQ("pam: reset write to ROM dropped", rd(as, 0xf0000), 0xb1);
    CHECK_EQ("pam: reset write does not reach RAM", ram->host[0xf0000], 0x5a);

    /* F segment write-only (WE, PAM0 bits 5:4 = 2): reads ROM, writes RAM */
    pci_config_write(&h, I440FX_DEVFN, I440FX_PAM0, 0x20, 1);
    address_space_stn(as, 0xf0010, 0x22, 1, NULL);
    CHECK_EQ("pam: write-only reads the ROM", rd(as, 0xf0010), 0xb1);
    CHECK_EQ("pam: write-only writes RAM", ram->host[0xf0010], 0x22);
    CHECK("pam: a change is reported", pam_changes > 0);

    /* read/write RAM (3), then read-only RAM (1): writes dropped */
    pci_config_write(&h, I440FX_DEVFN, I440FX_PAM0, 0x30, 1);
    CHECK_EQ("pam: read/write reads RAM", rd(as, 0xf0010), 0x22);
    address_space_stn(as, 0xf0020, 0x33, 1, NULL);
    CHECK_EQ("pam: read/write writes RAM", ram->host[0xf0020], 0x33);
    pci_config_write(&h, I440FX_DEVFN, I440FX_PAM0, 0x10, 1);
    address_space_stn(as, 0xf0020, 0x44, 1, NULL);
    CHECK_EQ("pam: read-only reads RAM", rd(as, 0xf0020), 0x33);
    CHECK_EQ("pam: read-only drops writes", ram->host[0xf0020], 0x33);
    CHECK_EQ("pam: F field leaves E alone", rd(as, 0xe0000), 0xb1);

    /* PAM1 high nibble = 0xC4000-0xC7FFF only; PAM6 high = 0xEC000 */
    pci_config_write(&h, I440FX_DEVFN, I440FX_PAM0 + 1, 0x30, 1);
    CHECK_EQ("pam: PAM1 high reaches C4000", rd(as, 0xc4000), 0x5a);
    CHECK_EQ("pam: PAM1 high leaves C0000", rd(as, 0xc0000), 0xc1);
    CHECK_EQ("pam: PAM1 high leaves C8000", rd(as, 0xc8000), 0xc1);
    pci_config_write(&h, I440FX_DEVFN, I440FX_PAM0 + 6, 0x10, 1);
    CHECK_EQ("pam: PAM6 high reaches EC000", rd(as, 0xec000), 0x5a);
    CHECK_EQ("pam: PAM6 high leaves E8000", rd(as, 0xe8000), 0xb1);

    /* a dword write as SeaBIOS does (0x58-0x5b and 0x5c-0x5f) */
    pci_config_write(&h, I440FX_DEVFN, 0x58, 0x33333000, 4);
    pci_config_write(&h, I440FX_DEVFN, 0x5c, 0x33333333, 4);
    CHECK_EQ("pam: all RAM after dword writes (C0000)", rd(as, 0xc0000), 0x5a);
    CHECK_EQ("pam: all RAM after dword writes (FFFFF)", rd(as, 0xfffff), 0x5a);

    /* the bridge's reset restores the ROM side */
    device_reset(&h.dev);
    CHECK_EQ("pam: reset restores the ROM (F)", rd(as, 0xf0020), 0xb1);
    CHECK_EQ("pam: reset restores the ROM (C)", rd(as, 0xc4000), 0xc1);
    address_space_free(as);
}
