/*
 * fw_cfg entries for a Linux kernel that firmware will load (see
 * fw_cfg_linux.h; boot protocol per Documentation/arch/x86/boot.rst).
 * Every offset and size taken from the file is checked before use.
 */
#include <stdlib.h>
#include <string.h>
#include "machine/fw_cfg_linux.h"

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

const char *fw_cfg_add_linux(FWCfg *f, const uint8_t *kernel, size_t kernel_len, const uint8_t *initrd,
                             size_t initrd_len, const char *cmdline, uint64_t ram_below_4g)
{
    if (kernel_len < 0x250 || le32(kernel + 0x202) != 0x53726448u)
        return "not a bzImage (no HdrS header)";
    uint16_t protocol = le16(kernel + 0x206);
    if (protocol < 0x202 || !(kernel[0x211] & 1))
        return "boot protocol before 2.02 or not loaded high (zImage): not supported";
    size_t setup_sects = kernel[0x1f1] ? kernel[0x1f1] : 4;
    size_t setup_size = (setup_sects + 1) * 512;
    if (setup_size >= kernel_len)
        return "setup code larger than the file";
    size_t cmdline_len = strlen(cmdline) + 1;
    uint32_t cmdline_max = protocol >= 0x206 ? le32(kernel + 0x238) : 255;
    if (cmdline_len - 1 > cmdline_max || cmdline_len > 0x10000)
        return "command line longer than the kernel takes";

    if (ram_below_4g <= FW_CFG_LINUX_KERNEL_ADDR + FW_CFG_LINUX_ACPI_RESERVE + kernel_len)
        return "not enough RAM for the kernel";
    uint64_t initrd_max = protocol >= 0x203 ? le32(kernel + 0x22c) : 0x37ffffff;
    if (initrd_max >= ram_below_4g - FW_CFG_LINUX_ACPI_RESERVE)
        initrd_max = ram_below_4g - FW_CFG_LINUX_ACPI_RESERVE - 1;
    uint32_t initrd_addr = 0;
    if (initrd_len) {
        if (initrd_len > initrd_max || initrd_max - initrd_len < FW_CFG_LINUX_KERNEL_ADDR + kernel_len)
            return "initrd does not fit below initrd_addr_max";
        initrd_addr = (uint32_t)((initrd_max - initrd_len) & ~0xfffull);
    }

    /* the setup code with its header filled in as a boot loader does */
    uint8_t *setup = malloc(setup_size);
    if (!setup)
        return "out of memory";
    memcpy(setup, kernel, setup_size);
    put32(setup + 0x228, FW_CFG_LINUX_CMDLINE_ADDR);          /* cmd_line_ptr */
    setup[0x210] = 0xb0;                                       /* type_of_loader: QEMU */
    if (protocol >= 0x201) {
        setup[0x211] |= 0x80;                                  /* CAN_USE_HEAP */
        uint16_t heap_end = FW_CFG_LINUX_CMDLINE_ADDR - FW_CFG_LINUX_SETUP_ADDR - 0x200;
        setup[0x224] = (uint8_t)heap_end;
        setup[0x225] = (uint8_t)(heap_end >> 8);
    }
    put32(setup + 0x218, initrd_addr);                         /* ramdisk_image */
    put32(setup + 0x21c, (uint32_t)initrd_len);                /* ramdisk_size */

    bool ok = fw_cfg_add_i32(f, FW_CFG_SETUP_ADDR, FW_CFG_LINUX_SETUP_ADDR) &&
              fw_cfg_add_i32(f, FW_CFG_SETUP_SIZE, (uint32_t)setup_size) &&
              fw_cfg_add_bytes(f, FW_CFG_SETUP_DATA, setup, setup_size) &&
              fw_cfg_add_i32(f, FW_CFG_KERNEL_ADDR, FW_CFG_LINUX_KERNEL_ADDR) &&
              fw_cfg_add_i32(f, FW_CFG_KERNEL_SIZE, (uint32_t)(kernel_len - setup_size)) &&
              fw_cfg_add_bytes(f, FW_CFG_KERNEL_DATA, kernel + setup_size, kernel_len - setup_size) &&
              fw_cfg_add_i32(f, FW_CFG_CMDLINE_ADDR, FW_CFG_LINUX_CMDLINE_ADDR) &&
              fw_cfg_add_i32(f, FW_CFG_CMDLINE_SIZE, (uint32_t)cmdline_len) &&
              fw_cfg_add_bytes(f, FW_CFG_CMDLINE_DATA, cmdline, cmdline_len) &&
              fw_cfg_add_i32(f, FW_CFG_INITRD_ADDR, initrd_addr) &&
              fw_cfg_add_i32(f, FW_CFG_INITRD_SIZE, (uint32_t)initrd_len) &&
              (!initrd_len || fw_cfg_add_bytes(f, FW_CFG_INITRD_DATA, initrd, initrd_len));
    free(setup);
    return ok ? NULL : "out of memory";
}
