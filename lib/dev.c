// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Devices of a region: the daxX.Y directories below the region parent (bus
 * model) or below its "dax" glue directory (legacy class model).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libdaxctl-private.h"
#include "util/strings.h"

/* "dev" holds major:minor; read on first use, as listings never need it. */
static int dev_read_devt(struct daxctl_dev *dev)
{
	char path[DAX_PATH_MAX], buf[DAX_ATTR_MAX];
	unsigned int major, minor;
	char extra;
	int rc;

	if (dev->devt_read)
		return dev->major < 0 ? -EINVAL : 0;
	dev->devt_read = true;
	dev->major = dev->minor = -1;

	rc = dax_attr_path(path, sizeof(path), dev->path, "dev");
	if (rc)
		return rc;
	rc = dax_read_attr(dev->region->ctx, path, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	if (sscanf(buf, "%u:%u%c", &major, &minor, &extra) != 2 ||
	    major > INT_MAX || minor > INT_MAX) {
		dax_err(dev->region->ctx, "%s: unexpected value '%s'\n", path,
			buf);
		return -EINVAL;
	}
	dev->major = (int)major;
	dev->minor = (int)minor;
	return 0;
}

/* Re-read the attributes that change when the device is reconfigured. */
int dax_dev_refresh(struct daxctl_dev *dev)
{
	struct daxctl_ctx *ctx = dev->region->ctx;
	char path[DAX_PATH_MAX], buf[DAX_ATTR_MAX];
	unsigned long long v;
	int rc, node;

	rc = dax_read_u64(ctx, dev->path, "size", 0, &v);
	if (rc)
		return rc;
	dev->size = v;

	dev->align = 0;
	if (dax_read_u64(ctx, dev->path, "align", 0, &v) == 0 &&
	    v <= ULONG_MAX)
		dev->align = (unsigned long)v;

	/* the kernel hides target_node when the platform gave none */
	dev->target_node = -1;
	if (dax_attr_path(path, sizeof(path), dev->path, "target_node") == 0 &&
	    dax_read_attr(ctx, path, buf, sizeof(buf)) >= 0) {
		if (parse_int(buf, &node) == 0)
			dev->target_node = node;
		else
			dax_err(ctx, "%s: unexpected value '%s'\n", path, buf);
	}

	dev->resource_read = false;
	dev->hidden &= ~DAX_HIDDEN_RESOURCE;
	dax_dev_free_mappings(dev);
	if (dev->memory) {
		dax_memory_free(dev->memory);
		dev->memory = NULL;
	}
	return 0;
}

/* Create a device object; NULL when @name is not a dax device. */
static struct daxctl_dev *dev_new(struct daxctl_region *region,
				  const char *dir, const char *name, int id,
				  bool class_model)
{
	struct daxctl_ctx *ctx = region->ctx;
	struct daxctl_dev *dev;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	dev->region = region;
	dev->id = id;
	dev->class_model = class_model;
	list_init(&dev->mappings);
	list_init(&dev->node);
	if (strlen(name) >= sizeof(dev->devname))
		goto fail;
	memcpy(dev->devname, name, strlen(name) + 1);
	if (asprintf(&dev->path, "%s/%s", dir, name) < 0) {
		dev->path = NULL;
		goto fail;
	}
	/* every dax device has a size; without one this is not a device */
	if (dax_dev_refresh(dev) < 0) {
		dax_dbg(ctx, "%s: not a dax device, skipped\n", dev->path);
		goto fail;
	}
	dax_dbg(ctx, "%s: %s\n", name, dev->path);
	return dev;
fail:
	free(dev->path);
	free(dev);
	return NULL;
}

static int found_cmp(const void *a, const void *b)
{
	const struct dax_found *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Append the daxX.Y entries of @dir to @v. Returns 0, 1 when @dir cannot
 * be opened (nothing to add), or -ENOMEM.
 */
static int scan_dir(const char *dir, bool class_model, struct dax_found **v,
		    size_t *n, size_t *alloc)
{
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return 1;
	while ((de = readdir(d))) {
		int region_id, id;

		if (!parse_dax_devname(de->d_name, &region_id, &id) ||
		    strlen(de->d_name) >= sizeof((*v)->name))
			continue;
		if (*n == *alloc) {
			size_t a = *alloc ? *alloc * 2 : 64;
			struct dax_found *nv = realloc(*v, a * sizeof(*nv));

			if (!nv) {
				closedir(d);
				return -ENOMEM;
			}
			*v = nv;
			*alloc = a;
		}
		(*v)[*n].id = id;
		(*v)[*n].class_model = class_model;
		strcpy((*v)[*n].name, de->d_name);
		(*n)++;
	}
	closedir(d);
	return 0;
}

/*
 * List the region's directory during enumeration (region.c), so that its
 * other daxX.Y bus entries are recognised without a readlink each: a
 * bus's device names are unique and a bus-model device is a child of its
 * region parent, so bus/dax/devices/NAME is the link to the region's
 * NAME. The listing (sorted by id) lives until the end of enumeration;
 * device scans list the directory afresh. Returns 0 or -errno.
 */
int dax_region_list(struct daxctl_region *region)
{
	size_t n = 0, alloc = 0;
	struct dax_found *v = NULL;
	int rc;

	region->list_tried = true;
	rc = scan_dir(region->path, false, &v, &n, &alloc);
	if (rc) {
		free(v);
		return rc < 0 ? rc : -ENOENT;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), found_cmp);
	region->listing = v;
	region->nr_listing = n;
	region->listed = true;
	return 0;
}

/* Drop the listing made by dax_region_list(). */
void dax_region_forget_listing(struct daxctl_region *region)
{
	free(region->listing);
	region->listing = NULL;
	region->nr_listing = 0;
	region->listed = false;
	region->list_tried = false;
}

/* Whether the listing has the bus-model entry @name (id @id). */
bool dax_region_listed(struct daxctl_region *region, const char *name,
		       int id)
{
	struct dax_found key = { .id = id }, *f;
	size_t i, lo;

	if (!region->listed || !region->nr_listing)
		return false;
	f = bsearch(&key, region->listing, region->nr_listing,
		    sizeof(*f), found_cmp);
	if (!f)
		return false;
	/* only a crafted tree has two entries of one id: look at all */
	lo = (size_t)(f - region->listing);
	while (lo && region->listing[lo - 1].id == id)
		lo--;
	for (i = lo; i < region->nr_listing && region->listing[i].id == id;
	     i++)
		if (strcmp(region->listing[i].name, name) == 0)
			return true;
	return false;
}

/*
 * Read the region's device directory (and the class model's "dax" one),
 * sort by id once, and merge into the list, which is in id order and may
 * already hold devices (a rescan after a create): those objects are kept,
 * since callers may hold them. O(n log n) for n devices.
 */
void dax_region_scan_devices(struct daxctl_region *region)
{
	struct list_node *pos = region->devices.next;
	size_t n = 0, alloc = 0, i;
	char classdir[DAX_PATH_MAX];
	struct dax_found *v = NULL;

	region->devices_scanned = true;
	if (dax_attr_path(classdir, sizeof(classdir), region->path, "dax") ||
	    scan_dir(region->path, false, &v, &n, &alloc) < 0 ||
	    scan_dir(classdir, true, &v, &n, &alloc) < 0) {
		free(v);
		return;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), found_cmp);
	for (i = 0; i < n; i++) {
		struct daxctl_dev *dev;

		/* one id, one device (only a crafted tree repeats an id) */
		if (i && v[i].id == v[i - 1].id)
			continue;
		while (pos != &region->devices &&
		       container_of(pos, struct daxctl_dev, node)->id < v[i].id)
			pos = pos->next;
		if (pos != &region->devices &&
		    container_of(pos, struct daxctl_dev, node)->id == v[i].id)
			continue;
		dev = dev_new(region, v[i].class_model ? classdir : region->path,
			      v[i].name, v[i].id, v[i].class_model);
		if (dev)
			list_insert_before(pos, &dev->node);
	}
	free(v);
}

void dax_dev_free(struct daxctl_dev *dev)
{
	dax_dev_free_mappings(dev);
	if (dev->memory)
		dax_memory_free(dev->memory);
	list_del(&dev->node);
	free(dev->path);
	free(dev);
}

/* The bound driver's name, -ENOENT when unbound. Read live. */
int dax_dev_driver(struct daxctl_dev *dev, char *buf, size_t len)
{
	char path[DAX_PATH_MAX];
	int rc;

	if (dev->sim_driver_set) {
		if (!dev->sim_driver[0])
			return -ENOENT;
		if (strlen(dev->sim_driver) >= len)
			return -ENAMETOOLONG;
		strcpy(buf, dev->sim_driver);
		return 0;
	}
	rc = dax_attr_path(path, sizeof(path), dev->path, "driver");
	if (rc)
		return rc;
	return dax_readlink_basename(path, buf, len);
}

DAXCTL_EXPORT struct daxctl_dev *daxctl_dev_get_first(
		struct daxctl_region *region)
{
	if (!region)
		return NULL;
	if (!region->devices_scanned)
		dax_region_scan_devices(region);
	return list_first_entry_or_null(&region->devices, struct daxctl_dev,
					node);
}

DAXCTL_EXPORT struct daxctl_dev *daxctl_dev_get_next(struct daxctl_dev *dev)
{
	if (!dev)
		return NULL;
	return list_next_entry_or_null(&dev->region->devices, &dev->node,
				       struct daxctl_dev, node);
}

DAXCTL_EXPORT struct daxctl_region *daxctl_dev_get_region(
		struct daxctl_dev *dev)
{
	return dev ? dev->region : NULL;
}

DAXCTL_EXPORT struct daxctl_ctx *daxctl_dev_get_ctx(struct daxctl_dev *dev)
{
	return dev ? dev->region->ctx : NULL;
}

DAXCTL_EXPORT int daxctl_dev_get_id(struct daxctl_dev *dev)
{
	return dev ? dev->id : -1;
}

DAXCTL_EXPORT const char *daxctl_dev_get_devname(struct daxctl_dev *dev)
{
	return dev ? dev->devname : NULL;
}

DAXCTL_EXPORT int daxctl_dev_get_major(struct daxctl_dev *dev)
{
	if (!dev)
		return -1;
	dev_read_devt(dev);
	return dev->major;
}

DAXCTL_EXPORT int daxctl_dev_get_minor(struct daxctl_dev *dev)
{
	if (!dev)
		return -1;
	dev_read_devt(dev);
	return dev->minor;
}

DAXCTL_EXPORT unsigned long long daxctl_dev_get_size(struct daxctl_dev *dev)
{
	return dev ? dev->size : 0;
}

DAXCTL_EXPORT unsigned long daxctl_dev_get_align(struct daxctl_dev *dev)
{
	return dev ? dev->align : 0;
}

DAXCTL_EXPORT int daxctl_dev_get_target_node(struct daxctl_dev *dev)
{
	return dev ? dev->target_node : -1;
}

/* Start of the first range named @name in /proc/iomem, 0 if not found. */
static unsigned long long iomem_lookup(struct daxctl_ctx *ctx,
				       const char *name)
{
	char path[DAX_PATH_MAX], line[512];
	unsigned long long start = 0;
	FILE *f;
	int fd;

	if (dax_proc_path(ctx, path, sizeof(path), "iomem"))
		return 0;
	fd = dax_open_file(ctx, path, O_RDONLY);
	if (fd < 0)
		return 0;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;
		int n = 0;

		if (sscanf(line, " %llx-%llx : %n", &s, &e, &n) != 2 || !n)
			continue;
		strip_newline(line + n);
		if (strcmp(line + n, name) == 0) {
			start = s;
			break;
		}
	}
	fclose(f);
	return start;
}

DAXCTL_EXPORT unsigned long long daxctl_dev_get_resource(
		struct daxctl_dev *dev)
{
	struct daxctl_ctx *ctx;
	unsigned long long v;
	int rc;

	if (!dev)
		return 0;
	if (dev->resource_read)
		return dev->resource;
	ctx = dev->region->ctx;
	dev->resource_read = true;
	rc = dax_read_u64(ctx, dev->path, "resource", 0, &v);
	if (rc == 0) {
		dev->resource = v;
		return v;
	}
	if (rc == -EACCES || rc == -EPERM)
		dev->hidden |= DAX_HIDDEN_RESOURCE;
	/* older kernels have no resource attribute; non-root reads of
	 * /proc/iomem show zeroes, which is as good as unknown */
	dev->resource = iomem_lookup(ctx, dev->devname);
	return dev->resource;
}

DAXCTL_EXPORT int daxctl_dev_is_enabled(struct daxctl_dev *dev)
{
	char name[DAX_ATTR_MAX];

	if (!dev)
		return 0;
	if (dev->class_model)
		return 1;
	return dax_dev_driver(dev, name, sizeof(name)) == 0;
}

DAXCTL_EXPORT int daxctl_dev_is_system_ram_capable(struct daxctl_dev *dev)
{
	char name[DAX_ATTR_MAX];

	if (!dev || dev->class_model)
		return 0;
	if (dax_dev_driver(dev, name, sizeof(name)))
		return 0;
	return strcmp(name, "kmem") == 0;
}

DAXCTL_EXPORT const char *daxctl_dev_get_driver(struct daxctl_dev *dev)
{
	if (!dev || dev->class_model)
		return NULL;
	if (dax_dev_driver(dev, dev->driver, sizeof(dev->driver)) != 0)
		return NULL;
	return dev->driver;
}

/*
 * The device a dry-run create would have made: the lowest free id (the
 * kernel's choice), 0-size, unbound. Nothing about it is read from sysfs.
 */
struct daxctl_dev *dax_dev_new_simulated(struct daxctl_region *region)
{
	struct list_node *pos;
	struct daxctl_dev *dev;
	int id = 0, n;

	if (!region->devices_scanned)
		dax_region_scan_devices(region);
	/* the list is sorted by id: stop at the first gap */
	list_for_each(&region->devices, pos) {
		int cur = container_of(pos, struct daxctl_dev, node)->id;

		if (cur > id)
			break;
		if (cur == id)
			id++;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	dev->region = region;
	dev->id = id;
	dev->target_node = -1;
	dev->simulated = true;
	dev->sim_driver_set = true;
	list_init(&dev->mappings);
	dev->mappings_scanned = true;
	n = snprintf(dev->devname, sizeof(dev->devname), "dax%d.%d",
		     region->id, id);
	if (n < 0 || (size_t)n >= sizeof(dev->devname) ||
	    asprintf(&dev->path, "%s/%s", region->path, dev->devname) < 0) {
		free(dev);
		return NULL;
	}
	list_insert_before(pos, &dev->node);
	return dev;
}
