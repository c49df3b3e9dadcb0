/* Integer data processing: every register form over corner values, with
 * the NZCV each leaves; immediate forms (add/sub, logical, move wide,
 * bitfield, EXTR), conditional select and compare over every condition.
 * The printed values are checked against QEMU line by line. */
#include "lib.h"

static const uint64_t vals[] = {
    0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, ~0ull, 0x123456789abcdef0ull, 0xfedcba9876543210ull, 63, 64, 33,
};
#define NV (sizeof(vals) / sizeof(vals[0]))

static uint64_t hash;
static void mix(uint64_t v) { hash = (hash ^ v) * 0x100000001b3ull; }

#define BIN_F(INSN, REG)                                                                \
    static void t_##INSN##_##REG(uint64_t a, uint64_t b, uint64_t cin)                \
    {                                                                                   \
        uint64_t r, f;                                                                  \
        __asm__ volatile("msr nzcv, %4\n" #INSN " %" #REG "0, %" #REG "2, %" #REG "3\n" \
                         "mrs %1, nzcv" : "=&r"(r), "=&r"(f) : "r"(a), "r"(b), "r"(cin)); \
        mix(r); mix(f);                                                                 \
        printf_(#INSN "." #REG " %lx %lx c%d -> %lx %x\n", a, b, (int)(cin >> 29), r, (unsigned)(f >> 28)); \
    }
BIN_F(adds, x) BIN_F(adds, w) BIN_F(subs, x) BIN_F(subs, w) BIN_F(adcs, x) BIN_F(adcs, w)
BIN_F(sbcs, x) BIN_F(sbcs, w) BIN_F(ands, x) BIN_F(ands, w) BIN_F(bics, x) BIN_F(bics, w)
BIN_F(adc, x) BIN_F(sbc, w)

#define BIN(INSN, REG)                                                                  \
    static uint64_t t_##INSN##_##REG(uint64_t a, uint64_t b)                            \
    {                                                                                   \
        uint64_t r;                                                                     \
        __asm__ volatile(#INSN " %" #REG "0, %" #REG "1, %" #REG "2" : "=r"(r) : "r"(a), "r"(b)); \
        return r;                                                                       \
    }
BIN(udiv, x) BIN(udiv, w) BIN(sdiv, x) BIN(sdiv, w) BIN(lslv, x) BIN(lslv, w) BIN(lsrv, x)
BIN(lsrv, w) BIN(asrv, x) BIN(asrv, w) BIN(rorv, x) BIN(rorv, w) BIN(mul, x) BIN(mul, w)
BIN(smulh, x) BIN(umulh, x) BIN(orn, x) BIN(eon, w) BIN(crc32w, w) BIN(crc32cb, w)

#define UN(INSN, REG)                                                                   \
    static uint64_t t_##INSN##_##REG(uint64_t a)                                        \
    {                                                                                   \
        uint64_t r;                                                                     \
        __asm__ volatile(#INSN " %" #REG "0, %" #REG "1" : "=r"(r) : "r"(a));           \
        return r;                                                                       \
    }
UN(clz, x) UN(clz, w) UN(cls, x) UN(cls, w) UN(rbit, x) UN(rbit, w) UN(rev, x) UN(rev, w)
UN(rev16, x) UN(rev16, w) UN(rev32, x)

/* fixed-immediate forms: one asm line each */
#define IMM(TEXT)                                                                       \
    do {                                                                                \
        uint64_t r = 0x1111111111111111ull, f;                                         \
        __asm__ volatile("msr nzcv, xzr\n" TEXT "\nmrs %1, nzcv" : "+r"(r), "=r"(f) : "r"(a)); \
        mix(r); mix(f);                                                                 \
        printf_("%s [%lx] -> %lx %x\n", TEXT, a, r, (unsigned)(f >> 28));               \
    } while (0)

static void imm_forms(uint64_t a)
{
    IMM("add %0, %2, #0xfff");
    IMM("add %w0, %w2, #1, lsl #12");
    IMM("adds %0, %2, #1");
    IMM("subs %w0, %w2, #1");
    IMM("cmp %2, #0");
    IMM("cmn %w2, #1");
    IMM("and %0, %2, #0x5555555555555555");
    IMM("orr %w0, %w2, #0xff00ff");
    IMM("eor %0, %2, #0xfffffffffffffffe");
    IMM("ands %0, %2, #0x8000000000000001");
    IMM("ands %w0, %w2, #0x80000000");
    IMM("tst %2, #0x3c");
    IMM("movz %0, #0x1234, lsl #32");
    IMM("movn %w0, #0x1234, lsl #16");
    IMM("movk %0, #0xbeef, lsl #48");
    IMM("movk %w0, #0xbeef");
    IMM("ubfx %0, %2, #4, #8");
    IMM("sbfx %0, %2, #28, #8");
    IMM("sbfx %w0, %w2, #28, #4");
    IMM("bfi %0, %2, #8, #16");
    IMM("bfxil %w0, %w2, #20, #12");
    IMM("lsl %w0, %w2, #31");
    IMM("lsr %0, %2, #63");
    IMM("asr %w0, %w2, #5");
    IMM("sxtb %0, %w2");
    IMM("sxth %w0, %w2");
    IMM("sxtw %0, %w2");
    IMM("uxtb %w0, %w2");
    IMM("sbfiz %0, %2, #60, #4");
    IMM("ubfiz %w0, %w2, #3, #29");
    IMM("extr %0, %2, %0, #13");
    IMM("extr %w0, %w2, %w0, #31");
    IMM("ror %0, %2, #7");
    IMM("add %0, %2, %0, lsl #3");
    IMM("sub %w0, %w2, %w0, asr #7");
    IMM("adds %0, %2, %0, lsr #60");
    IMM("add %0, %2, %w0, sxtw #2");
    IMM("sub %0, %2, %w0, uxtb #4");
    IMM("subs %w0, %w2, %w0, sxth");
    IMM("neg %0, %2");
    IMM("negs %w0, %w2");
    IMM("mvn %w0, %w2");
    IMM("and %0, %2, %0, ror #32");
    IMM("madd %0, %2, %2, %0");
    IMM("msub %w0, %w2, %w2, %w0");
    IMM("smaddl %0, %w2, %w2, %0");
    IMM("umsubl %0, %w2, %w0, %0");
}

static void cond_forms(uint64_t a, uint64_t b)
{
    static const char *const names[16] = { "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
                                           "hi", "ls", "ge", "lt", "gt", "le", "al", "nv" };
    uint64_t r[8], f;
#define CSEL_ALL(C)                                                                     \
    __asm__ volatile("cmp %8, %9\n"                                                     \
                     "csel %0, %8, %9, " C "\n"                                         \
                     "csinc %1, %8, %9, " C "\n"                                        \
                     "csinv %w2, %w8, %w9, " C "\n"                                     \
                     "csneg %3, %8, %9, " C "\n"                                        \
                     "cset %4, " C "\n"                                                 \
                     "ccmp %8, %9, #5, " C "\n"                                         \
                     "mrs %5, nzcv\n"                                                   \
                     "cmp %8, %9\n"                                                     \
                     "ccmn %w8, #3, #10, " C "\n"                                       \
                     "mrs %6, nzcv\n"                                                   \
                     "mov %7, #0\n"                                                     \
                     "cmp %8, %9\n"                                                     \
                     "b." C " 1f\n"                                                     \
                     "mov %7, #1\n"                                                     \
                     "1:\n"                                                             \
                     : "=&r"(r[0]), "=&r"(r[1]), "=&r"(r[2]), "=&r"(r[3]), "=&r"(r[4]), \
                       "=&r"(r[5]), "=&r"(r[6]), "=&r"(r[7]) : "r"(a), "r"(b));        \
    f = 0
#define ONE(C, I)                                                                       \
    CSEL_ALL(C);                                                                        \
    printf_("cond %s %lx %lx: %lx %lx %lx %lx %lx %x %x %lx\n", names[I], a, b, r[0], r[1], r[2], \
            r[3], r[4], (unsigned)(r[5] >> 28), (unsigned)(r[6] >> 28), r[7]);         \
    for (int k = 0; k < 8; k++) mix(r[k]);
    ONE("eq", 0) ONE("ne", 1) ONE("cs", 2) ONE("cc", 3) ONE("mi", 4) ONE("pl", 5) ONE("vs", 6)
    ONE("vc", 7) ONE("hi", 8) ONE("ls", 9) ONE("ge", 10) ONE("lt", 11) ONE("gt", 12)
    ONE("le", 13)
    (void)f;
}

static void branches(uint64_t a)
{
    uint64_t r = 0;
    __asm__ volatile("mov %0, #0\n"
                     "cbz %1, 1f\n orr %0, %0, #1\n1:\n"
                     "cbnz %w1, 2f\n orr %0, %0, #2\n2:\n"
                     "tbz %1, #63, 3f\n orr %0, %0, #4\n3:\n"
                     "tbnz %1, #0, 4f\n orr %0, %0, #8\n4:\n"
                     "tbz %w1, #31, 5f\n orr %0, %0, #16\n5:\n"
                     "tbnz %1, #35, 6f\n orr %0, %0, #32\n6:\n"
                     : "=&r"(r) : "r"(a));
    mix(r);
    printf_("branches %lx -> %lx\n", a, r);
}

int main(void)
{
    puts_("-- guest start --\n");
    for (unsigned i = 0; i < NV; i++) {
        for (unsigned j = 0; j < NV; j++) {
            uint64_t a = vals[i], b = vals[j];
            for (uint64_t c = 0; c < 2; c++) {
                t_adds_x(a, b, c << 29); t_adds_w(a, b, c << 29); t_subs_x(a, b, c << 29);
                t_subs_w(a, b, c << 29); t_adcs_x(a, b, c << 29); t_adcs_w(a, b, c << 29);
                t_sbcs_x(a, b, c << 29); t_sbcs_w(a, b, c << 29);
            }
            t_ands_x(a, b, 0); t_ands_w(a, b, 0); t_bics_x(a, b, 0); t_bics_w(a, b, 0);
            t_adc_x(a, b, 1 << 29); t_sbc_w(a, b, 0);
            printf_("dp2 %lx %lx: %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx\n", a, b,
                    t_udiv_x(a, b), t_udiv_w(a, b), t_sdiv_x(a, b), t_sdiv_w(a, b), t_lslv_x(a, b),
                    t_lslv_w(a, b), t_lsrv_x(a, b), t_lsrv_w(a, b), t_asrv_x(a, b), t_asrv_w(a, b),
                    t_rorv_x(a, b), t_rorv_w(a, b));
            printf_("mul %lx %lx: %lx %lx %lx %lx %lx %lx %lx %lx\n", a, b, t_mul_x(a, b),
                    t_mul_w(a, b), t_smulh_x(a, b), t_umulh_x(a, b), t_orn_x(a, b), t_eon_w(a, b),
                    t_crc32w_w(a, b), t_crc32cb_w(a, b));
        }
        uint64_t a = vals[i];
        printf_("dp1 %lx: %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx\n", a, t_clz_x(a), t_clz_w(a),
                t_cls_x(a), t_cls_w(a), t_rbit_x(a), t_rbit_w(a), t_rev_x(a), t_rev_w(a),
                t_rev16_x(a), t_rev16_w(a), t_rev32_x(a));
        imm_forms(a);
        branches(a);
        cond_forms(a, vals[(i + 3) % NV]);
        cond_forms(a, a);
    }
    printf_("hash %lx\n", hash);
    check("arith ran", 1, 1);
    return 0;
}
