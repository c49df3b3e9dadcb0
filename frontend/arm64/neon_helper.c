/*
 * A64 Advanced SIMD integer operations done in C on whole registers: the
 * translator checks the encoding (UNDEFINED cases, the FP access trap) and
 * passes one descriptor; the helper reads the sources from env->vregs,
 * computes every element and writes the destination (the upper 64 bits
 * cleared for a 64-bit vector). Saturating operations set FPSR.QC.
 * Descriptor: rd | rn << 5 | rm << 10 | size << 15 | q << 17 | u << 18 |
 * op << 19 (the encoding's opcode) | imm << 25 (a shift amount, EXT index;
 * three different: 1 for the scalar forms).
 */
#include <string.h>
#include "frontend/arm64/helpers.h"

#define FPSR_QC (1u << 27)

typedef struct VDesc {
    int rd, rn, rm, size, q, u, op, imm;
} VDesc;

static VDesc vdesc(uint32_t d)
{
    VDesc v = { (int)(d & 31), (int)(d >> 5 & 31), (int)(d >> 10 & 31), (int)(d >> 15 & 3),
                (int)(d >> 17 & 1), (int)(d >> 18 & 1), (int)(d >> 19 & 63), (int)(d >> 25 & 127) };
    return v;
}

static uint64_t get_elt(const uint8_t *v, int i, int size, bool sign)
{
    switch (size) {
    case 0: return sign ? (uint64_t)(int64_t)(int8_t)v[i] : v[i];
    case 1: { uint16_t x; memcpy(&x, v + 2 * i, 2); return sign ? (uint64_t)(int64_t)(int16_t)x : x; }
    case 2: { uint32_t x; memcpy(&x, v + 4 * i, 4); return sign ? (uint64_t)(int64_t)(int32_t)x : x; }
    default: { uint64_t x; memcpy(&x, v + 8 * i, 8); return x; }
    }
}

static void set_elt(uint8_t *v, int i, int size, uint64_t x)
{
    memcpy(v + (i << size), &x, 1u << size);
}

static uint64_t mask_of(int size) { return size == 3 ? ~0ull : (1ull << (8 << size)) - 1; }
static uint64_t sign_extend(uint64_t x, int size)
{
    int sh = 64 - (8 << size);
    return (uint64_t)((int64_t)(x << sh) >> sh);
}
static int64_t smax_of(int size) { return (int64_t)(mask_of(size) >> 1); }
static int64_t smin_of(int size) { return -smax_of(size) - 1; }

/* finish: copy the result to Vd, clearing the top half of a 64-bit vector */
static void put_result(CPUARMState *env, int rd, const uint8_t *res, bool q)
{
    memcpy(env->vregs[rd], res, q ? 16 : 8);
    if (!q)
        env->vregs[rd][1] = 0;
}

/* saturate a wide result to size bits, signed or unsigned, noting QC */
static uint64_t sat_s(CPUARMState *env, __int128 x, int size)
{
    if (x > smax_of(size)) { env->fpsr |= FPSR_QC; return (uint64_t)smax_of(size); }
    if (x < smin_of(size)) { env->fpsr |= FPSR_QC; return (uint64_t)smin_of(size); }
    return (uint64_t)(int64_t)x;
}
static uint64_t sat_u(CPUARMState *env, __int128 x, int size)
{
    if (x > (__int128)mask_of(size)) { env->fpsr |= FPSR_QC; return mask_of(size); }
    if (x < 0) { env->fpsr |= FPSR_QC; return 0; }
    return (uint64_t)x;
}

/* SSHL/USHL (and their rounding forms when round): shift by the signed low
 * byte of m, right when negative */
static uint64_t shl_reg(uint64_t n, int64_t sh, int size, bool sign, bool round)
{
    int bits = 8 << size;
    if (sh >= bits)
        return 0;
    if (sh >= 0)
        return n << sh;
    sh = -sh;
    if (round) {
        __int128 w = sign ? (__int128)(int64_t)n : (__int128)n;
        if (sh > bits)
            return 0;
        return (uint64_t)((w + ((__int128)1 << (sh - 1))) >> sh);
    }
    if (sh >= bits)
        return sign && (int64_t)n < 0 ? ~0ull : 0;
    return sign ? (uint64_t)((int64_t)n >> sh) : n >> sh;
}

/* x << sh for a left shift that is saturated next: a value that would
 * leave 127 bits becomes +-2^100, which saturates the same way */
static __int128 shl_wide(__int128 x, int sh)
{
    const __int128 big = (__int128)1 << 100;
    if (x == 0)
        return 0;
    if (sh >= 64 || x >= (__int128)1 << (126 - sh) || x < -((__int128)1 << (126 - sh)))
        return x < 0 ? -big : big;
    return x * ((__int128)1 << sh);
}

/* SQSHL/UQSHL/SQRSHL/UQRSHL (register): shift by the signed low byte of
 * m (right when negative, rounding when round), saturated to the element
 * (Arm ARM: the shift is on the exact integer; QC on saturation) */
static uint64_t qshl_reg(CPUARMState *env, uint64_t n, int sh, int size, bool sign, bool round)
{
    __int128 x = sign ? (__int128)(int64_t)n : (__int128)n;
    if (sh >= 0) {
        x = shl_wide(x, sh);
    } else {
        int r = -sh > 127 ? 127 : -sh;
        if (round)
            x += (__int128)1 << (r - 1);
        x >>= r;
    }
    return sign ? sat_s(env, x, size) : sat_u(env, x, size);
}

/* SQDMULH/SQRDMULH: the high half of 2 * a * b (rounded), saturated */
static uint64_t sqdmulh(CPUARMState *env, int64_t a, int64_t b, int size, bool round)
{
    int bits = 8 << size;
    __int128 p = 2 * (__int128)a * b;
    if (round)
        p += (__int128)1 << (bits - 1);
    return sat_s(env, p >> bits, size);
}

/* polynomial (carry-less) multiply of two bytes: PMUL, PMULL (the low 16 bits of the product) */
static uint64_t pmul8(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int k = 0; k < 8; k++)
        if (b >> k & 1)
            r ^= (a & 0xff) << k;
    return r;
}

/* three same: ops by the encoding's opcode, on operand arrays (the
 * by-element forms pass a broadcast m) */
static void v3same_core(CPUARMState *env, VDesc d, const uint8_t *n, const uint8_t *m, const uint8_t *old,
                        uint8_t *res)
{
    int elements = (d.q ? 16 : 8) >> d.size;
    bool sign = !d.u || d.op == 0x16;       /* SQDMULH/SQRDMULH: u is the rounding */
    for (int i = 0; i < elements; i++) {
        uint64_t a = get_elt(n, i, d.size, sign), b = get_elt(m, i, d.size, sign), r = 0;
        uint64_t acc = get_elt(old, i, d.size, sign);
        int64_t sa = (int64_t)a, sb = (int64_t)b;
        switch (d.op) {
        case 0x01:                          /* SQADD/UQADD */
            r = sign ? sat_s(env, (__int128)sa + sb, d.size) : sat_u(env, (__int128)a + b, d.size);
            break;
        case 0x05:                          /* SQSUB/UQSUB */
            r = sign ? sat_s(env, (__int128)sa - sb, d.size) : sat_u(env, (__int128)a - (__int128)b, d.size);
            break;
        case 0x00:                          /* SHADD/UHADD */
            r = (uint64_t)(sign ? (((__int128)sa + sb) >> 1) : (((__int128)a + b) >> 1));
            break;
        case 0x02:                          /* SRHADD/URHADD */
            r = (uint64_t)(sign ? (((__int128)sa + sb + 1) >> 1) : (((__int128)a + b + 1) >> 1));
            break;
        case 0x04:                          /* SHSUB/UHSUB */
            r = (uint64_t)(sign ? (((__int128)sa - sb) >> 1) : (((__int128)a - (__int128)b) >> 1));
            break;
        case 0x08:                          /* SSHL/USHL */
        case 0x0a:                          /* SRSHL/URSHL */
            r = shl_reg(a, (int8_t)get_elt(m, i, d.size, false), d.size, sign, d.op == 0x0a);
            break;
        case 0x09:                          /* SQSHL/UQSHL */
        case 0x0b:                          /* SQRSHL/UQRSHL */
            r = qshl_reg(env, a, (int8_t)get_elt(m, i, d.size, false), d.size, sign, d.op == 0x0b);
            break;
        case 0x16:                          /* SQDMULH/SQRDMULH */
            r = sqdmulh(env, sa, sb, d.size, d.u);
            break;
        case 0x0c: r = sign ? (uint64_t)(sa > sb ? sa : sb) : (a > b ? a : b); break;   /* MAX */
        case 0x0d: r = sign ? (uint64_t)(sa < sb ? sa : sb) : (a < b ? a : b); break;   /* MIN */
        case 0x0e:                          /* SABD/UABD */
        case 0x0f:                          /* SABA/UABA */
            r = sign ? (uint64_t)(sa > sb ? sa - sb : sb - sa) : (a > b ? a - b : b - a);
            if (d.op == 0x0f)
                r += acc;
            break;
        case 0x12: r = d.u ? acc - a * b : acc + a * b; break;                          /* MLA/MLS */
        case 0x13:                                                                       /* MUL/PMUL */
            r = d.u ? pmul8(a, b) : a * b;
            break;
        default:                            /* pairwise: ADDP, SMAXP.. on m:n */
        {
            const uint8_t *src = 2 * i < elements ? n : m;
            int j = (2 * i) % elements;
            uint64_t x = get_elt(src, j, d.size, sign), y = get_elt(src, j + 1, d.size, sign);
            if (d.op == 0x17)
                r = x + y;
            else if (d.op == 0x14)
                r = sign ? (uint64_t)((int64_t)x > (int64_t)y ? x : y) : (x > y ? x : y);
            else
                r = sign ? (uint64_t)((int64_t)x < (int64_t)y ? x : y) : (x < y ? x : y);
            break;
        }
        }
        set_elt(res, i, d.size, r);
    }
}

void helper_a64_v3same(CPUARMState *env, uint32_t desc)
{
    VDesc d = vdesc(desc);
    uint8_t res[16];
    v3same_core(env, d, (const uint8_t *)env->vregs[d.rn], (const uint8_t *)env->vregs[d.rm],
                (const uint8_t *)env->vregs[d.rd], res);
    put_result(env, d.rd, res, d.q);
}

static uint64_t rbit8(uint64_t x)
{
    uint64_t r = 0;
    for (int k = 0; k < 8; k++)
        r |= (x >> k & 1) << (7 - k);
    return r;
}

/* two-register misc */
void helper_a64_v2misc(CPUARMState *env, uint32_t desc)
{
    VDesc d = vdesc(desc);
    const uint8_t *n = (const uint8_t *)env->vregs[d.rn];
    const uint8_t *old = (const uint8_t *)env->vregs[d.rd];
    uint8_t res[16];
    int bytes = d.q ? 16 : 8, elements = bytes >> d.size, bits = 8 << d.size;
    bool sign = !d.u;
    memset(res, 0, sizeof(res));
    switch (d.op) {
    case 0x00: case 0x01: {                 /* REV64, REV32, REV16: reverse elements in containers */
        int container = d.op == 1 ? 2 : d.u ? 4 : 8;
        int per = container >> d.size;
        for (int i = 0; i < elements; i++) {
            int base = i - i % per;
            set_elt(res, base + (per - 1 - i % per), d.size, get_elt(n, i, d.size, false));
        }
        break;
    }
    case 0x02: case 0x06: {                 /* SADDLP/UADDLP, SADALP/UADALP */
        int out = elements / 2;
        for (int i = 0; i < out; i++) {
            uint64_t r = get_elt(n, 2 * i, d.size, sign) + get_elt(n, 2 * i + 1, d.size, sign);
            if (d.op == 0x06)
                r += get_elt(old, i, d.size + 1, false);
            set_elt(res, i, d.size + 1, r);
        }
        break;
    }
    case 0x12: case 0x14: {                 /* XTN/SQXTUN, SQXTN/UQXTN: into the lower or upper half */
        uint8_t tmp[16];
        memcpy(tmp, old, 16);
        int out = 8 >> d.size;
        for (int i = 0; i < out; i++) {
            uint64_t x = get_elt(n, i, d.size + 1, d.op == 0x14 ? sign : d.u);
            uint64_t r;
            if (d.op == 0x12 && !d.u)
                r = x;
            else if (d.op == 0x12)          /* SQXTUN: signed in, unsigned out */
                r = sat_u(env, (__int128)(int64_t)x, d.size);
            else
                r = sign ? sat_s(env, (__int128)(int64_t)x, d.size) : sat_u(env, (__int128)x, d.size);
            set_elt(tmp + (d.q ? 8 : 0), i, d.size, r);
        }
        if (!d.q)
            memset(tmp + 8, 0, 8);
        memcpy(env->vregs[d.rd], tmp, 16);
        return;
    }
    case 0x13:                              /* SHLL/SHLL2: widen a half, shift by the element size */
        for (int i = 0; i < (8 >> d.size); i++)
            set_elt(res, i, d.size + 1, get_elt(n + (d.q ? 8 : 0), i, d.size, false) << bits);
        put_result(env, d.rd, res, true);
        return;
    case 0x03:                              /* SUQADD (u = 0), USQADD (u = 1): into Vd, saturated */
        for (int i = 0; i < elements; i++) {
            uint64_t x = get_elt(n, i, d.size, d.u), acc = get_elt(old, i, d.size, !d.u);
            uint64_t r = d.u ? sat_u(env, (__int128)acc + (int64_t)x, d.size)
                             : sat_s(env, (__int128)(int64_t)acc + x, d.size);
            set_elt(res, i, d.size, r);
        }
        break;
    default:
        for (int i = 0; i < elements; i++) {
            uint64_t x = get_elt(n, i, d.size, true), r = 0;
            int64_t s = (int64_t)x;
            switch (d.op) {
            case 0x04:                      /* CLS / CLZ */
                if (d.u) {
                    uint64_t v = x & mask_of(d.size);
                    r = v ? (uint64_t)(__builtin_clzll(v) - (64 - bits)) : (uint64_t)bits;
                } else {
                    uint64_t v = (s < 0 ? ~x : x) & mask_of(d.size);
                    r = (v ? (uint64_t)(__builtin_clzll(v) - (64 - bits)) : (uint64_t)bits) - 1;
                }
                break;
            case 0x05:                      /* CNT, NOT, RBIT */
                if (!d.u)
                    r = (uint64_t)__builtin_popcountll(x & 0xff);
                else if (!d.imm)
                    r = ~x;
                else
                    r = rbit8(x);
                break;
            case 0x08: r = d.u ? (s >= 0 ? ~0ull : 0) : (s > 0 ? ~0ull : 0); break;   /* CMGE/CMGT #0 */
            case 0x09: r = d.u ? (s <= 0 ? ~0ull : 0) : (s == 0 ? ~0ull : 0); break;  /* CMLE/CMEQ #0 */
            case 0x0a: r = s < 0 ? ~0ull : 0; break;                                   /* CMLT #0 */
            case 0x0b: r = d.u || s < 0 ? 0 - (uint64_t)s : (uint64_t)s; break;        /* NEG / ABS, modulo 2^64 */
            case 0x07:                      /* SQABS / SQNEG */
                r = sat_s(env, d.u ? -(__int128)s : (s < 0 ? -(__int128)s : (__int128)s), d.size);
                break;
            }
            set_elt(res, i, d.size, r);
        }
        break;
    }
    put_result(env, d.rd, res, d.q);
}

/* across lanes: ADDV, SADDLV/UADDLV, SMAXV/UMAXV, SMINV/UMINV -> scalar */
void helper_a64_vacross(CPUARMState *env, uint32_t desc)
{
    VDesc d = vdesc(desc);
    const uint8_t *n = (const uint8_t *)env->vregs[d.rn];
    int elements = (d.q ? 16 : 8) >> d.size;
    bool sign = !d.u;
    uint64_t r = get_elt(n, 0, d.size, sign);
    for (int i = 1; i < elements; i++) {
        uint64_t x = get_elt(n, i, d.size, sign);
        switch (d.op) {
        case 0x03: case 0x1b: r += x; break;
        case 0x0a: r = sign ? ((int64_t)x > (int64_t)r ? x : r) : (x > r ? x : r); break;
        default: r = sign ? ((int64_t)x < (int64_t)r ? x : r) : (x < r ? x : r); break;
        }
    }
    int out = d.op == 0x03 ? d.size + 1 : d.size;
    env->vregs[d.rd][0] = r & mask_of(out);
    env->vregs[d.rd][1] = 0;
}

/* shift by immediate: imm is the shift (right shifts: esize*2 - immh:immb
 * computed by the translator, left: immh:immb - esize) */
void helper_a64_vshift(CPUARMState *env, uint32_t desc)
{
    VDesc d = vdesc(desc);
    const uint8_t *n = (const uint8_t *)env->vregs[d.rn];
    const uint8_t *old = (const uint8_t *)env->vregs[d.rd];
    uint8_t res[16];
    int sh = d.imm, bits = 8 << d.size;
    bool sign = !d.u;
    if (d.op == 0x14) {                     /* SSHLL/USHLL: widen the lower or upper half */
        for (int i = 0; i < (8 >> d.size); i++)
            set_elt(res, i, d.size + 1, get_elt(n + (d.q ? 8 : 0), i, d.size, sign) << sh);
        put_result(env, d.rd, res, true);
        return;
    }
    if (d.op >= 0x10 && d.op <= 0x13) {
        /* narrow into a half: SHRN, RSHRN (u = 0), SQSHRUN, SQRSHRUN (u = 1;
         * signed in, unsigned out), SQSHRN/UQSHRN, SQRSHRN/UQRSHRN */
        uint8_t tmp[16];
        memcpy(tmp, old, 16);
        bool in_sign = d.op < 0x12 || !d.u, round = d.op & 1;
        for (int i = 0; i < (8 >> d.size); i++) {
            uint64_t e = get_elt(n, i, d.size + 1, in_sign);
            __int128 x = in_sign ? (__int128)(int64_t)e : (__int128)e;
            if (round)
                x += (__int128)1 << (sh - 1);
            x >>= sh;
            uint64_t r;
            if (d.op < 0x12 && !d.u)
                r = (uint64_t)x;
            else if (d.op < 0x12 || d.u)
                r = sat_u(env, x, d.size);
            else
                r = sat_s(env, x, d.size);
            set_elt(tmp + (d.q ? 8 : 0), i, d.size, r);
        }
        if (!d.q)
            memset(tmp + 8, 0, 8);
        memcpy(env->vregs[d.rd], tmp, 16);
        return;
    }
    int elements = (d.q ? 16 : 8) >> d.size;
    for (int i = 0; i < elements; i++) {
        uint64_t x = get_elt(n, i, d.size, sign), acc = get_elt(old, i, d.size, false), r;
        __int128 w = sign ? (__int128)(int64_t)x : (__int128)x;
        switch (d.op) {
        case 0x00: case 0x02:               /* SSHR/USHR, SSRA/USRA (shift 1..esize) */
            r = (uint64_t)(w >> sh);
            if (d.op == 0x02)
                r += acc;
            break;
        case 0x04: case 0x06:               /* SRSHR/URSHR, SRSRA/URSRA */
            r = (uint64_t)((w + ((__int128)1 << (sh - 1))) >> sh);
            if (d.op == 0x06)
                r += acc;
            break;
        case 0x08: {                        /* SRI */
            uint64_t keep = sh == bits ? mask_of(d.size) : ~(mask_of(d.size) >> sh);
            r = (acc & keep) | (sh == bits ? 0 : (x & mask_of(d.size)) >> sh);
            break;
        }
        case 0x0c:                          /* SQSHLU: signed in, unsigned out */
            r = sat_u(env, shl_wide((__int128)(int64_t)get_elt(n, i, d.size, true), sh), d.size);
            break;
        case 0x0e:                          /* SQSHL/UQSHL (immediate) */
            r = sign ? sat_s(env, shl_wide(w, sh), d.size) : sat_u(env, shl_wide(w, sh), d.size);
            break;
        default:                            /* SHL, SLI */
            r = x << sh;
            if (d.u)
                r |= acc & ((1ull << sh) - 1);
            break;
        }
        set_elt(res, i, d.size, r);
    }
    put_result(env, d.rd, res, d.q);
}

/* three different: long and wide forms (the "2" forms read upper halves);
 * on operand arrays, the by-element forms passing a broadcast m */
static void v3diff_core(CPUARMState *env, VDesc d, const uint8_t *n, const uint8_t *m, const uint8_t *old,
                        uint8_t *res)
{
    bool sign = !d.u;
    int half = d.q ? 8 : 0, out = 8 >> d.size;
    bool wide = d.op == 1 || d.op == 3;
    if (d.op == 4 || d.op == 6) {           /* ADDHN/RADDHN, SUBHN/RSUBHN: narrow high halves */
        uint8_t *tmp = res;
        int bits = 8 << d.size;
        for (int i = 0; i < out; i++) {
            uint64_t a = get_elt(n, i, d.size + 1, false), b = get_elt(m, i, d.size + 1, false);
            uint64_t r = d.op == 4 ? a + b : a - b;
            if (d.u)
                r += 1ull << (bits - 1);
            set_elt(tmp + half, i, d.size, r >> bits);
        }
        return;
    }
    for (int i = 0; i < out; i++) {
        uint64_t a = wide ? get_elt(n, i, d.size + 1, false) : get_elt(n + half, i, d.size, sign);
        uint64_t b = get_elt(m + half, i, d.size, sign), acc = get_elt(old, i, d.size + 1, false), r;
        int64_t sa = (int64_t)a, sb = (int64_t)b;
        switch (d.op) {
        case 0: case 1: r = a + b; break;                       /* ADDL, ADDW */
        case 2: case 3: r = a - b; break;                       /* SUBL, SUBW */
        case 5: case 7:                                         /* ABAL, ABDL */
            r = sign ? (uint64_t)(sa > sb ? sa - sb : sb - sa) : (a > b ? a - b : b - a);
            if (d.op == 5)
                r += acc;
            break;
        case 8: r = acc + a * b; break;                         /* MLAL */
        case 10: r = acc - a * b; break;                        /* MLSL */
        case 9: case 11: case 13: {                             /* SQDMLAL, SQDMLSL, SQDMULL */
            uint64_t p = sat_s(env, 2 * (__int128)sa * sb, d.size + 1);
            if (d.op == 13) {
                r = p;
                break;
            }
            int64_t sp = (int64_t)p, sacc = (int64_t)sign_extend(acc, d.size + 1);
            r = sat_s(env, d.op == 9 ? (__int128)sacc + sp : (__int128)sacc - sp, d.size + 1);
            break;
        }
        case 14: r = pmul8(a, b); break;                        /* PMULL (8 to 16 bits) */
        default: r = a * b; break;                              /* MULL */
        }
        set_elt(res, i, d.size + 1, r);
    }
}

void helper_a64_v3diff(CPUARMState *env, uint32_t desc)
{
    VDesc d = vdesc(desc);
    uint8_t res[16];
    const uint8_t *old = (const uint8_t *)env->vregs[d.rd];
    if (d.op == 4 || d.op == 6) {           /* narrowing: only the half written changes */
        memcpy(res, old, 16);
        v3diff_core(env, d, (const uint8_t *)env->vregs[d.rn], (const uint8_t *)env->vregs[d.rm], old, res);
        if (!d.q)
            memset(res + 8, 0, 8);
        memcpy(env->vregs[d.rd], res, 16);
        return;
    }
    if (d.imm & 1) {
        /* scalar SQDMULL/SQDMLAL/SQDMLSL: element 0 of Vn and Vm only (local
         * copies: Vd may be Vn or Vm and is read whole as the accumulator) */
        uint8_t n[16] = { 0 }, m[16] = { 0 };
        set_elt(n, 0, d.size, get_elt((const uint8_t *)env->vregs[d.rn], 0, d.size, false));
        set_elt(m, 0, d.size, get_elt((const uint8_t *)env->vregs[d.rm], 0, d.size, false));
        d.q = 0;
        v3diff_core(env, d, n, m, old, res);
        env->vregs[d.rd][0] = get_elt(res, 0, d.size + 1, false);
        env->vregs[d.rd][1] = 0;
        return;
    }
    v3diff_core(env, d, (const uint8_t *)env->vregs[d.rn], (const uint8_t *)env->vregs[d.rm], old, res);
    put_result(env, d.rd, res, true);
}

/* by element: Vm[index] broadcast, then the three same (MUL, MLA, MLS,
 * SQDMULH, SQRDMULH) or three different (long and SQDM* long) operation.
 * info: index | long << 3 | scalar << 4 (scalar: element 0 of Vn only,
 * the rest of Vd cleared) */
void helper_a64_velem(CPUARMState *env, uint32_t desc, uint32_t info)
{
    VDesc d = vdesc(desc);
    int index = info & 7, out_size = info >> 3 & 1 ? d.size + 1 : d.size;
    bool scalar = info >> 4 & 1;
    uint8_t n[16], m[16], res[16];
    uint64_t x = get_elt((const uint8_t *)env->vregs[d.rm], index, d.size, false);
    memcpy(n, env->vregs[d.rn], 16);
    for (int i = 0; i < (16 >> d.size); i++)
        set_elt(m, i, d.size, x);
    if (scalar) {                           /* zero lanes raise no QC in any of these */
        uint64_t e = get_elt(n, 0, d.size, false);
        memset(n, 0, 16);
        set_elt(n, 0, d.size, e);
    }
    if (info >> 3 & 1)
        v3diff_core(env, d, n, m, (const uint8_t *)env->vregs[d.rd], res);
    else
        v3same_core(env, d, n, m, (const uint8_t *)env->vregs[d.rd], res);
    if (scalar) {
        uint64_t r = get_elt(res, 0, out_size, false);
        env->vregs[d.rd][0] = r;
        env->vregs[d.rd][1] = 0;
        return;
    }
    put_result(env, d.rd, res, (info >> 3 & 1) || d.q);
}

/* permutes: op 1 UZP1, 2 TRN1, 3 ZIP1, 5 UZP2, 6 TRN2, 7 ZIP2; 8 EXT
 * (imm = byte index); 16 + len TBL, 24 + len TBX (rn.. rn+len tables) */
void helper_a64_vperm(CPUARMState *env, uint32_t desc)
{
    VDesc d = vdesc(desc);
    uint8_t n[16], m[16], res[16];
    memcpy(n, env->vregs[d.rn], 16);
    memcpy(m, env->vregs[d.rm], 16);
    int bytes = d.q ? 16 : 8, elements = bytes >> d.size;
    if (d.op >= 16) {
        int len = (d.op & 7) + 1;
        uint8_t table[64];
        for (int t = 0; t < len; t++)
            memcpy(table + 16 * t, env->vregs[(d.rn + t) % 32], 16);
        const uint8_t *old = (const uint8_t *)env->vregs[d.rd];
        for (int i = 0; i < bytes; i++)
            res[i] = m[i] < 16 * len ? table[m[i]] : (d.op >= 24 ? old[i] : 0);
        put_result(env, d.rd, res, d.q);
        return;
    }
    if (d.op == 8) {
        uint8_t cat[32];
        memcpy(cat, n, bytes);
        memcpy(cat + bytes, m, bytes);
        memcpy(res, cat + d.imm, bytes);
        put_result(env, d.rd, res, d.q);
        return;
    }
    int part = d.op >> 2, kind = d.op & 3;
    for (int i = 0; i < elements; i++) {
        uint64_t r;
        if (kind == 1) {                    /* UZP: even (or odd) elements of n:m */
            int j = 2 * i + part;
            r = j < elements ? get_elt(n, j, d.size, false) : get_elt(m, j - elements, d.size, false);
        } else if (kind == 2) {             /* TRN */
            int j = (i & ~1) + part;
            r = i & 1 ? get_elt(m, j, d.size, false) : get_elt(n, j, d.size, false);
        } else {                            /* ZIP: interleave the lower (upper) halves */
            int j = part * elements / 2 + i / 2;
            r = i & 1 ? get_elt(m, j, d.size, false) : get_elt(n, j, d.size, false);
        }
        set_elt(res, i, d.size, r);
    }
    put_result(env, d.rd, res, d.q);
}
