/*
 * Native differential test of 64-bit mode integer instructions: the same
 * source builds (a) hosted, as an x86-64 Linux program run on the host CPU
 * (the oracle), and (b) as a 64-bit bare-metal guest (the x86_64 runtime:
 * multiboot entry, then long mode) run under kasou. Both print one
 * "form <name> <cases> <hash>" line per form (FNV-1a over the case lines,
 * which -v / NATIVE_FULL print too), as insn.c does for 32-bit code.
 * The forms use REX.W, R8-R15, SIL/DIL, RIP-relative memory, 32-bit writes
 * (which must zero-extend: every register is printed in full), 8/16-bit
 * writes (which must merge), 6-bit shift counts, 128/64 division,
 * CMPXCHG16B. Must stay true: nothing printed depends on anything but the
 * CPU's defined behaviour (flag masks follow the SDM's "Flags Affected";
 * divisions that would fault are skipped identically on both sides); built
 * with -mno-red-zone, since the snippets push below RSP.
 */
#ifdef NATIVE_HOSTED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#else
#include "lib64.h"
#endif
#include <stdint.h>

#define CASES 256
#define SEED 0x9e3779b97f4a7c15ull

typedef struct c64 {
    uint64_t in[3], fin;
    uint64_t out[3], fout;
} c64;
typedef void (*fn64)(c64 *c);

/* how inputs are made */
enum { K_BIN, K_SH, K_DIV, K_IDIV, K_CX, K_CX16 };
/* which flags are defined afterwards */
enum { F_ALL, F_LOGIC, F_SHIFT, F_ROT, F_SHD, F_MUL, F_NONE, F_BT, F_BS, F_KEEP };

typedef struct form64 {
    const char *name;
    fn64 fn;
    uint8_t kind, fl, w;   /* w: operand size in bytes (count masks, division checks) */
} form64;

#define CC_C 0x001u
#define CC_P 0x004u
#define CC_A 0x010u
#define CC_Z 0x040u
#define CC_S 0x080u
#define CC_O 0x800u
#define CC_ALL (CC_C | CC_P | CC_A | CC_Z | CC_S | CC_O)

uint64_t g_mem __attribute__((aligned(16)));   /* RIP-relative operand */
uint64_t g_mem2;                               /* its upper half for CMPXCHG16B */

#define FIN  "pushq %[f]\n\tpopfq\n\t"
#define FOUT "\n\tpushfq\n\tpopq %[f]"

/* a = in[0] in R9, b = in[1] in RSI, x = in[2] in RCX (shift counts);
 * all three printed in full after the snippet */
#define OPR(fname, text)                                                    \
static void fname(c64 *c)                                                   \
{                                                                           \
    register uint64_t a __asm__("r9") = c->in[0];                           \
    register uint64_t b __asm__("rsi") = c->in[1];                          \
    register uint64_t x __asm__("rcx") = c->in[2];                          \
    uint64_t f = c->fin;                                                    \
    g_mem = c->in[1];                                                       \
    __asm__ volatile(FIN text FOUT                                          \
                     : [a] "+r"(a), [b] "+r"(b), [x] "+r"(x), [f] "+r"(f)   \
                     : : "cc", "memory");                                   \
    c->out[0] = a;                                                          \
    c->out[1] = b;                                                          \
    c->out[2] = x;                                                          \
    c->fout = f;                                                            \
}

/* the same with a in RDI (DIL) and b in R13: other REX bits */
#define OPR2(fname, text)                                                   \
static void fname(c64 *c)                                                   \
{                                                                           \
    register uint64_t a __asm__("rdi") = c->in[0];                          \
    register uint64_t b __asm__("r13") = c->in[1];                          \
    register uint64_t x __asm__("r8") = c->in[2];                           \
    uint64_t f = c->fin;                                                    \
    __asm__ volatile(FIN text FOUT                                          \
                     : [a] "+r"(a), [b] "+r"(b), [x] "+r"(x), [f] "+r"(f)   \
                     : : "cc", "memory");                                   \
    c->out[0] = a;                                                          \
    c->out[1] = b;                                                          \
    c->out[2] = x;                                                          \
    c->fout = f;                                                            \
}

/* memory operand g_mem (RIP-relative) = in[1]; out[1] = g_mem after */
#define OPM(fname, text)                                                    \
static void fname(c64 *c)                                                   \
{                                                                           \
    register uint64_t a __asm__("r10") = c->in[0];                          \
    register uint64_t x __asm__("rcx") = c->in[2];                          \
    uint64_t f = c->fin;                                                    \
    g_mem = c->in[1];                                                       \
    __asm__ volatile(FIN text FOUT                                          \
                     : [a] "+r"(a), [x] "+r"(x), [f] "+r"(f)                \
                     : : "cc", "memory");                                   \
    c->out[0] = a;                                                          \
    c->out[1] = g_mem;                                                      \
    c->out[2] = x;                                                          \
    c->fout = f;                                                            \
}

/* RAX = in[0], RDX = in[2], b = in[1] in R11 (MUL, DIV, CMPXCHG, CQO) */
#define OPAD(fname, text)                                                   \
static void fname(c64 *c)                                                   \
{                                                                           \
    register uint64_t a __asm__("rax") = c->in[0];                          \
    register uint64_t b __asm__("r11") = c->in[1];                          \
    register uint64_t d __asm__("rdx") = c->in[2];                          \
    uint64_t f = c->fin;                                                    \
    __asm__ volatile(FIN text FOUT                                          \
                     : [a] "+r"(a), [b] "+r"(b), [d] "+r"(d), [f] "+r"(f)   \
                     : : "cc", "memory");                                   \
    c->out[0] = a;                                                          \
    c->out[1] = b;                                                          \
    c->out[2] = d;                                                          \
    c->fout = f;                                                            \
}

/* A snippet, then every condition read by SETcc and two by Jcc: out[2]
 * bit k = condition k. This is how translated code reads flags (from the
 * last operation's operands), where PUSHF alone would not tell. */
#define CC_SETS                                                             \
    "\n\tseto 0(%[p])\n\tsetb 1(%[p])\n\tsetz 2(%[p])\n\tsetbe 3(%[p])"     \
    "\n\tsets 4(%[p])\n\tsetp 5(%[p])\n\tsetl 6(%[p])\n\tsetle 7(%[p])"     \
    "\n\tjnz 1f\n\tmovb $1, 8(%[p])\n1:\tjnle 2f\n\tmovb $1, 9(%[p])\n2:"
#define OPCC(fname, text)                                                   \
static void fname(c64 *c)                                                   \
{                                                                           \
    register uint64_t a __asm__("r9") = c->in[0];                           \
    register uint64_t b __asm__("rsi") = c->in[1];                          \
    register uint64_t x __asm__("rcx") = c->in[2];                          \
    uint64_t f = c->fin;                                                    \
    uint8_t r[10] = { 0 };                                                  \
    __asm__ volatile(FIN text CC_SETS FOUT                                  \
                     : [a] "+r"(a), [b] "+r"(b), [x] "+r"(x), [f] "+r"(f)   \
                     : [p] "r"(r) : "cc", "memory");                        \
    c->out[0] = a;                                                          \
    c->out[1] = b;                                                          \
    c->out[2] = 0;                                                          \
    for (int k = 0; k < 10; k++)                                            \
        c->out[2] |= (uint64_t)r[k] << k;                                   \
    c->fout = f;                                                            \
}
#define CC4(op)                                                             \
    OPCC(op##q_cc, #op "q %q[b], %q[a]")                                    \
    OPCC(op##l_cc, #op "l %k[b], %k[a]")                                    \
    OPCC(op##w_cc, #op "w %w[b], %w[a]")                                    \
    OPCC(op##b_cc, #op "b %b[b], %b[a]")
CC4(cmp) CC4(sub) CC4(add) CC4(and) CC4(test) CC4(sbb) CC4(adc)
OPCC(incq_cc, "incq %q[a]")
OPCC(decl_cc, "decl %k[a]")
OPCC(negq_cc, "negq %q[a]")
OPCC(shlq_cc, "shlq %%cl, %q[a]")
OPCC(sarl_cc, "sarl %%cl, %k[a]")
OPCC(shrq_1_cc, "shrq $1, %q[a]")
OPCC(imulq_cc, "imulq %q[b], %q[a]")
OPCC(btq_cc, "btq %q[b], %q[a]")
OPCC(bsfq_cc, "bsfq %q[b], %q[a]")
OPCC(cmpq_i_cc, "cmpq $-1, %q[a]")
OPCC(xorq_self_cc, "xorq %q[a], %q[a]")

/* MOV rAX, moffs64 and back (A1/A3 with an 8-byte address) */
static void mov_moffs(c64 *c)
{
    register uint64_t a __asm__("rax") = c->in[0];
    uint64_t f = c->fin;
    g_mem = c->in[1];
    __asm__ volatile(FIN "movabsq g_mem, %%rax\n\tmovq %%rax, %%rdx\n\tmovabsl g_mem+4, %%eax\n\t"
                     "leaq (%%rax,%%rdx), %%rax\n\tmovabsq %%rax, g_mem" FOUT
                     : "+r"(a), [f] "+r"(f) : : "rdx", "cc", "memory");
    c->out[0] = a;
    c->out[1] = g_mem;
    c->out[2] = 0;
    c->fout = f;
}

/* ---- the forms ---- */
#define ALU4(op)                                                            \
    OPR(op##q_rr, #op "q %q[b], %q[a]")                                     \
    OPR(op##l_rr, #op "l %k[b], %k[a]")                                     \
    OPR(op##w_rr, #op "w %w[b], %w[a]")                                     \
    OPR2(op##b_rr, #op "b %b[b], %b[a]")
ALU4(add) ALU4(adc) ALU4(sub) ALU4(sbb) ALU4(and) ALU4(or) ALU4(xor) ALU4(cmp) ALU4(test)

OPR(addq_i8, "addq $-3, %q[a]")
OPR(addq_i32, "addq $0x12345678, %q[a]")
OPR(subq_i32n, "subq $-0x789abcde, %q[a]")
OPR(andl_i32, "andl $0x89abcdef, %k[a]")
OPR(cmpq_i32, "cmpq $-0x80000000, %q[a]")
OPR(orw_i16, "orw $0x8001, %w[a]")
OPR(xorb_i8, "xorb $0x81, %b[b]")
OPR(adcq_i8, "adcq $-1, %q[a]")
OPR(testq_i32, "testq $0x40000001, %q[a]")
OPR(movabs, "movabsq $0xfedcba9876543210, %q[a]")
OPR(movl_i32, "movl $0x80000001, %k[a]")
OPR(movq_i32, "movq $-2, %q[a]")

OPM(addq_mrip, "addq g_mem(%%rip), %q[a]")
OPM(subq_riprm, "subq %q[a], g_mem(%%rip)")
OPM(cmpl_mrip, "cmpl g_mem(%%rip), %k[a]")
OPM(andb_mrip, "andb g_mem(%%rip), %b[a]")
OPM(orw_ripi, "orw $0x1234, g_mem+2(%%rip)")
OPM(incq_rip, "incq g_mem(%%rip)")
OPM(movl_mrip, "movl g_mem+4(%%rip), %k[a]")
OPM(movsxd_mrip, "movslq g_mem(%%rip), %q[a]")
OPM(xaddq_rip, "xaddq %q[a], g_mem(%%rip)")
OPM(lock_addq_rip, "lock addq %q[a], g_mem(%%rip)")
OPM(shlq_rip_cl, "shlq %%cl, g_mem(%%rip)")
OPM(btsq_rip, "andq $63, %q[a]\n\tbtsq %q[a], g_mem(%%rip)")

#define UN4(op)                                                             \
    OPR(op##q, #op "q %q[a]")                                               \
    OPR(op##l, #op "l %k[a]")                                               \
    OPR(op##w, #op "w %w[a]")                                               \
    OPR(op##b, #op "b %b[b]")
UN4(inc) UN4(dec) UN4(neg) UN4(not)

#define SH4(op)                                                             \
    OPR(op##q_cl, #op "q %%cl, %q[a]")                                      \
    OPR(op##l_cl, #op "l %%cl, %k[a]")                                      \
    OPR(op##w_cl, #op "w %%cl, %w[a]")                                      \
    OPR(op##b_cl, #op "b %%cl, %b[b]")
SH4(shl) SH4(shr) SH4(sar) SH4(rol) SH4(ror)
OPR(rclq_cl, "rclq %%cl, %q[a]")
OPR(rcrq_cl, "rcrq %%cl, %q[a]")
OPR(rcll_cl, "rcll %%cl, %k[a]")
OPR(rcrl_cl, "rcrl %%cl, %k[a]")
OPR(shlq_1, "shlq $1, %q[a]")
OPR(shrq_33, "shrq $33, %q[a]")
OPR(sarq_63, "sarq $63, %q[a]")
OPR(rolq_1, "rolq $1, %q[a]")
OPR(rorq_45, "rorq $45, %q[a]")
OPR(rclq_1, "rclq $1, %q[a]")
OPR(rcrq_1, "rcrq $1, %q[a]")
OPR(rclq_40, "rclq $40, %q[a]")
OPR(rorl_7, "rorl $7, %k[a]")
OPR(shll_31, "shll $31, %k[a]")
OPR(shldq_cl, "shldq %%cl, %q[b], %q[a]")
OPR(shrdq_cl, "shrdq %%cl, %q[b], %q[a]")
OPR(shldl_cl, "shldl %%cl, %k[b], %k[a]")
OPR(shrdl_cl, "shrdl %%cl, %k[b], %k[a]")
OPR(shldq_13, "shldq $13, %q[b], %q[a]")
OPR(shrdq_1, "shrdq $1, %q[b], %q[a]")

OPAD(mulq, "mulq %q[b]")
OPAD(mull, "mull %k[b]")
OPAD(imulq1, "imulq %q[b]")
OPAD(imull1, "imull %k[b]")
OPR(imulq2, "imulq %q[b], %q[a]")
OPR(imull2, "imull %k[b], %k[a]")
OPR(imulq3_i8, "imulq $-7, %q[b], %q[a]")
OPR(imulq3_i32, "imulq $0x12345, %q[b], %q[a]")
OPR(imulw3, "imulw $0x1234, %w[b], %w[a]")
OPAD(divq, "divq %q[b]")
OPAD(divl, "divl %k[b]")
OPAD(idivq, "idivq %q[b]")
OPAD(idivl, "idivl %k[b]")

OPR(btq_r, "btq %q[b], %q[a]")
OPR(btsq_r, "btsq %q[b], %q[a]")
OPR(btrq_r, "btrq %q[b], %q[a]")
OPR(btcq_r, "btcq %q[b], %q[a]")
OPR(btq_i, "btq $45, %q[a]")
OPR(btrl_r, "btrl %k[b], %k[a]")
OPR(bsfq, "bsfq %q[b], %q[a]")
OPR(bsrq, "bsrq %q[b], %q[a]")
OPR(bsfl, "bsfl %k[b], %k[a]")
OPR(bsrl, "bsrl %k[b], %k[a]")
OPR(popcntq, "popcntq %q[b], %q[a]")

OPR(bswapq, "bswapq %q[a]")
OPR2(bswapl, "bswapl %k[a]")
OPR(movsxd_rr, "movslq %k[b], %q[a]")
OPR(movsbq, "movsbq %b[b], %q[a]")
OPR(movswq, "movswq %w[b], %q[a]")
OPR(movzbl, "movzbl %b[b], %k[a]")
OPR(movzwq, "movzwq %w[b], %q[a]")
OPR(movl_rr, "movl %k[b], %k[a]")
OPR(movw_rr, "movw %w[b], %w[a]")
OPR2(movb_rr, "movb %b[b], %b[a]")
OPR(xchg_high, "xchgb %%ch, %%cl")
/* BPL and SPL (REX byte registers 5 and 4) */
OPR(addb_bpl, "pushq %%rbp\n\tmovq %q[a], %%rbp\n\taddb %b[b], %%bpl\n\tmovq %%rbp, %q[a]\n\tpopq %%rbp")
OPR(movb_bpl_sil, "pushq %%rbp\n\tmovq %q[a], %%rbp\n\tmovb %%bpl, %b[b]\n\tpopq %%rbp")
OPR(movb_spl, "movq %%rsp, %q[x]\n\tmovb %%spl, %b[a]\n\tsubb %b[x], %b[a]\n\tmovl $0, %k[x]")
OPAD(cdqe, "cltq")
OPAD(cqo, "cqto")
OPAD(cwde, "cwtl")
OPAD(cdq, "cltd")
OPAD(cbw, "cbtw")
OPR(cmovlq, "cmovlq %q[b], %q[a]")
OPR(cmovbl, "cmovbl %k[b], %k[a]")
OPR(cmovew, "cmovew %w[b], %w[a]")
OPR(setl_sil, "setl %b[b]")
OPR2(seta_dil, "seta %b[a]")
OPR(xchgq, "xchgq %q[b], %q[a]")
OPR(xchgl, "xchgl %k[b], %k[a]")
OPR(xaddq, "xaddq %q[b], %q[a]")
OPR(xaddl, "xaddl %k[b], %k[a]")
OPAD(cmpxchgq, "cmpxchgq %q[b], %q[d]")
OPAD(cmpxchgl, "cmpxchgl %k[b], %k[d]")
OPAD(cmpxchgb, "cmpxchgb %b[b], %b[d]")
OPR(leaq_sib, "leaq -8(%q[a],%q[b],4), %q[x]")
OPR(leal_67, "leal 8(%k[a],%k[b],2), %k[x]")
OPR(leal_64, "leal 0x7fffffff(%q[a]), %k[x]")
OPR(leaw, "leaw 3(%q[a],%q[b]), %w[x]")
OPR(lea_rip, "leaq g_mem+8(%%rip), %q[x]\n\tsubq $g_mem, %q[x]")
OPR(pushpopq, "pushq %q[a]\n\tpopq %q[b]")
OPR(pushpopw, "pushw %w[a]\n\tpopw %w[b]")
OPR(push_imm, "pushq $-0x1234567\n\tpopq %q[b]")
OPR(push_imm8, "pushq $-2\n\tpopq %q[x]")
/* ENTER with nesting, LEAVE: frame sizes relative to RSP */
OPR(enter_leave, "pushq %%rbp\n\tmovq %%rsp, %%rbp\n\tpushq %q[a]\n\tenterq $24, $2\n\t"
                 "movq %%rbp, %q[b]\n\tsubq %%rsp, %q[b]\n\tmovq -8(%%rbp), %q[a]\n\t"
                 "movq %%rsp, %q[x]\n\tleaveq\n\tsubq %%rsp, %q[x]\n\tpopq %%rbp\n\tpopq %%rbp")
OPR(loop, "1: addq $1, %q[a]\n\tcmpq $40, %q[x]\n\tja 2f\n\tloop 1b\n2:")
OPR(jrcxz, "jrcxz 1f\n\tmovq $7, %q[a]\n1:")
OPR(jecxz, "jecxz 1f\n\tmovq $7, %q[a]\n1:")
OPR(rip_branch, "call 1f\n1:\tpopq %q[b]\n\tsubq $1b, %q[b]")
OPAD(lahf_sahf, "lahf\n\tmovzbl %%ah, %k[d]\n\txorb $0xd5, %%ah\n\tsahf")

/* CMPXCHG16B on g_mem:g_mem2 (16-byte aligned): RDX:RAX = in[2]:in[0],
 * RCX:RBX = in[1] and its complement; in[0] == memory half the time */
static void cmpxchg16b(c64 *c)
{
    register uint64_t a __asm__("rax") = c->in[0];
    register uint64_t d __asm__("rdx") = c->in[2];
    register uint64_t bb __asm__("rbx") = c->in[1];
    register uint64_t cc __asm__("rcx") = ~c->in[1];
    uint64_t f = c->fin;
    g_mem = (c->in[1] & 1) ? c->in[0] : c->in[0] ^ 1;
    g_mem2 = (c->in[1] & 2) ? c->in[2] : c->in[2] + 1;
    __asm__ volatile(FIN "lock cmpxchg16b g_mem(%%rip)" FOUT
                     : "+r"(a), "+r"(d), [f] "+r"(f) : "r"(bb), "r"(cc) : "cc", "memory");
    c->out[0] = a ^ g_mem;
    c->out[1] = d ^ g_mem2;
    c->out[2] = g_mem + g_mem2;
    c->fout = f;
}

/* REP string forms on a buffer: counts and pointers printed relative */
static uint64_t g_buf[64];
static void rep_movsq(c64 *c)
{
    register uint64_t si __asm__("rsi") = (uint64_t)&g_buf[0];
    register uint64_t di __asm__("rdi") = (uint64_t)&g_buf[32];
    register uint64_t cx __asm__("rcx") = c->in[0] & 31;
    uint64_t f = c->fin, h = 0;
    for (int i = 0; i < 64; i++)
        g_buf[i] = c->in[1] * (uint64_t)(i + 1);
    __asm__ volatile(FIN "rep movsq" FOUT : "+r"(si), "+r"(di), "+r"(cx), [f] "+r"(f) : : "cc", "memory");
    for (int i = 0; i < 64; i++)
        h = h * 31 + g_buf[i];
    c->out[0] = si - (uint64_t)g_buf;
    c->out[1] = di - (uint64_t)g_buf + (cx << 32);
    c->out[2] = h;
    c->fout = f;
}

static void rep_stosl_67(c64 *c)
{
    register uint64_t di __asm__("rdi") = (uint64_t)&g_buf[1];
    register uint64_t cx __asm__("rcx") = (c->in[0] & 15) | (c->in[2] & ~0xffffffffull);
    register uint64_t ax __asm__("rax") = c->in[1];
    uint64_t f = c->fin, h = 0;
    for (int i = 0; i < 64; i++)
        g_buf[i] = 0;
    /* 67: EDI/ECX, written back zero-extended */
    __asm__ volatile(FIN "addr32 rep stosl" FOUT : "+r"(di), "+r"(cx), [f] "+r"(f) : "r"(ax) : "cc", "memory");
    for (int i = 0; i < 64; i++)
        h = h * 31 + g_buf[i];
    c->out[0] = di - ((uint64_t)g_buf & 0xffffffffu);
    c->out[1] = cx;
    c->out[2] = h;
    c->fout = f;
}

static void repe_cmpsq(c64 *c)
{
    register uint64_t si __asm__("rsi") = (uint64_t)&g_buf[0];
    register uint64_t di __asm__("rdi") = (uint64_t)&g_buf[32];
    register uint64_t cx __asm__("rcx") = (c->in[0] & 31) + 1;
    uint64_t f = c->fin;
    for (int i = 0; i < 32; i++) {
        g_buf[i] = (uint64_t)i * 0x0101010101010101ull;
        g_buf[32 + i] = g_buf[i];
    }
    g_buf[32 + (c->in[1] & 31)] = c->in[2];
    __asm__ volatile(FIN "repe cmpsq" FOUT : "+r"(si), "+r"(di), "+r"(cx), [f] "+r"(f) : : "cc", "memory");
    c->out[0] = si - (uint64_t)g_buf;
    c->out[1] = di - (uint64_t)g_buf;
    c->out[2] = cx;
    c->fout = f;
}

static void repne_scasq(c64 *c)
{
    register uint64_t di __asm__("rdi") = (uint64_t)&g_buf[0];
    register uint64_t cx __asm__("rcx") = (c->in[0] & 63) + 1;
    register uint64_t ax __asm__("rax") = c->in[1];
    uint64_t f = c->fin;
    for (int i = 0; i < 64; i++)
        g_buf[i] = (uint64_t)i << 40;
    g_buf[c->in[2] & 63] = c->in[1];
    __asm__ volatile(FIN "repne scasq" FOUT : "+r"(di), "+r"(cx), [f] "+r"(f) : "r"(ax) : "cc", "memory");
    c->out[0] = di - (uint64_t)g_buf;
    c->out[1] = cx;
    c->out[2] = 0;
    c->fout = f;
}

static void lodsq_std(c64 *c)
{
    register uint64_t si __asm__("rsi") = (uint64_t)&g_buf[40];
    register uint64_t ax __asm__("rax") = 0;
    uint64_t f = c->fin;
    for (int i = 0; i < 64; i++)
        g_buf[i] = c->in[0] + (uint64_t)i;
    __asm__ volatile(FIN "std\n\tlodsq\n\tlodsl\n\tcld" FOUT : "+r"(si), "+r"(ax), [f] "+r"(f) : : "cc", "memory");
    c->out[0] = si - (uint64_t)g_buf;
    c->out[1] = ax;
    c->out[2] = 0;
    c->fout = f;
}

/* Bulk REP across 4 KiB pages: MOVSB forwards and STOSQ backwards (DF=1)
 * over 12 KiB buffers, lengths and offsets from the inputs. */
static uint8_t g_big[2][12288] __attribute__((aligned(4096)));
static uint64_t big_hash(void)
{
    uint64_t h = 0;
    for (int i = 0; i < 12288; i += 8) {
        uint64_t v;
        __builtin_memcpy(&v, &g_big[1][i], 8);
        h = (h ^ v) * 0x100000001b3ull;
    }
    return h;
}
static void rep_movsb_pages(c64 *c)
{
    for (int i = 0; i < 12288; i++) {
        g_big[0][i] = (uint8_t)(i * 7 + c->in[1]);
        g_big[1][i] = 0;
    }
    register uint64_t si __asm__("rsi") = (uint64_t)&g_big[0][c->in[0] & 4095];
    register uint64_t di __asm__("rdi") = (uint64_t)&g_big[1][(c->in[0] >> 12) & 4095];
    register uint64_t cx __asm__("rcx") = c->in[2] & 8191;
    uint64_t f = c->fin;
    __asm__ volatile(FIN "rep movsb" FOUT : "+r"(si), "+r"(di), "+r"(cx), [f] "+r"(f) : : "cc", "memory");
    c->out[0] = si - (uint64_t)g_big;
    c->out[1] = di - (uint64_t)g_big + (cx << 48);
    c->out[2] = big_hash();
    c->fout = f;
}
static void rep_stosq_down(c64 *c)
{
    for (int i = 0; i < 12288; i++)
        g_big[1][i] = 0;
    register uint64_t di __asm__("rdi") = (uint64_t)&g_big[1][8192 + (c->in[0] & 4088)];
    register uint64_t cx __asm__("rcx") = c->in[2] & 1023;
    register uint64_t ax __asm__("rax") = c->in[1];
    uint64_t f = c->fin;
    __asm__ volatile(FIN "std\n\trep stosq\n\tcld" FOUT : "+r"(di), "+r"(cx), [f] "+r"(f) : "r"(ax) : "cc", "memory");
    c->out[0] = di - (uint64_t)g_big;
    c->out[1] = cx;
    c->out[2] = big_hash();
    c->fout = f;
}

#define F(n, k, fl, w) { #n, n, k, fl, w }
static const form64 forms[] = {
#define FA4(op, fl) F(op##q_rr, K_BIN, fl, 8), F(op##l_rr, K_BIN, fl, 4), \
                    F(op##w_rr, K_BIN, fl, 2), F(op##b_rr, K_BIN, fl, 1)
    FA4(add, F_ALL), FA4(adc, F_ALL), FA4(sub, F_ALL), FA4(sbb, F_ALL), FA4(and, F_LOGIC),
    FA4(or, F_LOGIC), FA4(xor, F_LOGIC), FA4(cmp, F_ALL), FA4(test, F_LOGIC),
    F(addq_i8, K_BIN, F_ALL, 8), F(addq_i32, K_BIN, F_ALL, 8), F(subq_i32n, K_BIN, F_ALL, 8),
    F(andl_i32, K_BIN, F_LOGIC, 4), F(cmpq_i32, K_BIN, F_ALL, 8), F(orw_i16, K_BIN, F_LOGIC, 2),
    F(xorb_i8, K_BIN, F_LOGIC, 1), F(adcq_i8, K_BIN, F_ALL, 8), F(testq_i32, K_BIN, F_LOGIC, 8),
    F(movabs, K_BIN, F_KEEP, 8), F(movl_i32, K_BIN, F_KEEP, 4), F(movq_i32, K_BIN, F_KEEP, 8),
    F(addq_mrip, K_BIN, F_ALL, 8), F(subq_riprm, K_BIN, F_ALL, 8), F(cmpl_mrip, K_BIN, F_ALL, 4),
    F(andb_mrip, K_BIN, F_LOGIC, 1), F(orw_ripi, K_BIN, F_LOGIC, 2), F(incq_rip, K_BIN, F_ALL, 8),
    F(movl_mrip, K_BIN, F_KEEP, 4), F(movsxd_mrip, K_BIN, F_KEEP, 8), F(xaddq_rip, K_BIN, F_ALL, 8),
    F(lock_addq_rip, K_BIN, F_ALL, 8), F(shlq_rip_cl, K_SH, F_SHIFT, 8), F(btsq_rip, K_SH, F_BT, 8),
#define FU4(op) F(op##q, K_BIN, F_ALL, 8), F(op##l, K_BIN, F_ALL, 4), \
                F(op##w, K_BIN, F_ALL, 2), F(op##b, K_BIN, F_ALL, 1)
    FU4(inc), FU4(dec), FU4(neg),
    F(notq, K_BIN, F_KEEP, 8), F(notl, K_BIN, F_KEEP, 4), F(notw, K_BIN, F_KEEP, 2), F(notb, K_BIN, F_KEEP, 1),
#define FS4(op, fl) F(op##q_cl, K_SH, fl, 8), F(op##l_cl, K_SH, fl, 4), \
                    F(op##w_cl, K_SH, fl, 2), F(op##b_cl, K_SH, fl, 1)
    FS4(shl, F_SHIFT), FS4(shr, F_SHIFT), FS4(sar, F_SHIFT), FS4(rol, F_ROT), FS4(ror, F_ROT),
    F(rclq_cl, K_SH, F_ROT, 8), F(rcrq_cl, K_SH, F_ROT, 8), F(rcll_cl, K_SH, F_ROT, 4), F(rcrl_cl, K_SH, F_ROT, 4),
    F(shlq_1, K_BIN, F_SHIFT, 8), F(shrq_33, K_BIN, F_SHIFT, 8), F(sarq_63, K_BIN, F_SHIFT, 8),
    F(rolq_1, K_BIN, F_ROT, 8), F(rorq_45, K_BIN, F_ROT, 8), F(rclq_1, K_BIN, F_ROT, 8),
    F(rcrq_1, K_BIN, F_ROT, 8), F(rclq_40, K_BIN, F_ROT, 8), F(rorl_7, K_BIN, F_ROT, 4),
    F(shll_31, K_BIN, F_SHIFT, 4),
    F(shldq_cl, K_SH, F_SHD, 8), F(shrdq_cl, K_SH, F_SHD, 8), F(shldl_cl, K_SH, F_SHD, 4),
    F(shrdl_cl, K_SH, F_SHD, 4), F(shldq_13, K_BIN, F_SHD, 8), F(shrdq_1, K_BIN, F_SHD, 8),
    F(mulq, K_BIN, F_MUL, 8), F(mull, K_BIN, F_MUL, 4), F(imulq1, K_BIN, F_MUL, 8), F(imull1, K_BIN, F_MUL, 4),
    F(imulq2, K_BIN, F_MUL, 8), F(imull2, K_BIN, F_MUL, 4), F(imulq3_i8, K_BIN, F_MUL, 8),
    F(imulq3_i32, K_BIN, F_MUL, 8), F(imulw3, K_BIN, F_MUL, 2),
    F(divq, K_DIV, F_NONE, 8), F(divl, K_DIV, F_NONE, 4), F(idivq, K_IDIV, F_NONE, 8), F(idivl, K_IDIV, F_NONE, 4),
    F(btq_r, K_BIN, F_BT, 8), F(btsq_r, K_BIN, F_BT, 8), F(btrq_r, K_BIN, F_BT, 8), F(btcq_r, K_BIN, F_BT, 8),
    F(btq_i, K_BIN, F_BT, 8), F(btrl_r, K_BIN, F_BT, 4),
    F(bsfq, K_BIN, F_BS, 8), F(bsrq, K_BIN, F_BS, 8), F(bsfl, K_BIN, F_BS, 4), F(bsrl, K_BIN, F_BS, 4),
    F(popcntq, K_BIN, F_ALL, 8),
    F(bswapq, K_BIN, F_KEEP, 8), F(bswapl, K_BIN, F_KEEP, 4), F(movsxd_rr, K_BIN, F_KEEP, 8),
    F(movsbq, K_BIN, F_KEEP, 8), F(movswq, K_BIN, F_KEEP, 8), F(movzbl, K_BIN, F_KEEP, 4),
    F(movzwq, K_BIN, F_KEEP, 8), F(movl_rr, K_BIN, F_KEEP, 4), F(movw_rr, K_BIN, F_KEEP, 2),
    F(movb_rr, K_BIN, F_KEEP, 1), F(xchg_high, K_BIN, F_KEEP, 1),
    F(addb_bpl, K_BIN, F_ALL, 1), F(movb_bpl_sil, K_BIN, F_KEEP, 1), F(movb_spl, K_BIN, F_NONE, 1),
    F(cdqe, K_BIN, F_KEEP, 8), F(cqo, K_BIN, F_KEEP, 8), F(cwde, K_BIN, F_KEEP, 4), F(cdq, K_BIN, F_KEEP, 4),
    F(cbw, K_BIN, F_KEEP, 2),
    F(cmovlq, K_BIN, F_KEEP, 8), F(cmovbl, K_BIN, F_KEEP, 4), F(cmovew, K_BIN, F_KEEP, 2),
    F(setl_sil, K_BIN, F_KEEP, 1), F(seta_dil, K_BIN, F_KEEP, 1),
    F(xchgq, K_BIN, F_KEEP, 8), F(xchgl, K_BIN, F_KEEP, 4), F(xaddq, K_BIN, F_ALL, 8), F(xaddl, K_BIN, F_ALL, 4),
    F(cmpxchgq, K_CX, F_ALL, 8), F(cmpxchgl, K_CX, F_ALL, 4), F(cmpxchgb, K_CX, F_ALL, 1),
    F(cmpxchg16b, K_CX16, F_KEEP, 8),
    F(leaq_sib, K_BIN, F_KEEP, 8), F(leal_67, K_BIN, F_KEEP, 4), F(leal_64, K_BIN, F_KEEP, 4),
    F(leaw, K_BIN, F_KEEP, 2), F(lea_rip, K_BIN, F_KEEP, 8),
    F(pushpopq, K_BIN, F_KEEP, 8), F(pushpopw, K_BIN, F_KEEP, 2), F(push_imm, K_BIN, F_KEEP, 8),
    F(push_imm8, K_BIN, F_KEEP, 8), F(enter_leave, K_BIN, F_KEEP, 8), F(loop, K_BIN, F_ALL, 8), F(jrcxz, K_BIN, F_KEEP, 8),
    F(jecxz, K_BIN, F_KEEP, 4), F(rip_branch, K_BIN, F_ALL, 8), F(lahf_sahf, K_BIN, F_KEEP, 8),
    F(rep_movsq, K_BIN, F_KEEP, 8), F(rep_stosl_67, K_BIN, F_KEEP, 4), F(repe_cmpsq, K_BIN, F_ALL, 8),
    F(repne_scasq, K_BIN, F_ALL, 8), F(lodsq_std, K_BIN, F_KEEP, 8),
    F(rep_movsb_pages, K_BIN, F_KEEP, 1), F(rep_stosq_down, K_BIN, F_KEEP, 8),
#define FC4(op, fl) F(op##q_cc, K_BIN, fl, 8), F(op##l_cc, K_BIN, fl, 4), \
                    F(op##w_cc, K_BIN, fl, 2), F(op##b_cc, K_BIN, fl, 1)
    FC4(cmp, F_ALL), FC4(sub, F_ALL), FC4(add, F_ALL), FC4(and, F_LOGIC), FC4(test, F_LOGIC),
    FC4(sbb, F_ALL), FC4(adc, F_ALL),
    F(incq_cc, K_BIN, F_ALL, 8), F(decl_cc, K_BIN, F_ALL, 4), F(negq_cc, K_BIN, F_ALL, 8),
    F(shlq_cc, K_SH, F_SHIFT, 8), F(sarl_cc, K_SH, F_SHIFT, 4), F(shrq_1_cc, K_BIN, F_SHIFT, 8),
    F(imulq_cc, K_BIN, F_MUL, 8), F(btq_cc, K_BIN, F_BT, 8), F(bsfq_cc, K_BIN, F_BS, 8),
    F(cmpq_i_cc, K_BIN, F_ALL, 8), F(xorq_self_cc, K_BIN, F_LOGIC, 8),
    F(mov_moffs, K_BIN, F_KEEP, 8),
    { 0, 0, 0, 0, 0 }
};

/* ---- inputs ---- */
static uint64_t rnd(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static const uint64_t corner[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000u, 0xffffffffu,
    0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
    0xfffffffffffffffeull, 0x0123456789abcdefull, 0x00000000ffff0000ull, 0xffffffff00000000ull,
};

static uint64_t value(uint64_t *s)
{
    uint64_t r = rnd(s);
    switch (r & 7) {
    case 0: case 1: return corner[(r >> 8) % (sizeof(corner) / sizeof(corner[0]))];
    case 2: return (r >> 8) & 0xff;
    case 3: return (uint64_t)(int64_t)(int32_t)(r >> 16);
    default: return rnd(s);
    }
}

/* Makes a case; false when it must be skipped (a division that faults). */
static int make_case(const form64 *fm, int i, uint64_t *s, c64 *c)
{
    c->in[0] = value(s);
    c->in[1] = value(s);
    c->in[2] = value(s);
    c->fin = (rnd(s) & CC_ALL) | 0x2;
    if (fm->kind == K_SH) {
        c->in[2] = (c->in[2] & ~0xffull) | (i < 80 ? (uint64_t)i : rnd(s) & 0xff);
    }
    if (fm->kind == K_CX && (i & 1)) {
        c->in[2] = c->in[0];   /* accumulator equal: the exchange happens */
    }
    if (fm->kind == K_DIV || fm->kind == K_IDIV) {
        int w = fm->w;
        uint64_t m = w == 8 ? ~0ull : 0xffffffffull;
        if ((i & 3) != 3) {
            /* the high half small or the sign of the low half: mostly no #DE */
            c->in[2] = fm->kind == K_DIV ? (c->in[2] & m) % ((c->in[1] & m) | 1)
                     : (w == 8 ? (uint64_t)((int64_t)c->in[0] >> 63)
                               : (uint64_t)(int64_t)((int32_t)c->in[0] >> 31));
        }
        if (w == 8) {
            unsigned __int128 n = ((unsigned __int128)c->in[2] << 64) | c->in[0];
            if (c->in[1] == 0)
                return 0;
            if (fm->kind == K_DIV) {
                if ((n / c->in[1]) >> 64)
                    return 0;
            } else {
                __int128 sn = (__int128)n, sd = (int64_t)c->in[1];
                if (sd == -1 && sn == (__int128)((unsigned __int128)1 << 127))
                    return 0;
                __int128 q = sd == -1 ? -sn : sn / sd;
                if (q != (int64_t)q)
                    return 0;
            }
        } else {
            uint64_t n = ((c->in[2] & m) << 32) | (c->in[0] & m), d = c->in[1] & m;
            if (d == 0)
                return 0;
            if (fm->kind == K_DIV) {
                if ((n / d) >> 32)
                    return 0;
            } else {
                int64_t sn = (int64_t)n, sd = (int32_t)d;
                if ((sn == INT64_MIN && sd == -1) || sn / sd != (int32_t)(sn / sd))
                    return 0;
            }
        }
    }
    return 1;
}

/* Flags the SDM defines after the form (mask), given its inputs. */
static uint64_t defined_flags(const form64 *fm, const c64 *c)
{
    unsigned cnt = (unsigned)(c->in[2] & 0xff) & (fm->w == 8 ? 63 : 31);
    switch (fm->fl) {
    case F_LOGIC: return CC_ALL & ~CC_A;
    case F_SHIFT:
        if (fm->kind != K_SH)
            cnt = 2;   /* immediate counts are never 0 here; OF only for 1 (shlq_1 masks it too) */
        if (cnt == 0)
            return CC_ALL;
        return (CC_ALL & ~CC_A & ~(cnt == 1 ? 0 : CC_O)) & ~(cnt >= 8u * fm->w ? CC_C : 0);
    case F_ROT:
        if (fm->kind != K_SH)
            cnt = 2;
        if (cnt == 0)
            return CC_ALL;
        return CC_ALL & ~(cnt == 1 ? 0 : CC_O);
    case F_SHD:
        if (fm->kind != K_SH)
            cnt = 2;
        if (cnt == 0)
            return CC_ALL;
        return CC_ALL & ~CC_A & ~(cnt == 1 ? 0 : CC_O);
    case F_MUL: return CC_C | CC_O;
    case F_NONE: return 0;
    case F_BT: return CC_C;
    case F_BS: return CC_Z;
    default: return CC_ALL;
    }
}

/* Condition bits (OPCC's out[2]) that depend only on defined flags. */
static uint64_t defined_conds(uint64_t m)
{
    static const uint32_t need[10] = { CC_O, CC_C, CC_Z, CC_C | CC_Z, CC_S, CC_P, CC_S | CC_O,
                                       CC_S | CC_O | CC_Z, CC_Z, CC_S | CC_O | CC_Z };
    uint64_t r = 0;
    for (int k = 0; k < 10; k++)
        if ((need[k] & m) == need[k])
            r |= 1ull << k;
    return r;
}

static int is_cc_form(const char *n)
{
    const char *e = n;
    while (*e)
        e++;
    return e - n > 3 && e[-3] == '_' && e[-2] == 'c' && e[-1] == 'c';
}

static uint32_t fnv(uint32_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 16777619u;
    }
    return h;
}

static void run(int full)
{
    char line[256];
    uint64_t seed = SEED;
    for (const form64 *fm = forms; fm->name; fm++) {
        uint32_t h = 2166136261u, n = 0;
        for (int i = 0; i < CASES; i++) {
            c64 c = { { 0 }, 0, { 0 }, 0 };
            if (!make_case(fm, i, &seed, &c))
                continue;
            fm->fn(&c);
            uint64_t mask = defined_flags(fm, &c);
            if (fm->fl == F_BS && (c.in[1] & (fm->w == 8 ? ~0ull : 0xffffffffull)) == 0)
                c.out[0] = 0;   /* destination undefined for a zero source */
            if (is_cc_form(fm->name))
                c.out[2] &= defined_conds(mask);
            snprintf(line, sizeof(line), "%s %llx %llx %llx %llx -> %llx %llx %llx %llx", fm->name,
                     (unsigned long long)c.in[0], (unsigned long long)c.in[1],
                     (unsigned long long)c.in[2], (unsigned long long)c.fin,
                     (unsigned long long)c.out[0], (unsigned long long)c.out[1],
                     (unsigned long long)c.out[2], (unsigned long long)(c.fout & mask));
            if (full)
                printf("%s\n", line);
            h = fnv(h, line);
            n++;
        }
        printf("form %s %u %08x\n", fm->name, n, h);
    }
}

#ifdef NATIVE_HOSTED
int main(int argc, char **argv)
{
    const char *e = getenv("NATIVE_FULL");
    run((argc > 1 && !strcmp(argv[1], "-v")) || (e && *e == '1'));
    return 0;
}
#else
#ifndef NATIVE_FULL
#define NATIVE_FULL 0
#endif
int main(void)
{
    run(NATIVE_FULL);
    return 0;
}
#endif
