# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# Sourced by the man page checks (check-man-options.sh,
# check-man-sections.sh), after test/cli/common.sh.

# The page text as asciidoctor would see it: includes expanded (relative
# to the including file), comment lines and comment blocks dropped. Exits
# non-zero when an include cannot be read.
page_text() {
	awk -v top="$1" '
	function expand(file, depth,    line, dir, inc, n, incomment) {
		if (depth > 16) {
			printf "include nesting too deep at %s\n", file > "/dev/stderr"
			bad = 1
			return
		}
		dir = file
		if (sub(/\/[^\/]*$/, "", dir) == 0)
			dir = "."
		incomment = 0
		while ((n = (getline line < file)) > 0) {
			if (line ~ /^\/\/\/\/+[ \t]*$/) {
				incomment = !incomment
				continue
			}
			if (incomment || line ~ /^\/\//)
				continue
			if (line ~ /^include::[^\[]+\[.*\][ \t]*$/) {
				inc = line
				sub(/^include::/, "", inc)
				sub(/\[.*$/, "", inc)
				if (inc !~ /^\//)
					inc = dir "/" inc
				expand(inc, depth + 1)
				continue
			}
			print line
		}
		if (n < 0) {
			printf "cannot read %s\n", file > "/dev/stderr"
			bad = 1
		}
		close(file)
	}
	BEGIN {
		bad = 0
		expand(top, 0)
		exit bad
	}'
}
