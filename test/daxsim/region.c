// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dax regions: their parent device in sysfs and the dax_region/ attributes,
 * with the kernel's create/delete/seed rules for dynamic regions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

uint64_t region_available(struct sim_region *region)
{
	uint64_t used = 0;
	int i;

	for (i = 0; i < region->nr_device_slots; i++)
		if (region->devices[i])
			used += device_size(region->devices[i]);
	return region->end - region->start + 1 - used;
}

static struct sim_region *region_of(struct vfs_node *node)
{
	return vfs_data(node);
}

static int show_id(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", region_of(node)->id);
}

static int show_size(struct vfs_node *node, char *buf, size_t len)
{
	struct sim_region *r = region_of(node);

	return snprintf(buf, len, "%llu\n",
			(unsigned long long)(r->end - r->start + 1));
}

static int show_align(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%llu\n",
			(unsigned long long)region_of(node)->align);
}

static int show_available(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%llu\n",
			(unsigned long long)region_available(region_of(node)));
}

static int show_seed(struct vfs_node *node, char *buf, size_t len)
{
	struct sim_region *r = region_of(node);

	return snprintf(buf, len, "%s\n", r->seed ? r->seed->name : "");
}

static int show_create(struct vfs_node *node, char *buf, size_t len)
{
	struct sim_region *r = region_of(node);

	return snprintf(buf, len, "%s\n", r->youngest ? r->youngest->name : "");
}

static int lowest_free_id(struct sim_region *r)
{
	int id;

	for (id = 0; id < r->nr_device_slots; id++)
		if (!r->devices[id])
			return id;
	return r->nr_device_slots;
}

/* kstrtoint base 0, then the value must be 1 */
static int store_create(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_region *r = region_of(node);
	struct sim_device *dev;
	uint64_t v;
	int rc;

	rc = parse_ull(buf[0] == '-' ? buf + 1 : buf, 0, &v);
	if (rc)
		return rc;
	if (buf[0] == '-' || v != 1)
		return -EINVAL;
	if (!region_available(r))
		return -ENOSPC;
	dev = device_add(r, lowest_free_id(r));
	if (!r->seed)
		r->seed = dev;
	r->youngest = dev;
	return 0;
}

static int store_delete(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_region *r = region_of(node);
	struct sim_device *victim = NULL;
	int i;

	for (i = 0; i < r->nr_device_slots; i++)
		if (r->devices[i] && sysfs_streq(buf, r->devices[i]->name))
			victim = r->devices[i];
	if (!victim)
		return -ENXIO;
	if (victim->driver || device_size(victim))
		return -EBUSY;
	/* id 0 stays, so that the bus is never empty while the region lives */
	if (victim->id == 0)
		return -EBUSY;
	if (r->seed == victim)
		r->seed = NULL;
	if (r->youngest == victim)
		r->youngest = NULL;
	device_delete(victim);
	return 0;
}

static const struct vfs_attr_ops id_ops = { .show = show_id };
static const struct vfs_attr_ops size_ops = { .show = show_size };
static const struct vfs_attr_ops align_ops = { .show = show_align };
static const struct vfs_attr_ops available_ops = { .show = show_available };
static const struct vfs_attr_ops seed_ops = { .show = show_seed };
static const struct vfs_attr_ops create_ops = { .show = show_create,
						 .store = store_create };
static const struct vfs_attr_ops delete_ops = { .store = store_delete };

static struct vfs_node *region_parent_dir(struct sim_region *r,
					  const char *ns_name)
{
	char path[256];
	struct vfs_node *dir;

	switch (r->kind) {
	case REGION_HMEM:
		snprintf(path, sizeof(path), "devices/platform/hmem.%d", r->id);
		dir = vfs_mkdir_p(sim.sys, path);
		mkconst(dir, "modalias", 0444, "platform:hmem");
		break;
	case REGION_CXL:
		snprintf(path, sizeof(path),
			 "devices/platform/ACPI0017:00/root0/decoder0.0/region%d/dax_region%d",
			 r->id, r->id);
		dir = vfs_mkdir_p(sim.sys, path);
		/*
		 * as the real 6.12 shows it (fixture kernel-6.12-cxl-20-sysram):
		 * a cxl bus device of dax_cxl's driver, without numa_node
		 */
		mkconst(dir, "devtype", 0444, "cxl_dax_region");
		mkconst(dir, "modalias", 0444, "cxl:t8");
		if (!vfs_mklink_text(dir, "driver",
				     "../../../../../../../bus/cxl/drivers/cxl_dax_region") ||
		    !vfs_mklink_text(dir, "subsystem",
				     "../../../../../../../bus/cxl"))
			model_die("cannot create the links of %s", path);
		return dir;
	case REGION_NVDIMM:
	case REGION_E820:
		snprintf(path, sizeof(path), "devices/%s/ndbus0/region%d/%s",
			 r->kind == REGION_NVDIMM ?
				 "LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00" :
				 "platform/e820_pmem",
			 r->id, ns_name);
		dir = vfs_mkdir_p(sim.sys, path);
		mkconst(dir, "devtype", 0444, "nd_dax");
		mkconst(dir, "modalias", 0444, "nd:t7");
		if (r->uuid[0])
			mkconst(dir, "uuid", 0644, r->uuid);
		break;
	default:
		model_die("unknown region kind");
	}
	if (!vfs_child(dir, "numa_node")) {
		snprintf(path, sizeof(path), "%d", r->numa_node);
		mkconst(dir, "numa_node", 0444, path);
	}
	return dir;
}

struct sim_region *region_add(enum sim_region_kind kind, int id,
			      uint64_t start, uint64_t size, uint64_t align,
			      int target_node, int numa_node,
			      const char *ns_name, bool class_model,
			      const char *uuid)
{
	struct sim_region *r = calloc(1, sizeof(*r)), **tail;

	if (!r)
		model_die("out of memory");
	r->kind = kind;
	r->id = id;
	r->start = start;
	r->end = start + size - 1;
	r->align = align;
	r->target_node = target_node;
	r->numa_node = numa_node;
	r->dynamic = kind == REGION_HMEM || kind == REGION_CXL;
	r->class_model = class_model;
	if (uuid)
		snprintf(r->uuid, sizeof(r->uuid), "%s", uuid);
	r->parent = region_parent_dir(r, ns_name);
	if (vfs_child(r->parent, "dax_region"))
		model_die("region %s exists twice", vfs_name(r->parent));
	r->attrs = mkdir_node(r->parent, "dax_region", r);
	mkattr(r->attrs, "id", 0444, &id_ops, r);
	mkattr(r->attrs, "size", 0444, &size_ops, r);
	mkattr(r->attrs, "align", 0400, &align_ops, r);
	if (r->dynamic && !class_model) {
		mkattr(r->attrs, "available_size", 0444, &available_ops, r);
		mkattr(r->attrs, "seed", 0444, &seed_ops, r);
		mkattr(r->attrs, "create", 0644, &create_ops, r);
		mkattr(r->attrs, "delete", 0200, &delete_ops, r);
	}
	if (class_model)
		mkdir_node(r->parent, "dax", r);
	for (tail = &sim.regions; *tail; tail = &(*tail)->next)
		;
	*tail = r;
	return r;
}
