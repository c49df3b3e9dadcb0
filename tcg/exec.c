/*
 * The exec loop: deliver pending exceptions and interrupts, find (or
 * translate) the block for the current guest state, chain it behind the
 * block that just exited, run it on the JIT or the interpreter, and decode
 * the TB|reason it returns. Also precise-state recovery (cpu_restore_state)
 * and the indirect-jump lookup helper generated code calls.
 * Must stay true: exit_request is cleared before interrupt_request is read
 * (a request raised in between is never lost), and after any longjmp back
 * here no TB pointer from before it is used for chaining.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "softmmu/memory.h"
#include "softmmu/tlb.h"
#include "tcg/tb-internal.h"

void cpu_common_init(CPUState *cpu, const CPUArchOps *ops, AddressSpace *as)
{
    cpu->ops = ops;
    cpu->as = as;
    cpu->exception_index = EXCP_NONE;
    cpu->can_do_io = true;
    cpu->chain_enabled = true;
    cpu->tlb_inline = true;
    tlb_init(cpu);
    cpu->tb_jmp_cache = calloc(TB_JMP_CACHE_SIZE, sizeof(TranslationBlock *));
    cpu->tb_jmp_cache_ptr = (uintptr_t)cpu->tb_jmp_cache;
    cpu->tcg = calloc(1, sizeof(TCGContext));
    cpu->tb_ctx = tb_context_new();
    if (!cpu->tb_jmp_cache || !cpu->tcg || !cpu->tb_ctx) {
        fprintf(stderr, "kasou: out of memory creating the CPU\n");
        exit(1);
    }
    tcg_context_init(cpu->tcg);
    if (ops->tcg_init)
        ops->tcg_init(cpu, cpu->tcg);
    /* DMA into pages holding code must drop the blocks translated from
     * them; one CPU per address space for now. */
    if (as && !as->code_write_notify) {
        as->code_write_notify = tb_code_write_notify;
        as->code_write_opaque = cpu;
    }
}

void cpu_common_free(CPUState *cpu)
{
    if (cpu->as && cpu->as->code_write_opaque == cpu) {
        cpu->as->code_write_notify = NULL;
        cpu->as->code_write_opaque = NULL;
    }
    tb_context_free(cpu->tb_ctx);
    cpu->tb_ctx = NULL;
    tlb_free(cpu);
    free(cpu->tb_jmp_cache);
    cpu->tb_jmp_cache = NULL;
    cpu->tb_jmp_cache_ptr = 0;
    if (cpu->tcg) {
        /* tcg_context_init's two allocations (tcg.h has no destructor) */
        free(cpu->tcg->op_pool);
        free(cpu->tcg->labels);
        free(cpu->tcg);
        cpu->tcg = NULL;
    }
}

void cpu_interrupt(CPUState *cpu, uint32_t mask)
{
    __atomic_fetch_or(&cpu->interrupt_request, mask, __ATOMIC_SEQ_CST);
    __atomic_store_n(&cpu->exit_request, 1, __ATOMIC_SEQ_CST);
}

void cpu_reset_interrupt(CPUState *cpu, uint32_t mask)
{
    __atomic_fetch_and(&cpu->interrupt_request, ~mask, __ATOMIC_SEQ_CST);
}

void cpu_exit(CPUState *cpu)
{
    cpu_interrupt(cpu, CPU_INTERRUPT_EXIT);
}

void cpu_loop_exit(CPUState *cpu)
{
    cpu->current_tb = NULL;
    if (!cpu->jmp_env) {
        fprintf(stderr, "kasou: guest exception 0x%x raised outside the exec loop\n", cpu->exception_index);
        abort();
    }
    longjmp(*cpu->jmp_env, 1);
}

bool cpu_restore_state(CPUState *cpu, uintptr_t host_pc)
{
    if (host_pc == 0)
        return false;
    if (host_pc == TCG_RETADDR_INTERP || (cpu->use_interp && cpu->interp_tb)) {
        if (!cpu->interp_tb)
            return false;
        cpu->ops->restore_state_to_opc(cpu, cpu->interp_tb, cpu->interp_insn_data);
        return true;
    }
    TranslationBlock *tb = tb_find_by_host_pc(cpu, host_pc);
    if (!tb || !tb->nb_insns || !tb->insn_end_off || !tb->insn_data)
        return false;
    /* host_pc is a return address: the call lies just before it, in the
     * instruction whose host range [end[i-1], end[i]) holds host_pc - 1. */
    uintptr_t off = host_pc - 1 - (uintptr_t)tb->host_code;
    uint32_t i = 0;
    while (i < tb->nb_insns && tb->insn_end_off[i] <= off)
        i++;
    if (i == tb->nb_insns) {
        /* Past the last instruction's inline code: an out-of-line slow path
         * the backend did not map. The best guess is the last instruction. */
        i = tb->nb_insns - 1;
    }
    cpu->ops->restore_state_to_opc(cpu, tb, tb->insn_data[i]);
    return true;
}

void cpu_loop_exit_restore(CPUState *cpu, uintptr_t host_pc)
{
    cpu_restore_state(cpu, host_pc);
    cpu_loop_exit(cpu);
}

/* ---- indirect jumps ---- */

void *helper_lookup_tb_ptr(CPUState *cpu)
{
    uint64_t pc, cs_base;
    uint32_t flags;
    if (!cpu->chain_enabled)
        return cpu->use_interp ? NULL : (void *)jit_exit_path();
    cpu->ops->get_tb_cpu_state(cpu, &pc, &cs_base, &flags);
    TranslationBlock *tb = tb_lookup(cpu, pc, cs_base, flags, tb_cpu_cflags(cpu));
    if (cpu->use_interp)
        return tb;
    if (!tb || !tb->host_code)
        return (void *)jit_exit_path();
    if (cpu_log_enabled(cpu, LOG_EXEC))
        cpu_log(cpu, "Lookup %p [%016" PRIx64 "/%08x]\n", (void *)tb->host_code, pc, flags);
    return tb->host_code;
}

/* tcg_helper_info_lookup_tb_ptr and tcg_gen_lookup_and_goto_ptr live in
 * tcg/tcg.c with the rest of the builder. */

/* ---- the loop ---- */

/* An exception_index waiting: deliver a guest one, or turn one of kasou's
 * own into the loop's return value (*ret). */
static bool cpu_handle_exception(CPUState *cpu, int *ret)
{
    int excp = cpu->exception_index;
    if (excp < 0)
        return false;
    if (excp >= EXCP_INTERRUPT) {
        cpu->exception_index = EXCP_NONE;
        if (excp == EXCP_HLT || excp == EXCP_HALTED) {
            cpu->halted = true;
            if (cpu->ops->has_work && cpu->ops->has_work(cpu)) {
                cpu->halted = false;
                return false;
            }
            *ret = EXCP_HALTED;
            return true;
        }
        *ret = excp;
        return true;
    }
    /* -d int lines are the guest's do_interrupt's to print: it knows the vector's meaning */
    cpu->ops->do_interrupt(cpu);
    cpu->exception_index = EXCP_NONE;
    return false;
}

/* Pending requests: EXIT leaves the loop; anything else goes to the guest,
 * which takes it if it accepts interrupts now. Returns true if the loop
 * must return *ret. */
static bool cpu_handle_interrupt(CPUState *cpu, int *ret, bool *took)
{
    if (__atomic_load_n(&cpu->exit_request, __ATOMIC_RELAXED))
        __atomic_store_n(&cpu->exit_request, 0, __ATOMIC_SEQ_CST);
    uint32_t req = __atomic_load_n(&cpu->interrupt_request, __ATOMIC_SEQ_CST);
    if (!req)
        return false;
    if (req & CPU_INTERRUPT_EXIT) {
        cpu_reset_interrupt(cpu, CPU_INTERRUPT_EXIT);
        *ret = EXCP_INTERRUPT;
        return true;
    }
    if (cpu->ops->exec_interrupt && cpu->ops->exec_interrupt(cpu, req))
        *took = true;
    /* exec_interrupt may have queued an exception instead of delivering */
    return cpu_handle_exception(cpu, ret);
}

static uintptr_t cpu_tb_exec(CPUState *cpu, TranslationBlock *tb)
{
    if (cpu_log_enabled(cpu, LOG_CPU) && cpu->ops->dump_state)
        cpu->ops->dump_state(cpu, cpu->logfile ? cpu->logfile : stderr);
    if (cpu_log_enabled(cpu, LOG_EXEC))
        cpu_log(cpu, "Trace %p [%016" PRIx64 "/%08x]\n",
                tb->host_code ? (void *)tb->host_code : (void *)tb, tb->pc, tb->flags);
    cpu->current_tb = tb;
    uintptr_t r = cpu->use_interp ? interp_exec(cpu, tb) : jit_exec(cpu, tb->host_code);
    cpu->current_tb = NULL;
    return r;
}

static int cpu_exec_loop(CPUState *cpu)
{
    TranslationBlock *last_tb = NULL;
    int last_exit = 0;
    uint64_t last_flush = cpu->tb_ctx->flush_count;
    int ret;

    for (;;) {
        if (cpu_handle_exception(cpu, &ret))
            return ret;
        bool took = false;
        if (cpu_handle_interrupt(cpu, &ret, &took))
            return ret;
        if (took) {
            last_tb = NULL;   /* control went to the guest's handler */
            cpu->halted = false;
        }
        if (cpu->halted) {
            if (!cpu->ops->has_work || !cpu->ops->has_work(cpu))
                return EXCP_HALTED;
            cpu->halted = false;
        }

        uint64_t pc, cs_base;
        uint32_t flags;
        cpu->ops->get_tb_cpu_state(cpu, &pc, &cs_base, &flags);
        uint32_t cflags = tb_cpu_cflags(cpu) | cpu->tb_ctx->cflags_next;
        cpu->tb_ctx->cflags_next = 0;
        TranslationBlock *tb = tb_lookup(cpu, pc, cs_base, flags, cflags);
        if (!tb)
            tb = tb_gen_code(cpu, pc, cs_base, flags, cflags);
        if (cpu->tb_ctx->flush_count != last_flush) {
            last_flush = cpu->tb_ctx->flush_count;
            last_tb = NULL;   /* freed by the flush */
        }
        if (last_tb && cpu->chain_enabled)
            tb_add_jump(last_tb, last_exit, tb);

        uintptr_t r = cpu_tb_exec(cpu, tb);
        last_tb = (TranslationBlock *)(r & ~(uintptr_t)TB_EXIT_MASK);
        last_exit = (int)(r & TB_EXIT_MASK);
        if (last_exit == TB_EXIT_REQUESTED && last_tb->nb_insns) {
            /* Left at its exit_check before running anything: a block
             * entered by chaining has not stored its pc yet. */
            cpu->ops->restore_state_to_opc(cpu, last_tb, last_tb->insn_data[0]);
        }
        if (last_exit > TB_EXIT_IDX1)
            last_tb = NULL;
    }
}

int cpu_exec(CPUState *cpu)
{
    jmp_buf env;
    jmp_buf *volatile saved = cpu->jmp_env;
    int ret;

    /* Still halted with nothing to do: the caller waits and calls again.
     * (halted is cleared only by the loop, once work is taken.) */
    if (cpu->halted && cpu->exception_index < 0 && !cpu->interrupt_request &&
        (!cpu->ops->has_work || !cpu->ops->has_work(cpu)))
        return EXCP_HALTED;
    cpu->jmp_env = &env;
    if (setjmp(env)) {
        /* Back from cpu_loop_exit: exception_index says why. */
        cpu->current_tb = NULL;
        cpu->jmp_env = &env;
    }
    ret = cpu_exec_loop(cpu);
    cpu->jmp_env = saved;
    return ret;
}
