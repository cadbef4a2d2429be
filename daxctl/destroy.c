// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxctl destroy-device: give a device's capacity back to its dynamic
 * region and delete it. Its ranges are remembered first, so that a
 * refusal after the size was released can put the same ranges back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/action.h"
#include "daxctl/builtin.h"
#include "daxctl/memory-ops.h"

struct destroy_opts {
	int force;
};

struct saved_range {
	unsigned long long start, end;
};

/* The device's ranges in page_offset order (the library's order). */
static int save_ranges(struct daxctl_dev *dev, struct saved_range **out)
{
	struct daxctl_mapping *m;
	struct saved_range *v = NULL, *nv;
	int n = 0;

	daxctl_mapping_foreach(dev, m) {
		nv = realloc(v, (size_t)(n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		v[n].start = daxctl_mapping_get_start(m);
		v[n].end = daxctl_mapping_get_end(m);
		n++;
	}
	*out = v;
	return n;
}

static enum rollback restore(struct action *a, struct daxctl_dev *dev,
			     const char *driver, unsigned long long size,
			     struct saved_range *ranges, int nr)
{
	int i, rc = 0;

	if (daxctl_dev_get_size(dev) == 0 && size) {
		/* the same ranges if they are known, else the same size */
		for (i = 0; i < nr && rc == 0; i++)
			rc = daxctl_dev_set_mapping(dev, ranges[i].start,
						    ranges[i].end);
		if (nr == 0)
			rc = daxctl_dev_set_size(dev, size);
		if (rc < 0) {
			action_left(a, "left with size %llu (was %llu): restoring it failed: %s",
				    daxctl_dev_get_size(dev), size,
				    strerror(-rc));
			return ROLLBACK_INCOMPLETE;
		}
	}
	if (driver && (strcmp(driver, "device_dax") == 0 ||
		       strcmp(driver, "kmem") == 0)) {
		/* a kmem device is destroyed only with its memory offline */
		rc = strcmp(driver, "kmem") == 0 ?
			     kmem_rebind_offline(dev) :
			     daxctl_dev_enable_devdax(dev);
		if (rc < 0) {
			action_left(a, "left disabled: binding %s again failed",
				    driver);
			return ROLLBACK_INCOMPLETE;
		}
	} else if (driver) {
		action_left(a, "left disabled: it was bound to %s, which daxctl cannot bind again",
			    driver);
		return ROLLBACK_INCOMPLETE;
	}
	return ROLLBACK_RESTORED;
}

static int destroy_one(struct action *a, struct daxctl_dev *dev,
		       struct result *res)
{
	struct destroy_opts *o = a->priv;
	struct daxctl_region *region = daxctl_dev_get_region(dev);
	unsigned long long size = daxctl_dev_get_size(dev);
	const char *bound = daxctl_dev_get_driver(dev);
	struct saved_range *ranges = NULL;
	char driver[64] = "";
	int rc, nr;

	(void)res;
	if (!daxctl_region_is_dynamic(region))
		return action_fail(a, -EOPNOTSUPP, ROLLBACK_NONE,
				   "region %d is static: its device is an NVDIMM namespace or legacy pmem; remove that instead (ndctl destroy-namespace)",
				   daxctl_region_get_id(region));
	if (bound)
		snprintf(driver, sizeof(driver), "%s", bound);
	if (*driver && !o->force && !json_driver_known(driver))
		return action_fail(a, -ENXIO, ROLLBACK_NONE,
				   "is active, held by %s (a driver daxctl does not know), specify --force for deletion",
				   driver);
	if (*driver && !o->force)
		return action_fail(a, -ENXIO, ROLLBACK_NONE,
				   "is active, specify --force for deletion");
	if (strcmp(driver, "kmem") == 0) {
		rc = daxctl_dev_has_online_memory(dev);
		if (rc > 0)
			return action_fail(a, -EBUSY, ROLLBACK_NONE,
					   "in system-ram mode with %d memory %s online: offline %s first (daxctl offline-memory %s)",
					   rc, plural(rc, "block", "blocks"),
					   plural(rc, "it", "them"),
					   daxctl_dev_get_devname(dev));
	}
	if (daxctl_dev_get_id(dev) == 0 && size == 0 && !*driver) {
		action_note(a, "already empty (the kernel never deletes a region's device 0)");
		return 1;
	}

	nr = save_ranges(dev, &ranges);
	if (nr < 0)
		return action_fail(a, nr, ROLLBACK_NONE, "%s", strerror(-nr));
	if (*driver) {
		rc = daxctl_dev_disable(dev);
		if (rc < 0) {
			free(ranges);
			return action_fail_lib(a, rc, ROLLBACK_NONE,
					       "failed to disable");
		}
	}
	if (size) {
		rc = daxctl_dev_set_size(dev, 0);
		if (rc < 0) {
			enum rollback rb = restore(a, dev, *driver ? driver : NULL,
						   size, ranges, nr);

			free(ranges);
			return action_fail_lib(a, rc, rb,
					       "failed to release its capacity");
		}
	}
	if (daxctl_dev_get_id(dev) == 0) {
		free(ranges);
		action_note(a, "capacity released; the device itself stays (the kernel never deletes a region's device 0)");
		return 0;
	}
	rc = daxctl_region_destroy_dev(region, dev);
	if (rc < 0) {
		enum rollback rb = restore(a, dev, *driver ? driver : NULL,
					   size, ranges, nr);

		free(ranges);
		return action_fail_lib(a, rc, rb, "failed to delete");
	}
	free(ranges);
	return 0;
}

int cmd_destroy_device(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = {
		"daxctl destroy-device [<options>] <device>... | all", NULL
	};
	struct action_opts opts = { 0 };
	struct destroy_opts o = { 0 };
	struct action a = {
		.cmd = "destroy-device",
		.verb = "destroy",
		.done = "destroyed",
		.failed = "error destroying devices",
		.opts = &opts,
		.priv = &o,
		.run = destroy_one,
	};
	const struct option options[] = {
		ACTION_OPTS(&opts),
		OPT_BOOLEAN('f', "force", &o.force,
			    "disable the device first if it is enabled"),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, usage, 0);
	return action_run_devices(&a, ctx, argc, argv, usage, options);
}
