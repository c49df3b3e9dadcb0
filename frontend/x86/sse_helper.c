/*
 * MMX and SSE..SSE4.2 integer and data-movement helpers, plus LDMXCSR
 * and CRC32 (the FXSAVE image is in xsave_helper.c). Operands come as
 * env offsets (see sse_helpers.def): one routine serves the 8-byte MMX and
 * the 16-byte XMM form, the width being in aux. Lane-wise operations may
 * write the destination while reading it (D and S can be one register);
 * anything that moves data across lanes builds its result in a local first.
 * The hot simple operations are inline IR in translate-sse.c instead.
 */
#include <string.h>

#include "frontend/x86/helpers.h"
#include "frontend/x86/sse.h"
#include "softmmu/tlb.h"

#define ENVP(env, off) ((void *)((char *)(env) + (off)))

static inline int8_t sat_s8(int v) { return v > 127 ? 127 : v < -128 ? -128 : (int8_t)v; }
static inline uint8_t sat_u8(int v) { return v > 255 ? 255 : v < 0 ? 0 : (uint8_t)v; }
static inline int16_t sat_s16(int v) { return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v; }
static inline uint16_t sat_u16(int v) { return v > 65535 ? 65535 : v < 0 ? 0 : (uint16_t)v; }

/* lane-wise: D[i] = expr(a = D[i], b = S[i]) */
#define LANE_OP(name, T, expr)                                              \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux) \
{                                                                           \
    T *D = ENVP(env, d);                                                    \
    const T *S = ENVP(env, s);                                              \
    int n = (int)(SSE_AUX_WIDTH(aux) / sizeof(T));                          \
    for (int i = 0; i < n; i++) {                                           \
        T a = D[i], b = S[i];                                               \
        (void)a;                                                            \
        D[i] = (T)(expr);                                                   \
    }                                                                       \
}

LANE_OP(paddb, uint8_t, a + b)
LANE_OP(paddw, uint16_t, a + b)
LANE_OP(paddd, uint32_t, a + b)
LANE_OP(paddq, uint64_t, a + b)
LANE_OP(psubb, uint8_t, a - b)
LANE_OP(psubw, uint16_t, a - b)
LANE_OP(psubd, uint32_t, a - b)
LANE_OP(psubq, uint64_t, a - b)
LANE_OP(paddsb, int8_t, sat_s8(a + b))
LANE_OP(paddsw, int16_t, sat_s16(a + b))
LANE_OP(paddusb, uint8_t, sat_u8(a + b))
LANE_OP(paddusw, uint16_t, sat_u16(a + b))
LANE_OP(psubsb, int8_t, sat_s8(a - b))
LANE_OP(psubsw, int16_t, sat_s16(a - b))
LANE_OP(psubusb, uint8_t, sat_u8(a - b))
LANE_OP(psubusw, uint16_t, sat_u16(a - b))
LANE_OP(pcmpeqb, uint8_t, a == b ? 0xff : 0)
LANE_OP(pcmpeqw, uint16_t, a == b ? 0xffff : 0)
LANE_OP(pcmpeqd, uint32_t, a == b ? 0xffffffffu : 0)
LANE_OP(pcmpeqq, uint64_t, a == b ? ~0ull : 0)
LANE_OP(pcmpgtb, int8_t, a > b ? -1 : 0)
LANE_OP(pcmpgtw, int16_t, a > b ? -1 : 0)
LANE_OP(pcmpgtd, int32_t, a > b ? -1 : 0)
LANE_OP(pcmpgtq, int64_t, a > b ? -1 : 0)
LANE_OP(pminub, uint8_t, a < b ? a : b)
LANE_OP(pmaxub, uint8_t, a > b ? a : b)
LANE_OP(pminsw, int16_t, a < b ? a : b)
LANE_OP(pmaxsw, int16_t, a > b ? a : b)
LANE_OP(pminsb, int8_t, a < b ? a : b)
LANE_OP(pminsd, int32_t, a < b ? a : b)
LANE_OP(pminuw, uint16_t, a < b ? a : b)
LANE_OP(pminud, uint32_t, a < b ? a : b)
LANE_OP(pmaxsb, int8_t, a > b ? a : b)
LANE_OP(pmaxsd, int32_t, a > b ? a : b)
LANE_OP(pmaxuw, uint16_t, a > b ? a : b)
LANE_OP(pmaxud, uint32_t, a > b ? a : b)
LANE_OP(pavgb, uint8_t, (a + b + 1) >> 1)
LANE_OP(pavgw, uint16_t, (a + b + 1) >> 1)
LANE_OP(pmullw, uint16_t, (uint32_t)a * b)
LANE_OP(pmulhw, int16_t, ((int32_t)a * b) >> 16)
LANE_OP(pmulhuw, uint16_t, ((uint32_t)a * b) >> 16)
LANE_OP(pmulld, uint32_t, a * b)
LANE_OP(pmulhrsw, int16_t, ((((int32_t)a * b) >> 14) + 1) >> 1)
LANE_OP(psignb, int8_t, b < 0 ? -a : b == 0 ? 0 : a)
LANE_OP(psignw, int16_t, b < 0 ? -a : b == 0 ? 0 : a)
LANE_OP(psignd, int32_t, b < 0 ? 0u - (uint32_t)a : b == 0 ? 0u : (uint32_t)a)
LANE_OP(pabsb, int8_t, b < 0 ? -b : b)
LANE_OP(pabsw, int16_t, b < 0 ? -b : b)
LANE_OP(pabsd, int32_t, b < 0 ? 0u - (uint32_t)b : (uint32_t)b)

/* even 32-bit lanes multiplied to 64 bits */
void helper_pmuludq(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint64_t *D = ENVP(env, d);
    const uint64_t *S = ENVP(env, s);
    for (int i = 0; i < (int)SSE_AUX_WIDTH(aux) / 8; i++) {
        D[i] = (uint64_t)(uint32_t)D[i] * (uint32_t)S[i];
    }
}

void helper_pmuldq(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    int64_t *D = ENVP(env, d);
    const int64_t *S = ENVP(env, s);
    for (int i = 0; i < (int)SSE_AUX_WIDTH(aux) / 8; i++) {
        D[i] = (int64_t)(int32_t)D[i] * (int32_t)S[i];
    }
}

void helper_pmaddwd(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    int16_t *D = ENVP(env, d);
    const int16_t *S = ENVP(env, s);
    int32_t r[4];
    int n = (int)SSE_AUX_WIDTH(aux) / 4;
    for (int i = 0; i < n; i++) {
        r[i] = (int32_t)((uint32_t)(D[2 * i] * S[2 * i]) + (uint32_t)(D[2 * i + 1] * S[2 * i + 1]));
    }
    memcpy(D, r, n * 4);
}

void helper_pmaddubsw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint8_t *D = ENVP(env, d);
    const int8_t *S = ENVP(env, s);
    int16_t r[8];
    int n = (int)SSE_AUX_WIDTH(aux) / 2;
    for (int i = 0; i < n; i++) {
        r[i] = sat_s16(D[2 * i] * S[2 * i] + D[2 * i + 1] * S[2 * i + 1]);
    }
    memcpy(D, r, n * 2);
}

void helper_psadbw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint8_t *D = ENVP(env, d);
    const uint8_t *S = ENVP(env, s);
    uint64_t r[2];
    int n = (int)SSE_AUX_WIDTH(aux) / 8;
    for (int i = 0; i < n; i++) {
        unsigned sum = 0;
        for (int k = 0; k < 8; k++) {
            int t = D[8 * i + k] - S[8 * i + k];
            sum += (unsigned)(t < 0 ? -t : t);
        }
        r[i] = sum;
    }
    memcpy(D, r, n * 8);
}

/* horizontal add/sub: pairs of D, then pairs of S */
#define HORIZ_OP(name, T, expr)                                             \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux) \
{                                                                           \
    T *D = ENVP(env, d);                                                    \
    const T *S = ENVP(env, s);                                              \
    T r[16 / sizeof(T)];                                                    \
    int n = (int)(SSE_AUX_WIDTH(aux) / sizeof(T)), h = n / 2;               \
    for (int i = 0; i < h; i++) {                                           \
        T a = D[2 * i], b = D[2 * i + 1];                                   \
        r[i] = (T)(expr);                                                   \
        a = S[2 * i], b = S[2 * i + 1];                                     \
        r[h + i] = (T)(expr);                                               \
    }                                                                       \
    memcpy(D, r, n * sizeof(T));                                            \
}
HORIZ_OP(phaddw, uint16_t, a + b)
HORIZ_OP(phaddd, uint32_t, a + b)
HORIZ_OP(phaddsw, int16_t, sat_s16(a + b))
HORIZ_OP(phsubw, uint16_t, a - b)
HORIZ_OP(phsubd, uint32_t, a - b)
HORIZ_OP(phsubsw, int16_t, sat_s16(a - b))

void helper_pshufb(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint8_t *D = ENVP(env, d);
    const uint8_t *S = ENVP(env, s);
    uint8_t r[16];
    int n = (int)SSE_AUX_WIDTH(aux);
    for (int i = 0; i < n; i++) {
        r[i] = (S[i] & 0x80) ? 0 : D[S[i] & (n - 1)];
    }
    memcpy(D, r, n);
}

/* packs: saturated halves of D, then of S */
#define PACK_OP(name, TI, TO, sat)                                          \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux) \
{                                                                           \
    TI *D = ENVP(env, d);                                                   \
    const TI *S = ENVP(env, s);                                             \
    TO r[16 / sizeof(TO)];                                                  \
    int n = (int)(SSE_AUX_WIDTH(aux) / sizeof(TI));                         \
    for (int i = 0; i < n; i++) {                                           \
        r[i] = sat(D[i]);                                                   \
        r[n + i] = sat(S[i]);                                               \
    }                                                                       \
    memcpy(D, r, SSE_AUX_WIDTH(aux));                                       \
}
PACK_OP(packsswb, int16_t, int8_t, sat_s8)
PACK_OP(packssdw, int32_t, int16_t, sat_s16)
PACK_OP(packuswb, int16_t, uint8_t, sat_u8)
PACK_OP(packusdw, int32_t, uint16_t, sat_u16)

/* interleave the low (hi = 0) or high halves of D and S */
#define UNPACK_OP(name, T, hi)                                              \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux) \
{                                                                           \
    T *D = ENVP(env, d);                                                    \
    const T *S = ENVP(env, s);                                              \
    T r[16 / sizeof(T)];                                                    \
    int n = (int)(SSE_AUX_WIDTH(aux) / sizeof(T)), h = n / 2;               \
    for (int i = 0; i < h; i++) {                                           \
        r[2 * i] = D[(hi) * h + i];                                         \
        r[2 * i + 1] = S[(hi) * h + i];                                     \
    }                                                                       \
    memcpy(D, r, n * sizeof(T));                                            \
}
UNPACK_OP(punpcklbw, uint8_t, 0)
UNPACK_OP(punpcklwd, uint16_t, 0)
UNPACK_OP(punpckldq, uint32_t, 0)
UNPACK_OP(punpcklqdq, uint64_t, 0)
UNPACK_OP(punpckhbw, uint8_t, 1)
UNPACK_OP(punpckhwd, uint16_t, 1)
UNPACK_OP(punpckhdq, uint32_t, 1)
UNPACK_OP(punpckhqdq, uint64_t, 1)

void helper_pshufw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint16_t *D = ENVP(env, d), r[4];
    const uint16_t *S = ENVP(env, s);
    for (int i = 0; i < 4; i++) {
        r[i] = S[(aux >> (2 * i)) & 3];
    }
    memcpy(D, r, 8);
}

void helper_pshufd(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint32_t *D = ENVP(env, d), r[4];
    const uint32_t *S = ENVP(env, s);
    for (int i = 0; i < 4; i++) {
        r[i] = S[(aux >> (2 * i)) & 3];
    }
    memcpy(D, r, 16);
}

void helper_pshuflw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint16_t *D = ENVP(env, d), r[8];
    const uint16_t *S = ENVP(env, s);
    for (int i = 0; i < 4; i++) {
        r[i] = S[(aux >> (2 * i)) & 3];
        r[4 + i] = S[4 + i];
    }
    memcpy(D, r, 16);
}

void helper_pshufhw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint16_t *D = ENVP(env, d), r[8];
    const uint16_t *S = ENVP(env, s);
    for (int i = 0; i < 4; i++) {
        r[i] = S[i];
        r[4 + i] = S[4 + ((aux >> (2 * i)) & 3)];
    }
    memcpy(D, r, 16);
}

/* shift counts: the low 64 bits of the source, or the immediate */
static uint64_t shift_count(CPUX86State *env, uint32_t s, uint32_t aux)
{
    if (aux & SSE_AUX_IMM_COUNT) {
        return aux & 0xff;
    }
    return *(const uint64_t *)ENVP(env, s);
}

#define SHIFT_OP(name, T, ST, op)                                           \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux) \
{                                                                           \
    T *D = ENVP(env, d);                                                    \
    uint64_t c = shift_count(env, s, aux);                                  \
    int bits = 8 * sizeof(T), n = (int)(SSE_AUX_WIDTH(aux) / sizeof(T));    \
    for (int i = 0; i < n; i++) {                                           \
        op;                                                                 \
    }                                                                       \
}
SHIFT_OP(psrlw, uint16_t, int16_t, D[i] = c >= (uint64_t)bits ? 0 : D[i] >> c)
SHIFT_OP(psrld, uint32_t, int32_t, D[i] = c >= (uint64_t)bits ? 0 : D[i] >> c)
SHIFT_OP(psrlq, uint64_t, int64_t, D[i] = c >= (uint64_t)bits ? 0 : D[i] >> c)
SHIFT_OP(psllw, uint16_t, int16_t, D[i] = c >= (uint64_t)bits ? 0 : (uint16_t)(D[i] << c))
SHIFT_OP(pslld, uint32_t, int32_t, D[i] = c >= (uint64_t)bits ? 0 : D[i] << c)
SHIFT_OP(psllq, uint64_t, int64_t, D[i] = c >= (uint64_t)bits ? 0 : D[i] << c)
SHIFT_OP(psraw, uint16_t, int16_t, D[i] = (uint16_t)((int16_t)D[i] >> (c >= (uint64_t)bits ? bits - 1 : (int)c)))
SHIFT_OP(psrad, uint32_t, int32_t, D[i] = (uint32_t)((int32_t)D[i] >> (c >= (uint64_t)bits ? bits - 1 : (int)c)))

void helper_psrldq(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint8_t *D = ENVP(env, d), r[16];
    unsigned c = aux & 0xff;
    for (unsigned i = 0; i < 16; i++) {
        r[i] = i + c < 16 ? D[i + c] : 0;
    }
    memcpy(D, r, 16);
}

void helper_pslldq(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint8_t *D = ENVP(env, d), r[16];
    unsigned c = aux & 0xff;
    for (unsigned i = 0; i < 16; i++) {
        r[i] = i >= c ? D[i - c] : 0;
    }
    memcpy(D, r, 16);
}

/* (D:S) >> imm bytes */
void helper_palignr(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint8_t *D = ENVP(env, d), cat[32], r[16];
    int n = (int)SSE_AUX_WIDTH(aux);
    unsigned c = aux & 0xff;
    memcpy(cat, ENVP(env, s), n);
    memcpy(cat + n, D, n);
    for (int i = 0; i < n; i++) {
        r[i] = i + c < 2u * n ? cat[i + c] : 0;
    }
    memcpy(D, r, n);
}

/* variable blends: the mask is XMM0 */
void helper_pblendvb(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint8_t *D = ENVP(env, d);
    const uint8_t *S = ENVP(env, s);
    for (int i = 0; i < 16; i++) {
        if (env->xmm_regs[0].b[i] & 0x80) {
            D[i] = S[i];
        }
    }
}

void helper_blendvps(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint32_t *D = ENVP(env, d);
    const uint32_t *S = ENVP(env, s);
    for (int i = 0; i < 4; i++) {
        if (env->xmm_regs[0].l[i] >> 31) {
            D[i] = S[i];
        }
    }
}

void helper_blendvpd(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint64_t *D = ENVP(env, d);
    const uint64_t *S = ENVP(env, s);
    for (int i = 0; i < 2; i++) {
        if (env->xmm_regs[0].q[i] >> 63) {
            D[i] = S[i];
        }
    }
}

#define BLEND_IMM(name, T)                                                  \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux) \
{                                                                           \
    T *D = ENVP(env, d);                                                    \
    const T *S = ENVP(env, s);                                              \
    for (int i = 0; i < (int)(16 / sizeof(T)); i++) {                       \
        if ((aux >> i) & 1) {                                               \
            D[i] = S[i];                                                    \
        }                                                                   \
    }                                                                       \
}
BLEND_IMM(blendps, uint32_t)
BLEND_IMM(blendpd, uint64_t)
BLEND_IMM(pblendw, uint16_t)

#define PMOVX(name, TI, TO)                                                 \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux) \
{                                                                           \
    TO r[16 / sizeof(TO)];                                                  \
    const TI *S = ENVP(env, s);                                             \
    for (int i = 0; i < (int)(16 / sizeof(TO)); i++) {                      \
        r[i] = (TO)S[i];                                                    \
    }                                                                       \
    memcpy(ENVP(env, d), r, 16);                                            \
}
PMOVX(pmovsxbw, int8_t, int16_t)
PMOVX(pmovsxbd, int8_t, int32_t)
PMOVX(pmovsxbq, int8_t, int64_t)
PMOVX(pmovsxwd, int16_t, int32_t)
PMOVX(pmovsxwq, int16_t, int64_t)
PMOVX(pmovsxdq, int32_t, int64_t)
PMOVX(pmovzxbw, uint8_t, uint16_t)
PMOVX(pmovzxbd, uint8_t, uint32_t)
PMOVX(pmovzxbq, uint8_t, uint64_t)
PMOVX(pmovzxwd, uint16_t, uint32_t)
PMOVX(pmovzxwq, uint16_t, uint64_t)
PMOVX(pmovzxdq, uint32_t, uint64_t)

void helper_phminposuw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    const uint16_t *S = ENVP(env, s);
    uint16_t r[8] = { 0 };
    int idx = 0;
    for (int i = 1; i < 8; i++) {
        if (S[i] < S[idx]) {
            idx = i;
        }
    }
    r[0] = S[idx];
    r[1] = (uint16_t)idx;
    memcpy(ENVP(env, d), r, 16);
}

void helper_mpsadbw(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    const uint8_t *D = ENVP(env, d), *S = ENVP(env, s);
    int a = ((aux >> 2) & 1) * 4, b = (aux & 3) * 4;
    uint16_t r[8];
    for (int i = 0; i < 8; i++) {
        int sum = 0;
        for (int k = 0; k < 4; k++) {
            int t = D[a + i + k] - S[b + k];
            sum += t < 0 ? -t : t;
        }
        r[i] = (uint16_t)sum;
    }
    memcpy(ENVP(env, d), r, 16);
}

void helper_shufps(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint32_t *D = ENVP(env, d), r[4];
    const uint32_t *S = ENVP(env, s);
    r[0] = D[aux & 3];
    r[1] = D[(aux >> 2) & 3];
    r[2] = S[(aux >> 4) & 3];
    r[3] = S[(aux >> 6) & 3];
    memcpy(D, r, 16);
}

void helper_shufpd(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint64_t *D = ENVP(env, d), r[2];
    const uint64_t *S = ENVP(env, s);
    r[0] = D[aux & 1];
    r[1] = S[(aux >> 1) & 1];
    memcpy(D, r, 16);
}

void helper_movsldup(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    const uint32_t *S = ENVP(env, s);
    uint32_t r[4] = { S[0], S[0], S[2], S[2] };
    memcpy(ENVP(env, d), r, 16);
}

void helper_movshdup(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    const uint32_t *S = ENVP(env, s);
    uint32_t r[4] = { S[1], S[1], S[3], S[3] };
    memcpy(ENVP(env, d), r, 16);
}

void helper_movddup(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    const uint64_t *S = ENVP(env, s);
    uint64_t r[2] = { S[0], S[0] };
    memcpy(ENVP(env, d), r, 16);
}

/* imm: [7:6] source element (register form), [5:4] destination, [3:0] zero mask */
void helper_insertps(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    uint32_t *D = ENVP(env, d);
    const uint32_t *S = ENVP(env, s);
    uint32_t v = (aux & SSE_AUX_MEM) ? S[0] : S[(aux >> 6) & 3];
    D[(aux >> 4) & 3] = v;
    for (int i = 0; i < 4; i++) {
        if ((aux >> i) & 1) {
            D[i] = 0;
        }
    }
}

uint32_t helper_pmovmskb(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    const uint8_t *S = ENVP(env, s);
    uint32_t r = 0;
    for (int i = 0; i < (int)SSE_AUX_WIDTH(aux); i++) {
        r |= (uint32_t)(S[i] >> 7) << i;
    }
    return r;
}

uint32_t helper_movmskps(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    const uint32_t *S = ENVP(env, s);
    return (S[0] >> 31) | (S[1] >> 31) << 1 | (S[2] >> 31) << 2 | (S[3] >> 31) << 3;
}

uint32_t helper_movmskpd(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    const uint64_t *S = ENVP(env, s);
    return (uint32_t)((S[0] >> 63) | (S[1] >> 63) << 1);
}

uint32_t helper_ptest(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    const uint64_t *D = ENVP(env, d), *S = ENVP(env, s);
    uint32_t f = 0;
    if (!((D[0] & S[0]) | (D[1] & S[1]))) {
        f |= CC_Z;
    }
    if (!((~D[0] & S[0]) | (~D[1] & S[1]))) {
        f |= CC_C;
    }
    return f;
}

/* ---- PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (SDM vol. 2, 4.1) ---- */
static int pcmp_elem(const uint8_t *v, int i, int fmt)
{
    switch (fmt) {
    case 0: return v[i];
    case 1: return ((const uint16_t *)v)[i];
    case 2: return (int8_t)v[i];
    default: return ((const int16_t *)v)[i];
    }
}

static int pcmp_implicit_len(const uint8_t *v, int n, int fmt)
{
    int i = 0;
    while (i < n && pcmp_elem(v, i, fmt) != 0) {
        i++;
    }
    return i;
}

static int pcmp_explicit_len(CPUX86State *env, int reg, int n, bool wide)
{
    int64_t v = wide ? (int64_t)env->regs[reg] : (int64_t)(int32_t)env->regs[reg];
    uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v;
    return a > (uint64_t)n ? n : (int)a;
}

/* IntRes2 for imm and the lengths; fills *flags */
static uint32_t pcmp_core(CPUX86State *env, uint32_t d, uint32_t s, uint32_t imm,
                          int la, int lb, uint32_t *flags)
{
    const uint8_t *A = ENVP(env, d), *B = ENVP(env, s);
    int fmt = imm & 3, n = (imm & 1) ? 8 : 16, agg = (imm >> 2) & 3;
    uint32_t res = 0;
    for (int j = 0; j < n; j++) {
        bool r = false;
        switch (agg) {
        case 0: /* equal any */
            for (int i = 0; i < la && !r; i++) {
                r = j < lb && pcmp_elem(A, i, fmt) == pcmp_elem(B, j, fmt);
            }
            break;
        case 1: /* ranges: pairs of A */
            for (int i = 0; i + 1 < n && !r; i += 2) {
                if (j < lb && i < la && i + 1 < la) {
                    int bj = pcmp_elem(B, j, fmt);
                    r = bj >= pcmp_elem(A, i, fmt) && bj <= pcmp_elem(A, i + 1, fmt);
                } else if (j < lb && i < la) {
                    /* the upper bound is invalid: forced false */
                    r = false;
                }
            }
            break;
        case 2: /* equal each */
            if (j >= la && j >= lb) {
                r = true;
            } else if (j >= la || j >= lb) {
                r = false;
            } else {
                r = pcmp_elem(A, j, fmt) == pcmp_elem(B, j, fmt);
            }
            break;
        default: /* equal ordered: A is a substring of B at j */
            r = true;
            for (int k = 0; k < n - j && r; k++) {
                if (k >= la) {
                    break;          /* the rest of A is invalid: true */
                }
                if (j + k >= lb) {
                    r = false;
                } else {
                    r = pcmp_elem(A, k, fmt) == pcmp_elem(B, j + k, fmt);
                }
            }
            break;
        }
        res |= (uint32_t)r << j;
    }
    uint32_t mask = (1u << n) - 1;
    switch ((imm >> 4) & 3) {
    case 1: res ^= mask; break;
    case 3: res ^= (1u << lb) - 1; break;    /* only the valid elements of B */
    default: break;
    }
    *flags = (res ? CC_C : 0) | (lb < n ? CC_Z : 0) | (la < n ? CC_S : 0) | ((res & 1) ? CC_O : 0);
    return res;
}

static uint32_t pcmp_index(CPUX86State *env, uint32_t res, uint32_t imm)
{
    int n = (imm & 1) ? 8 : 16;
    if (!res) {
        return (uint32_t)n;
    }
    return (imm & 0x40) ? 31u - (uint32_t)__builtin_clz(res) : (uint32_t)__builtin_ctz(res);
}

static void pcmp_mask(CPUX86State *env, uint32_t res, uint32_t imm)
{
    X86XMMReg r = { .q = { 0, 0 } };
    if (imm & 0x40) {
        for (int i = 0; i < ((imm & 1) ? 8 : 16); i++) {
            if ((res >> i) & 1) {
                if (imm & 1) {
                    r.w[i] = 0xffff;
                } else {
                    r.b[i] = 0xff;
                }
            }
        }
    } else {
        r.q[0] = res;
    }
    env->xmm_regs[0] = r;
}

static void pcmp_lengths(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux, bool explicit_len,
                         int *la, int *lb)
{
    int n = (aux & 1) ? 8 : 16, fmt = aux & 3;
    if (explicit_len) {
        *la = pcmp_explicit_len(env, R_EAX, n, aux & SSE_AUX_REXW);
        *lb = pcmp_explicit_len(env, R_EDX, n, aux & SSE_AUX_REXW);
    } else {
        *la = pcmp_implicit_len(ENVP(env, d), n, fmt);
        *lb = pcmp_implicit_len(ENVP(env, s), n, fmt);
    }
}

uint32_t helper_pcmpestri(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    int la, lb;
    uint32_t f;
    pcmp_lengths(env, d, s, aux, true, &la, &lb);
    env->regs[R_ECX] = pcmp_index(env, pcmp_core(env, d, s, aux & 0xff, la, lb, &f), aux);
    return f;
}

uint32_t helper_pcmpistri(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    int la, lb;
    uint32_t f;
    pcmp_lengths(env, d, s, aux, false, &la, &lb);
    env->regs[R_ECX] = pcmp_index(env, pcmp_core(env, d, s, aux & 0xff, la, lb, &f), aux);
    return f;
}

uint32_t helper_pcmpestrm(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    int la, lb;
    uint32_t f;
    pcmp_lengths(env, d, s, aux, true, &la, &lb);
    pcmp_mask(env, pcmp_core(env, d, s, aux & 0xff, la, lb, &f), aux);
    return f;
}

uint32_t helper_pcmpistrm(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)
{
    int la, lb;
    uint32_t f;
    pcmp_lengths(env, d, s, aux, false, &la, &lb);
    pcmp_mask(env, pcmp_core(env, d, s, aux & 0xff, la, lb, &f), aux);
    return f;
}

/* CRC-32C (Castagnoli), bit-reflected, as the SSE4.2 instruction */
uint32_t helper_crc32(uint32_t crc, uint64_t val, uint32_t bytes)
{
    for (uint32_t i = 0; i < bytes; i++) {
        crc ^= (val >> (8 * i)) & 0xff;
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0x82f63b78u & -(crc & 1));
        }
    }
    return crc;
}

/* MASKMOVQ / MASKMOVDQU: bytes of data whose mask byte has bit 7 set go to
 * DS:(E)DI, one byte at a time (a fault leaves earlier bytes written, as
 * the manual allows for this non-temporal store). */
void helper_maskmov(CPUX86State *env, uint32_t d, uint32_t s, uint32_t bytes, uint64_t addr)
{
    const uint8_t *D = ENVP(env, d), *S = ENVP(env, s);
    uintptr_t ra = GETPC();
    for (uint32_t i = 0; i < bytes; i++) {
        if (S[i] & 0x80) {
            cpu_st_mmu(env_cpu(env), addr + i, D[i], MO_8, x86_mmu_index(env), ra);
        }
    }
}

/* ---- LDMXCSR (FXSAVE/FXRSTOR: xsave_helper.c) ---- */
void helper_ldmxcsr(CPUX86State *env, uint32_t val)
{
    if (val & ~X86_MXCSR_MASK) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    }
    env->mxcsr = val;
}
