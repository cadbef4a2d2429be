/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --size / --align values: decimal or 0x hex with an optional k/m/g/t
 * suffix, nothing else. The reference silently ignored a value it could
 * not parse (and read a leading 0 as octal); here a bad value is a usage
 * error that names it (README.md, "Differences from ndctl's daxctl").
 */
#ifndef _DAXCTL_SIZE_OPTION_H_
#define _DAXCTL_SIZE_OPTION_H_

#include <stdbool.h>

#include "daxctl/parse-options.h"

struct size_option {
	bool set;
	unsigned long long value;
	const char *arg;	/* as given, for messages */
};

int size_option_cb(const struct option *opt, const char *arg, bool unset);

#define OPT_SIZE(s, l, v, h)                                                  \
	OPT_CALLBACK(s, l, PARSE_OPT_CHECK_TYPE(v, struct size_option *),     \
		     "size", h, size_option_cb)

#endif /* _DAXCTL_SIZE_OPTION_H_ */
