// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Changes to regions and devices. Every call returns the kernel's own errno
 * and refreshes the objects it changed, so that a following query is true.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libdaxctl-private.h"

/* Write @value to @dir/@attr; a refusal is logged against @who. */
static int write_logged(struct daxctl_ctx *ctx, const char *who,
			const char *dir, const char *attr, const char *value)
{
	char path[DAX_PATH_MAX];
	int rc;

	rc = dax_attr_path(path, sizeof(path), dir, attr);
	if (rc)
		return rc;
	rc = dax_write_attr(ctx, path, value);
	if (rc)
		dax_err(ctx, "%s: writing %s to %s failed: %s\n", who, value,
			attr, strerror(-rc));
	return rc;
}

/*
 * After a real write the device is re-read; after a dry-run one nothing
 * changed, so the caller updates the cached values itself.
 */
static int dev_write_and_refresh(struct daxctl_dev *dev, const char *attr,
				 const char *value)
{
	int rc;

	if (!dev)
		return -EINVAL;
	if (dev->class_model)
		return -EOPNOTSUPP;
	rc = write_logged(dev->region->ctx, dev->devname, dev->path, attr,
			  value);
	if (!dev->region->ctx->dry_run)
		dax_dev_refresh(dev);
	return rc;
}

DAXCTL_EXPORT int daxctl_dev_set_size(struct daxctl_dev *dev,
				      unsigned long long size)
{
	char buf[32];
	int rc;

	snprintf(buf, sizeof(buf), "%llu", size);
	rc = dev_write_and_refresh(dev, "size", buf);
	if (rc == 0 && dev->region->ctx->dry_run) {
		dev->size = size;
		if (size == 0)
			dax_dev_free_mappings(dev);
	}
	return rc;
}

DAXCTL_EXPORT int daxctl_dev_set_align(struct daxctl_dev *dev,
				       unsigned long align)
{
	char buf[32];
	int rc;

	snprintf(buf, sizeof(buf), "%lu", align);
	rc = dev_write_and_refresh(dev, "align", buf);
	if (rc == 0 && dev->region->ctx->dry_run)
		dev->align = align;
	return rc;
}

DAXCTL_EXPORT int daxctl_dev_set_mapping(struct daxctl_dev *dev,
					 unsigned long long start,
					 unsigned long long end)
{
	char buf[64];
	int rc;

	if (!dev || end < start)
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%#llx-%#llx", start, end);
	rc = dev_write_and_refresh(dev, "mapping", buf);
	if (rc == 0 && dev->region->ctx->dry_run)
		dev->size += end - start + 1;
	return rc;
}

static int region_write(struct daxctl_region *region, const char *attr,
			const char *value)
{
	return write_logged(region->ctx, region->devname, region->path, attr,
			    value);
}

DAXCTL_EXPORT int daxctl_region_create_dev(struct daxctl_region *region)
{
	int rc;

	if (!region)
		return -EINVAL;
	rc = region_write(region, "dax_region/create", "1");
	if (rc)
		return rc;
	if (region->ctx->dry_run) {
		struct daxctl_dev *seed = daxctl_region_get_dev_seed(region);
		struct daxctl_dev *dev = dax_dev_new_simulated(region);

		if (!dev)
			return -ENOMEM;
		/* the kernel makes the new device the seed if there is none */
		if (!seed) {
			region->sim_seed_set = true;
			region->sim_seed = dev;
		}
		return 0;
	}
	/* make the new device visible to daxctl_region_get_dev_seed() */
	if (region->devices_scanned)
		dax_region_scan_devices(region);
	return 0;
}

DAXCTL_EXPORT int daxctl_region_destroy_dev(struct daxctl_region *region,
					    struct daxctl_dev *dev)
{
	int rc;

	if (!region || !dev || dev->region != region)
		return -EINVAL;
	rc = region_write(region, "dax_region/delete", dev->devname);
	if (rc)
		return rc;
	/*
	 * The object stays in the list (callers may be iterating over it);
	 * it now describes an empty device.
	 */
	dev->size = 0;
	dax_dev_free_mappings(dev);
	return 0;
}

static int driver_write(struct daxctl_ctx *ctx, const char *driver,
			const char *attr, const char *devname)
{
	char path[DAX_PATH_MAX];
	int rc;

	rc = dax_sys_path(ctx, path, sizeof(path), "bus/dax/drivers/%s/%s",
			  driver, attr);
	if (rc)
		return rc;
	return dax_write_attr(ctx, path, devname);
}

/* The writes dev_enable() makes when the kernel accepts each of them. */
static int dev_enable_dry_run(struct daxctl_dev *dev, const char *driver)
{
	struct daxctl_region *region = dev->region;
	struct daxctl_ctx *ctx = region->ctx;

	if (strcmp(driver, "device_dax") == 0) {
		driver_write(ctx, driver, "bind", dev->devname);
	} else {
		driver_write(ctx, driver, "new_id", dev->devname);
		driver_write(ctx, driver, "bind", dev->devname);
	}
	/* a successful probe of the seed clears it */
	if (daxctl_region_get_dev_seed(region) == dev) {
		region->sim_seed_set = true;
		region->sim_seed = NULL;
	}
	dev->sim_driver_set = true;
	snprintf(dev->sim_driver, sizeof(dev->sim_driver), "%s", driver);
	if (dev->memory) {
		dax_memory_free(dev->memory);
		dev->memory = NULL;
	}
	return 0;
}

static int dev_enable(struct daxctl_dev *dev, const char *driver)
{
	struct daxctl_ctx *ctx;
	char bound[DAX_ATTR_MAX];
	int rc, new_id;

	if (!dev)
		return -EINVAL;
	ctx = dev->region->ctx;
	if (dev->class_model) {
		dax_err(ctx, "%s: device model is dax-class\n", dev->devname);
		return -EOPNOTSUPP;
	}
	if (dax_dev_driver(dev, bound, sizeof(bound)) == 0) {
		if (strcmp(bound, driver) != 0)
			dax_info(ctx, "%s: already bound to %s\n", dev->devname,
				 bound);
		return 0;
	}
	if (strcmp(driver, "kmem") == 0) {
		rc = dax_dev_check_kmem(dev);
		if (rc)
			return rc;
	}
	rc = dax_driver_load(ctx, driver);
	if (rc) {
		dax_err(ctx, "%s: cannot bind %s: the driver is not available\n",
			dev->devname, driver);
		return rc;
	}
	if (ctx->dry_run)
		return dev_enable_dry_run(dev, driver);
	/*
	 * bind first, for every driver: a driver that matches the device
	 * already takes it alone (device_dax everywhere; kmem on kernels
	 * where it matches hmem and CXL devices by type, as the emulator's
	 * 6.12 generation and test/kernel/README.md say). Writing new_id
	 * makes the kernel offer *every* unbound device to the driver, so a
	 * device the user disabled would be taken as well: it is written
	 * only when the bind is refused with ENODEV (kmem on 6.1, which
	 * matches by name), then the bind is made again.
	 */
	rc = driver_write(ctx, driver, "bind", dev->devname);
	if (rc == -ENODEV) {
		new_id = driver_write(ctx, driver, "new_id", dev->devname);
		if (new_id)
			dax_dbg(ctx, "%s: %s new_id: %s\n", dev->devname,
				driver, strerror(-new_id));
		rc = 0;
		if (dax_dev_driver(dev, bound, sizeof(bound)) != 0)
			rc = driver_write(ctx, driver, "bind", dev->devname);
		/* the driver does not match because new_id failed: say why */
		if (rc == -ENODEV && new_id)
			rc = new_id;
	}
	if (rc)
		dax_dbg(ctx, "%s: %s bind: %s\n", dev->devname, driver,
			strerror(-rc));
	dax_dev_refresh(dev);
	if (dax_dev_driver(dev, bound, sizeof(bound)) != 0 ||
	    strcmp(bound, driver) != 0) {
		dax_err(ctx, "%s: failed to bind %s%s%s\n", dev->devname,
			driver, rc ? ": " : "", rc ? strerror(-rc) : "");
		return rc ? rc : -ENXIO;
	}
	return 0;
}

DAXCTL_EXPORT int daxctl_dev_enable_devdax(struct daxctl_dev *dev)
{
	return dev_enable(dev, "device_dax");
}

DAXCTL_EXPORT int daxctl_dev_enable_ram(struct daxctl_dev *dev)
{
	return dev_enable(dev, "kmem");
}

DAXCTL_EXPORT int daxctl_dev_enable_famfs(struct daxctl_dev *dev)
{
	return dev_enable(dev, "fsdev_dax");
}

DAXCTL_EXPORT int daxctl_load_driver(struct daxctl_ctx *ctx,
				     const char *driver)
{
	if (!ctx || !driver || !*driver || strchr(driver, '/'))
		return -EINVAL;
	return dax_driver_load(ctx, driver);
}

DAXCTL_EXPORT int daxctl_dev_disable(struct daxctl_dev *dev)
{
	struct daxctl_ctx *ctx;
	char bound[DAX_ATTR_MAX];
	int rc;

	if (!dev)
		return -EINVAL;
	ctx = dev->region->ctx;
	if (dev->class_model)
		return -EOPNOTSUPP;
	if (dax_dev_driver(dev, bound, sizeof(bound)) != 0)
		return 0;
	/* a dry run offlines nothing: it cannot check this */
	if (strcmp(bound, "kmem") == 0 && !ctx->dry_run) {
		rc = daxctl_dev_has_online_memory(dev);
		if (rc > 0) {
			dax_err(ctx, "%s: %d memory block%s online: offline %s before unbinding kmem\n",
				dev->devname, rc, rc == 1 ? "" : "s",
				rc == 1 ? "it" : "them");
			return -EBUSY;
		}
	}
	/* keep a later re-probe from grabbing the device again */
	driver_write(ctx, bound, "remove_id", dev->devname);
	rc = driver_write(ctx, bound, "unbind", dev->devname);
	if (ctx->dry_run) {
		dev->sim_driver_set = true;
		dev->sim_driver[0] = '\0';
		if (dev->memory) {
			dax_memory_free(dev->memory);
			dev->memory = NULL;
		}
		return 0;
	}
	dax_dev_refresh(dev);
	if (dax_dev_driver(dev, bound, sizeof(bound)) == 0) {
		dax_err(ctx, "%s: still bound to %s%s%s\n", dev->devname,
			bound, rc ? ": " : "", rc ? strerror(-rc) : "");
		return rc ? rc : -EBUSY;
	}
	return 0;
}
