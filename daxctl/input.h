/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * create-device --input, reconfigure-device --input: one device object as "daxctl list -D -M" prints
 * it (plain numbers, not -u), describing a layout to recreate.
 */
#ifndef _DAXCTL_INPUT_H_
#define _DAXCTL_INPUT_H_

#include <stddef.h>

struct json_object;

struct input_range {
	unsigned long long page_offset, start, end;
};

struct device_input {
	int region_id;			/* X of "chardev":"daxX.Y" */
	unsigned long long size;
	unsigned long long align;
	struct input_range *ranges;	/* sorted by page_offset */
	int nr_ranges;
};

/*
 * Check @obj against the rules (object, keys present with the right types,
 * ranges that are non-empty, contiguous in page_offset, not overlapping,
 * adding up to size) and fill @in. On failure returns -EINVAL and writes
 * the reason to @why.
 */
int device_input_parse(struct json_object *obj, unsigned long page_size,
		       struct device_input *in, char *why, size_t len);

/*
 * Parse @size bytes at @buf (followed by a NUL) as exactly one JSON value,
 * strictly (RFC 8259): nothing but blanks after it, no key twice in an
 * object, no NUL byte. Returns 0 with @obj set, or -EINVAL with the
 * reason (and its line) in @why, or -ENOMEM.
 */
int device_input_json(const char *buf, size_t size, struct json_object **obj,
		      char *why, size_t len);
void device_input_free(struct device_input *in);

/*
 * Read the file at @path and parse it into @in; on failure the reason is
 * printed on stderr, prefixed by @cmd and the file name.
 */
int device_input_load(const char *cmd, const char *path,
		      struct device_input *in);

#endif /* _DAXCTL_INPUT_H_ */
