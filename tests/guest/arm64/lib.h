/* The bare-metal AArch64 guests' runtime: PL011 output, a small printf,
 * check lines, exits through PSCI, and the exception frame. */
#ifndef GUEST_ARM64_LIB_H
#define GUEST_ARM64_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ExcFrame {
    uint64_t x[31];
    uint64_t sp_el0, elr, spsr, esr, far;
} ExcFrame;

/* Called for every exception with the vector offset; the default handler
 * (weak) prints the syndrome and fails the test. */
void exc_handler(ExcFrame *f, uint64_t vector);
extern void (*exc_hook)(ExcFrame *f, uint64_t vector);

void putchar_(int c);
void puts_(const char *s);
void printf_(const char *fmt, ...);
void check(const char *name, uint64_t got, uint64_t want);
void guest_exit(void) __attribute__((noreturn));
extern int failures;

#define READ_SYSREG(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define WRITE_SYSREG(r, v) __asm__ volatile("msr " #r ", %0" :: "r"((uint64_t)(v)) : "memory")
#define NZCV() (READ_SYSREG(nzcv) >> 28)

#endif
