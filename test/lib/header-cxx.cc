// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compile check of the installed header as C++: its extern "C" block, its
 * iteration macros (all five) in a function, and every function taken by
 * address into a table whose member types are the exact signatures of
 * upstream's API (header-api.h). C++ has no implicit conversion between
 * function pointer types, so any difference (argument or return type,
 * const) is a compile error; linking proves the library defines them all,
 * with C linkage. Built with -pedantic -Wall -Wextra -Werror.
 *
 * Run it with an argument to walk the live system with every iteration
 * macro; without one it only reports that it was built.
 */
#include <daxctl/libdaxctl.h>
#include <cstdio>

#include "header-api.h"

#define API_MEMBER(ret, name, params) ret (*name) params;
#define API_ADDR(ret, name, params) &name,
#define API_NAME(ret, name, params) #name,

struct daxctl_api {
	DAXCTL_API(API_MEMBER)
};

/* external linkage: kept in the object, so the link must resolve it all */
extern const struct daxctl_api header_cxx_api;
const struct daxctl_api header_cxx_api = { DAXCTL_API(API_ADDR) };

static const char *const api_names[] = { DAXCTL_API(API_NAME) };

/* a C++ function of the contract's callback type is accepted */
static void quiet_log(struct daxctl_ctx *, int, const char *, int,
		      const char *, const char *, va_list)
{
}

static const daxctl_log_fn log_fn = quiet_log;

/* every iteration macro, as a consumer writes them */
static int walk(struct daxctl_ctx *ctx)
{
	struct daxctl_region *region, *_region;
	struct daxctl_mapping *mapping;
	struct daxctl_dev *dev, *_dev;
	uuid_t uuid;
	int n = 0;

	daxctl_set_log_fn(ctx, log_fn);
	daxctl_region_foreach(ctx, region) {
		daxctl_region_get_uuid(region, uuid);
		n += uuid[0] != 0;
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

	std::printf("1..1\n");
	std::printf("ok 1 - libdaxctl.h compiles as C++; %lu functions at their reference types, first %s\n",
		    (unsigned long)count, api_names[0]);
	if (argc > 1 && header_cxx_api.daxctl_new(&ctx) == 0) {
		std::printf("# %s: %d devices and mappings\n", argv[0],
			    walk(ctx));
		daxctl_unref(ctx);
	}
	return 0;
}
