/*
 * Guest test: DAA/DAS/AAA/AAS/AAM/AAD over all AL values with every AF/CF
 * input (and a few AH values), hashed to one checksum line per instruction
 * and base; flags masked to the defined ones.  AAM 0 must raise #DE.
 */
#include "opsprog.h"

static void sweep(const char *name, op_fn fn, uint32_t mask)
{
    static const uint32_t ah[] = { 0x00, 0x01, 0x09, 0x7f, 0xff };
    uint32_t h = HASH_INIT;
    for (int a = 0; a < 5; a++)
        for (uint32_t al = 0; al < 256; al++)
            for (uint32_t fl = 0; fl < 4; fl++) {
                uint32_t fin = (fl & 1 ? FL_CF : 0) | (fl & 2 ? FL_AF : 0);
                uint32_t fo, r = ops_run(fn, 0xdead0000 | ah[a] << 8 | al, 0,
                                         0, fin, &fo);
                h = hash_u32(hash_u32(h, r), fo & mask);
            }
    printf("%s %08x\n", name, h);
}

int main(void)
{
    const uint32_t SZAPC = FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF;
    sweep("daa", op_daa, SZAPC);
    sweep("das", op_das, SZAPC);
    sweep("aaa", op_aaa, FL_AF | FL_CF);
    sweep("aas", op_aas, FL_AF | FL_CF);
    sweep("aam10", op_aam, FL_SF | FL_ZF | FL_PF);
    sweep("aam16", op_aam16, FL_SF | FL_ZF | FL_PF);
    sweep("aad10", op_aad, FL_SF | FL_ZF | FL_PF);
    sweep("aad7", op_aad7, FL_SF | FL_ZF | FL_PF);
    uint32_t fl;
    /* 0x79 + 0x35 = 0xae; DAA -> 0x14, CF (79 + 35 = 114) */
    check("daa_79_35", ops_run(op_daa, 0xae, 0, 0, 0, &fl), 0x14);
    check("daa_79_35.cf", fl & FL_CF, FL_CF);
    /* 0x35 - 0x47 = 0xee, CF; DAS -> 0x88 CF (35 - 47 = -12 -> 88) */
    check("das_35_47", ops_run(op_das, 0xee, 0, 0, FL_CF, &fl), 0x88);
    check("aaa_0f", ops_run(op_aaa, 0x000f, 0, 0, 0, &fl), 0x0105);
    check("aas_0f", ops_run(op_aas, 0x020f, 0, 0, 0, &fl), 0x0109);
    check("aam_63", ops_run(op_aam, 63, 0, 0, 0, &fl), 0x0603);
    check("aad_0603", ops_run(op_aad, 0x0603, 0, 0, 0, &fl), 63);
    check("aad7_0203", ops_run(op_aad7, 0x0203, 0, 0, 0, &fl), 17);
    uint32_t eip;
    __asm__ volatile("movl $1f, trap_resume\n\tmovl $0x1234, %%eax\n\t"
                     "2: .byte 0xd4, 0\n1:\n\tmovl $2b, %0"
                     : "=r"(eip) : : "eax", "memory", "cc");
    check("aam0_de", trap_last.vector == 0 && trap_last.eip == eip, 1);
    return check_failures ? 1 : 0;
}
