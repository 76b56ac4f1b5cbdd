#!/bin/sh
# End-to-end tests of a Rojo game in rsim: the scenarios of
# examples/shop, and `rsim play` (exit codes, what fails a game, what
# does not).
# usage: game_test.sh RSIM SOURCE_ROOT
. "$(dirname "$0")/lib.sh"

for t in "$root"/examples/shop/tests/*.lua; do
	"$rsim" run "$t" >"$tmp/t.out" 2>&1; rc=$?
	check "shop scenario $(basename "$t") passes" "$rc"
done

# play: the sample game with two idle players runs clean
"$rsim" play "$root/examples/shop/default.project.json" --clients 2 --duration 3 >"$tmp/play.out" 2>&1; rc=$?
check "rsim play runs the shop with two players" "$rc"
grep -q '^\[0.000\] server: shop open: Welcome to the shop!$' "$tmp/play.out"; check "play prints the game's transcript" $?
grep -q '^PASS: .*default.project.json (0 errors, 0 threads still waiting)$' "$tmp/play.out"; check "play ends with its summary" $?
"$rsim" play "$root/examples/shop/default.project.json" --clients 2 --duration 3 --latency 0.2 >"$tmp/play2.out" 2>&1
grep -q '^\[0.600\] Player2: true bought Sword, 10 coins left$' "$tmp/play2.out"; check "play takes network options" $?
"$rsim" play "$root/examples/shop/default.project.json" --clients 2 --duration 3 >"$tmp/play3.out" 2>&1
cmp -s "$tmp/play.out" "$tmp/play3.out"; check "two plays print the same bytes" $?

# a game: a server loop and a listener are a live game; a WaitForChild that
# never resolves and a script error are faults
mkdir -p "$tmp/g/src"
cat >"$tmp/g/default.project.json" <<'JSON'
{ "name": "g", "tree": { "$className": "DataModel",
  "ServerScriptService": { "Main": { "$path": "src/main.server.luau" } },
  "StarterPlayer": { "StarterPlayerScripts": { "$path": "src/client" } } } }
JSON
mkdir -p "$tmp/g/src/client"
printf 'game:GetService("Players").PlayerAdded:Wait()\nprint("first player")\ngame:GetService("Players").PlayerAdded:Wait()\n' >"$tmp/g/src/main.server.luau"
printf 'print("client up")\n' >"$tmp/g/src/client/ok.client.luau"
"$rsim" play "$tmp/g/default.project.json" --duration 2 >"$tmp/g.out" 2>&1; rc=$?
check "a game waiting on an event passes" "$rc"
grep -q '^waiting: server: ServerScriptService.Main:3 waits on ' "$tmp/g.out"; check "play lists the threads still waiting" $?
printf 'game:GetService("ReplicatedStorage"):WaitForChild("Nope")\n' >"$tmp/g/src/client/stuck.client.luau"
"$rsim" play "$tmp/g/default.project.json" --duration 6 >"$tmp/g2.out" 2>&1; rc=$?
[ "$rc" -eq 1 ]; check "a WaitForChild that never resolves fails the game" $?
grep -q "^replay: rsim play $tmp/g/default.project.json --clients 1 --duration 6 --seed 0$" "$tmp/g2.out"; check "a failed play prints its replay command" $?
rm "$tmp/g/src/client/stuck.client.luau"
printf 'local t = nil\nprint(t.x)\n' >"$tmp/g/src/client/bad.client.luau"
"$rsim" play "$tmp/g/default.project.json" --duration 1 >"$tmp/g3.out" 2>&1; rc=$?
[ "$rc" -eq 1 ]; check "a script error fails the game" $?
grep -q "error: Players.Player1.PlayerScripts.bad:2: attempt to index a nil value" "$tmp/g3.out"; check "the error names the script by its place in the tree" $?
grep -q "^        at $tmp/g/src/client/bad.client.luau:2$" "$tmp/g3.out"; check "under the error, the Rojo file and line to open" $?
rm "$tmp/g/src/client/bad.client.luau"
printf 'print("a")\nlocal x = = 1\n' >"$tmp/g/src/client/broken.client.luau"
"$rsim" play "$tmp/g/default.project.json" --duration 1 >"$tmp/g4.out" 2>"$tmp/g4.err"; rc=$?
[ "$rc" -eq 2 ]; check "a script that does not compile is bad input (exit 2)" $?
grep -q "^rsim: $tmp/g/src/client/broken.client.luau:2: Expected identifier when parsing expression, got '='$" "$tmp/g4.err"; check "its error names the file and line" $?
[ ! -s "$tmp/g4.out" ]; check "and nothing runs" $?
rm "$tmp/g/src/client/broken.client.luau"

# bad projects and options: exit 2 with the file and the field
printf '{ "name": "x", "tree": { "$className": "DataModel",\n  "Workspace": { "$path": "nowhere" } } }\n' >"$tmp/bad.project.json"
"$rsim" play "$tmp/bad.project.json" >/dev/null 2>"$tmp/bad.err"; rc=$?
[ "$rc" -eq 2 ]; check "a project with a missing \$path exits 2" $?
grep -q "^rsim: $tmp/bad.project.json:2: tree.Workspace.\$path: nowhere: No such file or directory$" "$tmp/bad.err"; check "the error names file, line and field" $?
printf '{ "name": "x",\n  "tree": { "$className": "DataModel", }\n}\n' >"$tmp/bad2.project.json"
"$rsim" play "$tmp/bad2.project.json" >/dev/null 2>"$tmp/bad2.err"; rc=$?
[ "$rc" -eq 2 ]; check "a project that is not JSON exits 2" $?
grep -q "^rsim: $tmp/bad2.project.json:2: not valid JSON" "$tmp/bad2.err"; check "the JSON error has its line" $?
"$rsim" play "$root/examples/shop/default.project.json" --clients -1 >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]; check "a bad option value exits 2" $?
"$rsim" play >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]; check "play without a project exits 2" $?

echo "1..$n"
[ "$fails" -eq 0 ]
