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
# reported, not acted on. The full outputs of most rows are also kept in
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
# fixed string) on stderr
row() {
	_want_rc=$1 _want_msg=$2
	shift 2
	"$DAXCTL" "$@" > "$_tmp/out" 2> "$_tmp/err" < /dev/null
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
row 129 "--input describes one device" \
	reconfigure-device --input "$_tmp/overlap.json" all
row 129 "it cannot be combined with --mode" \
	reconfigure-device --input "$_tmp/overlap.json" -m devdax dax0.0

# ---- configuration files (reconfigure-device -C: exit 0, for udev) ----
conf=$_tmp/conf
mkdir -p "$conf"
DAXCTL_CONFIG_PATH=$conf
export DAXCTL_CONFIG_PATH
file conf/50.conf '[reconfigure-device a\ndevice = dax0.0\n'
row 0 "$conf/50.conf:1: missing ']'" reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\ndevice = dax0.0\nmdoe = devdax\n'
row 0 "$conf/50.conf:3: unknown key 'mdoe'" reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\ndevice = dax0.0\nmode = ram\n'
row 0 "$conf/50.conf:3: invalid mode 'ram'" reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\ntarget_node = -2\n'
row 0 "$conf/50.conf:2: invalid target_node '-2'" reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\nmode = system-ram\n'
row 0 "$conf/50.conf:1: [reconfigure-device a] has no match key" \
	reconfigure-device -C all
file conf/50.conf '[reconfigure-device a]\ndevice = dax0.0\n\001\000\n'
row 0 "$conf/50.conf:3: binary data" reconfigure-device -C all
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
