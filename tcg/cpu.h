/*
 * The guest-neutral CPU: what the exec loop, the TB cache, the soft TLB and
 * the backends know of a guest CPU, and the interface a frontend implements
 * (CPUArchOps). A guest CPU struct embeds CPUState as its FIRST member, so
 * the pointer generated code holds in its env register is both.
 */
#ifndef TCG_CPU_H
#define TCG_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "tcg/tcg.h"

#define TARGET_PAGE_BITS 12
#define TARGET_PAGE_SIZE (1u << TARGET_PAGE_BITS)
#define TARGET_PAGE_MASK (~(uint64_t)(TARGET_PAGE_SIZE - 1))

/* ---- soft TLB (owned by softmmu/, laid out here for generated code) ---- */
#define NB_MMU_MODES 4
#define CPU_TLB_BITS 8
#define CPU_TLB_SIZE (1 << CPU_TLB_BITS)
/* Low bits of a comparator (below the page bits) send the access to C. */
#define TLB_INVALID  (1u << 0)  /* no translation: fill */
#define TLB_MMIO     (1u << 1)  /* device: dispatch through the memory map */
#define TLB_NOTDIRTY (1u << 2)  /* write to a page holding translated code */
#define TLB_WATCH    (1u << 3)  /* data watchpoint in the page: tell the guest (watch_hit) */
#define TLB_ALIGNED  (1u << 4)  /* every data access to the page must be size-aligned (unaligned_access) */
#define TLB_FLAGS_MASK 0xfffu
#define CPU_MAX_WATCH_PAGES 8   /* see tlb_set_watch_pages */

typedef struct CPUTLBEntry {
    uint64_t addr_read;   /* page | flags, or -1 when the access is not allowed */
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;     /* host = guest vaddr + addend (RAM only) */
} CPUTLBEntry;             /* 32 bytes: the fast path indexes with a shift of 5 */
#define CPU_TLB_ENTRY_BITS 5
/* Two ways per index: way 1 of index i is tlb_table[m][CPU_TLB_SIZE + i].
 * Generated code compares way 0 inline and way 1 on its out-of-line path,
 * so two pages that share an index (buffers a multiple of 1 MiB apart)
 * both hit without a call into C. A fill puts the new page in way 0 and
 * moves the old way-0 entry to way 1. */
#define CPU_TLB_WAYS 2

/* ---- translation blocks ---- */
typedef struct TranslationBlock TranslationBlock;
struct TranslationBlock {
    uint64_t pc;              /* guest virtual pc of the first instruction */
    uint64_t cs_base;         /* guest-defined extra key */
    uint32_t flags;           /* guest mode flags, part of the key */
    uint32_t cflags;          /* CF_* */
    uint64_t phys_pc;         /* guest physical address of pc */
    uint64_t phys_page2;      /* second page when an instruction straddles, else -1 */
    uint32_t size;            /* guest bytes covered */
    uint16_t icount;          /* guest instructions */
    uint8_t *host_code;       /* executable address */
    uint32_t host_size;
    /* chaining: per exit slot, offset of the patchable jump and where it
     * goes once patched; incoming list for unchaining on invalidation */
    uint32_t jmp_insn_offset[2];    /* 32 bits: a block of 512 memory-heavy */
    uint32_t jmp_reset_offset[2];   /* insns can pass 64 KiB of host code */
    TranslationBlock *jmp_dest[2];
    TranslationBlock *jmp_list_next[2]; /* next TB jumping to the same dest via slot n */
    TranslationBlock *jmp_list_head;    /* TBs jumping here (slot in low bit) */
    /* precise exceptions: per guest instruction, end host offset and data */
    uint32_t nb_insns;
    uint32_t *insn_end_off;   /* host code offset just past the insn's code */
    uint64_t (*insn_data)[2]; /* insn_start's c0 (pc), c1 */
    TranslationBlock *hash_next;
    TranslationBlock *page_next[2];  /* per physical page list */
    bool invalid;
    void *interp_code;        /* the interpreter's copy of the block's IR */
    /* added for the TB cache (tcg/tb.c): */
    struct TBContext *ctx;    /* owning cache: code buffer used to patch chains */
    int8_t code_mmu_idx;      /* db->code_mmu_idx: the mode its code was fetched in */
} __attribute__((aligned(8)));
/* insn_end_off/insn_data: allocated by tb_gen_code from the TB arena
 * (nb_insns entries, one per insn_start op left after tcg_optimize); the
 * JIT fills both as it compiles (for the interpreter tb_gen_code fills
 * insn_data). The TB struct and both tables die together at tb_flush. */

#define CF_NO_CHAIN     (1u << 0)
#define CF_SINGLE_INSN  (1u << 1)

/* Values generated code returns to the exec loop: a TB pointer | reason. */
enum { TB_EXIT_IDX0 = 0, TB_EXIT_IDX1 = 1, TB_EXIT_REQUESTED = 2, TB_EXIT_NOCHAIN = 3, TB_EXIT_MASK = 3 };

/* ---- the guest-neutral CPU state ---- */
#define TB_JMP_CACHE_BITS 14
#define TB_JMP_CACHE_SIZE (1 << TB_JMP_CACHE_BITS)

enum {
    CPU_INTERRUPT_HARD  = 1 << 0, /* maskable external interrupt line */
    CPU_INTERRUPT_NMI   = 1 << 1,
    CPU_INTERRUPT_EXIT  = 1 << 2, /* leave the loop (machine stop, exit request) */
    CPU_INTERRUPT_RESET = 1 << 3,
    CPU_INTERRUPT_DEBUG = 1 << 4, /* a guest debug trap to take after the current instruction */
};

#define EXCP_NONE       (-1)
#define EXCP_INTERRUPT  0x10000   /* left the block for an interrupt/exit request */
#define EXCP_HLT        0x10001
#define EXCP_HALTED     0x10002
#define EXCP_SHUTDOWN   0x10003   /* the machine asked to stop */

typedef struct CPUState CPUState;
typedef struct AddressSpace AddressSpace;
typedef struct TranslatorOps TranslatorOps;

typedef struct CPUArchOps {
    const char *name;
    /* Key of the block to run now. */
    void (*get_tb_cpu_state)(CPUState *cpu, uint64_t *pc, uint64_t *cs_base, uint32_t *flags);
    /* Translate one block through the generic translator loop. */
    const TranslatorOps *translator;
    /* Deliver cpu->exception_index (set by raise paths); may longjmp. */
    void (*do_interrupt)(CPUState *cpu);
    /* Take a pending interrupt request if the guest accepts it now. */
    bool (*exec_interrupt)(CPUState *cpu, uint32_t interrupt_request);
    /* Does the halted CPU have work (an interrupt it would take)? */
    bool (*has_work)(CPUState *cpu);
    /* Page walk for vaddr: on success call tlb_set_page() and return true;
     * on a fault return false if probe, else raise the guest fault
     * (restoring state from retaddr) and never return. */
    bool (*tlb_fill)(CPUState *cpu, uint64_t vaddr, int size, int access_type,
                     int mmu_idx, bool probe, uintptr_t retaddr);
    /* Set the guest pc (and extra data) recorded by insn_start. */
    void (*restore_state_to_opc)(CPUState *cpu, const TranslationBlock *tb, const uint64_t *data);
    void (*dump_state)(CPUState *cpu, FILE *f);
    /* Capstone arch/mode for disassembling guest code under the given flags. */
    void (*disas_mode)(CPUState *cpu, uint32_t tb_flags, int *cs_arch, int *cs_mode);
    uint64_t (*get_pc)(CPUState *cpu);
    /* Create the guest's IR globals in s (called once per CPU, after TCG_ENV). */
    void (*tcg_init)(CPUState *cpu, TCGContext *s);
    /* A data access touched a watched page (tlb_set_watch_pages), before
     * it happens; may be NULL. The guest decides whether it is a hit. */
    void (*watch_hit)(CPUState *cpu, uint64_t vaddr, unsigned size, int access_type);
    /* A data access of size bytes at vaddr is not size-aligned and had to
     * be (MO_ALIGN, or a TLB_ALIGNED page): raise the guest's alignment
     * fault (restoring state from retaddr); never returns. May be NULL:
     * the access then happens unaligned. */
    void (*unaligned_access)(CPUState *cpu, uint64_t vaddr, unsigned size, int access_type,
                             int mmu_idx, uintptr_t retaddr);
} CPUArchOps;

enum { MMU_DATA_LOAD = 0, MMU_DATA_STORE = 1, MMU_INST_FETCH = 2 };

typedef struct Machine Machine;
struct TCGBackend;

struct CPUState {
    /* hot fields first: generated code reads these */
    volatile int32_t exit_request;       /* checked by exit_check at every block entry */
    int32_t _pad0;
    CPUTLBEntry *tlb_table[NB_MMU_MODES]; /* CPU_TLB_SIZE entries each */
    uintptr_t tb_jmp_cache_ptr;          /* == (uintptr_t)tb_jmp_cache, for inline lookups */

    uint32_t interrupt_request;          /* CPU_INTERRUPT_* */
    int exception_index;                 /* EXCP_* or guest vector */
    bool halted;
    bool can_do_io;
    const CPUArchOps *ops;
    AddressSpace *as;                    /* memory the CPU sees */
    AddressSpace *io_as;                 /* port I/O space where the guest has one */
    Machine *machine;
    TCGContext *tcg;                     /* the IR context used to translate */
    TranslationBlock **tb_jmp_cache;     /* TB_JMP_CACHE_SIZE, by virtual pc */
    TranslationBlock *current_tb;        /* block being executed, for SMC */
    uint64_t tlb_flush_count;
    /* interpreter: the last insn_start data it executed */
    uint64_t interp_insn_data[2];
    const TranslationBlock *interp_tb;
    /* run-time switches (-accel tcg,...) */
    bool use_interp;
    bool chain_enabled;
    bool tlb_inline;
    bool single_insn;
    uint32_t log_mask;                   /* LOG_* below */
    FILE *logfile;
    FILE *perf_map;                      /* -perfmap: opened by machine/ (perf-<pid>.map), NULL = off */
    jmp_buf *jmp_env;                    /* the exec loop's unwind point */
    struct TBContext *tb_ctx;            /* this CPU's code buffer + TB cache (tcg/tb.c) */
};

/* -d items */
enum {
    LOG_IN_ASM = 1 << 0, LOG_OP = 1 << 1, LOG_OP_OPT = 1 << 2, LOG_OUT_ASM = 1 << 3,
    LOG_INT = 1 << 4, LOG_EXEC = 1 << 5, LOG_CPU = 1 << 6, LOG_TRAP = 1 << 7,
};
#define cpu_log_enabled(cpu, m) (((cpu)->log_mask & (m)) != 0)
void cpu_log(CPUState *cpu, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- exec loop (tcg/exec.c) ---- */
void cpu_common_init(CPUState *cpu, const CPUArchOps *ops, AddressSpace *as);
/* Free what cpu_common_init allocated (TLB, jump cache, IR context, TB cache
 * and code buffer); the CPU struct itself stays the caller's. */
void cpu_common_free(CPUState *cpu);
/* Run until the guest stops the machine or an exit is requested; returns
 * the EXCP_* reason. */
int cpu_exec(CPUState *cpu);
/* Unwind to the exec loop (after setting exception_index). */
void cpu_loop_exit(CPUState *cpu) __attribute__((noreturn));
/* Recover guest state at the instruction containing host_pc (a return
 * address inside generated code), or from the interpreter. 0 = nothing. */
bool cpu_restore_state(CPUState *cpu, uintptr_t host_pc);
void cpu_loop_exit_restore(CPUState *cpu, uintptr_t host_pc) __attribute__((noreturn));
void cpu_interrupt(CPUState *cpu, uint32_t mask);
void cpu_reset_interrupt(CPUState *cpu, uint32_t mask);
void cpu_exit(CPUState *cpu);       /* leave at the next block boundary */
/* Retaddr meaning "the interpreter is running: use cpu->interp_insn_data". */
#define TCG_RETADDR_INTERP ((uintptr_t)1)
/* Host return address inside a helper called from generated code. */
#define GETPC() ((uintptr_t)__builtin_return_address(0))

/* ---- TB cache (tcg/tb.c) ---- */
TranslationBlock *tb_lookup(CPUState *cpu, uint64_t pc, uint64_t cs_base, uint32_t flags, uint32_t cflags);
TranslationBlock *tb_gen_code(CPUState *cpu, uint64_t pc, uint64_t cs_base, uint32_t flags, uint32_t cflags);
void tb_add_jump(TranslationBlock *from, int n, TranslationBlock *to);
/* Invalidate every TB on the guest physical page holding addr. Returns true
 * if the currently executing TB was among them. */
bool tb_invalidate_phys_page(CPUState *cpu, uint64_t paddr);
void tb_invalidate_phys_range(CPUState *cpu, uint64_t start, uint64_t end);
/* A guest store of len bytes at paddr hit a page holding code (the TLB's
 * NOTDIRTY slow path, retaddr as given to it): invalidate the page; if the
 * block executing the store overwrote its own instructions, restore state
 * to the store and unwind (it is replayed in a one-instruction block, so
 * the following instructions are retranslated). Does not return then. */
void tb_invalidate_phys_page_write(CPUState *cpu, uint64_t paddr, unsigned len, uintptr_t retaddr);
void tb_flush(CPUState *cpu);
void tb_jmp_cache_clear(CPUState *cpu);
/* The page's mapping changes: drop the jump cache if it may hold a block
 * starting on the page or on the one before (a block straddling into it). */
void tb_jmp_cache_clear_page(CPUState *cpu, uint64_t vaddr);
TranslationBlock *tb_find_by_host_pc(CPUState *cpu, uintptr_t host_pc);
/* Slot of pc in cpu->tb_jmp_cache (for inline lookups too). */
static inline unsigned tb_jmp_cache_hash(uint64_t pc)
{ return (unsigned)(pc ^ (pc >> TB_JMP_CACHE_BITS)) & (TB_JMP_CACHE_SIZE - 1); }
/* Helper for indirect jumps: host code of the block for the current guest
 * state, or the epilogue's exit path (returns to the loop). It never
 * translates. Under the interpreter (cpu->use_interp) it returns the
 * TranslationBlock * to continue with, or NULL = return 0 to the loop. */
void *helper_lookup_tb_ptr(CPUState *cpu);
extern const TCGHelperInfo tcg_helper_info_lookup_tb_ptr;   /* (env) -> ptr, flags 0 */
/* Emit: call lookup_tb_ptr; goto_ptr. The guest pc must be in env first. */
void tcg_gen_lookup_and_goto_ptr(TCGContext *s);

/* ---- the generic translator loop (tcg/translator.c) ---- */
typedef enum DisasJumpType {
    DISAS_NEXT,          /* go on with the next instruction */
    DISAS_TOO_MANY,      /* stop: insn limit or page end; fall through to pc_next */
    DISAS_NORETURN,      /* the instruction emitted its own block end */
    DISAS_TARGET_0,      /* guests may define more from here */
} DisasJumpType;

typedef struct DisasContextBase {
    TranslationBlock *tb;
    CPUState *cpu;
    TCGContext *s;
    uint64_t pc_first;
    uint64_t pc_next;    /* guest pc of the next instruction to decode */
    DisasJumpType is_jmp;
    int num_insns;
    int max_insns;
    bool singlestep;
    /* code fetch bookkeeping (translator_ld*) */
    int code_mmu_idx;        /* set by the guest in init_disas_context */
    uint64_t page_first_v;   /* virtual page of pc_first */
    uint8_t *host_page;      /* host pointer of the first page, or NULL (MMIO/ROMD fetch) */
    /* an instruction other than the first that reaches into the next page
     * is abandoned: the loop drops its ops and ends the block before it */
    jmp_buf insn_abort;
    TCGOp *insn_mark;        /* last op before the current instruction */
    uint64_t insn_pc;        /* pc of the current instruction */
} DisasContextBase;

struct TranslatorOps {
    void (*init_disas_context)(DisasContextBase *db, CPUState *cpu);
    void (*tb_start)(DisasContextBase *db, CPUState *cpu);
    void (*insn_start)(DisasContextBase *db, CPUState *cpu);   /* emit tcg_gen_insn_start */
    void (*translate_insn)(DisasContextBase *db, CPUState *cpu);
    void (*tb_stop)(DisasContextBase *db, CPUState *cpu);
    size_t dc_size;      /* size of the guest's DisasContext (DisasContextBase first) */
};

void translator_loop(CPUState *cpu, TranslationBlock *tb, int max_insns, const TranslatorOps *ops);
/* Fetch guest code bytes for the block being translated. A fetch fault
 * raises the guest exception (only possible for the first instruction:
 * the loop ends a block before an instruction that would cross a page). */
uint8_t translator_ldub_slow(DisasContextBase *db, uint64_t pc);
/* Inline for a byte of the first page in RAM: decoders fetch byte by byte. */
static inline uint8_t translator_ldub(DisasContextBase *db, uint64_t pc)
{
    uint64_t off = pc - db->page_first_v;
    if (db->host_page && off < TARGET_PAGE_SIZE)
        return db->host_page[off];
    return translator_ldub_slow(db, pc);
}
uint16_t translator_lduw(DisasContextBase *db, uint64_t pc);
uint32_t translator_ldl(DisasContextBase *db, uint64_t pc);
uint64_t translator_ldq(DisasContextBase *db, uint64_t pc);
/* Would an instruction starting at pc with at most len bytes stay in the page? */
bool translator_is_same_page(const DisasContextBase *db, uint64_t pc);
/* May the block use goto_tb to reach dest (same guest page, chaining on)? */
bool translator_use_goto_tb(DisasContextBase *db, uint64_t dest);

#endif
