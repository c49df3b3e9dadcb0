/*
 * Guest test: CR4.VME and CR4.PVI (SDM vol. 3 20.3, 20.4). Small 16-bit
 * programs run in virtual-8086 mode (copied below 1 MiB) under a ring-0
 * monitor: the TSS's esp0 takes every trap, and a #GP on HLT (or any other
 * #GP) ends the run with the registers and EFLAGS of that moment.
 * Checked: CLI/STI/PUSHF/POPF/IRET on VIF below IOPL 3, IOPL reading 3,
 * #GP on STI/POPF with VIP, on POPF of TF, on the 32-bit forms; INT n
 * redirected through the 8086 vector table (methods 5 and 6) or not
 * (bitmap bit set: #GP below IOPL 3, the IDT at IOPL 3); without VME all
 * of them fault; with PVI, CLI/STI at CPL 3 in protected mode.
 * QEMU's TCG does not implement VME (it hides the CPUID bit), so this
 * program checks itself against the SDM and runs under kasou only (vme.sh).
 */
#include "lib.h"

#define SEL_TSS 0x40
#define VM_CS 0x0700             /* the programs, at 0x7000 */
#define VM_SS 0x0800             /* stack 0800:1000 */
#define VM_SP 0x1000
#define EFL_IF   0x00000200u
#define EFL_TF   0x00000100u
#define EFL_IOPL 0x00003000u
#define EFL_VM   0x00020000u
#define EFL_VIF  0x00080000u
#define EFL_VIP  0x00100000u

struct tss32 {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap;
    uint8_t redirect[32];        /* interrupt redirection bitmap */
    uint8_t io[8193];            /* I/O bitmap and its 0xff end byte */
} __attribute__((packed));

extern uint64_t gdt[];
static struct tss32 tss __attribute__((aligned(128)));
static uint8_t monitor_stack[8192] __attribute__((aligned(16)));
static uint8_t ring3_stack[4096] __attribute__((aligned(16)));

/* what the run ended with */
static struct {
    uint32_t vector, error, ip, eflags, eax, ebx, ecx, edx;
    uint8_t opcode;
} run;
uint32_t saved_esp;

/* the 16-bit programs; entry points are offsets from vm_code */
void vm_code(void), vm_code_end(void);
void p_cli_sti(void), p_popf(void), p_popf_tf(void), p_sti_vip(void), p_popf_vip(void);
void p_popf_vip_2(void), p_pushfd(void), p_int21(void), p_int22(void), p_int21_handler(void), p_iret_tf(void);
__asm__(".text\n.code16\n"
        ".globl vm_code\nvm_code:\n"
        ".globl p_cli_sti\np_cli_sti:\n\t"
        "cli\n\tpushf\n\tpopw %ax\n\tsti\n\tpushf\n\tpopw %bx\n\thlt\n"
        ".globl p_popf\np_popf:\n\t"
        "pushw $0x0200\n\tpopf\n\tpushf\n\tpopw %ax\n\tpushw $0x0000\n\tpopf\n\tpushf\n\tpopw %bx\n\t"
        "pushw $0x0201\n\tpopf\n\thlt\n"
        ".globl p_popf_tf\np_popf_tf:\n\t"
        "pushw $0x0100\n\tpopf\n\thlt\n"
        ".globl p_sti_vip\np_sti_vip:\n\t"
        "cli\n\tsti\n\thlt\n"
        ".globl p_popf_vip\np_popf_vip:\n\t"
        "pushw $0x0000\n\tpopf\n\tpushw $0x0200\n"
        ".globl p_popf_vip_2\np_popf_vip_2:\n\tpopf\n\thlt\n"
        ".globl p_pushfd\np_pushfd:\n\t"
        "pushfl\n\thlt\n"
        ".globl p_int21\np_int21:\n\t"
        "movw $0x1111, %bx\n\tint $0x21\n\tpushf\n\tpopw %ax\n\thlt\n"
        ".globl p_int21_handler\np_int21_handler:\n\t"
        "movw %sp, %bp\n\tmovw 4(%bp), %dx\n\tpushf\n\tpopw %cx\n\tmovw $0x1234, %bx\n\tiret\n"
        ".globl p_int22\np_int22:\n\t"
        "int $0x22\n\thlt\n"
        ".globl p_iret_tf\np_iret_tf:\n\t"
        "pushw $0x0100\n\tpushw %cs\n\tpushw $1f - vm_code\n\tiret\n1:\thlt\n"
        ".globl vm_code_end\nvm_code_end:\n"
        ".code32\n");

/* ring 3 in protected mode (PVI): CLI, PUSHFD, STI, PUSHFD, then HLT */
void r3_cli_sti(void);
__asm__(".text\n.globl r3_cli_sti\nr3_cli_sti:\n\t"
        "cli\n\tpushfl\n\tpopl %eax\n\tsti\n\tpushfl\n\tpopl %ebx\n\thlt\n");

/* enter: iret to the frame built here; leave: the monitor resumes at
 * guest_exit with ring-0 flat segments and the saved stack */
void guest_enter(uint32_t eip, uint32_t cs, uint32_t eflags, uint32_t sp, uint32_t ss);
__asm__(".text\n.globl guest_enter\nguest_enter:\n\t"
        "pushal\n\t"
        "movl %esp, saved_esp\n\t"
        "movl 36(%esp), %eax\n\tmovl 40(%esp), %ebx\n\tmovl 44(%esp), %ecx\n\t"
        "movl 48(%esp), %edx\n\tmovl 52(%esp), %esi\n\t"
        "cmpl $0x23, %ebx\n\tje 1f\n\t"
        "pushl $0\n\tpushl $0\n\tpushl $0\n\tpushl $0\n"   /* vm86: GS FS DS ES */
        "1:\tpushl %esi\n\tpushl %edx\n\tpushl %ecx\n\tpushl %ebx\n\tpushl %eax\n\t"
        "cmpl $0x23, %ebx\n\tjne 2f\n\t"
        "movw $0x2b, %ax\n\tmovw %ax, %ds\n\tmovw %ax, %es\n"
        "2:\tiretl\n"
        ".globl guest_exit\nguest_exit:\n\t"
        "movw $0x10, %ax\n\tmovw %ax, %ds\n\tmovw %ax, %es\n\tmovw %ax, %fs\n\tmovw %ax, %gs\n\t"
        "movw %ax, %ss\n\tmovl saved_esp, %esp\n\tpopal\n\tret\n");
void guest_exit(void);

static int monitor(struct trap_frame *f)
{
    if (f->cs == 0x08 && !(f->eflags & EFL_VM))
        return 0;                        /* ours: the usual trap handling */
    run.vector = f->vector;
    run.error = f->error;
    run.ip = f->eip;
    run.eflags = f->eflags;
    run.eax = f->eax; run.ebx = f->ebx; run.ecx = f->ecx; run.edx = f->edx;
    uint32_t lin = (f->eflags & EFL_VM) ? (f->cs & 0xffff) * 16 + (f->eip & 0xffff) : f->eip;
    run.opcode = *(volatile uint8_t *)lin;
    f->eip = (uint32_t)guest_exit;
    f->cs = 0x08;
    f->eflags = 0x2;
    return 1;
}

static uint32_t ip_of(void (*p)(void)) { return (uint32_t)p - (uint32_t)vm_code; }

static void vm_run(void (*p)(void), uint32_t eflags)
{
    memset(&run, 0, sizeof(run));
    guest_enter(ip_of(p), VM_CS, EFL_VM | 0x2 | eflags, VM_SP, VM_SS);
}

static uint32_t read_cr4(void) { uint32_t v; __asm__ volatile("movl %%cr4, %0" : "=r"(v)); return v; }
static void write_cr4(uint32_t v) { __asm__ volatile("movl %0, %%cr4" : : "r"(v)); }

/* "<name>: vector opcode" of how a run ended (13/f4: HLT, the normal end) */
static void report(const char *name)
{
    printf("%s: vector=%u opcode=%02x eflags=%08x ax=%04x bx=%04x cx=%04x dx=%04x\n", name,
           run.vector, run.opcode, run.eflags, run.eax & 0xffff, run.ebx & 0xffff,
           run.ecx & 0xffff, run.edx & 0xffff);
}

#define ENDED_AT(name, op) do { check(name ".vector", run.vector, 13); \
                                check(name ".opcode", run.opcode, op); } while (0)

int main(void)
{
    uint32_t r[4];
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(1), "c"(0));
    printf("cpuid vme=%u\n", (r[3] >> 1) & 1);
    check("cpuid vme", (r[3] >> 1) & 1, 1);

    memset(&tss, 0, sizeof(tss));
    tss.esp0 = (uint32_t)monitor_stack + sizeof(monitor_stack);
    tss.ss0 = 0x10;
    tss.iomap = (uint16_t)offsetof(struct tss32, io);
    tss.io[8192] = 0xff;
    tss.redirect[0x22 / 8] |= 1u << (0x22 % 8);   /* INT 22h to protected mode */
    tss.redirect[0x30 / 8] |= 1u << (0x30 % 8);
    uint32_t base = (uint32_t)&tss, limit = sizeof(tss) - 1;
    gdt[SEL_TSS / 8] = (limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)0x89 << 40 |
                       (uint64_t)(limit >> 16 & 0xf) << 48 | (uint64_t)(base >> 24) << 56;
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS) : "memory");
    outb(0x21, 0xff);                     /* no IRQ while a run has IF = 1 */
    outb(0xa1, 0xff);
    trap_hook = monitor;
    memcpy((void *)(VM_CS * 16), (void *)vm_code, (uint32_t)vm_code_end - (uint32_t)vm_code);
    uint16_t *ivt = (uint16_t *)0;
    __asm__ volatile("" : "+r"(ivt));     /* the vector table at linear 0 */
    ivt[0x21 * 2] = (uint16_t)ip_of(p_int21_handler);
    ivt[0x21 * 2 + 1] = VM_CS;

    uint32_t cr4 = read_cr4();
    /* without VME: CLI at IOPL 0 is #GP */
    vm_run(p_cli_sti, EFL_VIF);
    report("novme cli");
    ENDED_AT("novme cli", 0xfa);

    write_cr4(cr4 | 1);                   /* VME */
    vm_run(p_cli_sti, EFL_VIF);
    report("cli/sti");
    ENDED_AT("cli/sti", 0xf4);
    check("cli pushf if", run.eax & EFL_IF, 0);
    check("pushf iopl 3", run.eax & EFL_IOPL, EFL_IOPL);
    check("sti pushf if", run.ebx & EFL_IF, EFL_IF);
    check("vif set", run.eflags & EFL_VIF, EFL_VIF);
    check("real if untouched", run.eflags & EFL_IF, 0);
    check("iopl still 0", run.eflags & EFL_IOPL, 0);

    vm_run(p_popf, 0);
    report("popf");
    ENDED_AT("popf", 0xf4);
    check("popf if -> vif", run.eax & EFL_IF, EFL_IF);
    check("popf 0 -> vif 0", run.ebx & EFL_IF, 0);
    check("popf cf, vif", run.eflags & (EFL_VIF | 1 | EFL_IF), EFL_VIF | 1);

    vm_run(p_popf_tf, EFL_VIF);
    report("popf tf");
    ENDED_AT("popf tf", 0x9d);

    vm_run(p_sti_vip, EFL_VIP);
    report("sti vip");
    ENDED_AT("sti vip", 0xfb);
    check("sti vip: cli ran", run.eflags & EFL_VIF, 0);

    vm_run(p_popf_vip, EFL_VIP);
    report("popf vip");
    ENDED_AT("popf vip", 0x9d);
    check("popf vip: at the second popf", run.ip, ip_of(p_popf_vip_2));

    vm_run(p_pushfd, EFL_VIF);
    report("pushfd");
    ENDED_AT("pushfd", 0x66);

    vm_run(p_iret_tf, EFL_VIF);
    report("iret tf");
    ENDED_AT("iret tf", 0xcf);

    /* INT 21h: bitmap bit clear, IOPL 0: method 6 */
    vm_run(p_int21, EFL_VIF);
    report("int21 iopl0");
    ENDED_AT("int21 iopl0", 0xf4);
    check("int21: handler ran", run.ebx & 0xffff, 0x1234);
    check("int21: pushed if = vif", run.edx & (EFL_IF | EFL_IOPL), EFL_IF | EFL_IOPL);
    check("int21: vif off in handler", run.ecx & EFL_IF, 0);
    check("int21: vif back after iret", run.eax & EFL_IF, EFL_IF);
    /* INT 22h: bit set, IOPL 0: #GP(0) to the monitor (method 3) */
    vm_run(p_int22, EFL_VIF);
    report("int22 iopl0");
    ENDED_AT("int22 iopl0", 0xcd);
    check("int22 iopl0 error", run.error, 0);
    /* IOPL 3: INT 21h through the vector table with the real IF (method 5) */
    vm_run(p_int21, EFL_IOPL | EFL_IF);
    report("int21 iopl3");
    ENDED_AT("int21 iopl3", 0xf4);
    check("int21 iopl3: handler ran", run.ebx & 0xffff, 0x1234);
    check("int21 iopl3: pushed flags", run.edx & (EFL_IF | EFL_IOPL), EFL_IF | EFL_IOPL);
    check("int21 iopl3: if off in handler", run.ecx & EFL_IF, 0);
    /* IOPL 3, bit set: the IDT (its DPL 0 gate: #GP(22h * 8 + 2)) */
    vm_run(p_int22, EFL_IOPL);
    report("int22 iopl3");
    check("int22 iopl3 vector", run.vector, 13);
    check("int22 iopl3 error", run.error, 0x22 * 8 + 2);

    /* PVI: CLI/STI at CPL 3 in protected mode change VIF */
    write_cr4((cr4 & ~1u) | 2);
    memset(&run, 0, sizeof(run));
    guest_enter((uint32_t)r3_cli_sti, 0x23, 0x2 | EFL_VIF, (uint32_t)ring3_stack + 4096, 0x2b);
    printf("pvi: vector=%u opcode=%02x vif=%u eax.if=%u ebx.if=%u\n", run.vector, run.opcode,
           (run.eflags >> 19) & 1, (run.eax >> 9) & 1, (run.ebx >> 9) & 1);
    ENDED_AT("pvi", 0xf4);
    check("pvi: pushfd after cli keeps if 0", run.eax & (EFL_IF | EFL_VIF), 0);
    check("pvi: vif after sti", run.eflags & EFL_VIF, EFL_VIF);
    write_cr4(cr4);
    memset(&run, 0, sizeof(run));
    guest_enter((uint32_t)r3_cli_sti, 0x23, 0x2, (uint32_t)ring3_stack + 4096, 0x2b);
    ENDED_AT("nopvi cli", 0xfa);
    return check_failures ? 1 : 0;
}
