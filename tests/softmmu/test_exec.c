/*
 * The exec loop, TB cache and translator loop end to end, with a toy guest
 * ISA small enough to write by hand (byte-coded, four 64-bit registers) and
 * an identity page walker. Every program runs under the JIT with chaining,
 * the JIT without chaining and the interpreter; all three must agree with
 * the expected final state, which the test computes in C. Covers: chaining
 * (fewer loop entries), self-modifying code through the TLB NOTDIRTY path,
 * DMA into code, precise faults in mid-block (state restored from the host
 * return address), blocks ending before a page-crossing instruction, halt,
 * interrupts, exit requests and tb_flush.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/backend.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"
#include "tcg/tb-internal.h"

static int failures;
static void check(bool ok, const char *name, const char *fmt, ...)
{
    if (ok) {
        printf("ok - %s\n", name);
        return;
    }
    failures++;
    printf("not ok - %s: ", name);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

/* ---- the toy guest ----
 * 01 r imm32     movi r, imm
 * 02 r a         add r, r, a
 * 10 r addr32    ld32 r, [addr]
 * 11 r addr32    st32 [addr], r
 * 12 r a         st8 [ra], r
 * 20 addr32      jmp addr
 * 21 r addr32    dec r; jnz addr
 * 22 r           jmp r (indirect)
 * 30             hlt
 * 31             shutdown (EXCP_SHUTDOWN)
 * 32             sti: takes pending interrupts at the next block
 * ff             undefined: raises vector 6
 * Vectors go to VEC_HANDLER with the vector in r3 and the pc in r2. */
#define VEC_HANDLER 0x8000
#define UNMAPPED_FROM 0x100000

typedef struct ToyCPU {
    CPUState cs;
    uint64_t pc;
    uint64_t r[4];
    bool ie;
    int last_vector;
    uint64_t last_fault_pc;
} ToyCPU;

static void toy_raise(ToyCPU *t, int vec, uintptr_t ra)
{
    t->cs.exception_index = vec;
    cpu_loop_exit_restore(&t->cs, ra);
}

static void helper_toy_undef(CPUState *cs)
{
    toy_raise((ToyCPU *)cs, 6, GETPC());
}

static void helper_toy_hlt(CPUState *cs, uint32_t next)
{
    ToyCPU *t = (ToyCPU *)cs;
    t->pc = next;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

static void helper_toy_shutdown(CPUState *cs)
{
    cs->exception_index = EXCP_SHUTDOWN;
    cpu_loop_exit(cs);
}

static TCGHelperInfo toy_info_undef = {
    .func = (void *)helper_toy_undef, .name = "toy_undef", .nb_args = 1,
    .ret_type = TCG_CALL_VOID, .arg_types = { TCG_CALL_PTR } };
static TCGHelperInfo toy_info_hlt = {
    .func = (void *)helper_toy_hlt, .name = "toy_hlt", .nb_args = 2,
    .ret_type = TCG_CALL_VOID, .arg_types = { TCG_CALL_PTR, TCG_CALL_I32 } };
static TCGHelperInfo toy_info_shutdown = {
    .func = (void *)helper_toy_shutdown, .name = "toy_shutdown", .nb_args = 1,
    .ret_type = TCG_CALL_VOID, .arg_types = { TCG_CALL_PTR } };

typedef struct ToyDisas {
    DisasContextBase base;
    TCGv pc, r[4];
} ToyDisas;

/* Globals are created once per CPU; all toy CPUs share one layout. */
static void toy_tcg_init(CPUState *cs, TCGContext *s)
{
    tcg_global_mem_new(s, TCG_TYPE_I64, offsetof(ToyCPU, pc), "pc");
    static const char *const names[4] = { "r0", "r1", "r2", "r3" };
    for (int i = 0; i < 4; i++)
        tcg_global_mem_new(s, TCG_TYPE_I64, (int32_t)(offsetof(ToyCPU, r) + 8 * i), names[i]);
}

static void toy_init_dc(DisasContextBase *db, CPUState *cs)
{
    ToyDisas *dc = (ToyDisas *)db;
    dc->pc = 1;
    for (int i = 0; i < 4; i++)
        dc->r[i] = 2 + i;
    db->code_mmu_idx = 0;
}

static void toy_tb_start(DisasContextBase *db, CPUState *cs) { }

static void toy_insn_start(DisasContextBase *db, CPUState *cs)
{
    tcg_gen_insn_start(db->s, db->pc_next, 0);
}

static void toy_goto(ToyDisas *dc, int slot, uint64_t dest)
{
    TCGContext *s = dc->base.s;
    if (translator_use_goto_tb(&dc->base, dest)) {
        tcg_gen_goto_tb(s, slot);
        tcg_gen_movi(s, dc->pc, dest);
        tcg_gen_exit_tb(s, (uintptr_t)dc->base.tb | (uintptr_t)slot);
    } else {
        tcg_gen_movi(s, dc->pc, dest);
        tcg_gen_lookup_and_goto_ptr(s);
    }
}

static void toy_translate(DisasContextBase *db, CPUState *cs)
{
    ToyDisas *dc = (ToyDisas *)db;
    TCGContext *s = db->s;
    uint64_t pc = db->pc_next;
    uint8_t opc = translator_ldub(db, pc);
    unsigned r, a;
    uint32_t imm;
    switch (opc) {
    case 0x01:
        r = translator_ldub(db, pc + 1) & 3;
        imm = translator_ldl(db, pc + 2);
        tcg_gen_movi(s, dc->r[r], imm);
        db->pc_next = pc + 6;
        break;
    case 0x02:
        r = translator_ldub(db, pc + 1) & 3;
        a = translator_ldub(db, pc + 2) & 3;
        tcg_gen_add(s, dc->r[r], dc->r[r], dc->r[a]);
        db->pc_next = pc + 3;
        break;
    case 0x10: {
        r = translator_ldub(db, pc + 1) & 3;
        imm = translator_ldl(db, pc + 2);
        TCGv v = tcg_temp_new(s, TCG_TYPE_I64);
        tcg_gen_qemu_ld(s, v, tcg_constant(s, TCG_TYPE_I64, imm), MO_UL, 0);
        tcg_gen_mov(s, dc->r[r], v);
        db->pc_next = pc + 6;
        break;
    }
    case 0x11:
        r = translator_ldub(db, pc + 1) & 3;
        imm = translator_ldl(db, pc + 2);
        tcg_gen_qemu_st(s, dc->r[r], tcg_constant(s, TCG_TYPE_I64, imm), MO_UL, 0);
        db->pc_next = pc + 6;
        break;
    case 0x12:
        r = translator_ldub(db, pc + 1) & 3;
        a = translator_ldub(db, pc + 2) & 3;
        tcg_gen_qemu_st(s, dc->r[r], dc->r[a], MO_UB, 0);
        db->pc_next = pc + 3;
        break;
    case 0x20:
        imm = translator_ldl(db, pc + 1);
        toy_goto(dc, 0, imm);
        db->is_jmp = DISAS_NORETURN;
        break;
    case 0x21: {
        r = translator_ldub(db, pc + 1) & 3;
        imm = translator_ldl(db, pc + 2);
        int l = tcg_new_label(s);
        tcg_gen_subi(s, dc->r[r], dc->r[r], 1);
        tcg_gen_brcondi(s, TCG_COND_EQ, dc->r[r], 0, l);
        toy_goto(dc, 0, imm);
        tcg_gen_set_label(s, l);
        toy_goto(dc, 1, pc + 6);
        db->is_jmp = DISAS_NORETURN;
        break;
    }
    case 0x22:
        r = translator_ldub(db, pc + 1) & 3;
        tcg_gen_mov(s, dc->pc, dc->r[r]);
        tcg_gen_lookup_and_goto_ptr(s);
        db->is_jmp = DISAS_NORETURN;
        break;
    case 0x30: {
        TCGv args[2] = { TCG_ENV, tcg_constant(s, TCG_TYPE_I32, (uint32_t)(pc + 1)) };
        tcg_gen_movi(s, dc->pc, pc);
        tcg_gen_call(s, &toy_info_hlt, TCGV_NONE, 2, args);
        tcg_gen_exit_tb(s, 0);
        db->is_jmp = DISAS_NORETURN;
        break;
    }
    case 0x31: {
        TCGv args[1] = { TCG_ENV };
        tcg_gen_movi(s, dc->pc, pc);
        tcg_gen_call(s, &toy_info_shutdown, TCGV_NONE, 1, args);
        tcg_gen_exit_tb(s, 0);
        db->is_jmp = DISAS_NORETURN;
        break;
    }
    case 0x32:
        tcg_gen_movi(s, dc->pc, pc + 1);
        {
            TCGv one = tcg_temp_new(s, TCG_TYPE_I32);
            tcg_gen_movi(s, one, 1);
            tcg_gen_st8(s, one, offsetof(ToyCPU, ie));
        }
        tcg_gen_exit_tb(s, 0);
        db->pc_next = pc + 1;
        db->is_jmp = DISAS_NORETURN;
        break;
    default: {
        /* pc comes from the host return address: precise-state test */
        TCGv args[1] = { TCG_ENV };
        tcg_gen_call(s, &toy_info_undef, TCGV_NONE, 1, args);
        tcg_gen_exit_tb(s, 0);
        db->pc_next = pc + 1;
        db->is_jmp = DISAS_NORETURN;
        break;
    }
    }
}

static void toy_tb_stop(DisasContextBase *db, CPUState *cs)
{
    if (db->is_jmp == DISAS_TOO_MANY)
        toy_goto((ToyDisas *)db, 0, db->pc_next);
}

static const TranslatorOps toy_translator = {
    .init_disas_context = toy_init_dc, .tb_start = toy_tb_start, .insn_start = toy_insn_start,
    .translate_insn = toy_translate, .tb_stop = toy_tb_stop, .dc_size = sizeof(ToyDisas),
};

static void toy_get_tb_cpu_state(CPUState *cs, uint64_t *pc, uint64_t *cs_base, uint32_t *flags)
{
    *pc = ((ToyCPU *)cs)->pc;
    *cs_base = 0;
    *flags = 0;
}

static void toy_do_interrupt(CPUState *cs)
{
    ToyCPU *t = (ToyCPU *)cs;
    t->last_vector = cs->exception_index;
    t->last_fault_pc = t->pc;
    t->r[2] = t->pc;
    t->r[3] = (uint64_t)cs->exception_index;
    t->pc = VEC_HANDLER;
}

static bool toy_exec_interrupt(CPUState *cs, uint32_t req)
{
    ToyCPU *t = (ToyCPU *)cs;
    if (!(req & CPU_INTERRUPT_HARD) || !t->ie)
        return false;
    cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
    t->ie = false;
    cs->exception_index = 0x20;
    toy_do_interrupt(cs);
    cs->exception_index = EXCP_NONE;
    return true;
}

static bool toy_has_work(CPUState *cs)
{
    return (cs->interrupt_request & CPU_INTERRUPT_HARD) && ((ToyCPU *)cs)->ie;
}

static bool toy_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access, int mmu_idx, bool probe,
                         uintptr_t retaddr)
{
    if (vaddr >= UNMAPPED_FROM) {
        if (probe)
            return false;
        toy_raise((ToyCPU *)cs, 14, retaddr);
    }
    tlb_set_page(cs, vaddr, vaddr, PAGE_READ | PAGE_WRITE | PAGE_EXEC, mmu_idx);
    return true;
}

static void toy_restore(CPUState *cs, const TranslationBlock *tb, const uint64_t *data)
{
    ((ToyCPU *)cs)->pc = data[0];
}

static uint64_t toy_get_pc(CPUState *cs) { return ((ToyCPU *)cs)->pc; }

static const CPUArchOps toy_ops = {
    .name = "toy", .get_tb_cpu_state = toy_get_tb_cpu_state, .translator = &toy_translator,
    .do_interrupt = toy_do_interrupt, .exec_interrupt = toy_exec_interrupt, .has_work = toy_has_work,
    .tlb_fill = toy_tlb_fill, .restore_state_to_opc = toy_restore, .get_pc = toy_get_pc,
    .tcg_init = toy_tcg_init,
};

/* ---- program assembly ---- */
typedef struct Asm { uint8_t *mem; uint64_t at; } Asm;
static void a8(Asm *a, uint8_t b) { a->mem[a->at++] = b; }
static void a32(Asm *a, uint32_t v) { for (int i = 0; i < 4; i++) a8(a, (uint8_t)(v >> (8 * i))); }
static void movi(Asm *a, int r, uint32_t v) { a8(a, 0x01); a8(a, (uint8_t)r); a32(a, v); }
static void add(Asm *a, int r, int s) { a8(a, 0x02); a8(a, (uint8_t)r); a8(a, (uint8_t)s); }
static void ld32(Asm *a, int r, uint32_t ad) { a8(a, 0x10); a8(a, (uint8_t)r); a32(a, ad); }
static void st32(Asm *a, int r, uint32_t ad) { a8(a, 0x11); a8(a, (uint8_t)r); a32(a, ad); }
static void st8r(Asm *a, int r, int ra) { a8(a, 0x12); a8(a, (uint8_t)r); a8(a, (uint8_t)ra); }
static void jmp(Asm *a, uint32_t ad) { a8(a, 0x20); a32(a, ad); }
static void djnz(Asm *a, int r, uint32_t ad) { a8(a, 0x21); a8(a, (uint8_t)r); a32(a, ad); }
static void jr(Asm *a, int r) { a8(a, 0x22); a8(a, (uint8_t)r); }
static void hlt(Asm *a) { a8(a, 0x30); }

typedef struct Mode { const char *name; bool interp, chain; } Mode;
static const Mode modes[] = { { "jit", false, true }, { "jit-nochain", false, false }, { "interp", true, true } };

typedef struct Env { AddressSpace *as; MemoryRegion *ram; ToyCPU *t; CPUState *cpu; char *log; size_t loglen; } Env;

static void env_new(Env *e, const Mode *m)
{
    e->as = address_space_new("mem");
    e->ram = memory_region_add_ram(e->as, "ram", 0, UNMAPPED_FROM);
    e->t = calloc(1, sizeof(ToyCPU));
    e->cpu = &e->t->cs;
    cpu_common_init(e->cpu, &toy_ops, e->as);
    e->cpu->use_interp = m->interp;
    e->cpu->chain_enabled = m->chain;
    e->cpu->logfile = open_memstream(&e->log, &e->loglen);
    e->cpu->log_mask = LOG_EXEC;
}

static int env_count_traces(Env *e)
{
    fflush(e->cpu->logfile);
    int n = 0;
    for (char *p = e->log; p && (p = strstr(p, "Trace")); p++)
        n++;
    return n;
}

static void env_free(Env *e)
{
    fclose(e->cpu->logfile);
    free(e->log);
    cpu_common_free(e->cpu);
    free(e->t);
    address_space_free(e->as);
}

static char name_buf[128];
static const char *nm(const Mode *m, const char *what)
{
    snprintf(name_buf, sizeof(name_buf), "exec/%s: %s", m->name, what);
    return name_buf;
}

static void test_loop(const Mode *m)
{
    Env e;
    env_new(&e, m);
    Asm a = { e.ram->host, 0x1000 };
    movi(&a, 0, 0);
    movi(&a, 1, 1000);
    movi(&a, 2, 3);
    uint64_t loop = a.at;
    add(&a, 0, 2);
    djnz(&a, 1, (uint32_t)loop);
    st32(&a, 0, 0x3000);
    hlt(&a);
    e.t->pc = 0x1000;
    int r = cpu_exec(e.cpu);
    uint32_t mem;
    memcpy(&mem, e.ram->host + 0x3000, 4);
    check(r == EXCP_HALTED && e.t->r[0] == 3000 && mem == 3000 && e.cpu->halted && e.t->pc == a.at,
          nm(m, "counted loop, store, halt"), "ret=0x%x r0=%llu mem=%u pc=0x%llx", r,
          (unsigned long long)e.t->r[0], mem, (unsigned long long)e.t->pc);
    int traces = env_count_traces(&e);
    if (m->chain)
        check(traces < 50, nm(m, "chained loop rarely returns to the loop"), "%d loop entries", traces);
    else
        check(traces > 1000, nm(m, "unchained loop returns every block"), "%d loop entries", traces);
    r = cpu_exec(e.cpu);
    check(r == EXCP_HALTED, nm(m, "halted CPU without work stays halted"), "ret=0x%x", r);
    env_free(&e);
}

/* Code writes into a later block of its own page, then runs it. */
static void test_smc(const Mode *m)
{
    Env e;
    env_new(&e, m);
    Asm a = { e.ram->host, 0x1000 };
    /* block B at 0x1100: movi r0, 1; hlt */
    Asm b = { e.ram->host, 0x1100 };
    movi(&b, 0, 1);
    hlt(&b);
    movi(&a, 1, 2);
    jmp(&a, 0x1040);
    a.at = 0x1040;
    uint64_t top = a.at;
    jmp(&a, 0x1100);                /* first pass: runs B (r0 = 1), halts */
    e.t->pc = 0x1000;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 1, nm(m, "smc: original code ran"), "r0=%llu", (unsigned long long)e.t->r[0]);
    /* second program at 0x1200 patches B's immediate (byte at 0x1102) then jumps to B */
    Asm c = { e.ram->host, 0x1200 };
    movi(&c, 1, 0x1102);
    movi(&c, 2, 7);
    st8r(&c, 2, 1);
    jmp(&c, (uint32_t)top);
    e.t->pc = 0x1200;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 7, nm(m, "smc: store into translated code takes effect"), "r0=%llu",
          (unsigned long long)e.t->r[0]);
    /* DMA (a device write) into code */
    uint8_t nine = 9;
    address_space_write(e.as, 0x1102, &nine, 1);
    e.t->pc = 0x1040;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 9, nm(m, "smc: DMA into translated code takes effect"), "r0=%llu",
          (unsigned long long)e.t->r[0]);
    /* self-modification inside the running block: the next block sees it */
    Asm d = { e.ram->host, 0x1300 };
    movi(&d, 1, 0x1320 + 2);
    movi(&d, 2, 5);
    st8r(&d, 2, 1);
    jmp(&d, 0x1320);
    Asm d2 = { e.ram->host, 0x1320 };
    movi(&d2, 0, 4);
    hlt(&d2);
    e.t->pc = 0x1320;             /* translate 0x1320 first */
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    e.t->pc = 0x1300;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 5, nm(m, "smc: block patched by its predecessor"), "r0=%llu",
          (unsigned long long)e.t->r[0]);
    /* the store patches the next instruction of its own block */
    Asm f = { e.ram->host, 0x1500 };
    movi(&f, 1, 0x1511);            /* imm of the movi at 0x150f */
    movi(&f, 2, 6);
    st8r(&f, 2, 1);
    movi(&f, 0, 4);                 /* 0x150f */
    hlt(&f);
    e.t->pc = 0x1500;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 6 && e.t->pc == 0x1516, nm(m, "smc: store into the rest of its own block"),
          "r0=%llu pc=0x%llx", (unsigned long long)e.t->r[0], (unsigned long long)e.t->pc);
    /* a store to the same page but not into the running block's code */
    Asm g = { e.ram->host, 0x1600 };
    movi(&g, 1, 0x1700);
    movi(&g, 2, 0x42);
    st8r(&g, 2, 1);
    movi(&g, 0, 8);
    hlt(&g);
    e.ram->host[0x1700] = 0x30;     /* code (hlt) on the page, translated first */
    e.t->pc = 0x1700;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    e.t->pc = 0x1600;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 8 && e.ram->host[0x1700] == 0x42, nm(m, "smc: store to another block of the page"),
          "r0=%llu", (unsigned long long)e.t->r[0]);
    env_free(&e);
}

/* A fault in mid-block: registers written by earlier instructions of the
 * block are in the CPU, pc is that of the faulting instruction. */
static void test_precise(const Mode *m)
{
    Env e;
    env_new(&e, m);
    Asm a = { e.ram->host, 0x1000 };
    movi(&a, 0, 11);
    movi(&a, 1, 22);
    add(&a, 0, 1);
    uint64_t fault_pc = a.at;
    ld32(&a, 2, UNMAPPED_FROM + 0x10);
    movi(&a, 0, 99);
    hlt(&a);
    Asm h = { e.ram->host, VEC_HANDLER };
    hlt(&h);
    e.t->pc = 0x1000;
    cpu_exec(e.cpu);
    check(e.t->last_vector == 14 && e.t->last_fault_pc == fault_pc && e.t->r[0] == 33,
          nm(m, "precise page fault in mid-block"), "vec=%d pc=0x%llx r0=%llu", e.t->last_vector,
          (unsigned long long)e.t->last_fault_pc, (unsigned long long)e.t->r[0]);
    a.at = 0x2000;
    movi(&a, 0, 1);
    movi(&a, 1, 2);
    uint64_t undef_pc = a.at;
    a8(&a, 0xff);
    e.t->pc = 0x2000;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->last_vector == 6 && e.t->last_fault_pc == undef_pc && e.t->r[1] == 2,
          nm(m, "helper exception restores pc from the return address"), "vec=%d pc=0x%llx",
          e.t->last_vector, (unsigned long long)e.t->last_fault_pc);
    /* fetch fault: jump to an unmapped address */
    a.at = 0x2100;
    movi(&a, 1, UNMAPPED_FROM + 0x40);
    jr(&a, 1);
    e.t->pc = 0x2100;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->last_vector == 14 && e.t->last_fault_pc == UNMAPPED_FROM + 0x40,
          nm(m, "instruction fetch fault at a block start"), "vec=%d pc=0x%llx", e.t->last_vector,
          (unsigned long long)e.t->last_fault_pc);
    env_free(&e);
}

/* An instruction straddling a page boundary: a block reaching it ends
 * before it; it then starts its own block (two pages). */
static void test_page_cross(const Mode *m)
{
    Env e;
    env_new(&e, m);
    Asm a = { e.ram->host, 0x1ff0 };
    movi(&a, 0, 1);                 /* 0x1ff0..0x1ff5 */
    movi(&a, 1, 2);                 /* 0x1ff6..0x1ffb */
    add(&a, 0, 1);                  /* 0x1ffc..0x1ffe */
    movi(&a, 2, 0x12345678);        /* 0x1fff..0x2004: crosses */
    add(&a, 0, 2);
    hlt(&a);
    e.t->pc = 0x1ff0;
    cpu_exec(e.cpu);
    TranslationBlock *tb1 = tb_lookup(e.cpu, 0x1ff0, 0, 0, tb_cpu_cflags(e.cpu));
    TranslationBlock *tb2 = tb_lookup(e.cpu, 0x1fff, 0, 0, tb_cpu_cflags(e.cpu));
    check(e.t->r[0] == 3 + 0x12345678, nm(m, "page-crossing instruction runs"), "r0=0x%llx",
          (unsigned long long)e.t->r[0]);
    check(tb1 && tb1->size == 0xf && tb1->icount == 3 && tb2 && tb2->phys_page2 == 0x2000,
          nm(m, "block ends before a later page-crossing instruction"), "tb1=%p size=%u tb2=%p page2=0x%llx",
          (void *)tb1, tb1 ? tb1->size : 0, (void *)tb2, tb2 ? (unsigned long long)tb2->phys_page2 : 0ull);
    /* writing the second page invalidates the straddling block */
    uint8_t v = 0x11;
    address_space_write(e.as, 0x2001, &v, 1);     /* low imm byte: 0x12345611 */
    e.t->pc = 0x1ff0;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 3 + 0x12345611, nm(m, "write to the second page invalidates"), "r0=0x%llx",
          (unsigned long long)e.t->r[0]);
    env_free(&e);
}

static void test_interrupts(const Mode *m)
{
    Env e;
    env_new(&e, m);
    Asm a = { e.ram->host, 0x1000 };
    a8(&a, 0x32);                   /* sti */
    uint64_t spin = a.at;
    jmp(&a, (uint32_t)spin);        /* spin forever */
    Asm h = { e.ram->host, VEC_HANDLER };
    movi(&h, 0, 0x77);
    a8(&h, 0x31);                   /* shutdown */
    e.t->pc = 0x1000;
    cpu_exit(e.cpu);
    int r = cpu_exec(e.cpu);
    check(r == EXCP_INTERRUPT && e.t->pc == 0x1000, nm(m, "cpu_exit before running returns EXCP_INTERRUPT"),
          "ret=0x%x", r);
    cpu_interrupt(e.cpu, CPU_INTERRUPT_HARD);  /* pending, masked until sti */
    r = cpu_exec(e.cpu);
    check(r == EXCP_SHUTDOWN && e.t->r[0] == 0x77 && e.t->last_vector == 0x20,
          nm(m, "interrupt taken after sti, handler shuts down"), "ret=0x%x r0=0x%llx", r,
          (unsigned long long)e.t->r[0]);
    /* halt, then an interrupt wakes the CPU */
    a.at = 0x1100;
    a8(&a, 0x32);
    hlt(&a);
    movi(&a, 0, 1);
    e.t->pc = 0x1100;
    e.t->ie = false;
    r = cpu_exec(e.cpu);
    check(r == EXCP_HALTED && e.cpu->halted, nm(m, "hlt returns EXCP_HALTED"), "ret=0x%x", r);
    cpu_exit(e.cpu);
    r = cpu_exec(e.cpu);
    int r2 = cpu_exec(e.cpu);
    check(r == EXCP_INTERRUPT && r2 == EXCP_HALTED && e.cpu->halted && e.t->r[0] != 1,
          nm(m, "exit request while halted leaves the CPU halted"), "ret=0x%x then 0x%x halted=%d", r, r2,
          e.cpu->halted);
    e.t->ie = true;
    cpu_interrupt(e.cpu, CPU_INTERRUPT_HARD);
    r = cpu_exec(e.cpu);
    check(r == EXCP_SHUTDOWN && !e.cpu->halted && e.t->r[2] == 0x1100 + 2,
          nm(m, "interrupt wakes a halted CPU"), "ret=0x%x r2=0x%llx", r, (unsigned long long)e.t->r[2]);
    env_free(&e);
}

static void test_flush(const Mode *m)
{
    Env e;
    env_new(&e, m);
    Asm a = { e.ram->host, 0x1000 };
    movi(&a, 0, 0);
    movi(&a, 1, 100);
    movi(&a, 2, 1);
    uint64_t loop = a.at;
    add(&a, 0, 2);
    djnz(&a, 1, (uint32_t)loop);
    hlt(&a);
    e.t->pc = 0x1000;
    cpu_exec(e.cpu);
    tb_flush(e.cpu);
    check(!memory_page_has_code(e.as, 0x1000), nm(m, "tb_flush clears code pages"), "page still marked");
    e.t->pc = 0x1000;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 100, nm(m, "runs again after tb_flush"), "r0=%llu", (unsigned long long)e.t->r[0]);
    /* indirect jumps through the lookup helper */
    a.at = 0x1400;
    movi(&a, 0, 0);
    movi(&a, 1, 50);
    movi(&a, 2, 1);
    movi(&a, 3, 0x1440);
    jr(&a, 3);
    a.at = 0x1440;
    add(&a, 0, 2);
    djnz(&a, 1, 0x1460);
    hlt(&a);
    a.at = 0x1460;
    jr(&a, 3);
    e.t->pc = 0x1400;
    e.cpu->halted = false;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 50, nm(m, "indirect jumps"), "r0=%llu", (unsigned long long)e.t->r[0]);
    /* a page flush drops the jump cache only if a block may start on the
     * page or on the one before (its page filter) */
    TranslationBlock **slot = &e.cpu->tb_jmp_cache[tb_jmp_cache_hash(0x1440)];
    bool cached = *slot != NULL;
    tlb_flush_page(e.cpu, 0x5000);
    bool kept = *slot != NULL;
    tlb_flush_page(e.cpu, 0x2000);
    check(cached && kept && *slot == NULL, nm(m, "page flush: jump cache kept for another page, cleared for the next"),
          "cached=%d kept=%d cleared=%d", cached, kept, *slot == NULL);
    env_free(&e);
}

/* Many distinct blocks in a tiny code buffer: tb_gen_code must flush and
 * retranslate when it fills up, and the results stay right. */
static void test_buffer_full(const Mode *m)
{
    Env e;
    env_new(&e, m);
    e.cpu->tb_ctx->code_size = 16384;
    e.cpu->log_mask = 0;
    Asm a = { e.ram->host, 0x1000 };
    movi(&a, 0, 0);
    movi(&a, 2, 1);
    movi(&a, 1, 3);
    uint64_t outer = a.at;
    for (int i = 0; i < 400; i++) {     /* 400 blocks, each add + jmp next */
        uint64_t next = a.at + 8;
        add(&a, 0, 2);
        jmp(&a, (uint32_t)next);
    }
    djnz(&a, 1, (uint32_t)outer);
    hlt(&a);
    e.t->pc = 0x1000;
    uint64_t flushes = e.cpu->tb_ctx->flush_count;
    cpu_exec(e.cpu);
    check(e.t->r[0] == 1200 && (m->interp || e.cpu->tb_ctx->flush_count > flushes),
          nm(m, "code buffer full: flush and retranslate"), "r0=%llu flushes=%llu",
          (unsigned long long)e.t->r[0], (unsigned long long)(e.cpu->tb_ctx->flush_count - flushes));
    env_free(&e);
}

static size_t jmp_cache_used(const CPUState *cpu)
{
    size_t n = 0;
    for (unsigned i = 0; i < TB_JMP_CACHE_SIZE; i++)
        n += cpu->tb_jmp_cache[i] != NULL;
    return n;
}

/* A TLB flush empties the jump cache both ways it can: by the list of
 * slots filled since the last clear (few blocks) and by zeroing it all
 * (more than TB_JMP_FILLED_MAX fills); the blocks then run again. */
static void test_jmp_cache_clear(const Mode *m)
{
    static const int nb_blocks[] = { 10, TB_JMP_FILLED_MAX + 200 };
    for (int c = 0; c < 2; c++) {
        Env e;
        env_new(&e, m);
        e.cpu->log_mask = 0;
        Asm a = { e.ram->host, 0x1000 };
        movi(&a, 0, 0);
        movi(&a, 2, 1);
        for (int i = 0; i < nb_blocks[c]; i++) {     /* add + jmp next */
            uint64_t next = a.at + 8;
            add(&a, 0, 2);
            jmp(&a, (uint32_t)next);
        }
        hlt(&a);
        e.t->pc = 0x1000;
        cpu_exec(e.cpu);
        size_t used = jmp_cache_used(e.cpu);
        tlb_flush(e.cpu);
        size_t left = jmp_cache_used(e.cpu);
        e.t->pc = 0x1000;
        e.cpu->halted = false;
        cpu_exec(e.cpu);
        size_t used2 = jmp_cache_used(e.cpu);
        tlb_flush(e.cpu);
        check(used >= (size_t)nb_blocks[c] && left == 0 && used2 > 0
              && jmp_cache_used(e.cpu) == 0 && e.t->r[0] == (uint64_t)nb_blocks[c],
              nm(m, c ? "TLB flush empties a jump cache filled past the slot list"
                      : "TLB flush empties the jump cache slots filled"),
              "used=%zu left=%zu used2=%zu r0=%llu", used, left, used2, (unsigned long long)e.t->r[0]);
        env_free(&e);
    }
}

int main(void)
{
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        test_loop(&modes[i]);
        test_smc(&modes[i]);
        test_precise(&modes[i]);
        test_page_cross(&modes[i]);
        test_interrupts(&modes[i]);
        test_flush(&modes[i]);
        test_buffer_full(&modes[i]);
        test_jmp_cache_clear(&modes[i]);
    }
    return failures ? 1 : 0;
}
