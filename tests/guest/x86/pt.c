/*
 * 2-level (non-PAE) paging for the x86 test guests: one page directory that
 * identity-maps all 4 GiB, the first n MiB with 4 KiB pages (page tables in
 * .bss) and the rest with 4 MiB PSE pages.  Must stay true: the tables are
 * page aligned and only ever hold identity mappings unless a test changes a
 * PTE and flushes it itself.
 */
#include "lib.h"

#define PT_MAX 32    /* 128 MiB of 4 KiB pages */
#define P_PRESENT 0x001
#define P_RW 0x002
#define P_US 0x004    /* user pages everywhere: ring-3 tests clear it */
#define P_PS 0x080

static uint32_t pt_dir[1024] __attribute__((aligned(4096)));
static uint32_t pt_tables[PT_MAX][1024] __attribute__((aligned(4096)));

void pt_init(uint32_t n4k_mib)
{
    uint32_t ntab = (n4k_mib + 3) / 4;
    if (ntab > PT_MAX)
        ntab = PT_MAX;
    for (uint32_t i = 0; i < 1024; i++) {
        if (i < ntab) {
            for (uint32_t j = 0; j < 1024; j++)
                pt_tables[i][j] = ((i << 22) | (j << 12)) | P_PRESENT | P_RW | P_US;
            pt_dir[i] = (uint32_t)pt_tables[i] | P_PRESENT | P_RW | P_US;
        } else {
            pt_dir[i] = (i << 22) | P_PS | P_PRESENT | P_RW | P_US;
        }
    }
}

uint32_t *pt_pte(uint32_t va)
{
    uint32_t i = va >> 22;
    if (i >= PT_MAX || (pt_dir[i] & P_PS))
        return 0;
    return &pt_tables[i][(va >> 12) & 1023];
}

uint32_t *pt_pde(uint32_t va)
{
    return &pt_dir[va >> 22];
}

void pt_enable(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    v |= 0x10;                                      /* PSE */
    __asm__ volatile("mov %0, %%cr4" : : "r"(v));
    __asm__ volatile("mov %0, %%cr3" : : "r"(pt_dir) : "memory");
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    v |= 0x80010000;                                /* PG | WP */
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

void pt_disable(void)
{
    uint32_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    v &= ~0x80000000u;
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}
