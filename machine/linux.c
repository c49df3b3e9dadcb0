/*
 * Linux x86 boot protocol loader (Documentation/arch/x86/boot.rst), the
 * 32-bit and 64-bit entries: the bzImage's setup header is checked and copied into a
 * zeroed boot_params, the protected-mode kernel (after the setup sectors)
 * goes to 1 MiB or to its pref_address, the initrd as high as the kernel
 * allows and page aligned, the command line and a flat GDT in low RAM.
 * The real-mode setup code is not run (there is no BIOS for it to call):
 * what it would fill in (e820 map) is built here. An x86-64 kernel loaded
 * at an address aligned to its kernel_alignment, on a CPU with long mode,
 * is entered at startup_64 (load + 0x200) with the first 4 GiB identity
 * mapped by 2 MiB pages; any other kernel at its 32-bit entry. Must stay true: every
 * value read from a file is checked in 64-bit arithmetic before use, and a
 * bad file gives one "kasou: ..." line and -1, never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "machine/linux.h"
#include "machine/loader.h"
#include "machine/options.h"

/* setup header fields: offsets in the file and in boot_params alike */
#define HDR_START          0x1f1
#define HDR_SETUP_SECTS    0x1f1
#define HDR_SYSSIZE        0x1f4
#define HDR_BOOT_FLAG      0x1fe
#define HDR_JUMP           0x200   /* the byte at 0x201 + 0x202 = end of the header */
#define HDR_MAGIC          0x202
#define HDR_VERSION        0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS      0x211
#define HDR_CODE32_START   0x214
#define HDR_RAMDISK_IMAGE  0x218
#define HDR_RAMDISK_SIZE   0x21c
#define HDR_HEAP_END_PTR   0x224
#define HDR_CMD_LINE_PTR   0x228
#define HDR_INITRD_MAX     0x22c
#define HDR_KERNEL_ALIGN   0x230
#define HDR_RELOCATABLE    0x234
#define HDR_XLOADFLAGS     0x236   /* 2.12 */
#define HDR_CMDLINE_SIZE   0x238
#define HDR_PREF_ADDRESS   0x258   /* 2.10 */
#define HDR_INIT_SIZE      0x260   /* 2.10 */
#define HDR_MIN_END        (HDR_CMDLINE_SIZE + 4)
/* other boot_params fields */
#define BP_ACPI_RSDP_ADDR  0x070   /* 2.14 */
#define BP_E820_ENTRIES    0x1e8
#define BP_E820_TABLE      0x2d0
#define BP_E820_MAX        128
#define BP_SIZE            0x1000

#define LOADED_HIGH    0x01   /* a bzImage: protected-mode code at 1 MiB */
#define KEEP_SEGMENTS  0x40
#define CAN_USE_HEAP   0x80
#define LOADER_UNKNOWN 0xff   /* type_of_loader: no assigned id */
#define HEAP_END       0xfe00 /* as QEMU: the setup heap/stack end, from the setup code's base */

#define XLF_KERNEL_64  0x01   /* xloadflags: has the 64-bit entry, i.e. is an x86-64 kernel */
#define CPUID_EXT2_LM  (1u << 29)

#define ENTRY64_OFFSET 0x200  /* startup_64, from the load address */
#define PTE_P_RW       0x003
#define PTE_PS         0x080  /* a 2 MiB page, in a PD entry */

#define E820_RAM      1
#define E820_RESERVED 2

#define HIGH_RAM      0x100000ull
#define EBDA_START    0x9fc00ull  /* usable below 640 KiB stops here */
#define BIOS_START    0xe0000ull  /* the BIOS area (ROM, ACPI tables), reserved */
#define PAGE_MASK     0xfffull

static uint32_t ld32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint64_t ld64(const uint8_t *p) { return ld32(p) | (uint64_t)ld32(p + 4) << 32; }
static void st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void st32(uint8_t *p, uint32_t v) { st16(p, (uint16_t)v); st16(p + 2, (uint16_t)(v >> 16)); }
static void st64(uint8_t *p, uint64_t v) { st32(p, (uint32_t)v); st32(p + 4, (uint32_t)(v >> 32)); }


bool linux_is_bzimage(const char *path)
{
    uint8_t magic[4];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    bool yes = pread(fd, magic, 4, HDR_MAGIC) == 4 && ld32(magic) == LINUX_HDRS_MAGIC;
    close(fd);
    return yes;
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

/* The parsed header: what the loader needs, every value already checked. */
typedef struct LinuxImage {
    uint16_t protocol;
    uint64_t hdr_end;          /* file offset after the setup header */
    uint64_t setup_size;       /* (setup_sects + 1) * 512: where the kernel starts in the file */
    uint64_t kernel_size;      /* syssize * 16 */
    uint64_t cmdline_size;     /* longest command line, without the NUL */
    uint64_t initrd_max;       /* highest byte the initrd may occupy */
    uint64_t load_addr;        /* where the protected-mode kernel goes */
    uint64_t extent_end;       /* first byte free of the kernel (image, decompression, bss) */
    bool kernel_64;            /* xloadflags XLF_KERNEL_64 */
    bool load_aligned;         /* load_addr is a multiple of kernel_alignment (the 64-bit entry's rule) */
} LinuxImage;

static int parse_header(const char *path, const uint8_t *f, uint64_t size, uint64_t ram_end,
                        LinuxImage *img)
{
    if (size < HDR_MAGIC + 6) {
        kasou_error("'%s': Linux kernel truncated (%llu bytes, the setup header alone needs more)",
                    path, (unsigned long long)size);
        return -1;
    }
    img->protocol = ld16(f + HDR_VERSION);
    if (img->protocol < LINUX_MIN_PROTOCOL) {
        kasou_error("'%s': Linux boot protocol %u.%02u is too old (kasou needs 2.06 or later, "
                    "Linux 2.6.22 and newer)", path, img->protocol >> 8, img->protocol & 0xff);
        return -1;
    }
    img->hdr_end = HDR_MAGIC + (uint64_t)f[HDR_JUMP + 1];
    if (img->hdr_end < HDR_MIN_END) {
        kasou_error("'%s': Linux setup header ends at 0x%llx, before the 2.06 fields",
                    path, (unsigned long long)img->hdr_end);
        return -1;
    }
    if (img->hdr_end > size) {
        kasou_error("'%s': Linux kernel truncated in its setup header (%llu bytes)",
                    path, (unsigned long long)size);
        return -1;
    }
    if (ld16(f + HDR_BOOT_FLAG) != 0xaa55) {
        kasou_error("'%s': Linux setup header without the 0xAA55 boot flag", path);
        return -1;
    }
    if (!(f[HDR_LOADFLAGS] & LOADED_HIGH)) {
        kasou_error("'%s': a zImage (kernel loaded below 1 MiB): kasou loads bzImage kernels only", path);
        return -1;
    }
    uint64_t setup_sects = f[HDR_SETUP_SECTS] ? f[HDR_SETUP_SECTS] : 4;   /* 0 means 4 */
    img->setup_size = (setup_sects + 1) * 512;
    img->kernel_size = (uint64_t)ld32(f + HDR_SYSSIZE) * 16;
    if (img->setup_size < img->hdr_end) {
        kasou_error("'%s': Linux setup_sects (%llu) too small for the setup header",
                    path, (unsigned long long)setup_sects);
        return -1;
    }
    if (img->kernel_size == 0) {
        kasou_error("'%s': Linux syssize is 0 (no protected-mode kernel)", path);
        return -1;
    }
    if (img->setup_size + img->kernel_size > size) {
        kasou_error("'%s': Linux kernel truncated: setup (%llu bytes) + kernel (syssize: %llu bytes) "
                    "exceed the file's %llu bytes", path, (unsigned long long)img->setup_size,
                    (unsigned long long)img->kernel_size, (unsigned long long)size);
        return -1;
    }
    img->cmdline_size = ld32(f + HDR_CMDLINE_SIZE);
    if (img->cmdline_size > LINUX_CMDLINE_MAX - 1)
        img->cmdline_size = LINUX_CMDLINE_MAX - 1;
    img->initrd_max = ld32(f + HDR_INITRD_MAX);

    /* Where the kernel runs: a relocatable kernel (2.10+) may go to its
     * pref_address, if aligned and in RAM; else 1 MiB. Either way it
     * decompresses into [max(load, pref_address), + init_size). */
    img->load_addr = HIGH_RAM;
    img->kernel_64 = img->protocol >= 0x020c && (ld16(f + HDR_XLOADFLAGS) & XLF_KERNEL_64);
    img->load_aligned = false;
    uint64_t run_start = HIGH_RAM, init_size = img->kernel_size;
    if (img->protocol >= 0x020a && img->hdr_end >= HDR_INIT_SIZE + 4) {
        uint64_t pref = ld64(f + HDR_PREF_ADDRESS), align = ld32(f + HDR_KERNEL_ALIGN);
        init_size = ld32(f + HDR_INIT_SIZE);
        bool aligned = align && !(align & (align - 1)) && !(pref & (align - 1));
        if (f[HDR_RELOCATABLE] && aligned && pref >= HIGH_RAM && pref + init_size <= ram_end &&
            pref + img->kernel_size <= ram_end) {
            img->load_addr = pref;
            img->load_aligned = true;
        }
        if (pref > run_start && pref < (1ull << 32))
            run_start = pref;
    }
    img->extent_end = img->load_addr + img->kernel_size;
    if (run_start + init_size > img->extent_end)
        img->extent_end = run_start + init_size;
    if (img->extent_end > ram_end) {
        kasou_error("'%s': the Linux kernel needs RAM up to %llu MiB to boot (it has %llu MiB; try a larger -m)",
                    path, (unsigned long long)((img->extent_end + (1 << 20) - 1) >> 20),
                    (unsigned long long)(ram_end >> 20));
        return -1;
    }
    return 0;
}

/* The e820 map the BIOS would report: low RAM, the EBDA and the BIOS
 * area 0xe0000-0xfffff reserved (the board may keep ACPI tables there;
 * the VGA hole in between is not listed), RAM from 1 MiB, and the
 * firmware's share of the top reserved. */
static int build_e820(uint8_t *bp, uint64_t ram_size, uint64_t top_reserved)
{
    const uint64_t map[][3] = {
        { 0, EBDA_START, E820_RAM },
        { EBDA_START, 0xa0000 - EBDA_START, E820_RESERVED },
        { BIOS_START, HIGH_RAM - BIOS_START, E820_RESERVED },
        { HIGH_RAM, ram_size - top_reserved - HIGH_RAM, E820_RAM },
        { ram_size - top_reserved, top_reserved, E820_RESERVED },
    };
    int n = 0;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (!map[i][1])
            continue;
        uint8_t *e = bp + BP_E820_TABLE + 20 * n++;
        st64(e, map[i][0]);
        st64(e + 8, map[i][1]);
        st32(e + 16, (uint32_t)map[i][2]);
    }
    bp[BP_E820_ENTRIES] = (uint8_t)n;
    return n;
}

int linux_load(AddressSpace *mem, const LinuxLoadParams *p, LinuxBoot *out)
{
    uint8_t *f = NULL, *rd = NULL, *bp = NULL;
    uint64_t size, rd_size = 0;
    LinuxImage img;
    int ret = -1;

    if (p->ram_top_reserved >= p->ram_size || p->ram_size - p->ram_top_reserved < 2 * HIGH_RAM) {
        kasou_error("too little RAM for a Linux kernel (%llu MiB)", (unsigned long long)(p->ram_size >> 20));
        return -1;
    }
    uint64_t ram_end = p->ram_size - p->ram_top_reserved;   /* end of usable RAM */
    if (loader_read_file("kernel", p->kernel, p->ram_size, &f, &size) < 0)
        return -1;
    if (size < HDR_MAGIC + 4 || ld32(f + HDR_MAGIC) != LINUX_HDRS_MAGIC) {
        kasou_error("'%s' is not a Linux kernel (no \"HdrS\" at offset 0x202)", p->kernel);
        goto out;
    }
    if (parse_header(p->kernel, f, size, ram_end, &img) < 0)
        goto out;
    if (img.kernel_64 && !p->long_mode) {
        kasou_error("'%s' is an x86-64 Linux kernel, but the CPU model has no long mode (see -cpu help)",
                    p->kernel);
        goto out;
    }
    /* the 64-bit entry wants the kernel at an address aligned to kernel_alignment */
    bool entry64 = img.kernel_64 && img.load_aligned;

    const char *append = p->append ? p->append : "";
    uint64_t alen = strlen(append);
    if (alen > img.cmdline_size) {
        kasou_error("-append: the kernel command line is %llu bytes; this kernel takes at most %llu",
                    (unsigned long long)alen, (unsigned long long)img.cmdline_size);
        goto out;
    }

    /* the initrd: as high as allowed, page aligned, above the kernel */
    uint64_t rd_addr = 0;
    if (p->initrd) {
        if (loader_read_file("initrd", p->initrd, p->ram_size, &rd, &rd_size) < 0)
            goto out;
        uint64_t top = ram_end;
        if (img.initrd_max + 1 < top)
            top = img.initrd_max + 1;
        rd_addr = rd_size <= top ? (top - rd_size) & ~PAGE_MASK : 0;
        if (rd_size > top || rd_addr < img.extent_end) {
            kasou_error("initrd '%s' (%llu bytes) does not fit in RAM between the kernel (up to 0x%llx) "
                        "and 0x%llx (try a larger -m)", p->initrd, (unsigned long long)rd_size,
                        (unsigned long long)img.extent_end, (unsigned long long)top);
            goto out;
        }
    }

    /* the zero page: the file's setup header, then what a loader fills in */
    bp = calloc(1, BP_SIZE);
    if (!bp) {
        kasou_error("out of memory");
        goto out;
    }
    memcpy(bp + HDR_START, f + HDR_START, img.hdr_end - HDR_START);
    bp[HDR_TYPE_OF_LOADER] = LOADER_UNKNOWN;
    bp[HDR_LOADFLAGS] = (uint8_t)((bp[HDR_LOADFLAGS] & ~KEEP_SEGMENTS) | CAN_USE_HEAP);
    st16(bp + HDR_HEAP_END_PTR, HEAP_END);
    st32(bp + HDR_CODE32_START, (uint32_t)img.load_addr);
    st32(bp + HDR_CMD_LINE_PTR, LINUX_CMDLINE_ADDR);
    st32(bp + HDR_RAMDISK_IMAGE, (uint32_t)rd_addr);
    st32(bp + HDR_RAMDISK_SIZE, (uint32_t)rd_size);
    if (p->acpi_rsdp_addr && img.protocol >= 0x020e)
        st64(bp + BP_ACPI_RSDP_ADDR, p->acpi_rsdp_addr);
    build_e820(bp, p->ram_size, p->ram_top_reserved);

    /* flat GDT: null, null, __BOOT_CS (0x10: 32-bit code, or 64-bit for
     * the 64-bit entry) and __BOOT_DS (0x18), 4 GiB */
    uint8_t gdt[32] = { 0 };
    st64(gdt + 0x10, entry64 ? 0x00af9b000000ffffull : 0x00cf9b000000ffffull);
    st64(gdt + 0x18, 0x00cf93000000ffffull);
    /* 64-bit entry: PML4 -> one PDPT -> four PDs of 2 MiB pages, 0-4 GiB */
    if (entry64) {
        uint8_t *pt = calloc(6, 0x1000);
        int r = -1;
        if (!pt)
            kasou_error("out of memory");
        else {
            st64(pt, (LINUX_PML4_ADDR + 0x1000) | PTE_P_RW);
            for (int i = 0; i < 4; i++)
                st64(pt + 0x1000 + 8 * i, (LINUX_PML4_ADDR + 0x2000 + 0x1000 * i) | PTE_P_RW);
            for (uint64_t j = 0; j < 4 * 512; j++)
                st64(pt + 0x2000 + 8 * j, (j << 21) | PTE_PS | PTE_P_RW);
            r = write_ram(mem, LINUX_PML4_ADDR, pt, 6 * 0x1000);
        }
        free(pt);
        if (r < 0)
            goto out;
    }

    if (write_ram(mem, img.load_addr, f + img.setup_size, img.kernel_size) < 0 ||
        write_ram(mem, rd_addr, rd, rd_size) < 0 ||
        write_ram(mem, LINUX_BOOT_PARAMS_ADDR, bp, BP_SIZE) < 0 ||
        write_ram(mem, LINUX_GDT_ADDR, gdt, sizeof(gdt)) < 0 ||
        write_ram(mem, LINUX_CMDLINE_ADDR, append, alen + 1) < 0)
        goto out;

    *out = (LinuxBoot){
        .entry = (uint32_t)img.load_addr + (entry64 ? ENTRY64_OFFSET : 0),
        .entry64 = entry64,
        .boot_params = LINUX_BOOT_PARAMS_ADDR,
        .gdt_base = LINUX_GDT_ADDR,
        .gdt_limit = sizeof(gdt) - 1,
        .protocol = img.protocol,
        .initrd_addr = (uint32_t)rd_addr,
        .initrd_size = (uint32_t)rd_size,
        .kernel_64 = img.kernel_64,
    };
    ret = 0;
out:
    free(bp);
    free(rd);
    free(f);
    return ret;
}

bool linux_cpu_has_long_mode(X86CPU *cpu)
{
    CPUX86State *env = cpu;
    return env->cpuid_xlevel >= 0x80000001u && (env->cpuid_ext2_features & CPUID_EXT2_LM);
}

void linux_enter(X86CPU *cpu, const LinuxBoot *boot)
{
    CPUX86State *env = cpu;
    /* CS 0x10 / data 0x18 flat, CR0 = PE, EFLAGS.IF = 0, EAX = EBX = 0 */
    x86_cpu_set_flat32(cpu, boot->entry, 0, 0);
    env->gdt.base = boot->gdt_base;
    env->gdt.limit = boot->gdt_limit;
    /* no IDT until the kernel loads one: a fault this early is a triple
     * fault (visible under -d int), not a jump through garbage */
    env->idt.base = 0;
    env->idt.limit = 0;
    env->regs[R_ESI] = boot->boot_params;
    env->regs[R_EDI] = 0;
    env->regs[R_EBP] = 0;
    env->regs[R_ESP] = 0;
    if (boot->entry64) {
        /* as the descriptor at 0x10 says: L = 1, D = 0 */
        env->segs[R_CS].flags = (env->segs[R_CS].flags & ~DESC_B_MASK) | DESC_L_MASK;
        env->cr[4] |= X86_CR4_PAE;
        env->cr[3] = LINUX_PML4_ADDR;
        env->efer |= X86_EFER_LME | X86_EFER_LMA;
        env->cr[0] |= X86_CR0_PG;
        x86_update_hflags(env);   /* the TLB is empty: x86_cpu_set_flat32 flushed it */
    }
}
