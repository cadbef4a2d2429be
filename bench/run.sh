#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/run.sh [--quick] [--reference] [--out FILE] [BUILD_DIR]
#
# Measures daxctl on generated sysfs trees (static copies written by the
# emulator's model with `daxsim --dump`, so that the tool, not FUSE, is
# what is measured): wall time (median of several runs), system calls
# (strace -c -f total), and peak RSS. Prints one table and, unless
# --quick, writes it to bench/results.md with the machine it ran on.
#
# --quick: smaller trees, one run each (a smoke test for CI).
# --reference: also measure Debian's daxctl (/usr/bin/daxctl, 76.1) with
#   Debian's libdaxctl on the same trees, for comparison; it reads only the
#   real /sys, so it runs in a private mount namespace with the tree mounted
#   there (root only). Without root or Debian's daxctl the reference rows
#   are skipped, saying why.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
quick=0
reference=0
out=$here/results.md
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1; shift ;;
	--reference) reference=1; shift ;;
	--out) out=$2; shift 2 ;;
	-h|--help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) break ;;
	esac
done
build=$(cd "${1:-$here/../build}" && pwd)
daxctl=$build/daxctl/daxctl
real=$build/daxctl/.libs/daxctl
daxsim=$build/test/daxsim/daxsim
[ -x "$real" ] || real=$daxctl
for p in strace /usr/bin/time; do
	command -v "$p" >/dev/null || { echo "bench: needs $p (apt-get install strace time)" >&2; exit 2; }
done
[ -x "$daxsim" ] || { echo "bench: build $daxsim first (needs libfuse3-dev)" >&2; exit 2; }

runs=5
devs_big=10000
devs_mid=1000
blocks=100000
mem_blocks=8192
if [ $quick = 1 ]; then
	runs=1
	devs_big=2000
	devs_mid=200
	blocks=10000
	mem_blocks=512
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/daxctl-bench.XXXXXX")
# the table is built in a pipeline's subshell: mount points go to a file
cleanup() {
	local m
	if [ -f "$work/mounts" ]; then
		while read -r m; do
			fusermount3 -u "$m" 2>/dev/null || true
		done < "$work/mounts"
	fi
	rm -rf "$work"
}
trap cleanup EXIT
# The real binary, not libtool's wrapper, with the library preloaded by
# path: the dynamic loader then opens it once, as it would an installed
# library, instead of searching a library path (~20 extra syscalls). Only
# our rows get it (LD_PRELOAD=$ours on each command): the reference rows
# run Debian's daxctl with Debian's library.
ours=$build/lib/.libs/libdaxctl.so.1
unset LD_PRELOAD

# libdaxctl_of BINARY: the libdaxctl the dynamic loader gives BINARY in
# this environment (ld.so --list, through ldd), resolved
libdaxctl_of() {
	local p
	p=$(ldd "$1" 2>/dev/null | awk '/libdaxctl\.so/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^\//) { print $i; exit } }')
	[ -n "$p" ] && readlink -f "$p"
}
got=$(LD_PRELOAD=$ours libdaxctl_of "$real")
[ "$got" = "$(readlink -f "$ours")" ] ||
	{ echo "bench: $real would run with ${got:-no libdaxctl}, not $ours" >&2; exit 2; }

# scenario NAME DEVICES UNRELATED_BLOCKS: one region with DEVICES devices of
# 2 MiB (one range each); or, with blocks, one 1 GiB kmem device next to
# that many unrelated online blocks on the same node
scenario() {
	local name=$1 devices=$2 extra=$3
	if [ "$extra" -gt 0 ]; then
		cat > "$work/$name.json" <<-EOF
		{ "memory": { "block_size": "128M", "ram": [
		    { "node": 0, "start": "0", "size": "2G" },
		    { "node": 0, "start": "0x10000000000", "size": "$((extra * 128))M" } ] },
		  "regions": [ { "kind": "hmem", "id": 0, "start": "0x100000000", "size": "1G",
		    "devices": [ { "id": 0, "size": "1G", "driver": "kmem",
		                   "memory": "online_movable" } ] } ] }
		EOF
	elif [ "$devices" -gt 0 ]; then
		cat > "$work/$name.json" <<-EOF
		{ "memory": { "block_size": "128M",
		    "ram": [ { "node": 0, "start": "0", "size": "2G" } ] },
		  "regions": [ { "kind": "hmem", "id": 0, "start": "0x100000000",
		    "size": "$((devices * 2))M",
		    "generate": { "count": $devices, "size": "2M" } } ] }
		EOF
	else
		cat > "$work/$name.json" <<-EOF
		{ "memory": { "block_size": "128M",
		    "ram": [ { "node": 0, "start": "0", "size": "2G" } ] } }
		EOF
	fi
	"$daxsim" --dump "$work/$name.json" "$work/$name"
}

# sim_scenario NAME DEVICE_BLOCKS UNRELATED_BLOCKS DRIVER MEMORY [KERNEL]:
# one hmem device of DEVICE_BLOCKS 128 MiB blocks bound to DRIVER (kmem:
# blocks in state MEMORY), next to UNRELATED_BLOCKS online blocks on the
# same node, on the emulator's KERNEL generation (default 6.1); mounted on
# the emulator, since memory operations need its answers
sim_scenario() {
	local name=$1 nblocks=$2 extra=$3 driver=$4 memory=$5 kernel=${6:-6.1}
	cat > "$work/$name.json" <<-EOF
	{ "kernel": "$kernel",
	  "memory": { "block_size": "128M", "ram": [
	    { "node": 0, "start": "0", "size": "2G" },
	    { "node": 0, "start": "0x40000000000", "size": "$((extra * 128 + 128))M" } ] },
	  "regions": [ { "kind": "hmem", "id": 0, "start": "0x10000000000",
	    "size": "$((nblocks * 128))M",
	    "devices": [ { "id": 0, "size": "$((nblocks * 128))M",
	                   "driver": "$driver", "memory": "$memory" } ] } ] }
	EOF
	mkdir -p "$work/$name"
	"$daxsim" "$work/$name.json" "$work/$name"
	echo "$work/$name" >> "$work/mounts"
}

# measure_toggle TREE UNITS LABEL_A "ARGS_A" LABEL_B "ARGS_B" [PER]: two
# commands that undo each other (online / offline), run alternately; one
# row each, system calls per PER (default /block)
measure_toggle() {
	local tree=$1 units=$2 la=$3 lb=$5 per=${7:-/block}
	local aa ab ta=() tb=() start
	# the argument strings are words separated by blanks
	read -r -a aa <<< "$4"
	read -r -a ab <<< "$6"
	for _ in $(seq "$runs"); do
		start=$EPOCHREALTIME
		LD_PRELOAD=$ours "$real" --sysroot "$tree" "${aa[@]}" >/dev/null 2>&1
		ta+=("$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.4f", b - a}')")
		start=$EPOCHREALTIME
		LD_PRELOAD=$ours "$real" --sysroot "$tree" "${ab[@]}" >/dev/null 2>&1
		tb+=("$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.4f", b - a}')")
	done
	LD_PRELOAD=$ours /usr/bin/time -f "%M" -o "$work/time.a" "$real" --sysroot "$tree" "${aa[@]}" >/dev/null 2>&1
	LD_PRELOAD=$ours /usr/bin/time -f "%M" -o "$work/time.b" "$real" --sysroot "$tree" "${ab[@]}" >/dev/null 2>&1
	strace -c -f -o "$work/strace.a" -E LD_PRELOAD="$ours" "$real" --sysroot "$tree" "${aa[@]}" >/dev/null 2>&1
	strace -c -f -o "$work/strace.b" -E LD_PRELOAD="$ours" "$real" --sysroot "$tree" "${ab[@]}" >/dev/null 2>&1
	row "$la" "$per" "$units" "$(printf '%s\n' "${ta[@]}" | median)" \
		"$(awk '/ total$/ {print $4}' "$work/strace.a")" "$(cat "$work/time.a")"
	row "$lb" "$per" "$units" "$(printf '%s\n' "${tb[@]}" | median)" \
		"$(awk '/ total$/ {print $4}' "$work/strace.b")" "$(cat "$work/time.b")"
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# measure LABEL PER UNITS TREE ARGS...: one table row
measure() {
	local label=$1 per=$2 units=$3 tree=$4
	shift 4
	local times=() t rss sys start
	for _ in $(seq "$runs"); do
		start=$EPOCHREALTIME
		LD_PRELOAD=$ours "$real" --sysroot "$tree" "$@" >/dev/null 2>&1
		times+=("$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.4f", b - a}')")
	done
	t=$(printf '%s\n' "${times[@]}" | median)
	LD_PRELOAD=$ours /usr/bin/time -f "%M" -o "$work/time" "$real" --sysroot "$tree" "$@" \
		>/dev/null 2>&1
	rss=$(cat "$work/time")
	strace -c -f -o "$work/strace" -E LD_PRELOAD="$ours" "$real" \
		--sysroot "$tree" "$@" >/dev/null 2>&1
	# strace -c's last line: "100.00 seconds usecs/call calls [errors] total"
	sys=$(awk '/ total$/ {print $4}' "$work/strace")
	row "$label" "$per" "$units" "$t" "$sys" "$rss"
	[ $reference = 1 ] && measure_reference "$label" "$per" "$units" "$tree" "$@"
	return 0
}

row() {
	local perunit=-
	[ "$3" -gt 0 ] && perunit=$(awk -v s="$5" -v u="$3" 'BEGIN {printf "%.1f", s / u}')
	printf '| %s | %s s | %s | %s %s | %.1f MiB |\n' "$1" "$4" "$5" \
		"$perunit" "$2" "$(awk -v k="$6" 'BEGIN {print k / 1024}')"
}

# The same case with the reference, inside a namespace where /sys is the
# tree and /dev holds the device nodes it insists on.
measure_reference() {
	local label=$1 per=$2 units=$3 tree=$4
	shift 4
	cat > "$work/ref.sh" <<-EOS
	set -e
	mount --bind "$tree/sys" /sys
	mount -t tmpfs tmpfs /dev
	mknod /dev/null c 1 3 && chmod 666 /dev/null
	for l in /sys/dev/char/252:*; do
		[ -e "\$l" ] || continue
		mknod "/dev/\$(basename "\$(readlink "\$l")")" c 252 "\${l##*:}"
	done
	set +e
	unset LD_PRELOAD
	times=
	for i in \$(seq $runs); do
		s=\$EPOCHREALTIME
		/usr/bin/daxctl $* >/dev/null 2>&1
		times="\$times \$(awk -v a="\$s" -v b="\$EPOCHREALTIME" 'BEGIN {printf "%.4f", b - a}')"
	done
	echo \$times > "$work/ref.times"
	/usr/bin/time -f "%M" -o "$work/ref.rss" /usr/bin/daxctl $* >/dev/null 2>&1
	strace -c -f -o "$work/ref.strace" /usr/bin/daxctl $* >/dev/null 2>&1
	EOS
	unshare -m --propagation private bash "$work/ref.sh" || return 0
	row "$label (reference 76.1)" "$per" "$units" \
		"$(tr ' ' '\n' < "$work/ref.times" | grep . | median)" \
		"$(awk '/ total$/ {print $4}' "$work/ref.strace")" \
		"$(cat "$work/ref.rss")"
}

# The reference rows: Debian's binary with Debian's library, or none
debian_lib=/usr/lib/$(uname -m)-linux-gnu/libdaxctl.so.1
skipped=
if [ $reference = 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		skipped="needs root (a mount namespace)"
	elif [ ! -x /usr/bin/daxctl ] || [ ! -e "$debian_lib" ]; then
		skipped="Debian's daxctl is not installed (apt-get install daxctl)"
	else
		got=$(libdaxctl_of /usr/bin/daxctl)
		[ "$got" = "$(readlink -f "$debian_lib")" ] ||
			skipped="/usr/bin/daxctl would run with ${got:-no libdaxctl}, not $debian_lib"
	fi
	if [ -n "$skipped" ]; then
		echo "bench: reference rows skipped: $skipped" >&2
		reference=0
	fi
fi

{
	echo "| case | time (median of $runs) | syscalls | syscalls per unit | peak RSS |"
	echo "| --- | --- | --- | --- | --- |"
	scenario none 0 0
	measure "daxctl version" "" 0 "$work/none" version
	measure "daxctl list, no dax devices" "" 0 "$work/none" list
	scenario one 1 0
	measure "list -RDMu, 1 device" "/device" 1 "$work/one" list -RDMu
	cp "$work/strace" "$work/calls.one"
	scenario mid "$devs_mid" 0
	measure "list -RDMu, $devs_mid devices" "/device" "$devs_mid" "$work/mid" list -RDMu
	cp "$work/strace" "$work/calls.mid"
	scenario big "$devs_big" 0
	measure "list -RDMu, $devs_big devices" "/device" "$devs_big" "$work/big" list -RDMu
	scenario kmem 0 "$blocks"
	measure "list -D, kmem device (8 blocks) + $blocks unrelated blocks" "/own block" 8 "$work/kmem" list -D
	scenario kmem0 0 1
	measure "list -D, kmem device (8 blocks) + 1 unrelated block" "/own block" 8 "$work/kmem0" list -D
	# memory operations, on the emulator (times include its FUSE round
	# trips; the system-call counts are daxctl's own)
	sim_scenario ram "$mem_blocks" 1 kmem offline
	measure_toggle "$work/ram" "$mem_blocks" \
		"online-memory, $mem_blocks blocks" "online-memory dax0.0" \
		"offline-memory, $mem_blocks blocks" "offline-memory dax0.0"
	sim_scenario ramx "$mem_blocks" "$blocks" kmem offline
	measure_toggle "$work/ramx" "$mem_blocks" \
		"online-memory, $mem_blocks blocks + $blocks unrelated" "online-memory dax0.0" \
		"offline-memory, $mem_blocks blocks + $blocks unrelated" "offline-memory dax0.0"
	# one device, block by block (6.1) and with one write to the
	# device-level state (newest: offline unplugs, online from unplugged)
	sim_scenario pb "$mem_blocks" 1 kmem online_movable 6.1
	measure_toggle "$work/pb" 1 \
		"offline-memory, 1 device of $mem_blocks blocks, per block (6.1)" "offline-memory dax0.0" \
		"online-memory, 1 device of $mem_blocks blocks, per block (6.1)" "online-memory dax0.0" \
		/device
	sim_scenario ds "$mem_blocks" 1 kmem online_movable newest
	measure_toggle "$work/ds" 1 \
		"offline-memory, 1 device of $mem_blocks blocks, device-level state (newest)" "offline-memory dax0.0" \
		"online-memory, 1 device of $mem_blocks blocks, device-level state (newest)" "online-memory dax0.0" \
		/device
	sim_scenario dax "$mem_blocks" 1 device_dax ""
	measure_toggle "$work/dax" "$mem_blocks" \
		"reconfigure-device -m system-ram, $mem_blocks blocks" "reconfigure-device -m system-ram dax0.0" \
		"reconfigure-device -m devdax -f, $mem_blocks blocks" "reconfigure-device -m devdax -f dax0.0"
} | tee "$work/table"

# The per-device target (bench/README.md): at most 19 system calls per
# device for list -RDMu with one mapping each: one openat, read and close
# per attribute shown and one readlink. Below a system root (these trees)
# each attribute is opened with openat2 and checked with fstat as well
# (lib/attr.c: the live system's sysfs needs no fstat), which are counted
# too. Counted as the difference between
# the N-device and the 1-device trees over N - 1 devices, so that start-up
# and the region, paid once, are left out; the calls counted are those
# file accesses, while the allocator's heap growth (brk, mmap: about 0.03
# per device) is reported beside them. Reported, never fatal. The floor
# on the live system is 19 (6 attributes x open, read, close, and the
# readlink); below a system root, where each attribute costs one fstat
# more to refuse a FIFO or device node (README.md, "Reliability"), 25.
target=25
# slope SYSCALLS: per-device difference of the calls of those names
# ("total" for all of them) between the 1-device and the N-device runs
slope() {
	awk -v n="$devs_mid" -v want=" $1 " '
		FNR == 1 { f++ }
		index(want, " " $NF " ") { c[f] += $4 }
		END { printf "%.2f", (c[2] - c[1]) / (n - 1) }' \
		"$work/calls.one" "$work/calls.mid"
}
per=$(slope "openat openat2 fstat newfstatat read close readlink")
all=$(slope total)
verdict=$(awk -v p="$per" -v t="$target" 'BEGIN {print (p <= t) ? "PASS" : "FAIL"}')
{
	echo "| target | limit | measured | result |"
	echo "| --- | --- | --- | --- |"
	echo "| list -RDMu, file-access system calls per device (openat, openat2, fstat, read, close, readlink; $devs_mid-device tree minus 1-device tree, over $((devs_mid - 1))) | at most $target (19 on the live system + one fstat per attribute below a system root) | $per (all system calls: $all) | $verdict |"
} | tee "$work/targets"
[ -z "$skipped" ] || echo "Reference rows skipped: $skipped." > "$work/skipped"

if [ $quick = 0 ]; then
	{
		echo "# daxctl benchmark results"
		echo
		echo "Generated by \`bench/run.sh\` on $(date -u +%Y-%m-%d)."
		echo "Machine: $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)),"
		echo "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, kernel $(uname -r), daxctl $(LD_PRELOAD=$ours "$real" --version)."
		echo
		cat "$work/table"
		if [ -f "$work/skipped" ]; then
			echo
			cat "$work/skipped"
		fi
		echo
		cat "$work/targets"
	} > "$out"
	echo "bench: wrote $out"
fi
