#!/bin/bash
# Command line and loader errors: each bad invocation must give exactly one
# line on stderr starting with "kasou: ", a non-zero exit status below 128
# (>= 128 is a crash), and nothing on stdout. Help requests exit 0.
# Corrupt kernels are built here with printf/head; nothing binary is
# committed. Cases that boot a guest are in boot.sh.
set -u
KASOU=${KASOU:-./kasou}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

. "$(dirname "$0")/lib.sh"

# expect_error NAME PATTERN ARGS...: PATTERN is an extended regex the one
# stderr line must contain after "kasou: ".
expect_error() {
    local name=$1 pat=$2; shift 2
    "$KASOU" "$@" >"$T/out" 2>"$T/err" </dev/null
    local rc=$? lines
    lines=$(wc -l <"$T/err")
    if [ "$rc" -eq 0 ]; then not_ok "$name" "exit status 0"; return; fi
    if [ "$rc" -ge 128 ]; then not_ok "$name" "crashed (status $rc): $(head -c 300 "$T/err")"; return; fi
    if [ "$lines" -ne 1 ]; then not_ok "$name" "$lines lines on stderr: $(head -c 300 "$T/err" | tr '\n' '|')"; return; fi
    if ! grep -q '^kasou: ' "$T/err"; then not_ok "$name" "stderr does not start with 'kasou: ': $(cat "$T/err")"; return; fi
    if ! grep -Eq "^kasou: .*$pat" "$T/err"; then not_ok "$name" "unexpected message: $(cat "$T/err")"; return; fi
    if [ -s "$T/out" ]; then not_ok "$name" "wrote to stdout"; return; fi
    ok "$name"
}

# expect_help NAME PATTERN ARGS...: exit 0, PATTERN on stdout, stderr empty.
expect_help() {
    local name=$1 pat=$2; shift 2
    "$KASOU" "$@" >"$T/out" 2>"$T/err" </dev/null
    local rc=$?
    if [ "$rc" -ne 0 ]; then not_ok "$name" "exit status $rc: $(head -c 300 "$T/err")"; return; fi
    if [ -s "$T/err" ]; then not_ok "$name" "wrote to stderr: $(head -c 300 "$T/err")"; return; fi
    if ! grep -Eq "$pat" "$T/out"; then not_ok "$name" "no '$pat' in: $(head -c 300 "$T/out")"; return; fi
    ok "$name"
}

# ELF32 header for EM_386: ehdr32 ENTRY PHOFF PHNUM
ehdr32() {
    printf '\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00'
    le16 2; le16 3; le32 1; le32 "$1"; le32 "$2"; le32 0; le32 0
    le16 52; le16 32; le16 "$3"; le16 0; le16 0; le16 0
}
# phdr32 OFFSET VADDR PADDR FILESZ MEMSZ (PT_LOAD)
phdr32() { le32 1; le32 "$1"; le32 "$2"; le32 "$3"; le32 "$4"; le32 "$5"; le32 7; le32 4096; }

# ---- the command line ----
expect_error unknown-option "unknown option '-frobnicate'" -frobnicate
expect_error unknown-long-option "unknown option '--frobnicate'" --frobnicate
expect_error missing-argument "option '-kernel' needs an argument" -kernel
expect_error missing-argument-m "option '-m' needs an argument" -m
expect_error unknown-d-item "unknown -d item 'foo' \(try -d help\)" -d in_asm,foo
# the exact wording is part of the interface
if [ "$(cat "$T/err")" = "kasou: unknown -d item 'foo' (try -d help)" ]; then ok unknown-d-item-wording
else not_ok unknown-d-item-wording "got: $(cat "$T/err")"; fi
expect_error bad-m-text "-m 'abc': invalid size" -m abc
expect_error bad-m-suffix "-m '12X': invalid size" -m 12X
expect_error bad-m-too-small "-m 1K: too little RAM" -m 1K
expect_error bad-m-too-big "-m 64G: too much RAM" -m 64G
expect_error unknown-machine "unknown machine 'vax' \(try -M help\)" -M vax
expect_error cpu-host "-cpu host needs KVM" -cpu host
expect_error unknown-cpu "unknown CPU model 'z80'" -cpu z80
expect_error accel-kvm "-accel kvm: kasou uses no hardware virtualization" -accel kvm
expect_error accel-bad-prop "-accel: unknown property 'foo'" -accel tcg,foo=on
expect_error accel-bad-value "-accel: chain='maybe': expected on or off" -accel tcg,chain=maybe
expect_error unknown-device "-device 'e1000': unknown device" -device e1000
expect_error debug-exit-bad-iobase "-device isa-debug-exit: iobase='zz'" -device isa-debug-exit,iobase=zz
expect_error bad-serial "-serial 'pty': unsupported backend" -serial pty
expect_error bad-display "-display sdl: no display" -display sdl
expect_error stray-argument "'disk.img': unexpected argument" disk.img
expect_error no-kernel "no -kernel given" -nographic

# ---- kernels that must be refused ----
expect_error missing-kernel "cannot open kernel '$T/nonexistent': No such file or directory" \
    -kernel "$T/nonexistent"
expect_error kernel-is-directory "cannot open kernel '$T': Is a directory" -kernel "$T"

head -c 20000 /dev/zero >"$T/zeros.bin"
expect_error not-multiboot "'$T/zeros.bin' is not a multiboot kernel \(no multiboot header in the first 8192 bytes\)" \
    -kernel "$T/zeros.bin"
: >"$T/empty.bin"
expect_error empty-kernel "'$T/empty.bin' is not a multiboot kernel" -kernel "$T/empty.bin"

# header beyond the first 8 KiB does not count
{ head -c 8192 /dev/zero; mbhdr 0; } >"$T/late.bin"
expect_error header-too-late "is not a multiboot kernel" -kernel "$T/late.bin"

# a bad checksum is no header
{ le32 $MB_MAGIC; le32 0; le32 0; } >"$T/badsum.bin"
expect_error bad-checksum "is not a multiboot kernel" -kernel "$T/badsum.bin"

# multiboot header, no a.out kludge, not ELF
{ mbhdr 0; head -c 100 /dev/zero; } >"$T/notelf.bin"
expect_error header-but-not-elf "file is not ELF" -kernel "$T/notelf.bin"

# ELF whose program headers lie beyond the end of the file
{ ehdr32 0x100000 0x10000000 1; mbhdr 0; } >"$T/phoff.elf"
expect_error elf-phoff-beyond-file "corrupt ELF program headers" -kernel "$T/phoff.elf"

# ELF truncated in the middle of its program header
{ ehdr32 0x100000 64 1; mbhdr 0; phdr32 0 0x100000 0x100000 16 16; } | head -c 80 >"$T/trunc.elf"
expect_error elf-truncated "corrupt ELF program headers" -kernel "$T/trunc.elf"

# ELF segment whose file range goes past the end of the file
{ ehdr32 0x100000 64 1; mbhdr 0; phdr32 0 0x100000 0x100000 0x7fffffff 0x7fffffff; } >"$T/seg.elf"
expect_error elf-segment-beyond-file "corrupt ELF segment 0" -kernel "$T/seg.elf"

# offset + size wrapping around 32 bits
{ ehdr32 0x100000 64 1; mbhdr 0; phdr32 0xffffff00 0x100000 0x100000 0x200 0x200; } >"$T/wrap.elf"
expect_error elf-segment-wraps "corrupt ELF segment 0" -kernel "$T/wrap.elf"

# ELF segment outside RAM
{ ehdr32 0x100000 64 1; mbhdr 0; phdr32 0 0xf0000000 0xf0000000 96 0x1000; } >"$T/ram.elf"
expect_error elf-segment-outside-ram "segment at 0xf0000000 .* lies outside RAM" -m 128 -kernel "$T/ram.elf"

# no PT_LOAD at all
{ ehdr32 0x100000 64 1; mbhdr 0; le32 4; head -c 28 /dev/zero; } >"$T/noload.elf"
expect_error elf-no-load "no loadable ELF segment" -kernel "$T/noload.elf"

# ELF64 with a multiboot header: refused like QEMU does
{ printf '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00'; le16 2; le16 62; le32 1
  le64 0x100000; le64 64; le64 0; le32 0; le16 64; le16 56; le16 1; le16 0; le16 0; le16 0
  mbhdr 0; head -c 200 /dev/zero; } >"$T/elf64.elf"
expect_error elf64-rejected "cannot load x86-64 image .*give a 32bit one" -kernel "$T/elf64.elf"

# a.out kludge: load range past the end of the file
{ mbhdr $AOUT; le32 0x100000; le32 0x100000; le32 0x200000; le32 0; le32 0x100020; } >"$T/aout-short.bin"
expect_error aout-beyond-file "load range goes past the end of the file" -kernel "$T/aout-short.bin"

# a.out kludge: header_addr below load_addr
{ mbhdr $AOUT; le32 0x100000; le32 0x200000; le32 0; le32 0; le32 0x200000; } >"$T/aout-bad.bin"
expect_error aout-inconsistent "header_addr/load_addr inconsistent" -kernel "$T/aout-bad.bin"

# a.out kludge header cut short
mbhdr $AOUT >"$T/aout-trunc.bin"
expect_error aout-truncated "multiboot header truncated" -kernel "$T/aout-trunc.bin"

# a.out kludge: bss past the end of RAM
{ mbhdr $AOUT; le32 0x100000; le32 0x100000; le32 0; le32 0xfffff000; le32 0x100020; } >"$T/aout-bss.bin"
expect_error aout-bss-outside-ram "lies outside RAM" -kernel "$T/aout-bss.bin"

# a good a.out kernel, but a module that does not exist
{ mbhdr $AOUT; le32 0x100000; le32 0x100000; le32 0; le32 0; le32 0x100020; printf '\xf4\xeb\xfd'; } >"$T/aout-ok.bin"
expect_error missing-module "cannot open module '$T/nomod': No such file or directory" \
    -kernel "$T/aout-ok.bin" -initrd "$T/nomod arg"
expect_error bad-log-file "cannot open log file '$T/no/such/dir/log'" \
    -kernel "$T/aout-ok.bin" -D "$T/no/such/dir/log"

# ---- help and version: stdout, exit 0 ----
expect_help d-help "^in_asm " -d help
expect_help M-help "^pc " -M help
expect_help machine-help "^pc " -machine help
expect_help cpu-help "qemu32" -cpu help
expect_help device-help "isa-debug-exit" -device help
# -bios: the image must exist and be a non-zero multiple of 64 KiB, at most 16 MiB
expect_error bios-missing "-bios $T/none.bin: No such file" -M pc -bios "$T/none.bin"
: > "$T/empty.bin"
expect_error bios-empty "not a non-zero multiple of 64 KiB" -M pc -bios "$T/empty.bin"
head -c 1000 /dev/zero > "$T/short.bin"
expect_error bios-short "1000 bytes, not a non-zero multiple of 64 KiB" -M pc -bios "$T/short.bin"
truncate -s 17M "$T/big.bin"
expect_error bios-oversized "larger than 16 MiB" -M pc -bios "$T/big.bin"
truncate -s 64K "$T/zero.bin"
expect_error bios-multiboot-kernel "with -bios: not a bzImage" -M pc -bios "$T/zero.bin" -kernel "$T/short.bin"
expect_error no-kernel-no-bios "no -kernel given \(and no -bios" -M pc

expect_help accel-help "tci" -accel help
expect_help help "usage: kasou" -h
expect_help long-help "usage: kasou" --help
expect_help version "kasou version" -version
exit 0
