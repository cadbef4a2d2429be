// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "daxctl/input.h"

/* json-c 0.14 has no accessor for where the parse ended */
#if JSON_C_VERSION_NUM < ((0 << 16) | (15 << 8))
#define json_tokener_get_parse_end(tok) ((size_t)(tok)->char_offset)
#endif
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

/*
 * The other keys "daxctl list" prints in a device object and in its
 * mappings, with their types: not used here, but a value of another type
 * means the file is not what it seems. Keys not listed (a later daxctl
 * may print more) must hold plain values: only "mappings" nests.
 */
static const struct typed_key {
	const char *name;
	enum json_type type;
} device_keys[] = {
	{ "target_node", json_type_int },
	{ "mode", json_type_string },
	{ "state", json_type_string },
	{ "online_memblocks", json_type_int },
	{ "total_memblocks", json_type_int },
	{ "movable", json_type_boolean },
	{ NULL, json_type_null },
}, mapping_keys[] = {
	{ "size", json_type_int },
	{ NULL, json_type_null },
};

static const char *type_name(enum json_type type)
{
	switch (type) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a fraction";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "?";
}

/* @where: "" for the device object, "mapping N: " for a mapping. */
static int check_keys(struct json_object *obj, const struct typed_key *keys,
		      const char *nested, const char *where, char *why,
		      size_t len)
{
	json_object_object_foreach(obj, key, val) {
		enum json_type type = json_object_get_type(val);
		const struct typed_key *k;

		for (k = keys; k->name; k++)
			if (strcmp(key, k->name) == 0)
				break;
		if (k->name && type != k->type)
			return invalid(why, len, "%s\"%s\" must be %s, not %s",
				       where, k->name, type_name(k->type),
				       type_name(type));
		if ((type == json_type_object || type == json_type_array) &&
		    (!nested || strcmp(key, nested) != 0))
			return invalid(why, len, "%s\"%s\" is %s: only \"mappings\" holds more than a value",
				       where, key, type_name(type));
	}
	return 0;
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
	if (check_keys(obj, device_keys, "mappings", "", why, len))
		return -EINVAL;
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

		if (json_object_is_type(m, json_type_object)) {
			char where[32];

			snprintf(where, sizeof(where), "mapping %d: ", i);
			if (check_keys(m, mapping_keys, NULL, where, why, len)) {
				device_input_free(in);
				return -EINVAL;
			}
		}
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
		if (json_object_object_get_ex(m, "size", NULL) &&
		    (!get_u64(m, "size", &size) ||
		     size != r->end - r->start + 1)) {
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

/* Keys of one object seen so far, in a frame of duplicate_key(). */
#define INPUT_MAX_KEYS 64
struct key_frame {
	bool object;
	int nr_keys;
	char *keys[INPUT_MAX_KEYS];
};

/* The key of the JSON string [@start, @end] (quotes included), decoded. */
static char *key_text(const char *start, const char *end)
{
	struct json_object *str;
	char *copy, *key;

	if (!memchr(start, '\\', (size_t)(end - start)))
		return strndup(start + 1, (size_t)(end - start - 1));
	/* escapes: let json-c decode them, so "a" and "\u0061" are one */
	copy = strndup(start, (size_t)(end - start + 1));
	if (!copy)
		return NULL;
	str = json_tokener_parse(copy);
	free(copy);
	key = str ? strdup(json_object_get_string(str)) : NULL;
	json_object_put(str);
	return key;
}

/*
 * json-c keeps the last of duplicate keys, silently: find any, in the
 * text it accepted (so well-formed, at most JSON_TOKENER_DEFAULT_DEPTH
 * deep). Returns 0 or -EINVAL with @why written.
 */
static int duplicate_key(const char *buf, size_t size, char *why, size_t len)
{
	struct key_frame *frames, *f = NULL;
	const char *p, *end = buf + size, *q;
	bool expect_key = false;
	int depth = 0, line = 1, rc = 0, i;
	char *key;

	frames = calloc(JSON_TOKENER_DEFAULT_DEPTH + 1, sizeof(*frames));
	if (!frames)
		return -ENOMEM;
	for (p = buf; p < end && !rc; p++) {
		switch (*p) {
		case '\n':
			line++;
			break;
		case '{':
		case '[':
			if (depth == JSON_TOKENER_DEFAULT_DEPTH) {
				rc = invalid(why, len, "line %d: nested too deep", line);
				break;
			}
			f = &frames[++depth];
			f->object = *p == '{';
			expect_key = f->object;
			break;
		case '}':
		case ']':
			for (i = 0; f && i < f->nr_keys; i++)
				free(f->keys[i]);
			if (f)
				f->nr_keys = 0;
			f = --depth > 0 ? &frames[depth] : NULL;
			expect_key = false;
			break;
		case ',':
			expect_key = f && f->object;
			break;
		case ':':
			expect_key = false;
			break;
		case '"':
			for (q = p + 1; q < end && *q != '"'; q++)
				if (*q == '\\')
					q++;
			if (q >= end)
				break;
			if (expect_key && f) {
				key = key_text(p, q);
				if (!key) {
					rc = -ENOMEM;
					break;
				}
				for (i = 0; i < f->nr_keys; i++)
					if (strcmp(f->keys[i], key) == 0)
						break;
				if (i < f->nr_keys) {
					rc = invalid(why, len, "line %d: duplicate key \"%.*s\"",
						     line, (int)strcspn(key, "\"\\"), key);
					free(key);
				} else if (f->nr_keys == INPUT_MAX_KEYS) {
					rc = invalid(why, len, "line %d: an object with more than %d keys: not a device description",
						     line, INPUT_MAX_KEYS);
					free(key);
				} else {
					f->keys[f->nr_keys++] = key;
				}
			}
			p = q;
			break;
		default:
			break;
		}
	}
	for (depth = 0; depth <= JSON_TOKENER_DEFAULT_DEPTH; depth++)
		for (i = 0; i < frames[depth].nr_keys; i++)
			free(frames[depth].keys[i]);
	free(frames);
	return rc;
}

/* The line of byte @offset of @buf. */
static int line_of(const char *buf, size_t offset)
{
	int line = 1;
	size_t i;

	for (i = 0; i < offset; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

/* One json-c parse of @buf, with the NUL after it, so a bare number ends. */
static struct json_object *parse_json(struct json_tokener *tok,
				      const char *buf, size_t size, int flags,
				      enum json_tokener_error *jerr,
				      size_t *end)
{
	struct json_object *obj;

	json_tokener_reset(tok);
	json_tokener_set_flags(tok, flags);
	obj = json_tokener_parse_ex(tok, buf, (int)size + 1);
	*jerr = json_tokener_get_error(tok);
	*end = json_tokener_get_parse_end(tok);
	if (*end > size)
		*end = size;
	return obj;
}

int device_input_json(const char *buf, size_t size, struct json_object **obj,
		      char *why, size_t len)
{
	enum json_tokener_error jerr, jerr2;
	struct json_tokener *tok;
	struct json_object *first;
	const char *nul;
	size_t end, end2;
	int rc;

	*obj = NULL;
	nul = memchr(buf, '\0', size);
	if (nul)
		return invalid(why, len, "line %d: binary data (a NUL byte): not JSON",
			       line_of(buf, (size_t)(nul - buf)));
	if (size > INT_MAX - 1)
		return invalid(why, len, "too large");
	if (strspn(buf, " \t\r\n") == size)
		return invalid(why, len, "not valid JSON: empty");
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	/* RFC 8259 only: no comments, single quotes, NaN, trailing data */
	*obj = parse_json(tok, buf, size, JSON_TOKENER_STRICT, &jerr, &end);
	if (!*obj && jerr == json_tokener_success) {
		rc = invalid(why, len, "expected one device object, not null");
	} else if (!*obj && jerr == json_tokener_continue) {
		rc = invalid(why, len, "not valid JSON: unexpected end of the file");
	} else if (!*obj) {
		/*
		 * Strict mode refuses trailing data as an unexpected
		 * character: when a whole value ends before the error, say
		 * what is wrong.
		 */
		first = parse_json(tok, buf, size, 0, &jerr2, &end2);
		json_object_put(first);
		if (first && end2 <= end)
			rc = invalid(why, len, "line %d: more data after the device object",
				     line_of(buf, end2 +
					     strspn(buf + end2, " \t\r\n")));
		else
			rc = invalid(why, len, "not valid JSON: line %d: %s",
				     line_of(buf, end),
				     json_tokener_error_desc(jerr));
	} else if (end + strspn(buf + end, " \t\r\n") < size) {
		/* what follows the value must be blank */
		rc = invalid(why, len, "line %d: more data after the device object",
			     line_of(buf, end + strspn(buf + end, " \t\r\n")));
	} else {
		rc = duplicate_key(buf, size, why, len);
	}
	json_tokener_free(tok);
	if (rc) {
		json_object_put(*obj);
		*obj = NULL;
	}
	return rc;
}

/* The whole file as one JSON value; a parse error is described in @why. */
static int read_json_file(const char *path, struct json_object **obj,
			  char *why, size_t len)
{
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
		rc = device_input_json(buf, size, obj, why, len);
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
