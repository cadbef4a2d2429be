// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which daxctl.conf.d section applies to a device: the one whose match
 * keys all hold. Reads only what the library already knows, plus the
 * NVDIMM namespace uuid through daxctl_region_get_uuid().
 */
#include <fnmatch.h>
#include <string.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/config.h"
#include "daxctl/json.h"

static bool key_holds(enum config_key key, const struct config_value *v,
		      struct daxctl_dev *dev, const char *root)
{
	struct daxctl_region *region = daxctl_dev_get_region(dev);
	const char *path;
	uuid_t uu;

	switch (key) {
	case CONFIG_NVDIMM_UUID:
		daxctl_region_get_uuid(region, uu);
		return !uuid_is_null(uu) && uuid_compare(uu, v->uuid) == 0;
	case CONFIG_REGION_PATH:
		/* '*' crosses '/': "*\/dax_region*" is every CXL region */
		path = json_region_path(region, root);
		return path && fnmatch(v->text, path, 0) == 0;
	case CONFIG_REGION_ID:
		return daxctl_region_get_id(region) == v->number;
	case CONFIG_DEVICE:
		return fnmatch(v->text, daxctl_dev_get_devname(dev), 0) == 0;
	case CONFIG_RESOURCE:
		return daxctl_dev_get_resource(dev) ==
		       (unsigned long long)v->number;
	case CONFIG_TARGET_NODE:
		return daxctl_dev_get_target_node(dev) == v->number;
	default:
		return false;
	}
}

int config_match(struct config *cfg, struct daxctl_dev *dev, const char *root,
		 struct config_section *found[2])
{
	struct config_section *s;
	int n = 0, k;

	found[0] = found[1] = NULL;
	for (s = cfg->sections; s; s = s->next) {
		for (k = 0; k < CONFIG_NR_MATCH_KEYS; k++)
			if (s->values[k].set &&
			    !key_holds((enum config_key)k, &s->values[k], dev,
				       root))
				break;
		if (k < CONFIG_NR_MATCH_KEYS)
			continue;
		if (n < 2)
			found[n] = s;
		n++;
	}
	return n;
}
