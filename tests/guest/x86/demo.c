/*
 * The demo guest `make run` boots until the PC board brings Linux: a tiny
 * serial shell running as a bare-metal multiboot program. It reads lines
 * by polling the 16550 (LSR.DR) and answers a few commands, so a person can
 * see a guest run interactively under kasou (or QEMU: same binary).
 */
#include "lib.h"

static int serial_getc(void)
{
    while (!(inb(0x3f8 + 5) & 1))
        ;
    return inb(0x3f8);
}

static int readline(char *buf, int size)
{
    int n = 0;
    for (;;) {
        int c = serial_getc();
        if (c == '\r' || c == '\n') {
            printf("\n");
            buf[n] = 0;
            return n;
        }
        if ((c == 0x7f || c == 8) && n > 0) {
            n--;
            printf("\b \b");
        } else if (c >= 0x20 && c < 0x7f && n < size - 1) {
            buf[n++] = (char)c;
            printf("%c", c);
        }
    }
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static void cmd_cpuid(void)
{
    uint32_t r[4];
    char vendor[13];
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0));
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    uint32_t max = r[0];
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(1));
    printf("vendor %s, max leaf %u, family %u model %u, features edx=%08x\n", vendor, max,
           (r[0] >> 8) & 15, (r[0] >> 4) & 15, r[3]);
}

static void cmd_time(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    uint32_t t0 = lo;
    uint32_t v = fib(27);
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    printf("fib(27) = %u in %u TSC ticks\n", v, lo - t0);
}

int main(void)
{
    char line[80];
    printf("kasou demo guest: a bare-metal shell on COM1. Type 'help'.\n");
    for (;;) {
        printf("demo> ");
        if (!readline(line, sizeof(line)))
            continue;
        if (streq(line, "help"))
            printf("commands: help, cpuid, fib, echo TEXT, exit (quits kasou; or Ctrl-A x)\n");
        else if (streq(line, "cpuid"))
            cmd_cpuid();
        else if (streq(line, "fib"))
            cmd_time();
        else if (line[0] == 'e' && line[1] == 'c' && line[2] == 'h' && line[3] == 'o' &&
                 (line[4] == ' ' || !line[4]))
            printf("%s\n", line[4] ? line + 5 : "");
        else if (streq(line, "exit"))
            return 0;
        else
            printf("unknown command '%s' (try help)\n", line);
    }
}
