/*
 * x86 translator handlers for MMX, SSE, SSE2, SSE3, SSSE3, SSE4.1, SSE4.2,
 * POPCNT's kin LZCNT/TZCNT, CRC32 and the SIMD state instructions.
 * XMM and MMX registers are not IR globals: they live in env (xmm_regs,
 * fpregs[].mmx) and are read and written as I64 halves with ld/st, so
 * inline IR and helpers (which take env offsets) see the same state.
 * The hot paths of string and memory functions (moves, MOVD/MOVQ, logic,
 * PADD/PSUB/PCMPEQ) are inline IR; the rest call helpers.
 * Must stay true: the checks that fault (#UD, #NM, alignment #GP, memory)
 * all come before the first write to a register; CR0.EM/TS and CR4.OSFXSR
 * are in hflags, so they are decided at translation time.
 */
#include "frontend/x86/translate.h"
#include "frontend/x86/helpers.h"
#include "frontend/x86/sse.h"
#include "frontend/x86/cpuid.h"

#undef HELPER_MODE
#define HELPER_MODE HELPER_GEN
#include "tcg/helper-gen.h"
#include "frontend/x86/helpers.def"

#define S (dc->s)

enum {
    SSE_F_FP = 1,           /* may raise a SIMD FP exception: state synced first */
    SSE_F_UNALIGNED = 2,    /* a 128-bit memory operand may be unaligned */
};

static bool op_is(X86Insn *insn, int type)
{
    for (int i = 0; i < insn->nb_ops; i++) {
        if (insn->ops[i].type == type) {
            return true;
        }
    }
    return false;
}

static int32_t reg_off(const X86Operand *op)
{
    if (op->type == X86_OPT_XMM) {
        return X86_ENV_OFFSET(xmm_regs[op->reg]);
    }
    return X86_ENV_OFFSET(fpregs[op->reg & 7].mmx);
}

#define XMM_T0 X86_ENV_OFFSET(xmm_t0)

/* v as I32 (its low half if the translator's registers are I64) */
static TCGv as_i32(DisasContext *dc, TCGv v)
{
    if (tcg_temp_type(S, v) == TCG_TYPE_I32) {
        return v;
    }
    TCGv t = tmp32(dc);
    tcg_gen_extrl_i64_i32(S, t, v);
    return t;
}

/* v zero-extended to I64 */
static TCGv as_i64(DisasContext *dc, TCGv v)
{
    if (tcg_temp_type(S, v) == TCG_TYPE_I64) {
        return v;
    }
    TCGv t = tmp64(dc);
    tcg_gen_extu_i32_i64(S, t, v);
    return t;
}

/* general register or memory operand i of 8 bytes (REX.W forms), as I64 */
static TCGv ld_gpr_op64(DisasContext *dc, X86Insn *insn, int i)
{
    X86Operand *op = &insn->ops[i];
    if (op->type == X86_OPT_MEM) {
        TCGv t = tmp64(dc);
        x86_gen_ld(dc, t, x86_gen_addr(dc, insn), 8);
        return t;
    }
    return as_i64(dc, x86_ld_reg(dc, op->reg, 8, false));
}

/* general register or memory operand i, zero-extended, as I32 */
static TCGv ld_gpr_op(DisasContext *dc, X86Insn *insn, int i)
{
    X86Operand *op = &insn->ops[i];
    if (op->type == X86_OPT_MEM) {
        TCGv t = tmp32(dc);
        x86_gen_ld(dc, t, x86_gen_addr(dc, insn), op->size);
        return t;
    }
    return as_i32(dc, x86_ld_reg(dc, op->reg, op->size, op->high8));
}

/* #UD if CR0.EM (or, for SSE forms, CR4.OSFXSR clear), #NM if CR0.TS.
 * False when the exception was emitted (the handler then returns true). */
static bool sse_check(DisasContext *dc, bool sse)
{
    if ((dc->flags & HF_EM_MASK) || (sse && !(dc->flags & HF_OSFXSR_MASK))) {
        x86_gen_exception(dc, EXCP06_ILLOP);
        return false;
    }
    if (dc->flags & HF_TS_MASK) {
        x86_gen_exception(dc, EXCP07_PREX);
        return false;
    }
    return true;
}

/* x87 -> MMX: TOP = 0 and every tag valid */
static void mmx_enter(DisasContext *dc)
{
    tcg_gen_st32(S, c32(dc, 0), X86_ENV_OFFSET(fpstt));
    tcg_gen_st(S, tcg_constant(S, TCG_TYPE_I64, 0), X86_ENV_OFFSET(fptags));
}

/* an MMX register write sets the x87 exponent field to all ones */
static void mmx_mark(DisasContext *dc, const X86Operand *op)
{
    if (op->type == X86_OPT_MMX) {
        tcg_gen_st16(S, c32(dc, 0xffff), X86_ENV_OFFSET(fpregs[op->reg & 7].f.sign_exp));
    }
}

/* The checks of an MMX/SSE instruction; false if it faulted. */
static bool sse_begin(DisasContext *dc, X86Insn *insn)
{
    bool mmx = op_is(insn, X86_OPT_MMX);
    if (!sse_check(dc, op_is(insn, X86_OPT_XMM) || !mmx)) {
        return false;
    }
    if (mmx) {
        mmx_enter(dc);
    }
    return true;
}

static TCGv addr_plus(DisasContext *dc, TCGv a, int n)
{
    TCGv t;
    if (!n) {
        return a;
    }
    t = x86_temp(dc, tcg_temp_type(S, a));
    tcg_gen_addi(S, t, a, (uint64_t)n);
    return t;
}

/* #GP(0) unless a is 16-byte aligned (the aligned 128-bit forms) */
static void check_align16(DisasContext *dc, TCGv a)
{
    TCGv t = x86_temp(dc, tcg_temp_type(S, a));
    int ok = tcg_new_label(S);
    tcg_gen_andi(S, t, a, 15);
    tcg_gen_brcondi(S, TCG_COND_EQ, t, 0, ok);
    /* the raise restores eip and cc_op from the insn_start record */
    gen_helper_raise_exception_err(S, TCG_ENV, c32(dc, EXCP0D_GPF), c32(dc, 0));
    tcg_gen_set_label(S, ok);
}

/* Address of the memory operand, alignment checked when the form needs it. */
static TCGv sse_addr(DisasContext *dc, X86Insn *insn, int size, uint32_t flags)
{
    TCGv a = x86_gen_addr(dc, insn);
    if (size == 16 && !(flags & SSE_F_UNALIGNED)) {
        check_align16(dc, a);
    }
    /* a memory destination is stored, a memory source read */
    x86_seg_check_a0(dc, insn, size, insn->ops[0].type == X86_OPT_MEM ? X86_ACC_WRITE : X86_ACC_READ);
    return a;
}

/* Load size bytes of guest memory into env at off. */
static void ld_mem_env(DisasContext *dc, TCGv a, int size, int32_t off)
{
    TCGv t;
    if (size >= 8) {
        TCGv lo = tmp64(dc), hi = TCGV_NONE;
        tcg_gen_qemu_ld(S, lo, a, MO_64, dc->mmu_idx);
        if (size == 16) {
            hi = tmp64(dc);
            tcg_gen_qemu_ld(S, hi, addr_plus(dc, a, 8), MO_64, dc->mmu_idx);
        }
        tcg_gen_st(S, lo, off);
        if (size == 16) {
            tcg_gen_st(S, hi, off + 8);
        }
        return;
    }
    t = tmp32(dc);
    tcg_gen_qemu_ld(S, t, a, (MemOp)size_shift(size), dc->mmu_idx);
    if (size == 4) {
        tcg_gen_st32(S, t, off);
    } else if (size == 2) {
        tcg_gen_st16(S, t, off);
    } else {
        tcg_gen_st8(S, t, off);
    }
}

/* env offset of source operand i: a register, or xmm_t0 holding memory */
static int32_t src_off(DisasContext *dc, X86Insn *insn, int i, uint32_t flags)
{
    X86Operand *op = &insn->ops[i];
    if (op->type != X86_OPT_MEM) {
        return reg_off(op);
    }
    ld_mem_env(dc, sse_addr(dc, insn, op->size, flags), op->size, XMM_T0);
    return XMM_T0;
}

static uint32_t width_of(X86Insn *insn)
{
    return op_is(insn, X86_OPT_XMM) ? 16 : 8;
}

static uint32_t imm_of(X86Insn *insn)
{
    for (int i = 0; i < insn->nb_ops; i++) {
        if (insn->ops[i].type == X86_OPT_IMM) {
            return (uint32_t)insn->ops[i].imm & 0xff;
        }
    }
    return 0;
}

static void call4(DisasContext *dc, const TCGHelperInfo *info, TCGv ret, int32_t d, int32_t s,
                  uint32_t aux)
{
    TCGv args[4] = { TCG_ENV, c32(dc, (uint32_t)d), c32(dc, (uint32_t)s), c32(dc, aux) };
    tcg_gen_call(S, info, ret, 4, args);
}

/* op0 = op0 OP op1 [imm] through a helper */
static bool gen_helper_op(DisasContext *dc, X86Insn *insn, const TCGHelperInfo *info,
                          uint32_t flags)
{
    if (!sse_begin(dc, insn)) {
        return true;
    }
    int32_t s = src_off(dc, insn, 1, flags);
    uint32_t aux = imm_of(insn) | width_of(insn) << 8 |
                   (x86_op_is_mem(insn, 1) ? SSE_AUX_MEM : 0);
    if (flags & SSE_F_FP) {
        x86_prepare_helper(dc);
    }
    call4(dc, info, TCGV_NONE, reg_off(&insn->ops[0]), s, aux);
    mmx_mark(dc, &insn->ops[0]);
    return true;
}

#define SSE_HELPER(MNEM, helper, flags) \
    X86_TRANS(MNEM) { return gen_helper_op(dc, insn, &helper_info_##helper, flags); }
#define SSE_FP(MNEM, helper) SSE_HELPER(MNEM, helper, SSE_F_FP)
#define SSE_INT(MNEM, helper) SSE_HELPER(MNEM, helper, 0)

/* ---- inline IR on 64-bit halves ---- */
typedef void (*IrOp)(DisasContext *dc, TCGv r, TCGv a, TCGv b);

/* Halves of operand i (n of them), loaded before anything is written. */
static void ld_halves(DisasContext *dc, X86Insn *insn, int i, int n, TCGv *h, uint32_t flags)
{
    X86Operand *op = &insn->ops[i];
    if (op->type == X86_OPT_MEM) {
        TCGv a = sse_addr(dc, insn, op->size, flags);
        for (int k = 0; k < n; k++) {
            h[k] = tmp64(dc);
            tcg_gen_qemu_ld(S, h[k], addr_plus(dc, a, 8 * k), MO_64, dc->mmu_idx);
        }
    } else {
        for (int k = 0; k < n; k++) {
            h[k] = tmp64(dc);
            tcg_gen_ld(S, h[k], reg_off(op) + 8 * k);
        }
    }
}

static bool gen_ir_op(DisasContext *dc, X86Insn *insn, IrOp fn)
{
    TCGv a[2], b[2];
    int n = width_of(insn) / 8;
    if (!sse_begin(dc, insn)) {
        return true;
    }
    ld_halves(dc, insn, 1, n, b, 0);
    ld_halves(dc, insn, 0, n, a, 0);
    for (int k = 0; k < n; k++) {
        TCGv r = tmp64(dc);
        fn(dc, r, a[k], b[k]);
        tcg_gen_st(S, r, reg_off(&insn->ops[0]) + 8 * k);
    }
    mmx_mark(dc, &insn->ops[0]);
    return true;
}

static void ir_and(DisasContext *dc, TCGv r, TCGv a, TCGv b) { tcg_gen_and(S, r, a, b); }
static void ir_or(DisasContext *dc, TCGv r, TCGv a, TCGv b) { tcg_gen_or(S, r, a, b); }
static void ir_xor(DisasContext *dc, TCGv r, TCGv a, TCGv b) { tcg_gen_xor(S, r, a, b); }
static void ir_andn(DisasContext *dc, TCGv r, TCGv a, TCGv b) { tcg_gen_andc(S, r, b, a); }
static void ir_addq(DisasContext *dc, TCGv r, TCGv a, TCGv b) { tcg_gen_add(S, r, a, b); }
static void ir_subq(DisasContext *dc, TCGv r, TCGv a, TCGv b) { tcg_gen_sub(S, r, a, b); }

/* lane-wise add without carries between lanes: h = lane sign bits */
static void swar_add(DisasContext *dc, TCGv r, TCGv a, TCGv b, uint64_t h)
{
    TCGv x = tmp64(dc), y = tmp64(dc), t = tmp64(dc);
    tcg_gen_andi(S, x, a, ~h);
    tcg_gen_andi(S, y, b, ~h);
    tcg_gen_add(S, x, x, y);
    tcg_gen_xor(S, t, a, b);
    tcg_gen_andi(S, t, t, h);
    tcg_gen_xor(S, r, x, t);
}

static void swar_sub(DisasContext *dc, TCGv r, TCGv a, TCGv b, uint64_t h)
{
    TCGv x = tmp64(dc), y = tmp64(dc), t = tmp64(dc);
    tcg_gen_ori(S, x, a, h);
    tcg_gen_andi(S, y, b, ~h);
    tcg_gen_sub(S, x, x, y);
    tcg_gen_not(S, t, b);
    tcg_gen_xor(S, t, t, a);
    tcg_gen_andi(S, t, t, h);
    tcg_gen_xor(S, r, x, t);
}

/* all-ones lanes where a == b: h = lane sign bits, bits = lane width */
static void swar_cmpeq(DisasContext *dc, TCGv r, TCGv a, TCGv b, uint64_t h, int bits)
{
    TCGv x = tmp64(dc), t = tmp64(dc);
    tcg_gen_xor(S, x, a, b);
    tcg_gen_andi(S, t, x, ~h);
    tcg_gen_addi(S, t, t, ~h);
    tcg_gen_or(S, t, t, x);            /* lane sign bit: lane nonzero */
    tcg_gen_andi(S, t, t, h);
    tcg_gen_shri(S, t, t, bits - 1);   /* 1 per nonzero lane */
    tcg_gen_muli(S, t, t, bits == 64 ? ~0ull : (1ull << bits) - 1);
    tcg_gen_not(S, r, t);
}

#define H8  0x8080808080808080ull
#define H16 0x8000800080008000ull
#define H32 0x8000000080000000ull
static void ir_addb(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_add(dc, r, a, b, H8); }
static void ir_addw(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_add(dc, r, a, b, H16); }
static void ir_addd(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_add(dc, r, a, b, H32); }
static void ir_subb(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_sub(dc, r, a, b, H8); }
static void ir_subw(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_sub(dc, r, a, b, H16); }
static void ir_subd(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_sub(dc, r, a, b, H32); }
static void ir_cmpeqb(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_cmpeq(dc, r, a, b, H8, 8); }
static void ir_cmpeqw(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_cmpeq(dc, r, a, b, H16, 16); }
static void ir_cmpeqd(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_cmpeq(dc, r, a, b, H32, 32); }

#define SSE_IR(MNEM, fn) X86_TRANS(MNEM) { return gen_ir_op(dc, insn, fn); }
SSE_IR(PAND, ir_and) SSE_IR(ANDPS, ir_and) SSE_IR(ANDPD, ir_and)
SSE_IR(POR, ir_or) SSE_IR(ORPS, ir_or) SSE_IR(ORPD, ir_or)
SSE_IR(PXOR, ir_xor) SSE_IR(XORPS, ir_xor) SSE_IR(XORPD, ir_xor)
SSE_IR(PANDN, ir_andn) SSE_IR(ANDNPS, ir_andn) SSE_IR(ANDNPD, ir_andn)
SSE_IR(PADDB, ir_addb) SSE_IR(PADDW, ir_addw) SSE_IR(PADDD, ir_addd) SSE_IR(PADDQ, ir_addq)
SSE_IR(PSUBB, ir_subb) SSE_IR(PSUBW, ir_subw) SSE_IR(PSUBD, ir_subd) SSE_IR(PSUBQ, ir_subq)
SSE_IR(PCMPEQB, ir_cmpeqb) SSE_IR(PCMPEQW, ir_cmpeqw) SSE_IR(PCMPEQD, ir_cmpeqd)

/* unsigned byte min/max: the borrow out of each byte of a - b says a < b */
static void swar_minmaxub(DisasContext *dc, TCGv r, TCGv a, TCGv b, bool max)
{
    TCGv d = tmp64(dc), t = tmp64(dc), u = tmp64(dc), m = tmp64(dc);
    swar_sub(dc, d, a, b, H8);
    tcg_gen_andc(S, t, b, a);          /* ~a & b */
    tcg_gen_xor(S, u, a, b);
    tcg_gen_andc(S, u, d, u);          /* ~(a ^ b) & d */
    tcg_gen_or(S, t, t, u);
    tcg_gen_andi(S, t, t, H8);
    tcg_gen_shri(S, t, t, 7);
    tcg_gen_muli(S, m, t, 0xff);       /* 0xff where a < b */
    if (max) {
        tcg_gen_and(S, t, b, m);
        tcg_gen_andc(S, u, a, m);
    } else {
        tcg_gen_and(S, t, a, m);
        tcg_gen_andc(S, u, b, m);
    }
    tcg_gen_or(S, r, t, u);
}
static void ir_minub(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_minmaxub(dc, r, a, b, false); }
static void ir_maxub(DisasContext *dc, TCGv r, TCGv a, TCGv b) { swar_minmaxub(dc, r, a, b, true); }
SSE_IR(PMINUB, ir_minub) SSE_IR(PMAXUB, ir_maxub)

/* x (32 significant bits) with its 8- or 16-bit elements spread to every
 * other element of a 64-bit value */
static TCGv spread(DisasContext *dc, TCGv x, int bits)
{
    TCGv t = tmp64(dc), u = tmp64(dc);
    tcg_gen_shli(S, u, x, 16);
    tcg_gen_or(S, t, x, u);
    tcg_gen_andi(S, t, t, 0x0000ffff0000ffffull);
    if (bits == 8) {
        tcg_gen_shli(S, u, t, 8);
        tcg_gen_or(S, t, t, u);
        tcg_gen_andi(S, t, t, 0x00ff00ff00ff00ffull);
    }
    return t;
}

/* PUNPCKLBW/WD/DQ/QDQ (and UNPCKLPS/PD) inline: interleave the low halves */
static bool gen_punpckl(DisasContext *dc, X86Insn *insn, int bits)
{
    X86Operand *src = &insn->ops[1];
    int n = (int)width_of(insn) / 8;
    TCGv a = tmp64(dc), b = tmp64(dc), r[2];
    if (!sse_begin(dc, insn)) {
        return true;
    }
    if (src->type == X86_OPT_MEM) {
        /* MMX forms read 32 bits, XMM forms an aligned 128 */
        TCGv addr = sse_addr(dc, insn, src->size, 0);
        tcg_gen_qemu_ld(S, b, addr, src->size == 4 ? MO_32 : MO_64, dc->mmu_idx);
    } else {
        tcg_gen_ld(S, b, reg_off(src));
    }
    tcg_gen_ld(S, a, reg_off(&insn->ops[0]));
    for (int k = 0; k < n; k++) {
        TCGv ah = tmp64(dc), bh = tmp64(dc);
        r[k] = tmp64(dc);
        if (bits == 64) {
            tcg_gen_mov(S, r[k], k ? b : a);
            continue;
        }
        /* the k-th 32-bit part of each low half */
        if (k) {
            tcg_gen_shri(S, ah, a, 32);
            tcg_gen_shri(S, bh, b, 32);
        } else {
            tcg_gen_ext32u(S, ah, a);
            tcg_gen_ext32u(S, bh, b);
        }
        if (bits == 32) {
            tcg_gen_shli(S, bh, bh, 32);
            tcg_gen_or(S, r[k], ah, bh);
        } else {
            TCGv sb = spread(dc, bh, bits);
            tcg_gen_shli(S, sb, sb, bits);
            tcg_gen_or(S, r[k], spread(dc, ah, bits), sb);
        }
    }
    for (int k = 0; k < n; k++) {
        tcg_gen_st(S, r[k], reg_off(&insn->ops[0]) + 8 * k);
    }
    mmx_mark(dc, &insn->ops[0]);
    return true;
}
X86_TRANS(PUNPCKLBW) { return gen_punpckl(dc, insn, 8); }
X86_TRANS(PUNPCKLWD) { return gen_punpckl(dc, insn, 16); }
X86_TRANS(PUNPCKLDQ) { return gen_punpckl(dc, insn, 32); }
X86_TRANS_ALIAS(UNPCKLPS, PUNPCKLDQ);
X86_TRANS(PUNPCKLQDQ) { return gen_punpckl(dc, insn, 64); }
X86_TRANS_ALIAS(UNPCKLPD, PUNPCKLQDQ);

/* PSHUFD inline: each result dword picked from the two source halves */
X86_TRANS(PSHUFD)
{
    TCGv b[2], r[2];
    uint32_t imm = imm_of(insn);
    if (!sse_begin(dc, insn)) {
        return true;
    }
    ld_halves(dc, insn, 1, 2, b, 0);
    for (int k = 0; k < 2; k++) {
        TCGv d[2];
        for (int j = 0; j < 2; j++) {
            int sel = (imm >> (2 * (2 * k + j))) & 3;
            d[j] = tmp64(dc);
            if (j == 0) {
                if (sel & 1) {
                    tcg_gen_shri(S, d[j], b[sel >> 1], 32);
                } else {
                    tcg_gen_ext32u(S, d[j], b[sel >> 1]);
                }
            } else if (sel & 1) {
                tcg_gen_andi(S, d[j], b[sel >> 1], 0xffffffff00000000ull);
            } else {
                tcg_gen_shli(S, d[j], b[sel >> 1], 32);
            }
        }
        r[k] = tmp64(dc);
        tcg_gen_or(S, r[k], d[0], d[1]);
    }
    for (int k = 0; k < 2; k++) {
        tcg_gen_st(S, r[k], reg_off(&insn->ops[0]) + 8 * k);
    }
    return true;
}

/* ---- moves ---- */

/* Whole-register or memory copies of n bytes (8 or 16); zext: a load into
 * an XMM register of fewer than 16 bytes clears the rest (MOVQ, MOVSS/SD
 * from memory); merge: a register-to-register move of the low n bytes
 * keeps the rest (MOVSS/MOVSD xmm, xmm). */
static bool gen_mov(DisasContext *dc, X86Insn *insn, uint32_t flags, bool zext, int n_reg)
{
    X86Operand *dst = &insn->ops[0], *src = &insn->ops[1];
    int n = src->type == X86_OPT_MEM ? src->size : dst->type == X86_OPT_MEM ? dst->size : n_reg;
    if (!sse_begin(dc, insn)) {
        return true;
    }
    if (dst->type == X86_OPT_MEM) {
        TCGv a = sse_addr(dc, insn, n, flags);
        if (n >= 8) {
            for (int k = 0; k < n / 8; k++) {
                TCGv t = tmp64(dc);
                tcg_gen_ld(S, t, reg_off(src) + 8 * k);
                tcg_gen_qemu_st(S, t, addr_plus(dc, a, 8 * k), MO_64, dc->mmu_idx);
            }
        } else {
            TCGv t = tmp32(dc);
            tcg_gen_ld32u(S, t, reg_off(src));
            tcg_gen_qemu_st(S, t, a, MO_32, dc->mmu_idx);
        }
        return true;
    }
    int32_t d = reg_off(dst);
    if (n >= 8) {
        TCGv h[2];
        ld_halves(dc, insn, 1, n / 8, h, flags);
        for (int k = 0; k < n / 8; k++) {
            tcg_gen_st(S, h[k], d + 8 * k);
        }
    } else {
        TCGv t = tmp32(dc);
        if (src->type == X86_OPT_MEM) {
            tcg_gen_qemu_ld(S, t, sse_addr(dc, insn, 4, flags), MO_32, dc->mmu_idx);
        } else {
            tcg_gen_ld32u(S, t, reg_off(src));
        }
        tcg_gen_st32(S, t, d);
        if (zext) {
            tcg_gen_st32(S, c32(dc, 0), d + 4);
        }
    }
    if (zext && dst->type == X86_OPT_XMM && n < 16) {
        tcg_gen_st(S, tcg_constant(S, TCG_TYPE_I64, 0), d + 8);
    }
    mmx_mark(dc, dst);
    return true;
}

X86_TRANS(MOVUPS) { return gen_mov(dc, insn, SSE_F_UNALIGNED, false, 16); }
X86_TRANS_ALIAS(MOVUPD, MOVUPS);
X86_TRANS_ALIAS(MOVDQU, MOVUPS);
X86_TRANS_ALIAS(LDDQU, MOVUPS);
X86_TRANS(MOVAPS) { return gen_mov(dc, insn, 0, false, 16); }
X86_TRANS_ALIAS(MOVAPD, MOVAPS);
X86_TRANS_ALIAS(MOVDQA, MOVAPS);
X86_TRANS_ALIAS(MOVNTPS, MOVAPS);
X86_TRANS_ALIAS(MOVNTPD, MOVAPS);
X86_TRANS_ALIAS(MOVNTDQ, MOVAPS);
X86_TRANS_ALIAS(MOVNTDQA, MOVAPS);
X86_TRANS_ALIAS(MOVNTQ, MOVAPS);

/* MOVQ: mm <-> mm/m64 (0F 6F/7F), xmm <- xmm/m64 zero-extended (F3 0F 7E),
 * xmm/m64 <- xmm (66 0F D6: the register form zero-extends too) */
X86_TRANS(MOVQ)
{
    return gen_mov(dc, insn, 0, true, 8);
}

/* MOVSS / MOVSD: a load clears the upper lanes, xmm <- xmm merges */
X86_TRANS(MOVSS) { return gen_mov(dc, insn, 0, x86_op_is_mem(insn, 1), 4); }
X86_TRANS(MOVSD) { return gen_mov(dc, insn, 0, x86_op_is_mem(insn, 1), 8); }

/* MOVD / MOVQ (REX.W) between a general register or memory and mm/xmm */
X86_TRANS(MOVD)
{
    X86Operand *d = &insn->ops[0], *s = &insn->ops[1];
    bool wide = insn->opsize == 8;      /* REX.W: MOVQ r/m64 */
    if (!sse_begin(dc, insn)) {
        return true;
    }
    if (d->type == X86_OPT_MMX || d->type == X86_OPT_XMM) {
        TCGv q = wide ? ld_gpr_op64(dc, insn, 1) : as_i64(dc, ld_gpr_op(dc, insn, 1));
        tcg_gen_st(S, q, reg_off(d));
        if (d->type == X86_OPT_XMM) {
            tcg_gen_st(S, tcg_constant(S, TCG_TYPE_I64, 0), reg_off(d) + 8);
        }
        mmx_mark(dc, d);
    } else if (wide) {
        TCGv v = tmp64(dc);
        tcg_gen_ld(S, v, reg_off(s));
        if (d->type == X86_OPT_MEM) {
            x86_gen_st(dc, v, x86_gen_addr(dc, insn), 8);
        } else {
            x86_st_reg(dc, d->reg, 8, false, v);
        }
    } else {
        TCGv v = tmp32(dc);
        tcg_gen_ld32u(S, v, reg_off(s));
        x86_st_op(dc, insn, 0, v);
    }
    return true;
}

/* low or high quadword from/to memory; MOVHLPS/MOVLHPS between registers */
static bool gen_mov_half(DisasContext *dc, X86Insn *insn, int dhalf, int shalf)
{
    X86Operand *d = &insn->ops[0], *s = &insn->ops[1];
    TCGv t = tmp64(dc);
    if (!sse_begin(dc, insn)) {
        return true;
    }
    if (d->type == X86_OPT_MEM) {
        tcg_gen_ld(S, t, reg_off(s) + 8 * shalf);
        x86_seg_check_a0(dc, insn, 8, X86_ACC_WRITE);
        tcg_gen_qemu_st(S, t, x86_gen_addr(dc, insn), MO_64, dc->mmu_idx);
        return true;
    }
    if (s->type == X86_OPT_MEM) {
        x86_seg_check_a0(dc, insn, 8, X86_ACC_READ);
        tcg_gen_qemu_ld(S, t, x86_gen_addr(dc, insn), MO_64, dc->mmu_idx);
    } else {
        tcg_gen_ld(S, t, reg_off(s) + 8 * shalf);
    }
    tcg_gen_st(S, t, reg_off(d) + 8 * dhalf);
    return true;
}

X86_TRANS(MOVLPS) { return gen_mov_half(dc, insn, 0, 0); }
X86_TRANS_ALIAS(MOVLPD, MOVLPS);
X86_TRANS(MOVHPS) { return gen_mov_half(dc, insn, 1, 1); }
X86_TRANS_ALIAS(MOVHPD, MOVHPS);
X86_TRANS(MOVHLPS) { return gen_mov_half(dc, insn, 0, 1); }
X86_TRANS(MOVLHPS) { return gen_mov_half(dc, insn, 1, 0); }

X86_TRANS(MOVQ2DQ)
{
    TCGv t = tmp64(dc);
    if (!sse_begin(dc, insn)) {
        return true;
    }
    tcg_gen_ld(S, t, reg_off(&insn->ops[1]));
    tcg_gen_st(S, t, reg_off(&insn->ops[0]));
    tcg_gen_st(S, tcg_constant(S, TCG_TYPE_I64, 0), reg_off(&insn->ops[0]) + 8);
    return true;
}

X86_TRANS(MOVDQ2Q)
{
    TCGv t = tmp64(dc);
    if (!sse_begin(dc, insn)) {
        return true;
    }
    tcg_gen_ld(S, t, reg_off(&insn->ops[1]));
    tcg_gen_st(S, t, reg_off(&insn->ops[0]));
    mmx_mark(dc, &insn->ops[0]);
    return true;
}

/* MOVNTI: a plain store of a general register */
X86_TRANS(MOVNTI)
{
    int size = insn->ops[1].size;
    TCGv v = size == 8 ? as_i64(dc, x86_ld_reg(dc, insn->ops[1].reg, 8, false)) :
             ld_gpr_op(dc, insn, 1);
    x86_gen_st(dc, v, x86_gen_addr(dc, insn), size);
    return true;
}

X86_TRANS(EMMS)
{
    if (!sse_check(dc, false)) {
        return true;
    }
    tcg_gen_st(S, tcg_constant(S, TCG_TYPE_I64, 0x0101010101010101ull), X86_ENV_OFFSET(fptags));
    return true;
}

/* ---- integer helpers ---- */
SSE_INT(PADDSB, paddsb) SSE_INT(PADDSW, paddsw) SSE_INT(PADDUSB, paddusb) SSE_INT(PADDUSW, paddusw)
SSE_INT(PSUBSB, psubsb) SSE_INT(PSUBSW, psubsw) SSE_INT(PSUBUSB, psubusb) SSE_INT(PSUBUSW, psubusw)
SSE_INT(PCMPEQQ, pcmpeqq)
SSE_INT(PCMPGTB, pcmpgtb) SSE_INT(PCMPGTW, pcmpgtw) SSE_INT(PCMPGTD, pcmpgtd) SSE_INT(PCMPGTQ, pcmpgtq)
SSE_INT(PMINSW, pminsw) SSE_INT(PMAXSW, pmaxsw)
SSE_INT(PMINSB, pminsb) SSE_INT(PMINSD, pminsd) SSE_INT(PMINUW, pminuw) SSE_INT(PMINUD, pminud)
SSE_INT(PMAXSB, pmaxsb) SSE_INT(PMAXSD, pmaxsd) SSE_INT(PMAXUW, pmaxuw) SSE_INT(PMAXUD, pmaxud)
SSE_INT(PAVGB, pavgb) SSE_INT(PAVGW, pavgw) SSE_INT(PMULLW, pmullw) SSE_INT(PMULHW, pmulhw)
SSE_INT(PMULHUW, pmulhuw) SSE_INT(PMULLD, pmulld) SSE_INT(PMULUDQ, pmuludq) SSE_INT(PMULDQ, pmuldq)
SSE_INT(PMADDWD, pmaddwd) SSE_INT(PSADBW, psadbw) SSE_INT(PMADDUBSW, pmaddubsw)
SSE_INT(PMULHRSW, pmulhrsw)
SSE_INT(PSIGNB, psignb) SSE_INT(PSIGNW, psignw) SSE_INT(PSIGND, psignd)
SSE_INT(PABSB, pabsb) SSE_INT(PABSW, pabsw) SSE_INT(PABSD, pabsd)
SSE_INT(PHADDW, phaddw) SSE_INT(PHADDD, phaddd) SSE_INT(PHADDSW, phaddsw)
SSE_INT(PHSUBW, phsubw) SSE_INT(PHSUBD, phsubd) SSE_INT(PHSUBSW, phsubsw)
SSE_INT(PSHUFB, pshufb) SSE_INT(PACKSSWB, packsswb) SSE_INT(PACKSSDW, packssdw)
SSE_INT(PACKUSWB, packuswb) SSE_INT(PACKUSDW, packusdw)
SSE_INT(PUNPCKHBW, punpckhbw) SSE_INT(PUNPCKHWD, punpckhwd)
SSE_INT(PUNPCKHDQ, punpckhdq) SSE_INT(PUNPCKHQDQ, punpckhqdq)
SSE_INT(UNPCKHPS, punpckhdq)
SSE_INT(UNPCKHPD, punpckhqdq)
SSE_INT(PSHUFW, pshufw) SSE_INT(PSHUFHW, pshufhw) SSE_INT(PSHUFLW, pshuflw)
SSE_INT(PALIGNR, palignr) SSE_INT(PBLENDVB, pblendvb) SSE_INT(BLENDVPS, blendvps)
SSE_INT(BLENDVPD, blendvpd) SSE_INT(BLENDPS, blendps) SSE_INT(BLENDPD, blendpd)
SSE_INT(PBLENDW, pblendw)
SSE_INT(PMOVSXBW, pmovsxbw) SSE_INT(PMOVSXBD, pmovsxbd) SSE_INT(PMOVSXBQ, pmovsxbq)
SSE_INT(PMOVSXWD, pmovsxwd) SSE_INT(PMOVSXWQ, pmovsxwq) SSE_INT(PMOVSXDQ, pmovsxdq)
SSE_INT(PMOVZXBW, pmovzxbw) SSE_INT(PMOVZXBD, pmovzxbd) SSE_INT(PMOVZXBQ, pmovzxbq)
SSE_INT(PMOVZXWD, pmovzxwd) SSE_INT(PMOVZXWQ, pmovzxwq) SSE_INT(PMOVZXDQ, pmovzxdq)
SSE_INT(PHMINPOSUW, phminposuw) SSE_INT(MPSADBW, mpsadbw) SSE_INT(SHUFPS, shufps)
SSE_INT(SHUFPD, shufpd) SSE_INT(MOVSLDUP, movsldup) SSE_INT(MOVSHDUP, movshdup)
SSE_INT(MOVDDUP, movddup) SSE_INT(INSERTPS, insertps)

/* shifts: by mm/xmm/m (count = its low 64 bits) or, in groups 12-14, by imm8 */
static bool gen_shift(DisasContext *dc, X86Insn *insn, const TCGHelperInfo *info)
{
    if (insn->ops[1].type == X86_OPT_IMM) {
        if (!sse_begin(dc, insn)) {
            return true;
        }
        call4(dc, info, TCGV_NONE, reg_off(&insn->ops[0]), 0,
              imm_of(insn) | width_of(insn) << 8 | SSE_AUX_IMM_COUNT);
        mmx_mark(dc, &insn->ops[0]);
        return true;
    }
    return gen_helper_op(dc, insn, info, 0);
}
#define SSE_SHIFT(MNEM, helper) \
    X86_TRANS(MNEM) { return gen_shift(dc, insn, &helper_info_##helper); }
SSE_SHIFT(PSRLW, psrlw) SSE_SHIFT(PSRLD, psrld) SSE_SHIFT(PSRLQ, psrlq)
SSE_SHIFT(PSRAW, psraw) SSE_SHIFT(PSRAD, psrad)
SSE_SHIFT(PSLLW, psllw) SSE_SHIFT(PSLLD, pslld) SSE_SHIFT(PSLLQ, psllq)
SSE_SHIFT(PSRLDQ, psrldq) SSE_SHIFT(PSLLDQ, pslldq)

/* ---- floating point (host SSE in sse_fp_helper.c) ---- */
SSE_FP(ADDPS, addps) SSE_FP(ADDPD, addpd) SSE_FP(ADDSS, addss) SSE_FP(ADDSD, addsd)
SSE_FP(SUBPS, subps) SSE_FP(SUBPD, subpd) SSE_FP(SUBSS, subss) SSE_FP(SUBSD, subsd)
SSE_FP(MULPS, mulps) SSE_FP(MULPD, mulpd) SSE_FP(MULSS, mulss) SSE_FP(MULSD, mulsd)
SSE_FP(DIVPS, divps) SSE_FP(DIVPD, divpd) SSE_FP(DIVSS, divss) SSE_FP(DIVSD, divsd)
SSE_FP(MINPS, minps) SSE_FP(MINPD, minpd) SSE_FP(MINSS, minss) SSE_FP(MINSD, minsd)
SSE_FP(MAXPS, maxps) SSE_FP(MAXPD, maxpd) SSE_FP(MAXSS, maxss) SSE_FP(MAXSD, maxsd)
SSE_FP(SQRTPS, sqrtps) SSE_FP(SQRTPD, sqrtpd) SSE_FP(SQRTSS, sqrtss) SSE_FP(SQRTSD, sqrtsd)
SSE_FP(RCPPS, rcpps) SSE_FP(RCPSS, rcpss) SSE_FP(RSQRTPS, rsqrtps) SSE_FP(RSQRTSS, rsqrtss)
SSE_FP(ADDSUBPS, addsubps) SSE_FP(ADDSUBPD, addsubpd) SSE_FP(HADDPS, haddps)
SSE_FP(HADDPD, haddpd) SSE_FP(HSUBPS, hsubps) SSE_FP(HSUBPD, hsubpd)
SSE_FP(CVTPS2PD, cvtps2pd) SSE_FP(CVTPD2PS, cvtpd2ps) SSE_FP(CVTSS2SD, cvtss2sd)
SSE_FP(CVTSD2SS, cvtsd2ss) SSE_FP(CVTDQ2PS, cvtdq2ps) SSE_FP(CVTPS2DQ, cvtps2dq)
SSE_FP(CVTTPS2DQ, cvttps2dq) SSE_FP(CVTDQ2PD, cvtdq2pd) SSE_FP(CVTPD2DQ, cvtpd2dq)
SSE_FP(CVTTPD2DQ, cvttpd2dq)
SSE_FP(CVTPI2PS, cvtpi2ps) SSE_FP(CVTPI2PD, cvtpi2pd) SSE_FP(CVTPS2PI, cvtps2pi)
SSE_FP(CVTTPS2PI, cvttps2pi) SSE_FP(CVTPD2PI, cvtpd2pi) SSE_FP(CVTTPD2PI, cvttpd2pi)
SSE_FP(CMPPS, cmpps) SSE_FP(CMPPD, cmppd) SSE_FP(CMPSS, cmpss) SSE_FP(CMPSD, cmpsd)
SSE_FP(ROUNDPS, roundps) SSE_FP(ROUNDPD, roundpd) SSE_FP(ROUNDSS, roundss)
SSE_FP(ROUNDSD, roundsd) SSE_FP(DPPS, dpps) SSE_FP(DPPD, dppd)

/* CVTSI2SS/SD xmm, r/m32: the integer goes through xmm_t0 */
static bool gen_cvtsi2(DisasContext *dc, X86Insn *insn, const TCGHelperInfo *info)
{
    bool wide = insn->opsize == 8;      /* REX.W: r/m64 */
    if (!sse_begin(dc, insn)) {
        return true;
    }
    if (wide) {
        tcg_gen_st(S, ld_gpr_op64(dc, insn, 1), XMM_T0);
    } else {
        tcg_gen_st32(S, ld_gpr_op(dc, insn, 1), XMM_T0);
    }
    x86_prepare_helper(dc);
    call4(dc, info, TCGV_NONE, reg_off(&insn->ops[0]), XMM_T0, (wide ? 8 : 4) << 8);
    return true;
}
X86_TRANS(CVTSI2SS) { return gen_cvtsi2(dc, insn, &helper_info_cvtsi2ss); }
X86_TRANS(CVTSI2SD) { return gen_cvtsi2(dc, insn, &helper_info_cvtsi2sd); }

/* CVT(T)SS2SI / CVT(T)SD2SI r32, xmm/m */
static bool gen_cvt2si(DisasContext *dc, X86Insn *insn, const TCGHelperInfo *info)
{
    int size = insn->ops[0].size;       /* 8: REX.W */
    if (!sse_begin(dc, insn)) {
        return true;
    }
    int32_t s = src_off(dc, insn, 1, 0);
    TCGv r = tmp64(dc);
    x86_prepare_helper(dc);
    call4(dc, info, r, 0, s, (uint32_t)size << 8);
    if (size == 8) {
        x86_st_reg(dc, insn->ops[0].reg, 8, false, r);
    } else {
        TCGv r32 = tmp32(dc);
        tcg_gen_extrl_i64_i32(S, r32, r);
        x86_st_reg(dc, insn->ops[0].reg, 4, false, r32);
    }
    return true;
}
X86_TRANS(CVTSS2SI) { return gen_cvt2si(dc, insn, &helper_info_cvtss2si); }
X86_TRANS(CVTTSS2SI) { return gen_cvt2si(dc, insn, &helper_info_cvttss2si); }
X86_TRANS(CVTSD2SI) { return gen_cvt2si(dc, insn, &helper_info_cvtsd2si); }
X86_TRANS(CVTTSD2SI) { return gen_cvt2si(dc, insn, &helper_info_cvttsd2si); }

/* helpers that return EFLAGS: COMISS & co, PTEST, PCMPxSTRx */
static bool gen_flags_op(DisasContext *dc, X86Insn *insn, const TCGHelperInfo *info, bool fp,
                         uint32_t flags)
{
    if (!sse_begin(dc, insn)) {
        return true;
    }
    int32_t s = src_off(dc, insn, 1, flags);
    TCGv f = tmp32(dc);
    if (fp) {
        x86_prepare_helper(dc);
    }
    call4(dc, info, f, reg_off(&insn->ops[0]), s,
          imm_of(insn) | 16 << 8 | ((insn->rex & 8) ? SSE_AUX_REXW : 0));
    x86_set_eflags_cc(dc, f);
    return true;
}
X86_TRANS(COMISS) { return gen_flags_op(dc, insn, &helper_info_comiss, true, 0); }
X86_TRANS(UCOMISS) { return gen_flags_op(dc, insn, &helper_info_ucomiss, true, 0); }
X86_TRANS(COMISD) { return gen_flags_op(dc, insn, &helper_info_comisd, true, 0); }
X86_TRANS(UCOMISD) { return gen_flags_op(dc, insn, &helper_info_ucomisd, true, 0); }
X86_TRANS(PTEST) { return gen_flags_op(dc, insn, &helper_info_ptest, false, 0); }
/* the SSE4.2 string compares read their memory operand unaligned */
X86_TRANS(PCMPESTRI) { return gen_flags_op(dc, insn, &helper_info_pcmpestri, true, SSE_F_UNALIGNED); }
X86_TRANS(PCMPESTRM) { return gen_flags_op(dc, insn, &helper_info_pcmpestrm, true, SSE_F_UNALIGNED); }
X86_TRANS(PCMPISTRI) { return gen_flags_op(dc, insn, &helper_info_pcmpistri, true, SSE_F_UNALIGNED); }
X86_TRANS(PCMPISTRM) { return gen_flags_op(dc, insn, &helper_info_pcmpistrm, true, SSE_F_UNALIGNED); }

/* PMOVMSKB, MOVMSKPS, MOVMSKPD r32, mm/xmm */
static bool gen_movmsk(DisasContext *dc, X86Insn *insn, const TCGHelperInfo *info)
{
    if (!sse_begin(dc, insn)) {
        return true;
    }
    TCGv r = tmp32(dc);
    call4(dc, info, r, 0, reg_off(&insn->ops[1]), width_of(insn) << 8);
    x86_st_reg(dc, insn->ops[0].reg, 4, false, r);
    return true;
}
/* PMOVMSKB inline: the byte sign bits of each half gathered by one
 * multiply (bit 7 of byte i lands on bit 56 + i) */
X86_TRANS(PMOVMSKB)
{
    if (!sse_begin(dc, insn)) {
        return true;
    }
    int n = (int)width_of(insn) / 8;
    TCGv r = tmp64(dc), r32 = tmp32(dc);
    for (int k = 0; k < n; k++) {
        TCGv t = tmp64(dc);
        tcg_gen_ld(S, t, reg_off(&insn->ops[1]) + 8 * k);
        tcg_gen_andi(S, t, t, H8);
        tcg_gen_muli(S, t, t, 0x0002040810204081ull);
        tcg_gen_shri(S, t, t, 56);
        if (k) {
            tcg_gen_shli(S, t, t, 8);
            tcg_gen_or(S, r, r, t);
        } else {
            tcg_gen_mov(S, r, t);
        }
    }
    tcg_gen_extrl_i64_i32(S, r32, r);
    x86_st_reg(dc, insn->ops[0].reg, 4, false, r32);
    return true;
}
X86_TRANS(MOVMSKPS) { return gen_movmsk(dc, insn, &helper_info_movmskps); }
X86_TRANS(MOVMSKPD) { return gen_movmsk(dc, insn, &helper_info_movmskpd); }

/* ---- element insert / extract ---- */
static void st_lane(DisasContext *dc, TCGv v, int32_t off, int size)
{
    if (size == 1) {
        tcg_gen_st8(S, v, off);
    } else if (size == 2) {
        tcg_gen_st16(S, v, off);
    } else {
        tcg_gen_st32(S, v, off);
    }
}

/* PINSRB/PINSRW/PINSRD: element of size from r32/m into lane imm */
static bool gen_pinsr(DisasContext *dc, X86Insn *insn, int size)
{
    if (insn->opsize == 8 && size == 4) {
        size = 8;                       /* PINSRQ */
    }
    if (!sse_begin(dc, insn)) {
        return true;
    }
    int lanes = (int)width_of(insn) / size;
    int32_t off = reg_off(&insn->ops[0]) + size * (int)(imm_of(insn) & (lanes - 1));
    if (size == 8) {
        tcg_gen_st(S, ld_gpr_op64(dc, insn, 1), off);
    } else {
        st_lane(dc, ld_gpr_op(dc, insn, 1), off, size);
    }
    mmx_mark(dc, &insn->ops[0]);
    return true;
}
X86_TRANS(PINSRB) { return gen_pinsr(dc, insn, 1); }
X86_TRANS(PINSRW) { return gen_pinsr(dc, insn, 2); }
X86_TRANS(PINSRD) { return gen_pinsr(dc, insn, 4); }

/* PEXTRB/PEXTRW/PEXTRD/EXTRACTPS: lane imm to r32 (zero-extended) or m */
static bool gen_pextr(DisasContext *dc, X86Insn *insn, int size)
{
    X86Operand *dst = &insn->ops[0], *src = &insn->ops[1];
    if (insn->opsize == 8 && size == 4 && dst->size == 8) {
        size = 8;                       /* PEXTRQ (EXTRACTPS r64 stays a dword) */
    }
    if (!sse_begin(dc, insn)) {
        return true;
    }
    int lanes = (int)width_of(insn) / size;
    int32_t off = reg_off(src) + size * (int)(imm_of(insn) & (lanes - 1));
    if (size == 8) {
        TCGv q = tmp64(dc);
        tcg_gen_ld(S, q, off);
        if (dst->type == X86_OPT_MEM) {
            x86_gen_st(dc, q, x86_gen_addr(dc, insn), 8);
        } else {
            x86_st_reg(dc, dst->reg, 8, false, q);
        }
        return true;
    }
    TCGv v = tmp32(dc);
    if (size == 1) {
        tcg_gen_ld8u(S, v, off);
    } else if (size == 2) {
        tcg_gen_ld16u(S, v, off);
    } else {
        tcg_gen_ld32u(S, v, off);
    }
    if (dst->type == X86_OPT_MEM) {
        x86_gen_st(dc, v, x86_gen_addr(dc, insn), size);
    } else {
        x86_st_reg(dc, dst->reg, 4, false, v);   /* zero-extended into r64 too */
    }
    return true;
}
X86_TRANS(PEXTRB) { return gen_pextr(dc, insn, 1); }
X86_TRANS(PEXTRW) { return gen_pextr(dc, insn, 2); }
X86_TRANS(PEXTRD) { return gen_pextr(dc, insn, 4); }
X86_TRANS(EXTRACTPS) { return gen_pextr(dc, insn, 4); }

/* MASKMOVQ / MASKMOVDQU: selected bytes to DS:(E)DI */
X86_TRANS(MASKMOVQ)
{
    if (!sse_begin(dc, insn)) {
        return true;
    }
    TCGv di = x86_ld_reg(dc, R_EDI, insn->addrsize == 2 ? 2 : 4, false);
    int seg = insn->seg_override >= 0 ? insn->seg_override : R_DS;
    TCGv a = x86_add_seg(dc, di, seg, insn->addrsize);
    x86_seg_check(dc, seg, di, (int)width_of(insn), X86_ACC_WRITE);
    x86_prepare_helper(dc);
    TCGv args[5] = { TCG_ENV, c32(dc, (uint32_t)reg_off(&insn->ops[0])),
                     c32(dc, (uint32_t)reg_off(&insn->ops[1])), c32(dc, width_of(insn)),
                     x86_addr_i64(dc, a) };
    tcg_gen_call(S, &helper_info_maskmov, TCGV_NONE, 5, args);
    return true;
}
X86_TRANS_ALIAS(MASKMOVDQU, MASKMOVQ);

/* ---- SIMD state ---- */
X86_TRANS(LDMXCSR)
{
    if (!sse_check(dc, true)) {
        return true;
    }
    TCGv v = tmp32(dc);
    x86_gen_ld(dc, v, x86_gen_addr(dc, insn), 4);
    x86_prepare_helper(dc);
    gen_helper_ldmxcsr(S, TCG_ENV, v);
    return true;
}

X86_TRANS(STMXCSR)
{
    if (!sse_check(dc, true)) {
        return true;
    }
    TCGv v = tmp32(dc);
    tcg_gen_ld32u(S, v, X86_ENV_OFFSET(mxcsr));
    x86_gen_st(dc, v, x86_gen_addr(dc, insn), 4);
    return true;
}

/* FXSAVE/FXRSTOR: #NM with CR0.EM or CR0.TS (an x87 instruction to the
 * OS); CR4.OSFXSR only decides whether the XMM state is part of the image
 * (we always save it) */
static bool gen_fxsave(DisasContext *dc, X86Insn *insn, bool restore)
{
    if (dc->flags & (HF_EM_MASK | HF_TS_MASK)) {
        x86_gen_exception(dc, EXCP07_PREX);
        return true;
    }
    TCGv a = x86_addr_i64(dc, x86_gen_addr(dc, insn));
    TCGv wide = c32(dc, (insn->rex & 8) != 0);
    x86_seg_check_a0(dc, insn, 512, restore ? X86_ACC_READ : X86_ACC_WRITE);
    x86_prepare_helper(dc);
    if (restore) {
        gen_helper_fxrstor(S, TCG_ENV, a, wide);
    } else {
        gen_helper_fxsave(S, TCG_ENV, a, wide);
    }
    return true;
}
X86_TRANS(FXSAVE) { return gen_fxsave(dc, insn, false); }
X86_TRANS(FXRSTOR) { return gen_fxsave(dc, insn, true); }

/* ---- CRC32, LZCNT, TZCNT (general registers) ---- */
X86_TRANS(CRC32)
{
    int size = insn->ops[1].size;       /* 8: CRC32 r64, r/m64 */
    TCGv v = size == 8 ? ld_gpr_op64(dc, insn, 1) : as_i64(dc, ld_gpr_op(dc, insn, 1));
    TCGv r = tmp32(dc);
    TCGv crc = as_i32(dc, x86_ld_reg(dc, insn->ops[0].reg, 4, false));
    gen_helper_crc32(S, r, crc, v, c32(dc, (uint32_t)size));
    x86_st_reg(dc, insn->ops[0].reg, 4, false, r);   /* r64: zero-extended */
    return true;
}

/* LZCNT/TZCNT r, r/m: CF = source zero, ZF = result zero (the other
 * arithmetic flags are undefined: we clear them) */
static bool gen_lzcnt_tzcnt(DisasContext *dc, X86Insn *insn, bool lz)
{
    int size = insn->ops[0].size;
    if (size == 8) {
        TCGv q = ld_gpr_op64(dc, insn, 1), r = tmp64(dc), f = tmp64(dc), z = tmp64(dc);
        TCGv f32 = tmp32(dc);
        if (lz) {
            tcg_gen_clzi(S, r, q, 64);
        } else {
            tcg_gen_ctzi(S, r, q, 64);
        }
        x86_st_reg(dc, insn->ops[0].reg, 8, false, r);
        tcg_gen_setcondi(S, TCG_COND_EQ, f, q, 0);
        tcg_gen_setcondi(S, TCG_COND_EQ, z, r, 0);
        tcg_gen_shli(S, z, z, 6);
        tcg_gen_or(S, f, f, z);
        tcg_gen_extrl_i64_i32(S, f32, f);
        x86_set_eflags_cc(dc, f32);
        return true;
    }
    TCGv src = ld_gpr_op(dc, insn, 1), r = tmp32(dc), f = tmp32(dc), z = tmp32(dc);
    if (size == 2) {
        TCGv t = tmp32(dc);
        if (lz) {
            tcg_gen_shli(S, t, src, 16);
            tcg_gen_ori(S, t, t, 0x8000);       /* a zero source counts 16 */
            tcg_gen_clzi(S, r, t, 32);
        } else {
            tcg_gen_ori(S, t, src, 0x10000);
            tcg_gen_ctzi(S, r, t, 32);
        }
    } else if (lz) {
        tcg_gen_clzi(S, r, src, 32);
    } else {
        tcg_gen_ctzi(S, r, src, 32);
    }
    x86_st_op(dc, insn, 0, r);
    tcg_gen_setcondi(S, TCG_COND_EQ, f, src, 0);       /* CC_C */
    tcg_gen_setcondi(S, TCG_COND_EQ, z, r, 0);
    tcg_gen_shli(S, z, z, 6);                          /* CC_Z */
    tcg_gen_or(S, f, f, z);
    x86_set_eflags_cc(dc, f);
    return true;
}
/* F3 0F BD / F3 0F BC are LZCNT / TZCNT only where CPUID says so
 * (0x80000001:ECX.ABM, 7.0:EBX.BMI1); an older CPU ignores the REP prefix
 * and runs BSR / BSF (SDM vol. 2, LZCNT and TZCNT). The model is fixed for
 * the CPU's life, so reading it at translation time is safe. */
X86_TRANS(BSR);
X86_TRANS(BSF);
X86_TRANS(LZCNT)
{
    if (!(dc->env->cpuid_ext3_features & CPUID_EXT3_ABM))
        return x86_trans_BSR(dc, insn);
    return gen_lzcnt_tzcnt(dc, insn, true);
}
X86_TRANS(TZCNT)
{
    if (!(dc->env->cpuid_7_0_ebx & CPUID_7_0_EBX_BMI1))
        return x86_trans_BSF(dc, insn);
    return gen_lzcnt_tzcnt(dc, insn, false);
}
