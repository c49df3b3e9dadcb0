/*
 * Guest test: hardware task switches with 32-bit TSSs. A far CALL to a TSS
 * runs another task (back link, NT, both TSSs busy) whose IRET returns to
 * the caller; a far JMP to a task gate switches without a back link; a
 * double fault (#GP whose IDT gate is not present, then #NP) is delivered
 * through a task gate in IDT[8] to a task with its own stack, which gets
 * error code 0, fixes the old task's EIP and IRETs back.
 */
#include "lib.h"
#include "user.h"

#define SEL_TSS_MAIN 0x40
#define SEL_TSS_CALL 0x48
#define SEL_TSS_DF   0x50
#define SEL_TSS_JMP  0x58
#define SEL_TGATE    0x60   /* task gate -> SEL_TSS_JMP */
#define GDT_N 16

static uint64_t big_gdt[GDT_N] __attribute__((aligned(8)));
struct tss32 tss_main, tss_call, tss_df, tss_jmp __attribute__((aligned(64)));
static uint8_t call_stack[4096] __attribute__((aligned(16)));
static uint8_t df_stack[4096] __attribute__((aligned(16)));
static uint8_t jmp_stack[4096] __attribute__((aligned(16)));

/* recorded inside the tasks */
uint32_t df_err, df_resume, jmp_back;
uint32_t call_eax;   /* EAX as the called task starts: from its TSS */
static uint32_t call_tr, call_link, call_nt, call_busy_main, call_busy_call, call_runs;
static uint32_t df_tr, df_link, df_nt, df_runs;
static uint32_t jmp_tr, jmp_link, jmp_nt, jmp_runs;
static uint64_t idt13;

void call_task_entry(void);
void df_task_entry(void);
void jmp_task_entry(void);
void call_task_c(void);
void df_task_c(void);
void jmp_task_c(void);
__asm__(".text\n"
        ".globl call_task_entry\ncall_task_entry:\n\t"
        "movl %eax, call_eax\n\t"
        "call call_task_c\n\t"
        "iret\n\t"
        "jmp call_task_entry\n"
        ".globl df_task_entry\ndf_task_entry:\n\t"
        "popl df_err\n\t"
        "call df_task_c\n\t"
        "iret\n\t"
        "jmp df_task_entry\n"
        ".globl jmp_task_entry\njmp_task_entry:\n\t"
        "call jmp_task_c\n\t"
        "ljmp *jmp_far\n\t"       /* back to the main task (no back link: JMP) */
        "jmp jmp_task_entry\n");

volatile uint32_t jmp_far[2];

static uint32_t type_of(uint32_t sel) { return (uint32_t)(((volatile uint64_t *)big_gdt)[sel / 8] >> 40) & 0xf; }

void call_task_c(void)
{
    call_runs++;
    call_tr = read_tr();
    call_link = tss_call.link;
    call_nt = (read_eflags() >> 14) & 1;
    call_busy_main = type_of(SEL_TSS_MAIN);
    call_busy_call = type_of(SEL_TSS_CALL);
}

void df_task_c(void)
{
    df_runs++;
    df_tr = read_tr();
    df_link = tss_df.link;
    df_nt = (read_eflags() >> 14) & 1;
    tss_main.eip = df_resume;   /* not the faulting instruction again */
    idt[13] = idt13;            /* the #GP gate is back */
}

void jmp_task_c(void)
{
    jmp_runs++;
    jmp_tr = read_tr();
    jmp_link = tss_jmp.link;
    jmp_nt = (read_eflags() >> 14) & 1;
    tss_main.eip = jmp_back;
}

static uint64_t tss_desc(struct tss32 *t)
{
    uint32_t base = (uint32_t)t, limit = sizeof(*t) - 1;
    return (limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)0x89 << 40 |
           (uint64_t)(limit >> 16 & 0xf) << 48 | (uint64_t)(base >> 24) << 56;
}

static void task_init(struct tss32 *t, void (*entry)(void), uint8_t *stack, size_t n)
{
    memset(t, 0, sizeof(*t));
    t->eip = (uint32_t)entry;
    t->esp = (uint32_t)stack + n;
    t->eflags = 0x2;
    t->cs = 0x08;
    t->ss = t->ds = t->es = t->fs = t->gs = 0x10;
    t->iomap = sizeof(*t);
}

int main(void)
{
    for (int i = 0; i < 9; i++)
        big_gdt[i] = gdt[i];
    tss_main.iomap = sizeof(tss_main);
    task_init(&tss_call, call_task_entry, call_stack, sizeof(call_stack));
    task_init(&tss_df, df_task_entry, df_stack, sizeof(df_stack));
    task_init(&tss_jmp, jmp_task_entry, jmp_stack, sizeof(jmp_stack));
    tss_call.eax = 0x600d;
    big_gdt[SEL_TSS_MAIN / 8] = tss_desc(&tss_main);
    big_gdt[SEL_TSS_CALL / 8] = tss_desc(&tss_call);
    big_gdt[SEL_TSS_DF / 8] = tss_desc(&tss_df);
    big_gdt[SEL_TSS_JMP / 8] = tss_desc(&tss_jmp);
    big_gdt[SEL_TGATE / 8] = (uint64_t)SEL_TSS_JMP << 16 | (uint64_t)0x85 << 40;
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gd = {
        sizeof(big_gdt) - 1, (uint32_t)big_gdt };
    __asm__ volatile("lgdt %0" : : "m"(gd));
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS_MAIN) : "memory");
    check("main_busy_after_ltr", type_of(SEL_TSS_MAIN), 0xb);

    /* CALL to a TSS, IRET (NT) back */
    uint32_t far[2] = { 0, SEL_TSS_CALL };
    uint32_t ebx = 0x1234;
    __asm__ volatile("lcall *%1" : "+b"(ebx) : "m"(far) : "memory");
    check("call.runs", call_runs, 1);
    check("call.eax_from_tss", call_eax, 0x600d);
    check("call.tr", call_tr, SEL_TSS_CALL);
    check("call.link", call_link, SEL_TSS_MAIN);
    check("call.nt", call_nt, 1);
    check("call.main_still_busy", call_busy_main, 0xb);
    check("call.new_busy", call_busy_call, 0xb);
    check("call.back.tr", read_tr(), SEL_TSS_MAIN);
    check("call.back.ebx_kept", ebx, 0x1234);
    check("call.back.nt_clear", (read_eflags() >> 14) & 1, 0);
    check("call.back.called_free", type_of(SEL_TSS_CALL), 0x9);
    check("call.saved_eip_advanced", tss_call.eip != (uint32_t)call_task_entry, 1);
    /* again: the task resumes after its IRET */
    __asm__ volatile("lcall *%1" : "+b"(ebx) : "m"(far) : "memory");
    check("call2.runs", call_runs, 2);

    /* JMP through a task gate; the task JMPs back */
    jmp_far[0] = 0;
    jmp_far[1] = SEL_TSS_MAIN;
    uint32_t gfar[2] = { 0, SEL_TGATE };
    __asm__ volatile("movl $1f, jmp_back\n\tljmp *%0\n1:" : : "m"(gfar) : "memory", "eax", "ecx",
                     "edx", "esi", "edi");
    check("jmp.runs", jmp_runs, 1);
    check("jmp.tr", jmp_tr, SEL_TSS_JMP);
    check("jmp.nt", jmp_nt, 0);
    check("jmp.back.tr", read_tr(), SEL_TSS_MAIN);
    check("jmp.back.jmp_free", type_of(SEL_TSS_JMP), 0x9);
    check("jmp.back.main_busy", type_of(SEL_TSS_MAIN), 0xb);

    /* double fault through a task gate */
    idt13 = idt[13];
    idt[8] = (uint64_t)SEL_TSS_DF << 16 | (uint64_t)0x85 << 40;
    idt[13] &= ~(1ull << 47);   /* #GP's gate not present: #NP while delivering #GP */
    __asm__ volatile("movl $1f, df_resume\n\t"
                     "movw %w0, %%ds\n"        /* beyond the GDT limit: #GP */
                     "1:" : : "r"(0x400) : "memory", "eax", "ecx", "edx", "esi", "edi");
    printf("df: runs=%u err=%x tr=%x link=%x nt=%u\n", df_runs, df_err, df_tr, df_link, df_nt);
    check("df.runs", df_runs, 1);
    check("df.err", df_err, 0);
    check("df.tr", df_tr, SEL_TSS_DF);
    check("df.link", df_link, SEL_TSS_MAIN);
    check("df.nt", df_nt, 1);
    check("df.back.tr", read_tr(), SEL_TSS_MAIN);
    check("df.saved_eip", tss_main.eip, df_resume);
    uint16_t ds;
    __asm__ volatile("movw %%ds, %0" : "=r"(ds));
    check("df.back.ds", ds, 0x10);
    return check_failures ? 1 : 0;
}
