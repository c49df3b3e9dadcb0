/*
 * fw_cfg's Linux entries (machine/fw_cfg_linux.c) for a stand-in bzImage:
 * the split at (setup_sects + 1) * 512, the header fields a boot loader
 * fills (boot.rst), QEMU's addresses, and the initrd placement.
 */
#include <stdlib.h>
#include <string.h>
#include "machine/fw_cfg_linux.h"
#include "tests/devices-pc/devtest.h"

static uint32_t item32(FWCfg *f, uint16_t key)
{
    const FWCfgItem *it = fw_cfg_item(f, key);
    return it && it->len == 4 ? (uint32_t)(it->data[0] | it->data[1] << 8 | it->data[2] << 16 |
                                           (uint32_t)it->data[3] << 24) : 0xdeadbeef;
}

void test_fw_cfg_linux(void)
{
    static FWCfg f;
    size_t klen = 5 * 512 + 3000;
    uint8_t *k = calloc(1, klen);
    k[0x1f1] = 4;                         /* setup_sects */
    memcpy(k + 0x202, "HdrS", 4);
    k[0x206] = 0x0f; k[0x207] = 0x02;     /* protocol 2.15 */
    k[0x211] = 0x01;                      /* LOADED_HIGH */
    k[0x22c] = 0xff; k[0x22d] = 0xff; k[0x22e] = 0xff; k[0x22f] = 0x7f;   /* initrd_addr_max */
    k[0x238] = 0xff; k[0x239] = 0x07;     /* cmdline_size 2047 */
    k[5 * 512] = 0xaa;                    /* first byte of the protected-mode kernel */
    uint8_t initrd[10000];
    memset(initrd, 0x5a, sizeof(initrd));

    fw_cfg_init(&f, NULL);
    CHECK("fw_cfg linux: a stand-in bzImage is accepted",
          !fw_cfg_add_linux(&f, k, klen, initrd, sizeof(initrd), "console=ttyS0", 128u << 20));
    CHECK_EQ("fw_cfg linux: setup size (setup_sects + 1) * 512", item32(&f, FW_CFG_SETUP_SIZE), 5 * 512);
    CHECK_EQ("fw_cfg linux: setup address", item32(&f, FW_CFG_SETUP_ADDR), 0x10000);
    CHECK_EQ("fw_cfg linux: kernel size", item32(&f, FW_CFG_KERNEL_SIZE), 3000);
    CHECK_EQ("fw_cfg linux: kernel address 1 MiB", item32(&f, FW_CFG_KERNEL_ADDR), 0x100000);
    const FWCfgItem *kd = fw_cfg_item(&f, FW_CFG_KERNEL_DATA);
    CHECK("fw_cfg linux: kernel data starts after the setup", kd && kd->len == 3000 && kd->data[0] == 0xaa);
    const FWCfgItem *sd = fw_cfg_item(&f, FW_CFG_SETUP_DATA);
    CHECK("fw_cfg linux: setup data present", sd && sd->len == 5 * 512);
    if (sd) {
        CHECK_EQ("fw_cfg linux: cmd_line_ptr", sd->data[0x228] | sd->data[0x229] << 8 | sd->data[0x22a] << 16,
                 0x20000);
        CHECK_EQ("fw_cfg linux: type_of_loader", sd->data[0x210], 0xb0);
        CHECK_EQ("fw_cfg linux: CAN_USE_HEAP", sd->data[0x211], 0x81);
        CHECK_EQ("fw_cfg linux: heap_end_ptr", sd->data[0x224] | sd->data[0x225] << 8, 0xfe00);
        uint32_t img = sd->data[0x218] | sd->data[0x219] << 8 | sd->data[0x21a] << 16 |
                       (uint32_t)sd->data[0x21b] << 24;
        CHECK_EQ("fw_cfg linux: ramdisk_image = INITRD_ADDR", img, item32(&f, FW_CFG_INITRD_ADDR));
    }
    /* 128 MiB - 128 KiB for ACPI - 1, minus the size, page-aligned down */
    CHECK_EQ("fw_cfg linux: initrd below RAM minus the ACPI area",
             item32(&f, FW_CFG_INITRD_ADDR), ((128u << 20) - 0x20000 - 1 - 10000) & ~0xfffu);
    CHECK_EQ("fw_cfg linux: initrd size", item32(&f, FW_CFG_INITRD_SIZE), 10000);
    const FWCfgItem *cl = fw_cfg_item(&f, FW_CFG_CMDLINE_DATA);
    CHECK("fw_cfg linux: command line with its NUL", cl && cl->len == 14 && !strcmp((char *)cl->data,
                                                                                    "console=ttyS0"));
    CHECK_EQ("fw_cfg linux: command line size", item32(&f, FW_CFG_CMDLINE_SIZE), 14);
    fw_cfg_free(&f);

    fw_cfg_init(&f, NULL);
    memcpy(k + 0x202, "HdrX", 4);
    CHECK("fw_cfg linux: no HdrS refused", fw_cfg_add_linux(&f, k, klen, NULL, 0, "", 128u << 20) != NULL);
    memcpy(k + 0x202, "HdrS", 4);
    k[0x1f1] = 200;
    CHECK("fw_cfg linux: setup beyond the file refused", fw_cfg_add_linux(&f, k, klen, NULL, 0, "", 128u << 20));
    k[0x1f1] = 4;
    CHECK("fw_cfg linux: initrd too large refused",
          fw_cfg_add_linux(&f, k, klen, initrd, sizeof(initrd), "", 0x120000) != NULL);
    CHECK("fw_cfg linux: too little RAM refused", fw_cfg_add_linux(&f, k, klen, NULL, 0, "", 0x10000) != NULL);
    CHECK("fw_cfg linux: nothing added after a refusal", !fw_cfg_item(&f, FW_CFG_KERNEL_DATA));
    fw_cfg_free(&f);
    free(k);
}
