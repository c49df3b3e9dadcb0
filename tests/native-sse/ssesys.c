/*
 * Guest test: the system side of MMX/SSE, run under kasou and QEMU (the
 * outputs must match line by line) with self-checks from the manual:
 * #UD with CR0.EM or without CR4.OSFXSR, #NM with CR0.TS (SSE, MMX) and
 * with CR0.EM or TS (FXSAVE), #GP(0) for misaligned 128-bit operands of
 * the aligned forms and for FXSAVE/FXRSTOR, the FXSAVE image (control and
 * status words, abridged tag word after MMX and EMMS, MXCSR and its mask,
 * an MMX register in its ST slot, XMM slots, bytes 288-511 untouched) and
 * FXRSTOR of it. Only SSE/SSE2 forms are used: QEMU's default CPU has
 * nothing later. What QEMU 7.2 gets wrong (no #GP for reserved MXCSR bits,
 * no #XM, MMX writes leave the exponent field alone) is in ssefault.c,
 * checked against the host CPU instead.
 * Must stay true: every trap resumes at "1:" with CR0/CR4 restored by the
 * test before the next case.
 */
#include "lib.h"

#define TRY(body, ...)                                                          \
    __asm__ volatile("movl $1f, trap_resume\n\t" body "\n1:\n\t"                \
                     "movl $0, trap_resume" : : __VA_ARGS__ : "memory", "cc")

static uint8_t buf[1024] __attribute__((aligned(64)));
static uint8_t area[1024] __attribute__((aligned(64)));

static uint32_t get_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static uint32_t get_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static void set_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static void set_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

#define CR0_MP 0x2u
#define CR0_EM 0x4u
#define CR0_TS 0x8u
#define CR4_OSFXSR 0x200u
#define CR4_OSXMMEXCPT 0x400u

static void sse_on(void)
{
    set_cr0((get_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
    set_cr4(get_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

/* The trap a snippet took since count0, or "none". */
static void report(const char *name, uint32_t count0, uint32_t want_vec, uint32_t want_err)
{
    char n[64];
    if (trap_last.count == count0) {
        printf("%s: no trap\n", name);
        snprintf(n, sizeof(n), "%s.trapped", name);
        check(n, 0, want_vec != 0xff);
        return;
    }
    printf("%s: vector=%u error=%u\n", name, trap_last.vector, trap_last.error);
    snprintf(n, sizeof(n), "%s.vector", name);
    check(n, trap_last.vector, want_vec);
    snprintf(n, sizeof(n), "%s.error", name);
    check(n, trap_last.error, want_err);
}
#define NONE 0xff

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

static void control_bits(void)
{
    uint32_t c;
    sse_on();
    set_cr4(get_cr4() & ~CR4_OSFXSR);
    c = trap_last.count;
    TRY("addps %%xmm1, %%xmm0", "i"(0));
    report("no_osfxsr.addps", c, 6, 0);
    c = trap_last.count;
    TRY("movdqa %%xmm1, %%xmm0", "i"(0));
    report("no_osfxsr.movdqa", c, 6, 0);
    c = trap_last.count;
    TRY("paddb %%mm1, %%mm0\n\temms", "i"(0));
    report("no_osfxsr.paddb_mmx", c, NONE, 0);

    sse_on();
    set_cr0(get_cr0() | CR0_EM);
    c = trap_last.count;
    TRY("addps %%xmm1, %%xmm0", "i"(0));
    report("em.addps", c, 6, 0);
    c = trap_last.count;
    TRY("paddb %%mm1, %%mm0", "i"(0));
    report("em.paddb_mmx", c, 6, 0);
    c = trap_last.count;
    TRY("fxsave (%0)", "r"(area));
    report("em.fxsave", c, 7, 0);      /* FXSAVE: #NM, not #UD */

    sse_on();
    set_cr0(get_cr0() | CR0_TS);
    c = trap_last.count;
    TRY("addps %%xmm1, %%xmm0", "i"(0));
    report("ts.addps", c, 7, 0);
    c = trap_last.count;
    TRY("movd %%eax, %%mm0", "i"(0));
    report("ts.movd_mmx", c, 7, 0);
    c = trap_last.count;
    TRY("fxsave (%0)", "r"(area));
    report("ts.fxsave", c, 7, 0);
    c = trap_last.count;
    TRY("ldmxcsr (%0)", "r"(area));
    report("ts.ldmxcsr", c, 7, 0);
    __asm__ volatile("clts");
    c = trap_last.count;
    TRY("addps %%xmm1, %%xmm0", "i"(0));
    report("clts.addps", c, NONE, 0);
    sse_on();
}

static void alignment(void)
{
    uint32_t c;
    uint8_t *odd = buf + 8;
    static const struct { const char *name; int faults; } names[] = {
        { "align.movaps_load", 1 }, { "align.movaps_store", 1 }, { "align.movdqa_load", 1 },
        { "align.movdqa_store", 1 }, { "align.addps_m128", 1 }, { "align.pxor_m128", 1 },
        { "align.movups_load", 0 }, { "align.movdqu_store", 0 }, { "align.addss_m32", 0 },
        { "align.movq_m64", 0 }, { "align.movntdq", 1 }, { "align.movapd_load", 1 },
    };
    int k = 0;
#define ALIGN_CASE(text)                                                        \
    c = trap_last.count;                                                        \
    TRY(text, "r"(odd));                                                        \
    report(names[k].name, c, names[k].faults ? 13 : NONE, 0);                   \
    k++;
    ALIGN_CASE("movaps (%0), %%xmm0")
    ALIGN_CASE("movaps %%xmm0, (%0)")
    ALIGN_CASE("movdqa (%0), %%xmm0")
    ALIGN_CASE("movdqa %%xmm0, (%0)")
    ALIGN_CASE("addps (%0), %%xmm0")
    ALIGN_CASE("pxor (%0), %%xmm0")
    ALIGN_CASE("movups (%0), %%xmm0")
    ALIGN_CASE("movdqu %%xmm0, (%0)")
    ALIGN_CASE("addss 4(%0), %%xmm0")
    ALIGN_CASE("movq 4(%0), %%xmm0")
    ALIGN_CASE("movntdq %%xmm0, (%0)")
    ALIGN_CASE("movapd (%0), %%xmm0")
#undef ALIGN_CASE
    c = trap_last.count;
    TRY("fxsave (%0)", "r"(area + 8));
    report("align.fxsave", c, 13, 0);
    c = trap_last.count;
    TRY("fxrstor (%0)", "r"(area + 8));
    report("align.fxrstor", c, 13, 0);
}

static void mxcsr_state(void)
{
    uint32_t c, v, out;
    v = 0x7fc0;                 /* RC = 11, DAZ */
    c = trap_last.count;
    TRY("ldmxcsr (%0)", "r"(&v));
    report("ldmxcsr.ok", c, NONE, 0);
    __asm__ volatile("stmxcsr %0" : "=m"(out));
    printf("stmxcsr: %08x\n", out);
    check("stmxcsr", out, 0x7fc0);
    v = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static void fxsave_image(void)
{
    static const uint32_t x0[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };
    static const uint32_t x7[4] = { 0xdeadbeef, 0x01234567, 0x89abcdef, 0xfeedface };
    uint64_t mm3 = 0x0123456789abcdefull;
    uint32_t mx = 0x1fa1;
    memset(area, 0xa5, sizeof(area));
    __asm__ volatile("ldmxcsr %0\n\tmovdqu %1, %%xmm0\n\tmovdqu %2, %%xmm7\n\t"
                     "movq %3, %%mm3\n\tfxsave %4"
                     : : "m"(mx), "m"(x0), "m"(x7), "m"(mm3), "m"(area) : "memory");
    printf("fxsave: fcw=%04x fsw.top=%u ftw=%02x mxcsr=%08x mask=%08x\n", rd16(area),
           (rd16(area + 2) >> 11) & 7, area[4], rd32(area + 24), rd32(area + 28));
    check("fxsave.ftw_after_mmx", area[4], 0xff);
    check("fxsave.top_after_mmx", (rd16(area + 2) >> 11) & 7, 0);
    check("fxsave.mxcsr", rd32(area + 24), 0x1fa1);
    /* MM3 is ST3 (TOP = 0): significand, exponent all ones */
    printf("fxsave: st3=%08x%08x\n", rd32(area + 32 + 48 + 4), rd32(area + 32 + 48));
    check("fxsave.st3_lo", rd32(area + 80), 0x89abcdef);
    printf("fxsave: xmm0=%08x.. xmm7=%08x %08x %08x %08x\n", rd32(area + 160),
           rd32(area + 272), rd32(area + 276), rd32(area + 280), rd32(area + 284));
    check("fxsave.xmm0", rd32(area + 172), 0x44444444);
    check("fxsave.xmm7", rd32(area + 276), 0x01234567);
    int untouched = 1;
    for (int i = 288; i < 512; i++) {
        untouched &= area[i] == 0xa5;
    }
    printf("fxsave: bytes 288-511 untouched=%d\n", untouched);
    check("fxsave.reserved_untouched", untouched, 1);

    __asm__ volatile("emms\n\tfxsave %0" : "=m"(area) : : "memory");
    printf("emms: ftw=%02x\n", area[4]);
    check("emms.ftw", area[4], 0);

    /* FXRSTOR: a changed XMM7 slot and MXCSR come back */
    uint32_t r[4], mxo;
    memcpy(area + 160 + 7 * 16, x0, 16);
    mx = 0x1f80 | 0x6000;
    memcpy(area + 24, &mx, 4);
    __asm__ volatile("fxrstor %2\n\tmovdqu %%xmm7, %0\n\tstmxcsr %1"
                     : "=m"(r), "=m"(mxo) : "m"(area) : "memory");
    printf("fxrstor: xmm7=%08x %08x %08x %08x mxcsr=%08x\n", r[0], r[1], r[2], r[3], mxo);
    check("fxrstor.xmm7", r[3], 0x44444444);
    check("fxrstor.mxcsr", mxo, 0x7f80);
    mx = 0x1f80;
    __asm__ volatile("ldmxcsr %0" : : "m"(mx));
}

int main(void)
{
    control_bits();
    alignment();
    mxcsr_state();
    fxsave_image();
    printf("%s ssesys\n", check_failures ? "FAIL" : "PASS");
    return 0;
}
