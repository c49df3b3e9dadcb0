/*
 * Guest physical address spaces: RAM, ROM and MMIO regions, bounds-checked
 * physical reads/writes for loaders and DMA, and per-page "has code" flags
 * that send writes to translated code through the TB invalidation path.
 * An AddressSpace is a flat sorted list of non-overlapping regions; a board
 * builds one for memory and (x86) one for port I/O.
 */
#ifndef SOFTMMU_MEMORY_H
#define SOFTMMU_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct MemoryRegionOps {
    /* addr is relative to the region base; size is 1, 2, 4 or 8 */
    uint64_t (*read)(void *opaque, uint64_t addr, unsigned size);
    void (*write)(void *opaque, uint64_t addr, uint64_t val, unsigned size);
    /* access sizes the device accepts; others are split or widened by the core */
    unsigned min_access, max_access;   /* 0 means 1 and 8 */
    /* optional, for -d trap: the register at addr as the datasheet names it
     * (its meaning may depend on the direction and on device state) */
    const char *(*reg_name)(void *opaque, uint64_t addr, bool is_write);
} MemoryRegionOps;

typedef enum MemoryRegionKind { MR_RAM, MR_ROM, MR_MMIO } MemoryRegionKind;

typedef struct MemoryRegion {
    const char *name;
    MemoryRegionKind kind;
    uint64_t base, size;
    uint8_t *host;                 /* RAM/ROM backing */
    const MemoryRegionOps *ops;    /* MMIO */
    void *opaque;
    uint8_t *code_bitmap;          /* RAM/ROM: one byte per page, nonzero = has translated code */
    int priority;                  /* higher wins where regions overlap */
} MemoryRegion;

typedef struct AddressSpace {
    const char *name;
    MemoryRegion **regions;        /* sorted by base, resolved to non-overlapping views */
    int nb_regions, cap_regions;
    /* flat view rebuilt on change: [start, end) -> region */
    struct FlatRange { uint64_t start, end; MemoryRegion *mr; } *flat;
    int nb_flat;
    /* last lookup, for locality */
    int last_hit;
    /* Called for every page with translated code that a DMA/loader write
     * (address_space_write*, address_space_stn) touches, so the CPU side can
     * invalidate its TBs; cpu_common_init wires it to tb_invalidate_phys_page
     * if it is still NULL. */
    void (*code_write_notify)(void *opaque, uint64_t paddr);
    void *code_write_opaque;
} AddressSpace;

AddressSpace *address_space_new(const char *name);
void address_space_free(AddressSpace *as);
/* Regions: RAM and ROM are allocated here (zeroed); size must be page-aligned
 * for RAM/ROM. Returns NULL on allocation failure. */
MemoryRegion *memory_region_add_ram(AddressSpace *as, const char *name, uint64_t base, uint64_t size);
MemoryRegion *memory_region_add_rom(AddressSpace *as, const char *name, uint64_t base, uint64_t size);
MemoryRegion *memory_region_add_mmio(AddressSpace *as, const char *name, uint64_t base, uint64_t size,
                                     const MemoryRegionOps *ops, void *opaque, int priority);
/* Alias: the same backing (e.g. BIOS below 1 MiB and at 4 GiB). */
MemoryRegion *memory_region_add_alias(AddressSpace *as, const char *name, uint64_t base,
                                      MemoryRegion *target, uint64_t offset, uint64_t size);

/* Change a region's priority (e.g. chipset shadow-RAM switching: a view
 * raised over or dropped under RAM) and rebuild the flat view. The caller
 * flushes CPU TLBs that may hold the old mapping. false if out of memory
 * (the old priority is kept). */
bool memory_region_set_priority(AddressSpace *as, MemoryRegion *mr, int priority);

/* The region covering addr, or NULL. */
MemoryRegion *address_space_lookup(AddressSpace *as, uint64_t addr);
/* Host pointer for [addr, addr+len) if it is wholly RAM/ROM in one region. */
uint8_t *address_space_host_ptr(AddressSpace *as, uint64_t addr, uint64_t len);
/* Both of those and memory_page_has_code in one lookup (TLB fills): the
 * region covering addr, or NULL; *host as address_space_host_ptr gives it;
 * *has_code whether addr's page holds translated code (false when *host is
 * NULL). */
MemoryRegion *address_space_lookup_host(AddressSpace *as, uint64_t addr, uint64_t len,
                                        uint8_t **host, bool *has_code);

typedef enum MemTxResult { MEMTX_OK = 0, MEMTX_ERROR = 1, MEMTX_DECODE_ERROR = 2 } MemTxResult;
/* Bounds-checked copies for loaders and DMA; writes to ROM are refused by
 * DMA (is_loader=false) and allowed for loaders. Writes invalidate code. */
MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len);
MemTxResult address_space_write(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len);
MemTxResult address_space_write_rom(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len);
/* Single accesses (device models, page walkers, port I/O); unassigned reads give all ones. */
uint64_t address_space_ldn(AddressSpace *as, uint64_t addr, unsigned size, MemTxResult *res);
void address_space_stn(AddressSpace *as, uint64_t addr, uint64_t val, unsigned size, MemTxResult *res);

/* Code tracking. The TB layer marks pages it translated from. */
void memory_set_code_page(AddressSpace *as, uint64_t paddr, bool has_code);
bool memory_page_has_code(AddressSpace *as, uint64_t paddr);

#endif
