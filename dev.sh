#!/bin/sh
# The README's two commands, for a fresh Debian 12 machine:
#   ./dev.sh run    install what is missing, build, run the conformance suite
#                   and write its HTML report (build/rsim-report.html)
#   ./dev.sh test   install what is missing, build, run every test (plain and
#                   sanitizer builds)
# Only make itself is installed here; scripts/deps.sh installs the rest.
set -eu
cd "$(dirname "$0")"
case "${1:-}" in
run|test|bench|valgrind) ;;
*) echo "usage: ./dev.sh run|test|bench|valgrind" >&2; exit 2 ;;
esac
if ! command -v make >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq make >/dev/null
fi
exec make "$1"
