/*
 * Prints the date and time the RTC shows (BCD, 24 hour, century byte) and
 * the CMOS memory size bytes, for tests/guest/x86/rtc.sh to compare
 * kasou's -rtc base= and -m with QEMU's. (The floppy and equipment bytes
 * differ on purpose: QEMU's pc has a floppy controller and a PS/2 mouse.)
 */
#include "lib.h"

static uint8_t cmos_read(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static unsigned bcd(uint8_t v)
{
    return (v >> 4) * 10 + (v & 0xf);
}

int main(void)
{
    while (cmos_read(0x0a) & 0x80)
        ;
    unsigned min = bcd(cmos_read(0x02)), hour = bcd(cmos_read(0x04));
    unsigned day = bcd(cmos_read(0x07)), mon = bcd(cmos_read(0x08));
    unsigned year = bcd(cmos_read(0x32)) * 100 + bcd(cmos_read(0x09));
    unsigned wday = bcd(cmos_read(0x06));
    printf("date %u-%c%u-%c%u weekday %u\n", year, mon < 10 ? '0' : '1', mon % 10,
           '0' + day / 10, day % 10, wday);
    printf("time %c%u:%c%u\n", '0' + hour / 10, hour % 10, '0' + min / 10, min % 10);
    /* the memory size bytes SeaBIOS and Linux read */
    static const uint8_t mem_bytes[] = { 0x15, 0x16, 0x17, 0x18, 0x30, 0x31, 0x34, 0x35,
                                         0x5b, 0x5c, 0x5d };
    printf("cmos-memory");
    for (unsigned i = 0; i < sizeof(mem_bytes); i++)
        printf(" %02x=%x", mem_bytes[i], cmos_read(mem_bytes[i]));
    printf("\n");
    return 0;
}
