# Sourced by the end-to-end scripts: usage RSIM SOURCE_ROOT, absolute
# paths to both, a temporary folder removed on exit, and check NAME RESULT
# printing TAP lines (the caller ends with: echo "1..$n"; [ "$fails" -eq 0 ]).
set -u
rsim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0

check() { # name, condition result
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi
}
