/*
 * Soft-float for float32, float64 and floatx80 (see softfloat.h).
 * Every operation unpacks its operands into FloatParts (a 64-bit
 * significand with the leading one at bit 63 and an unbounded exponent),
 * computes an exact 128-bit result (or a truncated one with a sticky bit
 * in bit 0), and rounds once in round_pack(), which knows the format's
 * precision, exponent range, denormals, overflow, tininess and flags.
 * Must stay true: round_pack() is the only place a value is rounded.
 */
#include "fpu/softfloat.h"

#include <string.h>

typedef unsigned __int128 u128;

enum { CLS_ZERO, CLS_NORMAL, CLS_INF, CLS_QNAN, CLS_SNAN, CLS_BAD };

/* value = sig * 2^(exp - 63), sig bit 63 set for CLS_NORMAL. NaNs keep the
 * fraction left-aligned at bit 62 (bit 62 = quiet bit) in sig. */
typedef struct FloatParts {
    int cls;
    bool sign;
    int32_t exp;
    uint64_t sig;
} FloatParts;

typedef struct FloatFmt {
    int frac_bits;    /* stored fraction bits: 23, 52, 63 */
    int bias;
    int exp_max;      /* all-ones biased exponent */
    bool x80;
} FloatFmt;

static const FloatFmt fmt32 = { 23, 127, 0xff, false };
static const FloatFmt fmt64 = { 52, 1023, 0x7ff, false };
static const FloatFmt fmtx80 = { 63, 16383, 0x7fff, true };

/* A packed value of any format: bits for float32/64; mant/se for x80. */
typedef struct FloatRaw {
    uint64_t bits;
    uint16_t se;
} FloatRaw;

#define X87_EXP_WRAP 24576            /* the x87's exponent bias adjustment, 3 * 2^13 */

static int clz64(uint64_t v) { return v ? __builtin_clzll(v) : 64; }

static void raise_flags(FloatStatus *s, int f) { s->flags |= f; }

/* ---------------- unpack ---------------- */

static FloatParts unpack(const FloatFmt *f, FloatRaw r, FloatStatus *s)
{
    FloatParts p;
    uint64_t frac;
    int e;
    if (f->x80) {
        p.sign = r.se >> 15;
        e = r.se & 0x7fff;
        uint64_t m = r.bits;
        bool j = m >> 63;
        frac = m & 0x7fffffffffffffffull;
        if (e == 0x7fff) {
            if (!j) {
                p.cls = CLS_BAD;          /* pseudo-infinity / pseudo-NaN */
                p.sig = frac << 0;
                p.exp = 0;
                return p;
            }
            p.exp = 0;
            if (!frac) {
                p.cls = CLS_INF;
                p.sig = 0;
            } else {
                p.cls = (frac >> 62) & 1 ? CLS_QNAN : CLS_SNAN;
                p.sig = frac;
            }
            return p;
        }
        if (e != 0 && !j) {
            p.cls = CLS_BAD;              /* unnormal */
            p.sig = 0;
            p.exp = 0;
            return p;
        }
        if (m == 0) {
            p.cls = CLS_ZERO;
            p.exp = 0;
            p.sig = 0;
            return p;
        }
        if (e == 0) {                      /* denormal or pseudo-denormal */
            if (s->denormals_are_zero) {
                if (s->flush_inputs_flag)
                    raise_flags(s, FLOAT_FLAG_DENORMAL);
                p.cls = CLS_ZERO;
                p.exp = 0;
                p.sig = 0;
                return p;
            }
            p.cls = CLS_NORMAL;
            int sh = clz64(m);
            p.sig = m << sh;
            p.exp = 1 - f->bias - sh;
            p.cls = CLS_NORMAL | 0x100;    /* marks "denormal input"; cleared by caller */
            return p;
        }
        p.cls = CLS_NORMAL;
        p.sig = m;
        p.exp = e - f->bias;
        return p;
    }
    p.sign = r.bits >> (f->frac_bits + (f->bias == 127 ? 8 : 11));
    e = (r.bits >> f->frac_bits) & f->exp_max;
    frac = r.bits & ((1ull << f->frac_bits) - 1);
    if (e == f->exp_max) {
        p.exp = 0;
        if (!frac) {
            p.cls = CLS_INF;
            p.sig = 0;
        } else {
            p.sig = frac << (62 - (f->frac_bits - 1));
            p.cls = (p.sig >> 62) & 1 ? CLS_QNAN : CLS_SNAN;
        }
        return p;
    }
    if (e == 0) {
        if (!frac) {
            p.cls = CLS_ZERO;
            p.exp = 0;
            p.sig = 0;
            return p;
        }
        if (s->denormals_are_zero) {
            if (s->flush_inputs_flag)
                raise_flags(s, FLOAT_FLAG_DENORMAL);
            p.cls = CLS_ZERO;
            p.exp = 0;
            p.sig = 0;
            return p;
        }
        int sh = clz64(frac);
        p.sig = frac << sh;
        p.exp = 1 - f->bias - (sh - (63 - f->frac_bits));
        p.cls = CLS_NORMAL | 0x100;
        return p;
    }
    p.cls = CLS_NORMAL;
    p.sig = (frac | (1ull << f->frac_bits)) << (63 - f->frac_bits);
    p.exp = e - f->bias;
    return p;
}

/* Unpack and note a denormal operand; returns whether it was one. */
static bool unpack_den(const FloatFmt *f, FloatRaw r, FloatStatus *s, FloatParts *p)
{
    *p = unpack(f, r, s);
    if (p->cls & 0x100) {
        p->cls &= 0xff;
        return true;
    }
    return false;
}

/* ---------------- pack ---------------- */

static FloatRaw pack_bits(const FloatFmt *f, bool sign, int bexp, uint64_t mant)
{
    FloatRaw r = { 0, 0 };
    if (f->x80) {
        r.bits = mant;
        r.se = (uint16_t)((sign ? 0x8000 : 0) | bexp);
    } else {
        int sign_shift = f->frac_bits + (f->bias == 127 ? 8 : 11);
        r.bits = ((uint64_t)sign << sign_shift) | ((uint64_t)bexp << f->frac_bits) |
                 (mant & ((1ull << f->frac_bits) - 1));
    }
    return r;
}

static FloatRaw pack_zero(const FloatFmt *f, bool sign) { return pack_bits(f, sign, 0, 0); }

static FloatRaw pack_inf(const FloatFmt *f, bool sign)
{
    return pack_bits(f, sign, f->exp_max, f->x80 ? 1ull << 63 : 0);
}

static FloatRaw default_nan(const FloatFmt *f, const FloatStatus *s)
{
    bool sign = s->nan_rule != FLOAT_NAN_ARM;
    if (f->x80)
        return pack_bits(f, sign, f->exp_max, 0xc000000000000000ull);
    return pack_bits(f, sign, f->exp_max, 1ull << (f->frac_bits - 1));
}

/* A NaN's parts (quieted) in format f: the payload is truncated or padded. */
static FloatRaw pack_nan(const FloatFmt *f, const FloatParts *p, const FloatStatus *s)
{
    if (s->default_nan_mode)
        return default_nan(f, s);
    uint64_t sig = p->sig | (1ull << 62);
    if (f->x80)
        return pack_bits(f, p->sign, f->exp_max, sig | (1ull << 63));
    return pack_bits(f, p->sign, f->exp_max, sig >> (62 - (f->frac_bits - 1)));
}

/*
 * Round sign * (hi:lo) * 2^(exp - 127) (hi bit 63 set; lo bit 0 may be a
 * sticky bit) to prec significand bits in format f and pack it.
 */
static FloatRaw round_pack(const FloatFmt *f, int prec, bool sign, int32_t exp, uint64_t hi,
                           uint64_t lo, FloatStatus *s)
{
    const int fprec = f->frac_bits + 1;
    const int32_t emin = 1 - f->bias, emax = f->bias;
    /* the x87 rounds denormals at the precision control too: with 24-bit
     * precision the smallest step is 2^(emin - 23), not 2^(emin - 63) */
    const int32_t lsb_min = emin - (prec - 1);
    const int32_t lsb_fmt = emin - (fprec - 1);
    int rm = s->rounding_mode;
    s->rounded_up = false;

    if (s->flush_to_zero && s->tininess_before_rounding && exp < emin) {
        raise_flags(s, FLOAT_FLAG_UNDERFLOW | (s->ftz_underflow_only ? 0 : FLOAT_FLAG_INEXACT));
        return pack_zero(f, sign);
    }
    /* tininess after rounding: round to prec bits with an unbounded exponent */
    bool tiny;
    if (s->tininess_before_rounding || exp < emin - 1) {
        tiny = exp < emin;
    } else if (exp >= emin) {
        tiny = false;
    } else {
        int drop = 128 - prec;            /* bits below the lsb, exp == emin - 1 */
        u128 v = ((u128)hi << 64) | lo;
        u128 q = v >> drop;
        u128 rest = v & (((u128)1 << drop) - 1);
        u128 half = (u128)1 << (drop - 1);
        bool inc;
        switch (rm) {
        case FLOAT_ROUND_NEAREST_EVEN: inc = rest > half || (rest == half && (q & 1)); break;
        case FLOAT_ROUND_DOWN: inc = rest && sign; break;
        case FLOAT_ROUND_UP: inc = rest && !sign; break;
        default: inc = false; break;
        }
        q += inc;
        tiny = !(q >> prec);              /* no carry up to 2^emin */
    }
    if (s->flush_to_zero && tiny) {
        raise_flags(s, FLOAT_FLAG_UNDERFLOW | (s->ftz_underflow_only ? 0 : FLOAT_FLAG_INEXACT));
        return pack_zero(f, sign);
    }

    /* x87 with underflow unmasked: no denormalisation, the exponent is
     * wrapped by 24576 instead (SDM vol. 1 8.5.5) */
    bool wrap_under = f->x80 && s->x87_unmasked_underflow && tiny;
    int32_t lsb = exp - (prec - 1);
    if (lsb < lsb_min && !wrap_under)
        lsb = lsb_min;
    int64_t drop = 127 - ((int64_t)exp - lsb);   /* bits of hi:lo below the lsb */
    uint64_t q, round, sticky;
    if (drop <= 64) {
        /* drop >= 64 always since prec <= 64 */
        q = drop == 64 ? hi : hi >> (drop - 64);
        round = drop == 64 ? lo >> 63 : (hi >> (drop - 65)) & 1;
        sticky = drop == 64 ? (lo << 1) != 0 : ((hi & ((1ull << (drop - 65)) - 1)) | lo) != 0;
    } else if (drop < 128) {
        q = hi >> (drop - 64);
        round = (hi >> (drop - 65)) & 1;
        sticky = ((drop - 65 ? hi & ((1ull << (drop - 65)) - 1) : 0) | lo) != 0;
    } else if (drop == 128) {
        q = 0;
        round = hi >> 63;
        sticky = ((hi << 1) | lo) != 0;
    } else {
        q = 0;
        round = 0;
        sticky = (hi | lo) != 0;
    }
    bool inexact = round || sticky;
    bool inc;
    switch (rm) {
    case FLOAT_ROUND_NEAREST_EVEN: inc = round && (sticky || (q & 1)); break;
    case FLOAT_ROUND_DOWN: inc = inexact && sign; break;
    case FLOAT_ROUND_UP: inc = inexact && !sign; break;
    default: inc = false; break;
    }
    /* q < 2^prec; q + 1 may reach 2^prec, still fits in 64 bits unless prec == 64 */
    bool carry64 = false;
    if (inc) {
        q++;
        if (q == 0)
            carry64 = true;
    }
    int32_t e_res;
    uint64_t mant;
    if (carry64) {
        e_res = lsb + 64;
        mant = 1ull << 63;
    } else if (q == 0) {
        if (inexact) {
            raise_flags(s, FLOAT_FLAG_INEXACT | (tiny ? FLOAT_FLAG_UNDERFLOW : 0));
        }
        return pack_zero(f, sign);
    } else {
        int bl = 64 - clz64(q);
        e_res = lsb + bl - 1;
        mant = q << (64 - bl);            /* leading one at bit 63 */
    }
    s->rounded_up = inc;
    if (wrap_under) {
        raise_flags(s, FLOAT_FLAG_UNDERFLOW | (inexact ? FLOAT_FLAG_INEXACT : 0));
        e_res += X87_EXP_WRAP;
        if (e_res >= emin)
            return pack_bits(f, sign, e_res + f->bias, mant);
        return pack_zero(f, sign);        /* beyond even the wrapped range */
    }
    if (e_res > emax && f->x80 && s->x87_unmasked_overflow) {
        /* x87 with overflow unmasked: the exponent wrapped by 24576; beyond
         * even that range, infinity whatever the rounding mode */
        raise_flags(s, FLOAT_FLAG_OVERFLOW | FLOAT_FLAG_INEXACT);
        if (e_res - X87_EXP_WRAP > emax) {
            s->rounded_up = true;
            return pack_inf(f, sign);
        }
        if (!inexact)
            s->flags &= ~FLOAT_FLAG_INEXACT;
        return pack_bits(f, sign, e_res - X87_EXP_WRAP + f->bias, mant);
    }
    if (e_res > emax) {
        bool to_inf = rm == FLOAT_ROUND_NEAREST_EVEN || (rm == FLOAT_ROUND_UP && !sign) ||
                      (rm == FLOAT_ROUND_DOWN && sign);
        raise_flags(s, FLOAT_FLAG_OVERFLOW | FLOAT_FLAG_INEXACT);
        s->rounded_up = to_inf;
        if (to_inf)
            return pack_inf(f, sign);
        uint64_t maxm = prec == 64 ? ~0ull : ((1ull << prec) - 1) << (64 - prec);
        return pack_bits(f, sign, emax + f->bias, f->x80 ? maxm : maxm >> (63 - f->frac_bits));
    }
    if (inexact) {
        raise_flags(s, FLOAT_FLAG_INEXACT | (tiny ? FLOAT_FLAG_UNDERFLOW : 0));
    } else if (tiny && s->x87_unmasked_underflow) {
        raise_flags(s, FLOAT_FLAG_UNDERFLOW);   /* unmasked: tiny is enough */
    }
    if (e_res < emin) {
        /* denormal: the value is mant * 2^(e_res - 63), stored as frac * 2^lsb_min */
        uint64_t frac = mant >> (63 - (e_res - lsb_fmt));
        return pack_bits(f, sign, 0, frac);
    }
    return pack_bits(f, sign, e_res + f->bias, f->x80 ? mant : mant >> (63 - f->frac_bits));
}

static FloatRaw round_parts(const FloatFmt *f, int prec, const FloatParts *p, FloatStatus *s)
{
    return round_pack(f, prec, p->sign, p->exp, p->sig, 0, s);
}

/* ---------------- NaN propagation ---------------- */

static bool is_nan_cls(int c) { return c == CLS_QNAN || c == CLS_SNAN; }

static FloatRaw propagate_nan(const FloatFmt *f, const FloatParts *a, const FloatParts *b,
                              FloatStatus *s)
{
    bool an = is_nan_cls(a->cls), bn = b && is_nan_cls(b->cls);
    if ((a->cls == CLS_SNAN) || (b && b->cls == CLS_SNAN))
        raise_flags(s, FLOAT_FLAG_INVALID);
    if (s->default_nan_mode)
        return default_nan(f, s);
    const FloatParts *r;
    if (!bn) {
        r = a;
    } else if (!an) {
        r = b;
    } else {
        switch (s->nan_rule) {
        case FLOAT_NAN_SSE:
            r = a;
            break;
        case FLOAT_NAN_ARM:
            r = a->cls == CLS_SNAN ? a : b->cls == CLS_SNAN ? b : a;
            break;
        default:
            if (a->cls != b->cls) {
                r = a->cls == CLS_QNAN ? a : b;
            } else {
                uint64_t sa = a->sig & ~(1ull << 62), sb = b->sig & ~(1ull << 62);
                r = sa > sb ? a : sb > sa ? b : (!a->sign ? a : b);
            }
            break;
        }
    }
    return pack_nan(f, r, s);
}

/* ---------------- add / sub ---------------- */

static FloatRaw addsub(const FloatFmt *f, int prec, FloatRaw ra, FloatRaw rb, bool negb,
                       FloatStatus *s)
{
    FloatParts a, b;
    bool da = unpack_den(f, ra, s, &a), db = unpack_den(f, rb, s, &b);
    if (a.cls == CLS_BAD || b.cls == CLS_BAD) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (is_nan_cls(a.cls) || is_nan_cls(b.cls))
        return propagate_nan(f, &a, &b, s);
    if (da || db)
        raise_flags(s, FLOAT_FLAG_DENORMAL);
    b.sign ^= negb;
    if (a.cls == CLS_INF || b.cls == CLS_INF) {
        if (a.cls == CLS_INF && b.cls == CLS_INF && a.sign != b.sign) {
            raise_flags(s, FLOAT_FLAG_INVALID);
            return default_nan(f, s);
        }
        return pack_inf(f, a.cls == CLS_INF ? a.sign : b.sign);
    }
    if (a.cls == CLS_ZERO && b.cls == CLS_ZERO) {
        bool sign = a.sign == b.sign ? a.sign : s->rounding_mode == FLOAT_ROUND_DOWN;
        return pack_zero(f, sign);
    }
    if (a.cls == CLS_ZERO)
        return round_parts(f, prec, &b, s);
    if (b.cls == CLS_ZERO)
        return round_parts(f, prec, &a, s);
    /* make a the larger magnitude */
    if (b.exp > a.exp || (b.exp == a.exp && b.sig > a.sig)) {
        FloatParts t = a;
        a = b;
        b = t;
    }
    int64_t d = (int64_t)a.exp - b.exp;
    u128 va = (u128)a.sig << 62;          /* two spare bits at the top for a carry */
    u128 vb = (u128)b.sig << 62;
    if (d >= 126) {
        vb = 1;                           /* sticky only */
    } else if (d > 0) {
        u128 lost = vb & (((u128)1 << d) - 1);
        vb = (vb >> d) | (lost != 0);
    }
    u128 v = a.sign == b.sign ? va + vb : va - vb;
    if (v == 0) {
        return pack_zero(f, s->rounding_mode == FLOAT_ROUND_DOWN);
    }
    /* value = v * 2^(a.exp - 125); normalise so bit 127 is set */
    int lz = v >> 64 ? clz64((uint64_t)(v >> 64)) : 64 + clz64((uint64_t)v);
    v <<= lz;
    return round_pack(f, prec, a.sign, a.exp + 2 - lz, (uint64_t)(v >> 64), (uint64_t)v, s);
}

/* ---------------- mul / div ---------------- */

static FloatRaw mul(const FloatFmt *f, int prec, FloatRaw ra, FloatRaw rb, FloatStatus *s)
{
    FloatParts a, b;
    bool da = unpack_den(f, ra, s, &a), db = unpack_den(f, rb, s, &b);
    bool sign = a.sign ^ b.sign;
    if (a.cls == CLS_BAD || b.cls == CLS_BAD) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (is_nan_cls(a.cls) || is_nan_cls(b.cls))
        return propagate_nan(f, &a, &b, s);
    if ((a.cls == CLS_INF && b.cls == CLS_ZERO) || (a.cls == CLS_ZERO && b.cls == CLS_INF)) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (da || db)
        raise_flags(s, FLOAT_FLAG_DENORMAL);
    if (a.cls == CLS_INF || b.cls == CLS_INF)
        return pack_inf(f, sign);
    if (a.cls == CLS_ZERO || b.cls == CLS_ZERO)
        return pack_zero(f, sign);
    u128 p = (u128)a.sig * b.sig;         /* bit 126 or 127 set */
    int32_t e = a.exp + b.exp + 1;
    if (!(p >> 127)) {
        p <<= 1;
        e--;
    }
    return round_pack(f, prec, sign, e, (uint64_t)(p >> 64), (uint64_t)p, s);
}

/* ---------------- fused multiply-add ---------------- */

/* The NaN result of a * b + c. Arm (FPProcessNaNs3 with the addend
 * first): the first SNaN of c, a, b, else the first QNaN. x86 (every
 * VFMADD form, measured on the host): the first NaN of a, b, c. */
static FloatRaw propagate_nan3(const FloatFmt *f, const FloatParts *a, const FloatParts *b,
                               const FloatParts *c, FloatStatus *s)
{
    bool arm = s->nan_rule == FLOAT_NAN_ARM;
    const FloatParts *ops[3] = { arm ? c : a, arm ? a : b, arm ? b : c };
    const FloatParts *r = NULL;
    bool snan = false;
    for (int i = 0; i < 3; i++)
        snan |= ops[i]->cls == CLS_SNAN;
    if (snan)
        raise_flags(s, FLOAT_FLAG_INVALID);
    if (s->default_nan_mode)
        return default_nan(f, s);
    if (arm && snan) {
        for (int i = 0; i < 3 && !r; i++)
            if (ops[i]->cls == CLS_SNAN)
                r = ops[i];
    }
    for (int i = 0; i < 3 && !r; i++)
        if (is_nan_cls(ops[i]->cls))
            r = ops[i];
    return pack_nan(f, r, s);
}

/*
 * a * b + c rounded once. The product of two significands (at most 106
 * bits for float64, so its low 22 bits are zero) is exact in 128 bits; the
 * addend is aligned to it with a sticky bit as in addsub(). Negations
 * (FLOAT_MULADD_*) apply to the operands before anything else, NaNs
 * included, as Arm's FMSUB/FNMADD/FNMSUB/FMLS negate an operand.
 */
static FloatRaw muladd(const FloatFmt *f, int prec, FloatRaw ra, FloatRaw rb, FloatRaw rc,
                       int neg, FloatStatus *s)
{
    FloatParts a, b, c;
    bool da = unpack_den(f, ra, s, &a), db = unpack_den(f, rb, s, &b);
    bool dc = unpack_den(f, rc, s, &c);
    bool negres = neg & FLOAT_MULADD_NEGATE_RESULT;
    a.sign ^= (neg & FLOAT_MULADD_NEGATE_PRODUCT) != 0;
    c.sign ^= (neg & FLOAT_MULADD_NEGATE_ADDEND) != 0;
    bool inf_times_zero = (a.cls == CLS_INF && b.cls == CLS_ZERO) ||
                          (a.cls == CLS_ZERO && b.cls == CLS_INF);
    if (is_nan_cls(a.cls) || is_nan_cls(b.cls) || is_nan_cls(c.cls)) {
        /* Arm FPMulAdd: inf * 0 + QNaN is invalid and gives the default
         * NaN; x86 returns the QNaN with no flag (measured on the host) */
        if (inf_times_zero && c.cls == CLS_QNAN && s->nan_rule == FLOAT_NAN_ARM) {
            raise_flags(s, FLOAT_FLAG_INVALID);
            return default_nan(f, s);
        }
        return propagate_nan3(f, &a, &b, &c, s);
    }
    if (inf_times_zero) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    bool psign = a.sign ^ b.sign ^ negres;
    c.sign ^= negres;
    bool pinf = a.cls == CLS_INF || b.cls == CLS_INF;
    bool pzero = a.cls == CLS_ZERO || b.cls == CLS_ZERO;
    if (pinf && c.cls == CLS_INF && psign != c.sign) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (da || db || dc)
        raise_flags(s, FLOAT_FLAG_DENORMAL);
    if (pinf)
        return pack_inf(f, psign);
    if (c.cls == CLS_INF)
        return pack_inf(f, c.sign);
    if (pzero && c.cls == CLS_ZERO) {
        bool sign = psign == c.sign ? psign : s->rounding_mode == FLOAT_ROUND_DOWN;
        return pack_zero(f, sign);
    }
    if (pzero)
        return round_parts(f, prec, &c, s);
    u128 p = (u128)a.sig * b.sig;           /* value p * 2^(pe - 127) */
    int32_t pe = a.exp + b.exp + 1;
    if (!(p >> 127)) {
        p <<= 1;
        pe--;
    }
    if (c.cls == CLS_ZERO)
        return round_pack(f, prec, psign, pe, (uint64_t)(p >> 64), (uint64_t)p, s);
    /* both as v * 2^(e - 125): two spare bits at the top for a carry; the
     * product's two dropped bits are zero (see above) */
    u128 vp = p >> 2, vc = (u128)c.sig << 62;
    int32_t ep = pe, ec = c.exp;
    bool sbig = psign, ssmall = c.sign;
    int32_t ebig = ep, esmall = ec;
    u128 vbig = vp, vsmall = vc;
    if (ec > ep || (ec == ep && vc > vp)) {
        sbig = c.sign;
        ssmall = psign;
        ebig = ec;
        esmall = ep;
        vbig = vc;
        vsmall = vp;
    }
    int64_t d = (int64_t)ebig - esmall;
    if (d >= 126) {
        vsmall = 1;                          /* sticky only */
    } else if (d > 0) {
        u128 lost = vsmall & (((u128)1 << d) - 1);
        vsmall = (vsmall >> d) | (lost != 0);
    }
    u128 v = sbig == ssmall ? vbig + vsmall : vbig - vsmall;
    if (v == 0)
        return pack_zero(f, s->rounding_mode == FLOAT_ROUND_DOWN);
    int lz = v >> 64 ? clz64((uint64_t)(v >> 64)) : 64 + clz64((uint64_t)v);
    v <<= lz;
    return round_pack(f, prec, sbig, ebig + 2 - lz, (uint64_t)(v >> 64), (uint64_t)v, s);
}

static FloatRaw divide(const FloatFmt *f, int prec, FloatRaw ra, FloatRaw rb, FloatStatus *s)
{
    FloatParts a, b;
    bool da = unpack_den(f, ra, s, &a), db = unpack_den(f, rb, s, &b);
    bool sign = a.sign ^ b.sign;
    if (a.cls == CLS_BAD || b.cls == CLS_BAD) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (is_nan_cls(a.cls) || is_nan_cls(b.cls))
        return propagate_nan(f, &a, &b, s);
    if ((a.cls == CLS_INF && b.cls == CLS_INF) || (a.cls == CLS_ZERO && b.cls == CLS_ZERO)) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (b.cls == CLS_ZERO && a.cls != CLS_INF) {
        raise_flags(s, FLOAT_FLAG_DIVBYZERO);   /* and no denormal flag */
        return pack_inf(f, sign);
    }
    if (da || db)
        raise_flags(s, FLOAT_FLAG_DENORMAL);
    if (a.cls == CLS_INF)
        return pack_inf(f, sign);
    if (b.cls == CLS_INF)
        return pack_zero(f, sign);
    if (a.cls == CLS_ZERO)
        return pack_zero(f, sign);
    int32_t e = a.exp - b.exp;
    u128 num;
    if (a.sig >= b.sig) {
        num = (u128)a.sig << 63;          /* quotient in [2^63, 2^64) */
    } else {
        num = (u128)a.sig << 64;
        e--;
    }
    uint64_t qh = (uint64_t)(num / b.sig);
    uint64_t r = (uint64_t)(num % b.sig);
    u128 n2 = (u128)r << 64;
    uint64_t ql = (uint64_t)(n2 / b.sig);
    uint64_t r2 = (uint64_t)(n2 % b.sig);
    return round_pack(f, prec, sign, e, qh, ql | (r2 != 0), s);
}

/* ---------------- sqrt ---------------- */

static FloatRaw fsqrt(const FloatFmt *f, int prec, FloatRaw ra, FloatStatus *s)
{
    FloatParts a;
    bool da = unpack_den(f, ra, s, &a);
    if (a.cls == CLS_BAD) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (is_nan_cls(a.cls))
        return propagate_nan(f, &a, NULL, s);
    if (a.cls == CLS_ZERO)
        return pack_zero(f, a.sign);
    if (a.sign) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (da)
        raise_flags(s, FLOAT_FLAG_DENORMAL);
    if (a.cls == CLS_INF)
        return pack_inf(f, false);
    /* a = sig * 2^(exp-63). Take M = sig * 2^k with exp-63-k even so the
     * root is sqrt(M) * 2^((exp-63-k)/2); 66 root bits need M of 132 bits. */
    int32_t e = a.exp;
    int k = 68 + ((e - 63 - 68) & 1);     /* 68 or 69 */
    int total = 64 + k;                   /* bits of M, even */
    if (total & 1)
        total++;
    /* digits of M from the top, two bits at a time */
    u128 rem = 0, root = 0;
    for (int i = total - 2; i >= 0; i -= 2) {
        int b0 = i - k, b1 = i + 1 - k;
        uint64_t d = ((b1 >= 0 && b1 < 64) ? ((a.sig >> b1) & 1) << 1 : 0) |
                     ((b0 >= 0 && b0 < 64) ? (a.sig >> b0) & 1 : 0);
        rem = (rem << 2) | d;
        u128 t = (root << 2) | 1;
        if (rem >= t) {
            rem -= t;
            root = (root << 1) | 1;
        } else {
            root <<= 1;
        }
    }
    /* root has total/2 bits; value = root * 2^((e-63-k)/2) */
    int rb = 128 - (int)(root >> 64 ? clz64((uint64_t)(root >> 64)) : 64 + clz64((uint64_t)root));
    int32_t re = (e - 63 - k) / 2 + rb - 1;
    u128 v = root << (128 - rb);
    return round_pack(f, prec, false, re, (uint64_t)(v >> 64), (uint64_t)v | (rem != 0), s);
}

/* ---------------- remainder ---------------- */

/*
 * a - b * Q exactly, Q = a/b truncated (FPREM) or to nearest-even
 * (IEEE). For an exponent difference of 64 or more with partial_ok, the
 * x87 does a partial reduction: Q' = trunc((a/b) / 2^(D-N)), a - b*Q'*2^(D-N).
 */
static FloatRaw float_rem(const FloatFmt *f, FloatRaw ra, FloatRaw rb, bool ieee, bool partial_ok,
                          uint64_t *quot, bool *partial, FloatStatus *s)
{
    FloatParts a, b;
    bool da = unpack_den(f, ra, s, &a), db = unpack_den(f, rb, s, &b);
    *quot = 0;
    *partial = false;
    if (a.cls == CLS_BAD || b.cls == CLS_BAD) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (is_nan_cls(a.cls) || is_nan_cls(b.cls))
        return propagate_nan(f, &a, &b, s);
    if (a.cls == CLS_INF || b.cls == CLS_ZERO) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (da || db)
        raise_flags(s, FLOAT_FLAG_DENORMAL);
    if (a.cls == CLS_ZERO || b.cls == CLS_INF)
        return round_parts(f, 64, &a, s);
    int64_t d = (int64_t)a.exp - b.exp;
    if (d < -1 || (d == -1 && !ieee))
        return round_parts(f, 64, &a, s);
    if (partial_ok && d >= 64) {
        /* ST0 - ST1 * QQ * 2^(D-N): the x87 reduces the exponent difference
         * by an implementation-dependent N in 32..63 per FPREM. */
        *partial = true;
        d = 32 + (d - 64) % 32;
    }
    /* long division of a.sig * 2^d by b.sig: remainder r < b.sig, q bits */
    uint64_t q = 0;
    u128 r = a.sig;
    int64_t steps = d;
    if (d < 0) {
        /* d == -1, ieee only: Q is 0 or 1 */
        steps = 0;
    }
    if (r >= b.sig && d >= 0) {
        r -= b.sig;
        q = 1;
    }
    for (int64_t i = 0; i < steps; i++) {
        r <<= 1;
        q <<= 1;
        if (r >= b.sig) {
            r -= b.sig;
            q |= 1;
        }
    }
    /* now a = b * q * 2^(a.exp-b.exp-d) + r * 2^(b.exp-63+(a.exp-b.exp-d)) */
    int64_t rexp = (int64_t)a.exp - d;
    bool sign = a.sign;
    if (ieee && !*partial) {
        /* compare 2r with b: round the quotient to nearest */
        u128 r2;
        if (d < 0) {
            /* a.exp = b.exp - 1: a itself vs b/2 */
            r2 = (u128)a.sig;             /* r = a, at scale 2^(b.exp - 64): compare a.sig with b.sig */
            if (r2 > b.sig) {
                /* |a| > |b|/2: Q = 1, the result is -(|b| - |a|) */
                u128 v = ((u128)b.sig << 1) - r2; /* scale 2^(b.exp-64) */
                q = 1;
                sign = !sign;
                int lz = v >> 64 ? clz64((uint64_t)(v >> 64)) : 64 + clz64((uint64_t)v);
                v <<= lz;
                *quot = q;
                return round_pack(f, 64, sign, (int32_t)(b.exp + 63 - lz), (uint64_t)(v >> 64),
                                  (uint64_t)v, s);
            }
            *quot = 0;
            return round_parts(f, 64, &a, s);
        }
        r2 = r << 1;
        if (r2 > b.sig || (r2 == b.sig && (q & 1))) {
            r = b.sig - r;
            q++;
            sign = !sign;
        }
    }
    *quot = q;
    if (r == 0)
        return pack_zero(f, a.sign);
    /* r is exact: value r * 2^(rexp - 63) */
    uint64_t rv = (uint64_t)r;
    int lz = clz64(rv);
    return round_pack(f, 64, sign, (int32_t)(rexp - lz), rv << lz, 0, s);
}

/* ---------------- round to integer ---------------- */

static FloatRaw round_int(const FloatFmt *f, FloatRaw ra, FloatStatus *s)
{
    FloatParts a;
    bool da = unpack_den(f, ra, s, &a);
    if (a.cls == CLS_BAD) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(f, s);
    }
    if (is_nan_cls(a.cls))
        return propagate_nan(f, &a, NULL, s);
    if (da && f->x80)
        raise_flags(s, FLOAT_FLAG_DENORMAL);   /* FRNDINT has it, ROUNDSS/SD not */
    if (a.cls != CLS_NORMAL)
        return a.cls == CLS_INF ? pack_inf(f, a.sign) : pack_zero(f, a.sign);
    if (a.exp >= f->frac_bits)
        return round_parts(f, f->frac_bits + 1, &a, s);
    /* round at bit (63 - exp) of sig: prec = exp + 1 bits, done by round_pack
     * with the lsb at 2^0 */
    int prec = a.exp + 1;
    if (prec <= 0) {
        /* |a| < 1 */
        bool inexact = true;
        bool one;
        switch (s->rounding_mode) {
        case FLOAT_ROUND_NEAREST_EVEN: one = a.exp == -1 && a.sig != (1ull << 63); break;
        case FLOAT_ROUND_DOWN: one = a.sign; break;
        case FLOAT_ROUND_UP: one = !a.sign; break;
        default: one = false; break;
        }
        FloatRaw r = one ? round_pack(f, 64, a.sign, 0, 1ull << 63, 0, s) : pack_zero(f, a.sign);
        if (inexact)
            raise_flags(s, FLOAT_FLAG_INEXACT);
        s->rounded_up = one;
        return r;
    }
    return round_pack(f, prec, a.sign, a.exp, a.sig, 0, s);
}

/* ---------------- comparison ---------------- */

static int compare(const FloatFmt *f, FloatRaw ra, FloatRaw rb, bool quiet, FloatStatus *s)
{
    FloatParts a, b;
    bool da = unpack_den(f, ra, s, &a), db = unpack_den(f, rb, s, &b);
    if (a.cls == CLS_BAD || b.cls == CLS_BAD) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return FLOAT_UNORDERED;
    }
    if (is_nan_cls(a.cls) || is_nan_cls(b.cls)) {
        if (!quiet || a.cls == CLS_SNAN || b.cls == CLS_SNAN)
            raise_flags(s, FLOAT_FLAG_INVALID);
        return FLOAT_UNORDERED;
    }
    if (da || db)
        raise_flags(s, FLOAT_FLAG_DENORMAL);
    if (a.cls == CLS_ZERO && b.cls == CLS_ZERO)
        return FLOAT_EQUAL;
    /* order as signed magnitudes */
    int ka = a.cls == CLS_ZERO ? 0 : a.cls == CLS_INF ? 2 : 1;
    int kb = b.cls == CLS_ZERO ? 0 : b.cls == CLS_INF ? 2 : 1;
    int cmpmag;                          /* |a| vs |b| */
    if (ka != kb) {
        cmpmag = ka < kb ? -1 : 1;
    } else if (ka == 2) {
        cmpmag = 0;
    } else {
        cmpmag = a.exp != b.exp ? (a.exp < b.exp ? -1 : 1) : a.sig != b.sig ? (a.sig < b.sig ? -1 : 1) : 0;
    }
    if (ka == 0)
        return b.sign ? FLOAT_GREATER : FLOAT_LESS;
    if (kb == 0)
        return a.sign ? FLOAT_LESS : FLOAT_GREATER;
    if (a.sign != b.sign)
        return a.sign ? FLOAT_LESS : FLOAT_GREATER;
    if (cmpmag == 0)
        return FLOAT_EQUAL;
    return (cmpmag < 0) != a.sign ? FLOAT_LESS : FLOAT_GREATER;
}

/* ---------------- conversions ---------------- */

static FloatRaw from_int(const FloatFmt *f, int64_t v, FloatStatus *s)
{
    if (v == 0)
        return pack_zero(f, false);
    bool sign = v < 0;
    uint64_t m = sign ? -(uint64_t)v : (uint64_t)v;
    int lz = clz64(m);
    if (f->x80)                           /* every int64 is exact in extended */
        return pack_bits(f, sign, 63 - lz + f->bias, m << lz);
    return round_pack(f, f->frac_bits + 1, sign, 63 - lz, m << lz, 0, s);
}

/* to an integer of `bits` bits; truncate = round toward zero */
static int64_t to_int(const FloatFmt *f, FloatRaw ra, int bits, bool truncate, FloatStatus *s)
{
    FloatParts a;
    unpack_den(f, ra, s, &a);             /* no denormal flag: FIST and CVT*2SI have none */
    int64_t indefinite = (int64_t)((uint64_t)-1 << (bits - 1));
    if (a.cls == CLS_BAD || is_nan_cls(a.cls) || a.cls == CLS_INF) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return indefinite;
    }
    if (a.cls == CLS_ZERO)
        return 0;
    int rm = truncate ? FLOAT_ROUND_TO_ZERO : s->rounding_mode;
    if (a.exp >= bits) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return indefinite;
    }
    /* integer part and the rest */
    uint64_t ip, round, sticky;
    if (a.exp >= 0) {
        int sh = 63 - a.exp;              /* bits of sig below the units */
        ip = sh ? a.sig >> sh : a.sig;
        round = sh ? (a.sig >> (sh - 1)) & 1 : 0;
        sticky = sh > 1 ? (a.sig & ((1ull << (sh - 1)) - 1)) != 0 : 0;
    } else {
        ip = 0;
        round = a.exp == -1;
        sticky = a.exp == -1 ? (a.sig << 1) != 0 : 1;
    }
    bool inexact = round || sticky, inc;
    switch (rm) {
    case FLOAT_ROUND_NEAREST_EVEN: inc = round && (sticky || (ip & 1)); break;
    case FLOAT_ROUND_DOWN: inc = inexact && a.sign; break;
    case FLOAT_ROUND_UP: inc = inexact && !a.sign; break;
    default: inc = false; break;
    }
    u128 mag = (u128)ip + inc;
    u128 lim = (u128)1 << (bits - 1);
    if (a.sign ? mag > lim : mag >= lim) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return indefinite;
    }
    if (inexact)
        raise_flags(s, FLOAT_FLAG_INEXACT);
    s->rounded_up = inc;
    return (int64_t)(a.sign ? 0 - (uint64_t)mag : (uint64_t)mag);
}

static FloatRaw convert(const FloatFmt *to, const FloatFmt *from, FloatRaw ra, int prec,
                        FloatStatus *s)
{
    FloatParts a;
    bool da = unpack_den(from, ra, s, &a);
    if (a.cls == CLS_BAD) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return default_nan(to, s);
    }
    if (is_nan_cls(a.cls)) {
        if (a.cls == CLS_SNAN)
            raise_flags(s, FLOAT_FLAG_INVALID);
        return pack_nan(to, &a, s);
    }
    if (da && !from->x80)
        raise_flags(s, FLOAT_FLAG_DENORMAL);    /* x87 FST has no denormal flag; FLD and CVT* do */
    if (a.cls == CLS_INF)
        return pack_inf(to, a.sign);
    if (a.cls == CLS_ZERO)
        return pack_zero(to, a.sign);
    if (to->x80 && !from->x80)            /* widening is exact: no rounding */
        return pack_bits(to, a.sign, a.exp + to->bias, a.sig);
    return round_parts(to, prec, &a, s);
}

/* ---------------- public wrappers ---------------- */

static FloatRaw r32(float32 v) { return (FloatRaw){ v, 0 }; }
static FloatRaw r64(float64 v) { return (FloatRaw){ v, 0 }; }
static FloatRaw rx(floatx80 v) { return (FloatRaw){ v.mant, v.sign_exp }; }
static floatx80 tox(FloatRaw r) { return (floatx80){ r.bits, r.se }; }
static int xprec(const FloatStatus *s) { return s->x80_precision == 32 ? 24 : s->x80_precision == 64 ? 53 : 64; }

bool float32_is_nan(float32 a) { return (a & 0x7fffffff) > 0x7f800000; }
bool float32_is_signaling_nan(float32 a) { return float32_is_nan(a) && !(a & 0x00400000); }
bool float64_is_nan(float64 a) { return (a & 0x7fffffffffffffffull) > 0x7ff0000000000000ull; }
bool float64_is_signaling_nan(float64 a) { return float64_is_nan(a) && !(a & (1ull << 51)); }
bool floatx80_is_nan(floatx80 a)
{
    return (a.sign_exp & 0x7fff) == 0x7fff && (a.mant >> 63) && (a.mant << 1);
}
bool floatx80_is_signaling_nan(floatx80 a) { return floatx80_is_nan(a) && !((a.mant >> 62) & 1); }
bool floatx80_is_unsupported(floatx80 a)
{
    return (a.sign_exp & 0x7fff) != 0 && !(a.mant >> 63);
}
bool floatx80_is_denormal(floatx80 a) { return (a.sign_exp & 0x7fff) == 0 && a.mant; }

floatx80 floatx80_default_nan(const FloatStatus *s) { return tox(default_nan(&fmtx80, s)); }
float32 float32_default_nan(const FloatStatus *s) { return (float32)default_nan(&fmt32, s).bits; }
float64 float64_default_nan(const FloatStatus *s) { return default_nan(&fmt64, s).bits; }

float32 float32_add(float32 a, float32 b, FloatStatus *s) { return (float32)addsub(&fmt32, 24, r32(a), r32(b), false, s).bits; }
float32 float32_sub(float32 a, float32 b, FloatStatus *s) { return (float32)addsub(&fmt32, 24, r32(a), r32(b), true, s).bits; }
float32 float32_mul(float32 a, float32 b, FloatStatus *s) { return (float32)mul(&fmt32, 24, r32(a), r32(b), s).bits; }
float32 float32_muladd(float32 a, float32 b, float32 c, int neg, FloatStatus *s) { return (float32)muladd(&fmt32, 24, r32(a), r32(b), r32(c), neg, s).bits; }
float32 float32_div(float32 a, float32 b, FloatStatus *s) { return (float32)divide(&fmt32, 24, r32(a), r32(b), s).bits; }
float32 float32_sqrt(float32 a, FloatStatus *s) { return (float32)fsqrt(&fmt32, 24, r32(a), s).bits; }
float32 float32_round_to_int(float32 a, FloatStatus *s) { return (float32)round_int(&fmt32, r32(a), s).bits; }
float32 float32_rem(float32 a, float32 b, FloatStatus *s)
{
    uint64_t q;
    bool p;
    return (float32)float_rem(&fmt32, r32(a), r32(b), true, false, &q, &p, s).bits;
}

float64 float64_add(float64 a, float64 b, FloatStatus *s) { return addsub(&fmt64, 53, r64(a), r64(b), false, s).bits; }
float64 float64_sub(float64 a, float64 b, FloatStatus *s) { return addsub(&fmt64, 53, r64(a), r64(b), true, s).bits; }
float64 float64_mul(float64 a, float64 b, FloatStatus *s) { return mul(&fmt64, 53, r64(a), r64(b), s).bits; }
float64 float64_muladd(float64 a, float64 b, float64 c, int neg, FloatStatus *s) { return muladd(&fmt64, 53, r64(a), r64(b), r64(c), neg, s).bits; }
float64 float64_div(float64 a, float64 b, FloatStatus *s) { return divide(&fmt64, 53, r64(a), r64(b), s).bits; }
float64 float64_sqrt(float64 a, FloatStatus *s) { return fsqrt(&fmt64, 53, r64(a), s).bits; }
float64 float64_round_to_int(float64 a, FloatStatus *s) { return round_int(&fmt64, r64(a), s).bits; }
float64 float64_rem(float64 a, float64 b, FloatStatus *s)
{
    uint64_t q;
    bool p;
    return float_rem(&fmt64, r64(a), r64(b), true, false, &q, &p, s).bits;
}

floatx80 floatx80_add(floatx80 a, floatx80 b, FloatStatus *s) { return tox(addsub(&fmtx80, xprec(s), rx(a), rx(b), false, s)); }
floatx80 floatx80_sub(floatx80 a, floatx80 b, FloatStatus *s) { return tox(addsub(&fmtx80, xprec(s), rx(a), rx(b), true, s)); }
floatx80 floatx80_mul(floatx80 a, floatx80 b, FloatStatus *s) { return tox(mul(&fmtx80, xprec(s), rx(a), rx(b), s)); }
floatx80 floatx80_div(floatx80 a, floatx80 b, FloatStatus *s) { return tox(divide(&fmtx80, xprec(s), rx(a), rx(b), s)); }
floatx80 floatx80_sqrt(floatx80 a, FloatStatus *s) { return tox(fsqrt(&fmtx80, xprec(s), rx(a), s)); }
floatx80 floatx80_round_to_int(floatx80 a, FloatStatus *s) { return tox(round_int(&fmtx80, rx(a), s)); }
floatx80 floatx80_rem(floatx80 a, floatx80 b, bool ieee, uint64_t *quotient, bool *partial,
                      FloatStatus *s)
{
    return tox(float_rem(&fmtx80, rx(a), rx(b), ieee, true, quotient, partial, s));
}

floatx80 floatx80_scale(floatx80 a, floatx80 b, FloatStatus *s)
{
    FloatParts pa, pb;
    bool da = unpack_den(&fmtx80, rx(a), s, &pa), db = unpack_den(&fmtx80, rx(b), s, &pb);
    if (pa.cls == CLS_BAD || pb.cls == CLS_BAD) {
        raise_flags(s, FLOAT_FLAG_INVALID);
        return floatx80_default_nan(s);
    }
    if (is_nan_cls(pa.cls) || is_nan_cls(pb.cls))
        return tox(propagate_nan(&fmtx80, &pa, &pb, s));
    if (pb.cls == CLS_INF) {
        if ((pa.cls == CLS_ZERO && !pb.sign) || (pa.cls == CLS_INF && pb.sign)) {
            raise_flags(s, FLOAT_FLAG_INVALID);
            return floatx80_default_nan(s);
        }
        if (da)
            raise_flags(s, FLOAT_FLAG_DENORMAL);
        if (pa.cls == CLS_ZERO || pa.cls == CLS_INF)
            return a;
        return tox(pb.sign ? pack_zero(&fmtx80, pa.sign) : pack_inf(&fmtx80, pa.sign));
    }
    if (da || db)
        raise_flags(s, FLOAT_FLAG_DENORMAL);
    if (pa.cls != CLS_NORMAL)
        return tox(pa.cls == CLS_INF ? pack_inf(&fmtx80, pa.sign) : pack_zero(&fmtx80, pa.sign));
    /* trunc(ST1) clamped: beyond +-2^17 the result over/underflows anyway */
    int64_t n;
    if (pb.cls == CLS_ZERO || pb.exp < 0) {
        n = 0;
    } else if (pb.exp > 20) {
        n = 1 << 20;
    } else {
        n = (int64_t)(pb.sig >> (63 - pb.exp));
    }
    if (pb.sign)
        n = -n;
    /* exact: FSCALE ignores the precision control */
    return tox(round_pack(&fmtx80, 64, pa.sign, (int32_t)(pa.exp + n), pa.sig, 0, s));
}

int float32_compare(float32 a, float32 b, bool quiet, FloatStatus *s) { return compare(&fmt32, r32(a), r32(b), quiet, s); }
int float64_compare(float64 a, float64 b, bool quiet, FloatStatus *s) { return compare(&fmt64, r64(a), r64(b), quiet, s); }
int floatx80_compare(floatx80 a, floatx80 b, bool quiet, FloatStatus *s) { return compare(&fmtx80, rx(a), rx(b), quiet, s); }

float32 int32_to_float32(int32_t v, FloatStatus *s) { return (float32)from_int(&fmt32, v, s).bits; }
float32 int64_to_float32(int64_t v, FloatStatus *s) { return (float32)from_int(&fmt32, v, s).bits; }
float64 int32_to_float64(int32_t v, FloatStatus *s) { return from_int(&fmt64, v, s).bits; }
float64 int64_to_float64(int64_t v, FloatStatus *s) { return from_int(&fmt64, v, s).bits; }
floatx80 int64_to_floatx80(int64_t v, FloatStatus *s) { return tox(from_int(&fmtx80, v, s)); }
int32_t float32_to_int32(float32 a, FloatStatus *s) { return (int32_t)to_int(&fmt32, r32(a), 32, false, s); }
int32_t float32_to_int32_round_to_zero(float32 a, FloatStatus *s) { return (int32_t)to_int(&fmt32, r32(a), 32, true, s); }
int64_t float32_to_int64(float32 a, FloatStatus *s) { return to_int(&fmt32, r32(a), 64, false, s); }
int64_t float32_to_int64_round_to_zero(float32 a, FloatStatus *s) { return to_int(&fmt32, r32(a), 64, true, s); }
int32_t float64_to_int32(float64 a, FloatStatus *s) { return (int32_t)to_int(&fmt64, r64(a), 32, false, s); }
int32_t float64_to_int32_round_to_zero(float64 a, FloatStatus *s) { return (int32_t)to_int(&fmt64, r64(a), 32, true, s); }
int64_t float64_to_int64(float64 a, FloatStatus *s) { return to_int(&fmt64, r64(a), 64, false, s); }
int64_t float64_to_int64_round_to_zero(float64 a, FloatStatus *s) { return to_int(&fmt64, r64(a), 64, true, s); }
int16_t floatx80_to_int16(floatx80 a, FloatStatus *s) { return (int16_t)to_int(&fmtx80, rx(a), 16, false, s); }
int16_t floatx80_to_int16_round_to_zero(floatx80 a, FloatStatus *s) { return (int16_t)to_int(&fmtx80, rx(a), 16, true, s); }
int32_t floatx80_to_int32(floatx80 a, FloatStatus *s) { return (int32_t)to_int(&fmtx80, rx(a), 32, false, s); }
int32_t floatx80_to_int32_round_to_zero(floatx80 a, FloatStatus *s) { return (int32_t)to_int(&fmtx80, rx(a), 32, true, s); }
int64_t floatx80_to_int64(floatx80 a, FloatStatus *s) { return to_int(&fmtx80, rx(a), 64, false, s); }
int64_t floatx80_to_int64_round_to_zero(floatx80 a, FloatStatus *s) { return to_int(&fmtx80, rx(a), 64, true, s); }

float64 float32_to_float64(float32 a, FloatStatus *s) { return convert(&fmt64, &fmt32, r32(a), 53, s).bits; }
float32 float64_to_float32(float64 a, FloatStatus *s) { return (float32)convert(&fmt32, &fmt64, r64(a), 24, s).bits; }
floatx80 float32_to_floatx80(float32 a, FloatStatus *s) { return tox(convert(&fmtx80, &fmt32, r32(a), 64, s)); }
floatx80 float64_to_floatx80(float64 a, FloatStatus *s) { return tox(convert(&fmtx80, &fmt64, r64(a), 64, s)); }
float32 floatx80_to_float32(floatx80 a, FloatStatus *s) { return (float32)convert(&fmt32, &fmtx80, rx(a), 24, s).bits; }
float64 floatx80_to_float64(floatx80 a, FloatStatus *s) { return convert(&fmt64, &fmtx80, rx(a), 53, s).bits; }
floatx80 floatx80_round_to_precision(floatx80 a, int bits, FloatStatus *s)
{
    return tox(convert(&fmtx80, &fmtx80, rx(a), bits, s));
}
