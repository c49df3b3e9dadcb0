/*
 * Fused multiply-add against QEMU: FMADD, FMSUB, FNMADD, FNMSUB (single
 * and double) and vector FMLA/FMLS (2S, 4S, 2D) over corner inputs
 * (signed zeros, denormals, range limits, infinities, quiet and signaling
 * NaNs with payloads in every operand position, exact cancellation,
 * halfway products) under every rounding mode with FZ and DN off and on.
 * Each line is a checksum of the results and FPSR after every input
 * triple (FPSR cleared before each). Build with -DVERBOSE for one line per
 * input.
 */
#include "lib.h"

static const uint32_t vs[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f800800, 0x3a000400, 0x00000001,
    0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc01234,
    0xffc00001, 0x7f800abc, 0xff900001, 0x3eaaaaab, 0x40400000, 0x1f800000, 0x20000001,
    0x3f7fffff,
};
static const uint64_t vd[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3ff0000001000000ull, 0x3e60000000000001ull, 0x0000000000000001ull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000012345ull, 0xfff8000000000001ull, 0x7ff0000000000abcull,
    0xfff4000000000001ull, 0x3fd5555555555555ull, 0x4008000000000000ull, 0x1ff0000000000000ull,
    0x2000000000000001ull, 0x3fefffffffffffffull,
};
#define NS (sizeof(vs) / sizeof(vs[0]))
#define ND (sizeof(vd) / sizeof(vd[0]))

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

/* d = a + n * m and its variants, every triple of the table */
#define TRI_S(insn) \
    for (unsigned i = 0; i < NS; i++) for (unsigned j = 0; j < NS; j++) for (unsigned k = 0; k < NS; k++) { \
        uint32_t r; FPSR0(); \
        __asm__ volatile("fmov s0, %w1\n fmov s1, %w2\n fmov s3, %w3\n" insn " s2, s0, s1, s3\n fmov %w0, s2" \
                         : "=r"(r) : "r"(vs[i]), "r"(vs[j]), "r"(vs[k]) : "v0", "v1", "v2", "v3"); \
        acc(r, FPSR()); }
#define TRI_D(insn) \
    for (unsigned i = 0; i < ND; i++) for (unsigned j = 0; j < ND; j++) for (unsigned k = 0; k < ND; k++) { \
        uint64_t r; FPSR0(); \
        __asm__ volatile("fmov d0, %1\n fmov d1, %2\n fmov d3, %3\n" insn " d2, d0, d1, d3\n fmov %0, d2" \
                         : "=r"(r) : "r"(vd[i]), "r"(vd[j]), "r"(vd[k]) : "v0", "v1", "v2", "v3"); \
        acc(r, FPSR()); }
/* vector: lanes hold different triples; the whole 128-bit result is summed */
#define VEC(insn, arr, n, w) \
    for (unsigned i = 0; i < n; i++) for (unsigned j = 0; j < n; j++) { \
        uint64_t lo, hi; FPSR0(); \
        uint64_t x0 = arr[i] | (uint64_t)arr[j] << w, x1 = arr[(i + 3) % n] | (uint64_t)arr[(j + 5) % n] << w; \
        uint64_t y0 = arr[j] | (uint64_t)arr[(i + j) % n] << w, y1 = arr[(i * 7) % n] | (uint64_t)arr[i] << w; \
        uint64_t z0 = arr[(i + 1) % n] | (uint64_t)arr[(j + 2) % n] << w, z1 = arr[(i + j + 3) % n] | (uint64_t)arr[j] << w; \
        __asm__ volatile("fmov d0, %2\n mov v0.d[1], %3\n fmov d1, %4\n mov v1.d[1], %5\n" \
                         "fmov d2, %6\n mov v2.d[1], %7\n" insn "\n fmov %0, d2\n mov %1, v2.d[1]" \
                         : "=&r"(lo), "=&r"(hi) : "r"(x0), "r"(x1), "r"(y0), "r"(y1), "r"(z0), "r"(z1) \
                         : "v0", "v1", "v2"); \
        acc(lo, 0); acc(hi, FPSR()); }

#define T(name, body) do { begin(); body; end(name, fpcr); } while (0)
static void run_mode(uint64_t fpcr)
{
    WRITE_SYSREG(fpcr, fpcr);
    T("fmadd s", TRI_S("fmadd"));
    T("fmsub s", TRI_S("fmsub"));
    T("fnmadd s", TRI_S("fnmadd"));
    T("fnmsub s", TRI_S("fnmsub"));
    T("fmadd d", TRI_D("fmadd"));
    T("fmsub d", TRI_D("fmsub"));
    T("fnmadd d", TRI_D("fnmadd"));
    T("fnmsub d", TRI_D("fnmsub"));
    T("fmla 4s", VEC("fmla v2.4s, v0.4s, v1.4s", vs, NS, 32));
    T("fmls 4s", VEC("fmls v2.4s, v0.4s, v1.4s", vs, NS, 32));
    T("fmla 2s", VEC("fmla v2.2s, v0.2s, v1.2s", vs, NS, 32));
    T("fmls 2s", VEC("fmls v2.2s, v0.2s, v1.2s", vs, NS, 32));
    T("fmla 2d", VEC("fmla v2.2d, v0.2d, v1.2d", vd, ND, 0));
    T("fmls 2d", VEC("fmls v2.2d, v0.2d, v1.2d", vd, ND, 0));
}
static void __attribute__((noinline)) run(void)
{
    /* RMode 0..3 with FZ/DN combinations */
    static const uint64_t modes[] = { 0, 1 << 22, 2 << 22, 3 << 22, 1 << 24, 1 << 25,
                                      (1 << 24) | (1 << 25) | (1 << 22), (1 << 24) | (3 << 22) };
    for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
        run_mode(modes[m]);
    WRITE_SYSREG(fpcr, 0);
    /* ID_AA64PFR0_EL1.FP and .AdvSIMD: implemented (0), as compiled code
     * that uses them needs to see */
    uint64_t pfr0 = READ_SYSREG(id_aa64pfr0_el1);
    printf_("pfr0 fp %lx advsimd %lx\n", (pfr0 >> 16) & 15, (pfr0 >> 20) & 15);
    check("fpfma ran", 1, 1);
}
int main(void)
{
    puts_("-- guest start --\n");
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    __asm__ volatile("isb");
    run();
    return 0;
}
