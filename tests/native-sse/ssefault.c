/*
 * Native differential test of the faults of SSE user code, where QEMU 7.2
 * is no oracle: unmasked SIMD floating-point exceptions (#XM, with MXCSR
 * and the untouched destination after it), #GP for reserved MXCSR bits
 * (LDMXCSR, FXRSTOR), and the x87 exponent field an MMX write sets to all
 * ones (seen through FXSAVE). Built hosted, a fault is a signal (SIGFPE =
 * #XM, SIGSEGV = #GP, SIGILL = #UD) caught and resumed after the snippet;
 * as a guest, a trap through the test IDT. Both print the same lines.
 * Must stay true: a snippet restores MXCSR to 0x1f80 after its "1:" label.
 */
#ifdef NATIVE_HOSTED
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#endif
#include "lib.h"

#ifdef NATIVE_HOSTED
uint32_t trap_resume;
static volatile uint32_t host_faults, host_vector;
static void on_signal(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    host_faults++;
    host_vector = sig == SIGFPE ? 19 : sig == SIGSEGV ? 13 : sig == SIGILL ? 6 : 255;
    uc->uc_mcontext.gregs[REG_EIP] = trap_resume;
    trap_resume = 0;
}
static uint32_t fault_count(void) { return host_faults; }
static uint32_t fault_vector(void) { return host_vector; }
#else
static uint32_t fault_count(void) { return trap_last.count; }
static uint32_t fault_vector(void) { return trap_last.vector; }
#endif

uint32_t sf_io[64] __attribute__((aligned(16)));   /* a, b, out, mxcsr in/out */
static uint8_t area[512] __attribute__((aligned(16)));

#define SNIP(text)                                                          \
    __asm__ volatile("movl $1f, trap_resume\n\t"                            \
                     "ldmxcsr sf_io+48\n\tmovdqu sf_io, %%xmm0\n\t"         \
                     "movdqu sf_io+16, %%xmm1\n\t" text "\n1:\n\t"          \
                     "movl $0, trap_resume\n\tmovdqu %%xmm0, sf_io+32\n\t"  \
                     "stmxcsr sf_io+52\n\tldmxcsr sf_io+56"                 \
                     : : : "memory", "cc", "eax")

static void show(const char *name, uint32_t c0)
{
    uint32_t *o = sf_io + 8;
    printf("%s: fault=%u mxcsr=%08x dst=%08x %08x %08x %08x\n", name,
           fault_count() != c0 ? fault_vector() : 0, sf_io[13], o[0], o[1], o[2], o[3]);
}

static void setv(uint32_t mx, uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1)
{
    memset(sf_io, 0, sizeof(sf_io));
    sf_io[0] = a0; sf_io[1] = a1; sf_io[2] = 0x3f800000; sf_io[3] = 0x40000000;
    sf_io[4] = b0; sf_io[5] = b1; sf_io[6] = 0x3f800000; sf_io[7] = 0x40400000;
    sf_io[12] = mx;
    sf_io[14] = 0x1f80;
}

#define ONE 0x3f800000u
#define ZERO 0u
#define BIG 0x7f000000u
#define TINY 0x00800000u
#define DENORM 0x00000010u
#define QNAN 0x7fc00000u
#define SNAN 0x7fa00000u

#define CASE(name, text, mx, a0, a1, b0, b1)                                \
    do {                                                                    \
        uint32_t c0 = fault_count();                                        \
        setv(mx, a0, a1, b0, b1);                                           \
        SNIP(text);                                                         \
        show(name, c0);                                                     \
    } while (0)

static void fp_faults(void)
{
    /* masks: IM 0x80, DM 0x100, ZM 0x200, OM 0x400, UM 0x800, PM 0x1000 */
    CASE("divps.zm_unmasked", "divps %%xmm1, %%xmm0", 0x1d80, ONE, ONE, ZERO, 0x40400000);
    CASE("divps.zm_masked", "divps %%xmm1, %%xmm0", 0x1f80, ONE, ONE, ZERO, 0x40400000);
    CASE("divss.zm_unmasked", "divss %%xmm1, %%xmm0", 0x1d80, ONE, ONE, ZERO, ZERO);
    CASE("divps.pm_unmasked", "divps %%xmm1, %%xmm0", 0x0f80, ONE, ONE, 0x40400000, ONE);
    CASE("mulps.om_unmasked", "mulps %%xmm1, %%xmm0", 0x1b80, BIG, ONE, BIG, ONE);
    CASE("mulps.um_unmasked", "mulps %%xmm1, %%xmm0", 0x1780, TINY, ONE, 0x3e800000, ONE);
    CASE("mulps.um_ftz", "mulps %%xmm1, %%xmm0", 0x9f80, TINY, ONE, 0x3e800000, ONE);
    CASE("cvtpd2ps.um_unmasked", "cvtpd2ps %%xmm1, %%xmm0", 0x1780, ONE, ONE, 0, 0x37f00000);
    CASE("addps.dm_unmasked", "addps %%xmm1, %%xmm0", 0x1e80, DENORM, ONE, ONE, ONE);
    CASE("addps.dm_daz", "addps %%xmm1, %%xmm0", 0x1ec0, DENORM, ONE, ONE, ONE);
    CASE("addps.im_snan", "addps %%xmm1, %%xmm0", 0x1f00, SNAN, ONE, ONE, ONE);
    CASE("addps.im_qnan", "addps %%xmm1, %%xmm0", 0x1f00, QNAN, ONE, ONE, ONE);
    CASE("sqrtps.im_neg", "sqrtps %%xmm1, %%xmm0", 0x1f00, ONE, ONE, 0xbf800000, ONE);
    CASE("comiss.im_qnan", "comiss %%xmm1, %%xmm0", 0x1f00, QNAN, ONE, ONE, ONE);
    CASE("ucomiss.im_qnan", "ucomiss %%xmm1, %%xmm0", 0x1f00, QNAN, ONE, ONE, ONE);
    CASE("cvtps2dq.im", "cvtps2dq %%xmm1, %%xmm0", 0x1f00, ONE, ONE, BIG, ONE);
    CASE("cvtss2si.im", "cvtss2si %%xmm1, %%eax", 0x1f00, ONE, ONE, BIG, ONE);
    /* a precomputation exception (ZE) in one lane hides the inexact of another */
    CASE("divps.ze_and_pe", "divps %%xmm1, %%xmm0", 0x0d80, ONE, ONE, ZERO, 0x40400000);
    CASE("divpd.zm_unmasked", "divpd %%xmm1, %%xmm0", 0x1d80, 0, 0x3ff00000, 0, 0);
    CASE("cmpps.im_snan", "cmpltps %%xmm1, %%xmm0", 0x1f00, SNAN, ONE, ONE, ONE);
    CASE("maxps.im_qnan", "maxps %%xmm1, %%xmm0", 0x1f00, QNAN, ONE, ONE, ONE);
}

static void state_faults(void)
{
    uint32_t c0, v, out;
    v = 0x10000u | 0x1f80u;
    c0 = fault_count();
    __asm__ volatile("movl $1f, trap_resume\n\tldmxcsr %0\n1:\n\tmovl $0, trap_resume"
                     : : "m"(v) : "memory");
    printf("ldmxcsr.bit16: fault=%u\n", fault_count() != c0 ? fault_vector() : 0);
    v = 0xffff;                  /* every defined bit: DAZ is supported */
    c0 = fault_count();
    __asm__ volatile("movl $1f, trap_resume\n\tldmxcsr %1\n1:\n\tmovl $0, trap_resume\n\t"
                     "stmxcsr %0" : "=m"(out) : "m"(v) : "memory");
    printf("ldmxcsr.ffff: fault=%u mxcsr=%08x\n", fault_count() != c0 ? fault_vector() : 0, out);
    v = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(v));

    __asm__ volatile("fxsave %0" : "=m"(area) : : "memory");
    printf("fxsave.mxcsr_mask=%08x\n", *(uint32_t *)(area + 28));
    *(uint32_t *)(area + 24) = 0x00021f80u;
    c0 = fault_count();
    __asm__ volatile("movl $1f, trap_resume\n\tfxrstor %0\n1:\n\tmovl $0, trap_resume"
                     : : "m"(area) : "memory");
    printf("fxrstor.reserved_mxcsr: fault=%u\n", fault_count() != c0 ? fault_vector() : 0);

    /* an MMX write: ST(i) exponent all ones; TOP 0, every tag valid */
    uint64_t q = 0x8000000000000001ull;
    __asm__ volatile("movq %1, %%mm2\n\tpaddd %%mm2, %%mm2\n\tfxsave %0\n\temms"
                     : "=m"(area) : "m"(q) : "memory");
    printf("mmx.st2: %08x%08x exp=%04x ftw=%02x top=%u\n", *(uint32_t *)(area + 68),
           *(uint32_t *)(area + 64), *(uint16_t *)(area + 72), area[4],
           (*(uint16_t *)(area + 2) >> 11) & 7);
    v = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}

#ifdef NATIVE_HOSTED
int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    fp_faults();
    state_faults();
    return 0;
}
#else
int main(void)
{
    uint32_t cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"((cr0 & ~0xcu) | 0x2u));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | 0x600u));
    fp_faults();
    state_faults();
    return 0;
}
#endif
