/*
 * A bare-metal multiboot guest that prints what the loader handed it (EAX,
 * the info structure, cmdline, modules, memory map) on COM1 and exits
 * through isa-debug-exit with 0x10 (status 33). tests/cli/boot.sh runs it
 * under kasou and under QEMU and compares the lines both must agree on.
 * Built with gcc -m32 -ffreestanding; needs nothing but port I/O.
 */
#include <stdint.h>

#define MB_MAGIC 0x1BADB002u
#define MB_FLAGS 0x00000003u     /* page-aligned modules, memory info */

__attribute__((section(".multiboot"), used, aligned(4)))
static const uint32_t multiboot_header[3] = { MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS) };

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static void putc_(char c)
{
    while (!(inb(0x3fd) & 0x20))    /* LSR.THRE */
        ;
    outb(0x3f8, (uint8_t)c);
}
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint64_t v)
{
    char b[17];
    int i = 16;
    b[i] = 0;
    do { b[--i] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
    puts_(b + i);
}
static void putdec(uint32_t v)
{
    char b[11];
    int i = 10;
    b[i] = 0;
    do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    puts_(b + i);
}
static void field(const char *name, uint32_t v) { puts_(name); putc_(' '); putdec(v); putc_('\n'); }

void mbinfo_main(uint32_t magic, const uint32_t *mbi)
{
    puts_("magic "); puthex(magic); putc_('\n');
    uint32_t flags = mbi[0];
    field("flag-mem", flags & 1);
    field("flag-cmdline", (flags >> 2) & 1);
    field("flag-mods", (flags >> 3) & 1);
    field("flag-mmap", (flags >> 6) & 1);
    field("mem_lower", mbi[1]);
    field("mem_upper", mbi[2]);
    puts_("cmdline '"); puts_((const char *)mbi[4]); puts_("'\n");
    field("mods_count", mbi[5]);
    const uint32_t *mods = (const uint32_t *)mbi[6];
    for (uint32_t i = 0; i < mbi[5]; i++) {
        const uint32_t *m = mods + 4 * i;
        puts_("mod "); putdec(i); puts_(" '"); puts_((const char *)m[2]); puts_("' size ");
        putdec(m[1] - m[0]); puts_(m[0] & 0xfff ? " unaligned" : " aligned"); puts_(" data '");
        for (const char *p = (const char *)m[0]; p < (const char *)m[1]; p++)
            putc_(*p >= ' ' && *p <= '~' ? *p : '.');
        puts_("'\n");
    }
    if (flags & (1u << 6)) {
        for (uint32_t off = 0; off < mbi[11]; ) {
            const uint8_t *e = (const uint8_t *)mbi[12] + off;
            const uint32_t *w = (const uint32_t *)(e + 4);
            puts_("mmap "); puthex(w[0] | (uint64_t)w[1] << 32); putc_(' ');
            puthex(w[2] | (uint64_t)w[3] << 32); putc_(' '); putdec(w[4]); putc_('\n');
            off += *(const uint32_t *)e + 4;
        }
    }
    if (flags & (1u << 9)) {
        puts_("loader '"); puts_((const char *)mbi[16]); puts_("'\n");
    }
    outb(0xf4, 0x10);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* push/pop: gcc does not expect top-level asm to change the section */
__asm__(".pushsection .text\n"
        ".globl _start\n"
        "_start:\n"
        "  mov $mbinfo_stack_top, %esp\n"
        "  push %ebx\n"
        "  push %eax\n"
        "  call mbinfo_main\n"
        "1: hlt\n"
        "  jmp 1b\n"
        ".popsection\n"
        ".pushsection .bss\n"
        ".align 16\n"
        "  .space 8192\n"
        "mbinfo_stack_top:\n"
        ".popsection\n");
