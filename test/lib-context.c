// SPDX-License-Identifier: GPL-2.0-or-later
/* Library context: references, logging, userdata, configuration path. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <syslog.h>

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

int main(void)
{
	test_log_priority_env();
	test_refcount_and_userdata();
	test_log_fn();
	test_config_path();
	return tap_done();
}
