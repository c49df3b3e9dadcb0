/*
 * Guest test: ADD/ADC/SUB/SBB/CMP/INC/DEC/NEG (8/16/32 bits, 0x66 forms,
 * immediates, high-byte registers), XADD, CMPXCHG; flags via PUSHF, masked
 * to the defined ones.  Self-checks use values worked out from the manual.
 */
#include "opsprog.h"

int main(void)
{
    const uint32_t A = FL_ARITH;
    ops_check("add8_of", op_addb, 0x1234567f, 1, 0, 0x12345680, A,
              FL_OF | FL_SF | FL_AF);
    ops_check("add32_carry", op_addl, 0xffffffff, 1, 0, 0, A,
              FL_CF | FL_ZF | FL_PF | FL_AF);
    ops_check("add16_keep_high", op_addw, 0xabcdffff, 1, 0, 0xabcd0000, A,
              FL_CF | FL_ZF | FL_PF | FL_AF);
    ops_check("adc32_cin", op_adcl, 0x7fffffff, 0, FL_CF, 0x80000000, A,
              FL_OF | FL_SF | FL_AF | FL_PF);
    ops_check("adc8_cin_wrap", op_adcb, 0xff, 0xff, FL_CF, 0xff, A,
              FL_CF | FL_SF | FL_AF | FL_PF);
    ops_check("sub32_borrow", op_subl, 0, 1, 0, 0xffffffff, A,
              FL_CF | FL_SF | FL_AF | FL_PF);
    ops_check("sub8_of", op_subb, 0x80, 1, 0, 0x7f, A, FL_OF | FL_AF);
    ops_check("sbb16_bin", op_sbbw, 0x5, 0x5, FL_CF, 0xffff, A,
              FL_CF | FL_SF | FL_AF | FL_PF);
    ops_check("cmp32_eq", op_cmpl, 0x1234, 0x1234, FL_CF, 0x1234, A,
              FL_ZF | FL_PF);
    ops_check("inc32_keeps_cf", op_incl, 0x7fffffff, 0, FL_CF, 0x80000000, A,
              FL_CF | FL_OF | FL_SF | FL_AF | FL_PF);
    ops_check("dec8_zero", op_decb, 0x1, 0, 0, 0, A, FL_ZF | FL_PF);
    ops_check("neg32_zero", op_negl, 0, 0, FL_CF, 0, A, FL_ZF | FL_PF);
    ops_check("neg8_min", op_negb, 0x80, 0, 0, 0x80, A, FL_CF | FL_OF | FL_SF);
    ops_check("addb_hi", op_addb_hi, 0x7f00, 0x0100, 0, 0x8000, A,
              FL_OF | FL_SF | FL_AF);
    ops_check("addl_i8", op_addl_i8, 1, 0, 0, 0xffffffff, A,
              FL_SF | FL_PF);
    {
        uint32_t fl;
        op_case c = { { 5, 7, 5 }, 2, { 0 }, 0 };
        op_cmpxchgl(&c);
        fl = c.fout & FL_ZF;
        check("cmpxchg32_equal", c.out[0] | (fl << 24), 7 | (FL_ZF << 24));
        op_case d = { { 5, 7, 6 }, 2, { 0 }, 0 };
        op_cmpxchgl(&d);
        check("cmpxchg32_differ", d.out[1] | ((d.fout & FL_ZF) << 24), 5);
        op_case x = { { 10, 3, 0 }, 2, { 0 }, 0 };
        op_xaddl(&x);
        check("xadd32", x.out[0] << 16 | x.out[1], 13 << 16 | 10);
    }
    ops_print_group(op_forms_arith, 0x1234567);
    return check_failures ? 1 : 0;
}
