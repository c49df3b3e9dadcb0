/*
 * x86 exceptions and interrupts, and the control transfers that go through
 * descriptors: raising (with precise state restore), double/triple fault
 * classification, delivery through the IVT (real mode) or the IDT
 * (interrupt/trap gates, 16/32-bit, with the TSS stack switch), taking an
 * external interrupt, IRET and far JMP/CALL/RET.
 * What must stay true: every check that may fault is done, and every guest
 * memory access made, before any architectural state is changed, so a
 * fault part-way leaves the state of the instruction (or of the event
 * being delivered) intact. Not implemented: task gates/task switches, call
 * gates (both #GP), 64-bit mode.
 */
#include <inttypes.h>
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"
#include "softmmu/tlb.h"

/* ---- raising ---- */

static bool excp_is_contributory(int v)
{
    return v == EXCP00_DIVZ || (v >= EXCP0A_TSS && v <= EXCP0D_GPF);
}

/* Double-fault classification (SDM vol. 3, table 6-5). Returns the vector
 * to deliver, or -1 for a triple fault. */
static int x86_check_exception(CPUX86State *env, int intno, int *error_code)
{
    int old = env->old_exception;
    bool second_contrib = excp_is_contributory(intno);

    if (old == EXCP08_DBLE && (second_contrib || intno == EXCP0E_PAGE || intno == EXCP08_DBLE))
        return -1;
    if ((excp_is_contributory(old) && second_contrib) ||
        (old == EXCP0E_PAGE && (second_contrib || intno == EXCP0E_PAGE))) {
        intno = EXCP08_DBLE;
        *error_code = 0;
    }
    if (second_contrib || intno == EXCP0E_PAGE || intno == EXCP08_DBLE)
        env->old_exception = intno;
    return intno;
}

void x86_raise_exception_err_ra(CPUX86State *env, int vector, int error_code, uintptr_t retaddr)
{
    CPUState *cs = env_cpu(env);
    if (retaddr)
        cpu_restore_state(cs, retaddr);
    int vector_in = vector, error_in = error_code;
    vector = x86_check_exception(env, vector, &error_code);
    if (vector_in == EXCP0E_PAGE && cpu_log_enabled(cs, LOG_TRAP))
        cpu_log(cs, "trap: %08" PRIx64 ": #PF at 0x%" PRIx64 " err=0x%x \u2192 %s %d\n",
                env->segs[R_CS].base + env->eip, env->cr[2], (unsigned)error_in,
                vector < 0 ? "triple fault, was" : "vector", vector < 0 ? 8 : vector);
    if (vector < 0) {
        if (cpu_log_enabled(cs, LOG_INT))
            cpu_log(cs, "int: triple fault (vector 0x%02x during double fault) at eip=0x%08x\n",
                    vector_in, (uint32_t)env->eip);
        env->old_exception = -1;
        cs->exception_index = EXCP_SHUTDOWN;
        cpu_loop_exit(cs);
    }
    cs->exception_index = vector;
    env->error_code = error_code;
    env->exception_is_int = 0;
    env->exception_next_eip = env->eip;
    cpu_loop_exit(cs);
}

void x86_raise_exception_ra(CPUX86State *env, int vector, uintptr_t retaddr)
{
    x86_raise_exception_err_ra(env, vector, 0, retaddr);
}

void x86_raise_exception_err(CPUX86State *env, int vector, int error_code)
{
    x86_raise_exception_err_ra(env, vector, error_code, 0);
}

void x86_raise_exception(CPUX86State *env, int vector)
{
    x86_raise_exception_err_ra(env, vector, 0, 0);
}

void x86_raise_interrupt(CPUX86State *env, int intno, int next_eip_addend, uintptr_t retaddr)
{
    CPUState *cs = env_cpu(env);
    if (retaddr)
        cpu_restore_state(cs, retaddr);
    uint64_t next = env->eip + (uint64_t)next_eip_addend;
    cs->exception_index = intno;
    env->error_code = 0;
    env->exception_is_int = 1;
    env->exception_next_eip = (env->hflags & HF_CS32_MASK) ? (uint32_t)next : (next & 0xffff);
    cpu_loop_exit(cs);
}

/* ---- descriptors ---- */

static uint32_t desc_base(uint32_t e1, uint32_t e2)
{
    return (e1 >> 16) | ((e2 & 0xff) << 16) | (e2 & 0xff000000u);
}

static uint32_t desc_limit(uint32_t e1, uint32_t e2)
{
    uint32_t limit = (e1 & 0xffff) | (e2 & 0x000f0000u);
    if (e2 & DESC_G_MASK)
        limit = (limit << 12) | 0xfff;
    return limit;
}

void x86_seg_cache_set(SegmentCache *sc, uint32_t sel, uint32_t e1, uint32_t e2)
{
    sc->selector = sel;
    sc->base = desc_base(e1, e2);
    sc->limit = desc_limit(e1, e2);
    sc->flags = e2 & 0x00f0ff00u;
}

bool x86_load_desc(CPUX86State *env, uint32_t sel, uint32_t *e1, uint32_t *e2, uintptr_t retaddr)
{
    uint64_t base = (sel & 4) ? env->ldt.base : env->gdt.base;
    uint32_t limit = (sel & 4) ? env->ldt.limit : env->gdt.limit;
    uint32_t index = sel & 0xfff8u;
    if (index + 7 > limit)
        return false;
    CPUState *cs = env_cpu(env);
    *e1 = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(base + index), MO_32, X86_MMU_KERNEL, retaddr);
    *e2 = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(base + index + 4), MO_32, X86_MMU_KERNEL, retaddr);
    return true;
}

static void seg_load_real(CPUX86State *env, int seg, uint32_t sel)
{
    SegmentCache *sc = &env->segs[seg];
    sel &= 0xffff;
    sc->selector = sel;
    sc->base = (uint64_t)sel << 4;
    if (env->eflags & VM_MASK) {
        sc->limit = 0xffff;
        sc->flags = DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK | (3u << DESC_DPL_SHIFT) |
                    (seg == R_CS ? DESC_CS_MASK : 0);
    }
    /* real mode keeps the hidden limit and attributes ("unreal mode") */
}

/* ---- stack access for delivery and far transfers ---- */

typedef struct X86Stack {
    uint64_t base;
    uint32_t sp, mask;
    int mmu_idx;
    uintptr_t ra;
} X86Stack;

static void stk_init(X86Stack *st, CPUX86State *env, const SegmentCache *ss, uint32_t sp,
                     int mmu_idx, uintptr_t ra)
{
    st->base = ss->base;
    st->mask = (ss->flags & DESC_B_MASK) ? 0xffffffffu : 0xffffu;
    st->sp = sp;
    st->mmu_idx = mmu_idx;
    st->ra = ra;
}

static void stk_push(CPUX86State *env, X86Stack *st, uint32_t val, int shift)
{
    int n = 2 << shift;
    st->sp -= n;
    cpu_st_mmu(env_cpu(env), (uint32_t)(st->base + (st->sp & st->mask)), val,
               shift ? MO_32 : MO_16, st->mmu_idx, st->ra);
}

static uint32_t stk_pop(CPUX86State *env, X86Stack *st, int shift)
{
    uint32_t v = (uint32_t)cpu_ld_mmu(env_cpu(env), (uint32_t)(st->base + (st->sp & st->mask)),
                                      shift ? MO_32 : MO_16, st->mmu_idx, st->ra);
    st->sp += 2 << shift;
    return v;
}

static void set_esp(CPUX86State *env, uint32_t sp, uint32_t mask)
{
    env->regs[R_ESP] = (uint32_t)((env->regs[R_ESP] & ~mask) | (sp & mask));
}

static int cpl_of(CPUX86State *env)
{
    return env->hflags & HF_CPL_MASK;
}

/* ---- delivery ---- */

static bool vector_has_error_code(int intno)
{
    return intno == EXCP08_DBLE || (intno >= EXCP0A_TSS && intno <= EXCP0E_PAGE) ||
           intno == EXCP11_ALGN;
}

static void tss_get_stack(CPUX86State *env, int dpl, uint32_t *ss, uint32_t *esp, int ext)
{
    SegmentCache *tr = &env->tr;
    int type = (tr->flags >> DESC_TYPE_SHIFT) & 0xf;
    if (!(tr->flags & DESC_P_MASK) || (type & 7) != 3)
        x86_raise_exception_err(env, EXCP0A_TSS, (tr->selector & 0xfffc) | ext);
    int shift = type >> 3;
    uint32_t index = (uint32_t)(dpl * 4 + 2) << shift;
    if (index + (4u << shift) - 1 > tr->limit)
        x86_raise_exception_err(env, EXCP0A_TSS, (tr->selector & 0xfffc) | ext);
    CPUState *cs = env_cpu(env);
    if (shift) {
        *esp = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(tr->base + index), MO_32, X86_MMU_KERNEL, 0);
        *ss = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(tr->base + index + 4), MO_16, X86_MMU_KERNEL, 0);
    } else {
        *esp = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(tr->base + index), MO_16, X86_MMU_KERNEL, 0);
        *ss = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(tr->base + index + 2), MO_16, X86_MMU_KERNEL, 0);
    }
}

static void do_interrupt_real(CPUX86State *env, int intno, int is_int, uint32_t next_eip)
{
    CPUState *cs = env_cpu(env);
    if ((uint32_t)intno * 4 + 3 > env->idt.limit)
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2);
    uint64_t ptr = env->idt.base + (uint32_t)intno * 4;
    uint32_t off = (uint32_t)cpu_ld_mmu(cs, (uint32_t)ptr, MO_16, X86_MMU_KERNEL, 0);
    uint32_t sel = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(ptr + 2), MO_16, X86_MMU_KERNEL, 0);
    uint32_t old_eip = is_int ? next_eip : (uint32_t)env->eip;
    X86Stack st;
    stk_init(&st, env, &env->segs[R_SS], (uint32_t)env->regs[R_ESP], X86_MMU_KERNEL, 0);
    st.mask = 0xffff;
    stk_push(env, &st, x86_compute_eflags(env), 0);
    stk_push(env, &st, env->segs[R_CS].selector, 0);
    stk_push(env, &st, old_eip, 0);
    set_esp(env, st.sp, 0xffff);
    env->eip = off;
    env->segs[R_CS].selector = sel;
    env->segs[R_CS].base = (uint64_t)sel << 4;
    env->eflags &= ~(uint64_t)(IF_MASK | TF_MASK | AC_MASK | RF_MASK);
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    x86_update_hflags(env);
}

static void do_interrupt_protected(CPUX86State *env, int intno, int is_int, int error_code,
                                   uint32_t next_eip, int is_hw)
{
    CPUState *cs = env_cpu(env);
    int ext = is_int ? 0 : 1;
    bool has_error_code = !is_int && !is_hw && vector_has_error_code(intno);
    uint32_t old_eip = is_int ? next_eip : (uint32_t)env->eip;
    int cpl = cpl_of(env);
    bool vm86 = (env->eflags & VM_MASK) != 0;

    if ((uint32_t)intno * 8 + 7 > env->idt.limit)
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2 + ext);
    uint64_t ptr = env->idt.base + (uint32_t)intno * 8;
    uint32_t e1 = (uint32_t)cpu_ld_mmu(cs, (uint32_t)ptr, MO_32, X86_MMU_KERNEL, 0);
    uint32_t e2 = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(ptr + 4), MO_32, X86_MMU_KERNEL, 0);
    int type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
    switch (type) {
    case 6: case 7: case 14: case 15:   /* 16/32-bit interrupt and trap gates */
        break;
    default:                            /* task gates (5) are not implemented */
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2 + ext);
    }
    int dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (is_int && dpl < cpl)
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2);
    if (!(e2 & DESC_P_MASK))
        x86_raise_exception_err(env, EXCP0B_NOSEG, intno * 8 + 2 + ext);
    uint32_t selector = e1 >> 16;
    uint32_t offset = (e2 & 0xffff0000u) | (e1 & 0xffff);
    if ((selector & 0xfffc) == 0)
        x86_raise_exception_err(env, EXCP0D_GPF, ext);
    uint32_t c1, c2;
    if (!x86_load_desc(env, selector, &c1, &c2, 0))
        x86_raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    if (!(c2 & DESC_S_MASK) || !(c2 & DESC_CS_MASK))
        x86_raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    dpl = (c2 >> DESC_DPL_SHIFT) & 3;
    if (dpl > cpl)
        x86_raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);
    if (!(c2 & DESC_P_MASK))
        x86_raise_exception_err(env, EXCP0B_NOSEG, (selector & 0xfffc) + ext);
    if (c2 & DESC_C_MASK)
        dpl = cpl;
    if (vm86 && dpl != 0)   /* from vm86 the handler must run in ring 0 */
        x86_raise_exception_err(env, EXCP0D_GPF, (selector & 0xfffc) + ext);

    bool new_stack;
    uint32_t ss = 0, esp, s1 = 0, s2 = 0;
    SegmentCache new_ss;
    if (dpl < cpl) {
        tss_get_stack(env, dpl, &ss, &esp, ext);
        if ((ss & 0xfffc) == 0)
            x86_raise_exception_err(env, EXCP0A_TSS, ext);
        if ((int)(ss & 3) != dpl)
            x86_raise_exception_err(env, EXCP0A_TSS, (ss & 0xfffc) + ext);
        if (!x86_load_desc(env, ss, &s1, &s2, 0))
            x86_raise_exception_err(env, EXCP0A_TSS, (ss & 0xfffc) + ext);
        if ((int)((s2 >> DESC_DPL_SHIFT) & 3) != dpl || !(s2 & DESC_S_MASK) ||
            (s2 & DESC_CS_MASK) || !(s2 & DESC_W_MASK))
            x86_raise_exception_err(env, EXCP0A_TSS, (ss & 0xfffc) + ext);
        if (!(s2 & DESC_P_MASK))
            x86_raise_exception_err(env, EXCP0C_STACK, (ss & 0xfffc) + ext);
        x86_seg_cache_set(&new_ss, ss, s1, s2);
        new_stack = true;
    } else {
        new_ss = env->segs[R_SS];
        esp = (uint32_t)env->regs[R_ESP];
        new_stack = false;
    }

    int shift = type >> 3;
    X86Stack st;
    stk_init(&st, env, &new_ss, esp, dpl == 3 ? X86_MMU_USER : X86_MMU_KERNEL, 0);
    if (new_stack) {
        if (vm86) {
            stk_push(env, &st, env->segs[R_GS].selector, shift);
            stk_push(env, &st, env->segs[R_FS].selector, shift);
            stk_push(env, &st, env->segs[R_DS].selector, shift);
            stk_push(env, &st, env->segs[R_ES].selector, shift);
        }
        stk_push(env, &st, env->segs[R_SS].selector, shift);
        stk_push(env, &st, (uint32_t)env->regs[R_ESP], shift);
    }
    stk_push(env, &st, x86_compute_eflags(env), shift);
    stk_push(env, &st, env->segs[R_CS].selector, shift);
    stk_push(env, &st, old_eip, shift);
    if (has_error_code)
        stk_push(env, &st, (uint32_t)error_code, shift);

    /* commit */
    if (new_stack) {
        if (vm86) {
            static const int nulls[] = { R_ES, R_DS, R_FS, R_GS };
            for (unsigned i = 0; i < 4; i++)
                env->segs[nulls[i]] = (SegmentCache){ 0, 0, 0, 0 };
        }
        new_ss.selector = (ss & ~3u) | (uint32_t)dpl;
        env->segs[R_SS] = new_ss;
        env->regs[R_ESP] = 0;
    }
    set_esp(env, st.sp, st.mask);
    x86_seg_cache_set(&env->segs[R_CS], (selector & 0xfffc) | (uint32_t)dpl, c1, c2);
    env->eip = shift ? offset : (offset & 0xffff);
    uint64_t clear = TF_MASK | NT_MASK | RF_MASK | VM_MASK;
    if (!(type & 1))
        clear |= IF_MASK;
    env->eflags &= ~clear;
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    x86_update_hflags(env);
}

static void do_interrupt_all(CPUX86State *env, int intno, int is_int, int error_code,
                             uint32_t next_eip, int is_hw)
{
    CPUState *cs = env_cpu(env);
    if (cpu_log_enabled(cs, LOG_INT)) {
        cpu_log(cs, "int: vector 0x%02x err=0x%04x eip=0x%08x cr2=0x%08x cpl=%d%s\n", intno,
                (unsigned)error_code & 0xffff, (uint32_t)env->eip, (uint32_t)env->cr[2],
                cpl_of(env), is_hw ? " hw" : is_int ? " sw" : "");
    }
    if (env->cr[0] & X86_CR0_PE)
        do_interrupt_protected(env, intno, is_int, error_code, next_eip, is_hw);
    else
        do_interrupt_real(env, intno, is_int, next_eip);
    cs->halted = false;
}

void x86_do_interrupt(CPUState *cs)
{
    CPUX86State *env = x86_env(cs);
    int intno = cs->exception_index;
    if (intno < 0 || intno >= EXCP_INTERRUPT)
        return;
    do_interrupt_all(env, intno, env->exception_is_int, env->error_code,
                     (uint32_t)env->exception_next_eip, 0);
    env->old_exception = -1;
    env->exception_is_int = 0;
    cs->exception_index = EXCP_NONE;
}

bool x86_exec_interrupt(CPUState *cs, uint32_t interrupt_request)
{
    CPUX86State *env = x86_env(cs);
    if (interrupt_request & CPU_INTERRUPT_NMI) {
        /* NMI blocking until the next IRET is not modelled (no NMI source yet) */
        cpu_reset_interrupt(cs, CPU_INTERRUPT_NMI);
        do_interrupt_all(env, EXCP02_NMI, 0, 0, 0, 1);
        env->old_exception = -1;
        return true;
    }
    if (!(interrupt_request & CPU_INTERRUPT_HARD) || !(env->eflags & IF_MASK) ||
        (env->hflags & HF_INHIBIT_IRQ_MASK))
        return false;
    /* The PIC re-raises the line from its acknowledge if more are pending. */
    cpu_reset_interrupt(cs, CPU_INTERRUPT_HARD);
    int intno = env->get_pic_interrupt ? env->get_pic_interrupt(env->pic_opaque) : -1;
    if (intno < 0)
        return false;
    do_interrupt_all(env, intno, 0, 0, 0, 1);
    env->old_exception = -1;
    return true;
}

/* ---- IRET, far RET, far JMP, far CALL ---- */

static void iret_real(CPUX86State *env, int shift, uintptr_t ra)
{
    X86Stack st;
    stk_init(&st, env, &env->segs[R_SS], (uint32_t)env->regs[R_ESP], x86_mmu_index(env), ra);
    st.mask = 0xffff;
    uint32_t new_eip = stk_pop(env, &st, shift);
    uint32_t new_cs = stk_pop(env, &st, shift) & 0xffff;
    uint32_t new_eflags = stk_pop(env, &st, shift);
    uint32_t mask = TF_MASK | AC_MASK | ID_MASK | IF_MASK | RF_MASK | NT_MASK | CC_ALL | DF_MASK;
    if (!(env->eflags & VM_MASK))
        mask |= IOPL_MASK;
    if (!shift)
        mask &= 0xffff;
    set_esp(env, st.sp, 0xffff);
    seg_load_real(env, R_CS, new_cs);
    env->eip = new_eip & (shift ? 0xffffffffu : 0xffffu);
    x86_load_eflags(env, new_eflags, mask);
    x86_update_hflags(env);
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

static void ret_protected(CPUX86State *env, int shift, int is_iret, uint32_t addend, uintptr_t ra)
{
    int cpl = cpl_of(env);
    X86Stack st;
    stk_init(&st, env, &env->segs[R_SS], (uint32_t)env->regs[R_ESP], x86_mmu_index(env), ra);
    uint32_t new_eip = stk_pop(env, &st, shift);
    uint32_t new_cs = stk_pop(env, &st, shift) & 0xffff;
    uint32_t new_eflags = 0;
    if (is_iret) {
        new_eflags = stk_pop(env, &st, shift);
        if (shift && (new_eflags & VM_MASK) && cpl == 0) {
            /* return to virtual-8086 mode */
            uint32_t v[6];
            for (int i = 0; i < 6; i++)
                v[i] = stk_pop(env, &st, 1);
            x86_load_eflags(env, new_eflags, 0xffffffffu & ~(uint32_t)0x2);
            env->eflags |= VM_MASK;
            seg_load_real(env, R_CS, new_cs);
            seg_load_real(env, R_SS, v[1]);
            seg_load_real(env, R_ES, v[2]);
            seg_load_real(env, R_DS, v[3]);
            seg_load_real(env, R_FS, v[4]);
            seg_load_real(env, R_GS, v[5]);
            env->regs[R_ESP] = v[0];
            env->eip = new_eip & 0xffff;
            x86_update_hflags(env);
            return;
        }
    }
    if ((new_cs & 0xfffc) == 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    uint32_t e1, e2;
    if (!x86_load_desc(env, new_cs, &e1, &e2, ra))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    if (!(e2 & DESC_S_MASK) || !(e2 & DESC_CS_MASK))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    int rpl = new_cs & 3;
    if (rpl < cpl)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    int dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if ((e2 & DESC_C_MASK) ? dpl > rpl : dpl != rpl)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, new_cs & 0xfffc, ra);
    if (!(e2 & DESC_P_MASK))
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, new_cs & 0xfffc, ra);
    st.sp += addend;

    uint32_t new_ss = 0, new_esp = 0, s1 = 0, s2 = 0;
    bool outer = rpl != cpl;
    if (outer) {
        new_esp = stk_pop(env, &st, shift);
        new_ss = stk_pop(env, &st, shift) & 0xffff;
        if ((new_ss & 0xfffc) == 0 || (int)(new_ss & 3) != rpl)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, new_ss & 0xfffc, ra);
        if (!x86_load_desc(env, new_ss, &s1, &s2, ra))
            x86_raise_exception_err_ra(env, EXCP0D_GPF, new_ss & 0xfffc, ra);
        if (!(s2 & DESC_S_MASK) || (s2 & DESC_CS_MASK) || !(s2 & DESC_W_MASK) ||
            (int)((s2 >> DESC_DPL_SHIFT) & 3) != rpl)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, new_ss & 0xfffc, ra);
        if (!(s2 & DESC_P_MASK))
            x86_raise_exception_err_ra(env, EXCP0C_STACK, new_ss & 0xfffc, ra);
    }

    /* commit */
    x86_seg_cache_set(&env->segs[R_CS], new_cs, e1, e2);
    if (outer) {
        x86_seg_cache_set(&env->segs[R_SS], new_ss, s1, s2);
        uint32_t mask = (s2 & DESC_B_MASK) ? 0xffffffffu : 0xffffu;
        set_esp(env, new_esp + addend, mask);
        validate_seg_outer(env, R_ES, rpl);
        validate_seg_outer(env, R_DS, rpl);
        validate_seg_outer(env, R_FS, rpl);
        validate_seg_outer(env, R_GS, rpl);
    } else {
        set_esp(env, st.sp, st.mask);
    }
    env->eip = shift ? new_eip : (new_eip & 0xffff);
    if (is_iret) {
        uint32_t mask = TF_MASK | AC_MASK | ID_MASK | RF_MASK | NT_MASK | CC_ALL | DF_MASK;
        if (cpl == 0)
            mask |= IOPL_MASK | VIF_MASK | VIP_MASK;
        if (cpl <= (int)((env->eflags & IOPL_MASK) >> 12))
            mask |= IF_MASK;
        if (!shift)
            mask &= 0xffff;
        x86_load_eflags(env, new_eflags, mask);
    }
    x86_update_hflags(env);
}

void helper_iret_protected(CPUX86State *env, uint32_t shift)
{
    uintptr_t ra = GETPC();
    if (!(env->cr[0] & X86_CR0_PE)) {
        iret_real(env, shift, ra);
    } else if (env->eflags & VM_MASK) {
        if ((env->eflags & IOPL_MASK) != IOPL_MASK)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        iret_real(env, shift, ra);
    } else {
        if (env->eflags & NT_MASK)   /* nested task return: task switching is not implemented */
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        ret_protected(env, shift, 1, 0, ra);
    }
}

void helper_lret_protected(CPUX86State *env, uint32_t shift, uint32_t addend)
{
    uintptr_t ra = GETPC();
    if (!(env->cr[0] & X86_CR0_PE) || (env->eflags & VM_MASK)) {
        X86Stack st;
        stk_init(&st, env, &env->segs[R_SS], (uint32_t)env->regs[R_ESP], x86_mmu_index(env), ra);
        uint32_t new_eip = stk_pop(env, &st, shift);
        uint32_t new_cs = stk_pop(env, &st, shift);
        set_esp(env, st.sp + addend, st.mask);
        seg_load_real(env, R_CS, new_cs);
        env->eip = shift ? new_eip : (new_eip & 0xffff);
        x86_update_hflags(env);
        return;
    }
    ret_protected(env, shift, 0, addend, ra);
}

/* Checks of a far JMP/CALL target code segment; no call/task gates. */
static void far_target_check(CPUX86State *env, uint32_t sel, uint32_t new_eip, uint32_t *e1,
                             uint32_t *e2, uintptr_t ra)
{
    int cpl = cpl_of(env);
    if ((sel & 0xfffc) == 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    if (!x86_load_desc(env, sel, e1, e2, ra))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    if (!(*e2 & DESC_S_MASK) || !(*e2 & DESC_CS_MASK))   /* gates, TSS: not implemented */
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    int dpl = (*e2 >> DESC_DPL_SHIFT) & 3;
    if (*e2 & DESC_C_MASK) {
        if (dpl > cpl)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    } else {
        if ((int)(sel & 3) > cpl || dpl != cpl)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    }
    if (!(*e2 & DESC_P_MASK))
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    /* long mode: L and D together are reserved */
    if ((env->hflags & HF_LMA_MASK) && (*e2 & DESC_L_MASK) && (*e2 & DESC_B_MASK))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    if (new_eip > desc_limit(*e1, *e2))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
}

void helper_ljmp_protected(CPUX86State *env, uint32_t sel, uint64_t new_eip)
{
    uintptr_t ra = GETPC();
    sel &= 0xffff;
    if (!(env->cr[0] & X86_CR0_PE) || (env->eflags & VM_MASK)) {
        seg_load_real(env, R_CS, sel);
        env->eip = new_eip;
        x86_update_hflags(env);
        return;
    }
    uint32_t e1, e2;
    far_target_check(env, sel, new_eip, &e1, &e2, ra);
    x86_seg_cache_set(&env->segs[R_CS], (sel & 0xfffc) | (uint32_t)cpl_of(env), e1, e2);
    env->eip = new_eip;
    x86_update_hflags(env);
}

void helper_lcall_protected(CPUX86State *env, uint32_t sel, uint64_t new_eip, uint32_t shift,
                            uint64_t next_eip)
{
    uintptr_t ra = GETPC();
    sel &= 0xffff;
    X86Stack st;
    stk_init(&st, env, &env->segs[R_SS], (uint32_t)env->regs[R_ESP], x86_mmu_index(env), ra);
    if (!(env->cr[0] & X86_CR0_PE) || (env->eflags & VM_MASK)) {
        stk_push(env, &st, env->segs[R_CS].selector, shift);
        stk_push(env, &st, next_eip, shift);
        set_esp(env, st.sp, st.mask);
        seg_load_real(env, R_CS, sel);
        env->eip = new_eip;
        x86_update_hflags(env);
        return;
    }
    uint32_t e1, e2;
    far_target_check(env, sel, new_eip, &e1, &e2, ra);
    stk_push(env, &st, env->segs[R_CS].selector, shift);
    stk_push(env, &st, next_eip, shift);
    set_esp(env, st.sp, st.mask);
    x86_seg_cache_set(&env->segs[R_CS], (sel & 0xfffc) | (uint32_t)cpl_of(env), e1, e2);
    env->eip = new_eip;
    x86_update_hflags(env);
}
