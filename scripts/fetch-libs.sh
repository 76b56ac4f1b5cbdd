#!/bin/sh
# fetch-libs.sh [DEST] -- the real libraries the scenarios in
# scenarios/libraries/ run, unchanged, fetched from npm into DEST (default
# build/libs) and laid out as a roblox-ts game has them:
#
#   DEST/include/RuntimeLib.lua, Promise.lua     (roblox-ts's include/)
#   DEST/node_modules/@rbxts/<name>/             (each package, unpacked)
#   DEST/default.project.json                    (ReplicatedStorage.rbxts_include,
#                                                 as roblox-ts's game template maps it)
#
# Every version is pinned and every tarball is checked against the sha512
# pinned here before it is unpacked. A package already present at its
# version is skipped, so running it again does nothing. Needs npm (and the
# node it runs on); fails with a plain sentence when npm or the registry
# cannot be reached. DEST is build output: never commit it.
set -eu

DEST=${1:-build/libs}

# name version sha512 (as npm's "integrity" prints it). Run-time
# dependencies: none of the four @rbxts packages lists dependencies or
# peerDependencies in its package.json; remo and net find Promise in
# rbxts_include and the rest through the RuntimeLib.
PACKAGES='
roblox-ts 3.0.0 sha512-hwAC2frIFlLJOtHd6F+5opMEhBgfAMK9z5l1mP+bykLBbMO5cn1q5lIwhhXbeh9Pq07rlhF8uGHlmeRLPd/3AA==
@rbxts/remo 1.5.3 sha512-yNw4FXqE06MVDFrgW48anqXWiiiFN5Udvir4f/F9w4tXGTTDXO4xedL3RrVC7d/T+i/omrJxP4MRklH6xJo6DQ==
@rbxts/net 3.0.10 sha512-R+0tKn4/+nmHIVbYgfZsuGq1jxYU5AcKuhyOlSYyzzODTIyJ2QhkyFGjvPSAvEhD+CzeTGKciQt4oy25CWI1oA==
@rbxts/signal 1.1.1 sha512-WX+ONE+ld4pG9PvRkR8OgDld9NpaV1RfXyUIw+Q2oXP/5rehkYzvt20NWtrLAP3NhMc5inYInLd+hnufey6nFw==
@rbxts/t 3.2.1 sha512-/fnf2QSx+TI3HSJ6QW2ikvGQk0mlx/63UXo60pLAKGqbxXiAuTJh88bpKpHw6aCzfFLJAwrVIcgCUOokLMPcag==
'

die() {
	echo "fetch-libs: $*" >&2
	exit 1
}

# Where one package lands in DEST, and the stamp that says which version
# is there.
target_of() {
	case $1 in
	roblox-ts) echo "$DEST/include" ;;
	*) echo "$DEST/node_modules/$1" ;;
	esac
}

stamp_of() {
	echo "$DEST/.stamps/$(echo "$1" | tr / +)"
}

present() { # name version integrity
	stamp=$(stamp_of "$1")
	[ -d "$(target_of "$1")" ] && [ -f "$stamp" ] &&
		[ "$(cat "$stamp")" = "$1@$2 $3" ]
}

work=
trap '[ -z "$work" ] || rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# fetch NAME VERSION INTEGRITY: npm pack, check, unpack into its target.
fetch() {
	if [ -z "$work" ]; then
		command -v npm >/dev/null 2>&1 ||
			die "npm is not installed; it is needed to fetch the libraries into $DEST (Debian: apt-get install npm)"
		command -v node >/dev/null 2>&1 ||
			die "node is not installed; npm needs it (Debian: apt-get install nodejs)"
		mkdir -p "$DEST/.stamps" "$DEST/node_modules/@rbxts"
		work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-libs.XXXXXX")
	fi
	echo "fetch-libs: $1@$2"
	dir="$work/$(echo "$1" | tr / +)"
	mkdir -p "$dir"
	if ! (cd "$dir" && npm pack --loglevel=error --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 "$1@$2" >npm.out 2>npm.err); then
		sed 's/^/  /' "$dir/npm.err" >&2
		die "npm pack $1@$2 failed: is the npm registry reachable?"
	fi
	tgz="$dir/$(tail -n 1 "$dir/npm.out")"
	[ -f "$tgz" ] || die "npm pack $1@$2 wrote no tarball"
	got="sha512-$(node -e 'const c = require("crypto"), f = require("fs");
		process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
	[ "$got" = "$3" ] ||
		die "$1@$2: tarball integrity is $got, expected $3; not unpacked"
	mkdir "$dir/x"
	tar -xzf "$tgz" -C "$dir/x" --no-same-owner
	case $1 in
	roblox-ts) src="$dir/x/package/include" ;;
	*) src="$dir/x/package" ;;
	esac
	[ -d "$src" ] || die "$1@$2: the tarball has no ${src#"$dir/x/"} folder"
	target=$(target_of "$1")
	rm -rf "$target"
	mv "$src" "$target"
	echo "$1@$2 $3" >"$(stamp_of "$1")"
}

# A here-document, not a pipe: die must end the script, not a subshell.
while read -r name version integrity; do
	[ -n "$name" ] || continue
	present "$name" "$version" "$integrity" || fetch "$name" "$version" "$integrity"
done <<EOF
$PACKAGES
EOF

# As roblox-ts's game template maps them: include/ is rbxts_include and
# node_modules/@rbxts sits in it, so TS.getModule finds every package by
# walking up from any script. package.json files are left out as in the
# template (Rojo would make them ModuleScripts).
project="$DEST/default.project.json"
cat >"$project.new" <<'EOF'
{
  "name": "rbxts-libs",
  "globIgnorePaths": ["**/package.json", "**/tsconfig.json"],
  "tree": {
    "$className": "DataModel",
    "ReplicatedStorage": {
      "$className": "ReplicatedStorage",
      "rbxts_include": {
        "$path": "include",
        "node_modules": {
          "$className": "Folder",
          "@rbxts": { "$path": "node_modules/@rbxts" }
        }
      }
    }
  }
}
EOF
if cmp -s "$project.new" "$project"; then
	rm -f "$project.new"
else
	mv "$project.new" "$project"
fi
