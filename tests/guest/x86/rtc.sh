#!/bin/bash
# -rtc base= against QEMU: rtcdate.elf prints the RTC's date and time;
# kasou and QEMU with the same -rtc option must print the same.
#   ok - guest/x86/rtc-base-datetime   (base=2006-06-17T16:01:21)
#   ok - guest/x86/rtc-base-date       (base=2006-06-17)
#   ok - guest/x86/rtc-base-localtime  (TZ=Asia/Tokyo, the date and hour)
#   ok - guest/x86/rtc-base-utc        (the default, the date and hour)
#   ok - guest/x86/cmos-memory-<n>M    (the memory size bytes for -m n)
# Every case also compares the CMOS memory size bytes (-m 128 by default).
#   rtc.sh <rtcdate.elf>
elf=$1
run=scripts/run-guest.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# name, what to compare (all | hour: date line and the hour only), env, args...
compare() {
    local name=$1 what=$2 envs=$3; shift 3
    env $envs $run qemu "$elf" "$@" >"$tmp/want" 2>"$tmp/qerr"; local qrc=$?
    env $envs $run kasou "$elf" "$@" >"$tmp/got" 2>"$tmp/kerr"; local krc=$?
    if [ "$what" = hour ]; then
        sed -i 's/^\(time ..\):..$/\1/' "$tmp/want" "$tmp/got"
    fi
    if [ $qrc = 127 ]; then
        echo "not ok - guest/x86/$name: qemu-system-i386 missing (no reference)"
    elif [ $qrc != 1 ] || ! grep -q '^date ' "$tmp/want"; then
        echo "not ok - guest/x86/$name: reference run under QEMU failed (status $qrc)"
    elif [ $krc != 1 ]; then
        echo "not ok - guest/x86/$name: kasou exit status $krc"
        tail -3 "$tmp/kerr" | sed 's/^/#   stderr: /'
    elif ! diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
        echo "not ok - guest/x86/$name: output differs from QEMU"
        sed -n '3,10p' "$tmp/diff" | sed 's/^/#   /'
    else
        echo "ok - guest/x86/$name"
    fi
}
compare rtc-base-datetime all "" -rtc base=2006-06-17T16:01:21
compare rtc-base-date all "" -rtc base=2006-06-17
compare rtc-base-localtime hour "TZ=Asia/Tokyo" -rtc base=localtime
compare rtc-base-utc hour ""
for mib in 8 20 2048; do
    compare cmos-memory-${mib}M all "" -m $mib -rtc base=2006-06-17
done
