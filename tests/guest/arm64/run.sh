#!/bin/bash
# Runs each bare-metal AArch64 guest under QEMU (the reference, run now,
# never stored) and kasou, both on -M virt -cpu cortex-a57 -semihosting;
# prints "ok - guest/arm64/<prog>" when kasou exits with status 0 (PSCI
# SYSTEM_OFF), its output equals QEMU's line by line, and the output holds
# PASS lines and no FAIL line. A missing QEMU or kasou is a failure.
#   run.sh <dir with .elf files> <prog>...
# Env: KASOU (default ./kasou), QEMU (default qemu-system-aarch64),
# GUEST_TIMEOUT seconds (default 30), KASOU_ACCEL (e.g. "-accel tci").
dir=$1; shift
read -r -a accel <<< "${KASOU_ACCEL:-}"
kasou=${KASOU:-./kasou}
qemu=${QEMU:-qemu-system-aarch64}
tmo=${GUEST_TIMEOUT:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {   # run <out> <emulator and args...>: the guest's lines after its start marker
    timeout -k 2 "$tmo" "${@:2}" < /dev/null > "$tmp/raw" 2> "$tmp/err"
    local rc=$?
    tr -d '\r' < "$tmp/raw" | sed -n '/^-- guest start --$/,$p' | sed '1d' > "$1"
    return $rc
}
for p in "$@"; do
    elf=$dir/$p.elf
    name=guest/arm64/$p${KASOU_ACCEL:+ [${KASOU_ACCEL}]}
    if [ ! -f "$elf" ]; then
        echo "not ok - $name: $elf not built"; continue
    fi
    if ! command -v "$qemu" > /dev/null; then
        echo "not ok - $name: $qemu missing (no reference)"; continue
    fi
    run "$tmp/want" "$qemu" -M virt -cpu cortex-a57 -nographic -no-reboot -semihosting -kernel "$elf"
    qrc=$?
    if [ $qrc != 0 ] || grep -q '^FAIL' "$tmp/want" || ! grep -q '^PASS' "$tmp/want"; then
        echo "not ok - $name: reference run under QEMU failed (status $qrc)"
        grep -m3 '^FAIL' "$tmp/want" | sed 's/^/#   /'; continue
    fi
    run "$tmp/got" "$kasou" -M virt -cpu cortex-a57 -nographic -semihosting "${accel[@]}" -kernel "$elf"
    krc=$?
    if [ $krc = 124 ]; then
        echo "not ok - $name: kasou timed out ($tmo s)"
    elif ! diff -u "$tmp/want" "$tmp/got" > "$tmp/diff"; then
        echo "not ok - $name: output differs from QEMU (kasou status $krc): diff"
        sed -n '3,32p' "$tmp/diff" | sed 's/^/#   /'
        tail -5 "$tmp/err" | sed 's/^/#   stderr: /'
    elif [ $krc != 0 ]; then
        echo "not ok - $name: kasou exit status $krc, want 0"
        tail -5 "$tmp/err" | sed 's/^/#   stderr: /'
    else
        echo "ok - $name"
    fi
done
exit 0
