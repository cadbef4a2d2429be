// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Regions: found as the parents of the devices listed under the dax bus and
 * the legacy dax class, or added by an embedder (libndctl, libcxl) with
 * daxctl_new_region(). Identified by path: several NVDIMM dax regions can
 * share one id.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "libdaxctl-private.h"
#include "util/strings.h"

static int region_cmp(const struct daxctl_region *a,
		      const struct daxctl_region *b)
{
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return natural_cmp(a->path, b->path);
}

static struct daxctl_region *region_find(struct daxctl_ctx *ctx,
					 const char *path)
{
	struct list_node *pos;

	list_for_each(&ctx->regions, pos) {
		struct daxctl_region *r =
			container_of(pos, struct daxctl_region, node);

		if (strcmp(r->path, path) == 0)
			return r;
	}
	return NULL;
}

static void region_read_attrs(struct daxctl_region *region)
{
	struct daxctl_ctx *ctx = region->ctx;
	char dir[DAX_PATH_MAX];
	unsigned long long v;
	int rc;

	region->size = ULLONG_MAX;
	region->align = ULONG_MAX;
	if (dax_attr_path(dir, sizeof(dir), region->path, "dax_region"))
		return;
	if (dax_read_u64(ctx, dir, "size", 0, &v) == 0)
		region->size = v;
	rc = dax_read_u64(ctx, dir, "align", 0, &v);
	if (rc == 0 && v <= ULONG_MAX)
		region->align = (unsigned long)v;
	else if (rc == -EACCES || rc == -EPERM)
		region->hidden |= DAX_HIDDEN_REGION_ALIGN;
}

/* Takes ownership of @path (root-prefixed). */
static struct daxctl_region *region_add(struct daxctl_ctx *ctx, int id,
					char *path)
{
	struct daxctl_region *region;
	struct list_node *pos;

	region = calloc(1, sizeof(*region));
	if (!region) {
		free(path);
		return NULL;
	}
	region->ctx = ctx;
	region->refcount = 1;
	region->id = id;
	region->path = path;
	region->devname = strrchr(path, '/') + 1;
	region->name_id = -1;
	list_init(&region->devices);
	region_read_attrs(region);

	list_for_each(&ctx->regions, pos)
		if (region_cmp(region,
			       container_of(pos, struct daxctl_region, node)) < 0)
			break;
	list_insert_before(pos, &region->node);
	dax_dbg(ctx, "region%d: %s\n", id, path);
	return region;
}

static int region_read_id(struct daxctl_ctx *ctx, const char *rp, int fallback)
{
	char dir[DAX_PATH_MAX];
	unsigned long long v;

	if (dax_attr_path(dir, sizeof(dir), rp, "dax_region") == 0 &&
	    dax_read_u64(ctx, dir, "id", 10, &v) == 0 && v <= INT_MAX)
		return (int)v;
	return fallback;
}

/*
 * The region parent of a device: its parent directory on the bus; in the
 * class model the device sits in a "dax" glue directory below the parent.
 */
static void device_path_to_region_path(char *devpath, bool class_model)
{
	char *slash = strrchr(devpath, '/');

	*slash = '\0';
	if (!class_model)
		return;
	slash = strrchr(devpath, '/');
	if (slash && strcmp(slash + 1, "dax") == 0)
		*slash = '\0';
}

/*
 * The region of bus entry @name (daxX.Y, X = @region_id) when it is
 * known without resolving the link: a region already found through an
 * entry daxX.*, whose directory (listed once, on the first such entry)
 * has @name. One readlink per region, not per device.
 */
static struct daxctl_region *region_by_listing(struct daxctl_ctx *ctx,
					       const char *name,
					       int region_id, int id)
{
	struct list_node *pos;

	list_for_each(&ctx->regions, pos) {
		struct daxctl_region *r =
			container_of(pos, struct daxctl_region, node);

		if (r->name_id != region_id)
			continue;
		if (!r->list_tried)
			dax_region_list(r);
		if (dax_region_listed(r, name, id))
			return r;
	}
	return NULL;
}

/* Enumeration's reference on a region, taken once. */
static void region_hold(struct daxctl_region *region)
{
	if (!region->scan_owned) {
		region->refcount++;
		region->scan_owned = true;
	}
}

static void scan_listing(struct daxctl_ctx *ctx, const char *rel,
			 bool class_model)
{
	char dir[DAX_PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (dax_sys_path(ctx, dir, sizeof(dir), "%s", rel))
		return;
	d = opendir(dir);
	if (!d) {
		dax_dbg(ctx, "%s: %s\n", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		struct daxctl_region *region;
		int region_id, id;
		char *path;

		if (!parse_dax_devname(de->d_name, &region_id, &id))
			continue;
		if (!class_model) {
			region = region_by_listing(ctx, de->d_name, region_id,
						   id);
			if (region) {
				region_hold(region);
				continue;
			}
		}
		path = dax_resolve_link(ctx, dir, de->d_name);
		if (!path) {
			dax_dbg(ctx, "%s/%s: cannot resolve: %s\n", dir,
				de->d_name, strerror(errno));
			continue;
		}
		device_path_to_region_path(path, class_model);
		region = region_find(ctx, path);
		if (region) {
			free(path);
			region_hold(region);
		} else {
			int rid = region_read_id(ctx, path, region_id);

			region = region_add(ctx, rid, path);
			if (!region)
				continue;
			region->scan_owned = true;
		}
		if (!class_model && region->name_id < 0)
			region->name_id = region_id;
	}
	closedir(d);
}

void dax_regions_scan(struct daxctl_ctx *ctx)
{
	struct list_node *pos;

	ctx->regions_scanned = true;
	scan_listing(ctx, "bus/dax/devices", false);
	list_for_each(&ctx->regions, pos) {
		struct daxctl_region *r =
			container_of(pos, struct daxctl_region, node);

		dax_region_forget_listing(r);
		r->name_id = -1;
	}
	scan_listing(ctx, "class/dax", true);
}

void dax_region_free(struct daxctl_region *region)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(&region->devices, pos, tmp)
		dax_dev_free(container_of(pos, struct daxctl_dev, node));
	list_del(&region->node);
	dax_region_forget_listing(region);
	free(region->path);
	free(region);
}

DAXCTL_EXPORT struct daxctl_region *daxctl_new_region(struct daxctl_ctx *ctx,
		int id, uuid_t uuid, const char *path)
{
	struct daxctl_region *region;
	char *full;

	if (!ctx || !path || path[0] != '/')
		return NULL;
	if (asprintf(&full, "%s%s", ctx->root, path) < 0)
		return NULL;
	/* the same parent given with a trailing slash is the same region */
	while (strlen(full) > 1 && full[strlen(full) - 1] == '/')
		full[strlen(full) - 1] = '\0';
	region = region_find(ctx, full);
	if (region) {
		static const uuid_t zero;

		free(full);
		region->refcount++;
		/* enumeration knows no uuid: take the embedder's */
		if (uuid && memcmp(region->uuid, zero, sizeof(uuid_t)) == 0)
			memcpy(region->uuid, uuid, sizeof(uuid_t));
		return region;
	}
	region = region_add(ctx, id, full);
	if (region && uuid)
		memcpy(region->uuid, uuid, sizeof(uuid_t));
	return region;
}

DAXCTL_EXPORT void daxctl_region_ref(struct daxctl_region *region)
{
	if (region)
		region->refcount++;
}

DAXCTL_EXPORT void daxctl_region_unref(struct daxctl_region *region)
{
	if (!region || --region->refcount > 0)
		return;
	dax_dbg(region->ctx, "region%d released\n", region->id);
	dax_region_free(region);
}

DAXCTL_EXPORT struct daxctl_region *daxctl_region_get_first(
		struct daxctl_ctx *ctx)
{
	if (!ctx)
		return NULL;
	if (!ctx->regions_scanned)
		dax_regions_scan(ctx);
	return list_first_entry_or_null(&ctx->regions, struct daxctl_region,
					node);
}

DAXCTL_EXPORT struct daxctl_region *daxctl_region_get_next(
		struct daxctl_region *region)
{
	if (!region)
		return NULL;
	return list_next_entry_or_null(&region->ctx->regions, &region->node,
				       struct daxctl_region, node);
}

/*
 * An NVDIMM region's parent is the nd_dax device of a devdax namespace:
 * its uuid attribute is the namespace's identity (what ndctl shows and
 * what libndctl passes to daxctl_new_region()). Regions of other kinds
 * have none and keep the null uuid. Read once, on first use: listing
 * never needs it.
 */
static void region_read_uuid(struct daxctl_region *region)
{
	static const uuid_t zero;
	char path[DAX_PATH_MAX], buf[DAX_ATTR_MAX];

	region->uuid_read = true;
	if (memcmp(region->uuid, zero, sizeof(uuid_t)) != 0)
		return;
	if (dax_attr_path(path, sizeof(path), region->path, "uuid") < 0 ||
	    dax_read_attr(region->ctx, path, buf, sizeof(buf)) < 0)
		return;
	if (uuid_parse(buf, region->uuid) < 0) {
		dax_dbg(region->ctx, "region%d: ignoring uuid '%s'\n",
			region->id, buf);
		memset(region->uuid, 0, sizeof(uuid_t));
	}
}

DAXCTL_EXPORT void daxctl_region_get_uuid(struct daxctl_region *region,
					  uuid_t uu)
{
	if (!region || !uu)
		return;
	if (!region->uuid_read)
		region_read_uuid(region);
	memcpy(uu, region->uuid, sizeof(uuid_t));
}

DAXCTL_EXPORT int daxctl_region_get_id(struct daxctl_region *region)
{
	return region ? region->id : -1;
}

DAXCTL_EXPORT struct daxctl_ctx *daxctl_region_get_ctx(
		struct daxctl_region *region)
{
	return region ? region->ctx : NULL;
}

DAXCTL_EXPORT unsigned long long daxctl_region_get_available_size(
		struct daxctl_region *region)
{
	char dir[DAX_PATH_MAX];
	unsigned long long v;

	if (!region ||
	    dax_attr_path(dir, sizeof(dir), region->path, "dax_region") ||
	    dax_read_u64(region->ctx, dir, "available_size", 0, &v))
		return 0;
	return v;
}

DAXCTL_EXPORT unsigned long long daxctl_region_get_size(
		struct daxctl_region *region)
{
	return region ? region->size : ULLONG_MAX;
}

DAXCTL_EXPORT unsigned long daxctl_region_get_align(
		struct daxctl_region *region)
{
	if (!region)
		return ULONG_MAX;
	if (region->hidden & DAX_HIDDEN_REGION_ALIGN)
		errno = EACCES;
	return region->align;
}

DAXCTL_EXPORT const char *daxctl_region_get_devname(
		struct daxctl_region *region)
{
	return region ? region->devname : NULL;
}

DAXCTL_EXPORT const char *daxctl_region_get_path(struct daxctl_region *region)
{
	return region ? region->path : NULL;
}

DAXCTL_EXPORT struct daxctl_dev *daxctl_region_get_dev_seed(
		struct daxctl_region *region)
{
	char path[DAX_PATH_MAX], name[DAX_ATTR_MAX];
	struct daxctl_dev *dev;

	if (region && region->sim_seed_set)
		return region->sim_seed;
	if (!region ||
	    dax_attr_path(path, sizeof(path), region->path, "dax_region/seed") ||
	    dax_read_attr(region->ctx, path, name, sizeof(name)) <= 0)
		return NULL;
	daxctl_dev_foreach(region, dev)
		if (strcmp(dev->devname, name) == 0)
			return dev;
	return NULL;
}

DAXCTL_EXPORT int daxctl_region_is_dynamic(struct daxctl_region *region)
{
	char path[DAX_PATH_MAX];

	if (!region ||
	    dax_attr_path(path, sizeof(path), region->path, "dax_region/create"))
		return 0;
	return access(path, F_OK) == 0;
}
