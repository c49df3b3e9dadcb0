/*
 * The x86 guest CPU: architectural state, mode flags that key translation
 * blocks (hflags), lazy condition codes, and the entry points the rest of
 * the frontend shares. Registers are 64 bits wide so the layout serves
 * 16-, 32- and 64-bit modes; 32-bit code uses the low halves.
 */
#ifndef FRONTEND_X86_CPU_H
#define FRONTEND_X86_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "tcg/cpu.h"

enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI, CPU_NB_REGS = 16 };
enum { R_ES, R_CS, R_SS, R_DS, R_FS, R_GS, R_NB_SEGS = 6 };

/* EFLAGS bits */
#define CC_C 0x0001u
#define CC_P 0x0004u
#define CC_A 0x0010u
#define CC_Z 0x0040u
#define CC_S 0x0080u
#define CC_O 0x0800u
#define CC_ALL (CC_C | CC_P | CC_A | CC_Z | CC_S | CC_O)
#define TF_MASK   0x00000100u
#define IF_MASK   0x00000200u
#define DF_MASK   0x00000400u
#define IOPL_MASK 0x00003000u
#define NT_MASK   0x00004000u
#define RF_MASK   0x00010000u
#define VM_MASK   0x00020000u
#define AC_MASK   0x00040000u
#define VIF_MASK  0x00080000u
#define VIP_MASK  0x00100000u
#define ID_MASK   0x00200000u

/* Lazy condition codes: flags are derived from (cc_op, cc_dst, cc_src,
 * cc_src2) when read. The suffix is the operand size (B/W/L/Q). */
#define CC_OP_SIZES(X) X##B, X##W, X##L, X##Q
typedef enum CCOp {
    CC_OP_DYNAMIC,   /* translation time only: cc_op must be read from env */
    CC_OP_EFLAGS,    /* cc_src holds the flags (CC_ALL bits) */
    CC_OP_CLR,       /* flags after XOR r,r: Z and P set */
    CC_OP_SIZES(CC_OP_MUL),   /* dst = result, src = nonzero if high part significant */
    CC_OP_SIZES(CC_OP_ADD),   /* dst = result, src = second operand */
    CC_OP_SIZES(CC_OP_ADC),   /* dst = result, src = second operand, src2 = carry in */
    CC_OP_SIZES(CC_OP_SUB),   /* dst = result, src = second operand */
    CC_OP_SIZES(CC_OP_SBB),   /* dst = result, src = second operand, src2 = borrow in */
    CC_OP_SIZES(CC_OP_LOGIC), /* dst = result */
    CC_OP_SIZES(CC_OP_INC),   /* dst = result, src = old CF */
    CC_OP_SIZES(CC_OP_DEC),   /* dst = result, src = old CF */
    CC_OP_SIZES(CC_OP_SHL),   /* dst = result, src = value shifted by count-1 */
    CC_OP_SIZES(CC_OP_SAR),   /* dst = result, src = value shifted by count-1 (SHR too) */
    CC_OP_SIZES(CC_OP_BMILG), /* dst = result, src = CF (BSF/BSR/BT style: Z from dst) */
    CC_OP_NB,
} CCOp;

typedef struct SegmentCache {
    uint32_t selector;
    uint64_t base;
    uint32_t limit;       /* byte granular, expanded */
    uint32_t flags;       /* descriptor bits 8..23 of the high dword, as in the descriptor */
} SegmentCache;
/* descriptor flag bits (in SegmentCache.flags, positions of the high dword) */
#define DESC_G_MASK   (1u << 23)
#define DESC_B_MASK   (1u << 22)
#define DESC_L_MASK   (1u << 21)
#define DESC_P_MASK   (1u << 15)
#define DESC_DPL_SHIFT 13
#define DESC_S_MASK   (1u << 12)
#define DESC_TYPE_SHIFT 8
#define DESC_CS_MASK  (1u << 11)
#define DESC_C_MASK   (1u << 10)
#define DESC_E_MASK   (1u << 10)
#define DESC_R_MASK   (1u << 9)
#define DESC_W_MASK   (1u << 9)
#define DESC_A_MASK   (1u << 8)

typedef struct DTCache { uint64_t base; uint32_t limit; } DTCache;

/* An x87 register: 64-bit significand (explicit integer bit) and 16-bit
 * sign+exponent, as in memory's 80-bit format. MMX registers alias the
 * significand. 16 bytes so FXSAVE's layout falls out naturally. */
typedef union X86FPReg {
    struct { uint64_t mant; uint16_t sign_exp; } f;
    uint64_t mmx;
    uint8_t bytes[16];
} X86FPReg;

/* An XMM register, little-endian lanes. */
typedef union X86XMMReg {
    uint8_t b[16];
    uint16_t w[8];
    uint32_t l[4];
    uint64_t q[2];
    float s[4];
    double d[2];
} __attribute__((aligned(16))) X86XMMReg;

/* hflags: mode bits that change how code is translated (part of the TB key) */
#define HF_CPL_MASK     0x0003u
#define HF_CS32_MASK    (1u << 2)   /* 32-bit code segment */
#define HF_SS32_MASK    (1u << 3)   /* 32-bit stack segment */
#define HF_PE_MASK      (1u << 4)   /* CR0.PE */
#define HF_ADDSEG_MASK  (1u << 5)   /* DS/ES/SS bases may be nonzero: add them */
#define HF_TF_MASK      (1u << 6)   /* single-step trap after each insn */
#define HF_INHIBIT_IRQ_MASK (1u << 7) /* interrupt shadow (STI, MOV SS) */
#define HF_VM_MASK      (1u << 8)
#define HF_PG_MASK      (1u << 9)
#define HF_LMA_MASK     (1u << 10)
#define HF_CS64_MASK    (1u << 11)
#define HF_OSFXSR_MASK  (1u << 12)
#define HF_EM_MASK      (1u << 13)
#define HF_TS_MASK      (1u << 14)
#define HF_MP_MASK      (1u << 15)
#define HF_IOPL_SHIFT   16          /* copy of EFLAGS.IOPL: IN/OUT/CLI/STI need no helper if CPL <= IOPL */
#define HF_IOPL_MASK    (3u << 16)
#define HF_DBGX_MASK    (1u << 18)  /* DR7 enables an execute breakpoint: check each insn */
#define HF_DBGW_MASK    (1u << 19)  /* DR7 enables a data breakpoint: one insn per block */
/* Segment R_xx needs limit/type checks on data accesses (not flat: limit
 * below 4 GiB, expand-down, not writable, null; never in 64-bit mode).
 * Clear for every flat segment, so flat code gets no check at all. CS has
 * no bit (its accesses are always checked outside 64-bit mode). */
#define HF_SEGCHK_SHIFT 24
#define HF_SEGCHK_MASK  (0x3fu << HF_SEGCHK_SHIFT)
#define HF_SEGCHK(seg)  (1u << (HF_SEGCHK_SHIFT + (seg)))

enum { X86_MMU_KERNEL = 0, X86_MMU_USER = 1, X86_MMU_PHYS = 2 };

/* exception vectors */
enum {
    EXCP00_DIVZ = 0, EXCP01_DB, EXCP02_NMI, EXCP03_INT3, EXCP04_INTO, EXCP05_BOUND,
    EXCP06_ILLOP, EXCP07_PREX, EXCP08_DBLE, EXCP09_XERR, EXCP0A_TSS, EXCP0B_NOSEG,
    EXCP0C_STACK, EXCP0D_GPF, EXCP0E_PAGE, EXCP10_COPR = 16, EXCP11_ALGN, EXCP12_MCHK,
    EXCP13_XMM,
};

/* The guest CPU struct: CPUState first, so one pointer is the CPUState for
 * generic code, the env register of generated code and the `env` argument
 * of helpers. */
typedef struct CPUX86State {
    CPUState parent;
    uint64_t regs[CPU_NB_REGS];
    uint64_t eip;
    uint64_t eflags;     /* all bits except CC_ALL (lazy) and DF (in df) */
    int64_t df;          /* +1 or -1 */
    uint64_t cc_dst, cc_src, cc_src2;
    uint32_t cc_op;      /* CCOp */
    uint32_t hflags;
    SegmentCache segs[R_NB_SEGS];
    SegmentCache ldt, tr;
    DTCache gdt, idt;
    uint64_t cr[5];      /* CR0, (CR1), CR2, CR3, CR4 */
    uint64_t efer;
    uint64_t dr[8];
    uint32_t db_pending; /* DR6.B0-3 of data breakpoints hit by the current insn */
    uint64_t a20_mask;
    /* interrupt/exception delivery in progress */
    int error_code;
    int exception_is_int;    /* software INT n: return address is next insn */
    uint64_t exception_next_eip;
    int old_exception;       /* for double fault detection, -1 none */
    uint64_t tsc_offset;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t msr_pat, msr_apicbase, msr_misc_enable;
    /* long mode MSRs (FS/GS bases live in segs[R_FS/R_GS].base) */
    uint64_t star, lstar, cstar, fmask, kernelgsbase, tsc_aux;
    uint64_t mtrr_deftype, mtrr_fixed[11], mtrr_var_base[8], mtrr_var_mask[8];
    uint64_t xcr0;
    bool nmi_pending;
    /* system side (mmu.c, misc_helper.c, excp_helper.c) */
    uint64_t pdptrs[4];      /* PAE PDPTEs, loaded with CR3 (not in long mode) */
    uint32_t cpuid_phys_bits;    /* MAXPHYADDR; virtual addresses are 48-bit */
    uint32_t cpuid_7_0_ebx, cpuid_7_0_ecx, cpuid_7_0_edx;
    bool has_apic;           /* set by the board: CPUID.1 EDX.APIC, MSR writes reach it */
    uint8_t local_tpr;       /* CR8 when there is no APIC */
    bool nmi_blocked;        /* from NMI delivery until the next IRET */
    /* Data-access checks of segment s for access kind k (0 read, 1 write),
     * derived from segs[] by x86_update_hflags (seg_helper.c): an access
     * of n bytes at offset off is allowed iff lo <= off and off + n - 1 <= hi
     * (lo = 2^63, hi = 0: never). */
    int64_t seg_chk_lo[R_NB_SEGS][2], seg_chk_hi[R_NB_SEGS][2];

    /* x87: registers by physical number; ST(i) is fpregs[(fpstt + i) & 7].
     * fpus holds the status word with TOP (bits 11..13) kept in fpstt. */
    X86FPReg fpregs[8];
    uint32_t fpstt;
    uint16_t fpus, fpuc;
    uint8_t fptags[8];       /* 1 = empty */
    uint16_t fpop;           /* last opcode (11 bits) */
    uint64_t fpip, fpdp;     /* last instruction and operand pointers */
    uint16_t fpcs, fpds;
    uint8_t fpu_store_skip;  /* helper_fst_val -> translator: do not store (unmasked exception) */
    /* SSE */
    X86XMMReg xmm_regs[CPU_NB_REGS];
    X86XMMReg xmm_t0;        /* scratch for helpers and the translator */
    uint32_t mxcsr;
    /* CPUID identity */
    uint32_t cpuid_level, cpuid_version, cpuid_features, cpuid_ext_features;
    uint32_t cpuid_ext2_features, cpuid_ext3_features, cpuid_xlevel;
    uint32_t cpuid_vendor[3];
    /* callbacks into the board (x86 has port I/O and an interrupt controller) */
    int (*get_pic_interrupt)(void *opaque);  /* acknowledge: vector, or -1 */
    void *pic_opaque;
    /* the local APIC, when the board has one (NULL otherwise): the CPU
     * reaches it for CR8 (TPR), the APIC base MSR and x2APIC-less probes */
    void (*apic_set_tpr)(void *opaque, uint8_t tpr);   /* CR8 write: TPR[7:4] = val */
    uint8_t (*apic_get_tpr)(void *opaque);             /* CR8 read */
    void (*apic_set_base)(void *opaque, uint64_t val); /* IA32_APIC_BASE write */
    void *apic_opaque;
    /* FERR# and IGNNE# (CR0.NE = 0, SDM vol. 1 8.7): the CPU drives FERR#
     * through set_ferr (the PC routes it to IRQ13); the board drives
     * IGNNE# by writing ignne (the PC: port 0xF0 while FERR# is asserted) */
    void (*set_ferr)(void *opaque, int level);
    void *ferr_opaque;
    bool ferr;               /* FERR# asserted (until FSW.ES clears) */
    bool ignne;              /* IGNNE#: a waiting x87 instruction ignores ES */
} CPUX86State;

typedef CPUX86State X86CPU;

#define X86_ENV_OFFSET(field) ((int32_t)offsetof(CPUX86State, field))

static inline CPUX86State *x86_env(CPUState *cs) { return (CPUX86State *)cs; }
static inline CPUState *env_cpu(CPUX86State *env) { return &env->parent; }

extern const CPUArchOps x86_arch_ops;
extern const TranslatorOps x86_translator_ops;

/* frontend/x86/cpu.c */
X86CPU *x86_cpu_new(AddressSpace *mem, AddressSpace *io, const char *model);
void x86_cpu_reset(X86CPU *cpu);
/* Set the state multiboot expects: protected mode, flat 4 GiB segments, CPL 0. */
void x86_cpu_set_flat32(X86CPU *cpu, uint32_t eip, uint32_t eax, uint32_t ebx);
void x86_update_hflags(CPUX86State *env);
void x86_cpu_set_irq_level(X86CPU *cpu, int level);   /* INTR pin, from the PIC */

/* flags (frontend/x86/cc_helper.c) */
uint32_t x86_compute_eflags(CPUX86State *env);        /* full EFLAGS value */
void x86_load_eflags(CPUX86State *env, uint32_t eflags, uint32_t update_mask);
uint32_t x86_cc_compute_all(uint64_t dst, uint64_t src, uint64_t src2, int op);
uint32_t x86_cc_compute_c(uint64_t dst, uint64_t src, uint64_t src2, int op);

/* exceptions (frontend/x86/excp_helper.c): restore state from retaddr, unwind */
void x86_raise_exception(CPUX86State *env, int vector) __attribute__((noreturn));
void x86_raise_exception_err(CPUX86State *env, int vector, int error_code) __attribute__((noreturn));
void x86_raise_exception_ra(CPUX86State *env, int vector, uintptr_t retaddr) __attribute__((noreturn));
void x86_raise_exception_err_ra(CPUX86State *env, int vector, int error_code, uintptr_t retaddr)
    __attribute__((noreturn));
void x86_raise_interrupt(CPUX86State *env, int intno, int next_eip_addend, uintptr_t retaddr)
    __attribute__((noreturn));   /* INT n, INT3, INTO: software interrupt */
/* CR4.VME/PVI (vme_helper.c): CLI/STI work on VIF; 16-bit IRET in vm86 */
bool x86_vif_mode(CPUX86State *env);
void x86_vm86_iret(CPUX86State *env, int shift, uintptr_t ra);

/* translator globals (frontend/x86/translate.c) */
void x86_tcg_init(CPUState *cpu, TCGContext *s);

/* Shared by the system helpers (excp_helper.c, misc_helper.c, mmu.c). */
#define X86_CR0_PE (1u << 0)
#define X86_CR0_MP (1u << 1)
#define X86_CR0_EM (1u << 2)
#define X86_CR0_TS (1u << 3)
#define X86_CR0_ET (1u << 4)
#define X86_CR0_NE (1u << 5)
#define X86_CR0_WP (1u << 16)
#define X86_CR0_PG (1u << 31)
#define X86_CR4_VME (1u << 0)
#define X86_CR4_PVI (1u << 1)
#define X86_CR4_TSD (1u << 2)
#define X86_CR4_DE  (1u << 3)
#define X86_CR4_PSE (1u << 4)
#define X86_CR4_PAE (1u << 5)
#define X86_CR4_MCE (1u << 6)
#define X86_CR4_PGE (1u << 7)
#define X86_CR4_PCE (1u << 8)
#define X86_CR4_OSFXSR (1u << 9)
#define X86_CR4_OSXMMEXCPT (1u << 10)
#define X86_CR4_FSGSBASE (1u << 16)
#define X86_CR4_OSXSAVE (1u << 18)
#define X86_CR4_SMEP (1u << 20)
#define X86_CR4_SMAP (1u << 21)
#define X86_EFER_SCE (1u << 0)
#define X86_EFER_LME (1u << 8)
#define X86_EFER_LMA (1u << 10)
#define X86_EFER_NXE (1u << 11)
/* MXCSR */
#define X86_MXCSR_DEFAULT 0x1f80u
#define X86_MXCSR_DAZ (1u << 6)
#define X86_MXCSR_FTZ (1u << 15)
/* x87 control/status words */
#define X86_FPUC_DEFAULT 0x037fu
#define X86_FPUS_TOP_SHIFT 11
#define X86_TSC_HZ 1000000000ull   /* rdtsc ticks per second (host CLOCK_MONOTONIC ns) */
static inline int x86_mmu_index(const CPUX86State *env)
{
    return (env->hflags & HF_CPL_MASK) == 3 ? X86_MMU_USER : X86_MMU_KERNEL;
}
/* Descriptor (e1 = low dword, e2 = high dword) for sel from the GDT/LDT;
 * false if beyond the table limit. Reads are supervisor accesses. */
bool x86_load_desc(CPUX86State *env, uint32_t sel, uint32_t *e1, uint32_t *e2, uintptr_t retaddr);
void x86_seg_cache_set(SegmentCache *sc, uint32_t sel, uint32_t e1, uint32_t e2);
uint64_t x86_host_ns(void);
/* An MSR as RDMSR sees it on this CPU model (false: #GP), and its name
 * (misc_helper.c; also used by the ISA listing, tests/isa). */
bool x86_msr_read(CPUX86State *env, uint32_t idx, uint64_t *v);
const char *x86_msr_name(uint32_t idx, char *buf, size_t n);
bool x86_tlb_fill(CPUState *cs, uint64_t vaddr, int size, int access_type, int mmu_idx,
                  bool probe, uintptr_t retaddr);
void x86_do_interrupt(CPUState *cs);
/* mmu.c: PAE PDPTE load (false: a reserved bit is set, #GP for the caller),
 * 48-bit canonical check, reserved bits of a 64-bit paging entry */
bool x86_load_pdptrs(CPUX86State *env, uint64_t cr3);
bool x86_canonical(uint64_t addr);
/* misc_helper.c: MOV to/from CRn with every check (#GP/#UD raised at ra) */
void x86_write_cr(CPUX86State *env, int reg, uint64_t val, uintptr_t ra);
uint64_t x86_read_cr(CPUX86State *env, int reg, uintptr_t ra);
uint64_t x86_pae_rsvd_mask(const CPUX86State *env);
bool x86_exec_interrupt(CPUState *cs, uint32_t interrupt_request);
/* debug registers (misc_helper.c): the DR7 bits of x86_update_hflags, the
 * soft TLB's watch_hit hook for data breakpoints */
uint32_t x86_dr7_hflags(uint64_t dr7);
void x86_watch_hit(CPUState *cs, uint64_t vaddr, unsigned size, int access_type);
/* misc_helper.c: one -d trap line, the guest instruction's address and
 * then what kasou did; X86_TRAP formats it only when -d trap is on */
void x86_trap_log(CPUX86State *env, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define X86_TRAP(env, ...) \
    do { if (cpu_log_enabled(env_cpu(env), LOG_TRAP)) x86_trap_log(env, __VA_ARGS__); } while (0)
/* fpu_helper.c: the x87 state FNINIT sets (XRSTOR's init state starts from it) */
void x86_fpu_init(CPUX86State *env);
/* xsave_helper.c: CPUID leaf 0xD (the XSAVE state components and sizes) */
void x86_cpuid_xsave_leaf(CPUX86State *env, uint32_t sub, uint32_t r[4]);
/* seg_helper.c: the HF_SEGCHK bits for hflags hf (mode bits already set),
 * filling env->seg_chk_lo/span as a side effect */
uint32_t x86_seg_chk_hflags(CPUX86State *env, uint32_t hf);

#endif
