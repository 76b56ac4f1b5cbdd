#!/bin/sh
# End-to-end tests of the `rsim` binary: exit codes, error lines, and
# byte-identical output across separate processes.
# usage: run_test.sh RSIM SOURCE_ROOT
set -u
rsim=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0

check() { # name, condition result
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi
}

"$rsim" run "$root/examples/hello.lua" >"$tmp/a.out" 2>&1; rc=$?
check "hello example passes" "$rc"
"$rsim" run "$root/examples/hello.lua" >"$tmp/b.out" 2>&1
cmp -s "$tmp/a.out" "$tmp/b.out"; check "two processes print the same bytes" $?
grep -q '^\[1.000\] server: server tick 1 after 1$' "$tmp/a.out"; check "times come from task.wait" $?
grep -q '^\[0.500\] Player2: client says hi at 0.5$' "$tmp/a.out"; check "clients are named Player1..N" $?

printf 'return { clients = 1, server = "error(\\"boom\\")" }\n' >"$tmp/fail.lua"
"$rsim" run "$tmp/fail.lua" >"$tmp/fail.out" 2>&1; rc=$?
[ "$rc" -eq 1 ]; check "a failing scenario exits 1" $?
grep -q "replay: rsim run $tmp/fail.lua --seed 0" "$tmp/fail.out"; check "a failing scenario prints its replay command" $?

printf 'return {\n  clients = "x",\n}\n' >"$tmp/bad.lua"
"$rsim" run "$tmp/bad.lua" >"$tmp/bad.out" 2>"$tmp/bad.err"; rc=$?
[ "$rc" -eq 2 ]; check "a malformed scenario exits 2" $?
grep -q "^rsim: $tmp/bad.lua:2: clients: expected a whole number, got string$" "$tmp/bad.err"; check "the error names file, line and field" $?

"$rsim" run "$tmp/missing.lua" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]; check "a missing file exits 2" $?
"$rsim" run --bogus "$tmp/fail.lua" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]; check "an unknown option exits 2" $?
"$rsim" frobnicate >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]; check "an unknown command exits 2" $?

"$rsim" run "$root/examples/hello.lua" --seed 5 >"$tmp/s5.out" 2>&1; rc=$?
check "--seed is accepted" "$rc"

echo "1..$n"
[ "$fails" -eq 0 ]
