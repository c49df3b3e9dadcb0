/*
 * x86 system helpers called from generated code: exceptions and INT n,
 * CPUID, RDTSC, HLT, port I/O, control/debug registers, MSRs, CLI/STI,
 * segment register loads and the descriptor-table registers.
 * What must stay true: a helper that faults passes GETPC() so the guest
 * state is restored to the faulting instruction; a helper that changes
 * what translation depends on (CR0, CR4, segments, IOPL) recomputes hflags,
 * and the translator ends the block after calling it.
 * CPUID answers leaves 0, 1, 0x80000000 (and 0x80000001) from the model
 * set up in cpu.c ("GenuineIntel", exactly the features implemented).
 * -d trap: each of these helpers that emulates a privileged instruction or
 * a device access says, in one line, what the guest asked and what kasou
 * did instead (trap_log). The check comes first: off, it costs one test.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <time.h>
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"

static int cpl_of(CPUX86State *env)
{
    return env->hflags & HF_CPL_MASK;
}

static void check_cpl0(CPUX86State *env, uintptr_t ra)
{
    if (cpl_of(env) != 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
}

/* One -d trap line: the guest instruction's address, then the story. */
static void __attribute__((format(printf, 2, 3))) trap_log(CPUX86State *env, const char *fmt, ...)
{
    CPUState *cs = env_cpu(env);
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cpu_log(cs, "trap: %08" PRIx64 ": %s\n", env->segs[R_CS].base + env->eip, msg);
}
#define TRAP(env, ...) \
    do { if (cpu_log_enabled(env_cpu(env), LOG_TRAP)) trap_log(env, __VA_ARGS__); } while (0)

void helper_raise_exception(CPUX86State *env, uint32_t vector)
{
    x86_raise_exception_err_ra(env, (int)vector, 0, GETPC());
}

void helper_raise_exception_err(CPUX86State *env, uint32_t vector, uint32_t err)
{
    x86_raise_exception_err_ra(env, (int)vector, (int)err, GETPC());
}

void helper_raise_interrupt(CPUX86State *env, uint32_t vector, uint32_t insn_len)
{
    x86_raise_interrupt(env, (int)vector, (int)insn_len, GETPC());
}

void helper_cpuid(CPUX86State *env)
{
    uint32_t idx = (uint32_t)env->regs[R_EAX], a = 0, b = 0, c = 0, d = 0;
    if (idx >= 0x80000000u) {
        if (idx > env->cpuid_xlevel)
            idx = env->cpuid_level;   /* out of range: the highest basic leaf, as Intel does */
    } else if (idx > env->cpuid_level) {
        idx = env->cpuid_level;
    }
    switch (idx) {
    case 0:
        a = env->cpuid_level;
        b = env->cpuid_vendor[0];
        d = env->cpuid_vendor[1];
        c = env->cpuid_vendor[2];
        break;
    case 1:
        a = env->cpuid_version;
        c = env->cpuid_ext_features;
        d = env->cpuid_features;
        break;
    case 0x80000000u:
        a = env->cpuid_xlevel;
        b = env->cpuid_vendor[0];
        d = env->cpuid_vendor[1];
        c = env->cpuid_vendor[2];
        break;
    case 0x80000001u:
        a = env->cpuid_version;
        c = env->cpuid_ext3_features;
        d = env->cpuid_ext2_features;
        break;
    default:
        break;
    }
    TRAP(env, "CPUID leaf 0x%x: answered eax=%08x ebx=%08x ecx=%08x edx=%08x (the -cpu model)",
         (uint32_t)env->regs[R_EAX], a, b, c, d);
    env->regs[R_EAX] = a;
    env->regs[R_EBX] = b;
    env->regs[R_ECX] = c;
    env->regs[R_EDX] = d;
}

uint64_t x86_host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t x86_tsc(CPUX86State *env)
{
    /* X86_TSC_HZ is 1 GHz: one tick per host nanosecond */
    return x86_host_ns() + env->tsc_offset;
}

void helper_rdtsc(CPUX86State *env)
{
    if ((env->cr[4] & X86_CR4_TSD) && cpl_of(env) != 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
    uint64_t t = x86_tsc(env);
    env->regs[R_EAX] = (uint32_t)t;
    env->regs[R_EDX] = (uint32_t)(t >> 32);
}

void helper_hlt(CPUX86State *env, uint32_t insn_len)
{
    CPUState *cs = env_cpu(env);
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    cpu_restore_state(cs, ra);
    TRAP(env, "HLT: the CPU sleeps until an interrupt (IF=%d)", (env->eflags & IF_MASK) != 0);
    env->eip += insn_len;
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    cs->halted = true;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

/* ---- port I/O ---- */

static const char io_suffix[] = "?bw?l";

/* "serial THR": the region that answers the port, and the device's name for
 * the register when it gives one. Read before the access (a read may change
 * what the register means, e.g. the IIR). */
static const char *io_device(CPUX86State *env, uint32_t port, bool is_write, char *buf, size_t n)
{
    MemoryRegion *mr = address_space_lookup(env_cpu(env)->io_as, port & 0xffff);
    const char *name = mr && mr->name ? mr->name : "nothing";
    const char *reg = mr && mr->ops && mr->ops->reg_name
                      ? mr->ops->reg_name(mr->opaque, (port & 0xffff) - mr->base, is_write) : NULL;
    snprintf(buf, n, "%s%s%s", name, reg ? " " : "", reg ? reg : "");
    return buf;
}

static uint32_t io_read(CPUX86State *env, uint32_t port, unsigned size)
{
    MemTxResult res;
    char dev[64] = "";
    if (cpu_log_enabled(env_cpu(env), LOG_TRAP))
        io_device(env, port, false, dev, sizeof(dev));
    uint32_t v = (uint32_t)address_space_ldn(env_cpu(env)->io_as, port & 0xffff, size, &res);
    TRAP(env, "IN%c port 0x%04x: read 0x%x from %s", io_suffix[size], port & 0xffff, v, dev);
    return v;
}

static void io_write(CPUX86State *env, uint32_t port, uint32_t val, unsigned size)
{
    MemTxResult res;
    char dev[64];
    TRAP(env, "OUT%c port 0x%04x, 0x%x: written to %s", io_suffix[size], port & 0xffff, val,
         io_device(env, port, true, dev, sizeof(dev)));
    address_space_stn(env_cpu(env)->io_as, port & 0xffff, val, size, &res);
}

uint32_t helper_inb(CPUX86State *env, uint32_t port, uint32_t unused) { return io_read(env, port, 1); }
uint32_t helper_inw(CPUX86State *env, uint32_t port, uint32_t unused) { return io_read(env, port, 2); }
uint32_t helper_inl(CPUX86State *env, uint32_t port, uint32_t unused) { return io_read(env, port, 4); }
void helper_outb(CPUX86State *env, uint32_t port, uint32_t val) { io_write(env, port, val & 0xff, 1); }
void helper_outw(CPUX86State *env, uint32_t port, uint32_t val) { io_write(env, port, val & 0xffff, 2); }
void helper_outl(CPUX86State *env, uint32_t port, uint32_t val) { io_write(env, port, val, 4); }

/* CPL > IOPL (or vm86): the TSS I/O permission bitmap decides. */
void helper_check_io(CPUX86State *env, uint32_t port, uint32_t size)
{
    uintptr_t ra = GETPC();
    int iopl = (int)((env->eflags & IOPL_MASK) >> 12);
    if (!(env->cr[0] & X86_CR0_PE) || (!(env->eflags & VM_MASK) && cpl_of(env) <= iopl))
        return;
    SegmentCache *tr = &env->tr;
    int type = (tr->flags >> DESC_TYPE_SHIFT) & 0xf;
    if (!(tr->flags & DESC_P_MASK) || (type & 7) != 3 || !(type & 8) || tr->limit < 103)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    CPUState *cs = env_cpu(env);
    uint32_t base = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(tr->base + 0x66), MO_16, X86_MMU_KERNEL, ra);
    base += (port & 0xffff) >> 3;
    if (base + 1 > tr->limit)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    uint32_t bits = (uint32_t)cpu_ld_mmu(cs, (uint32_t)(tr->base + base), MO_16, X86_MMU_KERNEL, ra);
    uint32_t mask = ((1u << size) - 1) << (port & 7);
    if (bits & mask)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
}

/* ---- control and debug registers ---- */

static void write_cr(CPUX86State *env, int reg, uint32_t val, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);
    switch (reg) {
    case 0: {
        if ((val & X86_CR0_PG) && !(val & X86_CR0_PE))
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        uint32_t old = (uint32_t)env->cr[0];
        val |= X86_CR0_ET;
        bool flush = (old ^ val) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE);
        if (flush)
            tlb_flush(cs);
        env->cr[0] = val;
        TRAP(env, "MOV CR0, 0x%08x: protected mode %s, paging %s, write-protect %s%s", val,
             val & X86_CR0_PE ? "on" : "off", val & X86_CR0_PG ? "on" : "off",
             val & X86_CR0_WP ? "on" : "off", flush ? "; TLB flushed" : "");
        break;
    }
    case 2:
        env->cr[2] = val;
        TRAP(env, "MOV CR2, 0x%08x: stored", val);
        break;
    case 3:
        env->cr[3] = val;
        tlb_flush(cs);   /* global pages are flushed too: allowed, if slower */
        TRAP(env, "MOV CR3, 0x%08x: page directory at 0x%08x; TLB flushed", val, val & ~0xfffu);
        break;
    case 4: {
        uint32_t valid = X86_CR4_TSD | X86_CR4_DE | X86_CR4_PSE | X86_CR4_PGE | (1u << 8) /* PCE */ |
                         (1u << 9) /* OSFXSR */ | (1u << 10) /* OSXMMEXCPT */;
        if (val & ~valid)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        bool flush = (env->cr[4] ^ val) & (X86_CR4_PSE | X86_CR4_PGE);
        if (flush)
            tlb_flush(cs);
        env->cr[4] = val;
        TRAP(env, "MOV CR4, 0x%08x: 4 MiB pages %s, global pages %s%s", val,
             val & X86_CR4_PSE ? "on" : "off", val & X86_CR4_PGE ? "on" : "off",
             flush ? "; TLB flushed" : "");
        break;
    }
    default:
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    }
    x86_update_hflags(env);
}

void helper_write_crN(CPUX86State *env, uint32_t reg, uint64_t val)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    write_cr(env, (int)reg, (uint32_t)val, ra);
}

uint64_t helper_read_crN(CPUX86State *env, uint32_t reg)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    if (reg == 1 || reg > 4)
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    TRAP(env, "MOV from CR%u: 0x%08x", reg, (uint32_t)env->cr[reg]);
    return (uint32_t)env->cr[reg];
}

void helper_lmsw(CPUX86State *env, uint32_t val)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    /* only MP/EM/TS are written; PE can be set but not cleared */
    uint32_t cr0 = (uint32_t)env->cr[0];
    cr0 = (cr0 & ~0xeu) | (val & 0xeu) | (cr0 & 1) | (val & 1);
    write_cr(env, 0, cr0, ra);
}

void helper_clts(CPUX86State *env)
{
    check_cpl0(env, GETPC());
    env->cr[0] &= ~(uint64_t)X86_CR0_TS;
    x86_update_hflags(env);
    TRAP(env, "CLTS: CR0.TS cleared");
}

static int dr_index(CPUX86State *env, uint32_t reg, uintptr_t ra)
{
    if (reg > 7)
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    if (reg == 4 || reg == 5) {
        if (env->cr[4] & X86_CR4_DE)
            x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
        reg += 2;
    }
    return (int)reg;
}

/* Debug registers are stored only: breakpoints do not fire yet. */
void helper_set_dr(CPUX86State *env, uint32_t reg, uint64_t val)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    env->dr[dr_index(env, reg, ra)] = val;
    TRAP(env, "MOV DR%u, 0x%08x: stored (breakpoints do not fire yet)", reg, (uint32_t)val);
}

uint64_t helper_get_dr(CPUX86State *env, uint32_t reg)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    return (uint32_t)env->dr[dr_index(env, reg, ra)];
}

void helper_invlpg(CPUX86State *env, uint64_t addr)
{
    check_cpl0(env, GETPC());
    tlb_flush_page(env_cpu(env), addr);
    TRAP(env, "INVLPG 0x%08x: that page's TLB entries dropped", (uint32_t)addr);
}

/* ---- MSRs ---- */

enum {
    MSR_IA32_TSC = 0x10, MSR_IA32_APICBASE = 0x1b, MSR_IA32_SYSENTER_CS = 0x174,
    MSR_IA32_SYSENTER_ESP = 0x175, MSR_IA32_SYSENTER_EIP = 0x176, MSR_IA32_MISC_ENABLE = 0x1a0,
    MSR_IA32_PAT = 0x277,
};

void helper_rdmsr(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    uint64_t v;
    switch ((uint32_t)env->regs[R_ECX]) {
    case MSR_IA32_TSC: v = x86_tsc(env); break;
    case MSR_IA32_APICBASE: v = env->msr_apicbase; break;
    case MSR_IA32_SYSENTER_CS: v = env->sysenter_cs; break;
    case MSR_IA32_SYSENTER_ESP: v = env->sysenter_esp; break;
    case MSR_IA32_SYSENTER_EIP: v = env->sysenter_eip; break;
    case MSR_IA32_MISC_ENABLE: v = env->msr_misc_enable; break;
    case MSR_IA32_PAT: v = env->msr_pat; break;
    default:
        TRAP(env, "RDMSR 0x%x: no such MSR here; #GP(0)", (uint32_t)env->regs[R_ECX]);
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    TRAP(env, "RDMSR 0x%x: 0x%016" PRIx64, (uint32_t)env->regs[R_ECX], v);
    env->regs[R_EAX] = (uint32_t)v;
    env->regs[R_EDX] = (uint32_t)(v >> 32);
}

void helper_wrmsr(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    uint64_t v = ((uint64_t)(uint32_t)env->regs[R_EDX] << 32) | (uint32_t)env->regs[R_EAX];
    switch ((uint32_t)env->regs[R_ECX]) {
    case MSR_IA32_TSC: env->tsc_offset = v - x86_host_ns(); break;
    case MSR_IA32_APICBASE: env->msr_apicbase = v; break;
    case MSR_IA32_SYSENTER_CS: env->sysenter_cs = v & 0xffff; break;
    case MSR_IA32_SYSENTER_ESP: env->sysenter_esp = v; break;
    case MSR_IA32_SYSENTER_EIP: env->sysenter_eip = v; break;
    case MSR_IA32_MISC_ENABLE: env->msr_misc_enable = v; break;
    case MSR_IA32_PAT: env->msr_pat = v; break;
    default:
        TRAP(env, "WRMSR 0x%x, 0x%016" PRIx64 ": no such MSR here; #GP(0)", (uint32_t)env->regs[R_ECX], v);
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    TRAP(env, "WRMSR 0x%x, 0x%016" PRIx64 ": stored", (uint32_t)env->regs[R_ECX], v);
}

/* ---- interrupt flag ---- */

static void check_iopl(CPUX86State *env, uintptr_t ra)
{
    int iopl = (int)((env->eflags & IOPL_MASK) >> 12);
    if (!(env->cr[0] & X86_CR0_PE))
        return;
    if ((env->eflags & VM_MASK) ? iopl != 3 : cpl_of(env) > iopl)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
}

void helper_cli(CPUX86State *env)
{
    check_iopl(env, GETPC());
    env->eflags &= ~(uint64_t)IF_MASK;
    TRAP(env, "CLI: interrupts masked");
}

void helper_sti(CPUX86State *env)
{
    check_iopl(env, GETPC());
    /* the instruction after STI runs before any interrupt is taken */
    if (!(env->eflags & IF_MASK))
        env->hflags |= HF_INHIBIT_IRQ_MASK;
    env->eflags |= IF_MASK;
    TRAP(env, "STI: interrupts enabled after the next instruction");
}

/* ---- segment registers and descriptor tables ---- */

void helper_load_seg(CPUX86State *env, uint32_t seg, uint32_t sel)
{
    uintptr_t ra = GETPC();
    sel &= 0xffff;
    SegmentCache *sc = &env->segs[seg];
    if (!(env->cr[0] & X86_CR0_PE) || (env->eflags & VM_MASK)) {
        sc->selector = sel;
        sc->base = (uint64_t)sel << 4;
        if (env->eflags & VM_MASK) {
            sc->limit = 0xffff;
            sc->flags = DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK | (3u << DESC_DPL_SHIFT);
        }
        x86_update_hflags(env);
        return;
    }
    int cpl = cpl_of(env);
    if ((sel & 0xfffc) == 0) {
        if (seg == R_SS)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        *sc = (SegmentCache){ sel, 0, 0, 0 };   /* a use through it faults (flags: not present) */
        x86_update_hflags(env);
        return;
    }
    uint32_t e1, e2;
    if (!x86_load_desc(env, sel, &e1, &e2, ra))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    if (!(e2 & DESC_S_MASK))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    int rpl = sel & 3, dpl = (e2 >> DESC_DPL_SHIFT) & 3;
    if (seg == R_SS) {
        if (rpl != cpl || dpl != cpl || (e2 & DESC_CS_MASK) || !(e2 & DESC_W_MASK))
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        if (!(e2 & DESC_P_MASK))
            x86_raise_exception_err_ra(env, EXCP0C_STACK, sel & 0xfffc, ra);
    } else {
        if ((e2 & (DESC_CS_MASK | DESC_R_MASK)) == DESC_CS_MASK)   /* execute-only code */
            x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        if (!(e2 & DESC_CS_MASK) || !(e2 & DESC_C_MASK)) {
            if (dpl < cpl || dpl < rpl)
                x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
        }
        if (!(e2 & DESC_P_MASK))
            x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    }
    if (!(e2 & DESC_A_MASK)) {
        e2 |= DESC_A_MASK;
        uint64_t base = (sel & 4) ? env->ldt.base : env->gdt.base;
        cpu_st_mmu(env_cpu(env), (uint32_t)(base + (sel & 0xfff8) + 4), e2, MO_32, X86_MMU_KERNEL, ra);
    }
    x86_seg_cache_set(sc, sel, e1, e2);
    x86_update_hflags(env);
}

void helper_lgdt(CPUX86State *env, uint64_t base, uint32_t limit)
{
    check_cpl0(env, GETPC());
    env->gdt.base = base;
    env->gdt.limit = limit & 0xffff;
    TRAP(env, "LGDT: GDT at 0x%08x, limit 0x%04x", (uint32_t)base, limit & 0xffff);
}

void helper_lidt(CPUX86State *env, uint64_t base, uint32_t limit)
{
    check_cpl0(env, GETPC());
    env->idt.base = base;
    env->idt.limit = limit & 0xffff;
    TRAP(env, "LIDT: IDT at 0x%08x, limit 0x%04x", (uint32_t)base, limit & 0xffff);
}

void helper_lldt(CPUX86State *env, uint32_t sel)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    sel &= 0xffff;
    if ((sel & 0xfffc) == 0) {
        env->ldt = (SegmentCache){ sel, 0, 0, 0 };
        return;
    }
    uint32_t e1, e2;
    if ((sel & 4) || !x86_load_desc(env, sel, &e1, &e2, ra))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    if ((e2 & DESC_S_MASK) || ((e2 >> DESC_TYPE_SHIFT) & 0xf) != 2)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    if (!(e2 & DESC_P_MASK))
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    x86_seg_cache_set(&env->ldt, sel, e1, e2);
    TRAP(env, "LLDT 0x%04x: LDT at 0x%08" PRIx64 ", limit 0x%x", sel, env->ldt.base, env->ldt.limit);
}

void helper_ltr(CPUX86State *env, uint32_t sel)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    sel &= 0xffff;
    uint32_t e1, e2;
    if ((sel & 0xfffc) == 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    if ((sel & 4) || !x86_load_desc(env, sel, &e1, &e2, ra))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    int type = (e2 >> DESC_TYPE_SHIFT) & 0xf;
    if ((e2 & DESC_S_MASK) || (type != 1 && type != 9))   /* available 16/32-bit TSS */
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    if (!(e2 & DESC_P_MASK))
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    e2 |= 2u << DESC_TYPE_SHIFT;   /* mark busy */
    cpu_st_mmu(env_cpu(env), (uint32_t)(env->gdt.base + (sel & 0xfff8) + 4), e2, MO_32, X86_MMU_KERNEL, ra);
    x86_seg_cache_set(&env->tr, sel, e1, e2);
    TRAP(env, "LTR 0x%04x: TSS at 0x%08" PRIx64 ", limit 0x%x, marked busy", sel, env->tr.base, env->tr.limit);
}
