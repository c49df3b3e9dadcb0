/*
 * Benchmark: strided reads and writes over 64 MiB mapped with 4 KiB pages
 * (16384 pages, far more than any TLB holds), paging on.  Needs -m 128+.
 * (arm64: the stage-1 MMU with a 4 KiB granule, tests/bench/arm64/rt.c)
 */
#include "lib.h"

#ifndef GUEST_RAM_BASE
#define GUEST_RAM_BASE 0u           /* arm64's lib.h: RAM at 1 GiB */
#endif
#define BENCH_BASE (GUEST_RAM_BASE + 0x02000000u)   /* RAM + 32 MiB .. 96 MiB */
#define BENCH_SIZE (64u << 20)
#define BENCH_ROUNDS 240

int main(void)
{
    uint32_t sum = 0;
    pt_init(128);
    pt_enable();
    volatile uint32_t *m = (volatile uint32_t *)(uintptr_t)BENCH_BASE;
    for (uint32_t off = 0; off < BENCH_SIZE; off += 4096)
        m[off / 4] = off;
    for (uint32_t r = 0; r < BENCH_ROUNDS; r++) {
        /* a page-and-a-bit stride visits every page in a scrambled order */
        uint32_t stride = 4096 * (1 + 2 * (r & 7)) + 64;
        for (uint32_t off = 0, k = 0; k < BENCH_SIZE / 4096; k++) {
            sum += m[off / 4];
            m[off / 4 + 1] = sum;
            off += stride;
            if (off >= BENCH_SIZE - 64)
                off -= BENCH_SIZE - 64;
        }
    }
    pt_disable();
    printf("checksum %08x\n", sum);
    return 0;
}
