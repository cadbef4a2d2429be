// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compile check of the installed header as C with HAVE_UUID defined and
 * <uuid/uuid.h> included first, as libndctl and libcxl use it: uuid_t is
 * then libuuid's, and the region functions must take it (a header that
 * declared a different uuid_t would conflict here). Built with -std=c99
 * -pedantic -Wall -Wextra -Werror and linked with libuuid, whose functions
 * are called on the same uuid_t objects.
 *
 * Run it with an argument to walk the live system with the iteration
 * macros; without one it only reports that it was built.
 */
#define HAVE_UUID
#include <uuid/uuid.h>
#include <daxctl/libdaxctl.h>
#include <stdio.h>

/* the uuid functions at their reference types, with libuuid's uuid_t */
extern struct daxctl_region *(*const header_uuid_new_region)(
	struct daxctl_ctx *ctx, int id, uuid_t uuid, const char *path);
struct daxctl_region *(*const header_uuid_new_region)(
	struct daxctl_ctx *ctx, int id, uuid_t uuid,
	const char *path) = daxctl_new_region;

extern void (*const header_uuid_get_uuid)(struct daxctl_region *region,
					  uuid_t uu);
void (*const header_uuid_get_uuid)(struct daxctl_region *region,
				   uuid_t uu) = daxctl_region_get_uuid;

static int walk(struct daxctl_ctx *ctx)
{
	struct daxctl_region *region, *_region;
	struct daxctl_mapping *mapping;
	struct daxctl_dev *dev, *_dev;
	char text[37];
	uuid_t uuid;
	int n = 0;

	daxctl_region_foreach(ctx, region) {
		header_uuid_get_uuid(region, uuid);
		if (!uuid_is_null(uuid)) {
			uuid_unparse(uuid, text);
			printf("# %s: %s\n", daxctl_region_get_devname(region),
			       text);
		}
		daxctl_dev_foreach(region, dev)
			daxctl_mapping_foreach(dev, mapping)
				n++;
	}
	daxctl_region_foreach_safe(ctx, region, _region)
		daxctl_dev_foreach_safe(region, dev, _dev)
			n++;
	return n;
}

int main(int argc, char *argv[])
{
	struct daxctl_ctx *ctx;
	uuid_t uuid;

	uuid_clear(uuid);
	printf("1..1\n");
	printf("ok 1 - libdaxctl.h compiles as C with HAVE_UUID after <uuid/uuid.h>\n");
	if (argc > 1 && daxctl_new(&ctx) == 0) {
		printf("# %s: %d devices and mappings\n", argv[0], walk(ctx));
		daxctl_unref(ctx);
	}
	return uuid_is_null(uuid) ? 0 : 1;
}
