// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>

#include "daxctl/size-option.h"
#include "util/strings.h"

int size_option_cb(const struct option *opt, const char *arg, bool unset)
{
	struct size_option *so = opt->value;
	unsigned long long v;
	int rc;

	if (unset) {
		so->set = false;
		return 0;
	}
	rc = parse_size(arg, &v);
	if (rc) {
		fprintf(stderr, "  Error: invalid %s '%s': %s\n", opt->long_name,
			arg, rc == -ERANGE ? "too large" :
			"expected a number (decimal or 0x hex) with an optional k, m, g or t suffix");
		return -1;
	}
	so->set = true;
	so->value = v;
	so->arg = arg;
	return 0;
}
