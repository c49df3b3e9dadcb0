/*
 * The x86-64 JIT against the interpreter (backend/interp, the reference
 * semantics): IR built by hand through the tcg/tcg.h builder, run through
 * both backends on random inputs for every op and type, with operands as
 * globals, temps, constants and aliased temps, with and without liveness;
 * plus block-level cases (register pressure, helper calls, loops, soft-TLB
 * hits and misses, tlb-inline=off, precise-exception offsets, exit_check,
 * chaining) and golden host-code dumps (tests/jit/golden, compared through
 * jit_disas; UPDATE_GOLDEN=1 rewrites them). Needs no frontend, no softmmu:
 * the TLB slow paths are stubbed here and count their calls.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "backend/backend.h"
#include "backend/x86_64/jit-internal.h"
#include "softmmu/tlb.h"
#include "tcg/cpu.h"
#include "tcg/tcg.h"

#define NG 8
#define RAM_BASE 0x10000ull
#define RAM_PAGES 4          /* pages 0-1 in the TLB (inline hits), 2-3 miss */

typedef struct TestCPU {
    CPUState cpu;
    uint64_t g64[NG];
    uint32_t g32[NG];
    uint64_t scratch[16];
    CPUTLBEntry tlb[NB_MMU_MODES][CPU_TLB_SIZE * CPU_TLB_WAYS];
    uint8_t *ram;
    unsigned ld_misses, st_misses;
    uintptr_t last_retaddr;
    uintptr_t helper_retaddr;
} TestCPU;

typedef struct T {
    TCGContext s;
    CodeBuffer cb;
    TCGv g64[NG], g32[NG];
    uint64_t rng;
    int fails, cases;
    uint32_t features;
} T;

static uint64_t rnd(T *t)
{
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 7;
    t->rng ^= t->rng << 17;
    return t->rng;
}

static uint64_t rnd_val(T *t)
{
    static const uint64_t special[] = {
        0, 1, 2, 0x7f, 0x80, 0xff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
        0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, ~1ull, 31, 32, 63, 64,
    };
    switch (rnd(t) % 4) {
    case 0: return special[rnd(t) % (sizeof(special) / sizeof(special[0]))];
    case 1: return rnd(t) % 80;
    default: return rnd(t);
    }
}

/* ---- stubs for the layers this test does without ---- */
static uint64_t ram_read(TestCPU *c, uint64_t addr, int size)
{
    uint64_t v = 0;
    if (addr >= RAM_BASE && addr + size <= RAM_BASE + RAM_PAGES * TARGET_PAGE_SIZE)
        memcpy(&v, c->ram + (addr - RAM_BASE), (size_t)size);
    return v;
}
static void ram_write(TestCPU *c, uint64_t addr, uint64_t v, int size)
{
    if (addr >= RAM_BASE && addr + size <= RAM_BASE + RAM_PAGES * TARGET_PAGE_SIZE)
        memcpy(c->ram + (addr - RAM_BASE), &v, (size_t)size);
}
uint64_t helper_ld_mmu(CPUState *cpu, uint64_t addr, uint32_t memop_idx, uintptr_t retaddr)
{
    TestCPU *c = (TestCPU *)cpu;
    c->ld_misses++;
    c->last_retaddr = retaddr;
    return ram_read(c, addr, 1 << (memop_idx & MO_SIZE));
}
void helper_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, uint32_t memop_idx, uintptr_t retaddr)
{
    TestCPU *c = (TestCPU *)cpu;
    c->st_misses++;
    c->last_retaddr = retaddr;
    ram_write(c, addr, val, 1 << (memop_idx & MO_SIZE));
}
uint64_t cpu_ld_mmu(CPUState *cpu, uint64_t addr, MemOp mop, int mmu_idx, uintptr_t retaddr)
{
    return ram_read((TestCPU *)cpu, addr, 1 << (mop & MO_SIZE));
}
void cpu_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, MemOp mop, int mmu_idx, uintptr_t retaddr)
{
    ram_write((TestCPU *)cpu, addr, val, 1 << (mop & MO_SIZE));
}
static unsigned lookup_helper_calls;
void *helper_lookup_tb_ptr(CPUState *cpu)
{
    lookup_helper_calls++;
    return (void *)jit_exit_path();
}

static TestCPU *cpu_new(void)
{
    TestCPU *c = calloc(1, sizeof(*c));
    c->ram = calloc(RAM_PAGES, TARGET_PAGE_SIZE);
    memset(c->tlb, 0xff, sizeof(c->tlb));
    for (int m = 0; m < NB_MMU_MODES; m++)
        c->cpu.tlb_table[m] = c->tlb[m];
    for (int p = 0; p < 2; p++) {
        uint64_t va = RAM_BASE + (uint64_t)p * TARGET_PAGE_SIZE;
        /* page 1 sits in way 1: its accesses must hit on the out-of-line
         * second compare, without a call */
        CPUTLBEntry *e = &c->tlb[0][((va >> TARGET_PAGE_BITS) & (CPU_TLB_SIZE - 1)) + (p ? CPU_TLB_SIZE : 0)];
        e->addr_read = e->addr_write = e->addr_code = va;
        e->addend = (uintptr_t)c->ram - RAM_BASE;
    }
    c->cpu.tlb_inline = true;
    return c;
}

static void cpu_copy_state(TestCPU *d, const TestCPU *s)
{
    memcpy(d->g64, s->g64, sizeof(d->g64));
    memcpy(d->g32, s->g32, sizeof(d->g32));
    memcpy(d->scratch, s->scratch, sizeof(d->scratch));
    memcpy(d->ram, s->ram, RAM_PAGES * TARGET_PAGE_SIZE);
    d->cpu.exit_request = s->cpu.exit_request;
}

static bool cpu_same(const TestCPU *a, const TestCPU *b, char *why, size_t n)
{
    for (int i = 0; i < NG; i++) {
        if (a->g64[i] != b->g64[i]) {
            snprintf(why, n, "g64[%d] jit %#llx interp %#llx", i, (unsigned long long)a->g64[i],
                     (unsigned long long)b->g64[i]);
            return false;
        }
        if (a->g32[i] != b->g32[i]) {
            snprintf(why, n, "g32[%d] jit %#x interp %#x", i, a->g32[i], b->g32[i]);
            return false;
        }
    }
    for (int i = 0; i < 16; i++)
        if (a->scratch[i] != b->scratch[i]) {
            snprintf(why, n, "scratch[%d] jit %#llx interp %#llx", i, (unsigned long long)a->scratch[i],
                     (unsigned long long)b->scratch[i]);
            return false;
        }
    if (memcmp(a->ram, b->ram, RAM_PAGES * TARGET_PAGE_SIZE)) {
        snprintf(why, n, "guest RAM differs");
        return false;
    }
    return true;
}

static void report(T *t, bool ok, const char *name, const char *why)
{
    t->cases++;
    if (ok) {
        printf("ok - %s\n", name);
    } else {
        t->fails++;
        printf("not ok - %s: %s\n", name, why);
    }
}

/* Compile the current IR for both backends. */
typedef struct Compiled {
    TranslationBlock jtb, itb;
} Compiled;

static bool compile_both(T *t, TestCPU *c, Compiled *cc, bool live)
{
    memset(cc, 0, sizeof(*cc));
    if (live)
        tcg_liveness(&t->s);
    if (interp_prepare(&t->s, &cc->itb) < 0)
        return false;
    if (t->cb.used > t->cb.size - (1u << 20))
        codebuf_reset(&t->cb);
    return jit_gen_code_features(&t->cb, &t->s, &cc->jtb, &c->cpu, t->features) == 0;
}

static void compiled_free(Compiled *cc)
{
    interp_free(&cc->itb);
    free(cc->jtb.insn_end_off);
    free(cc->jtb.insn_data);
}

/* Run on state `in` through both; compare. */
static bool run_compare(T *t, Compiled *cc, const TestCPU *in, TestCPU *cj, TestCPU *ci, char *why, size_t n)
{
    cpu_copy_state(cj, in);
    cpu_copy_state(ci, in);
    uintptr_t rj = jit_exec(&cj->cpu, cc->jtb.host_code);
    uintptr_t ri = interp_exec(&ci->cpu, &cc->itb);
    if ((rj & ~(uintptr_t)TB_EXIT_MASK) == (uintptr_t)&cc->jtb)
        rj = (rj & TB_EXIT_MASK) | (uintptr_t)&cc->itb;
    if (rj != ri) {
        snprintf(why, n, "exit value jit %#lx interp %#lx", (unsigned long)rj, (unsigned long)ri);
        return false;
    }
    return cpu_same(cj, ci, why, n);
}

static void random_state(T *t, TestCPU *c)
{
    for (int i = 0; i < NG; i++) {
        c->g64[i] = rnd_val(t);
        c->g32[i] = (uint32_t)rnd_val(t);
    }
    for (int i = 0; i < 16; i++)
        c->scratch[i] = rnd(t);
}

/* ---- per-op random tests ---- */
enum { V_GLOBALS, V_TEMPS, V_CONST_LAST, V_CONST_FIRST, V_INPLACE, V_ALIAS, V_COUNT };
static const char *const vnames[] = { "globals", "temps", "const-last", "const-first", "in-place", "alias" };

static TCGType in_type(int opc, TCGType ty)
{
    switch (opc) {
    case INDEX_op_ext_i32_i64: case INDEX_op_extu_i32_i64: return TCG_TYPE_I32;
    case INDEX_op_extrl_i64_i32: case INDEX_op_extrh_i64_i32: return TCG_TYPE_I64;
    default: return ty;
    }
}

static bool op_type_ok(int opc, TCGType ty)
{
    switch (opc) {
    case INDEX_op_ext32s: case INDEX_op_ext32u: case INDEX_op_bswap64: case INDEX_op_ld32s:
    case INDEX_op_ext_i32_i64: case INDEX_op_extu_i32_i64:
        return ty == TCG_TYPE_I64;
    case INDEX_op_extrl_i64_i32: case INDEX_op_extrh_i64_i32:
        return ty == TCG_TYPE_I32;
    default:
        return true;
    }
}

static TCGv glob(T *t, TCGType ty, int i) { return ty == TCG_TYPE_I64 ? t->g64[i] : t->g32[i]; }

static void gen_cargs(T *t, int opc, TCGType ty, uint64_t *c)
{
    unsigned w = ty == TCG_TYPE_I64 ? 64 : 32;
    switch (opc) {
    case INDEX_op_deposit: case INDEX_op_extract: case INDEX_op_sextract: {
        unsigned len = 1 + (unsigned)(rnd(t) % w);
        if (rnd(t) % 3 == 0)
            len = (unsigned[]){ 8, 16, 32, w }[rnd(t) % 4];
        if (len > w)
            len = w;
        unsigned pos = (unsigned)(rnd(t) % (w - len + 1));
        if (rnd(t) % 3 == 0)
            pos = 0;
        c[0] = pos;
        c[1] = len;
        break;
    }
    case INDEX_op_setcond: case INDEX_op_negsetcond: case INDEX_op_movcond:
        c[0] = rnd(t) % 14;
        break;
    default: /* env loads/stores: an offset into scratch */
        c[0] = offsetof(TestCPU, scratch) + (rnd(t) % 7) * 8 + (rnd(t) % 2) * 4;
        break;
    }
}

static void test_op(T *t, int opc, TCGType ty, int variant, TestCPU *cj, TestCPU *ci)
{
    const TCGOpDef *def = &tcg_op_defs[opc];
    int no = def->nb_oargs, ni = def->nb_iargs;
    TCGType ity = in_type(opc, ty);
    char name[128], why[256] = "";
    snprintf(name, sizeof(name), "%s_%s %s", def->name, ty == TCG_TYPE_I64 ? "i64" : "i32", vnames[variant]);
    if ((variant == V_CONST_FIRST || variant == V_ALIAS) && ni < 2)
        return;
    if ((variant == V_CONST_LAST || variant == V_TEMPS || variant == V_INPLACE) && ni < 1)
        return;
    if (variant == V_INPLACE && ity != ty)
        return;
    bool with_const = variant == V_CONST_LAST || variant == V_CONST_FIRST;
    int builds = with_const ? 24 : 4;
    bool ok = true;
    for (int b = 0; b < builds && ok; b++) {
        TCGContext *s = &t->s;
        tcg_func_start(s);
        TCGv ins[4], outs[2], dst[2];
        for (int i = 0; i < ni; i++) {
            TCGv g = glob(t, ity, variant == V_ALIAS ? 0 : i);
            if ((variant == V_CONST_LAST && i == ni - 1) || (variant == V_CONST_FIRST && i == 0)) {
                ins[i] = tcg_constant(s, ity, rnd_val(t));
            } else if (variant == V_TEMPS) {
                ins[i] = tcg_temp_new(s, ity);
                tcg_gen_mov(s, ins[i], g);
            } else {
                ins[i] = g;
            }
        }
        for (int o = 0; o < no; o++) {
            dst[o] = glob(t, ty, 4 + o);
            if (variant == V_TEMPS)
                outs[o] = tcg_temp_new(s, ty);
            else if (variant == V_INPLACE && o == 0 && ni > 0)
                outs[o] = dst[o] = ins[0];
            else
                outs[o] = dst[o];
        }
        uint64_t args[TCG_MAX_OP_ARGS];
        int n = 0;
        for (int o = 0; o < no; o++)
            args[n++] = outs[o];
        for (int i = 0; i < ni; i++)
            args[n++] = ins[i];
        uint64_t c[2] = { 0, 0 };
        if (def->nb_cargs)
            gen_cargs(t, opc, ty, c);
        for (int k = 0; k < def->nb_cargs; k++)
            args[n++] = c[k];
        tcg_emit_op(s, (TCGOpcode)opc, ty, n, args);
        if (variant == V_TEMPS)
            for (int o = 0; o < no; o++)
                tcg_gen_mov(s, dst[o], outs[o]);
        tcg_gen_exit_tb(s, 0);

        Compiled cc;
        if (!compile_both(t, cj, &cc, b & 1)) {
            snprintf(why, sizeof(why), "compile failed");
            ok = false;
            break;
        }
        TestCPU *in = cpu_new();
        for (int r = 0; r < (with_const ? 8 : 128) && ok; r++) {
            random_state(t, in);
            ok = run_compare(t, &cc, in, cj, ci, why, sizeof(why));
            if (!ok) {
                size_t l = strlen(why);
                snprintf(why + l, sizeof(why) - l, " (live=%d inputs", b & 1);
                for (int i = 0; i < ni; i++) {
                    l = strlen(why);
                    TCGTemp *ts = &s->temps[ins[i]];
                    uint64_t v = ts->kind == TEMP_CONST ? ts->val
                               : ity == TCG_TYPE_I64 ? in->g64[variant == V_ALIAS ? 0 : i]
                                                     : in->g32[variant == V_ALIAS ? 0 : i];
                    snprintf(why + l, sizeof(why) - l, " %#llx", (unsigned long long)v);
                }
                l = strlen(why);
                snprintf(why + l, sizeof(why) - l, " cargs %llu %llu)", (unsigned long long)c[0],
                         (unsigned long long)c[1]);
            }
        }
        free(in->ram);
        free(in);
        compiled_free(&cc);
    }
    report(t, ok, name, why);
}

/* brcond under every condition: which way it went lands in g64[4] */
static void test_brcond(T *t, TCGType ty, int variant, TestCPU *cj, TestCPU *ci)
{
    char name[96], why[256] = "";
    snprintf(name, sizeof(name), "brcond_%s %s", ty == TCG_TYPE_I64 ? "i64" : "i32", vnames[variant]);
    bool ok = true;
    for (int b = 0; b < 56 && ok; b++) {
        TCGContext *s = &t->s;
        tcg_func_start(s);
        TCGv in[2];
        for (int i = 0; i < 2; i++) {
            TCGv g = glob(t, ty, variant == V_ALIAS ? 0 : i);
            if ((variant == V_CONST_LAST && i == 1) || (variant == V_CONST_FIRST && i == 0)) {
                in[i] = tcg_constant(s, ty, rnd_val(t));
            } else if (variant == V_TEMPS) {
                in[i] = tcg_temp_new(s, ty);
                tcg_gen_mov(s, in[i], g);
            } else {
                in[i] = g;
            }
        }
        int taken = tcg_new_label(s), end = tcg_new_label(s);
        TCGCond c = (TCGCond)(b % 14);
        tcg_gen_addi(s, t->g64[5], t->g64[5], 1);      /* a dirty global across the branch */
        tcg_gen_brcond(s, c, in[0], in[1], taken);
        tcg_gen_movi(s, t->g64[4], 1);
        tcg_gen_br(s, end);
        tcg_gen_set_label(s, taken);
        tcg_gen_movi(s, t->g64[4], 2);
        tcg_gen_set_label(s, end);
        tcg_gen_exit_tb(s, 0);
        Compiled cc;
        ok = compile_both(t, cj, &cc, b & 1);
        TestCPU *st = cpu_new();
        for (int r = 0; r < 16 && ok; r++) {
            random_state(t, st);
            if (r & 1)
                st->g64[1] = st->g64[0], st->g32[1] = st->g32[0];
            ok = run_compare(t, &cc, st, cj, ci, why, sizeof(why));
            if (!ok) {
                size_t l = strlen(why);
                snprintf(why + l, sizeof(why) - l, " (cond %d)", (int)c);
            }
        }
        free(st->ram);
        free(st);
        compiled_free(&cc);
    }
    report(t, ok, name, why);
}

static void test_all_ops(T *t, const char *suffix)
{
    TestCPU *cj = cpu_new(), *ci = cpu_new();
    int fails0 = t->fails, cases0 = t->cases;
    for (int opc = INDEX_op_mov; opc <= INDEX_op_st; opc++) {
        for (int ty = 0; ty < 2; ty++) {
            if (!op_type_ok(opc, (TCGType)ty))
                continue;
            for (int v = 0; v < V_COUNT; v++)
                test_op(t, opc, (TCGType)ty, v, cj, ci);
        }
    }
    for (int ty = 0; ty < 2; ty++)
        for (int v = 0; v < V_COUNT; v++)
            if (v != V_INPLACE)
                test_brcond(t, (TCGType)ty, v, cj, ci);
    printf("# %s: %d op cases, %d failed\n", suffix, t->cases - cases0, t->fails - fails0);
    free(cj->ram); free(ci->ram); free(cj); free(ci);
}

/* ---- block-level tests ---- */
static uint64_t helper_mix6(uint64_t a, uint32_t b, uint64_t c, uint32_t d, uint64_t e, uint32_t f)
{
    return a * 3 + b * 5 + (c ^ 0x1234) + ((uint64_t)d << 7) - e + f * 11;
}
static TCGHelperInfo info_mix6 = {
    .func = (void *)helper_mix6, .name = "mix6", .flags = TCG_CALL_NO_RWG_SE, .nb_args = 6,
    .ret_type = TCG_CALL_I64,
    .arg_types = { TCG_CALL_I64, TCG_CALL_I32, TCG_CALL_I64, TCG_CALL_I32, TCG_CALL_I64, TCG_CALL_I32 },
};
/* reads and writes globals through env: the allocator must sync/reload */
static uint32_t helper_touch(CPUState *cpu, uint32_t x)
{
    TestCPU *c = (TestCPU *)cpu;
    c->helper_retaddr = GETPC();
    c->g64[3] = c->g64[2] + x;
    c->g32[3] = c->g32[2] ^ x;
    return x * 7 + 1;
}
static TCGHelperInfo info_touch = {
    .func = (void *)helper_touch, .name = "touch", .flags = 0, .nb_args = 2,
    .ret_type = TCG_CALL_I32, .arg_types = { TCG_CALL_PTR, TCG_CALL_I32 },
};

static void build_pressure(T *t)
{
    TCGContext *s = &t->s;
    tcg_func_start(s);
    tcg_gen_insn_start(s, 0x1000, 0);
    TCGv v[24];
    for (int i = 0; i < 24; i++) {
        v[i] = tcg_temp_new(s, TCG_TYPE_I64);
        tcg_gen_muli(s, v[i], t->g64[i % 4], (uint64_t)(i * 2 + 1));
        tcg_gen_addi(s, t->g64[i % 3], t->g64[i % 3], (uint64_t)i);
    }
    TCGv x = tcg_temp_new(s, TCG_TYPE_I32);
    tcg_gen_extrl_i64_i32(s, x, v[5]);
    TCGv r = tcg_temp_new(s, TCG_TYPE_I32);
    TCGv args[2] = { TCG_ENV, x };
    tcg_gen_insn_start(s, 0x1004, 0);
    tcg_gen_call(s, &info_touch, r, 2, args);
    TCGv m = tcg_temp_new(s, TCG_TYPE_I64);
    TCGv a6[6] = { v[0], x, v[2], r, v[4], t->g32[1] };
    tcg_gen_call(s, &info_mix6, m, 6, a6);
    for (int i = 1; i < 24; i++)
        tcg_gen_xor(s, v[0], v[0], v[i]);
    tcg_gen_add(s, t->g64[5], v[0], m);
    tcg_gen_add(s, t->g64[6], t->g64[3], v[7]);
    tcg_gen_mov(s, t->g32[4], r);
    tcg_gen_xor(s, t->g32[5], t->g32[3], x);
    tcg_gen_exit_tb(s, 0);
}

/* sum of n 32-bit words from g64[0] (stride g64[1] & 0xfc), through the
 * soft TLB; also stores the running sum back to memory */
static void build_loop(T *t, bool addr32)
{
    TCGContext *s = &t->s;
    tcg_func_start(s);
    int top = tcg_new_label(s), out = tcg_new_label(s);
    TCGv sum = tcg_temp_new(s, TCG_TYPE_I64), i = tcg_temp_new(s, TCG_TYPE_I64);
    TCGv addr = tcg_temp_new(s, TCG_TYPE_I64), stride = tcg_temp_new(s, TCG_TYPE_I64);
    TCGv w = tcg_temp_new(s, TCG_TYPE_I64);
    tcg_gen_insn_start(s, 0x2000, 0);
    tcg_gen_movi(s, sum, 0);
    tcg_gen_movi(s, i, 0);
    tcg_gen_mov(s, addr, t->g64[0]);
    tcg_gen_andi(s, stride, t->g64[1], 0xf8);
    tcg_gen_set_label(s, top);
    tcg_gen_brcondi(s, TCG_COND_GEU, i, 40, out);
    tcg_gen_insn_start(s, 0x2004, 0);
    if (addr32) {
        TCGv a32 = tcg_temp_new(s, TCG_TYPE_I32);
        tcg_gen_extrl_i64_i32(s, a32, addr);
        tcg_gen_qemu_ld(s, w, a32, MO_SL, 0);
        tcg_gen_add(s, sum, sum, w);
        tcg_gen_qemu_st(s, sum, a32, MO_UW, 0);
    } else {
        tcg_gen_qemu_ld(s, w, addr, MO_UL, 0);
        tcg_gen_add(s, sum, sum, w);
        tcg_gen_qemu_st(s, sum, addr, MO_UQ, 0);
        tcg_gen_qemu_ld(s, t->g64[7], addr, MO_SB, 0);
    }
    tcg_gen_add(s, addr, addr, stride);
    tcg_gen_addi(s, i, i, 1);
    tcg_gen_br(s, top);
    tcg_gen_set_label(s, out);
    tcg_gen_mov(s, t->g64[2], sum);
    tcg_gen_exit_tb(s, 0);
}

static void test_blocks(T *t)
{
    TestCPU *cj = cpu_new(), *ci = cpu_new(), *in = cpu_new();
    char why[256] = "";
    Compiled cc;
    bool ok;

    /* register pressure + calls that read/write globals */
    for (int live = 0; live < 2; live++) {
        build_pressure(t);
        ok = compile_both(t, cj, &cc, live);
        for (int r = 0; r < 200 && ok; r++) {
            random_state(t, in);
            ok = run_compare(t, &cc, in, cj, ci, why, sizeof(why));
        }
        report(t, ok, live ? "block pressure+calls live" : "block pressure+calls", why);
        compiled_free(&cc);
    }

    /* loop over guest memory: inline TLB hits, misses, tlb-inline=off */
    for (int variant = 0; variant < 4; variant++) {
        bool addr32 = variant & 1, noinline = variant & 2;
        cj->cpu.tlb_inline = !noinline;
        build_loop(t, addr32);
        ok = compile_both(t, cj, &cc, true);
        unsigned hits_ok = 1;
        for (int r = 0; r < 50 && ok; r++) {
            random_state(t, in);
            in->g64[0] = (RAM_BASE + rnd(t) % (RAM_PAGES * TARGET_PAGE_SIZE - 40 * 256 - 8)) & ~7ull;
            for (int k = 0; k < RAM_PAGES * (int)TARGET_PAGE_SIZE; k++)
                in->ram[k] = (uint8_t)rnd(t);
            cj->ld_misses = 0;
            ok = run_compare(t, &cc, in, cj, ci, why, sizeof(why));
            /* all in mapped pages and inline: no miss expected */
            uint64_t last = in->g64[0] + 40 * (in->g64[1] & 0xf8) + 8;
            if (ok && !noinline && last < RAM_BASE + 2 * TARGET_PAGE_SIZE && cj->ld_misses)
                hits_ok = 0;
            if (ok && noinline && cj->ld_misses == 0)
                hits_ok = 0;
        }
        if (ok && !hits_ok) {
            ok = false;
            snprintf(why, sizeof(why), noinline ? "tlb-inline=off did not call the slow path"
                                                : "mapped page took the slow path");
        }
        char name[64];
        snprintf(name, sizeof(name), "block qemu ld/st loop addr%s%s", addr32 ? "32" : "64",
                 noinline ? " tlb-inline=off" : "");
        report(t, ok, name, why);
        compiled_free(&cc);
    }
    cj->cpu.tlb_inline = true;

    /* precise exceptions: a slow path's retaddr and a helper's GETPC map to
     * their guest instruction the way cpu_restore_state searches */
    {
        TCGContext *s = &t->s;
        tcg_func_start(s);
        TCGv a = tcg_temp_new(s, TCG_TYPE_I64), r = tcg_temp_new(s, TCG_TYPE_I32);
        tcg_gen_insn_start(s, 0x100, 10);
        tcg_gen_addi(s, t->g64[1], t->g64[1], 1);
        tcg_gen_insn_start(s, 0x101, 11);
        tcg_gen_movi(s, a, RAM_BASE + 3 * TARGET_PAGE_SIZE);  /* not in the TLB */
        tcg_gen_qemu_ld(s, t->g64[2], a, MO_UQ, 0);
        tcg_gen_insn_start(s, 0x102, 12);
        TCGv args[2] = { TCG_ENV, t->g32[0] };
        tcg_gen_call(s, &info_touch, r, 2, args);
        tcg_gen_insn_start(s, 0x103, 13);
        tcg_gen_mov(s, t->g32[6], r);
        tcg_gen_exit_tb(s, 0);
        ok = compile_both(t, cj, &cc, true);
        int idx_ld = -1, idx_call = -1;
        if (ok) {
            cj->ld_misses = 0;
            jit_exec(&cj->cpu, cc.jtb.host_code);
            uintptr_t pcs[2] = { cj->last_retaddr, cj->helper_retaddr };
            int *res[2] = { &idx_ld, &idx_call };
            for (int k = 0; k < 2; k++) {
                uintptr_t off = pcs[k] - 1 - (uintptr_t)cc.jtb.host_code;
                uint32_t i = 0;
                while (i < cc.jtb.nb_insns && cc.jtb.insn_end_off[i] <= off)
                    i++;
                *res[k] = i < cc.jtb.nb_insns ? (int)i : -1;
            }
            ok = cj->ld_misses == 1 && idx_ld == 1 && idx_call == 2 && cc.jtb.nb_insns == 4 &&
                 cc.jtb.insn_data[2][0] == 0x102 && cc.jtb.insn_data[2][1] == 12;
            snprintf(why, sizeof(why), "misses %u, ld maps to insn %d (want 1), call to %d (want 2)",
                     cj->ld_misses, idx_ld, idx_call);
        }
        report(t, ok, "precise insn offsets", why);
        compiled_free(&cc);
    }

    /* exit_check, goto_tb chaining and patching, goto_ptr */
    {
        TCGContext *s = &t->s;
        Compiled a, b;
        tcg_func_start(s);
        tcg_gen_exit_check(s);
        tcg_gen_addi(s, t->g64[0], t->g64[0], 1);
        tcg_gen_goto_tb(s, 0);
        tcg_gen_movi(s, t->g64[1], 0x1111);
        tcg_gen_exit_tb(s, 0);  /* patched below to the TB's own address | 0 via value check */
        ok = compile_both(t, cj, &a, false);
        tcg_func_start(s);
        tcg_gen_addi(s, t->g64[0], t->g64[0], 100);
        tcg_gen_lookup_and_goto_ptr(s);
        ok = ok && compile_both(t, cj, &b, false);
        const char *err = "";
        if (ok) {
            uintptr_t field = (uintptr_t)a.jtb.host_code + a.jtb.jmp_insn_offset[0];
            cj->g64[0] = 5;
            cj->cpu.exit_request = 1;
            uintptr_t r = jit_exec(&cj->cpu, a.jtb.host_code);
            if (field % 4)
                err = "goto_tb rel32 not 4-byte aligned";
            else if (r != ((uintptr_t)&a.jtb | TB_EXIT_REQUESTED) || cj->g64[0] != 5)
                err = "exit_check did not leave with TB_EXIT_REQUESTED";
            cj->cpu.exit_request = 0;
            if (!*err && (jit_exec(&cj->cpu, a.jtb.host_code) != 0 || cj->g64[0] != 6 || cj->g64[1] != 0x1111))
                err = "unchained goto_tb did not fall through";
            jit_patch_jump(&t->cb, &a.jtb, 0, b.jtb.host_code);
            cj->g64[1] = 0;
            if (!*err && (jit_exec(&cj->cpu, a.jtb.host_code) != 0 || cj->g64[0] != 107 || cj->g64[1] != 0))
                err = "chained goto_tb did not reach the next block";
            jit_patch_jump(&t->cb, &a.jtb, 0, a.jtb.host_code + a.jtb.jmp_reset_offset[0]);
            if (!*err && (jit_exec(&cj->cpu, a.jtb.host_code) != 0 || cj->g64[0] != 108 || cj->g64[1] != 0x1111))
                err = "reset goto_tb did not fall through";
            ok = !*err;
        }
        report(t, ok, "exit_check, goto_tb patching, goto_ptr", err);
        compiled_free(&a);
        compiled_free(&b);
    }
    free(cj->ram); free(ci->ram); free(in->ram);
    free(cj); free(ci); free(in);
}

/* ---- lookup_goto_ptr: the inline jump-cache probe ----
 * A block ending in lookup_goto_ptr against a jump cache holding a fake TB
 * whose host code is a second block: a full key match must enter that
 * block without the helper; any difference (pc, flags, cs_base, cflags),
 * an empty slot, chaining off or -d exec must call helper_lookup_tb_ptr
 * (stubbed: it counts and returns the exit path, 0). */
typedef struct LookupCase {
    const char *name;
    TCGType type;
    bool pc_const;          /* pc input as a constant, else a global */
    uint64_t pc, cs_base;   /* key in the op (and the CPU) */
    uint32_t flags;
    int64_t tb_pc_delta;    /* the cached TB's key differs by... */
    uint32_t tb_flags_xor, tb_cflags;
    uint64_t tb_cs_base_xor;
    bool empty, chain_off, log_exec, single_insn;
    bool hit;               /* expect the target block, else the helper */
} LookupCase;

static void test_lookup_goto_ptr(T *t)
{
    static const LookupCase cases[] = {
        { "hit, I32 pc", TCG_TYPE_I32, false, 0x100652, 0, 0x1c, 0, 0, 0, 0, false, false, false, false, true },
        { "hit, constant pc", TCG_TYPE_I32, true, 0xfffff00f, 0, 0x1c, 0, 0, 0, 0, false, false, false, false, true },
        { "hit, I64 pc above 4G", TCG_TYPE_I64, false, 0x123456789abcull, 0, 3, 0, 0, 0, 0, false, false, false, false, true },
        { "hit, cs_base no imm32", TCG_TYPE_I32, false, 0xffff0010, 0xffff0000, 0x10, 0, 0, 0, 0, false, false, false, false, true },
        { "hit, flags no imm8", TCG_TYPE_I32, false, 0x7c00, 0x7000, 0x30017, 0, 0, 0, 0, false, false, false, false, true },
        { "hit, single-insn CPU", TCG_TYPE_I32, false, 0x2000, 0, 0x1c, 0, 0, CF_SINGLE_INSN, 0, false, false, false, true, true },
        { "empty slot", TCG_TYPE_I32, false, 0x100652, 0, 0x1c, 0, 0, 0, 0, true, false, false, false, false },
        { "other pc, same slot", TCG_TYPE_I32, false, 0x100652, 0, 0x1c, 0x1000 ^ 1, 0, 0, 0, false, false, false, false, false },
        { "pc differs above 4G", TCG_TYPE_I64, false, 0x100652, 0, 0x1c, 1ll << 32, 0, 0, 0, false, false, false, false, false },
        { "other flags", TCG_TYPE_I32, false, 0x100652, 0, 0x1c, 0, 0x80, 0, 0, false, false, false, false, false },
        { "other cflags", TCG_TYPE_I32, false, 0x100652, 0, 0x1c, 0, 0, CF_NO_CHAIN, 0, false, false, false, false, false },
        { "single-insn TB, normal CPU", TCG_TYPE_I32, false, 0x100652, 0, 0x1c, 0, 0, CF_SINGLE_INSN, 0, false, false, false, false, false },
        { "other cs_base", TCG_TYPE_I32, false, 0x100652, 0, 0x1c, 0, 0, 0, 0x10, false, false, false, false, false },
        { "other cs_base no imm32", TCG_TYPE_I32, false, 0xffff0010, 0xffff0000, 0x10, 0, 0, 0, 1ull << 40, false, false, false, false, false },
        { "chain off", TCG_TYPE_I32, false, 0x100652, 0, 0x1c, 0, 0, 0, 0, false, true, false, false, false },
        { "-d exec", TCG_TYPE_I32, false, 0x100652, 0, 0x1c, 0, 0, 0, 0, false, false, true, false, false },
    };
    TCGContext *s = &t->s;
    TestCPU *c = cpu_new();
    TranslationBlock **jc = calloc(TB_JMP_CACHE_SIZE, sizeof(*jc));
    c->cpu.tb_jmp_cache = jc;
    c->cpu.tb_jmp_cache_ptr = (uintptr_t)jc;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const LookupCase *lc = &cases[k];
        char name[128], why[256] = "";
        snprintf(name, sizeof(name), "lookup_goto_ptr: %s", lc->name);
        Compiled target, from;
        /* the block the cache points at */
        tcg_func_start(s);
        tcg_gen_movi(s, t->g64[2], 0x77);
        tcg_gen_exit_tb(s, 0x40);
        bool ok = compile_both(t, c, &target, true);
        /* the block under test: a dirty global must reach env before it leaves */
        c->cpu.chain_enabled = !lc->chain_off;
        c->cpu.single_insn = lc->single_insn;
        c->cpu.log_mask = lc->log_exec ? LOG_EXEC : 0;
        tcg_func_start(s);
        tcg_gen_addi(s, t->g64[1], t->g64[1], 5);
        TCGv pc = lc->pc_const ? tcg_constant(s, lc->type, lc->pc) : glob(t, lc->type, 3);
        tcg_gen_lookup_goto_ptr(s, pc, lc->flags, lc->cs_base);
        ok = ok && compile_both(t, c, &from, true);
        c->cpu.chain_enabled = false;
        c->cpu.log_mask = 0;
        if (ok) {
            TranslationBlock fake = {
                .pc = (uint64_t)((int64_t)lc->pc + lc->tb_pc_delta),
                .cs_base = lc->cs_base ^ lc->tb_cs_base_xor,
                .flags = lc->flags ^ lc->tb_flags_xor,
                .cflags = lc->tb_cflags,
                .host_code = target.jtb.host_code,
            };
            memset(jc, 0, TB_JMP_CACHE_SIZE * sizeof(*jc));
            if (!lc->empty)
                jc[tb_jmp_cache_hash(lc->pc)] = &fake;
            c->g64[1] = 10;
            c->g64[2] = 0;
            c->g64[3] = 0xdead00000000ull | lc->pc;   /* an I32 global reads the low half */
            c->g32[3] = (uint32_t)lc->pc;
            if (lc->type == TCG_TYPE_I64)
                c->g64[3] = lc->pc;
            lookup_helper_calls = 0;
            uintptr_t r = jit_exec(&c->cpu, from.jtb.host_code);
            if (c->g64[1] != 15)
                snprintf(why, sizeof(why), "global not written back before the jump");
            else if (lc->hit && (r != 0x40 || c->g64[2] != 0x77 || lookup_helper_calls))
                snprintf(why, sizeof(why), "no hit: exit %#lx, target ran %d, helper calls %u",
                         (unsigned long)r, c->g64[2] == 0x77, lookup_helper_calls);
            else if (!lc->hit && (r != 0 || c->g64[2] != 0 || lookup_helper_calls != 1))
                snprintf(why, sizeof(why), "no miss: exit %#lx, target ran %d, helper calls %u",
                         (unsigned long)r, c->g64[2] == 0x77, lookup_helper_calls);
            ok = !*why;
        }
        c->cpu.single_insn = false;
        report(t, ok, name, why);
        compiled_free(&target);
        compiled_free(&from);
    }
    free(jc);
    free(c->ram);
    free(c);
}

/* ---- random programs: many ops, temps and globals competing for registers,
 * forward branches, helper calls and guest memory in one block ---- */
#define FZ_TEMPS 6
static TCGv fz_pick(T *t, TCGv *tmp, TCGType ty, bool allow_const)
{
    int k = (int)(rnd(t) % 16);
    if (allow_const && k < 3)
        return tcg_constant(&t->s, ty, rnd_val(t));
    if (k < 9)
        return tmp[(ty == TCG_TYPE_I64 ? 0 : FZ_TEMPS) + (int)(rnd(t) % FZ_TEMPS)];
    return glob(t, ty, (int)(rnd(t) % NG));
}

static void build_fuzz(T *t, int nops)
{
    TCGContext *s = &t->s;
    tcg_func_start(s);
    TCGv tmp[2 * FZ_TEMPS];
    for (int i = 0; i < 2 * FZ_TEMPS; i++) {
        TCGType ty = i < FZ_TEMPS ? TCG_TYPE_I64 : TCG_TYPE_I32;
        tmp[i] = tcg_temp_new(s, ty);
        tcg_gen_mov(s, tmp[i], glob(t, ty, i % NG));
    }
    int pending[8], npending = 0;
    for (int n = 0; n < nops; n++) {
        if (n % 5 == 0)
            tcg_gen_insn_start(s, 0x4000 + (uint64_t)n, 0);
        int kind = (int)(rnd(t) % 100);
        TCGType ty = (TCGType)(rnd(t) & 1);
        if (kind < 6 && npending < 8) {
            int l = tcg_new_label(s);
            pending[npending++] = l;
            tcg_gen_brcond(s, (TCGCond)(rnd(t) % 14), fz_pick(t, tmp, ty, false), fz_pick(t, tmp, ty, true), l);
            continue;
        }
        if (kind < 12 && npending) {
            int i = (int)(rnd(t) % (unsigned)npending);
            tcg_gen_set_label(s, pending[i]);
            pending[i] = pending[--npending];
            continue;
        }
        if (kind < 16) {
            TCGv a6[6];
            for (int i = 0; i < 6; i++)
                a6[i] = fz_pick(t, tmp, (i & 1) ? TCG_TYPE_I32 : TCG_TYPE_I64, true);
            tcg_gen_call(s, &info_mix6, fz_pick(t, tmp, TCG_TYPE_I64, false), 6, a6);
            continue;
        }
        if (kind < 19) {
            TCGv args[2] = { TCG_ENV, fz_pick(t, tmp, TCG_TYPE_I32, true) };
            tcg_gen_call(s, &info_touch, fz_pick(t, tmp, TCG_TYPE_I32, false), 2, args);
            continue;
        }
        if (kind < 27) {
            /* an address in the 4 RAM pages: 2 mapped inline, 2 missing */
            TCGv a = tcg_temp_new(s, ty);
            tcg_gen_andi(s, a, fz_pick(t, tmp, ty, false), 0x3ff0);
            tcg_gen_addi(s, a, a, RAM_BASE);
            MemOp mop = (MemOp)(rnd(t) % 4);
            TCGType vty = (TCGType)(rnd(t) & 1);
            if (vty == TCG_TYPE_I32 && mop == MO_64)
                mop = MO_32;
            if (rnd(t) & 1) {
                if (mop != MO_64 && (rnd(t) & 1))
                    mop |= MO_SIGN;
                tcg_gen_qemu_ld(s, fz_pick(t, tmp, vty, false), a, mop, 0);
            } else {
                tcg_gen_qemu_st(s, fz_pick(t, tmp, vty, true), a, mop, 0);
            }
            tcg_temp_free(s, a);
            continue;
        }
        int opc = INDEX_op_mov + (int)(rnd(t) % (unsigned)(INDEX_op_st - INDEX_op_mov + 1));
        if (!op_type_ok(opc, ty))
            ty = (TCGType)(ty ^ 1);
        if (!op_type_ok(opc, ty))
            continue;
        const TCGOpDef *def = &tcg_op_defs[opc];
        uint64_t args[TCG_MAX_OP_ARGS];
        int na = 0;
        TCGv o0 = 0;
        for (int o = 0; o < def->nb_oargs; o++) {
            TCGv d;
            do
                d = fz_pick(t, tmp, ty, false);
            while (o == 1 && d == o0);
            o0 = d;
            args[na++] = d;
        }
        for (int i = 0; i < def->nb_iargs; i++)
            args[na++] = fz_pick(t, tmp, in_type(opc, ty), true);
        uint64_t c[2] = { 0, 0 };
        if (def->nb_cargs)
            gen_cargs(t, opc, ty, c);
        for (int k = 0; k < def->nb_cargs; k++)
            args[na++] = c[k];
        tcg_emit_op(s, (TCGOpcode)opc, ty, na, args);
    }
    while (npending)
        tcg_gen_set_label(s, pending[--npending]);
    for (int i = 0; i < 2 * FZ_TEMPS; i++)
        tcg_gen_st(s, tmp[i], (int32_t)(offsetof(TestCPU, scratch) + 8 * (size_t)(i + 2)));
    tcg_gen_exit_tb(s, 0);
}

static void test_fuzz(T *t)
{
    TestCPU *cj = cpu_new(), *ci = cpu_new(), *in = cpu_new();
    char why[256] = "";
    bool ok = true;
    int prog;
    for (prog = 0; prog < 400 && ok; prog++) {
        build_fuzz(t, 20 + (int)(rnd(t) % 100));
        if (prog % 4 == 3)
            tcg_optimize(&t->s);   /* the optimiser's output forms, too */
        Compiled cc;
        ok = compile_both(t, cj, &cc, prog & 1);
        for (int r = 0; r < 8 && ok; r++) {
            random_state(t, in);
            for (int k = 0; k < RAM_PAGES * (int)TARGET_PAGE_SIZE; k += 8) {
                uint64_t v = rnd(t);
                memcpy(in->ram + k, &v, 8);
            }
            ok = run_compare(t, &cc, in, cj, ci, why, sizeof(why));
        }
        if (!ok && getenv("JIT_TEST_VERBOSE")) {
            tcg_dump_ops(&t->s, stderr);
            jit_disas(stderr, cc.jtb.host_code, cc.jtb.host_size);
        }
        compiled_free(&cc);
    }
    if (!ok) {
        size_t l = strlen(why);
        snprintf(why + l, sizeof(why) - l, " (program %d; JIT_TEST_VERBOSE=1 dumps it)", prog - 1);
    }
    report(t, ok, "random programs (400 blocks)", why);
    free(cj->ram); free(ci->ram); free(in->ram);
    free(cj); free(ci); free(in);
}

/* ---- golden dumps ---- */
static void golden_snippet(T *t, int which)
{
    TCGContext *s = &t->s;
    tcg_func_start(s);
    switch (which) {
    case 0: {   /* arithmetic on cached globals */
        TCGv x = tcg_temp_new(s, TCG_TYPE_I32);
        tcg_gen_insn_start(s, 0x1000, 0);
        tcg_gen_add(s, x, t->g32[0], t->g32[1]);
        tcg_gen_subi(s, t->g32[0], x, 5);
        tcg_gen_shli(s, t->g32[1], t->g32[1], 3);
        tcg_gen_setcondi(s, TCG_COND_LTU, t->g32[2], x, 100);
        tcg_gen_exit_tb(s, 0);
        break;
    }
    case 1: {   /* a counted loop with a label and a brcond */
        int top = tcg_new_label(s);
        TCGv i = tcg_temp_new(s, TCG_TYPE_I64);
        tcg_gen_insn_start(s, 0x2000, 0);
        tcg_gen_movi(s, i, 10);
        tcg_gen_set_label(s, top);
        tcg_gen_add(s, t->g64[0], t->g64[0], i);
        tcg_gen_subi(s, i, i, 1);
        tcg_gen_brcondi(s, TCG_COND_NE, i, 0, top);
        tcg_gen_exit_tb(s, 0);
        break;
    }
    default: {  /* guest load and store through the inline TLB */
        TCGv v = tcg_temp_new(s, TCG_TYPE_I32);
        tcg_gen_insn_start(s, 0x3000, 0);
        tcg_gen_exit_check(s);
        tcg_gen_qemu_ld(s, v, t->g32[0], MO_UL, 0);
        tcg_gen_insn_start(s, 0x3004, 0);
        tcg_gen_addi(s, v, v, 1);
        tcg_gen_qemu_st(s, v, t->g32[1], MO_UL | MO_ALIGN, 0);
        tcg_gen_goto_tb(s, 0);
        tcg_gen_exit_tb(s, 0);
        break;
    }
    case 3: {   /* return: pop the target, store it, probe the jump cache inline */
        TCGv v = tcg_temp_new(s, TCG_TYPE_I32), a = tcg_temp_new(s, TCG_TYPE_I32);
        TCGv e = tcg_temp_new(s, TCG_TYPE_I64);
        tcg_gen_insn_start(s, 0x4000, 0);
        tcg_gen_qemu_ld(s, v, t->g32[4], MO_UL, 0);
        tcg_gen_addi(s, a, t->g32[4], 4);
        tcg_gen_mov(s, t->g32[4], a);
        tcg_gen_extu_i32_i64(s, e, v);
        tcg_gen_st(s, e, (int32_t)offsetof(TestCPU, scratch));
        tcg_gen_lookup_goto_ptr(s, v, 0x1c, 0);
        break;
    }
    }
}

/* replace long hex numbers (host addresses) so dumps are position-free */
static void normalize(char *buf)
{
    char *o = buf;
    for (char *p = buf; *p;) {
        if (p[0] == '0' && p[1] == 'x') {
            char *q = p + 2;
            while ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f'))
                q++;
            if (q - p - 2 > 8) {
                memcpy(o, "ADDR", 4);
                o += 4;
                p = q;
                continue;
            }
        }
        *o++ = *p++;
    }
    *o = 0;
}

/* A block with a forward branch that does not fit in what is left of the
 * buffer: the JIT answers -1 (the TB layer flushes and translates again)
 * instead of aborting on the label the emitter never reached. */
static void test_buffer_full(T *t)
{
    TestCPU *c = cpu_new();
    TranslationBlock tb = { 0 };
    build_loop(t, false);
    tcg_liveness(&t->s);
    codebuf_reset(&t->cb);
    bool fits = jit_gen_code_features(&t->cb, &t->s, &tb, &c->cpu, 0) == 0;
    uint32_t need = tb.host_size;
    build_loop(t, false);
    tcg_liveness(&t->s);
    codebuf_reset(&t->cb);
    /* room for half the block, and at least the backend's 256-byte minimum */
    size_t room = need / 2 > 256 ? need / 2 : 256;
    t->cb.used = (t->cb.size - room) & ~(size_t)15;
    TranslationBlock tb2 = { 0 };
    int r = need > 300 ? jit_gen_code_features(&t->cb, &t->s, &tb2, &c->cpu, 0) : -2;
    codebuf_reset(&t->cb);
    char why[120];
    snprintf(why, sizeof(why), "fits %d, block %u bytes, result %d", fits, need, r);
    report(t, fits && r == -1 && !tb2.host_code,
           "JIT: a block overflowing the buffer past a forward branch returns -1", why);
    free(tb.insn_end_off);
    free(tb.insn_data);
    free(c->ram);
    free(c);
}

static void test_golden(T *t, const char *dir)
{
    static const char *const names[] = { "arith", "loop", "qemu_ldst", "lookup_goto_ptr" };
    bool update = getenv("UPDATE_GOLDEN") && *getenv("UPDATE_GOLDEN") == '1';
    TestCPU *c = cpu_new();
    for (int k = 0; k < 4; k++) {
        char name[64], path[400], why[600] = "";
        snprintf(name, sizeof(name), "golden %s", names[k]);
        snprintf(path, sizeof(path), "%s/%s.txt", dir, names[k]);
        golden_snippet(t, k);
        tcg_liveness(&t->s);
        /* fresh buffer: the epilogue sits at a fixed distance before the block */
        codebuf_reset(&t->cb);
        TranslationBlock tb = { 0 };
        /* LZCNT/BMI1/POPCNT never appear in these snippets */
        c->cpu.chain_enabled = k == 3;    /* lookup_goto_ptr probes inline only with chaining */
        bool ok = jit_gen_code_features(&t->cb, &t->s, &tb, &c->cpu, 0) == 0;
        char *dump = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&dump, &len);
        fprintf(f, "# %s (host code, offsets from the block start; long hex = host address)\n", names[k]);
        jit_disas_at(f, tb.host_code, tb.host_size, 0);
        fclose(f);
        normalize(dump);
        if (update) {
            FILE *g = fopen(path, "w");
            ok = ok && g && fputs(dump, g) >= 0;
            if (g)
                fclose(g);
            snprintf(why, sizeof(why), "cannot write %s", path);
        } else if (ok) {
            FILE *g = fopen(path, "r");
            char *want = calloc(1, 1 << 16);
            size_t n = g ? fread(want, 1, (1 << 16) - 1, g) : 0;
            if (g)
                fclose(g);
            ok = g && n == strlen(dump) && !memcmp(want, dump, n);
            if (!ok) {
                snprintf(why, sizeof(why), "%s differs (UPDATE_GOLDEN=1 to accept); got:", path);
                fputs(dump, stderr);
            }
            free(want);
        }
        report(t, ok, name, why);
        free(dump);
        free(tb.insn_end_off);
        free(tb.insn_data);
    }
    free(c->ram);
    free(c);
}

int main(int argc, char **argv)
{
    const char *golden = argc > 1 ? argv[1] : "tests/jit/golden";
    setvbuf(stdout, NULL, _IOLBF, 0);
    alarm(300);                    /* a miscompiled loop must not hang the suite */
    T *t = calloc(1, sizeof(*t));
    t->rng = 0x9e3779b97f4a7c15ull;
    tcg_context_init(&t->s);
    char *names = calloc(NG * 2, 8);
    for (int i = 0; i < NG; i++) {
        snprintf(names + 16 * i, 8, "q%d", i);
        snprintf(names + 16 * i + 8, 8, "d%d", i);
        t->g64[i] = tcg_global_mem_new(&t->s, TCG_TYPE_I64, (int32_t)offsetof(TestCPU, g64[i]), names + 16 * i);
        t->g32[i] = tcg_global_mem_new(&t->s, TCG_TYPE_I32, (int32_t)offsetof(TestCPU, g32[i]), names + 16 * i + 8);
    }
    if (codebuf_init(&t->cb, 0) < 0) {
        printf("not ok - codebuf_init\n");
        return 1;
    }
    report(t, t->cb.rw != t->cb.rx, "code buffer is W^X (two views)", "single RWX mapping");
    jit_init(&t->cb);

    uint32_t host = jit_host_features();
    t->features = host;
    test_all_ops(t, "host features");
    t->features = 0;               /* bsr/bsf/SWAR fallbacks */
    test_all_ops(t, "no lzcnt/tzcnt/popcnt");
    t->features = host;
    test_blocks(t);
    test_lookup_goto_ptr(t);
    test_fuzz(t);
    test_buffer_full(t);
    test_golden(t, golden);
    printf("# %d cases, %d failed\n", t->cases, t->fails);
    int rc = t->fails ? 1 : 0;
    free(t->s.op_pool);
    free(t->s.labels);
    free(names);
    free(t);
    return rc;
}
