#!/bin/bash
# xsavesdm.elf (xsave.c built with -DXSAVE_SDM) checks what QEMU 7.2 lacks
# of the XSAVE feature set against the SDM, so there is no reference run:
# kasou -cpu max must exit with status 1 and print PASS lines and no FAIL,
# under the JIT and the interpreter; with -d trap it must log the XSETBV
# it took and the ones it refused. On -cpu qemu32 (no XSAVE) it checks that
# CR4.OSXSAVE is reserved (QEMU 7.2 hangs on that write).
#   xsavesdm.sh <xsavesdm.elf>
elf=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in "max" "max -accel tci" "qemu32"; do
    read -r cpu accel <<< "$run"
    name="guest/x86/xsavesdm [-cpu $cpu${accel:+ $accel}]"
    if [ ! -f "$elf" ]; then
        echo "not ok - $name: $elf not built"; continue
    fi
    rm -f "$tmp/trap"; touch "$tmp/trap"
    # shellcheck disable=SC2086
    scripts/run-guest.sh kasou "$elf" -cpu $cpu $accel -d trap -D "$tmp/trap" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ $rc != 1 ] || grep -q '^FAIL' "$tmp/out" || ! grep -q '^PASS xsave' "$tmp/out"; then
        echo "not ok - $name: kasou status $rc"
        grep -m3 '^FAIL' "$tmp/out" | sed 's/^/#   /'
        tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
        continue
    fi
    if [ "$cpu" = qemu32 ]; then   # no XSAVE: CR4.OSXSAVE is #GP, XGETBV #UD
        if grep -q '^PASS no_xsave.cr4_osxsave.vector' "$tmp/out"; then echo "ok - $name"
        else echo "not ok - $name: no CR4.OSXSAVE check ran"; fi
        continue
    fi
    missing=
    for want in 'XSETBV XCR0 <- 0x3: XSAVE manages x87 and SSE' \
                'XSETBV XCR0 <- 0x0: refused, #GP' 'XSETBV XCR1 <- 0x3: refused, #GP'; do
        grep -q -- "$want" "$tmp/trap" || missing="$missing '$want'"
    done
    if [ -n "$missing" ]; then
        echo "not ok - $name: -d trap lacks$missing"
    else
        echo "ok - $name"
    fi
done
exit 0
