// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/strings.h"

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int parse_u64(const char *s, int base, unsigned long long *out)
{
	unsigned long long v = 0;
	int d;

	if (!s)
		return -EINVAL;
	if (base == 0) {
		base = 10;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			base = 16;
			s += 2;
		}
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		d = digit_value(*s);
		if (d >= base)
			return -EINVAL;
		if (v > (ULLONG_MAX - (unsigned int)d) / (unsigned int)base)
			return -ERANGE;
		v = v * (unsigned int)base + (unsigned int)d;
	}
	*out = v;
	return 0;
}

int parse_int(const char *s, int *out)
{
	unsigned long long v;
	bool neg = false;
	int rc;

	if (s && *s == '-') {
		neg = true;
		s++;
	}
	rc = parse_u64(s, 10, &v);
	if (rc)
		return rc;
	if (v > (unsigned long long)INT_MAX + (neg ? 1 : 0))
		return -ERANGE;
	*out = neg ? (int)(-(long long)v) : (int)v;
	return 0;
}

static const char *parse_decimal(const char *s, int *out)
{
	long long v = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return NULL;
	}
	*out = (int)v;
	return s;
}

bool parse_dax_devname(const char *name, int *region_id, int *id)
{
	int r, d;

	if (strncmp(name, "dax", 3) != 0)
		return false;
	name = parse_decimal(name + 3, &r);
	if (!name || *name != '.')
		return false;
	name = parse_decimal(name + 1, &d);
	if (!name || *name)
		return false;
	*region_id = r;
	*id = d;
	return true;
}

void strip_newline(char *s)
{
	size_t len = strlen(s);

	if (len && s[len - 1] == '\n')
		s[len - 1] = '\0';
}

int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			const char *ea = a, *eb = b;
			size_t la, lb;
			int c;

			while (*a == '0' && a[1] >= '0' && a[1] <= '9')
				a++;
			while (*b == '0' && b[1] >= '0' && b[1] <= '9')
				b++;
			for (ea = a; *ea >= '0' && *ea <= '9'; ea++)
				;
			for (eb = b; *eb >= '0' && *eb <= '9'; eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = memcmp(a, b, la);
			if (c)
				return c < 0 ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	if (*a == *b)
		return 0;
	return *a ? 1 : -1;
}

int parse_size(const char *s, unsigned long long *out)
{
	static const char suffixes[] = "kmgt";
	unsigned long long v, mult = 1;
	const char *suffix;
	size_t len;
	char *num;
	int rc;

	if (!s || !*s)
		return -EINVAL;
	len = strlen(s);
	/* none of k, m, g, t is a hex digit: a last one is the suffix */
	suffix = strchr(suffixes, s[len - 1] | 0x20);
	if (suffix && *suffix) {
		mult = 1ULL << ((suffix - suffixes + 1) * 10);
		len--;
	}
	num = strndup(s, len);
	if (!num)
		return -ENOMEM;
	rc = parse_u64(num, 0, &v);
	free(num);
	if (rc)
		return rc;
	if (v > ULLONG_MAX / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

const char *file_type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	default:
		return "not a regular file";
	}
}
