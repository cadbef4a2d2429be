/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The signatures of upstream libdaxctl's API, which consumers are compiled
 * against, as an X-macro shared by the C and C++ header checks: X(return
 * type, function, parameters). test/meta/check-abi.sh holds the version
 * node of each.
 */
#ifndef _TEST_HEADER_API_H_
#define _TEST_HEADER_API_H_

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

#endif /* _TEST_HEADER_API_H_ */
