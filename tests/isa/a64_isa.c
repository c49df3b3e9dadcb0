/*
 * What the A64 CPU implements, listed from the decode file rather than by
 * hand: for every trans_ handler of frontend/arm64/a64.decode, the
 * instructions its patterns decode, named by Capstone. Each pattern line
 * gets words with its fixed bits and random free bits; a word counts when
 * the generated decoder picks that line and the handler accepts it (kasou
 * translates it rather than raising UNDEFINED), and Capstone's mnemonic
 * for it joins the handler's list (aliases such as MOV for ORR appear as
 * Capstone prints them).
 *   a64_isa          the listing (`make a64-isa-list`): handlers with
 *                    their mnemonics, then every mnemonic in two groups,
 *                    integer/system and FP/Advanced SIMD
 */
#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "frontend/arm64/cpu.h"
#include "softmmu/memory.h"
#include "frontend/arm64/a64-decode.inc"

#define PER_PATTERN 2048
#define MAX_MNEMS 4096

typedef struct Mnem { char name[32]; int handler; bool simd; } Mnem;

typedef struct List { Mnem m[MAX_MNEMS]; int n; } List;

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* SIMD and FP data processing (bits 28:25 = x111) and V=1 loads/stores */
static bool is_simd_fp(uint32_t w)
{
    return ((w >> 25) & 7) == 7 || (((w >> 27) & 1) && ((w >> 26) & 1) && !((w >> 25) & 1));
}

static void add(List *l, const char *name, int handler, bool simd)
{
    for (int i = 0; i < l->n; i++)
        if (l->m[i].handler == handler && !strcmp(l->m[i].name, name))
            return;
    if (l->n == MAX_MNEMS)
        return;
    Mnem *m = &l->m[l->n++];
    snprintf(m->name, sizeof(m->name), "%s", name);
    m->handler = handler;
    m->simd = simd;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const Mnem *)a)->name, ((const Mnem *)b)->name);
}

/* The distinct mnemonics of one group, sorted, wrapped at 76 columns. */
static int print_group(const List *l, bool simd)
{
    Mnem *s = malloc(sizeof(Mnem) * (size_t)(l->n ? l->n : 1));
    int n = 0;
    for (int i = 0; i < l->n; i++)
        if (l->m[i].simd == simd)
            s[n++] = l->m[i];
    qsort(s, (size_t)n, sizeof(Mnem), by_name);
    int col = 2, distinct = 0;
    printf("  ");
    for (int i = 0; i < n; i++) {
        if (i && !strcmp(s[i].name, s[i - 1].name))
            continue;
        int len = (int)strlen(s[i].name) + 1;
        if (col + len > 78) {
            printf("\n  ");
            col = 2;
        }
        printf("%s ", s[i].name);
        col += len;
        distinct++;
    }
    printf("\n");
    free(s);
    return distinct;
}

int main(void)
{
    csh cs;
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK) {
        fprintf(stderr, "a64_isa: Capstone has no ARM64 mode\n");
        return 1;
    }
    AddressSpace *as = address_space_new("memory");
    ARMCPU *cpu = a64_cpu_new(as, "max");
    if (!cpu) {
        fprintf(stderr, "a64_isa: cannot create the CPU\n");
        return 1;
    }
    static List list;
    /* handlers in decode-file order: index of each pattern's first line */
    int first[A64_NB_PATTERNS], nhandlers = 0;
    for (int i = 0; i < A64_NB_PATTERNS; i++) {
        int h = -1;
        for (int j = 0; j < nhandlers && h < 0; j++)
            if (!strcmp(a64_patterns[first[j]].name, a64_patterns[i].name))
                h = j;
        if (h < 0)
            first[nhandlers++] = i;
    }
    printf("A64 instructions (frontend/arm64/a64.decode: each trans_ handler and what its\n"
           "patterns decode and translate on -cpu max, named by Capstone):\n");
    for (int h = 0; h < nhandlers; h++) {
        const char *name = a64_patterns[first[h]].name;
        int before = list.n, lines = 0;
        bool simd = false;
        for (int i = 0; i < A64_NB_PATTERNS; i++) {
            const A64Pattern *p = &a64_patterns[i];
            if (strcmp(p->name, name))
                continue;
            lines++;
            simd |= is_simd_fp(p->value);
            for (int k = 0; k < PER_PATTERN; k++) {
                uint32_t w = (rnd() & ~p->mask) | p->value;
                if (a64_match(w) != i || !a64_insn_is_defined(a64_cs(cpu), w))
                    continue;
                cs_insn *insn = NULL;
                if (cs_disasm(cs, (const uint8_t *)&w, 4, 0x40080000, 1, &insn) == 1) {
                    add(&list, insn->mnemonic, h, is_simd_fp(w));
                    cs_free(insn, 1);
                }
            }
        }
        printf("  %-12s %2d line%s ", name, lines, lines > 1 ? "s:" : ": ");
        for (int i = before; i < list.n; i++)
            printf("%s%s", i > before ? " " : "", list.m[i].name);
        printf("%s\n", list.n == before ? "(no word Capstone names)" : "");
    }
    printf("\nInteger, branch, load/store and system mnemonics:\n");
    int ni = print_group(&list, false);
    printf("\nFP and Advanced SIMD mnemonics:\n");
    int nf = print_group(&list, true);
    printf("\n(%d handlers, %d encoding patterns; %d integer/system and %d FP/SIMD mnemonics)\n",
           nhandlers, A64_NB_PATTERNS, ni, nf);
    cs_close(&cs);
    return 0;
}
