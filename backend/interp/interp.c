/*
 * The portable backend: interp_prepare copies a block's optimised IR into a
 * compact array owned by the TB, interp_exec runs it. This is the reference
 * semantics of every op (tcg/README.md): the JIT must agree with it.
 * What must stay true: globals are read and written in env memory at every
 * access (so guest state is exact whenever a helper or a fault looks at it);
 * an I32 value is kept zero-extended; helpers are called through libffi with
 * the argument types their TCGHelperInfo declares.
 */
#include <ffi.h>
#include <stdlib.h>
#include <string.h>
#include "backend/backend.h"
#include "softmmu/tlb.h"

/* Operand encoding: the top two bits say where the value lives. */
#define ENC_LOCAL 0u            /* regs[temp index]: env, normal temps, constants */
#define ENC_G32   2u            /* 32-bit global at env + offset */
#define ENC_G64   3u            /* 64-bit global at env + offset */
#define ENC_SHIFT 30
#define ENC_MASK  ((1u << ENC_SHIFT) - 1)

#define INTERP_MAX_TEMP_ARGS 8

typedef struct InterpOp {
    uint16_t opc;
    uint8_t type;
    uint8_t no, ni;
    uint32_t a[INTERP_MAX_TEMP_ARGS]; /* encoded temps: outputs, then inputs */
    uint64_t c[2];                    /* constants; branch targets are op indexes */
} InterpOp;

typedef struct InterpCif {
    ffi_cif cif;
    ffi_type *args[TCG_MAX_HELPER_ARGS];
} InterpCif;

typedef struct InterpCode {
    uint32_t nb_ops, nb_consts, nb_cifs;
    InterpOp *ops;
    struct InterpConst { uint32_t slot; uint64_t val; } *consts; /* loaded into regs on entry */
    InterpCif *cifs;          /* one per call op (c[1] indexes it): owned by the block */
} InterpCode;

static ffi_type *interp_ffi_type(int t)
{
    switch (t) {
    case TCG_CALL_I32: return &ffi_type_uint32;
    case TCG_CALL_I64: return &ffi_type_uint64;
    case TCG_CALL_PTR: return &ffi_type_pointer;
    default: return &ffi_type_void;
    }
}

/* The libffi description of a helper's signature, kept in the block that
 * calls it (the helper tables themselves stay read-only). */
static int interp_prep_cif(const TCGHelperInfo *info, InterpCif *ic)
{
    for (int i = 0; i < info->nb_args; i++)
        ic->args[i] = interp_ffi_type(info->arg_types[i]);
    return ffi_prep_cif(&ic->cif, FFI_DEFAULT_ABI, info->nb_args, interp_ffi_type(info->ret_type),
                        ic->args) == FFI_OK ? 0 : -1;
}

/* Encode temp t; constants are added to the block's table once. */
static int interp_encode(TCGContext *s, TCGv t, struct InterpConst *consts, uint32_t *nb_consts,
                         uint32_t *out)
{
    const TCGTemp *ts = &s->temps[t];
    switch (ts->kind) {
    case TEMP_GLOBAL:
        if (ts->mem_offset < 0 || (uint32_t)ts->mem_offset > ENC_MASK)
            return -1;
        *out = ((ts->type == TCG_TYPE_I32 ? ENC_G32 : ENC_G64) << ENC_SHIFT) | (uint32_t)ts->mem_offset;
        return 0;
    case TEMP_CONST:
        for (uint32_t i = 0; i < *nb_consts; i++) {
            if (consts[i].slot == t) {
                *out = (ENC_LOCAL << ENC_SHIFT) | t;
                return 0;
            }
        }
        consts[*nb_consts].slot = t;
        consts[(*nb_consts)++].val = ts->val;
        *out = (ENC_LOCAL << ENC_SHIFT) | t;
        return 0;
    default:                /* FIXED (env, slot 0) and NORMAL: slot = temp index */
        *out = (ENC_LOCAL << ENC_SHIFT) | t;
        return 0;
    }
}

int interp_prepare(TCGContext *s, TranslationBlock *tb)
{
    uint32_t nb = 0, nb_args = 0, nb_calls = 0;
    for (TCGOp *op = s->first_op; op; op = op->next) {
        if (op->opc != INDEX_op_set_label)
            nb++;
        if (op->opc == INDEX_op_call)
            nb_calls++;
        nb_args += op->nb_iargs + op->nb_oargs;
    }
    int *label_idx = malloc((s->nb_labels + 1) * sizeof(int));
    InterpCode *code = malloc(sizeof(InterpCode) + nb_calls * sizeof(InterpCif) + (nb + 1) * sizeof(InterpOp) +
                              (nb_args + 1) * sizeof(struct InterpConst));
    if (!label_idx || !code) {
        free(label_idx);
        free(code);
        return -1;
    }
    code->cifs = (InterpCif *)(code + 1);
    code->ops = (InterpOp *)(code->cifs + nb_calls);
    code->consts = (struct InterpConst *)(code->ops + nb + 1);
    code->nb_consts = 0;
    code->nb_cifs = 0;

    /* label -> index of the first op after it */
    uint32_t i = 0;
    for (int l = 0; l < s->nb_labels; l++)
        label_idx[l] = -1;
    for (TCGOp *op = s->first_op; op; op = op->next) {
        if (op->opc == INDEX_op_set_label)
            label_idx[op->args[0]] = i;
        else
            i++;
    }

    i = 0;
    for (TCGOp *op = s->first_op; op; op = op->next) {
        if (op->opc == INDEX_op_set_label)
            continue;
        InterpOp *io = &code->ops[i++];
        int no = op->nb_oargs, ni = op->nb_iargs;
        memset(io, 0, sizeof(*io));
        io->opc = op->opc;
        io->type = op->type;
        io->no = no;
        io->ni = ni;
        if (no + ni > INTERP_MAX_TEMP_ARGS)
            goto fail;
        for (int k = 0; k < no + ni; k++) {
            if (interp_encode(s, op->args[k], code->consts, &code->nb_consts, &io->a[k]) < 0)
                goto fail;
        }
        const uint64_t *c = &op->args[no + ni];
        for (int k = 0; k < op->nb_cargs && k < 2; k++)
            io->c[k] = c[k];
        switch (op->opc) {
        case INDEX_op_br:
            if (c[0] >= (uint64_t)s->nb_labels || label_idx[c[0]] < 0)
                goto fail;
            io->c[0] = label_idx[c[0]];
            break;
        case INDEX_op_brcond:
            if (c[1] >= (uint64_t)s->nb_labels || label_idx[c[1]] < 0)
                goto fail;
            io->c[1] = label_idx[c[1]];
            break;
        case INDEX_op_call: {
            const TCGHelperInfo *info = (const TCGHelperInfo *)(uintptr_t)c[0];
            if (interp_prep_cif(info, &code->cifs[code->nb_cifs]) < 0)
                goto fail;
            io->c[1] = code->nb_cifs++;
            io->type = no ? s->temps[op->args[0]].type : TCG_TYPE_I64;
            break;
        }
        default:
            break;
        }
    }
    /* falling off the end returns to the loop */
    memset(&code->ops[i], 0, sizeof(InterpOp));
    code->ops[i].opc = INDEX_op_exit_tb;
    code->nb_ops = i + 1;
    free(label_idx);
    interp_free(tb);
    tb->interp_code = code;
    return 0;
fail:
    free(label_idx);
    free(code);
    return -1;
}

void interp_free(TranslationBlock *tb)
{
    free(tb->interp_code);
    tb->interp_code = NULL;
}

/* ---- execution ---- */

static inline __attribute__((always_inline))
uint64_t interp_rd(const uint64_t *regs, uint8_t *env, uint32_t e)
{
    if (__builtin_expect(e < (1u << ENC_SHIFT), 1))
        return regs[e];
    uint32_t x = e & ENC_MASK;
    if ((e >> ENC_SHIFT) == ENC_G32) {
        uint32_t v;
        memcpy(&v, env + x, 4);
        return v;
    }
    uint64_t v;
    memcpy(&v, env + x, 8);
    return v;
}

static inline __attribute__((always_inline))
void interp_wr(uint64_t *regs, uint8_t *env, uint32_t e, uint64_t v)
{
    if (__builtin_expect(e < (1u << ENC_SHIFT), 1)) {
        regs[e] = v;
        return;
    }
    uint32_t x = e & ENC_MASK;
    if ((e >> ENC_SHIFT) == ENC_G32) {
        uint32_t w = (uint32_t)v;
        memcpy(env + x, &w, 4);
    } else {
        memcpy(env + x, &v, 8);
    }
}

static inline void interp_load_consts(uint64_t *regs, const InterpCode *code)
{
    for (uint32_t i = 0; i < code->nb_consts; i++)
        regs[code->consts[i].slot] = code->consts[i].val;
}

static inline uint64_t field_mask(uint64_t len)
{
    return len >= 64 ? ~0ull : (1ull << len) - 1;
}

static inline uint32_t rol32(uint32_t x, unsigned n) { n &= 31; return n ? (x << n) | (x >> (32 - n)) : x; }
static inline uint64_t rol64(uint64_t x, unsigned n) { n &= 63; return n ? (x << n) | (x >> (64 - n)) : x; }
static inline uint32_t ror32(uint32_t x, unsigned n) { n &= 31; return n ? (x >> n) | (x << (32 - n)) : x; }
static inline uint64_t ror64(uint64_t x, unsigned n) { n &= 63; return n ? (x >> n) | (x << (64 - n)) : x; }

/* A loaded value of mop's size, extended as mop says (to 64 bits). */
static inline uint64_t interp_extend(uint64_t v, MemOp mop)
{
    switch (mop & (MO_SIZE | MO_SIGN)) {
    case MO_UB: return (uint8_t)v;
    case MO_UW: return (uint16_t)v;
    case MO_UL: return (uint32_t)v;
    case MO_SB: return (uint64_t)(int64_t)(int8_t)v;
    case MO_SW: return (uint64_t)(int64_t)(int16_t)v;
    case MO_SL: return (uint64_t)(int64_t)(int32_t)v;
    default: return v;
    }
}

/* The soft TLB's RAM fast path, as generated code does it: an exact match
 * of the page with no flag bits, within one page. Anything else (miss,
 * MMIO, code page, page crossing, tlb-inline=off) takes the C slow path. */
static inline uint8_t *interp_tlb_fast(CPUState *cpu, uint64_t addr, MemOp mop, int mmu_idx, bool store)
{
    unsigned size = 1u << (mop & MO_SIZE);
    if (!cpu->tlb_inline || (addr & ~TARGET_PAGE_MASK) + size > TARGET_PAGE_SIZE ||
        ((mop & MO_ALIGN) && (addr & (size - 1))) ||      /* the slow path raises */
        (unsigned)mmu_idx >= NB_MMU_MODES || !cpu->tlb_table[mmu_idx])
        return NULL;
    const CPUTLBEntry *e = &cpu->tlb_table[mmu_idx][(addr >> TARGET_PAGE_BITS) & (CPU_TLB_SIZE - 1)];
    uint64_t cmp = store ? e->addr_write : e->addr_read;
    if (cmp != (addr & TARGET_PAGE_MASK))
        return NULL;
    return (uint8_t *)(uintptr_t)(addr + e->addend);
}

static uint64_t interp_call(const InterpCode *code, const InterpOp *op, const uint64_t *args)
{
    const TCGHelperInfo *info = (const TCGHelperInfo *)(uintptr_t)op->c[0];
    const InterpCif *ic = &code->cifs[op->c[1]];
    union { uint32_t u32; uint64_t u64; void *p; } av[TCG_MAX_HELPER_ARGS];
    void *avp[TCG_MAX_HELPER_ARGS];
    for (int i = 0; i < op->ni; i++) {
        switch (info->arg_types[i]) {
        case TCG_CALL_I32: av[i].u32 = (uint32_t)args[i]; break;
        case TCG_CALL_PTR: av[i].p = (void *)(uintptr_t)args[i]; break;
        default: av[i].u64 = args[i]; break;
        }
        avp[i] = &av[i];
    }
    uint64_t ret = 0;   /* at least sizeof(ffi_arg) */
    ffi_call((ffi_cif *)&ic->cif, FFI_FN(info->func), &ret, avp);
    if (info->ret_type == TCG_CALL_I32)
        ret = (uint32_t)ret;
    return ret;
}

uintptr_t interp_exec(CPUState *cpu, TranslationBlock *tb)
{
    uint64_t regs[TCG_MAX_TEMPS];
    uint8_t *env = (uint8_t *)cpu;
    const InterpCode *code = tb->interp_code;
    const InterpOp *ops = code->ops, *op = ops;
    regs[TCG_ENV] = (uint64_t)(uintptr_t)cpu;
    interp_load_consts(regs, code);

#define A(i) interp_rd(regs, env, op->a[i])
#define W(i, v) interp_wr(regs, env, op->a[i], (v))
#define RES(v) do { uint64_t v_ = (v); W(0, is32 ? (uint32_t)v_ : v_); } while (0)
    for (;;) {
        const bool is32 = op->type == TCG_TYPE_I32;
        uint64_t x, y;
        switch (op->opc) {
        case INDEX_op_insn_start:
            cpu->interp_insn_data[0] = op->c[0];
            cpu->interp_insn_data[1] = op->c[1];
            cpu->interp_tb = tb;
            break;
        case INDEX_op_br:
            op = ops + op->c[0];
            continue;
        case INDEX_op_brcond:
            if (tcg_cond_eval((TCGCond)op->c[0], (TCGType)op->type, A(0), A(1))) {
                op = ops + op->c[1];
                continue;
            }
            break;
        case INDEX_op_exit_check:
            if (cpu->exit_request)
                return (uintptr_t)tb | TB_EXIT_REQUESTED;
            break;
        case INDEX_op_goto_tb: {
            TranslationBlock *dest = tb->jmp_dest[op->c[0] & 1];
            if (cpu->chain_enabled && dest && !dest->invalid && dest->interp_code) {
                tb = dest;
                code = tb->interp_code;
                op = ops = code->ops;
                interp_load_consts(regs, code);
                continue;
            }
            break;
        }
        case INDEX_op_exit_tb:
            return (uintptr_t)op->c[0];
        case INDEX_op_goto_ptr:
        case INDEX_op_lookup_goto_ptr: {
            /* Under the interpreter helper_lookup_tb_ptr returns the next
             * TB itself (NULL: let the loop decide). lookup_goto_ptr is
             * that call and goto_ptr in one: the helper probes the jump
             * cache first, which is all the JIT's inline probe does, so
             * the pc and key in the op are not needed here. */
            TranslationBlock *dest = op->opc == INDEX_op_goto_ptr
                                         ? (TranslationBlock *)(uintptr_t)A(0)
                                         : (TranslationBlock *)helper_lookup_tb_ptr(cpu);
            if (dest && !dest->invalid && dest->interp_code) {
                tb = dest;
                code = tb->interp_code;
                op = ops = code->ops;
                interp_load_consts(regs, code);
                continue;
            }
            return 0;
        }
        case INDEX_op_call: {
            uint64_t args[TCG_MAX_HELPER_ARGS];
            for (int i = 0; i < op->ni; i++)
                args[i] = A(op->no + i);
            uint64_t r = interp_call(code, op, args);
            if (op->no)
                RES(r);
            break;
        }

        case INDEX_op_mov: W(0, A(1)); break;
        case INDEX_op_ext_i32_i64: W(0, (uint64_t)(int64_t)(int32_t)A(1)); break;
        case INDEX_op_extu_i32_i64: W(0, (uint32_t)A(1)); break;
        case INDEX_op_extrl_i64_i32: W(0, (uint32_t)A(1)); break;
        case INDEX_op_extrh_i64_i32: W(0, A(1) >> 32); break;

        case INDEX_op_add: RES(A(1) + A(2)); break;
        case INDEX_op_sub: RES(A(1) - A(2)); break;
        case INDEX_op_mul: RES(A(1) * A(2)); break;
        case INDEX_op_mulu2:
        case INDEX_op_muls2: {
            uint64_t lo, hi;
            tcg_mul2_eval(op->opc == INDEX_op_muls2, is32 ? TCG_TYPE_I32 : TCG_TYPE_I64, A(2), A(3), &lo, &hi);
            W(0, lo);
            W(1, hi);
            break;
        }
        case INDEX_op_neg: RES(-A(1)); break;
        case INDEX_op_and: RES(A(1) & A(2)); break;
        case INDEX_op_or: RES(A(1) | A(2)); break;
        case INDEX_op_xor: RES(A(1) ^ A(2)); break;
        case INDEX_op_andc: RES(A(1) & ~A(2)); break;
        case INDEX_op_not: RES(~A(1)); break;
        case INDEX_op_shl:
            x = A(1); y = A(2);
            RES(is32 ? (uint64_t)((uint32_t)x << (y & 31)) : x << (y & 63));
            break;
        case INDEX_op_shr:
            x = A(1); y = A(2);
            RES(is32 ? (uint64_t)((uint32_t)x >> (y & 31)) : x >> (y & 63));
            break;
        case INDEX_op_sar:
            x = A(1); y = A(2);
            RES(is32 ? (uint64_t)(uint32_t)((int32_t)x >> (y & 31)) : (uint64_t)((int64_t)x >> (y & 63)));
            break;
        case INDEX_op_rotl:
            x = A(1); y = A(2);
            RES(is32 ? rol32((uint32_t)x, (unsigned)y) : rol64(x, (unsigned)y));
            break;
        case INDEX_op_rotr:
            x = A(1); y = A(2);
            RES(is32 ? ror32((uint32_t)x, (unsigned)y) : ror64(x, (unsigned)y));
            break;
        case INDEX_op_ext8s: RES((uint64_t)(int64_t)(int8_t)A(1)); break;
        case INDEX_op_ext8u: RES((uint8_t)A(1)); break;
        case INDEX_op_ext16s: RES((uint64_t)(int64_t)(int16_t)A(1)); break;
        case INDEX_op_ext16u: RES((uint16_t)A(1)); break;
        case INDEX_op_ext32s: RES((uint64_t)(int64_t)(int32_t)A(1)); break;
        case INDEX_op_ext32u: RES((uint32_t)A(1)); break;
        case INDEX_op_bswap16: x = A(1); RES(((x & 0xff) << 8) | ((x >> 8) & 0xff)); break;
        case INDEX_op_bswap32: RES(__builtin_bswap32((uint32_t)A(1))); break;
        case INDEX_op_bswap64: RES(__builtin_bswap64(A(1))); break;
        case INDEX_op_clz:
            x = A(1);
            if (is32)
                RES((uint32_t)x ? (uint64_t)__builtin_clz((uint32_t)x) : A(2));
            else
                RES(x ? (uint64_t)__builtin_clzll(x) : A(2));
            break;
        case INDEX_op_ctz:
            x = A(1);
            if (is32)
                RES((uint32_t)x ? (uint64_t)__builtin_ctz((uint32_t)x) : A(2));
            else
                RES(x ? (uint64_t)__builtin_ctzll(x) : A(2));
            break;
        case INDEX_op_ctpop:
            x = A(1);
            RES((uint64_t)__builtin_popcountll(is32 ? (uint32_t)x : x));
            break;
        case INDEX_op_deposit: {
            unsigned pos = op->c[0] & 63;
            uint64_t fm = field_mask(op->c[1]) << pos;
            RES((A(1) & ~fm) | ((A(2) << pos) & fm));
            break;
        }
        case INDEX_op_extract:
            x = is32 ? (uint32_t)A(1) : A(1);
            RES((x >> (op->c[0] & 63)) & field_mask(op->c[1]));
            break;
        case INDEX_op_sextract: {
            x = is32 ? (uint32_t)A(1) : A(1);
            uint64_t v = x >> (op->c[0] & 63);
            unsigned len = op->c[1] & 127;
            RES(len == 0 ? 0 : len >= 64 ? v : (uint64_t)((int64_t)(v << (64 - len)) >> (64 - len)));
            break;
        }
        case INDEX_op_setcond:
            RES(tcg_cond_eval((TCGCond)op->c[0], (TCGType)op->type, A(1), A(2)) ? 1 : 0);
            break;
        case INDEX_op_negsetcond:
            RES(tcg_cond_eval((TCGCond)op->c[0], (TCGType)op->type, A(1), A(2)) ? ~0ull : 0);
            break;
        case INDEX_op_movcond:
            RES(tcg_cond_eval((TCGCond)op->c[0], (TCGType)op->type, A(1), A(2)) ? A(3) : A(4));
            break;

        case INDEX_op_ld8u: RES(*(uint8_t *)(env + (int64_t)op->c[0])); break;
        case INDEX_op_ld8s: RES((uint64_t)(int64_t)*(int8_t *)(env + (int64_t)op->c[0])); break;
        case INDEX_op_ld16u: { uint16_t v; memcpy(&v, env + (int64_t)op->c[0], 2); RES(v); break; }
        case INDEX_op_ld16s: { int16_t v; memcpy(&v, env + (int64_t)op->c[0], 2); RES((uint64_t)(int64_t)v); break; }
        case INDEX_op_ld32u: { uint32_t v; memcpy(&v, env + (int64_t)op->c[0], 4); RES(v); break; }
        case INDEX_op_ld32s: { int32_t v; memcpy(&v, env + (int64_t)op->c[0], 4); RES((uint64_t)(int64_t)v); break; }
        case INDEX_op_ld:
            if (is32) { uint32_t v; memcpy(&v, env + (int64_t)op->c[0], 4); RES(v); }
            else { uint64_t v; memcpy(&v, env + (int64_t)op->c[0], 8); RES(v); }
            break;
        case INDEX_op_st8: *(uint8_t *)(env + (int64_t)op->c[0]) = (uint8_t)A(0); break;
        case INDEX_op_st16: { uint16_t v = (uint16_t)A(0); memcpy(env + (int64_t)op->c[0], &v, 2); break; }
        case INDEX_op_st32: { uint32_t v = (uint32_t)A(0); memcpy(env + (int64_t)op->c[0], &v, 4); break; }
        case INDEX_op_st:
            x = A(0);
            if (is32) { uint32_t v = (uint32_t)x; memcpy(env + (int64_t)op->c[0], &v, 4); }
            else memcpy(env + (int64_t)op->c[0], &x, 8);
            break;

        case INDEX_op_qemu_ld: {
            MemOp mop = (MemOp)op->c[0];
            uint64_t addr = A(1), v = 0;
            uint8_t *host = interp_tlb_fast(cpu, addr, mop, (int)op->c[1], false);
            if (host)
                memcpy(&v, host, 1u << (mop & MO_SIZE));    /* host and guests are little-endian */
            else
                v = cpu_ld_mmu(cpu, addr, mop, (int)op->c[1], TCG_RETADDR_INTERP);
            RES(interp_extend(v, mop));
            break;
        }
        case INDEX_op_qemu_st: {
            MemOp mop = (MemOp)op->c[0];
            uint64_t addr = A(1);
            x = A(0);
            uint8_t *host = interp_tlb_fast(cpu, addr, mop, (int)op->c[1], true);
            if (host)
                memcpy(host, &x, 1u << (mop & MO_SIZE));
            else
                cpu_st_mmu(cpu, addr, x, mop, (int)op->c[1], TCG_RETADDR_INTERP);
            break;
        }
        default:
            /* an op this interpreter does not know: a bug, leave the block */
            return 0;
        }
        op++;
    }
#undef A
#undef W
#undef RES
}
