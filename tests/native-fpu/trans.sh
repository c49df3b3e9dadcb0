#!/bin/bash
# The x87 transcendentals under kasou against the host CPU (trans.c): runs
# the guest, then the hosted build compares its own results with the
# guest's within 2 units in the last place, FSW equal but for PE and C1.
#   trans.sh <build dir>      Env: KASOU, KASOU_ACCEL, GUEST_TIMEOUT
dir=$1
read -r -a accel <<< "${KASOU_ACCEL:-}"
export TRANS_TAG=${KASOU_ACCEL:+ [${KASOU_ACCEL}]}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GUEST_TIMEOUT=${GUEST_TIMEOUT:-120} scripts/run-guest.sh kasou "$dir/trans.elf" "${accel[@]}" > "$tmp/got" 2> "$tmp/err"
rc=$?
if [ $rc != 1 ]; then
    echo "not ok - native/x87_trans$TRANS_TAG: kasou exit status $rc, want 1"
    tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
fi
tr -d '\r' < "$tmp/got" > "$tmp/gotl"
"$dir/trans-native" -c "$tmp/gotl" || echo "not ok - native/x87_trans$TRANS_TAG: the comparison failed"
exit 0
