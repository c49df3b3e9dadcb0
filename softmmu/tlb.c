/*
 * The soft TLB's C side: entries filled by the guest's page walker through
 * tlb_set_page(), flushes, and the slow paths generated code and helpers take
 * on a miss, an MMIO page, a ROM write, a page-crossing access or a write to
 * a page holding translated code (TLB_NOTDIRTY).
 * Each mode's table is one allocation: TLB_ENTRIES CPUTLBEntry (way 0 then
 * way 1: the layout generated code reads) followed by TLB_ENTRIES
 * TLBEntryFull (what only C
 * needs: physical page, region, host page), then a small victim TLB: entries
 * evicted by a fill move there, and a miss looks there before walking, so two
 * pages that share an index (a copy between buffers 1 MiB apart) do not
 * thrash the walker. Up to four address-space contexts (tlb_switch_context)
 * each have such tables; cpu->tlb_table points at the current one's, and
 * every flush and code protection walks all of them. Must stay true: a
 * comparator that hits with no flag bits, in any context, means plain RAM
 * at vaddr + addend, writable without any code on the page.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "softmmu/memory.h"
#include "softmmu/tlb.h"

typedef struct TLBEntryFull {
    uint64_t vaddr;       /* virtual page this entry maps, -1 when empty */
    uint64_t paddr;       /* physical page */
    MemoryRegion *mr;     /* region at paddr, NULL when unassigned */
    uint8_t *host;        /* host page (RAM/ROM wholly covering the page), else NULL */
    uint32_t tag;         /* the guest's (tlb_set_page_tagged): 0 survives tlb_flush_tagged */
} TLBEntryFull;

#define CPU_VTLB_SIZE 8
#define TLB_ENTRIES (CPU_TLB_SIZE * CPU_TLB_WAYS)

typedef struct TLBVictim {
    CPUTLBEntry e[CPU_VTLB_SIZE];
    TLBEntryFull f[CPU_VTLB_SIZE];
    unsigned next;        /* round-robin replacement */
    bool used;            /* the mode has had an entry since its last reset */
    /* how many entries above map a page of each TLB index: a miss looks at
     * them only when one can match (most misses are of pages never seen) */
    uint8_t nb_at[CPU_TLB_SIZE];
} TLBVictim;

/* The CPU's watched pages (tlb_set_watch_pages), kept in the trailer of
 * context 0's mode-0 table (below): generated code never reads them. */
typedef struct TLBWatch {
    uint64_t page[CPU_MAX_WATCH_PAGES];
    int n;
} TLBWatch;

static inline TLBEntryFull *tlb_full_table(CPUState *cpu, int mmu_idx)
{
    return (TLBEntryFull *)(cpu->tlb_table[mmu_idx] + TLB_ENTRIES);
}

static inline TLBVictim *tlb_victim(CPUState *cpu, int mmu_idx)
{
    return (TLBVictim *)(tlb_full_table(cpu, mmu_idx) + TLB_ENTRIES);
}

/* Address-space contexts (tlb_switch_context): each has its own tables
 * for every mode; cpu->tlb_table points at the current one's. Slot 0 is
 * allocated by tlb_init, the others on first use. Every flush and code
 * protection applies to all of them (done by pointing cpu->tlb_table at
 * each in turn). The watched pages live after slot 0's mode-0 table. */
#define TLB_NB_CONTEXTS 4
struct TLBContextSet {
    CPUTLBEntry *tables[TLB_NB_CONTEXTS][NB_MMU_MODES];
    uint32_t id[TLB_NB_CONTEXTS];
    uint64_t last_use[TLB_NB_CONTEXTS];
    uint64_t clock;
    int cur;
};

/* What follows each table's victim TLB: the watched pages (used in slot
 * 0's mode-0 table only) and the set the table belongs to, so CPUState
 * keeps its layout (generated code and golden dumps see its offsets). */
typedef struct TLBTrailer {
    TLBWatch watch;
    struct TLBContextSet *set;
} TLBTrailer;

static inline TLBTrailer *tlb_trailer_of(CPUTLBEntry *t)
{
    return (TLBTrailer *)((TLBVictim *)((TLBEntryFull *)(t + TLB_ENTRIES) + TLB_ENTRIES) + 1);
}

static inline struct TLBContextSet *tlb_ctx(CPUState *cpu)
{
    return tlb_trailer_of(cpu->tlb_table[0])->set;
}

static inline TLBWatch *tlb_watch(CPUState *cpu)
{
    return &tlb_trailer_of(tlb_ctx(cpu)->tables[0][0])->watch;
}

#define TLB_EMPTY_FULL ((TLBEntryFull){ .vaddr = ~0ull, .paddr = ~0ull })

static inline unsigned tlb_index(uint64_t addr)
{
    return (unsigned)(addr >> TARGET_PAGE_BITS) & (CPU_TLB_SIZE - 1);
}

static inline bool tlb_hit(uint64_t cmp, uint64_t addr)
{
    return (cmp & (TARGET_PAGE_MASK | TLB_INVALID)) == (addr & TARGET_PAGE_MASK);
}

static inline uint64_t tlb_cmp(const CPUTLBEntry *e, int access)
{
    return access == MMU_DATA_STORE ? e->addr_write
         : access == MMU_INST_FETCH ? e->addr_code : e->addr_read;
}

/* Put an entry (or an empty one) in victim slot k, keeping nb_at exact. */
static void tlb_victim_store(TLBVictim *v, int k, const CPUTLBEntry *e, const TLBEntryFull *f)
{
    if (v->f[k].vaddr != ~0ull)
        v->nb_at[tlb_index(v->f[k].vaddr)]--;
    v->e[k] = *e;
    v->f[k] = *f;
    if (f->vaddr != ~0ull)
        v->nb_at[tlb_index(f->vaddr)]++;
}

static void tlb_reset_mode(CPUState *cpu, int mmu_idx)
{
    memset(cpu->tlb_table[mmu_idx], 0xff, sizeof(CPUTLBEntry) * TLB_ENTRIES);
    TLBEntryFull *f = tlb_full_table(cpu, mmu_idx);
    for (int i = 0; i < TLB_ENTRIES; i++)
        f[i] = TLB_EMPTY_FULL;
    TLBVictim *v = tlb_victim(cpu, mmu_idx);
    memset(v->e, 0xff, sizeof(v->e));
    for (int i = 0; i < CPU_VTLB_SIZE; i++)
        v->f[i] = TLB_EMPTY_FULL;
    v->next = 0;
    v->used = false;
    memset(v->nb_at, 0, sizeof(v->nb_at));
}

static CPUTLBEntry *tlb_alloc_table(struct TLBContextSet *set)
{
    CPUTLBEntry *t = malloc((sizeof(CPUTLBEntry) + sizeof(TLBEntryFull)) * TLB_ENTRIES +
                            sizeof(TLBVictim) + sizeof(TLBTrailer));
    if (!t) {
        fprintf(stderr, "kasou: out of memory for the TLB\n");
        exit(1);
    }
    tlb_trailer_of(t)->set = set;
    tlb_trailer_of(t)->watch.n = 0;
    return t;
}

/* Point cpu->tlb_table at context c of set (false if it has no tables). */
static bool tlb_use_context_of(CPUState *cpu, struct TLBContextSet *set, int c)
{
    if (!set->tables[c][0])
        return false;
    for (int m = 0; m < NB_MMU_MODES; m++)
        cpu->tlb_table[m] = set->tables[c][m];
    return true;
}

void tlb_init(CPUState *cpu)
{
    struct TLBContextSet *set = cpu->tlb_table[0] ? tlb_ctx(cpu) : NULL;
    if (!set) {
        set = calloc(1, sizeof(*set));
        if (!set) {
            fprintf(stderr, "kasou: out of memory for the TLB\n");
            exit(1);
        }
        for (int m = 0; m < NB_MMU_MODES; m++)
            set->tables[0][m] = cpu->tlb_table[m] = tlb_alloc_table(set);
    }
    for (int c = 0; c < TLB_NB_CONTEXTS; c++)
        if (tlb_use_context_of(cpu, set, c))
            for (int m = 0; m < NB_MMU_MODES; m++)
                tlb_reset_mode(cpu, m);
    tlb_use_context_of(cpu, set, set->cur);
}

void tlb_free(CPUState *cpu)
{
    if (!cpu->tlb_table[0])
        return;
    struct TLBContextSet *set = tlb_ctx(cpu);
    for (int m = 0; m < NB_MMU_MODES; m++) {
        for (int c = 0; c < TLB_NB_CONTEXTS; c++)
            free(set->tables[c][m]);
        cpu->tlb_table[m] = NULL;
    }
    free(set);
}

void tlb_flush(CPUState *cpu)
{
    struct TLBContextSet *set = tlb_ctx(cpu);
    for (int c = 0; c < TLB_NB_CONTEXTS; c++)
        if (tlb_use_context_of(cpu, set, c))
            for (int m = 0; m < NB_MMU_MODES; m++)
                tlb_reset_mode(cpu, m);
    tlb_use_context_of(cpu, set, set->cur);
    cpu->tlb_flush_count++;
    tb_jmp_cache_clear(cpu);
}

void tlb_flush_by_mmuidx(CPUState *cpu, uint16_t idxmap)
{
    struct TLBContextSet *set = tlb_ctx(cpu);
    for (int c = 0; c < TLB_NB_CONTEXTS; c++)
        if (tlb_use_context_of(cpu, set, c))
            for (int m = 0; m < NB_MMU_MODES; m++)
                if (idxmap & (1u << m))
                    tlb_reset_mode(cpu, m);
    tlb_use_context_of(cpu, set, set->cur);
    cpu->tlb_flush_count++;
    tb_jmp_cache_clear(cpu);
}

bool tlb_switch_context(CPUState *cpu, uint32_t id)
{
    struct TLBContextSet *set = tlb_ctx(cpu);
    set->last_use[set->cur] = ++set->clock;
    if (set->id[set->cur] == id)
        return true;
    int pick = -1, lru = 0;
    for (int c = 0; c < TLB_NB_CONTEXTS; c++) {
        if (set->tables[c][0] && set->id[c] == id)
            pick = c;
        if (set->last_use[c] < set->last_use[lru])
            lru = c;
    }
    bool kept = pick >= 0;
    if (!kept) {
        /* the least recently used slot (an unallocated one first) */
        pick = lru;
        for (int m = 0; m < NB_MMU_MODES; m++)
            if (!set->tables[pick][m])
                set->tables[pick][m] = tlb_alloc_table(set);
        set->id[pick] = id;
        tlb_use_context_of(cpu, set, pick);
        for (int m = 0; m < NB_MMU_MODES; m++)
            tlb_reset_mode(cpu, m);
    }
    set->cur = pick;
    set->last_use[pick] = ++set->clock;
    tlb_use_context_of(cpu, set, pick);
    /* the jump cache is by virtual pc: the other space may map it elsewhere */
    tb_jmp_cache_clear(cpu);
    return kept;
}

void tlb_flush_context(CPUState *cpu, uint32_t id)
{
    struct TLBContextSet *set = tlb_ctx(cpu);
    for (int c = 0; c < TLB_NB_CONTEXTS; c++) {
        if (set->id[c] != id || !tlb_use_context_of(cpu, set, c))
            continue;
        for (int m = 0; m < NB_MMU_MODES; m++)
            tlb_reset_mode(cpu, m);
    }
    tlb_use_context_of(cpu, set, set->cur);
    cpu->tlb_flush_count++;
    tb_jmp_cache_clear(cpu);
}

/* Drop the entries of every mode whose page lies in [start, start + len)
 * and, when tagged_only, that were entered with a non-zero tag: one pass
 * over the tables (skipping modes with no entry). */
static void tlb_flush_matching(CPUState *cpu, uint64_t start, uint64_t len, bool tagged_only)
{
    struct TLBContextSet *set = tlb_ctx(cpu);
    for (int c = 0; c < TLB_NB_CONTEXTS; c++)
    for (int m = 0; tlb_use_context_of(cpu, set, c) && m < NB_MMU_MODES; m++) {
        TLBVictim *v = tlb_victim(cpu, m);
        if (!v->used)
            continue;
        TLBEntryFull *f = tlb_full_table(cpu, m);
        CPUTLBEntry *e = cpu->tlb_table[m];
        for (int i = 0; i < TLB_ENTRIES + CPU_VTLB_SIZE; i++) {
            TLBEntryFull *fi = i < TLB_ENTRIES ? &f[i] : &v->f[i - TLB_ENTRIES];
            if (fi->vaddr == ~0ull || fi->vaddr - start >= len || (tagged_only && !fi->tag))
                continue;
            memset(i < TLB_ENTRIES ? &e[i] : &v->e[i - TLB_ENTRIES], 0xff, sizeof(CPUTLBEntry));
            *fi = TLB_EMPTY_FULL;
        }
    }
    tlb_use_context_of(cpu, set, set->cur);
    cpu->tlb_flush_count++;
    tb_jmp_cache_clear(cpu);
}

void tlb_flush_range(CPUState *cpu, uint64_t vaddr, uint64_t len)
{
    uint64_t start = vaddr & TARGET_PAGE_MASK;
    if (len <= TARGET_PAGE_SIZE && (vaddr & ~TARGET_PAGE_MASK) + len <= TARGET_PAGE_SIZE) {
        tlb_flush_page(cpu, vaddr);
        return;
    }
    tlb_flush_matching(cpu, start, vaddr + len - start, false);
}

void tlb_flush_tagged(CPUState *cpu)
{
    tlb_flush_matching(cpu, 0, ~0ull, true);
}

void tlb_flush_page(CPUState *cpu, uint64_t vaddr)
{
    struct TLBContextSet *set = tlb_ctx(cpu);
    uint64_t page = vaddr & TARGET_PAGE_MASK;
    for (int c = 0; c < TLB_NB_CONTEXTS; c++)
    for (int m = 0; tlb_use_context_of(cpu, set, c) && m < NB_MMU_MODES; m++) {
        for (unsigned i = tlb_index(vaddr); i < TLB_ENTRIES; i += CPU_TLB_SIZE) {
            TLBEntryFull *f = &tlb_full_table(cpu, m)[i];
            if (f->vaddr == page) {
                memset(&cpu->tlb_table[m][i], 0xff, sizeof(CPUTLBEntry));
                *f = TLB_EMPTY_FULL;
            }
        }
        TLBVictim *v = tlb_victim(cpu, m);
        for (int k = 0; k < CPU_VTLB_SIZE; k++) {
            if (v->f[k].vaddr == page) {
                CPUTLBEntry none;
                memset(&none, 0xff, sizeof(none));
                tlb_victim_store(v, k, &none, &TLB_EMPTY_FULL);
            }
        }
    }
    tlb_use_context_of(cpu, set, set->cur);
    /* The jump cache is by virtual pc: a block on this page (or one
     * straddling into it) may now map elsewhere. */
    tb_jmp_cache_clear_page(cpu, page);
}

void tlb_set_page(CPUState *cpu, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx)
{
    tlb_set_page_tagged(cpu, vaddr, paddr, prot, mmu_idx, 0);
}

void tlb_set_page_tagged(CPUState *cpu, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx, uint32_t tag)
{
    if ((unsigned)mmu_idx >= NB_MMU_MODES)
        return;
    uint64_t vpage = vaddr & TARGET_PAGE_MASK, ppage = paddr & TARGET_PAGE_MASK;
    unsigned i = tlb_index(vaddr);
    CPUTLBEntry *e = &cpu->tlb_table[mmu_idx][i];
    TLBEntryFull *f = &tlb_full_table(cpu, mmu_idx)[i];
    /* Only a page wholly inside one RAM/ROM range is accessed directly;
     * anything else (MMIO, unassigned, a page shared with a device) goes
     * through the memory map one access at a time. */
    uint8_t *host;
    bool has_code;
    MemoryRegion *mr = address_space_lookup_host(cpu->as, ppage, TARGET_PAGE_SIZE, &host, &has_code);
    uint64_t flags = host ? 0 : TLB_MMIO;
    /* The access that missed usually comes next and misses the host cache
     * too (a new page): start that load while the entry is written. */
    if (host)
        __builtin_prefetch(host + (vaddr & ~TARGET_PAGE_MASK));

    tlb_victim(cpu, mmu_idx)->used = true;
    CPUTLBEntry *e1 = e + CPU_TLB_SIZE;
    TLBEntryFull *f1 = f + CPU_TLB_SIZE;
    if (f1->vaddr == vpage) {          /* an older copy in way 1 goes */
        memset(e1, 0xff, sizeof(*e1));
        *f1 = TLB_EMPTY_FULL;
    }
    if (f->vaddr != ~0ull && f->vaddr != vpage) {
        /* way 0 moves to way 1, and what way 1 held to the victim TLB */
        if (f1->vaddr != ~0ull) {
            TLBVictim *v = tlb_victim(cpu, mmu_idx);
            tlb_victim_store(v, (int)v->next, e1, f1);
            v->next = (v->next + 1) % CPU_VTLB_SIZE;
        }
        *e1 = *e;
        *f1 = *f;
    }
    f->vaddr = vpage;
    f->paddr = ppage;
    f->mr = mr;
    f->host = host;
    f->tag = tag;
    e->addend = host ? (uintptr_t)host - (uintptr_t)vpage : 0;
    e->addr_code = (prot & PAGE_EXEC) ? vpage | flags : ~0ull;
    TLBWatch *watch = tlb_watch(cpu);
    for (int w = 0; w < watch->n; w++) {
        if (watch->page[w] == vpage)
            flags |= TLB_WATCH;    /* data only: fetches are not watched */
    }
    if (prot & PAGE_ALIGNED)
        flags |= TLB_ALIGNED;      /* data only, like watchpoints */
    e->addr_read = (prot & PAGE_READ) ? vpage | flags : ~0ull;
    if (!(prot & PAGE_WRITE) || (mr && mr->kind == MR_ROM && host)) {
        e->addr_write = ~0ull;     /* ROM: the slow path drops the write */
    } else {
        if (has_code)
            flags |= TLB_NOTDIRTY;
        e->addr_write = vpage | flags;
    }
}

void tlb_set_watch_pages(CPUState *cpu, const uint64_t *vaddrs, int n)
{
    if (!cpu->tlb_table[0])
        return;
    TLBWatch *watch = tlb_watch(cpu);
    if (n > CPU_MAX_WATCH_PAGES)
        n = CPU_MAX_WATCH_PAGES;
    bool same = n == watch->n;
    for (int i = 0; i < n; i++) {
        same &= watch->page[i] == (vaddrs[i] & TARGET_PAGE_MASK);
        watch->page[i] = vaddrs[i] & TARGET_PAGE_MASK;
    }
    watch->n = n;
    if (!same)
        tlb_flush(cpu);
}

/* Every writable mapping of the page, in every mode, must now trap to C.
 * (The opposite, when a page loses its code, is lazy: each NOTDIRTY entry
 * clears itself on its next write, see tlb_notdirty_write.) */
void tlb_protect_code_page(CPUState *cpu, uint64_t paddr)
{
    struct TLBContextSet *set = tlb_ctx(cpu);
    uint64_t ppage = paddr & TARGET_PAGE_MASK;
    for (int c = 0; c < TLB_NB_CONTEXTS; c++)
    for (int m = 0; tlb_use_context_of(cpu, set, c) && m < NB_MMU_MODES; m++) {
        TLBEntryFull *f = tlb_full_table(cpu, m);
        CPUTLBEntry *e = cpu->tlb_table[m];
        TLBVictim *v = tlb_victim(cpu, m);
        if (!v->used)
            continue;
        for (int i = 0; i < TLB_ENTRIES + CPU_VTLB_SIZE; i++) {
            TLBEntryFull *fi = i < TLB_ENTRIES ? &f[i] : &v->f[i - TLB_ENTRIES];
            CPUTLBEntry *ei = i < TLB_ENTRIES ? &e[i] : &v->e[i - TLB_ENTRIES];
            if (fi->paddr == ppage && !(ei->addr_write & TLB_INVALID))
                ei->addr_write |= TLB_NOTDIRTY;
        }
    }
    tlb_use_context_of(cpu, set, set->cur);
}

/* On a miss: an entry evicted earlier may still be in the victim TLB; swap
 * it back into its slot instead of walking the page tables again. */
static bool tlb_victim_hit(CPUState *cpu, unsigned i, uint64_t addr, int access, int mmu_idx)
{
    TLBVictim *v = tlb_victim(cpu, mmu_idx);
    if (!v->nb_at[i])
        return false;
    uint64_t page = addr & TARGET_PAGE_MASK;
    for (int k = 0; k < CPU_VTLB_SIZE; k++) {
        if (v->f[k].vaddr != page || !tlb_hit(tlb_cmp(&v->e[k], access), addr))
            continue;
        CPUTLBEntry *e = &cpu->tlb_table[mmu_idx][i], te = *e;
        TLBEntryFull *f = &tlb_full_table(cpu, mmu_idx)[i], tf = *f;
        *e = v->e[k];
        *f = v->f[k];
        tlb_victim_store(v, k, &te, &tf);
        return true;
    }
    return false;
}

/* Make the entry for addr usable for access, asking the guest's walker on a
 * miss (which raises the guest fault and does not return if there is one).
 * Returns the entry's index in the table (way 1 entries are CPU_TLB_SIZE
 * up); *hit tells whether the comparator now hits (a
 * ROM write never does). */
static unsigned tlb_fill_entry(CPUState *cpu, uint64_t addr, int size, int access, int mmu_idx,
                               uintptr_t retaddr, bool *hit)
{
    unsigned i = tlb_index(addr);
    CPUTLBEntry *e = &cpu->tlb_table[mmu_idx][i];
    if (tlb_hit(tlb_cmp(e + CPU_TLB_SIZE, access), addr)) {
        *hit = true;
        return i + CPU_TLB_SIZE;
    }
    if (!tlb_hit(tlb_cmp(e, access), addr) && !tlb_victim_hit(cpu, i, addr, access, mmu_idx)) {
        cpu->ops->tlb_fill(cpu, addr, size, access, mmu_idx, false, retaddr);
        *hit = tlb_hit(tlb_cmp(e, access), addr);
    } else {
        *hit = true;
    }
    return i;
}

/* -d trap: one line per device (MMIO) access, naming the region and,
 * when the device gives one, the register. The name is taken before the
 * access: a read may change what the register means. */
static void tlb_mmio_name(CPUState *cpu, uint64_t paddr, bool is_write, char *buf, size_t n)
{
    MemoryRegion *mr = address_space_lookup(cpu->as, paddr);
    const char *name = mr && mr->name ? mr->name : "nothing";
    const char *reg = mr && mr->ops && mr->ops->reg_name
                      ? mr->ops->reg_name(mr->opaque, paddr - mr->base, is_write) : NULL;
    snprintf(buf, n, "%s%s%s", name, reg ? " " : "", reg ? reg : "");
}

/* One access that stays within a page. */
static uint64_t tlb_ld_page(CPUState *cpu, uint64_t addr, unsigned size, int access, int mmu_idx,
                            uintptr_t retaddr)
{
    bool hit;
    unsigned i = tlb_fill_entry(cpu, addr, (int)size, access, mmu_idx, retaddr, &hit);
    CPUTLBEntry *e = &cpu->tlb_table[mmu_idx][i];
    TLBEntryFull *f = &tlb_full_table(cpu, mmu_idx)[i];
    uint64_t cmp = tlb_cmp(e, access);
    if (hit && (cmp & TLB_WATCH) && cpu->ops->watch_hit)
        cpu->ops->watch_hit(cpu, addr, size, access);
    if (hit && !(cmp & TLB_MMIO)) {
        uint64_t v = 0;
        memcpy(&v, (uint8_t *)(uintptr_t)(addr + e->addend), size);
        return v;
    }
    if (f->vaddr != (addr & TARGET_PAGE_MASK))
        return ~0ull;     /* the walker filled nothing: behave as unassigned */
    uint64_t paddr = f->paddr | (addr & ~TARGET_PAGE_MASK);
    if (!cpu_log_enabled(cpu, LOG_TRAP))
        return address_space_ldn(cpu->as, paddr, size, NULL);
    char dev[80];
    tlb_mmio_name(cpu, paddr, false, dev, sizeof(dev));
    uint64_t v = address_space_ldn(cpu->as, paddr, size, NULL);
    cpu_log(cpu, "trap: MMIO read%u 0x%" PRIx64 ": 0x%" PRIx64 " from %s\n", size * 8, paddr, v, dev);
    return v;
}

/* A write to a page holding translated code: drop those blocks first. If
 * the write lands in the rest of the block doing it, the TB layer unwinds
 * and replays the store alone in its block (so this may not return);
 * otherwise the running block goes on (its own bytes did not change) and
 * cpu->exit_request sends the CPU back to the loop at the next block. */
static void tlb_notdirty_write(CPUState *cpu, CPUTLBEntry *e, TLBEntryFull *f, uint64_t addr,
                               unsigned size, uintptr_t retaddr)
{
    if (memory_page_has_code(cpu->as, f->paddr))
        tb_invalidate_phys_page_write(cpu, f->paddr | (addr & ~TARGET_PAGE_MASK), size, retaddr);
    /* No code left: this entry's writes may take the fast path again.
     * Other entries mapping the page clear themselves on their next write;
     * scanning the TLB here would be wasted when the page is translated
     * again at once (a self-modifying loop). */
    if (!memory_page_has_code(cpu->as, f->paddr))
        e->addr_write &= ~(uint64_t)TLB_NOTDIRTY;
}

static void tlb_st_page(CPUState *cpu, uint64_t addr, uint64_t val, unsigned size, int mmu_idx,
                        uintptr_t retaddr)
{
    bool hit;
    unsigned i = tlb_fill_entry(cpu, addr, (int)size, MMU_DATA_STORE, mmu_idx, retaddr, &hit);
    CPUTLBEntry *e = &cpu->tlb_table[mmu_idx][i];
    TLBEntryFull *f = &tlb_full_table(cpu, mmu_idx)[i];
    uint64_t cmp = e->addr_write;
    if (hit && (cmp & TLB_WATCH) && cpu->ops->watch_hit)
        cpu->ops->watch_hit(cpu, addr, size, MMU_DATA_STORE);
    if (hit && !(cmp & TLB_MMIO)) {
        if (cmp & TLB_NOTDIRTY)
            tlb_notdirty_write(cpu, e, f, addr, size, retaddr);
        memcpy((uint8_t *)(uintptr_t)(addr + e->addend), &val, size);
        return;
    }
    if (f->vaddr != (addr & TARGET_PAGE_MASK))
        return;
    if (f->mr && f->mr->kind == MR_ROM && f->host)
        return;           /* writes to ROM are ignored */
    uint64_t paddr = f->paddr | (addr & ~TARGET_PAGE_MASK);
    if (cpu_log_enabled(cpu, LOG_TRAP)) {
        char dev[80];
        tlb_mmio_name(cpu, paddr, true, dev, sizeof(dev));
        cpu_log(cpu, "trap: MMIO write%u 0x%" PRIx64 ", 0x%" PRIx64 ": written to %s\n", size * 8, paddr,
                (uint64_t)(val & (~0ull >> (64 - 8 * size))), dev);
    }
    address_space_stn(cpu->as, paddr, val, size, NULL);
}

static uint64_t tlb_sext(uint64_t v, MemOp mop)
{
    switch (mop & (MO_SIZE | MO_SIGN)) {
    case MO_SB: return (uint64_t)(int64_t)(int8_t)v;
    case MO_SW: return (uint64_t)(int64_t)(int16_t)v;
    case MO_SL: return (uint64_t)(int64_t)(int32_t)v;
    default: return v;
    }
}

/* Does the page of addr demand aligned accesses (TLB_ALIGNED)? Fills the
 * entry, so a translation fault comes first. */
static bool tlb_page_wants_align(CPUState *cpu, uint64_t addr, int access, int mmu_idx, uintptr_t retaddr)
{
    bool hit;
    unsigned i = tlb_fill_entry(cpu, addr, 1, access, mmu_idx, retaddr, &hit);
    return hit && (tlb_cmp(&cpu->tlb_table[mmu_idx][i], access) & TLB_ALIGNED);
}

/* An unaligned access that must fault goes to the guest's hook: with
 * MO_ALIGN before translating (the memop alone decides), else when a page
 * it touches is TLB_ALIGNED. Aligned accesses cost one test. */
static void tlb_check_align(CPUState *cpu, uint64_t addr, unsigned size, MemOp mop, int access, int mmu_idx,
                            uintptr_t retaddr)
{
    if (!(addr & (size - 1)) || !cpu->ops->unaligned_access)
        return;
    if (!(mop & MO_ALIGN)) {
        /* a second page is checked at its start, where the bytewise
         * access would fault */
        uint64_t page2 = (addr + size - 1) & TARGET_PAGE_MASK;
        if (!tlb_page_wants_align(cpu, addr, access, mmu_idx, retaddr) &&
            (page2 == (addr & TARGET_PAGE_MASK) || !tlb_page_wants_align(cpu, page2, access, mmu_idx, retaddr)))
            return;
    }
    cpu->ops->unaligned_access(cpu, addr, size, access, mmu_idx, retaddr);
}

static uint64_t tlb_load(CPUState *cpu, uint64_t addr, MemOp mop, int mmu_idx, int access,
                         uintptr_t retaddr)
{
    unsigned size = 1u << (mop & MO_SIZE);
    uint64_t v;
    tlb_check_align(cpu, addr, size, mop, access, mmu_idx, retaddr);
    if ((addr & ~TARGET_PAGE_MASK) + size > TARGET_PAGE_SIZE) {
        v = 0;
        for (unsigned b = 0; b < size; b++)
            v |= tlb_ld_page(cpu, addr + b, 1, access, mmu_idx, retaddr) << (8 * b);
    } else {
        v = tlb_ld_page(cpu, addr, size, access, mmu_idx, retaddr);
    }
    return tlb_sext(v, mop);
}

static void tlb_store(CPUState *cpu, uint64_t addr, uint64_t val, MemOp mop, int mmu_idx,
                      uintptr_t retaddr)
{
    unsigned size = 1u << (mop & MO_SIZE);
    tlb_check_align(cpu, addr, size, mop, MMU_DATA_STORE, mmu_idx, retaddr);
    if ((addr & ~TARGET_PAGE_MASK) + size > TARGET_PAGE_SIZE) {
        /* Both pages must be writable before any byte lands, so a fault on
         * the second page leaves memory untouched. */
        uint64_t second = (addr & TARGET_PAGE_MASK) + TARGET_PAGE_SIZE;
        bool hit;
        tlb_fill_entry(cpu, addr, 1, MMU_DATA_STORE, mmu_idx, retaddr, &hit);
        tlb_fill_entry(cpu, second, 1, MMU_DATA_STORE, mmu_idx, retaddr, &hit);
        for (unsigned b = 0; b < size; b++)
            tlb_st_page(cpu, addr + b, (val >> (8 * b)) & 0xff, 1, mmu_idx, retaddr);
    } else {
        tlb_st_page(cpu, addr, val, size, mmu_idx, retaddr);
    }
}

uint64_t helper_ld_mmu(CPUState *cpu, uint64_t addr, uint32_t memop_idx, uintptr_t retaddr)
{
    return tlb_load(cpu, addr, (MemOp)(memop_idx & 0xff), (int)(memop_idx >> 8), MMU_DATA_LOAD, retaddr);
}

void helper_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, uint32_t memop_idx, uintptr_t retaddr)
{
    tlb_store(cpu, addr, val, (MemOp)(memop_idx & 0xff), (int)(memop_idx >> 8), retaddr);
}

uint64_t cpu_ld_mmu(CPUState *cpu, uint64_t addr, MemOp mop, int mmu_idx, uintptr_t retaddr)
{
    return tlb_load(cpu, addr, mop, mmu_idx, MMU_DATA_LOAD, retaddr);
}

void cpu_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, MemOp mop, int mmu_idx, uintptr_t retaddr)
{
    tlb_store(cpu, addr, val, mop, mmu_idx, retaddr);
}

uint8_t *tlb_get_code_page(CPUState *cpu, uint64_t vaddr, int mmu_idx, uint64_t *paddr)
{
    bool hit;
    unsigned i = tlb_fill_entry(cpu, vaddr, 1, MMU_INST_FETCH, mmu_idx, 0, &hit);
    TLBEntryFull *f = &tlb_full_table(cpu, mmu_idx)[i];
    if (f->vaddr != (vaddr & TARGET_PAGE_MASK)) {
        *paddr = ~0ull;      /* the walker filled nothing: reads as unassigned */
        return NULL;
    }
    *paddr = f->paddr;
    return f->host;
}

uint64_t tlb_probe_phys(CPUState *cpu, uint64_t vaddr, int access_type, int mmu_idx)
{
    if (mmu_idx < 0 || mmu_idx >= NB_MMU_MODES)
        return ~0ull;
    unsigned i = tlb_index(vaddr);
    CPUTLBEntry *e = &cpu->tlb_table[mmu_idx][i];
    TLBEntryFull *f = &tlb_full_table(cpu, mmu_idx)[i];
    if (!tlb_hit(tlb_cmp(e, access_type), vaddr)) {
        if (!cpu->ops->tlb_fill(cpu, vaddr, 1, access_type, mmu_idx, true, 0))
            return ~0ull;
        if (f->vaddr != (vaddr & TARGET_PAGE_MASK))
            return ~0ull;
    }
    return f->paddr | (vaddr & ~TARGET_PAGE_MASK);
}

/* Only a comparator equal to the page (no flag bits) means plain RAM. */
static uint8_t *tlb_host_ptr_cached(CPUState *cpu, uint64_t vaddr, int access_type, int mmu_idx)
{
    uint64_t page = vaddr & TARGET_PAGE_MASK;
    for (unsigned i = tlb_index(vaddr); i < TLB_ENTRIES; i += CPU_TLB_SIZE) {
        const CPUTLBEntry *e = &cpu->tlb_table[mmu_idx][i];
        if (tlb_cmp(e, access_type) == page)
            return (uint8_t *)(uintptr_t)(vaddr + e->addend);
    }
    return NULL;
}

uint8_t *tlb_host_ptr(CPUState *cpu, uint64_t vaddr, int access_type, int mmu_idx)
{
    if (mmu_idx < 0 || mmu_idx >= NB_MMU_MODES)
        return NULL;
    uint8_t *h = tlb_host_ptr_cached(cpu, vaddr, access_type, mmu_idx);
    if (h || tlb_probe_phys(cpu, vaddr, access_type, mmu_idx) == ~0ull)
        return h;
    return tlb_host_ptr_cached(cpu, vaddr, access_type, mmu_idx);
}
