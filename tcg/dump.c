/*
 * -d op / -d op_opt: print a block's IR one op per line, in the spirit of
 * QEMU's dump (` add_i32 tmp3,eax,$0x5`). Golden test files pin this
 * format, so change it deliberately (and regenerate them with
 * UPDATE_GOLDEN=1). Temps print as their global name, `tmpN` (N = temp
 * index) or `$0x..` for constants; labels as `$LN`.
 */
#include <inttypes.h>
#include "tcg/tcg.h"

static const char *const tcg_cond_names[] = {
    [TCG_COND_NEVER] = "never", [TCG_COND_ALWAYS] = "always",
    [TCG_COND_EQ] = "eq", [TCG_COND_NE] = "ne",
    [TCG_COND_LT] = "lt", [TCG_COND_GE] = "ge", [TCG_COND_LE] = "le", [TCG_COND_GT] = "gt",
    [TCG_COND_LTU] = "ltu", [TCG_COND_GEU] = "geu", [TCG_COND_LEU] = "leu", [TCG_COND_GTU] = "gtu",
    [TCG_COND_TSTEQ] = "tsteq", [TCG_COND_TSTNE] = "tstne",
};

static void dump_temp(TCGContext *s, FILE *f, uint64_t t)
{
    if (t >= (uint64_t)s->nb_temps) {
        fprintf(f, "<bad:%" PRIu64 ">", t);
        return;
    }
    const TCGTemp *ts = &s->temps[t];
    switch (ts->kind) {
    case TEMP_FIXED:
    case TEMP_GLOBAL:
        fprintf(f, "%s", ts->name ? ts->name : "glob");
        break;
    case TEMP_CONST:
        fprintf(f, "$0x%" PRIx64, ts->val);
        break;
    default:
        fprintf(f, "tmp%" PRIu64, t);
        break;
    }
}

static void dump_cond(FILE *f, uint64_t c)
{
    if (c < sizeof(tcg_cond_names) / sizeof(tcg_cond_names[0]))
        fprintf(f, "%s", tcg_cond_names[c]);
    else
        fprintf(f, "$0x%" PRIx64, c);
}

static void dump_memop(FILE *f, uint64_t mop)
{
    static const char sizes[] = "bwlq";
    fprintf(f, "%c%c%s", mop & MO_SIGN ? 's' : 'u', sizes[mop & MO_SIZE],
            mop & MO_ALIGN ? "+al" : "");
}

static void dump_one(TCGContext *s, FILE *f, const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int no = op->nb_oargs, ni = op->nb_iargs;
    const uint64_t *c = &op->args[no + ni];

    switch (op->opc) {
    case INDEX_op_insn_start:
        fprintf(f, " ---- %016" PRIx64 " %016" PRIx64, op->args[0], op->args[1]);
        return;
    case INDEX_op_set_label:
        fprintf(f, " set_label $L%" PRIu64, op->args[0]);
        return;
    case INDEX_op_br:
        fprintf(f, " br $L%" PRIu64, op->args[0]);
        return;
    case INDEX_op_call: {
        const TCGHelperInfo *info = (const TCGHelperInfo *)(uintptr_t)c[0];
        fprintf(f, " call %s,$0x%x,$%d", info->name, info->flags, no);
        for (int i = 0; i < no + ni; i++) {
            fputc(',', f);
            dump_temp(s, f, op->args[i]);
        }
        break;
    }
    default:
        fprintf(f, " %s", def->name);
        /* the conversions name their types already */
        if (!(def->flags & TCG_OPF_NOTYPE) && op->opc != INDEX_op_ext_i32_i64 &&
            op->opc != INDEX_op_extu_i32_i64 && op->opc != INDEX_op_extrl_i64_i32 &&
            op->opc != INDEX_op_extrh_i64_i32)
            fprintf(f, op->type == TCG_TYPE_I32 ? "_i32" : "_i64");
        if (no + ni + op->nb_cargs > 0)
            fputc(' ', f);
        for (int i = 0; i < no + ni; i++) {
            if (i)
                fputc(',', f);
            dump_temp(s, f, op->args[i]);
        }
        switch (op->opc) {
        case INDEX_op_brcond:
            fputc(',', f);
            dump_cond(f, c[0]);
            fprintf(f, ",$L%" PRIu64, c[1]);
            break;
        case INDEX_op_setcond:
        case INDEX_op_negsetcond:
        case INDEX_op_movcond:
            fputc(',', f);
            dump_cond(f, c[0]);
            break;
        case INDEX_op_qemu_ld:
        case INDEX_op_qemu_st:
            fputc(',', f);
            dump_memop(f, c[0]);
            fprintf(f, ",%" PRIu64, c[1]);
            break;
        case INDEX_op_ld8u: case INDEX_op_ld8s: case INDEX_op_ld16u: case INDEX_op_ld16s:
        case INDEX_op_ld32u: case INDEX_op_ld32s: case INDEX_op_ld:
        case INDEX_op_st8: case INDEX_op_st16: case INDEX_op_st32: case INDEX_op_st:
            fprintf(f, ",env,$0x%" PRIx64, c[0]);
            break;
        default:
            for (int i = 0; i < op->nb_cargs; i++)
                fprintf(f, "%s$0x%" PRIx64, (no + ni + i) ? "," : "", c[i]);
            break;
        }
        break;
    }
    if (op->life & ~(1u << 31)) {
        fprintf(f, "  dead:");
        for (int i = 0; i < 16; i++) {
            if (op->life & TCG_LIFE_DEAD_IN(i))
                fprintf(f, " i%d", i);
        }
        for (int i = 0; i < 15; i++) {
            if (op->life & TCG_LIFE_DEAD_OUT(i))
                fprintf(f, " o%d", i);
        }
    }
    if (op->life & (1u << 31))
        fprintf(f, "  sync");
}

void tcg_dump_ops(TCGContext *s, FILE *f)
{
    for (const TCGOp *op = s->first_op; op; op = op->next) {
        dump_one(s, f, op);
        fputc('\n', f);
    }
}
