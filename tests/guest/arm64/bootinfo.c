/* Booted as an arm64 Linux Image (-kernel Image -append ... -initrd ...):
 * x0 must point at a flattened device tree; print what a kernel reads
 * from it (bootargs, stdout-path, memory, the PL011's compatible, PSCI's
 * method, the initrd's size and first bytes) and the entry state. */
#include "lib.h"

extern uint64_t boot_x0;

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void show_prop(const char *node, const char *name, const uint8_t *v, uint32_t len)
{
    printf_("%s %s:", node, name);
    if (streq(name, "bootargs") || streq(name, "stdout-path") || streq(name, "method") ||
        streq(name, "compatible")) {
        putchar_(' ');
        for (uint32_t i = 0; i + 1 < len; i++)
            putchar_(v[i] ? v[i] : '|');
    } else {
        for (uint32_t i = 0; i < len; i += 4)
            printf_(" %x", be32(v + i));
    }
    putchar_('\n');
}

/* Find node/prop (node: the last path component) and show it; the
 * value is returned for numbers of 4 or 8 bytes. Walked once per query so
 * the output order does not depend on the order of the tree. */
static uint64_t query(const uint8_t *fdt, const char *want_node, const char *want_prop, bool print)
{
    const uint8_t *st = fdt + be32(fdt + 8);
    const char *strs = (const char *)fdt + be32(fdt + 12);
    const char *path[8];
    int depth = 0;
    for (;;) {
        uint32_t tok = be32(st);
        st += 4;
        if (tok == 1) {                         /* BEGIN_NODE */
            const char *name = (const char *)st;
            if (depth < 8)
                path[depth] = name;
            depth++;
            int n = 0;
            while (name[n])
                n++;
            st += (n + 4) & ~3;
        } else if (tok == 2) {
            depth--;
        } else if (tok == 3) {
            uint32_t len = be32(st), nameoff = be32(st + 4);
            const uint8_t *v = st + 8;
            const char *node = depth >= 2 ? path[depth - 1] : "/";
            if (streq(node, want_node) && streq(strs + nameoff, want_prop)) {
                if (print)
                    show_prop(node, want_prop, v, len);
                return len == 8 ? ((uint64_t)be32(v) << 32) | be32(v + 4) : be32(v);
            }
            st += 8 + ((len + 3) & ~3u);
        } else if (tok == 4) {
            continue;
        } else {
            break;
        }
    }
    printf_("%s %s: missing\n", want_node, want_prop);
    return 0;
}

int main(void)
{
    puts_("-- guest start --\n");
    const uint8_t *fdt = (const uint8_t *)boot_x0;
    printf_("x0 in RAM: %d, 8-byte aligned: %d\n", boot_x0 >= 0x40000000 && boot_x0 < 0x48000000,
            (boot_x0 & 7) == 0);
    check("fdt magic", be32(fdt), 0xd00dfeed);
    query(fdt, "chosen", "bootargs", true);
    query(fdt, "chosen", "stdout-path", true);
    query(fdt, "memory@40000000", "reg", true);
    query(fdt, "pl011@9000000", "compatible", true);
    query(fdt, "pl011@9000000", "reg", true);
    query(fdt, "pl011@9000000", "interrupts", true);
    query(fdt, "psci", "method", true);
    uint64_t initrd_start = query(fdt, "chosen", "linux,initrd-start", false);
    uint64_t initrd_end = query(fdt, "chosen", "linux,initrd-end", false);
    const char *ird = (const char *)initrd_start;
    printf_("initrd size %lx first bytes: %c%c%c%c\n", initrd_end - initrd_start, ird[0], ird[1],
            ird[2], ird[3]);
    printf_("entry: CurrentEL %lx DAIF %lx SCTLR.M %lx\n", READ_SYSREG(currentel), READ_SYSREG(daif),
            READ_SYSREG(sctlr_el1) & 1);
    return 0;
}
