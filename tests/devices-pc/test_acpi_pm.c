/*
 * ACPI PM1a and PM timer registers (ACPI spec ch. 4.8): the timer's rate
 * and 24-bit wrap on a fake clock, TMR_STS on bit-23 changes, write-1-to-
 * clear status, the SCI level, and S5 through SLP_TYP/SLP_EN.
 */
#include "devices/acpi_pm.h"
#include "tests/devices-pc/devtest.h"

static int sci, sleeps, slp_typ = -1;
static void on_sci(void *o, int n, int level) { sci = level; }
static void on_sleep(void *o, int typ) { sleeps++; slp_typ = typ; }

void test_acpi_pm(void)
{
    static ACPIPM pm;
    FakeClock c;
    fake_clock_init(&c);
    acpi_pm_init(&pm, &c.tl, NULL);
    irq_connect(&pm.sci, on_sci, NULL, 9);
    pm.sleep = on_sleep;
    CHECK_EQ("acpi pm timer at 0", acpi_pm_read(&pm, 8, 4), 0);
    fake_clock_advance(&c, NS_PER_SEC);
    CHECK_EQ("acpi pm timer: 3579545 ticks in 1 s", acpi_pm_read(&pm, 8, 4), 3579545);
    fake_clock_advance(&c, 4 * NS_PER_SEC);
    CHECK_EQ("acpi pm timer wraps at 24 bits", acpi_pm_read(&pm, 8, 4), (5ull * 3579545) & 0xffffff);
    CHECK_EQ("acpi pm timer byte read", acpi_pm_read(&pm, 9, 1), ((5ull * 3579545) >> 8) & 0xff);
    CHECK_EQ("acpi PM1_CNT: SCI_EN from reset (no SMM)", acpi_pm_read(&pm, 4, 2), 1);
    CHECK_EQ("acpi TMR_STS after bit 23 changed", acpi_pm_read(&pm, 0, 2) & 1, 1);
    CHECK_EQ("acpi no SCI while TMR_EN clear", sci, 0);
    acpi_pm_write(&pm, 0, 1, 2);
    CHECK_EQ("acpi TMR_STS write-1-to-clear", acpi_pm_read(&pm, 0, 2) & 1, 0);
    acpi_pm_write(&pm, 2, 1, 2);
    CHECK_EQ("acpi PM1_EN TMR_EN", acpi_pm_read(&pm, 2, 2), 1);
    uint32_t t = acpi_pm_read(&pm, 8, 4);
    int64_t to_toggle = (int64_t)(((0x800000 - (t & 0x7fffff)) * NS_PER_SEC) / 3579545);
    fake_clock_advance(&c, to_toggle - 1000);
    CHECK_EQ("acpi no SCI before the bit-23 change", sci, 0);
    fake_clock_advance(&c, 2000);
    CHECK_EQ("acpi SCI at the bit-23 change (timer event)", sci, 1);
    acpi_pm_write(&pm, 0, 0xffff, 2);
    CHECK_EQ("acpi SCI drops when status cleared", sci, 0);
    acpi_pm_write(&pm, 2, 0, 2);
    acpi_pm_power_button(&pm);
    CHECK_EQ("acpi PWRBTN_STS set", acpi_pm_read(&pm, 0, 2), 0x100);
    CHECK_EQ("acpi PWRBTN without enable: no SCI", sci, 0);
    acpi_pm_write(&pm, 3, 1, 1);
    CHECK_EQ("acpi PWRBTN_EN by byte write: SCI", sci, 1);
    acpi_pm_write(&pm, 0, 0x100, 2);
    CHECK_EQ("acpi PWRBTN_STS cleared", sci, 0);
    acpi_pm_write(&pm, 4, 5 << 10, 2);
    CHECK_EQ("acpi SLP_TYP without SLP_EN: no sleep", sleeps, 0);
    CHECK_EQ("acpi SLP_TYP reads back, SCI_EN stays", acpi_pm_read(&pm, 4, 2), (5 << 10) | 1);
    acpi_pm_write(&pm, 4, (0 << 10) | (1 << 13), 2);
    CHECK_EQ("acpi SLP_EN with SLP_TYP 0: S5 request", sleeps * 16 + slp_typ, 16);
    CHECK_EQ("acpi SLP_EN reads 0", acpi_pm_read(&pm, 4, 2) & (1 << 13), 0);
}
