#!/bin/bash
# ssefault: the hosted run (the host CPU, faults as signals) against the
# guest under kasou, line by line: "ok - native-sse/fault/<case>".
#   fault.sh <build dir>     Env: KASOU, KASOU_ACCEL (as run.sh)
dir=$1
read -r -a accel <<< "${KASOU_ACCEL:-}"
tag=${KASOU_ACCEL:+ [${KASOU_ACCEL}]}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! "$dir/ssefault-native" > "$tmp/want"; then
    echo "not ok - native-sse/fault/host: $dir/ssefault-native failed"; exit 0
fi
scripts/run-guest.sh kasou "$dir/ssefault.elf" "${accel[@]}" > "$tmp/got" 2> "$tmp/err"
rc=$?
if [ $rc != 1 ]; then
    echo "not ok - native-sse/fault/run$tag: kasou exit status $rc, want 1"
    tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
fi
while IFS= read -r line; do
    name=${line%%[:=]*}
    got=$(grep -m1 -F "$name" "$tmp/got" | grep -m1 "^$name[:=]")
    if [ "$got" = "$line" ]; then
        echo "ok - native-sse/fault/$name$tag"
    else
        echo "not ok - native-sse/fault/$name$tag: got '${got:-nothing}', host '$line'"
    fi
done < "$tmp/want"
exit 0
