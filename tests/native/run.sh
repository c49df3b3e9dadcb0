#!/bin/bash
# Compares kasou against the host CPU, instruction form by form: prints
# "ok - native/<form>" when the form's case count and hash agree, else
# "not ok - native/<form>" with the first differing case line (from the
# full-output builds, run only when something differs).
#   run.sh <build dir> [base]   base: insn (32-bit, default), insn16, insn32c, insn64, fault64 or compat64;
#                               sse or sse64 (tests/native-sse: every MMX/SSE form, on -cpu max)
#                               Env: KASOU, GUEST_TIMEOUT (default 120, 300 for sse)
#   NATIVE_EMU=qemu run.sh ...  runs the guest under QEMU instead (debug aid)
#   KASOU_ACCEL="-accel tci" run.sh ...  kasou with those switches (names carry them)
dir=$1
base=${2:-insn}
suite=native; cpu=()
[ "$base" = insn64 ] && { suite=native64; cpu=(-cpu qemu64); }
# insn16: the 32-bit forms run as 16-bit code; the 32-bit host build is the oracle
host=$base; [ "$base" = insn16 ] && { suite=native16; host=insn; }
# insn32c: the 32-bit forms in compatibility mode (long mode, a 32-bit code segment)
[ "$base" = insn32c ] && { suite=native32c; host=insn; cpu=(-cpu qemu64); }
case $base in fault64|compat64) suite=native64; cpu=(-cpu qemu64) ;; esac
# sse, sse64: max has XSAVE, long mode, and CPUID ABM, so F3 0F BD is LZCNT
# as on the host (qemu32 lacks ABM: it would run BSR); no model has BMI1
case $base in
sse)   suite=native-sse; cpu=(-cpu max) ;;
sse64) suite=native-sse/64; cpu=(-cpu max) ;;
esac
read -r -a accel <<< "${KASOU_ACCEL:-}"
tag=${KASOU_ACCEL:+ [${KASOU_ACCEL}]}
emu=${NATIVE_EMU:-kasou}
case $base in sse*) export GUEST_TIMEOUT=${GUEST_TIMEOUT:-300} ;; *) export GUEST_TIMEOUT=${GUEST_TIMEOUT:-120} ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $base in sse*)
    if ! grep -qw sse4_2 /proc/cpuinfo || ! grep -qw xsave /proc/cpuinfo; then
        echo "not ok - $suite/host: the host CPU lacks SSE4.2 or XSAVE, no oracle"; exit 0
    fi ;;
esac
if ! "$dir/$host-native" > "$tmp/want"; then
    echo "not ok - $suite/host: $dir/$host-native failed"; exit 0
fi
scripts/run-guest.sh "$emu" "$dir/$base.elf" "${cpu[@]}" "${accel[@]}" > "$tmp/got" 2> "$tmp/err"
rc=$?
grep '^form ' "$tmp/got" > "$tmp/gotf"
if [ $rc = 127 ] || [ $rc = 124 ]; then
    echo "not ok - $suite/run: $emu $([ $rc = 127 ] && echo not found || echo timed out)"
    exit 0
fi
if [ $rc != 1 ]; then
    echo "not ok - $suite/run: $emu exit status $rc, want 1"
    tail -5 "$tmp/err" | sed 's/^/#   stderr: /'
fi
bad=""
while read -r _ form n h; do
    g=$(grep -m1 "^form $form " "$tmp/gotf")
    if [ "$g" = "form $form $n $h" ]; then
        echo "ok - $suite/$form$tag"
    else
        bad="$bad $form"
        echo "not ok - $suite/$form$tag: ${g:-missing} vs host $n $h"
    fi
done < "$tmp/want"
if [ -n "$bad" ] && [ -f "$dir/$base-full.elf" ]; then
    "$dir/$host-native" -v > "$tmp/wantv"
    scripts/run-guest.sh "$emu" "$dir/$base-full.elf" "${cpu[@]}" "${accel[@]}" > "$tmp/gotv" 2>/dev/null
    for form in $bad; do
        diff <(grep "^$form " "$tmp/wantv") <(grep "^$form " "$tmp/gotv") > "$tmp/d"
        grep -m1 '^<' "$tmp/d" | sed "s/^</#   host: /"
        grep -m1 '^>' "$tmp/d" | sed "s/^>/#   $emu:/"
    done
fi
exit 0
