#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The front end as users and scripts see it: global options, command
# dispatch, help, usage errors and their exit codes, and the option
# parsing rules through "daxctl list" (whose usage text is part of the
# expected output: regenerate it when list's options change).

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"

run "no arguments: usage on stdout, exit 1"
run "version" --version
run "" -v
run "" version
run "" --version extra words
run "global help: usage on stdout, exit 0" --help
run "" -h
run "" help
run "command names for the shell completion" --list-cmds
run "unknown command" foo
run "unknown leading option" -x
run "" --bogus list
run "--CMD is CMD" --list --list-opts
run "--sysroot must name a directory" --sysroot /nonexistent list
run "" --sysroot=/nonexistent list
run "" --sysroot /dev/null list
run "" --sysroot

run "command usage: stderr, exit 129" list -h
run "" list --help-all
run "explicit help without man: usage on stdout, exit 0" list --help
run "" help list
run "" --help list
run "" help version
run "" help foo
run "options for the shell completion: exit 130" list --list-opts
run "" help --list-opts

run "usage errors" list --bogus
run "" list -X
run "" list -v
run "" list -RX
run "" list --reg 0
run "" list --reg=0
run "" list --no-reg
run "" list -r
run "" list --region
run "" list --regions=1
run "" list --no-dev=0.0
run "" list extra
run "" list -R extra -D more
run "" list -R -- -D
run "" list -

check_output harness

# Whether /dev/full exists is up to the build machine: keep this out of
# the expected file.
if [ -w /dev/full ]; then
	"$DAXCTL" --version > /dev/full 2> "$_tmp/full.err"
	rc=$?
	err=$(cat "$_tmp/full.err")
	tap_result $(( rc != 1 )) "--version > /dev/full exits 1 (got $rc)"
	case $err in
	"write failure on standard output: "*) r=0 ;;
	*) r=1 ;;
	esac
	tap_result $r "--version > /dev/full reports the write failure"
	[ $r = 0 ] || echo "# stderr: $err"
else
	tap_result 0 "# SKIP no writable /dev/full"
	tap_result 0 "# SKIP no writable /dev/full"
fi
