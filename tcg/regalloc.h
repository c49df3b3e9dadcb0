/*
 * A host-neutral register allocator, driven op by op by a backend. The
 * backend describes its register file and gives four emit callbacks; the
 * allocator decides which temp lives in which host register and emits the
 * moves, loads, stores and constant loads that keep values where the IR
 * expects them (see the global write-back rules in tcg/tcg.h and
 * tcg/README.md). It knows no host ISA.
 */
#ifndef TCG_REGALLOC_H
#define TCG_REGALLOC_H

#include <stdint.h>
#include "tcg/tcg.h"

#define RA_MAX_REGS 32

typedef struct RAHostDesc {
    int nb_regs;               /* <= RA_MAX_REGS */
    uint32_t allocatable;      /* regs the allocator may hand out */
    uint32_t call_clobbered;   /* regs a helper call destroys */
    int env_reg;               /* holds TCG_ENV (a FIXED temp) */
    int frame_reg;             /* base register of the spill slots */
    int32_t frame_offset;      /* spill slot of temp i: frame_reg + frame_offset + 8 * i */
    int32_t frame_size;        /* bytes available for spill slots */
    const int8_t *order;       /* allocation preference, nb_order entries */
    int nb_order;
    void (*mov)(void *opaque, TCGType type, int dst, int src);
    void (*ld)(void *opaque, TCGType type, int reg, int base, int32_t off);
    void (*st)(void *opaque, TCGType type, int reg, int base, int32_t off);
    void (*movi)(void *opaque, TCGType type, int reg, uint64_t val);
    /* store a constant to [base + off]; must not change host flags */
    void (*sti)(void *opaque, TCGType type, uint64_t val, int base, int32_t off);
} RAHostDesc;

typedef struct RegAlloc {
    const RAHostDesc *host;
    void *opaque;              /* passed to the callbacks */
    TCGContext *s;
    int16_t reg_temp[RA_MAX_REGS]; /* temp held by each reg, -1 = free */
    uint32_t locked;           /* regs used by the current op: never evicted for it */
    const TCGOp *op;           /* current op (for its life bits) */
    bool gconst_any;           /* a pending constant store may exist (else none does) */
    uint64_t gconst[TCG_MAX_TEMPS]; /* value of a global assigned a constant, not yet stored */
} RegAlloc;

/* Begin a block: every register free, globals in memory, normal temps
 * without value, spill slots assigned. */
void ra_init(RegAlloc *ra, const RAHostDesc *host, void *opaque, TCGContext *s);
/* Begin / end one op. ra_op_end frees dead inputs and outputs (op->life). */
void ra_op_begin(RegAlloc *ra, const TCGOp *op);
void ra_op_end(RegAlloc *ra);

/* Temp t in a register of `allowed` (constants are loaded); locked until
 * ra_op_end. If `allowed` is a single register, its occupant moves to a
 * free unlocked register (evicted only when there is none). */
int ra_get_input(RegAlloc *ra, TCGv t, uint32_t allowed);
/* Register for output t. `reuse` are input registers whose value may be
 * overwritten (the input dies here, is a constant, or is t itself); one of
 * them is preferred over t's current register, so a copy from a dying
 * input costs nothing. If `allowed` is a single register, its occupant is
 * moved out of the way (to a free register, else stored) even when it is
 * an input of this op: the old register keeps its physical value until
 * the op's instruction writes it. */
int ra_alloc_output(RegAlloc *ra, TCGv t, uint32_t allowed, uint32_t reuse);
/* Does input i (index among inputs) die at this op, so its register may be
 * reused for an output? Constants count as dying (they reload for free). */
bool ra_input_reusable(RegAlloc *ra, int i);
/* Global t := constant val, kept as a pending store (no register) until
 * it is read or globals are synced. */
void ra_set_global_const(RegAlloc *ra, TCGv t, uint64_t val);
/* Is global t a pending constant (then *val is it)? */
bool ra_global_const(const RegAlloc *ra, TCGv t, uint64_t *val);
/* Make sure reg holds nothing the allocator still needs (stores if needed). */
void ra_evict(RegAlloc *ra, int reg);
/* Pick a free register of `allowed` for scratch use within the op (locked). */
int ra_alloc_scratch(RegAlloc *ra, uint32_t allowed);

/* Write dirty globals back to env; keep them cached. */
void ra_sync_globals(RegAlloc *ra);
/* Basic-block end: sync globals, spill live normal temps to their slots,
 * forget every register. An input of the current op (a brcond) that dies
 * there is not spilled; any other normal temp still in a register is live
 * after the block end (op->life freed it at its last use otherwise).
 * Emits stores only: register contents (e.g. of a brcond's inputs fetched
 * before) stay physically valid. */
void ra_bb_end(RegAlloc *ra);
/* Leaving the block (exit_tb, goto_ptr): sync globals, forget registers;
 * normal temps need no spill (code after this is reached only by a label). */
void ra_bb_exit(RegAlloc *ra);
/* After a label: every normal temp is assumed to be in its spill slot. */
void ra_label(RegAlloc *ra);
/* Before a helper call: sync globals unless NO_READ_GLOBALS, drop globals
 * from registers unless NO_WRITE_GLOBALS; a value in a call-clobbered
 * register moves to a free call-saved one (spilled when there is none;
 * dropped when it is an input dying at the call). Afterwards every
 * call-clobbered register is free. Only stores and register moves are
 * emitted, and never into a locked register: the backend locks the
 * registers it still reads the arguments from. */
void ra_before_call(RegAlloc *ra, uint32_t call_flags);
/* Mask of registers currently holding a value. */
uint32_t ra_live_regs(const RegAlloc *ra);

#endif
