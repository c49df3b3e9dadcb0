/*
 * The `pc` board: RAM from 0, an x86 CPU, the legacy PC devices (8259 PIC
 * pair, 8254 PIT with port B, MC146818 RTC/CMOS, 8042 keyboard controller
 * with port 0x92, COM1/COM2 16550s), isa-debug-exit at 0xf4 (kasou adds
 * it by default, QEMU does not), port 0x80 (POST codes, ignored), and a
 * multiboot kernel entered in flat 32-bit protected mode with the PIC set
 * up as the BIOS leaves it.
 * Must stay true: this file is memory map and wiring only, each device
 * wired by its own small pc_init_*(); it knows the x86 CPU through
 * frontend/x86/cpu.h and nothing of translation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "devices/i8042.h"
#include "devices/acpi_pm.h"
#include "devices/apic.h"
#include "devices/fw_cfg.h"
#include "devices/hpet.h"
#include "devices/i8254.h"
#include "devices/i8259.h"
#include "devices/ioapic.h"
#include "devices/piix.h"
#include "devices/isa_debug_exit.h"
#include "devices/mc146818rtc.h"
#include "devices/uart16550.h"
#include "frontend/x86/cpu.h"
#include "machine/acpi.h"
#include "machine/board.h"
#include "machine/fw_cfg_linux.h"
#include "machine/linux.h"
#include "machine/multiboot.h"
#include "softmmu/tlb.h"

#define PC_COM1_BASE 0x3f8
#define PC_COM1_IRQ  4
#define PC_COM2_BASE 0x2f8
#define PC_COM2_IRQ  3
#define PC_POST_PORT 0x80

typedef struct PCBoard {
    X86CPU *cpu;
    I8259 pic;
    I8254 pit;
    MC146818 rtc;
    I8042 kbc;
    uint8_t port92;          /* System Control Port A: bit 1 A20, bit 0 reset */
    UART16550 com1;
    bool has_com1;
    UART16550 com2;
    ISADebugExit debug_exit;
    bool has_debug_exit;
    /* interrupt routing above the PIC, the chipset, firmware interfaces */
    APICState apic;
    IOAPICState ioapic;
    PCIHost pci;
    PCIFunction i440fx, piix3, piix4_pm;
    ACPIPM acpi_pm;
    FWCfg fw_cfg;
    AcpiTables acpi;
    bool has_acpi;
    HPETState hpet;
    I440FXPam pam;           /* -bios: shadow RAM of 0xC0000-0xFFFFF */
} PCBoard;

/* Unassigned ports read as all ones and ignore writes, as on a real ISA
 * bus; -d trap (the CPU's port I/O) names the region "unassigned" so a
 * guest probing for hardware kasou lacks is visible. Port 0x80 (POST
 * progress codes) is its own silent region. */
static uint64_t pc_unassigned_read(void *opaque, uint64_t addr, unsigned size)
{
    return ~0ull >> (64 - 8 * size);
}

static void pc_unassigned_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps pc_unassigned_ops = {
    .read = pc_unassigned_read,
    .write = pc_unassigned_write,
    .min_access = 1,
    .max_access = 4,
};

static uint64_t pc_post_read(void *opaque, uint64_t addr, unsigned size)
{
    return ~0ull >> (64 - 8 * size);
}

static void pc_post_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps pc_post_ops = {
    .read = pc_post_read,
    .write = pc_post_write,
    .min_access = 1,
    .max_access = 4,
};

static void pc_ioapic_isa_irq(PCBoard *pc, int n, int level);

/* An ISA IRQ line (0-15) changed: every interrupt controller sees it. */
static void pc_isa_set_irq(void *opaque, int n, int level)
{
    Machine *m = opaque;
    PCBoard *pc = m->board_state;
    i8259_set_irq(&pc->pic, n, level);
    pc_ioapic_isa_irq(pc, n, level);
}

/* The PIC's INTR output is the CPU's INTR pin. */
static void pc_cpu_intr(void *opaque, int n, int level)
{
    x86_cpu_set_irq_level(opaque, level);
}

/* The CPU's FERR# (an x87 exception with CR0.NE = 0) is ISA IRQ 13, as on
 * the PC/AT; a write to port 0xF0 clears that IRQ and asserts IGNNE# until
 * FERR# goes away (the CPU's FSW.ES clears), as the PIIX chipsets do. */
#define PC_FERR_IRQ 13
#define PC_IGNNE_PORT 0xf0

static void pc_cpu_ferr(void *opaque, int level)
{
    Machine *m = opaque;
    PCBoard *pc = m->board_state;
    if (level)
        pc_isa_set_irq(m, PC_FERR_IRQ, 1);
    else
        pc->cpu->ignne = false;
}

static uint64_t pc_ignne_read(void *opaque, uint64_t addr, unsigned size)
{
    return ~0ull >> (64 - 8 * size);
}

static void pc_ignne_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Machine *m = opaque;
    PCBoard *pc = m->board_state;
    pc_isa_set_irq(m, PC_FERR_IRQ, 0);
    if (pc->cpu->ferr)
        pc->cpu->ignne = true;
}

static const MemoryRegionOps pc_ignne_ops = {
    .read = pc_ignne_read,
    .write = pc_ignne_write,
    .min_access = 1,
    .max_access = 1,
};

static bool pc_init_pic(Machine *m, PCBoard *pc)
{
    i8259_init(&pc->pic);
    irq_connect(&pc->pic.intr, pc_cpu_intr, pc->cpu, 0);
    pc->cpu->get_pic_interrupt = i8259_ack;
    pc->cpu->pic_opaque = &pc->pic;
    pc->cpu->set_ferr = pc_cpu_ferr;
    pc->cpu->ferr_opaque = m;
    if (!memory_region_add_mmio(m->io, "ferr-ignne", PC_IGNNE_PORT, 1, &pc_ignne_ops, m, 0))
        return false;
    machine_add_device(m, &pc->pic.dev);
    return i8259_map(&pc->pic, m->io);
}

static void pc_debug_exit_request(void *opaque, int status)
{
    machine_request_exit(opaque, status);
}

static size_t pc_com1_can_receive(void *opaque)
{
    return uart16550_can_receive(opaque);
}

static void pc_com1_receive(void *opaque, const uint8_t *buf, size_t len)
{
    uart16550_receive(opaque, buf, len);
}

/* The PIT: channel 0 on ISA IRQ 0, its clock the machine's. */
static bool pc_init_pit(Machine *m, PCBoard *pc)
{
    i8254_init(&pc->pit, &m->timers);
    irq_connect(&pc->pit.irq0, pc_isa_set_irq, m, 0);
    machine_add_device(m, &pc->pit.dev);
    return i8254_map(&pc->pit, m->io);
}

/* When the RTC starts (-rtc base=): ns since the epoch of the time its
 * registers show at clock 0. */
static int64_t pc_rtc_start_ns(const KasouOptions *o)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now = (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
    switch (o->rtc_base) {
    case RTC_BASE_LOCALTIME: {
        struct tm tm;
        time_t t = ts.tv_sec;
        localtime_r(&t, &tm);
        return now + (int64_t)tm.tm_gmtoff * NS_PER_SEC;
    }
    case RTC_BASE_DATE:
        return o->rtc_date * NS_PER_SEC;
    default:
        return now;
    }
}

/* The CMOS bytes the PC BIOS (SeaBIOS) and Linux read, as QEMU fills them:
 * base memory 0x15-0x16, memory above 1 MiB in KiB 0x17-0x18 and 0x30-0x31,
 * above 16 MiB in 64 KiB units 0x34-0x35, above 4 GiB 0x5b-0x5d, equipment
 * 0x14 (FPU, VGA-class display, no floppy), boot order 0x3d/0x38 (disk,
 * floppy, CD as QEMU's default), CPUs - 1 at 0x5f, and the checksum
 * 0x2e-0x2f of 0x10-0x2d. */
static void pc_cmos_init(PCBoard *pc, uint64_t ram_size)
{
    MC146818 *r = &pc->rtc;
    uint64_t below_4g = ram_size < 0xe0000000ull ? ram_size : 0xe0000000ull;
    uint64_t above_4g = ram_size - below_4g;
    uint64_t ext_kb = below_4g > (1u << 20) ? (below_4g - (1u << 20)) / 1024 : 0;
    uint64_t above_16m = below_4g > (16u << 20) ? (below_4g - (16u << 20)) / 65536 : 0;
    if (ext_kb > 0xffff)
        ext_kb = 0xffff;
    if (above_16m > 0xffff)
        above_16m = 0xffff;
    above_4g /= 65536;

    mc146818_cmos_set(r, 0x10, 0x00);
    mc146818_cmos_set(r, 0x14, 0x02);
    mc146818_cmos_set(r, 0x15, 640 & 0xff);
    mc146818_cmos_set(r, 0x16, 640 >> 8);
    mc146818_cmos_set(r, 0x17, (uint8_t)ext_kb);
    mc146818_cmos_set(r, 0x18, (uint8_t)(ext_kb >> 8));
    mc146818_cmos_set(r, 0x30, (uint8_t)ext_kb);
    mc146818_cmos_set(r, 0x31, (uint8_t)(ext_kb >> 8));
    mc146818_cmos_set(r, 0x34, (uint8_t)above_16m);
    mc146818_cmos_set(r, 0x35, (uint8_t)(above_16m >> 8));
    mc146818_cmos_set(r, 0x5b, (uint8_t)above_4g);
    mc146818_cmos_set(r, 0x5c, (uint8_t)(above_4g >> 8));
    mc146818_cmos_set(r, 0x5d, (uint8_t)(above_4g >> 16));
    mc146818_cmos_set(r, 0x3d, 0x12);
    mc146818_cmos_set(r, 0x38, 0x30);
    mc146818_cmos_set(r, 0x5f, 0);
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2d; i++)
        sum += mc146818_cmos_get(r, i);
    mc146818_cmos_set(r, 0x2e, (uint8_t)(sum >> 8));
    mc146818_cmos_set(r, 0x2f, (uint8_t)sum);
}

/* The RTC on ISA IRQ 8, its CMOS filled for this machine. */
static bool pc_init_rtc(Machine *m, PCBoard *pc)
{
    mc146818_init(&pc->rtc, &m->timers, pc_rtc_start_ns(m->opts));
    irq_connect(&pc->rtc.irq, pc_isa_set_irq, m, 8);
    pc_cmos_init(pc, m->opts->ram_size);
    machine_add_device(m, &pc->rtc.dev);
    return mc146818_map(&pc->rtc, m->io);
}

/* The A20 gate (keyboard controller output port or port 0x92): address
 * bit 20 of every CPU access forced to 0 while it is off. */
static void pc_set_a20(void *opaque, bool enabled)
{
    Machine *m = opaque;
    PCBoard *pc = m->board_state;
    uint64_t mask = enabled ? ~0ull : ~(1ull << 20);
    if (pc->cpu->a20_mask != mask) {
        pc->cpu->a20_mask = mask;
        tlb_flush(m->cpu);         /* the TLB holds translations made with the old gate */
    }
}

static void pc_reset_line(void *opaque)
{
    machine_request_reset(opaque);
}

/* System Control Port A (0x92, "fast A20"): bit 1 the A20 gate, a 0->1
 * write of bit 0 resets the CPU. */
static uint64_t pc_port92_read(void *opaque, uint64_t addr, unsigned size)
{
    Machine *m = opaque;
    PCBoard *pc = m->board_state;
    return (pc->port92 & ~3u) | ((pc->cpu->a20_mask >> 20) & 1 ? 2 : 0);
}

static void pc_port92_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Machine *m = opaque;
    PCBoard *pc = m->board_state;
    uint8_t old = pc->port92;
    pc->port92 = (uint8_t)val & ~1u;
    pc_set_a20(m, val & 2);
    if ((val & 1) && !(old & 1))
        machine_request_reset(m);
}

static const char *pc_port92_name(void *opaque, uint64_t addr, bool is_write)
{
    return "System Control Port A (A20, fast reset)";
}

static const MemoryRegionOps pc_port92_ops = {
    .read = pc_port92_read, .write = pc_port92_write, .min_access = 1, .max_access = 1,
    .reg_name = pc_port92_name,
};

/* The keyboard controller on IRQ 1 and 12, its output port driving A20
 * and the reset line; port 0x92 beside it. */
static bool pc_init_kbc(Machine *m, PCBoard *pc)
{
    i8042_init(&pc->kbc, (I8042Board){ pc_set_a20, pc_reset_line, m });
    irq_connect(&pc->kbc.irq1, pc_isa_set_irq, m, 1);
    irq_connect(&pc->kbc.irq12, pc_isa_set_irq, m, 12);
    machine_add_device(m, &pc->kbc.dev);
    return i8042_map(&pc->kbc, m->io) &&
           memory_region_add_mmio(m->io, "port92", 0x92, 1, &pc_port92_ops, m, 0);
}

/* ---- local APIC, IOAPIC, PCI, ACPI, fw_cfg ----
 * Interrupts: ISA IRQ n reaches the PIC's input n and IOAPIC pin n (IRQ 0:
 * pin 2, the MADT's override); the PIC's INTR goes to the local APIC's
 * LINT0 (ExtINT), the APIC drives the CPU's INTR and NMI and acknowledges
 * for it. The PIIX4's SCI is ISA IRQ 9; 0xCF9 resets; S5 powers off. */

#define PC_IOAPIC_BASE   0xfec00000u
#define PC_SCI_IRQ       9
#define PC_CPUID_APIC    (1u << 9)      /* CPUID.1:EDX.APIC: the board has one */
/* without firmware the board installs the ACPI tables itself, in the BIOS
 * segment (0xF0000-0xFFFFF) that every memory map reserves (multiboot's
 * and the Linux loader's e820), where an OS scanning for the RSDP finds
 * it */
#define PC_ACPI_RSDP_ADDR   0xf0000u
#define PC_ACPI_TABLES_ADDR 0xf0040u
#define PC_ACPI_AREA_END    0x100000u

static void pc_ioapic_isa_irq(PCBoard *pc, int n, int level)
{
    ioapic_set_irq(&pc->ioapic, n == 0 ? 2 : n, level);
}

static void pc_apic_set_intr(void *opaque, int level)
{
    x86_cpu_set_irq_level(opaque, level);
}

static void pc_apic_nmi(void *opaque)
{
    cpu_interrupt(env_cpu(opaque), CPU_INTERRUPT_NMI);
}

static void pc_pic_to_lint0(void *opaque, int n, int level)
{
    apic_set_lint0(opaque, level);
}

static int pc_apic_ack(void *opaque)
{
    return apic_get_interrupt(opaque);
}

static void pc_apic_eoi(void *opaque, int vector)
{
    ioapic_eoi(opaque, vector);
}

static void pc_ioapic_deliver(void *opaque, uint8_t dest, int logical, int mode, uint8_t vector,
                              int level)
{
    apic_deliver(opaque, dest, logical, mode, vector, level);
}

static void pc_cr8_write(void *opaque, uint8_t v)
{
    apic_set_tpr_cr8(opaque, v);
}

static uint8_t pc_cr8_read(void *opaque)
{
    return apic_get_tpr_cr8(opaque);
}

static void pc_apic_base_write(void *opaque, uint64_t v)
{
    apic_set_base(opaque, v);
}

/* the APIC page moved: translations of the old and new pages are stale */
static void pc_apic_remapped(void *opaque, uint64_t base)
{
    tlb_flush(opaque);
}

static bool pc_init_apic(Machine *m, PCBoard *pc)
{
    APICState *a = &pc->apic;
    apic_init(a, &m->timers, 0);
    a->set_intr = pc_apic_set_intr;
    a->raise_nmi = pc_apic_nmi;
    a->cpu_opaque = pc->cpu;
    a->pic_ack = i8259_ack;
    a->pic = &pc->pic;
    a->eoi_broadcast = pc_apic_eoi;
    a->eoi_opaque = &pc->ioapic;
    a->remap = pc_apic_remapped;
    a->remap_opaque = m->cpu;
    ioapic_init(&pc->ioapic, 0);
    pc->ioapic.deliver = pc_ioapic_deliver;
    pc->ioapic.deliver_opaque = a;
    /* the PIC now reaches the CPU through LINT0, and the APIC acknowledges */
    irq_connect(&pc->pic.intr, pc_pic_to_lint0, a, 0);
    pc->cpu->get_pic_interrupt = pc_apic_ack;
    pc->cpu->pic_opaque = a;
    pc->cpu->apic_set_tpr = pc_cr8_write;
    pc->cpu->apic_get_tpr = pc_cr8_read;
    pc->cpu->apic_set_base = pc_apic_base_write;
    pc->cpu->apic_opaque = a;
    pc->cpu->cpuid_features |= PC_CPUID_APIC;
    machine_add_device(m, &a->dev);
    machine_add_device(m, &pc->ioapic.dev);
    return apic_map(a, m->mem) && ioapic_map(&pc->ioapic, m->mem, PC_IOAPIC_BASE);
}

/* 0xCF9 (and the FADT's reset register): a system reset. The run loop
 * resets the machine on EXCP_SHUTDOWN (or ends the run under -no-reboot,
 * as QEMU does for a guest reset). Only guest port I/O gets here, inside
 * the CPU loop. */
static void pc_reset_request(void *opaque)
{
    Machine *m = opaque;
    if (cpu_log_enabled(m->cpu, LOG_INT))
        cpu_log(m->cpu, "int: reset requested through port 0xcf9\n");
    m->cpu->exception_index = EXCP_SHUTDOWN;
    cpu_loop_exit(m->cpu);
}

/* SLP_EN: S5 (SLP_TYP 0, the DSDT's \_S5) is power off: kasou ends with
 * status 0. No other sleep state is offered. */
static void pc_acpi_sleep(void *opaque, int slp_typ)
{
    Machine *m = opaque;
    if (slp_typ == 0) {
        machine_request_exit(m, 0);
        return;
    }
    if (cpu_log_enabled(m->cpu, LOG_INT))
        cpu_log(m->cpu, "int: ACPI sleep type %d requested: not offered, ignored\n", slp_typ);
}

/* PCI bus 0: 00.0 i440FX, 01.0 PIIX3, 01.3 PIIX4 PM with the ACPI block */
static bool pc_init_pci(Machine *m, PCBoard *pc)
{
    pci_host_init(&pc->pci);
    pc->pci.reset_request = pc_reset_request;
    pc->pci.reset_opaque = m;
    i440fx_init(&pc->i440fx, m->opts->ram_size);
    piix3_init(&pc->piix3);
    acpi_pm_init(&pc->acpi_pm, &m->timers, m->io);
    irq_connect(&pc->acpi_pm.sci, pc_isa_set_irq, m, PC_SCI_IRQ);
    pc->acpi_pm.sleep = pc_acpi_sleep;
    pc->acpi_pm.sleep_opaque = m;
    piix4_pm_init(&pc->piix4_pm, &pc->acpi_pm, pc->has_com1, false);
    pci_host_plug(&pc->pci, I440FX_DEVFN, &pc->i440fx);
    pci_host_plug(&pc->pci, PIIX3_DEVFN, &pc->piix3);
    pci_host_plug(&pc->pci, PIIX4_PM_DEVFN, &pc->piix4_pm);
    machine_add_device(m, &pc->pci.dev);
    machine_add_device(m, &pc->acpi_pm.dev);
    return pci_host_map(&pc->pci, m->io);
}

/* The HPET at 0xFED00000: routed timers on IOAPIC pins; in legacy
 * replacement mode timers 0/1 take ISA IRQ 0/8 from the PIT and the RTC
 * (as QEMU gates them). */
static void pc_legacy_irq_gated(void *opaque, int n, int level)
{
    Machine *m = opaque;
    PCBoard *pc = m->board_state;
    if (!hpet_legacy_mode(&pc->hpet))
        pc_isa_set_irq(m, n, level);
}

static bool pc_init_hpet(Machine *m, PCBoard *pc)
{
    hpet_init(&pc->hpet, &m->timers);
    irq_connect(&pc->hpet.legacy_irq[0], pc_isa_set_irq, m, 0);
    irq_connect(&pc->hpet.legacy_irq[1], pc_isa_set_irq, m, 8);
    for (int i = 0; i < 24; i++)
        irq_connect(&pc->hpet.gsi[i], ioapic_set_irq, &pc->ioapic, i);
    irq_connect(&pc->pit.irq0, pc_legacy_irq_gated, m, 0);
    irq_connect(&pc->rtc.irq, pc_legacy_irq_gated, m, 8);
    machine_add_device(m, &pc->hpet.dev);
    return hpet_map(&pc->hpet, m->mem, HPET_BASE) != NULL;
}

/* fw_cfg with QEMU's standard items and the ACPI tables + loader script */
static bool pc_init_fw_cfg(Machine *m, PCBoard *pc)
{
    FWCfg *f = &pc->fw_cfg;
    uint64_t ram = m->opts->ram_size;
    uint64_t below_4g = ram < 0xe0000000ull ? ram : 0xe0000000ull;
    fw_cfg_init(f, m->mem);
    bool ok = fw_cfg_add_i64(f, FW_CFG_RAM_SIZE, ram) && fw_cfg_add_i16(f, FW_CFG_NB_CPUS, 1) &&
              fw_cfg_add_i16(f, FW_CFG_MAX_CPUS, 1) &&
              fw_cfg_add_i16(f, FW_CFG_NOGRAPHIC, m->opts->nographic ? 1 : 0) &&
              fw_cfg_add_i32(f, FW_CFG_IRQ0_OVERRIDE, 1);
    /* etc/e820: {u64 address, u64 length, u32 type}, RAM only, as QEMU */
    uint8_t e820[2][20];
    int n = 0;
    uint64_t ranges[2][2] = { { 0, below_4g }, { 1ull << 32, ram - below_4g } };
    for (int i = 0; i < 2; i++) {
        if (!ranges[i][1])
            continue;
        for (int b = 0; b < 8; b++) {
            e820[n][b] = (uint8_t)(ranges[i][0] >> (8 * b));
            e820[n][8 + b] = (uint8_t)(ranges[i][1] >> (8 * b));
        }
        e820[n][16] = 1;
        e820[n][17] = e820[n][18] = e820[n][19] = 0;
        n++;
    }
    ok = ok && fw_cfg_add_file(f, "etc/e820", e820, (size_t)n * 20) >= 0;
    AcpiConfig cfg = {
        .ram_below_4g = below_4g, .pm_base = PIIX4_PM_DEFAULT_BASE, .sci_irq = PC_SCI_IRQ,
        .lapic_addr = APIC_DEFAULT_BASE, .ioapic_addr = PC_IOAPIC_BASE, .ioapic_id = 0,
        .reset_value = 0x06, .com1 = pc->has_com1,
        .hpet = true, .hpet_addr = HPET_BASE, .hpet_id = HPET_GCAP_ID_LOW,
    };
    pc->has_acpi = acpi_build(&pc->acpi, &cfg);
    ok = ok && pc->has_acpi &&
         fw_cfg_add_file(f, ACPI_RSDP_FILE, pc->acpi.rsdp.data, pc->acpi.rsdp.len) >= 0 &&
         fw_cfg_add_file(f, ACPI_TABLES_FILE, pc->acpi.tables.data, pc->acpi.tables.len) >= 0 &&
         fw_cfg_add_file(f, ACPI_LOADER_FILE, pc->acpi.loader.data, pc->acpi.loader.len) >= 0;
    machine_add_device(m, &f->dev);
    return ok && fw_cfg_map(f, m->io);
}

/* Booting without firmware, the board leaves what SeaBIOS would: the PM
 * block at 0x600 and enabled, the SCI line 9, PIRQA-D on IRQ 10/10/11/11
 * (level in the ELCR), the chipset's command registers, the APIC in
 * virtual wire mode (SVR enabled, LINT0 ExtINT, LINT1 NMI), and the ACPI
 * tables in the BIOS area. */
static bool pc_firmware_setup(Machine *m, PCBoard *pc)
{
    PCIHost *h = &pc->pci;
    pci_config_write(h, PIIX4_PM_DEVFN, PIIX4_PMBA, PIIX4_PM_DEFAULT_BASE, 4);
    pci_config_write(h, PIIX4_PM_DEVFN, PIIX4_PMREGMISC, 1, 1);
    pci_config_write(h, PIIX4_PM_DEVFN, PCI_INTERRUPT_LINE, PC_SCI_IRQ, 1);
    pci_config_write(h, PIIX3_DEVFN, PIIX3_PIRQC, 0x0b0b0a0a, 4);
    static const int devfns[] = { I440FX_DEVFN, PIIX3_DEVFN, PIIX4_PM_DEVFN };
    for (int i = 0; i < 3; i++)
        pci_config_write(h, devfns[i], PCI_COMMAND, 0x0103, 2);
    address_space_stn(m->io, 0x4d1, 0x0c, 1, NULL);     /* ELCR: IRQ 10, 11 level */
    apic_reg_write(&pc->apic, 0xf0, 0x1ff);
    apic_reg_write(&pc->apic, 0x350, 0x8700);
    apic_reg_write(&pc->apic, 0x360, 0x8400);
    pc->cpu->msr_apicbase = apic_get_base(&pc->apic);
    if (!pc->has_acpi)
        return true;
    if (PC_ACPI_TABLES_ADDR + pc->acpi.tables.len > PC_ACPI_AREA_END ||
        !acpi_tables_install(&pc->acpi, m->mem, PC_ACPI_TABLES_ADDR, PC_ACPI_RSDP_ADDR)) {
        kasou_error("cannot install the ACPI tables in the BIOS area");
        return false;
    }
    return true;
}

/* COM2 at 0x2f8 on IRQ 3; nothing is connected to it (output dropped,
 * no input), since -serial names COM1 only. */
static bool pc_init_com2(Machine *m, PCBoard *pc)
{
    uart16550_init(&pc->com2, (UART16550Backend){ NULL, NULL, NULL });
    uart16550_set_clock(&pc->com2, &m->timers);
    irq_connect(&pc->com2.irq, pc_isa_set_irq, m, PC_COM2_IRQ);
    machine_add_device(m, &pc->com2.dev);
    return uart16550_map(&pc->com2, m->io, PC_COM2_BASE) != NULL;
}

/* ---- -bios: firmware started at the reset vector ---- */

#define PC_BIOS_MAX_SIZE  (16u << 20)       /* the flash window below 4 GiB */
#define PC_ISA_BIOS_SIZE  0x20000u          /* the image's tail seen below 1 MiB */
#define PC_OPTION_ROM_BASE 0xc0000u
/* QEMU's linuxboot option ROM (package qemu-system-data): firmware runs it
 * from fw_cfg to load the -kernel given through fw_cfg */
#define PC_LINUXBOOT_ROM  "/usr/share/qemu/linuxboot_dma.bin"

/* The whole of a file into a malloc'ed buffer: NULL with errno set (EFBIG
 * past max). */
static uint8_t *pc_read_file(const char *path, size_t max, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    uint8_t *buf = NULL;
    long size = -1;
    if (fseek(fp, 0, SEEK_END) == 0)
        size = ftell(fp);
    if (size < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        errno = EIO;
        return NULL;
    }
    if ((unsigned long)size > max) {
        fclose(fp);
        errno = EFBIG;
        return NULL;
    }
    buf = malloc(size ? (size_t)size : 1);
    if (!buf || fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        int e = buf ? EIO : ENOMEM;
        free(buf);
        fclose(fp);
        errno = e;
        return NULL;
    }
    fclose(fp);
    *len = (size_t)size;
    return buf;
}

/* After a PAM change: no TLB entry or translation may use the old view */
static void pc_pam_changed(void *opaque)
{
    Machine *m = opaque;
    tlb_flush(m->cpu);
    tb_invalidate_phys_range(m->cpu, PC_OPTION_ROM_BASE, 0x100000);
}

/* The image ends at 4 GiB; its last 128 KiB (all of it if smaller) also
 * appear at the top of the first MiB through the i440FX's PAM, over
 * shadow RAM, with the option-ROM area 0xC0000 below it (ROM, empty).
 * As QEMU, the size must be a non-zero multiple of 64 KiB. */
static bool pc_init_bios(Machine *m, PCBoard *pc)
{
    const char *path = m->opts->bios;
    size_t len = 0;
    uint8_t *img = pc_read_file(path, PC_BIOS_MAX_SIZE, &len);
    if (!img) {
        if (errno == EFBIG)
            kasou_error("-bios %s: larger than %u MiB", path, PC_BIOS_MAX_SIZE >> 20);
        else
            kasou_error("-bios %s: %s", path, strerror(errno));
        return false;
    }
    if (len == 0 || len % 0x10000) {
        kasou_error("-bios %s: %zu bytes, not a non-zero multiple of 64 KiB", path, len);
        free(img);
        return false;
    }
    uint64_t base = (1ull << 32) - len;
    uint32_t isa_size = len < PC_ISA_BIOS_SIZE ? (uint32_t)len : PC_ISA_BIOS_SIZE;
    MemoryRegion *ram = address_space_lookup(m->mem, 0);
    MemoryRegion *rom = memory_region_add_rom(m->mem, "pc.bios", base, len);
    MemoryRegion *opt = memory_region_add_rom(m->mem, "pc.rom", PC_OPTION_ROM_BASE,
                                              0x100000 - PC_OPTION_ROM_BASE - isa_size);
    /* pc.rom is only the PAM's ROM side: under RAM unless a view shows it */
    bool ok = ram && rom && opt && memory_region_set_priority(m->mem, opt, -20) &&
              address_space_write_rom(m->mem, base, img, len) == MEMTX_OK &&
              i440fx_pam_init(&pc->i440fx, &pc->pam, m->mem, ram, opt, rom, len - isa_size,
                              0x100000 - isa_size);
    free(img);
    if (!ok) {
        kasou_error("-bios %s: cannot map the firmware (out of memory, or -m below 1 MiB)", path);
        return false;
    }
    pc->pam.changed = pc_pam_changed;
    pc->pam.changed_opaque = m;
    return true;
}

/* fw_cfg items only a firmware reads: the serial console it should use
 * (-nographic: SeaBIOS's "sercon" draws its screen on COM1, as under
 * QEMU), and -kernel/-initrd/-append for its linuxboot path. */
static bool pc_bios_fw_cfg(Machine *m, PCBoard *pc)
{
    const KasouOptions *o = m->opts;
    FWCfg *f = &pc->fw_cfg;
    if (o->nographic && pc->has_com1) {
        uint8_t port[2] = { PC_COM1_BASE & 0xff, PC_COM1_BASE >> 8 };
        if (fw_cfg_add_file(f, "etc/sercon-port", port, sizeof(port)) < 0) {
            kasou_error("fw_cfg directory full");
            return false;
        }
    }
    if (!o->kernel)
        return true;
    size_t klen = 0, ilen = 0, rlen = 0;
    uint8_t *kernel = pc_read_file(o->kernel, 1u << 30, &klen);
    if (!kernel) {
        kasou_error("-kernel %s: %s", o->kernel, strerror(errno));
        return false;
    }
    uint8_t *initrd = NULL;
    if (o->initrd && !(initrd = pc_read_file(o->initrd, 1u << 30, &ilen))) {
        kasou_error("-initrd %s: %s", o->initrd, strerror(errno));
        free(kernel);
        return false;
    }
    uint8_t *optrom = pc_read_file(PC_LINUXBOOT_ROM, 1u << 16, &rlen);
    uint64_t below_4g = o->ram_size < 0xe0000000ull ? o->ram_size : 0xe0000000ull;
    const char *err = !optrom ? "cannot read QEMU's linuxboot option ROM " PC_LINUXBOOT_ROM
                              " (package qemu-system-data)"
                              : fw_cfg_add_linux(f, kernel, klen, initrd, ilen, o->append ? o->append : "",
                                                 below_4g);
    if (!err && fw_cfg_add_file(f, "genroms/linuxboot_dma.bin", optrom, rlen) < 0)
        err = "fw_cfg directory full";
    free(kernel);
    free(initrd);
    free(optrom);
    if (err) {
        kasou_error("-kernel %s with -bios: %s", o->kernel, err);
        return false;
    }
    return true;
}

/* Power-on and every reset with firmware: the CPU at F000:FFF0, the gate
 * A20 on (port 0x92 cleared), the rest as the devices' reset left them. */
static int pc_load_firmware(Machine *m)
{
    PCBoard *pc = m->board_state;
    x86_cpu_reset(pc->cpu);
    pc->port92 = 0;
    return 0;
}

static int pc_load(Machine *m)
{
    PCBoard *pc = m->board_state;
    const KasouOptions *o = m->opts;
    /* a Linux bzImage ("HdrS" at 0x202) or else a multiboot kernel, as QEMU decides */
    if (o->bios)
        return pc_load_firmware(m);
    bool is_linux = linux_is_bzimage(o->kernel);
    LinuxBoot lb;
    MultibootBoot boot;

    if (is_linux) {
        LinuxLoadParams lp = { .ram_size = o->ram_size, .kernel = o->kernel,
                               .append = o->append, .initrd = o->initrd,
                               .long_mode = linux_cpu_has_long_mode(pc->cpu),
                               .acpi_rsdp_addr = PC_ACPI_RSDP_ADDR };
        if (linux_load(m->mem, &lp, &lb) < 0)
            return -1;
    } else if (multiboot_load(m->mem, o->ram_size, o->kernel, o->append, o->initrd, &boot) < 0) {
        return -1;
    }
    x86_cpu_reset(pc->cpu);
    pc->port92 = 0;
    /* no firmware: leave the PIC as the PC BIOS does (timer, keyboard,
     * cascade and RTC unmasked), and the chipset and ACPI tables as
     * firmware would have set them up */
    i8259_bios_init(&pc->pic, 1u << 0 | 1u << 1 | 1u << 8);
    if (!pc_firmware_setup(m, pc))
        return -1;
    if (is_linux)
        linux_enter(pc->cpu, &lb);
    else
        x86_cpu_set_flat32(pc->cpu, boot.entry, MULTIBOOT_BOOTLOADER_MAGIC, boot.mbi_addr);
    return 0;
}

static int pc_init(Machine *m)
{
    const KasouOptions *o = m->opts;
    PCBoard *pc = calloc(1, sizeof(*pc));

    if (!pc) {
        kasou_error("out of memory");
        return -1;
    }
    m->board_state = pc;
    if (!o->kernel && !o->bios) {
        kasou_error("no -kernel given (and no -bios firmware to start: give a kernel or a firmware image)");
        return -1;
    }
    m->mem = address_space_new("memory");
    m->io = address_space_new("io");
    if (!m->mem || !m->io || !memory_region_add_ram(m->mem, "pc.ram", 0, o->ram_size)) {
        kasou_error("cannot allocate %llu MiB of guest RAM", (unsigned long long)(o->ram_size >> 20));
        return -1;
    }

    pc->cpu = x86_cpu_new(m->mem, m->io, o->cpu_model);
    if (!pc->cpu) {
        kasou_error("cannot create CPU '%s' (not implemented by the x86 frontend yet; try -cpu qemu32 or max)",
                    o->cpu_model);
        return -1;
    }
    m->cpu = env_cpu(pc->cpu);
    m->cpu->machine = m;

    /* the whole 64 KiB port space answers, devices override it */
    if (!memory_region_add_mmio(m->io, "unassigned", 0, 0x10000, &pc_unassigned_ops, m, -1) ||
        !memory_region_add_mmio(m->io, "post", PC_POST_PORT, 1, &pc_post_ops, m, 0)) {
        kasou_error("cannot map the port I/O space");
        return -1;
    }
    if (!pc_init_pic(m, pc)) {
        kasou_error("cannot map the PIC");
        return -1;
    }
    if (!pc_init_pit(m, pc)) {
        kasou_error("cannot map the PIT");
        return -1;
    }
    if (!pc_init_rtc(m, pc)) {
        kasou_error("cannot map the RTC");
        return -1;
    }
    if (!pc_init_kbc(m, pc)) {
        kasou_error("cannot map the keyboard controller");
        return -1;
    }
    if (o->serial != SERIAL_NONE && !(o->nodefaults && o->serial == SERIAL_DEFAULT)) {
        uart16550_init(&pc->com1, (UART16550Backend){ machine_serial_write, m, machine_console_ready });
        uart16550_set_clock(&pc->com1, &m->timers);
        irq_connect(&pc->com1.irq, pc_isa_set_irq, m, PC_COM1_IRQ);
        if (!uart16550_map(&pc->com1, m->io, PC_COM1_BASE)) {
            kasou_error("cannot map COM1");
            return -1;
        }
        pc->has_com1 = true;
        machine_add_device(m, &pc->com1.dev);
        m->console_in = (ConsoleInput){ pc_com1_can_receive, pc_com1_receive, &pc->com1 };
    }
    if (!o->nodefaults && !pc_init_com2(m, pc)) {
        kasou_error("cannot map COM2");
        return -1;
    }
    if (o->debug_exit_given || !o->nodefaults) {
        isa_debug_exit_init(&pc->debug_exit, o->debug_exit_iobase, o->debug_exit_iosize,
                            pc_debug_exit_request, m);
        if ((uint32_t)o->debug_exit_iobase + o->debug_exit_iosize > 0x10000 ||
            !isa_debug_exit_map(&pc->debug_exit, m->io)) {
            kasou_error("-device isa-debug-exit: cannot map ports 0x%x-0x%x", o->debug_exit_iobase,
                        o->debug_exit_iobase + o->debug_exit_iosize - 1);
            return -1;
        }
        pc->has_debug_exit = true;
        machine_add_device(m, &pc->debug_exit.dev);
    }
    if (!pc_init_apic(m, pc)) {
        kasou_error("cannot map the local APIC and IOAPIC");
        return -1;
    }
    if (!pc_init_pci(m, pc)) {
        kasou_error("cannot map the PCI host bridge");
        return -1;
    }
    if (!pc_init_hpet(m, pc)) {
        kasou_error("cannot map the HPET");
        return -1;
    }
    if (!pc_init_fw_cfg(m, pc)) {
        kasou_error("cannot build fw_cfg and the ACPI tables");
        return -1;
    }
    if (o->bios && (!pc_init_bios(m, pc) || !pc_bios_fw_cfg(m, pc)))
        return -1;
    return pc_load(m);
}

/* System reset: devices to power-on state, the kernel loaded afresh (there
 * is no firmware to do it), every translation dropped. */
static int pc_reset(Machine *m)
{
    for (int i = 0; i < m->nb_devices; i++)
        device_reset(m->devices[i]);
    tb_flush(m->cpu);
    return pc_load(m);
}

static const char *pc_halt_is_final(Machine *m)
{
    PCBoard *pc = m->board_state;
    /* no NMI source exists, so only a maskable interrupt could wake it */
    if (!(pc->cpu->eflags & IF_MASK))
        return "guest halted with interrupts disabled";
    return NULL;
}

static void pc_free(Machine *m)
{
    PCBoard *pc = m->board_state;
    if (pc) {
        fw_cfg_free(&pc->fw_cfg);
        acpi_tables_free(&pc->acpi);
    }
    if (pc && pc->cpu) {
        /* x86_cpu_new = one aligned_alloc + cpu_common_init */
        cpu_common_free(env_cpu(pc->cpu));
        free(pc->cpu);
    }
    free(m->board_state);
    m->board_state = NULL;
}

/* The monitor's system_powerdown: the ACPI power button (PM1 PWRBTN_STS,
 * an SCI when the guest enabled it), as QEMU's PIIX4 PM. */
static void pc_powerdown(Machine *m)
{
    PCBoard *pc = m->board_state;
    acpi_pm_power_button(&pc->acpi_pm);
}

const BoardClass pc_board = {
    .name = "pc",
    .desc = "Standard PC (PIC, PIT, RTC, 8042, COM1/2, isa-debug-exit; Linux/multiboot kernel, or -bios firmware)",
    .init = pc_init,
    .reset = pc_reset,
    .halt_is_final = pc_halt_is_final,
    .free = pc_free,
    .powerdown = pc_powerdown,
    .monitor_mmu_idx = X86_MMU_KERNEL,
};
