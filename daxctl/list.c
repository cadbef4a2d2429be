// SPDX-License-Identifier: GPL-2.0-or-later
/* daxctl list: regions, devices and mappings as JSON. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/builtin.h"
#include "daxctl/filter.h"
#include "daxctl/intent.h"
#include "daxctl/json.h"
#include "daxctl/list.h"
#include "daxctl/parse-options.h"

static bool dev_listed(struct daxctl_dev *dev, struct list_params *p)
{
	const char *name = p->dev ? filter_dev_arg_name(p->dev) : NULL;

	if (!filter_match_dev(dev, name))
		return false;
	/* idle (0-size) devices only on request */
	if (p->idle || daxctl_dev_get_size(dev) != 0)
		return true;
	p->idle_skipped++;
	return false;
}

static struct json_object *region_devices(struct daxctl_region *region,
					  struct list_params *p,
					  struct json_opts *opts)
{
	struct json_object *arr = NULL;
	struct daxctl_dev *dev;

	daxctl_dev_foreach(region, dev) {
		if (!dev_listed(dev, p))
			continue;
		if (!arr && !(arr = json_object_new_array()))
			return NULL;
		json_object_array_add(arr, json_dev(dev, opts));
	}
	return arr;
}

static void note_hidden(unsigned int hidden)
{
	char what[256];

	if (!hidden)
		return;
	json_hidden_describe(hidden, what, sizeof(what));
	fprintf(stderr, "note: %s: omitted %s\n",
		geteuid() ? "not root" : "permission denied", what);
}

static bool is_filter(const char *filter)
{
	return filter && strcmp(filter, "all") != 0;
}

/* An empty answer to a filtered question deserves a word on stderr. */
static void note_no_match(const struct list_params *p)
{
	if (is_filter(p->region) && is_filter(p->dev))
		fprintf(stderr, "note: nothing matches region '%s' and device '%s'\n",
			p->region, p->dev);
	else if (is_filter(p->region))
		fprintf(stderr, "note: nothing matches region '%s'\n", p->region);
	else if (is_filter(p->dev))
		fprintf(stderr, "note: nothing matches device '%s'%s\n", p->dev,
			p->idle_skipped ? " (it is idle: add -i)" : "");
}

static int list_run(struct daxctl_ctx *ctx, struct list_params *p)
{
	struct json_opts opts = { .human = p->human, .mappings = p->mappings,
				  .interrupted = intent_pending };
	struct daxctl_region *region;
	struct json_object *top;
	int rc;

	/* region paths carry the library's system root */
	opts.root = ctx_root_prefix(ctx);
	top = json_object_new_array();
	if (!top)
		return -ENOMEM;
	daxctl_region_foreach(ctx, region) {
		struct json_object *robj, *devs;
		struct daxctl_dev *dev;

		if (!filter_match_region(region, p->region))
			continue;
		if (!p->regions) {
			daxctl_dev_foreach(region, dev)
				if (dev_listed(dev, p))
					json_object_array_add(top,
							      json_dev(dev, &opts));
			continue;
		}
		robj = json_region(region, &opts);
		if (!robj)
			continue;
		if (p->devs) {
			devs = region_devices(region, p, &opts);
			if (devs)
				json_object_object_add(robj, "devices", devs);
		}
		json_object_array_add(top, robj);
	}
	if (json_object_array_length(top) == 0)
		note_no_match(p);
	rc = json_print(stdout, top);
	json_object_put(top);
	intent_pending_free();
	note_hidden(opts.hidden);
	return rc;
}

int list_parse_args(int argc, const char **argv, struct list_params *p)
{
	static const char * const usage[] = { "daxctl list [<options>]", NULL };
	const struct option options[] = {
		OPT_STRING('r', "region", &p->region, "region-id",
			   "only regions with this id (N, regionN or all)"),
		OPT_STRING('d', "dev", &p->dev, "dev-id",
			   "only this device (daxX.Y, X.Y, /dev/daxX.Y or all)"),
		OPT_BOOLEAN('D', "devices", &p->devs, "show devices"),
		OPT_BOOLEAN('R', "regions", &p->regions, "show regions"),
		OPT_BOOLEAN('M', "mappings", &p->mappings,
			    "show the physical ranges of each device"),
		OPT_BOOLEAN('i', "idle", &p->idle,
			    "also show idle (0-size) devices"),
		OPT_BOOLEAN('u', "human", &p->human,
			    "sizes in IEC/SI units, addresses in hex"),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, usage, 0);
	usage_unknown_params(argc, argv, usage, options);
	if (!filter_region_valid(p->region)) {
		fprintf(stderr, "  Error: invalid region '%s': expected an id, "
			"regionN or all\n", p->region);
		usage_with_options(usage, options);
	}
	if (p->dev && !filter_dev_arg_valid(p->dev)) {
		fprintf(stderr, "  Error: invalid device '%s': expected daxX.Y, "
			"X.Y, /dev/daxX.Y or all\n", p->dev);
		usage_with_options(usage, options);
	}
	return argc;
}

int cmd_list(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	struct list_params p = { 0 };

	list_parse_args(argc, argv, &p);

	/*
	 * What to show: a region filter alone asks for regions, a device
	 * filter alone for devices, both for regions with their devices;
	 * with nothing selected, devices (-M alone included).
	 */
	if (!p.regions && !p.devs) {
		p.regions = p.region != NULL;
		p.devs = p.dev != NULL;
	}
	if (!p.regions && !p.devs)
		p.devs = 1;
	return list_run(ctx, &p);
}
