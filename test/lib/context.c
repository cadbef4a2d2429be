// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Library context: references, logging, userdata, configuration path,
 * system root.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "tap.h"
#include "fixture.h"

static int log_calls;
static int log_last_prio;
static char log_last_msg[256];

static void capture_log(struct daxctl_ctx *ctx, int priority, const char *file,
			int line, const char *fn, const char *format,
			va_list args)
{
	log_calls++;
	log_last_prio = priority;
	vsnprintf(log_last_msg, sizeof(log_last_msg), format, args);
}

static int priority_for(const char *value)
{
	struct daxctl_ctx *ctx;
	int prio;

	if (value)
		setenv("DAXCTL_LOG", value, 1);
	else
		unsetenv("DAXCTL_LOG");
	if (daxctl_new(&ctx))
		return -1000;
	prio = daxctl_get_log_priority(ctx);
	daxctl_unref(ctx);
	unsetenv("DAXCTL_LOG");
	return prio;
}

static void test_log_priority_env(void)
{
	is_int(priority_for(NULL), LOG_ERR, "default log priority is LOG_ERR");
	is_int(priority_for("debug"), LOG_DEBUG, "DAXCTL_LOG=debug");
	is_int(priority_for("info"), LOG_INFO, "DAXCTL_LOG=info");
	is_int(priority_for("err"), LOG_ERR, "DAXCTL_LOG=err");
	is_int(priority_for("notice"), LOG_NOTICE, "DAXCTL_LOG=notice");
	is_int(priority_for("6"), 6, "DAXCTL_LOG=6 (a number)");
	is_int(priority_for("bogus"), 0, "DAXCTL_LOG=bogus silences");
}

static void test_refcount_and_userdata(void)
{
	struct daxctl_ctx *ctx;
	int token;

	is_int(daxctl_new(NULL), -EINVAL, "daxctl_new(NULL) is -EINVAL");
	ok(daxctl_new(&ctx) == 0 && ctx, "daxctl_new creates a context");
	ok(daxctl_ref(ctx) == ctx, "daxctl_ref returns the context");
	daxctl_unref(ctx);
	/* still alive after one unref: using it must be fine (ASan checks) */
	daxctl_set_userdata(ctx, &token);
	ok(daxctl_get_userdata(ctx) == &token, "userdata round trip");
	daxctl_unref(ctx);
	ok(daxctl_ref(NULL) == NULL, "daxctl_ref(NULL) passes NULL through");
	daxctl_unref(NULL);
	ok(daxctl_get_userdata(NULL) == NULL, "get_userdata(NULL) is NULL");
}

static void test_log_fn(void)
{
	struct daxctl_ctx *ctx = fixture_ctx("hmem-00-boot");
	struct daxctl_region *region;

	daxctl_set_log_fn(ctx, capture_log);
	daxctl_set_log_priority(ctx, LOG_ERR);
	log_calls = 0;
	region = daxctl_region_get_first(ctx);
	ok(region != NULL, "enumeration works with a custom logger");
	is_int(log_calls, 0, "no message at LOG_ERR for a clean tree");

	daxctl_unref(ctx);
	ctx = fixture_ctx("hmem-00-boot");
	daxctl_set_log_fn(ctx, capture_log);
	daxctl_set_log_priority(ctx, LOG_DEBUG);
	log_calls = 0;
	daxctl_region_get_first(ctx);
	ok(log_calls > 0, "debug messages reach the custom logger (%d)",
	   log_calls);
	is_int(log_last_prio, LOG_DEBUG, "and carry their priority");
	ok(strchr(log_last_msg, '\n') != NULL, "messages end in a newline");
	daxctl_unref(ctx);
}

static void test_config_path(void)
{
	struct daxctl_ctx *ctx;
	char path[] = "/tmp/some-dir";

	char *tmp = realpath("/tmp", NULL), want[PATH_MAX];

	unsetenv("DAXCTL_SYSROOT");
	unsetenv("DAXCTL_CONFIG_PATH");
	daxctl_new(&ctx);
	is_str(daxctl_get_config_path(ctx), SYSCONFDIR "/daxctl.conf.d",
	       "default config path");
	daxctl_unref(ctx);

	/* a system root brings its configuration along */
	setenv("DAXCTL_SYSROOT", "/tmp/", 1);
	daxctl_new(&ctx);
	snprintf(want, sizeof(want), "%s%s/daxctl.conf.d", tmp, SYSCONFDIR);
	is_str(daxctl_get_config_path(ctx), want,
	       "under DAXCTL_SYSROOT: the root's configuration");
	daxctl_unref(ctx);
	setenv("DAXCTL_CONFIG_PATH", "/srv/conf", 1);
	daxctl_new(&ctx);
	is_str(daxctl_get_config_path(ctx), "/srv/conf",
	       "DAXCTL_CONFIG_PATH wins");
	daxctl_unref(ctx);
	setenv("DAXCTL_CONFIG_PATH", "", 1);
	daxctl_new(&ctx);
	is_str(daxctl_get_config_path(ctx), want,
	       "an empty DAXCTL_CONFIG_PATH is no setting");
	daxctl_unref(ctx);
	unsetenv("DAXCTL_SYSROOT");
	unsetenv("DAXCTL_CONFIG_PATH");
	free(tmp);

	daxctl_new(&ctx);
	is_int(daxctl_set_config_path(ctx, NULL), -EINVAL,
	       "set_config_path(NULL) is -EINVAL");
	is_int(daxctl_set_config_path(ctx, path), 0, "set_config_path");
	path[1] = 'X';
	is_str(daxctl_get_config_path(ctx), "/tmp/some-dir",
	       "config path is copied, not borrowed");
	daxctl_unref(ctx);
}

/* The fixture's root as the library resolves it. */
static char *fixture_real(const char *name)
{
	return realpath(fixture_root(name), NULL);
}

static void test_sysroot(void)
{
	char *real = fixture_real("hmem-00-boot"), *tmp;
	char slashed[PATH_MAX + 8], want[PATH_MAX + 64];
	struct daxctl_region *region;
	struct daxctl_ctx *ctx;

	unsetenv("DAXCTL_SYSROOT");
	unsetenv("DAXCTL_CONFIG_PATH");
	daxctl_new(&ctx);
	is_str(daxctl_get_sysroot(ctx), "/", "live system: sysroot is /");
	ok(daxctl_get_sysroot(NULL) == NULL, "get_sysroot(NULL) is NULL");
	is_int(daxctl_set_sysroot(NULL, "/"), -EINVAL,
	       "set_sysroot(NULL ctx) is -EINVAL");

	/* round trip, trailing slashes dropped, symlinks resolved */
	snprintf(slashed, sizeof(slashed), "%s//", fixture_root("hmem-00-boot"));
	is_int(daxctl_set_sysroot(ctx, slashed), 0, "set_sysroot(fixture/)");
	is_str(daxctl_get_sysroot(ctx), real,
	       "get_sysroot: resolved, no trailing slash");
	snprintf(want, sizeof(want), "%s%s/daxctl.conf.d", real, SYSCONFDIR);
	is_str(daxctl_get_config_path(ctx), want,
	       "the config path follows the root");
	is_int(daxctl_set_sysroot(ctx, NULL), 0, "set_sysroot(NULL): live");
	is_str(daxctl_get_sysroot(ctx), "/", "NULL gives /");
	is_str(daxctl_get_config_path(ctx), SYSCONFDIR "/daxctl.conf.d",
	       "the config path follows back to the live system");
	is_int(daxctl_set_sysroot(ctx, "///"), 0, "set_sysroot(\"///\")");
	is_str(daxctl_get_sysroot(ctx), "/", "\"///\" is the live system");
	is_int(daxctl_set_sysroot(ctx, ""), 0, "set_sysroot(\"\")");
	is_str(daxctl_get_sysroot(ctx), "/", "\"\" is the live system");

	/* bad roots leave the root as it was */
	daxctl_set_sysroot(ctx, real);
	is_int(daxctl_set_sysroot(ctx, "/nonexistent/root"), -ENOENT,
	       "a missing root is -ENOENT");
	is_int(daxctl_set_sysroot(ctx, "/dev/null"), -ENOTDIR,
	       "a file as root is -ENOTDIR");
	is_str(daxctl_get_sysroot(ctx), real, "failures keep the old root");

	/* an explicit config path stays */
	daxctl_set_config_path(ctx, "/srv/conf");
	daxctl_set_sysroot(ctx, "/");
	is_str(daxctl_get_config_path(ctx), "/srv/conf",
	       "set_config_path: does not follow the root");

	/* once regions are enumerated the root is fixed */
	daxctl_set_sysroot(ctx, real);
	region = daxctl_region_get_first(ctx);
	ok(region != NULL, "regions below the root set with set_sysroot");
	ok(region && strncmp(daxctl_region_get_path(region), real,
			     strlen(real)) == 0,
	   "region paths begin with the root");
	is_int(daxctl_set_sysroot(ctx, "/"), -EBUSY,
	       "set_sysroot after enumeration is -EBUSY");
	is_str(daxctl_get_sysroot(ctx), real, "and the root is unchanged");
	daxctl_unref(ctx);

	/* DAXCTL_CONFIG_PATH is explicit too */
	setenv("DAXCTL_CONFIG_PATH", "/srv/env-conf", 1);
	daxctl_new(&ctx);
	daxctl_set_sysroot(ctx, real);
	is_str(daxctl_get_config_path(ctx), "/srv/env-conf",
	       "DAXCTL_CONFIG_PATH: does not follow the root");
	daxctl_unref(ctx);
	unsetenv("DAXCTL_CONFIG_PATH");

	/* DAXCTL_SYSROOT is the default of a new context */
	tmp = realpath("/tmp", NULL);
	setenv("DAXCTL_SYSROOT", "/tmp/", 1);
	daxctl_new(&ctx);
	is_str(daxctl_get_sysroot(ctx), tmp, "DAXCTL_SYSROOT is the default");
	daxctl_unref(ctx);
	unsetenv("DAXCTL_SYSROOT");
	free(tmp);
	free(real);
}

static void test_region_is_dynamic(void)
{
	struct daxctl_region *region;
	struct daxctl_ctx *ctx;
	int n;

	ctx = fixture_ctx("hmem-00-boot");
	region = daxctl_region_get_first(ctx);
	is_int(daxctl_region_is_dynamic(region), 1, "hmem region is dynamic");
	daxctl_unref(ctx);

	ctx = fixture_ctx("nvdimm-50-pmem-devdax");
	n = 0;
	daxctl_region_foreach(ctx, region)
		n += daxctl_region_is_dynamic(region);
	ok(daxctl_region_get_first(ctx) && n == 0,
	   "pmem regions are static");
	daxctl_unref(ctx);
	is_int(daxctl_region_is_dynamic(NULL), 0, "is_dynamic(NULL) is 0");
}

static void bus_path_is(const char *fixture, const char *rel,
			const char *what)
{
	char *real = fixture_real(fixture), want[PATH_MAX + 64];
	struct daxctl_ctx *ctx;

	unsetenv("DAXCTL_SYSROOT");
	daxctl_new(&ctx);
	daxctl_set_sysroot(ctx, fixture_root(fixture));
	if (rel) {
		snprintf(want, sizeof(want), "%s/sys/%s", real, rel);
		is_str(daxctl_get_bus_path(ctx), want, what);
	} else {
		ok(daxctl_get_bus_path(ctx) == NULL, "%s", what);
	}
	daxctl_unref(ctx);
	free(real);
}

static void test_bus_path(void)
{
	bus_path_is("hmem-00-boot", "bus/dax", "bus path: the dax bus");
	bus_path_is("legacy-class", "class/dax",
		    "bus path: the class directory on a legacy kernel");
	bus_path_is("empty-root", NULL, "bus path: NULL without dax");
	ok(daxctl_get_bus_path(NULL) == NULL, "get_bus_path(NULL) is NULL");
}

/* A captured tree has no dev/: nothing to wait for. */
static void test_wait_node_no_dev(void)
{
	struct daxctl_ctx *ctx = fixture_ctx("hmem-10-created");
	struct daxctl_dev *dev = fixture_dev(ctx, "dax0.1");

	ok(dev != NULL, "the fixture has dax0.1");
	is_int(daxctl_dev_wait_node(dev, 1000), -ENODEV,
	       "wait_node in a tree without dev/ is -ENODEV, at once");
	daxctl_unref(ctx);
	unsetenv("DAXCTL_SYSROOT");
}

int main(void)
{
	test_log_priority_env();
	test_refcount_and_userdata();
	test_log_fn();
	test_config_path();
	test_sysroot();
	test_region_is_dynamic();
	test_bus_path();
	test_wait_node_no_dev();
	return tap_done();
}
