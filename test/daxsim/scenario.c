// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scenario file: a JSON description of the machine to emulate (see
 * README.md beside this file). Errors name the offending key and stop.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "model.h"

static const char *scenario_file;

static void __attribute__((noreturn, format(printf, 1, 2)))
bad(const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "daxsim: %s: ", scenario_file);
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\n");
	exit(2);
}

/* A number: a JSON integer, or a string "4096", "0x1000", "2M", "1G". */
static uint64_t number(struct json_object *v, const char *what)
{
	const char *s;
	char *end;
	uint64_t n;

	if (json_object_is_type(v, json_type_int)) {
		if (json_object_get_int64(v) < 0)
			bad("%s: negative", what);
		return (uint64_t)json_object_get_int64(v);
	}
	if (!json_object_is_type(v, json_type_string))
		bad("%s: expected a number", what);
	s = json_object_get_string(v);
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || end == s)
		bad("%s: bad number '%s'", what, s);
	switch (*end) {
	case 'k': case 'K': n <<= 10; end++; break;
	case 'm': case 'M': n <<= 20; end++; break;
	case 'g': case 'G': n <<= 30; end++; break;
	case 't': case 'T': n <<= 40; end++; break;
	}
	if (*end)
		bad("%s: bad number '%s'", what, s);
	return n;
}

static struct json_object *get(struct json_object *obj, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

static uint64_t get_num(struct json_object *obj, const char *key,
			uint64_t def, const char *ctx)
{
	struct json_object *v = get(obj, key);
	char what[128];

	if (!v)
		return def;
	snprintf(what, sizeof(what), "%s.%s", ctx, key);
	return number(v, what);
}

static int get_int(struct json_object *obj, const char *key, int def)
{
	struct json_object *v = get(obj, key);

	return v ? json_object_get_int(v) : def;
}

static const char *get_str(struct json_object *obj, const char *key,
			   const char *def)
{
	struct json_object *v = get(obj, key);

	return v ? json_object_get_string(v) : def;
}

static int errno_by_name(const char *name)
{
	static const struct {
		const char *name;
		int err;
	} names[] = {
		{ "EPERM", EPERM },   { "ENOENT", ENOENT }, { "EIO", EIO },
		{ "ENXIO", ENXIO },   { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
		{ "EACCES", EACCES }, { "EBUSY", EBUSY },   { "EEXIST", EEXIST },
		{ "ENODEV", ENODEV }, { "EINVAL", EINVAL }, { "ENOSPC", ENOSPC },
		{ "ERANGE", ERANGE }, { "EOPNOTSUPP", EOPNOTSUPP },
		{ "ETIMEDOUT", ETIMEDOUT },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].err;
	bad("unknown errno name '%s'", name);
}

static void load_memory(struct json_object *mem)
{
	struct json_object *ram, *nodes, *tiers;
	size_t i;

	memory_init(get_num(mem, "block_size", 128ULL << 20, "memory"),
		    get_str(mem, "auto_online_blocks", "offline"));
	tiers = get(mem, "tiers");
	tiers_init(tiers ? get_int(tiers, "dram", 4) : 4,
		   tiers ? get_int(tiers, "kmem", 22) : 22);
	memory_set_memmap_param(get(mem, "memmap_on_memory") &&
				json_object_get_boolean(get(mem, "memmap_on_memory")));
	nodes = get(mem, "nodes");
	for (i = 0; nodes && i < json_object_array_length(nodes); i++)
		memory_add_node(json_object_get_int(
			json_object_array_get_idx(nodes, i)));
	memory_add_node(0);
	ram = get(mem, "ram");
	for (i = 0; ram && i < json_object_array_length(ram); i++) {
		struct json_object *r = json_object_array_get_idx(ram, i);

		memory_add_ram(get_int(r, "node", 0),
			       get_num(r, "start", 0, "memory.ram"),
			       get_num(r, "size", 0, "memory.ram"));
	}
}

static enum sim_region_kind region_kind(const char *kind)
{
	if (strcmp(kind, "hmem") == 0)
		return REGION_HMEM;
	if (strcmp(kind, "cxl") == 0)
		return REGION_CXL;
	if (strcmp(kind, "nvdimm") == 0)
		return REGION_NVDIMM;
	if (strcmp(kind, "e820") == 0)
		return REGION_E820;
	bad("unknown region kind '%s' (hmem, cxl, nvdimm, e820)", kind);
}

static void bind_device(struct sim_device *dev, const char *driver,
			const char *online)
{
	struct sim_driver *drv = driver_find(driver);
	unsigned long i;
	int rc;

	if (!drv)
		bad("%s: driver '%s' is not in \"drivers\"", dev->name, driver);
	if (dev->region->class_model)
		bad("%s: class-model devices have no driver", dev->name);
	if (strcmp(driver, "device_dax") != 0) {
		drv->ids = realloc(drv->ids, (size_t)(drv->nr_ids + 1) *
						     sizeof(*drv->ids));
		if (!drv->ids || !(drv->ids[drv->nr_ids++] = strdup(dev->name)))
			model_die("out of memory");
	}
	rc = driver_bind(drv, dev);
	if (rc)
		bad("%s: binding %s fails: %s", dev->name, driver,
		    strerror(-rc));
	if (!online)
		return;
	for (i = 0; i < sim.nr_block_slots; i++) {
		struct sim_block *b = sim.blocks[i];

		if (b && b->owner == dev && !b->online &&
		    strcmp(online, "offline") != 0)
			block_set_online(b, online);
		if (b && b->owner == dev && b->online &&
		    strcmp(online, "offline") == 0)
			block_set_offline(b);
	}
}

static void load_device(struct sim_region *r, struct json_object *d)
{
	struct json_object *ranges = get(d, "ranges");
	struct sim_device *dev;
	const char *driver;
	size_t i;
	int rc;

	dev = device_add(r, get_int(d, "id", 0));
	dev->align = get_num(d, "align", r->align, dev->name);
	for (i = 0; ranges && i < json_object_array_length(ranges); i++) {
		struct json_object *rg = json_object_array_get_idx(ranges, i);
		uint64_t start, end;

		if (json_object_array_length(rg) != 2)
			bad("%s: a range is [start, end]", dev->name);
		start = number(json_object_array_get_idx(rg, 0), dev->name);
		end = number(json_object_array_get_idx(rg, 1), dev->name);
		rc = device_add_range(dev, start, end);
		if (rc)
			bad("%s: range %#llx-%#llx is not free in the region",
			    dev->name, (unsigned long long)start,
			    (unsigned long long)end);
	}
	if (get(d, "size")) {
		rc = device_resize(dev, get_num(d, "size", 0, dev->name));
		if (rc)
			bad("%s: size: %s", dev->name, strerror(-rc));
	}
	driver = get_str(d, "driver", NULL);
	if (driver)
		bind_device(dev, driver, get_str(d, "memory", NULL));
}

/* "generate": many equal devices, for scale tests */
static void generate_devices(struct sim_region *r, struct json_object *g)
{
	int i, count = get_int(g, "count", 0), first = get_int(g, "first_id", 0);
	uint64_t size = get_num(g, "size", SZ_2M, "generate");
	const char *driver = get_str(g, "driver", "device_dax");

	uint64_t next = r->start;
	int d, j;

	/* one range each, packed after everything the region holds already */
	for (d = 0; d < r->nr_device_slots; d++)
		for (j = 0; r->devices[d] && j < r->devices[d]->nr_ranges; j++)
			if (r->devices[d]->ranges[j].end + 1 > next)
				next = r->devices[d]->ranges[j].end + 1;
	for (i = 0; i < count; i++) {
		struct sim_device *dev = device_add(r, first + i);

		if (next + size - 1 > r->end || next + size - 1 < next)
			bad("generate: region %d is full after %d devices",
			    r->id, i);
		device_append_range(dev, next, next + size - 1);
		next += size;
		if (*driver)
			bind_device(dev, driver, NULL);
	}
}

static void load_region(struct json_object *o)
{
	struct json_object *devices, *gen;
	enum sim_region_kind kind;
	struct sim_region *r;
	char ns_name[32];
	int id, ns;
	size_t i;

	kind = region_kind(get_str(o, "kind", "hmem"));
	id = get_int(o, "id", 0);
	ns = get_int(o, "namespace", 0);
	snprintf(ns_name, sizeof(ns_name), "dax%d.%d", id, ns);
	if (!get(o, "start") || !get(o, "size"))
		bad("region %d: start and size are required", id);
	r = region_add(kind, id, get_num(o, "start", 0, "region"),
		       get_num(o, "size", 0, "region"),
		       get_num(o, "align", SZ_2M, "region"),
		       get_int(o, "target_node", 0), get_int(o, "numa_node", 0),
		       ns_name, json_object_get_boolean(get(o, "class_model")),
		       get_str(o, "uuid", NULL));
	r->window = get_num(o, "window", r->end - r->start + 1, "region");
	if (r->target_node >= 0)
		memory_add_node(r->target_node);
	devices = get(o, "devices");
	for (i = 0; devices && i < json_object_array_length(devices); i++)
		load_device(r, json_object_array_get_idx(devices, i));
	gen = get(o, "generate");
	if (gen)
		generate_devices(r, gen);
	if (get(o, "seed")) {
		r->seed = device_find(get_str(o, "seed", ""));
		if (!r->seed)
			bad("region %d: no seed device %s", id,
			    get_str(o, "seed", ""));
	}
}

static void load_faults(struct json_object *faults)
{
	size_t i;

	for (i = 0; faults && i < json_object_array_length(faults); i++) {
		struct json_object *f = json_object_array_get_idx(faults, i);

		if (get(f, "write")) {
			struct sim_write_fault *w = calloc(1, sizeof(*w));

			if (!w || !(w->glob = strdup(get_str(f, "write", ""))))
				model_die("out of memory");
			w->nth = get_int(f, "nth", 1);
			w->times = get_int(f, "times", 1);
			w->err = errno_by_name(get_str(f, "errno", "EIO"));
			w->next = sim.write_faults;
			sim.write_faults = w;
		} else if (get(f, "block")) {
			struct sim_block_fault *b = calloc(1, sizeof(*b));

			if (!b)
				model_die("out of memory");
			b->index = (unsigned long)get_num(f, "block", 0, "faults");
			if (get(f, "online"))
				b->online_err = errno_by_name(get_str(f, "online", ""));
			if (get(f, "offline"))
				b->offline_err = errno_by_name(get_str(f, "offline", ""));
			b->next = sim.block_faults;
			sim.block_faults = b;
		} else if (get(f, "probe")) {
			struct sim_probe_fault *p = calloc(1, sizeof(*p));

			if (!p || !(p->driver = strdup(get_str(f, "probe", ""))))
				model_die("out of memory");
			if (get(f, "device") && !(p->device = strdup(get_str(f, "device", ""))))
				model_die("out of memory");
			p->err = errno_by_name(get_str(f, "errno", "EINVAL"));
			p->next = sim.probe_faults;
			sim.probe_faults = p;
		} else if (get(f, "devnode")) {
			struct sim_devnode_fault *d = calloc(1, sizeof(*d));

			if (!d || !(d->glob = strdup(get_str(f, "devnode", ""))))
				model_die("out of memory");
			d->next = sim.devnode_faults;
			sim.devnode_faults = d;
		} else {
			bad("faults[%zu]: expected \"write\", \"block\", \"probe\" or \"devnode\"", i);
		}
	}
}

int scenario_load(const char *path, const char *kernel)
{
	struct json_object *top, *regions, *drivers;
	size_t i;

	scenario_file = path;
	top = json_object_from_file(path);
	if (!top)
		bad("cannot parse: %s", json_util_get_last_err());
	if (!json_object_is_type(top, json_type_object))
		bad("the top level must be an object");

	model_init();
	kernel_select(kernel, get(top, "kernel") ?
			      json_object_get_string(get(top, "kernel")) : NULL);
	/* faults first: blocks created while loading get theirs too */
	load_faults(get(top, "faults"));
	regions = get(top, "regions");
	sim.has_bus = true;
	sim.has_class = false;
	for (i = 0; regions && i < json_object_array_length(regions); i++)
		if (json_object_get_boolean(get(json_object_array_get_idx(regions, i),
						"class_model")))
			sim.has_class = true;
	if (get(top, "bus"))
		sim.has_bus = json_object_get_boolean(get(top, "bus"));
	drivers_init_bus();
	load_memory(get(top, "memory") ? get(top, "memory") :
					 json_object_new_object());
	drivers = get(top, "drivers");
	if (sim.has_bus && !drivers) {
		driver_add("device_dax", true);
		driver_add("kmem", false);
	}
	for (i = 0; drivers && i < json_object_array_length(drivers); i++) {
		const char *name = json_object_get_string(
			json_object_array_get_idx(drivers, i));

		driver_add(name, strcmp(name, "device_dax") == 0);
	}
	for (i = 0; regions && i < json_object_array_length(regions); i++)
		load_region(json_object_array_get_idx(regions, i));
	proc_init();
	json_object_put(top);
	return 0;
}
