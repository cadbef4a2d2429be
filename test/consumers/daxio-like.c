// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A consumer in the style of PMDK's daxio: given a device-dax character
 * device, find its libdaxctl device by major:minor to learn the usable size
 * and the region alignment (the granularity daxio must respect).
 *
 *	daxio-like MAJOR:MINOR
 *	daxio-like /dev/daxX.Y
 *
 * Fake system roots have no /dev nodes, so the device number can be given
 * directly; a path is stat()ed and must be a character device.
 * Prints "DEVNAME size SIZE align ALIGN" ("unknown" when the region
 * alignment cannot be read, e.g. by non-root users). Exit status: 0 found,
 * 1 no such device, 2 usage or system error.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <daxctl/libdaxctl.h>

/* "MAJOR:MINOR" with nothing else around it */
static int parse_devt(const char *arg, unsigned int *major,
		      unsigned int *minor)
{
	char extra;

	return sscanf(arg, "%u:%u%c", major, minor, &extra) == 2 ? 0 : -EINVAL;
}

static int devt_from_arg(const char *arg, unsigned int *major,
			 unsigned int *minor)
{
	struct stat st;

	if (parse_devt(arg, major, minor) == 0)
		return 0;
	if (stat(arg, &st) < 0) {
		fprintf(stderr, "daxio-like: %s: %s\n", arg, strerror(errno));
		return -errno;
	}
	if (!S_ISCHR(st.st_mode)) {
		fprintf(stderr, "daxio-like: %s: not a character device\n",
			arg);
		return -ENODEV;
	}
	*major = major(st.st_rdev);
	*minor = minor(st.st_rdev);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int major, minor;
	struct daxctl_region *region;
	struct daxctl_dev *dev;
	struct daxctl_ctx *ctx;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: daxio-like MAJOR:MINOR | DEVICE\n");
		return 2;
	}
	if (devt_from_arg(argv[1], &major, &minor) < 0)
		return 2;

	rc = daxctl_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "daxio-like: daxctl_new: %s\n", strerror(-rc));
		return 2;
	}

	/* daxio walks everything and stops at the first match */
	daxctl_region_foreach(ctx, region) {
		daxctl_dev_foreach(region, dev) {
			unsigned long align;

			if (daxctl_dev_get_major(dev) != (int)major ||
			    daxctl_dev_get_minor(dev) != (int)minor)
				continue;

			printf("%s size %llu align ",
			       daxctl_dev_get_devname(dev),
			       daxctl_dev_get_size(dev));
			align = daxctl_region_get_align(region);
			if (align == ULONG_MAX)
				printf("unknown\n");
			else
				printf("%lu\n", align);
			daxctl_unref(ctx);
			return 0;
		}
	}

	fprintf(stderr, "daxio-like: no dax device %u:%u\n", major, minor);
	daxctl_unref(ctx);
	return 1;
}
