#!/bin/bash
# The monitor (machine/monitor.c) behind Ctrl-A c, on a bare-metal guest
# that sets EAX = 0x12345678 and then counts in memory at 0x100100
# forever: info status, info registers, x/xp of the kernel's own multiboot
# header, stop/cont (the counter stands still while paused and moves
# again after), help, errors, quit (status 0); Ctrl-A c toggles back to
# the guest; -monitor stdio with the serial port in a file. Where the
# output compares (status lines, xp lines, x values, error lines) the
# same keystrokes go to qemu-system-i386's monitor and the lines must
# be equal.
set -u
KASOU=${KASOU:-./kasou}
QEMU=${QEMU:-qemu-system-i386}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

# mov eax, 0x12345678; l: inc dword [0x100100]; jmp l
aout '\xb8\x78\x56\x34\x12\xff\x05\x00\x01\x10\x00\xeb\xf8' >"$T/count.bin"

# keys DELAY: the keystrokes, each line ended by CR as a terminal sends it
keys() {
    sleep "$1"
    printf '\001c'
    printf 'info status\r'
    printf 'x /4x 0x100000\r'
    printf 'xp /4x 0x100000\r'
    printf 'stop\r'
    printf 'info status\r'
    printf 'foo\r'
    printf 'x /4x zzz\r'
    printf 'info registers\r'
    printf 'xp /1x 0x100100\r'
    sleep 0.3
    printf 'xp /1x 0x100100\r'
    printf 'cont\r'
    printf 'info status\r'
    sleep 0.3
    printf 'xp /1x 0x100100\r'
    printf 'help\r'
    printf 'quit\r'
    sleep 2           # quit must end the run before stdin does
}
keys 0.3 | timeout 20 "$KASOU" -M pc -kernel "$T/count.bin" -nographic >"$T/out" 2>"$T/err"
rc=$?
tr -d '\r' <"$T/out" >"$T/k"

if [ "$rc" = 0 ] && ! [ -s "$T/err" ]; then
    ok "monitor-quit-status"
else
    not_ok "monitor-quit-status" "status $rc, stderr '$(head -c 200 "$T/err")'"
fi
if grep -q "^kasou monitor - type 'help' for more information$" "$T/k" && grep -q '^(kasou) ' "$T/k"; then
    ok "monitor-banner-prompt"
else
    not_ok "monitor-banner-prompt" "no banner or prompt"
fi
if [ "$(grep '^VM status' "$T/k" | tr '\n' ,)" = "VM status: running,VM status: paused,VM status: running," ]; then
    ok "monitor-info-status-stop-cont"
else
    not_ok "monitor-info-status-stop-cont" "'$(grep '^VM status' "$T/k" | tr '\n' ,)'"
fi
if grep -q '^EAX=12345678 ' "$T/k" && grep -q '^CS =0010 ' "$T/k" && grep -q '^CR0=00000011 ' "$T/k"; then
    ok "monitor-info-registers"
else
    not_ok "monitor-info-registers" "no EAX=12345678 / CS / CR0 line"
fi
want='0x1badb002 0x00010000 0xe4514ffe 0x00100000'
if grep -qx "0000000000100000: $want" "$T/k" &&
   [ "$(grep -c "^0000000000100000: $want\$" "$T/k")" = 2 ]; then
    ok "monitor-x-xp"
else
    not_ok "monitor-x-xp" "$(grep '^0000000000100000' "$T/k" | head -2 | tr '\n' '|')"
fi
mapfile -t counts < <(sed -n 's/^0000000000100100: //p' "$T/k")
if [ "${#counts[@]}" = 3 ] && [ "${counts[0]}" = "${counts[1]}" ] && [ "${counts[1]}" != "${counts[2]}" ]; then
    ok "monitor-stop-freezes-guest (${counts[*]})"
else
    not_ok "monitor-stop-freezes-guest" "counter '${counts[*]:-}' (want equal while paused, moving after cont)"
fi
if grep -qx "unknown command: 'foo'" "$T/k" && grep -qx "invalid char 'z' in expression" "$T/k"; then
    ok "monitor-errors"
else
    not_ok "monitor-errors" "no unknown-command or bad-expression line"
fi
if grep -q '^info \[subcommand\] -- ' "$T/k" && grep -q '^quit|q ' "$T/k" && grep -q '^xp /fmt addr -- ' "$T/k"; then
    ok "monitor-help"
else
    not_ok "monitor-help" "help lacks info/quit/xp"
fi

# QEMU with the same keystrokes: the lines that compare must be equal
# (QEMU's x prints a 32-bit target's virtual address in 8 digits, kasou
# always 16 as qemu-system-x86_64: the values of x and xp are compared). Its line editor redraws with escapes: dropped.
if command -v "$QEMU" >/dev/null 2>&1; then
    keys 1.5 | timeout 20 "$QEMU" -M pc -kernel "$T/count.bin" -nographic -no-reboot >"$T/qout" 2>&1
    qrc=$?
    sed 's/\x1b\[[0-9]*[A-Za-z]//g' "$T/qout" | tr -d '\r' >"$T/q"
    pick() {
        grep -E "^(VM status: |unknown command: |invalid char )" "$1"
        sed -n 's/^0*100000: //p' "$1"
    }
    if [ "$qrc" = "$rc" ] && diff <(pick "$T/k") <(pick "$T/q") >"$T/diff"; then
        ok "monitor-matches-qemu ($(pick "$T/k" | wc -l) lines)"
    else
        not_ok "monitor-matches-qemu" "status $rc vs QEMU's $qrc; $(head -4 "$T/diff" | tr '\n' '|')"
    fi
else
    echo "# $QEMU not installed: monitor output not compared"
fi

# Ctrl-A c twice: back to the guest's console, where a typed "quit" is
# guest input, not a command; Ctrl-A x then ends the run.
(sleep 0.3; printf '\001c'; printf '\001c'; printf 'quit\r'; sleep 0.5; printf '\001x') |
    timeout 20 "$KASOU" -M pc -kernel "$T/count.bin" -nographic >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" = 0 ] && grep -q 'Ctrl-A x' "$T/err" && [ "$(grep -c '(kasou) ' "$T/out")" = 1 ]; then
    ok "monitor-toggle-back"
else
    not_ok "monitor-toggle-back" "status $rc, stderr '$(head -c 200 "$T/err")'"
fi

# -monitor stdio with COM1 in a file: the monitor alone on stdio (DEL
# and backspace erase a typed character); with the serial on stdio as
# well it is refused with one line.
(sleep 0.3; printf 'info statuz\177s\rinfo xx\b\bstatus\rq\r'; sleep 2) |
    timeout 20 "$KASOU" -M pc -kernel "$T/count.bin" -serial "file:$T/serial" -monitor stdio >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" = 0 ] && [ "$(grep -c '^VM status: running' "$T/out")" = 2 ]; then
    ok "monitor-stdio"
else
    not_ok "monitor-stdio" "status $rc, stdout '$(head -c 200 "$T/out")'"
fi
timeout 20 "$KASOU" -M pc -kernel "$T/count.bin" -monitor stdio </dev/null >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q '^kasou: -monitor stdio' "$T/err"; then
    ok "monitor-stdio-conflict"
else
    not_ok "monitor-stdio-conflict" "status $rc, stderr '$(head -c 200 "$T/err")'"
fi
