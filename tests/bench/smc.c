/*
 * Benchmark: self-modifying code: a loop that rewrites the immediate of an
 * instruction it then runs (through a jump), every iteration.
 */
#include "lib.h"

#define BENCH_ITERS 120000

int main(void)
{
    uint32_t sum = 0, n = BENCH_ITERS;
    __asm__ volatile("1:\tmovl %%ecx, %%eax\n\timull $2654435761, %%eax\n\t"
                     "movl %%eax, 3f+1\n\tjmp 3f\n"
                     "3:\tmovl $0, %%edx\n\t"
                     "xorl %%edx, %0\n\troll $5, %0\n\tloop 1b"
                     : "+r"(sum), "+c"(n) : : "eax", "edx", "memory", "cc");
    printf("checksum %08x\n", sum);
    return 0;
}
