#!/bin/bash
# Run one bare-metal x86 multiboot guest under kasou or QEMU and print the
# guest's own output (after its start marker, CRs removed) on stdout.
#   run-guest.sh kasou|qemu guest.elf [extra emulator args...]
# The emulator's stderr passes through.  Exit status: the emulator's
# ((v << 1) | 1 for isa-debug-exit value v), 124 on timeout, 127 if the
# emulator is missing.
# Env: KASOU (default ./kasou), QEMU (default qemu-system-i386),
#      GUEST_TIMEOUT seconds (default 20), GUEST_RAW=1 keeps all output.
emu=$1; elf=$2; shift 2
case "$emu" in
kasou) cmd=("${KASOU:-./kasou}" -M pc -kernel "$elf" -nographic "$@") ;;
qemu)  cmd=("${QEMU:-qemu-system-i386}" -M pc -kernel "$elf" -nographic -no-reboot
            -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@") ;;
*) echo "usage: $0 kasou|qemu guest.elf [args]" >&2; exit 2 ;;
esac
if ! command -v "${cmd[0]}" >/dev/null 2>&1; then
    echo "run-guest: ${cmd[0]} not found" >&2
    exit 127
fi
out=$(mktemp)
timeout -k 2 "${GUEST_TIMEOUT:-20}" "${cmd[@]}" < /dev/null > "$out"
rc=$?
if [ "${GUEST_RAW:-0}" = 1 ]; then
    cat "$out"
else
    # The guest prints "-- guest start --" first; the BIOS may print before.
    tr -d '\r' < "$out" | sed -n '/^-- guest start --$/,$p' | sed '1d'
fi
rm -f "$out"
exit $rc
