#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-kernel.sh -- "daxctl list" on a REAL kernel (Debian 12's 6.1, in
# QEMU, KVM when it works, TCG otherwise), against Debian's daxctl 76.1 run
# on the same devices at the same moment.  Slow (a boot per region kind):
# not part of "make check"; run with "make check-kernel".  TAP output.
#
# For each region kind (hmem, hmem-numa, nvdimm, pmem-legacy) the VM boots
# once and test/kernel/guest/list.sh lists every state it can reach with the
# reference tools (see there).  Checked here, per command:
#   (a) our output is valid JSON and an array,
#   (b) it equals the reference's after the normalisation of
#       test/cli/reference.sh (always an array, numeric order of regions and
#       devices, mappings by page_offset),
#   (c) the exit code: 0 for list, 129 for invalid -r/-d values;
# (d) the consumer programs agree with the listing (guest/consumers.sh);
# (e) our lifecycle commands (guest/lifecycle.sh); and (f) for hmem, the
# differential check: guest/differential.sh runs the same steps in the
# guest and on the emulator (daxsim, test/daxsim/scenarios/kernel-hmem.json)
# and every step's record must be the same, or the step listed with its
# reason in test/kernel/differential-gaps.txt (test/kernel/README.md).
#
# Environment:
#   DAXCTL_BIN   our real daxctl binary (not the libtool wrapper)
#                default $top_builddir/daxctl/.libs/daxctl
#   DAXCTL_LIB   our libdaxctl.so.1 (default next to it, in lib/.libs)
#   CONSUMERS_BIN  a directory with the consumer programs built on the host
#                (optional; test/consumers/consumers.sh shows how they are
#                built)
#   KERNEL_KINDS default "hmem hmem-numa nvdimm pmem-legacy"
#   KERNEL_VERSIONS default "6.1 6.12"; KERNEL_KINDS_612 the kinds on
#                6.12 only (test/kernel/kernels.sh)
#   VM_CACHE     default /var/tmp/daxctl-vm-cache;  VM_ACCEL auto|kvm|tcg
#   KERNEL_TIMEOUT  hard limit in seconds per boot (default 600)
#   KERNEL_ONLY     "differential": the guest runs only the differential
#                   check's steps (hmem, cxl), and only they are checked;
#                   "lifecycle": only our lifecycle suite (guest/lifecycle.sh,
#                   guest/autoonline.sh), after the regions' set-up
#   KERNEL_KEEP  a directory to keep the guest results in
#   KERNEL_SNAPSHOTS=1  record the sysfs at every state (for fixtures)
#   DAXSIM       the emulator (default $top_builddir/test/daxsim/daxsim,
#                brought up to date with make)
# Skips (exit 0) when QEMU cannot run or the packages cannot be fetched.

: "${srcdir:=$(dirname "$0")/../..}"
: "${top_builddir:=$srcdir/build}"
kdir=$srcdir/test/kernel
: "${DAXCTL_BIN:=$top_builddir/daxctl/.libs/daxctl}"
: "${DAXCTL_LIB:=$(dirname "$DAXCTL_BIN")/../lib/.libs/libdaxctl.so.1}"
: "${KERNEL_KINDS:=hmem hmem-numa nvdimm pmem-legacy}"
: "${KERNEL_TIMEOUT:=600}"
export VM_CACHE=${VM_CACHE:-/var/tmp/daxctl-vm-cache}
. "$kdir/kernels.sh"

skip_all() { echo "1..0 # SKIP $*"; exit 0; }

command -v jq >/dev/null 2>&1 || skip_all "jq is not installed (Debian package jq)"
[ -x "$DAXCTL_BIN" ] || { echo "Bail out! no daxctl binary at $DAXCTL_BIN (set DAXCTL_BIN)"; exit 99; }
[ -f "$DAXCTL_LIB" ] || { echo "Bail out! no libdaxctl at $DAXCTL_LIB (set DAXCTL_LIB)"; exit 99; }
case $(head -c 4 "$DAXCTL_BIN" | od -An -c | tr -d ' ') in
*ELF*) ;;
*) echo "Bail out! $DAXCTL_BIN is not an ELF file (the libtool wrapper?)"; exit 99 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-kernel.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# ---- can the VM be prepared and run at all?
if ! "$kdir/prepare.sh" >"$tmp/prepare.log" 2>&1; then
	sed 's/^/# /' "$tmp/prepare.log" | tail -n 20
	skip_all "cannot prepare the VM (QEMU or the Debian packages unavailable; see above)"
fi
command -v qemu-system-x86_64 >/dev/null 2>&1 || skip_all "qemu-system-x86_64 is not installed"
qemu-system-x86_64 -machine none -nodefaults -display none -S -monitor none \
	-no-user-config </dev/null >/dev/null 2>"$tmp/qemu.err" &
qpid=$!
sleep 1
if kill -0 "$qpid" 2>/dev/null; then
	kill "$qpid"; wait "$qpid" 2>/dev/null
else
	wait "$qpid" 2>/dev/null
	[ -s "$tmp/qemu.err" ] && { sed 's/^/# /' "$tmp/qemu.err"; skip_all "QEMU cannot start here"; }
fi

# our binary and library, as the guest gets them (the real file of the
# library under its soname; our daxctl has no rpath: the guest runs it with
# LD_LIBRARY_PATH, or it would load Debian's libdaxctl)
mkdir -p "$tmp/x/lib"
cp "$DAXCTL_BIN" "$tmp/x/daxctl"
cp -L "$DAXCTL_LIB" "$tmp/x/lib/libdaxctl.so.1"
extra=$tmp/x/daxctl
genv="DAXCTL=/vmtest/extra/daxctl OURLIB=/vmtest/extra/lib"
# the consumer programs: built like test/consumers/consumers.sh does (a
# staged install, pkg-config), unless CONSUMERS_BIN gives them or this is
# not a build tree
submake() ( unset MAKEFLAGS MFLAGS MAKELEVEL; ${MAKE:-make} "$@" )
if [ -z "${CONSUMERS_BIN:-}" ] && [ -f "$top_builddir/Makefile" ] &&
		command -v pkg-config >/dev/null 2>&1; then
	stage=$tmp/stage
	if submake -C "$top_builddir" install DESTDIR="$stage" >"$tmp/install.log" 2>&1; then
		pcdir=$(dirname "$(find "$stage" -name libdaxctl.pc | head -n1)")
		if PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$stage \
			submake -C "$srcdir/test/consumers" O="$tmp/consumers" \
				"$tmp/consumers/daxio-like" "$tmp/consumers/memkind-like" \
				"$tmp/consumers/qemu-like" >"$tmp/consumers.log" 2>&1; then
			CONSUMERS_BIN=$tmp/consumers
			# for guest/debian.sh: libraries loaded as plugins are
			${CC:-cc} -O2 -o "$tmp/consumers/dlopen-now" \
				"$srcdir/test/consumers/dlopen-now.c" -ldl \
				>>"$tmp/consumers.log" 2>&1 ||
				echo "# could not build dlopen-now; its checks are skipped"
		else
			echo "# could not build the consumers; they are left out:"
			tail -n 10 "$tmp/consumers.log" | sed 's/^/# /'
		fi
	else
		echo "# make install failed; the consumers are left out:"
		tail -n 10 "$tmp/install.log" | sed 's/^/# /'
	fi
fi
if [ -n "${CONSUMERS_BIN:-}" ] && [ -d "$CONSUMERS_BIN" ]; then
	mkdir -p "$tmp/x/consumers"
	for p in daxio-like memkind-like qemu-like ndctl-like famfs-like dlopen-now; do
		[ -x "$CONSUMERS_BIN/$p" ] && cp "$CONSUMERS_BIN/$p" "$tmp/x/consumers/"
	done
	extra=$extra:$tmp/x/consumers
	genv="$genv CONSUMERS_DIR=/vmtest/extra/consumers"
fi

norm() {
	if [ -s "$1" ]; then jq -c -f "$srcdir/test/cli/list-normalise.jq" "$1" 2>/dev/null || echo INVALID-JSON; else echo '[]'; fi
}

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; failed=$((failed + 1)); }
tap() { if [ "$1" = 0 ]; then shift; ok "$@"; else shift; notok "$@"; fi; }
diag() { sed 's/^/# /'; }

# the directory of recorded command NAME
cmddir() { # RESULTS NAME
	awk -F'\t' -v n="$2" '$6 == n { print $1; exit }' "$1/commands.tsv" |
		while read -r seq; do echo "$1/commands/$seq-$2"; done
}

# differential RECORD HOST_RECORD: compare the guest's record with the
# emulator's (test/kernel/differential-host.sh), one TAP line per step
differential() {
	local res_ desc why steps=0 same=0 gaps=0 diffs=0
	if [ ! -s "$1" ]; then
		notok "$kind: differential: the guest wrote its record"
		return
	fi
	while IFS='	' read -r res_ desc why; do
		case $res_ in
		ok) steps=$((steps + 1)); same=$((same + 1))
			ok "$kind: differential: $desc" ;;
		gap) steps=$((steps + 1)); gaps=$((gaps + 1))
			ok "$kind: differential: $desc # known gap: $why" ;;
		fail) steps=$((steps + 1)); diffs=$((diffs + 1))
			notok "$kind: differential: $desc" ;;
		skip) n=$((n + 1))
			echo "ok $n - $kind: differential with the emulator # SKIP $desc" ;;
		*) echo "$res_${desc:+	$desc}${why:+	$why}" ;;
		esac
	done < <(DAXSIM=$DAXSIM DAXCTL_BIN=$DAXCTL_BIN DAXCTL_LIB=$DAXCTL_LIB \
		DIFF_SCENARIO=$3 DIFF_GAPS=$4 \
		bash "$kdir/differential-host.sh" "$1" "$2")
	echo "# $kind: differential: $steps results, $same the same, $gaps known gaps, $diffs differ"
}

# our lifecycle commands' results (guest/lifecycle.sh writes lifecycle.tsv:
# CHECK<TAB>0|1<TAB>detail)
lifecycle_kind() {
	if [ -s "$g/lifecycle.tsv" ]; then
		while IFS='	' read -r check res_ detail; do
			tap "$res_" "$kind: lifecycle: $check${detail:+ ($detail)}"
		done < "$g/lifecycle.tsv"
	else
		notok "$kind: the lifecycle suite ran"
	fi
}

# (f) the differential check (hmem on 6.1 and 6.12, CXL): the guest ran
# guest/differential.sh; the same script on the emulator, with the
# scenario mirroring that VM, must give the same records, but for the gaps
# listed for that kernel and kind
differential_kind() {
	local dscn dgaps
	case $kind in
	6.1/hmem) dscn=kernel-hmem dgaps=differential-gaps.txt ;;
	6.12/hmem) dscn=kernel-6.12-hmem dgaps=differential-gaps-6.12.txt ;;
	6.12/cxl) dscn=kernel-6.12-cxl dgaps=differential-gaps-6.12-cxl.txt ;;
	*) return 0 ;;
	esac
	differential "$g/differential.txt" "$res/differential-emulator.txt" \
		"$srcdir/test/daxsim/scenarios/$dscn.json" "$kdir/$dgaps"
	[ -n "${KERNEL_KEEP:-}" ] && cp "$res/differential-emulator.txt" \
		"$KERNEL_KEEP/$kind/" 2>/dev/null
	return 0
}
# the emulator, for the differential check: (re)built here, being a check
# program and not part of "all"; without FUSE that part is skipped
: "${DAXSIM:=$top_builddir/test/daxsim/daxsim}"
case " $KERNEL_KINDS ${KERNEL_KINDS_612:-} " in
*" hmem "* | *" cxl "*)
	if [ "$DAXSIM" = "$top_builddir/test/daxsim/daxsim" ] &&
	   [ -f "$top_builddir/Makefile" ]; then
		submake -C "$top_builddir" test/daxsim/daxsim > "$tmp/daxsim-build.log" 2>&1 ||
			echo "# the emulator could not be built: the differential check is skipped"
	fi
	;;
esac

t_all0=$(date +%s)
for kver in $KERNEL_VERSIONS; do
tk0=$(date +%s)
ref=$(kernel_ref "$kver")
if ! why=$(kernel_prepare "$kver"); then
	n=$((n + 1))
	echo "ok $n - kernel $kver # SKIP cannot prepare its VM (packages not fetchable?)"
	echo "$why" | diag
	continue
fi
for kind in $(kernel_kinds "$kver"); do
	# no comma in the path: QEMU's -virtfs option would split it
	res=$tmp/out-$kver-${kind//,/+}
	t0=$(date +%s)
	VM_KERNEL=$kver VM_APPEND="$(kernel_append "$kver" "$kind")" \
	VM_DAX=$kind VM_EXTRA=$extra VM_EXTRA_LIBS=$tmp/x/lib/libdaxctl.so.1 \
		VM_GUEST_ENV="$genv KERNEL_VERSION=$kver SNAPSHOTS=${KERNEL_SNAPSHOTS:-0} VMTEST_ONLY=${KERNEL_ONLY:-all}" VM_TIMEOUT=$KERNEL_TIMEOUT \
		"$kdir/run-vm.sh" "$kdir/guest/list.sh" "$res" >"$tmp/run-$kver-$kind.log" 2>&1
	rc=$?
	t1=$(date +%s)
	kind=$kver/$kind
	echo "# $kind: VM run took $((t1 - t0)) s ($(grep -h '^accel=' "$res/timing.txt" 2>/dev/null))"
	# shellcheck disable=SC2115 # $KERNEL_KEEP is tested non-empty first
	[ -n "${KERNEL_KEEP:-}" ] && mkdir -p "$KERNEL_KEEP/$kver" && rm -rf "$KERNEL_KEEP/$kind" &&
		cp -a "$res" "$KERNEL_KEEP/$kind"
	if [ $rc = 4 ]; then
		diag < "$tmp/run-${kind/\//-}.log"
		skip_all "cannot prepare the VM"
	fi
	g=$res/guest
	# KERNEL_ONLY: the guest ran that part alone
	case ${KERNEL_ONLY:-} in
	differential)
		differential_kind
		continue ;;
	lifecycle)
		lifecycle_kind
		continue ;;
	esac
	if [ ! -s "$g/cases.tsv" ]; then
		notok "$kind: the guest ran list.sh (run-vm.sh exit $rc)"
		tail -n 30 "$tmp/run-${kind/\//-}.log" | diag
		tail -n 30 "$res/serial.log" 2>/dev/null | diag
		continue
	fi
	tap "$( [ "$(cat "$g/setup-failures" 2>/dev/null)" = 0 ] && echo 0 || echo 1)" \
		"$kind: the guest reached every state with the reference tools"
	grep -q "/vmtest/extra/lib/libdaxctl.so.1" "$g/ours-ldd.txt"
	tap $? "$kind: our daxctl loads our libdaxctl in the guest"
	# shellcheck disable=SC2181 # the status of the grep above, after tap used it
	[ $? = 0 ] || diag < "$g/ours-ldd.txt"

	while IFS='	' read -r st name want cmp args; do
		o=$(cmddir "$g" "o-$st-$name")
		r=$(cmddir "$g" "r-$st-$name")
		label="$kind/$st: daxctl $args"
		got=$(cat "$o/rc" 2>/dev/null)
		if [ "$got" = "$want" ]; then
			ok "$label: exit $want"
		else
			notok "$label: exit $got, expected $want"
			diag < "$o/stderr"
		fi
		[ "$want" = 0 ] || continue
		# (a) valid JSON, an array: ours prints "[]" when nothing matches
		if [ -s "$o/stdout" ] && jq -e 'type == "array"' "$o/stdout" >/dev/null 2>&1; then
			ok "$label: a JSON array"
		else
			notok "$label: not a JSON array"
			head -c 2000 "$o/stdout" | diag
		fi
		[ "$cmp" = yes ] || continue
		# (b) the reference, normalised
		if [ "$(cat "$r/rc")" != 0 ]; then
			echo "# reference exit $(cat "$r/rc") for $label: not compared"
			diag < "$r/stderr"
			continue
		fi
		norm "$r/stdout" > "$tmp/want"
		norm "$o/stdout" > "$tmp/got"
		if cmp -s "$tmp/want" "$tmp/got"; then
			ok "$label: same as daxctl $ref"
		else
			notok "$label: differs from daxctl $ref"
			diff <(jq . "$tmp/want" 2>/dev/null || cat "$tmp/want") \
				<(jq . "$tmp/got" 2>/dev/null || cat "$tmp/got") | diag
		fi
	done < "$g/cases.tsv"

	# (e) our lifecycle commands (lifecycle_kind)
	lifecycle_kind

	# (f) the differential check
	differential_kind

	# (d) consumers, when they ran (guest/consumers.sh writes consumers.tsv:
	# STAGE<TAB>CHECK<TAB>0|1<TAB>detail)
	if [ -s "$g/consumers.tsv" ]; then
		while IFS='	' read -r st check res_ detail; do
			tap "$res_" "$kind/$st: consumers: $check${detail:+ ($detail)}"
		done < "$g/consumers.tsv"
	fi

	# (g) Debian's own consumers with Debian's libdaxctl and ours
	# (guest/debian.sh writes debian.tsv: STAGE<TAB>CHECK<TAB>0|1|skip<TAB>detail)
	if [ -s "$g/debian.tsv" ]; then
		while IFS='	' read -r st check res_ detail; do
			if [ "$res_" = skip ]; then
				n=$((n + 1))
				echo "ok $n - $kind/$st: Debian's consumers: $check # SKIP $detail"
			else
				tap "$res_" "$kind/$st: Debian's consumers: $check${detail:+ ($detail)}"
			fi
		done < "$g/debian.tsv"
	else
		notok "$kind: Debian's consumers ran (guest/debian.sh)"
	fi
done
echo "# kernel $kver: $(( $(date +%s) - tk0 )) s"
done
t_all1=$(date +%s)
echo "# total $((t_all1 - t_all0)) s"
echo "1..$n"
[ $failed = 0 ]
