/*
 * x86 translator handlers for system instructions that have no other home:
 * RDTSCP, CLFLUSH, the XSAVE family (XGETBV, XSETBV, XSAVE, XRSTOR; helpers
 * in xsave_helper.c) and the descriptor queries LAR, LSL, VERR,
 * VERW, ARPL. The work is in helpers (misc_helper.c, seg_helper.c); these
 * handlers pass operands and end the block where the mode may change.
 * Must stay true: a helper that sets the flags leaves them as CC_OP_EFLAGS
 * in env, and the handler tells the lazy-flags tracker so.
 */
#include "frontend/x86/translate.h"
#include "frontend/x86/helpers.h"

#undef HELPER_MODE
#define HELPER_MODE HELPER_GEN
#include "tcg/helper-gen.h"
#include "frontend/x86/helpers.def"

#define S (dc->s)

static bool pmode(DisasContext *dc)
{
    return (dc->flags & HF_PE_MASK) && !(dc->flags & HF_VM_MASK);
}

/* After a helper that left the flags in env as CC_OP_EFLAGS. */
static void flags_from_helper(DisasContext *dc)
{
    dc->cc_op = CC_OP_EFLAGS;
    dc->cc_op_dirty = false;
}

/* RDTSCP: RDTSC plus ECX = TSC_AUX (#UD when the model lacks it). */
X86_TRANS(RDTSCP)
{
    x86_prepare_helper(dc);
    gen_helper_rdtscp(S, TCG_ENV);
    return true;
}

/* CLFLUSH m8: faults as a byte read would, then nothing to flush. */
X86_TRANS(CLFLUSH)
{
    TCGv a = x86_gen_addr(dc, insn), t = tmpw(dc);
    x86_gen_ld(dc, t, a, 1);
    x86_prepare_helper(dc);
    gen_helper_cache_op(S, TCG_ENV, c32(dc, 2));
    return true;
}

/* LFENCE, MFENCE, SFENCE: kasou runs one guest CPU whose loads and stores
 * happen in program order, so there is nothing to order. */
X86_TRANS(LFENCE)
{
    return true;
}
X86_TRANS_ALIAS(MFENCE, LFENCE);
X86_TRANS_ALIAS(SFENCE, LFENCE);
/* PREFETCHh: a hint that never faults */
X86_TRANS_ALIAS(PREFETCHh, LFENCE);

/* RDPMC: CPUID advertises no performance counters (leaf 0xA is absent),
 * so every counter number in ECX is invalid: #GP(0) at any CPL. */
X86_TRANS(RDPMC)
{
    x86_gen_exception_err(dc, EXCP0D_GPF, 0);
    return true;
}

/* RSM: kasou has no system-management mode; outside SMM it is #UD. */
X86_TRANS(RSM)
{
    x86_gen_exception(dc, EXCP06_ILLOP);
    return true;
}

/* LAR/LSL Gv, Ew: the helper writes the register (when ZF) and the flags. */
static bool gen_lar_lsl(DisasContext *dc, X86Insn *insn, bool lsl)
{
    if (!pmode(dc))
        return false;
    TCGv sel = tmpw(dc);
    x86_ld_op(dc, insn, 1, sel);
    x86_prepare_helper(dc);
    uint32_t desc = insn->ops[0].reg | (uint32_t)insn->opsize << 8 | (lsl ? 1u << 16 : 0);
    gen_helper_lar_lsl(S, TCG_ENV, x86_to_i32(dc, sel), c32(dc, desc));
    flags_from_helper(dc);
    return true;
}

X86_TRANS(LAR) { return gen_lar_lsl(dc, insn, false); }
X86_TRANS(LSL) { return gen_lar_lsl(dc, insn, true); }

static bool gen_verr_verw(DisasContext *dc, X86Insn *insn, bool write)
{
    if (!pmode(dc))
        return false;
    TCGv sel = tmpw(dc);
    x86_ld_op(dc, insn, 0, sel);
    x86_prepare_helper(dc);
    gen_helper_verr_verw(S, TCG_ENV, x86_to_i32(dc, sel), c32(dc, write));
    flags_from_helper(dc);
    return true;
}

X86_TRANS(VERR) { return gen_verr_verw(dc, insn, false); }
X86_TRANS(VERW) { return gen_verr_verw(dc, insn, true); }

/* ARPL Ew, Gw: raise the RPL of the destination to the source's (ZF). */
X86_TRANS(ARPL)
{
    if (!pmode(dc))
        return false;
    TCGv dst = tmpw(dc), src = tmpw(dc), res = tmp32(dc);
    x86_ld_op(dc, insn, 0, dst);
    x86_ld_op(dc, insn, 1, src);
    x86_prepare_helper(dc);
    gen_helper_arpl(S, res, TCG_ENV, x86_to_i32(dc, dst), x86_to_i32(dc, src));
    flags_from_helper(dc);
    x86_st_op(dc, insn, 0, x86_to_w(dc, res));
    return true;
}

/* XGETBV, XSETBV (0F 01 D0/D1): the helpers raise #UD without CR4.OSXSAVE,
 * #GP for a bad XCR number or value and (XSETBV) outside CPL 0. Neither
 * changes what translation depends on. */
X86_TRANS(XGETBV)
{
    x86_prepare_helper(dc);
    gen_helper_xgetbv(S, TCG_ENV);
    return true;
}

X86_TRANS(XSETBV)
{
    x86_prepare_helper(dc);
    gen_helper_xsetbv(S, TCG_ENV);
    return true;
}

/* XSAVE, XSAVEOPT, XRSTOR (0F AE /4, /6, /5 with memory; REX.W: the
 * 64-bit FIP/FDP format): all checks (#UD, #NM, #GP) are the helpers',
 * in the manual's order. */
static bool gen_xsave(DisasContext *dc, X86Insn *insn, bool restore, bool opt)
{
    TCGv a = x86_addr_i64(dc, x86_gen_addr(dc, insn));
    TCGv flags = c32(dc, ((insn->rex & 8) ? 1u : 0u) | (opt ? 2u : 0u));
    x86_prepare_helper(dc);
    if (restore) {
        gen_helper_xrstor(S, TCG_ENV, a, flags);
    } else {
        gen_helper_xsave(S, TCG_ENV, a, flags);
    }
    return true;
}
X86_TRANS(XSAVE) { return gen_xsave(dc, insn, false, false); }
X86_TRANS(XSAVEOPT) { return gen_xsave(dc, insn, false, true); }
X86_TRANS(XRSTOR) { return gen_xsave(dc, insn, true, false); }
