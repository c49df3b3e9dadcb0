#!/bin/bash
# Run each benchmark guest under kasou and qemu-system-i386, alternately,
# N times each with the same -m; print median wall times, the ratio
# kasou/QEMU and the geometric mean of the ratios.  A run whose checksum
# line differs between the two (or that does not exit with status 1) is
# reported and left out of the mean.
#   bench.sh guest.elf...
# Env: KASOU (default ./kasou), QEMU, BENCH_N (3), BENCH_MEM (256),
#      GUEST_TIMEOUT (default 120).
# Then scripts/bench-linux.sh: the Linux guests' boot times and idle CPU.
N=${BENCH_N:-3}
MEM=${BENCH_MEM:-256}
export GUEST_TIMEOUT=${GUEST_TIMEOUT:-120}
run=scripts/run-guest.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time one run: prints seconds; output in $tmp/out.<emu>, status in $tmp/rc
time_run() {
    local emu=$1 elf=$2 s e rc
    s=$(date +%s.%N)
    $run "$emu" "$elf" -m "$MEM" > "$tmp/out.$emu" 2> "$tmp/err.$emu"
    rc=$?
    e=$(date +%s.%N)
    echo "$rc" > "$tmp/rc.$emu"
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", e - s }'
}

printf '%-10s %12s %12s %10s  %s\n' benchmark kasou_s qemu_s kasou/qemu checksum
ratios=""
status=0
for elf in "$@"; do
    name=$(basename "$elf" .elf)
    : > "$tmp/t.kasou"; : > "$tmp/t.qemu"
    note=""
    for ((i = 0; i < N; i++)); do
        for emu in kasou qemu; do
            time_run "$emu" "$elf" >> "$tmp/t.$emu"
            sum=$(grep -m1 '^checksum' "$tmp/out.$emu")
            rc=$(cat "$tmp/rc.$emu")
            if [ "$rc" != 1 ] || [ -z "$sum" ]; then
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
    echo "$ratios" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += log($i);
        printf "geometric mean kasou/qemu: %.3f over %d benchmarks\n", exp(s / NF), NF }'
fi
# Debian's Linux guests: start to marker and idle CPU, kasou and QEMU
echo
scripts/bench-linux.sh || status=1
exit $status
