/* The V-register scaffolding of the FP/SIMD guests (fpmove, neonint): a
 * pattern buffer, a scratch buffer and the V0-V7 dump, the asm snippets
 * that fill and save V0-V7, and the printers. vregs_init() fills pat. */
#ifndef GUEST_ARM64_VREGS_H
#define GUEST_ARM64_VREGS_H

#include "lib.h"

static uint8_t pat[512] __attribute__((aligned(16)));   /* bytes i * 7 + 3 */
static uint8_t mem[512] __attribute__((aligned(16)));
static uint64_t out[16];

/* v0..v7 <- distinct garbage, mem <- zero */
#define FILL "ldp q0, q1, [%[pat], #256]\n ldp q2, q3, [%[pat], #288]\n" \
             "ldp q4, q5, [%[pat], #320]\n ldp q6, q7, [%[pat], #352]\n"
#define SAVE "stp q0, q1, [%[out]]\n stp q2, q3, [%[out], #32]\n" \
             "stp q4, q5, [%[out], #64]\n stp q6, q7, [%[out], #96]\n"
#define IN [pat] "r"(pat), [out] "r"(out), [mem] "r"(mem)
#define CLOB "x0", "x1", "x2", "x3", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", \
             "v10", "v30", "v31", "memory"

static void clear_mem(void)
{
    for (int i = 0; i < 512; i++)
        ((volatile uint8_t *)mem)[i] = 0;
}

static void show(const char *name)
{
    printf_("%s:", name);
    for (int i = 0; i < 8; i++)
        printf_(" %016lx%016lx", out[2 * i + 1], out[2 * i]);
    printf_("\n");
}

static void __attribute__((unused)) show_mem(const char *name, int n)
{
    printf_("%s mem:", name);
    for (int i = 0; i < n; i += 8) {
        uint64_t v = 0;
        for (int b = 7; b >= 0; b--)
            v = v << 8 | mem[i + b];
        printf_(" %016lx", v);
    }
    printf_("\n");
}

static void vregs_init(void)
{
    for (int i = 0; i < 512; i++)
        pat[i] = (uint8_t)(i * 7 + 3 + (i >> 6) * 0x51);
}

#endif
