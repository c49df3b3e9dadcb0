/*
 * The `virt` board, first cut, on QEMU virt's memory map: flash at 0
 * (128 MiB, empty without -bios), the GICv2 distributor at 0x08000000 and
 * CPU interface at 0x08010000, the PL011 UART at 0x09000000 (SPI 1), the
 * PL031 RTC at 0x09010000 (SPI 2, host wall time at start), RAM
 * from 0x40000000, one AArch64 CPU (-cpu cortex-a57 or max) whose generic
 * timers drive PPIs 30 (physical) and 27 (virtual), kasou's own PSCI
 * 0.2 behind HVC #0, ARM semihosting behind HLT #0xF000 with -semihosting,
 * and an AArch64 ELF kernel loaded at its physical addresses and entered at
 * EL1 with the MMU off, as QEMU does for bare-metal ELF images, or an arm64
 * Linux Image with a device tree (virt_boot.c).
 * Not yet: virtio-mmio, fw_cfg, CFI flash programming.
 * Must stay true: this file is memory map, wiring and loading only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "devices/arm_gic.h"
#include "devices/pl011.h"
#include "devices/pl031.h"
#include "frontend/arm64/cpu.h"
#include "machine/board.h"
#include "machine/virt_boot.h"
#include "softmmu/tlb.h"

#define VIRT_FLASH_BASE 0x00000000ull
#define VIRT_FLASH_SIZE 0x08000000ull
#define VIRT_UART_BASE  0x09000000ull
#define VIRT_UART_IRQ   1              /* SPI 1 */
#define VIRT_RTC_BASE   0x09010000ull
#define VIRT_RTC_IRQ    2              /* SPI 2 */
#define VIRT_GICD_BASE  0x08000000ull
#define VIRT_GICC_BASE  0x08010000ull
#define VIRT_PPI_PTIMER 30             /* non-secure physical timer */
#define VIRT_PPI_VTIMER 27
#define VIRT_PPI_PMU 23                /* PPI 7: the PMU's overflow interrupt */
#define VIRT_RAM_BASE   0x40000000ull

/* PSCI 0.2 function IDs (SMC32 and SMC64 calling conventions) */
#define PSCI_VERSION        0x84000000u
#define PSCI_CPU_SUSPEND    0x84000001u
#define PSCI_CPU_OFF        0x84000002u
#define PSCI_CPU_ON         0x84000003u
#define PSCI_AFFINITY_INFO  0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF     0x84000008u
#define PSCI_SYSTEM_RESET   0x84000009u
#define PSCI_64BIT          0x40000000u
#define PSCI_RET_SUCCESS            0
#define PSCI_RET_NOT_SUPPORTED      (-1)
#define PSCI_RET_INVALID_PARAMS     (-2)
#define PSCI_RET_ALREADY_ON         (-4)

/* semihosting operations */
#define SH_SYS_WRITEC   0x03
#define SH_SYS_WRITE0   0x04
#define SH_SYS_WRITE    0x05
#define SH_SYS_ERRNO    0x13
#define SH_SYS_EXIT     0x18
#define SH_SYS_EXIT_EXTENDED 0x20
#define SH_ADP_STOPPED_APPLICATION_EXIT 0x20026

typedef struct VirtBoard {
    ARMCPU *cpu;
    PL011 uart;
    PL031 rtc;
    bool has_uart;
    ARMGIC gic;
    bool cpu_off;
    uint64_t entry;
    Timer wfi_wake;      /* the next generic-timer deadline, while the CPU sleeps in WFI */
} VirtBoard;

static void virt_wfi_wake(void *opaque)
{
    a64_timer_update(opaque);
    a64_pmu_update(opaque);
}

static void virt_cpu_irq(void *opaque, int n, int level)
{
    Machine *m = opaque;
    VirtBoard *vb = m->board_state;
    if (cpu_log_enabled(m->cpu, LOG_INT))
        cpu_log(m->cpu, "int: GIC -> CPU IRQ %d\n", level);
    a64_cpu_set_irq(vb->cpu, level);
}

static void virt_timer_irq(void *opaque, int timer, int level)
{
    Machine *m = opaque;
    VirtBoard *vb = m->board_state;
    int intid = timer == A64_TIMER_PMU ? VIRT_PPI_PMU : timer == A64_TIMER_VIRT ? VIRT_PPI_VTIMER : VIRT_PPI_PTIMER;
    arm_gic_set_irq(&vb->gic, intid, level);
}

static size_t virt_uart_can_receive(void *opaque) { return pl011_can_receive(opaque); }
static void virt_uart_receive(void *opaque, const uint8_t *buf, size_t len) { pl011_receive(opaque, buf, len); }

/* ---- PSCI ---- */
static void psci_set_ret(CPUARMState *env, int64_t v)
{
    env->xregs[0] = (uint64_t)v;
}

static bool virt_psci_call(void *opaque, CPUARMState *env)
{
    Machine *m = opaque;
    VirtBoard *vb = m->board_state;
    uint32_t fn = (uint32_t)env->xregs[0];
    uint32_t base = fn & ~PSCI_64BIT;
    /* as QEMU's HVC conduit: every HVC at EL1 is a PSCI call, and an
     * unknown function answers NOT_SUPPORTED */
    switch (base) {
    case PSCI_VERSION:
        A64_TRAP(env, "HVC: PSCI_VERSION -> 0.2");
        psci_set_ret(env, 0x00000002);
        return true;
    case PSCI_CPU_ON:
        /* one CPU: itself is on, any other affinity does not exist */
        A64_TRAP(env, "HVC: PSCI CPU_ON 0x%" PRIx64 " -> %s", env->xregs[1],
                 (env->xregs[1] & 0xff00ffffffull) == 0 ? "ALREADY_ON" : "INVALID_PARAMETERS");
        psci_set_ret(env, (env->xregs[1] & 0xff00ffffffull) == 0 ? PSCI_RET_ALREADY_ON
                                                                  : PSCI_RET_INVALID_PARAMS);
        return true;
    case PSCI_AFFINITY_INFO:
        A64_TRAP(env, "HVC: PSCI AFFINITY_INFO 0x%" PRIx64, env->xregs[1]);
        psci_set_ret(env, (env->xregs[1] & 0xff00ffffffull) == 0 ? 0 : PSCI_RET_INVALID_PARAMS);
        return true;
    case PSCI_MIGRATE_INFO_TYPE:
        psci_set_ret(env, 2);         /* no trusted OS */
        return true;
    case PSCI_CPU_SUSPEND:
        A64_TRAP(env, "HVC: PSCI CPU_SUSPEND: returns at once");
        psci_set_ret(env, PSCI_RET_SUCCESS);
        return true;
    case PSCI_CPU_OFF:
        A64_TRAP(env, "HVC: PSCI CPU_OFF: the only CPU stops");
        vb->cpu_off = true;
        a64_cs(env)->halted = true;
        a64_cs(env)->exception_index = EXCP_HLT;
        return true;
    case PSCI_SYSTEM_OFF:
        A64_TRAP(env, "HVC: PSCI SYSTEM_OFF: the machine powers off (status 0)");
        machine_request_exit(m, 0);
        return true;
    case PSCI_SYSTEM_RESET:
        A64_TRAP(env, "HVC: PSCI SYSTEM_RESET");
        a64_cs(env)->exception_index = EXCP_SHUTDOWN;
        env->pc += 4;
        cpu_loop_exit(a64_cs(env));
    default:
        A64_TRAP(env, "HVC: PSCI function 0x%08x not supported", fn);
        (void)base;
        psci_set_ret(env, PSCI_RET_NOT_SUPPORTED);
        return true;
    }
}

/* ---- semihosting ---- */
static uint64_t sh_ld(CPUARMState *env, uint64_t addr, MemOp mop)
{
    return cpu_ld_mmu(a64_cs(env), addr, mop, env->el ? A64_MMU_EL1 : A64_MMU_EL0, 0);
}

static void sh_out(Machine *m, const uint8_t *buf, size_t len)
{
    /* QEMU sends semihosting console output to stderr by default */
    while (len) {
        ssize_t n = write(STDERR_FILENO, buf, len);
        if (n <= 0 && errno != EINTR)
            return;
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        }
    }
}

static bool virt_semihosting_call(void *opaque, CPUARMState *env)
{
    Machine *m = opaque;
    if (!m->opts->semihosting)
        return false;
    uint32_t op = (uint32_t)env->xregs[0];
    uint64_t arg = env->xregs[1];
    switch (op) {
    case SH_SYS_WRITEC: {
        uint8_t c = (uint8_t)sh_ld(env, arg, MO_8);
        sh_out(m, &c, 1);
        return true;
    }
    case SH_SYS_WRITE0:
        for (;;) {
            uint8_t c = (uint8_t)sh_ld(env, arg++, MO_8);
            if (!c)
                break;
            sh_out(m, &c, 1);
        }
        return true;
    case SH_SYS_WRITE: {
        uint64_t fd = sh_ld(env, arg, MO_64), buf = sh_ld(env, arg + 8, MO_64);
        uint64_t len = sh_ld(env, arg + 16, MO_64);
        if (fd != 1 && fd != 2) {
            env->xregs[0] = len;
            return true;
        }
        for (uint64_t i = 0; i < len; i++) {
            uint8_t c = (uint8_t)sh_ld(env, buf + i, MO_8);
            sh_out(m, &c, 1);
        }
        env->xregs[0] = 0;
        return true;
    }
    case SH_SYS_ERRNO:
        env->xregs[0] = 0;
        return true;
    case SH_SYS_EXIT:
    case SH_SYS_EXIT_EXTENDED: {
        uint64_t reason = sh_ld(env, arg, MO_64), code = sh_ld(env, arg + 8, MO_64);
        int status = reason == SH_ADP_STOPPED_APPLICATION_EXIT ? (int)(code & 0xff) : 1;
        A64_TRAP(env, "semihosting SYS_EXIT (reason 0x%" PRIx64 "): exit status %d", reason, status);
        machine_request_exit(m, status);
        return true;
    }
    default:
        A64_TRAP(env, "semihosting call 0x%x not supported: returns -1", op);
        env->xregs[0] = ~0ull;
        return true;
    }
}

/* ---- loading ---- */
static uint64_t ld64le(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t ld32le(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t ld16le(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

static uint8_t *read_file(const char *path, uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        kasou_error("cannot open kernel '%s': %s", path, strerror(errno));
        return NULL;
    }
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                kasou_error("out of memory reading '%s'", path);
                return NULL;
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        kasou_error("cannot read kernel '%s'", path);
        return NULL;
    }
    *size = len;
    return buf;
}

static bool virt_addr_ok(const Machine *m, uint64_t addr, uint64_t len)
{
    uint64_t ram_end = VIRT_RAM_BASE + m->opts->ram_size;
    if (addr >= VIRT_RAM_BASE && len <= ram_end - VIRT_RAM_BASE && addr - VIRT_RAM_BASE <= ram_end - VIRT_RAM_BASE - len)
        return true;
    return addr < VIRT_FLASH_SIZE && len <= VIRT_FLASH_SIZE - addr;
}

static int virt_load_elf(Machine *m, const char *path, const uint8_t *buf, uint64_t size, uint64_t *entry)
{
    if (size < 64 || buf[4] != 2 || buf[5] != 1 || ld16le(buf + 18) != 183 /* EM_AARCH64 */) {
        kasou_error("'%s': not a 64-bit little-endian AArch64 ELF file", path);
        return -1;
    }
    uint64_t phoff = ld64le(buf + 32);
    uint64_t phentsize = ld16le(buf + 54), phnum = ld16le(buf + 56);
    if (phnum == 0 || phentsize < 56 || phoff > size || phnum * phentsize > size - phoff) {
        kasou_error("'%s': corrupt ELF program headers (beyond the end of the file)", path);
        return -1;
    }
    uint64_t e = ld64le(buf + 24);
    bool loaded = false;
    *entry = e;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = buf + phoff + i * phentsize;
        if (ld32le(ph) != 1 /* PT_LOAD */)
            continue;
        uint64_t off = ld64le(ph + 8), vaddr = ld64le(ph + 16), paddr = ld64le(ph + 24);
        uint64_t filesz = ld64le(ph + 32), memsz = ld64le(ph + 40);
        if (!memsz)
            continue;
        if (filesz > memsz || off > size || filesz > size - off) {
            kasou_error("'%s': corrupt ELF segment %" PRIu64 " (beyond the end of the file)", path, i);
            return -1;
        }
        if (!virt_addr_ok(m, paddr, memsz)) {
            kasou_error("'%s': segment %" PRIu64 " at 0x%" PRIx64 "-0x%" PRIx64
                        " is outside flash and RAM (RAM is 0x%llx-0x%llx; try a larger -m)",
                        path, i, paddr, paddr + memsz - 1, (unsigned long long)VIRT_RAM_BASE,
                        (unsigned long long)(VIRT_RAM_BASE + m->opts->ram_size - 1));
            return -1;
        }
        if (filesz && address_space_write_rom(m->mem, paddr, buf + off, filesz) != MEMTX_OK) {
            kasou_error("'%s': cannot write segment %" PRIu64 " to guest memory", path, i);
            return -1;
        }
        static const uint8_t zeros[4096];
        for (uint64_t z = filesz; z < memsz;) {
            uint64_t n = memsz - z < sizeof(zeros) ? memsz - z : sizeof(zeros);
            address_space_write_rom(m->mem, paddr + z, zeros, n);
            z += n;
        }
        if (e >= vaddr && e - vaddr < memsz)
            *entry = e - vaddr + paddr;
        loaded = true;
    }
    if (!loaded) {
        kasou_error("'%s': no loadable ELF segment", path);
        return -1;
    }
    return 0;
}

static int virt_load(Machine *m)
{
    VirtBoard *vb = m->board_state;
    const char *path = m->opts->kernel;
    uint64_t size;
    uint8_t *buf = read_file(path, &size);
    if (!buf)
        return -1;
    int r;
    uint64_t x0 = 0;
    if (size >= 4 && !memcmp(buf, "\x7f" "ELF", 4)) {
        r = virt_load_elf(m, path, buf, size, &vb->entry);
    } else {
        VirtBootInfo bi = {
            .ram_base = VIRT_RAM_BASE, .ram_size = m->opts->ram_size, .gicd_base = VIRT_GICD_BASE,
            .gicc_base = VIRT_GICC_BASE, .uart_base = VIRT_UART_BASE, .uart_spi = VIRT_UART_IRQ,
            .rtc_base = VIRT_RTC_BASE, .rtc_spi = VIRT_RTC_IRQ,
            .cmdline = m->opts->append,
        };
        r = virt_boot_image(m->mem, &bi, path, buf, size, m->opts->initrd, &vb->entry, &x0);
    }
    free(buf);
    if (r < 0)
        return -1;
    a64_cpu_reset(vb->cpu, vb->entry);
    vb->cpu->xregs[0] = x0;
    vb->cpu_off = false;
    return 0;
}

static int virt_init(Machine *m)
{
    const KasouOptions *o = m->opts;
    VirtBoard *vb = calloc(1, sizeof(*vb));
    if (!vb) {
        kasou_error("out of memory");
        return -1;
    }
    m->board_state = vb;
    if (!o->kernel) {
        kasou_error("no -kernel given (the virt board has no firmware yet: give an AArch64 ELF)");
        return -1;
    }
    m->mem = address_space_new("memory");
    if (!m->mem || !memory_region_add_ram(m->mem, "virt.ram", VIRT_RAM_BASE, o->ram_size) ||
        !memory_region_add_rom(m->mem, "virt.flash", VIRT_FLASH_BASE, VIRT_FLASH_SIZE)) {
        kasou_error("cannot allocate %llu MiB of guest RAM", (unsigned long long)(o->ram_size >> 20));
        return -1;
    }
    vb->cpu = a64_cpu_new(m->mem, o->cpu_model);
    if (!vb->cpu) {
        kasou_error("-cpu %s: not an AArch64 CPU model (virt takes cortex-a57 or max)", o->cpu_model);
        return -1;
    }
    m->cpu = a64_cs(vb->cpu);
    m->cpu->machine = m;
    vb->cpu->hooks = (A64BoardHooks){ virt_psci_call, virt_semihosting_call, m, virt_timer_irq };
    timer_init(&vb->wfi_wake, &m->timers, virt_wfi_wake, vb->cpu);
    arm_gic_init(&vb->gic);
    irq_connect(&vb->gic.cpu_irq, virt_cpu_irq, m, 0);
    if (!arm_gic_map(&vb->gic, m->mem, VIRT_GICD_BASE, VIRT_GICC_BASE)) {
        kasou_error("cannot map the GIC");
        return -1;
    }
    machine_add_device(m, &vb->gic.dev);

    if (o->serial != SERIAL_NONE && !(o->nodefaults && o->serial == SERIAL_DEFAULT)) {
        pl011_init(&vb->uart, (PL011Backend){ machine_serial_write, m });
        irq_connect(&vb->uart.irq, arm_gic_set_irq, &vb->gic, 32 + VIRT_UART_IRQ);
        if (!pl011_map(&vb->uart, m->mem, VIRT_UART_BASE)) {
            kasou_error("cannot map the PL011 UART");
            return -1;
        }
        vb->has_uart = true;
        machine_add_device(m, &vb->uart.dev);
        m->console_in = (ConsoleInput){ virt_uart_can_receive, virt_uart_receive, &vb->uart };
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    pl031_init(&vb->rtc, &m->timers, (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec);
    irq_connect(&vb->rtc.irq, arm_gic_set_irq, &vb->gic, 32 + VIRT_RTC_IRQ);
    if (!pl031_map(&vb->rtc, m->mem, VIRT_RTC_BASE)) {
        kasou_error("cannot map the PL031 RTC");
        return -1;
    }
    machine_add_device(m, &vb->rtc.dev);
    return virt_load(m);
}

static int virt_reset(Machine *m)
{
    for (int i = 0; i < m->nb_devices; i++)
        device_reset(m->devices[i]);
    tb_flush(m->cpu);
    return virt_load(m);
}

/* The generic timers are compared with the counter when the CPU looks
 * (block lookups, sysreg accesses); a CPU asleep in WFI looks at nothing,
 * so the board wakes the event loop at the earliest armed deadline. */

static void virt_arm_wfi_wake(Machine *m, VirtBoard *vb)
{
    CPUARMState *env = vb->cpu;
    uint64_t now = a64_host_counter(env), next = UINT64_MAX;
    if ((env->cntp_ctl_el0 & 3) == 1 && env->cntp_cval_el0 < next)
        next = env->cntp_cval_el0;
    if ((env->cntv_ctl_el0 & 3) == 1 && env->cntv_cval_el0 < next)
        next = env->cntv_cval_el0;
    /* the PMU's next counter overflow with its interrupt enabled */
    int64_t pmu_ns = a64_pmu_next_overflow_ns(env);
    if (next == UINT64_MAX && pmu_ns == INT64_MAX) {
        timer_del(&vb->wfi_wake);
        return;
    }
    /* counter ticks are 16 ns (62.5 MHz); never more than a minute ahead,
     * so a deadline far away costs one harmless wake-up */
    uint64_t ticks = next > now ? next - now : 0;
    if (ticks > 60 * NS_PER_SEC / 16)
        ticks = 60 * NS_PER_SEC / 16;
    int64_t wait_ns = (int64_t)ticks * 16;
    if (pmu_ns < wait_ns)
        wait_ns = pmu_ns;
    timer_mod(&vb->wfi_wake, timerlist_clock_ns(&m->timers) + wait_ns);
}

static const char *virt_halt_is_final(Machine *m)
{
    VirtBoard *vb = m->board_state;
    CPUARMState *env = vb->cpu;
    if (vb->cpu_off)
        return "the guest turned its only CPU off (PSCI CPU_OFF)";
    virt_arm_wfi_wake(m, vb);
    /* a wake-up can come from an armed timer or the console */
    if ((env->cntv_ctl_el0 & 3) == 1 || (env->cntp_ctl_el0 & 3) == 1 || a64_pmu_armed(env) ||
        (vb->has_uart && vb->uart.imsc && m->stdin_is_console && !m->stdin_eof))
        return NULL;
    return "guest waits for an interrupt (WFI) that no armed timer or device will raise";
}

static void virt_free(Machine *m)
{
    VirtBoard *vb = m->board_state;
    if (vb)
        a64_cpu_free(vb->cpu);
    free(m->board_state);
    m->board_state = NULL;
}

const BoardClass virt_board = {
    .name = "virt",
    .desc = "QEMU virt's map: AArch64 CPU, PL011, PSCI, semihosting (ELF kernels; no GIC yet)",
    .init = virt_init,
    .reset = virt_reset,
    .halt_is_final = virt_halt_is_final,
    .free = virt_free,
    .monitor_mmu_idx = A64_MMU_EL1,
};
