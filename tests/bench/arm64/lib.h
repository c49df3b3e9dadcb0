/*
 * The arm64 side of the benchmark guests: the names benchmark sources use
 * from the x86 guest runtime (tests/guest/x86/lib.h), on top of the
 * bare-metal AArch64 runtime (tests/guest/arm64: PL011 output, exit by PSCI
 * SYSTEM_OFF).  Built with -Itests/bench/arm64, so one benchmark source
 * builds for both guests; only start-up, exit and the MMU set-up differ.
 */
#ifndef TESTS_BENCH_ARM64_LIB_H
#define TESTS_BENCH_ARM64_LIB_H

#include "../../guest/arm64/lib.h"

/* where RAM starts on -M virt: physical addresses in the shared sources
 * are offsets from it (RAM starts at 0 on -M pc) */
#define GUEST_RAM_BASE 0x40000000u

/* printf_ knows %s %c %d %u %x with a width: all the checksum lines use */
#define printf printf_

/*
 * Stage-1 MMU (rt.c), 4 KiB granule, 39-bit VAs: an identity map of the
 * device gigabyte (Device-nGnRnE) and of the RAM gigabyte (Normal), the
 * first n4k_mib MiB of RAM (at most 128) with 4 KiB pages, the rest with
 * 2 MiB blocks: the x86 pt_init's layout moved to RAM's base.
 */
void pt_init(uint32_t n4k_mib);
void pt_enable(void);           /* MAIR, TCR, TTBR0, TLBI, SCTLR.M|C|I */
void pt_disable(void);

/* FNV-1a, for checksum lines (as the x86 runtime's) */
static inline uint32_t hash_u32(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 16777619u;
    }
    return h;
}
#define HASH_INIT 2166136261u

static inline uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

#endif
