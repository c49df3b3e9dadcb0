/*
 * Private to tcg/exec.c, tcg/tb.c and tcg/translator.c: the per-CPU TB cache
 * (code buffer, hash table, per-physical-page lists). Nothing here is global:
 * each CPUState owns one TBContext through cpu->tb_ctx.
 */
#ifndef TCG_TB_INTERNAL_H
#define TCG_TB_INTERNAL_H

#include "backend/backend.h"
#include "tcg/cpu.h"

#define TB_HASH_BITS 15
#define TB_HASH_SIZE (1u << TB_HASH_BITS)
#define TB_JMP_PAGES_BITS 12
#define TB_JMP_PAGES_WORDS ((1u << TB_JMP_PAGES_BITS) / 64)
#define TB_JMP_FILLED_MAX 1024
#define TB_PAGE_HASH_BITS 12
#define TB_PAGE_HASH_SIZE (1u << TB_PAGE_HASH_BITS)
#define TB_CODE_BUFFER_SIZE ((size_t)64 << 20)
#define TB_MAX_COUNT (1u << 20)      /* flush beyond this many TBs (interp mode) */
#define TB_MAX_INSNS 512

/* A guest physical page holding translated code: the head of the list of
 * TBs covering it (TB pointer | which of the TB's two pages, in bit 0). */
typedef struct TBPageDesc {
    uint64_t page;
    uintptr_t first;
    struct TBPageDesc *next;
} TBPageDesc;

/* The TB arena: TB structs and their per-insn tables are bump-allocated
 * from chunks that tb_flush rewinds (no malloc/free per block). */
typedef struct TBArenaChunk {
    struct TBArenaChunk *next;
    size_t size;                   /* bytes in data[] */
    _Alignas(16) char data[];
} TBArenaChunk;

typedef struct TBContext {
    CodeBuffer cb;
    bool cb_ready;                 /* codebuf_init + jit_init done */
    size_t code_size;              /* code buffer bytes, 0 = TB_CODE_BUFFER_SIZE (set before the first block) */
    TranslationBlock **tbs;        /* every live or invalidated TB, in creation order */
    size_t nb_tbs, cap_tbs;
    TranslationBlock **jit_tbs;    /* TBs with host code, in code-buffer order */
    size_t nb_jit_tbs, cap_jit_tbs;
    TranslationBlock *htable[TB_HASH_SIZE];
    TBPageDesc *pages[TB_PAGE_HASH_SIZE];
    uint64_t flush_count;          /* bumped by tb_flush: TB pointers held across it are dead */
    uint32_t cflags_next;          /* extra cflags for the next block the loop runs (SMC replay) */
    TBArenaChunk *arena_head;      /* every chunk, kept across flushes */
    TBArenaChunk *arena_cur;       /* chunk being filled (NULL: none yet) */
    size_t arena_off;              /* bytes used in arena_cur */
    /* a bit per hash of a virtual page with a block in the CPU's jump
     * cache (set when one is put there, cleared with the cache), so a TLB
     * flush of a page that has none leaves the cache alone */
    uint64_t jmp_pages[TB_JMP_PAGES_WORDS];
    /* the jump cache slots filled since it was last cleared, so a clear
     * (every TLB flush) stores a few NULLs instead of zeroing the whole
     * cache; past TB_JMP_FILLED_MAX fills the clear is a memset */
    uint32_t jmp_filled[TB_JMP_FILLED_MAX];
    uint32_t nb_jmp_filled;        /* may exceed TB_JMP_FILLED_MAX by one: too many */
} TBContext;

TBContext *tb_context_new(void);
void tb_context_free(TBContext *ctx);
/* The cflags the loop and lookups use for the CPU's current switches. */
uint32_t tb_cpu_cflags(const CPUState *cpu);
/* AddressSpace.code_write_notify for a CPU (opaque = CPUState *). */
void tb_code_write_notify(void *opaque, uint64_t paddr);

#endif
