/* The virt board's Linux boot: device tree and arm64 Image loading (virt_boot.c). */
#ifndef MACHINE_VIRT_BOOT_H
#define MACHINE_VIRT_BOOT_H

#include <stdint.h>
#include "machine/board.h"

typedef struct VirtBootInfo {
    uint64_t ram_base, ram_size;
    uint64_t gicd_base, gicc_base, uart_base;
    uint32_t uart_spi;
    uint64_t rtc_base;                   /* the PL031, SPI rtc_spi */
    uint32_t rtc_spi;
    const char *cmdline;
    uint64_t initrd_base, initrd_size;   /* set by virt_boot_image */
} VirtBootInfo;

/* Load an arm64 Image (raw or gzip'd) from file, the initrd and a DTB:
 * 0 with the entry point and x0 (the DTB address), or -1 after one
 * kasou: line. */
int virt_boot_image(AddressSpace *mem, VirtBootInfo *bi, const char *path, const uint8_t *file,
                    uint64_t file_size, const char *initrd_path, uint64_t *entry, uint64_t *x0);

#endif
