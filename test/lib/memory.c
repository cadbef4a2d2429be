// SPDX-License-Identifier: GPL-2.0-or-later
/* Memory of system-ram (kmem) devices on recorded trees. */
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "fixture.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = s ? strlen(s) : 0, lx = strlen(suffix);

	return s && ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static void test_online(void)
{
	struct daxctl_ctx *ctx = fixture_ctx("hmem-20-system-ram-online");
	struct daxctl_dev *dev = fixture_dev(ctx, "dax0.1");
	struct daxctl_memory *mem;

	ok(dev != NULL, "online: dax0.1 found");
	is_int(daxctl_dev_is_system_ram_capable(dev), 1,
	       "online: dax0.1 is system-ram");
	mem = daxctl_dev_get_memory(dev);
	ok(mem != NULL, "online: memory object");
	ok(daxctl_dev_get_memory(dev) == mem, "online: memory object is kept");
	ok(daxctl_memory_get_dev(mem) == dev, "online: memory -> dev");
	is_u64(daxctl_memory_get_block_size(mem), 0x8000000,
	       "online: block size from block_size_bytes (hex)");
	ok(ends_with(daxctl_memory_get_node_path(mem),
		     "/sys/devices/system/node/node0"),
	   "online: node path %s", daxctl_memory_get_node_path(mem));
	is_int(daxctl_memory_num_sections(mem), 2, "online: owns 2 blocks");
	is_int(daxctl_memory_is_online(mem), 2, "online: 2 blocks online");
	is_int(daxctl_memory_is_movable(mem), 1, "online: all movable");
	is_int(daxctl_dev_has_online_memory(dev), 2,
	       "online: has_online_memory");
	is_int(daxctl_dev_will_auto_online_memory(dev), 0,
	       "online: auto_online_blocks is offline");

	dev = fixture_dev(ctx, "dax0.5");
	ok(daxctl_dev_get_memory(dev) == NULL,
	   "online: devdax device has no memory");
	is_int(daxctl_dev_has_online_memory(dev), 0,
	       "online: devdax device has no online memory");
	daxctl_unref(ctx);
}

static void test_offline(void)
{
	struct daxctl_ctx *ctx = fixture_ctx("hmem-25-system-ram-offline");
	struct daxctl_memory *mem;

	mem = daxctl_dev_get_memory(fixture_dev(ctx, "dax0.1"));
	is_int(daxctl_memory_num_sections(mem), 2, "offline: owns 2 blocks");
	is_int(daxctl_memory_is_online(mem), 0, "offline: none online");
	is_int(daxctl_memory_is_movable(mem), -ENXIO,
	       "offline: is_movable is -ENXIO while blocks are offline");
	daxctl_unref(ctx);
}

/*
 * kmem hot-adds each range shrunk inward to block alignment: a pmem
 * namespace starting 18 MiB into a 128 MiB block loses that partial block.
 */
static void test_inward_alignment(void)
{
	struct daxctl_ctx *ctx = fixture_ctx("nvdimm-55-pmem-system-ram");
	struct daxctl_memory *mem;

	mem = daxctl_dev_get_memory(fixture_dev(ctx, "dax0.0"));
	is_int(daxctl_memory_num_sections(mem), 7,
	       "nvdimm: 0x101200000-0x13fffffff owns blocks 33..39");
	is_int(daxctl_memory_is_online(mem), 7, "nvdimm: all 7 online");
	daxctl_unref(ctx);

	ctx = fixture_ctx("pmem-legacy-55-pmem-system-ram");
	mem = daxctl_dev_get_memory(fixture_dev(ctx, "dax0.0"));
	is_int(daxctl_memory_num_sections(mem), 1,
	       "legacy pmem: 0x60600000-0x6fffffff owns block 13 only");
	is_int(daxctl_memory_is_online(mem), 1, "legacy pmem: online");
	daxctl_unref(ctx);
}

/* daxctl_dev_get_memory_tier() on recordings of the real 6.1 */
static void test_tiers(void)
{
	struct daxctl_ctx *ctx = fixture_ctx("kernel-6.1-hmem-numa-20-sysram");

	is_int(daxctl_dev_get_memory_tier(fixture_dev(ctx, "dax0.1")), 22,
	       "tiers: memory-only node 1 online: memory_tier22");
	is_int(daxctl_dev_get_memory_tier(NULL), -EINVAL, "tiers: NULL");
	daxctl_unref(ctx);

	ctx = fixture_ctx("kernel-6.1-hmem-numa-25-offline");
	is_int(daxctl_dev_get_memory_tier(fixture_dev(ctx, "dax0.1")), -ENOENT,
	       "tiers: node 1 offline: in no tier");
	daxctl_unref(ctx);

	ctx = fixture_ctx("hmem-20-system-ram-online");
	is_int(daxctl_dev_get_memory_tier(fixture_dev(ctx, "dax0.1")),
	       -EOPNOTSUPP, "tiers: a recording without memory_tiering");
	is_int(daxctl_load_driver(ctx, "../kmem"), -EINVAL,
	       "load_driver: a name with a slash");
	is_int(daxctl_load_driver(ctx, "kmem"), 0,
	       "load_driver: kmem is registered");
	is_int(daxctl_load_driver(ctx, "fsdev_dax"), -ENODEV,
	       "load_driver: no fsdev_dax, no module loading under a root");
	daxctl_unref(ctx);
}

int main(void)
{
	test_online();
	test_offline();
	test_inward_alignment();
	test_tiers();
	return tap_done();
}
