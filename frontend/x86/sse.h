/*
 * Shared by the MMX/SSE translator (translate-sse.c) and its helpers
 * (sse_helper.c, sse_fp_helper.c): how the aux argument of a SIMD helper
 * is packed, and the MXCSR bits kasou implements.
 */
#ifndef FRONTEND_X86_SSE_H
#define FRONTEND_X86_SSE_H

/* aux = imm8 | width << 8 | flags */
#define SSE_AUX_WIDTH(aux)  (((aux) >> 8) & 0xffu)   /* 8 (MMX), 16 (XMM); 4/8 for GPR widths */
#define SSE_AUX_IMM_COUNT   (1u << 16)   /* shift by the imm8, not by the source */
#define SSE_AUX_MEM         (1u << 17)   /* the source was memory (INSERTPS) */
#define SSE_AUX_REXW        (1u << 18)   /* REX.W (PCMPESTRx: RAX/RDX lengths) */

/* MXCSR: flags IE DE ZE OE UE PE (0-5), DAZ (6), masks (7-12), RC (13-14),
 * FTZ (15); everything above is reserved (#GP) */
#define X86_MXCSR_MASK   0xffffu
#define X86_MXCSR_FLAGS  0x3fu
#define X86_MXCSR_CTRL   0xe040u          /* RC, FTZ, DAZ */
#define X86_MXCSR_IE 0x01u
#define X86_MXCSR_DE 0x02u
#define X86_MXCSR_ZE 0x04u

#endif
