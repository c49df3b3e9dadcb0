#!/bin/bash
# debuggd.elf checks DR7.GD against the SDM (QEMU 7.2 lacks it, so there is
# no reference run): kasou must exit with status 1 and print PASS lines and
# no FAIL, under the JIT and the interpreter; with -d trap it must log INVD,
# WBINVD, the GD fault and both breakpoints.
#   debuggd.sh <debuggd.elf>
elf=$1
kasou=${KASOU:-./kasou}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for accel in "" "-accel tci"; do
    name="guest/x86/debuggd${accel:+ [$accel]}"
    if [ ! -f "$elf" ]; then
        echo "not ok - $name: $elf not built"; continue
    fi
    # shellcheck disable=SC2086
    scripts/run-guest.sh kasou "$elf" $accel -d trap -D "$tmp/trap" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ $rc != 1 ] || grep -q '^FAIL' "$tmp/out" || ! grep -q '^PASS debuggd' "$tmp/out"; then
        echo "not ok - $name: kasou status $rc"
        grep -m3 '^FAIL' "$tmp/out" | sed 's/^/#   /'
        tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
        continue
    fi
    missing=
    for want in 'INVD: ' 'WBINVD: ' 'MOV DRn with DR7.GD set: #DB' \
                'DR0 execute breakpoint at 0x' 'DR3 write breakpoint 0x.* len 4: 4-byte write at 0x' \
                '#DB data breakpoint, DR6 = 0xffff0ff8'; do
        grep -q -- "$want" "$tmp/trap" || missing="$missing '$want'"
    done
    if [ -n "$missing" ]; then
        echo "not ok - $name: -d trap lacks$missing"
    else
        echo "ok - $name"
    fi
done
exit 0
