/*
 * User-level integer instruction snippets run over generated inputs, shared
 * by the native differential test (built hosted and as a guest) and the
 * guest programs arith/logic/bitops/muldiv/bcd.  Each snippet loads the
 * input flags with POPF and captures the result flags with PUSHF; the driver
 * then masks the flags (and results) the manual leaves undefined, so that
 * any correct CPU or emulator prints the same line.  Must stay true: every
 * form's mask follows the SDM's "Flags Affected" for that instruction.
 */
#ifndef TESTS_GUEST_X86_OPS_H
#define TESTS_GUEST_X86_OPS_H

#include <stdint.h>

typedef struct op_case {
    uint32_t in[3];
    uint32_t fin;
    uint32_t out[3];
    uint32_t fout;
} op_case;

typedef void (*op_fn)(op_case *c);

/* How inputs are made (kind) and which flags are defined (fl); F_KEEP:
 * the instruction affects no flag, so all of them must be preserved. */
enum { K_BIN, K_UN, K_SHIFT, K_SHD, K_DIV, K_IDIV, K_CMPXCHG, K_BTMEM };
enum { F_ALL, F_LOGIC, F_SHIFT, F_ROT, F_SHD, F_BT, F_BS, F_MUL, F_KEEP,
       F_DAA, F_AAA, F_AAM };

typedef struct op_form {
    const char *name;
    op_fn fn;
    uint8_t kind, fl;
    uint16_t width;      /* see op_size; OP_W_CC: out[1] = conditions (OPCC) */
} op_form;
#define OP_W_CC 0x8000

#define FIN  "push %[f]\n\tpopf\n\t"
#define FOUT "\n\tpushf\n\tpop %[f]"

/* r = a OP b; a is read-write, b read (cons: "q" for 8-bit, else "r") */
#define OP2(fname, insn, cons)                                              \
static void fname(op_case *c)                                               \
{                                                                           \
    uint32_t a = c->in[0], b = c->in[1], f = c->fin;                        \
    __asm__ volatile(FIN insn FOUT                                          \
                     : [a] "+" cons(a), [f] "+r"(f) : [b] cons(b) : "cc");  \
    c->out[0] = a;                                                          \
    c->fout = f;                                                            \
}

/* both operands written (XADD, XCHG) */
#define OP2W(fname, insn, cons)                                             \
static void fname(op_case *c)                                               \
{                                                                           \
    uint32_t a = c->in[0], b = c->in[1], f = c->fin;                        \
    __asm__ volatile(FIN insn FOUT                                          \
                     : [a] "+" cons(a), [b] "+" cons(b), [f] "+r"(f)        \
                     : : "cc");                                             \
    c->out[0] = a;                                                          \
    c->out[1] = b;                                                          \
    c->fout = f;                                                            \
}

#define OP1(fname, insn, cons)                                              \
static void fname(op_case *c)                                               \
{                                                                           \
    uint32_t a = c->in[0], f = c->fin;                                      \
    __asm__ volatile(FIN insn FOUT : [a] "+" cons(a), [f] "+r"(f) : : "cc"); \
    c->out[0] = a;                                                          \
    c->fout = f;                                                            \
}

/* shifts/rotates by CL = in[1] */
#define OPSH(fname, insn, cons)                                             \
static void fname(op_case *c)                                               \
{                                                                           \
    uint32_t a = c->in[0], f = c->fin;                                      \
    __asm__ volatile(FIN insn FOUT                                          \
                     : [a] "+" cons(a), [f] "+r"(f) : "c"(c->in[1]) : "cc"); \
    c->out[0] = a;                                                          \
    c->fout = f;                                                            \
}

/* SHLD/SHRD a, b, CL = in[2] */
#define OPSHD(fname, insn)                                                  \
static void fname(op_case *c)                                               \
{                                                                           \
    uint32_t a = c->in[0], b = c->in[1], f = c->fin;                        \
    __asm__ volatile(FIN insn FOUT                                          \
                     : [a] "+r"(a), [f] "+r"(f)                             \
                     : [b] "r"(b), "c"(c->in[2]) : "cc");                   \
    c->out[0] = a;                                                          \
    c->fout = f;                                                            \
}

/* EAX = in[0], EDX = in[2], operand b = in[1] (MUL/IMUL/DIV/IDIV) */
/* A snippet, then every condition read by SETcc (memory) and two by Jcc:
 * out[1] bit k = condition k of OP_CC_DEPS. This is how translated code
 * reads flags (straight from the last operation's operands), where PUSHF
 * alone would not tell. a = in[0] (read-write), b = in[1] (cons), EAX =
 * in[2] for CMPXCHG. */
#define OP_CC_SETS                                                          \
    "\n\tseto 0(%[p])\n\tsetb 1(%[p])\n\tsetz 2(%[p])\n\tsetbe 3(%[p])"     \
    "\n\tsets 4(%[p])\n\tsetp 5(%[p])\n\tsetl 6(%[p])\n\tsetle 7(%[p])"     \
    "\n\tjnz 1f\n\tmovb $1, 8(%[p])\n1:\tjnl 2f\n\tmovb $1, 9(%[p])\n2:"
#define OPCC(fname, insn, cons)                                             \
static void fname(op_case *c)                                               \
{                                                                           \
    uint32_t a = c->in[0], b = c->in[1], acc = c->in[2], f = c->fin;        \
    uint8_t r[10] = { 0 };                                                  \
    __asm__ volatile(FIN insn OP_CC_SETS FOUT                               \
                     : [a] "+q"(a), [f] "+r"(f), "+a"(acc)                  \
                     : [b] cons(b), [p] "r"(r) : "cc", "memory");           \
    c->out[0] = a;                                                          \
    c->out[2] = acc;                                                        \
    c->fout = f;                                                            \
    for (int k = 0; k < 10; k++)                                            \
        c->out[1] |= (uint32_t)r[k] << k;                                   \
}

#define OPAD(fname, insn)                                                   \
static void fname(op_case *c)                                               \
{                                                                           \
    uint32_t a = c->in[0], d = c->in[2], b = c->in[1], f = c->fin;         \
    __asm__ volatile(FIN insn FOUT                                          \
                     : "+a"(a), "+d"(d), [f] "+r"(f) : [b] "q"(b) : "cc");  \
    c->out[0] = a;                                                          \
    c->out[1] = d;                                                          \
    c->fout = f;                                                            \
}

/* CMPXCHG: EAX = in[2], dst = in[0], src = in[1] */
#define OPCX(fname, insn)                                                   \
static void fname(op_case *c)                                               \
{                                                                           \
    uint32_t acc = c->in[2], a = c->in[0], b = c->in[1], f = c->fin;       \
    __asm__ volatile(FIN insn FOUT                                          \
                     : "+a"(acc), [a] "+q"(a), [f] "+r"(f) : [b] "q"(b)     \
                     : "cc");                                               \
    c->out[0] = a;                                                          \
    c->out[1] = acc;                                                        \
    c->fout = f;                                                            \
}

/* bit op on memory: 64-byte buffer, base in the middle; in[1] = offset */
#define OPBTM(fname, insn)                                                  \
static void fname(op_case *c)                                               \
{                                                                           \
    uint32_t buf[16], f = c->fin, h = 0;                                    \
    for (int i = 0; i < 16; i++)                                            \
        buf[i] = c->in[0] * (uint32_t)(i + 1) ^ (uint32_t)i << 28;           \
    __asm__ volatile(FIN insn FOUT                                          \
                     : [f] "+r"(f) : [p] "r"(&buf[8]), [b] "r"(c->in[1])    \
                     : "cc", "memory");                                     \
    for (int i = 0; i < 16; i++)                                            \
        h = h * 31 + buf[i];                                                \
    c->out[0] = h;                                                          \
    c->fout = f;                                                            \
}

#define ALU2(op)                                                            \
    OP2(op_##op##b, #op "b %b[b], %b[a]", "q")                              \
    OP2(op_##op##w, #op "w %w[b], %w[a]", "r")                              \
    OP2(op_##op##l, #op "l %[b], %[a]", "r")
ALU2(add) ALU2(adc) ALU2(sub) ALU2(sbb) ALU2(cmp)
ALU2(and) ALU2(or) ALU2(xor) ALU2(test)
OP2(op_addb_hi, "addb %h[b], %h[a]", "Q")
OP2(op_subb_hl, "subb %h[b], %b[a]", "Q")

#define UN1(op)                                                             \
    OP1(op_##op##b, #op "b %b[a]", "q")                                     \
    OP1(op_##op##w, #op "w %w[a]", "r")                                     \
    OP1(op_##op##l, #op "l %[a]", "r")
UN1(inc) UN1(dec) UN1(neg) UN1(not)

/* immediate forms (one input) */
OP1(op_addl_i, "addl $0x7fffffff, %[a]", "r")
OP1(op_addl_i8, "addl $-2, %[a]", "r")
OP1(op_addb_i, "addb $0x80, %b[a]", "q")
OP1(op_adcw_i, "adcw $0x1234, %w[a]", "r")
OP1(op_adcw_i8, "adcw $-1, %w[a]", "r")
OP1(op_subl_i, "subl $0x80000000, %[a]", "r")
OP1(op_sbbb_i, "sbbb $1, %b[a]", "q")
OP1(op_sbbl_i8, "sbbl $0x7f, %[a]", "r")
OP1(op_cmpl_i, "cmpl $0x10000, %[a]", "r")
OP1(op_cmpw_i8, "cmpw $-128, %w[a]", "r")
OP1(op_andl_i, "andl $0xf0f0f0f0, %[a]", "r")
OP1(op_orb_i, "orb $0x81, %b[a]", "q")
OP1(op_xorw_i, "xorw $0xffff, %w[a]", "r")
OP1(op_testl_i, "testl $0x80000001, %[a]", "r")
OP1(op_testb_i, "testb $0x41, %b[a]", "q")

#define SH3(op)                                                             \
    OPSH(op_##op##b, #op "b %%cl, %b[a]", "q")                              \
    OPSH(op_##op##w, #op "w %%cl, %w[a]", "r")                              \
    OPSH(op_##op##l, #op "l %%cl, %[a]", "r")                               \
    OPSH(op_##op##l1, #op "l $1, %[a]", "r")                                \
    OPSH(op_##op##w7, #op "w $7, %w[a]", "r")
SH3(shl) SH3(shr) SH3(sar) SH3(rol) SH3(ror) SH3(rcl) SH3(rcr)

OPSHD(op_shldl, "shldl %%cl, %[b], %[a]")
OPSHD(op_shrdl, "shrdl %%cl, %[b], %[a]")
OPSHD(op_shldw, "shldw %%cl, %w[b], %w[a]")
OPSHD(op_shrdw, "shrdw %%cl, %w[b], %w[a]")
OPSHD(op_shldl5, "shldl $5, %[b], %[a]")
OPSHD(op_shrdl1, "shrdl $1, %[b], %[a]")

#define BT2(op)                                                             \
    OP2(op_##op##w, #op "w %w[b], %w[a]", "r")                              \
    OP2(op_##op##l, #op "l %[b], %[a]", "r")                                \
    OP1(op_##op##l_i, #op "l $13, %[a]", "r")                               \
    OPBTM(op_##op##l_m, #op "l %[b], (%[p])")
BT2(bt) BT2(bts) BT2(btr) BT2(btc)

OP2(op_bsfw, "bsfw %w[b], %w[a]", "r")
OP2(op_bsfl, "bsfl %[b], %[a]", "r")
OP2(op_bsrw, "bsrw %w[b], %w[a]", "r")
OP2(op_bsrl, "bsrl %[b], %[a]", "r")

OPAD(op_mulb, "mulb %b[b]")
OPAD(op_mulw, "mulw %w[b]")
OPAD(op_mull, "mull %[b]")
OPAD(op_imulb, "imulb %b[b]")
OPAD(op_imulw, "imulw %w[b]")
OPAD(op_imull, "imull %[b]")
OP2(op_imulw2, "imulw %w[b], %w[a]", "r")
OP2(op_imull2, "imull %[b], %[a]", "r")
OP2(op_imull3, "imull $-7, %[b], %[a]", "r")
OP2(op_imull3b, "imull $0x12345, %[b], %[a]", "r")
OP2(op_imulw3, "imulw $300, %w[b], %w[a]", "r")
OPAD(op_divb, "divb %b[b]")
OPAD(op_divw, "divw %w[b]")
OPAD(op_divl, "divl %[b]")
OPAD(op_idivb, "idivb %b[b]")
OPAD(op_idivw, "idivw %w[b]")
OPAD(op_idivl, "idivl %[b]")

OP1(op_bswap, "bswap %[a]", "r")
OP2(op_movzbl, "movzbl %b[b], %[a]", "q")
OP2(op_movzbw, "movzbw %b[b], %w[a]", "q")
OP2(op_movzwl, "movzwl %w[b], %[a]", "r")
OP2(op_movsbl, "movsbl %b[b], %[a]", "q")
OP2(op_movsbw, "movsbw %b[b], %w[a]", "q")
OP2(op_movswl, "movswl %w[b], %[a]", "r")
OPAD(op_cbw, "cbtw")
OPAD(op_cwde, "cwtl")
OPAD(op_cwd, "cwtd")
OPAD(op_cdq, "cltd")

OP2W(op_xaddb, "xaddb %b[b], %b[a]", "q")
OP2W(op_xaddw, "xaddw %w[b], %w[a]", "r")
OP2W(op_xaddl, "xaddl %[b], %[a]", "r")
OP2W(op_xchgb, "xchgb %b[b], %b[a]", "q")
OP2W(op_xchgl, "xchgl %[b], %[a]", "r")
OPCX(op_cmpxchgb, "cmpxchgb %b[b], %b[a]")
OPCX(op_cmpxchgw, "cmpxchgw %w[b], %w[a]")
OPCX(op_cmpxchgl, "cmpxchgl %[b], %[a]")

#define CC(cc)                                                              \
    OP1(op_set##cc, "set" #cc " %b[a]", "q")                                \
    OP2(op_cmov##cc, "cmov" #cc "l %[b], %[a]", "r")
CC(o) CC(no) CC(b) CC(ae) CC(e) CC(ne) CC(be) CC(a)
CC(s) CC(ns) CC(p) CC(np) CC(l) CC(ge) CC(le) CC(g)

OPCC(op_cc_subl, "subl %[b], %[a]", "r")
OPCC(op_cc_subw, "subw %w[b], %w[a]", "r")
OPCC(op_cc_subb, "subb %b[b], %b[a]", "q")
OPCC(op_cc_cmpb, "cmpb %b[b], %b[a]", "q")
OPCC(op_cc_negw, "negw %w[a]", "r")
OPCC(op_cc_addl, "addl %[b], %[a]", "r")
OPCC(op_cc_incl, "incl %[a]", "r")
OPCC(op_cc_decb, "decb %b[a]", "r")
OPCC(op_cc_cmp_incb, "cmpl %[b], %[a]\n\tincb %b[a]", "r")
OPCC(op_cc_andw, "andw %w[b], %w[a]", "r")
OPCC(op_cc_shll, "shll %%cl, %[a]", "c")
OPCC(op_cc_shrw, "shrw %%cl, %w[a]", "c")
OPCC(op_cc_sarl, "sarl %%cl, %[a]", "c")
OPCC(op_cc_shll_3, "shll $3, %[a]", "r")
OPCC(op_cc_sarb_1, "sarb $1, %b[a]", "r")
OPCC(op_cc_inc_shll, "incl %[a]\n\tshll %%cl, %[a]", "c")
OPCC(op_cc_inc_shrb, "incb %b[a]\n\tshrb %%cl, %b[a]", "c")
OPCC(op_cc_sub_sarl, "subl %%ecx, %[a]\n\tsarl %%cl, %[a]", "c")
OPCC(op_cc_imull, "imull %[b], %[a]", "r")
OPCC(op_cc_imulw, "imulw %w[b], %w[a]", "r")
OPCC(op_cc_bsfl, "bsfl %[b], %[a]", "r")
OPCC(op_cc_cmpxchgl, "cmpxchgl %[b], %[a]", "r")
OPCC(op_cc_cmpxchgb, "cmpxchgb %b[b], %b[a]", "q")

OPAD(op_daa, "daa")
OPAD(op_das, "das")
OPAD(op_aaa, "aaa")
OPAD(op_aas, "aas")
OPAD(op_aam, "aam")
OPAD(op_aam16, ".byte 0xd4, 16")
OPAD(op_aad, "aad")
OPAD(op_aad7, ".byte 0xd5, 7")
OPAD(op_lahf, "lahf")
OPAD(op_sahf, "sahf")
OPAD(op_cmc, "cmc")
OPAD(op_clc, "clc")
OPAD(op_stc, "stc")

/* The form table; groups let the guest programs pick their part. */
#define F3(op, k, fl) \
    { #op "b", op_##op##b, k, fl, 8 }, { #op "w", op_##op##w, k, fl, 16 }, \
    { #op "l", op_##op##l, k, fl, 32 }
#define FSH(op, fl)                                                         \
    { #op "b", op_##op##b, K_SHIFT, fl, 8 },                                \
    { #op "w", op_##op##w, K_SHIFT, fl, 16 },                               \
    { #op "l", op_##op##l, K_SHIFT, fl, 32 },                               \
    { #op "l_1", op_##op##l1, K_UN, fl, 33 },                               \
    { #op "w_7", op_##op##w7, K_UN, fl, 16 + 7 * 64 }
#define FBT(op)                                                             \
    { #op "w", op_##op##w, K_BIN, F_BT, 16 },                               \
    { #op "l", op_##op##l, K_BIN, F_BT, 32 },                               \
    { #op "l_i", op_##op##l_i, K_UN, F_BT, 32 },                            \
    { #op "l_m", op_##op##l_m, K_BTMEM, F_BT, 32 }
#define FCC(cc) { "set" #cc, op_set##cc, K_UN, F_KEEP, 8 }, \
    { "cmov" #cc, op_cmov##cc, K_BIN, F_KEEP, 32 }

static const op_form op_forms_arith[] = {
    F3(add, K_BIN, F_ALL), F3(adc, K_BIN, F_ALL), F3(sub, K_BIN, F_ALL),
    F3(sbb, K_BIN, F_ALL), F3(cmp, K_BIN, F_ALL),
    { "addb_hi", op_addb_hi, K_BIN, F_ALL, 32 },
    { "subb_hl", op_subb_hl, K_BIN, F_ALL, 32 },
    F3(inc, K_UN, F_ALL), F3(dec, K_UN, F_ALL), F3(neg, K_UN, F_ALL),
    { "addl_i", op_addl_i, K_UN, F_ALL, 32 },
    { "addl_i8", op_addl_i8, K_UN, F_ALL, 32 },
    { "addb_i", op_addb_i, K_UN, F_ALL, 8 },
    { "adcw_i", op_adcw_i, K_UN, F_ALL, 16 },
    { "adcw_i8", op_adcw_i8, K_UN, F_ALL, 16 },
    { "subl_i", op_subl_i, K_UN, F_ALL, 32 },
    { "sbbb_i", op_sbbb_i, K_UN, F_ALL, 8 },
    { "sbbl_i8", op_sbbl_i8, K_UN, F_ALL, 32 },
    { "cmpl_i", op_cmpl_i, K_UN, F_ALL, 32 },
    { "cmpw_i8", op_cmpw_i8, K_UN, F_ALL, 16 },
    { "xaddb", op_xaddb, K_BIN, F_ALL, 8 },
    { "xaddw", op_xaddw, K_BIN, F_ALL, 16 },
    { "xaddl", op_xaddl, K_BIN, F_ALL, 32 },
    { "cmpxchgb", op_cmpxchgb, K_CMPXCHG, F_ALL, 8 },
    { "cmpxchgw", op_cmpxchgw, K_CMPXCHG, F_ALL, 16 },
    { "cmpxchgl", op_cmpxchgl, K_CMPXCHG, F_ALL, 32 },
    { 0 }
};

static const op_form op_forms_logic[] = {
    F3(and, K_BIN, F_LOGIC), F3(or, K_BIN, F_LOGIC), F3(xor, K_BIN, F_LOGIC),
    F3(test, K_BIN, F_LOGIC), F3(not, K_UN, F_KEEP),
    { "andl_i", op_andl_i, K_UN, F_LOGIC, 32 },
    { "orb_i", op_orb_i, K_UN, F_LOGIC, 8 },
    { "xorw_i", op_xorw_i, K_UN, F_LOGIC, 16 },
    { "testl_i", op_testl_i, K_UN, F_LOGIC, 32 },
    { "testb_i", op_testb_i, K_UN, F_LOGIC, 8 },
    FSH(shl, F_SHIFT), FSH(shr, F_SHIFT), FSH(sar, F_SHIFT),
    FSH(rol, F_ROT), FSH(ror, F_ROT), FSH(rcl, F_ROT), FSH(rcr, F_ROT),
    { "shldl", op_shldl, K_SHD, F_SHD, 32 },
    { "shrdl", op_shrdl, K_SHD, F_SHD, 32 },
    { "shldw", op_shldw, K_SHD, F_SHD, 16 },
    { "shrdw", op_shrdw, K_SHD, F_SHD, 16 },
    { "shldl_5", op_shldl5, K_BIN, F_SHD, 32 + 5 * 64 },
    { "shrdl_1", op_shrdl1, K_BIN, F_SHD, 32 + 1 * 64 },
    { 0 }
};

static const op_form op_forms_bitops[] = {
    FBT(bt), FBT(bts), FBT(btr), FBT(btc),
    { "bsfw", op_bsfw, K_BIN, F_BS, 16 }, { "bsfl", op_bsfl, K_BIN, F_BS, 32 },
    { "bsrw", op_bsrw, K_BIN, F_BS, 16 }, { "bsrl", op_bsrl, K_BIN, F_BS, 32 },
    { "bswap", op_bswap, K_UN, F_KEEP, 32 },
    { 0 }
};

static const op_form op_forms_muldiv[] = {
    { "mulb", op_mulb, K_BIN, F_MUL, 8 }, { "mulw", op_mulw, K_BIN, F_MUL, 16 },
    { "mull", op_mull, K_BIN, F_MUL, 32 },
    { "imulb", op_imulb, K_BIN, F_MUL, 8 },
    { "imulw", op_imulw, K_BIN, F_MUL, 16 },
    { "imull", op_imull, K_BIN, F_MUL, 32 },
    { "imulw2", op_imulw2, K_BIN, F_MUL, 16 },
    { "imull2", op_imull2, K_BIN, F_MUL, 32 },
    { "imull3", op_imull3, K_BIN, F_MUL, 32 },
    { "imull3b", op_imull3b, K_BIN, F_MUL, 32 },
    { "imulw3", op_imulw3, K_BIN, F_MUL, 16 },
    { "divb", op_divb, K_DIV, F_MUL, 8 }, { "divw", op_divw, K_DIV, F_MUL, 16 },
    { "divl", op_divl, K_DIV, F_MUL, 32 },
    { "idivb", op_idivb, K_IDIV, F_MUL, 8 },
    { "idivw", op_idivw, K_IDIV, F_MUL, 16 },
    { "idivl", op_idivl, K_IDIV, F_MUL, 32 },
    { 0 }
};

static const op_form op_forms_misc[] = {
    { "movzbl", op_movzbl, K_BIN, F_KEEP, 32 },
    { "movzbw", op_movzbw, K_BIN, F_KEEP, 32 },
    { "movzwl", op_movzwl, K_BIN, F_KEEP, 32 },
    { "movsbl", op_movsbl, K_BIN, F_KEEP, 32 },
    { "movsbw", op_movsbw, K_BIN, F_KEEP, 32 },
    { "movswl", op_movswl, K_BIN, F_KEEP, 32 },
    { "cbw", op_cbw, K_BIN, F_KEEP, 32 },
    { "cwde", op_cwde, K_BIN, F_KEEP, 32 },
    { "cwd", op_cwd, K_BIN, F_KEEP, 32 },
    { "cdq", op_cdq, K_BIN, F_KEEP, 32 },
    { "xchgb", op_xchgb, K_BIN, F_KEEP, 8 },
    { "xchgl", op_xchgl, K_BIN, F_KEEP, 32 },
    FCC(o), FCC(no), FCC(b), FCC(ae), FCC(e), FCC(ne), FCC(be), FCC(a),
    FCC(s), FCC(ns), FCC(p), FCC(np), FCC(l), FCC(ge), FCC(le), FCC(g),
    { "lahf", op_lahf, K_BIN, F_KEEP, 32 },
    { "sahf", op_sahf, K_BIN, F_KEEP, 32 },
    { "cmc", op_cmc, K_BIN, F_KEEP, 32 },
    { "clc", op_clc, K_BIN, F_KEEP, 32 },
    { "stc", op_stc, K_BIN, F_KEEP, 32 },
    { 0 }
};

static const op_form op_forms_bcd[] = {
    { "daa", op_daa, K_BIN, F_DAA, 32 }, { "das", op_das, K_BIN, F_DAA, 32 },
    { "aaa", op_aaa, K_BIN, F_AAA, 32 }, { "aas", op_aas, K_BIN, F_AAA, 32 },
    { "aam", op_aam, K_BIN, F_AAM, 32 }, { "aam16", op_aam16, K_BIN, F_AAM, 32 },
    { "aad", op_aad, K_BIN, F_AAM, 32 }, { "aad7", op_aad7, K_BIN, F_AAM, 32 },
    { 0 }
};

/* Conditions read right after an operation (see OPCC); fl as for the
 * operation itself, which decides which conditions are defined. */
#define FCCF(op, k, fl, w) { "cc_" #op, op_cc_##op, k, fl, (w) | OP_W_CC }
static const op_form op_forms_cc[] = {
    FCCF(subl, K_BIN, F_ALL, 32), FCCF(subw, K_BIN, F_ALL, 16),
    FCCF(subb, K_BIN, F_ALL, 8), FCCF(cmpb, K_BIN, F_ALL, 8),
    FCCF(negw, K_UN, F_ALL, 16), FCCF(addl, K_BIN, F_ALL, 32),
    FCCF(incl, K_UN, F_ALL, 32), FCCF(decb, K_UN, F_ALL, 8),
    FCCF(cmp_incb, K_BIN, F_ALL, 8), FCCF(andw, K_BIN, F_LOGIC, 16),
    FCCF(shll, K_SHIFT, F_SHIFT, 32), FCCF(shrw, K_SHIFT, F_SHIFT, 16),
    FCCF(sarl, K_SHIFT, F_SHIFT, 32), FCCF(shll_3, K_UN, F_SHIFT, 32 + 3 * 64),
    FCCF(sarb_1, K_UN, F_SHIFT, 8 + 1 * 64),
    FCCF(inc_shll, K_SHIFT, F_SHIFT, 32), FCCF(inc_shrb, K_SHIFT, F_SHIFT, 8),
    FCCF(sub_sarl, K_SHIFT, F_SHIFT, 32),
    FCCF(imull, K_BIN, F_MUL, 32), FCCF(imulw, K_BIN, F_MUL, 16),
    FCCF(bsfl, K_BIN, F_BS, 32),
    FCCF(cmpxchgl, K_CMPXCHG, F_ALL, 32), FCCF(cmpxchgb, K_CMPXCHG, F_ALL, 8),
    { 0 }
};

static const op_form *const op_groups[] = {
    op_forms_arith, op_forms_logic, op_forms_bitops, op_forms_muldiv,
    op_forms_misc, op_forms_bcd, op_forms_cc, 0
};

static const uint32_t op_corners[16] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
    0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0xfffffffe,
};
static const uint8_t op_counts[16] = {
    0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255,
};

static inline uint32_t op_rand_value(uint32_t *seed)
{
    uint32_t r = xorshift32(seed), s = xorshift32(seed);
    switch (s & 7) {
    case 0: return r & 0xff;
    case 1: return r | 0xffffff00;
    case 2: return r & 0xffff;
    case 3: return (r & 0x1ff) | (s & 0x80000000);
    default: return r;
    }
}

/* width field: low 6 bits = operand size (33 = by-1 shift of 32 bits),
 * bits 6+ = immediate count of an immediate shift/double shift */
static inline uint32_t op_size(const op_form *fm) { return fm->width & 63; }
static inline uint32_t op_icount(const op_form *fm) { return (fm->width & ~OP_W_CC) >> 6; }

/* Make inputs of case i; returns 0 if the case must be skipped (#DE). */
static inline int op_make_case(const op_form *fm, int i, uint32_t *seed,
                               op_case *c)
{
    uint32_t w = op_size(fm) == 33 ? 32 : op_size(fm);
    c->fin = (xorshift32(seed) & FL_ARITH) | 0x2;
    if (i < 256) {
        c->in[0] = op_corners[i >> 4];
        c->in[1] = op_corners[i & 15];
    } else {
        c->in[0] = op_rand_value(seed);
        c->in[1] = op_rand_value(seed);
    }
    c->in[2] = xorshift32(seed);
    switch (fm->kind) {
    case K_SHIFT:
        c->in[1] = i < 256 ? op_counts[i & 15] : xorshift32(seed) & 0xff;
        break;
    case K_SHD:
        c->in[2] = i < 256 ? op_counts[i & 15] : xorshift32(seed) & 0xff;
        if (w == 16 && (c->in[2] & 31) > 16)  /* result undefined */
            c->in[2] &= 15;
        break;
    case K_BTMEM:   /* bit offsets within the 64-byte buffer (+-256 bits) */
        c->in[1] = (c->in[1] % 512) - 256;
        break;
    case K_CMPXCHG:
        if (i & 1)
            c->in[2] = c->in[0] ^ (i & 2 ? 0xffffff00 : 0);
        break;
    case K_DIV: case K_IDIV: {
        uint32_t m = w == 32 ? 0xffffffff : (1u << w) - 1;
        uint32_t b = c->in[1] & m;
        if (b == 0)
            return 0;
        if ((i & 1) && w == 8) {   /* often make the quotient fit */
            uint32_t ah = fm->kind == K_DIV ? ((c->in[0] >> 8) & 0xff) % b
                        : (c->in[0] & 0x80 ? 0xff : 0);
            c->in[0] = (c->in[0] & 0xffff00ff) | ah << 8;
        } else if (i & 1) {
            c->in[2] = fm->kind == K_DIV ? c->in[2] % b
                     : (c->in[0] & (1u << (w - 1)) ? 0xffffffff : 0);
        }
        int64_t q;
        if (w == 8) {
            uint32_t ax = c->in[0] & 0xffff;
            q = fm->kind == K_DIV ? (int64_t)(ax / b)
                                  : (int64_t)((int16_t)ax / (int8_t)b);
        } else if (w == 16) {
            uint32_t n = ((c->in[2] & 0xffff) << 16) | (c->in[0] & 0xffff);
            if (fm->kind == K_IDIV && (int32_t)n == INT32_MIN && (int16_t)b == -1)
                return 0;
            q = fm->kind == K_DIV ? (int64_t)(n / b)
                                  : (int64_t)((int32_t)n / (int16_t)b);
        } else {
            uint64_t n = ((uint64_t)c->in[2] << 32) | c->in[0];
            if (fm->kind == K_DIV) {
                if (c->in[2] >= b)
                    return 0;
                q = 0;
            } else {
                if ((int64_t)n == INT64_MIN && (int32_t)b == -1)
                    return 0;
                q = (int64_t)n / (int32_t)b;
            }
        }
        if (fm->kind == K_DIV && q > (int64_t)m)
            return 0;
        if (fm->kind == K_IDIV && (q > (int64_t)(m >> 1) || q < -(int64_t)(m >> 1) - 1))
            return 0;
        break;
    }
    }
    return 1;
}

/* Flags the manual defines for this case (unaffected flags count as
 * defined: they must be preserved). */
static inline uint32_t op_flag_mask(const op_form *fm, const op_case *c)
{
    uint32_t all = FL_ARITH;
    uint32_t w = op_size(fm) == 33 ? 32 : op_size(fm);
    uint32_t n;
    switch (fm->fl) {
    case F_ALL: case F_KEEP:
        return all;
    case F_LOGIC:
        return all & ~FL_AF;
    case F_SHIFT: case F_ROT:
        n = op_size(fm) == 33 ? 1 : op_icount(fm) ? op_icount(fm) : c->in[1];
        n &= 31;
        if (n == 0)
            return all;
        if (fm->fl == F_ROT)
            return n == 1 ? all : all & ~FL_OF;
        return (n == 1 ? all : all & ~FL_OF) & ~FL_AF & (n >= w ? ~(uint32_t)FL_CF : ~0u);
    case F_SHD:
        n = (op_icount(fm) ? op_icount(fm) : c->in[2]) & 31;
        if (n == 0)
            return all;
        return (n == 1 ? all : all & ~FL_OF) & ~FL_AF;
    case F_BT:
        return FL_CF | FL_ZF;
    case F_BS:
        return FL_ZF;
    case F_MUL:
        return fm->kind == K_DIV || fm->kind == K_IDIV ? 0 : FL_CF | FL_OF;
    case F_DAA:
        return all & ~FL_OF;
    case F_AAA:
        return FL_AF | FL_CF;
    case F_AAM:
        return FL_SF | FL_ZF | FL_PF;
    }
    return all;
}

/* Run case i of a form: inputs, snippet, masks.  Returns 0 if skipped. */
static inline int op_run_case(const op_form *fm, int i, uint32_t *seed,
                              op_case *c)
{
    c->out[0] = c->out[1] = c->out[2] = 0;
    if (!op_make_case(fm, i, seed, c))
        return 0;
    fm->fn(c);
    if (fm->width & OP_W_CC) {
        /* the flags each condition reads: O B Z BE S P L LE, then Jcc Z, L */
        static const uint16_t deps[10] = {
            FL_OF, FL_CF, FL_ZF, FL_CF | FL_ZF, FL_SF, FL_PF,
            FL_SF | FL_OF, FL_SF | FL_OF | FL_ZF, FL_ZF, FL_SF | FL_OF,
        };
        uint32_t m = op_flag_mask(fm, c);
        for (int k = 0; k < 10; k++)
            if (deps[k] & ~m)
                c->out[1] &= ~(1u << k);
    }
    c->fout &= op_flag_mask(fm, c);
    /* BSF/BSR leave the destination undefined for a zero source */
    if (fm->fl == F_BS && !(c->in[1] & (op_size(fm) == 16 ? 0xffff : ~0u)))
        c->out[0] = 0;
    return 1;
}

static inline int op_format_case(char *buf, int n, const op_form *fm,
                                 const op_case *c)
{
    return snprintf(buf, n, "%s %08x %08x %08x %03x -> %08x %08x %03x",
                    fm->name, c->in[0], c->in[1], c->in[2], c->fin,
                    c->out[0], c->out[1], c->fout);
}

#endif
