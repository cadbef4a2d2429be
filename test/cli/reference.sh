#!/bin/sh
# Differential test: "daxctl list" on each recorded sysfs tree against what
# the reference daxctl (Debian 76.1) printed on the real kernel at the moment
# the tree was recorded (test/cli/reference/, copied from the recording). Both
# sides are normalised for the documented differences only: output always
# an array (the reference prints a bare object for -u with one element and
# nothing for an empty list) and ordering (regions and devices by id,
# mappings by page_offset; the reference uses reverse directory order).
# Key order, value types and formats must match exactly.
: "${srcdir:=$(dirname "$0")/../..}"
refdir=$srcdir/test/cli/reference

if ! command -v jq >/dev/null 2>&1; then
	echo "1..0 # SKIP jq is not installed (Debian package jq)"
	exit 0
fi
if [ -z "$DAXCTL" ] || [ -z "$FIXTURE_ROOTS" ]; then
	echo "Bail out! DAXCTL and FIXTURE_ROOTS must be set (make check)"
	exit 99
fi

norm() {
	if [ -s "$1" ]; then jq -c -f "$srcdir/test/cli/list-normalise.jq" "$1"; else echo '[]'; fi
}

total=$(grep -c . "$refdir/cases")
echo "1..$total"
n=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS='	' read -r fixture file args; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # ARGS, a column of the table, are words
	"$DAXCTL" --sysroot "$FIXTURE_ROOTS/$fixture" $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "not ok $n - $fixture: daxctl $args exited $rc"
		sed 's/^/# /' "$tmp/err"
		fail=1
		continue
	fi
	norm "$refdir/$file" >"$tmp/want"
	norm "$tmp/out" >"$tmp/got"
	if cmp -s "$tmp/want" "$tmp/got"; then
		echo "ok $n - $fixture: daxctl $args matches the reference"
	else
		echo "not ok $n - $fixture: daxctl $args differs from the reference"
		diff "$tmp/want" "$tmp/got" | sed 's/^/# /'
		fail=1
	fi
done <"$refdir/cases"
exit $fail
