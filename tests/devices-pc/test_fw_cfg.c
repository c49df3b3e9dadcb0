/*
 * fw_cfg through its ports and DMA (QEMU docs/specs/fw_cfg.rst): the
 * signature, ID, little-endian fixed items, the big-endian sorted file
 * directory, reads past an item's end, and DMA select/read/skip/write
 * with the control word written back.
 */
#include <string.h>
#include "devices/fw_cfg.h"
#include "tests/devices-pc/devtest.h"

static void sel(FWCfg *s, uint16_t key) { fw_cfg_io_ops.write(s, 0, key, 2); }
static uint8_t rd(FWCfg *s) { return (uint8_t)fw_cfg_io_ops.read(s, 1, 1); }

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static void put_desc(AddressSpace *as, uint64_t at, uint32_t control, uint32_t len, uint64_t addr)
{
    uint8_t d[16];
    uint32_t w[4] = { control, len, (uint32_t)(addr >> 32), (uint32_t)addr };
    for (int i = 0; i < 4; i++) {
        d[i * 4] = (uint8_t)(w[i] >> 24); d[i * 4 + 1] = (uint8_t)(w[i] >> 16);
        d[i * 4 + 2] = (uint8_t)(w[i] >> 8); d[i * 4 + 3] = (uint8_t)w[i];
    }
    address_space_write(as, at, d, 16);
}

/* start a DMA the way a guest does: two big-endian 32-bit port writes */
static void kick(FWCfg *s, uint64_t desc)
{
    fw_cfg_dma_ops.write(s, 0, __builtin_bswap32((uint32_t)(desc >> 32)), 4);
    fw_cfg_dma_ops.write(s, 4, __builtin_bswap32((uint32_t)desc), 4);
}

void test_fw_cfg(void)
{
    static FWCfg s;
    AddressSpace *as = address_space_new("memory");
    memory_region_add_ram(as, "ram", 0, 1 << 20);
    fw_cfg_init(&s, as);
    fw_cfg_add_i64(&s, FW_CFG_RAM_SIZE, 128ull << 20);
    fw_cfg_add_i16(&s, FW_CFG_NB_CPUS, 1);
    int kz = fw_cfg_add_file(&s, "etc/zzz", "last", 4);
    int ka = fw_cfg_add_file(&s, "etc/acpi/rsdp", "RSD PTR ", 8);
    CHECK_EQ("fw_cfg first file key", kz, 0x20);
    CHECK_EQ("fw_cfg sorted insert takes the first key", ka, 0x20);
    CHECK_EQ("fw_cfg later key shifted", fw_cfg_file_key(&s, "etc/zzz"), 0x21);
    CHECK_EQ("fw_cfg duplicate name refused", fw_cfg_add_file(&s, "etc/zzz", "x", 1), -1);

    char sig[5] = { 0 };
    sel(&s, FW_CFG_SIGNATURE);
    for (int i = 0; i < 4; i++)
        sig[i] = (char)rd(&s);
    CHECK("fw_cfg signature QEMU", !strcmp(sig, "QEMU"));
    CHECK_EQ("fw_cfg past the end reads 0", rd(&s), 0);
    sel(&s, FW_CFG_ID);
    CHECK_EQ("fw_cfg ID: traditional + DMA", rd(&s), 3);
    sel(&s, FW_CFG_RAM_SIZE);
    uint64_t ram = 0;
    for (int i = 0; i < 8; i++)
        ram |= (uint64_t)rd(&s) << (8 * i);
    CHECK_EQ("fw_cfg RAM size little-endian", ram, 128ull << 20);
    sel(&s, 0x1234);
    CHECK_EQ("fw_cfg absent key reads 0", rd(&s), 0);
    fw_cfg_io_ops.write(&s, 0, FW_CFG_NB_CPUS, 1);
    CHECK_EQ("fw_cfg byte write to selector ignored", s.cur_key, 0x1234);
    sel(&s, FW_CFG_NB_CPUS);
    CHECK_EQ("fw_cfg NB_CPUS", rd(&s), 1);

    uint8_t dir[4 + 2 * 64];
    sel(&s, FW_CFG_FILE_DIR);
    for (size_t i = 0; i < sizeof(dir); i++)
        dir[i] = rd(&s);
    CHECK_EQ("fw_cfg dir count (big-endian)", be32(dir), 2);
    CHECK_EQ("fw_cfg dir entry 0 size", be32(dir + 4), 8);
    CHECK_EQ("fw_cfg dir entry 0 select (big-endian)", dir[8] << 8 | dir[9], 0x20);
    CHECK("fw_cfg dir entry 0 name", !strcmp((char *)dir + 12, "etc/acpi/rsdp"));
    CHECK("fw_cfg dir entry 1 name", !strcmp((char *)dir + 4 + 64 + 8, "etc/zzz"));

    /* DMA */
    CHECK_EQ("fw_cfg DMA register reads 'QEMU CFG' (high half)",
             __builtin_bswap32((uint32_t)fw_cfg_dma_ops.read(&s, 0, 4)), 0x51454d55);
    CHECK_EQ("fw_cfg DMA register reads 'QEMU CFG' (low half)",
             __builtin_bswap32((uint32_t)fw_cfg_dma_ops.read(&s, 4, 4)), 0x20434647);
    uint8_t buf[16];
    memset(buf, 0xaa, sizeof(buf));
    address_space_write(as, 0x2000, buf, sizeof(buf));
    put_desc(as, 0x1000, (0x20u << 16) | FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, 10, 0x2000);
    kick(&s, 0x1000);
    address_space_read(as, 0x2000, buf, sizeof(buf));
    CHECK("fw_cfg DMA select+read copies the item", !memcmp(buf, "RSD PTR ", 8));
    CHECK_EQ("fw_cfg DMA read past the end gives 0", buf[8] | buf[9], 0);
    CHECK_EQ("fw_cfg DMA read stops at length", buf[10], 0xaa);
    address_space_read(as, 0x1000, buf, 4);
    CHECK_EQ("fw_cfg DMA control written back 0", be32(buf), 0);
    put_desc(as, 0x1000, (FW_CFG_SIGNATURE << 16) | FW_CFG_DMA_SELECT | FW_CFG_DMA_SKIP, 2, 0);
    kick(&s, 0x1000);
    put_desc(as, 0x1000, FW_CFG_DMA_READ, 2, 0x3000);
    kick(&s, 0x1000);
    address_space_read(as, 0x3000, buf, 2);
    CHECK("fw_cfg DMA skip then read", !memcmp(buf, "MU", 2));
    CHECK_EQ("fw_cfg DMA shares the offset with the data port", rd(&s), 0);
    put_desc(as, 0x1000, FW_CFG_DMA_WRITE, 2, 0x3000);
    kick(&s, 0x1000);
    address_space_read(as, 0x1000, buf, 4);
    CHECK_EQ("fw_cfg DMA write to a read-only item: error", be32(buf), FW_CFG_DMA_ERROR);
    put_desc(as, 0x1000, (FW_CFG_SIGNATURE << 16) | FW_CFG_DMA_SELECT | FW_CFG_DMA_READ, 4,
             0x40000000);
    kick(&s, 0x1000);
    address_space_read(as, 0x1000, buf, 4);
    CHECK_EQ("fw_cfg DMA to unbacked memory: error", be32(buf), FW_CFG_DMA_ERROR);
    fw_cfg_free(&s);
    address_space_free(as);
}
