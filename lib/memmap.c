// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DEV/memmap_on_memory (Linux 6.8 and later): whether kmem, when it binds,
 * carves the struct-page array ("memmap") of the hot-added memory out of
 * the device itself. The kernel reads it only when kmem binds, accepts 1
 * only while the memory_hotplug.memmap_on_memory parameter is on, and
 * refuses a change while kmem holds the device (the kernel generations
 * of test/daxsim/README.md; checked on 6.12 by test/kernel/guest/lifecycle.sh).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libdaxctl-private.h"

#define MEMMAP_ATTR "memmap_on_memory"
#define MEMMAP_PARAM "module/memory_hotplug/parameters/memmap_on_memory"

static int memmap_read(struct daxctl_dev *dev)
{
	struct daxctl_ctx *ctx = dev->region->ctx;
	char path[DAX_PATH_MAX], buf[DAX_ATTR_MAX];
	int rc;

	if (dev->sim_memmap_set)
		return dev->sim_memmap;
	if (dev->class_model || dev->simulated || ctx->no_dev_memmap)
		return -EOPNOTSUPP;
	rc = dax_attr_path(path, sizeof(path), dev->path, MEMMAP_ATTR);
	if (rc)
		return rc;
	rc = dax_read_attr(ctx, path, buf, sizeof(buf));
	if (rc == -ENOENT) {
		/* one kernel: every device has the attribute or none has */
		ctx->no_dev_memmap = true;
		return -EOPNOTSUPP;
	}
	if (rc < 0)
		return rc;
	if (strcmp(buf, "0") == 0 || strcmp(buf, "1") == 0)
		return buf[0] == '1';
	dax_err(ctx, "%s: unexpected value '%s'\n", path, buf);
	return -EINVAL;
}

DAXCTL_EXPORT int daxctl_dev_get_memmap_on_memory(struct daxctl_dev *dev)
{
	if (!dev)
		return -EINVAL;
	return memmap_read(dev);
}

/*
 * The memory_hotplug.memmap_on_memory parameter: 1 on ("Y" or "force"),
 * 0 off ("N"), -EOPNOTSUPP when the kernel has no such parameter (built
 * without CONFIG_MHP_MEMMAP_ON_MEMORY), another -errno when unreadable.
 * @text gets the value as read, for messages.
 */
static int memmap_param(struct daxctl_ctx *ctx, char *text, size_t len)
{
	char path[DAX_PATH_MAX];
	int rc;

	rc = dax_sys_path(ctx, path, sizeof(path), MEMMAP_PARAM);
	if (rc)
		return rc;
	rc = dax_read_attr(ctx, path, text, len);
	if (rc == -ENOENT)
		return -EOPNOTSUPP;
	if (rc < 0)
		return rc;
	return strcmp(text, "Y") == 0 || strcmp(text, "force") == 0;
}

DAXCTL_EXPORT int daxctl_dev_set_memmap_on_memory(struct daxctl_dev *dev,
						  int enable)
{
	struct daxctl_ctx *ctx;
	char driver[DAX_ATTR_MAX], param[DAX_ATTR_MAX], path[DAX_PATH_MAX];
	int cur, rc;

	if (!dev)
		return -EINVAL;
	ctx = dev->region->ctx;
	enable = !!enable;
	cur = memmap_read(dev);
	if (cur == -EOPNOTSUPP) {
		dax_err(ctx, "%s: the kernel has no memmap_on_memory attribute for this device (Linux 6.8 brought it)\n",
			dev->devname);
		return cur;
	}
	if (cur < 0)
		return cur;
	if (enable) {
		rc = memmap_param(ctx, param, sizeof(param));
		if (rc == 0) {
			dax_err(ctx, "%s: memmap_on_memory needs the memory_hotplug.memmap_on_memory kernel parameter, which is off (%s)\n",
				dev->devname, param);
			return -EOPNOTSUPP;
		}
		if (rc == -EOPNOTSUPP) {
			dax_err(ctx, "%s: memmap_on_memory is not possible: the kernel has no memory_hotplug.memmap_on_memory parameter (built without CONFIG_MHP_MEMMAP_ON_MEMORY)\n",
				dev->devname);
			return rc;
		}
		/* unreadable: the kernel's answer to the write will tell */
	}
	if (cur != enable && dax_dev_driver(dev, driver, sizeof(driver)) == 0 &&
	    strcmp(driver, "kmem") == 0) {
		dax_err(ctx, "%s: memmap_on_memory cannot change while kmem holds the device (its memory was added with memmap_on_memory %d)\n",
			dev->devname, cur);
		return -EBUSY;
	}
	rc = dax_attr_path(path, sizeof(path), dev->path, MEMMAP_ATTR);
	if (rc)
		return rc;
	rc = dax_write_attr(ctx, path, enable ? "1" : "0");
	if (rc) {
		dax_err(ctx, "%s: writing %d to memmap_on_memory failed: %s\n",
			dev->devname, enable, strerror(-rc));
		return rc;
	}
	if (ctx->dry_run) {
		dev->sim_memmap_set = true;
		dev->sim_memmap = enable;
	}
	return 0;
}
