#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The --wait of create-device and enable-device, on the kernel emulator:
# daxsim makes a node in its dev/ for each device, as devtmpfs does,
# unless a devnode fault says otherwise. Outputs are in
# test/cli/expected/monitor-*.out.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

start() {
	_sim_n=0
	daxsim_start "$1"
	DAXCTL_SYSROOT=$SIM
	export DAXCTL_SYSROOT
}

stop() {
	unset DAXCTL_SYSROOT
	daxsim_stop
}

# ---- --wait: the node exists when create-device and enable-device return
start lifecycle
run "create waits for the node" create-device -s 128M
test -e "$SIM/dev/dax0.2"
tap_result $? "dev/dax0.2 exists after create-device"
run "disable" disable-device dax0.2
run "enable waits for the node" enable-device dax0.2
run "no wait" enable-device --no-wait dax0.0
run "a dry run waits for nothing" enable-device --dry-run dax0.2
run "destroy" destroy-device -f dax0.2
test ! -e "$SIM/dev/dax0.2"
tap_result $? "dev/dax0.2 is gone with the device"
run "bad wait" create-device --wait=x
stop

# a node that never appears: a note, the device stays created
cat > "$_tmp/nonode.json" <<'EOF'
{
	"memory": { "block_size": "128M",
		    "ram": [ { "node": 0, "start": "0", "size": "1G" } ] },
	"regions": [ { "kind": "hmem", "id": 0, "start": "0x40000000",
		       "size": "512M", "target_node": 0,
		       "devices": [ { "id": 0, "size": "128M" } ],
		       "seed": "dax0.0" } ],
	"faults": [ { "devnode": "dax0.*" } ]
}
EOF
start "$_tmp/nonode.json"
run "the node does not appear" create-device -s 128M --wait 0.3
test ! -e "$SIM/dev/dax0.0"
tap_result $? "the fault left dev/dax0.0 out"
run "disable" disable-device dax0.0
run "no wait: no note" enable-device --no-wait dax0.0
run "wait 0 looks once" disable-device dax0.0
run "wait 0 looks once" enable-device --wait=0 dax0.0
stop
check_output monitor-wait
