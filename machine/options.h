/*
 * The command line, QEMU-style: every option QEMU has keeps QEMU's name and
 * meaning. Parsing only records what was asked; boards act on it.
 */
#ifndef MACHINE_OPTIONS_H
#define MACHINE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum SerialKind {
    SERIAL_DEFAULT,   /* not given: stdio unless -nodefaults */
    SERIAL_STDIO,
    SERIAL_NULL,      /* the UART exists, output is dropped */
    SERIAL_NONE,      /* no UART at all */
    SERIAL_FILE,
} SerialKind;

typedef enum RtcBase {
    RTC_BASE_UTC,     /* the default: host time in UTC */
    RTC_BASE_LOCALTIME,
    RTC_BASE_DATE,    /* a fixed start date (-rtc base=2006-06-17T16:01:21) */
} RtcBase;

typedef struct KasouOptions {
    const char *machine;          /* board name */
    uint64_t ram_size;            /* bytes */
    const char *cpu_model;
    const char *kernel, *append, *initrd;
    bool nographic, no_reboot, nodefaults;
    SerialKind serial;
    const char *serial_path;      /* SERIAL_FILE */
    uint32_t log_mask;            /* LOG_* of tcg/cpu.h */
    const char *log_file;         /* -D */
    /* -accel */
    bool use_interp, chain, tlb_inline, single_insn;
    /* -device isa-debug-exit (present by default on pc, see machine/README.md) */
    bool debug_exit_given;
    uint16_t debug_exit_iobase, debug_exit_iosize;
    bool perfmap;
    /* -rtc */
    RtcBase rtc_base;
    int64_t rtc_date;             /* RTC_BASE_DATE: seconds since the epoch the RTC starts at */
    bool semihosting;             /* -semihosting: ARM semihosting calls (virt) */
    const char *bios;             /* -bios: firmware image (pc: mapped below 4 GiB, started at the reset vector) */
    bool monitor_stdio;           /* -monitor stdio: the monitor alone on stdio */
} KasouOptions;

typedef enum OptionsResult {
    OPTIONS_RUN,       /* go on and build the machine */
    OPTIONS_DONE,      /* a help/version request was answered: exit 0 */
    OPTIONS_ERROR,     /* one "kasou: ..." line was printed: exit 1 */
} OptionsResult;

OptionsResult options_parse(KasouOptions *o, int argc, char **argv);

/* "kasou: <message>" on stderr, one line. */
void kasou_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* -d items (machine/log_opts.c) */
int log_parse_items(const char *items, uint32_t *mask);   /* 0, or -1 after an error line */
void log_print_help(FILE *f);
/* Give the CPU its mask and log stream (-D file, else stderr). The file is
 * opened here and returned in *opened for the machine to close; -1 after an
 * error line. */
struct CPUState;
int log_setup(struct CPUState *cpu, uint32_t mask, const char *file, FILE **opened);

#endif
