/*
 * Guest test, checked against the SDM alone (QEMU 7.2, the usual reference,
 * does not implement DR7.GD): with DR7.GD set, a MOV to or from any DR
 * faults with #DB before it runs, DR6.BD set and DR7.GD cleared so that the
 * handler may use the debug registers; the MOV then runs when resumed.
 * debuggd.sh also runs it with -d trap and looks for the lines kasou prints
 * for it: INVD, WBINVD, the GD fault, an execute and a data breakpoint.
 * Also one #DB (not two) when single-step and a data breakpoint meet, and
 * RF = 1 in the EFLAGS image of a fault (#UD): QEMU 7.2 differs on both.
 */
#include "lib.h"

#define SET_DR(n, v) __asm__ volatile("mov %0, %%dr" #n : : "r"((uint32_t)(v)) : "memory")
#define GET_DR(n, v) __asm__ volatile("mov %%dr" #n ", %0" : "=r"(v) : : "memory")

static volatile uint32_t db_count, db_eip, db_dr6, db_dr7, fault_eflags;
static volatile uint32_t watched;

static int db_hook(struct trap_frame *f)
{
    if (f->vector != 1) {
        fault_eflags = f->eflags;
        return 0;
    }
    uint32_t dr6, dr7;
    GET_DR(6, dr6);
    GET_DR(7, dr7);
    db_count++;
    db_eip = f->eip;
    db_dr6 = dr6;
    db_dr7 = dr7;
    SET_DR(6, 0);
    f->eflags |= 0x10000;   /* RF: an execute breakpoint lets the insn run */
    return 1;
}

extern char gd_target[];
__asm__(".text\ngd_target:\n\tnop\n\tret\n");

int main(void)
{
    uint32_t v, at;
    trap_hook = db_hook;
    SET_DR(6, 0);

    __asm__ volatile("invd\n\twbinvd" : : : "memory");

    /* a read of DR0 */
    SET_DR(0, 0x1234);
    SET_DR(7, 0x400 | 0x2000);
    db_count = 0;
    __asm__ volatile("movl $2f, %1\n2:\tmov %%dr0, %0" : "=r"(v), "=r"(at) : : "memory");
    printf("gd_read: traps=%u dr6=%08x dr7=%08x dr0=%08x\n", db_count, db_dr6, db_dr7, v);
    check("gd_read.traps", db_count, 1);
    check("gd_read.eip", db_eip, at);
    check("gd_read.dr6_bd", db_dr6 & 0x600f, 0x2000);
    check("gd_read.dr7_gd_cleared", db_dr7, 0x400);
    check("gd_read.value", v, 0x1234);

    /* a write of DR1: the write happens after the resumed fault */
    SET_DR(7, 0x400 | 0x2000);
    db_count = 0;
    __asm__ volatile("movl $2f, %0\n2:\tmov %1, %%dr1" : "=&r"(at) : "r"(0x5678u) : "memory");
    GET_DR(1, v);
    printf("gd_write: traps=%u dr1=%08x\n", db_count, v);
    check("gd_write.traps", db_count, 1);
    check("gd_write.eip", db_eip, at);
    check("gd_write.dr1", v, 0x5678);

    /* GD clear: no fault */
    db_count = 0;
    GET_DR(0, v);
    check("gd_off.traps", db_count, 0);

    /* one execute and one data breakpoint, for the -d trap lines */
    SET_DR(0, gd_target);
    SET_DR(3, &watched);
    SET_DR(7, 0x400 | 0x1 | 0x80 | (1u << 28) | (3u << 30));   /* L0 exec; G3 write, 4 bytes */
    db_count = 0;
    __asm__ volatile("call gd_target" : : : "memory");
    watched = 7;
    SET_DR(7, 0x400);
    check("bp.traps", db_count, 2);
    check("bp.dr6", db_dr6 & 0xf, 8);

    /* single-step and a data breakpoint on one insn: one #DB for both
     * (the MOV), then PUSHF, AND, POPF: four in all (QEMU 7.2 takes five) */
    SET_DR(7, 0x400 | 0x80 | (1u << 28) | (3u << 30));
    db_count = 0;
    __asm__ volatile("pushf\n\torl $0x100, (%%esp)\n\tpopf\n\t"
                     "movl $7, (%0)\n\t"
                     "pushf\n\tandl $~0x100, (%%esp)\n\tpopf"
                     : : "r"(&watched) : "cc", "memory");
    SET_DR(7, 0x400);
    check("step_and_data.traps", db_count, 4);

    /* a fault pushes RF = 1 (QEMU 7.2: 0); IRET brings it back and the
     * restarted insn clears it as it starts */
    uint32_t ud_fl;
    __asm__ volatile("movl $1f, trap_resume\n\tud2\n1:" : : : "memory");
    ud_fl = fault_eflags;
    __asm__ volatile("movl $1f, trap_resume\n\tud2\n1:\tmovl $2f, trap_resume\n\tint3\n2:" : : : "memory");
    check("ud_pushes_rf", (ud_fl >> 16) & 1, 1);
    check("rf_cleared_after", (fault_eflags >> 16) & 1, 0);   /* INT3's image */

    trap_hook = 0;
    printf("%s\n", check_failures ? "FAIL debuggd" : "PASS debuggd");
    exit(0);
}
