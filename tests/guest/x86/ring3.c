/*
 * Guest test: ring 3.  A TSS (GDT 0x40) gives the ring-0 stack for traps
 * from CPL3; ring3_call() IRETs to a function at CPL3 (CS 0x23, SS 0x2b),
 * which comes back with INT 0x3f (a DPL3 gate).  At CPL3: privileged
 * instructions, I/O with IOPL 0 and INT n through a DPL0 gate raise #GP with
 * the manual's error codes; with paging on, a supervisor page raises #PF
 * with the U bit in the error code.  Ring-3 code cannot print (I/O faults):
 * it records, ring 0 checks.
 */
#include "lib.h"
#include "user.h"

#define VA_SUP 0x00700000u


/* results recorded at CPL3: vector, error, eip-ok per probe */
static uint32_t rec[16][3];
static uint32_t user_cs, user_ss;

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
    ring3_setup(gdt, RUNTIME_GDT_N);

    ring3_call(user_main);
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
    ring3_call(user_paging);
    expect(9, "pf_user_read_sup", 14, 5);
    expect(10, "pf_user_write_sup", 14, 7);
    pt_disable();
    return check_failures ? 1 : 0;
}
