/*
 * Guest test: BT/BTS/BTR/BTC with register, immediate and memory operands
 * (memory bit offsets reaching +-256 bits and a large 32-bit offset), BSF/BSR,
 * BSWAP.  After BT* only CF (and ZF, unchanged) are defined.
 */
#include "opsprog.h"

static uint32_t bitbuf[1024];

int main(void)
{
    uint32_t fl, r;
    r = ops_run(op_btl, 0x80000000, 63, 0, 0, &fl);
    check("bt32_reg_mod32", fl & FL_CF, FL_CF);
    r = ops_run(op_btsl, 0, 36, 0, FL_CF, &fl);
    check("bts32_reg", r, 0x10);
    check("bts32_reg.cf", fl & FL_CF, 0);
    r = ops_run(op_btrw, 0xffff, 17, 0, 0, &fl);
    check("btr16_reg", r, 0xfffd);
    r = ops_run(op_btcl_i, 0, 0, 0, 0, &fl);
    check("btc32_imm13", r, 1 << 13);
    /* memory forms address outside the dword: offset 8000 -> dword 250 */
    bitbuf[250] = 0;
    uint32_t off = 8000 + 5, cf;
    __asm__ volatile("btsl %2, %1\n\tsetc %b0" : "=q"(cf), "+m"(bitbuf[0])
                     : "r"(off) : "cc", "memory");
    check("bts_mem_far", bitbuf[250] | cf << 31, 1 << 5);
    __asm__ volatile("btl %2, %1\n\tsetc %b0" : "=q"(cf) : "m"(bitbuf[0]),
                     "r"(off) : "cc", "memory");
    check("bt_mem_far", cf & 1, 1);
    /* negative offset from the middle of the buffer */
    off = (uint32_t)-33;
    bitbuf[510] = 0;   /* -33 = -64 + 31: dword -2, bit 31 */
    __asm__ volatile("btcl %2, %1\n\tsetc %b0" : "=q"(cf), "+m"(bitbuf[512])
                     : "r"(off) : "cc", "memory");
    check("btc_mem_neg", bitbuf[510], 0x80000000);
    __asm__ volatile("btrl %2, %1\n\tsetc %b0" : "=q"(cf), "+m"(bitbuf[512])
                     : "r"(off) : "cc", "memory");
    check("btr_mem_neg", bitbuf[510] | (cf & 1), 1);
    /* immediate memory form: bit 29 of the dword */
    bitbuf[3] = 0;
    __asm__ volatile("btsl $29, %0" : "+m"(bitbuf[3]) : : "cc");
    check("bts_mem_imm", bitbuf[3], 1u << 29);
    r = ops_run(op_bsfl, 0, 0x00f00000, 0, 0, &fl);
    check("bsf32", r, 20);
    r = ops_run(op_bsrl, 0, 0x00f00000, 0, 0, &fl);
    check("bsr32", r, 23);
    ops_run(op_bsfl, 0, 0, 0, 0, &fl);
    check("bsf32_zero.zf", fl & FL_ZF, FL_ZF);
    r = ops_run(op_bsrw, 0x12340000, 0x8001, 0, 0, &fl);
    check("bsr16", r, 0x1234000f);
    r = ops_run(op_bswap, 0x11223344, 0, 0, 0, &fl);
    check("bswap", r, 0x44332211);
    ops_print_group(op_forms_bitops, 0x777);
    return check_failures ? 1 : 0;
}
