/*
 * fw_cfg, x86 I/O flavour (QEMU docs/specs/fw_cfg.rst). Selecting a key
 * (16-bit write to 0x510, or a DMA SELECT) rewinds the data offset; each
 * data read returns the next byte of the item, 0 past its end or for an
 * absent key. Writes through the data port are ignored (as QEMU since
 * 2.4). Reading the DMA address register gives the "QEMU CFG" signature.
 * A DMA descriptor (control, length, address: big-endian) is read from
 * guest memory, processed at once, and its control word written back as
 * 0 or FW_CFG_DMA_ERROR. No item is writable, so a DMA WRITE is an error.
 */
#include <stdlib.h>
#include <string.h>
#include "devices/fw_cfg.h"

#define DMA_SIGNATURE 0x51454d5520434647ull    /* "QEMU CFG", big-endian */

static FWCfgItem *item_of(FWCfg *s, uint16_t key)
{
    if (key & FW_CFG_ARCH_LOCAL) {
        uint16_t i = key & 0x3fff;
        return i < FW_CFG_MAX_ARCH ? &s->arch[i] : NULL;
    }
    key &= 0x3fff;
    return key < FW_CFG_FILE_FIRST + FW_CFG_MAX_FILES ? &s->std[key] : NULL;
}

const FWCfgItem *fw_cfg_item(const FWCfg *s, uint16_t key)
{
    const FWCfgItem *it = item_of((FWCfg *)s, key);
    return it && it->data ? it : NULL;
}

static bool set_item(FWCfgItem *it, const void *data, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy || len > UINT32_MAX) {
        free(copy);
        return false;
    }
    if (len)
        memcpy(copy, data, len);
    free(it->data);
    it->data = copy;
    it->len = (uint32_t)len;
    return true;
}

bool fw_cfg_add_bytes(FWCfg *s, uint16_t key, const void *data, size_t len)
{
    if (!(key & FW_CFG_ARCH_LOCAL) && key >= FW_CFG_FILE_DIR)
        return false;                  /* the directory and files are built here */
    FWCfgItem *it = item_of(s, key);
    return it && set_item(it, data, len);
}

bool fw_cfg_add_i16(FWCfg *s, uint16_t key, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    return fw_cfg_add_bytes(s, key, b, 2);
}

bool fw_cfg_add_i32(FWCfg *s, uint16_t key, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return fw_cfg_add_bytes(s, key, b, 4);
}

bool fw_cfg_add_i64(FWCfg *s, uint16_t key, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return fw_cfg_add_bytes(s, key, b, 8);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* FW_CFG_FILE_DIR: be32 count, then {be32 size, be16 select, be16 0, name[56]} */
static bool rebuild_dir(FWCfg *s)
{
    size_t len = 4 + (size_t)s->nb_files * 64;
    uint8_t *d = calloc(1, len);
    if (!d)
        return false;
    put_be32(d, (uint32_t)s->nb_files);
    for (int i = 0; i < s->nb_files; i++) {
        const FWCfgItem *f = &s->std[FW_CFG_FILE_FIRST + i];
        uint8_t *e = d + 4 + i * 64;
        uint16_t key = (uint16_t)(FW_CFG_FILE_FIRST + i);
        put_be32(e, f->len);
        e[4] = (uint8_t)(key >> 8);
        e[5] = (uint8_t)key;
        memcpy(e + 8, f->name, FW_CFG_FILE_NAME_LEN);
    }
    free(s->std[FW_CFG_FILE_DIR].data);
    s->std[FW_CFG_FILE_DIR].data = d;
    s->std[FW_CFG_FILE_DIR].len = (uint32_t)len;
    return true;
}

int fw_cfg_file_key(const FWCfg *s, const char *name)
{
    for (int i = 0; i < s->nb_files; i++)
        if (!strncmp(s->std[FW_CFG_FILE_FIRST + i].name, name, FW_CFG_FILE_NAME_LEN))
            return FW_CFG_FILE_FIRST + i;
    return -1;
}

int fw_cfg_add_file(FWCfg *s, const char *name, const void *data, size_t len)
{
    if (strlen(name) >= FW_CFG_FILE_NAME_LEN || s->nb_files == FW_CFG_MAX_FILES ||
        fw_cfg_file_key(s, name) >= 0)
        return -1;
    FWCfgItem it = { 0 };
    if (!set_item(&it, data, len))
        return -1;
    strncpy(it.name, name, FW_CFG_FILE_NAME_LEN - 1);
    /* insert in name order; the keys after it shift up by one */
    int pos = s->nb_files;
    while (pos > 0 && strcmp(s->std[FW_CFG_FILE_FIRST + pos - 1].name, name) > 0) {
        s->std[FW_CFG_FILE_FIRST + pos] = s->std[FW_CFG_FILE_FIRST + pos - 1];
        pos--;
    }
    s->std[FW_CFG_FILE_FIRST + pos] = it;
    s->nb_files++;
    if (!rebuild_dir(s))
        return -1;
    return FW_CFG_FILE_FIRST + pos;
}

void fw_cfg_select(FWCfg *s, uint16_t key)
{
    s->cur_key = key;
    s->cur_offset = 0;
}

uint8_t fw_cfg_read_byte(FWCfg *s)
{
    const FWCfgItem *it = fw_cfg_item(s, s->cur_key);
    if (!it || s->cur_offset >= it->len)
        return 0;
    return it->data[s->cur_offset++];
}

void fw_cfg_dma_run(FWCfg *s, uint64_t addr)
{
    uint8_t desc[16];
    if (!s->dma_as || address_space_read(s->dma_as, addr, desc, 16) != MEMTX_OK)
        return;                     /* nowhere to report: the guest sees no completion */
    uint32_t control = get_be32(desc), length = get_be32(desc + 4);
    uint64_t target = ((uint64_t)get_be32(desc + 8) << 32) | get_be32(desc + 12);
    bool error = false;

    if (control & FW_CFG_DMA_SELECT)
        fw_cfg_select(s, (uint16_t)(control >> 16));
    const FWCfgItem *it = fw_cfg_item(s, s->cur_key);
    if (control & FW_CFG_DMA_WRITE) {
        error = true;               /* no writable item */
    } else if (control & FW_CFG_DMA_READ) {
        /* bytes past the item's end read as 0 */
        uint8_t buf[4096];
        while (length && !error) {
            uint32_t n = length < sizeof(buf) ? length : (uint32_t)sizeof(buf);
            memset(buf, 0, n);
            if (it && s->cur_offset < it->len) {
                uint32_t avail = it->len - s->cur_offset;
                memcpy(buf, it->data + s->cur_offset, avail < n ? avail : n);
            }
            if (address_space_write(s->dma_as, target, buf, n) != MEMTX_OK)
                error = true;
            s->cur_offset = s->cur_offset + n < s->cur_offset ? UINT32_MAX : s->cur_offset + n;
            target += n;
            length -= n;
        }
    } else if (control & FW_CFG_DMA_SKIP) {
        s->cur_offset = s->cur_offset + length < s->cur_offset ? UINT32_MAX : s->cur_offset + length;
    }
    uint8_t done[4];
    put_be32(done, error ? FW_CFG_DMA_ERROR : 0);
    address_space_write(s->dma_as, addr, done, 4);
}

static uint64_t fw_cfg_io_read(void *opaque, uint64_t addr, unsigned size)
{
    FWCfg *s = opaque;
    if (addr == 1) {
        /* the data port is one byte wide: a wider read repeats it */
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= (uint64_t)fw_cfg_read_byte(s) << (8 * i);
        return v;
    }
    return 0;                       /* the selector is write-only */
}

static void fw_cfg_io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    FWCfg *s = opaque;
    /* the selector takes 16-bit writes only (QEMU's valid access size) */
    if (addr == 0 && size == 2)
        fw_cfg_select(s, (uint16_t)val);
}

static const char *fw_cfg_io_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    return addr == 0 ? "selector" : "data";
}

const MemoryRegionOps fw_cfg_io_ops = {
    .read = fw_cfg_io_read,
    .write = fw_cfg_io_write,
    .min_access = 1,
    .max_access = 2,
    .reg_name = fw_cfg_io_reg_name,
};

/* DMA address register: big-endian; 0x514 = high 32 bits, 0x518 = low
 * 32 bits (the write that starts the transfer); an 8-byte write of the
 * byte-swapped address at 0x514 does both */
static uint64_t fw_cfg_dma_read(void *opaque, uint64_t addr, unsigned size)
{
    uint64_t sig = __builtin_bswap64(DMA_SIGNATURE);   /* bytes "QEMU CFG" in order */
    return (sig >> (8 * addr)) & (size == 8 ? ~0ull : (1ull << (8 * size)) - 1);
}

static void fw_cfg_dma_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    FWCfg *s = opaque;
    if (size == 4 && addr == 0) {
        s->dma_addr = ((uint64_t)__builtin_bswap32((uint32_t)val) << 32) | (uint32_t)s->dma_addr;
    } else if (size == 4 && addr == 4) {
        s->dma_addr = (s->dma_addr & 0xffffffff00000000ull) | __builtin_bswap32((uint32_t)val);
        fw_cfg_dma_run(s, s->dma_addr);
        s->dma_addr = 0;
    } else if (size == 8 && addr == 0) {
        s->dma_addr = __builtin_bswap64(val);
        fw_cfg_dma_run(s, s->dma_addr);
        s->dma_addr = 0;
    }
}

const MemoryRegionOps fw_cfg_dma_ops = {
    .read = fw_cfg_dma_read,
    .write = fw_cfg_dma_write,
    .min_access = 1,
    .max_access = 8,
};

static void fw_cfg_reset(void *dev)
{
    FWCfg *s = dev;
    s->cur_key = 0;
    s->cur_offset = 0;
    s->dma_addr = 0;
}

static const DeviceField fw_cfg_fields[] = {
    DEV_FIELD_U16(FWCfg, cur_key),
    DEV_FIELD_U32(FWCfg, cur_offset),
    DEV_FIELD_U64(FWCfg, dma_addr),
    DEV_FIELD_END,
};

const DeviceClass fw_cfg_class = {
    .name = "fw_cfg",
    .desc = "QEMU firmware configuration (0x510 selector, 0x511 data, 0x514 DMA)",
    .reset = fw_cfg_reset,
    .fields = fw_cfg_fields,
};

void fw_cfg_init(FWCfg *s, AddressSpace *dma_as)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &fw_cfg_class;
    s->dma_as = dma_as;
    set_item(&s->std[FW_CFG_SIGNATURE], "QEMU", 4);
    fw_cfg_add_i32(s, FW_CFG_ID, FW_CFG_ID_TRADITIONAL | (dma_as ? FW_CFG_ID_DMA : 0));
    rebuild_dir(s);
}

void fw_cfg_free(FWCfg *s)
{
    for (size_t i = 0; i < sizeof(s->std) / sizeof(s->std[0]); i++)
        free(s->std[i].data);
    for (size_t i = 0; i < FW_CFG_MAX_ARCH; i++)
        free(s->arch[i].data);
    memset(s->std, 0, sizeof(s->std));
    memset(s->arch, 0, sizeof(s->arch));
}

bool fw_cfg_map(FWCfg *s, AddressSpace *io)
{
    if (!memory_region_add_mmio(io, "fw_cfg", FW_CFG_IO_BASE, 2, &fw_cfg_io_ops, s, 0))
        return false;
    return !s->dma_as ||
           memory_region_add_mmio(io, "fw_cfg-dma", FW_CFG_DMA_BASE, 8, &fw_cfg_dma_ops, s, 0);
}
