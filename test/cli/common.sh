# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# Helpers for the shell tests, sourced by the scripts of every tier
# (test/cli/, test/daxsim/, test/replay/, test/lib/, test/consumers/,
# test/meta/), each two levels below the top of the tree:
#
#   . "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
#
#   run NAME ARGS...      run "daxctl ARGS..." and record it (see below)
#   run_sh NAME CMDLINE   the same for a shell command line, for
#                         redirections or environment settings, e.g.
#                         run_sh "" 'DAXCTL_MAN_VIEWER=man daxctl help list'
#                         ("daxctl" there is the binary under test)
#   check_output [FILE]   compare the record with TIER/expected/FILE.out,
#                         TIER being the script's directory (test/cli/,
#                         test/daxsim/, ...; default FILE: the script's
#                         name), then start a new one; under a newer
#                         daxsim kernel (DAXSIM_KERNEL=6.12, newest),
#                         FILE.KERNEL.out instead where it exists
#   tap_result RC DESC    report one more check: "ok" when RC is 0
#   require_prog PROG...  skip the whole script unless every PROG exists
#   fixture NAME          path of the installed fixture NAME (read only)
#   fixture_copy NAME     path of a private, writable copy of fixture NAME
#   at_exit CMD           run CMD (a shell command line) when the script ends
#   submake ARGS...       make, outside the parent make's jobserver
#   stage_install DIR     make install DESTDIR=DIR, as one check
#
# A record is, for each command: "# NAME" (when NAME is not empty), the
# command line as "$ daxctl ARGS", its stdout, "--- stderr" and its stderr
# (only when not empty), "--- exit N" and a blank line. Before comparing,
# lines equal to the daxctl version become "VERSION" and the private
# temporary and fixture directories become $TMP and $FIXTURES, so expected
# files do not depend on the build or the machine.
#
# Results are TAP (the make check rules run the scripts through tap-driver.sh);
# the plan is printed at exit, and the exit status is 1 when a check
# failed. With UPDATE_EXPECTED=1 (make check UPDATE_EXPECTED=1),
# check_output writes the expected file instead of comparing: review the
# diff before committing it. Under DAXSIM_KERNEL other than 6.1 it writes
# FILE.KERNEL.out only when the output differs from FILE.out (and removes
# a FILE.KERNEL.out that is not needed any more).
#
# Environment, set by AM_TESTS_ENVIRONMENT under make: srcdir, top_srcdir,
# top_builddir, DAXCTL (the binary under test), FIXTURE_ROOTS. Defaults
# allow running a script by hand from the source tree after an in-tree
# build.

if [ -z "${srcdir:-}" ]; then
	srcdir=$(cd "$(dirname "$0")/../.." && pwd)
fi
: "${top_srcdir:=$srcdir}"
: "${top_builddir:=$srcdir}"
: "${DAXCTL:=$top_builddir/daxctl/daxctl}"
: "${FIXTURE_ROOTS:=$top_builddir/test/root}"
export srcdir top_srcdir top_builddir DAXCTL FIXTURE_ROOTS

# Never look at the live system or whatever the caller's shell points at,
# and never open a man page: the built-in usage is deterministic.
unset DAXCTL_SYSROOT DAXCTL_LOG
DAXCTL_MAN_VIEWER=${DAXCTL_MAN_VIEWER:-none}
export DAXCTL_MAN_VIEWER
LC_ALL=C
export LC_ALL

TEST_NAME=$(basename "$0" .sh)
# the golden files of check_output: expected/ next to the script
EXPECTED_DIR=test/$(basename "$(dirname "$0")")/expected

_tap_count=0
_tap_failed=0
_tap_planned=0
_version=

# Commands to run at exit before the temporary directory goes (unmounts).
_at_exit=
at_exit() {
	_at_exit="$1
$_at_exit"
}

_finish() {
	_rc=$?
	if [ "$_tap_planned" = 0 ]; then
		echo "1..$_tap_count"
	fi
	if [ -n "$_at_exit" ]; then
		eval "$_at_exit"
	fi
	if [ -n "${_tmp:-}" ] && [ -d "$_tmp" ]; then
		chmod -R u+w "$_tmp" 2>/dev/null
		rm -rf "$_tmp"
	fi
	if [ "$_rc" = 0 ] && [ "$_tap_failed" != 0 ]; then
		_rc=1
	fi
	exit "$_rc"
}
trap _finish EXIT
trap 'exit 1' HUP INT TERM

_bail() {
	echo "Bail out! $TEST_NAME: $*"
	_tap_planned=1
	exit 1
}

_tmp=$(mktemp -d "${TMPDIR:-/tmp}/daxctl-test.XXXXXX") ||
	_bail "cannot create a temporary directory"
_out=$_tmp/record
: > "$_out"

if [ ! -x "$DAXCTL" ]; then
	_bail "no daxctl binary at $DAXCTL (build first, or set DAXCTL)"
fi

# "daxctl" for run_sh command lines, wherever the binary really is
mkdir "$_tmp/bin" || _bail "cannot create $_tmp/bin"
_q=$(printf '%s' "$DAXCTL" | sed "s/'/'\\\\''/g")
printf '#!/bin/sh\nexec '\''%s'\'' "$@"\n' "$_q" > "$_tmp/bin/daxctl"
chmod +x "$_tmp/bin/daxctl"

tap_result() {
	_tap_count=$((_tap_count + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_count - $2"
		return 0
	fi
	echo "not ok $_tap_count - $2"
	_tap_failed=$((_tap_failed + 1))
	return 1
}

require_prog() {
	for _p in "$@"; do
		command -v "$_p" >/dev/null 2>&1 && continue
		# under tap-driver.sh a skip is this plan with status 0
		echo "1..0 # SKIP $TEST_NAME: $_p not found"
		_tap_planned=1
		exit 0
	done
}

fixture() {
	if [ ! -d "$FIXTURE_ROOTS/$1/sys" ]; then
		_bail "no installed fixture '$1' in $FIXTURE_ROOTS"
	fi
	printf '%s\n' "$FIXTURE_ROOTS/$1"
}

fixture_copy() {
	_dest=$_tmp/fixtures/$1
	if ! sh "$top_srcdir/test/fixtures/install.sh" "$1" "$_dest" >&2; then
		_bail "cannot install fixture '$1'"
	fi
	printf '%s\n' "$_dest"
}

# Quote the arguments the way a user would type them.
_quote_args() {
	_line=
	for _a in "$@"; do
		case $_a in
		"" | *[!A-Za-z0-9_./=:,@%+-]*)
			_a="'$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")'"
			;;
		esac
		_line="$_line${_line:+ }$_a"
	done
	printf '%s' "$_line"
}

_record_start() {
	if [ -n "$1" ]; then
		printf '# %s\n' "$1" >> "$_out"
	fi
	printf '$ %s\n' "$2" >> "$_out"
}

_record_end() {
	{
		cat "$_tmp/stdout"
		# keep the markers on their own lines
		if [ -s "$_tmp/stdout" ] &&
		   [ -n "$(tail -c 1 "$_tmp/stdout")" ]; then
			echo
			echo "--- no newline at end of stdout"
		fi
		if [ -s "$_tmp/stderr" ]; then
			echo "--- stderr"
			cat "$_tmp/stderr"
			if [ -n "$(tail -c 1 "$_tmp/stderr")" ]; then
				echo
				echo "--- no newline at end of stderr"
			fi
		fi
		echo "--- exit $1"
		echo
	} >> "$_out"
}

run() {
	_name=$1
	shift
	_args=$(_quote_args "$@")
	_record_start "$_name" "daxctl${_args:+ }$_args"
	"$DAXCTL" "$@" > "$_tmp/stdout" 2> "$_tmp/stderr" < /dev/null
	_record_end $?
}

run_sh() {
	_record_start "$1" "$2"
	(PATH=$_tmp/bin:$PATH eval "$2") > "$_tmp/stdout" 2> "$_tmp/stderr" < /dev/null
	_record_end $?
}

# Replace the parts of a record that change between builds and machines.
_filter() {
	if [ -z "$_version" ]; then
		_version=$("$DAXCTL" --version 2>/dev/null)
	fi
	awk -v ver="$_version" -v tmp="$_tmp" -v roots="$FIXTURE_ROOTS" '
	function subst(s, from, to,    i, r) {
		if (from == "")
			return s
		r = ""
		while ((i = index(s, from)) > 0) {
			r = r substr(s, 1, i - 1) to
			s = substr(s, i + length(from))
		}
		return r s
	}
	{
		line = $0
		if (ver != "" && line == ver)
			line = "VERSION"
		line = subst(line, tmp, "$TMP")
		line = subst(line, roots, "$FIXTURES")
		print line
	}'
}

check_output() {
	_name=${1:-$TEST_NAME}
	_exp=$srcdir/$EXPECTED_DIR/$_name.out
	_filter < "$_out" > "$_tmp/actual"
	: > "$_out"

	# on another daxsim kernel generation (DAXSIM_KERNEL, the profile
	# runs of make check), expected/NAME.KERNEL.out takes precedence
	# where that kernel's output differs
	_kexp=
	case ${DAXSIM_KERNEL:-6.1} in
	6.1) ;;
	*) _kexp=$srcdir/$EXPECTED_DIR/$_name.$DAXSIM_KERNEL.out ;;
	esac
	if [ "${UPDATE_EXPECTED:-0}" = 1 ] && [ -n "$_kexp" ]; then
		# written only when it differs from the shared one
		if cmp -s "$_tmp/actual" "$_exp"; then
			rm -f "$_kexp"
			tap_result $? "$_name: $EXPECTED_DIR/$_name.out holds for $DAXSIM_KERNEL too"
		else
			cp "$_tmp/actual" "$_kexp"
			tap_result $? "$_name: wrote $EXPECTED_DIR/$_name.$DAXSIM_KERNEL.out"
		fi
		return
	fi
	[ -n "$_kexp" ] && [ -f "$_kexp" ] && _exp=$_kexp
	_expname=${_exp#"$srcdir/"}
	if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
		mkdir -p "$srcdir/$EXPECTED_DIR" &&
			cp "$_tmp/actual" "$_exp"
		tap_result $? "$_name: wrote $EXPECTED_DIR/$_name.out"
		return
	fi
	if [ ! -f "$_exp" ]; then
		tap_result 1 "$_name: output matches $EXPECTED_DIR/$_name.out"
		echo "# missing; create it with UPDATE_EXPECTED=1 and review it"
		return 1
	fi
	if diff -u "$_exp" "$_tmp/actual" > "$_tmp/diff"; then
		tap_result 0 "$_name: output matches $_expname"
		return 0
	fi
	tap_result 1 "$_name: output matches $_expname"
	sed 's/^/# /' "$_tmp/diff"
	return 1
}

# submake ARGS...: make in the build tree, outside the parent make's
# jobserver and variables
submake() (
	unset MAKEFLAGS MFLAGS MAKELEVEL
	${MAKE:-make} "$@"
)

# stage_install DIR: "make install DESTDIR=DIR" as one check; the script
# ends when it fails
stage_install() {
	if ! submake -C "$top_builddir" install DESTDIR="$1" \
			>"$_tmp/install.log" 2>&1; then
		sed 's/^/# /' "$_tmp/install.log"
		tap_result 1 "make install DESTDIR=\$TMP/stage"
		exit 1
	fi
	tap_result 0 "make install DESTDIR=\$TMP/stage"
}
