#!/bin/bash
# import-fixtures.sh KEEPDIR [KVER]
#
# Fixtures and reference listings from a kernel-tier run that recorded the
# sysfs at every state:
#
#   KERNEL_SNAPSHOTS=1 KERNEL_KEEP=/tmp/kres KERNEL_VERSIONS=6.12 make check-kernel
#   bash test/kernel/import-fixtures.sh /tmp/kres 6.12
#
# For each KEEPDIR/KVER/KIND/guest/snapshots/STATE.txt (guest/snapshot.sh):
#   test/fixtures/kernel-KVER-KIND-NN-STATE/   made by test/fixtures/mk-fixture.sh,
#       without the uevent files
#   test/cli/reference/kernel-KVER-KIND-NN-STATE-list-RDMiu.json
#       what the reference daxctl (v81 on 6.12) printed for "list -RDMiu"
#       at that state, in the same guest
#   and its line in test/cli/reference/cases (replaced if there), so that
#   "make check" (test/cli/reference.sh) compares ours on the fixture. A new
#   JSON file also goes into EXTRA_DIST of test/cli/cli.am (by hand).
# KIND "a,b" becomes "a-b"; NN orders the states as list.sh reaches them.
set -eu
keep=${1:?usage: import-fixtures.sh KEEPDIR [KVER]}
kver=${2:-6.12}
top=$(cd "$(dirname "$0")/../.." && pwd)
cases=$top/test/cli/reference/cases

num() {
	case $1 in
	boot) echo 00 ;; cxlborn) echo 05 ;; created) echo 10 ;; sysram) echo 20 ;;
	offline) echo 25 ;; pmem) echo 50 ;; pmemsysram) echo 55 ;; *) echo 90 ;;
	esac
}
for kd in "$keep/$kver"/*/; do
	kind=$(basename "$kd")
	g=$kd/guest
	[ -d "$g/snapshots" ] || continue
	for snap in "$g"/snapshots/*.txt; do
		st=$(basename "$snap" .txt)
		name=kernel-$kver-${kind//,/-}-$(num "$st")-$st
		seq=$(awk -F'\t' -v n="r-$st-RDMiu" '$6 == n { print $1; exit }' "$g/commands.tsv")
		ref=$g/commands/$seq-r-$st-RDMiu
		if [ -z "$seq" ] || [ "$(cat "$ref/rc")" != 0 ]; then
			echo "$name: no reference listing, skipped" >&2
			continue
		fi
		"$top/test/fixtures/mk-fixture.sh" "$snap" "$top/test/fixtures/$name"
		# small: no uevent files (nothing here reads them)
		find "$top/test/fixtures/$name/sys" -name uevent -type f -delete
		grep -v '/uevent$' "$top/test/fixtures/$name/modes" > "$top/test/fixtures/$name/modes.tmp" || :
		mv "$top/test/fixtures/$name/modes.tmp" "$top/test/fixtures/$name/modes"
		cp "$ref/stdout" "$top/test/cli/reference/$name-list-RDMiu.json"
		grep -v "^$name	" "$cases" > "$cases.tmp" || :
		printf '%s\t%s\t%s\n' "$name" "$name-list-RDMiu.json" "list -RDMiu" >> "$cases.tmp"
		mv "$cases.tmp" "$cases"
		echo "$name"
	done
done
