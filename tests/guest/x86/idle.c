/*
 * An idle guest: the PIT at 100 Hz on IRQ 0, the CPU in HLT between
 * ticks, for the number of ticks given on the command line (default 200,
 * 2 s). Not a correctness test: tests/guest/x86/idle.sh runs it to check
 * that a guest idle in HLT costs the host almost no CPU time. With "spin"
 * on the command line the PIT runs at 1 kHz and the CPU spins instead of
 * halting: the wall time then shows how promptly timers interrupt
 * running code (ticks the host was too late for are dropped, not replayed).
 */
#include "lib.h"

static volatile uint32_t ticks;

static int irq_hook(struct trap_frame *f)
{
    if (f->vector != 0x30)
        return 0;
    ticks++;
    outb(0x20, 0x20);
    return 1;
}

/* The last number in the multiboot command line, or def. */
static uint32_t cmdline_ticks(uint32_t def)
{
    const uint32_t *mbi = (const uint32_t *)mb_info;
    if (!(mbi[0] & (1u << 2)))
        return def;
    const char *s = (const char *)mbi[4];
    uint32_t v = 0;
    int seen = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            v = (seen ? v : 0) * 10 + (uint32_t)(*s - '0');
            seen = 1;
        } else if (seen && *s == ' ') {
            seen = 0;
        }
    }
    return v ? v : def;
}

static int cmdline_has_spin(void)
{
    const uint32_t *mbi = (const uint32_t *)mb_info;
    if (!(mbi[0] & (1u << 2)))
        return 0;
    for (const char *s = (const char *)mbi[4]; *s; s++)
        if (s[0] == 's' && s[1] == 'p' && s[2] == 'i' && s[3] == 'n')
            return 1;
    return 0;
}

int main(void)
{
    uint32_t n = cmdline_ticks(200);
    int spin = cmdline_has_spin();
    uint16_t count = spin ? 1193 : 11932;
    trap_hook = irq_hook;
    outb(0x20, 0x11); outb(0x21, 0x30); outb(0x21, 0x04); outb(0x21, 0x01);
    outb(0xa0, 0x11); outb(0xa1, 0x38); outb(0xa1, 0x02); outb(0xa1, 0x01);
    outb(0x21, 0xfe);
    outb(0xa1, 0xff);
    outb(0x43, 0x34);
    outb(0x40, count & 0xff);
    outb(0x40, count >> 8);
    __asm__ volatile("sti");
    while (ticks < n)
        if (!spin)
            __asm__ volatile("hlt");
    __asm__ volatile("cli");
    printf("PASS idle %u ticks\n", n);
    return 0;
}
