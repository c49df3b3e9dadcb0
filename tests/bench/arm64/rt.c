/* The arm64 benchmark runtime's MMU set-up and set-up (lib.h). */
#include "lib.h"

#define PT_MAX_MIB 128
#define AF        (1ull << 10)
#define SH_INNER  (3ull << 8)
#define ATTR(i)   ((uint64_t)(i) << 2)
#define UXN       (1ull << 54)
#define PXN       (1ull << 53)
#define BLOCK     1ull
#define TABLE     3ull
#define PAGE      3ull

static uint64_t pt_l1[512] __attribute__((aligned(4096)));
static uint64_t pt_l2[512] __attribute__((aligned(4096)));
/* one level-3 table per 2 MiB of 4 KiB pages */
static uint64_t pt_l3[PT_MAX_MIB / 2][512] __attribute__((aligned(4096)));

void pt_init(uint32_t n4k_mib)
{
    uint32_t nl3 = (n4k_mib + 1) / 2;
    if (nl3 > PT_MAX_MIB / 2)
        nl3 = PT_MAX_MIB / 2;
    uint64_t normal = ATTR(1) | AF | SH_INNER;
    pt_l1[0] = 0x00000000ull | ATTR(0) | AF | BLOCK | UXN | PXN;     /* devices */
    pt_l1[1] = (uint64_t)pt_l2 | TABLE;                              /* RAM */
    for (uint64_t i = 0; i < 512; i++) {
        uint64_t pa = GUEST_RAM_BASE + (i << 21);
        if (i < nl3) {
            for (uint64_t j = 0; j < 512; j++)
                pt_l3[i][j] = (pa + (j << 12)) | normal | PAGE;
            pt_l2[i] = (uint64_t)pt_l3[i] | TABLE;
        } else {
            pt_l2[i] = pa | normal | BLOCK;
        }
    }
}

void pt_enable(void)
{
    WRITE_SYSREG(mair_el1, 0xff00);         /* attr0 Device-nGnRnE, attr1 Normal WB */
    /* T0SZ 25 (39-bit), 4 KiB granule, inner/outer WB, inner shareable,
     * TTBR1 walks disabled (EPD1), 40-bit IPS */
    WRITE_SYSREG(tcr_el1, 25 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) |
                          (2ull << 32));
    WRITE_SYSREG(ttbr0_el1, (uint64_t)pt_l1);
    __asm__ volatile("dsb ish\nisb\ntlbi vmalle1\ndsb ish\nisb" ::: "memory");
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
    __asm__ volatile("isb" ::: "memory");
}

void pt_disable(void)
{
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) & ~1ull);
    __asm__ volatile("isb\ntlbi vmalle1\ndsb ish\nisb" ::: "memory");
}
