/*
 * The machine's life and the event loop: build the board, run the CPU,
 * run the device timers that expired, serve the host side between runs
 * (console input, Ctrl-A commands, signals), sleep while the guest idles
 * in HLT, and end the run with the right status. A ticker thread only
 * sends the CPU out of its code (cpu_exit) at the next timer deadline and
 * every few ms, so timers fire on time and the loop comes back to the
 * host even when the guest never stops; it also takes SIGINT/SIGTERM/
 * SIGHUP from a signalfd. Everything else happens on the main thread.
 * Must stay true: the terminal is restored on every exit path this file
 * controls; the ticker touches only the CPU's atomic request bits, the
 * timer list's atomic deadline, host_signal, cpu_idle and the eventfds
 * (plus the terminal when it must force an exit).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include "machine/board.h"

#define TICK_NS   (10 * 1000 * 1000)   /* the host side runs at least every 10 ms */
#define CTRL_A    0x01

void machine_add_device(Machine *m, Device *d)
{
    if (m->nb_devices < MACHINE_MAX_DEVICES)
        m->devices[m->nb_devices++] = d;
}

void machine_request_exit(Machine *m, int status)
{
    if (!m->exit_requested) {
        m->exit_requested = true;
        m->exit_status = status;
    }
    if (m->cpu)
        cpu_exit(m->cpu);
}

void machine_serial_write(void *opaque, const uint8_t *buf, size_t len)
{
    Machine *m = opaque;

    while (len && m->serial_out_fd >= 0) {
        ssize_t n = write(m->serial_out_fd, buf, len);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (n < 0 && errno == EAGAIN) {
            struct pollfd p = { .fd = m->serial_out_fd, .events = POLLOUT };
            poll(&p, 1, 100);
        } else if (n < 0 && errno != EINTR) {
            m->serial_out_fd = -1;     /* closed pipe or full disk: drop output from now on */
        }
    }
}

/* ---- the terminal ---- */
static void machine_tty_raw(Machine *m)
{
    struct termios t;

    if (!m->stdin_is_console || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &m->tty_saved) < 0)
        return;
    t = m->tty_saved;
    /* raw input (Ctrl-C goes to the guest, as with QEMU's -nographic),
     * but keep output processing so the guest's "\n" still starts a line */
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_oflag |= OPOST;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    if (m->opts->monitor_stdio)
        t.c_lflag |= ISIG;                /* no guest behind it: Ctrl-C stops kasou */
    t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t.c_cflag |= CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
        m->tty_raw = true;
}

static void machine_tty_restore(Machine *m)
{
    if (m->tty_raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &m->tty_saved);
        m->tty_raw = false;
    }
}

/* ---- the ticker ---- */
static void machine_signal_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

static void machine_wake(int fd)
{
    uint64_t one = 1;
    if (fd >= 0 && write(fd, &one, sizeof(one)) < 0) {
        /* EAGAIN: the counter is already nonzero, the reader will wake */
    }
}

static void machine_drain(int fd)
{
    uint64_t v;
    if (read(fd, &v, sizeof(v)) < 0) {
        /* EAGAIN: nothing to drain */
    }
}

/* The timer list's deadline moved earlier: the ticker re-times its sleep. */
static void machine_timers_notify(void *opaque)
{
    Machine *m = opaque;
    machine_wake(m->ticker_wake_fd);
}

static struct timespec ns_to_timespec(int64_t ns)
{
    if (ns < 0)
        ns = 0;
    return (struct timespec){ ns / NS_PER_SEC, ns % NS_PER_SEC };
}

/* While the CPU runs guest code, the ticker sends it back to the loop
 * (cpu_exit) at the next timer deadline, so device timers fire on time,
 * and at least every TICK_NS, so host input is served while the guest
 * spins. While the loop sleeps in HLT (cpu_idle) the loop keeps time
 * itself and the ticker only waits for signals. SIGINT/SIGTERM/SIGHUP are
 * blocked in every thread and read here from a signalfd; the loop is
 * woken to end the run. If it does not within SIGNAL_GRACE_NS (or a
 * second signal arrives later than 100 ms after the first), the ticker restores the terminal and leaves
 * from here, so kasou can always be stopped. */
#define SIGNAL_GRACE_NS (2 * NS_PER_SEC)
static void *machine_ticker(void *opaque)
{
    Machine *m = opaque;
    struct pollfd fds[2] = { { .fd = m->signal_fd, .events = POLLIN },
                             { .fd = m->ticker_wake_fd, .events = POLLIN } };
    int pending = 0;
    int64_t signal_at = 0, next_tick = timerlist_clock_ns(&m->timers) + TICK_NS;
    int64_t kicked = INT64_MIN;     /* the deadline the CPU was last sent back for */

    while (!__atomic_load_n(&m->ticker_stop, __ATOMIC_ACQUIRE)) {
        int64_t now = timerlist_clock_ns(&m->timers);
        bool idle = __atomic_load_n(&m->cpu_idle, __ATOMIC_ACQUIRE);
        int64_t wake = INT64_MAX;
        if (!idle) {
            /* once the CPU was sent back for a deadline, the loop runs that
             * timer: waiting for it again would spin until it has */
            int64_t deadline = timerlist_deadline_ns(&m->timers);
            if (deadline == kicked)
                deadline = INT64_MAX;
            wake = next_tick < deadline ? next_tick : deadline;
        }
        if (pending && wake > now + TICK_NS)
            wake = now + TICK_NS;
        struct timespec ts = ns_to_timespec(wake - now);
        ppoll(fds, 2, wake == INT64_MAX ? NULL : &ts, NULL);

        if (fds[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(m->signal_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
                if (pending) {
                    /* a second signal: leave now. One within 100 ms is the
                     * same request twice (timeout(1) signals the child and
                     * then its process group) */
                    if (timerlist_clock_ns(&m->timers) - signal_at > NS_PER_SEC / 10)
                        signal_at = INT64_MIN / 2;
                } else {
                    pending = (int)si.ssi_signo;
                    signal_at = timerlist_clock_ns(&m->timers);
                    __atomic_store_n(&m->host_signal, pending, __ATOMIC_RELEASE);
                    machine_wake(m->loop_wake_fd);
                }
            }
        }
        if (fds[1].revents & POLLIN)
            machine_drain(m->ticker_wake_fd);
        now = timerlist_clock_ns(&m->timers);
        if (pending && now - signal_at > SIGNAL_GRACE_NS) {
            machine_tty_restore(m);
            fprintf(stderr, "kasou: terminating on signal %d (the CPU did not stop)\n", pending);
            _exit(1);
        }
        idle = __atomic_load_n(&m->cpu_idle, __ATOMIC_ACQUIRE);
        int64_t deadline = timerlist_deadline_ns(&m->timers);
        bool due = deadline != kicked && now >= deadline;
        if (pending || (!idle && (now >= next_tick || due))) {
            cpu_exit(m->cpu);     /* thread-safe: atomic request bits only */
            next_tick = now + TICK_NS;
            if (due)
                kicked = deadline;
        }
    }
    return NULL;
}

static void machine_ticker_stop(Machine *m)
{
    if (m->ticker_running) {
        __atomic_store_n(&m->ticker_stop, true, __ATOMIC_RELEASE);
        machine_wake(m->ticker_wake_fd);
        pthread_join(m->ticker, NULL);
        m->ticker_running = false;
    }
}

/* ---- host input ---- */

static void machine_console_byte(Machine *m, uint8_t c)
{
    if (m->ctrl_a_pending) {
        m->ctrl_a_pending = false;
        switch (c) {
        case 'x':
            fprintf(stderr, "kasou: terminated (Ctrl-A x)\n");
            machine_request_exit(m, 0);
            return;
        case 'h':
        case '?':
            fprintf(stderr, "\nC-a h    print this help\nC-a x    exit emulator\n"
                            "C-a c    switch between console and monitor\n"
                            "C-a C-a  send C-a to the guest\n");
            return;
        case 'c':
            monitor_toggle(m);
            return;
        case CTRL_A:
            break;          /* a literal Ctrl-A for the guest */
        default:
            return;         /* others are dropped, as in QEMU */
        }
    } else if (c == CTRL_A && !m->opts->monitor_stdio) {
        m->ctrl_a_pending = true;
        return;
    }
    if (m->mon.active) {
        monitor_input_byte(m, c);
        return;
    }
    if (m->con_len < sizeof(m->con_buf))
        m->con_buf[m->con_len++] = c;
}

/* Hand buffered input to the console device as far as its FIFO takes it. */
static void machine_console_flush(Machine *m)
{
    if (!m->con_len || !m->console_in.receive)
        return;
    size_t n = m->console_in.can_receive(m->console_in.opaque);
    if (n > m->con_len)
        n = m->con_len;
    if (!n)
        return;
    m->console_in.receive(m->console_in.opaque, m->con_buf, n);
    memmove(m->con_buf, m->con_buf + n, m->con_len - n);
    m->con_len -= n;
}

void machine_console_ready(void *opaque)
{
    machine_console_flush(opaque);
}

/* Serve the host: signals, then console input, waiting up to timeout_ns
 * (0: just look; negative: until input or a signal) for input. */
static void machine_poll_host(Machine *m, int64_t timeout_ns)
{
    int sig = __atomic_load_n(&m->host_signal, __ATOMIC_ACQUIRE);

    if (sig > 0) {
        machine_tty_restore(m);
        fprintf(stderr, "kasou: terminating on signal %d\n", sig);
        machine_request_exit(m, 0);      /* as QEMU: a requested stop is not a failure */
        __atomic_store_n(&m->host_signal, 0, __ATOMIC_RELEASE);
        return;
    }

    /* stdin is read even while the guest does not drain its UART, so
     * Ctrl-A x always works; bytes wait in con_buf (as QEMU's mux does) */
    machine_console_flush(m);
    size_t room = 0;
    if (m->stdin_is_console && !m->stdin_eof)
        room = m->mon.active ? sizeof(m->con_buf) : sizeof(m->con_buf) - m->con_len;
    struct pollfd p[2] = { { .fd = m->loop_wake_fd, .events = POLLIN },
                           { .fd = STDIN_FILENO, .events = POLLIN } };
    struct timespec ts = ns_to_timespec(timeout_ns);
    int r = ppoll(p, room ? 2 : 1, timeout_ns < 0 ? NULL : &ts, NULL);
    if (r <= 0)
        return;
    if (p[0].revents & POLLIN)
        machine_drain(m->loop_wake_fd);  /* the signal is seen at the next call */
    if (!room || !(p[1].revents & (POLLIN | POLLHUP | POLLERR)))
        return;
    uint8_t buf[sizeof(m->con_buf)];
    ssize_t n = read(STDIN_FILENO, buf, room);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        m->stdin_eof = true;             /* a closed or unreadable stdin is no input */
        return;
    }
    for (ssize_t i = 0; i < n && !m->exit_requested; i++)
        machine_console_byte(m, buf[i]);
    machine_console_flush(m);
}

/* The CPU sleeps in HLT: wait for the next timer deadline, host input or
 * a signal, without spinning (an idle guest costs no host CPU). */
static void machine_wait_idle(Machine *m)
{
    int64_t deadline = timerlist_deadline_ns(&m->timers);
    int64_t timeout = -1;
    if (deadline != INT64_MAX) {
        timeout = deadline - timerlist_clock_ns(&m->timers);
        if (timeout < 0)
            timeout = 0;
    }
    __atomic_store_n(&m->cpu_idle, true, __ATOMIC_RELEASE);
    if (timeout != 0)
        machine_poll_host(m, timeout);
    __atomic_store_n(&m->cpu_idle, false, __ATOMIC_RELEASE);
    machine_wake(m->ticker_wake_fd);     /* back to running: the ticker ticks again */
}

/* The monitor stopped the VM: serve the host until it goes on (or the
 * run ends); the ticker does not tick meanwhile. */
static void machine_wait_paused(Machine *m)
{
    __atomic_store_n(&m->cpu_idle, true, __ATOMIC_RELEASE);
    machine_poll_host(m, -1);
    __atomic_store_n(&m->cpu_idle, false, __ATOMIC_RELEASE);
    machine_wake(m->ticker_wake_fd);
}

/* ---- life ---- */
Machine *machine_new(const KasouOptions *o)
{
    Machine *m = calloc(1, sizeof(*m));

    if (!m) {
        kasou_error("out of memory");
        return NULL;
    }
    m->opts = o;
    m->board = board_find(o->machine);
    m->serial_out_fd = -1;
    m->signal_fd = m->ticker_wake_fd = m->loop_wake_fd = -1;
    timerlist_init(&m->timers);
    m->timers.notify = machine_timers_notify;
    m->timers.notify_opaque = m;
    m->ticker_wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    m->loop_wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m->ticker_wake_fd < 0 || m->loop_wake_fd < 0) {
        kasou_error("cannot create an eventfd: %s", strerror(errno));
        machine_free(m);
        return NULL;
    }
    switch (o->serial) {
    case SERIAL_DEFAULT:
        /* no display exists yet, so COM1 is on stdio with or without
         * -nographic (unless -nodefaults) */
        if (o->nodefaults)
            break;
        __attribute__((fallthrough));
    case SERIAL_STDIO:
        m->serial_out_fd = STDOUT_FILENO;
        m->stdin_is_console = true;
        break;
    case SERIAL_FILE:
        m->serial_out_fd = open(o->serial_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (m->serial_out_fd < 0) {
            kasou_error("cannot open serial output file '%s': %s", o->serial_path, strerror(errno));
            free(m);
            return NULL;
        }
        m->serial_out_owned = true;
        break;
    case SERIAL_NULL:
    case SERIAL_NONE:
        break;
    }
    if (o->monitor_stdio) {
        if (m->stdin_is_console) {
            kasou_error("-monitor stdio: stdio is the serial console already (Ctrl-A c reaches the monitor)");
            machine_free(m);
            return NULL;
        }
        m->stdin_is_console = true;     /* stdin feeds the monitor alone */
    }
    if (!m->board || m->board->init(m) < 0 ||
        log_setup(m->cpu, o->log_mask, o->log_file, &m->logfile) < 0) {
        machine_free(m);
        return NULL;
    }
    m->cpu->use_interp = o->use_interp;
    m->cpu->chain_enabled = o->chain;
    m->cpu->tlb_inline = o->tlb_inline;
    m->cpu->single_insn = o->single_insn;
    if (o->perfmap) {
        char path[64];
        snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
        m->perf_map = fopen(path, "w");
        if (!m->perf_map) {
            kasou_error("cannot open perf map '%s': %s", path, strerror(errno));
            machine_free(m);
            return NULL;
        }
        m->cpu->perf_map = m->perf_map;
    }
    return m;
}

void machine_free(Machine *m)
{
    if (!m)
        return;
    machine_ticker_stop(m);
    machine_tty_restore(m);
    if (m->cpu) {
        m->cpu->logfile = stderr;
        m->cpu->perf_map = NULL;
    }
    if (m->board && m->board->free)
        m->board->free(m);          /* frees the CPU too */
    m->cpu = NULL;
    if (m->logfile)
        fclose(m->logfile);
    if (m->perf_map)
        fclose(m->perf_map);
    if (m->serial_out_owned && m->serial_out_fd >= 0)
        close(m->serial_out_fd);
    if (m->mem)
        address_space_free(m->mem);
    if (m->io)
        address_space_free(m->io);
    if (m->signal_fd >= 0)
        close(m->signal_fd);
    if (m->ticker_wake_fd >= 0)
        close(m->ticker_wake_fd);
    if (m->loop_wake_fd >= 0)
        close(m->loop_wake_fd);
    free(m);
}

void machine_request_reset(Machine *m)
{
    m->reset_requested = true;
    if (m->cpu)
        cpu_exit(m->cpu);
}

/* A system reset (triple fault, keyboard controller or port 0x92 reset
 * line): QEMU with -no-reboot stops with status 0 instead. -1 when the
 * run ends (exit_status set). */
static int machine_system_reset(Machine *m, const char *why)
{
    CPUState *cpu = m->cpu;
    if (m->opts->no_reboot) {
        if (cpu_log_enabled(cpu, LOG_INT))
            cpu_log(cpu, "int: %s: machine stopped (-no-reboot)\n", why);
        m->exit_status = 0;
        return -1;
    }
    if (cpu_log_enabled(cpu, LOG_INT))
        cpu_log(cpu, "int: %s: system reset\n", why);
    if (m->board->reset(m) < 0) {
        m->exit_status = 1;
        return -1;
    }
    return 0;
}

int machine_run(Machine *m)
{
    CPUState *cpu = m->cpu;
    const char *final = NULL;    /* the line ending the run in failure */
    int status = 0;
    sigset_t set;

    /* SIGINT/SIGTERM/SIGHUP are read by the ticker from a signalfd and
     * acted on by machine_poll_host; blocked before the ticker starts so it
     * inherits the mask */
    machine_signal_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    m->signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m->signal_fd < 0) {
        kasou_error("cannot create a signalfd: %s", strerror(errno));
        return 1;
    }
    machine_tty_raw(m);
    if (pthread_create(&m->ticker, NULL, machine_ticker, m) != 0) {
        machine_tty_restore(m);
        kasou_error("cannot start the ticker thread");
        return 1;
    }
    m->ticker_running = true;
    if (m->opts->monitor_stdio)
        monitor_open(m);

    while (!m->exit_requested) {
        if (m->paused) {
            machine_wait_paused(m);
            continue;
        }
        timerlist_run_expired(&m->timers);
        int r = cpu_exec(cpu);
        if (m->exit_requested)
            break;
        if (m->reset_requested) {
            m->reset_requested = false;
            if (machine_system_reset(m, "reset requested by the guest") < 0) {
                status = m->exit_status;
                goto done;
            }
            continue;
        }
        switch (r) {
        case EXCP_INTERRUPT:
            break;
        case EXCP_HLT:
        case EXCP_HALTED:
            final = m->board->halt_is_final(m);
            if (final) {
                status = 1;
                goto done;
            }
            machine_wait_idle(m);
            continue;
        case EXCP_SHUTDOWN:
            if (machine_system_reset(m, "triple fault") < 0) {
                status = m->exit_status;
                goto done;
            }
            break;
        default:
            final = "internal error: the CPU loop stopped for an unknown reason";
            status = 1;
            goto done;
        }
        machine_poll_host(m, 0);
    }
    status = m->exit_status;
done:
    machine_ticker_stop(m);
    machine_tty_restore(m);
    if (final)
        kasou_error("%s", final);
    if (m->logfile)
        fflush(m->logfile);
    fflush(stdout);
    return status;
}
