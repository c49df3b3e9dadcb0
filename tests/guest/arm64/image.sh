#!/bin/bash
# Boots bootinfo.Image (raw and gzip'd) as a Linux kernel under QEMU and
# kasou with -append and -initrd; the guest prints what it finds in the
# device tree x0 points at; the outputs must be equal.   image.sh <dir>
dir=$1
kasou=${KASOU:-./kasou}
qemu=${QEMU:-qemu-system-aarch64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'INITRD test data: not a cpio, only bytes to find\n' > "$tmp/initrd"
run() {   # run <out> <emulator...>
    timeout -k 2 30 "${@:2}" -append "console=ttyAMA0 kasou=test" -initrd "$tmp/initrd" \
        < /dev/null > "$tmp/raw" 2> "$tmp/err"
    local rc=$?
    tr -d '\r' < "$tmp/raw" | sed -n '/^-- guest start --$/,$p' | sed '1d' > "$1"
    return $rc
}
for img in bootinfo.Image bootinfo.Image.gz; do
    name=guest/arm64/image/$img
    if [ ! -f "$dir/$img" ]; then echo "not ok - $name: not built"; continue; fi
    run "$tmp/want" "$qemu" -M virt -cpu cortex-a57 -nographic -no-reboot -kernel "$dir/$img"; qrc=$?
    if [ $qrc != 0 ] || ! grep -q '^PASS' "$tmp/want" || grep -q '^FAIL' "$tmp/want"; then
        echo "not ok - $name: reference run under QEMU failed (status $qrc)"; continue
    fi
    run "$tmp/got" "$kasou" -M virt -cpu cortex-a57 -nographic -kernel "$dir/$img"; krc=$?
    if ! diff -u "$tmp/want" "$tmp/got" > "$tmp/diff"; then
        echo "not ok - $name: output differs from QEMU (kasou status $krc): diff"
        sed -n '3,20p' "$tmp/diff" | sed 's/^/#   /'
        tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
    elif [ $krc != 0 ]; then
        echo "not ok - $name: kasou exit status $krc"
    else
        echo "ok - $name"
    fi
done
exit 0
