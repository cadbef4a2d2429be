#!/bin/sh
# Adapted from the team's shared VM harness (its guest snapshot recorder);
# list.sh runs it at every state when SNAPSHOTS=1 (KERNEL_SNAPSHOTS=1
# make check-kernel), test/kernel/import-fixtures.sh makes fixtures of them.
# snapshot.sh OUTFILE [NAME]
#
# Dump the guest's real sysfs state relevant to device-dax into a portable
# text file (format "vmtest-sysfs-snapshot v1"; test/fixtures/mk-fixture.sh
# rebuilds a directory tree from it).
#
# Records, one per line, paths relative to /sys (no leading slash):
#   D <mode> <path>                  directory
#   F <mode> <nbytes> <path>         readable file; its content follows as
#                                    lines prefixed "= " (nbytes = exact size)
#   W <mode> <path>                  file without any read bit (write-only)
#   E <mode> <path> :: <message>     readable file whose read failed
#   L <path> -> <target>             symlink and its readlink target
#   R <path> => <realpath>           resolved location of a dax device link
#   I <line>                         /proc/iomem line (dax/hmem/Soft Reserved/
#                                    Persistent/kmem related, indentation kept)
#   M <key> <value>                  misc facts (MemTotal, loaded modules)
#   # ...                            comments / header
# <mode> is the octal permission of the sysfs entry (stat %a).
# Directories named "power" are listed but not descended into.

OUT=${1:?usage: snapshot.sh OUTFILE [NAME]}
NAME=${2:-$(basename "$OUT" .txt)}
TMP=/tmp/snapshot.$$
mkdir -p "$TMP" "$(dirname "$OUT")"
: > "$TMP/seen"

emit() { # absolute path under /sys
	p=$1
	rel=${p#/sys/}
	if [ -L "$p" ]; then
		echo "L $rel -> $(readlink "$p")"
		return
	fi
	mode=$(stat -c %a "$p" 2>/dev/null)
	if [ -d "$p" ]; then
		echo "D $mode $rel"
		return
	fi
	# any read bit?
	if [ $((0$mode & 0444)) = 0 ]; then
		echo "W $mode $rel"
		return
	fi
	if cat "$p" > "$TMP/val" 2> "$TMP/err"; then
		n=$(wc -c < "$TMP/val")
		echo "F $mode $n $rel"
		[ "$n" -gt 0 ] && sed 's/^/= /' "$TMP/val"
	else
		echo "E $mode $rel :: $(sed 's/^cat: //' "$TMP/err" | tr '\n' ' ')"
	fi
}

seen() { # dir -> 0 if already walked
	grep -qxF "$1" "$TMP/seen" && return 0
	echo "$1" >> "$TMP/seen"
	return 1
}

walk() { # dir maxdepth
	d=$1 depth=$2
	seen "$d" && return
	for e in "$d"/* "$d"/.[!.]*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		emit "$e"
		if [ -d "$e" ] && [ ! -L "$e" ] && [ "$depth" -gt 1 ]; then
			case ${e##*/} in power) continue ;; esac
			# walk is recursive; keep our locals safe in a subshell
			(walk "$e" $((depth - 1)))
		fi
	done
}

# files of one directory (depth 1), plus the named subdirs recursively
walk_dir_and() { # dir subdir...
	d=$1
	shift
	seen "$d" && return
	emit "$d"
	for e in "$d"/*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		emit "$e"
	done
	for s in "$@"; do
		[ -d "$d/$s" ] && (walk "$d/$s" 3)
	done
}

{
	echo "# vmtest-sysfs-snapshot v1"
	echo "# name: $NAME"
	echo "# kernel: $(uname -r)"
	echo "# scenario: ${VMTEST_SCENARIO:-unknown}"
	echo "# uptime: $(cut -d' ' -f1 /proc/uptime)"

	# --- the dax bus itself: devices/ (links), drivers/ (bind, unbind, new_id, ...)
	emit /sys/bus/dax
	walk /sys/bus/dax 3

	# --- every dax device, its parent and the parent's dax_region
	for l in /sys/bus/dax/devices/*; do
		[ -e "$l" ] || continue
		real=$(realpath "$l")
		echo "R ${l#/sys/} => ${real#/sys/}"
		parent=$(dirname "$real")
		walk_dir_and "$parent" dax_region
		walk "$real" 3
	done

	# --- hmem platform devices and driver, nd_dax/nd_pfn provider dirs
	for d in /sys/bus/platform/devices/hmem.*; do
		[ -e "$d" ] || continue
		real=$(realpath "$d")
		echo "R ${d#/sys/} => ${real#/sys/}"
		walk_dir_and "$real" dax_region
	done
	if [ -d /sys/bus/platform/drivers/hmem ]; then
		emit /sys/bus/platform/drivers/hmem
		walk /sys/bus/platform/drivers/hmem 1
	fi

	# --- memory blocks
	M=/sys/devices/system/memory
	emit "$M"
	for e in "$M"/*; do
		case ${e##*/} in
		memory[0-9]*) echo "D $(stat -c %a "$e") ${e#/sys/}" ;;
		*) emit "$e" ;;
		esac
	done
	bs=$((0x$(cat $M/block_size_bytes)))
	# ranges owned by dax: /proc/iomem entries of dax devices, hmem, kmem,
	# Soft Reserved and Persistent Memory
	grep -iE 'dax|hmem|soft reserved|persistent|kmem' /proc/iomem |
		sed 's/^ *//; s/ :.*//' | while IFS=- read -r s e; do
		first=$((0x$s / bs))
		last=$((0x$e / bs))
		i=$first
		while [ $i -le $last ]; do
			echo $i
			i=$((i + 1))
		done
	done | sort -n -u > "$TMP/blocks"
	while read -r i; do
		b=$M/memory$i
		[ -d "$b" ] || continue
		walk_dir_and "$b"
	done < "$TMP/blocks"

	# --- NUMA nodes (online/possible/has_* masks, per-node cpulist)
	N=/sys/devices/system/node
	for f in online possible has_cpu has_memory has_normal_memory has_generic_initiator; do
		[ -e "$N/$f" ] && emit "$N/$f"
	done
	for n in "$N"/node[0-9]*; do
		[ -d "$n" ] || continue
		emit "$n"
		[ -e "$n/cpulist" ] && emit "$n/cpulist"
		for t in "$n"/access0 "$n"/memory_side_cache; do
			[ -d "$t" ] && (walk "$t" 2)
		done
	done

	# --- memory tiers (sysfs-kernel-mm-memory-tiers): memory_tierN/nodelist
	T=/sys/devices/virtual/memory_tiering
	if [ -d "$T" ]; then
		emit "$T"
		walk "$T" 2
	fi

	# --- /proc facts
	grep -iE 'dax|hmem|soft reserved|persistent|kmem' /proc/iomem | sed 's/^/I /'
	echo "M MemTotal $(awk '/^MemTotal:/ {print $2 " " $3}' /proc/meminfo)"
	echo "M modules $(awk '{print $1}' /proc/modules | grep -E 'dax|kmem|nvdimm|nd_|nfit|hmem|pmem' | sort | tr '\n' ' ')"
} > "$OUT.tmp" 2> "$TMP/stderr"
mv "$OUT.tmp" "$OUT"
if [ -s "$TMP/stderr" ]; then
	sed 's/^/# snapshot stderr: /' "$TMP/stderr" >> "$OUT"
fi
cat /proc/iomem > "${OUT%.txt}.iomem"
rm -rf "$TMP"
echo "snapshot $NAME: $(grep -c '' "$OUT") lines -> $OUT"
