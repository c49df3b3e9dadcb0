/*
 * x87 instructions (D8-DF, 9B WAIT): one handler per mnemonic of the
 * opcodes.def rows. The translator checks CR0.EM/TS (#NM) from hflags,
 * records FOP/FIP/FCS (and FDP/FDS for memory forms) inline for the
 * non-control instructions, forms the operand's linear address, and calls
 * one helper (fpu_helper.c) that does the rest at run time, ST(i)
 * included. Operands of up to 8 bytes are read inline (the TLB fast path)
 * and passed by value, so a page fault on them comes before a pending #MF
 * (on a CPU, #MF would come first); stores of up to 8 bytes are done
 * inline after the helper computed the bits; 10-byte operands go through
 * the helper with the address, as I64 whatever width A0 has.
 */
#include "frontend/x86/fpu_helper.h"
#include "frontend/x86/helpers.h"
#include "frontend/x86/translate.h"

#undef HELPER_MODE
#define HELPER_MODE HELPER_GEN
#include "tcg/helper-gen.h"
#include "frontend/x86/helpers.def"

#define S (dc->s)

enum { FPU_CONTROL = 0, FPU_RECORD = 1 };

/* #NM when CR0.EM or CR0.TS (both are in hflags, so translation is keyed
 * on them). Records the instruction pointer and opcode for FSTENV when
 * record is set. Returns false when the exception was emitted. */
static bool fpu_start(DisasContext *dc, X86Insn *insn, int record)
{
    if (dc->flags & (HF_EM_MASK | HF_TS_MASK)) {
        x86_gen_exception(dc, EXCP07_PREX);
        return false;
    }
    x86_prepare_helper(dc);
    if (record) {
        uint64_t eip = dc->pc - dc->base.tb->cs_base;
        tcg_gen_st16(S, c32(dc, (uint32_t)(((insn->entry->opcode & 7) << 8) | insn->modrm)),
                     X86_ENV_OFFSET(fpop));
        tcg_gen_st(S, tcg_constant(S, TCG_TYPE_I64, eip), X86_ENV_OFFSET(fpip));
        TCGv cs = tmp32(dc);
        tcg_gen_ld32u(S, cs, X86_ENV_OFFSET(segs[R_CS].selector));
        tcg_gen_st16(S, cs, X86_ENV_OFFSET(fpcs));
    }
    return true;
}

/* Linear address of the memory operand as I64; with record, FDP/FDS too. */
static TCGv fpu_addr(DisasContext *dc, X86Insn *insn, int record)
{
    TCGv off = x86_gen_lea(dc, insn);
    if (record) {
        tcg_gen_st(S, x86_addr_i64(dc, off), X86_ENV_OFFSET(fpdp));
        TCGv ds = tmp32(dc);
        tcg_gen_ld32u(S, ds, X86_ENV_OFFSET(segs[insn->addr.seg].selector));
        tcg_gen_st16(S, ds, X86_ENV_OFFSET(fpds));
    }
    dc->a0_off = off;
    dc->A0 = x86_add_seg(dc, off, insn->addr.seg, insn->addrsize);
    dc->a0_valid = true;
    return x86_addr_i64(dc, dc->A0);
}

static bool is_mem(X86Insn *insn) { return insn->mod != 3; }
static int sti(X86Insn *insn) { return insn->modrm & 7; }

/* ---- loads and stores ---- */

static int kind_size(int kind)
{
    switch (kind) {
    case X87_M16INT: return 2;
    case X87_M32FP: case X87_M32INT: return 4;
    default: return 8;
    }
}

/* An operand of up to 8 bytes, read inline (the TLB fast path) */
static TCGv fpu_ld_operand(DisasContext *dc, X86Insn *insn, int kind)
{
    TCGv v = tmp64(dc);
    fpu_addr(dc, insn, FPU_RECORD);
    x86_gen_ld(dc, v, dc->A0, kind_size(kind));
    return v;
}

static bool gen_fld_mem(DisasContext *dc, X86Insn *insn, int kind)
{
    if (!fpu_start(dc, insn, FPU_RECORD))
        return true;
    if (kind == X87_M80FP || kind == X87_M80BCD) {
        TCGv a = fpu_addr(dc, insn, FPU_RECORD);
        x86_seg_check_a0(dc, insn, 10, X86_ACC_READ);
        gen_helper_fld_mem(S, TCG_ENV, a, c32(dc, (uint32_t)kind));
    } else
        gen_helper_fld_val(S, TCG_ENV, fpu_ld_operand(dc, insn, kind), c32(dc, (uint32_t)kind));
    return true;
}

/* Stores of up to 8 bytes: the helper computes the bits, the store goes
 * through the TLB fast path, then the pop; an unmasked exception skips
 * both (fpu_store_skip). FSTP m80 and FBSTP store in the helper. */
static bool gen_fst_mem(DisasContext *dc, X86Insn *insn, uint32_t desc)
{
    int kind = desc & 0xff;
    if (!fpu_start(dc, insn, FPU_RECORD))
        return true;
    if (kind == X87_M80FP || kind == X87_M80BCD) {
        TCGv a = fpu_addr(dc, insn, FPU_RECORD);
        x86_seg_check_a0(dc, insn, 10, X86_ACC_WRITE);
        gen_helper_fst_mem(S, TCG_ENV, a, c32(dc, desc));
        return true;
    }
    fpu_addr(dc, insn, FPU_RECORD);
    x86_seg_check_a0(dc, insn, kind_size(kind), X86_ACC_WRITE);   /* before the helper's flags */
    TCGv v = tmp64(dc), skip = tmp32(dc);
    int l_done = tcg_new_label(S);
    gen_helper_fst_val(S, v, TCG_ENV, c32(dc, desc & ~X87_POP));
    tcg_gen_ld8u(S, skip, X86_ENV_OFFSET(fpu_store_skip));
    tcg_gen_brcondi(S, TCG_COND_NE, skip, 0, l_done);
    if (kind_size(kind) == 8) {
        x86_gen_st(dc, v, dc->A0, 8);
    } else {
        TCGv v32 = tmp32(dc);
        tcg_gen_extrl_i64_i32(S, v32, v);
        x86_gen_st(dc, v32, dc->A0, kind_size(kind));
    }
    if (desc & X87_POP)
        gen_helper_fpop(S, TCG_ENV);
    tcg_gen_set_label(S, l_done);
    return true;
}

X86_TRANS(FLD)
{
    if (!is_mem(insn)) {
        if (fpu_start(dc, insn, FPU_RECORD))
            gen_helper_fld_st(S, TCG_ENV, c32(dc, (uint32_t)sti(insn)));
        return true;
    }
    int op = insn->entry->opcode;
    return gen_fld_mem(dc, insn, op == 0xd9 ? X87_M32FP : op == 0xdd ? X87_M64FP : X87_M80FP);
}

static int fst_kind(X86Insn *insn)
{
    int op = insn->entry->opcode;
    return op == 0xd9 ? X87_M32FP : op == 0xdd ? X87_M64FP : X87_M80FP;
}

X86_TRANS(FST)
{
    if (!is_mem(insn)) {
        if (fpu_start(dc, insn, FPU_RECORD))
            gen_helper_fst_st(S, TCG_ENV, c32(dc, (uint32_t)sti(insn)));
        return true;
    }
    return gen_fst_mem(dc, insn, (uint32_t)fst_kind(insn));
}

X86_TRANS(FSTP)
{
    if (!is_mem(insn)) {
        if (fpu_start(dc, insn, FPU_RECORD))
            gen_helper_fst_st(S, TCG_ENV, c32(dc, (uint32_t)sti(insn) | X87_POP));
        return true;
    }
    return gen_fst_mem(dc, insn, (uint32_t)fst_kind(insn) | X87_POP);
}
X86_TRANS_ALIAS(FSTPNCE, FSTP);

static int int_kind(X86Insn *insn)
{
    switch (insn->entry->opcode) {
    case 0xdb: return X87_M32INT;
    case 0xdd: return X87_M64INT;
    default: return insn->reg == 5 || insn->reg == 7 ? X87_M64INT : X87_M16INT;   /* DF */
    }
}

X86_TRANS(FILD) { return gen_fld_mem(dc, insn, int_kind(insn)); }
X86_TRANS(FIST) { return gen_fst_mem(dc, insn, (uint32_t)int_kind(insn)); }
X86_TRANS(FISTP) { return gen_fst_mem(dc, insn, (uint32_t)int_kind(insn) | X87_POP); }
X86_TRANS(FISTTP) { return gen_fst_mem(dc, insn, (uint32_t)int_kind(insn) | X87_POP | X87_TRUNC); }
X86_TRANS(FBLD) { return gen_fld_mem(dc, insn, X87_M80BCD); }
X86_TRANS(FBSTP) { return gen_fst_mem(dc, insn, X87_M80BCD | X87_POP); }

/* ---- arithmetic and compares ---- */

/* D8/DC memory (m32fp/m64fp), DA/DE memory (m32int/m16int) */
static bool gen_arith_mem(DisasContext *dc, X86Insn *insn)
{
    int kind;
    switch (insn->entry->opcode) {
    case 0xd8: kind = X87_M32FP; break;
    case 0xdc: kind = X87_M64FP; break;
    case 0xda: kind = X87_M32INT; break;
    default: kind = X87_M16INT; break;
    }
    if (fpu_start(dc, insn, FPU_RECORD))
        gen_helper_farith_val(S, TCG_ENV, fpu_ld_operand(dc, insn, kind),
                              c32(dc, (uint32_t)(insn->reg | kind << 4)));
    return true;
}

static bool gen_arith_st(DisasContext *dc, X86Insn *insn, uint32_t desc)
{
    if (fpu_start(dc, insn, FPU_RECORD))
        gen_helper_farith_st(S, TCG_ENV, c32(dc, desc | (uint32_t)sti(insn) << 4));
    return true;
}

/* FADD FMUL FSUB FSUBR FDIV FDIVR: D8 (ST0 op= x), DC reg (ST(i) op= ST0,
 * where /4../7 are FSUBR FSUB FDIVR FDIV: the operation with ST(i) first
 * is ModRM.reg ^ 1), and the memory forms. */
static bool gen_arith(DisasContext *dc, X86Insn *insn)
{
    if (is_mem(insn))
        return gen_arith_mem(dc, insn);
    int op = insn->reg;
    switch (insn->entry->opcode) {
    case 0xd8:
        return gen_arith_st(dc, insn, (uint32_t)op);
    case 0xdc:
        return gen_arith_st(dc, insn, (uint32_t)(op >= 4 ? op ^ 1 : op) | X87_TO_STI);
    default:   /* DE: the P forms */
        return gen_arith_st(dc, insn, (uint32_t)(op >= 4 ? op ^ 1 : op) | X87_TO_STI | X87_POP);
    }
}
X86_TRANS(FADD) { return gen_arith(dc, insn); }
X86_TRANS_ALIAS(FMUL, FADD);
X86_TRANS_ALIAS(FSUB, FADD);
X86_TRANS_ALIAS(FSUBR, FADD);
X86_TRANS_ALIAS(FDIV, FADD);
X86_TRANS_ALIAS(FDIVR, FADD);
X86_TRANS_ALIAS(FADDP, FADD);
X86_TRANS_ALIAS(FMULP, FADD);
X86_TRANS_ALIAS(FSUBP, FADD);
X86_TRANS_ALIAS(FSUBRP, FADD);
X86_TRANS_ALIAS(FDIVP, FADD);
X86_TRANS_ALIAS(FDIVRP, FADD);
X86_TRANS_ALIAS(FIADD, FADD);
X86_TRANS_ALIAS(FIMUL, FADD);
X86_TRANS_ALIAS(FISUB, FADD);
X86_TRANS_ALIAS(FISUBR, FADD);
X86_TRANS_ALIAS(FIDIV, FADD);
X86_TRANS_ALIAS(FIDIVR, FADD);
X86_TRANS_ALIAS(FICOM, FADD);
X86_TRANS_ALIAS(FICOMP, FADD);

/* FCOM/FCOMP: memory, D8 D0+i / D8+i, and the aliases DC D0/D8, DE D0 */
X86_TRANS(FCOM)
{
    if (is_mem(insn))
        return gen_arith_mem(dc, insn);
    return gen_arith_st(dc, insn, X87_COM);
}
X86_TRANS(FCOMP)
{
    if (is_mem(insn))
        return gen_arith_mem(dc, insn);
    return gen_arith_st(dc, insn, X87_COMP);
}
X86_TRANS(FUCOM) { return gen_arith_st(dc, insn, X87_COM | X87_QUIET); }
X86_TRANS(FUCOMP) { return gen_arith_st(dc, insn, X87_COM | X87_QUIET | X87_POP); }
/* FCOMPP (DE D9), FUCOMPP (DA E9): ST0 against ST1, pop twice */
X86_TRANS(FCOMPP) { return gen_arith_st(dc, insn, X87_COM | X87_POP2); }
X86_TRANS(FUCOMPP) { return gen_arith_st(dc, insn, X87_COM | X87_QUIET | X87_POP2); }

static bool gen_fcomi(DisasContext *dc, X86Insn *insn, uint32_t desc)
{
    if (!fpu_start(dc, insn, FPU_RECORD))
        return true;
    TCGv f = tmp32(dc);
    gen_helper_fcomi(S, f, TCG_ENV, c32(dc, desc | (uint32_t)sti(insn)));
    x86_set_eflags_cc(dc, f);
    return true;
}
X86_TRANS(FCOMI) { return gen_fcomi(dc, insn, 0); }
X86_TRANS(FUCOMI) { return gen_fcomi(dc, insn, X87_QUIET); }
X86_TRANS(FCOMIP) { return gen_fcomi(dc, insn, X87_POP); }
X86_TRANS(FUCOMIP) { return gen_fcomi(dc, insn, X87_QUIET | X87_POP); }

/* FCMOVcc: DA /0-/3 B E BE U, DB /0-/3 their negations (Jcc nibbles) */
X86_TRANS(FCMOVB)
{
    static const int cc[4] = { 0x2, 0x4, 0x6, 0xa };
    int b = cc[insn->reg & 3] | (insn->entry->opcode == 0xdb);
    if (!fpu_start(dc, insn, FPU_RECORD))
        return true;
    X86Cond c = x86_prepare_cc(dc, b);
    TCGv t = x86_temp(dc, tcg_temp_type(S, c.a));
    tcg_gen_setcond(S, c.cond, t, c.a, c.b);
    if (tcg_temp_type(S, t) == TCG_TYPE_I64) {
        TCGv t32 = tmp32(dc);
        tcg_gen_extrl_i64_i32(S, t32, t);
        t = t32;
    }
    gen_helper_fcmov(S, TCG_ENV, c32(dc, (uint32_t)sti(insn)), t);
    return true;
}
X86_TRANS_ALIAS(FCMOVE, FCMOVB);
X86_TRANS_ALIAS(FCMOVBE, FCMOVB);
X86_TRANS_ALIAS(FCMOVU, FCMOVB);
X86_TRANS_ALIAS(FCMOVNB, FCMOVB);
X86_TRANS_ALIAS(FCMOVNE, FCMOVB);
X86_TRANS_ALIAS(FCMOVNBE, FCMOVB);
X86_TRANS_ALIAS(FCMOVNU, FCMOVB);

X86_TRANS(FXCH)
{
    if (fpu_start(dc, insn, FPU_RECORD))
        gen_helper_fxch(S, TCG_ENV, c32(dc, (uint32_t)sti(insn)));
    return true;
}

/* ---- the r/m-named groups, FFREE/FFREEP ---- */

static bool gen_fgrp(DisasContext *dc, X86Insn *insn, int record)
{
    if (fpu_start(dc, insn, record))
        gen_helper_fgrp(S, TCG_ENV, c32(dc, (uint32_t)(insn->entry->opcode << 8 | insn->modrm)));
    return true;
}
X86_TRANS(X87_D9_2) { return gen_fgrp(dc, insn, FPU_RECORD); }
X86_TRANS_ALIAS(X87_D9_4, X87_D9_2);
X86_TRANS_ALIAS(X87_D9_5, X87_D9_2);
X86_TRANS_ALIAS(X87_D9_6, X87_D9_2);
X86_TRANS_ALIAS(X87_D9_7, X87_D9_2);
X86_TRANS_ALIAS(FFREE, X87_D9_2);
X86_TRANS_ALIAS(FFREEP, X87_D9_2);
X86_TRANS(X87_DB_4) { return gen_fgrp(dc, insn, FPU_CONTROL); }   /* FNCLEX, FNINIT */

/* ---- control words and environment ---- */

X86_TRANS(FLDCW)
{
    if (!fpu_start(dc, insn, FPU_CONTROL))
        return true;
    TCGv v = tmp32(dc);
    fpu_addr(dc, insn, FPU_CONTROL);
    x86_gen_ld(dc, v, dc->A0, 2);
    gen_helper_fldcw(S, TCG_ENV, v);
    return true;
}

X86_TRANS(FNSTCW)
{
    if (!fpu_start(dc, insn, FPU_CONTROL))
        return true;
    TCGv v = tmp32(dc);
    fpu_addr(dc, insn, FPU_CONTROL);
    tcg_gen_ld16u(S, v, X86_ENV_OFFSET(fpuc));
    x86_gen_st(dc, v, dc->A0, 2);
    return true;
}

X86_TRANS(FNSTSW)
{
    if (!fpu_start(dc, insn, FPU_CONTROL))
        return true;
    TCGv v = tmp32(dc);
    gen_helper_fnstsw(S, v, TCG_ENV);
    if (is_mem(insn)) {
        fpu_addr(dc, insn, FPU_CONTROL);
        x86_gen_st(dc, v, dc->A0, 2);
    } else {
        x86_st_reg(dc, R_EAX, 2, false, v);
    }
    return true;
}

/* FSTENV/FLDENV/FSAVE/FRSTOR: 16- or 32-bit layout by operand size
 * (14/28 bytes of environment, 80 more of registers for FSAVE/FRSTOR),
 * whose segment checks come before the helper touches anything */
#define FPU_ENV_HANDLER(name, helper, regs, kind)                                       \
    X86_TRANS(name)                                                                     \
    {                                                                                   \
        if (fpu_start(dc, insn, FPU_CONTROL)) {                                         \
            TCGv a = fpu_addr(dc, insn, FPU_CONTROL);                                   \
            x86_seg_check_a0(dc, insn, (insn->opsize != 2 ? 28 : 14) + (regs), kind);   \
            helper(S, TCG_ENV, a, c32(dc, insn->opsize != 2));                          \
        }                                                                               \
        return true;                                                                    \
    }
FPU_ENV_HANDLER(FNSTENV, gen_helper_fnstenv, 0, X86_ACC_WRITE)
FPU_ENV_HANDLER(FLDENV, gen_helper_fldenv, 0, X86_ACC_READ)
FPU_ENV_HANDLER(FNSAVE, gen_helper_fnsave, 80, X86_ACC_WRITE)
FPU_ENV_HANDLER(FRSTOR, gen_helper_frstor, 80, X86_ACC_READ)

/* WAIT/FWAIT: #NM only when both CR0.TS and CR0.MP; then a pending
 * unmasked exception is delivered (#MF). */
X86_TRANS(WAIT)
{
    if ((dc->flags & (HF_TS_MASK | HF_MP_MASK)) == (HF_TS_MASK | HF_MP_MASK)) {
        x86_gen_exception(dc, EXCP07_PREX);
        return true;
    }
    x86_prepare_helper(dc);
    gen_helper_fwait(S, TCG_ENV);
    return true;
}
