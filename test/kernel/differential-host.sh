#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# differential-host.sh GUEST_RECORD [HOST_RECORD]
#
# The host half of the differential check (see README.md): runs
# guest/differential.sh against the emulator (daxsim, mounted with
# test/daxsim/scenarios/kernel-hmem.json, the VM's hmem machine) and
# compares its record with GUEST_RECORD, the one the same script wrote on
# the real kernel.  Step by step: the exit status, stderr, stdout, the
# region, the device list, every memory block and /proc/iomem must be the
# same.  A step that differs is a failure unless differential-gaps.txt
# (beside this script) lists it with the reason.
#
# Output, one line per result, for check-kernel.sh to number:
#   ok<TAB>DESCRIPTION          the step matches
#   gap<TAB>DESCRIPTION<TAB>WHY a listed gap that differs
#   fail<TAB>DESCRIPTION        a difference nobody listed
#   skip<TAB>REASON             the emulator cannot run here (nothing else)
#   # ...                       diagnostics
# HOST_RECORD, when given, keeps the emulator's record.
#
# Environment: DAXSIM (the emulator binary), DAXCTL_BIN and DAXCTL_LIB (the
# same binary and library the guest ran), DIFF_SCENARIO (default
# kernel-hmem.json), DIFF_GAPS (default differential-gaps.txt here).

kdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
srcdir=$(cd "$kdir/../.." && pwd)
guest=$1
: "${DIFF_SCENARIO:=$srcdir/test/daxsim/scenarios/kernel-hmem.json}"
: "${DIFF_GAPS:=$kdir/differential-gaps.txt}"

skip() { printf 'skip\t%s\n' "$*"; exit 0; }

[ -x "${DAXSIM:-}" ] || skip "daxsim was not built (needs libfuse3-dev)"
[ -c /dev/fuse ] || skip "no /dev/fuse"
command -v fusermount3 >/dev/null 2>&1 || skip "no fusermount3 (Debian package fuse3)"
command -v jq >/dev/null 2>&1 || skip "no jq"
# the guest runs as root and reads root-only attributes (0400); so must we
[ "$(id -u)" = 0 ] || skip "needs root, as in the guest (root-only attributes)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/differential.XXXXXX") || exit 99
mnt=$tmp/mnt
# shellcheck disable=SC2317 # cleanup runs from the EXIT trap
cleanup() {
	mountpoint -q "$mnt" 2>/dev/null && fusermount3 -u "$mnt"
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$mnt" "$tmp/scratch"
if ! "$DAXSIM" "$DIFF_SCENARIO" "$mnt" 2> "$tmp/daxsim.log"; then
	sed 's/^/# /' "$tmp/daxsim.log"
	grep -qi fuse "$tmp/daxsim.log" && skip "cannot mount FUSE here"
	printf 'fail\tdaxsim mounts %s\n' "${DIFF_SCENARIO##*/}"
	exit 0
fi
for _ in $(seq 100); do
	[ -d "$mnt/sys" ] && break
	sleep 0.1
done

# the same binary and library as in the guest; no rpath, so say where
DAXCTL_SYSROOT=$mnt DIFF_ROOT=$mnt DIFF_TMP=$tmp/scratch \
	DIFF_DAXCTL="env LD_LIBRARY_PATH=$(dirname "$DAXCTL_LIB") $DAXCTL_BIN" \
	sh "$kdir/guest/differential.sh" "$tmp/host.txt" 2> "$tmp/host.err"
rc=$?
sed 's/^/# host: /' "$tmp/host.err"
[ -n "${2:-}" ] && cp "$tmp/host.txt" "$2"
if [ $rc != 0 ] || ! grep -q '^== start$' "$tmp/host.txt"; then
	printf 'fail\tdifferential.sh ran on the emulator (exit %s)\n' "$rc"
	exit 0
fi

# one file per step and side: NNN-STEP, in the order of the steps
split() { # RECORD DIR
	mkdir -p "$2"
	awk -v d="$2" '
		/^== / { n++; f = sprintf("%s/%03d-%s", d, n, substr($0, 4)) }
		{ print > f }' "$1"
}
split "$guest" "$tmp/g"
split "$tmp/host.txt" "$tmp/h"

gap_reason() { # STEP
	awk -v s="$1" '!/^#/ && $1 == s { sub(/^[^ \t]+[ \t]+/, ""); print; exit }' \
		"$DIFF_GAPS" 2>/dev/null
}

# shellcheck disable=SC2012 # the step directories are NNN-name, no blanks
steps() { ls "$1" | sed 's/^[0-9]*-//'; }
if [ "$(steps "$tmp/g")" != "$(steps "$tmp/h")" ]; then
	printf 'fail\tthe same steps ran on both (kernel: %s, emulator: %s)\n' \
		"$(steps "$tmp/g" | wc -l)" "$(steps "$tmp/h" | wc -l)"
	diff <(steps "$tmp/g") <(steps "$tmp/h") | sed 's/^/# /'
fi
dups=$(steps "$tmp/h" | sort | uniq -d | tr '\n' ' ')
[ -z "$dups" ] || printf 'fail\tstep names are unique (twice: %s)\n' "$dups"
for g in "$tmp"/g/*; do
	f=${g##*/}
	s=${f#[0-9][0-9][0-9]-}
	# shellcheck disable=SC2012 # the step directories are NNN-name, no blanks
	h=$(ls "$tmp"/h/[0-9][0-9][0-9]-"$s" 2>/dev/null | head -n1)
	[ -n "$h" ] || continue
	what=$(sed -n '2s/^\$ //p' "$g")
	[ "$s" = start ] && what="the machine and the starting state"
	why=$(gap_reason "$s")
	if cmp -s "$g" "$h"; then
		printf 'ok\t%s: %s\n' "$s" "$what"
		[ -n "$why" ] && echo "# listed gap $s matches now: remove it from ${DIFF_GAPS##*/}?"
	elif [ -n "$why" ]; then
		printf 'gap\t%s: %s\t%s\n' "$s" "$what" "$why"
	else
		printf 'fail\t%s: %s\n' "$s" "$what"
		diff -u --label kernel --label emulator "$g" "$h" | tail -n +3 | sed 's/^/# /'
	fi
done
# a gap for a step that does not exist is a typo, or an old entry
awk '!/^#/ && NF { print $1 }' "$DIFF_GAPS" 2>/dev/null | while read -r s; do
	steps "$tmp/g" | grep -qx -- "$s" ||
		printf 'fail\t%s names step "%s", which does not exist\n' "${DIFF_GAPS##*/}" "$s"
done
exit 0
