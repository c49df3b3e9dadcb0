/*
 * Multiboot v1 entry of the bare-metal x86 test guests: header, stack, our
 * own flat GDT (0x08 code, 0x10 data, plus test selectors), an IDT whose
 * stubs build a struct trap_frame and call x86_trap(), then main() and exit.
 * Must stay true: the header is in the first 8 KiB (section .multiboot is
 * linked first) and the frame layout matches struct trap_frame in lib.h.
 */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    cli
    movl %ebx, mb_info      /* the multiboot info: kept in .data, not .bss */
    movl $stack_top, %esp
    cld
    /* zero .bss ourselves: a loader may only map it */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    lgdt gdt_desc
    ljmp $0x08, $1f
1:  movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    /* fill the IDT from stub_list: (vector, stub) pairs ended by -1 */
    movl $stub_list, %esi
2:  movl (%esi), %ecx
    cmpl $-1, %ecx
    je 3f
    movl 4(%esi), %eax
    movw %ax, idt(,%ecx,8)
    movw $0x08, idt+2(,%ecx,8)
    movw $0x8e00, idt+4(,%ecx,8)
    shrl $16, %eax
    movw %ax, idt+6(,%ecx,8)
    addl $8, %esi
    jmp 2b
3:
    lidt idt_desc
    call lib_start
    call main
    pushl %eax
    call exit
4:  hlt
    jmp 4b

/* exception stubs: those without a CPU error code push a dummy 0 */
.macro STUB n, err
    .align 8
stub_\n:
    .if \err == 0
    pushl $0
    .endif
    pushl $\n
    jmp trap_common
.endm

    .irp n, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,21,22,23,24,25,26,27,28,29,31,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,128
    STUB \n, 0
    .endr
    .irp n, 8,10,11,12,13,14,17,30
    STUB \n, 1
    .endr

trap_common:
    pushal
    pushl %ds
    pushl %es
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    pushl %esp
    call x86_trap
    addl $4, %esp
    popl %es
    popl %ds
    popal
    addl $8, %esp
    iret

    .section .rodata
    .align 4
stub_list:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,128
    .long \n, stub_\n
    .endr
    .long -1

    .data
    .align 8
/* flat GDT; 0x18: data with P=0 (for #NP), 0x20: ring-3 code, 0x28: ring-3
 * data, 0x30: 16-bit data limit 0xffff, 0x38: read-only data (for #GP on SS),
 * 0x40: spare for a TSS */
    .globl gdt
gdt:
    .quad 0
    .quad 0x00cf9a000000ffff
    .quad 0x00cf92000000ffff
    .quad 0x00cf12000000ffff
    .quad 0x00cffa000000ffff
    .quad 0x00cff2000000ffff
    .quad 0x000092000000ffff
    .quad 0x00cf90000000ffff
    .quad 0                     /* 0x40: a TSS, filled in by ring3.c */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt
    .align 8
idt_desc:
    .word 256 * 8 - 1
    .long idt

    .bss
    .align 4096
    .globl idt
idt:
    .space 256 * 8
    .align 16
stack:
    .space 65536
stack_top:

    .section .note.GNU-stack, "", @progbits

    .data
    .globl mb_info
    .align 4
mb_info:
    .long 0
