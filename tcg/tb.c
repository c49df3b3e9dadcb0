/*
 * The TB cache: allocation and translation of blocks (tb_gen_code), a hash
 * keyed on (pc, cs_base, flags, cflags, phys_pc), the per-CPU jump cache by
 * virtual pc, per-physical-page lists for invalidation, chaining with
 * incoming lists so an invalidated block is unchained, and tb_flush.
 * Everything lives in the CPU's TBContext (cpu->tb_ctx): no global state.
 * Must stay true: a TB reachable from the hash, a jump cache or a chained
 * jump is valid; an invalidated TB's struct and host code stay alive until
 * tb_flush, which only the exec loop calls (never from generated code).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "softmmu/memory.h"
#include "softmmu/tlb.h"
#include "tcg/tb-internal.h"

/* Private cflags bit: blocks for the interpreter and for the JIT never mix. */
#define CF_TB_INTERP (1u << 31)

/* ---- the TB arena ----
 * TB structs and their insn tables live in chunks rewound by tb_flush, the
 * one point where every TB dies at once. Under ASan rewound memory is
 * poisoned until handed out again, so a TB pointer kept across a flush
 * is caught. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define TB_ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define TB_ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define TB_ARENA_POISON(p, n) ((void)(p), (void)(n))
#define TB_ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif
#define TB_ARENA_CHUNK ((size_t)1 << 20)

/* n zeroed bytes, 16-aligned, alive until the next tb_flush */
static void *tb_arena_alloc(TBContext *ctx, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    TBArenaChunk *c = ctx->arena_cur;
    if (!c || ctx->arena_off + n > c->size) {
        /* the next chunk kept from before a flush, if big enough */
        TBArenaChunk *next = c ? c->next : ctx->arena_head;
        if (!next || next->size < n) {
            size_t sz = n > TB_ARENA_CHUNK ? n : TB_ARENA_CHUNK;
            /* mapped and faulted in at once: a fault per page costs more */
            TBArenaChunk *nc = mmap(NULL, sizeof(*nc) + sz, PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
            if (nc == MAP_FAILED) {
                fprintf(stderr, "kasou: out of memory for the TB cache\n");
                exit(1);
            }
            nc->size = sz;
            nc->next = next;
            if (c)
                c->next = nc;
            else
                ctx->arena_head = nc;
            TB_ARENA_POISON(nc->data, sz);
            next = nc;
        }
        ctx->arena_cur = c = next;
        ctx->arena_off = 0;
    }
    void *p = c->data + ctx->arena_off;
    ctx->arena_off += n;
    TB_ARENA_UNPOISON(p, n);
    memset(p, 0, n);
    return p;
}

/* Every arena allocation is dead: start filling from the first chunk. */
static void tb_arena_reset(TBContext *ctx)
{
    for (TBArenaChunk *c = ctx->arena_head; c; c = c->next)
        TB_ARENA_POISON(c->data, c->size);
    ctx->arena_cur = NULL;
    ctx->arena_off = 0;
}

TBContext *tb_context_new(void)
{
    return calloc(1, sizeof(TBContext));
}

uint32_t tb_cpu_cflags(const CPUState *cpu)
{
    uint32_t cf = 0;
    if (!cpu->chain_enabled)
        cf |= CF_NO_CHAIN;
    if (cpu->single_insn)
        cf |= CF_SINGLE_INSN;
    if (cpu->use_interp)
        cf |= CF_TB_INTERP;
    return cf;
}

static unsigned tb_hash(uint64_t pc, uint64_t cs_base, uint32_t flags, uint32_t cflags)
{
    uint64_t h = pc * 0x9e3779b97f4a7c15ull;
    h ^= cs_base * 0xc2b2ae3d27d4eb4full;
    h ^= (((uint64_t)flags << 32) | cflags) * 0x165667b19e3779f9ull;
    h ^= h >> 31;
    return (unsigned)(h >> (64 - TB_HASH_BITS));
}

static unsigned tb_page_hash(uint64_t page)
{
    return (unsigned)(((page >> TARGET_PAGE_BITS) * 0x9e3779b97f4a7c15ull) >> (64 - TB_PAGE_HASH_BITS));
}

/* What a TB owns outside the arena: the interpreter's copy of its IR. */
static void tb_free_one(TranslationBlock *tb)
{
    if (tb->interp_code)
        interp_free(tb);
}

void tb_jmp_cache_clear(CPUState *cpu)
{
    TBContext *ctx = cpu->tb_ctx;
    if (cpu->tb_jmp_cache) {
        if (ctx && ctx->nb_jmp_filled <= TB_JMP_FILLED_MAX)
            for (uint32_t i = 0; i < ctx->nb_jmp_filled; i++)
                cpu->tb_jmp_cache[ctx->jmp_filled[i]] = NULL;
        else
            memset(cpu->tb_jmp_cache, 0, sizeof(TranslationBlock *) * TB_JMP_CACHE_SIZE);
    }
    if (ctx) {
        memset(ctx->jmp_pages, 0, sizeof(ctx->jmp_pages));
        ctx->nb_jmp_filled = 0;
    }
}

static unsigned tb_jmp_page_bit(uint64_t vaddr)
{
    return (unsigned)(((vaddr >> TARGET_PAGE_BITS) * 0x9e3779b97f4a7c15ull) >> (64 - TB_JMP_PAGES_BITS));
}

static bool tb_jmp_page_test(const CPUState *cpu, uint64_t vaddr)
{
    unsigned b = tb_jmp_page_bit(vaddr);
    return !cpu->tb_ctx || ((cpu->tb_ctx->jmp_pages[b / 64] >> (b % 64)) & 1);
}

/* Put tb in the jump cache slot of its pc, noting its page. */
static void tb_jmp_cache_set(CPUState *cpu, unsigned slot, TranslationBlock *tb)
{
    TBContext *ctx = cpu->tb_ctx;
    unsigned b = tb_jmp_page_bit(tb->pc);
    ctx->jmp_pages[b / 64] |= 1ull << (b % 64);
    if (ctx->nb_jmp_filled < TB_JMP_FILLED_MAX)
        ctx->jmp_filled[ctx->nb_jmp_filled++] = slot;
    else
        ctx->nb_jmp_filled = TB_JMP_FILLED_MAX + 1;
    cpu->tb_jmp_cache[slot] = tb;
}

void tb_jmp_cache_clear_page(CPUState *cpu, uint64_t vaddr)
{
    if (tb_jmp_page_test(cpu, vaddr) || tb_jmp_page_test(cpu, vaddr - TARGET_PAGE_SIZE))
        tb_jmp_cache_clear(cpu);
}

/* ---- physical page lists ---- */

static TBPageDesc *tb_page_find(TBContext *ctx, uint64_t page, bool alloc)
{
    TBPageDesc **head = &ctx->pages[tb_page_hash(page)];
    for (TBPageDesc *pd = *head; pd; pd = pd->next)
        if (pd->page == page)
            return pd;
    if (!alloc)
        return NULL;
    TBPageDesc *pd = calloc(1, sizeof(*pd));
    if (!pd) {
        fprintf(stderr, "kasou: out of memory for the TB cache\n");
        exit(1);
    }
    pd->page = page;
    pd->next = *head;
    *head = pd;
    return pd;
}

static void tb_page_desc_remove(TBContext *ctx, TBPageDesc *victim)
{
    for (TBPageDesc **pp = &ctx->pages[tb_page_hash(victim->page)]; *pp; pp = &(*pp)->next) {
        if (*pp == victim) {
            *pp = victim->next;
            free(victim);
            return;
        }
    }
}

static void tb_page_add(TBContext *ctx, TranslationBlock *tb, int n, uint64_t page)
{
    TBPageDesc *pd = tb_page_find(ctx, page, true);
    tb->page_next[n] = (TranslationBlock *)pd->first;
    pd->first = (uintptr_t)tb | (uintptr_t)n;
}

static void tb_page_remove(TBContext *ctx, TranslationBlock *tb, int n, uint64_t page)
{
    TBPageDesc *pd = tb_page_find(ctx, page, false);
    if (!pd)
        return;
    uintptr_t want = (uintptr_t)tb | (uintptr_t)n;
    for (uintptr_t *pp = &pd->first; *pp;) {
        TranslationBlock *t = (TranslationBlock *)(*pp & ~(uintptr_t)1);
        int tn = (int)(*pp & 1);
        if (*pp == want) {
            *pp = (uintptr_t)tb->page_next[n];
            tb->page_next[n] = NULL;
            break;
        }
        pp = (uintptr_t *)&t->page_next[tn];
    }
}

/* ---- chaining ---- */

static void tb_reset_jump(TranslationBlock *src, int n)
{
    if (src->host_code && src->ctx)
        jit_patch_jump(&src->ctx->cb, src, n, src->host_code + src->jmp_reset_offset[n]);
}

void tb_add_jump(TranslationBlock *from, int n, TranslationBlock *to)
{
    if (!from || !to || n < 0 || n > 1 || from->invalid || to->invalid || from->jmp_dest[n])
        return;
    if ((from->cflags & CF_NO_CHAIN) || ((from->pc ^ to->pc) & TARGET_PAGE_MASK))
        return;
    if ((from->host_code == NULL) != (to->host_code == NULL))
        return;
    /* offset 0 is the block's exit_check, never a goto_tb: no such slot */
    if (from->host_code && from->jmp_insn_offset[n] == 0)
        return;
    from->jmp_dest[n] = to;
    from->jmp_list_next[n] = to->jmp_list_head;
    to->jmp_list_head = (TranslationBlock *)((uintptr_t)from | (uintptr_t)n);
    if (from->host_code)
        jit_patch_jump(&from->ctx->cb, from, n, to->host_code);
}

/* Remove src's slot n from the incoming list of its destination. */
static void tb_jmp_remove_outgoing(TranslationBlock *src, int n)
{
    TranslationBlock *dest = src->jmp_dest[n];
    if (!dest)
        return;
    uintptr_t want = (uintptr_t)src | (uintptr_t)n;
    for (uintptr_t *pp = (uintptr_t *)&dest->jmp_list_head; *pp;) {
        TranslationBlock *t = (TranslationBlock *)(*pp & ~(uintptr_t)1);
        int tn = (int)(*pp & 1);
        if (*pp == want) {
            *pp = (uintptr_t)src->jmp_list_next[n];
            break;
        }
        pp = (uintptr_t *)&t->jmp_list_next[tn];
    }
    src->jmp_dest[n] = NULL;
    src->jmp_list_next[n] = NULL;
}

static void tb_jmp_unlink_incoming(TranslationBlock *tb)
{
    uintptr_t p = (uintptr_t)tb->jmp_list_head;
    while (p) {
        TranslationBlock *src = (TranslationBlock *)(p & ~(uintptr_t)1);
        int n = (int)(p & 1);
        p = (uintptr_t)src->jmp_list_next[n];
        tb_reset_jump(src, n);
        src->jmp_dest[n] = NULL;
        src->jmp_list_next[n] = NULL;
    }
    tb->jmp_list_head = NULL;
}

/* ---- hash and lookup ---- */

static bool tb_key_match(const TranslationBlock *tb, uint64_t pc, uint64_t cs_base,
                         uint32_t flags, uint32_t cflags)
{
    return tb->pc == pc && tb->cs_base == cs_base && tb->flags == flags &&
           tb->cflags == cflags && !tb->invalid;
}

/* Does pc (and the second page, if the block has one) still map to the
 * physical pages the block was translated from, in the block's fetch mode?
 * Filling the TLB here is fine: the probe never raises. */
static bool tb_phys_match(CPUState *cpu, const TranslationBlock *tb)
{
    uint64_t p = tlb_probe_phys(cpu, tb->pc, MMU_INST_FETCH, tb->code_mmu_idx);
    if (p != tb->phys_pc)
        return false;
    if (tb->phys_page2 != ~0ull) {
        uint64_t v2 = (tb->pc & TARGET_PAGE_MASK) + TARGET_PAGE_SIZE;
        uint64_t p2 = tlb_probe_phys(cpu, v2, MMU_INST_FETCH, tb->code_mmu_idx);
        if (p2 == ~0ull || (p2 & TARGET_PAGE_MASK) != tb->phys_page2)
            return false;
    }
    return true;
}

TranslationBlock *tb_lookup(CPUState *cpu, uint64_t pc, uint64_t cs_base, uint32_t flags, uint32_t cflags)
{
    unsigned slot = tb_jmp_cache_hash(pc);
    TranslationBlock *tb = cpu->tb_jmp_cache[slot];
    if (tb && tb_key_match(tb, pc, cs_base, flags, cflags))
        return tb;
    for (tb = cpu->tb_ctx->htable[tb_hash(pc, cs_base, flags, cflags)]; tb; tb = tb->hash_next) {
        if (tb_key_match(tb, pc, cs_base, flags, cflags) && tb_phys_match(cpu, tb)) {
            tb_jmp_cache_set(cpu, slot, tb);
            return tb;
        }
    }
    return NULL;
}

/* ---- invalidation ---- */

static void tb_hash_remove(TBContext *ctx, TranslationBlock *tb)
{
    TranslationBlock **pp = &ctx->htable[tb_hash(tb->pc, tb->cs_base, tb->flags, tb->cflags)];
    for (; *pp; pp = &(*pp)->hash_next) {
        if (*pp == tb) {
            *pp = tb->hash_next;
            tb->hash_next = NULL;
            return;
        }
    }
}

static bool tb_has_page2(const TranslationBlock *tb)
{
    return tb->phys_page2 != ~0ull && tb->phys_page2 != (tb->phys_pc & TARGET_PAGE_MASK);
}

/* Unhook tb from everything that could reach it; the caller is walking
 * the list of page list_n and removes it from there itself. */
static void tb_invalidate(CPUState *cpu, TranslationBlock *tb, int list_n)
{
    TBContext *ctx = cpu->tb_ctx;
    tb->invalid = true;
    tb_hash_remove(ctx, tb);
    unsigned slot = tb_jmp_cache_hash(tb->pc);
    if (cpu->tb_jmp_cache[slot] == tb)
        cpu->tb_jmp_cache[slot] = NULL;
    if (tb_has_page2(tb)) {
        int other = list_n ^ 1;
        tb_page_remove(ctx, tb, other, other ? tb->phys_page2 : tb->phys_pc & TARGET_PAGE_MASK);
    }
    tb_jmp_remove_outgoing(tb, 0);
    tb_jmp_remove_outgoing(tb, 1);
    tb_jmp_unlink_incoming(tb);
}

bool tb_invalidate_phys_page(CPUState *cpu, uint64_t paddr)
{
    TBContext *ctx = cpu->tb_ctx;
    uint64_t page = paddr & TARGET_PAGE_MASK;
    bool hit_current = false, any = false;
    TBPageDesc *pd = ctx ? tb_page_find(ctx, page, false) : NULL;
    if (pd) {
        uintptr_t p = pd->first;
        while (p) {
            TranslationBlock *tb = (TranslationBlock *)(p & ~(uintptr_t)1);
            int n = (int)(p & 1);
            p = (uintptr_t)tb->page_next[n];
            tb->page_next[n] = NULL;
            tb_invalidate(cpu, tb, n);
            any = true;
            if (tb == cpu->current_tb)
                hit_current = true;
        }
        tb_page_desc_remove(ctx, pd);
    }
    memory_set_code_page(cpu->as, page, false);
    /* Chained blocks make current_tb only the entry block: whenever code
     * was dropped while generated code runs, return to the loop at the
     * next block boundary so nothing stale is entered again. */
    if (any && cpu->current_tb)
        cpu->exit_request = 1;
    return hit_current;
}

/* Do guest physical bytes [paddr, paddr+len) hold part of tb's code? */
static bool tb_overlaps(const TranslationBlock *tb, uint64_t paddr, unsigned len)
{
    uint64_t n1 = TARGET_PAGE_SIZE - (tb->pc & ~TARGET_PAGE_MASK);
    if (n1 > tb->size)
        n1 = tb->size;
    if (paddr < tb->phys_pc + n1 && tb->phys_pc < paddr + len)
        return true;
    if (tb->size > n1 && tb->phys_page2 != ~0ull)
        return paddr < tb->phys_page2 + (tb->size - n1) && tb->phys_page2 < paddr + len;
    return false;
}

void tb_invalidate_phys_page_write(CPUState *cpu, uint64_t paddr, unsigned len, uintptr_t retaddr)
{
    /* The block running the store: with chaining it need not be
     * current_tb, so find it from the return address. */
    TranslationBlock *cur = NULL;
    if (cpu->current_tb && retaddr) {
        if (retaddr == TCG_RETADDR_INTERP || cpu->use_interp)
            cur = (TranslationBlock *)cpu->interp_tb;
        else
            cur = tb_find_by_host_pc(cpu, retaddr);
    }
    bool replay = cur && cur->icount > 1 && tb_overlaps(cur, paddr, len);
    tb_invalidate_phys_page(cpu, paddr);
    if (replay) {
        /* The rest of this block is stale: restart at the store, alone in
         * its block (it cannot overlap itself again with a later insn). */
        cpu->tb_ctx->cflags_next = CF_SINGLE_INSN;
        cpu_loop_exit_restore(cpu, retaddr);
    }
}

void tb_invalidate_phys_range(CPUState *cpu, uint64_t start, uint64_t end)
{
    if (end <= start)
        return;
    for (uint64_t p = start & TARGET_PAGE_MASK; p < end; p += TARGET_PAGE_SIZE) {
        tb_invalidate_phys_page(cpu, p);
        if (p + TARGET_PAGE_SIZE < p)
            break;
    }
}

void tb_code_write_notify(void *opaque, uint64_t paddr)
{
    tb_invalidate_phys_page(opaque, paddr);
}

/* ---- flush ---- */

static void tb_codebuf_prepare(TBContext *ctx)
{
    if (!ctx->cb_ready) {
        int r = codebuf_init(&ctx->cb, ctx->code_size ? ctx->code_size : TB_CODE_BUFFER_SIZE);
        if (r < 0) {
            fprintf(stderr, "kasou: cannot allocate the code buffer: %s\n", strerror(-r));
            exit(1);
        }
        ctx->cb_ready = true;
        jit_init(&ctx->cb);
    } else {
        codebuf_reset(&ctx->cb);
        if (ctx->cb.used == 0)     /* the reset dropped the prologue too */
            jit_init(&ctx->cb);
    }
}

void tb_flush(CPUState *cpu)
{
    TBContext *ctx = cpu->tb_ctx;
    for (size_t i = 0; i < ctx->nb_tbs; i++)
        tb_free_one(ctx->tbs[i]);
    ctx->nb_tbs = 0;
    ctx->nb_jit_tbs = 0;
    memset(ctx->htable, 0, sizeof(ctx->htable));
    for (unsigned h = 0; h < TB_PAGE_HASH_SIZE; h++) {
        TBPageDesc *pd = ctx->pages[h];
        while (pd) {
            TBPageDesc *next = pd->next;
            memory_set_code_page(cpu->as, pd->page, false);
            free(pd);
            pd = next;
        }
        ctx->pages[h] = NULL;
    }
    tb_jmp_cache_clear(cpu);
    tb_arena_reset(ctx);
    if (ctx->cb_ready)
        tb_codebuf_prepare(ctx);
    ctx->flush_count++;
    /* Called from a device (board reset) while a block runs: the old code
     * stays intact until the next translation, which only happens after
     * the loop is reached again. */
    if (cpu->current_tb)
        cpu->exit_request = 1;
}

void tb_context_free(TBContext *ctx)
{
    if (!ctx)
        return;
    for (size_t i = 0; i < ctx->nb_tbs; i++)
        tb_free_one(ctx->tbs[i]);
    for (unsigned h = 0; h < TB_PAGE_HASH_SIZE; h++) {
        TBPageDesc *pd = ctx->pages[h];
        while (pd) {
            TBPageDesc *next = pd->next;
            free(pd);
            pd = next;
        }
    }
    for (TBArenaChunk *c = ctx->arena_head, *next; c; c = next) {
        next = c->next;
        TB_ARENA_UNPOISON(c->data, c->size);
        munmap(c, sizeof(*c) + c->size);
    }
    free(ctx->tbs);
    free(ctx->jit_tbs);
    if (ctx->cb_ready) {
        /* codebuf.c maps one RW and one RX view (or a single RWX one) */
        munmap(ctx->cb.rw, ctx->cb.size);
        if (ctx->cb.rx != ctx->cb.rw)
            munmap(ctx->cb.rx, ctx->cb.size);
    }
    free(ctx);
}

/* ---- generating a block ---- */

static FILE *tb_logfile(CPUState *cpu)
{
    return cpu->logfile ? cpu->logfile : stderr;
}

static void tb_log_in_asm(CPUState *cpu, TranslationBlock *tb)
{
    FILE *f = tb_logfile(cpu);
    uint32_t size = tb->size;
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return;
    uint32_t n1 = TARGET_PAGE_SIZE - (uint32_t)(tb->pc & ~TARGET_PAGE_MASK);
    if (n1 > size)
        n1 = size;
    if (address_space_read(cpu->as, tb->phys_pc, buf, n1) != MEMTX_OK)
        memset(buf, 0xff, n1);
    if (size > n1 && (tb->phys_page2 == ~0ull ||
                      address_space_read(cpu->as, tb->phys_page2, buf + n1, size - n1) != MEMTX_OK))
        memset(buf + n1, 0xff, size - n1);
    fprintf(f, "----------------\nIN: [pc=0x%" PRIx64 " size=%u icount=%u]\n", tb->pc, size, tb->icount);
    int arch = -1, mode = 0;
    if (cpu->ops->disas_mode)
        cpu->ops->disas_mode(cpu, tb->flags, &arch, &mode);
    if (!tcg_disas(f, arch, mode, buf, size, tb->pc, "")) {
        for (uint32_t i = 0; i < size; i++)
            fprintf(f, "%02x%s", buf[i], (i % 16 == 15 || i + 1 == size) ? "\n" : " ");
    }
    fputc('\n', f);
    free(buf);
}

/* Room for every insn_start left after optimisation: the backend maps each
 * to a host offset, and cpu_restore_state hands insn_data back. The JIT
 * fills both tables as it compiles; for the interpreter insn_data is
 * filled here. */
static void tb_record_insns(TCGContext *s, TranslationBlock *tb, bool fill)
{
    uint32_t n = (uint32_t)s->insn_start_count;
    tb->nb_insns = n;
    tb->insn_data = tb_arena_alloc(tb->ctx, (n ? n : 1) * sizeof(*tb->insn_data));
    tb->insn_end_off = tb_arena_alloc(tb->ctx, (n ? n : 1) * sizeof(uint32_t));
    if (!fill)
        return;
    uint32_t i = 0;
    for (TCGOp *op = s->first_op; op; op = op->next) {
        if (op->opc == INDEX_op_insn_start) {
            tb->insn_data[i][0] = op->args[0];
            tb->insn_data[i][1] = op->args[1];
            i++;
        }
    }
}

/* Translate into cpu->tcg. A guest fault on the first instruction fetch
 * unwinds through here so the half-built TB is freed, then goes on to the
 * loop's unwind point. */
static TranslationBlock *tb_translate(CPUState *cpu, uint64_t pc, uint64_t cs_base, uint32_t flags,
                                      uint32_t cflags)
{
    TBContext *ctx = cpu->tb_ctx;
    TBArenaChunk *mark_chunk = ctx->arena_cur;
    size_t mark_off = ctx->arena_off;
    TranslationBlock *tb = tb_arena_alloc(ctx, sizeof(*tb));
    tb->pc = pc;
    tb->cs_base = cs_base;
    tb->flags = flags;
    tb->cflags = cflags;
    tb->phys_pc = ~0ull;
    tb->phys_page2 = ~0ull;
    tb->ctx = cpu->tb_ctx;

    jmp_buf local;
    jmp_buf *volatile outer = cpu->jmp_env;
    if (setjmp(local)) {
        cpu->jmp_env = outer;
        /* nothing else was taken from the arena since: give the TB back */
        ctx->arena_cur = mark_chunk;
        ctx->arena_off = mark_off;
        if (!outer) {
            fprintf(stderr, "kasou: guest fault while translating outside the exec loop\n");
            abort();
        }
        longjmp(*outer, 1);
    }
    cpu->jmp_env = &local;
    TCGContext *s = cpu->tcg;
    tcg_func_start(s);
    int max_insns = (cflags & CF_SINGLE_INSN) || cpu->single_insn ? 1 : TB_MAX_INSNS;
    translator_loop(cpu, tb, max_insns, cpu->ops->translator);
    cpu->jmp_env = outer;

    if (cpu_log_enabled(cpu, LOG_OP)) {
        fprintf(tb_logfile(cpu), "OP: [pc=0x%" PRIx64 "]\n", pc);
        tcg_dump_ops(s, tb_logfile(cpu));
        fputc('\n', tb_logfile(cpu));
    }
    tcg_optimize(s);
    tcg_liveness(s);
    if (cpu_log_enabled(cpu, LOG_OP_OPT)) {
        fprintf(tb_logfile(cpu), "OP after optimization and liveness analysis: [pc=0x%" PRIx64 "]\n", pc);
        tcg_dump_ops(s, tb_logfile(cpu));
        fputc('\n', tb_logfile(cpu));
    }
    tb_record_insns(s, tb, cpu->use_interp);
    return tb;
}

static void tb_array_push(TranslationBlock ***arr, size_t *nb, size_t *cap, TranslationBlock *tb)
{
    if (*nb == *cap) {
        size_t c = *cap ? *cap * 2 : 1024;
        TranslationBlock **a = realloc(*arr, c * sizeof(*a));
        if (!a) {
            fprintf(stderr, "kasou: out of memory for the TB cache\n");
            exit(1);
        }
        *arr = a;
        *cap = c;
    }
    (*arr)[(*nb)++] = tb;
}

/* Writes to the page must now take the slow path. Entries filled after
 * the flag is set get TLB_NOTDIRTY from tlb_set_page, so only a page newly
 * holding code needs the scan of existing entries. */
static void tb_mark_code_page(CPUState *cpu, uint64_t page)
{
    if (memory_page_has_code(cpu->as, page))
        return;
    memory_set_code_page(cpu->as, page, true);
    tlb_protect_code_page(cpu, page);
}

/* Make tb findable and have writes to its pages invalidate it. */
static void tb_link(CPUState *cpu, TranslationBlock *tb)
{
    TBContext *ctx = cpu->tb_ctx;
    tb_array_push(&ctx->tbs, &ctx->nb_tbs, &ctx->cap_tbs, tb);
    if (tb->host_code)
        tb_array_push(&ctx->jit_tbs, &ctx->nb_jit_tbs, &ctx->cap_jit_tbs, tb);
    unsigned h = tb_hash(tb->pc, tb->cs_base, tb->flags, tb->cflags);
    tb->hash_next = ctx->htable[h];
    ctx->htable[h] = tb;
    uint64_t page1 = tb->phys_pc & TARGET_PAGE_MASK;
    tb_page_add(ctx, tb, 0, page1);
    tb_mark_code_page(cpu, page1);
    if (tb_has_page2(tb)) {
        tb_page_add(ctx, tb, 1, tb->phys_page2);
        tb_mark_code_page(cpu, tb->phys_page2);
    }
}

TranslationBlock *tb_gen_code(CPUState *cpu, uint64_t pc, uint64_t cs_base, uint32_t flags, uint32_t cflags)
{
    TBContext *ctx = cpu->tb_ctx;
    if (ctx->nb_tbs >= TB_MAX_COUNT)
        tb_flush(cpu);
    if (cpu->use_interp)
        cflags |= CF_TB_INTERP;
    else
        cflags &= ~CF_TB_INTERP;
    TranslationBlock *tb;
    for (int attempt = 0;; attempt++) {
        tb = tb_translate(cpu, pc, cs_base, flags, cflags);
        if (cpu->use_interp) {
            if (interp_prepare(cpu->tcg, tb) < 0) {
                fprintf(stderr, "kasou: interpreter could not take the block at 0x%" PRIx64 "\n", pc);
                exit(1);
            }
            break;
        }
        ctx->cb.perf_map = cpu->perf_map;   /* -perfmap: the machine owns the file */
        if (!ctx->cb_ready)
            tb_codebuf_prepare(ctx);
        codebuf_populate(&ctx->cb);
        if (jit_gen_code(&ctx->cb, cpu->tcg, tb, cpu) >= 0)
            break;
        tb_free_one(tb);
        if (attempt) {
            fprintf(stderr, "kasou: block at 0x%" PRIx64 " does not fit in an empty code buffer\n", pc);
            exit(1);
        }
        /* Buffer full: start over with an empty cache and translate again
         * (the IR was consumed by the failed attempt). */
        tb_flush(cpu);
    }
    if (cpu_log_enabled(cpu, LOG_IN_ASM))
        tb_log_in_asm(cpu, tb);
    if (tb->host_code) {
        if (cpu_log_enabled(cpu, LOG_OUT_ASM)) {
            fprintf(tb_logfile(cpu), "OUT: [pc=0x%" PRIx64 " host=%p size=%u]\n", pc,
                    (void *)tb->host_code, tb->host_size);
            jit_disas(tb_logfile(cpu), tb->host_code, tb->host_size);
            fputc('\n', tb_logfile(cpu));
        }
        if (ctx->cb.perf_map)
            codebuf_perf_map(&ctx->cb, tb->host_code, tb->host_size, "kasou-tb-0x%" PRIx64, pc);
    }
    tb_link(cpu, tb);
    tb_jmp_cache_set(cpu, tb_jmp_cache_hash(pc), tb);
    return tb;
}

TranslationBlock *tb_find_by_host_pc(CPUState *cpu, uintptr_t host_pc)
{
    TBContext *ctx = cpu->tb_ctx;
    if (!ctx || !ctx->nb_jit_tbs)
        return NULL;
    size_t lo = 0, hi = ctx->nb_jit_tbs;
    while (lo < hi) {                 /* last TB starting at or before host_pc */
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)ctx->jit_tbs[mid]->host_code <= host_pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    TranslationBlock *tb = ctx->jit_tbs[lo - 1];
    if (host_pc < (uintptr_t)tb->host_code + tb->host_size)
        return tb;
    return NULL;
}
