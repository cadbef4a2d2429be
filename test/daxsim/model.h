/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daxsim's model of the kernel: dax regions, devices and their ranges, the
 * dax bus drivers, and memory blocks. Each object owns the vfs nodes that
 * show it; every change goes through functions that keep the two in step,
 * so what a reader sees in the tree is always the model's state.
 */
#ifndef _DAXSIM_MODEL_H_
#define _DAXSIM_MODEL_H_

#include <stdbool.h>
#include <stdint.h>

#include "vfs.h"

#define SZ_4K (4096ULL)
#define SZ_2M (2ULL << 20)
#define SZ_1G (1ULL << 30)
#define DAX_MAJOR 252

struct sim_device;
struct sim_region;

struct sim_range {
	uint64_t start, end;	/* inclusive, like the kernel's struct range */
	uint64_t pgoff;		/* offset inside the device, in pages */
	int index;		/* N of mappingN */
	struct vfs_node *dir;	/* DEV/mappingN */
};

enum sim_region_kind {
	REGION_HMEM,		/* dynamic, platform/hmem.N */
	REGION_CXL,		/* dynamic, .../regionN/dax_regionN */
	REGION_NVDIMM,		/* static, ACPI NFIT nd_dax parent */
	REGION_E820,		/* static, e820_pmem nd_dax parent */
};

struct sim_region {
	enum sim_region_kind kind;
	int id;
	uint64_t start, end;	/* inclusive */
	uint64_t align;
	uint64_t window;	/* CXL: the fixed memory window's size */
	int target_node, numa_node;
	bool dynamic;
	bool class_model;	/* legacy /sys/class/dax device */
	char uuid[40];		/* nd_dax parent uuid, "" if none */
	struct vfs_node *parent;	/* RP */
	struct vfs_node *attrs;		/* RP/dax_region */
	struct sim_device **devices;	/* by id, NULL for free ids */
	int nr_device_slots;
	struct sim_device *seed, *youngest;
	struct sim_region *next;
};

struct sim_driver {
	const char *name;	/* device_dax, kmem, fsdev_dax */
	bool match_all;		/* device_dax matches every device */
	char **ids;		/* the new_id list */
	int nr_ids;
	struct vfs_node *dir;
	struct sim_driver *next;
};

struct sim_device {
	struct sim_region *region;
	int id;
	char name[32];
	int minor;
	uint64_t align;
	struct sim_range *ranges;
	int nr_ranges;
	struct sim_driver *driver;
	bool kmem_added;	/* its memory blocks exist */
	bool memmap_on_memory;	/* DEV/memmap_on_memory (6.8+) */
	struct vfs_node *dir;
	struct vfs_node *bus_link;	/* bus/dax/devices/NAME or class/dax */
	struct vfs_node *devt_link;	/* dev/char/MAJOR:MINOR */
	struct vfs_node *devnode;	/* dev/NAME (devtmpfs), or NULL */
};

enum sim_zone {
	ZONE_NONE,		/* offline */
	ZONE_DMA,		/* boot RAM below 16 MiB */
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_MOVABLE,
};

struct sim_block {
	unsigned long index;
	int node;
	bool online;
	enum sim_zone zone;
	bool removable;
	bool mixed_zones;	/* boot RAM over ZONE_DMA's end: no one zone */
	struct sim_device *owner;	/* kmem device, NULL for boot RAM */
	int online_errno, offline_errno;	/* injected refusals */
	struct vfs_node *dir;
	struct vfs_node *node_link;	/* node/nodeN/memoryM */
};

/* A rule of the scenario's "faults" list for writes to matching paths. */
struct sim_write_fault {
	char *glob;		/* fnmatch pattern on the path below the root */
	int nth;		/* the Nth matching write fails (1-based) */
	int times;		/* ... and this many after it (0 = forever) */
	int err;
	int seen;
	struct sim_write_fault *next;
};

/* Memory block K refuses to go online or offline with an errno. */
struct sim_block_fault {
	unsigned long index;
	int online_err, offline_err;
	struct sim_block_fault *next;
};

/* Devices (a glob on their name) that get no node in dev/. */
struct sim_devnode_fault {
	char *glob;
	struct sim_devnode_fault *next;
};

struct sim_probe_fault {
	char *driver;
	char *device;		/* NULL: any device */
	int err;
	struct sim_probe_fault *next;
};

/*
 * A kernel generation: what its dax and memory ABI has (test/daxsim/kernel.c
 * has the table, the README the release that brought each one).
 */
struct sim_kernel {
	const char *name;		/* 6.1, 6.12, newest */
	bool memory_tiering;		/* devices/virtual/memory_tiering */
	bool dev_memmap_on_memory;	/* DEV/memmap_on_memory */
	bool dev_state;			/* DEV/state */
	bool region_kmem;		/* hmem/CXL devices match kmem */
	bool mapping_silent;		/* unaligned mapping: ok, no-op */
	bool iomem_hmem;		/* /proc/iomem names hmem.N */
};

struct sim_model {
	struct sim_kernel kernel;
	struct vfs_node *root, *sys;
	struct vfs_node *bus_devices, *bus_drivers, *class_dax;
	struct vfs_node *memory_dir, *node_dir;
	struct vfs_node *dev_char;	/* sys/dev/char */
	struct vfs_node *dev_dir;	/* dev, as devtmpfs */
	struct sim_region *regions;
	struct sim_driver *drivers;
	uint64_t block_size;
	char auto_online[32];
	bool memmap_param;	/* memory_hotplug.memmap_on_memory */
	struct sim_block **blocks;	/* by index */
	unsigned long nr_block_slots;
	uint64_t *minor_used;		/* bitmap */
	int nr_minor_words;
	/*
	 * kmem's ranges (block-aligned) left as System RAM by an unbind with
	 * online blocks, with the name of the device they were added for
	 */
	struct { uint64_t start, end; char name[32]; } *leaked;
	int nr_leaked;
	/* boot RAM per node, for /proc/iomem */
	struct { uint64_t start, end; } *ram;
	int nr_ram;
	struct sim_write_fault *write_faults;
	struct sim_probe_fault *probe_faults;
	struct sim_block_fault *block_faults;
	struct sim_devnode_fault *devnode_faults;
	bool has_class, has_bus;
};

extern struct sim_model sim;

/* model.c: building blocks shared by the rest */
void model_init(void);
void model_die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
						   noreturn));
struct vfs_node *mkattr(struct vfs_node *dir, const char *name, mode_t mode,
			const struct vfs_attr_ops *ops, void *data);
struct vfs_node *mkdir_node(struct vfs_node *dir, const char *name,
			    void *data);
struct vfs_node *mklink(struct vfs_node *dir, const char *name,
			struct vfs_node *target);
/* An attribute whose content is fixed text (a trailing newline is added). */
struct vfs_node *mkconst(struct vfs_node *dir, const char *name, mode_t mode,
			 const char *text);
bool sysfs_streq(const char *buf, const char *s);
int parse_ull(const char *buf, int base, uint64_t *out);
char *node_path(struct vfs_node *node);
/*
 * A node list as the kernel prints it ("0-1,3\n") of the nodes below @nr
 * that @set marks; the length written.
 */
int show_node_list(char *buf, size_t len, const bool *set, int nr);

/* region.c */
struct sim_region *region_add(enum sim_region_kind kind, int id,
			      uint64_t start, uint64_t size, uint64_t align,
			      int target_node, int numa_node,
			      const char *ns_name, bool class_model,
			      const char *uuid);
uint64_t region_available(struct sim_region *region);

/* device.c */
struct sim_device *device_add(struct sim_region *region, int id);
int device_add_range(struct sim_device *dev, uint64_t start, uint64_t end);
void device_append_range(struct sim_device *dev, uint64_t start,
			 uint64_t end);
uint64_t device_size(struct sim_device *dev);
int device_resize(struct sim_device *dev, uint64_t size);
void device_delete(struct sim_device *dev);
struct sim_device *device_find(const char *name);
bool range_is_free(struct sim_region *region, uint64_t start, uint64_t end);

/* driver.c */
struct sim_driver *driver_add(const char *name, bool match_all);
struct sim_driver *driver_find(const char *name);
int driver_bind(struct sim_driver *drv, struct sim_device *dev);
void driver_unbind(struct sim_device *dev);
void drivers_init_bus(void);

/* memory.c */
void memory_init(uint64_t block_size, const char *auto_online);
void memory_add_node(int node);
void memory_set_memmap_param(bool on);
struct sim_block *block_add(unsigned long index, int node,
			    struct sim_device *owner);
void block_remove(struct sim_block *block);
int block_set_online(struct sim_block *block, const char *how);
int block_set_offline(struct sim_block *block);
struct sim_block *block_find(unsigned long index);
bool kmem_window(const struct sim_range *r, uint64_t *start, uint64_t *end);
int kmem_add_memory(struct sim_device *dev);
void kmem_remove_memory(struct sim_device *dev);
void memory_add_ram(int node, uint64_t start, uint64_t size);
const char *dev_memory_state(struct sim_device *dev);
void dev_state_add(struct sim_device *dev);

/* tier.c */
void tiers_init(int dram, int kmem);
void tiers_block_changed(struct sim_block *b, int delta);

/* fault.c */
int fault_check_write(struct vfs_node *node);
int fault_check_probe(const char *driver, const char *device);
void fault_apply_block(struct sim_block *block);
bool fault_no_devnode(const char *device);

/* kernel.c */
const struct sim_kernel *kernel_find(const char *name);
void kernel_select(const char *option, const char *scenario);

/* scenario.c */
int scenario_load(const char *path, const char *kernel);

/* proc.c */
void proc_init(void);

#endif /* _DAXSIM_MODEL_H_ */
