#!/bin/bash
# Run every test suite given; each prints "ok - name" / "not ok - name".
# A suite that exits non-zero without reporting a failure counts as one.
pass=0; fail=0
for suite in "$@"; do
    echo "== $suite"
    out=$(mktemp)
    bash -c "$suite" > "$out" 2>&1
    rc=$?
    p=$(grep -c '^ok - ' "$out"); f=$(grep -c '^not ok - ' "$out")
    grep '^not ok - ' "$out" | head -50
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok - $suite exited with status $rc"; tail -20 "$out"; f=1
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok - $suite ran no test"; tail -20 "$out"; f=1
    fi
    echo "   $p passed, $f failed"
    pass=$((pass + p)); fail=$((fail + f))
    rm -f "$out"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
