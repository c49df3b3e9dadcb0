/*
 * Multiboot v1 loader, following the Multiboot 0.6.96 specification and
 * QEMU's hw/i386/multiboot.c where the spec leaves room: info structure at
 * 0x9000, cmdline "<kernel path> <append>", modules page aligned after the
 * kernel, boot_device 0x8000ffff, ELF segments loaded at p_paddr with the
 * entry point translated from virtual to physical. Must stay true: nothing
 * read from the file is trusted; every offset, size and target range is
 * checked (in 64-bit arithmetic, so 32-bit wraps cannot slip through)
 * before a byte is copied, and a bad file gives one line and -1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "machine/multiboot.h"
#include "machine/loader.h"
#include "machine/options.h"

#define MB_FLAG_AOUT_KLUDGE (1u << 16)
/* info structure flags */
#define MBI_MEM      (1u << 0)
#define MBI_BOOTDEV  (1u << 1)
#define MBI_CMDLINE  (1u << 2)
#define MBI_MODS     (1u << 3)
#define MBI_MMAP     (1u << 6)
#define MBI_LOADER   (1u << 9)
/* layout of the info area [MULTIBOOT_INFO_ADDR, MULTIBOOT_INFO_END) */
#define MBI_SIZE     0x80u
#define MMAP_ADDR    (MULTIBOOT_INFO_ADDR + 0x80)
#define MMAP_ENTRIES 3
#define MODS_ADDR    (MULTIBOOT_INFO_ADDR + 0x100)
#define MODS_MAX     64
#define STRINGS_ADDR (MODS_ADDR + MODS_MAX * 16)
#define PAGE_ALIGN(x) (((x) + 0xfffull) & ~0xfffull)
#define LOW_RAM_END  0x9fc00u      /* usable below 640 KiB (EBDA above) */
#define HIGH_RAM     0x100000u

static uint32_t ld32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static void st32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }
static void st64(uint8_t *p, uint64_t v) { st32(p, (uint32_t)v); st32(p + 4, (uint32_t)(v >> 32)); }


long multiboot_find_header(const uint8_t *buf, uint64_t size)
{
    for (uint64_t off = 0; off + 12 <= size && off + 12 <= MULTIBOOT_SEARCH; off += 4) {
        uint32_t magic = ld32(buf + off), flags = ld32(buf + off + 4), sum = ld32(buf + off + 8);
        if (magic == MULTIBOOT_HEADER_MAGIC && (uint32_t)(magic + flags + sum) == 0)
            return (long)off;
    }
    return -1;
}

/* The loaded image: where to copy what. */
typedef struct Segment { uint64_t paddr, file_off, filesz, memsz; } Segment;
#define MAX_SEGMENTS 32

typedef struct Image {
    Segment seg[MAX_SEGMENTS];
    int nb_seg;
    uint32_t entry;
} Image;

static int check_range(const char *path, const char *what, uint64_t addr, uint64_t len, uint64_t ram_size)
{
    if (addr + len > ram_size) {
        kasou_error("'%s': %s at 0x%llx (0x%llx bytes) lies outside RAM (%llu MiB; try a larger -m)",
                    path, what, (unsigned long long)addr, (unsigned long long)len,
                    (unsigned long long)(ram_size >> 20));
        return -1;
    }
    if (len && addr < MULTIBOOT_INFO_END && addr + len > MULTIBOOT_INFO_ADDR) {
        kasou_error("'%s': %s at 0x%llx overlaps the multiboot information area (0x%x-0x%x)",
                    path, what, (unsigned long long)addr, MULTIBOOT_INFO_ADDR, MULTIBOOT_INFO_END - 1);
        return -1;
    }
    return 0;
}

static int parse_aout(const char *path, const uint8_t *buf, uint64_t size, uint64_t hdr, Image *img)
{
    if (hdr + 32 > size) {
        kasou_error("'%s': multiboot header truncated (a.out kludge fields missing)", path);
        return -1;
    }
    uint64_t header_addr = ld32(buf + hdr + 12), load_addr = ld32(buf + hdr + 16);
    uint64_t load_end = ld32(buf + hdr + 20), bss_end = ld32(buf + hdr + 24);
    img->entry = ld32(buf + hdr + 28);

    if (load_addr > header_addr || header_addr - load_addr > hdr) {
        kasou_error("'%s': multiboot header_addr/load_addr inconsistent with the header's file offset", path);
        return -1;
    }
    uint64_t file_off = hdr - (header_addr - load_addr);
    uint64_t filesz = load_end ? load_end - load_addr : size - file_off;
    if (load_end && load_end < load_addr) {
        kasou_error("'%s': multiboot load_end_addr below load_addr", path);
        return -1;
    }
    if (file_off + filesz > size) {
        kasou_error("'%s': multiboot load range goes past the end of the file", path);
        return -1;
    }
    uint64_t memsz = filesz;
    if (bss_end) {
        if (bss_end < load_addr + filesz) {
            kasou_error("'%s': multiboot bss_end_addr below load_end_addr", path);
            return -1;
        }
        memsz = bss_end - load_addr;
    }
    img->seg[0] = (Segment){ load_addr, file_off, filesz, memsz };
    img->nb_seg = 1;
    return 0;
}

static int parse_elf(const char *path, const uint8_t *buf, uint64_t size, Image *img)
{
    if (size < 52 || memcmp(buf, "\x7f" "ELF", 4)) {
        kasou_error("'%s': multiboot header without the a.out kludge, and the file is not ELF", path);
        return -1;
    }
    if (buf[4] == 2) {    /* ELFCLASS64: QEMU refuses these too */
        kasou_error("cannot load x86-64 image '%s', give a 32bit one", path);
        return -1;
    }
    if (buf[4] != 1 || buf[5] != 1 || ld16(buf + 18) != 3 /* EM_386 */) {
        kasou_error("'%s': not a 32-bit little-endian i386 ELF file", path);
        return -1;
    }
    uint64_t entry = ld32(buf + 24), phoff = ld32(buf + 28);
    uint64_t phentsize = ld16(buf + 42), phnum = ld16(buf + 44);
    if (phnum == 0 || phentsize < 32 || phoff + phnum * phentsize > size) {
        kasou_error("'%s': corrupt ELF program headers (beyond the end of the file)", path);
        return -1;
    }
    bool entry_mapped = false;
    img->nb_seg = 0;
    img->entry = (uint32_t)entry;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = buf + phoff + i * phentsize;
        if (ld32(ph) != 1 /* PT_LOAD */)
            continue;
        uint64_t off = ld32(ph + 4), vaddr = ld32(ph + 8), paddr = ld32(ph + 12);
        uint64_t filesz = ld32(ph + 16), memsz = ld32(ph + 20);
        if (memsz == 0)
            continue;
        if (filesz > memsz || off + filesz > size) {
            kasou_error("'%s': corrupt ELF segment %llu (file range beyond the end of the file)",
                        path, (unsigned long long)i);
            return -1;
        }
        if (img->nb_seg == MAX_SEGMENTS) {
            kasou_error("'%s': more than %d loadable ELF segments", path, MAX_SEGMENTS);
            return -1;
        }
        img->seg[img->nb_seg++] = (Segment){ paddr, off, filesz, memsz };
        /* a higher-half kernel links its entry at a virtual address */
        if (!entry_mapped && entry >= vaddr && entry < vaddr + memsz) {
            img->entry = (uint32_t)(entry - vaddr + paddr);
            entry_mapped = true;
        }
    }
    if (img->nb_seg == 0) {
        kasou_error("'%s': no loadable ELF segment", path);
        return -1;
    }
    return 0;
}

static int write_ram(AddressSpace *mem, uint64_t addr, const void *buf, uint64_t len)
{
    if (len && address_space_write_rom(mem, addr, buf, len) != MEMTX_OK) {
        kasou_error("cannot write guest RAM at 0x%llx (0x%llx bytes)",
                    (unsigned long long)addr, (unsigned long long)len);
        return -1;
    }
    return 0;
}

static int zero_ram(AddressSpace *mem, uint64_t addr, uint64_t len)
{
    static const uint8_t zeros[4096];
    while (len) {
        uint64_t n = len < sizeof(zeros) ? len : sizeof(zeros);
        if (write_ram(mem, addr, zeros, n) < 0)
            return -1;
        addr += n;
        len -= n;
    }
    return 0;
}

/* Strings in the info area, bump-allocated. */
typedef struct StrArea { uint8_t buf[MULTIBOOT_INFO_END - STRINGS_ADDR]; uint32_t used; } StrArea;

static int str_add(StrArea *sa, const char *s, size_t len, uint32_t *addr)
{
    if (len + 1 > sizeof(sa->buf) - sa->used) {
        kasou_error("-append and -initrd strings too long (%zu bytes in all at most)", sizeof(sa->buf) - 1);
        return -1;
    }
    memcpy(sa->buf + sa->used, s, len);
    sa->buf[sa->used + len] = '\0';
    *addr = STRINGS_ADDR + sa->used;
    sa->used += (uint32_t)len + 1;
    return 0;
}

/* Next -initrd entry: "path args" up to an unescaped comma (",," = ','). */
static char *next_module(const char **p)
{
    const char *s = *p;
    size_t n = 0;
    char *out = malloc(strlen(s) + 1);
    if (!out)
        return NULL;
    while (*s) {
        if (*s == ',') {
            if (s[1] != ',')
                break;
            s++;
        }
        out[n++] = *s++;
    }
    out[n] = '\0';
    *p = *s == ',' ? s + 1 : s;
    return out;
}

static int load_modules(AddressSpace *mem, uint64_t ram_size, const char *initrd, uint64_t load_at,
                        StrArea *sa, uint8_t *mods, uint32_t *count)
{
    const char *p = initrd;
    *count = 0;
    while (p && *p) {
        char *spec = next_module(&p);
        if (!spec) {
            kasou_error("out of memory");
            return -1;
        }
        if (*count == MODS_MAX) {
            kasou_error("-initrd: more than %d modules", MODS_MAX);
            free(spec);
            return -1;
        }
        size_t pathlen = strcspn(spec, " ");
        char *path = strndup(spec, pathlen);
        uint8_t *data = NULL;
        uint64_t size = 0;
        uint32_t str;
        int r = path ? 0 : -1;
        if (r == 0 && !*path) {
            kasou_error("-initrd: empty module name");
            r = -1;
        }
        if (r == 0)
            r = loader_read_file("module", path, ram_size, &data, &size);
        if (r == 0)
            r = check_range(path, "module", load_at, size, ram_size);
        if (r == 0)
            r = write_ram(mem, load_at, data, size);
        if (r == 0)
            r = str_add(sa, spec, strlen(spec), &str);
        if (r == 0) {
            uint8_t *m = mods + *count * 16;
            st32(m, (uint32_t)load_at);
            st32(m + 4, (uint32_t)(load_at + size));
            st32(m + 8, str);
            st32(m + 12, 0);
            (*count)++;
            load_at = PAGE_ALIGN(load_at + size);
        }
        free(data);
        free(path);
        free(spec);
        if (r < 0)
            return -1;
    }
    return 0;
}

int multiboot_load(AddressSpace *mem, uint64_t ram_size, const char *kernel,
                   const char *append, const char *initrd, MultibootBoot *out)
{
    uint8_t *buf = NULL;
    uint64_t size;
    Image img;
    StrArea *sa = NULL;
    int ret = -1;

    if (loader_read_file("kernel", kernel, ram_size, &buf, &size) < 0)
        return -1;
    long hdr = multiboot_find_header(buf, size);
    if (hdr < 0) {
        kasou_error("'%s' is not a multiboot kernel (no multiboot header in the first %d bytes)",
                    kernel, MULTIBOOT_SEARCH);
        goto out;
    }
    uint32_t mb_flags = ld32(buf + hdr + 4);
    if (mb_flags & MB_FLAG_AOUT_KLUDGE) {
        if (parse_aout(kernel, buf, size, (uint64_t)hdr, &img) < 0)
            goto out;
    } else if (parse_elf(kernel, buf, size, &img) < 0) {
        goto out;
    }

    /* check everything, then copy */
    uint64_t kernel_end = 0;
    for (int i = 0; i < img.nb_seg; i++) {
        const Segment *s = &img.seg[i];
        if (check_range(kernel, "segment", s->paddr, s->memsz, ram_size) < 0)
            goto out;
        if (s->paddr + s->memsz > kernel_end)
            kernel_end = s->paddr + s->memsz;
    }
    for (int i = 0; i < img.nb_seg; i++) {
        const Segment *s = &img.seg[i];
        if (write_ram(mem, s->paddr, buf + s->file_off, s->filesz) < 0 ||
            zero_ram(mem, s->paddr + s->filesz, s->memsz - s->filesz) < 0)
            goto out;
    }

    sa = calloc(1, sizeof(*sa));
    uint8_t mbi[MBI_SIZE] = { 0 }, mmap[MMAP_ENTRIES * 24], mods[MODS_MAX * 16] = { 0 };
    uint32_t cmdline_addr, loader_addr, nb_mods = 0;
    if (!sa) {
        kasou_error("out of memory");
        goto out;
    }
    /* cmdline: "<kernel path> <append>", exactly as QEMU builds it */
    size_t klen = strlen(kernel), alen = append ? strlen(append) : 0;
    char *cmdline = malloc(klen + alen + 2);
    if (!cmdline) {
        kasou_error("out of memory");
        goto out;
    }
    memcpy(cmdline, kernel, klen);
    cmdline[klen] = ' ';
    memcpy(cmdline + klen + 1, append ? append : "", alen + 1);
    int r = str_add(sa, cmdline, klen + alen + 1, &cmdline_addr);
    free(cmdline);
    if (r < 0 || str_add(sa, "kasou", 5, &loader_addr) < 0)
        goto out;
    uint64_t mods_at = PAGE_ALIGN(kernel_end > HIGH_RAM ? kernel_end : HIGH_RAM);
    if (load_modules(mem, ram_size, initrd, mods_at, sa, mods, &nb_mods) < 0)
        goto out;

    /* memory map: low RAM, the 640 KiB - 1 MiB hole, RAM above 1 MiB */
    const uint64_t map[MMAP_ENTRIES][3] = {
        { 0, LOW_RAM_END, 1 },
        { LOW_RAM_END, HIGH_RAM - LOW_RAM_END, 2 },
        { HIGH_RAM, ram_size - HIGH_RAM, 1 },
    };
    for (int i = 0; i < MMAP_ENTRIES; i++) {
        st32(mmap + i * 24, 20);
        st64(mmap + i * 24 + 4, map[i][0]);
        st64(mmap + i * 24 + 12, map[i][1]);
        st32(mmap + i * 24 + 20, (uint32_t)map[i][2]);
    }
    st32(mbi + 0, MBI_MEM | MBI_BOOTDEV | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LOADER);
    st32(mbi + 4, LOW_RAM_END / 1024);                       /* mem_lower, KiB: 639, as QEMU+SeaBIOS report */
    st32(mbi + 8, (uint32_t)((ram_size - HIGH_RAM) / 1024)); /* mem_upper, KiB */
    st32(mbi + 12, 0x8000ffff);                              /* boot_device: first disk, as QEMU */
    st32(mbi + 16, cmdline_addr);
    st32(mbi + 20, nb_mods);
    st32(mbi + 24, MODS_ADDR);
    st32(mbi + 44, MMAP_ENTRIES * 24);
    st32(mbi + 48, MMAP_ADDR);
    st32(mbi + 64, loader_addr);

    if (zero_ram(mem, MULTIBOOT_INFO_ADDR, MULTIBOOT_INFO_END - MULTIBOOT_INFO_ADDR) < 0 ||
        write_ram(mem, MULTIBOOT_INFO_ADDR, mbi, sizeof(mbi)) < 0 ||
        write_ram(mem, MMAP_ADDR, mmap, sizeof(mmap)) < 0 ||
        write_ram(mem, MODS_ADDR, mods, nb_mods * 16) < 0 ||
        write_ram(mem, STRINGS_ADDR, sa->buf, sa->used) < 0)
        goto out;

    out->entry = img.entry;
    out->mbi_addr = MULTIBOOT_INFO_ADDR;
    ret = 0;
out:
    free(sa);
    free(buf);
    return ret;
}
