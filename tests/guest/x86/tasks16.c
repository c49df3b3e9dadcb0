/*
 * Guest test: hardware task switches with 16-bit (286) TSSs (SDM vol. 3
 * 8.6). The main task keeps a 32-bit TSS; a far CALL runs 16-bit task A
 * (AX from its TSS, FS/GS loaded null, back link, NT, busy bits), which
 * CALLs 16-bit task B and gets its registers back from its own 16-bit TSS;
 * IRETs return. A far JMP through a task gate runs 16-bit task J, which
 * JMPs back. A double fault through a task gate reaches 16-bit task D with
 * its error code pushed as a word. A 16-bit TSS shorter than 44 bytes is
 * #TS, a busy one #GP. Only the low halves of registers are printed: the
 * SDM leaves the upper halves undefined after a 16-bit task switch.
 * The tasks run 32-bit code in a segment based at their code, on a 16-bit
 * stack segment based at their stacks, so IP and SP fit a 16-bit TSS.
 */
#include "lib.h"
#include "user.h"

#define SEL_TSS_MAIN  0x40
#define SEL_TSS_A     0x48
#define SEL_TSS_B     0x50
#define SEL_TSS_D     0x58
#define SEL_TGATE     0x60   /* task gate -> SEL_TSS_J */
#define SEL_TSS_J     0x68
#define SEL_CODE16T   0x70   /* 32-bit code based at task16_code */
#define SEL_STACK16T  0x78   /* 16-bit stack (SP) based at task_stacks */
#define SEL_TSS_SHORT 0x80   /* 16-bit TSS with limit 0x2a */
#define GDT_N 17

struct tss16 {
    uint16_t link, sp0, ss0, sp1, ss1, sp2, ss2, ip, flags;
    uint16_t ax, cx, dx, bx, sp, bp, si, di;
    uint16_t es, cs, ss, ds, ldt;
};

_Static_assert(sizeof(struct tss16) == 44, "the 16-bit TSS is 44 bytes");

static uint64_t big_gdt[GDT_N] __attribute__((aligned(8)));
struct tss32 tss_main __attribute__((aligned(64)));
struct tss16 tss_a, tss_b, tss_d, tss_j, tss_short __attribute__((aligned(16)));
static uint8_t task_stacks[4 * 1024] __attribute__((aligned(16)));

/* recorded by the tasks (flat DS) */
uint32_t a_runs, a_eax, a_tr, a_flags, a_fs, a_gs, a_ebx_after;
uint32_t b_runs, b_tr, b_flags;
uint32_t j_runs, j_tr, j_flags;
uint32_t d_runs, d_err, d_sp, d_tr;
uint32_t jmp_back, df_resume;

void task16_code(void);
void task_a_entry(void);
void task_b_entry(void);
void task_j_entry(void);
void task_d_entry(void);
/* Each entry's offset from task16_code is its IP; the code runs with
 * CS.base = task16_code, so only relative jumps and flat data (DS). */
__asm__(".text\n"
        ".globl task16_code\ntask16_code:\n"
        ".globl task_a_entry\ntask_a_entry:\n\t"
        "movl %eax, a_eax\n\t"
        "incl a_runs\n\t"
        "str a_tr\n\t"
        "pushfl\n\tpopl a_flags\n\t"
        "movw %fs, a_fs\n\t"
        "movw %gs, a_gs\n\t"
        "movl $0x1234beef, %ebx\n\t"
        "lcall $0x50, $0\n\t"          /* task B, from a 16-bit task */
        "movl %ebx, a_ebx_after\n\t"
        "iret\n\t"
        "jmp task_a_entry\n"
        ".globl task_b_entry\ntask_b_entry:\n\t"
        "incl b_runs\n\t"
        "str b_tr\n\t"
        "pushfl\n\tpopl b_flags\n\t"
        "movl $0x5555, %ebx\n\t"       /* not A's: A's BX comes from its TSS */
        "iret\n\t"
        "jmp task_b_entry\n"
        ".globl task_j_entry\ntask_j_entry:\n\t"
        "incl j_runs\n\t"
        "str j_tr\n\t"
        "pushfl\n\tpopl j_flags\n\t"
        "movl jmp_back, %eax\n\t"
        "movl %eax, tss_main+0x20\n\t"  /* main resumes after its JMP */
        "ljmp $0x40, $0\n\t"
        "jmp task_j_entry\n"
        ".globl task_d_entry\ntask_d_entry:\n\t"
        "movl $0, d_err\n\t"
        "popw d_err\n\t"                /* a word for a 16-bit TSS */
        "movl $0, d_sp\n\tmovw %sp, d_sp\n\t"
        "incl d_runs\n\t"
        "str d_tr\n\t"
        "movl df_resume, %eax\n\t"
        "movl %eax, tss_main+0x20\n\t"
        "iret\n\t"
        "jmp task_d_entry\n");

static uint32_t type_of(uint32_t sel) { return (uint32_t)(((volatile uint64_t *)big_gdt)[sel / 8] >> 40) & 0xf; }

static void task16_init(struct tss16 *t, void (*entry)(void), uint32_t sp)
{
    memset(t, 0, sizeof(*t));
    t->ip = (uint16_t)((uint32_t)entry - (uint32_t)task16_code);
    t->sp = (uint16_t)sp;
    t->flags = 0x2;
    t->cs = SEL_CODE16T;
    t->ss = SEL_STACK16T;
    t->ds = t->es = 0x10;
}

#define TRAP_TRY(insns, ...) \
    __asm__ volatile("movl $1f, trap_resume\n\t" insns "\n1:" : : __VA_ARGS__ : "memory", "cc")

int main(void)
{
    for (int i = 0; i < 9; i++)
        big_gdt[i] = gdt[i];
    tss_main.iomap = sizeof(tss_main);
    task16_init(&tss_a, task_a_entry, 1024);
    task16_init(&tss_b, task_b_entry, 2048);
    task16_init(&tss_j, task_j_entry, 3072);
    task16_init(&tss_d, task_d_entry, 4096);
    tss_a.ax = 0x600d;
    big_gdt[SEL_TSS_MAIN / 8] = seg_desc((uint32_t)&tss_main, sizeof(tss_main) - 1, 0x89, 0);
    big_gdt[SEL_TSS_A / 8] = seg_desc((uint32_t)&tss_a, sizeof(tss_a) - 1, 0x81, 0);
    big_gdt[SEL_TSS_B / 8] = seg_desc((uint32_t)&tss_b, sizeof(tss_b) - 1, 0x81, 0);
    big_gdt[SEL_TSS_D / 8] = seg_desc((uint32_t)&tss_d, sizeof(tss_d) - 1, 0x81, 0);
    big_gdt[SEL_TSS_J / 8] = seg_desc((uint32_t)&tss_j, sizeof(tss_j) - 1, 0x81, 0);
    big_gdt[SEL_TGATE / 8] = (uint64_t)SEL_TSS_J << 16 | (uint64_t)0x85 << 40;
    big_gdt[SEL_CODE16T / 8] = seg_desc((uint32_t)task16_code, 0xffff, 0x9a, 0x4);
    big_gdt[SEL_STACK16T / 8] = seg_desc((uint32_t)task_stacks, 0xffff, 0x92, 0);
    big_gdt[SEL_TSS_SHORT / 8] = seg_desc((uint32_t)&tss_short, 0x2a, 0x81, 0);
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gd = {
        sizeof(big_gdt) - 1, (uint32_t)big_gdt };
    __asm__ volatile("lgdt %0" : : "m"(gd));
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS_MAIN) : "memory");

    /* CALL from the 32-bit main task to 16-bit A, which CALLs 16-bit B */
    uint32_t far[2] = { 0, SEL_TSS_A };
    uint32_t ebx = 0x1234;
    __asm__ volatile("lcall *%1" : "+b"(ebx) : "m"(far) : "memory");
    printf("a: runs=%u ax=%04x tr=%x nt=%u fs=%x gs=%x link=%x bx_after_b=%04x\n", a_runs,
           a_eax & 0xffff, a_tr, (a_flags >> 14) & 1, a_fs, a_gs, tss_a.link, a_ebx_after & 0xffff);
    printf("b: runs=%u tr=%x nt=%u link=%x\n", b_runs, b_tr, (b_flags >> 14) & 1, tss_b.link);
    check("a.runs", a_runs, 1);
    check("a.ax_from_tss", a_eax & 0xffff, 0x600d);
    check("a.tr", a_tr, SEL_TSS_A);
    check("a.nt", (a_flags >> 14) & 1, 1);
    check("a.fs_null", a_fs, 0);
    check("a.gs_null", a_gs, 0);
    check("a.link", tss_a.link, SEL_TSS_MAIN);
    check("b.runs", b_runs, 1);
    check("b.tr", b_tr, SEL_TSS_B);
    check("b.nt", (b_flags >> 14) & 1, 1);
    check("b.link", tss_b.link, SEL_TSS_A);
    check("a.bx_back_from_tss", a_ebx_after & 0xffff, 0xbeef);
    check("a.saved_ip_after_iret", tss_a.ip != 0, 1);
    check("back.tr", read_tr(), SEL_TSS_MAIN);
    check("back.ebx_kept", ebx, 0x1234);
    check("back.nt_clear", (read_eflags() >> 14) & 1, 0);
    check("back.a_free", type_of(SEL_TSS_A), 0x1);
    check("back.b_free", type_of(SEL_TSS_B), 0x1);
    check("back.main_busy", type_of(SEL_TSS_MAIN), 0xb);
    /* again: A resumes after its IRET, at the 16-bit IP it saved */
    __asm__ volatile("lcall *%1" : "+b"(ebx) : "m"(far) : "memory");
    check("a2.runs", a_runs, 2);
    check("b2.runs", b_runs, 2);

    /* JMP through a task gate to 16-bit J; J JMPs back */
    uint32_t gfar[2] = { 0, SEL_TGATE };
    __asm__ volatile("movl $1f, jmp_back\n\tljmp *%0\n1:" : : "m"(gfar) : "memory", "eax", "ecx",
                     "edx", "esi", "edi");
    printf("j: runs=%u tr=%x nt=%u link=%x\n", j_runs, j_tr, (j_flags >> 14) & 1, tss_j.link);
    check("j.runs", j_runs, 1);
    check("j.tr", j_tr, SEL_TSS_J);
    check("j.nt", (j_flags >> 14) & 1, 0);
    check("j.link_untouched", tss_j.link, 0);
    check("j.back.tr", read_tr(), SEL_TSS_MAIN);
    check("j.back.j_free", type_of(SEL_TSS_J), 0x1);

    /* double fault through a task gate to 16-bit D: error code 0 as a word */
    uint64_t idt13 = idt[13];
    idt[8] = (uint64_t)SEL_TSS_D << 16 | (uint64_t)0x85 << 40;
    idt[13] &= ~(1ull << 47);   /* #GP's gate not present: #NP while delivering #GP */
    tss_d.link = 0x7777;
    __asm__ volatile("movl $1f, df_resume\n\t"
                     "movw %w0, %%ds\n"        /* beyond the GDT limit: #GP */
                     "1:" : : "r"(0x400) : "memory", "eax", "ecx", "edx", "esi", "edi");
    idt[13] = idt13;
    printf("d: runs=%u err=%x sp=%x tr=%x link=%x\n", d_runs, d_err, d_sp, d_tr, tss_d.link);
    check("d.runs", d_runs, 1);
    check("d.err", d_err, 0);
    check("d.sp_word_pushed", d_sp, 4096);
    check("d.tr", d_tr, SEL_TSS_D);
    check("d.link", tss_d.link, SEL_TSS_MAIN);
    check("d.back.tr", read_tr(), SEL_TSS_MAIN);

    /* faults: too short a 16-bit TSS is #TS, a busy one #GP */
    uint32_t sfar[2] = { 0, SEL_TSS_SHORT };
    uint32_t c0 = trap_last.count;
    TRAP_TRY("lcall *%0", "m"(sfar));
    printf("short: traps=%u vector=%u error=%x\n", trap_last.count - c0, trap_last.vector,
           trap_last.error);
    check("short.ts", trap_last.vector, 10);
    check("short.err", trap_last.error, SEL_TSS_SHORT);
    big_gdt[SEL_TSS_A / 8] |= 2ull << 40;    /* mark A busy */
    c0 = trap_last.count;
    TRAP_TRY("lcall *%0", "m"(far));
    printf("busy: traps=%u vector=%u error=%x\n", trap_last.count - c0, trap_last.vector,
           trap_last.error);
    check("busy.gp", trap_last.vector, 13);
    check("busy.err", trap_last.error, SEL_TSS_A);
    check("main.tr", read_tr(), SEL_TSS_MAIN);
    return check_failures ? 1 : 0;
}
