#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# "memory_tier" in daxctl list, on the kernel emulator: a system-ram device
# shows the tier holding its target node while the kernel lists the node in
# one (a memory-only node only while it has online memory), and devdax
# devices never show it. Fixtures recorded without memory tiers show no key
# (their golden files in test/cli/expected/list-*). Output in test/cli/expected/tiers.out.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

tiers=sys/devices/virtual/memory_tiering

daxsim_start tiers
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
run "node 1 memory-only, node 0 with boot RAM" list -D
sim_ls $tiers
sim_cat $tiers/memory_tier4/nodelist $tiers/memory_tier22/nodelist
run "" offline-memory dax0.0
run "node 1 has no online memory: in no tier" list -d dax0.0
sim_ls $tiers
run "" online-memory dax0.0
run "back in its tier" list -d dax0.0
run "" reconfigure-device -f -m devdax dax1.0
run "devdax: no key" list -d dax1.0
sim_cat $tiers/memory_tier4/nodelist
daxsim_stop

# the real 6.1 (hmem-numa): node 1 in memory_tier22 while online, then none
run "6.1, online" --sysroot "$(fixture kernel-6.1-hmem-numa-20-sysram)" list -d dax0.1
run "6.1, offline" --sysroot "$(fixture kernel-6.1-hmem-numa-25-offline)" list -d dax0.1

# the real 6.12, a CXL RAM region's device (node 1): the same
run "6.12 CXL, online" --sysroot "$(fixture kernel-6.12-cxl-20-sysram)" list -d dax0.1
run "6.12 CXL, offline" --sysroot "$(fixture kernel-6.12-cxl-25-offline)" list -d dax0.1

# the tier ids come from the scenario when it gives them
sed 's/"block_size": "128M",/&\n"tiers": { "dram": 1, "kmem": 3 },/' \
	"$top_srcdir/test/daxsim/scenarios/tiers.json" > "$_tmp/ids.json"
daxsim_start "$_tmp/ids.json"
DAXCTL_SYSROOT=$SIM
run "other tier ids" list -D
sim_ls $tiers
daxsim_stop
unset DAXCTL_SYSROOT
check_output tiers

