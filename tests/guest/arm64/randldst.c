/* Random loads and stores, checked against QEMU: sequences of random words
 * from the A64 load/store classes (unsigned offset, unscaled, pre/post
 * index, unprivileged, register offset, pairs, exclusive loads,
 * acquire/release) with the base register forced to x28 (a scratch buffer; x26,
 * 16-byte aligned, for exclusives and ordered accesses) and the register
 * offset to x27 (a small index), everything else random, run
 * with the MMU on (normal memory, so unaligned plain accesses are allowed,
 * exclusives and ordered ones fault). Registers, NZCV and a hash of the
 * scratch buffer are printed after each sequence; undefined words,
 * alignment faults and the permission faults of unprivileged accesses to
 * EL1-only memory are skipped by the handler under both emulators. */
#include "lib.h"
#include "runcode.h"

#define SEQ_LEN 24
#define NB_SEQ 200
#define SCRATCH (128 * 1024)

uint32_t code[SEQ_LEN + 4] __attribute__((aligned(64)));
uint64_t rd_regs[34];                 /* x0..x30, sp_el0, nzcv, spare */
static uint64_t rng = 0x2545f4914f6cdd1dull;
static int undefs, aligns, perms;
static uint8_t scratch[SCRATCH] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void handler(ExcFrame *f, uint64_t vector)
{
    if ((f->esr >> 26) == 0x25 && (f->esr & 0x3f) == 0x21) {
        aligns++;                                    /* alignment fault */
        f->elr += 4;
        return;
    }
    if ((f->esr >> 26) == 0x25 && (f->esr & 0x3c) == 0x0c) {
        perms++;           /* LDTR/STTR: EL1-only memory seen with EL0's rights */
        f->elr += 4;
        return;
    }
    if ((f->esr >> 26) != 0) {
        printf_("FAIL unexpected exception ESR %lx ELR %lx FAR %lx\n", f->esr, f->elr, f->far);
        guest_exit();
    }
    undefs++;
    f->elr += 4;
}

static unsigned reg_not_base(void)
{
    unsigned r;
    do
        r = (unsigned)(next() % 31);
    while (r >= 26 && r <= 28);
    return r;
}

/* A random load/store word of an integer class, base x28, offset x27 */
static uint32_t random_ldst_word(void)
{
    uint32_t w = (uint32_t)next();
    uint32_t rt = reg_not_base(), rt2, rs = reg_not_base(), base = 28;
    do
        rt2 = reg_not_base();
    while (rt2 == rt);              /* a load of one register twice is UNDEFINED here,
                                     * executed by QEMU (CONSTRAINED UNPREDICTABLE) */
    switch (next() % 6) {
    case 0:   /* unsigned offset: size 111 0 01 opc imm12 */
        w = (w & 0xc0fffc00u) | (0x39u << 24);
        w &= ~(0xfffu << 10);
        w |= (uint32_t)(next() & 0x3ff) << 10;       /* keep inside the buffer */
        break;
    case 1:   /* unscaled, post, unprivileged, pre: size 111 0 00 opc 0 imm9 idx */
        w = (w & 0xc0dffc00u) | (0x38u << 24);
        break;
    case 2:   /* register offset: size 111 0 00 opc 1 rm opt S 10 */
        w = (w & 0xc0c0f000u) | (0x38u << 24) | (1u << 21) | (27u << 16) | (2u << 10);
        break;
    case 3:   /* pairs: opc 101 0 0 mode L imm7 rt2 */
        w = (w & 0xc1ff8000u) | (0x28u << 24);
        w = (w & ~(31u << 10)) | (rt2 << 10);
        break;
    /* exclusives and ordered accesses on x26, kept 16-byte aligned: QEMU
     * 7.2 checks a store-exclusive's alignment only when the monitor
     * matches, the Arm ARM always (kasou); excp.c covers the faults */
    case 4:   /* exclusive loads: size 001000 0 1 o1 rs o0 rt2. Store-
               * exclusives are left to ldst.c: whether the monitor survives
               * an exception return or a plain store in between is the
               * implementation's choice, and QEMU's differs */
        w = (w & 0xc0208000u) | (0x08u << 24) | (1u << 22) | (rs << 16) | (rt2 << 10);
        base = 26;
        break;
    default:  /* ordered: size 001000 1 L 0 11111 1 11111 */
        w = (w & 0xc0400000u) | (0x08u << 24) | (1u << 23) | (31u << 16) | (1u << 15) | (31u << 10);
        base = 26;
        break;
    }
    return (w & ~0x3ffu) | (base << 5) | rt;
}

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;
    /* MMU on: 0-1G device, 1-2G normal memory (unaligned plain accesses allowed) */
    l1[0] = 0x00000000ull | (0ull << 2) | (1ull << 10) | 1 | (3ull << 53);
    l1[1] = 0x40000000ull | (1ull << 2) | (1ull << 10) | (3ull << 8) | 1;
    WRITE_SYSREG(mair_el1, 0xff00);
    WRITE_SYSREG(tcr_el1, 25 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) | (2ull << 32));
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    __asm__ volatile("isb\ntlbi vmalle1\ndsb sy\nisb");
    WRITE_SYSREG(sctlr_el1, (READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12)) & ~(1ull << 1));
    __asm__ volatile("isb");
    for (unsigned k = 0; k < SCRATCH; k++)
        scratch[k] = (uint8_t)(k * 131 + 7);
    uint64_t total = 0;
    for (int s = 0; s < NB_SEQ; s++) {
        for (int i = 0; i < SEQ_LEN; i++)
            code[i] = random_ldst_word();
        end_code(code, SEQ_LEN);
        random_regs(rd_regs, next);
        rd_regs[26] = (uint64_t)scratch + SCRATCH / 2 + (next() & 0x3f0);
        rd_regs[27] = next() & 0xff;
        rd_regs[28] = (uint64_t)scratch + SCRATCH / 4 + (next() & 0x3ff);
        int u = undefs, al = aligns, pe = perms;
        run_code();
        uint64_t h = 0xcbf29ce484222325ull;
        for (unsigned k = 0; k < SCRATCH / 8; k++)
            h = (h ^ ((uint64_t *)scratch)[k]) * 0x100000001b3ull;
        h = hash_regs(h, rd_regs);
        total = (total ^ h) * 0x100000001b3ull;
        printf_("seq %d: %lx undef %d align %d perm %d x28 %lx\n", s, h, undefs - u, aligns - al,
                perms - pe, rd_regs[28] - (uint64_t)scratch);
    }
    printf_("total %lx undefs %d aligns %d perms %d\n", total, undefs, aligns, perms);
    check("random loads and stores ran", 1, 1);
    exc_hook = 0;
    return 0;
}
