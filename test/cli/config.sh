#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Persistent configuration: "reconfigure-device -C" with daxctl.conf.d
# files, on the kernel emulator with one region of each kind (CXL dax0.0
# on kmem and online, NVDIMM dax1.0, class-model e820 dax2.0, hmem dax3.0
# without a target node). First every malformed file the parser must
# reject, each with the file, the line and the reason, and nothing on the
# system may change; then the match keys and what a matching section does.
# Outputs: test/cli/expected/config-errors.out, config-apply.out.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

conf=$_tmp/daxctl.conf.d
uuid=ab234525-85de-43df-9c61-31e388d945a4	# dax1.0's namespace
DAXCTL_CONFIG_PATH=$conf
export DAXCTL_CONFIG_PATH

state_of() {
	"$DAXCTL" list -RDMi
	for _b in "$SIM"/sys/devices/system/memory/memory*/state; do
		printf '%s %s\n' "$(basename "$(dirname "$_b")")" "$(cat "$_b")"
	done | sort -V
}

# config NAME: the configuration directory holds only NAME, whose
# contents are read from standard input
config() {
	rm -rf "$conf"
	mkdir -p "$conf"
	cat > "$conf/$1"
}

# bad TITLE: the configuration (from stdin) is rejected and changes nothing
bad() {
	config 50-test.conf
	run "$1" reconfigure-device -C all
}

daxsim_start platforms
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
state_of > "$_tmp/start"

# ---- files the parser must reject ----
bad "missing ]" <<EOF
[reconfigure-device pmem
nvdimm.uuid = $uuid
EOF
bad "text after ]" <<EOF
[reconfigure-device pmem] # the pmem namespace
nvdimm.uuid = $uuid
EOF
bad "empty header" <<EOF
[]
nvdimm.uuid = $uuid
EOF
bad "no section name" <<EOF
[reconfigure-device]
nvdimm.uuid = $uuid
EOF
bad "two-word name" <<EOF
[reconfigure-device pmem zero]
nvdimm.uuid = $uuid
EOF
bad "unknown section type" <<EOF
[reconfigure pmem]
nvdimm.uuid = $uuid
EOF
bad "a section twice in one file" <<EOF
[reconfigure-device pmem]
nvdimm.uuid = $uuid

[reconfigure-device pmem]
mode = devdax
EOF
bad "key outside a section" <<EOF
mode = system-ram
[reconfigure-device pmem]
nvdimm.uuid = $uuid
EOF
bad "misspelt key (would widen the match)" <<EOF
[reconfigure-device pmem]
nvdimm.uuid = $uuid
target-node = 0
EOF
bad "empty value" <<EOF
[reconfigure-device pmem]
nvdimm.uuid = $uuid
mode =
EOF
bad "not a key line" <<EOF
[reconfigure-device pmem]
nvdimm.uuid $uuid
EOF
bad "no key" <<EOF
[reconfigure-device pmem]
= $uuid
EOF
bad "bad values" <<EOF
[reconfigure-device a]
nvdimm.uuid = ab234525-85de-43df-9c61
[reconfigure-device b]
region.id = -1
[reconfigure-device c]
target_node = two
[reconfigure-device d]
resource = 0x
[reconfigure-device e]
device = dax0
[reconfigure-device f]
region.path = platform/hmem.3
[reconfigure-device g]
device = dax3.0
mode = ram
[reconfigure-device h]
device = dax3.0
online = maybe
[reconfigure-device i]
resource = 99999999999999999999
[reconfigure-device j]
target_node = -2
EOF
bad "a comment does not hide a bad value" <<EOF
[reconfigure-device pmem]
nvdimm.uuid = $uuid
mode = ram # keep it
EOF
bad "only a comment: an empty value" <<EOF
[reconfigure-device pmem]
nvdimm.uuid = $uuid
mode = ; devdax
EOF
bad "a boolean by a letter that means neither" <<EOF
[reconfigure-device pmem]
nvdimm.uuid = $uuid
movable = always
EOF
bad "a quote never closed" <<EOF
[reconfigure-device pmem]
nvdimm.uuid = "$uuid
EOF
bad "text after the closing quote" <<EOF
[reconfigure-device pmem]
nvdimm.uuid = '$uuid' x
EOF
bad "no match key" <<EOF
[reconfigure-device everything]
mode = system-ram
EOF
bad "online with devdax" <<EOF
[reconfigure-device pmem]
nvdimm.uuid = $uuid
mode = devdax
online = false
movable = no
EOF
printf '[reconfigure-device pmem]\nnvdimm.uuid = %s\n\000\n' "$uuid" |
	bad "binary data"
# errors in two files: all are reported, and a good file is not used
config 10-good.conf <<EOF
[reconfigure-device pmem]
nvdimm.uuid = $uuid
EOF
printf '[reconfigure-device cxl\n' > "$conf/20-bad.conf"
printf 'mode = devdax\n' > "$conf/30-bad.conf"
run "errors in two of three files" reconfigure-device -C dax1.0
run "the same with --json-result" reconfigure-device -C --json-result dax1.0

state_of > "$_tmp/end"
cmp -s "$_tmp/start" "$_tmp/end"
tap_result $? "rejected configurations change nothing"
check_output config-errors

# ---- usage: checked before the configuration is read ----
rm -rf "$conf"
run "-C and --mode" reconfigure-device -C -m devdax dax1.0
run "-C and --size" reconfigure-device -C -s 1G dax3.0
run "-C and --no-movable" reconfigure-device -C --no-movable dax1.0
run "-C and no device" reconfigure-device -C
run "-C and a bad device name" reconfigure-device -C dax1

# ---- what matches, and what a match does ----
run "no configuration directory: nothing matches" reconfigure-device -C all
config daxctl.example.conf < "$top_srcdir/contrib/daxctl.example.conf"
run "the installed example configures nothing" reconfigure-device -C all
mkdir "$conf/not-a-file.conf"
run "a directory named *.conf is an error, not skipped" reconfigure-device -C dax1.0
rmdir "$conf/not-a-file.conf"
state_of > "$_tmp/end"
cmp -s "$_tmp/start" "$_tmp/end"
tap_result $? "no section: nothing changes"

# flags ONLINE MOVABLE: booleans are read by their first letter and a
# value may be followed by a comment, as ndctl's daxctl reads them; the
# dry run of dax1.0 (devdax, NVDIMM) onlines its memory, movable or not,
# or leaves it offline, as the two values say
flags() {
	config 10-hmem.conf <<EOF
[reconfigure-device hmem]
device = dax1.0	# the NVDIMM one
mode = system-ram ; fast tier
online = $1
movable = $2
EOF
	run "online = $1, movable = $2" \
		reconfigure-device -C --dry-run dax1.0
}
flags yes True
flags Y "tRUE ; movable"
flags 1 "'no' # a kernel zone"
flags y FALSE
flags t n
flags on off
flags "\"no\"" yes
flags N y
flags 0 1
flags false f

upper=$(printf '%s' "$uuid" | tr a-f A-F)
config 10-pmem.conf <<EOF
# the NVDIMM namespace becomes memory, online but not movable
[Reconfigure-Device pmem]
NVDIMM.UUID = "$upper"
mode = system-ram
movable = off
EOF
run "dry run by nvdimm.uuid" reconfigure-device -C --dry-run dax1.0
state_of > "$_tmp/end"
cmp -s "$_tmp/start" "$_tmp/end"
tap_result $? "-C --dry-run changes nothing"
run_sh "by nvdimm.uuid (upper case, quoted), -v (library lines left out)" \
	"daxctl reconfigure-device -C -v all 2>&1 | grep -v '^libdaxctl: '"
run "already as configured" reconfigure-device -C dax1.0

run "online with -C" "list" -d dax1.0

config 10-cxl.conf <<EOF
; every CXL region's memory, on node 1, stays device memory
[reconfigure-device cxl]
region.path = */dax_region*
target_node = 1
mode = devdax
EOF
run "CXL by region.path glob: memory online, no -f" reconfigure-device -C dax0.0
run "with -f" reconfigure-device -C -f dax0.0

config 10-node.conf <<EOF
[reconfigure-device cxl]
region.path = /sys/devices/platform/ACPI0017:00/root0/decoder0.0/region0/dax_region0
region.id = 0
device = dax0.*
resource = 0x240000000
target_node = 1
online = no
EOF
run "every key, full sysfs path, online = no" reconfigure-device -C dax0.0

config 10-miss.conf <<EOF
[reconfigure-device cxl]
device = dax0.0
target_node = 0
mode = devdax
EOF
run "one key of two does not hold" reconfigure-device -C dax0.0

config 10-both.conf <<EOF
[reconfigure-device by-name]
device = dax3.0
mode = system-ram

[reconfigure-device by-region]
region.id = 3
mode = devdax
EOF
run "two sections match one device" reconfigure-device -C dax3.0

config 10-site.conf <<EOF
[reconfigure-device hmem]
region.path = /platform/hmem.*
mode = devdax
EOF
cat > "$conf/20-local.conf" <<EOF
[reconfigure-device hmem]
mode = system-ram
EOF
run "a later file overrides a key, with a warning" reconfigure-device -C dax3.0

# udev runs -C for a device as soon as the kernel adds it, which for a
# new device in a dynamic region is before it has a size
echo 1 > "$SIM/sys/devices/platform/ACPI0017:00/root0/decoder0.0/region0/dax_region0/dax_region/create"
config 10-cxl.conf <<EOF
[reconfigure-device cxl]
region.id = 0
mode = devdax
EOF
run "a device of size 0, named as udev names it" \
	reconfigure-device -C "$(cat "$SIM/sys/devices/platform/ACPI0017:00/root0/decoder0.0/region0/dax_region0/dax_region/create")"

daxsim_stop
check_output config-apply
