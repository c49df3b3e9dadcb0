/*
 * Local APIC (xAPIC, one per CPU; the pc board has one): priority, the
 * 256-bit IRR/ISR/TMR, EOI with broadcast to the IOAPIC, the LVT (timer,
 * thermal, performance, LINT0, LINT1, error), fixed self-IPIs through the
 * ICR, and the timer on the device clock. The board wires three outputs:
 * the CPU's INTR and NMI pins, the PIC's acknowledge (LINT0 in ExtINT mode
 * and the hardware-disabled pass-through) and the EOI broadcast.
 */
#ifndef DEVICES_APIC_H
#define DEVICES_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"
#include "devices/timer.h"

#define APIC_DEFAULT_BASE   0xfee00000u
#define APIC_MMIO_SIZE      0x1000
#define APIC_BASE_BSP       (1u << 8)      /* IA32_APIC_BASE bits */
#define APIC_BASE_ENABLE    (1u << 11)
#define APIC_VERSION        0x00050014u    /* QEMU's: version 0x14, max LVT entry 5 */
#define APIC_LVT_NB         6
enum { APIC_LVT_TIMER, APIC_LVT_THERMAL, APIC_LVT_PERF, APIC_LVT_LINT0, APIC_LVT_LINT1,
       APIC_LVT_ERROR };

/* delivery modes (LVT, ICR, IOAPIC redirection entries, MSI) */
enum { APIC_DM_FIXED = 0, APIC_DM_LOWEST = 1, APIC_DM_SMI = 2, APIC_DM_NMI = 4,
       APIC_DM_INIT = 5, APIC_DM_SIPI = 6, APIC_DM_EXTINT = 7 };

/* bus clock: the divider counts nanoseconds of the device clock, as QEMU's
 * APIC does (a 1 GHz APIC bus) */
#define APIC_BUS_HZ 1000000000u

typedef struct APICState APICState;
/* one mapping of the register page; the memory map cannot drop a region,
 * so every base the guest ever chose stays mapped and answers only while
 * it is the current one */
typedef struct APICWindow {
    APICState *apic;
    uint64_t base;
} APICWindow;
#define APIC_MAX_WINDOWS 4

struct APICState {
    Device dev;
    uint64_t apicbase;            /* IA32_APIC_BASE: address | ENABLE | BSP */
    uint8_t id, tpr, log_dest, dest_mode;
    uint32_t spurious;            /* SVR */
    uint32_t isr[8], tmr[8], irr[8];
    uint32_t lvt[APIC_LVT_NB];
    uint32_t esr, esr_pending;    /* ESR as last latched; errors since the last ESR write */
    uint32_t icr[2];
    uint32_t divide_conf;
    uint32_t initial_count;
    int64_t count_load_ns;        /* device clock time initial_count was loaded */
    bool pic_level;               /* the PIC's INTR output (LINT0) */
    bool lint1_level;
    bool extint_pending;          /* an ExtINT message (IOAPIC) waits for the PIC's vector */
    bool intr_level;              /* last level driven on the CPU's INTR */

    /* wiring (not state) */
    Timer timer;
    TimerList *timers;
    void (*set_intr)(void *opaque, int level);   /* CPU INTR pin */
    void (*raise_nmi)(void *opaque);             /* CPU NMI */
    void *cpu_opaque;
    int (*pic_ack)(void *pic);                    /* ExtINT: the PIC's INTA cycle */
    void *pic;
    void (*eoi_broadcast)(void *opaque, int vector);   /* level-triggered EOI → IOAPIC */
    void *eoi_opaque;
    /* relocation: the windows mapped so far, and a board hook called
     * after the map changed (to drop stale TLB entries) */
    AddressSpace *mem;
    APICWindow windows[APIC_MAX_WINDOWS];
    int nb_windows;
    void (*remap)(void *opaque, uint64_t base);
    void *remap_opaque;
};

extern const DeviceClass apic_class;
extern const MemoryRegionOps apic_mmio_ops;

void apic_init(APICState *s, TimerList *timers, uint8_t id);
/* Map the 4 KiB register page at the current base (and later at any base
 * IA32_APIC_BASE moves it to). False on failure. */
bool apic_map(APICState *s, AddressSpace *mem);

/* The CPU side (frontend/x86/cpu.h callbacks): acknowledge an interrupt
 * (vector or -1), CR8, IA32_APIC_BASE. */
int apic_get_interrupt(APICState *s);
void apic_set_tpr_cr8(APICState *s, uint8_t cr8);
uint8_t apic_get_tpr_cr8(APICState *s);
void apic_set_base(APICState *s, uint64_t val);
uint64_t apic_get_base(const APICState *s);

/* Inputs: LINT0 (the PIC's INTR), LINT1 (NMI source) and interrupt
 * messages from the IOAPIC or MSI (dest/dest_mode as in the redirection
 * entry; trigger_level: level-triggered). */
void apic_set_lint0(APICState *s, int level);
void apic_set_lint1(APICState *s, int level);
void apic_deliver(APICState *s, uint8_t dest, int dest_logical, int delivery_mode,
                  uint8_t vector, int trigger_level);

/* Register reads/writes by offset (for tests and the MMIO ops). */
uint32_t apic_reg_read(APICState *s, uint32_t offset);
void apic_reg_write(APICState *s, uint32_t offset, uint32_t val);

#endif
