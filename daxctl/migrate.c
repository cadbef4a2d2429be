// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxctl migrate-device-model: install the modprobe policy that moves pmem
 * dax devices from the legacy dax class model to the dax bus
 * (blacklist dax_pmem_compat, alias nd:t7* to dax_pmem), as a symlink to
 * the snippet daxctl ships. It takes effect when the modules are reloaded
 * or at the next boot.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daxctl/builtin.h"
#include "daxctl/parse-options.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef DATADIR
#define DATADIR "/usr/share"
#endif

#define MODPROBE_SNIPPET DATADIR "/daxctl/daxctl.conf"
#define MODPROBE_LINK SYSCONFDIR "/modprobe.d/daxctl.conf"

int cmd_migrate_device_model(int argc, const char **argv,
			     struct daxctl_ctx *ctx)
{
	static const char * const usage[] = {
		"daxctl migrate-device-model [<options>]", NULL
	};
	int dry_run = 0;
	const struct option options[] = {
		OPT_BOOLEAN(0, "dry-run", &dry_run,
			    "print the link it would create; change nothing"),
		OPT_END(),
	};
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	argc = parse_options(argc, argv, options, usage, 0);
	usage_unknown_params(argc, argv, usage, options);

	/* under --sysroot the configuration of that system root changes */
	n = snprintf(link, sizeof(link), "%s%s", ctx_root_prefix(ctx),
		     MODPROBE_LINK);
	if (n < 0 || (size_t)n >= sizeof(link))
		return -ENAMETOOLONG;

	n = readlink(link, target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		if (strcmp(target, MODPROBE_SNIPPET) == 0) {
			fprintf(stderr, " note: %s is already installed\n",
				MODPROBE_LINK);
			return 0;
		}
	}
	if (dry_run) {
		struct stat st;

		/* what the real run would find in its way */
		if (lstat(link, &st) == 0) {
			fprintf(stderr, "  Error: cannot install %s: %s\n",
				MODPROBE_LINK, strerror(EEXIST));
			return 1;
		}
		printf("symlink %s -> %s\n", MODPROBE_LINK, MODPROBE_SNIPPET);
		fprintf(stderr, " dry run: nothing was changed\n");
		return 0;
	}
	if (symlink(MODPROBE_SNIPPET, link) < 0) {
		fprintf(stderr, "  Error: failed to install %s: %s\n",
			MODPROBE_LINK, strerror(errno));
		return 1;
	}
	fprintf(stderr, " success: installed %s\n", MODPROBE_LINK);
	fprintf(stderr, " note: it takes effect at the next boot, or after reloading the dax_pmem modules and 'udevadm trigger'\n");
	return 0;
}
