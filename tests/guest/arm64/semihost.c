/* Semihosting (HLT #0xF000, with -semihosting): SYS_WRITE0 and SYS_WRITEC
 * on the console, then SYS_EXIT with ADP_Stopped_ApplicationExit and
 * subcode 7: the emulator exits with status 7. Without -semihosting the
 * HLT is an undefined instruction (run by tests/guest/arm64/cli.sh). */
#include "lib.h"

static uint64_t semihost(uint64_t op, uint64_t arg)
{
    register uint64_t x0 __asm__("x0") = op;
    register uint64_t x1 __asm__("x1") = arg;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

static void undef_handler(ExcFrame *f, uint64_t vector)
{
    printf_("HLT raised ESR %lx\n", f->esr);
    guest_exit();
}

int main(void)
{
    puts_("-- guest start --\n");
    exc_hook = undef_handler;
    semihost(0x04, (uint64_t)"semihosting SYS_WRITE0\n");
    char c = '!';
    semihost(0x03, (uint64_t)&c);
    c = '\n';
    semihost(0x03, (uint64_t)&c);
    static uint64_t block[2] = { 0x20026, 7 };
    semihost(0x18, (uint64_t)block);
    printf_("FAIL still running after SYS_EXIT\n");
    return 0;
}
