// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory tiers: devices/virtual/memory_tiering/memory_tierN/nodelist
 * (as recorded on 6.1:
 * test/fixtures/kernel-6.1-hmem-numa-20-sysram). A node is in a tier while it
 * has online memory, in none otherwise; a tier with no node left is gone.
 * Which tier: a node with boot RAM is DRAM (tier 4 by default), a node
 * whose memory is all kmem's takes the tier of kmem's memory type (22 by
 * default, as the real 6.1 showed: test/fixtures/kernel-6.1-hmem-numa-20-sysram
 * and -25-offline, where the tier is gone). A scenario
 * may give other ids ("memory": {"tiers": {"dram": N, "kmem": M}}).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

#define MAX_TIER_NODES 1024

static struct vfs_node *tiering;
static int dram_tier = 4, kmem_tier = 22;
static struct {
	unsigned long online, boot;	/* online blocks, of them boot RAM */
	int tier;			/* -1: in none */
} nodes[MAX_TIER_NODES];

static int show_nodelist(struct vfs_node *node, char *buf, size_t len)
{
	int tier = (int)(intptr_t)vfs_data(vfs_parent(node));
	bool in_tier[MAX_TIER_NODES];
	int i;

	for (i = 0; i < MAX_TIER_NODES; i++)
		in_tier[i] = nodes[i].tier == tier;
	return show_node_list(buf, len, in_tier, MAX_TIER_NODES);
}

static const struct vfs_attr_ops nodelist_ops = { .show = show_nodelist };

static void tier_dir_name(char *buf, size_t len, int tier)
{
	snprintf(buf, len, "memory_tier%d", tier);
}

static void tier_join(int node, int tier)
{
	char name[32];
	struct vfs_node *dir;

	nodes[node].tier = tier;
	tier_dir_name(name, sizeof(name), tier);
	if (vfs_child(tiering, name))
		return;
	dir = mkdir_node(tiering, name, (void *)(intptr_t)tier);
	mkattr(dir, "nodelist", 0444, &nodelist_ops, NULL);
}

static void tier_leave(int node)
{
	int tier = nodes[node].tier, i;
	char name[32];

	nodes[node].tier = -1;
	for (i = 0; i < MAX_TIER_NODES; i++)
		if (nodes[i].tier == tier)
			return;
	tier_dir_name(name, sizeof(name), tier);
	vfs_remove(vfs_child(tiering, name));
}

void tiers_init(int dram, int kmem)
{
	int i;

	dram_tier = dram;
	kmem_tier = kmem;
	for (i = 0; i < MAX_TIER_NODES; i++) {
		nodes[i].online = nodes[i].boot = 0;
		nodes[i].tier = -1;
	}
	tiering = sim.kernel.memory_tiering ?
			  vfs_mkdir_p(sim.sys, "devices/virtual/memory_tiering") :
			  NULL;
}

/* Block @b of node @node went online (@delta 1) or offline (-1). */
void tiers_block_changed(struct sim_block *b, int delta)
{
	int node = b->node, tier;

	if (node < 0 || node >= MAX_TIER_NODES)
		return;
	nodes[node].online += (unsigned long)(long)delta;
	if (!b->owner)
		nodes[node].boot += (unsigned long)(long)delta;
	if (!tiering)
		return;
	tier = nodes[node].online == 0 ? -1 :
	       nodes[node].boot ? dram_tier : kmem_tier;
	if (tier == nodes[node].tier)
		return;
	if (nodes[node].tier >= 0)
		tier_leave(node);
	if (tier >= 0)
		tier_join(node, tier);
}
