/*
 * A board is a memory map plus wiring: which RAM, which devices at which
 * addresses, which CPU, which loader. BoardClass is its small vtable;
 * Machine is the running instance, and the only place mutable host-side
 * state lives (terminal, serial backend, exit requests). The run loop in
 * machine/main.c is board-neutral: it talks to boards through BoardClass.
 */
#ifndef MACHINE_BOARD_H
#define MACHINE_BOARD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <termios.h>
#include "devices/device.h"
#include "devices/timer.h"
#include "machine/monitor.h"
#include "machine/options.h"
#include "softmmu/memory.h"
#include "tcg/cpu.h"

#define MACHINE_MAX_DEVICES 16

typedef struct BoardClass {
    const char *name;
    const char *desc;                  /* one line for -M help */
    /* Build memory, CPU and devices and load the guest. 0, or -1 after one
     * "kasou: ..." line (the caller frees the machine). */
    int (*init)(Machine *m);
    /* System reset (a triple fault without -no-reboot): 0 or -1 as init. */
    int (*reset)(Machine *m);
    /* The CPU halted: NULL if an interrupt may still wake it, else the
     * reason no interrupt ever can (the run ends with that line). */
    const char *(*halt_is_final)(Machine *m);
    void (*free)(Machine *m);
    /* The monitor's system_powerdown (the ACPI power button); NULL: none. */
    void (*powerdown)(Machine *m);
    /* The MMU index the monitor's `x` reads guest virtual memory through
     * (the privileged data one). */
    int monitor_mmu_idx;
} BoardClass;

/* Host input for the console device (the board sets it; NULL = none). */
typedef struct ConsoleInput {
    size_t (*can_receive)(void *opaque);
    void (*receive)(void *opaque, const uint8_t *buf, size_t len);
    void *opaque;
} ConsoleInput;

struct Machine {
    const BoardClass *board;
    const KasouOptions *opts;
    AddressSpace *mem;                 /* "memory" */
    AddressSpace *io;                  /* "io": x86 port space, 64 KiB */
    CPUState *cpu;
    void *board_state;                 /* the board's devices */
    Device *devices[MACHINE_MAX_DEVICES];   /* reset in order on system reset */
    int nb_devices;

    /* host side of the serial console (machine/main.c) */
    int serial_out_fd;                 /* -1: output dropped */
    bool serial_out_owned;             /* opened by us (-serial file:) */
    bool stdin_is_console;             /* COM1 = stdio: read stdin, Ctrl-A commands */
    bool stdin_eof;
    bool ctrl_a_pending;               /* last stdin byte was the Ctrl-A escape */
    uint8_t con_buf[256];              /* input the device's FIFO has no room for yet */
    size_t con_len;
    ConsoleInput console_in;
    Monitor mon;                       /* machine/monitor.c: Ctrl-A c or -monitor stdio */
    bool paused;                       /* the monitor's stop: the CPU does not run */

    /* how the run ends */
    bool exit_requested;
    int exit_status;
    bool reset_requested;              /* a device pulled the reset line */

    /* the device clock and its timers (the event loop runs them) */
    TimerList timers;

    /* terminal and ticker (machine/machine.c) */
    bool tty_raw;
    struct termios tty_saved;
    pthread_t ticker;
    bool ticker_running;
    volatile bool ticker_stop;
    int host_signal;                   /* set by the ticker, taken by the loop (atomics) */
    int signal_fd;                     /* SIGINT/SIGTERM/SIGHUP, read by the ticker */
    int ticker_wake_fd;                /* eventfd: loop -> ticker (deadline earlier, CPU running) */
    int loop_wake_fd;                  /* eventfd: ticker -> loop (a signal while the CPU sleeps) */
    bool cpu_idle;                     /* the loop sleeps in HLT: the ticker need not tick (atomic) */
    FILE *logfile;                     /* -D, owned */
    FILE *perf_map;                    /* -perfmap, owned */
};

/* Boards (machine/options.c keeps the list -M reads). */
extern const BoardClass pc_board;
const BoardClass *board_find(const char *name);
void board_print_list(FILE *f);

/* The machine's life (machine/machine.c): build the board named in o, run
 * it until the guest or the user ends the run, free it. machine_run
 * returns the process exit status. */
Machine *machine_new(const KasouOptions *o);      /* NULL after an error line */
int machine_run(Machine *m);
void machine_free(Machine *m);

/* For boards: register a device for system reset; end the run with a
 * status at the next block boundary (devices call this via callbacks). */
void machine_add_device(Machine *m, Device *d);
void machine_request_exit(Machine *m, int status);
/* A system reset at the next block boundary (the board's reset, or the
 * end of the run with -no-reboot). */
void machine_request_reset(Machine *m);
/* Serial backend write for a UART wired to the console. */
void machine_serial_write(void *opaque, const uint8_t *buf, size_t len);
/* The console device has room for input again (opaque = Machine). */
void machine_console_ready(void *opaque);

#endif
