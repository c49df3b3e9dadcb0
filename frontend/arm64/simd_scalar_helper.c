/*
 * A64 Advanced SIMD scalar forms (two-register misc, three same,
 * pairwise, shift by immediate) and the few operations the vector helpers
 * lack (FMULX, fixed-point conversions). A scalar operation is its vector
 * operation on element 0 with the rest of Vd cleared: the vector helpers
 * in neon_helper.c and fp_helper.c compute it on a 64-bit vector whose
 * other lanes read as zero (no operation here raises a flag or QC on a
 * zero lane), and the sources are restored afterwards.
 * info: kind | in_size << 4 | out_size << 6 | op << 8 (SS_* below).
 */
#include <string.h>
#include "frontend/arm64/helpers.h"
#include "fpu/softfloat.h"

enum {
    SS_V2MISC, SS_V3SAME, SS_VFP2, SS_VFP3, SS_VSHIFT,   /* element 0 of the vector helper */
    SS_FPAIR,       /* FADDP/FMAXP/...: the pair in Vn */
    SS_INT3D,       /* ADD/SUB/CMxx on D: op = opcode | u << 5 */
    SS_ADDP,        /* ADDP D */
    SS_FMULX,       /* scalar (q = 0, one element) or vector */
    SS_FIXCVT,      /* SCVTF/UCVTF/FCVTZS/FCVTZU fixed point: op = fbits, imm: to_fp */
    SS_FCVTN,       /* FCVTN(2): D to S (size 1) or S to H (size 0) into a half of Vd;
                     * op 1: FCVTXN(2) (round to odd), op 3: FCVTXN (scalar) */
    SS_FCVTL,       /* FCVTL(2): S to D (size 1) or H to S (size 0) from a half of Vn */
    SS_FRECPX,      /* FRECPX (scalar) */
    SS_FMULE,       /* FMUL/FMULX/FMLA/FMLS (by element): op = index, u: FMULX, desc opcode 1
                     * FMLA, 2 FMLS, desc bit 31: vector */
};

#define FPSR_IOC 1u
#define FPSR_IDC (1u << 7)
#define FPCR_DN (1u << 25)
#define FPCR_FZ (1u << 24)

static uint64_t mask_of(int size) { return size == 3 ? ~0ull : (1ull << (8 << size)) - 1; }

/* run a vector helper on element 0 only (see the header comment). Vn and
 * Vm are masked in place, so an accumulating operation whose Vd may be
 * Vn or Vm must read its accumulator at the sources' width: the widening
 * ones (SQDMLAL/SQDMLSL) use the three-different helper's own scalar form */
static void on_element0(CPUARMState *env, uint32_t desc, int in_size, int out_size,
                        void (*fn)(CPUARMState *, uint32_t))
{
    int rd = desc & 31, rn = desc >> 5 & 31, rm = desc >> 10 & 31;
    uint64_t sn[2], sm[2];
    memcpy(sn, env->vregs[rn], 16);
    memcpy(sm, env->vregs[rm], 16);
    env->vregs[rn][0] &= mask_of(in_size);
    env->vregs[rn][1] = 0;
    env->vregs[rm][0] &= mask_of(in_size);
    env->vregs[rm][1] = 0;
    fn(env, desc & ~(1u << 17));
    uint64_t r = env->vregs[rd][0] & mask_of(out_size);
    memcpy(env->vregs[rm], sm, 16);
    memcpy(env->vregs[rn], sn, 16);
    env->vregs[rd][0] = r;
    env->vregs[rd][1] = 0;
}

static bool fp_is_nan(uint64_t a, bool dbl)
{
    return dbl ? (a & 0x7fffffffffffffffull) > 0x7ff0000000000000ull : (a & 0x7fffffffu) > 0x7f800000u;
}

/* FMULX: FMUL, except that infinity times zero is 2.0 with the sign of the
 * product (FZ flushing a denormal input to zero first) */
static uint64_t fmulx(CPUARMState *env, uint64_t x, uint64_t y, bool dbl)
{
    if (!fp_is_nan(x, dbl) && !fp_is_nan(y, dbl)) {
        uint64_t sign = dbl ? 1ull << 63 : 1ull << 31, inf = dbl ? 0x7ff0000000000000ull : 0x7f800000u;
        uint64_t ax = x & ~sign, ay = y & ~sign;
        bool fz = env->fpcr & FPCR_FZ, flushed = false;
        if (fz && ax && ax < (dbl ? 1ull << 52 : 1u << 23)) {
            ax = 0;
            flushed = true;
        }
        if (fz && ay && ay < (dbl ? 1ull << 52 : 1u << 23)) {
            ay = 0;
            flushed = true;
        }
        if ((ax == inf && ay == 0) || (ax == 0 && ay == inf)) {
            if (flushed)
                env->fpsr |= FPSR_IDC;
            return ((x ^ y) & sign) | (dbl ? 0x4000000000000000ull : 0x40000000u);
        }
    }
    return helper_a64_fp2(env, x, y, (uint32_t)dbl << 4 | 0);
}

/* FRECPX: the exponent inverted, fraction cleared (a zero or denormal
 * exponent gives the largest finite exponent); NaNs as every operation */
static uint64_t frecpx(CPUARMState *env, uint64_t x, bool dbl)
{
    int fb = dbl ? 52 : 23;
    uint64_t sign = 1ull << (dbl ? 63 : 31), expm = (dbl ? 0x7ffull : 0xffull) << fb, frac = (1ull << fb) - 1;
    if (fp_is_nan(x, dbl)) {
        if (!(x >> (fb - 1) & 1)) {
            env->fpsr |= FPSR_IOC;
            x |= 1ull << (fb - 1);
        }
        if (env->fpcr & FPCR_DN)
            return dbl ? 0x7ff8000000000000ull : 0x7fc00000u;
        return x;
    }
    uint64_t e = x & expm;
    if (!e) {
        if ((x & frac) && (env->fpcr & FPCR_FZ))
            env->fpsr |= FPSR_IDC;
        return (x & sign) | (expm - (1ull << fb));
    }
    return (x & sign) | (~e & expm);
}

void helper_a64_simd_scalar(CPUARMState *env, uint32_t desc, uint32_t info)
{
    int kind = info & 15, in_size = info >> 4 & 3, out_size = info >> 6 & 3, op = (int)(info >> 8 & 0xff);
    int rd = desc & 31, rn = desc >> 5 & 31, rm = desc >> 10 & 31;
    bool q = desc >> 17 & 1, u = desc >> 18 & 1;
    const uint64_t *n = env->vregs[rn], *m = env->vregs[rm];
    uint64_t r[2] = { 0, 0 };
    switch (kind) {
    case SS_V2MISC: on_element0(env, desc, in_size, out_size, helper_a64_v2misc); return;
    case SS_V3SAME: on_element0(env, desc, in_size, out_size, helper_a64_v3same); return;
    case SS_VFP2: on_element0(env, desc, in_size, out_size, helper_a64_vfp2); return;
    case SS_VFP3: on_element0(env, desc, in_size, out_size, helper_a64_vfp3); return;
    case SS_VSHIFT: on_element0(env, desc, in_size, out_size, helper_a64_vshift); return;
    case SS_FPAIR: {
        /* the vector pairwise form with Vm = Vn: element 0 is op(Vn[0], Vn[1]) */
        uint32_t d = (desc & ~(31u << 10 | 1u << 17)) | (uint32_t)rn << 10 | (uint32_t)(in_size == 3) << 17;
        helper_a64_vfp3(env, d);
        r[0] = env->vregs[rd][0] & mask_of(in_size);
        break;
    }
    case SS_INT3D: {
        uint64_t a = n[0], b = m[0];
        switch (op) {
        case 0x06: r[0] = (int64_t)a > (int64_t)b ? ~0ull : 0; break;        /* CMGT */
        case 0x06 | 32: r[0] = a > b ? ~0ull : 0; break;                      /* CMHI */
        case 0x07: r[0] = (int64_t)a >= (int64_t)b ? ~0ull : 0; break;       /* CMGE */
        case 0x07 | 32: r[0] = a >= b ? ~0ull : 0; break;                     /* CMHS */
        case 0x10: r[0] = a + b; break;                                       /* ADD */
        case 0x10 | 32: r[0] = a - b; break;                                  /* SUB */
        case 0x11: r[0] = (a & b) ? ~0ull : 0; break;                         /* CMTST */
        default: r[0] = a == b ? ~0ull : 0; break;                            /* CMEQ */
        }
        break;
    }
    case SS_ADDP:
        r[0] = n[0] + n[1];
        break;
    case SS_FMULX: {
        bool dbl = in_size == 3;
        int elements = (q ? 4 : 2) >> dbl;
        if (!(desc >> 31 & 1))
            elements = 1;                   /* scalar */
        for (int i = 0; i < elements; i++) {
            if (dbl) {
                r[i] = fmulx(env, n[i], m[i], true);
            } else {
                uint64_t x = (uint32_t)(n[i / 2] >> (32 * (i & 1))), y = (uint32_t)(m[i / 2] >> (32 * (i & 1)));
                r[i / 2] |= (fmulx(env, x, y, false) & 0xffffffffu) << (32 * (i & 1));
            }
        }
        break;
    }
    case SS_FIXCVT: {
        /* op = fbits; u: unsigned; desc bit 31: vector; imm bit 25: to FP */
        bool dbl = in_size == 3, to_fp = desc >> 25 & 1;
        int elements = desc >> 31 & 1 ? (q ? 4 : 2) >> dbl : 1;
        uint32_t cd = (uint32_t)dbl << 3 | (uint32_t)u << 4 | (uint32_t)dbl << 5 | (uint32_t)op << 8;
        for (int i = 0; i < elements; i++) {
            uint64_t x = dbl ? n[i] : (uint32_t)(n[i / 2] >> (32 * (i & 1)));
            uint64_t y = to_fp ? helper_a64_int_to_fp(env, x, cd)
                               : helper_a64_fp_to_int(env, x, cd | FLOAT_ROUND_TO_ZERO);
            if (dbl)
                r[i] = y;
            else
                r[i / 2] |= (y & 0xffffffffu) << (32 * (i & 1));
        }
        break;
    }
    case SS_FMULE: {
        bool dbl = in_size == 3;
        int elements = desc >> 31 & 1 ? (q ? 4 : 2) >> dbl : 1;
        uint64_t y = dbl ? m[op] : (uint32_t)(m[op / 2] >> (32 * (op & 1)));
        uint64_t nn[2] = { n[0], n[1] }, dd[2] = { env->vregs[rd][0], env->vregs[rd][1] };
        int fop = (int)(desc >> 19 & 3);
        for (int i = 0; i < elements; i++) {
            uint64_t x = dbl ? nn[i] : (uint32_t)(nn[i / 2] >> (32 * (i & 1)));
            uint64_t acc = dbl ? dd[i] : (uint32_t)(dd[i / 2] >> (32 * (i & 1)));
            uint64_t p;
            if (fop)                        /* FMLA, FMLS (Vn's element negated, NaN included) */
                p = helper_a64_fp3(env, fop == 2 ? x ^ (dbl ? 1ull << 63 : 1ull << 31) : x, y, acc,
                                   (uint32_t)dbl << 4);
            else
                p = u ? fmulx(env, x, y, dbl) : helper_a64_fp2(env, x, y, (uint32_t)dbl << 4 | 0);
            if (dbl)
                r[i] = p;
            else
                r[i / 2] |= (p & 0xffffffffu) << (32 * (i & 1));
        }
        break;
    }
    case SS_FRECPX:
        r[0] = frecpx(env, in_size == 3 ? n[0] : (uint32_t)n[0], in_size == 3);
        break;
    case SS_FCVTN: case SS_FCVTL: {
        /* through the scalar FCVT (FPCR's rounding, FZ, DN, AHP): S = 0, D = 1, H = 3 */
        bool wide = desc >> 15 & 1;
        int nb = wide ? 64 : 32, ob = nb / 2, elements = 64 / ob;
        uint32_t prec = wide ? (kind == SS_FCVTN ? 1 | 0 << 2 : 0 | 1 << 2) : (kind == SS_FCVTN ? 0 | 3 << 2 : 3 | 0 << 2);
        uint64_t nn[2] = { n[0], n[1] };
        if (kind == SS_FCVTN) {
            uint64_t half = 0;
            if (op & 2)
                elements = 1;               /* FCVTXN (scalar) */
            for (int i = 0; i < elements; i++) {
                uint64_t x = wide ? nn[i] : (uint32_t)(nn[i / 2] >> (32 * (i & 1)));
                /* op bit 0: FCVTXN (round to odd), bit 1: its scalar form */
                uint64_t y = helper_a64_fcvt_prec(env, x, prec | (uint32_t)(op & 1) << 4);
                half |= (y & ((1ull << ob) - 1)) << (ob * i);
            }
            r[0] = q ? env->vregs[rd][0] : half;
            r[1] = q ? half : 0;
        } else {
            uint64_t half = nn[q];
            for (int i = 0; i < elements; i++) {
                uint64_t x = half >> (ob * i) & ((1ull << ob) - 1);
                uint64_t y = helper_a64_fcvt_prec(env, x, prec);
                if (wide)
                    r[i] = y;
                else
                    r[i / 2] |= (y & 0xffffffffu) << (32 * (i & 1));
            }
        }
        break;
    }
    default:
        break;
    }
    env->vregs[rd][0] = r[0];
    env->vregs[rd][1] = r[1];
}
