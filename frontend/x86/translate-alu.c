/*
 * x86 translator handlers for arithmetic, logic, shifts, bit operations,
 * multiply/divide, BCD, flag instructions and data movement.
 * Must stay true: results reach memory or registers before the cc globals
 * change (a faulting store leaves the flags as they were), cc_dst/cc_src
 * are stored truncated to the operation size, and any handler that
 * returns false has emitted nothing (the caller raises #UD).
 */
#include "frontend/x86/translate.h"
#include "frontend/x86/helpers.h"

#undef HELPER_MODE
#define HELPER_MODE HELPER_GEN
#include "tcg/helper-gen.h"
#include "frontend/x86/helpers.def"

#define S (dc->s)

#define mask_to x86_mask_to
#define sext_to x86_sext_to

static void set_cc(DisasContext *dc, int opbase, int size, TCGv dst, TCGv src)
{
    mask_to(dc, x86_cc_dst(dc), dst, size);
    if (src != TCGV_NONE) {
        mask_to(dc, x86_cc_src(dc), src, size);
    }
    x86_set_cc_op(dc, opbase + size_shift(size));
}

static TCGv ld_op(DisasContext *dc, X86Insn *insn, int i)
{
    TCGv t = tmpw(dc);
    x86_ld_op(dc, insn, i, t);
    return t;
}

/* ---- ADD OR ADC SBB AND SUB XOR CMP TEST ---- */
enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, ALU_TEST };

static bool gen_alu(DisasContext *dc, X86Insn *insn, int kind)
{
    int size = insn->ops[0].size;
    TCGv a, b, r = tmpw(dc), cf = TCGV_NONE;
    X86Operand *o0 = &insn->ops[0], *o1 = &insn->ops[1];

    if ((kind == ALU_XOR || kind == ALU_SUB) && o0->type == X86_OPT_REG && o1->type == X86_OPT_REG &&
        o0->reg == o1->reg && o0->high8 == o1->high8) {
        /* xor r,r / sub r,r: zero, flags known */
        x86_st_op(dc, insn, 0, cw(dc, 0));
        tcg_gen_movi(S, x86_cc_dst(dc), 0);
        x86_set_cc_op(dc, CC_OP_CLR);
        return true;
    }
    a = ld_op(dc, insn, 0);
    b = ld_op(dc, insn, 1);
    if (size < 4) {
        mask_to(dc, b, b, size);
    }
    if (kind == ALU_ADC || kind == ALU_SBB) {
        cf = x86_compute_cf(dc);
    }
    switch (kind) {
    case ALU_ADD: tcg_gen_add(S, r, a, b); break;
    case ALU_ADC: tcg_gen_add(S, r, a, b); tcg_gen_add(S, r, r, cf); break;
    case ALU_SUB: case ALU_CMP: tcg_gen_sub(S, r, a, b); break;
    case ALU_SBB: tcg_gen_sub(S, r, a, b); tcg_gen_sub(S, r, r, cf); break;
    case ALU_AND: case ALU_TEST: tcg_gen_and(S, r, a, b); break;
    case ALU_OR: tcg_gen_or(S, r, a, b); break;
    default: tcg_gen_xor(S, r, a, b); break;
    }
    if (kind != ALU_CMP && kind != ALU_TEST) {
        x86_st_op(dc, insn, 0, r);
    }
    switch (kind) {
    case ALU_ADD:
        set_cc(dc, CC_OP_ADDB, size, r, b);
        break;
    case ALU_ADC:
        tcg_gen_mov(S, x86_cc_src2(dc), cf);
        set_cc(dc, CC_OP_ADCB, size, r, b);
        break;
    case ALU_SBB:
        tcg_gen_mov(S, x86_cc_src2(dc), cf);
        set_cc(dc, CC_OP_SBBB, size, r, b);
        break;
    case ALU_SUB:
    case ALU_CMP:
        tcg_gen_mov(S, dc->cc_srcT, a);
        set_cc(dc, CC_OP_SUBB, size, r, b);
        dc->cc_sub_unused = kind == ALU_CMP;
        break;
    default:
        set_cc(dc, CC_OP_LOGICB, size, r, TCGV_NONE);
        break;
    }
    return true;
}

X86_TRANS(ADD) { return gen_alu(dc, insn, ALU_ADD); }
X86_TRANS(OR) { return gen_alu(dc, insn, ALU_OR); }
X86_TRANS(ADC) { return gen_alu(dc, insn, ALU_ADC); }
X86_TRANS(SBB) { return gen_alu(dc, insn, ALU_SBB); }
X86_TRANS(AND) { return gen_alu(dc, insn, ALU_AND); }
X86_TRANS(SUB) { return gen_alu(dc, insn, ALU_SUB); }
X86_TRANS(XOR) { return gen_alu(dc, insn, ALU_XOR); }
X86_TRANS(CMP) { return gen_alu(dc, insn, ALU_CMP); }
X86_TRANS(TEST) { return gen_alu(dc, insn, ALU_TEST); }

static bool gen_incdec(DisasContext *dc, X86Insn *insn, bool inc)
{
    int size = insn->ops[0].size;
    TCGv a = ld_op(dc, insn, 0), r = tmpw(dc), cf = x86_compute_cf(dc);
    tcg_gen_addi(S, r, a, inc ? 1 : (uint64_t)-1);
    x86_st_op(dc, insn, 0, r);
    tcg_gen_mov(S, x86_cc_src(dc), cf);
    set_cc(dc, inc ? CC_OP_INCB : CC_OP_DECB, size, r, TCGV_NONE);
    return true;
}

X86_TRANS(INC) { return gen_incdec(dc, insn, true); }
X86_TRANS(DEC) { return gen_incdec(dc, insn, false); }

X86_TRANS(NEG)
{
    int size = insn->ops[0].size;
    TCGv a = ld_op(dc, insn, 0), r = tmpw(dc);
    tcg_gen_neg(S, r, a);
    x86_st_op(dc, insn, 0, r);
    tcg_gen_movi(S, dc->cc_srcT, 0);
    set_cc(dc, CC_OP_SUBB, size, r, a);
    dc->cc_sub_unused = false;
    return true;
}

X86_TRANS(NOT)
{
    TCGv a = ld_op(dc, insn, 0), r = tmpw(dc);
    tcg_gen_not(S, r, a);
    x86_st_op(dc, insn, 0, r);
    return true;
}

/* ---- shifts and rotates ---- */
/* Flags of a shift by a count known only at run time: unchanged when the
 * masked count is 0, so cc_dst/cc_src/cc_op are selected, cc_op dynamic. */
static void set_cc_shift(DisasContext *dc, int opbase, int size, TCGv r, TCGv src, TCGv cnt)
{
    TCGv d = tmpw(dc), sr = tmpw(dc), z = cw(dc, 0);
    int op = opbase + size_shift(size);
    /* old flags or these: Z and S still come from cc_dst if both agree */
    int sizes = x86_cc_dst_sizes(dc) & (1 << size_shift(size));
    if (cnt == TCGV_NONE) {
        set_cc(dc, opbase, size, r, src);
        return;
    }
    x86_update_cc_op(dc);
    mask_to(dc, d, r, size);
    mask_to(dc, sr, src, size);
    tcg_gen_movcond(S, TCG_COND_NE, x86_cc_dst(dc), cnt, z, d, x86_cc_dst(dc));
    tcg_gen_movcond(S, TCG_COND_NE, x86_cc_src(dc), cnt, z, sr, x86_cc_src(dc));
    tcg_gen_movcond(S, TCG_COND_NE, cpu_cc_op, x86_to_i32(dc, cnt), c32(dc, 0), c32(dc, (uint32_t)op), cpu_cc_op);
    x86_set_cc_op_dynamic(dc, sizes);
}

/* Count operand: *imm >= 0 for a constant (already masked), else a temp. */
static TCGv shift_count(DisasContext *dc, X86Insn *insn, int i, int *imm)
{
    TCGv c;
    if (insn->ops[i].type == X86_OPT_IMM) {
        *imm = (int)(insn->ops[i].imm & (insn->opsize == 8 ? 0x3f : 0x1f));
        return TCGV_NONE;
    }
    *imm = -1;
    c = ld_op(dc, insn, i);
    tcg_gen_andi(S, c, c, insn->opsize == 8 ? 0x3f : 0x1f);
    return c;
}

enum { SH_ROL, SH_ROR, SH_SHL, SH_SHR, SH_SAR };

static bool gen_shift(DisasContext *dc, X86Insn *insn, int kind)
{
    int size = insn->ops[0].size, bits = size * 8, imm;
    TCGv cnt = shift_count(dc, insn, 1, &imm), cm1 = TCGV_NONE, a, r, src;

    if (imm == 0) {
        return true;   /* count 0: nothing changes, not even flags */
    }
    a = ld_op(dc, insn, 0);
    r = tmpw(dc);
    src = tmpw(dc);
    if (cnt != TCGV_NONE) {
        cm1 = tmpw(dc);
        tcg_gen_subi(S, cm1, cnt, 1);
    }
    switch (kind) {
    case SH_SHL:
        if (cnt == TCGV_NONE) {
            tcg_gen_shli(S, r, a, imm);
            tcg_gen_shli(S, src, a, imm - 1);
        } else {
            tcg_gen_shl(S, r, a, cnt);
            tcg_gen_shl(S, src, a, cm1);
        }
        x86_st_op(dc, insn, 0, r);
        set_cc_shift(dc, CC_OP_SHLB, size, r, src, cnt);
        return true;
    case SH_SHR:
    case SH_SAR:
        if (kind == SH_SAR) {
            a = sext_to(dc, a, size);
        }
        if (cnt == TCGV_NONE) {
            (kind == SH_SAR ? tcg_gen_sari : tcg_gen_shri)(S, r, a, imm);
            (kind == SH_SAR ? tcg_gen_sari : tcg_gen_shri)(S, src, a, imm - 1);
        } else {
            (kind == SH_SAR ? tcg_gen_sar : tcg_gen_shr)(S, r, a, cnt);
            (kind == SH_SAR ? tcg_gen_sar : tcg_gen_shr)(S, src, a, cm1);
        }
        x86_st_op(dc, insn, 0, r);
        set_cc_shift(dc, CC_OP_SARB, size, r, src, cnt);
        return true;
    default: {
        /* ROL/ROR: replicate narrow values so a 32-bit rotate does it */
        TCGv f, nf = tmp32(dc), cb = tmpw(dc), ob = tmpw(dc), rep = a;
        if (size < x86_wbytes(dc)) {
            static const uint64_t pat[3] = { 0x0101010101010101ull, 0x0001000100010001ull, 0x0000000100000001ull };
            rep = tmpw(dc);
            tcg_gen_muli(S, rep, a, pat[size_shift(size)]);
        }
        if (cnt == TCGV_NONE) {
            (kind == SH_ROL ? tcg_gen_rotli : tcg_gen_rotri)(S, r, rep, imm);
        } else {
            (kind == SH_ROL ? tcg_gen_rotl : tcg_gen_rotr)(S, r, rep, cnt);
        }
        f = x86_compute_eflags_tcg(dc);
        x86_st_op(dc, insn, 0, r);
        if (kind == SH_ROL) {
            tcg_gen_andi(S, cb, r, 1);
            tcg_gen_extract(S, ob, r, bits - 1, 1);
        } else {
            tcg_gen_extract(S, cb, r, bits - 1, 1);
            tcg_gen_extract(S, ob, r, bits - 2, 1);
        }
        tcg_gen_xor(S, ob, ob, cb);
        tcg_gen_shli(S, ob, ob, 11);
        tcg_gen_andi(S, nf, f, ~(CC_C | CC_O));
        tcg_gen_or(S, nf, nf, x86_to_i32(dc, cb));
        tcg_gen_or(S, nf, nf, x86_to_i32(dc, ob));
        if (cnt != TCGV_NONE) {
            tcg_gen_movcond(S, TCG_COND_NE, nf, x86_to_i32(dc, cnt), c32(dc, 0), nf, f);
        }
        x86_set_eflags_cc(dc, nf);
        return true;
    }
    }
}

X86_TRANS(ROL) { return gen_shift(dc, insn, SH_ROL); }
X86_TRANS(ROR) { return gen_shift(dc, insn, SH_ROR); }
X86_TRANS(SHL) { return gen_shift(dc, insn, SH_SHL); }
X86_TRANS(SHR) { return gen_shift(dc, insn, SH_SHR); }
X86_TRANS(SAR) { return gen_shift(dc, insn, SH_SAR); }
X86_TRANS_ALIAS(SAL, SHL);

static bool gen_rcx(DisasContext *dc, X86Insn *insn, bool left)
{
    int size = insn->ops[0].size, imm;
    TCGv cnt = shift_count(dc, insn, 1, &imm), a, f, res = tmp64(dc), r = tmp32(dc), nf = tmp32(dc);
    if (imm == 0) {
        return true;
    }
    cnt = cnt == TCGV_NONE ? c32(dc, (uint32_t)imm) : x86_to_i32(dc, cnt);
    a = ld_op(dc, insn, 0);
    f = x86_compute_eflags_tcg(dc);
    if (size == 8) {
        /* the helper leaves the flags in env as CC_OP_EFLAGS */
        x86_update_cc_op(dc);
        (left ? gen_helper_rclq : gen_helper_rcrq)(S, res, TCG_ENV, a, cnt, f);
        x86_st_op(dc, insn, 0, res);
        dc->cc_op = CC_OP_EFLAGS;
        dc->cc_op_dirty = false;
        return true;
    }
    (left ? gen_helper_rcl : gen_helper_rcr)(S, res, x86_to_i32(dc, a), cnt, f, c32(dc, (uint32_t)size_shift(size)));
    tcg_gen_extrl_i64_i32(S, r, res);
    tcg_gen_extrh_i64_i32(S, nf, res);
    x86_st_op(dc, insn, 0, r);
    x86_set_eflags_cc(dc, nf);
    return true;
}

X86_TRANS(RCL) { return gen_rcx(dc, insn, true); }
X86_TRANS(RCR) { return gen_rcx(dc, insn, false); }

/* SHLD/SHRD of 64-bit operands: two shifts and an or; the count is
 * 1..63 where the result matters (count 0 keeps d, chosen at run time). */
static bool gen_shxd64(DisasContext *dc, X86Insn *insn, bool left, TCGv cnt, int imm)
{
    TCGv d = ld_op(dc, insn, 0), sv = ld_op(dc, insn, 1), c = tmp64(dc), ic = tmp64(dc);
    TCGv r = tmp64(dc), src = tmp64(dc), t = tmp64(dc), cm1 = tmp64(dc);
    if (cnt == TCGV_NONE) {
        tcg_gen_movi(S, c, (uint64_t)imm);
    } else {
        tcg_gen_mov(S, c, cnt);
    }
    tcg_gen_sub(S, ic, tcg_constant(S, TCG_TYPE_I64, 64), c);   /* 64 - c: 1..63 when c != 0 */
    tcg_gen_subi(S, cm1, c, 1);
    if (left) {
        tcg_gen_shl(S, r, d, c);
        tcg_gen_shr(S, t, sv, ic);
        tcg_gen_or(S, r, r, t);
        tcg_gen_shl(S, src, d, cm1);       /* for CF: d:s shifted by c - 1 */
        tcg_gen_shri(S, t, sv, 1);
        tcg_gen_shr(S, t, t, ic);
        tcg_gen_or(S, src, src, t);
    } else {
        tcg_gen_shr(S, r, d, c);
        tcg_gen_shl(S, t, sv, ic);
        tcg_gen_or(S, r, r, t);
        tcg_gen_shr(S, src, d, cm1);
        tcg_gen_shli(S, t, sv, 1);
        tcg_gen_shl(S, t, t, ic);
        tcg_gen_or(S, src, src, t);
    }
    if (cnt != TCGV_NONE) {
        tcg_gen_movcond(S, TCG_COND_EQ, r, c, tcg_constant(S, TCG_TYPE_I64, 0), d, r);
    }
    x86_st_op(dc, insn, 0, r);
    set_cc_shift(dc, left ? CC_OP_SHLB : CC_OP_SARB, 8, r, src, cnt);
    return true;
}

/* SHLD/SHRD through a 64-bit concatenation of the two operands. */
static bool gen_shxd(DisasContext *dc, X86Insn *insn, bool left)
{
    int size = insn->ops[0].size, bits = size * 8, imm;
    TCGv cnt = shift_count(dc, insn, 2, &imm), d, sv, x = tmp64(dc), t = tmp64(dc), c64 = tmp64(dc);
    TCGv r = tmpw(dc), src = tmpw(dc), y = tmp64(dc);
    if (imm == 0) {
        return true;
    }
    if (size == 8) {
        return gen_shxd64(dc, insn, left, cnt, imm);
    }
    d = x86_to_i32(dc, ld_op(dc, insn, 0));
    sv = x86_to_i32(dc, ld_op(dc, insn, 1));
    if (cnt == TCGV_NONE) {
        tcg_gen_movi(S, c64, (uint64_t)imm);
    } else {
        tcg_gen_extu_i32_i64(S, c64, x86_to_i32(dc, cnt));
    }
    if (left) {
        /* x = d:s in the top bits */
        tcg_gen_extu_i32_i64(S, x, d);
        tcg_gen_shli(S, x, x, 64 - bits);
        tcg_gen_extu_i32_i64(S, t, sv);
        tcg_gen_shli(S, t, t, 64 - 2 * bits);
        tcg_gen_or(S, x, x, t);
        tcg_gen_shl(S, y, x, c64);
        tcg_gen_shri(S, y, y, 64 - bits);
        x86_gen_extr_w(dc, r, y);
        tcg_gen_subi(S, c64, c64, 1);
        tcg_gen_shl(S, y, x, c64);
        tcg_gen_shri(S, y, y, 64 - bits);
        x86_gen_extr_w(dc, src, y);
    } else {
        /* x = s:d in the low bits */
        tcg_gen_extu_i32_i64(S, x, sv);
        tcg_gen_shli(S, x, x, bits);
        tcg_gen_extu_i32_i64(S, t, d);
        tcg_gen_or(S, x, x, t);
        tcg_gen_shr(S, y, x, c64);
        x86_gen_extr_w(dc, r, y);
        tcg_gen_subi(S, c64, c64, 1);
        tcg_gen_shr(S, y, x, c64);
        x86_gen_extr_w(dc, src, y);
    }
    x86_st_op(dc, insn, 0, r);
    set_cc_shift(dc, left ? CC_OP_SHLB : CC_OP_SARB, size, r, src, cnt);
    return true;
}

X86_TRANS(SHLD) { return gen_shxd(dc, insn, true); }
X86_TRANS(SHRD) { return gen_shxd(dc, insn, false); }

/* ---- BT BTS BTR BTC, BSF BSR, POPCNT ---- */
enum { BT_T, BT_S, BT_R, BT_C };

static bool gen_bt(DisasContext *dc, X86Insn *insn, int kind)
{
    int size = insn->ops[0].size, bits = size * 8;
    TCGv off = ld_op(dc, insn, 1), bit = tmpw(dc), val = tmpw(dc), cf = tmpw(dc), m = tmpw(dc);
    TCGv addr = TCGV_NONE, f, nf = tmp32(dc), nv = tmpw(dc);
    bool mem = x86_op_is_mem(insn, 0);

    if (mem) {
        addr = x86_gen_addr(dc, insn);
        if (insn->ops[1].type != X86_OPT_IMM) {
            /* the bit offset may reach outside the operand: signed */
            TCGv so = sext_to(dc, off, size), disp = tmpw(dc), a2 = tmpw(dc);
            tcg_gen_sari(S, disp, so, size == 2 ? 4 : size == 4 ? 5 : 6);
            tcg_gen_shli(S, disp, disp, size_shift(size));
            if (x86_seg_checked(dc, insn->addr.seg)) {
                /* the operand the bit offset selects, within the segment */
                TCGv o2 = tmpw(dc);
                tcg_gen_add(S, o2, dc->a0_off, disp);
                if (insn->addrsize == 2) {
                    tcg_gen_ext16u(S, o2, o2);
                }
                x86_seg_check(dc, insn->addr.seg, o2, size, kind == BT_T ? X86_ACC_READ : X86_ACC_WRITE);
            }
            tcg_gen_add(S, a2, addr, disp);
            addr = a2;
        } else if (kind != BT_T) {
            x86_seg_check_a0(dc, insn, size, X86_ACC_WRITE);
        }
        x86_gen_ld(dc, val, addr, size);
    } else {
        x86_ld_op(dc, insn, 0, val);
    }
    tcg_gen_andi(S, bit, off, bits - 1);
    tcg_gen_shr(S, cf, val, bit);
    tcg_gen_andi(S, cf, cf, 1);
    f = x86_compute_eflags_tcg(dc);
    if (kind != BT_T) {
        tcg_gen_shl(S, m, cw(dc, 1), bit);
        if (kind == BT_S) {
            tcg_gen_or(S, nv, val, m);
        } else if (kind == BT_R) {
            tcg_gen_andc(S, nv, val, m);
        } else {
            tcg_gen_xor(S, nv, val, m);
        }
        if (mem) {
            x86_gen_st(dc, nv, addr, size);
        } else {
            x86_st_op(dc, insn, 0, nv);
        }
    }
    tcg_gen_andi(S, nf, f, ~CC_C);
    tcg_gen_or(S, nf, nf, x86_to_i32(dc, cf));
    x86_set_eflags_cc(dc, nf);
    return true;
}

X86_TRANS(BT) { return gen_bt(dc, insn, BT_T); }
X86_TRANS(BTS) { return gen_bt(dc, insn, BT_S); }
X86_TRANS(BTR) { return gen_bt(dc, insn, BT_R); }
X86_TRANS(BTC) { return gen_bt(dc, insn, BT_C); }

/* ZF = (source == 0); the destination keeps its value then. Other flags
 * are undefined: they come out as LOGIC of the source. */
static bool gen_bsx(DisasContext *dc, X86Insn *insn, bool rev)
{
    int size = insn->ops[0].size;
    TCGv src = ld_op(dc, insn, 1), old = ld_op(dc, insn, 0), r = tmpw(dc);
    if (!rev) {
        tcg_gen_ctz(S, r, src, old);
    } else {
        TCGv t = tmpw(dc);
        tcg_gen_clzi(S, t, src, 8 * x86_wbytes(dc));
        tcg_gen_sub(S, r, cw(dc, 8 * x86_wbytes(dc) - 1), t);
        tcg_gen_movcond(S, TCG_COND_EQ, r, src, cw(dc, 0), old, r);
    }
    x86_st_op(dc, insn, 0, r);
    set_cc(dc, CC_OP_LOGICB, size, src, TCGV_NONE);
    return true;
}

X86_TRANS(BSF) { return gen_bsx(dc, insn, false); }
X86_TRANS(BSR) { return gen_bsx(dc, insn, true); }

X86_TRANS(POPCNT)
{
    TCGv src = ld_op(dc, insn, 1), r = tmpw(dc), z = tmpw(dc);
    tcg_gen_ctpop(S, r, src);   /* src is zero-extended */
    x86_st_op(dc, insn, 0, r);
    tcg_gen_setcondi(S, TCG_COND_EQ, z, src, 0);
    tcg_gen_shli(S, z, z, 6);   /* CC_Z */
    x86_set_eflags_cc(dc, z);
    return true;
}

/* ---- MUL IMUL DIV IDIV ---- */
X86_TRANS(MUL)
{
    int size = insn->ops[0].size;
    TCGv src = ld_op(dc, insn, 0), r = tmpw(dc), hi = tmpw(dc);
    if (size == 1) {
        tcg_gen_mul(S, r, x86_ld_reg(dc, R_EAX, 1, false), src);
        x86_st_reg(dc, R_EAX, 2, false, r);
        tcg_gen_shri(S, hi, r, 8);   /* AH: CF = OF = (AH != 0) */
    } else if (size == 2) {
        tcg_gen_mul(S, r, x86_ld_reg(dc, R_EAX, 2, false), src);
        tcg_gen_shri(S, hi, r, 16);
        x86_st_reg(dc, R_EAX, 2, false, r);
        x86_st_reg(dc, R_EDX, 2, false, hi);
    } else if (size < x86_wbytes(dc)) {
        /* 32 x 32 in a 64-bit word: the whole product at once */
        TCGv p = tmpw(dc);
        tcg_gen_mul(S, p, x86_ld_reg(dc, R_EAX, 4, false), src);
        tcg_gen_ext32u(S, r, p);
        tcg_gen_shri(S, hi, p, 32);
        x86_st_reg(dc, R_EAX, 4, false, r);
        x86_st_reg(dc, R_EDX, 4, false, hi);
    } else {
        tcg_gen_mulu2(S, r, hi, x86_reg(dc, R_EAX), src);
        tcg_gen_mov(S, x86_reg(dc, R_EAX), r);
        tcg_gen_mov(S, x86_reg(dc, R_EDX), hi);
    }
    mask_to(dc, x86_cc_dst(dc), r, size);
    tcg_gen_mov(S, x86_cc_src(dc), hi);
    x86_set_cc_op(dc, CC_OP_MULB + size_shift(size));
    return true;
}

/* Signed product of a and b (sign-extended from size) into r (truncated
 * later by the store) and hi (nonzero iff the product overflows size);
 * hipart, when asked for, gets the upper half (EDX/RDX of one-operand
 * IMUL). */
static void gen_imul(DisasContext *dc, int size, TCGv a, TCGv b, TCGv r, TCGv hi, TCGv hipart)
{
    if (size == x86_wbytes(dc)) {
        TCGv s = tmpw(dc);
        tcg_gen_muls2(S, r, hi, a, b);
        if (hipart != TCGV_NONE) {
            tcg_gen_mov(S, hipart, hi);
        }
        tcg_gen_sari(S, s, r, size * 8 - 1);
        tcg_gen_setcond(S, TCG_COND_NE, hi, hi, s);
    } else {
        tcg_gen_mul(S, r, a, b);
        if (hipart != TCGV_NONE) {
            tcg_gen_shri(S, hipart, r, size * 8);
        }
        tcg_gen_setcond(S, TCG_COND_NE, hi, r, sext_to(dc, r, size));
    }
}

X86_TRANS(IMUL)
{
    int size = insn->ops[0].size;
    TCGv r = tmpw(dc), hi = tmpw(dc), a, b;
    if (insn->ops[1].type == X86_OPT_NONE) {
        /* one operand: rDX:rAX = rAX * src */
        TCGv h = tmpw(dc);
        b = sext_to(dc, ld_op(dc, insn, 0), size);
        a = sext_to(dc, x86_ld_reg(dc, R_EAX, size, false), size);
        gen_imul(dc, size, a, b, r, hi, size == 1 ? TCGV_NONE : h);
        if (size == 1) {
            x86_st_reg(dc, R_EAX, 2, false, r);
        } else {
            x86_st_reg(dc, R_EAX, size, false, r);
            x86_st_reg(dc, R_EDX, size, false, h);
        }
    } else {
        /* IMUL Gv, Ev [, imm]: truncated product */
        a = sext_to(dc, ld_op(dc, insn, 1), size);
        b = sext_to(dc, ld_op(dc, insn, insn->ops[2].type != X86_OPT_NONE ? 2 : 0), size);
        gen_imul(dc, size, a, b, r, hi, TCGV_NONE);
        x86_st_op(dc, insn, 0, r);
    }
    mask_to(dc, x86_cc_dst(dc), r, size);
    tcg_gen_mov(S, x86_cc_src(dc), hi);
    x86_set_cc_op(dc, CC_OP_MULB + size_shift(size));
    return true;
}

static bool gen_div(DisasContext *dc, X86Insn *insn, bool sign)
{
    int size = insn->ops[0].size;
    TCGv d = ld_op(dc, insn, 0);
    x86_prepare_helper(dc);
    switch (size) {
    case 1: (sign ? gen_helper_idivb : gen_helper_divb)(S, TCG_ENV, x86_to_i32(dc, d)); break;
    case 2: (sign ? gen_helper_idivw : gen_helper_divw)(S, TCG_ENV, x86_to_i32(dc, d)); break;
    case 4: (sign ? gen_helper_idivl : gen_helper_divl)(S, TCG_ENV, x86_to_i32(dc, d)); break;
    default: (sign ? gen_helper_idivq : gen_helper_divq)(S, TCG_ENV, d); break;
    }
    return true;
}

X86_TRANS(DIV) { return gen_div(dc, insn, false); }
X86_TRANS(IDIV) { return gen_div(dc, insn, true); }

/* ---- BCD: helpers leave the flags as CC_OP_EFLAGS in env ---- */
static void bcd_done(DisasContext *dc)
{
    dc->cc_op = CC_OP_EFLAGS;
    dc->cc_op_dirty = false;
}

X86_TRANS(DAA) { x86_prepare_helper(dc); gen_helper_daa(S, TCG_ENV); bcd_done(dc); return true; }
X86_TRANS(DAS) { x86_prepare_helper(dc); gen_helper_das(S, TCG_ENV); bcd_done(dc); return true; }
X86_TRANS(AAA) { x86_prepare_helper(dc); gen_helper_aaa(S, TCG_ENV); bcd_done(dc); return true; }
X86_TRANS(AAS) { x86_prepare_helper(dc); gen_helper_aas(S, TCG_ENV); bcd_done(dc); return true; }

X86_TRANS(AAM)
{
    x86_prepare_helper(dc);
    gen_helper_aam(S, TCG_ENV, c32(dc, (uint32_t)insn->ops[0].imm & 0xff));
    bcd_done(dc);
    return true;
}

X86_TRANS(AAD)
{
    x86_prepare_helper(dc);
    gen_helper_aad(S, TCG_ENV, c32(dc, (uint32_t)insn->ops[0].imm & 0xff));
    bcd_done(dc);
    return true;
}

/* ---- flag instructions ---- */
X86_TRANS(LAHF)
{
    TCGv f = x86_compute_eflags_tcg(dc), t = tmp32(dc);
    tcg_gen_andi(S, t, f, CC_S | CC_Z | CC_A | CC_P | CC_C);
    tcg_gen_ori(S, t, t, 2);
    x86_st_reg(dc, R_EAX, 1, true, t);
    return true;
}

X86_TRANS(SAHF)
{
    TCGv f = x86_compute_eflags_tcg(dc), ah = x86_to_i32(dc, x86_ld_reg(dc, R_EAX, 1, true)), t = tmp32(dc);
    tcg_gen_andi(S, t, f, CC_O);
    tcg_gen_andi(S, ah, ah, CC_S | CC_Z | CC_A | CC_P | CC_C);
    tcg_gen_or(S, t, t, ah);
    x86_set_eflags_cc(dc, t);
    return true;
}

static bool gen_cf_op(DisasContext *dc, int how)
{
    TCGv f = x86_compute_eflags_tcg(dc);
    if (how == 0) {
        tcg_gen_andi(S, f, f, ~CC_C);
    } else if (how == 1) {
        tcg_gen_ori(S, f, f, CC_C);
    } else {
        tcg_gen_xori(S, f, f, CC_C);
    }
    x86_set_eflags_cc(dc, f);
    return true;
}

X86_TRANS(CLC) { return gen_cf_op(dc, 0); }
X86_TRANS(STC) { return gen_cf_op(dc, 1); }
X86_TRANS(CMC) { return gen_cf_op(dc, 2); }

X86_TRANS(CLD)
{
    tcg_gen_st(S, tcg_constant(S, TCG_TYPE_I64, 1), X86_ENV_OFFSET(df));
    return true;
}

X86_TRANS(STD)
{
    tcg_gen_st(S, tcg_constant(S, TCG_TYPE_I64, (uint64_t)-1), X86_ENV_OFFSET(df));
    return true;
}

X86_TRANS(SALC)
{
    TCGv t = x86_compute_cf(dc);
    tcg_gen_neg(S, t, t);
    x86_st_reg(dc, R_EAX, 1, false, t);
    return true;
}

X86_TRANS(SETcc)
{
    X86Cond c = x86_prepare_cc(dc, insn->entry->opcode & 0xf);
    TCGv t = tmpw(dc);
    X86Operand *o = &insn->ops[0];
    tcg_gen_setcond(S, c.cond, t, c.a, c.b);
    if (o->type == X86_OPT_REG && o->size == 1 && !o->high8) {
        /* t is 0 or 1: clearing the low byte and or-ing it in is cheaper
         * than a general deposit */
        TCGv m = tmpw(dc);
        tcg_gen_andi(S, m, x86_reg(dc, o->reg), ~(uint64_t)0xff);
        tcg_gen_or(S, x86_reg(dc, o->reg), m, t);
        return true;
    }
    x86_st_op(dc, insn, 0, t);
    return true;
}

X86_TRANS(CMOVcc)
{
    X86Cond c;
    TCGv src = ld_op(dc, insn, 1), old = ld_op(dc, insn, 0), r = tmpw(dc);
    c = x86_prepare_cc(dc, insn->entry->opcode & 0xf);
    tcg_gen_movcond(S, c.cond, r, c.a, c.b, src, old);
    x86_st_op(dc, insn, 0, r);
    return true;
}

/* ---- data movement ---- */
X86_TRANS(MOV)
{
    X86Operand *o0 = &insn->ops[0], *o1 = &insn->ops[1];
    TCGv v;
    if (o0->type == X86_OPT_CR || o0->type == X86_OPT_DR) {
        v = x86_ld_reg(dc, o1->reg, o1->size, false);
        x86_prepare_helper(dc);
        if (o0->type == X86_OPT_CR) {
            gen_helper_write_crN(S, TCG_ENV, c32(dc, o0->reg), x86_addr_i64(dc, v));
        } else {
            gen_helper_set_dr(S, TCG_ENV, c32(dc, o0->reg), x86_addr_i64(dc, v));
        }
        dc->base.is_jmp = DISAS_EOB_NEXT;   /* paging or mode may have changed */
        return true;
    }
    if (o1->type == X86_OPT_CR || o1->type == X86_OPT_DR) {
        TCGv v64 = tmp64(dc);
        x86_prepare_helper(dc);
        if (o1->type == X86_OPT_CR) {
            gen_helper_read_crN(S, v64, TCG_ENV, c32(dc, o1->reg));
        } else {
            gen_helper_get_dr(S, v64, TCG_ENV, c32(dc, o1->reg));
        }
        x86_st_reg(dc, o0->reg, o0->size, false, v64);
        return true;
    }
    if (o0->type == X86_OPT_SEG) {
        v = ld_op(dc, insn, 1);
        x86_prepare_helper(dc);
        gen_helper_load_seg(S, TCG_ENV, c32(dc, o0->reg), x86_to_i32(dc, v));
        dc->base.is_jmp = o0->reg == R_SS ? DISAS_EOB_INHIBIT : DISAS_EOB_NEXT;
        if (o0->reg == R_SS) {
            /* MOV SS delays debug traps (single-step) past the next insn */
            dc->flags &= ~HF_TF_MASK;
        }
        return true;
    }
    v = ld_op(dc, insn, 1);
    if (o1->type == X86_OPT_SEG && o0->type == X86_OPT_MEM) {
        x86_gen_st(dc, v, x86_gen_addr(dc, insn), 2);
        return true;
    }
    x86_st_op(dc, insn, 0, v);
    return true;
}

X86_TRANS(MOVZX)
{
    x86_st_op(dc, insn, 0, ld_op(dc, insn, 1));
    return true;
}

X86_TRANS(MOVSX)
{
    x86_st_op(dc, insn, 0, sext_to(dc, ld_op(dc, insn, 1), insn->ops[1].size));
    return true;
}

X86_TRANS(MOVSXD)
{
    x86_st_op(dc, insn, 0, sext_to(dc, ld_op(dc, insn, 1), 4));
    return true;
}

X86_TRANS(LEA)
{
    if (!x86_op_is_mem(insn, 1)) {
        return false;
    }
    x86_st_op(dc, insn, 0, x86_gen_lea(dc, insn));
    return true;
}

X86_TRANS(XCHG)
{
    TCGv a = ld_op(dc, insn, 0), b = ld_op(dc, insn, 1);
    x86_st_op(dc, insn, 0, b);
    x86_st_op(dc, insn, 1, a);
    return true;
}

X86_TRANS(CMPXCHG)
{
    int size = insn->ops[0].size;
    TCGv acc = x86_ld_reg(dc, R_EAX, size, false), a = ld_op(dc, insn, 0), src = ld_op(dc, insn, 1);
    TCGv nv = tmpw(dc), r = tmpw(dc);
    tcg_gen_movcond(S, TCG_COND_EQ, nv, a, acc, src, a);
    if (size == 4 && x86_tw64(dc->tw) && !x86_op_is_mem(insn, 0)) {
        /* a register destination is written only when equal (the CPU
         * leaves its upper half alone otherwise) */
        TCGv d = x86_reg(dc, insn->ops[0].reg), z = tmpw(dc);
        tcg_gen_ext32u(S, z, src);
        tcg_gen_movcond(S, TCG_COND_EQ, d, a, acc, z, d);
    } else {
        x86_st_op(dc, insn, 0, nv);      /* memory is always written */
    }
    /* the accumulator gets the old value; when equal it already held it,
     * but in 64-bit mode only a failed compare writes EAX (zero-extending) */
    if (size == 4 && x86_tw64(dc->tw)) {
        tcg_gen_movcond(S, TCG_COND_EQ, x86_reg(dc, R_EAX), a, acc, x86_reg(dc, R_EAX), a);
    } else {
        x86_st_reg(dc, R_EAX, size, false, a);
    }
    tcg_gen_sub(S, r, acc, a);
    tcg_gen_mov(S, dc->cc_srcT, acc);
    set_cc(dc, CC_OP_SUBB, size, r, a);
    dc->cc_sub_unused = true;
    return true;
}

/* CMPXCHG16B m128: #GP(0) unless 16-byte aligned; like CMPXCHG8B, the
 * memory is always written (one CPU runs at a time: the load, compare and
 * store are atomic to the guest, with or without LOCK). */
static bool gen_cmpxchg16b(DisasContext *dc, X86Insn *insn)
{
    TCGv addr = x86_gen_addr(dc, insn), a8 = tmp64(dc), lo = tmp64(dc), hi = tmp64(dc);
    TCGv nlo = tmp64(dc), nhi = tmp64(dc), t = tmp64(dc), eq = tmp64(dc), f, nf = tmp32(dc), e32 = tmp32(dc);
    int l_ok = tcg_new_label(S);
    x86_update_cc_op(dc);
    tcg_gen_andi(S, t, addr, 15);
    tcg_gen_brcondi(S, TCG_COND_EQ, t, 0, l_ok);
    x86_store_eip(dc, dc->pc - dc->base.tb->cs_base);
    gen_helper_raise_exception_err(S, TCG_ENV, c32(dc, EXCP0D_GPF), c32(dc, 0));
    tcg_gen_set_label(S, l_ok);
    tcg_gen_addi(S, a8, addr, 8);
    tcg_gen_qemu_ld(S, lo, addr, MO_64, dc->mmu_idx);
    tcg_gen_qemu_ld(S, hi, a8, MO_64, dc->mmu_idx);
    tcg_gen_setcond(S, TCG_COND_EQ, eq, lo, x86_reg(dc, R_EAX));
    tcg_gen_setcond(S, TCG_COND_EQ, t, hi, x86_reg(dc, R_EDX));
    tcg_gen_and(S, eq, eq, t);
    tcg_gen_movcond(S, TCG_COND_NE, nlo, eq, tcg_constant(S, TCG_TYPE_I64, 0), x86_reg(dc, R_EBX), lo);
    tcg_gen_movcond(S, TCG_COND_NE, nhi, eq, tcg_constant(S, TCG_TYPE_I64, 0), x86_reg(dc, R_ECX), hi);
    /* the high half first: if it faults nothing was written */
    tcg_gen_qemu_st(S, nhi, a8, MO_64, dc->mmu_idx);
    tcg_gen_qemu_st(S, nlo, addr, MO_64, dc->mmu_idx);
    f = x86_compute_eflags_tcg(dc);
    /* RDX:RAX = old: equal to them already when the compare succeeded */
    tcg_gen_mov(S, x86_reg(dc, R_EAX), lo);
    tcg_gen_mov(S, x86_reg(dc, R_EDX), hi);
    tcg_gen_andi(S, nf, f, ~CC_Z);
    tcg_gen_extrl_i64_i32(S, e32, eq);
    tcg_gen_shli(S, e32, e32, 6);
    tcg_gen_or(S, nf, nf, e32);
    x86_set_eflags_cc(dc, nf);
    return true;
}

X86_TRANS(CMPXCHG8B)
{
    TCGv addr, old = tmp64(dc), cmp = tmp64(dc), nv = tmp64(dc), t = tmp64(dc);
    TCGv lo = tmpw(dc), hi = tmpw(dc), eq = tmp32(dc), f, nf = tmp32(dc);
    if (insn->opsize == 8) {
        return gen_cmpxchg16b(dc, insn);
    }
    addr = x86_gen_addr(dc, insn);
    x86_seg_check_a0(dc, insn, 8, X86_ACC_WRITE);   /* always written */
    tcg_gen_qemu_ld(S, old, addr, MO_64, dc->mmu_idx);
    tcg_gen_extu_i32_i64(S, cmp, x86_to_i32(dc, x86_reg(dc, R_EDX)));
    tcg_gen_shli(S, cmp, cmp, 32);
    tcg_gen_extu_i32_i64(S, t, x86_to_i32(dc, x86_reg(dc, R_EAX)));
    tcg_gen_or(S, cmp, cmp, t);
    tcg_gen_extu_i32_i64(S, nv, x86_to_i32(dc, x86_reg(dc, R_ECX)));
    tcg_gen_shli(S, nv, nv, 32);
    tcg_gen_extu_i32_i64(S, t, x86_to_i32(dc, x86_reg(dc, R_EBX)));
    tcg_gen_or(S, nv, nv, t);
    tcg_gen_movcond(S, TCG_COND_EQ, nv, old, cmp, nv, old);
    tcg_gen_qemu_st(S, nv, addr, MO_64, dc->mmu_idx);
    tcg_gen_setcond(S, TCG_COND_EQ, t, old, cmp);
    tcg_gen_extrl_i64_i32(S, eq, t);
    /* EDX:EAX = old: equal to them already when the compare succeeded
     * (in 64-bit mode a successful compare leaves RDX:RAX alone) */
    if (x86_tw64(dc->tw)) {
        tcg_gen_ext32u(S, lo, old);
        tcg_gen_shri(S, hi, old, 32);
    } else {
        tcg_gen_extrl_i64_i32(S, lo, old);
        tcg_gen_extrh_i64_i32(S, hi, old);
    }
    f = x86_compute_eflags_tcg(dc);
    if (x86_tw64(dc->tw)) {
        tcg_gen_movcond(S, TCG_COND_NE, x86_reg(dc, R_EAX), t, tcg_constant(S, TCG_TYPE_I64, 0), x86_reg(dc, R_EAX), lo);
        tcg_gen_movcond(S, TCG_COND_NE, x86_reg(dc, R_EDX), t, tcg_constant(S, TCG_TYPE_I64, 0), x86_reg(dc, R_EDX), hi);
    } else {
        tcg_gen_mov(S, x86_reg(dc, R_EAX), lo);
        tcg_gen_mov(S, x86_reg(dc, R_EDX), hi);
    }
    tcg_gen_andi(S, nf, f, ~CC_Z);
    tcg_gen_shli(S, eq, eq, 6);
    tcg_gen_or(S, nf, nf, eq);
    x86_set_eflags_cc(dc, nf);
    return true;
}

X86_TRANS(XADD)
{
    int size = insn->ops[0].size;
    TCGv a = ld_op(dc, insn, 0), b = ld_op(dc, insn, 1), r = tmpw(dc);
    tcg_gen_add(S, r, a, b);
    if (x86_op_is_mem(insn, 0)) {
        x86_st_op(dc, insn, 0, r);
        x86_st_op(dc, insn, 1, a);
    } else {
        x86_st_op(dc, insn, 1, a);
        x86_st_op(dc, insn, 0, r);   /* same register: the sum wins */
    }
    set_cc(dc, CC_OP_ADDB, size, r, b);
    return true;
}

X86_TRANS(BSWAP)
{
    TCGv t = tmpw(dc);
    if (insn->ops[0].size == 8) {
        tcg_gen_bswap64(S, t, x86_reg(dc, insn->ops[0].reg));
    } else if (insn->ops[0].size == 4) {
        tcg_gen_bswap32(S, t, x86_reg(dc, insn->ops[0].reg));
    } else {
        tcg_gen_movi(S, t, 0);   /* 16-bit BSWAP: undefined, CPUs give 0 */
    }
    x86_st_op(dc, insn, 0, t);
    return true;
}

/* CBW / CWDE / CDQE: rAX = sign-extended lower half */
X86_TRANS(CWDE)
{
    int size = insn->opsize;
    x86_st_reg(dc, R_EAX, size, false, sext_to(dc, x86_reg(dc, R_EAX), size / 2));
    return true;
}

/* CWD / CDQ / CQO: rDX = copies of rAX's sign bit */
X86_TRANS(CDQ)
{
    int size = insn->opsize;
    TCGv t = tmpw(dc);
    if (size == x86_wbytes(dc)) {
        tcg_gen_sari(S, t, x86_reg(dc, R_EAX), size * 8 - 1);
    } else {
        tcg_gen_sari(S, t, sext_to(dc, x86_reg(dc, R_EAX), size), size * 8 - 1);
    }
    x86_st_reg(dc, R_EDX, size, false, t);
    return true;
}

X86_TRANS(XLAT)
{
    TCGv off = tmpw(dc), al = x86_ld_reg(dc, R_EAX, 1, false), v = tmpw(dc);
    int seg = insn->seg_override >= 0 ? insn->seg_override : R_DS;
    tcg_gen_add(S, off, x86_reg(dc, R_EBX), al);
    if (insn->addrsize == 2) {
        tcg_gen_ext16u(S, off, off);
    }
    x86_seg_check(dc, seg, off, 1, X86_ACC_READ);
    x86_gen_ld(dc, v, x86_add_seg(dc, off, seg, insn->addrsize), 1);
    x86_st_reg(dc, R_EAX, 1, false, v);
    return true;
}

X86_TRANS(NOP) { return true; }
