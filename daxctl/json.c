// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Library objects as JSON. The tree keeps numbers as numbers; -u attaches
 * serializers that print sizes in human units and addresses in hex, so the
 * key types seen by a program that walks the tree never change.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/json.h"
#include "util/sysroot.h"

/* Sizes below this stay plain numbers even with -u (reference format). */
#define HUMAN_MIN_BYTES 5120000ULL

struct unit {
	unsigned long long iec, si;
	const char *iec_name, *si_name;
};

static const struct unit units[] = {
	{ 1ULL << 20, 1000000ULL, "MiB", "MB" },
	{ 1ULL << 30, 1000000000ULL, "GiB", "GB" },
	{ 1ULL << 40, 1000000000000ULL, "TiB", "TB" },
};

/* Hundredths of @unit in @v, rounded half up: c = (v * 200 / unit + 1) / 2 */
static unsigned long long hundredths(unsigned long long v,
				     unsigned long long unit)
{
	return (unsigned long long)(((unsigned __int128)v * 200 / unit + 1) / 2);
}

static int format_size(char *buf, size_t len, unsigned long long v)
{
	const struct unit *u = &units[0];
	unsigned long long iec, si;

	/* the next unit takes over at twice its size */
	if (v >= 2 * units[2].iec)
		u = &units[2];
	else if (v >= 2 * units[1].iec)
		u = &units[1];
	iec = hundredths(v, u->iec);
	si = (v / (u->si / 200) + 1) / 2;
	return snprintf(buf, len, "\"%llu.%02llu %s (%llu.%02llu %s)\"",
			iec / 100, iec % 100, u->iec_name, si / 100, si % 100,
			u->si_name);
}

static int serialize_size(struct json_object *obj, struct printbuf *pb,
			  int level, int flags)
{
	unsigned long long v = (unsigned long long)json_object_get_int64(obj);
	char buf[64];

	if (v < HUMAN_MIN_BYTES)
		snprintf(buf, sizeof(buf), "%llu", v);
	else
		format_size(buf, sizeof(buf), v);
	return printbuf_memappend(pb, buf, (int)strlen(buf));
}

static int serialize_hex(struct json_object *obj, struct printbuf *pb,
			 int level, int flags)
{
	char buf[32];

	/* "%#llx" prints 0 as "0": the reference format, kept */
	snprintf(buf, sizeof(buf), "\"%#llx\"",
		 (unsigned long long)json_object_get_uint64(obj));
	return printbuf_memappend(pb, buf, (int)strlen(buf));
}

static struct json_object *json_size(unsigned long long v,
				     const struct json_opts *opts)
{
	struct json_object *obj = json_object_new_int64((long long)v);

	if (obj && opts->human)
		json_object_set_serializer(obj, serialize_size, NULL, NULL);
	return obj;
}

static struct json_object *json_hex(unsigned long long v,
				    const struct json_opts *opts)
{
	struct json_object *obj = json_object_new_uint64(v);

	if (obj && opts->human)
		json_object_set_serializer(obj, serialize_hex, NULL, NULL);
	return obj;
}

static void add(struct json_object *obj, const char *key,
		struct json_object *val)
{
	if (val)
		json_object_object_add(obj, key, val);
}

const char *json_region_path(struct daxctl_region *region, const char *root)
{
	const char *path = daxctl_region_get_path(region);
	const char *sysfs = sysroot_mountpoint(SYSROOT_SYSFS);
	size_t len = root ? strlen(root) : 0;

	/* users see region paths relative to the devices directory */
	if (strncmp(path, root ? root : "", len) != 0)
		return NULL;
	path += len;
	if (strncmp(path, sysfs, strlen(sysfs)) != 0)
		return NULL;
	path += strlen(sysfs);
	if (strncmp(path, "/devices/", strlen("/devices/")) != 0)
		return NULL;
	return path + strlen("/devices");
}

struct json_object *json_mapping(struct daxctl_mapping *mapping,
				 struct json_opts *opts)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	add(obj, "page_offset",
	    json_hex(daxctl_mapping_get_offset(mapping), opts));
	add(obj, "start", json_hex(daxctl_mapping_get_start(mapping), opts));
	add(obj, "end", json_hex(daxctl_mapping_get_end(mapping), opts));
	add(obj, "size", json_size(daxctl_mapping_get_size(mapping), opts));
	return obj;
}

static void add_memory(struct json_object *obj, struct daxctl_dev *dev,
		       struct json_opts *opts)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);
	int total, online, movable;
	const char *state;

	if (!mem)
		return;
	total = daxctl_memory_num_sections(mem);
	if (total == -EACCES || total == -EPERM)
		opts->hidden |= JSON_HIDDEN_MEMBLOCKS;
	if (total < 0)
		return;
	/*
	 * The zone check reads each block's state too, and tells whether
	 * every block is online: the online count needs a pass of its own
	 * only when some block is not (-ENXIO).
	 */
	movable = daxctl_memory_is_movable(mem);
	online = movable >= 0 ? total : daxctl_memory_is_online(mem);
	if (online < 0)
		return;
	add(obj, "online_memblocks", json_object_new_int(online));
	add(obj, "total_memblocks", json_object_new_int(total));
	if (movable >= 0 && online == total)
		add(obj, "movable", json_object_new_boolean(movable));
	/* only where the kernel has the device-level state (after 6.12) */
	state = daxctl_memory_get_state(mem);
	if (state)
		add(obj, "memory_state", json_object_new_string(state));
}

/* Only where the kernel has memory tiers and one of them holds the node. */
static void add_memory_tier(struct json_object *obj, struct daxctl_dev *dev)
{
	int tier = daxctl_dev_get_memory_tier(dev);

	if (tier >= 0)
		add(obj, "memory_tier", json_object_new_int(tier));
}

static void add_mappings(struct json_object *obj, struct daxctl_dev *dev,
			 struct json_opts *opts)
{
	struct json_object *arr = NULL;
	struct daxctl_mapping *m;

	errno = 0;
	m = daxctl_mapping_get_first(dev);
	if (!m && errno == EACCES && daxctl_dev_get_size(dev))
		opts->hidden |= JSON_HIDDEN_MAPPINGS;
	for (; m; m = daxctl_mapping_get_next(m)) {
		if (!arr) {
			arr = json_object_new_array();
			if (!arr)
				return;
		}
		json_object_array_add(arr, json_mapping(m, opts));
	}
	add(obj, "mappings", arr);
}

bool json_driver_known(const char *driver)
{
	return !driver || strcmp(driver, "device_dax") == 0 ||
	       strcmp(driver, "kmem") == 0 || strcmp(driver, "fsdev_dax") == 0;
}

const char *json_dev_mode(const char *driver)
{
	if (!driver || strcmp(driver, "device_dax") == 0)
		return "devdax";
	if (strcmp(driver, "kmem") == 0)
		return "system-ram";
	if (strcmp(driver, "fsdev_dax") == 0)
		return "famfs";
	return "unknown";
}

struct json_object *json_dev(struct daxctl_dev *dev, struct json_opts *opts)
{
	struct json_object *obj = json_object_new_object();
	const char *driver;
	bool system_ram;
	char cmd[64];
	int node, mom;

	if (!obj)
		return NULL;
	add(obj, "chardev", json_object_new_string(daxctl_dev_get_devname(dev)));
	add(obj, "size", json_size(daxctl_dev_get_size(dev), opts));
	node = daxctl_dev_get_target_node(dev);
	if (node >= 0)
		add(obj, "target_node", json_object_new_int(node));
	if (daxctl_dev_get_align(dev))
		add(obj, "align", json_size(daxctl_dev_get_align(dev), opts));
	/*
	 * One look at the driver link answers both questions: bound means
	 * enabled, and system-ram capable means bound to kmem. Only an
	 * unbound (or legacy class) device asks the library again.
	 */
	driver = daxctl_dev_get_driver(dev);
	system_ram = driver && strcmp(driver, "kmem") == 0;
	add(obj, "mode", json_object_new_string(json_dev_mode(driver)));
	if (!json_driver_known(driver))
		add(obj, "driver", json_object_new_string(driver));
	if (system_ram) {
		add_memory(obj, dev, opts);
		add_memory_tier(obj, dev);
	}
	if (!driver && !daxctl_dev_is_enabled(dev))
		add(obj, "state", json_object_new_string("disabled"));
	/* a project extension, only for a device a killed run left */
	if (opts->interrupted &&
	    opts->interrupted(opts->root, daxctl_dev_get_devname(dev), cmd,
			      sizeof(cmd)))
		add(obj, "interrupted", json_object_new_string(cmd));
	/* Linux 6.8 and later only: absent, as in ndctl's daxctl, before */
	mom = daxctl_dev_get_memmap_on_memory(dev);
	if (mom >= 0)
		add(obj, "memmap_on_memory", json_object_new_boolean(mom));
	if (opts->mappings)
		add_mappings(obj, dev, opts);
	return obj;
}

struct json_object *json_region(struct daxctl_region *region,
				struct json_opts *opts)
{
	struct json_object *obj;
	unsigned long long size, avail;
	unsigned long align;
	const char *path;

	path = json_region_path(region, opts->root);
	if (!path)
		return NULL;
	obj = json_object_new_object();
	if (!obj)
		return NULL;
	add(obj, "path", json_object_new_string(path));
	add(obj, "id", json_object_new_int(daxctl_region_get_id(region)));
	size = daxctl_region_get_size(region);
	if (size != ULLONG_MAX)
		add(obj, "size", json_size(size, opts));
	avail = daxctl_region_get_available_size(region);
	if (avail)
		add(obj, "available_size", json_size(avail, opts));
	errno = 0;
	align = daxctl_region_get_align(region);
	if (align != ULONG_MAX)
		add(obj, "align", json_object_new_uint64(align));
	else if (errno == EACCES)
		opts->hidden |= JSON_HIDDEN_REGION_ALIGN;
	return obj;
}

void json_hidden_describe(unsigned int hidden, char *buf, size_t len)
{
	static const struct {
		unsigned int bit;
		const char *what;
	} names[] = {
		{ JSON_HIDDEN_REGION_ALIGN, "region align" },
		{ JSON_HIDDEN_MAPPINGS, "mappings" },
		{ JSON_HIDDEN_MEMBLOCKS,
		  "online_memblocks/total_memblocks/movable" },
	};
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n;

		if (!(hidden & names[i].bit))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			     names[i].what);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

int json_print(FILE *f, struct json_object *obj)
{
	const char *s;

	/* json-c spreads an empty array over two lines */
	if (json_object_is_type(obj, json_type_array) &&
	    json_object_array_length(obj) == 0)
		return fprintf(f, "[]\n") < 0 ? -EIO : 0;
	s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY);

	if (!s)
		return -ENOMEM;
	return fprintf(f, "%s\n", s) < 0 ? -EIO : 0;
}
