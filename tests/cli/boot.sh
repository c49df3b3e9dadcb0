#!/bin/bash
# The pc board end to end: tiny multiboot guests built here (machine code
# with printf; tests/cli/mbinfo.c and uartprobe.c with gcc -m32) run under
# kasou and, where QEMU is the oracle, under qemu-system-i386 with the same
# options; serial output and exit status must agree. Covers the multiboot
# loader (ELF and a.out kludge, cmdline, modules, info structure), the
# 16550's registers, COM1 output and input, isa-debug-exit, -serial
# backends, -accel switches, halt and triple-fault endings, Ctrl-A x and
# signals.
set -u
shopt -s lastpipe          # `producer | run ...` keeps run's variables
KASOU=${KASOU:-./kasou}
KASOU=$(cd "$(dirname "$KASOU")" && pwd)/$(basename "$KASOU")
QEMU=${QEMU:-qemu-system-i386}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

. "$(dirname "$0")/lib.sh"

# out "ok\n" on COM1, then 0x2a to port 0xf4 (status 85), then hlt
aout '\x66\xba\xf8\x03\xb0\x6f\xee\xb0\x6b\xee\xb0\x0a\xee\xb0\x2a\xe6\xf4\xf4\xeb\xfd' >"$T/ok.bin"
# cli; hlt
aout '\xfa\xf4\xeb\xfd' >"$T/halt.bin"
# lidt [0x100040] (limit 0), int3: #GP -> #DF -> triple fault
aout '\x0f\x01\x1d\x40\x00\x10\x00\xcc\xeb\xfe\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' >"$T/triple.bin"
# echo COM1 input until 'q', then exit with 7 (status 15)
aout '\x66\xba\xfd\x03\xec\xa8\x01\x74\xf7\x66\xba\xf8\x03\xec\xee\x3c\x71\x75\xed\xb0\x07\xe6\xf4\xf4\xeb\xfd' >"$T/echo.bin"
# jmp $
aout '\xeb\xfe' >"$T/spin.bin"

# run NAME ARGS...: kasou under a timeout; sets rc, out, err
run() {
    timeout 20 "$KASOU" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}
# qemu_out ARGS...: QEMU's serial output with the firmware's lines dropped
have_qemu=1
command -v "$QEMU" >/dev/null 2>&1 || have_qemu=0
qemu_run() {
    timeout 20 "$QEMU" -M pc -nographic -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
        >"$T/qraw" 2>"$T/qerr"
    qrc=$?
    # SeaBIOS and iPXE print first; the guest's output starts after
    # "Booting from ROM.." (a third dot sometimes comes before it, under load)
    sed -z 's/.*Booting from ROM\.*//' "$T/qraw" >"$T/qout"
}

check_status() {   # NAME WANT
    if [ "$rc" -eq 124 ]; then not_ok "$1" "timed out"; return 1; fi
    if [ "$rc" -ne "$2" ]; then not_ok "$1" "exit status $rc, want $2; stderr: $(head -c 300 "$T/err")"; return 1; fi
    return 0
}

# ---- serial output and isa-debug-exit ----
run -M pc -kernel "$T/ok.bin" -nographic </dev/null
if check_status serial-and-debug-exit 85; then
    if [ "$(cat "$T/out")" = "ok" ] && [ ! -s "$T/err" ]; then ok serial-and-debug-exit
    else not_ok serial-and-debug-exit "stdout '$(head -c 100 "$T/out")' stderr '$(head -c 200 "$T/err")'"; fi
fi
if [ $have_qemu = 1 ]; then
    qemu_run -kernel "$T/ok.bin" </dev/null
    if [ "$qrc" -eq 85 ] && [ "$(cat "$T/qout")" = "ok" ]; then ok qemu-agrees-serial-and-debug-exit
    else not_ok qemu-agrees-serial-and-debug-exit "QEMU gave status $qrc, output '$(head -c 100 "$T/qout")'"; fi
else
    not_ok qemu-agrees-serial-and-debug-exit "$QEMU not found (run: make deps / scripts/deps.sh check)"
fi

for accel in tci tcg,chain=off,tlb-inline=off,one-insn-per-tb=on; do
    run -kernel "$T/ok.bin" -accel "$accel" </dev/null
    check_status "accel-$accel" 85 && { [ "$(cat "$T/out")" = "ok" ] && ok "accel-$accel" || not_ok "accel-$accel" "stdout '$(head -c 100 "$T/out")'"; }
done

# ---- serial backends ----
run -kernel "$T/ok.bin" -serial "file:$T/serial.txt" </dev/null
if check_status serial-file 85; then
    if [ "$(cat "$T/serial.txt" 2>/dev/null)" = "ok" ] && [ ! -s "$T/out" ]; then ok serial-file
    else not_ok serial-file "file '$(head -c 100 "$T/serial.txt" 2>/dev/null)' stdout '$(head -c 100 "$T/out")'"; fi
fi
run -kernel "$T/ok.bin" -serial null </dev/null
check_status serial-null 85 && { [ ! -s "$T/out" ] && ok serial-null || not_ok serial-null "output on stdout"; }
run -kernel "$T/ok.bin" -serial none </dev/null
check_status serial-none 85 && { [ ! -s "$T/out" ] && ok serial-none || not_ok serial-none "output on stdout"; }
run -kernel "$T/ok.bin" -nodefaults </dev/null
# no isa-debug-exit: the guest reaches hlt with IF=0 and the run ends there
check_status nodefaults 1 && { [ ! -s "$T/out" ] && grep -q '^kasou: guest halted' "$T/err" && ok nodefaults || not_ok nodefaults "stdout '$(head -c 100 "$T/out")' stderr '$(head -c 200 "$T/err")'"; }

# ---- how a run ends ----
run -kernel "$T/halt.bin" </dev/null
if check_status halt-with-interrupts-off 1; then
    if [ "$(cat "$T/err")" = "kasou: guest halted with interrupts disabled" ]; then ok halt-with-interrupts-off
    else not_ok halt-with-interrupts-off "stderr '$(head -c 200 "$T/err")'"; fi
fi
run -kernel "$T/triple.bin" -no-reboot </dev/null
check_status triple-fault-no-reboot 0 && { [ ! -s "$T/err" ] && ok triple-fault-no-reboot || not_ok triple-fault-no-reboot "stderr '$(head -c 200 "$T/err")'"; }
if [ $have_qemu = 1 ]; then
    qemu_run -kernel "$T/triple.bin" </dev/null
    [ "$qrc" -eq 0 ] && ok qemu-agrees-triple-fault-no-reboot || not_ok qemu-agrees-triple-fault-no-reboot "QEMU status $qrc"
fi
run -kernel "$T/triple.bin" -no-reboot -d int -D "$T/int.log" </dev/null
check_status triple-fault-logged 0 && { grep -q 'triple fault' "$T/int.log" && ok triple-fault-logged || not_ok triple-fault-logged "no 'triple fault' in the -d int log"; }

# -d trap: one line per emulated privileged instruction or device access,
# saying what the guest asked and what kasou did
run -M pc -kernel "$T/ok.bin" -nographic -d trap -D "$T/trap.log" </dev/null
if check_status trap-log 85; then
    want1='trap: 00100026: OUTb port 0x03f8, 0x6f: written to serial THR'
    want2='trap: 0010002f: OUTb port 0x00f4, 0x2a: written to isa-debug-exit'
    if grep -qx "$want1" "$T/trap.log" && grep -qx "$want2" "$T/trap.log" &&
       [ "$(grep -c '^trap: .*: OUTb port' "$T/trap.log")" = 4 ]; then ok trap-log
    else not_ok trap-log "log: $(head -c 400 "$T/trap.log")"; fi
fi
run -M pc -kernel "$T/triple.bin" -nographic -no-reboot -d trap -D "$T/trap2.log" </dev/null
if check_status trap-log-lidt 0; then
    grep -q '^trap: 00100020: LIDT: IDT at 0x00000000, limit 0x0000$' "$T/trap2.log" && ok trap-log-lidt ||
        not_ok trap-log-lidt "log: $(head -c 300 "$T/trap2.log")"
fi

# ---- console input ----
{ printf 'abc'; sleep 0.2; printf 'xyq'; } | run -kernel "$T/echo.bin"
check_status serial-input 15 && { [ "$(cat "$T/out")" = "abcxyq" ] && ok serial-input || not_ok serial-input "echoed '$(head -c 100 "$T/out")'"; }
# the guest never reads: Ctrl-A x must still get through 40 bytes of input
{ sleep 0.2; printf '%040d' 0; sleep 0.1; printf '\001x'; } | run -kernel "$T/spin.bin"
check_status ctrl-a-x 0 && { grep -q '^kasou: terminated' "$T/err" && ok ctrl-a-x || not_ok ctrl-a-x "stderr '$(head -c 200 "$T/err")'"; }
{ printf 'a\001\001'; sleep 0.2; printf 'q'; } | run -kernel "$T/echo.bin"
check_status ctrl-a-ctrl-a 15 && { [ "$(cat "$T/out")" = "$(printf 'a\001q')" ] && ok ctrl-a-ctrl-a || not_ok ctrl-a-ctrl-a "echoed '$(od -c "$T/out" | head -2)'"; }
# a signal ends a guest that never stops, without a crash
timeout -s TERM 0.5 "$KASOU" -kernel "$T/spin.bin" </dev/null >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 124 ] && grep -q '^kasou: terminating on signal 15' "$T/err" && ok sigterm || not_ok sigterm "status $rc, stderr '$(head -c 200 "$T/err")'"

cat >"$T/guest.ld" <<'EOF'
ENTRY(_start)
SECTIONS {
    . = 0x100000;
    .multiboot : { KEEP(*(.multiboot)) }
    .text : { *(.text*) }
    .rodata : { *(.rodata*) }
    .data : { *(.data*) }
    .bss : { *(.bss*) *(COMMON) }
    /DISCARD/ : { *(.note*) *(.comment) *(.eh_frame*) }
}
EOF
build_guest() {   # NAME: tests/cli/NAME.c -> $T/NAME.elf
    gcc -m32 -O2 -ffreestanding -fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables -nostdlib -static \
        -Wl,--build-id=none -Wl,-T,"$T/guest.ld" -Wl,--no-warn-rwx-segments \
        -o "$T/$1.elf" "tests/cli/$1.c" 2>"$T/cc.err" && return 0
    not_ok "$1-build" "gcc -m32 failed (gcc-multilib missing? run: make deps): $(head -c 200 "$T/cc.err")"
    return 1
}

# ---- COM1's registers, against QEMU ----
if build_guest uartprobe; then
    run -kernel "$T/uartprobe.elf" </dev/null
    cp "$T/out" "$T/kout"
    if check_status uartprobe 33; then
        # power-on values (under QEMU, SeaBIOS has used COM1 first)
        [ "$(grep '^reset' "$T/kout")" = "reset 00 01 00 60 00" ] && ok uartprobe-reset-values \
            || not_ok uartprobe-reset-values "got '$(grep '^reset' "$T/kout")'"
        if [ $have_qemu = 1 ]; then
            qemu_run -kernel "$T/uartprobe.elf" </dev/null
            if [ "$qrc" = 33 ] && diff <(grep -v '^reset' "$T/qout") <(grep -v '^reset' "$T/kout") >"$T/diff"; then
                ok uartprobe-matches-qemu
            else not_ok uartprobe-matches-qemu "QEMU status $qrc; diff: $(head -c 400 "$T/diff" | tr '\n' '|')"; fi
        fi
    fi
fi

# ---- the multiboot information, against QEMU ----
build_guest mbinfo || exit 0
printf 'module one\n' >"$T/m1"
printf 'two\0x' >"$T/m2"
(cd "$T" && timeout 20 "$KASOU" -kernel mbinfo.elf -append "hello world" -initrd "m1 a b,m2" </dev/null) \
    >"$T/kout" 2>"$T/err"
rc=$?
if check_status mbinfo 33; then
    want="mmap 0 9fc00 1
mmap 9fc00 60400 2
mmap 100000 7f00000 1"
    if [ "$(grep '^mmap' "$T/kout")" = "$want" ] && grep -qx "loader 'kasou'" "$T/kout" \
       && grep -qx "mem_upper 130048" "$T/kout"; then ok mbinfo-memory-map
    else not_ok mbinfo-memory-map "got: $(grep -E '^(mmap|loader|mem_upper)' "$T/kout" | tr '\n' '|')"; fi
    if [ $have_qemu = 1 ]; then
        (cd "$T" && qemu_run -kernel mbinfo.elf -append "hello world" -initrd "m1 a b,m2" </dev/null; echo $qrc >qrc)
        # QEMU's mem_upper, memory map and loader name come from SeaBIOS and
        # differ by design; everything else must match line for line
        pat='^(mmap|loader|mem_upper) '
        if [ "$(cat "$T/qrc")" = 33 ] && diff <(grep -Ev "$pat" "$T/qout") <(grep -Ev "$pat" "$T/kout") >"$T/diff"; then
            ok mbinfo-matches-qemu
        else not_ok mbinfo-matches-qemu "QEMU status $(cat "$T/qrc"); diff: $(head -c 400 "$T/diff" | tr '\n' '|')"; fi
    fi
fi
exit 0
