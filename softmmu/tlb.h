/*
 * The soft TLB's C side: filling entries after a page walk, flushing, and the
 * slow paths generated code calls on a miss (or MMIO, or a write to a page
 * holding code). Entries live in CPUState (tcg/cpu.h) so generated code can
 * compare inline.
 */
#ifndef SOFTMMU_TLB_H
#define SOFTMMU_TLB_H

#include "tcg/cpu.h"

/* PAGE_ALIGNED (tlb_set_page): data accesses to the page must be aligned to
 * their size, whatever their MemOp says (a guest's device memory type). */
enum { PAGE_READ = 1, PAGE_WRITE = 2, PAGE_EXEC = 4, PAGE_ALIGNED = 8 };

void tlb_init(CPUState *cpu);
void tlb_free(CPUState *cpu);
/* Install vaddr -> paddr for one page of size 1 << TARGET_PAGE_BITS (larger
 * guest pages are entered a 4 KiB page at a time). Both are masked to the
 * page; a walker may pass the address that missed as vaddr, whose host cache
 * line is then prefetched for the access that follows. */
void tlb_set_page(CPUState *cpu, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx);
/* The same with a guest-defined tag kept in the entry (0 = untagged). */
void tlb_set_page_tagged(CPUState *cpu, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx,
                         uint32_t tag);
void tlb_flush(CPUState *cpu);                       /* every mode, every entry */
/* Every mode's entries for the pages [vaddr, vaddr + len) touches (a guest
 * page larger than 4 KiB is entered a piece at a time). */
void tlb_flush_range(CPUState *cpu, uint64_t vaddr, uint64_t len);
/* Every mode's entries entered with a non-zero tag (an address-space
 * switch that keeps the guest's global mappings). */
void tlb_flush_tagged(CPUState *cpu);
/* Address-space contexts: make the TLB of context id (a guest's ASID,
 * PCID...) current, keeping the one left so a later switch back finds its
 * entries (the 4 most recent are kept). True if id's entries were kept.
 * Every flush above applies to every context; tlb_flush_context empties
 * only id's. */
bool tlb_switch_context(CPUState *cpu, uint32_t id);
void tlb_flush_context(CPUState *cpu, uint32_t id);
void tlb_flush_page(CPUState *cpu, uint64_t vaddr);  /* every mode */
void tlb_flush_by_mmuidx(CPUState *cpu, uint16_t idxmap);
/* After a page gained code: make its write comparators take the slow path. */
void tlb_protect_code_page(CPUState *cpu, uint64_t paddr);
/* Data accesses to these virtual pages (at most CPU_MAX_WATCH_PAGES) take
 * the slow path, which calls cpu->ops->watch_hit first; flushes the TLB
 * when the set changes. */
void tlb_set_watch_pages(CPUState *cpu, const uint64_t *vaddrs, int n);

/* Slow paths, called from generated code and the interpreter. memop and
 * mmu_idx as in qemu_ld/qemu_st; retaddr locates the guest instruction for
 * precise faults (0 = state already exact). */
uint64_t helper_ld_mmu(CPUState *cpu, uint64_t addr, uint32_t memop_idx, uintptr_t retaddr);
void helper_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, uint32_t memop_idx, uintptr_t retaddr);
#define MEMOP_IDX(memop, mmu_idx) (((uint32_t)(mmu_idx) << 8) | (uint32_t)(memop))

/* C-side guest virtual accesses for helpers (string ops, descriptor loads,
 * interrupt delivery): same semantics as qemu_ld/qemu_st. */
uint64_t cpu_ld_mmu(CPUState *cpu, uint64_t addr, MemOp mop, int mmu_idx, uintptr_t retaddr);
void cpu_st_mmu(CPUState *cpu, uint64_t addr, uint64_t val, MemOp mop, int mmu_idx, uintptr_t retaddr);
/* Code fetch for the translator: host pointer to the page holding vaddr (and
 * its physical address), filling the TLB; NULL host if not RAM/ROM. Raises
 * the guest's fetch fault if unmapped. Both the host pointer and *paddr are
 * those of the page start (vaddr & TARGET_PAGE_MASK). */
uint8_t *tlb_get_code_page(CPUState *cpu, uint64_t vaddr, int mmu_idx, uint64_t *paddr);
/* Translate without side effects for debuggers and loggers: -1 if unmapped.
 * Returns the physical address of vaddr itself (page offset included); may
 * fill the TLB (tlb_fill with probe=true), never raises. */
uint64_t tlb_probe_phys(CPUState *cpu, uint64_t vaddr, int access_type, int mmu_idx);
/* Host pointer to vaddr for a bulk access (string instructions) when the
 * page is plain RAM the guest may access that way: either TLB way or a
 * non-faulting walk (which sets the accessed/dirty bits the access would).
 * NULL for MMIO, ROM writes, pages holding code (writes), or unmapped:
 * then the caller goes through cpu_ld_mmu/cpu_st_mmu, which fault. */
uint8_t *tlb_host_ptr(CPUState *cpu, uint64_t vaddr, int access_type, int mmu_idx);

#endif
