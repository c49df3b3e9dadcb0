/*
 * Plain x86-64 instruction encoders, named after the instruction and its
 * operand forms (emit_add_r32_r32, emit_mov_r64_m64 ...). Only encoding
 * lives here: no register allocation, no IR. Every encoder appends to a
 * JitBuf and never writes past its end (overflow is reported by the caller
 * checking jb->off > jb->cap). 32-bit register forms zero-extend into the
 * full 64-bit register, which the code generator relies on for I32 values.
 */
#ifndef BACKEND_X86_64_EMIT_H
#define BACKEND_X86_64_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
};

/* condition codes (low nibble of jcc/setcc/cmovcc) */
enum {
    X86_CC_O = 0, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE, X86_CC_A,
    X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G,
};

/* group-1 ALU ops: /digit of 0x81/0x83 and opcode base for r/m,r forms */
enum { X86_ALU_ADD = 0, X86_ALU_OR = 1, X86_ALU_AND = 4, X86_ALU_SUB = 5, X86_ALU_XOR = 6, X86_ALU_CMP = 7 };
/* group-2 shift ops: /digit of 0xC1/0xD3 */
enum { X86_SH_ROL = 0, X86_SH_ROR = 1, X86_SH_SHL = 4, X86_SH_SHR = 5, X86_SH_SAR = 7 };

typedef struct JitBuf {
    uint8_t *buf;      /* write view (RW) of the block's first byte */
    size_t off, cap;
} JitBuf;

static inline void emit_u8(JitBuf *jb, uint8_t b)
{
    if (jb->off < jb->cap)
        jb->buf[jb->off] = b;
    jb->off++;
}
/* one store when all bytes fit, byte by byte at the end of the buffer */
static inline void emit_u32(JitBuf *jb, uint32_t v)
{
    size_t off = jb->off;
    if (off + 4 <= jb->cap) {
        memcpy(jb->buf + off, &v, 4);
        jb->off = off + 4;
        return;
    }
    for (int i = 0; i < 4; i++)
        emit_u8(jb, (uint8_t)(v >> (8 * i)));
}
static inline void emit_u64(JitBuf *jb, uint64_t v)
{
    size_t off = jb->off;
    if (off + 8 <= jb->cap) {
        memcpy(jb->buf + off, &v, 8);
        jb->off = off + 8;
        return;
    }
    emit_u32(jb, (uint32_t)v);
    emit_u32(jb, (uint32_t)(v >> 32));
}
static inline void jit_patch_u32(JitBuf *jb, size_t at, uint32_t v)
{
    if (at + 4 <= jb->cap)
        memcpy(jb->buf + at, &v, 4);
}
static inline void jit_patch_u64(JitBuf *jb, size_t at, uint64_t v)
{
    if (at + 8 <= jb->cap)
        memcpy(jb->buf + at, &v, 8);
}

static inline bool x86_fits_i32(int64_t v) { return v == (int32_t)v; }
static inline bool x86_fits_i8(int64_t v) { return v == (int8_t)v; }

/* REX prefix; byte_regs forces one for spl/bpl/sil/dil access */
static inline void emit_rex(JitBuf *jb, int w, int reg, int index, int base, bool byte_regs)
{
    uint8_t rex = 0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) | ((base & 8) ? 1 : 0);
    if (rex != 0x40 || (byte_regs && ((reg & 15) >= 4 || (base & 15) >= 4)))
        emit_u8(jb, rex);
}

/* Opcode with up to 3 bytes; prefixes (0x66, 0xF3) must be emitted before REX. */
static inline void emit_opc(JitBuf *jb, uint32_t opc, int nbytes)
{
    for (int i = nbytes - 1; i >= 0; i--)
        emit_u8(jb, (uint8_t)(opc >> (8 * i)));
}

/* modrm for [base + disp] (no index) */
static inline void emit_modrm_mem(JitBuf *jb, int reg, int base, int32_t disp)
{
    int r = reg & 7, b = base & 7;
    int mod = (disp == 0 && b != 5) ? 0 : x86_fits_i8(disp) ? 1 : 2;
    emit_u8(jb, (uint8_t)(mod << 6 | r << 3 | b));
    if (b == 4)
        emit_u8(jb, 0x24);          /* SIB: base only (rsp/r12) */
    if (mod == 1)
        emit_u8(jb, (uint8_t)disp);
    else if (mod == 2)
        emit_u32(jb, (uint32_t)disp);
}

/* modrm + SIB for [base + index] (scale 1, no displacement); index != rsp */
static inline void emit_modrm_bi(JitBuf *jb, int reg, int base, int index)
{
    bool disp8 = (base & 7) == 5;   /* rbp/r13 base: mod 00 would mean disp32, no base */
    emit_u8(jb, (uint8_t)((disp8 ? 0x44 : 0x04) | (reg & 7) << 3));
    emit_u8(jb, (uint8_t)((index & 7) << 3 | (base & 7)));
    if (disp8)
        emit_u8(jb, 0);
}

/* generic forms: [pfx] REX opc modrm */
static inline void emit_op_rr(JitBuf *jb, int pfx, uint32_t opc, int nb, int w, int reg, int rm, bool byte_regs)
{
    if (pfx)
        emit_u8(jb, (uint8_t)pfx);
    emit_rex(jb, w, reg, 0, rm, byte_regs);
    emit_opc(jb, opc, nb);
    emit_u8(jb, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}
static inline void emit_op_rm(JitBuf *jb, int pfx, uint32_t opc, int nb, int w, int reg, int base, int32_t disp,
                              bool byte_regs)
{
    if (pfx)
        emit_u8(jb, (uint8_t)pfx);
    emit_rex(jb, w, reg, 0, base, byte_regs);
    emit_opc(jb, opc, nb);
    emit_modrm_mem(jb, reg, base, disp);
}

/* [pfx] REX opc modrm SIB for [base + index] */
static inline void emit_op_rbi(JitBuf *jb, int pfx, uint32_t opc, int nb, int w, int reg, int base, int index,
                               bool byte_regs)
{
    if (pfx)
        emit_u8(jb, (uint8_t)pfx);
    uint8_t rex = 0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) | ((base & 8) ? 1 : 0);
    if (rex != 0x40 || (byte_regs && (reg & 15) >= 4))
        emit_u8(jb, rex);
    emit_opc(jb, opc, nb);
    emit_modrm_bi(jb, reg, base, index);
}

/* ---- moves ---- */
static inline void emit_mov_r32_r32(JitBuf *jb, int d, int s) { emit_op_rr(jb, 0, 0x89, 1, 0, s, d, false); }
static inline void emit_mov_r64_r64(JitBuf *jb, int d, int s) { emit_op_rr(jb, 0, 0x89, 1, 1, s, d, false); }
static inline void emit_mov_r32_m32(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x8b, 1, 0, d, b, o, false); }
static inline void emit_mov_r64_m64(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x8b, 1, 1, d, b, o, false); }
static inline void emit_mov_m8_r8(JitBuf *jb, int b, int32_t o, int s) { emit_op_rm(jb, 0, 0x88, 1, 0, s, b, o, true); }
static inline void emit_mov_m16_r16(JitBuf *jb, int b, int32_t o, int s) { emit_op_rm(jb, 0x66, 0x89, 1, 0, s, b, o, false); }
static inline void emit_mov_m32_r32(JitBuf *jb, int b, int32_t o, int s) { emit_op_rm(jb, 0, 0x89, 1, 0, s, b, o, false); }
static inline void emit_mov_m64_r64(JitBuf *jb, int b, int32_t o, int s) { emit_op_rm(jb, 0, 0x89, 1, 1, s, b, o, false); }
static inline void emit_mov_m8_imm8(JitBuf *jb, int b, int32_t o, uint8_t v)
{ emit_op_rm(jb, 0, 0xc6, 1, 0, 0, b, o, false); emit_u8(jb, v); }
static inline void emit_mov_m16_imm16(JitBuf *jb, int b, int32_t o, uint16_t v)
{ emit_op_rm(jb, 0x66, 0xc7, 1, 0, 0, b, o, false); emit_u8(jb, (uint8_t)v); emit_u8(jb, (uint8_t)(v >> 8)); }
static inline void emit_mov_m32_imm32(JitBuf *jb, int b, int32_t o, uint32_t v)
{ emit_op_rm(jb, 0, 0xc7, 1, 0, 0, b, o, false); emit_u32(jb, v); }
static inline void emit_mov_m64_imm32(JitBuf *jb, int b, int32_t o, int32_t v)   /* sign-extended */
{ emit_op_rm(jb, 0, 0xc7, 1, 1, 0, b, o, false); emit_u32(jb, (uint32_t)v); }
static inline void emit_mov_r32_imm32(JitBuf *jb, int d, uint32_t v)
{ emit_rex(jb, 0, 0, 0, d, false); emit_u8(jb, (uint8_t)(0xb8 + (d & 7))); emit_u32(jb, v); }
static inline void emit_mov_r64_imm32(JitBuf *jb, int d, int32_t v)              /* sign-extended */
{ emit_rex(jb, 1, 0, 0, d, false); emit_u8(jb, 0xc7); emit_u8(jb, (uint8_t)(0xc0 | (d & 7))); emit_u32(jb, (uint32_t)v); }
static inline void emit_movabs_r64_imm64(JitBuf *jb, int d, uint64_t v)
{ emit_rex(jb, 1, 0, 0, d, false); emit_u8(jb, (uint8_t)(0xb8 + (d & 7))); emit_u64(jb, v); }
/* Load any constant without touching flags (never xor r,r). */
static inline void emit_movi(JitBuf *jb, int is64, int d, uint64_t v)
{
    if (!is64 || v == (uint32_t)v)
        emit_mov_r32_imm32(jb, d, (uint32_t)v);
    else if (x86_fits_i32((int64_t)v))
        emit_mov_r64_imm32(jb, d, (int32_t)v);
    else
        emit_movabs_r64_imm64(jb, d, v);
}

/* loads with extension */
static inline void emit_movzx_r32_m8(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x0fb6, 2, 0, d, b, o, false); }
static inline void emit_movzx_r32_m16(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x0fb7, 2, 0, d, b, o, false); }
static inline void emit_movsx_r32_m8(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x0fbe, 2, 0, d, b, o, false); }
static inline void emit_movsx_r64_m8(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x0fbe, 2, 1, d, b, o, false); }
static inline void emit_movsx_r32_m16(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x0fbf, 2, 0, d, b, o, false); }
static inline void emit_movsx_r64_m16(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x0fbf, 2, 1, d, b, o, false); }
static inline void emit_movsxd_r64_m32(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x63, 1, 1, d, b, o, false); }
/* the same loads and stores at [b + i] (the TLB fast path: host addend + guest address) */
static inline void emit_movzx_r32_m8_bi(JitBuf *jb, int d, int b, int i) { emit_op_rbi(jb, 0, 0x0fb6, 2, 0, d, b, i, false); }
static inline void emit_movzx_r32_m16_bi(JitBuf *jb, int d, int b, int i) { emit_op_rbi(jb, 0, 0x0fb7, 2, 0, d, b, i, false); }
static inline void emit_movsx_r32_m8_bi(JitBuf *jb, int d, int b, int i) { emit_op_rbi(jb, 0, 0x0fbe, 2, 0, d, b, i, false); }
static inline void emit_movsx_r64_m8_bi(JitBuf *jb, int d, int b, int i) { emit_op_rbi(jb, 0, 0x0fbe, 2, 1, d, b, i, false); }
static inline void emit_movsx_r32_m16_bi(JitBuf *jb, int d, int b, int i) { emit_op_rbi(jb, 0, 0x0fbf, 2, 0, d, b, i, false); }
static inline void emit_movsx_r64_m16_bi(JitBuf *jb, int d, int b, int i) { emit_op_rbi(jb, 0, 0x0fbf, 2, 1, d, b, i, false); }
static inline void emit_movsxd_r64_m32_bi(JitBuf *jb, int d, int b, int i) { emit_op_rbi(jb, 0, 0x63, 1, 1, d, b, i, false); }
static inline void emit_mov_r32_m32_bi(JitBuf *jb, int d, int b, int i) { emit_op_rbi(jb, 0, 0x8b, 1, 0, d, b, i, false); }
static inline void emit_mov_r64_m64_bi(JitBuf *jb, int d, int b, int i) { emit_op_rbi(jb, 0, 0x8b, 1, 1, d, b, i, false); }
static inline void emit_mov_m8_r8_bi(JitBuf *jb, int b, int i, int s) { emit_op_rbi(jb, 0, 0x88, 1, 0, s, b, i, true); }
static inline void emit_mov_m16_r16_bi(JitBuf *jb, int b, int i, int s) { emit_op_rbi(jb, 0x66, 0x89, 1, 0, s, b, i, false); }
static inline void emit_mov_m32_r32_bi(JitBuf *jb, int b, int i, int s) { emit_op_rbi(jb, 0, 0x89, 1, 0, s, b, i, false); }
static inline void emit_mov_m64_r64_bi(JitBuf *jb, int b, int i, int s) { emit_op_rbi(jb, 0, 0x89, 1, 1, s, b, i, false); }
static inline void emit_mov_m8_imm8_bi(JitBuf *jb, int b, int i, uint8_t v)
{ emit_op_rbi(jb, 0, 0xc6, 1, 0, 0, b, i, false); emit_u8(jb, v); }
static inline void emit_mov_m16_imm16_bi(JitBuf *jb, int b, int i, uint16_t v)
{ emit_op_rbi(jb, 0x66, 0xc7, 1, 0, 0, b, i, false); emit_u8(jb, (uint8_t)v); emit_u8(jb, (uint8_t)(v >> 8)); }
static inline void emit_mov_m32_imm32_bi(JitBuf *jb, int b, int i, uint32_t v)
{ emit_op_rbi(jb, 0, 0xc7, 1, 0, 0, b, i, false); emit_u32(jb, v); }
static inline void emit_mov_m64_imm32_bi(JitBuf *jb, int b, int i, int32_t v)   /* sign-extended */
{ emit_op_rbi(jb, 0, 0xc7, 1, 1, 0, b, i, false); emit_u32(jb, (uint32_t)v); }

/* register extension */
static inline void emit_movzx_r32_r8(JitBuf *jb, int d, int s) { emit_op_rr(jb, 0, 0x0fb6, 2, 0, d, s, true); }
static inline void emit_movzx_r32_r16(JitBuf *jb, int d, int s) { emit_op_rr(jb, 0, 0x0fb7, 2, 0, d, s, false); }
static inline void emit_movsx_r32_r8(JitBuf *jb, int d, int s) { emit_op_rr(jb, 0, 0x0fbe, 2, 0, d, s, true); }
static inline void emit_movsx_r64_r8(JitBuf *jb, int d, int s) { emit_op_rr(jb, 0, 0x0fbe, 2, 1, d, s, true); }
static inline void emit_movsx_r32_r16(JitBuf *jb, int d, int s) { emit_op_rr(jb, 0, 0x0fbf, 2, 0, d, s, false); }
static inline void emit_movsx_r64_r16(JitBuf *jb, int d, int s) { emit_op_rr(jb, 0, 0x0fbf, 2, 1, d, s, false); }
static inline void emit_movsxd_r64_r32(JitBuf *jb, int d, int s) { emit_op_rr(jb, 0, 0x63, 1, 1, d, s, false); }

static inline void emit_lea_r64_m(JitBuf *jb, int d, int b, int32_t o) { emit_op_rm(jb, 0, 0x8d, 1, 1, d, b, o, false); }
/* lea d, [b + i] (32- or 64-bit result) */
static inline void emit_lea_r_bi(JitBuf *jb, int w, int d, int b, int i) { emit_op_rbi(jb, 0, 0x8d, 1, w, d, b, i, false); }

/* ---- ALU ---- */
static inline void emit_alu_rr(JitBuf *jb, int alu, int w, int d, int s)
{ emit_op_rr(jb, 0, (uint32_t)(alu << 3 | 1), 1, w, s, d, false); }
static inline void emit_alu_ri(JitBuf *jb, int alu, int w, int d, int32_t imm)
{
    if (x86_fits_i8(imm)) {
        emit_op_rr(jb, 0, 0x83, 1, w, alu, d, false);
        emit_u8(jb, (uint8_t)imm);
    } else {
        emit_op_rr(jb, 0, 0x81, 1, w, alu, d, false);
        emit_u32(jb, (uint32_t)imm);
    }
}
static inline void emit_alu_rm(JitBuf *jb, int alu, int w, int d, int b, int32_t o)   /* d op= [b+o] */
{ emit_op_rm(jb, 0, (uint32_t)(alu << 3 | 3), 1, w, d, b, o, false); }

#define X86_DEF_ALU(name, alu) \
    static inline void emit_##name##_r32_r32(JitBuf *jb, int d, int s) { emit_alu_rr(jb, alu, 0, d, s); } \
    static inline void emit_##name##_r64_r64(JitBuf *jb, int d, int s) { emit_alu_rr(jb, alu, 1, d, s); } \
    static inline void emit_##name##_r32_imm(JitBuf *jb, int d, int32_t i) { emit_alu_ri(jb, alu, 0, d, i); } \
    static inline void emit_##name##_r64_imm(JitBuf *jb, int d, int32_t i) { emit_alu_ri(jb, alu, 1, d, i); }
X86_DEF_ALU(add, X86_ALU_ADD)
X86_DEF_ALU(or, X86_ALU_OR)
X86_DEF_ALU(and, X86_ALU_AND)
X86_DEF_ALU(sub, X86_ALU_SUB)
X86_DEF_ALU(xor, X86_ALU_XOR)
X86_DEF_ALU(cmp, X86_ALU_CMP)
#undef X86_DEF_ALU
static inline void emit_add_r64_m64(JitBuf *jb, int d, int b, int32_t o) { emit_alu_rm(jb, X86_ALU_ADD, 1, d, b, o); }
static inline void emit_cmp_r64_m64(JitBuf *jb, int d, int b, int32_t o) { emit_alu_rm(jb, X86_ALU_CMP, 1, d, b, o); }
static inline void emit_cmp_m32_imm8(JitBuf *jb, int b, int32_t o, int8_t v)
{ emit_op_rm(jb, 0, 0x83, 1, 0, X86_ALU_CMP, b, o, false); emit_u8(jb, (uint8_t)v); }

static inline void emit_test_rr(JitBuf *jb, int w, int a, int b) { emit_op_rr(jb, 0, 0x85, 1, w, b, a, false); }
static inline void emit_test_ri(JitBuf *jb, int w, int a, int32_t imm)
{ emit_op_rr(jb, 0, 0xf7, 1, w, 0, a, false); emit_u32(jb, (uint32_t)imm); }

/* group 3: not /2, neg /3, mul /4, imul /5 */
static inline void emit_grp3(JitBuf *jb, int w, int digit, int r) { emit_op_rr(jb, 0, 0xf7, 1, w, digit, r, false); }
static inline void emit_not_r(JitBuf *jb, int w, int r) { emit_grp3(jb, w, 2, r); }
static inline void emit_neg_r(JitBuf *jb, int w, int r) { emit_grp3(jb, w, 3, r); }
static inline void emit_mul_r(JitBuf *jb, int w, int r) { emit_grp3(jb, w, 4, r); }    /* rdx:rax = rax * r */
static inline void emit_imul1_r(JitBuf *jb, int w, int r) { emit_grp3(jb, w, 5, r); }
static inline void emit_imul_rr(JitBuf *jb, int w, int d, int s) { emit_op_rr(jb, 0, 0x0faf, 2, w, d, s, false); }
static inline void emit_imul_rri(JitBuf *jb, int w, int d, int s, int32_t imm)
{
    if (x86_fits_i8(imm)) {
        emit_op_rr(jb, 0, 0x6b, 1, w, d, s, false);
        emit_u8(jb, (uint8_t)imm);
    } else {
        emit_op_rr(jb, 0, 0x69, 1, w, d, s, false);
        emit_u32(jb, (uint32_t)imm);
    }
}

static inline void emit_shift_ri(JitBuf *jb, int op, int w, int r, int cnt)
{
    if (cnt == 1) {
        emit_op_rr(jb, 0, 0xd1, 1, w, op, r, false);
    } else {
        emit_op_rr(jb, 0, 0xc1, 1, w, op, r, false);
        emit_u8(jb, (uint8_t)cnt);
    }
}
static inline void emit_shift_rcl(JitBuf *jb, int op, int w, int r) { emit_op_rr(jb, 0, 0xd3, 1, w, op, r, false); }
static inline void emit_shl_r64_imm(JitBuf *jb, int r, int c) { emit_shift_ri(jb, X86_SH_SHL, 1, r, c); }
static inline void emit_shr_r64_imm(JitBuf *jb, int r, int c) { emit_shift_ri(jb, X86_SH_SHR, 1, r, c); }

static inline void emit_bswap_r(JitBuf *jb, int w, int r)
{ emit_rex(jb, w, 0, 0, r, false); emit_u8(jb, 0x0f); emit_u8(jb, (uint8_t)(0xc8 + (r & 7))); }

/* bit scans and counts */
static inline void emit_bsf_rr(JitBuf *jb, int w, int d, int s) { emit_op_rr(jb, 0, 0x0fbc, 2, w, d, s, false); }
static inline void emit_bsr_rr(JitBuf *jb, int w, int d, int s) { emit_op_rr(jb, 0, 0x0fbd, 2, w, d, s, false); }
static inline void emit_tzcnt_rr(JitBuf *jb, int w, int d, int s) { emit_op_rr(jb, 0xf3, 0x0fbc, 2, w, d, s, false); }
static inline void emit_lzcnt_rr(JitBuf *jb, int w, int d, int s) { emit_op_rr(jb, 0xf3, 0x0fbd, 2, w, d, s, false); }
static inline void emit_popcnt_rr(JitBuf *jb, int w, int d, int s) { emit_op_rr(jb, 0xf3, 0x0fb8, 2, w, d, s, false); }

/* conditional ops */
static inline void emit_setcc_r8(JitBuf *jb, int cc, int r) { emit_op_rr(jb, 0, (uint32_t)(0x0f90 | cc), 2, 0, 0, r, true); }
static inline void emit_cmovcc_rr(JitBuf *jb, int cc, int w, int d, int s)
{ emit_op_rr(jb, 0, (uint32_t)(0x0f40 | cc), 2, w, d, s, false); }

/* ---- control flow (rel32 displacement relative to the end of the insn) ---- */
static inline void emit_jmp_rel32(JitBuf *jb, int32_t rel) { emit_u8(jb, 0xe9); emit_u32(jb, (uint32_t)rel); }
static inline void emit_jcc_rel32(JitBuf *jb, int cc, int32_t rel)
{ emit_u8(jb, 0x0f); emit_u8(jb, (uint8_t)(0x80 | cc)); emit_u32(jb, (uint32_t)rel); }
static inline void emit_jmp_r64(JitBuf *jb, int r) { emit_op_rr(jb, 0, 0xff, 1, 0, 4, r, false); }
static inline void emit_call_r64(JitBuf *jb, int r) { emit_op_rr(jb, 0, 0xff, 1, 0, 2, r, false); }
static inline void emit_call_rel32(JitBuf *jb, int32_t rel) { emit_u8(jb, 0xe8); emit_u32(jb, (uint32_t)rel); }
static inline void emit_nop(JitBuf *jb) { emit_u8(jb, 0x90); }

#endif
