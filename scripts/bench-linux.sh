#!/bin/bash
# The Linux guests for `make bench`: for Debian's amd64, 686 and arm64
# kernels, the median time from starting the emulator to /init's marker
# line under kasou and QEMU (alternately, BENCH_N runs each, same kernel,
# initramfs, -m 512 and command line; arm64 on -M virt -cpu cortex-a57)
# and the ratio kasou/QEMU; then each emulator's
# host CPU use while the booted guest idles at its shell for 10 s.  A kernel
# that does not reach the marker under kasou is reported and skipped.
# Env: KASOU (./kasou), BENCH_N (3), LINUX_TIMEOUT (120), BENCH_IDLE (10),
#      BENCH_LINUX_ARCHS (amd64 i386 arm64).
cd "$(dirname "$0")/.."
N=${BENCH_N:-3}
KASOU=${KASOU:-./kasou}
TIMEOUT=${LINUX_TIMEOUT:-120}
IDLE=${BENCH_IDLE:-10}
timer=scripts/linux-boot-time.pl
marker="KASOU-LINUX-MARKER up"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# emu_cmd EMU ARCH: the command line, shared with tests/linux/run.sh's
emu_cmd() {
    local emu=$1 arch=$2 dir=cache/linux/$2 board=(-M pc) append=console=ttyS0
    cmd=()
    case "$emu" in
    kasou) cmd=("$KASOU")
           if [ "$arch" = amd64 ]; then
               if "$KASOU" -cpu help | grep -qw qemu64; then cmd+=(-cpu qemu64); else cmd+=(-cpu max); fi
           fi ;;
    qemu)  case "$arch" in
           amd64) cmd=(qemu-system-x86_64 -accel tcg) ;;
           arm64) cmd=(qemu-system-aarch64 -accel tcg) ;;
           *)     cmd=(qemu-system-i386 -accel tcg) ;;
           esac ;;
    esac
    if [ "$arch" = arm64 ]; then
        board=(-M virt -cpu cortex-a57); append=console=ttyAMA0
    fi
    cmd+=("${board[@]}" -m 512 -kernel "$dir/vmlinuz" -initrd "$dir/initramfs-shell.cpio.gz"
          -append "$append" -nographic -no-reboot)
}

printf '%-14s %10s %10s %10s   %s\n' linux-boot kasou_s qemu_s kasou/qemu "idle host CPU (kasou, qemu; % of a core)"
status=0
for arch in ${BENCH_LINUX_ARCHS:-amd64 i386 arm64}; do
    if ! scripts/fetch-guests.sh "$arch" > "$tmp/fetch" 2>&1; then
        printf '%-14s skipped: no guest images: %s\n' "linux-$arch" "$(tail -n1 "$tmp/fetch")"
        status=1
        continue
    fi
    : > "$tmp/t.kasou"; : > "$tmp/t.qemu"
    skip=""
    idle_k=-; idle_q=-
    for ((i = 0; i < N; i++)); do
        for emu in kasou qemu; do
            emu_cmd "$emu" "$arch"
            idle=0
            [ "$i" = 0 ] && idle=$IDLE
            perl "$timer" "$marker" "$idle" "$TIMEOUT" "${cmd[@]}" < /dev/null > "$tmp/r" 2> "$tmp/err"
            if ! grep -q '^boot [0-9]' "$tmp/r"; then
                if [ "$emu" = kasou ]; then
                    skip="does not boot under kasou yet: $(grep -m1 '^boot' "$tmp/r" | cut -c12-) $(head -n1 "$tmp/err")"
                    break 2
                fi
                skip="QEMU failed: $(head -n1 "$tmp/r") $(head -n1 "$tmp/err")"
                status=1
                break 2
            fi
            awk '/^boot/ { print $2 }' "$tmp/r" >> "$tmp/t.$emu"
            v=$(awk '/^idle_cpu [0-9]/ { print $2 }' "$tmp/r")
            [ -n "$v" ] && eval "idle_$(echo $emu | cut -c1)=\$v"
        done
    done
    if [ -n "$skip" ]; then
        printf '%-14s skipped: %s\n' "linux-$arch" "$skip"
        continue
    fi
    tk=$(median < "$tmp/t.kasou"); tq=$(median < "$tmp/t.qemu")
    printf '%-14s %10s %10s %10s   %s, %s\n' "linux-$arch" "$tk" "$tq" \
        "$(awk -v a="$tk" -v b="$tq" 'BEGIN { printf "%.3f", a / b }')" "$idle_k" "$idle_q"
done
exit $status
