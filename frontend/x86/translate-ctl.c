/*
 * x86 translator handlers for control flow, the stack, string instructions
 * (a REP loops by jumping back to itself, so interrupts and faults see
 * ECX/ESI/EDI exactly as the manual says; REP MOVS/STOS/LODS/CMPS/SCAS do
 * a chunk per pass in a helper (string_helper.c), INS/OUTS one iteration,
 * as do all under TF or one-insn-per-tb), port I/O and system
 * instructions (mostly through the system helpers).
 * Must stay true: stack pointer and string registers are written after
 * the memory accesses of the instruction; an instruction that may change
 * the TB key (hflags: segments, CR0, EFLAGS.TF/IF) ends the block.
 */
#include "frontend/x86/translate.h"
#include "frontend/x86/helpers.h"

#undef HELPER_MODE
#define HELPER_MODE HELPER_GEN
#include "tcg/helper-gen.h"
#include "frontend/x86/helpers.def"

#define S (dc->s)

static TCGv ld_op(DisasContext *dc, X86Insn *insn, int i)
{
    TCGv t = tmpw(dc);
    x86_ld_op(dc, insn, i, t);
    return t;
}

static uint64_t eip_mask(int size) { return size == 2 ? 0xffff : size == 4 ? 0xffffffffu : ~(uint64_t)0; }
static uint64_t next_eip(DisasContext *dc) { return dc->next_pc - dc->base.tb->cs_base; }
static uint64_t this_eip(DisasContext *dc) { return dc->pc - dc->base.tb->cs_base; }
static uint64_t rel_target(DisasContext *dc, X86Insn *insn)
{
    return (next_eip(dc) + insn->ops[0].imm) & eip_mask(insn->opsize);
}
/* operand size as the far-transfer helpers take it: 0 = 16 bits, 1 = 32, 2 = 64 */
static int opsize_shift(X86Insn *insn) { return insn->opsize == 8 ? 2 : insn->opsize == 4 ? 1 : 0; }

/* ---- branches ---- */
X86_TRANS(Jcc)
{
    X86Cond c = x86_prepare_cc(dc, insn->entry->opcode & 0xf);
    int l = tcg_new_label(S);
    x86_update_cc_op(dc);
    tcg_gen_brcond(S, c.cond, c.a, c.b, l);
    x86_gen_jmp(dc, next_eip(dc), 0);
    tcg_gen_set_label(S, l);
    x86_gen_jmp(dc, rel_target(dc, insn), 1);
    return true;
}

X86_TRANS(JMP)
{
    if (insn->ops[0].type == X86_OPT_IMM) {
        x86_gen_jmp(dc, rel_target(dc, insn), 0);
    } else {
        TCGv t = ld_op(dc, insn, 0);
        x86_check_canonical(dc, t);
        x86_gen_jmp_reg(dc, t);
    }
    return true;
}

X86_TRANS(CALL)
{
    int size = insn->opsize;
    if (insn->ops[0].type == X86_OPT_IMM) {
        if (dc->mode == 64 && !x86_is_canonical(rel_target(dc, insn))) {
            x86_gen_exception_err(dc, EXCP0D_GPF, 0);   /* before the push */
            return true;
        }
        x86_push(dc, cw(dc, next_eip(dc)), size);
        x86_gen_jmp(dc, rel_target(dc, insn), 0);
    } else {
        TCGv t = ld_op(dc, insn, 0);
        x86_check_canonical(dc, t);
        x86_push(dc, cw(dc, next_eip(dc)), size);
        x86_gen_jmp_reg(dc, t);
    }
    return true;
}

X86_TRANS(RET)
{
    int size = insn->opsize;
    TCGv t = tmpw(dc);
    x86_pop_peek(dc, t, size, 0);
    x86_check_canonical(dc, t);
    x86_sp_add(dc, size + (insn->ops[0].type == X86_OPT_IMM ? (int)(insn->ops[0].imm & 0xffff) : 0));
    x86_gen_jmp_reg(dc, t);
    return true;
}

/* In 64-bit mode the lazy flags are folded into EFLAGS before a far
 * transfer: the target may be 32-bit code, whose cc values are I32. */
static void far_flags(DisasContext *dc)
{
    if (x86_tw64(dc->tw) && dc->cc_op != CC_OP_EFLAGS) {
        x86_set_eflags_cc(dc, x86_compute_eflags_tcg(dc));
    }
}

static void far_operand(DisasContext *dc, X86Insn *insn, TCGv sel, TCGv off)
{
    if (insn->ops[0].type == X86_OPT_FAR) {
        tcg_gen_movi(S, sel, insn->ops[0].far_seg);
        tcg_gen_movi(S, off, (uint32_t)insn->ops[0].imm);
    } else {
        TCGv a = x86_gen_addr(dc, insn), a2 = tmpw(dc);
        x86_gen_ld(dc, off, a, insn->opsize);
        tcg_gen_addi(S, a2, a, insn->opsize);
        x86_gen_ld(dc, sel, a2, 2);
    }
}

X86_TRANS(JMPF)
{
    TCGv sel = tmpw(dc), off = tmpw(dc);
    far_operand(dc, insn, sel, off);
    far_flags(dc);
    x86_prepare_helper(dc);
    gen_helper_ljmp_protected(S, TCG_ENV, x86_to_i32(dc, sel), x86_addr_i64(dc, off));
    dc->base.is_jmp = DISAS_EOB_ONLY;
    return true;
}

X86_TRANS(CALLF)
{
    TCGv sel = tmpw(dc), off = tmpw(dc);
    far_operand(dc, insn, sel, off);
    far_flags(dc);
    x86_prepare_helper(dc);
    gen_helper_lcall_protected(S, TCG_ENV, x86_to_i32(dc, sel), x86_addr_i64(dc, off), c32(dc, (uint32_t)opsize_shift(insn)),
                               tcg_constant(S, TCG_TYPE_I64, next_eip(dc)));
    dc->base.is_jmp = DISAS_EOB_ONLY;
    return true;
}

X86_TRANS(RETF)
{
    uint32_t extra = insn->ops[0].type == X86_OPT_IMM ? (uint32_t)(insn->ops[0].imm & 0xffff) : 0;
    far_flags(dc);
    x86_prepare_helper(dc);
    gen_helper_lret_protected(S, TCG_ENV, c32(dc, (uint32_t)opsize_shift(insn)), c32(dc, extra));
    dc->base.is_jmp = DISAS_EOB_ONLY;
    return true;
}

X86_TRANS(IRETD)
{
    x86_prepare_helper(dc);   /* IRET loads the flags: no need to fold them */
    gen_helper_iret_protected(S, TCG_ENV, c32(dc, (uint32_t)opsize_shift(insn)));
    dc->cc_op = CC_OP_EFLAGS;   /* the helper loaded EFLAGS */
    dc->cc_op_dirty = false;
    dc->base.is_jmp = DISAS_EOB_ONLY;
    return true;
}
X86_TRANS_ALIAS(IRET, IRETD);

/* LOOP/LOOPE/LOOPNE/JECXZ count in CX or ECX by the address size. */
static bool gen_loop(DisasContext *dc, X86Insn *insn, int kind)
{
    int as = insn->addrsize, l_not = tcg_new_label(S);
    TCGv cx = x86_ld_reg(dc, R_ECX, as, false);
    x86_update_cc_op(dc);
    if (kind == 3) {  /* JECXZ */
        tcg_gen_brcondi(S, TCG_COND_NE, cx, 0, l_not);
    } else {
        tcg_gen_subi(S, cx, cx, 1);
        x86_st_reg(dc, R_ECX, as, false, cx);
        if (as == 2) {
            tcg_gen_ext16u(S, cx, cx);
        }
        tcg_gen_brcondi(S, TCG_COND_EQ, cx, 0, l_not);
        if (kind != 0) {
            /* LOOPE leaves when ZF = 0, LOOPNE when ZF = 1 */
            X86Cond c = x86_prepare_cc(dc, kind == 1 ? 5 : 4);
            tcg_gen_brcond(S, c.cond, c.a, c.b, l_not);
        }
    }
    x86_gen_jmp(dc, rel_target(dc, insn), 1);
    tcg_gen_set_label(S, l_not);
    x86_gen_jmp(dc, next_eip(dc), 0);
    return true;
}

X86_TRANS(LOOP) { return gen_loop(dc, insn, 0); }
X86_TRANS(LOOPE) { return gen_loop(dc, insn, 1); }
X86_TRANS(LOOPNE) { return gen_loop(dc, insn, 2); }
X86_TRANS(JECXZ) { return gen_loop(dc, insn, 3); }
X86_TRANS_ALIAS(JCXZ, JECXZ);

/* ---- stack ---- */
X86_TRANS(PUSH)
{
    x86_push(dc, ld_op(dc, insn, 0), insn->opsize);
    return true;
}

X86_TRANS(POP)
{
    int size = insn->opsize;
    X86Operand *o = &insn->ops[0];
    TCGv v = tmpw(dc);
    x86_pop_peek(dc, v, size, 0);
    if (o->type == X86_OPT_SEG) {
        if (o->reg == R_CS) {
            return false;
        }
        x86_prepare_helper(dc);
        gen_helper_load_seg(S, TCG_ENV, c32(dc, o->reg), x86_to_i32(dc, v));
        x86_sp_add(dc, size);
        dc->base.is_jmp = o->reg == R_SS ? DISAS_EOB_INHIBIT : DISAS_EOB_NEXT;
        if (o->reg == R_SS) {
            dc->flags &= ~HF_TF_MASK;   /* the single-step trap waits one insn */
        }
    } else if (o->type == X86_OPT_MEM) {
        /* the address is computed with ESP already incremented */
        TCGv a = x86_gen_addr(dc, insn);
        if (insn->addr.base == R_ESP) {
            TCGv a2 = tmpw(dc), off = tmpw(dc);
            tcg_gen_addi(S, off, dc->a0_off, size);
            if (insn->addrsize == 2) {
                tcg_gen_ext16u(S, off, off);
            }
            x86_seg_check(dc, insn->addr.seg, off, size, X86_ACC_WRITE);
            tcg_gen_addi(S, a2, a, size);
            a = a2;
        }
        x86_gen_st(dc, v, a, size);
        x86_sp_add(dc, size);
    } else {
        x86_sp_add(dc, size);
        x86_st_op(dc, insn, 0, v);   /* POP ESP: the popped value wins */
    }
    return true;
}

static TCGv stack_off(DisasContext *dc, TCGv base, int32_t off)
{
    TCGv sp = tmpw(dc);
    tcg_gen_addi(S, sp, base, (uint64_t)(int64_t)off);
    if (x86_stack_size(dc) == 2) {
        tcg_gen_ext16u(S, sp, sp);
    }
    return sp;
}

static TCGv stack_slot(DisasContext *dc, TCGv base, int32_t off)
{
    return x86_add_seg(dc, stack_off(dc, base, off), R_SS, x86_stack_size(dc));
}

/* #SS(0) unless size bytes at SS:(base + off) may be accessed: every
 * slot of a multi-slot stack access is checked before the first store */
static void stack_check(DisasContext *dc, TCGv base, int32_t off, int size, int kind)
{
    if (x86_seg_checked(dc, R_SS)) {
        x86_seg_check(dc, R_SS, stack_off(dc, base, off), size, kind);
    }
}

static void set_sp(DisasContext *dc, TCGv base, int32_t off)
{
    TCGv sp = tmpw(dc);
    tcg_gen_addi(S, sp, base, (uint64_t)(int64_t)off);
    x86_st_reg(dc, R_ESP, x86_stack_size(dc), false, sp);
}

X86_TRANS(PUSHAD)
{
    int size = insn->opsize;
    TCGv esp = tmpw(dc);
    tcg_gen_mov(S, esp, x86_reg(dc, R_ESP));
    for (int i = 0; i < 8; i++) {
        stack_check(dc, esp, -(i + 1) * size, size, X86_ACC_WRITE);
    }
    for (int i = 0; i < 8; i++) {
        x86_gen_st(dc, x86_reg(dc, i), stack_slot(dc, esp, -(i + 1) * size), size);
    }
    set_sp(dc, esp, -8 * size);
    return true;
}
X86_TRANS_ALIAS(PUSHA, PUSHAD);

X86_TRANS(POPAD)
{
    int size = insn->opsize;
    TCGv v[8], esp = tmpw(dc);
    tcg_gen_mov(S, esp, x86_reg(dc, R_ESP));
    for (int i = 0; i < 8; i++) {
        int reg = 7 - i;
        v[reg] = tmpw(dc);
        stack_check(dc, esp, i * size, size, X86_ACC_READ);   /* ESP's slot too */
        if (reg != R_ESP) {
            x86_gen_ld(dc, v[reg], stack_slot(dc, esp, i * size), size);
        }
    }
    for (int reg = 0; reg < 8; reg++) {
        if (reg != R_ESP) {
            x86_st_reg(dc, reg, size, false, v[reg]);
        }
    }
    set_sp(dc, esp, 8 * size);
    return true;
}
X86_TRANS_ALIAS(POPA, POPAD);

X86_TRANS(PUSHFD)
{
    if ((dc->flags & HF_VM_MASK) && dc->iopl < 3) {   /* IOPL-sensitive in vm86: #GP or CR4.VME */
        x86_prepare_helper(dc);
        gen_helper_vm86_pushf(S, TCG_ENV, c32(dc, (uint32_t)insn->opsize));
        return true;
    }
    TCGv f = tmp32(dc);
    x86_update_cc_op(dc);
    gen_helper_read_eflags(S, f, TCG_ENV);
    tcg_gen_andi(S, f, f, ~(VM_MASK | RF_MASK));
    x86_push(dc, f, insn->opsize);
    return true;
}
X86_TRANS_ALIAS(PUSHF, PUSHFD);

X86_TRANS(POPFD)
{
    if ((dc->flags & HF_VM_MASK) && dc->iopl < 3) {   /* IOPL-sensitive in vm86: #GP or CR4.VME */
        x86_prepare_helper(dc);
        gen_helper_vm86_popf(S, TCG_ENV, c32(dc, (uint32_t)insn->opsize));
        dc->cc_op = CC_OP_EFLAGS;
        dc->cc_op_dirty = false;
        dc->base.is_jmp = DISAS_EOB_NEXT;   /* TF may have changed */
        return true;
    }
    int size = insn->opsize;
    uint32_t mask = TF_MASK | AC_MASK | ID_MASK | NT_MASK | CC_ALL | DF_MASK;
    TCGv v = tmpw(dc);
    x86_pop_peek(dc, v, size, 0);
    if (dc->cpl == 0) {
        mask |= IF_MASK | IOPL_MASK;
    } else if (dc->cpl <= dc->iopl) {
        mask |= IF_MASK;
    }
    if (size == 2) {
        mask &= 0xffff;
    }
    x86_update_cc_op(dc);
    gen_helper_write_eflags(S, TCG_ENV, x86_to_i32(dc, v), c32(dc, mask));
    dc->cc_op = CC_OP_EFLAGS;
    dc->cc_op_dirty = false;
    x86_sp_add(dc, size);
    dc->base.is_jmp = DISAS_EOB_NEXT;   /* TF or IF may have changed */
    return true;
}
X86_TRANS_ALIAS(POPF, POPFD);

X86_TRANS(ENTER)
{
    int size = insn->opsize, level = (int)(insn->ops[1].imm & 31);
    int32_t alloc = (int32_t)(insn->ops[0].imm & 0xffff), off;
    TCGv esp = tmpw(dc), ebp = tmpw(dc), frame = tmpw(dc);
    tcg_gen_mov(S, esp, x86_reg(dc, R_ESP));
    tcg_gen_mov(S, ebp, x86_reg(dc, R_EBP));
    if (x86_seg_checked(dc, R_SS)) {
        /* every slot, and the final ESP (the frame's bottom), before any store */
        int n = level > 0 ? level + 1 : 1;
        for (int i = 1; i <= n; i++) {
            stack_check(dc, esp, -i * size, size, X86_ACC_WRITE);
        }
        for (int i = 1; i < level; i++) {
            stack_check(dc, ebp, -i * size, size, X86_ACC_READ);
        }
        stack_check(dc, esp, -n * size - alloc, size, X86_ACC_WRITE);
    }
    x86_gen_st(dc, ebp, stack_slot(dc, esp, -size), size);
    tcg_gen_subi(S, frame, esp, size);
    off = -size;
    if (level > 0) {
        for (int i = 1; i < level; i++) {
            TCGv v = tmpw(dc);
            x86_gen_ld(dc, v, stack_slot(dc, ebp, -i * size), size);
            off -= size;
            x86_gen_st(dc, v, stack_slot(dc, esp, off), size);
        }
        off -= size;
        x86_gen_st(dc, frame, stack_slot(dc, esp, off), size);
    }
    x86_st_reg(dc, R_EBP, size, false, frame);
    set_sp(dc, esp, off - alloc);
    return true;
}

X86_TRANS(LEAVE)
{
    int size = insn->opsize;
    TCGv bp = tmpw(dc), v = tmpw(dc);
    tcg_gen_mov(S, bp, x86_reg(dc, R_EBP));
    stack_check(dc, bp, 0, size, X86_ACC_READ);
    x86_gen_ld(dc, v, stack_slot(dc, bp, 0), size);
    set_sp(dc, bp, size);
    x86_st_reg(dc, R_EBP, size, false, v);
    return true;
}

/* ---- string instructions ---- */
enum { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_INS, STR_OUTS };

/* Linear address of seg:eSI/eDI for an access of size bytes, whose
 * segment checks are made here, before the access */
static TCGv str_addr(DisasContext *dc, X86Insn *insn, int reg, int seg, int size, int kind)
{
    TCGv off = x86_ld_reg(dc, reg, insn->addrsize, false);
    x86_seg_check(dc, seg, off, size, kind);
    return x86_add_seg(dc, off, seg, insn->addrsize);
}

static void str_advance(DisasContext *dc, X86Insn *insn, int reg, TCGv delta)
{
    TCGv t = tmpw(dc);
    tcg_gen_add(S, t, x86_reg(dc, reg), delta);
    x86_st_reg(dc, reg, insn->addrsize, false, t);
}

/* I/O permission: IOPL first, then the TSS bitmap (the helper). */
static bool io_needs_check(DisasContext *dc)
{
    return (dc->flags & HF_PE_MASK) && (dc->cpl > dc->iopl || (dc->flags & HF_VM_MASK));
}

/* dst: I32 */
static void gen_in(DisasContext *dc, TCGv dst, TCGv port, int size)
{
    port = x86_to_i32(dc, port);
    switch (size) {
    case 1: gen_helper_inb(S, dst, TCG_ENV, port, c32(dc, 0)); break;
    case 2: gen_helper_inw(S, dst, TCG_ENV, port, c32(dc, 0)); break;
    default: gen_helper_inl(S, dst, TCG_ENV, port, c32(dc, 0)); break;
    }
}

static void gen_out(DisasContext *dc, TCGv port, TCGv v, int size)
{
    port = x86_to_i32(dc, port);
    v = x86_to_i32(dc, v);
    switch (size) {
    case 1: gen_helper_outb(S, TCG_ENV, port, v); break;
    case 2: gen_helper_outw(S, TCG_ENV, port, v); break;
    default: gen_helper_outl(S, TCG_ENV, port, v); break;
    }
}

/* REP MOVS/STOS/LODS, REPE/REPNE CMPS/SCAS: a helper does a chunk of
 * iterations, then the insn jumps back to itself while the helper says so
 * (interrupts are taken in between). */
static bool gen_rep_bulk(DisasContext *dc, X86Insn *insn, int kind, int size, int src_seg)
{
    uint32_t desc = (uint32_t)size_shift(size) | ((uint32_t)dc->mmu_idx << 8);
    int l_exit = tcg_new_label(S);
    TCGv again = tmp32(dc), d;
    if (insn->addrsize == 2) {
        desc |= X86_REP_ADDR16;
    } else if (insn->addrsize == 8) {
        desc |= X86_REP_ADDR64;
    }
    if (x86_tw64(dc->tw)) {
        desc |= X86_REP_ZEXT32;   /* long mode: 32-bit register writes zero-extend */
    }
    if (dc->mode == 64) {
        desc |= X86_REP_LIN64;
    }
    if (dc->addseg && dc->mode != 64) {
        desc |= X86_REP_DST_BASE;
    }
    if (insn->prefixes & PREFIX_REPNZ) {
        desc |= X86_REP_NZ;
    }
    desc |= (uint32_t)(((dc->addseg && dc->mode != 64) || src_seg == R_FS || src_seg == R_GS) ? src_seg : 0xf) << 4;
    d = c32(dc, desc);
    x86_prepare_helper(dc);
    switch (kind) {
    case STR_MOVS: gen_helper_rep_movs(S, again, TCG_ENV, d); break;
    case STR_STOS: gen_helper_rep_stos(S, again, TCG_ENV, d); break;
    case STR_LODS: gen_helper_rep_lods(S, again, TCG_ENV, d); break;
    case STR_CMPS: gen_helper_rep_cmps(S, again, TCG_ENV, d); break;
    default: gen_helper_rep_scas(S, again, TCG_ENV, d); break;
    }
    if (kind == STR_CMPS || kind == STR_SCAS) {
        x86_set_cc_op(dc, CC_OP_DYNAMIC);   /* SUB after an iteration, unchanged if ECX was 0 */
    }
    tcg_gen_brcondi(S, TCG_COND_EQ, again, 0, l_exit);
    x86_gen_jmp(dc, this_eip(dc), 0);
    tcg_gen_set_label(S, l_exit);
    x86_gen_jmp(dc, next_eip(dc), 1);
    return true;
}

static bool gen_string(DisasContext *dc, X86Insn *insn, int kind)
{
    int size = x86_opsize(insn), l_exit = -1, old_sizes = 0;
    int src_seg = insn->seg_override >= 0 ? insn->seg_override : R_DS;
    bool rep = (insn->prefixes & (PREFIX_REPZ | PREFIX_REPNZ)) != 0;
    bool flags = kind == STR_CMPS || kind == STR_SCAS;
    TCGv delta = tmpw(dc), cx = TCGV_NONE, a = tmpw(dc), b = tmpw(dc), port = TCGV_NONE;

    /* one-insn-per-tb also turns the bulk path off (bisecting aid); under
     * TF every iteration traps */
    /* segments with limits (real mode, 16-bit code) go one checked
     * iteration at a time: the bulk helper knows no limits */
    if (rep && kind != STR_INS && kind != STR_OUTS && !dc->base.cpu->single_insn &&
        !(dc->flags & HF_TF_MASK) && !x86_seg_checked(dc, src_seg) && !x86_seg_checked(dc, R_ES)) {
        return gen_rep_bulk(dc, insn, kind, size, src_seg);
    }
    if (kind == STR_INS || kind == STR_OUTS) {
        port = x86_to_i32(dc, x86_ld_reg(dc, R_EDX, 2, false));
        x86_prepare_helper(dc);
        if (io_needs_check(dc)) {
            gen_helper_check_io(S, TCG_ENV, port, c32(dc, (uint32_t)size));
        }
    }
    if (rep) {
        x86_update_cc_op(dc);
        l_exit = tcg_new_label(S);
        cx = x86_ld_reg(dc, R_ECX, insn->addrsize, false);
        if (insn->addrsize == 4 && x86_tw64(dc->tw)) {
            x86_st_reg(dc, R_ECX, 4, false, cx);   /* written even when 0: zero-extends */
        }
        tcg_gen_brcondi(S, TCG_COND_EQ, cx, 0, l_exit);
    }
    tcg_gen_ld(S, delta, X86_ENV_OFFSET(df));   /* low half of +1 / -1 */
    if (size > 1) {
        tcg_gen_shli(S, delta, delta, size_shift(size));
    }
    switch (kind) {
    case STR_MOVS:
        x86_gen_ld(dc, a, str_addr(dc, insn, R_ESI, src_seg, size, X86_ACC_READ), size);
        x86_gen_st(dc, a, str_addr(dc, insn, R_EDI, R_ES, size, X86_ACC_WRITE), size);
        str_advance(dc, insn, R_ESI, delta);
        str_advance(dc, insn, R_EDI, delta);
        break;
    case STR_CMPS:
        x86_gen_ld(dc, a, str_addr(dc, insn, R_ESI, src_seg, size, X86_ACC_READ), size);
        x86_gen_ld(dc, b, str_addr(dc, insn, R_EDI, R_ES, size, X86_ACC_READ), size);
        str_advance(dc, insn, R_ESI, delta);
        str_advance(dc, insn, R_EDI, delta);
        break;
    case STR_SCAS:
        tcg_gen_mov(S, a, x86_ld_reg(dc, R_EAX, size, false));
        x86_gen_ld(dc, b, str_addr(dc, insn, R_EDI, R_ES, size, X86_ACC_READ), size);
        str_advance(dc, insn, R_EDI, delta);
        break;
    case STR_STOS:
        x86_gen_st(dc, x86_reg(dc, R_EAX), str_addr(dc, insn, R_EDI, R_ES, size, X86_ACC_WRITE), size);
        str_advance(dc, insn, R_EDI, delta);
        break;
    case STR_LODS:
        x86_gen_ld(dc, a, str_addr(dc, insn, R_ESI, src_seg, size, X86_ACC_READ), size);
        x86_st_reg(dc, R_EAX, size, false, a);
        str_advance(dc, insn, R_ESI, delta);
        break;
    case STR_INS: {
        TCGv v = tmp32(dc), da = str_addr(dc, insn, R_EDI, R_ES, size, X86_ACC_WRITE);
        gen_in(dc, v, port, size);   /* after the checks: the port read has effects */
        x86_gen_st(dc, v, da, size);
        str_advance(dc, insn, R_EDI, delta);
        break;
    }
    default: /* OUTS */
        x86_gen_ld(dc, a, str_addr(dc, insn, R_ESI, src_seg, size, X86_ACC_READ), size);
        gen_out(dc, port, a, size);
        str_advance(dc, insn, R_ESI, delta);
        break;
    }
    if (flags) {
        TCGv r = tmpw(dc);
        tcg_gen_sub(S, r, a, b);
        tcg_gen_mov(S, dc->cc_srcT, a);
        x86_mask_to(dc, x86_cc_dst(dc), r, size);
        tcg_gen_mov(S, x86_cc_src(dc), b);
        old_sizes = x86_cc_dst_sizes(dc) & (1 << size_shift(size));
        x86_set_cc_op(dc, CC_OP_SUBB + size_shift(size));
        dc->cc_sub_unused = true;
    }
    if (!rep) {
        return true;
    }
    /* one iteration done: count down, stop or go round again */
    tcg_gen_subi(S, cx, cx, 1);
    x86_st_reg(dc, R_ECX, insn->addrsize, false, cx);
    x86_update_cc_op(dc);
    if (flags) {
        bool repz = (insn->prefixes & PREFIX_REPZ) != 0;
        tcg_gen_brcondi(S, repz ? TCG_COND_NE : TCG_COND_EQ, x86_cc_dst(dc), 0, l_exit);
    }
    tcg_gen_brcondi(S, TCG_COND_EQ, cx, 0, l_exit);
    x86_gen_jmp(dc, this_eip(dc), 0);
    tcg_gen_set_label(S, l_exit);
    if (flags) {
        /* SUB after an iteration, unchanged if ECX was 0 */
        x86_set_cc_op_dynamic(dc, old_sizes);
    }
    x86_gen_jmp(dc, next_eip(dc), 1);
    return true;
}

X86_TRANS(MOVS) { return gen_string(dc, insn, STR_MOVS); }
X86_TRANS(CMPS) { return gen_string(dc, insn, STR_CMPS); }
X86_TRANS(STOS) { return gen_string(dc, insn, STR_STOS); }
X86_TRANS(LODS) { return gen_string(dc, insn, STR_LODS); }
X86_TRANS(SCAS) { return gen_string(dc, insn, STR_SCAS); }
X86_TRANS(INS) { return gen_string(dc, insn, STR_INS); }
X86_TRANS(OUTS) { return gen_string(dc, insn, STR_OUTS); }

/* ---- port I/O ---- */
X86_TRANS(IN)
{
    int size = insn->ops[0].size;
    TCGv port = x86_to_i32(dc, ld_op(dc, insn, 1)), v = tmp32(dc);
    x86_prepare_helper(dc);
    if (io_needs_check(dc)) {
        gen_helper_check_io(S, TCG_ENV, port, c32(dc, (uint32_t)size));
    }
    gen_in(dc, v, port, size);
    x86_st_op(dc, insn, 0, v);
    return true;
}

X86_TRANS(OUT)
{
    int size = insn->ops[1].size;
    TCGv port = x86_to_i32(dc, ld_op(dc, insn, 0)), v = ld_op(dc, insn, 1);
    x86_prepare_helper(dc);
    if (io_needs_check(dc)) {
        gen_helper_check_io(S, TCG_ENV, port, c32(dc, (uint32_t)size));
    }
    gen_out(dc, port, v, size);
    return true;
}

/* ---- interrupts, halt ---- */
static void gen_soft_int(DisasContext *dc, X86Insn *insn, int vector)
{
    x86_prepare_helper(dc);
    gen_helper_raise_interrupt(S, TCG_ENV, c32(dc, (uint32_t)vector), c32(dc, insn->len));
}

X86_TRANS(INT)
{
    /* virtual-8086 mode: #GP(0) to the monitor below IOPL 3, or with
     * CR4.VME the TSS's redirection bitmap decides (the helper) */
    if (dc->flags & HF_VM_MASK) {
        x86_prepare_helper(dc);
        gen_helper_vm86_int(S, TCG_ENV, c32(dc, (uint32_t)(insn->ops[0].imm & 0xff)),
                            c32(dc, insn->len));
        tcg_gen_exit_tb(S, 0);
        dc->base.is_jmp = DISAS_NORETURN;
        return true;
    }
    gen_soft_int(dc, insn, (int)(insn->ops[0].imm & 0xff));
    tcg_gen_exit_tb(S, 0);
    dc->base.is_jmp = DISAS_NORETURN;
    return true;
}

X86_TRANS(INT3)
{
    gen_soft_int(dc, insn, EXCP03_INT3);
    tcg_gen_exit_tb(S, 0);
    dc->base.is_jmp = DISAS_NORETURN;
    return true;
}

X86_TRANS(INT1)
{
    gen_soft_int(dc, insn, EXCP01_DB);
    tcg_gen_exit_tb(S, 0);
    dc->base.is_jmp = DISAS_NORETURN;
    return true;
}

X86_TRANS(INTO)
{
    X86Cond c = x86_prepare_cc(dc, 1);   /* NO: skip */
    int l = tcg_new_label(S);
    x86_update_cc_op(dc);
    tcg_gen_brcond(S, c.cond, c.a, c.b, l);
    gen_soft_int(dc, insn, EXCP04_INTO);
    tcg_gen_set_label(S, l);
    return true;
}

X86_TRANS(HLT)
{
    x86_prepare_helper(dc);
    gen_helper_hlt(S, TCG_ENV, c32(dc, insn->len));
    tcg_gen_exit_tb(S, 0);
    dc->base.is_jmp = DISAS_NORETURN;
    return true;
}

X86_TRANS(UD2) { return false; }

/* BOUND Gv, Ma: #BR unless lower <= index <= upper (signed). */
X86_TRANS(BOUND)
{
    int size = insn->opsize, l_ok, l_bad;
    TCGv a, a2, lo, hi, idx;
    if (!x86_op_is_mem(insn, 1)) {
        return false;
    }
    l_ok = tcg_new_label(S);
    l_bad = tcg_new_label(S);
    a = x86_gen_addr(dc, insn);
    a2 = tmpw(dc);
    lo = tmpw(dc);
    hi = tmpw(dc);
    idx = tmpw(dc);
    x86_gen_ld_sx(dc, lo, a, size);
    tcg_gen_addi(S, a2, a, size);
    x86_gen_ld_sx(dc, hi, a2, size);
    x86_ld_op(dc, insn, 0, idx);
    if (size == 2) {
        tcg_gen_ext16s(S, idx, idx);
    }
    x86_update_cc_op(dc);
    tcg_gen_brcond(S, TCG_COND_LT, idx, lo, l_bad);
    tcg_gen_brcond(S, TCG_COND_LE, idx, hi, l_ok);
    tcg_gen_set_label(S, l_bad);
    x86_store_eip(dc, this_eip(dc));
    gen_helper_raise_exception(S, TCG_ENV, c32(dc, EXCP05_BOUND));
    tcg_gen_set_label(S, l_ok);
    return true;
}

/* CLI/STI: the helpers check IOPL, and below it CR4.VME/PVI (VIF) */
X86_TRANS(CLI)
{
    x86_prepare_helper(dc);
    gen_helper_cli(S, TCG_ENV);
    return true;
}

X86_TRANS(STI)
{
    x86_prepare_helper(dc);
    gen_helper_sti(S, TCG_ENV);
    dc->base.is_jmp = DISAS_EOB_NEXT;   /* the helper opens the interrupt shadow */
    return true;
}

/* ---- fast system calls: the helpers do the checks (#UD, #GP) and set
 * eip, CS/SS, and (SYSCALL/SYSRET) the flags ---- */
static bool gen_fast_syscall(DisasContext *dc, X86Insn *insn, int which)
{
    int shift = insn->opsize == 8 ? 2 : 1;
    far_flags(dc);
    x86_prepare_helper(dc);
    switch (which) {
    case 0: gen_helper_syscall(S, TCG_ENV, c32(dc, insn->len)); break;
    case 1: gen_helper_sysret(S, TCG_ENV, c32(dc, (uint32_t)shift)); break;
    case 2: gen_helper_sysenter(S, TCG_ENV); break;
    default: gen_helper_sysexit(S, TCG_ENV, c32(dc, (uint32_t)shift)); break;
    }
    dc->cc_op = CC_OP_DYNAMIC;   /* in env, maybe changed */
    dc->cc_op_dirty = false;
    dc->base.is_jmp = DISAS_EOB_ONLY;
    return true;
}

X86_TRANS(SYSCALL) { return gen_fast_syscall(dc, insn, 0); }
X86_TRANS(SYSRET) { return gen_fast_syscall(dc, insn, 1); }
X86_TRANS(SYSENTER) { return gen_fast_syscall(dc, insn, 2); }
X86_TRANS(SYSEXIT) { return gen_fast_syscall(dc, insn, 3); }

X86_TRANS(SWAPGS)
{
    x86_prepare_helper(dc);
    gen_helper_swapgs(S, TCG_ENV);
    return true;
}

/* ---- system ---- */
X86_TRANS(CPUID) { x86_prepare_helper(dc); gen_helper_cpuid(S, TCG_ENV); return true; }
X86_TRANS(RDTSC) { x86_prepare_helper(dc); gen_helper_rdtsc(S, TCG_ENV); return true; }
X86_TRANS(RDMSR) { x86_prepare_helper(dc); gen_helper_rdmsr(S, TCG_ENV); return true; }

X86_TRANS(WRMSR)
{
    x86_prepare_helper(dc);
    gen_helper_wrmsr(S, TCG_ENV);
    dc->base.is_jmp = DISAS_EOB_NEXT;
    return true;
}

X86_TRANS(INVLPG)
{
    TCGv a = x86_gen_addr(dc, insn);
    x86_prepare_helper(dc);
    gen_helper_invlpg(S, TCG_ENV, x86_addr_i64(dc, a));
    dc->base.is_jmp = DISAS_EOB_NEXT;
    return true;
}

/* INVD, WBINVD: no caches to manage; the helper only logs (-d trap). */
X86_TRANS(INVD)
{
    x86_prepare_helper(dc);
    gen_helper_cache_op(S, TCG_ENV, c32(dc, 0));
    return true;
}

X86_TRANS(WBINVD)
{
    x86_prepare_helper(dc);
    gen_helper_cache_op(S, TCG_ENV, c32(dc, 1));
    return true;
}

/* LGDT/LIDT: limit (16 bits) then base; a 16-bit operand keeps 24 bits. */
static bool gen_load_dt(DisasContext *dc, X86Insn *insn, bool idt)
{
    TCGv a = x86_gen_addr(dc, insn), a2 = tmpw(dc), lim = tmpw(dc), base = tmpw(dc);
    x86_seg_check_a0(dc, insn, 6, X86_ACC_READ);   /* 10 bytes in 64-bit mode: no checks */
    x86_gen_ld(dc, lim, a, 2);
    tcg_gen_addi(S, a2, a, 2);
    x86_gen_ld(dc, base, a2, dc->mode == 64 ? 8 : 4);   /* 8 bytes in 64-bit mode */
    if (insn->opsize == 2 && dc->mode != 64) {
        tcg_gen_andi(S, base, base, 0xffffff);
    }
    x86_prepare_helper(dc);
    (idt ? gen_helper_lidt : gen_helper_lgdt)(S, TCG_ENV, x86_addr_i64(dc, base), x86_to_i32(dc, lim));
    return true;
}

static bool gen_store_dt(DisasContext *dc, X86Insn *insn, int32_t off_limit, int32_t off_base)
{
    TCGv a = x86_gen_addr(dc, insn), a2 = tmpw(dc), lim = tmpw(dc), base = tmpw(dc);
    tcg_gen_ld16u(S, lim, off_limit);
    tcg_gen_ld(S, base, off_base);
    if (insn->opsize == 2 && dc->mode != 64) {
        tcg_gen_andi(S, base, base, 0xffffff);
    }
    x86_seg_check_a0(dc, insn, 6, X86_ACC_WRITE);
    x86_gen_st(dc, lim, a, 2);
    tcg_gen_addi(S, a2, a, 2);
    x86_gen_st(dc, base, a2, dc->mode == 64 ? 8 : 4);
    return true;
}

X86_TRANS(LGDT) { return gen_load_dt(dc, insn, false); }
X86_TRANS(LIDT) { return gen_load_dt(dc, insn, true); }
X86_TRANS(SGDT) { return gen_store_dt(dc, insn, X86_ENV_OFFSET(gdt.limit), X86_ENV_OFFSET(gdt.base)); }
X86_TRANS(SIDT) { return gen_store_dt(dc, insn, X86_ENV_OFFSET(idt.limit), X86_ENV_OFFSET(idt.base)); }

static bool pmode(DisasContext *dc)
{
    return (dc->flags & HF_PE_MASK) && !(dc->flags & HF_VM_MASK);
}

/* Store a 16-bit system value: 16 bits to memory, zero-extended to a register. */
static void store_sys16(DisasContext *dc, X86Insn *insn, TCGv v)
{
    if (x86_op_is_mem(insn, 0)) {
        x86_gen_st(dc, v, x86_gen_addr(dc, insn), 2);
    } else {
        x86_st_op(dc, insn, 0, v);
    }
}

X86_TRANS(SLDT)
{
    TCGv v = tmpw(dc);
    if (!pmode(dc)) {
        return false;
    }
    tcg_gen_ld16u(S, v, X86_ENV_OFFSET(ldt.selector));
    store_sys16(dc, insn, v);
    return true;
}

X86_TRANS(STR)
{
    TCGv v = tmpw(dc);
    if (!pmode(dc)) {
        return false;
    }
    tcg_gen_ld16u(S, v, X86_ENV_OFFSET(tr.selector));
    store_sys16(dc, insn, v);
    return true;
}

X86_TRANS(LLDT)
{
    TCGv v;
    if (!pmode(dc)) {
        return false;
    }
    v = ld_op(dc, insn, 0);
    x86_prepare_helper(dc);
    gen_helper_lldt(S, TCG_ENV, x86_to_i32(dc, v));
    return true;
}

X86_TRANS(LTR)
{
    TCGv v;
    if (!pmode(dc)) {
        return false;
    }
    v = ld_op(dc, insn, 0);
    x86_prepare_helper(dc);
    gen_helper_ltr(S, TCG_ENV, x86_to_i32(dc, v));
    return true;
}

X86_TRANS(LMSW)
{
    TCGv v = ld_op(dc, insn, 0);
    x86_prepare_helper(dc);
    gen_helper_lmsw(S, TCG_ENV, x86_to_i32(dc, v));
    dc->base.is_jmp = DISAS_EOB_NEXT;   /* PE may have been set */
    return true;
}

X86_TRANS(SMSW)
{
    TCGv v = tmpw(dc);
    tcg_gen_ld(S, v, X86_ENV_OFFSET(cr[0]));
    store_sys16(dc, insn, v);
    return true;
}

X86_TRANS(CLTS)
{
    x86_prepare_helper(dc);
    gen_helper_clts(S, TCG_ENV);
    dc->base.is_jmp = DISAS_EOB_NEXT;   /* TS keys translation (HF_TS) */
    return true;
}

/* LDS LES LFS LGS LSS: offset then selector from memory. */
static bool gen_lxs(DisasContext *dc, X86Insn *insn, int seg)
{
    TCGv a = x86_gen_addr(dc, insn), a2 = tmpw(dc), off = tmpw(dc), sel = tmpw(dc);
    x86_gen_ld(dc, off, a, insn->opsize);
    tcg_gen_addi(S, a2, a, insn->opsize);
    x86_gen_ld(dc, sel, a2, 2);
    x86_prepare_helper(dc);
    gen_helper_load_seg(S, TCG_ENV, c32(dc, (uint32_t)seg), x86_to_i32(dc, sel));
    x86_st_op(dc, insn, 0, off);
    dc->base.is_jmp = DISAS_EOB_NEXT;
    return true;
}

X86_TRANS(LDS) { return gen_lxs(dc, insn, R_DS); }
X86_TRANS(LES) { return gen_lxs(dc, insn, R_ES); }
X86_TRANS(LFS) { return gen_lxs(dc, insn, R_FS); }
X86_TRANS(LGS) { return gen_lxs(dc, insn, R_GS); }
X86_TRANS(LSS) { return gen_lxs(dc, insn, R_SS); }
