// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Physical ranges of a device (DEV/mappingN/). The N numbering is allocated
 * lowest-free by the kernel and need not follow the ranges' order inside the
 * device, so ranges are kept sorted by page_offset.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdaxctl-private.h"
#include "util/strings.h"

static bool is_mapping_name(const char *name)
{
	const char *p = name + strlen("mapping");

	if (strncmp(name, "mapping", strlen("mapping")) != 0 || !*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static int mapping_add(struct daxctl_dev *dev, const char *name)
{
	struct daxctl_ctx *ctx = dev->region->ctx;
	struct daxctl_mapping *m;
	char dir[DAX_PATH_MAX];
	struct list_node *pos;
	int rc;

	rc = dax_attr_path(dir, sizeof(dir), dev->path, name);
	if (rc)
		return rc;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->dev = dev;
	rc = dax_read_u64(ctx, dir, "start", 16, &m->start);
	if (!rc)
		rc = dax_read_u64(ctx, dir, "end", 16, &m->end);
	if (!rc)
		rc = dax_read_u64(ctx, dir, "page_offset", 16, &m->pgoff);
	if (!rc && m->end < m->start)
		rc = -EINVAL;
	if (rc) {
		free(m);
		return rc;
	}
	list_for_each(&dev->mappings, pos)
		if (m->pgoff <
		    container_of(pos, struct daxctl_mapping, node)->pgoff)
			break;
	list_insert_before(pos, &m->node);
	return 0;
}

static unsigned long long mappings_size(struct daxctl_dev *dev)
{
	unsigned long long size = 0;
	struct list_node *pos;

	list_for_each(&dev->mappings, pos) {
		struct daxctl_mapping *m =
			container_of(pos, struct daxctl_mapping, node);

		size += m->end - m->start + 1;
	}
	return size;
}

/*
 * The kernel numbers ranges lowest-free and only ever removes the newest,
 * so they are mapping0 .. mappingK-1: probe them in order instead of
 * listing the directory. The device size is the sum of its ranges, none of
 * which is empty, so once the ranges found add up to it there is no
 * further one and nothing more is opened (a 0-size device has none); a
 * missing mappingN before that ends the probe too. Should the ranges found
 * not add up to the device size, list the directory after all.
 */
static int probe_mappings(struct daxctl_dev *dev)
{
	unsigned long long sum = 0;
	char name[32];
	int n, rc;

	for (n = 0; sum != dev->size; n++) {
		snprintf(name, sizeof(name), "mapping%d", n);
		rc = mapping_add(dev, name);
		if (rc == -ENOENT)
			break;
		if (rc)
			return rc;
		sum = mappings_size(dev);
	}
	return sum == dev->size ? 0 : -EAGAIN;
}

/* Returns 0 or -errno (-EACCES when the ranges are root-only). */
int dax_dev_scan_mappings(struct daxctl_dev *dev)
{
	struct daxctl_ctx *ctx = dev->region->ctx;
	struct dirent *de;
	int rc = 0;
	DIR *d;

	if (dev->mappings_scanned)
		return dev->hidden & DAX_HIDDEN_MAPPINGS ? -EACCES : 0;
	dev->mappings_scanned = true;
	if (dev->class_model)
		return 0;
	rc = probe_mappings(dev);
	if (rc == -EACCES || rc == -EPERM) {
		dax_dev_free_mappings(dev);
		dev->mappings_scanned = true;
		dev->hidden |= DAX_HIDDEN_MAPPINGS;
		return -EACCES;
	}
	if (rc == 0)
		return 0;
	dax_dbg(ctx, "%s: ranges not numbered 0..N-1, listing them\n",
		dev->devname);
	dax_dev_free_mappings(dev);
	dev->mappings_scanned = true;
	rc = 0;
	d = opendir(dev->path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!is_mapping_name(de->d_name))
			continue;
		rc = mapping_add(dev, de->d_name);
		if (rc == -EACCES || rc == -EPERM) {
			dax_dev_free_mappings(dev);
			dev->mappings_scanned = true;
			dev->hidden |= DAX_HIDDEN_MAPPINGS;
			rc = -EACCES;
			break;
		}
		if (rc)
			dax_err(ctx, "%s: %s: %s\n", dev->devname, de->d_name,
				strerror(-rc));
	}
	closedir(d);
	return rc;
}

void dax_dev_free_mappings(struct daxctl_dev *dev)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(&dev->mappings, pos, tmp) {
		list_del(pos);
		free(container_of(pos, struct daxctl_mapping, node));
	}
	dev->mappings_scanned = false;
	dev->hidden &= ~DAX_HIDDEN_MAPPINGS;
}

DAXCTL_EXPORT struct daxctl_mapping *daxctl_mapping_get_first(
		struct daxctl_dev *dev)
{
	if (!dev)
		return NULL;
	if (dax_dev_scan_mappings(dev) == -EACCES) {
		errno = EACCES;
		return NULL;
	}
	return list_first_entry_or_null(&dev->mappings, struct daxctl_mapping,
					node);
}

DAXCTL_EXPORT struct daxctl_mapping *daxctl_mapping_get_next(
		struct daxctl_mapping *mapping)
{
	if (!mapping)
		return NULL;
	return list_next_entry_or_null(&mapping->dev->mappings, &mapping->node,
				       struct daxctl_mapping, node);
}

DAXCTL_EXPORT unsigned long long daxctl_mapping_get_start(
		struct daxctl_mapping *mapping)
{
	return mapping ? mapping->start : 0;
}

DAXCTL_EXPORT unsigned long long daxctl_mapping_get_end(
		struct daxctl_mapping *mapping)
{
	return mapping ? mapping->end : 0;
}

DAXCTL_EXPORT unsigned long long daxctl_mapping_get_offset(
		struct daxctl_mapping *mapping)
{
	return mapping ? mapping->pgoff : 0;
}

DAXCTL_EXPORT unsigned long long daxctl_mapping_get_size(
		struct daxctl_mapping *mapping)
{
	return mapping ? mapping->end - mapping->start + 1 : 0;
}
