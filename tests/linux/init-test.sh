#!/bin/sh
# /init of the test initramfs (tests/linux/run.sh checks every line).
# Each step prints its result between "== name" lines so the host can
# cut the output into sections; the host also timestamps the two lines
# around `sleep 1`.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# kernel messages would interleave with the results on the console
dmesg -n 1
echo "KASOU-LINUX-MARKER up"
echo "== uname"
uname -a
echo "== cpuinfo"
cat /proc/cpuinfo
echo "== interrupts"
cat /proc/interrupts
echo "== date"
date
echo "EPOCH $(date +%s)"
echo "== sha256"
# 8 MiB of a repeated line, made in the guest; the host computes the same
yes kasou-linux-test-pattern-0123456789 | head -c 8388608 > /tmp/pattern
echo "SIZE $(wc -c < /tmp/pattern)"
sha256sum /tmp/pattern
rm /tmp/pattern
echo "== forks"
i=0
while [ $i -lt 200 ]; do
    /bin/sh -c "echo $i >> /tmp/forks" &
    i=$((i + 1))
done
wait
echo "FORKS $(wc -l < /tmp/forks) distinct $(sort -u /tmp/forks | wc -l)"
echo "== sleep"
u0=$(cut -d' ' -f1 /proc/uptime)
echo "SLEEP-BEGIN"
sleep 1
echo "SLEEP-END"
u1=$(cut -d' ' -f1 /proc/uptime)
echo "UPTIME $u0 $u1"
echo "== poweroff"
echo "KASOU-LINUX-MARKER done"
poweroff -f
