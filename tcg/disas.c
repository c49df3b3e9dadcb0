/*
 * Capstone disassembly for the logs (-d in_asm, -d out_asm) and the golden
 * dumps: one instruction per line, "0x<address>:  mnemonic operands", and a
 * line for any tail Capstone could not decode. Guest and host alike: the
 * caller names the Capstone architecture and mode.
 */
#include <inttypes.h>
#include <capstone.h>
#include "tcg/tcg.h"

bool tcg_disas(FILE *f, int arch, int mode, const void *code, size_t len, uint64_t base,
               const char *indent)
{
    csh h;
    if (arch < 0 || cs_open((cs_arch)arch, (cs_mode)mode, &h) != CS_ERR_OK)
        return false;
    cs_insn *insn;
    size_t n = cs_disasm(h, code, len, base, 0, &insn);
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s0x%08" PRIx64 ":  %-8s %s\n", indent, insn[i].address, insn[i].mnemonic, insn[i].op_str);
        done += insn[i].size;
    }
    if (n)
        cs_free(insn, n);
    if (done < len)
        fprintf(f, "%s0x%08" PRIx64 ":  (%zu bytes Capstone could not decode)\n", indent, base + done,
                len - done);
    cs_close(&h);
    return true;
}
