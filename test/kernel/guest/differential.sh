#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# differential.sh OUTFILE -- one fixed sequence of lifecycle operations on a
# dynamic (hmem) dax region, recorded step by step so that a run on the
# real kernel (in the VM) and a run on the emulator (daxsim, on the host)
# can be compared.  POSIX sh: it runs unchanged under busybox in the guest
# and under dash/bash on the host.  Needs jq.
#
# Environment (everything that differs between the two places):
#   DIFF_DAXCTL  the command that runs our daxctl, split into words
#                (default "daxctl"); in the guest
#                "env LD_LIBRARY_PATH=/vmtest/extra/lib /vmtest/extra/daxctl"
#   DIFF_ROOT    the system root the script reads /sys and /proc/iomem
#                from: "" on the real machine, the daxsim mount point on the
#                host (daxctl must use the same one: export DAXCTL_SYSROOT)
#   DIFF_REGION  the id of the dynamic region (default 0)
#   DIFF_TMP     a scratch directory (default: a new one under /tmp)
#
# It first brings the region to the state a fresh boot has (device 0
# spanning the whole region, enabled, no other device) with our own
# commands, whatever earlier suites left; then every step appends to
# OUTFILE a record:
#   == STEP                         the step's name (known-gaps key)
#   $ daxctl ARGS | echo V > PATH   what ran (a daxctl command or a raw write)
#   rc N                            exit status (a raw write: 0 or 1)
#   err TEXT                        stderr lines (a raw write: the errno text)
#   out JSON                        stdout; JSON compacted (blanks dropped)
#   region ...                      size, available_size, seed, create, align
#   list JSON                       "daxctl list -RDMi -r R", compacted
#   block N STATE ONLINE [ZONES] NODE  every memory block of the region
#   iomem ...                       the region's /proc/iomem subtree
# Paths below DIFF_ROOT are written as the machine names them, and the
# scratch directory as TMP.
# The first record, "start", also describes the machine: block size,
# auto-online policy, node masks and every memory block, so that a
# scenario that does not mirror the machine shows up there.
# Exit status: 0 when the records were written (the steps' own results are
# for the comparison to judge), 2 on a usage error.

[ $# = 1 ] || { echo "usage: differential.sh OUTFILE" >&2; exit 2; }
OUTFILE=$1
DIFF_DAXCTL=${DIFF_DAXCTL:-daxctl}
DIFF_ROOT=${DIFF_ROOT:-}
R=${DIFF_REGION:-0}
if [ -z "${DIFF_TMP:-}" ]; then
	DIFF_TMP=$(mktemp -d /tmp/differential.XXXXXX) || exit 2
	trap 'rm -rf "$DIFF_TMP"' EXIT
fi
T=$DIFF_TMP
SYS=$DIFF_ROOT/sys
MEM=$SYS/devices/system/memory
: > "$OUTFILE" || exit 2

# shellcheck disable=SC2086 # DIFF_DAXCTL is a command line
dx() { $DIFF_DAXCTL "$@"; }

# text without what differs by place, each line after PREFIX: the scratch
# directory becomes "TMP", and a path below the root is named as the
# machine names it
norm() { # PREFIX
	awk -v p="$1" -v t="$T" -v r="$DIFF_ROOT" '
	function swap(from, to,    i) {
		while (from != "" && (i = index($0, from)) > 0)
			$0 = substr($0, 1, i - 1) to substr($0, i + length(from))
	}
	{ swap(t, "TMP"); swap(r, ""); print p $0 }'
}

# The state is read with shell builtins where it can be: every process
# costs in the guest (no KVM), and the script runs a few hundred times.
val() { # FILE: its first line in $v ("?" when it cannot be read)
	v='?'
	read -r v 2>/dev/null < "$1"
}

region_dir() {
	p=$(dx list -R -r "$R" 2>/dev/null | jq -r '.[0].path // empty')
	echo "$SYS/devices$p/dax_region"
}

# the region's first and last memory block (B0, B1) and its start (RS,
# hex without 0x), once device 0 spans the whole region: its resource
# and the region's size.  (6.1 also names the region in /proc/iomem,
# "hmem.N"; 6.12 does not, nor does a CXL-born region.)
region_blocks() {
	val "$SYS/bus/dax/devices/$d0/resource"
	case $v in 0x*) ;; *) return 1 ;; esac
	rs=$((v))
	val "$rd/size"
	case $v in *[!0-9]* | '') return 1 ;; esac
	B0=$((rs / BS))
	B1=$(((rs + v) / BS - 1))
	RS=$(printf '%x' "$rs")
}

block_line() { # N: "block N STATE ONLINE [ZONES] NODES"
	b=$MEM/memory$1
	if [ ! -d "$b" ]; then
		echo "block $1 absent"
		return
	fi
	l="block $1"
	val "$b/state"
	l="$l $v"
	val "$b/online"
	l="$l $v"
	val "$b/valid_zones"
	l="$l [$v]"
	for n in "$b"/node*; do
		[ -e "$n" ] && l="$l ${n##*/}"
	done
	echo "$l"
}

state() {
	l=region
	for a in size available_size seed create align; do
		val "$rd/$a"
		l="$l $a=$v"
	done
	echo "$l"
	echo "list $(dx list -RDMi -r "$R" 2>&1 | tr -d ' \n')"
	if [ -n "$B0" ]; then
		i=$B0
		while [ "$i" -le "$B1" ]; do
			block_line "$i"
			i=$((i + 1))
		done
	else
		echo "block none: the region's start is not known"
	fi
	# the top-level /proc/iomem entry holding the region, and below it
	awk -v s="$RS" '
		function num(h,    i, n) {
			n = 0
			for (i = 1; i <= length(h); i++)
				n = n * 16 + index("0123456789abcdef",
						   substr(h, i, 1)) - 1
			return n
		}
		/^[0-9a-f]/ {
			split($1, r, "-")
			inside = s != "" && num(r[1]) <= num(s) && num(s) <= num(r[2])
		}
		inside { print "iomem " $0 }' "$DIFF_ROOT/proc/iomem"
}

# the machine the region lives in: mirrored by the emulator's scenario
machine() {
	val "$MEM/block_size_bytes"
	l="machine block_size=$v"
	val "$MEM/auto_online_blocks"
	echo "$l auto_online_blocks=$v"
	for m in online possible has_memory has_normal_memory; do
		val "$SYS/devices/system/node/$m"
		echo "machine node/$m=$v"
	done
	for b in "$MEM"/memory*; do
		[ -d "$b" ] && echo "${b##*/memory}"
	done | sort -n | while read -r i; do
		echo "machine $(block_line "$i")"
	done
	# shellcheck disable=SC2012 # driver names have no blanks
	echo "machine drivers=$(ls "$SYS/bus/dax/drivers" | tr '\n' ' ')"
}

# ---- the steps
record() { # STEP CMDLINE RC
	{
		echo "== $1"
		echo "\$ $2"
		echo "rc $3"
		[ -s "$T/err" ] && norm "err " < "$T/err"
		if [ -s "$T/out" ]; then
			# JSON from our daxctl: its key order is fixed, compact it
			read -r c < "$T/out"
			case $c in
			'['* | '{'*) echo "out $(tr -d ' \n' < "$T/out")" ;;
			*) norm "out " < "$T/out" ;;
			esac
		fi
		state
	} >> "$OUTFILE"
}

# step NAME ARGS...: our daxctl
step() {
	s_name=$1
	shift
	dx "$@" > "$T/out" 2> "$T/err"
	s_rc=$?
	s_cmd="daxctl $*"
	case $s_cmd in
	*"$T"*) s_cmd=$(printf '%s\n' "$s_cmd" | norm "") ;;
	esac
	record "$s_name" "$s_cmd" "$s_rc"
}

# raw NAME VALUE PATH: a write to a sysfs file (PATH below /), as
# "echo VALUE > /PATH"; the record holds the errno text
raw() {
	s_name=$1
	printf '%s\n' "$2" | dd of="$DIFF_ROOT/$3" conv=notrunc \
		> /dev/null 2> "$T/dd.err"
	s_rc=$?
	[ $s_rc = 0 ] || s_rc=1
	grep -v -e 'records in' -e 'records out' -e 'bytes.*copied' "$T/dd.err" |
		sed 's/.*: //' > "$T/err"
	: > "$T/out"
	record "$s_name" "echo $2 > /$3" "$s_rc"
}

# ---- a fresh region: device 0 over all of it, enabled, nothing else
d0=dax$R.0 d1=dax$R.1 d2=dax$R.2 d3=dax$R.3
rd=$(region_dir)
val "$MEM/block_size_bytes"
BS=$((0x$v))
B0="" RS=""
val "$rd/size"
rsize=$v
for c in "reconfigure-device -m devdax -f all" "destroy-device -f -r $R all" \
	 "reconfigure-device -s $rsize -a 2M $d0" "enable-device $d0"; do
	# shellcheck disable=SC2086
	dx $c > /dev/null 2> "$T/setup.err"
	s_rc=$?
	echo "daxctl $c: exit $s_rc" >> "$T/setup.log"
	# why the region could not be reset: for whoever reads the log
	[ $s_rc = 0 ] || cat "$T/setup.err" >&2
done
region_blocks
{
	echo "== start"
	sed 's/^/setup /' "$T/setup.log"
	machine
	state
} >> "$OUTFILE"

RD=${rd#"$DIFF_ROOT"/}
DEV=sys/bus/dax/devices

# device 0: refused while enabled, emptied (never deleted) with -f
step destroy-active destroy-device "$d0"
step disable-0 disable-device "$d0"
raw raw-size-0 268435456 "$DEV/$d0/size"
step destroy-0 destroy-device -f "$d0"
raw raw-delete-0 "$d0" "$RD/delete"
raw raw-delete-none "dax$R.9" "$RD/delete"
raw raw-create-2 2 "$RD/create"

# creating, with and without an alignment, and the refusals of resize
step create-256 create-device -s 256M
step create-128-2m create-device -r "$R" -s 128M -a 2M
raw raw-bind-bound "$d1" sys/bus/dax/drivers/device_dax/bind
raw raw-unbind-unbound "$d0" sys/bus/dax/drivers/device_dax/unbind
step resize-enabled reconfigure-device -s 128M "$d1"
raw raw-size-enabled 134217728 "$DEV/$d1/size"
step disable-1 disable-device "$d1"
step resize-unaligned reconfigure-device -s 3M "$d1"
raw raw-size-unaligned 3145728 "$DEV/$d1/size"
step resize-oversize reconfigure-device -s 4G "$d1"
step align-8k reconfigure-device -a 8k "$d1"
raw raw-align-word 2M "$DEV/$d1/align"
step align-1g reconfigure-device -a 1G "$d1"
step align-4k reconfigure-device -a 4k "$d1"
step shrink reconfigure-device -s 128M "$d1"
# growth extends the last range in place when the free space follows it;
# otherwise it takes the first gap, even one before the device
step grow-in-place reconfigure-device -s 192M "$d1"
step shrink-again reconfigure-device -s 128M "$d1"
step disable-2 disable-device "$d2"
step grow-before reconfigure-device -s 192M "$d2"
step shrink-newest reconfigure-device -s 128M "$d2"
step enable-2 enable-device "$d2"
step enable-1 enable-device "$d1"
step enable-again enable-device "$d1"

# the hole the shrink left and the space after dax.2: two ranges
step create-holes create-device -s 256M
raw raw-create-full 1 "$RD/create"
dx list -M -d "$d3" 2>/dev/null | jq '.[0]' > "$T/d3.json"
step destroy-3 destroy-device -f "$d3"
raw raw-mapping-odd 48000000-480fffff "$DEV/$d0/mapping"
# an idle seed device, then a device from the dump
raw raw-create-seed 1 "$RD/create"
step create-input create-device --input "$T/d3.json"
raw raw-mapping-busy 48000000-481fffff "$DEV/$d0/mapping"

# system-ram: the default (movable), offline/online, back to devdax
step sysram reconfigure-device -m system-ram "$d1"
step sysram-again reconfigure-device -m system-ram "$d1"
raw raw-kmem-unbound "$d2" sys/bus/dax/drivers/kmem/bind
step offline offline-memory "$d1"
step offline-again offline-memory "$d1"
step online online-memory "$d1"
step online-again online-memory "$d1"
step devdax-online reconfigure-device -m devdax "$d1"
step devdax-force reconfigure-device -m devdax -f "$d1"
step sysram-N reconfigure-device -m system-ram -N "$d1"
step disable-sysram disable-device "$d1"
step devdax reconfigure-device -m devdax "$d1"

# system-ram over two ranges; a raw block write refused
step sysram-2ranges reconfigure-device -m system-ram "$d3"
b=$(jq -r '.mappings[1].start' "$T/d3.json")
raw raw-block-online-again online_movable \
	"sys/devices/system/memory/memory$((b / BS))/state"
step devdax-2ranges reconfigure-device -m devdax -f "$d3"
# a range shorter than a block after alignment adds no memory
step disable-3 disable-device "$d3"
step shrink-partial reconfigure-device -s 192M "$d3"
step sysram-partial reconfigure-device -m system-ram "$d3"
step devdax-partial reconfigure-device -m devdax -f "$d3"
# nothing at all after alignment: kmem refuses it (64M inside a block)
raw raw-mapping-small 5c000000-5fffffff "$DEV/$d0/mapping"
raw raw-kmem-new-id "$d0" sys/bus/dax/drivers/kmem/new_id
raw raw-kmem-small "$d0" sys/bus/dax/drivers/kmem/bind
raw raw-kmem-remove-id "$d0" sys/bus/dax/drivers/kmem/remove_id
step disable-3-again disable-device "$d3"
step grow-3 reconfigure-device -s 256M "$d3"
# online memory is never destroyed; it stays, Movable, around dax.1's block
step sysram-destroy reconfigure-device -m system-ram "$d3"
step destroy-sysram destroy-device -f "$d3"

# kernel zones last: offlining them may be refused on a real kernel (pages
# the kernel cannot move); that would show as a difference here
step sysram-nomovable reconfigure-device -m system-ram --no-movable "$d1"
step offline-nomovable offline-memory "$d1"
step online-nomovable online-memory --no-movable "$d1"
step devdax-nomovable reconfigure-device -m devdax -f "$d1"
exit 0
