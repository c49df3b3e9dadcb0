/*
 * The A64 translator core: the TranslatorOps hooks, the IR globals,
 * register and flag access, conditions, block ends, and the generated
 * decoder (a64.decode through decodegen) dispatching to trans_NAME
 * handlers in translate-*.c, which are #included here so the generated
 * static prototypes see their definitions.
 * Must stay true: an instruction writes guest registers only after its
 * last access that may fault (the restored state is then the state before
 * it: pc is the only thing insn_start records).
 */
#include <stdlib.h>
#include <string.h>
#include "frontend/arm64/translate.h"
#include "frontend/arm64/helpers.h"
#include "softmmu/tlb.h"

#undef HELPER_MODE
#define HELPER_MODE HELPER_GEN
#include "tcg/helper-gen.h"
#include "frontend/arm64/helpers.def"

#include "frontend/arm64/a64-decode.inc"

/* ---- globals ---- */
static void a64_tcg_init_globals(CPUState *cpu, TCGContext *s)
{
    static const char *const names[32] = {
        "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
        "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24",
        "x25", "x26", "x27", "x28", "x29", "x30", "sp" };
    for (int i = 0; i < 32; i++)
        if (tcg_global_mem_new(s, TCG_TYPE_I64, A64_ENV_OFFSET(xregs[i]), names[i]) != (TCGv)(A64G_X0 + i))
            goto bad;
    if (tcg_global_mem_new(s, TCG_TYPE_I64, A64_ENV_OFFSET(pc), "pc") != cpu_pc ||
        tcg_global_mem_new(s, TCG_TYPE_I64, A64_ENV_OFFSET(nf), "nf") != cpu_nf ||
        tcg_global_mem_new(s, TCG_TYPE_I64, A64_ENV_OFFSET(zf), "zf") != cpu_zf ||
        tcg_global_mem_new(s, TCG_TYPE_I64, A64_ENV_OFFSET(cf), "cf") != cpu_cf ||
        tcg_global_mem_new(s, TCG_TYPE_I64, A64_ENV_OFFSET(vf), "vf") != cpu_vf)
        goto bad;
    return;
bad:
    fprintf(stderr, "kasou: arm64 globals must be created first, right after env\n");
    abort();
}

void a64_tcg_init(CPUState *cpu, TCGContext *s);
void a64_tcg_init(CPUState *cpu, TCGContext *s)
{
    a64_tcg_init_globals(cpu, s);
}

/* ---- temps and registers ---- */
TCGv a64_tmp(DisasContext *dc)
{
    TCGv t = tcg_temp_new(dc->s, TCG_TYPE_I64);
    if (dc->nb_insn_temps < A64_MAX_INSN_TEMPS)
        dc->insn_temps[dc->nb_insn_temps++] = t;
    return t;
}

TCGv a64_reg(DisasContext *dc, int r)
{
    return r == 31 ? a64_const(dc, 0) : (TCGv)(A64G_X0 + r);
}

TCGv a64_reg_sp(DisasContext *dc, int r)
{
    return (TCGv)(A64G_X0 + r);
}

void a64_set_reg(DisasContext *dc, int r, TCGv v, bool sf)
{
    if (r == 31)
        return;
    if (sf)
        tcg_gen_mov(dc->s, (TCGv)(A64G_X0 + r), v);
    else
        tcg_gen_ext32u(dc->s, (TCGv)(A64G_X0 + r), v);
}

void a64_set_reg_sp(DisasContext *dc, int r, TCGv v, bool sf)
{
    if (sf)
        tcg_gen_mov(dc->s, (TCGv)(A64G_X0 + r), v);
    else
        tcg_gen_ext32u(dc->s, (TCGv)(A64G_X0 + r), v);
}

/* ---- exceptions and block ends ---- */
void a64_gen_exception(DisasContext *dc, uint32_t syndrome)
{
    gen_helper_a64_exception(dc->s, TCG_ENV, tcg_constant(dc->s, TCG_TYPE_I32, syndrome),
                             tcg_constant(dc->s, TCG_TYPE_I32, 0));
    dc->base.is_jmp = DISAS_NORETURN;
}

void a64_gen_undef(DisasContext *dc)
{
    a64_gen_exception(dc, ((uint32_t)EC_UNCATEGORIZED << 26) | ESR_IL);
}

void a64_gen_goto(DisasContext *dc, int slot, uint64_t dest)
{
    if (translator_use_goto_tb(&dc->base, dest)) {
        tcg_gen_goto_tb(dc->s, slot);
        tcg_gen_movi(dc->s, cpu_pc, dest);
        tcg_gen_exit_tb(dc->s, (uintptr_t)dc->base.tb | (uintptr_t)slot);
    } else {
        tcg_gen_movi(dc->s, cpu_pc, dest);
        tcg_gen_lookup_goto_ptr(dc->s, a64_const(dc, dest), dc->flags, 0);
    }
    dc->base.is_jmp = DISAS_NORETURN;
}

void a64_gen_jump_reg(DisasContext *dc, TCGv dest)
{
    tcg_gen_mov(dc->s, cpu_pc, dest);
    tcg_gen_lookup_goto_ptr(dc->s, cpu_pc, dc->flags, 0);
    dc->base.is_jmp = DISAS_NORETURN;
}

/* ---- flags ---- */
A64Cond a64_test_cc(DisasContext *dc, int cc)
{
    TCGContext *s = dc->s;
    TCGv t;
    A64Cond c;
    bool inv = (cc & 1) && cc != 15;
    switch (cc >> 1) {
    case 0: c = (A64Cond){ TCG_COND_EQ, cpu_zf }; break;          /* EQ: Z */
    case 1: c = (A64Cond){ TCG_COND_NE, cpu_cf }; break;          /* CS: C */
    case 2: c = (A64Cond){ TCG_COND_LT, cpu_nf }; break;          /* MI: N */
    case 3: c = (A64Cond){ TCG_COND_LT, cpu_vf }; break;          /* VS: V */
    case 4:                                                       /* HI: C && !Z */
        t = a64_tmp(dc);
        tcg_gen_neg(s, t, cpu_cf);
        tcg_gen_and(s, t, t, cpu_zf);
        c = (A64Cond){ TCG_COND_NE, t };
        break;
    case 5:                                                       /* GE: N == V */
        t = a64_tmp(dc);
        tcg_gen_xor(s, t, cpu_nf, cpu_vf);
        c = (A64Cond){ TCG_COND_GE, t };
        break;
    case 6:                                                       /* GT: !Z && N == V */
        t = a64_tmp(dc);
        tcg_gen_xor(s, t, cpu_nf, cpu_vf);
        tcg_gen_sari(s, t, t, 63);
        tcg_gen_andc(s, t, cpu_zf, t);
        c = (A64Cond){ TCG_COND_NE, t };
        break;
    default:                                                      /* AL, NV */
        return (A64Cond){ TCG_COND_ALWAYS, a64_const(dc, 0) };
    }
    if (inv)
        c.cond = tcg_invert_cond(c.cond);
    return c;
}

void a64_gen_logic_cc(DisasContext *dc, TCGv result, bool sf)
{
    if (sf) {
        tcg_gen_mov(dc->s, cpu_zf, result);
        tcg_gen_mov(dc->s, cpu_nf, result);
    } else {
        tcg_gen_ext32u(dc->s, cpu_zf, result);
        tcg_gen_ext32s(dc->s, cpu_nf, result);
    }
    tcg_gen_movi(dc->s, cpu_cf, 0);
    tcg_gen_movi(dc->s, cpu_vf, 0);
}

void a64_gen_add(DisasContext *dc, TCGv d, TCGv a, TCGv b, bool sf, bool sub, bool setflags)
{
    TCGContext *s = dc->s;
    if (!setflags) {
        sub ? tcg_gen_sub(s, d, a, b) : tcg_gen_add(s, d, a, b);
        return;
    }
    TCGv r = a64_tmp(dc), x = a64_tmp(dc), y = a64_tmp(dc);
    if (sf) {
        if (sub) {
            tcg_gen_sub(s, r, a, b);
            tcg_gen_setcond(s, TCG_COND_GEU, cpu_cf, a, b);
            tcg_gen_xor(s, x, r, a);
            tcg_gen_xor(s, y, a, b);
            tcg_gen_and(s, cpu_vf, x, y);
        } else {
            tcg_gen_add(s, r, a, b);
            tcg_gen_setcond(s, TCG_COND_LTU, cpu_cf, r, a);
            tcg_gen_xor(s, x, r, a);
            tcg_gen_xor(s, y, a, b);
            tcg_gen_andc(s, cpu_vf, x, y);
        }
        tcg_gen_mov(s, cpu_nf, r);
        tcg_gen_mov(s, cpu_zf, r);
    } else {
        TCGv a32 = a64_tmp(dc), b32 = a64_tmp(dc);
        tcg_gen_ext32u(s, a32, a);
        tcg_gen_ext32u(s, b32, b);
        if (sub) {
            tcg_gen_sub(s, r, a32, b32);
            tcg_gen_setcond(s, TCG_COND_GEU, cpu_cf, a32, b32);
            tcg_gen_xor(s, x, r, a32);
            tcg_gen_xor(s, y, a32, b32);
            tcg_gen_and(s, x, x, y);
        } else {
            tcg_gen_add(s, r, a32, b32);
            tcg_gen_shri(s, cpu_cf, r, 32);
            tcg_gen_xor(s, x, r, a32);
            tcg_gen_xor(s, y, a32, b32);
            tcg_gen_andc(s, x, x, y);
        }
        tcg_gen_ext32s(s, cpu_vf, x);
        tcg_gen_ext32u(s, r, r);
        tcg_gen_ext32s(s, cpu_nf, r);
        tcg_gen_mov(s, cpu_zf, r);
    }
    tcg_gen_mov(s, d, r);
}

/* ---- memory ---- */
int a64_mem_idx(DisasContext *dc, bool unpriv)
{
    return unpriv ? A64_MMU_EL0 : dc->mmu_idx;
}

void a64_check_sp_align(DisasContext *dc, int rn)
{
    if (rn != 31 || !(dc->flags & A64_TBF_SA))
        return;
    int ok = tcg_new_label(dc->s);
    tcg_gen_brcondi(dc->s, TCG_COND_TSTEQ, (TCGv)A64G_SP, 15, ok);
    gen_helper_a64_sp_align_fault(dc->s, TCG_ENV);
    tcg_gen_set_label(dc->s, ok);
}

void a64_check_align16(DisasContext *dc, TCGv addr, bool is_write)
{
    if (!(dc->flags & A64_TBF_ALIGN))
        return;
    int ok = tcg_new_label(dc->s);
    tcg_gen_brcondi(dc->s, TCG_COND_TSTEQ, addr, 15, ok);
    gen_helper_a64_align_fault(dc->s, TCG_ENV, addr, tcg_constant(dc->s, TCG_TYPE_I32, is_write));
    tcg_gen_set_label(dc->s, ok);
}

#include "frontend/arm64/translate-dp.c.inc"
#include "frontend/arm64/translate-ldst.c.inc"
#include "frontend/arm64/translate-sys.c.inc"
#include "frontend/arm64/translate-fp.c.inc"
#include "frontend/arm64/translate-simd-scalar.c.inc"

/* ---- the translator hooks ---- */
static void a64_init_disas_context(DisasContextBase *db, CPUState *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    dc->s = db->s ? db->s : cpu->tcg;
    dc->env = a64_env(cpu);
    dc->flags = db->tb->flags;
    dc->el = (int)(dc->flags & A64_TBF_EL_MASK);
    dc->mmu_idx = dc->el ? A64_MMU_EL1 : A64_MMU_EL0;
    db->code_mmu_idx = dc->mmu_idx;
}

static void a64_tb_start(DisasContextBase *db, CPUState *cpu)
{
}

static void a64_insn_start(DisasContextBase *db, CPUState *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    tcg_gen_insn_start(dc->s, db->pc_next, 0);
}

static void a64_translate_insn(DisasContextBase *db, CPUState *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    dc->pc = db->pc_next;
    dc->nb_insn_temps = 0;
    if (dc->pc & 3) {
        /* a misaligned pc (from a BR to an odd address) faults on fetch */
        gen_helper_a64_exception(dc->s, TCG_ENV,
                                 tcg_constant(dc->s, TCG_TYPE_I32, ((uint32_t)EC_PC_ALIGN << 26) | ESR_IL),
                                 tcg_constant(dc->s, TCG_TYPE_I32, 2));
        db->is_jmp = DISAS_NORETURN;
        db->pc_next += 4 - (dc->pc & 3);
        return;
    }
    dc->insn = translator_ldl(db, dc->pc);
    db->pc_next = dc->pc + 4;
    if (!a64_decode(dc, dc->insn))
        a64_gen_undef(dc);
    for (int i = 0; i < dc->nb_insn_temps; i++)
        tcg_temp_free(dc->s, dc->insn_temps[i]);
    dc->nb_insn_temps = 0;
}

static void a64_tb_stop(DisasContextBase *db, CPUState *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    switch ((int)db->is_jmp) {
    case DISAS_NORETURN:
        break;
    case DISAS_NEXT:
    case DISAS_TOO_MANY:
        a64_gen_goto(dc, 0, db->pc_next);
        break;
    case DISAS_UPDATE:
        tcg_gen_movi(dc->s, cpu_pc, db->pc_next);
        tcg_gen_exit_tb(dc->s, 0);
        break;
    default: /* DISAS_EXIT: pc already stored */
        tcg_gen_exit_tb(dc->s, 0);
        break;
    }
}

const TranslatorOps a64_translator_ops = {
    .init_disas_context = a64_init_disas_context,
    .tb_start = a64_tb_start,
    .insn_start = a64_insn_start,
    .translate_insn = a64_translate_insn,
    .tb_stop = a64_tb_stop,
    .dc_size = sizeof(DisasContext),
};

/* Does a handler accept insn? The handler runs into a scratch block that
 * is dropped (the decoder test compares this with Capstone, word by word;
 * nothing else may call it while the CPU translates). */
bool a64_insn_is_defined(CPUState *cpu, uint32_t insn)
{
    TranslationBlock tb;
    DisasContext dc;
    memset(&tb, 0, sizeof(tb));
    memset(&dc, 0, sizeof(dc));
    tb.pc = 0x40080000;
    tb.flags = 1;                        /* EL1 */
    tb.cflags = CF_NO_CHAIN;
    dc.base.tb = &tb;
    dc.base.cpu = cpu;
    dc.base.s = cpu->tcg;
    dc.base.pc_first = dc.base.pc_next = tb.pc;
    a64_init_disas_context(&dc.base, cpu);
    tcg_func_start(dc.s);
    dc.pc = tb.pc;
    dc.insn = insn;
    dc.base.pc_next = tb.pc + 4;
    bool ok = a64_decode(&dc, insn);
    tcg_func_start(dc.s);
    return ok;
}
