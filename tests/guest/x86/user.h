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

/* Install the TSS (no I/O bitmap) and the return gate. table is the GDT to
 * use: start.S's gdt itself, or a larger one of n entries that gets the
 * runtime's entries copied in and is loaded with LGDT. */
void ring3_setup(uint64_t *table, unsigned n);
/* Run fn at CPL3 until it executes "int $0x3f". */
void ring3_call(void (*fn)(void));

#endif
