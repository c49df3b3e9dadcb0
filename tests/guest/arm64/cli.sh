#!/bin/bash
# The virt board's command line and logs: semihosting (output on stderr and
# the exit status, as QEMU), HLT without -semihosting (UNDEFINED, as QEMU),
# -d in_asm (Capstone's ARM64 disassembly), -d trap lines, and the error
# paths (one "kasou:" line, non-zero status).
#   cli.sh <dir with semihost.elf> <an x86 ELF>
dir=$1; x86elf=$2
kasou=${KASOU:-./kasou}
qemu=${QEMU:-qemu-system-aarch64}
elf=$dir/semihost.elf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - guest/arm64/cli/$1"; }
nok() { echo "not ok - guest/arm64/cli/$1: $2"; }

# semihosting: same stdout, stderr and status as QEMU
for semi in "-semihosting" ""; do
    name=semihosting${semi:+-on}${semi:--off}
    timeout 20 "$qemu" -M virt -cpu cortex-a57 -nographic -no-reboot $semi -kernel "$elf" \
        < /dev/null > "$tmp/qo" 2> "$tmp/qe"; qrc=$?
    timeout 20 "$kasou" -M virt -cpu cortex-a57 -nographic $semi -kernel "$elf" \
        < /dev/null > "$tmp/ko" 2> "$tmp/ke"; krc=$?
    if [ $qrc != $krc ]; then
        nok $name "status $krc, QEMU $qrc"
    elif ! cmp -s "$tmp/qo" "$tmp/ko" || ! cmp -s "$tmp/qe" "$tmp/ke"; then
        nok $name "output differs from QEMU: $(diff "$tmp/qo" "$tmp/ko" | head -3 | tr '\n' ' ') $(diff "$tmp/qe" "$tmp/ke" | head -3 | tr '\n' ' ')"
    else
        ok "$name (status $krc)"
    fi
done

# -d in_asm: guest code through Capstone's ARM64 mode
"$kasou" -M virt -nographic -semihosting -kernel "$elf" -d in_asm -D "$tmp/log" < /dev/null > /dev/null 2>&1
if grep -qE "hlt[[:space:]]+#0xf000" "$tmp/log" && grep -qE "msr[[:space:]]+vbar_el1, x0" "$tmp/log"; then
    ok "d-in_asm"
else
    nok "d-in_asm" "no 'hlt #0xf000' / 'msr vbar_el1' in the log: $(head -3 "$tmp/log" | tr '\n' ' ')"
fi

# -d trap: a system register write, semihosting exit, an undefined instruction, PSCI
"$kasou" -M virt -nographic -semihosting -kernel "$elf" -d trap -D "$tmp/log" < /dev/null > /dev/null 2>&1
"$kasou" -M virt -nographic -kernel "$elf" -d trap -D "$tmp/log2" < /dev/null > /dev/null 2>&1
want=("MSR VBAR_EL1, 0x4008" "semihosting SYS_EXIT (reason 0x20026): exit status 7")
want2=("undefined instruction (ESR 0x02000000) at EL1 -> EL1 vector 0x4008" "PSCI SYSTEM_OFF")
bad=""
for w in "${want[@]}"; do grep -qF "$w" "$tmp/log" || bad="$bad '$w'"; done
for w in "${want2[@]}"; do grep -qF "$w" "$tmp/log2" || bad="$bad '$w'"; done
if [ -z "$bad" ]; then ok "d-trap"; else nok "d-trap" "missing$bad"; fi

# errors: one kasou: line and a non-zero status
err() {   # err <name> <expected fragment> <args...>
    local name=$1 frag=$2; shift 2
    timeout 10 "$kasou" "$@" < /dev/null > "$tmp/o" 2> "$tmp/e"; local rc=$?
    if [ $rc = 0 ] || [ "$(wc -l < "$tmp/e")" != 1 ] || ! grep -q "^kasou: .*$frag" "$tmp/e"; then
        nok "error-$name" "status $rc, stderr: $(head -2 "$tmp/e" | tr '\n' ' ')"
    else
        ok "error-$name"
    fi
}
printf 'not an elf' > "$tmp/raw.bin"
err no-kernel "no -kernel" -M virt -nographic
err not-elf "not an ELF" -M virt -nographic -kernel "$tmp/raw.bin"
err x86-elf "not a 64-bit little-endian AArch64 ELF" -M virt -nographic -kernel "$x86elf"
err missing "cannot open kernel" -M virt -nographic -kernel "$tmp/nonexistent.elf"
err x86-cpu "not an AArch64 CPU" -M virt -cpu qemu32 -nographic -kernel "$elf"
err arm-cpu-on-pc "cannot create CPU" -M pc -cpu cortex-a57 -nographic -kernel "$x86elf"
exit 0
