#!/bin/bash
# The Linux boot protocol loader (machine/linux.c) on bzImage files built
# here: a setup header (printf) in front of tests/cli/linuxboot.S, which
# checks the entry state and boot_params and exits through isa-debug-exit;
# and corrupt, old or oversized kernels and initrds, each refused with one
# "kasou: ..." line. Debian's real kernels are tests/linux/.
set -u
KASOU=${KASOU:-./kasou}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

# Same contract as run.sh's expect_error: one "kasou: " line matching PAT,
# status 1..127, nothing on stdout.
expect_error() {
    local name=$1 pat=$2; shift 2
    "$KASOU" "$@" >"$T/out" 2>"$T/err" </dev/null
    local rc=$?
    if [ "$rc" -eq 0 ] || [ "$rc" -ge 128 ]; then not_ok "$name" "exit status $rc: $(head -c 300 "$T/err")"; return; fi
    if [ "$(wc -l <"$T/err")" -ne 1 ] || ! grep -Eq "^kasou: .*$pat" "$T/err"; then
        not_ok "$name" "stderr: $(head -c 300 "$T/err" | tr '\n' '|')"; return
    fi
    if [ -s "$T/out" ]; then not_ok "$name" "wrote to stdout"; return; fi
    ok "$name"
}

# bzimage OUT CODE [VAR=VALUE...]: a bzImage around the binary CODE.
# Header fields default to a 2.15 kernel at 1 MiB; override with
# proto= sects= syssize= loadflags= cmdline_size= reloc= pref= align=
# init_size= xlf= bootflag= hdrlen= (bytes after 0x202), filesize= (truncate).
bzimage() {
    local out=$1 code=$2; shift 2
    local proto=0x020f sects=1 loadflags=0x01 cmdline_size=2047 reloc=0 pref=0x100000 align=0x200000
    local init_size=0x100000 xlf=0 bootflag=0xaa55 hdrlen=0x6a filesize= syssize=
    [ $# -gt 0 ] && local "$@"
    local csize=$(stat -c %s "$code") pad=0
    [ -n "$syssize" ] || { syssize=$(((csize + 15) / 16)); pad=$((syssize * 16 - csize)); }
    {
        head -c $((0x1f1)) /dev/zero
        printf "\\x$(printf %02x "$sects")"; le16 0; le32 "$syssize"; le16 0; le16 0xffff; le16 0
        le16 "$bootflag"; printf "\\xeb\\x$(printf %02x "$hdrlen")"; printf 'HdrS'; le16 "$proto"
        le32 0; le16 0x1000; le16 0; printf '\x00'; printf "\\x$(printf %02x "$loadflags")"
        le16 0; le32 0x100000; le32 0; le32 0; le32 0; le16 0; printf '\x00\x00'; le32 0
        le32 0x7fffffff; le32 "$align"; printf "\\x$(printf %02x "$reloc")\\x00"; le16 "$xlf"
        le32 "$cmdline_size"; le32 0; le64 0; le32 0; le32 0; le64 0; le64 "$pref"; le32 "$init_size"
        le32 0; le32 0
    } >"$T/hdr"
    { head -c $(((sects == 0 ? 5 : sects + 1) * 512)) "$T/hdr"; head -c $(((sects == 0 ? 5 : sects + 1) * 512 - $(stat -c %s "$T/hdr"))) /dev/zero 2>/dev/null
      cat "$code"; head -c $pad /dev/zero; } >"$out"
    [ -n "$filesize" ] && truncate -s "$filesize" "$out"
    return 0
}

# ---- a good kernel: entry state and boot_params ----
if ! gcc -c -o "$T/lb.o" "$(dirname "$0")/linuxboot.S" 2>"$T/cc.err" ||
   ! objcopy -O binary -j .text "$T/lb.o" "$T/lb.bin" 2>>"$T/cc.err"; then
    not_ok linux-build "gcc failed: $(head -c 200 "$T/cc.err")"
    exit 1
fi
{ printf 'ITRD'; head -c 4996 /dev/zero; } >"$T/initrd"
boot_check() {   # NAME WANT-STATUS KERNEL [KASOU-ARGS...]
    local rc name=$1 want=$2 kernel=$3
    shift 3
    timeout 20 "$KASOU" -M pc -m 32 -kernel "$kernel" -initrd "$T/initrd" -append "abc xyz" -nographic "$@" \
        </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -eq "$want" ] && [ ! -s "$T/err" ]; then ok "$name"
    elif { [ "$rc" -lt 64 ] || { [ "$rc" -ge $((0x31 * 2)) ] && [ "$rc" -lt 128 ]; }; } && [ $((rc & 1)) = 1 ]; then
        not_ok "$name" "guest check $(printf '%d (0x%x)' $((rc >> 1)) $((rc >> 1))) failed (see tests/cli/linuxboot.S)"
    else not_ok "$name" "exit status $rc, want $want: $(head -c 300 "$T/err")"; fi
}
bzimage "$T/k-1m.bin" "$T/lb.bin"
boot_check linux-boot-params $(((0x21 << 1) | 1)) "$T/k-1m.bin"
# relocatable with pref_address 4 MiB: loaded there, entered there
bzimage "$T/k-4m.bin" "$T/lb.bin" reloc=1 pref=0x400000
boot_check linux-pref-address $(((0x24 << 1) | 1)) "$T/k-4m.bin"
# pref_address not aligned to kernel_alignment: 1 MiB
bzimage "$T/k-odd.bin" "$T/lb.bin" reloc=1 pref=0x401000
boot_check linux-pref-address-unaligned $(((0x21 << 1) | 1)) "$T/k-odd.bin"
# setup_sects 0 means 4
bzimage "$T/k-s0.bin" "$T/lb.bin" sects=0
boot_check linux-setup-sects-0 $(((0x21 << 1) | 1)) "$T/k-s0.bin"
# protocol 2.06: no pref_address/init_size fields, 1 MiB
bzimage "$T/k-206.bin" "$T/lb.bin" proto=0x0206 reloc=1 pref=0x400000 hdrlen=0x3a
boot_check linux-protocol-2.06 $(((0x21 << 1) | 1)) "$T/k-206.bin"
# an x86-64 kernel at an aligned address: the 64-bit entry (load + 0x200)
bzimage "$T/k64-4m.bin" "$T/lb.bin" xlf=1 reloc=1 pref=0x400000
boot_check linux-64-bit-entry $(((0x44 << 1) | 1)) "$T/k64-4m.bin" -cpu qemu64
# ... not aligned: loaded at 1 MiB, the 32-bit entry
bzimage "$T/k64-odd.bin" "$T/lb.bin" xlf=1 reloc=1 pref=0x401000
boot_check linux-64-bit-kernel-32-bit-entry $(((0x21 << 1) | 1)) "$T/k64-odd.bin" -cpu qemu64

# ---- refused ----
bzimage "$T/old.bin" "$T/lb.bin" proto=0x0204
expect_error linux-protocol-too-old "boot protocol 2.04 is too old .*2.06" -kernel "$T/old.bin"
printf '%514s' '' | tr ' ' '\0' >"$T/stub.bin"; printf 'HdrS' >>"$T/stub.bin"
expect_error linux-header-truncated "'$T/stub.bin': Linux kernel truncated" -kernel "$T/stub.bin"
bzimage "$T/trunc.bin" "$T/lb.bin" filesize=1100
expect_error linux-kernel-truncated "truncated: setup \(1024 bytes\) \+ kernel" -kernel "$T/trunc.bin"
bzimage "$T/bigsys.bin" "$T/lb.bin" syssize=0x10000000
expect_error linux-syssize-beyond-file "truncated: setup" -kernel "$T/bigsys.bin"
bzimage "$T/sys0.bin" "$T/lb.bin" syssize=0
expect_error linux-syssize-0 "syssize is 0" -kernel "$T/sys0.bin"
bzimage "$T/zimage.bin" "$T/lb.bin" loadflags=0
expect_error linux-zimage "a zImage .*bzImage kernels only" -kernel "$T/zimage.bin"
bzimage "$T/noflag.bin" "$T/lb.bin" bootflag=0
expect_error linux-no-boot-flag "without the 0xAA55 boot flag" -kernel "$T/noflag.bin"
bzimage "$T/shorthdr.bin" "$T/lb.bin" hdrlen=0x10
expect_error linux-header-too-short "setup header ends at 0x212, before the 2.06 fields" -kernel "$T/shorthdr.bin"
bzimage "$T/k64.bin" "$T/lb.bin" xlf=1
expect_error linux-64-bit-on-32-bit-cpu "x86-64 Linux kernel, but the CPU model has no long mode" \
    -cpu qemu32 -kernel "$T/k64.bin"
bzimage "$T/small.bin" "$T/lb.bin" cmdline_size=6
expect_error linux-append-too-long "-append: the kernel command line is 7 bytes; this kernel takes at most 6" \
    -kernel "$T/small.bin" -append "abc xyz"
bzimage "$T/huge.bin" "$T/lb.bin" init_size=0x4000000
expect_error linux-init-size-beyond-ram "needs RAM up to 65 MiB to boot \(it has 32 MiB" -m 32 -kernel "$T/huge.bin"
expect_error linux-initrd-missing "cannot open initrd '$T/nope': No such file" \
    -kernel "$T/k-1m.bin" -initrd "$T/nope"
expect_error linux-initrd-directory "cannot open initrd '$T': Is a directory" -kernel "$T/k-1m.bin" -initrd "$T"
head -c $((40 << 20)) /dev/zero >"$T/big.initrd" 2>/dev/null
expect_error linux-initrd-larger-than-ram "initrd '$T/big.initrd' .* does not fit in RAM" \
    -m 32 -kernel "$T/k-1m.bin" -initrd "$T/big.initrd"
head -c $((31 << 20)) /dev/zero >"$T/mid.initrd" 2>/dev/null
expect_error linux-initrd-over-kernel "initrd .* does not fit in RAM between the kernel" \
    -m 32 -kernel "$T/k-1m.bin" -initrd "$T/mid.initrd"
