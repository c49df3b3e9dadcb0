/*
 * The C side of the 64-bit trap stubs: record the trap in trap_last (as
 * the 32-bit runtime does), let trap_hook64 handle it, else resume at
 * trap_resume or stop with "FAIL unexpected trap" (exit status 5).
 */
#include "lib64.h"

int (*trap_hook64)(struct trap_frame64 *f);

void x86_64_trap(struct trap_frame64 *f)
{
    trap_last.count++;
    trap_last.vector = (uint32_t)f->vector;
    trap_last.error = (uint32_t)f->error;
    trap_last.eip = (uint32_t)f->rip;
    trap_last.cr2 = f->vector == 14 ? read_cr2() : 0;
    if (trap_hook64 && trap_hook64(f))
        return;
    if (!trap_resume) {
        printf("FAIL unexpected trap vector=%u error=%x rip=%llx\n", (uint32_t)f->vector,
               (uint32_t)f->error, (unsigned long long)f->rip);
        exit(2);
    }
    f->rip = trap_resume;
    trap_resume = 0;
}

void tss64_install(uint64_t *table, unsigned n, void *tss, uint32_t size)
{
    for (unsigned i = 0; i < SEL_TSS / 8 && i < n; i++)
        table[i] = gdt[i];
    uint64_t base = (uint64_t)tss, limit = size - 1;
    table[SEL_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 | (uint64_t)0x89 << 40 |
                         ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    table[SEL_TSS / 8 + 1] = base >> 32;
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gd = {
        n * 8 - 1, (uint64_t)table };
    __asm__ volatile("lgdt %0" : : "m"(gd) : "memory");
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS) : "memory");
}
