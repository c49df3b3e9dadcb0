/*
 * Multiboot v1 loader (the boot protocol of QEMU's -kernel for non-Linux
 * kernels): ELF32 or a.out-kludge kernels, modules from -initrd, and the
 * multiboot information structure in low RAM.
 */
#ifndef MACHINE_MULTIBOOT_H
#define MACHINE_MULTIBOOT_H

#include <stdint.h>
#include "softmmu/memory.h"

#define MULTIBOOT_HEADER_MAGIC     0x1BADB002u
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u   /* in EAX at entry */
#define MULTIBOOT_SEARCH           8192          /* the header lies in the first 8 KiB */
#define MULTIBOOT_INFO_ADDR        0x9000u       /* where the info structure goes (as QEMU) */
#define MULTIBOOT_INFO_END         0x10000u

typedef struct MultibootBoot {
    uint32_t entry;       /* physical entry point */
    uint32_t mbi_addr;    /* in EBX at entry */
} MultibootBoot;

/* Load kernel (+ modules from initrd, a comma-separated list of "path
 * args", ",," standing for a comma) into RAM [0, ram_size) of mem and build
 * the info structure. cmdline is "<kernel> <append>", as QEMU passes it.
 * 0, or -1 after one "kasou: ..." line. Never trusts the file: every
 * offset and size is checked against the file and RAM. */
int multiboot_load(AddressSpace *mem, uint64_t ram_size, const char *kernel,
                   const char *append, const char *initrd, MultibootBoot *out);

/* Does buf (a file's first bytes) hold a valid multiboot header? Its
 * offset, or -1. */
long multiboot_find_header(const uint8_t *buf, uint64_t size);

#endif
