/*
 * PCI: configuration mechanism #1 (address at 0xCF8, data at 0xCFC-0xCFF,
 * byte/word/dword) for bus 0, and a tiny device model: each function is
 * 256 bytes of configuration space with a mask of the bits software may
 * write, a mask of write-1-to-clear bits, a power-on image, and a hook the
 * owner gets after each write (to map what a register just enabled).
 */
#ifndef DEVICES_PCI_H
#define DEVICES_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"

#define PCI_CONFIG_ADDR_PORT 0xcf8
#define PCI_DEVFN(dev, fn)   (((dev) << 3) | (fn))

/* standard header offsets */
enum {
    PCI_VENDOR_ID = 0x00, PCI_DEVICE_ID = 0x02, PCI_COMMAND = 0x04, PCI_STATUS = 0x06,
    PCI_REVISION_ID = 0x08, PCI_CLASS_PROG = 0x09, PCI_CLASS_DEVICE = 0x0a,
    PCI_CACHE_LINE_SIZE = 0x0c, PCI_LATENCY_TIMER = 0x0d, PCI_HEADER_TYPE = 0x0e,
    PCI_SUBSYSTEM_VENDOR_ID = 0x2c, PCI_SUBSYSTEM_ID = 0x2e, PCI_INTERRUPT_LINE = 0x3c,
    PCI_INTERRUPT_PIN = 0x3d,
};

typedef struct PCIFunction PCIFunction;
struct PCIFunction {
    uint8_t config[256];
    uint8_t wmask[256];           /* 1 = software may write this bit */
    uint8_t w1cmask[256];         /* 1 = writing 1 clears this bit (status) */
    uint8_t reset_config[256];    /* power-on image, restored by reset */
    const char *name;
    /* after a config write of len bytes at addr (the owner maps BARs etc.) */
    void (*written)(PCIFunction *f, uint32_t addr, unsigned len);
    void (*reset)(PCIFunction *f);   /* after the config space was restored */
    void *opaque;                 /* the owner's */
};

typedef struct PCIHost {
    Device dev;
    uint32_t config_addr;         /* CONFIG_ADDRESS (0xCF8) */
    uint8_t rcr;                  /* the PIIX3's reset control register (0xCF9) */
    /* wiring (not state) */
    PCIFunction *funcs[256];      /* bus 0, by devfn */
    void (*reset_request)(void *opaque);   /* RCR: a system reset */
    void *reset_opaque;
} PCIHost;

extern const DeviceClass pci_host_class;
extern const MemoryRegionOps pci_host_ops;

void pci_host_init(PCIHost *h);
/* Map 0xCF8-0xCFF in the port space. NULL on failure. */
MemoryRegion *pci_host_map(PCIHost *h, AddressSpace *io);
/* Plug a function at devfn (its config must be built: pci_function_init
 * and the owner's identity). */
void pci_host_plug(PCIHost *h, int devfn, PCIFunction *f);

/* Bus-0 configuration accesses as the mechanism makes them (also for
 * firmware setup by the board and for tests). Absent functions read all
 * ones; reg + len stays inside the function's 256 bytes. */
uint32_t pci_config_read(PCIHost *h, int devfn, uint32_t reg, unsigned len);
void pci_config_write(PCIHost *h, int devfn, uint32_t reg, uint32_t val, unsigned len);

/* A function's config space: zeroed, identity set, standard writable bits
 * (command, cache line, latency, interrupt line) and status w1c bits. The
 * caller sets its own registers, then pci_function_seal() takes the
 * power-on image. */
void pci_function_init(PCIFunction *f, const char *name, uint16_t vendor, uint16_t device,
                       uint8_t revision, uint32_t class_code);
void pci_function_seal(PCIFunction *f);
void pci_function_reset(PCIFunction *f);

static inline void pci_set_byte(uint8_t *c, uint32_t a, uint8_t v) { c[a] = v; }
static inline void pci_set_word(uint8_t *c, uint32_t a, uint16_t v)
{
    c[a] = (uint8_t)v;
    c[a + 1] = (uint8_t)(v >> 8);
}
static inline void pci_set_long(uint8_t *c, uint32_t a, uint32_t v)
{
    pci_set_word(c, a, (uint16_t)v);
    pci_set_word(c, a + 2, (uint16_t)(v >> 16));
}
static inline uint16_t pci_get_word(const uint8_t *c, uint32_t a)
{
    return (uint16_t)(c[a] | (c[a + 1] << 8));
}
static inline uint32_t pci_get_long(const uint8_t *c, uint32_t a)
{
    return pci_get_word(c, a) | ((uint32_t)pci_get_word(c, a + 2) << 16);
}

#endif
