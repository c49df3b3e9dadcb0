/*
 * PCI configuration mechanism #1 through the port ops (CONFIG_ADDRESS,
 * byte/word/dword data accesses, absent functions), the write masks, the
 * reset control register at 0xCF9, and the chipset identities (expected
 * values read from QEMU 7.2's -M pc with a bare-metal guest).
 */
#include <string.h>
#include "devices/piix.h"
#include "tests/devices-pc/devtest.h"

static PCIHost host;
static int resets;

static void on_reset(void *o) { resets++; }

static uint32_t cfg_rd(int devfn, uint32_t reg, unsigned size)
{
    pci_host_ops.write(&host, 0, 0x80000000u | (devfn << 8) | (reg & 0xfc), 4);
    return (uint32_t)pci_host_ops.read(&host, 4 + (reg & 3), size);
}

static void cfg_wr(int devfn, uint32_t reg, uint32_t v, unsigned size)
{
    pci_host_ops.write(&host, 0, 0x80000000u | (devfn << 8) | (reg & 0xfc), 4);
    pci_host_ops.write(&host, 4 + (reg & 3), v, size);
}

static void test_pci_pm(PCIFunction *pmf, ACPIPM *pm)
{
    CHECK_EQ("piix4 PMBA reset: I/O indicator only", cfg_rd(PIIX4_PM_DEVFN, 0x40, 4), 1);
    cfg_wr(PIIX4_PM_DEVFN, 0x40, 0xffffffff, 4);
    CHECK_EQ("piix4 PMBA writable bits 15:6", cfg_rd(PIIX4_PM_DEVFN, 0x40, 4), 0xffc1);
    cfg_wr(PIIX4_PM_DEVFN, 0x40, 0x0600, 4);
    CHECK_EQ("piix4 PMBA 0x600", cfg_rd(PIIX4_PM_DEVFN, 0x40, 4), 0x601);
    CHECK("piix4 PM I/O still off before PMIOSE", !pm->io_enabled);
    cfg_wr(PIIX4_PM_DEVFN, 0x80, 0x01, 1);
    CHECK("piix4 PMIOSE enables the PM block", pm->io_enabled && pm->iobase == 0x600);
    cfg_wr(PIIX4_PM_DEVFN, 0x40, 0xb000, 2);
    CHECK_EQ("piix4 PM block follows PMBA", pm->iobase, 0xb000);
    device_reset(&host.dev);
    CHECK("piix4 reset: PM block off", !pm->io_enabled);
    (void)pmf;
}

void test_pci(void)
{
    static PCIFunction hb, isa, pmf;
    static ACPIPM pm;
    FakeClock c;
    fake_clock_init(&c);
    acpi_pm_init(&pm, &c.tl, NULL);
    pci_host_init(&host);
    i440fx_init(&hb, 128u << 20);
    piix3_init(&isa);
    piix4_pm_init(&pmf, &pm, true, false);
    pci_host_plug(&host, I440FX_DEVFN, &hb);
    pci_host_plug(&host, PIIX3_DEVFN, &isa);
    pci_host_plug(&host, PIIX4_PM_DEVFN, &pmf);
    host.reset_request = on_reset;

    pci_host_ops.write(&host, 0, 0x80001234, 4);
    CHECK_EQ("pci CONFIG_ADDRESS reads back (low bits 0)", pci_host_ops.read(&host, 0, 4), 0x80001234);
    pci_host_ops.write(&host, 0, 0x7f000003, 4);
    CHECK_EQ("pci CONFIG_ADDRESS reserved bits 30:24, 1:0 read 0", pci_host_ops.read(&host, 0, 4), 0);
    CHECK_EQ("pci disabled CONFIG_ADDRESS: data reads ones", pci_host_ops.read(&host, 4, 4), 0xffffffff);
    pci_host_ops.write(&host, 0, 0x12, 1);
    CHECK_EQ("pci byte write to 0xCF8 leaves CONFIG_ADDRESS", pci_host_ops.read(&host, 0, 4), 0);

    /* identities, as QEMU 7.2 -M pc reports them */
    CHECK_EQ("i440fx 00.0 ID 8086:1237", cfg_rd(I440FX_DEVFN, 0, 4), 0x12378086);
    CHECK_EQ("i440fx 00.0 class 0600 rev 02", cfg_rd(I440FX_DEVFN, 8, 4), 0x06000002);
    CHECK_EQ("i440fx 00.0 subsystem", cfg_rd(I440FX_DEVFN, 0x2c, 4), 0x11001af4);
    CHECK_EQ("i440fx RAM size byte (128 MiB / 8 MiB)", cfg_rd(I440FX_DEVFN, 0x57, 1), 0x10);
    CHECK_EQ("piix3 01.0 ID 8086:7000", cfg_rd(PIIX3_DEVFN, 0, 4), 0x70008086);
    CHECK_EQ("piix3 01.0 class 0601, multi-function", cfg_rd(PIIX3_DEVFN, 8, 4) >> 8 |
                                                              cfg_rd(PIIX3_DEVFN, 0xe, 1) << 24, 0x80060100);
    CHECK_EQ("piix3 status DEVSEL medium", cfg_rd(PIIX3_DEVFN, 6, 2), 0x0200);
    CHECK_EQ("piix3 PIRQ routing reset: disabled", cfg_rd(PIIX3_DEVFN, 0x60, 4), 0x80808080);
    CHECK_EQ("piix4 01.3 ID 8086:7113", cfg_rd(PIIX4_PM_DEVFN, 0, 4), 0x71138086);
    CHECK_EQ("piix4 01.3 class 0680 rev 03", cfg_rd(PIIX4_PM_DEVFN, 8, 4), 0x06800003);
    CHECK_EQ("piix4 interrupt pin A", cfg_rd(PIIX4_PM_DEVFN, 0x3d, 1), 1);
    CHECK_EQ("absent 01.1 reads ones", cfg_rd(PCI_DEVFN(1, 1), 0, 4), 0xffffffff);
    CHECK_EQ("absent 02.0 word read", cfg_rd(PCI_DEVFN(2, 0), 2, 2), 0xffff);
    pci_host_ops.write(&host, 0, 0x80010000u, 4);
    CHECK_EQ("bus 1 is absent", pci_host_ops.read(&host, 4, 4), 0xffffffff);

    /* sizes and masks */
    CHECK_EQ("pci byte read at 0xCFE", cfg_rd(I440FX_DEVFN, 2, 1), 0x37);
    CHECK_EQ("pci word read at 0xCFE", cfg_rd(I440FX_DEVFN, 2, 2), 0x1237);
    cfg_wr(I440FX_DEVFN, 0, 0xffffffff, 4);
    CHECK_EQ("pci vendor/device read-only", cfg_rd(I440FX_DEVFN, 0, 4), 0x12378086);
    cfg_wr(PIIX3_DEVFN, 4, 0xffff, 2);
    CHECK_EQ("pci command writable bits", cfg_rd(PIIX3_DEVFN, 4, 2), 0x0547);
    cfg_wr(PIIX3_DEVFN, 0x61, 0x0b, 1);
    CHECK_EQ("piix3 PIRQB write (byte at 0xCFD)", cfg_rd(PIIX3_DEVFN, 0x60, 4), 0x80800b80);
    CHECK_EQ("piix3 PIRQB routes to IRQ 11", piix3_pirq_irq(&isa, 1), 11);
    CHECK_EQ("piix3 PIRQA disabled", piix3_pirq_irq(&isa, 0), -1);
    pci_set_word(isa.config, PCI_STATUS, 0x2200);   /* as if a master abort was received */
    cfg_wr(PIIX3_DEVFN, 6, 0x2000, 2);
    CHECK_EQ("pci status write-1-to-clear", cfg_rd(PIIX3_DEVFN, 6, 2), 0x0200);
    cfg_wr(I440FX_DEVFN, 0x59, 0x30, 1);
    CHECK_EQ("i440fx PAM0 writable", cfg_rd(I440FX_DEVFN, 0x59, 1), 0x30);

    /* reset control */
    pci_host_ops.write(&host, 1, 0x02, 1);
    CHECK_EQ("0xCF9 keeps SYS_RST", pci_host_ops.read(&host, 1, 1), 0x02);
    CHECK_EQ("0xCF9 without RST_CPU: no reset", resets, 0);
    pci_host_ops.write(&host, 1, 0x06, 1);
    CHECK_EQ("0xCF9 0x06: system reset", resets, 1);
    test_pci_pm(&pmf, &pm);
    CHECK_EQ("pci reset restores power-on config", cfg_rd(PIIX3_DEVFN, 0x60, 4), 0x80808080);
}
