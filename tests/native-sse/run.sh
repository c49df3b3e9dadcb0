#!/bin/bash
# Compares kasou against the host CPU on every MMX/SSE form of forms.h:
# "ok - native-sse/<form>" when the form's case count and hash agree, else
# "not ok - native-sse/<form>" with the first differing case line (from the
# full-output builds, run only when something differs).
#   run.sh <build dir> [sse|sse64]   Env: KASOU, GUEST_TIMEOUT (default 300)
#   NATIVE_EMU=qemu run.sh ...  runs the guest under QEMU instead (debug aid)
#   KASOU_ACCEL="-accel tci" run.sh ...  kasou with those switches (names carry them)
dir=$1
prog=${2:-sse}
pfx=${prog#sse}
pfx=${pfx:+$pfx/}      # sse64 forms are named native-sse/64/<form>
# max: XSAVE, long mode for sse64, and CPUID ABM, so F3 0F BD is LZCNT as
# on the host (qemu32 lacks ABM: it would run BSR); no model has BMI1
cpu=(-cpu max)
read -r -a accel <<< "${KASOU_ACCEL:-}"
tag=${KASOU_ACCEL:+ [${KASOU_ACCEL}]}
emu=${NATIVE_EMU:-kasou}
export GUEST_TIMEOUT=${GUEST_TIMEOUT:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! grep -qw sse4_2 /proc/cpuinfo || ! grep -qw xsave /proc/cpuinfo; then
    echo "not ok - native-sse/${pfx}host: the host CPU lacks SSE4.2 or XSAVE, no oracle"; exit 0
fi
if ! "$dir/$prog-native" > "$tmp/want"; then
    echo "not ok - native-sse/${pfx}host: $dir/$prog-native failed"; exit 0
fi
scripts/run-guest.sh "$emu" "$dir/$prog.elf" "${cpu[@]}" "${accel[@]}" > "$tmp/got" 2> "$tmp/err"
rc=$?
grep '^form ' "$tmp/got" > "$tmp/gotf"
if [ $rc = 127 ] || [ $rc = 124 ]; then
    echo "not ok - native-sse/${pfx}run: $emu $([ $rc = 127 ] && echo not found || echo timed out)"
    exit 0
fi
if [ $rc != 1 ]; then
    echo "not ok - native-sse/${pfx}run: $emu exit status $rc, want 1"
    tail -5 "$tmp/err" | sed 's/^/#   stderr: /'
fi
bad=""
while read -r _ form n h; do
    g=$(grep -m1 "^form $form " "$tmp/gotf")
    if [ "$g" = "form $form $n $h" ]; then
        echo "ok - native-sse/$pfx$form$tag"
    else
        bad="$bad $form"
        echo "not ok - native-sse/$pfx$form$tag: ${g:-missing} vs host $n $h"
    fi
done < "$tmp/want"
if [ -n "$bad" ] && [ -f "$dir/$prog-full.elf" ]; then
    "$dir/$prog-native" -v > "$tmp/wantv"
    scripts/run-guest.sh "$emu" "$dir/$prog-full.elf" "${cpu[@]}" "${accel[@]}" > "$tmp/gotv" 2>/dev/null
    for form in $bad; do
        diff <(grep "^$form " "$tmp/wantv") <(grep "^$form " "$tmp/gotv") > "$tmp/d"
        grep -m1 '^<' "$tmp/d" | sed "s/^</#   host: /"
        grep -m1 '^>' "$tmp/d" | sed "s/^>/#   $emu:/"
    done
fi
exit 0
