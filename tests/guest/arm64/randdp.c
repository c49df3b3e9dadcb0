/* Random data-processing code, checked against QEMU: sequences of random
 * words from the A64 data-processing classes (immediate and register:
 * arithmetic, logical, moves, bitfields, EXTR, shifts, multiplies,
 * divides, CRC32, conditional select and compare, flag setting) run from
 * random register values; the registers, SP and NZCV after each sequence
 * are hashed and printed. Unallocated words raise the undefined-instruction
 * exception, which skips them (and must happen for the same words under
 * both emulators). The sequences run on SP_EL0 (SPSel 0), so a random
 * write to SP cannot hurt the exception handler's stack. */
#include "lib.h"
#include "runcode.h"

#define SEQ_LEN 24
#define NB_SEQ 600

uint32_t code[SEQ_LEN + 4] __attribute__((aligned(64)));
uint64_t rd_regs[34];                 /* x0..x30, sp_el0, nzcv, spare */
static uint64_t rng = 0x2545f4914f6cdd1dull;
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

static uint32_t random_dp_word(void)
{
    uint32_t w = (uint32_t)next();
    if (next() & 1)
        return (w & ~(7u << 26)) | (4u << 26);       /* bits 28:26 = 100: immediate */
    return (w & ~(7u << 25)) | (5u << 25);           /* bits 27:25 = 101: register */
}

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = handler;
    uint64_t total = 0;
    for (int s = 0; s < NB_SEQ; s++) {
        for (int i = 0; i < SEQ_LEN; i++)
            code[i] = random_dp_word();
        end_code(code, SEQ_LEN);
        random_regs(rd_regs, next);
        int u = undefs;
        run_code();
        uint64_t h = 0xcbf29ce484222325ull;
        h = hash_regs(h, rd_regs);
        total = (total ^ h) * 0x100000001b3ull;
        printf_("seq %d: %lx undef %d nzcv %x\n", s, h, undefs - u, (unsigned)(rd_regs[32] >> 28));
    }
    printf_("total %lx undefs %d\n", total, undefs);
    check("random data processing ran", 1, 1);
    exc_hook = 0;
    return 0;
}
