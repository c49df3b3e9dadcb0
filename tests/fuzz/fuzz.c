/*
 * Fuzz guest: runs chunks of random bytes as code. Every exception the
 * random code raises moves on to the next chunk (the IDT handler rewrites
 * the return eip), so one run executes a few hundred random chunks. The
 * seed comes from the kernel command line ("seed=N"). Nothing is checked in
 * here: the test (run.sh) requires that kasou itself never crashes, under
 * the JIT and the interpreter alike; the guest's fate (a triple fault, a
 * halt, a random write to the exit port) is the guest's business.
 */
#include "lib.h"

#define CHUNK 128
#define NB_CHUNKS 400
#define CODE_BASE 0x400000u

static uint32_t chunk_next;

static uint32_t cmdline_seed(void)
{
    const uint32_t *mbi = (const uint32_t *)mb_info;
    if (!mbi || !(mbi[0] & 4))
        return 1;
    const char *s = (const char *)mbi[4];
    uint32_t seed = 0;
    for (; *s; s++) {
        if (s[0] == 's' && s[1] == 'e' && s[2] == 'e' && s[3] == 'd' && s[4] == '=') {
            for (s += 5; *s >= '0' && *s <= '9'; s++)
                seed = seed * 10 + (uint32_t)(*s - '0');
            break;
        }
    }
    return seed ? seed : 1;
}

static int next_chunk(struct trap_frame *f)
{
    if (++chunk_next >= NB_CHUNKS) {
        printf("done %u chunks\n", chunk_next);
        exit(0);
    }
    f->eip = CODE_BASE + chunk_next * CHUNK;
    f->eflags = 0x2;            /* IF, TF, DF off: no single-step storms */
    return 1;
}

int main(void)
{
    uint32_t seed = cmdline_seed();
    printf("seed %u\n", seed);
    uint8_t *code = (uint8_t *)CODE_BASE;
    for (uint32_t i = 0; i < NB_CHUNKS * CHUNK; i++)
        code[i] = (uint8_t)xorshift32(&seed);
    /* every chunk ends in ud2 so falling off its end raises #UD too */
    for (uint32_t c = 0; c < NB_CHUNKS; c++) {
        code[c * CHUNK + CHUNK - 2] = 0x0f;
        code[c * CHUNK + CHUNK - 1] = 0x0b;
    }
    trap_hook = next_chunk;
    __asm__ volatile("jmp *%0" : : "r"(CODE_BASE));
    return 0;
}
