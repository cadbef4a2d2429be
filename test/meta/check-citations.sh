#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Comments cite only what is in the tree: every source file, script, make
# fragment or document that a comment names (lib/ctx.c, README.md...) must
# exist here, so a reader can open what a comment points at. A system
# header in angle brackets is not a citation. A path is
# looked up from the top of the tree, then from the citing file's
# directory; a bare *.md name anywhere below the citing file's directory
# or the top. Recorded data (fixtures, replays, golden files) is not code.
: "${top_srcdir:=$(dirname "$0")/../..}"
cd "$top_srcdir" || exit 1

files=$(find lib daxctl util test bench contrib Documentation \
	\( -path test/fixtures -o -path test/replay -o -path test/fuzz/corpus \
	-o -name expected -o -name reference \) -prune -o -type f \
	\( -name '*.[ch]' -o -name '*.cc' -o -name '*.sh' -o -name '*.am' \
	-o -name '*.in' -o -name '*.jq' -o -name '*.bash-completion' \) \
	-print | LC_ALL=C sort)
files="$files Makefile.am configure.ac"

# The comment lines of a file: C block and line comments (a line opening
# or continuing one), shell and make comments (a line starting with #).
comments() {
	case $1 in
	*.[ch] | *.cc)
		grep -E '^[[:space:]]*(/\*|\*|//)|[[:space:]](/\*|//)' "$1" ;;
	*)
		grep -E '^[[:space:]]*#([^!]|$)' "$1" ;;
	esac
}

echo "1..1"
bad=
for f in $files; do
	dir=$(dirname "$f")
	# paths with a directory, and bare Markdown names
	for c in $(comments "$f" |
		grep -oE '<?[A-Za-z0-9_.-]*/[A-Za-z0-9_./-]+\.(md|c|h|cc|sh|am|adoc)\b|\b[A-Za-z0-9_-]+\.md\b' |
		grep -v '^<' | sed 's|^\./||; s|^/||' | LC_ALL=C sort -u); do
		[ -e "$c" ] || [ -e "$dir/$c" ] && continue
		case $c in
		*/*) ;;
		*)
			[ -n "$(find "$dir" . -maxdepth 3 -name "$c" -print -quit)" ] &&
				continue ;;
		esac
		bad="$bad
$f: $c"
	done
done
if [ -n "$bad" ]; then
	echo "not ok 1 - every file a comment cites is in the tree"
	echo "$bad" | sed '/^$/d; s/^/# not found: /'
	exit 1
fi
echo "ok 1 - every file a comment cites is in the tree"
