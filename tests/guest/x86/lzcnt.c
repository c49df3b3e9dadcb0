/*
 * Guest test: F3 0F BD (LZCNT) and F3 0F BC (TZCNT) follow CPUID. Without
 * ABM (CPUID 0x80000001:ECX bit 5) or BMI1 (CPUID 7.0:EBX bit 3) a CPU
 * ignores the REP prefix and runs BSR / BSF (SDM vol. 2, LZCNT, TZCNT):
 * the destination keeps its value for a zero source and only ZF is
 * defined. With the feature: the count, CF = source zero, ZF = count zero.
 * The program reads CPUID and checks whichever the model says: compared
 * with QEMU under the default qemu32 (neither); kasou's qemu64 has ABM
 * (QEMU's does not), where it checks LZCNT by itself.
 */
#include <stdbool.h>
#include "lib.h"

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

/* dst = rep bsr/bsf src (32- and 16-bit), EFLAGS after (CF/ZF) */
#define REP_OP(insn, suffix, reg)                                              \
    static uint32_t rep_##insn##suffix(uint32_t dst, uint32_t src, uint32_t *fl) \
    {                                                                          \
        __asm__ volatile("rep; " #insn #suffix " %" reg "2, %" reg "0\n\t"     \
                         "pushfl\n\tpopl %1"                                   \
                         : "+r"(dst), "=r"(*fl) : "r"(src) : "cc");            \
        return dst;                                                            \
    }
REP_OP(bsr, l, "k")
REP_OP(bsr, w, "w")
REP_OP(bsf, l, "k")
REP_OP(bsf, w, "w")

static uint32_t rep_bsrl_mem(uint32_t dst, uint32_t src, uint32_t *fl)
{
    __asm__ volatile("rep; bsrl %2, %0\n\tpushfl\n\tpopl %1"
                     : "+r"(dst), "=r"(*fl) : "m"(src) : "cc");
    return dst;
}

static uint32_t rep_bsfl_mem(uint32_t dst, uint32_t src, uint32_t *fl)
{
    __asm__ volatile("rep; bsfl %2, %0\n\tpushfl\n\tpopl %1"
                     : "+r"(dst), "=r"(*fl) : "m"(src) : "cc");
    return dst;
}

/* What the SDM says each form gives: count or BSx, and the defined flags */
static uint32_t want_cnt(bool feature, bool lead, int bits, uint32_t dst, uint32_t src,
                         uint32_t *fl, uint32_t *flmask)
{
    uint32_t mask = bits == 16 ? 0xffffu : 0xffffffffu, keep = dst & ~mask;
    src &= mask;
    int n = 0;
    if (feature) {
        if (lead) {
            while (n < bits && !(src & (1u << (bits - 1 - n))))
                n++;
        } else {
            while (n < bits && !(src & (1u << n)))
                n++;
        }
        *fl = (src == 0 ? FL_CF : 0) | (n == 0 ? FL_ZF : 0);
        *flmask = FL_CF | FL_ZF;
        return keep | (uint32_t)n;
    }
    *flmask = FL_ZF;
    if (src == 0) {
        *fl = FL_ZF;
        return dst;
    }
    *fl = 0;
    if (lead) {
        for (n = bits - 1; !(src & (1u << n)); n--)
            ;
    } else {
        while (!(src & (1u << n)))
            n++;
    }
    return keep | (uint32_t)n;
}

int main(void)
{
    uint32_t r[4];
    cpuid(0x80000000u, 0, r);
    bool abm = false, bmi1 = false;
    if (r[0] >= 0x80000001u) {
        cpuid(0x80000001u, 0, r);
        abm = r[2] & (1u << 5);
    }
    cpuid(0, 0, r);
    if (r[0] >= 7) {
        cpuid(7, 0, r);
        bmi1 = r[1] & (1u << 3);
    }
    printf("cpuid abm=%d bmi1=%d\n", abm, bmi1);

    static const uint32_t srcs[] = { 0, 1, 0x80000000u, 0x00f00000u, 0x00008000u,
                                     0x12340000u, 0xffffffffu, 0x00010000u, 0x00000300u };
    char name[48];
    uint32_t seed = 0x1c0ffee1u, h = HASH_INIT;
    for (unsigned i = 0; i < sizeof(srcs) / sizeof(srcs[0]) + 64; i++) {
        uint32_t src = i < sizeof(srcs) / sizeof(srcs[0]) ? srcs[i]
                       : xorshift32(&seed) >> (i % 32);
        uint32_t dst = 0xdead0000u | i, fl, wfl, m, got, want;
        struct { const char *n; bool lead; int bits; uint32_t (*fn)(uint32_t, uint32_t, uint32_t *); }
        forms[] = {
            { "lzcntl", true, 32, rep_bsrl }, { "lzcntw", true, 16, rep_bsrw },
            { "lzcntl_m", true, 32, rep_bsrl_mem }, { "tzcntl", false, 32, rep_bsfl },
            { "tzcntw", false, 16, rep_bsfw }, { "tzcntl_m", false, 32, rep_bsfl_mem },
        };
        for (unsigned f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
            bool feature = forms[f].lead ? abm : bmi1;
            got = forms[f].fn(dst, src, &fl);
            want = want_cnt(feature, forms[f].lead, forms[f].bits, dst, src, &wfl, &m);
            h = hash_u32(hash_u32(h, got), fl & m);
            if (i < sizeof(srcs) / sizeof(srcs[0])) {
                printf("%s %08x -> %08x fl %03x\n", forms[f].n, src, got, fl & m);
                snprintf(name, sizeof(name), "%s_%u", forms[f].n, i);
                check(name, got, want);
                snprintf(name, sizeof(name), "%s_%u.flags", forms[f].n, i);
                check(name, fl & m, wfl);
            } else if (got != want || (fl & m) != wfl) {
                snprintf(name, sizeof(name), "%s_random_%u", forms[f].n, i);
                check(name, got, want);
            }
        }
    }
    printf("hash %08x\n", h);
    return check_failures ? 1 : 0;
}
