#!/bin/bash
# SeaBIOS (Debian's seabios package, /usr/share/seabios/bios.bin) started
# at the reset vector with -bios, under kasou and QEMU:
#   banner: with -nographic both print SeaBIOS's banner on COM1 (its
#           "sercon", which fw_cfg's etc/sercon-port turns on);
#   linux:  Debian's i386 and amd64 kernels and test initramfs given with -kernel/
#           -initrd/-append, loaded by SeaBIOS through fw_cfg and QEMU's
#           linuxboot_dma option ROM, reach the init script's marker and
#           its poweroff (kasou exits 0).
# The lines compared are those that do not depend on the emulator: the
# banner, "Booting from ROM..." and the markers. A missing BIOS, QEMU or
# kernel is a failure, not a skip.
# Env: KASOU (default ./kasou), BIOS_TIMEOUT seconds per Linux boot (300).
KASOU=${KASOU:-./kasou}
BIOS=${SEABIOS:-/usr/share/seabios/bios.bin}
TIMEOUT=${BIOS_TIMEOUT:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok()     { echo "ok - bios/$1"; }
not_ok() { echo "not ok - bios/$1: $2"; }

# the output without CRs and terminal escape sequences
clean() { tr -d '\r' | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1b[a-zA-Z]//g'; }

if [ ! -f "$BIOS" ]; then
    not_ok banner "$BIOS missing (package seabios)"; not_ok linux-i386 "$BIOS missing"
    not_ok linux-amd64 "$BIOS missing"; exit 0
fi

# banner: no disk, so SeaBIOS ends waiting to retry; 5 s is plenty
timeout -k 2 5 "$KASOU" -M pc -bios "$BIOS" -nographic < /dev/null 2> "$tmp/kerr" | clean > "$tmp/kbanner"
timeout -k 2 5 qemu-system-x86_64 -M pc -bios "$BIOS" -nographic -no-reboot < /dev/null 2>/dev/null |
    clean > "$tmp/qbanner"
kb=$(grep -m1 -o 'SeaBIOS (version [^)]*)' "$tmp/kbanner")
qb=$(grep -m1 -o 'SeaBIOS (version [^)]*)' "$tmp/qbanner")
if [ -z "$qb" ]; then not_ok banner "no banner under QEMU (no reference)"
elif [ "$kb" != "$qb" ]; then not_ok banner "kasou '$kb', qemu '$qb'; kasou stderr: $(head -c 200 "$tmp/kerr")"
else ok banner; fi

# linux ARCH: through SeaBIOS's linuxboot path to the marker and poweroff
# (an x86-64 kernel needs a 64-bit CPU model: qemu64, QEMU's default)
linux() {
    local arch=$1 k=cache/linux/$1 name=linux-$1 kcpu=() qemu=qemu-system-i386
    [ "$arch" = amd64 ] && kcpu=(-cpu qemu64) && qemu=qemu-system-x86_64
    if [ ! -f "$k/vmlinuz" ] || [ ! -f "$k/initramfs-test.cpio.gz" ]; then
        not_ok $name "$k not fetched (make linux-guests)"; return
    fi
    local args=(-M pc -m 512 -bios "$BIOS" -kernel "$k/vmlinuz" -initrd "$k/initramfs-test.cpio.gz"
                -append "console=ttyS0 panic=-1" -nographic -no-reboot)
    timeout -k 5 "$TIMEOUT" "$KASOU" "${kcpu[@]}" "${args[@]}" < /dev/null 2> "$tmp/kerr" | clean > "$tmp/klinux"
    local krc=${PIPESTATUS[0]}
    timeout -k 5 "$TIMEOUT" $qemu -accel tcg "${args[@]}" < /dev/null 2>/dev/null | clean > "$tmp/qlinux"
    if ! grep -qx 'KASOU-LINUX-MARKER up' "$tmp/qlinux"; then
        not_ok $name "QEMU did not reach the marker (no reference)"
    elif ! grep -qx 'KASOU-LINUX-MARKER done' "$tmp/klinux"; then
        not_ok $name "no done marker (status $krc; last line '$(tail -n1 "$tmp/klinux" | cut -c1-100)'; stderr: $(head -c 200 "$tmp/kerr"))"
    elif [ "$(pick "$tmp/klinux")" != "$(pick "$tmp/qlinux")" ]; then
        not_ok $name "kasou '$(pick "$tmp/klinux" | tr '\n' '|')', qemu '$(pick "$tmp/qlinux" | tr '\n' '|')'"
    elif [ "$krc" != 0 ]; then
        not_ok $name "kasou exit status $krc after poweroff, want 0"
    else
        ok $name
    fi
}
pick() { grep -o -e 'SeaBIOS (version [^)]*)' -e '^Booting from ROM\.\.\.' -e '^KASOU-LINUX-MARKER [a-z]*$' "$1"; }
linux i386
linux amd64
exit 0
