/*
 * Helpers the guest loaders share.
 */
#ifndef MACHINE_LOADER_H
#define MACHINE_LOADER_H

#include <stdint.h>

/* A whole regular file of at most max bytes into a malloc'd buffer. what
 * names it in errors ("kernel", "initrd", "module"): one "kasou: ..."
 * line and -1 when it cannot be opened or read, or is larger than max
 * ("does not fit in RAM"). */
int loader_read_file(const char *what, const char *path, uint64_t max, uint8_t **bufp, uint64_t *sizep);

#endif
