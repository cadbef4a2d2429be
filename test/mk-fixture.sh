#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mk-fixture.sh SNAPSHOT.txt DESTDIR
#
# Import a "vmtest-sysfs-snapshot v1" recording as a test fixture:
#
#   DESTDIR/sys/...     the recorded /sys subset: directories, regular files
#                       with their exact bytes, relative symlinks as recorded
#   DESTDIR/sys/dev/char/M:m  links to each dax device, derived from its
#                       "dev" attribute (not recorded, but always in sysfs)
#   DESTDIR/proc/iomem  the full NN-state.iomem next to the snapshot (or, if
#                       that file is missing, the snapshot's own "I" lines)
#   DESTDIR/modes       "<octal mode> <path>" for every file or directory
#                       whose mode is not 0644 (file) / 0755 (directory)
#
# Files are written 0644 and directories 0755 (all git can store); the real
# modes are applied by test/fixture-install.sh when a test installs the
# fixture.  power/ directories are not recorded by the snapshotter and are
# dropped here.  Empty directories are dropped, except the few whose mere
# existence means something (see keep_dir); those get an empty ".keep" file,
# which fixture-install.sh removes again.
#
# Record types (see the recording harness for the full description):
#   # comment      D mode path          F mode nbytes path + "= text" lines
#   W mode path    E mode path :: msg   L path -> target
#   R ... / I ... / M ...  (realpath / iomem / misc: not part of the tree)
set -eu

usage() { echo "usage: $0 SNAPSHOT.txt DESTDIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
snap=$1
dest=$2
[ -f "$snap" ] || { echo "$0: $snap: no such snapshot" >&2; exit 1; }
head -n1 "$snap" | grep -q '^# vmtest-sysfs-snapshot v1' ||
	{ echo "$0: $snap: not a vmtest-sysfs-snapshot v1 file" >&2; exit 1; }

mkdir -p "$dest"
rm -rf "$dest/sys" "$dest/proc" "$dest/modes"
mkdir -p "$dest/sys"

declare -A mode_of=()	# path (relative to DESTDIR) -> 4-digit octal mode
iomem_lines=()

# directories whose existence matters even when empty
keep_dir() {
	case $1 in
	sys/bus/dax/devices | sys/bus/dax/drivers | sys/bus/dax/drivers/* | \
	sys/class/dax | sys/devices/system/memory | sys/devices/system/node/node*)
		return 0 ;;
	esac
	return 1
}

# anything inside or being a "power" directory is dropped
is_power() {
	case /$1/ in
	*/power/*) return 0 ;;
	esac
	return 1
}

note_mode() {	# note_mode PATH OCTAL DEFAULT
	local m
	m=$(printf '%04o' "$((8#$2))")
	if [ "$m" != "$3" ]; then
		mode_of[$1]=$m
	else
		unset "mode_of[$1]"
	fi
}

cur=		# file being filled by "= " lines
cur_len=0

finish_file() {
	[ -n "$cur" ] || return 0
	truncate -s "$cur_len" "$dest/$cur"
	cur=
}

new_file() {	# new_file PATH MODE
	mkdir -p "$dest/$(dirname "$1")"
	rm -f "$dest/$1"
	: > "$dest/$1"
	note_mode "$1" "$2" 0644
}

while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	"= "* | "=")
		if [ -n "$cur" ]; then
			text=${line#=}
			printf '%s\n' "${text# }" >> "$dest/$cur"
		fi
		continue ;;
	esac
	finish_file
	case $line in
	"#"* | "") ;;
	"D "*)
		read -r _ mode path <<< "$line"
		is_power "$path" && continue
		mkdir -p "$dest/sys/$path"
		note_mode "sys/$path" "$mode" 0755
		;;
	"F "*)
		read -r _ mode len path <<< "$line"
		is_power "$path" && continue
		new_file "sys/$path" "$mode"
		cur=sys/$path cur_len=$len
		;;
	"W "*)
		read -r _ mode path <<< "$line"
		is_power "$path" && continue
		new_file "sys/$path" "$mode"
		;;
	"E "*)
		rest=${line#E }
		mode=${rest%% *}
		rest=${rest#* }
		path=${rest%% :: *}
		is_power "$path" && continue
		echo "$0: warning: $path: read failed when recorded (${rest#* :: }); empty file" >&2
		new_file "sys/$path" "$mode"
		;;
	"L "*)
		rest=${line#L }
		path=${rest%% -> *}
		target=${rest#* -> }
		is_power "$path" && continue
		mkdir -p "$dest/sys/$(dirname "$path")"
		rm -f "$dest/sys/$path"
		ln -s "$target" "$dest/sys/$path"
		;;
	"I "*) iomem_lines+=("${line#I }") ;;
	"R "* | "M "*) ;;
	*) echo "$0: warning: unknown record: $line" >&2 ;;
	esac
done < "$snap"
finish_file

# /proc/iomem: prefer the complete dump recorded next to the snapshot
iomem=${snap%.txt}.iomem
if [ -f "$iomem" ]; then
	mkdir -p "$dest/proc"
	cp "$iomem" "$dest/proc/iomem"
elif [ ${#iomem_lines[@]} -gt 0 ]; then
	mkdir -p "$dest/proc"
	printf '%s\n' "${iomem_lines[@]}" > "$dest/proc/iomem"
fi
[ -f "$dest/proc/iomem" ] && note_mode proc/iomem 444 0644

# /sys/dev/char/M:m -> device, for every dax device (bus and class model).
# The recorder did not capture /sys/dev, but the kernel always has these
# links; they are derived from each device's "dev" attribute.
for l in "$dest"/sys/bus/dax/devices/* "$dest"/sys/class/dax/*; do
	if [ ! -L "$l" ] || [ ! -f "$l/dev" ]; then continue; fi
	devdir=$(realpath "$l")
	mm=$(cat "$l/dev")
	mkdir -p "$dest/sys/dev/char"
	ln -sfn "$(realpath -m --relative-to="$dest/sys/dev/char" "$devdir")" \
		"$dest/sys/dev/char/$mm"
done

# empty directories: drop, or mark with .keep when they carry meaning
# (repeat: removing a directory can leave its parent empty)
while :; do
	changed=
	while IFS= read -r d; do
		rel=${d#"$dest"/}
		if keep_dir "$rel"; then
			: > "$d/.keep"
		else
			rmdir "$d"
			unset "mode_of[$rel]"
		fi
		changed=1
	done < <(find "$dest/sys" -type d -empty)
	[ -n "$changed" ] || break
done

# git-storable modes in the tree, real modes in the list
tops=("$dest/sys")
[ -d "$dest/proc" ] && tops+=("$dest/proc")
find "${tops[@]}" -type d -exec chmod 0755 {} +
find "${tops[@]}" -type f -exec chmod 0644 {} +
for p in "${!mode_of[@]}"; do
	printf '%s %s\n' "${mode_of[$p]}" "$p"
done | LC_ALL=C sort -k2,2 > "$dest/modes"
