// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dax bus and its drivers: device_dax matches every device, kmem and
 * third-party drivers only the names in their new_id list. bind, unbind,
 * new_id and remove_id answer as the driver core does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct sim_driver *driver_find(const char *name)
{
	struct sim_driver *drv;

	for (drv = sim.drivers; drv; drv = drv->next)
		if (strcmp(drv->name, name) == 0)
			return drv;
	return NULL;
}

static bool driver_has_id(struct sim_driver *drv, const char *name)
{
	int i;

	for (i = 0; i < drv->nr_ids; i++)
		if (strcmp(drv->ids[i], name) == 0)
			return true;
	return false;
}

/*
 * From 6.3 the regions of dax_hmem and dax_cxl are meant for kmem: the bus
 * matches their devices with kmem, and with device_dax only through its
 * new_id (seen on the real 6.12, test/kernel/README.md "Findings").
 */
static bool driver_matches(struct sim_driver *drv, struct sim_device *dev)
{
	if (driver_has_id(drv, dev->name))
		return true;
	if (sim.kernel.region_kmem && (dev->region->kind == REGION_HMEM ||
				       dev->region->kind == REGION_CXL))
		return strcmp(drv->name, "kmem") == 0;
	return drv->match_all;
}

static bool overlaps_leaked(struct sim_device *dev)
{
	int i, j;

	for (i = 0; i < dev->nr_ranges; i++)
		for (j = 0; j < sim.nr_leaked; j++)
			if (dev->ranges[i].start <= sim.leaked[j].end &&
			    dev->ranges[i].end >= sim.leaked[j].start)
				return true;
	return false;
}

/* The probe: every driver refuses an empty device. */
int driver_bind(struct sim_driver *drv, struct sim_device *dev)
{
	char name[64];
	int rc;

	if (dev->driver)
		return -EBUSY;
	if (!device_size(dev))
		return -ENXIO;
	rc = fault_check_probe(drv->name, dev->name);
	if (rc)
		return rc;
	/* a range kmem could not hot-remove stays reserved until reboot */
	if (overlaps_leaked(dev))
		return -EBUSY;
	if (strcmp(drv->name, "kmem") == 0) {
		rc = kmem_add_memory(dev);
		if (rc)
			return rc;
	}
	dev->driver = drv;
	snprintf(name, sizeof(name), "%s", dev->name);
	mklink(drv->dir, name, dev->dir);
	mklink(dev->dir, "driver", drv->dir);
	if (dev->region->seed == dev)
		dev->region->seed = NULL;
	return 0;
}

void driver_unbind(struct sim_device *dev)
{
	struct sim_driver *drv = dev->driver;

	if (!drv)
		return;
	if (dev->kmem_added)
		kmem_remove_memory(dev);
	vfs_remove(vfs_child(drv->dir, dev->name));
	vfs_remove(vfs_child(dev->dir, "driver"));
	dev->driver = NULL;
}

/* A device on the bus (class-model devices are not) named by @buf. */
static struct sim_device *bus_device(const char *buf)
{
	struct sim_device *dev = device_find(buf);

	return dev && !dev->region->class_model ? dev : NULL;
}

static int store_bind(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_driver *drv = vfs_data(node);
	struct sim_device *dev = bus_device(buf);

	if (!dev || !driver_matches(drv, dev))
		return -ENODEV;
	return driver_bind(drv, dev);
}

static int store_unbind(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_driver *drv = vfs_data(node);
	struct sim_device *dev = bus_device(buf);

	if (!dev || dev->driver != drv)
		return -ENODEV;
	driver_unbind(dev);
	return 0;
}

/* new_id and remove_id take exactly "daxX.Y" (one trailing newline). */
static int parse_id(const char *buf, char *name, size_t len)
{
	int region_id, id;

	if (sscanf(buf, "dax%d.%d", &region_id, &id) != 2)
		return -EINVAL;
	snprintf(name, len, "dax%d.%d", region_id, id);
	return sysfs_streq(buf, name) ? 0 : -EINVAL;
}

/* driver_attach(): try every unbound matching device, ignoring refusals */
static void driver_attach(struct sim_driver *drv)
{
	struct sim_region *r;
	int i;

	for (r = sim.regions; r; r = r->next) {
		if (r->class_model)
			continue;
		for (i = 0; i < r->nr_device_slots; i++) {
			struct sim_device *dev = r->devices[i];

			if (dev && !dev->driver && driver_matches(drv, dev))
				driver_bind(drv, dev);
		}
	}
}

static int store_new_id(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_driver *drv = vfs_data(node);
	char name[64];
	int rc;

	rc = parse_id(buf, name, sizeof(name));
	if (rc)
		return rc;
	if (!driver_has_id(drv, name)) {
		drv->ids = realloc(drv->ids, (size_t)(drv->nr_ids + 1) *
						     sizeof(*drv->ids));
		if (!drv->ids || !(drv->ids[drv->nr_ids] = strdup(name)))
			return -ENOMEM;
		drv->nr_ids++;
	}
	driver_attach(drv);
	return 0;
}

static int store_remove_id(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_driver *drv = vfs_data(node);
	char name[64];
	int i, rc;

	rc = parse_id(buf, name, sizeof(name));
	if (rc)
		return rc;
	for (i = 0; i < drv->nr_ids; i++) {
		if (strcmp(drv->ids[i], name) != 0)
			continue;
		free(drv->ids[i]);
		drv->ids[i] = drv->ids[--drv->nr_ids];
		break;
	}
	return 0;
}

static int store_accept(struct vfs_node *node, const char *buf, size_t len)
{
	return 0;
}

/* bus/dax/drivers_probe: offer one device to every driver in turn */
static int store_drivers_probe(struct vfs_node *node, const char *buf,
			       size_t len)
{
	struct sim_device *dev = bus_device(buf);
	struct sim_driver *drv;

	if (!dev)
		return -ENODEV;
	for (drv = sim.drivers; drv && !dev->driver; drv = drv->next)
		if (driver_matches(drv, dev))
			driver_bind(drv, dev);
	return 0;
}

static const struct vfs_attr_ops bind_ops = { .store = store_bind };
static const struct vfs_attr_ops unbind_ops = { .store = store_unbind };
static const struct vfs_attr_ops new_id_ops = { .store = store_new_id };
static const struct vfs_attr_ops remove_id_ops = { .store = store_remove_id };
static const struct vfs_attr_ops accept_ops = { .store = store_accept };
static const struct vfs_attr_ops drivers_probe_ops = {
	.store = store_drivers_probe
};

struct sim_driver *driver_add(const char *name, bool match_all)
{
	struct sim_driver *drv = calloc(1, sizeof(*drv)), **tail;
	struct vfs_node *module;
	char path[128];

	if (!drv || !(drv->name = strdup(name)))
		model_die("out of memory");
	drv->match_all = match_all;
	drv->dir = mkdir_node(sim.bus_drivers, name, drv);
	mkattr(drv->dir, "bind", 0200, &bind_ops, drv);
	mkattr(drv->dir, "unbind", 0200, &unbind_ops, drv);
	mkattr(drv->dir, "new_id", 0200, &new_id_ops, drv);
	mkattr(drv->dir, "remove_id", 0200, &remove_id_ops, drv);
	mkattr(drv->dir, "uevent", 0200, &accept_ops, drv);
	/* libkmod asks /sys/module/NAME/initstate whether it is loaded */
	snprintf(path, sizeof(path), "module/%s", name);
	module = vfs_mkdir_p(sim.sys, path);
	mkconst(module, "initstate", 0444, "live");
	mklink(drv->dir, "module", module);
	for (tail = &sim.drivers; *tail; tail = &(*tail)->next)
		;
	*tail = drv;
	return drv;
}

void drivers_init_bus(void)
{
	struct vfs_node *bus;

	if (sim.has_bus) {
		bus = vfs_mkdir_p(sim.sys, "bus/dax");
		sim.bus_devices = mkdir_node(bus, "devices", NULL);
		sim.bus_drivers = mkdir_node(bus, "drivers", NULL);
		mkconst(bus, "drivers_autoprobe", 0644, "1");
		mkattr(bus, "drivers_probe", 0200, &drivers_probe_ops, NULL);
		mkattr(bus, "uevent", 0200, &accept_ops, NULL);
	}
	if (sim.has_class)
		sim.class_dax = vfs_mkdir_p(sim.sys, "class/dax");
}
