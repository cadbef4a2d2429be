# shellcheck shell=sh
# autoonline.sh -- sourced by lifecycle.sh instead of its suite when the
# kernel's auto-online policy is not "offline" (6.12's default,
# CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE=y, kind "auto-online"): records how
# ours and the reference treat system-ram conversions then, and what the
# kernel does (which zone it onlines into, whether it lets the memory go).
# Results in lifecycle.tsv like lifecycle.sh's.

# the zones of DEV's online blocks, e.g. "Normal Normal"
ao_zones() {
	ours list -d "$1" -M | jq -r '.[0].mappings[] | "\(.start) \(.end)"' |
	while read -r s e; do
		bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
		b=$((s / bs))
		while [ $((b * bs)) -le "$e" ]; do
			z=$(cat "/sys/devices/system/memory/memory$b/valid_zones" 2>/dev/null)
			echo "memory$b:$(cat "/sys/devices/system/memory/memory$b/state" 2>/dev/null):${z:-?}"
			b=$((b + 1))
		done
	done | tr '\n' ' '
}

run_autoonline() {
	: > "$OUT/lifecycle.tsv"
	pol=$(cat /sys/devices/system/memory/auto_online_blocks)
	vmt_note "autoonline: auto_online_blocks=$pol"
	lc 0 reset reconfigure-device -m devdax -f all
	SR=$(ours list -D | jq -r '[.[] | select(.mode == "devdax" and .size > 0)][0].chardev // empty')
	[ -n "$SR" ] || { _lres "autoonline: a devdax device to convert" 1 "none"; return 0; }
	mem0=$(memtotal)
	# ours refuses up front (README "Differences"), -N too: the kernel
	# would online the blocks before daxctl could say otherwise
	lc 240 ao-sysram reconfigure-device -m system-ram "$SR"
	lc 240 ao-sysram-N reconfigure-device -m system-ram -N "$SR"
	chk "ao-sysram: $SR still devdax" "[ \$(dev_field $SR mode) = devdax ]"
	# the reference: the same refusal
	vmt_run any ao-ref-sysram "$REF" reconfigure-device -m system-ram "$SR"
	rrc=$VMT_LAST_RC
	[ "$rrc" != 0 ] && [ "$(dev_field "$SR" mode)" = devdax ] && r=0 || r=1
	# shellcheck disable=SC2086 # $r is 0 or 1
	_lres "ao-ref-sysram: daxctl $("$REF" --version) refuses too (exit $rrc: $(head -n1 "$(dirname "$VMT_LAST_OUT")/stderr"))" $r ""
	# a kernel zone asked for: what the policy does, no refusal; daxctl
	# says what the kernel did
	lc 0 ao-sysram-nomovable reconfigure-device -m system-ram --no-movable "$SR"
	n=$(dev_field "$SR" total_memblocks)
	chk "ao-sysram-nomovable: all $n blocks online, not movable" \
		"[ \$(dev_field $SR online_memblocks) = $n ] && [ \$(dev_field $SR movable) = false ]"
	chk "ao-sysram-nomovable: says the kernel onlined them" \
		"grep -q 'the kernel onlined $n of $n memory blocks itself' '$(dirname "$VMT_LAST_OUT")/stderr'"
	lc_or_busy ao-devdax-nomovable "$SR" "$n" reconfigure-device -m devdax -f "$SR"
	# with -f: the kernel onlines the blocks itself, in the zone its
	# policy picks; daxctl then moves them to ZONE_MOVABLE as asked (or
	# says the kernel would not let them go)
	lc 0 ao-sysram-f reconfigure-device -m system-ram -f "$SR"
	chk "ao-sysram-f: all $n blocks online" "[ \$(dev_field $SR online_memblocks) = $n ]"
	vmt_note "ao-sysram-f: blocks $(ao_zones "$SR") movable=$(dev_field "$SR" movable)"
	vmt_note "ao-sysram-f: $(tr '\n' ' ' < "$(dirname "$VMT_LAST_OUT")/stderr")"
	chk "ao-sysram-f: moved to ZONE_MOVABLE, or said why not" \
		"[ \$(dev_field $SR movable) = true ] && grep -q 'moved them to ZONE_MOVABLE' '$(dirname "$VMT_LAST_OUT")/stderr' || grep -q 'warning: they stay in a kernel zone' '$(dirname "$VMT_LAST_OUT")/stderr'"
	_lres "ao-sysram-f: now in: $(ao_zones "$SR")(movable $(dev_field "$SR" movable)) [record]" 0 ""
	lc_or_busy ao-devdax "$SR" "$n" reconfigure-device -m devdax -f "$SR"
	# -f -N: the kernel onlines them, daxctl offlines them again
	if [ "$(dev_field "$SR" mode)" = devdax ]; then
		lc 0 ao-sysram-fN reconfigure-device -m system-ram -f -N "$SR"
		chk "ao-sysram-fN: offline again" "[ \$(dev_field $SR online_memblocks) = 0 ]"
		lc 0 ao-devdax-fN reconfigure-device -m devdax "$SR"
	fi
	if [ "$(dev_field "$SR" mode)" = devdax ]; then
		chk "ao-devdax: MemTotal back" "[ \$(memtotal) = $mem0 ]"
		# the reference with -f, for the record
		vmt_run any ao-ref-sysram-f "$REF" reconfigure-device -m system-ram -f "$SR"
		_lres "ao-ref-sysram-f: reference with -f: exit $VMT_LAST_RC, $(dev_field "$SR" mode), $(dev_field "$SR" online_memblocks)/$n online, movable $(dev_field "$SR" movable) [record]" 0 ""
		lc_or_busy ao-devdax-ref "$SR" "$n" reconfigure-device -m devdax -f "$SR"
	fi
}

run_autoonline
