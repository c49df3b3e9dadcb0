/*
 * The rest of ARMv8.0 Advanced SIMD against QEMU: saturating and rounding
 * shifts (SQSHL/UQSHL/SQRSHL/UQRSHL by register, SQSHL/UQSHL/SQSHLU by
 * immediate, the saturating narrows SQSHRN..SQRSHRUN), doubling
 * multiplies (SQDMULH, SQRDMULH, SQDMULL, SQDMLAL, SQDMLSL), the
 * by-element integer forms (MUL/MLA/MLS, [SU]MULL/MLAL/MLSL, SQDM*),
 * SUQADD/USQADD, SHLL, PMULL, URECPE/URSQRTE, vector and scalar, every
 * arrangement; then the FP ones (FRECPE/FRSQRTE, FRECPS/FRSQRTS, FCVTXN,
 * FMLA/FMLS/FMUL/FMULX by element, FMAXV..FMINNMV) under seven FPCR
 * settings (rounding modes, FZ, DN). Each line is a checksum of Vd and
 * FPSR (QC and the cumulative flags, cleared before each input) over
 * corner and random inputs; the estimate instructions also over every
 * table index at every exponent. Build with -DVERBOSE for one line per input.
 */
#include "lib.h"

/* in: Vn, Vm, Vd (accumulator) as 6 words; out: Vd */
typedef void (*OpFn)(const uint64_t *in, uint64_t *out);

#define OP(fn, insn) \
    static void fn(const uint64_t *in, uint64_t *out) \
    { \
        __asm__ volatile("ldp q0, q1, [%0]\n ldr q2, [%0, #32]\n" insn "\n str q2, [%1]" \
                         :: "r"(in), "r"(out) : "v0", "v1", "v2", "memory"); \
    }

/* ---- integer: three same ---- */
OP(sqshl_16b, "sqshl v2.16b, v0.16b, v1.16b")
OP(sqshl_4h, "sqshl v2.4h, v0.4h, v1.4h")
OP(uqshl_8h, "uqshl v2.8h, v0.8h, v1.8h")
OP(uqshl_2s, "uqshl v2.2s, v0.2s, v1.2s")
OP(sqshl_2d, "sqshl v2.2d, v0.2d, v1.2d")
OP(uqshl_2d, "uqshl v2.2d, v0.2d, v1.2d")
OP(sqrshl_8b, "sqrshl v2.8b, v0.8b, v1.8b")
OP(sqrshl_4s, "sqrshl v2.4s, v0.4s, v1.4s")
OP(uqrshl_16b, "uqrshl v2.16b, v0.16b, v1.16b")
OP(uqrshl_8h, "uqrshl v2.8h, v0.8h, v1.8h")
OP(sqrshl_2d, "sqrshl v2.2d, v0.2d, v1.2d")
OP(uqrshl_2d, "uqrshl v2.2d, v0.2d, v1.2d")
OP(sqdmulh_4h, "sqdmulh v2.4h, v0.4h, v1.4h")
OP(sqdmulh_4s, "sqdmulh v2.4s, v0.4s, v1.4s")
OP(sqrdmulh_8h, "sqrdmulh v2.8h, v0.8h, v1.8h")
OP(sqrdmulh_2s, "sqrdmulh v2.2s, v0.2s, v1.2s")
OP(s_sqshl_b, "sqshl b2, b0, b1")
OP(s_uqshl_h, "uqshl h2, h0, h1")
OP(s_sqrshl_s, "sqrshl s2, s0, s1")
OP(s_uqrshl_d, "uqrshl d2, d0, d1")
OP(s_sqdmulh_h, "sqdmulh h2, h0, h1")
OP(s_sqrdmulh_s, "sqrdmulh s2, s0, s1")
/* ---- shift by immediate ---- */
OP(sqshl_i_16b, "sqshl v2.16b, v0.16b, #3")
OP(uqshl_i_8h, "uqshl v2.8h, v0.8h, #15")
OP(sqshl_i_2s, "sqshl v2.2s, v0.2s, #0")
OP(uqshl_i_2d, "uqshl v2.2d, v0.2d, #63")
OP(sqshlu_8b, "sqshlu v2.8b, v0.8b, #1")
OP(sqshlu_4s, "sqshlu v2.4s, v0.4s, #31")
OP(sqshlu_2d, "sqshlu v2.2d, v0.2d, #5")
OP(sqshrn_8b, "sqshrn v2.8b, v0.8h, #1")
OP(sqshrn2_8h, "sqshrn2 v2.8h, v0.4s, #16")
OP(uqshrn_2s, "uqshrn v2.2s, v0.2d, #32")
OP(uqshrn2_16b, "uqshrn2 v2.16b, v0.8h, #4")
OP(sqrshrn_4h, "sqrshrn v2.4h, v0.4s, #7")
OP(sqrshrn2_4s, "sqrshrn2 v2.4s, v0.2d, #1")
OP(uqrshrn_8b, "uqrshrn v2.8b, v0.8h, #8")
OP(uqrshrn2_4s, "uqrshrn2 v2.4s, v0.2d, #17")
OP(sqshrun_4h, "sqshrun v2.4h, v0.4s, #3")
OP(sqshrun2_16b, "sqshrun2 v2.16b, v0.8h, #1")
OP(sqrshrun_2s, "sqrshrun v2.2s, v0.2d, #32")
OP(sqrshrun2_8h, "sqrshrun2 v2.8h, v0.4s, #9")
OP(s_sqshl_i_h, "sqshl h2, h0, #9")
OP(s_uqshl_i_d, "uqshl d2, d0, #1")
OP(s_sqshlu_b, "sqshlu b2, b0, #7")
OP(s_sqshrn_s, "sqshrn s2, d0, #20")
OP(s_uqrshrn_b, "uqrshrn b2, h0, #2")
OP(s_sqrshrun_h, "sqrshrun h2, s0, #16")
OP(s_sqshrun_s, "sqshrun s2, d0, #1")
/* ---- three different ---- */
OP(sqdmull_4s, "sqdmull v2.4s, v0.4h, v1.4h")
OP(sqdmull2_2d, "sqdmull2 v2.2d, v0.4s, v1.4s")
OP(sqdmlal_2d, "sqdmlal v2.2d, v0.2s, v1.2s")
OP(sqdmlal2_4s, "sqdmlal2 v2.4s, v0.8h, v1.8h")
OP(sqdmlsl_4s, "sqdmlsl v2.4s, v0.4h, v1.4h")
OP(sqdmlsl2_2d, "sqdmlsl2 v2.2d, v0.4s, v1.4s")
OP(pmull_8h, "pmull v2.8h, v0.8b, v1.8b")
OP(pmull2_8h, "pmull2 v2.8h, v0.16b, v1.16b")
OP(s_sqdmull_s, "sqdmull s2, h0, h1")
OP(s_sqdmlal_d, "sqdmlal d2, s0, s1")
OP(s_sqdmlsl_s, "sqdmlsl s2, h0, h1")
/* ---- by element ---- */
OP(mul_e_4h, "mul v2.4h, v0.4h, v1.h[7]")
OP(mul_e_4s, "mul v2.4s, v0.4s, v1.s[1]")
OP(mla_e_8h, "mla v2.8h, v0.8h, v1.h[2]")
OP(mla_e_2s, "mla v2.2s, v0.2s, v1.s[3]")
OP(mls_e_4h, "mls v2.4h, v0.4h, v1.h[0]")
OP(mls_e_4s, "mls v2.4s, v0.4s, v1.s[2]")
OP(smull_e_4s, "smull v2.4s, v0.4h, v1.h[5]")
OP(umull2_e_2d, "umull2 v2.2d, v0.4s, v1.s[3]")
OP(smlal2_e_4s, "smlal2 v2.4s, v0.8h, v1.h[1]")
OP(umlal_e_2d, "umlal v2.2d, v0.2s, v1.s[0]")
OP(smlsl_e_2d, "smlsl v2.2d, v0.2s, v1.s[1]")
OP(umlsl2_e_4s, "umlsl2 v2.4s, v0.8h, v1.h[6]")
OP(sqdmull_e_4s, "sqdmull v2.4s, v0.4h, v1.h[3]")
OP(sqdmull2_e_2d, "sqdmull2 v2.2d, v0.4s, v1.s[2]")
OP(sqdmlal_e_2d, "sqdmlal v2.2d, v0.2s, v1.s[1]")
OP(sqdmlsl2_e_4s, "sqdmlsl2 v2.4s, v0.8h, v1.h[7]")
OP(sqdmulh_e_8h, "sqdmulh v2.8h, v0.8h, v1.h[4]")
OP(sqrdmulh_e_2s, "sqrdmulh v2.2s, v0.2s, v1.s[0]")
OP(sqrdmulh_e_4h, "sqrdmulh v2.4h, v0.4h, v1.h[1]")
OP(s_sqdmulh_e_h, "sqdmulh h2, h0, v1.h[7]")
OP(s_sqrdmulh_e_s, "sqrdmulh s2, s0, v1.s[3]")
OP(s_sqdmull_e_d, "sqdmull d2, s0, v1.s[2]")
OP(s_sqdmlal_e_s, "sqdmlal s2, h0, v1.h[5]")
OP(s_sqdmlsl_e_d, "sqdmlsl d2, s0, v1.s[0]")
/* ---- two-register misc ---- */
OP(suqadd_16b, "suqadd v2.16b, v0.16b")
OP(suqadd_4s, "suqadd v2.4s, v0.4s")
OP(usqadd_8h, "usqadd v2.8h, v0.8h")
OP(usqadd_2d, "usqadd v2.2d, v0.2d")
OP(s_suqadd_b, "suqadd b2, b0")
OP(s_usqadd_d, "usqadd d2, d0")
OP(s_usqadd_h, "usqadd h2, h0")
OP(shll_8h, "shll v2.8h, v0.8b, #8")
OP(shll2_4s, "shll2 v2.4s, v0.8h, #16")
OP(shll_2d, "shll v2.2d, v0.2s, #32")
OP(urecpe_4s, "urecpe v2.4s, v0.4s")
OP(ursqrte_2s, "ursqrte v2.2s, v0.2s")

/* ---- FP ---- */
OP(frecpe_4s, "frecpe v2.4s, v0.4s")
OP(frecpe_2d, "frecpe v2.2d, v0.2d")
OP(frsqrte_2s, "frsqrte v2.2s, v0.2s")
OP(frsqrte_2d, "frsqrte v2.2d, v0.2d")
OP(s_frecpe_s, "frecpe s2, s0")
OP(s_frsqrte_d, "frsqrte d2, d0")
OP(frecps_4s, "frecps v2.4s, v0.4s, v1.4s")
OP(frecps_2d, "frecps v2.2d, v0.2d, v1.2d")
OP(frsqrts_4s, "frsqrts v2.4s, v0.4s, v1.4s")
OP(frsqrts_2d, "frsqrts v2.2d, v0.2d, v1.2d")
OP(s_frecps_d, "frecps d2, d0, d1")
OP(s_frsqrts_s, "frsqrts s2, s0, s1")
OP(fcvtxn_2s, "fcvtxn v2.2s, v0.2d")
OP(fcvtxn2_4s, "fcvtxn2 v2.4s, v0.2d")
OP(s_fcvtxn, "fcvtxn s2, d0")
OP(fmla_e_4s, "fmla v2.4s, v0.4s, v1.s[3]")
OP(fmls_e_2s, "fmls v2.2s, v0.2s, v1.s[1]")
OP(fmla_e_2d, "fmla v2.2d, v0.2d, v1.d[1]")
OP(fmls_e_2d, "fmls v2.2d, v0.2d, v1.d[0]")
OP(s_fmla_e_s, "fmla s2, s0, v1.s[2]")
OP(s_fmls_e_d, "fmls d2, d0, v1.d[1]")
OP(fmul_e_4s, "fmul v2.4s, v0.4s, v1.s[0]")
OP(fmulx_e_2d, "fmulx v2.2d, v0.2d, v1.d[1]")
OP(fmaxv_4s, "fmaxv s2, v0.4s")
OP(fminv_4s, "fminv s2, v0.4s")
OP(fmaxnmv_4s, "fmaxnmv s2, v0.4s")
OP(fminnmv_4s, "fminnmv s2, v0.4s")

typedef struct Test {
    const char *name;
    OpFn fn;
    int kind;           /* inputs: 0 integer, 1 integer with small shift counts in Vm, 2 single, 3 double */
} Test;

static const Test int_tests[] = {
    { "sqshl 16b", sqshl_16b, 1 }, { "sqshl 4h", sqshl_4h, 1 }, { "uqshl 8h", uqshl_8h, 1 },
    { "uqshl 2s", uqshl_2s, 1 }, { "sqshl 2d", sqshl_2d, 1 }, { "uqshl 2d", uqshl_2d, 1 },
    { "sqrshl 8b", sqrshl_8b, 1 }, { "sqrshl 4s", sqrshl_4s, 1 }, { "uqrshl 16b", uqrshl_16b, 1 },
    { "uqrshl 8h", uqrshl_8h, 1 }, { "sqrshl 2d", sqrshl_2d, 1 }, { "uqrshl 2d", uqrshl_2d, 1 },
    { "sqshl 2d big", sqshl_2d, 0 }, { "uqrshl 8h big", uqrshl_8h, 0 },
    { "sqdmulh 4h", sqdmulh_4h, 0 }, { "sqdmulh 4s", sqdmulh_4s, 0 }, { "sqrdmulh 8h", sqrdmulh_8h, 0 },
    { "sqrdmulh 2s", sqrdmulh_2s, 0 }, { "sqshl b", s_sqshl_b, 1 }, { "uqshl h", s_uqshl_h, 1 },
    { "sqrshl s", s_sqrshl_s, 1 }, { "uqrshl d", s_uqrshl_d, 1 }, { "sqdmulh h", s_sqdmulh_h, 0 },
    { "sqrdmulh s", s_sqrdmulh_s, 0 },
    { "sqshl #3 16b", sqshl_i_16b, 0 }, { "uqshl #15 8h", uqshl_i_8h, 0 }, { "sqshl #0 2s", sqshl_i_2s, 0 },
    { "uqshl #63 2d", uqshl_i_2d, 0 }, { "sqshlu #1 8b", sqshlu_8b, 0 }, { "sqshlu #31 4s", sqshlu_4s, 0 },
    { "sqshlu #5 2d", sqshlu_2d, 0 }, { "sqshrn 8b", sqshrn_8b, 0 }, { "sqshrn2 8h", sqshrn2_8h, 0 },
    { "uqshrn 2s", uqshrn_2s, 0 }, { "uqshrn2 16b", uqshrn2_16b, 0 }, { "sqrshrn 4h", sqrshrn_4h, 0 },
    { "sqrshrn2 4s", sqrshrn2_4s, 0 }, { "uqrshrn 8b", uqrshrn_8b, 0 }, { "uqrshrn2 4s", uqrshrn2_4s, 0 },
    { "sqshrun 4h", sqshrun_4h, 0 }, { "sqshrun2 16b", sqshrun2_16b, 0 }, { "sqrshrun 2s", sqrshrun_2s, 0 },
    { "sqrshrun2 8h", sqrshrun2_8h, 0 }, { "sqshl #9 h", s_sqshl_i_h, 0 }, { "uqshl #1 d", s_uqshl_i_d, 0 },
    { "sqshlu #7 b", s_sqshlu_b, 0 }, { "sqshrn s", s_sqshrn_s, 0 }, { "uqrshrn b", s_uqrshrn_b, 0 },
    { "sqrshrun h", s_sqrshrun_h, 0 }, { "sqshrun s", s_sqshrun_s, 0 },
    { "sqdmull 4s", sqdmull_4s, 0 }, { "sqdmull2 2d", sqdmull2_2d, 0 }, { "sqdmlal 2d", sqdmlal_2d, 0 },
    { "sqdmlal2 4s", sqdmlal2_4s, 0 }, { "sqdmlsl 4s", sqdmlsl_4s, 0 }, { "sqdmlsl2 2d", sqdmlsl2_2d, 0 },
    { "pmull 8h", pmull_8h, 0 }, { "pmull2 8h", pmull2_8h, 0 }, { "sqdmull s", s_sqdmull_s, 0 },
    { "sqdmlal d", s_sqdmlal_d, 0 }, { "sqdmlsl s", s_sqdmlsl_s, 0 },
    { "mul elem 4h", mul_e_4h, 0 }, { "mul elem 4s", mul_e_4s, 0 }, { "mla elem 8h", mla_e_8h, 0 },
    { "mla elem 2s", mla_e_2s, 0 }, { "mls elem 4h", mls_e_4h, 0 }, { "mls elem 4s", mls_e_4s, 0 },
    { "smull elem", smull_e_4s, 0 }, { "umull2 elem", umull2_e_2d, 0 }, { "smlal2 elem", smlal2_e_4s, 0 },
    { "umlal elem", umlal_e_2d, 0 }, { "smlsl elem", smlsl_e_2d, 0 }, { "umlsl2 elem", umlsl2_e_4s, 0 },
    { "sqdmull elem", sqdmull_e_4s, 0 }, { "sqdmull2 elem", sqdmull2_e_2d, 0 },
    { "sqdmlal elem", sqdmlal_e_2d, 0 }, { "sqdmlsl2 elem", sqdmlsl2_e_4s, 0 },
    { "sqdmulh elem 8h", sqdmulh_e_8h, 0 }, { "sqrdmulh elem 2s", sqrdmulh_e_2s, 0 },
    { "sqrdmulh elem 4h", sqrdmulh_e_4h, 0 }, { "sqdmulh elem h", s_sqdmulh_e_h, 0 },
    { "sqrdmulh elem s", s_sqrdmulh_e_s, 0 }, { "sqdmull elem d", s_sqdmull_e_d, 0 },
    { "sqdmlal elem s", s_sqdmlal_e_s, 0 }, { "sqdmlsl elem d", s_sqdmlsl_e_d, 0 },
    { "suqadd 16b", suqadd_16b, 0 }, { "suqadd 4s", suqadd_4s, 0 }, { "usqadd 8h", usqadd_8h, 0 },
    { "usqadd 2d", usqadd_2d, 0 }, { "suqadd b", s_suqadd_b, 0 }, { "usqadd d", s_usqadd_d, 0 },
    { "usqadd h", s_usqadd_h, 0 }, { "shll 8h", shll_8h, 0 }, { "shll2 4s", shll2_4s, 0 },
    { "shll 2d", shll_2d, 0 }, { "urecpe 4s", urecpe_4s, 0 }, { "ursqrte 2s", ursqrte_2s, 0 },
};

static const Test fp_tests[] = {
    { "frecpe 4s", frecpe_4s, 2 }, { "frecpe 2d", frecpe_2d, 3 }, { "frsqrte 2s", frsqrte_2s, 2 },
    { "frsqrte 2d", frsqrte_2d, 3 }, { "frecpe s", s_frecpe_s, 2 }, { "frsqrte d", s_frsqrte_d, 3 },
    { "frecps 4s", frecps_4s, 2 }, { "frecps 2d", frecps_2d, 3 }, { "frsqrts 4s", frsqrts_4s, 2 },
    { "frsqrts 2d", frsqrts_2d, 3 }, { "frecps d", s_frecps_d, 3 }, { "frsqrts s", s_frsqrts_s, 2 },
    { "fcvtxn 2s", fcvtxn_2s, 3 }, { "fcvtxn2 4s", fcvtxn2_4s, 3 }, { "fcvtxn s", s_fcvtxn, 3 },
    { "fmla elem 4s", fmla_e_4s, 2 }, { "fmls elem 2s", fmls_e_2s, 2 }, { "fmla elem 2d", fmla_e_2d, 3 },
    { "fmls elem 2d", fmls_e_2d, 3 }, { "fmla elem s", s_fmla_e_s, 2 }, { "fmls elem d", s_fmls_e_d, 3 },
    { "fmul elem 4s", fmul_e_4s, 2 }, { "fmulx elem 2d", fmulx_e_2d, 3 }, { "fmaxv", fmaxv_4s, 2 },
    { "fminv", fminv_4s, 2 }, { "fmaxnmv", fmaxnmv_4s, 2 }, { "fminnmv", fminnmv_4s, 2 },
};

/* corner values of each element size, and of single and double FP */
static const uint64_t int_corners[] = {
    0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull, 0x4000, 0x40000000,
};
static const uint32_t fs[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x00000001, 0x807fffff, 0x00800000,
    0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc01234, 0xffc00001, 0x7f800abc, 0xff900001,
    0x3eaaaaab, 0x00200000, 0x00100000, 0x001fffff, 0x00400000, 0x7e800000, 0x7e7fffff, 0x3f7fffff,
    0x40400000, 0x4f800000, 0x40490fdb, 0x3f000001, 0xc0000000, 0x5f7fffff, 0x20000000, 0xff7ffffe,
};
static const uint64_t fd[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3ff8000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull, 0x0010000000000000ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000012345ull, 0xfff8000000000001ull, 0x7ff0000000000abcull, 0xfff4000000000001ull,
    0x3fd5555555555555ull, 0x0004000000000000ull, 0x0002000000000000ull, 0x0003ffffffffffffull,
    0x7fd0000000000000ull, 0x7fcfffffffffffffull, 0x3fefffffffffffffull, 0x4008000000000000ull,
    0x36a0000000000000ull, 0x3690000000000001ull, 0x380fffffffffffffull, 0x3810000000000000ull,
    0x47efffffe0000000ull, 0x47efffffefffffffull, 0x47f0000000000000ull, 0xb7e0000000000001ull,
    0x3e70000000000001ull, 0x400921fb54442d18ull, 0x3feffffff0000000ull, 0xc7efffffffffffffull,
};
#define N_FS (sizeof(fs) / sizeof(fs[0]))
#define N_FD (sizeof(fd) / sizeof(fd[0]))

static uint64_t rng = 0x853c49e6748fea9bull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* an integer input word: random, or corners in some of its lanes */
static uint64_t int_word(int k)
{
    uint64_t w = rnd();
    switch (k % 4) {
    case 0: return w;
    case 1: return int_corners[w % 16] | int_corners[(w >> 8) % 16] << 32;
    case 2: {                       /* 16-bit lanes from corners */
        uint64_t r = 0;
        for (int i = 0; i < 4; i++)
            r |= (int_corners[(w >> (8 * i)) % 11] & 0xffff) << (16 * i);
        return r;
    }
    default: {                      /* bytes near the limits */
        uint64_t r = 0;
        for (int i = 0; i < 8; i++) {
            static const uint8_t b[] = { 0, 1, 0x7f, 0x80, 0xff, 0x40, 0x3f, 0xc0 };
            r |= (uint64_t)b[(w >> (3 * i)) & 7] << (8 * i);
        }
        return r;
    }
    }
}

/* shift counts: each byte a small signed value (-70..70) */
static uint64_t shift_word(void)
{
    uint64_t w = rnd(), r = 0;
    for (int i = 0; i < 8; i++)
        r |= (uint64_t)(uint8_t)(int8_t)((int)((w >> (8 * i)) & 0xff) % 141 - 70) << (8 * i);
    return r;
}

static uint64_t fp_single_pair(int k, int lane)
{
    uint64_t w = rnd();
    uint32_t lo, hi;
    if ((k + lane) % 3 == 2) {      /* random with a moderate exponent */
        lo = (uint32_t)(w & 0x807fffff) | (uint32_t)(((w >> 32) % 60 + 97) << 23);
        hi = (uint32_t)(w >> 32) ^ lo;
    } else {
        lo = fs[(w >> 8) % N_FS];
        hi = fs[(w >> 16) % N_FS];
    }
    return lo | (uint64_t)hi << 32;
}

static uint64_t fp_double(int k, int lane)
{
    uint64_t w = rnd();
    if ((k + lane) % 3 == 2)
        return (w & 0x800fffffffffffffull) | ((w >> 40) % 200 + 923) << 52;
    if ((k + lane) % 5 == 4)        /* near the single range limits, for FCVTXN */
        return (w & 0x800fffffffffffffull) | ((w >> 40) % 60 + (w & 1 ? 1100 : 870)) << 52;
    return fd[(w >> 8) % N_FD];
}

static uint64_t hash;
static uint64_t fpsr_or;
static void mix(uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        hash ^= (v >> (8 * i)) & 0xff;
        hash *= 0x100000001b3ull;
    }
}

#define ROUNDS 96

static void run_test(const Test *t, const char *mode)
{
    uint64_t in[6], out[2];
    hash = 0xcbf29ce484222325ull;
    fpsr_or = 0;
    rng = 0x853c49e6748fea9bull;
    int qc = 0;
    for (int k = 0; k < ROUNDS; k++) {
        for (int j = 0; j < 6; j++) {
            if (t->kind == 2)
                in[j] = fp_single_pair(k, j);
            else if (t->kind == 3)
                in[j] = fp_double(k, j);
            else if (t->kind == 1 && (j == 2 || j == 3))
                in[j] = shift_word();
            else
                in[j] = int_word(k + j);
        }
        WRITE_SYSREG(fpsr, 0);
        t->fn(in, out);
        uint64_t fpsr = READ_SYSREG(fpsr);
        qc += fpsr >> 27 & 1;
        fpsr_or |= fpsr;
        mix(out[0]);
        mix(out[1]);
        mix(fpsr);
#ifdef VERBOSE
        printf_("  %s %s: %016lx%016lx %016lx%016lx %016lx%016lx -> %016lx%016lx fpsr %lx\n", t->name, mode,
                in[1], in[0], in[3], in[2], in[5], in[4], out[1], out[0], fpsr);
#endif
    }
    printf_("%s%s: %016lx fpsr %lx qc %d\n", t->name, mode, hash, fpsr_or, qc);
}

/* The estimate tables in full: every 8 (single: FRECPE, FRSQRTE) or 9
 * (URECPE, URSQRTE) leading bits at every exponent and sign, with two
 * low-bit patterns; one checksum per instruction and FPCR setting */
static void sweep_estimates(const char *mode)
{
    static const struct { const char *name; OpFn fn; bool integer; } ops[] = {
        { "frecpe", frecpe_4s, false }, { "frsqrte", frsqrte_2s, false },
        { "urecpe", urecpe_4s, true }, { "ursqrte", ursqrte_2s, true },
    };
    for (unsigned o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        uint64_t in[6] = { 0 }, out[2];
        hash = 0xcbf29ce484222325ull;
        fpsr_or = 0;
        for (uint32_t top = 0; top < (ops[o].integer ? 512u : 131072u); top += 2) {
            /* singles: sign:exponent:fraction<22:15>; integers: bits 31:23 */
            uint32_t a = ops[o].integer ? top << 23 : top << 15;
            uint32_t b = ops[o].integer ? (top + 1) << 23 | 0x7fffff : (top + 1) << 15 | 0x7fff;
            in[0] = a | (uint64_t)b << 32;
            in[1] = (a | 0x1234) | (uint64_t)(b ^ 0x4321) << 32;
            WRITE_SYSREG(fpsr, 0);
            ops[o].fn(in, out);
            uint64_t fpsr = READ_SYSREG(fpsr);
            fpsr_or |= fpsr;
            mix(out[0]);
            mix(out[1]);
            mix(fpsr);
        }
        printf_("%s table%s: %016lx fpsr %lx\n", ops[o].name, mode, hash, fpsr_or);
    }
}

static void __attribute__((noinline)) run(void)
{
    for (unsigned i = 0; i < sizeof(int_tests) / sizeof(int_tests[0]); i++)
        run_test(&int_tests[i], "");
    static const struct { uint64_t fpcr; const char *name; } modes[] = {
        { 0, " [RN]" }, { 1 << 22, " [RP]" }, { 2 << 22, " [RM]" }, { 3 << 22, " [RZ]" },
        { 1 << 24, " [FZ]" }, { 1 << 25, " [DN]" }, { 1 << 24 | 1 << 25 | 2 << 22, " [FZ DN RM]" },
    };
    for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
        WRITE_SYSREG(fpcr, modes[m].fpcr);
        for (unsigned i = 0; i < sizeof(fp_tests) / sizeof(fp_tests[0]); i++)
            run_test(&fp_tests[i], modes[m].name);
        if (m == 0 || m == 3 || m == 6)     /* RN, RZ (overflow to max), FZ DN RM */
            sweep_estimates(modes[m].name);
    }
    WRITE_SYSREG(fpcr, 0);

    /* a few fixed results the manual gives, so the program checks itself
     * as well: FRECPE(1.0) = 0.998046875 (0x3f7f8000),
     * FRECPS(1, 1) = 1.0, FRSQRTS(1, 1) = 1.0,
     * SQDMULH(0x8000, 0x8000) saturates to 0x7fff with QC */
    uint64_t in[6] = { 0x3f800000, 0, 0x3f800000, 0, 0, 0 }, out[2];
    frecpe_4s(in, out);
    check("frecpe 1.0", out[0] & 0xffffffff, 0x3f7f8000);
    frecps_4s(in, out);
    check("frecps 1, 1", out[0] & 0xffffffff, 0x3f800000);
    frsqrts_4s(in, out);
    check("frsqrts 1, 1", out[0] & 0xffffffff, 0x3f800000);
    in[0] = in[2] = 0x8000;
    WRITE_SYSREG(fpsr, 0);
    sqdmulh_4h(in, out);
    check("sqdmulh min*min", out[0] & 0xffff, 0x7fff);
    check("sqdmulh QC", READ_SYSREG(fpsr) >> 27 & 1, 1);
}

int main(void)
{
    puts_("-- guest start --\n");
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    __asm__ volatile("isb");
    run();
    return 0;
}
