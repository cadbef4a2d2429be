// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory hotplug: memory blocks with their state and zone, the
 * auto-online policy, and kmem's hot-add (each range shrunk inward to
 * block alignment) and hot-remove (refused for a range with online blocks,
 * which then stays reserved until "reboot").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define FOUR_GIB (4ULL << 30)
#define DMA_END (16ULL << 20)	/* x86's ZONE_DMA: the first 16 MiB */

static const char *const zone_names[] = {
	[ZONE_NONE] = "none",
	[ZONE_DMA] = "DMA",
	[ZONE_DMA32] = "DMA32",
	[ZONE_NORMAL] = "Normal",
	[ZONE_MOVABLE] = "Movable",
};

struct sim_block *block_find(unsigned long index)
{
	return index < sim.nr_block_slots ? sim.blocks[index] : NULL;
}

static enum sim_zone kernel_zone(struct sim_block *b)
{
	return (uint64_t)b->index * sim.block_size < FOUR_GIB ? ZONE_DMA32 :
								ZONE_NORMAL;
}

/*
 * Per node, the lowest and highest online block of the kernel zones [0]
 * and of ZONE_MOVABLE [1]. Onlining only widens a span; offlining may
 * narrow it, so the node is marked for a rescan the next time it is asked.
 */
#define MAX_NODES 1024
static struct {
	unsigned long lo[2], hi[2];
	bool dirty;
} spans[MAX_NODES];

static void span_widen(struct sim_block *b)
{
	int k = b->zone == ZONE_MOVABLE;

	if (b->node < 0 || b->node >= MAX_NODES)
		return;
	if (b->index < spans[b->node].lo[k])
		spans[b->node].lo[k] = b->index;
	if (b->index > spans[b->node].hi[k])
		spans[b->node].hi[k] = b->index;
}

static void span_rescan(int node)
{
	unsigned long i;

	spans[node].lo[0] = spans[node].lo[1] = ~0UL;
	spans[node].hi[0] = spans[node].hi[1] = 0;
	spans[node].dirty = false;
	for (i = 0; i < sim.nr_block_slots; i++) {
		struct sim_block *o = sim.blocks[i];

		if (o && o->online && o->node == node)
			span_widen(o);
	}
}

/*
 * The zone "online" picks: the kernel zone, unless the block lies inside
 * (or next to) the span of its node's Movable blocks and not the kernel
 * zone's (the kernel keeps zones contiguous).
 */
static enum sim_zone default_zone(struct sim_block *b)
{
	bool in_kernel, in_movable;
	int n = b->node;

	if (n < 0 || n >= MAX_NODES)
		return kernel_zone(b);
	if (spans[n].dirty)
		span_rescan(n);
	in_kernel = spans[n].lo[0] != ~0UL && b->index + 1 >= spans[n].lo[0] &&
		    b->index <= spans[n].hi[0] + 1;
	in_movable = spans[n].lo[1] != ~0UL && b->index + 1 >= spans[n].lo[1] &&
		     b->index <= spans[n].hi[1] + 1;
	if (in_movable && !in_kernel)
		return ZONE_MOVABLE;
	return kernel_zone(b);
}

int block_set_online(struct sim_block *b, const char *how)
{
	enum sim_zone zone;

	if (b->online)
		return -EINVAL;
	if (b->online_errno)
		return -b->online_errno;
	if (strcmp(how, "online_movable") == 0)
		zone = ZONE_MOVABLE;
	else if (strcmp(how, "online_kernel") == 0)
		zone = kernel_zone(b);
	else
		zone = default_zone(b);
	b->online = true;
	b->zone = zone;
	span_widen(b);
	tiers_block_changed(b, 1);
	return 0;
}

int block_set_offline(struct sim_block *b)
{
	if (!b->online)
		return -EINVAL;
	/* memory_block_offline(): a block without a single zone stays */
	if (b->mixed_zones)
		return -EINVAL;
	if (b->offline_errno)
		return -b->offline_errno;
	b->online = false;
	b->zone = ZONE_NONE;
	if (b->node >= 0 && b->node < MAX_NODES)
		spans[b->node].dirty = true;
	tiers_block_changed(b, -1);
	return 0;
}

static struct sim_block *block_of(struct vfs_node *node)
{
	return vfs_data(node);
}

static int show_phys_index(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%08lx\n", block_of(node)->index);
}

static int show_state(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%s\n",
			block_of(node)->online ? "online" : "offline");
}

static int store_state(struct vfs_node *node, const char *buf, size_t len)
{
	static const char *const online[] = { "online", "online_kernel",
					      "online_movable" };
	struct sim_block *b = block_of(node);
	size_t i;

	if (sysfs_streq(buf, "offline"))
		return block_set_offline(b);
	for (i = 0; i < sizeof(online) / sizeof(online[0]); i++)
		if (sysfs_streq(buf, online[i]))
			return block_set_online(b, online[i]);
	return -EINVAL;
}

static int show_online(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", block_of(node)->online);
}

/* device_online()/device_offline() of a block already there succeed */
static int store_online(struct vfs_node *node, const char *buf, size_t len)
{
	struct sim_block *b = block_of(node);

	if (sysfs_streq(buf, "1"))
		return b->online ? 0 : block_set_online(b, "online");
	if (sysfs_streq(buf, "0"))
		return b->online ? block_set_offline(b) : 0;
	return -EINVAL;
}

static int show_valid_zones(struct vfs_node *node, char *buf, size_t len)
{
	struct sim_block *b = block_of(node);
	enum sim_zone def, kern;
	int n;

	/* an online block over two zones (ZONE_DMA's end) has none */
	if (b->online)
		return snprintf(buf, len, "%s\n", b->mixed_zones ? "none" :
					      zone_names[b->zone]);
	/* offline: the default first, then the other candidates */
	def = default_zone(b);
	kern = kernel_zone(b);
	n = snprintf(buf, len, "%s", zone_names[def]);
	if (kern != def)
		n += snprintf(buf + n, len - (size_t)n, " %s", zone_names[kern]);
	if (def != ZONE_MOVABLE)
		n += snprintf(buf + n, len - (size_t)n, " Movable");
	return n + snprintf(buf + n, len - (size_t)n, "\n");
}

static int show_removable(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", block_of(node)->removable);
}

static const struct vfs_attr_ops phys_index_ops = { .show = show_phys_index };
static const struct vfs_attr_ops state_ops = { .show = show_state,
						.store = store_state };
static const struct vfs_attr_ops online_ops = { .show = show_online,
						 .store = store_online };
static const struct vfs_attr_ops valid_zones_ops = { .show = show_valid_zones };
static const struct vfs_attr_ops removable_ops = { .show = show_removable };

static int show_auto_online(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%s\n", sim.auto_online);
}

static int store_auto_online(struct vfs_node *node, const char *buf,
			     size_t len)
{
	static const char *const policies[] = { "offline", "online",
						"online_kernel",
						"online_movable" };
	size_t i;

	for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		if (sysfs_streq(buf, policies[i])) {
			snprintf(sim.auto_online, sizeof(sim.auto_online), "%s",
				 policies[i]);
			return 0;
		}
	}
	return -EINVAL;
}

static int show_block_size(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%llx\n", (unsigned long long)sim.block_size);
}

static const struct vfs_attr_ops auto_online_ops = {
	.show = show_auto_online, .store = store_auto_online
};
static const struct vfs_attr_ops block_size_ops = { .show = show_block_size };

/* Node masks: online, possible, has_memory, has_normal_memory, has_cpu */
static int show_node_mask(struct vfs_node *node, char *buf, size_t len)
{
	const char *which = vfs_name(node);
	bool want[1024] = { false };
	int i;
	unsigned long b;

	for (i = 0; i < 1024; i++) {
		char name[16];

		snprintf(name, sizeof(name), "node%d", i);
		if (!vfs_child(sim.node_dir, name))
			continue;
		if (!strcmp(which, "possible"))
			want[i] = true;
		/*
		 * a node is online while it has CPUs or memory blocks: a
		 * memory-only node (CXL, HBM) comes online when kmem adds its
		 * first block (seen on 6.12, test/kernel/README.md)
		 */
		if (!strcmp(which, "has_cpu") || !strcmp(which, "online"))
			want[i] = vfs_child(vfs_child(sim.node_dir, name),
					    "cpu0") != NULL || i == 0;
	}
	for (b = 0; b < sim.nr_block_slots; b++) {
		struct sim_block *blk = sim.blocks[b];

		if (blk && !strcmp(which, "online") && blk->node >= 0 &&
		    blk->node < 1024)
			want[blk->node] = true;

		if (!blk || !blk->online || blk->node < 0 || blk->node >= 1024)
			continue;
		if (!strcmp(which, "has_memory"))
			want[blk->node] = true;
		if (!strcmp(which, "has_normal_memory") &&
		    blk->zone != ZONE_MOVABLE)
			want[blk->node] = true;
	}
	return show_node_list(buf, len, want, 1024);
}

static const struct vfs_attr_ops node_mask_ops = { .show = show_node_mask };

void memory_init(uint64_t block_size, const char *auto_online)
{
	static const char *const masks[] = { "online", "possible",
					     "has_memory",
					     "has_normal_memory", "has_cpu" };
	size_t i;

	for (i = 0; i < MAX_NODES; i++) {
		spans[i].lo[0] = spans[i].lo[1] = ~0UL;
		spans[i].hi[0] = spans[i].hi[1] = 0;
	}
	sim.block_size = block_size;
	snprintf(sim.auto_online, sizeof(sim.auto_online), "%s", auto_online);
	sim.memory_dir = vfs_mkdir_p(sim.sys, "devices/system/memory");
	mkattr(sim.memory_dir, "block_size_bytes", 0444, &block_size_ops, NULL);
	mkattr(sim.memory_dir, "auto_online_blocks", 0644, &auto_online_ops,
	       NULL);
	sim.node_dir = vfs_mkdir_p(sim.sys, "devices/system/node");
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		mkattr(sim.node_dir, masks[i], 0444, &node_mask_ops, NULL);
}

/*
 * /sys/module/memory_hotplug/parameters/memmap_on_memory, a boot
 * parameter (read-only at run time): Y or N. Debian's kernels boot with
 * it off; the kernel tier's kind memmap-on-memory turns it on.
 */
void memory_set_memmap_param(bool on)
{
	struct vfs_node *dir;

	sim.memmap_param = on;
	dir = vfs_mkdir_p(sim.sys, "module/memory_hotplug/parameters");
	mkconst(dir, "memmap_on_memory", 0444, on ? "Y" : "N");
}

void memory_add_node(int node)
{
	char name[32];

	snprintf(name, sizeof(name), "node%d", node);
	if (!vfs_child(sim.node_dir, name))
		mkdir_node(sim.node_dir, name, NULL);
}

struct sim_block *block_add(unsigned long index, int node,
			    struct sim_device *owner)
{
	struct vfs_node *node_dir;
	struct sim_block *b;
	char name[32];

	if (index >= sim.nr_block_slots) {
		unsigned long n = index + 1024;

		sim.blocks = realloc(sim.blocks, n * sizeof(*sim.blocks));
		if (!sim.blocks)
			model_die("out of memory");
		memset(sim.blocks + sim.nr_block_slots, 0,
		       (n - sim.nr_block_slots) * sizeof(*sim.blocks));
		sim.nr_block_slots = n;
	}
	if (sim.blocks[index])
		model_die("memory block %lu exists twice", index);
	if (node < 0 || node >= MAX_NODES)
		model_die("node %d out of range", node);
	b = calloc(1, sizeof(*b));
	if (!b)
		model_die("out of memory");
	b->index = index;
	b->node = node;
	b->removable = true;
	b->owner = owner;
	fault_apply_block(b);
	sim.blocks[index] = b;

	memory_add_node(node);
	snprintf(name, sizeof(name), "node%d", node);
	node_dir = vfs_child(sim.node_dir, name);
	snprintf(name, sizeof(name), "memory%lu", index);
	b->dir = mkdir_node(sim.memory_dir, name, b);
	mkattr(b->dir, "phys_index", 0444, &phys_index_ops, b);
	mkattr(b->dir, "state", 0644, &state_ops, b);
	mkattr(b->dir, "online", 0644, &online_ops, b);
	mkattr(b->dir, "valid_zones", 0444, &valid_zones_ops, b);
	mkattr(b->dir, "removable", 0444, &removable_ops, b);
	mkconst(b->dir, "phys_device", 0444, "0");
	snprintf(name, sizeof(name), "node%d", node);
	mklink(b->dir, name, node_dir);
	snprintf(name, sizeof(name), "memory%lu", index);
	b->node_link = mklink(node_dir, name, b->dir);
	return b;
}

void block_remove(struct sim_block *b)
{
	if (b->online)
		tiers_block_changed(b, -1);
	vfs_remove(b->node_link);
	vfs_remove(b->dir);
	sim.blocks[b->index] = NULL;
	free(b);
}

/*
 * Boot memory: online blocks in the kernel zone; on x86 the first 16 MiB
 * are ZONE_DMA, so with larger blocks the first block has no single zone.
 */
void memory_add_ram(int node, uint64_t start, uint64_t size)
{
	unsigned long first = start / sim.block_size;
	unsigned long last = (start + size) / sim.block_size;
	unsigned long i;

	sim.ram = realloc(sim.ram, (size_t)(sim.nr_ram + 1) * sizeof(*sim.ram));
	if (!sim.ram)
		model_die("out of memory");
	sim.ram[sim.nr_ram].start = start;
	sim.ram[sim.nr_ram].end = start + size - 1;
	sim.nr_ram++;
	for (i = first; i < last; i++) {
		struct sim_block *b = block_add(i, node, NULL);
		uint64_t b_start = (uint64_t)i * sim.block_size;

		b->online = true;
		b->zone = kernel_zone(b);
		if (b_start + sim.block_size <= DMA_END)
			b->zone = ZONE_DMA;
		else if (b_start < DMA_END)
			b->mixed_zones = true;
		span_widen(b);
		tiers_block_changed(b, 1);
	}
}

/* The whole blocks inside [start, end]: kmem's hot-add window. */
static bool kmem_blocks(const struct sim_range *r, unsigned long *first,
			unsigned long *count)
{
	uint64_t bs = sim.block_size;
	uint64_t lo = (r->start + bs - 1) / bs, hi = (r->end + 1) / bs;

	if (hi <= lo)
		return false;
	*first = (unsigned long)lo;
	*count = (unsigned long)(hi - lo);
	return true;
}

/*
 * The same window as addresses (dax_kmem_range()): what kmem reserves in
 * /proc/iomem under the device's name and adds as System RAM.
 */
bool kmem_window(const struct sim_range *r, uint64_t *start, uint64_t *end)
{
	unsigned long first, count;

	if (!kmem_blocks(r, &first, &count))
		return false;
	*start = (uint64_t)first * sim.block_size;
	*end = (uint64_t)(first + count) * sim.block_size - 1;
	return true;
}

/*
 * A device-level write changes each block as a write to its own state file
 * would, and the scenario's write faults for that file apply to it too,
 * so that one fault rule hits the per-block and the device-level path at
 * the same block (an injection of the emulator; the kernel has none).
 */
static int block_write_fault(struct sim_block *b)
{
	return fault_check_write(vfs_child(b->dir, "state"));
}

/*
 * Add the device's blocks and online each as @how says ("offline" leaves
 * them offline). With @stop, the first block that refuses to go online
 * ends the onlining with its errno (the blocks all stay added); without,
 * a refusing block just stays offline, as with the auto-online policy.
 */
static int kmem_add_blocks(struct sim_device *dev, const char *how, bool stop)
{
	unsigned long first, count, b;
	bool any = false;
	int i, rc = 0;

	if (dev->region->target_node < 0)
		return -EINVAL;	/* "rejecting DAX region with invalid node" */
	for (i = 0; i < dev->nr_ranges; i++) {
		if (!kmem_blocks(&dev->ranges[i], &first, &count))
			continue;
		any = true;
		for (b = first; b < first + count; b++)
			if (block_find(b))
				return -EBUSY;
	}
	if (!any)
		return -EINVAL;	/* "without any memory after alignment" */
	for (i = 0; i < dev->nr_ranges; i++) {
		if (!kmem_blocks(&dev->ranges[i], &first, &count))
			continue;
		for (b = first; b < first + count; b++) {
			struct sim_block *blk;

			blk = block_add(b, dev->region->target_node, dev);
			if ((!rc || !stop) && strcmp(how, "offline") != 0)
				rc = (stop ? block_write_fault(blk) : 0) ?:
				     block_set_online(blk, how);
		}
	}
	dev->kmem_added = true;
	return rc;
}

int kmem_add_memory(struct sim_device *dev)
{
	int rc = kmem_add_blocks(dev, sim.auto_online, false);

	/* the auto-online policy's refusals leave blocks offline, no error */
	return dev->kmem_added ? 0 : rc;
}

void kmem_remove_memory(struct sim_device *dev)
{
	unsigned long first, count, b;
	int i;

	for (i = 0; i < dev->nr_ranges; i++) {
		bool busy = false;

		if (!kmem_blocks(&dev->ranges[i], &first, &count))
			continue;
		for (b = first; b < first + count; b++)
			if (block_find(b) && block_find(b)->online)
				busy = true;
		if (busy) {
			/* "cannot be hotremoved until the next reboot" */
			sim.leaked = realloc(sim.leaked,
					     (size_t)(sim.nr_leaked + 1) *
						     sizeof(*sim.leaked));
			if (!sim.leaked)
				model_die("out of memory");
			kmem_window(&dev->ranges[i],
				    &sim.leaked[sim.nr_leaked].start,
				    &sim.leaked[sim.nr_leaked].end);
			snprintf(sim.leaked[sim.nr_leaked].name,
				 sizeof(sim.leaked[sim.nr_leaked].name), "%s",
				 dev->name);
			for (b = first; b < first + count; b++)
				if (block_find(b))
					block_find(b)->owner = NULL;
			fprintf(stderr,
				"daxsim: %s: mapping%d: %#llx-%#llx cannot be hotremoved until the next reboot\n",
				dev->name, i,
				(unsigned long long)sim.leaked[sim.nr_leaked].start,
				(unsigned long long)sim.leaked[sim.nr_leaked].end);
			sim.nr_leaked++;
			continue;
		}
		for (b = first; b < first + count; b++)
			if (block_find(b))
				block_remove(block_find(b));
	}
	dev->kmem_added = false;
}

/*
 * DEV/state, the device-level memory state of a kmem device, as the
 * kernel's ABI document for the dax bus describes it (newer than any
 * kernel the VM tier runs). Which behaviours come from that document and
 * which are the emulator's choice where it says nothing is listed in
 * test/daxsim/README.md ("Device-level memory state").
 */
static bool dev_is_kmem(struct sim_device *dev)
{
	return dev->driver && strcmp(dev->driver->name, "kmem") == 0;
}

/* Call @fn for each block kmem added for @dev; stop at an error. */
static int dev_for_each_block(struct sim_device *dev,
			      int (*fn)(struct sim_block *b, void *arg),
			      void *arg)
{
	unsigned long first, count, b;
	int i, rc;

	for (i = 0; i < dev->nr_ranges; i++) {
		if (!kmem_blocks(&dev->ranges[i], &first, &count))
			continue;
		for (b = first; b < first + count; b++) {
			struct sim_block *blk = block_find(b);

			if (!blk || blk->owner != dev)
				continue;
			rc = fn(blk, arg);
			if (rc)
				return rc;
		}
	}
	return 0;
}

struct dev_state_count {
	int offline, movable, kernel;
};

static int count_block(struct sim_block *b, void *arg)
{
	struct dev_state_count *c = arg;

	if (!b->online)
		c->offline++;
	else if (b->zone == ZONE_MOVABLE)
		c->movable++;
	else
		c->kernel++;
	return 0;
}

const char *dev_memory_state(struct sim_device *dev)
{
	struct dev_state_count c = { 0, 0, 0 };

	if (!dev->kmem_added)
		return "unplugged";
	dev_for_each_block(dev, count_block, &c);
	/* any offline block: the device is not online (emulator's choice) */
	if (c.offline || (!c.movable && !c.kernel))
		return "offline";
	if (!c.kernel)
		return "online_movable";
	if (!c.movable)
		return "online_kernel";
	return "online";
}

static int show_dev_state(struct vfs_node *node, char *buf, size_t len)
{
	struct sim_device *dev = vfs_data(node);

	if (!dev_is_kmem(dev))
		return -ENXIO;
	return snprintf(buf, len, "%s\n", dev_memory_state(dev));
}

static int offline_one(struct sim_block *b, void *arg)
{
	(void)arg;
	if (!b->online)
		return 0;
	return block_write_fault(b) ?: block_set_offline(b);
}

static int store_dev_state(struct vfs_node *node, const char *buf,
			   size_t len)
{
	static const char *const online[] = { "online", "online_kernel",
					      "online_movable" };
	struct sim_device *dev = vfs_data(node);
	size_t i;
	int rc;

	(void)len;
	if (!dev_is_kmem(dev))
		return -ENXIO;
	if (sysfs_streq(buf, "unplugged")) {
		if (!dev->kmem_added)
			return 0;
		/* offline every block, then remove them all, or stop */
		rc = dev_for_each_block(dev, offline_one, NULL);
		if (rc)
			return rc;
		kmem_remove_memory(dev);
		return 0;
	}
	for (i = 0; i < sizeof(online) / sizeof(online[0]); i++) {
		if (!sysfs_streq(buf, online[i]))
			continue;
		/* onlining only from unplugged */
		if (dev->kmem_added)
			return -EBUSY;
		return kmem_add_blocks(dev, online[i], true);
	}
	/* "offline" cannot be written; anything else is no state */
	return -EINVAL;
}

static const struct vfs_attr_ops dev_state_ops = { .show = show_dev_state,
						    .store = store_dev_state };

void dev_state_add(struct sim_device *dev)
{
	mkattr(dev->dir, "state", 0644, &dev_state_ops, dev);
}
