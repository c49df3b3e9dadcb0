/*
 * Benchmark: self-modifying code: a loop that rewrites the immediate of an
 * instruction it then runs (through a jump), every iteration (arm64: with
 * DC CVAU, IC IVAU and ISB between the store and the jump).
 */
#include "lib.h"

#define BENCH_ITERS 120000

int main(void)
{
    uint32_t sum = 0, n = BENCH_ITERS;
#ifdef __aarch64__
    /* the same loop with the architected maintenance: MOVZ/MOVK of w10
     * rewritten, cleaned to the point of unification, invalidated from
     * the instruction cache, ISB, then run */
    uint64_t at, k, movz, movk, t0, t1;
    __asm__ volatile("adr %2, 3f\n\t"
                     "mov %w3, #0x79b1\n\tmovk %w3, #0x9e37, lsl #16\n\t"
                     "mov %w4, #0x000a\n\tmovk %w4, #0x5280, lsl #16\n\t"   /* movz w10, #0 */
                     "mov %w5, #0x000a\n\tmovk %w5, #0x72a0, lsl #16\n"      /* movk w10, #0, lsl #16 */
                     "1:\tmul %w6, %w1, %w3\n\t"
                     "ubfiz %w7, %w6, #5, #16\n\torr %w7, %w7, %w4\n\t"
                     "lsr %w6, %w6, #16\n\torr %w6, %w5, %w6, lsl #5\n\t"
                     "stp %w7, %w6, [%2]\n\t"
                     "dc cvau, %2\n\tdsb ish\n\tic ivau, %2\n\tdsb ish\n\tisb\n\t"
                     "b 3f\n\t.balign 8\n"
                     "3:\tmovz w10, #0\n\tmovk w10, #0, lsl #16\n\t"
                     "eor %w0, %w0, w10\n\tror %w0, %w0, #27\n\t"
                     "subs %w1, %w1, #1\n\tb.ne 1b"
                     : "+r"(sum), "+r"(n), "=&r"(at), "=&r"(k), "=&r"(movz), "=&r"(movk),
                       "=&r"(t0), "=&r"(t1) : : "x10", "memory", "cc");
#else
    __asm__ volatile("1:\tmovl %%ecx, %%eax\n\timull $2654435761, %%eax\n\t"
                     "movl %%eax, 3f+1\n\tjmp 3f\n"
                     "3:\tmovl $0, %%edx\n\t"
                     "xorl %%edx, %0\n\troll $5, %0\n\tloop 1b"
                     : "+r"(sum), "+c"(n) : : "eax", "edx", "memory", "cc");
#endif
    printf("checksum %08x\n", sum);
    return 0;
}
