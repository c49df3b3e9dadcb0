/* Loads and stores in every addressing mode: unsigned offset, unscaled,
 * pre/post-index, register offset with each extend and shift, literal,
 * pairs (LDP/STP/LDPSW/LDNP), sign and zero extension at each size,
 * exclusives (monitor set, cleared by CLREX and by a store-exclusive),
 * acquire/release, DC ZVA. Values are printed and checked against QEMU. */
#include "lib.h"

static uint8_t buf[512] __attribute__((aligned(64)));
static uint64_t hash;
static void mix(uint64_t v) { hash = (hash ^ v) * 0x100000001b3ull; }
static void show(const char *what, uint64_t v) { mix(v); printf_("%s %lx\n", what, v); }

static void fill(void)
{
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 37 + 0x81);
}



int main(void)
{
    puts_("-- guest start --\n");
    fill();
    uint8_t *p = buf + 64;
    uint64_t r, b;

#define LD(TEXT) do { __asm__ volatile(TEXT : "=&r"(r) : "r"(p) : "memory"); show(TEXT, r); } while (0)
    LD("ldrb %w0, [%1, #5]");
    LD("ldrsb %w0, [%1, #5]");
    LD("ldrsb %0, [%1, #6]");
    LD("ldrh %w0, [%1, #6]");
    LD("ldrsh %w0, [%1, #2]");
    LD("ldrsh %0, [%1, #4]");
    LD("ldr %w0, [%1, #8]");
    LD("ldrsw %0, [%1, #12]");
    LD("ldr %0, [%1, #16]");
    LD("ldur %0, [%1, #-3]");
    LD("ldurh %w0, [%1, #-1]");
    LD("ldursb %0, [%1, #-64]");
    LD("ldursw %0, [%1, #255]");
    LD("ldr %0, [%1, #4088]");

    /* pre/post index: value and the written-back base */
    b = (uint64_t)p;
    __asm__ volatile("ldr %0, [%1, #8]!" : "=&r"(r), "+r"(b) :: "memory");
    show("pre value", r); show("pre base", b - (uint64_t)p);
    __asm__ volatile("ldrh %w0, [%1], #-6" : "=&r"(r), "+r"(b) :: "memory");
    show("post value", r); show("post base", b - (uint64_t)p);
    __asm__ volatile("str %2, [%1, #-16]!" : "=&r"(r), "+r"(b) : "r"(0x1122334455667788ull) : "memory");
    show("str pre base", b - (uint64_t)p);
    __asm__ volatile("strb %w1, [%0], #3" : "+r"(b) : "r"(0xabcd) : "memory");
    show("strb post base", b - (uint64_t)p);

    /* register offsets */
    uint64_t idx = 3, neg = (uint64_t)-2;
#define LDR(TEXT, I) do { __asm__ volatile(TEXT : "=&r"(r) : "r"(p), "r"(I) : "memory"); show(TEXT, r); } while (0)
    LDR("ldr %0, [%1, %2]", idx);
    LDR("ldr %0, [%1, %2, lsl #3]", idx);
    LDR("ldr %w0, [%1, %w2, uxtw #2]", idx);
    LDR("ldr %w0, [%1, %w2, sxtw #2]", neg);
    LDR("ldrh %w0, [%1, %2, sxtx #1]", neg);
    LDR("ldrsb %0, [%1, %w2, sxtw]", neg);
    LDR("ldrsh %w0, [%1, %2, lsl #1]", idx);
    LDR("ldrsw %0, [%1, %w2, uxtw]", idx);
    __asm__ volatile("prfm pldl1keep, [%0, #64]\nprfm pstl2strm, [%0, %1]\nprfum pldl1keep, [%0, #3]" :: "r"(p), "r"(idx));

    /* literal */
    __asm__ volatile("ldr %0, 1f\nb 2f\n.balign 8\n1: .quad 0x8877665544332211\n2:" : "=r"(r));
    show("ldr literal", r);
    __asm__ volatile("ldrsw %0, 1f\nb 2f\n.balign 4\n1: .word 0x80000001\n2:" : "=r"(r));
    show("ldrsw literal", r);
    __asm__ volatile("ldr %w0, 1f\nb 2f\n.balign 4\n1: .word 0xfedcba98\n2:" : "=r"(r));
    show("ldr w literal", r);

    /* pairs */
    uint64_t r2;
    b = (uint64_t)p;
    __asm__ volatile("ldp %0, %1, [%2, #16]" : "=&r"(r), "=&r"(r2) : "r"(b) : "memory");
    show("ldp a", r); show("ldp b", r2);
    __asm__ volatile("ldp %w0, %w1, [%2, #-8]" : "=&r"(r), "=&r"(r2) : "r"(b) : "memory");
    show("ldp w a", r); show("ldp w b", r2);
    __asm__ volatile("ldpsw %0, %1, [%2, #4]" : "=&r"(r), "=&r"(r2) : "r"(b) : "memory");
    show("ldpsw a", r); show("ldpsw b", r2);
    __asm__ volatile("ldnp %0, %1, [%2, #32]" : "=&r"(r), "=&r"(r2) : "r"(b) : "memory");
    show("ldnp a", r); show("ldnp b", r2);
    __asm__ volatile("stp %2, %3, [%0, #-32]!\nldr %1, [%0, #8]" : "+r"(b), "=&r"(r) : "r"(1ull), "r"(2ull) : "memory");
    show("stp pre base", b - (uint64_t)p);
    __asm__ volatile("ldp %1, %2, [%0], #48" : "+r"(b), "=&r"(r), "=&r"(r2) :: "memory");
    show("ldp post a", r); show("ldp post b", r2); show("ldp post base", b - (uint64_t)p);
    __asm__ volatile("stp %w1, %w2, [%0, #-4]" :: "r"(b), "r"(0xdeadbeefu), "r"(0xcafef00du) : "memory");
    __asm__ volatile("ldr %0, [%1, #-4]" : "=r"(r) : "r"(b) : "memory");
    show("stp w", r);

    /* exclusives */
    uint64_t status;
    uint64_t *x = (uint64_t *)(buf + 128);
    *x = 5;
    __asm__ volatile("ldxr %0, [%2]\nadd %0, %0, #1\nstxr %w1, %0, [%2]" : "=&r"(r), "=&r"(status) : "r"(x) : "memory");
    show("ldxr/stxr value", *x); show("stxr status", status);
    __asm__ volatile("stxr %w0, %1, [%2]" : "=&r"(status) : "r"(99ull), "r"(x) : "memory");
    show("stxr without ldxr status", status); show("unchanged", *x);
    __asm__ volatile("ldaxr %0, [%2]\nclrex\nstlxr %w1, %0, [%2]" : "=&r"(r), "=&r"(status) : "r"(x) : "memory");
    show("stlxr after clrex status", status);
    __asm__ volatile("ldxp %0, %1, [%3]\nstxp %w2, %1, %0, [%3]" : "=&r"(r), "=&r"(r2), "=&r"(status) : "r"(buf + 192) : "memory");
    show("ldxp a", r); show("ldxp b", r2); show("stxp status", status);
    show("stxp swapped", *(uint64_t *)(buf + 192));
    __asm__ volatile("ldxrb %w0, [%2]\nstxrb %w1, %w0, [%2]" : "=&r"(r), "=&r"(status) : "r"(buf + 7) : "memory");
    show("ldxrb", r); show("stxrb status", status);
    __asm__ volatile("ldarh %w0, [%1]" : "=r"(r) : "r"(buf + 10) : "memory");
    show("ldarh", r);
    __asm__ volatile("stlr %w0, [%1]" :: "r"(0x12345678u), "r"(buf + 12) : "memory");
    show("stlr", *(uint32_t *)(buf + 12));

    /* DC ZVA: 64 bytes (DCZID_EL0) */
    show("dczid", READ_SYSREG(dczid_el0));
    __asm__ volatile("dc zva, %0" :: "r"(buf + 256 + 17) : "memory");
    uint64_t sum = 0;
    for (int i = 240; i < 336; i++)
        sum = sum * 3 + buf[i];
    show("after dc zva", sum);

    printf_("hash %lx\n", hash);
    check("ldst ran", 1, 1);
    return 0;
}
