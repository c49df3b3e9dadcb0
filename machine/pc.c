/*
 * The `pc` board, first cut: RAM from 0, an x86 CPU, COM1 (16550 at 0x3f8,
 * IRQ 4), isa-debug-exit at 0xf4 (kasou adds it by default, QEMU does not),
 * port 0x80 (POST codes, ignored), and a multiboot kernel entered in flat
 * 32-bit protected mode. No firmware, PIC or timer yet: IRQ 4 is left
 * unconnected, so a halted CPU can never wake up and the run ends there.
 * Must stay true: this file is memory map and wiring only; it knows the
 * x86 CPU through frontend/x86/cpu.h and nothing of translation.
 */
#include <stdlib.h>
#include <string.h>
#include "devices/isa_debug_exit.h"
#include "devices/uart16550.h"
#include "frontend/x86/cpu.h"
#include "machine/board.h"
#include "machine/linux.h"
#include "machine/multiboot.h"

#define PC_COM1_BASE 0x3f8
#define PC_COM1_IRQ  4
#define PC_POST_PORT 0x80

typedef struct PCBoard {
    X86CPU *cpu;
    UART16550 com1;
    bool has_com1;
    ISADebugExit debug_exit;
    bool has_debug_exit;
} PCBoard;

/* Unassigned ports read as all ones and ignore writes, as on a real ISA
 * bus; -d trap (the CPU's port I/O) names the region "unassigned" so a
 * guest probing for hardware kasou lacks is visible. Port 0x80 (POST
 * progress codes) is its own silent region. */
static uint64_t pc_unassigned_read(void *opaque, uint64_t addr, unsigned size)
{
    return ~0ull >> (64 - 8 * size);
}

static void pc_unassigned_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps pc_unassigned_ops = {
    .read = pc_unassigned_read,
    .write = pc_unassigned_write,
    .min_access = 1,
    .max_access = 4,
};

static uint64_t pc_post_read(void *opaque, uint64_t addr, unsigned size)
{
    return ~0ull >> (64 - 8 * size);
}

static void pc_post_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps pc_post_ops = {
    .read = pc_post_read,
    .write = pc_post_write,
    .min_access = 1,
    .max_access = 4,
};

/* IRQ input with nothing behind it yet (the PIC comes with the next board
 * issue): -d int shows the level changes a guest would have received. */
static void pc_irq_unconnected(void *opaque, int n, int level)
{
    Machine *m = opaque;
    if (cpu_log_enabled(m->cpu, LOG_INT))
        cpu_log(m->cpu, "int: IRQ %d -> %d (no interrupt controller on this board yet: dropped)\n",
                n, level);
}

static void pc_debug_exit_request(void *opaque, int status)
{
    machine_request_exit(opaque, status);
}

static size_t pc_com1_can_receive(void *opaque)
{
    return uart16550_can_receive(opaque);
}

static void pc_com1_receive(void *opaque, const uint8_t *buf, size_t len)
{
    uart16550_receive(opaque, buf, len);
}

static int pc_load(Machine *m)
{
    PCBoard *pc = m->board_state;
    const KasouOptions *o = m->opts;
    MultibootBoot boot;

    /* a Linux bzImage ("HdrS" at 0x202) or else a multiboot kernel, as QEMU decides */
    if (linux_is_bzimage(o->kernel)) {
        LinuxLoadParams lp = { .ram_size = o->ram_size, .kernel = o->kernel,
                               .append = o->append, .initrd = o->initrd,
                               .long_mode = linux_cpu_has_long_mode(pc->cpu) };
        LinuxBoot lb;
        if (linux_load(m->mem, &lp, &lb) < 0)
            return -1;
        x86_cpu_reset(pc->cpu);
        linux_enter(pc->cpu, &lb);
        return 0;
    }
    if (multiboot_load(m->mem, o->ram_size, o->kernel, o->append, o->initrd, &boot) < 0)
        return -1;
    x86_cpu_reset(pc->cpu);
    x86_cpu_set_flat32(pc->cpu, boot.entry, MULTIBOOT_BOOTLOADER_MAGIC, boot.mbi_addr);
    return 0;
}

static int pc_init(Machine *m)
{
    const KasouOptions *o = m->opts;
    PCBoard *pc = calloc(1, sizeof(*pc));

    if (!pc) {
        kasou_error("out of memory");
        return -1;
    }
    m->board_state = pc;
    if (!o->kernel) {
        kasou_error("no -kernel given (the pc board has no firmware yet: give a multiboot kernel)");
        return -1;
    }
    m->mem = address_space_new("memory");
    m->io = address_space_new("io");
    if (!m->mem || !m->io || !memory_region_add_ram(m->mem, "pc.ram", 0, o->ram_size)) {
        kasou_error("cannot allocate %llu MiB of guest RAM", (unsigned long long)(o->ram_size >> 20));
        return -1;
    }

    pc->cpu = x86_cpu_new(m->mem, m->io, o->cpu_model);
    if (!pc->cpu) {
        kasou_error("cannot create CPU '%s' (not implemented by the x86 frontend yet; try -cpu qemu32 or max)",
                    o->cpu_model);
        return -1;
    }
    m->cpu = env_cpu(pc->cpu);
    m->cpu->machine = m;

    /* the whole 64 KiB port space answers, devices override it */
    if (!memory_region_add_mmio(m->io, "unassigned", 0, 0x10000, &pc_unassigned_ops, m, -1) ||
        !memory_region_add_mmio(m->io, "post", PC_POST_PORT, 1, &pc_post_ops, m, 0)) {
        kasou_error("cannot map the port I/O space");
        return -1;
    }
    if (o->serial != SERIAL_NONE && !(o->nodefaults && o->serial == SERIAL_DEFAULT)) {
        uart16550_init(&pc->com1, (UART16550Backend){ machine_serial_write, m });
        irq_connect(&pc->com1.irq, pc_irq_unconnected, m, PC_COM1_IRQ);
        if (!uart16550_map(&pc->com1, m->io, PC_COM1_BASE)) {
            kasou_error("cannot map COM1");
            return -1;
        }
        pc->has_com1 = true;
        machine_add_device(m, &pc->com1.dev);
        m->console_in = (ConsoleInput){ pc_com1_can_receive, pc_com1_receive, &pc->com1 };
    }
    if (o->debug_exit_given || !o->nodefaults) {
        isa_debug_exit_init(&pc->debug_exit, o->debug_exit_iobase, o->debug_exit_iosize,
                            pc_debug_exit_request, m);
        if ((uint32_t)o->debug_exit_iobase + o->debug_exit_iosize > 0x10000 ||
            !isa_debug_exit_map(&pc->debug_exit, m->io)) {
            kasou_error("-device isa-debug-exit: cannot map ports 0x%x-0x%x", o->debug_exit_iobase,
                        o->debug_exit_iobase + o->debug_exit_iosize - 1);
            return -1;
        }
        pc->has_debug_exit = true;
        machine_add_device(m, &pc->debug_exit.dev);
    }
    return pc_load(m);
}

/* System reset: devices to power-on state, the kernel loaded afresh (there
 * is no firmware to do it), every translation dropped. */
static int pc_reset(Machine *m)
{
    for (int i = 0; i < m->nb_devices; i++)
        device_reset(m->devices[i]);
    tb_flush(m->cpu);
    return pc_load(m);
}

static const char *pc_halt_is_final(Machine *m)
{
    PCBoard *pc = m->board_state;
    if (!(pc->cpu->eflags & IF_MASK))
        return "guest halted with interrupts disabled";
    return "guest halted with interrupts enabled, but no device can interrupt it yet "
           "(the pc board has no interrupt controller)";
}

static void pc_free(Machine *m)
{
    PCBoard *pc = m->board_state;
    if (pc && pc->cpu) {
        /* x86_cpu_new = one aligned_alloc + cpu_common_init */
        cpu_common_free(env_cpu(pc->cpu));
        free(pc->cpu);
    }
    free(m->board_state);
    m->board_state = NULL;
}

const BoardClass pc_board = {
    .name = "pc",
    .desc = "Standard PC (multiboot kernel, COM1, isa-debug-exit; no firmware yet)",
    .init = pc_init,
    .reset = pc_reset,
    .halt_is_final = pc_halt_is_final,
    .free = pc_free,
};
