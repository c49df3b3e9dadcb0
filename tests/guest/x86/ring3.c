/*
 * Guest test: ring 3.  A TSS (GDT 0x40) gives the ring-0 stack for traps
 * from CPL3; ring3_enter() IRETs to a function at CPL3 (CS 0x23, SS 0x2b),
 * which comes back with INT 0x3f (a DPL3 gate).  At CPL3: privileged
 * instructions, I/O with IOPL 0 and INT n through a DPL0 gate raise #GP with
 * the manual's error codes; with paging on, a supervisor page raises #PF
 * with the U bit in the error code.  Ring-3 code cannot print (I/O faults):
 * it records, ring 0 checks.
 */
#include "lib.h"

#define SEL_TSS 0x40
#define VEC_RETURN 0x3f
#define VA_SUP 0x00700000u

struct tss32 {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap;
};

extern uint64_t gdt[];
extern uint64_t idt[];
struct tss32 ring3_tss __attribute__((aligned(64)));
uint32_t ring3_saved_esp;
static uint8_t user_stack[8192] __attribute__((aligned(16)));

/* results recorded at CPL3: vector, error, eip-ok per probe */
static uint32_t rec[16][3];
static uint32_t user_cs, user_ss;

void ring3_enter(void (*fn)(void), uint32_t user_esp);
void ring3_leave(void) __attribute__((noreturn));
__asm__(".text\n"
        ".globl ring3_enter\nring3_enter:\n\t"
        "pushl %ebp\n\tpushl %ebx\n\tpushl %esi\n\tpushl %edi\n\t"
        "movl %esp, ring3_saved_esp\n\t"
        "movl %esp, ring3_tss+4\n\t"
        "movl 20(%esp), %eax\n\tmovl 24(%esp), %ecx\n\t"
        "pushl $0x2b\n\tpushl %ecx\n\tpushfl\n\tpushl $0x23\n\tpushl %eax\n\t"
        "movw $0x2b, %dx\n\tmovw %dx, %ds\n\tmovw %dx, %es\n\t"
        "movw %dx, %fs\n\tmovw %dx, %gs\n\t"
        "iret\n"
        ".globl ring3_leave\nring3_leave:\n\t"
        "movl ring3_saved_esp, %esp\n\t"
        "movw $0x10, %ax\n\tmovw %ax, %ds\n\tmovw %ax, %es\n\t"
        "movw %ax, %fs\n\tmovw %ax, %gs\n\t"
        "popl %edi\n\tpopl %esi\n\tpopl %ebx\n\tpopl %ebp\n\tret\n");

static int ring3_hook(struct trap_frame *f)
{
    if (f->vector == VEC_RETURN && (f->cs & 3) == 3)
        ring3_leave();
    return 0;
}

/* at CPL3: run 'insn' armed, record the trap into rec[i] */
#define PROBE(i, insn, ...)                                                  \
    do {                                                                     \
        uint32_t at_, c0_ = trap_last.count;                                 \
        __asm__ volatile("movl $1f, trap_resume\n2:\t" insn "\n1:\n\t"       \
                         "movl $2b, %0" : "=r"(at_) : __VA_ARGS__);          \
        rec[i][0] = trap_last.count - c0_ == 1 ? trap_last.vector : 0xff;    \
        rec[i][1] = trap_last.error;                                         \
        rec[i][2] = trap_last.eip == at_;                                    \
    } while (0)

static void user_main(void)
{
    __asm__ volatile("movl %%cs, %0\n\tmovl %%ss, %1" : "=r"(user_cs), "=r"(user_ss));
    PROBE(0, "cli", "i"(0) : "memory");
    PROBE(1, "hlt", "i"(0) : "memory");
    PROBE(2, "movl %%cr0, %%eax", "i"(0) : "eax", "memory");
    PROBE(3, "inb $0x80, %%al", "i"(0) : "eax", "memory");
    PROBE(4, "outb %%al, $0x80", "i"(0) : "memory");
    PROBE(5, "int $0x30", "i"(0) : "memory");
    PROBE(6, "lgdt (%%esp)", "i"(0) : "memory");
    PROBE(7, "movw %%ax, %%ss", "a"(0x10) : "memory");
    PROBE(8, "ud2", "i"(0) : "memory");
    __asm__ volatile("int $0x3f");
}

static void user_paging(void)
{
    PROBE(9, "movl (%0), %%eax", "r"(VA_SUP) : "eax", "memory");
    PROBE(10, "movl %%eax, (%0)", "r"(VA_SUP + 8) : "memory");
    __asm__ volatile("int $0x3f");
}

static void expect(int i, const char *name, uint32_t vector, uint32_t error)
{
    char n[40];
    printf("%s: vector=%u error=%x at_insn=%u\n", name, rec[i][0], rec[i][1],
           rec[i][2]);
    snprintf(n, sizeof(n), "%s.vector", name);
    check(n, rec[i][0], vector);
    snprintf(n, sizeof(n), "%s.error", name);
    check(n, rec[i][1], error);
    snprintf(n, sizeof(n), "%s.eip", name);
    check(n, rec[i][2], 1);
}

int main(void)
{
    uint32_t base = (uint32_t)&ring3_tss, limit = sizeof(ring3_tss) - 1;
    ring3_tss.ss0 = 0x10;
    ring3_tss.iomap = sizeof(ring3_tss);    /* no I/O bitmap */
    /* available 32-bit TSS, DPL0, byte granularity */
    gdt[SEL_TSS / 8] = (limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
                       (uint64_t)0x89 << 40 | (uint64_t)(limit >> 16 & 0xf) << 48 |
                       (uint64_t)(base >> 24) << 56;
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
    /* the return gate is callable from CPL3 */
    idt[VEC_RETURN] |= (uint64_t)0x60 << 40;
    trap_hook = ring3_hook;

    ring3_enter(user_main, (uint32_t)user_stack + sizeof(user_stack));
    check("back_in_ring0", ({ uint32_t cs; __asm__("movl %%cs, %0" : "=r"(cs)); cs; }), 0x08);
    check("user_cs", user_cs & 0xffff, 0x23);
    check("user_ss", user_ss & 0xffff, 0x2b);
    expect(0, "cli", 13, 0);
    expect(1, "hlt", 13, 0);
    expect(2, "mov_cr0", 13, 0);
    expect(3, "in_iopl0", 13, 0);
    expect(4, "out_iopl0", 13, 0);
    expect(5, "int_dpl0_gate", 13, 0x30 * 8 + 2);
    expect(6, "lgdt", 13, 0);
    expect(7, "ss_dpl0", 13, 0x10);
    expect(8, "ud2", 6, 0);

    pt_init(8);
    *pt_pte(VA_SUP) &= ~4u;          /* supervisor-only page */
    *pt_pte(VA_SUP + 8) &= ~4u;
    pt_enable();
    ring3_enter(user_paging, (uint32_t)user_stack + sizeof(user_stack));
    expect(9, "pf_user_read_sup", 14, 5);
    expect(10, "pf_user_write_sup", 14, 7);
    pt_disable();
    return check_failures ? 1 : 0;
}
