/*
 * 16-bit mode variant of the native test (insn16.elf): the 32-bit runtime
 * (tests/guest/x86/start.S) calls main here, which installs a 16-bit code
 * segment (GDT slot 0x40: base 0, limit 4 GiB, D=0) and far-calls into it;
 * the test itself (insn.c and lib.c built with gcc -m16, their symbols
 * prefixed m16_) then runs as 16-bit code: every 32-bit operation carries
 * 66, every 32-bit address 67, and the 16-bit forms none. The code is
 * linked below 64 KiB (native16.ld), since 16-bit near jumps truncate EIP.
 */
    .text
    .code32
    .globl main
main:
    movl $0x0000ffff, gdt + 0x40
    movl $0x008f9a00, gdt + 0x44
    lcall $0x40, $main16
    ret

    .code16
main16:
    calll m16_main
    lretl
