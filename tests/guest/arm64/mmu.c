/* The stage-1 MMU: 4 KiB granule tables (39-bit VAs, TTBR0 identity map
 * with 1 GiB blocks, a level-3 table of test pages, TTBR1 aliasing RAM high
 * up), then the 64 KiB granule. Faults of each kind with their ESR (fault
 * status code and level) and FAR: translation (levels 1 and 3), access
 * flag, permission (read-only, PXN, EL0 without access), AT S1E1R/W
 * results in PAR_EL1, and TLBI after a table change. */
#include "lib.h"

#define TEST_VA   0x80000000ull          /* level-1 entry 2: the test pages */
#define HIGH_BASE 0xffffff8000000000ull   /* TTBR1 region with T1SZ = 25 */

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint8_t pages[8][4096] __attribute__((aligned(4096)));
/* 64 KiB granule: a 1024-entry level-2 table, a level-3 table */
static uint64_t g64_l2[1024] __attribute__((aligned(65536)));
static uint64_t g64_l3[8192] __attribute__((aligned(65536)));
static uint8_t page64[65536] __attribute__((aligned(65536)));

#define AF        (1ull << 10)
#define SH_INNER  (3ull << 8)
#define ATTR(i)   ((uint64_t)(i) << 2)
#define AP_EL0    (1ull << 6)
#define AP_RO     (1ull << 7)
#define PXN       (1ull << 53)
#define UXN       (1ull << 54)
#define BLOCK     1ull
#define TABLE     3ull
#define PAGE      3ull

static int taken;
static uint64_t far_base;

static void handler(ExcFrame *f, uint64_t vector)
{
    uint64_t ec = f->esr >> 26;
    taken++;
    printf_("fault %d: vector %x ESR %lx FAR %lx\n", taken, (unsigned)vector, f->esr, f->far - far_base);
    if (ec == 0x15 && (f->esr & 0xffff) == 0x99) {
        f->elr = f->x[0];
        f->spsr = 0x3c5;
        return;
    }
    if (ec == 0x20 || ec == 0x21)
        f->elr = f->x[30];       /* instruction abort: back to the caller */
    else
        f->elr += 4;
}

static uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }
static void wr(uint64_t va, uint64_t v) { *(volatile uint64_t *)va = v; }

static uint64_t at_s1e1r(uint64_t va)
{
    __asm__ volatile("at s1e1r, %0\nisb" :: "r"(va));
    return READ_SYSREG(par_el1);
}

__attribute__((naked)) static void el0_probe(void)
{
    __asm__ volatile(
        "ldr x1, [x20]\n"            /* page 4: EL0 read/write */
        "str x1, [x20, #8]\n"
        "ldr x2, [x21]\n"            /* page 0: EL1 only: permission fault */
        "mov x0, x19\n"
        "svc #0x99\n");
}

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 512; j++)
            ((uint64_t *)pages[i])[j] = 0x1000ull * i + j;

    /* TTBR0: device block 0-1G, RAM block 1-2G, level-2 table at 2-3G */
    l1[0] = 0x00000000ull | ATTR(0) | AF | BLOCK | UXN | PXN;
    l1[1] = 0x40000000ull | ATTR(1) | AF | SH_INNER | BLOCK;
    l1[2] = (uint64_t)l2 | TABLE;
    l2[0] = (uint64_t)l3 | TABLE;
    uint64_t n = ATTR(1) | SH_INNER | PAGE;
    l3[0] = (uint64_t)pages[0] | n | AF;
    l3[1] = (uint64_t)pages[1] | n | AF | AP_RO;
    l3[2] = (uint64_t)pages[2] | n;                     /* AF clear */
    l3[3] = 0;                                           /* invalid */
    l3[4] = (uint64_t)pages[4] | n | AF | AP_EL0 | UXN;
    l3[5] = (uint64_t)pages[5] | n | AF | PXN;
    l3[6] = (uint64_t)pages[5] | n | AF | AP_RO;        /* executable alias of page 5 */
    /* TTBR1: RAM again at HIGH_BASE + 1G */
    l1_hi[1] = 0x40000000ull | ATTR(1) | AF | SH_INNER | BLOCK | UXN | PXN;
    ((uint32_t *)pages[5])[0] = 0xd2800540;              /* mov x0, #42 */
    ((uint32_t *)pages[5])[1] = 0xd65f03c0;              /* ret */

    WRITE_SYSREG(mair_el1, 0xff00);                      /* attr0 device, attr1 normal WB */
    uint64_t tcr = 25 | (1ull << 8) | (1ull << 10) | (3ull << 12) |            /* T0SZ, 4K */
                   (25ull << 16) | (1ull << 24) | (1ull << 26) | (3ull << 28) | (2ull << 30) |
                   (2ull << 32);
    WRITE_SYSREG(tcr_el1, tcr);
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    WRITE_SYSREG(ttbr1_el1, (uint64_t)l1_hi | (5ull << 48));
    __asm__ volatile("isb\ntlbi vmalle1\ndsb sy\nisb");
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
    __asm__ volatile("isb");
    printf_("MMU on, SCTLR.M %lx\n", READ_SYSREG(sctlr_el1) & 1);

    far_base = TEST_VA;
    printf_("page 0 word 3: %lx\n", rd(TEST_VA + 24));
    printf_("page 1 word 5: %lx\n", rd(TEST_VA + 0x1000 + 40));
    printf_("high alias: %lx\n", rd(HIGH_BASE + (uint64_t)&pages[4][0] + 16));
    wr(TEST_VA + 0x1000 + 8, 1);                         /* read-only: permission fault L3 */
    rd(TEST_VA + 0x2000);                                /* access flag fault L3 */
    rd(TEST_VA + 0x3000 + 0x123);                        /* translation fault L3 */
    rd(TEST_VA + 0x40000000ull);                         /* level-1 entry 3: translation L1 */
    uint64_t (*fn)(void) = (uint64_t (*)(void))(TEST_VA + 0x6000);
    printf_("exec alias: %lx\n", fn());
    fn = (uint64_t (*)(void))(TEST_VA + 0x5000);
    fn();                                                /* PXN: instruction abort L3 */
    printf_("PAR page 1: %lx\n", at_s1e1r(TEST_VA + 0x1000) & ~0xfffffff000ull);
    printf_("PAR page 1 pa ok: %d\n", (at_s1e1r(TEST_VA + 0x1abc) & 0xfffffff000ull) == (uint64_t)pages[1]);
    printf_("PAR page 3: %lx\n", at_s1e1r(TEST_VA + 0x3000));
    __asm__ volatile("at s1e1w, %0\nisb" :: "r"(TEST_VA + 0x1000));
    printf_("PAR write page 1: %lx\n", READ_SYSREG(par_el1));

    /* change a mapping: TLBI by VA makes it visible */
    rd(TEST_VA + 0x7000);
    l3[7] = (uint64_t)pages[7] | n | AF;
    __asm__ volatile("dsb ishst\ntlbi vae1, %0\ndsb ish\nisb" :: "r"((TEST_VA + 0x7000) >> 12));
    printf_("after tlbi: %lx\n", rd(TEST_VA + 0x7000 + 8));
    l3[7] = (uint64_t)pages[6] | n | AF;
    __asm__ volatile("dsb ishst\ntlbi vmalle1\ndsb ish\nisb");
    printf_("after tlbi all: %lx\n", rd(TEST_VA + 0x7000 + 8));

    /* EL0: page 4 allowed, page 0 not */
    __asm__ volatile(
        "adr x19, 2f\n"
        "mov x20, %1\n"
        "mov x21, %2\n"
        "msr elr_el1, %0\n"
        "msr spsr_el1, xzr\n"
        "eret\n"
        "2:\n" :: "r"((uint64_t)el0_probe), "r"(TEST_VA + 0x4000), "r"(TEST_VA)
        : "x0", "x1", "x2", "x19", "x20", "x21", "x30", "memory");
    printf_("EL0 copy: %lx\n", rd(TEST_VA + 0x4008));

    /* 64 KiB granule: level 2 (512 MiB blocks) then level 3 */
    g64_l2[0] = 0x00000000ull | ATTR(0) | AF | BLOCK | UXN | PXN;
    g64_l2[2] = 0x40000000ull | ATTR(1) | AF | SH_INNER | BLOCK;
    g64_l2[4] = (uint64_t)g64_l3 | TABLE;
    g64_l3[1] = (uint64_t)page64 | n | AF;
    for (int i = 0; i < 8; i++)
        ((uint64_t *)page64)[i * 1024] = 0x64000ull + i;
    /* switch with the MMU off: the identity map makes that seamless */
    uint64_t sctlr = READ_SYSREG(sctlr_el1);
    WRITE_SYSREG(sctlr_el1, sctlr & ~1ull);
    __asm__ volatile("isb");
    WRITE_SYSREG(tcr_el1, (tcr & ~(3ull << 14)) | (1ull << 14));   /* TG0 = 64K */
    WRITE_SYSREG(ttbr0_el1, (uint64_t)g64_l2);
    __asm__ volatile("isb\ntlbi vmalle1\ndsb sy\nisb");
    WRITE_SYSREG(sctlr_el1, sctlr);
    __asm__ volatile("isb");
    printf_("64K page word: %lx\n", rd(TEST_VA + 0x10000 + 3 * 8192));
    rd(TEST_VA + 0x20000 + 0x10);                        /* translation fault L3 */
    rd(TEST_VA + 0x20000000ull);                         /* level-2 entry 5: translation L2 */
    printf_("faults %d\n", taken);
    check("mmu faults taken", taken, 10);
    exc_hook = 0;
    return 0;
}
