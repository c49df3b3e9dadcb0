/*
 * Benchmark: recursive Fibonacci (calls and returns, little else).
 */
#include "lib.h"

#define BENCH_N 38

static uint32_t __attribute__((noinline)) fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    printf("checksum %08x\n", fib(BENCH_N));
    return 0;
}
