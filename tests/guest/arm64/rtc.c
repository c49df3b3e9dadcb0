/* The PL031 RTC at 0x09010000: its PrimeCell IDs, RTCCR, RTCLR loading the
 * counter, the match interrupt raised when the counter reaches RTCMR (raw,
 * masked, cleared) and its line (SPI 2 = IRQ 34) pending at the GIC. */
#include "lib.h"

#define RTC  ((volatile uint32_t *)0x09010000)
#define GICD ((volatile uint32_t *)0x08000000)
#define RTCDR (0x00 / 4)
#define RTCMR (0x04 / 4)
#define RTCLR (0x08 / 4)
#define RTCCR (0x0c / 4)
#define RTCIMSC (0x10 / 4)
#define RTCRIS (0x14 / 4)
#define RTCMIS (0x18 / 4)
#define RTCICR (0x1c / 4)
#define GICD_ISPENDR1 ((0x200 + 4) / 4)
#define IRQ34 (1u << 2)

int main(void)
{
    puts_("-- guest start --\n");
    printf_("ids");
    for (int i = 0; i < 8; i++)
        printf_(" %x", RTC[(0xfe0 >> 2) + i]);
    printf_("\n");
    /* the counter runs from reset: it reads the host's time (after 2020) */
    check("RTCDR is wall time", RTC[RTCDR] > 1577836800u, 1);
    printf_("RTCCR at reset %x\n", RTC[RTCCR]);
    RTC[RTCCR] = 1;
    RTC[RTCCR] = 0;          /* RTCStart cannot be cleared */
    printf_("RTCCR after start %x\n", RTC[RTCCR]);

    RTC[RTCLR] = 0x12345678;
    uint32_t dr = RTC[RTCDR];
    check("RTCDR after load", dr == 0x12345678 || dr == 0x12345679, 1);
    printf_("RTCLR %x RTCMR %x RTCIMSC %x RTCRIS %x\n", RTC[RTCLR], RTC[RTCMR], RTC[RTCIMSC], RTC[RTCRIS]);

    /* match in 2 seconds at most: poll the raw status meanwhile */
    RTC[RTCMR] = RTC[RTCDR] + 1;
    uint32_t start = RTC[RTCDR];
    while (!(RTC[RTCRIS] & 1) && RTC[RTCDR] - start < 3)
        ;
    check("counter matched within 2 s", RTC[RTCDR] - start < 3, 1);
    printf_("after match RIS %x MIS %x pending34 %x\n", RTC[RTCRIS], RTC[RTCMIS],
            GICD[GICD_ISPENDR1] & IRQ34);
    RTC[RTCIMSC] = 1;
    printf_("unmasked RIS %x MIS %x pending34 %x\n", RTC[RTCRIS], RTC[RTCMIS], GICD[GICD_ISPENDR1] & IRQ34);
    RTC[RTCICR] = 1;
    printf_("cleared RIS %x MIS %x pending34 %x\n", RTC[RTCRIS], RTC[RTCMIS], GICD[GICD_ISPENDR1] & IRQ34);
    RTC[RTCIMSC] = 0;
    return 0;
}
