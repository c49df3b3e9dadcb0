/*
 * Virtual-8086 mode extensions and protected-mode virtual interrupts
 * (CR4.VME, CR4.PVI; SDM vol. 3 20.3 and 20.4): below IOPL 3, CLI/STI (and
 * in vm86 the 16-bit PUSHF/POPF/IRET) work on EFLAGS.VIF instead of
 * faulting, STI/POPF/IRET that would set VIF while VIP is set fault, and
 * INT n in vm86 goes to the 8086 program's vector table when the TSS's
 * interrupt redirection bitmap says so (methods 5 and 6 of table 20-2).
 * What must stay true: without CR4.VME (vm86) or CR4.PVI (CPL 3) every
 * helper faults exactly as the plain instruction does (#GP(0)); each
 * fault is raised before any register changes.
 */
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"
#include "frontend/x86/seg.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#define GP0() x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra)

static int iopl_of(CPUX86State *env)
{
    return (int)((env->eflags & IOPL_MASK) >> 12);
}

static bool vme_on(CPUX86State *env)
{
    return (env->eflags & VM_MASK) && iopl_of(env) < 3 && (env->cr[4] & X86_CR4_VME);
}

bool x86_vif_mode(CPUX86State *env)
{
    if (!(env->cr[0] & X86_CR0_PE) || iopl_of(env) == 3)
        return false;
    if (env->eflags & VM_MASK)
        return (env->cr[4] & X86_CR4_VME) != 0;
    return cpl_of(env) == 3 && (env->cr[4] & X86_CR4_PVI);
}

/* FLAGS as a vm86 program below IOPL 3 sees it: IF is VIF, IOPL reads 3 */
static uint32_t virtual_flags(CPUX86State *env)
{
    uint32_t f = x86_compute_eflags(env) & 0xffff & ~IF_MASK;
    return f | IOPL_MASK | ((env->eflags & VIF_MASK) ? IF_MASK : 0);
}

/* A FLAGS image popped by POPF/IRET: all but IF and IOPL, IF into VIF;
 * #GP if it sets TF, or IF while an interrupt is pending (VIP). */
static void load_virtual_flags(CPUX86State *env, uint32_t f, uintptr_t ra)
{
    if ((f & TF_MASK) || ((f & IF_MASK) && (env->eflags & VIP_MASK)))
        GP0();
    x86_load_eflags(env, f, 0xffffu & ~(IF_MASK | IOPL_MASK));
    env->eflags = (env->eflags & ~(uint64_t)VIF_MASK) | ((f & IF_MASK) ? VIF_MASK : 0);
}

void helper_vm86_pushf(CPUX86State *env, uint32_t opsize)
{
    uintptr_t ra = GETPC();
    if (!vme_on(env) || opsize != 2)
        GP0();
    X86Stack st;
    stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], false, x86_mmu_index(env), ra);
    uint32_t f = virtual_flags(env);
    stk_push(env, &st, f, 0);
    X86_TRAP(env, "PUSHF in vm86 with CR4.VME: pushed FLAGS 0x%04x (IF = VIF, IOPL = 3)", f);
    set_rsp(env, st.sp, st.mask);
}

void helper_vm86_popf(CPUX86State *env, uint32_t opsize)
{
    uintptr_t ra = GETPC();
    if (!vme_on(env) || opsize != 2)
        GP0();
    X86Stack st;
    stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], false, x86_mmu_index(env), ra);
    uint32_t f = (uint32_t)stk_pop(env, &st, 0);
    load_virtual_flags(env, f, ra);
    X86_TRAP(env, "POPF in vm86 with CR4.VME: FLAGS 0x%04x, its IF into VIF", f);
    set_rsp(env, st.sp, st.mask);
    x86_update_hflags(env);
}

/* 16-bit IRET in vm86 below IOPL 3 with CR4.VME (else #GP(0)) */
void x86_vm86_iret(CPUX86State *env, int shift, uintptr_t ra)
{
    if (!vme_on(env) || shift != 0)
        GP0();
    X86Stack st;
    stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], false, x86_mmu_index(env), ra);
    uint32_t ip = (uint32_t)stk_pop(env, &st, 0);
    uint32_t cs = (uint32_t)stk_pop(env, &st, 0);
    uint32_t f = (uint32_t)stk_pop(env, &st, 0);
    load_virtual_flags(env, f, ra);
    X86_TRAP(env, "IRET in vm86 with CR4.VME: to %04x:%04x, FLAGS 0x%04x, its IF into VIF", cs, ip, f);
    set_rsp(env, st.sp, st.mask);
    x86_seg_load_real(env, R_CS, cs);
    env->eip = ip;
    x86_update_hflags(env);
}

/* The redirection bitmap bit of a vector: 32 bytes below the I/O map
 * base of the (32-bit) TSS; outside the TSS it is #GP(0). */
static bool redirected_to_pm(CPUX86State *env, int vector, uintptr_t ra)
{
    SegmentCache *tr = &env->tr;
    int type = (int)(tr->flags >> DESC_TYPE_SHIFT) & 0xf;
    if (!(tr->flags & DESC_P_MASK) || type != 11 || tr->limit < 0x67)
        GP0();
    CPUState *cs = env_cpu(env);
    uint32_t iomap = (uint32_t)cpu_ld_mmu(cs, tr->base + 0x66, MO_16, X86_MMU_KERNEL, ra);
    uint32_t off = iomap - 32 + (uint32_t)vector / 8;
    if (iomap < 32 || off > tr->limit)
        GP0();
    uint32_t b = (uint32_t)cpu_ld_mmu(cs, tr->base + off, MO_8, X86_MMU_KERNEL, ra);
    return (b >> (vector & 7)) & 1;
}

/* INT n in vm86: methods 1-6 of the SDM's table 20-2 */
void helper_vm86_int(CPUX86State *env, uint32_t vector, uint32_t insn_len)
{
    uintptr_t ra = GETPC();
    int n = (int)(vector & 0xff), iopl = iopl_of(env);
    if (!(env->cr[4] & X86_CR4_VME) || redirected_to_pm(env, n, ra)) {
        if (iopl < 3)
            GP0();                                /* methods 2 and 3: to the monitor */
        x86_raise_interrupt(env, n, (int)insn_len, ra);   /* methods 1 and 4 */
    }
    /* methods 5 and 6: like real mode, through the vector table at 0 */
    X86_TRAP(env, "INT 0x%02x in vm86 with CR4.VME, redirection bit clear: to the 8086 "
             "vector table%s", n, iopl < 3 ? " (IF = VIF pushed, VIF cleared)" : "");
    int mmu = x86_mmu_index(env);
    CPUState *cs = env_cpu(env);
    uint32_t off = (uint32_t)cpu_ld_mmu(cs, (uint32_t)n * 4, MO_16, mmu, ra);
    uint32_t sel = (uint32_t)cpu_ld_mmu(cs, (uint32_t)n * 4 + 2, MO_16, mmu, ra);
    uint32_t f = iopl < 3 ? virtual_flags(env) : x86_compute_eflags(env) & 0xffff;
    X86Stack st;
    stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], false, mmu, ra);
    stk_push(env, &st, f, 0);
    stk_push(env, &st, env->segs[R_CS].selector, 0);
    stk_push(env, &st, (env->eip + insn_len) & 0xffff, 0);
    set_rsp(env, st.sp, st.mask);
    /* TF off; VIF off below IOPL 3 (method 6), else IF (method 5) */
    uint32_t clear = TF_MASK | (iopl < 3 ? VIF_MASK : IF_MASK);
    x86_load_eflags(env, x86_compute_eflags(env) & ~clear, TF_MASK | IF_MASK | VIF_MASK);
    x86_seg_load_real(env, R_CS, sel);
    env->eip = off;
    x86_update_hflags(env);
}
