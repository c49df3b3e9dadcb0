/*
 * Scalar FP against QEMU: FADD..FNMUL, FMAX/FMIN(NM), FSQRT, FRINT*, FCVT
 * between single and double, FCMP/FCMPE/FCCMP, FCSEL, FCVT[NPMZA][SU] to
 * W and X, SCVTF/UCVTF, and the fixed-point forms, over corner inputs
 * (zeros, denormals, the normal range limits, infinities, quiet and
 * signaling NaNs with payloads, halfway cases, integer limits) and random
 * ones, under every rounding mode with FZ and DN off and on. Each line is
 * a checksum of the results and FPSR after every input (cleared before
 * each), so any difference shows which operation and FPCR differ.
 * Build with -DVERBOSE for one line per input.
 */
#include "lib.h"

static const uint32_t vs[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x00000001, 0x807fffff,
    0x00800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc01234, 0xffc00001,
    0x7f800abc, 0xff900001, 0x3eaaaaab, 0x4b800001, 0x3f000000, 0x40200000, 0xc0200000,
    0x5f000000, 0xdf000000, 0x5f800000, 0x4f32d05e, 0xcf000000, 0x4f800000, 0x3effffff,
    0x00400000, 0x0c000000, 0x40490fdb, 0x7e800000,
};
static const uint64_t vd[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3ff8000000000000ull, 0x0000000000000001ull, 0x800fffffffffffffull, 0x0010000000000000ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000012345ull, 0xfff8000000000001ull, 0x7ff0000000000abcull, 0xfff4000000000001ull,
    0x3fd5555555555555ull, 0x4340000000000001ull, 0x3fe0000000000000ull, 0x4004000000000000ull,
    0xc004000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull, 0x43f0000000000000ull,
    0x41e0000000000000ull, 0xc1e0000000200000ull, 0x41efffffffe00000ull, 0x3fdfffffffffffffull,
    0x0008000000000000ull, 0x3690000000000000ull, 0x400921fb54442d18ull, 0x47f0000000000001ull,
    0x36a0000000000000ull, 0x3e70000000000000ull, 0x3810000000000000ull, 0x380fffffffffffffull,
};
#define NS (sizeof(vs) / sizeof(vs[0]))
#define ND (sizeof(vd) / sizeof(vd[0]))
static const uint64_t vi[] = {
    0, 1, 0xffffffffffffffffull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x80000000ull,
    0x7fffffffull, 0xffffffffull, 0x1000001ull, 0x20000000000001ull, 0xfffffffffffff801ull,
    0x123456789abcdefull, 0xfedcba9876543210ull, 0x8000000000000401ull, 0xffffff7fffffffffull, 3,
};
#define NI (sizeof(vi) / sizeof(vi[0]))
static const uint32_t vh[] = {
    0x0000, 0x8000, 0x3c00, 0xbc00, 0x0001, 0x83ff, 0x0400, 0x7bff, 0xfbff, 0x7c00, 0xfc00,
    0x7e12, 0xfe01, 0x7c01, 0xfd55, 0x3555, 0x7fff, 0xffff,
};
#define NH (sizeof(vh) / sizeof(vh[0]))
/* FCVT Hd: the half read back through S (FMOV Wd, Hn needs FP16) */
#define TO_H(v, n, src, ri) \
    for (unsigned i = 0; i < n; i++) { \
        uint64_t r = 0; FPSR0(); \
        __asm__ volatile("fmov " src "0, %" ri "1\n fcvt h2, " src "0\n fmov %w0, s2" \
                         : "+r"(r) : "r"(v[i]) : "v0", "v2"); \
        acc(r, FPSR()); }
#define UN_H(dst, rd) \
    for (unsigned i = 0; i < NH; i++) { \
        uint64_t r = 0; FPSR0(); \
        __asm__ volatile("fmov s0, %w1\n fcvt " dst ", h0\n fmov %" rd "0, " dst \
                         : "+r"(r) : "r"(vh[i]) : "v0", "v2"); \
        acc(r, FPSR()); }

static uint64_t sum;
static unsigned cnt;
static void acc(uint64_t r, uint64_t fpsr)
{
    sum = (sum ^ r) * 0x100000001b3ull;
    sum = (sum ^ fpsr) * 0x100000001b3ull;
#ifdef VERBOSE
    printf_("  %u: %lx %lx\n", cnt, r, fpsr);
#endif
    cnt++;
}
static void begin(void) { sum = 0xcbf29ce484222325ull; cnt = 0; }
static void end(const char *name, uint64_t fpcr) { printf_("%s fpcr=%lx: %u sum %016lx\n", name, fpcr, cnt, sum); }

#define FPSR0() WRITE_SYSREG(fpsr, 0)
#define FPSR() READ_SYSREG(fpsr)

/* binary ops on singles and doubles */
#define BIN_S(insn) \
    for (unsigned i = 0; i < NS; i++) for (unsigned j = 0; j < NS; j++) { \
        uint32_t r; FPSR0(); \
        __asm__ volatile("fmov s0, %w1\n fmov s1, %w2\n" insn " s2, s0, s1\n fmov %w0, s2" \
                         : "=r"(r) : "r"(vs[i]), "r"(vs[j]) : "v0", "v1", "v2"); \
        acc(r, FPSR()); }
#define BIN_D(insn) \
    for (unsigned i = 0; i < ND; i++) for (unsigned j = 0; j < ND; j++) { \
        uint64_t r; FPSR0(); \
        __asm__ volatile("fmov d0, %1\n fmov d1, %2\n" insn " d2, d0, d1\n fmov %0, d2" \
                         : "=r"(r) : "r"(vd[i]), "r"(vd[j]) : "v0", "v1", "v2"); \
        acc(r, FPSR()); }
#define UN_S(insn, dst, rd) \
    for (unsigned i = 0; i < NS; i++) { \
        uint64_t r = 0; FPSR0(); \
        __asm__ volatile("fmov s0, %w1\n" insn " " dst ", s0\n fmov %" rd "0, " dst \
                         : "+r"(r) : "r"(vs[i]) : "v0", "v2"); \
        acc(r, FPSR()); }
#define UN_D(insn, dst, rd) \
    for (unsigned i = 0; i < ND; i++) { \
        uint64_t r = 0; FPSR0(); \
        __asm__ volatile("fmov d0, %1\n" insn " " dst ", d0\n fmov %" rd "0, " dst \
                         : "+r"(r) : "r"(vd[i]) : "v0", "v2"); \
        acc(r, FPSR()); }
/* FP to integer: the integer in a general register */
#define CVT_S(insn, reg, fb) \
    for (unsigned i = 0; i < NS; i++) { \
        uint64_t r = 0; FPSR0(); \
        __asm__ volatile("fmov s0, %w1\n" insn " %" reg "0, s0" fb : "+r"(r) : "r"(vs[i]) : "v0"); \
        acc(r, FPSR()); }
#define CVT_D(insn, reg, fb) \
    for (unsigned i = 0; i < ND; i++) { \
        uint64_t r = 0; FPSR0(); \
        __asm__ volatile("fmov d0, %1\n" insn " %" reg "0, d0" fb : "+r"(r) : "r"(vd[i]) : "v0"); \
        acc(r, FPSR()); }
#define ICVT(insn, dst, reg, fb) \
    for (unsigned i = 0; i < NI; i++) { \
        uint64_t r = 0; FPSR0(); \
        __asm__ volatile(insn " " dst ", %" reg "1" fb "\n fmov %0, d2" : "=r"(r) : "r"(vi[i]) : "v2"); \
        acc(r, FPSR()); }
#define CMP_S(insn) \
    for (unsigned i = 0; i < NS; i++) for (unsigned j = 0; j < NS; j++) { \
        uint64_t r; FPSR0(); \
        __asm__ volatile("fmov s0, %w1\n fmov s1, %w2\n" insn "\n mrs %0, nzcv" \
                         : "=r"(r) : "r"(vs[i]), "r"(vs[j]) : "v0", "v1", "cc"); \
        acc(r, FPSR()); }
#define CMP_D(insn) \
    for (unsigned i = 0; i < ND; i++) for (unsigned j = 0; j < ND; j++) { \
        uint64_t r; FPSR0(); \
        __asm__ volatile("fmov d0, %1\n fmov d1, %2\n" insn "\n mrs %0, nzcv" \
                         : "=r"(r) : "r"(vd[i]), "r"(vd[j]) : "v0", "v1", "cc"); \
        acc(r, FPSR()); }

#define SEL_S(cond) \
    for (unsigned i = 0; i < NS; i++) for (unsigned j = 0; j < NS; j++) { \
        uint32_t r; \
        __asm__ volatile("fmov s0, %w1\n fmov s1, %w2\n cmp %w1, %w2\n fcsel s2, s0, s1, " cond \
                         "\n fmov %w0, s2" : "=r"(r) : "r"(vs[i]), "r"(vs[j]) : "v0", "v1", "v2", "cc"); \
        acc(r, 0); }
#define SEL_D(cond) \
    for (unsigned i = 0; i < ND; i++) for (unsigned j = 0; j < ND; j++) { \
        uint64_t r; \
        __asm__ volatile("fmov d0, %1\n fmov d1, %2\n cmp %1, %2\n fcsel d2, d0, d1, " cond \
                         "\n fmov %0, d2" : "=r"(r) : "r"(vd[i]), "r"(vd[j]) : "v0", "v1", "v2", "cc"); \
        acc(r, 0); }
#define T(name, body) do { begin(); body; end(name, fpcr); } while (0)

static void run_mode(uint64_t fpcr)
{
    WRITE_SYSREG(fpcr, fpcr);
    T("fadd s", BIN_S("fadd"));
    T("fadd d", BIN_D("fadd"));
    T("fsub s", BIN_S("fsub"));
    T("fsub d", BIN_D("fsub"));
    T("fmul s", BIN_S("fmul"));
    T("fmul d", BIN_D("fmul"));
    T("fdiv s", BIN_S("fdiv"));
    T("fdiv d", BIN_D("fdiv"));
    T("fnmul s", BIN_S("fnmul"));
    T("fnmul d", BIN_D("fnmul"));
    T("fmax s", BIN_S("fmax"));
    T("fmin d", BIN_D("fmin"));
    T("fmaxnm d", BIN_D("fmaxnm"));
    T("fminnm s", BIN_S("fminnm"));
    T("fsqrt s", UN_S("fsqrt", "s2", "w"));
    T("fsqrt d", UN_D("fsqrt", "d2", ""));
    T("fcvt d<-s", UN_S("fcvt", "d2", ""));
    T("fcvt s<-d", UN_D("fcvt", "s2", "w"));
    T("fcvt h<-s", TO_H(vs, NS, "s", "w"));
    T("fcvt h<-d", TO_H(vd, ND, "d", ""));
    T("fcvt s<-h", UN_H("s2", "w"));
    T("fcvt d<-h", UN_H("d2", ""));
    T("frintn s", UN_S("frintn", "s2", "w"));
    T("frintp d", UN_D("frintp", "d2", ""));
    T("frintm s", UN_S("frintm", "s2", "w"));
    T("frintz d", UN_D("frintz", "d2", ""));
    T("frinta s", UN_S("frinta", "s2", "w"));
    T("frinta d", UN_D("frinta", "d2", ""));
    T("frintx s", UN_S("frintx", "s2", "w"));
    T("frinti d", UN_D("frinti", "d2", ""));
    T("fabs/fneg", UN_S("fneg", "s2", "w"); UN_D("fabs", "d2", ""));
    T("fcmp s", CMP_S("fcmp s0, s1"));
    T("fcmpe d", CMP_D("fcmpe d0, d1"));
    T("fcmp #0", CMP_S("fcmp s0, #0.0"); CMP_D("fcmpe d1, #0.0"));
    T("fccmp", CMP_S("cmp %w1, %w2\n fccmp s0, s1, #5, lo"); CMP_D("cmp %1, %2\n fccmpe d0, d1, #10, ge"));
    T("fcsel", SEL_S("lt"); SEL_D("hi"));
    T("fcvtzs", CVT_S("fcvtzs", "w", ""); CVT_D("fcvtzs", "x", ""); CVT_D("fcvtzs", "w", ""));
    T("fcvtzu", CVT_S("fcvtzu", "x", ""); CVT_D("fcvtzu", "x", ""); CVT_S("fcvtzu", "w", ""));
    T("fcvtns", CVT_S("fcvtns", "w", ""); CVT_D("fcvtns", "x", ""));
    T("fcvtnu", CVT_S("fcvtnu", "x", ""); CVT_D("fcvtnu", "w", ""));
    T("fcvtps/pu", CVT_S("fcvtps", "x", ""); CVT_D("fcvtpu", "x", ""));
    T("fcvtms/mu", CVT_D("fcvtms", "w", ""); CVT_S("fcvtmu", "w", ""));
    T("fcvtas/au", CVT_D("fcvtas", "x", ""); CVT_S("fcvtas", "w", ""); CVT_D("fcvtau", "w", ""));
    T("fcvtzs fixed", CVT_S("fcvtzs", "w", ", #5"); CVT_D("fcvtzs", "x", ", #64"); CVT_D("fcvtzs", "w", ", #32"));
    T("fcvtzu fixed", CVT_S("fcvtzu", "x", ", #1"); CVT_D("fcvtzu", "x", ", #40"); CVT_S("fcvtzu", "w", ", #31"));
    T("scvtf", ICVT("scvtf", "s2", "x", ""); ICVT("scvtf", "d2", "x", ""); ICVT("scvtf", "s2", "w", ""));
    T("ucvtf", ICVT("ucvtf", "s2", "x", ""); ICVT("ucvtf", "d2", "x", ""); ICVT("ucvtf", "d2", "w", ""));
    T("scvtf fixed", ICVT("scvtf", "s2", "x", ", #3"); ICVT("scvtf", "d2", "x", ", #64"); ICVT("scvtf", "s2", "w", ", #32"));
    T("ucvtf fixed", ICVT("ucvtf", "s2", "x", ", #63"); ICVT("ucvtf", "d2", "x", ", #1"); ICVT("ucvtf", "d2", "w", ", #17"));
}

static void __attribute__((noinline)) run(void)
{
    /* RMode 0..3 with FZ/DN combinations */
    static const uint64_t modes[] = { 0, 1 << 22, 2 << 22, 3 << 22, 1 << 24, 1 << 25,
                                      (1 << 24) | (1 << 25) | (1 << 22), (1 << 24) | (3 << 22),
                                      1 << 26, (1 << 26) | (2 << 22) | (1 << 25) };
    for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
        run_mode(modes[m]);
    WRITE_SYSREG(fpcr, 0);
    check("fparith ran", 1, 1);
}

int main(void)
{
    puts_("-- guest start --\n");
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    __asm__ volatile("isb");
    run();
    return 0;
}
