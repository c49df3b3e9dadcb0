/* ASIDs and TLB maintenance (Arm ARM D5.9/D5.10): two address spaces with
 * the same VA mapped non-global (nG) to different pages under ASIDs 1 and
 * 2, switched through TTBR0 (TCR.A1 = 0) and through TTBR1 (TCR.A1 = 1);
 * mappings changed under an ASID that is not current, then TLBI ASIDE1 or
 * VAE1 with that ASID; 2 MiB blocks remapped and invalidated by one VA
 * inside them (VAE1, VAAE1, VALE1, VAALE1, and the IS forms). Only what the
 * architecture defines is printed: values read after the maintenance it
 * requires. */
#include "lib.h"

#define TEST_VA  0x80000000ull          /* level-1 entry 2: 4K pages */
#define BLOCK_VA 0xc0000000ull          /* level-1 entry 3: 2 MiB blocks */

static uint64_t l1a[512] __attribute__((aligned(4096)));
static uint64_t l1b[512] __attribute__((aligned(4096)));
static uint64_t l2a[512] __attribute__((aligned(4096)));
static uint64_t l2b[512] __attribute__((aligned(4096)));
static uint64_t l3a[512] __attribute__((aligned(4096)));
static uint64_t l3b[512] __attribute__((aligned(4096)));
static uint64_t l2blk[512] __attribute__((aligned(4096)));
/* 64 KiB granule: a 1024-entry level-2 table, a level-3 table, two pages */
static uint64_t g64_l2[1024] __attribute__((aligned(65536)));
static uint64_t g64_l3[8192] __attribute__((aligned(65536)));
static uint64_t page64[2][8192] __attribute__((aligned(65536)));
static uint64_t data[6][512] __attribute__((aligned(4096)));
/* two 2 MiB regions of RAM for the blocks, inside the 4 MiB array */
static uint8_t big[3 << 21] __attribute__((aligned(1 << 21)));

#define AF        (1ull << 10)
#define NG        (1ull << 11)
#define SH_INNER  (3ull << 8)
#define ATTR(i)   ((uint64_t)(i) << 2)
#define BLOCK     1ull
#define TABLE     3ull
#define PAGE      3ull
#define NORMAL    (ATTR(1) | SH_INNER | AF)

static uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }

static void set_ttbr0(uint64_t tbl, uint64_t asid)
{
    WRITE_SYSREG(ttbr0_el1, tbl | (asid << 48));
    __asm__ volatile("isb");
}

static void sync_tables(void) { __asm__ volatile("dsb ishst" ::: "memory"); }
static void tlbi_done(void) { __asm__ volatile("dsb ish\nisb" ::: "memory"); }

static uint64_t region(int r) { return (uint64_t)big + ((uint64_t)r << 21); }

/* remap the 2 MiB block at BLOCK_VA to region r (the old one must be gone
 * after the given TLBI by a VA 0x5000 into the block), read 0x9000 in */
#define BLOCK_REMAP(name, tlbi, r, ng) do {                                        \
        rd(BLOCK_VA + 0x9000);                                                     \
        rd(BLOCK_VA + 0x5000);                                                     \
        l2blk[0] = region(r) | NORMAL | BLOCK | (ng);                             \
        sync_tables();                                                             \
        __asm__ volatile(tlbi :: "r"((1ull << 48) | ((BLOCK_VA + 0x5000) >> 12))); \
        tlbi_done();                                                               \
        printf_("%s: block reads %lx\n", name, rd(BLOCK_VA + 0x9000));             \
        check(name, rd(BLOCK_VA + 0x9000), 0xb000 + (r));                          \
    } while (0)

int main(void)
{
    puts_("-- guest start --\n");
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 512; j++)
            data[i][j] = 0xd000ull * (i + 1) + j;
    for (int r = 0; r < 3; r++)
        for (int off = 0; off < (1 << 21); off += 0x1000)
            *(uint64_t *)(region(r) + off) = 0xb000 + r;

    /* both spaces: device 0-1G, RAM 1-2G (global), test pages at 2G, blocks at 3G */
    for (int t = 0; t < 2; t++) {
        uint64_t *l1 = t ? l1b : l1a, *l2 = t ? l2b : l2a, *l3 = t ? l3b : l3a;
        l1[0] = 0x00000000ull | ATTR(0) | AF | BLOCK;
        l1[1] = 0x40000000ull | NORMAL | BLOCK;
        l1[2] = (uint64_t)l2 | TABLE;
        l1[3] = (uint64_t)l2blk | TABLE;
        l2[0] = (uint64_t)l3 | TABLE;
        l3[0] = (uint64_t)data[t] | NORMAL | PAGE | NG;        /* A: data 0, B: data 1 */
        l3[1] = (uint64_t)data[2 + t] | NORMAL | PAGE | NG;    /* A: data 2, B: data 3 */
    }
    l2blk[0] = region(0) | NORMAL | BLOCK;
    WRITE_SYSREG(mair_el1, 0xff00);
    /* 4K, T0SZ 25 (39-bit), 16-bit ASIDs (AS), A1 = 0, TTBR1 walks off */
    uint64_t tcr = 25 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) | (2ull << 32) |
                   (1ull << 36);
    WRITE_SYSREG(tcr_el1, tcr);
    set_ttbr0((uint64_t)l1a, 1);
    __asm__ volatile("tlbi vmalle1\ndsb sy\nisb");
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
    __asm__ volatile("isb");

    printf_("ASID 1: %lx %lx\n", rd(TEST_VA), rd(TEST_VA + 0x1008));
    check("ASID 1 page 0", rd(TEST_VA), 0xd000);
    set_ttbr0((uint64_t)l1b, 2);
    printf_("ASID 2: %lx %lx\n", rd(TEST_VA), rd(TEST_VA + 0x1008));
    check("ASID 2 page 0", rd(TEST_VA), 0x1a000);
    set_ttbr0((uint64_t)l1a, 1);
    printf_("ASID 1 again: %lx %lx\n", rd(TEST_VA), rd(TEST_VA + 0x1008));
    check("ASID 1 page 0 again", rd(TEST_VA), 0xd000);

    /* change ASID 1's page 0 while ASID 2 runs; TLBI ASIDE1 for ASID 1 */
    set_ttbr0((uint64_t)l1b, 2);
    rd(TEST_VA);
    l3a[0] = (uint64_t)data[4] | NORMAL | PAGE | NG;
    sync_tables();
    __asm__ volatile("tlbi aside1, %0" :: "r"(1ull << 48));
    tlbi_done();
    printf_("ASID 2 after TLBI ASIDE1 1: %lx\n", rd(TEST_VA));
    check("ASID 2 untouched", rd(TEST_VA), 0x1a000);
    set_ttbr0((uint64_t)l1a, 1);
    printf_("ASID 1 after TLBI ASIDE1 1: %lx\n", rd(TEST_VA));
    check("ASID 1 sees the new page", rd(TEST_VA), 0x41000);

    /* change ASID 2's page 1 while ASID 1 runs; TLBI VAE1IS with ASID 2 */
    set_ttbr0((uint64_t)l1b, 2);
    rd(TEST_VA + 0x1000);
    set_ttbr0((uint64_t)l1a, 1);
    l3b[1] = (uint64_t)data[5] | NORMAL | PAGE | NG;
    sync_tables();
    __asm__ volatile("tlbi vae1is, %0" :: "r"((2ull << 48) | ((TEST_VA + 0x1000) >> 12)));
    tlbi_done();
    set_ttbr0((uint64_t)l1b, 2);
    printf_("ASID 2 after TLBI VAE1IS: %lx\n", rd(TEST_VA + 0x1000));
    check("ASID 2 sees the new page 1", rd(TEST_VA + 0x1000), 0x4e000);

    /* TCR.A1 = 1: the ASID comes from TTBR1 (whose walks stay off) */
    WRITE_SYSREG(tcr_el1, tcr | (1ull << 22));
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1a);
    WRITE_SYSREG(ttbr1_el1, 3ull << 48);
    __asm__ volatile("isb\ntlbi vmalle1\ndsb ish\nisb");
    printf_("A1, ASID 3, tables A: %lx\n", rd(TEST_VA));
    check("A1 tables A", rd(TEST_VA), 0x41000);
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1b);
    WRITE_SYSREG(ttbr1_el1, 4ull << 48);
    __asm__ volatile("isb");
    printf_("A1, ASID 4, tables B: %lx\n", rd(TEST_VA));
    check("A1 tables B", rd(TEST_VA), 0x1a000);
    WRITE_SYSREG(tcr_el1, tcr);
    set_ttbr0((uint64_t)l1a, 1);
    __asm__ volatile("tlbi vmalle1\ndsb ish\nisb");

    /* a 2 MiB block remapped, invalidated by one VA 20 KiB into it */
    BLOCK_REMAP("VAE1", "tlbi vae1, %0", 1, 0);
    BLOCK_REMAP("VAAE1", "tlbi vaae1, %0", 2, 0);
    BLOCK_REMAP("VALE1", "tlbi vale1, %0", 0, 0);
    BLOCK_REMAP("VAALE1IS", "tlbi vaale1is, %0", 1, 0);
    BLOCK_REMAP("VAE1IS nG", "tlbi vae1is, %0", 2, NG);
    BLOCK_REMAP("VALE1IS nG", "tlbi vale1is, %0", 0, NG);
    BLOCK_REMAP("VAAE1IS", "tlbi vaae1is, %0", 1, 0);

    /* 64 KiB granule: a page remapped, invalidated by a VA 12 KiB into it,
     * read 36 KiB into it (switched with the MMU off, as mmu.c does) */
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < 8192; i += 512)
            page64[p][i] = 0x64000ull + 0x100 * p + i / 512;
    g64_l2[0] = 0x00000000ull | ATTR(0) | AF | BLOCK;
    g64_l2[2] = 0x40000000ull | NORMAL | BLOCK;
    g64_l2[3] = 0x60000000ull | NORMAL | BLOCK;
    g64_l2[4] = (uint64_t)g64_l3 | TABLE;
    g64_l3[0] = (uint64_t)page64[0] | NORMAL | PAGE;
    uint64_t sctlr = READ_SYSREG(sctlr_el1);
    WRITE_SYSREG(sctlr_el1, sctlr & ~1ull);
    __asm__ volatile("isb");
    WRITE_SYSREG(tcr_el1, (tcr & ~(3ull << 14)) | (1ull << 14));   /* TG0 = 64K */
    set_ttbr0((uint64_t)g64_l2, 1);
    __asm__ volatile("tlbi vmalle1\ndsb sy\nisb");
    WRITE_SYSREG(sctlr_el1, sctlr);
    __asm__ volatile("isb");
    printf_("64K page: %lx %lx\n", rd(TEST_VA + 0x3000), rd(TEST_VA + 0x9000));
    g64_l3[0] = (uint64_t)page64[1] | NORMAL | PAGE;
    sync_tables();
    __asm__ volatile("tlbi vaae1, %0" :: "r"((TEST_VA + 0x3000) >> 12));
    tlbi_done();
    printf_("64K page after TLBI VAAE1: %lx\n", rd(TEST_VA + 0x9000));
    check("64K page remapped", rd(TEST_VA + 0x9000), 0x64109);
    return 0;
}
