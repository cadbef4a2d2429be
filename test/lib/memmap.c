// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memmap_on_memory on recorded trees: read where the kernel has it (6.12),
 * -EOPNOTSUPP where it does not (6.1), and the refusals the library makes
 * before writing. The writes themselves are tested on the emulator,
 * through daxctl reconfigure-device.
 */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "fixture.h"

static const char *planned;

static void report(struct daxctl_ctx *ctx, const char *path,
		   const char *value)
{
	(void)ctx;
	(void)value;
	planned = path;
}

int main(void)
{
	struct daxctl_ctx *ctx;
	struct daxctl_dev *dev;

	is_int(daxctl_dev_get_memmap_on_memory(NULL), -EINVAL, "get: NULL");
	is_int(daxctl_dev_set_memmap_on_memory(NULL, 1), -EINVAL, "set: NULL");

	ctx = fixture_ctx("hmem-00-boot");
	dev = fixture_dev(ctx, "dax0.0");
	is_int(daxctl_dev_get_memmap_on_memory(dev), -EOPNOTSUPP,
	       "6.1: no attribute, -EOPNOTSUPP");
	is_int(daxctl_dev_set_memmap_on_memory(dev, 1), -EOPNOTSUPP,
	       "6.1: setting 1 is -EOPNOTSUPP");
	is_int(daxctl_dev_set_memmap_on_memory(dev, 0), -EOPNOTSUPP,
	       "6.1: setting 0 is -EOPNOTSUPP too");
	daxctl_unref(ctx);

	/* dax_cxl asks for it for the device born with the region */
	ctx = fixture_ctx("kernel-6.12-cxl-10-created");
	is_int(daxctl_dev_get_memmap_on_memory(fixture_dev(ctx, "dax0.0")), 1,
	       "6.12 CXL: dax0.0 reads 1");
	is_int(daxctl_dev_get_memmap_on_memory(fixture_dev(ctx, "dax0.1")), 0,
	       "6.12 CXL: created dax0.1 reads 0");
	daxctl_unref(ctx);

	/* dax0.0 bound to kmem, with 1; no module parameter recorded */
	ctx = fixture_ctx("kernel-6.12-cxl-05-cxlborn");
	dev = fixture_dev(ctx, "dax0.0");
	daxctl_set_dry_run(ctx, report);
	is_int(daxctl_dev_set_memmap_on_memory(dev, 0), -EBUSY,
	       "6.12: changing it under kmem is -EBUSY");
	is_int(daxctl_dev_set_memmap_on_memory(dev, 1), -EOPNOTSUPP,
	       "6.12: 1 without memory_hotplug.memmap_on_memory is -EOPNOTSUPP");
	ok(planned == NULL, "6.12: no write planned for the refusals");
	daxctl_unref(ctx);

	ctx = fixture_ctx("kernel-6.12-hmem-00-boot");
	dev = fixture_dev(ctx, "dax0.0");
	is_int(daxctl_dev_get_memmap_on_memory(dev), 0, "6.12 hmem: reads 0");
	daxctl_set_dry_run(ctx, report);
	is_int(daxctl_dev_set_memmap_on_memory(dev, 0), 0,
	       "6.12 hmem: 0 planned (dry run)");
	is_str(planned, "/sys/devices/platform/hmem.0/dax0.0/memmap_on_memory",
	       "6.12 hmem: the write planned");
	daxctl_unref(ctx);
	return tap_done();
}
