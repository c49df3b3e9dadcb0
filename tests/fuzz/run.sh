#!/bin/bash
# Random code must never crash kasou: each seed runs the fuzz guest (random
# bytes as code, every exception moving on to the next chunk) under the JIT
# and the interpreter. A run may end any way the guest chooses (triple
# fault: 0, halt: 1, or the time limit for a loop: 124); -nodefaults takes
# the isa-debug-exit port away, so any other status is kasou's own failure
# (a signal, a sanitizer report, an error exit).
#   run.sh <fuzz.elf> <seed>...
elf=$1; shift
kasou=${KASOU:-./kasou}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for seed in "$@"; do
    for accel in tcg tci; do
        name="fuzz/seed-$seed [$accel]"
        timeout -k 1 1 "$kasou" -M pc -m 64 -accel $accel -nodefaults -serial stdio -kernel "$elf" \
            -append "seed=$seed" -nographic -no-reboot < /dev/null > "$tmp/out" 2> "$tmp/err"
        rc=$?
        # status 1 is also kasou's error exit: only a halt line may explain it
        if { [ $rc != 0 ] && [ $rc != 1 ] && [ $rc != 124 ]; } ||
           { [ $rc = 1 ] && grep -qv '^kasou: guest halted with interrupts' "$tmp/err"; } ||
           grep -q 'AddressSanitizer\|runtime error\|LeakSanitizer' "$tmp/err"; then
            echo "not ok - $name: kasou ended with status $rc"
            head -5 "$tmp/err" | sed 's/^/#   /'
        else
            echo "ok - $name ($(grep -ao 'done [0-9]* chunks' "$tmp/out" || echo "status $rc"))"
        fi
    done
done
exit 0
