// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxctl create-device: carve a new device out of a dynamic region (hmem,
 * CXL), give it a size (or the exact ranges of an --input layout) and bind
 * it to device_dax. A failure at any step deletes what this run created,
 * so no half-made device is left behind.
 *
 * The device used is the region's seed when it has one (a 0-size device
 * the kernel keeps ready); otherwise a new one is requested. The reference
 * always requests one and then configures the seed, which leaves the new
 * device unused when a seed already existed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/action.h"
#include "daxctl/builtin.h"
#include "daxctl/filter.h"
#include "daxctl/input.h"
#include "daxctl/intent.h"
#include "daxctl/size-option.h"
#include "daxctl/wait.h"

struct create_opts {
	struct size_option size, align;
	const char *input;
	struct device_input layout;
	bool have_layout;
	struct wait_opt wait;
};

/* Take back what this run did to @dev. */
static enum rollback undo_create(struct action *a, struct daxctl_region *region,
				 struct daxctl_dev *dev, bool created)
{
	int rc = 0;

	intent_end(dev);
	if (daxctl_dev_is_enabled(dev))
		rc = daxctl_dev_disable(dev);
	if (rc == 0 && daxctl_dev_get_size(dev))
		rc = daxctl_dev_set_size(dev, 0);
	if (rc == 0 && created)
		rc = daxctl_region_destroy_dev(region, dev);
	if (rc < 0) {
		action_left(a, "left behind with size %llu: cleaning up failed: %s (remove it with daxctl destroy-device -f %s)",
			    daxctl_dev_get_size(dev), strerror(-rc),
			    daxctl_dev_get_devname(dev));
		return ROLLBACK_INCOMPLETE;
	}
	return ROLLBACK_RESTORED;
}

static int size_the_device(struct create_opts *o, struct daxctl_dev *dev,
			   unsigned long long size)
{
	int i, rc;

	if (!o->have_layout)
		return daxctl_dev_set_size(dev, size);
	for (i = 0; i < o->layout.nr_ranges; i++) {
		rc = daxctl_dev_set_mapping(dev, o->layout.ranges[i].start,
					    o->layout.ranges[i].end);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int create_in(struct action *a, struct daxctl_region *region)
{
	struct create_opts *o = a->priv;
	unsigned long long avail, size;
	struct daxctl_dev *dev;
	struct result *res;
	bool created = false;
	enum rollback rb;
	char name[32];
	int rc, id = daxctl_region_get_id(region);

	snprintf(name, sizeof(name), "region%d", id);
	res = action_result_new(a, name, id);
	if (!res)
		return -ENOMEM;
	if (action_interrupted())
		return action_fail(a, -EINTR, ROLLBACK_NONE,
				   "not started: interrupted");
	avail = daxctl_region_get_available_size(region);
	size = o->have_layout ? o->layout.size :
	       o->size.set ? o->size.value : avail;
	if (avail == 0)
		return action_fail(a, -ENOSPC, ROLLBACK_NONE,
				   "no space available in the region");
	if (size == 0)
		return action_fail(a, -EINVAL, ROLLBACK_NONE,
				   "a device of size 0 is not a device: give -s a positive size");
	if (size > avail)
		return action_fail(a, -ENOSPC, ROLLBACK_NONE,
				   "%llu bytes requested, %llu available", size,
				   avail);

	dev = daxctl_region_get_dev_seed(region);
	if (!dev) {
		rc = daxctl_region_create_dev(region);
		if (rc < 0)
			return action_fail_lib(a, rc, ROLLBACK_NONE,
					       "failed to create a device");
		dev = daxctl_region_get_dev_seed(region);
		if (!dev)
			return action_fail(a, -ENOSPC, ROLLBACK_NONE,
					   "the kernel made no new device");
		created = true;
	}
	snprintf(res->name, sizeof(res->name), "%s",
		 daxctl_dev_get_devname(dev));
	action_verbose(a, "%s", created ? "created" : "using the region's seed");
	/*
	 * The record is of the empty device: a killed run leaves one,
	 * which the next run of a command on it takes back to empty (a
	 * new empty device that was never recorded is a seed, as the
	 * kernel keeps one anyway).
	 */
	if (!daxctl_get_dry_run(a->ctx)) {
		rc = intent_begin(a, dev);
		if (rc < 0) {
			rb = undo_create(a, region, dev, created);
			return action_fail(a, rc, rb,
					   "cannot write its intent record: %s",
					   strerror(-rc));
		}
	}

	if (o->align.set || o->have_layout) {
		unsigned long align = (unsigned long)(o->align.set ?
					o->align.value : o->layout.align);

		rc = daxctl_dev_set_align(dev, align);
		if (rc < 0) {
			rb = undo_create(a, region, dev, created);
			return action_fail_libf(a, rc, rb, NULL,
						"failed to set the alignment to %lu",
						align);
		}
	}
	rc = size_the_device(o, dev, size);
	if (rc < 0) {
		rb = undo_create(a, region, dev, created);
		return action_fail_libf(a, rc, rb,
				   rc == -ENOMEM ? " (a range is not free in the region)" :
				   rc == -EINVAL || rc == -ENXIO ? " (not a multiple of the alignment)" :
				   NULL, "failed to %s",
				   o->have_layout ? "add the ranges of the input" :
						    "set the size");
	}
	rc = daxctl_dev_enable_devdax(dev);
	if (rc < 0) {
		rb = undo_create(a, region, dev, created);
		return action_fail_lib(a, rc, rb, "failed to enable");
	}
	intent_end(dev);
	wait_for_device(a, dev, &o->wait);
	if (!daxctl_get_dry_run(a->ctx))
		res->device = json_dev(dev, &a->json);
	res->outcome = OUTCOME_CHANGED;
	return 0;
}

static int load_layout(struct create_opts *o)
{
	int rc = device_input_load("create-device", o->input, &o->layout);

	if (rc)
		return rc;
	if (o->size.set && o->size.value != o->layout.size) {
		fprintf(stderr, "create-device: --size %s differs from the size %llu in %s\n",
			o->size.arg, o->layout.size, o->input);
		device_input_free(&o->layout);
		return -EINVAL;
	}
	o->have_layout = true;
	return 0;
}

int cmd_create_device(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = {
		"daxctl create-device [<options>]", NULL
	};
	struct action_opts opts = { 0 };
	struct create_opts o = { .wait.ms = WAIT_DEFAULT_MS };
	struct action a = {
		.cmd = "create-device",
		.done = "created",
		.failed = "error creating devices",
		.prints_device = true,
		.opts = &opts,
		.priv = &o,
	};
	const struct option options[] = {
		ACTION_OPTS(&opts),
		OPT_SIZE('s', "size", &o.size,
			 "size of the device (default: all available space)"),
		OPT_SIZE('a', "align", &o.align,
			 "alignment: 4k, 2m or 1g (default: the region's)"),
		OPT_STRING(0, "input", &o.input, "file",
			   "recreate the device described by a 'list -D -M' object"),
		OPT_WAIT(&o.wait),
		OPT_END(),
	};
	struct daxctl_region *region, **match = NULL;
	char region_id[16];
	int n = 0, i, rc;

	argc = parse_options(argc, argv, options, usage, 0);
	usage_unknown_params(argc, argv, usage, options);
	action_check_region(opts.region, usage, options);
	if (o.input) {
		rc = load_layout(&o);
		if (rc)
			return rc;
		/* the layout belongs to the region it was listed from */
		if (!opts.region) {
			snprintf(region_id, sizeof(region_id), "%d",
				 o.layout.region_id);
			opts.region = region_id;
		}
	}

	rc = action_lock(&a, ctx);
	if (rc < 0) {
		device_input_free(&o.layout);
		return rc;
	}
	daxctl_region_foreach(ctx, region) {
		struct daxctl_region **v;

		if (!filter_match_region(region, opts.region) ||
		    !daxctl_region_is_dynamic(region))
			continue;
		v = realloc(match, (size_t)(n + 1) * sizeof(*v));
		if (!v) {
			free(match);
			return -ENOMEM;
		}
		match = v;
		match[n++] = region;
	}
	if (n == 0) {
		if (opts.region)
			fprintf(stderr, "create-device: no dynamic region matches '%s' (static NVDIMM and legacy regions cannot create devices)\n",
				opts.region);
		else
			fprintf(stderr, "create-device: no dynamic region (hmem or CXL) on this system\n");
		fprintf(stderr, "created 0 devices\n%s: %s\n", a.failed,
			strerror(ENXIO));
		device_input_free(&o.layout);
		return -ENXIO;
	}
	if (n > 1 && !opts.region) {
		fprintf(stderr, "  Error: several dynamic regions:");
		for (i = 0; i < n; i++)
			fprintf(stderr, "%s %d", i ? "," : "",
				daxctl_region_get_id(match[i]));
		fprintf(stderr, "; choose one with -r (or -r all for a device in each)\n");
		free(match);
		device_input_free(&o.layout);
		usage_with_options(usage, options);
	}

	action_begin(&a, ctx);
	for (i = 0; i < n; i++) {
		rc = create_in(&a, match[i]);
		if (rc == -ENOMEM)
			break;
	}
	free(match);
	device_input_free(&o.layout);
	return action_finish(&a);
}
