#!/bin/sh
# Install the Debian packages kasou needs (as root, after apt-get update),
# or name the missing ones in one line and fail.
#   deps.sh build   - to build kasou
#   deps.sh check   - to build and run the tests (cross compilers, QEMU)
set -e
want="gcc make pkg-config libcapstone-dev libffi-dev libsdl2-dev libzstd-dev"
# the virt board's device tree (libfdt) and gzip'd arm64 Linux Images (zlib)
want="$want libfdt-dev zlib1g-dev"
if [ "$1" = check ] || [ "$1" = bench ]; then
    want="$want gcc-multilib qemu-system-x86"
    # iasl: an independent disassembler for the ACPI tables kasou builds
    want="$want acpica-tools"
    # the Linux guests (scripts/fetch-guests.sh, tests/linux): cpio packs
    # the initramfs, perl timestamps the guest's output lines
    want="$want cpio perl"
    # the bare-metal AArch64 guests (tests/guest/arm64): clang targets
    # AArch64, binutils-aarch64-linux-gnu links (gcc-aarch64-linux-gnu would
    # remove gcc-multilib: Debian's packages conflict), qemu-system-arm is
    # qemu-system-aarch64, the reference they run under
    want="$want clang binutils-aarch64-linux-gnu qemu-system-arm"
    # -bios boots (tests/bios): SeaBIOS's bios.bin (a runtime dependency,
    # not copied into the repository) and QEMU's linuxboot_dma.bin option
    # ROM (qemu-system-data), through which SeaBIOS loads -kernel
    want="$want seabios qemu-system-data"
fi
missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "kasou: installing$missing"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "kasou: missing Debian packages:$missing (run: sudo apt-get install$missing)"
    exit 1
fi
