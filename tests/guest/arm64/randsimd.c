/* Random FP and Advanced SIMD data-processing code, checked against QEMU:
 * sequences of random words with bits 28:25 = x111, most drawn inside a
 * class (every FP/SIMD data-processing class, every size, Q, index and
 * register; the crypto
 * extension left out: QEMU's cortex-a57 has it, kasou does not advertise
 * it) run from random V registers (special FP values mixed in), random
 * X registers and NZCV, under a random FPCR (rounding mode, FZ, DN, AHP). The V
 * and X registers, NZCV and FPSR after each sequence are hashed and
 * printed. Unallocated words raise the undefined-instruction exception,
 * which skips them (and must happen for the same words under both
 * emulators). */
#include "lib.h"

#define SEQ_LEN 24
#define NB_SEQ 800

uint32_t code[SEQ_LEN + 4] __attribute__((aligned(64)));
uint64_t rs_regs[34];                 /* x0..x30, spare, nzcv, fpsr */
uint64_t rs_vregs[64] __attribute__((aligned(16)));
#ifndef SEED
#define SEED 0x9e3779b97f4a7c15ull     /* -DSEED=... for another run */
#endif
static uint64_t rng = SEED;
static int undefs;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void handler(ExcFrame *f, uint64_t vector)
{
    if ((f->esr >> 26) != 0) {
        printf_("FAIL unexpected exception ESR %lx ELR %lx\n", f->esr, f->elr);
        guest_exit();
    }
    undefs++;
    f->elr += 4;
}

/* Enter the code with x0-x30, NZCV, V0-V31 from rs_regs/rs_vregs; come
 * back through the absolute branch at the end of the buffer and save them
 * all (TPIDR_EL1 is the scratch register, TPIDRRO_EL0 holds our SP). */
__attribute__((naked)) static void run_code(void)
{
    __asm__ volatile(
        "stp x29, x30, [sp, #-16]!\n"
        "sub sp, sp, #96\n"
        "stp x19, x20, [sp, #0]\n stp x21, x22, [sp, #16]\n stp x23, x24, [sp, #32]\n"
        "stp x25, x26, [sp, #48]\n stp x27, x28, [sp, #64]\n"
        "mov x0, sp\n msr tpidrro_el0, x0\n"
        "adrp x0, rs_vregs\n add x0, x0, :lo12:rs_vregs\n"
        "ldp q0, q1, [x0, #0]\n ldp q2, q3, [x0, #32]\n ldp q4, q5, [x0, #64]\n ldp q6, q7, [x0, #96]\n"
        "ldp q8, q9, [x0, #128]\n ldp q10, q11, [x0, #160]\n ldp q12, q13, [x0, #192]\n"
        "ldp q14, q15, [x0, #224]\n ldp q16, q17, [x0, #256]\n ldp q18, q19, [x0, #288]\n"
        "ldp q20, q21, [x0, #320]\n ldp q22, q23, [x0, #352]\n ldp q24, q25, [x0, #384]\n"
        "ldp q26, q27, [x0, #416]\n ldp q28, q29, [x0, #448]\n ldp q30, q31, [x0, #480]\n"
        "adrp x0, rs_regs\n add x0, x0, :lo12:rs_regs\n"
        "ldr x1, [x0, #256]\n msr nzcv, x1\n"
        "msr fpsr, xzr\n"
        "ldp x2, x3, [x0, #16]\n ldp x4, x5, [x0, #32]\n ldp x6, x7, [x0, #48]\n"
        "ldp x8, x9, [x0, #64]\n ldp x10, x11, [x0, #80]\n ldp x12, x13, [x0, #96]\n"
        "ldp x14, x15, [x0, #112]\n ldp x16, x17, [x0, #128]\n ldp x18, x19, [x0, #144]\n"
        "ldp x20, x21, [x0, #160]\n ldp x22, x23, [x0, #176]\n ldp x24, x25, [x0, #192]\n"
        "ldp x26, x27, [x0, #208]\n ldp x28, x29, [x0, #224]\n ldr x30, [x0, #240]\n"
        "ldp x0, x1, [x0, #0]\n"
        "b code\n"
        ".global run_simd_back\n"
        "run_simd_back:\n"
        "msr tpidr_el1, x0\n"
        "adrp x0, rs_regs\n add x0, x0, :lo12:rs_regs\n"
        "str x1, [x0, #8]\n stp x2, x3, [x0, #16]\n stp x4, x5, [x0, #32]\n"
        "stp x6, x7, [x0, #48]\n stp x8, x9, [x0, #64]\n stp x10, x11, [x0, #80]\n"
        "stp x12, x13, [x0, #96]\n stp x14, x15, [x0, #112]\n stp x16, x17, [x0, #128]\n"
        "stp x18, x19, [x0, #144]\n stp x20, x21, [x0, #160]\n stp x22, x23, [x0, #176]\n"
        "stp x24, x25, [x0, #192]\n stp x26, x27, [x0, #208]\n stp x28, x29, [x0, #224]\n"
        "str x30, [x0, #240]\n"
        "mrs x1, nzcv\n str x1, [x0, #256]\n"
        "mrs x1, fpsr\n str x1, [x0, #264]\n"
        "mrs x1, tpidr_el1\n str x1, [x0, #0]\n"
        "adrp x0, rs_vregs\n add x0, x0, :lo12:rs_vregs\n"
        "stp q0, q1, [x0, #0]\n stp q2, q3, [x0, #32]\n stp q4, q5, [x0, #64]\n stp q6, q7, [x0, #96]\n"
        "stp q8, q9, [x0, #128]\n stp q10, q11, [x0, #160]\n stp q12, q13, [x0, #192]\n"
        "stp q14, q15, [x0, #224]\n stp q16, q17, [x0, #256]\n stp q18, q19, [x0, #288]\n"
        "stp q20, q21, [x0, #320]\n stp q22, q23, [x0, #352]\n stp q24, q25, [x0, #384]\n"
        "stp q26, q27, [x0, #416]\n stp q28, q29, [x0, #448]\n stp q30, q31, [x0, #480]\n"
        "mrs x0, tpidrro_el0\n mov sp, x0\n"
        "ldp x19, x20, [sp, #0]\n ldp x21, x22, [sp, #16]\n ldp x23, x24, [sp, #32]\n"
        "ldp x25, x26, [sp, #48]\n ldp x27, x28, [sp, #64]\n"
        "add sp, sp, #96\n"
        "ldp x29, x30, [sp], #16\n"
        "ret\n");
}
extern char run_simd_back[];

/* the crypto extension's encodings: AES, SHA1/SHA256 three- and
 * two-register, PMULL/PMULL2 with 64-bit sources */
static bool is_crypto(uint32_t w)
{
    return (w & 0xff3e0c00u) == 0x4e280800u || (w & 0xff208c00u) == 0x5e000000u ||
           (w & 0xff3e0c00u) == 0x5e280800u || (w & 0xbfe0fc00u) == 0x0ee0e000u;
}

/* class templates (mask, value) so that fewer words are unallocated:
 * vector three same, three different, two-register misc, by element,
 * shift by immediate, across lanes; their scalar forms; FP data
 * processing, FP three-source; and the whole x111 space */
static const uint32_t templates[][2] = {
    { 0x9f200400u, 0x0e200400u }, { 0x9f200c00u, 0x0e200000u }, { 0x9f3e0c00u, 0x0e200800u },
    { 0x9f000400u, 0x0f000000u }, { 0x9f800400u, 0x0f000400u }, { 0x9f3e0c00u, 0x0e300800u },
    { 0xdf200400u, 0x5e200400u }, { 0xdf3e0c00u, 0x5e200800u }, { 0xdf000400u, 0x5f000000u },
    { 0xdf800400u, 0x5f000400u }, { 0xdf200c00u, 0x5e200000u }, { 0x7fa00000u, 0x1e200000u },
    { 0x7f800000u, 0x1f000000u }, { 0x0e000000u, 0x0e000000u },
};

static uint32_t random_simd_word(void)
{
    for (;;) {
        const uint32_t *t = templates[next() % (sizeof(templates) / sizeof(templates[0]))];
        uint32_t w = ((uint32_t)next() & ~t[0]) | t[1];
        if (!is_crypto(w))
            return w;
    }
}

static const uint64_t specials[] = {
    0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0x7ff0000000000000ull, 0x7ff8000000000001ull,
    0x7ff4000000000000ull, 0x0000000000000001ull, 0x000fffffffffffffull, 0x7fefffffffffffffull,
    0x3f8000003f800000ull, 0x7f8000007fc00001ull, 0x0000000180000001ull, 0x7f7fffff00800000ull,
    0x7fa00000ff800000ull, 0x4f0000004effffffull, 0x8000000080000000ull,
};

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;
    WRITE_SYSREG(cpacr_el1, 3ull << 20);
    __asm__ volatile("isb");
    /* RN, RP, RM, RZ, FZ, DN, FZ+DN+RP, AHP+RZ */
    static const uint64_t fpcrs[] = { 0, 1 << 22, 2 << 22, 3 << 22, 1 << 24, 1 << 25, 1 << 24 | 1 << 25 | 1 << 22,
                                      1 << 26 | 3 << 22 };
#define NB_FPCR (sizeof(fpcrs) / sizeof(fpcrs[0]))
    uint64_t total = 0;
    for (int s = 0; s < NB_SEQ; s++) {
        for (int i = 0; i < SEQ_LEN; i++)
            code[i] = random_simd_word();
        /* ldr x16, 8; br x16; .quad run_simd_back */
        code[SEQ_LEN] = 0x58000050u;
        code[SEQ_LEN + 1] = 0xd61f0200u;
        uint64_t back = (uint64_t)run_simd_back;
        code[SEQ_LEN + 2] = (uint32_t)back;
        code[SEQ_LEN + 3] = (uint32_t)(back >> 32);
        __asm__ volatile("dsb ish\nic iallu\ndsb ish\nisb" ::: "memory");
        for (int r = 0; r < 31; r++)
            rs_regs[r] = next();
        rs_regs[32] = (next() & 0xf) << 28;
        for (int r = 0; r < 64; r++) {
            uint64_t v = next();
            switch (next() & 7) {
            case 0: v = specials[next() % 16]; break;
            case 1: v = specials[next() % 16] ^ (v & 0x0000000f0000000full); break;
            case 2: v &= 0x3fffffff3fffffffull; break;        /* moderate exponents */
            case 3: v = (v & 0x800fffffffffffffull) | 0x3ff0000000000000ull; break;
            default: break;
            }
            rs_vregs[r] = v;
        }
#ifdef VERBOSE
        /* each prefix of the sequence from the same state: the first
         * line that differs names the instruction */
        if (s == VERBOSE) {
            static uint64_t r0[34], v0[64];
            uint32_t c0[SEQ_LEN];
            for (int i = 0; i < 34; i++) r0[i] = rs_regs[i];
            for (int i = 0; i < 64; i++) v0[i] = rs_vregs[i];
            for (int i = 0; i < SEQ_LEN; i++) c0[i] = code[i];
            for (int n = 1; n <= SEQ_LEN; n++) {
                for (int i = 0; i < SEQ_LEN; i++) code[i] = i < n ? c0[i] : 0xd503201fu;
                __asm__ volatile("dsb ish\nic iallu\ndsb ish\nisb" ::: "memory");
                for (int i = 0; i < 34; i++) rs_regs[i] = r0[i];
                for (int i = 0; i < 64; i++) rs_vregs[i] = v0[i];
                WRITE_SYSREG(fpcr, fpcrs[s % NB_FPCR]);
                run_code();
                WRITE_SYSREG(fpcr, 0);
                uint64_t h = 0;
                for (int r = 0; r < 64; r++) h = (h ^ rs_vregs[r]) * 0x100000001b3ull;
                printf_("  %d %08x: %lx fpsr %lx\n", n, c0[n - 1], h, rs_regs[33]);
                if (n > 1 && c0[n - 1]) {
                    int rd = c0[n - 1] & 31;
                    printf_("     v%d = %016lx%016lx\n", rd, rs_vregs[2 * rd + 1], rs_vregs[2 * rd]);
                }
            }
            for (int i = 0; i < 34; i++) rs_regs[i] = r0[i];
            for (int i = 0; i < 64; i++) rs_vregs[i] = v0[i];
            for (int i = 0; i < SEQ_LEN; i++) code[i] = c0[i];
            __asm__ volatile("dsb ish\nic iallu\ndsb ish\nisb" ::: "memory");
        }
#endif
        WRITE_SYSREG(fpcr, fpcrs[s % NB_FPCR]);
        int u = undefs;
        run_code();
        WRITE_SYSREG(fpcr, 0);
        uint64_t h = 0xcbf29ce484222325ull;
        for (int r = 0; r < 34; r++) {
            if (r == 16 || r == 31)
                continue;                              /* the return branch's register, spare */
            h = (h ^ rs_regs[r]) * 0x100000001b3ull;
        }
        for (int r = 0; r < 64; r++)
            h = (h ^ rs_vregs[r]) * 0x100000001b3ull;
        total = (total ^ h) * 0x100000001b3ull;
        printf_("seq %d: %lx undef %d fpsr %lx\n", s, h, undefs - u, rs_regs[33]);
    }
    printf_("total %lx undefs %d\n", total, undefs);
    check("random FP/SIMD ran", 1, 1);
    exc_hook = 0;
    return 0;
}
