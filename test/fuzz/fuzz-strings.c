// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for util/strings.c: the strict number parsers that read
 * every sysfs attribute, the device name parser and the natural sort
 * order. Each result is checked against a deliberately naive model of the
 * documented rules, so a silent misparse fails as loudly as a crash.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/strings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Out-values must be left alone on failure: a sentinel tells. */
#define UNTOUCHED 0x5a5a5a5a5a5a5a5aULL

/* A result the documented rules do not allow: say which, then crash. */
static void __attribute__((noreturn, format(printf, 1, 2)))
failed(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz-check failed: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static bool is_dec(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (is_dec(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The documented parse_u64() rules, written the slow and obvious way:
 * base 0 is decimal unless "0x"/"0X" makes it hex (no octal), base 16
 * also takes an optional "0x", at least one digit, nothing else. The
 * first problem met, reading left to right, decides the error: a stray
 * character gives -EINVAL, the value overflowing gives -ERANGE.
 */
static int model_u64(const char *s, int base, unsigned long long *out)
{
	unsigned __int128 v = 0;
	int d;

	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (base == 0) {
		base = 10;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		d = base == 16 ? hex_value(*s) : (is_dec(*s) ? *s - '0' : -1);
		if (d < 0)
			return -EINVAL;
		v = v * (unsigned int)base + (unsigned int)d;
		if (v > ULLONG_MAX)
			return -ERANGE;
	}
	*out = (unsigned long long)v;
	return 0;
}

/* Drop leading zeros of a number, keeping one: "007" -> "7", "00.1" -> "0.1" */
static const char *skip_zeros(const char *s)
{
	while (s[0] == '0' && hex_value(s[1]) >= 0)
		s++;
	return s;
}

static void check_u64(const char *s, int base)
{
	unsigned long long v = UNTOUCHED, m = UNTOUCHED;
	char buf[32];
	const char *digits;
	int rc, mrc;

	rc = parse_u64(s, base, &v);
	mrc = model_u64(s, base, &m);
	if (rc != mrc || v != m)
		failed("parse_u64(\"%s\", %d) = %d, %#llx; expected %d, %#llx",
		       s, base, rc, v, mrc, m);
	if (rc)
		return;

	/* success must round-trip through printf (modulo leading zeros) */
	digits = s;
	if (base != 10 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		digits += 2;
	if (base == 10 || (base == 0 && digits == s)) {
		snprintf(buf, sizeof(buf), "%llu", v);
		if (strcmp(buf, skip_zeros(digits)) != 0)
			failed("parse_u64(\"%s\", %d) = %s", s, base, buf);
	} else {
		snprintf(buf, sizeof(buf), "%llx", v);
		if (strcasecmp(buf, skip_zeros(digits)) != 0)
			failed("parse_u64(\"%s\", %d) = 0x%s", s, base, buf);
	}
}

/*
 * parse_size(): the parse_u64() base 0 rules on everything but an
 * optional last k, m, g or t (either case), which multiplies by 2^10,
 * 2^20, 2^30 or 2^40; a product above 64 bits is -ERANGE.
 */
static int model_size(const char *s, unsigned long long *out)
{
	size_t len = strlen(s);
	unsigned long long v;
	unsigned int shift = 0;
	char *num;
	int rc;

	if (len) {
		switch (s[len - 1]) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		case 't': case 'T': shift = 40; break;
		}
	}
	if (shift)
		len--;
	num = strndup(s, len);
	if (!num)
		abort();
	rc = model_u64(num, 0, &v);
	free(num);
	if (rc)
		return rc;
	if (shift && v > (ULLONG_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

static void check_size(const char *s)
{
	unsigned long long got = UNTOUCHED, want = UNTOUCHED;
	int rc = parse_size(s, &got), mrc = model_size(s, &want);

	if (rc != mrc)
		failed("parse_size(\"%s\") = %d, model %d", s, rc, mrc);
	if (got != want)
		failed("parse_size(\"%s\") gave %llu, model %llu", s, got, want);
}

static void check_int(const char *s)
{
	unsigned long long m;
	int v = (int)UNTOUCHED, rc, mrc;
	bool neg = s[0] == '-';
	long long want = (int)UNTOUCHED;
	char buf[32];

	rc = parse_int(s, &v);
	/* model: an optional '-', then a base 10 parse_u64(), then the range */
	mrc = model_u64(s + neg, 10, &m);
	if (mrc == 0 && m > (unsigned long long)INT_MAX + neg)
		mrc = -ERANGE;
	if (mrc == 0)
		want = neg ? -(long long)m : (long long)m;
	if (rc != mrc || v != want)
		failed("parse_int(\"%s\") = %d, %d; expected %d, %lld", s, rc,
		       v, mrc, want);
	if (rc)
		return;
	snprintf(buf, sizeof(buf), "%d", v);
	/* "-0" reads as 0, which prints without the sign */
	if (v == 0 ? strcmp(skip_zeros(s + neg), "0") != 0 :
		     strcmp(buf + neg, skip_zeros(s + neg)) != 0)
		failed("parse_int(\"%s\") = %s", s, buf);
}

/*
 * parse_dax_devname() succeeds iff the name is "dax" digits "." digits,
 * both numbers fitting an int; printing them back gives the name without
 * leading zeros.
 */
static void check_devname(const char *s)
{
	int region_id = -7, id = -7;
	bool ok, want = false;
	const char *p, *dot = NULL;
	char buf[64], canon[64];
	unsigned long long r = 0, d = 0;

	ok = parse_dax_devname(s, &region_id, &id);
	if (strncmp(s, "dax", 3) == 0 && is_dec(s[3])) {
		for (p = s + 3; is_dec(*p); p++)
			;
		if (*p == '.' && is_dec(p[1])) {
			dot = p;
			for (p++; is_dec(*p); p++)
				;
			want = !*p;
		}
	}
	if (want) {
		/* the model's numbers: saturate, only "fits an int" matters */
		for (p = s + 3; p < dot; p++)
			r = r > INT_MAX ? r : r * 10 + (unsigned int)(*p - '0');
		for (p = dot + 1; *p; p++)
			d = d > INT_MAX ? d : d * 10 + (unsigned int)(*p - '0');
		want = r <= INT_MAX && d <= INT_MAX;
	}
	/* on failure the out-values keep what they had */
	if (ok != want || region_id != (want ? (int)r : -7) ||
	    id != (want ? (int)d : -7))
		failed("parse_dax_devname(\"%s\") = %d, %d, %d; expected %d",
		       s, ok, region_id, id, want);
	if (!ok)
		return;
	snprintf(buf, sizeof(buf), "dax%d.%d", region_id, id);
	snprintf(canon, sizeof(canon), "dax%.*s.%s",
		 (int)(dot - skip_zeros(s + 3)), skip_zeros(s + 3),
		 skip_zeros(dot + 1));
	if (strcmp(buf, canon) != 0)
		failed("parse_dax_devname(\"%s\") = %s", s, buf);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static bool has_digit(const char *s)
{
	for (; *s; s++)
		if (is_dec(*s))
			return true;
	return false;
}

/*
 * natural_cmp() must be a consistent order (qsort and sorted inserts rely
 * on it): reflexive, antisymmetric, transitive, and plain strcmp() order
 * where no digits are involved.
 */
static void check_natural(const char *a, const char *b, const char *c)
{
	int ab = natural_cmp(a, b), ba = natural_cmp(b, a);
	int bc = natural_cmp(b, c), ac = natural_cmp(a, c);

	if (natural_cmp(a, a) != 0 || natural_cmp(b, b) != 0)
		failed("natural_cmp(\"%s\" or \"%s\", itself) != 0", a, b);
	if (ab < -1 || ab > 1 || ab != -ba)
		failed("natural_cmp(\"%s\", \"%s\") = %d, reversed %d", a, b,
		       ab, ba);
	if (!has_digit(a) && !has_digit(b) && ab != sign(strcmp(a, b)))
		failed("natural_cmp(\"%s\", \"%s\") = %d, strcmp() disagrees",
		       a, b, ab);
	if ((ab <= 0 && bc <= 0 && ac > 0) || (ab >= 0 && bc >= 0 && ac < 0) ||
	    (ab == 0 && bc == 0 && ac != 0))
		failed("natural_cmp() not transitive on \"%s\", \"%s\", \"%s\": "
		       "%d %d %d", a, b, c, ab, bc, ac);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *parts[3] = { "", "", "" };
	char *s, *p, *end;
	int n;

	/* one NUL-terminated copy; an ASan report catches any overread */
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	check_u64(s, 0);
	check_u64(s, 10);
	check_u64(s, 16);
	check_size(s);
	check_int(s);
	check_devname(s);

	/*
	 * natural_cmp: the input's first NUL separates the two strings
	 * (a third after a second NUL feeds the transitivity check); an
	 * input without NUL is cut in the middle.
	 */
	end = s + size;
	if (!memchr(s, '\0', size) && size > 1) {
		char *t = malloc(size + 2);

		if (!t) {
			free(s);
			return 0;
		}
		memcpy(t, s, size / 2);
		t[size / 2] = '\0';
		memcpy(t + size / 2 + 1, s + size / 2, size - size / 2 + 1);
		free(s);
		s = t;
		end = s + size + 1;
	}
	for (p = s, n = 0; p <= end && n < 3; p += strlen(p) + 1)
		parts[n++] = p;
	check_natural(parts[0], parts[1], parts[2]);

	free(s);
	return 0;
}
