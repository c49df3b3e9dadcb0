/*
 * PCI configuration mechanism #1 (PCI Local Bus spec 3.0, 3.2.2.3.2) and
 * the bus-0 function model. CONFIG_ADDRESS is a dword register at 0xCF8:
 * bit 31 enable, bus in 23:16, device/function in 15:8, dword register in
 * 7:2. A data access at 0xCFC + n (n = 0..3, any size that fits) reaches
 * register (addr & 0xfc) + n of the selected function. Accesses to 0xCF8
 * that are not dwords do not touch CONFIG_ADDRESS: a byte at 0xCF9 is the
 * PIIX3's reset control register (bit 2 0→1 resets the system, bit 1
 * chooses hard reset), the others read all ones, as on QEMU's pc.
 */
#include <string.h>
#include "devices/pci.h"

#define CONFIG_ADDR_ENABLE (1u << 31)
#define RCR_SYS_RST        (1u << 1)
#define RCR_RST_CPU        (1u << 2)

void pci_function_init(PCIFunction *f, const char *name, uint16_t vendor, uint16_t device,
                       uint8_t revision, uint32_t class_code)
{
    memset(f, 0, sizeof(*f));
    f->name = name;
    pci_set_word(f->config, PCI_VENDOR_ID, vendor);
    pci_set_word(f->config, PCI_DEVICE_ID, device);
    f->config[PCI_REVISION_ID] = revision;
    f->config[PCI_CLASS_PROG] = (uint8_t)class_code;
    pci_set_word(f->config, PCI_CLASS_DEVICE, (uint16_t)(class_code >> 8));
    /* command: I/O, memory, bus master, parity, SERR, INTx disable */
    pci_set_word(f->wmask, PCI_COMMAND, 0x0547);
    f->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    f->wmask[PCI_LATENCY_TIMER] = 0xff;
    f->wmask[PCI_INTERRUPT_LINE] = 0xff;
    /* status: master data parity, signalled/received aborts, SERR, parity */
    pci_set_word(f->w1cmask, PCI_STATUS, 0xf900);
}

void pci_function_seal(PCIFunction *f)
{
    memcpy(f->reset_config, f->config, sizeof(f->config));
}

void pci_function_reset(PCIFunction *f)
{
    memcpy(f->config, f->reset_config, sizeof(f->config));
    if (f->reset)
        f->reset(f);
}

uint32_t pci_config_read(PCIHost *h, int devfn, uint32_t reg, unsigned len)
{
    PCIFunction *f = devfn >= 0 && devfn < 256 ? h->funcs[devfn] : NULL;
    if (!f || reg + len > 256)
        return len == 4 ? 0xffffffffu : (1u << (8 * len)) - 1;
    uint32_t v = 0;
    for (unsigned i = 0; i < len; i++)
        v |= (uint32_t)f->config[reg + i] << (8 * i);
    return v;
}

void pci_config_write(PCIHost *h, int devfn, uint32_t reg, uint32_t val, unsigned len)
{
    PCIFunction *f = devfn >= 0 && devfn < 256 ? h->funcs[devfn] : NULL;
    if (!f || reg + len > 256)
        return;
    for (unsigned i = 0; i < len; i++) {
        uint8_t b = (uint8_t)(val >> (8 * i)), a = (uint8_t)(reg + i);
        f->config[a] = (f->config[a] & ~f->wmask[a]) | (b & f->wmask[a]);
        f->config[a] &= ~(b & f->w1cmask[a]);
    }
    if (f->written)
        f->written(f, reg, len);
}

void pci_host_plug(PCIHost *h, int devfn, PCIFunction *f)
{
    h->funcs[devfn & 0xff] = f;
}

/* the function CONFIG_ADDRESS selects, -1 if disabled or not on bus 0 */
static int pci_selected_devfn(const PCIHost *h)
{
    if (!(h->config_addr & CONFIG_ADDR_ENABLE) || ((h->config_addr >> 16) & 0xff) != 0)
        return -1;
    return (h->config_addr >> 8) & 0xff;
}

static uint64_t pci_host_read(void *opaque, uint64_t addr, unsigned size)
{
    PCIHost *h = opaque;
    uint32_t ones = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    if (addr < 4) {
        if (addr == 0 && size == 4)
            return h->config_addr;
        if (addr == 1 && size == 1)
            return h->rcr;
        return ones;
    }
    unsigned n = addr & 3;
    if (n + size > 4)
        return ones;
    int devfn = pci_selected_devfn(h);
    if (devfn < 0)
        return ones;
    return pci_config_read(h, devfn, (h->config_addr & 0xfc) + n, size);
}

static void pci_host_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PCIHost *h = opaque;
    if (addr < 4) {
        if (addr == 0 && size == 4) {
            h->config_addr = (uint32_t)val & 0x80fffffcu;
        } else if (addr == 1 && size == 1) {
            bool reset = (val & RCR_RST_CPU) && !(h->rcr & RCR_RST_CPU);
            h->rcr = val & RCR_SYS_RST;   /* RST_CPU is self-clearing */
            if (reset && h->reset_request)
                h->reset_request(h->reset_opaque);
        }
        return;
    }
    unsigned n = addr & 3;
    int devfn = pci_selected_devfn(h);
    if (n + size > 4 || devfn < 0)
        return;
    pci_config_write(h, devfn, (h->config_addr & 0xfc) + n, (uint32_t)val, size);
}

static const char *pci_host_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    if (addr == 0)
        return "CONFIG_ADDRESS";
    if (addr == 1)
        return "PIIX3 reset control (0xCF9)";
    if (addr >= 4)
        return "CONFIG_DATA";
    return "CONFIG_ADDRESS (not a dword access: ignored)";
}

const MemoryRegionOps pci_host_ops = {
    .read = pci_host_read,
    .write = pci_host_write,
    .min_access = 1,
    .max_access = 4,
    .reg_name = pci_host_reg_name,
};

static void pci_host_reset(void *dev)
{
    PCIHost *h = dev;
    h->config_addr = 0;
    h->rcr = 0;
    for (int i = 0; i < 256; i++)
        if (h->funcs[i])
            pci_function_reset(h->funcs[i]);
}

static const DeviceField pci_host_fields[] = {
    DEV_FIELD_U32(PCIHost, config_addr),
    DEV_FIELD_U8(PCIHost, rcr),
    /* the functions' config bytes are saved by their owners */
    DEV_FIELD_END,
};

const DeviceClass pci_host_class = {
    .name = "pci-host",
    .desc = "PCI configuration mechanism #1 on bus 0 (0xCF8/0xCFC)",
    .reset = pci_host_reset,
    .fields = pci_host_fields,
};

void pci_host_init(PCIHost *h)
{
    memset(h, 0, sizeof(*h));
    h->dev.cls = &pci_host_class;
}

MemoryRegion *pci_host_map(PCIHost *h, AddressSpace *io)
{
    return memory_region_add_mmio(io, "pci-conf", PCI_CONFIG_ADDR_PORT, 8, &pci_host_ops, h, 0);
}
