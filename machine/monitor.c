/*
 * The human monitor (see monitor.h). Commands carry QEMU's names and,
 * where the output compares, QEMU's shapes: "VM status: running",
 * "unknown command: 'foo'", `x`/`xp` lines "ADDR: 0x........ ...", 16
 * bytes a line. Output goes to stdout through stdio and is flushed after
 * every command, so it interleaves in order with the guest's serial
 * output (written straight to fd 1).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "machine/board.h"
#include "machine/monitor.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"

#define MON_PROMPT "(kasou) "
#define BACKSPACE  0x08
#define DELETE     0x7f

static void mon_prompt(void)
{
    fputs(MON_PROMPT, stdout);
    fflush(stdout);
}

static void mon_banner(Monitor *mon)
{
    if (!mon->greeted) {
        printf("kasou monitor - type 'help' for more information\n");
        mon->greeted = true;
    }
}

void monitor_open(Machine *m)
{
    m->mon.active = true;
    mon_banner(&m->mon);
    mon_prompt();
}

void monitor_toggle(Machine *m)
{
    Monitor *mon = &m->mon;
    if (mon->active) {
        mon->active = false;
        putchar('\n');                /* the guest's console starts on a fresh line */
        fflush(stdout);
        return;
    }
    putchar('\n');
    monitor_open(m);
}

void monitor_input_byte(Machine *m, uint8_t c)
{
    Monitor *mon = &m->mon;
    if (c == '\r' || c == '\n') {
        /* CR LF from a terminal or a script is one Enter */
        bool empty_after_cr = c == '\n' && mon->len == 0 && mon->last_was_cr;
        mon->last_was_cr = c == '\r';
        if (empty_after_cr)
            return;
        putchar('\n');
        mon->line[mon->len] = '\0';
        mon->len = 0;
        monitor_execute(m, mon->line);
        if (mon->active && !m->exit_requested)
            mon_prompt();
        fflush(stdout);
        return;
    }
    mon->last_was_cr = false;
    if (c == BACKSPACE || c == DELETE) {
        if (mon->len) {
            mon->len--;
            fputs("\b \b", stdout);
        }
    } else if (c >= 0x20 && c < 0x7f && mon->len + 1 < sizeof(mon->line)) {
        mon->line[mon->len++] = (char)c;
        putchar(c);
    }
    /* other control characters (arrow keys' escapes...) are ignored */
    fflush(stdout);
}

/* ---- commands ---- */

typedef struct MonCmd {
    const char *name, *alias, *args, *help;
    void (*run)(Machine *m, char *args);
} MonCmd;

static void cmd_help(Machine *m, char *args);

static void cmd_quit(Machine *m, char *args)
{
    (void)args;
    machine_request_exit(m, 0);          /* as QEMU: quitting is not a failure */
}

static void cmd_stop(Machine *m, char *args)
{
    (void)args;
    m->paused = true;
    if (m->cpu)
        cpu_exit(m->cpu);
}

static void cmd_cont(Machine *m, char *args)
{
    (void)args;
    m->paused = false;
}

static void cmd_system_reset(Machine *m, char *args)
{
    (void)args;
    machine_request_reset(m);
}

static void cmd_system_powerdown(Machine *m, char *args)
{
    (void)args;
    if (!m->board->powerdown) {
        printf("system_powerdown: this machine has no power button\n");
        return;
    }
    m->board->powerdown(m);
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!*s)
        return false;
    *v = strtoull(s, &end, 0);
    return *end == '\0';
}

/* x/xp: "/NFS ADDR" with N a count, F x|d|u|c, S b|h|w|g (QEMU's letters;
 * defaults 1, x, w). */
static void mon_memory_dump(Machine *m, char *args, bool physical)
{
    const char *cmd = physical ? "xp" : "x";
    unsigned long count = 1;
    char format = 'x';
    unsigned wsize = 4;
    char *p = args;

    if (*p == '/') {
        p++;
        if (isdigit((unsigned char)*p))
            count = strtoul(p, &p, 10);
        for (; *p && !isspace((unsigned char)*p); p++) {
            switch (*p) {
            case 'x': case 'd': case 'u': case 'c': format = *p; break;
            case 'b': wsize = 1; break;
            case 'h': wsize = 2; break;
            case 'w': wsize = 4; break;
            case 'g': wsize = 8; break;
            default:
                printf("invalid char in format: '%c'\n", *p);
                return;
            }
        }
        while (isspace((unsigned char)*p))
            p++;
    }
    uint64_t addr;
    if (!*p) {
        printf("%s: missing address\n", cmd);
        return;
    }
    if (!parse_u64(p, &addr)) {
        /* QEMU's expression parser names the first character it rejects */
        const char *bad = p + strspn(p, "0123456789");
        if ((p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) && bad == p + 1)
            bad = p + 2 + strspn(p + 2, "0123456789abcdefABCDEF");
        printf("invalid char '%c' in expression\n", *bad ? *bad : '?');
        return;
    }
    if (format == 'c')
        wsize = 1;
    if (count > 4096)
        count = 4096;                   /* a screenful is what a person reads */
    unsigned line_size = wsize == 1 ? 8 : 16;
    unsigned digits = format == 'x' ? wsize * 2 : (wsize * 8 * 10 + 32) / 33;
    uint64_t len = count * wsize;

    while (len) {
        printf("%016llx:", (unsigned long long)addr);
        unsigned n = len < line_size ? (unsigned)len : line_size;
        uint8_t buf[16];
        bool ok = true;
        for (unsigned i = 0; i < n && ok; i++) {
            uint64_t pa = addr + i;
            if (!physical) {
                pa = m->cpu ? tlb_probe_phys(m->cpu, addr + i, MMU_DATA_LOAD, m->board->monitor_mmu_idx)
                            : ~0ull;
                ok = pa != ~0ull;
            }
            ok = ok && address_space_read(m->mem, pa, &buf[i], 1) == MEMTX_OK;
        }
        if (!ok) {
            printf(" Cannot access memory\n");
            return;
        }
        for (unsigned i = 0; i < n; i += wsize) {
            uint64_t v = 0;
            for (unsigned b = 0; b < wsize; b++)
                v |= (uint64_t)buf[i + b] << (8 * b);   /* little-endian guests */
            putchar(' ');
            switch (format) {
            case 'x':
                printf("0x%0*llx", (int)digits, (unsigned long long)v);
                break;
            case 'u':
                printf("%*llu", (int)digits, (unsigned long long)v);
                break;
            case 'd': {
                int shift = 64 - 8 * (int)wsize;
                printf("%*lld", (int)digits, (long long)((int64_t)(v << shift) >> shift));
                break;
            }
            case 'c':
                if (v >= 0x20 && v < 0x7f)
                    printf("'%c'", (int)v);
                else
                    printf("'\\x%02x'", (unsigned)v);
                break;
            }
        }
        putchar('\n');
        addr += n;
        len -= n;
    }
}

static void cmd_x(Machine *m, char *args)  { mon_memory_dump(m, args, false); }
static void cmd_xp(Machine *m, char *args) { mon_memory_dump(m, args, true); }

static void info_status(Machine *m)
{
    printf("VM status: %s\n", m->paused ? "paused" : "running");
}

static void info_registers(Machine *m)
{
    if (m->cpu && m->cpu->ops->dump_state)
        m->cpu->ops->dump_state(m->cpu, stdout);
}

static const char *region_kind(const MemoryRegion *mr)
{
    switch (mr->kind) {
    case MR_RAM: return "ram";
    case MR_ROM: return "rom";
    default:     return "i/o";
    }
}

static void mtree_print(const AddressSpace *as, const char *title)
{
    printf("address-space: %s\n", title);
    for (int i = 0; i < as->nb_regions; i++) {
        const MemoryRegion *mr = as->regions[i];
        printf("  %016llx-%016llx (prio %d, %s): %s\n", (unsigned long long)mr->base,
               (unsigned long long)(mr->base + mr->size - 1), mr->priority, region_kind(mr),
               mr->name ? mr->name : "(unnamed)");
    }
    putchar('\n');
}

static void info_mtree(Machine *m)
{
    if (m->mem)
        mtree_print(m->mem, "memory");
    if (m->io)
        mtree_print(m->io, "I/O");
}

typedef struct MonInfo {
    const char *name, *help;
    void (*show)(Machine *m);
} MonInfo;

static const MonInfo mon_infos[] = {
    { "mtree",     "show memory tree",          info_mtree },
    { "registers", "show the cpu registers",    info_registers },
    { "status",    "show the current VM status (running|paused)", info_status },
};

static void cmd_info(Machine *m, char *args)
{
    if (!*args) {
        for (size_t i = 0; i < sizeof(mon_infos) / sizeof(mon_infos[0]); i++)
            printf("info %s  -- %s\n", mon_infos[i].name, mon_infos[i].help);
        return;
    }
    for (size_t i = 0; i < sizeof(mon_infos) / sizeof(mon_infos[0]); i++) {
        if (!strcmp(args, mon_infos[i].name)) {
            mon_infos[i].show(m);
            return;
        }
    }
    printf("unknown command: 'info %s'\n", args);
}

static const MonCmd mon_cmds[] = {
    { "cont",             "c", "",            "resume emulation", cmd_cont },
    { "help",             "?", "[cmd]",       "show the help", cmd_help },
    { "info",             NULL, "[subcommand]", "show various information about the system state", cmd_info },
    { "quit",             "q", "",            "quit the emulator", cmd_quit },
    { "stop",             NULL, "",           "stop emulation", cmd_stop },
    { "system_powerdown", NULL, "",           "send system power down event", cmd_system_powerdown },
    { "system_reset",     NULL, "",           "reset the system", cmd_system_reset },
    { "x",                NULL, "/fmt addr",  "virtual memory dump starting at 'addr'", cmd_x },
    { "xp",               NULL, "/fmt addr",  "physical memory dump starting at 'addr'", cmd_xp },
};

static void help_line(const MonCmd *c)
{
    if (c->alias)
        printf("%s|%s %s -- %s\n", c->name, c->alias, c->args, c->help);
    else
        printf("%s %s -- %s\n", c->name, c->args, c->help);
}

static void cmd_help(Machine *m, char *args)
{
    (void)m;
    for (size_t i = 0; i < sizeof(mon_cmds) / sizeof(mon_cmds[0]); i++) {
        const MonCmd *c = &mon_cmds[i];
        if (!*args || !strcmp(args, c->name) || (c->alias && !strcmp(args, c->alias))) {
            help_line(c);
            if (*args)
                return;
        }
    }
    if (*args)
        printf("unknown command: '%s'\n", args);
}

void monitor_execute(Machine *m, const char *cmdline)
{
    char buf[sizeof(m->mon.line)];
    snprintf(buf, sizeof(buf), "%s", cmdline);
    char *name = buf;
    while (isspace((unsigned char)*name))
        name++;
    if (!*name)
        return;
    /* the name ends at a space or at the '/' of "x/4x ADDR" (QEMU
     * accepts the format touching the name) */
    char cmd[32];
    size_t n = strcspn(name, " \t/");
    snprintf(cmd, sizeof(cmd), "%.*s", (int)(n < sizeof(cmd) ? n : sizeof(cmd) - 1), name);
    char *rest = name + n;
    while (isspace((unsigned char)*rest))
        rest++;
    size_t end = strlen(rest);
    while (end && isspace((unsigned char)rest[end - 1]))
        rest[--end] = '\0';

    const MonCmd *found = NULL;
    for (size_t i = 0; i < sizeof(mon_cmds) / sizeof(mon_cmds[0]); i++) {
        const MonCmd *c = &mon_cmds[i];
        if (!strcmp(cmd, c->name) || (c->alias && !strcmp(cmd, c->alias)))
            found = c;
    }
    if (found)
        found->run(m, rest);
    else
        printf("unknown command: '%s'\n", cmd);
    fflush(stdout);
}
