#!/bin/bash
# Boot Debian's kernels (amd64, i386/686, arm64) with a busybox initramfs whose
# /init (tests/linux/init-test.sh) prints what the checks below read, under
# kasou and, when installed, under QEMU; then compare the two.
#   run.sh [-e kasou|qemu|both] [amd64|i386|arm64]...    (default: both, amd64 i386)
# amd64 and i386 boot on -M pc, arm64 on -M virt -cpu cortex-a57.
# Needs cache/linux/ARCH/ from scripts/fetch-guests.sh (make linux-guests).
# Env: KASOU (default ./kasou), LINUX_TIMEOUT seconds per boot (300),
#      LINUX_KEEP=DIR keeps each run's timestamped output in DIR,
#      LINUX_KASOU_CPU=MODEL boots kasou's x86 kernels on -cpu MODEL (the
#      case names carry it), LINUX_WANT_FLAGS="f..." more cpuinfo flags to require.
cd "$(dirname "$0")/../.."
emus=both
if [ "$1" = -e ]; then emus=$2; shift 2; fi
[ $# -eq 0 ] && set -- amd64 i386
KASOU=${KASOU:-./kasou}
TIMEOUT=${LINUX_TIMEOUT:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

tag=${LINUX_KASOU_CPU:+ [-cpu $LINUX_KASOU_CPU]}
ok()     { echo "ok - linux/$1$tag"; }
not_ok() { echo "not ok - linux/$1$tag: $2"; status=1; }
check()  { if [ -z "$3" ]; then ok "$1"; else not_ok "$1" "$3"; fi; }   # NAME _ WHY-or-empty

# The kernel release string of a bzImage: the setup header's kernel_version
# field (0x20e) points at a NUL-terminated string, offset from 0x200.
bzimage_release() {
    local off
    off=$(od -An -tu2 -j $((0x20e)) -N2 "$1" | tr -d ' ')
    dd if="$1" bs=1 skip=$((off + 0x200)) count=64 2>/dev/null | tr '\0' '\n' | head -n1 | cut -d' ' -f1
}

# The release string of an arm64 Image (raw or gzip'd): its linux_banner.
image_release() {
    zcat -f "$1" | grep -a -m1 -o 'Linux version [^ ]*' | cut -d' ' -f3
}
kernel_release() {
    if [ "$2" = arm64 ]; then image_release "$1"; else bzimage_release "$1"; fi
}

# boot EMU ARCH OUT: run one boot; OUT gets "host_seconds line" per output
# line (CRs removed), OUT.rc the exit status.
boot() {
    local emu=$1 arch=$2 out=$3 dir=cache/linux/$2 cmd append="console=ttyS0 panic=-1"
    local board=(-M pc -m 512)
    if [ "$arch" = arm64 ]; then
        board=(-M virt -cpu cortex-a57 -m 512)
        append="console=ttyAMA0 panic=-1"
    fi
    case "$emu" in
    # an x86-64 kernel needs a 64-bit CPU model: QEMU's default qemu64
    # if kasou has it, else max (kasou's default, qemu32, is 32-bit)
    kasou) cmd=("$KASOU")
           if [ -n "$LINUX_KASOU_CPU" ] && [ "$arch" != arm64 ]; then
               cmd+=(-cpu "$LINUX_KASOU_CPU")
           elif [ "$arch" = amd64 ]; then
               if "$KASOU" -cpu help | grep -qw qemu64; then cmd+=(-cpu qemu64); else cmd+=(-cpu max); fi
           fi ;;
    qemu)  case "$arch" in
           amd64) cmd=(qemu-system-x86_64 -accel tcg) ;;
           arm64) cmd=(qemu-system-aarch64 -accel tcg) ;;
           *)     cmd=(qemu-system-i386 -accel tcg) ;;
           esac ;;
    esac
    cmd+=("${board[@]}" -kernel "$dir/vmlinuz" -initrd "$dir/initramfs-test.cpio.gz"
          -append "$append" -nographic -no-reboot)
    timeout -k 5 "$TIMEOUT" "${cmd[@]}" < /dev/null 2> "$out.err" |
        perl -MTime::HiRes=time -ne 'BEGIN { $| = 1 } s/\r//g; printf "%.3f %s", time, $_' > "$out"
    echo "${PIPESTATUS[0]}" > "$out.rc"
    [ -n "$LINUX_KEEP" ] && mkdir -p "$LINUX_KEEP" && cp "$out" "$LINUX_KEEP/$emu-$arch.log" &&
        cp "$out.err" "$LINUX_KEEP/$emu-$arch.err"
}

# text of OUT without the timestamps, from the "== NAME" line to the next
section() { cut -d' ' -f2- "$1" | awk -v s="== $2" '$0 == s { on = 1; next } /^== / { on = 0 } on'; }
first_time() { awk -v l="$2" '{ t = $1; $1 = ""; sub(/^ /, "") } $0 == l { print t; exit }' "$1"; }

# check every result of one boot
check_boot() {
    local emu=$1 arch=$2 out=$3 t=$2/$1 rc why line v
    rc=$(cat "$out.rc")
    local text=$tmp/text
    cut -d' ' -f2- "$out" > "$text"
    if ! grep -qx 'KASOU-LINUX-MARKER up' "$text"; then
        not_ok "$t/marker" "no marker line (exit status $rc; last line: '$(tail -n1 "$text" | cut -c1-100)'; stderr: $(head -n1 "$out.err" | cut -c1-200))"
        return
    fi
    ok "$t/marker"

    why=""
    line=$(section "$out" uname | head -n1)
    local rel=$(kernel_release cache/linux/$arch/vmlinuz $arch) m=x86_64
    [ "$arch" = i386 ] && m=i686
    [ "$arch" = arm64 ] && m=aarch64
    case "$line" in
    "Linux (none) $rel #"*" $m GNU/Linux") ;;
    *) why="uname -a is '$line' (want Linux (none) $rel ... $m GNU/Linux)" ;;
    esac
    check "$t/uname" _ "$why"

    why=""
    section "$out" cpuinfo > "$tmp/cpuinfo"
    local flagkey=flags want="fpu tsc cx8 cmov" keys=(processor vendor_id 'model name' bogomips)
    [ "$arch" = amd64 ] && want="$want pae fxsr sse sse2 lm"
    [ "$emu" = kasou ] && want="$want ${LINUX_WANT_FLAGS:-}"
    # arm64: the hwcaps every ARMv8.0 Cortex-A57 has (crypto and crc32
    # are optional on it), and the MIDR fields
    if [ "$arch" = arm64 ]; then
        flagkey=Features want="fp asimd cpuid"
        keys=(processor BogoMIPS Features 'CPU implementer' 'CPU architecture' 'CPU part')
    fi
    local flags=$(awk -F': ' -v k="$flagkey" '$1 ~ "^" k { print " " $2 " "; exit }' "$tmp/cpuinfo")
    for f in $want; do
        case "$flags" in *" $f "*) ;; *) why="$why $f" ;; esac
    done
    [ -n "$why" ] && why="$flagkey line lacks:$why"
    for k in "${keys[@]}"; do
        grep -q "^$k[[:space:]]*:" "$tmp/cpuinfo" || why="$why; no '$k' line"
    done
    check "$t/cpuinfo" _ "$why"

    why=""
    section "$out" interrupts > "$tmp/irq"
    if [ "$arch" = arm64 ]; then
    # the generic timer's PPI counted; the PL011 has its line (QEMU's
    # console output too needs no interrupt, so its count may be 0)
    awk '$2 > 0 && / arch_timer$/ { f = 1 } END { exit !f }' "$tmp/irq" ||
        why="no arch_timer line with a non-zero count"
    awk '/ uart-pl011$/ { f = 1 } END { exit !f }' "$tmp/irq" ||
        why="$why; no uart-pl011 line"
    else
    # IRQ 0 (the PIT or HPET, "timer") and the local APIC timer (LOC) counted
    awk '$1 == "0:" && $2 > 0 && / timer$/ { f = 1 } END { exit !f }' "$tmp/irq" ||
        why="no IRQ 0 'timer' line with a non-zero count"
    awk '$1 == "LOC:" && $2 > 0 { f = 1 } END { exit !f }' "$tmp/irq" ||
        why="$why; no LOC (local timer) line with a non-zero count"
    awk '$2 > 0 && / ttyS0$/ { f = 1 } END { exit !f }' "$tmp/irq" ||
        why="$why; no ttyS0 line with a non-zero count"
    fi
    check "$t/interrupts" _ "${why#; }"

    why=""
    local te=$(first_time "$out" "$(grep -m1 '^EPOCH ' "$text")")
    v=$(grep -m1 '^EPOCH ' "$text" | cut -d' ' -f2)
    if [ -z "$v" ] || [ -z "$(section "$out" date | head -n1)" ]; then
        why="no date output"
    else
        awk -v g="$v" -v h="$te" 'BEGIN { d = g - h; exit !(d > -5 && d < 5) }' ||
            why="guest date +%s = $v, host time then = ${te%.*}"
    fi
    check "$t/date" _ "$why"

    why=""
    local want_hash=$(yes kasou-linux-test-pattern-0123456789 | head -c 8388608 | sha256sum | cut -d' ' -f1)
    section "$out" sha256 > "$tmp/sha"
    grep -qx "SIZE 8388608" "$tmp/sha" || why="file size: $(grep '^SIZE' "$tmp/sha")"
    grep -qx "$want_hash  /tmp/pattern" "$tmp/sha" ||
        why="$why; sha256 $(grep pattern "$tmp/sha" | cut -c1-64), host $want_hash"
    check "$t/sha256" _ "${why#; }"

    v=$(grep -m1 '^FORKS ' "$text")
    [ "$v" = "FORKS 200 distinct 200" ] && why="" || why="'$v' (want FORKS 200 distinct 200)"
    check "$t/forks" _ "$why"

    why=""
    local t0=$(first_time "$out" SLEEP-BEGIN) t1=$(first_time "$out" SLEEP-END)
    v=$(grep -m1 '^UPTIME ' "$text")
    if [ -z "$t0" ] || [ -z "$t1" ] || [ -z "$v" ]; then
        why="sleep 1 did not complete"
    else
        # host wall time across `sleep 1`, and the guest's own uptime
        why=$(awk -v a="$t0" -v b="$t1" -v u="$v" 'BEGIN {
            split(u, g, " "); h = b - a; d = g[3] - g[2];
            if (h < 0.9 || h > 1.1) printf "host saw sleep 1 take %.3f s; ", h;
            if (d < 1.0 || d > 1.1) printf "guest uptime advanced %.2f s over it", d }')
    fi
    check "$t/sleep" _ "${why%; }"

    why=""
    grep -qx 'KASOU-LINUX-MARKER done' "$text" || why="no done marker"
    [ "$rc" = 0 ] || why="${why:+$why; }exit status $rc$(head -n1 "$out.err" | sed 's/^/: /')"
    check "$t/poweroff" _ "$why"
}

# kasou against QEMU: outputs that must not depend on the emulator, one
# check each (linux/ARCH/kasou-vs-qemu/WHAT)
compare() {
    local arch=$1 k=$2 q=$3 s
    for s in uname sha256 forks; do
        if [ "$(section "$k" $s)" = "$(section "$q" $s)" ]; then ok "$arch/kasou-vs-qemu/$s"
        else not_ok "$arch/kasou-vs-qemu/$s" "kasou '$(section "$k" $s | head -n1)', qemu '$(section "$q" $s | head -n1)'"; fi
    done
    # which fields /proc/cpuinfo has (the CPU model's identity), and which
    # devices have interrupt lines. Not compared: "cache size" and "TLB
    # size" (kasou's models describe no caches or TLB geometry: CPUID
    # leaves 2, 4 and 0x80000005/6 are absent, as kasou emulates neither)
    # and "microcode" (no microcode revision MSR).
    local skip='^(cache size|TLB size|microcode)$'
    local fk=$(section "$k" cpuinfo | cut -d: -f1 | sed 's/[[:space:]]*$//' | grep -Ev "$skip" | sort -u)
    local fq=$(section "$q" cpuinfo | cut -d: -f1 | sed 's/[[:space:]]*$//' | grep -Ev "$skip" | sort -u)
    local only_k=$(comm -23 <(echo "$fk") <(echo "$fq") | tr '\n' ',') only_q=$(comm -13 <(echo "$fk") <(echo "$fq") | tr '\n' ',')
    check "$arch/kasou-vs-qemu/cpuinfo-fields" _ \
        "$([ -n "$only_k$only_q" ] && echo "only kasou: ${only_k%,}; only qemu: ${only_q%,}")"
    local irqk=$(section "$k" interrupts | awk '$1 ~ /^[0-9]+:$/ { print $NF }' | sort -u | tr '\n' ' ')
    local irqq=$(section "$q" interrupts | awk '$1 ~ /^[0-9]+:$/ { print $NF }' | sort -u | tr '\n' ' ')
    check "$arch/kasou-vs-qemu/irq-devices" _ "$([ "$irqk" != "$irqq" ] && echo "kasou: $irqk; qemu: $irqq")"
}

for arch in "$@"; do
    if [ ! -s "cache/linux/$arch/vmlinuz" ] || [ ! -s "cache/linux/$arch/initramfs-test.cpio.gz" ]; then
        not_ok "$arch/images" "cache/linux/$arch is missing (run: make linux-guests)"
        continue
    fi
    ran=""
    for emu in kasou qemu; do
        [ "$emus" = both ] || [ "$emus" = "$emu" ] || continue
        q=qemu-system-x86_64
        [ "$arch" = arm64 ] && q=qemu-system-aarch64
        if [ "$emu" = qemu ] && ! command -v $q >/dev/null; then
            echo "# linux/$arch: QEMU not installed, no comparison" >&2
            continue
        fi
        boot "$emu" "$arch" "$tmp/$emu-$arch"
        check_boot "$emu" "$arch" "$tmp/$emu-$arch"
        ran="$ran $emu"
    done
    # compared only when both booted (a failed boot is reported above)
    [ "$ran" = " kasou qemu" ] && grep -q 'KASOU-LINUX-MARKER up' "$tmp/kasou-$arch" && compare "$arch" "$tmp/kasou-$arch" "$tmp/qemu-$arch"
done
exit $status
