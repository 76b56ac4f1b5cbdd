#!/bin/sh
# End-to-end tests of the reports: the conformance run's JSON is the same
# bytes run twice, with -j 1 and -j 2, and merged from shards; the JUnit
# XML validates against reports/junit.xsd; the JSON against
# reports/results.schema.json (when python3-jsonschema is there); the HTML
# renders in headless Chromium (when it is there) with the section table, a
# transcript and a sequence diagram in the DOM and no script injected by a
# scenario's output; `rsim trace --chrome` writes trace-event JSON.
# usage: report_test.sh RSIM SOURCE_ROOT
. "$(dirname "$0")/lib.sh"
skip() { # name, why
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

cd "$root" || exit 1
# the suite's exit code says whether outcomes were unexpected: not our test
"$rsim" conformance --json "$tmp/a.json" --junit "$tmp/a.xml" --html "$tmp/a.html" >"$tmp/a.out" 2>&1
[ -s "$tmp/a.json" ] && [ -s "$tmp/a.xml" ] && [ -s "$tmp/a.html" ]; check "conformance writes JSON, JUnit and HTML" $?
ls "$tmp" | grep -q '\.tmp-'; [ $? -ne 0 ]; check "no temporary files are left behind" $?

"$rsim" conformance --json "$tmp/b.json" --no-html >/dev/null 2>&1
cmp -s "$tmp/a.json" "$tmp/b.json"; check "two runs give byte-identical JSON" $?
"$rsim" conformance -j 2 --json "$tmp/j2.json" --no-html >/dev/null 2>&1
cmp -s "$tmp/a.json" "$tmp/j2.json"; check "-j 1 and -j 2 give byte-identical JSON" $?
"$rsim" conformance --shard 1/2 --json "$tmp/s1.json" --no-html >/dev/null 2>&1
"$rsim" conformance --shard 2/2 --json "$tmp/s2.json" --no-html >/dev/null 2>&1
"$rsim" report "$tmp/s2.json" "$tmp/s1.json" --json "$tmp/m.json" --html "$tmp/m.html" >/dev/null 2>&1
cmp -s "$tmp/a.json" "$tmp/m.json"; check "merged shards equal the unsplit run" $?
cmp -s "$tmp/a.html" "$tmp/m.html"; check "the merged HTML equals the unsplit run's" $?
grep -q '"shard": "1/2"' "$tmp/s1.json"; check "a shard's document names its shard" $?
grep -Eq '"(started|finished|timestamp|date)"' "$tmp/a.json"; [ $? -ne 0 ]; check "no wall-clock fields in the JSON" $?

if command -v xmllint >/dev/null 2>&1; then
	xmllint --schema "$root/reports/junit.xsd" --noout "$tmp/a.xml" >"$tmp/xsd.out" 2>&1
	check "the JUnit XML validates against reports/junit.xsd" $?
else
	skip "the JUnit XML validates against reports/junit.xsd" "no xmllint"
fi

if python3 -c 'import jsonschema' >/dev/null 2>&1; then
	python3 - "$root/reports/results.schema.json" "$tmp/a.json" "$tmp/s1.json" >"$tmp/schema.out" 2>&1 <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
for p in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(p))):
        print(p, list(e.absolute_path), e.message[:300])
        bad = 1
sys.exit(bad)
EOF
	check "the JSON validates against reports/results.schema.json" $?
else
	skip "the JSON validates against reports/results.schema.json" "no python3-jsonschema"
fi

# A failing scenario that prints markup, and one that cannot be loaded.
mkdir -p "$tmp/sc/remote-events/client-server"
cat >"$tmp/sc/remote-events/client-server/markup.lua" <<'EOF'
return {
  section = "remote-events/client-server",
  title = "prints <script> & fails",
  clients = 2,
  tree = { ReplicatedStorage = { RemoteEvent = "RemoteEvent" } },
  server = [[
game.ReplicatedStorage.RemoteEvent.OnServerEvent:Connect(function(p, s)
  print(p.Name, s)
end)
]],
  client = [[game.ReplicatedStorage.RemoteEvent:FireServer("<script>alert(1)</script>")]],
  timeline = { { at = 0.5, partition = "Player2", heal_at = 1.0 } },
  expect = { output = { "server: never printed" } },
}
EOF
printf 'return {\n  clients = "x",\n}\n' >"$tmp/sc/remote-events/client-server/broken.lua"
"$rsim" conformance "$tmp/sc" --json "$tmp/f.json" --junit "$tmp/f.xml" --html "$tmp/f.html" >/dev/null 2>&1
grep -q '<failure ' "$tmp/f.xml" && grep -q '<error ' "$tmp/f.xml"; check "JUnit has a failure and a load error" $?
if command -v xmllint >/dev/null 2>&1; then
	xmllint --schema "$root/reports/junit.xsd" --noout "$tmp/f.xml" >/dev/null 2>&1
	check "the failing run's JUnit validates too" $?
fi
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/f.html"; check "script output is escaped in the HTML" $?
[ "$(grep -c '<script' "$tmp/f.html")" -eq 1 ]; check "the HTML has exactly one script element" $?
grep -Eq 'https?://|<link|[[:space:]]src=' "$tmp/f.html"; [ $? -ne 0 ]; check "the HTML references nothing outside itself" $?

chrome=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then chrome=$c; break; fi
done
if [ -n "$chrome" ]; then
	# "#all" makes the report open every scenario, so bodies are in the DOM
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$tmp/chrome" --dump-dom "file://$tmp/f.html#all" \
		>"$tmp/dom.html" 2>"$tmp/chrome.err"
	grep -q 'class="sections"' "$tmp/dom.html"; check "the rendered DOM has the section table" $?
	grep -q 'class="transcript"' "$tmp/dom.html" && grep -q 'alert(1)' "$tmp/dom.html"
	check "the rendered DOM has a transcript" $?
	grep -q '<svg' "$tmp/dom.html" && grep -q 'class="band partition"' "$tmp/dom.html"
	check "the rendered DOM has a sequence diagram with the partition" $?
	grep -q 'data-done="1"' "$tmp/dom.html"; check "the script instantiated the lazy bodies" $?
	[ "$(grep -c '<script' "$tmp/dom.html")" -eq 1 ]; check "no script element was injected" $?
else
	skip "the HTML renders in headless Chromium" "no chromium"
fi

"$rsim" trace "$tmp/sc/remote-events/client-server/markup.lua" --chrome "$tmp/t.json" >/dev/null 2>&1
check "rsim trace --chrome succeeds" $?
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/t.json" <<'EOF'
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
ph = [e["ph"] for e in ev]
assert "M" in ph and "i" in ph and "s" in ph and "f" in ph, ph
assert all(isinstance(e["ts"], int) for e in ev if "ts" in e)
EOF
	check "the Chrome trace parses and has processes, instants and flows" $?
else
	grep -q '"ph":"s"' "$tmp/t.json"; check "the Chrome trace has flow events" $?
fi

echo "1..$n"
[ "$fails" -eq 0 ]
