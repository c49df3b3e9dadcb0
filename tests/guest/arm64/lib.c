/* Runtime of the bare-metal AArch64 guests (see lib.h). */
#include "lib.h"

#define UART_DR ((volatile uint32_t *)0x09000000)
#define UART_FR ((volatile uint32_t *)0x09000018)

int failures;
void (*exc_hook)(ExcFrame *f, uint64_t vector);

void putchar_(int c)
{
    while (*UART_FR & (1u << 5))
        ;
    *UART_DR = (uint32_t)c;
}

void puts_(const char *s)
{
    while (*s)
        putchar_(*s++);
}

static void put_num(uint64_t v, unsigned base, int width, bool neg)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        buf[n++] = '-';
    while (n < width)
        buf[n++] = base == 16 ? '0' : ' ';
    while (n)
        putchar_(buf[--n]);
}

/* %s %c %d %u %x %lx %ld %lu %016lx: enough for check lines */
void printf_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putchar_(*fmt);
            continue;
        }
        fmt++;
        int width = 0;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        bool is_long = false;
        while (*fmt == 'l') {
            is_long = true;
            fmt++;
        }
        switch (*fmt) {
        case 's': puts_(va_arg(ap, const char *)); break;
        case 'c': putchar_(va_arg(ap, int)); break;
        case 'd': {
            int64_t v = is_long ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(v < 0 ? (uint64_t)-v : (uint64_t)v, 10, width, v < 0);
            break;
        }
        case 'u': put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, false); break;
        case 'x': put_num(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, false); break;
        default: putchar_(*fmt); break;
        }
    }
    va_end(ap);
}

void check(const char *name, uint64_t got, uint64_t want)
{
    if (got == want) {
        printf_("PASS %s = %lx\n", name, got);
    } else {
        printf_("FAIL %s = %lx, want %lx\n", name, got, want);
        failures++;
    }
}

void exc_handler(ExcFrame *f, uint64_t vector)
{
    if (exc_hook) {
        exc_hook(f, vector);
        return;
    }
    printf_("FAIL unexpected exception: vector %x ESR %lx ELR %lx FAR %lx\n", (unsigned)vector,
            f->esr, f->elr, f->far);
    guest_exit();
}

/* PSCI SYSTEM_OFF (QEMU virt: HVC conduit); exit status 0 */
void guest_exit(void)
{
    printf_("-- guest end: %d failures --\n", failures);
    register uint64_t x0 __asm__("x0") = 0x84000008;
    __asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
    for (;;)
        ;
}
