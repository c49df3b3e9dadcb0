/*
 * Power off and reset the pc the ways an OS does, chosen by the multiboot
 * command line: "poweroff" writes SLP_TYP 0 | SLP_EN to PM1a_CNT (the
 * FADT's block, \_S5's value), "reset" writes 0x06 to port 0xCF9, and
 * "fadt-reset" writes the FADT's RESET_VALUE to its RESET_REG. Under
 * QEMU and kasou (-no-reboot) each ends the run with status 0; a guest
 * still running afterwards prints FAIL and exits with status 3.
 */
#include "lib.h"

static inline void outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(p)); }

static int has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; *p; p++)
        if ((p == s || p[-1] == ' ') && !memcmp(p, w, n) && (p[n] == 0 || p[n] == ' '))
            return 1;
    return 0;
}

static uint8_t sum8(const uint8_t *p, uint32_t n)
{
    uint8_t s = 0;
    while (n--)
        s += *p++;
    return s;
}

static const uint8_t *find_fadt(void)
{
    for (uint32_t a = 0xe0000; a < 0x100000; a += 16) {
        const uint8_t *rsdp = (const uint8_t *)a;
        if (memcmp(rsdp, "RSD PTR ", 8) || sum8(rsdp, 20))
            continue;
        const uint8_t *rsdt = (const uint8_t *)*(const uint32_t *)(rsdp + 16);
        for (uint32_t i = 36; i + 4 <= *(const uint32_t *)(rsdt + 4); i += 4) {
            const uint8_t *t = (const uint8_t *)*(const uint32_t *)(rsdt + i);
            if (!memcmp(t, "FACP", 4))
                return t;
        }
    }
    return 0;
}

int main(void)
{
    const uint32_t *mbi = (const uint32_t *)mb_info;
    const char *cmdline = (mbi[0] & 4) ? (const char *)mbi[4] : "";
    const uint8_t *fadt = find_fadt();
    if (!fadt) {
        printf("FAIL no FADT\n");
        exit(1);
    }
    uint16_t pm1a_cnt = (uint16_t)*(const uint32_t *)(fadt + 64);
    if (has_word(cmdline, "poweroff")) {
        printf("powering off through PM1a_CNT\n");
        outw(pm1a_cnt, 1u << 13);
    } else if (has_word(cmdline, "reset")) {
        printf("resetting through 0xCF9\n");
        outb(0xcf9, 0x06);
    } else if (has_word(cmdline, "fadt-reset")) {
        if (*(const uint32_t *)(fadt + 4) < 129) {
            printf("FAIL the FADT (revision %u) has no reset register\n", fadt[8]);
            exit(1);
        }
        uint32_t flags = *(const uint32_t *)(fadt + 112);
        uint8_t space = fadt[116];
        uint16_t port = (uint16_t)*(const uint32_t *)(fadt + 120);
        printf("resetting through the FADT's reset register (supported %u, I/O %u)\n",
               (flags >> 10) & 1, space == 1);
        outb(port, fadt[128]);
    } else {
        printf("FAIL no action on the command line\n");
        exit(1);
    }
    for (volatile int i = 0; i < 1000000; i++)
        ;
    printf("FAIL still running\n");
    exit(1);
}
