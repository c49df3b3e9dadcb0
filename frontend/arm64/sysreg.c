/*
 * A64 system registers for MRS/MSR and the SYS operations (IC, DC, AT,
 * TLBI): one table row per register, with who may access it, where it
 * lives in CPUARMState and what a write must flush. Registers kasou does
 * not list are UNDEFINED (the translator raises the exception), except the
 * unallocated ID register space, which reads as zero at EL1 as the Arm ARM
 * requires.
 * Must stay true: a write that changes translation (SCTLR, TCR, MAIR)
 * flushes the TLB, a change of TTBRn makes its ASID's TLB context
 * current (mmu.c), both end the
 * block (ends_tb), and a write that may unmask an interrupt ends the
 * block too.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include "frontend/arm64/cpu.h"
#include "frontend/arm64/helpers.h"
#include "softmmu/tlb.h"

enum { R0 = 1, W0 = 2, R1 = 4, W1 = 8, RW1 = R1 | W1, RW = R0 | W0 | R1 | W1 };
enum {
    K_PLAIN,      /* a field of env */
    K_RO,         /* a read-only field of env */
    K_RAZ,        /* reads as zero, writes ignored */
    K_SPECIAL,    /* computed (a switch on the key) */
};
enum { F_END_TB = 1, F_FLUSH = 2, F_EL0_CNT = 4, F_EL0_CTR = 8, F_EL0_DAIF = 16, F_EL0_TIMER = 32,
       F_SP_EL0 = 64, F_FP = 128, F_PMU = 256,
       F_TTBR = 512 };   /* a change may switch the ASID: its TLB context becomes current */

struct A64SysReg {
    uint32_t key;
    const char *name;
    uint8_t access, kind;
    uint16_t flags;
    int32_t offset;
};

#define SR(op0, op1, crn, crm, op2) A64_SYSREG(op0, op1, crn, crm, op2)
#define F(f) A64_ENV_OFFSET(f)
static const A64SysReg a64_sysregs[] = {
    /* special purpose */
    { SR(3, 3, 4, 2, 0), "NZCV", RW, K_SPECIAL, 0, 0 },
    { SR(3, 3, 4, 2, 1), "DAIF", RW, K_SPECIAL, F_END_TB | F_EL0_DAIF, 0 },
    { SR(3, 0, 4, 2, 2), "CurrentEL", R1, K_SPECIAL, 0, 0 },
    { SR(3, 0, 4, 2, 0), "SPSel", RW1, K_SPECIAL, F_END_TB, 0 },
    { SR(3, 0, 4, 1, 0), "SP_EL0", RW1, K_SPECIAL, F_SP_EL0, 0 },
    { SR(3, 0, 4, 0, 0), "SPSR_EL1", RW1, K_PLAIN, 0, F(spsr_el1) },
    { SR(3, 0, 4, 0, 1), "ELR_EL1", RW1, K_PLAIN, 0, F(elr_el1) },
    { SR(3, 3, 4, 4, 0), "FPCR", RW, K_SPECIAL, F_FP, F(fpcr) },    /* CPACR_EL1.FPEN traps */
    { SR(3, 3, 4, 4, 1), "FPSR", RW, K_SPECIAL, F_FP, F(fpsr) },
    /* identification */
    { SR(3, 0, 0, 0, 0), "MIDR_EL1", R1, K_RO, 0, F(midr) },
    { SR(3, 0, 0, 0, 5), "MPIDR_EL1", R1, K_RO, 0, F(mpidr) },
    { SR(3, 0, 0, 0, 6), "REVIDR_EL1", R1, K_RO, 0, F(revidr) },
    { SR(3, 0, 0, 4, 0), "ID_AA64PFR0_EL1", R1, K_RO, 0, F(id_aa64pfr0) },
    { SR(3, 0, 0, 4, 1), "ID_AA64PFR1_EL1", R1, K_RO, 0, F(id_aa64pfr1) },
    { SR(3, 0, 0, 5, 0), "ID_AA64DFR0_EL1", R1, K_RO, 0, F(id_aa64dfr0) },
    { SR(3, 0, 0, 6, 0), "ID_AA64ISAR0_EL1", R1, K_RO, 0, F(id_aa64isar0) },
    { SR(3, 0, 0, 6, 1), "ID_AA64ISAR1_EL1", R1, K_RO, 0, F(id_aa64isar1) },
    { SR(3, 0, 0, 7, 0), "ID_AA64MMFR0_EL1", R1, K_RO, 0, F(id_aa64mmfr0) },
    { SR(3, 0, 0, 7, 1), "ID_AA64MMFR1_EL1", R1, K_RO, 0, F(id_aa64mmfr1) },
    { SR(3, 1, 0, 0, 0), "CCSIDR_EL1", R1, K_SPECIAL, 0, 0 },
    { SR(3, 1, 0, 0, 1), "CLIDR_EL1", R1, K_RO, 0, F(clidr) },
    { SR(3, 1, 0, 0, 7), "AIDR_EL1", R1, K_RAZ, 0, 0 },
    { SR(3, 2, 0, 0, 0), "CSSELR_EL1", RW1, K_PLAIN, 0, F(csselr_el1) },
    { SR(3, 3, 0, 0, 1), "CTR_EL0", RW & ~(W0 | W1), K_RO, F_EL0_CTR, F(ctr_el0) },
    { SR(3, 3, 0, 0, 7), "DCZID_EL0", R0 | R1, K_RO, 0, F(dczid_el0) },
    /* system control */
    { SR(3, 0, 1, 0, 0), "SCTLR_EL1", RW1, K_SPECIAL, F_END_TB | F_FLUSH, F(sctlr_el1) },
    { SR(3, 0, 1, 0, 1), "ACTLR_EL1", RW1, K_RAZ, 0, 0 },
    { SR(3, 0, 1, 0, 2), "CPACR_EL1", RW1, K_PLAIN, F_END_TB, F(cpacr_el1) },   /* FPEN: TB flag */
    { SR(3, 0, 2, 0, 0), "TTBR0_EL1", RW1, K_PLAIN, F_END_TB | F_TTBR, F(ttbr0_el1) },
    { SR(3, 0, 2, 0, 1), "TTBR1_EL1", RW1, K_PLAIN, F_END_TB | F_TTBR, F(ttbr1_el1) },
    { SR(3, 0, 2, 0, 2), "TCR_EL1", RW1, K_PLAIN, F_END_TB | F_FLUSH, F(tcr_el1) },
    { SR(3, 0, 5, 1, 0), "AFSR0_EL1", RW1, K_PLAIN, 0, F(afsr0_el1) },
    { SR(3, 0, 5, 1, 1), "AFSR1_EL1", RW1, K_PLAIN, 0, F(afsr1_el1) },
    { SR(3, 0, 5, 2, 0), "ESR_EL1", RW1, K_PLAIN, 0, F(esr_el1) },
    { SR(3, 0, 6, 0, 0), "FAR_EL1", RW1, K_PLAIN, 0, F(far_el1) },
    { SR(3, 0, 7, 4, 0), "PAR_EL1", RW1, K_PLAIN, 0, F(par_el1) },
    { SR(3, 0, 10, 2, 0), "MAIR_EL1", RW1, K_PLAIN, F_FLUSH, F(mair_el1) },   /* Device: PAGE_ALIGNED */
    { SR(3, 0, 10, 3, 0), "AMAIR_EL1", RW1, K_PLAIN, 0, F(amair_el1) },
    { SR(3, 0, 12, 0, 0), "VBAR_EL1", RW1, K_PLAIN, 0, F(vbar_el1) },
    { SR(3, 0, 12, 1, 0), "ISR_EL1", R1, K_SPECIAL, 0, 0 },
    { SR(3, 0, 13, 0, 1), "CONTEXTIDR_EL1", RW1, K_PLAIN, 0, F(contextidr_el1) },
    { SR(3, 0, 13, 0, 4), "TPIDR_EL1", RW1, K_PLAIN, 0, F(tpidr_el1) },
    { SR(3, 3, 13, 0, 2), "TPIDR_EL0", RW, K_PLAIN, 0, F(tpidr_el0) },
    { SR(3, 3, 13, 0, 3), "TPIDRRO_EL0", RW & ~W0, K_PLAIN, 0, F(tpidrro_el0) },
    /* generic timer (no interrupt controller yet: the timers never fire) */
    { SR(3, 3, 14, 0, 0), "CNTFRQ_EL0", R0 | RW1, K_PLAIN, F_EL0_CNT, F(cntfrq) },
    { SR(3, 3, 14, 0, 1), "CNTPCT_EL0", R0 | R1, K_SPECIAL, F_EL0_CNT, 0 },
    { SR(3, 3, 14, 0, 2), "CNTVCT_EL0", R0 | R1, K_SPECIAL, F_EL0_CNT, 0 },
    { SR(3, 0, 14, 1, 0), "CNTKCTL_EL1", RW1, K_PLAIN, 0, F(cntkctl_el1) },
    { SR(3, 3, 14, 2, 0), "CNTP_TVAL_EL0", RW, K_SPECIAL, F_EL0_TIMER, 0 },
    { SR(3, 3, 14, 2, 1), "CNTP_CTL_EL0", RW, K_SPECIAL, F_EL0_TIMER, F(cntp_ctl_el0) },
    { SR(3, 3, 14, 2, 2), "CNTP_CVAL_EL0", RW, K_PLAIN, F_EL0_TIMER, F(cntp_cval_el0) },
    { SR(3, 3, 14, 3, 0), "CNTV_TVAL_EL0", RW, K_SPECIAL, F_EL0_TIMER, 0 },
    { SR(3, 3, 14, 3, 1), "CNTV_CTL_EL0", RW, K_SPECIAL, F_EL0_TIMER, F(cntv_ctl_el0) },
    { SR(3, 3, 14, 3, 2), "CNTV_CVAL_EL0", RW, K_PLAIN, F_EL0_TIMER, F(cntv_cval_el0) },
    /* debug: the OS lock and MDSCR as Linux programs them */
    { SR(2, 0, 0, 2, 2), "MDSCR_EL1", RW1, K_PLAIN, 0, F(mdscr_el1) },
    { SR(2, 0, 1, 0, 4), "OSLAR_EL1", W1, K_SPECIAL, 0, 0 },
    { SR(2, 0, 1, 1, 4), "OSLSR_EL1", R1, K_RO, 0, F(oslsr_el1) },
    { SR(2, 0, 1, 3, 4), "OSDLR_EL1", RW1, K_RAZ, 0, 0 },
    { SR(2, 0, 0, 0, 4), "DBGBVR0_EL1", RW1, K_PLAIN, 0, F(dbgbvr0_el1) },
    { SR(2, 0, 0, 0, 5), "DBGBCR0_EL1", RW1, K_PLAIN, 0, F(dbgbcr0_el1) },
    { SR(2, 0, 0, 0, 6), "DBGWVR0_EL1", RW1, K_PLAIN, 0, F(dbgwvr0_el1) },
    { SR(2, 0, 0, 0, 7), "DBGWCR0_EL1", RW1, K_PLAIN, 0, F(dbgwcr0_el1) },
    /* PMUv3 (pmu.c): EL0 access as PMUSERENR_EL0 allows, else EC 0x18 */
    { SR(3, 3, 9, 12, 0), "PMCR_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 12, 1), "PMCNTENSET_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 12, 2), "PMCNTENCLR_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 12, 3), "PMOVSCLR_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 12, 4), "PMSWINC_EL0", W0 | W1, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 12, 5), "PMSELR_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 12, 6), "PMCEID0_EL0", R0 | R1, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 12, 7), "PMCEID1_EL0", R0 | R1, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 13, 0), "PMCCNTR_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 13, 1), "PMXEVTYPER_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 13, 2), "PMXEVCNTR_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 14, 0), "PMUSERENR_EL0", R0 | RW1, K_SPECIAL, F_PMU, 0 },
    { SR(3, 0, 9, 14, 1), "PMINTENSET_EL1", RW1, K_SPECIAL, F_PMU, 0 },
    { SR(3, 0, 9, 14, 2), "PMINTENCLR_EL1", RW1, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 9, 14, 3), "PMOVSSET_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 8, 0), "PMEVCNTR0_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 8, 1), "PMEVCNTR1_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 8, 2), "PMEVCNTR2_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 8, 3), "PMEVCNTR3_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 8, 4), "PMEVCNTR4_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 8, 5), "PMEVCNTR5_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 12, 0), "PMEVTYPER0_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 12, 1), "PMEVTYPER1_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 12, 2), "PMEVTYPER2_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 12, 3), "PMEVTYPER3_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 12, 4), "PMEVTYPER4_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 12, 5), "PMEVTYPER5_EL0", RW, K_SPECIAL, F_PMU, 0 },
    { SR(3, 3, 14, 15, 7), "PMCCFILTR_EL0", RW, K_SPECIAL, F_PMU, 0 },
};
#undef F

static const A64SysReg a64_id_raz = { 0, "ID (unallocated, RAZ)", R1, K_RAZ, 0, 0 };

const A64SysReg *a64_sysreg_find(uint32_t key)
{
    for (size_t i = 0; i < sizeof(a64_sysregs) / sizeof(a64_sysregs[0]); i++)
        if (a64_sysregs[i].key == key)
            return &a64_sysregs[i];
    /* op0=3, op1=0, CRn=0, CRm=1..7: the ID space, RAZ where unallocated
     * (the AArch32 ID registers read zero too: no AArch32 anywhere) */
    if ((key & ~0x3fu) == A64_SYSREG(3, 0, 0, 0, 0) && ((key >> 3) & 7) >= 1)
        return &a64_id_raz;
    return NULL;
}

const char *a64_sysreg_name(const A64SysReg *r) { return r->name; }
bool a64_sysreg_is_fp(const A64SysReg *r)
{
    return (r->flags & F_FP) != 0;
}

bool a64_sysreg_ends_tb(const A64SysReg *r) { return (r->flags & F_END_TB) != 0; }

bool a64_sysreg_access_ok(const A64SysReg *r, int el, bool read)
{
    return (r->access & (el ? (read ? R1 : W1) : (read ? R0 : W0))) != 0;
}

/* The run-time part of the access check (state not in the TB key): EL0
 * enables in CNTKCTL_EL1 and SCTLR_EL1 trap to EL1 with EC 0x18; SP_EL0
 * while it is the SP in use is UNDEFINED. */
static bool a64_sysreg_el0_enabled(const A64SysReg *r, const CPUARMState *env, bool read)
{
    if (env->el == 0) {
        uint64_t k = env->cntkctl_el1;
        if ((r->flags & F_EL0_CNT) && !(k & 3))
            return false;
        if ((r->flags & F_EL0_CNT) && r->key == A64_SYSREG(3, 3, 14, 0, 2) && !(k & 2))
            return false;
        if ((r->flags & F_EL0_CNT) && r->key == A64_SYSREG(3, 3, 14, 0, 1) && !(k & 1))
            return false;
        if ((r->flags & F_EL0_TIMER) && !(k & (((r->key >> 3) & 1) ? (1u << 8) : (1u << 9))))
            return false;
        if ((r->flags & F_EL0_CTR) && !(env->sctlr_el1 & (1u << 15)))
            return false;
        if ((r->flags & F_EL0_DAIF) && !(env->sctlr_el1 & SCTLR_UMA))
            return false;
        if ((r->flags & F_PMU) && r->key != A64_SYSREG(3, 3, 9, 14, 0) && !a64_pmu_el0_ok(env, r->key, read))
            return false;
    }
    return true;
}

/* ISS of EC 0x18 for an MRS/MSR/SYS of key with Rt, read or write */
uint32_t a64_sysreg_trap_syndrome(uint32_t key, int rt, bool read)
{
    uint32_t op0 = key >> 14, op1 = (key >> 11) & 7, crn = (key >> 7) & 15, crm = (key >> 3) & 15,
             op2 = key & 7;
    return ((uint32_t)EC_SYSREG << 26) | ESR_IL | (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) |
           ((uint32_t)rt << 5) | (crm << 1) | (read ? 1u : 0u);
}

static void a64_sysreg_runtime_check(CPUARMState *env, const A64SysReg *r, uint32_t desc, uintptr_t ra)
{
    if ((r->flags & F_SP_EL0) && !env->spsel)
        a64_raise_sync(env, ((uint32_t)EC_UNCATEGORIZED << 26) | ESR_IL, false, 0, ra);
    if (!a64_sysreg_el0_enabled(r, env, (desc >> 21) & 1))
        a64_raise_sync(env, a64_sysreg_trap_syndrome(desc & 0xffff, (int)((desc >> 16) & 31),
                                                     (desc >> 21) & 1), false, 0, ra);
}

uint64_t a64_host_counter(const CPUARMState *env)
{
    /* 62.5 MHz as QEMU's virt board: ns * 1/16 */
    return (uint64_t)((int64_t)a64_host_ns() + env->cnt_offset_ns) / 16;
}

uint64_t a64_sysreg_read(CPUARMState *env, const A64SysReg *r)
{
    /* a guest that sees the counter or a timer's state sees the timer's
     * interrupt line agree with it */
    if (r->flags & (F_EL0_TIMER | F_EL0_CNT))
        a64_timer_update(env);
    if (r->flags & F_PMU)
        return a64_pmu_read(env, r->key);
    switch (r->kind) {
    case K_PLAIN:
    case K_RO:
        return *(uint64_t *)((char *)env + r->offset);
    case K_RAZ:
        return 0;
    default:
        break;
    }
    switch (r->key) {
    case A64_SYSREG(3, 3, 4, 2, 0): {
        uint32_t p = a64_pstate_read(env);
        return p & 0xf0000000u;
    }
    case A64_SYSREG(3, 3, 4, 2, 1): return env->daif;
    case A64_SYSREG(3, 0, 4, 2, 2): return (uint64_t)env->el << 2;
    case A64_SYSREG(3, 0, 4, 2, 0): return env->spsel;
    case A64_SYSREG(3, 0, 4, 1, 0): return env->sp_el[0];
    case A64_SYSREG(3, 3, 4, 4, 0): return env->fpcr;
    case A64_SYSREG(3, 3, 4, 4, 1): return env->fpsr;
    case A64_SYSREG(3, 1, 0, 0, 0): return env->ccsidr[env->csselr_el1 & 1];
    case A64_SYSREG(3, 0, 1, 0, 0): return env->sctlr_el1;
    case A64_SYSREG(3, 0, 12, 1, 0):
        return (a64_cs(env)->interrupt_request & CPU_INTERRUPT_HARD) ? PSTATE_I : 0;
    case A64_SYSREG(3, 3, 14, 0, 1):
    case A64_SYSREG(3, 3, 14, 0, 2):
        return a64_host_counter(env);
    case A64_SYSREG(3, 3, 14, 2, 0):
        return (uint32_t)(env->cntp_cval_el0 - a64_host_counter(env));
    case A64_SYSREG(3, 3, 14, 3, 0):
        return (uint32_t)(env->cntv_cval_el0 - a64_host_counter(env));
    case A64_SYSREG(3, 3, 14, 2, 1):
    case A64_SYSREG(3, 3, 14, 3, 1): {
        uint64_t ctl = *(uint64_t *)((char *)env + r->offset) & 3;
        uint64_t cval = r->key == A64_SYSREG(3, 3, 14, 2, 1) ? env->cntp_cval_el0 : env->cntv_cval_el0;
        if ((ctl & 1) && a64_host_counter(env) >= cval)
            ctl |= 4;                       /* ISTATUS */
        return ctl;
    }
    default:
        return 0;
    }
}

void a64_sysreg_write(CPUARMState *env, const A64SysReg *r, uint64_t val)
{
    bool ttbr_change = (r->flags & F_TTBR) && *(uint64_t *)((char *)env + r->offset) != val;
    A64_TRAP(env, "MSR %s, 0x%" PRIx64 "%s", r->name, val,
             (r->flags & F_FLUSH) ? ": TLB flushed" : ttbr_change ? ": TLB context of its ASID" : "");
    if (r->flags & F_PMU) {
        a64_pmu_write(env, r->key, val);
        return;
    }
    switch (r->kind) {
    case K_PLAIN:
        *(uint64_t *)((char *)env + r->offset) = val;
        if (r->flags & F_FLUSH)
            a64_tlb_flush_all(env);
        if (ttbr_change)
            a64_tlb_switch_asid(env);
        if (r->flags & F_EL0_TIMER)
            a64_timer_update(env);
        return;
    case K_RO:
    case K_RAZ:
        return;
    default:
        break;
    }
    switch (r->key) {
    case A64_SYSREG(3, 3, 4, 2, 0): {
        uint32_t p = a64_pstate_read(env);
        a64_pstate_write(env, (p & 0x0fffffffu) | ((uint32_t)val & 0xf0000000u));
        break;
    }
    case A64_SYSREG(3, 3, 4, 2, 1):
        env->daif = (uint32_t)val & PSTATE_DAIF;
        break;
    case A64_SYSREG(3, 0, 4, 2, 0): {
        uint32_t p = a64_pstate_read(env);
        a64_pstate_write(env, (p & ~PSTATE_SP) | ((uint32_t)val & 1));
        break;
    }
    case A64_SYSREG(3, 0, 4, 1, 0):
        env->sp_el[0] = val;
        break;
    case A64_SYSREG(3, 3, 4, 4, 0):
        env->fpcr = val & A64_FPCR_MASK;
        break;
    case A64_SYSREG(3, 3, 4, 4, 1):
        env->fpsr = val & A64_FPSR_MASK;
        break;
    case A64_SYSREG(3, 0, 1, 0, 0):
        env->sctlr_el1 = val;
        a64_tlb_flush_all(env);
        break;
    case A64_SYSREG(3, 3, 14, 2, 0):
        env->cntp_cval_el0 = a64_host_counter(env) + (uint64_t)(int64_t)(int32_t)val;
        break;
    case A64_SYSREG(3, 3, 14, 3, 0):
        env->cntv_cval_el0 = a64_host_counter(env) + (uint64_t)(int64_t)(int32_t)val;
        break;
    case A64_SYSREG(3, 3, 14, 2, 1):
    case A64_SYSREG(3, 3, 14, 3, 1):
        *(uint64_t *)((char *)env + r->offset) = val & 3;
        break;
    case A64_SYSREG(2, 0, 1, 0, 4):
        env->oslsr_el1 = (env->oslsr_el1 & ~2ull) | ((val & 1) << 1);   /* OSLK */
        break;
    default:
        break;
    }
    a64_timer_update(env);
}

/* desc: key | Rt << 16 | read << 21 */
uint64_t helper_a64_sysreg_read(CPUARMState *env, uint32_t desc)
{
    const A64SysReg *r = a64_sysreg_find(desc & 0xffff);
    if (!r)
        return 0;
    a64_sysreg_runtime_check(env, r, desc, GETPC());
    return a64_sysreg_read(env, r);
}

void helper_a64_sysreg_write(CPUARMState *env, uint32_t desc, uint64_t val)
{
    const A64SysReg *r = a64_sysreg_find(desc & 0xffff);
    if (r) {
        /* the translator stored pc before the call */
        a64_sysreg_runtime_check(env, r, desc, GETPC());
        a64_sysreg_write(env, r, val);
    }
}

int a64_sysreg_inline_offset(const A64SysReg *r, int el, bool read)
{
    /* the flags below mean a side effect or a run-time check at some EL
     * (the EL0 enables only matter at EL0) */
    uint16_t side = F_EL0_TIMER | F_EL0_CNT | F_PMU | F_SP_EL0 | F_FP | (read ? 0 : F_END_TB | F_FLUSH);
    uint16_t el0_checks = F_EL0_CNT | F_EL0_CTR | F_EL0_DAIF | F_EL0_TIMER | F_PMU;
    if ((r->flags & side) || (el == 0 && (r->flags & el0_checks)))
        return -1;
    if (r->kind == K_PLAIN || (read && r->kind == K_RO))
        return r->offset;
    return -1;
}

/* ---- SYS operations ---- */
enum { S_IC, S_DC, S_DC_ZVA, S_AT, S_TLBI_ALL, S_TLBI_VA, S_TLBI_ASID };
static const struct A64SysOp {
    uint32_t key;
    const char *name;
    uint8_t kind;
    bool el0;          /* EL0 may use it (subject to SCTLR bits) */
} a64_sys_ops[] = {
    { SR(1, 0, 7, 1, 0), "IC IALLUIS", S_IC, false },
    { SR(1, 0, 7, 5, 0), "IC IALLU", S_IC, false },
    { SR(1, 3, 7, 5, 1), "IC IVAU", S_IC, true },
    { SR(1, 0, 7, 6, 1), "DC IVAC", S_DC, false },
    { SR(1, 0, 7, 6, 2), "DC ISW", S_DC, false },
    { SR(1, 0, 7, 10, 2), "DC CSW", S_DC, false },
    { SR(1, 0, 7, 14, 2), "DC CISW", S_DC, false },
    { SR(1, 3, 7, 4, 1), "DC ZVA", S_DC_ZVA, true },
    { SR(1, 3, 7, 10, 1), "DC CVAC", S_DC, true },
    { SR(1, 3, 7, 11, 1), "DC CVAU", S_DC, true },
    { SR(1, 3, 7, 14, 1), "DC CIVAC", S_DC, true },
    { SR(1, 0, 7, 8, 0), "AT S1E1R", S_AT, false },
    { SR(1, 0, 7, 8, 1), "AT S1E1W", S_AT, false },
    { SR(1, 0, 7, 8, 2), "AT S1E0R", S_AT, false },
    { SR(1, 0, 7, 8, 3), "AT S1E0W", S_AT, false },
    { SR(1, 0, 8, 3, 0), "TLBI VMALLE1IS", S_TLBI_ALL, false },
    { SR(1, 0, 8, 3, 1), "TLBI VAE1IS", S_TLBI_VA, false },
    { SR(1, 0, 8, 3, 2), "TLBI ASIDE1IS", S_TLBI_ASID, false },
    { SR(1, 0, 8, 3, 3), "TLBI VAAE1IS", S_TLBI_VA, false },
    { SR(1, 0, 8, 3, 5), "TLBI VALE1IS", S_TLBI_VA, false },
    { SR(1, 0, 8, 3, 7), "TLBI VAALE1IS", S_TLBI_VA, false },
    { SR(1, 0, 8, 7, 0), "TLBI VMALLE1", S_TLBI_ALL, false },
    { SR(1, 0, 8, 7, 1), "TLBI VAE1", S_TLBI_VA, false },
    { SR(1, 0, 8, 7, 2), "TLBI ASIDE1", S_TLBI_ASID, false },
    { SR(1, 0, 8, 7, 3), "TLBI VAAE1", S_TLBI_VA, false },
    { SR(1, 0, 8, 7, 5), "TLBI VALE1", S_TLBI_VA, false },
    { SR(1, 0, 8, 7, 7), "TLBI VAALE1", S_TLBI_VA, false },
};
#undef SR

static const struct A64SysOp *sys_op_find(uint32_t key)
{
    for (size_t i = 0; i < sizeof(a64_sys_ops) / sizeof(a64_sys_ops[0]); i++)
        if (a64_sys_ops[i].key == key)
            return &a64_sys_ops[i];
    return NULL;
}

bool a64_sys_op_ok(uint32_t key, int el)
{
    const struct A64SysOp *op = sys_op_find(key);
    return op && (el || op->el0);
}

int a64_sys_op_class(uint32_t key)
{
    const struct A64SysOp *op = sys_op_find(key);
    if (op && (op->kind == S_IC || op->kind == S_DC))
        return A64_SYS_CACHE;
    return op && op->kind == S_DC_ZVA ? A64_SYS_DC_ZVA : A64_SYS_OTHER;
}

uint64_t a64_at_translate(CPUARMState *env, uint64_t va, int access, int mmu_idx);

void a64_sys_op(CPUARMState *env, uint32_t key, uint64_t val, uintptr_t retaddr)
{
    CPUState *cs = a64_cs(env);
    const struct A64SysOp *op = sys_op_find(key);
    if (!op)
        return;
    switch (op->kind) {
    case S_IC:
    case S_DC:
        /* caches are coherent here; written code is caught per page */
        return;
    case S_DC_ZVA: {
        unsigned bs = 4u << (env->dczid_el0 & 0xf);
        uint64_t base = val & ~(uint64_t)(bs - 1);
        for (unsigned i = 0; i < bs; i += 8)
            cpu_st_mmu(cs, base + i, 0, MO_64, env->el ? A64_MMU_EL1 : A64_MMU_EL0, retaddr);
        return;
    }
    case S_AT: {
        int idx = (key & 2) ? A64_MMU_EL0 : A64_MMU_EL1;
        int access = (key & 1) ? MMU_DATA_STORE : MMU_DATA_LOAD;
        env->par_el1 = a64_at_translate(env, val, access, idx);
        A64_TRAP(env, "%s 0x%" PRIx64 ": PAR_EL1 = 0x%" PRIx64, op->name, val, env->par_el1);
        return;
    }
    case S_TLBI_VA: {
        /* by VA (and ASID, or all ASIDs; last level or all): every entry
         * for the VA goes, whatever its ASID and level */
        uint64_t va = (uint64_t)((int64_t)(val << 20) >> 8);   /* VA[55:12], sign-extended */
        A64_TRAP(env, "%s 0x%" PRIx64 ": page flushed", op->name, va);
        a64_tlb_flush_va(env, va);
        return;
    }
    case S_TLBI_ASID:
        /* that ASID's TLB context, whether current or not */
        A64_TRAP(env, "%s ASID 0x%" PRIx64 ": its TLB entries flushed", op->name, val >> 48);
        a64_tlb_flush_asid(env, val >> 48);
        return;
    default:
        A64_TRAP(env, "%s: TLB flushed", op->name);
        a64_tlb_flush_all(env);
        return;
    }
}

/* desc: key | Rt << 16 */
void helper_a64_sys(CPUARMState *env, uint32_t desc, uint64_t val)
{
    uintptr_t ra = GETPC();
    uint32_t key = desc & 0xffff;
    const struct A64SysOp *op = sys_op_find(key);
    /* the SCTLR_EL1 enables of EL0 cache maintenance: else a trap to EL1 */
    if (op && env->el == 0 &&
        ((op->kind == S_DC_ZVA && !(env->sctlr_el1 & (1u << 14))) ||
         (op->kind != S_DC_ZVA && !(env->sctlr_el1 & SCTLR_UCI))))
        a64_raise_sync(env, a64_sysreg_trap_syndrome(key, (int)((desc >> 16) & 31), false), false, 0, ra);
    a64_sys_op(env, key, val, ra);     /* the translator stored pc before the call */
}

void a64_trap_log(CPUARMState *env, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cpu_log(a64_cs(env), "trap: %016" PRIx64 ": %s\n", env->pc, msg);
}
