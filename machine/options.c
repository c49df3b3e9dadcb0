/*
 * QEMU-style command line parsing. Options keep QEMU's names and meanings
 * (-M, -m, -cpu, -kernel, -append, -initrd, -serial, -d, -D, -accel,
 * -device, ...); "--opt" is accepted for "-opt" as QEMU does. Must stay
 * true: every error is exactly one "kasou: ..." line on stderr and the
 * caller exits 1; help requests print on stdout and exit 0. Parsing has no
 * side effects beyond the options struct (files are opened later).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "machine/board.h"
#include "machine/options.h"
#include "tcg/cpu.h"

#define KASOU_VERSION "0.2"
#define MIB (1024ull * 1024)
#define PC_RAM_MIN (2 * MIB)
#define PC_RAM_MAX (3584 * MIB)   /* below the PCI hole; RAM above 4 GiB comes later */

void kasou_error(const char *fmt, ...)
{
    va_list ap;
    char buf[1024];

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    /* one line, whatever the message held */
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fprintf(stderr, "kasou: %s\n", buf);
    fflush(stderr);
}

/* ---- boards ---- */
extern const BoardClass virt_board;
static const BoardClass *const boards[] = { &pc_board, &virt_board };

const BoardClass *board_find(const char *name)
{
    for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++)
        if (!strcmp(boards[i]->name, name))
            return boards[i];
    return NULL;
}

void board_print_list(FILE *f)
{
    fprintf(f, "Supported machines are:\n");
    for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++)
        fprintf(f, "%-10s %s%s\n", boards[i]->name, boards[i]->desc, i == 0 ? " (default)" : "");
}

/* ---- CPU models (those the x86 frontend knows; QEMU's names) ---- */
static const struct { const char *name, *desc; } cpu_models[] = {
    { "qemu32",   "QEMU Virtual CPU (32-bit, the pc default)" },
    { "qemu64",   "QEMU Virtual CPU (64-bit: long mode, NX, SYSCALL)" },
    { "pentium",  "Intel Pentium" },
    { "max",      "everything kasou implements" },
    { "cortex-a57", "ARM Cortex-A57 (AArch64, the virt default)" },
};

static int parse_cpu(KasouOptions *o, const char *arg)
{
    if (!strcmp(arg, "host")) {
        kasou_error("-cpu host needs KVM, and kasou has no KVM accelerator (try -cpu max)");
        return -1;
    }
    for (size_t i = 0; i < sizeof(cpu_models) / sizeof(cpu_models[0]); i++) {
        if (!strcmp(arg, cpu_models[i].name)) {
            o->cpu_model = cpu_models[i].name;
            return 0;
        }
    }
    kasou_error("unknown CPU model '%s' (try -cpu help)", arg);
    return -1;
}

/* -m [size=]N[K|M|G|T]: a bare number is MiB, as in QEMU. */
static int parse_ram_size(KasouOptions *o, const char *arg)
{
    const char *s = arg;
    char *end;
    uint64_t mult = MIB;

    if (!strncmp(s, "size=", 5))
        s += 5;
    if (*s < '0' || *s > '9')
        goto bad;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno)
        goto bad;
    switch (*end) {
    case '\0': break;
    case 'b': case 'B': mult = 1; end++; break;
    case 'k': case 'K': mult = 1024; end++; break;
    case 'm': case 'M': mult = MIB; end++; break;
    case 'g': case 'G': mult = 1024 * MIB; end++; break;
    case 't': case 'T': mult = 1024 * 1024 * MIB; end++; break;
    default: goto bad;
    }
    if (*end)
        goto bad;
    if (n > UINT64_MAX / mult)
        goto too_big;
    uint64_t size = n * mult;
    if (size < PC_RAM_MIN) {
        kasou_error("-m %s: too little RAM (at least %llu MiB)", arg, PC_RAM_MIN / MIB);
        return -1;
    }
    if (size > PC_RAM_MAX)
        goto too_big;
    o->ram_size = (size + TARGET_PAGE_SIZE - 1) & TARGET_PAGE_MASK;
    return 0;
too_big:
    kasou_error("-m %s: too much RAM (at most %llu MiB for now)", arg, PC_RAM_MAX / MIB);
    return -1;
bad:
    kasou_error("-m '%s': invalid size (try 512, 512M or 1G)", arg);
    return -1;
}

static int parse_on_off(const char *opt, const char *key, const char *val, bool *out)
{
    if (!strcmp(val, "on") || !strcmp(val, "yes") || !strcmp(val, "true"))
        *out = true;
    else if (!strcmp(val, "off") || !strcmp(val, "no") || !strcmp(val, "false"))
        *out = false;
    else {
        kasou_error("%s: %s='%s': expected on or off", opt, key, val);
        return -1;
    }
    return 0;
}

/* Split "name,key=val,key=val" in place; calls prop() per pair. */
typedef int (*PropFn)(KasouOptions *o, const char *opt, const char *key, const char *val);

static int parse_props(KasouOptions *o, const char *opt, char *props, PropFn prop)
{
    while (props && *props) {
        char *next = strchr(props, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(props, '=');
        if (!eq) {
            kasou_error("%s: '%s' is not of the form key=value", opt, props);
            return -1;
        }
        *eq = '\0';
        if (prop(o, opt, props, eq + 1) < 0)
            return -1;
        props = next;
    }
    return 0;
}

static int accel_prop(KasouOptions *o, const char *opt, const char *key, const char *val)
{
    if (!strcmp(key, "chain"))
        return parse_on_off(opt, key, val, &o->chain);
    if (!strcmp(key, "tlb-inline"))
        return parse_on_off(opt, key, val, &o->tlb_inline);
    if (!strcmp(key, "one-insn-per-tb"))
        return parse_on_off(opt, key, val, &o->single_insn);
    if (!strcmp(key, "thread") && !strcmp(val, "single"))
        return 0;                                  /* QEMU's default, harmless */
    kasou_error("%s: unknown property '%s' (chain, tlb-inline, one-insn-per-tb)", opt, key);
    return -1;
}

static int parse_accel(KasouOptions *o, char *arg)
{
    char *props = strchr(arg, ',');
    if (props)
        *props++ = '\0';
    if (!strcmp(arg, "help")) {
        printf("Accelerators supported:\ntcg  translate to host code (x86-64 JIT)\n"
               "tci  translate to IR and interpret it (no JIT)\n"
               "Properties: chain=on|off, tlb-inline=on|off, one-insn-per-tb=on|off\n");
        return 1;
    }
    if (!strcmp(arg, "tcg"))
        o->use_interp = false;
    else if (!strcmp(arg, "tci"))
        o->use_interp = true;
    else if (!strcmp(arg, "kvm") || !strcmp(arg, "hvf") || !strcmp(arg, "whpx") || !strcmp(arg, "xen")) {
        kasou_error("-accel %s: kasou uses no hardware virtualization (try -accel tcg or tci)", arg);
        return -1;
    } else {
        kasou_error("-accel '%s': unknown accelerator (try -accel help)", arg);
        return -1;
    }
    return parse_props(o, "-accel", props, accel_prop);
}

static int parse_u16(const char *opt, const char *key, const char *val, uint16_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(val, &end, 0);
    if (errno || end == val || *end || v > 0xffff) {
        kasou_error("%s: %s='%s': expected a number up to 0xffff", opt, key, val);
        return -1;
    }
    *out = (uint16_t)v;
    return 0;
}

static int debug_exit_prop(KasouOptions *o, const char *opt, const char *key, const char *val)
{
    if (!strcmp(key, "iobase"))
        return parse_u16(opt, key, val, &o->debug_exit_iobase);
    if (!strcmp(key, "iosize")) {
        if (parse_u16(opt, key, val, &o->debug_exit_iosize) < 0)
            return -1;
        if (o->debug_exit_iosize == 0) {
            kasou_error("%s: iosize must not be 0", opt);
            return -1;
        }
        return 0;
    }
    if (!strcmp(key, "id"))
        return 0;
    kasou_error("%s: unknown property '%s' (iobase, iosize)", opt, key);
    return -1;
}

static int parse_device(KasouOptions *o, char *arg)
{
    char *props = strchr(arg, ',');
    if (props)
        *props++ = '\0';
    if (!strcmp(arg, "help")) {
        printf("Devices that -device accepts:\n"
               "isa-debug-exit  write v to iobase: exit with status (v << 1) | 1 "
               "(iobase=0xf4,iosize=0x04; present by default on pc)\n");
        return 1;
    }
    if (strcmp(arg, "isa-debug-exit")) {
        kasou_error("-device '%s': unknown device (try -device help)", arg);
        return -1;
    }
    if (o->debug_exit_given) {
        kasou_error("-device isa-debug-exit: only one is supported");
        return -1;
    }
    o->debug_exit_given = true;
    return parse_props(o, "-device isa-debug-exit", props, debug_exit_prop);
}

static int parse_serial(KasouOptions *o, const char *arg)
{
    if (o->serial != SERIAL_DEFAULT) {
        kasou_error("-serial %s: only one serial port (COM1) is supported for now", arg);
        return -1;
    }
    if (!strcmp(arg, "stdio") || !strcmp(arg, "mon:stdio"))
        o->serial = SERIAL_STDIO;
    else if (!strcmp(arg, "null"))
        o->serial = SERIAL_NULL;
    else if (!strcmp(arg, "none"))
        o->serial = SERIAL_NONE;
    else if (!strncmp(arg, "file:", 5) && arg[5]) {
        o->serial = SERIAL_FILE;
        o->serial_path = arg + 5;
    } else {
        kasou_error("-serial '%s': unsupported backend (stdio, null, none, file:PATH)", arg);
        return -1;
    }
    return 0;
}

static int parse_machine(KasouOptions *o, char *arg)
{
    if (!strncmp(arg, "type=", 5))
        arg += 5;
    char *props = strchr(arg, ',');
    if (props)
        *props++ = '\0';
    if (!strcmp(arg, "help")) {
        board_print_list(stdout);
        return 1;
    }
    if (!board_find(arg)) {
        kasou_error("unknown machine '%s' (try -M help)", arg);
        return -1;
    }
    if (props && *props) {
        kasou_error("-M %s: machine properties are not supported ('%s')", arg, props);
        return -1;
    }
    o->machine = arg;
    return 0;
}

/* -rtc base=utc|localtime|DATE[,clock=host|rt|vm][,driftfix=none|slew]:
 * DATE is "2006-06-17T16:01:21" or "2006-06-17" (QEMU's forms). */
static int parse_rtc_date(const char *opt, const char *val, int64_t *out)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, n = 0;
    bool ok = sscanf(val, "%d-%d-%dT%d:%d:%d%n", &y, &mo, &d, &h, &mi, &sec, &n) == 6 && !val[n];
    if (!ok) {
        h = mi = sec = n = 0;
        ok = sscanf(val, "%d-%d-%d%n", &y, &mo, &d, &n) == 3 && !val[n];
    }
    if (!ok || y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 59 || h < 0 || mi < 0 || sec < 0) {
        kasou_error("%s: base='%s': expected utc, localtime or a date like 2006-06-17T16:01:21", opt, val);
        return -1;
    }
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                     .tm_hour = h, .tm_min = mi, .tm_sec = sec };
    *out = (int64_t)timegm(&tm);
    return 0;
}

static int rtc_prop(KasouOptions *o, const char *opt, const char *key, const char *val)
{
    if (!strcmp(key, "base")) {
        if (!strcmp(val, "utc")) {
            o->rtc_base = RTC_BASE_UTC;
        } else if (!strcmp(val, "localtime")) {
            o->rtc_base = RTC_BASE_LOCALTIME;
        } else {
            o->rtc_base = RTC_BASE_DATE;
            return parse_rtc_date(opt, val, &o->rtc_date);
        }
        return 0;
    }
    /* guest time always follows the host's clock: host, rt and vm agree */
    if (!strcmp(key, "clock") && (!strcmp(val, "host") || !strcmp(val, "rt") || !strcmp(val, "vm")))
        return 0;
    if (!strcmp(key, "driftfix") && (!strcmp(val, "none") || !strcmp(val, "slew")))
        return 0;
    kasou_error("%s: unknown property '%s=%s' (base=utc|localtime|DATE, clock=host|rt|vm)", opt, key, val);
    return -1;
}

static void print_help(void)
{
    printf(
"usage: kasou [options]\n"
"Full-system emulator (dynamic binary translation). Options follow QEMU's.\n"
"\n"
"Machine:\n"
"  -M, -machine NAME     board (default pc; -M help lists)\n"
"  -m SIZE               RAM: 512 (MiB), 512M, 1G (default 128M)\n"
"  -cpu MODEL            CPU model (default qemu32; -cpu help lists)\n"
"  -device isa-debug-exit[,iobase=0xf4][,iosize=0x04]\n"
"                        test exit port (on by default on pc at 0xf4)\n"
"  -nodefaults           no default devices (serial, isa-debug-exit)\n"
"  -no-reboot            exit (status 0) instead of resetting on a triple fault\n"
"  -rtc base=utc|localtime|DATE\n"
"                        RTC start time (default utc; DATE as 2006-06-17T16:01:21)\n"
"  -semihosting          ARM semihosting (virt: HLT #0xF000 console output and exit)\n"
"Boot:\n"
"  -bios FILE            firmware image (pc: e.g. SeaBIOS), started at the reset vector\n"
"  -kernel FILE          Linux bzImage, or multiboot kernel (ELF32 or a.out kludge)\n"
"  -append STRING        kernel command line\n"
"  -initrd FILE[,FILE]   Linux: the initrd; multiboot: modules (\"path args\"; ',,' for a comma)\n"
"I/O:\n"
"  -nographic            no display; COM1 on stdio (Ctrl-A x quits)\n"
"  -display none         no display\n"
"  -serial DEV           COM1: stdio, null, none, file:PATH (default stdio)\n"
"  -monitor stdio|none   the monitor alone on stdio (serial elsewhere); else Ctrl-A c\n"
"Debugging:\n"
"  -d ITEM[,ITEM]        log items (-d help lists)\n"
"  -D FILE               log to FILE instead of stderr\n"
"  -accel tcg|tci[,chain=on|off][,tlb-inline=on|off][,one-insn-per-tb=on|off]\n"
"                        tcg: JIT to host code; tci: interpret the IR\n"
"  -perfmap              write /tmp/perf-<pid>.map for perf\n"
"  -h, -help, --help     this text\n"
"  -version              version\n");
}

enum OptId {
    OPT_MACHINE, OPT_M, OPT_CPU, OPT_KERNEL, OPT_APPEND, OPT_INITRD, OPT_NOGRAPHIC,
    OPT_DISPLAY, OPT_SERIAL, OPT_NO_REBOOT, OPT_D, OPT_DFILE, OPT_ACCEL, OPT_DEVICE,
    OPT_PERFMAP, OPT_HELP, OPT_VERSION, OPT_NODEFAULTS, OPT_SMP, OPT_RTC,
    OPT_SEMIHOSTING, OPT_BIOS, OPT_MONITOR,
};

static const struct { const char *name; enum OptId id; bool has_arg; } option_table[] = {
    { "M", OPT_MACHINE, true }, { "machine", OPT_MACHINE, true },
    { "m", OPT_M, true }, { "cpu", OPT_CPU, true }, { "smp", OPT_SMP, true },
    { "kernel", OPT_KERNEL, true }, { "append", OPT_APPEND, true }, { "initrd", OPT_INITRD, true },
    { "nographic", OPT_NOGRAPHIC, false }, { "display", OPT_DISPLAY, true },
    { "serial", OPT_SERIAL, true }, { "no-reboot", OPT_NO_REBOOT, false },
    { "d", OPT_D, true }, { "D", OPT_DFILE, true }, { "accel", OPT_ACCEL, true },
    { "device", OPT_DEVICE, true }, { "perfmap", OPT_PERFMAP, false },
    { "h", OPT_HELP, false }, { "help", OPT_HELP, false },
    { "version", OPT_VERSION, false }, { "nodefaults", OPT_NODEFAULTS, false },
    { "rtc", OPT_RTC, true },
    { "semihosting", OPT_SEMIHOSTING, false },
    { "bios", OPT_BIOS, true },
    { "monitor", OPT_MONITOR, true },
};

OptionsResult options_parse(KasouOptions *o, int argc, char **argv)
{
    memset(o, 0, sizeof(*o));
    o->machine = "pc";
    o->ram_size = 128 * MIB;
    o->cpu_model = "qemu32";
    o->chain = true;
    o->tlb_inline = true;
    o->debug_exit_iobase = 0xf4;
    o->debug_exit_iosize = 0x04;
    bool cpu_given = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') {
            /* QEMU takes a bare argument as a disk image; kasou has no disks yet */
            kasou_error("'%s': unexpected argument (disk images are not supported yet; try -h)", a);
            return OPTIONS_ERROR;
        }
        const char *name = a + 1;
        if (name[0] == '-')
            name++;
        size_t k, nopts = sizeof(option_table) / sizeof(option_table[0]);
        for (k = 0; k < nopts; k++)
            if (!strcmp(option_table[k].name, name))
                break;
        if (k == nopts) {
            kasou_error("unknown option '%s' (try -h)", a);
            return OPTIONS_ERROR;
        }
        char *arg = NULL;
        if (option_table[k].has_arg) {
            if (i + 1 >= argc) {
                kasou_error("option '%s' needs an argument", a);
                return OPTIONS_ERROR;
            }
            arg = argv[++i];
        }
        int r = 0;
        switch (option_table[k].id) {
        case OPT_MACHINE: r = parse_machine(o, arg); break;
        case OPT_M: r = parse_ram_size(o, arg); break;
        case OPT_CPU:
            cpu_given = true;
            if (!strcmp(arg, "help")) {
                printf("Available CPUs:\n");
                for (size_t c = 0; c < sizeof(cpu_models) / sizeof(cpu_models[0]); c++)
                    printf("  %-10s %s\n", cpu_models[c].name, cpu_models[c].desc);
                return OPTIONS_DONE;
            }
            r = parse_cpu(o, arg);
            break;
        case OPT_SMP:
            if (strcmp(arg, "1") && strcmp(arg, "cpus=1")) {
                kasou_error("-smp %s: one CPU only for now", arg);
                return OPTIONS_ERROR;
            }
            break;
        case OPT_KERNEL: o->kernel = arg; break;
        case OPT_BIOS: o->bios = arg; break;
        case OPT_APPEND: o->append = arg; break;
        case OPT_INITRD: o->initrd = arg; break;
        case OPT_NOGRAPHIC: o->nographic = true; break;
        case OPT_DISPLAY:
            if (strcmp(arg, "none")) {
                kasou_error("-display %s: no display is implemented yet (only -display none)", arg);
                return OPTIONS_ERROR;
            }
            break;
        case OPT_SERIAL: r = parse_serial(o, arg); break;
        case OPT_NO_REBOOT: o->no_reboot = true; break;
        case OPT_D:
            if (!strcmp(arg, "help")) {
                log_print_help(stdout);
                return OPTIONS_DONE;
            }
            r = log_parse_items(arg, &o->log_mask);
            break;
        case OPT_DFILE: o->log_file = arg; break;
        case OPT_ACCEL: r = parse_accel(o, arg); break;
        case OPT_DEVICE: r = parse_device(o, arg); break;
        case OPT_PERFMAP: o->perfmap = true; break;
        case OPT_NODEFAULTS: o->nodefaults = true; break;
        case OPT_RTC: r = parse_props(o, "-rtc", arg, rtc_prop); break;
        case OPT_SEMIHOSTING: o->semihosting = true; break;
        case OPT_MONITOR:
            if (!strcmp(arg, "stdio")) {
                o->monitor_stdio = true;
            } else if (strcmp(arg, "none")) {
                kasou_error("-monitor '%s': unsupported backend (stdio, none)", arg);
                return OPTIONS_ERROR;
            }
            break;
        case OPT_HELP: print_help(); return OPTIONS_DONE;
        case OPT_VERSION:
            printf("kasou version " KASOU_VERSION "\n");
            return OPTIONS_DONE;
        }
        if (r < 0)
            return OPTIONS_ERROR;
        if (r > 0)
            return OPTIONS_DONE;     /* a "help" argument was answered */
    }
    /* each board's default CPU, as QEMU's -M picks one */
    if (!cpu_given && !strcmp(o->machine, "virt"))
        o->cpu_model = "cortex-a57";
    return OPTIONS_RUN;
}
