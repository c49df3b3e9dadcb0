/*
 * Benchmark: copying 4 MiB buffers with REP MOVSD (arm64: an LDP/STP loop,
 * 16 bytes a step) and with a byte loop, repeated; checksum over the final
 * buffer.
 */
#include "lib.h"

#define BENCH_SIZE (4u << 20)
#define BENCH_REP_ROUNDS 8
#define BENCH_BYTE_ROUNDS 2

static uint8_t a[BENCH_SIZE] __attribute__((aligned(16))), b[BENCH_SIZE] __attribute__((aligned(16)));

/* copies n 32-bit words (n a multiple of 4 on arm64) */
static void copy_movsd(void *d, const void *s, uint32_t n)
{
#ifdef __aarch64__
    uint64_t t0, t1;
    __asm__ volatile("1:\tldp %3, %4, [%1], #16\n\tstp %3, %4, [%0], #16\n\t"
                     "subs %w2, %w2, #4\n\tb.ne 1b"
                     : "+r"(d), "+r"(s), "+r"(n), "=&r"(t0), "=&r"(t1) : : "memory", "cc");
#else
    __asm__ volatile("cld\n\trep movsl" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
#endif
}

static void __attribute__((noinline)) copy_bytes(volatile uint8_t *d,
                                                 const volatile uint8_t *s,
                                                 uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        d[i] = s[i];
}

int main(void)
{
    uint32_t seed = 7, h = HASH_INIT;
    for (uint32_t i = 0; i < BENCH_SIZE; i += 4)
        *(uint32_t *)(a + i) = xorshift32(&seed);
    for (int r = 0; r < BENCH_REP_ROUNDS; r++) {
        copy_movsd(b, a, BENCH_SIZE / 4);
        b[r * 4096 + 5] ^= (uint8_t)(a[r * 7] + r);
        copy_movsd(a, b, BENCH_SIZE / 4);
    }
    for (int r = 0; r < BENCH_BYTE_ROUNDS; r++) {
        copy_bytes(b + 1, a, BENCH_SIZE - 1);
        copy_bytes(a, b + 3, BENCH_SIZE - 3);
    }
    for (uint32_t i = 0; i < BENCH_SIZE; i += 4096 + 4)
        h = hash_u32(h, *(uint32_t *)(a + i));
    printf("checksum %08x\n", h);
    return 0;
}
