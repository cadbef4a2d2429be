#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The device-level memory state DEV/state (kernels after 6.12; on the
# emulator's "newest" generation, test/daxsim/README.md, "Device-level
# memory state"). online-memory, offline-memory and reconfigure-device
# change a device's memory with one write to it where it can, and must
# give the same results as the per-block path of the kernels without it:
# the same sequence of commands, with and without injected faults, runs on
# the 6.1 and the newest generation and must print the same JSON (without
# the memory_state and memmap_on_memory keys 6.1 lacks) and exit with the
# same status, leaving the same list behind. Then what only newest shows: the key, the
# blocks really removed by the one write, and a refused device-level
# write undone.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

require_prog jq

mem=sys/devices/system/memory
scn=$top_srcdir/test/daxsim/scenarios/lifecycle.json

# A scenario: lifecycle's devices (dax0.0: blocks 8-11 on device_dax;
# dax0.1: blocks 12-13 online movable) with these faults.
scenario() {
	jq --argjson f "$1" '. + { faults: $f }' "$scn" > "$_tmp/scn.json" ||
		_bail "cannot write the scenario"
	printf '%s\n' "$_tmp/scn.json"
}

nostate() {
	jq -S 'walk(if type == "object" then del(.memory_state, .memmap_on_memory) else . end)' \
		"$1" 2>/dev/null || cat "$1"
}

# step ARGS...: daxctl ARGS; its JSON without memory_state and its exit
# status, then list -RDMi the same way, into $log; stderr (with the
# library's messages down to info) into $log.err
step() {
	printf '$ daxctl %s\n' "$*" >> "$log"
	DAXCTL_LOG=info "$DAXCTL" "$@" > "$_tmp/o" 2> "$_tmp/e" < /dev/null
	echo "--- exit $?" >> "$log"
	nostate "$_tmp/o" >> "$log"
	cat "$_tmp/e" >> "$log.err"
	"$DAXCTL" list -RDMi > "$_tmp/o" 2>> "$log.err"
	nostate "$_tmp/o" >> "$log"
}

# sequence NAME FAULTS FUNCTION: the steps of FUNCTION on both generations
sequence() {
	for k in 6.1 newest; do
		log=$_tmp/$1-$k
		: > "$log"
		: > "$log.err"
		DAXSIM_KERNEL=$k
		export DAXSIM_KERNEL
		daxsim_start "$(scenario "$2")"
		DAXCTL_SYSROOT=$SIM
		export DAXCTL_SYSROOT
		"$3"
		unset DAXCTL_SYSROOT
		daxsim_stop
	done
	unset DAXSIM_KERNEL
	if cmp -s "$_tmp/$1-6.1" "$_tmp/$1-newest"; then
		tap_result 0 "$1: newest gives the results of 6.1"
	else
		tap_result 1 "$1: newest gives the results of 6.1"
		diff -u "$_tmp/$1-6.1" "$_tmp/$1-newest" | sed 's/^/# /'
	fi
}

# the status of each step, in order, as "a b c"
statuses() {
	sed -n 's/^--- exit //p' "$_tmp/$1-$2" | tr '\n' ' ' | sed 's/ $//'
}

plain() {
	step offline-memory dax0.1
	step offline-memory dax0.1
	step online-memory --no-movable dax0.1
	step online-memory dax0.1
	step offline-memory dax0.1
	step online-memory dax0.1
	step reconfigure-device -m system-ram dax0.0
	step offline-memory dax0.0 dax0.1
	step online-memory dax0.0 dax0.1
	step reconfigure-device -m devdax -f dax0.0
	step offline-memory dax0.1
	step reconfigure-device -m devdax dax0.1
	step reconfigure-device -m system-ram --no-movable dax0.1
}
sequence plain '[]' plain
[ "$(statuses plain 6.1)" = "0 0 0 0 0 0 0 0 0 0 0 0 0" ]
tap_result $? "plain: every step succeeds"

# memory13 refuses to go offline: the device stays online, movable
offline_refused() {
	step offline-memory dax0.1
	step reconfigure-device -m devdax -f dax0.1
}
sequence offline-refused '[{ "block": 13, "offline": "EBUSY" }]' \
	offline_refused
[ "$(statuses offline-refused 6.1)" = "240 240" ]
tap_result $? "offline-refused: EBUSY (exit 240) each time"
grep -q '"online_memblocks":2' "$_tmp/offline-refused-newest" ||
	grep -q '"online_memblocks": 2' "$_tmp/offline-refused-newest"
tap_result $? "offline-refused: both blocks online again on newest"
grep -q 'memory put back to online_movable' "$_tmp/offline-refused-newest.err"
tap_result $? "offline-refused: newest undid a device-level write"

# memory13 refuses to go online (its second state change, after going
# offline; a device-level write counts as a write to each block's file):
# the device stays offline
online_refused() {
	step offline-memory dax0.1
	step online-memory dax0.1
	step online-memory --no-movable dax0.1
	step reconfigure-device -m system-ram dax0.0
}
sequence online-refused \
	'[{ "write": "*/memory13/state", "nth": 2, "times": 2, "errno": "EIO" }]' \
	online_refused
[ "$(statuses online-refused 6.1)" = "0 251 251 0" ]
tap_result $? "online-refused: EIO (exit 251) for dax0.1 only"
grep -q 'memory put back to unplugged' "$_tmp/online-refused-newest.err"
tap_result $? "online-refused: newest undid a device-level write"

# ---- what only newest shows ----
memory_state() {
	"$DAXCTL" list -d "$1" | jq -r '.[0].memory_state // "absent"'
}

# shows KERNEL: the memory_state of dax0.1 and dax0.0, then after
# offline-memory dax0.1 the state of its first block and its memory_state
shows() {
	DAXSIM_KERNEL=$1
	export DAXSIM_KERNEL
	daxsim_start "$(scenario '[]')"
	DAXCTL_SYSROOT=$SIM
	export DAXCTL_SYSROOT
	printf '%s %s, ' "$(memory_state dax0.1)" "$(memory_state dax0.0)"
	"$DAXCTL" offline-memory dax0.1 2>/dev/null
	if [ -e "$SIM/$mem/memory12" ]; then
		printf 'memory12 %s, ' "$(cat "$SIM/$mem/memory12/state")"
	else
		printf 'memory12 removed, '
	fi
	memory_state dax0.1
	unset DAXCTL_SYSROOT DAXSIM_KERNEL
	daxsim_stop
}

shows 6.1 > "$_tmp/shows"
[ "$(cat "$_tmp/shows")" = "absent absent, memory12 offline, absent" ]
tap_result $? "6.1: no memory_state key; offline-memory leaves the blocks offline ($(cat "$_tmp/shows"))"
shows newest > "$_tmp/shows"
[ "$(cat "$_tmp/shows")" = "online_movable absent, memory12 removed, unplugged" ]
tap_result $? "newest: memory_state of the kmem device only; offline-memory unplugs it in one write ($(cat "$_tmp/shows"))"

# a refused device-level write changes nothing; one refused after another
# went through leaves the device where that one put it
DAXSIM_KERNEL=newest
export DAXSIM_KERNEL
daxsim_start "$(scenario '[{ "write": "*/dax0.1/state", "errno": "EIO" }]')"
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
"$DAXCTL" offline-memory dax0.1 2> "$_tmp/err"
rc=$?
[ $rc = 251 ] && [ "$(memory_state dax0.1)" = online_movable ] &&
	[ "$(cat "$SIM/$mem/memory12/state" "$SIM/$mem/memory13/state")" = \
	  "online
online" ] && grep -q 'failed to change its memory from online_movable to unplugged: Input/output error' "$_tmp/err"
tap_result $? "newest: state write refused: exit $rc, nothing changed"
unset DAXCTL_SYSROOT
daxsim_stop
daxsim_start "$(scenario '[{ "write": "*/dax0.1/state", "nth": 2, "errno": "EIO" }]')"
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
"$DAXCTL" offline-memory dax0.1 2>/dev/null
"$DAXCTL" online-memory dax0.1 2> "$_tmp/err"
rc=$?
[ $rc = 251 ] && [ "$(memory_state dax0.1)" = unplugged ] &&
	[ "$("$DAXCTL" list -d dax0.1 | jq -c '.[0] | [.online_memblocks, .total_memblocks]')" = "[0,2]" ]
tap_result $? "newest: onlining refused: exit $rc, the device stays unplugged"
unset DAXCTL_SYSROOT
daxsim_stop
unset DAXSIM_KERNEL
