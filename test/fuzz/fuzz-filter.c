// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for daxctl/filter.c: the region and device filters of
 * "daxctl list -r/-d" on arbitrary strings. Besides memory errors, each
 * verdict is checked against the syntax documented in filter.h, so a
 * filter that accepts junk (or refuses a valid id) is reported too.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxctl/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A verdict the documented syntax does not allow: say which, then crash. */
static void __attribute__((noreturn)) failed(const char *fn, const char *s,
					     bool expected)
{
	fprintf(stderr, "fuzz-check failed: %s(\"%s\") should be %s\n", fn, s,
		expected ? "true" : "false");
	abort();
}

static bool is_dec(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Skip one run of decimal digits whose value fits an int; NULL when
 * there is none or it does not fit.
 */
static const char *int_run(const char *s)
{
	unsigned long long v = 0;

	if (!is_dec(*s))
		return NULL;
	for (; is_dec(*s); s++) {
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > INT_MAX)
			return NULL;
	}
	return s;
}

/* "all", "N" or "regionN" */
static bool model_region(const char *s)
{
	if (strcmp(s, "all") == 0)
		return true;
	if (strncmp(s, "region", 6) == 0)
		s += 6;
	s = int_run(s);
	return s && !*s;
}

/* "all", "daxX.Y" or "X.Y" */
static bool model_dev(const char *s)
{
	if (strcmp(s, "all") == 0)
		return true;
	if (strncmp(s, "dax", 3) == 0)
		s += 3;
	s = int_run(s);
	if (!s || *s != '.')
		return false;
	s = int_run(s + 1);
	return s && !*s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (filter_region_valid(s) != model_region(s))
		failed("filter_region_valid", s, model_region(s));
	if (filter_dev_valid(s) != model_dev(s))
		failed("filter_dev_valid", s, model_dev(s));
	/* no filter at all matches everything */
	if (!filter_region_valid(NULL) || !filter_dev_valid(NULL))
		failed("filter_*_valid", "(null)", true);

	free(s);
	return 0;
}
