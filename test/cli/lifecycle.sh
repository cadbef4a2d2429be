#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The commands that change devices, end to end on the kernel emulator:
# success paths, every refusal the kernel (or daxctl before it) gives, the
# argument checks, multi-device runs, --json-result, and --dry-run, which
# must leave the system exactly as it was. Outputs are kept in
# test/cli/expected/lifecycle-*.out; faults are in faults.sh.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

mem=sys/devices/system/memory

# Everything a user can observe (see faults.sh).
state_of() {
	DAXCTL_SYSROOT=$SIM "$DAXCTL" list -RDMi
	for _b in "$SIM/$mem"/memory*/state; do
		printf '%s %s\n' "$(basename "$(dirname "$_b")")" "$(cat "$_b")"
	done | sort -V
	cat "$SIM/$mem/auto_online_blocks" "$SIM/proc/iomem"
}

# dry_run ARGS...: the command with --dry-run must change nothing
dry_run() {
	state_of > "$_tmp/dry-before"
	run "dry run" "$@" --dry-run
	state_of > "$_tmp/dry-after"
	cmp -s "$_tmp/dry-before" "$_tmp/dry-after"
	tap_result $? "--dry-run $* changes nothing"
}

# ---- argument checks: nothing is touched ----
daxsim_use lifecycle
state_of > "$_tmp/start"
for cmd in reconfigure-device online-memory offline-memory disable-device \
	enable-device destroy-device; do
	run "no device" $cmd
done
for dev in dax0 dax0.0.0 ../dax0.0 /dev/../dax0.0 /sys/bus/dax/devices/dax0.0 \
	'dax0.0 ' '' dax-1.0 region0; do
	run "bad device name" disable-device "$dev"
done
run "bad region" disable-device -r -1 all
for size in '' -1 1X 99999999999999999999 0x 16E 1kk 0x10000000000000000; do
	run "bad size" reconfigure-device -s "$size" dax0.0
done
run "bad align" create-device -a 2q
run "bad mode" reconfigure-device -m ram dax0.0
run "no change asked" reconfigure-device dax0.0
run "mode with size" reconfigure-device -m devdax -s 1G dax0.0
run "no-online with devdax" reconfigure-device -m devdax -N dax0.0
run "extra argument" create-device dax0.0
run "extra argument" migrate-device-model foo
state_of > "$_tmp/end"
cmp -s "$_tmp/start" "$_tmp/end"
tap_result $? "rejected command lines change nothing"
daxsim_unuse
check_output lifecycle-usage

# ---- mode changes ----
daxsim_use lifecycle
dry_run reconfigure-device -m system-ram dax0.0
dry_run reconfigure-device -m devdax -f dax0.1
dry_run reconfigure-device -m system-ram --no-movable dax0.0
run "to system-ram, and one already there, named three ways" \
	reconfigure-device -m system-ram dax0.0 0.1 /dev/dax0.0
run "" list -D
run "back to devdax: memory online" reconfigure-device -m devdax dax0.0
run_sh "with -v (library lines left out)" \
	"daxctl reconfigure-device -m devdax -v dax0.0 2>\"\$_tmp/v\"; rc=\$?
	grep -v '^libdaxctl' \"\$_tmp/v\" >&2; exit \$rc"
run "--force offlines it first" reconfigure-device -m devdax --force all
run "already devdax" reconfigure-device -m devdax dax0.0 --json-result
# -u: one device is a bare object, as ndctl prints it; more, an array
run "-u, one device" reconfigure-device -m devdax -u dax0.0
run "-u, two devices" reconfigure-device -m devdax -u dax0.0 dax0.1
run "-u --json-result" reconfigure-device -m devdax -u --json-result 0.0
run "one device without -u" reconfigure-device -m devdax 0.0
run "-N leaves it offline" reconfigure-device -m system-ram -N dax0.1
run "--no-movable" reconfigure-device -m system-ram --no-movable dax0.0
run "" list -D
# the kernel would online it into a kernel zone (more in autoonline.sh)
sim_write $mem/auto_online_blocks online
run "the kernel would online it" reconfigure-device -m devdax -f dax0.0
run "the kernel would online it" reconfigure-device -m system-ram dax0.0
run "-N too" reconfigure-device -m system-ram -N dax0.0
run "--force: the kernel onlines it, daxctl moves it" reconfigure-device -m system-ram -f dax0.0
daxsim_unuse
check_output lifecycle-mode

# ---- online-memory / offline-memory ----
daxsim_use lifecycle
dry_run offline-memory dax0.1
run "" offline-memory dax0.1
run "already" offline-memory dax0.1
dry_run online-memory dax0.1
run "" online-memory --no-movable dax0.1
run "" list -d dax0.1
run "already, in another zone" online-memory dax0.1
run "devdax device" online-memory dax0.0
run "both, one fails" offline-memory all
sim_cat $mem/memory12/state $mem/memory12/valid_zones
daxsim_unuse
check_output lifecycle-memory

# ---- create-device ----
daxsim_use lifecycle
dry_run create-device -s 128M
run "" create-device -s 128M -a 4k
run "the rest" create-device
run "full" create-device
run "" list -RDMi -r 0
DAXCTL_SYSROOT=$SIM "$DAXCTL" list -D -M -d dax0.2 |
	jq '.[0]' > "$_tmp/dax0.2.json"
run "" destroy-device -f dax0.2 dax0.3
dry_run create-device --input "$_tmp/dax0.2.json"
run "replay a list -M object" create-device --input "$_tmp/dax0.2.json"
run "" list -M -d dax0.2
jq '[.]' "$_tmp/dax0.2.json" > "$_tmp/array.json"
jq '.mappings[0].page_offset = -1' "$_tmp/dax0.2.json" > "$_tmp/negative.json"
jq '.mappings += [.mappings[0] | .page_offset = 32768]' "$_tmp/dax0.2.json" \
	> "$_tmp/overlap.json"
jq 'del(.align)' "$_tmp/dax0.2.json" > "$_tmp/noalign.json"
jq '.size = "128.00 MiB (134.22 MB)"' "$_tmp/dax0.2.json" > "$_tmp/human.json"
printf '{ "chardev": ' > "$_tmp/truncated.json"
for f in array negative overlap noalign human truncated; do
	run "bad input" create-device --input "$_tmp/$f.json"
done
run "no such file" create-device --input "$_tmp/none.json"
run "static region" create-device -r 1
daxsim_unuse
check_output lifecycle-create

# ---- destroy-device ----
daxsim_use lifecycle
run "" create-device -s 128M
dry_run destroy-device -f dax0.2
run "active" destroy-device dax0.2
run "system-ram with memory online" destroy-device -f dax0.1
run "" destroy-device -f dax0.2 --json-result
run "device 0 keeps existing" destroy-device -f 0.0
run "then it is empty" destroy-device -f 0.0
run "no match" destroy-device dax0.9 dax0.0
run "" list -RDi
daxsim_unuse
check_output lifecycle-destroy

# ---- reconfigure-device -s / -a ----
daxsim_use lifecycle
run "enabled" reconfigure-device -s 256M dax0.0
run "system-ram" reconfigure-device -s 128M dax0.1
run "" disable-device dax0.0
dry_run reconfigure-device -s 256M -a 4k dax0.0
run "" reconfigure-device -s 256M dax0.0
run "align alone" reconfigure-device -a 4k dax0.0
run "same again" reconfigure-device -a 4k -s 256M dax0.0
run "unsupported align" reconfigure-device -a 8k dax0.0
run "no room" reconfigure-device -s 2G dax0.0
run "misaligned" reconfigure-device -a 2M -s 3M dax0.0
run "" list -M -d dax0.0
daxsim_unuse
check_output lifecycle-resize

# ---- reconfigure-device --input: a disabled device takes a layout ----
daxsim_use lifecycle
run "" create-device -s 128M
DAXCTL_SYSROOT=$SIM "$DAXCTL" list -D -M -d dax0.2 |
	jq '.[0]' > "$_tmp/one.json"
# the same space in two ranges, the second half first
jq '.mappings = [.mappings[0] as $m | ($m.start + 67108864) as $half |
	{ page_offset: 0, start: $half, end: $m.end },
	{ page_offset: 16384, start: $m.start, end: ($half - 1) }]' \
	"$_tmp/one.json" > "$_tmp/swapped.json"
jq '.chardev = "dax1.0"' "$_tmp/one.json" > "$_tmp/region1.json"
DAXCTL_SYSROOT=$SIM "$DAXCTL" list -D -M -d dax0.0 |
	jq '.[0] | .mappings[0].end = .mappings[0].start + 134217727 |
		.mappings[0].size = 134217728 | .size = 134217728 |
		.mappings = [.mappings[0]]' > "$_tmp/taken.json"
run "enabled" reconfigure-device --input "$_tmp/swapped.json" dax0.2
run "system-ram" reconfigure-device --input "$_tmp/swapped.json" dax0.1
run "" disable-device dax0.2
run "already" reconfigure-device --input "$_tmp/one.json" dax0.2
dry_run reconfigure-device --input "$_tmp/swapped.json" dax0.2
run "two ranges" reconfigure-device --input "$_tmp/swapped.json" dax0.2
run "" list -M -d dax0.2
run "another region's layout" \
	reconfigure-device --input "$_tmp/region1.json" dax0.2
run "ranges of another device: its own are put back" \
	reconfigure-device --input "$_tmp/taken.json" dax0.2
run "" list -M -d dax0.2
run "back to one range" reconfigure-device --input "$_tmp/one.json" dax0.2
run "" enable-device dax0.2
run "" list -M -d dax0.2
run "with --mode" reconfigure-device --input "$_tmp/one.json" -m devdax dax0.2
run "with --size" reconfigure-device --input "$_tmp/one.json" -s 128M dax0.2
run "with -C" reconfigure-device --input "$_tmp/one.json" -C dax0.2
run "all" reconfigure-device --input "$_tmp/one.json" all
run "two devices" reconfigure-device --input "$_tmp/one.json" dax0.2 dax0.0
run "no such file" reconfigure-device --input "$_tmp/none.json" dax0.2
run "no such device" reconfigure-device --input "$_tmp/one.json" dax0.7
daxsim_unuse
check_output lifecycle-input

# ---- enable-device / disable-device ----
daxsim_use lifecycle
dry_run disable-device dax0.0
run "" disable-device dax0.0
run "already" disable-device dax0.0
dry_run enable-device 0.0
run "" enable-device 0.0 --json-result
run "already" enable-device dax0.0
run "system-ram" disable-device dax0.1
run "" create-device -s 128M
run "" disable-device dax0.2
run "" reconfigure-device -s 0 dax0.2
run "0-size" enable-device dax0.2
run "all: idle devices are not candidates" enable-device all
run "0-size" reconfigure-device -m devdax dax0.2
run "all: idle devices are not candidates" reconfigure-device -m devdax all
daxsim_unuse
check_output lifecycle-state

# ---- other platforms: CXL, NVDIMM, legacy pmem, no target node ----
daxsim_use platforms
run "static region" reconfigure-device -s 1G dax1.0 --json-result
run "static region" destroy-device -f dax1.0
run "class model" reconfigure-device -m system-ram dax2.0
run "class model" disable-device dax2.0
run "no target node" reconfigure-device -m system-ram dax3.0
run "NVDIMM to system-ram: 7 whole blocks" reconfigure-device -m system-ram dax1.0
run "CXL back to devdax" reconfigure-device -m devdax -f dax0.0
run "" create-device -r 0
run "several dynamic regions" create-device
daxsim_unuse
check_output lifecycle-platforms

# ---- migrate-device-model ----
# The paths depend on configure's --sysconfdir and --datadir: learn them
# from the dry run and show them as $SYSCONFDIR and $DATADIR.
root=$_tmp/root
mkdir -p "$root"
plan=$(DAXCTL_SYSROOT=$root "$DAXCTL" migrate-device-model --dry-run 2>/dev/null)
link=$(printf '%s\n' "$plan" | sed -n 's/^symlink \(.*\) -> .*/\1/p')
target=$(printf '%s\n' "$plan" | sed -n 's/^symlink .* -> \(.*\)/\1/p')
sysconf=${link%/modprobe.d/daxctl.conf}
datadir=${target%/daxctl/daxctl.conf}
run "no modprobe.d" --sysroot "$root" migrate-device-model
mkdir -p "$root$sysconf/modprobe.d"
run "dry run" --sysroot "$root" migrate-device-model --dry-run
run "" --sysroot "$root" migrate-device-model
[ "$(readlink "$root$link")" = "$target" ]
tap_result $? "the link points at the shipped snippet"
run "already" --sysroot "$root" migrate-device-model
rm "$root$link"
echo "# mine" > "$root$link"
run "someone else's file" --sysroot "$root" migrate-device-model
run "dry run sees it too" --sysroot "$root" migrate-device-model --dry-run
[ "$(cat "$root$link")" = "# mine" ]
tap_result $? "someone else's file is left alone"
sed -i -e "s|$sysconf/|\$SYSCONFDIR/|g" -e "s|$datadir/|\$DATADIR/|g" "$_out"
check_output lifecycle-migrate
