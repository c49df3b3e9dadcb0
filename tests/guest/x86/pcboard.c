/*
 * The pc board's chipset from a bare-metal guest, compared with QEMU's
 * -M pc: PCI configuration mechanism #1 and the i440FX/PIIX3/PIIX4
 * identities and firmware-programmed registers, fw_cfg (ports, file
 * directory, e820, DMA), the local APIC (registers as firmware leaves
 * them, the timer periodic and one-shot counted against the ACPI PM timer,
 * TPR masking of a self-IPI, EOI), the IOAPIC routing the PIT's IRQ 0 on
 * pin 2, the HPET's counter against the PM timer, and the ACPI tables
 * (RSDP in the BIOS area, RSDT, FADT, MADT, HPET).
 * Only what any correct PC prints is printed: rates are checked within
 * 20% and printed as PASS/FAIL.
 */
#include "lib.h"

#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PM_TMR  0x608
#define V_IOAPIC 0x3a
#define V_IPI    0x3b
#define V_TIMER  0x3c
#define V_SPUR   0x3f

static inline uint32_t inl(uint16_t p)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p));
    return v;
}
static inline void outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(p)); }
static inline uint16_t inw(uint16_t p)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(p));
    return v;
}
static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}
static inline uint32_t bswap32(uint32_t v) { return __builtin_bswap32(v); }

/* ---- PCI ---- */
static uint32_t cfg_addr(int dev, int fn, int reg)
{
    return 0x80000000u | (uint32_t)dev << 11 | (uint32_t)fn << 8 | (reg & 0xfc);
}
static uint32_t pci_rd32(int dev, int fn, int reg) { outl(0xcf8, cfg_addr(dev, fn, reg)); return inl(0xcfc); }
static uint16_t pci_rd16(int dev, int fn, int reg) { outl(0xcf8, cfg_addr(dev, fn, reg)); return inw(0xcfc + (reg & 2)); }
static uint8_t pci_rd8(int dev, int fn, int reg) { outl(0xcf8, cfg_addr(dev, fn, reg)); return inb(0xcfc + (reg & 3)); }

static void test_pci(void)
{
    static const int fns[][2] = { { 0, 0 }, { 1, 0 }, { 1, 3 } };
    for (int i = 0; i < 3; i++) {
        int d = fns[i][0], f = fns[i][1];
        printf("pci %02x.%x: id %08x class/rev %08x header %02x subsys %08x status %04x cmd %04x\n", d, f,
               pci_rd32(d, f, 0), pci_rd32(d, f, 8), pci_rd8(d, f, 0x0e), pci_rd32(d, f, 0x2c),
               pci_rd16(d, f, 6), pci_rd16(d, f, 4));
    }
    printf("pci 00.0 device id by word %04x, by byte %02x%02x\n", pci_rd16(0, 0, 2), pci_rd8(0, 0, 3),
           pci_rd8(0, 0, 2));
    printf("pci 1f.0 absent: %08x, %04x\n", pci_rd32(0x1f, 0, 0), pci_rd16(0x1f, 0, 2));
    outl(0xcf8, 0x80001234);
    printf("pci CONFIG_ADDRESS reads %08x\n", inl(0xcf8));
    printf("piix3 PIRQ routing %08x\n", pci_rd32(1, 0, 0x60));
    printf("piix4 PMBA %08x PMREGMISC %02x int pin/line %04x\n", pci_rd32(1, 3, 0x40), pci_rd8(1, 3, 0x80),
           pci_rd16(1, 3, 0x3c));
}

/* ---- fw_cfg ---- */
static void fw_select(uint16_t key) { outw(0x510, key); }
static uint8_t fw_byte(void) { return inb(0x511); }
static uint32_t fw_be32(void)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | fw_byte();
    return v;
}

/* find a file in the directory: its select key and size, or 0 */
static uint16_t fw_find(const char *name, uint32_t *size)
{
    fw_select(0x19);
    uint32_t n = fw_be32();
    for (uint32_t i = 0; i < n; i++) {
        uint32_t sz = fw_be32();
        uint16_t sel = (uint16_t)(fw_byte() << 8);
        sel |= fw_byte();
        fw_byte();
        fw_byte();
        char f[56];
        for (int k = 0; k < 56; k++)
            f[k] = (char)fw_byte();
        if (!memcmp(f, name, strlen(name) + 1)) {
            *size = sz;
            return sel;
        }
    }
    return 0;
}

/* volatile: the device writes it behind the compiler's back */
static volatile struct { uint32_t control, length, addr_hi, addr_lo; } __attribute__((aligned(16))) dma;

static void test_fw_cfg(void)
{
    char sig[5];
    fw_select(0);
    for (int i = 0; i < 4; i++)
        sig[i] = (char)fw_byte();
    sig[4] = 0;
    printf("fw_cfg signature %s\n", sig);
    fw_select(1);
    printf("fw_cfg ID %02x\n", fw_byte());
    fw_select(5);
    printf("fw_cfg NB_CPUS %02x\n", fw_byte());
    fw_select(3);
    uint32_t ram_lo = fw_byte();
    ram_lo |= (uint32_t)fw_byte() << 8;
    ram_lo |= (uint32_t)fw_byte() << 16;
    ram_lo |= (uint32_t)fw_byte() << 24;
    printf("fw_cfg RAM size %08x\n", ram_lo);
    static const char *const files[] = { "etc/acpi/rsdp", "etc/acpi/tables", "etc/table-loader", "etc/e820" };
    for (int i = 0; i < 4; i++) {
        uint32_t sz = 0;
        printf("fw_cfg file %s: %s\n", files[i], fw_find(files[i], &sz) ? "present" : "absent");
    }
    uint32_t sz = 0;
    uint16_t key = fw_find("etc/e820", &sz);
    if (key) {
        fw_select(key);
        for (uint32_t e = 0; e < sz / 20; e++) {
            uint32_t w[5];
            for (int k = 0; k < 5; k++) {
                w[k] = fw_byte();
                w[k] |= (uint32_t)fw_byte() << 8;
                w[k] |= (uint32_t)fw_byte() << 16;
                w[k] |= (uint32_t)fw_byte() << 24;
            }
            printf("fw_cfg e820 %08x%08x +%08x%08x type %u\n", w[1], w[0], w[3], w[2], w[4]);
        }
    }
    printf("fw_cfg DMA register %08x%08x\n", bswap32(inl(0x514)), bswap32(inl(0x518)));
    volatile char buf[8] = { 0 };
    dma.control = bswap32(0u << 16 | 0x08 | 0x02);     /* select signature, read */
    dma.length = bswap32(4);
    dma.addr_hi = 0;
    dma.addr_lo = bswap32((uint32_t)buf);
    outl(0x514, 0);
    outl(0x518, bswap32((uint32_t)&dma));
    printf("fw_cfg DMA read '%c%c%c%c' control %08x\n", buf[0], buf[1], buf[2], buf[3], bswap32(dma.control));
}

/* ---- local APIC ---- */
#define LAPIC(r) (*(volatile uint32_t *)(0xfee00000u + (r)))
static volatile uint32_t apic_ticks, ioapic_ticks, ipis, spurious, isr_in_ipi;

static int irq_hook(struct trap_frame *f)
{
    switch (f->vector) {
    case V_TIMER: apic_ticks++; LAPIC(0xb0) = 0; return 1;
    case V_IOAPIC: ioapic_ticks++; LAPIC(0xb0) = 0; return 1;
    case V_IPI: ipis++; isr_in_ipi = LAPIC(0x110); LAPIC(0xb0) = 0; return 1;
    case V_SPUR: spurious++; return 1;       /* no EOI for the spurious vector */
    default: return 0;
    }
}

static uint32_t pm_now(void) { return inl(PM_TMR) & 0xffffff; }
/* busy-wait ms milliseconds of the PM timer (3.579545 MHz) */
static void wait_ms(uint32_t ms)
{
    uint32_t start = pm_now(), need = ms * 3580;
    while (((pm_now() - start) & 0xffffff) < need)
        ;
}

/* wait ms milliseconds in HLT with interrupts on (each tick wakes the CPU) */
static void hlt_ms(uint32_t ms)
{
    uint32_t start = pm_now(), need = ms * 3580;
    while (((pm_now() - start) & 0xffffff) < need)
        __asm__ volatile("sti; hlt; cli");
}

static void test_apic(void)
{
    uint32_t eax = 1, ebx, ecx, edx;
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    printf("cpuid.1 edx.apic %u\n", (edx >> 9) & 1);
    printf("IA32_APIC_BASE %08x\n", (uint32_t)rdmsr(0x1b));
    printf("apic version %08x id %08x svr %08x tpr %08x ppr %08x\n", LAPIC(0x30), LAPIC(0x20), LAPIC(0xf0),
           LAPIC(0x80), LAPIC(0xa0));
    printf("apic lvt timer %08x thermal %08x perf %08x lint0 %08x lint1 %08x error %08x\n", LAPIC(0x320),
           LAPIC(0x330), LAPIC(0x340), LAPIC(0x350), LAPIC(0x360), LAPIC(0x370));
    printf("apic ldr %08x dfr %08x\n", LAPIC(0xd0), LAPIC(0xe0));
    /* mask the PIC: interrupts come through the APIC only */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    LAPIC(0xf0) = 0x100 | V_SPUR;
    printf("apic svr %08x\n", LAPIC(0xf0));

    /* current count runs down */
    LAPIC(0x3e0) = 0xb;                          /* divide by 1 */
    LAPIC(0x320) = 0x10000 | V_TIMER;            /* masked one-shot */
    LAPIC(0x380) = 0xffffffff;
    uint32_t c1 = LAPIC(0x390);
    wait_ms(1);
    uint32_t c2 = LAPIC(0x390);
    check("apic-current-count-decreases", c2 < c1, 1);
    check("apic-initial-count-reads-back", LAPIC(0x380), 0xffffffff);
    LAPIC(0x380) = 0;
    check("apic-count-0-stops", LAPIC(0x390), 0);

    /* periodic: 100 Hz (bus 1 GHz / 16 / 625000), 300 ms in HLT */
    LAPIC(0x3e0) = 0x3;
    check("apic-divide-reads-back", LAPIC(0x3e0), 3);
    LAPIC(0x320) = 0x20000 | V_TIMER;
    LAPIC(0x380) = 625000;
    hlt_ms(300);
    LAPIC(0x320) = 0x10000 | V_TIMER;
    uint32_t n = apic_ticks;
    check("apic-periodic-about-30-in-300ms", n >= 26 && n <= 34, 1);
    if (n < 26 || n > 34)
        printf("apic periodic ticks %u\n", n);

    /* one-shot: exactly one */
    apic_ticks = 0;
    LAPIC(0x320) = V_TIMER;
    LAPIC(0x380) = 62500;
    __asm__ volatile("sti");
    wait_ms(20);
    __asm__ volatile("cli");
    check("apic-one-shot-fires-once", apic_ticks, 1);
    check("apic-one-shot-count-0", LAPIC(0x390), 0);

    /* TPR holds a self-IPI of a lower class; lowering it delivers */
    LAPIC(0x80) = 0x40;
    LAPIC(0x300) = 0x40000 | V_IPI;              /* fixed, shorthand self */
    __asm__ volatile("sti; nop; nop; cli");
    check("apic-tpr-blocks-ipi", ipis, 0);
    check("apic-irr-holds-ipi", (LAPIC(0x210) >> (V_IPI - 32)) & 1, 1);
    check("apic-ppr-is-tpr", LAPIC(0xa0), 0x40);
    LAPIC(0x80) = 0;
    __asm__ volatile("sti; nop; nop; cli");
    check("apic-ipi-delivered", ipis, 1);
    check("apic-isr-during-handler", (isr_in_ipi >> (V_IPI - 32)) & 1, 1);
    check("apic-isr-clear-after-eoi", LAPIC(0x110), 0);
    check("apic-icr-idle", LAPIC(0x300) & (1u << 12), 0);
    check("apic-no-spurious", spurious, 0);
}

/* ---- IOAPIC ---- */
#define IOAPIC_SEL (*(volatile uint32_t *)0xfec00000u)
#define IOAPIC_WIN (*(volatile uint32_t *)0xfec00010u)
static uint32_t ioapic_rd(uint32_t r) { IOAPIC_SEL = r; return IOAPIC_WIN; }
static void ioapic_wr(uint32_t r, uint32_t v) { IOAPIC_SEL = r; IOAPIC_WIN = v; }

static void test_ioapic(void)
{
    printf("ioapic id %08x version %08x rte2 %08x %08x\n", ioapic_rd(0), ioapic_rd(1), ioapic_rd(0x14),
           ioapic_rd(0x15));
    /* PIT channel 0 at 100 Hz through IOAPIC pin 2, 300 ms in HLT */
    ioapic_wr(0x15, 0);
    ioapic_wr(0x14, V_IOAPIC);
    printf("ioapic rte2 programmed %08x\n", ioapic_rd(0x14));
    outb(PIT_CMD, 0x34);
    outb(PIT_CH0, 11932 & 0xff);
    outb(PIT_CH0, 11932 >> 8);
    hlt_ms(300);
    ioapic_wr(0x14, 0x10000 | V_IOAPIC);
    uint32_t n = ioapic_ticks;
    check("ioapic-pit-about-30-in-300ms", n >= 26 && n <= 34, 1);
    if (n < 26 || n > 34)
        printf("ioapic ticks %u\n", n);
    ioapic_ticks = 0;
    __asm__ volatile("sti");
    wait_ms(30);
    __asm__ volatile("cli");
    check("ioapic-masked-pin-silent", ioapic_ticks, 0);
}

/* ---- HPET ---- */
#define HPET(r) (*(volatile uint32_t *)(0xfed00000u + (r)))

static void test_hpet(void)
{
    printf("hpet GCAP_ID %08x period %u fs\n", HPET(0x000), HPET(0x004));
    printf("hpet timer 0 caps %08x %08x\n", HPET(0x100) & ~0x3f4eu, HPET(0x104));
    uint32_t was = HPET(0x010);
    HPET(0x010) = was | 1;
    uint32_t h0 = HPET(0x0f0), p0 = pm_now();
    wait_ms(20);
    uint32_t h1 = HPET(0x0f0), p1 = pm_now();
    /* 100 MHz against the PM timer's 3.579545 MHz, within 10% */
    uint64_t hpet_ticks = h1 - h0, pm_ticks = (p1 - p0) & 0xffffff;
    uint64_t expect = pm_ticks * 100000000ull / 3579545;
    check("hpet-counter-100mhz", hpet_ticks * 10 >= expect * 9 && hpet_ticks * 10 <= expect * 11, 1);
    HPET(0x010) = was & ~1u;
    uint32_t c = HPET(0x0f0);
    wait_ms(1);
    check("hpet-counter-halts", HPET(0x0f0), c);
}

/* ---- ACPI tables ---- */
static uint8_t sum8(const uint8_t *p, uint32_t n)
{
    uint8_t s = 0;
    while (n--)
        s += *p++;
    return s;
}

static void test_acpi(void)
{
    const uint8_t *rsdp = 0;
    for (uint32_t a = 0xe0000; a < 0x100000; a += 16)
        if (!memcmp((const void *)a, "RSD PTR ", 8) && sum8((const uint8_t *)a, 20) == 0) {
            rsdp = (const uint8_t *)a;
            break;
        }
    check("acpi-rsdp-found", rsdp != 0, 1);
    if (!rsdp)
        return;
    const uint8_t *rsdt = (const uint8_t *)*(const uint32_t *)(rsdp + 16);
    uint32_t len = *(const uint32_t *)(rsdt + 4);
    check("acpi-rsdt-signature", !memcmp(rsdt, "RSDT", 4), 1);
    check("acpi-rsdt-checksum", sum8(rsdt, len), 0);
    const uint8_t *facp = 0, *madt = 0, *hpet = 0;
    for (uint32_t i = 36; i + 4 <= len; i += 4) {
        const uint8_t *t = (const uint8_t *)*(const uint32_t *)(rsdt + i);
        if (!memcmp(t, "FACP", 4))
            facp = t;
        if (!memcmp(t, "APIC", 4))
            madt = t;
        if (!memcmp(t, "HPET", 4))
            hpet = t;
    }
    check("acpi-hpet-in-rsdt", hpet != 0, 1);
    if (hpet)
        printf("acpi hpet id %08x base %08x\n", *(const uint32_t *)(hpet + 36), *(const uint32_t *)(hpet + 44));
    check("acpi-fadt-in-rsdt", facp != 0, 1);
    check("acpi-madt-in-rsdt", madt != 0, 1);
    if (!facp || !madt)
        return;
    check("acpi-fadt-checksum", sum8(facp, *(const uint32_t *)(facp + 4)), 0);
    printf("acpi fadt sci %u pm1a_evt %x pm1a_cnt %x pm_tmr %x lens %08x century %02x\n",
           *(const uint16_t *)(facp + 46), *(const uint32_t *)(facp + 56), *(const uint32_t *)(facp + 64),
           *(const uint32_t *)(facp + 76), *(const uint32_t *)(facp + 88), facp[108]);
    const uint8_t *dsdt = (const uint8_t *)*(const uint32_t *)(facp + 40);
    check("acpi-dsdt-signature", !memcmp(dsdt, "DSDT", 4), 1);
    check("acpi-dsdt-checksum", sum8(dsdt, *(const uint32_t *)(dsdt + 4)), 0);
    uint32_t mlen = *(const uint32_t *)(madt + 4);
    check("acpi-madt-checksum", sum8(madt, mlen), 0);
    printf("acpi madt lapic %08x flags %x\n", *(const uint32_t *)(madt + 36), *(const uint32_t *)(madt + 40));
    for (uint32_t o = 44; o + 2 <= mlen; o += madt[o + 1]) {
        const uint8_t *e = madt + o;
        if (e[1] == 0)
            break;
        if (e[0] == 1)
            printf("acpi madt ioapic id %u addr %08x gsi %u\n", e[2], *(const uint32_t *)(e + 4),
                   *(const uint32_t *)(e + 8));
        if (e[0] == 2 && e[3] == 0)
            printf("acpi madt override irq 0 -> gsi %u\n", *(const uint32_t *)(e + 4));
    }
}

int main(void)
{
    trap_hook = irq_hook;
    test_pci();
    test_fw_cfg();
    test_apic();
    test_ioapic();
    test_hpet();
    test_acpi();
    uint32_t t1 = pm_now();
    wait_ms(2);
    check("pm-timer-advances-24-bit", ((pm_now() - t1) & 0xffffff) >= 7000 && pm_now() <= 0xffffff, 1);
    if (!check_failures)
        printf("PASS pcboard\n");
    return 0;
}
