/*
 * A small human monitor, as QEMU's (same command names and output
 * shapes where they compare): reached with Ctrl-A c on the stdio console
 * (the mux toggles between the guest's serial port and the monitor) or
 * alone on stdio with `-monitor stdio`. It reads a line at a time from
 * the bytes machine.c hands it (the terminal is already raw), echoes them
 * and prints to stdout. The guest keeps running while it is in use.
 */
#ifndef MACHINE_MONITOR_H
#define MACHINE_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Machine Machine;

typedef struct Monitor {
    bool active;          /* stdin goes to the monitor, not the guest */
    bool greeted;         /* the banner was printed once */
    char line[256];       /* the line being typed */
    size_t len;
    bool last_was_cr;     /* a LF right after CR is the same Enter */
} Monitor;

/* Ctrl-A c: switch between the guest's console and the monitor. */
void monitor_toggle(Machine *m);
/* Enter the monitor for good (-monitor stdio): banner and prompt. */
void monitor_open(Machine *m);
/* One byte of input while the monitor is active. */
void monitor_input_byte(Machine *m, uint8_t c);
/* Run one command line (without the newline); output on stdout. */
void monitor_execute(Machine *m, const char *cmdline);

#endif
