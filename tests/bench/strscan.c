/*
 * Benchmark: the scanning string instructions over 1 MiB buffers, repeated:
 * strlen by REPNE SCASB, memcmp by REPE CMPSB and REPE CMPSD, and a
 * backward REPE SCASD; checksum over the counts and flags they leave.
 */
#include "lib.h"

#define BENCH_SIZE (1u << 20)
#define BENCH_ROUNDS 40

static uint8_t a[BENCH_SIZE], b[BENCH_SIZE];

static uint32_t scan_len(const uint8_t *p, uint32_t max)
{
    uint32_t c = max;
    __asm__ volatile("cld\n\txorl %%eax, %%eax\n\trepne scasb"
                     : "+D"(p), "+c"(c) : : "eax", "memory", "cc");
    return max - c;
}

static uint32_t cmp_bytes(const uint8_t *x, const uint8_t *y, uint32_t n, uint32_t *fl)
{
    __asm__ volatile("cld\n\tcmpl %%ecx, %%ecx\n\trepe cmpsb\n\tpushf\n\tpop %3"
                     : "+S"(x), "+D"(y), "+c"(n), "=r"(*fl) : : "memory", "cc");
    return n;
}

static uint32_t cmp_dwords(const uint8_t *x, const uint8_t *y, uint32_t n, uint32_t *fl)
{
    __asm__ volatile("cld\n\tcmpl %%ecx, %%ecx\n\trepe cmpsl\n\tpushf\n\tpop %3"
                     : "+S"(x), "+D"(y), "+c"(n), "=r"(*fl) : : "memory", "cc");
    return n;
}

static uint32_t scan_back(const uint8_t *end, uint32_t n, uint32_t v)
{
    __asm__ volatile("std\n\trepe scasl\n\tcld"
                     : "+D"(end), "+c"(n) : "a"(v) : "memory", "cc");
    return n;
}

int main(void)
{
    uint32_t seed = 5, h = HASH_INIT, fl;
    for (uint32_t i = 0; i < BENCH_SIZE; i++)
        a[i] = (uint8_t)(xorshift32(&seed) | 1);
    memcpy(b, a, BENCH_SIZE);
    for (int r = 0; r < BENCH_ROUNDS; r++) {
        uint32_t at = BENCH_SIZE - 1 - (uint32_t)r * 4099;
        a[at] = 0;
        h = hash_u32(h, scan_len(a, BENCH_SIZE));
        a[at] = 1;
        b[at] ^= 0x40;
        h = hash_u32(h, cmp_bytes(a, b, BENCH_SIZE, &fl));
        h = hash_u32(h, fl & FL_ARITH);
        h = hash_u32(h, cmp_dwords(a, b, BENCH_SIZE / 4, &fl));
        h = hash_u32(h, fl & FL_ARITH);
        b[at] ^= 0x40;
        memset(b + BENCH_SIZE - 65536, 0x5a, 65536);
        h = hash_u32(h, scan_back(b + BENCH_SIZE - 4, BENCH_SIZE / 4, 0x5a5a5a5a));
        memcpy(b + BENCH_SIZE - 65536, a + BENCH_SIZE - 65536, 65536);
    }
    printf("checksum %08x\n", h);
    return 0;
}
