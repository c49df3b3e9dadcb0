/*
 * The x86-64 JIT: compiles one block of IR into host code, op by op, with
 * the host-neutral allocator of tcg/regalloc.c choosing registers.
 * What must stay true:
 *  - env (CPUState *) lives in r14 for the whole run; r10/r11 are scratch
 *    for single ops and never hold a temp across ops;
 *  - an I32 value is always zero-extended in its 64-bit register;
 *  - the frame set up by jit_exec (.text) and the epilogue copy at offset 0
 *    of the code buffer are the same: 6 pushes + JIT_FRAME_SIZE;
 *  - goto_tb's rel32 field is 4-byte aligned so jit_patch_jump can rewrite
 *    it with one atomic store while other code may be running through it.
 * backend/x86_64/README.md explains the frame, exits and the TLB fast path.
 */
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <inttypes.h>
#include <capstone/capstone.h>
#include "backend/backend.h"
#include "backend/x86_64/emit.h"
#include "backend/x86_64/jit-internal.h"
#include "softmmu/tlb.h"
#include "tcg/regalloc.h"

#define JIT_ENV   X86_R14
#define JIT_TMP0  X86_R11
#define JIT_TMP1  X86_R10

/* frame below the pushes: spill slots, slow-path register save area, pad */
#define JIT_SPILL_SIZE (TCG_MAX_TEMPS * 8)
#define JIT_SAVE_OFF   JIT_SPILL_SIZE
#define JIT_FRAME_SIZE 8328
#define JIT_STR_(x) #x
#define JIT_STR(x) JIT_STR_(x)
_Static_assert(JIT_FRAME_SIZE == JIT_SPILL_SIZE + 16 * 8 + 8, "frame layout");
_Static_assert((JIT_FRAME_SIZE + 7 * 8) % 16 == 0, "calls from generated code must be ABI-aligned");
_Static_assert(offsetof(CPUState, exit_request) < 128, "exit_check uses a disp8");

#define R(x) (1u << (x))
#define JIT_CALL_CLOBBERED (R(X86_RAX) | R(X86_RCX) | R(X86_RDX) | R(X86_RSI) | R(X86_RDI) | \
                            R(X86_R8) | R(X86_R9) | R(X86_R10) | R(X86_R11))
#define JIT_ALLOCATABLE (R(X86_RAX) | R(X86_RCX) | R(X86_RDX) | R(X86_RBX) | R(X86_RBP) | \
                         R(X86_RSI) | R(X86_RDI) | R(X86_R8) | R(X86_R9) | R(X86_R12) | \
                         R(X86_R13) | R(X86_R15))
#define ALL JIT_ALLOCATABLE

/*
 * Prologue and epilogue, in .text so jit_exec and jit_exit_path need no
 * state. Blocks leave through the identical epilogue copy jit_init puts at
 * offset 0 of the code buffer (reachable with a rel32).
 */
__asm__(
    ".text\n"
    ".p2align 4\n"
    ".globl jit_exec\n"
    ".type jit_exec, @function\n"
    "jit_exec:\n"
    "  push %rbp\n  push %rbx\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
    "  mov %rdi, %r14\n"
    "  sub $" JIT_STR(JIT_FRAME_SIZE) ", %rsp\n"
    "  jmp *%rsi\n"
    ".size jit_exec, .-jit_exec\n"
    ".p2align 4\n"
    ".globl jit_text_exit_path\n"
    ".type jit_text_exit_path, @function\n"
    "jit_text_exit_path:\n"
    "  xor %eax, %eax\n"
    "  add $" JIT_STR(JIT_FRAME_SIZE) ", %rsp\n"
    "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n  pop %rbx\n  pop %rbp\n"
    "  ret\n"
    ".size jit_text_exit_path, .-jit_text_exit_path\n");
extern const uint8_t jit_text_exit_path[];

/* code buffer layout: offset 0 returns 0, offset 2 returns rax */
#define JIT_CB_EXIT0    0
#define JIT_CB_EPILOGUE 2

const void *jit_exit_path(void)
{
    return jit_text_exit_path;
}

uint32_t jit_host_features(void)
{
    uint32_t f = 0;
    __builtin_cpu_init();    /* cheap after the first call; cpuid results cached by libgcc */
    if (__builtin_cpu_supports("lzcnt"))
        f |= JIT_FEAT_LZCNT;
    if (__builtin_cpu_supports("bmi"))
        f |= JIT_FEAT_BMI1;
    if (__builtin_cpu_supports("popcnt"))
        f |= JIT_FEAT_POPCNT;
    return f;
}

void jit_init(CodeBuffer *cb)
{
    if (cb->used != 0)
        return;
    JitBuf jb = { .buf = cb->rw, .off = 0, .cap = cb->size };
    emit_alu_rr(&jb, X86_ALU_XOR, 0, X86_RAX, X86_RAX);     /* JIT_CB_EXIT0 */
    emit_add_r64_imm(&jb, X86_RSP, JIT_FRAME_SIZE);          /* JIT_CB_EPILOGUE */
    static const int8_t pops[] = { X86_R15, X86_R14, X86_R13, X86_R12, X86_RBX, X86_RBP };
    for (size_t i = 0; i < sizeof(pops); i++) {
        emit_rex(&jb, 0, 0, 0, pops[i], false);
        emit_u8(&jb, (uint8_t)(0x58 + (pops[i] & 7)));
    }
    emit_u8(&jb, 0xc3);
    cb->used = (jb.off + 15) & ~(size_t)15;
    codebuf_perf_map(cb, cb->rx, jb.off, "kasou-jit-epilogue");
}

/* ---------------------------------------------------------------- */

typedef struct JitReloc { uint32_t at; int label; } JitReloc;   /* rel32 field -> label */

typedef struct JitSlow {           /* out-of-line TLB miss path of one qemu_ld/st */
    uint32_t jcc_at;               /* rel32 of the jne to it */
    uint32_t back;                 /* where to resume */
    uint32_t save_mask;            /* call-clobbered regs holding values */
    uint16_t memop_idx;
    uint8_t is_st, memop, type;
    int8_t addr_reg, val_reg;      /* val_reg: store value, or load destination; -1: val_const */
    uint64_t val_const;            /* constant store value */
} JitSlow;

typedef struct JitCtx {
    JitBuf jb;
    const uint8_t *rx;             /* execute address of jb.buf[0] */
    const uint8_t *cb_rx;          /* start of the code buffer (epilogue) */
    TCGContext *s;
    TranslationBlock *tb;
    CPUState *cpu;
    uint32_t features;
    int32_t *label_off;
    JitReloc *relocs;
    int nb_relocs, cap_relocs;
    JitSlow *slows;
    int nb_slows, cap_slows;
    uint32_t *exitreq;             /* rel32 fields of exit_check's jne */
    int nb_exitreq, cap_exitreq;
    int insn_idx, nb_insns;
    uint32_t *insn_end_off;
    uint64_t (*insn_data)[2];
    RegAlloc ra;                   /* last: its big gconst[] is not cleared per block */
} JitCtx;

/* The growable per-block arrays of JitCtx, kept between blocks so a block
 * costs no malloc/free (jit_gen_code is not reentrant). */
static __thread struct {
    int32_t *label_off;
    int cap_labels;
    JitReloc *relocs;
    int cap_relocs;
    JitSlow *slows;
    int cap_slows;
    uint32_t *exitreq;
    int cap_exitreq;
} jit_scratch;

static void *jit_grow(void *p, int *cap, int need, size_t elsize)
{
    if (need <= *cap)
        return p;
    int ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    p = realloc(p, (size_t)ncap * elsize);
    if (!p)
        abort();
    *cap = ncap;
    return p;
}

static int32_t jit_rel_to(JitCtx *j, const void *target, size_t end_off)
{
    return (int32_t)((intptr_t)target - (intptr_t)(j->rx + end_off));
}

static void jit_jmp_abs(JitCtx *j, const void *target)
{
    emit_jmp_rel32(&j->jb, jit_rel_to(j, target, j->jb.off + 5));
}

/* ---- register allocator callbacks ---- */
static void jit_ra_mov(void *opaque, TCGType type, int dst, int src)
{
    JitCtx *j = opaque;
    if (type == TCG_TYPE_I64)
        emit_mov_r64_r64(&j->jb, dst, src);
    else
        emit_mov_r32_r32(&j->jb, dst, src);
}
static void jit_ra_ld(void *opaque, TCGType type, int reg, int base, int32_t off)
{
    JitCtx *j = opaque;
    if (type == TCG_TYPE_I64)
        emit_mov_r64_m64(&j->jb, reg, base, off);
    else
        emit_mov_r32_m32(&j->jb, reg, base, off);
}
static void jit_ra_st(void *opaque, TCGType type, int reg, int base, int32_t off)
{
    JitCtx *j = opaque;
    if (type == TCG_TYPE_I64)
        emit_mov_m64_r64(&j->jb, base, off, reg);
    else
        emit_mov_m32_r32(&j->jb, base, off, reg);
}
static void jit_ra_movi(void *opaque, TCGType type, int reg, uint64_t val)
{
    JitCtx *j = opaque;
    emit_movi(&j->jb, type == TCG_TYPE_I64, reg, type == TCG_TYPE_I64 ? val : (uint32_t)val);
}

static void jit_ra_sti(void *opaque, TCGType type, uint64_t val, int base, int32_t off)
{
    JitCtx *j = opaque;
    if (type == TCG_TYPE_I32) {
        emit_mov_m32_imm32(&j->jb, base, off, (uint32_t)val);
    } else if (x86_fits_i32((int64_t)val)) {
        emit_mov_m64_imm32(&j->jb, base, off, (int32_t)val);
    } else {
        /* r11 is free here: the allocator stores only between ops' code */
        emit_movabs_r64_imm64(&j->jb, JIT_TMP0, val);
        emit_mov_m64_r64(&j->jb, base, off, JIT_TMP0);
    }
}

/* callee-saved first: values then survive helper calls and TLB misses */
static const int8_t jit_reg_order[] = {
    X86_RBX, X86_RBP, X86_R12, X86_R13, X86_R15, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_RCX, X86_RDX, X86_RAX,
};

static const RAHostDesc jit_host_desc = {
    .nb_regs = 16,
    .allocatable = JIT_ALLOCATABLE,
    .call_clobbered = JIT_CALL_CLOBBERED,
    .env_reg = JIT_ENV,
    .frame_reg = X86_RSP,
    .frame_offset = 0,
    .frame_size = JIT_SPILL_SIZE,
    .order = jit_reg_order,
    .nb_order = sizeof(jit_reg_order),
    .mov = jit_ra_mov,
    .ld = jit_ra_ld,
    .st = jit_ra_st,
    .movi = jit_ra_movi,
    .sti = jit_ra_sti,
};

/* ---- op helpers ---- */
#define OARG(op, i) ((TCGv)(op)->args[i])
#define IARG(op, i) ((TCGv)(op)->args[(op)->nb_oargs + (i)])
#define CARG(op, i) ((op)->args[(op)->nb_oargs + (op)->nb_iargs + (i)])

static bool jit_is_const(JitCtx *j, TCGv t) { return j->s->temps[t].kind == TEMP_CONST; }
static uint64_t jit_cval(JitCtx *j, TCGv t) { return j->s->temps[t].val; }

/* Does constant t fit an imm32 of an op of width w (sign-extended for I64)? */
static bool jit_const_imm(JitCtx *j, TCGv t, int w)
{
    if (!jit_is_const(j, t))
        return false;
    return !w || x86_fits_i32((int64_t)jit_cval(j, t));
}

static int jit_in(JitCtx *j, const TCGOp *op, int i, uint32_t allowed)
{
    return ra_get_input(&j->ra, IARG(op, i), allowed);
}

/* registers of input i that the output may take over */
static uint32_t jit_reuse(JitCtx *j, const TCGOp *op, int i, int reg)
{
    TCGv t = IARG(op, i);
    for (int o = 0; o < op->nb_oargs; o++)
        if (OARG(op, o) == t)
            return R(reg);
    return ra_input_reusable(&j->ra, i) ? R(reg) : 0;
}

static int jit_out(JitCtx *j, const TCGOp *op, int o, uint32_t allowed, uint32_t reuse)
{
    return ra_alloc_output(&j->ra, OARG(op, o), allowed, reuse);
}

static void jit_mov(JitCtx *j, int w, int d, int s)
{
    if (d != s) {
        if (w)
            emit_mov_r64_r64(&j->jb, d, s);
        else
            emit_mov_r32_r32(&j->jb, d, s);
    }
}

static const uint8_t jit_cond_cc[] = {
    [TCG_COND_EQ] = X86_CC_E, [TCG_COND_NE] = X86_CC_NE,
    [TCG_COND_LT] = X86_CC_L, [TCG_COND_GE] = X86_CC_GE,
    [TCG_COND_LE] = X86_CC_LE, [TCG_COND_GT] = X86_CC_G,
    [TCG_COND_LTU] = X86_CC_B, [TCG_COND_GEU] = X86_CC_AE,
    [TCG_COND_LEU] = X86_CC_BE, [TCG_COND_GTU] = X86_CC_A,
    [TCG_COND_TSTEQ] = X86_CC_E, [TCG_COND_TSTNE] = X86_CC_NE,
};

/* Compare inputs ia, ib under c (not NEVER/ALWAYS); returns the host cc. */
static int jit_cmp(JitCtx *j, const TCGOp *op, TCGCond c, int w, int ia, int ib)
{
    if (jit_is_const(j, IARG(op, ia)) && !jit_is_const(j, IARG(op, ib))) {
        int t = ia;
        ia = ib;
        ib = t;
        c = tcg_swap_cond(c);
    }
    bool tst = c == TCG_COND_TSTEQ || c == TCG_COND_TSTNE;
    int ra = jit_in(j, op, ia, ALL);
    if (jit_const_imm(j, IARG(op, ib), w)) {
        int32_t imm = (int32_t)jit_cval(j, IARG(op, ib));
        if (tst)
            emit_test_ri(&j->jb, w, ra, imm);
        else if (imm == 0 && c != TCG_COND_LTU && c != TCG_COND_GEU && c != TCG_COND_LEU &&
                 c != TCG_COND_GTU)
            emit_test_rr(&j->jb, w, ra, ra);
        else
            emit_alu_ri(&j->jb, X86_ALU_CMP, w, ra, imm);
    } else {
        int rb = jit_in(j, op, ib, ALL);
        if (tst)
            emit_test_rr(&j->jb, w, ra, rb);
        else
            emit_alu_rr(&j->jb, X86_ALU_CMP, w, ra, rb);
    }
    return jit_cond_cc[c];
}

static void jit_jmp_label(JitCtx *j, int cc, int label)
{
    int32_t target = j->label_off[label];
    size_t at;
    if (cc < 0) {
        emit_jmp_rel32(&j->jb, 0);
    } else {
        emit_jcc_rel32(&j->jb, cc, 0);
    }
    at = j->jb.off - 4;
    if (target >= 0) {
        jit_patch_u32(&j->jb, at, (uint32_t)(target - (int32_t)(at + 4)));
    } else {
        j->relocs = jit_grow(j->relocs, &j->cap_relocs, j->nb_relocs + 1, sizeof(JitReloc));
        j->relocs[j->nb_relocs++] = (JitReloc){ (uint32_t)at, label };
    }
}

/* ---- arithmetic ---- */
static void jit_gen_alu(JitCtx *j, const TCGOp *op, int alu, bool commutative)
{
    int w = op->type == TCG_TYPE_I64;
    int ia = 0, ib = 1;
    if (commutative && jit_is_const(j, IARG(op, 0)) && !jit_is_const(j, IARG(op, 1))) {
        ia = 1;
        ib = 0;
    }
    int ra = jit_in(j, op, ia, ALL);
    if (jit_const_imm(j, IARG(op, ib), w)) {
        int32_t imm = (int32_t)jit_cval(j, IARG(op, ib));
        int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, ia, ra));
        if ((alu == X86_ALU_ADD || (alu == X86_ALU_SUB && imm != INT32_MIN)) && rd != ra) {
            /* three-operand add through lea */
            emit_op_rm(&j->jb, 0, 0x8d, 1, w, rd, ra, alu == X86_ALU_ADD ? imm : -imm, false);
            return;
        }
        jit_mov(j, w, rd, ra);
        emit_alu_ri(&j->jb, alu, w, rd, imm);
        return;
    }
    int rb = jit_in(j, op, ib, ALL);
    uint32_t reuse = jit_reuse(j, op, ia, ra);
    if (commutative)
        reuse |= jit_reuse(j, op, ib, rb);
    int rd = jit_out(j, op, 0, ALL, reuse);
    if (rd == rb && rd != ra) {
        emit_alu_rr(&j->jb, alu, w, rd, ra);       /* commutative only */
    } else if (alu == X86_ALU_ADD && rd != ra) {
        emit_lea_r_bi(&j->jb, w, rd, ra, rb);
    } else {
        jit_mov(j, w, rd, ra);
        emit_alu_rr(&j->jb, alu, w, rd, rb);
    }
}

static void jit_gen_mul(JitCtx *j, const TCGOp *op)
{
    int w = op->type == TCG_TYPE_I64;
    int ia = 0, ib = 1;
    if (jit_is_const(j, IARG(op, 0)) && !jit_is_const(j, IARG(op, 1))) {
        ia = 1;
        ib = 0;
    }
    int ra = jit_in(j, op, ia, ALL);
    if (jit_const_imm(j, IARG(op, ib), w)) {
        int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, ia, ra));
        emit_imul_rri(&j->jb, w, rd, ra, (int32_t)jit_cval(j, IARG(op, ib)));
        return;
    }
    int rb = jit_in(j, op, ib, ALL);
    int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, ia, ra) | jit_reuse(j, op, ib, rb));
    if (rd == rb) {
        emit_imul_rr(&j->jb, w, rd, ra);
    } else {
        jit_mov(j, w, rd, ra);
        emit_imul_rr(&j->jb, w, rd, rb);
    }
}

static void jit_gen_mul2(JitCtx *j, const TCGOp *op, bool sign)
{
    int w = op->type == TCG_TYPE_I64;
    jit_in(j, op, 0, R(X86_RAX));
    int rb = jit_in(j, op, 1, ALL & ~(R(X86_RAX) | R(X86_RDX)));
    jit_out(j, op, 0, R(X86_RAX), 0);
    jit_out(j, op, 1, R(X86_RDX), 0);
    if (sign)
        emit_imul1_r(&j->jb, w, rb);
    else
        emit_mul_r(&j->jb, w, rb);
}

static void jit_gen_unary(JitCtx *j, const TCGOp *op, int digit)
{
    int w = op->type == TCG_TYPE_I64;
    int ra = jit_in(j, op, 0, ALL);
    int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, ra));
    jit_mov(j, w, rd, ra);
    emit_grp3(&j->jb, w, digit, rd);
}

static void jit_gen_andc(JitCtx *j, const TCGOp *op)
{
    int w = op->type == TCG_TYPE_I64;
    int ra = jit_in(j, op, 0, ALL);
    if (jit_is_const(j, IARG(op, 1))) {
        uint64_t nb = ~jit_cval(j, IARG(op, 1));
        if (!w || x86_fits_i32((int64_t)nb)) {
            int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, ra));
            jit_mov(j, w, rd, ra);
            emit_alu_ri(&j->jb, X86_ALU_AND, w, rd, (int32_t)nb);
            return;
        }
    }
    int rb = jit_in(j, op, 1, ALL);
    int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, ra));
    jit_mov(j, w, JIT_TMP0, rb);
    emit_not_r(&j->jb, w, JIT_TMP0);
    jit_mov(j, w, rd, ra);
    emit_alu_rr(&j->jb, X86_ALU_AND, w, rd, JIT_TMP0);
}

static void jit_gen_shift(JitCtx *j, const TCGOp *op, int sh)
{
    int w = op->type == TCG_TYPE_I64;
    if (jit_is_const(j, IARG(op, 1))) {
        int cnt = (int)(jit_cval(j, IARG(op, 1)) & (w ? 63 : 31));
        int ra = jit_in(j, op, 0, ALL);
        int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, ra));
        jit_mov(j, w, rd, ra);
        if (cnt)
            emit_shift_ri(&j->jb, sh, w, rd, cnt);
        return;
    }
    jit_in(j, op, 1, R(X86_RCX));
    int ra = jit_in(j, op, 0, ALL);
    uint32_t reuse = ra == X86_RCX ? 0 : jit_reuse(j, op, 0, ra);
    int rd = jit_out(j, op, 0, ALL & ~R(X86_RCX), reuse);
    jit_mov(j, w, rd, ra);
    emit_shift_rcl(&j->jb, sh, w, rd);
}

/* a ? clz/ctz(a) : b */
static void jit_gen_bitscan(JitCtx *j, const TCGOp *op, bool is_clz)
{
    int w = op->type == TCG_TYPE_I64;
    unsigned width = w ? 64 : 32;
    int ra = jit_in(j, op, 0, ALL);
    bool hw = is_clz ? (j->features & JIT_FEAT_LZCNT) : (j->features & JIT_FEAT_BMI1);
    bool b_is_width = jit_is_const(j, IARG(op, 1)) && jit_cval(j, IARG(op, 1)) == width;
    int rb = (hw && b_is_width) ? -1 : jit_in(j, op, 1, ALL);
    int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, ra) | (rb >= 0 ? jit_reuse(j, op, 1, rb) : 0));
    if (hw) {
        /* lzcnt/tzcnt: CF = source was zero */
        if (is_clz)
            emit_lzcnt_rr(&j->jb, w, JIT_TMP0, ra);
        else
            emit_tzcnt_rr(&j->jb, w, JIT_TMP0, ra);
        if (rb >= 0)
            emit_cmovcc_rr(&j->jb, X86_CC_B, w, JIT_TMP0, rb);
    } else if (is_clz) {
        emit_bsr_rr(&j->jb, w, JIT_TMP0, ra);
        emit_alu_ri(&j->jb, X86_ALU_XOR, w, JIT_TMP0, (int32_t)(width - 1));
        emit_test_rr(&j->jb, w, ra, ra);
        emit_cmovcc_rr(&j->jb, X86_CC_E, w, JIT_TMP0, rb);
    } else {
        emit_bsf_rr(&j->jb, w, JIT_TMP0, ra);     /* ZF = source was zero */
        emit_cmovcc_rr(&j->jb, X86_CC_E, w, JIT_TMP0, rb);
    }
    jit_mov(j, w, rd, JIT_TMP0);
}

static void jit_gen_ctpop(JitCtx *j, const TCGOp *op)
{
    int w = op->type == TCG_TYPE_I64;
    int ra = jit_in(j, op, 0, ALL);
    int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, ra));
    if (j->features & JIT_FEAT_POPCNT) {
        emit_popcnt_rr(&j->jb, w, rd, ra);
        return;
    }
    /* SWAR popcount; rd is free scratch once ra is copied */
    JitBuf *jb = &j->jb;
    uint64_t m1 = 0x5555555555555555ull, m2 = 0x3333333333333333ull;
    uint64_t m4 = 0x0f0f0f0f0f0f0f0full, h01 = 0x0101010101010101ull;
    int x = JIT_TMP0, t = JIT_TMP1;
    jit_mov(j, w, x, ra);
    jit_mov(j, w, t, x);
    emit_shift_ri(jb, X86_SH_SHR, w, t, 1);
    emit_movi(jb, w, rd, m1);
    emit_alu_rr(jb, X86_ALU_AND, w, t, rd);
    emit_alu_rr(jb, X86_ALU_SUB, w, x, t);
    emit_movi(jb, w, rd, m2);
    jit_mov(j, w, t, x);
    emit_alu_rr(jb, X86_ALU_AND, w, t, rd);
    emit_shift_ri(jb, X86_SH_SHR, w, x, 2);
    emit_alu_rr(jb, X86_ALU_AND, w, x, rd);
    emit_alu_rr(jb, X86_ALU_ADD, w, x, t);
    jit_mov(j, w, t, x);
    emit_shift_ri(jb, X86_SH_SHR, w, t, 4);
    emit_alu_rr(jb, X86_ALU_ADD, w, x, t);
    emit_movi(jb, w, rd, m4);
    emit_alu_rr(jb, X86_ALU_AND, w, x, rd);
    emit_movi(jb, w, rd, h01);
    emit_imul_rr(jb, w, x, rd);
    emit_shift_ri(jb, X86_SH_SHR, w, x, w ? 56 : 24);
    jit_mov(j, w, rd, x);
}

/* and reg with a mask of width w, through TMP1 when it is no imm32 */
static void jit_and_mask(JitCtx *j, int w, int r, uint64_t mask)
{
    if (!w)
        mask = (uint32_t)mask;
    if (!w || x86_fits_i32((int64_t)mask)) {
        emit_alu_ri(&j->jb, X86_ALU_AND, w, r, (int32_t)mask);
    } else if (mask == 0xffffffffu) {
        emit_mov_r32_r32(&j->jb, r, r);
    } else {
        emit_movi(&j->jb, 1, JIT_TMP1, mask);
        emit_alu_rr(&j->jb, X86_ALU_AND, 1, r, JIT_TMP1);
    }
}

static void jit_gen_deposit(JitCtx *j, const TCGOp *op)
{
    int w = op->type == TCG_TYPE_I64;
    unsigned width = w ? 64 : 32;
    unsigned pos = (unsigned)CARG(op, 0), len = (unsigned)CARG(op, 1);
    int ra = jit_in(j, op, 0, ALL);
    int rb = jit_in(j, op, 1, ALL);
    int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, ra));
    if (len >= width) {
        jit_mov(j, w, rd, rb);
        return;
    }
    uint64_t mask = (1ull << len) - 1;
    uint64_t wmask = w ? ~0ull : 0xffffffffull;
    jit_mov(j, w, JIT_TMP0, rb);
    jit_and_mask(j, w, JIT_TMP0, mask);
    if (pos)
        emit_shift_ri(&j->jb, X86_SH_SHL, w, JIT_TMP0, (int)pos);
    jit_mov(j, w, rd, ra);
    jit_and_mask(j, w, rd, ~(mask << pos) & wmask);
    emit_alu_rr(&j->jb, X86_ALU_OR, w, rd, JIT_TMP0);
}

static void jit_gen_extract(JitCtx *j, const TCGOp *op, bool sign)
{
    int w = op->type == TCG_TYPE_I64;
    unsigned width = w ? 64 : 32;
    unsigned pos = (unsigned)CARG(op, 0), len = (unsigned)CARG(op, 1);
    int ra = jit_in(j, op, 0, ALL);
    int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, ra));
    JitBuf *jb = &j->jb;
    if (pos == 0 && len >= width) {
        jit_mov(j, w, rd, ra);
        return;
    }
    if (pos == 0 && (len == 8 || len == 16 || (len == 32 && w))) {
        if (len == 8)
            sign ? (w ? emit_movsx_r64_r8(jb, rd, ra) : emit_movsx_r32_r8(jb, rd, ra)) : emit_movzx_r32_r8(jb, rd, ra);
        else if (len == 16)
            sign ? (w ? emit_movsx_r64_r16(jb, rd, ra) : emit_movsx_r32_r16(jb, rd, ra)) : emit_movzx_r32_r16(jb, rd, ra);
        else
            sign ? emit_movsxd_r64_r32(jb, rd, ra) : emit_mov_r32_r32(jb, rd, ra);
        return;
    }
    jit_mov(j, w, rd, ra);
    if (!sign && pos + len == width) {
        emit_shift_ri(jb, X86_SH_SHR, w, rd, (int)pos);
    } else if (!sign && len <= 31) {
        if (pos)
            emit_shift_ri(jb, X86_SH_SHR, w, rd, (int)pos);
        emit_alu_ri(jb, X86_ALU_AND, w, rd, (int32_t)((1u << len) - 1));
    } else {
        if (width - pos - len)
            emit_shift_ri(jb, X86_SH_SHL, w, rd, (int)(width - pos - len));
        emit_shift_ri(jb, sign ? X86_SH_SAR : X86_SH_SHR, w, rd, (int)(width - len));
    }
}

static void jit_gen_setcond(JitCtx *j, const TCGOp *op, bool neg)
{
    int w = op->type == TCG_TYPE_I64;
    TCGCond c = (TCGCond)CARG(op, 0);
    if (c == TCG_COND_NEVER || c == TCG_COND_ALWAYS) {
        int rd = jit_out(j, op, 0, ALL, 0);
        uint64_t v = c == TCG_COND_ALWAYS ? (neg ? ~0ull : 1) : 0;
        emit_movi(&j->jb, w, rd, w ? v : (uint32_t)v);
        return;
    }
    int cc = jit_cmp(j, op, c, w, 0, 1);
    int rd = jit_out(j, op, 0, ALL, 0);
    emit_setcc_r8(&j->jb, cc, JIT_TMP0);
    emit_movzx_r32_r8(&j->jb, rd, JIT_TMP0);
    if (neg)
        emit_neg_r(&j->jb, w, rd);
}

static void jit_gen_movcond(JitCtx *j, const TCGOp *op)
{
    int w = op->type == TCG_TYPE_I64;
    TCGCond c = (TCGCond)CARG(op, 0);
    if (c == TCG_COND_NEVER || c == TCG_COND_ALWAYS) {
        int i = c == TCG_COND_ALWAYS ? 2 : 3;
        int rv = jit_in(j, op, i, ALL);
        int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, i, rv));
        jit_mov(j, w, rd, rv);
        return;
    }
    int cc = jit_cmp(j, op, c, w, 0, 1);
    int r1 = jit_in(j, op, 2, ALL);
    int r2 = jit_in(j, op, 3, ALL);
    int rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 3, r2));
    if (rd == r1 && rd != r2) {
        /* cannot happen with the reuse rule above, but stay correct */
        emit_cmovcc_rr(&j->jb, cc ^ 1, w, rd, r2);
        return;
    }
    jit_mov(j, w, rd, r2);                  /* mov keeps the flags */
    emit_cmovcc_rr(&j->jb, cc, w, rd, r1);
}

/* ---- env-relative loads and stores ---- */
static void jit_gen_ld(JitCtx *j, const TCGOp *op)
{
    int w = op->type == TCG_TYPE_I64;
    int32_t off = (int32_t)CARG(op, 0);
    int rd = jit_out(j, op, 0, ALL, 0);
    JitBuf *jb = &j->jb;
    switch (op->opc) {
    case INDEX_op_ld8u: emit_movzx_r32_m8(jb, rd, JIT_ENV, off); break;
    case INDEX_op_ld8s: w ? emit_movsx_r64_m8(jb, rd, JIT_ENV, off) : emit_movsx_r32_m8(jb, rd, JIT_ENV, off); break;
    case INDEX_op_ld16u: emit_movzx_r32_m16(jb, rd, JIT_ENV, off); break;
    case INDEX_op_ld16s: w ? emit_movsx_r64_m16(jb, rd, JIT_ENV, off) : emit_movsx_r32_m16(jb, rd, JIT_ENV, off); break;
    case INDEX_op_ld32u: emit_mov_r32_m32(jb, rd, JIT_ENV, off); break;
    case INDEX_op_ld32s: w ? emit_movsxd_r64_m32(jb, rd, JIT_ENV, off) : emit_mov_r32_m32(jb, rd, JIT_ENV, off); break;
    default: w ? emit_mov_r64_m64(jb, rd, JIT_ENV, off) : emit_mov_r32_m32(jb, rd, JIT_ENV, off); break;
    }
}

static void jit_gen_st(JitCtx *j, const TCGOp *op)
{
    int w = op->type == TCG_TYPE_I64;
    int32_t off = (int32_t)CARG(op, 0);
    TCGv v = IARG(op, 0);
    JitBuf *jb = &j->jb;
    int size = op->opc == INDEX_op_st8 ? 1 : op->opc == INDEX_op_st16 ? 2 : op->opc == INDEX_op_st32 ? 4 : (w ? 8 : 4);
    if (jit_is_const(j, v) && (size < 8 || x86_fits_i32((int64_t)jit_cval(j, v)))) {
        uint64_t c = jit_cval(j, v);
        switch (size) {
        case 1: emit_mov_m8_imm8(jb, JIT_ENV, off, (uint8_t)c); break;
        case 2: emit_mov_m16_imm16(jb, JIT_ENV, off, (uint16_t)c); break;
        case 4: emit_mov_m32_imm32(jb, JIT_ENV, off, (uint32_t)c); break;
        default: emit_mov_m64_imm32(jb, JIT_ENV, off, (int32_t)c); break;
        }
        return;
    }
    int rv = jit_in(j, op, 0, ALL);
    switch (size) {
    case 1: emit_mov_m8_r8(jb, JIT_ENV, off, rv); break;
    case 2: emit_mov_m16_r16(jb, JIT_ENV, off, rv); break;
    case 4: emit_mov_m32_r32(jb, JIT_ENV, off, rv); break;
    default: emit_mov_m64_r64(jb, JIT_ENV, off, rv); break;
    }
}

/* ---- guest memory ---- */

/* load from [base + index] with the extension memop/type ask for */
static void jit_ld_host(JitCtx *j, int w, MemOp mop, int rd, int base, int index)
{
    JitBuf *jb = &j->jb;
    bool sign = mop & MO_SIGN;
    switch (mop & MO_SIZE) {
    case MO_8:
        sign ? (w ? emit_movsx_r64_m8_bi(jb, rd, base, index) : emit_movsx_r32_m8_bi(jb, rd, base, index))
             : emit_movzx_r32_m8_bi(jb, rd, base, index);
        break;
    case MO_16:
        sign ? (w ? emit_movsx_r64_m16_bi(jb, rd, base, index) : emit_movsx_r32_m16_bi(jb, rd, base, index))
             : emit_movzx_r32_m16_bi(jb, rd, base, index);
        break;
    case MO_32:
        (sign && w) ? emit_movsxd_r64_m32_bi(jb, rd, base, index) : emit_mov_r32_m32_bi(jb, rd, base, index);
        break;
    default:
        w ? emit_mov_r64_m64_bi(jb, rd, base, index) : emit_mov_r32_m32_bi(jb, rd, base, index);
        break;
    }
}

/* the slow path's result in rax -> rd, extended like the fast path */
static void jit_ext_result(JitCtx *j, int w, MemOp mop, int rd)
{
    JitBuf *jb = &j->jb;
    bool sign = mop & MO_SIGN;
    switch (mop & MO_SIZE) {
    case MO_8:
        sign ? (w ? emit_movsx_r64_r8(jb, rd, X86_RAX) : emit_movsx_r32_r8(jb, rd, X86_RAX))
             : emit_movzx_r32_r8(jb, rd, X86_RAX);
        break;
    case MO_16:
        sign ? (w ? emit_movsx_r64_r16(jb, rd, X86_RAX) : emit_movsx_r32_r16(jb, rd, X86_RAX))
             : emit_movzx_r32_r16(jb, rd, X86_RAX);
        break;
    case MO_32:
        (sign && w) ? emit_movsxd_r64_r32(jb, rd, X86_RAX) : emit_mov_r32_r32(jb, rd, X86_RAX);
        break;
    default:
        w ? emit_mov_r64_r64(jb, rd, X86_RAX) : emit_mov_r32_r32(jb, rd, X86_RAX);
        break;
    }
}

static void jit_call_abs(JitCtx *j, const void *fn)
{
    int64_t rel = (intptr_t)fn - (intptr_t)(j->rx + j->jb.off + 5);
    if (x86_fits_i32(rel)) {
        emit_call_rel32(&j->jb, (int32_t)rel);
    } else {
        emit_movabs_r64_imm64(&j->jb, JIT_TMP0, (uint64_t)(uintptr_t)fn);
        emit_call_r64(&j->jb, JIT_TMP0);
    }
}

/* Call helper_ld_mmu/helper_st_mmu preserving sl->save_mask. retaddr is a
 * host address inside the guest instruction's inline code (see README). */
static void jit_emit_slow_call(JitCtx *j, const JitSlow *sl, uintptr_t retaddr, size_t *retaddr_at)
{
    JitBuf *jb = &j->jb;
    for (int r = 0; r < 16; r++)
        if (sl->save_mask & R(r))
            emit_mov_m64_r64(jb, X86_RSP, JIT_SAVE_OFF + 8 * r, r);
    emit_mov_r64_r64(jb, JIT_TMP0, sl->addr_reg);
    if (sl->is_st && sl->val_reg < 0)
        emit_movi(jb, 1, JIT_TMP1, sl->val_const);
    else if (sl->is_st)
        emit_mov_r64_r64(jb, JIT_TMP1, sl->val_reg);
    emit_mov_r64_r64(jb, X86_RDI, JIT_ENV);
    emit_mov_r64_r64(jb, X86_RSI, JIT_TMP0);
    int ra_reg;
    if (sl->is_st) {
        emit_mov_r64_r64(jb, X86_RDX, JIT_TMP1);
        emit_mov_r32_imm32(jb, X86_RCX, sl->memop_idx);
        ra_reg = X86_R8;
    } else {
        emit_mov_r32_imm32(jb, X86_RDX, sl->memop_idx);
        ra_reg = X86_RCX;
    }
    emit_movabs_r64_imm64(jb, ra_reg, retaddr);
    if (retaddr_at)
        *retaddr_at = jb->off - 8;
    jit_call_abs(j, sl->is_st ? (const void *)helper_st_mmu : (const void *)helper_ld_mmu);
    if (!sl->is_st)
        jit_ext_result(j, sl->type == TCG_TYPE_I64, (MemOp)sl->memop, sl->val_reg);
    for (int r = 0; r < 16; r++)
        if (sl->save_mask & R(r))
            emit_mov_r64_m64(jb, r, X86_RSP, JIT_SAVE_OFF + 8 * r);
}

static void jit_gen_qemu_ldst(JitCtx *j, const TCGOp *op, bool is_st)
{
    int w = op->type == TCG_TYPE_I64;
    MemOp mop = (MemOp)CARG(op, 0);
    int mmu_idx = (int)CARG(op, 1);
    JitBuf *jb = &j->jb;
    ra_sync_globals(&j->ra);               /* may fault: env must be exact */
    int rv = -1, raddr;
    /* a constant store value goes in as an immediate (64-bit: if it fits) */
    bool st_imm = is_st && jit_is_const(j, IARG(op, 0)) &&
                  ((mop & MO_SIZE) != MO_64 || x86_fits_i32((int64_t)jit_cval(j, IARG(op, 0))));
    uint64_t cval = st_imm ? jit_cval(j, IARG(op, 0)) : 0;
    if (is_st) {
        rv = st_imm ? -1 : jit_in(j, op, 0, ALL);
        raddr = jit_in(j, op, 1, ALL);
    } else {
        raddr = jit_in(j, op, 0, ALL);
        rv = jit_out(j, op, 0, ALL, 0);
    }
    JitSlow sl = {
        .memop_idx = (uint16_t)MEMOP_IDX(mop, mmu_idx),
        .is_st = is_st, .memop = (uint8_t)mop, .type = (uint8_t)op->type,
        .addr_reg = (int8_t)raddr, .val_reg = (int8_t)rv, .val_const = cval,
    };
    sl.save_mask = ra_live_regs(&j->ra) & JIT_CALL_CLOBBERED;
    if (!is_st)
        sl.save_mask &= ~R(rv);

    bool inline_tlb = j->cpu ? j->cpu->tlb_inline : true;
    if (!inline_tlb) {
        size_t at = 0;
        jit_emit_slow_call(j, &sl, 0, &at);
        jit_patch_u64(jb, at, (uint64_t)(uintptr_t)(j->rx + jb->off));
        return;
    }
    unsigned s_mask = (1u << (mop & MO_SIZE)) - 1;
    unsigned a_mask = (mop & MO_ALIGN) ? s_mask : 0;
    int32_t tlb_off = (int32_t)(offsetof(CPUState, tlb_table) + sizeof(CPUTLBEntry *) * (size_t)mmu_idx);
    int32_t cmp_off = is_st ? (int32_t)offsetof(CPUTLBEntry, addr_write) : (int32_t)offsetof(CPUTLBEntry, addr_read);

    emit_mov_r64_r64(jb, JIT_TMP1, raddr);
    emit_shr_r64_imm(jb, JIT_TMP1, TARGET_PAGE_BITS - CPU_TLB_ENTRY_BITS);
    emit_and_r32_imm(jb, JIT_TMP1, (CPU_TLB_SIZE - 1) << CPU_TLB_ENTRY_BITS);
    emit_add_r64_m64(jb, JIT_TMP1, JIT_ENV, tlb_off);
    if (s_mask > a_mask)
        emit_lea_r64_m(jb, JIT_TMP0, raddr, (int32_t)(s_mask - a_mask));
    else
        emit_mov_r64_r64(jb, JIT_TMP0, raddr);
    emit_and_r64_imm(jb, JIT_TMP0, (int32_t)(TARGET_PAGE_MASK | a_mask));
    emit_cmp_r64_m64(jb, JIT_TMP0, JIT_TMP1, cmp_off);
    emit_jcc_rel32(jb, X86_CC_NE, 0);
    sl.jcc_at = (uint32_t)(jb->off - 4);
    /* access [addend + A]: A is a full 64-bit index (an I32 address is
     * zero-extended in its register) */
    emit_mov_r64_m64(jb, JIT_TMP1, JIT_TMP1, (int32_t)offsetof(CPUTLBEntry, addend));
    if (st_imm) {
        switch (mop & MO_SIZE) {
        case MO_8: emit_mov_m8_imm8_bi(jb, JIT_TMP1, raddr, (uint8_t)cval); break;
        case MO_16: emit_mov_m16_imm16_bi(jb, JIT_TMP1, raddr, (uint16_t)cval); break;
        case MO_32: emit_mov_m32_imm32_bi(jb, JIT_TMP1, raddr, (uint32_t)cval); break;
        default: emit_mov_m64_imm32_bi(jb, JIT_TMP1, raddr, (int32_t)cval); break;
        }
    } else if (is_st) {
        switch (mop & MO_SIZE) {
        case MO_8: emit_mov_m8_r8_bi(jb, JIT_TMP1, raddr, rv); break;
        case MO_16: emit_mov_m16_r16_bi(jb, JIT_TMP1, raddr, rv); break;
        case MO_32: emit_mov_m32_r32_bi(jb, JIT_TMP1, raddr, rv); break;
        default: emit_mov_m64_r64_bi(jb, JIT_TMP1, raddr, rv); break;
        }
    } else {
        jit_ld_host(j, w, mop, rv, JIT_TMP1, raddr);
    }
    sl.back = (uint32_t)jb->off;
    j->slows = jit_grow(j->slows, &j->cap_slows, j->nb_slows + 1, sizeof(JitSlow));
    j->slows[j->nb_slows++] = sl;
}

/* ---- helper calls ---- */
static const int8_t jit_arg_regs[] = { X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8, X86_R9 };

/* Where an argument comes from, noted before ra_before_call (which only
 * emits stores and register moves, so a register noted here still holds
 * the value afterwards). */
typedef struct JitArgSrc {
    int8_t reg;                    /* >= 0: a register; else imm or [base + off] */
    int8_t w, base;
    int32_t off;
    bool is_imm;
    uint64_t imm;
} JitArgSrc;

static void jit_gen_call(JitCtx *j, const TCGOp *op)
{
    const TCGHelperInfo *info = (const TCGHelperInfo *)(uintptr_t)CARG(op, 0);
    JitBuf *jb = &j->jb;
    int nargs = op->nb_iargs < 6 ? op->nb_iargs : 6;
    JitArgSrc src[6];
    for (int i = 0; i < nargs; i++) {
        TCGv t = IARG(op, i);
        TCGTemp *ts = &j->s->temps[t];
        JitArgSrc *a = &src[i];
        uint64_t gc;
        *a = (JitArgSrc){ .reg = -1, .w = ts->type == TCG_TYPE_I64 };
        if (ts->kind == TEMP_CONST) {
            a->is_imm = true;
            a->imm = ts->val;
        } else if (ts->reg >= 0) {
            a->reg = ts->reg;
        } else if (ra_global_const(&j->ra, t, &gc)) {
            a->is_imm = true;
            a->imm = gc;
        } else {
            a->base = ts->kind == TEMP_GLOBAL ? JIT_ENV : X86_RSP;
            a->off = ts->mem_offset;
        }
    }
    /* lock the source registers: ra_before_call may move a value into a
     * register it has just freed, which must not be one of these */
    for (int i = 0; i < nargs; i++)
        if (src[i].reg >= 0)
            j->ra.locked |= R(src[i].reg);
    ra_before_call(&j->ra, info->flags);
    /* register sources first, as one parallel move into the argument
     * registers (a cycle is broken through r11); then constants and loads,
     * which read no argument register */
    bool pending[6] = { false };
    int nb_pending = 0;
    for (int i = 0; i < nargs; i++) {
        if (src[i].reg >= 0 && src[i].reg != jit_arg_regs[i]) {
            pending[i] = true;
            nb_pending++;
        }
    }
    while (nb_pending) {
        bool progress = false;
        for (int i = 0; i < nargs; i++) {
            if (!pending[i])
                continue;
            bool blocked = false;
            for (int k = 0; k < nargs; k++)
                blocked |= pending[k] && k != i && src[k].reg == jit_arg_regs[i];
            if (blocked)
                continue;
            jit_mov(j, src[i].w, jit_arg_regs[i], src[i].reg);
            pending[i] = false;
            nb_pending--;
            progress = true;
        }
        if (!progress) {
            /* every pending destination is still someone's source: a cycle */
            int i = 0;
            while (!pending[i])
                i++;
            int from = src[i].reg;
            emit_mov_r64_r64(jb, JIT_TMP0, from);
            for (int k = 0; k < nargs; k++)
                if (pending[k] && src[k].reg == from)
                    src[k].reg = JIT_TMP0;
        }
    }
    for (int i = 0; i < nargs; i++) {
        if (src[i].reg >= 0)
            continue;
        if (src[i].is_imm)
            emit_movi(jb, src[i].w, jit_arg_regs[i], src[i].imm);
        else
            jit_ra_ld(j, src[i].w ? TCG_TYPE_I64 : TCG_TYPE_I32, jit_arg_regs[i], src[i].base, src[i].off);
    }
    jit_call_abs(j, info->func);
    if (op->nb_oargs) {
        int rd = jit_out(j, op, 0, R(X86_RAX), 0);
        if (j->s->temps[OARG(op, 0)].type == TCG_TYPE_I32)
            emit_mov_r32_r32(jb, rd, rd);      /* the ABI leaves bits 32..63 undefined */
    }
}

/* ---- indirect jumps ---- */

_Static_assert(offsetof(TranslationBlock, cflags) == offsetof(TranslationBlock, flags) + 4,
               "flags and cflags are compared as one qword");
_Static_assert(sizeof(TranslationBlock *) == 8, "the jump cache index is scaled by 8");

/* The cflags helper_lookup_tb_ptr would look up with (tb_cpu_cflags in
 * tcg/tb.c, for a JIT CPU with chaining on). If the two ever disagree the
 * inline probe only misses and the helper decides: slower, never wrong. */
static uint32_t jit_lookup_cflags(const CPUState *cpu)
{
    return cpu->single_insn ? CF_SINGLE_INSN : 0;
}

/*
 * lookup_goto_ptr pc, flags, cs_base: probe cpu->tb_jmp_cache[hash(pc)]
 * inline, exactly like tb_lookup's first level, and jump straight to the
 * block's code on a hit; on a miss call helper_lookup_tb_ptr (the hash
 * table, or the exit path) and jump where it says. No tb->invalid test:
 * tb_invalidate removes a TB from the jump cache of the CPU whose TB cache
 * owns it (the only jump cache that can hold it) and tb_flush clears it, so
 * a TB found there is valid. tb->host_code needs no test either: only
 * tb_gen_code fills the cache, after the code exists, and interpreter TBs
 * carry a cflags bit the compare rejects.
 * With chaining off (the helper then always returns the exit path) or
 * -d exec (the helper logs every lookup) only the helper call is emitted.
 */
static void jit_gen_lookup_goto_ptr(JitCtx *j, const TCGOp *op)
{
    JitBuf *jb = &j->jb;
    uint32_t flags = (uint32_t)CARG(op, 0);
    uint64_t cs_base = CARG(op, 1);
    int rpc = jit_in(j, op, 0, ALL);     /* I32 is zero-extended: 64-bit ops see the key */
    ra_bb_exit(&j->ra);
    uint32_t miss[4];
    int nb_miss = 0;
    if (j->cpu && j->cpu->chain_enabled && !cpu_log_enabled(j->cpu, LOG_EXEC)) {
        int h = JIT_TMP0, tb = JIT_TMP0, k = JIT_TMP1;
        /* h = ((pc ^ (pc >> BITS)) & (SIZE - 1)) * 8: tb_jmp_cache_hash() */
        emit_mov_r64_r64(jb, h, rpc);
        emit_shr_r64_imm(jb, h, TB_JMP_CACHE_BITS);
        emit_alu_rr(jb, X86_ALU_XOR, 1, h, rpc);
        emit_alu_ri(jb, X86_ALU_AND, 0, h, TB_JMP_CACHE_SIZE - 1);
        emit_shl_r64_imm(jb, h, 3);
        emit_add_r64_m64(jb, h, JIT_ENV, (int32_t)offsetof(CPUState, tb_jmp_cache_ptr));
        emit_mov_r64_m64(jb, tb, h, 0);
        emit_test_rr(jb, 1, tb, tb);
        emit_jcc_rel32(jb, X86_CC_E, 0);
        miss[nb_miss++] = (uint32_t)(jb->off - 4);
        emit_cmp_r64_m64(jb, rpc, tb, (int32_t)offsetof(TranslationBlock, pc));
        emit_jcc_rel32(jb, X86_CC_NE, 0);
        miss[nb_miss++] = (uint32_t)(jb->off - 4);
        /* flags | cflags << 32 and cs_base: imm32 when it sign-extends to
         * the value (flat guests: cs_base 0), else through r10 */
        uint64_t key[2] = { flags | (uint64_t)jit_lookup_cflags(j->cpu) << 32, cs_base };
        int32_t key_off[2] = { (int32_t)offsetof(TranslationBlock, flags),
                               (int32_t)offsetof(TranslationBlock, cs_base) };
        for (int i = 0; i < 2; i++) {
            if ((int64_t)key[i] == (int8_t)key[i]) {
                emit_op_rm(jb, 0, 0x83, 1, 1, X86_ALU_CMP, tb, key_off[i], false);   /* cmp qword [tb+off], imm8 */
                emit_u8(jb, (uint8_t)key[i]);
            } else if (x86_fits_i32((int64_t)key[i])) {
                emit_op_rm(jb, 0, 0x81, 1, 1, X86_ALU_CMP, tb, key_off[i], false);   /* cmp qword [tb+off], imm32 */
                emit_u32(jb, (uint32_t)key[i]);
            } else {
                emit_movabs_r64_imm64(jb, k, key[i]);
                emit_cmp_r64_m64(jb, k, tb, key_off[i]);
            }
            emit_jcc_rel32(jb, X86_CC_NE, 0);
            miss[nb_miss++] = (uint32_t)(jb->off - 4);
        }
        emit_op_rm(jb, 0, 0xff, 1, 0, 4, tb, (int32_t)offsetof(TranslationBlock, host_code), false); /* jmp [tb+host_code] */
    }
    for (int i = 0; i < nb_miss; i++)
        jit_patch_u32(jb, miss[i], (uint32_t)(jb->off - (miss[i] + 4)));
    emit_mov_r64_r64(jb, X86_RDI, JIT_ENV);
    jit_call_abs(j, (const void *)helper_lookup_tb_ptr);
    emit_jmp_r64(jb, X86_RAX);
}

/* ---- the op loop ---- */
static void jit_gen_op(JitCtx *j, const TCGOp *op)
{
    int w = op->type == TCG_TYPE_I64;
    JitBuf *jb = &j->jb;
    RegAlloc *ra = &j->ra;
    int rd, rs;

    switch ((TCGOpcode)op->opc) {
    case INDEX_op_insn_start:
        if (j->insn_idx > 0)
            j->insn_end_off[j->insn_idx - 1] = (uint32_t)jb->off;
        j->insn_data[j->insn_idx][0] = CARG(op, 0);
        j->insn_data[j->insn_idx][1] = CARG(op, 1);
        j->insn_idx++;
        break;
    case INDEX_op_set_label:
        ra_label(ra);
        j->label_off[CARG(op, 0)] = (int32_t)jb->off;
        break;
    case INDEX_op_br:
        ra_bb_end(ra);
        jit_jmp_label(j, -1, (int)CARG(op, 0));
        break;
    case INDEX_op_brcond: {
        TCGCond c = (TCGCond)CARG(op, 0);
        if (c == TCG_COND_NEVER || c == TCG_COND_ALWAYS) {
            ra_bb_end(ra);
            if (c == TCG_COND_ALWAYS)
                jit_jmp_label(j, -1, (int)CARG(op, 1));
            break;
        }
        /* fetch inputs, write back (stores only), then compare and branch */
        TCGv a = IARG(op, 0), b = IARG(op, 1);
        int ia = 0, ib = 1;
        if (jit_is_const(j, a) && !jit_is_const(j, b)) {
            ia = 1;
            ib = 0;
            c = tcg_swap_cond(c);
        }
        bool tst = c == TCG_COND_TSTEQ || c == TCG_COND_TSTNE;
        int r1 = jit_in(j, op, ia, ALL);
        bool imm = jit_const_imm(j, IARG(op, ib), w);
        int r2 = imm ? -1 : jit_in(j, op, ib, ALL);
        ra_bb_end(ra);
        if (imm) {
            int32_t v = (int32_t)jit_cval(j, IARG(op, ib));
            if (tst)
                emit_test_ri(jb, w, r1, v);
            else if (v == 0 && (c == TCG_COND_EQ || c == TCG_COND_NE || c == TCG_COND_LT || c == TCG_COND_GE))
                emit_test_rr(jb, w, r1, r1);
            else
                emit_alu_ri(jb, X86_ALU_CMP, w, r1, v);
        } else if (tst) {
            emit_test_rr(jb, w, r1, r2);
        } else {
            emit_alu_rr(jb, X86_ALU_CMP, w, r1, r2);
        }
        jit_jmp_label(j, jit_cond_cc[c], (int)CARG(op, 1));
        break;
    }
    case INDEX_op_exit_check:
        ra_sync_globals(ra);
        emit_cmp_m32_imm8(jb, JIT_ENV, (int32_t)offsetof(CPUState, exit_request), 0);
        emit_jcc_rel32(jb, X86_CC_NE, 0);
        j->exitreq = jit_grow(j->exitreq, &j->cap_exitreq, j->nb_exitreq + 1, sizeof(uint32_t));
        j->exitreq[j->nb_exitreq++] = (uint32_t)(jb->off - 4);
        break;
    case INDEX_op_goto_tb: {
        int n = (int)CARG(op, 0) & 1;
        ra_sync_globals(ra);                /* the chained block reads env */
        while ((jb->off + 1) & 3)
            emit_nop(jb);
        emit_jmp_rel32(jb, 0);
        if (j->tb) {
            j->tb->jmp_insn_offset[n] = (uint32_t)(jb->off - 4);
            j->tb->jmp_reset_offset[n] = (uint32_t)jb->off;
        }
        break;
    }
    case INDEX_op_exit_tb: {
        uint64_t v = CARG(op, 0);
        ra_bb_exit(ra);
        if (v == 0) {
            jit_jmp_abs(j, j->cb_rx + JIT_CB_EXIT0);
        } else {
            emit_movi(jb, 1, X86_RAX, v);
            jit_jmp_abs(j, j->cb_rx + JIT_CB_EPILOGUE);
        }
        break;
    }
    case INDEX_op_goto_ptr:
        rs = jit_in(j, op, 0, ALL);
        ra_bb_exit(ra);
        emit_jmp_r64(jb, rs);
        break;
    case INDEX_op_lookup_goto_ptr:
        jit_gen_lookup_goto_ptr(j, op);
        break;
    case INDEX_op_call:
        jit_gen_call(j, op);
        break;

    case INDEX_op_mov:
        if (jit_is_const(j, IARG(op, 0)) && j->s->temps[OARG(op, 0)].kind == TEMP_GLOBAL) {
            ra_set_global_const(ra, OARG(op, 0), jit_cval(j, IARG(op, 0)));
        } else if (jit_is_const(j, IARG(op, 0))) {
            rd = jit_out(j, op, 0, ALL, 0);
            emit_movi(jb, w, rd, jit_cval(j, IARG(op, 0)));
        } else {
            rs = jit_in(j, op, 0, ALL);
            rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, rs));
            jit_mov(j, w, rd, rs);
        }
        break;
    case INDEX_op_ext_i32_i64:
        rs = jit_in(j, op, 0, ALL);
        rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, rs));
        emit_movsxd_r64_r32(jb, rd, rs);
        break;
    case INDEX_op_extu_i32_i64:
        /* the I32 input is already zero-extended: a copy, or nothing when
         * the output takes over the dying input's register */
        rs = jit_in(j, op, 0, ALL);
        rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, rs));
        jit_mov(j, 0, rd, rs);
        break;
    case INDEX_op_extrl_i64_i32:
        rs = jit_in(j, op, 0, ALL);
        rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, rs));
        emit_mov_r32_r32(jb, rd, rs);
        break;
    case INDEX_op_extrh_i64_i32:
        rs = jit_in(j, op, 0, ALL);
        rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, rs));
        jit_mov(j, 1, rd, rs);
        emit_shr_r64_imm(jb, rd, 32);
        break;

    case INDEX_op_add: jit_gen_alu(j, op, X86_ALU_ADD, true); break;
    case INDEX_op_sub: jit_gen_alu(j, op, X86_ALU_SUB, false); break;
    case INDEX_op_and: jit_gen_alu(j, op, X86_ALU_AND, true); break;
    case INDEX_op_or:  jit_gen_alu(j, op, X86_ALU_OR, true); break;
    case INDEX_op_xor: jit_gen_alu(j, op, X86_ALU_XOR, true); break;
    case INDEX_op_mul: jit_gen_mul(j, op); break;
    case INDEX_op_mulu2: jit_gen_mul2(j, op, false); break;
    case INDEX_op_muls2: jit_gen_mul2(j, op, true); break;
    case INDEX_op_neg: jit_gen_unary(j, op, 3); break;
    case INDEX_op_not: jit_gen_unary(j, op, 2); break;
    case INDEX_op_andc: jit_gen_andc(j, op); break;
    case INDEX_op_shl:  jit_gen_shift(j, op, X86_SH_SHL); break;
    case INDEX_op_shr:  jit_gen_shift(j, op, X86_SH_SHR); break;
    case INDEX_op_sar:  jit_gen_shift(j, op, X86_SH_SAR); break;
    case INDEX_op_rotl: jit_gen_shift(j, op, X86_SH_ROL); break;
    case INDEX_op_rotr: jit_gen_shift(j, op, X86_SH_ROR); break;

    case INDEX_op_ext8s: case INDEX_op_ext8u: case INDEX_op_ext16s: case INDEX_op_ext16u:
    case INDEX_op_ext32s: case INDEX_op_ext32u:
        rs = jit_in(j, op, 0, ALL);
        rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, rs));
        switch (op->opc) {
        case INDEX_op_ext8s: w ? emit_movsx_r64_r8(jb, rd, rs) : emit_movsx_r32_r8(jb, rd, rs); break;
        case INDEX_op_ext8u: emit_movzx_r32_r8(jb, rd, rs); break;
        case INDEX_op_ext16s: w ? emit_movsx_r64_r16(jb, rd, rs) : emit_movsx_r32_r16(jb, rd, rs); break;
        case INDEX_op_ext16u: emit_movzx_r32_r16(jb, rd, rs); break;
        case INDEX_op_ext32s: w ? emit_movsxd_r64_r32(jb, rd, rs) : emit_mov_r32_r32(jb, rd, rs); break;
        default: emit_mov_r32_r32(jb, rd, rs); break;
        }
        break;
    case INDEX_op_bswap16:
    case INDEX_op_bswap32:
        rs = jit_in(j, op, 0, ALL);
        rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, rs));
        emit_mov_r32_r32(jb, rd, rs);
        emit_bswap_r(jb, 0, rd);
        if (op->opc == INDEX_op_bswap16)
            emit_shift_ri(jb, X86_SH_SHR, 0, rd, 16);
        break;
    case INDEX_op_bswap64:
        rs = jit_in(j, op, 0, ALL);
        rd = jit_out(j, op, 0, ALL, jit_reuse(j, op, 0, rs));
        jit_mov(j, 1, rd, rs);
        emit_bswap_r(jb, 1, rd);
        break;
    case INDEX_op_clz: jit_gen_bitscan(j, op, true); break;
    case INDEX_op_ctz: jit_gen_bitscan(j, op, false); break;
    case INDEX_op_ctpop: jit_gen_ctpop(j, op); break;
    case INDEX_op_deposit: jit_gen_deposit(j, op); break;
    case INDEX_op_extract: jit_gen_extract(j, op, false); break;
    case INDEX_op_sextract: jit_gen_extract(j, op, true); break;
    case INDEX_op_setcond: jit_gen_setcond(j, op, false); break;
    case INDEX_op_negsetcond: jit_gen_setcond(j, op, true); break;
    case INDEX_op_movcond: jit_gen_movcond(j, op); break;

    case INDEX_op_ld8u: case INDEX_op_ld8s: case INDEX_op_ld16u: case INDEX_op_ld16s:
    case INDEX_op_ld32u: case INDEX_op_ld32s: case INDEX_op_ld:
        jit_gen_ld(j, op);
        break;
    case INDEX_op_st8: case INDEX_op_st16: case INDEX_op_st32: case INDEX_op_st:
        jit_gen_st(j, op);
        break;
    case INDEX_op_qemu_ld: jit_gen_qemu_ldst(j, op, false); break;
    case INDEX_op_qemu_st: jit_gen_qemu_ldst(j, op, true); break;
    case NB_OPS:
        abort();
    }
}

/* Hand the (possibly grown) arrays back to jit_scratch. */
static void jit_ctx_free(JitCtx *j)
{
    jit_scratch.relocs = j->relocs;
    jit_scratch.cap_relocs = j->cap_relocs;
    jit_scratch.slows = j->slows;
    jit_scratch.cap_slows = j->cap_slows;
    jit_scratch.exitreq = j->exitreq;
    jit_scratch.cap_exitreq = j->cap_exitreq;
}

int jit_gen_code_features(CodeBuffer *cb, TCGContext *s, TranslationBlock *tb, CPUState *cpu,
                          uint32_t features)
{
    if (cb->used == 0)
        jit_init(cb);
    size_t start = (cb->used + 15) & ~(size_t)15;
    if (start + 256 > cb->size)
        return -1;

    JitCtx j;
    /* everything but the allocator's gconst[], which is only read for a
     * global ra_set_global_const wrote in this block */
    memset(&j, 0, offsetof(JitCtx, ra) + offsetof(RegAlloc, gconst));
    j.relocs = jit_scratch.relocs;
    j.cap_relocs = jit_scratch.cap_relocs;
    j.slows = jit_scratch.slows;
    j.cap_slows = jit_scratch.cap_slows;
    j.exitreq = jit_scratch.exitreq;
    j.cap_exitreq = jit_scratch.cap_exitreq;
    j.jb.buf = cb->rw + start;
    j.jb.cap = cb->size - start;
    j.rx = cb->rx + start;
    j.cb_rx = cb->rx;
    j.s = s;
    j.tb = tb;
    j.cpu = cpu;
    j.features = features;
    jit_scratch.label_off = jit_grow(jit_scratch.label_off, &jit_scratch.cap_labels, s->nb_labels + 1,
                                     sizeof(int32_t));
    j.label_off = jit_scratch.label_off;
    for (int i = 0; i < s->nb_labels; i++)
        j.label_off[i] = -1;
    j.nb_insns = (int)s->insn_start_count;
    /* per-insn arrays: filled in place if the TB layer already sized them */
    bool own_insns = !(tb && tb->insn_end_off && tb->insn_data && tb->nb_insns == (uint32_t)j.nb_insns);
    if (own_insns) {
        j.insn_end_off = calloc((size_t)j.nb_insns + 1, sizeof(uint32_t));
        j.insn_data = calloc((size_t)j.nb_insns + 1, sizeof(*j.insn_data));
        if (!j.insn_end_off || !j.insn_data)
            abort();
    } else {
        j.insn_end_off = tb->insn_end_off;
        j.insn_data = tb->insn_data;
    }

    ra_init(&j.ra, &jit_host_desc, &j, s);
    for (TCGOp *op = s->first_op; op; op = op->next) {
        ra_op_begin(&j.ra, op);
        jit_gen_op(&j, op);
        ra_op_end(&j.ra);
        if (j.jb.off > j.jb.cap)
            break;
    }
    if (j.insn_idx > 0)
        j.insn_end_off[j.insn_idx - 1] = (uint32_t)j.jb.off;

    /* out-of-line paths */
    for (int i = 0; i < j.nb_slows; i++) {
        JitSlow *sl = &j.slows[i];
        jit_patch_u32(&j.jb, sl->jcc_at, (uint32_t)(j.jb.off - (sl->jcc_at + 4)));
        /* way 1 of the same index: on a hit, resume the fast path with the
         * entry pointer moved to it (TMP0 still holds the compare value) */
        int32_t way1 = (int32_t)(CPU_TLB_SIZE * sizeof(CPUTLBEntry));
        int32_t cmp_off = sl->is_st ? (int32_t)offsetof(CPUTLBEntry, addr_write)
                                    : (int32_t)offsetof(CPUTLBEntry, addr_read);
        emit_cmp_r64_m64(&j.jb, JIT_TMP0, JIT_TMP1, way1 + cmp_off);
        emit_jcc_rel32(&j.jb, X86_CC_NE, 0);
        size_t miss_at = j.jb.off - 4;
        emit_lea_r64_m(&j.jb, JIT_TMP1, JIT_TMP1, way1);
        emit_jmp_rel32(&j.jb, (int32_t)(sl->jcc_at + 4 - (j.jb.off + 5)));
        jit_patch_u32(&j.jb, miss_at, (uint32_t)(j.jb.off - (miss_at + 4)));
        /* retaddr: the end of the jne, inside this guest insn's inline code */
        jit_emit_slow_call(&j, sl, (uintptr_t)(j.rx + sl->jcc_at + 4), NULL);
        emit_jmp_rel32(&j.jb, (int32_t)(sl->back - (j.jb.off + 5)));
    }
    if (j.nb_exitreq) {
        for (int i = 0; i < j.nb_exitreq; i++)
            jit_patch_u32(&j.jb, j.exitreq[i], (uint32_t)(j.jb.off - (j.exitreq[i] + 4)));
        emit_movi(&j.jb, 1, X86_RAX, (uint64_t)(uintptr_t)tb | TB_EXIT_REQUESTED);
        jit_jmp_abs(&j, j.cb_rx + JIT_CB_EPILOGUE);
    }
    for (int i = 0; i < j.nb_relocs; i++) {
        int32_t target = j.label_off[j.relocs[i].label];
        if (target < 0 && j.jb.off > j.jb.cap)
            continue;                       /* out of buffer before the label: -1 below */
        if (target < 0)
            abort();                        /* branch to a label never set */
        jit_patch_u32(&j.jb, j.relocs[i].at, (uint32_t)(target - (int32_t)(j.relocs[i].at + 4)));
    }

    bool ok = j.jb.off <= j.jb.cap;
    if (ok && tb) {
        tb->host_code = (uint8_t *)j.rx;
        tb->host_size = (uint32_t)j.jb.off;
        if (own_insns) {
            free(tb->insn_end_off);
            free(tb->insn_data);
            tb->nb_insns = (uint32_t)j.nb_insns;
            tb->insn_end_off = j.insn_end_off;
            tb->insn_data = j.insn_data;
        }
    } else if (own_insns) {
        free(j.insn_end_off);
        free(j.insn_data);
    }
    jit_ctx_free(&j);
    if (!ok)
        return -1;
    cb->used = start + j.jb.off;   /* the TB layer writes the perf map line */
    return 0;
}

int jit_gen_code(CodeBuffer *cb, TCGContext *s, TranslationBlock *tb, CPUState *cpu)
{
    return jit_gen_code_features(cb, s, tb, cpu, jit_host_features());
}

void jit_patch_jump(CodeBuffer *cb, TranslationBlock *tb, int n, const void *target)
{
    uint8_t *field = tb->host_code + tb->jmp_insn_offset[n];
    int32_t rel = (int32_t)((intptr_t)target - (intptr_t)(field + 4));
    uint32_t *rw = (uint32_t *)codebuf_rw(cb, field);
    __atomic_store_n(rw, (uint32_t)rel, __ATOMIC_RELEASE);
}

void jit_disas_at(FILE *f, const void *code, size_t len, uint64_t base)
{
    if (!tcg_disas(f, CS_ARCH_X86, CS_MODE_64, code, len, base, "  "))
        fprintf(f, "  (capstone unavailable)\n");
}

void jit_disas(FILE *f, const void *code, size_t len)
{
    jit_disas_at(f, code, len, (uint64_t)(uintptr_t)code);
}
