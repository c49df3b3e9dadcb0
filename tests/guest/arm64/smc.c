/* Self-modifying code with the architected maintenance (DC CVAU, DSB,
 * IC IVAU, DSB, ISB): a generated function rewritten and called again and
 * again, and an instruction patched just ahead of the running block. */
#include "lib.h"

static uint32_t code[64] __attribute__((aligned(64)));

static void sync_icache(void *p, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i += 4) {
        __asm__ volatile("dc cvau, %0" :: "r"((char *)p + i) : "memory");
    }
    __asm__ volatile("dsb ish" ::: "memory");
    for (unsigned i = 0; i < bytes; i += 4)
        __asm__ volatile("ic ivau, %0" :: "r"((char *)p + i) : "memory");
    __asm__ volatile("dsb ish\nisb" ::: "memory");
}

/* movz x0, #imm; ret */
static void gen_const(uint32_t *at, uint16_t imm)
{
    at[0] = 0xd2800000u | ((uint32_t)imm << 5);
    at[1] = 0xd65f03c0u;
}

int main(void)
{
    puts_("-- guest start --\n");
    uint64_t (*fn)(void) = (uint64_t (*)(void))code;
    uint64_t sum = 0;
    for (unsigned i = 0; i < 300; i++) {
        gen_const(code, (uint16_t)(i * 7 + 1));
        sync_icache(code, 8);
        sum = sum * 31 + fn();
    }
    printf_("rewritten 300 times: sum %lx\n", sum);
    check("last value", fn(), 299 * 7 + 1);

    /* add x0, x0, #1 repeated, then patched into sub in place */
    for (int i = 0; i < 16; i++)
        code[i] = 0x91000400u;                      /* add x0, x0, #1 */
    code[16] = 0xd65f03c0u;
    sync_icache(code, 68);
    uint64_t (*count)(uint64_t) = (uint64_t (*)(uint64_t))code;
    printf_("16 adds: %lx\n", count(100));
    code[5] = 0xd1000400u;                          /* sub x0, x0, #1 */
    code[9] = 0xd1000400u;
    sync_icache(code + 5, 20);
    printf_("14 adds 2 subs: %lx\n", count(100));

    /* a store into the running block's own next instruction */
    uint64_t r;
    __asm__ volatile(
        "adr x1, 1f\n"
        "ldr w2, 2f\n"
        "str w2, [x1]\n"
        "dc cvau, x1\n dsb ish\n ic ivau, x1\n dsb ish\n isb\n"
        "1: mov %0, #1\n"
        "b 3f\n"
        "2: mov %0, #2\n"
        "3:\n" : "=r"(r) :: "x1", "x2", "memory");
    check("patched ahead", r, 2);
    return 0;
}
