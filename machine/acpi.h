/*
 * ACPI tables for the pc board, built in C: RSDP (revision 2), RSDT, XSDT,
 * FADT (revision 3, PIIX4 PM blocks, reset register), FACS, DSDT (AML:
 * \_S5, \_SB.PCI0 with _CRS and _PRT, the ISA devices), MADT, HPET. They come
 * out as QEMU hands them to firmware: a table blob ("etc/acpi/tables"),
 * the RSDP ("etc/acpi/rsdp") and a linker/loader script
 * ("etc/table-loader") that says where pointers and checksums go once
 * the firmware has placed the two files. acpi_tables_install runs that
 * same script to place them in guest memory itself (a boot without
 * firmware).
 */
#ifndef MACHINE_ACPI_H
#define MACHINE_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "softmmu/memory.h"

typedef struct AcpiConfig {
    uint64_t ram_below_4g;       /* RAM from 0; the PCI window starts above it */
    uint16_t pm_base;            /* PIIX4 PM block (PM1a EVT +0, CNT +4, TMR +8) */
    uint8_t sci_irq;
    uint32_t lapic_addr;
    uint32_t ioapic_addr;
    uint8_t ioapic_id;
    uint8_t reset_value;         /* written to 0xCF9 by the reset register */
    bool com1;                   /* COM1 at 0x3f8, IRQ 4 in the DSDT */
    bool hpet;                   /* an HPET table and \_SB.HPET (PNP0103) */
    uint32_t hpet_addr;
    uint32_t hpet_id;            /* its GCAP_ID low 32 bits (the event timer block ID) */
} AcpiConfig;

typedef struct AcpiBuf {
    uint8_t *data;
    size_t len, cap;
    bool oom;
} AcpiBuf;

typedef struct AcpiTables {
    AcpiBuf tables;              /* etc/acpi/tables */
    AcpiBuf rsdp;                /* etc/acpi/rsdp (36 bytes) */
    AcpiBuf loader;              /* etc/table-loader: 128-byte commands */
    /* where each table is in the blob, for tests */
    size_t facs_off, dsdt_off, dsdt_len, fadt_off, madt_off, hpet_off, rsdt_off, xsdt_off;
} AcpiTables;

#define ACPI_LOADER_FILE_LEN 56
enum { ACPI_LOADER_ALLOCATE = 1, ACPI_LOADER_ADD_POINTER = 2, ACPI_LOADER_ADD_CHECKSUM = 3 };
enum { ACPI_LOADER_ZONE_HIGH = 1, ACPI_LOADER_ZONE_FSEG = 2 };
#define ACPI_TABLES_FILE "etc/acpi/tables"
#define ACPI_RSDP_FILE   "etc/acpi/rsdp"
#define ACPI_LOADER_FILE "etc/table-loader"

/* Build everything; false (tables freed) if memory ran out. */
bool acpi_build(AcpiTables *t, const AcpiConfig *cfg);
void acpi_tables_free(AcpiTables *t);

/* Run the loader script with the tables file at tables_addr and the RSDP
 * at rsdp_addr (16-byte aligned, in 0xE0000-0xFFFFF so an OS scanning for
 * it finds it), writing both into mem. False if the script is bad or the
 * memory is not there. */
bool acpi_tables_install(const AcpiTables *t, AddressSpace *mem, uint64_t tables_addr,
                         uint64_t rsdp_addr);
/* The same on host copies (tables and rsdp are patched in place). */
bool acpi_loader_run(const AcpiBuf *loader, uint8_t *tables, size_t tables_len,
                     uint64_t tables_addr, uint8_t *rsdp, size_t rsdp_len, uint64_t rsdp_addr);

uint8_t acpi_checksum(const uint8_t *p, size_t len);   /* the byte that makes the sum 0 */

/* The tiny AML builder (used by the DSDT, exposed for tests). */
void aml_pkg_length(AcpiBuf *b, size_t body_len);
void aml_name_string(AcpiBuf *b, const char *path);
void aml_integer(AcpiBuf *b, uint64_t v);

#endif
