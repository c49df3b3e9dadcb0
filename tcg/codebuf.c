/*
 * The code buffer: one block of memory mapped twice (W^X), a read-write view
 * the backend writes through and a read-execute view the CPU runs, so no
 * page is ever writable and executable at once. memfd_create provides the
 * shared memory; only if that fails do we fall back to one RWX mapping
 * (rw == rx). Everything that patches code must write through codebuf_rw().
 * Optionally logs each block to a perf map (perf-<pid>.map, opened by main);
 * then the buffer is one anonymous RWX mapping, the only kind perf reads
 * such a map for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "backend/backend.h"

#define CODEBUF_DEFAULT_SIZE (64u << 20)

int codebuf_init(CodeBuffer *cb, size_t size)
{
    FILE *perf = cb->perf_map;   /* the caller may have opened it already */
    memset(cb, 0, sizeof(*cb));
    cb->perf_map = perf;
    if (size == 0)
        size = CODEBUF_DEFAULT_SIZE;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size = (size + page - 1) & ~(page - 1);

    /* perf names symbols from perf-<pid>.map only in anonymous executable
     * mappings, not in a memfd view: -perfmap trades W^X for one RWX
     * anonymous mapping so `perf report` can name guest blocks. */
    int fd = perf ? -1 : memfd_create("kasou-jit", MFD_CLOEXEC);
    if (fd >= 0) {
        if (ftruncate(fd, (off_t)size) == 0) {
            void *rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            void *rx = rw == MAP_FAILED ? MAP_FAILED
                                        : mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
            if (rx != MAP_FAILED) {
                close(fd);
                cb->rw = rw;
                cb->rx = rx;
                cb->size = size;
                cb->rw_minus_rx = (uint8_t *)rw - (uint8_t *)rx;
                return 0;
            }
            if (rw != MAP_FAILED)
                munmap(rw, size);
        }
        close(fd);
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -errno;
    cb->rw = cb->rx = p;
    cb->size = size;
    cb->rw_minus_rx = 0;
    return 0;
}

/* Forget every block. The backend re-emits its shared stubs at offset 0 on
 * the next jit_gen_code (it does so whenever used == 0). */
void codebuf_reset(CodeBuffer *cb)
{
    cb->used = 0;
}

#define CODEBUF_POPULATE_STEP ((size_t)2 << 20)

void codebuf_populate(CodeBuffer *cb)
{
#ifdef MADV_POPULATE_WRITE
    if (cb->populated == (size_t)-1 || cb->used + CODEBUF_POPULATE_STEP / 2 <= cb->populated)
        return;
    size_t start = cb->populated, len = CODEBUF_POPULATE_STEP;
    if (start >= cb->size)
        return;
    if (len > cb->size - start)
        len = cb->size - start;
    if (madvise(cb->rw + start, len, MADV_POPULATE_WRITE) != 0 ||
        (cb->rx != cb->rw && madvise(cb->rx + start, len, MADV_POPULATE_READ) != 0)) {
        cb->populated = (size_t)-1;   /* not supported here: leave it to page faults */
        return;
    }
    cb->populated = start + len;
#else
    (void)cb;
#endif
}

void codebuf_perf_map(CodeBuffer *cb, const void *rx, size_t len, const char *fmt, ...)
{
    if (!cb->perf_map)
        return;
    va_list ap;
    fprintf(cb->perf_map, "%lx %zx ", (unsigned long)(uintptr_t)rx, len);
    va_start(ap, fmt);
    vfprintf(cb->perf_map, fmt, ap);
    va_end(ap);
    fputc('\n', cb->perf_map);
    fflush(cb->perf_map);
}
