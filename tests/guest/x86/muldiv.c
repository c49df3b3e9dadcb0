/*
 * Guest test: MUL/IMUL (1, 2 and 3 operands, 8/16/32 bits), DIV/IDIV, and
 * #DE (divide by zero, quotient overflow) caught by the IDT handler, which
 * resumes after the faulting instruction.
 */
#include "opsprog.h"

static uint32_t div_fault(uint32_t kind)
{
    uint32_t eip = 0;
    trap_last.vector = 0xff;
    switch (kind) {
    case 0:   /* divide by zero */
        __asm__ volatile("movl $1f, trap_resume\n\t"
                         "movl $0x1000, %%eax\n\txorl %%edx, %%edx\n\t"
                         "xorl %%ecx, %%ecx\n\t"
                         "2: divl %%ecx\n1:\n\tmovl $2b, %0"
                         : "=r"(eip) : : "eax", "ecx", "edx", "memory", "cc");
        break;
    case 1:   /* quotient too big for AL */
        __asm__ volatile("movl $1f, trap_resume\n\t"
                         "movl $0x1000, %%eax\n\tmovb $2, %%cl\n\t"
                         "2: divb %%cl\n1:\n\tmovl $2b, %0"
                         : "=r"(eip) : : "eax", "ecx", "memory", "cc");
        break;
    case 2:   /* IDIV INT_MIN / -1 */
        __asm__ volatile("movl $1f, trap_resume\n\t"
                         "movl $0x80000000, %%eax\n\tcltd\n\t"
                         "movl $-1, %%ecx\n\t"
                         "2: idivl %%ecx\n1:\n\tmovl $2b, %0"
                         : "=r"(eip) : : "eax", "ecx", "edx", "memory", "cc");
        break;
    }
    return trap_last.vector == 0 && trap_last.eip == eip;
}

int main(void)
{
    uint32_t fl;
    op_case c = { { 0xfffffffe, 0xfffffffd, 0 }, 2, { 0 }, 0 };
    op_mull(&c);
    check("mul32_lo", c.out[0], 6);
    check("mul32_hi", c.out[1], 0xfffffffb);
    check("mul32.cf", c.fout & (FL_CF | FL_OF), FL_CF | FL_OF);
    op_case d = { { 0xfffffffe, 0xfffffffd, 0 }, 2, { 0 }, 0 };
    op_imull(&d);
    check("imul32_lo", d.out[0], 6);
    check("imul32_hi", d.out[1], 0);
    check("imul32.cf", d.fout & (FL_CF | FL_OF), 0);
    check("imul8", ops_run(op_imulb, 0x12340080, 0x02, 0, 0, &fl), 0x1234ff00);
    check("imul8.of", fl & (FL_CF | FL_OF), FL_CF | FL_OF);
    check("imul2_32", ops_run(op_imull2, 100000, 100000, 0, 0, &fl),
          0x540be400);
    check("imul2_32.of", fl & (FL_CF | FL_OF), FL_CF | FL_OF);
    check("imul3_32", ops_run(op_imull3, 0, 6, 0, 0, &fl), (uint32_t)-42);
    check("imul3_16", ops_run(op_imulw3, 0xaaaa0000, 3, 0, 0, &fl),
          0xaaaa0384);
    op_case e = { { 0x00000007, 0x10, 0x1 }, 2, { 0 }, 0 };
    op_divl(&e);
    check("div32_q", e.out[0], 0x10000000);
    check("div32_r", e.out[1], 7);
    op_case f = { { (uint32_t)-7, 2, 0xffffffff }, 2, { 0 }, 0 };
    op_idivl(&f);
    check("idiv32_q", f.out[0], (uint32_t)-3);
    check("idiv32_r", f.out[1], (uint32_t)-1);
    op_case g = { { 0xabcd00ff, 0x10, 0 }, 2, { 0 }, 0 };
    op_divb(&g);
    check("div8", g.out[0], 0xabcd0f0f);
    check("de_div0", div_fault(0), 1);
    check("de_div8_overflow", div_fault(1), 1);
    check("de_idiv_min", div_fault(2), 1);
    printf("de count %u\n", trap_last.count);
    ops_print_group(op_forms_muldiv, 0x31337);
    return check_failures ? 1 : 0;
}
