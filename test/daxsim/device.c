// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dax devices: attributes, and the kernel's range allocation for size,
 * align and mapping writes as Linux 6.1 makes them (checked against it by
 * test/replay/ and test/kernel/'s differential check): growth takes
 * the first free gap of the region, extending the device's last range when
 * the gap follows it; shrinking trims the most recently added range first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static struct sim_device *dev_of(struct vfs_node *node)
{
	return vfs_data(node);
}

uint64_t device_size(struct sim_device *dev)
{
	uint64_t size = 0;
	int i;

	for (i = 0; i < dev->nr_ranges; i++)
		size += dev->ranges[i].end - dev->ranges[i].start + 1;
	return size;
}

struct sim_device *device_find(const char *name)
{
	struct sim_region *r;
	int i;

	for (r = sim.regions; r; r = r->next)
		for (i = 0; i < r->nr_device_slots; i++)
			if (r->devices[i] && sysfs_streq(name, r->devices[i]->name))
				return r->devices[i];
	return NULL;
}

/* memremap_compat_align() is 2 MiB on x86 */
static bool alloc_is_aligned(struct sim_device *dev, uint64_t size)
{
	uint64_t align = dev->align > SZ_2M ? dev->align : SZ_2M;

	return size % align == 0;
}

bool range_is_free(struct sim_region *region, uint64_t start, uint64_t end)
{
	int i, j;

	if (start < region->start || end > region->end || end < start)
		return false;
	for (i = 0; i < region->nr_device_slots; i++) {
		struct sim_device *d = region->devices[i];

		for (j = 0; d && j < d->nr_ranges; j++)
			if (start <= d->ranges[j].end && end >= d->ranges[j].start)
				return false;
	}
	return true;
}

/*
 * mappingN/ belongs to the device (the range array moves when it grows);
 * the range is the one whose index is N.
 */
static int show_range_attr(struct vfs_node *node, char *buf, size_t len)
{
	struct vfs_node *dir = vfs_parent(node);
	struct sim_device *dev = vfs_data(dir);
	const char *name = vfs_name(node);
	int i, n = atoi(vfs_name(dir) + strlen("mapping"));
	struct sim_range *range = NULL;
	uint64_t v;

	for (i = 0; i < dev->nr_ranges; i++)
		if (dev->ranges[i].index == n)
			range = &dev->ranges[i];
	if (!range)
		return -ENOENT;
	v = strcmp(name, "start") == 0 ? range->start :
	    strcmp(name, "end") == 0 ? range->end : range->pgoff;
	return snprintf(buf, len, "%#llx\n", (unsigned long long)v);
}

static const struct vfs_attr_ops range_attr_ops = { .show = show_range_attr };

static int lowest_free_mapping(struct sim_device *dev)
{
	int n, i;

	for (n = 0;; n++) {
		for (i = 0; i < dev->nr_ranges; i++)
			if (dev->ranges[i].index == n)
				break;
		if (i == dev->nr_ranges)
			return n;
	}
}

static void range_show_dir(struct sim_device *dev, struct sim_range *range)
{
	char name[32];

	if (dev->region->class_model)
		return;
	snprintf(name, sizeof(name), "mapping%d", range->index);
	range->dir = mkdir_node(dev->dir, name, dev);
	mkattr(range->dir, "start", 0400, &range_attr_ops, NULL);
	mkattr(range->dir, "end", 0400, &range_attr_ops, NULL);
	mkattr(range->dir, "page_offset", 0400, &range_attr_ops, NULL);
}

/* Append [start, end], known to be free, as a new range. */
void device_append_range(struct sim_device *dev, uint64_t start, uint64_t end)
{
	struct sim_range *ranges, *range;

	ranges = realloc(dev->ranges, (size_t)(dev->nr_ranges + 1) *
					      sizeof(*ranges));
	if (!ranges)
		model_die("out of memory");
	dev->ranges = ranges;
	range = &ranges[dev->nr_ranges];
	memset(range, 0, sizeof(*range));
	range->start = start;
	range->end = end;
	range->pgoff = device_size(dev) / SZ_4K;
	range->index = lowest_free_mapping(dev);
	dev->nr_ranges++;
	range_show_dir(dev, range);
}

/* The kernel's alloc_dev_dax_range: ENOMEM unless the range is free. */
int device_add_range(struct sim_device *dev, uint64_t start, uint64_t end)
{
	if (!range_is_free(dev->region, start, end))
		return -ENOMEM;
	device_append_range(dev, start, end);
	return 0;
}

static void device_drop_last_range(struct sim_device *dev)
{
	struct sim_range *range = &dev->ranges[dev->nr_ranges - 1];

	if (range->dir)
		vfs_remove(range->dir);
	dev->nr_ranges--;
}

/* Can the last range grow in place without breaking page_offset order? */
static bool adjust_ok(struct sim_device *dev, uint64_t res_start)
{
	struct sim_range *last;
	int i;

	if (!dev->nr_ranges)
		return false;
	last = &dev->ranges[dev->nr_ranges - 1];
	if (last->start != res_start)
		return false;
	for (i = 0; i < dev->nr_ranges - 1; i++)
		if (dev->ranges[i].pgoff > last->pgoff)
			return false;
	return true;
}

struct busy {
	uint64_t start, end;
	struct sim_device *dev;
};

static int busy_cmp(const void *a, const void *b)
{
	const struct busy *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Every range of the region, in address order. */
static struct busy *region_busy(struct sim_region *r, int *nr)
{
	struct busy *busy = NULL;
	int i, j, n = 0;

	for (i = 0; i < r->nr_device_slots; i++) {
		struct sim_device *d = r->devices[i];

		for (j = 0; d && j < d->nr_ranges; j++) {
			busy = realloc(busy, (size_t)(n + 1) * sizeof(*busy));
			if (!busy)
				model_die("out of memory");
			busy[n].start = d->ranges[j].start;
			busy[n].end = d->ranges[j].end;
			busy[n].dev = d;
			n++;
		}
	}
	if (n > 1)
		qsort(busy, (size_t)n, sizeof(*busy), busy_cmp);
	*nr = n;
	return busy;
}

static int device_grow(struct sim_device *dev, uint64_t to_alloc)
{
	struct sim_region *r = dev->region;

	while (to_alloc) {
		struct busy *busy;
		uint64_t alloc = 0;
		int n, i, rc = -ENOSPC;

		busy = region_busy(r, &n);
		if (!n) {
			free(busy);
			rc = device_add_range(dev, r->start, r->start + to_alloc - 1);
			if (rc)
				return rc;
			break;
		}
		for (i = 0; i < n; i++) {
			uint64_t gap_start;

			if (i == 0 && busy[0].start > r->start) {
				alloc = busy[0].start - r->start;
				if (alloc > to_alloc)
					alloc = to_alloc;
				rc = device_add_range(dev, r->start,
						      r->start + alloc - 1);
				break;
			}
			alloc = 0;
			if (i + 1 < n && busy[i + 1].start > busy[i].end + 1)
				alloc = busy[i + 1].start - (busy[i].end + 1);
			if (!alloc && i + 1 == n && busy[i].end < r->end)
				alloc = r->end - busy[i].end;
			if (!alloc)
				continue;
			if (alloc > to_alloc)
				alloc = to_alloc;
			gap_start = busy[i].end + 1;
			if (busy[i].dev == dev && adjust_ok(dev, busy[i].start)) {
				dev->ranges[dev->nr_ranges - 1].end += alloc;
				rc = 0;
				break;
			}
			rc = device_add_range(dev, gap_start, gap_start + alloc - 1);
			break;
		}
		free(busy);
		if (rc)
			return rc;
		to_alloc -= alloc;
	}
	return 0;
}

static int device_shrink(struct sim_device *dev, uint64_t size)
{
	uint64_t to_shrink = device_size(dev) - size;

	while (to_shrink && dev->nr_ranges) {
		struct sim_range *last = &dev->ranges[dev->nr_ranges - 1];
		uint64_t len = last->end - last->start + 1;

		if (to_shrink >= len) {
			device_drop_last_range(dev);
			to_shrink -= len;
			continue;
		}
		last->end -= to_shrink;
		to_shrink = 0;
	}
	return 0;
}

int device_resize(struct sim_device *dev, uint64_t size)
{
	uint64_t cur = device_size(dev);

	if (dev->driver)
		return -EBUSY;
	if (size == cur)
		return 0;
	if (size > cur && size - cur > region_available(dev->region))
		return -ENOSPC;
	if (size < cur)
		return device_shrink(dev, size);
	return device_grow(dev, size - cur);
}

static int show_size(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%llu\n",
			(unsigned long long)device_size(dev_of(node)));
}

static int store_size(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_device *dev = dev_of(node);
	uint64_t v;
	int rc;

	rc = parse_ull(buf, 0, &v);
	if (rc)
		return rc;
	if (!alloc_is_aligned(dev, v))
		return -EINVAL;
	return device_resize(dev, v);
}

static int show_align(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%llu\n",
			(unsigned long long)dev_of(node)->align);
}

static int store_align(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_device *dev = dev_of(node);
	uint64_t v, saved;
	int i;

	/* kstrtoul failing is ENXIO here, not EINVAL */
	if (parse_ull(buf, 0, &v))
		return -ENXIO;
	if (v != SZ_4K && v != SZ_2M && v != SZ_1G)
		return -EINVAL;
	if (dev->driver)
		return -EBUSY;
	saved = dev->align;
	dev->align = v;
	for (i = 0; i < dev->nr_ranges; i++) {
		if (!alloc_is_aligned(dev, dev->ranges[i].end -
						   dev->ranges[i].start + 1)) {
			dev->align = saved;
			return -EINVAL;
		}
	}
	return 0;
}

static int store_mapping(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_device *dev = dev_of(node);
	char copy[128], *dash;
	uint64_t start, end;

	if (strlen(buf) >= sizeof(copy))
		return -EINVAL;
	strcpy(copy, buf);
	dash = strchr(copy, '-');
	if (!dash)
		return -EINVAL;
	*dash = '\0';
	if (parse_ull(copy, 16, &start) || parse_ull(dash + 1, 16, &end) ||
	    end < start)
		return -EINVAL;
	/*
	 * 6.1 answers ENXIO; from the dax bus's own lock (6.9) the store
	 * returns its status before the allocation, 0: accepted, nothing
	 * added (seen on the real 6.12, test/kernel/README.md)
	 */
	if (!alloc_is_aligned(dev, end - start + 1))
		return sim.kernel.mapping_silent ? 0 : -ENXIO;
	return device_add_range(dev, start, end);
}

static int show_resource(struct vfs_node *node, char *buf, size_t len)
{
	struct sim_device *dev = dev_of(node);
	uint64_t start = dev->nr_ranges ? dev->ranges[0].start :
					  dev->region->start;

	return snprintf(buf, len, "%#llx\n", (unsigned long long)start);
}

static int show_dev(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%d:%d\n", DAX_MAJOR, dev_of(node)->minor);
}

static int show_uevent(struct vfs_node *node, char *buf, size_t len)
{
	struct sim_device *dev = dev_of(node);
	int n;

	n = snprintf(buf, len, "MAJOR=%d\nMINOR=%d\nDEVNAME=%s\n", DAX_MAJOR,
		     dev->minor, dev->name);
	if (dev->driver)
		n += snprintf(buf + n, len - (size_t)n, "DRIVER=%s\n",
			      dev->driver->name);
	if (!dev->region->class_model)
		n += snprintf(buf + n, len - (size_t)n, "MODALIAS=dax:t0\n");
	return n;
}

/* writing a uevent action re-announces the device: nothing to model */
static int store_uevent(struct vfs_node *node, const char *buf, size_t len)
{
	return 0;
}

static int show_node(struct vfs_node *node, char *buf, size_t len)
{
	struct sim_region *r = dev_of(node)->region;

	return snprintf(buf, len, "%d\n", strcmp(vfs_name(node), "target_node") ?
						  r->numa_node : r->target_node);
}

static int show_memmap(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", dev_of(node)->memmap_on_memory);
}

/* the kernel's kstrtobool: only the first characters count */
static int parse_kstrtobool(const char *buf, bool *out)
{
	switch (buf[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*out = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*out = false;
		return 0;
	case 'o': case 'O':
		if (buf[1] == 'n' || buf[1] == 'N') {
			*out = true;
			return 0;
		}
		if (buf[1] == 'f' || buf[1] == 'F') {
			*out = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/*
 * 6.8's memmap_on_memory_store: 1 needs the memory_hotplug parameter
 * (EOPNOTSUPP), and kmem reads the value when it binds, so a change
 * while it holds the device is refused (EBUSY); the same value is fine.
 */
static int store_memmap(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_device *dev = dev_of(node);
	bool v;
	int rc;

	rc = parse_kstrtobool(buf, &v);
	if (rc)
		return rc;
	if (v && !sim.memmap_param)
		return -EOPNOTSUPP;
	if (v != dev->memmap_on_memory && dev->driver &&
	    strcmp(dev->driver->name, "kmem") == 0)
		return -EBUSY;
	dev->memmap_on_memory = v;
	return 0;
}

static const struct vfs_attr_ops size_rw_ops = { .show = show_size,
						  .store = store_size };
static const struct vfs_attr_ops size_ro_ops = { .show = show_size };
static const struct vfs_attr_ops align_rw_ops = { .show = show_align,
						   .store = store_align };
static const struct vfs_attr_ops align_ro_ops = { .show = show_align };
static const struct vfs_attr_ops mapping_ops = { .store = store_mapping };
static const struct vfs_attr_ops resource_ops = { .show = show_resource };
static const struct vfs_attr_ops dev_ops = { .show = show_dev };
static const struct vfs_attr_ops uevent_ops = { .show = show_uevent,
						 .store = store_uevent };
static const struct vfs_attr_ops node_ops = { .show = show_node };
static const struct vfs_attr_ops memmap_ops = { .show = show_memmap,
						 .store = store_memmap };

static int alloc_minor(void)
{
	int w, b;

	for (w = 0;; w++) {
		if (w == sim.nr_minor_words) {
			sim.minor_used = realloc(sim.minor_used,
						 (size_t)(w + 16) * sizeof(uint64_t));
			if (!sim.minor_used)
				model_die("out of memory");
			memset(sim.minor_used + w, 0, 16 * sizeof(uint64_t));
			sim.nr_minor_words = w + 16;
		}
		if (sim.minor_used[w] == ~0ULL)
			continue;
		for (b = 0; b < 64; b++)
			if (!(sim.minor_used[w] & (1ULL << b))) {
				sim.minor_used[w] |= 1ULL << b;
				return w * 64 + b;
			}
	}
}

static void free_minor(int minor)
{
	sim.minor_used[minor / 64] &= ~(1ULL << (minor % 64));
}

struct sim_device *device_add(struct sim_region *r, int id)
{
	struct sim_device *dev;
	struct vfs_node *dir;
	char devt[32];

	if (id >= r->nr_device_slots) {
		int n = id + 16;

		r->devices = realloc(r->devices, (size_t)n * sizeof(*r->devices));
		if (!r->devices)
			model_die("out of memory");
		memset(r->devices + r->nr_device_slots, 0,
		       (size_t)(n - r->nr_device_slots) * sizeof(*r->devices));
		r->nr_device_slots = n;
	}
	if (r->devices[id])
		model_die("device dax%d.%d exists twice", r->id, id);
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		model_die("out of memory");
	dev->region = r;
	dev->id = id;
	dev->align = r->align;
	dev->minor = alloc_minor();
	snprintf(dev->name, sizeof(dev->name), "dax%d.%d", r->id, id);
	r->devices[id] = dev;

	dir = r->class_model ? vfs_child(r->parent, "dax") : r->parent;
	dev->dir = mkdir_node(dir, dev->name, dev);
	/* /sys/dev/char/M:m leads from a /dev node to the device */
	if (!sim.dev_char)
		sim.dev_char = vfs_mkdir_p(sim.sys, "dev/char");
	snprintf(devt, sizeof(devt), "%d:%d", DAX_MAJOR, dev->minor);
	dev->devt_link = mklink(sim.dev_char, devt, dev->dir);
	mkattr(dev->dir, "dev", 0444, &dev_ops, dev);
	mkattr(dev->dir, "uevent", 0644, &uevent_ops, dev);
	/*
	 * devtmpfs makes the node as the kernel adds the device (its dev_t
	 * is set before device_add()), bound or not: a regular file stands
	 * for the character device here
	 */
	if (!fault_no_devnode(dev->name))
		dev->devnode = mkconst(sim.dev_dir, dev->name, 0600, "");
	if (r->class_model) {
		mkattr(dev->dir, "size", 0444, &size_ro_ops, dev);
		mklink(dev->dir, "subsystem", sim.class_dax);
		dev->bus_link = mklink(sim.class_dax, dev->name, dev->dir);
		return dev;
	}
	mkconst(dev->dir, "modalias", 0444, "dax:t0");
	mkattr(dev->dir, "numa_node", 0444, &node_ops, dev);
	if (r->target_node >= 0)
		mkattr(dev->dir, "target_node", 0444, &node_ops, dev);
	mkattr(dev->dir, "size", r->dynamic ? 0644 : 0444,
	       r->dynamic ? &size_rw_ops : &size_ro_ops, dev);
	mkattr(dev->dir, "align", r->dynamic ? 0644 : 0444,
	       r->dynamic ? &align_rw_ops : &align_ro_ops, dev);
	if (r->dynamic)
		mkattr(dev->dir, "mapping", 0200, &mapping_ops, dev);
	mkattr(dev->dir, "resource", 0400, &resource_ops, dev);
	if (sim.kernel.dev_state)
		dev_state_add(dev);
	if (sim.kernel.dev_memmap_on_memory) {
		/*
		 * dax_cxl asks for it for the device it makes with the
		 * region; hmem, pmem and dax_region/create do not (as
		 * recorded on 6.12: test/fixtures/kernel-6.12-cxl-10-created)
		 */
		dev->memmap_on_memory = r->kind == REGION_CXL && id == 0;
		mkattr(dev->dir, "memmap_on_memory", 0644, &memmap_ops, dev);
	}
	mklink(dev->dir, "subsystem", vfs_parent(sim.bus_devices));
	dev->bus_link = mklink(sim.bus_devices, dev->name, dev->dir);
	return dev;
}

void device_delete(struct sim_device *dev)
{
	struct sim_region *r = dev->region;

	vfs_remove(dev->bus_link);
	vfs_remove(dev->devt_link);
	if (dev->devnode)
		vfs_remove(dev->devnode);
	vfs_remove(dev->dir);
	free_minor(dev->minor);
	r->devices[dev->id] = NULL;
	free(dev->ranges);
	free(dev);
}
