/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef _UTIL_STRINGS_H_
#define _UTIL_STRINGS_H_

#include <stdbool.h>
#include <sys/types.h>

/*
 * Strict number parsing for sysfs attribute contents and user input: the
 * whole string must be one number in @base (0 = decimal or 0x hex; a
 * leading zero is *not* octal), no sign, no blanks, no overflow. Returns 0
 * or -EINVAL / -ERANGE; *out is untouched on failure.
 */
int parse_u64(const char *s, int base, unsigned long long *out);
int parse_int(const char *s, int *out);

/*
 * A size given by the user: decimal or 0x hex, then at most one suffix
 * k, m, g or t (either case; powers of 1024). Nothing else: no sign, no
 * blanks, no octal. Returns 0, -EINVAL or -ERANGE; *out untouched on
 * failure.
 */
int parse_size(const char *s, unsigned long long *out);

/* "daxX.Y" exactly (X, Y decimal); fills @region_id and @id on success. */
bool parse_dax_devname(const char *name, int *region_id, int *id);

/* Strip one trailing newline in place, as sysfs reads end in '\n'. */
void strip_newline(char *s);


/*
 * Compare two strings treating runs of digits as numbers, so that
 * "dax0.2" < "dax0.10" and "region2" < "region10".
 */
int natural_cmp(const char *a, const char *b);

/*
 * What a file that is not a regular one is, for a refusal naming it:
 * "a directory", "a FIFO", "a character device"... ("not a regular file"
 * for anything else).
 */
const char *file_type_name(mode_t mode);

#endif /* _UTIL_STRINGS_H_ */
