#!/bin/sh
# /init of the interactive initramfs (make run-linux): a busybox shell on
# the serial console.  `poweroff -f` ends the machine.
export PATH=/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "KASOU-LINUX-MARKER up"
echo "kasou: busybox shell on $(uname -sr) $(uname -m); 'poweroff -f' ends the machine"
cd /root
# a controlling terminal, so Ctrl-C reaches the shell's children
while true; do
    setsid cttyhack sh -l || sh -l
done
