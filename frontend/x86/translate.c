/*
 * The x86 translator core: the TranslatorOps hooks, the IR globals, operand
 * access, lazy condition codes and block ends. Instruction handlers live in
 * translate-alu.c (arithmetic, logic, data movement) and translate-ctl.c
 * (branches, stack, strings, system). Dispatch: one handler per opcodes.def
 * row, by mnemonic (x86_trans_MNEM), built at compile time.
 * Must stay true: an instruction writes guest register globals and cc
 * globals only after its last memory access that may fault; the static
 * cc_op (dc->cc_op) equals what env would hold at every branch and exit
 * (x86_update_cc_op before them), and it is recorded per insn for faults.
 */
#include <stdlib.h>
#include "frontend/x86/translate.h"
#include "frontend/x86/helpers.h"

#undef HELPER_MODE
#define HELPER_MODE HELPER_GEN
#include "tcg/helper-gen.h"
#include "frontend/x86/helpers.def"

/* ---- dispatch table: row index of opcodes.def -> handler ---- */
/* Mnemonics without a handler resolve to NULL (weak) and raise #UD. */
#define X86_OP(map, opc, ext, pfx, mnem, ...) \
    bool x86_trans_##mnem(DisasContext *dc, X86Insn *insn) __attribute__((weak));
#include "frontend/x86/opcodes.def"
#undef X86_OP
#define X86_OP(map, opc, ext, pfx, mnem, ...) x86_trans_##mnem,
static const X86TransFn x86_trans_table[] = {
#include "frontend/x86/opcodes.def"
};
#undef X86_OP
#define X86_TRANS_TABLE_SIZE ((int)(sizeof(x86_trans_table) / sizeof(x86_trans_table[0])))

/* ---- globals ---- */
void x86_tcg_init(CPUState *cpu, TCGContext *s)
{
    static const char *const names32[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    static const char *const names64[16] = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
    for (int i = 0; i < 8; i++) {
        if (tcg_global_mem_new(s, TCG_TYPE_I32, X86_ENV_OFFSET(regs[i]), names32[i]) != (TCGv)(X86G_EAX + i)) {
            goto bad;
        }
    }
    if (tcg_global_mem_new(s, TCG_TYPE_I32, X86_ENV_OFFSET(cc_dst), "cc_dst") != (TCGv)X86G_CC_DST ||
        tcg_global_mem_new(s, TCG_TYPE_I32, X86_ENV_OFFSET(cc_src), "cc_src") != (TCGv)X86G_CC_SRC ||
        tcg_global_mem_new(s, TCG_TYPE_I32, X86_ENV_OFFSET(cc_src2), "cc_src2") != (TCGv)X86G_CC_SRC2 ||
        tcg_global_mem_new(s, TCG_TYPE_I32, X86_ENV_OFFSET(cc_op), "cc_op") != cpu_cc_op) {
        goto bad;
    }
    for (int i = 0; i < 16; i++) {
        if (tcg_global_mem_new(s, TCG_TYPE_I64, X86_ENV_OFFSET(regs[i]), names64[i]) != (TCGv)(X86G_RAX + i)) {
            goto bad;
        }
    }
    if (tcg_global_mem_new(s, TCG_TYPE_I64, X86_ENV_OFFSET(cc_dst), "cc_dst64") != (TCGv)X86G_CC_DST64 ||
        tcg_global_mem_new(s, TCG_TYPE_I64, X86_ENV_OFFSET(cc_src), "cc_src64") != (TCGv)X86G_CC_SRC64 ||
        tcg_global_mem_new(s, TCG_TYPE_I64, X86_ENV_OFFSET(cc_src2), "cc_src2_64") != (TCGv)X86G_CC_SRC2_64) {
        goto bad;
    }
    if (X86_TRANS_TABLE_SIZE != x86_opcode_table_size) {
        fprintf(stderr, "kasou: x86 translator table (%d rows) out of step with decoder (%d)\n",
                X86_TRANS_TABLE_SIZE, x86_opcode_table_size);
        abort();
    }
    return;
bad:
    fprintf(stderr, "kasou: x86 globals must be created first, right after env\n");
    abort();
}

/* ---- lazy flags ---- */
void x86_set_cc_op(DisasContext *dc, int op)
{
    dc->cc_dyn_sizes = 0;
    if (op == dc->cc_op) {
        return;
    }
    dc->cc_op = op;
    dc->cc_op_dirty = op != CC_OP_DYNAMIC;
}

/* Every sized op keeps its result, truncated, in cc_dst and derives Z, S
 * and P from it alone (cc_helper.c: cc_zsp); CLR stores cc_dst = 0. */
int x86_cc_dst_sizes(DisasContext *dc)
{
    int op = dc->cc_op;
    if (op == CC_OP_CLR) {
        return x86_tw64(dc->tw) ? 15 : 7;
    }
    if (op >= CC_OP_MULB && op < CC_OP_NB && (((op - CC_OP_MULB) & 3) < 3 || x86_tw64(dc->tw))) {
        return 1 << ((op - CC_OP_MULB) & 3);
    }
    return op == CC_OP_DYNAMIC ? dc->cc_dyn_sizes : 0;
}

/* The caller has made the cc_op global right (a movcond between two ops
 * whose x86_cc_dst_sizes are known, say): the static cc_op is lost, but the
 * class of the possible ops is kept for x86_prepare_cc. */
void x86_set_cc_op_dynamic(DisasContext *dc, int sizes)
{
    dc->cc_op = CC_OP_DYNAMIC;
    dc->cc_op_dirty = false;
    dc->cc_dyn_sizes = sizes;
}

void x86_update_cc_op(DisasContext *dc)
{
    if (dc->cc_op_dirty) {
        tcg_gen_movi(dc->s, cpu_cc_op, (uint32_t)dc->cc_op);
        dc->cc_op_dirty = false;
    }
}

/* The cc_op value as a temp (constant when known). */
static TCGv cc_op_value(DisasContext *dc)
{
    return dc->cc_op == CC_OP_DYNAMIC ? cpu_cc_op : c32(dc, (uint32_t)dc->cc_op);
}

TCGv x86_compute_eflags_tcg(DisasContext *dc)
{
    TCGv t = tmp32(dc);
    if (dc->cc_op == CC_OP_EFLAGS) {
        tcg_gen_andi(dc->s, t, x86_to_i32(dc, x86_cc_src(dc)), CC_ALL);
    } else if (dc->cc_op == CC_OP_CLR) {
        tcg_gen_movi(dc->s, t, CC_Z | CC_P);
    } else if (x86_tw64(dc->tw)) {
        gen_helper_cc_compute_all64(dc->s, t, x86_cc_dst(dc), x86_cc_src(dc), x86_cc_src2(dc), cc_op_value(dc));
    } else {
        gen_helper_cc_compute_all(dc->s, t, x86_cc_dst(dc), x86_cc_src(dc), x86_cc_src2(dc), cc_op_value(dc));
    }
    return t;
}

void x86_set_eflags_cc(DisasContext *dc, TCGv flags)
{
    tcg_gen_andi(dc->s, x86_cc_src(dc), x86_to_w(dc, flags), CC_ALL);
    x86_set_cc_op(dc, CC_OP_EFLAGS);
}

static inline int cc_kind(int op) { return op >= CC_OP_MULB ? CC_OP_MULB + ((op - CC_OP_MULB) & ~3) : op; }
static inline int cc_sz(int op) { return (op - CC_OP_MULB) & 3; }

/* Sign- or zero-extend v from a size index (0..3) to the word. */
static TCGv ext_sz(DisasContext *dc, TCGv v, int sz, bool sign)
{
    TCGv t;
    if (sz == 3 || (sz == 2 && (!sign || !x86_tw64(dc->tw)))) {
        return v;   /* cc values are kept zero-extended */
    }
    t = tmpw(dc);
    if (sz == 0) {
        sign ? tcg_gen_ext8s(dc->s, t, v) : tcg_gen_ext8u(dc->s, t, v);
    } else if (sz == 1) {
        sign ? tcg_gen_ext16s(dc->s, t, v) : tcg_gen_ext16u(dc->s, t, v);
    } else {
        tcg_gen_ext32s(dc->s, t, v);
    }
    return t;
}

void x86_mask_to(DisasContext *dc, TCGv dst, TCGv v, int size)
{
    if (size == 1) {
        tcg_gen_ext8u(dc->s, dst, v);
    } else if (size == 2) {
        tcg_gen_ext16u(dc->s, dst, v);
    } else if (size == 4 && x86_tw64(dc->tw)) {
        tcg_gen_ext32u(dc->s, dst, v);
    } else {
        tcg_gen_mov(dc->s, dst, v);
    }
}

TCGv x86_sext_to(DisasContext *dc, TCGv v, int size)
{
    TCGv t = tmpw(dc);
    if (size == 1) {
        tcg_gen_ext8s(dc->s, t, v);
    } else if (size == 2) {
        tcg_gen_ext16s(dc->s, t, v);
    } else if (size == 4 && x86_tw64(dc->tw)) {
        tcg_gen_ext32s(dc->s, t, v);
    } else {
        tcg_gen_mov(dc->s, t, v);
    }
    return t;
}

TCGv x86_compute_cf(DisasContext *dc)
{
    TCGv t = tmpw(dc);
    int op = dc->cc_op, kind = cc_kind(op), sz = cc_sz(op);
    switch (op == CC_OP_DYNAMIC || op == CC_OP_EFLAGS || op == CC_OP_CLR ? op : kind) {
    case CC_OP_EFLAGS:
        tcg_gen_andi(dc->s, t, x86_cc_src(dc), CC_C);
        return t;
    case CC_OP_CLR:
    case CC_OP_LOGICB:
        tcg_gen_movi(dc->s, t, 0);
        return t;
    case CC_OP_SUBB:
        tcg_gen_setcond(dc->s, TCG_COND_LTU, t, dc->cc_srcT, x86_cc_src(dc));
        return t;
    case CC_OP_ADDB:
        tcg_gen_setcond(dc->s, TCG_COND_LTU, t, x86_cc_dst(dc), x86_cc_src(dc));
        return t;
    case CC_OP_INCB:
    case CC_OP_DECB:
        tcg_gen_andi(dc->s, t, x86_cc_src(dc), 1);
        return t;
    case CC_OP_SHLB:
        tcg_gen_extract(dc->s, t, x86_cc_src(dc), (8u << sz) - 1, 1);
        return t;
    case CC_OP_SARB:
        tcg_gen_andi(dc->s, t, x86_cc_src(dc), 1);
        return t;
    case CC_OP_MULB:
    case CC_OP_BMILGB:
        tcg_gen_setcondi(dc->s, TCG_COND_NE, t, x86_cc_src(dc), 0);
        return t;
    default:
        if (x86_tw64(dc->tw)) {
            TCGv c = tmp32(dc);
            gen_helper_cc_compute_c64(dc->s, c, x86_cc_dst(dc), x86_cc_src(dc), x86_cc_src2(dc), cc_op_value(dc));
            tcg_gen_extu_i32_i64(dc->s, t, c);
        } else {
            gen_helper_cc_compute_c(dc->s, t, x86_cc_dst(dc), x86_cc_src(dc), x86_cc_src2(dc), cc_op_value(dc));
        }
        return t;
    }
}

static X86Cond cc_make(TCGCond c, TCGv a, TCGv b) { return (X86Cond){ c, a, b }; }

/* Conditions evaluated on an EFLAGS image in f. */
static X86Cond cc_from_eflags(DisasContext *dc, TCGv f, int b)
{
    TCGv t;
    f = x86_to_i32(dc, f);
    switch (b) {
    case 0: return cc_make(TCG_COND_TSTNE, f, c32(dc, CC_O));
    case 1: return cc_make(TCG_COND_TSTNE, f, c32(dc, CC_C));
    case 2: return cc_make(TCG_COND_TSTNE, f, c32(dc, CC_Z));
    case 3: return cc_make(TCG_COND_TSTNE, f, c32(dc, CC_C | CC_Z));
    case 4: return cc_make(TCG_COND_TSTNE, f, c32(dc, CC_S));
    case 5: return cc_make(TCG_COND_TSTNE, f, c32(dc, CC_P));
    case 6: /* S != O: move S (bit 7) onto O (bit 11) */
        t = tmp32(dc);
        tcg_gen_shli(dc->s, t, f, 4);
        tcg_gen_xor(dc->s, t, t, f);
        return cc_make(TCG_COND_TSTNE, t, c32(dc, CC_O));
    default: { /* (S != O) || Z */
        TCGv z = tmp32(dc);
        t = tmp32(dc);
        tcg_gen_shli(dc->s, t, f, 4);
        tcg_gen_xor(dc->s, t, t, f);
        tcg_gen_andi(dc->s, t, t, CC_O);
        tcg_gen_andi(dc->s, z, f, CC_Z);
        tcg_gen_or(dc->s, t, t, z);
        return cc_make(TCG_COND_NE, t, c32(dc, 0));
    }
    }
}

/* b: the low nibble of Jcc/SETcc/CMOVcc. The fast paths read the saved
 * operands directly (CMP + JL is one signed compare). */
X86Cond x86_prepare_cc(DisasContext *dc, int b)
{
    int inv = b & 1, op = dc->cc_op, kind = cc_kind(op), sz = cc_sz(op);
    int sizes = x86_cc_dst_sizes(dc);
    X86Cond c;
    bool done = false;
    b >>= 1;
    if (op == CC_OP_CLR) {
        /* Z and P set, the rest clear */
        bool v = b == 2 || b == 3 || b == 5 || b == 7;
        c = cc_make(v ? TCG_COND_EQ : TCG_COND_NE, cw(dc, 0), cw(dc, 0));
        done = true;
    } else if (sizes) {
        /* a sized op of size index zsz (statically, or one of a class when
         * cc_op is dynamic: kind is then CC_OP_DYNAMIC and matches no case
         * below but Z and S) */
        int zsz = __builtin_ctz((unsigned)sizes);
        uint64_t sign = 1ull << ((8u << zsz) - 1);
        switch (b) {
        case 2: /* Z: every sized op keeps dst truncated to its size */
            if (kind == CC_OP_SUBB && dc->cc_sub_unused) {
                /* both operands zero-extended: equal iff the difference is 0
                 * (after SUB the result is in a register: test that) */
                c = cc_make(TCG_COND_EQ, dc->cc_srcT, x86_cc_src(dc));
            } else {
                c = cc_make(TCG_COND_EQ, x86_cc_dst(dc), cw(dc, 0));
            }
            done = true;
            break;
        case 4: /* S */
            c = cc_make(TCG_COND_TSTNE, x86_cc_dst(dc), cw(dc, sign));
            done = true;
            break;
        case 1: /* B */
            done = true;
            if (kind == CC_OP_SUBB) {
                c = cc_make(TCG_COND_LTU, dc->cc_srcT, x86_cc_src(dc));
            } else if (kind == CC_OP_ADDB) {
                c = cc_make(TCG_COND_LTU, x86_cc_dst(dc), x86_cc_src(dc));
            } else if (kind == CC_OP_LOGICB) {
                c = cc_make(TCG_COND_NE, cw(dc, 0), cw(dc, 0));
            } else if (kind == CC_OP_INCB || kind == CC_OP_DECB || kind == CC_OP_SARB) {
                c = cc_make(TCG_COND_TSTNE, x86_cc_src(dc), cw(dc, 1));
            } else if (kind == CC_OP_SHLB) {
                c = cc_make(TCG_COND_TSTNE, x86_cc_src(dc), cw(dc, sign));
            } else if (kind == CC_OP_MULB || kind == CC_OP_BMILGB) {
                c = cc_make(TCG_COND_NE, x86_cc_src(dc), cw(dc, 0));
            } else {
                done = false;
            }
            break;
        case 3: /* BE */
            if (kind == CC_OP_SUBB) {
                c = cc_make(TCG_COND_LEU, dc->cc_srcT, x86_cc_src(dc));
                done = true;
            } else if (kind == CC_OP_LOGICB) {
                c = cc_make(TCG_COND_EQ, x86_cc_dst(dc), cw(dc, 0));
                done = true;
            }
            break;
        case 0: /* O */
            if (kind == CC_OP_LOGICB) {
                c = cc_make(TCG_COND_NE, cw(dc, 0), cw(dc, 0));
                done = true;
            } else if (kind == CC_OP_MULB) {
                c = cc_make(TCG_COND_NE, x86_cc_src(dc), cw(dc, 0));
                done = true;
            }
            break;
        case 6: /* L */
        case 7: /* LE */
            if (kind == CC_OP_SUBB) {
                c = cc_make(b == 6 ? TCG_COND_LT : TCG_COND_LE,
                            ext_sz(dc, dc->cc_srcT, sz, true), ext_sz(dc, x86_cc_src(dc), sz, true));
                done = true;
            } else if (kind == CC_OP_LOGICB) {
                c = cc_make(b == 6 ? TCG_COND_LT : TCG_COND_LE,
                            ext_sz(dc, x86_cc_dst(dc), sz, true), cw(dc, 0));
                done = true;
            }
            break;
        default:
            break;
        }
    } else if (op == CC_OP_EFLAGS) {
        c = cc_from_eflags(dc, x86_cc_src(dc), b);
        done = true;
    }
    if (!done) {
        c = cc_from_eflags(dc, x86_compute_eflags_tcg(dc), b);
    }
    if (inv) {
        c.cond = tcg_invert_cond(c.cond);
    }
    return c;
}

/* ---- registers and operands ---- */
int x86_opsize(X86Insn *insn)
{
    return (insn->entry->flags & X86F_BYTEOP) ? 1 : insn->opsize;
}

TCGv x86_ld_reg(DisasContext *dc, int reg, int size, bool high8)
{
    TCGv t = tmpw(dc);
    if (size == 1) {
        if (high8) {
            tcg_gen_extract(dc->s, t, x86_reg(dc, reg & 3), 8, 8);
        } else {
            tcg_gen_ext8u(dc->s, t, x86_reg(dc, reg));
        }
    } else if (size == 2) {
        tcg_gen_ext16u(dc->s, t, x86_reg(dc, reg));
    } else if (size == 4 && x86_tw64(dc->tw)) {
        tcg_gen_ext32u(dc->s, t, x86_reg(dc, reg));
    } else {
        tcg_gen_mov(dc->s, t, x86_reg(dc, reg));
    }
    return t;
}

/* A write of a 4-byte register replaces it: in 64-bit mode zero-extended
 * into the 64-bit register (the I32 view of 32-bit code leaves the
 * undefined upper half alone); 1- and 2-byte writes merge. val is a word
 * or I32. */
void x86_st_reg(DisasContext *dc, int reg, int size, bool high8, TCGv val)
{
    val = x86_to_w(dc, val);
    if (size == 1) {
        if (high8) {
            tcg_gen_deposit(dc->s, x86_reg(dc, reg & 3), x86_reg(dc, reg & 3), val, 8, 8);
        } else {
            tcg_gen_deposit(dc->s, x86_reg(dc, reg), x86_reg(dc, reg), val, 0, 8);
        }
    } else if (size == 2) {
        tcg_gen_deposit(dc->s, x86_reg(dc, reg), x86_reg(dc, reg), val, 0, 16);
    } else if (size == 4 && x86_tw64(dc->tw)) {
        tcg_gen_ext32u(dc->s, x86_reg(dc, reg), val);
    } else {
        tcg_gen_mov(dc->s, x86_reg(dc, reg), val);
    }
}

static MemOp size_memop(int size) { return (MemOp)size_shift(size); }

/* An access at A0 checks the whole memory operand first (segment limits) */
static void check_at_a0(DisasContext *dc, TCGv addr, int size, int kind)
{
    if (dc->a0_valid && addr == dc->A0) {
        x86_seg_check_a0(dc, &dc->insn, size, kind);
    }
}

void x86_gen_ld(DisasContext *dc, TCGv dst, TCGv addr, int size)
{
    check_at_a0(dc, addr, size, X86_ACC_READ);
    tcg_gen_qemu_ld(dc->s, dst, addr, size_memop(size), dc->mmu_idx);
}

void x86_gen_ld_sx(DisasContext *dc, TCGv dst, TCGv addr, int size)
{
    check_at_a0(dc, addr, size, X86_ACC_READ);
    tcg_gen_qemu_ld(dc->s, dst, addr, (MemOp)(size_memop(size) | (size < 4 ? MO_SIGN : 0)), dc->mmu_idx);
}

void x86_gen_st(DisasContext *dc, TCGv val, TCGv addr, int size)
{
    check_at_a0(dc, addr, size, X86_ACC_WRITE);
    tcg_gen_qemu_st(dc->s, val, addr, size_memop(size), dc->mmu_idx);
}

/* Offset part of the memory operand, wrapped to the address size. */
TCGv x86_gen_lea(DisasContext *dc, X86Insn *insn)
{
    X86Address *a = &insn->addr;
    TCGv t = tmpw(dc);
    if (a->base == -2) {
        /* RIP-relative: from the next instruction, known now */
        tcg_gen_movi(dc->s, t, dc->next_pc - dc->base.tb->cs_base + (uint64_t)a->disp);
    } else {
        tcg_gen_movi(dc->s, t, x86_tw64(dc->tw) ? (uint64_t)a->disp : (uint32_t)a->disp);
    }
    if (a->base >= 0) {
        tcg_gen_add(dc->s, t, t, x86_reg(dc, a->base));
    }
    if (a->index >= 0) {
        TCGv i = tmpw(dc);
        tcg_gen_shli(dc->s, i, x86_reg(dc, a->index), a->scale);
        tcg_gen_add(dc->s, t, t, i);
    }
    if (insn->addrsize == 2) {
        tcg_gen_ext16u(dc->s, t, t);
    } else if (insn->addrsize == 4 && x86_tw64(dc->tw)) {
        tcg_gen_ext32u(dc->s, t, t);   /* 67 in 64-bit mode */
    }
    return t;
}

/* DS/ES/SS/CS bases are added only when some may be nonzero (ADDSEG);
 * FS and GS bases always are (flat kernels use them for per-CPU data). In
 * 64-bit mode only FS and GS have bases. */
TCGv x86_add_seg(DisasContext *dc, TCGv off, int seg, int addrsize)
{
    TCGv t;
    if (!((dc->addseg && dc->mode != 64) || seg == R_FS || seg == R_GS)) {
        return off;
    }
    t = tmpw(dc);
    tcg_gen_ld(dc->s, t, X86_ENV_OFFSET(segs[seg].base));
    tcg_gen_add(dc->s, t, t, off);
    if (x86_tw64(dc->tw) && dc->mode != 64) {
        tcg_gen_ext32u(dc->s, t, t);   /* compatibility mode: 32-bit linear addresses */
    }
    return t;
}

TCGv x86_gen_addr(DisasContext *dc, X86Insn *insn)
{
    if (!dc->a0_valid) {
        dc->a0_off = x86_gen_lea(dc, insn);
        dc->A0 = x86_add_seg(dc, dc->a0_off, insn->addr.seg, insn->addrsize);
        dc->a0_valid = true;
    }
    return dc->A0;
}

/* ---- segment limit and type checks ---- */

/* The check is one branch: (off - lo) | (hi - (off + size - 1)) is
 * negative (as a 64-bit signed value) iff the access leaves [lo, hi];
 * lo and hi per segment and access kind are in env (x86_seg_chk_hflags in
 * seg_helper.c: expand-down ranges, and empty ones for null selectors,
 * writes to read-only data or code, reads of execute-only code). */
void x86_seg_check(DisasContext *dc, int seg, TCGv off, int size, int kind)
{
    TCGv t, end, bound;
    int l_ok;
    if (!x86_seg_checked(dc, seg)) {
        return;   /* flat, or 64-bit mode (no bits set there) */
    }
    t = tmp64(dc);
    end = tmp64(dc);
    bound = tmp64(dc);
    l_ok = tcg_new_label(dc->s);
    if (tcg_temp_type(dc->s, off) == TCG_TYPE_I64) {
        tcg_gen_ext32u(dc->s, t, off);   /* compatibility mode: 32-bit offsets */
    } else {
        tcg_gen_extu_i32_i64(dc->s, t, off);
    }
    tcg_gen_addi(dc->s, end, t, (uint64_t)(size - 1));
    tcg_gen_ld(dc->s, bound, X86_ENV_OFFSET(seg_chk_lo) + (seg * 2 + kind) * 8);
    tcg_gen_sub(dc->s, t, t, bound);
    tcg_gen_ld(dc->s, bound, X86_ENV_OFFSET(seg_chk_hi) + (seg * 2 + kind) * 8);
    tcg_gen_sub(dc->s, end, bound, end);
    tcg_gen_or(dc->s, t, t, end);
    tcg_gen_brcondi(dc->s, TCG_COND_GE, t, 0, l_ok);
    /* the raise restores eip and cc_op from the insn_start record */
    gen_helper_raise_exception_err(dc->s, TCG_ENV, c32(dc, seg == R_SS ? EXCP0C_STACK : EXCP0D_GPF),
                                   c32(dc, 0));
    tcg_gen_set_label(dc->s, l_ok);
}

/* The decoded size of the memory operand (0 when it has none, as LEA's M) */
static int mem_operand_size(X86Insn *insn)
{
    for (int i = 0; i < 3; i++) {
        if (insn->ops[i].type == X86_OPT_MEM) {
            return insn->ops[i].size;
        }
    }
    return 0;
}

void x86_seg_check_a0(DisasContext *dc, X86Insn *insn, int size, int kind)
{
    int seg = insn->addr.seg;
    if (!x86_seg_checked(dc, seg) || (dc->a0_checked & (1u << kind))) {
        return;
    }
    x86_gen_addr(dc, insn);
    if (mem_operand_size(insn) > size) {
        size = mem_operand_size(insn);
    }
    x86_seg_check(dc, seg, dc->a0_off, size, kind);
    dc->a0_checked |= (uint8_t)(1u << kind);
}

bool x86_op_is_mem(X86Insn *insn, int i)
{
    return i < 3 && insn->ops[i].type == X86_OPT_MEM;
}

void x86_ld_op(DisasContext *dc, X86Insn *insn, int i, TCGv dst)
{
    X86Operand *op = &insn->ops[i];
    switch (op->type) {
    case X86_OPT_REG: {
        TCGv v = x86_ld_reg(dc, op->reg, op->size, op->high8);
        if (tcg_temp_type(dc->s, dst) != tcg_temp_type(dc->s, v)) {
            v = x86_to_i32(dc, v);   /* an I32 dst in a 64-bit block */
        }
        tcg_gen_mov(dc->s, dst, v);
        break;
    }
    case X86_OPT_MEM:
        x86_gen_ld(dc, dst, x86_gen_addr(dc, insn), op->size);
        break;
    case X86_OPT_IMM:
        tcg_gen_movi(dc->s, dst, op->size == 8 || insn->opsize == 8 ? op->imm : (uint32_t)op->imm);
        break;
    case X86_OPT_SEG:
        tcg_gen_ld16u(dc->s, dst, X86_ENV_OFFSET(segs[op->reg].selector));
        break;
    default:
        tcg_gen_movi(dc->s, dst, 0);
        break;
    }
}

void x86_st_op(DisasContext *dc, X86Insn *insn, int i, TCGv val)
{
    X86Operand *op = &insn->ops[i];
    if (op->type == X86_OPT_MEM) {
        x86_gen_st(dc, val, x86_gen_addr(dc, insn), op->size);
    } else if (op->type == X86_OPT_REG) {
        x86_st_reg(dc, op->reg, op->size, op->high8, val);
    }
}

/* ---- stack ---- */
int x86_stack_size(DisasContext *dc)
{
    return dc->mode == 64 ? 8 : (dc->flags & HF_SS32_MASK) ? 4 : 2;
}

/* Linear address of SS:(ESP + off), ESP wrapped to the stack size. */
static TCGv stack_addr(DisasContext *dc, TCGv esp_val)
{
    return x86_add_seg(dc, esp_val, R_SS, x86_stack_size(dc));
}

/* Write ESP after the accesses that may fault. */
static void set_esp(DisasContext *dc, TCGv v)
{
    x86_st_reg(dc, R_ESP, x86_stack_size(dc), false, v);
}

void x86_push(DisasContext *dc, TCGv val, int size)
{
    TCGv sp = tmpw(dc);
    if (size == 8) {
        val = x86_to_w(dc, val);
    }
    tcg_gen_subi(dc->s, sp, x86_reg(dc, R_ESP), size);
    if (x86_stack_size(dc) == 2) {
        tcg_gen_ext16u(dc->s, sp, sp);
    }
    x86_seg_check(dc, R_SS, sp, size, X86_ACC_WRITE);
    x86_gen_st(dc, val, stack_addr(dc, sp), size);
    set_esp(dc, sp);
}

void x86_pop_peek(DisasContext *dc, TCGv dst, int size, int offset)
{
    TCGv sp = tmpw(dc);
    tcg_gen_addi(dc->s, sp, x86_reg(dc, R_ESP), (uint64_t)(int64_t)offset);
    if (x86_stack_size(dc) == 2) {
        tcg_gen_ext16u(dc->s, sp, sp);
    }
    x86_seg_check(dc, R_SS, sp, size, X86_ACC_READ);
    x86_gen_ld(dc, dst, stack_addr(dc, sp), size);
}

void x86_sp_add(DisasContext *dc, int32_t n)
{
    TCGv sp = tmpw(dc);
    tcg_gen_addi(dc->s, sp, x86_reg(dc, R_ESP), (uint64_t)(int64_t)n);
    set_esp(dc, sp);
}

/* ---- eip, exceptions, block ends ---- */
void x86_store_eip(DisasContext *dc, uint64_t eip)
{
    tcg_gen_st(dc->s, tcg_constant(dc->s, TCG_TYPE_I64, eip), X86_ENV_OFFSET(eip));
}

void x86_store_eip_tcg(DisasContext *dc, TCGv eip)
{
    tcg_gen_st(dc->s, x86_addr_i64(dc, eip), X86_ENV_OFFSET(eip));
}

static uint64_t cur_eip(DisasContext *dc) { return dc->pc - dc->base.tb->cs_base; }

void x86_prepare_helper(DisasContext *dc)
{
    x86_update_cc_op(dc);
    x86_store_eip(dc, cur_eip(dc));
}

void x86_gen_exception(DisasContext *dc, int vector)
{
    x86_prepare_helper(dc);
    gen_helper_raise_exception(dc->s, TCG_ENV, c32(dc, (uint32_t)vector));
    tcg_gen_exit_tb(dc->s, 0);
    dc->base.is_jmp = DISAS_NORETURN;
}

void x86_gen_exception_err(DisasContext *dc, int vector, int err)
{
    x86_prepare_helper(dc);
    gen_helper_raise_exception_err(dc->s, TCG_ENV, c32(dc, (uint32_t)vector), c32(dc, (uint32_t)err));
    tcg_gen_exit_tb(dc->s, 0);
    dc->base.is_jmp = DISAS_NORETURN;
}

/* 64-bit mode: #GP(0) unless the address in a is canonical (48 bits),
 * before the instruction changes anything. */
void x86_check_canonical(DisasContext *dc, TCGv a)
{
    TCGv t;
    int l_ok;
    if (dc->mode != 64) {
        return;
    }
    t = tmp64(dc);
    l_ok = tcg_new_label(dc->s);
    x86_update_cc_op(dc);
    tcg_gen_sextract(dc->s, t, a, 0, 48);
    tcg_gen_brcond(dc->s, TCG_COND_EQ, t, a, l_ok);
    x86_store_eip(dc, cur_eip(dc));
    gen_helper_raise_exception_err(dc->s, TCG_ENV, c32(dc, EXCP0D_GPF), c32(dc, 0));
    tcg_gen_set_label(dc->s, l_ok);
}

bool x86_is_canonical(uint64_t a)
{
    return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

bool x86_check_cpl0(DisasContext *dc)
{
    if (dc->cpl != 0) {
        x86_gen_exception_err(dc, EXCP0D_GPF, 0);
        return false;
    }
    return true;
}

static void hflags_update(DisasContext *dc, uint32_t set, uint32_t clear)
{
    TCGv t = tmp32(dc);
    tcg_gen_ld(dc->s, t, X86_ENV_OFFSET(hflags));
    if (clear) {
        tcg_gen_andi(dc->s, t, t, ~clear);
    }
    if (set) {
        tcg_gen_ori(dc->s, t, t, set);
    }
    tcg_gen_st(dc->s, t, X86_ENV_OFFSET(hflags));
}

/* Common work before leaving the block: flags state, the interrupt shadow
 * of the previous instruction ends here. */
static void eob_prologue(DisasContext *dc, bool inhibit)
{
    x86_update_cc_op(dc);
    if (inhibit) {
        if (!(dc->flags & HF_INHIBIT_IRQ_MASK)) {
            hflags_update(dc, HF_INHIBIT_IRQ_MASK, 0);
        }
    } else if (dc->flags & HF_INHIBIT_IRQ_MASK) {
        hflags_update(dc, 0, HF_INHIBIT_IRQ_MASK);
    }
}

/* eip is in env: trap if single-stepping, else go on. With `lookup` the
 * next block is looked up without a return to the loop; pc (I32: cs_base +
 * eip, the block key's pc), when given, lets that be done inline. */
static void eob_exit(DisasContext *dc, bool lookup, TCGv pc)
{
    if (dc->flags & HF_TF_MASK) {
        gen_helper_single_step(dc->s, TCG_ENV);
        tcg_gen_exit_tb(dc->s, 0);
    } else if (lookup && pc != TCGV_NONE) {
        /* The key of the next block: a near jump keeps CS and every hflags
         * bit (an instruction that changes the TB key ends its block, so
         * none ran before this one in the block), except the interrupt
         * shadow eob_prologue has just cleared. */
        tcg_gen_lookup_goto_ptr(dc->s, pc, dc->flags & ~HF_INHIBIT_IRQ_MASK, dc->base.tb->cs_base);
    } else if (lookup) {
        tcg_gen_lookup_and_goto_ptr(dc->s);
    } else {
        tcg_gen_exit_tb(dc->s, 0);
    }
}

void x86_gen_jmp(DisasContext *dc, uint64_t dest_eip, int slot)
{
    uint64_t dest_pc = dest_eip + dc->base.tb->cs_base;
    if (dc->mode == 64 && !x86_is_canonical(dest_eip)) {
        /* a near branch to a non-canonical address faults at the branch */
        x86_update_cc_op(dc);
        x86_store_eip(dc, cur_eip(dc));
        gen_helper_raise_exception_err(dc->s, TCG_ENV, c32(dc, EXCP0D_GPF), c32(dc, 0));
        tcg_gen_exit_tb(dc->s, 0);
        dc->base.is_jmp = DISAS_NORETURN;
        return;
    }
    eob_prologue(dc, false);
    if (!(dc->flags & HF_TF_MASK) && translator_use_goto_tb(&dc->base, dest_pc)) {
        /* once chained, the next block knows its pc: the store is only on
         * the path back to the loop */
        tcg_gen_goto_tb(dc->s, slot);
        x86_store_eip(dc, dest_eip);
        tcg_gen_exit_tb(dc->s, (uintptr_t)dc->base.tb | (uintptr_t)slot);
    } else {
        x86_store_eip(dc, dest_eip);
        eob_exit(dc, true, x86_tw64(dc->tw) ? tcg_constant(dc->s, TCG_TYPE_I64, dest_pc)
                                            : tcg_constant(dc->s, TCG_TYPE_I32, (uint32_t)dest_pc));
    }
    dc->base.is_jmp = DISAS_NORETURN;
}

void x86_gen_jmp_reg(DisasContext *dc, TCGv eip)
{
    TCGv pc = eip;
    x86_store_eip_tcg(dc, eip);
    eob_prologue(dc, false);
    if (dc->base.tb->cs_base) {
        pc = tmpw(dc);
        tcg_gen_addi(dc->s, pc, eip, x86_tw64(dc->tw) ? dc->base.tb->cs_base : (uint32_t)dc->base.tb->cs_base);
    }
    eob_exit(dc, true, pc);
    dc->base.is_jmp = DISAS_NORETURN;
}

/* ---- the translator hooks ---- */
static void x86_init_disas_context(DisasContextBase *db, CPUState *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    uint32_t flags = db->tb->flags;
    dc->s = db->s ? db->s : cpu->tcg;
    dc->env = x86_env(cpu);
    dc->flags = flags;
    dc->cpl = (int)(flags & HF_CPL_MASK);
    dc->iopl = (int)((flags & HF_IOPL_MASK) >> HF_IOPL_SHIFT);
    dc->code32 = (flags & HF_CS32_MASK) != 0;
    dc->mode = (flags & HF_CS64_MASK) && (flags & HF_LMA_MASK) ? 64 : dc->code32 ? 32 : 16;
    /* long mode (64-bit and compatibility mode) works on the 64-bit
     * registers: 32-bit writes zero-extend there too, as CPUs do */
    dc->tw = (flags & HF_LMA_MASK) ? TCG_TYPE_I64 : TCG_TYPE_I32;
    dc->mmu_idx = dc->cpl == 3 ? X86_MMU_USER : X86_MMU_KERNEL;
    dc->addseg = (flags & HF_ADDSEG_MASK) != 0;
    db->code_mmu_idx = dc->mmu_idx;
    /* one insn per block while single-stepping or in an interrupt shadow */
    if (flags & (HF_TF_MASK | HF_INHIBIT_IRQ_MASK)) {
        db->max_insns = 1;
    }
    /* a data breakpoint's #DB comes at the next block boundary: make that
     * the end of the insn that hit it */
    if (flags & HF_DBGW_MASK) {
        db->max_insns = 1;
    }
}

static void x86_tb_start(DisasContextBase *db, CPUState *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    dc->cc_op = CC_OP_DYNAMIC;
    dc->cc_op_dirty = false;
    dc->cc_dyn_sizes = 0;
    dc->cc_srcT = tcg_temp_new(dc->s, dc->tw);
}

static void x86_insn_start(DisasContextBase *db, CPUState *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    tcg_gen_insn_start(dc->s, db->pc_next, (uint64_t)dc->cc_op);
}

static uint8_t x86_fetch(void *opaque, uint64_t pc)
{
    return translator_ldub((DisasContextBase *)opaque, pc);
}

static void x86_translate_insn(DisasContextBase *db, CPUState *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    X86Insn *insn = &dc->insn;
    X86DecodeResult r;
    X86TransFn fn;
    uint32_t fl;

    dc->pc = db->pc_next;
    dc->a0_valid = false;
    dc->a0_checked = 0;
    dc->nb_insn_temps = 0;
    if (dc->flags & HF_DBGX_MASK) {
        /* execute breakpoints (DR0-3 may change without a new block) */
        x86_prepare_helper(dc);
        gen_helper_bp_check(dc->s, TCG_ENV, tcg_constant(dc->s, TCG_TYPE_I64, dc->pc));
    }
    r = x86_decode(insn, dc->mode, dc->pc, x86_fetch, db);
    if (r != X86_DECODE_OK) {
        /* the length is unknown: fault at this insn */
        db->pc_next = dc->pc + 1;
        dc->next_pc = db->pc_next;
        if (r == X86_DECODE_TOO_LONG) {
            x86_gen_exception_err(dc, EXCP0D_GPF, 0);
        } else {
            x86_gen_exception(dc, EXCP06_ILLOP);
        }
        return;
    }
    db->pc_next = dc->pc + insn->len;
    dc->next_pc = db->pc_next;
    fl = insn->entry->flags;
    fn = insn->entry->handler < X86_TRANS_TABLE_SIZE ? x86_trans_table[insn->entry->handler] : NULL;
    if ((insn->prefixes & PREFIX_LOCK) && (!(fl & X86F_LOCK) || !x86_op_is_mem(insn, 0))) {
        fn = NULL;   /* LOCK on anything but a lockable memory destination */
    }
    if ((fl & X86F_PRIV) && !x86_check_cpl0(dc)) {
        goto done;
    }
    if (!fn || !fn(dc, insn)) {
        x86_gen_exception(dc, EXCP06_ILLOP);
    }
done:
    /* temps made for this insn are free again (blocks are long) */
    for (int i = 0; i < dc->nb_insn_temps; i++) {
        tcg_temp_free(dc->s, dc->insn_temps[i]);
    }
    dc->nb_insn_temps = 0;
}

static void x86_tb_stop(DisasContextBase *db, CPUState *cpu)
{
    DisasContext *dc = (DisasContext *)db;
    switch ((int)db->is_jmp) {
    case DISAS_NORETURN:
        break;
    case DISAS_NEXT:
    case DISAS_TOO_MANY:
        x86_gen_jmp(dc, db->pc_next - db->tb->cs_base, 0);
        break;
    case DISAS_JUMP:
        eob_prologue(dc, false);
        eob_exit(dc, true, TCGV_NONE);
        break;
    case DISAS_EOB_NEXT:
    case DISAS_EOB_INHIBIT:
        eob_prologue(dc, db->is_jmp == DISAS_EOB_INHIBIT);
        x86_store_eip(dc, db->pc_next - db->tb->cs_base);
        eob_exit(dc, false, TCGV_NONE);
        break;
    default: /* DISAS_EOB_ONLY: eip already in env */
        eob_prologue(dc, false);
        eob_exit(dc, false, TCGV_NONE);
        break;
    }
}

const TranslatorOps x86_translator_ops = {
    .init_disas_context = x86_init_disas_context,
    .tb_start = x86_tb_start,
    .insn_start = x86_insn_start,
    .translate_insn = x86_translate_insn,
    .tb_stop = x86_tb_stop,
    .dc_size = sizeof(DisasContext),
};
