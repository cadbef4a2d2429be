// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxctl enable-device / disable-device: bind a device to device_dax, or
 * unbind it. Devices in system-ram mode are left to reconfigure-device,
 * which knows how to take their memory away safely.
 */
#include <errno.h>
#include <string.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/action.h"
#include "daxctl/builtin.h"
#include "daxctl/wait.h"

struct state_opts {
	int force;
	struct wait_opt wait;
};

/*
 * A system-ram device is left to reconfigure-device: an error when named,
 * skipped with a note when only "all" chose it.
 */
static int refuse_system_ram(struct action *a, struct daxctl_dev *dev,
			     struct result *res)
{
	if (!daxctl_dev_is_system_ram_capable(dev))
		return 0;
	if (!res->named) {
		action_note(a, "in system-ram mode: left alone");
		return 1;
	}
	return action_fail(a, -ENXIO, ROLLBACK_NONE,
			   "status operations are only applicable in devdax mode (it is in system-ram mode: use reconfigure-device)");
}

static int enable_one(struct action *a, struct daxctl_dev *dev,
		      struct result *res)
{
	struct state_opts *o = a->priv;
	const char *driver;
	int rc;

	rc = refuse_system_ram(a, dev, res);
	if (rc)
		return rc;
	driver = daxctl_dev_get_driver(dev);
	if (daxctl_dev_is_enabled(dev)) {
		action_note(a, "already enabled%s%s%s", driver ? " (" : "",
			    driver ? driver : "", driver ? ")" : "");
		return 1;
	}
	/* "all" means the devices that can be enabled: not idle ones */
	if (daxctl_dev_get_size(dev) == 0 && !res->named) {
		action_verbose(a, "size 0: skipped");
		return 1;
	}
	if (daxctl_dev_get_size(dev) == 0)
		return action_fail(a, -ENXIO, ROLLBACK_NONE,
				   "enable failed: the device has size 0 (give it one with reconfigure-device -s)");
	rc = daxctl_dev_enable_devdax(dev);
	/* the library leaves an unbound device unbound */
	if (rc < 0)
		return action_fail_lib(a, rc, ROLLBACK_NONE, "failed to enable");
	action_verbose(a, "enabled (device_dax)");
	wait_for_device(a, dev, &o->wait);
	return 0;
}

static int disable_one(struct action *a, struct daxctl_dev *dev,
		       struct result *res)
{
	struct state_opts *o = a->priv;
	const char *driver;
	int rc;

	rc = refuse_system_ram(a, dev, res);
	if (rc)
		return rc;
	if (!daxctl_dev_is_enabled(dev)) {
		action_note(a, "already disabled");
		return 1;
	}
	driver = daxctl_dev_get_driver(dev);
	if (!driver)
		return action_fail(a, -EOPNOTSUPP, ROLLBACK_NONE,
				   "disable failed: the device is in the legacy dax class model (see daxctl-migrate-device-model)");
	if (strcmp(driver, "device_dax") != 0 && !o->force)
		return action_fail(a, -EBUSY, ROLLBACK_NONE,
				   "bound to %s, not device_dax: use --force to unbind it anyway",
				   driver);
	rc = daxctl_dev_disable(dev);
	if (rc < 0)
		return action_fail_lib(a, rc, ROLLBACK_NONE, "failed to disable");
	action_verbose(a, "disabled");
	return 0;
}

int cmd_enable_device(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = {
		"daxctl enable-device [<options>] <device>... | all", NULL
	};
	struct action_opts opts = { 0 };
	struct state_opts o = { .wait.ms = WAIT_DEFAULT_MS };
	struct action a = {
		.cmd = "enable-device",
		.verb = "enable",
		.done = "enabled",
		.failed = "error enabling device",
		.opts = &opts,
		.priv = &o,
		.run = enable_one,
	};
	const struct option options[] = {
		ACTION_OPTS(&opts),
		OPT_WAIT(&o.wait),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, usage, 0);
	return action_run_devices(&a, ctx, argc, argv, usage, options);
}

int cmd_disable_device(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = {
		"daxctl disable-device [<options>] <device>... | all", NULL
	};
	struct action_opts opts = { 0 };
	struct state_opts o = { 0 };
	struct action a = {
		.cmd = "disable-device",
		.verb = "disable",
		.done = "disabled",
		.failed = "error disabling device",
		.opts = &opts,
		.priv = &o,
		.run = disable_one,
	};
	const struct option options[] = {
		ACTION_OPTS(&opts),
		OPT_BOOLEAN('f', "force", &o.force,
			    "also unbind a driver other than device_dax"),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, usage, 0);
	return action_run_devices(&a, ctx, argc, argv, usage, options);
}
