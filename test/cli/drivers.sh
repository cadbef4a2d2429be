#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Devices held by drivers other than device_dax and kmem, on the kernel
# emulator: list says "famfs" for famfs's fsdev_dax and "unknown", with the
# driver's name, for any other; reconfigure-device -m famfs binds fsdev_dax
# (and says which driver is missing when there is none); the commands
# that change devices take a device from a driver that is not theirs only
# with --force, naming it. Output in test/cli/expected/drivers.out.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

daxsim_start drivers
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
run "devdax, famfs, unknown" list -D
run "" reconfigure-device -m famfs dax0.0 --dry-run
run "" reconfigure-device -m famfs dax0.0
run "already" reconfigure-device -m famfs dax0.1
run "held by other_dax" reconfigure-device -m famfs dax0.2
run "held by other_dax" reconfigure-device -m devdax dax0.2
run "held by other_dax" reconfigure-device -m system-ram dax0.2
run "held by other_dax" disable-device dax0.2
run "held by other_dax" destroy-device dax0.2
run "enabled by other_dax" enable-device dax0.2
run "nothing changed" list -D -d dax0.2
run "taken with --force" reconfigure-device -f -m famfs dax0.2
run "held by fsdev_dax" reconfigure-device -m devdax dax0.1
run "" reconfigure-device -f -m devdax dax0.1
run "" reconfigure-device -m system-ram -N dax0.1
run "system-ram first goes devdax" reconfigure-device -m famfs dax0.1
run "usage" reconfigure-device -m famfs -N dax0.0
daxsim_stop

# without fsdev_dax
sed 's/"fsdev_dax", //; s/"driver": "fsdev_dax"/"driver": "device_dax"/' \
	"$top_srcdir/test/daxsim/scenarios/drivers.json" > "$_tmp/nofamfs.json"
daxsim_start "$_tmp/nofamfs.json"
DAXCTL_SYSROOT=$SIM
run "no fsdev_dax driver" reconfigure-device -m famfs dax0.0
run "left as it was" list -d dax0.0
daxsim_stop
unset DAXCTL_SYSROOT
check_output drivers
