/*
 * Benchmark: bitwise CRC-32 (no table) over a 64 KiB buffer, repeated: a
 * latency-bound integer and branch loop.
 */
#include "lib.h"

#define BENCH_ROUNDS 300

static uint8_t buf[65536];

int main(void)
{
    uint32_t seed = 1, crc = 0xffffffff;
    for (uint32_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)xorshift32(&seed);
    for (int r = 0; r < BENCH_ROUNDS; r++) {
        for (uint32_t i = 0; i < sizeof(buf); i++) {
            crc ^= buf[i];
            for (int k = 0; k < 8; k++)
                crc = crc & 1 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
        }
    }
    printf("checksum %08x\n", ~crc);
    return 0;
}
