/*
 * Advanced SIMD scalar forms against QEMU: two-register misc (FCVT*[SU],
 * SCVTF/UCVTF, FCMxx #0, ABS/NEG/CMxx #0, SQABS/SQNEG, SQXTN/UQXTN/SQXTUN),
 * three same (ADD/SUB, compares, SQADD/UQADD/SQSUB/UQSUB, SSHL/USHL/
 * SRSHL/URSHL, FABD, FCMxx/FACxx, FMULX), pairwise (ADDP, FADDP/FMAXP/
 * FMINP/FMAXNMP/FMINNMP), FRECPX, shift by immediate, fixed-point conversions
 * (scalar and vector), DUP element, vector FMULX, FMUL/FMULX by element, FCVTN/FCVTL(2). Each operation runs over
 * a table of corner values (every pair for two operands) with the other
 * lanes of the sources holding other values; the destination (all 128
 * bits) and FPSR after each run are folded into one checksum per operation
 * and FPCR setting (5 of them), which QEMU must reproduce.
 */
#include "lib.h"

static uint64_t garbage[4] __attribute__((aligned(16))) = {
    0x0123456789abcdefull, 0xfedcba9876543210ull, 0x7ff0000000000001ull, 0x7f800001ff800001ull,
};

static const uint64_t dvals[] = {
    0, 0x8000000000000000ull, 0x3ff8000000000000ull, 0xc004000000000000ull, 0x4004000000000000ull,
    0x3fe0000000000000ull, 0xbfe8000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull,
    0x43f0000000000000ull, 0x41dfffffffc00000ull, 0xc1e0000000200000ull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000000001ull, 0x7ff0000000000001ull, 0x0000000000000001ull,
    0x800fffffffffffffull, 0x7fefffffffffffffull, 0x0010000000000000ull, 0x4330000000000001ull,
    0x3ff0000000000001ull, 0x7fffffffffffffffull, 0xffffffffffffffffull, 0x8000000000000001ull,
    0x00000000ffffffffull, 0x000000007fffffffull, 0xffffffff80000000ull, 0x0000000000008000ull,
    0x000000000000003full, 0xffffffffffffffc1ull,
};
#define NDV (int)(sizeof(dvals) / sizeof(dvals[0]))

static const uint32_t svals[] = {
    0, 0x80000000u, 0x3fc00000u, 0xc0200000u, 0x40200000u, 0x3f000000u, 0xbf400000u, 0x5f000000u,
    0x4f000000u, 0xcf000000u, 0x4f800000u, 0x7f800000u, 0xff800000u, 0x7fc00001u, 0x7f800001u, 1,
    0x807fffffu, 0x7f7fffffu, 0x00800000u, 0x7fffffffu, 0xffffffffu, 0x80000001u, 0x12345678u,
    0xfedcba98u, 0x7fu, 0x80u, 0x7fffu, 0x8000u, 0xffff8000u, 0x3f800001u,
};
#define NSV (int)(sizeof(svals) / sizeof(svals[0]))

/* a 64-bit source: a double / D integer, or a single in the low half with
 * another corner value above it */
static uint64_t src(bool single, int i)
{
    if (!single)
        return dvals[i];
    return svals[i] | (uint64_t)svals[(i + 7) % NSV] << 32;
}

static uint64_t hash;
static void mix(uint64_t x)
{
    hash = (hash ^ x) * 0x100000001b3ull;
    hash ^= hash >> 29;
}

typedef void (*OpFn)(uint64_t a, uint64_t b, uint64_t *o);

/* v1 = a in lane 0, v2 = b in lane 0, the upper lanes and v0 garbage */
#define DEF(fn, insn) \
    static void fn(uint64_t a, uint64_t b, uint64_t *o) \
    { \
        __asm__ volatile("ldp q0, q1, [%[g]]\n ldr q2, [%[g], #16]\n ins v1.d[0], %[a]\n ins v2.d[0], %[b]\n" \
                         insn "\n stp q0, q1, [%[o]]" \
                         :: [a] "r"(a), [b] "r"(b), [g] "r"(garbage), [o] "r"(o) : "v0", "v1", "v2", "memory"); \
    }

typedef struct Op {
    const char *name;
    OpFn fn;
    bool single, binary;
} Op;

/* two-register misc */
DEF(fcvtns_d, "fcvtns d0, d1") DEF(fcvtnu_d, "fcvtnu d0, d1") DEF(fcvtms_d, "fcvtms d0, d1")
DEF(fcvtmu_d, "fcvtmu d0, d1") DEF(fcvtas_d, "fcvtas d0, d1") DEF(fcvtau_d, "fcvtau d0, d1")
DEF(fcvtps_d, "fcvtps d0, d1") DEF(fcvtpu_d, "fcvtpu d0, d1") DEF(fcvtzs_d, "fcvtzs d0, d1")
DEF(fcvtzu_d, "fcvtzu d0, d1") DEF(scvtf_d, "scvtf d0, d1") DEF(ucvtf_d, "ucvtf d0, d1")
DEF(fcvtns_s, "fcvtns s0, s1") DEF(fcvtmu_s, "fcvtmu s0, s1") DEF(fcvtas_s, "fcvtas s0, s1")
DEF(fcvtpu_s, "fcvtpu s0, s1") DEF(fcvtzs_s, "fcvtzs s0, s1") DEF(fcvtzu_s, "fcvtzu s0, s1")
DEF(scvtf_s, "scvtf s0, s1") DEF(ucvtf_s, "ucvtf s0, s1")
DEF(fcmeq0_d, "fcmeq d0, d1, #0.0") DEF(fcmge0_d, "fcmge d0, d1, #0.0") DEF(fcmgt0_d, "fcmgt d0, d1, #0.0")
DEF(fcmle0_s, "fcmle s0, s1, #0.0") DEF(fcmlt0_s, "fcmlt s0, s1, #0.0") DEF(fcmeq0_s, "fcmeq s0, s1, #0.0")
DEF(abs_d, "abs d0, d1") DEF(neg_d, "neg d0, d1") DEF(cmeq0_d, "cmeq d0, d1, #0")
DEF(cmge0_d, "cmge d0, d1, #0") DEF(cmgt0_d, "cmgt d0, d1, #0") DEF(cmle0_d, "cmle d0, d1, #0")
DEF(cmlt0_d, "cmlt d0, d1, #0")
DEF(sqabs_b, "sqabs b0, b1") DEF(sqneg_h, "sqneg h0, h1") DEF(sqabs_s, "sqabs s0, s1") DEF(sqneg_d, "sqneg d0, d1")
DEF(sqxtn_s, "sqxtn s0, d1") DEF(uqxtn_h, "uqxtn h0, s1") DEF(sqxtun_b, "sqxtun b0, h1") DEF(sqxtun_s, "sqxtun s0, d1")
/* three same */
DEF(add_d, "add d0, d1, d2") DEF(sub_d, "sub d0, d1, d2") DEF(cmeq_d, "cmeq d0, d1, d2")
DEF(cmge_d, "cmge d0, d1, d2") DEF(cmgt_d, "cmgt d0, d1, d2") DEF(cmhi_d, "cmhi d0, d1, d2")
DEF(cmhs_d, "cmhs d0, d1, d2") DEF(cmtst_d, "cmtst d0, d1, d2")
DEF(sqadd_b, "sqadd b0, b1, b2") DEF(uqadd_h, "uqadd h0, h1, h2") DEF(sqsub_s, "sqsub s0, s1, s2")
DEF(uqsub_d, "uqsub d0, d1, d2") DEF(sqadd_d, "sqadd d0, d1, d2") DEF(uqadd_s, "uqadd s0, s1, s2")
DEF(sshl_d, "sshl d0, d1, d2") DEF(ushl_d, "ushl d0, d1, d2") DEF(srshl_d, "srshl d0, d1, d2")
DEF(urshl_d, "urshl d0, d1, d2")
DEF(fabd_d, "fabd d0, d1, d2") DEF(fabd_s, "fabd s0, s1, s2") DEF(fcmeq_d, "fcmeq d0, d1, d2")
DEF(fcmge_s, "fcmge s0, s1, s2") DEF(fcmgt_d, "fcmgt d0, d1, d2") DEF(facge_d, "facge d0, d1, d2")
DEF(facgt_s, "facgt s0, s1, s2") DEF(fmulx_d, "fmulx d0, d1, d2") DEF(fmulx_s, "fmulx s0, s1, s2")
DEF(fmulx_4s, "fmulx v0.4s, v1.4s, v2.4s") DEF(fmulx_2d, "fmulx v0.2d, v1.2d, v2.2d")
/* pairwise (the pair: v1's lanes 0 and 1) */
DEF(addp_d, "ins v1.d[1], %[b]\n addp d0, v1.2d") DEF(faddp_d, "ins v1.d[1], %[b]\n faddp d0, v1.2d")
DEF(faddp_s, "faddp s0, v1.2s") DEF(fmaxp_d, "ins v1.d[1], %[b]\n fmaxp d0, v1.2d")
DEF(fminp_s, "fminp s0, v1.2s") DEF(fmaxnmp_s, "fmaxnmp s0, v1.2s")
DEF(fminnmp_d, "ins v1.d[1], %[b]\n fminnmp d0, v1.2d")
/* shift by immediate */
DEF(sshr_d, "sshr d0, d1, #1\n sshr d2, d1, #64\n add d0, d0, d2") DEF(ushr_d, "ushr d0, d1, #63")
DEF(ssra_d, "ssra d0, d1, #5") DEF(usra_d, "usra d0, d1, #64") DEF(srshr_d, "srshr d0, d1, #3")
DEF(ursra_d, "ursra d0, d1, #64") DEF(shl_d, "shl d0, d1, #7") DEF(sli_d, "sli d0, d1, #63")
DEF(sri_d, "sri d0, d1, #64\n sri d2, d1, #13\n eor v0.16b, v0.16b, v2.16b")
/* fixed point */
DEF(scvtf_fix_d, "scvtf d0, d1, #3") DEF(ucvtf_fix_d, "ucvtf d0, d1, #64") DEF(scvtf_fix_s, "scvtf s0, s1, #32")
DEF(ucvtf_fix_s, "ucvtf s0, s1, #1") DEF(fcvtzs_fix_d, "fcvtzs d0, d1, #10") DEF(fcvtzu_fix_d, "fcvtzu d0, d1, #64")
DEF(fcvtzs_fix_s, "fcvtzs s0, s1, #1") DEF(fcvtzu_fix_s, "fcvtzu s0, s1, #31")
DEF(scvtf_fix_4s, "scvtf v0.4s, v1.4s, #4") DEF(ucvtf_fix_2d, "ucvtf v0.2d, v1.2d, #33")
DEF(fcvtzs_fix_2s, "fcvtzs v0.2s, v1.2s, #2") DEF(fcvtzu_fix_2d, "fcvtzu v0.2d, v1.2d, #60")
/* DUP element */
DEF(dup_b, "mov b0, v1.b[1]") DEF(dup_h, "dup h0, v1.h[7]") DEF(dup_s, "mov s0, v1.s[1]")
DEF(dup_d, "mov d0, v1.d[1]")
DEF(frecpx_d, "frecpx d0, d1") DEF(frecpx_s, "frecpx s0, s1")
DEF(fmul_e_s, "fmul s0, s1, v2.s[1]") DEF(fmulx_e_d, "fmulx d0, d1, v2.d[0]")
DEF(fmul_e_4s, "fmul v0.4s, v1.4s, v2.s[0]") DEF(fmulx_e_2s, "fmulx v0.2s, v1.2s, v2.s[3]")
DEF(fmul_e_2d, "ins v1.d[1], %[a]\n fmul v0.2d, v1.2d, v2.d[1]") DEF(fmulx_e_2d, "fmulx v0.2d, v1.2d, v2.d[0]")
/* FCVTN/FCVTL (vector) */
DEF(fcvtn_2s, "ins v1.d[1], %[b]\n fcvtn v0.2s, v1.2d") DEF(fcvtn2_4s, "ins v1.d[1], %[b]\n fcvtn2 v0.4s, v1.2d")
DEF(fcvtn_4h, "ins v1.d[1], %[b]\n fcvtn v0.4h, v1.4s") DEF(fcvtn2_8h, "fcvtn2 v0.8h, v1.4s")
DEF(fcvtl_2d, "fcvtl v0.2d, v1.2s") DEF(fcvtl2_2d, "ins v1.d[1], %[b]\n fcvtl2 v0.2d, v1.4s")
DEF(fcvtl_4s, "fcvtl v0.4s, v1.4h") DEF(fcvtl2_4s, "ins v1.d[1], %[b]\n fcvtl2 v0.4s, v1.8h")

static const Op ops[] = {
    { "fcvtns d", fcvtns_d, 0, 0 }, { "fcvtnu d", fcvtnu_d, 0, 0 }, { "fcvtms d", fcvtms_d, 0, 0 },
    { "fcvtmu d", fcvtmu_d, 0, 0 }, { "fcvtas d", fcvtas_d, 0, 0 }, { "fcvtau d", fcvtau_d, 0, 0 },
    { "fcvtps d", fcvtps_d, 0, 0 }, { "fcvtpu d", fcvtpu_d, 0, 0 }, { "fcvtzs d", fcvtzs_d, 0, 0 },
    { "fcvtzu d", fcvtzu_d, 0, 0 }, { "scvtf d", scvtf_d, 0, 0 }, { "ucvtf d", ucvtf_d, 0, 0 },
    { "fcvtns s", fcvtns_s, 1, 0 }, { "fcvtmu s", fcvtmu_s, 1, 0 }, { "fcvtas s", fcvtas_s, 1, 0 },
    { "fcvtpu s", fcvtpu_s, 1, 0 }, { "fcvtzs s", fcvtzs_s, 1, 0 }, { "fcvtzu s", fcvtzu_s, 1, 0 },
    { "scvtf s", scvtf_s, 1, 0 }, { "ucvtf s", ucvtf_s, 1, 0 },
    { "fcmeq0 d", fcmeq0_d, 0, 0 }, { "fcmge0 d", fcmge0_d, 0, 0 }, { "fcmgt0 d", fcmgt0_d, 0, 0 },
    { "fcmle0 s", fcmle0_s, 1, 0 }, { "fcmlt0 s", fcmlt0_s, 1, 0 }, { "fcmeq0 s", fcmeq0_s, 1, 0 },
    { "abs d", abs_d, 0, 0 }, { "neg d", neg_d, 0, 0 }, { "cmeq0 d", cmeq0_d, 0, 0 },
    { "cmge0 d", cmge0_d, 0, 0 }, { "cmgt0 d", cmgt0_d, 0, 0 }, { "cmle0 d", cmle0_d, 0, 0 },
    { "cmlt0 d", cmlt0_d, 0, 0 },
    { "sqabs b", sqabs_b, 1, 0 }, { "sqneg h", sqneg_h, 1, 0 }, { "sqabs s", sqabs_s, 1, 0 },
    { "sqneg d", sqneg_d, 0, 0 }, { "sqxtn s", sqxtn_s, 0, 0 }, { "uqxtn h", uqxtn_h, 1, 0 },
    { "sqxtun b", sqxtun_b, 1, 0 }, { "sqxtun s", sqxtun_s, 0, 0 },
    { "add d", add_d, 0, 1 }, { "sub d", sub_d, 0, 1 }, { "cmeq d", cmeq_d, 0, 1 },
    { "cmge d", cmge_d, 0, 1 }, { "cmgt d", cmgt_d, 0, 1 }, { "cmhi d", cmhi_d, 0, 1 },
    { "cmhs d", cmhs_d, 0, 1 }, { "cmtst d", cmtst_d, 0, 1 },
    { "sqadd b", sqadd_b, 1, 1 }, { "uqadd h", uqadd_h, 1, 1 }, { "sqsub s", sqsub_s, 1, 1 },
    { "uqsub d", uqsub_d, 0, 1 }, { "sqadd d", sqadd_d, 0, 1 }, { "uqadd s", uqadd_s, 1, 1 },
    { "sshl d", sshl_d, 0, 1 }, { "ushl d", ushl_d, 0, 1 }, { "srshl d", srshl_d, 0, 1 },
    { "urshl d", urshl_d, 0, 1 },
    { "fabd d", fabd_d, 0, 1 }, { "fabd s", fabd_s, 1, 1 }, { "fcmeq d", fcmeq_d, 0, 1 },
    { "fcmge s", fcmge_s, 1, 1 }, { "fcmgt d", fcmgt_d, 0, 1 }, { "facge d", facge_d, 0, 1 },
    { "facgt s", facgt_s, 1, 1 }, { "fmulx d", fmulx_d, 0, 1 }, { "fmulx s", fmulx_s, 1, 1 },
    { "fmulx 4s", fmulx_4s, 1, 1 }, { "fmulx 2d", fmulx_2d, 0, 1 },
    { "addp d", addp_d, 0, 1 }, { "faddp d", faddp_d, 0, 1 }, { "faddp s", faddp_s, 1, 0 },
    { "fmaxp d", fmaxp_d, 0, 1 }, { "fminp s", fminp_s, 1, 0 }, { "fmaxnmp s", fmaxnmp_s, 1, 0 },
    { "fminnmp d", fminnmp_d, 0, 1 },
    { "sshr d", sshr_d, 0, 0 }, { "ushr d", ushr_d, 0, 0 }, { "ssra d", ssra_d, 0, 0 },
    { "usra d", usra_d, 0, 0 }, { "srshr d", srshr_d, 0, 0 }, { "ursra d", ursra_d, 0, 0 },
    { "shl d", shl_d, 0, 0 }, { "sli d", sli_d, 0, 0 }, { "sri d", sri_d, 0, 0 },
    { "scvtf fix d", scvtf_fix_d, 0, 0 }, { "ucvtf fix d", ucvtf_fix_d, 0, 0 },
    { "scvtf fix s", scvtf_fix_s, 1, 0 }, { "ucvtf fix s", ucvtf_fix_s, 1, 0 },
    { "fcvtzs fix d", fcvtzs_fix_d, 0, 0 }, { "fcvtzu fix d", fcvtzu_fix_d, 0, 0 },
    { "fcvtzs fix s", fcvtzs_fix_s, 1, 0 }, { "fcvtzu fix s", fcvtzu_fix_s, 1, 0 },
    { "scvtf fix 4s", scvtf_fix_4s, 1, 0 }, { "ucvtf fix 2d", ucvtf_fix_2d, 0, 0 },
    { "fcvtzs fix 2s", fcvtzs_fix_2s, 1, 0 }, { "fcvtzu fix 2d", fcvtzu_fix_2d, 0, 0 },
    { "dup b", dup_b, 1, 0 }, { "dup h", dup_h, 1, 0 }, { "dup s", dup_s, 1, 0 }, { "dup d", dup_d, 0, 1 },
    { "frecpx d", frecpx_d, 0, 0 }, { "frecpx s", frecpx_s, 1, 0 },
    { "fmul e s", fmul_e_s, 1, 1 }, { "fmulx e d", fmulx_e_d, 0, 1 }, { "fmul e 4s", fmul_e_4s, 1, 1 },
    { "fmulx e 2s", fmulx_e_2s, 1, 1 }, { "fmul e 2d", fmul_e_2d, 0, 0 }, { "fmulx e 2d", fmulx_e_2d, 0, 1 },
    { "fcvtn 2s", fcvtn_2s, 0, 1 }, { "fcvtn2 4s", fcvtn2_4s, 0, 1 }, { "fcvtn 4h", fcvtn_4h, 1, 1 },
    { "fcvtn2 8h", fcvtn2_8h, 1, 0 }, { "fcvtl 2d", fcvtl_2d, 1, 0 }, { "fcvtl2 2d", fcvtl2_2d, 1, 1 },
    { "fcvtl 4s", fcvtl_4s, 1, 0 }, { "fcvtl2 4s", fcvtl2_4s, 1, 1 },
};

static void run_op(const Op *op, uint64_t fpcr)
{
    int n = op->single ? NSV : NDV;
    uint64_t o[4];
    uint64_t fpsr_all = 0;
    hash = 0xcbf29ce484222325ull;
    WRITE_SYSREG(fpcr, fpcr);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < (op->binary ? n : 1); j++) {
            WRITE_SYSREG(fpsr, 0);
            op->fn(src(op->single, i), src(op->single, op->binary ? j : (i + 3) % n), o);
            uint64_t fpsr = READ_SYSREG(fpsr);
            fpsr_all |= fpsr;
            mix(o[0]);
            mix(o[1]);
            mix(o[2]);
            mix(o[3]);
            mix(fpsr);
        }
    }
    WRITE_SYSREG(fpcr, 0);
    printf_("%s fpcr %lx: %016lx fpsr %lx\n", op->name, fpcr, hash, fpsr_all);
}

static void __attribute__((noinline)) run(void)
{
    /* FPCR: default, FZ + DN + round up, round down, round to zero,
     * AHP + FZ */
    static const uint64_t modes[] = { 0, (1 << 24) | (1 << 25) | (1 << 22), 2 << 22, 3 << 22, (1 << 26) | (1 << 24) };
    for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
        for (unsigned k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
            run_op(&ops[k], modes[m]);
    check("simdscalar ran", 1, 1);
}

int main(void)
{
    puts_("-- guest start --\n");
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    __asm__ volatile("isb");
    run();
    return 0;
}
