#!/bin/bash
# decodegen's own tests: every malformed pattern file is refused with a
# message naming the problem, and good ones generate C that compiles and
# extracts fields as declared.   decodegen.sh <decodegen binary>
gen=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# refuse <name> <expected message fragment> <file text>
refuse() {
    printf '%s\n' "$3" > "$tmp/in.decode"
    if "$gen" --check "$tmp/in.decode" 2> "$tmp/err"; then
        echo "not ok - decodegen/$1: accepted"
    elif ! grep -q -- "$2" "$tmp/err"; then
        echo "not ok - decodegen/$1: message '$(head -1 "$tmp/err")' lacks '$2'"
    else
        echo "ok - decodegen/$1"
    fi
}
refuse overlap "overlaps A" "A  0000 .... .... .... .... .... .... ....
B  00.0 1... .... .... .... .... .... ...."
refuse short "covers 31 bits" "A  0000 .... .... .... .... .... .... ..."
refuse long "more than 32 bits" "A  0000 .... .... .... .... .... .... ..... "
refuse field-past-end "runs past bit 0" "A  0000 .... .... .... .... .... .... ... x:2"
refuse bad-bit "bad bit" "A  0000 .... .... .... .... .... .... ...2"
refuse dup-field "given twice" "A  x:4 x:4 .... .... .... .... .... ...."
refuse shadowed "can never match" "{
A  0000 .... .... .... .... .... .... ....
B  0000 1... .... .... .... .... .... ....
}"
refuse field-list "field list differs" "A  0000 x:4 .... .... .... .... .... ....
A  0001 y:4 .... .... .... .... .... ...."
refuse open-group "group not closed" "{
A  0000 .... .... .... .... .... .... ...."
refuse bad-name "bad pattern name" "9A  0000 .... .... .... .... .... .... ...."

# a group may overlap, and fields come out where declared, signed or not
cat > "$tmp/ok.decode" <<'DEC'
{
SPECIAL  1111 0000 .... .... .... .... .... ....
GENERAL  1111 op:4 imm:s8 .... .... .... rd:4   k=7
}
OTHER    0 lo:3 .... .... .... .... .... .... ....
DEC
if ! "$gen" "$tmp/ok.decode" "$tmp/ok.inc" 2> "$tmp/err"; then
    echo "not ok - decodegen/generate: $(head -1 "$tmp/err")"
    exit 0
fi
echo "ok - decodegen/generate (group overlap allowed)"
cat > "$tmp/t.c" <<'C'
#include <stdio.h>
typedef struct Ctx { int last; int rd, imm, k, op; } Ctx;
#define A64_DECODE_CTX Ctx
#include "ok.inc"
static bool trans_SPECIAL(Ctx *c, arg_SPECIAL *a) { c->last = 1; return false; }
static bool trans_GENERAL(Ctx *c, arg_GENERAL *a) { c->last = 2; c->rd = a->rd; c->imm = a->imm; c->k = a->k; c->op = a->op; return true; }
static bool trans_OTHER(Ctx *c, arg_OTHER *a) { c->last = 3; return a->lo == 5; }
int main(void)
{
    Ctx c = { 0 };
    int fails = 0;
    /* SPECIAL declines, GENERAL takes it: rd 0xa, imm -2 (0xfe), k 7 */
    if (!a64_decode(&c, 0xf0fe000au) || c.last != 2 || c.rd != 10 || c.imm != -2 || c.k != 7 || c.op != 0)
        fails++, printf("not ok - decodegen/extract: rd %d imm %d k %d op %d\n", c.rd, c.imm, c.k, c.op);
    else
        printf("ok - decodegen/extract (signed field, constant, group fallthrough)\n");
    if (a64_decode(&c, 0x40000000u) || c.last != 3 || !a64_decode(&c, 0x50000000u))
        fails++, printf("not ok - decodegen/handler-verdict\n");
    else
        printf("ok - decodegen/handler-verdict\n");
    if (a64_decode(&c, 0x80000000u) || a64_match(0x80000000u) != -1)
        printf("not ok - decodegen/no-match\n");
    else
        printf("ok - decodegen/no-match\n");
    return 0;
}
C
if ! ${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -I"$tmp" -o "$tmp/t" "$tmp/t.c" 2> "$tmp/err"; then
    echo "not ok - decodegen/compile: $(head -1 "$tmp/err")"
    exit 0
fi
"$tmp/t"
exit 0
