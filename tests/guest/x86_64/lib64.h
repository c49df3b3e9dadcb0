/*
 * Runtime of the 64-bit bare-metal test guests: start.S (long mode entry,
 * 64-bit IDT) and lib64.c (the trap handler), plus tests/guest/x86/lib.c
 * built -m64 for serial output, printf, check() and exit().  Trap catching
 * works as in the 32-bit runtime: `movl $1f, trap_resume` before an
 * instruction that faults resumes at 1: with trap_last filled in (code is
 * linked below 4 GiB, so a label fits trap_resume).
 */
#ifndef TESTS_GUEST_X86_64_LIB64_H
#define TESTS_GUEST_X86_64_LIB64_H

#include "lib.h"

/* Frame built by the stubs in start.S (lowest address first). */
struct trap_frame64 {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/* if set, sees every trap first; returns nonzero when it handled it */
extern int (*trap_hook64)(struct trap_frame64 *f);
void x86_64_trap(struct trap_frame64 *f);

extern uint64_t gdt[];
extern uint64_t pt_pml4[512], pt_pdpt[512], pt_pd[4 * 512];

static inline uint64_t rdmsr(uint32_t idx)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t idx, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(idx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}
static inline uint64_t read_cr(int n)
{
    uint64_t v = 0;
    switch (n) {
    case 0: __asm__ volatile("mov %%cr0, %0" : "=r"(v)); break;
    case 2: __asm__ volatile("mov %%cr2, %0" : "=r"(v)); break;
    case 3: __asm__ volatile("mov %%cr3, %0" : "=r"(v)); break;
    case 4: __asm__ volatile("mov %%cr4, %0" : "=r"(v)); break;
    }
    return v;
}
static inline void invlpg64(uint64_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}
static inline void flush_tlb(void)
{
    __asm__ volatile("mov %%cr3, %%rax\n\tmov %%rax, %%cr3" : : : "rax", "memory");
}
#define MSR_EFER 0xc0000080u
#define EFER_SCE (1u << 0)
#define EFER_LME (1u << 8)
#define EFER_LMA (1u << 10)
#define EFER_NXE (1u << 11)

/* The 64-bit TSS, and the long-mode system descriptors: both take two
 * 8-byte slots (the second holds bits 63:32 of the address). */
#define SEL_TSS 0x38
struct tss64 {
    uint32_t res0;
    uint64_t rsp[3];
    uint64_t res1;
    uint64_t ist[7];
    uint64_t res2;
    uint16_t res3, iomap;
} __attribute__((packed));

extern uint64_t idt[];

/* A 64-bit gate to fn at sel (type 0xc call, 0xe interrupt, 0xf trap). */
static inline void gate64_set(uint64_t *slot, void (*fn)(void), uint16_t sel, int dpl,
                              int ist, int type)
{
    uint64_t off = (uint64_t)fn;
    slot[0] = (off & 0xffff) | (uint64_t)sel << 16 | (uint64_t)ist << 32 |
              (uint64_t)(type | dpl << 5 | 0x80) << 40 | ((off >> 16) & 0xffff) << 48;
    slot[1] = off >> 32;
}

/* Copy start.S's GDT into table (n entries), put an available TSS of size
 * bytes at SEL_TSS, load the table with LGDT and the TSS with LTR. */
void tss64_install(uint64_t *table, unsigned n, void *tss, uint32_t size);

#endif
