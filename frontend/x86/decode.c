/*
 * x86 instruction decoder: legacy prefixes, REX, the opcode maps, ModRM,
 * SIB, displacement and immediates, then the opcodes.def row and the
 * resolved operands (X86Insn). It emits no IR.
 * What must stay true: no mutable static state (the row index is the const
 * table itself, kept sorted by (map, opcode, ext, pfx) and binary-searched);
 * at most 15 bytes are ever fetched; a UD result still sets insn->len to
 * the bytes decoded so far (the x87 rows rely on it for their length).
 */
#include <stdio.h>
#include <string.h>

#include "frontend/x86/cpu.h"
#include "frontend/x86/decode.h"

/* Operand kinds that live in the ModRM byte (Eb .. Sw are contiguous). */
#define X86_MODRM_KIND(o) (((o) >= OPK_Eb && (o) <= OPK_Sw) || ((o) >= OPK_Pq && (o) <= OPK_Edw))

enum { X86_ROW_BASE = __COUNTER__ + 1 };

#define X86_OP(map_, opc_, ext_, pfx_, mnem_, o1_, o2_, o3_, flags_)                     \
    { .map = (map_), .opcode = (opc_), .ext = (ext_), .pfx = (pfx_), .mnemonic = #mnem_, \
      .ops = { (o1_), (o2_), (o3_) },                                                   \
      .flags = (flags_) |                                                               \
               ((X86_MODRM_KIND(o1_) || X86_MODRM_KIND(o2_) || X86_MODRM_KIND(o3_) ||   \
                 (ext_) >= 0) ? X86F_MODRM : 0) |                                       \
               ((ext_) >= 0 ? X86F_GROUP : 0),                                          \
      .handler = __COUNTER__ - X86_ROW_BASE },
const X86OpcodeEntry x86_opcode_table[] = {
#include "frontend/x86/opcodes.def"
};
#undef X86_OP
const int x86_opcode_table_size = sizeof(x86_opcode_table) / sizeof(x86_opcode_table[0]);

typedef struct X86DecodeCtx {
    X86Insn *insn;
    X86FetchFn fetch;
    void *opaque;
    bool too_long;
} X86DecodeCtx;

/* Never fetch a 16th byte: the CPU raises #GP before touching it. */
static uint8_t x86_get_byte(X86DecodeCtx *s)
{
    if (s->insn->len >= 15) {
        s->too_long = true;
        return 0;
    }
    uint8_t b = s->fetch(s->opaque, s->insn->pc + s->insn->len);
    s->insn->len++;
    return b;
}

static uint64_t x86_get_le(X86DecodeCtx *s, int nbytes)
{
    uint64_t v = 0;
    for (int i = 0; i < nbytes; i++) {
        v |= (uint64_t)x86_get_byte(s) << (8 * i);
    }
    return v;
}

static uint64_t x86_sext(uint64_t v, int nbytes)
{
    int sh = 64 - 8 * nbytes;
    return (uint64_t)((int64_t)(v << sh) >> sh);
}

static uint64_t x86_trunc(uint64_t v, int nbytes)
{
    return nbytes >= 8 ? v : v & ((1ull << (8 * nbytes)) - 1);
}

/* First row of (map, opcode) in the sorted table, or NULL. */
static const X86OpcodeEntry *x86_first_row(int map, int opcode)
{
    int key = map << 8 | opcode;
    int lo = 0, hi = x86_opcode_table_size;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        const X86OpcodeEntry *e = &x86_opcode_table[mid];
        if ((e->map << 8 | e->opcode) < key) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < x86_opcode_table_size && x86_opcode_table[lo].map == map &&
        x86_opcode_table[lo].opcode == opcode) {
        return &x86_opcode_table[lo];
    }
    return NULL;
}

static bool x86_pfx_present(const X86Insn *insn, int pfx)
{
    switch (pfx) {
    case PFX_66: return insn->prefixes & PREFIX_DATA;
    case PFX_F3: return insn->prefixes & PREFIX_REPZ;
    case PFX_F2: return insn->prefixes & PREFIX_REPNZ;
    default: return true;
    }
}

/* Pick the row of an opcode: ModRM.reg for groups, ModRM.mod for rows
 * limited to one form, and a row with a mandatory prefix wins over the
 * plain one. NULL: no row, #UD. */
static const X86OpcodeEntry *x86_select_row(const X86OpcodeEntry *first, const X86Insn *insn)
{
    const X86OpcodeEntry *plain = NULL, *with_pfx = NULL;
    const X86OpcodeEntry *end = x86_opcode_table + x86_opcode_table_size;
    int regfield = (insn->modrm >> 3) & 7;
    bool pfx_row_other_mod = false;
    for (const X86OpcodeEntry *e = first; e < end && e->map == first->map &&
         e->opcode == first->opcode; e++) {
        if (e->ext >= 0 && e->ext != regfield) {
            continue;
        }
        /* 66 0F 12 with mod=3: MOVLPD has no register form, and the
         * prefix still selects it: #UD, not MOVHLPS */
        if (e->pfx != PFX_NONE && (e->flags & X86F_SIMD) && x86_pfx_present(insn, e->pfx)) {
            pfx_row_other_mod = true;
        }
        /* rows sharing (ext, pfx) are told apart by mod (CLFLUSH/SFENCE) */
        if (((e->flags & X86F_MODRM_MEM_ONLY) && insn->mod == 3) ||
            ((e->flags & X86F_MODRM_REG_ONLY) && insn->mod != 3)) {
            continue;
        }
        if ((e->flags & X86F_MODRM_RM) && (insn->modrm & 7) != (int)X86F_RM_VALUE(e->flags)) {
            continue;
        }
        /* rows of one key told apart by the mode (63: ARPL / MOVSXD) */
        if (((e->flags & X86F_ONLY64) && insn->mode != 64) ||
            ((e->flags & X86F_NO64) && insn->mode == 64 && e + 1 < end &&
             e[1].map == e->map && e[1].opcode == e->opcode && e[1].ext == e->ext &&
             (e[1].flags & X86F_ONLY64))) {
            continue;
        }
        if (e->pfx == PFX_NONE) {
            if (!plain) {
                plain = e;
            }
        } else if (x86_pfx_present(insn, e->pfx) &&
                   (!with_pfx || (with_pfx->pfx == PFX_66 && e->pfx != PFX_66))) {
            with_pfx = e;   /* F2/F3 win over 66 (66 F2 0F 58 is ADDSD) */
        }
    }
    /* F3 0F 28, 66 0F 77: #UD, not MOVAPS / EMMS (rows of one opcode are
     * all MMX/SSE or none) */
    if (!with_pfx && plain && (plain->flags & X86F_SIMD) &&
        (insn->prefixes & (PREFIX_DATA | PREFIX_REPZ | PREFIX_REPNZ))) {
        return NULL;
    }
    return with_pfx ? with_pfx : pfx_row_other_mod ? NULL : plain;
}

static void x86_reg_operand(X86Operand *op, int reg, int size, bool rex)
{
    op->type = X86_OPT_REG;
    op->size = size;
    op->reg = reg;
    op->high8 = size == 1 && !rex && reg >= 4 && reg < 8;
}

/* ModRM memory form: fills insn->addr. */
static void x86_decode_address(X86DecodeCtx *s, X86Insn *insn)
{
    static const int8_t base16[8] = { R_EBX, R_EBX, R_EBP, R_EBP, R_ESI, R_EDI, R_EBP, R_EBX };
    static const int8_t index16[8] = { R_ESI, R_EDI, R_ESI, R_EDI, -1, -1, -1, -1 };
    X86Address *a = &insn->addr;
    int rm3 = insn->modrm & 7;
    int rex_b = (insn->rex & 1) << 3, rex_x = (insn->rex & 2) << 2;

    a->base = a->index = -1;
    a->scale = 0;
    a->disp = 0;
    if (insn->addrsize == 2) {
        if (insn->mod == 0 && rm3 == 6) {
            a->disp = (int16_t)x86_get_le(s, 2);
        } else {
            a->base = base16[rm3];
            a->index = index16[rm3];
            if (insn->mod == 1) {
                a->disp = (int8_t)x86_get_byte(s);
            } else if (insn->mod == 2) {
                a->disp = (int16_t)x86_get_le(s, 2);
            }
        }
    } else {
        if (rm3 == 4) {
            uint8_t sib = x86_get_byte(s);
            int idx = ((sib >> 3) & 7) | rex_x;
            a->scale = sib >> 6;
            if (idx != 4) {
                a->index = idx;
            }
            if ((sib & 7) == 5 && insn->mod == 0) {
                a->disp = (int32_t)x86_get_le(s, 4);
            } else {
                a->base = (sib & 7) | rex_b;
            }
        } else if (rm3 == 5 && insn->mod == 0) {
            a->base = insn->mode == 64 ? -2 : -1;   /* RIP-relative in long mode */
            a->disp = (int32_t)x86_get_le(s, 4);
        } else {
            a->base = rm3 | rex_b;
        }
        if (insn->mod == 1) {
            a->disp = (int8_t)x86_get_byte(s);
        } else if (insn->mod == 2) {
            a->disp = (int32_t)x86_get_le(s, 4);
        }
    }
    if (insn->seg_override >= 0) {
        a->seg = insn->seg_override;
    } else {
        a->seg = (a->base == R_EBP || a->base == R_ESP) ? R_SS : R_DS;
    }
}

/* ---- MMX / SSE operand kinds (helper sse) ----
 * Registers are X86_OPT_MMX (0-7: REX.R/REX.B do not extend them) or
 * X86_OPT_XMM (0-15) with size 8 / 16; a memory form has the size the
 * instruction reads or writes (4, 8, 16, or 1/2 for Edb/Edw). */
static bool x86_decode_simd_operand(X86Insn *insn, int kind, X86Operand *op)
{
    bool mem = insn->has_modrm && insn->mod != 3;
    static const uint8_t msize[OPK_NB] = {
        [OPK_Qd] = 4, [OPK_Qq] = 8, [OPK_Wx] = 16, [OPK_Wq] = 8, [OPK_Wd] = 4, [OPK_Ww] = 2,
        [OPK_Md] = 4, [OPK_Mx] = 16, [OPK_Edb] = 1, [OPK_Edw] = 2,
    };
    switch (kind) {
    case OPK_Pq:
        op->type = X86_OPT_MMX; op->size = 8; op->reg = insn->reg & 7;
        return true;
    case OPK_Vx:
        op->type = X86_OPT_XMM; op->size = 16; op->reg = insn->reg;
        return true;
    case OPK_Gy:
        x86_reg_operand(op, insn->reg, insn->opsize == 8 ? 8 : 4, true);
        return true;
    case OPK_Nq: case OPK_Ux:
        if (mem) {
            return false;
        }
        /* fall through */
    case OPK_Qd: case OPK_Qq: case OPK_Wx: case OPK_Wq: case OPK_Wd: case OPK_Ww:
    case OPK_Md: case OPK_Mx: case OPK_Edb: case OPK_Edw:
        if (mem) {
            op->type = X86_OPT_MEM;
            op->size = msize[kind];
        } else if (kind == OPK_Md || kind == OPK_Mx) {
            return false;
        } else if (kind == OPK_Edb || kind == OPK_Edw) {
            x86_reg_operand(op, insn->rm, insn->opsize == 8 ? 8 : 4, true);
        } else if (kind == OPK_Qd || kind == OPK_Qq || kind == OPK_Nq) {
            op->type = X86_OPT_MMX; op->size = 8; op->reg = insn->rm & 7;
        } else {
            op->type = X86_OPT_XMM; op->size = 16; op->reg = insn->rm;
        }
        return true;
    default:
        return false;
    }
}

/* One operand; returns false for an encoding the CPU rejects with #UD. */
static bool x86_decode_operand(X86DecodeCtx *s, X86Insn *insn, int kind, int idx, X86Operand *op)
{
    bool rex = insn->rex != 0;
    int os = insn->opsize;
    bool mem = insn->has_modrm && insn->mod != 3;
    int n;

    switch (kind) {
    case OPK_Eb: case OPK_Ew: case OPK_Ed: case OPK_Ev: case OPK_Ey: {
        int size = kind == OPK_Eb ? 1 : kind == OPK_Ew ? 2 : kind == OPK_Ed ? 4 :
                   kind == OPK_Ev ? os : (os == 8 ? 8 : 4);
        if (mem) {
            op->type = X86_OPT_MEM;
            op->size = size;
        } else {
            x86_reg_operand(op, insn->rm, size, rex);
        }
        return true;
    }
    case OPK_Gb: x86_reg_operand(op, insn->reg, 1, rex); return true;
    case OPK_Gw: x86_reg_operand(op, insn->reg, 2, rex); return true;
    case OPK_Gd: x86_reg_operand(op, insn->reg, 4, rex); return true;
    case OPK_Gv: x86_reg_operand(op, insn->reg, os, rex); return true;
    case OPK_M: case OPK_Mp: case OPK_Mq: case OPK_Ma:
        if (!mem) {
            return false;
        }
        op->type = X86_OPT_MEM;
        /* Mq: CMPXCHG8B, or with REX.W CMPXCHG16B (16 bytes) */
        op->size = kind == OPK_M ? 0 : kind == OPK_Mp ? os + 2 : kind == OPK_Mq ? (os == 8 ? 16 : 8) : 2 * os;
        return true;
    case OPK_Rd:
        x86_reg_operand(op, insn->rm, insn->mode == 64 ? 8 : 4, true);
        return true;
    case OPK_ST0: case OPK_STi:
        op->type = X86_OPT_ST;
        op->size = 10;
        op->reg = kind == OPK_ST0 ? 0 : insn->modrm & 7;   /* REX.B does not apply */
        return true;
    case OPK_Cd:
        /* CR1, CR5-7 and CR9+ do not exist; CR8 only in long mode */
        if (insn->reg == 1 || (insn->reg >= 5 && insn->reg != 8) || insn->reg > 8 ||
            (insn->reg == 8 && insn->mode != 64)) {
            return false;
        }
        op->type = X86_OPT_CR;
        op->reg = insn->reg;
        op->size = insn->mode == 64 ? 8 : 4;
        return true;
    case OPK_Dd:
        if (insn->reg > 7) {
            return false;
        }
        op->type = X86_OPT_DR;
        op->reg = insn->reg;
        op->size = insn->mode == 64 ? 8 : 4;
        return true;
    case OPK_Sw:
        op->type = X86_OPT_SEG;
        op->reg = insn->reg & 7;   /* REX.R is ignored */
        op->size = 2;
        /* no segment 6/7; MOV CS, r/m is #UD */
        return op->reg < R_NB_SEGS && !(idx == 0 && op->reg == R_CS);
    case OPK_Ib:
        op->type = X86_OPT_IMM;
        op->size = 1;
        op->imm = x86_get_byte(s);
        return true;
    case OPK_Ibs:
        op->type = X86_OPT_IMM;
        op->size = os;
        op->imm = x86_trunc(x86_sext(x86_get_byte(s), 1), os);
        return true;
    case OPK_Iw:
        op->type = X86_OPT_IMM;
        op->size = 2;
        op->imm = x86_get_le(s, 2);
        return true;
    case OPK_Iz:
        n = os == 2 ? 2 : 4;
        op->type = X86_OPT_IMM;
        op->size = os;
        op->imm = x86_trunc(x86_sext(x86_get_le(s, n), n), os);
        return true;
    case OPK_Iv:
        op->type = X86_OPT_IMM;
        op->size = os;
        op->imm = x86_get_le(s, os);
        return true;
    case OPK_Jb:
        op->type = X86_OPT_IMM;
        op->size = 1;
        op->imm = x86_sext(x86_get_byte(s), 1);
        return true;
    case OPK_Jz:
        n = os == 2 ? 2 : 4;
        op->type = X86_OPT_IMM;
        op->size = n;
        op->imm = x86_sext(x86_get_le(s, n), n);
        return true;
    case OPK_Ap:
        n = os == 2 ? 2 : 4;
        op->type = X86_OPT_FAR;
        op->size = n + 2;
        op->imm = x86_get_le(s, n);
        op->far_seg = x86_get_le(s, 2);
        return true;
    case OPK_Ob: case OPK_Ov:
        op->type = X86_OPT_MEM;
        op->size = kind == OPK_Ob ? 1 : os;
        insn->addr.base = insn->addr.index = -1;
        insn->addr.scale = 0;
        insn->addr.disp = (int64_t)x86_get_le(s, insn->addrsize);
        insn->addr.seg = insn->seg_override >= 0 ? insn->seg_override : R_DS;
        return true;
    case OPK_Xb: case OPK_Xv:
        /* string source DS:eSI (segment overridable); takes insn->addr */
        op->type = X86_OPT_MEM;
        op->size = kind == OPK_Xb ? 1 : os;
        op->reg = R_ESI;
        insn->addr.base = R_ESI;
        insn->addr.index = -1;
        insn->addr.seg = insn->seg_override >= 0 ? insn->seg_override : R_DS;
        return true;
    case OPK_Yb: case OPK_Yv:
        /* string destination ES:eDI (never overridden); insn->addr only
         * when the row has no X operand */
        op->type = X86_OPT_MEM;
        op->size = kind == OPK_Yb ? 1 : os;
        op->reg = R_EDI;
        if (insn->addr.base != R_ESI) {
            insn->addr.base = R_EDI;
            insn->addr.index = -1;
            insn->addr.seg = R_ES;
        }
        return true;
    case OPK_Zb:
        x86_reg_operand(op, (insn->entry->opcode & 7) | (insn->rex & 1) << 3, 1, rex);
        return true;
    case OPK_Zv:
        x86_reg_operand(op, (insn->entry->opcode & 7) | (insn->rex & 1) << 3, os, rex);
        return true;
    case OPK_AL: x86_reg_operand(op, R_EAX, 1, rex); return true;
    case OPK_AX: x86_reg_operand(op, R_EAX, 2, rex); return true;
    case OPK_eAX: x86_reg_operand(op, R_EAX, os == 2 ? 2 : 4, rex); return true;
    case OPK_rAX: x86_reg_operand(op, R_EAX, os, rex); return true;
    case OPK_CL: x86_reg_operand(op, R_ECX, 1, rex); return true;
    case OPK_DX: x86_reg_operand(op, R_EDX, 2, rex); return true;
    case OPK_ES: case OPK_CS: case OPK_SS: case OPK_DS: case OPK_FS: case OPK_GS:
        op->type = X86_OPT_SEG;
        op->size = 2;
        op->reg = R_ES + (kind - OPK_ES);
        return true;
    case OPK_1:
        op->type = X86_OPT_IMM;
        op->size = 1;
        op->imm = 1;
        return true;
    default:
        return x86_decode_simd_operand(insn, kind, op);
    }
}

X86DecodeResult x86_decode(X86Insn *insn, int mode, uint64_t pc, X86FetchFn fetch, void *opaque)
{
    X86DecodeCtx s = { .insn = insn, .fetch = fetch, .opaque = opaque };
    uint8_t b;
    int map = 0;

    memset(insn, 0, sizeof(*insn));
    insn->pc = pc;
    insn->mode = mode;
    insn->seg_override = -1;
    insn->addr.base = insn->addr.index = -1;
    insn->addr.seg = R_DS;

    /* Legacy prefixes in any order; a REX counts only right before the
     * opcode, so any legacy prefix after it cancels it. */
    for (;;) {
        b = x86_get_byte(&s);
        if (s.too_long) {
            return X86_DECODE_TOO_LONG;
        }
        if (mode == 64 && (b & 0xf0) == 0x40) {
            insn->rex = b;
            continue;
        }
        switch (b) {
        case 0xf0: insn->prefixes |= PREFIX_LOCK; break;
        case 0xf2: insn->prefixes = (insn->prefixes & ~PREFIX_REPZ) | PREFIX_REPNZ; break;
        case 0xf3: insn->prefixes = (insn->prefixes & ~PREFIX_REPNZ) | PREFIX_REPZ; break;
        case 0x26: insn->seg_override = R_ES; break;
        case 0x2e: insn->seg_override = R_CS; break;
        case 0x36: insn->seg_override = R_SS; break;
        case 0x3e: insn->seg_override = R_DS; break;
        case 0x64: insn->seg_override = R_FS; break;
        case 0x65: insn->seg_override = R_GS; break;
        case 0x66: insn->prefixes |= PREFIX_DATA; break;
        case 0x67: insn->prefixes |= PREFIX_ADR; break;
        default: goto opcode;
        }
        insn->rex = 0;
    }
opcode:
    if (insn->rex) {
        insn->prefixes |= PREFIX_REX;
    }
    if (b == 0x0f) {
        map = 1;
        b = x86_get_byte(&s);
        if (b == 0x38 || b == 0x3a) {
            map = b == 0x38 ? 2 : 3;
            b = x86_get_byte(&s);
        }
    }
    if (s.too_long) {
        return X86_DECODE_TOO_LONG;
    }

    bool data = insn->prefixes & PREFIX_DATA;
    bool adr = insn->prefixes & PREFIX_ADR;
    if (mode == 16) {
        insn->addrsize = adr ? 4 : 2;
    } else if (mode == 32) {
        insn->addrsize = adr ? 2 : 4;
    } else {
        insn->addrsize = adr ? 4 : 8;
    }

    const X86OpcodeEntry *first = x86_first_row(map, b);
    if (!first) {
        return X86_DECODE_UD;
    }
    /* Every row of one opcode agrees on having a ModRM byte. */
    if (first->flags & X86F_MODRM) {
        insn->has_modrm = true;
        insn->modrm = x86_get_byte(&s);
        insn->mod = insn->modrm >> 6;
        insn->reg = ((insn->modrm >> 3) & 7) | (insn->rex & 4) << 1;
        insn->rm = (insn->modrm & 7) | (insn->rex & 1) << 3;
    }
    const X86OpcodeEntry *e = x86_select_row(first, insn);
    if (!e) {
        return s.too_long ? X86_DECODE_TOO_LONG : X86_DECODE_UD;
    }
    /* 90 with REX.B is XCHG r8, rAX, not NOP: take the XCHG row of 91 and
     * fix its register below (Zv comes from the opcode byte) */
    bool xchg_r8 = map == 0 && b == 0x90 && (insn->rex & 1);
    if (xchg_r8) {
        e = x86_first_row(0, 0x91);
    }
    insn->entry = e;
    /* a mandatory prefix is part of the opcode, not a modifier */
    if (e->pfx == PFX_66) {
        data = false;
    } else if (e->pfx == PFX_F3) {
        insn->prefixes &= ~PREFIX_REPZ;
    } else if (e->pfx == PFX_F2) {
        insn->prefixes &= ~PREFIX_REPNZ;
    }
    if (mode == 16) {
        insn->opsize = data ? 4 : 2;
    } else if (mode == 32) {
        insn->opsize = data ? 2 : 4;
    } else if (insn->rex & 8) {
        insn->opsize = 8;
    } else if (e->flags & X86F_DEF64) {
        insn->opsize = data ? 2 : 8;
    } else {
        insn->opsize = data ? 2 : 4;
    }
    if (insn->opsize == 8 && (e->flags & X86F_IO)) {
        insn->opsize = 4;          /* no 64-bit port I/O: REX.W is ignored */
    }

    /* MOV to/from CRn/DRn ignores mod: the r/m is always a register. */
    bool force_reg = e->ops[0] == OPK_Rd || e->ops[1] == OPK_Rd;
    if (insn->has_modrm && insn->mod != 3 && !force_reg) {
        x86_decode_address(&s, insn);
    }

    bool ok = !((e->flags & X86F_NO64) && mode == 64) &&
              !((e->flags & X86F_ONLY64) && mode != 64) &&
              !((e->flags & X86F_MODRM_MEM_ONLY) && insn->mod == 3) &&
              !((e->flags & X86F_MODRM_REG_ONLY) && insn->mod != 3);
    for (int i = 0; i < 3 && e->ops[i] != OPK_NONE; i++) {
        ok &= x86_decode_operand(&s, insn, e->ops[i], i, &insn->ops[i]);
        insn->nb_ops = i + 1;
    }
    if (xchg_r8) {
        insn->ops[1].reg = 8;
    }
    /* LOCK needs a lockable row with a memory destination */
    if ((insn->prefixes & PREFIX_LOCK) &&
        (!(e->flags & X86F_LOCK) || !insn->has_modrm || insn->mod == 3)) {
        ok = false;
    }
    if ((e->flags & X86F_X87_RM) && !x86_x87_rm_mnemonic(e->opcode, insn->modrm)) {
        ok = false;
    }
    if (s.too_long) {
        return X86_DECODE_TOO_LONG;
    }
    if (!ok || (e->flags & X86F_INVALID)) {
        return X86_DECODE_UD;
    }
    return X86_DECODE_OK;
}

/* ---- Intel-syntax printer (for -d in_asm and messages) ---- */

static const char *const x86_cc_names[16] = {
    "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"
};
static const char *const x86_seg_names[6] = { "es", "cs", "ss", "ds", "fs", "gs" };

static const char *x86_reg_name(int reg, int size, bool high8)
{
    static const char *const r64[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                         "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
    static const char *const r32[16] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                         "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
    static const char *const r16[16] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                                         "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
    static const char *const r8[16] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                        "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };
    static const char *const r8h[4] = { "ah", "ch", "dh", "bh" };
    reg &= 15;
    switch (size) {
    case 1: return high8 ? r8h[reg & 3] : r8[reg];
    case 2: return r16[reg];
    case 8: return r64[reg];
    default: return r32[reg];
    }
}

/* Mnemonic as the manual spells it for this operand/address size. */
/* x87 register forms named by the whole ModRM byte (SDM vol. 2, table A-21). */
const char *x86_x87_rm_mnemonic(uint8_t opcode, uint8_t modrm)
{
    static const char *const d9_e0[32] = {
        "fchs", "fabs", NULL, NULL, "ftst", "fxam", NULL, NULL,
        "fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz", NULL,
        "f2xm1", "fyl2x", "fptan", "fpatan", "fxtract", "fprem1", "fdecstp", "fincstp",
        "fprem", "fyl2xp1", "fsqrt", "fsincos", "frndint", "fscale", "fsin", "fcos",
    };
    switch (opcode) {
    case 0xd9: return modrm >= 0xe0 ? d9_e0[modrm - 0xe0] : modrm == 0xd0 ? "fnop" : NULL;
    case 0xda: return modrm == 0xe9 ? "fucompp" : NULL;
    case 0xdb: {   /* FNENI, FNDISI, FNSETPM: 8087/287 controls, no-ops since the 387 */
        static const char *const db_e0[5] = { "fneni", "fndisi", "fnclex", "fninit", "fnsetpm" };
        return modrm >= 0xe0 && modrm <= 0xe4 ? db_e0[modrm - 0xe0] : NULL;
    }
    case 0xde: return modrm == 0xd9 ? "fcompp" : NULL;
    case 0xdf: return modrm == 0xe0 ? "fnstsw" : NULL;
    default: return NULL;
    }
}

static void x86_mnemonic(const X86Insn *insn, char *buf, size_t size)
{
    if ((insn->entry->flags & X86F_X87_RM) && x86_x87_rm_mnemonic(insn->entry->opcode, insn->modrm)) {
        snprintf(buf, size, "%s", x86_x87_rm_mnemonic(insn->entry->opcode, insn->modrm));
        return;
    }
    const X86OpcodeEntry *e = insn->entry;
    const char *m = e->mnemonic;
    int os = insn->opsize;
    int sfx = (e->flags & X86F_BYTEOP) ? 'b' : os == 2 ? 'w' : os == 8 ? 'q' : 'd';
    const char *v = NULL;

    if (!strcmp(m, "Jcc") || !strcmp(m, "SETcc") || !strcmp(m, "CMOVcc")) {
        snprintf(buf, size, "%.*s%s", (int)(strlen(m) - 2), m, x86_cc_names[e->opcode & 15]);
    } else if (!strcmp(m, "CMPXCHG8B")) {
        v = os == 8 ? "cmpxchg16b" : "cmpxchg8b";
    } else if (!strcmp(m, "CWDE")) {
        v = os == 2 ? "cbw" : os == 8 ? "cdqe" : "cwde";
    } else if (!strcmp(m, "CDQ")) {
        v = os == 2 ? "cwd" : os == 8 ? "cqo" : "cdq";
    } else if (!strcmp(m, "JECXZ")) {
        v = insn->addrsize == 2 ? "jcxz" : insn->addrsize == 8 ? "jrcxz" : "jecxz";
    } else if (!strcmp(m, "PUSHAD") || !strcmp(m, "POPAD") || !strcmp(m, "PUSHFD") ||
               !strcmp(m, "POPFD") || !strcmp(m, "IRETD")) {
        int n = (int)strlen(m) - 1;
        snprintf(buf, size, "%.*s%s", n, m, os == 2 ? "" : os == 8 ? "q" : "d");
    } else if (!strcmp(m, "MOVS") || !strcmp(m, "CMPS") || !strcmp(m, "STOS") ||
               !strcmp(m, "LODS") || !strcmp(m, "SCAS") || !strcmp(m, "INS") ||
               !strcmp(m, "OUTS")) {
        snprintf(buf, size, "%s%c", m, sfx);
    } else if (!strncmp(m, "CMP", 3) && strlen(m) == 5 && insn->nb_ops == 3 &&
               insn->ops[2].imm < 8) {
        /* CMPPS/PD/SS/SD with a predicate 0-7: the manual's pseudo-ops */
        static const char *const pred[8] = { "eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord" };
        snprintf(buf, size, "cmp%s%s", pred[insn->ops[2].imm], m + 3);
    } else if (os == 8 && (!strcmp(m, "MOVD") || !strcmp(m, "PEXTRD") || !strcmp(m, "PINSRD"))) {
        snprintf(buf, size, "%.*sq", (int)strlen(m) - 1, m);   /* REX.W: the 64-bit form */
    } else {
        v = m;
    }
    if (v) {
        snprintf(buf, size, "%s", v);
    }
    for (char *p = buf; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') {
            *p += 'a' - 'A';
        }
    }
}

static int x86_format_mem(const X86Insn *insn, const X86Operand *op, int kind, char *buf,
                          size_t size)
{
    static const char *const ptr[9] = { "", "byte ptr ", "word ptr ", "", "dword ptr ",
                                        "", "fword ptr ", "", "qword ptr " };
    const X86Address *a = &insn->addr;
    int n = snprintf(buf, size, "%s", op->size <= 8 ? ptr[op->size] : op->size == 16 ? "xmmword ptr " : "");
    int seg = a->seg, base = a->base, index = a->index;
    int64_t disp = a->disp;
    int asz = insn->addrsize;

    if (kind == OPK_Yb || kind == OPK_Yv) {
        seg = R_ES, base = R_EDI, index = -1, disp = 0;
    } else if (kind == OPK_Xb || kind == OPK_Xv) {
        base = R_ESI, index = -1, disp = 0;
        seg = insn->seg_override >= 0 ? insn->seg_override : R_DS;
    }
    bool show_seg = insn->seg_override >= 0 || seg == R_ES || (base == -1 && index == -1);
    if (show_seg && (size_t)n < size) {
        n += snprintf(buf + n, size - n, "%s:", x86_seg_names[seg]);
    }
    const char *sep = "";
    if ((size_t)n < size) {
        n += snprintf(buf + n, size - n, "[");
    }
    if (base == -2 && (size_t)n < size) {
        n += snprintf(buf + n, size - n, "rip");
        sep = "+";
    } else if (base >= 0 && (size_t)n < size) {
        n += snprintf(buf + n, size - n, "%s", x86_reg_name(base, asz, false));
        sep = "+";
    }
    if (index >= 0 && (size_t)n < size) {
        n += snprintf(buf + n, size - n, "%s%s", sep, x86_reg_name(index, asz, false));
        if (a->scale && (size_t)n < size) {
            n += snprintf(buf + n, size - n, "*%d", 1 << a->scale);
        }
        sep = "+";
    }
    if ((disp || !*sep) && (size_t)n < size) {
        uint64_t d = x86_trunc((uint64_t)disp, asz);
        if (*sep && disp < 0) {
            n += snprintf(buf + n, size - n, "-0x%llx", (unsigned long long)-disp);
        } else {
            n += snprintf(buf + n, size - n, "%s0x%llx", sep, (unsigned long long)d);
        }
    }
    if ((size_t)n < size) {
        n += snprintf(buf + n, size - n, "]");
    }
    return n;
}

int x86_format_insn(const X86Insn *insn, char *buf, size_t size)
{
    char mn[16];
    int n = 0;

    if (!insn->entry) {
        return snprintf(buf, size, "(bad)");
    }
    x86_mnemonic(insn, mn, sizeof(mn));
    n = snprintf(buf, size, "%s%s%s",
                 (insn->prefixes & PREFIX_LOCK) ? "lock " : "",
                 (insn->prefixes & PREFIX_REPZ) && (insn->entry->flags & (X86F_REP | X86F_REPZ)) ?
                 ((insn->entry->flags & X86F_REPZ) ? "repe " : "rep ") :
                 (insn->prefixes & PREFIX_REPNZ) && (insn->entry->flags & X86F_REPZ) ? "repne " : "",
                 mn);
    /* CMPPS & co printed as a pseudo-op carry the predicate in the name */
    const char *m = insn->entry->mnemonic;
    int nb_shown = (!strncmp(m, "CMP", 3) && strlen(m) == 5 && insn->nb_ops == 3 &&
                    insn->ops[2].imm < 8) ? 2 : insn->nb_ops;
    for (int i = 0; i < nb_shown && (size_t)n < size; i++) {
        const X86Operand *op = &insn->ops[i];
        n += snprintf(buf + n, size - n, i ? ", " : " ");
        if ((size_t)n >= size) {
            break;
        }
        int kind = insn->entry->ops[i];
        switch (op->type) {
        case X86_OPT_REG:
            n += snprintf(buf + n, size - n, "%s", x86_reg_name(op->reg, op->size, op->high8));
            break;
        case X86_OPT_SEG:
            n += snprintf(buf + n, size - n, "%s", x86_seg_names[op->reg % 6]);
            break;
        case X86_OPT_MMX:
            n += snprintf(buf + n, size - n, "mm%d", op->reg);
            break;
        case X86_OPT_XMM:
            n += snprintf(buf + n, size - n, "xmm%d", op->reg);
            break;
        case X86_OPT_CR:
            n += snprintf(buf + n, size - n, "cr%d", op->reg);
            break;
        case X86_OPT_DR:
            n += snprintf(buf + n, size - n, "dr%d", op->reg);
            break;
        case X86_OPT_ST:
            n += snprintf(buf + n, size - n, "st(%d)", op->reg);
            break;
        case X86_OPT_FAR:
            n += snprintf(buf + n, size - n, "0x%x:0x%llx", op->far_seg,
                          (unsigned long long)op->imm);
            break;
        case X86_OPT_IMM:
            if (kind == OPK_Jb || kind == OPK_Jz) {
                /* print the target; 16-bit operand size wraps IP */
                uint64_t t = insn->pc + insn->len + op->imm;
                t = x86_trunc(t, insn->opsize == 2 ? 2 : insn->mode == 64 ? 8 : 4);
                n += snprintf(buf + n, size - n, "0x%llx", (unsigned long long)t);
            } else {
                n += snprintf(buf + n, size - n, "0x%llx", (unsigned long long)op->imm);
            }
            break;
        case X86_OPT_MEM:
            n += x86_format_mem(insn, op, kind, buf + n, size - n);
            break;
        default:
            break;
        }
    }
    return n;
}
