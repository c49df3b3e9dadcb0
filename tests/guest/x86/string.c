/*
 * Guest test: string instructions with and without REP: MOVSB/MOVSD forward
 * and backward (STD), REPE CMPSB, REPNE SCASB, STOSD, LODSB/LODSD, with
 * counts 0, 1 and many; prints final ESI/EDI/ECX (as offsets) and buffer
 * hashes.  DF is always cleared again before C code runs.
 */
#include "lib.h"

static uint8_t src[4096], dst[4096];

static uint32_t buf_hash(const uint8_t *p, uint32_t n)
{
    uint32_t h = HASH_INIT;
    for (uint32_t i = 0; i < n; i += 4)
        h = hash_u32(h, *(const uint32_t *)(p + i));
    return h;
}

static void fill(uint32_t seed)
{
    for (int i = 0; i < 4096; i++) {
        src[i] = (uint8_t)xorshift32(&seed);
        dst[i] = 0xcc;
    }
}

static void report(const char *name, uint32_t esi, uint32_t edi, uint32_t ecx,
                   uint32_t extra)
{
    printf("%s si=%d di=%d cx=%u x=%08x dst=%08x\n", name,
           (int)(esi - (uint32_t)src), (int)(edi - (uint32_t)dst), ecx, extra,
           buf_hash(dst, sizeof(dst)));
}

static void movsb_fwd(uint32_t n)
{
    uint32_t s = (uint32_t)src + 3, d = (uint32_t)dst + 1, c = n;
    fill(n + 1);
    __asm__ volatile("cld\n\trep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    report("rep_movsb_fwd", s, d, c, n);
}

static void movsd_bwd(uint32_t n)
{
    /* copies n dwords ending at the last dword of the range, downwards */
    uint32_t s = (uint32_t)src + 4 * n + 8, d = (uint32_t)dst + 4 * n + 60, c = n;
    fill(n + 2);
    __asm__ volatile("std\n\trep movsl\n\tcld" : "+S"(s), "+D"(d), "+c"(c)
                     : : "memory", "cc");
    report("rep_movsd_bwd", s, d, c, n);
}

static void movs_overlap(void)
{
    /* backward byte copy into an overlapping higher range = memmove */
    fill(99);
    memcpy(dst, src, 256);
    uint32_t s = (uint32_t)dst + 199, d = (uint32_t)dst + 209, c = 200;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+S"(s), "+D"(d), "+c"(c)
                     : : "memory", "cc");
    check("movsb_overlap_bwd", dst[10 + 150] == src[150] && dst[10] == src[0], 1);
    uint32_t s2 = (uint32_t)src, d2 = (uint32_t)dst;
    __asm__ volatile("movsl\n\tmovsw\n\tmovsb" : "+S"(s2), "+D"(d2) : : "memory");
    check("movs_single_advance", (s2 - (uint32_t)src) << 8 | (d2 - (uint32_t)dst),
          7 << 8 | 7);
}

static void cmpsb(uint32_t n, uint32_t diff_at)
{
    fill(7);
    memcpy(dst, src, sizeof(dst));
    if (diff_at < sizeof(dst))
        dst[diff_at] ^= 0x40;
    uint32_t s = (uint32_t)src, d = (uint32_t)dst, c = n, fl;
    __asm__ volatile("cld\n\tcmpl %%ecx, %%ecx\n\trepe cmpsb\n\tpushf\n\tpop %3"
                     : "+S"(s), "+D"(d), "+c"(c), "=r"(fl) : : "memory", "cc");
    report("repe_cmpsb", s, d, c, fl & FL_ARITH);
}

static void scasb(uint32_t n, uint32_t zero_at)
{
    fill(8);
    for (int i = 0; i < 4096; i++)
        dst[i] |= 1;
    if (zero_at < sizeof(dst))
        dst[zero_at] = 0;
    uint32_t d = (uint32_t)dst, c = n, fl;
    __asm__ volatile("cld\n\txorl %%eax, %%eax\n\trepne scasb\n\tpushf\n\tpop %2"
                     : "+D"(d), "+c"(c), "=r"(fl) : : "eax", "memory", "cc");
    report("repne_scasb", (uint32_t)src, d, c, fl & FL_ARITH);
}

static void stosd(uint32_t n, int down)
{
    fill(9);
    uint32_t d = (uint32_t)dst + (down ? 4 * n + 16 : 4), c = n;
    if (down)
        __asm__ volatile("std\n\trep stosl\n\tcld" : "+D"(d), "+c"(c)
                         : "a"(0x11223344) : "memory", "cc");
    else
        __asm__ volatile("cld\n\trep stosl" : "+D"(d), "+c"(c)
                         : "a"(0x11223344) : "memory");
    report(down ? "rep_stosd_bwd" : "rep_stosd_fwd", (uint32_t)src, d, c, n);
}

static void lods(void)
{
    fill(10);
    uint32_t s = (uint32_t)src, sum = 0, a = 0;
    for (int i = 0; i < 100; i++) {
        __asm__ volatile("lodsb" : "+S"(s), "+a"(a) : : "memory");
        sum = sum * 33 + a;
    }
    for (int i = 0; i < 100; i++) {
        __asm__ volatile("lodsl" : "+S"(s), "=a"(a) : : "memory");
        sum = sum * 33 + a;
    }
    __asm__ volatile("std\n\tlodsw\n\tcld" : "+S"(s), "+a"(a) : : "memory", "cc");
    sum = sum * 33 + a;
    report("lods", s, (uint32_t)dst, 0, sum);
    check("lods_end", s - (uint32_t)src, 500 - 2);
}

int main(void)
{
    static const uint32_t counts[] = { 0, 1, 2, 3, 17, 1000, 4000 };
    for (int i = 0; i < 7; i++) {
        movsb_fwd(counts[i]);
        movsd_bwd(counts[i] / 4);
        stosd(counts[i] / 4, 0);
        stosd(counts[i] / 4, 1);
        cmpsb(counts[i], 500);
        scasb(counts[i], 700);
    }
    movs_overlap();
    lods();
    /* self-checks with known results */
    fill(1);
    uint32_t s = (uint32_t)src, d = (uint32_t)dst, c = 0;
    __asm__ volatile("cld\n\trep movsb" : "+S"(s), "+D"(d), "+c"(c) : : "memory");
    check("rep_count0_noop", (s - (uint32_t)src) | (d - (uint32_t)dst) | dst[0],
          0xcc);
    memset(dst, 0, 64);
    dst[40] = 'x';
    d = (uint32_t)dst + 1;
    c = 0xffffffff;
    __asm__ volatile("cld\n\tmovb $'x', %%al\n\trepne scasb" : "+D"(d), "+c"(c)
                     : : "eax", "memory", "cc");
    check("repne_scasb_found", d - (uint32_t)dst, 41);
    check("repne_scasb_ecx", c, 0xffffffff - 40);
    uint32_t fl;
    memcpy(dst, "abcdef", 6);
    memcpy(src, "abcxef", 6);
    s = (uint32_t)src;
    d = (uint32_t)dst;
    c = 6;
    __asm__ volatile("cld\n\trepe cmpsb\n\tpushf\n\tpop %3"
                     : "+S"(s), "+D"(d), "+c"(c), "=r"(fl) : : "memory", "cc");
    check("repe_cmpsb_stop", c << 8 | (s - (uint32_t)src), 2 << 8 | 4);
    check("repe_cmpsb_flags", fl & (FL_ZF | FL_CF), 0);  /* 'x' > 'd' */
    return check_failures ? 1 : 0;
}
