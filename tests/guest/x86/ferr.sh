#!/bin/bash
# ferr.elf checks FERR#/IRQ 13 and IGNNE# (CR0.NE = 0) against the SDM and
# the PC's wiring (QEMU 7.2 aborts on FERR#, so there is no reference run):
# kasou must exit with status 1 and print PASS lines and no FAIL, under the
# JIT and the interpreter; with -d trap it must log FERR# and port 0xF0.
#   ferr.sh <ferr.elf>
elf=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for accel in "" "-accel tci"; do
    name="guest/x86/ferr${accel:+ [$accel]}"
    if [ ! -f "$elf" ]; then
        echo "not ok - $name: $elf not built"; continue
    fi
    # shellcheck disable=SC2086
    scripts/run-guest.sh kasou "$elf" $accel -d trap -D "$tmp/trap" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ $rc != 1 ] || grep -q '^FAIL' "$tmp/out" || ! grep -q '^PASS no irq13 with ne' "$tmp/out"; then
        echo "not ok - $name: kasou status $rc"
        grep -m3 '^FAIL' "$tmp/out" | sed 's/^/#   /'
        tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
        continue
    fi
    n=$(grep -c 'CR0.NE=0: FERR# asserted' "$tmp/trap")
    if [ "$n" != 3 ] || ! grep -q 'OUTb port 0x00f0, 0x0: written to ferr-ignne' "$tmp/trap"; then
        echo "not ok - $name: -d trap has $n FERR# lines (want 3) or no port 0xf0 write"
    else
        echo "ok - $name"
    fi
done
exit 0
