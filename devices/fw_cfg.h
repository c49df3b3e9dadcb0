/*
 * QEMU's firmware configuration interface (docs/specs/fw_cfg.rst): a
 * 16-bit selector at 0x510, a byte-wide data port at 0x511, and the DMA
 * interface at 0x514 (a big-endian 64-bit guest address of a
 * FWCfgDmaAccess, the transfer starts when its low half is written). The
 * board fills the items (fixed keys and named files) before the guest
 * runs; SeaBIOS, Linux's fw_cfg driver and test kernels read them.
 */
#ifndef DEVICES_FW_CFG_H
#define DEVICES_FW_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "devices/device.h"

#define FW_CFG_IO_BASE     0x510
#define FW_CFG_DMA_BASE    0x514

/* keys (QEMU's include/standard-headers/linux/qemu_fw_cfg.h) */
enum {
    FW_CFG_SIGNATURE = 0x00, FW_CFG_ID = 0x01, FW_CFG_UUID = 0x02, FW_CFG_RAM_SIZE = 0x03,
    FW_CFG_NOGRAPHIC = 0x04, FW_CFG_NB_CPUS = 0x05, FW_CFG_MACHINE_ID = 0x06,
    FW_CFG_KERNEL_ADDR = 0x07, FW_CFG_KERNEL_SIZE = 0x08, FW_CFG_KERNEL_CMDLINE = 0x09,
    FW_CFG_INITRD_ADDR = 0x0a, FW_CFG_INITRD_SIZE = 0x0b, FW_CFG_BOOT_DEVICE = 0x0c,
    FW_CFG_NUMA = 0x0d, FW_CFG_BOOT_MENU = 0x0e, FW_CFG_MAX_CPUS = 0x0f,
    FW_CFG_KERNEL_ENTRY = 0x10, FW_CFG_KERNEL_DATA = 0x11, FW_CFG_INITRD_DATA = 0x12,
    FW_CFG_CMDLINE_ADDR = 0x13, FW_CFG_CMDLINE_SIZE = 0x14, FW_CFG_CMDLINE_DATA = 0x15,
    FW_CFG_SETUP_ADDR = 0x16, FW_CFG_SETUP_SIZE = 0x17, FW_CFG_SETUP_DATA = 0x18,
    FW_CFG_FILE_DIR = 0x19, FW_CFG_FILE_FIRST = 0x20,
    FW_CFG_ARCH_LOCAL = 0x8000,
    FW_CFG_ACPI_TABLES = 0x8000, FW_CFG_SMBIOS_ENTRIES = 0x8001, FW_CFG_IRQ0_OVERRIDE = 0x8002,
    FW_CFG_E820_TABLE = 0x8003, FW_CFG_HPET = 0x8004,
};

#define FW_CFG_ID_TRADITIONAL 1u
#define FW_CFG_ID_DMA         2u
#define FW_CFG_MAX_FILES      64
#define FW_CFG_MAX_ARCH       8
#define FW_CFG_FILE_NAME_LEN  56

/* FWCfgDmaAccess.control bits */
#define FW_CFG_DMA_ERROR  (1u << 0)
#define FW_CFG_DMA_READ   (1u << 1)
#define FW_CFG_DMA_SKIP   (1u << 2)
#define FW_CFG_DMA_SELECT (1u << 3)
#define FW_CFG_DMA_WRITE  (1u << 4)

typedef struct FWCfgItem {
    uint8_t *data;                 /* owned */
    uint32_t len;
    char name[FW_CFG_FILE_NAME_LEN];   /* files only */
} FWCfgItem;

typedef struct FWCfg {
    Device dev;
    uint16_t cur_key;
    uint32_t cur_offset;
    uint64_t dma_addr;            /* the address register as last written */
    /* configuration (built by the board, not guest state) */
    FWCfgItem std[FW_CFG_FILE_FIRST + FW_CFG_MAX_FILES];   /* fixed keys, then files */
    FWCfgItem arch[FW_CFG_MAX_ARCH];
    int nb_files;
    AddressSpace *dma_as;         /* guest memory for DMA */
} FWCfg;

extern const DeviceClass fw_cfg_class;
extern const MemoryRegionOps fw_cfg_io_ops, fw_cfg_dma_ops;

/* With DMA when dma_as is non-NULL (ID bit 1). */
void fw_cfg_init(FWCfg *s, AddressSpace *dma_as);
void fw_cfg_free(FWCfg *s);
/* Map 0x510-0x511 and (with DMA) 0x514-0x51b in the port space. */
bool fw_cfg_map(FWCfg *s, AddressSpace *io);

/* Items. data is copied; a key set twice keeps the last. False if the
 * key is not a fixed or arch key, or memory ran out. */
bool fw_cfg_add_bytes(FWCfg *s, uint16_t key, const void *data, size_t len);
bool fw_cfg_add_i16(FWCfg *s, uint16_t key, uint16_t v);   /* little-endian */
bool fw_cfg_add_i32(FWCfg *s, uint16_t key, uint32_t v);
bool fw_cfg_add_i64(FWCfg *s, uint16_t key, uint64_t v);
/* A named file. The directory is kept sorted by name with keys in the
 * same order, as QEMU's, so a later file may shift a key: look keys up
 * by name. -1 if the name is too long, taken, or the table is full. */
int fw_cfg_add_file(FWCfg *s, const char *name, const void *data, size_t len);
int fw_cfg_file_key(const FWCfg *s, const char *name);     /* -1 if absent */
/* The item a key selects (tests, the table loader), NULL if none. */
const FWCfgItem *fw_cfg_item(const FWCfg *s, uint16_t key);

/* Port-level access (tests): select, read a data byte, run a DMA
 * descriptor at guest address addr. */
void fw_cfg_select(FWCfg *s, uint16_t key);
uint8_t fw_cfg_read_byte(FWCfg *s);
void fw_cfg_dma_run(FWCfg *s, uint64_t addr);

#endif
