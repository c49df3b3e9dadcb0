#!/bin/bash
# Runs each 64-bit bare-metal guest under qemu-system-x86_64 (the reference,
# run now, never stored) and kasou, both -cpu qemu64 (or GUEST_CPU); prints
# "ok - guest/x86_64/<prog>" when kasou exits with status 1, its output
# equals QEMU's line by line, and the output holds PASS lines and no FAIL
# line. A missing QEMU or kasou is a failure, not a skip.
#   run.sh <dir with .elf files> <prog>...
# Env: KASOU, QEMU (default qemu-system-x86_64), GUEST_TIMEOUT, KASOU_ACCEL
# (extra kasou switches, named in the case), GUEST_CPU (the -cpu model both
# run with, default qemu64; named in the case when not the default).
dir=$1; shift
read -r -a accel <<< "${KASOU_ACCEL:-}"
run=scripts/run-guest.sh
export QEMU=${QEMU:-qemu-system-x86_64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in "$@"; do
    elf=$dir/$p.elf
    cpu=${GUEST_CPU:-qemu64}
    name=guest/x86_64/$p${GUEST_CPU:+ [-cpu $GUEST_CPU]}${KASOU_ACCEL:+ [${KASOU_ACCEL}]}
    if [ ! -f "$elf" ]; then
        echo "not ok - $name: $elf not built"; continue
    fi
    $run qemu "$elf" -cpu "$cpu" > "$tmp/want" 2> "$tmp/qerr"; qrc=$?
    if [ $qrc = 127 ]; then
        echo "not ok - $name: $QEMU missing (no reference)"; continue
    fi
    if [ $qrc != 1 ] || grep -q '^FAIL' "$tmp/want" || ! grep -q '^PASS' "$tmp/want"; then
        echo "not ok - $name: reference run under QEMU failed (status $qrc)"
        grep -m3 '^FAIL' "$tmp/want"; continue
    fi
    $run kasou "$elf" -cpu "$cpu" "${accel[@]}" > "$tmp/got" 2> "$tmp/kerr"; krc=$?
    if [ $krc = 127 ]; then
        echo "not ok - $name: kasou not found"; continue
    fi
    if [ $krc = 124 ]; then
        echo "not ok - $name: kasou timed out (${GUEST_TIMEOUT:-20} s)"; continue
    fi
    if ! diff -u "$tmp/want" "$tmp/got" > "$tmp/diff"; then
        echo "not ok - $name: output differs from QEMU (kasou status $krc): diff"
        sed -n '3,32p' "$tmp/diff" | sed 's/^/#   /'
        tail -5 "$tmp/kerr" | sed 's/^/#   stderr: /'
    elif [ $krc != 1 ]; then
        echo "not ok - $name: kasou exit status $krc, want 1"
        tail -5 "$tmp/kerr" | sed 's/^/#   stderr: /'
    else
        echo "ok - $name"
    fi
done
exit 0
