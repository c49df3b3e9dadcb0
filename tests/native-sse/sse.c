/*
 * Native differential test of MMX and SSE..SSE4.2 (plus CRC32, LZCNT,
 * TZCNT, POPCNT, FXSAVE/FXRSTOR, XSAVE/XRSTOR, LDMXCSR/STMXCSR). The same source builds
 * hosted (a 32-bit Linux program: the host CPU is the oracle) and as a
 * multiboot guest for kasou. Each form of forms.h runs over generated
 * inputs (NaN payloads, infinities, denormals, integer corner cases, every
 * rounding mode with FTZ/DAZ, random sticky MXCSR flags and EFLAGS), and
 * its case lines "<form> <inputs> -> <xmm0 xmm1 mm0 mm1 memory GPRs MXCSR
 * EFLAGS>" are hashed per form: "form <name> <cases> <hash>" (-v or
 * NATIVE_FULL: every case line too).
 * Must stay true: the C code never uses MMX/SSE registers (built with
 * -mno-sse -mno-mmx), so each snippet owns them; every snippet saves and
 * restores the general registers, EFLAGS and MXCSR itself; exceptions
 * stay masked (the hosted run would die of SIGFPE otherwise).
 */
#ifdef NATIVE_HOSTED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#endif
#include "lib.h"

#define SSE_CASES 160
#define SSE_SEED 0x5eed5151u

/* Everything the snippets read and write, at fixed offsets (forms.h). */
#define IO_A 0
#define IO_B 16
#define IO_C 32
#define IO_M 48       /* b, aligned */
#define IO_MU 64      /* b at +1 (65), unaligned */
#define IO_R0 96      /* xmm0 after */
#define IO_R1 112     /* xmm1 after */
#define IO_MM 128     /* mm0, mm1 after */
#define IO_MXIN 176
#define IO_MXOUT 180
#define IO_FIN 184    /* 8 bytes (POPFQ) */
#define IO_MXDEF 192
#define IO_G 200      /* rax/eax, rcx/ecx, rdx/edx before, 8 bytes each */
#define IO_GO 224     /* after */
#define IO_FOUT 248
#define IO_X8 768     /* 64-bit: xmm8, xmm9 after */
#define IO_XS 1024    /* two XSAVE areas (64-byte aligned, 576 bytes each) */
#define IO_XS2 1664
#define IO_SIZE 2304  /* 256..767: an FXSAVE area */
uint8_t sse_io[IO_SIZE] __attribute__((aligned(64)));

#ifdef __x86_64__
/* 64-bit: the general registers in full, and xmm8/xmm9 (= c, b) too */
#define PRE_COMMON                                                      \
    "pushq %rax\n\tpushq %rcx\n\tpushq %rdx\n\tpushq %rdi\n\tpushfq\n\t" \
    "ldmxcsr sse_io+176\n\t"                                            \
    "movdqu sse_io+0, %xmm0\n\tmovdqu sse_io+16, %xmm1\n\t"             \
    "movdqu sse_io+32, %xmm2\n\tmovdqu sse_io+32, %xmm8\n\t"            \
    "movdqu sse_io+16, %xmm9\n\t"
#define PRE_GPR                                                         \
    "movq sse_io+200, %rax\n\tmovq sse_io+208, %rcx\n\t"                \
    "movq sse_io+216, %rdx\n\tpushq sse_io+184\n\tpopfq\n\t"
#define POST_COMMON                                                     \
    "\n\tpushfq\n\tpopq sse_io+248\n\t"                                 \
    "movq %rax, sse_io+224\n\tmovq %rcx, sse_io+232\n\t"                \
    "movq %rdx, sse_io+240\n\t"                                         \
    "movdqu %xmm0, sse_io+96\n\tmovdqu %xmm1, sse_io+112\n\t"           \
    "movdqu %xmm8, sse_io+768\n\tmovdqu %xmm9, sse_io+784\n\t"          \
    "stmxcsr sse_io+180\n\tldmxcsr sse_io+192\n\t"
#define POST_END "popfq\n\tpopq %rdi\n\tpopq %rdx\n\tpopq %rcx\n\tpopq %rax"
#define GPR_WORDS 6
#else
#define PRE_COMMON                                                      \
    "pushal\n\tpushfl\n\t"                                              \
    "ldmxcsr sse_io+176\n\t"                                            \
    "movdqu sse_io+0, %xmm0\n\tmovdqu sse_io+16, %xmm1\n\t"             \
    "movdqu sse_io+32, %xmm2\n\t"
#define PRE_GPR                                                         \
    "movl sse_io+200, %eax\n\tmovl sse_io+208, %ecx\n\t"                \
    "movl sse_io+216, %edx\n\tpushl sse_io+184\n\tpopfl\n\t"
#define POST_COMMON                                                     \
    "\n\tpushfl\n\tpopl sse_io+248\n\t"                                 \
    "movl %eax, sse_io+224\n\tmovl %ecx, sse_io+232\n\t"                \
    "movl %edx, sse_io+240\n\t"                                         \
    "movdqu %xmm0, sse_io+96\n\tmovdqu %xmm1, sse_io+112\n\t"           \
    "stmxcsr sse_io+180\n\tldmxcsr sse_io+192\n\t"
#define POST_END "popfl\n\tpopal"
#define GPR_WORDS 3
#endif
#define PRE_MMX "movq sse_io+0, %mm0\n\tmovq sse_io+16, %mm1\n\t"
#define POST_MMX "movq %mm0, sse_io+128\n\tmovq %mm1, sse_io+136\n\temms\n\t"

/* F3 0F BC runs as BSF on a CPU without BMI1 (the guest's model); the host
 * has BMI1, so its oracle for those forms is BSF without the prefix */
#ifdef NATIVE_HOSTED
#define NO_BMI1_REP ""
#else
#define NO_BMI1_REP "rep; "
#endif

#define SNIPPET(name, text, mmx)                                        \
    static void snip_##name(void)                                       \
    {                                                                   \
        if (mmx) {                                                      \
            __asm__ volatile(PRE_COMMON PRE_MMX PRE_GPR text            \
                             POST_COMMON POST_MMX POST_END);            \
        } else {                                                        \
            __asm__ volatile(PRE_COMMON PRE_GPR text POST_COMMON POST_END); \
        }                                                               \
    }

#define X(name, text, kind, mmx, fl) SNIPPET(name, text, mmx)
#include "forms.h"
#ifdef __x86_64__
#include "forms64.h"
#endif
#undef X

enum { K_PS, K_PD, K_INT, K_SHIFT, K_STR, K_BITS, K_XSAVE /* K_PD inputs, XSAVE areas out */ };

typedef struct sse_form {
    const char *name;
    void (*fn)(void);
    int kind, mmx;
    uint32_t flmask;
} sse_form;

static const sse_form sse_forms[] = {
#define X(name, text, kind, mmx, fl) { #name, snip_##name, kind, mmx, fl },
#include "forms.h"
#ifdef __x86_64__
#include "forms64.h"
#endif
#undef X
    { NULL, NULL, 0, 0, 0 },
};

static uint32_t rnd(uint32_t *s) { return xorshift32(s); }

/* single precision: zeros, ones, infinities, quiet and signalling NaNs
 * with payloads, denormals, the extremes, values near integer limits */
static const uint32_t ps_special[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
    0x7fc00000, 0xffc00001, 0x7fa00123, 0xff812345, 0x00000001, 0x807fffff,
    0x00400000, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000, 0x3fc00000,
    0x40200000, 0xbf000000, 0x4f000000, 0xcf000000, 0x4effffff, 0xcf000001,
    0x5f000000, 0x3effffff, 0x40490fdb, 0x33800000, 0x0c000000, 0x7e800000,
};
static const uint64_t pd_special[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull,
    0xbff0000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0xfff8000000000001ull, 0x7ff4000000012345ull,
    0xfff0000000000777ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0008000000000000ull, 0x7fefffffffffffffull, 0x0010000000000000ull,
    0x3ff8000000000000ull, 0x4004000000000000ull, 0xbfe0000000000000ull,
    0x41e0000000000000ull, 0xc1e0000000000000ull, 0x41dfffffffc00000ull,
    0xc1e0000000200000ull, 0x43e0000000000000ull, 0x3fdfffffffffffffull,
    0x400921fb54442d18ull, 0x3ca0000000000000ull, 0x36a0000000000000ull,
    0x47efffffe0000000ull, 0x380fffffffffffffull,
};
static const uint32_t int_special[] = {
    0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0x00008000, 0x7fff7fff,
    0x80808080, 0x7f7f7f7f, 0x00ff00ff, 0xff00ff00, 0x12345678, 0xfffe0001,
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t gen_word(int kind, uint32_t *s)
{
    uint32_t r = rnd(s);
    switch (kind) {
    case K_PS:
        if (r % 8 < 3) {
            return ps_special[(r >> 8) % NELEM(ps_special)];
        }
        if (r % 8 < 5) {   /* a "reasonable" float: exponent near bias */
            return (rnd(s) & 0x807fffff) | ((uint32_t)(100 + (r >> 8) % 56) << 23);
        }
        return rnd(s);
    case K_STR: {
        static const uint8_t alpha[] = { 0, 'a', 'b', 'c', 'a', 'b', 'z', 0x80, 0xff, 'A', '0', 'a' };
        uint32_t w = 0;
        for (int i = 0; i < 4; i++) {
            uint8_t c = alpha[rnd(s) % NELEM(alpha)];
            if (!c && rnd(s) % 3) {
                c = 'b';    /* fewer terminators */
            }
            w |= (uint32_t)c << (8 * i);
        }
        return w;
    }
    case K_BITS:
        if (r % 4 == 0) {
            return 0;
        }
        return rnd(s) >> (r % 32) << ((r >> 5) % 32);
    default:
        if (r % 4 == 0) {
            return int_special[(r >> 8) % NELEM(int_special)];
        }
        return rnd(s);
    }
}

static void gen_vec(int kind, uint32_t *s, uint32_t *v)
{
    if (kind == K_XSAVE) {
        kind = K_PD;
    }
    for (int i = 0; i < 4; i++) {
        v[i] = gen_word(kind, s);
    }
    if (kind == K_PD) {
        for (int i = 0; i < 2; i++) {
            uint32_t r = rnd(s);
            if (r % 8 < 3) {
                uint64_t d = pd_special[(r >> 8) % NELEM(pd_special)];
                v[2 * i] = (uint32_t)d;
                v[2 * i + 1] = (uint32_t)(d >> 32);
            } else if (r % 8 < 6) {
                v[2 * i + 1] = (v[2 * i + 1] & 0x800fffff) | (uint32_t)(900 + (r >> 8) % 250) << 20;
            }
        }
    }
}

static void make_case(const sse_form *fm, uint32_t *s)
{
    uint32_t *a = (uint32_t *)(sse_io + IO_A), *b = (uint32_t *)(sse_io + IO_B);
    uint32_t *c = (uint32_t *)(sse_io + IO_C);
    uint64_t *g = (uint64_t *)(sse_io + IO_G);
    memset(sse_io, 0, 256);
    memset(sse_io + IO_X8, 0, 32);
    if (fm->kind == K_XSAVE) {   /* legacy regions a pattern, headers zero */
        memset(sse_io + IO_XS, 0xa5, IO_SIZE - IO_XS);
        memset(sse_io + IO_XS + 512, 0, 64);
        memset(sse_io + IO_XS2 + 512, 0, 64);
    }
    gen_vec(fm->kind, s, a);
    gen_vec(fm->kind, s, b);
    gen_vec(fm->kind == K_SHIFT ? K_INT : fm->kind, s, c);
    for (int i = 0; i < 4; i++) {
        uint32_t r = rnd(s);
        if (r % 5 == 0) {
            b[i] = a[i];                /* equal lanes for compares */
        }
    }
    if (fm->kind == K_SHIFT) {
        uint32_t r = rnd(s);
        b[0] = r % 4 ? r % 70 : r;      /* count: mostly small */
        b[1] = r % 16 ? 0 : rnd(s);
    }
    for (int i = 0; i < 3; i++) {
        int k = fm->kind == K_STR || fm->kind == K_SHIFT ? K_INT : fm->kind;
        uint32_t lo = gen_word(k, s), hi = rnd(s) % 3 ? gen_word(k, s) : 0;
        g[i] = (uint64_t)hi << 32 | lo;
    }
    if (fm->kind == K_STR) {
        uint32_t r = rnd(s);
        g[0] = (uint64_t)(int64_t)((int)(r % 41) - 20);
        g[2] = (uint64_t)(int64_t)((int)((r >> 8) % 41) - 20);
        if (r % 16 == 0) {
            g[0] = 0x80000000u;
        }
        if (r % 16 == 1) {
            g[2] = 0x100000003ull;   /* 64-bit lengths for REX.W forms */
        }
    }
    memcpy(sse_io + IO_M, b, 16);
    memcpy(sse_io + IO_MU + 1, b, 16);
    uint32_t r = rnd(s);
    uint32_t mx = 0x1f80 | (r & 3) << 13;
    if (r & 4) {
        mx |= 0x8000;                   /* FTZ */
    }
    if (r & 8) {
        mx |= 0x40;                     /* DAZ */
    }
    if ((r & 0x30) == 0) {
        mx |= (r >> 8) & 0x3f;          /* sticky flags already set */
    }
    *(uint32_t *)(sse_io + IO_MXIN) = mx;
    *(uint32_t *)(sse_io + IO_MXDEF) = 0x1f80;
    *(uint32_t *)(sse_io + IO_FIN) = (rnd(s) & FL_ARITH) | 2;
}

static char *hex32(char *p, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    *p++ = ' ';
    for (int i = 7; i >= 0; i--) {
        *p++ = digits[(v >> (4 * i)) & 15];
    }
    return p;
}

static char *words(char *p, int off, int n)
{
    for (int i = 0; i < n; i++) {
        uint32_t v;
        memcpy(&v, sse_io + off + 4 * i, 4);
        p = hex32(p, v);
    }
    return p;
}

/* An XSAVE area as the host and kasou must agree on it: FCW, FSW, FTW and
 * the reserved byte after it, then MXCSR to the last XMM register, and the
 * header. FOP, FIP and FDP are left out: the hosted and guest builds run
 * at different addresses, and CPUs may leave FOP alone. */
static char *xsave_area(char *p, int off)
{
    uint32_t v;
#ifdef __x86_64__
    const int end = 160 + 16 * 16;
#else
    const int end = 160 + 16 * 8;
#endif
    p = words(p, off, 1);
    memcpy(&v, sse_io + off + 4, 4);
    p = hex32(p, v & 0xffff);
    p = words(p, off + 24, (end - 24) / 4);
    return words(p, off + 512, 16);
}

static int format_case(char *line, const sse_form *fm, const uint8_t *in)
{
    char *p = line;
    for (const char *n = fm->name; *n; n++) {
        *p++ = *n;
    }
    /* inputs: a b c g mxcsr eflags (from the saved copy) */
    for (int i = 0; i < 12; i++) {
        uint32_t v;
        memcpy(&v, in + 4 * i, 4);
        p = hex32(p, v);
    }
    for (int i = 0; i < 3; i++) {
        uint64_t v;
        memcpy(&v, in + IO_G + 8 * i, 8);
        p = hex32(p, (uint32_t)v);
        if (GPR_WORDS == 6) {
            p = hex32(p, (uint32_t)(v >> 32));
        }
    }
    uint32_t mxin, fin;
    memcpy(&mxin, in + IO_MXIN, 4);
    memcpy(&fin, in + IO_FIN, 4);
    p = hex32(p, mxin);
    p = hex32(p, fin);
    *p++ = ' ';
    *p++ = '-';
    *p++ = '>';
    p = words(p, IO_R0, 8);                     /* xmm0, xmm1 */
    if (fm->mmx) {
        p = words(p, IO_MM, 4);                 /* mm0, mm1 */
    }
    p = words(p, IO_M, 4);                      /* memory */
    for (int i = 0; i < 4; i++) {               /* the unaligned copy */
        uint32_t v;
        memcpy(&v, sse_io + IO_MU + 1 + 4 * i, 4);
        p = hex32(p, v);
    }
    for (int i = 0; i < 3; i++) {
        uint64_t v;
        memcpy(&v, sse_io + IO_GO + 8 * i, 8);
        p = hex32(p, (uint32_t)v);
        if (GPR_WORDS == 6) {
            p = hex32(p, (uint32_t)(v >> 32));
        }
    }
#ifdef __x86_64__
    p = words(p, IO_X8, 8);                     /* xmm8, xmm9 */
#endif
    if (fm->kind == K_XSAVE) {
        p = xsave_area(p, IO_XS);
        p = xsave_area(p, IO_XS2);
    }
    p = words(p, IO_MXOUT, 1);
    uint32_t fout;
    memcpy(&fout, sse_io + IO_FOUT, 4);         /* the low half of RFLAGS */
    p = hex32(p, fout & fm->flmask);
    *p = 0;
    return (int)(p - line);
}

static uint32_t hash_str(uint32_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 16777619u;
    }
    return h;
}

static void sse_run(int full)
{
    static char line[4096];
    static uint8_t in[256];
    uint32_t seed = SSE_SEED;
    for (const sse_form *fm = sse_forms; fm->name; fm++) {
        uint32_t h = HASH_INIT;
        for (int i = 0; i < SSE_CASES; i++) {
            make_case(fm, &seed);
            memcpy(in, sse_io, sizeof(in));
            fm->fn();
            format_case(line, fm, in);
            if (full) {
                printf("%s\n", line);
            }
            h = hash_str(h, line);
        }
        printf("form %s %u %08x\n", fm->name, (unsigned)SSE_CASES, h);
    }
}

#ifdef NATIVE_HOSTED
int main(int argc, char **argv)
{
    const char *e = getenv("NATIVE_FULL");
    int full = (argc > 1 && !strcmp(argv[1], "-v")) || (e && *e == '1');
    sse_run(full);
    return 0;
}
#else
#ifndef NATIVE_FULL
#define NATIVE_FULL 0
#endif
/* The SSE environment a kernel sets up: CR4.OSFXSR and OSXMMEXCPT, CR0.MP
 * on and EM, TS off. */
int main(void)
{
    unsigned long cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"((cr0 & ~0xcul) | 0x2ul));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 0x600ul));
    /* and XSAVE for x87 and SSE when the CPU has it (Linux: CR4.OSXSAVE,
     * XCR0 with at least these two) */
    uint32_t a = 1, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    if (c & (1u << 26)) {
        __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 0x600ul | 0x40000ul));
        __asm__ volatile("xsetbv" : : "c"(0), "a"(3), "d"(0));
    }
    sse_run(NATIVE_FULL);
    return 0;
}
#endif
