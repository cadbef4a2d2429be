// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "libdaxctl-private.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DAXCTL_CONF_DIR SYSCONFDIR "/daxctl.conf.d"

static const char *env_get(const char *name)
{
#ifdef HAVE_SECURE_GETENV
	return secure_getenv(name);
#else
	return getenv(name);
#endif
}

static void __attribute__((format(printf, 6, 0)))
log_stderr(struct daxctl_ctx *ctx, int priority, const char *file, int line,
	   const char *fn, const char *format, va_list args)
{
	/* function names are for debugging, not for users */
	if (priority >= LOG_DEBUG)
		fprintf(stderr, "libdaxctl: %s: ", fn);
	else
		fprintf(stderr, "libdaxctl: ");
	vfprintf(stderr, format, args);
}

/* The configuration directory that belongs to the system root. */
static int config_path_follow_root(struct daxctl_ctx *ctx)
{
	char *path;

	if (ctx->config_path_set)
		return 0;
	if (asprintf(&path, "%s%s", ctx->root, DAXCTL_CONF_DIR) < 0)
		return -ENOMEM;
	free(ctx->config_path);
	ctx->config_path = path;
	return 0;
}

/*
 * DAXCTL_SYSROOT points the library at a copy of a system's /sys (and
 * /proc): a captured dump, a test fixture or an emulator mount. It is for
 * inspection and testing. DAXCTL_LOG and DAXCTL_CONFIG_PATH (another
 * configuration directory) are ignored in secure-execution (setuid)
 * contexts; DAXCTL_SYSROOT is refused there (-EPERM), since ignoring it
 * would turn a command meant for a copy onto the live system.
 */
DAXCTL_EXPORT int daxctl_new(struct daxctl_ctx **ctx)
{
	struct daxctl_ctx *c;
	const char *env;

	if (!ctx)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->refcount = 1;
	c->root_fd = -1;
	c->log_fn = log_stderr;
	c->log_priority = LOG_ERR;
	list_init(&c->regions);
	env = sysroot_from_env();
	if (env && !sysroot_is_live(env) && sysroot_secure_execution()) {
		dax_err(c, "DAXCTL_SYSROOT=%s is refused in a setuid or setgid program\n",
			env);
		free(c);
		return -EPERM;
	}
	/* paths handed out are compared with realpath()s (QEMU does so) */
	c->root = sysroot_resolve(env);
	/* a system root brings its own configuration */
	env = env_get("DAXCTL_CONFIG_PATH");
	if (env && *env) {
		c->config_path = strdup(env);
		c->config_path_set = true;
	} else if (c->root && config_path_follow_root(c) < 0) {
		c->config_path = NULL;
	}
	if (!c->root || !c->config_path) {
		free(c->root);
		free(c->config_path);
		free(c);
		return -ENOMEM;
	}
	env = env_get("DAXCTL_LOG");
	if (env)
		daxctl_set_log_priority(c, dax_log_priority_from_string(env));
	dax_info(c, "ctx %p created\n", (void *)c);
	if (*c->root)
		dax_info(c, "system root: %s\n", c->root);
	*ctx = c;
	return 0;
}

DAXCTL_EXPORT struct daxctl_ctx *daxctl_ref(struct daxctl_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

DAXCTL_EXPORT void daxctl_unref(struct daxctl_ctx *ctx)
{
	struct list_node *pos, *tmp;

	if (!ctx || --ctx->refcount > 0)
		return;
	list_for_each_safe(&ctx->regions, pos, tmp)
		dax_region_free(container_of(pos, struct daxctl_region, node));
	dax_modules_release(ctx);
	dax_info(ctx, "context %p released\n", (void *)ctx);
	dax_close_root(ctx);
	free(ctx->root);
	free(ctx->config_path);
	free(ctx->bus_path);
	free(ctx->memory_path);
	free(ctx);
}

DAXCTL_EXPORT int daxctl_set_sysroot(struct daxctl_ctx *ctx, const char *root)
{
	char *resolved, *old_root;
	struct stat st;
	int rc;

	if (!ctx)
		return -EINVAL;
	/* objects already found carry the old root in their paths */
	if (ctx->regions_scanned || !list_empty(&ctx->regions))
		return -EBUSY;
	resolved = sysroot_normalise(root);
	if (!resolved)
		return -ENOMEM;
	if (*resolved && sysroot_secure_execution()) {
		dax_err(ctx, "system root %s is refused in a setuid or setgid program\n",
			resolved);
		free(resolved);
		return -EPERM;
	}
	if (*resolved) {
		if (stat(resolved, &st) < 0) {
			rc = -errno;
			free(resolved);
			return rc;
		}
		free(resolved);
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		resolved = sysroot_resolve(root);
		if (!resolved)
			return -ENOMEM;
	}
	old_root = ctx->root;
	ctx->root = resolved;
	rc = config_path_follow_root(ctx);
	if (rc < 0) {
		ctx->root = old_root;
		free(resolved);
		return rc;
	}
	free(old_root);
	dax_close_root(ctx);
	free(ctx->bus_path);
	ctx->bus_path = NULL;
	free(ctx->memory_path);
	ctx->memory_path = NULL;
	/* what was read below the old root */
	ctx->block_size = 0;
	ctx->block_size_err = 0;
	dax_info(ctx, "system root: %s\n", *ctx->root ? ctx->root : "/");
	return 0;
}

DAXCTL_EXPORT const char *daxctl_get_sysroot(struct daxctl_ctx *ctx)
{
	if (!ctx)
		return NULL;
	return *ctx->root ? ctx->root : "/";
}

DAXCTL_EXPORT const char *daxctl_get_bus_path(struct daxctl_ctx *ctx)
{
	static const char * const dirs[] = { "bus/dax", "class/dax" };
	char path[DAX_PATH_MAX];
	struct stat st;
	size_t i;

	if (!ctx)
		return NULL;
	if (ctx->bus_path)
		return ctx->bus_path;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (dax_sys_path(ctx, path, sizeof(path), "%s", dirs[i]))
			continue;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			ctx->bus_path = strdup(path);
			break;
		}
	}
	return ctx->bus_path;
}

DAXCTL_EXPORT void daxctl_set_userdata(struct daxctl_ctx *ctx, void *userdata)
{
	if (ctx)
		ctx->userdata = userdata;
}

DAXCTL_EXPORT void *daxctl_get_userdata(struct daxctl_ctx *ctx)
{
	return ctx ? ctx->userdata : NULL;
}

DAXCTL_EXPORT int daxctl_set_config_path(struct daxctl_ctx *ctx,
					 char *config_path)
{
	char *copy;

	if (!ctx || !config_path)
		return -EINVAL;
	copy = strdup(config_path);
	if (!copy)
		return -ENOMEM;
	free(ctx->config_path);
	ctx->config_path = copy;
	ctx->config_path_set = true;
	return 0;
}

DAXCTL_EXPORT const char *daxctl_get_config_path(struct daxctl_ctx *ctx)
{
	return ctx ? ctx->config_path : NULL;
}

DAXCTL_EXPORT int daxctl_set_dry_run(struct daxctl_ctx *ctx,
				     void (*report)(struct daxctl_ctx *ctx,
						    const char *path,
						    const char *value))
{
	if (!ctx)
		return -EINVAL;
	ctx->dry_run = true;
	ctx->dry_run_report = report;
	dax_info(ctx, "dry run: nothing will be written\n");
	return 0;
}

DAXCTL_EXPORT int daxctl_get_dry_run(struct daxctl_ctx *ctx)
{
	return ctx && ctx->dry_run;
}
