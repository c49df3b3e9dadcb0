/*
 * A64 scalar floating point: the helpers behind FADD..FNMUL, FMAX/FMIN
 * (NM), FSQRT, FRINT*, FCVT between precisions, FCMP/FCMPE/FCCMP and the
 * FP <-> integer and fixed-point conversions. Arithmetic is fpu/'s, set up
 * from FPCR the Arm way (RMode, FZ flushing inputs and results with IDC and
 * UFC, DN, first-SNaN-then-first-QNaN propagation, tininess before
 * rounding); the flags accumulate into FPSR.
 * Values travel as uint64_t: a single is the low 32 bits.
 */
#include "frontend/arm64/helpers.h"
#include "fpu/softfloat.h"

/* FPSR cumulative bits */
enum { FPSR_IOC = 1, FPSR_DZC = 2, FPSR_OFC = 4, FPSR_UFC = 8, FPSR_IXC = 16, FPSR_IDC = 128 };
#define FPCR_DN (1u << 25)
#define FPCR_FZ (1u << 24)

/* FPCR.RMode (RN, RP, RM, RZ) to fpu's numbering */
static const uint8_t arm_rmode[4] = { FLOAT_ROUND_NEAREST_EVEN, FLOAT_ROUND_UP, FLOAT_ROUND_DOWN,
                                      FLOAT_ROUND_TO_ZERO };

static FloatStatus fp_status(const CPUARMState *env)
{
    bool fz = env->fpcr & FPCR_FZ;
    FloatStatus s = {
        .rounding_mode = arm_rmode[(env->fpcr >> 22) & 3],
        .nan_rule = FLOAT_NAN_ARM,
        .tininess_before_rounding = true,
        .default_nan_mode = (env->fpcr & FPCR_DN) != 0,
        .flush_to_zero = fz,
        .denormals_are_zero = fz,
        .flush_inputs_flag = true,
        .ftz_underflow_only = true,
    };
    return s;
}

static void fp_flags(CPUARMState *env, const FloatStatus *s)
{
    uint32_t f = 0;
    if (s->flags & FLOAT_FLAG_INVALID) f |= FPSR_IOC;
    /* fpu reports every denormal operand (the x87's DE); Arm's IDC is
     * only for an input FZ flushed */
    if ((s->flags & FLOAT_FLAG_DENORMAL) && s->denormals_are_zero) f |= FPSR_IDC;
    if (s->flags & FLOAT_FLAG_DIVBYZERO) f |= FPSR_DZC;
    if (s->flags & FLOAT_FLAG_OVERFLOW) f |= FPSR_OFC;
    if (s->flags & FLOAT_FLAG_UNDERFLOW) f |= FPSR_UFC;
    if (s->flags & FLOAT_FLAG_INEXACT) f |= FPSR_IXC;
    env->fpsr |= f;
}

/* ---- both precisions through one description ---- */
typedef struct FpFmt {
    int bits, mant;            /* total bits, fraction bits */
} FpFmt;
static const FpFmt fmt_s = { 32, 23 }, fmt_d = { 64, 52 };

static uint64_t sign_bit(const FpFmt *f) { return 1ull << (f->bits - 1); }
static uint64_t exp_mask(const FpFmt *f) { return (sign_bit(f) - 1) & ~((1ull << f->mant) - 1); }
static bool is_nan(const FpFmt *f, uint64_t a)
{
    return (a & exp_mask(f)) == exp_mask(f) && (a & ((1ull << f->mant) - 1));
}
static bool is_snan(const FpFmt *f, uint64_t a) { return is_nan(f, a) && !(a >> (f->mant - 1) & 1); }
static bool is_denormal(const FpFmt *f, uint64_t a)
{
    return !(a & exp_mask(f)) && (a & ((1ull << f->mant) - 1));
}

/* FZ: a denormal input reads as a zero of its sign, raising IDC */
static uint64_t flush_in(const FpFmt *f, uint64_t a, FloatStatus *s)
{
    if (s->denormals_are_zero && is_denormal(f, a)) {
        s->flags |= FLOAT_FLAG_DENORMAL;
        return a & sign_bit(f);
    }
    return a;
}

static uint64_t f_add(const FpFmt *f, uint64_t a, uint64_t b, FloatStatus *s)
{
    return f->bits == 32 ? float32_add((float32)a, (float32)b, s) : float64_add(a, b, s);
}

static int f_cmp(const FpFmt *f, uint64_t a, uint64_t b, bool quiet, FloatStatus *s)
{
    return f->bits == 32 ? float32_compare((float32)a, (float32)b, quiet, s)
                         : float64_compare(a, b, quiet, s);
}

/* FMAX, FMIN, FMAXNM, FMINNM (Arm ARM FPMax/FPMin/FPMaxNum/FPMinNum) */
static uint64_t fp_minmax(const FpFmt *f, uint64_t a, uint64_t b, bool max, bool num, FloatStatus *s)
{
    if (num) {
        /* one quiet NaN and a number: the number */
        bool qa = is_nan(f, a) && !is_snan(f, a), qb = is_nan(f, b) && !is_snan(f, b);
        if (qa && !is_nan(f, b))
            a = max ? (sign_bit(f) | exp_mask(f)) : exp_mask(f);        /* -inf / +inf */
        else if (qb && !is_nan(f, a))
            b = max ? (sign_bit(f) | exp_mask(f)) : exp_mask(f);
    }
    if (is_nan(f, a) || is_nan(f, b))
        return f_add(f, a, b, s);           /* NaN propagation, IOC for a signaling NaN */
    a = flush_in(f, a, s);
    b = flush_in(f, b, s);
    int c = f_cmp(f, a, b, true, s);
    if (c == FLOAT_EQUAL) {
        /* equal values; only the zeros' signs can differ */
        return max ? (a & b) : (a | b);
    }
    return (c == FLOAT_GREATER) == max ? a : b;
}

/* 2-source: op 0 FMUL, 1 FDIV, 2 FADD, 3 FSUB, 4 FMAX, 5 FMIN, 6 FMAXNM,
 * 7 FMINNM, 8 FNMUL; desc = op | double << 4 */
uint64_t helper_a64_fp2(CPUARMState *env, uint64_t a, uint64_t b, uint32_t desc)
{
    FloatStatus s = fp_status(env);
    bool dbl = desc >> 4 & 1;
    const FpFmt *f = dbl ? &fmt_d : &fmt_s;
    uint64_t r;
    switch (desc & 15) {
    case 0: case 8:
        r = dbl ? float64_mul(a, b, &s) : float32_mul((float32)a, (float32)b, &s);
        if ((desc & 15) == 8)
            r ^= sign_bit(f);               /* FPNeg: NaNs included */
        break;
    case 1: r = dbl ? float64_div(a, b, &s) : float32_div((float32)a, (float32)b, &s); break;
    case 2: r = dbl ? float64_add(a, b, &s) : float32_add((float32)a, (float32)b, &s); break;
    case 3: r = dbl ? float64_sub(a, b, &s) : float32_sub((float32)a, (float32)b, &s); break;
    default: {
        int op = desc & 15;
        r = fp_minmax(f, a, b, op == 4 || op == 6, op >= 6, &s);
        break;
    }
    }
    fp_flags(env, &s);
    return r;
}

/* FMADD family: a * b + c rounded once; desc = FLOAT_MULADD_* | double << 4 */
uint64_t helper_a64_fp3(CPUARMState *env, uint64_t a, uint64_t b, uint64_t c, uint32_t desc)
{
    FloatStatus s = fp_status(env);
    int neg = desc & 15;
    uint64_t r = desc >> 4 & 1 ? float64_muladd(a, b, c, neg, &s)
                               : float32_muladd((float32)a, (float32)b, (float32)c, neg, &s);
    fp_flags(env, &s);
    return r;
}

/* Round to an integral value in FP with fpu mode rm (or ties away when
 * away); inexact only when exact_flag (FRINTX). */
static uint64_t fp_round_int(const FpFmt *f, uint64_t a, int rm, bool away, bool exact_flag,
                             FloatStatus *s)
{
    FloatStatus t = *s;
    t.flags = 0;
    t.rounding_mode = (uint8_t)(away ? FLOAT_ROUND_TO_ZERO : rm);
    uint64_t r = f->bits == 32 ? float32_round_to_int((float32)a, &t) : float64_round_to_int(a, &t);
    if (away && !is_nan(f, r) && (t.flags & FLOAT_FLAG_INEXACT)) {
        /* |a - trunc(a)| is exact; at one half or more, one more away */
        FloatStatus x = *s;
        x.flush_to_zero = x.denormals_are_zero = false;
        uint64_t diff = f->bits == 32 ? float32_sub((float32)a, (float32)r, &x) : float64_sub(a, r, &x);
        uint64_t half = f->bits == 32 ? 0x3f000000u : 0x3fe0000000000000ull;
        if (f_cmp(f, diff & ~sign_bit(f), half, true, &x) != FLOAT_LESS) {
            uint64_t one = (f->bits == 32 ? 0x3f800000u : 0x3ff0000000000000ull) | (a & sign_bit(f));
            r = f_add(f, r, one, &x);
        }
        if ((r & ~sign_bit(f)) == 0)
            r = a & sign_bit(f);            /* a zero result keeps the sign of a */
    }
    s->flags |= t.flags & (FLOAT_FLAG_INVALID | FLOAT_FLAG_DENORMAL);
    if (exact_flag)
        s->flags |= t.flags & FLOAT_FLAG_INEXACT;
    return r;
}

/* 1-source: op as the encoding's opcode: 3 FSQRT, 4 FCVT to S, 5 FCVT to
 * D, 8..15 FRINTN/P/M/Z/A/-/X/I; desc = op | double << 8 */
uint64_t helper_a64_fp1(CPUARMState *env, uint64_t a, uint32_t desc)
{
    FloatStatus s = fp_status(env);
    bool dbl = desc >> 8 & 1;
    const FpFmt *f = dbl ? &fmt_d : &fmt_s;
    int op = desc & 0x3f;
    uint64_t r;
    switch (op) {
    case 3: r = dbl ? float64_sqrt(a, &s) : float32_sqrt((float32)a, &s); break;
    case 4: r = dbl ? float64_to_float32(a, &s) : (uint32_t)a; break;
    case 5: r = dbl ? a : float32_to_float64((float32)a, &s); break;
    case 8: r = fp_round_int(f, a, FLOAT_ROUND_NEAREST_EVEN, false, false, &s); break;
    case 9: r = fp_round_int(f, a, FLOAT_ROUND_UP, false, false, &s); break;
    case 10: r = fp_round_int(f, a, FLOAT_ROUND_DOWN, false, false, &s); break;
    case 11: r = fp_round_int(f, a, FLOAT_ROUND_TO_ZERO, false, false, &s); break;
    case 12: r = fp_round_int(f, a, 0, true, false, &s); break;
    case 14: r = fp_round_int(f, a, s.rounding_mode, false, true, &s); break;
    default: r = fp_round_int(f, a, s.rounding_mode, false, false, &s); break;
    }
    fp_flags(env, &s);
    return r;
}

/* FCMP/FCMPE: NZCV in bits 31:28; desc = signaling | double << 1 */
uint64_t helper_a64_fcmp(CPUARMState *env, uint64_t a, uint64_t b, uint32_t desc)
{
    FloatStatus s = fp_status(env);
    const FpFmt *f = desc & 2 ? &fmt_d : &fmt_s;
    int c = f_cmp(f, a, b, !(desc & 1), &s);
    fp_flags(env, &s);
    switch (c) {
    case FLOAT_EQUAL: return 0x6;
    case FLOAT_LESS: return 0x8;
    case FLOAT_GREATER: return 0x2;
    default: return 0x3;
    }
}

/* FP to integer: desc = rmode (fpu numbering, 4 = ties away) | double << 3
 * | unsigned << 4 | 64-bit result << 5 | fbits << 8. Arm saturates on
 * overflow and gives 0 for a NaN, raising only IOC then (FPToFixed). */
uint64_t helper_a64_fp_to_int(CPUARMState *env, uint64_t a, uint32_t desc)
{
    FloatStatus s = fp_status(env);
    const FpFmt *f = desc >> 3 & 1 ? &fmt_d : &fmt_s;
    bool uns = desc >> 4 & 1, is64 = desc >> 5 & 1;
    int fbits = (int)(desc >> 8 & 0x7f), rm = desc & 7;
    uint64_t res;
    if (is_nan(f, a)) {
        s.flags |= FLOAT_FLAG_INVALID;
        fp_flags(env, &s);
        return 0;
    }
    a = flush_in(f, a, &s);
    /* exactly, as a double: a * 2^fbits (a power of two: exact short of
     * overflow, which saturates below anyway) */
    FloatStatus x = { .rounding_mode = FLOAT_ROUND_NEAREST_EVEN, .nan_rule = FLOAT_NAN_ARM };
    float64 d = f->bits == 32 ? float32_to_float64((float32)a, &x) : a;
    if (fbits)
        d = float64_mul(d, (uint64_t)(1023 + fbits) << 52, &x);
    uint64_t r = fp_round_int(&fmt_d, d, rm == 4 ? 0 : rm, rm == 4, false, &x);
    /* range of the result, as doubles: [lo, hi) */
    bool neg = r >> 63;
    double hi = is64 ? (uns ? 18446744073709551616.0 : 9223372036854775808.0)
                     : (uns ? 4294967296.0 : 2147483648.0);
    double lo = uns ? 0.0 : -hi;
    double rv;
    __builtin_memcpy(&rv, &r, 8);
    if (rv >= hi || rv < lo) {
        s.flags |= FLOAT_FLAG_INVALID;
        if (neg)
            res = uns ? 0 : is64 ? 1ull << 63 : 0x80000000u;
        else
            res = uns ? (is64 ? ~0ull : 0xffffffffu) : (is64 ? (1ull << 63) - 1 : 0x7fffffffu);
    } else {
        if (rv >= 9223372036854775808.0)
            res = (uint64_t)float64_to_int64_round_to_zero(float64_sub(r, 0x43e0000000000000ull, &x), &x) +
                  (1ull << 63);
        else
            res = (uint64_t)float64_to_int64_round_to_zero(r, &x);
        if (!is64)
            res = (uint32_t)res;
        if (r != d)
            s.flags |= FLOAT_FLAG_INEXACT;
    }
    fp_flags(env, &s);
    return res;
}

/* Integer to FP: desc = double << 3 | unsigned << 4 | 64-bit source << 5 |
 * fbits << 8; the value divided by 2^fbits with one rounding */
uint64_t helper_a64_int_to_fp(CPUARMState *env, uint64_t v, uint32_t desc)
{
    FloatStatus s = fp_status(env);
    bool dbl = desc >> 3 & 1, uns = desc >> 4 & 1, is64 = desc >> 5 & 1;
    int fbits = (int)(desc >> 8 & 0x7f);
    if (!is64)
        v = uns ? (uint32_t)v : (uint64_t)(int64_t)(int32_t)v;
    /* an unsigned value of 2^63 or more: halve it keeping a sticky bit
     * (the rounding sees the same bits), convert, double exactly */
    bool halve = uns && (v >> 63);
    int64_t iv = halve ? (int64_t)((v >> 1) | (v & 1)) : (int64_t)v;
    int scale = (halve ? 1 : 0) - fbits;
    uint64_t r;
    FloatStatus x = s;
    x.flush_to_zero = false;
    if (scale == 0) {
        r = dbl ? int64_to_float64(iv, &s) : int64_to_float32(iv, &s);
    } else {
        /* exact in 64 bits of significand? then a single rounding of the
         * scaled value: convert to double-extended first */
        floatx80 e = int64_to_floatx80(iv, &x);       /* exact */
        e.sign_exp = (uint16_t)(e.sign_exp + scale);  /* nonzero: |v| >= 1, no exponent underflow */
        if ((e.mant) == 0)
            e.sign_exp = 0;
        r = dbl ? floatx80_to_float64(e, &s) : floatx80_to_float32(e, &s);
    }
    fp_flags(env, &s);
    return r;
}

/* ---- half precision (FCVT to and from H; AHP picks the alternative
 * format, which has no infinities or NaNs) ---- */
#define FPCR_AHP (1u << 26)

/* double to half with the FPCR rounding mode (FPRound for N = 16: no
 * flushing, FZ16 does not exist in v8.0) */
static uint16_t float64_to_half(float64 a, bool ahp, FloatStatus *s)
{
    uint16_t sign = (uint16_t)(a >> 48 & 0x8000);
    int exp = (int)(a >> 52 & 0x7ff);
    uint64_t frac = a & ((1ull << 52) - 1);
    if (exp == 0x7ff) {
        if (ahp) {
            s->flags |= FLOAT_FLAG_INVALID;
            return frac ? sign : sign | 0x7fff;     /* NaN: a zero of its sign */
        }
        if (!frac)
            return sign | 0x7c00;
        if (!(frac >> 51 & 1))
            s->flags |= FLOAT_FLAG_INVALID;
        if (s->default_nan_mode)
            return 0x7e00;
        return sign | 0x7e00 | (uint16_t)(frac >> 42 & 0x1ff);
    }
    if (exp == 0 && frac == 0)
        return sign;
    /* value = sig * 2^(e - 52), sig with its leading one at bit 52 */
    int e = exp ? exp - 1023 : -1022;
    uint64_t sig = exp ? frac | 1ull << 52 : frac;
    while (!(sig >> 52)) {
        sig <<= 1;
        e--;
    }
    int q = (e < -14 ? -14 : e) - 10;        /* the result's unit in the last place */
    int shift = q - (e - 52);                /* >= 42 */
    uint64_t r, rest;
    bool half_bit, sticky;
    if (shift >= 64) {
        r = 0;
        half_bit = shift == 64 ? sig >> 63 : 0;
        sticky = true;
    } else {
        r = sig >> shift;
        rest = sig & ((1ull << shift) - 1);
        half_bit = rest >> (shift - 1) & 1;
        sticky = (rest & ((1ull << (shift - 1)) - 1)) != 0;
    }
    bool inexact = half_bit || sticky;
    bool up;
    switch (s->rounding_mode) {
    case FLOAT_ROUND_NEAREST_EVEN: up = half_bit && (sticky || (r & 1)); break;
    case FLOAT_ROUND_UP: up = !sign && inexact; break;
    case FLOAT_ROUND_DOWN: up = sign && inexact; break;
    default: up = false; break;
    }
    r += up;
    if (inexact) {
        s->flags |= FLOAT_FLAG_INEXACT;
        if (e < -14)
            s->flags |= FLOAT_FLAG_UNDERFLOW;     /* tininess before rounding */
    }
    /* a denormal r is the encoding itself; a normal one carries into the
     * exponent field on its own */
    uint32_t bits = e < -14 ? (uint32_t)r : (uint32_t)((e + 15) << 10) + (uint32_t)(r - 1024);
    uint32_t limit = ahp ? 0x8000 : 0x7c00;
    if (bits >= limit) {
        if (ahp) {
            s->flags = (uint8_t)((s->flags & ~FLOAT_FLAG_INEXACT) | FLOAT_FLAG_INVALID);
            return sign | 0x7fff;
        }
        s->flags |= FLOAT_FLAG_OVERFLOW | FLOAT_FLAG_INEXACT;
        bool to_max = s->rounding_mode == FLOAT_ROUND_TO_ZERO ||
                      (s->rounding_mode == FLOAT_ROUND_UP && sign) ||
                      (s->rounding_mode == FLOAT_ROUND_DOWN && !sign);
        return sign | (to_max ? 0x7bff : 0x7c00);
    }
    return sign | (uint16_t)bits;
}

/* half to double, exactly */
static float64 half_to_float64(uint16_t h, bool ahp, FloatStatus *s)
{
    uint64_t sign = (uint64_t)(h >> 15) << 63;
    int exp = h >> 10 & 31;
    uint64_t frac = h & 0x3ff;
    if (exp == 31 && !ahp) {
        if (!frac)
            return sign | 0x7ff0000000000000ull;
        if (!(frac >> 9))
            s->flags |= FLOAT_FLAG_INVALID;
        if (s->default_nan_mode)
            return 0x7ff8000000000000ull;
        return sign | 0x7ff8000000000000ull | frac << 42;
    }
    if (exp == 0) {
        if (!frac)
            return sign;
        exp = 1;
        while (!(frac & 0x400)) {
            frac <<= 1;
            exp--;
        }
        frac &= 0x3ff;
    }
    return sign | (uint64_t)(exp - 15 + 1023) << 52 | frac << 42;
}

/* FCVT between precisions: desc = source type | destination type << 2
 * (0 single, 1 double, 3 half) | odd << 4 (FCVTXN: double to single
 * rounded to odd: truncated, the lowest bit set when inexact) */
uint64_t helper_a64_fcvt_prec(CPUARMState *env, uint64_t a, uint32_t desc)
{
    FloatStatus s = fp_status(env);
    int from = desc & 3, to = desc >> 2 & 3;
    bool ahp = env->fpcr & FPCR_AHP;
    uint64_t r;
    if (desc >> 4 & 1) {
        s.rounding_mode = FLOAT_ROUND_TO_ZERO;
        r = float64_to_float32(a, &s);
        /* a result FZ flushed raises no inexact and stays zero */
        if ((s.flags & FLOAT_FLAG_INEXACT) && !float32_is_nan((float32)r))
            r |= 1;
    } else if (from == 3) {
        float64 d = half_to_float64((uint16_t)a, ahp, &s);
        if (to == 1) {
            r = d;
        } else {
            FloatStatus x = s;            /* exact: no new flags, NaNs as made above */
            x.default_nan_mode = false;
            r = float64_to_float32(d, &x);
            if (float64_is_nan(d))
                r = (uint32_t)(d >> 32 & 0x80000000u) | 0x7fc00000u | (uint32_t)((d >> 29) & 0x3fffff);
        }
    } else if (to == 3) {
        const FpFmt *f = from ? &fmt_d : &fmt_s;
        a = flush_in(f, a, &s);
        float64 d;
        if (from == 0) {
            FloatStatus x = s;
            x.flags = 0;
            x.default_nan_mode = false;
            d = float32_to_float64((float32)a, &x);
            if (float32_is_nan((float32)a))   /* keep the signaling bit for the check below */
                d = (uint64_t)(a >> 31) << 63 | 0x7ff0000000000000ull | (uint64_t)(a & 0x7fffff) << 29;
        } else {
            d = a;
        }
        r = float64_to_half(d, ahp, &s);
    } else if (to == 1) {
        r = float32_to_float64((float32)a, &s);
    } else {
        r = float64_to_float32(a, &s);
    }
    fp_flags(env, &s);
    return r;
}

/* ---- reciprocal and reciprocal square root estimates and steps (Arm
 * ARM RecipEstimate, RecipSqrtEstimate, FPRecipEstimate,
 * FPRSqrtEstimate, FPRecipStepFused, FPRSqrtStepFused) ---- */

/* a: 256..511, a fixed-point 0.5 <= x < 1; result 256..511 for 1/x */
static int recip_estimate(int a)
{
    a = a * 2 + 1;
    int b = (1 << 19) / a;
    return (b + 1) / 2;
}

/* a: 128..511, 0.25 <= x < 1; result 256..511 for 1/sqrt(x) */
static int rsqrt_estimate(int a)
{
    if (a < 256) {
        a = a * 2 + 1;
    } else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    int b = 512;
    while ((int64_t)a * (b + 1) * (b + 1) < (1 << 28))
        b++;
    return (b + 1) / 2;
}

/* NaN operand of a one-source operation: quieted (IOC when signaling),
 * or the default NaN under FPCR.DN */
static uint64_t process_nan1(const FpFmt *f, uint64_t a, FloatStatus *s)
{
    if (is_snan(f, a)) {
        s->flags |= FLOAT_FLAG_INVALID;
        a |= 1ull << (f->mant - 1);
    }
    if (s->default_nan_mode)
        return exp_mask(f) | 1ull << (f->mant - 1);
    return a;
}

/* FRECPE (rsqrt = 0) and FRSQRTE (rsqrt = 1) */
static uint64_t fp_estimate(CPUARMState *env, const FpFmt *f, uint64_t a, bool rsqrt)
{
    FloatStatus s = fp_status(env);
    bool dbl = f->bits == 64;
    uint64_t sign = a & sign_bit(f), r;
    a = flush_in(f, a, &s);
    uint64_t mag = a & ~sign_bit(f), inf = exp_mask(f);
    int ebias = dbl ? 1023 : 127;
    if (is_nan(f, a)) {
        r = process_nan1(f, a, &s);
    } else if (mag == 0) {
        r = sign | inf;
        s.flags |= FLOAT_FLAG_DIVBYZERO;
    } else if (rsqrt && sign) {
        r = exp_mask(f) | 1ull << (f->mant - 1);
        s.flags |= FLOAT_FLAG_INVALID;
    } else if (mag == inf) {
        r = rsqrt ? 0 : sign;
    } else if (!rsqrt && mag < (dbl ? 1ull << 50 : 1ull << 21)) {
        /* below 2^-1024 (2^-128): the reciprocal overflows */
        int rm = s.rounding_mode;
        bool to_inf = rm == FLOAT_ROUND_NEAREST_EVEN || (rm == FLOAT_ROUND_UP && !sign) ||
                      (rm == FLOAT_ROUND_DOWN && sign);
        r = sign | (to_inf ? inf : inf - 1);
        s.flags |= FLOAT_FLAG_OVERFLOW | FLOAT_FLAG_INEXACT;
    } else if (!rsqrt && s.flush_to_zero && mag >= (uint64_t)(2 * ebias - 1) << f->mant) {
        /* at or above 2^1022 (2^126) the reciprocal is tiny: FZ flushes it */
        r = sign;
        s.flags |= FLOAT_FLAG_UNDERFLOW;
    } else {
        /* the fraction as 52 bits, the exponent as the format's */
        uint64_t frac = (mag & ((1ull << f->mant) - 1)) << (52 - f->mant);
        int exp = (int)(mag >> f->mant);
        uint64_t est;
        if (!rsqrt) {
            if (exp == 0) {
                if (!(frac >> 51 & 1)) {
                    exp = -1;
                    frac = (frac << 2) & ((1ull << 52) - 1);
                } else {
                    frac = (frac << 1) & ((1ull << 52) - 1);
                }
            }
            int scaled = (int)(0x100 | frac >> 44);
            int result_exp = (dbl ? 2045 : 253) - exp;
            est = (uint64_t)(recip_estimate(scaled) & 0xff) << 44;
            if (result_exp == 0) {
                est = 1ull << 51 | est >> 1;
            } else if (result_exp == -1) {
                est = 1ull << 50 | est >> 2;
                result_exp = 0;
            }
            r = sign | (uint64_t)result_exp << f->mant | est >> (52 - f->mant);
        } else {
            if (exp == 0) {
                while (!(frac >> 51 & 1)) {
                    frac = (frac << 1) & ((1ull << 52) - 1);
                    exp--;
                }
                frac = (frac << 1) & ((1ull << 52) - 1);
            }
            int scaled = exp & 1 ? (int)(0x80 | frac >> 45) : (int)(0x100 | frac >> 44);
            int num = dbl ? 3068 : 380;
            int result_exp = (num - exp) >> 1;      /* num - exp > 0: DIV rounds down */
            est = (uint64_t)(rsqrt_estimate(scaled) & 0xff) << 44;
            r = (uint64_t)result_exp << f->mant | est >> (52 - f->mant);
        }
    }
    fp_flags(env, &s);
    return r;
}

/* URECPE (rsqrt = 0), URSQRTE (rsqrt = 1) on a 32-bit element */
static uint64_t unsigned_estimate(uint64_t x, bool rsqrt)
{
    x &= 0xffffffffu;
    if (rsqrt ? x < 0x40000000u : x < 0x80000000u)
        return 0xffffffffu;
    int est = rsqrt ? rsqrt_estimate((int)(x >> 23)) : recip_estimate((int)(x >> 23));
    return (uint64_t)(est & 0x1ff) << 23;
}

/* FRECPS: 2 - a * b; FRSQRTS: (3 - a * b) / 2; fused (one rounding) */
static uint64_t recip_step(CPUARMState *env, const FpFmt *f, uint64_t a, uint64_t b, bool rsqrt)
{
    FloatStatus s = fp_status(env);
    bool dbl = f->bits == 64;
    a ^= sign_bit(f);                       /* FPNeg first: a NaN a comes out negated */
    a = flush_in(f, a, &s);
    b = flush_in(f, b, &s);
    uint64_t ma = a & ~sign_bit(f), mb = b & ~sign_bit(f), inf = exp_mask(f), r;
    if (is_nan(f, a) || is_nan(f, b)) {
        uint64_t c = dbl ? 0x4000000000000000ull : 0x40000000u;
        r = dbl ? float64_muladd(a, b, c, 0, &s) : float32_muladd((float32)a, (float32)b, (float32)c, 0, &s);
    } else if ((ma == inf && mb == 0) || (ma == 0 && mb == inf)) {
        r = rsqrt ? (dbl ? 0x3ff8000000000000ull : 0x3fc00000u) : (dbl ? 0x4000000000000000ull : 0x40000000u);
    } else if (ma == inf || mb == inf) {
        r = ((a ^ b) & sign_bit(f)) | inf;
    } else if (!rsqrt) {
        uint64_t two = dbl ? 0x4000000000000000ull : 0x40000000u;
        r = dbl ? float64_muladd(a, b, two, 0, &s) : float32_muladd((float32)a, (float32)b, (float32)two, 0, &s);
    } else {
        /* (3 + a * b) / 2 rounded once: halve the operand with the larger
         * exponent when that is exact (a normal with exponent field >= 2),
         * then a * b + 1.5; else both are tiny, 3 + a * b is about 3, and
         * halving the rounded sum is exact */
        uint64_t *big = ma >= mb ? &a : &b;
        uint64_t three = dbl ? 0x4008000000000000ull : 0x40400000u;
        uint64_t onehalf = dbl ? 0x3ff8000000000000ull : 0x3fc00000u;
        if ((*big & exp_mask(f)) >= 2ull << f->mant) {
            *big -= 1ull << f->mant;
            r = dbl ? float64_muladd(a, b, onehalf, 0, &s)
                    : float32_muladd((float32)a, (float32)b, (float32)onehalf, 0, &s);
        } else {
            r = dbl ? float64_muladd(a, b, three, 0, &s)
                    : float32_muladd((float32)a, (float32)b, (float32)three, 0, &s);
            r -= 1ull << f->mant;
        }
    }
    fp_flags(env, &s);
    return r;
}

/* ---- FP vector three same (one element at a time through the scalar
 * operations above; the flags accumulate the same way) ----
 * desc: rd | rn << 5 | rm << 10 | sz << 15 | q << 17 | u << 18 |
 * (opcode | a << 5) << 19 */
static uint64_t vfp_get(const uint64_t *v, int i, bool dbl)
{
    return dbl ? v[i] : (uint32_t)(v[i / 2] >> (32 * (i & 1)));
}

static uint64_t vfp_op(CPUARMState *env, int op, int u, bool dbl, uint64_t x, uint64_t y)
{
    const FpFmt *f = dbl ? &fmt_d : &fmt_s;
    uint32_t d = (uint32_t)dbl << 4;
    uint64_t ones = dbl ? ~0ull : 0xffffffffu;
    int c;
    FloatStatus s;
    switch (op) {
    case 24: return helper_a64_fp2(env, x, y, d | 6);                    /* FMAXNM(P) */
    case 24 + 32: return helper_a64_fp2(env, x, y, d | 7);               /* FMINNM(P) */
    case 26: return helper_a64_fp2(env, x, y, d | 2);                    /* FADD(P) */
    case 26 + 32:
        if (u)                                                           /* FABD */
            return helper_a64_fp2(env, x, y, d | 3) & ~sign_bit(f);
        return helper_a64_fp2(env, x, y, d | 3);                         /* FSUB */
    case 27: return helper_a64_fp2(env, x, y, d | 0);                    /* FMUL */
    case 31:
        if (!u)
            return recip_step(env, f, x, y, false);                      /* FRECPS */
        return helper_a64_fp2(env, x, y, d | 1);                         /* FDIV */
    case 31 + 32: return recip_step(env, f, x, y, true);                 /* FRSQRTS */
    case 30: return helper_a64_fp2(env, x, y, d | 4);                    /* FMAX(P) */
    case 30 + 32: return helper_a64_fp2(env, x, y, d | 5);               /* FMIN(P) */
    case 28: case 28 + 32: case 29: case 29 + 32:                      /* FCMEQ/GE/GT, FACGE/GT */
        s = fp_status(env);
        if (op & 1) {
            x &= ~sign_bit(f);
            y &= ~sign_bit(f);
        }
        c = f_cmp(f, x, y, !u, &s);     /* FCMEQ quiet; the others signal on any NaN */
        fp_flags(env, &s);
        if (!u)
            return c == FLOAT_EQUAL ? ones : 0;
        if (op & 32)
            return c == FLOAT_GREATER ? ones : 0;
        return c == FLOAT_GREATER || c == FLOAT_EQUAL ? ones : 0;
    default:
        return 0;
    }
}

void helper_a64_vfp3(CPUARMState *env, uint32_t desc)
{
    int rd = desc & 31, rn = desc >> 5 & 31, rm = desc >> 10 & 31;
    bool dbl = desc >> 15 & 1, q = desc >> 17 & 1;
    int u = desc >> 18 & 1, op = (int)(desc >> 19 & 63);
    uint64_t n[2] = { env->vregs[rn][0], env->vregs[rn][1] }, m[2] = { env->vregs[rm][0], env->vregs[rm][1] };
    uint64_t res[2] = { 0, 0 };
    int elements = desc >> 25 & 1 ? 1 : (q ? 4 : 2) >> dbl;   /* imm bit 0: scalar */
    /* pairwise: FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP (u = 1, not FABD/FMUL/FDIV/compares) */
    bool pairwise = u && ((op & 31) == 24 || op == 26 || (op & 31) == 30);
    for (int i = 0; i < elements; i++) {
        uint64_t x, y;
        if (pairwise) {
            const uint64_t *src = 2 * i < elements ? n : m;
            int j = (2 * i) % elements;
            x = vfp_get(src, j, dbl);
            y = vfp_get(src, j + 1, dbl);
        } else {
            x = vfp_get(n, i, dbl);
            y = vfp_get(m, i, dbl);
        }
        uint64_t r;
        if ((op & 31) == 25) {
            /* FMLA/FMLS: Vd + Vn * Vm, Vn negated for FMLS */
            uint64_t acc = vfp_get(env->vregs[rd], i, dbl);
            r = helper_a64_fp3(env, x, y, acc,
                               (op & 32 ? FLOAT_MULADD_NEGATE_PRODUCT : 0) | (uint32_t)dbl << 4);
        } else {
            r = vfp_op(env, op, u, dbl, x, y);
        }
        if (dbl)
            res[i] = r;
        else
            res[i / 2] |= (r & 0xffffffffu) << (32 * (i & 1));
    }
    env->vregs[rd][0] = res[0];
    env->vregs[rd][1] = q ? res[1] : 0;
}

/* ---- FP two-register misc (vector): FRINT*, FCVT[NMAPZ][SU], SCVTF/
 * UCVTF, FABS, FNEG, FSQRT, compares with zero; same descriptor as
 * vfp3 (op = opcode | a << 5) ---- */
static uint64_t vfp2_op(CPUARMState *env, int op, int u, bool dbl, uint64_t x)
{
    const FpFmt *f = dbl ? &fmt_d : &fmt_s;
    uint64_t ones = dbl ? ~0ull : 0xffffffffu;
    uint32_t t = (uint32_t)dbl << 8;
    FloatStatus s;
    int c;
    switch (op) {
    case 24: return helper_a64_fp1(env, x, t | (u ? 12 : 8));          /* FRINTN, FRINTA */
    case 25: return helper_a64_fp1(env, x, t | (u ? 14 : 10));         /* FRINTM, FRINTX */
    case 24 + 32: return helper_a64_fp1(env, x, t | 9);                /* FRINTP */
    case 25 + 32: return helper_a64_fp1(env, x, t | (u ? 15 : 11));    /* FRINTZ, FRINTI */
    case 26: case 27: case 28: case 26 + 32: case 27 + 32: {           /* FCVT[NMA PZ][SU] */
        static const uint8_t rm[5] = { FLOAT_ROUND_NEAREST_EVEN, FLOAT_ROUND_DOWN, 4, 0, 0 };
        int mode = op < 32 ? rm[op - 26] : op == 26 + 32 ? FLOAT_ROUND_UP : FLOAT_ROUND_TO_ZERO;
        return helper_a64_fp_to_int(env, x, (uint32_t)mode | (uint32_t)dbl << 3 | (uint32_t)u << 4 |
                                                (uint32_t)dbl << 5);
    }
    case 29: return helper_a64_int_to_fp(env, x, (uint32_t)dbl << 3 | (uint32_t)u << 4 | (uint32_t)dbl << 5);
    case 15 + 32: return u ? x ^ sign_bit(f) : x & ~sign_bit(f);       /* FNEG, FABS */
    case 31 + 32: return helper_a64_fp1(env, x, t | 3);                /* FSQRT */
    case 29 + 32: return fp_estimate(env, f, x, u);                    /* FRECPE, FRSQRTE */
    case 28 + 32: return unsigned_estimate(x, u);                      /* URECPE, URSQRTE */
    default:                                                            /* compares with zero */
        s = fp_status(env);
        c = f_cmp(f, x, 0, op == 13 + 32 && !u, &s);                    /* FCMEQ quiet */
        fp_flags(env, &s);
        switch (op - 32) {
        case 12: return (c == FLOAT_GREATER || (u && c == FLOAT_EQUAL)) ? ones : 0;   /* GT, GE */
        case 13: return (c == FLOAT_EQUAL || (u && c == FLOAT_LESS)) ? ones : 0;      /* EQ, LE */
        default: return c == FLOAT_LESS ? ones : 0;                                    /* LT */
        }
    }
}

void helper_a64_vfp2(CPUARMState *env, uint32_t desc)
{
    int rd = desc & 31, rn = desc >> 5 & 31;
    bool dbl = desc >> 15 & 1, q = desc >> 17 & 1;
    int u = desc >> 18 & 1, op = (int)(desc >> 19 & 63);
    uint64_t n[2] = { env->vregs[rn][0], env->vregs[rn][1] };
    uint64_t res[2] = { 0, 0 };
    int elements = desc >> 25 & 1 ? 1 : (q ? 4 : 2) >> dbl;   /* imm bit 0: scalar */
    for (int i = 0; i < elements; i++) {
        uint64_t r = vfp2_op(env, op, u, dbl, vfp_get(n, i, dbl));
        if (dbl)
            res[i] = r;
        else
            res[i / 2] |= (r & 0xffffffffu) << (32 * (i & 1));
    }
    env->vregs[rd][0] = res[0];
    env->vregs[rd][1] = q ? res[1] : 0;
}

/* FMAXNMV, FMAXV, FMINNMV, FMINV (4S): the Arm ARM's Reduce, pairs of
 * pairs. desc: rd | rn << 5 | op << 19 with op the fp2 operation (4 FMAX,
 * 5 FMIN, 6 FMAXNM, 7 FMINNM) */
void helper_a64_vfpacross(CPUARMState *env, uint32_t desc)
{
    int rd = desc & 31, rn = desc >> 5 & 31, op = (int)(desc >> 19 & 15);
    uint64_t e[4];
    for (int i = 0; i < 4; i++)
        e[i] = vfp_get(env->vregs[rn], i, false);
    uint64_t lo = helper_a64_fp2(env, e[0], e[1], (uint32_t)op);
    uint64_t hi = helper_a64_fp2(env, e[2], e[3], (uint32_t)op);
    env->vregs[rd][0] = helper_a64_fp2(env, lo, hi, (uint32_t)op) & 0xffffffffu;
    env->vregs[rd][1] = 0;
}
