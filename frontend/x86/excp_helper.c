/*
 * x86 exceptions and interrupts: raising (with precise state restore),
 * double/triple fault classification, delivery through the IVT (real
 * mode), the IDT in protected mode (16/32-bit interrupt and trap gates with
 * the TSS stack switch, task gates through a hardware task switch) and in
 * long mode (16-byte gates, IST stacks, the stack aligned to 16, SS:RSP
 * always pushed, a null SS on a privilege change), external interrupts
 * and NMIs (blocked from delivery until the next IRET).
 * Far transfers and IRET are in seg_helper.c.
 * What must stay true: every check that may fault is done, and every guest
 * memory access made, before any architectural state is changed, so a
 * fault part-way leaves the state of the event being delivered intact.
 */
#include <inttypes.h>
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"
#include "frontend/x86/seg.h"

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
    env->exception_next_eip = (env->hflags & HF_CS64_MASK) ? next
                            : (env->hflags & HF_CS32_MASK) ? (uint32_t)next : (next & 0xffff);
    cpu_loop_exit(cs);
}

/* ---- descriptors ---- */

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
    *e1 = (uint32_t)cpu_ld_mmu(cs, base + index, MO_32, X86_MMU_KERNEL, retaddr);
    *e2 = (uint32_t)cpu_ld_mmu(cs, base + index + 4, MO_32, X86_MMU_KERNEL, retaddr);
    return true;
}

bool x86_load_desc_hi(CPUX86State *env, uint32_t sel, uint32_t *e3, uint32_t *e4, uintptr_t ra)
{
    uint64_t base = (sel & 4) ? env->ldt.base : env->gdt.base;
    uint32_t limit = (sel & 4) ? env->ldt.limit : env->gdt.limit;
    uint32_t index = (sel & 0xfff8u) + 8;
    if (index + 7 > limit)
        return false;
    CPUState *cs = env_cpu(env);
    *e3 = (uint32_t)cpu_ld_mmu(cs, base + index, MO_32, X86_MMU_KERNEL, ra);
    *e4 = (uint32_t)cpu_ld_mmu(cs, base + index + 4, MO_32, X86_MMU_KERNEL, ra);
    return true;
}

void x86_seg_load_real(CPUX86State *env, int seg, uint32_t sel)
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

/* ---- TSS stacks ---- */

static void tss_check(CPUX86State *env, uint32_t need, int ext, uintptr_t ra)
{
    SegmentCache *tr = &env->tr;
    int type = (tr->flags >> DESC_TYPE_SHIFT) & 0xf;
    if (!(tr->flags & DESC_P_MASK) || (type & 7) != 3 || need > tr->limit)
        x86_raise_exception_err_ra(env, EXCP0A_TSS, (int)(tr->selector & 0xfffc) | ext, ra);
}

void x86_tss_get_stack(CPUX86State *env, int dpl, uint32_t *ss, uint32_t *esp, int ext, uintptr_t ra)
{
    SegmentCache *tr = &env->tr;
    int shift = ((tr->flags >> DESC_TYPE_SHIFT) & 8) >> 3;
    uint32_t index = (uint32_t)(dpl * 4 + 2) << shift;
    tss_check(env, index + (4u << shift) - 1, ext, ra);
    CPUState *cs = env_cpu(env);
    if (shift) {
        *esp = (uint32_t)cpu_ld_mmu(cs, tr->base + index, MO_32, X86_MMU_KERNEL, ra);
        *ss = (uint32_t)cpu_ld_mmu(cs, tr->base + index + 4, MO_16, X86_MMU_KERNEL, ra);
    } else {
        *esp = (uint32_t)cpu_ld_mmu(cs, tr->base + index, MO_16, X86_MMU_KERNEL, ra);
        *ss = (uint32_t)cpu_ld_mmu(cs, tr->base + index + 2, MO_16, X86_MMU_KERNEL, ra);
    }
}

/* 64-bit TSS: RSP0-2 at 4 + 8n, IST1-7 at 0x1c + 8n. */
uint64_t x86_tss64_stack(CPUX86State *env, int n, bool ist, int ext)
{
    uint32_t index = ist ? 0x1cu + 8u * (uint32_t)n : 4u + 8u * (uint32_t)n;
    tss_check(env, index + 7, ext, 0);
    return cpu_ld_mmu(env_cpu(env), env->tr.base + index, MO_64, X86_MMU_KERNEL, 0);
}

/* ---- delivery ---- */

static bool vector_has_error_code(int intno)
{
    return intno == EXCP08_DBLE || (intno >= EXCP0A_TSS && intno <= EXCP0E_PAGE) ||
           intno == EXCP11_ALGN;
}

static void do_interrupt_real(CPUX86State *env, int intno, int is_int, uint64_t next_eip)
{
    CPUState *cs = env_cpu(env);
    if ((uint32_t)intno * 4 + 3 > env->idt.limit)
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2);
    uint64_t ptr = env->idt.base + (uint32_t)intno * 4;
    uint32_t off = (uint32_t)cpu_ld_mmu(cs, (uint32_t)ptr, MO_16, X86_MMU_KERNEL, 0);
    uint32_t sel = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(ptr + 2), MO_16, X86_MMU_KERNEL, 0);
    uint32_t old_eip = is_int ? (uint32_t)next_eip : (uint32_t)env->eip;
    X86Stack st;
    stk_init(&st, &env->segs[R_SS], env->regs[R_ESP], false, X86_MMU_KERNEL, 0);
    st.mask = 0xffff;
    stk_push(env, &st, x86_compute_eflags(env), 0);
    stk_push(env, &st, env->segs[R_CS].selector, 0);
    stk_push(env, &st, old_eip, 0);
    set_rsp(env, st.sp, 0xffff);
    env->eip = off;
    env->segs[R_CS].selector = sel;
    env->segs[R_CS].base = (uint64_t)sel << 4;
    env->eflags &= ~(uint64_t)(IF_MASK | TF_MASK | AC_MASK | RF_MASK);
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    x86_update_hflags(env);
}

/* The handler's code segment from a gate: checks common to both modes. */
static void gate_target(CPUX86State *env, uint32_t selector, int ext, uint32_t *c1, uint32_t *c2)
{
    if ((selector & 0xfffc) == 0)
        x86_raise_exception_err(env, EXCP0D_GPF, ext);
    if (!x86_load_desc(env, selector, c1, c2, 0))
        x86_raise_exception_err(env, EXCP0D_GPF, (int)(selector & 0xfffc) + ext);
    if (!(*c2 & DESC_S_MASK) || !(*c2 & DESC_CS_MASK))
        x86_raise_exception_err(env, EXCP0D_GPF, (int)(selector & 0xfffc) + ext);
    if ((int)((*c2 >> DESC_DPL_SHIFT) & 3) > cpl_of(env))
        x86_raise_exception_err(env, EXCP0D_GPF, (int)(selector & 0xfffc) + ext);
    if (!(*c2 & DESC_P_MASK))
        x86_raise_exception_err(env, EXCP0B_NOSEG, (int)(selector & 0xfffc) + ext);
}

static void do_interrupt_protected(CPUX86State *env, int intno, int is_int, int error_code,
                                   uint64_t next_eip, int is_hw)
{
    CPUState *cs = env_cpu(env);
    int ext = is_int ? 0 : 1;
    bool has_error_code = !is_int && !is_hw && vector_has_error_code(intno);
    uint32_t old_eip = is_int ? (uint32_t)next_eip : (uint32_t)env->eip;
    int cpl = cpl_of(env);
    bool vm86 = (env->eflags & VM_MASK) != 0;

    if ((uint32_t)intno * 8 + 7 > env->idt.limit)
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2 + ext);
    uint64_t ptr = env->idt.base + (uint32_t)intno * 8;
    uint32_t e1 = (uint32_t)cpu_ld_mmu(cs, (uint32_t)ptr, MO_32, X86_MMU_KERNEL, 0);
    uint32_t e2 = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(ptr + 4), MO_32, X86_MMU_KERNEL, 0);
    int type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
    switch (type) {
    case 5: case 6: case 7: case 14: case 15:   /* task gate, 16/32-bit interrupt and trap gates */
        break;
    default:
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2 + ext);
    }
    int dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (is_int && dpl < cpl)
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2);
    if (!(e2 & DESC_P_MASK))
        x86_raise_exception_err(env, EXCP0B_NOSEG, intno * 8 + 2 + ext);
    uint32_t selector = e1 >> 16;
    if (type == 5) {
        /* task gate: the TSS selector must be a global, available TSS */
        uint32_t t1, t2;
        if ((selector & 4) || !x86_load_desc(env, selector, &t1, &t2, 0))
            x86_raise_exception_err(env, EXCP0A_TSS, (int)(selector & 0xfffc) + ext);
        x86_task_switch(env, selector, t1, t2, X86_TASK_INT, is_int ? next_eip : env->eip,
                        has_error_code ? error_code : -1, 0);
        return;
    }
    uint32_t offset = (e2 & 0xffff0000u) | (e1 & 0xffff);
    uint32_t c1, c2;
    gate_target(env, selector, ext, &c1, &c2);
    dpl = (c2 >> DESC_DPL_SHIFT) & 3;
    if (c2 & DESC_C_MASK)
        dpl = cpl;
    if (vm86 && dpl != 0)   /* from vm86 the handler must run in ring 0 */
        x86_raise_exception_err(env, EXCP0D_GPF, (int)(selector & 0xfffc) + ext);

    bool new_stack;
    uint32_t ss = 0, esp, s1 = 0, s2 = 0;
    SegmentCache new_ss;
    if (dpl < cpl) {
        x86_tss_get_stack(env, dpl, &ss, &esp, ext, 0);
        if ((ss & 0xfffc) == 0)
            x86_raise_exception_err(env, EXCP0A_TSS, ext);
        if ((int)(ss & 3) != dpl)
            x86_raise_exception_err(env, EXCP0A_TSS, (int)(ss & 0xfffc) + ext);
        if (!x86_load_desc(env, ss, &s1, &s2, 0))
            x86_raise_exception_err(env, EXCP0A_TSS, (int)(ss & 0xfffc) + ext);
        if ((int)((s2 >> DESC_DPL_SHIFT) & 3) != dpl || !(s2 & DESC_S_MASK) ||
            (s2 & DESC_CS_MASK) || !(s2 & DESC_W_MASK))
            x86_raise_exception_err(env, EXCP0A_TSS, (int)(ss & 0xfffc) + ext);
        if (!(s2 & DESC_P_MASK))
            x86_raise_exception_err(env, EXCP0C_STACK, (int)(ss & 0xfffc) + ext);
        x86_seg_cache_set(&new_ss, ss, s1, s2);
        new_stack = true;
    } else {
        new_ss = env->segs[R_SS];
        esp = (uint32_t)env->regs[R_ESP];
        new_stack = false;
    }

    int shift = type >> 3;
    X86Stack st;
    stk_init(&st, &new_ss, esp, false, dpl == 3 ? X86_MMU_USER : X86_MMU_KERNEL, 0);
    if (new_stack) {
        stk_set_new(&st, new_ss.selector);
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
    set_rsp(env, st.sp, st.mask);
    x86_seg_cache_set(&env->segs[R_CS], (selector & 0xfffc) | (uint32_t)dpl, c1, c2);
    env->eip = shift ? offset : (offset & 0xffff);
    uint64_t clear = TF_MASK | NT_MASK | RF_MASK | VM_MASK;
    if (!(type & 1))
        clear |= IF_MASK;
    env->eflags &= ~clear;
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    x86_update_hflags(env);
}

/* Long mode (SDM vol. 3, 6.14): 16-byte gates, 64-bit handlers only. */
static void do_interrupt64(CPUX86State *env, int intno, int is_int, int error_code,
                           uint64_t next_eip, int is_hw)
{
    CPUState *cs = env_cpu(env);
    int ext = is_int ? 0 : 1;
    bool has_error_code = !is_int && !is_hw && vector_has_error_code(intno);
    uint64_t old_eip = is_int ? next_eip : env->eip;
    int cpl = cpl_of(env);

    if ((uint32_t)intno * 16 + 15 > env->idt.limit)
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2 + ext);
    uint64_t ptr = env->idt.base + (uint32_t)intno * 16;
    uint32_t e1 = (uint32_t)cpu_ld_mmu(cs, ptr, MO_32, X86_MMU_KERNEL, 0);
    uint32_t e2 = (uint32_t)cpu_ld_mmu(cs, ptr + 4, MO_32, X86_MMU_KERNEL, 0);
    uint32_t e3 = (uint32_t)cpu_ld_mmu(cs, ptr + 8, MO_32, X86_MMU_KERNEL, 0);
    int type = (e2 >> DESC_TYPE_SHIFT) & 0x1f;
    if (type != 14 && type != 15)   /* 64-bit interrupt and trap gates only */
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2 + ext);
    int dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (is_int && dpl < cpl)
        x86_raise_exception_err(env, EXCP0D_GPF, intno * 8 + 2);
    if (!(e2 & DESC_P_MASK))
        x86_raise_exception_err(env, EXCP0B_NOSEG, intno * 8 + 2 + ext);
    uint32_t selector = e1 >> 16;
    uint64_t offset = ((uint64_t)e3 << 32) | (e2 & 0xffff0000u) | (e1 & 0xffff);
    int ist = e2 & 7;
    uint32_t c1, c2;
    gate_target(env, selector, ext, &c1, &c2);
    if (!(c2 & DESC_L_MASK) || (c2 & DESC_B_MASK))
        x86_raise_exception_err(env, EXCP0D_GPF, (int)(selector & 0xfffc) + ext);
    dpl = (c2 >> DESC_DPL_SHIFT) & 3;
    if (c2 & DESC_C_MASK)
        dpl = cpl;

    uint64_t rsp;
    if (ist)
        rsp = x86_tss64_stack(env, ist, true, ext);
    else if (dpl < cpl)
        rsp = x86_tss64_stack(env, dpl, false, ext);
    else
        rsp = env->regs[R_ESP];
    rsp &= ~0xfull;   /* the frame is aligned to 16 */

    X86Stack st;
    stk_init(&st, &env->segs[R_SS], rsp, true, dpl == 3 ? X86_MMU_USER : X86_MMU_KERNEL, 0);
    stk_push(env, &st, env->segs[R_SS].selector, 2);
    stk_push(env, &st, env->regs[R_ESP], 2);
    stk_push(env, &st, x86_compute_eflags(env), 2);
    stk_push(env, &st, env->segs[R_CS].selector, 2);
    stk_push(env, &st, old_eip, 2);
    if (has_error_code)
        stk_push(env, &st, (uint32_t)error_code, 2);

    /* commit */
    if (dpl < cpl)   /* SS becomes a null selector with RPL = the new CPL */
        env->segs[R_SS] = (SegmentCache){ (uint32_t)dpl, 0, 0, (uint32_t)dpl << DESC_DPL_SHIFT };
    env->regs[R_ESP] = st.sp;
    x86_seg_cache_set(&env->segs[R_CS], (selector & 0xfffc) | (uint32_t)dpl, c1, c2);
    env->eip = offset;
    uint64_t clear = TF_MASK | NT_MASK | RF_MASK | VM_MASK;
    if (!(type & 1))
        clear |= IF_MASK;
    env->eflags &= ~clear;
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    x86_update_hflags(env);
}

static void do_interrupt_all(CPUX86State *env, int intno, int is_int, int error_code,
                             uint64_t next_eip, int is_hw)
{
    CPUState *cs = env_cpu(env);
    if (cpu_log_enabled(cs, LOG_INT)) {
        cpu_log(cs, "int: vector 0x%02x err=0x%04x eip=0x%08" PRIx64 " cr2=0x%08" PRIx64
                " cpl=%d%s\n", intno, (unsigned)error_code & 0xffff, env->eip, env->cr[2],
                cpl_of(env), is_hw ? " hw" : is_int ? " sw" : "");
    }
    if (env->efer & X86_EFER_LMA)
        do_interrupt64(env, intno, is_int, error_code, next_eip, is_hw);
    else if (env->cr[0] & X86_CR0_PE)
        do_interrupt_protected(env, intno, is_int, error_code, next_eip, is_hw);
    else
        do_interrupt_real(env, intno, is_int, next_eip);
    cs->halted = false;
}

static bool x86_vector_is_fault(int intno)
{
    switch (intno) {
    case EXCP00_DIVZ: case EXCP05_BOUND: case EXCP06_ILLOP: case EXCP07_PREX:
    case EXCP0A_TSS: case EXCP0B_NOSEG: case EXCP0C_STACK: case EXCP0D_GPF:
    case EXCP0E_PAGE: case EXCP10_COPR: case EXCP11_ALGN: case EXCP13_XMM:
        return true;
    default:
        return false;
    }
}

void x86_do_interrupt(CPUState *cs)
{
    CPUX86State *env = x86_env(cs);
    int intno = cs->exception_index;
    if (intno < 0 || intno >= EXCP_INTERRUPT)
        return;
    /* an insn that faults did not complete: its data breakpoint hits go,
     * and the EFLAGS image gets RF so that an execute breakpoint on it
     * does not fire again when it restarts (SDM: every fault-class
     * exception but #DB; #DB faults leave RF to the debugger) */
    if (!env->exception_is_int && intno != EXCP01_DB) {
        env->db_pending = 0;
        if (x86_vector_is_fault(intno))
            env->eflags |= RF_MASK;
    }
    do_interrupt_all(env, intno, env->exception_is_int, env->error_code,
                     env->exception_next_eip, 0);
    env->old_exception = -1;
    env->exception_is_int = 0;
    cs->exception_index = EXCP_NONE;
}

bool x86_exec_interrupt(CPUState *cs, uint32_t interrupt_request)
{
    CPUX86State *env = x86_env(cs);
    if (interrupt_request & CPU_INTERRUPT_DEBUG) {
        /* data breakpoints hit by the insn that just completed: a trap */
        cpu_reset_interrupt(cs, CPU_INTERRUPT_DEBUG);
        if (env->db_pending) {
            env->dr[6] = (env->dr[6] & ~(uint64_t)0xf) | env->db_pending;
            if (cpu_log_enabled(cs, LOG_TRAP))
                cpu_log(cs, "trap: #DB data breakpoint, DR6 = 0x%" PRIx64 " \u2192 vector 1\n",
                        env->dr[6]);
            env->db_pending = 0;
            do_interrupt_all(env, EXCP01_DB, 0, 0, 0, 0);
            env->old_exception = -1;
            return true;
        }
    }
    if ((interrupt_request & CPU_INTERRUPT_NMI) || env->nmi_pending) {
        /* an NMI stays pending while one is being handled (until IRET) */
        if (!env->nmi_blocked) {
            cpu_reset_interrupt(cs, CPU_INTERRUPT_NMI);
            env->nmi_pending = false;
            env->nmi_blocked = true;
            if (cpu_log_enabled(cs, LOG_TRAP))
                cpu_log(cs, "trap: NMI \u2192 vector 2 (further NMIs held until IRET)\n");
            do_interrupt_all(env, EXCP02_NMI, 0, 0, 0, 1);
            env->old_exception = -1;
            return true;
        }
        cpu_reset_interrupt(cs, CPU_INTERRUPT_NMI);
        env->nmi_pending = true;
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
