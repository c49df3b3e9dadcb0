/*
 * Runtime of the bare-metal x86 test guests: polled 16550 output on 0x3f8,
 * a small printf (%d %u %x %08x %s %c %llx %%), exit via isa-debug-exit on
 * port 0xf4 (exit(v) gives emulator status (v << 1) | 1: success is status 1),
 * and the C side of the trap stubs.  Nothing here may depend on paging.
 */
#include "lib.h"

#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4

struct trap_info trap_last;
uint32_t trap_resume;
int (*trap_hook)(struct trap_frame *f);
uint32_t check_failures;

void putc_serial(char c)
{
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (uint8_t)c);
}

/* Marks where the guest's own output starts (the BIOS may print before). */
void lib_start(void)
{
    printf("\n" GUEST_START_MARK "\n");
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *dp = d;
    while (n--)
        *dp++ = (uint8_t)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

struct outbuf {
    char *buf;
    size_t n, pos;
};

static void ob_put(struct outbuf *o, char c)
{
    if (o->pos + 1 < o->n)
        o->buf[o->pos] = c;
    o->pos++;
}

static void ob_num(struct outbuf *o, uint64_t v, unsigned base, int width,
                   char pad, int neg)
{
    char tmp[24];
    int i = 0;
    do {
        unsigned d;
        if (base == 16) {
            d = v & 15;
            v >>= 4;
        } else {        /* decimal: only 32-bit values reach here */
            d = (uint32_t)v % 10;
            v = (uint32_t)v / 10;
        }
        tmp[i++] = "0123456789abcdef"[d];
    } while (v);
    if (neg)
        tmp[i++] = '-';
    while (i < width--)
        ob_put(o, pad);
    while (i)
        ob_put(o, tmp[--i]);
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct outbuf o = { buf, n, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            ob_put(&o, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, lng = 0;
        if (*fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int32_t v = va_arg(ap, int32_t);
            ob_num(&o, v < 0 ? -(uint32_t)v : (uint32_t)v, 10, width, pad, v < 0);
            break;
        }
        case 'u':
            ob_num(&o, va_arg(ap, uint32_t), 10, width, pad, 0);
            break;
        case 'x':
            if (lng >= 2)
                ob_num(&o, va_arg(ap, uint64_t), 16, width, pad, 0);
            else
                ob_num(&o, va_arg(ap, uint32_t), 16, width, pad, 0);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = (int)strlen(s);
            while (len < width--)
                ob_put(&o, ' ');
            while (*s)
                ob_put(&o, *s++);
            break;
        }
        case 'c':
            ob_put(&o, (char)va_arg(ap, int));
            break;
        case '%':
            ob_put(&o, '%');
            break;
        default:
            ob_put(&o, '?');
            break;
        }
    }
    if (n)
        buf[o.pos < n ? o.pos : n - 1] = 0;
    return (int)o.pos;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

int printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    for (char *p = buf; *p; p++) {
        if (*p == '\n')
            putc_serial('\r');
        putc_serial(*p);
    }
    return r;
}

void exit(int code)
{
    outl(DEBUG_EXIT_PORT, (uint32_t)code);
    for (;;)
        __asm__ volatile("cli; hlt");
}

void check(const char *name, uint32_t got, uint32_t want)
{
    if (got == want) {
        printf("PASS %s\n", name);
    } else {
        printf("FAIL %s got=%08x want=%08x\n", name, got, want);
        check_failures++;
    }
}

void x86_trap(struct trap_frame *f)
{
    trap_last.count++;
    trap_last.vector = f->vector;
    trap_last.error = f->error;
    trap_last.eip = f->eip;
    trap_last.cr2 = f->vector == 14 ? read_cr2() : 0;
    if (trap_hook && trap_hook(f))
        return;
    if (!trap_resume) {
        printf("FAIL unexpected trap vector=%u error=%x eip=%08x\n",
               f->vector, f->error, f->eip);
        exit(2);
    }
    f->eip = trap_resume;
    trap_resume = 0;
}
