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
