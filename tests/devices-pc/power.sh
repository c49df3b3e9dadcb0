#!/bin/bash
# ACPI power off (PM1a_CNT SLP_EN with \_S5's type), reset through 0xCF9,
# and reset through the FADT's reset register, from tests/guest/x86/pcpower:
# kasou (with -no-reboot for the resets) must exit with status 0 and print
# what QEMU prints, as QEMU does (the FADT reset: see below).
#   power.sh <pcpower.elf>
elf=$1
run=scripts/run-guest.sh
for action in poweroff reset; do
    name="devices-pc/power: $action"
    want=$($run qemu "$elf" -append "$action" 2>/dev/null); qrc=$?
    if [ $qrc = 127 ]; then echo "not ok - $name: qemu-system-i386 missing"; continue; fi
    if [ $qrc != 0 ]; then echo "not ok - $name: QEMU exited $qrc (reference broken)"; continue; fi
    got=$($run kasou "$elf" -no-reboot -append "$action" 2>&1); krc=$?
    if [ $krc != 0 ]; then
        echo "not ok - $name: kasou exited $krc, want 0"; echo "$got" | tail -3 | sed 's/^/#   /'
    elif [ "$got" != "$want" ]; then
        echo "not ok - $name: output differs from QEMU"; diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
    else
        echo "ok - $name"
    fi
done
# QEMU 7.2's pc FADT (revision 1) has no reset register: the ACPI spec is
# the reference (RESET_REG_SUP, system I/O, the value written resets)
name="devices-pc/power: fadt-reset"
got=$($run kasou "$elf" -no-reboot -append fadt-reset 2>&1); krc=$?
if [ $krc != 0 ]; then
    echo "not ok - $name: kasou exited $krc, want 0"; echo "$got" | tail -3 | sed 's/^/#   /'
elif [ "$got" != "resetting through the FADT's reset register (supported 1, I/O 1)" ]; then
    echo "not ok - $name: unexpected output"; echo "$got" | sed 's/^/#   /'
else
    echo "ok - $name"
fi
