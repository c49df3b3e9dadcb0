/*
 * IOAPIC register behaviour (82093AA datasheet): ID/version, the
 * redirection table's writable bits, edge and level delivery, masking,
 * remote IRR and its clearing by EOI.
 */
#include <string.h>
#include "devices/ioapic.h"
#include "tests/devices-pc/devtest.h"

typedef struct Msg {
    int count;
    uint8_t dest, vector;
    int logical, mode, level;
} Msg;

static void rec(void *o, uint8_t dest, int logical, int mode, uint8_t vector, int level)
{
    Msg *m = o;
    m->count++;
    m->dest = dest;
    m->logical = logical;
    m->mode = mode;
    m->vector = vector;
    m->level = level;
}

static void mmio_w(IOAPICState *s, uint32_t reg, uint32_t v)
{
    ioapic_mmio_ops.write(s, 0x00, reg, 4);
    ioapic_mmio_ops.write(s, 0x10, v, 4);
}

static uint32_t mmio_r(IOAPICState *s, uint32_t reg)
{
    ioapic_mmio_ops.write(s, 0x00, reg, 4);
    return (uint32_t)ioapic_mmio_ops.read(s, 0x10, 4);
}

void test_ioapic(void)
{
    IOAPICState s;
    Msg m = { 0 };
    ioapic_init(&s, 0);
    s.deliver = rec;
    s.deliver_opaque = &m;
    CHECK_EQ("ioapic version: 0x20, 24 pins", mmio_r(&s, 1), 0x00170020);
    CHECK_EQ("ioapic ID", mmio_r(&s, 0), 0);
    mmio_w(&s, 0, 0x0f000000);
    CHECK_EQ("ioapic ID writable (4 bits)", mmio_r(&s, 0), 0x0f000000);
    mmio_w(&s, 1, 0);
    CHECK_EQ("ioapic version read-only", mmio_r(&s, 1), 0x00170020);
    CHECK_EQ("ioapic reset: masked", mmio_r(&s, 0x10 + 2 * 5), 0x10000);
    CHECK_EQ("ioapic IOREGSEL reads back", (ioapic_mmio_ops.write(&s, 0, 0x15, 4),
                                            ioapic_mmio_ops.read(&s, 0, 4)), 0x15);
    mmio_w(&s, 0x10 + 2 * 5, 0xffffffff);
    CHECK_EQ("ioapic RTE low: delivery status, remote IRR read-only", mmio_r(&s, 0x10 + 2 * 5),
             0x1afff);
    mmio_w(&s, 0x11 + 2 * 5, 0xffffffff);
    CHECK_EQ("ioapic RTE high: destination only", mmio_r(&s, 0x11 + 2 * 5), 0xff000000);

    /* edge pin 2 → vector 0x30, physical dest 0 */
    mmio_w(&s, 0x10 + 2 * 2, 0x30);
    mmio_w(&s, 0x11 + 2 * 2, 0);
    ioapic_set_irq(&s, 2, 1);
    CHECK_EQ("ioapic edge delivered", m.count, 1);
    CHECK_EQ("ioapic edge vector", m.vector, 0x30);
    CHECK_EQ("ioapic edge trigger flag", m.level, 0);
    ioapic_set_irq(&s, 2, 1);
    CHECK_EQ("ioapic edge: held level is not a new edge", m.count, 1);
    ioapic_set_irq(&s, 2, 0);
    ioapic_set_irq(&s, 2, 1);
    CHECK_EQ("ioapic edge: second edge", m.count, 2);
    ioapic_set_irq(&s, 2, 0);
    /* masked edge: latched and delivered on unmask (as QEMU) */
    mmio_w(&s, 0x10 + 2 * 2, 0x10030);
    ioapic_set_irq(&s, 2, 1);
    ioapic_set_irq(&s, 2, 0);
    CHECK_EQ("ioapic masked edge not delivered", m.count, 2);
    mmio_w(&s, 0x10 + 2 * 2, 0x30);
    CHECK_EQ("ioapic masked edge delivered on unmask", m.count, 3);

    /* level pin 9 → 0x39 logical dest 1, active high */
    mmio_w(&s, 0x11 + 2 * 9, 0x01000000);
    mmio_w(&s, 0x10 + 2 * 9, 0x8839);
    ioapic_set_irq(&s, 9, 1);
    CHECK_EQ("ioapic level delivered", m.count, 4);
    CHECK_EQ("ioapic level message: logical, dest 1, level", m.logical * 0x100 + m.dest + m.level * 0x10,
             0x111);
    CHECK_EQ("ioapic level: remote IRR set", mmio_r(&s, 0x10 + 2 * 9) & (1u << 14), 1u << 14);
    ioapic_set_irq(&s, 9, 1);
    CHECK_EQ("ioapic level: no redelivery before EOI", m.count, 4);
    ioapic_eoi(&s, 0x38);
    CHECK_EQ("ioapic EOI of another vector: remote IRR kept", mmio_r(&s, 0x10 + 2 * 9) >> 14 & 1, 1);
    ioapic_eoi(&s, 0x39);
    CHECK_EQ("ioapic EOI with line still high: redelivered", m.count, 5);
    ioapic_set_irq(&s, 9, 0);
    ioapic_eoi(&s, 0x39);
    CHECK_EQ("ioapic EOI with line low: remote IRR clear", mmio_r(&s, 0x10 + 2 * 9) >> 14 & 1, 0);
    CHECK_EQ("ioapic EOI with line low: no delivery", m.count, 5);
    /* masked level pin: delivered when unmasked while still asserted */
    mmio_w(&s, 0x10 + 2 * 9, 0x18839);
    ioapic_set_irq(&s, 9, 1);
    CHECK_EQ("ioapic masked level held", m.count, 5);
    mmio_w(&s, 0x10 + 2 * 9, 0x8839);
    CHECK_EQ("ioapic level delivered on unmask", m.count, 6);
    ioapic_mmio_ops.write(&s, 0x40, 0x39, 4);
    CHECK_EQ("ioapic EOI register (version 0x20): redelivered", m.count, 7);
    ioapic_set_irq(&s, 9, 0);
    ioapic_eoi(&s, 0x39);
    /* delivery modes pass through */
    mmio_w(&s, 0x10 + 2 * 0, 0x700);
    ioapic_set_irq(&s, 0, 1);
    CHECK_EQ("ioapic ExtINT message", m.mode, 7);
    device_reset(&s.dev);
    CHECK_EQ("ioapic reset masks every pin", mmio_r(&s, 0x10 + 2 * 23), 0x10000);
}
