/*
 * Guest test (64-bit): ring 3 <-> ring 0 in long mode. IRETQ to 64-bit
 * ring-3 code; INT through a DPL3 gate with IST1 (stack from the 64-bit
 * TSS, aligned to 16, SS:RSP pushed, SS a null selector in ring 0); INT
 * through a DPL0 gate (#GP with the gate's error code); SYSCALL/SYSRET
 * with STAR/LSTAR/FMASK (RCX/R11, selectors, masked flags); #UD for
 * SYSCALL without EFER.SCE; SWAPGS with GS_BASE/KERNEL_GS_BASE and #GP at
 * CPL3; a far CALL through a 64-bit call gate to ring 0 and RETFQ back;
 * port I/O at CPL3 through the 64-bit TSS's I/O permission bitmap.
 */
#include "lib64.h"

#define SEL_GATE  0x48   /* 64-bit call gate, 16 bytes */
#define GDT_N 16
#define VEC_RETURN 0x3f
#define VEC_IST 0x40
#define VEC_DPL0 0x41
#define MSR_STAR 0xc0000081u
#define MSR_LSTAR 0xc0000082u
#define MSR_FMASK 0xc0000084u
#define MSR_GS_BASE 0xc0000101u
#define MSR_KGS_BASE 0xc0000102u

static uint64_t big_gdt[GDT_N] __attribute__((aligned(16)));
/* the TSS and its I/O permission bitmap right after it (ports 0-0x3ff,
 * plus the terminating 0xff byte) */
struct {
    struct tss64 t;
    uint8_t iobitmap[0x400 / 8 + 1];
} __attribute__((packed)) tss_io __attribute__((aligned(64)));
#define tss tss_io.t
static uint8_t ist_stack[4096] __attribute__((aligned(16)));
static uint8_t user_stack[8192] __attribute__((aligned(16)));
uint64_t saved_rsp;

/* recorded in ring 0 */
uint64_t ist_rsp, ist_frame_ss, ist_frame_cs, ist_ss, ist_count;
uint64_t sc_rcx, sc_r11, sc_cs, sc_ss, sc_rflags, sc_count, sc_ret_rip;
uint64_t cg_cs, cg_ss, cg_frame[4], cg_count;
/* recorded in ring 3 */
static uint64_t u_io_ok_vec, u_io_ok_err, u_io_bad_vec, u_io_bad_err;
static uint64_t u_cs, u_ss, u_after_sysret_rflags, u_swapgs_vec, u_swapgs_err, u_dpl0_vec,
    u_dpl0_err, u_cg_back;
volatile uint32_t far32[2];

void user_enter(void (*fn)(void), uint64_t rsp);
void user_leave(void) __attribute__((noreturn));
void ist_handler(void);
void syscall_entry(void);
void gate_entry(void);
__asm__(".text\n"
        ".globl user_enter\nuser_enter:\n\t"
        "pushq %rbp\n\tpushq %rbx\n\tpushq %r12\n\tpushq %r13\n\tpushq %r14\n\tpushq %r15\n\t"
        "movq %rsp, saved_rsp\n\t"
        "movq %rsp, tss_io+4\n\t"         /* RSP0 */
        "pushq $0x23\n\tpushq %rsi\n\tpushfq\n\tpushq $0x2b\n\tpushq %rdi\n\t"
        "iretq\n"
        ".globl user_leave\nuser_leave:\n\t"
        "movq saved_rsp, %rsp\n\t"
        "movw $0x10, %ax\n\tmovw %ax, %ss\n\t"
        "popq %r15\n\tpopq %r14\n\tpopq %r13\n\tpopq %r12\n\tpopq %rbx\n\tpopq %rbp\n\tret\n"
        /* INT 0x40 via IST1: [rsp] rip, cs, rflags, rsp, ss */
        ".globl ist_handler\nist_handler:\n\t"
        "movq %rsp, ist_rsp\n\t"
        "pushq %rax\n\t"
        "movq 16(%rsp), %rax\n\tmovq %rax, ist_frame_cs\n\t"
        "movq 40(%rsp), %rax\n\tmovq %rax, ist_frame_ss\n\t"
        "xorl %eax, %eax\n\tmovw %ss, %ax\n\tmovq %rax, ist_ss\n\t"
        "incq ist_count\n\t"
        "popq %rax\n\t"
        "iretq\n"
        ".globl syscall_entry\nsyscall_entry:\n\t"
        "movq %rcx, sc_rcx\n\tmovq %r11, sc_r11\n\t"
        "movw %cs, sc_cs\n\tmovw %ss, sc_ss\n\t"
        "pushfq\n\tpopq sc_rflags\n\t"
        "incq sc_count\n\t"
        "sysretq\n"
        /* through the call gate: [rsp] rip, cs, rsp, ss */
        ".globl gate_entry\ngate_entry:\n\t"
        "movw %cs, cg_cs\n\tmovw %ss, cg_ss\n\t"
        "pushq %rax\n\t"
        "movq 8(%rsp), %rax\n\tmovq %rax, cg_frame\n\t"
        "movq 16(%rsp), %rax\n\tmovq %rax, cg_frame+8\n\t"
        "movq 24(%rsp), %rax\n\tmovq %rax, cg_frame+16\n\t"
        "movq 32(%rsp), %rax\n\tmovq %rax, cg_frame+24\n\t"
        "incq cg_count\n\t"
        "popq %rax\n\t"
        "lretq\n");

static int user_hook(struct trap_frame64 *f)
{
    if (f->vector == VEC_RETURN && (f->cs & 3) == 3)
        user_leave();
    return 0;
}

#define PROBE(vec, err, insn)                                                      \
    do {                                                                           \
        uint32_t c0_ = trap_last.count;                                            \
        __asm__ volatile("movl $1f, trap_resume\n\t" insn "\n1:" : : : "memory"); \
        vec = trap_last.count - c0_ == 1 ? trap_last.vector : 0xff;                \
        err = trap_last.error;                                                     \
    } while (0)

static void user_main(void)
{
    __asm__ volatile("movw %%cs, %0\n\tmovw %%ss, %1" : "=m"(u_cs), "=m"(u_ss));
    __asm__ volatile("int $0x40" : : : "memory");
    /* SYSCALL with DF set: FMASK clears it in ring 0, SYSRET restores it */
    __asm__ volatile("std\n\tsyscall\n\tpushfq\n\tpopq %0\n\tcld"
                     : "=r"(u_after_sysret_rflags) : : "rcx", "r11", "memory");
    PROBE(u_swapgs_vec, u_swapgs_err, "swapgs");
    PROBE(u_dpl0_vec, u_dpl0_err, "int $0x41");
    uint64_t rsp0, rsp1;
    __asm__ volatile("movq %%rsp, %0\n\tlcall *far32\n\tmovq %%rsp, %1"
                     : "=&r"(rsp0), "=&r"(rsp1) : : "memory");
    u_cg_back = rsp0 == rsp1;
    /* IOPL 0 at CPL3: the TSS I/O bitmap decides */
    PROBE(u_io_ok_vec, u_io_ok_err, "outb %%al, $0x80");
    PROBE(u_io_bad_vec, u_io_bad_err, "inb $0x81, %%al");
    __asm__ volatile("int $0x3f");
}

static void set_idt(int vec, void (*fn)(void), int dpl, int ist)
{
    gate64_set(&idt[vec * 2], fn, 0x08, dpl, ist, 0xe);
}

int main(void)
{
    gate64_set(&big_gdt[SEL_GATE / 8], gate_entry, 0x08, 3, 0, 0xc);
    tss.ist[0] = (uint64_t)ist_stack + sizeof(ist_stack) - 8;   /* misaligned on purpose */
    tss.iomap = sizeof(tss);
    for (unsigned i = 0; i < sizeof(tss_io.iobitmap); i++)
        tss_io.iobitmap[i] = 0xff;
    tss_io.iobitmap[0x80 / 8] &= (uint8_t)~1u;   /* port 0x80 allowed at CPL3 */
    tss64_install(big_gdt, GDT_N, &tss_io, sizeof(tss_io));
    idt[VEC_RETURN * 2] |= (uint64_t)0x60 << 40;
    set_idt(VEC_IST, ist_handler, 3, 1);
    set_idt(VEC_DPL0, ist_handler, 0, 0);
    trap_hook64 = user_hook;

    /* SYSCALL without EFER.SCE: #UD */
    uint64_t vec, err;
    PROBE(vec, err, "syscall");
    check("syscall_no_sce", (uint32_t)(vec << 8 | err), 6 << 8);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, (uint64_t)0x1b << 48 | (uint64_t)0x08 << 32);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, 0x400);   /* DF */
    check("lstar_readback", rdmsr(MSR_LSTAR) == (uint64_t)syscall_entry, 1);

    /* SWAPGS in ring 0 */
    wrmsr(MSR_GS_BASE, 0x1111000);
    wrmsr(MSR_KGS_BASE, 0x2222000);
    __asm__ volatile("swapgs" : : : "memory");
    check("swapgs.gs", (uint32_t)rdmsr(MSR_GS_BASE), 0x2222000);
    check("swapgs.kgs", (uint32_t)rdmsr(MSR_KGS_BASE), 0x1111000);
    __asm__ volatile("swapgs" : : : "memory");
    check("swapgs.back", (uint32_t)rdmsr(MSR_GS_BASE), 0x1111000);
    /* (WRMSR of a non-canonical LSTAR is #GP per the SDM; QEMU takes it, so
     * it is not compared here) */
    far32[0] = 0;
    far32[1] = SEL_GATE;
    user_enter(user_main, (uint64_t)user_stack + sizeof(user_stack));

    printf("user: cs=%llx ss=%llx\n", (unsigned long long)u_cs, (unsigned long long)u_ss);
    check("user.cs", (uint32_t)u_cs, 0x2b);
    check("user.ss", (uint32_t)u_ss, 0x23);
    printf("ist: count=%llu rsp_ok=%u align=%llu frame_cs=%llx frame_ss=%llx ss=%llx\n",
           (unsigned long long)ist_count,
           ist_rsp >= (uint64_t)ist_stack && ist_rsp < (uint64_t)ist_stack + sizeof(ist_stack),
           (unsigned long long)(ist_rsp & 15), (unsigned long long)ist_frame_cs,
           (unsigned long long)ist_frame_ss, (unsigned long long)ist_ss);
    check("ist.count", (uint32_t)ist_count, 1);
    check("ist.rsp", (uint32_t)(ist_rsp - (uint64_t)ist_stack), sizeof(ist_stack) - 16 - 40);
    check("ist.frame_cs", (uint32_t)ist_frame_cs, 0x2b);
    check("ist.frame_ss", (uint32_t)ist_frame_ss, 0x23);
    check("ist.ss_null", (uint32_t)ist_ss, 0);
    printf("syscall: count=%llu rcx_ok=%u r11=%llx cs=%llx ss=%llx rflags=%llx after=%llx\n",
           (unsigned long long)sc_count, sc_rcx > (uint64_t)user_main,
           (unsigned long long)(sc_r11 & 0xcd5), (unsigned long long)sc_cs,
           (unsigned long long)sc_ss, (unsigned long long)(sc_rflags & 0x400),
           (unsigned long long)(u_after_sysret_rflags & 0x400));
    check("syscall.count", (uint32_t)sc_count, 1);
    check("syscall.cs", (uint32_t)sc_cs, 0x08);
    check("syscall.ss", (uint32_t)sc_ss, 0x10);
    check("syscall.r11_df", (uint32_t)(sc_r11 & 0x400), 0x400);
    check("syscall.df_masked", (uint32_t)(sc_rflags & 0x400), 0);
    check("sysret.df_back", (uint32_t)(u_after_sysret_rflags & 0x400), 0x400);
    check("user_swapgs.vec", (uint32_t)u_swapgs_vec, 13);
    check("user_swapgs.err", (uint32_t)u_swapgs_err, 0);
    check("user_int_dpl0.vec", (uint32_t)u_dpl0_vec, 13);
    /* the IDT bit (1), not EXT: the SDM's index is the vector (err 0x20a),
     * QEMU reports vector * 16 + 2; only the flag bits are compared */
    check("user_int_dpl0.err_idt_flag", (uint32_t)(u_dpl0_err & 7), 2);
    printf("callgate: count=%llu cs=%llx ss=%llx frame cs=%llx ss=%llx\n",
           (unsigned long long)cg_count, (unsigned long long)cg_cs, (unsigned long long)cg_ss,
           (unsigned long long)cg_frame[1], (unsigned long long)cg_frame[3]);
    check("callgate.count", (uint32_t)cg_count, 1);
    check("callgate.cs", (uint32_t)cg_cs, 0x08);
    check("callgate.ss_null", (uint32_t)cg_ss, 0);
    check("callgate.frame_cs", (uint32_t)cg_frame[1], 0x2b);
    check("callgate.frame_ss", (uint32_t)cg_frame[3], 0x23);
    check("callgate.back", (uint32_t)u_cg_back, 1);
    printf("io bitmap: port 0x80 vec=%llx, port 0x81 vec=%llx err=%llx\n",
           (unsigned long long)u_io_ok_vec, (unsigned long long)u_io_bad_vec,
           (unsigned long long)u_io_bad_err);
    check("io_bitmap_allowed", (uint32_t)u_io_ok_vec, 0xff);
    check("io_bitmap_denied", (uint32_t)(u_io_bad_vec << 8 | u_io_bad_err), 13 << 8);
    return check_failures ? 1 : 0;
}
