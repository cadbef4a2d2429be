#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The bad-input matrix in one table: command lines, --input files,
# configuration files and malformed sysfs attributes, each with the exit
# status and a message that must name the bad value (and the device or
# file where there is one). Command lines, --input and configuration rows
# run on the kernel emulator, and after all of them the system must be
# byte-for-byte as before: nothing was written. Sysfs rows corrupt one
# attribute of a copy of a recorded system and check that the value is
# reported, not acted on; hostile-tree rows replace one by a FIFO, a
# directory or a link out of the system root, and check that daxctl
# neither hangs nor reads or writes through it. The full outputs of most rows are also kept in
# test/cli/expected/: lifecycle-usage.out, lifecycle-create.out and
# config-errors.out; this file is the overview.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

state_of() {
	"$DAXCTL" list -RDMi
	for _b in "$SIM"/sys/devices/system/memory/memory*/state; do
		printf '%s %s\n' "$(basename "$(dirname "$_b")")" "$(cat "$_b")"
	done | sort -V
	cat "$SIM/proc/iomem"
}

# row EXIT MESSAGE ARGS...: daxctl ARGS exits EXIT and says MESSAGE (a
# fixed string) on stderr; a run that hangs is killed after a minute
row() {
	_want_rc=$1 _want_msg=$2
	shift 2
	timeout 60 "$DAXCTL" "$@" > "$_tmp/out" 2> "$_tmp/err" < /dev/null
	_rc=$?
	_desc=$(printf 'daxctl %s: exit %s, "%s"' "$(_quote_args "$@")" \
		"$_want_rc" "$_want_msg" | sed "s|$_tmp|\$TMP|g")
	if [ "$_rc" = "$_want_rc" ] && grep -qF -- "$_want_msg" "$_tmp/err"; then
		tap_result 0 "$_desc"
	else
		tap_result 1 "$_desc"
		echo "# got exit $_rc:"
		sed 's/^/#   /' "$_tmp/err" | head -n 5
	fi
}

# file NAME CONTENT: write CONTENT (printf format) to $_tmp/NAME
file() {
	# shellcheck disable=SC2059 # CONTENT is a printf format, by design
	printf "$2" > "$_tmp/$1"
}

daxsim_start lifecycle
DAXCTL_SYSROOT=$SIM
export DAXCTL_SYSROOT
state_of > "$_tmp/before"

# ---- command lines: sizes and alignments ----
for size in '' -1 1X 99999999999999999999 0x 16E 1kk 0x10000000000000000; do
	row 129 "invalid size '$size'" reconfigure-device -s "$size" dax0.0
done
row 129 "invalid size '-1'" create-device -s -1
row 129 "invalid align '2q'" create-device -a 2q
row 129 "invalid align '0x'" reconfigure-device -a 0x dax0.0

# ---- command lines: device names, regions, modes ----
for dev in dax0 dax0.0.0 ../dax0.0 /dev/../dax0.0 /sys/bus/dax/devices/dax0.0 \
	'dax0.0 ' '' dax-1.0 region0; do
	row 129 "invalid device '$dev'" disable-device "$dev"
done
row 129 "invalid region '-1'" disable-device -r -1 all
row 129 "invalid wait '-1'" create-device --wait=-1
row 129 "invalid wait 'soon'" enable-device --wait soon dax0.0
row 129 "invalid wait '3601'" enable-device --wait 3601 dax0.0
row 129 "invalid timeout '1s'" monitor --timeout 1s
row 129 "unknown parameter \"dax0.0\"" monitor dax0.0
row 129 "invalid region 'region'" online-memory -r region all
row 129 "invalid mode 'ram'" reconfigure-device -m ram dax0.0
row 250 "no device matches 'dax9.9'" offline-memory dax9.9
row 250 "dax0.5" destroy-device dax0.5

# ---- --input files ----
file array.json '[{"chardev":"dax0.2"}]'
row 234 "$_tmp/array.json: expected one device object, not an array" \
	create-device --input "$_tmp/array.json"
file negative.json '{"chardev":"dax0.2","size":134217728,"align":2097152,"mappings":[{"page_offset":-1,"start":1879048192,"end":2013265919}]}'
row 234 "$_tmp/negative.json: mapping 0: \"page_offset\"" \
	create-device -r 0 --input "$_tmp/negative.json"
file overlap.json '{"chardev":"dax0.2","size":268435456,"align":2097152,"mappings":[{"page_offset":0,"start":1879048192,"end":2013265919},{"page_offset":32768,"start":1879048192,"end":2013265919}]}'
row 234 "ranges 0x70000000-0x77ffffff and 0x70000000-0x77ffffff overlap" \
	create-device -r 0 --input "$_tmp/overlap.json"
file truncated.json '{"chardev":"dax0.2","size":'
row 234 "$_tmp/truncated.json" create-device --input "$_tmp/truncated.json"
row 254 "$_tmp/missing.json: No such file or directory" create-device --input "$_tmp/missing.json"
row 234 "$_tmp/array.json: expected one device object, not an array" \
	reconfigure-device --input "$_tmp/array.json" dax0.0
row 234 "ranges 0x70000000-0x77ffffff and 0x70000000-0x77ffffff overlap" \
	reconfigure-device --input "$_tmp/overlap.json" dax0.0
row 254 "$_tmp/missing.json: No such file or directory" \
	reconfigure-device --input "$_tmp/missing.json" dax0.0
# strict JSON: one value, nothing after it, no key twice, list's types
good='"chardev":"dax0.2","size":134217728,"align":2097152'
map='{"page_offset":0,"start":1879048192,"end":2013265919}'
file trailing.json "{$good,\"mappings\":[$map]} x"
row 234 "$_tmp/trailing.json: line 1: more data after the device object" \
	create-device --input "$_tmp/trailing.json"
file two.json "{$good,\"mappings\":[$map]}\n\n{$good,\"mappings\":[$map]}\n"
row 234 "$_tmp/two.json: line 3: more data after the device object" \
	create-device --input "$_tmp/two.json"
file dup.json "{$good,\"mappings\":[$map],\n\"size\":268435456}"
row 234 "$_tmp/dup.json: line 2: duplicate key \"size\"" \
	create-device --input "$_tmp/dup.json"
file dupesc.json "{$good,\"mappings\":[$map],\"\\\\u0073ize\":1}"
row 234 "$_tmp/dupesc.json: line 1: duplicate key \"size\"" \
	create-device --input "$_tmp/dupesc.json"
file dupmap.json "{$good,\"mappings\":[{\"page_offset\":0,\"start\":0,\"start\":1879048192,\"end\":2013265919}]}"
row 234 "$_tmp/dupmap.json: line 1: duplicate key \"start\"" \
	create-device --input "$_tmp/dupmap.json"
file type.json "{$good,\"mode\":1,\"mappings\":[$map]}"
row 234 "$_tmp/type.json: \"mode\" must be a string, not an integer" \
	create-device --input "$_tmp/type.json"
file nest.json "{$good,\"extra\":{\"a\":1},\"mappings\":[$map]}"
row 234 "$_tmp/nest.json: \"extra\" is an object: only \"mappings\" holds more than a value" \
	create-device --input "$_tmp/nest.json"
file mapnest.json "{$good,\"mappings\":[{\"page_offset\":0,\"start\":1879048192,\"end\":2013265919,\"x\":[1]}]}"
row 234 "$_tmp/mapnest.json: mapping 0: \"x\" is an array" \
	create-device --input "$_tmp/mapnest.json"
file mapsize.json "{$good,\"mappings\":[{\"page_offset\":0,\"start\":1879048192,\"end\":2013265919,\"size\":\"128\"}]}"
row 234 "$_tmp/mapsize.json: mapping 0: \"size\" must be an integer, not a string" \
	create-device --input "$_tmp/mapsize.json"
file quotes.json "{'chardev':'dax0.2'}"
row 234 "$_tmp/quotes.json: not valid JSON: line 1" \
	create-device --input "$_tmp/quotes.json"
file null.json 'null\n'
row 234 "$_tmp/null.json: expected one device object, not null" \
	create-device --input "$_tmp/null.json"
row 129 "--input describes one device" \
	reconfigure-device --input "$_tmp/overlap.json" all
row 129 "it cannot be combined with --mode" \
	reconfigure-device --input "$_tmp/overlap.json" -m devdax dax0.0

# ---- configuration files (reconfigure-device -C: the boot unit fails) ----
conf=$_tmp/conf
mkdir -p "$conf"
DAXCTL_CONFIG_PATH=$conf
export DAXCTL_CONFIG_PATH
file conf/50.conf '[reconfigure-device a\ndevice = dax0.0\n'
row 234 "$conf/50.conf:1: missing ']'" reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\ndevice = dax0.0\nmdoe = devdax\n'
row 234 "$conf/50.conf:3: unknown key 'mdoe'" reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\ndevice = dax0.0\nmode = ram\n'
row 234 "$conf/50.conf:3: invalid mode 'ram'" reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\ntarget_node = -2\n'
row 234 "$conf/50.conf:2: invalid target_node '-2'" reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\nmode = system-ram\n'
row 234 "$conf/50.conf:1: [reconfigure-device a] has no match key" \
	reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\ndevice = dax0.0\n\001\000\n'
row 234 "$conf/50.conf:3: binary data" reconfigure-device -C all
rm "$conf/50.conf"
mkdir "$conf/50.conf"
row 234 "$conf/50.conf: a directory, not a regular file" reconfigure-device -C all
rmdir "$conf/50.conf"
mkfifo "$conf/50.conf"
row 234 "$conf/50.conf: a FIFO, not a regular file" reconfigure-device -C all
rm "$conf/50.conf"
ln -s /dev/null "$conf/50.conf"
row 234 "$conf/50.conf: a character device, not a regular file" \
	reconfigure-device -C all
rm "$conf/50.conf"
unset DAXCTL_CONFIG_PATH

state_of > "$_tmp/after"
cmp -s "$_tmp/before" "$_tmp/after"
tap_result $? "none of the rows above wrote anything"
daxsim_stop
unset DAXCTL_SYSROOT

# ---- malformed sysfs attributes, in a copy of a recorded system ----
# sysfs_row ATTR VALUE EXIT MESSAGE ARGS...: ATTR (below the root) holds
# VALUE; the listing or the dry run names the file and the value
sysfs_row() {
	_root=$_tmp/sysfs$_tap_count
	sh "$top_srcdir/test/fixtures/install.sh" hmem-10-created "$_root" >&2 ||
		_bail "cannot install the fixture"
	printf '%s' "$2" > "$_root/$1"
	_a=$1 _v=$2 _r=$3 _m=$4
	shift 4
	row "$_r" "$_m" --sysroot "$_root" "$@"
	case $_v in
	*[!\ -~]*) ;;
	*) grep -qF "$_a: unexpected value '$(printf '%s' "$_v" | tr -d '\n')'" "$_tmp/err"
	   tap_result $? "  and the message names $_a and its value" ;;
	esac
}
dev=sys/devices/platform/hmem.0/dax0.1
sysfs_row $dev/size "garbage" 0 "dax0.1/size" list -D
sysfs_row $dev/size "-1" 0 "dax0.1/size" list -D
sysfs_row $dev/target_node "x" 234 "dax0.1: cannot become system-ram" \
	reconfigure-device -m system-ram --dry-run dax0.1
sysfs_row $dev/mapping0/start "0xzz" 0 "dax0.1: mapping0" list -DM -d dax0.1
sysfs_row sys/devices/platform/hmem.0/dax_region/size "99999999999999999999999" \
	0 "dax_region/size" list -R
sysfs_row sys/devices/system/memory/block_size_bytes "" 234 \
	"dax0.1: failed to enable system-ram mode: " \
	reconfigure-device -m system-ram --dry-run dax0.1

# ---- hostile trees: what is not a regular file, links out of the root ----
# hostile FIXTURE ATTR KIND EXIT MESSAGE ARGS...: in a copy of FIXTURE,
# ATTR (below the root) is replaced by KIND: "fifo", "dir" or "link:TARGET";
# daxctl --sysroot COPY ARGS exits EXIT, without hanging, saying MESSAGE
outside=$_tmp/outside
mkdir -p "$outside"
for _f in unbind state create size; do
	echo untouched > "$outside/$_f"
done
echo 4096 > "$outside/size"
hostile() {
	_root=$_tmp/hostile$_tap_count
	sh "$top_srcdir/test/fixtures/install.sh" "$1" "$_root" >&2 ||
		_bail "cannot install the fixture"
	rm -rf "${_root:?}/$2"
	case $3 in
	fifo) mkfifo "$_root/$2" ;;
	dir) mkdir "$_root/$2" ;;
	link:*) ln -s "${3#link:}" "$_root/$2" ;;
	esac
	_r=$4 _m=$5
	shift 5
	row "$_r" "$_m" --sysroot "$_root" "$@"
}
dev=sys/devices/platform/hmem.0/dax0.1
drv=sys/bus/dax/drivers/device_dax
hostile hmem-10-created $dev/size fifo 0 \
	"dax0.1/size: a FIFO, not a regular file: refused" list -D
hostile hmem-10-created $dev/size dir 0 \
	"dax0.1/size: a directory, not a regular file: refused" list -D
hostile hmem-20-system-ram-online sys/devices/system/memory/block_size_bytes fifo 0 \
	"block_size_bytes: a FIFO, not a regular file: refused" list -D
hostile hmem-10-created $drv/unbind fifo 234 \
	"device_dax/unbind: a FIFO or device, not a regular file: refused" \
	disable-device dax0.1
hostile hmem-10-created $dev/size "link:$outside/size" 0 \
	"dax0.1/size: resolves outside the system root" list -D
! grep -q '"size":4096' "$_tmp/out"
tap_result $? "  and the size out there is not listed"
# six levels up from the driver's directory is the root's parent
hostile hmem-10-created $drv/unbind "link:../../../../../../outside/unbind" \
	238 "device_dax/unbind: resolves outside the system root" \
	disable-device dax0.1
hostile hmem-20-system-ram-online sys/devices/system/memory/memory8/state \
	"link:$outside/state" 238 \
	"memory8/state: resolves outside the system root" offline-memory dax0.1
hostile hmem-10-created sys/devices/platform/hmem.0/dax_region/create \
	"link:$outside/create" 238 \
	"dax_region/create: resolves outside the system root" \
	create-device -r 0 -s 2m
# a link that stays inside the root, as sysfs is full of, is followed
_root=$_tmp/inside
sh "$top_srcdir/test/fixtures/install.sh" hmem-10-created "$_root" >&2 ||
	_bail "cannot install the fixture"
rm "$_root/$dev/size"
ln -s ../dax0.5/size "$_root/$dev/size"
timeout 60 "$DAXCTL" --sysroot "$_root" list -D -d dax0.1 > "$_tmp/out" &&
	grep -q '"size":134217728' "$_tmp/out"
tap_result $? "a link to dax0.5/size inside the root is read through"
for _f in unbind state create; do
	[ "$(cat "$outside/$_f")" = untouched ]
	tap_result $? "nothing was written to $_f outside the system root"
done
