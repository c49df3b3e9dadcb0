/*
 * A bare-metal multiboot guest that drives COM1's registers through a
 * fixed sequence (reset values, divisor latch, THR-empty and received-data
 * interrupts in IIR, FIFO enable, loopback with the modem lines mirrored
 * in MSR, scratch register) and prints every value read. tests/cli/boot.sh
 * runs it under kasou and QEMU: the lines must be identical. Exits through
 * isa-debug-exit with 0x10 (status 33).
 */
#include <stdint.h>

#define MB_MAGIC 0x1BADB002u
#define MB_FLAGS 0x00000003u

__attribute__((section(".multiboot"), used, aligned(4)))
static const uint32_t multiboot_header[3] = { MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS) };

#define COM1 0x3f8
enum { RBR, IER, IIR, LCR, MCR, LSR, MSR, SCR };
#define FCR IIR

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* output with the UART in its normal state (only between probe steps) */
static void putc_(char c)
{
    while (!(inb(COM1 + LSR) & 0x20))
        ;
    outb(COM1, (uint8_t)c);
}
static void puts_(const char *s) { while (*s) putc_(*s++); }

/* Reads are collected first and printed after the step, so printing never
 * disturbs the registers being probed. */
static uint8_t vals[64];
static int nvals;
static void rd(int reg) { vals[nvals++] = inb((uint16_t)(COM1 + reg)); }
static void wr(int reg, uint8_t v) { outb((uint16_t)(COM1 + reg), v); }
static void flush(const char *step)
{
    puts_(step);
    for (int i = 0; i < nvals; i++) {
        putc_(' ');
        putc_("0123456789abcdef"[vals[i] >> 4]);
        putc_("0123456789abcdef"[vals[i] & 15]);
    }
    putc_('\n');
    nvals = 0;
}

void uartprobe_main(void)
{
    /* what the guest sees before touching anything */
    rd(IER); rd(IIR); rd(LCR); rd(LSR); rd(SCR);
    flush("reset");

    /* a known state: under QEMU the firmware has used COM1 before us */
    wr(LCR, 0x03); wr(IER, 0x00); wr(FCR, 0x00); wr(MCR, 0x0b); wr(SCR, 0x00);
    rd(MSR); rd(IIR); rd(LSR);
    flush("init");

    /* divisor latch behind DLAB */
    wr(LCR, 0x83); wr(RBR, 0x01); wr(IER, 0x00); rd(RBR); rd(IER); rd(LCR);
    wr(LCR, 0x03); rd(LCR); rd(IER);
    flush("dlab");

    /* THR empty interrupt: raised by enabling it, cleared by reading IIR */
    wr(IER, 0x02); rd(IIR); rd(IIR);
    wr(IER, 0x00); rd(IIR);
    flush("thri");

    /* scratch */
    wr(SCR, 0xa5); rd(SCR); wr(SCR, 0x00); rd(SCR);
    flush("scr");

    /* FIFO enable shows in IIR */
    wr(FCR, 0x07); rd(IIR);
    flush("fifo");

    /* loopback: THR comes back in RBR, modem outputs mirrored in MSR */
    wr(MCR, 0x1a); rd(MCR); rd(MSR);
    wr(RBR, 'x'); rd(LSR); rd(RBR); rd(LSR);
    wr(IER, 0x01); wr(RBR, 'y'); rd(IIR); rd(RBR); rd(IIR);
    wr(IER, 0x00);
    wr(MCR, 0x1f); rd(MSR);
    wr(MCR, 0x10); rd(MSR);
    wr(MCR, 0x0b); rd(MCR);
    flush("loop");

    /* several bytes through the FIFO in loopback, then drained */
    wr(MCR, 0x1b);
    for (int i = 0; i < 5; i++)
        wr(RBR, (uint8_t)('a' + i));
    for (int i = 0; i < 6; i++) { rd(LSR); rd(RBR); }
    wr(MCR, 0x0b);
    flush("fifo5");

    outb(0xf4, 0x10);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* push/pop: gcc does not expect top-level asm to change the section */
__asm__(".pushsection .text\n"
        ".globl _start\n"
        "_start:\n"
        "  mov $uartprobe_stack_top, %esp\n"
        "  call uartprobe_main\n"
        "1: hlt\n"
        "  jmp 1b\n"
        ".popsection\n"
        ".pushsection .bss\n"
        ".align 16\n"
        "  .space 4096\n"
        "uartprobe_stack_top:\n"
        ".popsection\n");
