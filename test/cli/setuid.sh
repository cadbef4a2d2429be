#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A setuid or setgid daxctl refuses another system root, from --sysroot
# or DAXCTL_SYSROOT, with an error: dropping it silently would turn a
# command meant for a copy of a system onto the live one. Needs root (to
# make a set-ID copy and run it as "nobody") and a file system that
# honours set-ID bits.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"

skip_all() {
	echo "1..0 # SKIP $*"
	_tap_planned=1
	exit 0
}
[ "$(id -u)" = 0 ] || skip_all "needs root to make a set-ID copy"
require_prog setpriv
user=nobody
id "$user" >/dev/null 2>&1 || skip_all "no user '$user' to run it as"
case ,$(findmnt -no OPTIONS -T "$_tmp" 2>/dev/null), in
*,nosuid,*) skip_all "$_tmp is mounted nosuid" ;;
esac

chmod 755 "$_tmp"
root=$_tmp/root
sh "$top_srcdir/test/fixtures/install.sh" hmem-10-created "$root" >&2 ||
	_bail "cannot install the fixture"
chmod -R o+rX "$root"
# the real binary, not libtool's wrapper script
real=$top_builddir/test/cli/.libs/daxctl-rpath
[ -x "$real" ] || real=$top_builddir/test/cli/daxctl-rpath
cp "$real" "$_tmp/daxctl" || _bail "cannot copy $real"
bin=$_tmp/daxctl

# as_user ARGS...: run ARGS as $user, output in $_tmp/out and $_tmp/err
as_user() {
	setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" \
		--clear-groups "$@" > "$_tmp/out" 2> "$_tmp/err" < /dev/null
}
# expect EXIT MESSAGE DESCRIPTION
expect() {
	_rc=$?
	if [ "$_rc" = "$1" ] && { [ -z "$2" ] || grep -qF -- "$2" "$_tmp/err"; }; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		echo "# got exit $_rc:"
		sed 's/^/#   /' "$_tmp/err" | head -n 5
	fi
}

# without a set-ID bit the copy reads the root it is given
chmod 755 "$bin"
as_user "$bin" --sysroot "$root" list -D
expect 0 "" "a plain copy takes --sysroot"
grep -q '"chardev":"dax0.1"' "$_tmp/out"
tap_result $? "  and lists the devices below it"
as_user env DAXCTL_SYSROOT="$root" "$bin" list -D
expect 0 "" "a plain copy takes DAXCTL_SYSROOT"

for mode in 4755 2755; do
	case $mode in 4*) what=setuid ;; *) what=setgid ;; esac
	if ! chown root:root "$bin" || ! chmod "$mode" "$bin"; then
		_bail "cannot make $bin $what"
	fi
	as_user "$bin" --sysroot "$root" list -D
	expect 1 "system root $root is refused in a setuid or setgid program" \
		"a $what copy refuses --sysroot"
	[ ! -s "$_tmp/out" ]
	tap_result $? "  and lists nothing"
	as_user env DAXCTL_SYSROOT="$root" "$bin" list -D
	expect 1 "DAXCTL_SYSROOT=$root is refused in a setuid or setgid program" \
		"a $what copy refuses DAXCTL_SYSROOT"
	[ ! -s "$_tmp/out" ]
	tap_result $? "  and lists nothing"
	as_user env DAXCTL_SYSROOT=/ "$bin" --sysroot / version
	expect 0 "" "a $what copy takes the live system's root, /"
done
