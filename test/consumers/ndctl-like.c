// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A consumer in the style of libndctl (and libcxl), which embed libdaxctl:
 * for a pmem namespace in devdax mode, the nd_dax device is the parent of a
 * dax region, registered with daxctl_new_region() by whoever looks at it
 * first. Two owners may register the same parent; each drops its own
 * reference with daxctl_region_unref(), and the context stays usable after
 * both are gone.
 *
 *	ndctl-like [--scan-first] ID PATH
 *
 * PATH is the sysfs path of the parent (below $DAXCTL_SYSROOT, as the
 * library resolves it), e.g. /sys/devices/.../ndbus0/region0/dax0.0; its
 * "uuid" attribute, when present, is passed as the region uuid as libndctl
 * does. --scan-first enumerates every region before registering, so the
 * registered region is one the context found itself.
 * Exit status: 0, 1 when a check failed, 2 usage or system error.
 */
#include <ctype.h>
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

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", without libuuid */
static int parse_uuid(const char *s, uuid_t uu)
{
	int i, hi, lo;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) {
			if (*s != '-')
				return -EINVAL;
			s++;
		}
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0)
			return -EINVAL;
		uu[i] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return *s == '\0' || *s == '\n' ? 0 : -EINVAL;
}

static void print_uuid(const char *label, const uuid_t uu)
{
	int i;

	printf("%s", label);
	for (i = 0; i < 16; i++)
		printf("%s%02x",
		       i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", uu[i]);
	printf("\n");
}

/* The uuid attribute of @path; 0 when there is none (not an nd_dax). */
static int read_uuid(const char *path, uuid_t uu)
{
	char file[PATH_MAX], buf[64];
	FILE *f;
	int rc;

	snprintf(file, sizeof(file), "%s%s/uuid", sysroot(), path);
	f = fopen(file, "re");
	if (!f)
		return 0;
	rc = fgets(buf, sizeof(buf), f) && parse_uuid(buf, uu) == 0;
	fclose(f);
	return rc;
}

static void print_u64(const char *label, unsigned long long v,
		      unsigned long long unknown)
{
	if (v == unknown)
		printf("  %s unknown\n", label);
	else
		printf("  %s %llu\n", label, v);
}

static void print_devices(struct daxctl_region *region)
{
	struct daxctl_dev *dev;

	daxctl_dev_foreach(region, dev)
		printf("  %s has_online_memory %d\n",
		       daxctl_dev_get_devname(dev),
		       daxctl_dev_has_online_memory(dev));
}

/* The "daxregion" object libndctl builds for a devdax namespace. */
static void print_region(const char *owner, struct daxctl_region *region)
{
	struct daxctl_dev *seed = daxctl_region_get_dev_seed(region);
	uuid_t uu;

	printf("%s: region %s id %d\n", owner,
	       daxctl_region_get_devname(region),
	       daxctl_region_get_id(region));
	daxctl_region_get_uuid(region, uu);
	print_uuid("  uuid ", uu);
	print_u64("size", daxctl_region_get_size(region), ULLONG_MAX);
	print_u64("available_size", daxctl_region_get_available_size(region),
		  ULLONG_MAX);
	print_u64("align", daxctl_region_get_align(region), ULONG_MAX);
	printf("  seed %s\n", seed ? daxctl_dev_get_devname(seed) : "none");
	print_devices(region);
}

static void enumerate(const char *when, struct daxctl_ctx *ctx)
{
	struct daxctl_region *region;

	printf("%s: regions of the context\n", when);
	for (region = daxctl_region_get_first(ctx); region;
	     region = daxctl_region_get_next(region)) {
		printf(" region %s id %d: %s\n",
		       daxctl_region_get_devname(region),
		       daxctl_region_get_id(region),
		       daxctl_region_get_path(region));
		print_devices(region);
	}
}

int main(int argc, char **argv)
{
	struct daxctl_region *owner1, *owner2;
	struct daxctl_ctx *ctx;
	int scan_first = 0, fail = 0, id, rc;
	const char *path;
	uuid_t uu;
	char *end;

	if (argc > 1 && strcmp(argv[1], "--scan-first") == 0) {
		scan_first = 1;
		argc--;
		argv++;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: ndctl-like [--scan-first] ID PATH\n");
		return 2;
	}
	errno = 0;
	id = (int)strtol(argv[1], &end, 10);
	if (errno || end == argv[1] || *end) {
		fprintf(stderr, "ndctl-like: bad region id '%s'\n", argv[1]);
		return 2;
	}
	path = argv[2];
	memset(uu, 0, sizeof(uu));
	if (!read_uuid(path, uu))
		printf("%s: no uuid attribute\n", path);

	rc = daxctl_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "ndctl-like: daxctl_new: %s\n", strerror(-rc));
		return 2;
	}
	if (scan_first)
		enumerate("before", ctx);

	/* e.g. libndctl's dax object and a second lookup of the same one */
	owner1 = daxctl_new_region(ctx, id, uu, path);
	owner2 = daxctl_new_region(ctx, id, uu, path);
	if (!owner1 || !owner2) {
		fprintf(stderr, "ndctl-like: daxctl_new_region failed\n");
		daxctl_region_unref(owner1);
		daxctl_region_unref(owner2);
		daxctl_unref(ctx);
		return 1;
	}
	printf("owners share one region: %s\n",
	       owner1 == owner2 ? "yes" : "no");
	if (owner1 != owner2)
		fail = 1;
	if (daxctl_region_get_ctx(owner1) != ctx)
		fail = 1;

	print_region("owner1", owner1);
	daxctl_region_unref(owner1);
	/* the second owner's reference keeps the region and its devices */
	print_region("owner2", owner2);
	daxctl_region_unref(owner2);

	enumerate("after", ctx);
	daxctl_unref(ctx);
	return fail;
}
