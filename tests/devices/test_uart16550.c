/*
 * The 16550A against the National/TI datasheet, on a fake clock: reset
 * values, the divisor latch, THR-empty interrupts, one holding register
 * with FIFOs off (overrun), FIFO trigger levels and the character timeout
 * (4 character times at the programmed rate), interrupt priorities in
 * IIR, line status errors, FIFO reset and overflow, loopback with the
 * modem lines, and the IRQ line always equal to "IIR has one pending".
 */
#include <string.h>
#include "devices/uart16550.h"
#include "tests/devices/devtest.h"

#define BASE 0x3f8
static UART16550 uart;
static TimerList tl;
static IrqProbe irq;
static uint8_t tx[64];
static size_t tx_len;
static int rx_ready_calls;

static void tx_write(void *opaque, const uint8_t *buf, size_t len)
{
    memcpy(tx + tx_len, buf, len);
    tx_len += len;
}

static void rx_ready(void *opaque)
{
    rx_ready_calls++;
}

static void setup(void)
{
    fake_timerlist_init(&tl);
    uart16550_init(&uart, (UART16550Backend){ tx_write, NULL, rx_ready });
    uart16550_set_clock(&uart, &tl);
    irq = (IrqProbe){ 0 };
    irq_connect(&uart.irq, irq_probe_set, &irq, 4);
    tx_len = 0;
    rx_ready_calls = 0;
}

static void rx(const char *s)
{
    uart16550_receive(&uart, (const uint8_t *)s, strlen(s));
}

static void irq_matches(const char *name)
{
    bool pending = !(inb(BASE + 2) & 1);
    check(pending == (irq.level != 0), name, "IIR pending %d, IRQ %d", pending, irq.level);
}

static void test_basics(void)
{
    setup();
    CHECK_EQ("uart/reset-ier", inb(BASE + 1), 0x00);
    CHECK_EQ("uart/reset-iir", inb(BASE + 2), 0x01);
    CHECK_EQ("uart/reset-lcr", inb(BASE + 3), 0x00);
    CHECK_EQ("uart/reset-lsr", inb(BASE + 5), 0x60);
    CHECK_EQ("uart/reset-msr", inb(BASE + 6), 0xb0);
    outb(BASE + 3, 0x80);
    outb(BASE + 0, 0x01);
    outb(BASE + 1, 0x00);
    CHECK_EQ("uart/dll", inb(BASE + 0), 0x01);
    CHECK_EQ("uart/dlm", inb(BASE + 1), 0x00);
    outb(BASE + 3, 0x03);
    CHECK_EQ("uart/dlab-off-ier", inb(BASE + 1), 0x00);
    outb(BASE, 'k');
    check(tx_len == 1 && tx[0] == 'k', "uart/thr-to-backend", "%zu bytes sent", tx_len);
    CHECK_EQ("uart/thre-after-write", inb(BASE + 5) & 0x60, 0x60);
    /* THR empty interrupt: on enabling, again after each write, cleared by IIR read */
    outb(BASE + 1, 0x02);
    CHECK_EQ("uart/thri-on-enable", inb(BASE + 2), 0x02);
    CHECK_EQ("uart/thri-cleared-by-iir-read", inb(BASE + 2), 0x01);
    check(!irq.level, "uart/thri-irq-low", "IRQ high");
    outb(BASE, 'l');
    check(irq.level, "uart/thri-after-write", "no IRQ after THR write");
    inb(BASE + 2);
    outb(BASE + 1, 0x00);
}

static void test_holding_register(void)
{
    setup();
    outb(BASE + 1, 0x05);                     /* RDI and RLSI */
    CHECK_EQ("uart/can-receive-one", uart16550_can_receive(&uart), 1);
    rx("a");
    CHECK_EQ("uart/can-receive-full", uart16550_can_receive(&uart), 0);
    CHECK_EQ("uart/dr", inb(BASE + 5) & 0x01, 0x01);
    CHECK_EQ("uart/rdi", inb(BASE + 2), 0x04);
    irq_matches("uart/rdi-irq");
    rx("b");                                   /* overrun: b replaces a */
    CHECK_EQ("uart/overrun-rlsi-first", inb(BASE + 2), 0x06);
    CHECK_EQ("uart/overrun-lsr", inb(BASE + 5) & 0x03, 0x03);
    CHECK_EQ("uart/overrun-cleared", inb(BASE + 2), 0x04);
    CHECK_EQ("uart/overrun-newest-byte", inb(BASE), 'b');
    CHECK_EQ("uart/empty-after-read", inb(BASE + 2), 0x01);
    check(rx_ready_calls > 0, "uart/rx-ready-callback", "not called on RBR read");
    irq_matches("uart/idle-irq");
}

static void test_fifo(void)
{
    setup();
    outb(BASE + 3, 0x03);                      /* 8N1 at 9600 (divisor 12) */
    outb(BASE + 2, 0x47);                      /* FIFO on, cleared, trigger 4 */
    outb(BASE + 1, 0x01);
    CHECK_EQ("uart/fifo-iir-bits", inb(BASE + 2), 0xc1);
    rx("abc");
    CHECK_EQ("uart/below-trigger", inb(BASE + 2), 0xc1);
    rx("d");
    CHECK_EQ("uart/at-trigger", inb(BASE + 2), 0xc4);
    irq_matches("uart/at-trigger-irq");
    CHECK_EQ("uart/fifo-order", inb(BASE), 'a');
    /* three bytes below the trigger: a timeout after 4 character times
     * (10 bits at 9600 baud = 1.0417 ms each) */
    CHECK_EQ("uart/below-again", inb(BASE + 2), 0xc1);
    int64_t t = fake_now_ns;
    fake_advance_to(&tl, t + 4100000);
    CHECK_EQ("uart/no-timeout-yet", inb(BASE + 2), 0xc1);
    fake_advance_to(&tl, t + 4200000);
    CHECK_EQ("uart/char-timeout", inb(BASE + 2), 0xcc);
    irq_matches("uart/char-timeout-irq");
    CHECK_EQ("uart/timeout-read", inb(BASE), 'b');
    CHECK_EQ("uart/read-clears-timeout", inb(BASE + 2), 0xc1);
    inb(BASE);
    inb(BASE);
    CHECK_EQ("uart/drained", inb(BASE + 5) & 0x01, 0x00);
    /* 16 bytes fit, the 17th overruns */
    rx("0123456789abcdef");
    CHECK_EQ("uart/fifo-full", uart16550_can_receive(&uart), 0);
    rx("X");
    CHECK_EQ("uart/fifo-overflow-oe", inb(BASE + 5) & 0x02, 0x02);
    outb(BASE + 2, 0x43);                      /* clear the receive FIFO */
    CHECK_EQ("uart/fifo-reset", inb(BASE + 5) & 0x01, 0x00);
    /* trigger 14 */
    outb(BASE + 2, 0xc1);
    rx("0123456789abc");
    CHECK_EQ("uart/trigger-14-below", inb(BASE + 2), 0xc1);
    rx("d");
    CHECK_EQ("uart/trigger-14", inb(BASE + 2), 0xc4);
}

static void test_loopback(void)
{
    setup();
    outb(BASE + 4, 0x1a);                      /* loop, OUT2, RTS */
    CHECK_EQ("uart/loop-msr", inb(BASE + 6) & 0xf0, 0x90);
    outb(BASE + 4, 0x1f);
    CHECK_EQ("uart/loop-msr-all", inb(BASE + 6) & 0xf0, 0xf0);
    outb(BASE, 'z');
    check(tx_len == 0, "uart/loop-not-sent", "%zu bytes reached the backend", tx_len);
    CHECK_EQ("uart/loop-received", inb(BASE), 'z');
    outb(BASE + 4, 0x0b);
    CHECK_EQ("uart/loop-off-msr", inb(BASE + 6) & 0xf0, 0xb0);
    /* priorities: RLS above RDA above THRE */
    outb(BASE + 1, 0x07);
    rx("a");
    rx("b");
    CHECK_EQ("uart/prio-rls", inb(BASE + 2) & 0x0f, 0x06);
    inb(BASE + 5);
    CHECK_EQ("uart/prio-rda", inb(BASE + 2) & 0x0f, 0x04);
    inb(BASE);
    CHECK_EQ("uart/prio-thre", inb(BASE + 2) & 0x0f, 0x02);
    device_reset(&uart.dev);
    CHECK_EQ("uart/reset-again", inb(BASE + 2), 0x01);
    check(!irq.level, "uart/reset-irq-low", "IRQ high after reset");
}

int main(void)
{
    test_io = address_space_new("io");
    setup();
    if (!test_io || !uart16550_map(&uart, test_io, BASE)) {
        printf("not ok - uart/map\n");
        return 1;
    }
    test_basics();
    test_holding_register();
    test_fifo();
    test_loopback();
    address_space_free(test_io);
    return test_finish();
}
