// SPDX-License-Identifier: GPL-2.0-or-later
/* Enumeration of regions, devices and mappings on recorded sysfs trees. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "tap.h"
#include "fixture.h"

static int count_regions(struct daxctl_ctx *ctx)
{
	struct daxctl_region *region;
	int n = 0;

	daxctl_region_foreach(ctx, region)
		n++;
	return n;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = s ? strlen(s) : 0, lx = strlen(suffix);

	return s && ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static void test_hmem_boot(void)
{
	struct daxctl_ctx *ctx = fixture_ctx("hmem-00-boot");
	struct daxctl_region *region;
	struct daxctl_mapping *m;
	struct daxctl_dev *dev;

	region = daxctl_region_get_first(ctx);
	ok(region != NULL, "hmem: one region found");
	is_int(count_regions(ctx), 1, "hmem: exactly one region");
	is_int(daxctl_region_get_id(region), 0, "hmem: region id");
	is_str(daxctl_region_get_devname(region), "hmem.0",
	       "hmem: region devname");
	ok(ends_with(daxctl_region_get_path(region),
		     "/sys/devices/platform/hmem.0"),
	   "hmem: region path %s", daxctl_region_get_path(region));
	ok(strncmp(daxctl_region_get_path(region), fixture_root("hmem-00-boot"),
		   strlen(fixture_root("hmem-00-boot"))) == 0,
	   "hmem: region path lies below the system root");
	is_u64(daxctl_region_get_size(region), 536870912, "hmem: region size");
	is_u64(daxctl_region_get_align(region), 2097152, "hmem: region align");
	is_u64(daxctl_region_get_available_size(region), 0,
	       "hmem: nothing available (dax0.0 spans the region)");
	ok(daxctl_region_get_ctx(region) == ctx, "hmem: region ctx");
	ok(daxctl_region_get_dev_seed(region) == NULL,
	   "hmem: no seed at boot (empty seed attribute)");

	dev = daxctl_dev_get_first(region);
	ok(dev != NULL, "hmem: dax0.0 found");
	is_str(daxctl_dev_get_devname(dev), "dax0.0", "hmem: devname");
	is_int(daxctl_dev_get_id(dev), 0, "hmem: device id");
	is_int(daxctl_dev_get_major(dev), 252, "hmem: major from dev attribute");
	is_int(daxctl_dev_get_minor(dev), 0, "hmem: minor");
	is_u64(daxctl_dev_get_size(dev), 536870912, "hmem: device size");
	is_u64(daxctl_dev_get_align(dev), 2097152, "hmem: device align");
	is_int(daxctl_dev_get_target_node(dev), 0, "hmem: target node");
	is_u64(daxctl_dev_get_resource(dev), 0x40000000, "hmem: resource");
	is_int(daxctl_dev_is_enabled(dev), 1, "hmem: enabled (device_dax)");
	is_int(daxctl_dev_is_system_ram_capable(dev), 0, "hmem: not system-ram");
	ok(daxctl_dev_get_memory(dev) == NULL, "hmem: no memory object");
	ok(daxctl_dev_get_region(dev) == region, "hmem: device region");
	ok(daxctl_dev_get_ctx(dev) == ctx, "hmem: device ctx");
	ok(daxctl_dev_get_next(dev) == NULL, "hmem: only one device");

	m = daxctl_mapping_get_first(dev);
	ok(m != NULL, "hmem: one mapping");
	is_u64(daxctl_mapping_get_start(m), 0x40000000, "hmem: mapping start");
	is_u64(daxctl_mapping_get_end(m), 0x5fffffff, "hmem: mapping end");
	is_u64(daxctl_mapping_get_offset(m), 0, "hmem: mapping page offset");
	is_u64(daxctl_mapping_get_size(m), 536870912, "hmem: mapping size");
	ok(daxctl_mapping_get_next(m) == NULL, "hmem: only one mapping");
	daxctl_unref(ctx);
}

static void test_hmem_created(void)
{
	struct daxctl_ctx *ctx = fixture_ctx("hmem-10-created");
	struct daxctl_region *region = daxctl_region_get_first(ctx);
	struct daxctl_dev *dev, *seed;
	char order[64] = "";
	int idle = 0;

	daxctl_dev_foreach(region, dev) {
		char id[8];

		snprintf(id, sizeof(id), "%d ", daxctl_dev_get_id(dev));
		strcat(order, id);
		if (!daxctl_dev_get_size(dev))
			idle++;
		if (daxctl_dev_get_size(dev) == 0)
			ok(!daxctl_dev_is_enabled(dev),
			   "created: idle %s is disabled",
			   daxctl_dev_get_devname(dev));
	}
	is_str(order, "0 1 2 3 4 5 ", "created: devices in id order");
	is_int(idle, 4, "created: four idle devices");
	is_u64(daxctl_region_get_available_size(region), 134217728,
	       "created: available size read from sysfs");
	seed = daxctl_region_get_dev_seed(region);
	ok(seed == NULL, "created: seed is empty in this recording");
	dev = fixture_dev(ctx, "dax0.5");
	ok(dev && daxctl_dev_get_minor(dev) == 5, "created: dax0.5 minor 5");
	is_u64(daxctl_dev_get_resource(dev), 0x50000000,
	       "created: dax0.5 resource");
	daxctl_unref(ctx);
}

static void test_nvdimm(void)
{
	static const unsigned char nd_dax_uuid[16] = {
		0xab, 0x23, 0x45, 0x25, 0x85, 0xde, 0x43, 0xdf,
		0x9c, 0x61, 0x31, 0xe3, 0x88, 0xd9, 0x45, 0xa4,
	};
	static const unsigned char zero[16];
	struct daxctl_ctx *ctx = fixture_ctx("nvdimm-50-pmem-devdax");
	struct daxctl_region *region = daxctl_region_get_first(ctx);
	struct daxctl_dev *dev;
	uuid_t uu;

	ok(region != NULL, "nvdimm: region found");
	is_str(daxctl_region_get_devname(region), "dax0.0",
	       "nvdimm: region devname is the nd_dax device");
	ok(ends_with(daxctl_region_get_path(region),
		     "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/ndbus0/region0/dax0.0"),
	   "nvdimm: region path %s", daxctl_region_get_path(region));
	is_u64(daxctl_region_get_available_size(region), 0,
	       "nvdimm: static region has no available size");
	ok(daxctl_region_get_dev_seed(region) == NULL,
	   "nvdimm: static region has no seed");
	dev = daxctl_dev_get_first(region);
	is_u64(daxctl_dev_get_size(dev), 1054867456, "nvdimm: device size");
	is_u64(daxctl_dev_get_resource(dev), 0x101200000, "nvdimm: resource");
	/*
	 * ndctl's libdaxctl gives all zeros here (only daxctl_new_region()
	 * sets a uuid); this one reads the nd_dax device's uuid attribute,
	 * ab234525-85de-43df-9c61-31e388d945a4 in this fixture.
	 */
	daxctl_region_get_uuid(region, uu);
	ok(memcmp(uu, nd_dax_uuid, sizeof(uu)) == 0,
	   "nvdimm: enumerated region's uuid is the nd_dax device's");
	daxctl_unref(ctx);

	ctx = fixture_ctx("hmem-00-boot");
	memset(uu, 0xff, sizeof(uu));
	daxctl_region_get_uuid(daxctl_region_get_first(ctx), uu);
	ok(memcmp(uu, zero, sizeof(uu)) == 0,
	   "hmem: enumerated region's uuid is all zeros");
	daxctl_unref(ctx);
}

static void test_empty_roots(void)
{
	static const char *const names[] = { "no-dax", "empty-root",
					     "nvdimm-00-boot" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct daxctl_ctx *ctx = fixture_ctx(names[i]);

		ok(daxctl_region_get_first(ctx) == NULL, "%s: no region",
		   names[i]);
		daxctl_unref(ctx);
	}
}

static void test_null_arguments(void)
{
	uuid_t uu;

	ok(daxctl_region_get_first(NULL) == NULL, "region_get_first(NULL)");
	ok(daxctl_region_get_next(NULL) == NULL, "region_get_next(NULL)");
	ok(daxctl_dev_get_first(NULL) == NULL, "dev_get_first(NULL)");
	ok(daxctl_dev_get_next(NULL) == NULL, "dev_get_next(NULL)");
	ok(daxctl_mapping_get_first(NULL) == NULL, "mapping_get_first(NULL)");
	ok(daxctl_dev_get_devname(NULL) == NULL, "dev_get_devname(NULL)");
	is_u64(daxctl_region_get_size(NULL), ULLONG_MAX,
	       "region_get_size(NULL) is ULLONG_MAX");
	is_u64(daxctl_region_get_align(NULL), ULONG_MAX,
	       "region_get_align(NULL) is ULONG_MAX");
	is_int(daxctl_dev_get_target_node(NULL), -1, "target_node(NULL)");
	ok(daxctl_dev_get_memory(NULL) == NULL, "dev_get_memory(NULL)");
	is_int(daxctl_memory_num_sections(NULL), -EINVAL,
	       "memory_num_sections(NULL) is -EINVAL");
	is_int(daxctl_region_get_id(NULL), -1, "region_get_id(NULL)");
	ok(daxctl_region_get_ctx(NULL) == NULL, "region_get_ctx(NULL)");
	ok(daxctl_region_get_devname(NULL) == NULL, "region_get_devname(NULL)");
	ok(daxctl_region_get_path(NULL) == NULL, "region_get_path(NULL)");
	ok(daxctl_region_get_dev_seed(NULL) == NULL, "get_dev_seed(NULL)");
	is_u64(daxctl_region_get_available_size(NULL), 0,
	       "get_available_size(NULL)");
	ok(daxctl_dev_get_region(NULL) == NULL, "dev_get_region(NULL)");
	ok(daxctl_dev_get_ctx(NULL) == NULL, "dev_get_ctx(NULL)");
	is_int(daxctl_dev_get_id(NULL), -1, "dev_get_id(NULL)");
	is_int(daxctl_dev_get_major(NULL), -1, "dev_get_major(NULL)");
	is_int(daxctl_dev_get_minor(NULL), -1, "dev_get_minor(NULL)");
	is_u64(daxctl_dev_get_size(NULL), 0, "dev_get_size(NULL)");
	is_u64(daxctl_dev_get_resource(NULL), 0, "dev_get_resource(NULL)");
	is_u64(daxctl_dev_get_align(NULL), 0, "dev_get_align(NULL)");
	ok(daxctl_mapping_get_next(NULL) == NULL, "mapping_get_next(NULL)");
	is_u64(daxctl_mapping_get_start(NULL), 0, "mapping_get_start(NULL)");
	is_u64(daxctl_mapping_get_end(NULL), 0, "mapping_get_end(NULL)");
	is_u64(daxctl_mapping_get_offset(NULL), 0, "mapping_get_offset(NULL)");
	is_u64(daxctl_mapping_get_size(NULL), 0, "mapping_get_size(NULL)");
	is_int(daxctl_get_log_priority(NULL), 0, "get_log_priority(NULL)");
	ok(daxctl_get_config_path(NULL) == NULL, "get_config_path(NULL)");
	is_int(daxctl_set_config_path(NULL, NULL), -EINVAL,
	       "set_config_path(NULL, NULL)");
	daxctl_set_log_priority(NULL, 7);
	daxctl_set_log_fn(NULL, NULL);
	daxctl_set_userdata(NULL, NULL);
	daxctl_region_get_uuid(NULL, uu);
	daxctl_region_ref(NULL);
	daxctl_region_unref(NULL);
	ok(1, "NULL ctx/region setters, uuid, ref and unref do not crash");
}

static void test_embedded_region(void)
{
	struct daxctl_ctx *ctx = fixture_ctx("nvdimm-50-pmem-devdax");
	const char *path = "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0012:00/"
			   "ndbus0/region0/dax0.0";
	uuid_t uu = { 1, 2, 3 }, got;
	struct daxctl_region *a, *b;
	struct daxctl_dev *dev;

	a = daxctl_new_region(ctx, 7, uu, path);
	ok(a != NULL, "new_region on an nd_dax path");
	is_int(daxctl_region_get_id(a), 7, "new_region keeps the given id");
	daxctl_region_get_uuid(a, got);
	ok(memcmp(got, uu, sizeof(uu)) == 0, "new_region copies the uuid");
	b = daxctl_new_region(ctx, 7, uu, path);
	ok(a == b, "the same path gives the same region");
	/* a third owner through daxctl_region_ref */
	daxctl_region_ref(a);
	daxctl_region_unref(a);
	dev = daxctl_dev_get_first(a);
	is_str(daxctl_dev_get_devname(dev), "dax0.0",
	       "embedded region finds its device");
	daxctl_region_unref(a);
	is_str(daxctl_dev_get_devname(daxctl_dev_get_first(b)), "dax0.0",
	       "region survives the first owner's unref");
	daxctl_region_unref(b);
	/* freed now: enumeration must build a fresh one (ASan checks) */
	a = daxctl_region_get_first(ctx);
	ok(a != NULL && daxctl_region_get_id(a) == 0,
	   "enumeration after the embedder is gone finds the region again");
	daxctl_unref(ctx);
}

int main(void)
{
	test_hmem_boot();
	test_hmem_created();
	test_nvdimm();
	test_empty_roots();
	test_null_arguments();
	test_embedded_region();
	return tap_done();
}
