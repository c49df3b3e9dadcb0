/*
 * The x86 decoder checked against Capstone, an oracle nobody here wrote.
 * For every row of frontend/x86/opcodes.def it generates many random
 * instances (random ModRM/SIB/displacement/immediate bytes, random legal
 * prefixes; fixed seed, so runs are reproducible) in 32- and 16-bit mode and
 * compares length, mnemonic and explicit operands; then it checks that encodings the
 * decoder rejects (#UD) are rejected by Capstone too. Known systematic
 * differences of Capstone 4 are in small allowlists keyed by mnemonic, each
 * with its reason; nothing is excused per test case.
 * Prints "ok - decoder/<row>" or "not ok - decoder/<row> <bytes>: why".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "frontend/x86/decode.h"

enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS };
enum { INSTANCES_32 = 160, INSTANCES_16 = 60, INSTANCES_64 = 60, UD_INSTANCES = 24 };

/* ---- allowlists: systematic Capstone 4 differences, by mnemonic ----
 * A mnemonic ending in '*' matches every mnemonic with that prefix. */

enum {
    QK_SKIP_OPS = 1,       /* compare only the first `keep` operands of both */
    QK_REG_SIZE = 2,       /* register sizes differ, numbers must still match */
    QK_IMM10    = 4,       /* Capstone hides the immediate when it is 10 */
    QK_TARGET16 = 8,       /* Capstone truncates branch targets to 16 bits */
    QK_MNEM     = 16,      /* Capstone's mnemonic is wrong; operands still compared */
};
/* When a quirk applies (0: always). */
enum {
    QC_MODE16 = 1,         /* 16-bit mode */
    QC_66_THEN_REP = 2,    /* a 66 prefix before an F2/F3 prefix */
    QC_67_THEN_66 = 4,     /* a 67 prefix before a 66 prefix */
};
typedef struct OperandQuirk {
    const char *cs_mnemonic;
    int what;              /* QK_* */
    int cond;              /* QC_*: any of them, or 0 */
    int keep;              /* QK_SKIP_OPS: operands compared */
    const char *why;
} OperandQuirk;

#define QK_PREFIX_ORDER "Capstone 4 drops a 66/67 prefix followed by another of 66/67/F2/F3 " \
                        "(66 F3 A5 is rep movsw; legacy prefix order does not matter)"
static const OperandQuirk operand_quirks[] = {
    { "nop", QK_SKIP_OPS, 0, 1, "hint NOPs (0F 19-1E): Capstone adds ModRM.reg as a 2nd operand" },
    { "mov", QK_REG_SIZE, 0, 0, "MOV Sreg, r/m: Capstone names the 32-bit register; 16 bits are read" },
    { "lar", QK_REG_SIZE, 0, 0, "LAR Gv, Ew: Capstone names the source at operand size" },
    { "lsl", QK_REG_SIZE, 0, 0, "LSL Gv, Ew: Capstone names the source at operand size" },
    { "movs*", QK_REG_SIZE | QK_MNEM, QC_66_THEN_REP, 0, QK_PREFIX_ORDER },
    { "cmps*", QK_REG_SIZE | QK_MNEM, QC_66_THEN_REP, 0, QK_PREFIX_ORDER },
    { "stos*", QK_REG_SIZE | QK_MNEM, QC_66_THEN_REP, 0, QK_PREFIX_ORDER },
    { "lods*", QK_REG_SIZE | QK_MNEM, QC_66_THEN_REP, 0, QK_PREFIX_ORDER },
    { "scas*", QK_REG_SIZE | QK_MNEM, QC_66_THEN_REP, 0, QK_PREFIX_ORDER },
    { "ins*", QK_REG_SIZE | QK_MNEM, QC_66_THEN_REP, 0, QK_PREFIX_ORDER },
    { "outs*", QK_REG_SIZE | QK_MNEM, QC_66_THEN_REP, 0, QK_PREFIX_ORDER },
    { "jecxz", QK_MNEM, QC_67_THEN_66, 0, QK_PREFIX_ORDER },
    { "jcxz", QK_MNEM, QC_67_THEN_66, 0, QK_PREFIX_ORDER },
    { "cwde", QK_MNEM, QC_MODE16, 0, "Capstone 4 prints 98 as cwde in 16-bit mode (it is cbw)" },
    { "cdq", QK_MNEM, QC_MODE16, 0, "Capstone 4 prints 99 as cdq in 16-bit mode (it is cwd)" },
    { "aam", QK_IMM10, 0, 0, "Capstone prints AAM/AAD with the default base 10 without operand" },
    { "aad", QK_IMM10, 0, 0, "Capstone prints AAM/AAD with the default base 10 without operand" },
    { "j*", QK_TARGET16, QC_MODE16, 0, "16-bit mode: Capstone 4 wraps targets to 16 bits even "
      "with a 66 prefix (CPU: EIP + rel32)" },
    { "call", QK_TARGET16, QC_MODE16, 0, "16-bit mode: Capstone 4 wraps targets to 16 bits" },
    { "loop*", QK_TARGET16, QC_MODE16, 0, "16-bit mode: Capstone 4 wraps targets to 16 bits" },
    { NULL, 0, 0, 0, NULL },
};

/* Valid encodings (real CPUs run them) that Capstone 4 rejects: our
 * mnemonic, the mode (0 = any), why. Length and operands go unchecked. */
typedef struct RejectQuirk {
    const char *mnemonic;
    int mode;
    int reg_form_only;     /* only when ModRM.mod == 3 */
    const char *why;
} RejectQuirk;

static const RejectQuirk reject_quirks[] = {
    { "NOP", 0, 1, "Capstone 4 decodes 0F 1F only with a memory operand; CPUs accept NOP r32" },
    { "POPCNT", 16, 0, "Capstone 4 has no POPCNT in 16-bit mode" },
    { "LFENCE", 0, 1, "Capstone 4 wants r/m = 0 (0F AE E8); CPUs ignore r/m" },
    { "MFENCE", 0, 1, "Capstone 4 wants r/m = 0 (0F AE F0); CPUs ignore r/m" },
    { "SFENCE", 0, 1, "Capstone 4 wants r/m = 0 (0F AE F8); CPUs ignore r/m" },
    { NULL, 0, 0, NULL },
};

/* Encodings we reject with #UD that Capstone 4 decodes: real CPUs reject
 * them too, or they belong to later work (SSE, AVX, VMX...). Matched by
 * Capstone's mnemonic or instruction group, and by how the bytes were made. */
enum { UDV_LOCK = 1, UDV_MODRM = 2, UDV_REGFIELD = 4, UDV_OPCODE = 8, UDV_ANY = 15 };
typedef struct UdQuirk {
    const char *cs_mnemonic;   /* Capstone's mnemonic ('*' suffix: prefix), or NULL */
    int cs_group;              /* X86_GRP_*, or 0 */
    int variants;              /* UDV_* */
    const char *why;
} UdQuirk;

static const UdQuirk ud_quirks[] = {
    { "*", 0, UDV_LOCK, "Capstone 4 does not check where LOCK is allowed (the bytes without "
      "F0 are checked to be valid for us)" },
    { "mov", 0, UDV_REGFIELD, "Capstone 4 accepts MOV to CS, Sreg 6/7 and CR1/CR5-7; CPUs raise #UD" },
    { NULL, X86_GRP_AVX, UDV_MODRM | UDV_OPCODE, "C4/C5 (LES/LDS with mod=3) are VEX: AVX comes later" },
    { NULL, X86_GRP_AVX2, UDV_MODRM | UDV_OPCODE, "VEX: AVX comes later" },
    { NULL, X86_GRP_AVX512, UDV_MODRM | UDV_OPCODE, "62 (BOUND with mod=3) is EVEX: AVX-512 later" },
    { NULL, X86_GRP_FMA, UDV_MODRM | UDV_OPCODE, "VEX/EVEX FMA: later" },
    { NULL, X86_GRP_FMA4, UDV_MODRM | UDV_OPCODE, "VEX/EVEX FMA: later" },
    { NULL, X86_GRP_F16C, UDV_MODRM | UDV_OPCODE, "VEX: later" },
    { NULL, X86_GRP_XOP, UDV_MODRM | UDV_OPCODE, "8F XOP: AMD, not implemented" },
    { NULL, X86_GRP_TBM, UDV_MODRM | UDV_OPCODE, "8F XOP-encoded TBM (BLCMSK...): AMD, not implemented" },
    { NULL, X86_GRP_MMX, UDV_OPCODE, "MMX comes with the SSE issue" },
    { NULL, X86_GRP_SSE1, UDV_OPCODE, "SSE comes later" },
    { NULL, X86_GRP_SSE2, UDV_OPCODE, "SSE comes later" },
    { NULL, X86_GRP_SSE3, UDV_OPCODE, "SSE comes later" },
    { NULL, X86_GRP_SSSE3, UDV_OPCODE, "SSE comes later" },
    { NULL, X86_GRP_SSE41, UDV_OPCODE, "SSE comes later" },
    { NULL, X86_GRP_SSE42, UDV_OPCODE, "SSE comes later" },
    { NULL, X86_GRP_SSE4A, UDV_OPCODE, "SSE comes later" },
    { NULL, X86_GRP_3DNOW, UDV_OPCODE, "AMD 3DNow!: not implemented" },
    { "vm*", 0, UDV_ANY, "VMX/SVM instructions: not emulated (no virtualization extensions)" },
    { "invept", 0, UDV_OPCODE, "VMX: not emulated" },
    { "invvpid", 0, UDV_OPCODE, "VMX: not emulated" },
    { "getsec", 0, UDV_OPCODE, "SMX: not emulated" },
    { "syscall", 0, UDV_OPCODE, "SYSCALL/SYSRET: AMD legacy mode only; 64-bit issue" },
    { "sysret", 0, UDV_OPCODE, "SYSCALL/SYSRET: AMD legacy mode only; 64-bit issue" },
    { "femms", 0, UDV_OPCODE, "AMD 3DNow!: not implemented" },
    { "prefetch", 0, UDV_OPCODE, "0F 0D AMD prefetch: not in the table yet" },
    { "prefetchw", 0, UDV_OPCODE, "0F 0D AMD prefetch: not in the table yet" },
    { "ud2b", 0, UDV_OPCODE, "UD1 (0F B9): #UD either way" },
    { "ud0", 0, UDV_OPCODE, "UD0 (0F FF): #UD either way" },
    { "xcrypt*", 0, UDV_OPCODE, "VIA PadLock: not emulated" },
    { "xstore*", 0, UDV_OPCODE, "VIA PadLock: not emulated" },
    { "montmul", 0, UDV_OPCODE, "VIA PadLock: not emulated" },
    { "xsha*", 0, UDV_OPCODE, "VIA PadLock: not emulated" },
    { "movhlps", 0, UDV_MODRM, "66 0F 12 with mod=3 (MOVLPD has no register form): #UD on CPUs, "
      "Capstone 4 ignores the 66" },
    { "movlhps", 0, UDV_MODRM, "66 0F 16 with mod=3 (MOVHPD has no register form): #UD on CPUs, "
      "Capstone 4 ignores the 66" },
    { "fxsave", 0, UDV_ANY, "0F AE x87/SSE state: comes with the FPU" },
    { "fxrstor", 0, UDV_ANY, "0F AE x87/SSE state: comes with the FPU" },
    { "ldmxcsr", 0, UDV_ANY, "SSE state: later" },
    { "stmxcsr", 0, UDV_ANY, "SSE state: later" },
    { "xsavec*", 0, UDV_ANY, "XSAVEC (0F C7 /4): not implemented (CPUID.(0DH,1) says so)" },
    { "xsaves*", 0, UDV_ANY, "XSAVES (0F C7 /5): not implemented (CPUID.(0DH,1) says so)" },
    { "xrstors*", 0, UDV_ANY, "XRSTORS (0F C7 /3): not implemented (CPUID.(0DH,1) says so)" },
    { "clflushopt", 0, UDV_ANY, "not in the table yet" },
    { "clwb", 0, UDV_ANY, "not in the table yet" },
    { "rdfsbase", 0, UDV_ANY, "64-bit only (FSGSBASE)" },
    { "rdgsbase", 0, UDV_ANY, "64-bit only (FSGSBASE)" },
    { "wrfsbase", 0, UDV_ANY, "64-bit only (FSGSBASE)" },
    { "wrgsbase", 0, UDV_ANY, "64-bit only (FSGSBASE)" },
    { "rdrand", 0, UDV_ANY, "0F C7 /6 reg: not in the table yet" },
    { "rdseed", 0, UDV_ANY, "0F C7 /7 reg: not in the table yet" },
    { "movnti", 0, UDV_OPCODE, "SSE2: later" },
    /* 0F 01 with mod=3: instructions after the Pentium */
    { "monitor*", 0, UDV_MODRM, "0F 01 mod=3 (SSE3 MONITOR): not implemented" },
    { "mwait*", 0, UDV_MODRM, "0F 01 mod=3 (SSE3 MWAIT): not implemented" },
    { "clac", 0, UDV_MODRM, "0F 01 CA (SMAP): not implemented" },
    { "stac", 0, UDV_MODRM, "0F 01 CB (SMAP): not implemented" },
    { "encl*", 0, UDV_MODRM, "SGX: not emulated" },
    { "xend", 0, UDV_MODRM, "TSX: not emulated" },
    { "xtest", 0, UDV_MODRM, "TSX: not emulated" },
    { "stgi", 0, UDV_MODRM, "SVM: not emulated" },
    { "clgi", 0, UDV_MODRM, "SVM: not emulated" },
    { "skinit", 0, UDV_MODRM, "SVM: not emulated" },
    { "invlpga", 0, UDV_MODRM, "SVM: not emulated" },
    { "swapgs", 0, UDV_MODRM, "64-bit only" },
    { "rdtscp", 0, UDV_MODRM, "0F 01 F9: not in the table yet" },
    { "xabort", 0, UDV_OPCODE, "C6 F8 (TSX): not emulated" },
    { "xbegin", 0, UDV_OPCODE, "C7 F8 (TSX): not emulated" },
    { "clzero", 0, UDV_MODRM, "AMD: not emulated" },
    { "rdpkru", 0, UDV_MODRM, "PKU: not emulated" },
    { "wrpkru", 0, UDV_MODRM, "PKU: not emulated" },
    { NULL, 0, 0, NULL },
};

/* Capstone's mnemonic carries the prefixes ("rep stosd"): match the last word. */
static bool mnemonic_matches(const char *pattern, const char *mn)
{
    size_t n = strlen(pattern);
    const char *sp = strrchr(mn, ' ');
    if (sp) {
        mn = sp + 1;
    }
    if (n && pattern[n - 1] == '*') {
        return !strncmp(pattern, mn, n - 1);
    }
    return !strcmp(pattern, mn);
}

/* ---- deterministic random numbers ---- */

typedef struct Rng { uint64_t s; } Rng;

static uint32_t rng_next(Rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (uint32_t)(r->s >> 11);
}

static int rng_below(Rng *r, int n)
{
    return (int)(rng_next(r) % (uint32_t)n);
}

/* ---- fetch from a byte buffer ---- */

typedef struct Buf { uint8_t b[32]; int len; } Buf;

static uint8_t buf_fetch(void *opaque, uint64_t pc)
{
    const Buf *buf = opaque;
    return pc < sizeof(buf->b) ? buf->b[pc] : 0;
}

static void hex(const uint8_t *b, int n, char *out, size_t size)
{
    size_t k = 0;
    out[0] = 0;
    for (int i = 0; i < n && k + 4 < size; i++) {
        k += snprintf(out + k, size - k, "%s%02x", i ? " " : "", b[i]);
    }
}

/* ---- comparable operands ---- */

enum { CO_REG, CO_SEG, CO_CR, CO_DR, CO_IMM, CO_MEM, CO_MMX, CO_XMM };
typedef struct CmpOp {
    int type;
    int reg, size;         /* REG: number (AH..BH = 4..7 + high8), size in bytes */
    int high8;
    int jump;              /* IMM: a branch target */
    uint64_t imm;
    int base, index, scale, seg;   /* MEM: -1 none, -2 IP-relative; scale 1..8 */
    uint64_t disp;
} CmpOp;

/* Capstone register -> class/number/size, parsed from its name. */
static int cs_reg_parse(csh h, int reg, CmpOp *o)
{
    static const char *const g32[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    static const char *const g16[8] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di" };
    static const char *const g8[8] = { "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh" };
    static const char *const g64[8] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi" };
    static const char *const sg[6] = { "es", "cs", "ss", "ds", "fs", "gs" };
    const char *n = cs_reg_name(h, reg);
    memset(o, 0, sizeof(*o));
    if (!n) {
        return -1;
    }
    for (int i = 0; i < 8; i++) {
        if (!strcmp(n, g32[i])) { o->type = CO_REG; o->reg = i; o->size = 4; return 0; }
        if (!strcmp(n, g16[i])) { o->type = CO_REG; o->reg = i; o->size = 2; return 0; }
        if (!strcmp(n, g64[i])) { o->type = CO_REG; o->reg = i; o->size = 8; return 0; }
        if (!strcmp(n, g8[i])) { o->type = CO_REG; o->reg = i; o->size = 1; o->high8 = i >= 4; return 0; }
    }
    for (int i = 0; i < 6; i++) {
        if (!strcmp(n, sg[i])) { o->type = CO_SEG; o->reg = i; o->size = 2; return 0; }
    }
    if (n[0] == 'r' && n[1] >= '0' && n[1] <= '9') {      /* r8 .. r15[dwb] */
        char *end;
        o->type = CO_REG;
        o->reg = (int)strtol(n + 1, &end, 10);
        o->size = *end == 'd' ? 4 : *end == 'w' ? 2 : *end == 'b' ? 1 : 8;
        return 0;
    }
    static const char *const rex8[4] = { "spl", "bpl", "sil", "dil" };
    for (int i = 0; i < 4; i++) {
        if (!strcmp(n, rex8[i])) { o->type = CO_REG; o->reg = 4 + i; o->size = 1; return 0; }
    }
    if (!strncmp(n, "xmm", 3)) { o->type = CO_XMM; o->reg = atoi(n + 3); return 0; }
    if (!strncmp(n, "mm", 2)) { o->type = CO_MMX; o->reg = atoi(n + 2); return 0; }
    if (!strncmp(n, "cr", 2)) { o->type = CO_CR; o->reg = atoi(n + 2); return 0; }
    if (!strncmp(n, "st(", 3) || (n[0] == 's' && n[1] == 't' && n[2] >= '0' && n[2] <= '7')) {
        o->type = CO_REG; o->reg = 32 + atoi(n + (n[2] == '(' ? 3 : 2)); o->size = 10; return 0;
    }
    if (!strncmp(n, "dr", 2)) { o->type = CO_DR; o->reg = atoi(n + 2); return 0; }
    if (!strcmp(n, "eip") || !strcmp(n, "rip") || !strcmp(n, "ip")) {
        o->type = CO_REG; o->reg = -2; return 0;
    }
    return -1;
}

static uint64_t mask_bytes(uint64_t v, int n)
{
    return n >= 8 ? v : v & ((1ull << (8 * n)) - 1);
}

static int our_operands(const X86Insn *in, CmpOp *out)
{
    int n = 0;
    for (int i = 0; i < in->nb_ops; i++) {
        const X86Operand *op = &in->ops[i];
        int kind = in->entry->ops[i];
        CmpOp *o = &out[n++];
        memset(o, 0, sizeof(*o));
        switch (op->type) {
        case X86_OPT_REG:
            o->type = CO_REG; o->reg = op->reg; o->size = op->size; o->high8 = op->high8;
            break;
        case X86_OPT_SEG: o->type = CO_SEG; o->reg = op->reg; o->size = 2; break;
        case X86_OPT_ST: o->type = CO_REG; o->reg = 32 + op->reg; o->size = 10; break;
        case X86_OPT_CR: o->type = CO_CR; o->reg = op->reg; break;
        case X86_OPT_DR: o->type = CO_DR; o->reg = op->reg; break;
        case X86_OPT_MMX: o->type = CO_MMX; o->reg = op->reg; break;
        case X86_OPT_XMM: o->type = CO_XMM; o->reg = op->reg; break;
        case X86_OPT_IMM:
            o->type = CO_IMM;
            if (kind == OPK_Jb || kind == OPK_Jz) {
                o->jump = 1;
                o->size = in->opsize == 2 ? 2 : 4;
                o->size = in->mode == 64 && in->opsize != 2 ? 8 : o->size;
                o->imm = mask_bytes(in->pc + in->len + op->imm, o->size);
            } else {
                o->size = op->size;
                o->imm = mask_bytes(op->imm, op->size);
            }
            break;
        case X86_OPT_FAR:
            o->type = CO_IMM; o->imm = op->far_seg; o->size = 2;
            o = &out[n++];
            memset(o, 0, sizeof(*o));
            o->type = CO_IMM; o->imm = op->imm; o->size = op->size - 2;
            break;
        case X86_OPT_MEM:
            o->type = CO_MEM;
            if (kind == OPK_Xb || kind == OPK_Xv || kind == OPK_Yb || kind == OPK_Yv) {
                bool y = kind == OPK_Yb || kind == OPK_Yv;
                o->base = y ? 7 : 6; o->index = -1; o->scale = 1; o->disp = 0;
                /* Capstone shows ES: for eDI except in 64-bit mode (flat) */
                o->seg = y ? (in->mode == 64 ? -1 : SEG_ES) : in->seg_override;
            } else {
                o->base = in->addr.base; o->index = in->addr.index;
                o->scale = in->addr.index >= 0 ? 1 << in->addr.scale : 1;
                o->disp = mask_bytes((uint64_t)in->addr.disp, in->addrsize);
                o->seg = in->seg_override;
            }
            break;
        default:
            break;
        }
    }
    return n;
}

static int cs_operands(csh h, const cs_insn *ci, const X86Insn *in, CmpOp *out)
{
    const cs_x86 *x = &ci->detail->x86;
    for (int i = 0; i < x->op_count; i++) {
        const cs_x86_op *op = &x->operands[i];
        CmpOp *o = &out[i];
        memset(o, 0, sizeof(*o));
        switch (op->type) {
        case X86_OP_REG:
            if (cs_reg_parse(h, op->reg, o) < 0) {
                o->type = -1;
            }
            break;
        case X86_OP_IMM:
            o->type = CO_IMM;
            o->imm = (uint64_t)op->imm;     /* masked to our operand's size */
            break;
        case X86_OP_MEM: {
            CmpOp r;
            o->type = CO_MEM;
            o->base = o->index = o->seg = -1;
            if (op->mem.base != X86_REG_INVALID && cs_reg_parse(h, op->mem.base, &r) == 0) {
                o->base = r.reg;
            }
            if (op->mem.index != X86_REG_INVALID && cs_reg_parse(h, op->mem.index, &r) == 0) {
                o->index = r.reg;
            }
            if (op->mem.segment != X86_REG_INVALID && cs_reg_parse(h, op->mem.segment, &r) == 0) {
                o->seg = r.reg;
            }
            o->scale = o->index >= 0 ? op->mem.scale : 1;
            o->disp = mask_bytes((uint64_t)op->mem.disp, in->addrsize);
            break;
        }
        default:
            o->type = -1;
        }
    }
    return x->op_count;
}

static const char *const co_names[] = { "reg", "seg", "cr", "dr", "imm", "mem", "mm", "xmm" };

static int cmp_op(const CmpOp *a, const CmpOp *b, char *why, size_t size, int i)
{
    if (a->type != b->type) {
        snprintf(why, size, "operand %d: %s vs capstone %s", i + 1,
                 a->type >= 0 ? co_names[a->type] : "?", b->type >= 0 ? co_names[b->type] : "?");
        return 1;
    }
    switch (a->type) {
    case CO_REG:
        if (a->reg != b->reg || a->size != b->size || a->high8 != b->high8) {
            snprintf(why, size, "operand %d: reg %d/%d%s vs capstone %d/%d%s", i + 1, a->reg,
                     a->size, a->high8 ? "h" : "", b->reg, b->size, b->high8 ? "h" : "");
            return 1;
        }
        return 0;
    case CO_SEG: case CO_CR: case CO_DR: case CO_MMX: case CO_XMM:
        if (a->reg != b->reg) {
            snprintf(why, size, "operand %d: %s%d vs capstone %d", i + 1, co_names[a->type],
                     a->reg, b->reg);
            return 1;
        }
        return 0;
    case CO_IMM:
        if (a->imm != b->imm) {
            snprintf(why, size, "operand %d: imm 0x%" PRIx64 " vs capstone 0x%" PRIx64, i + 1,
                     a->imm, b->imm);
            return 1;
        }
        return 0;
    case CO_MEM:
        if (a->base != b->base || a->index != b->index || a->scale != b->scale ||
            a->disp != b->disp || a->seg != b->seg) {
            snprintf(why, size, "operand %d: mem seg %d base %d index %d*%d disp 0x%" PRIx64
                     " vs capstone seg %d base %d index %d*%d disp 0x%" PRIx64, i + 1,
                     a->seg, a->base, a->index, a->scale, a->disp,
                     b->seg, b->base, b->index, b->scale, b->disp);
            return 1;
        }
        return 0;
    }
    return 0;
}

static int operand_quirks_for(const char *mn, int cond)
{
    int what = 0;
    for (const OperandQuirk *q = operand_quirks; q->cs_mnemonic; q++) {
        if (mnemonic_matches(q->cs_mnemonic, mn) && (!q->cond || (q->cond & cond))) {
            what |= q->what;
        }
    }
    return what;
}

static int operand_quirk_keep(const char *mn)
{
    for (const OperandQuirk *q = operand_quirks; q->cs_mnemonic; q++) {
        if ((q->what & QK_SKIP_OPS) && mnemonic_matches(q->cs_mnemonic, mn)) {
            return q->keep;
        }
    }
    return 3;
}

/* QC_* conditions of one encoding, from its legacy prefix bytes. */
static int instance_conditions(const Buf *b, int mode)
{
    int cond = mode == 16 ? QC_MODE16 : 0;
    bool seen66 = false, seen67 = false;
    for (int i = 0; i < b->len; i++) {
        uint8_t x = b->b[i];
        if (x == 0x66) {
            seen66 = true;
            cond |= seen67 ? QC_67_THEN_66 : 0;
        } else if (x == 0x67) {
            seen67 = true;
        } else if (x == 0xf2 || x == 0xf3) {
            cond |= seen66 ? QC_66_THEN_REP : 0;
        } else if (x != 0xf0 && x != 0x26 && x != 0x2e && x != 0x36 && x != 0x3e &&
                   x != 0x64 && x != 0x65) {
            break;
        }
    }
    return cond;
}

static const UdQuirk *find_ud_quirk(const cs_insn *ci, int variant)
{
    for (const UdQuirk *q = ud_quirks; q->why; q++) {
        if (!(q->variants & variant)) {
            continue;
        }
        if (q->cs_mnemonic && mnemonic_matches(q->cs_mnemonic, ci->mnemonic)) {
            return q;
        }
        if (q->cs_group) {
            for (int g = 0; g < ci->detail->groups_count; g++) {
                if (ci->detail->groups[g] == q->cs_group) {
                    return q;
                }
            }
        }
    }
    return NULL;
}

static const RejectQuirk *find_reject_quirk(const X86Insn *in)
{
    for (const RejectQuirk *q = reject_quirks; q->mnemonic; q++) {
        if (!strcmp(q->mnemonic, in->entry->mnemonic) && (!q->mode || q->mode == in->mode) &&
            (!q->reg_form_only || (in->has_modrm && in->mod == 3))) {
            return q;
        }
    }
    return NULL;
}

/* Our printed mnemonic (x86_format_insn, prefixes dropped) against
 * Capstone's; spellings that differ on purpose are aliased here. */
static const char *const mnemonic_aliases[][2] = {
    { "callf", "lcall" }, { "jmpf", "ljmp" },     /* AT&T-style names in Capstone */
    { "pushad", "pushal" }, { "popad", "popal" }, { "pusha", "pushaw" }, { "popa", "popaw" },
    { "xlat", "xlatb" },
    { "shl", "sal" },                             /* /6 is SAL, an alias of SHL */
    { "prefetchh", "prefetchnta" }, { "prefetchh", "prefetcht0" },
    { "prefetchh", "prefetcht1" }, { "prefetchh", "prefetcht2" },
    { "retf", "retfq" },                           /* with REX.W */
    { "mov", "movabs" },                          /* 64-bit moffs and imm64 forms */
    { "fneni", "feni8087_nop" }, { "fndisi", "fdisi8087_nop" },   /* DB E0/E1/E4: no-ops since the 387 */
    { "fnsetpm", "fsetpm" },
};

static bool mnemonic_agrees(const X86Insn *in, const char *cs_mn)
{
    char text[128], ours[32];
    const char *sp = strrchr(cs_mn, ' ');
    const char *theirs = sp ? sp + 1 : cs_mn;
    const char *p = text;
    x86_format_insn(in, text, sizeof(text));
    for (;;) {
        /* skip our prefixes */
        if (!strncmp(p, "lock ", 5)) { p += 5; continue; }
        if (!strncmp(p, "rep ", 4)) { p += 4; continue; }
        if (!strncmp(p, "repe ", 5)) { p += 5; continue; }
        if (!strncmp(p, "repne ", 6)) { p += 6; continue; }
        break;
    }
    size_t k = strcspn(p, " ");
    snprintf(ours, sizeof(ours), "%.*s", (int)k, p);
    if (!strcmp(ours, theirs)) {
        return true;
    }
    for (size_t i = 0; i < sizeof(mnemonic_aliases) / sizeof(mnemonic_aliases[0]); i++) {
        if (!strcmp(ours, mnemonic_aliases[i][0]) && !strcmp(theirs, mnemonic_aliases[i][1])) {
            return true;
        }
    }
    return false;
}

static bool row_has_kind(const X86OpcodeEntry *e, int lo, int hi);

/* Compare one valid encoding; returns 0 or fills why. */
static int check_valid(csh h, const X86OpcodeEntry *row, const Buf *b, int mode, char *why,
                       size_t size)
{
    X86Insn in;
    cs_insn *ci;
    X86DecodeResult r = x86_decode(&in, mode, 0, buf_fetch, (void *)b);
    size_t n = cs_disasm(h, b->b, b->len, 0, 1, &ci);
    bool length_only = r == X86_DECODE_UD && in.entry && (in.entry->flags & X86F_INVALID);
    if (r != X86_DECODE_OK && !length_only) {
        snprintf(why, size, "%d-bit: we say %s, capstone %s", mode,
                 r == X86_DECODE_UD ? "#UD" : "too long", n ? ci->mnemonic : "invalid");
        if (n) {
            cs_free(ci, n);
        }
        return 1;
    }
    if (in.entry != row) {
        snprintf(why, size, "%d-bit: decoded as row %s", mode, in.entry ? in.entry->mnemonic : "?");
        if (n) {
            cs_free(ci, n);
        }
        return 1;
    }
    /* Capstone 4 ignores mandatory prefixes in 16-bit mode (66 0F 58 prints
     * as addps, F3 0F BC as bsf) or rejects the SSE3+ rows there: only
     * the length is compared, when Capstone decodes anything at all */
    bool cs16_pfx = mode == 16 && row->pfx != PFX_NONE;
    if (!n && cs16_pfx) {
        return 0;
    }
    if (!n) {
        /* x87 rows are placeholders: undefined x87 forms are fine to miss */
        if (length_only || find_reject_quirk(&in)) {
            return 0;
        }
        snprintf(why, size, "%d-bit: capstone rejects it", mode);
        return 1;
    }
    int ret = 0;
    if (ci->size != in.len) {
        snprintf(why, size, "%d-bit: length %d vs capstone %d (%s %s)", mode, in.len, ci->size,
                 ci->mnemonic, ci->op_str);
        ret = 1;
    } else if (cs16_pfx) {
        ret = 0;
    } else if (r == X86_DECODE_OK && !mnemonic_agrees(&in, ci->mnemonic) &&
               !(operand_quirks_for(ci->mnemonic, instance_conditions(b, mode)) & QK_MNEM)) {
        char text[128];
        x86_format_insn(&in, text, sizeof(text));
        snprintf(why, size, "%d-bit: we print \"%s\", capstone \"%s %s\"", mode, text,
                 ci->mnemonic, ci->op_str);
        ret = 1;
    } else if (r == X86_DECODE_OK) {
        CmpOp ours[4], theirs[8];
        int no = our_operands(&in, ours);
        int nt = cs_operands(h, ci, &in, theirs);
        int qk = operand_quirks_for(ci->mnemonic, instance_conditions(b, mode));
        /* Capstone 4 leaves out an implicit ST(0) in some x87 forms (fadd st(1),
         * faddp st(2)) and shows it in others (fcom st(0), st(4) for DC D4):
         * when the counts differ by one, ST(0) first or last on the longer
         * side is dropped before comparing. */
        if (in.entry->map == 0 && (in.entry->opcode & 0xf8) == 0xd8 && (no - nt == 1 || nt - no == 1)) {
            CmpOp *l = no > nt ? ours : theirs;
            int *ln = no > nt ? &no : &nt;
            if (l[0].type == CO_REG && l[0].reg == 32) {
                memmove(&l[0], &l[1], sizeof(CmpOp) * (size_t)(*ln - 1));
                (*ln)--;
            } else if (l[*ln - 1].type == CO_REG && l[*ln - 1].reg == 32) {
                (*ln)--;
            }
        }
        if (qk & QK_SKIP_OPS) {
            int keep = operand_quirk_keep(ci->mnemonic);
            no = no < keep ? no : keep;
            nt = nt < keep ? nt : keep;
        }
        /* CMPPS/PD/SS/SD with predicate < 8: Capstone prints the pseudo-op
         * (cmpltps) without the immediate, as we do; the predicate is in
         * the mnemonic, compared above */
        if (in.nb_ops == 3 && !strncmp(in.entry->mnemonic, "CMP", 3) &&
            strlen(in.entry->mnemonic) == 5 && in.ops[2].imm < 8 && nt == 2) {
            no = 2;
        }
        if ((qk & QK_IMM10) && nt == 0 && no == 1 && ours[0].type == CO_IMM && ours[0].imm == 10) {
            no = 0;
        }
        for (int i = 0; i < no && i < nt; i++) {
            if ((qk & QK_REG_SIZE) && ours[i].type == CO_REG && theirs[i].type == CO_REG) {
                theirs[i].size = ours[i].size;
            }
            if (ours[i].type == CO_IMM) {
                int sz = ours[i].size;
                if ((qk & QK_TARGET16) && ours[i].jump) {
                    sz = 2;
                    ours[i].imm = mask_bytes(ours[i].imm, 2);
                }
                theirs[i].imm = mask_bytes(theirs[i].imm, sz);
            }
        }
        if (no != nt) {
            snprintf(why, size, "%d-bit: %d operands vs capstone %d (%s %s)", mode, no, nt,
                     ci->mnemonic, ci->op_str);
            ret = 1;
        }
        for (int i = 0; !ret && i < no; i++) {
            ret = cmp_op(&ours[i], &theirs[i], why, size, i);
            if (ret) {
                size_t k = strlen(why);
                snprintf(why + k, size - k, " (%d-bit; capstone: %s %s)", mode, ci->mnemonic,
                         ci->op_str);
            }
        }
    }
    cs_free(ci, n);
    return ret;
}

/* An encoding we reject must be rejected by Capstone (or be allowlisted);
 * variant says how the bytes were made (UDV_*). */
static int check_ud(csh h, const Buf *b, int mode, int variant, char *why, size_t size)
{
    X86Insn in;
    cs_insn *ci;
    X86DecodeResult r = x86_decode(&in, mode, 0, buf_fetch, (void *)b);
    if (r != X86_DECODE_UD) {
        snprintf(why, size, "%d-bit: expected #UD, decoder says %s", mode,
                 r == X86_DECODE_OK ? "valid" : "too long");
        return 1;
    }
    if (variant == UDV_LOCK) {
        /* the same bytes without the LOCK prefix must be fine */
        Buf nolock = *b;
        memmove(nolock.b, nolock.b + 1, sizeof(nolock.b) - 1);
        nolock.len--;
        if (x86_decode(&in, mode, 0, buf_fetch, &nolock) != X86_DECODE_OK) {
            snprintf(why, size, "%d-bit: #UD even without LOCK", mode);
            return 1;
        }
    }
    size_t n = cs_disasm(h, b->b, b->len, 0, 1, &ci);
    if (!n) {
        return 0;
    }
    int ret = 0;
    if (!find_ud_quirk(ci, variant)) {
        snprintf(why, size, "%d-bit: #UD for us, capstone decodes %s %s", mode, ci->mnemonic,
                 ci->op_str);
        ret = 1;
    }
    cs_free(ci, n);
    return ret;
}

/* ---- instance generation ---- */

static bool row_has_kind(const X86OpcodeEntry *e, int lo, int hi)
{
    for (int i = 0; i < 3; i++) {
        if (e->ops[i] >= lo && e->ops[i] <= hi) {
            return true;
        }
    }
    return false;
}

static bool row_mem_only(const X86OpcodeEntry *e)
{
    return (e->flags & X86F_MODRM_MEM_ONLY) || row_has_kind(e, OPK_M, OPK_Ma);
}

static bool row_uses_memory(const X86OpcodeEntry *e)
{
    return (e->flags & X86F_MODRM) || row_has_kind(e, OPK_Ob, OPK_Yv) ||
           !strcmp(e->mnemonic, "XLAT");
}

static bool row_uses_addrsize(const X86OpcodeEntry *e)
{
    return row_uses_memory(e) || !strcmp(e->mnemonic, "JECXZ") ||
           !strncmp(e->mnemonic, "LOOP", 4);
}

/* 66 on the 0F rows without an operand-size operand makes other
 * instructions (66 0F AE /7 is CLFLUSHOPT): only where it means opsize. */
static bool row_takes_66(const X86OpcodeEntry *e)
{
    if (e->flags & X86F_BYTEOP) {
        return false;
    }
    if (row_has_kind(e, OPK_Pq, OPK_Edw)) {
        return false;    /* MMX/SSE: 66 selects another row (MOVD mm vs MOVD xmm) */
    }
    if (e->map == 0 || !strcmp(e->mnemonic, "PUSH") || !strcmp(e->mnemonic, "POP")) {
        return true;
    }
    for (int i = 0; i < 3; i++) {
        switch (e->ops[i]) {
        case OPK_Ev: case OPK_Gv: case OPK_Ey: case OPK_Iz: case OPK_Iv: case OPK_Ibs:
        case OPK_Jz: case OPK_Mp: case OPK_Zv:
            return true;
        default:
            break;
        }
    }
    return false;
}

static void put_opcode(Buf *b, const X86OpcodeEntry *e)
{
    if (e->map >= 1) {
        b->b[b->len++] = 0x0f;
    }
    if (e->map == 2) {
        b->b[b->len++] = 0x38;
    } else if (e->map == 3) {
        b->b[b->len++] = 0x3a;
    }
    b->b[b->len++] = e->opcode;
}

static void fill_tail(Buf *b, Rng *rng)
{
    while (b->len < (int)sizeof(b->b)) {
        b->b[b->len++] = (uint8_t)rng_next(rng);
    }
}

static uint8_t random_modrm(Rng *rng, const X86OpcodeEntry *e, bool lock)
{
    int mod = rng_below(rng, 4), reg = rng_below(rng, 8), rm = rng_below(rng, 8);
    if (row_mem_only(e) || lock) {
        mod = rng_below(rng, 3);
    }
    if (e->flags & X86F_MODRM_REG_ONLY) {
        mod = 3;
    }
    if (e->ext >= 0) {
        reg = e->ext;
    }
    if (e->flags & X86F_MODRM_RM) {
        rm = (int)X86F_RM_VALUE(e->flags);
    }
    for (int i = 0; i < 3; i++) {
        if (e->ops[i] == OPK_Sw) {
            reg = rng_below(rng, 6);
            if (i == 0 && reg == SEG_CS) {
                reg = SEG_DS;
            }
        } else if (e->ops[i] == OPK_Cd) {
            static const int crs[4] = { 0, 2, 3, 4 };
            reg = crs[rng_below(rng, 4)];
        }
    }
    /* x87 forms named by the whole ModRM: only the r/m values that exist */
    while ((e->flags & X86F_X87_RM) && !x86_x87_rm_mnemonic(e->opcode, (uint8_t)(mod << 6 | reg << 3 | rm))) {
        rm = rng_below(rng, 8);
    }
    return (uint8_t)(mod << 6 | reg << 3 | rm);
}

/* A random valid instance of row e: legal prefixes in random order. */
static void gen_instance(Rng *rng, const X86OpcodeEntry *e, int mode, Buf *b)
{
    uint8_t pfx[6];
    int np = 0;
    static const uint8_t segs[6] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };
    bool lock = (e->flags & X86F_LOCK) && rng_below(rng, 3) == 0;
    int rex = 0;

    /* 64-bit mode: a REX right before the opcode, but not the combinations
     * that CPUs and Capstone 4 disagree on or that make another instruction:
     * no REX.W where it does not mean operand size (0F AE /7 with REX.W is
     * CLFLUSHOPT for Capstone, 0F C7 /1 is CMPXCHG16B) nor on I/O and
     * branches (ignored by CPUs, misread by Capstone 4: 67 REX.W E3 is not
     * JRCXZ, REX.W 6D is not INSW), no REX.R on Sreg,
     * CRn, DRn (Capstone rejects REX.R with Sreg; CR9+ and DR8+ are #UD),
     * no REX.B on 90 (XCHG r8: a fixed case), no 66 together with REX.W
     * (REX.W wins on CPUs; Capstone 4 gets it wrong) nor on near branches
     * (Intel ignores 66 there, AMD honours it). */
    if (mode == 64 && rng_below(rng, 2)) {
        rex = 0x40 | rng_below(rng, 16);
        if ((!row_takes_66(e) || (e->flags & (X86F_IO | X86F_JUMP))) &&
            strcmp(e->mnemonic, "CMPXCHG8B") != 0) {   /* REX.W: CMPXCHG16B, a row of its own meaning */
            rex &= ~8;
        }
        if (row_has_kind(e, OPK_Cd, OPK_Sw)) {
            rex &= ~4;
        }
        if (e->map == 0 && e->opcode == 0x90) {
            rex &= ~1;
        }
    }
    /* MOVSXD without REX.W is MOVSXD r32, r/m32 (SDM); Capstone 4 prints a
     * 64-bit destination: generate the REX.W form only */
    if (mode == 64 && !strcmp(e->mnemonic, "MOVSXD")) {
        rex |= 0x48;
    }
    bool no66 = mode == 64 && ((rex & 8) || (e->flags & X86F_JUMP));

    b->len = 0;
    if (row_uses_memory(e) && rng_below(rng, 3) == 0) {
        pfx[np++] = segs[rng_below(rng, 6)];
        if (rng_below(rng, 8) == 0) {
            pfx[np++] = segs[rng_below(rng, 6)];   /* the last one wins */
        }
    }
    if (row_takes_66(e) && !no66 && rng_below(rng, 4) == 0) {
        pfx[np++] = 0x66;
    }
    if (row_uses_addrsize(e) && rng_below(rng, 4) == 0 && np < 3) {
        pfx[np++] = 0x67;
    }
    if (lock && np < 3) {
        pfx[np++] = 0xf0;
    } else {
        lock = false;
    }
    if ((e->flags & (X86F_REP | X86F_REPZ)) && rng_below(rng, 2) == 0 && np < 3) {
        pfx[np++] = (e->flags & X86F_REPZ) && rng_below(rng, 2) ? 0xf2 : 0xf3;
    }
    /* shuffle: legacy prefixes may come in any order */
    for (int i = np - 1; i > 0; i--) {
        int j = rng_below(rng, i + 1);
        uint8_t t = pfx[i];
        pfx[i] = pfx[j];
        pfx[j] = t;
    }
    /* with two segment overrides, both sides must take the last one seen */
    memcpy(b->b, pfx, np);
    b->len = np;
    if (e->pfx == PFX_F3) {
        b->b[b->len++] = 0xf3;
    } else if (e->pfx == PFX_F2) {
        b->b[b->len++] = 0xf2;
    } else if (e->pfx == PFX_66) {
        b->b[b->len++] = 0x66;
    }
    if (rex) {
        b->b[b->len++] = rex;
    }
    put_opcode(b, e);
    if (e->flags & X86F_MODRM) {
        b->b[b->len++] = random_modrm(rng, e, lock);
    }
    fill_tail(b, rng);
}

static void row_name(const X86OpcodeEntry *e, char *out, size_t size)
{
    const char *pf = e->pfx == PFX_F3 ? "F3." : e->pfx == PFX_F2 ? "F2." : e->pfx == PFX_66 ? "66." : "";
    const char *mp = e->map == 1 ? "0F" : e->map == 2 ? "0F38" : e->map == 3 ? "0F3A" : "";
    if (e->ext >= 0) {
        snprintf(out, size, "%s.%s%s%02X/%d", e->mnemonic, pf, mp, e->opcode, e->ext);
    } else {
        snprintf(out, size, "%s.%s%s%02X", e->mnemonic, pf, mp, e->opcode);
    }
}

typedef struct Result {
    int failed;
    char first[512];
} Result;

static void note(Result *res, const Buf *b, int len, const char *why)
{
    if (!res->failed++) {
        char hx[128];
        hex(b->b, len, hx, sizeof(hx));
        snprintf(res->first, sizeof(res->first), "%s: %s", hx, why);
    }
}

static void report(const char *name, const Result *res)
{
    if (res->failed) {
        printf("not ok - decoder/%s %s (%d cases)\n", name, res->first, res->failed);
    } else {
        printf("ok - decoder/%s\n", name);
    }
}

/* CLFLUSH and SFENCE share an encoding but for mod: neither is #UD. */
static bool row_has_mod_partner(int i)
{
    const X86OpcodeEntry *e = &x86_opcode_table[i];
    for (int j = i - 1; j <= i + 1; j += 2) {
        if (j < 0 || j >= x86_opcode_table_size) {
            continue;
        }
        const X86OpcodeEntry *o = &x86_opcode_table[j];
        if (o->map == e->map && o->opcode == e->opcode && o->ext == e->ext && o->pfx == e->pfx) {
            return true;
        }
    }
    return false;
}

static bool row_has_regfield_limits(const X86OpcodeEntry *e)
{
    return (e->ops[0] == OPK_Sw) || e->ops[0] == OPK_Cd || e->ops[1] == OPK_Cd ||
           e->ops[1] == OPK_Sw;
}

/* Invalid variants of a row: LOCK where it is not allowed (UDV_LOCK), the
 * wrong ModRM form for register-only / memory-only rows (UDV_MODRM), a
 * ModRM.reg naming no register (UDV_REGFIELD: Sreg 6/7, MOV CS, CR1/5/6/7). */
static void gen_ud_variant(Rng *rng, const X86OpcodeEntry *e, int variant, Buf *b)
{
    b->len = 0;
    if (variant == UDV_LOCK) {
        b->b[b->len++] = 0xf0;
    }
    if (e->pfx == PFX_F3) {
        b->b[b->len++] = 0xf3;
    } else if (e->pfx == PFX_F2) {
        b->b[b->len++] = 0xf2;
    } else if (e->pfx == PFX_66) {
        b->b[b->len++] = 0x66;
    }
    put_opcode(b, e);
    if (e->flags & X86F_MODRM) {
        uint8_t m = random_modrm(rng, e, false);
        if (variant == UDV_LOCK && (e->flags & X86F_LOCK)) {
            m |= 0xc0;                       /* LOCK with a register destination */
        } else if (variant == UDV_MODRM) {
            m = (m & 0x3f) | (row_mem_only(e) ? 0xc0 : (rng_below(rng, 3) << 6));
        } else if (variant == UDV_REGFIELD) {
            static const int bad_sreg_dst[3] = { 1, 6, 7 }, bad_sreg_src[2] = { 6, 7 };
            static const int bad_cr[4] = { 1, 5, 6, 7 };
            int r;
            if (e->ops[0] == OPK_Sw) {
                r = bad_sreg_dst[rng_below(rng, 3)];
            } else if (e->ops[1] == OPK_Sw) {
                r = bad_sreg_src[rng_below(rng, 2)];
            } else {
                r = bad_cr[rng_below(rng, 4)];
            }
            m = (m & 0xc7) | r << 3;
        }
        b->b[b->len++] = m;
    }
    fill_tail(b, rng);
}

/* ---- fixed cases: what Capstone cannot tell us ----
 * Capstone shows only explicit segment overrides, so the default segment
 * (SS for [bp]/[ebp]/[esp] bases, SDM vol. 1 3.7.4) is pinned here from the
 * manual, with the Intel-syntax printer's output for the same bytes. */
typedef struct FixedCase {
    int mode;
    const char *hex;
    int result;            /* X86DecodeResult */
    int len;
    int seg;               /* insn->addr.seg, or -1 for don't care */
    const char *text;      /* x86_format_insn at pc 0x1000, or NULL */
} FixedCase;

static const FixedCase fixed_cases[] = {
    { 32, "8b4500", X86_DECODE_OK, 3, SEG_SS, "mov eax, dword ptr [ebp]" },
    { 32, "8b0424", X86_DECODE_OK, 3, SEG_SS, "mov eax, dword ptr [esp]" },
    { 32, "8b4c24fc", X86_DECODE_OK, 4, SEG_SS, "mov ecx, dword ptr [esp-0x4]" },
    { 32, "8b442d00", X86_DECODE_OK, 4, SEG_SS, "mov eax, dword ptr [ebp+ebp]" },
    { 32, "8b0428", X86_DECODE_OK, 3, SEG_DS, "mov eax, dword ptr [eax+ebp]" },
    { 32, "8b04a8", X86_DECODE_OK, 3, SEG_DS, "mov eax, dword ptr [eax+ebp*4]" },
    { 32, "8b0578563412", X86_DECODE_OK, 6, SEG_DS, "mov eax, dword ptr ds:[0x12345678]" },
    { 32, "8b042578563412", X86_DECODE_OK, 7, SEG_DS, "mov eax, dword ptr ds:[0x12345678]" },
    { 32, "8b046d78563412", X86_DECODE_OK, 7, SEG_DS, "mov eax, dword ptr [ebp*2+0x12345678]" },
    { 32, "268b4500", X86_DECODE_OK, 4, SEG_ES, "mov eax, dword ptr es:[ebp]" },
    { 32, "2e3e8b00", X86_DECODE_OK, 4, SEG_DS, "mov eax, dword ptr ds:[eax]" },
    { 32, "3e2e8b00", X86_DECODE_OK, 4, SEG_CS, "mov eax, dword ptr cs:[eax]" },
    { 32, "678b02", X86_DECODE_OK, 3, SEG_SS, "mov eax, dword ptr [bp+si]" },
    { 32, "678b4600", X86_DECODE_OK, 4, SEG_SS, "mov eax, dword ptr [bp]" },
    { 32, "678b061234", X86_DECODE_OK, 5, SEG_DS, "mov eax, dword ptr ds:[0x3412]" },
    { 16, "8b00", X86_DECODE_OK, 2, SEG_DS, "mov ax, word ptr [bx+si]" },
    { 16, "8b4600", X86_DECODE_OK, 3, SEG_SS, "mov ax, word ptr [bp]" },
    { 16, "668b4304", X86_DECODE_OK, 4, SEG_SS, "mov eax, dword ptr [bp+di+0x4]" },
    { 32, "a4", X86_DECODE_OK, 1, SEG_DS, "movsb byte ptr es:[edi], byte ptr [esi]" },
    { 32, "26f3a5", X86_DECODE_OK, 3, SEG_ES, "rep movsd dword ptr es:[edi], dword ptr es:[esi]" },
    { 32, "f2ae", X86_DECODE_OK, 2, SEG_ES, "repne scasb al, byte ptr es:[edi]" },
    { 32, "64a178563412", X86_DECODE_OK, 6, SEG_FS, "mov eax, dword ptr fs:[0x12345678]" },
    { 32, "67a11234", X86_DECODE_OK, 4, SEG_DS, "mov eax, dword ptr ds:[0x3412]" },
    { 32, "0f84faffffff", X86_DECODE_OK, 6, -1, "je 0x1000" },
    { 32, "66e9fdff", X86_DECODE_OK, 4, -1, "jmp 0x1001" },
    { 32, "67e3fd", X86_DECODE_OK, 3, -1, "jcxz 0x1000" },
    { 32, "ea785634121234", X86_DECODE_OK, 7, -1, "jmpf 0x3412:0x12345678" },
    { 32, "0f20d8", X86_DECODE_OK, 3, -1, "mov eax, cr3" },
    { 32, "0f2018", X86_DECODE_OK, 3, -1, "mov eax, cr3" },      /* mod is ignored */
    { 32, "f00fc10b", X86_DECODE_OK, 4, -1, "lock xadd dword ptr [ebx], ecx" },
    { 32, "6b4304ff", X86_DECODE_OK, 4, -1, "imul eax, dword ptr [ebx+0x4], 0xffffffff" },
    { 32, "660fbec4", X86_DECODE_OK, 4, -1, "movsx ax, ah" },
    { 32, "f30fb8c1", X86_DECODE_OK, 4, -1, "popcnt eax, ecx" },
    { 32, "40", X86_DECODE_OK, 1, -1, "inc eax" },                /* no REX outside long mode */
    { 32, "0faef8", X86_DECODE_OK, 3, -1, "sfence" },
    { 32, "0fae38", X86_DECODE_OK, 3, -1, "clflush [eax]" },
    { 32, "8ec8", X86_DECODE_UD, 2, -1, NULL },                   /* MOV CS, r/m */
    { 32, "0f20c8", X86_DECODE_UD, 3, -1, NULL },                 /* CR1 */
    { 32, "8dc0", X86_DECODE_UD, 2, -1, NULL },                   /* LEA with a register */
    { 32, "f00103", X86_DECODE_OK, 3, -1, "lock add dword ptr [ebx], eax" },
    { 32, "f003c3", X86_DECODE_UD, 3, -1, NULL },                 /* LOCK, reg destination */
    { 32, "f090", X86_DECODE_UD, 2, -1, NULL },
    { 32, "d9c0", X86_DECODE_OK, 2, -1, "fld st(0)" },
    { 32, "dd8578563412", X86_DECODE_OK, 6, SEG_SS, "fld [ebp+0x12345678]" },
    { 32, "d9d1", X86_DECODE_UD, 2, -1, NULL },                   /* x87: undefined D9 D1 */
    { 32, "d908", X86_DECODE_UD, 2, -1, NULL },                   /* x87: D9 /1 with memory */
    { 32, "dfe1", X86_DECODE_UD, 2, -1, NULL },                   /* FNSTSW is DF E0 only */
    { 32, "dcc1", X86_DECODE_OK, 2, -1, "fadd st(1), st(0)" },
    { 32, "dee9", X86_DECODE_OK, 2, -1, "fsubp st(1), st(0)" },   /* ST(1) = ST(1) - ST(0) */
    { 32, "d9e0", X86_DECODE_OK, 2, -1, "fchs" },
    { 32, "dfe0", X86_DECODE_OK, 2, -1, "fnstsw ax" },
    { 32, "dbe8", X86_DECODE_OK, 2, -1, "fucomi st(0), st(0)" },
    { 32, "0f0f0000", X86_DECODE_UD, 2, -1, NULL },               /* 3DNow!: no row */
    { 32, "0fc2c101", X86_DECODE_OK, 4, -1, "cmpltps xmm0, xmm1" }, /* the manual's pseudo-op */
    { 32, "0fc2c109", X86_DECODE_OK, 4, -1, "cmpps xmm0, xmm1, 0x9" },
    { 32, "660f6f00", X86_DECODE_OK, 4, -1, "movdqa xmm0, xmmword ptr [eax]" },
    { 32, "f30f7e4b08", X86_DECODE_OK, 5, -1, "movq xmm1, qword ptr [ebx+0x8]" },
    { 32, "f30f28c0", X86_DECODE_UD, 4, -1, NULL },               /* MOVAPS takes no F3 */
    { 32, "660f12c0", X86_DECODE_UD, 4, -1, NULL },               /* MOVLPD has no register form */
    { 32, "660ffec1", X86_DECODE_OK, 4, -1, "paddd xmm0, xmm1" },
    { 32, "0ffec1", X86_DECODE_OK, 3, -1, "paddd mm0, mm1" },
    { 64, "4190", X86_DECODE_OK, 2, -1, "xchg eax, r8d" },   /* 90 + REX.B is not NOP */
    { 64, "4990", X86_DECODE_OK, 2, -1, "xchg rax, r8" },
    { 64, "f390", X86_DECODE_OK, 2, -1, "nop" },             /* PAUSE */
    { 64, "4840b8", X86_DECODE_OK, 7, -1, "mov eax, 0x0" },  /* only the last REX counts */
    { 64, "48666a01", X86_DECODE_OK, 4, -1, "push 0x1" },    /* a REX before 66 is dropped */
    { 64, "664850", X86_DECODE_OK, 3, -1, "push rax" },       /* REX.W beats 66 */
    { 64, "66486d", X86_DECODE_OK, 3, -1, "insd dword ptr es:[rdi], dx" },  /* no 64-bit I/O */
    { 64, "488b0578563412", X86_DECODE_OK, 7, -1, "mov rax, qword ptr [rip+0x12345678]" },
    { 64, "0fc7c8", X86_DECODE_UD, 3, -1, NULL },
    /* 15 bytes is the limit: 14 prefixes + 90 is fine, one more is #GP */
    { 32, "6666666666666666666666666666" "90", X86_DECODE_OK, 15, -1, "nop" },
    { 32, "666666666666666666666666666666" "90", X86_DECODE_TOO_LONG, 15, -1, NULL },
    { 32, "666666666666666666666666660578563412", X86_DECODE_TOO_LONG, 15, -1, NULL },
};

static int parse_hex(const char *s, uint8_t *out, int max)
{
    int n = 0;
    while (s[0] && s[1] && n < max) {
        unsigned v;
        sscanf(s, "%2x", &v);
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

typedef struct PcBuf { uint8_t b[32]; } PcBuf;

static uint8_t pcbuf_fetch(void *opaque, uint64_t pc)
{
    const PcBuf *buf = opaque;
    uint64_t off = pc - 0x1000;
    return off < sizeof(buf->b) ? buf->b[off] : 0;
}

static int run_fixed_cases(void)
{
    int failures = 0;
    for (size_t i = 0; i < sizeof(fixed_cases) / sizeof(fixed_cases[0]); i++) {
        const FixedCase *c = &fixed_cases[i];
        PcBuf b;
        X86Insn in;
        char text[160] = "", why[320] = "";
        memset(&b, 0, sizeof(b));
        parse_hex(c->hex, b.b, sizeof(b.b));
        X86DecodeResult r = x86_decode(&in, c->mode, 0x1000, pcbuf_fetch, &b);
        if (r == X86_DECODE_OK) {
            x86_format_insn(&in, text, sizeof(text));
        }
        if ((int)r != c->result) {
            snprintf(why, sizeof(why), "result %d, expected %d", r, c->result);
        } else if (in.len != c->len) {
            snprintf(why, sizeof(why), "length %d, expected %d", in.len, c->len);
        } else if (c->seg >= 0 && in.addr.seg != c->seg) {
            snprintf(why, sizeof(why), "segment %d, expected %d", in.addr.seg, c->seg);
        } else if (c->text && strcmp(text, c->text)) {
            snprintf(why, sizeof(why), "printed \"%s\", expected \"%s\"", text, c->text);
        }
        if (why[0]) {
            printf("not ok - decoder/fixed/%d-bit/%s: %s\n", c->mode, c->hex, why);
            failures++;
        } else {
            printf("ok - decoder/fixed/%d-bit/%s\n", c->mode, c->hex);
        }
    }
    return failures;
}

int main(void)
{
    csh h32, h16, h64;
    Rng rng = { 0x6b61736f75ull };   /* "kasou" */
    char why[400];
    int failures = 0;
    long compared = 0;

    if (cs_open(CS_ARCH_X86, CS_MODE_32, &h32) != CS_ERR_OK ||
        cs_open(CS_ARCH_X86, CS_MODE_16, &h16) != CS_ERR_OK ||
        cs_open(CS_ARCH_X86, CS_MODE_64, &h64) != CS_ERR_OK) {
        printf("not ok - decoder/capstone: cs_open failed\n");
        return 1;
    }
    cs_option(h32, CS_OPT_DETAIL, CS_OPT_ON);
    cs_option(h16, CS_OPT_DETAIL, CS_OPT_ON);
    cs_option(h64, CS_OPT_DETAIL, CS_OPT_ON);

    /* the decoder binary-searches the table: it must be sorted */
    Result sorted = { 0 };
    for (int i = 1; i < x86_opcode_table_size; i++) {
        const X86OpcodeEntry *a = &x86_opcode_table[i - 1], *c = &x86_opcode_table[i];
        long ka = ((long)a->map << 24) | (a->opcode << 16) | ((a->ext + 1) << 8) | a->pfx;
        long kc = ((long)c->map << 24) | (c->opcode << 16) | ((c->ext + 1) << 8) | c->pfx;
        bool mod_pair = (a->flags & X86F_MODRM_MEM_ONLY) && (c->flags & X86F_MODRM_REG_ONLY);
        bool mode_pair = (a->flags & X86F_NO64) && (c->flags & X86F_ONLY64);   /* 63: ARPL, MOVSXD */
        bool rm_pair = (a->flags & X86F_MODRM_RM) && (c->flags & X86F_MODRM_RM) &&   /* 0F 01 /7 */
                       X86F_RM_VALUE(a->flags) < X86F_RM_VALUE(c->flags);
        if (ka > kc || (ka == kc && !mod_pair && !mode_pair && !rm_pair)) {
            sorted.failed++;
            snprintf(sorted.first, sizeof(sorted.first), "row %d (%s) out of order", i,
                     c->mnemonic);
        }
        if (a->map == c->map && a->opcode == c->opcode &&
            (a->flags & X86F_MODRM) != (c->flags & X86F_MODRM)) {
            sorted.failed++;
            snprintf(sorted.first, sizeof(sorted.first), "row %d (%s): rows of one opcode "
                     "disagree on ModRM", i, c->mnemonic);
        }
        if (c->handler != i) {
            sorted.failed++;
            snprintf(sorted.first, sizeof(sorted.first), "row %d handler %d", i, c->handler);
        }
    }
    if (sorted.failed) {
        printf("not ok - decoder/table-order %s\n", sorted.first);
    } else {
        printf("ok - decoder/table-order\n");
    }
    failures += sorted.failed != 0;

    for (int i = 0; i < x86_opcode_table_size; i++) {
        const X86OpcodeEntry *e = &x86_opcode_table[i];
        Result res = { 0 };
        char name[64];
        Buf b;
        row_name(e, name, sizeof(name));
        for (int k = 0; k < INSTANCES_32 + INSTANCES_16 + INSTANCES_64; k++) {
            int mode = k < INSTANCES_32 ? 32 : k < INSTANCES_32 + INSTANCES_16 ? 16 : 64;
            if (mode == 64 && (e->flags & X86F_NO64)) {
                break;
            }
            if (mode != 64 && (e->flags & X86F_ONLY64)) {
                continue;   /* 64-bit rows: the 64-bit instances only (the #UD side is ARPL's) */
            }
            gen_instance(&rng, e, mode, &b);
            compared++;
            if (check_valid(mode == 32 ? h32 : mode == 16 ? h16 : h64, e, &b, mode, why,
                            sizeof(why))) {
                X86Insn in;
                x86_decode(&in, mode, 0, buf_fetch, &b);
                note(&res, &b, in.len ? in.len : 15, why);
            }
        }
        /* rejected variants of this row */
        for (int variant = UDV_LOCK; variant <= UDV_REGFIELD &&
             !(e->flags & (X86F_INVALID | X86F_ONLY64)); variant <<= 1) {
            if (variant == UDV_MODRM && ((!row_mem_only(e) && !(e->flags & X86F_MODRM_REG_ONLY)) ||
                                         row_has_mod_partner(i))) {
                continue;
            }
            if (variant == UDV_LOCK && (e->flags & X86F_LOCK) && row_mem_only(e)) {
                continue;        /* no register form to put a LOCK on */
            }
            if (variant == UDV_REGFIELD && !row_has_regfield_limits(e)) {
                continue;
            }
            for (int k = 0; k < UD_INSTANCES; k++) {
                gen_ud_variant(&rng, e, variant, &b);
                compared++;
                if (check_ud(h32, &b, 32, variant, why, sizeof(why))) {
                    X86Insn in;
                    x86_decode(&in, 32, 0, buf_fetch, &b);
                    note(&res, &b, in.len ? in.len : 15, why);
                }
            }
        }
        report(name, &res);
        failures += res.failed != 0;
    }

    /* opcodes and group members with no row at all */
    for (int map = 0; map < 2; map++) {
        for (int op = 0; op < 256; op++) {
            static const uint8_t prefixes[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66,
                                                0x67, 0xf0, 0xf2, 0xf3, 0x0f };
            if (map == 0 && memchr(prefixes, op, sizeof(prefixes))) {
                continue;
            }
            if (map == 1 && (op == 0x38 || op == 0x3a)) {
                continue;
            }
            int exts[9], next = 0;
            bool any = false, group = false;
            bool have[8] = { false };
            for (int i = 0; i < x86_opcode_table_size; i++) {
                const X86OpcodeEntry *e = &x86_opcode_table[i];
                if (e->map == map && e->opcode == op) {
                    any = true;
                    if (e->pfx == PFX_NONE) {
                        if (e->ext >= 0) {
                            group = true;
                            have[e->ext] = true;
                        } else {
                            have[0] = have[1] = have[2] = have[3] = true;
                            have[4] = have[5] = have[6] = have[7] = true;
                        }
                    }
                }
            }
            if (any && !group) {
                bool all = true;
                for (int r = 0; r < 8; r++) {
                    all &= have[r];
                }
                if (all) {
                    continue;
                }
            }
            if (!any) {
                exts[next++] = -1;
            } else {
                for (int r = 0; r < 8; r++) {
                    if (!have[r]) {
                        exts[next++] = r;
                    }
                }
            }
            for (int x = 0; x < next; x++) {
                Result res = { 0 };
                char name[64];
                Buf b;
                if (exts[x] < 0) {
                    snprintf(name, sizeof(name), "undefined.%s%02X", map ? "0F" : "", op);
                } else {
                    snprintf(name, sizeof(name), "undefined.%s%02X/%d", map ? "0F" : "", op,
                             exts[x]);
                }
                for (int k = 0; k < UD_INSTANCES; k++) {
                    b.len = 0;
                    if (map) {
                        b.b[b.len++] = 0x0f;
                    }
                    b.b[b.len++] = op;
                    uint8_t m = (uint8_t)rng_next(&rng);
                    if (exts[x] >= 0) {
                        m = (m & 0xc7) | exts[x] << 3;
                    }
                    b.b[b.len++] = m;
                    fill_tail(&b, &rng);
                    compared++;
                    if (check_ud(h32, &b, 32, UDV_OPCODE, why, sizeof(why))) {
                        note(&res, &b, 4, why);
                    }
                }
                report(name, &res);
                failures += res.failed != 0;
            }
        }
    }

    failures += run_fixed_cases();
    printf("# %ld encodings compared with Capstone\n", compared);

    cs_close(&h32);
    cs_close(&h16);
    cs_close(&h64);
    return failures ? 1 : 0;
}
