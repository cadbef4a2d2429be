/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef _LIBDAXCTL_PRIVATE_H_
#define _LIBDAXCTL_PRIVATE_H_

#include <limits.h>
#include <stdbool.h>
#include <syslog.h>

#include <daxctl/libdaxctl.h>

struct kmod_ctx;

#include "util/list.h"
#include "util/sysroot.h"

#define DAXCTL_EXPORT __attribute__((visibility("default")))

/* Longest path the library builds; sysfs paths are far shorter. */
#define DAX_PATH_MAX 4096
/* Largest attribute value the library reads. */
#define DAX_ATTR_MAX 256

/* Which attributes could not be read for lack of privilege. */
enum dax_hidden {
	DAX_HIDDEN_REGION_ALIGN = 1 << 0,
	DAX_HIDDEN_RESOURCE = 1 << 1,
	DAX_HIDDEN_MAPPINGS = 1 << 2,
};

struct daxctl_ctx {
	int refcount;
	/*
	 * A device of the bus model had no memmap_on_memory: the kernel is
	 * older than 6.8, and no other device is asked (list makes no failed
	 * open per device for it)
	 */
	bool no_dev_memmap;
	void (*log_fn)(struct daxctl_ctx *ctx, int priority, const char *file,
		       int line, const char *fn, const char *format,
		       va_list args);
	int log_priority;
	void *userdata;
	char *root;		/* system root prefix, "" for the live system */
	int root_fd;		/* O_PATH of root for attr.c, -1: not open */
	int live_sysfs;		/* attr.c: the live /sys is sysfs: 1, not: -1 */
	char *config_path;
	bool config_path_set;	/* set explicitly: does not follow the root */
	char *bus_path;		/* daxctl_get_bus_path() storage */
	char *memory_path;	/* daxctl_get_memory_path() storage */
	struct list_node regions;
	bool regions_scanned;
	unsigned long block_size; /* memory block size, 0 = not read yet */
	int block_size_err;	  /* cached failure reading it */
	struct kmod_ctx *kmod;	/* created on the first module load */
	bool dry_run;		/* writes are reported, not made */
	void (*dry_run_report)(struct daxctl_ctx *ctx, const char *path,
			       const char *value);
};

/* A daxX.Y entry of a region's device directory (or its "dax" one). */
struct dax_found {
	int id;
	bool class_model;
	char name[32];
};

struct daxctl_region {
	struct daxctl_ctx *ctx;
	struct list_node node;	/* in ctx->regions */
	int refcount;
	bool scan_owned;	/* holds the reference taken by enumeration */
	int id;
	uuid_t uuid;
	bool uuid_read;		/* the parent's uuid attribute was looked at */
	char *path;		/* root + sysfs path of the region parent */
	const char *devname;	/* basename of path */
	unsigned long long size;
	unsigned long align;
	unsigned int hidden;	/* enum dax_hidden */
	struct list_node devices;
	bool devices_scanned;
	/*
	 * During enumeration only: X of the daxX.Y bus entry the region was
	 * found through (-1: none), and the region's directory, listed to
	 * recognise its other entries without resolving their links.
	 */
	int name_id;
	bool list_tried;	/* the listing was attempted */
	bool listed;		/* listing holds the directory */
	struct dax_found *listing;
	size_t nr_listing;
	/* dry run: the seed as the writes so far would have left it */
	bool sim_seed_set;
	struct daxctl_dev *sim_seed;
};

struct daxctl_dev {
	struct daxctl_region *region;
	struct list_node node;	/* in region->devices */
	int id;
	char devname[32];
	char *path;		/* root + sysfs path of the device directory */
	bool class_model;	/* legacy /sys/class/dax device */
	bool devt_read;		/* major/minor read (on first use) */
	int major, minor;
	unsigned long long size;
	unsigned long align;
	int target_node;
	unsigned long long resource;
	bool resource_read;
	unsigned int hidden;	/* enum dax_hidden */
	struct list_node mappings;
	bool mappings_scanned;
	struct daxctl_memory *memory;
	char driver[64];	/* daxctl_dev_get_driver() storage */
	/* dry run: the driver as the writes so far would have left it */
	bool sim_driver_set;
	char sim_driver[64];	/* "" = unbound */
	bool simulated;		/* created by a dry-run daxctl_region_create_dev() */
	/* dry run: memmap_on_memory as the writes so far would have left it */
	bool sim_memmap_set;
	int sim_memmap;
};

struct daxctl_mapping {
	struct daxctl_dev *dev;
	struct list_node node;	/* in dev->mappings, by page_offset */
	unsigned long long start, end, pgoff;
};

/* A run of consecutive memory block indexes owned by a device. */
struct dax_block_range {
	unsigned long first, count;
};

struct daxctl_memory {
	struct daxctl_dev *dev;
	char *node_path;	/* sysfs path of the target node (no root) */
	unsigned long block_size;
	struct dax_block_range *ranges;
	int nr_ranges;
	int nr_blocks;		/* -errno when the ranges are unknown */
	int dev_state;		/* DEV/state: 0 unknown, 1 there, -1 absent */
	char state[DAX_ATTR_MAX];	/* its last value read */
};

/* log.c */
void dax_log(struct daxctl_ctx *ctx, int priority, const char *file, int line,
	     const char *fn, const char *format, ...)
	__attribute__((format(printf, 6, 7)));
int dax_log_priority_from_string(const char *s);

#define dax_log_cond(ctx, prio, ...)                                          \
	do {                                                                  \
		if ((ctx)->log_priority >= (prio))                            \
			dax_log(ctx, prio, __FILE__, __LINE__, __func__,      \
				__VA_ARGS__);                                 \
	} while (0)

#define dax_dbg(ctx, ...) dax_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#define dax_info(ctx, ...) dax_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define dax_notice(ctx, ...) dax_log_cond(ctx, LOG_NOTICE, __VA_ARGS__)
#define dax_err(ctx, ...) dax_log_cond(ctx, LOG_ERR, __VA_ARGS__)
/* A change could not be undone: the system is neither as before nor done. */
#define dax_crit(ctx, ...) dax_log_cond(ctx, LOG_CRIT, __VA_ARGS__)

/*
 * attr.c: every file access of the library. Paths passed in already carry
 * the system root (they are built from object paths or dax_sys_path()).
 */
int dax_sys_path(struct daxctl_ctx *ctx, char *buf, size_t len,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int dax_proc_path(struct daxctl_ctx *ctx, char *buf, size_t len,
		  const char *rel);
int dax_attr_path(char *buf, size_t len, const char *dir, const char *attr);
int dax_read_attr(struct daxctl_ctx *ctx, const char *path, char *buf,
		  size_t len);
int dax_read_u64(struct daxctl_ctx *ctx, const char *dir, const char *attr,
		 int base, unsigned long long *out);
int dax_write_attr(struct daxctl_ctx *ctx, const char *path,
		   const char *value);
int dax_open_file(struct daxctl_ctx *ctx, const char *path, int flags);
void dax_close_root(struct daxctl_ctx *ctx);
int dax_readlink_basename(const char *path, char *buf, size_t len);
char *dax_resolve_link(struct daxctl_ctx *ctx, const char *dir,
		       const char *name);

/* region.c */
void dax_regions_scan(struct daxctl_ctx *ctx);
void dax_region_free(struct daxctl_region *region);

/* dev.c */
void dax_region_scan_devices(struct daxctl_region *region);
int dax_region_list(struct daxctl_region *region);
void dax_region_forget_listing(struct daxctl_region *region);
bool dax_region_listed(struct daxctl_region *region, const char *name,
		       int id);
struct daxctl_dev *dax_dev_new_simulated(struct daxctl_region *region);
void dax_dev_free(struct daxctl_dev *dev);
int dax_dev_driver(struct daxctl_dev *dev, char *buf, size_t len);
int dax_dev_refresh(struct daxctl_dev *dev);

/* mapping.c */
void dax_dev_free_mappings(struct daxctl_dev *dev);
int dax_dev_scan_mappings(struct daxctl_dev *dev);

/* module.c */
int dax_driver_load(struct daxctl_ctx *ctx, const char *driver);
void dax_modules_release(struct daxctl_ctx *ctx);

/* memory.c */
void dax_memory_free(struct daxctl_memory *mem);
int dax_dev_check_kmem(struct daxctl_dev *dev);
unsigned long dax_ctx_block_size(struct daxctl_ctx *ctx);

#endif /* _LIBDAXCTL_PRIVATE_H_ */
