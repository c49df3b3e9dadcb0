/* Ring 3 for the protection guests: see user.h. */
#include "lib.h"
#include "user.h"

struct tss32 ring3_tss __attribute__((aligned(64)));
uint32_t ring3_saved_esp;
static uint8_t user_stack[8192] __attribute__((aligned(16)));

void ring3_enter(void (*fn)(void), uint32_t user_esp);
void ring3_leave(void) __attribute__((noreturn));
/* ESP0 sits 256 bytes below the saved ring-0 frame, so what a gate or a
 * trap from CPL3 pushes cannot reach the registers ring3_leave restores. */
__asm__(".text\n"
        ".globl ring3_enter\nring3_enter:\n\t"
        "pushl %ebp\n\tpushl %ebx\n\tpushl %esi\n\tpushl %edi\n\t"
        "movl %esp, ring3_saved_esp\n\t"
        "movl %esp, ring3_tss+4\n\t"
        "subl $256, ring3_tss+4\n\t"
        "movl 20(%esp), %eax\n\tmovl 24(%esp), %ecx\n\t"
        "pushl $0x2b\n\tpushl %ecx\n\tpushfl\n\tpushl $0x23\n\tpushl %eax\n\t"
        "movw $0x2b, %dx\n\tmovw %dx, %ds\n\tmovw %dx, %es\n\t"
        "movw %dx, %fs\n\tmovw %dx, %gs\n\t"
        "iret\n"
        ".globl ring3_leave\nring3_leave:\n\t"
        "movl ring3_saved_esp, %esp\n\t"
        "movw $0x10, %ax\n\tmovw %ax, %ds\n\tmovw %ax, %es\n\t"
        "movw %ax, %fs\n\tmovw %ax, %gs\n\t"
        "popl %edi\n\tpopl %esi\n\tpopl %ebx\n\tpopl %ebp\n\tret\n");

static int ring3_hook(struct trap_frame *f)
{
    if (f->vector == VEC_RETURN && (f->cs & 3) == 3)
        ring3_leave();
    return 0;
}

void ring3_setup(uint64_t *table, unsigned n)
{
    if (table != gdt) {
        for (unsigned i = 0; i < RUNTIME_GDT_N && i < n; i++)
            table[i] = gdt[i];
        struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gd = {
            n * 8 - 1, (uint32_t)table };
        __asm__ volatile("lgdt %0" : : "m"(gd) : "memory");
    }
    uint32_t base = (uint32_t)&ring3_tss, limit = sizeof(ring3_tss) - 1;
    ring3_tss.ss0 = 0x10;
    ring3_tss.iomap = sizeof(ring3_tss);    /* no I/O bitmap */
    /* available 32-bit TSS, DPL0, byte granularity */
    table[SEL_TSS / 8] = (limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
                         (uint64_t)0x89 << 40 | (uint64_t)(limit >> 16 & 0xf) << 48 |
                         (uint64_t)(base >> 24) << 56;
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS) : "memory");
    idt[VEC_RETURN] |= (uint64_t)0x60 << 40;   /* the return gate: DPL3 */
    trap_hook = ring3_hook;
}

void ring3_call(void (*fn)(void))
{
    ring3_enter(fn, (uint32_t)user_stack + sizeof(user_stack));
}
