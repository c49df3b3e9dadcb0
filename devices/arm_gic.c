/*
 * GICv2 for one CPU, after the GIC Architecture Specification v2 (IHI
 * 0048B) as Linux's irq-gic driver and QEMU's model use it: level and
 * edge inputs, enable/pending/active bits, 8-bit priorities with the
 * priority mask and running priority, IAR acknowledge and EOIR
 * deactivation (GICC_CTLR.EOImodeNS clear), SGIs through GICD_SGIR.
 * Must stay true: the CPU's IRQ line is high exactly when the highest
 * priority pending, enabled interrupt beats both the priority mask and
 * the running priority, with both the distributor and CPU interface on.
 */
#include <string.h>
#include "devices/arm_gic.h"

static bool gic_is_pending(const ARMGIC *s, int irq)
{
    /* a level-triggered input stays pending while its line is high */
    return s->pending[irq] || (!(s->config[irq] & 2) && s->level[irq] && irq >= 16);
}

static int gic_best(const ARMGIC *s, unsigned *prio)
{
    int best = GIC_SPURIOUS;
    unsigned bp = 0x100;
    for (int i = 0; i < GIC_NR_IRQS; i++) {
        if (s->enabled[i] && gic_is_pending(s, i) && !s->active[i] && s->priority[i] < bp) {
            bp = s->priority[i];
            best = i;
        }
    }
    *prio = bp;
    return best;
}

static void gic_update(ARMGIC *s)
{
    unsigned prio;
    int best = gic_best(s, &prio);
    bool level = (s->dist_ctlr & 3) && (s->cpu_ctlr & 3) && best != GIC_SPURIOUS &&
                 prio < (s->pmr & 0xff) && prio < s->running_priority;
    if (level != s->irq_out) {
        s->irq_out = level;
        irq_set_level(&s->cpu_irq, level);
    }
}

void arm_gic_set_irq(void *opaque, int n, int level)
{
    ARMGIC *s = opaque;
    if (n < 0 || n >= GIC_NR_IRQS)
        return;
    if (level && !s->level[n] && (s->config[n] & 2))
        s->pending[n] = true;                /* edge: latch the rising edge */
    s->level[n] = level != 0;
    gic_update(s);
}

static void gic_reset(void *dev)
{
    ARMGIC *s = dev;
    IRQLine out = s->cpu_irq;
    Device d = s->dev;
    bool level[GIC_NR_IRQS];
    memcpy(level, s->level, sizeof(level));
    memset(s, 0, sizeof(*s));
    s->dev = d;
    s->cpu_irq = out;
    memcpy(s->level, level, sizeof(level));
    for (int i = 0; i < 16; i++) {
        s->enabled[i] = true;                /* SGIs are always enabled on GICv2 */
        s->config[i] = 2;
    }
    for (int i = 0; i < 32; i++)
        s->target[i] = 1;
    s->running_priority = 0x100;
    s->bpr = 2;
    s->abpr = 3;
    if (s->irq_out)
        irq_lower(&s->cpu_irq);
    s->irq_out = false;
}

/* ---- distributor ---- */
/* Bitmap and ICFGR registers are word registers: a narrower access is
 * taken as one to the whole word (byte lanes of a bitmap are not merged). */
static uint64_t gicd_read(void *opaque, uint64_t addr, unsigned size)
{
    ARMGIC *s = opaque;
    uint32_t v = 0;
    if (addr < 0x400 || (addr >= 0xc00 && addr < 0x1000))
        addr &= ~3ull;
    if (addr == 0x000)
        return s->dist_ctlr;
    if (addr == 0x004)                       /* TYPER: ITLinesNumber, one CPU */
        return GIC_NR_IRQS / 32 - 1;
    if (addr == 0x008)                       /* IIDR: ARM, GIC-400 as QEMU */
        return 0x0200043b;
    if (addr >= 0x080 && addr < 0x080 + GIC_NR_IRQS / 8) {
        for (int b = 0; b < 32; b++) v |= (uint32_t)s->group1[(addr - 0x080) * 8 + b] << b;
        return v;
    }
    if (addr >= 0x100 && addr < 0x180) {     /* ISENABLER/ICENABLER read alike */
        int base = (int)(addr - 0x100) * 8;
        for (int b = 0; b < 32 && base + b < GIC_NR_IRQS; b++) v |= (uint32_t)s->enabled[base + b] << b;
        return v;
    }
    if (addr >= 0x180 && addr < 0x200) {
        int base = (int)(addr - 0x180) * 8;
        for (int b = 0; b < 32 && base + b < GIC_NR_IRQS; b++) v |= (uint32_t)s->enabled[base + b] << b;
        return v;
    }
    if (addr >= 0x200 && addr < 0x300) {
        int base = (int)((addr - 0x200) & 0x7f) * 8;
        for (int b = 0; b < 32 && base + b < GIC_NR_IRQS; b++) v |= (uint32_t)gic_is_pending(s, base + b) << b;
        return v;
    }
    if (addr >= 0x300 && addr < 0x400) {
        int base = (int)((addr - 0x300) & 0x7f) * 8;
        for (int b = 0; b < 32 && base + b < GIC_NR_IRQS; b++) v |= (uint32_t)s->active[base + b] << b;
        return v;
    }
    if (addr >= 0x400 && addr < 0x400 + GIC_NR_IRQS) {
        for (unsigned b = 0; b < size && addr - 0x400 + b < GIC_NR_IRQS; b++)
            v |= (uint32_t)s->priority[addr - 0x400 + b] << (8 * b);
        return v;
    }
    if (addr >= 0x800 && addr < 0x800 + GIC_NR_IRQS) {
        for (unsigned b = 0; b < size && addr - 0x800 + b < GIC_NR_IRQS; b++)
            v |= (uint32_t)s->target[addr - 0x800 + b] << (8 * b);
        return v;
    }
    if (addr >= 0xc00 && addr < 0xc00 + GIC_NR_IRQS / 4) {
        int base = (int)(addr - 0xc00) * 4;
        for (int b = 0; b < 16; b++) v |= (uint32_t)(s->config[base + b] & 3) << (2 * b);
        return v;
    }
    if (addr >= 0xfe0 && addr < 0x1000) {    /* GICv2 peripheral ID2: ArchRev 2 */
        static const uint8_t id[8] = { 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
        return id[(addr - 0xfe0) >> 2];
    }
    return 0;
}

static void gicd_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ARMGIC *s = opaque;
    uint32_t v = (uint32_t)val;
    if (addr < 0x400 || (addr >= 0xc00 && addr < 0x1000))
        addr &= ~3ull;
    if (addr == 0x000) {
        s->dist_ctlr = v & 3;
    } else if (addr >= 0x080 && addr < 0x080 + GIC_NR_IRQS / 8) {
        for (int b = 0; b < 32; b++) s->group1[(addr - 0x080) * 8 + b] = (v >> b) & 1;
    } else if (addr >= 0x100 && addr < 0x100 + GIC_NR_IRQS / 8) {
        for (int b = 0; b < 32; b++) if ((v >> b) & 1) s->enabled[(addr - 0x100) * 8 + b] = true;
    } else if (addr >= 0x180 && addr < 0x180 + GIC_NR_IRQS / 8) {
        for (int b = 0; b < 32; b++) {
            int i = (int)(addr - 0x180) * 8 + b;
            if (((v >> b) & 1) && i >= 16)
                s->enabled[i] = false;
        }
    } else if (addr >= 0x200 && addr < 0x200 + GIC_NR_IRQS / 8) {
        for (int b = 0; b < 32; b++) if ((v >> b) & 1) s->pending[(addr - 0x200) * 8 + b] = true;
    } else if (addr >= 0x280 && addr < 0x280 + GIC_NR_IRQS / 8) {
        for (int b = 0; b < 32; b++) if ((v >> b) & 1) s->pending[(addr - 0x280) * 8 + b] = false;
    } else if (addr >= 0x300 && addr < 0x300 + GIC_NR_IRQS / 8) {
        for (int b = 0; b < 32; b++) if ((v >> b) & 1) s->active[(addr - 0x300) * 8 + b] = true;
    } else if (addr >= 0x380 && addr < 0x380 + GIC_NR_IRQS / 8) {
        for (int b = 0; b < 32; b++) if ((v >> b) & 1) s->active[(addr - 0x380) * 8 + b] = false;
    } else if (addr >= 0x400 && addr < 0x400 + GIC_NR_IRQS) {
        for (unsigned b = 0; b < size && addr - 0x400 + b < GIC_NR_IRQS; b++)
            s->priority[addr - 0x400 + b] = (uint8_t)(v >> (8 * b));
    } else if (addr >= 0x820 && addr < 0x800 + GIC_NR_IRQS) {   /* SGI/PPI targets read-only */
        for (unsigned b = 0; b < size && addr - 0x800 + b < GIC_NR_IRQS; b++)
            s->target[addr - 0x800 + b] = (uint8_t)(v >> (8 * b)) & 1;
    } else if (addr >= 0xc08 && addr < 0xc00 + GIC_NR_IRQS / 4) {   /* SGIs/PPIs fixed */
        int base = (int)(addr - 0xc00) * 4;
        for (int b = 0; b < 16; b++) s->config[base + b] = (uint8_t)((v >> (2 * b)) & 2);
    } else if (addr == 0xf00) {              /* SGIR: to this CPU (filter 0 with bit 0, 2) */
        unsigned filter = (v >> 24) & 3;
        if (filter == 2 || (filter == 0 && ((v >> 16) & 1)))
            s->pending[v & 15] = true;
    }
    gic_update(s);
}

/* ---- CPU interface ---- */
static uint64_t gicc_read(void *opaque, uint64_t addr, unsigned size)
{
    ARMGIC *s = opaque;
    unsigned prio;
    switch (addr) {
    case 0x00: return s->cpu_ctlr;
    case 0x04: return s->pmr;
    case 0x08: return s->bpr;
    case 0x0c: {                             /* IAR: acknowledge */
        int irq = gic_best(s, &prio);
        if (irq == GIC_SPURIOUS || prio >= (s->pmr & 0xff) || prio >= s->running_priority ||
            !(s->cpu_ctlr & 3) || !(s->dist_ctlr & 3))
            return GIC_SPURIOUS;
        s->pending[irq] = false;
        s->active[irq] = true;
        s->running_irq[s->running_depth++] = (uint16_t)irq;
        s->running_priority = s->priority[irq];
        gic_update(s);
        return (uint32_t)irq;                /* SGIs: source CPU 0 */
    }
    case 0x14: return s->running_priority == 0x100 ? 0xff : s->running_priority;
    case 0x18: {
        int irq = gic_best(s, &prio);
        return (uint32_t)irq;
    }
    case 0x1c: return s->abpr;
    case 0xfc: return 0x0202143b;            /* GICC_IIDR: GICv2, ARM */
    default: return 0;
    }
}

static void gicc_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    ARMGIC *s = opaque;
    uint32_t v = (uint32_t)val;
    switch (addr) {
    case 0x00: s->cpu_ctlr = v & 0x3ff; break;
    case 0x04: s->pmr = v & 0xff; break;
    case 0x08: s->bpr = v & 7; break;
    case 0x10: {                             /* EOIR: deactivate, drop the running priority */
        unsigned irq = v & 0x3ff;
        if (irq < GIC_NR_IRQS && s->active[irq]) {
            s->active[irq] = false;
            for (int i = 0; i < s->running_depth; i++)
                if (s->running_irq[i] == irq) {
                    memmove(&s->running_irq[i], &s->running_irq[i + 1],
                            (size_t)(s->running_depth - i - 1) * sizeof(s->running_irq[0]));
                    s->running_depth--;
                    break;
                }
            s->running_priority = s->running_depth ? s->priority[s->running_irq[s->running_depth - 1]] : 0x100;
        }
        break;
    }
    case 0x1c: s->abpr = v & 7; break;
    case 0x1000: {                           /* DIR */
        unsigned irq = v & 0x3ff;
        if (irq < GIC_NR_IRQS)
            s->active[irq] = false;
        break;
    }
    default: break;
    }
    gic_update(s);
}

static const MemoryRegionOps gicd_ops = { .read = gicd_read, .write = gicd_write, .min_access = 1, .max_access = 4 };
static const MemoryRegionOps gicc_ops = { .read = gicc_read, .write = gicc_write, .min_access = 4, .max_access = 4 };

static const DeviceField arm_gic_fields[] = {
    DEV_FIELD_U32(ARMGIC, dist_ctlr), DEV_FIELD_U32(ARMGIC, cpu_ctlr), DEV_FIELD_U32(ARMGIC, pmr),
    DEV_FIELD_U32(ARMGIC, bpr), DEV_FIELD_BYTES(ARMGIC, priority), DEV_FIELD_BYTES(ARMGIC, target),
    DEV_FIELD_BYTES(ARMGIC, config), DEV_FIELD_BYTES(ARMGIC, enabled), DEV_FIELD_BYTES(ARMGIC, pending),
    DEV_FIELD_BYTES(ARMGIC, active), DEV_FIELD_BYTES(ARMGIC, group1),
    DEV_FIELD_BYTES(ARMGIC, running_irq), DEV_FIELD(ARMGIC, running_depth, DEVF_U32),
    DEV_FIELD_U32(ARMGIC, running_priority),
    DEV_FIELD_END
};

const DeviceClass arm_gic_class = {
    .name = "arm-gic",
    .desc = "ARM GICv2 interrupt controller (one CPU)",
    .reset = gic_reset,
    .fields = arm_gic_fields,
};

void arm_gic_init(ARMGIC *s)
{
    memset(s, 0, sizeof(*s));
    s->dev.cls = &arm_gic_class;
    gic_reset(s);
}

bool arm_gic_map(ARMGIC *s, AddressSpace *as, uint64_t dist_base, uint64_t cpu_base)
{
    return memory_region_add_mmio(as, "gic-dist", dist_base, 0x10000, &gicd_ops, s, 0) &&
           memory_region_add_mmio(as, "gic-cpu", cpu_base, 0x10000, &gicc_ops, s, 0);
}
