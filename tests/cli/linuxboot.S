/*
 * A stand-in for a Linux bzImage's protected-mode kernel (tests/cli/linux.sh
 * wraps it in a setup header): checks the machine state the 32-bit boot
 * protocol promises and the boot_params the loader built (ESI), then exits
 * through isa-debug-exit with 0x20 | (load address >> 20), or with the
 * number of the first check that failed.  Run with -m 32 -append "abc xyz"
 * and a 5000-byte initrd starting "ITRD".
 * Assembled as x86-64 code (gcc -c), the 32-bit entry under .code32.
 */
    .code32
    .globl _start
_start:
    mov     $1, %dl
    mov     %cs, %ax
    cmp     $0x10, %ax              /* 1: CS = __BOOT_CS */
    jne     fail
    inc     %dl
    mov     %ds, %ax
    cmp     $0x18, %ax              /* 2: DS = __BOOT_DS */
    jne     fail
    inc     %dl
    mov     %ss, %ax
    cmp     $0x18, %ax              /* 3: SS = __BOOT_DS */
    jne     fail
    inc     %dl
    or      %edi, %ebx
    or      %ebp, %ebx              /* 4: EBX = EDI = EBP = 0 */
    jnz     fail
    mov     $0x90000, %esp
    inc     %dl
    pushf
    pop     %eax
    test    $0x200, %eax            /* 5: interrupts off */
    jnz     fail
    inc     %dl
    mov     %cr0, %eax
    and     $0x80000001, %eax
    cmp     $1, %eax                /* 6: protected mode, paging off */
    jne     fail
    inc     %dl
    cmpb    $0xff, 0x210(%esi)      /* 7: type_of_loader */
    jne     fail
    inc     %dl
    mov     0x211(%esi), %al
    and     $0xc1, %al
    cmp     $0x81, %al              /* 8: loadflags LOADED_HIGH|CAN_USE_HEAP, no KEEP_SEGMENTS */
    jne     fail
    inc     %dl
    mov     0x228(%esi), %eax
    cmpl    $0x20636261, (%eax)     /* 9: command line "abc " */
    jne     fail
    inc     %dl
    cmpl    $0x007a7978, 4(%eax)    /* 10: ..."xyz\0" */
    jne     fail
    inc     %dl
    cmpl    $5000, 0x21c(%esi)      /* 11: ramdisk_size */
    jne     fail
    inc     %dl
    mov     0x218(%esi), %eax
    test    $0xfff, %eax            /* 12: ramdisk_image page aligned */
    jnz     fail
    inc     %dl
    cmpl    $0x44525449, (%eax)     /* 13: the initrd is there */
    jne     fail
    inc     %dl
    add     $5000 + 4096, %eax      /* 14: as high as it goes: within a page of the end of RAM */
    cmp     $0x2000000, %eax
    jb      fail
    inc     %dl
    cmpb    $4, 0x1e8(%esi)         /* 15: e820: low RAM, EBDA, BIOS, RAM from 1 MiB */
    jne     fail
    inc     %dl
    cmpl    $0x100000, 0x2d0 + 3 * 20(%esi)
    jne     fail
    cmpl    $0x1f00000, 0x2d0 + 3 * 20 + 8(%esi)
    jne     fail
    cmpl    $1, 0x2d0 + 3 * 20 + 16(%esi)   /* 16: [1 MiB, 32 MiB) usable */
    jne     fail
    inc     %dl
    cmpl    $0x9fc00, 0x2d0 + 8(%esi)
    jne     fail
    cmpl    $2, 0x2d0 + 20 + 16(%esi)       /* 17: [0, 0x9fc00) then the EBDA reserved */
    jne     fail
    inc     %dl
    cmpl    $0xe0000, 0x2d0 + 2 * 20(%esi)
    jne     fail
    cmpl    $0x20000, 0x2d0 + 2 * 20 + 8(%esi)
    jne     fail
    cmpl    $2, 0x2d0 + 2 * 20 + 16(%esi)   /* 18: the BIOS area [0xe0000, 1 MiB) reserved */
    jne     fail
    inc     %dl
    call    1f
1:  pop     %eax
    sub     $1b - _start, %eax      /* where this code was loaded */
    cmp     0x214(%esi), %eax       /* 19: code32_start says so */
    jne     fail
    shr     $20, %eax
    or      $0x20, %al
    out     %al, $0xf4
    hlt
fail:
    mov     %dl, %al
    out     %al, $0xf4
    hlt

/*
 * The 64-bit entry (startup_64 of an x86-64 kernel, load address + 0x200):
 * long mode, paging with the loaded range identity mapped, the same
 * selectors; exits with 0x40 | (load address >> 20), or a check number
 * from 0x31.
 */
    .org    0x200
    .code64
start64:
    mov     $0x31, %dl
    mov     %cs, %ax
    cmp     $0x10, %ax              /* 0x31: CS = __BOOT_CS */
    jne     fail64
    inc     %dl
    mov     %ds, %ax
    cmp     $0x18, %ax              /* 0x32: DS = __BOOT_DS */
    jne     fail64
    inc     %dl
    mov     %ss, %ax
    cmp     $0x18, %ax              /* 0x33: SS = __BOOT_DS */
    jne     fail64
    mov     $0x90000, %rsp
    inc     %dl
    pushf
    pop     %rax
    test    $0x200, %eax            /* 0x34: interrupts off */
    jnz     fail64
    inc     %dl
    mov     %cr0, %rax
    and     $0x80000001, %eax
    cmp     $0x80000001, %eax       /* 0x35: protected mode, paging on */
    jne     fail64
    inc     %dl
    mov     %edx, %ebx
    mov     $0xc0000080, %ecx
    rdmsr
    mov     %ebx, %edx
    test    $0x400, %eax            /* 0x36: EFER.LMA */
    jz      fail64
    inc     %dl
    cmpb    $0xff, 0x210(%rsi)      /* 0x37: type_of_loader, through RSI */
    jne     fail64
    inc     %dl
    mov     0x228(%rsi), %eax
    cmpl    $0x20636261, (%rax)     /* 0x38: command line */
    jne     fail64
    inc     %dl
    mov     0x218(%rsi), %eax
    cmpl    $0x44525449, (%rax)     /* 0x39: the initrd, near the top of RAM, mapped */
    jne     fail64
    inc     %dl
    lea     start64(%rip), %rax
    sub     $0x200, %rax
    cmp     0x214(%rsi), %eax       /* 0x3a: loaded at code32_start */
    jne     fail64
    shr     $20, %eax
    or      $0x40, %al
    out     %al, $0xf4
    hlt
fail64:
    mov     %dl, %al
    out     %al, $0xf4
    hlt
