/*
 * x86 instruction decoding, driven by the one opcode table
 * (frontend/x86/opcodes.def). The decoder knows prefixes, ModRM/SIB,
 * displacements and immediates, and which table row an instruction is; it
 * emits no IR. The translator dispatches on the row's handler name, the
 * -d in_asm printer and the Capstone test read the same rows.
 *
 * opcodes.def rows:
 *   X86_OP(map, opcode, ext, pfx, MNEM, o1, o2, o3, flags)
 *     map    0 = one-byte, 1 = 0F, 2 = 0F 38, 3 = 0F 3A
 *     ext    ModRM.reg for group opcodes (0..7), or -1
 *     pfx    mandatory prefix: PFX_NONE (any/none), PFX_66, PFX_F3, PFX_F2
 *            (only for rows that need one; SSE comes later)
 *     MNEM   Intel mnemonic; the translator's handler is trans_MNEM
 *     o1..o3 operands in the manual's notation (OPK_Eb, OPK_Gv, ... OPK_NONE)
 *     flags  X86F_* below
 *   Opcodes whose mnemonic depends on the operand size (CBW/CWDE,
 *   CWD/CDQ, ...) name the 32-bit one; the translator looks at opsize.
 */
#ifndef FRONTEND_X86_DECODE_H
#define FRONTEND_X86_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Operand kinds, in the Intel manual's operand notation (Appendix A.2). */
typedef enum X86OperandKind {
    OPK_NONE,
    OPK_Eb, OPK_Ew, OPK_Ed, OPK_Ev, OPK_Ey, /* ModRM r/m: register or memory */
    OPK_Gb, OPK_Gw, OPK_Gd, OPK_Gv,         /* ModRM reg: general register */
    OPK_M, OPK_Mp, OPK_Mq, OPK_Ma,          /* ModRM memory only (LEA, LDS/LES, CMPXCHG8B, BOUND) */
    OPK_Rd,                                 /* ModRM r/m register only (MOV CRn/DRn) */
    OPK_Cd, OPK_Dd,                         /* control / debug register in ModRM.reg */
    OPK_Sw,                                 /* segment register in ModRM.reg */
    OPK_Ib, OPK_Ibs, OPK_Iw, OPK_Iz, OPK_Iv,/* immediates: Ibs = sign-extended to opsize */
    OPK_Jb, OPK_Jz,                         /* relative branch targets */
    OPK_Ap,                                 /* far pointer seg:offset immediate */
    OPK_Ob, OPK_Ov,                         /* moffs: absolute address, no ModRM */
    OPK_Xb, OPK_Xv, OPK_Yb, OPK_Yv,         /* string source DS:eSI, destination ES:eDI */
    OPK_Zb, OPK_Zv,                         /* register in opcode bits 2:0 (+REX.B) */
    OPK_AL, OPK_AX, OPK_eAX, OPK_rAX,       /* fixed registers */
    OPK_CL, OPK_DX,
    OPK_ES, OPK_CS, OPK_SS, OPK_DS, OPK_FS, OPK_GS, /* fixed segment registers (PUSH/POP) */
    /* ---- MMX / SSE operands (helper sse): all live in ModRM ---- */
    OPK_Pq,                                 /* MMX register in ModRM.reg (REX.R ignored) */
    OPK_Qd, OPK_Qq,                         /* MMX register or memory (32 / 64 bits) in r/m */
    OPK_Nq,                                 /* MMX register in r/m, register form only */
    OPK_Vx,                                 /* XMM register in ModRM.reg */
    OPK_Wx, OPK_Wq, OPK_Wd, OPK_Ww,         /* XMM register or memory of 128/64/32/16 bits */
    OPK_Ux,                                 /* XMM register in r/m, register form only */
    OPK_Md, OPK_Mx,                         /* memory only: 32 bits (LDMXCSR), 128 bits (MOVNTPS) */
    OPK_Gy,                                 /* 32-bit general register, 64 with REX.W */
    OPK_Edb, OPK_Edw,                       /* r32 or m8 / m16 (PEXTRB, PINSRW...) */
    OPK_ST0, OPK_STi,                       /* x87: ST(0); ST(i), i = ModRM.rm */
    OPK_1,                                  /* the constant 1 (shift by one) */
    OPK_NB
} X86OperandKind;

/* Row flag of the MMX/SSE rows (with the X86F_* flags below): their pfx is
 * exact, so PFX_NONE means no 66/F2/F3 (F3 0F 28 is #UD, not MOVAPS).
 * Operand types of MMX/SSE registers (X86Operand.type, beside X86OpType):
 * reg is 0-7 for MMX, 0-15 for XMM. */
enum { X86F_SIMD = 1 << 24 };
enum { X86_OPT_MMX = 16, X86_OPT_XMM = 17 };

enum {
    X86F_LOCK     = 1 << 0,   /* LOCK prefix allowed (with a memory destination) */
    X86F_REP      = 1 << 1,   /* REP allowed (MOVS, STOS, LODS, INS, OUTS) */
    X86F_REPZ     = 1 << 2,   /* REPE/REPNE allowed (CMPS, SCAS) */
    X86F_JUMP     = 1 << 3,   /* ends the block */
    X86F_PRIV     = 1 << 4,   /* privileged (CPL 0) */
    X86F_IO       = 1 << 5,   /* I/O: IOPL checked */
    X86F_NO64     = 1 << 6,   /* invalid in 64-bit mode */
    X86F_ONLY64   = 1 << 7,
    X86F_DEF64    = 1 << 8,   /* operand size defaults to 64 in long mode (PUSH, POP, near branches) */
    X86F_BYTEOP   = 1 << 9,   /* 8-bit operation */
    X86F_MODRM    = 1 << 10,  /* has ModRM (set automatically when an operand needs it) */
    X86F_PREFIX   = 1 << 11,  /* a prefix byte, not an instruction */
    X86F_ESCAPE   = 1 << 12,  /* 0F, 0F38, 0F3A: switches map */
    X86F_GROUP    = 1 << 13,  /* the row is the head of a ModRM.reg group */
    X86F_INVALID  = 1 << 14,
    X86F_MODRM_REG_ONLY = 1 << 15, /* r/m must be a register (mod == 3) */
    X86F_MODRM_MEM_ONLY = 1 << 16, /* r/m must be memory (mod != 3) */
    X86F_X87_RM   = 1 << 18,  /* x87 register form named by ModRM.rm (D9 E0 FCHS...):
                               * x86_x87_rm_mnemonic; an unnamed r/m is #UD */
    X86F_MODRM_RM = 1 << 27,       /* mod == 3 and r/m == X86F_RM_VALUE (0F 01 F8: SWAPGS) */
};
#define X86F_RM(n) (X86F_MODRM_RM | X86F_MODRM_REG_ONLY | ((uint32_t)(n) << 28))
#define X86F_RM_VALUE(f) (((f) >> 28) & 7)

enum { PFX_NONE = 0, PFX_66 = 1, PFX_F3 = 2, PFX_F2 = 3 };

typedef struct X86OpcodeEntry {
    uint8_t map;
    uint8_t opcode;
    int8_t ext;
    uint8_t pfx;
    const char *mnemonic;
    uint8_t ops[3];        /* X86OperandKind */
    uint32_t flags;
    uint16_t handler;      /* index of the row: the translator's trans_ table */
} X86OpcodeEntry;

extern const X86OpcodeEntry x86_opcode_table[];
extern const int x86_opcode_table_size;

/* prefixes seen */
enum {
    PREFIX_LOCK = 1 << 0, PREFIX_REPZ = 1 << 1, PREFIX_REPNZ = 1 << 2,
    PREFIX_DATA = 1 << 3, PREFIX_ADR = 1 << 4, PREFIX_REX = 1 << 5,
};

/* A decoded operand. */
typedef enum X86OpType { X86_OPT_NONE, X86_OPT_REG, X86_OPT_MEM, X86_OPT_IMM, X86_OPT_SEG,
                         X86_OPT_CR, X86_OPT_DR, X86_OPT_FAR,
                         X86_OPT_ST /* x87 ST(reg) */ } X86OpType;
typedef struct X86Operand {
    uint8_t type;          /* X86OpType */
    uint8_t size;          /* bytes: 1, 2, 4, 8 (0 = not applicable, e.g. LEA's M) */
    uint8_t reg;           /* REG: register number; for byte regs without REX 4..7 = AH..BH */
    bool high8;            /* REG: AH/CH/DH/BH */
    uint64_t imm;          /* IMM: value, already sign/zero-extended to opsize; FAR: offset */
    uint16_t far_seg;      /* FAR: selector */
} X86Operand;

/* Memory address parts for the instruction's one memory operand. */
typedef struct X86Address {
    int8_t base;           /* register or -1; -2 = RIP-relative */
    int8_t index;          /* register or -1 */
    uint8_t scale;         /* 0..3 (shift) */
    int8_t seg;            /* effective segment R_ES..R_GS (default or override) */
    int64_t disp;
} X86Address;

typedef struct X86Insn {
    const X86OpcodeEntry *entry;
    uint64_t pc;
    uint8_t len;
    uint8_t mode;          /* 16, 32, 64 */
    uint32_t prefixes;     /* PREFIX_* */
    int8_t seg_override;   /* R_ES..R_GS, or -1 */
    uint8_t rex;           /* 0 if none */
    uint8_t opsize;        /* 2, 4, 8 */
    uint8_t addrsize;      /* 2, 4, 8 */
    bool has_modrm;
    uint8_t modrm, mod, reg, rm;   /* reg and rm include REX extensions */
    X86Address addr;       /* valid when an operand is X86_OPT_MEM */
    uint8_t nb_ops;
    X86Operand ops[3];
} X86Insn;

typedef enum X86DecodeResult {
    X86_DECODE_OK = 0,
    X86_DECODE_UD,         /* no such instruction: #UD */
    X86_DECODE_TOO_LONG,   /* over 15 bytes: #GP(0) */
} X86DecodeResult;

/* Fetch one code byte at pc (the translator's fetch may fault or abandon). */
typedef uint8_t (*X86FetchFn)(void *opaque, uint64_t pc);

X86DecodeResult x86_decode(X86Insn *insn, int mode, uint64_t pc, X86FetchFn fetch, void *opaque);
/* The mnemonic of an x87 register form whose row has X86F_X87_RM (opcode
 * D8..DF and its ModRM byte, mod == 3), or NULL if the encoding is undefined. */
const char *x86_x87_rm_mnemonic(uint8_t opcode, uint8_t modrm);
/* Print insn in Intel syntax (for messages); returns chars written. */
int x86_format_insn(const X86Insn *insn, char *buf, size_t size);

#endif
