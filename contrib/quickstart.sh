#!/bin/sh
# Quick start on Debian 12 (run as root): install the build dependencies,
# build in build/, and show what "daxctl list" sees. A machine
# without dax devices gets the listing of a bundled recorded system instead.
set -e
cd "$(dirname "$0")/.."

deps="build-essential autoconf automake libtool pkg-config libkmod-dev \
libudev-dev libjson-c-dev uuid-dev asciidoctor jq fuse3 libfuse3-dev shellcheck"
missing=
for p in $deps; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "== installing:$missing"
	apt-get update -qq
	# shellcheck disable=SC2086 # $missing is a list of package names
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

echo "== building"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [ ! -x configure ] && ! ./autogen.sh >"$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
mkdir -p build
[ -f build/Makefile ] || (cd build && ../configure --quiet)
make -C build -j"$(nproc)" --quiet >/dev/null

if ls /sys/bus/dax/devices/dax* /sys/class/dax/dax* >/dev/null 2>&1; then
	echo "== daxctl list -RDi (this machine)"
	./build/daxctl/daxctl list -RDi
else
	root=$(mktemp -d)
	trap 'rm -rf "$root" "$log"' EXIT
	sh test/fixtures/install.sh hmem-20-system-ram-online "$root"
	echo "== no dax devices here: listing a recorded system (test/fixtures/hmem-20-system-ram-online)"
	./build/daxctl/daxctl --sysroot "$root" list -RDi
fi
