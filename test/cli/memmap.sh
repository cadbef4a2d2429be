#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# memmap_on_memory (Linux 6.8+) end to end on the kernel emulator: list
# shows it, reconfigure-device -m system-ram --(no-)memmap-on-memory and
# the configuration key write it before kmem binds, refuse what the kernel
# cannot honour (no attribute on 6.1, memory_hotplug.memmap_on_memory
# off, kmem already bound with the other value) naming the device and the
# reason, and put it back when a later step fails. Each scenario names its
# kernel generation, so a DAXSIM_KERNEL matrix does not change it.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

require_prog jq

dev=sys/bus/dax/devices

state_of() {
	DAXCTL_SYSROOT=$SIM "$DAXCTL" list -RDMi
	for _b in "$SIM"/sys/devices/system/memory/memory*/state; do
		printf '%s %s\n' "$(basename "$(dirname "$_b")")" "$(cat "$_b")"
	done | sort -V
}

# unchanged NAME ARGS...: a refused or dry command changes nothing
unchanged() {
	_u_name=$1
	shift
	state_of > "$_tmp/before"
	run "$_u_name" "$@"
	state_of > "$_tmp/after"
	cmp -s "$_tmp/before" "$_tmp/after"
	tap_result $? "$* changes nothing"
}

# hmem: dax0.0 devdax, dax0.1 kmem online, dax0.2 devdax whose kmem probe
# fails; CXL: dax1.0 born in system-ram mode with memmap_on_memory 1
cat > "$_tmp/memmap.json" <<'EOS'
{ "kernel": "6.12",
  "memory": { "block_size": "128M", "auto_online_blocks": "offline",
	      "memmap_on_memory": true, "nodes": [0, 1, 2],
	      "ram": [ { "node": 0, "start": "0", "size": "1G" } ] },
  "regions": [
	{ "kind": "hmem", "id": 0, "start": "0x40000000", "size": "1G",
	  "target_node": 1,
	  "devices": [
		{ "id": 0, "ranges": [["0x40000000", "0x5fffffff"]],
		  "driver": "device_dax" },
		{ "id": 1, "ranges": [["0x60000000", "0x6fffffff"]],
		  "driver": "kmem", "memory": "online_movable" },
		{ "id": 2, "ranges": [["0x70000000", "0x77ffffff"]],
		  "driver": "device_dax" } ] },
	{ "kind": "cxl", "id": 1, "start": "0x240000000", "size": "512M",
	  "target_node": 2,
	  "devices": [ { "id": 0, "ranges": [["0x240000000", "0x24fffffff"]],
			 "driver": "kmem", "memory": "offline" } ] } ],
  "faults": [ { "probe": "kmem", "device": "dax0.2", "errno": "EINVAL" } ] }
EOS

# ---- 6.12 with memory_hotplug.memmap_on_memory=1 ----
daxsim_use "$_tmp/memmap.json"
run "the key, on every device" list -D
unchanged "dry run: the write comes first" \
	reconfigure-device -m system-ram --memmap-on-memory --dry-run dax0.0
run "to system-ram with the memmap on the device" \
	reconfigure-device -m system-ram --memmap-on-memory dax0.0
sim_cat $dev/dax0.0/memmap_on_memory
unchanged "kmem bound with 1: 0 cannot be had" \
	reconfigure-device -m system-ram --no-memmap-on-memory dax0.0
run "the same value: already so" \
	reconfigure-device -m system-ram --memmap-on-memory dax0.0
run "" reconfigure-device -m devdax -f dax0.0
run "the last of the two options wins" reconfigure-device -m system-ram \
	--memmap-on-memory --no-memmap-on-memory -N dax0.0
sim_cat $dev/dax0.0/memmap_on_memory
run "" reconfigure-device -m devdax dax0.0
unchanged "kmem refuses dax0.2: memmap_on_memory written back" \
	reconfigure-device -m system-ram --memmap-on-memory dax0.2
sim_cat $dev/dax0.2/memmap_on_memory
# the CXL device: born with 1
unchanged "CXL, born with 1 under kmem" \
	reconfigure-device -m system-ram --no-memmap-on-memory -N dax1.0
run "" reconfigure-device -m devdax dax1.0
run "CXL: 0 before kmem binds again" \
	reconfigure-device -m system-ram --no-memmap-on-memory -N dax1.0
check_output memmap-612

# ---- usage: only with -m system-ram, not with -C or --input ----
unchanged "" reconfigure-device -m devdax --memmap-on-memory dax0.0
unchanged "" reconfigure-device -s 256M --no-memmap-on-memory dax0.0
unchanged "" reconfigure-device -C --memmap-on-memory dax0.0
unchanged "" reconfigure-device --memmap-on-memory --input /dev/null dax0.0
check_output memmap-usage

# ---- the configuration key ----
conf=$_tmp/daxctl.conf.d
mkdir -p "$conf"
DAXCTL_CONFIG_PATH=$conf
export DAXCTL_CONFIG_PATH
printf '[reconfigure-device m]\ndevice = dax0.0\nmode = system-ram\nonline = false\nmemmap_on_memory = yes\n' \
	> "$conf/m.conf"
run "memmap_on_memory = yes" reconfigure-device -C dax0.0
sim_cat $dev/dax0.0/memmap_on_memory
run "" reconfigure-device -m devdax dax0.0
printf '[reconfigure-device m]\ndevice = dax0.0\nmode = devdax\nmemmap_on_memory = no\n' \
	> "$conf/m.conf"
unchanged "with mode devdax: an error" reconfigure-device -C dax0.0
printf '[reconfigure-device m]\ndevice = dax0.0\nmemmap_on_memory = perhaps\n' \
	> "$conf/m.conf"
unchanged "not a boolean" reconfigure-device -C dax0.0
unset DAXCTL_CONFIG_PATH
check_output memmap-config
daxsim_stop

# ---- faults: the write refused; the undo refused ----
jq '.faults += [{ "write": "sys/devices/platform/hmem.0/dax0.0/memmap_on_memory",
		  "errno": "EIO" },
		{ "write": "sys/devices/platform/hmem.0/dax0.2/memmap_on_memory",
		  "nth": 2, "errno": "EIO" }]' "$_tmp/memmap.json" \
	> "$_tmp/memmap-faults.json" || _bail "jq failed"
daxsim_use "$_tmp/memmap-faults.json"
unchanged "the write is refused: nothing else is tried" \
	reconfigure-device -m system-ram --memmap-on-memory dax0.0
run "kmem refuses dax0.2, and so does the undo: said so" \
	reconfigure-device -m system-ram --memmap-on-memory dax0.2
sim_cat $dev/dax0.2/memmap_on_memory
check_output memmap-faults
daxsim_stop

# ---- 6.12 booted without memory_hotplug.memmap_on_memory ----
sed 's/"memmap_on_memory": true/"memmap_on_memory": false/' \
	"$_tmp/memmap.json" > "$_tmp/memmap-off.json"
daxsim_use "$_tmp/memmap-off.json"
sim_cat sys/module/memory_hotplug/parameters/memmap_on_memory
unchanged "the parameter is off" \
	reconfigure-device -m system-ram --memmap-on-memory dax0.0
unchanged "the parameter is off (dry run)" \
	reconfigure-device -m system-ram --memmap-on-memory --dry-run dax0.0
run "0 needs no parameter" \
	reconfigure-device -m system-ram --no-memmap-on-memory -N dax0.0
check_output memmap-param-off
daxsim_stop

# ---- 6.1: no attribute, no key ----
sed 's/"kernel": "6.12"/"kernel": "6.1"/' "$_tmp/memmap.json" \
	> "$_tmp/memmap-61.json"
daxsim_use "$_tmp/memmap-61.json"
run "no key" list -D -d dax0.0
unchanged "no attribute: an error" \
	reconfigure-device -m system-ram --memmap-on-memory dax0.0
run "no attribute: 0 is what 6.1 does anyway" \
	reconfigure-device -m system-ram --no-memmap-on-memory -N dax0.0
check_output memmap-61
