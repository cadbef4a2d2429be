#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# All or nothing, under injected faults: every mutating command is run on
# the emulator with one step (or one step and its undo) refused, and the
# system it leaves behind is compared with the system before the command
# and with the one a fault-free run of the same command produces.
#
#   result "changed"                      -> state == fault-free result
#   result "failed", state "unchanged"    -> state == before
#   result "failed", state "restored"     -> state == before
#   result "failed", state "incomplete"   -> state differs from both, and
#                                            the error says where it is
#
# "State" is everything a user can observe: daxctl list -RDMi, the state
# of every memory block, and /proc/iomem (a leaked kmem range shows
# there). The messages and exit codes are kept in
# test/cli/expected/faults.out. Each case prints a "# matrix:" line
# (case, step refused, errno, outcome, final state) for the closing notes.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

require_prog jq

base=$top_srcdir/test/daxsim/scenarios/lifecycle.json
drv=sys/bus/dax/drivers
reg=sys/devices/platform/hmem.0/dax_region
mem=sys/devices/system/memory
# A block fault ("block": N) holds from the start, including the
# scenario's own onlining; a fault on one write to a block's state file
# ("nth") is used where the block must first change normally.

state_of() {
	DAXCTL_SYSROOT=$1 "$DAXCTL" list -RDMi
	for _b in "$1"/sys/devices/system/memory/memory*/state; do
		printf '%s %s\n' "$(basename "$(dirname "$_b")")" "$(cat "$_b")"
	done | sort -V
	cat "$1/proc/iomem"
}

# Mount $base with FAULTS (a JSON array) at the same place every time, so
# that recorded messages do not depend on the case number.
mount_with() {
	jq --argjson f "$1" '.faults = $f' "$base" > "$_tmp/scenario.json" ||
		_bail "bad faults: $1"
	_sim_n=0
	daxsim_start "$_tmp/scenario.json"
}

# fault_case NAME STEP FAULTS SETUP COMMAND...
#   SETUP: a daxctl command line run before the "before" snapshot ("" for
#   none). COMMAND is run with --json-result.
fault_case() {
	fc_name=$1 fc_step=$2 fc_faults=$3 fc_setup=$4
	shift 4

	# what the command does without the fault
	mount_with '[]'
	# shellcheck disable=SC2086 # SETUP is a command line: its words
	[ -z "$fc_setup" ] || DAXCTL_SYSROOT=$SIM "$DAXCTL" $fc_setup >/dev/null 2>&1
	DAXCTL_SYSROOT=$SIM "$DAXCTL" "$@" >/dev/null 2>&1
	state_of "$SIM" > "$_tmp/requested"
	daxsim_stop

	mount_with "$fc_faults"
	# shellcheck disable=SC2086 # SETUP is a command line: its words
	[ -z "$fc_setup" ] || DAXCTL_SYSROOT=$SIM "$DAXCTL" $fc_setup >/dev/null 2>&1
	state_of "$SIM" > "$_tmp/before"
	DAXCTL_SYSROOT=$SIM
	export DAXCTL_SYSROOT
	run "$fc_name: $fc_step refused" "$@" --json-result
	unset DAXCTL_SYSROOT
	state_of "$SIM" > "$_tmp/after"
	daxsim_stop

	_res=$(jq -r '.[0].result + " " + (.[0].state // "-") + " " + (.[0].errno // "-")' \
		"$_tmp/stdout" 2>/dev/null)
	# shellcheck disable=SC2086 # the three words of jq's line
	set -- $_res
	_result=${1:-?} _state=${2:-?} _errno=${3:-?}
	if cmp -s "$_tmp/after" "$_tmp/before"; then
		_final=as-before
	elif cmp -s "$_tmp/after" "$_tmp/requested"; then
		_final=as-requested
	else
		_final=other
	fi
	echo "# matrix: $fc_name | $fc_step | $_errno | $_result | $_state | $_final"
	case "$_result/$_state/$_final" in
	changed/-/as-requested | failed/unchanged/as-before | \
	failed/restored/as-before | failed/incomplete/other)
		tap_result 0 "$fc_name: $_result, $_state, device $_final"
		;;
	*)
		tap_result 1 "$fc_name: $_result, $_state, device $_final"
		diff -u "$_tmp/before" "$_tmp/after" | sed 's/^/# /'
		;;
	esac
}

# ---- devdax -> system-ram: unbind, kmem new_id (+ bind), online 8..11
fault_case ram-unbind "device_dax unbind" \
	'[{"write":"sys/bus/dax/drivers/device_dax/unbind","errno":"EIO"}]' "" \
	reconfigure-device -m system-ram dax0.0
fault_case ram-new_id "kmem new_id" \
	'[{"write":"sys/bus/dax/drivers/kmem/new_id","errno":"ENOMEM"}]' "" \
	reconfigure-device -m system-ram dax0.0
fault_case ram-probe "kmem probe" \
	'[{"probe":"kmem","device":"dax0.0","errno":"ENOMEM"}]' "" \
	reconfigure-device -m system-ram dax0.0
fault_case ram-online "online of memory10" \
	'[{"block":10,"online":"EINVAL"}]' "" \
	reconfigure-device -m system-ram dax0.0
fault_case ram-online-nomovable "online_kernel of memory11" \
	'[{"block":11,"online":"EINVAL"}]' "" \
	reconfigure-device -m system-ram dax0.0 --no-movable
fault_case ram-online-undo-offline "online of memory10, then offline of memory8" \
	'[{"block":10,"online":"EINVAL"},{"block":8,"offline":"EBUSY"}]' "" \
	reconfigure-device -m system-ram dax0.0
fault_case ram-online-undo-unbind "online of memory10, then kmem unbind" \
	'[{"block":10,"online":"EINVAL"},{"write":"sys/bus/dax/drivers/kmem/unbind","errno":"EIO"}]' "" \
	reconfigure-device -m system-ram dax0.0
fault_case ram-undo-rebind "kmem new_id, then device_dax bind" \
	'[{"write":"sys/bus/dax/drivers/kmem/new_id","errno":"ENOMEM"},{"write":"sys/bus/dax/drivers/device_dax/bind","errno":"EIO"}]' "" \
	reconfigure-device -m system-ram dax0.0

# ---- system-ram -> devdax (--force): offline 12,13, kmem unbind, bind
fault_case devdax-offline "offline of memory13" \
	'[{"block":13,"offline":"EBUSY"}]' "" reconfigure-device -m devdax -f dax0.1
fault_case devdax-offline-undo "offline of memory13, then online of memory12" \
	"[{\"block\":13,\"offline\":\"EBUSY\"},{\"write\":\"$mem/memory12/state\",\"nth\":2,\"errno\":\"EINVAL\"}]" \
	"" reconfigure-device -m devdax -f dax0.1
fault_case devdax-unbind "kmem unbind" \
	'[{"write":"sys/bus/dax/drivers/kmem/unbind","errno":"EIO"}]' "" \
	reconfigure-device -m devdax -f dax0.1
fault_case devdax-bind "device_dax bind" \
	'[{"write":"sys/bus/dax/drivers/device_dax/bind","errno":"EIO"}]' "" \
	reconfigure-device -m devdax -f dax0.1
fault_case devdax-probe "device_dax probe" \
	'[{"probe":"device_dax","device":"dax0.1","errno":"ENOMEM"}]' "" \
	reconfigure-device -m devdax -f dax0.1

# ---- online-memory / offline-memory
fault_case online "online of memory13" \
	"[{\"write\":\"$mem/memory13/state\",\"nth\":2,\"errno\":\"EINVAL\"}]" \
	"offline-memory dax0.1" online-memory dax0.1
fault_case online-undo "online of memory13, then offline of memory12" \
	"[{\"write\":\"$mem/memory13/state\",\"nth\":2,\"errno\":\"EINVAL\"},{\"write\":\"$mem/memory12/state\",\"nth\":3,\"errno\":\"EBUSY\"}]" \
	"offline-memory dax0.1" online-memory dax0.1
fault_case offline "offline of memory13" \
	'[{"block":13,"offline":"EBUSY"}]' "" offline-memory dax0.1
fault_case offline-undo "offline of memory13, then online of memory12" \
	"[{\"block\":13,\"offline\":\"EBUSY\"},{\"write\":\"$mem/memory12/state\",\"nth\":2,\"errno\":\"EINVAL\"}]" \
	"" offline-memory dax0.1

# ---- create-device: create, align, size, bind
fault_case create-create "region create" \
	"[{\"write\":\"$reg/create\",\"errno\":\"EIO\"}]" "" create-device -s 128M -a 4k
fault_case create-align "align" \
	'[{"write":"*/dax0.2/align","errno":"EIO"}]' "" create-device -s 128M -a 4k
fault_case create-size "size" \
	'[{"write":"*/dax0.2/size","errno":"EIO"}]' "" create-device -s 128M -a 4k
fault_case create-bind "device_dax bind" \
	'[{"write":"sys/bus/dax/drivers/device_dax/bind","errno":"EIO"}]' "" \
	create-device -s 128M -a 4k
fault_case create-bind-undo "device_dax bind, then region delete" \
	"[{\"write\":\"$drv/device_dax/bind\",\"errno\":\"EIO\"},{\"write\":\"$reg/delete\",\"errno\":\"EIO\"}]" \
	"" create-device -s 128M -a 4k

# ---- destroy-device --force: remove_id + unbind, size 0, delete
fault_case destroy-unbind "device_dax unbind" \
	'[{"write":"sys/bus/dax/drivers/device_dax/unbind","errno":"EIO"}]' \
	"create-device -s 128M" destroy-device -f dax0.2
fault_case destroy-size "size 0" \
	'[{"write":"*/dax0.2/size","nth":2,"errno":"EIO"}]' \
	"create-device -s 128M" destroy-device -f dax0.2
fault_case destroy-delete "region delete" \
	"[{\"write\":\"$reg/delete\",\"errno\":\"EIO\"}]" \
	"create-device -s 128M" destroy-device -f dax0.2
fault_case destroy-delete-undo "region delete, then mapping" \
	"[{\"write\":\"$reg/delete\",\"errno\":\"EIO\"},{\"write\":\"*/dax0.2/mapping\",\"errno\":\"EIO\"}]" \
	"create-device -s 128M" destroy-device -f dax0.2

fault_case destroy-kmem-delete "region delete, kmem device" \
	"[{\"write\":\"$reg/delete\",\"errno\":\"EIO\"}]" \
	"offline-memory dax0.1" destroy-device -f dax0.1

# ---- reconfigure-device -a/-s on a disabled device: align, then size
fault_case resize-size "size" \
	'[{"write":"*/dax0.0/size","nth":1,"errno":"EIO"}]' \
	"disable-device dax0.0" reconfigure-device -a 4k -s 256M dax0.0
fault_case resize-align "align" \
	'[{"write":"*/dax0.0/align","errno":"EIO"}]' \
	"disable-device dax0.0" reconfigure-device -a 4k -s 256M dax0.0

# ---- reconfigure-device --input on a disabled device: size 0, then one
# mapping write per range; the undo: size 0, the old range again
mount_with '[]'
DAXCTL_SYSROOT=$SIM "$DAXCTL" list -D -M -d dax0.0 |
	jq '.[0] | .mappings = [.mappings[0] as $m |
		($m.start + (.size / 2)) as $half |
		{ page_offset: 0, start: $half, end: $m.end },
		{ page_offset: (.size / 2 / 4096), start: $m.start,
		  end: ($half - 1) }]' > "$_tmp/swapped.json"
daxsim_stop
fault_case input-size "size 0" \
	'[{"write":"*/dax0.0/size","errno":"EIO"}]' \
	"disable-device dax0.0" \
	reconfigure-device --input "$_tmp/swapped.json" dax0.0
fault_case input-mapping "second mapping" \
	'[{"write":"*/dax0.0/mapping","nth":2,"errno":"ENOMEM"}]' \
	"disable-device dax0.0" \
	reconfigure-device --input "$_tmp/swapped.json" dax0.0
fault_case input-mapping-undo "second mapping, then the old range" \
	'[{"write":"*/dax0.0/mapping","nth":2,"times":2,"errno":"ENOMEM"}]' \
	"disable-device dax0.0" \
	reconfigure-device --input "$_tmp/swapped.json" dax0.0

# ---- enable-device / disable-device
fault_case disable "device_dax unbind" \
	'[{"write":"sys/bus/dax/drivers/device_dax/unbind","errno":"EIO"}]' "" \
	disable-device dax0.0
fault_case enable "device_dax bind" \
	'[{"write":"sys/bus/dax/drivers/device_dax/bind","errno":"EIO"}]' \
	"disable-device dax0.0" enable-device dax0.0

# ---- the library's own lines: the failure line carries the cause, so
# they are shown only with -v; a failed undo's line always is
# lib_lines NAME FAULTS WANT COMMAND...: every line of WANT (one per line,
# "" for none) is a whole line of COMMAND's stderr; without -v they are
# its only "libdaxctl:" lines
lib_lines() {
	ll_name=$1 ll_faults=$2 ll_want=$3
	shift 3
	mount_with "$ll_faults"
	DAXCTL_SYSROOT=$SIM "$DAXCTL" "$@" >/dev/null 2>"$_tmp/ll.err"
	daxsim_stop
	printf '%s\n' "$ll_want" | sed '/^$/d' > "$_tmp/ll.want"
	ll_rc=0
	while IFS= read -r _l; do
		grep -qxF "$_l" "$_tmp/ll.err" || ll_rc=1
	done < "$_tmp/ll.want"
	case " $* " in
	*" -v "*) ;;
	*) [ "$(grep -c '^libdaxctl: ' "$_tmp/ll.err")" = \
	     "$(wc -l < "$_tmp/ll.want")" ] || ll_rc=1 ;;
	esac
	tap_result $ll_rc "$ll_name" || sed 's/^/#   /' "$_tmp/ll.err"
}
online10='[{"block":10,"online":"EINVAL"}]'
lib_lines "a failure without -v: no library line" "$online10" "" \
	reconfigure-device -m system-ram dax0.0
grep -qxF "dax0.0: failed to online memory10: Invalid argument" "$_tmp/ll.err"
tap_result $? "  and the failure line carries the library's cause"
lib_lines "a failure with -v: the library's line as well" "$online10" \
	"libdaxctl: dax0.0: failed to online memory10: Invalid argument" \
	reconfigure-device -m system-ram dax0.0 -v
lib_lines "a failed undo without -v: the library's line all the same" \
	'[{"block":10,"online":"EINVAL"},{"block":8,"offline":"EBUSY"}]' \
	"libdaxctl: dax0.0: memory8 stays online: offlining it again failed: Device or resource busy" \
	reconfigure-device -m system-ram dax0.0
lib_lines "a failed undo with -v: every library error line" \
	'[{"block":10,"online":"EINVAL"},{"block":8,"offline":"EBUSY"}]' \
	"libdaxctl: dax0.0: failed to online memory10: Invalid argument
libdaxctl: dax0.0: memory8 stays online: offlining it again failed: Device or resource busy
libdaxctl: dax0.0: failed to offline memory8: Device or resource busy
" reconfigure-device -m system-ram dax0.0 -v

check_output faults
