/*
 * A tiny firmware image started at the reset vector (kasou and QEMU with
 * -bios): in real mode it checks segment arithmetic, 16/32-bit operand and
 * address sizes (66/67 prefixes), INT n through the IVT and IRET, far
 * calls and jumps, and the A20 gate of port 0x92; then it enters 32-bit
 * protected mode, runs two virtual-8086 tasks under a TSS-based monitor
 * (IOPL 0: the IOPL-sensitive instructions fault with #GP(0); IOPL 3:
 * they run and INT n goes through the IDT), and enters long mode,
 * printing one line per check on COM1, and ends through isa-debug-exit
 * (port 0xf4, value 0).
 * Offsets are within the F000 segment; 32/64-bit code runs flat, where
 * the image's first byte is at ROM_BASE.
 */
#define ROM_BASE  0xf0000
#define COM1      0x3f8
#define STACK     0x7000
#define PT_BASE   0x10000            /* PML4, PDPT, PD */
#define SEL_CODE32 0x08
#define SEL_DATA   0x10
#define SEL_CODE64 0x18
#define SEL_TSS    0x20
/* the virtual-8086 stage's tables and results, in RAM */
#define TSS_BASE   0x8000
#define GDT_RAM    0x9000
#define GDTR_RAM   0x9100
#define IDTR_RAM   0x9110
#define IDT_RAM    0x9800
#define VM_ESP0    0x5000            /* the monitor's stack (TSS.esp0) */
#define VM_STACK   0x6000            /* the vm86 task's stack, 0000:6000 */
#define SAVED_ESP  0x9f00
#define VM_ERRS    0x9f04            /* error codes of every #GP, or'ed */
#define VM_VMBITS  0x9f08            /* EFLAGS.VM of every #GP frame, and'ed */
#define VM_CLI     0x9f0c            /* #GPs on CLI */
#define VM_OUT     0x9f10            /* #GPs on OUT */
#define VM_VEC     0x9f14            /* the vector of the INT n that ended it */
#define VM_BAD     0x9f18            /* any other faulting opcode */
#define VM_CS      0x9f1c            /* CS as the vm86 code saw it */
#define VM_PUSHF   0x9f20            /* #GPs on PUSHF, POPF and IRET */
#define VM_FLAGS3  0x9f24            /* FLAGS as PUSHF gave them at IOPL 3 */
#define VM_INT_EIP 0x9f28            /* the INT n frame at IOPL 3: eip, cs, eflags */
#define VM_INT_CS  0x9f2c
#define VM_INT_EFL 0x9f30
#define IDT_ENTRIES 0x32

/* RESULT: ZF set = pass; prints "name: ok" or "name: FAIL" */
.macro RESULT16 name
    jnz .Lfail\@
    mov $.Lname\@, %si
    call puts16
    mov $str_ok, %si
    jmp .Lout\@
.Lfail\@:
    mov $.Lname\@, %si
    call puts16
    mov $str_fail, %si
.Lout\@:
    call puts16
    jmp .Lnext\@
.Lname\@: .asciz "\name"
.Lnext\@:
.endm

.macro RESULT32 name
    jnz .Lfail\@
    mov $ROM_BASE + .Lname\@, %esi
    call puts32
    mov $ROM_BASE + str_ok, %esi
    jmp .Lout\@
.Lfail\@:
    mov $ROM_BASE + .Lname\@, %esi
    call puts32
    mov $ROM_BASE + str_fail, %esi
.Lout\@:
    call puts32
    jmp .Lnext\@
.Lname\@: .asciz "\name"
.Lnext\@:
.endm

.macro RESULT64 name
    jnz .Lfail\@
    mov $ROM_BASE + .Lname\@, %esi
    call puts64
    mov $ROM_BASE + str_ok, %esi
    jmp .Lout\@
.Lfail\@:
    mov $ROM_BASE + .Lname\@, %esi
    call puts64
    mov $ROM_BASE + str_fail, %esi
.Lout\@:
    call puts64
    jmp .Lnext\@
.Lname\@: .asciz "\name"
.Lnext\@:
.endm

    .text
    .code16
start16:
    cli
    cld
    xor %ax, %ax
    mov %ax, %ss
    mov $STACK, %sp
    mov %ax, %ds
    /* every PIC line masked: the tests enable interrupts (IRQ 0 would
     * reach an IVT nobody filled) */
    mov $0xff, %al
    out %al, $0x21
    out %al, $0xa1
    mov $str_start, %si
    call puts16

    /* the reset state: CS selector F000 (its base is 0xFFFF0000 until
     * the first far jump, then 0xF0000) */
    mov %cs, %ax
    cmp $0xf000, %ax
    RESULT16 "real: cs after the reset"

    /* segment:offset = segment * 16 + offset, through two segment pairs */
    mov $0x1234, %ax
    mov %ax, %es
    movw $0xbeef, %es:0x5678
    mov $0x179b, %ax
    mov %ax, %fs
    cmpw $0xbeef, %fs:0x8
    RESULT16 "real: segment arithmetic"

    /* 16-bit effective addresses wrap at 64 KiB */
    movb $0x77, 0x600
    mov $0xffff, %bx
    cmpb $0x77, 0x601(%bx)
    RESULT16 "real: 16-bit address wraparound"

    /* 66: 32-bit operands; a 16-bit write keeps the upper half */
    mov $0x12345678, %eax
    mov $0x9999, %ax
    rol $8, %eax
    cmp $0x34999912, %eax
    RESULT16 "real: operand size prefix"

    /* 67: 32-bit addressing with a scaled index */
    movw $0x4321, 0x580
    mov $0x500, %ebx
    mov $0x40, %ecx
    addr32 cmpw $0x4321, (%ebx,%ecx,2)
    RESULT16 "real: address size prefix"

    /* INT n through the IVT: IF cleared in the handler, flags restored */
    movw $int40, 0x100
    movw $0xf000, 0x102
    xor %bx, %bx
    sti
    int $0x40
    pushf
    pop %dx
    cli
    and $0x200, %cx           /* IF as the handler saw it: 0 */
    and $0x200, %dx           /* after IRET: 1 again */
    cmp $0x55aa, %bx
    jne 1f
    cmp $0x0200, %dx
    jne 1f
    test %cx, %cx
1:  RESULT16 "real: int n and iret"

    /* far call/ret and an indirect far jump */
    xor %dx, %dx
    lcall $0xf000, $farfn
    cmp $0x42, %dx
    RESULT16 "real: far call"
    ljmp *%cs:farptr
farjmp_back:
    mov %cs, %ax
    cmp $0xf000, %ax
    RESULT16 "real: far jump"

    /* A20: off, FFFF:0510 (0x100500) aliases 0000:0500; on, it does not */
    mov $0xffff, %ax
    mov %ax, %es
    in $0x92, %al
    and $0xfc, %al            /* bit 1 A20 off; bit 0 (reset) stays 0 */
    out %al, $0x92
    movw $0x1234, 0x500
    movw $0xabcd, %es:0x510
    cmpw $0xabcd, 0x500
    RESULT16 "real: a20 off wraps at 1 MiB"
    in $0x92, %al
    or $0x02, %al
    and $0xfe, %al
    out %al, $0x92
    movw $0x1234, 0x500
    movw $0xabcd, %es:0x510
    cmpw $0x1234, 0x500
    RESULT16 "real: a20 on reaches 1 MiB"

    /* protected mode: GDT, CR0.PE, far jump to a 32-bit code segment */
    lgdtl %cs:gdtr
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $SEL_CODE32, $ROM_BASE + start32

int40:
    pushf
    pop %cx
    mov $0x55aa, %bx
    iret

farfn:
    mov $0x42, %dx
    lret

farptr:
    .word farjmp_back, 0xf000

puts16:                       /* cs:si, NUL-terminated */
    push %ax
1:  mov %cs:(%si), %al
    test %al, %al
    jz 2f
    call putc16
    inc %si
    jmp 1b
2:  pop %ax
    ret

putc16:                       /* al, when the transmitter is empty */
    push %dx
    push %ax
    mov $COM1 + 5, %dx
1:  in %dx, %al
    test $0x20, %al
    jz 1b
    pop %ax
    mov $COM1, %dx
    out %al, %dx
    pop %dx
    ret

    .code32
start32:
    mov $SEL_DATA, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $STACK, %esp
    mov $ROM_BASE + str_pm, %esi
    call puts32
    mov %cr0, %eax
    test $1, %al
    jz 1f
    mov %cs, %ax
    cmp $SEL_CODE32, %ax
1:  RESULT32 "protected: cr0.pe and cs"

    /* flat 4 GiB segments: above 1 MiB and the ROM at its 4 GiB name */
    movl $0xfeedf00d, 0x200000
    cmpl $0xfeedf00d, 0x200000
    jne 1f
    mov 0xffff0000, %eax
    cmp ROM_BASE, %eax
1:  RESULT32 "protected: flat segments"

    /* virtual-8086 mode: a ring-0 monitor with a TSS (esp0) and a #GP
     * gate; the task, entered by IRET with EFLAGS.VM, runs at IOPL 0 */
    mov $ROM_BASE + gdt, %esi          /* the GDT to RAM: LTR sets the TSS's busy bit */
    mov $GDT_RAM, %edi
    mov $(gdt_end - gdt) / 4, %ecx
    rep movsl
    movw $gdt_end - gdt - 1, GDTR_RAM
    movl $GDT_RAM, GDTR_RAM + 2
    lgdt GDTR_RAM
    mov $TSS_BASE, %edi
    xor %eax, %eax
    mov $104 / 4, %ecx
    rep stosl
    movl $VM_ESP0, TSS_BASE + 4
    movl $SEL_DATA, TSS_BASE + 8
    movw $104, TSS_BASE + 0x66         /* I/O map base past the limit: no bitmap */
    mov $SEL_TSS, %ax
    ltr %ax
    mov $IDT_RAM, %edi
    mov $IDT_ENTRIES * 2, %ecx
    xor %eax, %eax
    rep stosl
    mov $ROM_BASE + gp_handler, %eax   /* vector 13: 32-bit interrupt gate */
    mov %eax, %ebx
    and $0xffff, %eax
    or $SEL_CODE32 << 16, %eax
    and $0xffff0000, %ebx
    or $0x8e00, %ebx
    mov %eax, IDT_RAM + 13 * 8
    mov %ebx, IDT_RAM + 13 * 8 + 4
    mov $ROM_BASE + int31_handler, %eax   /* vector 0x31: DPL 3 interrupt gate */
    mov %eax, %ebx
    and $0xffff, %eax
    or $SEL_CODE32 << 16, %eax
    and $0xffff0000, %ebx
    or $0xee00, %ebx
    mov %eax, IDT_RAM + 0x31 * 8
    mov %ebx, IDT_RAM + 0x31 * 8 + 4
    movw $IDT_ENTRIES * 8 - 1, IDTR_RAM
    movl $IDT_RAM, IDTR_RAM + 2
    lidt IDTR_RAM
    xor %eax, %eax
    mov %eax, VM_ERRS
    mov %eax, VM_CLI
    mov %eax, VM_OUT
    mov %eax, VM_VEC
    mov %eax, VM_BAD
    mov %eax, VM_CS
    mov %eax, VM_PUSHF
    movl $0x20000, VM_VMBITS
    mov %esp, SAVED_ESP
    push $0                            /* gs, fs, ds, es */
    push $0
    push $0
    push $0
    push $0                            /* ss:esp */
    push $VM_STACK
    push $0x20002                      /* EFLAGS: VM, IOPL 0, IF 0 */
    push $0xf000                       /* cs:eip */
    push $vm86_task
    iretl
vm86_done:
    cmpw $0xf000, VM_CS
    RESULT32 "vm86: real-mode segments"
    cmpl $1, VM_CLI
    RESULT32 "vm86: cli at iopl 0 faults to the monitor"
    cmpl $1, VM_OUT
    RESULT32 "vm86: out without an i/o bitmap faults"
    cmpl $3, VM_PUSHF
    RESULT32 "vm86: pushf, popf and iret at iopl 0 fault"
    cmpl $0x30, VM_VEC
    jne 1f
    cmpl $0, VM_BAD
1:  RESULT32 "vm86: int n at iopl 0 faults to the monitor"
    cmpl $0, VM_ERRS
    jne 1f
    cmpl $0x20000, VM_VMBITS
1:  RESULT32 "vm86: #gp error code 0, eflags.vm in the frame"

    /* at IOPL 3: CLI/STI/PUSHF run in the task, INT n goes through the
     * IDT (a DPL 3 gate) to ring 0 with the vm86 frame */
    mov %esp, SAVED_ESP
    push $0
    push $0
    push $0
    push $0
    push $0
    push $VM_STACK
    push $0x23002                      /* EFLAGS: VM, IOPL 3, IF 0 */
    push $0xf000
    push $vm86_task3
    iretl
vm86_done3:
    cmpl $0, VM_BAD
    jne 1f
    mov VM_FLAGS3, %eax
    and $0x3200, %eax
    cmp $0x3200, %eax
1:  RESULT32 "vm86: cli, sti and pushf at iopl 3"
    cmpl $ROM_BASE + vm86_after_int - 0xf0000, VM_INT_EIP
    jne 1f
    cmpl $0xf000, VM_INT_CS
    jne 1f
    mov VM_INT_EFL, %eax
    and $0x23000, %eax
    cmp $0x23000, %eax
1:  RESULT32 "vm86: int n at iopl 3 through the idt"

    /* long mode: identity map of the first GiB in 2 MiB pages */
    mov $PT_BASE, %edi
    xor %eax, %eax
    mov $3 * 1024, %ecx
    rep stosl
    movl $PT_BASE + 0x1003, PT_BASE
    movl $PT_BASE + 0x2003, PT_BASE + 0x1000
    mov $PT_BASE + 0x2000, %edi
    mov $0x83, %eax           /* present, writable, 2 MiB */
    mov $512, %ecx
1:  mov %eax, (%edi)
    add $0x200000, %eax
    add $8, %edi
    loop 1b
    mov %cr4, %eax
    or $0x20, %eax            /* PAE */
    mov %eax, %cr4
    mov $PT_BASE, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx     /* EFER.LME */
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax
    or $0x80000000, %eax
    mov %eax, %cr0
    ljmp $SEL_CODE64, $ROM_BASE + start64

/* #GP from the vm86 task: CLI and OUT are skipped, INT n (or anything
 * else) ends the task. Frame: err, eip, cs, eflags, esp, ss, es, ds, fs, gs. */
gp_handler:
    push %eax
    push %ebx
    push %ds
    mov $SEL_DATA, %ax
    mov %ax, %ds
    mov 12(%esp), %eax
    or %eax, VM_ERRS
    mov 24(%esp), %eax
    and %eax, VM_VMBITS
    movzwl 20(%esp), %ebx
    shl $4, %ebx
    add 16(%esp), %ebx                 /* the faulting instruction, linear */
    movzbl (%ebx), %eax
    cmp $0xfa, %al
    je 1f
    cmp $0xe6, %al
    je 2f
    cmp $0x9c, %al
    je 6f
    cmp $0x9d, %al
    je 6f
    cmp $0xcf, %al
    je 6f
    cmp $0xcd, %al
    je 3f
    mov %eax, VM_BAD
    jmp 4f
1:  incl VM_CLI
    addl $1, 16(%esp)
    jmp 5f
2:  incl VM_OUT
    addl $2, 16(%esp)
    jmp 5f
6:  incl VM_PUSHF
    addl $1, 16(%esp)
    jmp 5f
3:  movzbl 1(%ebx), %eax
    mov %eax, VM_VEC
4:  mov $SEL_DATA, %ax                 /* end of the task: back to the monitor */
    mov %ax, %es
    mov %ax, %fs
    mov %ax, %gs
    mov SAVED_ESP, %esp
    jmp vm86_done
5:  pop %ds
    pop %ebx
    pop %eax
    add $4, %esp
    iretl

/* INT 0x31 from the IOPL 3 task. Frame: eip, cs, eflags, esp, ss, es,
 * ds, fs, gs. */
int31_handler:
    mov $SEL_DATA, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %fs
    mov %ax, %gs
    mov (%esp), %eax
    mov %eax, VM_INT_EIP
    mov 4(%esp), %eax
    mov %eax, VM_INT_CS
    mov 8(%esp), %eax
    mov %eax, VM_INT_EFL
    mov SAVED_ESP, %esp
    jmp vm86_done3

    .code16
vm86_task:
    mov %cs, %ax
    mov %ax, VM_CS
    cli
    out %al, $0x80
    pushf
    popf
    iret
    int $0x30
    hlt                                /* not reached */

vm86_task3:
    cli
    sti
    pushf
    pop %ax
    mov %ax, VM_FLAGS3
    cli
    int $0x31
vm86_after_int:
    hlt                                /* not reached */
    .code32

puts32:                       /* esi, NUL-terminated */
    push %eax
1:  lodsb
    test %al, %al
    jz 2f
    call putc32
    jmp 1b
2:  pop %eax
    ret

putc32:
    push %edx
    push %eax
    mov $COM1 + 5, %dx
1:  in %dx, %al
    test $0x20, %al
    jz 1b
    pop %eax
    mov $COM1, %dx
    out %al, %dx
    pop %edx
    ret

    .code64
start64:
    mov $ROM_BASE + str_lm, %esi
    call puts64
    mov $0xc0000080, %ecx     /* EFER.LMA set by paging on */
    rdmsr
    and $0x500, %eax
    cmp $0x500, %eax
    RESULT64 "long: efer.lma"
    movabs $0x123456789abcdef0, %rax
    mov %rax, %rbx
    shr $32, %rbx
    cmp $0x12345678, %rbx
    jne 1f
    mov %rsp, %rcx            /* 64-bit stack */
    push %rax
    cmp (%rsp), %rax
    pop %rdx
    jne 1f
    cmp %rcx, %rsp
    jne 1f
    cmp %rax, %rdx
1:  RESULT64 "long: 64-bit registers and stack"
    mov $ROM_BASE + str_done, %esi
    call puts64
    mov $0xf4, %dx            /* isa-debug-exit: status (0 << 1) | 1 */
    xor %eax, %eax
    out %eax, %dx
2:  hlt
    jmp 2b

puts64:
    push %rax
1:  lodsb
    test %al, %al
    jz 2f
    call putc64
    jmp 1b
2:  pop %rax
    ret

putc64:
    push %rdx
    push %rax
    mov $COM1 + 5, %dx
1:  in %dx, %al
    test $0x20, %al
    jz 1b
    pop %rax
    mov $COM1, %dx
    out %al, %dx
    pop %rdx
    ret

str_start: .asciz "rom: real mode at the reset vector\n"
str_pm:    .asciz "rom: protected mode\n"
str_lm:    .asciz "rom: long mode\n"
str_done:  .asciz "rom: done\n"
str_ok:    .asciz ": ok\n"
str_fail:  .asciz ": FAIL\n"

    .balign 8
gdt:
    .quad 0
    .quad 0x00cf9a000000ffff  /* 0x08: code, 32-bit, flat */
    .quad 0x00cf92000000ffff  /* 0x10: data, flat */
    .quad 0x00af9a000000ffff  /* 0x18: code, 64-bit */
    .quad 0x0000890080000067  /* 0x20: 32-bit TSS at TSS_BASE, 104 bytes */
gdt_end:
gdtr:
    .word gdt_end - gdt - 1
    .long ROM_BASE + gdt

    /* the reset vector, at F000:FFF0 (physical 0xFFFFFFF0) */
    .section .reset, "ax"
    .code16
    .globl reset
reset:
    ljmp $0xf000, $start16
    .balign 16, 0xf4
