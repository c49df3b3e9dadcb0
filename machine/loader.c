/*
 * Helpers the guest loaders share (machine/linux.c, machine/multiboot.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "machine/loader.h"
#include "machine/options.h"

int loader_read_file(const char *what, const char *path, uint64_t max, uint8_t **bufp, uint64_t *sizep)
{
    int fd = open(path, O_RDONLY);
    struct stat st;

    if (fd < 0) {
        kasou_error("cannot open %s '%s': %s", what, path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        kasou_error("cannot open %s '%s': %s", what, path,
                    S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
        close(fd);
        return -1;
    }
    uint64_t size = (uint64_t)st.st_size;
    if (size > max) {
        kasou_error("%s '%s' (%llu bytes) does not fit in RAM", what, path, (unsigned long long)size);
        close(fd);
        return -1;
    }
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) {
        kasou_error("out of memory reading %s '%s'", what, path);
        close(fd);
        return -1;
    }
    for (uint64_t got = 0; got < size;) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            kasou_error("cannot read %s '%s': %s", what, path, n < 0 ? strerror(errno) : "file shrank");
            free(buf);
            close(fd);
            return -1;
        }
        got += (uint64_t)n;
    }
    close(fd);
    *bufp = buf;
    *sizep = size;
    return 0;
}
