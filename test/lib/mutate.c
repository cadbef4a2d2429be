// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The library's mutators on the kernel emulator (test/lib/mutate.sh mounts
 * it with test/daxsim/scenarios/lib-mutate.json and points DAXCTL_SYSROOT
 * at it): each returns the kernel's errno, and what the library reports
 * afterwards is the new state.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "fixture.h"

static struct daxctl_ctx *ctx;
static struct daxctl_region *region;
static bool newest;	/* the emulator's newest generation: DEV/state */
/* daxsim emulates a kernel after 6.1 (DAXSIM_KERNEL, the profile runs) */
static bool newer_kernel;

static struct daxctl_dev *dev_named(const char *name)
{
	struct daxctl_dev *dev;

	daxctl_dev_foreach(region, dev)
		if (strcmp(daxctl_dev_get_devname(dev), name) == 0)
			return dev;
	return NULL;
}

static int nr_mappings(struct daxctl_dev *dev)
{
	struct daxctl_mapping *m;
	int n = 0;

	daxctl_mapping_foreach(dev, m)
		n++;
	return n;
}

static void test_disable_resize(void)
{
	struct daxctl_dev *dev0 = dev_named("dax0.0");

	ok(dev0 != NULL, "dax0.0 found");
	is_int(daxctl_dev_is_enabled(dev0), 1, "dax0.0 starts enabled");
	is_int(daxctl_dev_set_size(dev0, 256 << 20), -EBUSY,
	       "resizing an enabled device is -EBUSY (the kernel's errno)");
	is_int(daxctl_dev_disable(dev0), 0, "disable");
	is_int(daxctl_dev_is_enabled(dev0), 0, "disabled now");
	is_int(daxctl_dev_disable(dev0), 0, "disable again is a success");
	is_int(daxctl_dev_set_size(dev0, 3 << 20), -EINVAL,
	       "a size that is not 2 MiB aligned is -EINVAL");
	is_int(daxctl_dev_set_size(dev0, 256 << 20), 0, "shrink to 256 MiB");
	is_u64(daxctl_dev_get_size(dev0), 256 << 20, "the size is fresh");
	is_int(nr_mappings(dev0), 1, "one range left");
	is_u64(daxctl_mapping_get_end(daxctl_mapping_get_first(dev0)),
	       0x4fffffff, "ending at 0x4fffffff");
	is_u64(daxctl_region_get_available_size(region), 768ULL << 20,
	       "768 MiB free in the region");
}

static struct daxctl_dev *test_create(void)
{
	struct daxctl_dev *seed;

	is_int(daxctl_region_create_dev(region), 0, "create a device");
	seed = daxctl_region_get_dev_seed(region);
	ok(seed != NULL, "the new device is the seed, without a new context");
	is_str(daxctl_dev_get_devname(seed), "dax0.1", "named dax0.1");
	is_u64(daxctl_dev_get_size(seed), 0, "with size 0");
	is_int(daxctl_dev_set_size(seed, 2ULL << 30), -ENOSPC,
	       "growing past the free space is -ENOSPC");
	is_int(daxctl_dev_set_align(seed, 12345), -EINVAL,
	       "an unsupported align is -EINVAL");
	is_int(daxctl_dev_set_align(seed, 4096), 0, "align 4 KiB");
	is_u64(daxctl_dev_get_align(seed), 4096, "the align is fresh");
	is_int(daxctl_dev_set_align(seed, 2 << 20), 0, "align 2 MiB");
	is_int(daxctl_dev_set_mapping(seed, 0x40000000, 0x401fffff), -ENOMEM,
	       "a range another device holds is -ENOMEM");
	/*
	 * 6.1 refuses it; 6.9 and later accept the write and add nothing
	 * (daxsim's generations, test/daxsim/README.md)
	 */
	if (!newer_kernel)
		is_int(daxctl_dev_set_mapping(seed, 0x50000000, 0x500fffff),
		       -ENXIO, "a range of 1 MiB is not aligned: -ENXIO");
	else
		ok(daxctl_dev_set_mapping(seed, 0x50000000, 0x500fffff) == 0 &&
		   daxctl_dev_get_size(seed) == 0,
		   "a range of 1 MiB is not aligned: accepted, nothing added");
	is_int(daxctl_dev_set_mapping(seed, 0x50000000, 0x57ffffff), 0,
	       "append 0x50000000-0x57ffffff");
	is_int(daxctl_dev_set_mapping(seed, 0x60000000, 0x61ffffff), 0,
	       "append 0x60000000-0x61ffffff");
	is_u64(daxctl_dev_get_size(seed), 160 << 20, "size 160 MiB");
	is_int(nr_mappings(seed), 2, "two ranges");
	is_u64(daxctl_mapping_get_offset(daxctl_mapping_get_next(
		       daxctl_mapping_get_first(seed))),
	       (128 << 20) / 4096, "the second starts 128 MiB into the device");
	is_int(daxctl_dev_enable_devdax(seed), 0, "enable as devdax");
	is_int(daxctl_dev_is_enabled(seed), 1, "enabled");
	/* device_dax's new_id would have the kernel bind every idle device */
	is_int(daxctl_dev_is_enabled(dev_named("dax0.0")), 0,
	       "enabling dax0.1 left the disabled dax0.0 alone");
	ok(daxctl_region_get_dev_seed(region) == NULL,
	   "binding the seed cleared it");
	return seed;
}

/* Device nodes in the emulator's dev/ (its devtmpfs) and the event source. */
static void test_events(struct daxctl_dev *dev1)
{
	const char *root = daxctl_get_sysroot(ctx);
	char want[PATH_MAX];

	is_int(daxctl_dev_wait_node(dev_named("dax0.0"), 0), 0,
	       "wait_node: dax0.0 has its node");
	is_int(daxctl_dev_wait_node(dev1, 50), -ETIMEDOUT,
	       "wait_node: no node for dax0.1 (a devnode fault) is -ETIMEDOUT");
	is_int(daxctl_dev_wait_node(NULL, 0), -EINVAL,
	       "wait_node(NULL) is -EINVAL");
	is_str(daxctl_get_event_source(ctx), "sysfs",
	       "the event source under a system root is sysfs");
	ok(daxctl_get_event_source(NULL) == NULL, "event_source(NULL) is NULL");
	snprintf(want, sizeof(want), "%s/sys/devices/system/memory", root);
	is_str(daxctl_get_memory_path(ctx), want, "the memory block directory");
	ok(daxctl_get_memory_path(NULL) == NULL, "memory_path(NULL) is NULL");
}

static void test_system_ram(void)
{
	struct daxctl_dev *dev0 = dev_named("dax0.0");
	struct daxctl_memory *mem;
	const char *state;

	ok(daxctl_dev_get_memory(dev0) == NULL, "no memory while unbound");
	is_int(daxctl_dev_will_auto_online_memory(dev0), 0,
	       "the policy leaves new memory offline");
	is_int(daxctl_dev_enable_ram(dev0), 0, "enable as system-ram (kmem)");
	is_int(daxctl_dev_is_system_ram_capable(dev0), 1, "now system-ram");
	mem = daxctl_dev_get_memory(dev0);
	ok(mem != NULL, "memory object");
	is_int(daxctl_memory_num_sections(mem), 2, "two blocks (8, 9)");
	is_int(daxctl_memory_is_online(mem), 0, "hot-added offline");
	is_int(daxctl_dev_has_online_memory(dev0), 0, "none online");
	is_int(daxctl_memory_is_movable(mem), -ENXIO,
	       "is_movable is -ENXIO while offline");
	is_int(daxctl_memory_online(mem), 2, "online: two blocks onlined");
	is_int(daxctl_memory_is_online(mem), 2, "both online");
	is_int(daxctl_memory_is_movable(mem), 1, "in ZONE_MOVABLE");
	is_int(daxctl_memory_online(mem), 0, "online again: nothing to do");
	is_int(daxctl_dev_has_online_memory(dev0), 2, "has_online_memory");
	is_int(daxctl_memory_offline(mem), -EBUSY,
	       "block 9 refuses to go offline: -EBUSY");
	is_int(daxctl_memory_is_online(mem), 2,
	       "all or nothing: block 8, offlined first, is online again");
	is_int(daxctl_memory_is_movable(mem), 1,
	       "and back in ZONE_MOVABLE, where it was");
	/*
	 * The same results with the device-level state (test/lib/
	 * mutate-newest.sh): there the offline was one write, undone.
	 */
	state = daxctl_memory_get_state(mem);
	if (newest)
		is_str(state ? state : "(null)", "online_movable",
		       "device-level state online_movable");
	else
		ok(state == NULL && errno == ENOENT,
		   "no device-level state on this kernel: NULL, ENOENT");
	errno = 0;
	ok(daxctl_memory_get_state(NULL) == NULL && errno == EINVAL,
	   "get_state(NULL): NULL, EINVAL");
	is_int(daxctl_dev_disable(dev0), -EBUSY,
	       "disable refuses kmem with online memory");
	is_int(daxctl_dev_is_system_ram_capable(dev0), 1, "still system-ram");
	is_int(daxctl_dev_enable_devdax(dev0), 0,
	       "enable_devdax on a bound device succeeds (already enabled)");
	is_int(daxctl_dev_is_system_ram_capable(dev0), 1,
	       "and leaves it in system-ram");
}

static void test_destroy(struct daxctl_dev *dev1)
{
	struct daxctl_dev *dev0 = dev_named("dax0.0");

	is_int(daxctl_region_destroy_dev(region, dev1), -EBUSY,
	       "destroying an enabled device is -EBUSY");
	is_int(daxctl_dev_disable(dev1), 0, "disable dax0.1");
	is_int(daxctl_region_destroy_dev(region, dev1), -EBUSY,
	       "destroying a sized device is -EBUSY");
	is_int(daxctl_dev_set_size(dev1, 0), 0, "release its capacity");
	is_int(nr_mappings(dev1), 0, "no range left");
	is_int(daxctl_region_destroy_dev(region, dev1), 0, "destroy dax0.1");
	is_u64(daxctl_dev_get_size(dev1), 0,
	       "the object stays valid, describing an empty device");
	is_int(daxctl_region_destroy_dev(region, dev0), -EBUSY,
	       "dax0.0 is bound to kmem: -EBUSY");
	is_int(daxctl_region_destroy_dev(NULL, dev0), -EINVAL,
	       "destroy with a NULL region is -EINVAL");
}

static void test_null_arguments(void)
{
	is_int(daxctl_dev_set_size(NULL, 0), -EINVAL, "set_size(NULL)");
	is_int(daxctl_dev_set_align(NULL, 4096), -EINVAL, "set_align(NULL)");
	is_int(daxctl_dev_set_mapping(NULL, 0, 1), -EINVAL,
	       "set_mapping(NULL)");
	is_int(daxctl_region_create_dev(NULL), -EINVAL, "create_dev(NULL)");
	is_int(daxctl_dev_enable_devdax(NULL), -EINVAL, "enable_devdax(NULL)");
	is_int(daxctl_dev_enable_ram(NULL), -EINVAL, "enable_ram(NULL)");
	is_int(daxctl_dev_disable(NULL), -EINVAL, "disable(NULL)");
	is_int(daxctl_memory_online(NULL), -EINVAL, "memory_online(NULL)");
	is_int(daxctl_memory_online_no_movable(NULL), -EINVAL,
	       "memory_online_no_movable(NULL)");
	is_int(daxctl_memory_offline(NULL), -EINVAL, "memory_offline(NULL)");
	is_int(daxctl_memory_is_online(NULL), -EINVAL, "is_online(NULL)");
	is_int(daxctl_memory_is_movable(NULL), -EINVAL, "is_movable(NULL)");
	is_int(daxctl_dev_has_online_memory(NULL), 0,
	       "has_online_memory(NULL)");
	is_int(daxctl_dev_will_auto_online_memory(NULL), 0,
	       "will_auto_online_memory(NULL)");
	is_int(daxctl_dev_is_system_ram_capable(NULL), 0,
	       "is_system_ram_capable(NULL)");
	is_int(daxctl_dev_is_enabled(NULL), 0, "is_enabled(NULL)");
	ok(daxctl_memory_get_dev(NULL) == NULL, "memory_get_dev(NULL)");
	ok(daxctl_memory_get_node_path(NULL) == NULL,
	   "memory_get_node_path(NULL)");
	is_u64(daxctl_memory_get_block_size(NULL), 0, "block_size(NULL)");
}

static char planned[16][256];
static int nr_planned;

static void record_write(struct daxctl_ctx *c, const char *path,
			 const char *value)
{
	(void)c;
	if (nr_planned < 16)
		snprintf(planned[nr_planned], sizeof(planned[0]), "%s <- %s",
			 path, value);
	nr_planned++;
}

/*
 * A dry-run context plans a create + size + bind on the same state and
 * writes nothing: a second, real context sees the region unchanged.
 */
static void test_dry_run(void)
{
	struct daxctl_region *r;
	struct daxctl_ctx *dry;
	struct daxctl_dev *seed;
	unsigned long long avail;

	is_int(daxctl_set_dry_run(NULL, NULL), -EINVAL, "set_dry_run(NULL)");
	if (daxctl_new(&dry)) {
		ok(0, "second context");
		return;
	}
	r = daxctl_region_get_first(dry);
	avail = daxctl_region_get_available_size(r);
	is_int(daxctl_get_dry_run(dry), 0, "a context starts real");
	is_int(daxctl_set_dry_run(dry, record_write), 0, "set_dry_run");
	is_int(daxctl_get_dry_run(dry), 1, "and is a dry run now");
	is_int(daxctl_region_create_dev(r), 0, "planned create");
	seed = daxctl_region_get_dev_seed(r);
	ok(seed != NULL, "the planned device is the seed");
	is_int(daxctl_dev_set_size(seed, 128 << 20), 0, "planned size");
	is_u64(daxctl_dev_get_size(seed), 128 << 20, "its simulated size");
	is_int(daxctl_dev_enable_devdax(seed), 0, "planned bind");
	ok(daxctl_dev_get_driver(seed) &&
	   strcmp(daxctl_dev_get_driver(seed), "device_dax") == 0,
	   "simulated driver device_dax");
	ok(daxctl_region_get_dev_seed(r) == NULL,
	   "binding the seed clears it");
	is_int(nr_planned, 3, "three writes planned");
	ok(strstr(planned[0], "/dax_region/create <- 1") != NULL &&
	   strncmp(planned[0], "/sys/", 5) == 0,
	   "create, reported without the system root: %s", planned[0]);
	ok(strstr(planned[1], "/size <- 134217728") != NULL, "then the size");
	ok(strstr(planned[2], "drivers/device_dax/bind <- ") != NULL,
	   "then the bind");
	daxctl_unref(dry);

	r = daxctl_region_get_first(ctx);
	is_u64(daxctl_region_get_available_size(r), avail,
	       "nothing was written: the space is still free");
}

int main(void)
{
	struct daxctl_dev *dev1;

	if (!getenv("DAXCTL_SYSROOT"))
		tap_skip("run through test/lib/mutate.sh (needs the emulator)");
	newest = getenv("DAXSIM_KERNEL") &&
		 strcmp(getenv("DAXSIM_KERNEL"), "newest") == 0;
	newer_kernel = getenv("DAXSIM_KERNEL") &&
		       strcmp(getenv("DAXSIM_KERNEL"), "6.1") != 0;
	if (daxctl_new(&ctx)) {
		printf("Bail out! daxctl_new failed\n");
		return 1;
	}
	region = daxctl_region_get_first(ctx);
	if (!region) {
		printf("Bail out! no region on the emulator\n");
		return 1;
	}
	test_disable_resize();
	dev1 = test_create();
	test_events(dev1);
	test_system_ram();
	test_destroy(dev1);
	test_dry_run();
	test_null_arguments();
	daxctl_unref(ctx);
	return tap_done();
}
