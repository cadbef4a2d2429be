#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every command that "daxctl --list-cmds" prints, except help and version,
# has a manual page Documentation/daxctl/daxctl-<cmd>.adoc, and every long
# option that "daxctl <cmd> --list-opts" prints appears in that page as
# "--<name>" (not followed by more of a name, so --region is not
# satisfied by --regions). Pages are read with their include:: directives
# expanded and their comments removed. Needs no asciidoctor.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/meta/man-page-text.sh"

docdir=$top_srcdir/Documentation/daxctl

cmds=$("$DAXCTL" --list-cmds)
rc=$?
[ "$rc" = 0 ] && [ -n "$cmds" ]
tap_result $? "daxctl --list-cmds lists commands (exit $rc)"

for cmd in $cmds; do
	case $cmd in
	help | version)
		continue
		;;
	esac
	page=$docdir/daxctl-$cmd.adoc
	if [ ! -f "$page" ]; then
		tap_result 1 "$cmd: Documentation/daxctl/daxctl-$cmd.adoc exists"
		continue
	fi
	tap_result 0 "$cmd: Documentation/daxctl/daxctl-$cmd.adoc exists"

	page_text "$page" > "$_tmp/page" 2> "$_tmp/page.err"
	rc=$?
	tap_result "$rc" "$cmd: includes of daxctl-$cmd.adoc resolve" ||
		sed 's/^/# /' "$_tmp/page.err"

	opts=$("$DAXCTL" "$cmd" --list-opts < /dev/null 2> "$_tmp/opts.err")
	rc=$?
	[ "$rc" = 130 ]
	tap_result $? "$cmd: --list-opts exits with 130 (got $rc)" ||
		sed 's/^/# /' "$_tmp/opts.err"

	for opt in $opts; do
		case $opt in
		--?*)
			;;
		*)
			tap_result 1 "$cmd: --list-opts printed '$opt', not a long option"
			continue
			;;
		esac
		grep -Eq -e "${opt}([^A-Za-z0-9_-]|\$)" "$_tmp/page"
		tap_result $? "$cmd: daxctl-$cmd.adoc documents $opt"
	done
done
