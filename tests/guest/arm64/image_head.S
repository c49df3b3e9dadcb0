/* The arm64 Linux Image header (Documentation/arm64/booting.rst) in front
 * of a bare-metal guest, so it boots the way a kernel does: x0 holds the
 * device tree address, saved in boot_x0 before the usual start code. */
    .section .text.head, "ax"
    .global _head
_head:
    b 1f                        /* code0 */
    .word 0                     /* code1 */
    .quad 0x80000               /* text_offset: loaded at RAM + 0x80000 */
    .quad __image_end - _head   /* image_size */
    .quad 0                     /* flags: little-endian, 4K pages */
    .quad 0, 0, 0
    .ascii "ARM\x64"
    .word 0
1:  adr x9, boot_x0
    str x0, [x9]
    b _start

    .data
    .balign 8
    .global boot_x0
boot_x0: .quad 0
