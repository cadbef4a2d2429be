// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compile check of the installed header as C, without HAVE_UUID: the
 * header then declares uuid_t itself. Built with -std=c99 -pedantic
 * -Wall -Wextra -Werror, so any warning the header causes fails the build.
 *
 * Every function is assigned, without a cast, to a pointer of the exact
 * type the contract (libdaxctl-api.md §3) gives: a signature that differs
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

typedef void (*daxctl_log_fn)(struct daxctl_ctx *ctx, int priority,
			      const char *file, int line, const char *fn,
			      const char *format, va_list args);

/* X(return type, function, parameters): the reference signatures */
#define DAXCTL_API(X)                                                          \
	/* LIBDAXCTL_1 */                                                      \
	X(int, daxctl_new, (struct daxctl_ctx **ctx))                          \
	X(struct daxctl_ctx *, daxctl_ref, (struct daxctl_ctx *ctx))           \
	X(void, daxctl_unref, (struct daxctl_ctx *ctx))                        \
	X(void, daxctl_set_log_fn,                                             \
	  (struct daxctl_ctx *ctx,                                             \
	   void (*fn)(struct daxctl_ctx *ctx, int priority, const char *file,  \
		      int line, const char *fn, const char *format,            \
		      va_list args)))                                          \
	X(int, daxctl_get_log_priority, (struct daxctl_ctx *ctx))              \
	X(void, daxctl_set_log_priority, (struct daxctl_ctx *ctx, int prio))   \
	X(void, daxctl_set_userdata, (struct daxctl_ctx *ctx, void *userdata)) \
	X(void *, daxctl_get_userdata, (struct daxctl_ctx *ctx))               \
	/* LIBDAXCTL_2 */                                                      \
	X(struct daxctl_region *, daxctl_new_region,                           \
	  (struct daxctl_ctx *ctx, int id, uuid_t uuid, const char *path))     \
	X(void, daxctl_region_ref, (struct daxctl_region *region))             \
	X(void, daxctl_region_unref, (struct daxctl_region *region))           \
	X(void, daxctl_region_get_uuid,                                        \
	  (struct daxctl_region *region, uuid_t uu))                           \
	X(int, daxctl_region_get_id, (struct daxctl_region *region))           \
	X(struct daxctl_ctx *, daxctl_region_get_ctx,                          \
	  (struct daxctl_region *region))                                      \
	X(struct daxctl_dev *, daxctl_dev_get_first,                           \
	  (struct daxctl_region *region))                                      \
	X(struct daxctl_dev *, daxctl_dev_get_next, (struct daxctl_dev *dev))  \
	X(struct daxctl_region *, daxctl_dev_get_region,                       \
	  (struct daxctl_dev *dev))                                            \
	X(int, daxctl_dev_get_id, (struct daxctl_dev *dev))                    \
	X(const char *, daxctl_dev_get_devname, (struct daxctl_dev *dev))      \
	X(int, daxctl_dev_get_major, (struct daxctl_dev *dev))                 \
	X(int, daxctl_dev_get_minor, (struct daxctl_dev *dev))                 \
	X(unsigned long long, daxctl_dev_get_size, (struct daxctl_dev *dev))   \
	/* LIBDAXCTL_3 */                                                      \
	X(unsigned long long, daxctl_region_get_available_size,                \
	  (struct daxctl_region *region))                                      \
	X(const char *, daxctl_region_get_devname,                             \
	  (struct daxctl_region *region))                                      \
	X(struct daxctl_dev *, daxctl_region_get_dev_seed,                     \
	  (struct daxctl_region *region))                                      \
	/* LIBDAXCTL_4 */                                                      \
	X(unsigned long long, daxctl_region_get_size,                          \
	  (struct daxctl_region *region))                                      \
	X(unsigned long, daxctl_region_get_align,                              \
	  (struct daxctl_region *region))                                      \
	X(struct daxctl_region *, daxctl_region_get_first,                     \
	  (struct daxctl_ctx *ctx))                                            \
	X(struct daxctl_region *, daxctl_region_get_next,                      \
	  (struct daxctl_region *region))                                      \
	/* LIBDAXCTL_5 */                                                      \
	X(const char *, daxctl_region_get_path,                                \
	  (struct daxctl_region *region))                                      \
	/* LIBDAXCTL_6 */                                                      \
	X(struct daxctl_ctx *, daxctl_dev_get_ctx, (struct daxctl_dev *dev))   \
	X(int, daxctl_dev_is_enabled, (struct daxctl_dev *dev))                \
	X(int, daxctl_dev_disable, (struct daxctl_dev *dev))                   \
	X(int, daxctl_dev_enable_devdax, (struct daxctl_dev *dev))             \
	X(int, daxctl_dev_enable_ram, (struct daxctl_dev *dev))                \
	X(unsigned long long, daxctl_dev_get_resource,                         \
	  (struct daxctl_dev *dev))                                            \
	X(int, daxctl_dev_get_target_node, (struct daxctl_dev *dev))          \
	X(struct daxctl_memory *, daxctl_dev_get_memory,                       \
	  (struct daxctl_dev *dev))                                            \
	X(struct daxctl_dev *, daxctl_memory_get_dev,                          \
	  (struct daxctl_memory *mem))                                         \
	X(const char *, daxctl_memory_get_node_path,                           \
	  (struct daxctl_memory *mem))                                         \
	X(unsigned long, daxctl_memory_get_block_size,                         \
	  (struct daxctl_memory *mem))                                         \
	X(int, daxctl_memory_online, (struct daxctl_memory *mem))              \
	X(int, daxctl_memory_offline, (struct daxctl_memory *mem))             \
	X(int, daxctl_memory_is_online, (struct daxctl_memory *mem))           \
	X(int, daxctl_memory_num_sections, (struct daxctl_memory *mem))        \
	/* LIBDAXCTL_7 */                                                      \
	X(int, daxctl_memory_is_movable, (struct daxctl_memory *mem))          \
	X(int, daxctl_memory_online_no_movable, (struct daxctl_memory *mem))   \
	/* LIBDAXCTL_8 */                                                      \
	X(int, daxctl_dev_set_size,                                            \
	  (struct daxctl_dev *dev, unsigned long long size))                   \
	X(int, daxctl_region_create_dev, (struct daxctl_region *region))       \
	X(int, daxctl_region_destroy_dev,                                      \
	  (struct daxctl_region *region, struct daxctl_dev *dev))              \
	X(unsigned long, daxctl_dev_get_align, (struct daxctl_dev *dev))       \
	X(int, daxctl_dev_set_align,                                           \
	  (struct daxctl_dev *dev, unsigned long align))                       \
	X(struct daxctl_mapping *, daxctl_mapping_get_first,                   \
	  (struct daxctl_dev *dev))                                            \
	X(struct daxctl_mapping *, daxctl_mapping_get_next,                    \
	  (struct daxctl_mapping *mapping))                                    \
	X(unsigned long long, daxctl_mapping_get_start,                        \
	  (struct daxctl_mapping *mapping))                                    \
	X(unsigned long long, daxctl_mapping_get_end,                          \
	  (struct daxctl_mapping *mapping))                                    \
	X(unsigned long long, daxctl_mapping_get_offset,                       \
	  (struct daxctl_mapping *mapping))                                    \
	X(unsigned long long, daxctl_mapping_get_size,                         \
	  (struct daxctl_mapping *mapping))                                    \
	X(int, daxctl_dev_set_mapping,                                         \
	  (struct daxctl_dev *dev, unsigned long long start,                   \
	   unsigned long long end))                                            \
	/* LIBDAXCTL_9 */                                                      \
	X(int, daxctl_dev_will_auto_online_memory, (struct daxctl_dev *dev))   \
	X(int, daxctl_dev_has_online_memory, (struct daxctl_dev *dev))         \
	X(int, daxctl_set_config_path, (struct daxctl_ctx *ctx, char *path))   \
	X(const char *, daxctl_get_config_path, (struct daxctl_ctx *ctx))      \
	/* LIBDAXCTL_10 */                                                     \
	X(int, daxctl_dev_is_system_ram_capable, (struct daxctl_dev *dev))

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
