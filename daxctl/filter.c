// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/filter.h"
#include "util/strings.h"
#include "util/sysroot.h"

static bool parse_region_filter(const char *filter, int *id)
{
	if (strncmp(filter, "region", strlen("region")) == 0)
		filter += strlen("region");
	/* a sign or blanks are not part of an id */
	if (*filter < '0' || *filter > '9')
		return false;
	return parse_int(filter, id) == 0;
}

bool filter_region_valid(const char *filter)
{
	int id;

	return !filter || strcmp(filter, "all") == 0 ||
	       parse_region_filter(filter, &id);
}

bool filter_match_region(struct daxctl_region *region, const char *filter)
{
	int id;

	if (!filter || strcmp(filter, "all") == 0)
		return true;
	return parse_region_filter(filter, &id) &&
	       id == daxctl_region_get_id(region);
}

/* "X.Y" is accepted as a short form of "daxX.Y", whatever its length. */
static bool parse_dev_filter(const char *filter, int *region_id, int *id)
{
	char *name;
	bool ok;

	if (strncmp(filter, "dax", 3) == 0)
		return parse_dax_devname(filter, region_id, id);
	if (asprintf(&name, "dax%s", filter) < 0)
		return false;
	ok = parse_dax_devname(name, region_id, id);
	free(name);
	return ok;
}

bool filter_dev_valid(const char *filter)
{
	int region_id, id;

	return !filter || strcmp(filter, "all") == 0 ||
	       parse_dev_filter(filter, &region_id, &id);
}

bool filter_match_dev(struct daxctl_dev *dev, const char *filter)
{
	const char *devname = daxctl_dev_get_devname(dev);
	int region_id, id, dev_region_id, dev_id;

	if (!filter || strcmp(filter, "all") == 0)
		return true;
	if (!parse_dev_filter(filter, &region_id, &id) ||
	    !parse_dax_devname(devname, &dev_region_id, &dev_id))
		return false;
	return region_id == dev_region_id && id == dev_id;
}

const char *filter_dev_arg_name(const char *arg)
{
	const char *dev = sysroot_mountpoint(SYSROOT_DEVFS);
	size_t len = strlen(dev);

	if (strncmp(arg, dev, len) == 0 && arg[len] == '/' &&
	    strncmp(arg + len + 1, "dax", 3) == 0)
		return arg + len + 1;
	return arg;
}

bool filter_dev_arg_valid(const char *arg)
{
	const char *name = filter_dev_arg_name(arg);

	/* "X.Y" is fine, ".." or "/" in any form is not */
	if (!*name || strchr(name, '/'))
		return false;
	return filter_dev_valid(name);
}
