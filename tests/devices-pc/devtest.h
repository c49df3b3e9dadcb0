/*
 * Shared bits of the pc device unit tests: TAP-ish result lines
 * ("ok - name" / "not ok - name: why") and a fake device clock.
 */
#ifndef TESTS_DEVICES_PC_DEVTEST_H
#define TESTS_DEVICES_PC_DEVTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "devices/timer.h"

extern int devtest_failures;

/* one check: prints ok/not ok with the values when they differ */
#define CHECK_EQ(name, got, want)                                                          \
    do {                                                                                   \
        unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want); \
        if (g_ == w_)                                                                      \
            printf("ok - %s\n", name);                                                     \
        else {                                                                             \
            printf("not ok - %s: got 0x%llx, want 0x%llx\n", name, g_, w_);                \
            devtest_failures++;                                                            \
        }                                                                                  \
    } while (0)
#define CHECK(name, cond) CHECK_EQ(name, !!(cond), 1)

/* A TimerList on a clock the test moves by hand. */
typedef struct FakeClock {
    TimerList tl;
    int64_t now;
} FakeClock;

void fake_clock_init(FakeClock *c);
/* advance to now + ns, running the timers that expire on the way in order */
void fake_clock_advance(FakeClock *c, int64_t ns);

void test_apic(void);
void test_ioapic(void);
void test_pci(void);
void test_fw_cfg(void);
void test_fw_cfg_linux(void);
void test_pam(void);
void test_hpet(void);
void test_acpi_pm(void);
void test_acpi_tables(void);

#endif
