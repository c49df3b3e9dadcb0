/*
 * Guest test: the XSAVE feature set for the x87 and SSE components, run
 * with -cpu max under kasou and QEMU (outputs compared line by line) with
 * self-checks from the SDM (vol. 1 chapter 13, vol. 2 XSAVE, XRSTOR,
 * XGETBV, XSETBV): CPUID.1:ECX.XSAVE/OSXSAVE and leaf 0xD, CR4.OSXSAVE,
 * #UD before it is set, XSETBV with valid and invalid XCR0 values (#GP),
 * XGETBV, XSAVE/XRSTOR faults (alignment, CR0.TS, reserved header bits,
 * XSTATE_BV outside XCR0, reserved MXCSR bits), the image XSAVE writes
 * (legacy region, XSTATE_BV, bytes it must leave alone), XRSTOR of a
 * loaded and of an initialised component, and CPL 3 (XSETBV #GP, the
 * others allowed).
 * Only what both emulators must agree on is printed: QEMU's -cpu max may
 * have AVX (more XCR0 bits, larger sizes), and may report a component in
 * its initial configuration as in use (XSTATE_BV = 1), which the SDM allows.
 * Built with -DXSAVE_SDM (xsavesdm.elf, kasou only, xsavesdm.sh) it adds
 * what QEMU 7.2 lacks: #NM with CR0.TS, #GP for reserved MXCSR bits on
 * XRSTOR, and the x87 registers zeroed by an initialising XRSTOR.
 * Must stay true: every trap resumes at "1:"; CR0/CR4 are restored by the
 * test before the next case.
 * xsavesdm.elf on a model without XSAVE (-cpu qemu32) checks only that
 * CR4.OSXSAVE is reserved (#GP) and XGETBV is #UD.
 */
#include "lib.h"
#include "user.h"

#define TRY(body, ...)                                                          \
    __asm__ volatile("movl $1f, trap_resume\n\t" body "\n1:\n\t"                \
                     "movl $0, trap_resume" : : __VA_ARGS__ : "memory", "cc")

static uint8_t area[2048] __attribute__((aligned(64)));
static uint8_t area2[2048] __attribute__((aligned(64)));

static uint32_t get_cr0(void) { uint32_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static uint32_t get_cr4(void) { uint32_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static void set_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static void set_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

#define CR0_MP 0x2u
#define CR0_EM 0x4u
#define CR0_TS 0x8u
#define CR4_OSFXSR 0x200u
#define CR4_OSXMMEXCPT 0x400u
#define CR4_OSXSAVE 0x40000u
#define NONE 0xff

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

/* The trap a snippet took since count0, or "none". */
static void report(const char *name, uint32_t count0, uint32_t want_vec, uint32_t want_err)
{
    char n[64];
    if (trap_last.count == count0) {
        printf("%s: no trap\n", name);
        snprintf(n, sizeof(n), "%s.trapped", name);
        check(n, 0, want_vec != NONE);
        return;
    }
    printf("%s: vector=%u error=%u\n", name, trap_last.vector, trap_last.error);
    snprintf(n, sizeof(n), "%s.vector", name);
    check(n, trap_last.vector, want_vec);
    snprintf(n, sizeof(n), "%s.error", name);
    check(n, trap_last.error, want_err);
}

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* XSETBV/XGETBV/XSAVE/XRSTOR with EDX:EAX = hi:lo and ECX = ecx */
#define TRY_XSETBV(name, ecx, lo, hi, vec)                                      \
    do {                                                                        \
        uint32_t c_ = trap_last.count;                                          \
        TRY("xsetbv", "c"(ecx), "a"(lo), "d"(hi));                              \
        report(name, c_, vec, 0);                                               \
    } while (0)
#define TRY_MEM(name, insn, p, lo, vec, err)                                    \
    do {                                                                        \
        uint32_t c_ = trap_last.count;                                          \
        TRY(insn " (%0)", "r"(p), "a"(lo), "d"(0));                             \
        report(name, c_, vec, err);                                             \
    } while (0)

static uint32_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return lo | (hi ? 0x80000000u : 0);
}

static void before_osxsave(void)
{
    uint32_t r[4], c;
    cpuid(1, 0, r);
    printf("cpuid.1: xsave=%u osxsave=%u\n", (r[2] >> 26) & 1, (r[2] >> 27) & 1);
    check("cpuid.xsave", (r[2] >> 26) & 1, 1);
    check("cpuid.osxsave_off", (r[2] >> 27) & 1, 0);
    cpuid(0, 0, r);
    check("cpuid.level_has_0xd", r[0] >= 0xd, 1);
    cpuid(0xd, 0, r);
    printf("cpuid.d.0: x87=%u sse=%u ecx_ge_576=%u\n", r[0] & 1, (r[0] >> 1) & 1, r[2] >= 576);
    check("cpuid.d.0.x87_sse", r[0] & 3, 3);
    check("cpuid.d.0.max_size", r[2] >= 576, 1);

    c = trap_last.count;
    TRY("xgetbv", "c"(0));
    report("no_osxsave.xgetbv", c, 6, 0);
    TRY_XSETBV("no_osxsave.xsetbv", 0, 3, 0, 6);
    TRY_MEM("no_osxsave.xsave", "xsave", area, 3, 6, 0);
    TRY_MEM("no_osxsave.xrstor", "xrstor", area, 3, 6, 0);
    set_cr0(get_cr0() | CR0_TS);
    TRY_MEM("no_osxsave.xsave_ts", "xsave", area, 3, 6, 0);   /* #UD before #NM */
    __asm__ volatile("clts");
    TRY_MEM("no_osxsave.xsave_misaligned", "xsave", area + 16, 3, 6, 0);   /* and before #GP */
}

static void xcr0(void)
{
    uint32_t r[4];
    set_cr4(get_cr4() | CR4_OSXSAVE);
    cpuid(1, 0, r);
    printf("cpuid.1 after CR4.OSXSAVE: osxsave=%u\n", (r[2] >> 27) & 1);
    check("cpuid.osxsave_on", (r[2] >> 27) & 1, 1);
    uint32_t x = xgetbv0();
    printf("xcr0 at reset: %x\n", x);
    check("xcr0.reset", x, 1);
    cpuid(0xd, 0, r);
    printf("cpuid.d.0 ebx (XCR0 = x87): %u\n", r[1]);
    check("cpuid.d.0.size_x87", r[1], 576);

    TRY_XSETBV("xsetbv.zero", 0, 0, 0, 13);
    TRY_XSETBV("xsetbv.sse_without_x87", 0, 2, 0, 13);
    TRY_XSETBV("xsetbv.avx_without_sse", 0, 5, 0, 13);
    TRY_XSETBV("xsetbv.bit63", 0, 3, 0x80000000u, 13);
    TRY_XSETBV("xsetbv.bit31", 0, 0x80000003u, 0, 13);
    TRY_XSETBV("xsetbv.xcr1", 1, 3, 0, 13);
    x = xgetbv0();
    printf("xcr0 after refusals: %x\n", x);
    check("xcr0.unchanged", x, 1);
    TRY_XSETBV("xsetbv.x87_sse", 0, 3, 0, NONE);
    x = xgetbv0();
    printf("xcr0: %x\n", x);
    check("xcr0.x87_sse", x, 3);
    cpuid(0xd, 0, r);
    printf("cpuid.d.0 ebx (XCR0 = x87|SSE): %u\n", r[1]);
    check("cpuid.d.0.size_x87_sse", r[1], 576);
    uint32_t c = trap_last.count;
    TRY("xgetbv", "c"(2));
    report("xgetbv.xcr2", c, 13, 0);
    /* LOCK XGETBV: #UD */
    c = trap_last.count;
    TRY(".byte 0xf0, 0x0f, 0x01, 0xd0", "c"(0));
    report("xgetbv.lock", c, 6, 0);
}

/* Loads a known x87 + SSE state: ST0 = 1.5 (pushed twice: TOP = 6, two
 * tags valid), FCW rounding down, xmm0..7 patterns, MXCSR with RC = up. */
static void load_state(void)
{
    static const uint32_t fcw = 0x077f;
    static const uint32_t mx = 0x5f80;
    static const double v = 1.5;
    static uint32_t pat[32] __attribute__((aligned(16)));
    for (int i = 0; i < 32; i++)
        pat[i] = 0x01010101u * (uint32_t)(i + 1);
    __asm__ volatile("fninit\n\tfldcw %0\n\tfldl %1\n\tfldl %1" : : "m"(fcw), "m"(v));
    __asm__ volatile("ldmxcsr %0" : : "m"(mx));
    __asm__ volatile("movdqa 0(%0), %%xmm0\n\tmovdqa 16(%0), %%xmm1\n\t"
                     "movdqa 32(%0), %%xmm2\n\tmovdqa 48(%0), %%xmm3\n\t"
                     "movdqa 64(%0), %%xmm4\n\tmovdqa 80(%0), %%xmm5\n\t"
                     "movdqa 96(%0), %%xmm6\n\tmovdqa 112(%0), %%xmm7" : : "r"(pat) : "memory");
}

static void image(void)
{
    uint32_t c;
    /* XSAVE writes what FXSAVE writes in the legacy region */
    load_state();
    memset(area, 0xa5, sizeof(area));
    memset(area + 512, 0, 64);
    __asm__ volatile("fxsave %0" : "=m"(area2) : : "memory");
    TRY_MEM("xsave.ok", "xsave", area, 3, NONE, 0);
    /* the fields both fill in (QEMU 7.2 leaves FOP and the reserved bytes
     * of the ST slots alone): FCW FSW FTW, MXCSR, ST0-7, and XMM0-7 only
     * in 32-bit code */
    int same = !memcmp(area, area2, 5) && !memcmp(area + 24, area2 + 24, 4) &&
               !memcmp(area + 160, area2 + 160, 128);
    for (int i = 0; i < 8; i++)
        same &= !memcmp(area + 32 + 16 * i, area2 + 32 + 16 * i, 10);
    printf("xsave: fcw=%04x fsw=%04x ftw=%02x mxcsr=%08x legacy==fxsave %d\n",
           rd32(area) & 0xffff, rd32(area + 2) & 0xffff, area[4], rd32(area + 24), same);
    check("xsave.legacy_as_fxsave", same, 1);
    printf("xsave: xstate_bv=%08x%08x xcomp_bv=%08x%08x\n", rd32(area + 516), rd32(area + 512),
           rd32(area + 524), rd32(area + 520));
    check("xsave.xstate_bv", rd32(area + 512), 3);
    int untouched = 1;
    for (int i = 288; i < 512; i++)
        untouched &= area[i] == 0xa5;
    for (int i = 576; i < 1024; i++)     /* nothing past the header for x87|SSE */
        untouched &= area[i] == 0xa5;
    printf("xsave: bytes 288-511 and 576+ untouched=%d\n", untouched);
    check("xsave.untouched", untouched, 1);

    /* mask 1: x87 only; MXCSR and XMM bytes left alone, XSTATE_BV[1] too */
    memset(area, 0xa5, sizeof(area));
    memset(area + 512, 0, 64);
    area[512] = 2;                          /* XSTATE_BV[1] set beforehand */
    TRY_MEM("xsave.mask1", "xsave", area, 1, NONE, 0);
    printf("xsave mask 1: fcw=%04x mxcsr=%08x xmm0=%08x xstate_bv=%08x\n", rd32(area) & 0xffff,
           rd32(area + 24), rd32(area + 160), rd32(area + 512));
    check("xsave.mask1.mxcsr_untouched", rd32(area + 24), 0xa5a5a5a5u);
    check("xsave.mask1.xmm_untouched", rd32(area + 160), 0xa5a5a5a5u);
    check("xsave.mask1.bv", rd32(area + 512), 3);
    /* mask 2: SSE only; x87 bytes left alone, MXCSR written */
    memset(area, 0xa5, sizeof(area));
    memset(area + 512, 0, 64);
    TRY_MEM("xsave.mask2", "xsave", area, 2, NONE, 0);
    printf("xsave mask 2: fcw=%04x st0=%08x mxcsr=%08x xmm1=%08x xstate_bv=%08x\n",
           rd32(area) & 0xffff, rd32(area + 32), rd32(area + 24), rd32(area + 176), rd32(area + 512));
    check("xsave.mask2.fcw_untouched", rd32(area) & 0xffff, 0xa5a5);
    check("xsave.mask2.mxcsr", rd32(area + 24), 0x5f80);
    check("xsave.mask2.xmm1", rd32(area + 176), 0x05050505u);
    check("xsave.mask2.bv", rd32(area + 512), 2);

    /* faults */
    TRY_MEM("xsave.misaligned", "xsave", area + 32, 3, 13, 0);
    TRY_MEM("xrstor.misaligned", "xrstor", area + 16, 3, 13, 0);
#ifdef XSAVE_SDM
    /* QEMU 7.2 raises no #NM for the XSAVE family */
    set_cr0(get_cr0() | CR0_TS);
    TRY_MEM("xsave.ts", "xsave", area, 3, 7, 0);
    TRY_MEM("xrstor.ts", "xrstor", area, 3, 7, 0);
    TRY_MEM("xsaveopt.ts", "xsaveopt", area, 3, 7, 0);
    TRY_MEM("xsave.ts_misaligned", "xsave", area + 8, 3, 7, 0);  /* #NM before #GP */
    __asm__ volatile("clts");
#endif
    c = trap_last.count;
    TRY(".byte 0xf0\n\txsave (%0)", "r"(area), "a"(3), "d"(0));
    report("xsave.lock", c, 6, 0);
}

static void restore(void)
{
    uint32_t c;
    /* a saved state comes back */
    load_state();
    memset(area, 0, sizeof(area));
    __asm__ volatile("xsave %0" : "=m"(area) : "a"(3), "d"(0) : "memory");
    __asm__ volatile("fninit\n\tpxor %%xmm0, %%xmm0\n\tpxor %%xmm7, %%xmm7" : : : "memory");
    TRY_MEM("xrstor.ok", "xrstor", area, 3, NONE, 0);
    memset(area2, 0, sizeof(area2));
    __asm__ volatile("fxsave %0" : "=m"(area2) : : "memory");
    int same = !memcmp(area, area2, 416);
    printf("xrstor: state back: %d (fcw=%04x xmm7=%08x)\n", same, rd32(area2) & 0xffff,
           rd32(area2 + 160 + 7 * 16));
    check("xrstor.roundtrip", same, 1);

    /* XSTATE_BV = 0 with mask 3: both components initialised; MXCSR loaded */
    load_state();
    memset(area, 0x5a, 512);
    memset(area + 512, 0, 64);
    *(uint32_t *)(area + 24) = 0x3f80;      /* MXCSR: RC = down */
    TRY_MEM("xrstor.init", "xrstor", area, 3, NONE, 0);
    memset(area2, 0xee, sizeof(area2));
    __asm__ volatile("fxsave %0" : "=m"(area2) : : "memory");
    int zero = 1;
    for (int i = 160; i < 160 + 8 * 16; i++)
        zero &= area2[i] == 0;
    printf("xrstor init: fcw=%04x fsw=%04x ftw=%02x mxcsr=%08x xmm zero=%d\n",
           rd32(area2) & 0xffff, rd32(area2 + 2) & 0xffff, area2[4], rd32(area2 + 24), zero);
    check("xrstor.init.fcw", rd32(area2) & 0xffff, 0x037f);
    check("xrstor.init.fsw", rd32(area2 + 2) & 0xffff, 0);
    check("xrstor.init.ftw", area2[4], 0);
    check("xrstor.init.mxcsr", rd32(area2 + 24), 0x3f80);
    check("xrstor.init.xmm_zero", zero, 1);
#ifdef XSAVE_SDM
    /* QEMU 7.2 runs FNINIT, which leaves ST0-7, FOP and the pointers */
    zero = 1;
    for (int i = 6; i < 24; i++)
        zero &= area2[i] == 0;
    for (int i = 32; i < 160; i++)
        zero &= area2[i] == 0;
    check("xrstor.init.x87_regs_zero", zero, 1);
#endif

    /* XSTATE_BV = 2, mask 3: x87 initialised, SSE loaded */
    load_state();
    memset(area, 0, 576);
    __asm__ volatile("xsave %0" : "=m"(area) : "a"(3), "d"(0) : "memory");
    __asm__ volatile("pxor %%xmm3, %%xmm3" : : : "memory");
    area[512] = 2;
    TRY_MEM("xrstor.bv2", "xrstor", area, 3, NONE, 0);
    __asm__ volatile("fxsave %0" : "=m"(area2) : : "memory");
    printf("xrstor bv=2: fcw=%04x ftw=%02x xmm3=%08x\n", rd32(area2) & 0xffff, area2[4],
           rd32(area2 + 160 + 3 * 16));
    check("xrstor.bv2.fcw", rd32(area2) & 0xffff, 0x037f);
    check("xrstor.bv2.xmm3", rd32(area2 + 160 + 3 * 16), 0x0d0d0d0du);
    /* mask 1 with XSTATE_BV = 0: only x87 initialised, XMM kept */
    load_state();
    memset(area, 0, 576);
    TRY_MEM("xrstor.mask1", "xrstor", area, 1, NONE, 0);
    __asm__ volatile("fxsave %0" : "=m"(area2) : : "memory");
    printf("xrstor mask 1: fcw=%04x mxcsr=%08x xmm2=%08x\n", rd32(area2) & 0xffff,
           rd32(area2 + 24), rd32(area2 + 160 + 2 * 16));
    check("xrstor.mask1.fcw", rd32(area2) & 0xffff, 0x037f);
    check("xrstor.mask1.mxcsr", rd32(area2 + 24), 0x5f80);
    check("xrstor.mask1.xmm2", rd32(area2 + 160 + 2 * 16), 0x09090909u);

    /* header faults: XSTATE_BV outside XCR0, XCOMP_BV, bytes 16-23 */
    load_state();
    memset(area, 0, 576);
    __asm__ volatile("xsave %0" : "=m"(area) : "a"(3), "d"(0) : "memory");
    area[512] = 0x83;
    TRY_MEM("xrstor.bv_outside_xcr0", "xrstor", area, 3, 13, 0);
    area[512] = 3;
    area[527] = 0x80;                       /* XCOMP_BV[63]: compacted, no XSAVEC */
    TRY_MEM("xrstor.xcomp_bv", "xrstor", area, 3, 13, 0);
    area[527] = 0;
    area[520] = 1;
    TRY_MEM("xrstor.xcomp_bv_low", "xrstor", area, 3, 13, 0);
    area[520] = 0;
    area[530] = 1;
    TRY_MEM("xrstor.header_16_23", "xrstor", area, 3, 13, 0);
    area[530] = 0;
    area[540] = 1;                          /* bytes 24-63: not checked */
    TRY_MEM("xrstor.header_24_63", "xrstor", area, 3, NONE, 0);
    area[540] = 0;
#ifdef XSAVE_SDM
    /* QEMU 7.2 does not check MXCSR's reserved bits */
    *(uint32_t *)(area + 24) = 0x10000;
    TRY_MEM("xrstor.mxcsr_reserved", "xrstor", area, 3, 13, 0);
    TRY_MEM("xrstor.mxcsr_reserved_mask1", "xrstor", area, 1, NONE, 0);
    *(uint32_t *)(area + 24) = 0x1f80;
#endif
    /* mask 0: the header is still checked */
    area[512] = 0x83;
    TRY_MEM("xrstor.mask0_bad_header", "xrstor", area, 0, 13, 0);
    area[512] = 3;
    c = trap_last.count;
    TRY(".byte 0xf0\n\txrstor (%0)", "r"(area), "a"(3), "d"(0));
    report("xrstor.lock", c, 6, 0);
    /* CR0.EM does not stop XSAVE (only TS does) */
    set_cr0(get_cr0() | CR0_EM);
    TRY_MEM("xsave.em", "xsave", area, 3, NONE, 0);
    set_cr0(get_cr0() & ~CR0_EM);
    /* XSAVEOPT writes an image XRSTOR takes back */
    load_state();
    memset(area, 0, 576);
    TRY_MEM("xsaveopt.ok", "xsaveopt", area, 3, NONE, 0);
    __asm__ volatile("fninit");
    TRY_MEM("xrstor.of_xsaveopt", "xrstor", area, 3, NONE, 0);
    __asm__ volatile("fxsave %0" : "=m"(area2) : : "memory");
    printf("xsaveopt/xrstor: fcw=%04x xmm5=%08x\n", rd32(area2) & 0xffff, rd32(area2 + 160 + 80));
    check("xsaveopt.fcw", rd32(area2) & 0xffff, 0x077f);
    check("xsaveopt.xmm5", rd32(area2 + 160 + 80), 0x15151515u);
}

/* ---- CPL 3: XSETBV is privileged, XGETBV/XSAVE/XRSTOR are not. A TSS
 * gives the ring-0 stack; user code returns with INT 0x3f (a DPL3 gate):
 * user.h. ---- */
static uint32_t user_rec[4][2];   /* vector (NONE: no trap), EAX after */

#define USER_PROBE(i, insn, ...)                                                \
    do {                                                                        \
        uint32_t c0_ = trap_last.count, a_;                                     \
        __asm__ volatile("movl $1f, trap_resume\n\t" insn "\n1:\n\t"           \
                         "movl $0, trap_resume" : "=a"(a_) : __VA_ARGS__ : "memory", "cc"); \
        user_rec[i][0] = trap_last.count != c0_ ? trap_last.vector : NONE;      \
        user_rec[i][1] = a_;                                                    \
    } while (0)

static void user_main(void)
{
    USER_PROBE(0, "xgetbv", "c"(0), "a"(0), "d"(0));
    USER_PROBE(1, "xsetbv", "c"(0), "a"(3), "d"(0));
    USER_PROBE(2, "xsave (%%ebx)", "b"(area), "a"(3), "d"(0), "c"(0));
    USER_PROBE(3, "xrstor (%%ebx)", "b"(area), "a"(3), "d"(0), "c"(0));
    __asm__ volatile("int $0x3f");
}

static void ring3(void)
{
    static const char *const names[4] = { "cpl3.xgetbv", "cpl3.xsetbv", "cpl3.xsave", "cpl3.xrstor" };
    static const uint32_t want[4] = { NONE, 13, NONE, NONE };
    ring3_setup(gdt, RUNTIME_GDT_N);
    load_state();
    memset(area, 0, 576);
    ring3_call(user_main);
    trap_hook = 0;
    for (int i = 0; i < 4; i++) {
        char n[48];
        printf("%s: %s%u\n", names[i], user_rec[i][0] == NONE ? "no trap, eax=" : "vector=",
               user_rec[i][0] == NONE ? user_rec[i][1] : user_rec[i][0]);
        snprintf(n, sizeof(n), "%s.vector", names[i]);
        check(n, user_rec[i][0], want[i]);
    }
    check("cpl3.xgetbv.eax", user_rec[0][1], 3);
    check("cpl3.xsave.bv", rd32(area + 512), 3);
}

#ifdef XSAVE_SDM
/* A model without XSAVE (the default qemu32): CR4.OSXSAVE is reserved.
 * (QEMU 7.2 hangs on that CR4 write instead of raising #GP.) */
static void without_xsave(void)
{
    uint32_t c = trap_last.count;
    uint32_t cr4 = get_cr4() | CR4_OSXSAVE;
    TRY("mov %0, %%cr4", "r"(cr4));
    report("no_xsave.cr4_osxsave", c, 13, 0);
    check("no_xsave.cr4_unchanged", get_cr4() & CR4_OSXSAVE, 0);
    c = trap_last.count;
    TRY("xgetbv", "c"(0));
    report("no_xsave.xgetbv", c, 6, 0);
}
#endif

int main(void)
{
    uint32_t r[4];
    set_cr0((get_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
    set_cr4(get_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    cpuid(1, 0, r);
    if (!(r[2] & (1u << 26))) {
        printf("CPUID.1:ECX.XSAVE clear\n");
#ifdef XSAVE_SDM
        without_xsave();
#endif
        printf("%s xsave\n", check_failures ? "FAIL" : "PASS");
        return 0;
    }
    before_osxsave();
    xcr0();
    image();
    restore();
    ring3();
    set_cr4(get_cr4() & ~CR4_OSXSAVE);
    TRY_MEM("osxsave_cleared.xsave", "xsave", area, 3, 6, 0);
    printf("%s xsave\n", check_failures ? "FAIL" : "PASS");
    return 0;
}
