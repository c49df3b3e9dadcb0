/*
 * Local APIC register behaviour: reset values, the timer against a fake
 * clock (counts, one-shot, periodic, divider), priority (IRR → ISR, PPR,
 * TPR), EOI and its broadcast, self-IPIs, ESR, LINT0/ExtINT and the
 * hardware-disabled pass-through. Expected values from the Intel SDM
 * vol. 3 ch. 10 and QEMU's reset state.
 */
#include <string.h>
#include "devices/apic.h"
#include "tests/devices-pc/devtest.h"

typedef struct Wires {
    int intr, nmis, pic_acks, pic_vector, last_eoi, eois;
} Wires;

static void w_set_intr(void *o, int level) { ((Wires *)o)->intr = level; }
static void w_nmi(void *o) { ((Wires *)o)->nmis++; }
static int w_pic_ack(void *o)
{
    Wires *w = o;
    w->pic_acks++;
    return w->pic_vector;
}
static void w_eoi(void *o, int v)
{
    Wires *w = o;
    w->last_eoi = v;
    w->eois++;
}

static void setup(APICState *s, FakeClock *c, Wires *w)
{
    memset(w, 0, sizeof(*w));
    w->last_eoi = -1;
    fake_clock_init(c);
    apic_init(s, &c->tl, 0);
    s->set_intr = w_set_intr;
    s->raise_nmi = w_nmi;
    s->cpu_opaque = w;
    s->pic_ack = w_pic_ack;
    s->pic = w;
    s->eoi_broadcast = w_eoi;
    s->eoi_opaque = w;
}

static void test_reset_values(void)
{
    APICState s; FakeClock c; Wires w;
    setup(&s, &c, &w);
    CHECK_EQ("apic reset: version", apic_reg_read(&s, 0x30), 0x50014);
    CHECK_EQ("apic reset: SVR", apic_reg_read(&s, 0xf0), 0xff);
    CHECK_EQ("apic reset: DFR flat", apic_reg_read(&s, 0xe0), 0xffffffff);
    CHECK_EQ("apic reset: LVT timer masked", apic_reg_read(&s, 0x320), 0x10000);
    CHECK_EQ("apic reset: LINT0 ExtINT (virtual wire)", apic_reg_read(&s, 0x350), 0x700);
    CHECK_EQ("apic reset: LINT1 masked", apic_reg_read(&s, 0x360), 0x10000);
    CHECK_EQ("apic reset: base MSR", apic_get_base(&s), 0xfee00900);
    apic_reg_write(&s, 0x20, 0x03000000);
    CHECK_EQ("apic ID writable", apic_reg_read(&s, 0x20), 0x03000000);
    /* software-disabled: LVT writes keep the mask */
    apic_reg_write(&s, 0x320, 0x00000040);
    CHECK_EQ("apic sw-disabled: LVT write stays masked", apic_reg_read(&s, 0x320), 0x10040);
    apic_reg_write(&s, 0xf0, 0x1ff);
    apic_reg_write(&s, 0x320, 0x00020040);
    CHECK_EQ("apic sw-enabled: LVT timer periodic unmasked", apic_reg_read(&s, 0x320), 0x20040);
    apic_reg_write(&s, 0x320, 0x00040040);
    CHECK_EQ("apic LVT timer: TSC-deadline bit not writable", apic_reg_read(&s, 0x320), 0x40);
    apic_reg_write(&s, 0xf0, 0x0ff);
    CHECK_EQ("apic sw-disable masks LVTs", apic_reg_read(&s, 0x320), 0x10040);
    apic_reg_write(&s, 0x3e0, 0xffffffff);
    CHECK_EQ("apic divide config keeps bits 0,1,3", apic_reg_read(&s, 0x3e0), 0xb);
}

static void test_timer(void)
{
    APICState s; FakeClock c; Wires w;
    setup(&s, &c, &w);
    apic_reg_write(&s, 0xf0, 0x1ff);
    apic_reg_write(&s, 0x3e0, 0x3);          /* divide by 16 */
    apic_reg_write(&s, 0x320, 0x40);         /* one-shot, vector 0x40 */
    apic_reg_write(&s, 0x380, 1000);
    CHECK_EQ("apic timer: current = initial at load", apic_reg_read(&s, 0x390), 1000);
    fake_clock_advance(&c, 8000);
    CHECK_EQ("apic timer: /16 after 8000 ns", apic_reg_read(&s, 0x390), 500);
    CHECK_EQ("apic timer: no interrupt yet", w.intr, 0);
    fake_clock_advance(&c, 8000);
    CHECK_EQ("apic timer: one-shot reaches 0", apic_reg_read(&s, 0x390), 0);
    fake_clock_advance(&c, 16);
    CHECK_EQ("apic timer: one-shot fired (IRR 0x40)", apic_reg_read(&s, 0x220) & 1, 1);
    CHECK_EQ("apic timer: INTR raised", w.intr, 1);
    CHECK_EQ("apic timer: acknowledge gives 0x40", apic_get_interrupt(&s), 0x40);
    CHECK_EQ("apic timer: ISR 0x40", apic_reg_read(&s, 0x120) & 1, 1);
    CHECK_EQ("apic timer: INTR lowered", w.intr, 0);
    apic_reg_write(&s, 0xb0, 0);
    CHECK_EQ("apic EOI clears ISR", apic_reg_read(&s, 0x120), 0);
    CHECK_EQ("apic EOI of edge vector: no broadcast", w.eois, 0);
    fake_clock_advance(&c, 1000000);
    CHECK_EQ("apic timer: one-shot does not fire again", w.intr, 0);

    /* periodic, divide by 1: every initial+1 ns */
    apic_reg_write(&s, 0x3e0, 0xb);
    apic_reg_write(&s, 0x320, 0x20041);
    apic_reg_write(&s, 0x380, 99);
    int fired = 0;
    for (int i = 0; i < 100; i++) {
        fake_clock_advance(&c, 10);
        if (w.intr) {
            if (apic_get_interrupt(&s) == 0x41)
                fired++;
            apic_reg_write(&s, 0xb0, 0);
        }
    }
    CHECK_EQ("apic timer: periodic fires 10 times in 1000 ns", fired, 10);
    fake_clock_advance(&c, 50);
    uint32_t cur = apic_reg_read(&s, 0x390);
    CHECK("apic timer: periodic count wraps", cur <= 99);
    apic_reg_write(&s, 0x380, 0);
    CHECK("apic timer: initial count 0 stops it", !timer_pending(&s.timer));
    /* masked timer counts but does not interrupt */
    apic_reg_write(&s, 0x320, 0x10042);
    apic_reg_write(&s, 0x380, 10);
    fake_clock_advance(&c, 100);
    CHECK_EQ("apic timer: masked LVT, no IRR", apic_reg_read(&s, 0x220) & 4, 0);
}

static void test_priority(void)
{
    APICState s; FakeClock c; Wires w;
    setup(&s, &c, &w);
    apic_reg_write(&s, 0xf0, 0x1ff);
    apic_reg_write(&s, 0x350, 0x10700);      /* LINT0 masked: no PIC path */
    apic_deliver(&s, 0, 0, APIC_DM_FIXED, 0x31, 0);
    apic_deliver(&s, 0, 0, APIC_DM_FIXED, 0x52, 0);
    CHECK_EQ("apic IRR word 1 (0x31)", apic_reg_read(&s, 0x210), 1u << 0x11);
    CHECK_EQ("apic IRR word 2 (0x52)", apic_reg_read(&s, 0x220), 1u << 0x12);
    CHECK_EQ("apic highest first", apic_get_interrupt(&s), 0x52);
    CHECK_EQ("apic PPR = ISR class", apic_reg_read(&s, 0xa0), 0x50);
    CHECK_EQ("apic lower class held by PPR", w.intr, 0);
    CHECK_EQ("apic ack with only a lower class pending: spurious vector", apic_get_interrupt(&s), 0xff);
    apic_reg_write(&s, 0xb0, 0);
    CHECK_EQ("apic after EOI the lower one is raised", w.intr, 1);
    apic_reg_write(&s, 0x80, 0x40);
    CHECK_EQ("apic TPR 0x40 masks class 3", w.intr, 0);
    CHECK_EQ("apic PPR = TPR", apic_reg_read(&s, 0xa0), 0x40);
    CHECK_EQ("apic ack masked by TPR: spurious vector", apic_get_interrupt(&s), 0xff);
    apic_set_tpr_cr8(&s, 2);
    CHECK_EQ("apic CR8 write sets TPR[7:4]", apic_reg_read(&s, 0x80), 0x20);
    CHECK_EQ("apic CR8 read", apic_get_tpr_cr8(&s), 2);
    CHECK_EQ("apic CR8 lowering TPR raises INTR", w.intr, 1);
    CHECK_EQ("apic then 0x31", apic_get_interrupt(&s), 0x31);
    /* level-triggered: TMR, EOI broadcast */
    apic_deliver(&s, 0, 0, APIC_DM_FIXED, 0x60, 1);
    CHECK_EQ("apic TMR set for level vector", apic_reg_read(&s, 0x1b0), 1);
    CHECK_EQ("apic nested higher vector", apic_get_interrupt(&s), 0x60);
    apic_reg_write(&s, 0xb0, 0);
    CHECK_EQ("apic EOI broadcast for level vector", w.last_eoi, 0x60);
    apic_reg_write(&s, 0xb0, 0);
    CHECK_EQ("apic second EOI (edge 0x31): no broadcast", w.eois, 1);
    CHECK_EQ("apic ISR empty", apic_reg_read(&s, 0x110) | apic_reg_read(&s, 0x160), 0);
    /* destination checks */
    apic_deliver(&s, 5, 0, APIC_DM_FIXED, 0x70, 0);
    CHECK_EQ("apic physical dest mismatch ignored", apic_reg_read(&s, 0x230), 0);
    apic_reg_write(&s, 0xd0, 0x01000000);
    apic_deliver(&s, 0x03, 1, APIC_DM_FIXED, 0x70, 0);
    CHECK_EQ("apic logical flat dest match", apic_reg_read(&s, 0x230), 0x10000);
    apic_deliver(&s, 0, 0, APIC_DM_NMI, 0, 0);
    CHECK_EQ("apic NMI message", w.nmis, 1);
}

static void test_ipi_esr(void)
{
    APICState s; FakeClock c; Wires w;
    setup(&s, &c, &w);
    apic_reg_write(&s, 0xf0, 0x1ff);
    apic_reg_write(&s, 0x300, 0x00040077);   /* shorthand self, fixed, vector 0x77 */
    CHECK_EQ("apic self-IPI sets IRR", apic_reg_read(&s, 0x230), 1u << 0x17);
    CHECK_EQ("apic ICR delivery status idle", apic_reg_read(&s, 0x300) & (1u << 12), 0);
    apic_reg_write(&s, 0x310, 0x00000000);
    apic_reg_write(&s, 0x300, 0x00000078);   /* no shorthand, physical dest 0 = self */
    CHECK_EQ("apic IPI to own ID", apic_reg_read(&s, 0x230), 3u << 0x17);
    apic_reg_write(&s, 0x310, 0x01000000);
    apic_reg_write(&s, 0x300, 0x00000079);   /* absent CPU 1 */
    CHECK_EQ("apic IPI to absent CPU dropped", apic_reg_read(&s, 0x230), 3u << 0x17);
    apic_reg_write(&s, 0x300, 0x000c4500);   /* INIT to all excluding self */
    apic_reg_write(&s, 0x300, 0x000c4608);   /* SIPI */
    CHECK_EQ("apic INIT/SIPI to others: nothing", w.nmis, 0);
    apic_reg_write(&s, 0x370, 0xe0);         /* LVT error vector 0xe0 */
    apic_reg_write(&s, 0x300, 0x00040005);   /* illegal vector 5 */
    CHECK_EQ("apic ESR before write reads old", apic_reg_read(&s, 0x280), 0);
    apic_reg_write(&s, 0x280, 0);
    CHECK_EQ("apic ESR send illegal vector", apic_reg_read(&s, 0x280), 0x20);
    CHECK_EQ("apic LVT error interrupt", apic_reg_read(&s, 0x270), 1);
    apic_reg_write(&s, 0x280, 0);
    CHECK_EQ("apic ESR cleared by the next write", apic_reg_read(&s, 0x280), 0);
    apic_reg_write(&s, 0x360, 0x400);        /* LINT1 NMI */
    apic_set_lint1(&s, 1);
    apic_set_lint1(&s, 0);
    CHECK_EQ("apic LINT1 NMI", w.nmis, 1);
}

static void test_pic_path(void)
{
    APICState s; FakeClock c; Wires w;
    setup(&s, &c, &w);
    w.pic_vector = 0x20;
    apic_set_lint0(&s, 1);
    CHECK_EQ("apic LINT0 ExtINT: PIC reaches INTR (SVR disabled, as QEMU)", w.intr, 1);
    CHECK_EQ("apic ExtINT acknowledge asks the PIC", apic_get_interrupt(&s), 0x20);
    CHECK_EQ("apic ExtINT: one INTA", w.pic_acks, 1);
    apic_set_lint0(&s, 0);
    CHECK_EQ("apic LINT0 low: INTR low", w.intr, 0);
    apic_reg_write(&s, 0xf0, 0x1ff);
    apic_reg_write(&s, 0x350, 0x10700);
    apic_set_lint0(&s, 1);
    CHECK_EQ("apic LINT0 masked: PIC blocked", w.intr, 0);
    apic_set_base(&s, 0xfee00000);           /* hardware disable */
    CHECK_EQ("apic hw-disabled: PIC straight to the CPU", w.intr, 1);
    CHECK_EQ("apic hw-disabled: base MSR", apic_get_base(&s), 0xfee00100);
    CHECK_EQ("apic hw-disabled: acknowledge is the PIC's", apic_get_interrupt(&s), 0x20);
    apic_deliver(&s, 0, 0, APIC_DM_FIXED, 0x40, 0);
    CHECK_EQ("apic hw-disabled: messages dropped", s.irr[2], 0);
    apic_set_lint0(&s, 0);
    apic_set_base(&s, 0xfee00800);
    CHECK_EQ("apic re-enabled: state was reset (SVR)", apic_reg_read(&s, 0xf0), 0xff);
}

static void test_relocation(void)
{
    APICState s; FakeClock c; Wires w;
    setup(&s, &c, &w);
    AddressSpace *as = address_space_new("memory");
    CHECK("apic mapped at 0xFEE00000", apic_map(&s, as));
    address_space_stn(as, 0xfee00080, 0x30, 4, NULL);
    CHECK_EQ("apic MMIO TPR write/read", address_space_ldn(as, 0xfee00080, 4, NULL), 0x30);
    CHECK_EQ("apic MMIO version", address_space_ldn(as, 0xfee00030, 4, NULL), 0x50014);
    apic_set_base(&s, 0xfed00800);
    CHECK_EQ("apic relocated: new base answers", address_space_ldn(as, 0xfed00080, 4, NULL), 0x30);
    CHECK_EQ("apic relocated: old base is gone", address_space_ldn(as, 0xfee00080, 4, NULL), 0xffffffff);
    apic_set_base(&s, 0xfee00800);
    CHECK_EQ("apic moved back", address_space_ldn(as, 0xfee00080, 4, NULL), 0x30);
    address_space_free(as);
}

void test_apic(void)
{
    test_relocation();
    test_reset_values();
    test_timer();
    test_priority();
    test_ipi_esr();
    test_pic_path();
}
