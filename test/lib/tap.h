/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny TAP producer for the C tests: every check prints "ok N - what" or
 * "not ok N - what" with the values involved, and the exit status says
 * whether all passed.
 */
#ifndef _TEST_TAP_H_
#define _TEST_TAP_H_

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count, tap_failed;

static inline bool __attribute__((format(printf, 2, 3)))
tap_ok(bool cond, const char *fmt, ...)
{
	va_list args;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(args, fmt);
	vprintf(fmt, args);
	va_end(args);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __VA_ARGS__)

#define is_int(got, want, what)                                               \
	do {                                                                  \
		long long _g = (long long)(got), _w = (long long)(want);      \
		if (!tap_ok(_g == _w, "%s", what))                            \
			printf("#   got %lld, want %lld\n", _g, _w);          \
	} while (0)

#define is_u64(got, want, what)                                               \
	do {                                                                  \
		unsigned long long _g = (got), _w = (want);                   \
		if (!tap_ok(_g == _w, "%s", what))                            \
			printf("#   got %#llx, want %#llx\n", _g, _w);        \
	} while (0)

#define is_str(got, want, what)                                               \
	do {                                                                  \
		const char *_g = (got), *_w = (want);                         \
		if (!tap_ok(_g && _w && strcmp(_g, _w) == 0, "%s", what))     \
			printf("#   got '%s', want '%s'\n", _g ? _g : "(null)", \
			       _w ? _w : "(null)");                           \
	} while (0)

/* A skipped script under tap-driver.sh: an empty plan with a reason. */
static inline void tap_skip(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(0);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* _TEST_TAP_H_ */
