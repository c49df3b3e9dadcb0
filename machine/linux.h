/*
 * Linux x86 boot protocol (Documentation/arch/x86/boot.rst): a bzImage of
 * protocol 2.06 or later, its initrd and command line loaded into RAM, the
 * zero page (struct boot_params) built, and the CPU entered at the
 * protected-mode kernel's 64-bit entry (x86-64 kernels, on a CPU with long
 * mode, loaded at an aligned address) or else its 32-bit entry, which i386
 * and x86-64 kernels both have.
 */
#ifndef MACHINE_LINUX_H
#define MACHINE_LINUX_H

#include <stdbool.h>
#include <stdint.h>
#include "frontend/x86/cpu.h"
#include "softmmu/memory.h"

#define LINUX_HDRS_MAGIC   0x53726448u   /* "HdrS" at file offset 0x202 */
#define LINUX_MIN_PROTOCOL 0x0206        /* cmdline_size appears in 2.06 */

/* Fixed low-memory layout (below the EBDA at 0x9fc00; nothing of the
 * kernel's lies there during a 32-bit boot). */
#define LINUX_BOOT_PARAMS_ADDR 0x10000u  /* the zero page, 4 KiB */
#define LINUX_GDT_ADDR         0x11000u  /* 4 descriptors */
#define LINUX_PML4_ADDR        0x12000u  /* 64-bit entry: PML4, PDPT, 4 PDs (0x12000-0x17fff) */
#define LINUX_CMDLINE_ADDR     0x20000u  /* up to the kernel's cmdline_size */
#define LINUX_CMDLINE_MAX      0x10000u

typedef struct LinuxLoadParams {
    uint64_t ram_size;          /* RAM is [0, ram_size) */
    uint64_t ram_top_reserved;  /* bytes at the top of RAM kept for firmware tables (e820 reserved) */
    uint64_t acpi_rsdp_addr;    /* passed in boot_params (protocol 2.14+) when not 0 */
    bool long_mode;             /* the CPU model has long mode (linux_cpu_has_long_mode) */
    const char *kernel, *append, *initrd;
} LinuxLoadParams;

typedef struct LinuxBoot {
    uint32_t entry;             /* the 32-bit entry (where the protected-mode kernel was loaded) or the 64-bit one */
    bool entry64;               /* enter in long mode, paging on (CR3 = LINUX_PML4_ADDR) */
    uint32_t boot_params;       /* in ESI at entry */
    uint32_t gdt_base;
    uint16_t gdt_limit;
    uint16_t protocol;          /* e.g. 0x020f */
    uint32_t initrd_addr, initrd_size;
    bool kernel_64;             /* xloadflags XLF_KERNEL_64: an x86-64 kernel */
} LinuxBoot;

/* CPUID says long mode (what an x86-64 kernel needs). */
bool linux_cpu_has_long_mode(X86CPU *cpu);

/* Does the file start like a Linux kernel ("HdrS" at 0x202)? false when
 * it cannot be read: the multiboot loader then reports that. */
bool linux_is_bzimage(const char *path);

/* Load kernel, initrd and command line into mem, build the zero page, the
 * GDT and (64-bit entry) the page tables. 0, or -1 after one "kasou: ..."
 * line; nothing in the files is trusted. An x86-64 kernel on a CPU
 * without long mode is refused here: entered anyway it would halt
 * silently in verify_cpu (the setup code that says why is not run). */
int linux_load(AddressSpace *mem, const LinuxLoadParams *p, LinuxBoot *out);

/* The CPU as the boot protocol wants it, after x86_cpu_reset(): flat 4 GiB
 * __BOOT_CS (0x10) / __BOOT_DS (0x18) from the GDT linux_load() wrote,
 * interrupts off, ESI = boot_params. 32-bit entry: protected mode, paging
 * off, EBP = EDI = EBX = 0. 64-bit entry: long mode, the first 4 GiB
 * identity mapped. */
void linux_enter(X86CPU *cpu, const LinuxBoot *boot);

#endif
