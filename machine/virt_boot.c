/*
 * Booting Linux on the virt board: the device tree (built with libfdt,
 * the nodes QEMU's virt board describes for what kasou has: memory, one
 * cortex-a57 with PSCI 0.2 over HVC, the GICv2, the generic timer, the
 * PL011 and its clock, the PL031, /chosen with bootargs, stdout-path, the
 * initrd and the host's kaslr-seed and rng-seed)
 * and the arm64 Image boot protocol (Documentation/arm64/booting.rst):
 * a raw or gzip'd Image is placed at a 2 MiB aligned base + text_offset,
 * the initrd and the DTB above it, and the CPU enters at EL1 with the MMU
 * off and x0 = the DTB address.
 * Must stay true: nothing is written outside RAM (every placement is
 * checked against -m); a bad file gives one kasou: line.
 */
#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <zlib.h>
#include "machine/virt_boot.h"

#define MIB (1024ull * 1024)
#define FDT_MAX_SIZE 0x10000
#define IMAGE_MAGIC 0x644d5241u         /* "ARM\x64" at offset 56 */

/* gunzip a whole file (a Debian vmlinuz) into a new buffer */
static uint8_t *gunzip_image(const char *path, const uint8_t *buf, uint64_t size, uint64_t *out_size)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return NULL;
    uint64_t cap = size * 4 + (1 << 20), len = 0;
    uint8_t *out = malloc(cap);
    zs.next_in = (Bytef *)(uintptr_t)buf;
    zs.avail_in = (uInt)size;
    int r = Z_OK;
    while (out && r != Z_STREAM_END) {
        if (len == cap) {
            if (cap > 512 * MIB)
                break;
            uint8_t *n = realloc(out, cap * 2);
            if (!n)
                break;
            out = n;
            cap *= 2;
        }
        zs.next_out = out + len;
        zs.avail_out = (uInt)(cap - len);
        r = inflate(&zs, Z_NO_FLUSH);
        len = cap - zs.avail_out;
        if (r != Z_OK && r != Z_STREAM_END)
            break;
    }
    inflateEnd(&zs);
    if (!out || r != Z_STREAM_END) {
        free(out);
        kasou_error("'%s': corrupt gzip data", path);
        return NULL;
    }
    *out_size = len;
    return out;
}

static int fdt_check(int err, const char *what)
{
    if (err < 0) {
        kasou_error("device tree: %s: %s", what, fdt_strerror(err));
        return -1;
    }
    return 0;
}

#define FDT(call, what) do { if (fdt_check((call), (what)) < 0) goto fail; } while (0)

static int fdt_prop_u64_pair(void *fdt, int node, const char *name, uint64_t a, uint64_t b)
{
    fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };
    return fdt_setprop(fdt, node, name, v, sizeof(v));
}

/* The device tree of the board as built (VirtBootInfo says where things are). */
static void *virt_build_fdt(const VirtBootInfo *bi, size_t *size)
{
    void *fdt = calloc(1, FDT_MAX_SIZE);
    int root, node;
    const uint32_t gic_phandle = 1, clk_phandle = 2;
    char name[64];
    if (!fdt) {
        kasou_error("out of memory");
        return NULL;
    }
    FDT(fdt_create_empty_tree(fdt, FDT_MAX_SIZE), "create");
    root = 0;
    FDT(fdt_setprop_string(fdt, root, "compatible", "linux,dummy-virt"), "compatible");
    FDT(fdt_setprop_string(fdt, root, "model", "kasou virt"), "model");
    FDT(fdt_setprop_u32(fdt, root, "#address-cells", 2), "cells");
    FDT(fdt_setprop_u32(fdt, root, "#size-cells", 2), "cells");
    FDT(fdt_setprop_u32(fdt, root, "interrupt-parent", gic_phandle), "interrupt-parent");

    FDT(node = fdt_add_subnode(fdt, root, "chosen"), "chosen");
    if (bi->cmdline)
        FDT(fdt_setprop_string(fdt, node, "bootargs", bi->cmdline), "bootargs");
    snprintf(name, sizeof(name), "/pl011@%" PRIx64, bi->uart_base);
    FDT(fdt_setprop_string(fdt, node, "stdout-path", name), "stdout-path");
    /* seeds from the host, as QEMU gives them: kaslr-seed lets the kernel
     * randomise its placement (and so run with KPTI, ASID-tagged
     * TTBR switches on every kernel entry), rng-seed its entropy pool */
    uint64_t kaslr_seed;
    uint8_t rng_seed[32];
    if (getrandom(&kaslr_seed, sizeof(kaslr_seed), 0) == sizeof(kaslr_seed))
        FDT(fdt_setprop_u64(fdt, node, "kaslr-seed", kaslr_seed), "kaslr-seed");
    if (getrandom(rng_seed, sizeof(rng_seed), 0) == sizeof(rng_seed))
        FDT(fdt_setprop(fdt, node, "rng-seed", rng_seed, sizeof(rng_seed)), "rng-seed");
    if (bi->initrd_size) {
        FDT(fdt_setprop_u64(fdt, node, "linux,initrd-start", bi->initrd_base), "initrd");
        FDT(fdt_setprop_u64(fdt, node, "linux,initrd-end", bi->initrd_base + bi->initrd_size), "initrd");
    }

    snprintf(name, sizeof(name), "memory@%" PRIx64, bi->ram_base);
    FDT(node = fdt_add_subnode(fdt, root, name), "memory");
    FDT(fdt_setprop_string(fdt, node, "device_type", "memory"), "memory");
    FDT(fdt_prop_u64_pair(fdt, node, "reg", bi->ram_base, bi->ram_size), "memory");

    FDT(node = fdt_add_subnode(fdt, root, "psci"), "psci");
    static const char psci_compat[] = "arm,psci-0.2\0arm,psci";
    FDT(fdt_setprop(fdt, node, "compatible", psci_compat, sizeof(psci_compat)), "psci");
    FDT(fdt_setprop_string(fdt, node, "method", "hvc"), "psci");

    int cpus;
    FDT(cpus = fdt_add_subnode(fdt, root, "cpus"), "cpus");
    FDT(fdt_setprop_u32(fdt, cpus, "#address-cells", 1), "cpus");
    FDT(fdt_setprop_u32(fdt, cpus, "#size-cells", 0), "cpus");
    FDT(node = fdt_add_subnode(fdt, cpus, "cpu@0"), "cpu");
    FDT(fdt_setprop_string(fdt, node, "device_type", "cpu"), "cpu");
    FDT(fdt_setprop_string(fdt, node, "compatible", "arm,cortex-a57"), "cpu");
    FDT(fdt_setprop_u32(fdt, node, "reg", 0), "cpu");
    FDT(fdt_setprop_string(fdt, node, "enable-method", "psci"), "cpu");

    snprintf(name, sizeof(name), "intc@%" PRIx64, bi->gicd_base);
    FDT(node = fdt_add_subnode(fdt, root, name), "gic");
    FDT(fdt_setprop_string(fdt, node, "compatible", "arm,cortex-a15-gic"), "gic");
    FDT(fdt_setprop_u32(fdt, node, "#interrupt-cells", 3), "gic");
    FDT(fdt_setprop(fdt, node, "interrupt-controller", NULL, 0), "gic");
    fdt64_t gic_reg[4] = { cpu_to_fdt64(bi->gicd_base), cpu_to_fdt64(0x10000),
                           cpu_to_fdt64(bi->gicc_base), cpu_to_fdt64(0x10000) };
    FDT(fdt_setprop(fdt, node, "reg", gic_reg, sizeof(gic_reg)), "gic");
    FDT(fdt_setprop_u32(fdt, node, "phandle", gic_phandle), "gic");

    /* PPIs: secure 13, non-secure 14, virtual 11, hypervisor 10; level-low, CPU 0 */
    FDT(node = fdt_add_subnode(fdt, root, "timer"), "timer");
    static const char timer_compat[] = "arm,armv8-timer\0arm,armv7-timer";
    FDT(fdt_setprop(fdt, node, "compatible", timer_compat, sizeof(timer_compat)), "timer");
    fdt32_t ti[12];
    const uint32_t ppis[4] = { 13, 14, 11, 10 };
    for (int i = 0; i < 4; i++) {
        ti[3 * i] = cpu_to_fdt32(1);
        ti[3 * i + 1] = cpu_to_fdt32(ppis[i]);
        ti[3 * i + 2] = cpu_to_fdt32((1u << 8) | 4);
    }
    FDT(fdt_setprop(fdt, node, "interrupts", ti, sizeof(ti)), "timer");
    FDT(fdt_setprop(fdt, node, "always-on", NULL, 0), "timer");

    /* the PMUv3's overflow interrupt: PPI 7, level-high, CPU 0 (as QEMU) */
    FDT(node = fdt_add_subnode(fdt, root, "pmu"), "pmu");
    FDT(fdt_setprop_string(fdt, node, "compatible", "arm,armv8-pmuv3"), "pmu");
    fdt32_t pi[3] = { cpu_to_fdt32(1), cpu_to_fdt32(7), cpu_to_fdt32((1u << 8) | 4) };
    FDT(fdt_setprop(fdt, node, "interrupts", pi, sizeof(pi)), "pmu");

    FDT(node = fdt_add_subnode(fdt, root, "apb-pclk"), "clock");
    FDT(fdt_setprop_string(fdt, node, "compatible", "fixed-clock"), "clock");
    FDT(fdt_setprop_u32(fdt, node, "#clock-cells", 0), "clock");
    FDT(fdt_setprop_u32(fdt, node, "clock-frequency", 24000000), "clock");
    FDT(fdt_setprop_string(fdt, node, "clock-output-names", "clk24mhz"), "clock");
    FDT(fdt_setprop_u32(fdt, node, "phandle", clk_phandle), "clock");

    snprintf(name, sizeof(name), "pl011@%" PRIx64, bi->uart_base);
    FDT(node = fdt_add_subnode(fdt, root, name), "pl011");
    static const char uart_compat[] = "arm,pl011\0arm,primecell";
    FDT(fdt_setprop(fdt, node, "compatible", uart_compat, sizeof(uart_compat)), "pl011");
    FDT(fdt_prop_u64_pair(fdt, node, "reg", bi->uart_base, 0x1000), "pl011");
    fdt32_t ui[3] = { cpu_to_fdt32(0), cpu_to_fdt32(bi->uart_spi), cpu_to_fdt32(4) };
    FDT(fdt_setprop(fdt, node, "interrupts", ui, sizeof(ui)), "pl011");
    fdt32_t clks[2] = { cpu_to_fdt32(clk_phandle), cpu_to_fdt32(clk_phandle) };
    FDT(fdt_setprop(fdt, node, "clocks", clks, sizeof(clks)), "pl011");
    static const char clk_names[] = "uartclk\0apb_pclk";
    FDT(fdt_setprop(fdt, node, "clock-names", clk_names, sizeof(clk_names)), "pl011");

    snprintf(name, sizeof(name), "pl031@%" PRIx64, bi->rtc_base);
    FDT(node = fdt_add_subnode(fdt, root, name), "pl031");
    static const char rtc_compat[] = "arm,pl031\0arm,primecell";
    FDT(fdt_setprop(fdt, node, "compatible", rtc_compat, sizeof(rtc_compat)), "pl031");
    FDT(fdt_prop_u64_pair(fdt, node, "reg", bi->rtc_base, 0x1000), "pl031");
    fdt32_t ri[3] = { cpu_to_fdt32(0), cpu_to_fdt32(bi->rtc_spi), cpu_to_fdt32(4) };
    FDT(fdt_setprop(fdt, node, "interrupts", ri, sizeof(ri)), "pl031");
    FDT(fdt_setprop_u32(fdt, node, "clocks", clk_phandle), "pl031");
    FDT(fdt_setprop_string(fdt, node, "clock-names", "apb_pclk"), "pl031");

    FDT(fdt_pack(fdt), "pack");
    *size = fdt_totalsize(fdt);
    return fdt;
fail:
    free(fdt);
    return NULL;
}

static bool ram_fits(const VirtBootInfo *bi, uint64_t addr, uint64_t len)
{
    return addr >= bi->ram_base && len <= bi->ram_size && addr - bi->ram_base <= bi->ram_size - len;
}

int virt_boot_image(AddressSpace *mem, VirtBootInfo *bi, const char *path, const uint8_t *file,
                    uint64_t file_size, const char *initrd_path, uint64_t *entry, uint64_t *x0)
{
    uint8_t *unzipped = NULL;
    const uint8_t *img = file;
    uint64_t size = file_size;
    int ret = -1;
    uint8_t *initrd = NULL;
    void *fdt = NULL;

    if (size >= 2 && file[0] == 0x1f && file[1] == 0x8b) {
        unzipped = gunzip_image(path, file, file_size, &size);
        if (!unzipped)
            return -1;
        img = unzipped;
    }
    uint32_t magic;
    if (size < 64 || (memcpy(&magic, img + 56, 4), magic != IMAGE_MAGIC)) {
        kasou_error("'%s': not an ELF file nor an arm64 Linux Image (no \"ARM\\x64\" magic)", path);
        goto out;
    }
    uint64_t text_offset, image_size, flags;
    memcpy(&text_offset, img + 8, 8);
    memcpy(&image_size, img + 16, 8);
    memcpy(&flags, img + 24, 8);
    if (image_size == 0)                 /* before Linux 3.17: text_offset 0x80000 */
        text_offset = 0x80000;
    if ((flags & 1) != 0) {
        kasou_error("'%s': a big-endian kernel (kasou runs little-endian guests)", path);
        goto out;
    }
    /* a 2 MiB aligned base + text_offset; as QEMU, an offset that small
     * goes 2 MiB up (the bottom of RAM is where its boot stub lives) */
    uint64_t base = ((bi->ram_base + 2 * MIB - 1) & ~(2 * MIB - 1)) + text_offset;
    if (text_offset < 4096)
        base += 2 * MIB;
    uint64_t span = image_size > size ? image_size : size;
    if (!ram_fits(bi, base, span)) {
        kasou_error("'%s': the kernel (%" PRIu64 " KiB) does not fit in %" PRIu64 " MiB of RAM", path,
                    span >> 10, bi->ram_size >> 20);
        goto out;
    }
    if (address_space_write(mem, base, img, size) != MEMTX_OK) {
        kasou_error("cannot write the kernel to guest RAM");
        goto out;
    }
    uint64_t next = (base + span + 2 * MIB - 1) & ~(2 * MIB - 1);

    if (initrd_path) {
        FILE *f = fopen(initrd_path, "rb");
        if (!f) {
            kasou_error("cannot open initrd '%s': %s", initrd_path, strerror(errno));
            goto out;
        }
        size_t cap = 1 << 20, len = 0, n;
        initrd = malloc(cap);
        while (initrd && (n = fread(initrd + len, 1, cap - len, f)) > 0) {
            len += n;
            if (len == cap) {
                uint8_t *nb = realloc(initrd, cap * 2);
                if (!nb) {
                    free(initrd);
                    initrd = NULL;
                    break;
                }
                initrd = nb;
                cap *= 2;
            }
        }
        fclose(f);
        if (!initrd) {
            kasou_error("out of memory reading initrd '%s'", initrd_path);
            goto out;
        }
        bi->initrd_base = next;
        bi->initrd_size = len;
        if (!ram_fits(bi, next, len) || address_space_write(mem, next, initrd, len) != MEMTX_OK) {
            kasou_error("initrd '%s' does not fit in RAM after the kernel (try a larger -m)", initrd_path);
            goto out;
        }
        next = (next + len + 0xfff) & ~0xfffull;
    }

    size_t fdt_size;
    fdt = virt_build_fdt(bi, &fdt_size);
    if (!fdt)
        goto out;
    uint64_t dtb = (next + 0xfff) & ~0xfffull;
    if (!ram_fits(bi, dtb, fdt_size) || address_space_write(mem, dtb, fdt, fdt_size) != MEMTX_OK) {
        kasou_error("no room in RAM for the device tree (try a larger -m)");
        goto out;
    }
    *entry = base;
    *x0 = dtb;
    ret = 0;
out:
    free(fdt);
    free(initrd);
    free(unzipped);
    return ret;
}
