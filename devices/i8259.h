/*
 * Intel 8259A programmable interrupt controller, the PC's cascaded pair:
 * master at 0x20/0x21 (IRQ 0-7), slave at 0xa0/0xa1 (IRQ 8-15) on the
 * master's IR2, and the ELCR edge/level registers at 0x4d0/0x4d1 (PIIX).
 * Inputs are the 16 ISA IRQ lines (i8259_set_irq, an IRQLine handler);
 * the output is INTR (an IRQLine the board wires to the CPU, or to the
 * local APIC's LINT0); the CPU acknowledges with i8259_ack, which returns
 * the vector, as the INTA cycles do.
 */
#ifndef DEVICES_I8259_H
#define DEVICES_I8259_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"

/* One 8259A. */
typedef struct I8259Chip {
    uint8_t lines;          /* input levels as last driven */
    uint8_t irr, isr, imr;
    uint8_t elcr;           /* 1 = level triggered (ELCR bit) */
    uint8_t elcr_mask;      /* ELCR bits that exist on this chip */
    uint8_t irq_base;       /* ICW2: vector of IR0 */
    uint8_t priority_add;   /* IR with the highest priority (rotation) */
    uint8_t init_state;     /* 0 = operational, 1..3 = expecting ICW2..ICW4 */
    uint8_t icw3;
    bool init4, single_mode, ltim;      /* ICW1 bits */
    bool auto_eoi, rotate_on_auto_eoi;  /* ICW4 AEOI, OCW2 rotate in AEOI */
    bool special_fully_nested;          /* ICW4 SFNM */
    bool special_mask;                  /* OCW3 SMM */
    bool read_isr;                      /* OCW3 RR/RIS: IRR (0) or ISR (1) on reads */
    bool poll;                          /* OCW3 P: next read is the poll word */
} I8259Chip;

typedef struct I8259 {
    Device dev;
    I8259Chip chip[2];      /* 0 = master, 1 = slave */
    bool intr_level;        /* last level driven on intr */
    /* wiring (not state) */
    IRQLine intr;
} I8259;

extern const DeviceClass i8259_class;

void i8259_init(I8259 *s);
/* Map master (0x20), slave (0xa0) and ELCR (0x4d0) in the port space. */
bool i8259_map(I8259 *s, AddressSpace *io);
/* Input IRQ n (0-15) at level 0/1; an IRQLine handler (opaque = I8259). */
void i8259_set_irq(void *opaque, int n, int level);
/* Interrupt acknowledge (env->get_pic_interrupt): the vector to take; a
 * spurious request gives IR7 of the chip that had none (vector base+7). */
int i8259_ack(void *opaque);
/* The PC BIOS's set-up, for boards that start a kernel without firmware:
 * vectors 0x08/0x70, cascade on IR2, everything masked but the listed
 * inputs (bit n = IRQ n). */
void i8259_bios_init(I8259 *s, uint16_t unmasked);

#endif
