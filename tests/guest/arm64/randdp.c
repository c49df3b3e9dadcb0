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

/* Enter the code with every register from rd_regs, SP_EL0 as SP; come
 * back through the absolute branch at the end of the buffer and save them
 * all (TPIDR_EL1 is the scratch register). */
__attribute__((naked)) static void run_code(void)
{
    __asm__ volatile(
        "stp x29, x30, [sp, #-16]!\n"
        "sub sp, sp, #96\n"
        "stp x19, x20, [sp, #0]\n stp x21, x22, [sp, #16]\n stp x23, x24, [sp, #32]\n"
        "stp x25, x26, [sp, #48]\n stp x27, x28, [sp, #64]\n"
        "mov x0, sp\n msr tpidrro_el0, x0\n"       /* our SP_EL1 frame */
        "adrp x0, rd_regs\n add x0, x0, :lo12:rd_regs\n"
        "ldr x1, [x0, #248]\n msr sp_el0, x1\n"
        "ldr x1, [x0, #256]\n msr nzcv, x1\n"
        "msr spsel, #0\n"
        "ldp x2, x3, [x0, #16]\n ldp x4, x5, [x0, #32]\n ldp x6, x7, [x0, #48]\n"
        "ldp x8, x9, [x0, #64]\n ldp x10, x11, [x0, #80]\n ldp x12, x13, [x0, #96]\n"
        "ldp x14, x15, [x0, #112]\n ldp x16, x17, [x0, #128]\n ldp x18, x19, [x0, #144]\n"
        "ldp x20, x21, [x0, #160]\n ldp x22, x23, [x0, #176]\n ldp x24, x25, [x0, #192]\n"
        "ldp x26, x27, [x0, #208]\n ldp x28, x29, [x0, #224]\n ldr x30, [x0, #240]\n"
        "ldp x0, x1, [x0, #0]\n"
        "b code\n"
        ".global run_code_back\n"
        "run_code_back:\n"
        "msr tpidr_el1, x0\n"
        "adrp x0, rd_regs\n add x0, x0, :lo12:rd_regs\n"
        "str x1, [x0, #8]\n stp x2, x3, [x0, #16]\n stp x4, x5, [x0, #32]\n"
        "stp x6, x7, [x0, #48]\n stp x8, x9, [x0, #64]\n stp x10, x11, [x0, #80]\n"
        "stp x12, x13, [x0, #96]\n stp x14, x15, [x0, #112]\n stp x16, x17, [x0, #128]\n"
        "stp x18, x19, [x0, #144]\n stp x20, x21, [x0, #160]\n stp x22, x23, [x0, #176]\n"
        "stp x24, x25, [x0, #192]\n stp x26, x27, [x0, #208]\n stp x28, x29, [x0, #224]\n"
        "str x30, [x0, #240]\n"
        "mrs x1, nzcv\n str x1, [x0, #256]\n"
        "mov x1, sp\n str x1, [x0, #248]\n"
        "mrs x1, tpidr_el1\n str x1, [x0, #0]\n"
        "msr spsel, #1\n"
        "mrs x0, tpidrro_el0\n mov sp, x0\n"
        "ldp x19, x20, [sp, #0]\n ldp x21, x22, [sp, #16]\n ldp x23, x24, [sp, #32]\n"
        "ldp x25, x26, [sp, #48]\n ldp x27, x28, [sp, #64]\n"
        "add sp, sp, #96\n"
        "ldp x29, x30, [sp], #16\n"
        "ret\n");
}
extern char run_code_back[];

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
        /* ldr x16, 8; br x16; .quad run_code_back */
        code[SEQ_LEN] = 0x58000050u;
        code[SEQ_LEN + 1] = 0xd61f0200u;
        uint64_t back = (uint64_t)run_code_back;
        code[SEQ_LEN + 2] = (uint32_t)back;
        code[SEQ_LEN + 3] = (uint32_t)(back >> 32);
        __asm__ volatile("dsb ish\nic iallu\ndsb ish\nisb" ::: "memory");
        for (int r = 0; r < 31; r++) {
            uint64_t v = next();
            switch (next() & 7) {
            case 0: v = 0; break;
            case 1: v &= 0xff; break;
            case 2: v = (uint64_t)(int64_t)(int32_t)v; break;
            case 3: v |= 0x8000000000000000ull; break;
            default: break;
            }
            rd_regs[r] = v;
        }
        rd_regs[31] = 0x40000000ull + (next() & 0xfff0);
        rd_regs[32] = (next() & 0xf) << 28;
        int u = undefs;
        run_code();
        uint64_t h = 0xcbf29ce484222325ull;
        for (int r = 0; r < 33; r++) {
            if (r == 16)
                continue;                              /* the return branch's register */
            h = (h ^ rd_regs[r]) * 0x100000001b3ull;
        }
        total = (total ^ h) * 0x100000001b3ull;
        printf_("seq %d: %lx undef %d nzcv %x\n", s, h, undefs - u, (unsigned)(rd_regs[32] >> 28));
    }
    printf_("total %lx undefs %d\n", total, undefs);
    check("random data processing ran", 1, 1);
    exc_hook = 0;
    return 0;
}
