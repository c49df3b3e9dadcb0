/*
 * Guest test: exceptions and interrupts through our IDT: #DE, #UD (UD2,
 * LOCK NOP), #BP (INT3, a trap: EIP after it), INTO (#OF), BOUND (#BR),
 * INT n, and #GP/#NP with error codes from segment loads (selector past the
 * GDT limit, LDT selector, null SS, read-only or code SS, DPL mismatch, not
 * present).  Segment limits on data accesses are not tested: QEMU, the
 * reference, does not check them.
 * Must stay true: after each trap the segment registers are flat again.
 */
#include "lib.h"

/* Runs 'body' (which marks the faulting insn "2:" and the resume point "1:")
 * and returns the faulting-insn (fault) or resume (trap) address in *at. */
#define TRY(body, at, in, ...)                                                   \
    __asm__ volatile("movl $1f, trap_resume\n\t" body "\n1:\n\t"             \
                     "movl $2b, %0\n\tmovl $1b, %1"                          \
                     : "=r"(at[0]), "=r"(at[1]) : in : "memory", "cc", ##__VA_ARGS__)

static void expect(const char *name, uint32_t vector, uint32_t error,
                   uint32_t eip, uint32_t count0)
{
    char n[48];
    printf("%s: vector=%u error=%04x count=%u\n", name, trap_last.vector,
           trap_last.error, trap_last.count - count0);
    snprintf(n, sizeof(n), "%s.vector", name);
    check(n, trap_last.vector, vector);
    snprintf(n, sizeof(n), "%s.error", name);
    check(n, trap_last.error, error);
    snprintf(n, sizeof(n), "%s.eip", name);
    check(n, trap_last.eip, eip);
}

static void flat_segments(void)
{
    __asm__ volatile("movw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\t"
                     "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\tmovw %%ax, %%ss"
                     : : : "eax", "memory");
}

int main(void)
{
    uint32_t at[2], c0;
    static const int32_t bounds[2] = { 10, 20 };

    c0 = trap_last.count;
    TRY("xorl %%edx, %%edx\n\tmovl $1, %%eax\n\txorl %%ecx, %%ecx\n"
        "2:\tdivl %%ecx", at, "i"(0), "eax", "ecx", "edx");
    expect("de", 0, 0, at[0], c0);

    c0 = trap_last.count;
    TRY("2:\tud2", at, "i"(0));
    expect("ud2", 6, 0, at[0], c0);

    c0 = trap_last.count;
    TRY("2:\t.byte 0xf0, 0x90", at, "i"(0));
    expect("lock_nop_ud", 6, 0, at[0], c0);

    c0 = trap_last.count;
    TRY("2:\tint3", at, "i"(0));
    expect("int3", 3, 0, at[1], c0);

    c0 = trap_last.count;
    TRY("2:\tint $0x30", at, "i"(0));
    expect("int_0x30", 0x30, 0, at[1], c0);

    c0 = trap_last.count;
    TRY("2:\tint $0x80", at, "i"(0));
    expect("int_0x80", 0x80, 0, at[1], c0);

    c0 = trap_last.count;
    TRY("movl $0x7fffffff, %%eax\n\taddl $1, %%eax\n2:\tinto", at, "i"(0), "eax");
    expect("into", 4, 0, at[1], c0);

    /* INTO with OF clear does nothing */
    c0 = trap_last.count;
    __asm__ volatile("xorl %%eax, %%eax\n\tinto" : : : "eax", "cc");
    check("into_no_of", trap_last.count - c0, 0);

    c0 = trap_last.count;
    TRY("movl $25, %%eax\n2:\tboundl %%eax, (%2)", at, "r"(bounds), "eax");
    expect("bound", 5, 0, at[0], c0);

    c0 = trap_last.count;
    __asm__ volatile("movl $15, %%eax\n\tboundl %%eax, (%0)" : : "r"(bounds)
                     : "eax", "memory");
    check("bound_in_range", trap_last.count - c0, 0);

    /* selector 0x1233 (RPL 3) is past the GDT limit: #GP(0x1230) */
    c0 = trap_last.count;
    TRY("movw $0x1233, %%ax\n2:\tmovw %%ax, %%ds", at, "i"(0), "eax");
    flat_segments();
    expect("gp_ds_limit", 13, 0x1230, at[0], c0);

    /* 0x1234 has TI set: the LDT (limit 0) -> #GP(0x1234) */
    c0 = trap_last.count;
    TRY("movw $0x1234, %%ax\n2:\tmovw %%ax, %%fs", at, "i"(0), "eax");
    flat_segments();
    expect("gp_fs_ldt", 13, 0x1234, at[0], c0);

    c0 = trap_last.count;
    TRY("xorl %%eax, %%eax\n2:\tmovw %%ax, %%ss", at, "i"(0), "eax");
    flat_segments();
    expect("gp_ss_null", 13, 0, at[0], c0);

    c0 = trap_last.count;
    TRY("movw $0x38, %%ax\n2:\tmovw %%ax, %%ss", at, "i"(0), "eax");
    flat_segments();
    expect("gp_ss_readonly", 13, 0x38, at[0], c0);

    c0 = trap_last.count;
    TRY("movw $0x08, %%ax\n2:\tmovw %%ax, %%ss", at, "i"(0), "eax");
    flat_segments();
    expect("gp_ss_code", 13, 0x08, at[0], c0);

    c0 = trap_last.count;
    TRY("movw $0x28, %%ax\n2:\tmovw %%ax, %%ss", at, "i"(0), "eax");
    flat_segments();
    expect("gp_ss_dpl3", 13, 0x28, at[0], c0);

    c0 = trap_last.count;
    TRY("movw $0x18, %%ax\n2:\tmovw %%ax, %%es", at, "i"(0), "eax");
    flat_segments();
    expect("np_es", 11, 0x18, at[0], c0);

    /* null selector into DS/ES is allowed; using it is not tested */
    c0 = trap_last.count;
    __asm__ volatile("xorl %%eax, %%eax\n\tmovw %%ax, %%fs\n\tmovw %%ax, %%gs"
                     : : : "eax");
    flat_segments();
    check("null_fs_gs_ok", trap_last.count - c0, 0);

    printf("traps taken %u\n", trap_last.count);
    return check_failures ? 1 : 0;
}
