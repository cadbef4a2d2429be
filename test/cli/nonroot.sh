#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Listing as a user who cannot read the root-only (0400) attributes: region
# align, resource and the mappingN ranges. They are left out, never shown
# as zero, and one note on stderr names what was left out. Under root the
# test drops to "nobody" with setpriv; the binary, its library and the
# fixtures are copied to a directory that user can reach.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"

# fixtures in a private copy that the unprivileged user can reach (with
# their recorded modes: the 0400 attributes must stay unreadable)
chmod 755 "$_tmp"
mkdir "$_tmp/r" || exit 99
for fx in hmem-20-system-ram-online hmem-multirange; do
	sh "$top_srcdir/test/fixtures/install.sh" "$fx" "$_tmp/r/$fx" || exit 99
	# the kernel shows /proc/iomem to other users with zeroed addresses
	iomem=$_tmp/r/$fx/proc/iomem
	sed 's/[0-9a-f][0-9a-f]*-[0-9a-f][0-9a-f]* :/00000000-00000000 :/' \
		"$iomem" >"$iomem.new" && mv "$iomem.new" "$iomem" &&
		chmod 444 "$iomem" || exit 99
done

if [ "$(id -u)" = 0 ]; then
	require_prog setpriv
	user=nobody
	if ! id "$user" >/dev/null 2>&1; then
		echo "1..0 # SKIP no user '$user' to drop to"
		_tap_planned=1
		exit 0
	fi
	# the real binary, not libtool's wrapper script in the build tree,
	# which that user may not be able to reach
	mkdir "$_tmp/bin-nonroot" || exit 99
	real=$(dirname "$DAXCTL")/.libs/$(basename "$DAXCTL")
	[ -x "$real" ] || real=$DAXCTL
	cp "$real" "$_tmp/bin-nonroot/daxctl" &&
		cp -P "$top_builddir"/lib/.libs/libdaxctl.so* \
			"$_tmp/bin-nonroot/" || exit 99
	chmod -R o+rX "$_tmp/bin-nonroot"
	nonroot() {
		setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --clear-groups \
			env LD_LIBRARY_PATH="$_tmp/bin-nonroot" \
			"$_tmp/bin-nonroot/daxctl" "$@"
	}
else
	nonroot() { "$DAXCTL" "$@"; }
fi

run_nonroot() {
	_record_start "" "daxctl $*"
	nonroot "$@" >"$_tmp/stdout" 2>"$_tmp/stderr" </dev/null
	_record_end $?
}

run_nonroot --sysroot "$_tmp/r/hmem-20-system-ram-online" list -RDMi
run_nonroot --sysroot "$_tmp/r/hmem-20-system-ram-online" list -D
run_nonroot --sysroot "$_tmp/r/hmem-multirange" list -DM -d 0.1
# as root the same tree shows everything, and no note
run "" --sysroot "$_tmp/r/hmem-20-system-ram-online" list -RDMi
check_output nonroot
