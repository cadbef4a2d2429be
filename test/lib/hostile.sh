#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the hostile system root test/lib/hostile.c describes and run it.
. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"

root=$_tmp/root outside=$_tmp/outside
sh "$top_srcdir/test/fixtures/install.sh" hmem-10-created "$root" >&2 ||
	_bail "cannot install the fixture"
mkdir -p "$outside"
for f in unbind create; do
	echo untouched > "$outside/$f"
done
echo 4096 > "$outside/size"
dev=$root/sys/devices/platform/hmem.0
rm "$dev/dax0.1/align" "$dev/dax0.5/size" "$dev/dax_region/create" \
	"$root/sys/bus/dax/drivers/device_dax/unbind"
mkfifo "$dev/dax0.1/align"
ln -s "$outside/size" "$dev/dax0.5/size"
ln -s "$outside/create" "$dev/dax_region/create"
# six levels up from the driver's directory is the root's parent
ln -s ../../../../../../outside/unbind \
	"$root/sys/bus/dax/drivers/device_dax/unbind"
# the program prints its own TAP plan
_tap_planned=1
"$top_builddir/test/lib/hostile" "$root" "$outside"
