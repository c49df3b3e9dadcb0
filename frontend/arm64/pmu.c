/*
 * The PMUv3 of QEMU's cortex-a57: PMCR_EL0 (IMP 0x41, IDCODE 1, N = 6),
 * six 32-bit event counters and the 64-bit cycle counter. Events counted
 * (and all PMCEID0 advertises, as QEMU without icount): SW_INCR (0x00,
 * through PMSWINC) and CPU_CYCLES (0x11). Cycles are host nanoseconds, a
 * 1 GHz clock as QEMU's ARM_CPU_FREQ: counters counting cycles hold their
 * value as of pmu_sync_ns and advance with the host clock; every register
 * access folds the elapsed time in first (pmu_sync). The overflow
 * interrupt (PMOVSSET & PMINTENSET with PMCR.E) leaves through the board's
 * timer_irq hook as A64_TIMER_PMU.
 * Known simplification: the EL filters of PMEVTYPER/PMCCFILTR apply to
 * SW_INCR only, not to counted time.
 */
#include "frontend/arm64/cpu.h"

#define PMCR_E  (1u << 0)
#define PMCR_P  (1u << 1)
#define PMCR_C  (1u << 2)
#define PMCR_D  (1u << 3)
#define PMCR_LC (1u << 6)
#define PMCR_WRITABLE 0x79u                       /* E, D, X, DP, LC */
#define PMCR_ID ((0x41u << 24) | (1u << 16) | ((uint32_t)A64_PMU_COUNTERS << 11))
#define PMU_CYCLE A64_PMU_COUNTERS               /* index of the cycle counter */
#define PMU_MASK ((1ull << 31) | ((1ull << A64_PMU_COUNTERS) - 1))
#define EV_SW_INCR 0x00
#define EV_CPU_CYCLES 0x11
#define EVTYPER_MASK 0xfe00ffffull                /* P U NSK NSU NSH M MT, evtCount */
#define CCFILTR_MASK 0xfc000000ull
#define SEL_CYCLE 31

#define PMU_REG(crn, crm, op2) A64_SYSREG(3, 3, crn, crm, op2)

static unsigned cnt_bit(int i) { return i == PMU_CYCLE ? 31 : (unsigned)i; }

static bool counter_enabled(const CPUARMState *env, int i)
{
    return (env->pmcr_el0 & PMCR_E) && (env->pmcntenset >> cnt_bit(i) & 1);
}

static bool counts_cycles(const CPUARMState *env, int i)
{
    return counter_enabled(env, i) &&
           (i == PMU_CYCLE || (env->pmevtyper[i] & 0xffff) == EV_CPU_CYCLES);
}

/* add n to counter i, recording an overflow */
static void counter_add(CPUARMState *env, int i, uint64_t n)
{
    uint64_t old = env->pmu_cnt[i];
    if (i == PMU_CYCLE) {
        uint64_t v = old + n;
        bool ovf = (env->pmcr_el0 & PMCR_LC) ? v < old : (uint32_t)v < (uint32_t)old || n >> 32;
        env->pmu_cnt[i] = v;
        if (ovf)
            env->pmovsset |= 1ull << 31;
    } else {
        uint64_t v = (old & 0xffffffffull) + n;
        env->pmu_cnt[i] = (uint32_t)v;
        if (v >> 32)
            env->pmovsset |= 1ull << i;
    }
}

/* fold the time since pmu_sync_ns into the counters counting cycles */
static void pmu_sync(CPUARMState *env)
{
    uint64_t now = a64_host_ns();
    uint64_t ns = now - env->pmu_sync_ns;
    env->pmu_sync_ns = now;
    for (int i = 0; i <= PMU_CYCLE; i++) {
        if (!counts_cycles(env, i))
            continue;
        uint64_t n = ns;
        if (i == PMU_CYCLE && (env->pmcr_el0 & PMCR_D)) {
            /* PMCR.D: one tick every 64 cycles; the remainder carries */
            n = ns + env->pmu_div_ns;
            env->pmu_div_ns = n & 63;
            n >>= 6;
        }
        counter_add(env, i, n);
    }
}

static void pmu_irq_update(CPUARMState *env)
{
    int level = (env->pmcr_el0 & PMCR_E) && (env->pmovsset & env->pmintenset) != 0;
    if (level != env->timer_level[A64_TIMER_PMU]) {
        env->timer_level[A64_TIMER_PMU] = (uint8_t)level;
        if (env->hooks.timer_irq)
            env->hooks.timer_irq(env->hooks.opaque, A64_TIMER_PMU, level);
    }
}

void a64_pmu_reset(CPUARMState *env)
{
    env->pmu_sync_ns = a64_host_ns();
}

bool a64_pmu_armed(const CPUARMState *env)
{
    for (int i = 0; i <= PMU_CYCLE; i++)
        if (counts_cycles(env, i) && (env->pmintenset >> cnt_bit(i) & 1))
            return true;
    return false;
}

void a64_pmu_update(CPUARMState *env)
{
    pmu_sync(env);
    pmu_irq_update(env);
}

int64_t a64_pmu_next_overflow_ns(CPUARMState *env)
{
    pmu_sync(env);
    int64_t best = INT64_MAX;
    for (int i = 0; i <= PMU_CYCLE; i++) {
        if (!counts_cycles(env, i) || !(env->pmintenset >> cnt_bit(i) & 1))
            continue;
        uint64_t v = env->pmu_cnt[i], left;
        if (i == PMU_CYCLE && (env->pmcr_el0 & PMCR_LC))
            left = -v;
        else
            left = (1ull << 32) - (uint32_t)v;
        if (i == PMU_CYCLE && (env->pmcr_el0 & PMCR_D))
            left = left > (UINT64_MAX >> 6) ? UINT64_MAX : left << 6;
        if (left > (uint64_t)INT64_MAX)
            left = INT64_MAX;
        if ((int64_t)left < best)
            best = (int64_t)left;
    }
    return best;
}

bool a64_pmu_el0_ok(const CPUARMState *env, uint32_t key, bool read)
{
    uint64_t u = env->pmuserenr_el0;
    if (u & 1)                                    /* EN: everything */
        return true;
    if (key == PMU_REG(9, 12, 4))                 /* PMSWINC: SW */
        return !read && (u & 2);
    if (key == PMU_REG(9, 13, 0))                 /* PMCCNTR read: CR */
        return read && (u & 4);
    /* event counter reads and PMSELR: ER */
    if (key == PMU_REG(9, 12, 5))
        return (u & 8) != 0;
    if (key == PMU_REG(9, 13, 2) || (key & ~0xfu) == PMU_REG(14, 8, 0))
        return read && (u & 8);
    return false;
}

static int selected(const CPUARMState *env) { return (int)(env->pmselr_el0 & 31); }

uint64_t a64_pmu_read(CPUARMState *env, uint32_t key)
{
    pmu_sync(env);
    pmu_irq_update(env);
    int sel = selected(env);
    if ((key & ~0xfu) == PMU_REG(14, 8, 0)) {    /* PMEVCNTR<n>_EL0 */
        int n = key & 0xf;
        return n < A64_PMU_COUNTERS ? (uint32_t)env->pmu_cnt[n] : 0;
    }
    if ((key & ~0xfu) == PMU_REG(14, 12, 0)) {   /* PMEVTYPER<n>_EL0, PMCCFILTR_EL0 */
        int n = key & 0xf;
        if (n == 15)
            return env->pmccfiltr_el0;
        return n < A64_PMU_COUNTERS ? env->pmevtyper[n] : 0;
    }
    switch (key) {
    case PMU_REG(9, 12, 0): return PMCR_ID | (env->pmcr_el0 & PMCR_WRITABLE);
    case PMU_REG(9, 12, 1):
    case PMU_REG(9, 12, 2): return env->pmcntenset;
    case PMU_REG(9, 12, 3):
    case PMU_REG(9, 14, 3): return env->pmovsset;
    case PMU_REG(9, 12, 5): return env->pmselr_el0;
    case PMU_REG(9, 12, 6): return (1u << EV_SW_INCR) | (1u << EV_CPU_CYCLES);
    case PMU_REG(9, 12, 7): return 0;
    case PMU_REG(9, 13, 0): return env->pmu_cnt[PMU_CYCLE];
    case PMU_REG(9, 13, 1):
        if (sel == SEL_CYCLE)
            return env->pmccfiltr_el0;
        return sel < A64_PMU_COUNTERS ? env->pmevtyper[sel] : 0;
    case PMU_REG(9, 13, 2): return sel < A64_PMU_COUNTERS ? (uint32_t)env->pmu_cnt[sel] : 0;
    case PMU_REG(9, 14, 0): return env->pmuserenr_el0;
    case A64_SYSREG(3, 0, 9, 14, 1):
    case A64_SYSREG(3, 0, 9, 14, 2): return env->pmintenset;
    default: return 0;
    }
}

static void sw_incr(CPUARMState *env, uint64_t mask)
{
    for (int i = 0; i < A64_PMU_COUNTERS; i++) {
        uint64_t t = env->pmevtyper[i];
        /* P (bit 31) filters out EL1, U (bit 30) EL0 */
        bool filtered = env->el ? (t >> 31) & 1 : (t >> 30) & 1;
        if ((mask >> i & 1) && counter_enabled(env, i) && (t & 0xffff) == EV_SW_INCR && !filtered)
            counter_add(env, i, 1);
    }
}

void a64_pmu_write(CPUARMState *env, uint32_t key, uint64_t val)
{
    pmu_sync(env);
    int sel = selected(env);
    if ((key & ~0xfu) == PMU_REG(14, 8, 0)) {
        int n = key & 0xf;
        if (n < A64_PMU_COUNTERS)
            env->pmu_cnt[n] = (uint32_t)val;
    } else if ((key & ~0xfu) == PMU_REG(14, 12, 0)) {
        int n = key & 0xf;
        if (n == 15)
            env->pmccfiltr_el0 = val & CCFILTR_MASK;
        else if (n < A64_PMU_COUNTERS)
            env->pmevtyper[n] = val & EVTYPER_MASK;
    } else {
        switch (key) {
        case PMU_REG(9, 12, 0):
            env->pmcr_el0 = val & PMCR_WRITABLE;
            if (val & PMCR_P)
                for (int i = 0; i < A64_PMU_COUNTERS; i++)
                    env->pmu_cnt[i] = 0;
            if (val & PMCR_C)
                env->pmu_cnt[PMU_CYCLE] = 0;
            break;
        case PMU_REG(9, 12, 1): env->pmcntenset |= val & PMU_MASK; break;
        case PMU_REG(9, 12, 2): env->pmcntenset &= ~(val & PMU_MASK); break;
        case PMU_REG(9, 12, 3): env->pmovsset &= ~(val & PMU_MASK); break;
        case PMU_REG(9, 14, 3): env->pmovsset |= val & PMU_MASK; break;
        case PMU_REG(9, 12, 4): sw_incr(env, val); break;
        case PMU_REG(9, 12, 5): env->pmselr_el0 = val & 31; break;
        case PMU_REG(9, 13, 0): env->pmu_cnt[PMU_CYCLE] = val; break;
        case PMU_REG(9, 13, 1):
            if (sel == SEL_CYCLE)
                env->pmccfiltr_el0 = val & CCFILTR_MASK;
            else if (sel < A64_PMU_COUNTERS)
                env->pmevtyper[sel] = val & EVTYPER_MASK;
            break;
        case PMU_REG(9, 13, 2):
            if (sel < A64_PMU_COUNTERS)
                env->pmu_cnt[sel] = (uint32_t)val;
            break;
        case PMU_REG(9, 14, 0): env->pmuserenr_el0 = val & 0xf; break;
        case A64_SYSREG(3, 0, 9, 14, 1): env->pmintenset |= val & PMU_MASK; break;
        case A64_SYSREG(3, 0, 9, 14, 2): env->pmintenset &= ~(val & PMU_MASK); break;
        default: break;
        }
    }
    pmu_irq_update(env);
}
