/*
 * Guest test: XCHG/CMPXCHG/CMPXCHG8B/XADD (register and locked memory
 * forms), MOVZX/MOVSX, CBW/CWDE/CWD/CDQ, LAHF/SAHF, XLAT, SETcc/CMOVcc
 * samples, CMC/CLC/STC, CPUID leaf 0 (max leaf only: vendor strings differ
 * between emulators and must not be printed).
 */
#include "opsprog.h"

int main(void)
{
    uint32_t fl, r;
    /* CMPXCHG8B: equal -> store ECX:EBX, ZF=1; differ -> load, ZF=0 */
    static volatile uint64_t q = 0x1122334455667788ull;
    uint32_t lo = 0x55667788, hi = 0x11223344;
    __asm__ volatile("lock cmpxchg8b %2\n\tpushf\n\tpopl %3"
                     : "+a"(lo), "+d"(hi), "+m"(q), "=r"(fl)
                     : "b"(0xdeadbeef), "c"(0xcafef00d) : "cc", "memory");
    check("cmpxchg8b_eq", (uint32_t)(q >> 32) == 0xcafef00d &&
          (uint32_t)q == 0xdeadbeef, 1);
    check("cmpxchg8b_eq.zf", fl & FL_ZF, FL_ZF);
    lo = 1;
    hi = 2;
    __asm__ volatile("cmpxchg8b %2\n\tpushf\n\tpopl %3"
                     : "+a"(lo), "+d"(hi), "+m"(q), "=r"(fl)
                     : "b"(0), "c"(0) : "cc", "memory");
    check("cmpxchg8b_ne", lo == 0xdeadbeef && hi == 0xcafef00d, 1);
    check("cmpxchg8b_ne.zf", fl & FL_ZF, 0);
    /* memory XADD / XCHG / CMPXCHG with LOCK */
    static volatile uint32_t m = 100;
    r = 5;
    __asm__ volatile("lock xaddl %0, %1" : "+r"(r), "+m"(m) : : "cc", "memory");
    check("xadd_mem", m << 16 | r, 105 << 16 | 100);
    r = 7;
    __asm__ volatile("xchgl %0, %1" : "+r"(r), "+m"(m) : : "memory");
    check("xchg_mem", m << 16 | r, 7 << 16 | 105);
    r = 7;
    __asm__ volatile("lock cmpxchgl %2, %1" : "+a"(r), "+m"(m) : "r"(9u)
                     : "cc", "memory");
    check("cmpxchg_mem", m << 16 | r, 9 << 16 | 7);
    static volatile uint16_t w = 0x8000;
    __asm__ volatile("lock incw %0" : "+m"(w) : : "cc", "memory");
    check("lock_inc16", w, 0x8001);
    check("movsx", ops_run(op_movsbl, 0x12345678, 0x80, 0, 0, &fl), 0xffffff80);
    check("movzx", ops_run(op_movzwl, 0x12345678, 0xffff8000, 0, 0, &fl), 0x8000);
    check("movsbw", ops_run(op_movsbw, 0x12345678, 0xff, 0, 0, &fl), 0x1234ffff);
    check("cbw", ops_run(op_cbw, 0x12345680, 0, 0, 0, &fl), 0x1234ff80);
    check("cwde", ops_run(op_cwde, 0x12348000, 0, 0, 0, &fl), 0xffff8000);
    op_case c = { { 0x80000000, 0, 0x12345678 }, 2, { 0 }, 0 };
    op_cdq(&c);
    check("cdq", c.out[1], 0xffffffff);
    op_case d = { { 0x00008000, 0, 0x12345678 }, 2, { 0 }, 0 };
    op_cwd(&d);
    check("cwd", d.out[1], 0x1234ffff);
    check("lahf", ops_run(op_lahf, 0, 0, 0, FL_CF | FL_ZF | FL_SF, &fl),
          (FL_CF | FL_ZF | FL_SF | 2) << 8);
    ops_run(op_sahf, 0xd500, 0, 0, FL_OF, &fl);
    check("sahf", fl, FL_ARITH);
    ops_run(op_cmc, 0, 0, 0, FL_CF, &fl);
    check("cmc", fl & FL_CF, 0);
    ops_run(op_stc, 0, 0, 0, 0, &fl);
    check("stc", fl & FL_CF, FL_CF);
    /* XLAT: AL = [EBX + AL] */
    static const uint8_t tbl[256] = { [0x00] = 0x11, [0x7f] = 0x22, [0xff] = 0x33 };
    uint32_t a = 0xabcd7f;
    __asm__ volatile("xlat" : "+a"(a) : "b"(tbl) : "memory");
    check("xlat_7f", a, 0xabcd22);
    a = 0xff;
    __asm__ volatile("xlatb" : "+a"(a) : "b"(tbl) : "memory");
    check("xlat_ff", a, 0x33);
    /* CPUID leaf 0: EAX = max basic leaf, at least 1 on any 486+/P5 model */
    uint32_t eax = 0, ebx, ecx, edx;
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    check("cpuid0_max_leaf_ge1", eax >= 1, 1);
    ops_print_group(op_forms_misc, 0x4242);
    return check_failures ? 1 : 0;
}
