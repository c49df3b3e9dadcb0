/*
 * Guest test: Jcc/SETcc/CMOVcc for all 16 conditions over all 32 CF/PF/ZF/
 * SF/OF combinations (one bit mask per condition, checked against the
 * manual's formulas), LOOP/LOOPE/LOOPNE/JECXZ, CALL/RET/RET imm16,
 * ENTER/LEAVE, indirect calls and jumps through tables, recursion.
 */
#include "lib.h"

static uint32_t combo_flags(uint32_t k)
{
    return (k & 1 ? FL_CF : 0) | (k & 2 ? FL_PF : 0) | (k & 4 ? FL_ZF : 0) |
           (k & 8 ? FL_SF : 0) | (k & 16 ? FL_OF : 0) | 2;
}

/* the manual's definition of condition cc for flags f */
static int cc_eval(int cc, uint32_t f)
{
    int cf = !!(f & FL_CF), pf = !!(f & FL_PF), zf = !!(f & FL_ZF);
    int sf = !!(f & FL_SF), of = !!(f & FL_OF), r;
    switch (cc >> 1) {
    case 0: r = of; break;
    case 1: r = cf; break;
    case 2: r = zf; break;
    case 3: r = cf | zf; break;
    case 4: r = sf; break;
    case 5: r = pf; break;
    case 6: r = sf != of; break;
    default: r = zf | (sf != of); break;
    }
    return (cc & 1) ? !r : r;
}

#define JCC(cc)                                                              \
static uint32_t j##cc(uint32_t f)                                            \
{                                                                            \
    uint32_t r = 0;                                                          \
    __asm__ volatile("push %1\n\tpopf\n\tj" #cc " 1f\n\tmovl $0, %0\n\t"     \
                     "jmp 2f\n1:\tmovl $1, %0\n2:"                           \
                     : "=r"(r) : "r"(f) : "cc");                             \
    return r;                                                                \
}                                                                            \
static uint32_t s##cc(uint32_t f)                                            \
{                                                                            \
    uint32_t r = 0xabcdef00;                                                 \
    __asm__ volatile("push %1\n\tpopf\n\tset" #cc " %b0" : "+q"(r) : "r"(f)  \
                     : "cc");                                                \
    return r;                                                                \
}                                                                            \
static uint32_t c##cc(uint32_t f)                                            \
{                                                                            \
    uint32_t r = 5, v = 7;                                                   \
    __asm__ volatile("push %2\n\tpopf\n\tcmov" #cc "l %1, %0" : "+r"(r)      \
                     : "r"(v), "r"(f) : "cc");                               \
    return r;                                                                \
}
JCC(o) JCC(no) JCC(b) JCC(ae) JCC(e) JCC(ne) JCC(be) JCC(a)
JCC(s) JCC(ns) JCC(p) JCC(np) JCC(l) JCC(ge) JCC(le) JCC(g)

typedef uint32_t (*ccfn)(uint32_t);
static const ccfn jcc[16] = { jo, jno, jb, jae, je, jne, jbe, ja,
                              js, jns, jp, jnp, jl, jge, jle, jg };
static const ccfn scc[16] = { so, sno, sb, sae, se, sne, sbe, sa,
                              ss, sns, sp, snp, sl, sge, sle, sg };
static const ccfn ccc[16] = { co, cno, cb, cae, ce, cne, cbe, ca,
                              cs, cns, cp, cnp, cl, cge, cle, cg };

static void conditions(void)
{
    char name[32];
    for (int cc = 0; cc < 16; cc++) {
        uint32_t mj = 0, ms = 0, mc = 0, want = 0;
        for (uint32_t k = 0; k < 32; k++) {
            uint32_t f = combo_flags(k);
            mj |= jcc[cc](f) << k;
            uint32_t s = scc[cc](f);
            ms |= (s & 1) << k;
            if ((s & ~1u) != 0xabcdef00)
                ms |= 0x80000000u;       /* SETcc wrote more than 8 bits */
            mc |= (ccc[cc](f) == 7) << k;
            want |= (uint32_t)cc_eval(cc, f) << k;
        }
        printf("cc %2d jcc=%08x setcc=%08x cmovcc=%08x\n", cc, mj, ms, mc);
        snprintf(name, sizeof(name), "jcc_%d", cc);
        check(name, mj, want);
        snprintf(name, sizeof(name), "setcc_%d", cc);
        check(name, ms, want);
        snprintf(name, sizeof(name), "cmovcc_%d", cc);
        check(name, mc, want);
    }
}

static void loops(void)
{
    uint32_t c = 10, n = 0;
    __asm__ volatile("1: incl %1\n\tloop 1b" : "+c"(c), "+r"(n) : : "cc");
    check("loop_10", n << 8 | c, 10 << 8);
    /* LOOPE stops when ZF=0: compare n with 3 */
    c = 10;
    n = 0;
    __asm__ volatile("1: incl %1\n\tcmpl $3, %1\n\tloopne 1b"
                     : "+c"(c), "+r"(n) : : "cc");
    check("loopne_stop", n << 8 | c, 3 << 8 | 7);
    c = 10;
    n = 0;
    __asm__ volatile("1: incl %1\n\tcmpl $100, %1\n\tloope 1b"
                     : "+c"(c), "+r"(n) : : "cc");
    check("loope_stop", n << 8 | c, 1 << 8 | 9);
    c = 0;
    n = 0;
    __asm__ volatile("jecxz 1f\n\tmovl $1, %1\n1:" : "+c"(c), "+r"(n));
    check("jecxz_taken", n, 0);
    c = 0x10000;
    n = 0;
    __asm__ volatile("jecxz 1f\n\tmovl $1, %1\n1:" : "+c"(c), "+r"(n));
    check("jecxz_not_taken", n, 1);
    /* LOOP with a count of 0 wraps: runs 2^32 times; use ECX=1 instead */
    c = 1;
    n = 0;
    __asm__ volatile("1: incl %1\n\tloop 1b" : "+c"(c), "+r"(n) : : "cc");
    check("loop_1", n, 1);
}

static void calls(void)
{
    uint32_t r, sp0, sp1;
    /* RET imm16 pops the return address then 8 bytes of arguments */
    __asm__ volatile("movl %%esp, %1\n\tpushl $11\n\tpushl $22\n\t"
                     "call 1f\n\tjmp 2f\n"
                     "1:\tmovl 4(%%esp), %0\n\taddl 8(%%esp), %0\n\tret $8\n"
                     "2:\tmovl %%esp, %2"
                     : "=&r"(r), "=&r"(sp0), "=&r"(sp1) : : "memory", "cc");
    check("ret_imm", r, 33);
    check("ret_imm_sp", sp0 - sp1, 0);
    /* ENTER 16, 0 / LEAVE */
    __asm__ volatile("movl %%esp, %1\n\tmovl %%ebp, %%eax\n\t"
                     "enter $16, $0\n\tmovl %%ebp, %0\n\tsubl %%esp, %0\n\t"
                     "leave\n\tmovl %%esp, %2\n\tsubl %%ebp, %%eax"
                     : "=&r"(r), "=&r"(sp0), "=&r"(sp1) : : "eax", "memory", "cc");
    check("enter_frame", r, 16);
    check("leave_sp", sp0 - sp1, 0);
    /* ENTER with nesting level 2 copies one frame pointer */
    __asm__ volatile("movl %%esp, %1\n\tpushl %%ebp\n\tmovl %%esp, %%ebp\n\t"
                     "enter $8, $2\n\tmovl %%ebp, %0\n\tsubl %%esp, %0\n\t"
                     "leave\n\tpopl %%ebp\n\tmovl %%esp, %2"
                     : "=&r"(r), "=&r"(sp0), "=&r"(sp1) : : "memory", "cc");
    check("enter_nested", r, 16);
    check("enter_nested_sp", sp0 - sp1, 0);
}

static uint32_t f_add(uint32_t x) { return x + 3; }
static uint32_t f_mul(uint32_t x) { return x * 5; }
static uint32_t f_xor(uint32_t x) { return x ^ 0x5a5a; }
static uint32_t f_rot(uint32_t x) { return x << 7 | x >> 25; }
typedef uint32_t (*ufn)(uint32_t);
static ufn volatile table[4] = { f_add, f_mul, f_xor, f_rot };

static uint32_t __attribute__((noinline)) ack(uint32_t m, uint32_t n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static uint32_t __attribute__((noinline)) fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static void indirect(void)
{
    uint32_t x = 1, seed = 42;
    for (int i = 0; i < 1000; i++)
        x = table[xorshift32(&seed) & 3](x);
    printf("indirect_calls %08x\n", x);
    /* indirect jump through a table in assembly */
    uint32_t sum = 0;
    for (uint32_t i = 0; i < 8; i++) {
        __asm__ volatile("jmp *1f(,%1,4)\n\t"
                         ".pushsection .rodata\n\t.align 4\n1:\t"
                         ".long 10f, 11f, 12f, 13f\n\t.popsection\n"
                         "10:\taddl $1, %0\n\tjmp 19f\n"
                         "11:\taddl $10, %0\n\tjmp 19f\n"
                         "12:\taddl $100, %0\n\tjmp 19f\n"
                         "13:\taddl $1000, %0\n"
                         "19:"
                         : "+r"(sum) : "r"(i & 3) : "cc");
    }
    check("jmp_table", sum, 2222);
    check("fib20", fib(20), 6765);
    check("ackermann_2_3", ack(2, 3), 9);
    printf("ack_3_5 %u\n", ack(3, 5));
}

int main(void)
{
    conditions();
    loops();
    calls();
    indirect();
    return check_failures ? 1 : 0;
}
