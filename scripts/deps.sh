#!/bin/sh
# Installs the Debian packages rsim needs to build and test, if any are
# missing.  Runs apt-get only when something is absent, as root or via sudo.
set -eu
pkgs="meson ninja-build pkg-config gcc liblua5.4-dev libjansson-dev check"
pkgs="$pkgs ${RSIM_EXTRA_PKGS:-}"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "rsim: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
