#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Debian's own prebuilt consumers of libdaxctl, run against this library:
# Debian 12's daxctl and ndctl (76.1), PMDK's daxio and pmempool
# (pmdk-tools), memkind's memkind-auto-dax-kmem-nodes (libmemkind-progs),
# and the libraries libpmem2, libmemkind, libndctl, libpmem and libpmempool.
# None of them has a RUNPATH, so LD_LIBRARY_PATH pointing at a staged
# "make install" makes them load our libdaxctl.so.1 instead of Debian's.
#
#  1. Every symbol resolves: "ldd -r" (relocations processed as with
#     LD_BIND_NOW) of each program and library names no undefined symbol
#     and shows our libdaxctl.so.1; dlopen-now.c loads the libraries with
#     RTLD_NOW under LD_BIND_NOW=1 as a plugin host would. A stub
#     libdaxctl.so.1 with every symbol version but no symbols must make
#     that load fail, so the check can fail.
#  2. On every fixture, shown to the programs as the real /sys and
#     /proc/iomem in a private mount namespace (Debian's tools have no
#     system-root option; test/replay/replay.sh does the same), with the
#     dax device nodes Debian's libdaxctl insists on in a private /dev:
#     Debian's "daxctl list -RDMi", "ndctl list -DRNiv" and
#     memkind-auto-dax-kmem-nodes, once with Debian's libdaxctl and once
#     with ours; the outputs (JSON after test/cli/list-normalise.jq, since
#     the library's iteration order is one of the documented differences)
#     and exit statuses must be the same. memkind's nodes are also checked
#     against the target nodes of the fixture's system-ram devices.
#
# daxio and pmempool open the device node before they ask the library
# anything, and a fixture's node has no device behind it: they run for
# real only on the real-kernel tier (test/kernel/, make check-kernel).
#
# Missing packages are installed with apt-get (set DEBIAN_CONSUMERS_APT=0
# not to); what still lacks is a SKIP saying which package. Where this
# project's packages replaced Debian's libdaxctl1 and daxctl, Debian's are
# fetched with apt-get download and unpacked for the comparison, so the
# test also runs after "apt-get install ./*.deb". The whole test
# is skipped without root (mounts), without unshare -m, on a system
# without dpkg, and when the library is built with sanitizers (Debian's
# uninstrumented programs cannot load it).

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"

skip_all() {
	echo "1..0 # SKIP $TEST_NAME: $*"
	_tap_planned=1
	exit 0
}
skip() { tap_result 0 "$1 # SKIP $2"; }

mkvar() {
	sed -n "s/^$1 = //p" "$top_builddir/Makefile" | sed -n 1p
}
[ -z "$(mkvar SANITIZE_CFLAGS)" ] ||
	skip_all "the library is built with sanitizers, which Debian's programs cannot load"
command -v dpkg-query >/dev/null 2>&1 || skip_all "not a Debian system (no dpkg-query)"
[ "$(id -u)" = 0 ] || skip_all "needs root to show fixtures as /sys in a mount namespace"
command -v unshare >/dev/null 2>&1 || skip_all "no unshare(1)"
unshare -m true 2>/dev/null || skip_all "unshare -m is not permitted here"
require_prog jq ldd

# ---- Debian's packages ----

pkgs="daxctl ndctl pmdk-tools libmemkind-progs libmemkind0 libpmem2"
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}
missing=
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done
if [ -n "$missing" ] && [ "${DEBIAN_CONSUMERS_APT:-1}" != 0 ] &&
		command -v apt-get >/dev/null 2>&1; then
	echo "# apt-get install$missing"
	# shellcheck disable=SC2086 # package names, no blanks
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends -o DPkg::Lock::Timeout=300 $missing \
		>"$_tmp/apt.log" 2>&1 || sed 's/^/# /' "$_tmp/apt.log" | tail -n 5
fi

# Debian's libdaxctl and daxctl are the yardstick: the installed ones
# while they are Debian's; when ours replaced them (versions from 81 on
# are this project's, e.g. after "apt-get install ./*.deb"), Debian's
# packages of a version before 81, fetched with apt-get download and
# unpacked here (DEBIAN_CONSUMERS_FETCH=1: always)
fetch_debian() { # PACKAGE: unpack it into $_tmp/debian
	_v=$(apt-cache madison "$1" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' |
		while read -r _w; do
			dpkg --compare-versions "$_w" lt 81 && { echo "$_w"; break; }
		done)
	[ -n "$_v" ] || { echo "# no version of $1 before 81 in apt's lists"; return 1; }
	mkdir -p "$_tmp/debs" "$_tmp/debian"
	# apt-get download as root warns that _apt cannot write here; harmless
	(cd "$_tmp/debs" && apt-get download "$1=$_v") >"$_tmp/fetch.log" 2>&1 &&
		dpkg -x "$_tmp/debs/$1_"*.deb "$_tmp/debian" && return 0
	sed 's/^/# /' "$_tmp/fetch.log" | tail -n 3
	return 1
}
libver=$(dpkg-query -W -f='${Version}' libdaxctl1 2>/dev/null)
debian_lib=''
deb_libdir=''
deb_daxctl=''
if [ "${DEBIAN_CONSUMERS_FETCH:-0}" != 1 ] && [ -n "$libver" ] &&
		dpkg --compare-versions "$libver" lt 81; then
	debian_lib="the installed libdaxctl1 $libver"
elif fetch_debian libdaxctl1; then
	deb_libdir=$(dirname "$(find "$_tmp/debian" -name libdaxctl.so.1 | head -n 1)")
	debian_lib="libdaxctl1 $_v from Debian's archive"
fi
if [ "${DEBIAN_CONSUMERS_FETCH:-0}" != 1 ] && [ -x /usr/bin/daxctl ] &&
		[ "$(/usr/bin/daxctl --version)" = 76.1 ]; then
	deb_daxctl=/usr/bin/daxctl
elif fetch_debian daxctl && [ -x "$_tmp/debian/usr/bin/daxctl" ]; then
	deb_daxctl=$_tmp/debian/usr/bin/daxctl
fi
[ -n "$debian_lib" ] && echo "# Debian's libdaxctl: $debian_lib"

# ---- our library, staged ----

stage=$_tmp/stage
stage_install "$stage"
libdir=$(unset PKG_CONFIG_SYSROOT_DIR
	pkg-config --variable=libdir "$top_builddir/lib/libdaxctl.pc")
ours=$stage$libdir
[ -e "$ours/libdaxctl.so.1" ] || _bail "no libdaxctl.so.1 in $ours"

# ---- 1. every symbol resolves against our libdaxctl.so.1 ----

# program: the package it comes from
for entry in daxctl:daxctl ndctl:ndctl daxio:pmdk-tools pmempool:pmdk-tools \
		memkind-auto-dax-kmem-nodes:libmemkind-progs; do
	prog=${entry%%:*} pkg=${entry#*:}
	if [ ! -x "/usr/bin/$prog" ]; then
		skip "ldd -r $prog" "not installed (package $pkg)"
		continue
	fi
	LD_LIBRARY_PATH=$ours ldd -r "/usr/bin/$prog" >"$_tmp/ldd" 2>&1
	rc=$?
	got=$(awk '$1 == "libdaxctl.so.1" { print $3 }' "$_tmp/ldd")
	if [ $rc = 0 ] && [ "$got" = "$ours/libdaxctl.so.1" ] &&
			! grep -q 'undefined symbol\|not found' "$_tmp/ldd"; then
		tap_result 0 "ldd -r $prog: every symbol resolves, with our libdaxctl"
	else
		tap_result 1 "ldd -r $prog: every symbol resolves, with our libdaxctl"
		sed 's/^/# /' "$_tmp/ldd"
	fi
done

cc=$(mkvar CC)
if ! ${cc:-cc} -O2 -Wall -Wextra -Werror -o "$_tmp/dlopen-now" \
		"$srcdir/test/consumers/dlopen-now.c" -ldl >"$_tmp/cc.log" 2>&1; then
	sed 's/^/# /' "$_tmp/cc.log"
	_bail "cannot build dlopen-now"
fi
libs=
for entry in libpmem2.so.1:libpmem2 libmemkind.so.0:libmemkind0 \
		libndctl.so.6:libndctl6 libpmem.so.1:libpmem1 \
		libpmempool.so.1:libpmempool1; do
	lib=${entry%%:*} pkg=${entry#*:}
	# present at all: it loads with the system's libdaxctl
	if ! "$_tmp/dlopen-now" "$lib" >"$_tmp/dl" 2>&1; then
		skip "dlopen $lib" "it does not load here (package $pkg): $(cat "$_tmp/dl")"
		continue
	fi
	libs="$libs $lib"
	LD_BIND_NOW=1 LD_LIBRARY_PATH=$ours "$_tmp/dlopen-now" "$lib" \
		>"$_tmp/dl" 2>&1
	rc=$?
	[ $rc = 0 ] && [ "$(cat "$_tmp/dl")" = "$lib: libdaxctl $ours/libdaxctl.so.1" ]
	tap_result $? "dlopen $lib RTLD_NOW, LD_BIND_NOW=1: loads with our libdaxctl" ||
		sed 's/^/# /' "$_tmp/dl"
done

# the control: a libdaxctl.so.1 with every symbol version of ours and no
# symbol but daxctl_new
if [ -n "$libs" ]; then
	mkdir "$_tmp/stub"
	awk '/^[A-Z_0-9]+ \{$/ {
		if (prev == "") printf "%s { global: daxctl_new; local: *; };\n", $1
		else printf "%s { } %s;\n", $1, prev
		prev = $1 }' "$top_srcdir/lib/libdaxctl.sym" >"$_tmp/stub/stub.sym"
	printf '%s\n' 'int daxctl_new(void **ctx);' \
		'int daxctl_new(void **ctx) { *ctx = 0; return -12; }' \
		>"$_tmp/stub/stub.c"
	if ${cc:-cc} -shared -fPIC -o "$_tmp/stub/libdaxctl.so.1" \
			-Wl,-soname,libdaxctl.so.1 \
			-Wl,--version-script="$_tmp/stub/stub.sym" \
			"$_tmp/stub/stub.c" >"$_tmp/cc.log" 2>&1; then
		# shellcheck disable=SC2086 # library names, no blanks
		LD_BIND_NOW=1 LD_LIBRARY_PATH=$_tmp/stub "$_tmp/dlopen-now" $libs \
			>"$_tmp/dl" 2>&1
		rc=$?
		# every library must fail, each naming a daxctl_ symbol
		n_bad=$(grep -c 'undefined symbol: daxctl_' "$_tmp/dl")
		# shellcheck disable=SC2086 # counting the words
		[ $rc = 1 ] && [ "$n_bad" = "$(set -- $libs; echo $#)" ]
		tap_result $? "control: a libdaxctl.so.1 without the symbols fails each dlopen" ||
			sed 's/^/# /' "$_tmp/dl"
	else
		sed 's/^/# /' "$_tmp/cc.log"
		tap_result 1 "control: build a stub libdaxctl.so.1"
	fi
fi

# ---- 2. on fixtures: Debian's library against ours ----

# in-root.sh ROOT LIBDIR OUTDIR DAXCTL: Debian's tools (DAXCTL: Debian's
# daxctl) with ROOT's sys and proc/iomem as the real ones, a /dev holding
# null and ROOT's dax device nodes, and LIBDIR (when not empty) as
# LD_LIBRARY_PATH; each tool's stdout, stderr and exit status go to
# OUTDIR/TOOL{,.err,.rc}
cat >"$_tmp/in-root.sh" <<'EOS'
root=$1 lib=$2 out=$3 daxctl=$4
mount --bind "$root/sys" /sys || exit 125
if [ -f "$root/proc/iomem" ]; then
	mount --bind "$root/proc/iomem" /proc/iomem || exit 125
fi
mount -t tmpfs tmpfs /dev || exit 125
{ mknod /dev/null c 1 3 && chmod 666 /dev/null; } || exit 125
for d in /sys/bus/dax/devices/* /sys/class/dax/*; do
	[ -f "$d/dev" ] || continue
	mm=$(cat "$d/dev")
	[ -e "/dev/${d##*/}" ] ||
		mknod "/dev/${d##*/}" c "${mm%:*}" "${mm#*:}" || exit 125
done
tool() {
	name=$1
	shift
	[ -x "$1" ] || return 0
	env ${lib:+LD_LIBRARY_PATH=$lib} "$@" >"$out/$name" 2>"$out/$name.err"
	echo $? >"$out/$name.rc"
}
[ -z "$daxctl" ] || tool daxctl "$daxctl" list -RDMi
tool ndctl /usr/bin/ndctl list -DRNiv
tool memkind /usr/bin/memkind-auto-dax-kmem-nodes
EOS

# cpulist (0-1,4) as the hex mask of node*/cpumap, which libnuma reads
cpumask() {
	awk -F, '{ m = 0
		for (i = 1; i <= NF; i++) {
			n = split($i, r, "-"); lo = r[1]; hi = (n > 1) ? r[2] : r[1]
			for (c = lo; c <= hi; c++) m += 2 ^ c
		}
		printf "%08x\n", m }'
}

# complete_fixture DIR: what Debian's libdaxctl and libnuma read and the
# fixtures do not record, derived from what they do: each node's cpumap
# from its cpulist, and the node's memoryM links to its memory blocks
# (the fixtures record each block with its nodeN link; the kernel also
# links each block from its node's directory, where Debian's libdaxctl
# looks for a system-ram device's blocks)
complete_fixture() {
	_s=$1/sys/devices/system
	for _n in "$_s"/node/node*; do
		[ -f "$_n/cpulist" ] && cpumask <"$_n/cpulist" >"$_n/cpumap"
	done
	for _m in "$_s"/memory/memory*; do
		for _l in "$_m"/node*; do
			if [ ! -L "$_l" ] || [ ! -d "$_s/node/${_l##*/}" ]; then
				continue
			fi
			ln -s "../../memory/${_m##*/}" "$_s/node/${_l##*/}/${_m##*/}"
		done
	done
}

# same KEY WHAT DEB OUR: DEB and OUR, the records (FILE, FILE.rc,
# FILE.err) with Debian's library and with ours, are the same; a
# difference listed in debian.known under KEY ("FIXTURE TOOL") is a TODO
known=$srcdir/test/consumers/debian.known
same() {
	_why=$(grep -v '^#' "$known" | sed -n "s/^$1[[:space:]]\{1,\}//p")
	if cmp -s "$3" "$4" && cmp -s "$3.rc" "$4.rc"; then
		tap_result 0 "$2${_why:+ # TODO $_why}"
		return
	fi
	if [ -n "$_why" ]; then
		_tap_count=$((_tap_count + 1))
		echo "not ok $_tap_count - $2 # TODO $_why"
		return
	fi
	shift
	tap_result 1 "$1"
	echo "# exit: Debian's libdaxctl $(cat "$2.rc"), ours $(cat "$3.rc")"
	diff "$2" "$3" | head -n 40 | sed 's/^/#   /'
	sed 's/^/#   Debian stderr: /' "$2.err" | head -n 5
	sed 's/^/#   our stderr: /' "$3.err" | head -n 5
}

fixtures=$(sh "$top_srcdir/test/fixtures/install.sh" --list) ||
	_bail "cannot list the fixtures"
norm=$top_srcdir/test/cli/list-normalise.jq
if [ -z "$debian_lib" ]; then
	skip "Debian's tools on every fixture, with Debian's libdaxctl and ours" \
		"the installed libdaxctl1 is ${libver:-missing}, not Debian's (older than 81), and Debian's could not be fetched"
	fixtures=
fi
[ -n "$deb_daxctl" ] || skip "Debian's daxctl list on every fixture" \
	"no daxctl 76.1 installed or fetched (package daxctl)"
[ -x /usr/bin/ndctl ] || skip "Debian's ndctl list on every fixture" \
	"not installed (package ndctl)"
[ -x /usr/bin/memkind-auto-dax-kmem-nodes ] ||
	skip "memkind-auto-dax-kmem-nodes on every fixture" \
		"not installed (package libmemkind-progs)"
deb=$_tmp/deb our=$_tmp/our
for f in $fixtures; do
	# a private copy, file modes kept (faster than fixture_copy)
	root=$_tmp/fixture
	rm -rf "$root"
	cp -a "$(fixture "$f")" "$root" || _bail "cannot copy fixture $f"
	complete_fixture "$root"
	rm -rf "$deb" "$our"
	mkdir "$deb" "$our"
	unshare -m --propagation private sh "$_tmp/in-root.sh" "$root" \
		"$deb_libdir" "$deb" "$deb_daxctl"
	rc1=$?
	unshare -m --propagation private sh "$_tmp/in-root.sh" "$root" \
		"$ours" "$our" "$deb_daxctl"
	rc2=$?
	if [ $rc1 != 0 ] || [ $rc2 != 0 ]; then
		tap_result 1 "$f: show it as /sys in a mount namespace (exit $rc1, $rc2)"
		continue
	fi

	if [ -n "$deb_daxctl" ]; then
		for r in "$deb" "$our"; do
			if [ -s "$r/daxctl" ]; then
				jq -c -f "$norm" "$r/daxctl" >"$r/list" 2>&1 ||
					echo "not JSON" >>"$r/list"
			else
				: >"$r/list"
			fi
			cp "$r/daxctl.rc" "$r/list.rc"
			cp "$r/daxctl.err" "$r/list.err"
		done
		same "$f daxctl" "$f: Debian's daxctl list -RDMi, our libdaxctl as Debian's" \
			"$deb/list" "$our/list"
	fi

	[ -x /usr/bin/ndctl ] &&
		same "$f ndctl" "$f: Debian's ndctl list -DRNiv, our libdaxctl as Debian's" \
			"$deb/ndctl" "$our/ndctl"

	if [ -x /usr/bin/memkind-auto-dax-kmem-nodes ]; then
		same "$f memkind" "$f: memkind-auto-dax-kmem-nodes, our libdaxctl as Debian's" \
			"$deb/memkind" "$our/memkind"
		# the nodes it finds: those of the system-ram devices
		want=$("$DAXCTL" --sysroot "$root" list -D 2>/dev/null | jq -r \
			'.[] | select(.mode == "system-ram") | .target_node' | sort -un)
		got=$(tr ',' '\n' <"$our/memkind" | sort -un)
		[ "$got" = "$want" ]
		tap_result $? "$f: memkind-auto-dax-kmem-nodes: the system-ram devices' nodes" ||
			echo "# got '$got', want '$want'"
	fi
	rm -rf "$root"
done
