/*
 * x86 system helpers called from generated code: exceptions and INT n,
 * CPUID, RDTSC/RDTSCP, HLT, port I/O (with the TSS I/O bitmap), control
 * and debug registers (with the SDM's #GP checks and EFER.LMA), MSRs,
 * CLI/STI, segment register loads, the descriptor-table registers,
 * SYSCALL/SYSRET, SYSENTER/SYSEXIT, SWAPGS, and the cache no-ops.
 * What must stay true: a helper that faults passes GETPC() so the guest
 * state is restored to the faulting instruction; a helper that changes
 * what translation depends on (CR0, CR4, EFER, segments, IOPL) recomputes
 * hflags, and the translator ends the block after calling it.
 * CPUID answers from the model set up in cpu.c ("GenuineIntel", exactly
 * the features implemented); an MSR exists only when CPUID says so.
 * -d trap: each of these helpers that emulates a privileged instruction or
 * a device access says, in one line, what the guest asked and what kasou
 * did instead (trap_log). The check comes first: off, it costs one test.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include "frontend/x86/cpu.h"
#include "frontend/x86/cpuid.h"
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

void x86_trap_log(CPUX86State *env, const char *fmt, ...)
{
    CPUState *cs = env_cpu(env);
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cpu_log(cs, "trap: %08" PRIx64 ": %s\n", env->segs[R_CS].base + env->eip, msg);
}
#define TRAP X86_TRAP

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

/* CPUID from the model set up in cpu.c: leaves 0, 1, 2-6 (zero: no cache
 * or topology description), 7.0, 0xD (XSAVE, xsave_helper.c),
 * 0x80000000-0x80000004 (brand string) and 0x80000008 (address sizes), as
 * far as the model's levels reach. */
static void cpuid_leaf(CPUX86State *env, uint32_t idx, uint32_t sub, uint32_t r[4])
{
    static const char brand[48] = "QEMU Virtual CPU version 2.5+";
    r[0] = r[1] = r[2] = r[3] = 0;
    switch (idx) {
    case 0:
    case 0x80000000u:
        r[0] = idx ? env->cpuid_xlevel : env->cpuid_level;
        r[1] = env->cpuid_vendor[0];
        r[3] = env->cpuid_vendor[1];
        r[2] = env->cpuid_vendor[2];
        break;
    case 1:
        r[0] = env->cpuid_version;
        /* EBX: CLFLUSH line size in 8-byte units, one logical CPU, APIC id 0 */
        r[1] = (env->cpuid_features & CPUID_CLFSH) ? (8u << 8) : 0;
        r[1] |= 1u << 16;
        r[2] = env->cpuid_ext_features;
        r[3] = env->cpuid_features | (env->has_apic ? CPUID_APIC : 0);
        if ((env->cpuid_ext_features & CPUID_EXT_XSAVE) && (env->cr[4] & X86_CR4_OSXSAVE))
            r[2] |= CPUID_EXT_OSXSAVE;
        break;
    case 0xd:
        if (env->cpuid_ext_features & CPUID_EXT_XSAVE)
            x86_cpuid_xsave_leaf(env, sub, r);
        break;
    case 7:
        if (sub == 0) {
            r[1] = env->cpuid_7_0_ebx;
            r[2] = env->cpuid_7_0_ecx;
            r[3] = env->cpuid_7_0_edx;
        }
        break;
    case 0x80000001u:
        r[0] = env->cpuid_version;
        r[2] = env->cpuid_ext3_features;
        r[3] = env->cpuid_ext2_features;
        break;
    case 0x80000002u: case 0x80000003u: case 0x80000004u:
        memcpy(r, brand + 16 * (idx - 0x80000002u), 16);
        break;
    case 0x80000008u:
        r[0] = env->cpuid_phys_bits | (48u << 8);
        break;
    default:
        break;
    }
}

void helper_cpuid(CPUX86State *env)
{
    uint32_t idx = (uint32_t)env->regs[R_EAX], sub = (uint32_t)env->regs[R_ECX], r[4];
    if (idx >= 0x80000000u) {
        if (idx > env->cpuid_xlevel)
            idx = env->cpuid_level;   /* out of range: the highest basic leaf, as Intel does */
    } else if (idx > env->cpuid_level) {
        idx = env->cpuid_level;
    }
    cpuid_leaf(env, idx, sub, r);
    TRAP(env, "CPUID leaf 0x%x.%x: answered eax=%08x ebx=%08x ecx=%08x edx=%08x (the -cpu model)",
         (uint32_t)env->regs[R_EAX], sub, r[0], r[1], r[2], r[3]);
    env->regs[R_EAX] = r[0];
    env->regs[R_EBX] = r[1];
    env->regs[R_ECX] = r[2];
    env->regs[R_EDX] = r[3];
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

static void io_breakpoint_check(CPUX86State *env, uint32_t port, unsigned size);

static uint32_t io_read(CPUX86State *env, uint32_t port, unsigned size)
{
    MemTxResult res;
    char dev[64] = "";
    if (cpu_log_enabled(env_cpu(env), LOG_TRAP))
        io_device(env, port, false, dev, sizeof(dev));
    uint32_t v = (uint32_t)address_space_ldn(env_cpu(env)->io_as, port & 0xffff, size, &res);
    TRAP(env, "IN%c port 0x%04x: read 0x%x from %s", io_suffix[size], port & 0xffff, v, dev);
    if (env->hflags & HF_DBGW_MASK)
        io_breakpoint_check(env, port & 0xffff, size);
    return v;
}

static void io_write(CPUX86State *env, uint32_t port, uint32_t val, unsigned size)
{
    MemTxResult res;
    char dev[64];
    TRAP(env, "OUT%c port 0x%04x, 0x%x: written to %s", io_suffix[size], port & 0xffff, val,
         io_device(env, port, true, dev, sizeof(dev)));
    address_space_stn(env_cpu(env)->io_as, port & 0xffff, val, size, &res);
    if (env->hflags & HF_DBGW_MASK)
        io_breakpoint_check(env, port & 0xffff, size);
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
    uint32_t base = (uint32_t)cpu_ld_mmu(cs, tr->base + 0x66, MO_16, X86_MMU_KERNEL, ra);
    base += (port & 0xffff) >> 3;
    if (base + 1 > tr->limit)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    uint32_t bits = (uint32_t)cpu_ld_mmu(cs, tr->base + base, MO_16, X86_MMU_KERNEL, ra);
    uint32_t mask = ((1u << size) - 1) << (port & 7);
    if (bits & mask)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
}

/* ---- control and debug registers ---- */

#define X86_CR0_NW (1u << 29)
#define X86_CR0_CD (1u << 30)
#define X86_CR4_VALID (X86_CR4_TSD | X86_CR4_DE | X86_CR4_PSE | X86_CR4_PAE | X86_CR4_PGE | \
                       X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

/* The paging mode's name, for -d trap. */
static const char *paging_mode(CPUX86State *env)
{
    if (!(env->cr[0] & X86_CR0_PG))
        return "off";
    if (env->efer & X86_EFER_LMA)
        return "4-level";
    return (env->cr[4] & X86_CR4_PAE) ? "PAE" : "2-level";
}

/* MOV to CR0/CR3/CR4 (and LMSW, CLTS): the #GP checks of SDM vol. 3 2.5 and
 * the MOV CRn page, EFER.LMA as 10.8.5 says, PDPTEs loaded when PAE paging
 * is (re)entered or CR3 changes under it; any change that alters
 * translation flushes the TLB (global pages included). */
void x86_write_cr(CPUX86State *env, int reg, uint64_t val, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);
    bool lma = (env->efer & X86_EFER_LMA) != 0;
    switch (reg) {
    case 0: {
        uint64_t old = env->cr[0];
        if (val >> 32)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        if ((val & X86_CR0_PG) && !(val & X86_CR0_PE))
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        if ((val & X86_CR0_NW) && !(val & X86_CR0_CD))
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        val |= X86_CR0_ET;
        bool pg_on = (val & X86_CR0_PG) && !(old & X86_CR0_PG);
        bool pg_off = !(val & X86_CR0_PG) && (old & X86_CR0_PG);
        uint64_t efer = env->efer;
        if (pg_on && (efer & X86_EFER_LME)) {
            /* entering long mode: PAE on and not from a 64-bit code segment */
            if (!(env->cr[4] & X86_CR4_PAE) || (env->segs[R_CS].flags & DESC_L_MASK))
                x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
            efer |= X86_EFER_LMA;
        } else if (pg_off && lma) {
            /* leaving long mode only from compatibility mode */
            if (env->hflags & HF_CS64_MASK)
                x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
            efer &= ~(uint64_t)X86_EFER_LMA;
        }
        if (pg_on && !(efer & X86_EFER_LMA) && (env->cr[4] & X86_CR4_PAE) &&
            !x86_load_pdptrs(env, env->cr[3]))
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        bool flush = (old ^ val) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE);
        if (flush)
            tlb_flush(cs);
        env->cr[0] = val;
        env->efer = efer;
        bool lma_on = (efer & X86_EFER_LMA) && !lma, lma_off = !(efer & X86_EFER_LMA) && lma;
        TRAP(env, "CR0 write 0x%08x: protected mode %s, paging %s (%s), write-protect %s%s%s",
             (uint32_t)val, val & X86_CR0_PE ? "on" : "off", val & X86_CR0_PG ? "on" : "off",
             paging_mode(env), val & X86_CR0_WP ? "on" : "off",
             lma_on ? ", long mode active" : lma_off ? ", long mode left" : "",
             flush ? ", TLB flushed" : "");
        break;
    }
    case 2:
        env->cr[2] = val;
        TRAP(env, "CR2 write 0x%" PRIx64 ": stored", val);
        break;
    case 3:
        if (lma) {
            if (val & ~(uint64_t)0x000ffffffffff000ull & ~(uint64_t)0x18 & ~((1ull << 52) - 1))
                x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
            if (val & ((1ull << 52) - 1) & ~((1ull << env->cpuid_phys_bits) - 1))
                x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        } else {
            val = (uint32_t)val;
            if ((env->cr[0] & X86_CR0_PG) && (env->cr[4] & X86_CR4_PAE) &&
                !x86_load_pdptrs(env, val))
                x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        }
        env->cr[3] = val;
        tlb_flush(cs);   /* global pages are flushed too: allowed, if slower */
        TRAP(env, "CR3 write 0x%" PRIx64 ": page tables at 0x%" PRIx64 " (%s), TLB flushed", val,
             val & ~(uint64_t)0xfff, paging_mode(env));
        break;
    case 4: {
        /* CR4.OSXSAVE exists when CPUID.1:ECX.XSAVE says so, VME/PVI with
         * CPUID.1:EDX.VME */
        uint64_t valid = X86_CR4_VALID |
                         ((env->cpuid_ext_features & CPUID_EXT_XSAVE) ? X86_CR4_OSXSAVE : 0) |
                         ((env->cpuid_features & CPUID_VME) ? X86_CR4_VME | X86_CR4_PVI : 0);
        if (val & ~valid)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        if (lma && !(val & X86_CR4_PAE))
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        if ((env->cr[0] & X86_CR0_PG) && !lma && (val & X86_CR4_PAE) &&
            ((val ^ env->cr[4]) & (X86_CR4_PAE | X86_CR4_PSE | X86_CR4_PGE)) &&
            !x86_load_pdptrs(env, env->cr[3]))
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        bool flush = (env->cr[4] ^ val) & (X86_CR4_PSE | X86_CR4_PGE | X86_CR4_PAE);
        if (flush)
            tlb_flush(cs);
        env->cr[4] = val;
        TRAP(env, "CR4 write 0x%08x: PAE %s, 4 MiB pages %s, global pages %s%s", (uint32_t)val,
             val & X86_CR4_PAE ? "on" : "off", val & X86_CR4_PSE ? "on" : "off",
             val & X86_CR4_PGE ? "on" : "off", flush ? ", TLB flushed" : "");
        break;
    }
    case 8:
        if (val & ~0xfull)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        if (env->apic_set_tpr)
            env->apic_set_tpr(env->apic_opaque, (uint8_t)val);
        else
            env->local_tpr = (uint8_t)val;
        TRAP(env, "CR8 write 0x%x: task priority %s", (unsigned)val,
             env->apic_set_tpr ? "set in the local APIC" : "kept in the CPU (no APIC)");
        break;
    default:
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    }
    x86_update_hflags(env);
}

uint64_t x86_read_cr(CPUX86State *env, int reg, uintptr_t ra)
{
    uint64_t v;
    switch (reg) {
    case 0: case 2: case 3: case 4:
        v = env->cr[reg];
        break;
    case 8:
        v = env->apic_get_tpr ? env->apic_get_tpr(env->apic_opaque) : env->local_tpr;
        break;
    default:
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    }
    TRAP(env, "CR%d read: 0x%" PRIx64, reg, v);
    return v;
}

static void write_cr(CPUX86State *env, int reg, uint64_t val, uintptr_t ra)
{
    x86_write_cr(env, reg, val, ra);
}

void helper_write_crN(CPUX86State *env, uint32_t reg, uint64_t val)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    write_cr(env, (int)reg, val, ra);
}

uint64_t helper_read_crN(CPUX86State *env, uint32_t reg)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    return x86_read_cr(env, (int)reg, ra);
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

#define X86_DR6_FIXED 0xffff0ff0u   /* bits that read as 1 */
#define X86_DR6_BD (1u << 13)
#define X86_DR7_FIXED 0x400u
#define X86_DR7_GD (1u << 13)

/* DR7.GD: any MOV to or from a DR raises #DB first (DR6.BD set, GD
 * cleared so the handler may touch them). */
static void check_dr_gd(CPUX86State *env, uintptr_t ra)
{
    if (env->dr[7] & X86_DR7_GD) {
        cpu_restore_state(env_cpu(env), ra);
        env->dr[6] |= X86_DR6_BD;
        env->dr[7] &= ~(uint64_t)X86_DR7_GD;
        TRAP(env, "MOV DRn with DR7.GD set: #DB");
        x86_raise_exception_err_ra(env, EXCP01_DB, 0, 0);
    }
}

/* DR7 fields of breakpoint i: the L/G enable pair, R/W (00 execute, 01
 * write, 10 I/O, 11 read/write) and LEN (00 1, 01 2, 10 8, 11 4 bytes). */
static bool dr7_enabled(uint64_t dr7, int i) { return ((dr7 >> (2 * i)) & 3) != 0; }
static unsigned dr7_rw(uint64_t dr7, int i) { return (unsigned)(dr7 >> (16 + 4 * i)) & 3; }
static unsigned dr7_len(uint64_t dr7, int i)
{
    static const unsigned len[4] = { 1, 2, 8, 4 };
    return len[(dr7 >> (18 + 4 * i)) & 3];
}

/* The hflags DR7 selects: blocks check execute breakpoints at each
 * instruction only while one is enabled, and run one instruction per block
 * while a data breakpoint is (so its #DB comes right after the access). */
uint32_t x86_dr7_hflags(uint64_t dr7)
{
    uint32_t hf = 0;
    for (int i = 0; i < 4; i++) {
        if (!dr7_enabled(dr7, i))
            continue;
        unsigned rw = dr7_rw(dr7, i);
        if (rw == 0)
            hf |= HF_DBGX_MASK;
        else
            hf |= HF_DBGW_MASK;   /* data, or I/O (R/W 10, with CR4.DE) */
    }
    return hf;
}

/* The soft TLB sends data accesses to the pages of enabled data
 * breakpoints to x86_watch_hit (a breakpoint is LEN-aligned: one page). */
static void dr_update_watch(CPUX86State *env)
{
    CPUState *cs = env_cpu(env);
    uint64_t pages[4];
    int n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned rw = dr7_rw(env->dr[7], i);
        if (dr7_enabled(env->dr[7], i) && (rw == 1 || rw == 3))
            pages[n++] = (env->dr[i] & ~(uint64_t)(dr7_len(env->dr[7], i) - 1)) & TARGET_PAGE_MASK;
    }
    tlb_set_watch_pages(cs, pages, n);   /* flushes the TLB only on a change */
}

static const char *const dr_rw_names[4] = { "execute", "write", "I/O", "read/write" };

/* A data access in a watched page, before it is made: every enabled data
 * breakpoint it overlaps is noted; the #DB (a trap) is taken after the
 * instruction, from x86_exec_interrupt or with a single-step trap. */
void x86_watch_hit(CPUState *cs, uint64_t vaddr, unsigned size, int access_type)
{
    CPUX86State *env = x86_env(cs);
    uint32_t hits = 0;
    for (int i = 0; i < 4; i++) {
        unsigned rw = dr7_rw(env->dr[7], i), len = dr7_len(env->dr[7], i);
        if (!dr7_enabled(env->dr[7], i) || !(rw == 3 || (rw == 1 && access_type == MMU_DATA_STORE)))
            continue;
        uint64_t a = env->dr[i] & ~(uint64_t)(len - 1);
        if (vaddr < a + len && a < vaddr + size) {
            hits |= 1u << i;
            TRAP(env, "DR%d %s breakpoint 0x%" PRIx64 " len %u: %u-byte %s at 0x%" PRIx64
                 " \u2192 #DB after the instruction", i, dr_rw_names[rw], env->dr[i], len, size,
                 access_type == MMU_DATA_STORE ? "write" : "read", vaddr);
        }
    }
    if (hits) {
        env->db_pending |= hits;
        cpu_interrupt(cs, CPU_INTERRUPT_DEBUG);
    }
}

/* IN/OUT (and INS/OUTS) of ports overlapping an enabled I/O breakpoint
 * (R/W 10, meaningful only with CR4.DE): a trap after the insn, as data. */
static void io_breakpoint_check(CPUX86State *env, uint32_t port, unsigned size)
{
    if (!(env->cr[4] & X86_CR4_DE))
        return;
    uint32_t hits = 0;
    for (int i = 0; i < 4; i++) {
        unsigned len = dr7_len(env->dr[7], i);
        uint64_t a = env->dr[i] & 0xffff & ~(uint64_t)(len - 1);
        if (dr7_enabled(env->dr[7], i) && dr7_rw(env->dr[7], i) == 2 && port < a + len && a < port + size) {
            hits |= 1u << i;
            TRAP(env, "DR%d I/O breakpoint port 0x%04" PRIx64 " len %u: %u-byte access to port 0x%04x"
                 " \u2192 #DB after the instruction", i, a, len, size, port);
        }
    }
    if (hits) {
        env->db_pending |= hits;
        cpu_interrupt(env_cpu(env), CPU_INTERRUPT_DEBUG);
    }
}

/* At the start of each instruction while an execute breakpoint is enabled
 * (eip stored): a fault, unless EFLAGS.RF is set, which suppresses it for
 * this one instruction and is cleared as the instruction starts. */
void helper_bp_check(CPUX86State *env, uint64_t pc)
{
    if (env->eflags & RF_MASK) {
        env->eflags &= ~(uint64_t)RF_MASK;
        return;
    }
    if (!(env->hflags & HF_LMA_MASK))
        pc = (uint32_t)pc;
    uint32_t hits = 0;
    for (int i = 0; i < 4; i++) {
        if (dr7_enabled(env->dr[7], i) && dr7_rw(env->dr[7], i) == 0 && env->dr[i] == pc) {
            hits |= 1u << i;
            TRAP(env, "DR%d execute breakpoint at 0x%" PRIx64 " \u2192 #DB (fault, before the instruction)",
                 i, pc);
        }
    }
    if (hits) {
        /* B0-B3 report this exception's breakpoints (the SDM lets the
         * CPU clear the others; QEMU does too) */
        env->dr[6] = (env->dr[6] & ~(uint64_t)0xf) | hits;
        x86_raise_exception(env, EXCP01_DB);
    }
}

/* DR0-3 hold linear addresses, DR7 enables them (see x86_dr7_hflags). */
void helper_set_dr(CPUX86State *env, uint32_t reg, uint64_t val)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    int n = dr_index(env, reg, ra);
    check_dr_gd(env, ra);
    if (n >= 6 && (val >> 32))   /* DR6/DR7 bits 63:32 are reserved */
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    if (n == 6)
        val = (val & ~(uint64_t)X86_DR6_FIXED & ~(uint64_t)0x1000) | X86_DR6_FIXED;
    else if (n == 7)
        val = (val & ~(uint64_t)0xd800) | X86_DR7_FIXED;   /* bits 11, 12, 14, 15 read 0 */
    else if (!(env->hflags & HF_LMA_MASK))
        val = (uint32_t)val;
    env->dr[n] = val;
    if (n != 6) {
        x86_update_hflags(env);   /* the block ends here: the next uses them */
        dr_update_watch(env);
    }
    TRAP(env, "MOV DR%u, 0x%" PRIx64 "%s", reg, val,
         n == 6 ? "" : (env->hflags & (HF_DBGX_MASK | HF_DBGW_MASK)) ? ": breakpoints armed"
                                                                 : ": no breakpoint enabled");
}

uint64_t helper_get_dr(CPUX86State *env, uint32_t reg)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    int n = dr_index(env, reg, ra);
    check_dr_gd(env, ra);
    return env->dr[n];
}

void helper_invlpg(CPUX86State *env, uint64_t addr)
{
    check_cpl0(env, GETPC());
    tlb_flush_page(env_cpu(env), addr);
    TRAP(env, "INVLPG 0x%" PRIx64 ": that page's TLB entries dropped", addr);
}

/* ---- MSRs ---- */

enum {
    MSR_IA32_TSC = 0x10, MSR_IA32_APICBASE = 0x1b, MSR_IA32_BIOS_SIGN_ID = 0x8b,
    MSR_MTRRcap = 0xfe, MSR_IA32_SYSENTER_CS = 0x174, MSR_IA32_SYSENTER_ESP = 0x175,
    MSR_IA32_SYSENTER_EIP = 0x176, MSR_IA32_MISC_ENABLE = 0x1a0,
    MSR_MTRRphysBase0 = 0x200, MSR_MTRRphysMask7 = 0x20f, MSR_MTRRfix64K_00000 = 0x250,
    MSR_MTRRfix16K_80000 = 0x258, MSR_MTRRfix16K_A0000 = 0x259, MSR_MTRRfix4K_C0000 = 0x268,
    MSR_MTRRfix4K_F8000 = 0x26f, MSR_IA32_PAT = 0x277, MSR_MTRRdefType = 0x2ff,
    MSR_EFER = 0xc0000080, MSR_STAR = 0xc0000081, MSR_LSTAR = 0xc0000082,
    MSR_CSTAR = 0xc0000083, MSR_FMASK = 0xc0000084, MSR_FS_BASE = 0xc0000100,
    MSR_GS_BASE = 0xc0000101, MSR_KERNEL_GS_BASE = 0xc0000102, MSR_TSC_AUX = 0xc0000103,
};

/* MTRRcap: 8 variable ranges, fixed ranges, write-combining */
#define X86_MTRRCAP_VALUE (8u | (1u << 8) | (1u << 10))

const char *x86_msr_name(uint32_t idx, char *buf, size_t n)
{
    static const struct { uint32_t idx; const char *name; } names[] = {
        { MSR_IA32_TSC, "TSC" }, { MSR_IA32_APICBASE, "APIC_BASE" },
        { MSR_IA32_BIOS_SIGN_ID, "BIOS_SIGN_ID" }, { MSR_MTRRcap, "MTRRcap" },
        { MSR_IA32_SYSENTER_CS, "SYSENTER_CS" }, { MSR_IA32_SYSENTER_ESP, "SYSENTER_ESP" },
        { MSR_IA32_SYSENTER_EIP, "SYSENTER_EIP" }, { MSR_IA32_MISC_ENABLE, "MISC_ENABLE" },
        { MSR_IA32_PAT, "PAT" }, { MSR_MTRRdefType, "MTRRdefType" }, { MSR_EFER, "EFER" },
        { MSR_STAR, "STAR" }, { MSR_LSTAR, "LSTAR" }, { MSR_CSTAR, "CSTAR" },
        { MSR_FMASK, "FMASK" }, { MSR_FS_BASE, "FS_BASE" }, { MSR_GS_BASE, "GS_BASE" },
        { MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE" }, { MSR_TSC_AUX, "TSC_AUX" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].idx == idx)
            return names[i].name;
    if (idx >= MSR_MTRRphysBase0 && idx <= MSR_MTRRphysMask7)
        snprintf(buf, n, "MTRRphys%s%u", (idx & 1) ? "Mask" : "Base", (idx - MSR_MTRRphysBase0) / 2);
    else if (idx == MSR_MTRRfix64K_00000 || idx == MSR_MTRRfix16K_80000 ||
             idx == MSR_MTRRfix16K_A0000 || (idx >= MSR_MTRRfix4K_C0000 && idx <= MSR_MTRRfix4K_F8000))
        snprintf(buf, n, "MTRRfix[0x%x]", idx);
    else
        snprintf(buf, n, "0x%x", idx);
    return buf;
}

/* Index into mtrr_fixed[] (11 registers), or -1. */
static int mtrr_fixed_index(uint32_t idx)
{
    if (idx == MSR_MTRRfix64K_00000)
        return 0;
    if (idx == MSR_MTRRfix16K_80000 || idx == MSR_MTRRfix16K_A0000)
        return 1 + (int)(idx - MSR_MTRRfix16K_80000);
    if (idx >= MSR_MTRRfix4K_C0000 && idx <= MSR_MTRRfix4K_F8000)
        return 3 + (int)(idx - MSR_MTRRfix4K_C0000);
    return -1;
}

/* Memory types valid in MTRRs (0 UC, 1 WC, 4 WT, 5 WP, 6 WB) and the PAT (7 UC-). */
static bool mem_type_ok(uint64_t t, bool pat)
{
    return t == 0 || t == 1 || (t >= 4 && t <= 6) || (pat && t == 7);
}

static bool all_bytes_type_ok(uint64_t v, bool pat)
{
    for (int i = 0; i < 8; i++)
        if (!mem_type_ok((v >> (8 * i)) & 0xff, pat))
            return false;
    return true;
}

static bool has_feature(const CPUX86State *env, uint32_t edx1, uint32_t ext2)
{
    return (env->cpuid_features & edx1) || (env->cpuid_ext2_features & ext2);
}

/* The MSR's value; false when the MSR does not exist on this model. */
bool x86_msr_read(CPUX86State *env, uint32_t idx, uint64_t *v)
{
    bool lm = has_feature(env, 0, CPUID_EXT2_LM);
    int fix = mtrr_fixed_index(idx);
    if (fix >= 0 || (idx >= MSR_MTRRphysBase0 && idx <= MSR_MTRRphysMask7) ||
        idx == MSR_MTRRcap || idx == MSR_MTRRdefType) {
        if (!has_feature(env, CPUID_MTRR, 0))
            return false;
        if (fix >= 0)
            *v = env->mtrr_fixed[fix];
        else if (idx == MSR_MTRRcap)
            *v = X86_MTRRCAP_VALUE;
        else if (idx == MSR_MTRRdefType)
            *v = env->mtrr_deftype;
        else if (idx & 1)
            *v = env->mtrr_var_mask[(idx - MSR_MTRRphysBase0) / 2];
        else
            *v = env->mtrr_var_base[(idx - MSR_MTRRphysBase0) / 2];
        return true;
    }
    switch (idx) {
    case MSR_IA32_TSC: *v = x86_tsc(env); return true;
    case MSR_IA32_APICBASE: *v = env->msr_apicbase; return true;
    case MSR_IA32_BIOS_SIGN_ID: *v = 0; return true;   /* no microcode loaded */
    case MSR_IA32_MISC_ENABLE: *v = env->msr_misc_enable; return true;
    case MSR_EFER: *v = env->efer; return true;
    case MSR_IA32_SYSENTER_CS: *v = env->sysenter_cs; return has_feature(env, CPUID_SEP, 0);
    case MSR_IA32_SYSENTER_ESP: *v = env->sysenter_esp; return has_feature(env, CPUID_SEP, 0);
    case MSR_IA32_SYSENTER_EIP: *v = env->sysenter_eip; return has_feature(env, CPUID_SEP, 0);
    case MSR_IA32_PAT: *v = env->msr_pat; return has_feature(env, CPUID_PAT, 0);
    case MSR_STAR: *v = env->star; return has_feature(env, 0, CPUID_EXT2_SYSCALL);
    case MSR_LSTAR: *v = env->lstar; return lm;
    case MSR_CSTAR: *v = env->cstar; return lm;
    case MSR_FMASK: *v = env->fmask; return lm;
    case MSR_FS_BASE: *v = env->segs[R_FS].base; return lm;
    case MSR_GS_BASE: *v = env->segs[R_GS].base; return lm;
    case MSR_KERNEL_GS_BASE: *v = env->kernelgsbase; return lm;
    case MSR_TSC_AUX: *v = env->tsc_aux; return has_feature(env, 0, CPUID_EXT2_RDTSCP);
    default: return false;
    }
}

/* The EFER bits this model has. */
static uint64_t efer_valid(const CPUX86State *env)
{
    uint64_t m = 0;
    if (has_feature(env, 0, CPUID_EXT2_SYSCALL)) m |= X86_EFER_SCE;
    if (has_feature(env, 0, CPUID_EXT2_LM)) m |= X86_EFER_LME | X86_EFER_LMA;
    if (has_feature(env, 0, CPUID_EXT2_NX)) m |= X86_EFER_NXE;
    return m;
}

/* Store an MSR; false: #GP (no such MSR, a reserved bit, a bad value). */
static bool msr_write(CPUX86State *env, uint32_t idx, uint64_t v, char *note, size_t n)
{
    bool lm = has_feature(env, 0, CPUID_EXT2_LM);
    uint64_t phys_rsvd = ~((1ull << env->cpuid_phys_bits) - 1);
    uint64_t old;
    if (!x86_msr_read(env, idx, &old) || idx == MSR_MTRRcap)
        return false;
    int fix = mtrr_fixed_index(idx);
    if (fix >= 0) {
        if (!all_bytes_type_ok(v, false))
            return false;
        env->mtrr_fixed[fix] = v;
        return true;
    }
    if (idx >= MSR_MTRRphysBase0 && idx <= MSR_MTRRphysMask7) {
        int i = (int)(idx - MSR_MTRRphysBase0) / 2;
        if (idx & 1) {
            if (v & (phys_rsvd | 0x7ffull))
                return false;
            env->mtrr_var_mask[i] = v;
        } else {
            if ((v & (phys_rsvd | 0xf00ull)) || !mem_type_ok(v & 0xff, false))
                return false;
            env->mtrr_var_base[i] = v;
        }
        return true;
    }
    switch (idx) {
    case MSR_IA32_TSC:
        env->tsc_offset = v - x86_host_ns();
        return true;
    case MSR_IA32_APICBASE:
        /* BSP (8), global enable (11), base above 4 KiB; x2APIC is not offered */
        if (v & (phys_rsvd | 0x6ffull))
            return false;
        env->msr_apicbase = v;
        if (env->apic_set_base) {
            env->apic_set_base(env->apic_opaque, v);
            snprintf(note, n, "the local APIC moved/enabled accordingly");
        } else {
            snprintf(note, n, "stored (no local APIC on this board)");
        }
        return true;
    case MSR_IA32_BIOS_SIGN_ID:
        return true;   /* writing it asks for a microcode update: none */
    case MSR_IA32_MISC_ENABLE:
        env->msr_misc_enable = v;
        return true;
    case MSR_IA32_PAT:
        if (!all_bytes_type_ok(v, true))
            return false;
        env->msr_pat = v;
        return true;
    case MSR_MTRRdefType:
        if ((v & ~0xcffull) || !mem_type_ok(v & 0xff, false))
            return false;
        env->mtrr_deftype = v;
        return true;
    case MSR_EFER: {
        if (v & ~efer_valid(env))
            return false;
        /* LMA is the CPU's to set; LME cannot change while paging is on */
        v = (v & ~(uint64_t)X86_EFER_LMA) | (env->efer & X86_EFER_LMA);
        if (((v ^ env->efer) & X86_EFER_LME) && (env->cr[0] & X86_CR0_PG))
            return false;
        if ((v ^ env->efer) & X86_EFER_NXE) {
            tlb_flush(env_cpu(env));
            snprintf(note, n, "NX %s, TLB flushed", (v & X86_EFER_NXE) ? "on" : "off");
        }
        env->efer = v;
        x86_update_hflags(env);
        return true;
    }
    case MSR_IA32_SYSENTER_CS: env->sysenter_cs = v & 0xffff; return true;
    case MSR_IA32_SYSENTER_ESP:
    case MSR_IA32_SYSENTER_EIP:
    case MSR_LSTAR: case MSR_CSTAR: case MSR_FS_BASE: case MSR_GS_BASE: case MSR_KERNEL_GS_BASE:
        if (lm && !x86_canonical(v))
            return false;
        switch (idx) {
        case MSR_IA32_SYSENTER_ESP: env->sysenter_esp = v; break;
        case MSR_IA32_SYSENTER_EIP: env->sysenter_eip = v; break;
        case MSR_LSTAR: env->lstar = v; break;
        case MSR_CSTAR: env->cstar = v; break;
        case MSR_FS_BASE: env->segs[R_FS].base = v; break;
        case MSR_GS_BASE: env->segs[R_GS].base = v; break;
        default: env->kernelgsbase = v; break;
        }
        return true;
    case MSR_STAR: env->star = v; return true;
    case MSR_FMASK: env->fmask = (uint32_t)v; return true;
    case MSR_TSC_AUX: env->tsc_aux = (uint32_t)v; return true;
    default:
        return false;
    }
}

void helper_rdmsr(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    uint32_t idx = (uint32_t)env->regs[R_ECX];
    char buf[32];
    uint64_t v;
    if (!x86_msr_read(env, idx, &v)) {
        TRAP(env, "RDMSR %s: no such MSR on this CPU, #GP(0)", x86_msr_name(idx, buf, sizeof(buf)));
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    TRAP(env, "RDMSR %s = %016" PRIx64, x86_msr_name(idx, buf, sizeof(buf)), v);
    env->regs[R_EAX] = (uint32_t)v;
    env->regs[R_EDX] = (uint32_t)(v >> 32);
}

void helper_wrmsr(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    uint32_t idx = (uint32_t)env->regs[R_ECX];
    uint64_t v = ((uint64_t)(uint32_t)env->regs[R_EDX] << 32) | (uint32_t)env->regs[R_EAX];
    char buf[32], note[80] = "";
    if (!msr_write(env, idx, v, note, sizeof(note))) {
        TRAP(env, "WRMSR %s = %016" PRIx64 ": no such MSR or a reserved bit, #GP(0)",
             x86_msr_name(idx, buf, sizeof(buf)), v);
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    }
    TRAP(env, "WRMSR %s = %016" PRIx64 "%s%s", x86_msr_name(idx, buf, sizeof(buf)), v,
         note[0] ? ": " : "", note);
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
    if (x86_vif_mode(env)) {
        env->eflags &= ~(uint64_t)VIF_MASK;
        TRAP(env, "CLI below IOPL with CR4.%s: virtual interrupts masked (VIF = 0)",
             (env->eflags & VM_MASK) ? "VME" : "PVI");
        return;
    }
    check_iopl(env, GETPC());
    env->eflags &= ~(uint64_t)IF_MASK;
    TRAP(env, "CLI: interrupts masked");
}

void helper_sti(CPUX86State *env)
{
    if (x86_vif_mode(env)) {
        /* a virtual interrupt is pending: the monitor must deliver it */
        if (env->eflags & VIP_MASK)
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, GETPC());
        env->eflags |= VIF_MASK;
        TRAP(env, "STI below IOPL with CR4.%s: virtual interrupts enabled (VIF = 1)",
             (env->eflags & VM_MASK) ? "VME" : "PVI");
        return;
    }
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
        /* a null SS only in 64-bit mode below ring 3, with RPL = CPL */
        if (seg == R_SS && (!(env->hflags & HF_CS64_MASK) || cpl == 3 || (int)(sel & 3) != cpl))
            x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
        *sc = (SegmentCache){ sel, 0, 0, 0 };   /* a use through it faults (flags: not present) */
        if (seg == R_SS)   /* keeps the CPL (hflags take it from SS.DPL) */
            sc->flags = (uint32_t)cpl << DESC_DPL_SHIFT | DESC_B_MASK;
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
        cpu_st_mmu(env_cpu(env), base + (sel & 0xfff8) + 4, e2, MO_32, X86_MMU_KERNEL, ra);
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

/* The upper 8 bytes of a 16-byte system descriptor: false if beyond the
 * limit or its type field is not 0 (both #GP for LLDT/LTR). */
static bool load_desc_upper(CPUX86State *env, uint32_t sel, uint32_t *e3, uint32_t *e4, uintptr_t ra)
{
    uint32_t index = (sel & 0xfff8) + 8;
    if (index + 7 > env->gdt.limit)
        return false;
    CPUState *cs = env_cpu(env);
    *e3 = (uint32_t)cpu_ld_mmu(cs, env->gdt.base + index, MO_32, X86_MMU_KERNEL, ra);
    *e4 = (uint32_t)cpu_ld_mmu(cs, env->gdt.base + index + 4, MO_32, X86_MMU_KERNEL, ra);
    return ((*e4 >> DESC_TYPE_SHIFT) & 0x1f) == 0;
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
    uint32_t e1, e2, e3 = 0, e4 = 0;
    if ((sel & 4) || !x86_load_desc(env, sel, &e1, &e2, ra))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    if ((e2 & DESC_S_MASK) || ((e2 >> DESC_TYPE_SHIFT) & 0xf) != 2)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    if (!(e2 & DESC_P_MASK))
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    /* long mode: a 16-byte descriptor, base bits 63:32 in the upper half */
    if ((env->hflags & HF_LMA_MASK) && !load_desc_upper(env, sel, &e3, &e4, ra))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    x86_seg_cache_set(&env->ldt, sel, e1, e2);
    env->ldt.base |= (uint64_t)e3 << 32;
    TRAP(env, "LLDT 0x%04x: LDT at 0x%08" PRIx64 ", limit 0x%x", sel, env->ldt.base, env->ldt.limit);
}

void helper_ltr(CPUX86State *env, uint32_t sel)
{
    uintptr_t ra = GETPC();
    check_cpl0(env, ra);
    sel &= 0xffff;
    uint32_t e1, e2, e3 = 0, e4 = 0;
    bool lma = (env->hflags & HF_LMA_MASK) != 0;
    if ((sel & 0xfffc) == 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    if ((sel & 4) || !x86_load_desc(env, sel, &e1, &e2, ra))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    int type = (e2 >> DESC_TYPE_SHIFT) & 0xf;
    /* an available TSS: 16/32-bit, or only the 64-bit one (type 9) in long mode */
    if ((e2 & DESC_S_MASK) || (type != 9 && (lma || type != 1)))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    if (!(e2 & DESC_P_MASK))
        x86_raise_exception_err_ra(env, EXCP0B_NOSEG, sel & 0xfffc, ra);
    if (lma && !load_desc_upper(env, sel, &e3, &e4, ra))
        x86_raise_exception_err_ra(env, EXCP0D_GPF, sel & 0xfffc, ra);
    e2 |= 2u << DESC_TYPE_SHIFT;   /* mark busy */
    cpu_st_mmu(env_cpu(env), env->gdt.base + (sel & 0xfff8) + 4, e2, MO_32, X86_MMU_KERNEL, ra);
    x86_seg_cache_set(&env->tr, sel, e1, e2);
    env->tr.base |= (uint64_t)e3 << 32;
    TRAP(env, "LTR 0x%04x: TSS at 0x%08" PRIx64 ", limit 0x%x, marked busy", sel, env->tr.base, env->tr.limit);
}

/* ---- fast system calls: SYSCALL/SYSRET, SYSENTER/SYSEXIT, SWAPGS, RDTSCP ---- */

#define FLAT_CODE (DESC_G_MASK | DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | DESC_R_MASK | DESC_A_MASK)
#define FLAT_DATA (DESC_G_MASK | DESC_B_MASK | DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK)

/* The fixed flat segments these instructions load (no descriptor is read). */
static void load_flat(CPUX86State *env, int seg, uint32_t sel, uint32_t flags, int dpl)
{
    env->segs[seg] = (SegmentCache){ sel, 0, 0xffffffffu, flags | ((uint32_t)dpl << DESC_DPL_SHIFT) };
}

void helper_syscall(CPUX86State *env, uint32_t insn_len)
{
    uintptr_t ra = GETPC();
    if (!(env->efer & X86_EFER_SCE))
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    cpu_restore_state(env_cpu(env), ra);
    uint32_t sel = (uint32_t)(env->star >> 32) & 0xffff;
    uint64_t next = env->eip + insn_len;
    TRAP(env, "SYSCALL: to ring 0 at %04x:%016" PRIx64, sel & 0xfffc,
         !(env->hflags & HF_LMA_MASK) ? (uint32_t)env->star
         : (env->hflags & HF_CS64_MASK) ? env->lstar : env->cstar);
    if (env->hflags & HF_LMA_MASK) {
        bool from64 = (env->hflags & HF_CS64_MASK) != 0;
        env->regs[R_ECX] = from64 ? next : (uint32_t)next;
        env->regs[11] = x86_compute_eflags(env) & ~(uint64_t)RF_MASK;
        load_flat(env, R_CS, sel & 0xfffc, FLAT_CODE | DESC_L_MASK, 0);
        load_flat(env, R_SS, (sel + 8) & 0xfffc, FLAT_DATA, 0);
        uint32_t fl = x86_compute_eflags(env) & ~(uint32_t)env->fmask & ~(uint32_t)RF_MASK;
        x86_load_eflags(env, fl, 0xffffffffu & ~(uint32_t)0x2);
        env->eip = from64 ? env->lstar : env->cstar;
    } else {
        env->regs[R_ECX] = (uint32_t)next;
        load_flat(env, R_CS, sel & 0xfffc, FLAT_CODE | DESC_B_MASK, 0);
        load_flat(env, R_SS, (sel + 8) & 0xfffc, FLAT_DATA, 0);
        env->eflags &= ~(uint64_t)(IF_MASK | RF_MASK | VM_MASK);
        env->eip = (uint32_t)env->star;
    }
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    x86_update_hflags(env);
}

void helper_sysret(CPUX86State *env, uint32_t shift)
{
    uintptr_t ra = GETPC();
    if (!(env->efer & X86_EFER_SCE))
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    if (!(env->cr[0] & X86_CR0_PE) || cpl_of(env) != 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    uint32_t sel = (uint32_t)(env->star >> 48) & 0xffff;
    TRAP(env, "SYSRET: to ring 3 at %04x:%016" PRIx64,
         ((env->hflags & HF_LMA_MASK) && shift == 2 ? sel + 16 : sel) | 3,
         shift == 2 ? env->regs[R_ECX] : (uint32_t)env->regs[R_ECX]);
    if (env->hflags & HF_LMA_MASK) {
        if (shift == 2) {
            if (!x86_canonical(env->regs[R_ECX]))   /* Intel: #GP in ring 0 */
                x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
            load_flat(env, R_CS, (sel + 16) | 3, FLAT_CODE | DESC_L_MASK, 3);
            env->eip = env->regs[R_ECX];
        } else {
            load_flat(env, R_CS, sel | 3, FLAT_CODE | DESC_B_MASK, 3);
            env->eip = (uint32_t)env->regs[R_ECX];
        }
        load_flat(env, R_SS, (sel + 8) | 3, FLAT_DATA, 3);
        x86_load_eflags(env, (uint32_t)env->regs[11], TF_MASK | AC_MASK | ID_MASK | IF_MASK |
                        IOPL_MASK | VIF_MASK | VIP_MASK | NT_MASK | RF_MASK | CC_ALL | DF_MASK);
    } else {
        load_flat(env, R_CS, sel | 3, FLAT_CODE | DESC_B_MASK, 3);
        load_flat(env, R_SS, (sel + 8) | 3, FLAT_DATA, 3);
        env->eip = (uint32_t)env->regs[R_ECX];
        env->eflags |= IF_MASK;
    }
    x86_update_hflags(env);
}

void helper_sysenter(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    uint32_t sel = (uint32_t)env->sysenter_cs & 0xfffc;
    if (!(env->cr[0] & X86_CR0_PE) || sel == 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    cpu_restore_state(env_cpu(env), ra);
    TRAP(env, "SYSENTER: to ring 0 at %04x:%016" PRIx64, sel,
         (env->hflags & HF_LMA_MASK) ? env->sysenter_eip : (uint32_t)env->sysenter_eip);
    env->eflags &= ~(uint64_t)(VM_MASK | IF_MASK | RF_MASK);
    if (env->hflags & HF_LMA_MASK) {
        load_flat(env, R_CS, sel, FLAT_CODE | DESC_L_MASK, 0);
        env->regs[R_ESP] = env->sysenter_esp;
        env->eip = env->sysenter_eip;
    } else {
        load_flat(env, R_CS, sel, FLAT_CODE | DESC_B_MASK, 0);
        env->regs[R_ESP] = (uint32_t)env->sysenter_esp;
        env->eip = (uint32_t)env->sysenter_eip;
    }
    load_flat(env, R_SS, sel + 8, FLAT_DATA, 0);
    env->hflags &= ~HF_INHIBIT_IRQ_MASK;
    x86_update_hflags(env);
}

void helper_sysexit(CPUX86State *env, uint32_t shift)
{
    uintptr_t ra = GETPC();
    uint32_t sel = (uint32_t)env->sysenter_cs & 0xfffc;
    if (!(env->cr[0] & X86_CR0_PE) || sel == 0 || cpl_of(env) != 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    TRAP(env, "SYSEXIT: to ring 3 at %04x:%016" PRIx64, (sel + (shift == 2 ? 32 : 16)) | 3,
         shift == 2 ? env->regs[R_EDX] : (uint32_t)env->regs[R_EDX]);
    if (shift == 2) {
        load_flat(env, R_CS, (sel + 32) | 3, FLAT_CODE | DESC_L_MASK, 3);
        load_flat(env, R_SS, (sel + 40) | 3, FLAT_DATA, 3);
        env->regs[R_ESP] = env->regs[R_ECX];
        env->eip = env->regs[R_EDX];
    } else {
        load_flat(env, R_CS, (sel + 16) | 3, FLAT_CODE | DESC_B_MASK, 3);
        load_flat(env, R_SS, (sel + 24) | 3, FLAT_DATA, 3);
        env->regs[R_ESP] = (uint32_t)env->regs[R_ECX];
        env->eip = (uint32_t)env->regs[R_EDX];
    }
    x86_update_hflags(env);
}

void helper_swapgs(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    if (cpl_of(env) != 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    uint64_t t = env->segs[R_GS].base;
    env->segs[R_GS].base = env->kernelgsbase;
    env->kernelgsbase = t;
    TRAP(env, "SWAPGS: GS base 0x%" PRIx64 " (KERNEL_GS_BASE now 0x%" PRIx64 ")",
         env->segs[R_GS].base, env->kernelgsbase);
}

void helper_rdtscp(CPUX86State *env)
{
    uintptr_t ra = GETPC();
    if (!(env->cpuid_ext2_features & CPUID_EXT2_RDTSCP))
        x86_raise_exception_ra(env, EXCP06_ILLOP, ra);
    if ((env->cr[4] & X86_CR4_TSD) && cpl_of(env) != 0)
        x86_raise_exception_err_ra(env, EXCP0D_GPF, 0, ra);
    uint64_t t = x86_tsc(env);
    env->regs[R_EAX] = (uint32_t)t;
    env->regs[R_EDX] = (uint32_t)(t >> 32);
    env->regs[R_ECX] = (uint32_t)env->tsc_aux;
}

/* INVD, WBINVD, CLFLUSH: no caches to manage; counted by -d trap. */
void helper_cache_op(CPUX86State *env, uint32_t op)
{
    static const char *const names[] = { "INVD", "WBINVD", "CLFLUSH" };
    TRAP(env, "%s: no cache is emulated; nothing to do", names[op < 3 ? op : 2]);
}
