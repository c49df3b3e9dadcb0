/*
 * ACPI tables for the pc board (ACPI 6.x spec ch. 5; AML grammar ch. 20),
 * in the form QEMU gives firmware: a blob of tables, an RSDP, and a
 * linker/loader script of 128-byte commands (QEMU's
 * hw/acpi/bios-linker-loader.c format: ALLOCATE a file in a zone,
 * ADD_POINTER = add a file's final address to a little-endian field,
 * ADD_CHECKSUM = fix a checksum byte). Pointers in the blob hold offsets
 * within their target file and every checksum is already right for
 * address 0, so both SeaBIOS's way (subtract the range's sum) and a
 * recompute give valid tables.
 * Must stay true: PM1a/PM timer ports match devices/acpi_pm.c at
 * cfg->pm_base; \_S5's SLP_TYP (0) is what acpi_pm.c treats as S5.
 */
#include <stdlib.h>
#include <string.h>
#include "machine/acpi.h"

/* ---- byte buffers ---- */

static void buf_reserve(AcpiBuf *b, size_t more)
{
    if (b->oom || b->len + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more)
        cap *= 2;
    uint8_t *d = realloc(b->data, cap);
    if (!d) {
        b->oom = true;
        return;
    }
    b->data = d;
    b->cap = cap;
}

static void buf_append(AcpiBuf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    if (b->oom)
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void buf_u8(AcpiBuf *b, uint8_t v) { buf_append(b, &v, 1); }
static void buf_le(AcpiBuf *b, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        buf_u8(b, (uint8_t)(v >> (8 * i)));
}
static void buf_zero(AcpiBuf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_u8(b, 0);
}
static void buf_align(AcpiBuf *b, size_t a)
{
    while (b->len % a)
        buf_u8(b, 0);
}
/* append b2 and free it (its oom is inherited) */
static void buf_take(AcpiBuf *b, AcpiBuf *b2)
{
    if (b2->oom)
        b->oom = true;
    else
        buf_append(b, b2->data, b2->len);
    free(b2->data);
    *b2 = (AcpiBuf){ 0 };
}
static void buf_free(AcpiBuf *b)
{
    free(b->data);
    *b = (AcpiBuf){ 0 };
}
static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

uint8_t acpi_checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += p[i];
    return (uint8_t)-sum;
}

/* ---- AML (ACPI ch. 20) ---- */

enum {
    AML_ZERO = 0x00, AML_ONE = 0x01, AML_NAME = 0x08, AML_BYTE = 0x0a, AML_WORD = 0x0b,
    AML_DWORD = 0x0c, AML_STRING = 0x0d, AML_QWORD = 0x0e, AML_SCOPE = 0x10, AML_BUFFER = 0x11,
    AML_PACKAGE = 0x12, AML_EXT = 0x5b, AML_DEVICE = 0x82, AML_DUAL_NAME = 0x2e,
    AML_MULTI_NAME = 0x2f, AML_ROOT = 0x5c, AML_ONES = 0xff,
};

/* PkgLength: the length of itself plus what follows it */
void aml_pkg_length(AcpiBuf *b, size_t body_len)
{
    size_t total;
    int extra;
    if (body_len + 1 < 0x40) {
        buf_u8(b, (uint8_t)(body_len + 1));
        return;
    }
    if (body_len + 2 < 0x1000)
        extra = 1;
    else if (body_len + 3 < 0x100000)
        extra = 2;
    else
        extra = 3;
    total = body_len + 1 + extra;
    buf_u8(b, (uint8_t)((extra << 6) | (total & 0xf)));
    for (int i = 0; i < extra; i++)
        buf_u8(b, (uint8_t)(total >> (4 + 8 * i)));
}

/* "\_SB.PCI0", "_HID", "S5": segments of up to 4 characters, '_'-padded */
void aml_name_string(AcpiBuf *b, const char *path)
{
    char segs[8][4];
    int n = 0;
    if (*path == '\\') {
        buf_u8(b, AML_ROOT);
        path++;
    }
    while (*path && n < 8) {
        int i = 0;
        memset(segs[n], '_', 4);
        while (*path && *path != '.') {
            if (i < 4)
                segs[n][i++] = *path;
            path++;
        }
        if (*path == '.')
            path++;
        n++;
    }
    if (n == 2)
        buf_u8(b, AML_DUAL_NAME);
    else if (n > 2) {
        buf_u8(b, AML_MULTI_NAME);
        buf_u8(b, (uint8_t)n);
    } else if (n == 0) {
        buf_u8(b, 0);             /* NullName */
        return;
    }
    for (int i = 0; i < n; i++)
        buf_append(b, segs[i], 4);
}

void aml_integer(AcpiBuf *b, uint64_t v)
{
    if (v == 0)
        buf_u8(b, AML_ZERO);
    else if (v == 1)
        buf_u8(b, AML_ONE);
    else if (v <= 0xff) {
        buf_u8(b, AML_BYTE);
        buf_le(b, v, 1);
    } else if (v <= 0xffff) {
        buf_u8(b, AML_WORD);
        buf_le(b, v, 2);
    } else if (v <= 0xffffffffu) {
        buf_u8(b, AML_DWORD);
        buf_le(b, v, 4);
    } else {
        buf_u8(b, AML_QWORD);
        buf_le(b, v, 8);
    }
}

/* EISA ID "PNP0A03" as the compressed 32-bit integer */
static uint32_t eisa_id(const char *id)
{
    uint32_t v = ((uint32_t)(id[0] - 0x40) << 26) | ((uint32_t)(id[1] - 0x40) << 21) |
                 ((uint32_t)(id[2] - 0x40) << 16);
    v |= (uint32_t)strtoul(id + 3, NULL, 16) & 0xffff;
    return __builtin_bswap32(v);
}

/* Name(name, <integer>) */
static void aml_name_int(AcpiBuf *b, const char *name, uint64_t v)
{
    buf_u8(b, AML_NAME);
    aml_name_string(b, name);
    aml_integer(b, v);
}

static void aml_name_eisa(AcpiBuf *b, const char *name, const char *id)
{
    buf_u8(b, AML_NAME);
    aml_name_string(b, name);
    buf_u8(b, AML_DWORD);
    buf_le(b, eisa_id(id), 4);
}

/* op PkgLength NameString body (Scope, Device) */
static void aml_named_block(AcpiBuf *b, const uint8_t *op, size_t oplen, const char *name,
                            AcpiBuf *body)
{
    AcpiBuf inner = { 0 };
    aml_name_string(&inner, name);
    buf_take(&inner, body);
    buf_append(b, op, oplen);
    aml_pkg_length(b, inner.len);
    buf_take(b, &inner);
}

static void aml_scope(AcpiBuf *b, const char *name, AcpiBuf *body)
{
    static const uint8_t op[] = { AML_SCOPE };
    aml_named_block(b, op, 1, name, body);
}

static void aml_device(AcpiBuf *b, const char *name, AcpiBuf *body)
{
    static const uint8_t op[] = { AML_EXT, AML_DEVICE };
    aml_named_block(b, op, 2, name, body);
}

/* Package(n) { elements } */
static void aml_package(AcpiBuf *b, uint8_t n, AcpiBuf *elements)
{
    buf_u8(b, AML_PACKAGE);
    aml_pkg_length(b, elements->len + 1);
    buf_u8(b, n);
    buf_take(b, elements);
}

/* Name(name, ResourceTemplate() { descriptors }): a buffer ending in an
 * End Tag with checksum 0 ("treated as valid") */
static void aml_name_resources(AcpiBuf *b, const char *name, AcpiBuf *desc)
{
    AcpiBuf body = { 0 };
    buf_u8(desc, 0x79);
    buf_u8(desc, 0);
    aml_integer(&body, desc->len);
    buf_take(&body, desc);
    buf_u8(b, AML_NAME);
    aml_name_string(b, name);
    buf_u8(b, AML_BUFFER);
    aml_pkg_length(b, body.len);
    buf_take(b, &body);
}

/* resource descriptors (ACPI ch. 6.4) */
static void res_io(AcpiBuf *d, uint16_t min, uint16_t max, uint8_t align, uint8_t len)
{
    buf_u8(d, 0x47);
    buf_u8(d, 1);                 /* 16-bit decode */
    buf_le(d, min, 2);
    buf_le(d, max, 2);
    buf_u8(d, align);
    buf_u8(d, len);
}

static void res_irq(AcpiBuf *d, int irq)
{
    buf_u8(d, 0x22);              /* IRQ, no flags: edge, active high */
    buf_le(d, 1u << irq, 2);
}

/* Word Address Space: bus numbers (type 2) or I/O (type 1), a producer
 * with fixed ends */
static void res_word_space(AcpiBuf *d, uint8_t type, uint8_t type_flags, uint16_t min, uint16_t max)
{
    buf_u8(d, 0x88);
    buf_le(d, 13, 2);
    buf_u8(d, type);
    buf_u8(d, 0x0c);              /* MinFixed, MaxFixed, producer */
    buf_u8(d, type_flags);
    buf_le(d, 0, 2);              /* granularity */
    buf_le(d, min, 2);
    buf_le(d, max, 2);
    buf_le(d, 0, 2);              /* translation */
    buf_le(d, (uint32_t)max - min + 1, 2);
}

static void res_memory32_fixed(AcpiBuf *d, bool rw, uint32_t base, uint32_t len)
{
    buf_u8(d, 0x86);
    buf_le(d, 9, 2);
    buf_u8(d, rw ? 1 : 0);
    buf_le(d, base, 4);
    buf_le(d, len, 4);
}

static void res_dword_memory(AcpiBuf *d, uint32_t min, uint32_t max)
{
    buf_u8(d, 0x87);
    buf_le(d, 23, 2);
    buf_u8(d, 0);                 /* memory */
    buf_u8(d, 0x0c);
    buf_u8(d, 0x03);              /* read-write, cacheable */
    buf_le(d, 0, 4);
    buf_le(d, min, 4);
    buf_le(d, max, 4);
    buf_le(d, 0, 4);
    buf_le(d, (uint64_t)max - min + 1, 4);
}

/* an ISA device under \_SB.PCI0.ISA: _HID, optional _UID, _CRS */
static void isa_device(AcpiBuf *isa, const char *name, const char *hid, int uid,
                       const uint16_t (*ports)[2], int nports, int irq)
{
    AcpiBuf dev = { 0 }, crs = { 0 };
    aml_name_eisa(&dev, "_HID", hid);
    if (uid >= 0)
        aml_name_int(&dev, "_UID", (uint64_t)uid);
    for (int i = 0; i < nports; i++)
        res_io(&crs, ports[i][0], ports[i][0], ports[i][1] >= 8 ? 0 : 1, (uint8_t)ports[i][1]);
    if (irq >= 0)
        res_irq(&crs, irq);
    aml_name_resources(&dev, "_CRS", &crs);
    aml_device(isa, name, &dev);
}

/* _PRT: slot s (1..31) pin p goes to IOAPIC GSI 16 + ((s + p) & 3), the
 * PIIX's rotation of PIRQA-D applied to the four PCI GSIs */
static void build_prt(AcpiBuf *pci0)
{
    AcpiBuf all = { 0 };
    int n = 0;
    for (int slot = 1; slot < 32; slot++) {
        for (int pin = 0; pin < 4; pin++) {
            AcpiBuf e = { 0 };
            aml_integer(&e, ((uint64_t)slot << 16) | 0xffff);
            aml_integer(&e, (uint64_t)pin);
            aml_integer(&e, 0);   /* no link device: a GSI */
            aml_integer(&e, 16 + ((slot + pin) & 3));
            aml_package(&all, 4, &e);
            n++;
        }
    }
    /* 124 elements: a Package's count byte takes up to 255 */
    buf_u8(pci0, AML_NAME);
    aml_name_string(pci0, "_PRT");
    aml_package(pci0, (uint8_t)n, &all);
}

static void build_dsdt_body(AcpiBuf *b, const AcpiConfig *cfg)
{
    AcpiBuf sb = { 0 }, pci0 = { 0 }, isa = { 0 }, crs = { 0 }, s5 = { 0 };

    /* ISA bridge and its devices */
    aml_name_int(&isa, "_ADR", 0x00010000);
    static const uint16_t rtc_ports[][2] = { { 0x70, 8 } };
    isa_device(&isa, "RTC", "PNP0B00", -1, rtc_ports, 1, 8);
    static const uint16_t kbd_ports[][2] = { { 0x60, 1 }, { 0x64, 1 } };
    isa_device(&isa, "KBD", "PNP0303", -1, kbd_ports, 2, 1);
    if (cfg->com1) {
        static const uint16_t com_ports[][2] = { { 0x3f8, 8 } };
        isa_device(&isa, "COM1", "PNP0501", 1, com_ports, 1, 4);
    }

    /* the PCI root bridge */
    aml_name_eisa(&pci0, "_HID", "PNP0A03");
    aml_name_int(&pci0, "_ADR", 0);
    aml_name_int(&pci0, "_UID", 0);
    res_word_space(&crs, 2, 0, 0x00, 0xff);
    res_io(&crs, 0xcf8, 0xcf8, 1, 8);
    res_word_space(&crs, 1, 0x03, 0x0000, 0x0cf7);
    res_word_space(&crs, 1, 0x03, 0x0d00, 0xffff);
    res_dword_memory(&crs, 0x000a0000, 0x000bffff);
    uint64_t hole = cfg->ram_below_4g < 0xe0000000u ? cfg->ram_below_4g : 0xe0000000u;
    res_dword_memory(&crs, (uint32_t)hole, 0xfebfffff);
    aml_name_resources(&pci0, "_CRS", &crs);
    build_prt(&pci0);
    aml_device(&pci0, "ISA", &isa);
    if (cfg->hpet) {
        AcpiBuf hpet = { 0 }, hcrs = { 0 };
        aml_name_eisa(&hpet, "_HID", "PNP0103");
        aml_name_int(&hpet, "_UID", 0);
        res_memory32_fixed(&hcrs, false, cfg->hpet_addr, 0x400);
        aml_name_resources(&hpet, "_CRS", &hcrs);
        aml_device(&sb, "HPET", &hpet);
    }
    aml_device(&sb, "PCI0", &pci0);
    aml_scope(b, "\\_SB", &sb);

    /* \_S5: SLP_TYPa, SLP_TYPb (PIIX4: 0 = soft off), two reserved */
    for (int i = 0; i < 4; i++)
        aml_integer(&s5, 0);
    buf_u8(b, AML_NAME);
    aml_name_string(b, "\\_S5");
    aml_package(b, 4, &s5);
}

/* ---- tables ---- */

static void table_header(AcpiBuf *b, const char *sig, uint8_t rev)
{
    buf_append(b, sig, 4);
    buf_le(b, 0, 4);              /* length: patched by table_end */
    buf_u8(b, rev);
    buf_u8(b, 0);                 /* checksum */
    buf_append(b, "KASOU ", 6);
    buf_append(b, "KASOUPC ", 8);
    buf_le(b, 1, 4);              /* OEM revision */
    buf_append(b, "KSOU", 4);
    buf_le(b, 1, 4);              /* creator revision */
}

static void table_end(AcpiBuf *b, size_t start)
{
    if (b->oom)
        return;
    put_le(b->data + start + 4, b->len - start, 4);
    b->data[start + 9] = 0;
    b->data[start + 9] = acpi_checksum(b->data + start, b->len - start);
}

/* Generic Address Structure, system I/O */
static void gas_io(AcpiBuf *b, uint8_t bits, uint8_t access, uint64_t port)
{
    buf_u8(b, 1);
    buf_u8(b, bits);
    buf_u8(b, 0);
    buf_u8(b, access);
    buf_le(b, port, 8);
}

/* loader commands: 128 bytes each */
static void loader_file(AcpiBuf *l, const char *name)
{
    char f[ACPI_LOADER_FILE_LEN] = { 0 };
    strncpy(f, name, sizeof(f) - 1);
    buf_append(l, f, sizeof(f));
}

static void loader_allocate(AcpiBuf *l, const char *file, uint32_t align, uint8_t zone)
{
    size_t start = l->len;
    buf_le(l, ACPI_LOADER_ALLOCATE, 4);
    loader_file(l, file);
    buf_le(l, align, 4);
    buf_u8(l, zone);
    buf_zero(l, 128 - (l->len - start));
}

static void loader_pointer(AcpiBuf *l, const char *dest, const char *src, uint32_t off, uint8_t size)
{
    size_t start = l->len;
    buf_le(l, ACPI_LOADER_ADD_POINTER, 4);
    loader_file(l, dest);
    loader_file(l, src);
    buf_le(l, off, 4);
    buf_u8(l, size);
    buf_zero(l, 128 - (l->len - start));
}

static void loader_checksum(AcpiBuf *l, const char *file, uint32_t off, uint32_t start_, uint32_t len)
{
    size_t start = l->len;
    buf_le(l, ACPI_LOADER_ADD_CHECKSUM, 4);
    loader_file(l, file);
    buf_le(l, off, 4);
    buf_le(l, start_, 4);
    buf_le(l, len, 4);
    buf_zero(l, 128 - (l->len - start));
}

static void table_checksum_cmd(AcpiTables *t, size_t off)
{
    uint32_t len = (uint32_t)get_le(t->tables.data + off + 4, 4);
    loader_checksum(&t->loader, ACPI_TABLES_FILE, (uint32_t)off + 9, (uint32_t)off, len);
}

bool acpi_build(AcpiTables *t, const AcpiConfig *cfg)
{
    AcpiBuf *b = &t->tables, *l = &t->loader;
    memset(t, 0, sizeof(*t));

    /* FACS: first, 64-byte aligned, no checksum */
    t->facs_off = b->len;
    buf_append(b, "FACS", 4);
    buf_le(b, 64, 4);
    buf_zero(b, 56);
    if (!b->oom)
        b->data[t->facs_off + 32] = 1;    /* version */

    /* DSDT */
    buf_align(b, 8);
    t->dsdt_off = b->len;
    table_header(b, "DSDT", 1);
    build_dsdt_body(b, cfg);
    table_end(b, t->dsdt_off);
    t->dsdt_len = b->len - t->dsdt_off;

    /* FADT, revision 3 (244 bytes) */
    buf_align(b, 8);
    size_t f = t->fadt_off = b->len;
    table_header(b, "FACP", 3);
    buf_le(b, t->facs_off, 4);            /* FIRMWARE_CTRL (X_ stays 0: below 4 GiB) */
    buf_le(b, t->dsdt_off, 4);            /* DSDT */
    buf_u8(b, 0);                         /* reserved */
    buf_u8(b, 0);                         /* preferred PM profile: unspecified */
    buf_le(b, cfg->sci_irq, 2);
    buf_le(b, 0, 4);                      /* SMI_CMD 0: always in ACPI mode */
    buf_zero(b, 4);                       /* ACPI_ENABLE/DISABLE, S4BIOS_REQ, PSTATE_CNT */
    buf_le(b, cfg->pm_base, 4);           /* PM1a_EVT_BLK */
    buf_le(b, 0, 4);
    buf_le(b, cfg->pm_base + 4u, 4);      /* PM1a_CNT_BLK */
    buf_le(b, 0, 4);
    buf_le(b, 0, 4);                      /* PM2_CNT_BLK */
    buf_le(b, cfg->pm_base + 8u, 4);      /* PM_TMR_BLK */
    buf_le(b, 0, 4);                      /* GPE0_BLK: none */
    buf_le(b, 0, 4);
    buf_u8(b, 4);                         /* PM1_EVT_LEN */
    buf_u8(b, 2);                         /* PM1_CNT_LEN */
    buf_u8(b, 0);
    buf_u8(b, 4);                         /* PM_TMR_LEN */
    buf_zero(b, 4);                       /* GPE0/1 lengths, GPE1 base, CST_CNT */
    buf_le(b, 0xfff, 2);                  /* P_LVL2_LAT: C2 not supported */
    buf_le(b, 0xfff, 2);                  /* P_LVL3_LAT: C3 not supported */
    buf_zero(b, 4);                       /* flush size/stride */
    buf_zero(b, 4);                       /* duty offset/width, day/month alarm */
    buf_u8(b, 0x32);                      /* CENTURY: CMOS register 0x32 */
    buf_le(b, 0x0003, 2);                 /* IAPC_BOOT_ARCH: legacy devices, 8042 */
    buf_u8(b, 0);
    /* WBINVD, PROC_C1, SLP_BUTTON (none), RTC_S4, RESET_REG_SUP, USE_PLATFORM_CLOCK */
    buf_le(b, (1u << 0) | (1u << 2) | (1u << 5) | (1u << 7) | (1u << 10) | (1u << 15), 4);
    gas_io(b, 8, 1, 0xcf9);               /* RESET_REG */
    buf_u8(b, cfg->reset_value);
    buf_zero(b, 3);
    buf_le(b, 0, 8);                      /* X_FIRMWARE_CTRL */
    buf_le(b, t->dsdt_off, 8);            /* X_DSDT */
    gas_io(b, 32, 2, cfg->pm_base);       /* X_PM1a_EVT_BLK */
    buf_zero(b, 12);
    gas_io(b, 16, 2, cfg->pm_base + 4u);  /* X_PM1a_CNT_BLK */
    buf_zero(b, 12);
    buf_zero(b, 12);                      /* X_PM2_CNT_BLK */
    gas_io(b, 32, 3, cfg->pm_base + 8u);  /* X_PM_TMR_BLK */
    buf_zero(b, 24);                      /* X_GPE0/1 */
    table_end(b, f);

    /* MADT */
    buf_align(b, 8);
    size_t m = t->madt_off = b->len;
    table_header(b, "APIC", 3);
    buf_le(b, cfg->lapic_addr, 4);
    buf_le(b, 1, 4);                      /* PCAT_COMPAT: there are 8259s too */
    buf_u8(b, 0); buf_u8(b, 8); buf_u8(b, 0); buf_u8(b, 0); buf_le(b, 1, 4);   /* CPU 0, enabled */
    buf_u8(b, 1); buf_u8(b, 12); buf_u8(b, cfg->ioapic_id); buf_u8(b, 0);
    buf_le(b, cfg->ioapic_addr, 4);
    buf_le(b, 0, 4);                      /* GSI base */
    /* ISA IRQ 0 is IOAPIC pin 2; the PCI-routable IRQs and the SCI are
     * level, active high (QEMU's overrides) */
    static const struct { uint8_t irq; uint32_t gsi; uint16_t flags; } iso[] = {
        { 0, 2, 0 }, { 5, 5, 0xd }, { 9, 9, 0xd }, { 10, 10, 0xd }, { 11, 11, 0xd },
    };
    for (size_t i = 0; i < sizeof(iso) / sizeof(iso[0]); i++) {
        buf_u8(b, 2); buf_u8(b, 10); buf_u8(b, 0); buf_u8(b, iso[i].irq);
        buf_le(b, iso[i].gsi, 4);
        buf_le(b, iso[i].flags, 2);
    }
    buf_u8(b, 4); buf_u8(b, 6); buf_u8(b, 0xff); buf_le(b, 0, 2); buf_u8(b, 1);  /* NMI on LINT1 */
    table_end(b, m);

    /* HPET (IA-PC HPET spec 3.2.4) */
    if (cfg->hpet) {
        buf_align(b, 8);
        size_t h = t->hpet_off = b->len;
        table_header(b, "HPET", 1);
        buf_le(b, cfg->hpet_id, 4);           /* event timer block ID */
        buf_u8(b, 0); buf_u8(b, 64); buf_u8(b, 0); buf_u8(b, 0);   /* GAS: system memory */
        buf_le(b, cfg->hpet_addr, 8);
        buf_u8(b, 0);                         /* HPET number */
        buf_le(b, 0, 2);                      /* minimum periodic tick: no limit */
        buf_u8(b, 0);                         /* no page protection */
        table_end(b, h);
    }

    /* RSDT and XSDT: FADT, MADT (, HPET) */
    size_t entries[] = { t->fadt_off, t->madt_off, t->hpet_off };
    const int nent = cfg->hpet ? 3 : 2;
    buf_align(b, 8);
    t->rsdt_off = b->len;
    table_header(b, "RSDT", 1);
    for (int i = 0; i < nent; i++)
        buf_le(b, entries[i], 4);
    table_end(b, t->rsdt_off);
    buf_align(b, 8);
    t->xsdt_off = b->len;
    table_header(b, "XSDT", 1);
    for (int i = 0; i < nent; i++)
        buf_le(b, entries[i], 8);
    table_end(b, t->xsdt_off);

    /* RSDP, revision 2 */
    AcpiBuf *r = &t->rsdp;
    buf_append(r, "RSD PTR ", 8);
    buf_u8(r, 0);
    buf_append(r, "KASOU ", 6);
    buf_u8(r, 2);
    buf_le(r, t->rsdt_off, 4);
    buf_le(r, 36, 4);
    buf_le(r, t->xsdt_off, 8);
    buf_zero(r, 4);
    if (!r->oom) {
        r->data[8] = acpi_checksum(r->data, 20);
        r->data[32] = acpi_checksum(r->data, 36);
    }

    /* the loader script */
    loader_allocate(l, ACPI_RSDP_FILE, 16, ACPI_LOADER_ZONE_FSEG);
    loader_allocate(l, ACPI_TABLES_FILE, 64, ACPI_LOADER_ZONE_HIGH);
    loader_pointer(l, ACPI_TABLES_FILE, ACPI_TABLES_FILE, (uint32_t)f + 36, 4);
    loader_pointer(l, ACPI_TABLES_FILE, ACPI_TABLES_FILE, (uint32_t)f + 40, 4);
    loader_pointer(l, ACPI_TABLES_FILE, ACPI_TABLES_FILE, (uint32_t)f + 140, 8);
    if (!b->oom)
        table_checksum_cmd(t, f);
    for (int i = 0; i < nent; i++) {
        loader_pointer(l, ACPI_TABLES_FILE, ACPI_TABLES_FILE, (uint32_t)(t->rsdt_off + 36 + 4 * i), 4);
        loader_pointer(l, ACPI_TABLES_FILE, ACPI_TABLES_FILE, (uint32_t)(t->xsdt_off + 36 + 8 * i), 8);
    }
    if (!b->oom) {
        table_checksum_cmd(t, t->dsdt_off);
        table_checksum_cmd(t, t->madt_off);
        if (cfg->hpet)
            table_checksum_cmd(t, t->hpet_off);
        table_checksum_cmd(t, t->rsdt_off);
        table_checksum_cmd(t, t->xsdt_off);
    }
    loader_pointer(l, ACPI_RSDP_FILE, ACPI_TABLES_FILE, 16, 4);
    loader_pointer(l, ACPI_RSDP_FILE, ACPI_TABLES_FILE, 24, 8);
    loader_checksum(l, ACPI_RSDP_FILE, 8, 0, 20);
    loader_checksum(l, ACPI_RSDP_FILE, 32, 0, 36);

    if (b->oom || r->oom || l->oom) {
        acpi_tables_free(t);
        return false;
    }
    return true;
}

void acpi_tables_free(AcpiTables *t)
{
    buf_free(&t->tables);
    buf_free(&t->rsdp);
    buf_free(&t->loader);
}

/* ---- running the loader script ---- */

typedef struct LoaderFile {
    const char *name;
    uint8_t *data;
    size_t len;
    uint64_t addr;
} LoaderFile;

static LoaderFile *loader_find(LoaderFile *files, int n, const uint8_t *name)
{
    for (int i = 0; i < n; i++)
        if (!strncmp((const char *)name, files[i].name, ACPI_LOADER_FILE_LEN))
            return &files[i];
    return NULL;
}

bool acpi_loader_run(const AcpiBuf *loader, uint8_t *tables, size_t tables_len,
                     uint64_t tables_addr, uint8_t *rsdp, size_t rsdp_len, uint64_t rsdp_addr)
{
    LoaderFile files[2] = {
        { ACPI_TABLES_FILE, tables, tables_len, tables_addr },
        { ACPI_RSDP_FILE, rsdp, rsdp_len, rsdp_addr },
    };
    if (loader->len % 128)
        return false;
    for (size_t at = 0; at < loader->len; at += 128) {
        const uint8_t *c = loader->data + at;
        switch (get_le(c, 4)) {
        case ACPI_LOADER_ALLOCATE: {
            LoaderFile *fl = loader_find(files, 2, c + 4);
            uint32_t align = (uint32_t)get_le(c + 4 + ACPI_LOADER_FILE_LEN, 4);
            if (!fl || (align && fl->addr % align))
                return false;
            break;
        }
        case ACPI_LOADER_ADD_POINTER: {
            LoaderFile *dst = loader_find(files, 2, c + 4);
            LoaderFile *src = loader_find(files, 2, c + 4 + ACPI_LOADER_FILE_LEN);
            uint32_t off = (uint32_t)get_le(c + 4 + 2 * ACPI_LOADER_FILE_LEN, 4);
            uint8_t size = c[8 + 2 * ACPI_LOADER_FILE_LEN];
            if (!dst || !src || (size != 1 && size != 2 && size != 4 && size != 8) ||
                off > dst->len || size > dst->len - off)
                return false;
            uint64_t v = get_le(dst->data + off, size) + src->addr;
            put_le(dst->data + off, v, size);
            break;
        }
        case ACPI_LOADER_ADD_CHECKSUM: {
            LoaderFile *fl = loader_find(files, 2, c + 4);
            uint32_t off = (uint32_t)get_le(c + 4 + ACPI_LOADER_FILE_LEN, 4);
            uint32_t start = (uint32_t)get_le(c + 8 + ACPI_LOADER_FILE_LEN, 4);
            uint32_t len = (uint32_t)get_le(c + 12 + ACPI_LOADER_FILE_LEN, 4);
            if (!fl || off >= fl->len || start > fl->len || len > fl->len - start)
                return false;
            /* SeaBIOS's rule: subtract the range's sum from the field */
            uint8_t sum = 0;
            for (uint32_t i = 0; i < len; i++)
                sum += fl->data[start + i];
            fl->data[off] -= sum;
            break;
        }
        case 0:
            break;                /* padding */
        default:
            return false;
        }
    }
    return true;
}

bool acpi_tables_install(const AcpiTables *t, AddressSpace *mem, uint64_t tables_addr,
                         uint64_t rsdp_addr)
{
    uint8_t *tb = malloc(t->tables.len), rs[64];
    if (!tb || t->rsdp.len > sizeof(rs)) {
        free(tb);
        return false;
    }
    memcpy(tb, t->tables.data, t->tables.len);
    memcpy(rs, t->rsdp.data, t->rsdp.len);
    bool ok = acpi_loader_run(&t->loader, tb, t->tables.len, tables_addr, rs, t->rsdp.len, rsdp_addr) &&
              address_space_write_rom(mem, tables_addr, tb, t->tables.len) == MEMTX_OK &&
              address_space_write_rom(mem, rsdp_addr, rs, t->rsdp.len) == MEMTX_OK;
    free(tb);
    return ok;
}
