// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/iomem as the kernel shows it to root, from the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct line {
	uint64_t start, end;
	int depth;
	char name[48];
};

struct lines {
	struct line *v;
	int n;
	size_t used;
};

static void add(struct lines *l, uint64_t start, uint64_t end, int depth,
		const char *name)
{
	l->v = realloc(l->v, (size_t)(l->n + 1) * sizeof(*l->v));
	if (!l->v)
		model_die("out of memory");
	l->v[l->n].start = start;
	l->v[l->n].end = end;
	l->v[l->n].depth = depth;
	snprintf(l->v[l->n].name, sizeof(l->v[l->n].name), "%s", name);
	l->n++;
}

static int line_cmp(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->depth - y->depth;
}

static void add_region(struct lines *l, struct sim_region *r)
{
	char name[48];
	int i, j, depth = 1;

	if (r->kind == REGION_HMEM && !sim.kernel.iomem_hmem) {
		/* 6.12: no hmem.N entry, the devices under Soft Reserved */
		add(l, r->start, r->end, 0, "Soft Reserved");
	} else if (r->kind == REGION_CXL) {
		/* the window, the CXL region in it (seen on 6.12) */
		add(l, r->start, r->start + r->window - 1, 0, "CXL Window 0");
		snprintf(name, sizeof(name), "region%d", r->id);
		add(l, r->start, r->end, 1, name);
		depth = 2;
	} else if (r->kind == REGION_HMEM) {
		snprintf(name, sizeof(name), "hmem.%d", r->id);
		add(l, r->start, r->end, 0, name);
		add(l, r->start, r->end, 1, "Soft Reserved");
		depth = 2;
	} else {
		add(l, r->start, r->end, 0, r->kind == REGION_E820 ?
				"Persistent Memory (legacy)" :
				"Persistent Memory");
	}
	/*
	 * A device's ranges appear only while a driver holds them: device_dax
	 * (and any other driver but kmem) reserves each range under the
	 * device's name when it binds; kmem reserves each range's whole
	 * memory blocks under that name, with the System RAM it adds inside.
	 * Unbound devices do not show.
	 */
	for (i = 0; i < r->nr_device_slots; i++) {
		struct sim_device *d = r->devices[i];

		for (j = 0; d && d->driver && j < d->nr_ranges; j++) {
			uint64_t start, end;

			if (!d->kmem_added) {
				add(l, d->ranges[j].start, d->ranges[j].end,
				    depth, d->name);
			} else if (kmem_window(&d->ranges[j], &start, &end)) {
				add(l, start, end, depth, d->name);
				add(l, start, end, depth + 1,
				    "System RAM (kmem)");
			}
		}
	}
	/* what kmem could not hot-remove stays until reboot */
	for (i = 0; i < sim.nr_leaked; i++) {
		if (sim.leaked[i].start < r->start || sim.leaked[i].end > r->end)
			continue;
		add(l, sim.leaked[i].start, sim.leaked[i].end, depth,
		    sim.leaked[i].name);
		add(l, sim.leaked[i].start, sim.leaked[i].end, depth + 1,
		    "System RAM (kmem)");
	}
}

static int show_iomem(struct vfs_node *node, char *buf, size_t len)
{
	struct lines l = { 0 };
	struct sim_region *r;
	size_t used = 0;
	int i;

	for (i = 0; i < sim.nr_ram; i++)
		add(&l, sim.ram[i].start, sim.ram[i].end, 0, "System RAM");
	for (r = sim.regions; r; r = r->next)
		add_region(&l, r);
	qsort(l.v, (size_t)l.n, sizeof(*l.v), line_cmp);
	for (i = 0; i < l.n && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%*s%08llx-%08llx : %s\n",
				 l.v[i].depth * 2, "",
				 (unsigned long long)l.v[i].start,
				 (unsigned long long)l.v[i].end, l.v[i].name);

		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	free(l.v);
	return (int)used;
}

static const struct vfs_attr_ops iomem_ops = { .show = show_iomem };

void proc_init(void)
{
	struct vfs_node *proc = mkdir_node(sim.root, "proc", NULL);

	mkattr(proc, "iomem", 0444, &iomem_ops, NULL);
}
