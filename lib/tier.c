// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Memory tiers: which tier holds a device's target node. The kernel lists
 * each tier as devices/virtual/memory_tiering/memory_tierN with a node list
 * (nodelist, e.g. "0-1,3"); a node is in one tier at most, and in none while
 * it has no online memory (recorded on 6.1:
 * test/fixtures/kernel-6.1-hmem-numa-20-sysram and -25-offline).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libdaxctl-private.h"
#include "util/strings.h"

/* Whether the node list @list ("0-1,3", "" for none) holds @node. */
static int nodelist_has(const char *list, int node)
{
	const char *p = list;

	while (*p) {
		unsigned long lo, hi;
		char *end;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		lo = strtoul(p, &end, 10);
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			if (*p < '0' || *p > '9')
				return -EINVAL;
			hi = strtoul(p, &end, 10);
		}
		if (hi < lo || hi > INT_MAX)
			return -EINVAL;
		if ((unsigned long)node >= lo && (unsigned long)node <= hi)
			return 1;
		if (*end == ',')
			end++;
		else if (*end)
			return -EINVAL;
		p = end;
	}
	return 0;
}

static int tier_id(const char *name)
{
	unsigned long long id;

	if (strncmp(name, "memory_tier", strlen("memory_tier")) != 0)
		return -1;
	name += strlen("memory_tier");
	if (*name < '0' || *name > '9' || parse_u64(name, 10, &id) ||
	    id > INT_MAX)
		return -1;
	return (int)id;
}

DAXCTL_EXPORT int daxctl_dev_get_memory_tier(struct daxctl_dev *dev)
{
	char dir[DAX_PATH_MAX], path[DAX_PATH_MAX], buf[DAX_ATTR_MAX];
	struct daxctl_ctx *ctx;
	struct dirent *de;
	int node, rc, found = -ENOENT;
	DIR *d;

	if (!dev)
		return -EINVAL;
	ctx = daxctl_dev_get_ctx(dev);
	node = daxctl_dev_get_target_node(dev);
	if (node < 0)
		return -ENXIO;
	rc = dax_sys_path(ctx, dir, sizeof(dir),
			  "devices/virtual/memory_tiering");
	if (rc)
		return rc;
	d = opendir(dir);
	if (!d) {
		rc = -errno;
		dax_dbg(ctx, "%s: %s\n", dir, strerror(-rc));
		return rc == -ENOENT ? -EOPNOTSUPP : rc;
	}
	while ((de = readdir(d))) {
		int id = tier_id(de->d_name);

		if (id < 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/nodelist", dir,
			     de->d_name) >= (int)sizeof(path))
			continue;
		rc = dax_read_attr(ctx, path, buf, sizeof(buf));
		if (rc < 0) {
			found = rc;
			break;
		}
		rc = nodelist_has(buf, node);
		if (rc < 0) {
			dax_err(ctx, "%s: unexpected value '%s'\n", path, buf);
			found = rc;
			break;
		}
		if (rc) {
			found = id;
			break;
		}
	}
	closedir(d);
	return found;
}
