/*
 * SSE/SSE2/SSE3/SSE4.1 floating point, run on the host's SSE unit: the
 * host is x86, so one host instruction with the guest's rounding control,
 * FTZ and DAZ loaded into MXCSR gives the guest's result, NaN payload and
 * exception flags bit for bit. Each helper loads that MXCSR with every
 * exception masked, runs the instruction, reads the flags and puts the
 * host MXCSR back, all inside one asm statement (so the compiler cannot
 * move FP work across the MXCSR switch). Flags the guest left unmasked
 * then raise #XM (CR4.OSXMMEXCPT) or #UD with the destination untouched.
 * Must stay true: an asm statement here never leaves the host MXCSR
 * changed, and a helper writes its destination only after fp_commit.
 */
#include <string.h>

#include "frontend/x86/helpers.h"
#include "frontend/x86/sse.h"

typedef uint64_t v2q __attribute__((vector_size(16)));

#define ENVP(env, off) ((void *)((char *)(env) + (off)))

static inline v2q vld(const void *p)
{
    v2q v;
    memcpy(&v, p, 16);
    return v;
}

static inline void vst(void *p, v2q v)
{
    memcpy(p, &v, 16);
}

/* The guest's RC, FTZ and DAZ with all exceptions masked and no flags. */
static inline uint32_t host_csr(const CPUX86State *env)
{
    return (env->mxcsr & X86_MXCSR_CTRL) | 0x1f80u;
}

#define MXCSR_OE 0x08u
#define MXCSR_UE 0x10u
#define MXCSR_PE 0x20u
#define MXCSR_FTZ 0x8000u

/* Flags with unmasked overflow or underflow, from the all-masked run (o)
 * and, when UM is unmasked, a second run with FTZ (o_ftz): unmasked
 * underflow is reported for any tiny result, exact or not, and FTZ is how
 * the host tells tininess of an exact result. With OE or UE unmasked the
 * manual's PE is that of the exponent-scaled result; we take an overflow
 * to be exact (PE off) and keep PE of an underflow, and DPPS/DPPD report
 * the flags of all their stages even when an early one underflows with UM
 * unmasked: known approximations. */
static uint32_t fp_adjust(const CPUX86State *env, uint32_t o, uint32_t o_ftz)
{
    uint32_t f = o & X86_MXCSR_FLAGS, masks = env->mxcsr >> 7;
    if (!(masks & MXCSR_UE) && (o_ftz & MXCSR_UE)) {
        f |= MXCSR_UE;
    }
    if ((f & MXCSR_OE) && !(masks & MXCSR_OE)) {
        f &= ~MXCSR_PE;
    }
    return f;
}

/* Does the result need the FTZ run of fp_adjust? (UM unmasked, no UE yet) */
static inline bool fp_need_ftz(const CPUX86State *env, uint32_t o)
{
    return !(env->mxcsr & (MXCSR_UE << 7)) && !(o & MXCSR_UE) && !(env->mxcsr & MXCSR_FTZ);
}

/* Merge the flags the host raised into the guest's MXCSR, or raise the
 * SIMD exception if one of them is unmasked: then a pre-computation
 * exception (IE, DE, ZE) stops the post-computation ones from being
 * reported (SDM vol. 1, 11.5.2). */
static void fp_commit(CPUX86State *env, uint32_t out, uintptr_t ra)
{
    uint32_t f = out & X86_MXCSR_FLAGS;
    uint32_t unmasked = f & ~(env->mxcsr >> 7) & X86_MXCSR_FLAGS;
    if (unmasked) {
        uint32_t pre = f & (X86_MXCSR_IE | X86_MXCSR_DE | X86_MXCSR_ZE);
        env->mxcsr |= (pre & unmasked) ? pre : f;
        x86_raise_exception_ra(env, (env->cr[4] & X86_CR4_OSXMMEXCPT) ? EXCP13_XMM : EXCP06_ILLOP,
                               ra);
    }
    env->mxcsr |= f;
}

/* insn (AT&T operands %[b] source, %[r] destination) under the guest csr */
#define HOST_OP(insn, rv, bv, ov) HOST_OP_CSR(insn, rv, bv, ov, host_csr(env))
#define HOST_OP_CSR(insn, rv, bv, ov, csr)                                      \
    do {                                                                        \
        uint32_t g_ = (csr), h_;                                                \
        __asm__ volatile("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn                \
                         "\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                     \
                         : [r] "+x"(rv), [o] "=m"(ov), [h] "=m"(h_)             \
                         : [b] "x"(bv), [g] "m"(g_));                           \
    } while (0)

#define FP2(name, insn)                                                         \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)     \
{                                                                               \
    v2q r = vld(ENVP(env, d)), b = vld(ENVP(env, s)), r2 = r;                   \
    uint32_t o, o2 = 0;                                                         \
    HOST_OP(insn " %[b], %[r]", r, b, o);                                       \
    if (fp_need_ftz(env, o)) {                                                  \
        HOST_OP_CSR(insn " %[b], %[r]", r2, b, o2, host_csr(env) | MXCSR_FTZ);  \
    }                                                                           \
    fp_commit(env, fp_adjust(env, o, o2), GETPC());                             \
    vst(ENVP(env, d), r);                                                       \
}

FP2(addps, "addps") FP2(addpd, "addpd") FP2(addss, "addss") FP2(addsd, "addsd")
FP2(subps, "subps") FP2(subpd, "subpd") FP2(subss, "subss") FP2(subsd, "subsd")
FP2(mulps, "mulps") FP2(mulpd, "mulpd") FP2(mulss, "mulss") FP2(mulsd, "mulsd")
FP2(divps, "divps") FP2(divpd, "divpd") FP2(divss, "divss") FP2(divsd, "divsd")
FP2(minps, "minps") FP2(minpd, "minpd") FP2(minss, "minss") FP2(minsd, "minsd")
FP2(maxps, "maxps") FP2(maxpd, "maxpd") FP2(maxss, "maxss") FP2(maxsd, "maxsd")
FP2(sqrtps, "sqrtps") FP2(sqrtpd, "sqrtpd") FP2(sqrtss, "sqrtss") FP2(sqrtsd, "sqrtsd")
FP2(rcpps, "rcpps") FP2(rcpss, "rcpss") FP2(rsqrtps, "rsqrtps") FP2(rsqrtss, "rsqrtss")
FP2(addsubps, "addsubps") FP2(addsubpd, "addsubpd") FP2(haddps, "haddps")
FP2(haddpd, "haddpd") FP2(hsubps, "hsubps") FP2(hsubpd, "hsubpd")
FP2(cvtps2pd, "cvtps2pd") FP2(cvtpd2ps, "cvtpd2ps") FP2(cvtss2sd, "cvtss2sd")
FP2(cvtsd2ss, "cvtsd2ss") FP2(cvtdq2ps, "cvtdq2ps") FP2(cvtps2dq, "cvtps2dq")
FP2(cvttps2dq, "cvttps2dq") FP2(cvtdq2pd, "cvtdq2pd") FP2(cvtpd2dq, "cvtpd2dq")
FP2(cvttpd2dq, "cvttpd2dq")

/* MMX-sourced conversions: the host reads the pair from memory, so the
 * host FPU never enters MMX mode */
#define CVT_FROM_MMX(name, insn)                                                \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)     \
{                                                                               \
    v2q r = vld(ENVP(env, d));                                                  \
    uint64_t m;                                                                 \
    uint32_t o, g = host_csr(env), h;                                           \
    memcpy(&m, ENVP(env, s), 8);                                                \
    __asm__ volatile("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn " %[m], %[r]"      \
                     "\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                         \
                     : [r] "+x"(r), [o] "=m"(o), [h] "=m"(h)                    \
                     : [m] "m"(m), [g] "m"(g));                                 \
    fp_commit(env, fp_adjust(env, o, 0), GETPC());                                                 \
    vst(ENVP(env, d), r);                                                       \
}
CVT_FROM_MMX(cvtpi2ps, "cvtpi2ps")
CVT_FROM_MMX(cvtpi2pd, "cvtpi2pd")

/* to MMX: the XMM->XMM form on the same lanes (the upper two zero for the
 * single-precision forms, so they raise nothing); the low 8 bytes go to D */
#define CVT_TO_MMX(name, insn, lanes64)                                         \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)     \
{                                                                               \
    v2q b = vld(ENVP(env, s)), r = { 0, 0 };                                    \
    uint32_t o;                                                                 \
    if (lanes64 == 1) {                                                         \
        b[1] = 0;                                                               \
    }                                                                           \
    HOST_OP(insn " %[b], %[r]", r, b, o);                                       \
    fp_commit(env, fp_adjust(env, o, 0), GETPC());                                                 \
    memcpy(ENVP(env, d), &r, 8);                                                \
}
CVT_TO_MMX(cvtps2pi, "cvtps2dq", 1)
CVT_TO_MMX(cvttps2pi, "cvttps2dq", 1)
CVT_TO_MMX(cvtpd2pi, "cvtpd2dq", 2)
CVT_TO_MMX(cvttpd2pi, "cvttpd2dq", 2)

/* from a general register or memory: the integer is at s, aux width 4/8 */
#define CVT_FROM_INT(name, insn)                                                \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)     \
{                                                                               \
    v2q r = vld(ENVP(env, d));                                                  \
    uint32_t o, g = host_csr(env), h;                                           \
    if (SSE_AUX_WIDTH(aux) == 8) {                                              \
        int64_t v;                                                              \
        memcpy(&v, ENVP(env, s), 8);                                            \
        __asm__ volatile("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn "q %[m], %[r]" \
                         "\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                     \
                         : [r] "+x"(r), [o] "=m"(o), [h] "=m"(h)                \
                         : [m] "m"(v), [g] "m"(g));                             \
    } else {                                                                    \
        int32_t v;                                                              \
        memcpy(&v, ENVP(env, s), 4);                                            \
        __asm__ volatile("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn "l %[m], %[r]" \
                         "\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                     \
                         : [r] "+x"(r), [o] "=m"(o), [h] "=m"(h)                \
                         : [m] "m"(v), [g] "m"(g));                             \
    }                                                                           \
    fp_commit(env, fp_adjust(env, o, 0), GETPC());                                                 \
    vst(ENVP(env, d), r);                                                       \
}
CVT_FROM_INT(cvtsi2ss, "cvtsi2ss")
CVT_FROM_INT(cvtsi2sd, "cvtsi2sd")

/* to a general register: the result, zero-extended, for the translator */
#define CVT_TO_INT(name, insn)                                                  \
uint64_t helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux) \
{                                                                               \
    v2q b = vld(ENVP(env, s));                                                  \
    uint32_t o, g = host_csr(env), h;                                           \
    uint64_t res;                                                               \
    if (SSE_AUX_WIDTH(aux) == 8) {                                              \
        __asm__ volatile("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn " %[b], %q[v]" \
                         "\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                     \
                         : [v] "=r"(res), [o] "=m"(o), [h] "=m"(h)              \
                         : [b] "x"(b), [g] "m"(g));                             \
    } else {                                                                    \
        uint32_t r32;                                                           \
        __asm__ volatile("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn " %[b], %k[v]" \
                         "\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                     \
                         : [v] "=r"(r32), [o] "=m"(o), [h] "=m"(h)              \
                         : [b] "x"(b), [g] "m"(g));                             \
        res = r32;                                                              \
    }                                                                           \
    fp_commit(env, fp_adjust(env, o, 0), GETPC());                                                 \
    return res;                                                                 \
}
CVT_TO_INT(cvtss2si, "cvtss2si")
CVT_TO_INT(cvttss2si, "cvttss2si")
CVT_TO_INT(cvtsd2si, "cvtsd2si")
CVT_TO_INT(cvttsd2si, "cvttsd2si")

/* COMISS & co: ZF, PF, CF from the host; OF, SF, AF cleared */
#define COMI(name, insn)                                                        \
uint32_t helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux) \
{                                                                               \
    v2q a = vld(ENVP(env, d)), b = vld(ENVP(env, s));                           \
    uint32_t o, g = host_csr(env), h;                                           \
    uint8_t z, p, c;                                                            \
    __asm__ volatile("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn " %[b], %[a]"      \
                     "\n\tsetz %[z]\n\tsetp %[p]\n\tsetc %[c]"                  \
                     "\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                         \
                     : [z] "=q"(z), [p] "=q"(p), [c] "=q"(c), [o] "=m"(o),      \
                       [h] "=m"(h)                                              \
                     : [a] "x"(a), [b] "x"(b), [g] "m"(g) : "cc");              \
    fp_commit(env, fp_adjust(env, o, 0), GETPC());                                                 \
    return (z ? CC_Z : 0) | (p ? CC_P : 0) | (c ? CC_C : 0);                    \
}
COMI(comiss, "comiss")
COMI(ucomiss, "ucomiss")
COMI(comisd, "comisd")
COMI(ucomisd, "ucomisd")

/* immediate forms: the immediate is part of the host instruction, so one
 * asm per value (a switch generated by R8/R16/R256) */
#define HOST_IMM(insn, n)                                                       \
    __asm__ volatile("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn " %[i], %[b], %[r]" \
                     "\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                         \
                     : [r] "+x"(r), [o] "=m"(o), [h] "=m"(h)                    \
                     : [b] "x"(b), [g] "m"(g), [i] "i"(n))
#define IMM_CASE(insn, n) case (n): HOST_IMM(insn, n); break;
#define R2(m, x, n) m(x, n) m(x, (n) + 1)
#define R4(m, x, n) R2(m, x, n) R2(m, x, (n) + 2)
#define R8(m, x, n) R4(m, x, n) R4(m, x, (n) + 4)
#define R16(m, x, n) R8(m, x, n) R8(m, x, (n) + 8)
#define R64(m, x, n) R16(m, x, n) R16(m, x, (n) + 16) R16(m, x, (n) + 32) R16(m, x, (n) + 48)
#define R256(m, x, n) R64(m, x, n) R64(m, x, (n) + 64) R64(m, x, (n) + 128) R64(m, x, (n) + 192)

#define FP_IMM(name, insn, reps, mask)                                          \
static uint32_t name##_host(v2q *rp, v2q b, uint32_t g, uint32_t aux)          \
{                                                                               \
    v2q r = *rp;                                                                \
    uint32_t o = 0, h;                                                          \
    switch (aux & (mask)) {                                                     \
    reps(IMM_CASE, insn, 0)                                                     \
    }                                                                           \
    *rp = r;                                                                    \
    return o;                                                                   \
}                                                                               \
void helper_##name(CPUX86State *env, uint32_t d, uint32_t s, uint32_t aux)     \
{                                                                               \
    v2q r = vld(ENVP(env, d)), b = vld(ENVP(env, s)), r2 = r;                   \
    uint32_t o = name##_host(&r, b, host_csr(env), aux), o2 = 0;                \
    if (fp_need_ftz(env, o)) {                                                  \
        o2 = name##_host(&r2, b, host_csr(env) | MXCSR_FTZ, aux);               \
    }                                                                           \
    fp_commit(env, fp_adjust(env, o, o2), GETPC());                             \
    vst(ENVP(env, d), r);                                                       \
}
/* legacy CMPPS & co use imm8[2:0] only */
FP_IMM(cmpps, "cmpps", R8, 7)
FP_IMM(cmppd, "cmppd", R8, 7)
FP_IMM(cmpss, "cmpss", R8, 7)
FP_IMM(cmpsd, "cmpsd", R8, 7)
/* ROUNDxx: imm8[3:0] (rounding source, mode, precision mask) */
FP_IMM(roundps, "roundps", R16, 15)
FP_IMM(roundpd, "roundpd", R16, 15)
FP_IMM(roundss, "roundss", R16, 15)
FP_IMM(roundsd, "roundsd", R16, 15)
FP_IMM(dpps, "dpps", R256, 255)
FP_IMM(dppd, "dppd", R256, 255)
