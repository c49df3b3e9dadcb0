#!/bin/bash
# vme.elf checks CR4.VME and CR4.PVI against the SDM (QEMU's TCG does not
# implement them, so there is no reference run): kasou must exit with
# status 1 and print PASS lines and no FAIL, under the JIT and the
# interpreter; with -d trap it must log the virtual CLI/STI of both, and
# PUSHF, INT n and IRET done by VME.
#   vme.sh <vme.elf>
elf=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for accel in "" "-accel tci"; do
    name="guest/x86/vme${accel:+ [$accel]}"
    if [ ! -f "$elf" ]; then
        echo "not ok - $name: $elf not built"; continue
    fi
    # shellcheck disable=SC2086
    scripts/run-guest.sh kasou "$elf" $accel -d trap -D "$tmp/trap" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ $rc != 1 ] || grep -q '^FAIL' "$tmp/out" || ! grep -q '^PASS nopvi cli.opcode' "$tmp/out"; then
        echo "not ok - $name: kasou status $rc"
        grep -m3 '^FAIL' "$tmp/out" | sed 's/^/#   /'
        tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
        continue
    fi
    missing=
    for want in 'CLI below IOPL with CR4.VME: virtual interrupts masked' \
                'STI below IOPL with CR4.VME: virtual interrupts enabled' \
                'CLI below IOPL with CR4.PVI' 'STI below IOPL with CR4.PVI' \
                'PUSHF in vm86 with CR4.VME: pushed FLAGS 0x3002' \
                'INT 0x21 in vm86 with CR4.VME, redirection bit clear' \
                'IRET in vm86 with CR4.VME: to 0700:'; do
        grep -q -- "$want" "$tmp/trap" || missing="$missing '$want'"
    done
    if [ -n "$missing" ]; then
        echo "not ok - $name: -d trap lacks$missing"
    else
        echo "ok - $name"
    fi
done
exit 0
