// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Loading the dax bus drivers (device_dax, kmem) when a bind needs them.
 * libkmod is initialised only then: listing never pays for reading the
 * module indexes. Built-in drivers need no loading; the modprobe blacklist
 * is honoured, so an administrator who blacklisted kmem gets an error, not
 * a loaded module.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libkmod.h>

#include "libdaxctl-private.h"

static bool driver_present(struct daxctl_ctx *ctx, const char *driver)
{
	char path[DAX_PATH_MAX];

	return dax_sys_path(ctx, path, sizeof(path), "bus/dax/drivers/%s",
			    driver) == 0 &&
	       access(path, F_OK) == 0;
}

static void __attribute__((format(printf, 6, 0)))
kmod_log_to_ctx(void *data, int priority, const char *file, int line,
		const char *fn, const char *format, va_list args)
{
	struct daxctl_ctx *ctx = data;
	char msg[512];

	if (ctx->log_priority < priority)
		return;
	vsnprintf(msg, sizeof(msg), format, args);
	dax_log(ctx, priority, file, line, fn, "libkmod: %s", msg);
}

static int kmod_ready(struct daxctl_ctx *ctx)
{
	if (ctx->kmod)
		return 0;
	ctx->kmod = kmod_new(NULL, NULL);
	if (!ctx->kmod)
		return -ENXIO;
	kmod_set_log_fn(ctx->kmod, kmod_log_to_ctx, ctx);
	kmod_set_log_priority(ctx->kmod, ctx->log_priority);
	return 0;
}

/*
 * Make @driver's directory appear under /sys/bus/dax/drivers. Returns 0,
 * or -ENODEV (with the reason logged) when it cannot.
 */
int dax_driver_load(struct daxctl_ctx *ctx, const char *driver)
{
	struct kmod_module *mod;
	int rc;

	if (driver_present(ctx, driver))
		return 0;
	if (ctx->dry_run) {
		dax_info(ctx, "dry run: would load module %s\n", driver);
		return 0;
	}
	/* modules belong to the running kernel, not to a captured tree */
	if (*ctx->root) {
		dax_err(ctx, "driver %s is not loaded (no module loading under a system root)\n",
			driver);
		return -ENODEV;
	}
	rc = kmod_ready(ctx);
	if (rc) {
		dax_err(ctx, "driver %s is not loaded and libkmod is unavailable\n",
			driver);
		return -ENODEV;
	}
	rc = kmod_module_new_from_name(ctx->kmod, driver, &mod);
	if (rc < 0) {
		dax_err(ctx, "module %s: %s\n", driver, strerror(-rc));
		return -ENODEV;
	}
	rc = kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST,
					     NULL, NULL, NULL, NULL);
	kmod_module_unref(mod);
	if (rc == KMOD_PROBE_APPLY_BLACKLIST) {
		dax_err(ctx, "module %s is blacklisted by the modprobe configuration\n",
			driver);
		return -ENODEV;
	}
	if (rc < 0) {
		dax_err(ctx, "loading module %s failed: %s\n", driver,
			strerror(-rc));
		return -ENODEV;
	}
	if (!driver_present(ctx, driver)) {
		dax_err(ctx, "module %s loaded but driver %s did not register\n",
			driver, driver);
		return -ENODEV;
	}
	dax_info(ctx, "loaded module %s\n", driver);
	return 0;
}

void dax_modules_release(struct daxctl_ctx *ctx)
{
	if (ctx->kmod)
		kmod_unref(ctx->kmod);
	ctx->kmod = NULL;
}
