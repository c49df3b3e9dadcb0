/*
 * A64 exceptions and the helpers of system instructions: taking an
 * exception to EL1 (ESR, FAR, ELR, SPSR, vector offset), IRQ delivery,
 * ERET, PSTATE writes, WFI, HVC (kasou's PSCI) and HLT (semihosting), the
 * alignment-checked and exclusive memory accesses, and the arithmetic too
 * awkward for IR.
 * Must stay true: every exception entry clears the exclusive monitor and
 * masks DAIF, and a helper that raises restores the guest state of its
 * instruction first (a64_raise_sync with its GETPC()).
 */
#include <inttypes.h>
#include <string.h>
#include "frontend/arm64/cpu.h"
#include "frontend/arm64/helpers.h"
#include "softmmu/tlb.h"

/* ---- PSTATE ---- */
uint32_t a64_pstate_read(const CPUARMState *env)
{
    uint32_t p = env->daif | (env->el << PSTATE_EL_SHIFT) | env->spsel;
    if ((int64_t)env->nf < 0)
        p |= 1u << 31;
    if (env->zf == 0)
        p |= 1u << 30;
    if (env->cf)
        p |= 1u << 29;
    if ((int64_t)env->vf < 0)
        p |= 1u << 28;
    return p;
}

/* Bank the current SP, switch EL/SPSel, load the new SP. */
static void a64_switch_sp(CPUARMState *env, uint32_t el, uint32_t spsel)
{
    int old = env->spsel ? (int)env->el : 0;
    int new = spsel ? (int)el : 0;
    env->sp_el[old] = env->xregs[31];
    env->el = el;
    env->spsel = spsel;
    env->xregs[31] = env->sp_el[new];
}

void a64_pstate_write(CPUARMState *env, uint32_t p)
{
    env->nf = (p & (1u << 31)) ? ~0ull : 0;
    env->zf = (p & (1u << 30)) ? 0 : 1;
    env->cf = (p >> 29) & 1;
    env->vf = (p & (1u << 28)) ? ~0ull : 0;
    env->daif = p & PSTATE_DAIF;
    a64_switch_sp(env, (p >> PSTATE_EL_SHIFT) & 3, p & PSTATE_SP);
}

/* ---- taking exceptions ---- */
void a64_raise_sync(CPUARMState *env, uint32_t syndrome, bool has_far, uint64_t far, uintptr_t retaddr)
{
    CPUState *cs = a64_cs(env);
    if (retaddr)
        cpu_restore_state(cs, retaddr);
    env->exc_syndrome = syndrome;
    env->exc_has_far = has_far;
    env->exc_far = far;
    cs->exception_index = A64_EXCP_SYNC;
    cpu_loop_exit(cs);
}

/* mode 0: ELR = this instruction; 1: the next one (SVC); 2: a misaligned
 * pc (FAR = pc) */
void helper_a64_exception(CPUARMState *env, uint32_t syndrome, uint32_t mode)
{
    CPUState *cs = a64_cs(env);
    cpu_restore_state(cs, GETPC());
    if (mode == 1)
        env->pc += 4;
    a64_raise_sync(env, syndrome, mode == 2, env->pc, 0);
}

void helper_a64_sp_align_fault(CPUARMState *env)
{
    a64_raise_sync(env, ((uint32_t)EC_SP_ALIGN << 26) | ESR_IL, false, 0, GETPC());
}

static const char *a64_ec_name(uint32_t ec)
{
    switch (ec) {
    case EC_UNCATEGORIZED: return "undefined instruction";
    case EC_WFX: return "WFI/WFE trapped";
    case EC_ILLEGAL_STATE: return "illegal execution state";
    case EC_SVC64: return "SVC";
    case EC_HVC64: return "HVC";
    case EC_SMC64: return "SMC";
    case EC_SYSREG: return "system register trap";
    case EC_INSN_ABORT_LOWER: return "instruction abort from EL0";
    case EC_INSN_ABORT_SAME: return "instruction abort";
    case EC_PC_ALIGN: return "PC alignment fault";
    case EC_DATA_ABORT_LOWER: return "data abort from EL0";
    case EC_DATA_ABORT_SAME: return "data abort";
    case EC_SP_ALIGN: return "SP alignment fault";
    case EC_BRK64: return "BRK";
    default: return "exception";
    }
}

void a64_do_interrupt(CPUState *cs)
{
    CPUARMState *env = a64_env(cs);
    uint32_t pstate = a64_pstate_read(env);
    uint64_t offset;
    bool irq = cs->exception_index == A64_EXCP_IRQ;

    if (env->el == 0)
        offset = 0x400;                 /* from a lower EL, AArch64 */
    else
        offset = env->spsel ? 0x200 : 0x000;
    if (irq)
        offset += 0x80;
    else if (cs->exception_index == A64_EXCP_FIQ)
        offset += 0x100;

    if (cpu_log_enabled(cs, LOG_INT) || cpu_log_enabled(cs, LOG_TRAP)) {
        if (irq)
            cpu_log(cs, "%s: %016" PRIx64 ": IRQ taken at EL%u -> EL1 vector 0x%" PRIx64 "\n",
                    cpu_log_enabled(cs, LOG_INT) ? "int" : "trap", env->pc, env->el,
                    env->vbar_el1 + offset);
        else
            cpu_log(cs, "%s: %016" PRIx64 ": %s (ESR 0x%08x%s) at EL%u -> EL1 vector 0x%" PRIx64 "\n",
                    cpu_log_enabled(cs, LOG_INT) ? "int" : "trap", env->pc,
                    a64_ec_name(env->exc_syndrome >> 26), env->exc_syndrome,
                    env->exc_has_far ? ", FAR set" : "", env->el, env->vbar_el1 + offset);
    }
    if (!irq) {
        env->esr_el1 = env->exc_syndrome;
        if (env->exc_has_far)
            env->far_el1 = env->exc_far;
    }
    env->spsr_el1 = pstate;
    env->elr_el1 = env->pc;
    env->excl_addr = ~0ull;
    env->daif = PSTATE_DAIF;
    a64_switch_sp(env, 1, 1);
    env->pc = env->vbar_el1 + offset;
    cs->halted = false;
}

bool a64_exec_interrupt(CPUState *cs, uint32_t interrupt_request)
{
    CPUARMState *env = a64_env(cs);
    if ((interrupt_request & CPU_INTERRUPT_HARD) && !(env->daif & PSTATE_I)) {
        cs->exception_index = A64_EXCP_IRQ;
        a64_do_interrupt(cs);
        cs->exception_index = EXCP_NONE;
        return true;
    }
    return false;
}

/* ---- system instructions ---- */
void helper_a64_eret(CPUARMState *env)
{
    CPUState *cs = a64_cs(env);
    cpu_restore_state(cs, GETPC());
    uint32_t spsr = (uint32_t)env->spsr_el1;
    uint64_t elr = env->elr_el1;
    uint32_t m = spsr & 0x1f;
    A64_TRAP(env, "ERET to 0x%016" PRIx64 " (SPSR 0x%08x)", elr, spsr);
    /* an illegal return (AArch32, or to EL2/EL3, which do not exist):
     * PSTATE.IL set, EL kept; the next instruction then takes an illegal
     * execution state exception */
    if ((m & 0x10) || ((m >> 2) & 3) > 1 || m == 0x1 /* EL0 with SP_EL1 */ || (m & 2)) {
        a64_pstate_write(env, (spsr & ~0x1fu) | (env->el << PSTATE_EL_SHIFT) | env->spsel);
        env->pc = elr;
        a64_raise_sync(env, ((uint32_t)EC_ILLEGAL_STATE << 26) | ESR_IL, false, 0, 0);
    }
    a64_pstate_write(env, spsr);
    env->pc = elr;
    env->excl_addr = ~0ull;
}

/* pc is stored before the call: the exceptions need no restore */
void helper_a64_msr_pstate(CPUARMState *env, uint32_t field, uint32_t crm)
{
    switch (field) {
    case 0x05:                          /* SPSel */
        if (env->el == 0)
            a64_raise_sync(env, ((uint32_t)EC_UNCATEGORIZED << 26) | ESR_IL, false, 0, 0);
        a64_switch_sp(env, env->el, crm & 1);
        break;
    case 0x1e:                          /* DAIFSet */
    case 0x1f:                          /* DAIFClr */
        if (env->el == 0 && !(env->sctlr_el1 & SCTLR_UMA))
            a64_raise_sync(env, a64_sysreg_trap_syndrome(A64_SYSREG(0, 3, 4, crm, field & 7), 31, false),
                           false, 0, 0);
        if (field == 0x1e)
            env->daif |= (crm & 0xf) << 6;
        else
            env->daif &= ~((crm & 0xf) << 6);
        break;
    }
}

void helper_a64_wfi(CPUARMState *env)
{
    CPUState *cs = a64_cs(env);
    cpu_restore_state(cs, GETPC());
    if (env->el == 0 && !(env->sctlr_el1 & (1u << 16)))   /* nTWI */
        a64_raise_sync(env, ((uint32_t)EC_WFX << 26) | ESR_IL | (1u << 24) | (0xeu << 20), false, 0, 0);
    A64_TRAP(env, "WFI: the CPU sleeps until an interrupt (IRQs %s)",
             (env->daif & PSTATE_I) ? "masked" : "unmasked");
    env->pc += 4;
    cs->halted = true;
    cs->exception_index = EXCP_HLT;
    cpu_loop_exit(cs);
}

void helper_a64_hvc(CPUARMState *env, uint32_t imm)
{
    CPUState *cs = a64_cs(env);
    uintptr_t ra = GETPC();
    cpu_restore_state(cs, ra);
    if (env->hooks.psci_call && env->hooks.psci_call(env->hooks.opaque, env)) {
        if (cs->exception_index == EXCP_HLT) {
            /* the board powered the CPU off (CPU_OFF): sleep forever */
            env->pc += 4;
            cpu_loop_exit(cs);
        }
        return;
    }
    A64_TRAP(env, "HVC #%u, x0 = 0x%" PRIx64 ": no PSCI on this board, UNDEFINED (no EL2)", imm,
             env->xregs[0]);
    a64_raise_sync(env, ((uint32_t)EC_UNCATEGORIZED << 26) | ESR_IL, false, 0, 0);
}

void helper_a64_hlt(CPUARMState *env, uint32_t imm)
{
    CPUState *cs = a64_cs(env);
    cpu_restore_state(cs, GETPC());
    if (imm == 0xf000 && env->hooks.semihosting_call &&
        env->hooks.semihosting_call(env->hooks.opaque, env))
        return;
    a64_raise_sync(env, ((uint32_t)EC_UNCATEGORIZED << 26) | ESR_IL, false, 0, 0);
}

/* ---- memory ---- */
static void a64_check_align(CPUARMState *env, uint64_t addr, unsigned size, int mmu_idx, bool write,
                            uintptr_t ra)
{
    if (!(addr & (size - 1)))
        return;
    /* data abort, alignment fault (DFSC 0x21), FAR = addr */
    uint32_t ec = env->el == 0 ? EC_DATA_ABORT_LOWER : EC_DATA_ABORT_SAME;
    a64_raise_sync(env, (ec << 26) | ESR_IL | (write ? 1u << 6 : 0) | 0x21, true, addr, ra);
}

uint64_t helper_a64_ld_ordered(CPUARMState *env, uint64_t addr, uint32_t memop_idx)
{
    uintptr_t ra = GETPC();
    MemOp mop = (MemOp)(memop_idx & 0xff);
    int idx = (int)(memop_idx >> 8);
    a64_check_align(env, addr, 1u << (mop & MO_SIZE), idx, false, ra);
    return cpu_ld_mmu(a64_cs(env), addr, mop, idx, ra);
}

void helper_a64_st_ordered(CPUARMState *env, uint64_t addr, uint64_t val, uint32_t memop_idx)
{
    uintptr_t ra = GETPC();
    MemOp mop = (MemOp)(memop_idx & 0xff);
    int idx = (int)(memop_idx >> 8);
    a64_check_align(env, addr, 1u << (mop & MO_SIZE), idx, true, ra);
    cpu_st_mmu(a64_cs(env), addr, val, mop, idx, ra);
}

uint64_t helper_a64_ldxr(CPUARMState *env, uint64_t addr, uint32_t memop_idx)
{
    uintptr_t ra = GETPC();
    MemOp mop = (MemOp)(memop_idx & 0xff);
    int idx = (int)(memop_idx >> 8);
    a64_check_align(env, addr, 1u << (mop & MO_SIZE), idx, false, ra);
    uint64_t v = cpu_ld_mmu(a64_cs(env), addr, mop, idx, ra);
    env->excl_addr = addr;
    env->excl_size = 1u << (mop & MO_SIZE);
    env->excl_val = v;
    return v;
}

uint64_t helper_a64_ldxp(CPUARMState *env, uint64_t addr, uint32_t memop_idx)
{
    uintptr_t ra = GETPC();
    MemOp mop = (MemOp)(memop_idx & 0xff);
    int idx = (int)(memop_idx >> 8);
    unsigned size = 1u << (mop & MO_SIZE);
    a64_check_align(env, addr, 2 * size, idx, false, ra);
    uint64_t lo = cpu_ld_mmu(a64_cs(env), addr, mop, idx, ra);
    uint64_t hi = cpu_ld_mmu(a64_cs(env), addr + size, mop, idx, ra);
    env->excl_addr = addr;
    env->excl_size = 2 * size;
    env->excl_val = lo;
    env->excl_val2 = hi;
    return lo;
}

/* One CPU: the monitor holds while nothing cleared it (CLREX, an exception
 * entry or return, another exclusive load elsewhere). The status is 1 when
 * the monitor was open; the store does not happen then. Where the Arm ARM
 * leaves the outcome open (a store-exclusive of another size than the
 * load, or after an ordinary store changed the location), it fails, as
 * QEMU's compare-and-swap does: the location must still hold what the
 * exclusive load read. */
static bool a64_excl_holds(CPUARMState *env, uint64_t addr, unsigned size, MemOp mop, int idx,
                           uintptr_t ra, bool pair)
{
    if (env->excl_addr != addr || env->excl_size != size)
        return false;
    CPUState *cs = a64_cs(env);
    if (!pair)
        return cpu_ld_mmu(cs, addr, mop, idx, ra) == env->excl_val;
    unsigned half = size / 2;
    return cpu_ld_mmu(cs, addr, mop, idx, ra) == env->excl_val &&
           cpu_ld_mmu(cs, addr + half, mop, idx, ra) == env->excl_val2;
}

uint64_t helper_a64_stxr(CPUARMState *env, uint64_t addr, uint64_t val, uint32_t memop_idx)
{
    uintptr_t ra = GETPC();
    MemOp mop = (MemOp)(memop_idx & 0xff);
    int idx = (int)(memop_idx >> 8);
    a64_check_align(env, addr, 1u << (mop & MO_SIZE), idx, true, ra);
    if (!a64_excl_holds(env, addr, 1u << (mop & MO_SIZE), mop, idx, ra, false)) {
        env->excl_addr = ~0ull;
        return 1;
    }
    cpu_st_mmu(a64_cs(env), addr, val, mop, idx, ra);
    env->excl_addr = ~0ull;
    return 0;
}

uint64_t helper_a64_stxp(CPUARMState *env, uint64_t addr, uint64_t lo, uint64_t hi, uint32_t memop_idx)
{
    uintptr_t ra = GETPC();
    MemOp mop = (MemOp)(memop_idx & 0xff);
    int idx = (int)(memop_idx >> 8);
    unsigned size = 1u << (mop & MO_SIZE);
    a64_check_align(env, addr, 2 * size, idx, true, ra);
    if (!a64_excl_holds(env, addr, 2 * size, mop, idx, ra, true)) {
        env->excl_addr = ~0ull;
        return 1;
    }
    /* aligned to its total size: both halves are in one page, so a fault
     * can only come before the first lands */
    cpu_st_mmu(a64_cs(env), addr, lo, mop, idx, ra);
    cpu_st_mmu(a64_cs(env), addr + size, hi, mop, idx, ra);
    env->excl_addr = ~0ull;
    return 0;
}

/* ---- arithmetic ---- */
uint64_t helper_a64_udiv64(uint64_t n, uint64_t m)
{
    return m ? n / m : 0;
}

uint64_t helper_a64_sdiv64(uint64_t n, uint64_t m)
{
    if (!m)
        return 0;
    if ((int64_t)n == INT64_MIN && (int64_t)m == -1)
        return n;
    return (uint64_t)((int64_t)n / (int64_t)m);
}

uint64_t helper_a64_rbit64(uint64_t x)
{
    x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
    x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
    x = ((x >> 4) & 0x0f0f0f0f0f0f0f0full) | ((x & 0x0f0f0f0f0f0f0f0full) << 4);
    return __builtin_bswap64(x);
}

/* CRC-32 (0xEDB88320 reflected) or CRC-32C (0x82F63B78) over the low
 * `bytes` bytes of val, little-endian, as CRC32B/H/W/X do */
uint64_t helper_a64_crc32(uint64_t acc, uint64_t val, uint32_t desc)
{
    unsigned bytes = desc & 0xff;
    uint32_t poly = (desc >> 8) ? 0x82f63b78u : 0xedb88320u;
    uint32_t crc = (uint32_t)acc;
    for (unsigned i = 0; i < bytes; i++) {
        crc ^= (uint8_t)(val >> (8 * i));
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (poly & (0u - (crc & 1)));
    }
    return crc;
}
