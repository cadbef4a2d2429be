// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A consumer in the style of QEMU's memory-backend-file on a device-dax
 * character device: the mapping alignment is the alignment of the dax
 * region the device belongs to, found by checking which region's sysfs
 * path is contained in the resolved /sys/dev/char/MAJOR:MINOR link.
 *
 *	qemu-like MAJOR:MINOR
 *
 * (QEMU gets MAJOR:MINOR from stat() on /dev/daxX.Y; fake system roots have
 * no /dev nodes.) The sysfs tree is $DAXCTL_SYSROOT/sys, as the library's.
 *
 * Prints the resolved device path, the matching region and its alignment.
 * A bare strstr() also accepts a match that ends inside a path component
 * (".../hmem.1" is a substring of ".../hmem.10/dax10.0"), so the match
 * used here must end at a component boundary; when a bare strstr() would
 * have picked another region, that is reported too.
 *
 * Exit status: 0 alignment found, 1 no region or alignment unknown (the
 * attribute is readable by root only), 2 usage or system error.
 */
/* realpath() */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <daxctl/libdaxctl.h>

static const char *sysroot(void)
{
	const char *root = getenv("DAXCTL_SYSROOT");

	return root ? root : "";
}

/* @path contains @region_path as a whole number of path components */
static int path_within(const char *path, const char *region_path)
{
	size_t len = strlen(region_path);
	const char *hit = path;

	while ((hit = strstr(hit, region_path))) {
		if (hit[len] == '/' || hit[len] == '\0')
			return 1;
		hit++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct daxctl_region *region, *match = NULL, *naive = NULL;
	char link[PATH_MAX], *devpath;
	unsigned int major, minor;
	struct daxctl_ctx *ctx;
	unsigned long align;
	char extra;
	int rc;

	if (argc != 2 ||
	    sscanf(argv[1], "%u:%u%c", &major, &minor, &extra) != 2) {
		fprintf(stderr, "usage: qemu-like MAJOR:MINOR\n");
		return 2;
	}

	snprintf(link, sizeof(link), "%s/sys/dev/char/%u:%u", sysroot(),
		 major, minor);
	devpath = realpath(link, NULL);
	if (!devpath) {
		fprintf(stderr, "qemu-like: %s: %s\n", link, strerror(errno));
		return 2;
	}
	printf("device %u:%u: %s\n", major, minor, devpath);

	rc = daxctl_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "qemu-like: daxctl_new: %s\n", strerror(-rc));
		free(devpath);
		return 2;
	}

	daxctl_region_foreach(ctx, region) {
		const char *rpath = daxctl_region_get_path(region);

		if (!naive && strstr(devpath, rpath))
			naive = region;
		if (!match && path_within(devpath, rpath))
			match = region;
	}
	free(devpath);

	if (naive && naive != match)
		printf("note: a bare strstr() would pick region %s (%s)\n",
		       daxctl_region_get_devname(naive),
		       daxctl_region_get_path(naive));
	if (!match) {
		fprintf(stderr, "qemu-like: no dax region contains %u:%u\n",
			major, minor);
		daxctl_unref(ctx);
		return 1;
	}
	printf("region %s: %s\n", daxctl_region_get_devname(match),
	       daxctl_region_get_path(match));

	errno = 0;
	align = daxctl_region_get_align(match);
	if (align == ULONG_MAX) {
		/* the library sets EACCES when the attribute is root-only */
		if (errno == EACCES)
			fprintf(stderr,
				"qemu-like: alignment of region %s unknown: dax_region/align is readable by root only\n",
				daxctl_region_get_devname(match));
		else
			fprintf(stderr,
				"qemu-like: alignment of region %s unknown\n",
				daxctl_region_get_devname(match));
		daxctl_unref(ctx);
		return 1;
	}
	printf("align %lu\n", align);
	daxctl_unref(ctx);
	return 0;
}
