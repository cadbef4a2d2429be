/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _DAXCTL_JSON_H_
#define _DAXCTL_JSON_H_

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

struct daxctl_region;
struct daxctl_dev;
struct daxctl_mapping;

/* What the JSON builders could not show for lack of privilege. */
enum json_hidden {
	JSON_HIDDEN_REGION_ALIGN = 1 << 0,
	JSON_HIDDEN_MAPPINGS = 1 << 1,
	JSON_HIDDEN_MEMBLOCKS = 1 << 2,
};

struct json_opts {
	const char *root;	/* system root the library was pointed at */
	bool human;		/* -u: sizes as "1.00 GiB (1.07 GB)", hex */
	bool mappings;		/* -M */
	unsigned int hidden;	/* enum json_hidden, filled in */
	/* list: the command a killed run left a device to (intent.h) */
	const char *(*interrupted)(const char *root, const char *devname,
				   char *buf, size_t len);
};

struct json_object *json_region(struct daxctl_region *region,
				struct json_opts *opts);
struct json_object *json_dev(struct daxctl_dev *dev, struct json_opts *opts);
/*
 * The "mode" of a device bound to @driver (NULL: none): devdax for
 * device_dax or none, system-ram for kmem, famfs for fsdev_dax, else
 * "unknown", and then list shows the driver's name as well.
 */
const char *json_dev_mode(const char *driver);
bool json_driver_known(const char *driver);
struct json_object *json_mapping(struct daxctl_mapping *mapping,
				 struct json_opts *opts);

/*
 * The sysfs path of a region as shown to users ("/platform/hmem.0"), NULL
 * when it is not below the devices directory of @root's sysfs.
 */
const char *json_region_path(struct daxctl_region *region, const char *root);

/* Append "what was hidden" to @buf as a comma-separated list. */
void json_hidden_describe(unsigned int hidden, char *buf, size_t len);

/* Print @obj the way every daxctl command prints JSON, with a newline. */
int json_print(FILE *f, struct json_object *obj);

#endif /* _DAXCTL_JSON_H_ */
