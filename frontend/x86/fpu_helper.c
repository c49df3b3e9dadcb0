/*
 * x87 FPU helpers: every x87 instruction's semantics on CPUX86State, with
 * the arithmetic done by fpu/ (soft-float, exact in every rounding mode and
 * precision). ST(i) is resolved at run time from fpstt.
 * What must stay true:
 * - a waiting instruction first delivers a pending unmasked exception
 *   (#MF when CR0.NE=1; with NE=0 it asserts FERR#, which the board
 *   routes, the PC to IRQ13: fpu_check_pending);
 * - an unmasked invalid, denormal or divide-by-zero exception leaves the
 *   destination and the stack unchanged and reports only itself (SDM vol. 1
 *   8.5), except that compares still set C0/C2/C3 (or EFLAGS) and FLD of a
 *   denormal still loads; an unmasked overflow or underflow gives a register
 *   the result with its exponent wrapped by 24576 (fpu/ does that) and
 *   leaves a memory destination and the stack alone, as the host CPU does;
 * - memory is accessed with GETPC() so a fault restores the instruction.
 * Transcendentals use the C library's long double functions (the x87
 * 80-bit format on the x86-64 host kasou runs on), rounded to FCW.PC.
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "fpu/softfloat.h"
#include "frontend/x86/cpu.h"
#include "frontend/x86/fpu_helper.h"
#include "frontend/x86/helpers.h"
#include "softmmu/tlb.h"

_Static_assert(LDBL_MANT_DIG == 64, "transcendentals need the x87 long double");

#define FSW_IE 0x0001u
#define FSW_DE 0x0002u
#define FSW_ZE 0x0004u
#define FSW_SF 0x0040u
#define FSW_ES 0x0080u
#define FSW_C0 0x0100u
#define FSW_C1 0x0200u
#define FSW_C2 0x0400u
#define FSW_C3 0x4000u
#define FSW_B  0x8000u
#define FSW_CC (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)

/* ---------------- state access ---------------- */

static floatx80 st_get(CPUX86State *env, int i)
{
    X86FPReg *r = &env->fpregs[(env->fpstt + i) & 7];
    return (floatx80){ r->f.mant, r->f.sign_exp };
}

static void st_set(CPUX86State *env, int i, floatx80 v)
{
    int p = (env->fpstt + i) & 7;
    env->fpregs[p].f.mant = v.mant;
    env->fpregs[p].f.sign_exp = v.sign_exp;
    env->fptags[p] = 0;
}

static bool st_empty(CPUX86State *env, int i) { return env->fptags[(env->fpstt + i) & 7]; }

static void fpop(CPUX86State *env)
{
    env->fptags[env->fpstt & 7] = 1;
    env->fpstt = (env->fpstt + 1) & 7;
}

/* Built field by field in the caller's frame (always inlined): returning
 * the small struct by value cost a store-forwarding stall per helper. */
static inline __attribute__((always_inline)) FloatStatus fpu_status(CPUX86State *env)
{
    FloatStatus s;
    unsigned cw = env->fpuc, pc = (cw >> 8) & 3;
    memset(&s, 0, sizeof(s));
    s.rounding_mode = (uint8_t)((cw >> 10) & 3);
    s.x80_precision = pc == 0 ? 32 : pc == 2 ? 64 : 80;
    s.nan_rule = FLOAT_NAN_X87;
    s.x87_unmasked_overflow = !(cw & 0x08);
    s.x87_unmasked_underflow = !(cw & 0x10);
    return s;
}

/* Record flags in FSW; ES and B when one is unmasked. */
static void fpu_set_flags(CPUX86State *env, unsigned flags)
{
    env->fpus |= flags & 0x7f;
    if (flags & ~env->fpuc & 0x3f)
        env->fpus |= FSW_ES | FSW_B;
}

/* True if the flags hold an unmasked pre-computation exception (IE, DE,
 * ZE): the instruction must then change neither destination nor stack. */
static bool fpu_unmasked_pre(CPUX86State *env, unsigned flags)
{
    return (flags & ~env->fpuc & (FSW_IE | FSW_DE | FSW_ZE)) != 0;
}

/* Commit a FloatStatus: flags, and C1 = rounded up (cleared otherwise). */
static bool fpu_commit(CPUX86State *env, const FloatStatus *s)
{
    env->fpus &= ~FSW_C1;
    if (fpu_unmasked_pre(env, s->flags)) {
        /* the operation is not carried out: no post-computation flags */
        fpu_set_flags(env, s->flags & (FSW_IE | FSW_DE | FSW_ZE));
        return false;
    }
    if ((s->flags & FLOAT_FLAG_INEXACT) && s->rounded_up)
        env->fpus |= FSW_C1;
    fpu_set_flags(env, s->flags);
    return true;
}

/* Stack underflow (an empty source) or overflow (push onto a full
 * register): IE + SF, C1 = overflow. Returns true when masked (the
 * instruction then writes the indefinite QNaN). */
static bool fpu_stack_fault(CPUX86State *env, bool overflow)
{
    env->fpus &= ~FSW_C1;
    if (overflow)
        env->fpus |= FSW_C1;
    fpu_set_flags(env, FSW_IE | FSW_SF);
    return env->fpuc & FSW_IE;
}

static floatx80 fpu_indefinite(void) { return (floatx80){ 0xc000000000000000ull, 0xffff }; }

/* Push v; false (nothing pushed) on an unmasked stack overflow. */
static bool fpu_push(CPUX86State *env, floatx80 v)
{
    int top = (env->fpstt - 1) & 7;
    if (!env->fptags[top]) {
        if (!fpu_stack_fault(env, true))
            return false;
        v = fpu_indefinite();
    }
    env->fpstt = top;
    st_set(env, 0, v);
    return true;
}

/* ---------------- #MF and WAIT ---------------- */

/* FERR# follows FSW.ES down: FNCLEX, FNINIT, FLDCW, FLDENV, FRSTOR (and,
 * lazily at the next waiting instruction, FXRSTOR) deassert it; the PC
 * chipset then drops IGNNE#. */
static void fpu_ferr_update(CPUX86State *env)
{
    if (env->ferr && !(env->fpus & FSW_ES)) {
        env->ferr = false;
        if (env->set_ferr)
            env->set_ferr(env->ferr_opaque, 0);
    }
}

/* Before a waiting instruction: a pending unmasked exception is #MF with
 * CR0.NE = 1. With NE = 0 (MS-DOS compatibility, SDM vol. 1 8.7.1 and
 * D.2) the CPU asserts FERR# here (the deferred form the SDM allows) and
 * freezes until the interrupt the board makes of it is taken: if that
 * interrupt is now deliverable the instruction restarts after it, else
 * it runs (a real CPU would wait forever). With IGNNE# asserted, or FERR#
 * already asserted, the instruction ignores the exception. */
static void fpu_check_pending(CPUX86State *env, uintptr_t ra)
{
    if (env->ferr)
        fpu_ferr_update(env);
    if (!(env->fpus & FSW_ES))
        return;
    if (env->cr[0] & X86_CR0_NE)
        x86_raise_exception_ra(env, EXCP10_COPR, ra);
    if (env->ferr || env->ignne || !env->set_ferr)
        return;
    CPUState *cs = env_cpu(env);
    env->ferr = true;
    if (cpu_log_enabled(cs, LOG_TRAP))
        cpu_log(cs, "trap: %08" PRIx64 ": x87 exception pending (FSW=%04x) with CR0.NE=0: "
                "FERR# asserted\n", env->segs[R_CS].base + env->eip, env->fpus);
    env->set_ferr(env->ferr_opaque, 1);
    if ((cs->interrupt_request & CPU_INTERRUPT_HARD) && (env->eflags & IF_MASK))
        cpu_loop_exit_restore(cs, ra);
}

void helper_fwait(CPUX86State *env)
{
    fpu_check_pending(env, GETPC());
}

/* ---------------- memory operands ---------------- */

static uint64_t ld(CPUX86State *env, uint64_t addr, MemOp mop, uintptr_t ra)
{
    return cpu_ld_mmu(env_cpu(env), addr, mop, x86_mmu_index(env), ra);
}

static void st(CPUX86State *env, uint64_t addr, uint64_t v, MemOp mop, uintptr_t ra)
{
    cpu_st_mmu(env_cpu(env), addr, v, mop, x86_mmu_index(env), ra);
}

static floatx80 fbld_value(CPUX86State *env, uint64_t addr, uintptr_t ra)
{
    uint64_t lo = ld(env, addr, MO_64, ra);
    uint16_t hi = (uint16_t)ld(env, addr + 8, MO_16, ra);
    int64_t v = 0;
    for (int i = 8; i >= 0; i--) {
        uint8_t b = i == 8 ? (uint8_t)hi : (uint8_t)(lo >> (8 * i));
        v = v * 100 + (b >> 4) * 10 + (b & 15);
    }
    FloatStatus s = { 0 };
    floatx80 r = int64_to_floatx80(v, &s);
    if (hi & 0x8000)
        r.sign_exp |= 0x8000;
    return r;
}

/* A float32/float64 NaN widened with its signaling bit kept: an
 * arithmetic operand's NaN takes part in the x87 NaN rules as it is. */
static floatx80 nan_operand(uint64_t bits, int frac_bits)
{
    uint64_t frac = bits & ((1ull << frac_bits) - 1);
    bool sign = (bits >> (frac_bits + (frac_bits == 23 ? 8 : 11))) & 1;
    return (floatx80){ (1ull << 63) | (frac << (63 - frac_bits)), (uint16_t)(sign ? 0xffff : 0x7fff) };
}

/* A memory operand of up to 8 bytes (read inline by the translator) as a
 * floatx80. FLD m32/m64 convert (IE for an SNaN, DE for a denormal); an
 * arithmetic operand (operand = true) keeps its NaN as it is. Integers
 * are exact. */
static floatx80 operand_value(uint64_t bits, int kind, bool operand, FloatStatus *s)
{
    switch (kind) {
    case X87_M32FP:
        if (operand && float32_is_nan((float32)bits))
            return nan_operand((uint32_t)bits, 23);
        return float32_to_floatx80((float32)bits, s);
    case X87_M64FP:
        if (operand && float64_is_nan(bits))
            return nan_operand(bits, 52);
        return float64_to_floatx80(bits, s);
    case X87_M16INT: return int64_to_floatx80((int16_t)bits, s);
    case X87_M32INT: return int64_to_floatx80((int32_t)bits, s);
    default: return int64_to_floatx80((int64_t)bits, s);
    }
}

static void fld_push(CPUX86State *env, floatx80 v, const FloatStatus *s)
{
    if (!st_empty(env, 7)) {
        fpu_push(env, v);      /* stack overflow: IE|SF, C1 */
        return;
    }
    env->fpus &= ~FSW_C1;
    fpu_set_flags(env, s->flags);
    if (s->flags & ~env->fpuc & FSW_IE)
        return;                        /* an unmasked denormal still loads */
    fpu_push(env, v);
}

/* FLD m32/m64, FILD: the operand's bits, read by the translator */
void helper_fld_val(CPUX86State *env, uint64_t bits, uint32_t kind)
{
    fpu_check_pending(env, GETPC());
    FloatStatus s = fpu_status(env);
    floatx80 v = operand_value(bits, (int)kind, false, &s);
    fld_push(env, v, &s);
}

/* FLD m80, FBLD: read here */
void helper_fld_mem(CPUX86State *env, uint64_t addr, uint32_t kind)
{
    uintptr_t ra = GETPC();
    fpu_check_pending(env, ra);
    FloatStatus s = fpu_status(env);
    floatx80 v;
    if (kind == X87_M80BCD) {
        v = fbld_value(env, addr, ra);
    } else {
        uint64_t m = ld(env, addr, MO_64, ra);
        v = (floatx80){ m, (uint16_t)ld(env, addr + 8, MO_16, ra) };
    }
    fld_push(env, v, &s);
}
/* FBSTP's 10 bytes: 18 BCD digits and the sign; the packed BCD
 * indefinite (and IE) when the value does not fit or is a NaN. */
static void fbstp_value(floatx80 v, FloatStatus *s, uint64_t *lo_out, uint16_t *hi_out)
{
    floatx80 r = floatx80_round_to_int(v, s);
    bool up = s->rounded_up;
    int64_t iv = floatx80_to_int64(r, s);
    s->rounded_up = up;
    s->flags &= ~FLOAT_FLAG_DENORMAL;  /* FBSTP has no denormal exception */
    uint64_t mag = iv < 0 ? -(uint64_t)iv : (uint64_t)iv;
    uint64_t lo = 0;
    uint16_t hi;
    if ((s->flags & FLOAT_FLAG_INVALID) || mag >= 1000000000000000000ull) {
        s->flags |= FLOAT_FLAG_INVALID;
        s->flags &= ~FLOAT_FLAG_INEXACT;
        lo = 0xc000000000000000ull;
        hi = 0xffff;
    } else {
        for (int i = 0; i < 8; i++) {
            uint64_t d = mag % 100;
            mag /= 100;
            lo |= (uint64_t)((d / 10) << 4 | (d % 10)) << (8 * i);
        }
        hi = (uint16_t)(((mag / 10) << 4 | (mag % 10)) | ((v.sign_exp & 0x8000) ? 0x8000 : 0));
    }
    *lo_out = lo;
    *hi_out = hi;
}

/* The bits FST/FIST/FISTTP/FBSTP store, and the flags. Returns false
 * when nothing may be stored: an unmasked invalid, overflow or underflow
 * (only that flag is reported) or an unmasked stack underflow. */
static bool fst_value(CPUX86State *env, int kind, bool trunc, uint64_t *bits_out, uint16_t *hi_out)
{
    FloatStatus s = fpu_status(env);
    floatx80 v = st_get(env, 0);
    bool empty = st_empty(env, 0);
    if (empty) {
        if (!fpu_stack_fault(env, false))
            return false;
        v = fpu_indefinite();
    }
    uint64_t bits = 0;
    uint16_t hi = 0;
    switch (kind) {
    case X87_M32FP: bits = floatx80_to_float32(v, &s); break;
    case X87_M64FP: bits = floatx80_to_float64(v, &s); break;
    case X87_M16INT:
        bits = (uint16_t)(trunc ? floatx80_to_int16_round_to_zero(v, &s) : floatx80_to_int16(v, &s));
        break;
    case X87_M32INT:
        bits = (uint32_t)(trunc ? floatx80_to_int32_round_to_zero(v, &s) : floatx80_to_int32(v, &s));
        break;
    case X87_M64INT:
        bits = (uint64_t)(trunc ? floatx80_to_int64_round_to_zero(v, &s) : floatx80_to_int64(v, &s));
        break;
    case X87_M80BCD:
        fbstp_value(v, &s, &bits, &hi);
        break;
    default:
        bits = v.mant;
        hi = v.sign_exp;
        break;
    }
    if (trunc)
        s.rounded_up = false;
    if (!empty) {
        unsigned unmasked = s.flags & ~env->fpuc & 0x3f;
        if (unmasked & (FSW_IE | FSW_DE | FSW_ZE | FLOAT_FLAG_OVERFLOW | FLOAT_FLAG_UNDERFLOW)) {
            env->fpus &= ~FSW_C1;
            fpu_set_flags(env, s.flags & ~FLOAT_FLAG_INEXACT &
                          ((unmasked & (FSW_IE | FSW_DE | FSW_ZE)) ? (FSW_IE | FSW_DE | FSW_ZE) : 0x3f));
            return false;
        }
        fpu_commit(env, &s);
    }
    *bits_out = bits;
    *hi_out = hi;
    return true;
}

/* FST/FSTP m32/m64, FIST/FISTP/FISTTP: the translator stores the result
 * (through the TLB fast path) unless fpu_store_skip, then pops. Should the
 * store fault, the flags recorded here are recorded again on the retry. */
uint64_t helper_fst_val(CPUX86State *env, uint32_t desc)
{
    uint64_t bits = 0;
    uint16_t hi;
    fpu_check_pending(env, GETPC());
    env->fpu_store_skip = !fst_value(env, desc & 0xff, desc & X87_TRUNC, &bits, &hi);
    return bits;
}

void helper_fpop(CPUX86State *env)
{
    fpop(env);
}

/* FSTP m80, FBSTP: stored here */
void helper_fst_mem(CPUX86State *env, uint64_t addr, uint32_t desc)
{
    uintptr_t ra = GETPC();
    uint64_t bits;
    uint16_t hi;
    fpu_check_pending(env, ra);
    /* a faulting store leaves the stack alone; the flags are recorded
     * again, identically, when the instruction is retried */
    if (!fst_value(env, desc & 0xff, false, &bits, &hi))
        return;
    st(env, addr, bits, MO_64, ra);
    st(env, addr + 8, hi, MO_16, ra);
    if (desc & X87_POP)
        fpop(env);
}

/* ---------------- arithmetic ---------------- */

static floatx80 arith(int op, floatx80 a, floatx80 b, FloatStatus *s)
{
    switch (op) {
    case X87_ADD: return floatx80_add(a, b, s);
    case X87_MUL: return floatx80_mul(a, b, s);
    case X87_SUB: return floatx80_sub(a, b, s);
    case X87_SUBR: return floatx80_sub(b, a, s);
    case X87_DIV: return floatx80_div(a, b, s);
    default: return floatx80_div(b, a, s);
    }
}

/* FCOM-style result in C3 C2 C0 (C1 cleared). */
static void set_compare_cc(CPUX86State *env, int rel)
{
    env->fpus &= ~FSW_CC;
    switch (rel) {
    case FLOAT_LESS: env->fpus |= FSW_C0; break;
    case FLOAT_EQUAL: env->fpus |= FSW_C3; break;
    case FLOAT_UNORDERED: env->fpus |= FSW_C0 | FSW_C2 | FSW_C3; break;
    default: break;
    }
}

/* ST(d) = ST(d) op b, or a compare of ST(0) with b; then pops. */
static void arith_apply(CPUX86State *env, int op, int d, floatx80 b, bool b_empty, FloatStatus *s,
                        int pops, bool quiet)
{
    floatx80 a = st_get(env, d);
    bool cmp = op == X87_COM || op == X87_COMP;
    if (st_empty(env, d) || b_empty) {
        if (!fpu_stack_fault(env, false))
            return;
        if (cmp)
            env->fpus |= FSW_C0 | FSW_C2 | FSW_C3;
        else
            st_set(env, d, fpu_indefinite());
    } else if (cmp) {
        /* the condition codes are set even when IE or DE is unmasked */
        int rel = floatx80_compare(a, b, quiet, s);
        fpu_set_flags(env, s->flags);
        set_compare_cc(env, rel);
        if (fpu_unmasked_pre(env, s->flags))
            return;
    } else {
        floatx80 r = arith(op, a, b, s);
        if (!fpu_commit(env, s))
            return;
        st_set(env, d, r);
    }
    for (int i = 0; i < pops; i++)
        fpop(env);
}

/* ST0 op= memory operand (its bits read by the translator) */
void helper_farith_val(CPUX86State *env, uint64_t bits, uint32_t desc)
{
    int op = desc & 7, kind = (desc >> 4) & 0xf;
    fpu_check_pending(env, GETPC());
    FloatStatus s = fpu_status(env);
    floatx80 b = operand_value(bits, kind, true, &s);
    /* a denormal m32/m64 (normal once widened) counts as the operation's
     * denormal operand: reported unless a NaN, an invalid operation or a
     * division by zero comes first */
    bool den = s.flags & FLOAT_FLAG_DENORMAL;
    s.flags = 0;
    if (den && !floatx80_is_nan(st_get(env, 0)) && !floatx80_is_unsupported(st_get(env, 0)) &&
        !st_empty(env, 0)) {
        FloatStatus t = s;
        floatx80 a = st_get(env, 0);
        if (op == X87_COM || op == X87_COMP)
            floatx80_compare(a, b, false, &t);
        else
            arith(op, a, b, &t);
        if (!(t.flags & (FLOAT_FLAG_INVALID | FLOAT_FLAG_DIVBYZERO)))
            s.flags |= FLOAT_FLAG_DENORMAL;
    }
    arith_apply(env, op, 0, b, false, &s, op == X87_COMP, false);
}

void helper_farith_st(CPUX86State *env, uint32_t desc)
{
    int op = desc & 7, i = (desc >> 4) & 7;
    bool to_sti = desc & X87_TO_STI, quiet = desc & X87_QUIET;
    int pops = (desc & X87_POP) ? 1 : 0;
    if (desc & X87_POP2)
        pops = 2;
    if (op == X87_COMP && !pops)
        pops = 1;
    fpu_check_pending(env, GETPC());
    FloatStatus s = fpu_status(env);
    if (to_sti)
        arith_apply(env, op, i, st_get(env, 0), st_empty(env, 0), &s, pops, quiet);
    else
        arith_apply(env, op, 0, st_get(env, i), st_empty(env, i), &s, pops, quiet);
}

uint32_t helper_fcomi(CPUX86State *env, uint32_t desc)
{
    int i = desc & 7;
    fpu_check_pending(env, GETPC());
    FloatStatus s = fpu_status(env);
    int rel;
    env->fpus &= ~FSW_C1;
    if (st_empty(env, 0) || st_empty(env, i)) {
        if (!fpu_stack_fault(env, false))
            return x86_compute_eflags(env) & (CC_Z | CC_P | CC_C);
        rel = FLOAT_UNORDERED;
    } else {
        rel = floatx80_compare(st_get(env, 0), st_get(env, i), desc & X87_QUIET, &s);
        fpu_set_flags(env, s.flags);
    }
    /* EFLAGS are set even when IE or DE is unmasked; then no pop */
    if ((desc & X87_POP) && !fpu_unmasked_pre(env, s.flags))
        fpop(env);
    switch (rel) {
    case FLOAT_LESS: return CC_C;
    case FLOAT_EQUAL: return CC_Z;
    case FLOAT_UNORDERED: return CC_Z | CC_P | CC_C;
    default: return 0;
    }
}

/* ---------------- register moves ---------------- */

void helper_fld_st(CPUX86State *env, uint32_t i)
{
    fpu_check_pending(env, GETPC());
    floatx80 v = st_get(env, (int)i);
    if (st_empty(env, (int)i)) {
        if (!fpu_stack_fault(env, false))
            return;
        v = fpu_indefinite();
        if (!st_empty(env, 7)) {
            fpu_push(env, v);
            return;
        }
        env->fpstt = (env->fpstt - 1) & 7;
        st_set(env, 0, v);
        return;
    }
    env->fpus &= ~FSW_C1;
    fpu_push(env, v);
}

void helper_fst_st(CPUX86State *env, uint32_t desc)
{
    int i = desc & 7;
    fpu_check_pending(env, GETPC());
    env->fpus &= ~FSW_C1;
    if (st_empty(env, 0)) {
        if (!fpu_stack_fault(env, false))
            return;
        st_set(env, i, fpu_indefinite());
    } else {
        st_set(env, i, st_get(env, 0));
    }
    if (desc & X87_POP)
        fpop(env);
}

void helper_fxch(CPUX86State *env, uint32_t i)
{
    fpu_check_pending(env, GETPC());
    env->fpus &= ~FSW_C1;
    bool e0 = st_empty(env, 0), ei = st_empty(env, (int)i);
    floatx80 a = st_get(env, 0), b = st_get(env, (int)i);
    if (e0 || ei) {
        if (!fpu_stack_fault(env, false))
            return;
        if (e0)
            a = fpu_indefinite();
        if (ei)
            b = fpu_indefinite();
    }
    st_set(env, 0, b);
    st_set(env, (int)i, a);
}

void helper_fcmov(CPUX86State *env, uint32_t i, uint32_t cond)
{
    fpu_check_pending(env, GETPC());
    env->fpus &= ~FSW_C1;
    if (st_empty(env, 0) || st_empty(env, (int)i)) {
        if (fpu_stack_fault(env, false))
            st_set(env, 0, fpu_indefinite());   /* whatever the condition */
        return;
    }
    if (cond)
        st_set(env, 0, st_get(env, (int)i));
}

/* ---------------- control ---------------- */

uint32_t helper_fnstsw(CPUX86State *env)
{
    return (env->fpus & ~0x3800u) | ((env->fpstt & 7) << X86_FPUS_TOP_SHIFT);
}

static void fpu_set_cw(CPUX86State *env, uint32_t cw)
{
    env->fpuc = (uint16_t)((cw & 0x1f3f) | 0x40);   /* reserved bits read as 0, bit 6 as 1 */
    /* ES and B follow the unmasked exceptions now pending */
    if (env->fpus & ~env->fpuc & 0x3f)
        env->fpus |= FSW_ES | FSW_B;
    else
        env->fpus &= ~(FSW_ES | FSW_B);
    fpu_ferr_update(env);
}

void helper_fldcw(CPUX86State *env, uint32_t cw)
{
    fpu_check_pending(env, GETPC());   /* FLDCW waits: only FN* forms do not */
    fpu_set_cw(env, cw);
}

/* FNINIT's state (the registers keep their values); FERR# follows FSW.ES */
void x86_fpu_init(CPUX86State *env)
{
    env->fpuc = X86_FPUC_DEFAULT;
    env->fpus = 0;
    env->fpstt = 0;
    memset(env->fptags, 1, sizeof(env->fptags));
    env->fpop = 0;
    env->fpip = env->fpdp = 0;
    env->fpcs = env->fpds = 0;
    fpu_ferr_update(env);
}

/* The 2-bit tag of physical register p (FSTENV/FSAVE): valid, zero, special, empty. */
static int fpu_tag(CPUX86State *env, int p)
{
    if (env->fptags[p])
        return 3;
    floatx80 v = { env->fpregs[p].f.mant, env->fpregs[p].f.sign_exp };
    int e = v.sign_exp & 0x7fff;
    if (e == 0)
        return v.mant ? 2 : 1;
    if (e == 0x7fff || !(v.mant >> 63))
        return 2;
    return 0;
}

static uint16_t fpu_tag_word(CPUX86State *env)
{
    uint16_t tw = 0;
    for (int p = 0; p < 8; p++)
        tw |= (uint16_t)(fpu_tag(env, p) << (2 * p));
    return tw;
}

/* FSTENV/FNSAVE layout: 14 bytes (o16) or 28 (o32); real mode stores the
 * 20-bit linear instruction and operand pointers split around FOP. */
static void fpu_store_env(CPUX86State *env, uint64_t a, bool o32, uintptr_t ra)
{
    bool real = !(env->cr[0] & X86_CR0_PE) || (env->eflags & VM_MASK);
    int w = o32 ? 4 : 2;
    MemOp mop = o32 ? MO_32 : MO_16;
    uint32_t sw = helper_fnstsw(env);
    st(env, a, env->fpuc | (o32 ? 0xffff0000u : 0), mop, ra);
    st(env, a + w, sw | (o32 ? 0xffff0000u : 0), mop, ra);
    st(env, a + 2 * w, fpu_tag_word(env) | (o32 ? 0xffff0000u : 0), mop, ra);
    if (real) {
        uint32_t ip = (uint32_t)env->fpip + ((uint32_t)env->fpcs << 4);
        uint32_t dp = (uint32_t)env->fpdp + ((uint32_t)env->fpds << 4);
        if (o32) {
            st(env, a + 12, ip & 0xffff, MO_32, ra);
            st(env, a + 16, ((ip >> 16) << 12) | (env->fpop & 0x7ff), MO_32, ra);
            st(env, a + 20, dp & 0xffff, MO_32, ra);
            st(env, a + 24, (dp >> 16) << 12, MO_32, ra);
        } else {
            st(env, a + 6, ip & 0xffff, MO_16, ra);
            st(env, a + 8, ((ip >> 16) << 12) | (env->fpop & 0x7ff), MO_16, ra);
            st(env, a + 10, dp & 0xffff, MO_16, ra);
            st(env, a + 12, (dp >> 16) << 12, MO_16, ra);
        }
    } else if (o32) {
        st(env, a + 12, (uint32_t)env->fpip, MO_32, ra);
        st(env, a + 16, env->fpcs | ((uint32_t)(env->fpop & 0x7ff) << 16), MO_32, ra);
        st(env, a + 20, (uint32_t)env->fpdp, MO_32, ra);
        st(env, a + 24, env->fpds | 0xffff0000u, MO_32, ra);
    } else {
        st(env, a + 6, env->fpip & 0xffff, MO_16, ra);
        st(env, a + 8, env->fpcs, MO_16, ra);
        st(env, a + 10, env->fpdp & 0xffff, MO_16, ra);
        st(env, a + 12, env->fpds, MO_16, ra);
    }
}

static void fpu_load_env(CPUX86State *env, uint64_t a, bool o32, uintptr_t ra)
{
    bool real = !(env->cr[0] & X86_CR0_PE) || (env->eflags & VM_MASK);
    int w = o32 ? 4 : 2;
    MemOp mop = o32 ? MO_32 : MO_16;
    uint16_t cw = (uint16_t)ld(env, a, mop, ra);
    uint16_t sw = (uint16_t)ld(env, a + w, mop, ra);
    uint16_t tw = (uint16_t)ld(env, a + 2 * w, mop, ra);
    if (real) {
        uint32_t ip, dp, opw;
        if (o32) {
            opw = (uint32_t)ld(env, a + 16, MO_32, ra);
            ip = ((uint32_t)ld(env, a + 12, MO_32, ra) & 0xffff) | ((opw >> 12) << 16);
            dp = ((uint32_t)ld(env, a + 20, MO_32, ra) & 0xffff) |
                 (((uint32_t)ld(env, a + 24, MO_32, ra) >> 12) << 16);
        } else {
            opw = (uint32_t)ld(env, a + 8, MO_16, ra);
            ip = (uint32_t)ld(env, a + 6, MO_16, ra) | ((opw >> 12) << 16);
            dp = (uint32_t)ld(env, a + 10, MO_16, ra) | (((uint32_t)ld(env, a + 12, MO_16, ra) >> 12) << 16);
        }
        env->fpip = ip;
        env->fpdp = dp;
        env->fpcs = env->fpds = 0;
        env->fpop = opw & 0x7ff;
    } else if (o32) {
        env->fpip = (uint32_t)ld(env, a + 12, MO_32, ra);
        uint32_t csop = (uint32_t)ld(env, a + 16, MO_32, ra);
        env->fpcs = (uint16_t)csop;
        env->fpop = (csop >> 16) & 0x7ff;
        env->fpdp = (uint32_t)ld(env, a + 20, MO_32, ra);
        env->fpds = (uint16_t)ld(env, a + 24, MO_32, ra);
    } else {
        env->fpip = ld(env, a + 6, MO_16, ra);
        env->fpcs = (uint16_t)ld(env, a + 8, MO_16, ra);
        env->fpdp = ld(env, a + 10, MO_16, ra);
        env->fpds = (uint16_t)ld(env, a + 12, MO_16, ra);
    }
    env->fpstt = (sw >> X86_FPUS_TOP_SHIFT) & 7;
    env->fpus = sw & ~0x3800u;
    for (int p = 0; p < 8; p++)
        env->fptags[p] = ((tw >> (2 * p)) & 3) == 3;
    fpu_set_cw(env, cw);
}

void helper_fnstenv(CPUX86State *env, uint64_t addr, uint32_t o32)
{
    fpu_store_env(env, addr, o32, GETPC());
    env->fpuc |= 0x3f;                 /* FSTENV masks every exception afterwards */
}

void helper_fldenv(CPUX86State *env, uint64_t addr, uint32_t o32)
{
    fpu_check_pending(env, GETPC());
    fpu_load_env(env, addr, o32, GETPC());
}

void helper_fnsave(CPUX86State *env, uint64_t addr, uint32_t o32)
{
    uintptr_t ra = GETPC();
    uint64_t r = addr + (o32 ? 28 : 14);
    /* probe the whole area first so a fault leaves the FPU state alone */
    ld(env, addr, MO_8, ra);
    ld(env, r + 79, MO_8, ra);
    fpu_store_env(env, addr, o32, ra);
    for (int i = 0; i < 8; i++, r += 10) {
        floatx80 v = st_get(env, i);
        st(env, r, v.mant, MO_64, ra);
        st(env, r + 8, v.sign_exp, MO_16, ra);
    }
    x86_fpu_init(env);
}

void helper_frstor(CPUX86State *env, uint64_t addr, uint32_t o32)
{
    uintptr_t ra = GETPC();
    uint64_t r = addr + (o32 ? 28 : 14);
    floatx80 regs[8];
    fpu_check_pending(env, ra);
    for (int i = 0; i < 8; i++) {
        regs[i].mant = ld(env, r + 10 * i, MO_64, ra);
        regs[i].sign_exp = (uint16_t)ld(env, r + 10 * i + 8, MO_16, ra);
    }
    fpu_load_env(env, addr, o32, ra);
    for (int i = 0; i < 8; i++) {
        int p = (env->fpstt + i) & 7;
        env->fpregs[p].f.mant = regs[i].mant;
        env->fpregs[p].f.sign_exp = regs[i].sign_exp;
    }
}

/* ---------------- D9 E0..FF, D9 D0, DB E2/E3, DD C0+i, DF C0+i ---------------- */

/* The x87's 66-bit constants rounded per RC (SDM vol. 1 8.3.8). up/down:
 * which mode moves the RN value by one unit (+1 for RU, -1 for RD and RZ). */
static floatx80 fpu_constant(CPUX86State *env, int which)
{
    static const struct { uint16_t se; uint64_t m; int rn_dir; } k[] = {
        { 0x3fff, 0x8000000000000000ull, 0 },   /* 1 */
        { 0x4000, 0xd49a784bcd1b8afeull, -1 },  /* log2(10): RN rounded down */
        { 0x3fff, 0xb8aa3b295c17f0bcull, 1 },   /* log2(e): RN rounded up */
        { 0x4000, 0xc90fdaa22168c235ull, 1 },   /* pi */
        { 0x3ffd, 0x9a209a84fbcff799ull, 1 },   /* log10(2) */
        { 0x3ffe, 0xb17217f7d1cf79acull, 1 },   /* ln(2) */
        { 0x0000, 0, 0 },                       /* +0 */
    };
    int rc = (env->fpuc >> 10) & 3;
    uint64_t m = k[which].m;
    if (k[which].rn_dir > 0 && (rc == FLOAT_ROUND_DOWN || rc == FLOAT_ROUND_TO_ZERO))
        m--;
    else if (k[which].rn_dir < 0 && rc == FLOAT_ROUND_UP)
        m++;
    return (floatx80){ m, k[which].se };
}

static long double to_ld(floatx80 v)
{
    long double d = 0;
    memcpy(&d, &v.mant, 8);
    memcpy((char *)&d + 8, &v.sign_exp, 2);
    return d;
}

static floatx80 from_ld(long double d)
{
    floatx80 v;
    memcpy(&v.mant, &d, 8);
    memcpy(&v.sign_exp, (char *)&d + 8, 2);
    return v;
}

/* A transcendental result, rounded to FCW.PC; flags: inexact unless exact. */
static floatx80 fpu_round_result(CPUX86State *env, long double d, FloatStatus *s)
{
    floatx80 v = from_ld(d);
    v = floatx80_round_to_precision(v, s->x80_precision == 32 ? 24 : s->x80_precision == 64 ? 53 : 64, s);
    if ((v.sign_exp & 0x7fff) == 0 && v.mant)
        s->flags |= FLOAT_FLAG_UNDERFLOW | FLOAT_FLAG_INEXACT;   /* a tiny, inexact result */
    return v;
}

static bool is_nan_or_bad(floatx80 v) { return floatx80_is_nan(v) || floatx80_is_unsupported(v); }

/* Operand NaN / unsupported handling for one-operand transcendentals:
 * returns true when the result (a QNaN) is already decided. */
static bool unary_special(floatx80 a, floatx80 *res, FloatStatus *s)
{
    if (floatx80_is_unsupported(a)) {
        s->flags |= FLOAT_FLAG_INVALID;
        *res = fpu_indefinite();
        return true;
    }
    if (floatx80_is_nan(a)) {
        if (floatx80_is_signaling_nan(a))
            s->flags |= FLOAT_FLAG_INVALID;
        *res = (floatx80){ a.mant | (1ull << 62), a.sign_exp };
        return true;
    }
    if (floatx80_is_denormal(a))
        s->flags |= FLOAT_FLAG_DENORMAL;
    return false;
}

static bool is_inf(floatx80 v) { return (v.sign_exp & 0x7fff) == 0x7fff && v.mant == 1ull << 63; }
static bool is_zero(floatx80 v) { return (v.sign_exp & 0x7fff) == 0 && v.mant == 0; }

/* Unary ops on ST(0): FCHS FABS FTST FXAM F2XM1 FSQRT FRNDINT FSIN FCOS FXTRACT FPTAN FSINCOS */
static void fpu_unary(CPUX86State *env, int modrm)
{
    FloatStatus s = fpu_status(env);
    floatx80 a = st_get(env, 0), r = a;
    bool empty = st_empty(env, 0);

    if (modrm == 0xe5) {               /* FXAM: also on an empty register */
        int cls;
        int e = a.sign_exp & 0x7fff;
        if (empty) cls = FSW_C3 | FSW_C0;
        else if (floatx80_is_unsupported(a)) cls = 0;
        else if (e == 0x7fff) cls = a.mant << 1 ? FSW_C0 : FSW_C2 | FSW_C0;
        else if (e == 0) cls = a.mant ? FSW_C3 | FSW_C2 : FSW_C3;
        else cls = FSW_C2;
        env->fpus = (uint16_t)((env->fpus & ~FSW_CC) | cls | ((a.sign_exp & 0x8000) ? FSW_C1 : 0));
        return;
    }
    if (empty) {
        if (!fpu_stack_fault(env, false))
            return;
        if (modrm == 0xe4) {
            env->fpus |= FSW_C0 | FSW_C2 | FSW_C3;
            return;
        }
        if (modrm == 0xf4 || modrm == 0xf2 || modrm == 0xfb) {   /* push two results */
            st_set(env, 0, fpu_indefinite());
            fpu_push(env, fpu_indefinite());
            return;
        }
        st_set(env, 0, fpu_indefinite());
        return;
    }
    switch (modrm) {
    case 0xe0:                          /* FCHS */
        r.sign_exp ^= 0x8000;
        env->fpus &= ~FSW_C1;
        st_set(env, 0, r);
        return;
    case 0xe1:                          /* FABS */
        r.sign_exp &= 0x7fff;
        env->fpus &= ~FSW_C1;
        st_set(env, 0, r);
        return;
    case 0xe4: {                        /* FTST */
        int rel = floatx80_compare(a, (floatx80){ 0, 0 }, false, &s);
        fpu_set_flags(env, s.flags);
        set_compare_cc(env, rel);      /* even when IE or DE is unmasked */
        return;
    }
    case 0xfa:                          /* FSQRT */
        r = floatx80_sqrt(a, &s);
        break;
    case 0xfc:                          /* FRNDINT */
        r = floatx80_round_to_int(a, &s);
        break;
    case 0xf4: {                        /* FXTRACT: ST0 = exponent, then push the significand */
        floatx80 ex, sig;
        if (!st_empty(env, 7)) {
            if (fpu_stack_fault(env, true)) {
                st_set(env, 0, fpu_indefinite());
                fpu_push(env, fpu_indefinite());
            }
            return;
        }
        if (unary_special(a, &r, &s)) {
            ex = sig = r;
        } else if (is_zero(a)) {
            s.flags |= FLOAT_FLAG_DIVBYZERO;
            ex = (floatx80){ 1ull << 63, 0xffff };       /* -inf */
            sig = a;
        } else if (is_inf(a)) {
            ex = (floatx80){ 1ull << 63, 0x7fff };
            sig = a;
        } else {
            int e = a.sign_exp & 0x7fff;
            uint64_t m = a.mant;
            if (e == 0) {              /* denormal: normalise */
                int sh = __builtin_clzll(m);
                m <<= sh;
                e = 1 - sh;
            }
            FloatStatus t = { 0 };
            ex = int64_to_floatx80((int64_t)e - 16383, &t);
            sig = (floatx80){ m, (uint16_t)((a.sign_exp & 0x8000) | 0x3fff) };
        }
        if (!fpu_commit(env, &s))
            return;
        st_set(env, 0, ex);
        fpu_push(env, sig);
        return;
    }
    default: {                          /* F2XM1 FSIN FCOS FPTAN FSINCOS */
        long double x = to_ld(a);
        bool range_op = modrm == 0xfe || modrm == 0xff || modrm == 0xf2 || modrm == 0xfb;
        if (unary_special(a, &r, &s)) {
            if (modrm == 0xf2 || modrm == 0xfb) {
                if (!fpu_commit(env, &s))
                    return;
                env->fpus &= ~FSW_C2;
                st_set(env, 0, r);
                fpu_push(env, r);
                return;
            }
            break;
        }
        if (range_op && is_inf(a)) {
            s.flags |= FLOAT_FLAG_INVALID;
            r = fpu_indefinite();
            if (modrm == 0xf2 || modrm == 0xfb) {
                if (!fpu_commit(env, &s))
                    return;
                env->fpus &= ~FSW_C2;
                st_set(env, 0, r);
                fpu_push(env, r);
                return;
            }
            env->fpus &= ~FSW_C2;
            break;
        }
        if (modrm == 0xf0 && is_inf(a)) {     /* 2^-inf - 1 = -1, 2^inf - 1 = inf: exact */
            if (a.sign_exp & 0x8000)
                st_set(env, 0, (floatx80){ 1ull << 63, 0xbfff });
            return;
        }
        if (modrm == 0xf0 && (a.sign_exp & 0x7fff) >= 0x3fff + 63) {
            fpu_set_flags(env, FLOAT_FLAG_INEXACT);   /* |x| >= 2^63: ST0 kept, as the CPU does */
            return;
        }
        if (range_op && (a.sign_exp & 0x7fff) >= 0x3fff + 63) {
            env->fpus |= FSW_C2;        /* |x| >= 2^63: out of range, ST0 unchanged */
            return;
        }
        if (range_op)
            env->fpus &= ~FSW_C2;
        switch (modrm) {
        case 0xf0:                      /* 2^x - 1 = expm1(x ln 2), no cancellation */
            r = is_zero(a) ? a : fpu_round_result(env, expm1l(x * 0.693147180559945309417232121458176568L), &s);
            break;
        case 0xfe: r = is_zero(a) ? a : fpu_round_result(env, sinl(x), &s); break;
        case 0xff: r = fpu_round_result(env, cosl(x), &s); break;
        case 0xf2:                      /* FPTAN: ST0 = tan, push 1.0 */
            r = is_zero(a) ? a : fpu_round_result(env, tanl(x), &s);
            if (!is_zero(a))
                s.flags |= FLOAT_FLAG_INEXACT;
            if (!fpu_commit(env, &s))
                return;
            st_set(env, 0, r);
            fpu_push(env, fpu_constant(env, 0));
            return;
        default: {                      /* FSINCOS: ST0 = sin, push cos */
            floatx80 sn = is_zero(a) ? a : fpu_round_result(env, sinl(x), &s);
            floatx80 cs = fpu_round_result(env, cosl(x), &s);
            if (!is_zero(a))
                s.flags |= FLOAT_FLAG_INEXACT;
            if (!fpu_commit(env, &s))
                return;
            st_set(env, 0, sn);
            fpu_push(env, cs);
            return;
        }
        }
        if (!is_zero(a) || modrm == 0xff)
            s.flags |= FLOAT_FLAG_INEXACT;
        break;
    }
    }
    if (!fpu_commit(env, &s))
        return;
    st_set(env, 0, r);
}

/* Two-operand ST(1) op ST(0), result in ST(1), pop: FYL2X FPATAN FYL2XP1;
 * FSCALE, FPREM, FPREM1 keep both (result in ST(0)). */
static void fpu_binary(CPUX86State *env, int modrm)
{
    FloatStatus s = fpu_status(env);
    floatx80 a = st_get(env, 0), b = st_get(env, 1), r;
    bool keep = modrm == 0xfd || modrm == 0xf8 || modrm == 0xf5;
    if (st_empty(env, 0) || st_empty(env, 1)) {
        if (!fpu_stack_fault(env, false))
            return;
        if (keep) {
            st_set(env, 0, fpu_indefinite());
        } else {
            st_set(env, 1, fpu_indefinite());
            fpop(env);
        }
        return;
    }
    switch (modrm) {
    case 0xfd:                          /* FSCALE */
        r = floatx80_scale(a, b, &s);
        break;
    case 0xf8: case 0xf5: {             /* FPREM, FPREM1 */
        uint64_t q;
        bool partial;
        r = floatx80_rem(a, b, modrm == 0xf5, &q, &partial, &s);
        s.rounded_up = false;
        if (!fpu_commit(env, &s))
            return;
        env->fpus &= ~FSW_CC;
        if (partial)
            env->fpus |= FSW_C2;
        else if (!(s.flags & FLOAT_FLAG_INVALID))
            env->fpus |= (q & 1 ? FSW_C1 : 0) | (q & 2 ? FSW_C3 : 0) | (q & 4 ? FSW_C0 : 0);
        st_set(env, 0, r);
        return;
    }
    default: {                          /* FYL2X, FYL2XP1, FPATAN */
        if (is_nan_or_bad(a) || is_nan_or_bad(b)) {
            r = floatx80_add(b, a, &s);  /* NaN propagation, IE for SNaN/unsupported */
            break;
        }
        bool den = floatx80_is_denormal(a) || floatx80_is_denormal(b);
        long double x = to_ld(a), y = to_ld(b);
        if (modrm == 0xf3) {            /* FPATAN: atan(ST1/ST0) */
            if (den)
                s.flags |= FLOAT_FLAG_DENORMAL;
            r = fpu_round_result(env, atan2l(y, x), &s);
            if (!(is_zero(b) && !(a.sign_exp & 0x8000)))
                s.flags |= FLOAT_FLAG_INEXACT;
            break;
        }
        if (modrm == 0xf1) {            /* FYL2X: ST1 * log2(ST0) */
            bool neg = (a.sign_exp & 0x8000) && !is_zero(a);
            if (neg || (is_zero(a) && is_zero(b)) || (is_inf(b) && a.mant == 1ull << 63 &&
                                                      (a.sign_exp & 0x7fff) == 0x3fff)) {
                s.flags |= FLOAT_FLAG_INVALID;
                r = fpu_indefinite();
                break;
            }
            if (den)
                s.flags |= FLOAT_FLAG_DENORMAL;   /* after the invalid cases */
            if (is_zero(a)) {
                s.flags |= FLOAT_FLAG_DIVBYZERO;
                r = (floatx80){ 1ull << 63, (uint16_t)(((b.sign_exp & 0x8000) ^ 0x8000) | 0x7fff) };
                break;
            }
            long double l = log2l(x);
            r = fpu_round_result(env, y * l, &s);
            if (!(l == 0 || is_zero(b)) || !(x == 1.0L))
                s.flags |= FLOAT_FLAG_INEXACT;
            break;
        }
        /* FYL2XP1: ST1 * log2(ST0 + 1); ST0 <= -2^63 gives ST0, as the CPU does */
        if (is_inf(a)) {                /* log2(inf) = inf: ST1 * inf, exact */
            if ((a.sign_exp & 0x8000) || is_zero(b)) {
                s.flags |= FLOAT_FLAG_INVALID;
                r = fpu_indefinite();
            } else {
                r = (floatx80){ 1ull << 63, (uint16_t)((b.sign_exp & 0x8000) | 0x7fff) };
            }
            break;
        }
        if ((a.sign_exp & 0x8000) && (a.sign_exp & 0x7fff) >= 0x3fff + 63) {
            s.flags |= FLOAT_FLAG_INEXACT;
            r = a;
            break;
        }
        if (den)
            s.flags |= FLOAT_FLAG_DENORMAL;
        r = fpu_round_result(env, y * (log1pl(x) / logl(2.0L)), &s);
        if (!is_zero(a))
            s.flags |= FLOAT_FLAG_INEXACT;
        break;
    }
    }
    if (!fpu_commit(env, &s))
        return;
    if (keep) {
        st_set(env, 0, r);
    } else {
        st_set(env, 1, r);
        fpop(env);
    }
}

void helper_fgrp(CPUX86State *env, uint32_t code)
{
    int opc = code >> 8, modrm = code & 0xff;
    if (opc == 0xdb) {                  /* FNCLEX, FNINIT: no wait; FNENI/FNDISI/FNSETPM: nothing */
        if (modrm == 0xe2) {
            env->fpus &= 0x7f00;        /* clear flags, SF, ES, B */
            fpu_ferr_update(env);
        } else if (modrm == 0xe3) {
            x86_fpu_init(env);
        }
        return;
    }
    fpu_check_pending(env, GETPC());
    if (opc == 0xdd || opc == 0xdf) {   /* FFREE ST(i), FFREEP */
        env->fptags[(env->fpstt + (modrm & 7)) & 7] = 1;
        if (opc == 0xdf)
            fpop(env);
        return;
    }
    switch (modrm) {
    case 0xd0:                          /* FNOP */
        return;
    case 0xe8: case 0xe9: case 0xea: case 0xeb: case 0xec: case 0xed: case 0xee:
        env->fpus &= ~FSW_C1;
        fpu_push(env, fpu_constant(env, modrm - 0xe8));
        return;
    case 0xf6:                          /* FDECSTP */
        env->fpus &= ~FSW_C1;
        env->fpstt = (env->fpstt - 1) & 7;
        return;
    case 0xf7:                          /* FINCSTP */
        env->fpus &= ~FSW_C1;
        env->fpstt = (env->fpstt + 1) & 7;
        return;
    case 0xf1: case 0xf3: case 0xf5: case 0xf8: case 0xf9: case 0xfd:
        fpu_binary(env, modrm);
        return;
    default:
        fpu_unary(env, modrm);
        return;
    }
}
