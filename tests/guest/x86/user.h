/*
 * Ring 3 for the protection guests (ring3, gates, sysenter): a 32-bit TSS
 * at GDT selector 0x40 gives the ring-0 stack for traps from CPL3;
 * ring3_call() IRETs to a function at CPL3 (CS 0x23, SS 0x2b, on a stack
 * of its own), which comes back with "int $0x3f" (a DPL3 gate) to the
 * caller of ring3_call() in ring 0.
 */
#ifndef GUEST_X86_USER_H
#define GUEST_X86_USER_H

#include <stdint.h>

#define SEL_TSS     0x40
#define VEC_RETURN  0x3f
#define RUNTIME_GDT_N 9     /* entries of start.S's GDT, the TSS slot last */

struct tss32 {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap;
};

extern uint64_t gdt[];
extern uint64_t idt[];
extern struct tss32 ring3_tss;

/* A segment descriptor: access byte (P, DPL, S, type) and flags nibble
 * (G, D/B, L, AVL) as the SDM's figure 3-8 lays them out. */
static inline uint64_t seg_desc(uint32_t base, uint32_t limit, uint32_t access, uint32_t flags)
{
    return (limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)access << 40 |
           (uint64_t)(limit >> 16 & 0xf) << 48 | (uint64_t)flags << 52 | (uint64_t)(base >> 24) << 56;
}

static inline uint32_t read_tr(void)
{
    uint32_t v = 0;
    __asm__ volatile("str %w0" : "+r"(v));
    return v;
}

static inline uint32_t read_eflags(void)
{
    uint32_t v;
    __asm__ volatile("pushfl\n\tpopl %0" : "=r"(v));
    return v;
}

/* Install the TSS (no I/O bitmap) and the return gate. table is the GDT to
 * use: start.S's gdt itself, or a larger one of n entries that gets the
 * runtime's entries copied in and is loaded with LGDT. */
void ring3_setup(uint64_t *table, unsigned n);
/* Run fn at CPL3 until it executes "int $0x3f". */
void ring3_call(void (*fn)(void));

#endif
