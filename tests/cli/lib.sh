# Shared by tests/cli/*.sh: result lines and little-endian binary writers
# for building (corrupt or tiny) multiboot kernels with printf.
ok()     { echo "ok - cli/$1"; }
not_ok() { echo "not ok - cli/$1: $2"; }

le16() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $((($1 >> 8) & 255)))"; }
le32() { le16 $(($1 & 65535)); le16 $((($1 >> 16) & 65535)); }
le64() { le32 $(($1 & 0xffffffff)); le32 $((($1 >> 32) & 0xffffffff)); }

MB_MAGIC=0x1BADB002
AOUT=$((1 << 16))                 # multiboot flag: a.out kludge fields follow
mbhdr() { le32 $MB_MAGIC; le32 "$1"; le32 $(((-(MB_MAGIC + $1)) & 0xffffffff)); }   # FLAGS

# aout CODE: an a.out-kludge kernel loaded at 1 MiB, entry right after the
# 32-byte header; CODE is machine code as printf \x.. escapes
aout() {
    mbhdr $AOUT
    le32 0x100000; le32 0x100000; le32 0; le32 0; le32 0x100020
    printf "$1"
}
