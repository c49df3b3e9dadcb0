/*
 * Intel 8042 keyboard controller with an AT keyboard (see i8042.h), as
 * Linux's i8042/atkbd drivers and the PC BIOS drive it: controller
 * commands on 0x64 (command byte, self-tests, port enables, output port,
 * A20, loopback writes, reset pulse), data on 0x60 to the keyboard (reset,
 * identify, LEDs, scancode set, typematic, enable/disable, echo), replies
 * through one queue into the output buffer. Bytes from the keyboard are
 * translated from set 2 to set 1 while the command byte's XLATE bit is set.
 * The aux port has no device: loopback writes (0xd3) come back, writes
 * to the device (0xd4) are answered 0xfe (resend), as a port without a
 * mouse would.
 * Must stay true: IRQ 1/12 levels equal "output buffer full, from that
 * port, and its interrupt enabled in the command byte".
 */
#include <string.h>
#include "devices/i8042.h"

#define STAT_OBF   0x01
#define STAT_SYS   0x04
#define STAT_A2    0x08     /* last write was a command */
#define STAT_INH   0x10     /* 1 = keyboard not inhibited (keylock open) */
#define STAT_AUXB  0x20
#define CTR_KBDINT 0x01
#define CTR_AUXINT 0x02
#define CTR_SYS    0x04
#define CTR_KBDDIS 0x10
#define CTR_AUXDIS 0x20
#define CTR_XLATE  0x40
#define OUT_RESET  0x01     /* active low */
#define OUT_A20    0x02

/* queue entry tags */
#define Q_AUX      0x100    /* goes out with AUXB set (IRQ 12) */
#define Q_DEVICE   0x200    /* from a device: held while its port is disabled */

/* Set 2 -> set 1, the 8042's translation (make codes; 0x80 and up pass
 * through except set 2's F7 0x83). */
static const uint8_t xlat_set2_to_set1[128] = {
    0xff, 0x43, 0x41, 0x3f, 0x3d, 0x3b, 0x3c, 0x58, 0x64, 0x44, 0x42, 0x40, 0x3e, 0x0f, 0x29, 0x59,
    0x65, 0x38, 0x2a, 0x70, 0x1d, 0x10, 0x02, 0x5a, 0x66, 0x71, 0x2c, 0x1f, 0x1e, 0x11, 0x03, 0x5b,
    0x67, 0x2e, 0x2d, 0x20, 0x12, 0x05, 0x04, 0x5c, 0x68, 0x39, 0x2f, 0x21, 0x14, 0x13, 0x06, 0x5d,
    0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5e, 0x6a, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5f,
    0x6b, 0x33, 0x25, 0x17, 0x18, 0x0b, 0x0a, 0x60, 0x6c, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0c, 0x61,
    0x6d, 0x73, 0x28, 0x74, 0x1a, 0x0d, 0x62, 0x6e, 0x3a, 0x36, 0x1c, 0x1b, 0x75, 0x2b, 0x63, 0x76,
    0x55, 0x56, 0x77, 0x78, 0x79, 0x7a, 0x0e, 0x7b, 0x7c, 0x4f, 0x7d, 0x4b, 0x47, 0x7e, 0x7f, 0x6f,
    0x52, 0x53, 0x50, 0x4c, 0x4d, 0x48, 0x01, 0x45, 0x57, 0x4e, 0x51, 0x4a, 0x37, 0x49, 0x46, 0x54,
};

static void i8042_update_irq(I8042 *s)
{
    bool kbd = s->obf && !s->obf_aux && (s->ctr & CTR_KBDINT);
    bool aux = s->obf && s->obf_aux && (s->ctr & CTR_AUXINT);
    if (kbd != s->irq1_level) {
        s->irq1_level = kbd;
        irq_set_level(&s->irq1, kbd);
    }
    if (aux != s->irq12_level) {
        s->irq12_level = aux;
        irq_set_level(&s->irq12, aux);
    }
}

/* Move the first byte whose port is enabled into an empty output buffer. */
static void i8042_fill(I8042 *s)
{
    if (!s->obf) {
        for (unsigned i = 0; i < s->q_count; i++) {
            unsigned at = (s->q_head + i) % I8042_QUEUE_SIZE;
            uint16_t e = s->queue[at];
            if ((e & Q_DEVICE) && (s->ctr & ((e & Q_AUX) ? CTR_AUXDIS : CTR_KBDDIS)))
                continue;
            /* take it out, keep the others in order */
            for (unsigned j = i; j > 0; j--) {
                unsigned to = (s->q_head + j) % I8042_QUEUE_SIZE;
                s->queue[to] = s->queue[(s->q_head + j - 1) % I8042_QUEUE_SIZE];
            }
            s->q_head = (uint8_t)((s->q_head + 1) % I8042_QUEUE_SIZE);
            s->q_count--;
            s->obuf = (uint8_t)e;
            s->obf = true;
            s->obf_aux = e & Q_AUX;
            break;
        }
    }
    i8042_update_irq(s);
}

static void i8042_queue(I8042 *s, uint16_t entry)
{
    if (s->q_count < I8042_QUEUE_SIZE) {
        s->queue[(s->q_head + s->q_count) % I8042_QUEUE_SIZE] = entry;
        s->q_count++;
    }
    i8042_fill(s);
}

/* A reply of the controller itself. */
static void ctrl_reply(I8042 *s, uint8_t b)
{
    i8042_queue(s, b);
}

/* A byte from the keyboard, translated to set 1 if XLATE is on. */
static void kbd_send(I8042 *s, uint8_t b)
{
    if (s->ctr & CTR_XLATE) {
        if (b == 0xf0) {
            s->xlat_break = true;       /* the next code is a break: bit 7 */
            return;
        }
        uint8_t t = b < 0x80 ? xlat_set2_to_set1[b] : b == 0x83 ? 0x41 : b;
        if (s->xlat_break && t < 0x80)
            t |= 0x80;
        s->xlat_break = false;
        b = t;
    }
    i8042_queue(s, Q_DEVICE | b);
}

void i8042_kbd_put_scancode(I8042 *s, uint8_t code)
{
    if (s->kbd_scanning)
        kbd_send(s, code);
}

static void kbd_set_defaults(I8042 *s)
{
    s->kbd_leds = 0;
    s->kbd_typematic = 0x2b;            /* 10.9 cps, 500 ms */
    s->kbd_scancode_set = 2;
}

/* A byte written to port 0x60 with no controller command pending goes to
 * the keyboard. */
static void kbd_write(I8042 *s, uint8_t b)
{
    uint8_t cmd = s->kbd_pending;

    if (cmd) {
        s->kbd_pending = 0;
        switch (cmd) {
        case 0xed:
            s->kbd_leds = b & 7;
            kbd_send(s, 0xfa);
            return;
        case 0xf3:
            s->kbd_typematic = b & 0x7f;
            kbd_send(s, 0xfa);
            return;
        case 0xf0:
            kbd_send(s, 0xfa);
            if (b == 0)
                kbd_send(s, s->kbd_scancode_set);
            else if (b <= 3)
                s->kbd_scancode_set = b;
            return;
        }
    }
    switch (b) {
    case 0xed:                 /* set LEDs */
    case 0xf3:                 /* typematic rate */
    case 0xf0:                 /* scancode set */
        s->kbd_pending = b;
        kbd_send(s, 0xfa);
        break;
    case 0xee:                 /* echo */
        kbd_send(s, 0xee);
        break;
    case 0xf2:                 /* identify: an MF2 keyboard */
        kbd_send(s, 0xfa);
        kbd_send(s, 0xab);
        kbd_send(s, 0x83);
        break;
    case 0xf4:                 /* enable scanning */
        s->kbd_scanning = true;
        kbd_send(s, 0xfa);
        break;
    case 0xf5:                 /* disable scanning, defaults */
        kbd_set_defaults(s);
        s->kbd_scanning = false;
        kbd_send(s, 0xfa);
        break;
    case 0xf6:                 /* defaults */
        kbd_set_defaults(s);
        kbd_send(s, 0xfa);
        break;
    case 0xff:                 /* reset: ACK, then the self-test passed */
        kbd_set_defaults(s);
        s->kbd_scanning = true;
        kbd_send(s, 0xfa);
        kbd_send(s, 0xaa);
        break;
    default:
        if (b >= 0xf7 && b <= 0xfd)
            kbd_send(s, 0xfa);  /* set-3 key modes: accepted, no effect */
        else
            kbd_send(s, 0xfe);  /* unknown: resend */
        break;
    }
}

static void i8042_write_outport(I8042 *s, uint8_t val)
{
    uint8_t changed = s->outport ^ val;
    s->outport = val;
    if ((changed & OUT_A20) && s->board.set_a20)
        s->board.set_a20(s->board.opaque, val & OUT_A20);
    if (!(val & OUT_RESET) && s->board.reset) {
        s->outport |= OUT_RESET;        /* the reset pulse ends; the board resets */
        s->board.reset(s->board.opaque);
    }
}

static void i8042_command(I8042 *s, uint8_t cmd)
{
    switch (cmd) {
    case 0x20:                  /* read command byte */
        ctrl_reply(s, s->ctr);
        break;
    case 0x60:                  /* write command byte */
    case 0xd1:                  /* write output port */
    case 0xd2:                  /* write keyboard output buffer */
    case 0xd3:                  /* write aux output buffer */
    case 0xd4:                  /* write to the aux device */
        s->pending_cmd = cmd;
        break;
    case 0xa7:                  /* disable aux */
        s->ctr |= CTR_AUXDIS;
        break;
    case 0xa8:                  /* enable aux */
        s->ctr &= (uint8_t)~CTR_AUXDIS;
        i8042_fill(s);
        break;
    case 0xa9:                  /* aux interface test: no error */
    case 0xab:                  /* keyboard interface test: no error */
        ctrl_reply(s, 0x00);
        break;
    case 0xaa:                  /* controller self-test: passed */
        s->status |= STAT_SYS;
        ctrl_reply(s, 0x55);
        break;
    case 0xad:                  /* disable keyboard */
        s->ctr |= CTR_KBDDIS;
        break;
    case 0xae:                  /* enable keyboard */
        s->ctr &= (uint8_t)~CTR_KBDDIS;
        i8042_fill(s);
        break;
    case 0xc0:                  /* read input port: keylock open, colour display */
        ctrl_reply(s, 0x80);
        break;
    case 0xd0: {                /* read output port: OBF bits from the buffer */
        uint8_t v = s->outport & (uint8_t)~0x30;
        if (s->obf)
            v |= s->obf_aux ? 0x20 : 0x10;
        ctrl_reply(s, v);
        break;
    }
    case 0xdd:                  /* A20 off, on (HP Vectra commands, as QEMU) */
    case 0xdf:
        i8042_write_outport(s, (uint8_t)((s->outport & ~OUT_A20) | (cmd == 0xdf ? OUT_A20 : 0)));
        break;
    case 0xe0:                  /* read test inputs */
        ctrl_reply(s, 0x00);
        break;
    default:
        if (cmd >= 0xf0) {      /* pulse output lines whose bit is 0; bit 0 is reset */
            if (!(cmd & 1) && s->board.reset)
                s->board.reset(s->board.opaque);
        }
        break;                  /* others (password, version, RAM reads): ignored */
    }
    i8042_update_irq(s);
}

static void i8042_data(I8042 *s, uint8_t val)
{
    uint8_t cmd = s->pending_cmd;
    s->pending_cmd = 0;

    switch (cmd) {
    case 0x60:
        s->ctr = val;
        s->status = (uint8_t)((s->status & ~STAT_SYS) | (val & CTR_SYS));
        i8042_fill(s);
        break;
    case 0xd1:
        i8042_write_outport(s, val);
        break;
    case 0xd2:
        i8042_queue(s, val);
        break;
    case 0xd3:
        i8042_queue(s, Q_AUX | val);
        break;
    case 0xd4:
        i8042_queue(s, Q_AUX | Q_DEVICE | 0xfe);   /* no mouse answers */
        break;
    default:
        kbd_write(s, val);
        break;
    }
}

static uint64_t i8042_status_read(void *opaque, uint64_t addr, unsigned size)
{
    I8042 *s = opaque;
    uint8_t st = s->status & (STAT_SYS | STAT_A2 | STAT_INH);
    if (s->obf)
        st |= STAT_OBF | (s->obf_aux ? STAT_AUXB : 0);
    return st;
}

static void i8042_command_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8042 *s = opaque;
    s->status |= STAT_A2;
    i8042_command(s, (uint8_t)val);
}

static uint64_t i8042_data_read(void *opaque, uint64_t addr, unsigned size)
{
    I8042 *s = opaque;
    uint8_t v = s->obuf;        /* an empty buffer reads its last byte again */
    if (s->obf) {
        s->obf = false;
        i8042_fill(s);
    }
    return v;
}

static void i8042_data_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8042 *s = opaque;
    s->status &= (uint8_t)~STAT_A2;
    i8042_data(s, (uint8_t)val);
}

static const char *i8042_data_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    const I8042 *s = opaque;
    if (!is_write)
        return "output buffer";
    return s->pending_cmd ? "command parameter" : "keyboard data";
}

static const char *i8042_cmd_reg_name(void *opaque, uint64_t addr, bool is_write)
{
    return is_write ? "command" : "status";
}

static const MemoryRegionOps i8042_data_ops = {
    .read = i8042_data_read, .write = i8042_data_write, .min_access = 1, .max_access = 1,
    .reg_name = i8042_data_reg_name,
};

static const MemoryRegionOps i8042_cmd_ops = {
    .read = i8042_status_read, .write = i8042_command_write, .min_access = 1, .max_access = 1,
    .reg_name = i8042_cmd_reg_name,
};

/* Power-on as QEMU's: both port interrupts enabled, no translation,
 * keylock open, A20 on and the reset line high. */
static void i8042_reset(void *opaque)
{
    I8042 *s = opaque;
    bool a20_was_off = !(s->outport & OUT_A20);

    s->status = STAT_A2 | STAT_INH;
    s->ctr = CTR_KBDINT | CTR_AUXINT;
    s->outport = 0xcc | OUT_A20 | OUT_RESET;
    s->pending_cmd = 0;
    s->obf = s->obf_aux = false;
    s->obuf = 0;
    s->q_head = s->q_count = 0;
    s->kbd_pending = 0;
    s->kbd_scanning = true;
    s->xlat_break = false;
    kbd_set_defaults(s);
    if (a20_was_off && s->board.set_a20)
        s->board.set_a20(s->board.opaque, true);
    i8042_update_irq(s);
}

static const DeviceField i8042_fields[] = {
    DEV_FIELD_U8(I8042, status),
    DEV_FIELD_U8(I8042, ctr),
    DEV_FIELD_U8(I8042, outport),
    DEV_FIELD_U8(I8042, pending_cmd),
    DEV_FIELD_U8(I8042, obuf),
    DEV_FIELD_BOOL(I8042, obf),
    DEV_FIELD_BOOL(I8042, obf_aux),
    DEV_FIELD_BYTES(I8042, queue),
    DEV_FIELD_U8(I8042, q_head),
    DEV_FIELD_U8(I8042, q_count),
    DEV_FIELD_U8(I8042, kbd_pending),
    DEV_FIELD_BOOL(I8042, kbd_scanning),
    DEV_FIELD_U8(I8042, kbd_leds),
    DEV_FIELD_U8(I8042, kbd_typematic),
    DEV_FIELD_U8(I8042, kbd_scancode_set),
    DEV_FIELD_BOOL(I8042, xlat_break),
    DEV_FIELD_BOOL(I8042, irq1_level),
    DEV_FIELD_BOOL(I8042, irq12_level),
    DEV_FIELD_END,
};

const DeviceClass i8042_class = {
    .name = "i8042",
    .desc = "8042 keyboard controller with an AT keyboard (0x60, 0x64; IRQ 1, 12)",
    .reset = i8042_reset,
    .fields = i8042_fields,
};

void i8042_init(I8042 *s, I8042Board board)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &i8042_class;
    s->board = board;
    s->outport = OUT_A20;       /* so reset does not report an A20 change */
    i8042_reset(s);
}

bool i8042_map(I8042 *s, AddressSpace *io)
{
    return memory_region_add_mmio(io, "i8042", 0x60, 1, &i8042_data_ops, s, 0) &&
           memory_region_add_mmio(io, "i8042", 0x64, 1, &i8042_cmd_ops, s, 0);
}
