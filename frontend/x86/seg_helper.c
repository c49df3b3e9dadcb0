/*
 * x86 far control transfers through descriptors: far JMP/CALL (code
 * segments, call gates with privilege change and parameter copy, 64-bit
 * call gates, TSS and task-gate targets), far RET and IRET (to outer
 * levels, vm86, IRETQ, nested-task return), and the hardware task switch
 * (32- and 16-bit TSS) shared with task-gate delivery in excp_helper.c.
 * What must stay true: every check that may fault is done, and every guest
 * memory access made, before any architectural state is changed (the task
 * switch, like the CPU, commits the old task's state first and then faults
 * in the new task's context for its segment checks).
 */
#include <inttypes.h>
#include <stdio.h>
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"
#include "frontend/x86/seg.h"
#include "frontend/x86/decode.h"

#define GP(sel) x86_raise_exception_err_ra(env, EXCP0D_GPF, (int)((sel) & 0xfffc), ra)
#define NP(sel) x86_raise_exception_err_ra(env, EXCP0B_NOSEG, (int)((sel) & 0xfffc), ra)
#define TS(sel) x86_raise_exception_err_ra(env, EXCP0A_TSS, (int)((sel) & 0xfffc), ra)

static void store_desc_hi_word(CPUX86State *env, uint32_t sel, uint32_t e2, uintptr_t ra)
{
    uint64_t base = (sel & 4) ? env->ldt.base : env->gdt.base;
    cpu_st_mmu(env_cpu(env), base + (sel & 0xfff8) + 4, e2, MO_32, X86_MMU_KERNEL, ra);
}

/* Null DS/ES/FS/GS that the new, less privileged CPL may not use. */
static void validate_seg_outer(CPUX86State *env, int seg, int cpl)
{
    SegmentCache *sc = &env->segs[seg];
    uint32_t f = sc->flags;
    if ((sc->selector & 0xfffc) == 0)
        return;
    int dpl = (f >> DESC_DPL_SHIFT) & 3;
    if (!(f & DESC_CS_MASK) || !(f & DESC_C_MASK)) {
        if (dpl < cpl)
            *sc = (SegmentCache){ 0, 0, 0, 0 };
    }
}

/* ---- IRET and far RET ---- */

static void iret_real(CPUX86State *env, int shift, uintptr_t ra)
{
    X86Stack st;
    stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], false, x86_mmu_index(env), ra);
    st.mask = 0xffff;
    uint32_t new_eip = (uint32_t)stk_pop(env, &st, shift);
    uint32_t new_cs = (uint32_t)stk_pop(env, &st, shift) & 0xffff;
    uint32_t new_eflags = (uint32_t)stk_pop(env, &st, shift);
    uint32_t mask = TF_MASK | AC_MASK | ID_MASK | IF_MASK | RF_MASK | NT_MASK | CC_ALL | DF_MASK;
    if (!(env->eflags & VM_MASK))
        mask |= IOPL_MASK;
    if (!shift)
        mask &= 0xffff;
    set_rsp(env, st.sp, 0xffff);
    x86_seg_load_real(env, R_CS, new_cs);
    env->eip = new_eip & (shift ? 0xffffffffu : 0xffffu);
    x86_load_eflags(env, new_eflags, mask);
    x86_update_hflags(env);
}

static void nmi_unblock(CPUX86State *env)
{
    env->nmi_blocked = false;
    if (env->nmi_pending)
        cpu_interrupt(env_cpu(env), CPU_INTERRUPT_NMI);
}

/* shift: 0 = 16-bit, 1 = 32-bit, 2 = 64-bit operands */
static void ret_protected(CPUX86State *env, int shift, int is_iret, uint32_t addend, uintptr_t ra)
{
    int cpl = cpl_of(env);
    bool lma = (env->hflags & HF_LMA_MASK) != 0, cs64 = (env->hflags & HF_CS64_MASK) != 0;
    X86Stack st;
    stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], cs64, x86_mmu_index(env), ra);
    uint64_t new_eip = stk_pop(env, &st, shift);
    uint32_t new_cs = (uint32_t)stk_pop(env, &st, shift) & 0xffff;
    uint32_t new_eflags = 0;
    if (is_iret) {
        new_eflags = (uint32_t)stk_pop(env, &st, shift);
        if (!lma && shift == 1 && (new_eflags & VM_MASK) && cpl == 0) {
            /* return to virtual-8086 mode */
            uint32_t v[6];
            for (int i = 0; i < 6; i++)
                v[i] = (uint32_t)stk_pop(env, &st, 1);
            x86_load_eflags(env, new_eflags, 0xffffffffu & ~(uint32_t)0x2);
            env->eflags |= VM_MASK;
            x86_seg_load_real(env, R_CS, new_cs);
            x86_seg_load_real(env, R_SS, v[1]);
            x86_seg_load_real(env, R_ES, v[2]);
            x86_seg_load_real(env, R_DS, v[3]);
            x86_seg_load_real(env, R_FS, v[4]);
            x86_seg_load_real(env, R_GS, v[5]);
            env->regs[R_ESP] = v[0];
            env->eip = new_eip & 0xffff;
            x86_update_hflags(env);
            nmi_unblock(env);
            return;
        }
    }
    if ((new_cs & 0xfffc) == 0)
        GP(0);
    uint32_t e1, e2;
    if (!x86_load_desc(env, new_cs, &e1, &e2, ra))
        GP(new_cs);
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK))
        GP(new_cs);
    int rpl = new_cs & 3;
    if (rpl < cpl)
        GP(new_cs);
    int dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if ((e2 & DESC_C_MASK) ? dpl > rpl : dpl != rpl)
        GP(new_cs);
    if (!(e2 & DESC_P_MASK))
        NP(new_cs);
    bool target64 = lma && (e2 & DESC_L_MASK);
    if (target64 && (e2 & DESC_B_MASK))
        GP(new_cs);
    st.sp += addend;

    uint64_t new_esp = 0;
    uint32_t new_ss = 0, s1 = 0, s2 = 0;
    bool null_ss = false;
    /* 64-bit IRET always pops SS:RSP; otherwise only to an outer level */
    bool pop_ss = rpl != cpl || (is_iret && cs64);
    if (pop_ss) {
        new_esp = stk_pop(env, &st, shift);
        new_ss = (uint32_t)stk_pop(env, &st, shift) & 0xffff;
        if ((new_ss & 0xfffc) == 0) {
            /* a null SS is allowed when returning to 64-bit code below ring 3 */
            if (!target64 || rpl == 3)
                GP(0);
            null_ss = true;
        } else {
            if ((int)(new_ss & 3) != rpl)
                GP(new_ss);
            if (!x86_load_desc(env, new_ss, &s1, &s2, ra))
                GP(new_ss);
            if (!(s2 & DESC_S_MASK) || (s2 & DESC_CS_MASK) || !(s2 & DESC_W_MASK) ||
                (int)((s2 >> DESC_DPL_SHIFT) & 3) != rpl)
                GP(new_ss);
            if (!(s2 & DESC_P_MASK))
                x86_raise_exception_err_ra(env, EXCP0C_STACK, (int)(new_ss & 0xfffc), ra);
        }
    }
    if (target64) {
        if (!x86_canonical(new_eip))
            GP(0);
    } else {
        new_eip = shift ? (uint32_t)new_eip : (new_eip & 0xffff);
        if (new_eip > desc_limit(e1, e2))
            GP(0);
    }

    /* commit */
    x86_seg_cache_set(&env->segs[R_CS], new_cs, e1, e2);
    if (pop_ss) {
        if (null_ss) {
            env->segs[R_SS] = (SegmentCache){ new_ss, 0, 0xffffffffu,
                                              (uint32_t)rpl << DESC_DPL_SHIFT | DESC_B_MASK };
        } else {
            x86_seg_cache_set(&env->segs[R_SS], new_ss, s1, s2);
        }
        if (target64)
            env->regs[R_ESP] = new_esp + addend;
        else
            set_rsp(env, new_esp + addend, (s2 & DESC_B_MASK) ? 0xffffffffu : 0xffffu);
        if (rpl != cpl) {
            validate_seg_outer(env, R_ES, rpl);
            validate_seg_outer(env, R_DS, rpl);
            validate_seg_outer(env, R_FS, rpl);
            validate_seg_outer(env, R_GS, rpl);
        }
    } else {
        set_rsp(env, st.sp, st.mask);
    }
    env->eip = new_eip;
    if (is_iret) {
        uint32_t mask = TF_MASK | AC_MASK | ID_MASK | RF_MASK | NT_MASK | CC_ALL | DF_MASK;
        if (cpl == 0)
            mask |= IOPL_MASK | VIF_MASK | VIP_MASK;
        if (cpl <= (int)((env->eflags & IOPL_MASK) >> 12))
            mask |= IF_MASK;
        if (!shift)
            mask &= 0xffff;
        x86_load_eflags(env, new_eflags, mask);
        nmi_unblock(env);
    }
    x86_update_hflags(env);
}

static uint8_t fetch_code_byte(void *opaque, uint64_t pc)
{
    CPUX86State *env = opaque;
    return (uint8_t)cpu_ld_mmu(env_cpu(env), pc, MO_8, x86_mmu_index(env), 0);
}

/* EIP after the current instruction (env->eip): the JMP helper is not
 * given its length, and a task switch saves it in the old TSS. */
static uint64_t next_insn_eip(CPUX86State *env)
{
    X86Insn insn;
    int mode = (env->hflags & HF_CS64_MASK) ? 64 : (env->hflags & HF_CS32_MASK) ? 32 : 16;
    uint64_t pc = env->segs[R_CS].base + env->eip;
    x86_decode(&insn, mode, mode == 64 ? env->eip : (uint32_t)pc, fetch_code_byte, env);
    uint64_t next = env->eip + insn.len;
    return mode == 16 ? (next & 0xffff) : mode == 32 ? (uint32_t)next : next;
}

void helper_iret_protected(CPUX86State *env, uint32_t shift)
{
    uintptr_t ra = GETPC();
    if (!(env->cr[0] & X86_CR0_PE)) {
        iret_real(env, (int)shift, ra);
        nmi_unblock(env);
    } else if (env->eflags & VM_MASK) {
        if ((env->eflags & IOPL_MASK) != IOPL_MASK)
            x86_vm86_iret(env, (int)shift, ra);   /* CR4.VME, else #GP(0) */
        else
            iret_real(env, (int)shift, ra);
        nmi_unblock(env);
    } else if (env->eflags & NT_MASK) {
        /* nested task: return to the task in the back link (none in long mode) */
        if (env->hflags & HF_LMA_MASK)
            GP(0);
        uint32_t back = (uint32_t)cpu_ld_mmu(env_cpu(env), env->tr.base, MO_16, X86_MMU_KERNEL, ra);
        uint32_t e1, e2;
        if ((back & 4) || !x86_load_desc(env, back, &e1, &e2, ra))
            TS(back);
        int type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
        if (type != 3 && type != 11)   /* must be a busy TSS */
            TS(back);
        x86_task_switch(env, back, e1, e2, X86_TASK_IRET, next_insn_eip(env), -1, ra);
        nmi_unblock(env);
    } else {
        ret_protected(env, (int)shift, 1, 0, ra);
    }
}

void helper_lret_protected(CPUX86State *env, uint32_t shift, uint32_t addend)
{
    uintptr_t ra = GETPC();
    if (!(env->cr[0] & X86_CR0_PE) || (env->eflags & VM_MASK)) {
        X86Stack st;
        stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], false, x86_mmu_index(env), ra);
        uint32_t new_eip = (uint32_t)stk_pop(env, &st, (int)shift);
        uint32_t new_cs = (uint32_t)stk_pop(env, &st, (int)shift);
        set_rsp(env, st.sp + addend, st.mask);
        x86_seg_load_real(env, R_CS, new_cs);
        env->eip = shift ? new_eip : (new_eip & 0xffff);
        x86_update_hflags(env);
        return;
    }
    ret_protected(env, (int)shift, 0, addend, ra);
}

/* ---- far JMP and CALL ---- */

/* A far JMP/CALL straight to a code segment: its checks, then the target
 * RIP against the limit (or canonical for 64-bit code). */
static void code_target_check(CPUX86State *env, uint32_t sel, uint32_t e1, uint32_t e2,
                              uint64_t new_eip, uintptr_t ra)
{
    int cpl = cpl_of(env);
    int dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (e2 & DESC_C_MASK) {
        if (dpl > cpl)
            GP(sel);
    } else {
        if ((int)(sel & 3) > cpl || dpl != cpl)
            GP(sel);
    }
    if (!(e2 & DESC_P_MASK))
        NP(sel);
    bool lma = (env->hflags & HF_LMA_MASK) != 0;
    if (lma && (e2 & DESC_L_MASK) && (e2 & DESC_B_MASK))
        GP(sel);
    if (lma && (e2 & DESC_L_MASK)) {
        if (!x86_canonical(new_eip))
            GP(0);
    } else if (new_eip > desc_limit(e1, e2)) {
        GP(0);
    }
}

/* A call gate (16/32-bit, or 64-bit in long mode): the gate's checks and
 * the target code segment's; returns the target (sel, offset, descriptor). */
typedef struct GateTarget {
    uint32_t sel, c1, c2;
    uint64_t offset;
    int gate_shift;   /* operand size of the gate: 0 = 16, 1 = 32, 2 = 64 */
    int param_count;
} GateTarget;

static void call_gate_target(CPUX86State *env, uint32_t gate_sel, uint32_t e1, uint32_t e2,
                             bool is_call, GateTarget *t, uintptr_t ra)
{
    int cpl = cpl_of(env);
    int gdpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (gdpl < cpl || gdpl < (int)(gate_sel & 3))
        GP(gate_sel);
    if (!(e2 & DESC_P_MASK))
        NP(gate_sel);
    bool lma = (env->hflags & HF_LMA_MASK) != 0;
    int type = (e2 >> DESC_TYPE_SHIFT) & 0xf;
    t->sel = e1 >> 16;
    t->offset = (e2 & 0xffff0000u) | (e1 & 0xffff);
    t->param_count = (int)(e2 & 0x1f);
    t->gate_shift = lma ? 2 : (type >> 3);
    if (lma) {
        uint32_t e3, e4;
        if (!x86_load_desc_hi(env, gate_sel, &e3, &e4, ra))
            GP(gate_sel);
        if ((e4 >> DESC_TYPE_SHIFT) & 0x1f)   /* the upper half's type field must be 0 */
            GP(gate_sel);
        t->offset |= (uint64_t)e3 << 32;
        t->param_count = 0;
    } else if (t->gate_shift == 0) {
        t->offset &= 0xffff;
    }
    if ((t->sel & 0xfffc) == 0)
        GP(0);
    if (!x86_load_desc(env, t->sel, &t->c1, &t->c2, ra))
        GP(t->sel);
    uint32_t c2 = t->c2;
    int dpl = (c2 >> DESC_DPL_SHIFT) & 3;
    if (!(c2 & DESC_S_MASK) || !(c2 & DESC_CS_MASK) || dpl > cpl)
        GP(t->sel);
    /* JMP through a gate never changes privilege */
    if (!is_call && !(c2 & DESC_C_MASK) && dpl != cpl)
        GP(t->sel);
    if (!(c2 & DESC_P_MASK))
        NP(t->sel);
    if (lma) {
        if (!(c2 & DESC_L_MASK) || (c2 & DESC_B_MASK))
            GP(t->sel);
        if (!x86_canonical(t->offset))
            GP(0);
    } else if (t->offset > desc_limit(t->c1, c2)) {
        GP(0);
    }
}

/* Far JMP/CALL to a system descriptor that names a task: a TSS or a task gate. */
static bool far_to_task(CPUX86State *env, uint32_t sel, uint32_t e1, uint32_t e2, int source,
                        uint64_t next_eip, uintptr_t ra)
{
    int type = (e2 >> DESC_TYPE_SHIFT) & 0xf;
    int cpl = cpl_of(env), dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (type != 1 && type != 9 && type != 5)
        return false;
    if (env->hflags & HF_LMA_MASK)
        GP(sel);
    if (dpl < cpl || dpl < (int)(sel & 3))
        GP(sel);
    if (!(e2 & DESC_P_MASK))
        NP(sel);
    if (type == 5) {
        uint32_t tss = e1 >> 16, t1, t2;
        if ((tss & 4) || !x86_load_desc(env, tss, &t1, &t2, ra))
            GP(tss);
        x86_task_switch(env, tss, t1, t2, source, next_eip, -1, ra);
    } else {
        x86_task_switch(env, sel, e1, e2, source, next_eip, -1, ra);
    }
    return true;
}

void helper_ljmp_protected(CPUX86State *env, uint32_t sel, uint64_t new_eip)
{
    uintptr_t ra = GETPC();
    sel &= 0xffff;
    if (!(env->cr[0] & X86_CR0_PE) || (env->eflags & VM_MASK)) {
        x86_seg_load_real(env, R_CS, sel);
        env->eip = (uint32_t)new_eip;
        x86_update_hflags(env);
        return;
    }
    if ((sel & 0xfffc) == 0)
        GP(0);
    uint32_t e1, e2;
    if (!x86_load_desc(env, sel, &e1, &e2, ra))
        GP(sel);
    int cpl = cpl_of(env);
    if (e2 & DESC_S_MASK) {
        if (!(e2 & DESC_CS_MASK))
            GP(sel);
        code_target_check(env, sel, e1, e2, new_eip, ra);
        x86_seg_cache_set(&env->segs[R_CS], (sel & 0xfffc) | (uint32_t)cpl, e1, e2);
        env->eip = new_eip;
        x86_update_hflags(env);
        return;
    }
    int type = (e2 >> DESC_TYPE_SHIFT) & 0xf;
    if (!(e2 & DESC_S_MASK) && far_to_task(env, sel, e1, e2, X86_TASK_JMP, next_insn_eip(env), ra))
        return;
    bool lma = (env->hflags & HF_LMA_MASK) != 0;
    if (lma ? type != 12 : (type != 4 && type != 12))
        GP(sel);
    GateTarget t;
    call_gate_target(env, sel, e1, e2, false, &t, ra);
    x86_seg_cache_set(&env->segs[R_CS], (t.sel & 0xfffc) | (uint32_t)cpl, t.c1, t.c2);
    env->eip = t.offset;
    x86_update_hflags(env);
}

void helper_lcall_protected(CPUX86State *env, uint32_t sel, uint64_t new_eip, uint32_t shift,
                            uint64_t next_eip)
{
    uintptr_t ra = GETPC();
    sel &= 0xffff;
    bool cs64 = (env->hflags & HF_CS64_MASK) != 0;
    X86Stack st;
    stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], cs64, x86_mmu_index(env), ra);
    if (!(env->cr[0] & X86_CR0_PE) || (env->eflags & VM_MASK)) {
        stk_push(env, &st, env->segs[R_CS].selector, (int)shift);
        stk_push(env, &st, next_eip, (int)shift);
        set_rsp(env, st.sp, st.mask);
        x86_seg_load_real(env, R_CS, sel);
        env->eip = (uint32_t)new_eip;
        x86_update_hflags(env);
        return;
    }
    if ((sel & 0xfffc) == 0)
        GP(0);
    uint32_t e1, e2;
    if (!x86_load_desc(env, sel, &e1, &e2, ra))
        GP(sel);
    int cpl = cpl_of(env);
    if (e2 & DESC_S_MASK) {
        if (!(e2 & DESC_CS_MASK))
            GP(sel);
        code_target_check(env, sel, e1, e2, new_eip, ra);
        stk_push(env, &st, env->segs[R_CS].selector, (int)shift);
        stk_push(env, &st, next_eip, (int)shift);
        set_rsp(env, st.sp, st.mask);
        x86_seg_cache_set(&env->segs[R_CS], (sel & 0xfffc) | (uint32_t)cpl, e1, e2);
        env->eip = new_eip;
        x86_update_hflags(env);
        return;
    }
    int type = (e2 >> DESC_TYPE_SHIFT) & 0xf;
    if (far_to_task(env, sel, e1, e2, X86_TASK_CALL, next_eip, ra))
        return;
    bool lma = (env->hflags & HF_LMA_MASK) != 0;
    if (lma ? type != 12 : (type != 4 && type != 12))
        GP(sel);
    GateTarget t;
    call_gate_target(env, sel, e1, e2, true, &t, ra);
    int dpl = (t.c2 >> DESC_DPL_SHIFT) & 3;
    if (cpu_log_enabled(env_cpu(env), LOG_TRAP)) {
        char msg[96];
        snprintf(msg, sizeof(msg), "CALL FAR through call gate 0x%04x to %04x:%" PRIx64 "%s", sel,
                 t.sel, t.offset, !(t.c2 & DESC_C_MASK) && dpl < cpl ? ", to an inner ring" : "");
        X86_TRAP(env, "%s", msg);
    }
    int gs = t.gate_shift;
    if (!(t.c2 & DESC_C_MASK) && dpl < cpl) {
        /* more privileged: the stack of that level from the TSS */
        uint32_t ss = 0, s1 = 0, s2 = 0;
        X86Stack ns;
        if (lma) {
            uint64_t rsp = x86_tss64_stack(env, dpl, false, 0);
            SegmentCache null_ss = { 0, 0, 0, 0 };
            stk_init(&ns, &null_ss, rsp, true, X86_MMU_KERNEL, ra);
        } else {
            uint32_t esp;
            x86_tss_get_stack(env, dpl, &ss, &esp, 0, ra);
            if ((ss & 0xfffc) == 0)
                TS(0);
            if ((int)(ss & 3) != dpl)
                TS(ss);
            if (!x86_load_desc(env, ss, &s1, &s2, ra))
                TS(ss);
            if ((int)((s2 >> DESC_DPL_SHIFT) & 3) != dpl || !(s2 & DESC_S_MASK) ||
                (s2 & DESC_CS_MASK) || !(s2 & DESC_W_MASK))
                TS(ss);
            if (!(s2 & DESC_P_MASK))
                x86_raise_exception_err_ra(env, EXCP0C_STACK, (int)(ss & 0xfffc), ra);
            SegmentCache nss;
            x86_seg_cache_set(&nss, ss, s1, s2);
            stk_init(&ns, &nss, esp, false, X86_MMU_KERNEL, ra);
            stk_set_new(&ns, ss);
        }
        stk_push(env, &ns, env->segs[R_SS].selector, gs);
        stk_push(env, &ns, env->regs[R_ESP], gs);
        /* parameters, read from the caller's stack with the caller's rights */
        for (int i = t.param_count - 1; i >= 0; i--) {
            uint64_t a = st.base + ((st.sp + (uint64_t)(i << (gs + 1))) & st.mask);
            uint64_t v = cpu_ld_mmu(env_cpu(env), (uint32_t)a, (MemOp)(gs + 1), st.mmu_idx, ra);
            stk_push(env, &ns, v, gs);
        }
        stk_push(env, &ns, env->segs[R_CS].selector, gs);
        stk_push(env, &ns, next_eip, gs);
        /* commit */
        if (lma)
            env->segs[R_SS] = (SegmentCache){ (uint32_t)dpl, 0, 0, (uint32_t)dpl << DESC_DPL_SHIFT };
        else
            x86_seg_cache_set(&env->segs[R_SS], (ss & 0xfffc) | (uint32_t)dpl, s1, s2);
        if (lma)
            env->regs[R_ESP] = ns.sp;
        else
            set_rsp(env, ns.sp, ns.mask);
    } else {
        dpl = cpl;
        stk_push(env, &st, env->segs[R_CS].selector, gs);
        stk_push(env, &st, next_eip, gs);
        set_rsp(env, st.sp, st.mask);
    }
    x86_seg_cache_set(&env->segs[R_CS], (t.sel & 0xfffc) | (uint32_t)dpl, t.c1, t.c2);
    env->eip = t.offset;
    x86_update_hflags(env);
}

/* ---- hardware task switch (SDM vol. 3, 8.3; the 16-bit TSS: 8.6) ---- */

/* Where a TSS keeps a task's state. The 16-bit (286) TSS has word-sized
 * IP, FLAGS and registers, no FS/GS (a switch to it loads them null), no
 * CR3 (the paging of the old task stays) and no I/O bitmap. Segment
 * selectors are in R_ES..R_GS order in both. */
typedef struct TssLayout {
    uint32_t min_limit;      /* a shorter TSS is #TS */
    uint32_t ip, flags, regs, segs, ldt;
    unsigned width;          /* bytes of IP, FLAGS and each register */
    int nsegs;
    bool has_cr3;            /* at 0x1c */
} TssLayout;

static const TssLayout tss_layout32 = { 0x67, 0x20, 0x24, 0x28, 0x48, 0x60, 4, 6, true };
static const TssLayout tss_layout16 = { 0x2b, 0x0e, 0x10, 0x12, 0x22, 0x2a, 2, 4, false };

/* descriptor type 1/3 (16-bit TSS) or 9/11 (32-bit) */
static const TssLayout *tss_layout(int type)
{
    return (type & 8) ? &tss_layout32 : &tss_layout16;
}


/* Segment register loads of the new task: faults are #TS(selector). */
static void task_load_seg(CPUX86State *env, int seg, uint32_t sel, int cpl, uintptr_t ra)
{
    SegmentCache *sc = &env->segs[seg];
    sel &= 0xffff;
    if ((sel & 0xfffc) == 0) {
        if (seg == R_SS || seg == R_CS)
            TS(sel);
        *sc = (SegmentCache){ sel, 0, 0, 0 };
        return;
    }
    uint32_t e1, e2;
    if (!x86_load_desc(env, sel, &e1, &e2, ra) || !(e2 & DESC_S_MASK))
        TS(sel);
    int rpl = sel & 3, dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (seg == R_CS) {
        if (!(e2 & DESC_CS_MASK) || ((e2 & DESC_C_MASK) ? dpl > rpl : dpl != rpl))
            TS(sel);
    } else if (seg == R_SS) {
        if ((e2 & DESC_CS_MASK) || !(e2 & DESC_W_MASK) || dpl != cpl || rpl != cpl)
            TS(sel);
    } else {
        if ((e2 & (DESC_CS_MASK | DESC_R_MASK)) == DESC_CS_MASK)
            TS(sel);
        if ((!(e2 & DESC_CS_MASK) || !(e2 & DESC_C_MASK)) && (dpl < cpl || dpl < rpl))
            TS(sel);
    }
    if (!(e2 & DESC_P_MASK)) {
        if (seg == R_SS)
            x86_raise_exception_err_ra(env, EXCP0C_STACK, (int)(sel & 0xfffc), ra);
        NP(sel);
    }
    x86_seg_cache_set(sc, sel, e1, e2);
}

void x86_task_switch(CPUX86State *env, uint32_t tss_sel, uint32_t e1, uint32_t e2, int source,
                     uint64_t next_eip, int error_code, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);
    int type = (e2 >> DESC_TYPE_SHIFT) & 0xf;
    /* IRET goes back to a busy TSS; everything else needs an available one */
    if (source == X86_TASK_IRET ? (type != 3 && type != 11) : (type != 1 && type != 9))
        GP(tss_sel);
    if (!(e2 & DESC_P_MASK))
        NP(tss_sel);
    const TssLayout *nl = tss_layout(type);
    const TssLayout *ol = tss_layout((int)(env->tr.flags >> DESC_TYPE_SHIFT) & 0xf);
    uint32_t limit = desc_limit(e1, e2);
    if (limit < nl->min_limit)
        TS(tss_sel);
    uint64_t nbase = desc_base(e1, e2);
    if (env->tr.limit < ol->min_limit)
        TS(env->tr.selector);

    /* read the new task's state */
    MemOp nw = nl->width == 4 ? MO_32 : MO_16, ow = ol->width == 4 ? MO_32 : MO_16;
#define TSS_LD(off, mop) \
    (uint32_t)cpu_ld_mmu(cs, (uint32_t)(nbase + (off)), (mop), X86_MMU_KERNEL, ra)
    uint32_t n_cr3 = nl->has_cr3 ? TSS_LD(0x1c, MO_32) : 0;
    uint32_t n_eip = TSS_LD(nl->ip, nw), n_eflags = TSS_LD(nl->flags, nw);
    uint32_t n_regs[8], n_segs[6] = { 0 };   /* FS, GS null from a 16-bit TSS */
    for (int i = 0; i < 8; i++)
        n_regs[i] = TSS_LD(nl->regs + nl->width * (uint32_t)i, nw);
    for (int i = 0; i < nl->nsegs; i++)
        n_segs[i] = TSS_LD(nl->segs + nl->width * (uint32_t)i, MO_16);
    uint32_t n_ldt = TSS_LD(nl->ldt, MO_16);
#undef TSS_LD

    /* save the old task (its busy bit cleared on JMP/IRET); a 16-bit TSS
     * keeps the low halves */
    uint64_t obase = env->tr.base;
    uint32_t o_eflags = x86_compute_eflags(env);
    if (source == X86_TASK_IRET)
        o_eflags &= ~NT_MASK;
    if (source == X86_TASK_JMP || source == X86_TASK_IRET) {
        uint32_t o1, o2;
        if (x86_load_desc(env, env->tr.selector, &o1, &o2, ra))
            store_desc_hi_word(env, env->tr.selector, o2 & ~(2u << DESC_TYPE_SHIFT), ra);
    }
#define TSS_ST(off, val, mop) \
    cpu_st_mmu(cs, (uint32_t)(obase + (off)), (val), (mop), X86_MMU_KERNEL, ra)
    TSS_ST(ol->ip, (uint32_t)next_eip, ow);
    TSS_ST(ol->flags, o_eflags, ow);
    for (int i = 0; i < 8; i++)
        TSS_ST(ol->regs + ol->width * (uint32_t)i, (uint32_t)env->regs[i], ow);
    for (int i = 0; i < ol->nsegs; i++)
        TSS_ST(ol->segs + ol->width * (uint32_t)i, env->segs[i].selector, MO_16);
#undef TSS_ST

    /* the new task: back link and NT on CALL/INT, busy unless IRET */
    if (source == X86_TASK_CALL || source == X86_TASK_INT) {
        cpu_st_mmu(cs, (uint32_t)nbase, env->tr.selector, MO_16, X86_MMU_KERNEL, ra);
        n_eflags |= NT_MASK;
    }
    if (source != X86_TASK_IRET)
        store_desc_hi_word(env, tss_sel, e2 | (2u << DESC_TYPE_SHIFT), ra);
    uint32_t old_tr = env->tr.selector;
    x86_seg_cache_set(&env->tr, tss_sel, e1, e2 | (2u << DESC_TYPE_SHIFT));
    env->cr[0] |= X86_CR0_TS;
    if (nl->has_cr3 && (env->cr[0] & X86_CR0_PG)) {
        env->cr[3] = n_cr3;
        if ((env->cr[4] & X86_CR4_PAE) && !x86_load_pdptrs(env, n_cr3))
            GP(0);
        tlb_flush(cs);
    }
    env->eip = n_eip;
    x86_load_eflags(env, n_eflags, 0xffffffffu & ~(uint32_t)0x2);
    for (int i = 0; i < 8; i++)
        env->regs[i] = n_regs[i];
    /* selectors first (a fault below is taken in the new task) */
    for (int i = 0; i < 6; i++)
        env->segs[i].selector = n_segs[i];
    env->ldt.selector = n_ldt;
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    if (n_eflags & VM_MASK) {
        for (int i = 0; i < 6; i++)
            x86_seg_load_real(env, i, n_segs[i]);
    } else {
        if ((n_ldt & 0xfffc) == 0) {
            env->ldt = (SegmentCache){ n_ldt, 0, 0, 0 };
        } else {
            uint32_t l1, l2;
            if ((n_ldt & 4) || !x86_load_desc(env, n_ldt, &l1, &l2, ra))
                TS(n_ldt);
            if ((l2 & DESC_S_MASK) || ((l2 >> DESC_TYPE_SHIFT) & 0xf) != 2)
                TS(n_ldt);
            if (!(l2 & DESC_P_MASK))
                TS(n_ldt);
            x86_seg_cache_set(&env->ldt, n_ldt, l1, l2);
        }
        int cpl = n_segs[R_CS] & 3;
        task_load_seg(env, R_CS, n_segs[R_CS], cpl, ra);
        task_load_seg(env, R_SS, n_segs[R_SS], cpl, ra);
        task_load_seg(env, R_ES, n_segs[R_ES], cpl, ra);
        task_load_seg(env, R_DS, n_segs[R_DS], cpl, ra);
        task_load_seg(env, R_FS, n_segs[R_FS], cpl, ra);
        task_load_seg(env, R_GS, n_segs[R_GS], cpl, ra);
    }
    x86_update_hflags(env);
    if (env->eip > env->segs[R_CS].limit)
        GP(0);
    if (cpu_log_enabled(cs, LOG_TRAP)) {
        static const char *const why[] = { "JMP", "CALL", "IRET", "interrupt" };
        cpu_log(cs, "trap: task switch by %s: TSS 0x%04x -> 0x%04x (%d-bit), eip=0x%08x\n",
                why[source], old_tr, tss_sel, (type & 8) ? 32 : 16, n_eip);
    }
    if (error_code >= 0) {
        /* an exception through a task gate: its error code on the new stack */
        X86Stack st;
        stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], false,
                 x86_mmu_index(env), ra);
        stk_push(env, &st, (uint32_t)error_code, (type & 8) ? 1 : 0);   /* a word for a 16-bit TSS */
        set_rsp(env, st.sp, st.mask);
    }
}

/* ---- LAR, LSL, VERR, VERW, ARPL ---- */

static void set_zf(CPUX86State *env, bool z)
{
    uint32_t fl = x86_compute_eflags(env);
    fl = z ? (fl | CC_Z) : (fl & ~(uint32_t)CC_Z);
    env->cc_src = fl & CC_ALL;
    env->cc_op = CC_OP_EFLAGS;
}

/* The descriptor of sel if the instruction may look at it at this CPL
 * (null selectors, limits, and privilege for all but conforming code). */
static bool query_desc(CPUX86State *env, uint32_t sel, uint32_t *e1, uint32_t *e2, uintptr_t ra)
{
    if ((sel & 0xfffc) == 0 || !x86_load_desc(env, sel, e1, e2, ra))
        return false;
    int dpl = (*e2 >> DESC_DPL_SHIFT) & 3;
    bool conforming = (*e2 & DESC_S_MASK) && (*e2 & DESC_CS_MASK) && (*e2 & DESC_C_MASK);
    return conforming || (dpl >= cpl_of(env) && dpl >= (int)(sel & 3));
}

void helper_lar_lsl(CPUX86State *env, uint32_t sel, uint32_t desc)
{
    uintptr_t ra = GETPC();
    int reg = desc & 0xff, opsize = (desc >> 8) & 0xff;
    bool lsl = (desc >> 16) & 1;
    uint32_t e1, e2;
    sel &= 0xffff;
    bool ok = query_desc(env, sel, &e1, &e2, ra);
    if (ok && !(e2 & DESC_S_MASK)) {
        int type = (e2 >> DESC_TYPE_SHIFT) & 0xf;
        /* long mode: LDT, 64-bit TSS, call gate; else the 16/32-bit kinds too */
        static const uint16_t lar_legacy = 0x1a3e, lar_long = 0x1a04;   /* bit per type */
        static const uint16_t lsl_legacy = 0x0a0e, lsl_long = 0x0a04;
        bool lma = (env->hflags & HF_LMA_MASK) != 0;
        uint16_t allowed = lsl ? (lma ? lsl_long : lsl_legacy) : (lma ? lar_long : lar_legacy);
        ok = (allowed >> type) & 1;
    }
    if (ok) {
        uint64_t v = lsl ? desc_limit(e1, e2) : (e2 & 0x00f0ff00u);
        if (opsize == 2)
            env->regs[reg] = (env->regs[reg] & ~0xffffull) | (v & 0xffff);
        else
            env->regs[reg] = (uint32_t)v;
    }
    set_zf(env, ok);
}

void helper_verr_verw(CPUX86State *env, uint32_t sel, uint32_t write)
{
    uintptr_t ra = GETPC();
    uint32_t e1, e2;
    sel &= 0xffff;
    bool ok = query_desc(env, sel, &e1, &e2, ra) && (e2 & DESC_S_MASK);
    if (ok) {
        bool code = (e2 & DESC_CS_MASK) != 0;
        if (write)
            ok = !code && (e2 & DESC_W_MASK);
        else
            ok = !code || (e2 & DESC_R_MASK);
    }
    set_zf(env, ok);
}

uint32_t helper_arpl(CPUX86State *env, uint32_t dst, uint32_t src)
{
    bool adjust = (dst & 3) < (src & 3);
    set_zf(env, adjust);
    return adjust ? (dst & ~3u) | (src & 3) : dst;
}

/* ---- segment limit and type checks of data accesses (SDM vol. 3, 5.3, 5.4.1) ---- */

/* Offsets [lo, hi] of a segment for one access kind; an empty range when
 * the kind is not allowed (lo = 2^63 makes off - lo negative, as the
 * translator's check tests). */
static void seg_chk_range(CPUX86State *env, int seg, int kind, bool ok, uint64_t lo, uint64_t hi)
{
    if (!ok || lo > hi) {
        env->seg_chk_lo[seg][kind] = INT64_MIN;
        env->seg_chk_hi[seg][kind] = 0;
    } else {
        env->seg_chk_lo[seg][kind] = (int64_t)lo;
        env->seg_chk_hi[seg][kind] = (int64_t)hi;
    }
}

uint32_t x86_seg_chk_hflags(CPUX86State *env, uint32_t hf)
{
    uint32_t chk = 0;
    /* 64-bit mode checks no limits (FS/GS bases only) */
    if (hf & HF_CS64_MASK)
        return 0;
    /* real mode and vm86: the limit of the hidden descriptor, no types */
    bool typed = (hf & HF_PE_MASK) && !(hf & HF_VM_MASK);
    for (int seg = 0; seg < R_NB_SEGS; seg++) {
        const SegmentCache *sc = &env->segs[seg];
        uint32_t fl = sc->flags;
        /* the common case first: a flat data segment needs no ranges (the
         * translator reads them only for segments with their bit set) */
        if (seg != R_CS && sc->limit == 0xffffffffu &&
            (fl & (DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | DESC_E_MASK | DESC_W_MASK)) ==
            (DESC_P_MASK | DESC_S_MASK | DESC_W_MASK))
            continue;
        bool code = (fl & DESC_S_MASK) && (fl & DESC_CS_MASK);
        bool rd = true, wr = true;
        uint64_t lo = 0, hi = sc->limit;
        if (typed) {
            if (!(fl & DESC_P_MASK) || !(fl & DESC_S_MASK)) {
                rd = wr = false;             /* a null selector: any use is #GP(0) */
            } else if (code) {
                rd = (fl & DESC_R_MASK) != 0;   /* execute-only: no reads */
                wr = false;                      /* code is never writable */
            } else {
                wr = (fl & DESC_W_MASK) != 0;
            }
        }
        if (!code && (fl & DESC_S_MASK) && (fl & DESC_E_MASK)) {
            /* expand-down: above the limit, up to 64 KiB or 4 GiB by B */
            lo = (uint64_t)sc->limit + 1;
            hi = (fl & DESC_B_MASK) ? 0xffffffffu : 0xffffu;
        }
        seg_chk_range(env, seg, 0, rd, lo, hi);
        seg_chk_range(env, seg, 1, wr, lo, hi);
        /* CS has no bit: CS-relative data is rare and always checked
         * outside 64-bit mode (in protected mode code is never writable) */
        if (seg != R_CS && !(rd && wr && lo == 0 && hi == 0xffffffffu))
            chk |= HF_SEGCHK(seg);
    }
    return chk;
}
