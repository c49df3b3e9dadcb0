/*
 * Guest test: self-modifying code.  A function in a data buffer and one in
 * .text are rewritten after they have run and must return the new value; a
 * loop patches the immediate of an instruction it runs every iteration
 * (through a jump, and with no jump in the same block); with paging on, the
 * code is rewritten through an alias mapping of its physical page.
 */
#include "lib.h"

typedef uint32_t (*ret_fn)(void);

static uint8_t codebuf[8192] __attribute__((aligned(4096)));

/* emits "mov eax, imm32; ret" at p */
static void emit_ret_imm(uint8_t *p, uint32_t imm)
{
    p[0] = 0xb8;
    memcpy(p + 1, &imm, 4);
    p[5] = 0xc3;
}

uint32_t smc_text_fn(void);
__asm__(".text\n\t.globl smc_text_fn\nsmc_text_fn:\n\t"
        "movl $0x11111111, %eax\n\tret\n");

/* sum over i of the immediate patched to i; via a jump after the store */
static uint32_t patch_loop_jump(uint32_t n)
{
    uint32_t sum = 0;
    __asm__ volatile("1:\tmovl %%ecx, 3f+1\n\tjmp 3f\n"
                     "3:\tmovl $0, %%edx\n\t"
                     "addl %%edx, %0\n\tloop 1b"
                     : "+r"(sum), "+c"(n) : : "edx", "memory", "cc");
    return sum;
}

/* the store patches the very next instruction, no branch in between */
static uint32_t patch_loop_inline(uint32_t n)
{
    uint32_t sum = 0;
    __asm__ volatile("1:\tmovl %%ecx, 3f+1\n"
                     "3:\tmovl $0, %%edx\n\t"
                     "addl %%edx, %0\n\tloop 1b"
                     : "+r"(sum), "+c"(n) : : "edx", "memory", "cc");
    return sum;
}

int main(void)
{
    ret_fn f = (ret_fn)codebuf;
    emit_ret_imm(codebuf, 0x1234);
    check("buf_first", f(), 0x1234);
    emit_ret_imm(codebuf, 0x5678);
    check("buf_rewritten", f(), 0x5678);
    /* rewrite only one byte of the immediate */
    codebuf[1] = 0x99;
    check("buf_one_byte", f(), 0x5699);
    /* many versions in a row, each run once */
    uint32_t acc = 0;
    for (uint32_t i = 0; i < 200; i++) {
        emit_ret_imm(codebuf + 4096 - 3, i * 3);    /* crosses a page */
        acc += ((ret_fn)(codebuf + 4093))();
    }
    check("buf_cross_page_versions", acc, 3 * 199 * 200 / 2);

    check("text_first", smc_text_fn(), 0x11111111);
    uint8_t *t = (uint8_t *)smc_text_fn;
    uint32_t nv = 0x22222222;
    memcpy(t + 1, &nv, 4);
    check("text_rewritten", smc_text_fn(), 0x22222222);

    check("patch_loop_jump", patch_loop_jump(1000), 1000 * 1001 / 2);
    check("patch_loop_inline", patch_loop_inline(1000), 1000 * 1001 / 2);

    /* with paging: write through an alias of the code page */
    pt_init(8);
    pt_enable();
    uint32_t alias = 0x00700000;
    *pt_pte(alias) = (uint32_t)codebuf | 3;
    invlpg(alias);
    emit_ret_imm(codebuf, 0xabc);
    check("paged_first", f(), 0xabc);
    emit_ret_imm((uint8_t *)alias, 0xdef);
    check("paged_alias_write", f(), 0xdef);
    /* execute through the alias, then modify through the original */
    check("alias_exec", ((ret_fn)alias)(), 0xdef);
    emit_ret_imm(codebuf, 0x777);
    check("alias_exec_after_write", ((ret_fn)alias)(), 0x777);
    pt_disable();
    return check_failures ? 1 : 0;
}
