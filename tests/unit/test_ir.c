/*
 * Unit tests of the IR core (tcg/tcg.c, optimize.c, liveness.c, dump.c) and
 * the interpreter (backend/interp/interp.c), without any guest frontend.
 * Oracles: plain C expressions (and bit-by-bit loops for field ops) for
 * every arithmetic op on I32 and I64; golden dumps in tests/unit/golden/
 * pin the optimiser's output (regenerate only with UPDATE_GOLDEN=1).
 * Prints "ok - name" / "not ok - name: why" per case.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "backend/backend.h"
#include "softmmu/tlb.h"

/* ---- the test CPU and stubs for symbols other layers own ---- */

typedef struct TestCPU {
    CPUState cs;
    uint32_t r32[4];
    uint64_t r64[4];
    uint64_t scratch[2];
    uint64_t helper_arg[3];
    int nb_ld, nb_st;
    void *lookup_result;    /* what helper_lookup_tb_ptr answers */
    uint8_t mem[4096];
} TestCPU;

uint64_t cpu_ld_mmu(CPUState *cpu, uint64_t addr, MemOp mop, int mmu_idx, uintptr_t retaddr)
{
    TestCPU *t = (TestCPU *)cpu;
    uint64_t v = 0;
    t->nb_ld++;
    memcpy(&v, &t->mem[addr % (sizeof(t->mem) - 8)], 1u << (mop & MO_SIZE));
    return v;   /* zero-extended: the interpreter applies MO_SIGN */
}

void cpu_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, MemOp mop, int mmu_idx, uintptr_t retaddr)
{
    TestCPU *t = (TestCPU *)cpu;
    t->nb_st++;
    memcpy(&t->mem[addr % (sizeof(t->mem) - 8)], &val, 1u << (mop & MO_SIZE));
}

void *helper_lookup_tb_ptr(CPUState *cpu)
{
    return ((TestCPU *)cpu)->lookup_result;
}

static uint64_t helper_test_mix(void *env, uint32_t a, uint64_t b)
{
    TestCPU *t = env;
    t->helper_arg[0] = a;
    t->helper_arg[1] = b;
    return (uint64_t)a * 3 + b;
}

static uint32_t helper_test_neg32(uint32_t a)
{
    return -a;
}

static void helper_test_store(void *env, uint64_t v)
{
    ((TestCPU *)env)->r64[3] = v;
}

static TCGHelperInfo info_test_mix = {
    .func = (void *)helper_test_mix, .name = "test_mix", .flags = 0, .nb_args = 3,
    .ret_type = TCG_CALL_I64, .arg_types = { TCG_CALL_PTR, TCG_CALL_I32, TCG_CALL_I64 },
};
static TCGHelperInfo info_test_neg32 = {
    .func = (void *)helper_test_neg32, .name = "test_neg32", .flags = TCG_CALL_NO_RWG_SE,
    .nb_args = 1, .ret_type = TCG_CALL_I32, .arg_types = { TCG_CALL_I32 },
};
static TCGHelperInfo info_test_store = {
    .func = (void *)helper_test_store, .name = "test_store", .flags = TCG_CALL_NO_READ_GLOBALS,
    .nb_args = 2, .ret_type = TCG_CALL_VOID, .arg_types = { TCG_CALL_PTR, TCG_CALL_I64 },
};

/* ---- harness ---- */

typedef struct T {
    TCGContext *s;
    TestCPU *cpu;
    TCGv g32[4], g64[4];
    int fails;
    uint64_t rng;       /* xorshift state: runs are reproducible */
} T;

static void report(T *t, bool ok, const char *name, const char *why)
{
    if (ok) {
        printf("ok - %s\n", name);
    } else {
        printf("not ok - %s: %s\n", name, why);
        t->fails++;
    }
}

static uint64_t rnd(T *t)
{
    uint64_t x = t->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return t->rng = x;
}

static uint64_t rnd_val(T *t)
{
    static const uint64_t edges[] = {
        0, 1, 2, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
        0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
        0x8000000000000000ull, ~0ull, ~1ull,
    };
    switch (rnd(t) % 4) {
    case 0: return edges[rnd(t) % (sizeof(edges) / sizeof(edges[0]))];
    case 1: return rnd(t) & 0xff;
    default: return rnd(t);
    }
}

static uintptr_t run(T *t, TranslationBlock *tb)
{
    if (interp_prepare(t->s, tb) < 0)
        return (uintptr_t)-1;
    return interp_exec(&t->cpu->cs, tb);
}

static void passes(T *t)
{
    tcg_optimize(t->s);
    tcg_liveness(t->s);
}

static char *dump_str(TCGContext *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    tcg_dump_ops(s, f);
    fclose(f);
    return buf;
}

/* ---- the C oracle ---- */

enum { K_BIN, K_UN, K_MUL2, K_FIELD, K_CONV };

typedef struct OpCase {
    const char *name;
    TCGOpcode opc;
    int kind;
    bool only64;
    bool only32;
} OpCase;

static const OpCase op_cases[] = {
    { "add", INDEX_op_add, K_BIN }, { "sub", INDEX_op_sub, K_BIN }, { "mul", INDEX_op_mul, K_BIN },
    { "and", INDEX_op_and, K_BIN }, { "or", INDEX_op_or, K_BIN }, { "xor", INDEX_op_xor, K_BIN },
    { "andc", INDEX_op_andc, K_BIN }, { "shl", INDEX_op_shl, K_BIN }, { "shr", INDEX_op_shr, K_BIN },
    { "sar", INDEX_op_sar, K_BIN }, { "rotl", INDEX_op_rotl, K_BIN }, { "rotr", INDEX_op_rotr, K_BIN },
    { "clz", INDEX_op_clz, K_BIN }, { "ctz", INDEX_op_ctz, K_BIN },
    { "neg", INDEX_op_neg, K_UN }, { "not", INDEX_op_not, K_UN }, { "ext8s", INDEX_op_ext8s, K_UN },
    { "ext8u", INDEX_op_ext8u, K_UN }, { "ext16s", INDEX_op_ext16s, K_UN },
    { "ext16u", INDEX_op_ext16u, K_UN }, { "ext32s", INDEX_op_ext32s, K_UN, true },
    { "ext32u", INDEX_op_ext32u, K_UN, true }, { "bswap16", INDEX_op_bswap16, K_UN },
    { "bswap32", INDEX_op_bswap32, K_UN }, { "bswap64", INDEX_op_bswap64, K_UN, true },
    { "ctpop", INDEX_op_ctpop, K_UN }, { "mov", INDEX_op_mov, K_UN },
    { "mulu2", INDEX_op_mulu2, K_MUL2 }, { "muls2", INDEX_op_muls2, K_MUL2 },
    { "deposit", INDEX_op_deposit, K_FIELD }, { "extract", INDEX_op_extract, K_FIELD },
    { "sextract", INDEX_op_sextract, K_FIELD },
    { "ext_i32_i64", INDEX_op_ext_i32_i64, K_CONV, true },
    { "extu_i32_i64", INDEX_op_extu_i32_i64, K_CONV, true },
    { "extrl_i64_i32", INDEX_op_extrl_i64_i32, K_CONV, false, true },
    { "extrh_i64_i32", INDEX_op_extrh_i64_i32, K_CONV, false, true },
};

static uint64_t bitwise_field(uint64_t x, unsigned pos, unsigned len)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < len; i++)
        r |= ((x >> (pos + i)) & 1) << i;
    return r;
}

/* Result (and second result for mul2) of op on a, b, in C. */
static uint64_t oracle(TCGOpcode opc, bool is32, uint64_t a, uint64_t b, unsigned pos, unsigned len,
                       uint64_t *hi)
{
    unsigned w = is32 ? 32 : 64;
    uint64_t m = is32 ? 0xffffffffull : ~0ull;
    uint64_t r = 0;
    a &= m;
    b &= m;
    switch (opc) {
    case INDEX_op_add: r = a + b; break;
    case INDEX_op_sub: r = a - b; break;
    case INDEX_op_mul: r = a * b; break;
    case INDEX_op_and: r = a & b; break;
    case INDEX_op_or: r = a | b; break;
    case INDEX_op_xor: r = a ^ b; break;
    case INDEX_op_andc: r = a & ~b; break;
    case INDEX_op_shl: r = a << (b % w); break;
    case INDEX_op_shr: r = a >> (b % w); break;
    case INDEX_op_sar:
        r = is32 ? (uint64_t)(int64_t)((int32_t)a >> (b % 32)) : (uint64_t)((int64_t)a >> (b % 64));
        break;
    case INDEX_op_rotl:
    case INDEX_op_rotr:
        r = a;
        for (unsigned i = 0; i < b % w; i++) {
            if (opc == INDEX_op_rotl)
                r = ((r << 1) | (r >> (w - 1))) & m;
            else
                r = (r >> 1) | ((r & 1) << (w - 1));
        }
        break;
    case INDEX_op_clz:
        if (!a) { r = b; break; }
        for (r = 0; !((a >> (w - 1 - r)) & 1); r++) {}
        break;
    case INDEX_op_ctz:
        if (!a) { r = b; break; }
        for (r = 0; !((a >> r) & 1); r++) {}
        break;
    case INDEX_op_neg: r = 0 - a; break;
    case INDEX_op_not: r = ~a; break;
    case INDEX_op_mov: r = a; break;
    case INDEX_op_ext8s: r = (uint64_t)(int64_t)(int8_t)a; break;
    case INDEX_op_ext8u: r = a & 0xff; break;
    case INDEX_op_ext16s: r = (uint64_t)(int64_t)(int16_t)a; break;
    case INDEX_op_ext16u: r = a & 0xffff; break;
    case INDEX_op_ext32s: r = (uint64_t)(int64_t)(int32_t)a; break;
    case INDEX_op_ext32u: r = a & 0xffffffff; break;
    case INDEX_op_bswap16: r = bitwise_field(a, 8, 8) | bitwise_field(a, 0, 8) << 8; break;
    case INDEX_op_bswap32:
        for (int i = 0; i < 4; i++)
            r |= bitwise_field(a, 8 * i, 8) << (24 - 8 * i);
        break;
    case INDEX_op_bswap64:
        for (int i = 0; i < 8; i++)
            r |= bitwise_field(a, 8 * i, 8) << (56 - 8 * i);
        break;
    case INDEX_op_ctpop:
        for (unsigned i = 0; i < w; i++)
            r += (a >> i) & 1;
        break;
    case INDEX_op_mulu2:
    case INDEX_op_muls2:
        if (is32) {
            uint64_t p = opc == INDEX_op_mulu2 ? a * b : (uint64_t)((int64_t)(int32_t)a * (int64_t)(int32_t)b);
            *hi = (p >> 32) & m;
            r = p;
        } else if (opc == INDEX_op_mulu2) {
            unsigned __int128 p = (unsigned __int128)a * b;
            *hi = (uint64_t)(p >> 64);
            r = (uint64_t)p;
        } else {
            __int128 p = (__int128)(int64_t)a * (int64_t)b;
            *hi = (uint64_t)((unsigned __int128)p >> 64);
            r = (uint64_t)p;
        }
        break;
    case INDEX_op_deposit:
        r = a;
        for (unsigned i = 0; i < len; i++) {
            r &= ~(1ull << (pos + i));
            r |= ((b >> i) & 1) << (pos + i);
        }
        break;
    case INDEX_op_extract:
        r = bitwise_field(a, pos, len);
        break;
    case INDEX_op_sextract:
        r = bitwise_field(a, pos, len);
        if ((r >> (len - 1)) & 1) {
            for (unsigned i = len; i < 64; i++)
                r |= 1ull << i;
        }
        break;
    default:
        break;
    }
    return r & m;
}

static bool oracle_cond(TCGCond c, bool is32, uint64_t a, uint64_t b)
{
    if (is32) {
        uint32_t x = a, y = b;
        int32_t sx = x, sy = y;
        switch (c) {
        case TCG_COND_NEVER: return false;
        case TCG_COND_ALWAYS: return true;
        case TCG_COND_EQ: return x == y;
        case TCG_COND_NE: return x != y;
        case TCG_COND_LT: return sx < sy;
        case TCG_COND_GE: return sx >= sy;
        case TCG_COND_LE: return sx <= sy;
        case TCG_COND_GT: return sx > sy;
        case TCG_COND_LTU: return x < y;
        case TCG_COND_GEU: return x >= y;
        case TCG_COND_LEU: return x <= y;
        case TCG_COND_GTU: return x > y;
        case TCG_COND_TSTEQ: return !(x & y);
        case TCG_COND_TSTNE: return (x & y) != 0;
        }
    } else {
        int64_t sx = a, sy = b;
        switch (c) {
        case TCG_COND_NEVER: return false;
        case TCG_COND_ALWAYS: return true;
        case TCG_COND_EQ: return a == b;
        case TCG_COND_NE: return a != b;
        case TCG_COND_LT: return sx < sy;
        case TCG_COND_GE: return sx >= sy;
        case TCG_COND_LE: return sx <= sy;
        case TCG_COND_GT: return sx > sy;
        case TCG_COND_LTU: return a < b;
        case TCG_COND_GEU: return a >= b;
        case TCG_COND_LEU: return a <= b;
        case TCG_COND_GTU: return a > b;
        case TCG_COND_TSTEQ: return !(a & b);
        case TCG_COND_TSTNE: return (a & b) != 0;
        }
    }
    return false;
}

/* ---- emitting one op of a case through the builder ---- */

static void gen_case(TCGContext *s, const OpCase *oc, TCGv d, TCGv d2, TCGv a, TCGv b,
                     unsigned pos, unsigned len)
{
    switch (oc->opc) {
    case INDEX_op_add: tcg_gen_add(s, d, a, b); break;
    case INDEX_op_sub: tcg_gen_sub(s, d, a, b); break;
    case INDEX_op_mul: tcg_gen_mul(s, d, a, b); break;
    case INDEX_op_and: tcg_gen_and(s, d, a, b); break;
    case INDEX_op_or: tcg_gen_or(s, d, a, b); break;
    case INDEX_op_xor: tcg_gen_xor(s, d, a, b); break;
    case INDEX_op_andc: tcg_gen_andc(s, d, a, b); break;
    case INDEX_op_shl: tcg_gen_shl(s, d, a, b); break;
    case INDEX_op_shr: tcg_gen_shr(s, d, a, b); break;
    case INDEX_op_sar: tcg_gen_sar(s, d, a, b); break;
    case INDEX_op_rotl: tcg_gen_rotl(s, d, a, b); break;
    case INDEX_op_rotr: tcg_gen_rotr(s, d, a, b); break;
    case INDEX_op_clz: tcg_gen_clz(s, d, a, b); break;
    case INDEX_op_ctz: tcg_gen_ctz(s, d, a, b); break;
    case INDEX_op_neg: tcg_gen_neg(s, d, a); break;
    case INDEX_op_not: tcg_gen_not(s, d, a); break;
    case INDEX_op_mov: tcg_gen_mov(s, d, a); break;
    case INDEX_op_ext8s: tcg_gen_ext8s(s, d, a); break;
    case INDEX_op_ext8u: tcg_gen_ext8u(s, d, a); break;
    case INDEX_op_ext16s: tcg_gen_ext16s(s, d, a); break;
    case INDEX_op_ext16u: tcg_gen_ext16u(s, d, a); break;
    case INDEX_op_ext32s: tcg_gen_ext32s(s, d, a); break;
    case INDEX_op_ext32u: tcg_gen_ext32u(s, d, a); break;
    case INDEX_op_bswap16: tcg_gen_bswap16(s, d, a); break;
    case INDEX_op_bswap32: tcg_gen_bswap32(s, d, a); break;
    case INDEX_op_bswap64: tcg_gen_bswap64(s, d, a); break;
    case INDEX_op_ctpop: tcg_gen_ctpop(s, d, a); break;
    case INDEX_op_mulu2: tcg_gen_mulu2(s, d, d2, a, b); break;
    case INDEX_op_muls2: tcg_gen_muls2(s, d, d2, a, b); break;
    case INDEX_op_deposit: tcg_gen_deposit(s, d, a, b, pos, len); break;
    case INDEX_op_extract: tcg_gen_extract(s, d, a, pos, len); break;
    case INDEX_op_sextract: tcg_gen_sextract(s, d, a, pos, len); break;
    case INDEX_op_ext_i32_i64: tcg_gen_ext_i32_i64(s, d, a); break;
    case INDEX_op_extu_i32_i64: tcg_gen_extu_i32_i64(s, d, a); break;
    case INDEX_op_extrl_i64_i32: tcg_gen_extrl_i64_i32(s, d, a); break;
    case INDEX_op_extrh_i64_i32: tcg_gen_extrh_i64_i32(s, d, a); break;
    default: break;
    }
}

static void pick_field(T *t, unsigned w, unsigned *pos, unsigned *len)
{
    *len = 1 + rnd(t) % w;
    *pos = rnd(t) % (w - *len + 1);
}

/* Each case, both types, through the interpreter on globals and temps,
 * then with constant inputs through the optimiser. */
static void test_arith(T *t)
{
    TCGContext *s = t->s;
    TranslationBlock tb = { 0 };
    char name[96], why[256];

    for (size_t k = 0; k < sizeof(op_cases) / sizeof(op_cases[0]); k++) {
        const OpCase *oc = &op_cases[k];
        for (int ty = 0; ty < 2; ty++) {
            bool is32 = ty == 0;
            if ((oc->only64 && is32) || (oc->only32 && !is32))
                continue;
            TCGType dt = is32 ? TCG_TYPE_I32 : TCG_TYPE_I64;
            /* conversions: input type is the other one */
            TCGType it = oc->kind == K_CONV ? (is32 ? TCG_TYPE_I64 : TCG_TYPE_I32) : dt;
            TCGv *gd = is32 ? t->g32 : t->g64;
            TCGv *gi = it == TCG_TYPE_I32 ? t->g32 : t->g64;
            unsigned w = is32 ? 32 : 64;
            bool ok = true;
            why[0] = 0;

            /* interpreter: inputs from globals through temps */
            for (int field = 0; field < (oc->kind == K_FIELD ? 12 : 1) && ok; field++) {
                unsigned pos = 0, len = 0;
                if (oc->kind == K_FIELD)
                    pick_field(t, w, &pos, &len);
                tcg_func_start(s);
                tcg_gen_exit_check(s);
                TCGv ta = tcg_temp_new(s, it), tb_ = tcg_temp_new(s, it);
                TCGv td = tcg_temp_new(s, dt), td2 = tcg_temp_new(s, dt);
                tcg_gen_mov(s, ta, gi[0]);
                tcg_gen_mov(s, tb_, gi[1]);
                gen_case(s, oc, td, td2, ta, tb_, pos, len);
                tcg_gen_mov(s, gd[2], td);
                if (oc->kind == K_MUL2)
                    tcg_gen_mov(s, gd[3], td2);
                tcg_gen_exit_tb(s, 0);
                if (interp_prepare(s, &tb) < 0) {
                    ok = false;
                    snprintf(why, sizeof(why), "interp_prepare failed");
                    break;
                }
                for (int i = 0; i < 300 && ok; i++) {
                    uint64_t a = rnd_val(t), b = rnd_val(t), hi = 0, hi_got;
                    if (oc->opc == INDEX_op_clz || oc->opc == INDEX_op_ctz) {
                        if (rnd(t) % 8 == 0)
                            a = 0;
                    }
                    if (it == TCG_TYPE_I32) {
                        t->cpu->r32[0] = a;
                        t->cpu->r32[1] = b;
                    } else {
                        t->cpu->r64[0] = a;
                        t->cpu->r64[1] = b;
                    }
                    uint64_t want = oracle(oc->opc, is32 && oc->kind != K_CONV, a, b, pos, len, &hi);
                    if (oc->kind == K_CONV) {
                        switch (oc->opc) {
                        case INDEX_op_ext_i32_i64: want = (uint64_t)(int64_t)(int32_t)a; break;
                        case INDEX_op_extu_i32_i64: want = (uint32_t)a; break;
                        case INDEX_op_extrl_i64_i32: want = (uint32_t)a; break;
                        default: want = a >> 32; break;
                        }
                    }
                    interp_exec(&t->cpu->cs, &tb);
                    uint64_t got = is32 ? t->cpu->r32[2] : t->cpu->r64[2];
                    hi_got = is32 ? t->cpu->r32[3] : t->cpu->r64[3];
                    if (got != want || (oc->kind == K_MUL2 && hi_got != hi)) {
                        ok = false;
                        snprintf(why, sizeof(why), "a=%#llx b=%#llx pos=%u len=%u: got %#llx/%#llx want %#llx/%#llx",
                                 (unsigned long long)a, (unsigned long long)b, pos, len,
                                 (unsigned long long)got, (unsigned long long)hi_got,
                                 (unsigned long long)want, (unsigned long long)hi);
                    }
                }
                interp_free(&tb);
            }
            snprintf(name, sizeof(name), "interp %s_%s", oc->name, is32 ? "i32" : "i64");
            report(t, ok, name, why);

            /* optimiser: the same op on constants folds to the oracle's value */
            ok = true;
            why[0] = 0;
            for (int i = 0; i < 40 && ok; i++) {
                uint64_t a = rnd_val(t), b = rnd_val(t), hi = 0;
                unsigned pos = 0, len = 0;
                if (oc->kind == K_FIELD)
                    pick_field(t, w, &pos, &len);
                if ((oc->opc == INDEX_op_clz || oc->opc == INDEX_op_ctz) && i % 5 == 0)
                    a = 0;
                tcg_func_start(s);
                TCGv td = tcg_temp_new(s, dt), td2 = tcg_temp_new(s, dt);
                gen_case(s, oc, td, td2, tcg_constant(s, it, a), tcg_constant(s, it, b), pos, len);
                tcg_gen_mov(s, gd[2], td);
                if (oc->kind == K_MUL2)
                    tcg_gen_mov(s, gd[3], td2);
                tcg_gen_exit_tb(s, 0);
                passes(t);
                uint64_t want = oracle(oc->opc, is32 && oc->kind != K_CONV, a, b, pos, len, &hi);
                if (oc->kind == K_CONV) {
                    if (it == TCG_TYPE_I32)
                        a = (uint32_t)a;
                    switch (oc->opc) {
                    case INDEX_op_ext_i32_i64: want = (uint64_t)(int64_t)(int32_t)a; break;
                    case INDEX_op_extu_i32_i64: want = (uint32_t)a; break;
                    case INDEX_op_extrl_i64_i32: want = (uint32_t)a; break;
                    default: want = a >> 32; break;
                    }
                }
                /* expect: mov gd2,$want [; mov gd3,$hi]; exit_tb */
                int expect_ops = oc->kind == K_MUL2 ? 3 : 2;
                TCGOp *op = s->first_op;
                bool shape = s->nb_ops == expect_ops && op->opc == INDEX_op_mov &&
                             op->args[0] == gd[2] && s->temps[op->args[1]].kind == TEMP_CONST;
                if (shape && oc->kind == K_MUL2)
                    shape = op->next->opc == INDEX_op_mov && s->temps[op->next->args[1]].kind == TEMP_CONST;
                if (!shape) {
                    ok = false;
                    snprintf(why, sizeof(why), "not folded (a=%#llx b=%#llx)", (unsigned long long)a,
                             (unsigned long long)b);
                    break;
                }
                uint64_t got = s->temps[op->args[1]].val, hi_got = 0;
                bool hi_ok = true;
                if (oc->kind == K_MUL2) {
                    hi_got = s->temps[op->next->args[1]].val;
                    hi_ok = hi_got == hi && op->next->args[0] == gd[3];
                }
                if (got != want || !hi_ok) {
                    ok = false;
                    snprintf(why, sizeof(why), "a=%#llx b=%#llx pos=%u len=%u: folded %#llx/%#llx want %#llx/%#llx",
                             (unsigned long long)a, (unsigned long long)b, pos, len,
                             (unsigned long long)got, (unsigned long long)hi_got,
                             (unsigned long long)want, (unsigned long long)hi);
                }
            }
            snprintf(name, sizeof(name), "fold %s_%s", oc->name, is32 ? "i32" : "i64");
            report(t, ok, name, why);
        }
    }
}

/* setcond / negsetcond / movcond / brcond for every condition */
static void test_conds(T *t)
{
    TCGContext *s = t->s;
    TranslationBlock tb = { 0 };
    char name[96], why[256];
    static const char *const cn[] = { "never", "always", "eq", "ne", "lt", "ge", "le", "gt",
                                      "ltu", "geu", "leu", "gtu", "tsteq", "tstne" };
    for (int c = 0; c <= TCG_COND_TSTNE; c++) {
        for (int ty = 0; ty < 2; ty++) {
            bool is32 = ty == 0;
            TCGType type = is32 ? TCG_TYPE_I32 : TCG_TYPE_I64;
            TCGv *g = is32 ? t->g32 : t->g64;
            bool ok = true;
            why[0] = 0;
            /* d2 = setcond, d3 = negsetcond, scratch[0] = movcond(a, b), scratch[1] = brcond taken */
            tcg_func_start(s);
            TCGv ta = tcg_temp_new(s, type), tb_ = tcg_temp_new(s, type), tx = tcg_temp_new(s, type);
            TCGv t64 = tcg_temp_new(s, TCG_TYPE_I64);
            int l = tcg_new_label(s);
            tcg_gen_mov(s, ta, g[0]);
            tcg_gen_mov(s, tb_, g[1]);
            tcg_gen_setcond(s, (TCGCond)c, tx, ta, tb_);
            tcg_gen_mov(s, g[2], tx);
            tcg_gen_negsetcond(s, (TCGCond)c, tx, ta, tb_);
            tcg_gen_mov(s, g[3], tx);
            tcg_gen_movcond(s, (TCGCond)c, tx, ta, tb_, ta, tb_);
            if (is32)
                tcg_gen_extu_i32_i64(s, t64, tx);
            else
                tcg_gen_mov(s, t64, tx);
            tcg_gen_st(s, t64, offsetof(TestCPU, scratch[0]));
            tcg_gen_movi(s, t64, 0);
            tcg_gen_brcond(s, (TCGCond)c, ta, tb_, l);
            tcg_gen_movi(s, t64, 1);
            tcg_gen_set_label(s, l);
            tcg_gen_st(s, t64, offsetof(TestCPU, scratch[1]));
            tcg_gen_exit_tb(s, 0);
            if (interp_prepare(s, &tb) < 0) {
                report(t, false, "cond prepare", "interp_prepare failed");
                return;
            }
            for (int i = 0; i < 300 && ok; i++) {
                uint64_t a = rnd_val(t), b = rnd(t) % 4 == 0 ? a : rnd_val(t);
                if (is32) { t->cpu->r32[0] = a; t->cpu->r32[1] = b; }
                else { t->cpu->r64[0] = a; t->cpu->r64[1] = b; }
                interp_exec(&t->cpu->cs, &tb);
                bool want = oracle_cond((TCGCond)c, is32, a, b);
                uint64_t m = is32 ? 0xffffffffull : ~0ull;
                uint64_t set = is32 ? t->cpu->r32[2] : t->cpu->r64[2];
                uint64_t nset = is32 ? t->cpu->r32[3] : t->cpu->r64[3];
                if (set != (uint64_t)want || nset != (want ? m : 0) ||
                    t->cpu->scratch[0] != ((want ? a : b) & m) || t->cpu->scratch[1] != (uint64_t)!want) {
                    ok = false;
                    snprintf(why, sizeof(why), "a=%#llx b=%#llx: set %#llx neg %#llx mov %#llx br %llu want %d",
                             (unsigned long long)a, (unsigned long long)b, (unsigned long long)set,
                             (unsigned long long)nset, (unsigned long long)t->cpu->scratch[0],
                             (unsigned long long)t->cpu->scratch[1], want);
                }
            }
            interp_free(&tb);
            snprintf(name, sizeof(name), "interp cond %s_%s", cn[c], is32 ? "i32" : "i64");
            report(t, ok, name, why);

            /* folding: constant inputs give the oracle's value */
            ok = true;
            for (int i = 0; i < 30 && ok; i++) {
                uint64_t a = rnd_val(t), b = rnd(t) % 4 == 0 ? a : rnd_val(t);
                tcg_func_start(s);
                TCGv tx2 = tcg_temp_new(s, type);
                tcg_gen_setcond(s, (TCGCond)c, tx2, tcg_constant(s, type, a), tcg_constant(s, type, b));
                tcg_gen_mov(s, g[2], tx2);
                int l2 = tcg_new_label(s);
                tcg_gen_brcond(s, (TCGCond)c, tcg_constant(s, type, a), tcg_constant(s, type, b), l2);
                tcg_gen_movi(s, g[3], 7);
                tcg_gen_set_label(s, l2);
                tcg_gen_exit_tb(s, 0);
                passes(t);
                bool want = oracle_cond((TCGCond)c, is32, a, b);
                /* want: mov g2,$want ; [mov g3,$7] ; exit_tb  -- no branch, no label left */
                TCGOp *op = s->first_op;
                bool good = op->opc == INDEX_op_mov && s->temps[op->args[1]].kind == TEMP_CONST &&
                            s->temps[op->args[1]].val == (uint64_t)want;
                op = op->next;
                if (!want)
                    good = good && op && op->opc == INDEX_op_mov && op->args[0] == g[3] && (op = op->next);
                good = good && op && op->opc == INDEX_op_exit_tb && !op->next;
                if (!good) {
                    ok = false;
                    char *d = dump_str(s);
                    snprintf(why, sizeof(why), "a=%#llx b=%#llx want %d, got IR: %s", (unsigned long long)a,
                             (unsigned long long)b, want, d);
                    for (char *p = why; *p; p++)
                        if (*p == '\n') *p = ';';
                    free(d);
                }
            }
            snprintf(name, sizeof(name), "fold cond %s_%s", cn[c], is32 ? "i32" : "i64");
            report(t, ok, name, why);
        }
    }
}

/* ---- builder ---- */

static void test_builder(T *t)
{
    TCGContext *s = t->s;
    bool ok = true;
    char why[128] = "";
    tcg_func_start(s);
    int nb_globals = s->nb_globals;
    TCGv a = tcg_temp_new(s, TCG_TYPE_I32);
    TCGv b = tcg_temp_new(s, TCG_TYPE_I64);
    TCGv c5 = tcg_constant(s, TCG_TYPE_I32, 5);
    ok &= tcg_constant(s, TCG_TYPE_I32, 5) == c5;
    ok &= tcg_constant(s, TCG_TYPE_I64, 5) != c5;
    ok &= tcg_constant(s, TCG_TYPE_I32, 0x100000005ull) == c5;
    if (!ok) snprintf(why, sizeof(why), "constant dedupe");
    tcg_temp_free(s, a);
    TCGv a2 = tcg_temp_new(s, TCG_TYPE_I64);
    TCGv a3 = tcg_temp_new(s, TCG_TYPE_I32);
    if (a2 == a || a3 != a) { ok = false; snprintf(why, sizeof(why), "temp reuse by type"); }
    tcg_gen_addi(s, a3, t->g32[0], 5);
    TCGOp *op = s->last_op;
    if (op->opc != INDEX_op_add || op->type != TCG_TYPE_I32 || op->args[0] != a3 ||
        op->args[1] != t->g32[0] || op->args[2] != c5 || op->nb_oargs != 1 || op->nb_iargs != 2) {
        ok = false; snprintf(why, sizeof(why), "addi op");
    }
    TCGv args[3] = { TCG_ENV, a3, b };
    tcg_gen_call(s, &info_test_mix, b, 3, args);
    op = s->last_op;
    if (op->opc != INDEX_op_call || op->nb_oargs != 1 || op->nb_iargs != 3 || op->args[0] != b ||
        op->args[1] != TCG_ENV || op->args[4] != (uint64_t)(uintptr_t)&info_test_mix) {
        ok = false; snprintf(why, sizeof(why), "call op");
    }
    int l0 = tcg_new_label(s), l1 = tcg_new_label(s);
    if (l0 != 0 || l1 != 1) { ok = false; snprintf(why, sizeof(why), "labels"); }
    for (int i = 0; i < 300; i++)
        tcg_new_label(s);
    tcg_gen_brcondi(s, TCG_COND_LTU, b, 9, l1);
    op = s->last_op;
    if (op->type != TCG_TYPE_I64 || op->args[2] != TCG_COND_LTU || op->args[3] != (uint64_t)l1 ||
        s->temps[op->args[1]].val != 9) {
        ok = false; snprintf(why, sizeof(why), "brcondi");
    }
    tcg_gen_insn_start(s, 0x1000, 3);
    tcg_gen_ld32u(s, a3, -8);
    if ((int64_t)s->last_op->args[1] != -8) { ok = false; snprintf(why, sizeof(why), "ld offset"); }
    int n = s->nb_ops;
    TCGOp *mid = s->first_op->next;
    TCGOp *ins = tcg_op_insert_before(s, mid, INDEX_op_mov, TCG_TYPE_I32, 2);
    if (s->nb_ops != n + 1 || s->first_op->next != ins || ins->next != mid) {
        ok = false; snprintf(why, sizeof(why), "insert_before");
    }
    tcg_op_remove(s, ins);
    if (s->nb_ops != n || s->first_op->next != mid) { ok = false; snprintf(why, sizeof(why), "remove"); }
    tcg_func_start(s);
    if (s->nb_temps != nb_globals || s->first_op || s->nb_labels != 0 || s->temps[t->g32[0]].kind != TEMP_GLOBAL ||
        strcmp(s->temps[t->g32[0]].name, "a32") != 0) {
        ok = false; snprintf(why, sizeof(why), "func_start");
    }
    report(t, ok, "builder round trip", why);

    /* limits: the translator can ask before running out; the optimiser
     * stays within the temps left */
    tcg_func_start(s);
    ok = !tcg_op_buf_full(s);
    TCGv acc = tcg_temp_new(s, TCG_TYPE_I64);
    uint64_t want = 1;
    tcg_gen_movi(s, acc, 1);
    while (!tcg_op_buf_full(s)) {
        want += (uint64_t)s->nb_temps << 8;
        tcg_gen_addi(s, acc, acc, (uint64_t)s->nb_temps << 8);
    }
    ok = ok && s->nb_temps < TCG_MAX_TEMPS - 64;
    for (int i = 0; i < 150; i++) {
        tcg_gen_addi(s, acc, acc, 0x100000 + i);
        want += 0x100000 + i;
    }
    tcg_gen_mov(s, t->g64[0], acc);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    ok = ok && s->nb_temps <= TCG_MAX_TEMPS;
    TranslationBlock ltb = { 0 };
    run(t, &ltb);
    interp_free(&ltb);
    ok = ok && t->cpu->r64[0] == want;
    report(t, ok, "tcg_op_buf_full and optimiser near the temp limit", "limit handling");

    ok = true;
    for (int c = 0; c <= TCG_COND_TSTNE; c++) {
        for (int i = 0; i < 50; i++) {
            uint64_t x = rnd_val(t), y = rnd_val(t);
            for (int ty = 0; ty < 2; ty++) {
                TCGType type = ty ? TCG_TYPE_I64 : TCG_TYPE_I32;
                ok &= tcg_cond_eval((TCGCond)c, type, x, y) == oracle_cond((TCGCond)c, !ty, x, y);
                ok &= tcg_cond_eval(tcg_swap_cond((TCGCond)c), type, y, x) == oracle_cond((TCGCond)c, !ty, x, y);
                ok &= tcg_cond_eval(tcg_invert_cond((TCGCond)c), type, x, y) == !oracle_cond((TCGCond)c, !ty, x, y);
            }
        }
    }
    report(t, ok, "cond eval, swap, invert", "mismatch with C");
}

/* ---- optimiser and liveness on small shapes ---- */

static int count_ops(TCGContext *s, TCGOpcode opc)
{
    int n = 0;
    for (TCGOp *op = s->first_op; op; op = op->next)
        n += op->opc == opc;
    return n;
}

static void test_opt(T *t)
{
    TCGContext *s = t->s;
    /* movi a,5; add b,a,3 -> b is const 8 */
    tcg_func_start(s);
    TCGv a = tcg_temp_new(s, TCG_TYPE_I32), b = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_movi(s, a, 5);
    tcg_gen_addi(s, b, a, 3);
    tcg_gen_mov(s, t->g32[0], b);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    TCGOp *op = s->first_op;
    report(t, s->nb_ops == 2 && op->opc == INDEX_op_mov && op->args[0] == t->g32[0] &&
              s->temps[op->args[1]].kind == TEMP_CONST && s->temps[op->args[1]].val == 8,
           "opt movi+addi folds to 8", "unexpected IR");

    /* copy propagation and identities: b = a32 + 0; c = b * 1; d = c ^ c */
    tcg_func_start(s);
    TCGv c = tcg_temp_new(s, TCG_TYPE_I32), d = tcg_temp_new(s, TCG_TYPE_I32);
    b = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_addi(s, b, t->g32[0], 0);
    tcg_gen_muli(s, c, b, 1);
    tcg_gen_mov(s, t->g32[1], c);
    tcg_gen_xor(s, d, c, c);
    tcg_gen_mov(s, t->g32[2], d);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    op = s->first_op;
    bool ok = s->nb_ops == 3 && op->opc == INDEX_op_mov && op->args[0] == t->g32[1] &&
              op->args[1] == t->g32[0] && op->next->opc == INDEX_op_mov &&
              s->temps[op->next->args[1]].kind == TEMP_CONST && s->temps[op->next->args[1]].val == 0;
    report(t, ok, "opt copy propagation and identities", "unexpected IR");

    /* brcond on constants: always -> br, never -> removed */
    tcg_func_start(s);
    int l = tcg_new_label(s);
    tcg_gen_brcondi(s, TCG_COND_EQ, tcg_constant(s, TCG_TYPE_I32, 1), 1, l);
    tcg_gen_movi(s, t->g32[0], 1);
    tcg_gen_set_label(s, l);
    int l2 = tcg_new_label(s);
    tcg_gen_brcondi(s, TCG_COND_NE, tcg_constant(s, TCG_TYPE_I32, 1), 1, l2);
    tcg_gen_movi(s, t->g32[1], 2);
    tcg_gen_set_label(s, l2);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    ok = count_ops(s, INDEX_op_brcond) == 0 && count_ops(s, INDEX_op_set_label) == 0 &&
         s->nb_ops == 2 && s->first_op->args[0] == t->g32[1];
    report(t, ok, "opt brcond on constants", "unexpected IR");

    /* knowledge is dropped at a label that is still a target */
    tcg_func_start(s);
    a = tcg_temp_new(s, TCG_TYPE_I32);
    l = tcg_new_label(s);
    tcg_gen_movi(s, a, 1);
    tcg_gen_brcondi(s, TCG_COND_EQ, t->g32[0], 0, l);
    tcg_gen_movi(s, a, 2);
    tcg_gen_set_label(s, l);
    tcg_gen_mov(s, t->g32[1], a);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    ok = s->last_op->prev->opc == INDEX_op_mov && s->last_op->prev->args[1] == a;
    report(t, ok, "opt resets at a live label", "a constant crossed the label");

    /* movcond whose arms are the compared values: EQ (a, b, b, a) is a,
     * NE (a, b, a, b) is a */
    tcg_func_start(s);
    a = tcg_temp_new(s, TCG_TYPE_I32);
    b = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_movcond(s, TCG_COND_EQ, a, t->g32[0], t->g32[1], t->g32[1], t->g32[0]);
    tcg_gen_mov(s, t->g32[2], a);
    tcg_gen_movcond(s, TCG_COND_NE, b, t->g32[0], t->g32[1], t->g32[0], t->g32[1]);
    tcg_gen_mov(s, t->g32[3], b);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    ok = count_ops(s, INDEX_op_movcond) == 0 && s->nb_ops == 3 &&
         s->first_op->args[0] == t->g32[2] && s->first_op->args[1] == t->g32[0] &&
         s->first_op->next->args[0] == t->g32[3] && s->first_op->next->args[1] == t->g32[0];
    report(t, ok, "opt movcond on the compared values", "unexpected IR");

    /* known-zero bits: a setcond result (0/1) masked or zero-extended is
     * itself; a mask that clears a possibly set bit stays */
    tcg_func_start(s);
    a = tcg_temp_new(s, TCG_TYPE_I32);
    b = tcg_temp_new(s, TCG_TYPE_I32);
    c = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_setcond(s, TCG_COND_LT, a, t->g32[0], t->g32[1]);
    tcg_gen_andi(s, b, a, 0xff);
    tcg_gen_ext8u(s, c, b);
    tcg_gen_mov(s, t->g32[2], c);
    tcg_gen_ext8u(s, d, t->g32[0]);
    tcg_gen_andi(s, d, d, 0x7f);
    tcg_gen_mov(s, t->g32[3], d);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    ok = count_ops(s, INDEX_op_ext8u) == 1 && count_ops(s, INDEX_op_and) == 1 &&
         count_ops(s, INDEX_op_setcond) == 1;
    report(t, ok, "opt known-zero bits: and/ext of a setcond", "unexpected IR");
}

static void test_liveness(T *t)
{
    TCGContext *s = t->s;
    /* cc_src = x; cc_src = y: the first write is dead */
    tcg_func_start(s);
    TCGv x = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_add(s, x, t->g32[0], t->g32[1]);
    tcg_gen_mov(s, t->g32[3], x);
    tcg_gen_sub(s, t->g32[3], t->g32[0], t->g32[1]);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    bool ok = s->nb_ops == 2 && s->first_op->opc == INDEX_op_sub;
    report(t, ok, "liveness removes dead global write", "first write kept");

    /* ... but a qemu_ld in between may fault and needs it in env */
    tcg_func_start(s);
    x = tcg_temp_new(s, TCG_TYPE_I32);
    TCGv v = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_add(s, x, t->g32[0], t->g32[1]);
    tcg_gen_mov(s, t->g32[3], x);
    tcg_gen_qemu_ld(s, v, t->g32[0], MO_UL, 0);
    tcg_gen_sub(s, t->g32[3], t->g32[0], v);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    ok = s->nb_ops == 5 && count_ops(s, INDEX_op_add) == 1;
    report(t, ok, "liveness keeps global write before qemu_ld", "write removed");

    /* a call that reads globals keeps it too; one that does not, does not */
    tcg_func_start(s);
    x = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_add(s, t->g32[3], t->g32[0], t->g32[1]);
    TCGv arg = t->g32[0];
    tcg_gen_call(s, &info_test_neg32, x, 1, &arg);      /* NO_RWG_SE, result unused */
    tcg_gen_movi(s, t->g32[3], 0);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    ok = s->nb_ops == 2 && count_ops(s, INDEX_op_call) == 0;
    report(t, ok, "liveness removes pure call and dead write around it", "kept");

    tcg_func_start(s);
    TCGv a64[2] = { TCG_ENV, t->g64[0] };
    tcg_gen_add(s, t->g32[3], t->g32[0], t->g32[1]);
    TCGv args[3] = { TCG_ENV, t->g32[0], t->g64[0] };
    tcg_gen_call(s, &info_test_mix, t->g64[1], 3, args);    /* reads globals */
    tcg_gen_call(s, &info_test_store, TCGV_NONE, 2, a64);    /* side effect */
    tcg_gen_movi(s, t->g32[3], 0);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    ok = s->nb_ops == 5;
    report(t, ok, "liveness keeps write before a call reading globals", "removed");

    /* life bits: the temp dies at its last use */
    tcg_func_start(s);
    x = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_add(s, x, t->g32[0], t->g32[1]);
    tcg_gen_mov(s, t->g32[2], x);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    /* after copy propagation: add g2,a32,b32 -- check inputs are not dead (globals) */
    TCGOp *op = s->first_op;
    ok = op->opc == INDEX_op_add && !(op->life & (TCG_LIFE_DEAD_IN(0) | TCG_LIFE_DEAD_IN(1)));
    report(t, ok, "liveness globals never die at block end", "dead bit on a global");

    /* a temp used across a loop back edge stays live around it */
    tcg_func_start(s);
    TCGv acc = tcg_temp_new(s, TCG_TYPE_I32), i = tcg_temp_new(s, TCG_TYPE_I32);
    int l = tcg_new_label(s);
    tcg_gen_movi(s, acc, 0);
    tcg_gen_mov(s, i, t->g32[0]);
    tcg_gen_set_label(s, l);
    tcg_gen_add(s, acc, acc, i);
    tcg_gen_subi(s, i, i, 1);
    tcg_gen_brcondi(s, TCG_COND_NE, i, 0, l);
    tcg_gen_mov(s, t->g32[1], acc);
    tcg_gen_exit_tb(s, 0);
    passes(t);
    ok = true;
    for (op = s->first_op; op; op = op->next) {
        /* add acc,acc,i: the old acc dies (overwritten), i and the new acc live on */
        if (op->opc == INDEX_op_add && (op->life & (TCG_LIFE_DEAD_IN(1) | TCG_LIFE_DEAD_OUT(0))))
            ok = false;
        if (op->opc == INDEX_op_sub && (op->life & TCG_LIFE_DEAD_OUT(0)))
            ok = false;
        if (op->opc == INDEX_op_brcond && (op->life & TCG_LIFE_DEAD_IN(0)))
            ok = false;
    }
    if (!ok) tcg_dump_ops(s, stdout);
    report(t, ok, "liveness loop temps live on back edge", "dead bit inside loop");
}

/* ---- interpreter: control flow, calls, memory, chaining ---- */

static void build_sum_loop(T *t)
{
    TCGContext *s = t->s;
    tcg_func_start(s);
    tcg_gen_insn_start(s, 0x100, 0);
    TCGv acc = tcg_temp_new(s, TCG_TYPE_I32), i = tcg_temp_new(s, TCG_TYPE_I32);
    int l = tcg_new_label(s), done = tcg_new_label(s);
    tcg_gen_movi(s, acc, 0);
    tcg_gen_mov(s, i, t->g32[0]);
    tcg_gen_brcondi(s, TCG_COND_EQ, i, 0, done);
    tcg_gen_set_label(s, l);
    tcg_gen_add(s, acc, acc, i);
    tcg_gen_subi(s, i, i, 1);
    tcg_gen_brcondi(s, TCG_COND_NE, i, 0, l);
    tcg_gen_set_label(s, done);
    tcg_gen_mov(s, t->g32[1], acc);
    tcg_gen_exit_tb(s, 0x40);
}

static void test_interp_misc(T *t)
{
    TCGContext *s = t->s;
    TranslationBlock tb = { 0 }, tb2 = { 0 };
    for (int opt = 0; opt < 2; opt++) {
        build_sum_loop(t);
        if (opt)
            passes(t);
        bool ok = true;
        if (interp_prepare(s, &tb) < 0)
            ok = false;
        for (uint32_t n = 0; n < 200 && ok; n += 7) {
            t->cpu->r32[0] = n;
            uintptr_t r = interp_exec(&t->cpu->cs, &tb);
            ok = r == 0x40 && t->cpu->r32[1] == n * (n + 1) / 2 && t->cpu->cs.interp_insn_data[0] == 0x100 &&
                 t->cpu->cs.interp_tb == &tb;
        }
        interp_free(&tb);
        report(t, ok, opt ? "interp loop with labels (optimised)" : "interp loop with labels", "wrong sum");
    }

    /* helper calls through libffi */
    for (int opt = 0; opt < 2; opt++) {
        tcg_func_start(s);
        TCGv r = tcg_temp_new(s, TCG_TYPE_I64), r32 = tcg_temp_new(s, TCG_TYPE_I32);
        TCGv args[3] = { TCG_ENV, t->g32[0], t->g64[0] };
        tcg_gen_call(s, &info_test_mix, r, 3, args);
        tcg_gen_mov(s, t->g64[1], r);
        TCGv a1 = t->g32[0];
        tcg_gen_call(s, &info_test_neg32, r32, 1, &a1);
        tcg_gen_mov(s, t->g32[1], r32);
        TCGv a2[2] = { TCG_ENV, r };
        tcg_gen_call(s, &info_test_store, TCGV_NONE, 2, a2);
        tcg_gen_exit_tb(s, 0);
        if (opt)
            passes(t);
        bool ok = run(t, &tb) == 0;
        t->cpu->r32[0] = 0x80000001u;
        t->cpu->r64[0] = 0x123456789ull;
        t->cpu->r64[3] = 0;
        interp_exec(&t->cpu->cs, &tb);
        uint64_t want = 0x80000001ull * 3 + 0x123456789ull;
        ok = ok && t->cpu->r64[1] == want && t->cpu->helper_arg[0] == 0x80000001u &&
             t->cpu->helper_arg[1] == 0x123456789ull && t->cpu->r32[1] == 0x7fffffffu && t->cpu->r64[3] == want;
        interp_free(&tb);
        report(t, ok, opt ? "interp helper calls via libffi (optimised)" : "interp helper calls via libffi",
               "wrong result");
    }

    /* guest memory: qemu_st then sign-extending qemu_ld */
    tcg_func_start(s);
    TCGv v = tcg_temp_new(s, TCG_TYPE_I32), v64 = tcg_temp_new(s, TCG_TYPE_I64);
    TCGv addr = tcg_constant(s, TCG_TYPE_I32, 0x10);
    tcg_gen_qemu_st(s, t->g32[0], addr, MO_UL, 1);
    tcg_gen_qemu_ld(s, v, addr, MO_SB, 1);
    tcg_gen_mov(s, t->g32[1], v);
    tcg_gen_qemu_ld(s, v64, addr, MO_SW, 1);
    tcg_gen_mov(s, t->g64[1], v64);
    tcg_gen_qemu_ld(s, v64, addr, MO_UL, 1);
    tcg_gen_mov(s, t->g64[2], v64);
    tcg_gen_exit_tb(s, 0);
    t->cpu->r32[0] = 0x1234f680;
    t->cpu->nb_ld = t->cpu->nb_st = 0;
    run(t, &tb);
    bool ok = t->cpu->r32[1] == 0xffffff80u && t->cpu->r64[1] == 0xfffffffffffff680ull &&
              t->cpu->r64[2] == 0x1234f680u && t->cpu->nb_ld == 3 && t->cpu->nb_st == 1;
    interp_free(&tb);
    report(t, ok, "interp qemu_ld/qemu_st with sign extension", "wrong value");

    /* the inline TLB fast path: a RAM entry is used directly, a flagged one
     * goes to the slow path */
    {
        CPUTLBEntry *table = malloc(sizeof(CPUTLBEntry) * CPU_TLB_SIZE);
        memset(table, 0xff, sizeof(CPUTLBEntry) * CPU_TLB_SIZE);
        uint8_t *page = calloc(1, TARGET_PAGE_SIZE);
        CPUTLBEntry *e = &table[(0x5000 >> TARGET_PAGE_BITS) & (CPU_TLB_SIZE - 1)];
        e->addr_read = e->addr_write = 0x5000;
        e->addend = (uintptr_t)page - 0x5000;
        CPUTLBEntry *m = &table[(0x6000 >> TARGET_PAGE_BITS) & (CPU_TLB_SIZE - 1)];
        m->addr_read = m->addr_write = 0x6000 | TLB_MMIO;
        m->addend = 0;
        t->cpu->cs.tlb_table[1] = table;
        t->cpu->cs.tlb_inline = true;
        tcg_func_start(s);
        v = tcg_temp_new(s, TCG_TYPE_I32);
        tcg_gen_qemu_st(s, t->g32[0], tcg_constant(s, TCG_TYPE_I32, 0x5ffc), MO_UL, 1);
        tcg_gen_qemu_ld(s, v, tcg_constant(s, TCG_TYPE_I32, 0x5ffd), MO_SW, 1);
        tcg_gen_mov(s, t->g32[1], v);
        tcg_gen_qemu_ld(s, v, tcg_constant(s, TCG_TYPE_I32, 0x5ffe), MO_UL, 1);  /* crosses: slow */
        tcg_gen_qemu_ld(s, v, tcg_constant(s, TCG_TYPE_I32, 0x6000), MO_UL, 1);  /* MMIO: slow */
        tcg_gen_exit_tb(s, 0);
        t->cpu->r32[0] = 0x11a2b3c4;
        t->cpu->nb_ld = t->cpu->nb_st = 0;
        run(t, &tb);
        uint32_t w;
        memcpy(&w, page + 0xffc, 4);
        ok = w == 0x11a2b3c4 && t->cpu->r32[1] == 0xffffa2b3u && t->cpu->nb_st == 0 && t->cpu->nb_ld == 2;
        /* tlb-inline=off: everything through the slow path */
        t->cpu->cs.tlb_inline = false;
        t->cpu->nb_ld = t->cpu->nb_st = 0;
        interp_exec(&t->cpu->cs, &tb);
        ok = ok && t->cpu->nb_st == 1 && t->cpu->nb_ld == 3;
        interp_free(&tb);
        t->cpu->cs.tlb_table[1] = NULL;
        free(table);
        free(page);
        report(t, ok, "interp inline TLB fast path", "wrong path or value");
    }

    /* env loads and stores */
    tcg_func_start(s);
    v = tcg_temp_new(s, TCG_TYPE_I32);
    v64 = tcg_temp_new(s, TCG_TYPE_I64);
    tcg_gen_ld8s(s, v, offsetof(TestCPU, scratch[0]));
    tcg_gen_mov(s, t->g32[1], v);
    tcg_gen_ld16u(s, v64, offsetof(TestCPU, scratch[0]));
    tcg_gen_mov(s, t->g64[1], v64);
    tcg_gen_ld32s(s, v64, offsetof(TestCPU, scratch[0]));
    tcg_gen_mov(s, t->g64[2], v64);
    tcg_gen_st16(s, t->g32[0], offsetof(TestCPU, scratch[1]));
    tcg_gen_exit_tb(s, 0);
    t->cpu->scratch[0] = 0x80008081;
    t->cpu->scratch[1] = 0;
    t->cpu->r32[0] = 0xabcd1234;
    run(t, &tb);
    ok = t->cpu->r32[1] == 0xffffff81u && t->cpu->r64[1] == 0x8081 &&
         t->cpu->r64[2] == 0xffffffff80008081ull && t->cpu->scratch[1] == 0x1234;
    interp_free(&tb);
    report(t, ok, "interp env ld/st", "wrong value");

    /* exit_check and goto_tb chaining */
    tcg_func_start(s);
    tcg_gen_exit_check(s);
    tcg_gen_goto_tb(s, 0);
    tcg_gen_movi(s, t->g32[0], 11);
    tcg_gen_exit_tb(s, (uintptr_t)&tb | 0);
    interp_prepare(s, &tb);
    tcg_func_start(s);
    tcg_gen_exit_check(s);
    tcg_gen_movi(s, t->g32[1], 22);
    tcg_gen_exit_tb(s, 0x80);
    interp_prepare(s, &tb2);
    t->cpu->r32[0] = t->cpu->r32[1] = 0;
    t->cpu->cs.chain_enabled = true;
    uintptr_t r = interp_exec(&t->cpu->cs, &tb);
    ok = r == (uintptr_t)&tb && t->cpu->r32[0] == 11 && t->cpu->r32[1] == 0;
    tb.jmp_dest[0] = &tb2;
    r = interp_exec(&t->cpu->cs, &tb);
    ok = ok && r == 0x80 && t->cpu->r32[1] == 22;
    t->cpu->cs.chain_enabled = false;
    t->cpu->r32[1] = 0;
    r = interp_exec(&t->cpu->cs, &tb);
    ok = ok && r == (uintptr_t)&tb && t->cpu->r32[1] == 0;
    t->cpu->cs.chain_enabled = true;
    t->cpu->cs.exit_request = 1;
    r = interp_exec(&t->cpu->cs, &tb);
    ok = ok && r == ((uintptr_t)&tb | TB_EXIT_REQUESTED);
    t->cpu->cs.exit_request = 0;
    report(t, ok, "interp exit_check and goto_tb chaining", "wrong exit");
    interp_free(&tb);
    interp_free(&tb2);

    /* lookup_and_goto_ptr: NULL returns to the loop, a TB is entered */
    tcg_func_start(s);
    tcg_gen_exit_check(s);
    tcg_gen_movi(s, t->g32[1], 33);
    tcg_gen_exit_tb(s, 0x90);
    interp_prepare(s, &tb2);
    tcg_func_start(s);
    tcg_gen_lookup_and_goto_ptr(s);
    t->cpu->lookup_result = NULL;
    t->cpu->r32[1] = 0;
    r = run(t, &tb);
    ok = r == 0 && t->cpu->r32[1] == 0;
    t->cpu->lookup_result = &tb2;
    r = interp_exec(&t->cpu->cs, &tb);
    ok = ok && r == 0x90 && t->cpu->r32[1] == 33;
    t->cpu->lookup_result = NULL;
    interp_free(&tb);
    interp_free(&tb2);
    report(t, ok, "interp lookup_and_goto_ptr", "wrong exit");

    /* lookup_goto_ptr: the same through the op that carries the key (the
     * interpreter asks the helper, whatever the key says) */
    tcg_func_start(s);
    tcg_gen_exit_check(s);
    tcg_gen_movi(s, t->g32[1], 34);
    tcg_gen_exit_tb(s, 0x94);
    interp_prepare(s, &tb2);
    tcg_func_start(s);
    tcg_gen_movi(s, t->g32[2], 7);
    tcg_gen_lookup_goto_ptr(s, t->g32[0], 0x1c, 0);
    tcg_optimize(s);
    tcg_liveness(s);
    interp_prepare(s, &tb);
    t->cpu->lookup_result = NULL;
    t->cpu->r32[1] = t->cpu->r32[2] = 0;
    r = interp_exec(&t->cpu->cs, &tb);
    ok = r == 0 && t->cpu->r32[1] == 0 && t->cpu->r32[2] == 7;
    t->cpu->lookup_result = &tb2;
    r = interp_exec(&t->cpu->cs, &tb);
    ok = ok && r == 0x94 && t->cpu->r32[1] == 34;
    t->cpu->lookup_result = NULL;
    interp_free(&tb);
    interp_free(&tb2);
    report(t, ok, "interp lookup_goto_ptr", "wrong exit");
}

/* ---- random programs: the optimiser and liveness must not change what
 * the interpreter computes (the unoptimised run is the oracle) ---- */

#define RP_TEMPS 6

static TCGv rp_src(T *t, TCGv *tmp, TCGType type)
{
    TCGContext *s = t->s;
    TCGv *g = type == TCG_TYPE_I32 ? t->g32 : t->g64;
    switch (rnd(t) % 6) {
    case 0: return g[rnd(t) % 4];
    case 1: return tcg_constant(s, type, rnd(t) % 3 == 0 ? rnd(t) % 70 : rnd_val(t));
    default: return tmp[(type == TCG_TYPE_I32 ? 0 : RP_TEMPS / 2) + rnd(t) % (RP_TEMPS / 2)];
    }
}

static TCGv rp_dst(T *t, TCGv *tmp, TCGType type)
{
    TCGv *g = type == TCG_TYPE_I32 ? t->g32 : t->g64;
    if (rnd(t) % 3 == 0)
        return g[rnd(t) % 4];
    return tmp[(type == TCG_TYPE_I32 ? 0 : RP_TEMPS / 2) + rnd(t) % (RP_TEMPS / 2)];
}

/* One random op, possibly a memory access or a helper call. */
static void rp_op(T *t, TCGv *tmp)
{
    TCGContext *s = t->s;
    TCGType type = rnd(t) % 2 ? TCG_TYPE_I64 : TCG_TYPE_I32;
    bool is32 = type == TCG_TYPE_I32;
    unsigned r = rnd(t) % 20;
    if (r == 0) {   /* guest memory */
        TCGv addr = tmp[rnd(t) % (RP_TEMPS / 2)];
        TCGv a2 = tcg_temp_new(s, TCG_TYPE_I32);
        tcg_gen_andi(s, a2, addr, 0x3f8);
        MemOp mop = (MemOp)(rnd(t) % (is32 ? 3 : 4));
        if (rnd(t) % 2) {
            if (rnd(t) % 2 && mop != MO_64 && !(is32 && mop == MO_32))
                mop |= MO_SIGN;
            tcg_gen_qemu_ld(s, rp_dst(t, tmp, type), a2, mop, 0);
        } else {
            tcg_gen_qemu_st(s, rp_src(t, tmp, type), a2, mop, 0);
        }
        tcg_temp_free(s, a2);
        return;
    }
    if (r == 1) {   /* helpers */
        TCGv x32 = rp_src(t, tmp, TCG_TYPE_I32), x64 = rp_src(t, tmp, TCG_TYPE_I64);
        switch (rnd(t) % 3) {
        case 0: {
            TCGv args[3] = { TCG_ENV, x32, x64 };
            tcg_gen_call(s, &info_test_mix, rp_dst(t, tmp, TCG_TYPE_I64), 3, args);
            break;
        }
        case 1:
            tcg_gen_call(s, &info_test_neg32, rp_dst(t, tmp, TCG_TYPE_I32), 1, &x32);
            break;
        default: {
            TCGv args[2] = { TCG_ENV, x64 };
            tcg_gen_call(s, &info_test_store, TCGV_NONE, 2, args);
            break;
        }
        }
        return;
    }
    if (r == 2) {
        TCGCond c = (TCGCond)(rnd(t) % 14);
        TCGv d = rp_dst(t, tmp, type), a = rp_src(t, tmp, type), b = rp_src(t, tmp, type);
        switch (rnd(t) % 3) {
        case 0: tcg_gen_setcond(s, c, d, a, b); break;
        case 1: tcg_gen_negsetcond(s, c, d, a, b); break;
        default: tcg_gen_movcond(s, c, d, a, b, rp_src(t, tmp, type), rp_src(t, tmp, type)); break;
        }
        return;
    }
    if (r == 3) {   /* env state that is not a global */
        if (rnd(t) % 2)
            tcg_gen_ld32u(s, rp_dst(t, tmp, type), offsetof(TestCPU, scratch[0]));
        else
            tcg_gen_st32(s, rp_src(t, tmp, type), offsetof(TestCPU, scratch[0]));
        return;
    }
    const OpCase *oc;
    do {
        oc = &op_cases[rnd(t) % (sizeof(op_cases) / sizeof(op_cases[0]))];
    } while ((oc->only64 && is32) || (oc->only32 && !is32));
    TCGType it = oc->kind == K_CONV ? (is32 ? TCG_TYPE_I64 : TCG_TYPE_I32) : type;
    unsigned pos = 0, len = 0;
    if (oc->kind == K_FIELD)
        pick_field(t, is32 ? 32 : 64, &pos, &len);
    TCGv d = rp_dst(t, tmp, type), d2 = rp_dst(t, tmp, type);
    if (oc->kind == K_MUL2) {
        while (d2 == d)
            d2 = rp_dst(t, tmp, type);
    }
    TCGv a = rp_src(t, tmp, it), b = rnd(t) % 8 == 0 ? a : rp_src(t, tmp, it);
    gen_case(s, oc, d, d2, a, b, pos, len);
}

static void rp_build(T *t, uint64_t seed)
{
    TCGContext *s = t->s;
    uint64_t saved = t->rng;
    t->rng = seed;
    tcg_func_start(s);
    tcg_gen_exit_check(s);
    TCGv tmp[RP_TEMPS];
    for (int i = 0; i < RP_TEMPS; i++) {
        bool is32 = i < RP_TEMPS / 2;
        tmp[i] = tcg_temp_new(s, is32 ? TCG_TYPE_I32 : TCG_TYPE_I64);
        tcg_gen_mov(s, tmp[i], is32 ? t->g32[i] : t->g64[i - RP_TEMPS / 2]);
    }
    int pending[8], nb_pending = 0;
    int n = 10 + rnd(t) % 50;
    for (int i = 0; i < n; i++) {
        if (i % 4 == 0)
            tcg_gen_insn_start(s, 0x1000 + i, 0);
        unsigned r = rnd(t) % 16;
        if (r == 0 && nb_pending < 8) {     /* forward branch */
            int l = tcg_new_label(s);
            TCGType type = rnd(t) % 2 ? TCG_TYPE_I64 : TCG_TYPE_I32;
            tcg_gen_brcond(s, (TCGCond)(rnd(t) % 14), rp_src(t, tmp, type), rp_src(t, tmp, type), l);
            pending[nb_pending++] = l;
        } else if (r == 1 && nb_pending > 0) {
            int k = rnd(t) % nb_pending;
            tcg_gen_set_label(s, pending[k]);
            pending[k] = pending[--nb_pending];
        } else if (r == 2 && nb_pending == 0) {   /* a small counted loop */
            TCGv cnt = tcg_temp_new(s, TCG_TYPE_I32);
            int l = tcg_new_label(s);
            tcg_gen_movi(s, cnt, 1 + rnd(t) % 4);
            tcg_gen_set_label(s, l);
            for (int k = rnd(t) % 5; k >= 0; k--)
                rp_op(t, tmp);
            tcg_gen_subi(s, cnt, cnt, 1);
            tcg_gen_brcondi(s, TCG_COND_NE, cnt, 0, l);
            tcg_temp_free(s, cnt);
        } else if (r == 3 && nb_pending > 0 && rnd(t) % 2) {
            tcg_gen_br(s, pending[rnd(t) % nb_pending]);
        } else if (r == 4 && nb_pending == 0) {   /* the new variable's mov dominates its uses */
            /* free a temp and take a new one: the index is reused for a
             * new variable, as frontends do per instruction */
            int k = rnd(t) % RP_TEMPS;
            TCGType type = k < RP_TEMPS / 2 ? TCG_TYPE_I32 : TCG_TYPE_I64;
            tcg_temp_free(s, tmp[k]);
            TCGv nt = tcg_temp_new(s, type);
            TCGv src = rp_src(t, tmp, type);
            if (src == tmp[k] || src == nt)     /* never read the new variable before it is set */
                src = type == TCG_TYPE_I32 ? t->g32[0] : t->g64[0];
            tmp[k] = nt;
            tcg_gen_mov(s, nt, src);
        } else {
            rp_op(t, tmp);
        }
    }
    while (nb_pending > 0)
        tcg_gen_set_label(s, pending[--nb_pending]);
    /* make the temps observable */
    for (int i = 0; i < RP_TEMPS; i++) {
        bool is32 = i < RP_TEMPS / 2;
        tcg_gen_st(s, tmp[i], offsetof(TestCPU, mem) + 0x800 + 8 * i);
        (void)is32;
    }
    tcg_gen_exit_tb(s, 0x123);
    t->rng = saved;
}

static void test_random_programs(T *t)
{
    TCGContext *s = t->s;
    TranslationBlock tb = { 0 };
    TestCPU *init = malloc(sizeof(TestCPU)), *ref = malloc(sizeof(TestCPU));
    char why[512] = "";
    int bad = 0, n = 0, removed = 0;
    /* TEST_IR_SEED explores other programs; the default keeps runs repeatable */
    uint64_t base = getenv("TEST_IR_SEED") ? strtoull(getenv("TEST_IR_SEED"), NULL, 0) : 0x1234567ull;
    for (int prog = 0; prog < 1000; prog++) {
        uint64_t seed = base + prog * 0x9e3779b97f4a7c15ull;
        memset(init, 0, sizeof(*init));
        for (int i = 0; i < 4; i++) {
            init->r32[i] = rnd_val(t);
            init->r64[i] = rnd_val(t);
        }
        for (size_t i = 0; i < sizeof(init->mem); i++)
            init->mem[i] = rnd(t);
        init->scratch[0] = rnd(t);
        init->cs = t->cpu->cs;
        init->cs.exit_request = 0;

        rp_build(t, seed);
        int before = s->nb_ops;
        memcpy(t->cpu, init, sizeof(*init));
        uintptr_t r1 = run(t, &tb);
        memcpy(ref, t->cpu, sizeof(*ref));
        interp_free(&tb);

        rp_build(t, seed);
        passes(t);
        removed += before - s->nb_ops;
        memcpy(t->cpu, init, sizeof(*init));
        uintptr_t r2 = run(t, &tb);
        interp_free(&tb);
        n++;
        /* interp_insn_data may differ: unreachable-insn bookkeeping aside,
         * compare everything after the CPUState header */
        size_t off = offsetof(TestCPU, r32);
        if (r1 != r2 || memcmp((char *)ref + off, (char *)t->cpu + off, sizeof(TestCPU) - off) != 0) {
            if (!bad++) {
                snprintf(why, sizeof(why), "program %d (seed %#llx) differs after optimisation", prog,
                         (unsigned long long)seed);
                if (getenv("TEST_IR_VERBOSE")) {
                    rp_build(t, seed);
                    tcg_dump_ops(s, stderr);
                    passes(t);
                    fprintf(stderr, "---- optimised\n");
                    tcg_dump_ops(s, stderr);
                }
            }
        }
    }
    free(init);
    free(ref);
    char name[96];
    snprintf(name, sizeof(name), "random programs: optimised == unoptimised (%d programs, %d ops removed)", n,
             removed);
    report(t, bad == 0, name, why);
}

/* ---- golden dumps ---- */

static void golden_check(T *t, const char *name, void (*build)(T *t))
{
    TCGContext *s = t->s;
    build(t);
    char *before = dump_str(s);
    passes(t);
    char *after = dump_str(s);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "# %s: before\n%s# after optimize + liveness\n%s", name, before, after);
    fclose(f);
    free(before);
    free(after);

    const char *dir = getenv("GOLDEN_DIR") ? getenv("GOLDEN_DIR") : "tests/unit/golden";
    char path[512], tname[128], why[1024] = "";
    snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
    snprintf(tname, sizeof(tname), "golden %s", name);
    const char *upd = getenv("UPDATE_GOLDEN");
    if (upd && strcmp(upd, "1") == 0) {
        FILE *w = fopen(path, "w");
        bool ok = w && fputs(text, w) >= 0;
        if (w)
            fclose(w);
        report(t, ok, tname, "cannot write golden file");
        free(text);
        return;
    }
    FILE *r = fopen(path, "r");
    bool ok = false;
    if (!r) {
        snprintf(why, sizeof(why), "missing %s (UPDATE_GOLDEN=1 creates it)", path);
    } else {
        char *want = malloc(len + 2);
        size_t n = fread(want, 1, len + 1, r);
        fclose(r);
        ok = n == len && memcmp(want, text, len) == 0;
        if (!ok) {
            size_t i = 0;
            while (i < n && i < len && want[i] == text[i])
                i++;
            size_t ls = i;
            while (ls > 0 && text[ls - 1] != '\n')
                ls--;
            const char *nl = strchr(text + ls, '\n');
            snprintf(why, sizeof(why), "differs at byte %zu, line \"%.*s\"", i,
                     (int)(nl ? nl - (text + ls) : 60), text + ls);
        }
        free(want);
    }
    report(t, ok, tname, why);
    free(text);
}

static void build_g_fold(T *t)
{
    TCGContext *s = t->s;
    tcg_func_start(s);
    tcg_gen_insn_start(s, 0x100012, 5);
    TCGv a = tcg_temp_new(s, TCG_TYPE_I32), b = tcg_temp_new(s, TCG_TYPE_I32);
    TCGv c = tcg_temp_new(s, TCG_TYPE_I64);
    tcg_gen_movi(s, a, 5);
    tcg_gen_addi(s, b, a, 3);
    tcg_gen_shli(s, b, b, 2);
    tcg_gen_add(s, b, b, t->g32[0]);
    tcg_gen_mov(s, t->g32[1], b);
    tcg_gen_extu_i32_i64(s, c, a);
    tcg_gen_mul(s, c, c, t->g64[0]);
    tcg_gen_ori(s, t->g64[1], c, 0);
    tcg_gen_exit_tb(s, 0);
}

static void build_g_flags(T *t)
{
    /* lazy flags: cc_src/cc_dst written by two instructions, read by none */
    TCGContext *s = t->s;
    TCGv eax = t->g32[0], ebx = t->g32[1], cc_src = t->g32[2], cc_dst = t->g32[3];
    tcg_func_start(s);
    tcg_gen_exit_check(s);
    tcg_gen_insn_start(s, 0x1000, 1);
    TCGv tmp = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_add(s, tmp, eax, ebx);
    tcg_gen_mov(s, cc_src, ebx);
    tcg_gen_mov(s, cc_dst, tmp);
    tcg_gen_mov(s, eax, tmp);
    tcg_temp_free(s, tmp);
    tcg_gen_insn_start(s, 0x1002, 2);
    tmp = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_sub(s, tmp, eax, ebx);
    tcg_gen_mov(s, cc_src, ebx);
    tcg_gen_mov(s, cc_dst, tmp);
    tcg_gen_mov(s, eax, tmp);
    tcg_temp_free(s, tmp);
    tcg_gen_insn_start(s, 0x1004, 2);
    tmp = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_qemu_ld(s, tmp, eax, MO_UL, 0);
    tcg_gen_xor(s, tmp, tmp, tmp);
    tcg_gen_mov(s, cc_dst, tmp);
    tcg_gen_movi(s, cc_src, 0);
    tcg_gen_mov(s, ebx, tmp);
    tcg_gen_st32(s, tcg_constant(s, TCG_TYPE_I32, 0x1007), 0x40);
    tcg_gen_exit_tb(s, 0);
}

static void build_g_branch(T *t)
{
    TCGContext *s = t->s;
    tcg_func_start(s);
    tcg_gen_insn_start(s, 0x2000, 0);
    TCGv a = tcg_temp_new(s, TCG_TYPE_I32), c = tcg_temp_new(s, TCG_TYPE_I32);
    int l1 = tcg_new_label(s), l2 = tcg_new_label(s), l3 = tcg_new_label(s);
    tcg_gen_movi(s, a, 7);
    tcg_gen_brcondi(s, TCG_COND_LTU, a, 3, l1);     /* never */
    tcg_gen_setcondi(s, TCG_COND_GT, c, a, 2);      /* 1 */
    tcg_gen_brcondi(s, TCG_COND_NE, c, 0, l2);      /* always */
    tcg_gen_movi(s, t->g32[0], 1);                  /* unreachable */
    tcg_gen_set_label(s, l1);
    tcg_gen_movi(s, t->g32[0], 2);
    tcg_gen_set_label(s, l2);
    tcg_gen_brcond(s, TCG_COND_EQ, t->g32[1], t->g32[2], l3);
    tcg_gen_movcond(s, TCG_COND_LT, t->g32[0], t->g32[1], t->g32[2], a, c);
    tcg_gen_set_label(s, l3);
    tcg_gen_goto_tb(s, 0);
    tcg_gen_st(s, tcg_constant(s, TCG_TYPE_I64, 0x2004), 0x48);
    tcg_gen_exit_tb(s, 0x1000);
}

static void build_g_call(T *t)
{
    TCGContext *s = t->s;
    tcg_func_start(s);
    tcg_gen_insn_start(s, 0x3000, 0);
    TCGv r = tcg_temp_new(s, TCG_TYPE_I64), x = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_mov(s, t->g32[3], t->g32[0]);
    TCGv args[3] = { TCG_ENV, t->g32[3], t->g64[0] };
    tcg_gen_call(s, &info_test_mix, r, 3, args);
    tcg_gen_mov(s, t->g64[1], r);
    tcg_gen_add(s, x, t->g32[3], t->g32[0]);
    tcg_gen_mov(s, t->g32[1], x);
    tcg_gen_st(s, tcg_constant(s, TCG_TYPE_I64, 0x3005), 0x48);
    tcg_gen_lookup_and_goto_ptr(s);
}

int main(void)
{
    T t = { .rng = 0x9e3779b97f4a7c15ull };
    alarm(300);     /* an optimiser bug can make a counted loop infinite: fail, don't hang */
    t.s = calloc(1, sizeof(TCGContext));
    t.cpu = calloc(1, sizeof(TestCPU));
    tcg_context_init(t.s);
    static const char *const n32[] = { "a32", "b32", "c32", "d32" };
    static const char *const n64[] = { "a64", "b64", "c64", "d64" };
    for (int i = 0; i < 4; i++)
        t.g32[i] = tcg_global_mem_new(t.s, TCG_TYPE_I32, offsetof(TestCPU, r32[i]), n32[i]);
    for (int i = 0; i < 4; i++)
        t.g64[i] = tcg_global_mem_new(t.s, TCG_TYPE_I64, offsetof(TestCPU, r64[i]), n64[i]);

    test_builder(&t);
    test_arith(&t);
    test_conds(&t);
    test_opt(&t);
    test_liveness(&t);
    test_interp_misc(&t);
    test_random_programs(&t);
    golden_check(&t, "fold", build_g_fold);
    golden_check(&t, "flags", build_g_flags);
    golden_check(&t, "branch", build_g_branch);
    golden_check(&t, "call", build_g_call);
    free(t.s->op_pool);
    free(t.s->labels);
    free(t.s);
    free(t.cpu);
    return t.fails != 0;
}
