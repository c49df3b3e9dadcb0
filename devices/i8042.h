/*
 * Intel 8042 keyboard controller (the PC's ports 0x60 data and 0x64
 * status/command) with an AT keyboard behind it (scancode set 2, which the
 * controller translates to set 1 when the command byte says so) and an
 * auxiliary port with no mouse attached. Its output port carries the A20
 * gate and the CPU reset line: the board gets both through callbacks.
 * IRQ 1 (keyboard) and IRQ 12 (aux) rise when a byte reaches the output
 * buffer and fall when the guest reads it.
 */
#ifndef DEVICES_I8042_H
#define DEVICES_I8042_H

#include <stdbool.h>
#include <stdint.h>
#include "devices/device.h"

#define I8042_QUEUE_SIZE 32

/* What the controller asks of the board. */
typedef struct I8042Board {
    void (*set_a20)(void *opaque, bool enabled);
    void (*reset)(void *opaque);          /* pulse of the CPU reset line */
    void *opaque;
} I8042Board;

typedef struct I8042 {
    Device dev;
    uint8_t status;          /* status register bits kept (SYS, A2, INH) */
    uint8_t ctr;             /* command byte ("controller configuration") */
    uint8_t outport;         /* output port: bit 0 reset (active low), bit 1 A20 */
    uint8_t pending_cmd;     /* a command waiting for its data byte, 0 = none */
    uint8_t obuf;            /* the output buffer */
    bool obf, obf_aux;       /* full, and from the aux port */
    /* bytes waiting for the output buffer; bit 8 = from the aux port */
    uint16_t queue[I8042_QUEUE_SIZE];
    uint8_t q_head, q_count;
    /* the keyboard */
    uint8_t kbd_pending;     /* keyboard command waiting for its parameter, 0 = none */
    bool kbd_scanning;
    uint8_t kbd_leds;
    uint8_t kbd_typematic;
    uint8_t kbd_scancode_set;
    bool xlat_break;         /* translation: an F0 prefix seen, the next code is a break */
    bool irq1_level, irq12_level;
    /* wiring (not state) */
    IRQLine irq1, irq12;
    I8042Board board;
} I8042;

extern const DeviceClass i8042_class;

void i8042_init(I8042 *s, I8042Board board);
/* Ports 0x60 and 0x64. */
bool i8042_map(I8042 *s, AddressSpace *io);
/* A scancode byte (set 2) from the keyboard, as a key press would send it. */
void i8042_kbd_put_scancode(I8042 *s, uint8_t code);

#endif
