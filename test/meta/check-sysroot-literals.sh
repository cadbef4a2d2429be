#!/bin/sh
# Fail when a C source outside util/sysroot.c spells a path into the live
# system's /sys, /proc or /dev: such a path would bypass the system root
# that tests, captured dumps and --sysroot rely on. Comments may mention
# such paths; "/dev/null" is not system state and is allowed.
: "${top_srcdir:=$(dirname "$0")/../..}"
echo "1..2"
# shellcheck disable=SC2046 # find's list of file names (no blanks in them)
hits=$(cd "$top_srcdir" && grep -nE '"/(sys|proc|dev)([/"]|$)' \
	$(find lib daxctl util -name '*.[ch]' ! -path util/sysroot.c | sort) |
	grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*|//)' |
	grep -v '"/dev/null"')
if [ -n "$hits" ]; then
	echo "not ok 1 - no /sys, /proc or /dev literal outside util/sysroot.c"
	echo "$hits" | sed 's/^/# /'
	fail=1
else
	echo "ok 1 - no /sys, /proc or /dev literal outside util/sysroot.c"
fi
# the check is only meaningful while the helper still holds the paths
if grep -q '"/sys"' "$top_srcdir/util/sysroot.c"; then
	echo "ok 2 - util/sysroot.c defines the sysfs mount point"
else
	echo "not ok 2 - util/sysroot.c defines the sysfs mount point"
	fail=1
fi
exit "${fail:-0}"
