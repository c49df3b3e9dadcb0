/*
 * ACPI tables (machine/acpi.c): lengths and checksums, the FADT, MADT
 * and RSDP fields the spec places, the AML PkgLength encoding, \_S5
 * decoded back from the DSDT's bytes, the loader script run to place the
 * tables, and Debian's iasl (acpica-tools) disassembling each table as an
 * oracle nobody here wrote.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "machine/acpi.h"
#include "tests/devices-pc/devtest.h"

static uint64_t le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

static void test_pkg_length(void)
{
    AcpiBuf b = { 0 };
    aml_pkg_length(&b, 0x3e);
    CHECK_EQ("aml PkgLength 1 byte", b.len * 0x100 + b.data[0], 0x13f);
    b.len = 0;
    aml_pkg_length(&b, 0x3f);   /* total 0x41: two bytes, low nibble 1, then 0x04 */
    CHECK_EQ("aml PkgLength 2 bytes", b.len << 16 | b.data[0] << 8 | b.data[1], 0x24104);
    b.len = 0;
    aml_pkg_length(&b, 0x1000); /* total 0x1003: three bytes 0x83 0x00 0x01 */
    CHECK_EQ("aml PkgLength 3 bytes", b.len << 24 | b.data[0] << 16 | b.data[1] << 8 | b.data[2],
             0x3830001);
    b.len = 0;
    aml_name_string(&b, "\\_SB.PCI0");
    CHECK("aml name string \\_SB.PCI0", b.len == 10 && !memcmp(b.data, "\\\x2e_SB_PCI0", 10));
    b.len = 0;
    aml_integer(&b, 0x1234);
    CHECK("aml WordConst", b.len == 3 && b.data[0] == 0x0b && b.data[1] == 0x34);
    free(b.data);
}

/* \_S5 = Package(4) { a, b, ... }: decode SLP_TYPa/b back */
static int decode_s5(const uint8_t *dsdt, size_t len, int *a, int *b)
{
    for (size_t i = 0; i + 10 < len; i++) {
        if (dsdt[i] != 0x08 || dsdt[i + 1] != '\\' || memcmp(dsdt + i + 2, "_S5_", 4))
            continue;
        const uint8_t *p = dsdt + i + 6;
        if (p[0] != 0x12)
            return -1;
        int npkg = (p[1] >> 6) + 1;          /* PkgLength bytes */
        int count = p[1 + npkg];
        const uint8_t *e = p + 2 + npkg;
        int vals[2];
        for (int k = 0; k < 2; k++) {
            if (*e == 0x00) { vals[k] = 0; e++; }
            else if (*e == 0x01) { vals[k] = 1; e++; }
            else if (*e == 0x0a) { vals[k] = e[1]; e += 2; }
            else return -1;
        }
        *a = vals[0];
        *b = vals[1];
        return count;
    }
    return -1;
}

/* disassemble one table with iasl; 1 = clean, 0 = errors, -1 = no iasl */
static int iasl_check(const uint8_t *table, size_t len, const char *name, const char *must_contain)
{
    char dir[] = "/tmp/kasou-acpi-XXXXXX";
    if (!mkdtemp(dir))
        return 0;
    char path[256], cmd[768], dsl[256];
    snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
    snprintf(dsl, sizeof(dsl), "%s/%s.dsl", dir, name);
    FILE *f = fopen(path, "wb");
    fwrite(table, 1, len, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "cd %s && iasl -d %s.dat > iasl.log 2>&1", dir, name);
    int rc = system(cmd);
    int ok = 0;
    char *text = NULL;
    f = fopen(dsl, "r");
    if (f) {
        text = calloc(1, 1 << 20);
        size_t n = fread(text, 1, (1 << 20) - 1, f);
        text[n] = 0;
        fclose(f);
    }
    if (rc == 0 && text && strstr(text, must_contain) && !strstr(text, "Invalid") &&
        !strstr(text, "ERROR") && !strstr(text, "Incorrect"))
        ok = 1;
    if (!ok && text) {
        char *line = strstr(text, "Incorrect");
        if (!line)
            line = strstr(text, "Invalid");
        if (line)
            printf("# iasl %s: %.120s\n", name, line);
    }
    free(text);
    snprintf(cmd, sizeof(cmd), "command -v iasl > /dev/null || exit 9; rm -rf %s", dir);
    if (system(cmd) != 0)
        return -1;
    return ok;
}

void test_acpi_tables(void)
{
    AcpiTables t;
    AcpiConfig cfg = {
        .ram_below_4g = 128u << 20, .pm_base = 0x600, .sci_irq = 9, .lapic_addr = 0xfee00000,
        .ioapic_addr = 0xfec00000, .ioapic_id = 0, .reset_value = 0x06, .com1 = true, .hpet = true, .hpet_addr = 0xfed00000,
        .hpet_id = 0x8086a201,
    };
    test_pkg_length();
    CHECK("acpi build", acpi_build(&t, &cfg));
    const uint8_t *tb = t.tables.data;
    const uint8_t *fadt = tb + t.fadt_off, *madt = tb + t.madt_off, *dsdt = tb + t.dsdt_off;
    CHECK("acpi FACS signature, 64 bytes, aligned",
          !memcmp(tb + t.facs_off, "FACS", 4) && le(tb + t.facs_off + 4, 4) == 64 && t.facs_off % 64 == 0);
    CHECK_EQ("acpi FADT length (revision 3)", le(fadt + 4, 4), 244);
    CHECK_EQ("acpi FADT revision", fadt[8], 3);
    CHECK_EQ("acpi MADT length", le(madt + 4, 4), 44 + 8 + 12 + 5 * 10 + 6);
    size_t offs[] = { t.dsdt_off, t.fadt_off, t.madt_off, t.hpet_off, t.rsdt_off, t.xsdt_off };
    const char *sigs[] = { "DSDT", "FACP", "APIC", "HPET", "RSDT", "XSDT" };
    for (int i = 0; i < 6; i++) {
        char name[64];
        snprintf(name, sizeof(name), "acpi %s signature and checksum", sigs[i]);
        CHECK(name, !memcmp(tb + offs[i], sigs[i], 4) && sum8(tb + offs[i], le(tb + offs[i] + 4, 4)) == 0);
    }
    CHECK_EQ("acpi RSDP checksum (20 bytes)", sum8(t.rsdp.data, 20), 0);
    CHECK_EQ("acpi RSDP extended checksum (36 bytes)", sum8(t.rsdp.data, 36), 0);
    CHECK_EQ("acpi RSDP revision 2", t.rsdp.data[15], 2);
    CHECK_EQ("acpi FADT SCI_INT", le(fadt + 46, 2), 9);
    CHECK_EQ("acpi FADT SMI_CMD 0", le(fadt + 48, 4), 0);
    CHECK_EQ("acpi FADT PM1a_EVT_BLK", le(fadt + 56, 4), 0x600);
    CHECK_EQ("acpi FADT PM1a_CNT_BLK", le(fadt + 64, 4), 0x604);
    CHECK_EQ("acpi FADT PM_TMR_BLK", le(fadt + 76, 4), 0x608);
    CHECK_EQ("acpi FADT lengths PM1_EVT/CNT/-/TMR", le(fadt + 88, 4), 0x04000204);
    CHECK_EQ("acpi FADT century", fadt[108], 0x32);
    CHECK_EQ("acpi FADT IAPC_BOOT_ARCH legacy+8042", le(fadt + 109, 2), 3);
    CHECK_EQ("acpi FADT RESET_REG_SUP", le(fadt + 112, 4) >> 10 & 1, 1);
    CHECK_EQ("acpi FADT RESET_REG I/O 0xCF9", le(fadt + 116, 4) * 0 + fadt[116] * 0x100000000ull +
             le(fadt + 120, 8), 0x100000cf9ull);
    CHECK_EQ("acpi FADT RESET_VALUE", fadt[128], 6);
    CHECK_EQ("acpi FADT X_PM_TMR_BLK", le(fadt + 208 + 4, 8), 0x608);
    CHECK_EQ("acpi MADT LAPIC address", le(madt + 36, 4), 0xfee00000);
    CHECK_EQ("acpi MADT PCAT_COMPAT", le(madt + 40, 4), 1);
    CHECK_EQ("acpi MADT IOAPIC address", le(madt + 44 + 8 + 4, 4), 0xfec00000);
    CHECK_EQ("acpi MADT IRQ0 -> GSI2", le(madt + 64 + 3, 1) << 8 | le(madt + 64 + 4, 4), 2);
    const uint8_t *hp = tb + t.hpet_off;
    CHECK_EQ("acpi HPET length", le(hp + 4, 4), 56);
    CHECK_EQ("acpi HPET block ID", le(hp + 36, 4), 0x8086a201);
    CHECK_EQ("acpi HPET base (system memory)", hp[40] * 0x100000000ull + le(hp + 44, 8), 0xfed00000);
    CHECK_EQ("acpi RSDT lists FADT, MADT, HPET", le(tb + t.rsdt_off + 4, 4), 36 + 12);
    int a = -1, b = -1;
    CHECK_EQ("acpi DSDT \\_S5 package of 4", decode_s5(dsdt, t.dsdt_len, &a, &b), 4);
    CHECK_EQ("acpi DSDT \\_S5 SLP_TYPa/b = 0 (PIIX4 soft off)", a * 16 + b, 0);

    /* the loader script places the tables */
    uint8_t *tables = malloc(t.tables.len), rsdp[36];
    memcpy(tables, t.tables.data, t.tables.len);
    memcpy(rsdp, t.rsdp.data, 36);
    CHECK("acpi loader script runs", acpi_loader_run(&t.loader, tables, t.tables.len, 0x7fe0000, rsdp,
                                                     36, 0xf5a40));
    CHECK_EQ("acpi loader: RSDP -> RSDT", le(rsdp + 16, 4), 0x7fe0000 + t.rsdt_off);
    CHECK_EQ("acpi loader: RSDP -> XSDT", le(rsdp + 24, 8), 0x7fe0000 + t.xsdt_off);
    CHECK_EQ("acpi loader: RSDP checksums", sum8(rsdp, 20) | sum8(rsdp, 36), 0);
    CHECK_EQ("acpi loader: FADT -> DSDT", le(tables + t.fadt_off + 40, 4), 0x7fe0000 + t.dsdt_off);
    CHECK_EQ("acpi loader: FADT -> X_DSDT", le(tables + t.fadt_off + 140, 8), 0x7fe0000 + t.dsdt_off);
    CHECK_EQ("acpi loader: FADT -> FACS", le(tables + t.fadt_off + 36, 4), 0x7fe0000 + t.facs_off);
    CHECK_EQ("acpi loader: XSDT[1] -> MADT", le(tables + t.xsdt_off + 44, 8), 0x7fe0000 + t.madt_off);
    CHECK_EQ("acpi loader: RSDT[2] -> HPET", le(tables + t.rsdt_off + 44, 4), 0x7fe0000 + t.hpet_off);
    CHECK_EQ("acpi loader: HPET checksum", sum8(tables + t.hpet_off, 56), 0);
    CHECK_EQ("acpi loader: FADT checksum", sum8(tables + t.fadt_off, 244), 0);
    CHECK_EQ("acpi loader: RSDT checksum", sum8(tables + t.rsdt_off, le(tables + t.rsdt_off + 4, 4)), 0);

    /* iasl as the oracle */
    int r = iasl_check(dsdt, t.dsdt_len, "dsdt", "PNP0A03");
    if (r < 0)
        CHECK("acpi DSDT disassembled by iasl (acpica-tools missing: scripts/deps.sh check)", 0);
    else {
        CHECK("acpi DSDT disassembled by iasl", r);
        CHECK("acpi FADT decoded by iasl", iasl_check(tables + t.fadt_off, 244, "facp", "Reset Register"));
        CHECK("acpi MADT decoded by iasl", iasl_check(tables + t.madt_off, le(madt + 4, 4), "apic",
                                                      "Interrupt Source Override"));
        CHECK("acpi HPET decoded by iasl", iasl_check(tables + t.hpet_off, 56, "hpet", "FED00000"));
        CHECK("acpi DSDT has the HPET device (iasl)", iasl_check(dsdt, t.dsdt_len, "dsdt2", "PNP0103"));
    }
    free(tables);
    acpi_tables_free(&t);
}
