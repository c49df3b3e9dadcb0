/*
 * CPUID feature bits (SDM vol. 2, CPUID; the names are the manual's).
 * The models in cpu.c set them; the system helpers test them so that an
 * MSR or an instruction exists exactly when CPUID says it does.
 */
#ifndef FRONTEND_X86_CPUID_H
#define FRONTEND_X86_CPUID_H

/* leaf 1 EDX */
#define CPUID_FPU   (1u << 0)
#define CPUID_VME   (1u << 1)
#define CPUID_DE    (1u << 2)
#define CPUID_PSE   (1u << 3)
#define CPUID_TSC   (1u << 4)
#define CPUID_MSR   (1u << 5)
#define CPUID_PAE   (1u << 6)
#define CPUID_MCE   (1u << 7)
#define CPUID_CX8   (1u << 8)
#define CPUID_APIC  (1u << 9)
#define CPUID_SEP   (1u << 11)
#define CPUID_MTRR  (1u << 12)
#define CPUID_PGE   (1u << 13)
#define CPUID_MCA   (1u << 14)
#define CPUID_CMOV  (1u << 15)
#define CPUID_PAT   (1u << 16)
#define CPUID_PSE36 (1u << 17)
#define CPUID_CLFSH (1u << 19)
#define CPUID_MMX   (1u << 23)
#define CPUID_FXSR  (1u << 24)
#define CPUID_SSE   (1u << 25)
#define CPUID_SSE2  (1u << 26)
/* leaf 1 ECX */
#define CPUID_EXT_SSE3   (1u << 0)
#define CPUID_EXT_SSSE3  (1u << 9)
#define CPUID_EXT_CX16   (1u << 13)
#define CPUID_EXT_SSE41  (1u << 19)
#define CPUID_EXT_SSE42  (1u << 20)
#define CPUID_EXT_POPCNT (1u << 23)
#define CPUID_EXT_XSAVE   (1u << 26)
#define CPUID_EXT_OSXSAVE (1u << 27)   /* a copy of CR4.OSXSAVE */
#define CPUID_EXT_HYPERVISOR (1u << 31)
/* leaf 0xD sub-leaf 1 EAX */
#define CPUID_XSAVE_XSAVEOPT (1u << 0)
/* XCR0: the state components XSAVE manages (x87 and SSE only: no AVX) */
#define XSTATE_X87 (1ull << 0)
#define XSTATE_SSE (1ull << 1)
#define XSTATE_SUPPORTED (XSTATE_X87 | XSTATE_SSE)
/* leaf 0x80000001 EDX */
#define CPUID_EXT2_SYSCALL (1u << 11)
#define CPUID_EXT2_NX      (1u << 20)
#define CPUID_EXT2_PDPE1GB (1u << 26)
#define CPUID_EXT2_RDTSCP  (1u << 27)
#define CPUID_EXT2_LM      (1u << 29)
/* leaf 0x80000001 ECX */
#define CPUID_EXT3_LAHF_LM (1u << 0)
#define CPUID_EXT3_ABM     (1u << 5)   /* LZCNT */

#endif
