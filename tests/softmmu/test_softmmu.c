/*
 * Unit tests of softmmu/: the memory map (lookups, overlapping priorities,
 * aliases), MMIO access splitting and widening, bounds-checked copies that
 * refuse out-of-range ranges without touching memory, ROM write refusal,
 * and the soft TLB (fill/hit/flush, MMIO and ROM entries, page-crossing
 * accesses, code-page write tracking, the alignment hook, tagged and range
 * flushes) driven by a fake guest whose page walker maps virtual = physical. The TB layer is stubbed: the stubs record
 * what softmmu asked of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "softmmu/memory.h"
#include "softmmu/tlb.h"

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

/* ---- stubs for the TB layer ---- */
static int stub_invalidations;
static uint64_t stub_last_invalidated = ~0ull;
static int stub_jmp_cache_clears;
static AddressSpace *stub_as;

bool tb_invalidate_phys_page(CPUState *cpu, uint64_t paddr)
{
    stub_invalidations++;
    stub_last_invalidated = paddr & TARGET_PAGE_MASK;
    memory_set_code_page(cpu ? cpu->as : stub_as, paddr, false);
    return false;
}

void tb_invalidate_phys_page_write(CPUState *cpu, uint64_t paddr, unsigned len, uintptr_t retaddr)
{
    tb_invalidate_phys_page(cpu, paddr);
}

void tb_jmp_cache_clear(CPUState *cpu)
{
    stub_jmp_cache_clears++;
}

/* the page filter is the TB layer's: here every page flush clears */
void tb_jmp_cache_clear_page(CPUState *cpu, uint64_t vaddr)
{
    tb_jmp_cache_clear(cpu);
}

/* ---- a device that logs its accesses ---- */
typedef struct Access { bool write; uint64_t addr, val; unsigned size; } Access;
typedef struct LogDev { Access log[32]; int n; uint8_t regs[64]; } LogDev;

static uint64_t logdev_read(void *opaque, uint64_t addr, unsigned size)
{
    LogDev *d = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)d->regs[(addr + i) & 63] << (8 * i);
    if (d->n < 32)
        d->log[d->n++] = (Access){ false, addr, v, size };
    return v;
}

static void logdev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    LogDev *d = opaque;
    for (unsigned i = 0; i < size; i++)
        d->regs[(addr + i) & 63] = (uint8_t)(val >> (8 * i));
    if (d->n < 32)
        d->log[d->n++] = (Access){ true, addr, val, size };
}

static const MemoryRegionOps logdev_any = { logdev_read, logdev_write, 0, 0 };
static const MemoryRegionOps logdev_max2 = { logdev_read, logdev_write, 1, 2 };
static const MemoryRegionOps logdev_min4 = { logdev_read, logdev_write, 4, 4 };

static void test_map(void)
{
    AddressSpace *as = address_space_new("mem");
    MemoryRegion *ram = memory_region_add_ram(as, "ram", 0, 0x100000);
    LogDev dev = { 0 };
    MemoryRegion *mmio = memory_region_add_mmio(as, "dev", 0x10000000, 0x100, &logdev_any, &dev, 0);
    check(ram && mmio, "map: regions created", "ram=%p mmio=%p", (void *)ram, (void *)mmio);
    check(address_space_lookup(as, 0) == ram && address_space_lookup(as, 0xfffff) == ram,
          "map: lookup RAM edges", "wrong region");
    check(address_space_lookup(as, 0x100000) == NULL, "map: lookup past RAM is unassigned", "got a region");
    check(address_space_lookup(as, 0x100000ff) == mmio && address_space_lookup(as, 0x10000100) == NULL,
          "map: lookup MMIO edges", "wrong region");
    /* repeated lookups in alternating places exercise the last-hit cache */
    bool ok = true;
    for (int i = 0; i < 100; i++)
        ok &= address_space_lookup(as, (i & 1) ? 0x10000010 : 0x5000) == ((i & 1) ? mmio : ram);
    check(ok, "map: alternating lookups", "cache returned a stale region");
    check(memory_region_add_ram(as, "bad", 0x200000, 0x1234) == NULL, "map: unaligned RAM refused", "created");

    /* overlaps */
    LogDev hi = { 0 }, lo = { 0 };
    MemoryRegion *over_hi = memory_region_add_mmio(as, "hi", 0x8000, 0x1000, &logdev_any, &hi, 1);
    MemoryRegion *over_lo = memory_region_add_mmio(as, "lo", 0x20000, 0x1000, &logdev_any, &lo, -1);
    check(address_space_lookup(as, 0x8000) == over_hi && address_space_lookup(as, 0x8fff) == over_hi &&
          address_space_lookup(as, 0x7fff) == ram && address_space_lookup(as, 0x9000) == ram,
          "map: higher priority region wins its range", "wrong region around 0x8000");
    check(address_space_lookup(as, 0x20010) == ram && over_lo,
          "map: lower priority region stays hidden", "lookup 0x20010 gave %s",
          address_space_lookup(as, 0x20010) ? address_space_lookup(as, 0x20010)->name : "none");
    MemoryRegion *rom = memory_region_add_rom(as, "bios", 0xf0000, 0x10000);
    check(address_space_lookup(as, 0xf8000) == rom && address_space_lookup(as, 0xeffff) == ram,
          "map: equal priority, later region wins", "wrong region at 0xf8000");
    check(address_space_host_ptr(as, 0x1000, 0x100) == ram->host + 0x1000 &&
          address_space_host_ptr(as, 0x7f00, 0x200) == NULL,
          "map: host pointer only for a range inside one RAM piece", "wrong host pointer");

    /* aliases */
    MemoryRegion *al = memory_region_add_alias(as, "ram-alias", 0x40000000, ram, 0x3000, 0x2000);
    uint32_t v = 0xdeadbeef;
    address_space_write(as, 0x40000010, &v, 4);
    uint32_t back = 0;
    memcpy(&back, ram->host + 0x3010, 4);
    check(al && back == 0xdeadbeef, "map: RAM alias shares the backing", "read 0x%x", back);
    MemoryRegion *mal = memory_region_add_alias(as, "dev-alias", 0x50000000, mmio, 0x10, 0x10);
    dev.n = 0;
    address_space_ldn(as, 0x50000004, 1, NULL);
    check(mal && dev.n == 1 && dev.log[0].addr == 0x14, "map: MMIO alias forwards with its offset",
          "n=%d addr=0x%llx", dev.n, (unsigned long long)dev.log[0].addr);
    address_space_free(as);
}

static void test_mmio_sizes(void)
{
    AddressSpace *as = address_space_new("mem");
    LogDev d2 = { 0 }, d4 = { 0 };
    for (int i = 0; i < 64; i++)
        d2.regs[i] = d4.regs[i] = (uint8_t)(0x10 + i);
    memory_region_add_mmio(as, "max2", 0x1000, 0x40, &logdev_max2, &d2, 0);
    memory_region_add_mmio(as, "min4", 0x2000, 0x40, &logdev_min4, &d4, 0);
    MemTxResult r;
    uint64_t v = address_space_ldn(as, 0x1008, 8, &r);
    bool ok = r == MEMTX_OK && v == 0x1f1e1d1c1b1a1918ull && d2.n == 4;
    for (int i = 0; i < d2.n && ok; i++)
        ok = d2.log[i].size == 2 && d2.log[i].addr == 8 + 2u * (unsigned)i;
    check(ok, "mmio: 8-byte read split into 2-byte accesses", "v=0x%llx n=%d", (unsigned long long)v, d2.n);
    d2.n = 0;
    address_space_stn(as, 0x1000, 0x44332211, 4, &r);
    check(d2.n == 2 && d2.log[0].val == 0x2211 && d2.log[1].val == 0x4433 && d2.log[1].addr == 2,
          "mmio: 4-byte write split into 2-byte writes", "n=%d", d2.n);
    d4.n = 0;
    v = address_space_ldn(as, 0x2005, 1, &r);
    check(v == 0x15 && d4.n == 1 && d4.log[0].size == 4 && d4.log[0].addr == 4,
          "mmio: 1-byte read widened to an aligned 4-byte read", "v=0x%llx n=%d", (unsigned long long)v, d4.n);
    d4.n = 0;
    address_space_stn(as, 0x2006, 0xab, 1, &r);
    check(d4.n == 1 && d4.log[0].size == 4 && d4.log[0].addr == 4 && d4.log[0].val == 0xab0000,
          "mmio: 1-byte write widened into its byte lane", "n=%d val=0x%llx", d4.n,
          (unsigned long long)d4.log[0].val);
    v = address_space_ldn(as, 0x3000, 4, &r);
    check(v == 0xffffffffu && r == MEMTX_DECODE_ERROR, "mmio: unassigned read gives all ones",
          "v=0x%llx r=%d", (unsigned long long)v, r);
    address_space_stn(as, 0x3000, 1, 4, &r);
    check(r == MEMTX_DECODE_ERROR, "mmio: unassigned write ignored with an error", "r=%d", r);
    address_space_free(as);
}

static void test_bounds(void)
{
    AddressSpace *as = address_space_new("mem");
    MemoryRegion *ram = memory_region_add_ram(as, "ram", 0, 0x2000);
    MemoryRegion *ram2 = memory_region_add_ram(as, "ram2", 0x2000, 0x1000);
    MemoryRegion *rom = memory_region_add_rom(as, "rom", 0x10000, 0x1000);
    uint8_t buf[64];
    memset(buf, 0x5a, sizeof(buf));
    MemTxResult r = address_space_write(as, 0x2ff0, buf, 0x20);
    bool untouched = true;
    for (int i = 0; i < 0x10; i++)
        untouched &= ram2->host[0xff0 + i] == 0;
    check(r == MEMTX_DECODE_ERROR && untouched, "bounds: write running past RAM refused, nothing written",
          "r=%d untouched=%d", r, untouched);
    r = address_space_write(as, 0x1ff0, buf, 0x20);
    check(r == MEMTX_OK && ram->host[0x1fff] == 0x5a && ram2->host[0xf] == 0x5a,
          "bounds: write across two adjacent RAM regions", "r=%d", r);
    r = address_space_read(as, 0x2ff8, buf, 0x10);
    check(r == MEMTX_DECODE_ERROR, "bounds: read running past RAM refused", "r=%d", r);
    r = address_space_read(as, UINT64_MAX - 3, buf, 16);
    check(r == MEMTX_DECODE_ERROR, "bounds: wrapping range refused", "r=%d", r);
    r = address_space_write(as, 0x8000, buf, 1);
    check(r == MEMTX_DECODE_ERROR, "bounds: write to a hole refused", "r=%d", r);
    r = address_space_write(as, 0x10000, buf, 4);
    check(r == MEMTX_ERROR && rom->host[0] == 0, "rom: DMA write refused", "r=%d byte=0x%x", r, rom->host[0]);
    r = address_space_write_rom(as, 0x10000, buf, 4);
    check(r == MEMTX_OK && rom->host[3] == 0x5a, "rom: loader write allowed", "r=%d", r);
    address_space_stn(as, 0x10000, 0x11223344, 4, &r);
    check(rom->host[0] == 0x5a, "rom: single store ignored", "byte=0x%x", rom->host[0]);
    check(address_space_ldn(as, 0x10000, 2, NULL) == 0x5a5a, "rom: readable", "wrong value");
    memcpy(ram->host + 0x1ffe, "\x01\x02", 2);
    memcpy(ram2->host, "\x03\x04", 2);
    uint64_t big = address_space_ldn(as, 0x1ffe, 4, &r);
    check(r == MEMTX_OK && big == 0x04030201, "bounds: ldn straddling two regions", "v=0x%llx r=%d",
          (unsigned long long)big, r);
    address_space_free(as);
}

/* address_space_ldn's fast path reads only inside the range of the last
 * hit: a read just past its end, or running over it, goes by the map. */
static void test_ldn_last_range(void)
{
    AddressSpace *as = address_space_new("mem");
    MemoryRegion *ram = memory_region_add_ram(as, "ram", 0, 0x2000);
    MemoryRegion *rom = memory_region_add_rom(as, "rom", 0x2000, 0x1000);
    LogDev d = { .n = 0 };
    memory_region_add_mmio(as, "dev", 0x4000, 0x40, &logdev_any, &d, 0);
    memset(ram->host, 0x11, 0x2000);
    memset(rom->host, 0x22, 0x1000);
    memset(d.regs, 0x33, sizeof(d.regs));
    static const unsigned sizes[] = { 1, 2, 4, 8 };
    bool ok = true;
    for (int k = 0; k < 4; k++) {
        unsigned sz = sizes[k];
        uint64_t ones = ~0ull >> (64 - 8 * sz);
        MemTxResult r;
        ok &= address_space_ldn(as, 0x1000, sz, &r) == (0x1111111111111111ull & ones) && r == MEMTX_OK;
        ok &= address_space_ldn(as, 0x2000, sz, &r) == (0x2222222222222222ull & ones) && r == MEMTX_OK;
        ok &= address_space_ldn(as, 0x1000, sz, &r) == (0x1111111111111111ull & ones);
        ok &= address_space_ldn(as, 0x3000, sz, &r) == ones && r == MEMTX_DECODE_ERROR;
        address_space_ldn(as, 0x2ff0, sz, &r);
        ok &= address_space_ldn(as, 0x4000, sz, &r) == (0x3333333333333333ull & ones) && r == MEMTX_OK;
    }
    check(ok && d.n == 4, "ldn: the last range is used only for reads inside it",
          "ok=%d device reads=%d", ok, d.n);
    MemTxResult r;
    address_space_ldn(as, 0x1ff0, 4, &r);
    uint64_t v = address_space_ldn(as, 0x1ffe, 4, &r);
    check(v == 0x22221111 && r == MEMTX_OK, "ldn: a read running out of the last range is split",
          "v=0x%llx", (unsigned long long)v);
    v = address_space_ldn(as, 0x1003, 8, &r);
    check(v == 0x1111111111111111ull && r == MEMTX_OK, "ldn: unaligned read inside RAM", "v=0x%llx",
          (unsigned long long)v);
    address_space_free(as);
}

/* ---- TLB with a fake guest: identity page walker ---- */
typedef struct FakeCPU {
    CPUState cs;
    int fills, probes;
    uint64_t fault_vaddr;
    int fault_access;
    jmp_buf fault_env;
    uint64_t unmapped_from;   /* addresses at or above this fault */
    uint64_t readonly_page;   /* this page is mapped without PAGE_WRITE */
} FakeCPU;

static bool fake_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access, int mmu_idx, bool probe,
                          uintptr_t retaddr)
{
    FakeCPU *f = (FakeCPU *)cs;
    if (probe)
        f->probes++;
    else
        f->fills++;
    if (vaddr >= f->unmapped_from ||
        (access == MMU_DATA_STORE && (vaddr & TARGET_PAGE_MASK) == f->readonly_page)) {
        if (probe)
            return false;
        f->fault_vaddr = vaddr;
        f->fault_access = access;
        longjmp(f->fault_env, 1);
    }
    int prot = PAGE_READ | PAGE_EXEC;
    if ((vaddr & TARGET_PAGE_MASK) != f->readonly_page)
        prot |= PAGE_WRITE;
    tlb_set_page(cs, vaddr, vaddr, prot, mmu_idx);
    return true;
}

static const CPUArchOps fake_ops = { .name = "fake", .tlb_fill = fake_tlb_fill };

static void code_notify(void *opaque, uint64_t paddr)
{
    int *n = opaque;
    (*n)++;
}

/* Pages that share an index: two live in ways 0 and 1, more spill to the
 * victim TLB; none of them goes back to the walker while it is cached. */
static void test_tlb_ways(void)
{
    AddressSpace *as = address_space_new("mem");
    stub_as = as;
    uint64_t stride = (uint64_t)CPU_TLB_SIZE << TARGET_PAGE_BITS;
    MemoryRegion *ram = memory_region_add_ram(as, "ram", 0, 16 * stride);
    FakeCPU *f = calloc(1, sizeof(*f));
    f->cs.ops = &fake_ops;
    f->cs.as = as;
    f->unmapped_from = ~0ull;
    f->readonly_page = ~0ull;
    CPUState *cpu = &f->cs;
    tlb_init(cpu);
    for (int k = 0; k < 4; k++)
        ram->host[0x3000 + k * stride] = (uint8_t)(0x10 + k);
    bool ok = true;
    for (int k = 0; k < 4; k++)
        ok &= cpu_ld_mmu(cpu, 0x3000 + k * stride, MO_UB, 0, 0) == (uint64_t)(0x10 + k);
    CPUTLBEntry *w0 = &cpu->tlb_table[0][3], *w1 = &cpu->tlb_table[0][3 + CPU_TLB_SIZE];
    check(ok && f->fills == 4 && w0->addr_read == 0x3000 + 3 * stride && w1->addr_read == 0x3000 + 2 * stride,
          "tlb ways: newest page in way 0, previous in way 1", "fills=%d way0=0x%llx way1=0x%llx", f->fills,
          (unsigned long long)w0->addr_read, (unsigned long long)w1->addr_read);
    for (int r = 0; r < 3; r++)
        for (int k = 0; k < 4; k++)
            ok &= cpu_ld_mmu(cpu, 0x3000 + k * stride, MO_UB, 0, 0) == (uint64_t)(0x10 + k);
    check(ok && f->fills == 4, "tlb ways: conflicting pages come back from way 1 and the victim TLB",
          "fills=%d", f->fills);
    tlb_flush_page(cpu, 0x3000);
    cpu_ld_mmu(cpu, 0x3000, MO_UB, 0, 0);
    check(f->fills == 5, "tlb ways: flush_page also drops way 1 / victim copies", "fills=%d", f->fills);

    /* twelve pages on one index: the newest ten stay (two ways and the
     * eight victim slots), the two oldest went back to the walker */
    tlb_flush(cpu);
    f->fills = 0;
    for (int k = 0; k < 12; k++)
        cpu_ld_mmu(cpu, 0x9000 + k * stride, MO_UB, 0, 0);
    for (int k = 11; k >= 2; k--)
        cpu_ld_mmu(cpu, 0x9000 + k * stride, MO_UB, 0, 0);
    int kept = f->fills;
    cpu_ld_mmu(cpu, 0x9000, MO_UB, 0, 0);
    check(kept == 12 && f->fills == 13, "tlb ways: the victim TLB keeps the eight newest evicted pages",
          "fills after revisit=%d, after the oldest=%d", kept, f->fills);
    tlb_flush(cpu);
    cpu_ld_mmu(cpu, 0x9000 + 11 * stride, MO_UB, 0, 0);
    check(f->fills == 14, "tlb ways: a flush empties the victim TLB too", "fills=%d", f->fills);

    /* bulk access pointers: plain RAM only, and never a write into code */
    uint8_t *h = tlb_host_ptr(cpu, 0x3000 + stride + 0x10, MMU_DATA_LOAD, 0);
    check(h == ram->host + 0x3000 + stride + 0x10, "tlb_host_ptr: RAM page gives its host address",
          "got %p", (void *)h);
    memory_set_code_page(as, 0x5000, true);
    tlb_protect_code_page(cpu, 0x5000);
    uint8_t *hr = tlb_host_ptr(cpu, 0x5004, MMU_DATA_LOAD, 0);
    uint8_t *hw = tlb_host_ptr(cpu, 0x5004, MMU_DATA_STORE, 0);
    check(hr == ram->host + 0x5004 && hw == NULL, "tlb_host_ptr: a code page is readable, not writable in bulk",
          "read %p write %p", (void *)hr, (void *)hw);
    f->unmapped_from = 0x6000;
    check(tlb_host_ptr(cpu, 0x7000, MMU_DATA_LOAD, 0) == NULL,
          "tlb_host_ptr: unmapped gives NULL without a fault", "got a pointer");
    tlb_free(cpu);
    free(f);
    address_space_free(as);
}

static void test_tlb(void)
{
    AddressSpace *as = address_space_new("mem");
    stub_as = as;
    MemoryRegion *ram = memory_region_add_ram(as, "ram", 0, 0x100000);
    MemoryRegion *rom = memory_region_add_rom(as, "rom", 0x100000, 0x10000);
    LogDev dev = { 0 };
    memory_region_add_mmio(as, "dev", 0x200000, 0x1000, &logdev_any, &dev, 0);
    FakeCPU *f = calloc(1, sizeof(*f));
    f->cs.ops = &fake_ops;
    f->cs.as = as;
    f->unmapped_from = 0x300000;
    f->readonly_page = 0x5000;
    CPUState *cpu = &f->cs;
    tlb_init(cpu);
    bool allneg = true;
    for (int m = 0; m < NB_MMU_MODES; m++)
        for (int i = 0; i < CPU_TLB_SIZE; i++)
            allneg &= cpu->tlb_table[m][i].addr_read == ~0ull && cpu->tlb_table[m][i].addr_write == ~0ull &&
                      cpu->tlb_table[m][i].addr_code == ~0ull;
    check(allneg, "tlb: fresh table is all -1", "an entry was not -1");

    memcpy(ram->host + 0x1234, "\x78\x56\x34\x12", 4);
    uint64_t v = cpu_ld_mmu(cpu, 0x1234, MO_UL, 1, 0);
    check(v == 0x12345678 && f->fills == 1, "tlb: miss fills, then reads RAM", "v=0x%llx fills=%d",
          (unsigned long long)v, f->fills);
    CPUTLBEntry *e = &cpu->tlb_table[1][1];
    check(e->addr_read == 0x1000 && e->addr_write == 0x1000 && e->addend == (uintptr_t)ram->host,
          "tlb: RAM entry comparators and addend", "read=0x%llx write=0x%llx",
          (unsigned long long)e->addr_read, (unsigned long long)e->addr_write);
    v = cpu_ld_mmu(cpu, 0x1ffc, MO_SW, 1, 0);
    check(f->fills == 1, "tlb: second access hits", "fills=%d", f->fills);
    cpu_st_mmu(cpu, 0x1ff0, 0x8000, MO_UW, 1, 0);
    v = cpu_ld_mmu(cpu, 0x1ff0, MO_SW, 1, 0);
    check(v == 0xffffffffffff8000ull && ram->host[0x1ff1] == 0x80, "tlb: store then sign-extending load",
          "v=0x%llx", (unsigned long long)v);
    check(cpu->tlb_table[0][1].addr_read == ~0ull, "tlb: other MMU modes untouched", "mode 0 filled");

    int clears = stub_jmp_cache_clears;
    tlb_flush(cpu);
    check(e->addr_read == ~0ull && stub_jmp_cache_clears == clears + 1,
          "tlb: flush empties entries and the jump cache", "read=0x%llx", (unsigned long long)e->addr_read);
    cpu_ld_mmu(cpu, 0x1000, MO_UB, 1, 0);
    check(f->fills == 2, "tlb: access after flush refills", "fills=%d", f->fills);
    cpu_ld_mmu(cpu, 0x1000, MO_UB, 2, 0);
    tlb_flush_page(cpu, 0x1abc);
    check(cpu->tlb_table[1][1].addr_read == ~0ull && cpu->tlb_table[2][1].addr_read == ~0ull,
          "tlb: flush_page empties the page in every mode", "entry left");
    cpu_ld_mmu(cpu, 0x1000, MO_UB, 1, 0);
    cpu_ld_mmu(cpu, 0x1000, MO_UB, 2, 0);
    tlb_flush_by_mmuidx(cpu, 1u << 2);
    check(cpu->tlb_table[1][1].addr_read == 0x1000 && cpu->tlb_table[2][1].addr_read == ~0ull,
          "tlb: flush_by_mmuidx only flushes the named modes", "wrong entries");

    /* page-crossing accesses */
    memcpy(ram->host + 0x2ffe, "\x01\x02\x03\x04", 4);
    v = cpu_ld_mmu(cpu, 0x2ffe, MO_UL, 1, 0);
    check(v == 0x04030201, "tlb: page-crossing load", "v=0x%llx", (unsigned long long)v);
    cpu_st_mmu(cpu, 0x3ffd, 0x1122334455667788ull, MO_UQ, 1, 0);
    v = cpu_ld_mmu(cpu, 0x3ffd, MO_UQ, 1, 0);
    check(v == 0x1122334455667788ull, "tlb: page-crossing store", "v=0x%llx", (unsigned long long)v);
    /* a page-crossing store whose second page is read-only faults before writing */
    memset(ram->host + 0x4ffc, 0, 4);
    int fills = f->fills;
    if (setjmp(f->fault_env) == 0) {
        cpu_st_mmu(cpu, 0x4ffe, 0xaabbccdd, MO_UL, 1, 0);
        check(false, "tlb: page-crossing store faults first", "no fault");
    } else {
        check(f->fault_vaddr == 0x5000 && f->fault_access == MMU_DATA_STORE && ram->host[0x4ffe] == 0 &&
              f->fills > fills, "tlb: page-crossing store faults before writing",
              "fault at 0x%llx byte=0x%x", (unsigned long long)f->fault_vaddr, ram->host[0x4ffe]);
    }
    if (setjmp(f->fault_env) == 0) {
        cpu_ld_mmu(cpu, 0x300000, MO_UB, 0, 0);
        check(false, "tlb: fault from the walker", "no fault");
    } else {
        check(f->fault_vaddr == 0x300000 && f->fault_access == MMU_DATA_LOAD, "tlb: fault from the walker",
              "vaddr=0x%llx", (unsigned long long)f->fault_vaddr);
    }
    check(tlb_probe_phys(cpu, 0x300010, MMU_DATA_LOAD, 0) == ~0ull &&
          tlb_probe_phys(cpu, 0x7123, MMU_DATA_LOAD, 0) == 0x7123,
          "tlb: probe_phys", "wrong probe result");

    /* MMIO */
    dev.n = 0;
    cpu_st_mmu(cpu, 0x200010, 0xcafe, MO_UW, 1, 0);
    v = cpu_ld_mmu(cpu, 0x200010, MO_UW, 1, 0);
    CPUTLBEntry *me = &cpu->tlb_table[1][0x200 & (CPU_TLB_SIZE - 1)];
    check(v == 0xcafe && dev.n == 2 && dev.log[0].write && dev.log[0].addr == 0x10 &&
          (me->addr_read & TLB_MMIO) && (me->addr_write & TLB_MMIO),
          "tlb: MMIO page dispatches to the device", "v=0x%llx n=%d", (unsigned long long)v, dev.n);
    v = cpu_ld_mmu(cpu, 0x250000, MO_UL, 1, 0);
    check(v == 0xffffffffu, "tlb: unassigned page reads all ones", "v=0x%llx", (unsigned long long)v);

    /* ROM */
    rom->host[0x10] = 0x42;
    cpu_st_mmu(cpu, 0x100010, 0x99, MO_UB, 1, 0);
    v = cpu_ld_mmu(cpu, 0x100010, MO_UB, 1, 0);
    CPUTLBEntry *re = &cpu->tlb_table[1][0x100 & (CPU_TLB_SIZE - 1)];
    check(v == 0x42 && re->addr_write == ~0ull && re->addr_read == 0x100000,
          "rom: store through the TLB ignored", "v=0x%llx write=0x%llx", (unsigned long long)v,
          (unsigned long long)re->addr_write);

    /* code tracking */
    cpu_ld_mmu(cpu, 0x6000, MO_UB, 1, 0);
    CPUTLBEntry *ce = &cpu->tlb_table[1][6];
    memory_set_code_page(as, 0x6000, true);
    tlb_protect_code_page(cpu, 0x6000);
    check((ce->addr_write & TLB_NOTDIRTY) && !(ce->addr_read & TLB_NOTDIRTY),
          "code: protecting a page marks its write comparators", "write=0x%llx", (unsigned long long)ce->addr_write);
    int inv = stub_invalidations;
    cpu_st_mmu(cpu, 0x6008, 0x77, MO_UB, 1, 0);
    check(stub_invalidations == inv + 1 && stub_last_invalidated == 0x6000 && ram->host[0x6008] == 0x77 &&
          !(ce->addr_write & TLB_NOTDIRTY) && !memory_page_has_code(as, 0x6000),
          "code: write to a code page invalidates it, then writes", "inv=%d write=0x%llx",
          stub_invalidations - inv, (unsigned long long)ce->addr_write);
    cpu_st_mmu(cpu, 0x6009, 0x78, MO_UB, 1, 0);
    check(stub_invalidations == inv + 1, "code: later writes take no slow path", "inv=%d", stub_invalidations - inv);
    memory_set_code_page(as, 0x7000, true);
    tlb_flush(cpu);
    cpu_ld_mmu(cpu, 0x7000, MO_UB, 1, 0);
    check((cpu->tlb_table[1][7].addr_write & TLB_NOTDIRTY) != 0, "code: fill of a code page sets NOTDIRTY",
          "write=0x%llx", (unsigned long long)cpu->tlb_table[1][7].addr_write);
    int notes = 0;
    as->code_write_notify = code_notify;
    as->code_write_opaque = &notes;
    uint8_t b = 1;
    address_space_write(as, 0x7ff0, &b, 1);
    address_space_write(as, 0x8000, &b, 1);
    check(notes == 1, "code: DMA write to a code page notifies", "notes=%d", notes);

    uint64_t paddr;
    uint8_t *host = tlb_get_code_page(cpu, 0x9123, 3, &paddr);
    check(host == ram->host + 0x9000 && paddr == 0x9000 && (cpu->tlb_table[3][9].addr_code == 0x9000),
          "code: get_code_page fills the code comparator", "host=%p paddr=0x%llx", (void *)host,
          (unsigned long long)paddr);
    host = tlb_get_code_page(cpu, 0x200004, 3, &paddr);
    check(host == NULL && paddr == 0x200000, "code: get_code_page of MMIO has no host page",
          "host=%p paddr=0x%llx", (void *)host, (unsigned long long)paddr);
    tlb_free(cpu);
    free(f);
    address_space_free(as);
}

/* The one-lookup query TLB fills use, the aligned fast path of single
 * reads (page walkers), and large (mmapped, huge-page aligned) backings. */
static void test_fill_lookups(void)
{
    AddressSpace *as = address_space_new("mem");
    MemoryRegion *ram = memory_region_add_ram(as, "ram", 0, 0x400000);
    LogDev dev = { 0 };
    for (int i = 0; i < 64; i++)
        dev.regs[i] = (uint8_t)(0x40 + i);
    MemoryRegion *mmio = memory_region_add_mmio(as, "dev", 0x400000, 0x100, &logdev_any, &dev, 0);
    MemoryRegion *rom = memory_region_add_rom(as, "rom", 0x500000, 0x2000);
    check(ram && mmio && rom, "fill: regions created", "ram=%p", (void *)ram);
    check(((uintptr_t)ram->host & 0x1fffff) == 0, "fill: a 4 MiB backing is 2 MiB aligned",
          "host=%p", (void *)ram->host);
    bool zero = true;
    for (uint64_t a = 0; a < 0x400000; a += 0x1000)
        zero &= ram->host[a] == 0 && ram->host[a + 0xfff] == 0;
    check(zero, "fill: large backing is zeroed", "nonzero byte");

    uint8_t *h;
    bool code;
    memory_set_code_page(as, 0x3000, true);
    MemoryRegion *mr = address_space_lookup_host(as, 0x3000, 0x1000, &h, &code);
    check(mr == ram && h == ram->host + 0x3000 && code, "fill: RAM page with code",
          "mr=%p h=%p code=%d", (void *)mr, (void *)h, code);
    mr = address_space_lookup_host(as, 0x2000, 0x1000, &h, &code);
    check(mr == ram && h == ram->host + 0x2000 && !code, "fill: RAM page without code",
          "code=%d", code);
    mr = address_space_lookup_host(as, 0x400000, 0x1000, &h, &code);
    check(mr == mmio && h == NULL && !code, "fill: MMIO page has no host pointer", "h=%p", (void *)h);
    mr = address_space_lookup_host(as, 0x3ff800, 0x1000, &h, &code);
    check(mr == ram && h == NULL, "fill: a range running into MMIO has no host pointer", "h=%p", (void *)h);
    mr = address_space_lookup_host(as, 0x600000, 0x1000, &h, &code);
    check(mr == NULL && h == NULL && !code, "fill: unassigned page", "mr=%p", (void *)mr);
    memory_set_code_page(as, 0x501000, true);
    mr = address_space_lookup_host(as, 0x501000, 0x1000, &h, &code);
    check(mr == rom && h == rom->host + 0x1000 && code, "fill: ROM page with code", "h=%p", (void *)h);

    /* single reads: the fast path (aligned 4/8 in RAM/ROM) and the rest */
    uint64_t q = 0x1122334455667788ull;
    memcpy(ram->host + 0x3ff8, &q, 8);
    memcpy(ram->host + 0x3ffff8, &q, 8);
    MemTxResult r = MEMTX_ERROR;
    uint64_t v = address_space_ldn(as, 0x3ffc, 4, &r);
    check(v == 0x11223344 && r == MEMTX_OK, "fill: aligned 4-byte RAM read", "v=0x%llx r=%d",
          (unsigned long long)v, r);
    v = address_space_ldn(as, 0x3ff8, 8, &r);
    check(v == q && r == MEMTX_OK, "fill: aligned 8-byte RAM read", "v=0x%llx", (unsigned long long)v);
    v = address_space_ldn(as, 0x3ffa, 4, &r);
    check(v == 0x33445566 && r == MEMTX_OK, "fill: unaligned 4-byte RAM read", "v=0x%llx",
          (unsigned long long)v);
    v = address_space_ldn(as, 0x3ffffc, 8, &r);
    check(v == 0x4342414011223344ull && r == MEMTX_OK, "fill: read straddling RAM and MMIO",
          "v=0x%llx r=%d", (unsigned long long)v, r);
    dev.n = 0;
    v = address_space_ldn(as, 0x400008, 4, &r);
    check(v == 0x4b4a4948 && dev.n == 1, "fill: aligned MMIO read still goes to the device",
          "v=0x%llx n=%d", (unsigned long long)v, dev.n);
    rom->host[0x10] = 0x5a;
    v = address_space_ldn(as, 0x500010, 4, &r);
    check(v == 0x5a && r == MEMTX_OK, "fill: aligned ROM read", "v=0x%llx", (unsigned long long)v);
    v = address_space_ldn(as, 0x5ffffc, 4, &r);
    check(v == 0xffffffffu && r == MEMTX_DECODE_ERROR, "fill: unassigned aligned read", "v=0x%llx r=%d",
          (unsigned long long)v, r);
    address_space_free(as);
}

/* Data watchpoints: accesses to a watched page take the slow path and call
 * watch_hit before they happen (with the address, size and kind); fetches
 * and other pages do not; the access itself still happens. */
typedef struct WatchCPU {
    FakeCPU f;
    int hits;
    uint64_t last_vaddr;
    unsigned last_size;
    int last_access;
    uint8_t seen;          /* the byte in memory when watch_hit ran */
    uint8_t *ram;
} WatchCPU;

static void watch_hit(CPUState *cs, uint64_t vaddr, unsigned size, int access)
{
    WatchCPU *w = (WatchCPU *)cs;
    w->hits++;
    w->last_vaddr = vaddr;
    w->last_size = size;
    w->last_access = access;
    w->seen = w->ram[vaddr];
}

static void test_tlb_watch(void)
{
    static const CPUArchOps watch_ops = { .name = "watch", .tlb_fill = fake_tlb_fill, .watch_hit = watch_hit };
    AddressSpace *as = address_space_new("mem");
    stub_as = as;
    MemoryRegion *ram = memory_region_add_ram(as, "ram", 0, 0x100000);
    WatchCPU *w = calloc(1, sizeof(*w));
    w->f.cs.ops = &watch_ops;
    w->f.cs.as = as;
    w->f.unmapped_from = ~0ull;
    w->f.readonly_page = ~0ull;
    w->ram = ram->host;
    CPUState *cpu = &w->f.cs;
    tlb_init(cpu);
    cpu_st_mmu(cpu, 0x3010, 0x11, MO_UB, 0, 0);
    cpu_ld_mmu(cpu, 0x4010, MO_UB, 0, 0);
    uint64_t pages[2] = { 0x3abc, 0x7000 };
    tlb_set_watch_pages(cpu, pages, 2);
    check(cpu->tlb_table[0][3].addr_read == ~0ull, "watch: setting pages flushes the TLB", "entry kept");
    cpu_st_mmu(cpu, 0x3010, 0x22, MO_UB, 0, 0);
    check(w->hits == 1 && w->last_vaddr == 0x3010 && w->last_size == 1 && w->last_access == MMU_DATA_STORE &&
          w->seen == 0x11 && ram->host[0x3010] == 0x22,
          "watch: a store is seen before it lands, then lands", "hits=%d seen=0x%x now=0x%x", w->hits, w->seen,
          ram->host[0x3010]);
    check((cpu->tlb_table[0][3].addr_write & TLB_WATCH) && (cpu->tlb_table[0][3].addr_read & TLB_WATCH) &&
          !(cpu->tlb_table[0][3].addr_code & TLB_WATCH),
          "watch: read and write comparators flagged, code not", "write=0x%llx code=0x%llx",
          (unsigned long long)cpu->tlb_table[0][3].addr_write, (unsigned long long)cpu->tlb_table[0][3].addr_code);
    uint64_t v = cpu_ld_mmu(cpu, 0x3ffe, MO_UL, 0, 0);
    check(w->hits == 3 && w->last_vaddr == 0x3fff && w->last_access == MMU_DATA_LOAD && (v & 0xffff) == 0,
          "watch: a load crossing out of the page reports its bytes in the page", "hits=%d last=0x%llx",
          w->hits, (unsigned long long)w->last_vaddr);
    int before = w->hits;
    cpu_ld_mmu(cpu, 0x4010, MO_UL, 0, 0);
    cpu_st_mmu(cpu, 0x5010, 1, MO_UL, 0, 0);
    check(w->hits == before, "watch: other pages stay on the fast path", "hits=%d", w->hits - before);
    tlb_set_watch_pages(cpu, NULL, 0);
    cpu_st_mmu(cpu, 0x3010, 0x33, MO_UB, 0, 0);
    check(w->hits == before && cpu->tlb_table[0][3].addr_write == 0x3000, "watch: cleared, plain RAM again",
          "hits=%d write=0x%llx", w->hits - before, (unsigned long long)cpu->tlb_table[0][3].addr_write);
    tlb_free(cpu);
    free(w);
    address_space_free(as);
}

/* ---- alignment hook, tagged entries, range flushes ---- */
typedef struct AlignCPU {
    CPUState cs;
    int fills, unaligned;
    uint64_t bad_vaddr;
    int bad_access;
    jmp_buf env;
} AlignCPU;

/* identity; page 0x6000 must be accessed aligned; tag 1 from 0x8000 up;
 * 0x40000 and above unmapped (a fault longjmps with 2) */
static bool align_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access, int mmu_idx, bool probe,
                           uintptr_t retaddr)
{
    AlignCPU *a = (AlignCPU *)cs;
    if (vaddr >= 0x40000) {
        if (probe)
            return false;
        longjmp(a->env, 2);
    }
    a->fills++;
    int prot = PAGE_READ | PAGE_WRITE | PAGE_EXEC | ((vaddr & TARGET_PAGE_MASK) == 0x6000 ? PAGE_ALIGNED : 0);
    tlb_set_page_tagged(cs, vaddr, vaddr, prot, mmu_idx, vaddr >= 0x8000);
    return true;
}

static void align_unaligned(CPUState *cs, uint64_t vaddr, unsigned size, int access, int mmu_idx,
                            uintptr_t retaddr)
{
    AlignCPU *a = (AlignCPU *)cs;
    a->unaligned++;
    a->bad_vaddr = vaddr;
    a->bad_access = access;
    longjmp(a->env, 1);
}

static const CPUArchOps align_ops = { .name = "align", .tlb_fill = align_tlb_fill,
                                      .unaligned_access = align_unaligned };

/* the outcome of one access: 0 done, 1 alignment hook, 2 translation fault */
static int align_try(AlignCPU *a, uint64_t addr, MemOp mop, bool store)
{
    int r = setjmp(a->env);
    if (r)
        return r;
    if (store)
        cpu_st_mmu(&a->cs, addr, 0x55, mop, 0, 0);
    else
        cpu_ld_mmu(&a->cs, addr, mop, 0, 0);
    return 0;
}

static void test_tlb_align_tags(void)
{
    AddressSpace *as = address_space_new("mem");
    stub_as = as;
    memory_region_add_ram(as, "ram", 0, 0x100000);
    AlignCPU *a = calloc(1, sizeof(*a));
    a->cs.ops = &align_ops;
    a->cs.as = as;
    tlb_init(&a->cs);
    check(align_try(a, 0x1004, MO_UQ | MO_ALIGN, false) == 1 && a->bad_vaddr == 0x1004 && a->fills == 0,
          "align: MO_ALIGN misaligned load calls the hook before any fill", "fills=%d", a->fills);
    check(align_try(a, 0x40006, MO_UL | MO_ALIGN, true) == 1 && a->bad_access == MMU_DATA_STORE,
          "align: the hook comes before a translation fault (store)", "access=%d", a->bad_access);
    check(align_try(a, 0x1008, MO_UQ | MO_ALIGN, false) == 0 && align_try(a, 0x1003, MO_UL, false) == 0 &&
          a->unaligned == 2, "align: aligned MO_ALIGN and plain misaligned accesses go through", "hook calls=%d",
          a->unaligned);
    check(align_try(a, 0x6002, MO_UW, false) == 0 && align_try(a, 0x6003, MO_UW, true) == 1 &&
          a->bad_vaddr == 0x6003 && (a->cs.tlb_table[0][6].addr_read & TLB_ALIGNED) &&
          !(a->cs.tlb_table[0][6].addr_code & TLB_ALIGNED),
          "align: a PAGE_ALIGNED page faults misaligned data accesses only", "vaddr=0x%llx read=0x%llx",
          (unsigned long long)a->bad_vaddr, (unsigned long long)a->cs.tlb_table[0][6].addr_read);
    check(align_try(a, 0x5ffe, MO_UL, false) == 1 && a->bad_vaddr == 0x5ffe,
          "align: a misaligned access crossing into a PAGE_ALIGNED page faults", "vaddr=0x%llx",
          (unsigned long long)a->bad_vaddr);
    check(align_try(a, 0x3fffc, MO_UQ, false) == 2, "align: crossing into an unmapped page faults on it", "no fault");

    /* tags: 0x1000/0x2000 untagged, 0x9000/0xa000 tagged */
    tlb_flush(&a->cs);
    int f0 = a->fills;
    for (uint64_t p = 0x1000; p <= 0xa000; p += 0x1000)
        align_try(a, p, MO_UB, false);
    tlb_flush_tagged(&a->cs);
    int f1 = a->fills;
    align_try(a, 0x1000, MO_UB, false);
    align_try(a, 0x2000, MO_UB, false);
    int f2 = a->fills;
    align_try(a, 0x9000, MO_UB, false);
    align_try(a, 0xa000, MO_UB, false);
    check(f1 - f0 == 10 && f2 == f1 && a->fills == f2 + 2, "tlb: flush_tagged drops tagged entries only",
          "fills %d %d %d %d", f0, f1, f2, a->fills);
    /* range: the pages of [0x10000, 0x20000) go in every mode, others stay */
    for (uint64_t p = 0xf000; p <= 0x20000; p += 0x1000) {
        align_try(a, p, MO_UB, false);
        cpu_ld_mmu(&a->cs, p, MO_UB, 1, 0);
    }
    int clears = stub_jmp_cache_clears;
    tlb_flush_range(&a->cs, 0x10000, 0x10000);
    bool gone = true;
    for (uint64_t p = 0x10000; p < 0x20000; p += 0x1000)
        for (int m = 0; m < 2; m++)
            gone &= a->cs.tlb_table[m][(p >> 12) & (CPU_TLB_SIZE - 1)].addr_read == ~0ull;
    check(gone && a->cs.tlb_table[0][0xf].addr_read == 0xf000 && a->cs.tlb_table[1][0x20].addr_read == 0x20000 &&
          stub_jmp_cache_clears == clears + 1, "tlb: flush_range drops the range in every mode, no more",
          "gone=%d 0xf000=0x%llx", gone, (unsigned long long)a->cs.tlb_table[0][0xf].addr_read);

    /* contexts: entries stay with their context; flushes and code
     * protection reach every context */
    tlb_flush(&a->cs);
    align_try(a, 0x1000, MO_UB, false);
    align_try(a, 0x2000, MO_UB, false);
    int g0 = a->fills;
    bool kept5 = tlb_switch_context(&a->cs, 5);
    align_try(a, 0x1000, MO_UB, false);
    int g1 = a->fills;
    bool kept0 = tlb_switch_context(&a->cs, 0);
    align_try(a, 0x1000, MO_UB, false);
    align_try(a, 0x2000, MO_UB, false);
    check(!kept5 && kept0 && g1 == g0 + 1 && a->fills == g1,
          "tlb: a context switch keeps the entries of the context left", "fills %d %d %d", g0, g1, a->fills);
    memory_set_code_page(as, 0x1000, true);
    tlb_protect_code_page(&a->cs, 0x1000);
    tlb_flush_page(&a->cs, 0x2000);
    tlb_switch_context(&a->cs, 5);
    check((a->cs.tlb_table[0][1].addr_write & TLB_NOTDIRTY) && a->cs.tlb_table[0][2].addr_read == ~0ull,
          "tlb: code protection and flush_page reach the other contexts", "write=0x%llx",
          (unsigned long long)a->cs.tlb_table[0][1].addr_write);
    tlb_flush_context(&a->cs, 0);
    int g2 = a->fills;
    align_try(a, 0x1000, MO_UB, false);
    tlb_switch_context(&a->cs, 0);
    align_try(a, 0x1000, MO_UB, false);
    check(a->fills == g2 + 1, "tlb: flush_context empties only that context", "fills %d", a->fills - g2);
    tlb_free(&a->cs);
    free(a);
    address_space_free(as);
}

int main(void)
{
    test_tlb_align_tags();
    test_tlb_watch();
    test_map();
    test_fill_lookups();
    test_mmio_sizes();
    test_bounds();
    test_ldn_last_range();
    test_tlb();
    test_tlb_ways();
    return failures ? 1 : 0;
}
