/*
 * Guest test: string instructions with and without REP: MOVSB/MOVSD forward
 * and backward (STD), REPE CMPSB, REPNE SCASB, STOSD, LODSB/LODSD, with
 * counts 0, 1 and many; prints final ESI/EDI/ECX (as offsets) and buffer
 * hashes.  Then the bulk paths of REPE/REPNE CMPS and SCAS and REP LODS
 * over 16 KiB: stops at the end, the middle, a page boundary, unaligned
 * elements straddling pages, backward; 16-bit addressing (0x67) wrapping
 * SI/DI at 64 KiB; an FS-based source; #PF part-way (registers, flags, CR2
 * and eip of the fault).  DF is always cleared again before C code runs.
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


/* ---- bulk CMPS / SCAS / LODS ---- */
static uint8_t ba[4 * 4096] __attribute__((aligned(4096)));
static uint8_t bb[4 * 4096] __attribute__((aligned(4096)));

static void big_fill(uint32_t seed)
{
    for (uint32_t i = 0; i < sizeof(ba); i++)
        ba[i] = (uint8_t)xorshift32(&seed);
    memcpy(bb, ba, sizeof(bb));
}

/* insn runs with ESI, EDI, ECX, EAX as given; prints them after (ESI as an
 * offset into sb, EDI into db) with the arithmetic flags */
#define STR_RUN(name, insn, sb, db, s0, d0, c0, a0)                              \
    do {                                                                          \
        uint32_t s_ = (uint32_t)(s0), d_ = (uint32_t)(d0), c_ = (c0), a_ = (a0), fl_; \
        __asm__ volatile("cmpl %%ecx, %%ecx\n\t" insn "\n\tpushf\n\tpop %4\n\tcld"    \
                         : "+S"(s_), "+D"(d_), "+c"(c_), "+a"(a_), "=r"(fl_)         \
                         : : "memory", "cc");                                       \
        printf("%s s=%d d=%d c=%u a=%08x fl=%03x\n", name, (int)(s_ - (uint32_t)(sb)), \
               (int)(d_ - (uint32_t)(db)), c_, a_, fl_ & FL_ARITH);                 \
    } while (0)

static void bulk_cmps(void)
{
    static const struct { uint32_t off, n, diff; } fw[] = {
        { 0, 16384, 16383 }, { 0, 16384, 5000 }, { 4000, 8000, 4096 },
        { 4000, 8000, 4097 }, { 4000, 8000, 4095 }, { 4000, 8000, 99999 },
        { 1, 16383, 12288 }, { 0, 0, 0 },
    };
    for (unsigned i = 0; i < sizeof(fw) / sizeof(fw[0]); i++) {
        big_fill(100 + i);
        if (fw[i].diff < sizeof(bb))
            bb[fw[i].diff] ^= (uint8_t)(0x11 << (i & 3));
        STR_RUN("repe_cmpsb_fwd", "cld\n\trepe cmpsb", ba, bb, ba + fw[i].off,
                bb + fw[i].off, fw[i].n, 0);
        STR_RUN("repe_cmpsw_fwd", "cld\n\trepe cmpsw", ba, bb, ba + fw[i].off,
                bb + fw[i].off, fw[i].n / 2, 0);
        /* dwords from off+2: elements straddle the page boundaries */
        STR_RUN("repe_cmpsd_fwd", "cld\n\trepe cmpsl", ba, bb, ba + fw[i].off + 2,
                bb + fw[i].off + 2, fw[i].n / 4 - 1, 0);
        /* backward from the end of the same range */
        STR_RUN("repe_cmpsb_bwd", "std\n\trepe cmpsb", ba, bb, ba + fw[i].off + fw[i].n - 1,
                bb + fw[i].off + fw[i].n - 1, fw[i].n, 0);
        STR_RUN("repe_cmpsd_bwd", "std\n\trepe cmpsl", ba, bb, ba + fw[i].off + fw[i].n - 6,
                bb + fw[i].off + fw[i].n - 6, fw[i].n / 4 - 1, 0);
    }
    /* source and destination at different page offsets */
    big_fill(200);
    memcpy(bb + 1000, ba + 3000, 9000);
    bb[1000 + 7777] ^= 0x80;
    STR_RUN("repe_cmpsb_skew", "cld\n\trepe cmpsb", ba, bb, ba + 3000, bb + 1000, 9000, 0);
    STR_RUN("repe_cmpsd_skew", "cld\n\trepe cmpsl", ba, bb, ba + 3000, bb + 1000, 2250, 0);
    /* REPNE: everything differs except one element */
    big_fill(201);
    for (uint32_t i = 0; i < sizeof(bb); i++)
        bb[i] = ba[i] ^ 0xa5;
    bb[7001] = ba[7001];
    STR_RUN("repne_cmpsb_fwd", "cld\n\trepne cmpsb", ba, bb, ba, bb, 16384, 0);
    STR_RUN("repne_cmpsb_bwd", "std\n\trepne cmpsb", ba, bb, ba + 16383, bb + 16383, 16384, 0);
    STR_RUN("repne_cmpsb_none", "cld\n\trepne cmpsb", ba, bb, ba, bb, 7001, 0);
    memcpy(bb + 9000, ba + 9000, 4);
    STR_RUN("repne_cmpsd_fwd", "cld\n\trepne cmpsl", ba, bb, ba, bb, 4096, 0);
    STR_RUN("repne_cmpsd_bwd", "std\n\trepne cmpsl", ba, bb, ba + 16380, bb + 16380, 4096, 0);
}

static void bulk_scas(void)
{
    for (uint32_t i = 0; i < sizeof(ba); i++)
        ba[i] = (uint8_t)(i * 7 + 1) | 1;
    ba[10000] = 0;
    ba[100] = 0;
    STR_RUN("repne_scasb_10000", "cld\n\trepne scasb", ba, ba, ba, ba + 101, 16000, 0);
    STR_RUN("repne_scasb_none", "cld\n\trepne scasb", ba, ba, ba, ba + 101, 9000, 0);
    STR_RUN("repne_scasb_bwd", "std\n\trepne scasb", ba, ba, ba, ba + 16383, 16384, 0);
    STR_RUN("repne_scasb_upper", "cld\n\trepne scasb", ba, ba, ba, ba + 101, 16000, 0x12345600);
    memset(ba, 0x41, 12001);
    ba[12001] = 0x42;
    STR_RUN("repe_scasb_fwd", "cld\n\trepe scasb", ba, ba, ba, ba + 3, 16000, 0x41);
    STR_RUN("repe_scasw_fwd", "cld\n\trepe scasw", ba, ba, ba, ba + 1, 8000, 0x4141);
    STR_RUN("repe_scasd_fwd", "cld\n\trepe scasl", ba, ba, ba, ba + 3, 4000, 0x41414141);
    STR_RUN("repe_scasd_bwd", "std\n\trepe scasl", ba, ba, ba, ba + 16000, 4000, 0x41414141);
    STR_RUN("repe_scasb_count", "cld\n\trepe scasb", ba, ba, ba, ba, 12001, 0x41);
    STR_RUN("repne_scasw_bwd", "std\n\trepne scasw", ba, ba, ba, ba + 16382, 8192, 0x4241);
    STR_RUN("repne_scasd_fwd", "cld\n\trepne scasl", ba, ba, ba, ba + 2, 4000, 0x41414142);
    STR_RUN("repe_scasb_zero", "cld\n\trepe scasb", ba, ba, ba, ba, 0, 0x99);
}

static void bulk_lods(void)
{
    big_fill(300);
    STR_RUN("rep_lodsd_fwd", "cld\n\trep lodsl", ba, ba, ba + 1, ba, 3000, 0);
    STR_RUN("rep_lodsb_bwd", "std\n\trep lodsb", ba, ba, ba + 16383, ba, 9999, 0xaabbccdd);
    STR_RUN("rep_lodsw_fwd", "cld\n\trep lodsw", ba, ba, ba + 4095, ba, 3, 0xaabbccdd);
    STR_RUN("rep_lodsw_zero", "cld\n\trep lodsw", ba, ba, ba, ba, 0, 0xaabbccdd);
}

/* FS with base 0x1000 (GDT slot 0x40) as the source of CMPS and LODS */
extern uint64_t gdt[];
static void bulk_segbase(void)
{
    uint32_t sel = 0x40, old;
    big_fill(400);
    bb[6000] ^= 1;
    gdt[8] = 0x00cf92001000ffffull;
    __asm__ volatile("mov %%fs, %0\n\tmov %1, %%fs" : "=&r"(old) : "r"(sel) : "memory");
    uint32_t fsrc = (uint32_t)ba - 0x1000;
    STR_RUN("fs_repe_cmpsb", "cld\n\tfs repe cmpsb", fsrc, bb, fsrc, bb, 16384, 0);
    STR_RUN("fs_rep_lodsd", "cld\n\tfs rep lodsl", fsrc, bb, fsrc + 8, bb, 2000, 0);
    __asm__ volatile("mov %0, %%fs" : : "r"(old) : "memory");
    gdt[8] = 0;
}

/* 16-bit addressing in 32-bit code: SI/DI/CX wrap at 64 KiB, the upper
 * halves stay; uses low memory (0..0x10000, free under both emulators) */
static void bulk_addr16(void)
{
    volatile uint8_t *lo;
    __asm__("" : "=r"(lo) : "0"(0));   /* address 0, hidden from the compiler */
    STR_RUN("a16_rep_stosb", "cld\n\taddr16 rep stosb", 0, 0, 0x11110000, 0xabcdfff8,
            0x12340010, 0x5a);
    for (int i = 0; i < 16; i++)
        lo[0x7ff8 + i] = 0x5a;
    lo[0x8004] = 0x5b;
    check("a16_stosb_wrapped", lo[0xfff8] << 8 | lo[7], 0x5a5a);
    STR_RUN("a16_repe_cmpsb", "cld\n\taddr16 repe cmpsb", 0, 0, 0x5555fff8, 0x66667ff8,
            0x77770020, 0);
    for (int i = 0; i < 16; i++)
        lo[0xfff0 + i] = lo[i] = (uint8_t)i;
    lo[3] = 0x77;
    STR_RUN("a16_repne_scasb", "cld\n\taddr16 repne scasb", 0, 0, 0, 0x0000fff0, 0x40, 0x77);
    STR_RUN("a16_rep_lodsw_bwd", "std\n\taddr16 rep lodsw", 0, 0, 0x00010004, 0, 0x00000005, 0);
    STR_RUN("a16_repe_scasw_bwd", "std\n\taddr16 repe scasw", 0, 0, 0, 0x00000006, 0x20, 0x0504);
    STR_RUN("a16_rep_movsd", "cld\n\taddr16 rep movsl", 0, 0, 0xfff8, 0x7000, 4, 0);
    check("a16_movsd_data", *(volatile uint32_t *)(lo + 0x7008), 0x77020100);
}

/* #PF part-way with paging on: page 2 of ba not present */
#define STR_FAULT(name, insn, sb, db, s0, d0, c0, a0)                               \
    do {                                                                          \
        uint32_t s_ = (uint32_t)(s0), d_ = (uint32_t)(d0), c_ = (c0), a_ = (a0), fl_, ip_; \
        uint32_t n_ = trap_last.count;                                            \
        __asm__ volatile("movl $1f, trap_resume\n\tmovl $2f, %5\n\tcmpl %%ecx, %%ecx\n\t" \
                         insn "\n1:\tpushf\n\tpop %4\n\tcld"                     \
                         : "+S"(s_), "+D"(d_), "+c"(c_), "+a"(a_), "=r"(fl_), "=m"(ip_) \
                         : : "memory", "cc");                                       \
        trap_resume = 0;                                                          \
        printf("%s n=%u vec=%u err=%x cr2=%d eip=%d s=%d d=%d c=%u a=%08x fl=%03x\n", \
               name, trap_last.count - n_, trap_last.vector, trap_last.error,       \
               (int)(trap_last.cr2 - (uint32_t)ba), (int)(trap_last.eip - ip_),      \
               (int)(s_ - (uint32_t)(sb)), (int)(d_ - (uint32_t)(db)), c_, a_,      \
               fl_ & FL_ARITH);                                                    \
    } while (0)

static void bulk_fault(void)
{
    uint32_t *pte;
    big_fill(500);
    pt_init(8);
    pt_enable();
    pte = pt_pte((uint32_t)ba + 8192);
    *pte &= ~1u;
    invlpg((uint32_t)ba + 8192);
    memcpy(bb, ba + 8192 - 100, 100);
    memcpy(bb + 12288, ba + 12288, 100);
    memcpy(bb + 12288 - 100, ba + 8192 - 100, 100);
    STR_FAULT("pf_repe_cmpsb_src", "2:\trepe cmpsb", ba, bb, ba + 8192 - 100, bb, 1000, 0);
    STR_FAULT("pf_repe_cmpsb_dst", "2:\trepe cmpsb", bb, ba, bb + 12288 - 100, ba + 8192 - 100,
              1000, 0);
    STR_FAULT("pf_repe_cmpsd_bwd", "std\n2:\trepe cmpsl", bb, ba, bb + 12288 + 40,
              ba + 12288 + 40, 1000, 0);
    STR_FAULT("pf_repe_cmpsd_straddle", "2:\trepe cmpsl", ba, bb, ba + 8192 - 98, bb + 2,
              1000, 0);
    for (uint32_t i = 8192 - 3000; i < 8192; i++)
        ba[i] = (uint8_t)(ba[i] | 0x10);   /* no 0x00 or 0x03 before the hole */
    STR_FAULT("pf_repne_scasb", "2:\trepne scasb", ba, ba, ba, ba + 8192 - 3000, 5000, 0x100);
    STR_FAULT("pf_repne_scasb_upper", "2:\trepne scasb", ba, ba, ba, ba + 8192 - 3000, 5000, 0x3);
    STR_FAULT("pf_rep_lodsd", "2:\trep lodsl", ba, ba, ba + 4, ba, 3000, 0);
    STR_FAULT("pf_rep_lodsb_bwd", "std\n2:\trep lodsb", ba, ba, ba + 16000, ba, 9000, 0);
    STR_FAULT("pf_rep_stosd", "2:\trep stosl", ba, ba, ba, ba + 4100, 3000, 0x01020304);
    STR_FAULT("pf_rep_movsb", "2:\trep movsb", bb, ba, bb, ba + 4100, 5000, 0);
    *pte |= 1u;
    invlpg((uint32_t)ba + 8192);
    pt_disable();
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
    bulk_cmps();
    bulk_scas();
    bulk_lods();
    bulk_segbase();
    bulk_addr16();
    bulk_fault();
    return check_failures ? 1 : 0;
}
