/*
 * Native differential test of user-level integer instructions.  The same
 * source builds (a) hosted, as a 32-bit Linux program run on the host CPU
 * (the oracle), and (b) as a multiboot guest run under kasou.  Both print
 * one "form <name> <cases> <hash>" line per instruction form, the hash being
 * FNV-1a over the case lines "<form> <inputs> -> <outputs>"; with full
 * output on (hosted: argument -v or NATIVE_FULL=1; guest: built with
 * -DNATIVE_FULL) every case line is printed before its form's hash line.
 * Must stay true: nothing printed depends on anything but the CPU's
 * defined behaviour (ops.h masks the undefined flags and results).
 */
#ifdef NATIVE_HOSTED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#endif
#include "lib.h"
#include "ops.h"

#define NATIVE_CASES 512
#define NATIVE_SEED 0x2545f491u

static uint32_t native_hash_str(uint32_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 16777619u;
    }
    return h;
}

static void native_run(int full)
{
    char line[160];
    uint32_t seed = NATIVE_SEED;
    for (int g = 0; op_groups[g]; g++) {
        for (const op_form *fm = op_groups[g]; fm->name; fm++) {
            uint32_t h = HASH_INIT, n = 0;
            for (int i = 0; i < NATIVE_CASES; i++) {
                op_case c;
                if (!op_run_case(fm, i, &seed, &c))
                    continue;
                op_format_case(line, sizeof(line), fm, &c);
                if (full)
                    printf("%s\n", line);
                h = native_hash_str(h, line);
                n++;
            }
            printf("form %s %u %08x\n", fm->name, n, h);
        }
    }
}

#ifdef NATIVE_HOSTED
int main(int argc, char **argv)
{
    const char *e = getenv("NATIVE_FULL");
    int full = (argc > 1 && !strcmp(argv[1], "-v")) || (e && *e == '1');
    native_run(full);
    return 0;
}
#else
#ifndef NATIVE_FULL
#define NATIVE_FULL 0
#endif
int main(void)
{
    native_run(NATIVE_FULL);
    return 0;
}
#endif
