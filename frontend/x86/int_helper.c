/*
 * x86 integer helpers the translator calls for instructions too awkward to
 * emit inline: DIV/IDIV (#DE), the BCD adjustments, RCL/RCR, and the
 * single-step trap. Register-file helpers write only the bits the
 * instruction defines (AL/AH/AX deposit, 32-bit results zero the upper
 * half like a 32-bit register write); helpers that fault do so before
 * changing any guest state. Flags they produce are left as CC_OP_EFLAGS.
 */
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"

static inline void set_ax(CPUX86State *env, uint32_t v)
{
    env->regs[R_EAX] = (env->regs[R_EAX] & ~(uint64_t)0xffff) | (v & 0xffff);
}

static inline void set_dx16(CPUX86State *env, uint32_t v)
{
    env->regs[R_EDX] = (env->regs[R_EDX] & ~(uint64_t)0xffff) | (v & 0xffff);
}

static inline void set_flags(CPUX86State *env, uint32_t f)
{
    env->cc_src = f & CC_ALL;
    env->cc_op = CC_OP_EFLAGS;
}

static inline uint32_t zsp8(uint32_t al)
{
    al &= 0xff;
    return (al == 0 ? CC_Z : 0) | (al & 0x80 ? CC_S : 0) |
           (__builtin_parity(al) ? 0 : CC_P);
}

static inline uint32_t cur_flags(CPUX86State *env)
{
    return x86_cc_compute_all(env->cc_dst, env->cc_src, env->cc_src2, (int)env->cc_op);
}

/* ---- DIV / IDIV ---- */
void helper_divb(CPUX86State *env, uint32_t d)
{
    uint32_t num = env->regs[R_EAX] & 0xffff, den = d & 0xff, q;
    if (den == 0 || (q = num / den) > 0xff) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, (q & 0xff) | ((num % den) << 8));
}

void helper_divw(CPUX86State *env, uint32_t d)
{
    uint32_t num = (uint32_t)((env->regs[R_EAX] & 0xffff) | ((env->regs[R_EDX] & 0xffff) << 16));
    uint32_t den = d & 0xffff, q;
    if (den == 0 || (q = num / den) > 0xffff) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, q);
    set_dx16(env, num % den);
}

void helper_divl(CPUX86State *env, uint32_t den)
{
    uint64_t num = (env->regs[R_EAX] & 0xffffffffu) | ((env->regs[R_EDX] & 0xffffffffu) << 32), q;
    if (den == 0 || (q = num / den) > 0xffffffffu) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint32_t)q;
    env->regs[R_EDX] = (uint32_t)(num % den);
}

void helper_idivb(CPUX86State *env, uint32_t d)
{
    int32_t num = (int16_t)env->regs[R_EAX], den = (int8_t)d, q;
    if (den == 0) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    q = num / den;
    if (q != (int8_t)q) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, (q & 0xff) | ((uint32_t)(num % den) & 0xff) << 8);
}

void helper_idivw(CPUX86State *env, uint32_t d)
{
    int32_t num = (int32_t)((env->regs[R_EAX] & 0xffff) | ((env->regs[R_EDX] & 0xffff) << 16));
    int32_t den = (int16_t)d, q;
    if (den == 0 || (num == INT32_MIN && den == -1)) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    q = num / den;
    if (q != (int16_t)q) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, (uint32_t)q);
    set_dx16(env, (uint32_t)(num % den));
}

void helper_idivl(CPUX86State *env, uint32_t d)
{
    int64_t num = (int64_t)((env->regs[R_EAX] & 0xffffffffu) | ((env->regs[R_EDX] & 0xffffffffu) << 32));
    int64_t den = (int32_t)d, q;
    if (den == 0 || (num == INT64_MIN && den == -1)) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    q = num / den;
    if (q != (int32_t)q) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint32_t)q;
    env->regs[R_EDX] = (uint32_t)(num % den);
}

/* 128 / 64 division of RDX:RAX; #DE on a zero divisor or a quotient
 * that does not fit 64 bits. */
void helper_divq(CPUX86State *env, uint64_t den)
{
    unsigned __int128 num = ((unsigned __int128)env->regs[R_EDX] << 64) | env->regs[R_EAX], q;
    if (den == 0 || (q = num / den) >> 64) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint64_t)q;
    env->regs[R_EDX] = (uint64_t)(num % den);
}

void helper_idivq(CPUX86State *env, uint64_t d)
{
    __int128 num = (__int128)(((unsigned __int128)env->regs[R_EDX] << 64) | env->regs[R_EAX]);
    __int128 den = (int64_t)d, q;
    if (den == 0) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    /* num / -1 overflows only for INT128_MIN, whose quotient is out of range anyway */
    if (den == -1) {
        if (num == (__int128)((unsigned __int128)1 << 127)) {
            x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
        }
        q = -num;
    } else {
        q = num / den;
    }
    if (q != (int64_t)q) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    env->regs[R_EAX] = (uint64_t)(int64_t)q;
    env->regs[R_EDX] = (uint64_t)(int64_t)(den == -1 ? 0 : num % den);
}

/* ---- BCD ---- */
void helper_daa(CPUX86State *env)
{
    uint32_t f = cur_flags(env), al = env->regs[R_EAX] & 0xff, old = al, nf = 0;
    if ((al & 0xf) > 9 || (f & CC_A)) {
        al = (al + 6) & 0xff;
        nf |= CC_A;
    }
    if (old > 0x99 || (f & CC_C)) {
        al = (al + 0x60) & 0xff;
        nf |= CC_C;
    }
    env->regs[R_EAX] = (env->regs[R_EAX] & ~(uint64_t)0xff) | al;
    set_flags(env, nf | zsp8(al) | (f & CC_O));
}

void helper_das(CPUX86State *env)
{
    uint32_t f = cur_flags(env), al = env->regs[R_EAX] & 0xff, old = al, nf = 0;
    if ((al & 0xf) > 9 || (f & CC_A)) {
        nf |= CC_A;
        if (al < 6 || (f & CC_C)) {
            nf |= CC_C;
        }
        al = (al - 6) & 0xff;
    }
    if (old > 0x99 || (f & CC_C)) {
        al = (al - 0x60) & 0xff;
        nf |= CC_C;
    }
    env->regs[R_EAX] = (env->regs[R_EAX] & ~(uint64_t)0xff) | al;
    set_flags(env, nf | zsp8(al) | (f & CC_O));
}

void helper_aaa(CPUX86State *env)
{
    uint32_t f = cur_flags(env), ax = env->regs[R_EAX] & 0xffff;
    if ((ax & 0xf) > 9 || (f & CC_A)) {
        ax = (ax + 0x106) & 0xffff;
        f |= CC_A | CC_C;
    } else {
        f &= ~(CC_A | CC_C);
    }
    set_ax(env, ax & 0xff0f);
    set_flags(env, f);
}

void helper_aas(CPUX86State *env)
{
    uint32_t f = cur_flags(env), ax = env->regs[R_EAX] & 0xffff;
    if ((ax & 0xf) > 9 || (f & CC_A)) {
        ax = (ax - 6) & 0xffff;
        ax = (ax - 0x100) & 0xffff;
        f |= CC_A | CC_C;
    } else {
        f &= ~(CC_A | CC_C);
    }
    set_ax(env, ax & 0xff0f);
    set_flags(env, f);
}

void helper_aam(CPUX86State *env, uint32_t base)
{
    uint32_t al = env->regs[R_EAX] & 0xff;
    base &= 0xff;
    if (base == 0) {
        x86_raise_exception_ra(env, EXCP00_DIVZ, GETPC());
    }
    set_ax(env, ((al / base) << 8) | (al % base));
    set_flags(env, zsp8(al % base));
}

void helper_aad(CPUX86State *env, uint32_t base)
{
    uint32_t ax = env->regs[R_EAX] & 0xffff;
    uint32_t al = ((ax & 0xff) + (ax >> 8) * (base & 0xff)) & 0xff;
    set_ax(env, al);
    set_flags(env, zsp8(al));
}

/* ---- RCL / RCR: pure, so a faulting store after them changes nothing ---- */
static uint64_t rc_common(uint32_t val, uint32_t count, uint32_t flags, uint32_t shift, bool left)
{
    unsigned n = 8u << shift;
    uint64_t m = n == 32 ? 0xffffffffu : ((1u << n) - 1), x, res;
    unsigned c = count & 0x1f;
    uint32_t cf = flags & CC_C, nf;
    if (c == 0) {
        return ((uint64_t)(flags & CC_ALL) << 32) | (val & m);
    }
    c %= n + 1;
    val &= (uint32_t)m;
    x = val | ((uint64_t)cf << n);
    if (c) {
        uint64_t mm = (m << 1) | 1;
        x = left ? ((x << c) | (x >> (n + 1 - c))) : ((x >> c) | (x << (n + 1 - c)));
        x &= mm;
    }
    res = x & m;
    nf = (flags & CC_ALL & ~(CC_C | CC_O)) | ((x >> n) & 1 ? CC_C : 0);
    if (((val ^ res) >> (n - 1)) & 1) {
        nf |= CC_O;
    }
    return ((uint64_t)nf << 32) | res;
}

uint64_t helper_rcl(uint32_t val, uint32_t count, uint32_t flags, uint32_t shift)
{
    return rc_common(val, count, flags, shift, true);
}

uint64_t helper_rcr(uint32_t val, uint32_t count, uint32_t flags, uint32_t shift)
{
    return rc_common(val, count, flags, shift, false);
}

/* 64-bit RCL/RCR: a 65-bit rotate through CF, count masked to 6 bits.
 * OF is defined for a count of 1; other counts get the same formula. */
static uint64_t rcq_common(CPUX86State *env, uint64_t val, uint32_t count, uint32_t flags, bool left)
{
    unsigned c = count & 63;
    uint64_t cf = flags & CC_C, res;
    uint32_t nf = flags;
    if (c == 0) {
        return val;
    }
    if (left) {
        res = (val << c) | (cf << (c - 1)) | (c > 1 ? val >> (65 - c) : 0);
        cf = (val >> (64 - c)) & 1;
        nf = (flags & ~(CC_C | CC_O)) | (uint32_t)cf | ((((res >> 63) ^ cf) & 1) ? CC_O : 0);
    } else {
        res = (val >> c) | (cf << (64 - c)) | (c > 1 ? val << (65 - c) : 0);
        cf = (val >> (c - 1)) & 1;
        nf = (flags & ~(CC_C | CC_O)) | (uint32_t)cf | ((((res >> 63) ^ (res >> 62)) & 1) ? CC_O : 0);
    }
    set_flags(env, nf);
    return res;
}

uint64_t helper_rclq(CPUX86State *env, uint64_t val, uint32_t count, uint32_t flags)
{
    return rcq_common(env, val, count, flags, true);
}

uint64_t helper_rcrq(CPUX86State *env, uint64_t val, uint32_t count, uint32_t flags)
{
    return rcq_common(env, val, count, flags, false);
}

/* The translator stored eip (the next insn) and cc_op before calling. */
void helper_single_step(CPUX86State *env)
{
    /* DR6.BS, with the data breakpoints the same insn hit */
    env->dr[6] = (env->dr[6] & ~(uint64_t)(env->db_pending ? 0xf : 0)) | env->db_pending | 0x4000;
    env->db_pending = 0;
    x86_raise_exception(env, EXCP01_DB);
}
