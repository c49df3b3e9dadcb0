/*
 * Compatibility-mode variant of the native test (insn32c.elf): the 64-bit
 * runtime (tests/guest/x86_64/start.S) calls main here, which far-calls
 * (m16:32) into the runtime's 32-bit code segment (GDT 0x30: L=0, D=1)
 * under long mode; insn.c and lib.c, compiled -m32 and assembled as
 * .code32 into this 64-bit image (symbols prefixed m32_), then run as
 * compatibility-mode code and return with a 32-bit far return.
 */
    .text
    .code64
    .globl main
main:
    lcall *far_main32(%rip)
    ret

    .code32
main32:
    call m32_main
    lret

    .data
far_main32:
    .long main32
    .word 0x30
