/*
 * Private to the A64 translator (translate*.c): the DisasContext, the fixed
 * indices of the IR globals, and the emit helpers the topic files share.
 * Globals are created by a64_tcg_init in the order of the A64G_ enum, right
 * after TCG_ENV, so their TCGv values are constants.
 */
#ifndef FRONTEND_ARM64_TRANSLATE_H
#define FRONTEND_ARM64_TRANSLATE_H

#include "frontend/arm64/cpu.h"

enum {
    A64G_X0 = TCG_ENV + 1,     /* A64G_X0 + n: X0..X30, then SP (xregs[31]) */
    A64G_SP = A64G_X0 + 31,
    A64G_PC,
    A64G_NF, A64G_ZF, A64G_CF, A64G_VF,
    A64G_NB
};
#define cpu_pc ((TCGv)A64G_PC)
#define cpu_nf ((TCGv)A64G_NF)
#define cpu_zf ((TCGv)A64G_ZF)
#define cpu_cf ((TCGv)A64G_CF)
#define cpu_vf ((TCGv)A64G_VF)

/* Block ends of our own */
#define DISAS_EXIT   DISAS_TARGET_0         /* pc stored: back to the loop (state changed) */
#define DISAS_UPDATE (DISAS_TARGET_0 + 1)   /* store the next pc, then back to the loop */

#define A64_MAX_INSN_TEMPS 64

typedef struct DisasContext {
    DisasContextBase base;
    TCGContext *s;
    CPUARMState *env;
    uint32_t flags;            /* tb->flags */
    int el;
    int mmu_idx;
    uint64_t pc;               /* this insn */
    uint32_t insn;
    TCGv insn_temps[A64_MAX_INSN_TEMPS];
    int nb_insn_temps;
} DisasContext;

#define A64_DECODE_CTX DisasContext

/* a fresh I64 temp, freed after the instruction */
TCGv a64_tmp(DisasContext *dc);
static inline TCGv a64_const(DisasContext *dc, uint64_t v) { return tcg_constant(dc->s, TCG_TYPE_I64, v); }

/* Register access. Register 31 is SP where the encoding says so, else the
 * zero register (reads 0, writes discarded). */
TCGv a64_reg(DisasContext *dc, int r);          /* XZR for 31 */
TCGv a64_reg_sp(DisasContext *dc, int r);       /* SP for 31 */
/* Write v to Xr (sf) or Wr (zero-extended); 31 = XZR: nothing. */
void a64_set_reg(DisasContext *dc, int r, TCGv v, bool sf);
void a64_set_reg_sp(DisasContext *dc, int r, TCGv v, bool sf);

/* Exceptions raised by the current instruction (pc restored to it). */
void a64_gen_exception(DisasContext *dc, uint32_t syndrome);
void a64_gen_undef(DisasContext *dc);
/* Block ends */
void a64_gen_goto(DisasContext *dc, int slot, uint64_t dest);
void a64_gen_jump_reg(DisasContext *dc, TCGv dest);
/* Evaluate an A64 condition (0..15) into (cond, value) against zero. */
typedef struct A64Cond { TCGCond cond; TCGv value; } A64Cond;
A64Cond a64_test_cc(DisasContext *dc, int cc);
/* Flags of a logical result (N and Z from it, C = V = 0). */
void a64_gen_logic_cc(DisasContext *dc, TCGv result, bool sf);
/* d = a + b (sub: a - b) setting NZCV when setflags. */
void a64_gen_add(DisasContext *dc, TCGv d, TCGv a, TCGv b, bool sf, bool sub, bool setflags);

/* Memory: mmu index of this EL, and of an unprivileged access. */
int a64_mem_idx(DisasContext *dc, bool unpriv);
/* A data access's MemOp: with SCTLR.A (a TB flag) it must be aligned to
 * its size, which the TLB fast path checks for free (MO_ALIGN). */
static inline MemOp a64_memop(DisasContext *dc, MemOp mop)
{
    return (dc->flags & A64_TBF_ALIGN) ? (MemOp)(mop | MO_ALIGN) : mop;
}
/* With SCTLR.A, a 128-bit SIMD&FP access (two 64-bit halves in IR) must
 * be 16-byte aligned: raises the alignment fault otherwise. */
void a64_check_align16(DisasContext *dc, TCGv addr, bool is_write);
/* Checks the SP alignment (SCTLR.SA) when rn is SP. */
void a64_check_sp_align(DisasContext *dc, int rn);

/* FP/SIMD (translate-fp.c.inc): false after raising the SIMD/FP access
 * trap when CPACR_EL1.FPEN disables FP at this EL (the caller returns). */
bool a64_fp_access_check(DisasContext *dc);

#endif
