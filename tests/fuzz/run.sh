#!/bin/bash
# Random code must never crash kasou: each seed runs the fuzz guest (random
# bytes as code, every exception moving on to the next chunk) under the JIT
# and the interpreter. A run may end any way the guest chooses (exit port,
# triple fault, halt, or the time limit for a loop); kasou dying on a
# signal or a sanitizer report is a failure.
#   run.sh <fuzz.elf> <first seed> <count>
elf=$1; first=$2; count=$3
kasou=${KASOU:-./kasou}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((seed = first; seed < first + count; seed++)); do
    for accel in tcg tci; do
        name="fuzz/seed-$seed [$accel]"
        timeout -k 1 1 "$kasou" -M pc -m 64 -accel $accel -kernel "$elf" -append "seed=$seed" \
            -nographic -no-reboot < /dev/null > "$tmp/out" 2> "$tmp/err"
        rc=$?
        if [ $rc -ge 128 ] || grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$tmp/err"; then
            echo "not ok - $name: kasou ended with status $rc"
            head -5 "$tmp/err" | sed 's/^/#   /'
        else
            echo "ok - $name ($(grep -ao 'done [0-9]* chunks' "$tmp/out" || echo "status $rc"))"
        fi
    done
done
exit 0
