#!/bin/bash
# seglimit.elf: segment limit and type checks on data accesses. QEMU 7.2
# checks none of them, so the program names the cases it gets wrong
# "sdm.*" and checks them against the SDM itself. Under kasou (JIT, the
# interpreter, one insn per block, chaining and the inline TLB off) it must
# exit with status 1 with PASS lines and no FAIL; every line not about an
# sdm.* case must equal QEMU's (the accesses that must work, at the
# boundaries, and the values they read). QEMU exits with status 3: its
# sdm.* checks fail, as they must.
#   seglimit.sh <seglimit.elf>
elf=$1
run=scripts/run-guest.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
base=guest/x86/seglimit
if [ ! -f "$elf" ]; then
    echo "not ok - $base: $elf not built"; exit 0
fi
$run qemu "$elf" > "$tmp/qemu" 2> "$tmp/qerr"; qrc=$?
grep -v 'sdm\.' "$tmp/qemu" > "$tmp/want"
if [ $qrc = 127 ]; then
    echo "not ok - $base [qemu]: qemu-system-i386 missing (no reference)"
elif [ $qrc != 3 ] || grep -q '^FAIL' "$tmp/want" || ! grep -q '^PASS' "$tmp/want"; then
    echo "not ok - $base [qemu]: reference run failed outside the sdm.* cases (status $qrc)"
    grep -m3 '^FAIL' "$tmp/want" | sed 's/^/#   /'
else
    echo "ok - $base [qemu]: QEMU agrees on every case it checks"
fi
for accel in "" "-accel tci" "-accel tcg,one-insn-per-tb=on" "-accel tcg,chain=off,tlb-inline=off"; do
    name="$base${accel:+ [$accel]}"
    # shellcheck disable=SC2086
    $run kasou "$elf" $accel > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ $rc != 1 ] || grep -q '^FAIL' "$tmp/out" || ! grep -q '^PASS sdm\.' "$tmp/out"; then
        echo "not ok - $name: kasou status $rc"
        grep -m3 '^FAIL' "$tmp/out" | sed 's/^/#   /'
        tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
    elif [ $qrc != 127 ] && ! grep -v 'sdm\.' "$tmp/out" | diff -u "$tmp/want" - > "$tmp/diff"; then
        echo "not ok - $name: lines outside the sdm.* cases differ from QEMU"
        sed -n '3,22p' "$tmp/diff" | sed 's/^/#   /'
    else
        echo "ok - $name"
    fi
done
exit 0
