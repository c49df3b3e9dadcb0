#!/bin/bash
# -d trap lines of the x86 system side, in the shapes the x86 CPU issue
# gives (`CR0 write 0x80000011: paging on, TLB flushed`, `WRMSR LSTAR =
# ffffffff81a00080`, `#PF at 0xc0100000 err=0x2 → vector 14`): runs two
# 64-bit guests with -d trap and looks for one line per event.
#   trap-log.sh <dir with .elf files>
dir=$1
kasou=${KASOU:-./kasou}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {   # guest -> $tmp/<guest>.log
    timeout -k 2 "${GUEST_TIMEOUT:-20}" "$kasou" -M pc -cpu qemu64 -kernel "$dir/$1.elf" \
        -nographic -d trap -D "$tmp/$1.log" < /dev/null > /dev/null 2>&1
}
expect() {   # name guest extended-regex
    if grep -Eq -- "$3" "$tmp/$2.log"; then
        echo "ok - trap-log/$1"
    else
        echo "not ok - trap-log/$1: no line matching '$3' in -d trap of $2"
    fi
}
run rings64
run paging64
pc='^trap: [0-9a-f]+: '
expect cr0-long-mode rings64 "${pc}CR0 write 0x80010011: protected mode on, paging on \(4-level\), write-protect on, long mode active, TLB flushed$"
expect cr3 rings64 "${pc}CR3 write 0x[0-9a-f]+: page tables at 0x[0-9a-f]+ \(off\), TLB flushed$"
expect wrmsr-lstar rings64 "${pc}WRMSR LSTAR = [0-9a-f]{16}$"
expect wrmsr-efer rings64 "${pc}WRMSR EFER = 0000000000000501$"
expect syscall rings64 "${pc}SYSCALL: to ring 0 at 0008:[0-9a-f]{16}$"
expect sysret rings64 "${pc}SYSRET: to ring 3 at 002b:[0-9a-f]{16}$"
expect swapgs rings64 "${pc}SWAPGS: GS base 0x2222000 \(KERNEL_GS_BASE now 0x1111000\)$"
expect ltr rings64 "${pc}LTR 0x0038: TSS at 0x[0-9a-f]+, limit 0x[0-9a-f]+, marked busy$"
expect pf-read paging64 "${pc}#PF at 0x800010 err=0x0 → vector 14$"
expect pf-nx paging64 "${pc}#PF at 0x800070 err=0x11 → vector 14$"
expect invlpg paging64 "${pc}INVLPG 0x800000: that page's TLB entries dropped$"
exit 0
