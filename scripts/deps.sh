#!/bin/sh
# Installs the Debian packages rsim needs, if any are missing: to build
# (no argument) or to build and test (`deps.sh test`: also xmllint for the
# JUnit schema, Chromium to render the HTML report, python3-jsonschema for
# the results schema).  npm too, for scripts/fetch-libs.sh, unless an npm
# is already on PATH (a nodejs from elsewhere ships its own).  Runs apt-get
# only when something is absent, as root or via sudo.
set -eu
pkgs="meson ninja-build pkg-config gcc liblua5.4-dev libjansson-dev check"
if [ "${1:-}" = test ]; then
	pkgs="$pkgs libxml2-utils chromium python3-jsonschema"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "rsim: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
