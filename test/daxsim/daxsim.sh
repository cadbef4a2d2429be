# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# Helpers for tests on the kernel emulator, sourced after test/cli/common.sh:
#
#   daxsim_start SCENARIO   mount the emulator on a fresh directory with the
#                           scenario file (a path, or a name under
#                           test/daxsim/scenarios/ without .json) and set
#                           SIM to the mount point; the whole script is
#                           skipped when FUSE is not available here
#   daxsim_stop             unmount it (also done at exit)
#   sim_write PATH VALUE    write VALUE to $SIM/PATH as `echo VALUE > PATH`
#                           does and record the outcome (errno text)
#   sim_cat PATH...         record the content of $SIM/PATH
#   sim_ls DIR              record the names in $SIM/DIR

: "${DAXSIM:=$top_builddir/test/daxsim/daxsim}"
_sim_n=0

_sim_skip() {
	echo "1..0 # SKIP $TEST_NAME: $*"
	_tap_planned=1
	exit 0
}

daxsim_start() {
	_scn=$1
	case $_scn in
	*/* | *.json) ;;
	*) _scn=${top_srcdir:?}/test/daxsim/scenarios/$_scn.json ;;
	esac
	[ -x "$DAXSIM" ] || _sim_skip "daxsim was not built (needs libfuse3-dev)"
	[ -c /dev/fuse ] || _sim_skip "no /dev/fuse"
	command -v fusermount3 >/dev/null 2>&1 ||
		_sim_skip "no fusermount3 (Debian package fuse3)"
	# the kernel generation it emulates: the scenario's own, else
	# DAXSIM_KERNEL (the profile runs of make check), else 6.1
	_gen=$("$DAXSIM" --check "$_scn" 2>&1 |
		sed -n 's/.*: kernel \([^,]*\),.*/\1/p')
	echo "# daxsim: ${_scn##*/} on kernel generation ${_gen:-?}" >&2
	if [ -n "${DAXSIM_KERNEL:-}" ] && [ "$_gen" != "$DAXSIM_KERNEL" ] &&
	   ! grep -q '"kernel"' "$_scn"; then
		_bail "daxsim emulates kernel ${_gen:-?}, not DAXSIM_KERNEL=$DAXSIM_KERNEL"
	fi
	_sim_n=$((_sim_n + 1))
	SIM=${_tmp:?}/sim$_sim_n
	mkdir -p "$SIM" || _bail "cannot create $SIM"
	# other users (the non-root tests) must reach the mount point
	chmod 755 "$_tmp"
	if ! "$DAXSIM" "$_scn" "$SIM" 2>"$_tmp/daxsim$_sim_n.log"; then
		if grep -qi "fuse" "$_tmp/daxsim$_sim_n.log"; then
			_sim_skip "cannot mount FUSE here: $(head -n 1 "$_tmp/daxsim$_sim_n.log")"
		fi
		cat "$_tmp/daxsim$_sim_n.log" >&2
		_bail "daxsim failed on $_scn"
	fi
	at_exit "fusermount3 -u '$SIM' 2>/dev/null"
	_i=0
	while [ ! -d "$SIM/sys" ]; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || _bail "daxsim did not come up on $SIM"
		sleep 0.1
	done
	export SIM
}

daxsim_stop() {
	fusermount3 -u "$SIM"
}

# daxsim_use SCENARIO: one emulator per group of steps, mounted at the
# same place every time (so recorded paths stay the same), with daxctl
# pointed at it; daxsim_unuse undoes both.
daxsim_use() {
	_sim_n=0
	daxsim_start "$1"
	DAXCTL_SYSROOT=$SIM
	export DAXCTL_SYSROOT
}

daxsim_unuse() {
	unset DAXCTL_SYSROOT
	daxsim_stop
}

sim_write() {
	_record_start "" "echo $2 > $1"
	# coreutils echo: dash's builtin reports every failure as "I/O error"
	( env echo "$2" > "$SIM/$1" ) > "$_tmp/stdout" 2> "$_tmp/stderr.raw"
	# a refused open is status 2 in dash, 1 in bash: record only failure
	_rc=$?
	[ $_rc -eq 0 ] || _rc=1
	# keep the errno text, not the shell's wording around it
	sed -e 's/.*: \([^:]*\)$/\1/' "$_tmp/stderr.raw" > "$_tmp/stderr"
	_record_end $_rc
}

sim_cat() {
	for _f in "$@"; do
		_record_start "" "cat $_f"
		cat "$SIM/$_f" > "$_tmp/stdout" 2> "$_tmp/stderr.raw"
		_rc=$?
		sed -e 's/.*: \([^:]*\)$/\1/' "$_tmp/stderr.raw" > "$_tmp/stderr"
		_record_end $_rc
	done
}

sim_ls() {
	_record_start "" "ls $1"
	ls "$SIM/$1" > "$_tmp/stdout" 2> "$_tmp/stderr"
	_record_end $?
}
