/*
 * Native differential test of the user-level x87 instructions. The same
 * source builds (a) hosted, as a 32-bit Linux program run on the host CPU
 * (the oracle), and (b) as a multiboot guest run under kasou. Each form is
 * its exact encoding (raw bytes; memory operands are [fpu_mem], absolute),
 * run once per case after FNINIT, FLDCW (each rounding mode and each
 * precision, all exceptions masked) and a stack of 0-8 random or corner
 * values (so stack overflow and underflow are exercised). Then FNSAVE
 * captures FCW, FSW, the full tag word and ST0-7; they, the memory operand
 * afterwards and EFLAGS (FCOMI, FCMOVcc) form the case line:
 *   "<form> <inputs> -> <outputs>", hashed per form as tests/native does
 * (run.sh of tests/native compares the "form <name> <n> <hash>" lines).
 * Must stay true: nothing printed depends on anything but the CPU's
 * defined behaviour: empty registers' contents, FIP/FDP/FOP/FCS/FDS and
 * reserved fields are left out; transcendental results are not exact on
 * any CPU and are checked elsewhere (tests/guest/x86/x87.c).
 */
#ifdef NATIVE_HOSTED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#endif
#if defined(__x86_64__) && !defined(NATIVE_HOSTED)
#include "lib64.h"      /* the x86_64 guest runtime (tests/guest/x86_64) */
#else
#include "lib.h"
#endif

#define NATIVE_CASES 384
#define NATIVE_SEED 0x7f3a9c15u

typedef struct X80 { uint32_t lo, hi; uint16_t se; } __attribute__((packed)) X80;

uint8_t fpu_mem[128] __attribute__((aligned(16)));
uint32_t fpu_eflags_in, fpu_eflags_out;
static uint8_t fpu_save[108];

/* ---- the forms: exact bytes ---- */

/* The same source builds for 64-bit mode: memory operands are then
 * RIP-relative (ModRM mod 00 r/m 101 means that there) */
#ifdef __x86_64__
#define EFL_IN "movl fpu_eflags_in(%%rip), %%eax\n\tpushq %%rax\n\tpopfq\n\t"
#define EFL_OUT "\n\tpushfq\n\tpopq %%rax\n\tmovl %%eax, fpu_eflags_out(%%rip)"
#define MEM_DISP "\n\t.long fpu_mem - . - 4"
#define AX_TO_MEM "movw %%ax, fpu_mem(%%rip)"
#else
#define EFL_IN "pushl fpu_eflags_in\n\tpopfl\n\t"
#define EFL_OUT "\n\tpushfl\n\tpopl fpu_eflags_out"
#define MEM_DISP "\n\t.long fpu_mem"
#define AX_TO_MEM "movw %%ax, fpu_mem"
#endif
#define FORM_R(fn, bytes) \
    static void fn(void) { __asm__ volatile(EFL_IN ".byte " bytes EFL_OUT ::: "memory", "cc", "eax"); }
#define FORM_M(fn, bytes) \
    static void fn(void) { __asm__ volatile(EFL_IN ".byte " bytes MEM_DISP EFL_OUT ::: "memory", "cc", "eax"); }

enum { MK_NONE, MK_F32, MK_F64, MK_F80, MK_I16, MK_I32, MK_I64, MK_BCD, MK_CW, MK_ENV32, MK_SAVE32 };

typedef struct Form {
    const char *name;
    void (*fn)(void);
    int nin;        /* stack values the form reads */
    int mem;        /* MK_*: what to put in fpu_mem before */
    int memout;     /* bytes of fpu_mem compared afterwards */
    int flags;      /* F_* */
} Form;
#define F_EFL 1     /* EFLAGS are an input and an output */
#define F_AX  2     /* AX is an output (FNSTSW AX) */

/* loads */
FORM_M(f_fld_m32, "0xd9, 0x05") FORM_M(f_fld_m64, "0xdd, 0x05") FORM_M(f_fld_m80, "0xdb, 0x2d")
FORM_M(f_fild_m16, "0xdf, 0x05") FORM_M(f_fild_m32, "0xdb, 0x05") FORM_M(f_fild_m64, "0xdf, 0x2d")
FORM_M(f_fbld, "0xdf, 0x25")
FORM_R(f_fld_st0, "0xd9, 0xc0") FORM_R(f_fld_st3, "0xd9, 0xc3") FORM_R(f_fld_st7, "0xd9, 0xc7")
FORM_R(f_fld1, "0xd9, 0xe8") FORM_R(f_fldl2t, "0xd9, 0xe9") FORM_R(f_fldl2e, "0xd9, 0xea")
FORM_R(f_fldpi, "0xd9, 0xeb") FORM_R(f_fldlg2, "0xd9, 0xec") FORM_R(f_fldln2, "0xd9, 0xed")
FORM_R(f_fldz, "0xd9, 0xee")
/* stores */
FORM_M(f_fst_m32, "0xd9, 0x15") FORM_M(f_fst_m64, "0xdd, 0x15") FORM_M(f_fstp_m32, "0xd9, 0x1d")
FORM_M(f_fstp_m64, "0xdd, 0x1d") FORM_M(f_fstp_m80, "0xdb, 0x3d")
FORM_M(f_fist_m16, "0xdf, 0x15") FORM_M(f_fist_m32, "0xdb, 0x15") FORM_M(f_fistp_m16, "0xdf, 0x1d")
FORM_M(f_fistp_m32, "0xdb, 0x1d") FORM_M(f_fistp_m64, "0xdf, 0x3d")
FORM_M(f_fisttp_m16, "0xdf, 0x0d") FORM_M(f_fisttp_m32, "0xdb, 0x0d") FORM_M(f_fisttp_m64, "0xdd, 0x0d")
FORM_M(f_fbstp, "0xdf, 0x35")
FORM_R(f_fst_st2, "0xdd, 0xd2") FORM_R(f_fstp_st1, "0xdd, 0xd9") FORM_R(f_fstp_st0, "0xdd, 0xd8")
FORM_R(f_fstp1_st3, "0xd9, 0xdb") FORM_R(f_fstp8_st2, "0xdf, 0xd2")
/* arithmetic: D8 m32, DC m64, DA m32int, DE m16int, D8 reg, DC reg, DE reg */
#define ARITH(op, r) \
    FORM_M(f_##op##_m32, "0xd8, " #r "*8+5") FORM_M(f_##op##_m64, "0xdc, " #r "*8+5") \
    FORM_M(f_fi##op##_m32, "0xda, " #r "*8+5") FORM_M(f_fi##op##_m16, "0xde, " #r "*8+5") \
    FORM_R(f_##op##_st0_st1, "0xd8, 0xc1+" #r "*8") FORM_R(f_##op##_st0_st5, "0xd8, 0xc5+" #r "*8") \
    FORM_R(f_##op##_st3_st0, "0xdc, 0xc3+" #r "*8") FORM_R(f_##op##p_st1_st0, "0xde, 0xc1+" #r "*8") \
    FORM_R(f_##op##p_st4_st0, "0xde, 0xc4+" #r "*8")
ARITH(add, 0) ARITH(mul, 1) ARITH(sub, 4) ARITH(subr, 5) ARITH(div, 6) ARITH(divr, 7)
/* compares */
FORM_M(f_fcom_m32, "0xd8, 0x15") FORM_M(f_fcom_m64, "0xdc, 0x15") FORM_M(f_fcomp_m32, "0xd8, 0x1d")
FORM_M(f_fcomp_m64, "0xdc, 0x1d") FORM_M(f_ficom_m16, "0xde, 0x15") FORM_M(f_ficom_m32, "0xda, 0x15")
FORM_M(f_ficomp_m16, "0xde, 0x1d") FORM_M(f_ficomp_m32, "0xda, 0x1d")
FORM_R(f_fcom_st1, "0xd8, 0xd1") FORM_R(f_fcom_st6, "0xd8, 0xd6") FORM_R(f_fcomp_st2, "0xd8, 0xda")
FORM_R(f_fcompp, "0xde, 0xd9") FORM_R(f_fucom_st1, "0xdd, 0xe1") FORM_R(f_fucomp_st3, "0xdd, 0xeb")
FORM_R(f_fucompp, "0xda, 0xe9")
FORM_R(f_fcomi_st1, "0xdb, 0xf1") FORM_R(f_fcomip_st2, "0xdf, 0xf2") FORM_R(f_fucomi_st1, "0xdb, 0xe9")
FORM_R(f_fucomip_st3, "0xdf, 0xeb") FORM_R(f_ftst, "0xd9, 0xe4") FORM_R(f_fxam, "0xd9, 0xe5")
/* FCMOVcc ST0, ST2 */
FORM_R(f_fcmovb, "0xda, 0xc2") FORM_R(f_fcmove, "0xda, 0xca") FORM_R(f_fcmovbe, "0xda, 0xd2")
FORM_R(f_fcmovu, "0xda, 0xda") FORM_R(f_fcmovnb, "0xdb, 0xc2") FORM_R(f_fcmovne, "0xdb, 0xca")
FORM_R(f_fcmovnbe, "0xdb, 0xd2") FORM_R(f_fcmovnu, "0xdb, 0xda")
/* others */
FORM_R(f_fxch_st1, "0xd9, 0xc9") FORM_R(f_fxch_st5, "0xd9, 0xcd") FORM_R(f_fchs, "0xd9, 0xe0")
FORM_R(f_fabs, "0xd9, 0xe1") FORM_R(f_fsqrt, "0xd9, 0xfa") FORM_R(f_fscale, "0xd9, 0xfd")
FORM_R(f_fprem, "0xd9, 0xf8") FORM_R(f_fprem1, "0xd9, 0xf5") FORM_R(f_frndint, "0xd9, 0xfc")
FORM_R(f_fxtract, "0xd9, 0xf4") FORM_R(f_fnop, "0xd9, 0xd0") FORM_R(f_ffree_st1, "0xdd, 0xc1")
FORM_R(f_ffreep_st2, "0xdf, 0xc2")
FORM_R(f_fincstp, "0xd9, 0xf7") FORM_R(f_fdecstp, "0xd9, 0xf6") FORM_R(f_fnclex, "0xdb, 0xe2")
FORM_R(f_fninit, "0xdb, 0xe3") FORM_R(f_fwait, "0x9b")
FORM_R(f_fneni, "0xdb, 0xe0") FORM_R(f_fndisi, "0xdb, 0xe1") FORM_R(f_fnsetpm, "0xdb, 0xe4")
FORM_M(f_fldcw, "0xd9, 0x2d") FORM_M(f_fnstcw, "0xd9, 0x3d") FORM_M(f_fnstsw_m16, "0xdd, 0x3d")
static void f_fnstsw_ax(void)
{
    __asm__ volatile(".byte 0xdf, 0xe0\n\t" AX_TO_MEM ::: "memory", "eax");
}
FORM_M(f_fnstenv, "0xd9, 0x35") FORM_M(f_fnstenv16, "0x66, 0xd9, 0x35") FORM_M(f_fldenv, "0xd9, 0x25")
FORM_M(f_fnsave, "0xdd, 0x35") FORM_M(f_frstor, "0xdd, 0x25")

#define A(op, name, nin, mk) { name, op, nin, mk, 0, 0 }
#define ARITH_FORMS(op, name) \
    A(f_##op##_m32, "f" name "_m32", 1, MK_F32), A(f_##op##_m64, "f" name "_m64", 1, MK_F64), \
    A(f_fi##op##_m32, "fi" name "_m32", 1, MK_I32), A(f_fi##op##_m16, "fi" name "_m16", 1, MK_I16), \
    A(f_##op##_st0_st1, "f" name "_st0_st1", 2, MK_NONE), A(f_##op##_st0_st5, "f" name "_st0_st5", 6, MK_NONE), \
    A(f_##op##_st3_st0, "f" name "_st3_st0", 4, MK_NONE), A(f_##op##p_st1_st0, "f" name "p_st1_st0", 2, MK_NONE), \
    A(f_##op##p_st4_st0, "f" name "p_st4_st0", 5, MK_NONE)

static const Form forms[] = {
    A(f_fld_m32, "fld_m32", 0, MK_F32), A(f_fld_m64, "fld_m64", 0, MK_F64),
    A(f_fld_m80, "fld_m80", 0, MK_F80), A(f_fild_m16, "fild_m16", 0, MK_I16),
    A(f_fild_m32, "fild_m32", 0, MK_I32), A(f_fild_m64, "fild_m64", 0, MK_I64),
    A(f_fbld, "fbld", 0, MK_BCD),
    A(f_fld_st0, "fld_st0", 1, MK_NONE), A(f_fld_st3, "fld_st3", 4, MK_NONE), A(f_fld_st7, "fld_st7", 8, MK_NONE),
    A(f_fld1, "fld1", 0, MK_NONE), A(f_fldl2t, "fldl2t", 0, MK_NONE), A(f_fldl2e, "fldl2e", 0, MK_NONE),
    A(f_fldpi, "fldpi", 0, MK_NONE), A(f_fldlg2, "fldlg2", 0, MK_NONE), A(f_fldln2, "fldln2", 0, MK_NONE),
    A(f_fldz, "fldz", 0, MK_NONE),
    { "fst_m32", f_fst_m32, 1, MK_NONE, 4, 0 }, { "fst_m64", f_fst_m64, 1, MK_NONE, 8, 0 },
    { "fstp_m32", f_fstp_m32, 1, MK_NONE, 4, 0 }, { "fstp_m64", f_fstp_m64, 1, MK_NONE, 8, 0 },
    { "fstp_m80", f_fstp_m80, 1, MK_NONE, 10, 0 },
    { "fist_m16", f_fist_m16, 1, MK_NONE, 2, 0 }, { "fist_m32", f_fist_m32, 1, MK_NONE, 4, 0 },
    { "fistp_m16", f_fistp_m16, 1, MK_NONE, 2, 0 }, { "fistp_m32", f_fistp_m32, 1, MK_NONE, 4, 0 },
    { "fistp_m64", f_fistp_m64, 1, MK_NONE, 8, 0 },
    { "fisttp_m16", f_fisttp_m16, 1, MK_NONE, 2, 0 }, { "fisttp_m32", f_fisttp_m32, 1, MK_NONE, 4, 0 },
    { "fisttp_m64", f_fisttp_m64, 1, MK_NONE, 8, 0 }, { "fbstp", f_fbstp, 1, MK_NONE, 10, 0 },
    A(f_fst_st2, "fst_st2", 3, MK_NONE), A(f_fstp_st1, "fstp_st1", 2, MK_NONE),
    A(f_fstp_st0, "fstp_st0", 1, MK_NONE), A(f_fstp1_st3, "fstp1_st3", 4, MK_NONE),
    A(f_fstp8_st2, "fstp8_st2", 3, MK_NONE),
    ARITH_FORMS(add, "add"), ARITH_FORMS(mul, "mul"), ARITH_FORMS(sub, "sub"),
    ARITH_FORMS(subr, "subr"), ARITH_FORMS(div, "div"), ARITH_FORMS(divr, "divr"),
    A(f_fcom_m32, "fcom_m32", 1, MK_F32), A(f_fcom_m64, "fcom_m64", 1, MK_F64),
    A(f_fcomp_m32, "fcomp_m32", 1, MK_F32), A(f_fcomp_m64, "fcomp_m64", 1, MK_F64),
    A(f_ficom_m16, "ficom_m16", 1, MK_I16), A(f_ficom_m32, "ficom_m32", 1, MK_I32),
    A(f_ficomp_m16, "ficomp_m16", 1, MK_I16), A(f_ficomp_m32, "ficomp_m32", 1, MK_I32),
    A(f_fcom_st1, "fcom_st1", 2, MK_NONE), A(f_fcom_st6, "fcom_st6", 7, MK_NONE),
    A(f_fcomp_st2, "fcomp_st2", 3, MK_NONE), A(f_fcompp, "fcompp", 2, MK_NONE),
    A(f_fucom_st1, "fucom_st1", 2, MK_NONE), A(f_fucomp_st3, "fucomp_st3", 4, MK_NONE),
    A(f_fucompp, "fucompp", 2, MK_NONE),
    { "fcomi_st1", f_fcomi_st1, 2, MK_NONE, 0, F_EFL }, { "fcomip_st2", f_fcomip_st2, 3, MK_NONE, 0, F_EFL },
    { "fucomi_st1", f_fucomi_st1, 2, MK_NONE, 0, F_EFL }, { "fucomip_st3", f_fucomip_st3, 4, MK_NONE, 0, F_EFL },
    A(f_ftst, "ftst", 1, MK_NONE), A(f_fxam, "fxam", 1, MK_NONE),
    { "fcmovb", f_fcmovb, 3, MK_NONE, 0, F_EFL }, { "fcmove", f_fcmove, 3, MK_NONE, 0, F_EFL },
    { "fcmovbe", f_fcmovbe, 3, MK_NONE, 0, F_EFL }, { "fcmovu", f_fcmovu, 3, MK_NONE, 0, F_EFL },
    { "fcmovnb", f_fcmovnb, 3, MK_NONE, 0, F_EFL }, { "fcmovne", f_fcmovne, 3, MK_NONE, 0, F_EFL },
    { "fcmovnbe", f_fcmovnbe, 3, MK_NONE, 0, F_EFL }, { "fcmovnu", f_fcmovnu, 3, MK_NONE, 0, F_EFL },
    A(f_fxch_st1, "fxch_st1", 2, MK_NONE), A(f_fxch_st5, "fxch_st5", 6, MK_NONE),
    A(f_fchs, "fchs", 1, MK_NONE), A(f_fabs, "fabs", 1, MK_NONE), A(f_fsqrt, "fsqrt", 1, MK_NONE),
    A(f_fscale, "fscale", 2, MK_NONE), A(f_fprem, "fprem", 2, MK_NONE), A(f_fprem1, "fprem1", 2, MK_NONE),
    A(f_frndint, "frndint", 1, MK_NONE), A(f_fxtract, "fxtract", 1, MK_NONE),
    A(f_fnop, "fnop", 1, MK_NONE), A(f_ffree_st1, "ffree_st1", 2, MK_NONE),
    A(f_ffreep_st2, "ffreep_st2", 3, MK_NONE), A(f_fincstp, "fincstp", 2, MK_NONE),
    A(f_fdecstp, "fdecstp", 2, MK_NONE), A(f_fnclex, "fnclex", 2, MK_NONE), A(f_fninit, "fninit", 2, MK_NONE),
    A(f_fwait, "fwait", 1, MK_NONE), A(f_fneni, "fneni", 2, MK_NONE), A(f_fndisi, "fndisi", 2, MK_NONE),
    A(f_fnsetpm, "fnsetpm", 2, MK_NONE),
    A(f_fldcw, "fldcw", 2, MK_CW), { "fnstcw", f_fnstcw, 1, MK_NONE, 2, 0 },
    { "fnstsw_m16", f_fnstsw_m16, 2, MK_NONE, 2, 0 }, { "fnstsw_ax", f_fnstsw_ax, 2, MK_NONE, 2, F_AX },
    { "fnstenv", f_fnstenv, 3, MK_NONE, 12, 0 }, { "fnstenv16", f_fnstenv16, 3, MK_NONE, 6, 0 },
    A(f_fldenv, "fldenv", 3, MK_ENV32), { "fnsave", f_fnsave, 3, MK_NONE, 108, 0 },
    A(f_frstor, "frstor", 1, MK_SAVE32),
    { NULL, NULL, 0, 0, 0, 0 },
};

/* ---- inputs ---- */

static uint32_t rnd(uint32_t *s) { return xorshift32(s); }

static uint64_t rnd_mant(uint32_t *s)
{
    uint64_t r = ((uint64_t)rnd(s) << 32) | rnd(s);
    switch (rnd(s) % 6) {
    case 0: return r;
    case 1: return ~0ull << (rnd(s) % 64);
    case 2: return ~0ull >> (rnd(s) % 64);
    case 3: return 1ull << (rnd(s) % 64);
    case 4: return r & (((uint64_t)rnd(s) << 32) | rnd(s));
    default: return r & 0xffffffffff000000ull;
    }
}

static X80 mk(uint64_t m, uint16_t se) { X80 v = { (uint32_t)m, (uint32_t)(m >> 32), se }; return v; }

static X80 rnd_x80(uint32_t *s)
{
    uint16_t sign = (uint16_t)((rnd(s) & 1) << 15);
    uint64_t m = rnd_mant(s) | (1ull << 63);
    switch (rnd(s) % 14) {
    case 0: return mk(0, sign);
    case 1: return mk(1ull << 63, sign | 0x7fff);
    case 2: return mk(m | (1ull << 62), sign | 0x7fff);
    case 3: return mk((m & ~(1ull << 62)) | 1, sign | 0x7fff);
    case 4: return mk(m & ~(1ull << 63), sign);                          /* denormal */
    case 5: return mk(m, (uint16_t)(sign | (rnd(s) % 70)));            /* tiny */
    case 6: return mk(m, (uint16_t)(sign | (0x7ffe - rnd(s) % 70)));   /* huge */
    case 7: return mk(m, (uint16_t)(sign | (0x3fff + rnd(s) % 64)));   /* integers */
    case 8: return mk(m, (uint16_t)(sign | (0x3fff - 3 + rnd(s) % 6)));
    case 9: return mk(m, (uint16_t)(sign | (0x3c01 - 70 + rnd(s) % 140)));
    case 10: return mk(m, (uint16_t)(sign | (0x3f81 - 40 + rnd(s) % 80)));
    case 11: return mk((uint64_t)(rnd(s) % 1000 + 1) << 54 | (1ull << 63), (uint16_t)(sign | 0x4008));
    default: return mk(m, (uint16_t)(sign | (0x3fff - 80 + rnd(s) % 160)));
    }
}

static void put(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t rnd_fbits(uint32_t *s, int fb, int eb)
{
    uint64_t sign = rnd(s) & 1, emax = (1ull << eb) - 1;
    uint64_t frac = rnd_mant(s) >> (64 - fb), e;
    switch (rnd(s) % 9) {
    case 0: e = 0; frac = 0; break;
    case 1: e = emax; frac = 0; break;
    case 2: e = emax; frac |= 1ull << (fb - 1); break;
    case 3: e = emax; frac = (frac & ~(1ull << (fb - 1))) | 1; break;
    case 4: e = 0; break;
    case 5: e = (emax >> 1) + rnd(s) % 64; break;
    default: e = (emax >> 1) - 40 + rnd(s) % 80; break;
    }
    return sign << (fb + eb) | e << fb | frac;
}

static uint64_t rnd_int(uint32_t *s, int bits)
{
    uint64_t v = ((uint64_t)rnd(s) << 32) | rnd(s);
    switch (rnd(s) % 4) {
    case 0: v >>= rnd(s) % 64; break;
    case 1: v = rnd(s) % 2001; v -= 1000; break;
    case 2: v = 1ull << (bits - 1); break;
    default: break;
    }
    return v;
}

static void fill_mem(uint32_t *s, int mk_kind, uint16_t cw)
{
    for (int i = 0; i < (int)sizeof(fpu_mem); i++)
        fpu_mem[i] = (uint8_t)rnd(s);
    switch (mk_kind) {
    case MK_F32: put(fpu_mem, rnd_fbits(s, 23, 8), 4); break;
    case MK_F64: put(fpu_mem, rnd_fbits(s, 52, 11), 8); break;
    case MK_F80: { X80 v = rnd_x80(s); put(fpu_mem, v.lo, 4); put(fpu_mem + 4, v.hi, 4); put(fpu_mem + 8, v.se, 2); break; }
    case MK_I16: put(fpu_mem, rnd_int(s, 16), 2); break;
    case MK_I32: put(fpu_mem, rnd_int(s, 32), 4); break;
    case MK_I64: put(fpu_mem, rnd_int(s, 64), 8); break;
    case MK_BCD:
        for (int i = 0; i < 9; i++)
            fpu_mem[i] = (uint8_t)((rnd(s) % 10) << 4 | rnd(s) % 10);
        fpu_mem[9] = (rnd(s) & 1) ? 0x80 : 0;
        break;
    case MK_CW:
        /* any RC and PC (PC=1 is reserved: left out), masks all set */
        put(fpu_mem, 0x7f | ((rnd(s) % 4) << 10) | ((uint32_t)(rnd(s) % 3 == 0 ? 0 : rnd(s) % 2 ? 2 : 3) << 8) |
                     (rnd(s) & 0xe000), 2);
        break;
    case MK_ENV32: case MK_SAVE32: {
        /* an environment all-masked with random RC/PC, flags, TOP and tags */
        uint32_t top = rnd(s) % 8;
        put(fpu_mem, 0x037f | ((rnd(s) % 4) << 10), 4);
        put(fpu_mem + 4, (rnd(s) & 0x477f) | (top << 11), 4);
        put(fpu_mem + 8, rnd(s) | 0x5555, 4);   /* tags: empty or not, never 00/01/10 mixed */
        for (int r = 0; r < 8 && mk_kind == MK_SAVE32; r++) {
            X80 v = rnd_x80(s);
            put(fpu_mem + 28 + 10 * r, v.lo, 4);
            put(fpu_mem + 32 + 10 * r, v.hi, 4);
            put(fpu_mem + 36 + 10 * r, v.se, 2);
        }
        break;
    }
    default: break;
    }
    (void)cw;
}

/* ---- run ---- */

static uint32_t hash_str(uint32_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 16777619u;
    }
    return h;
}

static int hex_bytes(char *p, int n, const uint8_t *b, int len)
{
    static const char hx[] = "0123456789abcdef";
    for (int i = len - 1; i >= 0; i--) {
        p[n++] = hx[b[i] >> 4];
        p[n++] = hx[b[i] & 15];
    }
    p[n] = 0;
    return n;
}

static X80 stack_in[8];

static void run_case(const Form *f, int i, uint32_t *seed, char *line, int size)
{
    static const uint16_t pcs[3] = { 0x000, 0x200, 0x300 };
    uint16_t cw = (uint16_t)(0x7f | pcs[(i >> 2) % 3] | ((i & 3) << 10));
    /* one case in four unmasks some exceptions: FNSAVE does not wait, so
     * the pending exception is only recorded (ES, B), never delivered */
    if (i % 4 == 1)
        cw = (uint16_t)(cw & ~(rnd(seed) & 0x3f));
    int depth;
    switch (i % 8) {
    case 7: depth = 8; break;
    case 6: depth = f->nin ? f->nin - 1 : 0; break;
    default: depth = f->nin + (int)(rnd(seed) % 3); break;
    }
    if (depth > 8)
        depth = 8;
    for (int k = 0; k < 8; k++)
        stack_in[k] = rnd_x80(seed);
    fill_mem(seed, f->mem, cw);
    unsigned long efl;
#ifdef __x86_64__
    __asm__ volatile("pushfq; popq %0" : "=r"(efl));
#else
    __asm__ volatile("pushfl; popl %0" : "=r"(efl));
#endif
    fpu_eflags_in = ((uint32_t)efl & ~FL_ARITH) | (rnd(seed) & FL_ARITH);
    uint8_t memin[12];
    for (int k = 0; k < 12; k++)
        memin[k] = fpu_mem[k];

    __asm__ volatile("fninit; fldcw %0" : : "m"(cw));
    for (int k = depth - 1; k >= 0; k--)
        __asm__ volatile("fldt %0" : : "m"(stack_in[k]));
    f->fn();
    __asm__ volatile("fnsave %0; fninit" : "=m"(fpu_save));

    int n = snprintf(line, size, "x87_%s cw=%x d=%d ef=%x m=", f->name, cw, depth, fpu_eflags_in & FL_ARITH);
    n = hex_bytes(line, n, memin, 12);
    for (int k = 0; k < depth && n < size - 40; k++) {
        line[n++] = ' ';
        n = hex_bytes(line, n, (const uint8_t *)&stack_in[k], 10);
    }
    uint16_t tw = (uint16_t)(fpu_save[8] | fpu_save[9] << 8);
    uint16_t sw = (uint16_t)(fpu_save[4] | fpu_save[5] << 8);
    int top = (sw >> 11) & 7;
    n += snprintf(line + n, size - n, " -> cw=%x sw=%x tw=%x", fpu_save[0] | fpu_save[1] << 8, sw, tw);
    for (int k = 0; k < 8 && n < size - 40; k++) {
        int phys = (top + k) & 7;
        line[n++] = ' ';
        if (((tw >> (2 * phys)) & 3) == 3) {
            line[n++] = '-';
            line[n] = 0;
        } else {
            n = hex_bytes(line, n, fpu_save + 28 + 10 * k, 10);
        }
    }
    if (f->memout && n < size - 240) {
        line[n++] = ' ';
        line[n++] = 'm';
        line[n++] = '=';
        if (f->memout == 108) {          /* FNSAVE: env words, then the registers */
            n = hex_bytes(line, n, fpu_mem, 2);
            n = hex_bytes(line, n, fpu_mem + 4, 2);
            n = hex_bytes(line, n, fpu_mem + 8, 2);
            for (int k = 0; k < 8; k++)
                n = hex_bytes(line, n, fpu_mem + 28 + 10 * k, 10);
        } else if (f->memout == 12) {    /* FNSTENV: FCW FSW FTW */
            n = hex_bytes(line, n, fpu_mem, 2);
            n = hex_bytes(line, n, fpu_mem + 4, 2);
            n = hex_bytes(line, n, fpu_mem + 8, 2);
        } else {
            n = hex_bytes(line, n, fpu_mem, f->memout);
        }
    }
    if (f->flags & F_EFL)
        n += snprintf(line + n, size - n, " ef=%x", fpu_eflags_out & FL_ARITH);
}

/* The guest's printf formats at most 255 characters at a time. */
static void print_line(const char *line)
{
    char chunk[201];
    while (*line) {
        int k = 0;
        while (k < 200 && line[k]) {
            chunk[k] = line[k];
            k++;
        }
        chunk[k] = 0;
        printf("%s", chunk);
        line += k;
    }
    printf("\n");
}

static void native_run(int full)
{
    static char line[1024];
    uint32_t seed = NATIVE_SEED;
    for (const Form *f = forms; f->name; f++) {
        uint32_t h = HASH_INIT;
        for (int i = 0; i < NATIVE_CASES; i++) {
            run_case(f, i, &seed, line, sizeof(line));
            if (full)
                print_line(line);
            h = hash_str(h, line);
        }
        printf("form x87_%s %u %08x\n", f->name, NATIVE_CASES, h);
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
