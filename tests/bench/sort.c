/*
 * Benchmark: recursive quicksort of 1M pseudo-random ints (4 rounds), a check
 * that the result is sorted; checksum over a sample.
 */
#include "lib.h"

#define BENCH_N (1u << 20)
#define BENCH_ROUNDS 4

static int32_t v[BENCH_N];

static void __attribute__((noinline)) qsort_i(int32_t *a, int32_t lo, int32_t hi)
{
    while (lo < hi) {
        int32_t p = a[lo + (hi - lo) / 2], i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            qsort_i(a, lo, j);
            lo = i;
        } else {
            qsort_i(a, i, hi);
            hi = j;
        }
    }
}

int main(void)
{
    uint32_t seed = 12345, h = HASH_INIT, bad = 0;
    for (int r = 0; r < BENCH_ROUNDS; r++) {
        for (uint32_t i = 0; i < BENCH_N; i++)
            v[i] = (int32_t)xorshift32(&seed);
        qsort_i(v, 0, BENCH_N - 1);
        for (uint32_t i = 1; i < BENCH_N; i++)
            bad += v[i - 1] > v[i];
        for (uint32_t i = 0; i < BENCH_N; i += 997)
            h = hash_u32(h, (uint32_t)v[i]);
    }
    printf("checksum %08x unsorted %u\n", h, bad);
    return bad != 0;
}
