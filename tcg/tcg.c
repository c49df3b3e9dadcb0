/*
 * The IR core: the op table built from tcg/ops.def, the context (temps, op
 * pool, labels) and the builder API frontends call (tcg_gen_*).
 * What must stay true: temps [0, nb_globals) are FIXED/GLOBAL and survive
 * tcg_func_start; every op's args[] holds outputs, then inputs, then
 * constants; an op's type is the type of its first temp. The builder emits
 * what it is asked (immediates become constant temps) and leaves every
 * simplification to tcg_optimize, so one place decides what is equivalent.
 */
#include <stdlib.h>
#include <string.h>
#include "tcg/tcg.h"
#include "tcg/cpu.h"

const TCGOpDef tcg_op_defs[NB_OPS] = {
#define DEF(n, o, i, c, f) [INDEX_op_##n] = { #n, o, i, c, f },
#include "tcg/ops.def"
#undef DEF
};

/* Big enough for the longest block a frontend may emit (several hundred
 * guest instructions at a few dozen ops each); ops are not recycled within
 * a block, so removal by the passes does not free pool space. */
#define TCG_OP_POOL_SIZE (1 << 16)
#define TCG_LABELS_MIN 64

const TCGHelperInfo tcg_helper_info_lookup_tb_ptr = {
    .func = (void *)helper_lookup_tb_ptr,
    .name = "lookup_tb_ptr",
    .flags = 0,
    .nb_args = 1,
    .ret_type = TCG_CALL_PTR,
    .arg_types = { TCG_CALL_PTR },
};

static void __attribute__((noreturn)) tcg_fatal(const char *what)
{
    fprintf(stderr, "kasou: IR: %s\n", what);
    abort();
}

void tcg_context_init(TCGContext *s)
{
    memset(s, 0, sizeof(*s));
    s->op_pool_size = TCG_OP_POOL_SIZE;
    s->op_pool = calloc(s->op_pool_size, sizeof(TCGOp));
    s->labels = calloc(TCG_LABELS_MIN, sizeof(TCGLabelInfo));
    if (!s->op_pool || !s->labels)
        tcg_fatal("out of memory");
    TCGTemp *env = &s->temps[TCG_ENV];
    env->kind = TEMP_FIXED;
    env->type = TCG_TYPE_I64;
    env->name = "env";
    env->mem_offset = -1;
    env->reg = -1;
    s->nb_globals = s->nb_temps = 1;
    s->const_gen = 1;
}

void tcg_func_start(TCGContext *s)
{
    memset(s->free_temps, 0, sizeof(s->free_temps));
    if (++s->const_gen == 0) {          /* stamps wrapped: clear them once */
        memset(s->const_hash, 0, sizeof(s->const_hash));
        s->const_gen = 1;
    }
    s->nb_temps = s->nb_globals;
    s->first_op = s->last_op = NULL;
    s->nb_ops = 0;
    s->op_pool_used = 0;
    s->nb_labels = 0;
    s->frame_size = 0;
    s->insn_start_count = 0;
    for (int i = 0; i < s->nb_globals; i++) {
        s->temps[i].reg = -1;
        s->temps[i].val_in_mem = 1;
        s->temps[i].dirty = 0;
    }
}

static TCGv tcg_temp_alloc(TCGContext *s)
{
    if (s->nb_temps >= TCG_MAX_TEMPS)
        tcg_fatal("too many temps in one block");
    TCGv t = (TCGv)s->nb_temps++;
    TCGTemp *ts = &s->temps[t];
    memset(ts, 0, sizeof(*ts));
    ts->mem_offset = -1;
    ts->reg = -1;
    return t;
}

TCGv tcg_global_mem_new(TCGContext *s, TCGType type, int32_t offset, const char *name)
{
    /* Globals must stay below every per-block temp. */
    if (s->nb_temps != s->nb_globals)
        tcg_fatal("global created after per-block temps");
    TCGv t = tcg_temp_alloc(s);
    TCGTemp *ts = &s->temps[t];
    ts->kind = TEMP_GLOBAL;
    ts->type = type;
    ts->mem_offset = offset;
    ts->name = name;
    ts->val_in_mem = 1;
    s->nb_globals = s->nb_temps;
    return t;
}

/* Reuses the highest-numbered free temp of the type, else a new one. */
TCGv tcg_temp_new(TCGContext *s, TCGType type)
{
    uint64_t *bits = s->free_temps[type & 1];
    for (int w = (s->nb_temps - 1) >> 6; w >= 0; w--) {
        if (bits[w]) {
            int i = w * 64 + 63 - __builtin_clzll(bits[w]);
            bits[w] &= ~(1ull << (i & 63));
            s->temps[i].free = 0;
            return (TCGv)i;
        }
    }
    TCGv t = tcg_temp_alloc(s);
    s->temps[t].kind = TEMP_NORMAL;
    s->temps[t].type = type;
    return t;
}

void tcg_temp_free(TCGContext *s, TCGv t)
{
    if (t == TCGV_NONE || (int)t < s->nb_globals || (int)t >= s->nb_temps)
        return;
    TCGTemp *ts = &s->temps[t];
    if (ts->kind == TEMP_NORMAL) {
        ts->free = 1;
        s->free_temps[ts->type & 1][t >> 6] |= 1ull << (t & 63);
    }
}

#define TCG_CONST_HASH_SIZE (int)(sizeof(((TCGContext *)0)->const_hash) / sizeof(((TCGContext *)0)->const_hash[0]))

/* The block's one constant temp of this type and value. */
TCGv tcg_constant(TCGContext *s, TCGType type, uint64_t val)
{
    if (type == TCG_TYPE_I32)
        val = (uint32_t)val;
    uint64_t h = (val ^ ((uint64_t)type << 63)) * 0x9e3779b97f4a7c15ull;
    unsigned i = (unsigned)(h >> 40) & (TCG_CONST_HASH_SIZE - 1);
    struct TCGConstSlot *e;
    for (;; i = (i + 1) & (TCG_CONST_HASH_SIZE - 1)) {
        e = &s->const_hash[i];
        if (e->gen != s->const_gen)
            break;
        if (e->val == val && e->type == type)
            return (TCGv)e->idx;
    }
    TCGv t = tcg_temp_alloc(s);
    s->temps[t].kind = TEMP_CONST;
    s->temps[t].type = type;
    s->temps[t].val = val;
    /* at most TCG_MAX_TEMPS constants in a table twice that size: a free
     * slot always exists */
    e->val = val;
    e->type = (uint8_t)type;
    e->idx = (uint16_t)t;
    e->gen = s->const_gen;
    return t;
}

/* Room one more guest instruction may need, generously: running out of
 * temps or ops mid-instruction is fatal. */
#define TCG_TEMPS_RESERVE 192
#define TCG_OPS_RESERVE 4096

bool tcg_op_buf_full(const TCGContext *s)
{
    return s->nb_temps > TCG_MAX_TEMPS - TCG_TEMPS_RESERVE ||
           s->op_pool_used > s->op_pool_size - TCG_OPS_RESERVE;
}

int tcg_new_label(TCGContext *s)
{
    int n = s->nb_labels;
    /* The array holds at least max(64, next power of two) entries. */
    if (n >= TCG_LABELS_MIN && (n & (n - 1)) == 0) {
        TCGLabelInfo *l = realloc(s->labels, 2 * (size_t)n * sizeof(*l));
        if (!l)
            tcg_fatal("out of memory");
        s->labels = l;
    }
    s->labels[n].host_offset = -1;
    s->labels[n].present = false;
    s->nb_labels = n + 1;
    return n;
}

/* ---- ops ---- */

static TCGOp *tcg_op_alloc(TCGContext *s, TCGOpcode opc, TCGType type)
{
    if (s->op_pool_used >= s->op_pool_size)
        tcg_fatal("op pool exhausted (block too long)");
    TCGOp *op = &s->op_pool[s->op_pool_used++];
    const TCGOpDef *def = &tcg_op_defs[opc];
    /* args[] beyond what the op uses are left as they are: nothing reads them */
    op->opc = opc;
    op->type = type;
    op->nb_oargs = def->nb_oargs;
    op->nb_iargs = def->nb_iargs;
    op->nb_cargs = def->nb_cargs;
    op->life = 0;
    s->insn_start_count += opc == INDEX_op_insn_start;
    return op;
}

TCGOp *tcg_emit_op(TCGContext *s, TCGOpcode opc, TCGType type, int nargs, const uint64_t *args)
{
    TCGOp *op = tcg_op_alloc(s, opc, type);
    if (nargs > TCG_MAX_OP_ARGS)
        tcg_fatal("too many op arguments");
    if (nargs > 0)
        memcpy(op->args, args, nargs * sizeof(uint64_t));
    op->prev = s->last_op;
    op->next = NULL;
    if (s->last_op)
        s->last_op->next = op;
    else
        s->first_op = op;
    s->last_op = op;
    s->nb_ops++;
    return op;
}

TCGOp *tcg_op_insert_before(TCGContext *s, TCGOp *before, TCGOpcode opc, TCGType type, int nargs)
{
    if (!before) {
        TCGOp *op = tcg_emit_op(s, opc, type, 0, NULL);
        memset(op->args, 0, sizeof(op->args));
        return op;
    }
    TCGOp *op = tcg_op_alloc(s, opc, type);
    memset(op->args, 0, sizeof(op->args));   /* the caller fills them in */
    op->next = before;
    op->prev = before->prev;
    if (before->prev)
        before->prev->next = op;
    else
        s->first_op = op;
    before->prev = op;
    s->nb_ops++;
    return op;
}

void tcg_op_remove(TCGContext *s, TCGOp *op)
{
    if (op->prev)
        op->prev->next = op->next;
    else
        s->first_op = op->next;
    if (op->next)
        op->next->prev = op->prev;
    else
        s->last_op = op->prev;
    op->next = op->prev = NULL;
    s->nb_ops--;
    s->insn_start_count -= op->opc == INDEX_op_insn_start;
}

/* ---- conditions ---- */

/* ---- the builder ---- */

static inline TCGType ttype(TCGContext *s, TCGv t) { return (TCGType)s->temps[t].type; }

static void gen1(TCGContext *s, TCGOpcode opc, TCGType type, uint64_t a0)
{
    uint64_t a[1] = { a0 };
    tcg_emit_op(s, opc, type, 1, a);
}

static void gen2(TCGContext *s, TCGOpcode opc, TCGType type, uint64_t a0, uint64_t a1)
{
    uint64_t a[2] = { a0, a1 };
    tcg_emit_op(s, opc, type, 2, a);
}

static void gen3(TCGContext *s, TCGOpcode opc, TCGType type, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t a[3] = { a0, a1, a2 };
    tcg_emit_op(s, opc, type, 3, a);
}

static void gen4(TCGContext *s, TCGOpcode opc, TCGType type, uint64_t a0, uint64_t a1,
                 uint64_t a2, uint64_t a3)
{
    uint64_t a[4] = { a0, a1, a2, a3 };
    tcg_emit_op(s, opc, type, 4, a);
}

void tcg_gen_insn_start(TCGContext *s, uint64_t pc, uint64_t data)
{
    gen2(s, INDEX_op_insn_start, TCG_TYPE_I64, pc, data);
}

void tcg_gen_set_label(TCGContext *s, int label)
{
    gen1(s, INDEX_op_set_label, TCG_TYPE_I64, (uint64_t)label);
}

void tcg_gen_br(TCGContext *s, int label)
{
    gen1(s, INDEX_op_br, TCG_TYPE_I64, (uint64_t)label);
}

void tcg_gen_brcond(TCGContext *s, TCGCond c, TCGv a, TCGv b, int label)
{
    gen4(s, INDEX_op_brcond, ttype(s, a), a, b, c, (uint64_t)label);
}

void tcg_gen_brcondi(TCGContext *s, TCGCond c, TCGv a, uint64_t b, int label)
{
    tcg_gen_brcond(s, c, a, tcg_constant(s, ttype(s, a), b), label);
}

void tcg_gen_exit_check(TCGContext *s)
{
    tcg_emit_op(s, INDEX_op_exit_check, TCG_TYPE_I64, 0, NULL);
}

void tcg_gen_goto_tb(TCGContext *s, int slot)
{
    gen1(s, INDEX_op_goto_tb, TCG_TYPE_I64, (uint64_t)slot);
}

void tcg_gen_exit_tb(TCGContext *s, uintptr_t val)
{
    gen1(s, INDEX_op_exit_tb, TCG_TYPE_I64, (uint64_t)val);
}

void tcg_gen_goto_ptr(TCGContext *s, TCGv host_addr)
{
    gen1(s, INDEX_op_goto_ptr, TCG_TYPE_I64, host_addr);
}

void tcg_gen_lookup_goto_ptr(TCGContext *s, TCGv pc, uint32_t flags, uint64_t cs_base)
{
    gen3(s, INDEX_op_lookup_goto_ptr, ttype(s, pc), pc, flags, cs_base);
}

void tcg_gen_call(TCGContext *s, const TCGHelperInfo *info, TCGv ret, int nargs, const TCGv *args)
{
    uint64_t a[TCG_MAX_OP_ARGS];
    int n = 0;
    if (nargs > TCG_MAX_HELPER_ARGS || nargs != info->nb_args)
        tcg_fatal("helper call with a wrong argument count");
    if (ret != TCGV_NONE)
        a[n++] = ret;
    for (int i = 0; i < nargs; i++)
        a[n++] = args[i];
    a[n++] = (uint64_t)(uintptr_t)info;
    TCGOp *op = tcg_emit_op(s, INDEX_op_call, TCG_TYPE_I64, n, a);
    op->nb_oargs = ret != TCGV_NONE;
    op->nb_iargs = nargs;
    op->nb_cargs = 1;
}

void tcg_gen_lookup_and_goto_ptr(TCGContext *s)
{
    TCGv ptr = tcg_temp_new(s, TCG_TYPE_I64);
    TCGv env = TCG_ENV;
    tcg_gen_call(s, &tcg_helper_info_lookup_tb_ptr, ptr, 1, &env);
    tcg_gen_goto_ptr(s, ptr);
    tcg_temp_free(s, ptr);
}

void tcg_gen_mov(TCGContext *s, TCGv d, TCGv a) { gen2(s, INDEX_op_mov, ttype(s, d), d, a); }
void tcg_gen_movi(TCGContext *s, TCGv d, uint64_t v)
{
    tcg_gen_mov(s, d, tcg_constant(s, ttype(s, d), v));
}
void tcg_gen_ext_i32_i64(TCGContext *s, TCGv d, TCGv a) { gen2(s, INDEX_op_ext_i32_i64, TCG_TYPE_I64, d, a); }
void tcg_gen_extu_i32_i64(TCGContext *s, TCGv d, TCGv a) { gen2(s, INDEX_op_extu_i32_i64, TCG_TYPE_I64, d, a); }
void tcg_gen_extrl_i64_i32(TCGContext *s, TCGv d, TCGv a) { gen2(s, INDEX_op_extrl_i64_i32, TCG_TYPE_I32, d, a); }
void tcg_gen_extrh_i64_i32(TCGContext *s, TCGv d, TCGv a) { gen2(s, INDEX_op_extrh_i64_i32, TCG_TYPE_I32, d, a); }

#define TCG_BINOP(op) \
    void tcg_gen_##op(TCGContext *s, TCGv d, TCGv a, TCGv b) \
    { gen3(s, INDEX_op_##op, ttype(s, d), d, a, b); } \
    void tcg_gen_##op##i(TCGContext *s, TCGv d, TCGv a, uint64_t b) \
    { tcg_gen_##op(s, d, a, tcg_constant(s, ttype(s, a), b)); }
TCG_BINOP(add) TCG_BINOP(sub) TCG_BINOP(mul) TCG_BINOP(and) TCG_BINOP(or)
TCG_BINOP(xor) TCG_BINOP(andc) TCG_BINOP(shl) TCG_BINOP(shr) TCG_BINOP(sar)
TCG_BINOP(rotl) TCG_BINOP(rotr) TCG_BINOP(clz) TCG_BINOP(ctz)
#undef TCG_BINOP

void tcg_gen_mulu2(TCGContext *s, TCGv lo, TCGv hi, TCGv a, TCGv b)
{
    gen4(s, INDEX_op_mulu2, ttype(s, lo), lo, hi, a, b);
}
void tcg_gen_muls2(TCGContext *s, TCGv lo, TCGv hi, TCGv a, TCGv b)
{
    gen4(s, INDEX_op_muls2, ttype(s, lo), lo, hi, a, b);
}

#define TCG_UNOP(op) \
    void tcg_gen_##op(TCGContext *s, TCGv d, TCGv a) { gen2(s, INDEX_op_##op, ttype(s, d), d, a); }
TCG_UNOP(neg) TCG_UNOP(not) TCG_UNOP(ext8s) TCG_UNOP(ext8u) TCG_UNOP(ext16s)
TCG_UNOP(ext16u) TCG_UNOP(ext32s) TCG_UNOP(ext32u) TCG_UNOP(bswap16)
TCG_UNOP(bswap32) TCG_UNOP(bswap64) TCG_UNOP(ctpop)
#undef TCG_UNOP

void tcg_gen_deposit(TCGContext *s, TCGv d, TCGv a, TCGv b, unsigned pos, unsigned len)
{
    uint64_t args[5] = { d, a, b, pos, len };
    tcg_emit_op(s, INDEX_op_deposit, ttype(s, d), 5, args);
}
void tcg_gen_extract(TCGContext *s, TCGv d, TCGv a, unsigned pos, unsigned len)
{
    gen4(s, INDEX_op_extract, ttype(s, d), d, a, pos, len);
}
void tcg_gen_sextract(TCGContext *s, TCGv d, TCGv a, unsigned pos, unsigned len)
{
    gen4(s, INDEX_op_sextract, ttype(s, d), d, a, pos, len);
}

void tcg_gen_setcond(TCGContext *s, TCGCond c, TCGv d, TCGv a, TCGv b)
{
    gen4(s, INDEX_op_setcond, ttype(s, d), d, a, b, c);
}
void tcg_gen_setcondi(TCGContext *s, TCGCond c, TCGv d, TCGv a, uint64_t b)
{
    tcg_gen_setcond(s, c, d, a, tcg_constant(s, ttype(s, a), b));
}
void tcg_gen_negsetcond(TCGContext *s, TCGCond c, TCGv d, TCGv a, TCGv b)
{
    gen4(s, INDEX_op_negsetcond, ttype(s, d), d, a, b, c);
}
void tcg_gen_movcond(TCGContext *s, TCGCond c, TCGv d, TCGv a, TCGv b, TCGv v1, TCGv v2)
{
    uint64_t args[6] = { d, a, b, v1, v2, c };
    tcg_emit_op(s, INDEX_op_movcond, ttype(s, d), 6, args);
}

#define TCG_LDST(op) \
    void tcg_gen_##op(TCGContext *s, TCGv t, int32_t off) \
    { gen2(s, INDEX_op_##op, ttype(s, t), t, (uint64_t)(int64_t)off); }
TCG_LDST(ld8u) TCG_LDST(ld8s) TCG_LDST(ld16u) TCG_LDST(ld16s) TCG_LDST(ld32u)
TCG_LDST(ld32s) TCG_LDST(ld) TCG_LDST(st8) TCG_LDST(st16) TCG_LDST(st32) TCG_LDST(st)
#undef TCG_LDST

void tcg_gen_qemu_ld(TCGContext *s, TCGv d, TCGv addr, MemOp mop, int mmu_idx)
{
    gen4(s, INDEX_op_qemu_ld, ttype(s, d), d, addr, (uint64_t)mop, (uint64_t)mmu_idx);
}
void tcg_gen_qemu_st(TCGContext *s, TCGv v, TCGv addr, MemOp mop, int mmu_idx)
{
    gen4(s, INDEX_op_qemu_st, ttype(s, v), v, addr, (uint64_t)mop, (uint64_t)mmu_idx);
}
