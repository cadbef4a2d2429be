#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fixture-install.sh NAME DEST
# fixture-install.sh --list
#
# Install the fake system root test/fixtures/NAME into DEST (created if
# needed; must be empty if it exists): copy its sys/ and proc/ trees,
# make everything writable by the owner with the default modes 0644/0755,
# drop the ".keep" placeholders of empty directories, then apply the real
# modes listed in test/fixtures/NAME/modes.  Works from a read-only source
# tree (make distcheck).  Symlinks are copied as symlinks.

me=${0##*/}
die() { echo "$me: $*" >&2; exit 1; }

case $0 in
*/*) here=${0%/*} ;;
*) here=. ;;
esac
here=$(cd "$here" && pwd) || die "cannot find my own directory"
fixtures=$here/fixtures
# Release tarballs carry the trees as test/fixtures.tar: automake's dist
# tar follows symlinks, which sysfs trees are full of.
archive=$here/fixtures.tar

list_fixtures() {
	if [ -f "$archive" ]; then
		tar -tf "$archive" | sed -n 's|^fixtures/\([^/]*\)/sys/$|\1|p'
	else
		for d in "$fixtures"/*/; do
			[ -d "${d}sys" ] || continue
			d=${d%/}
			echo "${d##*/}"
		done
	fi | sort -u
}

if [ "$1" = "--list" ]; then
	list_fixtures
	exit 0
fi
[ $# -eq 2 ] || { echo "usage: $me NAME DEST | $me --list" >&2; exit 2; }
name=$1
dest=$2

case $name in
"" | */* | .*) die "invalid fixture name '$name'" ;;
esac
src=$fixtures/$name
if [ ! -d "$src/sys" ] && [ -f "$archive" ]; then
	unpacked=$(mktemp -d "${TMPDIR:-/tmp}/fixture.XXXXXX") ||
		die "cannot create a temporary directory"
	trap 'rm -rf "$unpacked"' EXIT
	tar -xf "$archive" -C "$unpacked" "fixtures/$name" 2>/dev/null
	src=$unpacked/fixtures/$name
fi
if [ ! -d "$src/sys" ]; then
	echo "$me: unknown fixture '$name'; known fixtures:" >&2
	list_fixtures | sed 's/^/  /' >&2
	exit 1
fi

if [ -e "$dest" ]; then
	[ -d "$dest" ] || die "$dest exists and is not a directory"
	[ -z "$(ls -A "$dest")" ] || die "$dest is not empty"
else
	mkdir -p "$dest" || die "cannot create $dest"
fi

for top in sys proc; do
	[ -d "$src/$top" ] || continue
	cp -PR "$src/$top" "$dest/" || die "copy of $src/$top failed"
done

# default modes first (the source may be read-only, umask may be strict)
find "$dest" -type d -exec chmod 0755 {} + || die "chmod failed"
find "$dest" -type f -exec chmod 0644 {} + || die "chmod failed"
find "$dest" -type f -name .keep -exec rm -f {} + || die "rm failed"

# then the real modes: files first, directories last
if [ -f "$src/modes" ]; then
	while read -r mode path; do
		[ -n "$path" ] || continue
		[ -d "$dest/$path" ] && continue
		chmod "$mode" "$dest/$path" || die "chmod $mode $path failed"
	done < "$src/modes"
	while read -r mode path; do
		[ -n "$path" ] || continue
		[ -d "$dest/$path" ] || continue
		chmod "$mode" "$dest/$path" || die "chmod $mode $path failed"
	done < "$src/modes"
fi
exit 0
