/*
 * The x87/SSE state-save areas: FXSAVE/FXRSTOR and the XSAVE family
 * (XSAVE, XSAVEOPT, XRSTOR, XGETBV, XSETBV, CPUID leaf 0xD), for the two
 * state components kasou has: x87 (XCR0 bit 0) and SSE (bit 1). Both
 * families share one legacy region (SDM vol. 1 10.5.1 and 13.4.1): bytes
 * 0-23 and 32-159 are x87 state, 24-31 MXCSR and its mask, 160-415 the
 * XMM registers; the XSAVE header follows at 512.
 * What must stay true: every check that can fault (#UD, #NM, #GP, a page
 * fault on the header) comes before the first change to a register, so a
 * faulting XRSTOR leaves the CPU as it was.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "frontend/x86/cpuid.h"
#include "frontend/x86/helpers.h"
#include "frontend/x86/sse.h"
#include "softmmu/tlb.h"

#define XSAVE_LEGACY_SIZE 512
#define XSAVE_HEADER_SIZE 64
#define XSAVE_AREA_SIZE (XSAVE_LEGACY_SIZE + XSAVE_HEADER_SIZE)   /* x87 + SSE only */
#define XSAVE_OPT 2u        /* helper_xsave flag: XSAVEOPT (bit 0 is REX.W) */

/* The legacy region's parts, as [offset, end) byte ranges. */
#define AREA_X87_CTRL_END 24    /* FCW FSW FTW FOP FIP FDP (and CS/DS) */
#define AREA_MXCSR 24           /* MXCSR, MXCSR_MASK: 8 bytes */
#define AREA_ST0 32
#define AREA_XMM0 160

static void st_bytes(CPUX86State *env, uint64_t addr, const uint8_t *p, int n, uintptr_t ra)
{
    int mmu = x86_mmu_index(env);
    for (int i = 0; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        cpu_st_mmu(env_cpu(env), addr + i, v, MO_64, mmu, ra);
    }
}

static void ld_bytes(CPUX86State *env, uint64_t addr, uint8_t *p, int n, uintptr_t ra)
{
    int mmu = x86_mmu_index(env);
    for (int i = 0; i + 8 <= n; i += 8) {
        uint64_t v = cpu_ld_mmu(env_cpu(env), addr + i, MO_64, mmu, ra);
        memcpy(p + i, &v, 8);
    }
}

/* How many XMM registers the image holds: all 16 in 64-bit mode (whatever
 * REX.W says: it only widens FIP/FDP), XMM0-7 elsewhere. */
static int area_xmm_count(CPUX86State *env)
{
    return (env->hflags & HF_CS64_MASK) ? 16 : 8;
}

/* ---- the legacy region (SDM vol. 1, tables 10-2 and 10-3) ---- */

/* The x87 bytes 0-23 and 32-159; wide: the 64-bit format (REX.W), where
 * FIP and FDP are 64 bits instead of offset + selector. */
static void x87_to_area(CPUX86State *env, uint8_t *img, bool wide)
{
    uint16_t fsw = (uint16_t)((env->fpus & ~0x3800u) | (env->fpstt & 7) << X86_FPUS_TOP_SHIFT);
    uint8_t ftw = 0;
    for (int i = 0; i < 8; i++) {
        ftw |= (uint8_t)(!env->fptags[i] << i);
    }
    memset(img, 0, AREA_X87_CTRL_END);
    memcpy(img + 0, &env->fpuc, 2);
    memcpy(img + 2, &fsw, 2);
    img[4] = ftw;
    memcpy(img + 6, &env->fpop, 2);
    if (wide) {
        memcpy(img + 8, &env->fpip, 8);
        memcpy(img + 16, &env->fpdp, 8);
    } else {
        uint32_t ip = (uint32_t)env->fpip, dp = (uint32_t)env->fpdp;
        memcpy(img + 8, &ip, 4);
        memcpy(img + 12, &env->fpcs, 2);
        memcpy(img + 16, &dp, 4);
        memcpy(img + 20, &env->fpds, 2);
    }
    memset(img + AREA_ST0, 0, 128);
    for (int i = 0; i < 8; i++) {
        const X86FPReg *r = &env->fpregs[(env->fpstt + i) & 7];
        memcpy(img + AREA_ST0 + 16 * i, &r->f.mant, 8);
        memcpy(img + AREA_ST0 + 8 + 16 * i, &r->f.sign_exp, 2);
    }
}

static void x87_from_area(CPUX86State *env, const uint8_t *img, bool wide)
{
    uint16_t fsw;
    memcpy(&env->fpuc, img + 0, 2);
    memcpy(&fsw, img + 2, 2);
    env->fpstt = (fsw >> X86_FPUS_TOP_SHIFT) & 7;
    env->fpus = fsw & ~0x3800u;
    for (int i = 0; i < 8; i++) {
        env->fptags[i] = !((img[4] >> i) & 1);
    }
    memcpy(&env->fpop, img + 6, 2);
    env->fpop &= 0x7ff;
    if (wide) {
        memcpy(&env->fpip, img + 8, 8);
        memcpy(&env->fpdp, img + 16, 8);
    } else {
        uint32_t ip, dp;
        memcpy(&ip, img + 8, 4);
        memcpy(&env->fpcs, img + 12, 2);
        memcpy(&dp, img + 16, 4);
        memcpy(&env->fpds, img + 20, 2);
        env->fpip = ip;
        env->fpdp = dp;
    }
    for (int i = 0; i < 8; i++) {
        X86FPReg *r = &env->fpregs[(env->fpstt + i) & 7];
        memcpy(&r->f.mant, img + AREA_ST0 + 16 * i, 8);
        memcpy(&r->f.sign_exp, img + AREA_ST0 + 8 + 16 * i, 2);
    }
}

/* The x87 initial configuration (SDM vol. 1 13.6): what FNINIT sets, and
 * the pointers, opcode and registers zero. */
static void x87_init(CPUX86State *env)
{
    x86_fpu_init(env);
    for (int i = 0; i < 8; i++) {
        env->fpregs[i].f.mant = 0;
        env->fpregs[i].f.sign_exp = 0;
    }
}

static bool x87_is_init(CPUX86State *env)
{
    if (env->fpuc != X86_FPUC_DEFAULT || (env->fpus & ~0x3800u) || env->fpstt || env->fpop ||
        env->fpip || env->fpdp || env->fpcs || env->fpds)
        return false;
    for (int i = 0; i < 8; i++) {
        if (!env->fptags[i] || env->fpregs[i].f.mant || env->fpregs[i].f.sign_exp)
            return false;
    }
    return true;
}

static void mxcsr_to_area(CPUX86State *env, uint8_t *img)
{
    uint32_t mask = X86_MXCSR_MASK;
    memcpy(img + AREA_MXCSR, &env->mxcsr, 4);
    memcpy(img + AREA_MXCSR + 4, &mask, 4);
}

static uint32_t mxcsr_of_area(const uint8_t *img)
{
    uint32_t mxcsr;
    memcpy(&mxcsr, img + AREA_MXCSR, 4);
    return mxcsr;
}

static void xmm_to_area(CPUX86State *env, uint8_t *img, int n)
{
    for (int i = 0; i < n; i++) {
        memcpy(img + AREA_XMM0 + 16 * i, &env->xmm_regs[i], 16);
    }
}

static void xmm_from_area(CPUX86State *env, const uint8_t *img, int n)
{
    for (int i = 0; i < n; i++) {
        memcpy(&env->xmm_regs[i], img + AREA_XMM0 + 16 * i, 16);
    }
}

/* SSE's initial configuration covers the XMM registers, not MXCSR. */
static bool xmm_is_init(CPUX86State *env, int n)
{
    for (int i = 0; i < n; i++) {
        if (env->xmm_regs[i].q[0] | env->xmm_regs[i].q[1])
            return false;
    }
    return true;
}

/* ---- FXSAVE, FXRSTOR ---- */

void helper_fxsave(CPUX86State *env, uint64_t addr, uint32_t wide)
{
    uint8_t img[XSAVE_LEGACY_SIZE];
    uintptr_t ra = GETPC();
    int n = area_xmm_count(env);
    if (addr & 15) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    x87_to_area(env, img, wide);
    mxcsr_to_area(env, img);
    xmm_to_area(env, img, n);
    /* the bytes after the last XMM register are reserved or available
     * to software: FXSAVE leaves them alone */
    st_bytes(env, addr, img, AREA_XMM0 + 16 * n, ra);
}

void helper_fxrstor(CPUX86State *env, uint64_t addr, uint32_t wide)
{
    uint8_t img[XSAVE_LEGACY_SIZE];
    uintptr_t ra = GETPC();
    int n = area_xmm_count(env);
    if (addr & 15) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    ld_bytes(env, addr, img, AREA_XMM0 + 16 * n, ra);
    uint32_t mxcsr = mxcsr_of_area(img);
    if (mxcsr & ~X86_MXCSR_MASK) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    x87_from_area(env, img, wide);
    env->mxcsr = mxcsr;
    xmm_from_area(env, img, n);
}

/* ---- the XSAVE family (SDM vol. 1 chapter 13, vol. 2 XSAVE/XRSTOR/XGETBV/XSETBV) ---- */

/* CPUID.(EAX=0DH, ECX=sub): the components kasou saves, and the sizes:
 * legacy region + header for both the enabled (EBX) and the supported
 * (ECX) set, since neither adds an extended component. */
void x86_cpuid_xsave_leaf(CPUX86State *env, uint32_t sub, uint32_t r[4])
{
    (void)env;
    r[0] = r[1] = r[2] = r[3] = 0;
    if (sub == 0) {
        r[0] = (uint32_t)XSTATE_SUPPORTED;
        r[1] = XSAVE_AREA_SIZE;
        r[2] = XSAVE_AREA_SIZE;
        r[3] = (uint32_t)(XSTATE_SUPPORTED >> 32);
    } else if (sub == 1) {
        r[0] = CPUID_XSAVE_XSAVEOPT;   /* no XSAVEC, XGETBV with ECX = 1, XSAVES */
    }
}

/* #UD unless CR4.OSXSAVE (the OS turned XSAVE on; CR4 refuses the bit
 * when CPUID lacks XSAVE), for every instruction of the family. */
static void check_osxsave(CPUX86State *env, uintptr_t ra)
{
    if (!(env->cr[4] & X86_CR4_OSXSAVE)) {
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    }
}

/* XSAVE/XRSTOR: #UD, then #NM with CR0.TS, then #GP(0) unless the area
 * is 64-byte aligned. (CR0.EM does not matter to them.) */
static void check_xsave_area(CPUX86State *env, uint64_t addr, uintptr_t ra)
{
    check_osxsave(env, ra);
    if (env->cr[0] & X86_CR0_TS) {
        x86_raise_exception_ra(env, EXCP07_PREX, ra);
    }
    if (addr & 63) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
}

static uint64_t edx_eax(CPUX86State *env)
{
    return (uint64_t)(uint32_t)env->regs[R_EDX] << 32 | (uint32_t)env->regs[R_EAX];
}

void helper_xgetbv(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    check_osxsave(env, ra);
    /* only XCR0: ECX = 1 (XINUSE) needs CPUID.(0DH,1):EAX.XGETBV1 */
    if ((uint32_t)env->regs[R_ECX] != 0) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    env->regs[R_EAX] = (uint32_t)env->xcr0;
    env->regs[R_EDX] = (uint32_t)(env->xcr0 >> 32);
}

/* XSETBV: #UD (decode-time, so before the privilege check), then #GP(0)
 * outside CPL 0; XCR0 must keep x87 on and name only supported components. */
void helper_xsetbv(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    uint32_t idx = (uint32_t)env->regs[R_ECX];
    uint64_t val = edx_eax(env);
    check_osxsave(env, ra);
    if (env->hflags & HF_CPL_MASK) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (idx != 0 || !(val & XSTATE_X87) || (val & ~XSTATE_SUPPORTED)) {
        X86_TRAP(env, "XSETBV XCR%u <- 0x%" PRIx64 ": refused, #GP (XCR0 allows x87|SSE = 0x%" PRIx64
             ", x87 required)", idx, val, (uint64_t)XSTATE_SUPPORTED);
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    env->xcr0 = val;
    X86_TRAP(env, "XSETBV XCR0 <- 0x%" PRIx64 ": XSAVE manages x87%s", val,
         (val & XSTATE_SSE) ? " and SSE" : " only");
}

/* XSAVE, XSAVE64 and XSAVEOPT: the components of RFBM = EDX:EAX & XCR0,
 * and XSTATE_BV[i] = XINUSE[i] for those (the rest of the header is not
 * written). kasou derives XINUSE from the values: a component in its
 * initial configuration is reported as such, which the SDM allows
 * (13.6). XSAVEOPT writes everything XSAVE does: its optimisations are
 * permissions, not obligations. */
void helper_xsave(CPUX86State *env, uint64_t addr, uint32_t flags)
{
    uint8_t img[XSAVE_LEGACY_SIZE];
    uintptr_t ra = GETPC();
    bool wide = flags & 1;
    int n = area_xmm_count(env);
    check_xsave_area(env, addr, ra);
    uint64_t rfbm = edx_eax(env) & env->xcr0;
    uint64_t xinuse = (x87_is_init(env) ? 0 : XSTATE_X87) | (xmm_is_init(env, n) ? 0 : XSTATE_SSE);
    uint64_t bv = cpu_ld_mmu(env_cpu(env), addr + XSAVE_LEGACY_SIZE, MO_64, x86_mmu_index(env), ra);
    if (rfbm & XSTATE_X87) {
        x87_to_area(env, img, wide);
        st_bytes(env, addr, img, AREA_X87_CTRL_END, ra);
        st_bytes(env, addr + AREA_ST0, img + AREA_ST0, AREA_XMM0 - AREA_ST0, ra);
    }
    if (rfbm & XSTATE_SSE) {   /* MXCSR goes with SSE (or AVX, which kasou lacks) */
        mxcsr_to_area(env, img);
        st_bytes(env, addr + AREA_MXCSR, img + AREA_MXCSR, 8, ra);
        xmm_to_area(env, img, n);
        st_bytes(env, addr + AREA_XMM0, img + AREA_XMM0, 16 * n, ra);
    }
    bv = (bv & ~rfbm) | (xinuse & rfbm);
    cpu_st_mmu(env_cpu(env), addr + XSAVE_LEGACY_SIZE, bv, MO_64, x86_mmu_index(env), ra);
}

/* XRSTOR and XRSTOR64, standard form only (no XSAVEC: a set XCOMP_BV is
 * #GP): each component of RFBM is loaded when XSTATE_BV says it was saved
 * and set to its initial configuration otherwise; MXCSR is loaded with
 * SSE whatever XSTATE_BV says. */
void helper_xrstor(CPUX86State *env, uint64_t addr, uint32_t flags)
{
    uint8_t img[XSAVE_LEGACY_SIZE];
    uint8_t hdr[XSAVE_HEADER_SIZE];
    uintptr_t ra = GETPC();
    bool wide = flags & 1;
    int n = area_xmm_count(env);
    uint64_t bv, comp_bv, rsvd;
    check_xsave_area(env, addr, ra);
    uint64_t rfbm = edx_eax(env) & env->xcr0;
    ld_bytes(env, addr + XSAVE_LEGACY_SIZE, hdr, 24, ra);
    memcpy(&bv, hdr, 8);
    memcpy(&comp_bv, hdr + 8, 8);
    memcpy(&rsvd, hdr + 16, 8);
    /* bytes 8-23 of the header must be zero, and XSTATE_BV within XCR0 */
    if ((bv & ~env->xcr0) || comp_bv || rsvd) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (!rfbm) {
        return;
    }
    ld_bytes(env, addr, img, AREA_XMM0 + 16 * n, ra);
    uint32_t mxcsr = mxcsr_of_area(img);
    if ((rfbm & XSTATE_SSE) && (mxcsr & ~X86_MXCSR_MASK)) {
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    if (rfbm & XSTATE_X87) {
        if (bv & XSTATE_X87) {
            x87_from_area(env, img, wide);
        } else {
            x87_init(env);
        }
    }
    if (rfbm & XSTATE_SSE) {
        env->mxcsr = mxcsr;
        if (bv & XSTATE_SSE) {
            xmm_from_area(env, img, n);
        } else {
            memset(env->xmm_regs, 0, sizeof(env->xmm_regs[0]) * (size_t)n);
        }
    }
}
