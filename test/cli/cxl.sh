#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A dax region born from a CXL region, on the emulator's 6.12 profile
# modelled on the real 6.12 (scenario cxl-612.json): list shows the path
# v81 printed on that kernel (test/cli/reference/
# kernel-6.12-cxl-05-cxlborn-list-RDMiu.json), and create-device,
# reconfigure-device and the configuration's region.path glob work on it.
# Output in test/cli/expected/cxl.out.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

require_prog jq
daxsim_start cxl-612
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
run "born on kmem, blocks offline" list -R -D
# the region's path, as v81 printed it on the real kernel
"$DAXCTL" list -R > "$_tmp/ours.json"
want=$(jq -r .path "$srcdir/test/cli/reference/kernel-6.12-cxl-05-cxlborn-list-RDMiu.json")
got=$(jq -r '.[0].path' "$_tmp/ours.json")
[ "$got" = "$want" ]
tap_result $? "region path '$got' is v81's '$want'"
run "" reconfigure-device -f -m devdax dax0.0
run "" reconfigure-device -m devdax dax0.0
run "" disable-device dax0.0
run "" reconfigure-device -s 256M dax0.0
run "" create-device -r 0 -s 128M
conf=$_tmp/conf
mkdir -p "$conf"
cat > "$conf/cxl.conf" <<EOF2
[reconfigure-device cxl]
region.path = /platform/ACPI0017:00/root0/decoder*/region*/dax_region*
mode = system-ram
EOF2
DAXCTL_CONFIG_PATH=$conf
export DAXCTL_CONFIG_PATH
run "region.path glob" reconfigure-device -C dax0.1
# kmem matches a CXL device by type on 6.12: binding dax0.1 must not
# make the kernel offer the disabled dax0.0 to kmem too (new_id would)
run "dax0.0 stays disabled" list -R -D
unset DAXCTL_CONFIG_PATH
daxsim_stop
unset DAXCTL_SYSROOT
check_output cxl
