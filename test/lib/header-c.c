// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compile check of the installed header as C, without HAVE_UUID: the
 * header then declares uuid_t itself. Built with -std=c99 -pedantic
 * -Wall -Wextra -Werror, so any warning the header causes fails the build.
 *
 * Every function is assigned, without a cast, to a pointer of the exact
 * type upstream's API has (header-api.h): a signature that differs
 * (argument or return type, const) is an incompatible-pointer-types error.
 * Linking proves the library defines them all.
 *
 * Run it with an argument to walk the live system with every iteration
 * macro; without one it only reports that it was built.
 */
#undef HAVE_UUID
#include <daxctl/libdaxctl.h>
#include <stdio.h>

/* the header's own uuid_t: 16 bytes (unsigned char: see walk()) */
typedef char uuid_t_is_16_bytes[sizeof(uuid_t) == 16 ? 1 : -1];

#include "header-api.h"

#define API_MEMBER(ret, name, params) ret (*name) params;
#define API_INIT(ret, name, params) .name = &name,
#define API_NAME(ret, name, params) #name,

struct daxctl_api {
	DAXCTL_API(API_MEMBER)
};

/* external linkage: kept in the object, so the link must resolve it all */
extern const struct daxctl_api header_c_api;
const struct daxctl_api header_c_api = { DAXCTL_API(API_INIT) };

static const char *const api_names[] = { DAXCTL_API(API_NAME) };

/* the log callback type the header takes is the contract's */
static void quiet_log(struct daxctl_ctx *ctx, int priority, const char *file,
		      int line, const char *fn, const char *format,
		      va_list args)
{
	(void)ctx, (void)priority, (void)file, (void)line, (void)fn;
	(void)format, (void)args;
}

static const daxctl_log_fn log_fn = quiet_log;

/* every iteration macro, as a consumer writes them */
static int walk(struct daxctl_ctx *ctx)
{
	struct daxctl_region *region, *_region;
	struct daxctl_mapping *mapping;
	struct daxctl_dev *dev, *_dev;
	uuid_t uuid;
	unsigned char *bytes = uuid; /* -Wpointer-sign if not unsigned char */
	int n = 0;

	daxctl_set_log_fn(ctx, log_fn);
	daxctl_region_foreach(ctx, region) {
		daxctl_region_get_uuid(region, bytes);
		n += bytes[0] != 0;
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
	size_t count = sizeof(api_names) / sizeof(api_names[0]);
	struct daxctl_ctx *ctx;

	printf("1..1\n");
	printf("ok 1 - libdaxctl.h compiles as C without HAVE_UUID; %zu functions at their reference types, first %s\n",
	       count, api_names[0]);
	if (argc > 1 && header_c_api.daxctl_new(&ctx) == 0) {
		printf("# %s: %d devices and mappings\n", argv[0], walk(ctx));
		daxctl_unref(ctx);
	}
	return 0;
}
