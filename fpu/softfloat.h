/*
 * Guest-neutral IEEE 754 soft-float: float32, float64 and the x87 80-bit
 * extended format (floatx80), written here for kasou's frontends. Every
 * operation takes a FloatStatus that holds the guest's rounding mode, x87
 * precision control, tininess and NaN rules, flush-to-zero/DAZ, and the
 * accumulated exception flags. Results are exact: an operation computes an
 * exact (or exact-plus-sticky) wide intermediate and rounds once.
 * Must stay true: nothing here knows which guest is calling; a guest picks
 * its behaviour through FloatStatus fields only.
 */
#ifndef FPU_SOFTFLOAT_H
#define FPU_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t float32;
typedef uint64_t float64;
/* x87 extended: mant has the explicit integer bit at 63; sign_exp is
 * sign << 15 | biased exponent (bias 16383). Same layout as CPUX86State. */
typedef struct floatx80 {
    uint64_t mant;
    uint16_t sign_exp;
} floatx80;

/* Rounding modes, numbered as x87 FCW.RC and MXCSR.RC. */
enum {
    FLOAT_ROUND_NEAREST_EVEN = 0,
    FLOAT_ROUND_DOWN = 1,
    FLOAT_ROUND_UP = 2,
    FLOAT_ROUND_TO_ZERO = 3,
};

/* Exception flags, in the bit order of the x87 FSW and MXCSR. */
enum {
    FLOAT_FLAG_INVALID = 0x01,
    FLOAT_FLAG_DENORMAL = 0x02,   /* a denormal operand (input) */
    FLOAT_FLAG_DIVBYZERO = 0x04,
    FLOAT_FLAG_OVERFLOW = 0x08,
    FLOAT_FLAG_UNDERFLOW = 0x10,
    FLOAT_FLAG_INEXACT = 0x20,
};

/* Which NaN an operation with NaN operands returns. */
enum {
    FLOAT_NAN_X87 = 0,   /* x87: QNaN over SNaN, else the larger significand; default NaN negative */
    FLOAT_NAN_SSE = 1,   /* SSE: the first NaN operand; default NaN negative */
    FLOAT_NAN_ARM = 2,   /* Arm: first SNaN, then first QNaN; default NaN positive */
};

typedef struct FloatStatus {
    uint8_t rounding_mode;      /* FLOAT_ROUND_* */
    uint8_t x80_precision;      /* floatx80 add/sub/mul/div/sqrt round to 32, 64 or 80 bits (24/53/64-bit significand) */
    uint8_t nan_rule;           /* FLOAT_NAN_* */
    bool tininess_before_rounding; /* Arm: true; x86: false (after rounding) */
    bool default_nan_mode;      /* Arm FPCR.DN: any NaN result is the default NaN */
    bool flush_to_zero;         /* tiny results become zero (MXCSR.FTZ, FPCR.FZ) */
    bool denormals_are_zero;    /* denormal inputs read as zero (MXCSR.DAZ, FPCR.FZ) */
    bool flush_inputs_flag;     /* a flushed input raises FLOAT_FLAG_DENORMAL (Arm IDC; x86 DAZ: no) */
    bool ftz_underflow_only;    /* a flushed result raises underflow only (Arm); x86 FTZ adds inexact */
    bool x87_unmasked_overflow; /* floatx80: overflow gives the result with exponent - 24576 */
    bool x87_unmasked_underflow;/* tiny raises underflow even when exact; floatx80: the result
                                 * with exponent + 24576, not a denormal */
    uint8_t flags;              /* accumulated FLOAT_FLAG_* */
    bool rounded_up;            /* last rounding increased the magnitude (x87 C1) */
} FloatStatus;

/* Negations for float*_muladd. PRODUCT negates a (a NaN a included: Arm's
 * FMSUB/FMLS negate an operand), ADDEND negates c (NaN included), RESULT
 * rounds -(a * b + c) (a NaN result is not negated). */
enum {
    FLOAT_MULADD_NEGATE_PRODUCT = 1,
    FLOAT_MULADD_NEGATE_ADDEND = 2,
    FLOAT_MULADD_NEGATE_RESULT = 4,
};

enum { FLOAT_LESS = -1, FLOAT_EQUAL = 0, FLOAT_GREATER = 1, FLOAT_UNORDERED = 2 };

/* ---- classification ---- */
bool float32_is_nan(float32 a);
bool float32_is_signaling_nan(float32 a);
bool float64_is_nan(float64 a);
bool float64_is_signaling_nan(float64 a);
bool floatx80_is_nan(floatx80 a);
bool floatx80_is_signaling_nan(floatx80 a);
bool floatx80_is_unsupported(floatx80 a);   /* pseudo-NaN, pseudo-infinity, unnormal */
bool floatx80_is_denormal(floatx80 a);      /* exponent 0, significand nonzero (incl. pseudo-denormal) */

floatx80 floatx80_default_nan(const FloatStatus *s);
float32 float32_default_nan(const FloatStatus *s);
float64 float64_default_nan(const FloatStatus *s);

/* ---- arithmetic ---- */
float32 float32_add(float32 a, float32 b, FloatStatus *s);
float32 float32_sub(float32 a, float32 b, FloatStatus *s);
float32 float32_mul(float32 a, float32 b, FloatStatus *s);
float32 float32_div(float32 a, float32 b, FloatStatus *s);
float32 float32_sqrt(float32 a, FloatStatus *s);
float32 float32_rem(float32 a, float32 b, FloatStatus *s);          /* IEEE remainder */
float32 float32_round_to_int(float32 a, FloatStatus *s);
/* a * b + c with one rounding (IEEE 754-2008 fusedMultiplyAdd); neg is a
 * mask of FLOAT_MULADD_* applied to the exact operands before rounding. */
float32 float32_muladd(float32 a, float32 b, float32 c, int neg, FloatStatus *s);

float64 float64_add(float64 a, float64 b, FloatStatus *s);
float64 float64_sub(float64 a, float64 b, FloatStatus *s);
float64 float64_mul(float64 a, float64 b, FloatStatus *s);
float64 float64_div(float64 a, float64 b, FloatStatus *s);
float64 float64_sqrt(float64 a, FloatStatus *s);
float64 float64_rem(float64 a, float64 b, FloatStatus *s);
float64 float64_round_to_int(float64 a, FloatStatus *s);
float64 float64_muladd(float64 a, float64 b, float64 c, int neg, FloatStatus *s);

floatx80 floatx80_add(floatx80 a, floatx80 b, FloatStatus *s);
floatx80 floatx80_sub(floatx80 a, floatx80 b, FloatStatus *s);
floatx80 floatx80_mul(floatx80 a, floatx80 b, FloatStatus *s);
floatx80 floatx80_div(floatx80 a, floatx80 b, FloatStatus *s);
floatx80 floatx80_sqrt(floatx80 a, FloatStatus *s);
floatx80 floatx80_round_to_int(floatx80 a, FloatStatus *s);
/* ST0 rem ST1: ieee = FPREM1 (quotient rounded to nearest), else FPREM
 * (truncated). *partial is set when the exponent difference is 64 or more
 * and only a partial reduction was done (x87 C2); *quotient gets the low
 * bits of the quotient of the reduction done (C0, C3, C1). */
floatx80 floatx80_rem(floatx80 a, floatx80 b, bool ieee, uint64_t *quotient, bool *partial,
                      FloatStatus *s);
floatx80 floatx80_scale(floatx80 a, floatx80 b, FloatStatus *s);    /* FSCALE */

/* ---- comparisons: FLOAT_LESS/EQUAL/GREATER/UNORDERED ---- */
int float32_compare(float32 a, float32 b, bool quiet, FloatStatus *s);
int float64_compare(float64 a, float64 b, bool quiet, FloatStatus *s);
int floatx80_compare(floatx80 a, floatx80 b, bool quiet, FloatStatus *s);

/* ---- conversions (out-of-range and NaN to integer: invalid, and the x86
 * "integer indefinite", the most negative value) ---- */
float32 int32_to_float32(int32_t v, FloatStatus *s);
float32 int64_to_float32(int64_t v, FloatStatus *s);
float64 int32_to_float64(int32_t v, FloatStatus *s);
float64 int64_to_float64(int64_t v, FloatStatus *s);
floatx80 int64_to_floatx80(int64_t v, FloatStatus *s);
int32_t float32_to_int32(float32 a, FloatStatus *s);
int32_t float32_to_int32_round_to_zero(float32 a, FloatStatus *s);
int64_t float32_to_int64(float32 a, FloatStatus *s);
int64_t float32_to_int64_round_to_zero(float32 a, FloatStatus *s);
int32_t float64_to_int32(float64 a, FloatStatus *s);
int32_t float64_to_int32_round_to_zero(float64 a, FloatStatus *s);
int64_t float64_to_int64(float64 a, FloatStatus *s);
int64_t float64_to_int64_round_to_zero(float64 a, FloatStatus *s);
int16_t floatx80_to_int16(floatx80 a, FloatStatus *s);
int16_t floatx80_to_int16_round_to_zero(floatx80 a, FloatStatus *s);
int32_t floatx80_to_int32(floatx80 a, FloatStatus *s);
int32_t floatx80_to_int32_round_to_zero(floatx80 a, FloatStatus *s);
int64_t floatx80_to_int64(floatx80 a, FloatStatus *s);
int64_t floatx80_to_int64_round_to_zero(floatx80 a, FloatStatus *s);

float64 float32_to_float64(float32 a, FloatStatus *s);
float32 float64_to_float32(float64 a, FloatStatus *s);
floatx80 float32_to_floatx80(float32 a, FloatStatus *s);
floatx80 float64_to_floatx80(float64 a, FloatStatus *s);
float32 floatx80_to_float32(floatx80 a, FloatStatus *s);
float64 floatx80_to_float64(floatx80 a, FloatStatus *s);
/* floatx80 rounded to a precision (24/53/64 significand bits) and the
 * extended exponent range: the x87 rounding of a value to PC. */
floatx80 floatx80_round_to_precision(floatx80 a, int bits, FloatStatus *s);

#endif
