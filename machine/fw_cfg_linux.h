/*
 * Linux for firmware-driven boot through fw_cfg, as QEMU provides it when
 * a BIOS is in charge: the bzImage split into its real-mode setup
 * (FW_CFG_SETUP_*) and protected-mode kernel (FW_CFG_KERNEL_*), the
 * command line (FW_CFG_CMDLINE_*) and the initrd (FW_CFG_INITRD_*), with
 * the setup header patched for the addresses the firmware's loader will
 * copy them to (QEMU's layout: setup at 0x10000, command line at 0x20000,
 * kernel at 1 MiB, initrd page-aligned below min(initrd_addr_max, RAM
 * below 4 GiB minus 128 KiB for the ACPI tables)).
 */
#ifndef MACHINE_FW_CFG_LINUX_H
#define MACHINE_FW_CFG_LINUX_H

#include <stddef.h>
#include <stdint.h>
#include "devices/fw_cfg.h"

#define FW_CFG_LINUX_SETUP_ADDR   0x10000u
#define FW_CFG_LINUX_CMDLINE_ADDR 0x20000u
#define FW_CFG_LINUX_KERNEL_ADDR  0x100000u
#define FW_CFG_LINUX_ACPI_RESERVE 0x20000u

/* Add the entries for kernel (a bzImage: "HdrS", protocol 2.02+,
 * LOADED_HIGH), initrd (NULL/0 for none) and cmdline. NULL on success,
 * else what is wrong with the inputs (nothing was added then). */
const char *fw_cfg_add_linux(FWCfg *f, const uint8_t *kernel, size_t kernel_len, const uint8_t *initrd,
                             size_t initrd_len, const char *cmdline, uint64_t ram_below_4g);

#endif
