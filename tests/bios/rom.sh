#!/bin/bash
# A firmware image built here (roms/modes.S) started at the reset vector
# under QEMU (the reference, run now) and kasou with -bios: the outputs
# must be equal line by line, hold no FAIL, end with "rom: done", and both
# must exit through isa-debug-exit with status 1. A missing QEMU or image
# is a failure, not a skip.
#   rom.sh IMAGE
# Env: KASOU (default ./kasou), KASOU_ACCEL (extra kasou switches).
img=$1
name=bios/rom-modes${KASOU_ACCEL:+ [${KASOU_ACCEL}]}
read -r -a accel <<< "${KASOU_ACCEL:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -f "$img" ]; then echo "not ok - $name: $img not built"; exit 0; fi
timeout -k 2 20 qemu-system-x86_64 -M pc -bios "$img" -nographic -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 < /dev/null 2>/dev/null | tr -d '\r' > "$tmp/want"
qrc=${PIPESTATUS[0]}
# the long-mode stage needs a 64-bit CPU model (QEMU's x86-64 default is qemu64)
timeout -k 2 20 "${KASOU:-./kasou}" -M pc -cpu qemu64 -bios "$img" -nographic -no-reboot "${accel[@]}" \
    < /dev/null 2> "$tmp/kerr" | tr -d '\r' > "$tmp/got"
krc=${PIPESTATUS[0]}
if [ "$qrc" != 1 ] || grep -q FAIL "$tmp/want" || [ "$(tail -n1 "$tmp/want")" != "rom: done" ]; then
    echo "not ok - $name: reference run under QEMU failed (status $qrc)"
elif ! diff -u "$tmp/want" "$tmp/got" > "$tmp/diff"; then
    echo "not ok - $name: output differs from QEMU (kasou status $krc)"
    sed -n '3,20p' "$tmp/diff" | sed 's/^/#   /'
    head -3 "$tmp/kerr" | sed 's/^/#   stderr: /'
elif [ "$krc" != 1 ]; then
    echo "not ok - $name: kasou exit status $krc, want 1"
else
    echo "ok - $name"
fi
exit 0
