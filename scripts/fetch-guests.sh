#!/bin/bash
# Fetch Debian's kernel and static busybox for the Linux guests and build
# their initramfs images, once, into the git-ignored cache/ (re-runs reuse
# it).  Packages are fetched with `apt-get download` and unpacked with
# `dpkg -x`: nothing is ever installed, so foreign architectures are safe.
#   fetch-guests.sh [amd64|i386|arm64]...     (default: amd64 i386)
# Per architecture it leaves in cache/linux/ARCH/:
#   vmlinuz          the kernel of linux-image-*-amd64 / -686 (bzImage) or
#                    -arm64 (a gzip'd arm64 Image, which -M virt's loader takes)
#   initramfs-test.cpio.gz   /init = tests/linux/init-test.sh (prints, powers off)
#   initramfs-shell.cpio.gz  /init = tests/linux/init-shell.sh (interactive shell)
#   version          the kernel and busybox package versions used
set -e
cd "$(dirname "$0")/.."
top=$PWD
cache=$top/cache/linux
[ $# -eq 0 ] && set -- amd64 i386

die() { echo "kasou: fetch-guests: $*" >&2; exit 1; }

need_arch() {
    local a=$1
    [ "$a" = "$(dpkg --print-architecture)" ] && return 0
    dpkg --print-foreign-architectures | grep -qx "$a" && return 0
    if [ "$(id -u)" != 0 ]; then
        die "Debian architecture $a is not enabled (run: sudo dpkg --add-architecture $a && sudo apt-get update)"
    fi
    echo "kasou: enabling the $a package lists (dpkg --add-architecture $a; apt-get update)"
    dpkg --add-architecture "$a"
    added_arch="$added_arch $a"
    # a partly failed update (one mirror syncing) still gives usable lists
    local err
    err=$(apt-get update -qq 2>&1 >/dev/null | grep -m1 '^E:' || true)
    [ -z "$err" ] || echo "kasou: apt-get update: ${err#E: } (going on with the lists it got)"
}

# The versioned image package a meta package (linux-image-amd64) points at.
real_kernel_pkg() {
    local meta=$1 dep
    dep=$(apt-cache depends "$meta" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    [ -n "$dep" ] || die "cannot resolve $meta to a versioned kernel package (apt-get update?)"
    echo "${dep%%:*}"
}

# Download package $1 (name:arch) into $2 and unpack it into $3.
fetch_unpack() {
    local pkg=$1 dl=$2 root=$3 deb
    mkdir -p "$dl" "$root"
    (cd "$dl" && apt-get download -qq "$pkg" >/dev/null 2>"$dl/apt.err") ||
        die "apt-get download $pkg failed: $(head -n1 "$dl/apt.err")"
    deb=$(ls -t "$dl"/"${pkg%%:*}"_*.deb | head -n1)
    dpkg -x "$deb" "$root"
    basename "$deb"
}

# Applets linked in the initramfs (as symlinks: a foreign busybox cannot
# run --install on the host).  The shell image wants a usable toolbox.
APPLETS="sh ash cat echo ls mount umount mkdir rm cp mv ln uname date sleep seq
 sha256sum md5sum yes head tail wc grep sed awk tr cut sort uniq poweroff reboot halt
 true false dmesg ps kill free uptime sync setsid cttyhack hostname env printf
 test [ expr od hexdump find xargs vi less more clear stty dd chmod touch stat
 mdev mknod top watch time tee basename dirname which id whoami df du nproc"

# One newc cpio header + name for a device node (GNU cpio cannot archive a
# device it cannot create, and creating one needs root).
newc_node() {
    local name=$1 mode=$2 major=$3 minor=$4 len
    len=$((${#name} + 1))
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        1 "$mode" 0 0 1 0 0 0 0 "$major" "$minor" "$len" 0
    printf '%s\0' "$name"
    # header (110 bytes) + name padded to 4 bytes
    printf '%*s' $(( (4 - (110 + len) % 4) % 4 )) '' | tr ' ' '\0'
}

build_initramfs() {
    local dir=$1 busybox=$2 init=$3 out=$4 a
    rm -rf "$dir"
    mkdir -p "$dir"/bin "$dir"/sbin "$dir"/proc "$dir"/sys "$dir"/dev "$dir"/tmp "$dir"/root
    cp "$busybox" "$dir/bin/busybox"
    for a in $APPLETS; do
        [ -e "$dir/bin/$a" ] || ln -s busybox "$dir/bin/$a"
    done
    cp "$init" "$dir/init"
    chmod 755 "$dir/init" "$dir/bin/busybox"
    {
        (cd "$dir" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0)
        # /dev/console before devtmpfs is mounted: the kernel opens it for
        # init's stdin/out/err.  The kernel reads concatenated archives.
        newc_node dev/console $((0020600)) 5 1
        printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' 0 0 0 0 1 0 0 0 0 0 0 11 0
        printf 'TRAILER!!!\0\0\0\0'
    } | gzip -9n > "$out.tmp"
    mv "$out.tmp" "$out"
}

# Architectures enabled here are disabled again when done (nothing of them
# is installed): the machine's apt state is left as it was.
added_arch=""
restore_arch() {
    local a
    for a in $added_arch; do
        dpkg --remove-architecture "$a" 2>/dev/null || true
    done
}
trap restore_arch EXIT

for arch in "$@"; do
    case "$arch" in
    amd64) meta=linux-image-amd64 ;;
    i386)  meta=linux-image-686 ;;
    arm64) meta=linux-image-arm64 ;;
    *) die "unknown architecture '$arch' (amd64, i386 or arm64)" ;;
    esac
    dest=$cache/$arch
    init_test=tests/linux/init-test.sh
    init_shell=tests/linux/init-shell.sh
    if [ ! -s "$dest/vmlinuz" ] || [ ! -x "$dest/busybox" ]; then
        need_arch "$arch"
        kpkg=$(real_kernel_pkg "$meta:$arch")
        echo "kasou: fetching $kpkg:$arch and busybox-static:$arch into cache/linux/$arch"
        rm -rf "$dest/root"
        kdeb=$(fetch_unpack "$kpkg:$arch" "$dest/debs" "$dest/root")
        bdeb=$(fetch_unpack "busybox-static:$arch" "$dest/debs" "$dest/root")
        vmlinuz=$(ls "$dest"/root/boot/vmlinuz-* 2>/dev/null | head -n1)
        [ -n "$vmlinuz" ] || die "$kdeb has no /boot/vmlinuz-*"
        [ -x "$dest/root/bin/busybox" ] || die "$bdeb has no /bin/busybox"
        cp "$vmlinuz" "$dest/vmlinuz.tmp"
        cp "$dest/root/bin/busybox" "$dest/busybox"
        printf '%s\n%s\n' "$kdeb" "$bdeb" > "$dest/version"
        mv "$dest/vmlinuz.tmp" "$dest/vmlinuz"
        rm -rf "$dest/root" "$dest/debs"
    fi
    # the images follow the init scripts
    if [ ! -s "$dest/initramfs-test.cpio.gz" ] || [ "$init_test" -nt "$dest/initramfs-test.cpio.gz" ] ||
       [ "$0" -nt "$dest/initramfs-test.cpio.gz" ]; then
        build_initramfs "$dest/tree" "$dest/busybox" "$init_test" "$dest/initramfs-test.cpio.gz"
    fi
    if [ ! -s "$dest/initramfs-shell.cpio.gz" ] || [ "$init_shell" -nt "$dest/initramfs-shell.cpio.gz" ] ||
       [ "$0" -nt "$dest/initramfs-shell.cpio.gz" ]; then
        build_initramfs "$dest/tree" "$dest/busybox" "$init_shell" "$dest/initramfs-shell.cpio.gz"
    fi
    rm -rf "$dest/tree"
done
