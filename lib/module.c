// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Loading the dax bus drivers (device_dax, kmem) when a bind needs them.
 * libkmod is opened (dlopen) and initialised only then: listing pays
 * neither for mapping libkmod and its compression and crypto libraries
 * (about 40 system calls at every start) nor for reading the module
 * indexes. Built-in drivers need no loading; the modprobe blacklist is
 * honoured, so an administrator who blacklisted kmem gets an error, not a
 * loaded module.
 */
#include <dlfcn.h>
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

/* The libkmod functions used, resolved at run time. */
static struct {
	void *handle;
	__typeof__(kmod_new) *new_ctx;
	__typeof__(kmod_unref) *unref;
	__typeof__(kmod_set_log_fn) *set_log_fn;
	__typeof__(kmod_set_log_priority) *set_log_priority;
	__typeof__(kmod_module_new_from_name) *module_new_from_name;
	__typeof__(kmod_module_probe_insert_module) *probe_insert_module;
	__typeof__(kmod_module_unref) *module_unref;
} kmod;

#define KMOD_SONAME "libkmod.so.2"

static int kmod_open(struct daxctl_ctx *ctx)
{
	void *h;

	if (kmod.handle)
		return 0;
	h = dlopen(KMOD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		dax_err(ctx, "cannot open %s: %s\n", KMOD_SONAME, dlerror());
		return -ENXIO;
	}
	kmod.new_ctx = dlsym(h, "kmod_new");
	kmod.unref = dlsym(h, "kmod_unref");
	kmod.set_log_fn = dlsym(h, "kmod_set_log_fn");
	kmod.set_log_priority = dlsym(h, "kmod_set_log_priority");
	kmod.module_new_from_name = dlsym(h, "kmod_module_new_from_name");
	kmod.probe_insert_module = dlsym(h, "kmod_module_probe_insert_module");
	kmod.module_unref = dlsym(h, "kmod_module_unref");
	if (!kmod.new_ctx || !kmod.unref || !kmod.set_log_fn ||
	    !kmod.set_log_priority || !kmod.module_new_from_name ||
	    !kmod.probe_insert_module || !kmod.module_unref) {
		dax_err(ctx, "%s lacks a function daxctl needs\n", KMOD_SONAME);
		dlclose(h);
		return -ENXIO;
	}
	/* kept open: libkmod may be used by several contexts */
	kmod.handle = h;
	return 0;
}

static int kmod_ready(struct daxctl_ctx *ctx)
{
	if (ctx->kmod)
		return 0;
	if (kmod_open(ctx))
		return -ENXIO;
	ctx->kmod = kmod.new_ctx(NULL, NULL);
	if (!ctx->kmod)
		return -ENXIO;
	kmod.set_log_fn(ctx->kmod, kmod_log_to_ctx, ctx);
	kmod.set_log_priority(ctx->kmod, ctx->log_priority);
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
	rc = kmod.module_new_from_name(ctx->kmod, driver, &mod);
	if (rc < 0) {
		dax_err(ctx, "module %s: %s\n", driver, strerror(-rc));
		return -ENODEV;
	}
	rc = kmod.probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST, NULL,
				      NULL, NULL, NULL);
	kmod.module_unref(mod);
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
		kmod.unref(ctx->kmod);
	ctx->kmod = NULL;
}
