/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Point a new library context at one of the installed fixture trees. */
#ifndef _TEST_FIXTURE_H_
#define _TEST_FIXTURE_H_

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <daxctl/libdaxctl.h>

static char fixture_root_buf[PATH_MAX];

static inline const char *fixture_root(const char *name)
{
	const char *roots = getenv("FIXTURE_ROOTS");

	if (!roots) {
		fprintf(stderr, "FIXTURE_ROOTS is not set: run via make check\n");
		exit(99);
	}
	snprintf(fixture_root_buf, sizeof(fixture_root_buf), "%s/%s", roots,
		 name);
	return fixture_root_buf;
}

static inline struct daxctl_ctx *fixture_ctx(const char *name)
{
	struct daxctl_ctx *ctx;
	int rc;

	setenv("DAXCTL_SYSROOT", fixture_root(name), 1);
	rc = daxctl_new(&ctx);
	if (rc) {
		fprintf(stderr, "daxctl_new: %d\n", rc);
		exit(99);
	}
	return ctx;
}

/* Find a device by name anywhere in the context. */
static inline struct daxctl_dev *fixture_dev(struct daxctl_ctx *ctx,
					     const char *devname)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev;

	daxctl_region_foreach(ctx, region)
		daxctl_dev_foreach(region, dev)
			if (strcmp(daxctl_dev_get_devname(dev), devname) == 0)
				return dev;
	return NULL;
}

#endif /* _TEST_FIXTURE_H_ */
