/*
 * kasou's entry point: parse the command line, build the machine, run it.
 * Everything else lives in the other machine/ files so tests can link the
 * core without main(). The exit status is the guest's (isa-debug-exit),
 * 0 for a clean stop, 1 for any error (one "kasou: ..." line).
 */
#include "machine/board.h"
#include "machine/options.h"

int main(int argc, char **argv)
{
    KasouOptions opts;

    switch (options_parse(&opts, argc, argv)) {
    case OPTIONS_DONE:
        return 0;
    case OPTIONS_ERROR:
        return 1;
    case OPTIONS_RUN:
        break;
    }
    Machine *m = machine_new(&opts);
    if (!m)
        return 1;
    int status = machine_run(m);
    machine_free(m);
    return status;
}
