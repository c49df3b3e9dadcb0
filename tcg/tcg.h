/*
 * The IR: temps, ops, labels, the builder API frontends call, and helper
 * declarations. Guest- and host-neutral: nothing here knows x86 or Arm.
 * A TCGContext holds one block's IR while it is built, optimised and
 * compiled; it is reset for every block.
 * Rule for frontends: a temp from tcg_temp_new() lives for the whole block
 * (it may cross labels and branches); tcg_temp_free() lets the allocator
 * reuse it. Globals are guest registers in the CPU struct.
 */
#ifndef TCG_TCG_H
#define TCG_TCG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum TCGType { TCG_TYPE_I32 = 0, TCG_TYPE_I64 = 1 } TCGType;

typedef enum TCGOpcode {
#define DEF(name, oargs, iargs, cargs, flags) INDEX_op_##name,
#include "tcg/ops.def"
#undef DEF
    NB_OPS
} TCGOpcode;

enum {
    TCG_OPF_NOTYPE       = 1 << 0, /* the op has no type */
    TCG_OPF_BB_END       = 1 << 1, /* ends a basic block */
    TCG_OPF_BB_EXIT      = 1 << 2, /* leaves the translation block */
    TCG_OPF_COND_BRANCH  = 1 << 3,
    TCG_OPF_SIDE_EFFECTS = 1 << 4, /* never removed as dead */
    TCG_OPF_MAY_FAULT    = 1 << 5, /* may raise a guest exception: globals synced first */
    TCG_OPF_CALL         = 1 << 6,
};

typedef struct TCGOpDef {
    const char *name;
    uint8_t nb_oargs, nb_iargs, nb_cargs;
    uint8_t flags;
} TCGOpDef;
extern const TCGOpDef tcg_op_defs[NB_OPS];

/* Conditions: bit 0 inverts (so cond ^ 1 is the inverse). */
typedef enum TCGCond {
    TCG_COND_NEVER = 0, TCG_COND_ALWAYS = 1,
    TCG_COND_EQ = 2,  TCG_COND_NE = 3,
    TCG_COND_LT = 4,  TCG_COND_GE = 5,   /* signed */
    TCG_COND_LE = 6,  TCG_COND_GT = 7,
    TCG_COND_LTU = 8, TCG_COND_GEU = 9,  /* unsigned */
    TCG_COND_LEU = 10, TCG_COND_GTU = 11,
    TCG_COND_TSTEQ = 12, TCG_COND_TSTNE = 13, /* (a & b) == 0, != 0 */
} TCGCond;
static inline TCGCond tcg_invert_cond(TCGCond c) { return (TCGCond)(c ^ 1); }
/* the cond with operands exchanged */
static inline TCGCond tcg_swap_cond(TCGCond c)
{
    switch (c) {
    case TCG_COND_LT: return TCG_COND_GT;
    case TCG_COND_GT: return TCG_COND_LT;
    case TCG_COND_LE: return TCG_COND_GE;
    case TCG_COND_GE: return TCG_COND_LE;
    case TCG_COND_LTU: return TCG_COND_GTU;
    case TCG_COND_GTU: return TCG_COND_LTU;
    case TCG_COND_LEU: return TCG_COND_GEU;
    case TCG_COND_GEU: return TCG_COND_LEU;
    default: return c;  /* NEVER, ALWAYS, EQ, NE, TSTEQ, TSTNE are symmetric */
    }
}
/* The reference meaning of a condition (I32: the low 32 bits only). Inline:
 * the interpreter evaluates it in its hot loop. */
static inline __attribute__((always_inline))
bool tcg_cond_eval(TCGCond c, TCGType t, uint64_t a, uint64_t b)
{
    int64_t sa, sb;
    if (t == TCG_TYPE_I32) {
        a = (uint32_t)a;
        b = (uint32_t)b;
        sa = (int32_t)a;
        sb = (int32_t)b;
    } else {
        sa = (int64_t)a;
        sb = (int64_t)b;
    }
    switch (c) {
    case TCG_COND_NEVER: return false;
    case TCG_COND_ALWAYS: return true;
    case TCG_COND_EQ: return a == b;
    case TCG_COND_NE: return a != b;
    case TCG_COND_LT: return sa < sb;
    case TCG_COND_GE: return sa >= sb;
    case TCG_COND_LE: return sa <= sb;
    case TCG_COND_GT: return sa > sb;
    case TCG_COND_LTU: return a < b;
    case TCG_COND_GEU: return a >= b;
    case TCG_COND_LEU: return a <= b;
    case TCG_COND_GTU: return a > b;
    case TCG_COND_TSTEQ: return (a & b) == 0;
    case TCG_COND_TSTNE: return (a & b) != 0;
    }
    return false;
}

/* The reference meaning of mulu2/muls2: the double-width product's low and
 * high halves (I32: of the 64-bit product, each zero-extended). Shared by
 * the interpreter and the optimiser's constant folding. */
static inline void tcg_mul2_eval(bool is_signed, TCGType t, uint64_t a, uint64_t b,
                                 uint64_t *lo, uint64_t *hi)
{
    if (t == TCG_TYPE_I32) {
        uint64_t p = is_signed ? (uint64_t)((int64_t)(int32_t)a * (int32_t)b)
                               : (uint64_t)(uint32_t)a * (uint32_t)b;
        *lo = (uint32_t)p;
        *hi = (uint32_t)(p >> 32);
    } else if (!is_signed) {
        unsigned __int128 p = (unsigned __int128)a * b;
        *lo = (uint64_t)p;
        *hi = (uint64_t)(p >> 64);
    } else {
        __int128 p = (__int128)(int64_t)a * (int64_t)b;
        *lo = (uint64_t)p;
        *hi = (uint64_t)((unsigned __int128)p >> 64);
    }
}

/* Memory operations for qemu_ld/qemu_st. Guests are little-endian. */
typedef enum MemOp {
    MO_8 = 0, MO_16 = 1, MO_32 = 2, MO_64 = 3, MO_SIZE = 3,
    MO_SIGN = 4,            /* sign-extend the loaded value to the op type */
    MO_ALIGN = 8,           /* unaligned access faults (guest's alignment check) */
    MO_UB = MO_8, MO_UW = MO_16, MO_UL = MO_32, MO_UQ = MO_64,
    MO_SB = MO_8 | MO_SIGN, MO_SW = MO_16 | MO_SIGN, MO_SL = MO_32 | MO_SIGN,
} MemOp;

/* ---- temps ---- */
typedef uint32_t TCGv;                 /* index into TCGContext.temps */
#define TCGV_NONE ((TCGv)0xffffffffu)

typedef enum TCGTempKind {
    TEMP_FIXED,   /* pinned to a host register for the whole block (env) */
    TEMP_GLOBAL,  /* lives in the CPU struct at mem_offset; cached in host regs */
    TEMP_NORMAL,  /* block-lived scratch */
    TEMP_CONST,   /* constant, val */
} TCGTempKind;

typedef struct TCGTemp {
    uint8_t kind;          /* TCGTempKind */
    uint8_t type;          /* TCGType */
    uint8_t free;          /* NORMAL temp released by tcg_temp_free */
    int32_t mem_offset;    /* GLOBAL: offset from env; NORMAL: spill slot once assigned (-1 none) */
    uint64_t val;          /* CONST value (zero-extended for I32) */
    const char *name;      /* GLOBAL: for dumps */
    /* register allocator state; backends may use freely during codegen */
    int8_t reg;            /* host register holding it, -1 none */
    uint8_t val_in_mem;    /* the memory copy is current */
    uint8_t dirty;
} TCGTemp;

#define TCG_MAX_TEMPS 1024
#define TCG_MAX_OP_ARGS 16
#define TCG_MAX_HELPER_ARGS 6

typedef struct TCGOp {
    uint16_t opc;          /* TCGOpcode */
    uint8_t type;          /* TCGType */
    uint8_t nb_oargs, nb_iargs, nb_cargs; /* copied from the def; set per call for call */
    uint32_t life;         /* liveness: bit i set = input arg i dies here; bit 16+i = output i is dead;
                              bit 31 = sync globals (computed by liveness) */
    uint64_t args[TCG_MAX_OP_ARGS]; /* oargs, iargs (temps), then cargs */
    struct TCGOp *next, *prev;
} TCGOp;

#define TCG_LIFE_DEAD_IN(i)  (1u << (i))
#define TCG_LIFE_DEAD_OUT(i) (1u << (16 + (i)))

/* ---- helpers ---- */
enum {
    TCG_CALL_NO_READ_GLOBALS  = 1 << 0, /* need not sync guest globals before the call */
    TCG_CALL_NO_WRITE_GLOBALS = 1 << 1, /* globals cached in host registers stay valid after */
    TCG_CALL_NO_SIDE_EFFECTS  = 1 << 2, /* removable if the result is unused */
    TCG_CALL_NO_RWG = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS,
    TCG_CALL_NO_RWG_SE = TCG_CALL_NO_RWG | TCG_CALL_NO_SIDE_EFFECTS,
    /* A helper that may raise a guest exception must not use NO_READ_GLOBALS. */
};
typedef enum TCGCallType { TCG_CALL_VOID, TCG_CALL_I32, TCG_CALL_I64, TCG_CALL_PTR } TCGCallType;

typedef struct TCGHelperInfo {
    void *func;
    const char *name;
    uint32_t flags;
    uint8_t nb_args;
    uint8_t ret_type;                       /* TCGCallType */
    uint8_t arg_types[TCG_MAX_HELPER_ARGS]; /* TCGCallType */
} TCGHelperInfo;

/* ---- the context ---- */
typedef struct TCGLabelInfo { int32_t host_offset; bool present; } TCGLabelInfo;

typedef struct TCGContext {
    TCGTemp temps[TCG_MAX_TEMPS];
    int nb_globals;          /* temps [0, nb_globals) are FIXED or GLOBAL, kept across blocks */
    int nb_temps;
    TCGOp *first_op, *last_op;
    int nb_ops;
    int nb_labels;
    TCGLabelInfo *labels;    /* backend scratch, sized nb_labels */
    int frame_size;          /* spill area in use (bytes) */
    /* op pool, reset per block */
    TCGOp *op_pool;
    int op_pool_size, op_pool_used;
    uint64_t insn_start_count; /* insn_start ops in the list */
    /* builder indexes, so temp and constant lookups cost O(1), not O(temps):
     * free NORMAL temps per type (bit i = temp i), and a hash of this
     * block's constants whose entries count only if stamped const_gen */
    uint64_t free_temps[2][TCG_MAX_TEMPS / 64];
    uint32_t const_gen;
    struct TCGConstSlot { uint64_t val; uint32_t gen; uint16_t idx; uint8_t type; } const_hash[2 * TCG_MAX_TEMPS];
} TCGContext;

void tcg_context_init(TCGContext *s);
void tcg_func_start(TCGContext *s);          /* begin a new block: drop ops, temps, labels */

/* The env temp: fixed to a host register, holds the CPUState pointer. */
#define TCG_ENV 0
TCGv tcg_global_mem_new(TCGContext *s, TCGType type, int32_t offset, const char *name);

TCGv tcg_temp_new(TCGContext *s, TCGType type);
void tcg_temp_free(TCGContext *s, TCGv t);
TCGv tcg_constant(TCGContext *s, TCGType type, uint64_t val);
static inline TCGType tcg_temp_type(TCGContext *s, TCGv t) { return (TCGType)s->temps[t].type; }

int tcg_new_label(TCGContext *s);
/* True when the block is close to the temp or op limits: the translator
 * loop should end the block before the next guest instruction. */
bool tcg_op_buf_full(const TCGContext *s);

/* ---- op emission (the builder). Types come from the first temp. ---- */
TCGOp *tcg_emit_op(TCGContext *s, TCGOpcode opc, TCGType type, int nargs, const uint64_t *args);
TCGOp *tcg_op_insert_before(TCGContext *s, TCGOp *before, TCGOpcode opc, TCGType type, int nargs);
void tcg_op_remove(TCGContext *s, TCGOp *op);

void tcg_gen_insn_start(TCGContext *s, uint64_t pc, uint64_t data);
void tcg_gen_set_label(TCGContext *s, int label);
void tcg_gen_br(TCGContext *s, int label);
void tcg_gen_brcond(TCGContext *s, TCGCond c, TCGv a, TCGv b, int label);
void tcg_gen_brcondi(TCGContext *s, TCGCond c, TCGv a, uint64_t b, int label);
void tcg_gen_exit_check(TCGContext *s);
void tcg_gen_goto_tb(TCGContext *s, int slot);
void tcg_gen_exit_tb(TCGContext *s, uintptr_t val);
void tcg_gen_goto_ptr(TCGContext *s, TCGv host_addr);
/* Continue at the block whose key is (pc, cs_base, flags), the CPU's state
 * right here (the frontend guarantees it; the guest pc is already stored in
 * env): through the jump cache without leaving generated code when it
 * holds that block, else as tcg_gen_lookup_and_goto_ptr does. pc: I32
 * (zero-extended) or I64. */
void tcg_gen_lookup_goto_ptr(TCGContext *s, TCGv pc, uint32_t flags, uint64_t cs_base);
/* Call a helper: ret may be TCGV_NONE; args must match info->arg_types. */
void tcg_gen_call(TCGContext *s, const TCGHelperInfo *info, TCGv ret, int nargs, const TCGv *args);

void tcg_gen_mov(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_movi(TCGContext *s, TCGv d, uint64_t v);
void tcg_gen_ext_i32_i64(TCGContext *s, TCGv d64, TCGv a32);
void tcg_gen_extu_i32_i64(TCGContext *s, TCGv d64, TCGv a32);
void tcg_gen_extrl_i64_i32(TCGContext *s, TCGv d32, TCGv a64);
void tcg_gen_extrh_i64_i32(TCGContext *s, TCGv d32, TCGv a64);

#define TCG_BINOP(op) \
    void tcg_gen_##op(TCGContext *s, TCGv d, TCGv a, TCGv b); \
    void tcg_gen_##op##i(TCGContext *s, TCGv d, TCGv a, uint64_t b);
TCG_BINOP(add) TCG_BINOP(sub) TCG_BINOP(mul) TCG_BINOP(and) TCG_BINOP(or)
TCG_BINOP(xor) TCG_BINOP(andc) TCG_BINOP(shl) TCG_BINOP(shr) TCG_BINOP(sar)
TCG_BINOP(rotl) TCG_BINOP(rotr) TCG_BINOP(clz) TCG_BINOP(ctz)
#undef TCG_BINOP
void tcg_gen_mulu2(TCGContext *s, TCGv lo, TCGv hi, TCGv a, TCGv b);
void tcg_gen_muls2(TCGContext *s, TCGv lo, TCGv hi, TCGv a, TCGv b);
void tcg_gen_neg(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_not(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_ext8s(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_ext8u(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_ext16s(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_ext16u(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_ext32s(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_ext32u(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_bswap16(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_bswap32(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_bswap64(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_ctpop(TCGContext *s, TCGv d, TCGv a);
void tcg_gen_deposit(TCGContext *s, TCGv d, TCGv a, TCGv b, unsigned pos, unsigned len);
void tcg_gen_extract(TCGContext *s, TCGv d, TCGv a, unsigned pos, unsigned len);
void tcg_gen_sextract(TCGContext *s, TCGv d, TCGv a, unsigned pos, unsigned len);
void tcg_gen_setcond(TCGContext *s, TCGCond c, TCGv d, TCGv a, TCGv b);
void tcg_gen_setcondi(TCGContext *s, TCGCond c, TCGv d, TCGv a, uint64_t b);
void tcg_gen_negsetcond(TCGContext *s, TCGCond c, TCGv d, TCGv a, TCGv b);
void tcg_gen_movcond(TCGContext *s, TCGCond c, TCGv d, TCGv a, TCGv b, TCGv v1, TCGv v2);

/* env-relative loads/stores of CPU state that is not a global */
void tcg_gen_ld8u(TCGContext *s, TCGv d, int32_t off);
void tcg_gen_ld8s(TCGContext *s, TCGv d, int32_t off);
void tcg_gen_ld16u(TCGContext *s, TCGv d, int32_t off);
void tcg_gen_ld16s(TCGContext *s, TCGv d, int32_t off);
void tcg_gen_ld32u(TCGContext *s, TCGv d, int32_t off);
void tcg_gen_ld32s(TCGContext *s, TCGv d, int32_t off);
void tcg_gen_ld(TCGContext *s, TCGv d, int32_t off);
void tcg_gen_st8(TCGContext *s, TCGv v, int32_t off);
void tcg_gen_st16(TCGContext *s, TCGv v, int32_t off);
void tcg_gen_st32(TCGContext *s, TCGv v, int32_t off);
void tcg_gen_st(TCGContext *s, TCGv v, int32_t off);

void tcg_gen_qemu_ld(TCGContext *s, TCGv d, TCGv addr, MemOp mop, int mmu_idx);
void tcg_gen_qemu_st(TCGContext *s, TCGv v, TCGv addr, MemOp mop, int mmu_idx);

/* ---- passes ---- */
void tcg_optimize(TCGContext *s);
void tcg_liveness(TCGContext *s);
void tcg_dump_ops(TCGContext *s, FILE *f);
/* Capstone disassembly of len bytes shown at address base, one line per
 * instruction prefixed by indent (tcg/disas.c); false if Capstone cannot
 * open that arch/mode (cs_arch/cs_mode values). */
bool tcg_disas(FILE *f, int arch, int mode, const void *code, size_t len, uint64_t base,
               const char *indent);

#endif
