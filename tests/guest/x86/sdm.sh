#!/bin/bash
# The x86 guests that check themselves against the SDM where QEMU 7.2 is
# no reference (it lacks the feature, or aborts or hangs on it), so kasou
# runs alone: for each run (extra kasou options; the JIT and the
# interpreter unless the table says otherwise) kasou must exit with status
# 1, print the table's PASS line and no FAIL line, and with -d trap log a
# line matching each of the table's trap patterns ("=N:pattern" wants
# exactly N such lines).
#   sdm.sh <guest> <guest.elf>
name=$1 elf=$2
runs=("" "-accel tci")
traps=()
case $name in
ferr)      # FERR#/IRQ 13 and IGNNE# with CR0.NE = 0 (QEMU 7.2 aborts on FERR#)
    pass='^PASS no irq13 with ne'
    traps=('=3:CR0.NE=0: FERR# asserted' 'OUTb port 0x00f0, 0x0: written to ferr-ignne') ;;
vme)       # CR4.VME and CR4.PVI (QEMU's TCG does not implement them)
    pass='^PASS nopvi cli.opcode'
    traps=('CLI below IOPL with CR4.VME: virtual interrupts masked'
           'STI below IOPL with CR4.VME: virtual interrupts enabled'
           'CLI below IOPL with CR4.PVI' 'STI below IOPL with CR4.PVI'
           'PUSHF in vm86 with CR4.VME: pushed FLAGS 0x3002'
           'INT 0x21 in vm86 with CR4.VME, redirection bit clear'
           'IRET in vm86 with CR4.VME: to 0700:') ;;
debuggd)   # DR7.GD (QEMU 7.2 lacks it), INVD, WBINVD, both breakpoints
    pass='^PASS debuggd'
    traps=('INVD: ' 'WBINVD: ' 'MOV DRn with DR7.GD set: #DB'
           'DR0 execute breakpoint at 0x' 'DR3 write breakpoint 0x.* len 4: 4-byte write at 0x'
           '#DB data breakpoint, DR6 = 0xffff0ff8') ;;
xsavesdm)  # xsave.c with -DXSAVE_SDM: what QEMU 7.2 lacks of XSAVE on -cpu max
    runs=("-cpu max" "-cpu max -accel tci")
    pass='^PASS xsave'
    traps=('XSETBV XCR0 <- 0x3: XSAVE manages x87 and SSE'
           'XSETBV XCR0 <- 0x0: refused, #GP' 'XSETBV XCR1 <- 0x3: refused, #GP') ;;
xsavesdm-qemu32)   # no XSAVE: CR4.OSXSAVE is reserved (QEMU 7.2 hangs on that write)
    runs=("-cpu qemu32")
    pass='^PASS no_xsave.cr4_osxsave.vector' ;;
*)  echo "not ok - guest/x86/$name: sdm.sh has no entry for it"; exit 0 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for opts in "${runs[@]}"; do
    case_name="guest/x86/${name%-*}${opts:+ [$opts]}"
    if [ ! -f "$elf" ]; then
        echo "not ok - $case_name: $elf not built"; continue
    fi
    : > "$tmp/trap"
    # shellcheck disable=SC2086
    scripts/run-guest.sh kasou "$elf" $opts -d trap -D "$tmp/trap" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ $rc != 1 ] || grep -q '^FAIL' "$tmp/out" || ! grep -q -- "$pass" "$tmp/out"; then
        echo "not ok - $case_name: kasou status $rc"
        grep -m3 '^FAIL' "$tmp/out" | sed 's/^/#   /'
        tail -3 "$tmp/err" | sed 's/^/#   stderr: /'
        continue
    fi
    missing=
    for want in "${traps[@]}"; do
        if [[ $want =~ ^=([0-9]+):(.*)$ ]]; then
            n=$(grep -c -- "${BASH_REMATCH[2]}" "$tmp/trap")
            [ "$n" = "${BASH_REMATCH[1]}" ] || missing="$missing '${BASH_REMATCH[2]}' ($n lines, want ${BASH_REMATCH[1]})"
        else
            grep -q -- "$want" "$tmp/trap" || missing="$missing '$want'"
        fi
    done
    if [ -n "$missing" ]; then
        echo "not ok - $case_name: -d trap lacks$missing"
    else
        echo "ok - $case_name"
    fi
done
exit 0
