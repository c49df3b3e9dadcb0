/*
 * tcg_optimize: one forward pass over a block's ops doing constant folding
 * and propagation, copy propagation, algebraic identities, branch folding
 * and removal of code made unreachable by an unconditional jump.
 * What must stay true: every rewrite keeps the op semantics of tcg/README.md
 * (the interpreter is the reference; opt_eval must agree with it); what is
 * known about a temp is forgotten when it is written, at every label that is
 * still a branch target, and, for globals, after a call that may write them.
 * Knowledge flows only along fall-through, which is why resetting at labels
 * (and not at branches) is enough.
 */
#include <stdlib.h>
#include <string.h>
#include "tcg/tcg.h"

typedef struct OptTemp {
    bool is_const;
    uint64_t val;
    TCGv prev_copy, next_copy;  /* ring of temps holding the same value, in */
    TCGv head;                  /* the order they got it: oldest first from head,
                                   which every member knows */
    bool touched;               /* on the touched list */
    uint64_t z_mask;            /* bits that may be 1 (~0: nothing known) */
} OptTemp;

typedef struct OptContext {
    TCGContext *s;
    OptTemp t[TCG_MAX_TEMPS];
    int *label_refs;            /* branches still targeting each label */
    int nb_init;                /* t[] is valid for temps below this */
    int nb_touched;             /* temps that may hold knowledge, for cheap resets */
    TCGv touched[TCG_MAX_TEMPS];
} OptContext;

static inline uint64_t type_mask(TCGType type)
{
    return type == TCG_TYPE_I32 ? 0xffffffffull : ~0ull;
}

static uint64_t field_mask(uint64_t len)
{
    return len >= 64 ? ~0ull : (1ull << len) - 1;
}

/* The value of a one-output op on known inputs. x, y are inputs 0 and 1,
 * c the op's constant args. Keep in step with backend/interp/interp.c. */
static uint64_t opt_eval(TCGOpcode opc, TCGType type, uint64_t x, uint64_t y, const uint64_t *c)
{
    const bool is32 = type == TCG_TYPE_I32;
    const unsigned w = is32 ? 32 : 64;
    const uint64_t m = type_mask(type);
    unsigned n;
    uint64_t r = 0;
    if (opc != INDEX_op_extrl_i64_i32 && opc != INDEX_op_extrh_i64_i32)
        x &= m;     /* their input is I64 while the op's type is I32 */

    switch (opc) {
    case INDEX_op_mov: r = x; break;
    case INDEX_op_ext_i32_i64: r = (uint64_t)(int64_t)(int32_t)x; break;
    case INDEX_op_extu_i32_i64: r = (uint32_t)x; break;
    case INDEX_op_extrl_i64_i32: r = (uint32_t)x; break;
    case INDEX_op_extrh_i64_i32: r = x >> 32; break;
    case INDEX_op_add: r = x + y; break;
    case INDEX_op_sub: r = x - y; break;
    case INDEX_op_mul: r = x * y; break;
    case INDEX_op_neg: r = -x; break;
    case INDEX_op_and: r = x & y; break;
    case INDEX_op_or: r = x | y; break;
    case INDEX_op_xor: r = x ^ y; break;
    case INDEX_op_andc: r = x & ~y; break;
    case INDEX_op_not: r = ~x; break;
    case INDEX_op_shl: r = x << (y & (w - 1)); break;
    case INDEX_op_shr: r = x >> (y & (w - 1)); break;
    case INDEX_op_sar:
        r = is32 ? (uint64_t)(uint32_t)((int32_t)x >> (y & 31)) : (uint64_t)((int64_t)x >> (y & 63));
        break;
    case INDEX_op_rotl:
        n = y & (w - 1);
        r = n ? (x << n) | (x >> (w - n)) : x;
        break;
    case INDEX_op_rotr:
        n = y & (w - 1);
        r = n ? (x >> n) | (x << (w - n)) : x;
        break;
    case INDEX_op_ext8s: r = (uint64_t)(int64_t)(int8_t)x; break;
    case INDEX_op_ext8u: r = (uint8_t)x; break;
    case INDEX_op_ext16s: r = (uint64_t)(int64_t)(int16_t)x; break;
    case INDEX_op_ext16u: r = (uint16_t)x; break;
    case INDEX_op_ext32s: r = (uint64_t)(int64_t)(int32_t)x; break;
    case INDEX_op_ext32u: r = (uint32_t)x; break;
    case INDEX_op_bswap16: r = ((x & 0xff) << 8) | ((x >> 8) & 0xff); break;
    case INDEX_op_bswap32: r = __builtin_bswap32((uint32_t)x); break;
    case INDEX_op_bswap64: r = __builtin_bswap64(x); break;
    case INDEX_op_clz:
        r = x ? (uint64_t)(is32 ? __builtin_clz((uint32_t)x) : __builtin_clzll(x)) : y;
        break;
    case INDEX_op_ctz:
        r = x ? (uint64_t)(is32 ? __builtin_ctz((uint32_t)x) : __builtin_ctzll(x)) : y;
        break;
    case INDEX_op_ctpop: r = (uint64_t)__builtin_popcountll(x); break;
    case INDEX_op_deposit: {
        uint64_t fm = field_mask(c[1]) << (c[0] & 63);
        r = (x & ~fm) | ((y << (c[0] & 63)) & fm);
        break;
    }
    case INDEX_op_extract:
        r = (x >> (c[0] & 63)) & field_mask(c[1]);
        break;
    case INDEX_op_sextract: {
        uint64_t v = x >> (c[0] & 63);
        unsigned len = c[1] & 127;
        r = (len == 0) ? 0 : len >= 64 ? v : (uint64_t)((int64_t)(v << (64 - len)) >> (64 - len));
        break;
    }
    default:
        break;
    }
    return r & m;
}

static bool opt_foldable(TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_mov: case INDEX_op_ext_i32_i64: case INDEX_op_extu_i32_i64:
    case INDEX_op_extrl_i64_i32: case INDEX_op_extrh_i64_i32:
    case INDEX_op_add: case INDEX_op_sub: case INDEX_op_mul: case INDEX_op_neg:
    case INDEX_op_and: case INDEX_op_or: case INDEX_op_xor: case INDEX_op_andc:
    case INDEX_op_not: case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
    case INDEX_op_rotl: case INDEX_op_rotr: case INDEX_op_ext8s: case INDEX_op_ext8u:
    case INDEX_op_ext16s: case INDEX_op_ext16u: case INDEX_op_ext32s: case INDEX_op_ext32u:
    case INDEX_op_bswap16: case INDEX_op_bswap32: case INDEX_op_bswap64:
    case INDEX_op_clz: case INDEX_op_ctz: case INDEX_op_ctpop:
    case INDEX_op_deposit: case INDEX_op_extract: case INDEX_op_sextract:
        return true;
    default:
        return false;
    }
}

/* ---- what is known about temps ---- */

static void opt_reset_temp(OptContext *ctx, TCGv t)
{
    OptTemp *ot = &ctx->t[t];
    if (ot->next_copy != t) {
        if (ot->head == t) {
            /* the next oldest leads the ring now */
            TCGv h = ot->next_copy;
            for (TCGv i = h; i != t; i = ctx->t[i].next_copy)
                ctx->t[i].head = h;
        }
        ctx->t[ot->prev_copy].next_copy = ot->next_copy;
        ctx->t[ot->next_copy].prev_copy = ot->prev_copy;
    }
    ot->next_copy = ot->prev_copy = ot->head = t;
    ot->is_const = false;
    ot->val = 0;
    ot->z_mask = ~0ull;
}

static void opt_touch(OptContext *ctx, TCGv t)
{
    if (!ctx->t[t].touched) {
        ctx->t[t].touched = true;
        ctx->touched[ctx->nb_touched++] = t;
    }
}

/* Forget everything: only touched temps can be in a ring or constant. */
static void opt_reset_all(OptContext *ctx)
{
    for (int k = 0; k < ctx->nb_touched; k++) {
        OptTemp *ot = &ctx->t[ctx->touched[k]];
        ot->next_copy = ot->prev_copy = ot->head = ctx->touched[k];
        ot->is_const = false;
        ot->z_mask = ~0ull;
        ot->touched = false;
    }
    ctx->nb_touched = 0;
}

static void opt_init_temps(OptContext *ctx)
{
    /* field by field: a compound literal would also clear val and the
     * padding (a memset of the whole range on every block); val is only
     * read when is_const says so */
    for (int i = ctx->nb_init; i < ctx->s->nb_temps; i++) {
        OptTemp *ot = &ctx->t[i];
        ot->is_const = false;
        ot->touched = false;
        ot->prev_copy = ot->next_copy = ot->head = (TCGv)i;
        ot->z_mask = ~0ull;
    }
    ctx->nb_init = ctx->s->nb_temps;
}

/* tcg_constant, keeping t[] valid for a temp it may create */
static TCGv opt_constant(OptContext *ctx, TCGType type, uint64_t v)
{
    TCGv c = tcg_constant(ctx->s, type, v);
    opt_init_temps(ctx);
    return c;
}

static bool opt_is_const(OptContext *ctx, TCGv t, uint64_t *val)
{
    const TCGTemp *ts = &ctx->s->temps[t];
    if (ts->kind == TEMP_CONST) {
        *val = ts->val;
        return true;
    }
    if (ctx->t[t].is_const) {
        *val = ctx->t[t].val;
        return true;
    }
    return false;
}

/* The temp a use of t should read instead: a constant if known, else the
 * oldest member of its copy ring, i.e. where the value came from. For
 * `mov t, g; use t` that is g (the mov dies); for `mov g, t; use g` it is t,
 * so the write to g is not read and can die if g is overwritten later (a
 * lazy-flag global written by every instruction). */
static TCGv opt_canonical(OptContext *ctx, TCGv t)
{
    TCGContext *s = ctx->s;
    uint64_t v;
    if (s->temps[t].kind == TEMP_CONST)
        return t;
    if (opt_is_const(ctx, t, &v))
        return opt_constant(ctx, (TCGType)s->temps[t].type, v);
    return ctx->t[t].head;
}

/* Bits of t's value that may be 1, within its type. */
static uint64_t opt_z_mask(OptContext *ctx, TCGv t)
{
    uint64_t v;
    if (opt_is_const(ctx, t, &v))
        return v;
    return ctx->t[t].z_mask & type_mask((TCGType)ctx->s->temps[t].type);
}

static bool opt_same_value(OptContext *ctx, TCGv a, TCGv b)
{
    return ctx->t[a].head == ctx->t[b].head;
}

/* ---- rewriting ops ---- */

static void opt_set_const(OptContext *ctx, TCGv d, uint64_t v)
{
    opt_reset_temp(ctx, d);
    opt_touch(ctx, d);
    ctx->t[d].is_const = true;
    ctx->t[d].val = v & type_mask((TCGType)ctx->s->temps[d].type);
    ctx->t[d].z_mask = ctx->t[d].val;
}

/* Turn op into `mov d, src` and record what d now holds. */
static void opt_to_mov(OptContext *ctx, TCGOp *op, TCGv d, TCGv src)
{
    TCGContext *s = ctx->s;
    op->opc = INDEX_op_mov;
    op->type = s->temps[d].type;
    op->nb_oargs = 1;
    op->nb_iargs = 1;
    op->nb_cargs = 0;
    op->args[0] = d;
    op->args[1] = src;
    uint64_t v;
    if (opt_is_const(ctx, src, &v)) {
        opt_set_const(ctx, d, v);
        return;
    }
    if (opt_same_value(ctx, d, src))
        return;
    uint64_t z = opt_z_mask(ctx, src);
    opt_reset_temp(ctx, d);     /* leaves its old ring */
    ctx->t[d].z_mask = z;
    /* join src's ring as its newest member: last before the head */
    opt_touch(ctx, d);
    opt_touch(ctx, src);
    TCGv h = ctx->t[src].head;
    OptTemp *oh = &ctx->t[h], *od = &ctx->t[d];
    od->head = h;
    od->prev_copy = oh->prev_copy;
    od->next_copy = h;
    ctx->t[oh->prev_copy].next_copy = d;
    oh->prev_copy = d;
}

static void opt_to_movi(OptContext *ctx, TCGOp *op, TCGv d, uint64_t v)
{
    TCGType type = (TCGType)ctx->s->temps[d].type;
    opt_to_mov(ctx, op, d, opt_constant(ctx, type, v));
}

static void opt_label_unref(OptContext *ctx, uint64_t label)
{
    if (label < (uint64_t)ctx->s->nb_labels)
        ctx->label_refs[label]--;
}

static void opt_remove(OptContext *ctx, TCGOp *op)
{
    if (op->opc == INDEX_op_br)
        opt_label_unref(ctx, op->args[0]);
    else if (op->opc == INDEX_op_brcond)
        opt_label_unref(ctx, op->args[3]);
    tcg_op_remove(ctx->s, op);
}

static bool is_commutative(TCGOpcode opc)
{
    return opc == INDEX_op_add || opc == INDEX_op_mul || opc == INDEX_op_and ||
           opc == INDEX_op_or || opc == INDEX_op_xor;
}

/* Algebraic identities of binary ops with one known operand or equal
 * operands. Returns true if op was rewritten. */
static bool opt_identity(OptContext *ctx, TCGOp *op)
{
    TCGOpcode opc = (TCGOpcode)op->opc;
    TCGv d = op->args[0], a = op->args[1], b = op->args[2];
    uint64_t m = type_mask((TCGType)op->type), va = 0, vb = 0;
    bool ca = opt_is_const(ctx, a, &va), cb = opt_is_const(ctx, b, &vb);

    if (ca && !cb && is_commutative(opc)) {
        /* constants second: what backends encode as immediates */
        op->args[1] = b;
        op->args[2] = a;
        TCGv t = a; a = b; b = t;
        ca = false; cb = true; vb = va;
    }
    if (cb) {
        switch (opc) {
        case INDEX_op_add: case INDEX_op_sub: case INDEX_op_or: case INDEX_op_xor:
        case INDEX_op_andc:
            if (vb == 0) { opt_to_mov(ctx, op, d, a); return true; }
            break;
        case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
        case INDEX_op_rotl: case INDEX_op_rotr:
            if ((vb & (op->type == TCG_TYPE_I32 ? 31 : 63)) == 0) { opt_to_mov(ctx, op, d, a); return true; }
            break;
        case INDEX_op_mul:
            if (vb == 1) { opt_to_mov(ctx, op, d, a); return true; }
            if (vb == 0) { opt_to_movi(ctx, op, d, 0); return true; }
            break;
        case INDEX_op_and:
            if (vb == m) { opt_to_mov(ctx, op, d, a); return true; }
            if (vb == 0) { opt_to_movi(ctx, op, d, 0); return true; }
            break;
        default:
            break;
        }
        if (opc == INDEX_op_or && vb == m) { opt_to_movi(ctx, op, d, m); return true; }
        if (opc == INDEX_op_andc && vb == m) { opt_to_movi(ctx, op, d, 0); return true; }
    }
    if (ca && va == 0) {
        switch (opc) {
        case INDEX_op_shl: case INDEX_op_shr: case INDEX_op_sar:
        case INDEX_op_rotl: case INDEX_op_rotr: case INDEX_op_andc:
            opt_to_movi(ctx, op, d, 0);
            return true;
        default:
            break;
        }
    }
    if (opt_same_value(ctx, a, b)) {
        switch (opc) {
        case INDEX_op_sub: case INDEX_op_xor: case INDEX_op_andc:
            opt_to_movi(ctx, op, d, 0);
            return true;
        case INDEX_op_and: case INDEX_op_or:
            opt_to_mov(ctx, op, d, a);
            return true;
        default:
            break;
        }
    }
    return false;
}

/* The result of (a cond b) if it is known: 1 true, 0 false, -1 unknown.
 * May swap the operands to put a constant second. */
static int opt_cond(OptContext *ctx, TCGOp *op, int ia, int ic)
{
    TCGv a = op->args[ia], b = op->args[ia + 1];
    TCGCond c = (TCGCond)op->args[ic];
    uint64_t va = 0, vb = 0;
    bool ca = opt_is_const(ctx, a, &va), cb = opt_is_const(ctx, b, &vb);

    if (c == TCG_COND_ALWAYS)
        return 1;
    if (c == TCG_COND_NEVER)
        return 0;
    if (ca && cb)
        return tcg_cond_eval(c, (TCGType)ctx->s->temps[a].type, va, vb);
    if (opt_same_value(ctx, a, b)) {
        switch (c) {
        case TCG_COND_EQ: case TCG_COND_GE: case TCG_COND_LE:
        case TCG_COND_GEU: case TCG_COND_LEU:
            return 1;
        case TCG_COND_NE: case TCG_COND_LT: case TCG_COND_GT:
        case TCG_COND_LTU: case TCG_COND_GTU:
            return 0;
        default:
            break;
        }
    }
    if (ca && !cb) {
        op->args[ia] = b;
        op->args[ia + 1] = a;
        op->args[ic] = tcg_swap_cond(c);
    }
    return -1;
}

/* What may be 1 in the output of a one-output op, from its inputs'
 * masks (~0 when nothing useful is known). Read before the output is reset:
 * it may also be an input. */
static uint64_t opt_out_z_mask(OptContext *ctx, TCGOp *op)
{
    TCGOpcode opc = (TCGOpcode)op->opc;
    int ni = op->nb_iargs;
    const uint64_t *c = &op->args[1 + ni];
    uint64_t za = ni > 0 ? opt_z_mask(ctx, op->args[1]) : ~0ull;
    uint64_t zb = ni > 1 ? opt_z_mask(ctx, op->args[2]) : ~0ull, v, fm;
    switch (opc) {
    case INDEX_op_setcond: return 1;
    case INDEX_op_ext8u: return za & 0xff;
    case INDEX_op_ext16u: return za & 0xffff;
    case INDEX_op_ext32u: case INDEX_op_extu_i32_i64: case INDEX_op_extrl_i64_i32:
        return za & 0xffffffffull;
    case INDEX_op_and: return za & zb;
    case INDEX_op_or: case INDEX_op_xor: return za | zb;
    case INDEX_op_movcond: return opt_z_mask(ctx, op->args[3]) | opt_z_mask(ctx, op->args[4]);
    case INDEX_op_extract:
        return (za >> (c[0] & 63)) & field_mask(c[1]);
    case INDEX_op_deposit:
        fm = field_mask(c[1]) << (c[0] & 63);
        return (za & ~fm) | ((zb << (c[0] & 63)) & fm);
    case INDEX_op_shr:
        return opt_is_const(ctx, op->args[2], &v) ? za >> (v & (op->type == TCG_TYPE_I32 ? 31 : 63)) : ~0ull;
    case INDEX_op_shl:
        return opt_is_const(ctx, op->args[2], &v) ? za << (v & (op->type == TCG_TYPE_I32 ? 31 : 63)) : ~0ull;
    case INDEX_op_ld8u: return 0xff;
    case INDEX_op_ld16u: return 0xffff;
    case INDEX_op_qemu_ld:
        if (!(op->args[2] & MO_SIGN) && (op->args[2] & MO_SIZE) < MO_64)
            return field_mask(8u << (op->args[2] & MO_SIZE));
        return ~0ull;
    default:
        return ~0ull;
    }
}

/* Rewrites that need the known-zero bits: a mask or zero-extension that
 * clears nothing is a copy (setcond's 0/1 zero-extended, say). */
static bool opt_fold_z(OptContext *ctx, TCGOp *op)
{
    TCGOpcode opc = (TCGOpcode)op->opc;
    uint64_t keep, v;
    switch (opc) {
    case INDEX_op_and:
        if (!opt_is_const(ctx, op->args[2], &v))
            return false;
        keep = v;
        break;
    case INDEX_op_ext8u: keep = 0xff; break;
    case INDEX_op_ext16u: keep = 0xffff; break;
    case INDEX_op_ext32u: keep = 0xffffffffull; break;
    case INDEX_op_extract:
        if (op->args[2] != 0)
            return false;
        keep = field_mask(op->args[3]);
        break;
    default:
        return false;
    }
    if ((opt_z_mask(ctx, op->args[1]) & ~keep & type_mask((TCGType)op->type)) != 0)
        return false;
    opt_to_mov(ctx, op, op->args[0], op->args[1]);
    return true;
}

/* Rewrite op given what is known; returns false if op was removed. */
static bool opt_fold(OptContext *ctx, TCGOp *op)
{
    TCGContext *s = ctx->s;
    TCGOpcode opc = (TCGOpcode)op->opc;
    int no = op->nb_oargs, ni = op->nb_iargs;
    uint64_t va = 0, vb = 0;

    switch (opc) {
    case INDEX_op_mov: {
        uint64_t vd, vs;
        if (opt_same_value(ctx, op->args[0], op->args[1]) ||
            (s->temps[op->args[0]].kind != TEMP_CONST && opt_is_const(ctx, op->args[0], &vd) &&
             opt_is_const(ctx, op->args[1], &vs) && vd == vs)) {
            /* the destination already holds this value */
            opt_remove(ctx, op);
            return false;
        }
        opt_to_mov(ctx, op, op->args[0], op->args[1]);
        return true;
    }

    case INDEX_op_brcond: {
        int r = opt_cond(ctx, op, 0, 2);
        if (r == 0) {
            opt_remove(ctx, op);
            return false;
        }
        if (r == 1) {
            uint64_t label = op->args[3];
            op->opc = INDEX_op_br;
            op->nb_iargs = 0;
            op->nb_cargs = 1;
            op->args[0] = label;
        }
        return true;
    }
    case INDEX_op_setcond:
    case INDEX_op_negsetcond: {
        int r = opt_cond(ctx, op, 1, 3);
        if (r >= 0) {
            uint64_t v = r ? (opc == INDEX_op_setcond ? 1 : ~0ull) : 0;
            opt_to_movi(ctx, op, op->args[0], v);
            return true;
        }
        break;
    }
    case INDEX_op_movcond: {
        int r = opt_cond(ctx, op, 1, 5);
        if (r >= 0) {
            opt_to_mov(ctx, op, op->args[0], op->args[r ? 3 : 4]);
            return true;
        }
        if (opt_same_value(ctx, op->args[3], op->args[4])) {
            opt_to_mov(ctx, op, op->args[0], op->args[3]);
            return true;
        }
        /* the arms are the compared values: EQ gives v2 either way (when
         * a == b both arms are equal), NE gives v1 */
        TCGCond c = (TCGCond)op->args[5];
        TCGv a = op->args[1], b = op->args[2], v1 = op->args[3], v2 = op->args[4];
        if ((c == TCG_COND_EQ || c == TCG_COND_NE) &&
            ((opt_same_value(ctx, v1, a) && opt_same_value(ctx, v2, b)) ||
             (opt_same_value(ctx, v1, b) && opt_same_value(ctx, v2, a)))) {
            opt_to_mov(ctx, op, op->args[0], c == TCG_COND_EQ ? v2 : v1);
            return true;
        }
        break;
    }
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
        if (opt_is_const(ctx, op->args[2], &va) && opt_is_const(ctx, op->args[3], &vb)) {
            uint64_t lo, hi;
            tcg_mul2_eval(opc == INDEX_op_muls2, (TCGType)op->type, va, vb, &lo, &hi);
            TCGv dlo = op->args[0], dhi = op->args[1];
            TCGOp *mhi = tcg_op_insert_before(s, op->next, INDEX_op_mov, (TCGType)op->type, 2);
            mhi->args[0] = dhi;
            mhi->args[1] = opt_constant(ctx, (TCGType)op->type, hi);
            /* mhi is visited next and records dhi's value */
            opt_to_movi(ctx, op, dlo, lo);
            return true;
        }
        break;
    case INDEX_op_clz:
    case INDEX_op_ctz:
        if (opt_is_const(ctx, op->args[1], &va)) {
            if (va == 0)
                opt_to_mov(ctx, op, op->args[0], op->args[2]);
            else
                opt_to_movi(ctx, op, op->args[0], opt_eval(opc, (TCGType)op->type, va, 0, NULL));
            return true;
        }
        break;
    default:
        if (opt_foldable(opc) && no == 1) {
            bool all = true;
            uint64_t v[2] = { 0, 0 };
            for (int i = 0; i < ni; i++)
                all &= opt_is_const(ctx, op->args[1 + i], &v[i]);
            if (all) {
                uint64_t r = opt_eval(opc, (TCGType)op->type, v[0], v[1], &op->args[1 + ni]);
                opt_to_movi(ctx, op, op->args[0], r);
                return true;
            }
            if (ni == 2 && opt_identity(ctx, op))
                return true;
            if (opt_fold_z(ctx, op))
                return true;
        }
        break;
    }
    /* the outputs now hold unknown values, but for which bits may be 1 */
    uint64_t z = no == 1 ? opt_out_z_mask(ctx, op) : ~0ull;
    for (int i = 0; i < no; i++)
        opt_reset_temp(ctx, op->args[i]);
    if (no == 1 && z != ~0ull) {
        opt_touch(ctx, op->args[0]);
        ctx->t[op->args[0]].z_mask = z;
    }
    return true;
}

void tcg_optimize(TCGContext *s)
{
    /* on the stack: this runs for every block, malloc would dominate */
    OptContext octx;
    OptContext *ctx = &octx;
    int refs_local[256];
    ctx->s = s;
    ctx->nb_init = 0;
    ctx->nb_touched = 0;
    ctx->label_refs = refs_local;
    if (s->nb_labels > 256) {
        ctx->label_refs = calloc(s->nb_labels, sizeof(int));
        if (!ctx->label_refs)
            return;         /* optimising is optional; the IR stays correct */
    } else {
        memset(refs_local, 0, (size_t)s->nb_labels * sizeof(int));
    }
    for (TCGOp *op = s->nb_labels ? s->first_op : NULL; op; op = op->next) {
        if (op->opc == INDEX_op_br && op->args[0] < (uint64_t)s->nb_labels)
            ctx->label_refs[op->args[0]]++;
        else if (op->opc == INDEX_op_brcond && op->args[3] < (uint64_t)s->nb_labels)
            ctx->label_refs[op->args[3]]++;
    }
    opt_init_temps(ctx);

    bool unreachable = false;
    TCGOp *next;
    for (TCGOp *op = s->first_op; op; op = next) {
        next = op->next;
        TCGOpcode opc = (TCGOpcode)op->opc;
        /* Folding creates constants; one op makes at most a few. Near the
         * temp limit leave the rest of the block as it is (still correct). */
        if (s->nb_temps > TCG_MAX_TEMPS - 16)
            break;

        if (opc == INDEX_op_set_label) {
            TCGOp *prev = op->prev;
            if (prev && prev->opc == INDEX_op_br && prev->args[0] == op->args[0]) {
                /* a jump to the next op: what was known before it holds */
                opt_remove(ctx, prev);
                unreachable = false;
            }
            if (ctx->label_refs[op->args[0]] == 0) {
                /* no branch comes here: the label only splits the block */
                tcg_op_remove(s, op);
                continue;
            }
            unreachable = false;
            opt_reset_all(ctx);
            continue;
        }
        if (unreachable) {
            /* insn_start stays: the backend's per-insn tables count them */
            if (opc != INDEX_op_insn_start)
                opt_remove(ctx, op);
            continue;
        }
        if (opc == INDEX_op_br) {
            if (next && next->opc == INDEX_op_set_label && next->args[0] == op->args[0]) {
                opt_remove(ctx, op);
                continue;
            }
            unreachable = true;
            continue;
        }

        /* uses read the canonical temp of their value */
        int no = op->nb_oargs, ni = op->nb_iargs;
        for (int i = no; i < no + ni; i++)
            op->args[i] = opt_canonical(ctx, op->args[i]);

        if (opc == INDEX_op_call) {
            const TCGHelperInfo *info = (const TCGHelperInfo *)(uintptr_t)op->args[no + ni];
            for (int i = 0; i < no; i++)
                opt_reset_temp(ctx, op->args[i]);
            if (!(info->flags & TCG_CALL_NO_WRITE_GLOBALS)) {
                for (int i = 0; i < s->nb_globals; i++)
                    opt_reset_temp(ctx, i);
            }
            continue;
        }
        if (!opt_fold(ctx, op))
            continue;
        next = op->next;    /* folding may insert ops after op */
        if (op->opc == INDEX_op_mov && op->args[0] == op->args[1]) {
            opt_remove(ctx, op);
            continue;
        }
        if (op->opc == INDEX_op_br) {      /* a brcond that always jumps */
            if (op->next && op->next->opc == INDEX_op_set_label && op->next->args[0] == op->args[0]) {
                next = op->next;
                opt_remove(ctx, op);
                continue;
            }
            unreachable = true;
            continue;
        }
        if (tcg_op_defs[op->opc].flags & TCG_OPF_BB_EXIT)
            unreachable = true;
    }
    if (ctx->label_refs != refs_local)
        free(ctx->label_refs);
}
