/*
 * Entry and exception vectors of the bare-metal AArch64 guests. Entered at
 * EL1 with the MMU off (QEMU virt and kasou alike). Every vector saves the
 * general registers in a frame on the SP_EL1 stack, calls
 * exc_handler(frame, vector offset) and returns with ERET (the handler may
 * change the frame, ELR and SPSR included).
 */
    .section .text.start, "ax"
    .global _start
_start:
    ldr x0, =__stack_top
    mov sp, x0
    adr x0, vectors
    msr vbar_el1, x0
    isb
    /* clear .bss */
    ldr x0, =__bss_start
    ldr x1, =__bss_end
1:  cmp x0, x1
    b.hs 2f
    str xzr, [x0], #8
    b 1b
2:  bl main
    bl guest_exit
3:  b 3b

/* frame: x0..x30, sp_el0, elr, spsr, esr, far: 36 * 8 = 288 bytes */
.macro VECTOR off
    .balign 0x80
    sub sp, sp, #288
    stp x0, x1, [sp, #0]
    mov x1, #\off
    b vector_common
.endm

    .text
    .balign 2048
    .global vectors
vectors:
    VECTOR 0x000
    VECTOR 0x080
    VECTOR 0x100
    VECTOR 0x180
    VECTOR 0x200
    VECTOR 0x280
    VECTOR 0x300
    VECTOR 0x380
    VECTOR 0x400
    VECTOR 0x480
    VECTOR 0x500
    VECTOR 0x580
    VECTOR 0x600
    VECTOR 0x680
    VECTOR 0x700
    VECTOR 0x780

vector_common:
    stp x2, x3, [sp, #16]
    stp x4, x5, [sp, #32]
    stp x6, x7, [sp, #48]
    stp x8, x9, [sp, #64]
    stp x10, x11, [sp, #80]
    stp x12, x13, [sp, #96]
    stp x14, x15, [sp, #112]
    stp x16, x17, [sp, #128]
    stp x18, x19, [sp, #144]
    stp x20, x21, [sp, #160]
    stp x22, x23, [sp, #176]
    stp x24, x25, [sp, #192]
    stp x26, x27, [sp, #208]
    stp x28, x29, [sp, #224]
    mrs x2, sp_el0
    stp x30, x2, [sp, #240]
    mrs x2, elr_el1
    mrs x3, spsr_el1
    stp x2, x3, [sp, #256]
    mrs x2, esr_el1
    mrs x3, far_el1
    stp x2, x3, [sp, #272]
    mov x0, sp
    bl exc_handler
    ldp x2, x3, [sp, #256]
    msr elr_el1, x2
    msr spsr_el1, x3
    ldp x30, x2, [sp, #240]
    msr sp_el0, x2
    ldp x0, x1, [sp, #0]
    ldp x2, x3, [sp, #16]
    ldp x4, x5, [sp, #32]
    ldp x6, x7, [sp, #48]
    ldp x8, x9, [sp, #64]
    ldp x10, x11, [sp, #80]
    ldp x12, x13, [sp, #96]
    ldp x14, x15, [sp, #112]
    ldp x16, x17, [sp, #128]
    ldp x18, x19, [sp, #144]
    ldp x20, x21, [sp, #160]
    ldp x22, x23, [sp, #176]
    ldp x24, x25, [sp, #192]
    ldp x26, x27, [sp, #208]
    ldp x28, x29, [sp, #224]
    add sp, sp, #288
    eret
