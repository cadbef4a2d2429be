#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Runs that change devices are serialised (daxctl/lock.h); listing never
# waits. On the emulator: a run waits while another holds the lock and
# then finishes; list and --dry-run do not wait; and two opposite
# reconfigures started together both succeed and leave the device whole
# in one mode or the other, never between (no half-onlined memory, no
# kmem range left reserved).

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

require_prog flock timeout

daxsim_start lifecycle
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
bus=$SIM/sys/bus/dax

mode_of() {
	"$DAXCTL" list -d dax0.0 | jq -r '.[0].mode + " " +
		((.[0].online_memblocks // "-") | tostring) + " " +
		((.[0].movable // "-") | tostring)'
}

# hold the lock as another daxctl run would, until $_tmp/release exists
flock "$bus" -c "touch '$_tmp/held'; while [ ! -e '$_tmp/release' ]; do sleep 0.1; done" &
holder=$!
i=0
while [ ! -e "$_tmp/held" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

timeout 5 "$DAXCTL" list -D > /dev/null
tap_result $? "list does not wait for the lock"
timeout 5 "$DAXCTL" reconfigure-device -m system-ram --dry-run dax0.0 > /dev/null 2>&1
tap_result $? "--dry-run does not wait for the lock"

"$DAXCTL" reconfigure-device -m system-ram dax0.0 > "$_tmp/out" 2> "$_tmp/err" &
waiter=$!
sleep 1
kill -0 $waiter 2>/dev/null
tap_result $? "a reconfigure waits while another run holds the lock"
[ "$(mode_of)" = "devdax - -" ]
tap_result $? "and has changed nothing meanwhile"
grep -q "waiting for another daxctl run" "$_tmp/err"
tap_result $? "it says why it waits"
touch "$_tmp/release"
wait $holder
wait $waiter
tap_result $? "then it finishes"
[ "$(mode_of)" = "system-ram 4 true" ]
tap_result $? "with the device in system-ram mode, all 4 blocks online"

# opposite requests at once, several times
bad=0
for round in 1 2 3 4 5; do
	"$DAXCTL" reconfigure-device -m devdax -f dax0.0 > /dev/null 2>"$_tmp/a" &
	a=$!
	"$DAXCTL" reconfigure-device -m system-ram dax0.0 > /dev/null 2>"$_tmp/b" &
	b=$!
	wait $a || { bad=1; cat "$_tmp/a"; }
	wait $b || { bad=1; cat "$_tmp/b"; }
	m=$(mode_of)
	case $m in
	"devdax - -")
		# no kmem range left behind for dax0.0
		grep -A1 ' dax0.0$' "$SIM/proc/iomem" | grep -q kmem && bad=1
		;;
	"system-ram 4 true") ;;
	*) bad=1; echo "# round $round: $m" ;;
	esac
	# back to system-ram for the next round
	"$DAXCTL" reconfigure-device -m system-ram dax0.0 > /dev/null 2>&1
done
tap_result $bad "two opposite reconfigures at once: both succeed, the device is whole in one mode"
