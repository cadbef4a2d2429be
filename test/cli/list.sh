#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# "daxctl list" on recorded and hand-made sysfs trees: object selection,
# filters, idle devices, human formats, ordering, both device models,
# system-ram memory reporting, and rejected filter values.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"

list() {
	_fx=$1
	shift
	run "" --sysroot "$(fixture "$_fx")" list "$@"
}

# a real system: a dynamic hmem region, a kmem device online and a devdax one
list hmem-20-system-ram-online
list hmem-20-system-ram-online -i
list hmem-20-system-ram-online -RDMi
list hmem-20-system-ram-online -RDMiu
list hmem-20-system-ram-online -R
list hmem-20-system-ram-online -M
list hmem-20-system-ram-online -r 0
list hmem-20-system-ram-online -r region0 -D
list hmem-20-system-ram-online -r all -d dax0.5
list hmem-20-system-ram-online -d 0.1
list hmem-20-system-ram-online -R -d dax0.1
list hmem-20-system-ram-online -d all -i -u
list hmem-20-system-ram-online --regions --devices --mappings --idle --human
list hmem-20-system-ram-online --no-idle -Di
# the device node's name, as the device commands take it
list hmem-20-system-ram-online -d /dev/dax0.1
list hmem-20-system-ram-online -R -d /dev/dax0.1 -u
check_output list-hmem

# filters that match nothing: an empty array, a note, exit 0 (ndctl's
# daxctl prints nothing, exit 0)
list hmem-20-system-ram-online -r 7
list hmem-20-system-ram-online -d dax9.9
list hmem-10-created -d dax0.2
list hmem-20-system-ram-online -R -r 1
list no-dax
list no-dax -RDMi
list empty-root -R
list hmem-20-system-ram-online -d /dev/dax9.9
list hmem-20-system-ram-online -r 7 -d /dev/dax0.1 -u
list hmem-20-system-ram-online -d /dev/dax0.0
# filter values that cannot match anything are usage errors
list hmem-20-system-ram-online -r -1
list hmem-20-system-ram-online -r region
list hmem-20-system-ram-online -r 0x1
list hmem-20-system-ram-online -d dax0
list hmem-20-system-ram-online -d dax0.0.0
list hmem-20-system-ram-online -d ../dax0.0
list hmem-20-system-ram-online -d ""
list hmem-20-system-ram-online -d /dev/../dax0.1
list hmem-20-system-ram-online -d /sys/bus/dax/devices/dax0.1
check_output list-filters

# memory blocks: Movable, Normal and partly offline, on a CXL region whose
# memory goes to a memoryless node
list kmem-zones -RDMu
# ranges out of page_offset order, a kmem device with a range starting
# mid-block (it owns only the whole blocks), a seed device
list hmem-multirange -RDMi
list hmem-multirange -DMu
# ranges numbered with a gap (no kernel does this; the library must not
# rely on it): all three are still found
gap=$(fixture_copy hmem-multirange)
mv "$gap/sys/devices/platform/hmem.0/dax0.1/mapping1" \
	"$gap/sys/devices/platform/hmem.0/dax0.1/mapping7"
run "" --sysroot "$gap" list -DM -d 0.1
# disabled, third-party driver, no target_node, idle seed
list misc-states -DM
list misc-states -DMi
# numeric order: dax0.2 before dax0.10, region 0 before region 1
list many-devices
list many-devices -R -r 1 -D
check_output list-devices

# regions identified by path: two NVDIMM dax regions share id 0
list nvdimm-shared-id -RDM
list nvdimm-shared-id -r 0 -D
list nvdimm-shared-id -d 0.1
# the legacy class model, alone and next to the bus
list legacy-class -RDMi
list mixed-models -RDMi
list mixed-models -D -r 1
# static region in system-ram mode, start not block aligned
list nvdimm-55-pmem-system-ram -RDMu
check_output list-models

# memmap_on_memory (Linux 6.8+, recorded on 6.12): a project extension,
# shown where the kernel has the attribute; 1 for the device the CXL
# region is born with, in system-ram mode or not; absent on 6.1 (above)
list kernel-6.12-cxl-05-cxlborn -D
list kernel-6.12-cxl-20-sysram -D -u
list kernel-6.12-nvdimm-55-pmemsysram -D
check_output list-memmap
