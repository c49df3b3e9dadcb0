/*
 * Guest test: segment limit and type checks on data accesses (SDM vol. 3,
 * 5.3 and 5.4.1) in 32- and 16-bit protected mode: expand-up and
 * expand-down (B = 0 and 1) data segments at their boundaries, the last
 * byte of a multi-byte access, SS limits on PUSH/POP/ENTER and EBP-based
 * operands (#SS(0), at CPL3 so the fault frame goes to the ring-0 stack),
 * writes to read-only data and to code, reads of execute-only code, a null
 * selector used for an access, real mode (the hidden 64 KiB limits: #GP,
 * #SS for SS), string instructions (REP stops with the
 * registers at the faulting element), x87, SSE and FXSAVE operands.
 * QEMU 7.2 checks none of these on data accesses, so the cases it gets
 * wrong are named "sdm.*": tests/guest/x86/seglimit.sh checks them against
 * the SDM (the program's own checks) and compares every other line, the
 * accesses that must work, with QEMU.
 * Must stay true: after each case the segment registers are flat again.
 */
#include "lib.h"

#define AREA  0x00400000u   /* data windows: 64 KiB of a known pattern */
#define AREA3 0x00500000u   /* the ring-3 stack windows */
#define NONE  0xffu

/* our GDT: the runtime's (0x00-0x40), then the test descriptors */
#define SEL_TSS    0x40
#define SEL_UP     0x48     /* RW, expand-up, base AREA, limit 0xfff */
#define SEL_RO     0x50     /* read-only, same window */
#define SEL_DOWN32 0x58     /* RW, expand-down, B=1: offsets 0xfffff000.. at AREA */
#define SEL_DOWN16 0x60     /* RW, expand-down, B=0, base AREA, limit 0xfff */
#define SEL_XO     0x68     /* execute-only 32-bit code, flat */
#define SEL_CODE16 0x70     /* 16-bit code, base code16_start */
#define SEL_SS3UP  0x7b     /* DPL3 stack, expand-up, base AREA3, limit 0x1fff */
#define SEL_SS3DN  0x83     /* DPL3 stack, expand-down, B=1, base AREA3, limit 0xfff */
#define SEL_DATA16 0x30     /* the runtime's 16-bit data segment, limit 0xffff */
#define SEL_RMCODE 0x88     /* 16-bit code, base 0x8000: the way into real mode */
#define VEC_RETURN 0x3f

extern uint64_t gdt[];
extern uint64_t idt[];
static uint64_t test_gdt[24] __attribute__((aligned(8)));
static struct { uint16_t limit; uint32_t base; } __attribute__((packed)) test_gdtr;
uint32_t tss[26] __attribute__((aligned(64)));   /* 32-bit TSS: esp0 at 4, ss0 at 8 */
uint8_t fx_area[512] __attribute__((aligned(16)));

static uint64_t desc(uint32_t base, uint32_t limit, uint32_t access, uint32_t flags)
{
    return (uint64_t)(limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
           (uint64_t)access << 40 | (uint64_t)(limit >> 16 & 0xf) << 48 |
           (uint64_t)flags << 52 | (uint64_t)(base >> 24) << 56;
}

static void flat_segments(void)
{
    __asm__ volatile("movw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\t"
                     "movw %%ax, %%fs\n\tmovw %%ax, %%gs\n\tmovw %%ax, %%ss"
                     : : : "eax", "memory");
}

/* after the resume point: flat segments before any memory access (a
 * null DS would fault again) */
#define FLAT_ASM "pushl $0x10\n\tpopl %%ds\n\tpushl $0x10\n\tpopl %%es\n\t" \
                 "pushl $0x10\n\tpopl %%fs\n\tpushl $0x10\n\tpopl %%gs\n\t"

static void fill_area(void)
{
    for (uint32_t i = 0; i < 0x10000; i += 4)
        *(volatile uint32_t *)(AREA + i) = i * 0x9e3779b1u + 0x1234567u;
}

static uint32_t area32(uint32_t off) { return *(volatile uint32_t *)(AREA + off); }
static uint32_t area16(uint32_t off) { return *(volatile uint16_t *)(AREA + off); }

/* One line per case: the trap taken (or none) and, for accesses that
 * work, the value read; the self-checks hold the SDM's answer. */
static uint32_t c0;
static void report(const char *name, uint32_t want_vec, uint32_t val, uint32_t want_val)
{
    char n[48];
    uint32_t vec = trap_last.count == c0 ? NONE : trap_last.vector;
    flat_segments();
    if (vec == NONE) {
        printf("%s: vector=none value=%08x\n", name, val);
    } else {
        printf("%s: vector=%u error=%04x\n", name, vec, trap_last.error);
        snprintf(n, sizeof(n), "%s.error", name);
        check(n, trap_last.error, 0);
    }
    snprintf(n, sizeof(n), "%s.vector", name);
    check(n, vec, want_vec);
    if (want_vec == NONE) {
        snprintf(n, sizeof(n), "%s.value", name);
        check(n, val, want_val);
    }
}

/* A load through segment `sel` (into ES, or `sreg`) at offset `off`. */
#define LOAD(name, sreg, insn, sel, off, want_vec, want_val)                         \
    do {                                                                             \
        uint32_t v_ = 0xdeadbeef;                                                    \
        c0 = trap_last.count;                                                        \
        __asm__ volatile("movl $1f, trap_resume\n\tmovw %w1, %%" sreg "\n\t"         \
                         insn "\n1:\n\t" FLAT_ASM "movl $0, trap_resume"            \
                         : "+a"(v_) : "r"(sel), "d"(off) : "memory", "cc");          \
        report(name, want_vec, v_, want_val);                                        \
    } while (0)

/* A store of `v` through ES at `off`; want_val: what the window holds after */
#define STORE(name, insn, sel, off, v, want_vec, after)                              \
    do {                                                                             \
        c0 = trap_last.count;                                                        \
        __asm__ volatile("movl $1f, trap_resume\n\tmovw %w0, %%es\n\t"               \
                         insn "\n1:\n\t" FLAT_ASM "movl $0, trap_resume"            \
                         : : "r"(sel), "d"(off), "a"(v) : "memory", "cc");           \
        report(name, want_vec, (after), (want_vec) == NONE ? (v) : (after));         \
    } while (0)

static void data_cases(void)
{
    /* expand-up, limit 0xfff: the last byte of the access decides */
    LOAD("up_dword_at_limit", "es", "movl %%es:(%%edx), %%eax", SEL_UP, 0xffc, NONE, area32(0xffc));
    LOAD("sdm.up_dword_across_limit", "es", "movl %%es:(%%edx), %%eax", SEL_UP, 0xffd, 13, 0);
    LOAD("up_byte_at_limit", "es", "movb %%es:(%%edx), %%al", SEL_UP, 0xfff, NONE,
         0xdeadbe00 | (area32(0xffc) >> 24));
    LOAD("sdm.up_byte_past_limit", "es", "movb %%es:(%%edx), %%al", SEL_UP, 0x1000, 13, 0);
    LOAD("sdm.up_word_fs", "fs", "movw %%fs:(%%edx), %%ax", SEL_UP, 0xfff, 13, 0);
    LOAD("up_word_gs", "gs", "movw %%gs:(%%edx), %%ax", SEL_UP, 0xffe, NONE,
         0xdead0000 | area16(0xffe));
    uint32_t before = area32(0x1000);
    STORE("sdm.up_store_past_limit", "movl %%eax, %%es:(%%edx)", SEL_UP, 0x1000, 0x12345678u, 13,
          area32(0x1000));
    check("sdm.up_store_past_limit.unchanged", area32(0x1000), before);
    STORE("up_store_at_limit", "movl %%eax, %%es:(%%edx)", SEL_UP, 0xffc, 0x0badcafeu, NONE,
          area32(0xffc));

    /* read-only data: reads work, writes (and read-modify-writes) fault */
    LOAD("ro_read", "es", "movl %%es:(%%edx), %%eax", SEL_RO, 0x10, NONE, area32(0x10));
    before = area32(0x10);
    STORE("sdm.ro_store", "movl %%eax, %%es:(%%edx)", SEL_RO, 0x10, 0x11111111u, 13, area32(0x10));
    STORE("sdm.ro_add", "addl %%eax, %%es:(%%edx)", SEL_RO, 0x10, 1u, 13, area32(0x10));
    STORE("sdm.ro_xchg", "xchgl %%eax, %%es:(%%edx)", SEL_RO, 0x10, 1u, 13, area32(0x10));
    check("sdm.ro.unchanged", area32(0x10), before);

    fill_area();   /* under QEMU the sdm.* stores went through */
    /* expand-down, B=1: offsets above the limit up to 4 GiB */
    LOAD("down32_bottom", "es", "movl %%es:(%%edx), %%eax", SEL_DOWN32, 0xfffff000u, NONE, area32(0));
    LOAD("down32_top", "es", "movl %%es:(%%edx), %%eax", SEL_DOWN32, 0xfffffffcu, NONE, area32(0xffc));
    LOAD("sdm.down32_across_limit", "es", "movl %%es:(%%edx), %%eax", SEL_DOWN32, 0xffffeffeu, 13, 0);
    LOAD("sdm.down32_low", "es", "movb %%es:(%%edx), %%al", SEL_DOWN32, 0x10, 13, 0);
    LOAD("sdm.down32_wraps_4g", "es", "movl %%es:(%%edx), %%eax", SEL_DOWN32, 0xfffffffeu, 13, 0);

    /* expand-down, B=0: offsets above the limit up to 0xffff */
    LOAD("down16_bottom", "es", "movw %%es:(%%edx), %%ax", SEL_DOWN16, 0x1000, NONE,
         0xdead0000 | area16(0x1000));
    LOAD("down16_top", "es", "movw %%es:(%%edx), %%ax", SEL_DOWN16, 0xfffe, NONE,
         0xdead0000 | area16(0xfffe));
    LOAD("sdm.down16_at_limit", "es", "movw %%es:(%%edx), %%ax", SEL_DOWN16, 0xfff, 13, 0);
    LOAD("sdm.down16_past_64k", "es", "movw %%es:(%%edx), %%ax", SEL_DOWN16, 0xffff, 13, 0);
    LOAD("sdm.down16_above_64k", "es", "movb %%es:(%%edx), %%al", SEL_DOWN16, 0x10000, 13, 0);

    /* a null selector loads, but any access through it is #GP(0) */
    LOAD("sdm.null_ds", "ds", "movl (%%edx), %%eax", 0, AREA, 13, 0);
    LOAD("sdm.null_gs", "gs", "movl %%gs:(%%edx), %%eax", 0, AREA, 13, 0);

    /* code: readable through CS, never writable */
    LOAD("cs_read", "fs", "movl %%cs:(%%edx), %%eax", 0x10, AREA + 0x20, NONE, area32(0x20));
    before = area32(0x20);
    c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tmovl %%eax, %%cs:(%%edx)\n1:\n\tmovl $0, trap_resume"
                     : : "a"(0x55aa55aau), "d"(AREA + 0x20) : "memory", "cc");
    report("sdm.cs_write", 13, 0, 0);
    check("sdm.cs_write.unchanged", area32(0x20), before);

    /* execute-only code: a CS-relative read faults */
    uint32_t v = 0xdeadbeef;
    c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tljmp %[xo], $3f\n3:\n\t"
                     "movl %%cs:(%%edx), %%eax\n1:\n\t"
                     "ljmp $0x08, $4f\n4:\n\tmovl $0, trap_resume"
                     : "+a"(v) : "d"(AREA + 0x20), [xo] "i"(SEL_XO) : "memory", "cc");
    report("sdm.execonly_read", 13, 0, 0);
}

static void string_cases(void)
{
    uint32_t ecx, edi, esi;
    /* REP STOSB across the limit: stops at the first byte outside, with
     * ECX and EDI at that element */
    c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tmovw %w3, %%es\n\tcld\n\t"
                     "rep stosb\n1:\n\t" FLAT_ASM "movl $0, trap_resume"
                     : "=c"(ecx), "=D"(edi) : "a"(0x77), "r"(SEL_UP), "0"(8), "1"(0xffc)
                     : "memory", "cc");
    report("sdm.rep_stosb_limit", 13, 0, 0);
    printf("sdm.rep_stosb_limit: ecx=%u edi=%x\n", ecx, edi);
    check("sdm.rep_stosb_limit.ecx", ecx, 4);
    check("sdm.rep_stosb_limit.edi", edi, 0x1000);
    check("sdm.rep_stosb_limit.stored", area32(0xffc), 0x77777777);

    /* MOVSD from a read-only segment works; into it faults */
    c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tpushl %%ds\n\tmovw %w3, %%ds\n\tmovw %w4, %%es\n\t"
                     "cld\n\tmovsl\n1:\n\tpopl %%ds\n\t" FLAT_ASM "movl $0, trap_resume"
                     : "=S"(esi), "=D"(edi) : "0"(0x40), "r"(SEL_RO), "r"(SEL_UP), "1"(0x80)
                     : "memory", "cc");
    report("movsd_from_ro", NONE, esi + edi, 0xc8);
    check("movsd_from_ro.copied", area32(0x80), area32(0x40));
    c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tmovw %w2, %%es\n\tcld\n\tstosw\n1:\n\t"
                     FLAT_ASM "movl $0, trap_resume"
                     : "=D"(edi) : "a"(0), "r"(SEL_RO), "0"(0x40) : "memory", "cc");
    report("sdm.stosw_to_ro", 13, 0, 0);
    check("sdm.stosw_to_ro.edi", edi, 0x40);
    /* LODSW at the top of a B=0 expand-down segment */
    c0 = trap_last.count;
    __asm__ volatile("movl $1f, trap_resume\n\tpushl %%ds\n\tmovw %w2, %%ds\n\tcld\n\t"
                     "lodsw\n1:\n\tpopl %%ds\n\t" FLAT_ASM "movl $0, trap_resume"
                     : "=S"(esi) : "a"(0), "r"(SEL_DOWN16), "0"(0xffff) : "memory", "cc");
    report("sdm.lodsw_past_64k", 13, 0, 0);
}

static void fpu_sse_cases(void)
{
    /* x87 and SSE operands are checked as a whole: the last byte decides */
    LOAD("fldl_at_limit", "es", "fninit\n\tfldl %%es:(%%edx)\n\tfstpl fx_area\n\tmovl fx_area, %%eax",
         SEL_UP, 0xff8, NONE, area32(0xff8));
    LOAD("sdm.fldl_across_limit", "es", "fldl %%es:(%%edx)", SEL_UP, 0xffc, 13, 0);
    LOAD("sdm.fldt_across_limit", "es", "fldt %%es:(%%edx)", SEL_UP, 0xff8, 13, 0);
    LOAD("sdm.fnstenv_across_limit", "es", "fnstenv %%es:(%%edx)", SEL_UP, 0xff0, 13, 0);
    LOAD("sdm.fnstcw_ro", "es", "fnstcw %%es:(%%edx)", SEL_RO, 0x20, 13, 0);
    fill_area();   /* under QEMU the sdm.* stores went through */
    LOAD("movdqu_at_limit", "es", "movdqu %%es:(%%edx), %%xmm0\n\tmovd %%xmm0, %%eax", SEL_UP, 0xff0,
         NONE, area32(0xff0));
    LOAD("sdm.movdqu_across_limit", "es", "movdqu %%es:(%%edx), %%xmm0", SEL_UP, 0xff8, 13, 0);
    LOAD("sdm.movups_store_ro", "es", "movups %%xmm0, %%es:(%%edx)", SEL_RO, 0x100, 13, 0);
    LOAD("sdm.movq_across_limit", "es", "movq %%es:(%%edx), %%xmm1", SEL_UP, 0xffa, 13, 0);
    LOAD("fxsave_at_limit", "es", "fninit\n\tfxsave %%es:(%%edx)\n\tmovl %%es:(%%edx), %%eax",
         SEL_UP, 0xe00, NONE, area32(0xe00));
    LOAD("sdm.fxsave_across_limit", "es", "fxsave %%es:(%%edx)", SEL_UP, 0xe10, 13, 0);
    LOAD("sdm.fxrstor_ro_ok_then_fxsave", "es", "fxrstor %%es:(%%edx)\n\tfxsave %%es:(%%edx)",
         SEL_RO, 0xe00, 13, 0);
}

/* ---- 16-bit code: 16-bit addressing through a 64 KiB and a B=0 segment ---- */
extern char code16_start[], code16_probe[], code16_resume[];
uint32_t code16_ret;
__asm__(".text\n.align 16\n.globl code16_start\ncode16_start:\n"
        ".code16\n"
        ".globl code16_probe\ncode16_probe:\n\t"
        "movw %es:(%si), %ax\n"
        ".globl code16_resume\ncode16_resume:\n\t"
        "ljmpl $0x08, $code16_back\n"
        ".code32\n"
        "code16_back:\n\t"
        "jmp *code16_ret\n");

static uint32_t run16(uint16_t sel, uint32_t si)
{
    uint32_t v = 0xdeadbeef;
    c0 = trap_last.count;
    trap_resume = (uint32_t)(code16_resume - code16_start);
    __asm__ volatile("movl $1f, code16_ret\n\tmovw %w2, %%es\n\t"
                     "ljmp %[c16], %[off]\n1:\n\t" FLAT_ASM "movl $0, trap_resume"
                     : "+a"(v), "+S"(si) : "r"(sel), [c16] "i"(SEL_CODE16),
                       [off] "i"(0) : "memory", "cc");
    return v & 0xffff;
}

static void code16_cases(void)
{
    uint32_t v;
    /* code16_probe is the first instruction: offset 0 of SEL_CODE16 */
    v = run16(SEL_DATA16, 0xfffe);
    report("c16_word_at_64k", NONE, v, *(volatile uint16_t *)0xfffe);
    v = run16(SEL_DATA16, 0xffff);
    report("sdm.c16_word_across_64k", 13, v, 0);
    v = run16(SEL_DOWN16, 0x1000);
    report("c16_down16_bottom", NONE, v, area16(0x1000));
    v = run16(SEL_DOWN16, 0x0ffe);
    report("sdm.c16_down16_below", 13, v, 0);
    v = run16(0, 0x10);
    report("sdm.c16_null_es", 13, v, 0);
}

/* ---- real mode: the 64 KiB limit of the hidden descriptors ----
 * The 16-bit code is copied to 0x8000 and runs at CS = 0x0800; the IVT
 * gets handlers for #SS and #GP that note the vector and resume at the
 * probe's resume point. Low memory: 0x6000 trap count and vector, 0x6004
 * resume IP, 0x6010 values, 0x6020 per-probe (count, vector), 0x6040 the
 * real-mode IDTR, stack below 0x7000. */
#define RM_PROBES 5
#define RMP(i, setup, insn)                                                    \
    "movw $0, 0x6000\n\tmovw $1f - rm_base, 0x6004\n\t" setup "\n\t"        \
    insn "\n1:\n\tmovw 0x6000, %ax\n\tmovw %ax, 0x6020 + 2 * " #i "\n\t"
uint32_t rm_saved_esp;
uint8_t rm_saved_idt[6];
void rm_run(void);
extern char rm_h12[], rm_h13[], rm_base[], rm_end[];
__asm__(".text\nrm_run:\n\t"
        "pushal\n\tmovl %esp, rm_saved_esp\n\tsidt rm_saved_idt\n\t"
        "ljmp $0x88, $0\n"
        ".align 16\n.globl rm_base\nrm_base:\n"
        ".code16\n"
        "rm_pm16:\n\t"
        "movw $0x30, %ax\n\tmovw %ax, %ds\n\tmovw %ax, %es\n\tmovw %ax, %fs\n\t"
        "movw %ax, %gs\n\tmovw %ax, %ss\n\tmovl $0x7000, %esp\n\t"
        "movl %cr0, %eax\n\tandl $~1, %eax\n\tmovl %eax, %cr0\n\t"
        "ljmp $0x0800, $rm_real - rm_base\n"
        "rm_real:\n\t"
        "xorw %ax, %ax\n\tmovw %ax, %ds\n\tmovw %ax, %es\n\tmovw %ax, %ss\n\t"
        "movw %ax, %fs\n\tmovw %ax, %gs\n\tlidt 0x6040\n\t"
        "movw $0x1234, %es:0xfffe\n\t"
        RMP(0, "movw $0xfffe, %si", "movw %es:(%si), %ax\n\tmovw %ax, 0x6010")
        RMP(1, "movw $0xffff, %si", "movw %es:(%si), %ax")
        RMP(2, "movw $0xfffd, %si", "movl %es:(%si), %eax")
        RMP(3, "movw $0xffff, %bp", "movw (%bp), %ax")
        RMP(4, "movw $0xfffe, %bp", "movw (%bp), %ax\n\tmovw %ax, 0x6012")
        "movl %cr0, %eax\n\torl $1, %eax\n\tmovl %eax, %cr0\n\t"
        "ljmpl $0x08, $rm_pm32\n"
        /* #SS and #GP: no error code in real mode; FLAGS, CS, IP on the stack */
        ".globl rm_h12\nrm_h12:\n\tpushw $12\n\tjmp rm_hc\n"
        ".globl rm_h13\nrm_h13:\n\tpushw $13\n"
        "rm_hc:\n\tpushw %bx\n\tpushw %ax\n\tmovw %sp, %bx\n\t"
        "movw %ss:4(%bx), %ax\n\tmovb %al, 0x6001\n\tincb 0x6000\n\t"
        "movw 0x6004, %ax\n\tmovw %ax, %ss:6(%bx)\n\t"
        "popw %ax\n\tpopw %bx\n\taddw $2, %sp\n\tiret\n"
        ".globl rm_end\nrm_end:\n"
        ".code32\n"
        "rm_pm32:\n\t"
        "movw $0x10, %ax\n\tmovw %ax, %ds\n\tmovw %ax, %es\n\tmovw %ax, %fs\n\t"
        "movw %ax, %gs\n\tmovw %ax, %ss\n\tmovl rm_saved_esp, %esp\n\t"
        "lidt rm_saved_idt\n\tpopal\n\tret\n");

static void real_mode_cases(void)
{
    static const struct { const char *name; uint32_t vec; } want[RM_PROBES] = {
        { "rm_word_at_64k", NONE }, { "sdm.rm_word_across_64k", 13 },
        { "sdm.rm_dword_across_64k", 13 }, { "sdm.rm_ss_bp_across_64k", 12 },
        { "rm_ss_bp_at_64k", NONE },
    };
    uint32_t ivt_addr = 0;
    __asm__("" : "+r"(ivt_addr));   /* address 0 is the IVT, not a null pointer */
    volatile uint16_t *ivt = (volatile uint16_t *)ivt_addr;
    volatile uint8_t *low = (volatile uint8_t *)0x6000;
    char n[48];
    memcpy((void *)0x8000, rm_base, (size_t)(rm_end - rm_base));
    ivt[12 * 2] = (uint16_t)(rm_h12 - rm_base);
    ivt[12 * 2 + 1] = 0x0800;
    ivt[13 * 2] = (uint16_t)(rm_h13 - rm_base);
    ivt[13 * 2 + 1] = 0x0800;
    *(volatile uint16_t *)0x6040 = 0x3ff;       /* IDTR: the IVT at 0 */
    *(volatile uint32_t *)0x6042 = 0;
    __asm__ volatile("call rm_run" : : : "memory", "cc");
    for (int i = 0; i < RM_PROBES; i++) {
        uint32_t count = low[0x20 + 2 * i], vec = count ? low[0x21 + 2 * i] : NONE;
        if (vec == NONE)
            printf("%s: vector=none\n", want[i].name);
        else
            printf("%s: vector=%u count=%u\n", want[i].name, vec, count);
        snprintf(n, sizeof(n), "%s.vector", want[i].name);
        check(n, vec, want[i].vec);
    }
    check("rm_word_at_64k.value", *(volatile uint16_t *)0x6010, 0x1234);
    printf("rm_ss_bp_at_64k: value=%04x\n", *(volatile uint16_t *)0x6012);
}

/* ---- SS at CPL3: the fault frame goes to the ring-0 stack (TSS) ---- */
static uint32_t rec[20][2];
uint32_t ring3_probe;
uint32_t ring3_popped[2];
uint32_t ring3_saved_esp;
static int ring3_hook(struct trap_frame *f)
{
    if ((f->cs & 3) != 3)
        return 0;
    if (f->vector == VEC_RETURN) {
        __asm__ volatile("movl ring3_saved_esp, %%esp\n\t"
                         "popl %%edi\n\tpopl %%esi\n\tpopl %%ebx\n\tpopl %%ebp\n\tret" : : : "memory");
    }
    rec[ring3_probe][0] = f->vector;
    rec[ring3_probe][1] = f->error;
    return 0;
}

/* each probe: its number, the resume point, then the access with ESP/EBP
 * set in the window; the hook records the trap */
#define P3(n, sel, esp, insn)                                                  \
    "movl $" #n ", ring3_probe\n\tmovl $1f, trap_resume\n\t"                   \
    "movw $" #sel ", %ax\n\tmovw %ax, %ss\n\tmovl $" #esp ", %esp\n\t"        \
    "movl %esp, %ebp\n\t" insn "\n1:\n\t"
void ring3_stack_probes(void);
__asm__(".text\nring3_stack_probes:\n\t"
        P3(0, 0x7b, 0x2000, "pushl $0x11111111\n\tpopl ring3_popped")
        P3(1, 0x7b, 0x2002, "pushl $0x22222222")
        P3(2, 0x7b, 0x1ffc, "popl %eax")
        P3(3, 0x7b, 0x1ffe, "popl %eax")
        P3(4, 0x7b, 0x1000, "movl 0xffd(%ebp), %eax")
        P3(5, 0x7b, 0x2010, "pushal")
        P3(6, 0x7b, 0x2000, "call 2f\n2:\tpopl %eax")
        P3(7, 0x83, 0x1004, "pushl $0x33333333\n\tpopl ring3_popped+4")
        P3(8, 0x83, 0x1002, "pushl $0x44444444")
        P3(9, 0x83, 0x1000, "pushw $0x5555")
        P3(10, 0x83, 0x1010, "enter $0, $0\n\tenter $0, $0\n\tenter $0, $0\n\tenter $0, $0\n\tenter $0, $0")
        P3(11, 0x83, 0x2000, "enter $0x1000, $0")
        P3(12, 0x83, 0x2000, "enter $0xff0, $0")
        P3(13, 0x83, 0x1ffc, "movl %ss:4(%esp), %eax")
        /* far CALL/RET and IRET: the helpers' stack accesses */
        P3(14, 0x7b, 0x2002, "lcall $0x23, $2f\n2:")
        P3(15, 0x7b, 0x2000, "lcall $0x23, $2f\n\tjmp 3f\n2:\tlret\n3:")
        /* frames that return to the resume point where the pops do not fault */
        P3(16, 0x7b, 0x1ffc, "movl $1f, 0x501ffc\n\tmovl $0x23, 0x502000\n\tlret")
        P3(17, 0x7b, 0x1ff8, "movl $1f, 0x501ff8\n\tmovl $0x23, 0x501ffc\n\tmovl $2, 0x502000\n\tiret")
        "movl $18, ring3_probe\n\t"
        "int $0x3f\n");

void ring3_run(uint32_t entry);
__asm__(".text\nring3_run:\n\t"
        "movl 4(%esp), %eax\n\t"
        "pushl %ebp\n\tpushl %ebx\n\tpushl %esi\n\tpushl %edi\n\t"
        "movl %esp, ring3_saved_esp\n\tmovl %esp, tss+4\n\t"
        "pushl $0x7b\n\tpushl $0x2000\n\tpushfl\n\tpushl $0x23\n\tpushl %eax\n\t"
        "movw $0x2b, %dx\n\tmovw %dx, %ds\n\tmovw %dx, %es\n\tmovw %dx, %fs\n\tmovw %dx, %gs\n\t"
        "iret\n");

static void ring3_cases(void)
{
    static const struct { const char *name; uint32_t vec; } want[18] = {
        { "ss3_push_at_limit", NONE }, { "sdm.ss3_push_across_limit", 12 },
        { "ss3_pop_at_limit", NONE }, { "sdm.ss3_pop_across_limit", 12 },
        { "sdm.ss3_ebp_across_limit", 12 }, { "sdm.ss3_pushal_across_limit", 12 },
        { "ss3_call_at_limit", NONE }, { "ss3down_push_ok", NONE },
        { "sdm.ss3down_push_at_limit", 12 }, { "sdm.ss3down_pushw_at_limit", 12 },
        { "sdm.ss3down_enter_chain", 12 }, { "sdm.ss3down_enter_final_esp", 12 },
        { "ss3down_enter_fits", NONE }, { "ss3down_read_above", NONE },
        { "sdm.ss3_lcall_across_limit", 12 }, { "ss3_lcall_lret_at_limit", NONE },
        { "sdm.ss3_lret_across_limit", 12 }, { "sdm.ss3_iret_across_limit", 12 },
    };
    char n[48];
    uint32_t base = (uint32_t)tss, limit = sizeof(tss) - 1;
    for (int i = 0; i < 20; i++)
        rec[i][0] = NONE;
    tss[2] = 0x10;                               /* SS0 */
    tss[25] = (uint32_t)sizeof(tss) << 16;       /* no I/O bitmap */
    test_gdt[SEL_TSS / 8] = desc(base, limit, 0x89, 0);
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
    idt[VEC_RETURN] |= (uint64_t)0x60 << 40;     /* callable from CPL3 */
    trap_hook = ring3_hook;
    ring3_run((uint32_t)ring3_stack_probes);
    trap_hook = 0;
    flat_segments();
    for (int i = 0; i < 18; i++) {
        if (rec[i][0] == NONE) {
            printf("%s: vector=none\n", want[i].name);
        } else {
            printf("%s: vector=%u error=%04x\n", want[i].name, rec[i][0], rec[i][1]);
            snprintf(n, sizeof(n), "%s.error", want[i].name);
            check(n, rec[i][1], 0);
        }
        snprintf(n, sizeof(n), "%s.vector", want[i].name);
        check(n, rec[i][0], want[i].vec);
    }
    check("ss3_push_at_limit.popped", ring3_popped[0], 0x11111111);
    check("ss3down_push_ok.popped", ring3_popped[1], 0x33333333);
}

int main(void)
{
    fill_area();
    for (int i = 0; i < 9; i++)
        test_gdt[i] = gdt[i];
    test_gdt[SEL_UP / 8] = desc(AREA, 0xfff, 0x93, 0x4);
    test_gdt[SEL_RO / 8] = desc(AREA, 0xfff, 0x91, 0x4);
    test_gdt[SEL_DOWN32 / 8] = desc(AREA + 0x1000, 0xffffe, 0x97, 0xc);
    test_gdt[SEL_DOWN16 / 8] = desc(AREA, 0xfff, 0x97, 0x0);
    test_gdt[SEL_XO / 8] = desc(0, 0xfffff, 0x99, 0xc);
    test_gdt[SEL_CODE16 / 8] = desc((uint32_t)code16_start, 0xffff, 0x9b, 0x0);
    test_gdt[SEL_SS3UP / 8] = desc(AREA3, 0x1fff, 0xf3, 0x4);
    test_gdt[SEL_SS3DN / 8] = desc(AREA3, 0xfff, 0xf7, 0x4);
    test_gdt[SEL_RMCODE / 8] = desc(0x8000, 0xffff, 0x9b, 0x0);
    test_gdtr.limit = sizeof(test_gdt) - 1;
    test_gdtr.base = (uint32_t)test_gdt;
    __asm__ volatile("lgdt %0" : : "m"(test_gdtr));
    /* SSE on (CR4.OSFXSR), x87 native errors */
    __asm__ volatile("movl %%cr4, %%eax\n\torl $0x200, %%eax\n\tmovl %%eax, %%cr4\n\t"
                     "movl %%cr0, %%eax\n\tandl $~0xc, %%eax\n\torl $0x22, %%eax\n\tmovl %%eax, %%cr0"
                     : : : "eax");
    (void)code16_probe;

    data_cases();
    fill_area();   /* under QEMU the sdm.* stores went through */
    string_cases();
    fill_area();
    fpu_sse_cases();
    fill_area();
    code16_cases();
    ring3_cases();
    real_mode_cases();
    return check_failures ? 1 : 0;
}
