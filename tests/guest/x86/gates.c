/*
 * Guest test: call gates and descriptor checks. From ring 3, a far CALL
 * through a DPL3 32-bit call gate reaches ring 0 on the TSS stack with two
 * parameters copied, and RET FAR 8 returns; a DPL0 gate, a gate to a data
 * segment, a not-present gate, a null selector and a data segment as a far
 * target raise #GP/#NP with the manual's error codes; a conforming ring-0
 * code segment runs at CPL3. LAR, LSL, VERR, VERW and ARPL are checked on
 * code, data, system and out-of-range selectors at CPL0 and CPL3.
 */
#include "lib.h"
#include "user.h"

#define SEL_GATE3   0x48   /* 32-bit call gate, DPL3 -> 0x08:gate_target, 2 params */
#define SEL_GATE0   0x50   /* 32-bit call gate, DPL0 -> 0x08:gate_target */
#define SEL_CONF    0x58   /* conforming code, DPL0 */
#define SEL_GATE_NP 0x60   /* call gate, not present */
#define SEL_GATE_DATA 0x68 /* call gate whose target is a data segment */
#define GDT_N 16

static uint64_t big_gdt[GDT_N] __attribute__((aligned(8)));

/* what the gate target saw (ring 0) */
uint32_t gt_cs, gt_ss, gt_p1, gt_p2, gt_old_ss, gt_esp_ok, gt_count;
/* results recorded at CPL3 */
static uint32_t rec[16][3];
uint32_t conf_cs;
static uint32_t lar_user[4], lar_user_zf[4];

void gate_target(void);
void conf_target(void);
__asm__(".text\n"
        /* ring 0 through the gate: [esp] eip, cs, p1, p2, old esp, old ss */
        ".globl gate_target\ngate_target:\n\t"
        "incl gt_count\n\t"
        "movw %cs, gt_cs\n\tmovw %ss, gt_ss\n\t"
        "pushl %eax\n\t"
        "movl 12(%esp), %eax\n\tmovl %eax, gt_p1\n\t"
        "movl 16(%esp), %eax\n\tmovl %eax, gt_p2\n\t"
        "movl 24(%esp), %eax\n\tmovl %eax, gt_old_ss\n\t"
        "movl 20(%esp), %eax\n\tsubl 16(%esp), %eax\n\t"   /* old esp - p2: 0 when both match */
        "movl %eax, gt_esp_ok\n\t"
        "popl %eax\n\t"
        "lret $8\n"
        ".globl conf_target\nconf_target:\n\t"
        "movw %cs, conf_cs\n\t"
        "lret\n");

#define PROBE(i, insn, ...)                                                  \
    do {                                                                     \
        uint32_t c0_ = trap_last.count;                                      \
        __asm__ volatile("movl $1f, trap_resume\n\t" insn "\n1:\n\t"         \
                         : : __VA_ARGS__);                                   \
        rec[i][0] = trap_last.count - c0_ == 1 ? trap_last.vector : 0xff;    \
        rec[i][1] = trap_last.error;                                         \
        rec[i][2] = 1;                                                       \
    } while (0)

volatile uint32_t far_ptr[2];   /* offset, selector: used from asm by name */

static void user_main(void)
{
    /* through the DPL3 gate with two parameters; the target pops them */
    uint32_t esp_before, esp_after;
    __asm__ volatile("movl %%esp, %0\n\t"
                     "pushl %%esp\n\t"        /* p2: this ESP, compared by the target */
                     "pushl $0x1234abcd\n\t"  /* p1 */
                     "lcall *far_ptr\n\t"
                     "movl %%esp, %1"
                     : "=&r"(esp_before), "=&r"(esp_after) : : "memory");
    rec[0][0] = esp_before - esp_after;   /* 0: lret $8 dropped the parameters */
    far_ptr[1] = SEL_GATE0;
    PROBE(1, "lcall *far_ptr", "i"(0) : "memory");
    far_ptr[1] = SEL_CONF;
    far_ptr[0] = (uint32_t)conf_target;
    PROBE(2, "lcall *far_ptr", "i"(0) : "memory");
    far_ptr[1] = SEL_GATE_NP;
    PROBE(3, "lcall *far_ptr", "i"(0) : "memory");
    far_ptr[1] = SEL_GATE_DATA;
    PROBE(4, "lcall *far_ptr", "i"(0) : "memory");
    static const uint32_t sels[4] = { 0x08, 0x2b, SEL_TSS, SEL_GATE3 };
    for (int i = 0; i < 4; i++) {
        uint32_t v = 0xdeadbeef, zf;
        __asm__ volatile("larl %2, %0\n\tsetz %b1" : "+r"(v), "=q"(zf) : "r"(sels[i]));
        lar_user[i] = v;
        lar_user_zf[i] = zf & 1;
    }
    __asm__ volatile("int $0x3f");
}

static void expect(int i, const char *name, uint32_t vector, uint32_t error)
{
    char n[40];
    printf("%s: vector=%u error=%x\n", name, rec[i][0], rec[i][1]);
    snprintf(n, sizeof(n), "%s.vector", name);
    check(n, rec[i][0], vector);
    snprintf(n, sizeof(n), "%s.error", name);
    check(n, rec[i][1], error);
}

static uint64_t gate(uint32_t sel, void (*fn)(void), int dpl, int present, int params)
{
    uint32_t off = (uint32_t)fn;
    return (off & 0xffff) | (uint64_t)sel << 16 | (uint64_t)(params & 0x1f) << 32 |
           (uint64_t)(0xc | dpl << 5 | present << 7) << 40 | (uint64_t)(off >> 16) << 48;
}

/* LAR/LSL/VERR/VERW at CPL0 on a selector: one line with ZF and values */
static void query(uint32_t sel)
{
    uint32_t lar = 0xdeadbeef, lsl = 0xdeadbeef, zl, zs, zr, zw;
    __asm__ volatile("larl %2, %0\n\tsetz %b1" : "+r"(lar), "=q"(zl) : "r"(sel));
    __asm__ volatile("lsll %2, %0\n\tsetz %b1" : "+r"(lsl), "=q"(zs) : "r"(sel));
    __asm__ volatile("verr %w1\n\tsetz %b0" : "=q"(zr) : "r"(sel));
    __asm__ volatile("verw %w1\n\tsetz %b0" : "=q"(zw) : "r"(sel));
    printf("sel %04x: lar zf=%u %08x lsl zf=%u %08x verr=%u verw=%u\n", sel, zl & 1,
           (zl & 1) ? lar : 0, zs & 1, (zs & 1) ? lsl : 0, zr & 1, zw & 1);
}

int main(void)
{
    big_gdt[SEL_GATE3 / 8] = gate(0x08, gate_target, 3, 1, 2);
    big_gdt[SEL_GATE0 / 8] = gate(0x08, gate_target, 0, 1, 2);
    big_gdt[SEL_CONF / 8] = 0x00cf9e000000ffffull;
    big_gdt[SEL_GATE_NP / 8] = gate(0x08, gate_target, 3, 0, 0);
    big_gdt[SEL_GATE_DATA / 8] = gate(0x10, gate_target, 3, 1, 0);
    ring3_setup(big_gdt, GDT_N);

    /* ring 0: the DPL0 gate at the same privilege (no stack switch) */
    far_ptr[0] = 0;
    far_ptr[1] = SEL_GATE0;
    uint32_t e0, e1;
    __asm__ volatile("movl %%esp, %0\n\tpushl $2\n\tpushl $1\n\tlcall *far_ptr\n\tmovl %%esp, %1"
                     : "=&r"(e0), "=&r"(e1) : : "memory");
    check("gate0_same_level.count", gt_count, 1);
    check("gate0_same_level.cs", gt_cs & 0xffff, 0x08);
    check("gate0_same_level.p1", gt_p1, 1);
    check("gate0_same_level.esp", e0 - e1, 0);

    /* descriptor faults at CPL0 */
    far_ptr[1] = 0;
    PROBE(8, "lcall *far_ptr", "i"(0) : "memory");
    expect(8, "call_null", 13, 0);
    far_ptr[1] = 0x10;
    PROBE(9, "ljmp *far_ptr", "i"(0) : "memory");
    expect(9, "jmp_data_seg", 13, 0x10);
    far_ptr[1] = 0x400;
    PROBE(10, "ljmp *far_ptr", "i"(0) : "memory");
    expect(10, "jmp_beyond_gdt", 13, 0x400);
    far_ptr[1] = SEL_GATE_NP;
    PROBE(11, "ljmp *far_ptr", "i"(0) : "memory");
    expect(11, "jmp_gate_not_present", 11, SEL_GATE_NP);
    far_ptr[1] = 0x23;
    PROBE(12, "ljmp *far_ptr", "i"(0) : "memory");
    expect(12, "jmp_ring3_code", 13, 0x20);
    trap_resume = 0;

    /* ring 3 */
    far_ptr[0] = 0;
    far_ptr[1] = SEL_GATE3;
    gt_count = 0;
    ring3_call(user_main);
    check("gate3.count", gt_count, 1);
    check("gate3.cs", gt_cs & 0xffff, 0x08);
    check("gate3.ss", gt_ss & 0xffff, 0x10);
    check("gate3.p1", gt_p1, 0x1234abcd);
    check("gate3.p2_is_user_esp", gt_esp_ok, 0xfffffff8u);
    check("gate3.old_ss", gt_old_ss & 0xffff, 0x2b);
    check("gate3.params_dropped", rec[0][0], 0);
    expect(1, "user_gate_dpl0", 13, SEL_GATE0);
    check("conforming.cs", conf_cs & 0xffff, SEL_CONF | 3);
    expect(2, "user_conforming", 0xff, rec[2][1]);
    expect(3, "user_gate_not_present", 11, SEL_GATE_NP);
    expect(4, "user_gate_to_data", 13, 0x10);
    for (int i = 0; i < 4; i++)
        printf("user lar %d: zf=%u %08x\n", i, lar_user_zf[i], lar_user_zf[i] ? lar_user[i] : 0);

    /* descriptor queries at CPL0 */
    static const uint32_t qs[] = { 0, 0x08, 0x10, 0x18, 0x23, 0x2b, 0x30, 0x38, SEL_TSS,
                                   SEL_GATE3, SEL_CONF, 0x43, 0x400 };
    for (unsigned i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
        query(qs[i]);
    uint16_t a = 0x0010, zf;
    __asm__ volatile("arpl %w2, %w0\n\tsetz %b1" : "+r"(a), "=q"(zf) : "r"(0x2b));
    printf("arpl 0010,002b: %04x zf=%u\n", a, zf & 1);
    check("arpl_raise", a, 0x13);
    __asm__ volatile("arpl %w2, %w0\n\tsetz %b1" : "+r"(a), "=q"(zf) : "r"(0x08));
    check("arpl_keep", a << 4 | (zf & 1), 0x130);
    return check_failures ? 1 : 0;
}
