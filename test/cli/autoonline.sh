#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# system-ram under the kernel's auto-online policy (6.12's default with
# Debian's CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE=y): the kernel onlines a
# device's blocks itself as kmem binds, before daxctl can choose the zone.
# Each policy with each request (movable, --no-movable, -N), --force,
# memory the kernel will not let go, online-memory on memory the kernel
# onlined, and the boot-time configuration (-C) on a device born in
# system-ram mode. On the emulator (scenario autoonline.json); the same
# on the real 6.12 kernel is test/kernel/guest/autoonline.sh.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

mem=sys/devices/system/memory
daxsim_start autoonline
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
conf=$_tmp/daxctl.conf.d
mkdir -p "$conf"
DAXCTL_CONFIG_PATH=$conf
export DAXCTL_CONFIG_PATH

zones() { # DEV...: each block's state and zone
	for _d in "$@"; do
		run_sh "" "daxctl list -D -d $_d | jq -c '.[] | [.mode, .online_memblocks, .movable]'"
	done
}

sim_cat $mem/auto_online_blocks
run "" list -D
# "online": the kernel would put the memory in a kernel zone
run "refused: ZONE_MOVABLE asked" reconfigure-device -m system-ram dax0.0
run "refused: offline asked" reconfigure-device -m system-ram -N dax0.0
run "a kernel zone asked: the policy's own choice" \
	reconfigure-device -m system-ram --no-movable dax0.0
run "" reconfigure-device -m devdax -f dax0.0
run "-f: the kernel onlines it, daxctl moves it" \
	reconfigure-device -m system-ram -f dax0.0
zones dax0.0
run "" reconfigure-device -m devdax -f dax0.0
run "-f -N: offlined again" reconfigure-device -m system-ram -f -N dax0.0
zones dax0.0
run "" reconfigure-device -m devdax dax0.0
# memory the kernel will not let go (block 37 of dax0.1 stays busy)
run "-f: cannot be moved, said, kept" reconfigure-device -m system-ram -f dax0.1
zones dax0.1
run "-f -N: cannot be offlined, said, kept" \
	reconfigure-device -m system-ram -f -N dax0.1
run "online-memory: online already, and where" online-memory dax0.1
run "online-memory --no-movable: the same" online-memory --no-movable dax0.1
# "online_movable": nothing to refuse, movable memory can be moved
sim_write $mem/auto_online_blocks online_movable
run "ZONE_MOVABLE asked: what the kernel does" \
	reconfigure-device -m system-ram dax0.0
run "already: -f finds nothing to move" reconfigure-device -m system-ram -f dax0.0
run "" reconfigure-device -m devdax -f dax0.0
run "--no-movable: moved to a kernel zone" \
	reconfigure-device -m system-ram --no-movable dax0.0
zones dax0.0
run "" reconfigure-device -m devdax -f dax0.0
run "-N: offlined again" reconfigure-device -m system-ram -N dax0.0
zones dax0.0
run "" reconfigure-device -m devdax dax0.0
# "online_kernel"
sim_write $mem/auto_online_blocks online_kernel
run "refused" reconfigure-device -m system-ram dax0.0
run "--no-movable" reconfigure-device -m system-ram --no-movable dax0.0
run "" reconfigure-device -m devdax -f dax0.0
# boot: dax0.2 came up in system-ram mode, onlined by the policy into a
# kernel zone; the configuration asks for ZONE_MOVABLE, then offline
zones dax0.2
printf '[reconfigure-device born]\ndevice = dax0.2\nmode = system-ram\n' \
	> "$conf/50-test.conf"
run "-C: moved to ZONE_MOVABLE" reconfigure-device -C dax0.2
zones dax0.2
run "-C again: nothing to do" reconfigure-device -C dax0.2
printf 'online = false\n' >> "$conf/50-test.conf"
run "-C, online = false: offlined" reconfigure-device -C dax0.2
zones dax0.2
# without -f, memory that cannot be put as asked is a failure
printf '[reconfigure-device pinned]\ndevice = dax0.1\nonline = false\n' \
	> "$conf/50-test.conf"
run "-C, online = false, busy: fails, says where it is" reconfigure-device -C dax0.1
zones dax0.1
# plain -m system-ram on a device already there: the memory is not moved
printf '' > "$conf/50-test.conf"
run "" online-memory --no-movable dax0.2
run "already: not moved without -f" reconfigure-device -m system-ram dax0.2
zones dax0.2
check_output autoonline
