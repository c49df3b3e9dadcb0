/*
 * Advanced SIMD integer operations against QEMU: three same (halving,
 * saturating with FPSR.QC, shifts by register, MAX/MIN/ABD/ABA, MUL/MLA/MLS/
 * PMUL, pairwise), two-register misc (REV, CLS/CLZ/CNT/NOT/RBIT, compares
 * with zero, ABS/NEG, SQABS/SQNEG, XTN and the saturating narrows, ADDLP/
 * ADALP), across lanes, shifts by immediate (SHR, rounding, SRA, SHL, SLI,
 * SRI, SHRN, SHLL), three different (long, wide, high-narrow, MULL/MLAL),
 * permutes (ZIP/UZP/TRN, EXT, TBL/TBX), and FP three same (arithmetic,
 * pairwise, compares), FP two-register misc (FRINT*, FCVT*, SCVTF/UCVTF,
 * FABS/FNEG/FSQRT, compares with zero) with FPSR under two FPCR settings. Every test prints the V registers
 * it wrote; QEMU must print the same.
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


/* FPSR.QC after a saturating group */
static void show_qc(const char *name)
{
    printf_("%s qc: %lx\n", name, READ_SYSREG(fpsr) >> 27 & 1);
    WRITE_SYSREG(fpsr, 0);
}

static void test_three_same(void)
{
    T("hadd/rhadd/hsub", "shadd v0.16b, v1.16b, v2.16b\n uhadd v1.8h, v2.8h, v3.8h\n srhadd v2.4s, v3.4s, v4.4s\n"
      "urhadd v3.8b, v4.8b, v5.8b\n shsub v4.4h, v5.4h, v6.4h\n uhsub v5.2s, v6.2s, v7.2s\n uhadd v6.16b, v6.16b, v0.16b\n");
    WRITE_SYSREG(fpsr, 0);
    T("qadd/qsub", "sqadd v0.16b, v1.16b, v2.16b\n uqadd v1.8h, v2.8h, v3.8h\n sqsub v2.4s, v3.4s, v4.4s\n"
      "uqsub v3.2d, v4.2d, v5.2d\n sqadd v4.2d, v5.2d, v6.2d\n uqadd v5.2d, v6.2d, v7.2d\n sqsub v6.8b, v7.8b, v0.8b\n");
    show_qc("qadd/qsub");
    T("qadd no sat", "movi v1.16b, #1\n movi v2.16b, #2\n uqadd v0.16b, v1.16b, v2.16b\n");
    show_qc("qadd no sat");
    T("sshl/ushl", "movi v7.16b, #0xf9\n sshl v0.16b, v1.16b, v7.16b\n ushl v1.8h, v2.8h, v7.8h\n"
      "sshl v2.4s, v3.4s, v4.4s\n ushl v3.2d, v4.2d, v5.2d\n srshl v4.16b, v5.16b, v7.16b\n urshl v5.4s, v6.4s, v7.4s\n"
      "movi v7.16b, #0x05\n sshl v6.2d, v6.2d, v7.2d\n");
    T("max/min/abd", "smax v0.16b, v1.16b, v2.16b\n umax v1.8h, v2.8h, v3.8h\n smin v2.4s, v3.4s, v4.4s\n"
      "umin v3.8b, v4.8b, v5.8b\n sabd v4.8h, v5.8h, v6.8h\n uabd v5.4s, v6.4s, v7.4s\n saba v6.16b, v7.16b, v0.16b\n"
      "uaba v7.4h, v0.4h, v1.4h\n");
    T("mul/mla/mls", "mul v0.16b, v1.16b, v2.16b\n mul v1.8h, v2.8h, v3.8h\n mla v2.4s, v3.4s, v4.4s\n"
      "mls v3.2s, v4.2s, v5.2s\n pmul v4.16b, v5.16b, v6.16b\n mla v5.8b, v6.8b, v7.8b\n mls v6.8h, v7.8h, v0.8h\n");
    T("pairwise", "addp v0.16b, v1.16b, v2.16b\n addp v1.2d, v2.2d, v3.2d\n smaxp v2.4s, v3.4s, v4.4s\n"
      "umaxp v3.8b, v4.8b, v5.8b\n sminp v4.8h, v5.8h, v6.8h\n uminp v5.2s, v6.2s, v7.2s\n addp v6.4h, v7.4h, v6.4h\n");
}

static void test_misc(void)
{
    T("rev", "rev64 v0.16b, v1.16b\n rev64 v1.4h, v2.4h\n rev64 v2.4s, v3.4s\n rev32 v3.16b, v4.16b\n"
      "rev32 v4.4h, v5.4h\n rev16 v5.16b, v6.16b\n rev16 v6.8b, v7.8b\n");
    T("cls/clz/cnt/not/rbit", "cls v0.16b, v1.16b\n clz v1.8h, v2.8h\n cls v2.4s, v3.4s\n clz v3.2s, v4.2s\n"
      "cnt v4.16b, v5.16b\n not v5.8b, v6.8b\n rbit v6.16b, v7.16b\n movi v7.4s, #0\n clz v7.4s, v7.4s\n");
    T("cm zero", "cmgt v0.16b, v1.16b, #0\n cmge v1.8h, v2.8h, #0\n cmeq v2.4s, v3.4s, #0\n"
      "cmle v3.2d, v4.2d, #0\n cmlt v4.8b, v5.8b, #0\n movi v6.2d, #0\n cmeq v5.2d, v6.2d, #0\n cmlt v6.4h, v7.4h, #0\n"
      "cmge v7.2s, v7.2s, #0\n");
    T("abs/neg", "abs v0.16b, v1.16b\n neg v1.8h, v2.8h\n abs v2.2d, v3.2d\n neg v3.2s, v4.2s\n"
      "movi v7.16b, #0x80\n abs v4.16b, v7.16b\n neg v5.16b, v7.16b\n");
    WRITE_SYSREG(fpsr, 0);
    T("sqabs/sqneg", "movi v7.16b, #0x80\n sqabs v0.16b, v7.16b\n sqneg v1.8h, v7.8h\n sqabs v2.4s, v3.4s\n sqneg v3.2d, v4.2d\n");
    show_qc("sqabs/sqneg");
    T("xtn", "xtn v0.8b, v1.8h\n xtn2 v0.16b, v2.8h\n xtn v1.4h, v3.4s\n xtn2 v2.4s, v4.2d\n sqxtn v3.8b, v4.8h\n"
      "uqxtn2 v4.8h, v5.4s\n sqxtun v5.2s, v6.2d\n sqxtun2 v6.16b, v7.8h\n");
    show_qc("xtn");
    T("addlp/adalp", "saddlp v0.8h, v1.16b\n uaddlp v1.2s, v2.4h\n saddlp v2.2d, v3.4s\n sadalp v3.4s, v4.8h\n"
      "uadalp v4.1d, v5.2s\n uadalp v5.8h, v6.16b\n");
    T("across", "addv b0, v1.16b\n addv h1, v2.8h\n addv s2, v3.4s\n uaddlv h3, v4.16b\n saddlv d4, v5.4s\n"
      "smaxv b5, v6.8b\n uminv s6, v7.4s\n umaxv h7, v0.4h\n");
    T("across 2", "sminv b0, v1.16b\n umaxv b1, v2.16b\n smaxv h2, v3.8h\n uminv h3, v4.4h\n saddlv s4, v5.8h\n"
      "uaddlv d5, v6.4s\n addv b6, v7.8b\n uaddlv h7, v0.8b\n");
}

static void test_shift(void)
{
    T("shr", "sshr v0.16b, v1.16b, #3\n ushr v1.8h, v2.8h, #16\n sshr v2.4s, v3.4s, #32\n ushr v3.2d, v4.2d, #63\n"
      "sshr v4.2d, v5.2d, #64\n ssra v5.8b, v6.8b, #1\n usra v6.4s, v7.4s, #7\n usra v7.2d, v0.2d, #64\n");
    T("rshr", "srshr v0.16b, v1.16b, #3\n urshr v1.8h, v2.8h, #16\n srshr v2.4s, v3.4s, #32\n urshr v3.2d, v4.2d, #63\n"
      "srsra v4.2d, v5.2d, #64\n ursra v5.8b, v6.8b, #1\n srsra v6.4s, v7.4s, #7\n urshr v7.2d, v0.2d, #64\n");
    T("shl/sli/sri", "shl v0.16b, v1.16b, #3\n shl v1.8h, v2.8h, #15\n shl v2.2d, v3.2d, #63\n sli v3.4s, v4.4s, #9\n"
      "sli v4.2d, v5.2d, #0\n sri v5.16b, v6.16b, #8\n sri v6.4h, v7.4h, #3\n sri v7.2d, v0.2d, #64\n");
    T("shrn/shll", "shrn v0.8b, v1.8h, #3\n shrn2 v0.16b, v2.8h, #8\n rshrn v1.4h, v2.4s, #16\n rshrn2 v2.4s, v3.2d, #32\n"
      "sshll v3.8h, v4.8b, #0\n ushll2 v4.4s, v5.8h, #15\n sshll2 v5.2d, v6.4s, #31\n uxtl v6.8h, v7.8b\n sxtl2 v7.2d, v0.4s\n");
}

static void test_diff(void)
{
    T("addl/subl/w", "saddl v0.8h, v1.8b, v2.8b\n uaddl2 v1.4s, v2.8h, v3.8h\n ssubl v2.2d, v3.2s, v4.2s\n"
      "usubl2 v3.8h, v4.16b, v5.16b\n saddw v4.4s, v5.4s, v6.4h\n uaddw2 v5.2d, v6.2d, v7.4s\n ssubw2 v6.8h, v7.8h, v0.16b\n"
      "usubw v7.4s, v0.4s, v1.4h\n");
    T("hn/abdl/mull", "addhn v0.8b, v1.8h, v2.8h\n raddhn2 v0.16b, v3.8h, v4.8h\n subhn v1.4h, v2.4s, v3.4s\n"
      "rsubhn2 v2.4s, v3.2d, v4.2d\n sabdl v3.8h, v4.8b, v5.8b\n uabal2 v4.4s, v5.8h, v6.8h\n smull v5.2d, v6.2s, v7.2s\n"
      "umull2 v6.8h, v7.16b, v0.16b\n");
    T("mlal/mlsl", "smlal v0.8h, v1.8b, v2.8b\n umlal2 v1.4s, v2.8h, v3.8h\n smlsl v2.2d, v3.2s, v4.2s\n"
      "umlsl2 v3.8h, v4.16b, v5.16b\n sabal v4.4s, v5.4h, v6.4h\n uabdl2 v5.2d, v6.4s, v7.4s\n umull v6.4s, v7.4h, v0.4h\n"
      "smull2 v7.2d, v0.4s, v1.4s\n");
}

static void test_perm(void)
{
    T("zip/uzp/trn", "zip1 v0.16b, v1.16b, v2.16b\n zip2 v1.8h, v2.8h, v3.8h\n uzp1 v2.4s, v3.4s, v4.4s\n"
      "uzp2 v3.8b, v4.8b, v5.8b\n trn1 v4.4h, v5.4h, v6.4h\n trn2 v5.2d, v6.2d, v7.2d\n zip1 v6.2s, v7.2s, v0.2s\n"
      "uzp1 v7.16b, v7.16b, v7.16b\n");
    T("ext", "ext v0.16b, v1.16b, v2.16b, #0\n ext v1.16b, v2.16b, v3.16b, #15\n ext v2.8b, v3.8b, v4.8b, #3\n"
      "ext v3.16b, v3.16b, v3.16b, #8\n ext v4.8b, v5.8b, v6.8b, #7\n");
    T("tbl/tbx", "movi v7.16b, #0x0f\n and v7.16b, v7.16b, v1.16b\n tbl v0.16b, {v2.16b}, v7.16b\n"
      "tbl v1.8b, {v2.16b, v3.16b}, v1.8b\n tbx v2.16b, {v3.16b, v4.16b, v5.16b}, v6.16b\n"
      "tbx v3.8b, {v30.16b, v31.16b, v0.16b, v1.16b}, v4.8b\n tbl v4.16b, {v5.16b, v6.16b, v7.16b, v8.16b}, v5.16b\n");
}

/* FP three same (vector) over the pattern registers and special values,
 * under FPCR = 0, FZ+DN+RP; FPSR printed */
static void test_vfp_mode(uint64_t fpcr)
{
    WRITE_SYSREG(fpcr, fpcr);
    WRITE_SYSREG(fpsr, 0);
    T("fadd/fsub/fmul/fdiv", "fadd v0.4s, v1.4s, v2.4s\n fsub v1.2d, v2.2d, v3.2d\n fmul v2.2s, v3.2s, v4.2s\n"
      "fdiv v3.4s, v4.4s, v5.4s\n fabd v4.2d, v5.2d, v6.2d\n fdiv v5.2d, v6.2d, v7.2d\n fmul v6.4s, v7.4s, v0.4s\n");
    printf_("  fpsr %lx\n", READ_SYSREG(fpsr));
    WRITE_SYSREG(fpsr, 0);
    T("fp specials", "mvni v0.4s, #0\n movi v1.4s, #0x7f, lsl #24\n movi v2.2d, #0xff00000000ff0000\n"
      "fmov v3.4s, #1.0\n movi v4.4s, #0x80, lsl #24\n movi v5.4s, #0x01\n movi v6.4s, #0x7f, msl #16\n"
      "fadd v7.4s, v0.4s, v3.4s\n fmax v0.4s, v1.4s, v6.4s\n fminnm v1.4s, v6.4s, v2.4s\n fmaxnm v2.4s, v5.4s, v4.4s\n"
      "fmul v3.4s, v1.4s, v1.4s\n fsub v4.4s, v5.4s, v5.4s\n fdiv v5.4s, v3.4s, v4.4s\n fmin v6.4s, v4.4s, v7.4s\n");
    printf_("  fpsr %lx\n", READ_SYSREG(fpsr));
    WRITE_SYSREG(fpsr, 0);
    T("fp pairwise", "faddp v0.4s, v1.4s, v2.4s\n fmaxp v1.2d, v2.2d, v3.2d\n fminp v2.2s, v3.2s, v4.2s\n"
      "fmaxnmp v3.4s, v4.4s, v5.4s\n fminnmp v4.2d, v5.2d, v6.2d\n faddp v5.2s, v6.2s, v7.2s\n");
    printf_("  fpsr %lx\n", READ_SYSREG(fpsr));
    WRITE_SYSREG(fpsr, 0);
    T("fp misc", "frintn v0.4s, v1.4s\n frintm v1.2d, v2.2d\n frintp v2.2s, v3.2s\n frintz v3.4s, v4.4s\n"
      "frinta v4.2d, v5.2d\n frintx v5.4s, v6.4s\n frinti v6.2d, v7.2d\n");
    printf_("  fpsr %lx\n", READ_SYSREG(fpsr));
    WRITE_SYSREG(fpsr, 0);
    /* fractional values: small integers scaled by 1/8 and by -0.75 */
    T("fp misc fractions", "fmov v7.4s, #0.125\n fmov v6.2d, #-0.75\n ushr v0.4s, v1.4s, #20\n ushr v1.2d, v2.2d, #44\n"
      "scvtf v0.4s, v0.4s\n scvtf v1.2d, v1.2d\n fmul v0.4s, v0.4s, v7.4s\n fmul v1.2d, v1.2d, v6.2d\n"
      "frintn v2.4s, v0.4s\n frinta v3.4s, v0.4s\n frintx v4.2d, v1.2d\n fcvtas v5.4s, v0.4s\n fcvtzu v6.2d, v1.2d\n"
      "fcvtms v7.4s, v0.4s\n");
    printf_("  fpsr %lx\n", READ_SYSREG(fpsr));
    WRITE_SYSREG(fpsr, 0);
    T("fp cvt", "fcvtns v0.4s, v1.4s\n fcvtms v1.2d, v2.2d\n fcvtas v2.2s, v3.2s\n fcvtps v3.4s, v4.4s\n"
      "fcvtzs v4.2d, v5.2d\n fcvtnu v5.4s, v6.4s\n fcvtzu v6.2d, v7.2d\n fcvtau v7.2s, v0.2s\n");
    printf_("  fpsr %lx\n", READ_SYSREG(fpsr));
    WRITE_SYSREG(fpsr, 0);
    T("fp cvt2", "fcvtmu v0.4s, v1.4s\n fcvtpu v1.2d, v2.2d\n scvtf v2.4s, v3.4s\n ucvtf v3.2d, v4.2d\n"
      "scvtf v4.2s, v5.2s\n fabs v5.4s, v6.4s\n fneg v6.2d, v7.2d\n fsqrt v7.4s, v0.4s\n");
    printf_("  fpsr %lx\n", READ_SYSREG(fpsr));
    WRITE_SYSREG(fpsr, 0);
    T("fp cmp0", "fcmgt v0.4s, v1.4s, #0.0\n fcmge v1.2d, v2.2d, #0.0\n fcmeq v2.4s, v3.4s, #0.0\n"
      "fcmle v3.2s, v4.2s, #0.0\n fcmlt v4.2d, v5.2d, #0.0\n mvni v7.4s, #0\n fcmeq v5.4s, v7.4s, #0.0\n"
      "fcmlt v6.4s, v7.4s, #0.0\n");
    printf_("  fpsr %lx\n", READ_SYSREG(fpsr));
    WRITE_SYSREG(fpsr, 0);
    T("fp compares", "fcmeq v0.4s, v1.4s, v1.4s\n fcmge v1.2d, v2.2d, v3.2d\n fcmgt v2.4s, v3.4s, v4.4s\n"
      "facge v3.2s, v4.2s, v5.2s\n facgt v4.2d, v5.2d, v6.2d\n mvni v7.4s, #0\n fcmeq v5.4s, v7.4s, v7.4s\n"
      "fcmge v6.4s, v6.4s, v6.4s\n");
    printf_("  fpsr %lx\n", READ_SYSREG(fpsr));
    WRITE_SYSREG(fpsr, 0);
    WRITE_SYSREG(fpcr, 0);
}

static void test_vfp(void)
{
    test_vfp_mode(0);
    test_vfp_mode((1 << 24) | (1 << 25) | (1 << 22));
}

static void __attribute__((noinline)) run(void)
{
    vregs_init();
    test_three_same();
    test_misc();
    test_shift();
    test_diff();
    test_perm();
    test_vfp();
    check("neonint ran", 1, 1);
}

int main(void)
{
    puts_("-- guest start --\n");
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    __asm__ volatile("isb");
    run();
    return 0;
}
