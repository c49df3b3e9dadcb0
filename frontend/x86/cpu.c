/*
 * The x86 CPU object: creation, architectural reset, the multiboot entry
 * state, hflags (the mode bits keying translation blocks), the INTR pin,
 * and the CPUArchOps the exec loop calls.
 * What must stay true: hflags are a pure function of CR0/CR4, EFLAGS, DR7
 * and the segment caches (plus the interrupt shadow), recomputed by
 * x86_update_hflags after any of them changes; the TB key folds the EFLAGS
 * bits in again so a stale hflags can never select the wrong block.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <capstone/capstone.h>
#include "frontend/x86/cpu.h"
#include "frontend/x86/cpuid.h"
#include "softmmu/tlb.h"

#define X86_SEG_DATA_FLAGS (DESC_P_MASK | DESC_S_MASK | DESC_W_MASK | DESC_A_MASK)
#define X86_SEG_CODE_FLAGS (DESC_P_MASK | DESC_S_MASK | DESC_CS_MASK | DESC_R_MASK | DESC_A_MASK)

void x86_update_hflags(CPUX86State *env)
{
    uint32_t hf = env->hflags & HF_INHIBIT_IRQ_MASK;
    uint64_t cr0 = env->cr[0];
    uint64_t efl = env->eflags;

    if (cr0 & X86_CR0_PE) {
        hf |= HF_PE_MASK;
        if (cr0 & X86_CR0_PG)
            hf |= HF_PG_MASK;
    }
    if (cr0 & X86_CR0_MP) hf |= HF_MP_MASK;
    if (cr0 & X86_CR0_EM) hf |= HF_EM_MASK;
    if (cr0 & X86_CR0_TS) hf |= HF_TS_MASK;
    if (env->cr[4] & (1u << 9)) hf |= HF_OSFXSR_MASK;
    if (efl & TF_MASK) hf |= HF_TF_MASK;
    if (efl & VM_MASK) hf |= HF_VM_MASK;
    hf |= (uint32_t)((efl & IOPL_MASK) >> 12) << HF_IOPL_SHIFT;
    hf |= x86_dr7_hflags(env->dr[7]);

    /* CPL is the DPL of SS, as on real parts (equal to CS.RPL except in
     * conforming code); 0 in real mode, 3 in vm86 */
    if (!(cr0 & X86_CR0_PE))
        ;
    else if (efl & VM_MASK)
        hf |= 3;
    else
        hf |= (env->segs[R_SS].flags >> DESC_DPL_SHIFT) & 3;

    bool vm = (efl & VM_MASK) != 0;
    if (env->efer & X86_EFER_LMA) {
        hf |= HF_LMA_MASK;
        /* 64-bit submode: CS.L; CS.D must be 0 there (a CS load checks) */
        if (env->segs[R_CS].flags & DESC_L_MASK)
            hf |= HF_CS64_MASK | HF_CS32_MASK | HF_SS32_MASK;
    }
    if (!vm && (env->segs[R_CS].flags & DESC_B_MASK)) hf |= HF_CS32_MASK;
    if (!vm && (env->segs[R_SS].flags & DESC_B_MASK)) hf |= HF_SS32_MASK;
    /* 64-bit mode ignores the DS/ES/SS bases: never add them */
    if (!(hf & HF_CS64_MASK) &&
        (!(cr0 & X86_CR0_PE) || vm || !(hf & HF_CS32_MASK) ||
         (env->segs[R_DS].base | env->segs[R_ES].base | env->segs[R_SS].base) != 0))
        hf |= HF_ADDSEG_MASK;
    hf |= x86_seg_chk_hflags(env, hf);
    env->hflags = hf;
}

static uint32_t x86_tb_flags(CPUX86State *env)
{
    uint32_t hf = env->hflags & ~(HF_TF_MASK | HF_VM_MASK | HF_IOPL_MASK);
    if (env->eflags & TF_MASK) hf |= HF_TF_MASK;
    if (env->eflags & VM_MASK) hf |= HF_VM_MASK;
    hf |= (uint32_t)((env->eflags & IOPL_MASK) >> 12) << HF_IOPL_SHIFT;
    /* RF is cleared as the next insn starts: the breakpoint check does it */
    if (env->eflags & RF_MASK) hf |= HF_DBGX_MASK;
    return hf;
}

static void x86_get_tb_cpu_state(CPUState *cs, uint64_t *pc, uint64_t *cs_base, uint32_t *flags)
{
    CPUX86State *env = x86_env(cs);
    *flags = x86_tb_flags(env);
    if (*flags & HF_CS64_MASK) {   /* the CS base is 0 in 64-bit mode */
        *cs_base = 0;
        *pc = env->eip;
    } else {
        *cs_base = env->segs[R_CS].base;
        *pc = (uint32_t)(env->segs[R_CS].base + env->eip);
    }
}

static void x86_restore_state_to_opc(CPUState *cs, const TranslationBlock *tb, const uint64_t *data)
{
    CPUX86State *env = x86_env(cs);
    uint64_t eip = data[0] - tb->cs_base;
    env->eip = (tb->flags & HF_CS64_MASK) ? eip
             : (tb->flags & HF_CS32_MASK) ? (uint32_t)eip : (eip & 0xffff);
    if (data[1] != CC_OP_DYNAMIC)
        env->cc_op = (uint32_t)data[1];
}

static bool x86_has_work(CPUState *cs)
{
    CPUX86State *env = x86_env(cs);
    /* only what the guest would take: waking resumes after the HLT */
    return ((cs->interrupt_request & CPU_INTERRUPT_HARD) && (env->eflags & IF_MASK)) ||
           (cs->interrupt_request & CPU_INTERRUPT_NMI);
}

static uint64_t x86_get_pc(CPUState *cs)
{
    CPUX86State *env = x86_env(cs);
    if (env->hflags & HF_CS64_MASK)
        return env->eip;
    return (uint32_t)(env->segs[R_CS].base + env->eip);
}

static void x86_disas_mode(CPUState *cs, uint32_t tb_flags, int *cs_arch, int *cs_mode)
{
    *cs_arch = CS_ARCH_X86;
    *cs_mode = (tb_flags & HF_CS64_MASK) ? CS_MODE_64
             : (tb_flags & HF_CS32_MASK) ? CS_MODE_32 : CS_MODE_16;
}

static void x86_dump_state(CPUState *cs, FILE *f)
{
    CPUX86State *env = x86_env(cs);
    static const char seg_names[R_NB_SEGS][3] = { "ES", "CS", "SS", "DS", "FS", "GS" };
    uint32_t efl = x86_compute_eflags(env);
    if (env->hflags & HF_LMA_MASK) {
        static const char names[CPU_NB_REGS][4] = { "RAX", "RCX", "RDX", "RBX", "RSP", "RBP",
                                                    "RSI", "RDI", "R8", "R9", "R10", "R11",
                                                    "R12", "R13", "R14", "R15" };
        for (int i = 0; i < CPU_NB_REGS; i++)
            fprintf(f, "%-3s=%016" PRIx64 "%s", names[i], env->regs[i], (i & 3) == 3 ? "\n" : " ");
        fprintf(f, "RIP=%016" PRIx64 " EFER=%016" PRIx64 " CS64=%d\n", env->eip, env->efer,
                (env->hflags & HF_CS64_MASK) != 0);
    }
    fprintf(f, "EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n", (uint32_t)env->regs[R_EAX],
            (uint32_t)env->regs[R_EBX], (uint32_t)env->regs[R_ECX], (uint32_t)env->regs[R_EDX]);
    fprintf(f, "ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n", (uint32_t)env->regs[R_ESI],
            (uint32_t)env->regs[R_EDI], (uint32_t)env->regs[R_EBP], (uint32_t)env->regs[R_ESP]);
    fprintf(f, "EIP=%08x EFL=%08x [%c%c%c%c%c%c%c] CPL=%d II=%d HLT=%d\n", (uint32_t)env->eip, efl,
            efl & DF_MASK ? 'D' : '-', efl & CC_O ? 'O' : '-', efl & CC_S ? 'S' : '-',
            efl & CC_Z ? 'Z' : '-', efl & CC_A ? 'A' : '-', efl & CC_P ? 'P' : '-',
            efl & CC_C ? 'C' : '-', env->hflags & HF_CPL_MASK,
            (env->hflags & HF_INHIBIT_IRQ_MASK) != 0, cs->halted);
    for (int i = 0; i < R_NB_SEGS; i++) {
        const SegmentCache *sc = &env->segs[i];
        fprintf(f, "%s =%04x %08x %08x %08x\n", seg_names[i], sc->selector, (uint32_t)sc->base,
                sc->limit, sc->flags);
    }
    fprintf(f, "LDT=%04x %08x %08x %08x\n", env->ldt.selector, (uint32_t)env->ldt.base,
            env->ldt.limit, env->ldt.flags);
    fprintf(f, "TR =%04x %08x %08x %08x\n", env->tr.selector, (uint32_t)env->tr.base,
            env->tr.limit, env->tr.flags);
    fprintf(f, "GDT=     %08x %08x\nIDT=     %08x %08x\n", (uint32_t)env->gdt.base,
            env->gdt.limit, (uint32_t)env->idt.base, env->idt.limit);
    fprintf(f, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n", (uint32_t)env->cr[0], (uint32_t)env->cr[2],
            (uint32_t)env->cr[3], (uint32_t)env->cr[4]);
    fprintf(f, "CCS=%08x CCD=%08x CCO=%d HF=%08x\n", (uint32_t)env->cc_src, (uint32_t)env->cc_dst,
            env->cc_op, env->hflags);
}

const CPUArchOps x86_arch_ops = {
    .name = "x86",
    .get_tb_cpu_state = x86_get_tb_cpu_state,
    .translator = &x86_translator_ops,
    .do_interrupt = x86_do_interrupt,
    .exec_interrupt = x86_exec_interrupt,
    .watch_hit = x86_watch_hit,
    .has_work = x86_has_work,
    .tlb_fill = x86_tlb_fill,
    .restore_state_to_opc = x86_restore_state_to_opc,
    .dump_state = x86_dump_state,
    .disas_mode = x86_disas_mode,
    .get_pc = x86_get_pc,
    .tcg_init = x86_tcg_init,
};

/* CPU models: QEMU's names and family/model/stepping, with only the
 * features kasou implements. The one-line places where the FPU and SIMD
 * work add their bits are marked "x87:" and "sse:". */
typedef struct X86CPUModel {
    const char *name;
    uint32_t level, xlevel;  /* highest basic / extended leaf */
    uint32_t version;        /* CPUID.1 EAX */
    uint32_t features;       /* CPUID.1 EDX */
    uint32_t ext_features;   /* CPUID.1 ECX */
    uint32_t ext2_features;  /* CPUID.80000001h EDX */
    uint32_t ext3_features;  /* CPUID.80000001h ECX */
    uint32_t phys_bits;      /* CPUID.80000008h EAX[7:0] (36 without that leaf) */
} X86CPUModel;

/* What the system side implements, for every model that has it */
#define X86_BASE_FEATURES (CPUID_VME | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_CX8 | CPUID_PGE | \
                           CPUID_CMOV)
#define X86_P6_FEATURES (X86_BASE_FEATURES | CPUID_PAE | CPUID_PAT | CPUID_PSE36 | CPUID_MTRR | CPUID_SEP)
/* the x87 of fpu_helper.c */
#define X86_FPU_FEATURES CPUID_FPU
/* sse: | CPUID_MMX | CPUID_FXSR | CPUID_SSE | CPUID_SSE2 (leaf 1 EDX) */
#define X86_SIMD_FEATURES (CPUID_MMX | CPUID_FXSR | CPUID_SSE | CPUID_SSE2)
/* sse: | CPUID_EXT_SSE3 | CPUID_EXT_SSSE3 | CPUID_EXT_SSE41 | CPUID_EXT_SSE42 | CPUID_EXT_POPCNT */
#define X86_SIMD_EXT_FEATURES (CPUID_EXT_SSE3 | CPUID_EXT_SSSE3 | CPUID_EXT_SSE41 | CPUID_EXT_SSE42 | CPUID_EXT_POPCNT)
/* sse: | CPUID_EXT3_ABM (LZCNT) */
#define X86_SIMD_EXT3_FEATURES CPUID_EXT3_ABM
/* CMPXCHG16B (translate-alu.c) */
#define X86_LM_EXT_FEATURES CPUID_EXT_CX16
#define X86_LM_EXT2_FEATURES (CPUID_EXT2_LM | CPUID_EXT2_NX | CPUID_EXT2_SYSCALL)

static const X86CPUModel x86_cpu_models[] = {
    /* as QEMU's qemu32: no MTRR, no PSE-36 */
    { "qemu32", 4, 0x80000004u, (6u << 8) | (6u << 4) | 3u,
      (X86_P6_FEATURES & ~(CPUID_MTRR | CPUID_PSE36)) | X86_FPU_FEATURES | X86_SIMD_FEATURES,
      X86_SIMD_EXT_FEATURES, 0, 0, 36 },
    { "qemu64", 7, 0x80000008u, (15u << 8) | (6u << 4) | 1u,
      X86_P6_FEATURES | CPUID_CLFSH | X86_FPU_FEATURES | X86_SIMD_FEATURES,
      X86_SIMD_EXT_FEATURES | X86_LM_EXT_FEATURES, X86_LM_EXT2_FEATURES,
      CPUID_EXT3_LAHF_LM | X86_SIMD_EXT3_FEATURES, 40 },
    /* max: level 0xD for the XSAVE leaf (xsave_helper.c); qemu64 has no
     * XSAVE in QEMU either */
    { "max", 0xd, 0x80000008u, (6u << 8) | (6u << 4) | 3u,
      X86_P6_FEATURES | CPUID_CLFSH | X86_FPU_FEATURES | X86_SIMD_FEATURES,
      X86_SIMD_EXT_FEATURES | X86_LM_EXT_FEATURES | CPUID_EXT_XSAVE,
      X86_LM_EXT2_FEATURES | CPUID_EXT2_PDPE1GB | CPUID_EXT2_RDTSCP,
      CPUID_EXT3_LAHF_LM | X86_SIMD_EXT3_FEATURES, 40 },
    { "pentium", 1, 0, (5u << 8) | (4u << 4) | 3u,
      CPUID_VME | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_CX8 | X86_FPU_FEATURES, 0, 0, 0, 32 },
};

static void x86_cpu_set_identity(CPUX86State *env, const X86CPUModel *m)
{
    static const char vendor[12] = "GenuineIntel";
    memcpy(env->cpuid_vendor, vendor, 12);
    env->cpuid_level = m->level;
    env->cpuid_xlevel = m->xlevel;
    env->cpuid_version = m->version;
    env->cpuid_features = m->features;
    env->cpuid_ext_features = m->ext_features;
    env->cpuid_ext2_features = m->ext2_features;
    env->cpuid_ext3_features = m->ext3_features;
    env->cpuid_phys_bits = m->phys_bits;
}

static void seg_set(SegmentCache *sc, uint32_t sel, uint64_t base, uint32_t limit, uint32_t flags)
{
    sc->selector = sel;
    sc->base = base;
    sc->limit = limit;
    sc->flags = flags;
}

void x86_cpu_reset(X86CPU *cpu)
{
    CPUX86State *env = cpu;
    CPUState *cs = env_cpu(env);
    /* keep the board's wiring and the CPU model across reset */
    int (*pic)(void *) = env->get_pic_interrupt;
    void *pic_opaque = env->pic_opaque;
    void (*apic_set_tpr)(void *, uint8_t) = env->apic_set_tpr;
    uint8_t (*apic_get_tpr)(void *) = env->apic_get_tpr;
    void (*apic_set_base)(void *, uint64_t) = env->apic_set_base;
    void *apic_opaque = env->apic_opaque;
    void (*set_ferr)(void *, int) = env->set_ferr;
    void *ferr_opaque = env->ferr_opaque;
    uint32_t phys_bits = env->cpuid_phys_bits;
    bool has_apic = env->has_apic;
    uint32_t id[10] = { env->cpuid_level, env->cpuid_version, env->cpuid_features,
                        env->cpuid_ext_features, env->cpuid_ext2_features,
                        env->cpuid_ext3_features, env->cpuid_xlevel, env->cpuid_vendor[0],
                        env->cpuid_vendor[1], env->cpuid_vendor[2] };
    memset((char *)env + sizeof(CPUState), 0, sizeof(*env) - sizeof(CPUState));
    env->get_pic_interrupt = pic;
    env->pic_opaque = pic_opaque;
    env->apic_set_tpr = apic_set_tpr;
    env->apic_get_tpr = apic_get_tpr;
    env->apic_set_base = apic_set_base;
    env->apic_opaque = apic_opaque;
    env->set_ferr = set_ferr;
    env->ferr_opaque = ferr_opaque;
    env->cpuid_level = id[0]; env->cpuid_version = id[1]; env->cpuid_features = id[2];
    env->cpuid_ext_features = id[3]; env->cpuid_ext2_features = id[4];
    env->cpuid_ext3_features = id[5]; env->cpuid_xlevel = id[6];
    env->cpuid_vendor[0] = id[7]; env->cpuid_vendor[1] = id[8]; env->cpuid_vendor[2] = id[9];
    env->cpuid_phys_bits = phys_bits;
    env->has_apic = has_apic;

    env->eflags = 0x2;
    env->df = 1;
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = 0;
    env->eip = 0xfff0;
    env->regs[R_EDX] = env->cpuid_version;
    seg_set(&env->segs[R_CS], 0xf000, 0xffff0000u, 0xffff, X86_SEG_CODE_FLAGS);
    for (int i = 0; i < R_NB_SEGS; i++)
        if (i != R_CS)
            seg_set(&env->segs[i], 0, 0, 0xffff, X86_SEG_DATA_FLAGS);
    seg_set(&env->ldt, 0, 0, 0xffff, DESC_P_MASK | (2u << DESC_TYPE_SHIFT));
    seg_set(&env->tr, 0, 0, 0xffff, DESC_P_MASK | (11u << DESC_TYPE_SHIFT));
    env->gdt.limit = 0xffff;
    env->idt.limit = 0xffff;
    env->cr[0] = 0x60000010u;   /* CD, NW, ET */
    env->a20_mask = ~0ull;      /* A20 enabled, as QEMU's pc board starts */
    env->dr[6] = 0xffff0ff0u;
    env->dr[7] = 0x400;
    env->db_pending = 0;
    tlb_set_watch_pages(env_cpu(env), NULL, 0);   /* no data breakpoint */
    env->old_exception = -1;
    env->tsc_offset = 0 - x86_host_ns();   /* the TSC counts from 0 at reset */
    env->msr_pat = 0x0007040600070406ull;
    /* BSP; globally enabled when the board has an APIC (it sets has_apic or
     * CPUID.APIC, then resets the CPU) */
    bool apic = env->has_apic || (env->cpuid_features & CPUID_APIC);
    env->msr_apicbase = 0xfee00000u | (1u << 8) | (apic ? 1u << 11 : 0);
    env->msr_misc_enable = 1;                      /* fast strings */
    env->fpuc = X86_FPUC_DEFAULT;
    memset(env->fptags, 1, sizeof(env->fptags));   /* all empty */
    env->mxcsr = X86_MXCSR_DEFAULT;
    env->xcr0 = 1;                                  /* x87 state always enabled */
    env->hflags = 0;
    x86_update_hflags(env);

    cs->halted = false;
    cs->exception_index = EXCP_NONE;
    cs->interrupt_request &= ~(uint32_t)CPU_INTERRUPT_RESET;
    if (cs->tlb_table[0])
        tlb_flush(cs);
}

void x86_cpu_set_flat32(X86CPU *cpu, uint32_t eip, uint32_t eax, uint32_t ebx)
{
    CPUX86State *env = cpu;
    const uint32_t flat = DESC_G_MASK | DESC_B_MASK;
    /* QEMU's multiboot selectors: code 0x10, data 0x18; the GDTR stays
     * whatever it was (multiboot: the guest loads its own) */
    seg_set(&env->segs[R_CS], 0x10, 0, 0xffffffffu, X86_SEG_CODE_FLAGS | flat);
    for (int i = 0; i < R_NB_SEGS; i++)
        if (i != R_CS)
            seg_set(&env->segs[i], 0x18, 0, 0xffffffffu, X86_SEG_DATA_FLAGS | flat);
    env->cr[0] = X86_CR0_PE | X86_CR0_ET;
    env->eflags = 0x2;
    env->df = 1;
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = 0;
    env->eip = eip;
    env->regs[R_EAX] = eax;
    env->regs[R_EBX] = ebx;
    env->hflags = 0;
    x86_update_hflags(env);
    if (env_cpu(env)->tlb_table[0])
        tlb_flush(env_cpu(env));
}

void x86_cpu_set_irq_level(X86CPU *cpu, int level)
{
    if (level)
        cpu_interrupt(env_cpu(cpu), CPU_INTERRUPT_HARD);
    else
        cpu_reset_interrupt(env_cpu(cpu), CPU_INTERRUPT_HARD);
}

X86CPU *x86_cpu_new(AddressSpace *mem, AddressSpace *io, const char *model)
{
    const X86CPUModel *m = NULL;
    for (size_t i = 0; i < sizeof(x86_cpu_models) / sizeof(x86_cpu_models[0]); i++)
        if (!model || !strcmp(model, x86_cpu_models[i].name)) {
            m = &x86_cpu_models[i];
            break;
        }
    if (!m)
        return NULL;
    size_t size = (sizeof(CPUX86State) + 63) & ~(size_t)63;
    CPUX86State *env = aligned_alloc(64, size);
    if (!env)
        return NULL;
    memset(env, 0, size);
    cpu_common_init(&env->parent, &x86_arch_ops, mem);
    env->parent.io_as = io;
    x86_cpu_set_identity(env, m);
    x86_cpu_reset(env);
    return env;
}
