#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the Debian packages daxctl, libdaxctl1 and libdaxctl-dev from the
# release tarball, check them with lintian and their contents, and with
# --install-check install them over Debian's own packages, try them, and
# put back what was installed before.
#
#   contrib/debian/build-packages.sh [--tarball FILE] [--install-check]
#                                    [--nocheck] [--outdir DIR]
#
#   --tarball FILE    build from FILE (daxctl-VERSION.tar.xz); default: run
#                     "make dist" in a scratch build of this source tree
#   --install-check   as root: "apt-get install ./*.deb" over whatever is
#                     installed (Debian 12's 76.1 packages, say), then
#                     "daxctl version", "daxctl --sysroot FIXTURE list",
#                     the paths "dpkg -L" gives, pkg-config, a program
#                     built against the installed library, and Debian's
#                     ndctl, daxio, pmempool and memkind on it; at exit the
#                     packages are put back as they were (Debian's versions
#                     reinstalled with apt, ours purged where none was
#                     installed). Meant for a throwaway machine such as CI:
#                     for a while the machine runs our packages.
#   --nocheck         skip "make check" inside the package build
#                     (DEB_BUILD_OPTIONS=nocheck), for CI, which has run it
#   --outdir DIR      keep the .debs, .changes and .buildinfo in DIR
#                     (default: a temporary directory, removed at exit)
#
# As root, missing build dependencies are installed with apt (Debian's
# repositories are the only network access this needs); otherwise they
# must be installed already. The tarball's own contrib/debian/ is used, so
# this checks what the release ships.
set -eu

me=${0##*/}
die() { echo "$me: $*" >&2; exit 1; }
say() { echo "== $*"; }

src=$(cd "$(dirname "$0")/../.." && pwd)
tarball=
install_check=no
nocheck=no
outdir=
while [ $# -gt 0 ]; do
	case $1 in
	--tarball) [ $# -ge 2 ] || die "--tarball needs a file"
		tarball=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
	--install-check) install_check=yes ;;
	--nocheck) nocheck=yes ;;
	--outdir) [ $# -ge 2 ] || die "--outdir needs a directory"
		outdir=$2; shift ;;
	-h|--help) sed -n '4,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done

root=no
[ "$(id -u)" = 0 ] && root=yes
[ $install_check = no ] || [ $root = yes ] ||
	die "--install-check installs packages: run it as root"

work=$(mktemp -d "${TMPDIR:-/tmp}/daxctl-deb.XXXXXX")
restore=
cleanup() {
	rc=$?
	if [ -n "$restore" ]; then
		say "putting back the packages installed before"
		sh -c "$restore" || { echo "$me: could not put them back" >&2; rc=1; }
	fi
	rm -rf "$work"
	exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# apt's package lists, fetched once, the first time something is missing
updated=no
apt_update() {
	[ $updated = yes ] && return 0
	apt-get update -qq
	updated=yes
}
apt_install() {
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		-o Dpkg::Options::=--force-confdef \
		-o Dpkg::Options::=--force-confold "$@"
}

# packages this script itself runs
need="dpkg-dev debhelper lintian fakeroot"
# and Debian's other programs and libraries linking libdaxctl.so.1, tried
# with ours once it is installed
[ $install_check = yes ] &&
	need="$need pkg-config gcc ndctl pmdk-tools libmemkind-progs libpmem2"
missing=
for p in $need; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ $root = yes ] || die "install first:$missing"
	say "installing:$missing"
	# shellcheck disable=SC2086 # package names are words
	apt_install --no-install-recommends $missing >/dev/null
fi

# ---- the release tarball ----
if [ -z "$tarball" ]; then
	say "make dist"
	mkdir "$work/dist"
	[ -x "$src/configure" ] || (cd "$src" && ./autogen.sh >/dev/null)
	(cd "$work/dist" && "$src/configure" --quiet --disable-docs &&
		make --quiet dist >/dev/null) || die "make dist failed"
	tarball=$(ls "$work"/dist/daxctl-*.tar.xz)
fi
[ -f "$tarball" ] || die "no tarball: $tarball"
base=$(basename "$tarball" .tar.xz)
version=${base#daxctl-}
# a git-describe version (81.1-3-gabcdef) has hyphens: Debian's upstream
# version takes "+" and "." instead
debversion=$(printf '%s' "$version" | sed 's/-/+/; s/-/./g')-1
say "building $debversion from $(basename "$tarball")"

mkdir "$work/build"
tar -C "$work/build" -xf "$tarball"
tree=$work/build/$base
[ -d "$tree/contrib/debian" ] || die "$(basename "$tarball") has no contrib/debian"
cp -r "$tree/contrib/debian" "$tree/debian"
rm -f "$tree/debian/build-packages.sh"
# the version of this build, in the changelog's first line
sed -i "1s/^daxctl ([^)]*)/daxctl ($debversion)/" "$tree/debian/changelog"

if [ $root = yes ]; then
	if ! (cd "$tree" && dpkg-checkbuilddeps >/dev/null 2>&1); then
		say "installing the build dependencies"
		apt_update
		(cd "$tree" && DEBIAN_FRONTEND=noninteractive \
			apt-get build-dep -y -qq ./ >/dev/null)
	fi
fi

say "dpkg-buildpackage -us -uc -b"
opts=${DEB_BUILD_OPTIONS:-}
[ $nocheck = yes ] && opts="$opts nocheck"
if ! (cd "$tree" && DEB_BUILD_OPTIONS=$opts \
		dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
	tail -n 60 "$work/build.log"
	die "dpkg-buildpackage failed (the end of its log is above)"
fi
grep -E '^dpkg-gensymbols: (warning|error)' "$work/build.log" || true

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
changes=$work/build/daxctl_${debversion#*:}_$arch.changes
debs=
for p in daxctl libdaxctl1 libdaxctl-dev; do
	f=$work/build/${p}_${debversion#*:}_$arch.deb
	[ -f "$f" ] || die "no $p package: $f"
	debs="$debs $f"
done

say "lintian"
# warnings and errors fail; the overrides in contrib/debian say why each is
# there
lintian --fail-on error,warning --display-info "$changes" ||
	die "lintian found problems (above)"

# ---- what the packages hold ----
say "contents"
fail=0
# has PACKAGE PATH...: each PATH is in PACKAGE's .deb
has() {
	_p=$1
	shift
	dpkg-deb -c "$work/build/${_p}_${debversion#*:}_$arch.deb" |
		awk '{ print $6 }' | sed 's|^\.||' >"$work/list"
	for _f in "$@"; do
		if grep -qx "$_f" "$work/list"; then
			echo "ok   $_p: $_f"
		else
			echo "MISSING $_p: $_f"
			fail=1
		fi
	done
}
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null ||
	echo /lib/systemd/system)
has daxctl /usr/bin/daxctl /etc/daxctl.conf.d/daxctl.example.conf \
	"${unitdir%/systemd/system}/udev/rules.d/90-daxctl-device.rules" \
	"$unitdir/daxdev-reconfigure@.service" \
	/usr/share/bash-completion/completions/daxctl \
	/usr/share/daxctl/daxctl.conf \
	/usr/share/man/man1/daxctl.1.gz /usr/share/man/man1/daxctl-list.1.gz \
	/usr/share/man/man5/daxctl.conf.5.gz
has libdaxctl1 "/usr/lib/$multiarch/libdaxctl.so.1" \
	"/usr/lib/$multiarch/libdaxctl.so.1.1.6"
has libdaxctl-dev /usr/include/daxctl/libdaxctl.h \
	"/usr/lib/$multiarch/libdaxctl.so" \
	"/usr/lib/$multiarch/pkgconfig/libdaxctl.pc" \
	/usr/share/man/man3/libdaxctl.3.gz
[ $fail = 0 ] || die "a package lacks a file (above)"

if [ -n "$outdir" ]; then
	mkdir -p "$outdir"
	cp "$work"/build/*.deb "$work"/build/*.changes \
		"$work"/build/*.buildinfo "$outdir"/
	say "packages in $outdir"
fi

[ $install_check = yes ] || { say "done (not installed: see --install-check)"; exit 0; }

# ---- installed over what is there ----
say "installing over the packages installed now"
restore=
purge=
for p in daxctl libdaxctl1 libdaxctl-dev; do
	v=$(dpkg-query -W -f='${Status} ${Version}' "$p" 2>/dev/null |
		sed -n 's/^install ok installed //p')
	if [ -n "$v" ]; then
		echo "   $p $v installed before"
		restore="$restore $p=$v"
	else
		purge="$purge $p"
	fi
done
# run by cleanup(): Debian's versions back from apt, ours purged where
# nothing was installed before
restore_cmd=
[ -n "$purge" ] && restore_cmd="DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq$purge >/dev/null"
if [ -n "$restore" ]; then
	restore_cmd="${restore_cmd:+$restore_cmd && }DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold$restore >/dev/null"
fi
restore=$restore_cmd
# shellcheck disable=SC2086 # the .debs are words
apt_install $debs >"$work/install.log" 2>&1 || {
	cat "$work/install.log"
	die "apt-get install of the .debs failed"
}

check() {
	if "$@" >"$work/out" 2>&1; then
		echo "ok   $desc"
	else
		echo "FAIL $desc"
		sed 's/^/     /' "$work/out"
		fail=1
	fi
}
for p in daxctl libdaxctl1 libdaxctl-dev; do
	desc="$p $debversion is installed"
	check sh -c "dpkg-query -W -f='\${Version}' $p | grep -qx '$debversion'"
done
desc="/usr/bin/daxctl version says $version"
check sh -c "[ \"\$(/usr/bin/daxctl version)\" = '$version' ]"
fixture=$work/root
sh "$tree/test/fixtures/install.sh" hmem-20-system-ram-online "$fixture"
desc="daxctl --sysroot FIXTURE list -RDi lists dax0.0"
check sh -c "/usr/bin/daxctl --sysroot '$fixture' list -RDi | grep -q '\"chardev\":\"dax0.0\"'"
desc="daxctl loads the packaged libdaxctl.so.1.1.6"
check sh -c "readlink -f \"\$(ldd /usr/bin/daxctl | awk '/libdaxctl\\.so/ { print \$3 }')\" |
	grep -qx '/usr/lib/$multiarch/libdaxctl.so.1.1.6'"
for f in /usr/bin/daxctl /etc/daxctl.conf.d/daxctl.example.conf \
		"${unitdir%/systemd/system}/udev/rules.d/90-daxctl-device.rules" \
		"$unitdir/daxdev-reconfigure@.service" \
		/usr/share/bash-completion/completions/daxctl \
		/usr/share/man/man1/daxctl-list.1.gz; do
	desc="dpkg -L daxctl: $f"
	check sh -c "dpkg -L daxctl | grep -qx '$f' && [ -e '$f' ]"
done
desc="dpkg -L libdaxctl1: libdaxctl.so.1.1.6 and no other library file"
check sh -c "dpkg -L libdaxctl1 | grep '/libdaxctl\\.so' | sort | tr '\\n' ' ' |
	grep -qx '/usr/lib/$multiarch/libdaxctl.so.1 /usr/lib/$multiarch/libdaxctl.so.1.1.6 '"
desc="/etc/daxctl.conf.d/daxctl.example.conf is a conffile"
check sh -c "dpkg-query -W -f='\${Conffiles}' daxctl | grep -q ' /etc/daxctl.conf.d/daxctl.example.conf '"
desc="pkg-config --cflags --libs libdaxctl gives -ldaxctl (with nothing else's .pc needed)"
check sh -c "[ \"\$(PKG_CONFIG_LIBDIR=/usr/lib/$multiarch/pkgconfig pkg-config --cflags --libs libdaxctl | tr -s ' ' | sed 's/ \$//')\" = '-ldaxctl' ]"
cat >"$work/consumer.c" <<'EOF'
#include <stdio.h>
#include <daxctl/libdaxctl.h>

int main(int argc, char **argv)
{
	struct daxctl_ctx *ctx;
	struct daxctl_region *region;
	struct daxctl_dev *dev;

	if (argc != 2 || daxctl_new(&ctx) < 0)
		return 1;
	if (daxctl_set_sysroot(ctx, argv[1]) < 0)
		return 1;
	daxctl_region_foreach(ctx, region)
		daxctl_dev_foreach(region, dev)
			printf("%s\n", daxctl_dev_get_devname(dev));
	daxctl_unref(ctx);
	return 0;
}
EOF
desc="a program built with pkg-config against the installed library lists dax0.0"
# shellcheck disable=SC2016 # expanded by the inner shell
check sh -c 'cc -Wall -Werror -o "$1/consumer" "$1/consumer.c" $(pkg-config --cflags --libs libdaxctl) &&
	"$1/consumer" "$2" | grep -qx dax0.0' sh "$work" "$fixture"
# Debian's own consumers of libdaxctl.so.1, on the packaged library: every
# symbol resolves against it (ldd -r binds them all), and ndctl runs
# (test/consumers/debian.sh compares them with Debian's library)
for prog in ndctl daxio pmempool memkind-auto-dax-kmem-nodes; do
	desc="Debian's $prog: every symbol resolves against the packaged libdaxctl"
	check sh -c "ldd -r /usr/bin/$prog >'$work/ldd' 2>&1 &&
		! grep -q 'undefined symbol\|not found' '$work/ldd' &&
		readlink -f \"\$(awk '/libdaxctl\.so/ { print \$3 }' '$work/ldd')\" |
		grep -qx '/usr/lib/$multiarch/libdaxctl.so.1.1.6'"
done
desc="Debian's ndctl list runs on the packaged libdaxctl"
check /usr/bin/ndctl list
desc="daxctl list runs on this machine"
check /usr/bin/daxctl list
[ $fail = 0 ] || die "the installed packages failed a check (above)"
say "done: built, lintian-clean, installed and tried"
