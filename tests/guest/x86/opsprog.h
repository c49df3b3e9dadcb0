/*
 * Helpers of the guest programs built on ops.h: print a sample of every
 * form of a group as full case lines (compared with QEMU line by line), and
 * run one snippet on chosen inputs for the PASS/FAIL self-checks.
 */
#ifndef TESTS_GUEST_X86_OPSPROG_H
#define TESTS_GUEST_X86_OPSPROG_H

#include "lib.h"
#include "ops.h"

/* 14 corner pairs spread over the 256, then 16 random cases per form */
static inline void ops_print_group(const op_form *g, uint32_t seed)
{
    char line[160];
    for (const op_form *fm = g; fm->name; fm++) {
        for (int i = 0; i < 288; i += i < 256 ? 19 : 1) {
            op_case c;
            if (!op_run_case(fm, i, &seed, &c))
                continue;
            op_format_case(line, sizeof(line), fm, &c);
            printf("%s\n", line);
        }
    }
}

/* run fn on (a, b, c2) with input flags fin; result in out[0], flags in *fl */
static inline uint32_t ops_run(op_fn fn, uint32_t a, uint32_t b, uint32_t c2,
                               uint32_t fin, uint32_t *fl)
{
    op_case c = { { a, b, c2 }, fin | 2, { 0, 0, 0 }, 0 };
    fn(&c);
    if (fl)
        *fl = c.fout & FL_ARITH;
    return c.out[0];
}

/* check result and the flags in 'mask' at once */
static inline void ops_check(const char *name, op_fn fn, uint32_t a,
                             uint32_t b, uint32_t fin, uint32_t want,
                             uint32_t mask, uint32_t want_fl)
{
    uint32_t fl, r = ops_run(fn, a, b, 0, fin, &fl);
    char n2[64];
    check(name, r, want);
    snprintf(n2, sizeof(n2), "%s.flags", name);
    check(n2, fl & mask, want_fl);
}

#endif
