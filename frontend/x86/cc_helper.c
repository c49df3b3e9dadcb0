/*
 * x86 lazy condition codes: EFLAGS' arithmetic bits are derived on demand
 * from (cc_op, cc_dst, cc_src, cc_src2), which the translator keeps in
 * env (see the CCOp list in cpu.h for what each op stores).
 * Must stay true: every CCOp the translator emits is handled here, values
 * are truncated to the op's size first (the upper halves of the 64-bit env
 * fields are not maintained by 32-bit code), and env->eflags never holds
 * CC_ALL or DF (DF lives in env->df).
 */
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"

static inline uint32_t cc_parity(uint64_t v)
{
    return __builtin_parity((unsigned)(v & 0xff)) ? 0 : CC_P;
}

static inline uint64_t cc_mask(int sz)
{
    return sz == 3 ? ~(uint64_t)0 : (((uint64_t)1 << (8 << sz)) - 1);
}

static inline uint64_t cc_sign(int sz) { return (uint64_t)1 << ((8 << sz) - 1); }

/* Z, S and P from a result truncated to its size. */
static inline uint32_t cc_zsp(uint64_t dst, int sz)
{
    uint32_t f = cc_parity(dst);
    if ((dst & cc_mask(sz)) == 0) {
        f |= CC_Z;
    }
    if (dst & cc_sign(sz)) {
        f |= CC_S;
    }
    return f;
}

static uint32_t cc_all_sized(uint64_t dst, uint64_t src, uint64_t src2, int kind, int sz)
{
    uint64_t m = cc_mask(sz), sign = cc_sign(sz), src1;
    uint32_t f;
    dst &= m;
    src &= m;
    src2 &= m;
    switch (kind) {
    case CC_OP_MULB:
        return cc_zsp(dst, sz) | (src ? CC_C | CC_O : 0);
    case CC_OP_ADDB:
        src1 = (dst - src) & m;
        f = cc_zsp(dst, sz) | ((dst ^ src ^ src1) & CC_A);
        f |= dst < src ? CC_C : 0;
        f |= ((src1 ^ src ^ m) & (src1 ^ dst) & sign) ? CC_O : 0;
        return f;
    case CC_OP_ADCB:
        src1 = (dst - src - (src2 & 1)) & m;
        f = cc_zsp(dst, sz) | ((dst ^ src ^ src1) & CC_A);
        f |= ((src2 & 1) ? dst <= src : dst < src) ? CC_C : 0;
        f |= ((src1 ^ src ^ m) & (src1 ^ dst) & sign) ? CC_O : 0;
        return f;
    case CC_OP_SUBB:
        src1 = (dst + src) & m;
        f = cc_zsp(dst, sz) | ((dst ^ src ^ src1) & CC_A);
        f |= src1 < src ? CC_C : 0;
        f |= ((src1 ^ src) & (src1 ^ dst) & sign) ? CC_O : 0;
        return f;
    case CC_OP_SBBB:
        src1 = (dst + src + (src2 & 1)) & m;
        f = cc_zsp(dst, sz) | ((dst ^ src ^ src1) & CC_A);
        f |= ((src2 & 1) ? src1 <= src : src1 < src) ? CC_C : 0;
        f |= ((src1 ^ src) & (src1 ^ dst) & sign) ? CC_O : 0;
        return f;
    case CC_OP_LOGICB:
        return cc_zsp(dst, sz);
    case CC_OP_INCB:
        src1 = (dst - 1) & m;
        f = cc_zsp(dst, sz) | ((dst ^ src1 ^ 1) & CC_A) | (src & 1 ? CC_C : 0);
        f |= dst == sign ? CC_O : 0;
        return f;
    case CC_OP_DECB:
        src1 = (dst + 1) & m;
        f = cc_zsp(dst, sz) | ((dst ^ src1 ^ 1) & CC_A) | (src & 1 ? CC_C : 0);
        f |= dst == sign - 1 ? CC_O : 0;
        return f;
    case CC_OP_SHLB:
        f = cc_zsp(dst, sz) | ((src & sign) ? CC_C : 0);
        f |= ((src ^ dst) & sign) ? CC_O : 0;
        return f;
    case CC_OP_SARB:
        f = cc_zsp(dst, sz) | (src & 1 ? CC_C : 0);
        f |= ((src ^ dst) & sign) ? CC_O : 0;
        return f;
    case CC_OP_BMILGB:
        return cc_zsp(dst, sz) | (src ? CC_C : 0);
    default:
        return 0;
    }
}

/* Sized ops come in groups of four (B, W, L, Q) from CC_OP_MULB on. */
uint32_t x86_cc_compute_all(uint64_t dst, uint64_t src, uint64_t src2, int op)
{
    switch (op) {
    case CC_OP_EFLAGS:
        return (uint32_t)src & CC_ALL;
    case CC_OP_CLR:
        return CC_Z | CC_P;
    default:
        if (op >= CC_OP_MULB && op < CC_OP_NB) {
            int rel = op - CC_OP_MULB;
            int sz = rel & 3;
            return cc_all_sized(dst, src, src2, CC_OP_MULB + (rel & ~3), sz);
        }
        return 0;
    }
}

uint32_t x86_cc_compute_c(uint64_t dst, uint64_t src, uint64_t src2, int op)
{
    return x86_cc_compute_all(dst, src, src2, op) & CC_C;
}

uint32_t x86_compute_eflags(CPUX86State *env)
{
    uint32_t f = (uint32_t)env->eflags & ~(CC_ALL | DF_MASK);
    f |= x86_cc_compute_all(env->cc_dst, env->cc_src, env->cc_src2, (int)env->cc_op);
    if (env->df < 0) {
        f |= DF_MASK;
    }
    return f | 0x2;
}

/* Bits of update_mask come from eflags; CC bits and DF always do. Keeps
 * the hflags copies of TF and IOPL in step (they key translation). */
void x86_load_eflags(CPUX86State *env, uint32_t eflags, uint32_t update_mask)
{
    env->cc_src = eflags & CC_ALL;
    env->cc_op = CC_OP_EFLAGS;
    env->df = (eflags & DF_MASK) ? -1 : 1;
    update_mask &= ~(CC_ALL | DF_MASK);
    env->eflags = ((env->eflags & ~(uint64_t)update_mask) | (eflags & update_mask)) | 0x2;
    env->eflags &= ~(uint64_t)(CC_ALL | DF_MASK);
    env->hflags &= ~(HF_TF_MASK | HF_IOPL_MASK);
    if (env->eflags & TF_MASK) {
        env->hflags |= HF_TF_MASK;
    }
    env->hflags |= (((uint32_t)env->eflags & IOPL_MASK) >> 12) << HF_IOPL_SHIFT;
}

uint32_t helper_cc_compute_all(uint32_t dst, uint32_t src, uint32_t src2, uint32_t op)
{
    return x86_cc_compute_all(dst, src, src2, (int)op);
}

uint32_t helper_cc_compute_c(uint32_t dst, uint32_t src, uint32_t src2, uint32_t op)
{
    return x86_cc_compute_c(dst, src, src2, (int)op);
}

uint32_t helper_cc_compute_all64(uint64_t dst, uint64_t src, uint64_t src2, uint32_t op)
{
    return x86_cc_compute_all(dst, src, src2, (int)op);
}

uint32_t helper_cc_compute_c64(uint64_t dst, uint64_t src, uint64_t src2, uint32_t op)
{
    return x86_cc_compute_c(dst, src, src2, (int)op);
}

uint32_t helper_read_eflags(CPUX86State *env)
{
    return x86_compute_eflags(env);
}

void helper_write_eflags(CPUX86State *env, uint32_t val, uint32_t mask)
{
    x86_load_eflags(env, val, mask);
}
