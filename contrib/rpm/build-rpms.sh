#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the RPM packages daxctl, daxctl-libs and daxctl-devel from the
# release tarball with "rpmbuild -ta" (the tarball carries daxctl.spec,
# made from contrib/rpm/daxctl.spec.in), check what each holds, and run
# the daxctl of the packages, unpacked into a scratch directory, on a
# recorded system.
#
#   contrib/rpm/build-rpms.sh [--tarball FILE] [--nocheck] [--outdir DIR]
#
#   --tarball FILE   build from FILE; default: "make dist" in a scratch
#                    build of this source tree
#   --nocheck        skip the spec's %check ("make check")
#   --outdir DIR     keep the .rpm files in DIR
#
# On a machine that is not RPM-based (Debian: apt-get install rpm) the
# build dependencies are Debian packages that rpm does not know of, so
# rpmbuild runs with --nodeps there; they are the same libraries as the
# Debian build's (see contrib/debian/control). The spec's own BuildRequires
# are Fedora's names.
set -eu

me=${0##*/}
die() { echo "$me: $*" >&2; exit 1; }
say() { echo "== $*"; }

src=$(cd "$(dirname "$0")/../.." && pwd)
tarball=
nocheck=no
outdir=
while [ $# -gt 0 ]; do
	case $1 in
	--tarball) [ $# -ge 2 ] || die "--tarball needs a file"
		tarball=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
	--nocheck) nocheck=yes ;;
	--outdir) [ $# -ge 2 ] || die "--outdir needs a directory"
		outdir=$2; shift ;;
	-h|--help) sed -n '4,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done

if ! command -v rpmbuild >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing rpm"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends rpm >/dev/null
	else
		die "rpmbuild not found (Debian: apt-get install rpm)"
	fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/daxctl-rpm.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP

if [ -z "$tarball" ]; then
	say "make dist"
	mkdir "$work/dist"
	[ -x "$src/configure" ] || (cd "$src" && ./autogen.sh >/dev/null)
	(cd "$work/dist" && "$src/configure" --quiet --disable-docs &&
		make --quiet dist >/dev/null) || die "make dist failed"
	tarball=$(ls "$work"/dist/daxctl-*.tar.xz)
fi
[ -f "$tarball" ] || die "no tarball: $tarball"

set -- --define "_topdir $work/rpmbuild"
# rpm's own distributions have the build dependencies as packages it knows
[ -e /etc/debian_version ] && set -- "$@" --nodeps \
	--define "debug_package %{nil}"
[ $nocheck = yes ] && set -- "$@" --nocheck
say "rpmbuild -ta $* $(basename "$tarball")"
if ! rpmbuild -ta "$@" "$tarball" >"$work/build.log" 2>&1; then
	tail -n 60 "$work/build.log"
	die "rpmbuild failed (the end of its log is above)"
fi

rpms=$work/rpmbuild/RPMS
fail=0
# has NAME PATTERN...: the one package NAME-*.rpm holds a file matching
# each PATTERN (a grep -x regular expression)
has() {
	_n=$1
	shift
	_f=$(ls "$rpms"/*/"$_n"-[0-9]*.rpm 2>/dev/null) || {
		echo "MISSING package $_n"
		fail=1
		return
	}
	rpm -qlp "$_f" >"$work/list" 2>/dev/null
	for _p in "$@"; do
		if grep -qx "$_p" "$work/list"; then
			echo "ok   $(basename "$_f"): $_p"
		else
			echo "MISSING $(basename "$_f"): $_p"
			fail=1
		fi
	done
}
say "contents"
has daxctl /usr/bin/daxctl /etc/daxctl.conf.d/daxctl.example.conf \
	'/usr/lib/udev/rules.d/90-daxctl-device.rules' \
	'/usr/lib/systemd/system/daxdev-reconfigure@.service' \
	/usr/share/bash-completion/completions/daxctl \
	/usr/share/daxctl/daxctl.conf '/usr/share/man/man1/daxctl-list.1.*'
has daxctl-libs '/usr/lib[^/]*/libdaxctl.so.1' '/usr/lib[^/]*/libdaxctl.so.1.1.6'
has daxctl-devel /usr/include/daxctl/libdaxctl.h '/usr/lib[^/]*/libdaxctl.so' \
	'/usr/lib[^/]*/pkgconfig/libdaxctl.pc' '/usr/share/man/man3/libdaxctl.3.*'
[ $fail = 0 ] || die "a package lacks a file (above)"

# the command and library from the packages, on a recorded system
say "daxctl from the packages"
mkdir "$work/unpacked"
for f in "$rpms"/*/daxctl-[0-9]*.rpm "$rpms"/*/daxctl-libs-[0-9]*.rpm; do
	(cd "$work/unpacked" && rpm2cpio "$f" | cpio -idm --quiet)
done
tar -C "$work" -xf "$tarball"
sh "$work"/daxctl-*/test/fixtures/install.sh hmem-20-system-ram-online \
	"$work/root"
libdir=$(dirname "$(ls "$work"/unpacked/usr/lib*/libdaxctl.so.1)")
if LD_LIBRARY_PATH=$libdir "$work/unpacked/usr/bin/daxctl" \
		--sysroot "$work/root" list -RDi >"$work/out" 2>&1 &&
		grep -q '"chardev":"dax0.0"' "$work/out"; then
	echo "ok   daxctl --sysroot FIXTURE list -RDi lists dax0.0"
else
	sed 's/^/     /' "$work/out"
	die "the packaged daxctl failed on the recorded system"
fi

if [ -n "$outdir" ]; then
	mkdir -p "$outdir"
	cp "$rpms"/*/*.rpm "$outdir"/
	say "packages in $outdir"
fi
say "done: $(find "$rpms" -name '*.rpm' -exec basename {} \; | sort | tr '\n' ' ')"
