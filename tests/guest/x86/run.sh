#!/bin/bash
# Runs each bare-metal x86 guest under QEMU (the reference, run now, never
# stored) and kasou; prints "ok - guest/x86/<prog>" when kasou exits with
# status 1, its output equals QEMU's line by line, and the output holds PASS
# lines and no FAIL line.  A missing QEMU or kasou is a failure, not a skip.
#   run.sh <dir with .elf files> <prog>...
# Env: KASOU, QEMU, GUEST_TIMEOUT (see scripts/run-guest.sh); KASOU_ACCEL,
# e.g. "-accel tci", runs kasou with those switches (the case names carry
# them), so the interpreter and every fast-path switch meet the same oracle.
# GUEST_CPU, e.g. "max", runs both emulators with -cpu GUEST_CPU.
dir=$1; shift
read -r -a accel <<< "${KASOU_ACCEL:-}"
cpu=(); [ -n "${GUEST_CPU:-}" ] && cpu=(-cpu "$GUEST_CPU")
run=scripts/run-guest.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in "$@"; do
    elf=$dir/$p.elf
    name=guest/x86/$p${KASOU_ACCEL:+ [${KASOU_ACCEL}]}
    if [ ! -f "$elf" ]; then
        echo "not ok - $name: $elf not built"; continue
    fi
    $run qemu "$elf" "${cpu[@]}" > "$tmp/want" 2> "$tmp/qerr"; qrc=$?
    if [ $qrc = 127 ]; then
        echo "not ok - $name: qemu-system-i386 missing (no reference)"; continue
    fi
    if [ $qrc != 1 ] || grep -q '^FAIL' "$tmp/want" || ! grep -q '^PASS' "$tmp/want"; then
        echo "not ok - $name: reference run under QEMU failed (status $qrc)"
        grep -m3 '^FAIL' "$tmp/want"; continue
    fi
    $run kasou "$elf" "${cpu[@]}" "${accel[@]}" > "$tmp/got" 2> "$tmp/kerr"; krc=$?
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
