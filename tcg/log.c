/*
 * -d logging: one printf-like entry point writing to the CPU's log file
 * (-D) or stderr. Callers test cpu_log_enabled() first so disabled items
 * cost nothing.
 */
#include <stdarg.h>
#include "tcg/cpu.h"

void cpu_log(CPUState *cpu, const char *fmt, ...)
{
    FILE *f = cpu && cpu->logfile ? cpu->logfile : stderr;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
}
