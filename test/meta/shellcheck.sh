#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every shell script of the tree passes shellcheck, with the settings of
# .shellcheckrc. One TAP line per script, so a new warning names its file;
# the warnings follow as diagnostics. Without shellcheck the test is a
# SKIP (CI installs it, so CI always runs it).
: "${top_srcdir:=$(dirname "$0")/../..}"

if ! command -v shellcheck >/dev/null 2>&1; then
	echo "1..0 # SKIP shellcheck is not installed (apt-get install shellcheck)"
	exit 0
fi

# The shell code: scripts by name or by their #! line, and the sourced
# libraries (which say "# shellcheck shell=sh"). Recorded data (the fixture
# trees, recordings, expected outputs, fuzzing corpora), build trees
# (build*/, distcheck's _build/ and _inst/) and the files autotools install
# in build-aux/ are not code, or not ours.
list_scripts() {
	cd "$top_srcdir" || exit 1
	find . \( -path ./.git -o -path ./autom4te.cache \
		-o -path './build*' ! -path './build-aux*' \
		-o -path './build-aux/*' ! -name git-version \
		-o -path ./_build -o -path ./_inst -o -path './daxctl-*' \
		-o -type d \( -path './test/fixtures/*' -o -path './test/replay/*' \) \
		-o -path '*/expected' -o -path ./test/cli/reference \
		-o -path ./test/fuzz/corpus \) -prune -o -type f -print |
	while read -r f; do
		case $f in
		*.sh | *.bash-completion) echo "$f" ;;
		*.c | *.h | *.cc | *.md | *.adoc | *.json | *.am | *.ac) ;;
		*)
			case $(head -n 1 "$f" 2>/dev/null | tr -d '\0') in
			'#!/bin/sh'* | '#!/bin/bash'* | '#!/usr/bin/env bash'*)
				echo "$f" ;;
			esac ;;
		esac
	done | sed 's|^\./||' | LC_ALL=C sort
}

scripts=$(list_scripts)
n=$(echo "$scripts" | grep -c .)
echo "1..$n"
i=0 fail=0
for f in $scripts; do
	i=$((i + 1))
	# -x: follow what a script sources when shellcheck can find it
	if out=$(cd "$top_srcdir" && shellcheck -x -f gcc "$f" 2>&1); then
		echo "ok $i - $f"
	else
		echo "not ok $i - $f"
		fail=1
		echo "$out" | sed 's/^/# /'
	fi
done
exit $fail
