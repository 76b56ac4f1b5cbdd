#!/bin/sh
# End-to-end tests of the `rsim` binary: exit codes, error lines, and
# byte-identical output across separate processes.
# usage: run_test.sh RSIM SOURCE_ROOT
. "$(dirname "$0")/lib.sh"

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
grep -q "^rsim: $tmp/bad.lua:2: clients: expected a whole number or a list of clients, got string$" "$tmp/bad.err"; check "the error names file, line and field" $?

printf 'return {\n  clients = 2,\n  timeline = {\n    { at = 1, disconnect = "Player2" },\n    { at = 2, join = "Player2" },\n    { at = 3, join = "Player1" },\n  },\n}\n' >"$tmp/rejoin.lua"
"$rsim" run "$tmp/rejoin.lua" >/dev/null 2>"$tmp/rejoin.err"; rc=$?
[ "$rc" -eq 2 ]; check "a join of a connected player exits 2" $?
grep -q "^rsim: $tmp/rejoin.lua:6: timeline\[3\]: join: Player1 is still connected at 3 s (joined at 0 s); a player joins again only after a disconnect$" "$tmp/rejoin.err"; check "the error names the entry, its line and the player" $?

"$rsim" run "$tmp/missing.lua" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]; check "a missing file exits 2" $?
"$rsim" run --bogus "$tmp/fail.lua" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]; check "an unknown option exits 2" $?
"$rsim" frobnicate >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ]; check "an unknown command exits 2" $?

for ex in "$root"/examples/*.lua; do
	"$rsim" run "$ex" >/dev/null 2>&1; check "example $(basename "$ex") passes" $?
done

"$rsim" run "$root/examples/hello.lua" --seed 5 >"$tmp/s5.out" 2>&1; rc=$?
check "--seed is accepted" "$rc"

# the suite: same JSON with one worker and two, and twice in a row
if [ -d "$root/scenarios" ]; then
	(cd "$root" && "$rsim" conformance scenarios -j 1 --no-html --json "$tmp/j1.json" >"$tmp/c1.out" 2>&1)
	(cd "$root" && "$rsim" conformance scenarios -j 2 --no-html --json "$tmp/j2.json" >"$tmp/c2.out" 2>&1)
	cmp -s "$tmp/j1.json" "$tmp/j2.json"; check "conformance JSON is the same with -j 1 and -j 2" $?
	(cd "$root" && "$rsim" conformance scenarios -j 2 --no-html --json "$tmp/j3.json" >/dev/null 2>&1)
	cmp -s "$tmp/j2.json" "$tmp/j3.json"; check "two suite runs write the same JSON" $?
	grep -q "^total" "$tmp/c1.out"; check "the suite prints a table with totals" $?
	# shards merged give the unsplit document
	(cd "$root" && "$rsim" conformance scenarios --shard 1/2 --no-html --json "$tmp/s1.json" >/dev/null 2>&1)
	(cd "$root" && "$rsim" conformance scenarios --shard 2/2 --no-html --json "$tmp/s2.json" >/dev/null 2>&1)
	"$rsim" report "$tmp/s1.json" "$tmp/s2.json" --json "$tmp/merged.json" >/dev/null 2>&1
	cmp -s "$tmp/j1.json" "$tmp/merged.json"; check "merged shards equal the unsplit run" $?
fi

# a broken scenario in a suite is an error in the table, not a crash
mkdir -p "$tmp/suite/s"
printf 'return { section = "s", clients = 0, server = "print(1)", expect = { output = { "server: 1" } } }\n' >"$tmp/suite/s/good.lua"
printf 'return { section = "s", clients = "x" }\n' >"$tmp/suite/s/bad.lua"
"$rsim" conformance "$tmp/suite" --no-html >"$tmp/suite.out" 2>&1; rc=$?
[ "$rc" -eq 1 ]; check "a suite with a broken file exits 1" $?
grep -Eq '^s +1 +0 +0 +0 +1$' "$tmp/suite.out"; check "the broken file counts as an error, the good one passes" $?

# rsim new writes a skeleton that runs
(cd "$tmp" && "$rsim" new my-section my-first >/dev/null 2>&1 && "$rsim" run scenarios/my-section/my-first.lua >/dev/null 2>&1); rc=$?
[ "$rc" -eq 0 ]; check "rsim new writes a scenario that passes" $?
(cd "$tmp" && "$rsim" new my-section my-first >/dev/null 2>&1); rc=$?
[ "$rc" -eq 2 ]; check "rsim new refuses to overwrite" $?

# a bad Rojo project: exit 2, and the error names the project file, the
# line and the field, not the scenario
mkdir -p "$tmp/proj"
printf 'return { project = "default.project.json", server = "print(1)" }\n' >"$tmp/proj/s.lua"
proj_case() { # name, project text, expected error line (after "rsim: ")
	printf '%b' "$2" >"$tmp/proj/default.project.json"
	"$rsim" run "$tmp/proj/s.lua" >/dev/null 2>"$tmp/proj.err"; rc=$?
	[ "$rc" -eq 2 ]; check "a project with $1 exits 2" $?
	grep -qxF "rsim: $3" "$tmp/proj.err"; check "the error of $1 names file, line and field" $?
}
pf="$tmp/proj/default.project.json"
proj_case "a missing \$path" '{ "name": "t", "tree": {\n  "$className": "DataModel",\n  "ReplicatedStorage": { "X": { "$path": "nope" } } } }' \
	"$pf:3: tree.ReplicatedStorage.X.\$path: nope: No such file or directory"
proj_case "invalid JSON" '{ "name": "t",\n  "tree": { , } }' \
	"$pf:2: not valid JSON: string or '}' expected near ','"
proj_case "an unknown \$field" '{ "name": "t", "tree": {\n  "$className": "DataModel",\n  "$classname": "x" } }' \
	"$pf:3: tree.\$classname: unknown field (known: \$className, \$path, \$properties, \$attributes, \$ignoreUnknownInstances, \$id)"
proj_case "an unknown project field" '{ "name": "t",\n  "colour": 1,\n  "tree": { "$className": "DataModel" } }' \
	"$pf:2: colour: unknown field of a project file"
proj_case "an unknown class" '{ "name": "t", "tree": { "$className": "DataModel",\n  "Workspace": { "X": { "$className": "Spaceship" } } } }' \
	"$pf:2: tree.Workspace.X.\$className: rsim does not model the class Spaceship"
proj_case "an unknown property" '{ "name": "t", "tree": { "$className": "DataModel",\n  "Workspace": { "X": { "$className": "Part",\n    "$properties": { "Wings": 2 } } } } }' \
	"$pf:3: tree.Workspace.X.\$properties.Wings: rsim does not model the property Wings of Part"
proj_case "a wrong value type" '{ "name": "t", "tree": { "$className": "DataModel",\n  "Workspace": { "X": { "$className": "Part",\n    "$properties": { "Anchored": "yes" } } } } }' \
	"$pf:3: tree.Workspace.X.\$properties.Anchored: expected true or false, got a string"
proj_case "a project that includes itself" '{ "name": "t", "tree": { "$className": "DataModel",\n  "Workspace": { "X": { "$path": "." } } } }' \
	"$tmp/proj/./default.project.json: the project includes itself"
proj_case "a non-DataModel root" '{ "name": "t", "tree": { "$className": "Folder" } }' \
	"$pf: tree: a game's project has a DataModel at its root (\"\$className\": \"DataModel\"); this one makes a Folder"
mkdir -p "$tmp/proj/src"
printf 'x' >"$tmp/proj/src/M.rbxm"
proj_case "a .rbxm file" '{ "name": "t", "tree": { "$className": "DataModel",\n  "Workspace": { "X": { "$path": "src" } } } }' \
	"$tmp/proj/src/M.rbxm: rsim does not read .rbxm files; leave it out with the project's globIgnorePaths"
printf '{ "name": "t", "globIgnorePaths": ["src/*.rbxm"],\n  "tree": { "$className": "DataModel",\n  "Workspace": { "X": { "$path": "src" } } } }' >"$pf"
"$rsim" run "$tmp/proj/s.lua" >/dev/null 2>&1; check "globIgnorePaths leaves a .rbxm file out" $?
rm "$tmp/proj/src/M.rbxm"
ln -s . "$tmp/proj/src/self"
proj_case "a symlink loop" '{ "name": "t", "tree": { "$className": "DataModel",\n  "Workspace": { "X": { "$path": "src" } } } }' \
	"$tmp/proj/src/self: the folder is inside itself (a symbolic link to a folder above it?)"
rm "$tmp/proj/src/self"

# a hostile scenario table: exit 2 and a line naming the file
scen_case() { # name, scenario text, expected error line (after "rsim: ")
	printf '%b' "$2" >"$tmp/hostile.lua"
	"$rsim" run "$tmp/hostile.lua" >/dev/null 2>"$tmp/hostile.err"; rc=$?
	[ "$rc" -eq 2 ]; check "a scenario with $1 exits 2" $?
	grep -qxF "rsim: $3" "$tmp/hostile.err"; check "the error of $1 names file, line and field" $?
}
hf="$tmp/hostile.lua"
scen_case "an erroring __index" 'return setmetatable({\n  clients = "x" }, { __index = function() error("boom") end })\n' \
	"$hf:2: clients: expected a whole number or a list of clients, got string"
scen_case "a cyclic tree" 'local t = {}; t.X = t; return { tree = { Workspace = t } }\n' \
	"$hf:1: tree.Workspace.X: the table is inside itself (it is also tree.Workspace)"
scen_case "an infinite timeline latency" 'return { timeline = {\n  { at = 1, latency = 1/0 } } }\n' \
	"$hf:2: timeline[1].latency: expected a number from 0 to 3600, got inf"
scen_case "a malformed expect pattern" 'return { clients = 0, server = "print(1)",\n  expect = { output = { { match = "[" } } } }\n' \
	"$hf:2: output[1].match: malformed pattern (missing ']')"

# rsim report checks the field types of a results file: exit 2, file and field
printf '{"schema_version": 1, "sections": [], "scenarios": [\n {"file": "a.lua", "status": 3}]}\n' >"$tmp/badstatus.json"
"$rsim" report "$tmp/badstatus.json" >/dev/null 2>"$tmp/badstatus.err"; rc=$?
[ "$rc" -eq 2 ]; check "a results file with a numeric status exits 2" $?
grep -qxF "rsim report: $tmp/badstatus.json: scenarios[0].status: expected one of \"pass\", \"fail\", \"error\", \"xfail\", \"xpass\", got an integer" "$tmp/badstatus.err"; check "the error names the results file and the field" $?
printf '{"schema_version": 1, "sections": [], "scenarios": [\n {"file": null, "status": "pass"}]}\n' >"$tmp/nullfile.json"
"$rsim" report "$tmp/nullfile.json" >/dev/null 2>"$tmp/nullfile.err"; rc=$?
[ "$rc" -eq 2 ]; check "a results file with a null file exits 2" $?
grep -qxF "rsim report: $tmp/nullfile.json: scenarios[0].file: expected a string, got null" "$tmp/nullfile.err"; check "the error names the null field" $?

# --bless writes the output into expect.output
printf 'return { clients = 0, server = [[print("a") print("b")]] }\n' >"$tmp/bless.lua"
"$rsim" run --bless "$tmp/bless.lua" >/dev/null 2>&1
grep -q '"server: b",' "$tmp/bless.lua"; check "--bless writes the lines into the file" $?
"$rsim" run "$tmp/bless.lua" >/dev/null 2>&1; check "a blessed scenario passes" $?

echo "1..$n"
[ "$fails" -eq 0 ]
