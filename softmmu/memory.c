/*
 * Guest physical address spaces: regions (RAM, ROM, MMIO, aliases) with
 * priorities, resolved into a flat sorted view of non-overlapping ranges;
 * bounds-checked block copies for loaders and DMA; single accesses with
 * MMIO size splitting/widening; per-page "has code" bytes for SMC tracking.
 * Must stay true: no access ever touches host memory outside a region's
 * backing (a copy is validated wholly before any byte moves), and a write
 * to a page holding code reaches as->code_write_notify.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "softmmu/memory.h"

#define MEM_PAGE_BITS 12
#define MEM_PAGE_SIZE ((uint64_t)1 << MEM_PAGE_BITS)
#define MEM_MMAP_THRESHOLD ((uint64_t)1 << 20)
#define MEM_HUGE_SIZE ((size_t)2 << 20)       /* x86-64 and arm64 (4 KiB granule) huge page */

/* What memory.c keeps beside the public region: how to free it, and for
 * MMIO aliases where they point. Every region is allocated here. */
typedef struct MemoryRegionPriv {
    MemoryRegion mr;
    size_t host_alloc;             /* bytes of host backing this region owns (0 = none) */
    bool host_mmapped;
    bool owns_bitmap;
    uint64_t alias_offset;         /* MMIO alias: added to region offsets */
    MemoryRegion *alias_target;
    int seq;                       /* creation order: later wins ties */
} MemoryRegionPriv;

static MemoryRegionPriv *mr_priv(MemoryRegion *mr)
{
    return (MemoryRegionPriv *)mr;
}

AddressSpace *address_space_new(const char *name)
{
    AddressSpace *as = calloc(1, sizeof(*as));
    if (as)
        as->name = name;
    return as;
}

void address_space_free(AddressSpace *as)
{
    if (!as)
        return;
    for (int i = 0; i < as->nb_regions; i++) {
        MemoryRegionPriv *p = mr_priv(as->regions[i]);
        if (p->host_alloc) {
            if (p->host_mmapped)
                munmap(p->mr.host, p->host_alloc);
            else
                free(p->mr.host);
        }
        if (p->owns_bitmap)
            free(p->mr.code_bitmap);
        free(p);
    }
    free(as->regions);
    free(as->flat);
    free(as);
}

/* Does a win over b where both cover an address? Higher priority, then the
 * later-added region. */
static bool mr_wins(MemoryRegion *a, MemoryRegion *b)
{
    if (a->priority != b->priority)
        return a->priority > b->priority;
    return mr_priv(a)->seq > mr_priv(b)->seq;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Rebuild the flat view: cut the space at every region edge and give each
 * piece to the winning region; merge neighbours owned by the same region.
 * Region ends are exclusive; a region reaching 2^64 ends at UINT64_MAX
 * (its last byte is then not addressable: no board needs it). */
static bool address_space_rebuild(AddressSpace *as)
{
    int n = as->nb_regions;
    uint64_t *edges = malloc(sizeof(uint64_t) * 2 * (size_t)(n ? n : 1));
    struct FlatRange *flat = malloc(sizeof(*flat) * (2 * (size_t)n + 1));
    if (!edges || !flat) {
        free(edges);
        free(flat);
        return false;
    }
    int ne = 0;
    for (int i = 0; i < n; i++) {
        MemoryRegion *mr = as->regions[i];
        uint64_t end = mr->base + mr->size < mr->base ? UINT64_MAX : mr->base + mr->size;
        edges[ne++] = mr->base;
        edges[ne++] = end;
    }
    qsort(edges, (size_t)ne, sizeof(uint64_t), cmp_u64);
    int nf = 0;
    for (int e = 0; e + 1 < ne; e++) {
        uint64_t s = edges[e], t = edges[e + 1];
        if (s == t)
            continue;
        MemoryRegion *best = NULL;
        for (int i = 0; i < n; i++) {
            MemoryRegion *mr = as->regions[i];
            uint64_t end = mr->base + mr->size < mr->base ? UINT64_MAX : mr->base + mr->size;
            if (mr->base <= s && t <= end && (!best || mr_wins(mr, best)))
                best = mr;
        }
        if (!best)
            continue;
        if (nf && flat[nf - 1].mr == best && flat[nf - 1].end == s) {
            flat[nf - 1].end = t;
        } else {
            flat[nf].start = s;
            flat[nf].end = t;
            flat[nf].mr = best;
            nf++;
        }
    }
    free(edges);
    free(as->flat);
    as->flat = flat;
    as->nb_flat = nf;
    as->last_hit = 0;
    return true;
}

static MemoryRegion *address_space_add(AddressSpace *as, MemoryRegionPriv *p)
{
    if (as->nb_regions == as->cap_regions) {
        int cap = as->cap_regions ? as->cap_regions * 2 : 16;
        MemoryRegion **r = realloc(as->regions, sizeof(*r) * (size_t)cap);
        if (!r)
            return NULL;
        as->regions = r;
        as->cap_regions = cap;
    }
    p->seq = as->nb_regions ? mr_priv(as->regions[as->nb_regions - 1])->seq + 1 : 0;
    /* keep sorted by base (insertion sort step) */
    int i = as->nb_regions++;
    while (i > 0 && as->regions[i - 1]->base > p->mr.base) {
        as->regions[i] = as->regions[i - 1];
        i--;
    }
    as->regions[i] = &p->mr;
    if (!address_space_rebuild(as)) {
        memmove(&as->regions[i], &as->regions[i + 1],
                sizeof(MemoryRegion *) * (size_t)(as->nb_regions - i - 1));
        as->nb_regions--;
        return NULL;
    }
    return &p->mr;
}

/* Large backings are mmapped, aligned to MEM_HUGE_SIZE when they span at
 * least that, and offered to the kernel for transparent huge pages: a guest
 * touching many pages (every TLB miss also reads a page table) otherwise
 * pays a host TLB miss on most accesses. The alignment slack is unmapped at
 * once, so the backing is exactly [host, host + size) and munmap(host, size)
 * frees it. */
static void *mem_map_backing(size_t size)
{
    size_t slack = size >= MEM_HUGE_SIZE ? MEM_HUGE_SIZE : 0;
    if (size + slack < size)
        return NULL;
    uint8_t *m = mmap(NULL, size + slack, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    if (!slack)
        return m;
    uint8_t *h = (uint8_t *)(((uintptr_t)m + MEM_HUGE_SIZE - 1) & ~(uintptr_t)(MEM_HUGE_SIZE - 1));
    if (h > m)
        munmap(m, (size_t)(h - m));
    if (h + size < m + size + slack)
        munmap(h + size, (size_t)(m + size + slack - (h + size)));
#ifdef MADV_HUGEPAGE
    madvise(h, size, MADV_HUGEPAGE);      /* advice only: failure is harmless */
#endif
    return h;
}

static MemoryRegion *memory_region_add_backed(AddressSpace *as, const char *name, uint64_t base,
                                              uint64_t size, MemoryRegionKind kind)
{
    if (size == 0 || (size & (MEM_PAGE_SIZE - 1)) || (base & (MEM_PAGE_SIZE - 1)) ||
        base + size < base || size > SIZE_MAX / 2)
        return NULL;
    MemoryRegionPriv *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    if (size >= MEM_MMAP_THRESHOLD) {
        p->mr.host = mem_map_backing((size_t)size);
        p->host_mmapped = true;
    } else {
        p->mr.host = calloc(1, (size_t)size);
    }
    p->mr.code_bitmap = calloc(1, (size_t)(size >> MEM_PAGE_BITS));
    if (!p->mr.host || !p->mr.code_bitmap) {
        if (p->mr.host && p->host_mmapped)
            munmap(p->mr.host, (size_t)size);
        else
            free(p->mr.host);
        free(p->mr.code_bitmap);
        free(p);
        return NULL;
    }
    p->host_alloc = (size_t)size;
    p->owns_bitmap = true;
    p->mr.name = name;
    p->mr.kind = kind;
    p->mr.base = base;
    p->mr.size = size;
    MemoryRegion *mr = address_space_add(as, p);
    if (!mr) {
        if (p->host_mmapped)
            munmap(p->mr.host, p->host_alloc);
        else
            free(p->mr.host);
        free(p->mr.code_bitmap);
        free(p);
    }
    return mr;
}

MemoryRegion *memory_region_add_ram(AddressSpace *as, const char *name, uint64_t base, uint64_t size)
{
    return memory_region_add_backed(as, name, base, size, MR_RAM);
}

MemoryRegion *memory_region_add_rom(AddressSpace *as, const char *name, uint64_t base, uint64_t size)
{
    return memory_region_add_backed(as, name, base, size, MR_ROM);
}

MemoryRegion *memory_region_add_mmio(AddressSpace *as, const char *name, uint64_t base, uint64_t size,
                                     const MemoryRegionOps *ops, void *opaque, int priority)
{
    if (size == 0 || base + size < base)
        return NULL;
    MemoryRegionPriv *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->mr.name = name;
    p->mr.kind = MR_MMIO;
    p->mr.base = base;
    p->mr.size = size;
    p->mr.ops = ops;
    p->mr.opaque = opaque;
    p->mr.priority = priority;
    MemoryRegion *mr = address_space_add(as, p);
    if (!mr)
        free(p);
    return mr;
}

/* RAM/ROM aliases share the target's backing and code bytes (so the offset
 * must be page-aligned); MMIO aliases forward with the offset added. A
 * write through one alias invalidates the TBs registered under the
 * physical page written, not those of the other name of that memory. */
MemoryRegion *memory_region_add_alias(AddressSpace *as, const char *name, uint64_t base,
                                      MemoryRegion *target, uint64_t offset, uint64_t size)
{
    if (!target || size == 0 || offset > target->size || size > target->size - offset ||
        base + size < base)
        return NULL;
    if (target->kind != MR_MMIO &&
        ((offset & (MEM_PAGE_SIZE - 1)) || (base & (MEM_PAGE_SIZE - 1)) || (size & (MEM_PAGE_SIZE - 1))))
        return NULL;
    MemoryRegionPriv *tp = mr_priv(target);
    if (tp->alias_target) {                  /* alias of an alias: point at the real one */
        offset += tp->alias_offset;
        target = tp->alias_target;
    }
    MemoryRegionPriv *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->mr.name = name;
    p->mr.kind = target->kind;
    p->mr.base = base;
    p->mr.size = size;
    p->mr.priority = target->priority;
    if (target->kind == MR_MMIO) {
        p->mr.ops = target->ops;
        p->mr.opaque = target->opaque;
        p->alias_target = target;
        p->alias_offset = offset;
    } else {
        p->mr.host = target->host + offset;
        p->mr.code_bitmap = target->code_bitmap + (offset >> MEM_PAGE_BITS);
    }
    MemoryRegion *mr = address_space_add(as, p);
    if (!mr)
        free(p);
    return mr;
}

bool memory_region_set_priority(AddressSpace *as, MemoryRegion *mr, int priority)
{
    int old = mr->priority;
    if (old == priority)
        return true;
    mr->priority = priority;
    if (!address_space_rebuild(as)) {
        mr->priority = old;
        return false;
    }
    return true;
}

/* Binary search of the flat view; flat_find tries the last hit first
 * (page walks, TLB fills and DMA mostly stay in one RAM range). */
static __attribute__((noinline)) int flat_search(AddressSpace *as, uint64_t addr)
{
    int lo = 0, hi = as->nb_flat - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (addr < as->flat[mid].start)
            hi = mid - 1;
        else if (addr >= as->flat[mid].end)
            lo = mid + 1;
        else {
            as->last_hit = mid;
            return mid;
        }
    }
    return -1;
}

static inline int flat_find(AddressSpace *as, uint64_t addr)
{
    int h = as->last_hit;
    if (__builtin_expect(h < as->nb_flat && as->flat[h].start <= addr && addr < as->flat[h].end, 1))
        return h;
    return flat_search(as, addr);
}

MemoryRegion *address_space_lookup(AddressSpace *as, uint64_t addr)
{
    int i = flat_find(as, addr);
    return i < 0 ? NULL : as->flat[i].mr;
}

uint8_t *address_space_host_ptr(AddressSpace *as, uint64_t addr, uint64_t len)
{
    uint8_t *host;
    bool has_code;
    address_space_lookup_host(as, addr, len, &host, &has_code);
    return host;
}

MemoryRegion *address_space_lookup_host(AddressSpace *as, uint64_t addr, uint64_t len,
                                        uint8_t **host, bool *has_code)
{
    int i = flat_find(as, addr);
    *host = NULL;
    *has_code = false;
    if (i < 0)
        return NULL;
    struct FlatRange *fr = &as->flat[i];
    MemoryRegion *mr = fr->mr;
    if (mr->kind != MR_MMIO && len <= fr->end - addr) {
        *host = mr->host + (addr - mr->base);
        *has_code = mr->code_bitmap && mr->code_bitmap[(addr - mr->base) >> MEM_PAGE_BITS];
    }
    return mr;
}

static void code_notify_range(AddressSpace *as, MemoryRegion *mr, uint64_t addr, uint64_t len)
{
    if (!mr->code_bitmap || !len)
        return;
    uint64_t first = (addr - mr->base) >> MEM_PAGE_BITS;
    uint64_t last = (addr - mr->base + len - 1) >> MEM_PAGE_BITS;
    for (uint64_t pg = first; pg <= last; pg++) {
        if (mr->code_bitmap[pg] && as->code_write_notify)
            as->code_write_notify(as->code_write_opaque, mr->base + (pg << MEM_PAGE_BITS));
    }
}

/* ---- MMIO dispatch with access-size adjustment ---- */

static void mmio_limits(const MemoryRegion *mr, unsigned *min, unsigned *max)
{
    unsigned lo = mr->ops && mr->ops->min_access ? mr->ops->min_access : 1;
    unsigned hi = mr->ops && mr->ops->max_access ? mr->ops->max_access : 8;
    if (hi < lo)
        hi = lo;
    *min = lo;
    *max = hi;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static uint64_t mmio_read_raw(MemoryRegion *mr, uint64_t off, unsigned size)
{
    off += mr_priv(mr)->alias_offset;
    if (!mr->ops || !mr->ops->read)
        return size_mask(size);
    return mr->ops->read(mr->opaque, off, size) & size_mask(size);
}

static void mmio_write_raw(MemoryRegion *mr, uint64_t off, uint64_t val, unsigned size)
{
    off += mr_priv(mr)->alias_offset;
    if (mr->ops && mr->ops->write)
        mr->ops->write(mr->opaque, off, val & size_mask(size), size);
}

/* Too wide: split into max-sized little-endian pieces. Too narrow: one
 * aligned access of min size; a narrow write puts the value in its byte
 * lane with zeros elsewhere (no read-modify-write: reads have side effects). */
static uint64_t mmio_read(MemoryRegion *mr, uint64_t off, unsigned size)
{
    unsigned min, max;
    mmio_limits(mr, &min, &max);
    if (size < min) {
        uint64_t aligned = off & ~(uint64_t)(min - 1);
        unsigned shift = (unsigned)(off - aligned) * 8;
        return (mmio_read_raw(mr, aligned, min) >> shift) & size_mask(size);
    }
    if (size > max) {
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i += max)
            v |= mmio_read_raw(mr, off + i, max) << (i * 8);
        return v;
    }
    return mmio_read_raw(mr, off, size);
}

static void mmio_write(MemoryRegion *mr, uint64_t off, uint64_t val, unsigned size)
{
    unsigned min, max;
    mmio_limits(mr, &min, &max);
    val &= size_mask(size);
    if (size < min) {
        uint64_t aligned = off & ~(uint64_t)(min - 1);
        unsigned shift = (unsigned)(off - aligned) * 8;
        mmio_write_raw(mr, aligned, val << shift, min);
        return;
    }
    if (size > max) {
        for (unsigned i = 0; i < size; i += max)
            mmio_write_raw(mr, off + i, val >> (i * 8), max);
        return;
    }
    mmio_write_raw(mr, off, val, size);
}

/* ---- single accesses ---- */

/* The common case first (page walkers read page tables in RAM): a read
 * wholly inside the range of the last hit, from RAM or ROM. It only looks
 * at that range and calls nothing, so the compiler keeps it free of the
 * slow path's frame: a TLB miss makes two or more of these. */
static inline bool ldn_fast(AddressSpace *as, uint64_t addr, unsigned size, uint64_t *v)
{
    int h = as->last_hit;
    if (__builtin_expect(h >= as->nb_flat, 0))
        return false;
    const struct FlatRange *fr = &as->flat[h];
    const MemoryRegion *mr = fr->mr;
    if (addr < fr->start || addr >= fr->end || size - 1 > fr->end - 1 - addr || mr->kind == MR_MMIO)
        return false;
    const uint8_t *p = mr->host + (addr - mr->base);
    switch (size) {
    case 1: *v = *p; return true;
    case 2: { uint16_t w; memcpy(&w, p, 2); *v = w; return true; }
    case 4: { uint32_t w; memcpy(&w, p, 4); *v = w; return true; }
    case 8: memcpy(v, p, 8); return true;
    default: return false;
    }
}

static uint64_t address_space_ldn_slow(AddressSpace *as, uint64_t addr, unsigned size, MemTxResult *res);

uint64_t address_space_ldn(AddressSpace *as, uint64_t addr, unsigned size, MemTxResult *res)
{
    uint64_t v;
    if (__builtin_expect(ldn_fast(as, addr, size, &v), 1)) {
        if (res)
            *res = MEMTX_OK;
        return v;
    }
    return address_space_ldn_slow(as, addr, size, res);
}

static __attribute__((noinline)) uint64_t address_space_ldn_slow(AddressSpace *as, uint64_t addr,
                                                                 unsigned size, MemTxResult *res)
{
    MemTxResult r = MEMTX_OK;
    uint64_t v;
    if (size != 1 && size != 2 && size != 4 && size != 8) {
        if (res)
            *res = MEMTX_ERROR;
        return ~0ull;
    }
    int i = flat_find(as, addr);
    if (i < 0 || size - 1 > as->flat[i].end - 1 - addr) {
        if (i >= 0 || size > 1) {
            /* straddles a range edge (or starts unassigned): byte by byte */
            v = 0;
            for (unsigned b = 0; b < size; b++) {
                MemTxResult rb;
                v |= address_space_ldn(as, addr + b, 1, &rb) << (b * 8);
                if (rb != MEMTX_OK)
                    r = rb;
            }
        } else {
            v = 0xff;
            r = MEMTX_DECODE_ERROR;
        }
    } else {
        MemoryRegion *mr = as->flat[i].mr;
        if (mr->kind == MR_MMIO) {
            v = mmio_read(mr, addr - mr->base, size);
        } else {
            v = 0;
            memcpy(&v, mr->host + (addr - mr->base), size);
        }
    }
    if (res)
        *res = r;
    return v;
}

void address_space_stn(AddressSpace *as, uint64_t addr, uint64_t val, unsigned size, MemTxResult *res)
{
    MemTxResult r = MEMTX_OK;
    if (size != 1 && size != 2 && size != 4 && size != 8) {
        if (res)
            *res = MEMTX_ERROR;
        return;
    }
    int i = flat_find(as, addr);
    if (i < 0 || size - 1 > as->flat[i].end - 1 - addr) {
        if (i >= 0 || size > 1) {
            for (unsigned b = 0; b < size; b++) {
                MemTxResult rb;
                address_space_stn(as, addr + b, (val >> (b * 8)) & 0xff, 1, &rb);
                if (rb != MEMTX_OK)
                    r = rb;
            }
        } else {
            r = MEMTX_DECODE_ERROR;
        }
    } else {
        MemoryRegion *mr = as->flat[i].mr;
        if (mr->kind == MR_MMIO) {
            mmio_write(mr, addr - mr->base, val, size);
        } else if (mr->kind == MR_ROM) {
            r = MEMTX_ERROR;           /* ROM ignores writes */
        } else {
            code_notify_range(as, mr, addr, size);
            memcpy(mr->host + (addr - mr->base), &val, size);
        }
    }
    if (res)
        *res = r;
}

/* ---- bounds-checked block copies ---- */

/* Check that [addr, addr+len) is wholly assigned (and writable if asked)
 * before anything moves. */
static MemTxResult address_space_check(AddressSpace *as, uint64_t addr, uint64_t len,
                                       bool write, bool allow_rom)
{
    if (len == 0)
        return MEMTX_OK;
    if (addr + len - 1 < addr)
        return MEMTX_DECODE_ERROR;
    uint64_t a = addr, left = len;
    while (left) {
        int i = flat_find(as, a);
        if (i < 0)
            return MEMTX_DECODE_ERROR;
        struct FlatRange *fr = &as->flat[i];
        if (write && fr->mr->kind == MR_ROM && !allow_rom)
            return MEMTX_ERROR;
        uint64_t chunk = fr->end - a;
        if (fr->end == UINT64_MAX && chunk < left)
            return MEMTX_DECODE_ERROR;
        if (chunk >= left)
            break;
        a += chunk;
        left -= chunk;
    }
    return MEMTX_OK;
}

static MemTxResult address_space_rw(AddressSpace *as, uint64_t addr, uint8_t *buf, uint64_t len,
                                    bool write, bool allow_rom)
{
    MemTxResult r = address_space_check(as, addr, len, write, allow_rom);
    if (r != MEMTX_OK)
        return r;
    while (len) {
        int i = flat_find(as, addr);
        struct FlatRange *fr = &as->flat[i];
        MemoryRegion *mr = fr->mr;
        uint64_t chunk = fr->end - addr;
        if (chunk > len)
            chunk = len;
        if (mr->kind == MR_MMIO) {
            for (uint64_t b = 0; b < chunk; b++) {
                if (write)
                    mmio_write(mr, addr + b - mr->base, buf[b], 1);
                else
                    buf[b] = (uint8_t)mmio_read(mr, addr + b - mr->base, 1);
            }
        } else if (write) {
            code_notify_range(as, mr, addr, chunk);
            memcpy(mr->host + (addr - mr->base), buf, (size_t)chunk);
        } else {
            memcpy(buf, mr->host + (addr - mr->base), (size_t)chunk);
        }
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
    return MEMTX_OK;
}

MemTxResult address_space_read(AddressSpace *as, uint64_t addr, void *buf, uint64_t len)
{
    return address_space_rw(as, addr, buf, len, false, false);
}

MemTxResult address_space_write(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len)
{
    return address_space_rw(as, addr, (uint8_t *)buf, len, true, false);
}

MemTxResult address_space_write_rom(AddressSpace *as, uint64_t addr, const void *buf, uint64_t len)
{
    return address_space_rw(as, addr, (uint8_t *)buf, len, true, true);
}

/* ---- code tracking ---- */

void memory_set_code_page(AddressSpace *as, uint64_t paddr, bool has_code)
{
    MemoryRegion *mr = address_space_lookup(as, paddr);
    if (mr && mr->code_bitmap)
        mr->code_bitmap[(paddr - mr->base) >> MEM_PAGE_BITS] = has_code;
}

bool memory_page_has_code(AddressSpace *as, uint64_t paddr)
{
    MemoryRegion *mr = address_space_lookup(as, paddr);
    return mr && mr->code_bitmap && mr->code_bitmap[(paddr - mr->base) >> MEM_PAGE_BITS];
}
