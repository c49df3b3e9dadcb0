/* The random-sequence guests' driver (randdp, randldst): run_code()
 * enters code[] with every register from rd_regs and comes back with them
 * saved; end_code() closes a sequence with the branch back. The including
 * file defines code[SEQ_LEN + 4] and rd_regs[34] (x0..x30, sp_el0, nzcv,
 * spare). */
#ifndef GUEST_ARM64_RUNCODE_H
#define GUEST_ARM64_RUNCODE_H

#include <stdint.h>

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

/* End the sequence of n words at code[n] with "ldr x16, 8; br x16;
 * .quad run_code_back" and make the new code visible to fetch. */
static inline void end_code(uint32_t *code, int n)
{
    uint64_t back = (uint64_t)run_code_back;
    code[n] = 0x58000050u;
    code[n + 1] = 0xd61f0200u;
    code[n + 2] = (uint32_t)back;
    code[n + 3] = (uint32_t)(back >> 32);
    __asm__ volatile("dsb ish\nic iallu\ndsb ish\nisb" ::: "memory");
}

/* Random register values with a bias to the interesting ones (zero, a
 * byte, sign-extended 32-bit, the top bit set); SP_EL0 inside the RAM
 * below the image, aligned to 16; random NZCV. */
static inline void random_regs(uint64_t *regs, uint64_t (*next)(void))
{
    for (int r = 0; r < 31; r++) {
        uint64_t v = next();
        switch (next() & 7) {
        case 0: v = 0; break;
        case 1: v &= 0xff; break;
        case 2: v = (uint64_t)(int64_t)(int32_t)v; break;
        case 3: v |= 0x8000000000000000ull; break;
        default: break;
        }
        regs[r] = v;
    }
    regs[31] = 0x40000000ull + (next() & 0xfff0);
    regs[32] = (next() & 0xf) << 28;
}

/* FNV-1a over x0..x30 (but x16, the return branch's), SP_EL0 and NZCV. */
static inline uint64_t hash_regs(uint64_t h, const uint64_t *regs)
{
    for (int r = 0; r < 33; r++) {
        if (r == 16)
            continue;
        h = (h ^ regs[r]) * 0x100000001b3ull;
    }
    return h;
}

#endif
