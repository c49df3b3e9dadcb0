/*
 * Multiboot v1 entry of the 64-bit bare-metal test guests. The loader
 * (kasou's or QEMU's -kernel) starts us in 32-bit protected mode; we build
 * page tables that identity-map the first 4 GiB with 2 MiB pages (user,
 * writable), turn on PAE, EFER.LME and CR0.PG, load a 64-bit GDT, far-jump
 * into 64-bit code, fill a 64-bit IDT whose stubs build a struct
 * trap_frame64 and call x86_64_trap(), then call main() and exit().
 * Must stay true: the header is in the first 8 KiB; the image is linked as
 * ELF64 at 1 MiB and converted to ELF32 (multiboot loaders want ELF32);
 * the frame layout matches struct trap_frame64 in lib64.h.
 */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .code32
    .globl _start
_start:
    cli
    movl %ebx, mb_info
    movl $stack_top, %esp
    cld
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb
    /* PML4[0] -> PDPT; PDPT[0..3] -> PD0..3; PDn[j] = 2 MiB page (n*512+j) */
    movl $pt_pdpt, %eax
    orl $0x7, %eax
    movl %eax, pt_pml4
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $12, %eax
    addl $pt_pd, %eax
    orl $0x7, %eax
    movl %eax, pt_pdpt(,%ecx,8)
    incl %ecx
    cmpl $4, %ecx
    jne 1b
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $21, %eax
    orl $0x87, %eax                 /* P, RW, US, PS */
    movl %eax, pt_pd(,%ecx,8)
    movl %ecx, %eax
    shrl $11, %eax                  /* bits 32+ of the page address */
    movl %eax, pt_pd+4(,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jne 2b
    movl %cr4, %eax
    orl $0x20, %eax                 /* PAE */
    movl %eax, %cr4
    movl $pt_pml4, %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx          /* EFER.LME */
    rdmsr
    orl $0x100, %eax
    wrmsr
    movl %cr0, %eax
    orl $0x80010000, %eax           /* PG, WP */
    movl %eax, %cr0
    lgdt gdt_desc
    ljmp $0x08, $long_entry

    .code64
long_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movq $stack_top, %rsp
    /* fill the IDT from stub_list: (vector, stub) pairs ended by -1 */
    leaq stub_list(%rip), %rsi
3:  movq (%rsi), %rcx
    cmpq $-1, %rcx
    je 4f
    movq 8(%rsi), %rax
    shlq $4, %rcx
    leaq idt(%rip), %rdi
    addq %rcx, %rdi
    movw %ax, (%rdi)
    movw $0x08, 2(%rdi)
    movw $0x8e00, 4(%rdi)
    shrq $16, %rax
    movw %ax, 6(%rdi)
    shrq $16, %rax
    movl %eax, 8(%rdi)
    movl $0, 12(%rdi)
    addq $16, %rsi
    jmp 3b
4:  lidt idt_desc(%rip)
    call lib_start
    call main
    movl %eax, %edi
    call exit
5:  hlt
    jmp 5b

/* exception stubs: those without a CPU error code push a dummy 0 */
.macro STUB n, err
    .align 16
stub_\n:
    .if \err == 0
    pushq $0
    .endif
    pushq $\n
    jmp trap_common
.endm

    .irp n, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,21,22,23,24,25,26,27,28,29,31,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,128
    STUB \n, 0
    .endr
    .irp n, 8,10,11,12,13,14,17,30
    STUB \n, 1
    .endr

trap_common:
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rbx
    pushq %rbp
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    call x86_64_trap
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rbp
    popq %rbx
    popq %rdx
    popq %rcx
    popq %rax
    addq $16, %rsp
    iretq

    .section .rodata
    .align 8
stub_list:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,128
    .quad \n, stub_\n
    .endr
    .quad -1

    .data
    .align 16
/* 0x08 kernel code64, 0x10 kernel data, 0x18 user code32 (compatibility
 * mode), 0x20 user data, 0x28 user code64 (the SYSCALL/SYSRET layout:
 * STAR[63:48] = 0x1b), 0x30 kernel code32, 0x38/0x40: a 64-bit TSS (16
 * bytes), filled in by the tests that need one */
    .globl gdt
gdt:
    .quad 0
    .quad 0x00af9a000000ffff
    .quad 0x00cf92000000ffff
    .quad 0x00cffa000000ffff
    .quad 0x00cff2000000ffff
    .quad 0x00affa000000ffff
    .quad 0x00cf9a000000ffff
    .quad 0
    .quad 0
gdt_end:
    .align 8
    .word 0, 0, 0
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt
    .align 8
    .word 0, 0, 0
idt_desc:
    .word 256 * 16 - 1
    .quad idt

    .globl mb_info
    .align 4
mb_info:
    .long 0

    .bss
    .align 4096
    .globl idt
idt:
    .space 256 * 16
    .globl pt_pml4, pt_pdpt, pt_pd
pt_pml4:
    .space 4096
pt_pdpt:
    .space 4096
pt_pd:
    .space 4 * 4096
    .align 16
    .globl stack_top
stack:
    .space 65536
stack_top:

    .section .note.GNU-stack, "", @progbits
