/*
 * Runtime of the bare-metal x86 test guests (start.S, lib.c, pt.c): serial
 * output, a printf subset, exit through isa-debug-exit, trap catching,
 * self-checks and 2-level paging.  The same header builds hosted (native
 * differential test): then only the printf/hash parts are used.
 */
#ifndef TESTS_GUEST_X86_LIB_H
#define TESTS_GUEST_X86_LIB_H

#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>

/* Frame built by the stubs in start.S; x86_trap() may change eip. */
struct trap_frame {
    uint32_t es, ds;
    uint32_t edi, esi, ebp, esp0, ebx, edx, ecx, eax;
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
};

/* Last trap taken, filled by x86_trap(). */
struct trap_info {
    uint32_t count;
    uint32_t vector, error, eip, cr2;
};

#define GUEST_START_MARK "-- guest start --"

#ifndef NATIVE_HOSTED
extern uint32_t mb_info;        /* physical address of the multiboot info (EBX at entry) */
void lib_start(void);
void putc_serial(char c);
int printf(const char *fmt, ...);
int snprintf(char *buf, size_t n, const char *fmt, ...);
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
void exit(int code) __attribute__((noreturn));
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/*
 * Catching a trap: trap_expect(resume) arms the handler; the next trap
 * records itself in trap_last and resumes at 'resume'.  An unexpected trap
 * prints "FAIL unexpected trap" and exits with status code 2.
 */
extern struct trap_info trap_last;
extern uint32_t trap_resume;
/* if set, sees every trap first; returns nonzero when it handled it */
extern int (*trap_hook)(struct trap_frame *f);
void x86_trap(struct trap_frame *f);

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint32_t read_cr2(void)
{
    uintptr_t v;   /* register width: the same source builds -m64 (tests/guest/x86_64) */
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return (uint32_t)v;
}
static inline void invlpg(uint32_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

/* 2-level paging (pt.c): identity map (user, writable) of all 4 GiB, the first
 * n4k_mib MiB (at most 128) with 4 KiB pages, the rest with 4 MiB pages. */
void pt_init(uint32_t n4k_mib);
void pt_enable(void);           /* CR4.PSE, CR3, CR0.PG|WP */
void pt_disable(void);
uint32_t *pt_pte(uint32_t va);  /* PTE of a 4 KiB-mapped va */
uint32_t *pt_pde(uint32_t va);  /* PDE of va */
#endif

/* Self-checks: print "PASS name" or "FAIL name got=.. want=..". */
extern uint32_t check_failures;
void check(const char *name, uint32_t got, uint32_t want);

/* FNV-1a, for checksum lines */
static inline uint32_t hash_u32(uint32_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 16777619u;
    }
    return h;
}
#define HASH_INIT 2166136261u

static inline uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

#define FL_CF 0x001
#define FL_PF 0x004
#define FL_AF 0x010
#define FL_ZF 0x040
#define FL_SF 0x080
#define FL_DF 0x400
#define FL_OF 0x800
#define FL_ARITH 0x8d5

#endif
