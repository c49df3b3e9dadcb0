/*
 * The AArch64 CPU (ARMv8.0-A, EL0 and EL1, AArch64 only): architectural
 * state, the system registers Linux touches at EL1, and what boards call.
 * Must stay true: CPUState is the first member (generated code's env
 * pointer is both); xregs[31] is the stack pointer of the current
 * PSTATE.{EL,SP} (sp_el[] holds the banked others), so SP-using
 * instructions read one global; NZCV is kept in QEMU's split form (N: bit
 * 31 of nf, Z: zf == 0, C: cf, V: bit 31 of vf) which each flag-setting
 * instruction writes with a few ops and each condition reads with one.
 */
#ifndef FRONTEND_ARM64_CPU_H
#define FRONTEND_ARM64_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include "tcg/cpu.h"

/* MMU modes (tlb_table index): EL0 accesses, EL1 accesses. */
enum { A64_MMU_EL0 = 0, A64_MMU_EL1 = 1 };

/* Guest exception vectors kept in exception_index (below EXCP_INTERRUPT). */
enum {
    A64_EXCP_SYNC = 1,      /* synchronous, syndrome in env->exc_syndrome */
    A64_EXCP_IRQ = 2,
    A64_EXCP_FIQ = 3,
};

/* ESR_ELx.EC values */
enum {
    EC_UNCATEGORIZED = 0x00, EC_WFX = 0x01, EC_FP_ACCESS = 0x07, EC_ILLEGAL_STATE = 0x0e,
    EC_SVC64 = 0x15, EC_HVC64 = 0x16, EC_SMC64 = 0x17, EC_SYSREG = 0x18,
    EC_INSN_ABORT_LOWER = 0x20, EC_INSN_ABORT_SAME = 0x21, EC_PC_ALIGN = 0x22,
    EC_DATA_ABORT_LOWER = 0x24, EC_DATA_ABORT_SAME = 0x25, EC_SP_ALIGN = 0x26,
    EC_BRK64 = 0x3c,
};
#define ESR_IL (1u << 25)

/* PSTATE bits as in SPSR */
#define PSTATE_SP   (1u << 0)
#define PSTATE_EL_SHIFT 2
#define PSTATE_F    (1u << 6)
#define PSTATE_I    (1u << 7)
#define PSTATE_A    (1u << 8)
#define PSTATE_D    (1u << 9)
#define PSTATE_DAIF (PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F)
#define PSTATE_IL   (1u << 20)

/* SCTLR_EL1 bits kasou acts on */
#define SCTLR_M   (1u << 0)
#define SCTLR_A   (1u << 1)
#define SCTLR_SA  (1u << 3)
#define SCTLR_SA0 (1u << 4)
#define SCTLR_UMA (1u << 9)
#define SCTLR_UCI (1u << 26)

/* TB flags: what translation depends on */
#define A64_TBF_EL_MASK  3u
#define A64_TBF_SA       (1u << 2)    /* SP alignment check at this EL */
#define A64_TBF_UMA      (1u << 3)    /* EL0 may touch DAIF */
#define A64_TBF_ALIGN    (1u << 4)    /* SCTLR.A: every access aligned */
#define A64_TBF_FP_TRAP  (1u << 7)    /* CPACR_EL1.FPEN traps FP/SIMD at this EL */

typedef struct CPUARMState CPUARMState;
typedef CPUARMState ARMCPU;

/* PMUv3 event counters, as QEMU's cortex-a57 has them (PMCR_EL0.N) */
#define A64_PMU_COUNTERS 6

/* Board hooks for PSCI and semihosting (the CPU calls, the board acts). */
typedef struct A64BoardHooks {
    /* HVC #0 at EL1: a PSCI call. Returns false if kasou has no PSCI
     * (HVC is then an undefined instruction, as with no EL2). */
    bool (*psci_call)(void *opaque, CPUARMState *env);
    /* HLT #0xF000 with -semihosting: one call; false if disabled. */
    bool (*semihosting_call)(void *opaque, CPUARMState *env);
    void *opaque;
    /* The generic timers' outputs (A64_TIMER_PHYS, A64_TIMER_VIRT) changed
     * level: the board wires them to PPIs of its interrupt controller. */
    void (*timer_irq)(void *opaque, int timer, int level);
} A64BoardHooks;

struct CPUARMState {
    CPUState parent;

    uint64_t xregs[32];       /* X0..X30, [31] = current SP */
    uint64_t pc;
    uint64_t nf, zf, cf, vf;  /* NZCV, split (see the header comment) */

    uint32_t daif;            /* PSTATE.{D,A,I,F} in their SPSR positions */
    uint32_t el;              /* PSTATE.EL: 0 or 1 */
    uint32_t spsel;           /* PSTATE.SP */
    uint64_t sp_el[2];        /* SP_EL0, SP_EL1 while not the current SP */

    /* exclusive monitor: address and the value(s) seen by the load */
    uint64_t excl_addr;       /* -1: open */
    uint64_t excl_val, excl_val2;
    uint32_t excl_size;       /* bytes of the exclusive load (a pair: both) */

    /* pending synchronous exception, set by helpers before cpu_loop_exit */
    uint32_t exc_syndrome;
    uint64_t exc_far;
    bool exc_has_far;
    bool exc_target_el2;       /* unused: no EL2 */

    /* EL1 system registers */
    uint64_t sctlr_el1, tcr_el1, ttbr0_el1, ttbr1_el1, mair_el1, vbar_el1;
    uint64_t esr_el1, far_el1, elr_el1, spsr_el1, cpacr_el1, contextidr_el1;
    uint64_t tpidr_el0, tpidr_el1, tpidrro_el0, amair_el1, afsr0_el1, afsr1_el1;
    uint64_t par_el1, mdscr_el1, oslsr_el1, cntkctl_el1;
    /* the one breakpoint and one watchpoint ID_AA64DFR0 describes: their
     * registers hold what the kernel writes (no debug exception fires) */
    uint64_t dbgbvr0_el1, dbgbcr0_el1, dbgwvr0_el1, dbgwcr0_el1;
    uint64_t cntv_ctl_el0, cntv_cval_el0, cntp_ctl_el0, cntp_cval_el0;
    uint64_t fpcr, fpsr;
    uint64_t pmcr_el0, pmuserenr_el0, pmcntenset, pmintenset, pmovsset, pmselr_el0, pmccfiltr_el0;
    /* PMU counters (pmu.c): [0..A64_PMU_COUNTERS-1] the event counters,
     * [A64_PMU_COUNTERS] the cycle counter; values as of pmu_sync_ns */
    uint64_t pmu_cnt[A64_PMU_COUNTERS + 1], pmevtyper[A64_PMU_COUNTERS];
    uint64_t pmu_sync_ns;
    uint64_t pmu_div_ns;      /* PMCR.D: ns of the next cycle-counter tick so far */

    /* identification (the CPU model) */
    uint64_t midr, mpidr, revidr;
    uint64_t id_aa64pfr0, id_aa64pfr1, id_aa64dfr0, id_aa64isar0, id_aa64isar1;
    uint64_t id_aa64mmfr0, id_aa64mmfr1, ctr_el0, dczid_el0, clidr, ccsidr[2];
    uint64_t csselr_el1;
    uint64_t cntfrq;
    int64_t cnt_offset_ns;    /* virtual count = (host_ns + offset) * freq */

    /* FP and Advanced SIMD: V0..V31, [0] the low 64 bits (element i of
     * size s at byte i << s: the host is little-endian); FPCR and FPSR are
     * fpcr/fpsr above. */
    uint64_t vregs[32][2];

    A64BoardHooks hooks;
    uint8_t timer_level[3];   /* last level reported through hooks.timer_irq */

    /* TLB bookkeeping (mmu.c): the VA span of leaves larger than 4 KiB
     * entered since the last full flush, and the largest one's size, so a
     * TLBI by VA drops every 4 KiB piece of the block it hits */
    uint64_t tlb_large_lo, tlb_large_hi, tlb_large_size;
    /* an entry was made for a VA with a tag in its top byte (TBI): a TLBI
     * by VA (which names VA[55:12]) cannot find its copies, so it flushes all */
    bool tlb_tagged_va;
    /* which blocks those large leaves lie in: one bit per (hash of) the
     * leaf's size-aligned base, and a bit per log2 size entered, so a TLBI
     * of a 4 KiB page that lies between blocks (the fixmap between the
     * linear map and vmemmap) stays a page flush */
    uint64_t tlb_large_map[16];
    uint64_t tlb_large_sizes;
};
/* the PMU's overflow interrupt goes through timer_irq too */
enum { A64_TIMER_PHYS = 0, A64_TIMER_VIRT = 1, A64_TIMER_PMU = 2 };

static inline CPUARMState *a64_env(CPUState *cs) { return (CPUARMState *)cs; }
static inline CPUState *a64_cs(CPUARMState *env) { return &env->parent; }
#define A64_ENV_OFFSET(field) ((int32_t)__builtin_offsetof(CPUARMState, field))

/* ---- cpu.c ---- */
extern const CPUArchOps a64_arch_ops;
extern const TranslatorOps a64_translator_ops;
/* A CPU of the named model (cortex-a57, max), or NULL. */
ARMCPU *a64_cpu_new(AddressSpace *mem, const char *model);
void a64_cpu_free(ARMCPU *cpu);
/* Power-on state: EL1h, MMU off, every exception masked, pc = entry. */
void a64_cpu_reset(ARMCPU *cpu, uint64_t entry);
uint32_t a64_pstate_read(const CPUARMState *env);   /* SPSR layout */
void a64_pstate_write(CPUARMState *env, uint32_t spsr);  /* EL, SP, DAIF, NZCV */
uint32_t a64_tb_flags(const CPUARMState *env);
/* CPACR_EL1.FPEN traps FP/SIMD at the current EL (01: EL0 only, 11: none) */
static inline bool a64_fp_trapped(const CPUARMState *env)
{
    unsigned fpen = (env->cpacr_el1 >> 20) & 3;
    return fpen == 3 ? false : fpen == 1 ? env->el == 0 : true;
}
/* FPCR: AHP, DN, FZ, RMode, and Stride/Len (kept: the AArch32 FPSCR
 * view, as QEMU's cortex-a57); no trap enables, no FZ16 in v8.0.
 * FPSR: the AArch32 NZCV view, QC, IDC, IXC, UFC, OFC, DZC, IOC. */
#define A64_FPCR_MASK 0x07f70000u
#define A64_FPSR_MASK 0xf800009fu
/* ESR of the SIMD/FP access trap (EC 0x07; CV=1, COND=0xE from AArch64) */
#define A64_FP_ACCESS_SYNDROME ((EC_FP_ACCESS << 26) | ESR_IL | (1u << 24) | (0xeu << 20))
void a64_cpu_set_irq(ARMCPU *cpu, int level);
/* Would the translator accept insn (for the decoder test; translate.c)? */
bool a64_insn_is_defined(CPUState *cpu, uint32_t insn);
uint64_t a64_host_ns(void);
/* Re-evaluate the timer outputs (after a register write, and polled by the
 * exec loop's hooks while a timer is armed). */
void a64_timer_update(CPUARMState *env);
uint64_t a64_host_counter(const CPUARMState *env);

/* ---- pmu.c: the PMUv3 ---- */
void a64_pmu_reset(CPUARMState *env);
uint64_t a64_pmu_read(CPUARMState *env, uint32_t key);
void a64_pmu_write(CPUARMState *env, uint32_t key, uint64_t val);
/* May EL0 make this access to PMU register key (PMUSERENR_EL0)? */
bool a64_pmu_el0_ok(const CPUARMState *env, uint32_t key, bool read);
/* Is a counter counting time with its overflow interrupt enabled (the
 * exec loop then polls a64_pmu_update)? */
bool a64_pmu_armed(const CPUARMState *env);
void a64_pmu_update(CPUARMState *env);
/* Host ns until the earliest armed overflow, INT64_MAX if none */
int64_t a64_pmu_next_overflow_ns(CPUARMState *env);

/* ---- helper.c: exceptions ---- */
void a64_do_interrupt(CPUState *cs);
bool a64_exec_interrupt(CPUState *cs, uint32_t interrupt_request);
/* Raise a synchronous exception to EL1 with this syndrome (and FAR when
 * has_far); restores state from retaddr (0: already exact). */
void a64_raise_sync(CPUARMState *env, uint32_t syndrome, bool has_far, uint64_t far,
                    uintptr_t retaddr) __attribute__((noreturn));

/* ---- mmu.c ---- */
bool a64_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access_type, int mmu_idx,
                  bool probe, uintptr_t retaddr);
/* TLB maintenance with the bookkeeping above: everything; the entries
 * of one VA (TLBI by VA: its whole block); one ASID's (TLBI ASIDE1, the
 * ASID in bits 15:0 of asid_field). a64_tlb_switch_asid: TTBRn or TCR
 * changed, the current ASID's TLB context becomes current. */
void a64_tlb_flush_all(CPUARMState *env);
void a64_tlb_flush_va(CPUARMState *env, uint64_t va);
void a64_tlb_flush_asid(CPUARMState *env, uint64_t asid_field);
void a64_tlb_switch_asid(CPUARMState *env);
/* CPUArchOps.unaligned_access: the data abort of an alignment fault */
void a64_unaligned_access(CPUState *cs, uint64_t vaddr, unsigned size, int access_type, int mmu_idx,
                          uintptr_t retaddr) __attribute__((noreturn));

/* ---- sysreg.c ---- */
/* The system register (op0, op1, CRn, CRm, op2) packed as in MRS/MSR. */
#define A64_SYSREG(op0, op1, crn, crm, op2) \
    (((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
typedef struct A64SysReg A64SysReg;
/* Look up a register for MRS (read) / MSR (write) at el: NULL if it does
 * not exist or may not be accessed there (UNDEFINED). */
const A64SysReg *a64_sysreg_find(uint32_t key);
bool a64_sysreg_access_ok(const A64SysReg *r, int el, bool read);   /* static part */
uint32_t a64_sysreg_trap_syndrome(uint32_t key, int rt, bool read);  /* EC 0x18 */
const char *a64_sysreg_name(const A64SysReg *r);
bool a64_sysreg_ends_tb(const A64SysReg *r);
bool a64_sysreg_is_fp(const A64SysReg *r);   /* FPCR, FPSR: CPACR_EL1.FPEN applies */
uint64_t a64_sysreg_read(CPUARMState *env, const A64SysReg *r);
void a64_sysreg_write(CPUARMState *env, const A64SysReg *r, uint64_t val);
/* SYS operations (op0 = 1 keys): IC, DC, AT, TLBI. */
bool a64_sys_op_ok(uint32_t key, int el);
void a64_sys_op(CPUARMState *env, uint32_t key, uint64_t val, uintptr_t retaddr);
/* For the translator, what it may emit without a helper call: the env
 * offset of a register MRS (read) / MSR at el may load or store directly
 * (a 64-bit field, no side effect, nothing checked at run time), else -1;
 * and the class of a SYS operation. */
int a64_sysreg_inline_offset(const A64SysReg *r, int el, bool read);
enum { A64_SYS_OTHER, A64_SYS_CACHE, A64_SYS_DC_ZVA };
int a64_sys_op_class(uint32_t key);   /* A64_SYS_CACHE: IC and DC other than ZVA */
/* -d trap: one line for an emulated privileged operation at the current pc */
void a64_trap_log(CPUARMState *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define A64_TRAP(env, ...) \
    do { if (cpu_log_enabled(a64_cs(env), LOG_TRAP)) a64_trap_log(env, __VA_ARGS__); } while (0)

#endif
