// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for create-device --input: arbitrary bytes parsed as
 * strict JSON by device_input_json() (one value, nothing after it, no
 * duplicate key), then checked by device_input_parse(). On success the
 * result must satisfy what create-device relies on before it writes
 * anything: at least one range, ranges sorted by page_offset, each
 * non-empty and following the previous one in the device, none
 * overlapping another, adding up to the size, and a region id and align
 * that were given. On failure, a reason must have been written.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "daxctl/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGE 4096UL

static void __attribute__((noreturn)) failed(const char *what)
{
	fprintf(stderr, "fuzz-check failed: %s\n", what);
	abort();
}

static void check(const struct device_input *in)
{
	unsigned long long total = 0;
	int i, j;

	if (in->nr_ranges < 1 || !in->ranges)
		failed("accepted without ranges");
	if (in->size == 0 || in->align == 0 || in->region_id < 0)
		failed("accepted a zero size or align, or a negative region");
	for (i = 0; i < in->nr_ranges; i++) {
		const struct input_range *r = &in->ranges[i];

		if (r->end < r->start)
			failed("accepted an empty range");
		if (r->page_offset != total / PAGE)
			failed("accepted ranges that do not follow each other");
		for (j = 0; j < i; j++)
			if (r->start <= in->ranges[j].end &&
			    in->ranges[j].start <= r->end)
				failed("accepted overlapping ranges");
		total += r->end - r->start + 1;
	}
	if (total != in->size)
		failed("accepted ranges that do not add up to the size");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct device_input in;
	struct json_object *obj;
	char why[256] = "";
	char *s;
	int rc;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	rc = device_input_json(s, size, &obj, why, sizeof(why));
	free(s);
	if (rc == -EINVAL && !why[0])
		failed("JSON refused without a reason");
	if (rc != 0 && rc != -EINVAL && rc != -ENOMEM)
		failed("a JSON error other than EINVAL or ENOMEM");
	if (rc)
		return 0;
	if (!obj)
		failed("JSON accepted without a value");
	rc = device_input_parse(obj, PAGE, &in, why, sizeof(why));
	if (rc == 0) {
		check(&in);
		device_input_free(&in);
	} else if (rc == -EINVAL && !why[0]) {
		failed("refused without a reason");
	} else if (rc != -EINVAL && rc != -ENOMEM) {
		failed("an error other than EINVAL or ENOMEM");
	}
	json_object_put(obj);
	return 0;
}
