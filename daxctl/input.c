// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "daxctl/input.h"
#include "util/strings.h"

static int invalid(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int invalid(char *why, size_t len, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(why, len, fmt, args);
	va_end(args);
	return -EINVAL;
}

/* A non-negative JSON integer (not a string such as -u prints). */
static bool get_u64(struct json_object *obj, const char *key,
		    unsigned long long *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return false;
	if (json_object_get_int64(v) < 0)
		return false;
	*out = json_object_get_uint64(v);
	return true;
}

static int range_cmp(const void *a, const void *b)
{
	const struct input_range *x = a, *y = b;

	return x->page_offset < y->page_offset ? -1 :
	       x->page_offset > y->page_offset;
}

int device_input_parse(struct json_object *obj, unsigned long page_size,
		       struct device_input *in, char *why, size_t len)
{
	struct json_object *v, *maps;
	unsigned long long total = 0;
	int i, j, n, id;
	const char *name;

	memset(in, 0, sizeof(*in));
	if (!json_object_is_type(obj, json_type_object))
		return invalid(why, len, "expected one device object%s",
			       json_object_is_type(obj, json_type_array) ?
			       ", not an array (pick one element)" : "");
	if (!json_object_object_get_ex(obj, "chardev", &v) ||
	    !json_object_is_type(v, json_type_string))
		return invalid(why, len, "no \"chardev\" string");
	name = json_object_get_string(v);
	if (!parse_dax_devname(name, &in->region_id, &id))
		return invalid(why, len, "\"chardev\" '%s' is not daxX.Y", name);
	if (!get_u64(obj, "size", &in->size) || in->size == 0)
		return invalid(why, len, "\"size\" must be a positive integer (a list without -u)");
	if (!get_u64(obj, "align", &in->align) || in->align == 0)
		return invalid(why, len, "\"align\" must be a positive integer (a list without -u)");
	if (!json_object_object_get_ex(obj, "mappings", &maps) ||
	    !json_object_is_type(maps, json_type_array) ||
	    json_object_array_length(maps) == 0)
		return invalid(why, len, "no \"mappings\" array (list with -M, as root)");
	n = (int)json_object_array_length(maps);
	in->ranges = calloc((size_t)n, sizeof(*in->ranges));
	if (!in->ranges)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(maps, (size_t)i);
		struct input_range *r = &in->ranges[i];
		unsigned long long size;

		if (!json_object_is_type(m, json_type_object) ||
		    !get_u64(m, "page_offset", &r->page_offset) ||
		    !get_u64(m, "start", &r->start) ||
		    !get_u64(m, "end", &r->end)) {
			device_input_free(in);
			return invalid(why, len, "mapping %d: \"page_offset\", \"start\" and \"end\" must be non-negative integers", i);
		}
		if (r->end < r->start) {
			invalid(why, len, "mapping %d: end %#llx before start %#llx",
				i, r->end, r->start);
			device_input_free(in);
			return -EINVAL;
		}
		if (get_u64(m, "size", &size) && size != r->end - r->start + 1) {
			device_input_free(in);
			return invalid(why, len, "mapping %d: \"size\" is not end - start + 1", i);
		}
	}
	in->nr_ranges = n;
	qsort(in->ranges, (size_t)n, sizeof(*in->ranges), range_cmp);
	for (i = 0; i < n; i++) {
		struct input_range *r = &in->ranges[i];

		if (r->page_offset != total / page_size) {
			invalid(why, len, "mapping at page_offset %#llx: expected %#llx (the ranges must follow each other)",
				r->page_offset, total / page_size);
			device_input_free(in);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (r->start <= in->ranges[j].end &&
			    in->ranges[j].start <= r->end) {
				invalid(why, len, "ranges %#llx-%#llx and %#llx-%#llx overlap",
					in->ranges[j].start, in->ranges[j].end,
					r->start, r->end);
				device_input_free(in);
				return -EINVAL;
			}
		}
		total += r->end - r->start + 1;
	}
	if (total != in->size) {
		unsigned long long size = in->size;

		device_input_free(in);
		return invalid(why, len, "the mappings add up to %llu bytes, not \"size\" %llu",
			       total, size);
	}
	return 0;
}

void device_input_free(struct device_input *in)
{
	free(in->ranges);
	in->ranges = NULL;
	in->nr_ranges = 0;
}

/* The whole file as one JSON value; a parse error is described in @why. */
static int read_json_file(const char *path, struct json_object **obj,
			  char *why, size_t len)
{
	enum json_tokener_error jerr = json_tokener_success;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;
	int rc = 0;

	f = fopen(path, "re");
	if (!f) {
		rc = -errno;
		snprintf(why, len, "%s", strerror(-rc));
		return rc;
	}
	/* a device description is small: refuse anything huge */
	buf = malloc(1 << 20);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	size = fread(buf, 1, (1 << 20) - 1, f);
	if (ferror(f) || !feof(f)) {
		snprintf(why, len, "%s", ferror(f) ? strerror(EIO) :
			 "larger than 1 MiB: not a device description");
		rc = -EINVAL;
	}
	fclose(f);
	if (!rc) {
		buf[size] = '\0';
		*obj = json_tokener_parse_verbose(buf, &jerr);
		if (!*obj) {
			snprintf(why, len, "not valid JSON: %s",
				 jerr == json_tokener_success ? "empty" :
				 json_tokener_error_desc(jerr));
			rc = -EINVAL;
		}
	}
	free(buf);
	return rc;
}

int device_input_load(const char *cmd, const char *path,
		      struct device_input *in)
{
	struct json_object *obj = NULL;
	char why[256];
	int rc;

	memset(in, 0, sizeof(*in));
	rc = read_json_file(path, &obj, why, sizeof(why));
	if (rc) {
		fprintf(stderr, "%s: --input %s: %s\n", cmd, path,
			rc == -ENOMEM ? strerror(ENOMEM) : why);
		return rc;
	}
	rc = device_input_parse(obj, (unsigned long)sysconf(_SC_PAGESIZE), in,
				why, sizeof(why));
	json_object_put(obj);
	if (rc)
		fprintf(stderr, "%s: --input %s: %s\n", cmd, path,
			rc == -EINVAL ? why : strerror(-rc));
	return rc;
}
