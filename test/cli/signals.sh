#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Interruptions, on the emulator, which holds back the Nth write of a run
# (DAXSIM_WRITE_HOLD) until the signal was sent, so that it lands during
# that very write (DAXSIM_WRITE_LOG tells when it has begun):
#
# - SIGINT, SIGTERM, SIGHUP, SIGPIPE during every command that changes
#   devices: the step under way finishes, reconfigure-device -m rolls
#   the device back at its next step boundary (or finishes when the last
#   step was under way), the other commands finish their change, the
#   devices not started are reported failed (EINTR), and daxctl dies of
#   the signal after its report (shell status 128 + N); no intent record
#   is left.
# - SIGKILL at random writes of many runs: list shows the device as
#   "interrupted", and the next run puts it back into the state before
#   (or finds nothing had changed), never anything else.
# - The intent records' directory: refused (EPERM, exit 255) when writable
#   by others or not ours; records of devices that are gone, and damaged
#   ones, are dropped.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

require_prog jq

mkdir -p "$_tmp/run" || _bail "cannot create $_tmp/run"
DAXSIM_RUN_DIR=$_tmp/run
DAXSIM_WRITE_LOG=$_tmp/writes
DAXSIM_WRITE_HOLD=$_tmp/hold
export DAXSIM_RUN_DIR DAXSIM_WRITE_LOG DAXSIM_WRITE_HOLD
daxsim_start lifecycle
unset DAXSIM_RUN_DIR DAXSIM_WRITE_LOG DAXSIM_WRITE_HOLD
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
records=$_tmp/run/daxctl

# "mode online/total movable enabled interrupted" of a device
state() {
	"$DAXCTL" list -i -d "$1" | jq -r '.[0] | [.mode,
		((.online_memblocks // "-") | tostring) + "/" +
		((.total_memblocks // "-") | tostring),
		((.movable // "-") | tostring), (.state // "enabled"),
		(.size | tostring), (.interrupted // "-")] | join(" ")'
}

# interrupt SIG N ARGS...: run daxctl ARGS with its Nth write held back
# by the emulator, send SIG once that write has begun, then let it go;
# $status is its exit status, its output in $_tmp/out, $_tmp/err.
# A background job of a script starts with SIGINT ignored: env resets it.
interrupt() {
	_sig=$1
	_n=$2
	shift 2
	_base=$(wc -l < "$_tmp/writes")
	echo $((_base + _n - 1)) > "$_tmp/hold"
	env --default-signal "$DAXCTL" "$@" > "$_tmp/out" 2> "$_tmp/err" &
	_pid=$!
	wait_writes $((_base + _n))
	kill -s "$_sig" "$_pid"
	rm -f "$_tmp/hold"
	# a killed writer dies once its write is done, as on a kernel (the
	# FUSE request is in the emulator's hands by then)
	wait "$_pid"
	status=$?
}

# wait until the emulator has seen N writes in all (at most 10 s)
wait_writes() {
	_i=0
	while [ "$(wc -l < "$_tmp/writes")" -lt "$1" ] && [ $_i -lt 1000 ]; do
		sleep 0.01
		_i=$((_i + 1))
	done
}

no_record() {
	[ -z "$(ls -A "$records" 2>/dev/null)" ]
}

expect() {
	# expect DESC STATUS STATE-DEV STATE PATTERN
	_got=$(state "$3")
	_ok=0
	[ "$status" = "$2" ] || _ok=1
	[ "$_got" = "$4" ] || _ok=1
	grep -q "$5" "$_tmp/err" || _ok=1
	no_record || _ok=1
	if [ $_ok != 0 ]; then
		echo "# exit $status (want $2); state '$_got' (want '$4')"
		sed 's/^/# /' "$_tmp/err"
		find "$records" -type f | sed 's/^/# /'
	fi
	tap_result $_ok "$1"
}

devdax="devdax -/- - enabled 536870912 -"
sysram="system-ram 4/4 true enabled 536870912 -"

[ "$(state dax0.0)" = "$devdax" ]
tap_result $? "dax0.0 starts in devdax mode"

# reconfigure-device -m system-ram: device_dax remove_id and unbind (the
# disable step), kmem bind (refused on 6.1: kmem matches by name) and
# new_id (the bind), 4 blocks online (one step)
interrupt TERM 1 reconfigure-device --json-result -m system-ram dax0.0
expect "SIGTERM during the unbind: rolled back, exit 143" 143 dax0.0 \
	"$devdax" "dax0.0: interrupted by SIGTERM: rolled back"
[ "$(jq -r '.[0] | .result + " " + .errno + " " + .state' "$_tmp/out")" = \
	"failed EINTR restored" ]
tap_result $? "its --json-result says failed, EINTR, restored"
grep -q "^reconfigure-device: interrupted by SIGTERM$" "$_tmp/err"
tap_result $? "and the last line says it was interrupted"

interrupt HUP 3 reconfigure-device -m system-ram dax0.0
expect "SIGHUP during the kmem bind: memory offline again, back to devdax, exit 129" \
	129 dax0.0 "$devdax" "interrupted by SIGHUP: rolled back"

interrupt INT 5 reconfigure-device -m system-ram dax0.0
expect "SIGINT during the onlining (the last step): finished, exit 130" \
	130 dax0.0 "$sysram" "reconfigured 1 device"

# reconfigure-device -m devdax -f: 4 blocks offline (one step), kmem
# remove_id and unbind, device_dax bind
interrupt PIPE 1 reconfigure-device -f -m devdax dax0.0
expect "SIGPIPE during the offlining: memory online again, exit 141" \
	141 dax0.0 "$sysram" "interrupted by SIGPIPE: rolled back"

interrupt TERM 5 reconfigure-device -f -m devdax dax0.0
expect "SIGTERM during the kmem unbind: kmem bound and memory online again" \
	143 dax0.0 "$sysram" "interrupted by SIGTERM: rolled back"

interrupt TERM 7 reconfigure-device -f -m devdax dax0.0
expect "SIGTERM during the device_dax bind (the last step): finished" \
	143 dax0.0 "$devdax" "reconfigured 1 device"

# every other command: one short step or a few, finished
interrupt TERM 1 disable-device dax0.0
expect "disable-device: finished, exit 143" 143 dax0.0 \
	"devdax -/- - disabled 536870912 -" "disabled 1 device"
interrupt HUP 1 enable-device dax0.0
expect "enable-device: finished, exit 129" 129 dax0.0 "$devdax" \
	"enabled 1 device"
interrupt INT 1 offline-memory dax0.1
expect "offline-memory: finished, exit 130" 130 dax0.1 \
	"system-ram 0/2 - enabled 268435456 -" "offlined memory for 1 device"
interrupt TERM 1 online-memory dax0.1
expect "online-memory: finished, exit 143" 143 dax0.1 \
	"system-ram 2/2 true enabled 268435456 -" "onlined memory for 1 device"
interrupt TERM 1 create-device -s 128M -r 0
expect "create-device: finished, exit 143" 143 dax0.2 \
	"devdax -/- - enabled 134217728 -" "created 1 device"
interrupt PIPE 1 reconfigure-device -N -m system-ram dax0.2
expect "reconfigure-device -N: SIGPIPE during the unbind, rolled back" \
	141 dax0.2 "devdax -/- - enabled 134217728 -" "rolled back"
"$DAXCTL" disable-device dax0.2 2>/dev/null
interrupt TERM 1 reconfigure-device -s 64M dax0.2
expect "reconfigure-device -s: finished, exit 143" 143 dax0.2 \
	"devdax -/- - disabled 67108864 -" "reconfigured 1 device"
interrupt TERM 1 destroy-device -f dax0.2
[ "$status" = 143 ] && grep -q "destroyed 1 device" "$_tmp/err" &&
	[ "$("$DAXCTL" list -i -d dax0.2 | jq length)" = 0 ] && no_record
tap_result $? "destroy-device: finished, the device is gone, exit 143"

# two devices: the second is not started
"$DAXCTL" create-device -s 128M -r 0 > /dev/null 2>&1
interrupt TERM 1 reconfigure-device --json-result -N -m system-ram dax0.0 dax0.2
expect "two devices: the first rolled back" 143 dax0.2 \
	"devdax -/- - enabled 134217728 -" "dax0.2: not started: interrupted by SIGTERM"
[ "$(state dax0.0)" = "$devdax" ] &&
	[ "$(jq -r '[.[] | .chardev + ":" + .errno + ":" + .state] | join(" ")' \
		"$_tmp/out")" = "dax0.0:EINTR:restored dax0.2:EINTR:unchanged" ]
tap_result $? "each reported: dax0.0 restored, dax0.2 unchanged"

# a signal ignored by whoever started daxctl (nohup) stays ignored
base=$(wc -l < "$_tmp/writes")
echo "$base" > "$_tmp/hold"
(
	trap '' HUP
	exec "$DAXCTL" reconfigure-device -N -m system-ram dax0.2 \
		> "$_tmp/out" 2> "$_tmp/err"
) &
pid=$!
wait_writes $((base + 1))
kill -s HUP "$pid"
rm -f "$_tmp/hold"
wait "$pid"
status=$?
expect "an ignored SIGHUP changes nothing: the run completes, exit 0" 0 \
	dax0.2 "system-ram 0/1 - enabled 134217728 -" "reconfigured 1 device"
"$DAXCTL" reconfigure-device -m devdax dax0.2 > /dev/null 2>&1

# SIGKILL at random writes: the next run always ends in the state before
kills=0
bad=0
round=0
while [ $round -lt 10 ]; do
	round=$((round + 1))
	before=$(state dax0.0)
	# 7 writes either way (above)
	case $before in
	devdax*) from=devdax; to=system-ram ;;
	*) from=system-ram; to=devdax ;;
	esac
	at=$(awk "BEGIN { srand($$ + $round); print int(rand() * 7) + 1 }")
	interrupt KILL "$at" reconfigure-device -f -m $to dax0.0
	[ "$status" = 137 ] || { bad=$((bad + 1)); continue; }
	kills=$((kills + 1))
	left=$(state dax0.0)
	case $left in
	*" reconfigure-device") ;;
	*) echo "# round $round, write $at: list shows '$left'"
	   bad=$((bad + 1)) ;;
	esac
	# the next run of a command on it: asks for the mode it had
	"$DAXCTL" reconfigure-device -f -m $from dax0.0 > /dev/null 2> "$_tmp/err"
	after=$(state dax0.0)
	if [ "$after" != "$before" ] || ! no_record ||
	   ! grep -Eq "was undone|had changed nothing" "$_tmp/err"; then
		echo "# round $round, write $at: '$before' -> '$left' -> '$after'"
		sed 's/^/# /' "$_tmp/err"
		bad=$((bad + 1))
	fi
	# and on from there to the other mode, for the next round
	"$DAXCTL" reconfigure-device -f -m $to dax0.0 > /dev/null 2>&1
done
echo "# $kills runs killed with SIGKILL, $bad not put back"
[ $bad = 0 ] && [ $kills = 10 ]
tap_result $? "SIGKILL at random writes: the next run puts the device back"

# the directory of the records
"$DAXCTL" reconfigure-device -m devdax -f dax0.0 > /dev/null 2>&1
chmod 0777 "$records"
"$DAXCTL" disable-device dax0.2 > /dev/null 2> "$_tmp/err"
status=$?
chmod 0700 "$records"
[ $status = 255 ] && grep -q "writable by others (mode 0777): refusing" "$_tmp/err" &&
	[ "$(state dax0.2)" = "devdax -/- - enabled 134217728 -" ]
tap_result $? "a run directory writable by others is refused, nothing changed"
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$records"
	"$DAXCTL" disable-device dax0.2 > /dev/null 2> "$_tmp/err"
	status=$?
	chown 0 "$records"
	[ $status = 255 ] && grep -q "belongs to uid 65534, not to uid 0" "$_tmp/err"
	tap_result $? "a run directory of another user is refused"
else
	echo "ok $((_tap_count = _tap_count + 1)) - a run directory of another user # SKIP needs root to chown"
fi

printf 'daxctl-intent 1\ncommand destroy-device\npid 1\ndriver -\nend\n' \
	> "$records/dax0.7.intent"
printf 'daxctl-intent 1\ncommand' > "$records/dax0.2.intent"
"$DAXCTL" list -d dax0.2 | jq -e '.[0].interrupted == "?"' > /dev/null
tap_result $? "list shows a damaged record as interrupted by '?'"
"$DAXCTL" disable-device dax0.2 > /dev/null 2> "$_tmp/err"
status=$?
[ $status = 0 ] && no_record &&
	grep -q "dax0.7: the device is gone: the interrupted destroy-device (pid 1) had finished" "$_tmp/err" &&
	grep -q "dax0.2: dropped a damaged intent record" "$_tmp/err"
tap_result $? "records of gone devices and damaged ones are dropped, with a note"
