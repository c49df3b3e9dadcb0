/*
 * FP/SIMD register file against QEMU: the CPACR_EL1.FPEN trap (EC 0x07,
 * MRS FPCR included), loads and stores of B/H/S/D/Q registers in every
 * addressing mode, LDP/STP, LD1-4/ST1-4 (multiple, single lane,
 * replicate, post-index), FMOV, DUP/INS/UMOV/SMOV, MOVI/MVNI/ORR/BIC and
 * FMOV (vector immediate), the logical and ADD/SUB/compare three-same
 * vector forms. Every test prints the V registers it wrote (QEMU must
 * print the same) and a few self-checks print PASS/FAIL.
 */
#include "vregs.h"

#define T(name, body) do { \
        clear_mem(); \
        __asm__ volatile(FILL body "\n" SAVE :: IN : CLOB); \
        show(name); \
    } while (0)
#define TM(name, n, body) do { \
        clear_mem(); \
        __asm__ volatile(FILL body "\n" SAVE :: IN : CLOB); \
        show(name); show_mem(name, n); \
    } while (0)

/* ---- the access trap ---- */
static volatile uint64_t trap_esr, trap_count;
static void fp_trap_hook(ExcFrame *f, uint64_t vector)
{
    trap_esr = f->esr;
    trap_count++;
    if ((f->esr >> 26) != 0x07) {
        f->elr += 4;                /* UNDEFINED: skip it */
        return;
    }
    /* enable FP and retry the instruction */
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    __asm__ volatile("isb");
}

static void __attribute__((noinline)) test_trap(void)
{
    exc_hook = fp_trap_hook;
    WRITE_SYSREG(cpacr_el1, 0);
    __asm__ volatile("isb\n fmov d0, x1" ::: "v0");
    printf_("trap fmov: count %lx esr %lx\n", trap_count, trap_esr);
    check("fmov trapped with FPEN=00", trap_count, 1);
    WRITE_SYSREG(cpacr_el1, 2ull << 20);
    __asm__ volatile("isb\n mrs x0, fpcr" ::: "x0");
    printf_("trap mrs fpcr: count %lx esr %lx\n", trap_count, trap_esr);
    WRITE_SYSREG(cpacr_el1, 1ull << 20);          /* traps EL0 only */
    __asm__ volatile("isb\n ldr q0, [%0]" :: "r"(pat) : "v0");
    check("FPEN=01 does not trap EL1", trap_count, 2);
    /* an unallocated FP encoding is UNDEFINED even with FP disabled */
    WRITE_SYSREG(cpacr_el1, 0);
    __asm__ volatile("isb\n .word 0x1e204000 | (1 << 22) | (1 << 23)" ::: "v0"); /* FMOV, type 10 */
    printf_("undef with FPEN=00: count %lx esr %lx\n", trap_count, trap_esr);
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    __asm__ volatile("isb");
    exc_hook = 0;
}

/* ---- FPCR, FPSR ---- */
static void test_fpcr(void)
{
    uint64_t v;
    WRITE_SYSREG(fpcr, 0xffffffffull);
    v = READ_SYSREG(fpcr);
    printf_("fpcr all ones reads %lx\n", v);
    WRITE_SYSREG(fpcr, 0);
    WRITE_SYSREG(fpsr, 0xffffffffull);
    v = READ_SYSREG(fpsr);
    printf_("fpsr all ones reads %lx\n", v);
    WRITE_SYSREG(fpsr, 0);
    WRITE_SYSREG(fpcr, 3 << 22);
    check("fpcr rounding mode round trip", READ_SYSREG(fpcr), 3 << 22);
    WRITE_SYSREG(fpcr, 0);
}

static void test_ldst(void)
{
    T("ldr b/h/s/d/q uimm", "ldr b0, [%[pat], #5]\n ldr h1, [%[pat], #6]\n ldr s2, [%[pat], #12]\n"
      "ldr d3, [%[pat], #16]\n ldr q4, [%[pat], #32]\n ldr q5, [%[pat], #496]\n");
    T("ldur", "add x0, %[pat], #64\n ldur b0, [x0, #-1]\n ldur h1, [x0, #-3]\n ldur s2, [x0, #7]\n"
      "ldur d3, [x0, #-255]\n ldur q4, [x0, #255]\n ldur q5, [x0, #-17]\n");
    T("ldr pre/post", "add x0, %[pat], #64\n ldr q0, [x0, #16]!\n ldr d1, [x0], #-40\n"
      "ldr s2, [x0, #-4]!\n ldr h3, [x0], #3\n ldr b4, [x0, #1]!\n mov v5.d[0], x0\n sub x1, x0, %[pat]\n"
      "fmov d5, x1\n");
    T("ldr register", "mov x1, #5\n ldr q0, [%[pat], x1, lsl #4]\n ldr d1, [%[pat], x1, lsl #3]\n"
      "ldr s2, [%[pat], x1, lsl #2]\n ldr h3, [%[pat], x1, lsl #1]\n ldr b4, [%[pat], x1]\n"
      "mov w2, #-8\n add x0, %[pat], #64\n ldr q5, [x0, w2, sxtw]\n ldr s6, [x0, w2, sxtw #2]\n"
      "mov w2, #3\n ldr d7, [x0, w2, uxtw #3]\n");
    T("ldr literal", "ldr q0, 1f\n ldr d1, 1f\n ldr s2, 1f\n b 2f\n .balign 16\n"
      "1: .quad 0x0123456789abcdef, 0xfedcba9876543210\n 2:\n");
    TM("str", 96, "str b0, [%[mem]]\n str h1, [%[mem], #2]\n str s2, [%[mem], #4]\n str d3, [%[mem], #8]\n"
       "str q4, [%[mem], #16]\n add x0, %[mem], #32\n stur q5, [x0, #1]\n str d6, [x0, #24]!\n"
       "str q7, [x0], #16\n sub x1, x0, %[mem]\n strb w1, [%[mem], #90]\n mov x1, #2\n"
       "str h0, [x0, x1, lsl #1]\n");
    T("ldp/stp", "ldp s0, s1, [%[pat], #8]\n ldp d2, d3, [%[pat], #-0]\n add x0, %[pat], #64\n"
      "ldp q4, q5, [x0, #-64]!\n ldp q6, q7, [x0], #32\n stp q6, q7, [%[mem]]\n ldnp d6, d7, [x0]\n"
      "stp s0, s1, [%[mem], #32]\n stnp q0, q1, [%[mem], #48]\n ldp q0, q1, [%[mem]]\n"
      "ldr q2, [%[mem], #32]\n ldp q3, q4, [%[mem], #48]\n sub x1, x0, %[pat]\n fmov d5, x1\n");
}

static void test_struct(void)
{
    T("ld1 1-4 regs", "ld1 {v0.16b}, [%[pat]]\n ld1 {v1.8b, v2.8b}, [%[pat]]\n"
      "ld1 {v3.4s, v4.4s, v5.4s}, [%[pat]]\n ld1 {v6.1d, v7.1d}, [%[pat]]\n");
    T("ld1 4 regs wrap", "ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%[pat]]\n ld1 {v0.4h, v1.4h, v2.4h, v3.4h}, [%[pat]]\n");
    T("ld2", "ld2 {v0.16b, v1.16b}, [%[pat]]\n ld2 {v2.4h, v3.4h}, [%[pat]]\n ld2 {v4.2d, v5.2d}, [%[pat]]\n"
      "ld2 {v6.2s, v7.2s}, [%[pat]]\n");
    T("ld3", "ld3 {v0.16b, v1.16b, v2.16b}, [%[pat]]\n ld3 {v3.8h, v4.8h, v5.8h}, [%[pat]]\n"
      "ld3 {v6.2s, v7.2s, v8.2s}, [%[pat]]\n");
    T("ld4", "ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [%[pat]]\n ld4 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pat]]\n");
    T("ld4 wrap", "ld4 {v6.8b, v7.8b, v8.8b, v9.8b}, [%[pat]]\n ld4 {v30.2d, v31.2d, v0.2d, v1.2d}, [%[pat]]\n");
    T("ld post", "mov x0, %[pat]\n ld1 {v0.16b, v1.16b}, [x0], #32\n ld2 {v2.8b, v3.8b}, [x0], #16\n"
      "mov x1, #-3\n ld3 {v4.4h, v5.4h, v6.4h}, [x0], x1\n sub x1, x0, %[pat]\n fmov d7, x1\n");
    TM("st1-4", 200, "ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [%[pat]]\n mov x0, %[mem]\n"
       "st4 {v0.8h, v1.8h, v2.8h, v3.8h}, [x0], #64\n st3 {v0.8b, v1.8b, v2.8b}, [x0], #24\n"
       "st2 {v1.4s, v2.4s}, [x0], #32\n st1 {v3.2d}, [x0], #16\n st1 {v0.4s, v1.4s, v2.4s}, [x0]\n"
       "sub x1, x0, %[mem]\n fmov d7, x1\n");
    T("ld1 lane", "ld1 {v0.b}[15], [%[pat]]\n ld1 {v1.h}[3], [%[pat]]\n ld1 {v2.s}[2], [%[pat]]\n"
      "ld1 {v3.d}[1], [%[pat]]\n ld2 {v4.s, v5.s}[1], [%[pat]]\n ld3 {v5.h, v6.h, v7.h}[7], [%[pat]]\n"
      "add x0, %[pat], #5\n ld4 {v0.b, v1.b, v2.b, v3.b}[9], [x0]\n");
    TM("st1 lane", 32, "ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [%[pat]]\n mov x0, %[mem]\n"
       "st1 {v0.b}[7], [x0], #1\n st2 {v1.h, v2.h}[5], [x0], #4\n st3 {v0.s, v1.s, v2.s}[3], [x0], #12\n"
       "st4 {v0.d, v1.d, v2.d, v3.d}[1], [x0]\n");
    T("ld1r", "ld1r {v0.16b}, [%[pat]]\n ld1r {v1.4h}, [%[pat]]\n ld2r {v2.4s, v3.4s}, [%[pat]]\n"
      "mov x0, %[pat]\n ld3r {v4.1d, v5.1d, v6.1d}, [x0], #24\n ld4r {v7.8b, v8.8b, v9.8b, v10.8b}, [x0], x0\n"
      "sub x0, x0, %[pat]\n");
}

static void test_moves(void)
{
    T("fmov gen", "movz x0, #0x1234, lsl #48\n movk x0, #0x5678\n fmov s0, w0\n fmov d1, x0\n"
      "fmov v2.d[1], x0\n fmov w1, s2\n fmov x2, v3.d[1]\n fmov d4, x2\n fmov s5, w1\n fmov x3, d7\n"
      "fmov v6.d[1], x3\n");
    T("fmov reg/abs/neg", "fmov s0, s1\n fmov d2, d3\n fabs s4, s5\n fneg d5, d6\n fneg s6, s6\n fabs d7, d7\n");
    T("fmov imm", "fmov s0, #1.0\n fmov d1, #-2.5\n fmov s2, #31.0\n fmov d3, #0.125\n fmov s4, #-0.1875\n"
      "fmov d5, #1.9375\n fmov s6, #0.5\n fmov d7, #-16.0\n");
    T("dup", "dup v0.16b, v1.b[13]\n dup v1.4h, v2.h[3]\n dup v2.4s, v3.s[2]\n dup v3.2d, v4.d[1]\n"
      "movz x0, #0x8912\n movk x0, #0xf567, lsl #16\n movk x0, #0x12, lsl #32\n dup v4.8b, w0\n dup v5.8h, w0\n dup v6.2s, w0\n dup v7.2d, x0\n");
    T("ins", "movz x0, #0x8912\n movk x0, #0xf567, lsl #16\n movk x0, #0x12, lsl #32\n ins v0.b[15], w0\n ins v1.h[5], w0\n ins v2.s[1], w0\n ins v3.d[1], x0\n"
      "ins v4.b[0], v5.b[15]\n ins v5.h[7], v6.h[0]\n ins v6.s[0], v7.s[3]\n ins v7.d[0], v7.d[1]\n");
    T("umov/smov", "umov w0, v1.b[3]\n smov w1, v1.b[7]\n umov w2, v2.h[7]\n smov x3, v2.h[5]\n"
      "fmov d0, x0\n fmov d1, x1\n fmov d2, x2\n fmov d3, x3\n umov w0, v4.s[3]\n smov x1, v4.s[1]\n"
      "umov x2, v5.d[1]\n smov x3, v4.b[15]\n fmov d4, x0\n fmov d5, x1\n fmov d6, x2\n fmov d7, x3\n");
    T("movi", "movi v0.16b, #0xa5\n movi v1.4h, #0x12, lsl #8\n movi v2.2s, #0x80, lsl #24\n"
      "movi v3.4s, #0x34, msl #16\n movi v4.2d, #0xff00ff0000ff00ff\n movi d5, #0xffff0000ffffff00\n"
      "mvni v6.8h, #0x7f\n mvni v7.4s, #0x33, msl #8\n");
    T("orr/bic/fmov vec", "orr v0.4s, #0x12, lsl #16\n orr v1.4h, #0xff\n bic v2.8h, #0xf0, lsl #8\n"
      "bic v3.2s, #0x55\n fmov v4.4s, #-3.0\n fmov v5.2s, #0.25\n fmov v6.2d, #10.0\n mvni v7.2s, #1, lsl #8\n");
    T("logical", "and v0.16b, v1.16b, v2.16b\n bic v1.8b, v2.8b, v3.8b\n orr v2.16b, v3.16b, v4.16b\n"
      "orn v3.16b, v4.16b, v5.16b\n eor v4.8b, v5.8b, v6.8b\n mov v7.16b, v6.16b\n bsl v5.16b, v6.16b, v0.16b\n"
      "bit v6.16b, v1.16b, v2.16b\n bif v7.8b, v3.8b, v4.8b\n");
    T("add/sub/cm", "add v0.16b, v1.16b, v2.16b\n sub v1.8h, v2.8h, v3.8h\n add v2.2s, v3.2s, v4.2s\n"
      "sub v3.2d, v4.2d, v3.2d\n cmeq v4.16b, v0.16b, v0.16b\n cmgt v5.8h, v1.8h, v2.8h\n"
      "cmhi v6.4s, v1.4s, v2.4s\n cmtst v7.16b, v1.16b, v2.16b\n");
    T("cm 2", "cmge v0.16b, v1.16b, v2.16b\n cmhs v1.8h, v2.8h, v3.8h\n cmgt v2.2d, v3.2d, v4.2d\n"
      "cmhi v3.2d, v4.2d, v5.2d\n cmeq v4.4s, v5.4s, v5.4s\n cmge v5.4h, v6.4h, v6.4h\n add v6.2d, v6.2d, v6.2d\n"
      "cmhs v7.8b, v7.8b, v0.8b\n");
}

static void __attribute__((noinline)) run(void)
{
    vregs_init();
    test_fpcr();
    test_ldst();
    test_struct();
    test_moves();
}

int main(void)
{
    puts_("-- guest start --\n");
    test_trap();
    run();
    return 0;
}
