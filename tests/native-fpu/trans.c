/*
 * The x87 transcendentals (F2XM1 FYL2X FYL2XP1 FPTAN FPATAN FSIN FCOS
 * FSINCOS) on the host CPU and under kasou: built hosted and as a guest
 * like fpu.c, each prints one line per case
 *   "<op> <case> <in0> <in1> -> <st0> <st1> <fsw>"
 * and the hosted build, given the guest's output (trans-native -c FILE),
 * compares them with a tolerance: no CPU is exact here (the
 * SDM promises 1 ulp), so results may differ by 2 units in the last place
 * (1 on each side); C2, the stack, the classes of special results and the
 * exception flags except PE and C1 (which follow the rounding) must match.
 */
#ifdef NATIVE_HOSTED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#endif
#include <stdbool.h>
#include "lib.h"

#define TRANS_CASES 400
#define TRANS_SEED 0x13579bdfu

typedef struct X80 { uint32_t lo, hi; uint16_t se; } __attribute__((packed)) X80;

static X80 in0, in1, out0, out1;
static uint16_t sw;

static uint32_t rnd(uint32_t *s) { return xorshift32(s); }
static X80 mk(uint32_t hi, uint32_t lo, uint16_t se) { X80 v = { lo, hi, se }; return v; }

/* a finite value with exponent in [lo, hi] (unbiased), random sign */
static X80 rnd_range(uint32_t *s, int lo, int hi, bool negative_ok)
{
    uint16_t sign = negative_ok && (rnd(s) & 1) ? 0x8000 : 0;
    int e = lo + (int)(rnd(s) % (uint32_t)(hi - lo + 1));
    return mk(rnd(s) | 0x80000000u, rnd(s), (uint16_t)(sign | (0x3fff + e)));
}

static X80 special(uint32_t *s)
{
    uint16_t sign = (rnd(s) & 1) ? 0x8000 : 0;
    switch (rnd(s) % 6) {
    case 0: return mk(0, 0, sign);
    case 1: return mk(0x80000000u, 0, sign | 0x7fff);
    case 2: return mk(0xc0000000u, rnd(s), sign | 0x7fff);
    case 3: return mk(0x80000000u, rnd(s) | 1, sign | 0x7fff);          /* SNaN */
    case 4: return mk(rnd(s) & 0x7fffffff, rnd(s), sign);               /* denormal */
    default: return rnd_range(s, 63, 80, true);                          /* out of range for trig */
    }
}

enum { OP_F2XM1, OP_FYL2X, OP_FYL2XP1, OP_FPTAN, OP_FPATAN, OP_FSIN, OP_FCOS, OP_FSINCOS, OP_NB };
static const char *const names[] = { "f2xm1", "fyl2x", "fyl2xp1", "fptan", "fpatan", "fsin", "fcos", "fsincos" };

static void make_inputs(int op, int i, uint32_t *s)
{
    bool sp = i % 10 == 9;
    switch (op) {
    case OP_F2XM1: in0 = sp ? special(s) : rnd_range(s, -20, -1, true); break;
    case OP_FYL2X: in0 = sp ? special(s) : rnd_range(s, -30, 30, false); in1 = rnd_range(s, -10, 10, true); break;
    case OP_FYL2XP1: in0 = sp ? special(s) : rnd_range(s, -30, -3, true); in1 = rnd_range(s, -10, 10, true); break;
    case OP_FPATAN: in0 = sp ? special(s) : rnd_range(s, -20, 20, true); in1 = rnd_range(s, -20, 20, true); break;
    /* trig: |x| < 1, where the CPU's reduction by its 66-bit pi is still
     * within the SDM's 1 ulp (near pi/2 it is not; kasou reduces exactly) */
    default: in0 = sp ? special(s) : rnd_range(s, -20, -1, true); break;
    }
    if (op != OP_FYL2X && op != OP_FYL2XP1 && op != OP_FPATAN)
        in1 = mk(0x80000000u, 0, 0x3fff);
}

/* ST1 = in1, ST0 = in0; run; ST0 and ST1 (or empty) and FSW afterwards */
static void run(int op)
{
    uint16_t cw = 0x37f;
    out0 = out1 = mk(0, 0, 0);
    __asm__ volatile("fninit; fldcw %0; fldt %1; fldt %2" : : "m"(cw), "m"(in1), "m"(in0));
    switch (op) {
    case OP_F2XM1: __asm__ volatile("f2xm1"); break;
    case OP_FYL2X: __asm__ volatile("fyl2x; fld1; fxch"); break;        /* keep two values on the stack */
    case OP_FYL2XP1: __asm__ volatile("fyl2xp1; fld1; fxch"); break;
    case OP_FPTAN: __asm__ volatile("fptan"); break;                    /* may push: ST2 = in1 */
    case OP_FPATAN: __asm__ volatile("fpatan; fld1; fxch"); break;
    case OP_FSIN: __asm__ volatile("fsin"); break;
    case OP_FCOS: __asm__ volatile("fcos"); break;
    default: __asm__ volatile("fsincos"); break;
    }
    __asm__ volatile("fnstsw %0; fstpt %1; fstpt %2; fninit" : "=m"(sw), "=m"(out0), "=m"(out1));
}

static void hex80(char *p, const X80 *v)
{
    snprintf(p, 24, "%04x:%08x%08x", v->se, v->hi, v->lo);
}

#ifdef NATIVE_HOSTED
/* units in the last place from a to b (same sign and class), or -1 */
static long long ulps(const X80 *a, const X80 *b)
{
    if (a->se == b->se && a->hi == b->hi && a->lo == b->lo)
        return 0;
    if ((a->se & 0x8000) != (b->se & 0x8000) || (a->se & 0x7fff) == 0x7fff || (b->se & 0x7fff) == 0x7fff)
        return -1;
    /* finite values of one sign: count the representable values between */
    int ea = a->se & 0x7fff, eb = b->se & 0x7fff;
    uint64_t ma = (uint64_t)a->hi << 32 | a->lo, mb = (uint64_t)b->hi << 32 | b->lo;
    if (ea == eb)
        return ma > mb ? (ma - mb > 1000 ? 1000 : (long long)(ma - mb)) : (mb - ma > 1000 ? 1000 : (long long)(mb - ma));
    if (ea + 1 == eb || eb + 1 == ea) {
        /* across a power of two: the larger one's steps count double */
        uint64_t lo = ea < eb ? ma : mb, hi = ea < eb ? mb : ma;
        uint64_t below = ~lo + 1, above = hi - (1ull << 63);     /* to 2^e from each side */
        if (below > 1000 || above > 500)
            return 1000;
        return (long long)(below + 2 * above);
    }
    return 1000;
}

static int parse80(const char *t, X80 *v)
{
    unsigned se, hi, lo;
    if (sscanf(t, "%4x:%8x%8x", &se, &hi, &lo) != 3)
        return -1;
    v->se = (uint16_t)se;
    v->hi = hi;
    v->lo = lo;
    return 0;
}

static int compare(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256], why[OP_NB][200];
    int n[OP_NB] = { 0 }, bad[OP_NB] = { 0 };
    uint32_t seed = TRANS_SEED;
    if (!f) {
        printf("not ok - native/x87_trans: cannot read %s\n", path);
        return 0;
    }
    for (int op = 0; op < OP_NB; op++) {
        why[op][0] = 0;
        for (int i = 0; i < TRANS_CASES; i++) {
            make_inputs(op, i, &seed);
            run(op);
            char name[16], a0[24], a1[24], r0[24], r1[24];
            int idx;
            unsigned ksw;
            X80 k0, k1;
            line[0] = 0;
            while (fgets(line, sizeof(line), f) && strncmp(line, names[op], strlen(names[op])))
                ;
            n[op]++;
            if (sscanf(line, "%15s %d %23s %23s -> %23s %23s %x", name, &idx, a0, a1, r0, r1, &ksw) != 7 ||
                strcmp(name, names[op]) || idx != i || parse80(r0, &k0) || parse80(r1, &k1)) {
                bad[op]++;
                if (!why[op][0])
                    snprintf(why[op], sizeof(why[op]), "case %d missing", i);
                continue;
            }
            long long u0 = ulps(&out0, &k0), u1 = ulps(&out1, &k1);
            if ((sw & 0xfddf) != (ksw & 0xfddf) || u0 < 0 || u0 > 2 || u1 < 0 || u1 > 2) {
                bad[op]++;
                if (!why[op][0])
                    snprintf(why[op], sizeof(why[op]), "in %s %s: host %04x:%08x%08x %04x:%08x%08x sw %04x, kasou %s %s sw %04x",
                             a0, a1, out0.se, out0.hi, out0.lo, out1.se, out1.hi, out1.lo, sw, r0, r1, ksw);
            }
        }
    }
    fclose(f);
    const char *tag = getenv("TRANS_TAG");
    for (int op = 0; op < OP_NB; op++) {
        if (bad[op])
            printf("not ok - native/x87_trans_%s%s: %d of %d differ; first: %s\n", names[op], tag ? tag : "",
                   bad[op], n[op], why[op]);
        else
            printf("ok - native/x87_trans_%s%s\n", names[op], tag ? tag : "");
    }
    return 0;
}
#endif

int main(int argc, char **argv)
{
#ifdef NATIVE_HOSTED
    if (argc > 2 && !strcmp(argv[1], "-c"))
        return compare(argv[2]);
#else
    (void)argc;
    (void)argv;
#endif
    uint32_t seed = TRANS_SEED;
    char a[24], b[24], c[24], d[24];
    for (int op = 0; op < OP_NB; op++) {
        for (int i = 0; i < TRANS_CASES; i++) {
            make_inputs(op, i, &seed);
            run(op);
            hex80(a, &in0);
            hex80(b, &in1);
            hex80(c, &out0);
            hex80(d, &out1);
            /* FYL2X etc.: after "fld1; fxch" the FSW's C1 and flags are those of the op */
            printf("%s %d %s %s -> %s %s %04x\n", names[op], i, a, b, c, d, sw);
        }
    }
    return 0;
}
