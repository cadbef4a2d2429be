# shellcheck shell=sh
# monitor.sh -- sourced by lifecycle.sh: OUR daxctl monitor on the real
# kernel, listening while OUR commands create a device in the dynamic
# region, put it in system-ram mode, offline it, take it back to devdax
# and destroy it; and --wait's promise that /dev/daxX.Y exists when
# create-device returns. The initramfs has no udevd, so the monitor's
# source is the kernel's own uevent socket (libudev's "kernel" monitor).
# Results go to lifecycle.tsv through lc and chk.

# mon_events JQ-FILTER: the monitor's events (one JSON object a line) as
# an array, through a jq filter
mon_events() {
	jq -s -r "$1" /tmp/mon.out
}

run_monitor() { # REGION
	m_r=$1
	: > /tmp/mon.err
	# not through the ours function: $! must be daxctl's pid, not that of
	# a subshell (which, in the background, ignores SIGINT)
	LD_LIBRARY_PATH=$OURLIB "$DAXCTL" monitor --timeout 300 > /tmp/mon.out 2> /tmp/mon.err &
	m_pid=$!
	m_i=0
	while ! grep -q '^monitor: listening' /tmp/mon.err && [ $m_i -lt 100 ]; do
		sleep 0.1
		m_i=$((m_i + 1))
	done
	chk "monitor: listening to the kernel's uevents (no udevd in the guest)" \
		"grep -qx 'monitor: listening to kernel events' /tmp/mon.err"

	lc 0 mon-create create-device -r "$m_r" -s 256M
	M=$(jq -r '.[0].chardev' /tmp/lc.out)
	chk "mon-create: /dev/$M is a character device when create-device returns (devtmpfs)" "[ -c /dev/$M ]"
	lc 0 mon-disable disable-device "$M"
	chk "mon-disable: /dev/$M stays while unbound (devtmpfs, as daxsim has it)" \
		"[ -c /dev/$M ] && [ ! -e /sys/bus/dax/devices/$M/driver ]"
	lc 0 mon-enable enable-device "$M"
	lc 0 mon-sysram reconfigure-device -m system-ram "$M"
	m_n=$(dev_field "$M" total_memblocks)
	lc 0 mon-offline offline-memory "$M"
	lc 0 mon-devdax reconfigure-device -m devdax "$M"
	lc 0 mon-destroy destroy-device -f "$M"
	chk "mon-destroy: /dev/$M is gone" "[ ! -e /dev/$M ]"
	# uevents are queued on the socket as the kernel sends them; SIGINT
	# makes the monitor print what it has, then exit 0
	sleep 1
	kill -INT "$m_pid"
	wait "$m_pid"
	m_rc=$?
	_lres "monitor: SIGINT ends it with exit 0" "$([ $m_rc = 0 ] && echo 0 || echo 1)" "got $m_rc"
	cp /tmp/mon.out "$OUT/monitor.jsonl" 2>/dev/null
	vmt_note "monitor: $(wc -l < /tmp/mon.out) events, $M with $m_n blocks"
	chk "monitor: every event is from the kernel source, with a timestamp" \
		"[ \"\$(mon_events 'all(.source == \"kernel\" and (.timestamp | test(\"^[0-9-]+T[0-9:.]+Z\$\")))')\" = true ]"
	m_want="bind:device_dax unbind: bind:device_dax unbind: bind:kmem unbind: bind:device_dax unbind: remove:"
	chk "monitor: $M went $m_want" \
		"[ \"\$(mon_events '[.[] | select(.subsystem == \"dax\" and .device == \"$M\" and .event != \"add\") | .event + \":\" + (.driver // \"\")] | join(\" \")')\" = '$m_want' ]"
	for m_ev in add online offline remove; do
		chk "monitor: $m_n memory block '$m_ev' events" \
			"[ \"\$(mon_events '[.[] | select(.subsystem == \"memory\" and .event == \"$m_ev\")] | length')\" = $m_n ]"
	done
}
