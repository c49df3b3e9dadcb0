#!/bin/bash
# kbc.elf resets the machine twice (keyboard controller 0xfe, port 0x92)
# and counts in CMOS RAM: kasou must print what QEMU prints, both
# rebooting (no -no-reboot), and exit with status 1; with -no-reboot
# kasou (like QEMU) stops at the first reset with status 0.
#   reset.sh <kbc.elf>
elf=$1
kasou=${KASOU:-./kasou}
qemu=${QEMU:-qemu-system-i386}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
guest_lines() { tr -d '\r' | grep -E '^(PASS|FAIL|resetting|back) '; }
if ! command -v "$qemu" >/dev/null; then
    echo "not ok - guest/x86/kbc-reset: $qemu missing (no reference)"; exit 0
fi
timeout 20 "$qemu" -M pc -kernel "$elf" -nographic -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    </dev/null 2>"$tmp/qerr" | guest_lines >"$tmp/want"
qrc=${PIPESTATUS[0]}
timeout 20 "$kasou" -M pc -kernel "$elf" -nographic </dev/null 2>"$tmp/kerr" | guest_lines >"$tmp/got"
krc=${PIPESTATUS[0]}
if [ "$qrc" != 1 ] || grep -q '^FAIL' "$tmp/want" || ! grep -q '^PASS' "$tmp/want"; then
    echo "not ok - guest/x86/kbc-reset: reference run under QEMU failed (status $qrc)"
elif ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
    echo "not ok - guest/x86/kbc-reset: output differs from QEMU (kasou status $krc)"
    sed -n '3,30p' "$tmp/diff" | sed 's/^/#   /'
elif [ "$krc" != 1 ]; then
    echo "not ok - guest/x86/kbc-reset: kasou exit status $krc, want 1"
    tail -3 "$tmp/kerr" | sed 's/^/#   stderr: /'
else
    echo "ok - guest/x86/kbc-reset"
fi
timeout 20 "$kasou" -M pc -kernel "$elf" -nographic -no-reboot </dev/null 2>"$tmp/kerr" | guest_lines >"$tmp/got"
krc=${PIPESTATUS[0]}
if [ "$krc" = 0 ] && [ "$(tail -1 "$tmp/got")" = "resetting through the keyboard controller" ]; then
    echo "ok - guest/x86/kbc-reset-no-reboot"
else
    echo "not ok - guest/x86/kbc-reset-no-reboot: status $krc, last line '$(tail -1 "$tmp/got")'"
fi
