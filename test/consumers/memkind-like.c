// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A consumer in the style of memkind's KMEM-DAX detection: the NUMA nodes
 * that device-dax memory joined as system RAM are the target nodes of the
 * devices bound to kmem, and "bound to kmem" is daxctl_dev_get_memory()
 * returning non-NULL. Prints each such node once, in ascending order, one
 * per line; nothing when there is none.
 *
 * memkind supports libdaxctl versions whose header lacks the _safe
 * iterators, so it supplies them when missing; so does this program, with
 * the same names and argument order, which the header must keep for such
 * code to keep compiling. Exit status: 0 (also when no node is found), 2
 * on error.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <daxctl/libdaxctl.h>

#ifndef daxctl_region_foreach_safe
#define daxctl_region_foreach_safe(ctx, region, _region)                     \
	for (region = daxctl_region_get_first(ctx),                           \
	     _region = region ? daxctl_region_get_next(region) : NULL;       \
	     region;                                                          \
	     region = _region,                                                \
	     _region = _region ? daxctl_region_get_next(_region) : NULL)
#endif

#ifndef daxctl_dev_foreach_safe
#define daxctl_dev_foreach_safe(region, dev, _dev)                           \
	for (dev = daxctl_dev_get_first(region),                              \
	     _dev = dev ? daxctl_dev_get_next(dev) : NULL;                   \
	     dev;                                                             \
	     dev = _dev, _dev = _dev ? daxctl_dev_get_next(_dev) : NULL)
#endif

/* as many nodes as the kernel's largest NODES_SHIFT allows */
#define MAX_NODES 1024
#define BITS_PER_WORD (sizeof(unsigned long) * CHAR_BIT)

#define NODE_BIT(node) (1UL << ((node) % BITS_PER_WORD))

static unsigned long nodes[MAX_NODES / BITS_PER_WORD];

static void node_set(int node)
{
	nodes[node / BITS_PER_WORD] |= NODE_BIT(node);
}

static int node_isset(int node)
{
	return !!(nodes[node / BITS_PER_WORD] & NODE_BIT(node));
}

int main(void)
{
	struct daxctl_region *region, *_region;
	struct daxctl_dev *dev, *_dev;
	struct daxctl_ctx *ctx;
	int node, rc;

	rc = daxctl_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "memkind-like: daxctl_new: %s\n",
			strerror(-rc));
		return 2;
	}

	daxctl_region_foreach_safe(ctx, region, _region) {
		daxctl_dev_foreach_safe(region, dev, _dev) {
			if (!daxctl_dev_get_memory(dev))
				continue;
			node = daxctl_dev_get_target_node(dev);
			/* kmem refuses devices without one; be defensive */
			if (node < 0 || node >= MAX_NODES) {
				fprintf(stderr, "memkind-like: %s: node %d ignored\n",
					daxctl_dev_get_devname(dev), node);
				continue;
			}
			node_set(node);
		}
	}
	daxctl_unref(ctx);

	for (node = 0; node < MAX_NODES; node++)
		if (node_isset(node))
			printf("%d\n", node);
	return 0;
}
