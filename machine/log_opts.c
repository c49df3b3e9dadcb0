/*
 * -d ITEMS and -D FILE: QEMU's logging switches mapped onto the CPU's
 * log_mask and logfile (tcg/log.c's cpu_log writes there). The item table
 * below is the only list of -d names: parsing and `-d help` both read it,
 * so they cannot disagree.
 */
#include <errno.h>
#include <string.h>
#include "machine/options.h"
#include "tcg/cpu.h"

static const struct {
    const char *name;
    uint32_t mask;
    const char *help;
} log_items[] = {
    { "in_asm",  LOG_IN_ASM,  "guest instructions of each translated block (Capstone)" },
    { "op",      LOG_OP,      "IR of each block as generated" },
    { "op_opt",  LOG_OP_OPT,  "IR of each block after optimisation" },
    { "out_asm", LOG_OUT_ASM, "host code of each block (Capstone)" },
    { "int",     LOG_INT,     "exceptions and interrupts, with the CPU state" },
    { "exec",    LOG_EXEC,    "every block executed" },
    { "cpu",     LOG_CPU,     "CPU state before each block" },
    { "trap",    LOG_TRAP,    "each privileged instruction or device access emulated, and what kasou did" },
};

int log_parse_items(const char *items, uint32_t *mask)
{
    const char *p = items;

    *mask = 0;
    while (*p) {
        size_t len = strcspn(p, ",");
        size_t i;
        if (len == 0) {          /* tolerate "a,,b" and a trailing comma */
            p++;
            continue;
        }
        for (i = 0; i < sizeof(log_items) / sizeof(log_items[0]); i++) {
            if (strlen(log_items[i].name) == len && !strncmp(log_items[i].name, p, len))
                break;
        }
        if (i == sizeof(log_items) / sizeof(log_items[0])) {
            kasou_error("unknown -d item '%.*s' (try -d help)", (int)len, p);
            return -1;
        }
        *mask |= log_items[i].mask;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

void log_print_help(FILE *f)
{
    fprintf(f, "Log items (comma separated, -d item1,item2; -D FILE to log to a file):\n");
    for (size_t i = 0; i < sizeof(log_items) / sizeof(log_items[0]); i++)
        fprintf(f, "%-8s %s\n", log_items[i].name, log_items[i].help);
}

int log_setup(CPUState *cpu, uint32_t mask, const char *file, FILE **opened)
{
    *opened = NULL;
    cpu->log_mask = mask;
    cpu->logfile = stderr;
    if (file) {
        FILE *f = fopen(file, "w");
        if (!f) {
            kasou_error("cannot open log file '%s': %s", file, strerror(errno));
            return -1;
        }
        setvbuf(f, NULL, _IOLBF, 0);
        cpu->logfile = f;
        *opened = f;
    }
    return 0;
}
