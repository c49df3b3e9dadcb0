#!/bin/bash
# Guests checking what QEMU 7.2 lacks against the Arm ARM by their own
# checks (no reference run): kasou must exit 0 and print PASS lines and no
# FAIL line, under the JIT, the interpreter, without chaining and inline
# TLB, and one instruction per block. With -d trap, each given pattern must
# appear in the log.
#   archonly.sh <dir with .elf files> <prog>[:<trap pattern>]...
dir=$1; shift
kasou=${KASOU:-./kasou}
tmo=${GUEST_TIMEOUT:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for spec in "$@"; do
    p=${spec%%:*}
    want=
    [ "$p" != "$spec" ] && want=${spec#*:}
    elf=$dir/$p.elf
    for accel in "" "-accel tci" "-accel tcg,chain=off,tlb-inline=off" "-accel tcg,one-insn-per-tb=on"; do
        name="guest/arm64/$p${accel:+ [$accel]}"
        if [ ! -f "$elf" ]; then
            echo "not ok - $name: $elf not built"; continue
        fi
        # shellcheck disable=SC2086
        timeout -k 2 "$tmo" "$kasou" -M virt -cpu cortex-a57 -nographic -semihosting $accel \
            -d trap -D "$tmp/trap" -kernel "$elf" < /dev/null > "$tmp/out" 2> "$tmp/err"
        rc=$?
        if [ $rc != 0 ] || grep -q '^FAIL' "$tmp/out" || ! grep -q '^PASS' "$tmp/out"; then
            echo "not ok - $name: kasou status $rc"
            grep -m3 '^FAIL' "$tmp/out" | sed 's/^/#   /'
            tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
        elif [ -n "$want" ] && ! grep -q -- "$want" "$tmp/trap"; then
            echo "not ok - $name: -d trap lacks '$want'"
        else
            echo "ok - $name"
        fi
    done
done
exit 0
