/*
 * Shared by the device unit tests: TAP-style checks ("ok - name" /
 * "not ok - name: why"), a port space the device under test is mapped
 * into (accesses go through softmmu like the CPU's IN/OUT), a probe that
 * records what an IRQ output does, and a fake device clock the tests move
 * by hand, so timing behaviour is checked exactly.
 */
#ifndef TESTS_DEVICES_DEVTEST_H
#define TESTS_DEVICES_DEVTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "devices/device.h"
#include "devices/timer.h"
#include "softmmu/memory.h"

static int test_failures;

static void __attribute__((format(printf, 3, 4), unused))
check(bool ok, const char *name, const char *fmt, ...)
{
    if (ok) {
        printf("ok - %s\n", name);
        return;
    }
    test_failures++;
    printf("not ok - %s: ", name);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

/* check that got == want, printing both in hex */
#define CHECK_EQ(name, got, want) \
    do { uint64_t g_ = (got), w_ = (want); \
         check(g_ == w_, name, "got 0x%llx, want 0x%llx", (unsigned long long)g_, (unsigned long long)w_); \
    } while (0)

static AddressSpace *test_io;

static void __attribute__((unused)) outb(uint16_t port, uint8_t v)
{
    address_space_stn(test_io, port, v, 1, NULL);
}
static uint8_t __attribute__((unused)) inb(uint16_t port)
{
    return (uint8_t)address_space_ldn(test_io, port, 1, NULL);
}

/* An IRQ receiver: the line's level, and how many rising edges it saw. */
typedef struct IrqProbe {
    int level;
    int rises;
    int last_n;
} IrqProbe;

static void __attribute__((unused)) irq_probe_set(void *opaque, int n, int level)
{
    IrqProbe *p = opaque;
    if (level && !p->level)
        p->rises++;
    p->level = level;
    p->last_n = n;
}

/* The fake clock: tests set fake_now_ns and run the timers themselves. */
static int64_t fake_now_ns;
static int64_t __attribute__((unused)) fake_clock(void *opaque)
{
    return fake_now_ns;
}
static void __attribute__((unused)) fake_timerlist_init(TimerList *tl)
{
    timerlist_init(tl);
    tl->clock = fake_clock;
    fake_now_ns = 0;
}
/* Move the clock to t, running every timer due on the way in order. */
static void __attribute__((unused)) fake_advance_to(TimerList *tl, int64_t t)
{
    while (timerlist_deadline_ns(tl) <= t) {
        fake_now_ns = timerlist_deadline_ns(tl);
        timerlist_run_expired(tl);
    }
    fake_now_ns = t;
}

static int test_finish(void)
{
    return test_failures ? 1 : 0;
}

#endif
