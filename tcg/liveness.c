/*
 * tcg_liveness: a backward pass that fills op->life (which inputs die at the
 * op, which outputs are never read, where globals must be in env) and
 * deletes ops whose results nobody reads: this is what removes lazy-flag
 * computations overwritten before any read, fault or helper call.
 * What must stay true: a global is live wherever its value may be read from
 * env (block and basic-block ends, ops that may fault, exits, calls that
 * read globals); a normal temp is live wherever some path may still read it.
 * The rule for temps that cross basic blocks is conservative, see
 * tcg/README.md ("Liveness").
 */
#include <stdlib.h>
#include <string.h>
#include "tcg/tcg.h"

#define TCG_LIFE_SYNC (1u << 31)

typedef struct LiveRange {
    int first, last;      /* op positions of the first and last reference */
    int first_bb;
    bool multi_bb;        /* referenced in more than one basic block */
} LiveRange;

typedef struct BackEdge { int from, to; } BackEdge;

static bool op_needs_globals(const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    if (def->flags & (TCG_OPF_MAY_FAULT | TCG_OPF_BB_END | TCG_OPF_BB_EXIT))
        return true;
    if (op->opc == INDEX_op_exit_check || op->opc == INDEX_op_goto_tb)
        return true;
    if (op->opc == INDEX_op_call) {
        const TCGHelperInfo *info = (const TCGHelperInfo *)(uintptr_t)op->args[op->nb_oargs + op->nb_iargs];
        return !(info->flags & TCG_CALL_NO_READ_GLOBALS);
    }
    return false;
}

static bool op_needs_sync(const TCGOp *op)
{
    if (op_needs_globals(op))
        return true;
    if (op->opc == INDEX_op_call) {
        /* a helper that may write globals: cached copies are dropped after
         * it, so dirty ones must reach env first */
        const TCGHelperInfo *info = (const TCGHelperInfo *)(uintptr_t)op->args[op->nb_oargs + op->nb_iargs];
        return !(info->flags & TCG_CALL_NO_WRITE_GLOBALS);
    }
    return false;
}

static bool op_removable(const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    if (op->opc == INDEX_op_call) {
        const TCGHelperInfo *info = (const TCGHelperInfo *)(uintptr_t)op->args[op->nb_oargs + op->nb_iargs];
        return (info->flags & TCG_CALL_NO_SIDE_EFFECTS) != 0;
    }
    if (def->flags & (TCG_OPF_SIDE_EFFECTS | TCG_OPF_BB_END | TCG_OPF_BB_EXIT | TCG_OPF_MAY_FAULT))
        return false;
    return op->nb_oargs > 0;
}

void tcg_liveness(TCGContext *s)
{
    int n = s->nb_ops, nt = s->nb_temps;
    /* one buffer for all scratch arrays, on the stack for usual blocks:
     * this runs for every block and malloc showed in profiles */
    uint64_t stack_buf[4096];
    size_t sz_ops = (n + 1) * sizeof(TCGOp *), sz_lr = (nt + 1) * sizeof(LiveRange);
    size_t sz_lab = (s->nb_labels + 1) * sizeof(int), sz_edges = (n + 1) * sizeof(BackEdge);
    size_t sz_multi = (nt + 1) * sizeof(int), sz_live = nt + 1;
    size_t total = sz_ops + sz_lr + sz_lab + sz_edges + sz_multi + sz_live + 64;
    char *buf = total <= sizeof(stack_buf) ? (char *)stack_buf : malloc(total);
    if (!buf)
        abort();
    char *cur = buf;
#define LIVE_TAKE(sz) (cur += ((sz) + 7) & ~(size_t)7, cur - (((sz) + 7) & ~(size_t)7))
    TCGOp **ops = (TCGOp **)LIVE_TAKE(sz_ops);
    LiveRange *lr = (LiveRange *)LIVE_TAKE(sz_lr);
    int *label_pos = (int *)LIVE_TAKE(sz_lab);
    BackEdge *edges = (BackEdge *)LIVE_TAKE(sz_edges);
    int *multi = (int *)LIVE_TAKE(sz_multi);
    uint8_t *live = (uint8_t *)LIVE_TAKE(sz_live);
#undef LIVE_TAKE

    /* positions, basic blocks, reference ranges. Without labels no temp
     * crosses a basic-block end that falls through or branches (only
     * exits end blocks), so none of this is needed. */
    int p = 0, bb = 0;
    bool labels = s->nb_labels > 0;
    if (labels) {
        for (int i = 0; i < nt; i++)
            lr[i] = (LiveRange){ -1, -1, -1, false };
        for (int i = 0; i < s->nb_labels; i++)
            label_pos[i] = -1;
    }
    for (TCGOp *op = labels ? s->first_op : NULL; op; op = op->next, p++) {
        ops[p] = op;
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        if (op->opc == INDEX_op_set_label) {
            bb++;
            if (op->args[0] < (uint64_t)s->nb_labels)
                label_pos[op->args[0]] = p;
            continue;
        }
        for (int i = 0; i < op->nb_oargs + op->nb_iargs; i++) {
            TCGv t = op->args[i];
            if (s->temps[t].kind != TEMP_NORMAL)
                continue;
            if (lr[t].first < 0) {
                lr[t].first = p;
                lr[t].first_bb = bb;
            } else if (lr[t].first_bb != bb) {
                lr[t].multi_bb = true;
            }
            lr[t].last = p;
        }
        if (def->flags & TCG_OPF_BB_END)
            bb++;
    }
    if (labels)
        n = p;

    /* a temp alive in a loop is alive around the whole loop */
    int nb_edges = 0;
    for (p = 0; p < n && labels; p++) {
        uint64_t label;
        if (ops[p]->opc == INDEX_op_br)
            label = ops[p]->args[0];
        else if (ops[p]->opc == INDEX_op_brcond)
            label = ops[p]->args[3];
        else
            continue;
        if (label < (uint64_t)s->nb_labels && label_pos[label] >= 0 && label_pos[label] < p)
            edges[nb_edges++] = (BackEdge){ p, label_pos[label] };
    }
    int nb_multi = 0;
    for (int t = 0; t < nt && labels; t++) {
        if (!lr[t].multi_bb)
            continue;
        multi[nb_multi++] = t;
        bool changed = true;
        while (changed) {
            changed = false;
            for (int e = 0; e < nb_edges; e++) {
                int q = edges[e].to, b = edges[e].from;
                if (q <= lr[t].last && lr[t].first <= b) {
                    if (q < lr[t].first) { lr[t].first = q; changed = true; }
                    if (b + 1 > lr[t].last) { lr[t].last = b + 1; changed = true; }
                }
            }
        }
    }

    /* the backward pass; at the block end only globals are live */
    for (int t = 0; t < nt; t++)
        live[t] = s->temps[t].kind == TEMP_GLOBAL || s->temps[t].kind == TEMP_FIXED;

    TCGOp *prev_op;
    p = n;      /* with labels: the position of op, once decremented */
    for (TCGOp *op = labels ? (n ? ops[n - 1] : NULL) : s->last_op; op; op = prev_op) {
        p--;
        prev_op = labels ? (p > 0 ? ops[p - 1] : NULL) : op->prev;
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        int no = op->nb_oargs, ni = op->nb_iargs;
        uint32_t life = 0;

        /* the state after a basic-block end */
        if (def->flags & TCG_OPF_BB_END) {
            bool fallthrough = !(def->flags & TCG_OPF_BB_EXIT) && op->opc != INDEX_op_br;
            for (int t = s->nb_globals; t < nt; t++) {
                if (!fallthrough || s->temps[t].kind == TEMP_CONST)
                    live[t] = 0;
            }
            if (!(def->flags & TCG_OPF_BB_EXIT)) {
                for (int k = 0; k < nb_multi; k++) {
                    int t = multi[k];
                    if (lr[t].first < p && p < lr[t].last)
                        live[t] = 1;
                }
            }
            for (int t = 0; t < s->nb_globals; t++)
                live[t] = 1;
        }

        bool all_dead = no > 0 || op->opc == INDEX_op_call;
        for (int i = 0; i < no; i++) {
            TCGv t = op->args[i];
            if (!live[t])
                life |= TCG_LIFE_DEAD_OUT(i);
            else
                all_dead = false;
        }
        if (all_dead && op_removable(op)) {
            tcg_op_remove(s, op);
            continue;
        }
        for (int i = 0; i < no; i++) {
            TCGv t = op->args[i];
            if (s->temps[t].kind != TEMP_FIXED)
                live[t] = 0;
        }
        if (op_needs_globals(op)) {
            for (int t = 0; t < s->nb_globals; t++)
                live[t] = 1;
        }
        if (op_needs_sync(op))
            life |= TCG_LIFE_SYNC;
        for (int i = 0; i < ni; i++) {
            TCGv t = op->args[no + i];
            if (!live[t] && s->temps[t].kind != TEMP_FIXED)
                life |= TCG_LIFE_DEAD_IN(i);
        }
        for (int i = 0; i < ni; i++)
            live[op->args[no + i]] = 1;
        op->life = life;
    }

    if (buf != (char *)stack_buf)
        free(buf);
}
