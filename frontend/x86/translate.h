/*
 * Private to the x86 translator (translate*.c): the DisasContext, the
 * fixed indices of the IR globals, and the small emit helpers the topic
 * files share. Globals are created by x86_tcg_init in the order of the
 * X86G_ enum, right after TCG_ENV, so their TCGv values are constants.
 */
#ifndef FRONTEND_X86_TRANSLATE_H
#define FRONTEND_X86_TRANSLATE_H

#include "frontend/x86/cpu.h"
#include "frontend/x86/decode.h"

/*
 * The general registers have two views of the same env fields: 8 I32
 * globals (the low halves: EAX..EDI) used by blocks of legacy 16/32-bit
 * code, and 16 I64 globals (RAX..R15) used by blocks of long-mode code;
 * the cc fields likewise. A block uses one view only (dc->tw), so the two
 * never hold different values for one field inside a block; globals are
 * in env at every block end and helper call. 32-bit code keeps its I32
 * code (no extensions), and leaves the upper halves alone: the SDM makes
 * them undefined after 32-bit code runs (vol. 1, 3.4.1.1).
 */
enum {
    X86G_EAX = TCG_ENV + 1,   /* X86G_EAX + R_xxx: EAX..EDI (I32 views) */
    X86G_CC_DST = X86G_EAX + 8,
    X86G_CC_SRC,
    X86G_CC_SRC2,
    X86G_CC_OP,
    X86G_RAX,                 /* RAX..R15 (I64 views); R8-R15 exist in long mode only */
    X86G_CC_DST64 = X86G_RAX + 16,
    X86G_CC_SRC64,
    X86G_CC_SRC2_64,
    X86G_NB                   /* one past the last */
};
/* the translator's word: I64 in 64-bit mode, else I32 */
static inline bool x86_tw64(TCGType tw) { return tw == TCG_TYPE_I64; }
#define cpu_cc_op   ((TCGv)X86G_CC_OP)

/* Block ends of our own beyond the generic ones. */
#define DISAS_EOB_NEXT  DISAS_TARGET_0         /* store next eip, back to the loop (mode changed) */
#define DISAS_JUMP      (DISAS_TARGET_0 + 1)   /* eip stored: lookup_and_goto_ptr */
#define DISAS_EOB_INHIBIT (DISAS_TARGET_0 + 2) /* like EOB_NEXT, and set the interrupt shadow */
#define DISAS_EOB_ONLY  (DISAS_TARGET_0 + 3)   /* eip already in env (a helper set it): back to the loop */

#define X86_MAX_INSN_TEMPS 96

typedef struct DisasContext {
    DisasContextBase base;
    TCGContext *s;
    CPUX86State *env;
    uint32_t flags;          /* tb->flags (hflags) */
    int cpl, iopl;
    int code32;              /* CS.D: default operand/address size 32 */
    int mode;                /* 16, 32, 64 */
    TCGType tw;              /* type of registers, cc values and addresses: I64 in 64-bit mode */
    int mmu_idx;
    bool addseg;
    uint64_t pc;             /* pc of the current insn */
    uint64_t next_pc;        /* pc after it */
    X86Insn insn;
    /* lazy flags, tracked at translation time */
    int cc_op;               /* CCOp; CC_OP_DYNAMIC = in env */
    bool cc_op_dirty;        /* the cc_op global is stale */
    int cc_dyn_sizes;        /* cc_op DYNAMIC only: bit n set if env's cc_op is
                              * surely CLR or a sized op of size index n < 3,
                              * i.e. Z and S come from cc_dst at that size */
    TCGv cc_srcT;            /* first operand of the last SUB/CMP when cc_op is SUB* */
    bool cc_sub_unused;      /* cc_op SUB*: the difference went nowhere but cc_dst
                              * (CMP, CMPXCHG, CMPS, SCAS), so Z compares the
                              * operands and the subtraction may die */
    TCGv A0;                 /* effective address of the memory operand */
    bool a0_valid;
    TCGv a0_off;             /* its offset in the segment (before the base) */
    uint8_t a0_checked;      /* segment checks done on A0: bit X86_ACC_READ/WRITE */
    /* temps of the current insn, freed when it is translated */
    int nb_insn_temps;
    TCGv insn_temps[X86_MAX_INSN_TEMPS];
} DisasContext;

/* Descriptor of a bulk REP string instruction for helper_rep_* (string_helper.c). */
#define X86_REP_SIZE_SHIFT(d) ((d) & 3)          /* element size 1 << n */
#define X86_REP_ADDR16       (1u << 2)          /* SI/DI/CX, else ESI/EDI/ECX */
#define X86_REP_DST_BASE     (1u << 3)          /* add the ES base */
#define X86_REP_SRC_SEG(d)   (((d) >> 4) & 0xf) /* source segment, 0xf = no base */
#define X86_REP_MMU(d)       (((d) >> 8) & 0xf)
#define X86_REP_NZ           (1u << 12)         /* CMPS/SCAS: REPNE (stop when equal), else REPE */
#define X86_REP_ADDR64       (1u << 13)         /* RSI/RDI/RCX */
#define X86_REP_ZEXT32       (1u << 14)         /* long mode: 32-bit register writes zero-extend */
#define X86_REP_LIN64        (1u << 15)         /* 64-bit mode: linear addresses are 64-bit */
#define X86_REP_CHUNK 4096                      /* iterations per call, then the loop may take interrupts */

typedef bool (*X86TransFn)(DisasContext *dc, X86Insn *insn);

/* ---- shared emit helpers (translate.c) ---- */
static inline TCGv x86_temp(DisasContext *dc, TCGType type)
{
    TCGv t = tcg_temp_new(dc->s, type);
    if (dc->nb_insn_temps < X86_MAX_INSN_TEMPS) {
        dc->insn_temps[dc->nb_insn_temps++] = t;
    }
    return t;
}
static inline TCGv tmp32(DisasContext *dc) { return x86_temp(dc, TCG_TYPE_I32); }
static inline TCGv tmp64(DisasContext *dc) { return x86_temp(dc, TCG_TYPE_I64); }
static inline TCGv c32(DisasContext *dc, uint32_t v) { return tcg_constant(dc->s, TCG_TYPE_I32, v); }
/* word-sized temps and constants (dc->tw) */
static inline TCGv tmpw(DisasContext *dc) { return x86_temp(dc, dc->tw); }
static inline TCGv cw(DisasContext *dc, uint64_t v) { return tcg_constant(dc->s, dc->tw, v); }
static inline int x86_wbytes(DisasContext *dc) { return x86_tw64(dc->tw) ? 8 : 4; }

/* general register r (0..15) in this block's view */
static inline TCGv x86_reg(DisasContext *dc, int r)
{
    if (x86_tw64(dc->tw))
        return (TCGv)(X86G_RAX + r);
    return (TCGv)(X86G_EAX + (r & 7));   /* no REX outside long mode: r < 8 */
}
static inline TCGv x86_cc_dst(DisasContext *dc) { return (TCGv)(x86_tw64(dc->tw) ? X86G_CC_DST64 : X86G_CC_DST); }
static inline TCGv x86_cc_src(DisasContext *dc) { return (TCGv)(x86_tw64(dc->tw) ? X86G_CC_SRC64 : X86G_CC_SRC); }
static inline TCGv x86_cc_src2(DisasContext *dc) { return (TCGv)(x86_tw64(dc->tw) ? X86G_CC_SRC2_64 : X86G_CC_SRC2); }

/* dst (a word) = the low 32 bits of the I64 v */
static inline void x86_gen_extr_w(DisasContext *dc, TCGv dst, TCGv v)
{
    if (x86_tw64(dc->tw))
        tcg_gen_ext32u(dc->s, dst, v);
    else
        tcg_gen_extrl_i64_i32(dc->s, dst, v);
}

/* v as I32 (low half) / as a word (zero-extended), new temps unless already so */
static inline TCGv x86_to_i32(DisasContext *dc, TCGv v)
{
    if (tcg_temp_type(dc->s, v) == TCG_TYPE_I32)
        return v;
    TCGv t = tmp32(dc);
    tcg_gen_extrl_i64_i32(dc->s, t, v);
    return t;
}
static inline TCGv x86_to_w(DisasContext *dc, TCGv v)
{
    if (tcg_temp_type(dc->s, v) == dc->tw)
        return v;
    TCGv t = tmpw(dc);
    if (x86_tw64(dc->tw))
        tcg_gen_extu_i32_i64(dc->s, t, v);
    else
        tcg_gen_extrl_i64_i32(dc->s, t, v);
    return t;
}

/* An address (A0 and friends) as I64 for helper arguments, whatever width
 * the translator keeps addresses in. */
static inline TCGv x86_addr_i64(DisasContext *dc, TCGv a)
{
    if (tcg_temp_type(dc->s, a) == TCG_TYPE_I64)
        return a;
    TCGv t = tmp64(dc);
    tcg_gen_extu_i32_i64(dc->s, t, a);
    return t;
}

/* size: 1, 2, 4 bytes -> MemOp / shift */
static inline int size_shift(int size) { return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3; }
/* dst = v truncated to size bytes, zero-extended (a copy at word size) */
void x86_mask_to(DisasContext *dc, TCGv dst, TCGv v, int size);
/* v sign-extended from size bytes to the word (new temp, or v) */
TCGv x86_sext_to(DisasContext *dc, TCGv v, int size);

void x86_set_cc_op(DisasContext *dc, int op);
void x86_update_cc_op(DisasContext *dc);
int x86_cc_dst_sizes(DisasContext *dc);          /* sizes at which Z and S come from cc_dst (mask) */
void x86_set_cc_op_dynamic(DisasContext *dc, int sizes); /* cc_op chosen at run time; see cc_dyn_sizes */
TCGv x86_compute_eflags_tcg(DisasContext *dc);   /* CC_ALL bits of the current flags */
TCGv x86_compute_cf(DisasContext *dc);           /* 0 or 1 */
void x86_set_eflags_cc(DisasContext *dc, TCGv flags); /* cc_op = EFLAGS, cc_src = flags */

/* Condition b (0..15, the low nibble of Jcc): true iff *a cond *b. */
typedef struct X86Cond { TCGCond cond; TCGv a, b; } X86Cond;
X86Cond x86_prepare_cc(DisasContext *dc, int b);

/* operands */
TCGv x86_gen_lea(DisasContext *dc, X86Insn *insn);            /* offset only (no segment) */
TCGv x86_gen_addr(DisasContext *dc, X86Insn *insn);           /* A0: linear address of the memory operand */
TCGv x86_add_seg(DisasContext *dc, TCGv off, int seg, int addrsize); /* linear address of seg:off */
void x86_ld_op(DisasContext *dc, X86Insn *insn, int i, TCGv dst);  /* zero-extended into dst (a word, or I32) */
void x86_st_op(DisasContext *dc, X86Insn *insn, int i, TCGv val);  /* memory: store; reg: x86_st_reg (val a word or I32) */
bool x86_op_is_mem(X86Insn *insn, int i);
void x86_gen_ld(DisasContext *dc, TCGv dst, TCGv addr, int size);
void x86_gen_st(DisasContext *dc, TCGv val, TCGv addr, int size);
void x86_gen_ld_sx(DisasContext *dc, TCGv dst, TCGv addr, int size);
TCGv x86_ld_reg(DisasContext *dc, int reg, int size, bool high8);  /* new word temp, zero-extended */
void x86_st_reg(DisasContext *dc, int reg, int size, bool high8, TCGv val);
int x86_opsize(X86Insn *insn);   /* 1 for byte ops, else opsize */

/* Segment limit and type checks (SDM vol. 3, 5.3, 5.4.1): #GP(0), or
 * #SS(0) for SS, unless size bytes at seg:off may be read/written. off is
 * the offset wrapped to the address size. Nothing is emitted for a flat
 * segment (HF_SEGCHK clear), so flat code pays nothing. */
enum { X86_ACC_READ = 0, X86_ACC_WRITE = 1 };
static inline bool x86_seg_checked(DisasContext *dc, int seg)
{
    if (seg == R_CS) {
        return dc->mode != 64;
    }
    return seg >= 0 && seg < R_NB_SEGS && (dc->flags & HF_SEGCHK(seg));
}
void x86_seg_check(DisasContext *dc, int seg, TCGv off, int size, int kind);
/* The same for the whole memory operand at A0 (its decoded size, at least
 * size bytes), once per kind and insn. x86_gen_ld/st do it for accesses at
 * A0; callers that reach A0 otherwise (helpers, accesses at A0 + k first)
 * call this before the first access. */
void x86_seg_check_a0(DisasContext *dc, X86Insn *insn, int size, int kind);

/* stack */
void x86_push(DisasContext *dc, TCGv val, int size);
void x86_pop_peek(DisasContext *dc, TCGv dst, int size, int offset); /* load at SS:ESP+offset */
void x86_sp_add(DisasContext *dc, int32_t n);
int x86_stack_size(DisasContext *dc);   /* 2 or 4: SS.B */

/* block ends and exceptions */
void x86_gen_exception(DisasContext *dc, int vector);             /* fault at the current insn */
void x86_gen_exception_err(DisasContext *dc, int vector, int err);
void x86_gen_jmp(DisasContext *dc, uint64_t dest, int slot);     /* goto_tb or lookup */
void x86_gen_jmp_reg(DisasContext *dc, TCGv eip);               /* indirect: eip in a temp */
void x86_store_eip(DisasContext *dc, uint64_t eip);
void x86_store_eip_tcg(DisasContext *dc, TCGv eip);
bool x86_check_cpl0(DisasContext *dc);
void x86_check_canonical(DisasContext *dc, TCGv a);  /* 64-bit mode: #GP(0) at run time if not */
bool x86_is_canonical(uint64_t a);   /* false after emitting #GP(0) */
void x86_prepare_helper(DisasContext *dc); /* store cc_op and eip before a helper that may fault or read state */

/* handlers, one per mnemonic (translate-*.c); see the table in translate.c */
#define X86_TRANS(name) bool x86_trans_##name(DisasContext *dc, X86Insn *insn)
#define X86_TRANS_ALIAS(name, target) \
    bool x86_trans_##name(DisasContext *dc, X86Insn *insn) __attribute__((alias("x86_trans_" #target)))

#endif
