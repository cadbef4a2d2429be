#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Load: for SOAK_SECONDS (default 12; `make check-soak` runs 150) on the
# emulator with random write faults and slowed writes, at the same time:
#
# - reconfigure cycles of dax0.0 between devdax and system-ram, one run in
#   five killed (SIGKILL) and one in five interrupted (SIGTERM) after a
#   random delay of up to 80 ms;
# - create-device / destroy-device cycles in the region's free space, one
#   run in five killed;
# - list loops, every output checked to be JSON.
#
# After every run that was not killed, the devices it worked on must be
# in a valid state (devdax, or system-ram with all or none of its memory
# online; a created device sized and enabled, or gone or empty, or as it
# was before the run), unless the run reported where a failed undo left
# it; a killed run's device is put right by the next run. At the end every device must be valid and
# no intent record left. The figures are printed (cycles, faults, kills,
# signals, lists, inconsistencies).

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

require_prog jq awk

seconds=${SOAK_SECONDS:-12}
seed=${SOAK_SEED:-$$}
echo "# soak: $seconds s, seed $seed"

# faults: ETIMEDOUT (a code nothing else produces here) at random writes,
# spread over about as many writes as the run makes
awk -v seed="$seed" -v span="$((seconds * 2 + 10))" 'BEGIN {
	srand(seed)
	globs[0] = "sys/devices/system/memory/memory*/state"
	globs[1] = "sys/bus/dax/drivers/*/bind"
	globs[2] = "sys/bus/dax/drivers/*/unbind"
	globs[3] = "sys/*/dax_region/create"
	globs[4] = "sys/*/dax0.*/size"
	globs[5] = "sys/*/dax_region/delete"
	printf "["
	for (i = 0; i < 60; i++) {
		g = globs[int(rand() * 6)]
		printf "%s{\"write\": \"%s\", \"nth\": %d, \"errno\": \"ETIMEDOUT\"}",
			i ? "," : "", g, int(rand() * span) + 1
	}
	print "]"
}' > "$_tmp/faults.json"
jq --slurpfile f "$_tmp/faults.json" '.faults = $f[0]' \
	"$top_srcdir/test/daxsim/scenarios/lifecycle.json" > "$_tmp/soak.json" ||
	_bail "cannot write the scenario"

mkdir -p "$_tmp/run" || _bail "cannot create $_tmp/run"
DAXSIM_RUN_DIR=$_tmp/run
DAXSIM_WRITE_DELAY_MS=3
export DAXSIM_RUN_DIR DAXSIM_WRITE_DELAY_MS
daxsim_start "$_tmp/soak.json"
unset DAXSIM_RUN_DIR DAXSIM_WRITE_DELAY_MS
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
end=$(($(date +%s) + seconds))

# a random delay in s, up to 80 ms, from the seed and the cycle
rnd_delay() {
	awk -v s="$((seed * 31 + _n * 7919 + $1))" \
		'BEGIN { srand(s); rand(); rand(); printf "%.3f\n", rand() * 0.08 }'
}

# run_maybe_killed TAG ARGS...: run daxctl in the background; cycle 1, 6,
# 11... killed, 3, 8, 13... interrupted (reconfigure only) after a random
# delay; sets $status and $how (normal, kill, term), stderr in
# $_tmp/TAG.err
run_maybe_killed() {
	_tag=$1
	shift
	_delay=$(rnd_delay ${#_tag})
	env --default-signal "$DAXCTL" "$@" > /dev/null 2> "$_tmp/$_tag.err" &
	_pid=$!
	how=normal
	if [ $((_n % 5)) = 1 ]; then
		how="kill"
		sleep "$_delay"
		kill -s KILL $_pid 2>/dev/null
	elif [ $((_n % 5)) = 3 ] && [ "$_tag" = reconf ]; then
		how=term
		sleep "$_delay"
		kill -s TERM $_pid 2>/dev/null
	fi
	wait $_pid
	status=$?
}

# "devdax", "system-ram N/M", "disabled", "idle", "gone"; "+" when a
# record is pending
dev_state() {
	"$DAXCTL" list -i -d "$1" 2> /dev/null | jq -r '.[0] // {} |
		if .chardev == null then "gone"
		elif .size == 0 then "idle"
		elif .state == "disabled" then "disabled"
		elif .mode == "system-ram" then "system-ram " +
			(.online_memblocks | tostring) + "/" +
			(.total_memblocks | tostring)
		else .mode end + (if .interrupted then "+" else "" end)'
}

reconf_worker() {
	_n=0 kills=0 terms=0 faults=0 bad=0 left=0
	while [ "$(date +%s)" -lt $end ]; do
		_n=$((_n + 1))
		_before=$(dev_state dax0.0)
		case $_before in
		devdax*) to=system-ram ;;
		*) to=devdax ;;
		esac
		run_maybe_killed reconf reconfigure-device -f -m $to dax0.0
		case $how/$status in
		kill/137) kills=$((kills + 1)); continue ;;
		term/143) terms=$((terms + 1)) ;;
		esac
		grep -q "timed out" "$_tmp/reconf.err" && faults=$((faults + 1))
		s=$(dev_state dax0.0)
		case $s in
		devdax | "system-ram 4/4" | "system-ram 0/4") ;;
		*)
			if [ "$status" != 0 ] && [ "$s" = "$_before" ]; then
				# a failure undone: as it was before the run (a
				# device a put-right run could not put right)
				:
			elif grep -q "left " "$_tmp/reconf.err"; then
				# reported: put it right for the next cycle
				left=$((left + 1))
				"$DAXCTL" reconfigure-device -f -m devdax dax0.0 \
					> /dev/null 2>&1
			else
				echo "# dax0.0 after '$to' ($how, exit $status): $s"
				sed 's/^/#   /' "$_tmp/reconf.err"
				bad=$((bad + 1))
			fi
			;;
		esac
	done
	echo "$_n $kills $terms $faults $left $bad" > "$_tmp/reconf.figures"
}

# the devices create-device made: all but dax0.0 and dax0.1
extra_devs() {
	"$DAXCTL" list -i 2> /dev/null |
		jq -r '.[] | .chardev | select(. != "dax0.0" and . != "dax0.1")'
}

create_worker() {
	_n=0 kills=0 faults=0 bad=0 left=0
	while [ "$(date +%s)" -lt $end ]; do
		_n=$((_n + 1))
		devs=$(extra_devs)
		sized=
		before=
		for d in $devs; do
			s=$(dev_state "$d")
			[ "$s" = idle ] && continue
			sized="$sized $d"
			before="$before|$d=$s|"
		done
		if [ -z "$sized" ]; then
			set -- create-device -s 128M -r 0
		else
			# shellcheck disable=SC2086 # device names, no blanks
			set -- destroy-device -f $sized
		fi
		run_maybe_killed create "$@"
		[ "$how/$status" = kill/137 ] && { kills=$((kills + 1)); continue; }
		grep -q "timed out" "$_tmp/create.err" && faults=$((faults + 1))
		for d in $(extra_devs); do
			s=$(dev_state "$d")
			case $s in
			devdax | idle | gone) continue ;;
			esac
			# killed before: the next run on it puts it right
			case $s in *+) continue ;; esac
			# as it was before the run (a failure undone), the
			# record of a killed run resolved or not
			case $before in *"|$d=$s|"* | *"|$d=$s+|"*) continue ;; esac
			if grep -q "left " "$_tmp/create.err"; then
				left=$((left + 1))
			else
				echo "# $d after $1 ($how, exit $status): $s (before:${before:- none})"
				sed 's/^/#   /' "$_tmp/create.err"
				bad=$((bad + 1))
			fi
			"$DAXCTL" destroy-device -f "$d" > /dev/null 2>&1
		done
	done
	echo "$_n $kills $faults $left $bad" > "$_tmp/create.figures"
}

list_worker() {
	_n=0 bad=0
	while [ "$(date +%s)" -lt $end ]; do
		_n=$((_n + 1))
		"$DAXCTL" list -RDMi > "$_tmp/list.out" 2> /dev/null
		if ! jq -e 'type == "array"' "$_tmp/list.out" > /dev/null 2>&1
		then
			echo "# list output $_n is not a JSON array:"
			head -n 5 "$_tmp/list.out" | sed 's/^/#   /'
			bad=$((bad + 1))
		fi
	done
	echo "$_n $bad" > "$_tmp/list.figures"
}

reconf_worker &
w1=$!
create_worker &
w2=$!
list_worker &
w3=$!
wait $w1 $w2 $w3

read -r cycles kills terms faults left bad < "$_tmp/reconf.figures"
read -r ccycles ckills cfaults cleft cbad < "$_tmp/create.figures"
read -r lists lbad < "$_tmp/list.figures"

# the end: one more run on every device resolves what a kill left (again
# when a fault failed it: each fires once, but several may in a row)
retry() {
	_i=0
	until "$@" > /dev/null 2>&1 || [ $_i = 10 ]; do _i=$((_i + 1)); done
}
retry "$DAXCTL" reconfigure-device -f -m devdax dax0.0
for d in $(extra_devs); do
	retry "$DAXCTL" destroy-device -f "$d"
done
final=0
for d in dax0.0 dax0.1 $(extra_devs); do
	s=$(dev_state "$d")
	case $d/$s in
	dax0.0/devdax | "dax0.0/system-ram 4/4" | "dax0.0/system-ram 0/4") ;;
	"dax0.1/system-ram 2/2" | */devdax | */idle | */gone) ;;
	*) echo "# at the end: $d: $s"; final=$((final + 1)) ;;
	esac
done
[ -z "$(ls -A "$_tmp/run/daxctl" 2>/dev/null)" ] ||
	{ echo "# intent records left:"; find "$_tmp/run/daxctl" -type f | sed 's/^/#   /'
	  final=$((final + 1)); }

incons=$((bad + cbad + lbad + final))
echo "# reconfigure: $cycles cycles, $kills killed, $terms interrupted, $faults with a fault, $left reported incomplete"
echo "# create/destroy: $ccycles cycles, $ckills killed, $cfaults with a fault, $cleft reported incomplete"
echo "# list: $lists outputs, $lbad not JSON"
echo "# inconsistencies: $incons"
[ "$cycles" -gt 0 ] && [ "$ccycles" -gt 0 ] && [ "$lists" -gt 0 ]
tap_result $? "every worker ran ($cycles, $ccycles and $lists runs)"
[ "$kills" -gt 0 ] || [ "$seconds" -lt 10 ]
tap_result $? "runs were killed ($kills + $ckills)"
[ $((bad + cbad)) = 0 ]
tap_result $? "every run left its devices valid, or said where it left them"
[ "$lbad" = 0 ]
tap_result $? "every list output was JSON"
[ "$final" = 0 ]
tap_result $? "at the end every device is valid and no intent record is left"
