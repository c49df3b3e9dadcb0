/*
 * The x87 helper interface shared by translate-fpu.c and fpu_helper.c:
 * memory operand kinds and the bits of the helpers' descriptor words.
 */
#ifndef FRONTEND_X86_FPU_HELPER_H
#define FRONTEND_X86_FPU_HELPER_H

/* memory operand kinds */
enum { X87_M32FP, X87_M64FP, X87_M80FP, X87_M16INT, X87_M32INT, X87_M64INT, X87_M80BCD };

/* arithmetic operations, numbered as ModRM.reg of D8 */
enum { X87_ADD, X87_MUL, X87_COM, X87_COMP, X87_SUB, X87_SUBR, X87_DIV, X87_DIVR };

/* descriptor flags */
#define X87_POP     (1u << 8)    /* pop once after */
#define X87_TRUNC   (1u << 9)    /* FISTTP: truncate */
#define X87_TO_STI  (1u << 10)   /* ST(i) = ST(i) op ST(0) */
#define X87_QUIET   (1u << 11)   /* FUCOM*: QNaN operands do not raise IE */
#define X87_POP2    (1u << 12)   /* FCOMPP, FUCOMPP */

#endif
