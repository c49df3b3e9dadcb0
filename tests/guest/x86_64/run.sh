#!/bin/bash
# Runs each 64-bit bare-metal guest under qemu-system-x86_64 (the reference,
# run now, never stored) and kasou, both -cpu qemu64 (or GUEST_CPU); prints
# "ok - guest/x86_64/<prog>" when kasou exits with status 1, its output
# equals QEMU's line by line, and the output holds PASS lines and no FAIL
# line. A missing QEMU or kasou is a failure, not a skip. The comparison is
# tests/guest/x86/run.sh's.
#   run.sh <dir with .elf files> <prog>...
# Env: KASOU, QEMU (default qemu-system-x86_64), GUEST_TIMEOUT, KASOU_ACCEL
# (extra kasou switches, named in the case), GUEST_CPU (the -cpu model both
# run with, default qemu64; named in the case when not the default).
export QEMU=${QEMU:-qemu-system-x86_64} GUEST_SUITE=x86_64 GUEST_CPU_DEFAULT=qemu64
exec "$(dirname "$0")/../x86/run.sh" "$@"
