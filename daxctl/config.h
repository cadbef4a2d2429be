/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The persistent configuration read by "reconfigure-device -C": every
 * *.conf file of a directory (daxctl.conf(5)), parsed and checked as a
 * whole before any device is looked at, so that a file with one error
 * changes nothing.
 */
#ifndef _DAXCTL_CONFIG_H_
#define _DAXCTL_CONFIG_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

#include <uuid/uuid.h>

enum config_key {
	/* match keys: every one a section has must hold for the device */
	CONFIG_NVDIMM_UUID,
	CONFIG_REGION_PATH,
	CONFIG_REGION_ID,
	CONFIG_DEVICE,
	CONFIG_RESOURCE,
	CONFIG_TARGET_NODE,
	CONFIG_NR_MATCH_KEYS,
	/* what to do with a matching device */
	CONFIG_MODE = CONFIG_NR_MATCH_KEYS,
	CONFIG_ONLINE,
	CONFIG_MOVABLE,
	CONFIG_MEMMAP_ON_MEMORY,
	CONFIG_NR_KEYS,
};

enum config_mode {
	CONFIG_MODE_SYSTEM_RAM,
	CONFIG_MODE_DEVDAX,
};

struct config_value {
	bool set;
	const char *file;	/* where it was set: owned by struct config */
	int line;
	char *text;		/* as written, quotes removed */
	union {
		uuid_t uuid;
		long long number;	/* ids, node, resource */
		enum config_mode mode;
		bool flag;
	};
};

struct config_section {
	struct config_section *next;
	char *name;		/* the NAME of [reconfigure-device NAME] */
	const char *file;	/* where it was first opened */
	int line;
	bool bad_key;		/* a key line of it was rejected */
	struct config_value values[CONFIG_NR_KEYS];
};

struct config {
	char *dir;
	struct config_section *sections;	/* in order of appearance */
	char **files;		/* names of the files read, for messages */
	size_t nr_files;
	int errors;
	FILE *log;		/* errors and warnings; NULL: silent */
};

/* The name of @key as written in a file ("nvdimm.uuid"). */
const char *config_key_name(enum config_key key);

void config_init(struct config *cfg, FILE *log);
void config_release(struct config *cfg);

/*
 * Read every *.conf file of @dir in byte order; a missing directory is an
 * empty configuration. Returns 0, or -EINVAL when any file had an error
 * (each reported to cfg->log as "FILE:LINE: message"), or another -errno
 * when the directory cannot be read.
 */
int config_load_dir(struct config *cfg, const char *dir);

/*
 * Parse one file's contents (@len bytes, need not be NUL-terminated) as
 * if read from @name. Errors are counted in cfg->errors.
 */
void config_parse_buffer(struct config *cfg, const char *name,
			 const char *buf, size_t len);

/*
 * The checks that need every file: a section with no match key, online,
 * movable or memmap_on_memory with mode devdax. Returns 0 or -EINVAL.
 */
int config_check(struct config *cfg);

struct daxctl_dev;

/*
 * The sections whose match keys all hold for @dev (config-match.c), with
 * @root the system root the library reads (region paths carry it). Stores
 * the first two in @found and returns how many there are: more than one
 * is a configuration error for that device.
 */
int config_match(struct config *cfg, struct daxctl_dev *dev, const char *root,
		 struct config_section *found[2]);

#endif /* _DAXCTL_CONFIG_H_ */
