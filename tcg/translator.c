/*
 * The generic translation loop every guest plugs its hooks into, and the
 * code fetchers (translator_ld*) guests decode through.
 * Must stay true: a block covers at most two guest pages, and only its first
 * instruction may reach into the second one; a later instruction that would
 * is dropped (its ops removed) and the block ends before it with
 * DISAS_TOO_MANY, so the guest's tb_stop jumps to pc_next. That makes an
 * instruction-fetch fault possible only on a block's first instruction,
 * where guest state is exact.
 */
#include <alloca.h>
#include <string.h>
#include "softmmu/memory.h"
#include "softmmu/tlb.h"
#include "tcg/cpu.h"

void translator_loop(CPUState *cpu, TranslationBlock *tb, int max_insns, const TranslatorOps *ops)
{
    TCGContext *s = cpu->tcg;
    size_t dc_size = ops->dc_size > sizeof(DisasContextBase) ? ops->dc_size : sizeof(DisasContextBase);
    /* On the stack: a guest fault while fetching longjmps out, and nothing
     * here then needs freeing. */
    DisasContextBase *db = alloca(dc_size);
    memset(db, 0, dc_size);
    db->tb = tb;
    db->cpu = cpu;
    db->s = s;
    db->pc_first = tb->pc;
    db->pc_next = tb->pc;
    db->is_jmp = DISAS_NEXT;
    db->max_insns = max_insns > 0 ? max_insns : 1;
    db->singlestep = (tb->cflags & CF_SINGLE_INSN) || cpu->single_insn;
    db->page_first_v = tb->pc & TARGET_PAGE_MASK;
    if (db->singlestep)
        db->max_insns = 1;

    ops->init_disas_context(db, cpu);
    tb->code_mmu_idx = (int8_t)db->code_mmu_idx;

    /* The first page: may raise the guest's fetch fault (state is exact:
     * nothing of this block has run). */
    uint64_t page_phys;
    db->host_page = tlb_get_code_page(cpu, db->pc_first, db->code_mmu_idx, &page_phys);
    tb->phys_pc = page_phys == ~0ull ? ~0ull : page_phys | (db->pc_first & ~TARGET_PAGE_MASK);
    tb->phys_page2 = ~0ull;

    tcg_gen_exit_check(s);
    ops->tb_start(db, cpu);
    for (;;) {
        db->insn_mark = s->last_op;
        db->insn_pc = db->pc_next;
        if (db->num_insns > 0 && setjmp(db->insn_abort)) {
            /* This instruction reaches into the next page: drop it and end
             * the block in front of it. */
            while (s->last_op && s->last_op != db->insn_mark)
                tcg_op_remove(s, s->last_op);
            db->pc_next = db->insn_pc;
            db->num_insns--;
            db->is_jmp = DISAS_TOO_MANY;
            break;
        }
        db->num_insns++;
        ops->insn_start(db, cpu);
        ops->translate_insn(db, cpu);
        if (db->is_jmp != DISAS_NEXT)
            break;
        /* the op pool and temp table bound a block too: the next
         * instruction might not fit */
        if (db->num_insns >= db->max_insns || db->singlestep || tcg_op_buf_full(db->s) ||
            ((db->pc_next ^ db->pc_first) & TARGET_PAGE_MASK)) {
            db->is_jmp = DISAS_TOO_MANY;
            break;
        }
    }
    ops->tb_stop(db, cpu);
    tb->size = (uint32_t)(db->pc_next - db->pc_first);
    tb->icount = (uint16_t)db->num_insns;
}

static uint8_t translator_fetch_byte(DisasContextBase *db, uint64_t pc)
{
    CPUState *cpu = db->cpu;
    TranslationBlock *tb = db->tb;
    uint64_t page = pc & TARGET_PAGE_MASK, off = pc & ~TARGET_PAGE_MASK;
    if (page == db->page_first_v) {
        if (db->host_page)
            return db->host_page[off];
        if (tb->phys_pc == ~0ull)
            return 0xff;
        return (uint8_t)address_space_ldn(cpu->as, (tb->phys_pc & TARGET_PAGE_MASK) | off, 1, NULL);
    }
    /* Another page: only the block's first instruction may go there. */
    if (db->num_insns > 1)
        longjmp(db->insn_abort, 1);
    uint64_t phys;
    uint8_t *host = tlb_get_code_page(cpu, pc, db->code_mmu_idx, &phys);
    if (phys == ~0ull)
        return 0xff;
    if (tb->phys_page2 == ~0ull)
        tb->phys_page2 = phys;
    if (host)
        return host[off];
    return (uint8_t)address_space_ldn(cpu->as, phys | off, 1, NULL);
}

static uint64_t translator_fetch(DisasContextBase *db, uint64_t pc, unsigned len)
{
    uint64_t off = pc - db->page_first_v;
    uint64_t v = 0;
    if (db->host_page && pc >= db->page_first_v && off + len <= TARGET_PAGE_SIZE) {
        memcpy(&v, db->host_page + off, len);
        return v;
    }
    for (unsigned i = 0; i < len; i++)
        v |= (uint64_t)translator_fetch_byte(db, pc + i) << (8 * i);
    return v;
}

uint8_t translator_ldub_slow(DisasContextBase *db, uint64_t pc)
{
    return (uint8_t)translator_fetch(db, pc, 1);
}

uint16_t translator_lduw(DisasContextBase *db, uint64_t pc)
{
    return (uint16_t)translator_fetch(db, pc, 2);
}

uint32_t translator_ldl(DisasContextBase *db, uint64_t pc)
{
    return (uint32_t)translator_fetch(db, pc, 4);
}

uint64_t translator_ldq(DisasContextBase *db, uint64_t pc)
{
    return translator_fetch(db, pc, 8);
}

bool translator_is_same_page(const DisasContextBase *db, uint64_t pc)
{
    return ((pc ^ db->pc_first) & TARGET_PAGE_MASK) == 0;
}

bool translator_use_goto_tb(DisasContextBase *db, uint64_t dest)
{
    if (!db->cpu->chain_enabled || (db->tb->cflags & CF_NO_CHAIN))
        return false;
    return ((dest ^ db->pc_first) & TARGET_PAGE_MASK) == 0;
}
