/*
 * Host-neutral register allocator (see regalloc.h). State per temp lives in
 * TCGTemp (reg, val_in_mem, dirty); state per host register in RegAlloc.
 * Invariants that must stay true:
 *  - a temp is in at most one register, and reg_temp[] mirrors temp->reg;
 *  - a GLOBAL's memory copy is current unless it is dirty; a dirty global
 *    is in a register, or (reg < 0) holds the constant ra->gconst[t] that
 *    still has to be stored; a NORMAL temp's spill slot is current iff
 *    val_in_mem;
 *  - the allocator only ever emits moves, loads, stores and constant loads,
 *    none of which changes host condition flags on the hosts we target.
 */
#include <stdlib.h>
#include "tcg/regalloc.h"

static TCGTemp *ra_temp(RegAlloc *ra, TCGv t) { return &ra->s->temps[t]; }

static int32_t ra_slot(RegAlloc *ra, TCGv t)
{
    return ra->host->frame_offset + 8 * (int32_t)t;
}

void ra_init(RegAlloc *ra, const RAHostDesc *host, void *opaque, TCGContext *s)
{
    ra->host = host;
    ra->opaque = opaque;
    ra->s = s;
    ra->locked = 0;
    ra->op = NULL;
    ra->gconst_any = false;
    for (int r = 0; r < RA_MAX_REGS; r++)
        ra->reg_temp[r] = -1;
    if ((int64_t)s->nb_temps * 8 > host->frame_size)
        abort();                         /* cannot happen: frame sized for TCG_MAX_TEMPS */
    for (int i = 0; i < s->nb_temps; i++) {
        TCGTemp *ts = &s->temps[i];
        ts->reg = -1;
        ts->dirty = 0;
        switch (ts->kind) {
        case TEMP_FIXED:
            ts->reg = (int8_t)host->env_reg;
            ts->val_in_mem = 0;
            break;
        case TEMP_GLOBAL:
            ts->val_in_mem = 1;
            break;
        case TEMP_NORMAL:
            ts->val_in_mem = 0;
            ts->mem_offset = ra_slot(ra, (TCGv)i);
            break;
        default:
            ts->val_in_mem = 0;
            break;
        }
    }
    s->frame_size = s->nb_temps * 8;
}

static void ra_bind(RegAlloc *ra, TCGv t, int reg)
{
    ra->reg_temp[reg] = (int16_t)t;
    ra_temp(ra, t)->reg = (int8_t)reg;
}

static void ra_unbind(RegAlloc *ra, int reg)
{
    int t = ra->reg_temp[reg];
    if (t >= 0) {
        ra_temp(ra, (TCGv)t)->reg = -1;
        ra->reg_temp[reg] = -1;
    }
}

/* Store the register copy of t to memory if memory is stale. */
static bool ra_is_gconst(const TCGTemp *ts)
{
    return ts->kind == TEMP_GLOBAL && ts->reg < 0 && ts->dirty;
}

static void ra_store_temp(RegAlloc *ra, TCGv t)
{
    TCGTemp *ts = ra_temp(ra, t);
    if (ra_is_gconst(ts)) {
        ra->host->sti(ra->opaque, (TCGType)ts->type, ra->gconst[t], ra->host->env_reg, ts->mem_offset);
        ts->val_in_mem = 1;
        ts->dirty = 0;
        return;
    }
    if (ts->reg < 0 || ts->val_in_mem)
        return;
    if (ts->kind == TEMP_GLOBAL) {
        ra->host->st(ra->opaque, (TCGType)ts->type, ts->reg, ra->host->env_reg, ts->mem_offset);
    } else if (ts->kind == TEMP_NORMAL) {
        ra->host->st(ra->opaque, (TCGType)ts->type, ts->reg, ra->host->frame_reg, ts->mem_offset);
    } else {
        return;                          /* constants and env never need a store */
    }
    ts->val_in_mem = 1;
    ts->dirty = 0;
}

void ra_set_global_const(RegAlloc *ra, TCGv t, uint64_t val)
{
    TCGTemp *ts = ra_temp(ra, t);
    if (ts->reg >= 0)
        ra->reg_temp[(int)ts->reg] = -1;   /* old value replaced; a locked reg stays locked */
    ts->reg = -1;
    ts->val_in_mem = 0;
    ts->dirty = 1;
    ra->gconst[t] = ts->type == TCG_TYPE_I32 ? (uint32_t)val : val;
    ra->gconst_any = true;
}

bool ra_global_const(const RegAlloc *ra, TCGv t, uint64_t *val)
{
    const TCGTemp *ts = &ra->s->temps[t];
    if (!ra_is_gconst(ts))
        return false;
    *val = ra->gconst[t];
    return true;
}

void ra_evict(RegAlloc *ra, int reg)
{
    int t = ra->reg_temp[reg];
    if (t < 0)
        return;
    ra_store_temp(ra, (TCGv)t);
    ra_unbind(ra, reg);
}

/* Is temp t an input of the current op that dies here? */
static bool ra_temp_dies_here(RegAlloc *ra, TCGv t)
{
    const TCGOp *op = ra->op;
    if (!op)
        return false;
    TCGTemp *ts = ra_temp(ra, t);
    if (ts->kind == TEMP_CONST)
        return true;
    if (ts->kind != TEMP_NORMAL)
        return false;                    /* globals never die: memory must stay right */
    bool seen = false;
    for (int i = 0; i < op->nb_iargs; i++) {
        if (op->args[op->nb_oargs + i] == t) {
            if (!(op->life & TCG_LIFE_DEAD_IN(i)))
                return false;
            seen = true;
        }
    }
    return seen;
}

bool ra_input_reusable(RegAlloc *ra, int i)
{
    const TCGOp *op = ra->op;
    return ra_temp_dies_here(ra, (TCGv)op->args[op->nb_oargs + i]);
}

/* A register of `allowed` that holds nothing and is not locked, -1 if none. */
static int ra_find_free(RegAlloc *ra, uint32_t allowed)
{
    const RAHostDesc *h = ra->host;
    allowed &= h->allocatable & ~ra->locked;
    for (int k = 0; k < h->nb_order; k++) {
        int r = h->order[k];
        if ((allowed & (1u << r)) && ra->reg_temp[r] < 0)
            return r;
    }
    return -1;
}

/* Empty reg for a fixed-register use: a live occupant moves to a free
 * register of `to` when there is one (a register move instead of a spill
 * and a later reload), else it is evicted. Only a mov is emitted, so the
 * old register stays physically valid until the op writes it. */
static void ra_displace(RegAlloc *ra, int reg, uint32_t to)
{
    int t = ra->reg_temp[reg];
    if (t < 0)
        return;
    TCGTemp *ts = ra_temp(ra, (TCGv)t);
    int n = ts->kind == TEMP_CONST ? -1 : ra_find_free(ra, to & ~(1u << reg));
    if (n < 0) {
        ra_evict(ra, reg);
        return;
    }
    ra->host->mov(ra->opaque, (TCGType)ts->type, n, reg);
    ra->reg_temp[reg] = -1;
    ra_bind(ra, (TCGv)t, n);
}

static int ra_pick(RegAlloc *ra, uint32_t allowed)
{
    const RAHostDesc *h = ra->host;
    allowed &= h->allocatable & ~ra->locked;
    /* 1: free; 2: holds a constant or a clean copy; 3: anything (spill) */
    for (int pass = 0; pass < 3; pass++) {
        for (int k = 0; k < h->nb_order; k++) {
            int r = h->order[k];
            if (!(allowed & (1u << r)))
                continue;
            int t = ra->reg_temp[r];
            if (pass == 0 && t >= 0)
                continue;
            if (pass == 1) {
                if (t < 0)
                    continue;
                TCGTemp *ts = ra_temp(ra, (TCGv)t);
                if (!(ts->kind == TEMP_CONST || ts->val_in_mem))
                    continue;
            }
            ra_evict(ra, r);
            return r;
        }
    }
    abort();                             /* the backend asked for more registers than exist */
}

int ra_alloc_scratch(RegAlloc *ra, uint32_t allowed)
{
    int r = ra_pick(ra, allowed);
    ra->locked |= 1u << r;
    return r;
}

int ra_get_input(RegAlloc *ra, TCGv t, uint32_t allowed)
{
    TCGTemp *ts = ra_temp(ra, t);
    const RAHostDesc *h = ra->host;
    if (ts->kind == TEMP_FIXED)
        return ts->reg;
    if (ts->reg >= 0 && (allowed & (1u << ts->reg))) {
        ra->locked |= 1u << ts->reg;
        return ts->reg;
    }
    int r;
    if ((allowed & (allowed - 1)) == 0) {
        /* one fixed register: move its occupant out of the way */
        r = __builtin_ctz(allowed);
        if (ra->reg_temp[r] >= 0 && ra->reg_temp[r] != (int16_t)t)
            ra_displace(ra, r, ~0u);
    } else {
        r = ra_pick(ra, allowed);
    }
    if (ts->reg >= 0) {
        int old = ts->reg;
        h->mov(ra->opaque, (TCGType)ts->type, r, old);
        ra->reg_temp[old] = -1;          /* old stays locked if another input uses it */
    } else if (ts->kind == TEMP_CONST) {
        h->movi(ra->opaque, (TCGType)ts->type, r, ts->val);
    } else if (ra_is_gconst(ts)) {
        h->movi(ra->opaque, (TCGType)ts->type, r, ra->gconst[t]);   /* stays dirty */
    } else if (ts->kind == TEMP_GLOBAL) {
        h->ld(ra->opaque, (TCGType)ts->type, r, h->env_reg, ts->mem_offset);
    } else {
        /* a normal temp read without a value in a register: its slot */
        h->ld(ra->opaque, (TCGType)ts->type, r, h->frame_reg, ts->mem_offset);
        ts->val_in_mem = 1;
    }
    ra_bind(ra, t, r);
    ra->locked |= 1u << r;
    return r;
}

int ra_alloc_output(RegAlloc *ra, TCGv t, uint32_t allowed, uint32_t reuse)
{
    TCGTemp *ts = ra_temp(ra, t);
    int r = -1;
    if ((allowed & (allowed - 1)) == 0) {
        r = __builtin_ctz(allowed);
        int occ = ra->reg_temp[r];
        if (occ >= 0 && occ != (int)t) {
            if (ra_temp_dies_here(ra, (TCGv)occ))
                ra_unbind(ra, r);
            else
                ra_displace(ra, r, ~0u);
        }
    } else if (ts->reg >= 0 && (allowed & reuse & (1u << ts->reg))) {
        r = ts->reg;
    } else if (reuse & allowed) {
        /* a dying input's register: the output takes it over (for a mov
         * nothing is emitted), and the output's old register is freed */
        r = __builtin_ctz(reuse & allowed);
        int occ = ra->reg_temp[r];
        if (occ >= 0 && occ != (int)t)
            ra_unbind(ra, r);
    } else if (ts->reg >= 0 && (allowed & (1u << ts->reg)) && !(ra->locked & (1u << ts->reg))) {
        r = ts->reg;
    } else {
        r = ra_pick(ra, allowed);
    }
    if (ts->reg >= 0 && ts->reg != r)
        ra->reg_temp[(int)ts->reg] = -1; /* its old value is being replaced */
    ra_bind(ra, t, r);
    ts->val_in_mem = 0;
    ts->dirty = ts->kind == TEMP_GLOBAL;
    ra->locked |= 1u << r;
    return r;
}

void ra_op_begin(RegAlloc *ra, const TCGOp *op)
{
    ra->op = op;
    ra->locked = 0;
}

void ra_op_end(RegAlloc *ra)
{
    const TCGOp *op = ra->op;
    if (op && op->life) {
        for (int i = 0; i < op->nb_iargs; i++) {
            TCGv t = (TCGv)op->args[op->nb_oargs + i];
            TCGTemp *ts = ra_temp(ra, t);
            if (!(op->life & TCG_LIFE_DEAD_IN(i)) || ts->kind != TEMP_NORMAL)
                continue;
            bool is_out = false;
            for (int o = 0; o < op->nb_oargs; o++)
                is_out |= op->args[o] == t;
            if (is_out)
                continue;
            if (ts->reg >= 0)
                ra_unbind(ra, ts->reg);
            ts->val_in_mem = 0;
        }
        for (int o = 0; o < op->nb_oargs; o++) {
            TCGv t = (TCGv)op->args[o];
            TCGTemp *ts = ra_temp(ra, t);
            if (!(op->life & TCG_LIFE_DEAD_OUT(o)) || ts->kind != TEMP_NORMAL)
                continue;
            if (ts->reg >= 0)
                ra_unbind(ra, ts->reg);
            ts->val_in_mem = 0;
        }
    }
    ra->locked = 0;
    ra->op = NULL;
}

/* store pending constants of globals */
static void ra_sync_gconsts(RegAlloc *ra)
{
    if (!ra->gconst_any)
        return;
    for (int i = 0; i < ra->s->nb_globals; i++)
        if (ra_is_gconst(&ra->s->temps[i]))
            ra_store_temp(ra, (TCGv)i);
    ra->gconst_any = false;
}

void ra_sync_globals(RegAlloc *ra)
{
    ra_sync_gconsts(ra);
    for (int r = 0; r < ra->host->nb_regs; r++) {
        int t = ra->reg_temp[r];
        if (t >= 0 && ra_temp(ra, (TCGv)t)->kind == TEMP_GLOBAL)
            ra_store_temp(ra, (TCGv)t);
    }
}

void ra_bb_end(RegAlloc *ra)
{
    ra_sync_gconsts(ra);
    for (int r = 0; r < ra->host->nb_regs; r++) {
        int t = ra->reg_temp[r];
        if (t < 0)
            continue;
        /* an input of the block-ending op (brcond) that dies there is not
         * live after it: no spill. Any other normal temp still in a
         * register is live here (liveness frees it at its last use). */
        if (ra_temp_dies_here(ra, (TCGv)t))
            ra_unbind(ra, r);
        else
            ra_evict(ra, r);
    }
}

void ra_bb_exit(RegAlloc *ra)
{
    ra_sync_globals(ra);
    for (int r = 0; r < ra->host->nb_regs; r++)
        ra_unbind(ra, r);
}

void ra_label(RegAlloc *ra)
{
    ra_bb_end(ra);
    TCGContext *s = ra->s;
    for (int i = 0; i < s->nb_temps; i++) {
        if (s->temps[i].kind == TEMP_NORMAL)
            s->temps[i].val_in_mem = 1;
    }
}

void ra_before_call(RegAlloc *ra, uint32_t call_flags)
{
    const RAHostDesc *h = ra->host;
    if ((call_flags & TCG_CALL_NO_RWG) != TCG_CALL_NO_RWG)
        ra_sync_gconsts(ra);
    for (int r = 0; r < ra->host->nb_regs; r++) {
        int t = ra->reg_temp[r];
        if (t < 0)
            continue;
        TCGTemp *ts = ra_temp(ra, (TCGv)t);
        if (ts->kind == TEMP_GLOBAL) {
            if (!(call_flags & TCG_CALL_NO_WRITE_GLOBALS))
                ra_evict(ra, r);
            else if (!(call_flags & TCG_CALL_NO_READ_GLOBALS))
                ra_store_temp(ra, (TCGv)t);
        }
        if (ra->reg_temp[r] < 0 || !(h->call_clobbered & (1u << r)))
            continue;
        if (ra_temp_dies_here(ra, (TCGv)t))
            ra_unbind(ra, r);            /* an argument read for the last time */
        else
            ra_displace(ra, r, ~h->call_clobbered);
    }
}

uint32_t ra_live_regs(const RegAlloc *ra)
{
    uint32_t m = 0;
    for (int r = 0; r < ra->host->nb_regs; r++)
        if (ra->reg_temp[r] >= 0)
            m |= 1u << r;
    return m;
}
