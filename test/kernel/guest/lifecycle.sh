# shellcheck shell=sh
# lifecycle.sh -- sourced by list.sh at its end: OUR daxctl changes the
# devices on the real kernel, every command and the refusals the kernel
# gives, with the exit code and the resulting state checked here.
# Results: $VMTEST_OUT/lifecycle.tsv, CHECK<TAB>0|1<TAB>detail (0 = as
# expected), and every run recorded by lib.sh as l-NAME.

_lres() { # CHECK RESULT DETAIL
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$OUT/lifecycle.tsv"
}

# lc RC NAME ARGS...: run ours, expect exit RC
lc() {
	l_rc=$1 l_name=$2
	shift 2
	vmt_run any "l-$l_name" ours "$@"
	l_got=$VMT_LAST_RC
	[ "$l_got" = "$l_rc" ] && r=0 || r=1
	# shellcheck disable=SC2086 # $r is 0 or 1
	# shellcheck disable=SC2086 # $r is 0 or 1
	_lres "$l_name: daxctl $(vmt_quote "$@"): exit $l_rc" $r \
		"$( [ $r = 0 ] || echo "got $l_got: $(head -n 3 "$(dirname "$VMT_LAST_OUT")/stderr" | tr '\n' ' ')")"
	cp "$VMT_LAST_OUT" /tmp/lc.out 2>/dev/null
}

# lc_or_busy NAME DEV BLOCKS ARGS...: ours must succeed, or fail with
# EBUSY (240) leaving DEV in system-ram mode with all BLOCKS online
lc_or_busy() {
	b_name=$1 b_dev=$2 b_n=$3
	shift 3
	vmt_run any "l-$b_name" ours "$@"
	b_got=$VMT_LAST_RC
	if [ "$b_got" = 0 ]; then
		_lres "$b_name: daxctl $(vmt_quote "$@"): exit 0" 0 ""
	elif [ "$b_got" = 240 ] &&
	     [ "$(dev_field "$b_dev" mode) $(dev_field "$b_dev" online_memblocks)" = "system-ram $b_n" ]; then
		_lres "$b_name: daxctl $(vmt_quote "$@"): refused with EBUSY (kernel-zone memory in use), device restored: system-ram, $b_n blocks online" 0 ""
	else
		_lres "$b_name: daxctl $(vmt_quote "$@"): exit 0, or 240 with the device restored" 1 \
			"got $b_got, now $(dev_field "$b_dev" mode) $(dev_field "$b_dev" online_memblocks) online: $(head -n 3 "$(dirname "$VMT_LAST_OUT")/stderr" | tr '\n' ' ')"
	fi
}

# chk NAME CONDITION...: a state check (a shell command, 0 = holds)
chk() {
	c_name=$1
	shift
	# shellcheck disable=SC2294 # the condition is a shell command line, eval is meant
	if eval "$@" > /dev/null 2>&1; then r=0; else r=1; fi
	_lres "$c_name" $r "$( [ $r = 0 ] || echo "not: $*")"
}

# memory_hotplug.memmap_on_memory (6.8+, kind memmap-on-memory): with the
# device's memmap_on_memory set before kmem binds, each hot-added block
# holds its own memmap (64 bytes a page: 1/64 of it), not in MemTotal
mom_param() { case $(cat /sys/module/memory_hotplug/parameters/memmap_on_memory 2>/dev/null) in Y | force) return 0 ;; esac; return 1; }
mom() { mom_param && [ "$(cat "/sys/bus/dax/devices/$SR/memmap_on_memory" 2>/dev/null)" = 1 ]; }
mt_grew() { # MEM0 BLOCKS BLOCKSIZE (of device $SR)
	if mom; then set -- "$1" "$2" $(($3 - $3 / 64)); fi
	[ $(($(memtotal) - $1)) = $(($2 * $3 / 1024)) ]
}
state() { ours list -RDMi 2>/dev/null; cat /sys/devices/system/memory/memory*/state 2>/dev/null; }
memtotal() { awk '/^MemTotal:/ {print $2}' /proc/meminfo; }
dev_field() { # DEV FIELD
	ours list -d "$1" -i | jq -r ".[0].$2 | tostring"
}
# dry_run NAME ARGS...: ours with --dry-run changes nothing
dry_run() {
	d_name=$1
	shift
	state > /tmp/dry.before
	lc 0 "$d_name" "$@" --dry-run
	state > /tmp/dry.after
	chk "$d_name: --dry-run changed nothing" cmp -s /tmp/dry.before /tmp/dry.after
}

run_lifecycle() {
	: > "$OUT/lifecycle.tsv"
	vmt_note "lifecycle: auto_online_blocks=$(cat /sys/devices/system/memory/auto_online_blocks) block_size=$(cat /sys/devices/system/memory/block_size_bytes)"
	# back to devdax from whatever list.sh left (system-ram, memory
	# online or offline)
	lc 0 reset reconfigure-device -m devdax -f all
	mem0=$(memtotal)

	if [ -n "$DYN" ]; then
		R=$DYN
		lc 0 destroy-all destroy-device -f -r "$R" all
		chk "region $R is empty" "[ \$(ours list -R -r $R | jq '.[0].available_size') = \$(ours list -R -r $R | jq '.[0].size') ]"
		# daxctl monitor and --wait (test/kernel/guest/monitor.sh); leaves
		# it empty
		[ -f monitor.sh ] && . ./monitor.sh && run_monitor "$R"
		dry_run dry-create create-device -r "$R" -s 256M
		lc 0 create256 create-device -r "$R" -s 256M
		D1=$(jq -r '.[0].chardev' /tmp/lc.out)
		chk "create256: $D1 is 256M devdax" "[ \"\$(dev_field $D1 size) \$(dev_field $D1 mode)\" = '268435456 devdax' ]"
		lc 0 create128-4k create-device -r "$R" -s 128M -a 4k
		D2=$(jq -r '.[0].chardev' /tmp/lc.out)
		chk "create128-4k: $D2 has align 4096" "[ \$(dev_field $D2 align) = 4096 ]"
		lc 240 resize-enabled reconfigure-device -s 128M "$D1"
		dry_run dry-disable disable-device "$D1"
		lc 0 disable disable-device "$D1"
		chk "disable: $D1 disabled" "[ \$(dev_field $D1 state) = disabled ]"
		lc 234 resize-unaligned reconfigure-device -s 3M "$D1"
		lc 228 resize-oversize reconfigure-device -s 4G "$D1"
		lc 234 align-unsupported reconfigure-device -a 8k "$D1"
		dry_run dry-shrink reconfigure-device -s 128M "$D1"
		lc 0 shrink reconfigure-device -s 128M "$D1"
		chk "shrink: $D1 is 128M" "[ \$(dev_field $D1 size) = 134217728 ]"
		dry_run dry-enable enable-device "$D1"
		lc 0 enable enable-device "$D1"
		lc 0 enable-again enable-device "$D1"
		# the hole left by the shrink and the space after D2: two ranges
		lc 0 create-holes create-device -r "$R" -s 256M
		D3=$(jq -r '.[0].chardev' /tmp/lc.out)
		chk "create-holes: $D3 has two ranges" "[ \$(ours list -M -d $D3 | jq '.[0].mappings | length') = 2 ]"
		ours list -M -d "$D3" | jq '.[0]' > /tmp/d3.json
		jq -c '[.mappings[] | [.start, .end]]' /tmp/d3.json > /tmp/d3.ranges
		lc 250 destroy-active destroy-device "$D3"
		dry_run dry-destroy destroy-device -f "$D3"
		lc 0 destroy destroy-device -f "$D3"
		dry_run dry-input create-device --input /tmp/d3.json
		lc 0 create-input create-device --input /tmp/d3.json
		D4=$(jq -r '.[0].chardev' /tmp/lc.out)
		chk "create-input: $D4 has the same ranges" "[ \"\$(ours list -M -d $D4 | jq -c '[.[0].mappings[] | [.start, .end]]')\" = \"\$(cat /tmp/d3.ranges)\" ]"
		lc 0 destroy-id0 destroy-device -f "dax$R.0"
		chk "dax$R.0 stays" "[ -e /sys/bus/dax/devices/dax$R.0 ]"
		SR=$D1
	else
		SR=$(ours list -D | jq -r '.[0].chardev // empty')
		[ -n "$SR" ] || return 0
		lc 161 static-resize reconfigure-device -s 64M "$SR"
		lc 161 static-destroy destroy-device -f "$SR"
	fi

	# system-ram, online and offline, on $SR
	blocks=$(ours list -d "$SR" -M | jq '[.[0].mappings[] | .size] | add')
	# memmap_on_memory (6.8+): ours asks for it with --memmap-on-memory
	# (hmem's default is 0); refused, with nothing changed, where the
	# kernel lacks the attribute (6.1) or the boot parameter is off
	mom_attr=/sys/bus/dax/devices/$SR/memmap_on_memory
	mom_opt=
	if [ -f "$mom_attr" ]; then
		chk "memmap_on_memory: $SR reads 0, list says false" "[ \"\$(cat $mom_attr) \$(dev_field $SR memmap_on_memory)\" = '0 false' ]"
	else
		chk "memmap_on_memory: no attribute, no key in list" "[ \$(dev_field $SR memmap_on_memory) = null ]"
	fi
	if mom_param && [ -f "$mom_attr" ]; then
		mom_opt=--memmap-on-memory
	else
		lc 161 sysram-mom-refused reconfigure-device -m system-ram --memmap-on-memory "$SR"
		chk "sysram-mom-refused: still devdax$([ -f "$mom_attr" ] && echo ", memmap_on_memory 0")" "[ \$(dev_field $SR mode) = devdax ] && { [ ! -f $mom_attr ] || [ \$(cat $mom_attr) = 0 ]; }"
	fi
	dry_run dry-sysram reconfigure-device -m system-ram $mom_opt "$SR"
	lc 0 sysram reconfigure-device -m system-ram $mom_opt "$SR"
	n=$(dev_field "$SR" total_memblocks)
	bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
	chk "sysram: all $n blocks online, movable" "[ \"\$(dev_field $SR online_memblocks) \$(dev_field $SR movable)\" = '$n true' ]"
	if [ -n "$mom_opt" ]; then
		chk "sysram $mom_opt: memmap_on_memory reads 1, list says true" "[ \"\$(cat $mom_attr) \$(dev_field $SR memmap_on_memory)\" = '1 true' ]"
		lc 240 sysram-mom-busy reconfigure-device -m system-ram --no-memmap-on-memory "$SR"
		chk "sysram-mom-busy: memmap_on_memory still 1" "[ \$(cat $mom_attr) = 1 ]"
	fi
	chk "sysram: MemTotal grew by $n blocks$(mom && echo ", less their memmap (memmap_on_memory)")" "mt_grew $mem0 $n $bs"
	lc 0 sysram-again reconfigure-device -m system-ram "$SR"
	dry_run dry-offline offline-memory "$SR"
	lc 0 offline offline-memory "$SR"
	chk "offline: MemTotal is back" "[ \$(memtotal) = $mem0 ]"
	lc 0 offline-again offline-memory "$SR"
	lc 0 online online-memory "$SR"
	chk "online: movable" "[ \$(dev_field $SR movable) = true ]"
	lc 240 devdax-online reconfigure-device -m devdax "$SR"
	lc 0 devdax-force reconfigure-device -m devdax -f "$SR"
	chk "devdax-force: devdax, MemTotal back" "[ \"\$(dev_field $SR mode) \$(memtotal)\" = 'devdax $mem0' ]"
	if [ -n "$mom_opt" ]; then
		# back to the memmap off the device: all of each block is RAM
		lc 0 sysram-N reconfigure-device -m system-ram -N --no-memmap-on-memory "$SR"
		chk "sysram-N --no-memmap-on-memory: memmap_on_memory reads 0" "[ \$(cat $mom_attr) = 0 ]"
		lc 0 online-nomom online-memory "$SR"
		chk "online-nomom: MemTotal grew by all of $n blocks" "mt_grew $mem0 $n $bs"
		lc 0 offline-nomom offline-memory "$SR"
	else
		lc 0 sysram-N reconfigure-device -m system-ram -N "$SR"
	fi
	chk "sysram-N: no block online" "[ \$(dev_field $SR online_memblocks) = 0 ]"
	lc 250 disable-sysram disable-device "$SR"
	lc 0 devdax reconfigure-device -m devdax "$SR"
	# persistent configuration: what the systemd unit runs, matched by
	# the namespace uuid on NVDIMM regions, by name elsewhere
	match="device = $SR"
	rpath=
	for _rp in $(ours list -R | jq -r '.[].path'); do
		[ -e "/sys/devices$_rp/$SR" ] && rpath=$_rp
	done
	if [ -n "$rpath" ] && [ -r "/sys/devices$rpath/uuid" ]; then
		match="nvdimm.uuid = $(cat "/sys/devices$rpath/uuid")"
	fi
	mkdir -p /tmp/conf
	DAXCTL_CONFIG_PATH=/tmp/conf
	export DAXCTL_CONFIG_PATH
	printf '[reconfigure-device test]\n%s\nmode = system-ram\nonline = false\n' \
		"$match" > /tmp/conf/test.conf
	vmt_note "config: $match"
	lc 0 config-sysram reconfigure-device --check-config "$SR"
	chk "config-sysram ($match): system-ram, no block online" "[ \"\$(dev_field $SR mode) \$(dev_field $SR online_memblocks)\" = 'system-ram 0' ]"
	printf '[reconfigure-device test]\n%s\nmode = devdax\n' "$match" > /tmp/conf/test.conf
	lc 0 config-devdax reconfigure-device -C "$SR"
	chk "config-devdax: devdax" "[ \$(dev_field $SR mode) = devdax ]"
	printf '[reconfigure-device test\n%s\nmode = system-ram\n' "$match" > /tmp/conf/test.conf
	# a broken configuration fails the run (the boot unit fails), changing nothing
	lc 234 config-broken reconfigure-device -C "$SR"
	chk "config-broken: still devdax" "[ \$(dev_field $SR mode) = devdax ]"
	rm -rf /tmp/conf
	unset DAXCTL_CONFIG_PATH
	lc 0 sysram-nomovable reconfigure-device -m system-ram --no-movable "$SR"
	chk "sysram-nomovable: kernel zone" "[ \$(dev_field $SR movable) = false ]"
	lc 0 online-again online-memory --no-movable "$SR"
	# Memory in a kernel zone may hold kernel allocations the kernel
	# cannot move: offlining it is then refused (EBUSY), and the device
	# must be left exactly as it was (all blocks online, system-ram).
	lc_or_busy devdax-end "$SR" "$n" reconfigure-device -m devdax -f "$SR"
	if [ -n "${D2:-}" ]; then
		# online-memory --no-movable, on the other device
		lc 0 d2-sysram-N reconfigure-device -m system-ram -N "$D2"
		n2=$(dev_field "$D2" total_memblocks)
		lc 0 d2-online-nomovable online-memory --no-movable "$D2"
		chk "d2-online-nomovable: $n2 blocks online in a kernel zone" "[ \"\$(dev_field $D2 online_memblocks) \$(dev_field $D2 movable)\" = '$n2 false' ]"
		lc_or_busy d2-devdax-end "$D2" "$n2" reconfigure-device -m devdax -f "$D2"
	fi
	if [ "$(dev_field "$SR" mode)" = devdax ]; then
		chk "end: MemTotal back" "[ \$(memtotal) = $mem0 ]"
		chk "end: no kmem range left in /proc/iomem" "! grep -q 'System RAM (kmem)' /proc/iomem"
		lc 0 disable-end disable-device "$SR"
		lc 0 enable-end enable-device "$SR"
	fi
	: "$blocks"
}

# the kernel's auto-online policy (6.12's default): autoonline.sh instead
if [ "$(cat /sys/devices/system/memory/auto_online_blocks 2>/dev/null)" = offline ] ||
   [ ! -f autoonline.sh ]; then
	run_lifecycle
else
	. ./autoonline.sh
fi
