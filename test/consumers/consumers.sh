#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# libdaxctl as its real consumers use it: programs written the way PMDK's
# daxio, memkind, QEMU, famfs and libndctl call the library, built like an
# outside project (a plain Makefile and pkg-config, nothing from this build
# tree) against a staged "make install", and run on fixtures and on the
# emulator.
#
# Parts this machine may not be able to run are left out of the comparison
# with test/consumers/expected/consumers.out, with a SKIP line saying so:
#   "emulator: " blocks need FUSE and root (the emulator's files are root's,
#                and the famfs-like runs write to them);
#   "nonroot: "  blocks need to run as a user who cannot read the root-only
#                attributes: a non-root user, or root dropping to nobody.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

require_prog pkg-config

# QEMU-like lookups compare realpath() results with the library's paths,
# which keep the system root as given: give it without symlinks. The
# record filter uses these variables, so the expected file does not change.
_tmp=$(cd "$_tmp" && pwd -P) || exit 99
FIXTURE_ROOTS=$(cd "$FIXTURE_ROOTS" && pwd -P) || exit 99
export FIXTURE_ROOTS


# ---- a staged install, found through pkg-config only ----

stage=$_tmp/stage
stage_install "$stage"

# where configure put things: from the .pc file the build made
pc_var() (
	unset PKG_CONFIG_SYSROOT_DIR
	pkg-config --variable="$1" "$top_builddir/lib/libdaxctl.pc"
)
libdir=$(pc_var libdir)
includedir=$(pc_var includedir)

PKG_CONFIG_PATH=$stage$libdir/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$stage
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

pc_cflags=$(pkg-config --cflags libdaxctl)
pc_libs=$(pkg-config --libs libdaxctl)
case " $pc_cflags " in
*" -I$stage$includedir "*) rc=0 ;;
*) rc=1; echo "# cflags: $pc_cflags" ;;
esac
tap_result $rc "pkg-config --cflags gives -I\$TMP/stage$includedir"
rc=1
case " $pc_libs " in
*" -L$stage$libdir "*)
	case " $pc_libs " in *" -ldaxctl "*) rc=0 ;; esac
	;;
esac
[ $rc = 0 ] || echo "# libs: $pc_libs"
tap_result $rc "pkg-config --libs gives -L\$TMP/stage$libdir -ldaxctl"
pc_version=$(pkg-config --modversion libdaxctl)
[ "$pc_version" = "$("$DAXCTL" --version)" ]
tap_result $? "pkg-config --modversion is the package version ($pc_version)"

# ---- the programs, built out of tree ----

# the compiler the library was built with; with its sanitizers, if any,
# which a program must link with to load an instrumented library
mkvar() {
	sed -n "s/^$1 = //p" "$top_builddir/Makefile" | sed -n 1p
}
cc=$(mkvar CC)
obj=$_tmp/obj
if submake -C "$srcdir/test/consumers" O="$obj" CC="${cc:-cc}" \
		CFLAGS="-O2 -g $(mkvar SANITIZE_CFLAGS)" \
		LDFLAGS="$(mkvar SANITIZE_LDFLAGS)" \
		>"$_tmp/build.log" 2>&1; then
	rc=0
else
	rc=1
	sed 's/^/# /' "$_tmp/build.log"
fi
tap_result $rc "consumers build with pkg-config and -Wall -Wextra -Werror"
[ $rc = 0 ] || exit 1

LD_LIBRARY_PATH=$stage$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
PATH=$obj:$PATH
export LD_LIBRARY_PATH PATH

if command -v ldd >/dev/null 2>&1; then
	lib=$(ldd "$obj/daxio-like" | awk '/libdaxctl\.so/ { print $3 }')
	case $lib in
	"$stage"/*) rc=0 ;;
	*) rc=1; echo "# libdaxctl from: $lib" ;;
	esac
	tap_result $rc "consumers load libdaxctl from the stage"
fi

# ON NAME FIXTURE COMMAND: record COMMAND run on an installed fixture
on() {
	run_sh "$1" "DAXCTL_SYSROOT=$(fixture "$2") $3"
}

nd0=/sys/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/ndbus0/region0

# ---- daxio: the device by major:minor, its size and the region align ----

on "daxio: a sized device" hmem-10-created "daxio-like 252:5"
on "daxio: an idle device (size 0)" hmem-10-created "daxio-like 252:0"
on "daxio: minor is not the device id" many-devices "daxio-like 252:12"
on "daxio: class-model device" mixed-models "daxio-like 252:0"
on "daxio: nvdimm static region" nvdimm-50-pmem-devdax "daxio-like 252:0"
on "daxio: no such device" hmem-10-created "daxio-like 252:99"
on "daxio: no dax devices at all" no-dax "daxio-like 252:0"
on "daxio: no dax subsystem" empty-root "daxio-like 252:0"
on "daxio: a char device that is not dax" hmem-10-created \
	"daxio-like /dev/null"
on "daxio: not a char device" hmem-10-created "daxio-like /"
on "daxio: no such file" hmem-10-created "daxio-like /nonexistent/dax0.0"

# ---- memkind: the target nodes of kmem devices ----

on "memkind: three kmem devices on node 1" kmem-zones "memkind-like"
on "memkind: kmem on node 0" hmem-multirange "memkind-like"
on "memkind: static region on kmem" nvdimm-55-pmem-system-ram "memkind-like"
on "memkind: no kmem device" many-devices "memkind-like"
on "memkind: fsdev_dax is not kmem" misc-states "memkind-like"
on "memkind: class model" legacy-class "memkind-like"
on "memkind: no dax subsystem" empty-root "memkind-like"

# ---- QEMU: the region containing /sys/dev/char/M:m, its align ----

on "qemu: hmem region" hmem-20-system-ram-online "qemu-like 252:1"
on "qemu: second region of a shared id" nvdimm-shared-id "qemu-like 252:1"
on "qemu: region1" nvdimm-shared-id "qemu-like 252:2"
on "qemu: class model" legacy-class "qemu-like 252:1"
on "qemu: CXL dax_region" kmem-zones "qemu-like 252:2"
on "qemu: no such device" hmem-10-created "qemu-like 252:9"

# ---- famfs: who holds a device; class model (no writes happen) ----

misc=$(fixture_copy misc-states)
legacy=$(fixture_copy legacy-class)
run_sh "famfs: device bound to a third driver" \
	"DAXCTL_SYSROOT=$misc famfs-like driver dax0.2"
run_sh "famfs: device bound to device_dax" \
	"DAXCTL_SYSROOT=$misc famfs-like driver dax0.0"
run_sh "famfs: disabled device with a size" \
	"DAXCTL_SYSROOT=$misc famfs-like driver dax0.1"
run_sh "famfs: class model cannot be unbound" \
	"DAXCTL_SYSROOT=$legacy famfs-like cycle dax0.0"
run_sh "famfs: no such device" "DAXCTL_SYSROOT=$misc famfs-like cycle dax0.9"

# ---- libndctl: a region registered twice, released twice ----

on "ndctl: nd_dax parent, two owners" nvdimm-50-pmem-devdax \
	"ndctl-like 0 $nd0/dax0.0"
on "ndctl: registered after a full scan" nvdimm-50-pmem-devdax \
	"ndctl-like --scan-first 0 $nd0/dax0.0"
on "ndctl: kmem device with online memory" nvdimm-55-pmem-system-ram \
	"ndctl-like 0 $nd0/dax0.0"
on "ndctl: two regions share id 0" nvdimm-shared-id \
	"ndctl-like 0 $nd0/dax0.1"
on "ndctl: libcxl-style dax_region parent" kmem-zones \
	"ndctl-like 0 /sys/devices/platform/ACPI0017:00/root0/decoder0.0/region0/dax_region0"
on "ndctl: a parent without devices" hmem-20-system-ram-online \
	"ndctl-like 7 /sys/devices/platform/nothing"

# ---- as a user who cannot read root-only attributes ----

skip_blocks=
skip() {
	skip_blocks="$skip_blocks${skip_blocks:+|}^# $1"
	tap_result 0 "$1 runs # SKIP $2"
}

# a private copy: its 0400 region align must stay unreadable
nr=$(fixture_copy hmem-20-system-ram-online)
nr_ok=1
if [ "$(id -u)" = 0 ]; then
	if ! command -v setpriv >/dev/null 2>&1; then
		nr_ok=
		skip nonroot "no setpriv to drop to nobody"
	elif ! id nobody >/dev/null 2>&1; then
		nr_ok=
		skip nonroot "no user nobody to drop to"
	else
		# that user must reach the programs, the library and the copy
		chmod 755 "$_tmp" "$_tmp/fixtures"
		chmod -R o+rX "$obj" "$stage"
	fi
	nonroot() {
		_prog=$obj/$1
		shift
		setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" \
			--clear-groups env DAXCTL_SYSROOT="$DAXCTL_SYSROOT" \
			LD_LIBRARY_PATH="$LD_LIBRARY_PATH" "$_prog" "$@"
	}
else
	# the copy is ours: only a mode without read permission hides it
	chmod 0 "$nr/sys/devices/platform/hmem.0/dax_region/align"
	nonroot() {
		env DAXCTL_SYSROOT="$DAXCTL_SYSROOT" "$@"
	}
fi
if [ -n "$nr_ok" ]; then
	run_sh "nonroot: daxio, align unknown" \
		"DAXCTL_SYSROOT=$nr nonroot daxio-like 252:1"
	run_sh "nonroot: qemu, align unknown" \
		"DAXCTL_SYSROOT=$nr nonroot qemu-like 252:1"
	# memkind runs unprivileged: mappingN and resource are root's
	run_sh "nonroot: memkind, kmem found all the same" \
		"DAXCTL_SYSROOT=$nr nonroot memkind-like"
fi

# ---- on the emulator: driver changes really happen ----

scn=$_tmp/consumers.json
cat >"$scn" <<'EOF'
{
	"comment": "famfs-like driver switching, kmem on two nodes, and regions hmem.1 and hmem.10 whose paths are prefixes of one another.",
	"memory": { "block_size": "128M", "auto_online_blocks": "offline",
		    "nodes": [0, 1, 2],
		    "ram": [ { "node": 0, "start": "0", "size": "2G" } ] },
	"drivers": ["device_dax", "kmem", "fsdev_dax"],
	"regions": [
		{ "kind": "hmem", "id": 0, "start": "0x100000000", "size": "1G",
		  "target_node": 2,
		  "devices": [
			{ "id": 0, "size": "512M", "driver": "device_dax" },
			{ "id": 1, "size": "256M", "driver": "fsdev_dax" },
			{ "id": 2, "size": "128M", "driver": "kmem",
			  "memory": "online_movable" },
			{ "id": 3 }
		  ],
		  "seed": "dax0.3" },
		{ "kind": "hmem", "id": 1, "start": "0x140000000", "size": "256M",
		  "target_node": 1,
		  "devices": [ { "id": 0, "size": "256M", "driver": "kmem",
				 "memory": "online_movable" } ] },
		{ "kind": "hmem", "id": 10, "start": "0x180000000", "size": "256M",
		  "align": "4k", "target_node": 1,
		  "devices": [ { "id": 0, "size": "256M",
				 "driver": "device_dax" } ] },
		{ "kind": "e820", "id": 3, "start": "0x1a0000000", "size": "256M",
		  "class_model": true,
		  "devices": [ { "id": 0, "size": "256M" } ] }
	]
}
EOF

# daxsim_start skips the whole script when FUSE cannot be used: find out
# first, in a subshell, so that only this part is skipped
sim_ok=
if [ "$(id -u)" != 0 ]; then
	skip emulator "the emulator's attributes are root's"
elif [ ! -x "$DAXSIM" ] || [ ! -c /dev/fuse ] ||
     ! command -v fusermount3 >/dev/null 2>&1; then
	skip emulator "no FUSE here (or daxsim not built)"
else
	probe=$( (daxsim_start "$scn" && echo MOUNTED &&
		fusermount3 -u "$SIM") 2>&1)
	# the real start below makes the same mount point again
	for d in "$_tmp"/sim*; do
		rmdir "$d"
	done 2>/dev/null
	case $probe in
	*"# SKIP"*) skip emulator "${probe#*# SKIP }" ;;
	*) sim_ok=1 ;;
	esac
fi

if [ -n "$sim_ok" ]; then
	daxsim_start "$scn"
	sim() {
		run_sh "emulator: $1" "DAXCTL_SYSROOT=$SIM $2"
	}
	sim "kmem on nodes 2 and 1, listed sorted" "memkind-like"
	sim "daxio" "daxio-like 252:1"
	sim "qemu, hmem.1" "qemu-like 252:4"
	sim "qemu, hmem.10 is not hmem.1" "qemu-like 252:5"
	sim "ndctl, hmem.0 as an embedder's region" \
		"ndctl-like 0 /sys/devices/platform/hmem.0"
	sim "famfs, device_dax round trip" "famfs-like cycle dax0.0"
	sim "famfs, held by fsdev_dax" "famfs-like driver dax0.1"
	sim "famfs, fsdev_dax to device_dax" "famfs-like cycle dax0.1"
	sim "famfs, device_dax to fsdev_dax" "famfs-like to-fsdev dax0.0"
	sim "famfs, enable_devdax leaves fsdev_dax" "famfs-like driver dax0.0"
	sim "famfs, 0-size device cannot be enabled" "famfs-like cycle dax0.3"
	sim "famfs, class model" "famfs-like cycle dax3.0"
	# disable refuses: unbinding kmem with online memory would leave the
	# range reserved until reboot
	sim "famfs, kmem device with online memory" "famfs-like cycle dax0.2"
	sim "kmem still on nodes 1 and 2" "memkind-like"
fi

# ---- compare ----

if [ -z "$skip_blocks" ]; then
	check_output consumers
elif [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
	tap_result 1 "consumers: cannot write $EXPECTED_DIR/consumers.out with parts skipped"
else
	# the expected record without the blocks this machine cannot make
	mkdir -p "$_tmp/expected/test/consumers/expected" || exit 99
	awk -v skip="$skip_blocks" 'BEGIN { RS = ""; ORS = "\n\n" }
		$0 !~ skip' "$srcdir/test/consumers/expected/consumers.out" \
		>"$_tmp/expected/test/consumers/expected/consumers.out"
	_srcdir=$srcdir
	srcdir=$_tmp/expected
	check_output consumers
	srcdir=$_srcdir
fi
