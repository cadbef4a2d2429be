/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daxctl commands. Each gets its own name in argv[0] and the rest of
 * the command line after it, plus the library context created once by
 * main(); it returns 0 or a negative errno (the exit status is the result
 * & 0xff). A command must parse its options with parse_options() before
 * it acts: "daxctl help CMD" runs it as "CMD --help" and relies on that
 * call to print the usage and exit. To add a command, declare it here and
 * add it to the table in daxctl.c.
 */
#ifndef _DAXCTL_BUILTIN_H_
#define _DAXCTL_BUILTIN_H_

#include <string.h>

#include <daxctl/libdaxctl.h>

int cmd_version(int argc, const char **argv, struct daxctl_ctx *ctx);
int cmd_list(int argc, const char **argv, struct daxctl_ctx *ctx);
int cmd_help(int argc, const char **argv, struct daxctl_ctx *ctx);
int cmd_migrate_device_model(int argc, const char **argv,
			     struct daxctl_ctx *ctx);
int cmd_create_device(int argc, const char **argv, struct daxctl_ctx *ctx);
int cmd_destroy_device(int argc, const char **argv, struct daxctl_ctx *ctx);
int cmd_reconfigure_device(int argc, const char **argv,
			   struct daxctl_ctx *ctx);
int cmd_online_memory(int argc, const char **argv, struct daxctl_ctx *ctx);
int cmd_offline_memory(int argc, const char **argv, struct daxctl_ctx *ctx);
int cmd_disable_device(int argc, const char **argv, struct daxctl_ctx *ctx);
int cmd_enable_device(int argc, const char **argv, struct daxctl_ctx *ctx);
int cmd_monitor(int argc, const char **argv, struct daxctl_ctx *ctx);

/*
 * The library's system root (daxctl_get_sysroot()) as the prefix of the
 * paths the library hands out: "" for the live system.
 */
static inline const char *ctx_root_prefix(struct daxctl_ctx *ctx)
{
	const char *root = daxctl_get_sysroot(ctx);

	return !root || !strcmp(root, "/") ? "" : root;
}

#endif /* _DAXCTL_BUILTIN_H_ */
