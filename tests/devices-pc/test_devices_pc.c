/*
 * Runs every pc device unit test (one file per device beside this one).
 */
#include "tests/devices-pc/devtest.h"

int devtest_failures;

static int64_t fake_clock_read(void *opaque)
{
    return ((FakeClock *)opaque)->now;
}

void fake_clock_init(FakeClock *c)
{
    timerlist_init(&c->tl);
    c->now = 0;
    c->tl.clock = fake_clock_read;
    c->tl.clock_opaque = c;
}

void fake_clock_advance(FakeClock *c, int64_t ns)
{
    int64_t end = c->now + ns;
    for (;;) {
        int64_t d = timerlist_deadline_ns(&c->tl);
        if (d > end)
            break;
        if (d > c->now)
            c->now = d;
        timerlist_run_expired(&c->tl);
    }
    c->now = end;
}

int main(void)
{
    test_apic();
    test_ioapic();
    test_pci();
    test_acpi_pm();
    test_fw_cfg();
    test_fw_cfg_linux();
    test_pam();
    test_hpet();
    test_acpi_tables();
    return devtest_failures != 0;
}
