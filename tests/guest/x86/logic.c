/*
 * Guest test: AND/OR/XOR/TEST/NOT, SHL/SHR/SAR/ROL/ROR/RCL/RCR by CL, 1 and
 * imm8 (counts 0, 1, 7, 8, 31, 32 ...), SHLD/SHRD; flags masked to the
 * defined ones (AF after logic ops, OF after multi-bit shifts are not).
 */
#include "opsprog.h"

int main(void)
{
    const uint32_t A = FL_ARITH;
    const uint32_t SZPC = FL_SF | FL_ZF | FL_PF | FL_CF;
    ops_check("and32_clears_cf_of", op_andl, 0xf0f0f0f0, 0x0f0f0f0f,
              FL_CF | FL_OF, 0, A & ~FL_AF, FL_ZF | FL_PF);
    ops_check("or8_sign", op_orb, 0x40, 0x80, 0, 0xc0, A & ~FL_AF,
              FL_SF | FL_PF);
    ops_check("xor16_self", op_xorw, 0x5555abcd, 0xabcd, 0, 0x55550000,
              A & ~FL_AF, FL_ZF | FL_PF);
    ops_check("not32_noflags", op_notl, 0x0f0f0f0f, 0, A, 0xf0f0f0f0, A, A);
    ops_check("shl32_1", op_shll, 0x80000001, 1, 0, 2, A & ~FL_AF, FL_CF | FL_OF);
    ops_check("shl32_0_noflags", op_shll, 0x80000001, 0, FL_ZF | FL_OF,
              0x80000001, A, FL_ZF | FL_OF);
    ops_check("shl32_32_is_0", op_shll, 0x12345678, 32, FL_CF, 0x12345678, A,
              FL_CF);
    ops_check("shr8_7", op_shrb, 0x80, 7, 0, 1, SZPC, 0);
    ops_check("shr8_8", op_shrb, 0xff80, 8, 0, 0xff00, FL_ZF | FL_SF | FL_PF,
              FL_ZF | FL_PF);
    ops_check("sar32_31", op_sarl, 0x80000000, 31, 0, 0xffffffff, SZPC,
              FL_SF | FL_PF);
    ops_check("rol32_8", op_roll, 0x12345678, 8, 0, 0x34567812, FL_CF, 0);
    ops_check("ror32_1", op_rorl, 1, 1, 0, 0x80000000, FL_CF | FL_OF,
              FL_CF | FL_OF);
    ops_check("rcl8_cin", op_rclb, 0x80, 1, FL_CF, 0x01, FL_CF | FL_OF,
              FL_CF | FL_OF);
    ops_check("rcr32_cin", op_rcrl, 0, 1, FL_CF, 0x80000000, FL_CF | FL_OF,
              FL_OF);
    ops_check("rcl8_9_identity", op_rclb, 0x5a, 9, FL_CF, 0x5a, FL_CF, FL_CF);
    {
        uint32_t fl, r = ops_run(op_shldl, 0x12345678, 0x9abcdef0, 8, 0, &fl);
        check("shld32_8", r, 0x3456789a);
        r = ops_run(op_shrdl, 0x12345678, 0x9abcdef0, 8, 0, &fl);
        check("shrd32_8", r, 0xf0123456);
        r = ops_run(op_shrdw, 0xaaaa1234, 0x5678, 4, 0, &fl);
        check("shrd16_4", r, 0xaaaa8123);
        check("shrd16_4.cf", fl & FL_CF, 0);
        r = ops_run(op_shldl5, 0x08000000, 0xf8000000, 0, 0, &fl);
        check("shld32_i5", r, 0x1f);
        check("shld32_i5.cf", fl & FL_CF, FL_CF);
    }
    ops_print_group(op_forms_logic, 0xabcdef1);
    return check_failures ? 1 : 0;
}
