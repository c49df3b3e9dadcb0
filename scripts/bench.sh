#!/bin/bash
# Run each benchmark guest under kasou and QEMU, alternately, N times each
# with the same -m; print median wall times, the ratio kasou/QEMU and the
# geometric mean of the ratios, one section per guest architecture (the
# ELF's machine): x86 guests on -M pc beside qemu-system-i386 (exit through
# isa-debug-exit: status 1), arm64 guests on -M virt -cpu cortex-a57 beside
# qemu-system-aarch64 (exit through PSCI SYSTEM_OFF: status 0).  A run whose
# checksum line differs between the two (or whose exit status is not that)
# is reported and left out of the mean.
#   bench.sh guest.elf...
# Env: KASOU (default ./kasou), QEMU (x86), QEMU_A64 (qemu-system-aarch64),
#      BENCH_N (3), BENCH_MEM (256), GUEST_TIMEOUT (default 120),
#      BENCH_LINUX=0 skips scripts/bench-linux.sh.
# Then scripts/bench-linux.sh: the Linux guests' boot times and idle CPU.
N=${BENCH_N:-3}
MEM=${BENCH_MEM:-256}
export GUEST_TIMEOUT=${GUEST_TIMEOUT:-120}
run=scripts/run-guest.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# elf_arch ELF: x86 or arm64, from e_machine (3: i386, 183: AArch64)
elf_arch() {
    case "$(od -An -tu2 -j18 -N2 "$1" | tr -d ' ')" in
    3)   echo x86 ;;
    183) echo arm64 ;;
    *)   echo unknown ;;
    esac
}

# run_a64 kasou|qemu ELF: one arm64 guest, all of its output on stdout
run_a64() {
    local cmd
    case "$1" in
    kasou) cmd=("${KASOU:-./kasou}") ;;
    qemu)  cmd=("${QEMU_A64:-qemu-system-aarch64}" -no-reboot) ;;
    esac
    timeout -k 2 "$GUEST_TIMEOUT" "${cmd[@]}" -M virt -cpu cortex-a57 -m "$MEM" -nographic \
        -semihosting -kernel "$2" < /dev/null | tr -d '\r'
    return "${PIPESTATUS[0]}"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time one run: prints seconds; output in $tmp/out.<emu>, status in $tmp/rc
time_run() {
    local emu=$1 elf=$2 s e rc
    s=$(date +%s.%N)
    if [ "$arch" = arm64 ]; then
        run_a64 "$emu" "$elf" > "$tmp/out.$emu" 2> "$tmp/err.$emu"
    else
        $run "$emu" "$elf" -m "$MEM" > "$tmp/out.$emu" 2> "$tmp/err.$emu"
    fi
    rc=$?
    e=$(date +%s.%N)
    echo "$rc" > "$tmp/rc.$emu"
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", e - s }'
}

status=0
for arch in x86 arm64; do
    elfs=()
    for elf in "$@"; do
        [ "$(elf_arch "$elf")" = "$arch" ] && elfs+=("$elf")
    done
    [ ${#elfs[@]} = 0 ] && continue
    want_rc=1
    [ "$arch" = arm64 ] && want_rc=0
    [ "$arch" = arm64 ] && echo
    printf '%-10s %12s %12s %10s  %s\n' "$arch" kasou_s qemu_s kasou/qemu checksum
    ratios=""
    for elf in "${elfs[@]}"; do
        name=$(basename "$elf" .elf)
        : > "$tmp/t.kasou"; : > "$tmp/t.qemu"
        note=""
        for ((i = 0; i < N; i++)); do
            for emu in kasou qemu; do
                time_run "$emu" "$elf" >> "$tmp/t.$emu"
                sum=$(grep -m1 '^checksum' "$tmp/out.$emu")
                rc=$(cat "$tmp/rc.$emu")
                if [ "$rc" != "$want_rc" ] || [ -z "$sum" ]; then
                    note="$note $emu:status=$rc"
                fi
                eval "sum_$emu=\"\$sum\""
            done
            if [ "$sum_kasou" != "$sum_qemu" ]; then
                k=${sum_kasou#checksum }
                k=${k// /_}; note="$note kasou-checksum=${k:-none}"
            fi
        done
        tk=$(median < "$tmp/t.kasou")
        tq=$(median < "$tmp/t.qemu")
        ratio=$(awk -v a="$tk" -v b="$tq" 'BEGIN { printf "%.3f", a / b }')
        if [ -z "$note" ]; then
            ratios="$ratios $ratio"
            printf '%-10s %12s %12s %10s  %s\n' "$name" "$tk" "$tq" "$ratio" "$(echo "$sum_qemu" | awk '{ print $2 }')"
        else
            status=1
            printf '%-10s %12s %12s %10s  FAILED:%s\n' "$name" "$tk" "$tq" "-" "$(echo "$note" | tr ' ' '\n' | sort -u | tr '\n' ' ')"
        fi
    done
    if [ -n "$ratios" ]; then
        echo "$ratios" | awk -v arch="$arch" '{ s = 0; for (i = 1; i <= NF; i++) s += log($i);
            printf "geometric mean kasou/qemu (%s): %.3f over %d benchmarks\n", arch, exp(s / NF), NF }'
    fi
done
for elf in "$@"; do
    if [ "$(elf_arch "$elf")" = unknown ]; then
        echo "$(basename "$elf" .elf): FAILED: neither an x86 nor an arm64 ELF"
        status=1
    fi
done
# Debian's Linux guests: start to marker and idle CPU, kasou and QEMU
[ "${BENCH_LINUX:-1}" = 0 ] && exit $status
echo
scripts/bench-linux.sh || status=1
exit $status
