/*
 * The AArch64 CPU object: models (their ID registers), architectural
 * reset, the block key, the IRQ pin, the register dump, and the
 * CPUArchOps the exec loop calls.
 * What must stay true: the ID registers advertise exactly what kasou
 * implements (no AArch32, a PMUv3 as QEMU's cortex-a57, no debug beyond
 * the OS lock), and the TB flags hold everything translation reads from env.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <capstone/capstone.h>
#include "frontend/arm64/cpu.h"
#include "softmmu/tlb.h"

void a64_tcg_init(CPUState *cpu, TCGContext *s);

uint64_t a64_host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint32_t a64_tb_flags(const CPUARMState *env)
{
    uint32_t f = env->el;
    if (env->sctlr_el1 & (env->el ? SCTLR_SA : SCTLR_SA0))
        f |= A64_TBF_SA;
    if (a64_fp_trapped(env))
        f |= A64_TBF_FP_TRAP;
    if (env->sctlr_el1 & SCTLR_A)
        f |= A64_TBF_ALIGN;       /* data accesses carry MO_ALIGN */
    return f;
}

static bool a64_timer_armed(const CPUARMState *env, uint64_t ctl)
{
    return (ctl & 3) == 1;
}

void a64_timer_update(CPUARMState *env)
{
    if (!env->hooks.timer_irq)
        return;
    uint64_t ctl[2] = { env->cntp_ctl_el0, env->cntv_ctl_el0 };
    uint64_t cval[2] = { env->cntp_cval_el0, env->cntv_cval_el0 };
    uint64_t now = 0;
    for (int i = 0; i < 2; i++) {
        int level = 0;
        if (a64_timer_armed(env, ctl[i])) {
            if (!now)
                now = a64_host_counter(env);
            level = now >= cval[i];
        }
        if (level != env->timer_level[i]) {
            env->timer_level[i] = (uint8_t)level;
            env->hooks.timer_irq(env->hooks.opaque, i, level);
        }
    }
}

/* The timers have no host timer behind them yet: the exec loop's hooks
 * poll them (every block lookup from the loop, and while halted) */
static void a64_timer_poll(CPUARMState *env)
{
    if (a64_timer_armed(env, env->cntp_ctl_el0) || a64_timer_armed(env, env->cntv_ctl_el0) ||
        env->timer_level[0] || env->timer_level[1])
        a64_timer_update(env);
    if (a64_pmu_armed(env))
        a64_pmu_update(env);
}

static void a64_get_tb_cpu_state(CPUState *cs, uint64_t *pc, uint64_t *cs_base, uint32_t *flags)
{
    CPUARMState *env = a64_env(cs);
    a64_timer_poll(env);
    *pc = env->pc;
    *cs_base = 0;
    *flags = a64_tb_flags(env);
}

static void a64_restore_state_to_opc(CPUState *cs, const TranslationBlock *tb, const uint64_t *data)
{
    a64_env(cs)->pc = data[0];
}

static bool a64_has_work(CPUState *cs)
{
    /* WFI wakes on a pending interrupt even when PSTATE masks it */
    a64_timer_poll(a64_env(cs));
    return (cs->interrupt_request & CPU_INTERRUPT_HARD) != 0;
}

static uint64_t a64_get_pc(CPUState *cs)
{
    return a64_env(cs)->pc;
}

static void a64_disas_mode(CPUState *cs, uint32_t tb_flags, int *cs_arch, int *cs_mode)
{
    *cs_arch = CS_ARCH_ARM64;
    *cs_mode = CS_MODE_ARM;
}

static void a64_dump_state(CPUState *cs, FILE *f)
{
    CPUARMState *env = a64_env(cs);
    uint32_t p = a64_pstate_read(env);
    for (int i = 0; i < 31; i++)
        fprintf(f, "X%02d=%016" PRIx64 "%s", i, env->xregs[i], (i % 4) == 3 ? "\n" : " ");
    fprintf(f, " SP=%016" PRIx64 "\n", env->xregs[31]);
    fprintf(f, "PC=%016" PRIx64 " PSTATE=%08x %c%c%c%c EL%u%c DAIF=%x\n", env->pc, p,
            p & (1u << 31) ? 'N' : '-', p & (1u << 30) ? 'Z' : '-', p & (1u << 29) ? 'C' : '-',
            p & (1u << 28) ? 'V' : '-', env->el, env->spsel ? 'h' : 't', env->daif >> 6);
    fprintf(f, "SCTLR=%016" PRIx64 " TCR=%016" PRIx64 " TTBR0=%016" PRIx64 " TTBR1=%016" PRIx64 "\n",
            env->sctlr_el1, env->tcr_el1, env->ttbr0_el1, env->ttbr1_el1);
    fprintf(f, "VBAR=%016" PRIx64 " ESR=%08" PRIx64 " FAR=%016" PRIx64 " ELR=%016" PRIx64 " SPSR=%08" PRIx64 "\n",
            env->vbar_el1, env->esr_el1, env->far_el1, env->elr_el1, env->spsr_el1);
}

const CPUArchOps a64_arch_ops = {
    .name = "arm64",
    .get_tb_cpu_state = a64_get_tb_cpu_state,
    .translator = &a64_translator_ops,
    .do_interrupt = a64_do_interrupt,
    .exec_interrupt = a64_exec_interrupt,
    .has_work = a64_has_work,
    .tlb_fill = a64_tlb_fill,
    .unaligned_access = a64_unaligned_access,
    .restore_state_to_opc = a64_restore_state_to_opc,
    .dump_state = a64_dump_state,
    .disas_mode = a64_disas_mode,
    .get_pc = a64_get_pc,
    .tcg_init = a64_tcg_init,
};

/* ---- models ---- */
typedef struct A64CPUModel {
    const char *name;
    uint64_t midr;
    uint64_t isar0;
} A64CPUModel;

static const A64CPUModel a64_models[] = {
    /* Cortex-A57 r1p0, as QEMU names it; ISAR0 only CRC32 (kasou has no
     * AES/SHA: the real part's crypto extension is not advertised) */
    { "cortex-a57", 0x411fd070ull, 1ull << 16 },
    { "max", 0x411fd070ull, 1ull << 16 },
};

static void a64_set_identity(CPUARMState *env, const A64CPUModel *m)
{
    env->midr = m->midr;
    env->mpidr = 1ull << 31;                 /* uniprocessor bit clear, aff0 0, RES1 bit 31 */
    env->revidr = 0;
    /* EL0 and EL1 AArch64 only, no EL2/EL3, FP and AdvSIMD implemented (0,
     * no half-precision arithmetic), GIC system registers not implemented */
    env->id_aa64pfr0 = 0x1ull | (0x1ull << 4) | (0x0ull << 16) | (0x0ull << 20);
    env->id_aa64pfr1 = 0;
    /* debug v8, PMUv3 (PMUVer 1, as QEMU's cortex-a57), one breakpoint and
     * one watchpoint described */
    env->id_aa64dfr0 = 0x6 | (0x1 << 8);
    env->id_aa64isar0 = m->isar0;
    env->id_aa64isar1 = 0;
    /* 44-bit PA, 16-bit ASIDs, no mixed endian, 4K and 64K granules (no 16K) */
    env->id_aa64mmfr0 = 0x4 | (0x2 << 4) | (0x1 << 12) | (0xfull << 20);
    env->id_aa64mmfr1 = 0;
    /* CTR_EL0: 64-byte lines (IminLine = DminLine = 4), PIPT I-cache */
    env->ctr_el0 = 0x8444c004ull;
    env->dczid_el0 = 4;                      /* DC ZVA writes 64 bytes */
    env->clidr = 0x0a200023ull;
    env->ccsidr[0] = 0x701fe00aull;
    env->ccsidr[1] = 0x201fe012ull;
    env->cntfrq = 62500000;
}

void a64_cpu_reset(ARMCPU *env, uint64_t entry)
{
    CPUState *cs = a64_cs(env);
    A64BoardHooks hooks = env->hooks;
    uint64_t id[14] = { env->midr, env->mpidr, env->revidr, env->id_aa64pfr0, env->id_aa64pfr1,
                        env->id_aa64dfr0, env->id_aa64isar0, env->id_aa64isar1, env->id_aa64mmfr0,
                        env->id_aa64mmfr1, env->ctr_el0, env->dczid_el0, env->clidr, env->cntfrq };
    uint64_t ccsidr[2] = { env->ccsidr[0], env->ccsidr[1] };
    memset((char *)env + sizeof(CPUState), 0, sizeof(*env) - sizeof(CPUState));
    env->hooks = hooks;
    env->midr = id[0]; env->mpidr = id[1]; env->revidr = id[2]; env->id_aa64pfr0 = id[3];
    env->id_aa64pfr1 = id[4]; env->id_aa64dfr0 = id[5]; env->id_aa64isar0 = id[6];
    env->id_aa64isar1 = id[7]; env->id_aa64mmfr0 = id[8]; env->id_aa64mmfr1 = id[9];
    env->ctr_el0 = id[10]; env->dczid_el0 = id[11]; env->clidr = id[12]; env->cntfrq = id[13];
    env->ccsidr[0] = ccsidr[0];
    env->ccsidr[1] = ccsidr[1];

    env->el = 1;
    env->spsel = 1;
    env->daif = PSTATE_DAIF;
    env->zf = 1;
    env->pc = entry;
    env->excl_addr = ~0ull;
    env->sctlr_el1 = 0x00c50838ull;          /* the RES1 bits, MMU and caches off */
    env->oslsr_el1 = 0x8;                    /* OS lock implemented, unlocked */
    env->cnt_offset_ns = -(int64_t)a64_host_ns();   /* the counter starts near 0 */
    a64_pmu_reset(env);
    cs->halted = false;
    cs->exception_index = EXCP_NONE;
    cs->interrupt_request &= ~(uint32_t)CPU_INTERRUPT_RESET;
    env->tlb_large_lo = ~0ull;               /* no block entered yet */
    env->tlb_large_hi = env->tlb_large_size = 0;
    env->tlb_tagged_va = false;
    memset(env->tlb_large_map, 0, sizeof(env->tlb_large_map));
    env->tlb_large_sizes = 0;
    if (cs->tlb_table[0])
        tlb_flush(cs);
}

void a64_cpu_set_irq(ARMCPU *cpu, int level)
{
    if (level)
        cpu_interrupt(a64_cs(cpu), CPU_INTERRUPT_HARD);
    else
        cpu_reset_interrupt(a64_cs(cpu), CPU_INTERRUPT_HARD);
}

ARMCPU *a64_cpu_new(AddressSpace *mem, const char *model)
{
    const A64CPUModel *m = NULL;
    for (size_t i = 0; i < sizeof(a64_models) / sizeof(a64_models[0]); i++)
        if (!strcmp(model, a64_models[i].name))
            m = &a64_models[i];
    if (!m)
        return NULL;
    size_t size = (sizeof(CPUARMState) + 63) & ~(size_t)63;
    CPUARMState *env = aligned_alloc(64, size);
    if (!env)
        return NULL;
    memset(env, 0, size);
    cpu_common_init(&env->parent, &a64_arch_ops, mem);
    a64_set_identity(env, m);
    a64_cpu_reset(env, 0);
    return env;
}

void a64_cpu_free(ARMCPU *cpu)
{
    if (!cpu)
        return;
    cpu_common_free(a64_cs(cpu));
    free(cpu);
}
