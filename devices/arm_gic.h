/*
 * ARM Generic Interrupt Controller v2 (GIC-400 as QEMU's virt board has
 * it), for one CPU: the distributor (0x08000000 on virt) and the CPU
 * interface (0x08010000). Inputs: SPIs from devices (irq 32 + n) and the
 * CPU's PPIs (the generic timers: 16 + n); output: the CPU's IRQ line.
 * Security extensions are not implemented (one security state, group 0
 * and 1 both signalled as IRQ), as QEMU's default for virt.
 */
#ifndef DEVICES_ARM_GIC_H
#define DEVICES_ARM_GIC_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"

#define GIC_NR_IRQS 288              /* 32 private + 256 shared, as QEMU virt */
#define GIC_SPURIOUS 1023

typedef struct ARMGIC {
    Device dev;
    uint32_t dist_ctlr, cpu_ctlr, pmr, bpr, abpr;
    /* per interrupt; sized to whole 32-bit registers */
    uint8_t priority[GIC_NR_IRQS];
    uint8_t target[GIC_NR_IRQS];
    uint8_t config[GIC_NR_IRQS];     /* ICFGR bit 1: edge */
    bool enabled[GIC_NR_IRQS], pending[GIC_NR_IRQS], active[GIC_NR_IRQS];
    bool level[GIC_NR_IRQS];         /* the input line */
    bool group1[GIC_NR_IRQS];
    uint16_t running_irq[GIC_NR_IRQS + 1];   /* stack of active IRQs (preemption) */
    int running_depth;
    uint32_t running_priority;       /* 0x100 = idle */
    bool irq_out;
    IRQLine cpu_irq;                 /* to the CPU */
} ARMGIC;

extern const DeviceClass arm_gic_class;
void arm_gic_init(ARMGIC *s);
bool arm_gic_map(ARMGIC *s, AddressSpace *as, uint64_t dist_base, uint64_t cpu_base);
/* Input line n (0..GIC_NR_IRQS-1: 16..31 PPIs, 32.. SPIs) to level. */
void arm_gic_set_irq(void *opaque, int n, int level);

#endif
