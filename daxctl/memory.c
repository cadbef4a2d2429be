// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxctl online-memory / offline-memory: the memory blocks of a device in
 * system-ram mode. The library addresses each block the device owns
 * directly and undoes its own changes when a block fails, so a device is
 * left either as it was or as requested.
 */
#include <errno.h>
#include <string.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/action.h"
#include "daxctl/builtin.h"
#include "daxctl/memory-ops.h"

struct memory_opts {
	int no_movable;
};

int memory_of(struct action *a, struct daxctl_dev *dev,
	      struct daxctl_memory **mem, int *total)
{
	*mem = daxctl_dev_get_memory(dev);
	if (!*mem)
		return action_fail(a, -ENXIO, ROLLBACK_NONE,
				   "memory operations are not applicable in devdax mode");
	*total = daxctl_memory_num_sections(*mem);
	if (*total < 0)
		return action_fail(a, *total, ROLLBACK_NONE,
				   "failed to get the number of memory blocks: %s%s",
				   strerror(-*total),
				   *total == -EACCES ? " (run as root)" : "");
	return 0;
}

void memory_report_left(struct action *a, struct daxctl_memory *mem,
			int total)
{
	if (action_lib_incomplete(a))
		action_left(a, "left in system-ram mode with %d of %d memory blocks online",
			    daxctl_memory_is_online(mem), total);
}

int memory_online_blocks(struct action *a, struct daxctl_memory *mem,
			 int total, bool movable)
{
	int rc;

	rc = movable ? daxctl_memory_online(mem) :
		       daxctl_memory_online_no_movable(mem);
	if (rc < 0) {
		memory_report_left(a, mem, total);
		return action_fail_lib(a, rc, ROLLBACK_RESTORED,
				       "failed to online memory");
	}
	if (rc == 0) {
		int m = total ? daxctl_memory_is_movable(mem) : -1;

		action_note(a, "all %d memory %s already online%s", total,
			    plural(total, "block", "blocks"),
			    m == 1 && !movable ? " (in ZONE_MOVABLE; offline them to change the zone)" :
			    m == 0 && movable ? " (in a kernel zone; offline them to change the zone)" : "");
		return 1;
	}
	if (rc < total)
		action_note(a, "%d memory %s already online", total - rc,
			    plural(total - rc, "block", "blocks"));
	action_verbose(a, "%d memory %s onlined%s", rc,
		       plural(rc, "block", "blocks"),
		       movable ? " (ZONE_MOVABLE)" : " (kernel zone)");
	return 0;
}

int memory_offline_blocks(struct action *a, struct daxctl_memory *mem,
			  int total)
{
	int rc;

	rc = daxctl_memory_offline(mem);
	if (rc < 0) {
		memory_report_left(a, mem, total);
		return action_fail_lib(a, rc, ROLLBACK_RESTORED,
				       "failed to offline memory");
	}
	if (rc == 0) {
		action_note(a, "all %d memory %s already offline", total,
			    plural(total, "block", "blocks"));
		return 1;
	}
	if (rc < total)
		action_note(a, "%d memory %s already offline", total - rc,
			    plural(total - rc, "block", "blocks"));
	action_verbose(a, "%d memory %s offlined", rc,
		       plural(rc, "block", "blocks"));
	return 0;
}

int kmem_rebind_offline(struct daxctl_dev *dev)
{
	struct daxctl_memory *mem;
	int rc;

	rc = daxctl_dev_enable_ram(dev);
	if (rc < 0)
		return rc;
	mem = daxctl_dev_get_memory(dev);
	if (!mem)
		return -ENXIO;
	rc = daxctl_memory_offline(mem);
	return rc < 0 ? rc : 0;
}

static int online_one(struct action *a, struct daxctl_dev *dev,
		      struct result *res)
{
	struct memory_opts *o = a->priv;
	struct daxctl_memory *mem;
	int rc, total;

	(void)res;
	rc = memory_of(a, dev, &mem, &total);
	if (rc)
		return rc;
	return memory_online_blocks(a, mem, total, !o->no_movable);
}

static int offline_one(struct action *a, struct daxctl_dev *dev,
		       struct result *res)
{
	struct daxctl_memory *mem;
	int rc, total;

	(void)res;
	rc = memory_of(a, dev, &mem, &total);
	if (rc)
		return rc;
	return memory_offline_blocks(a, mem, total);
}

int cmd_online_memory(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = {
		"daxctl online-memory [<options>] <device>... | all", NULL
	};
	struct action_opts opts = { 0 };
	struct memory_opts o = { 0 };
	struct action a = {
		.cmd = "online-memory",
		.verb = "online memory for",
		.done = "onlined memory for",
		.failed = "error onlining memory",
		.opts = &opts,
		.priv = &o,
		.run = online_one,
	};
	const struct option options[] = {
		ACTION_OPTS(&opts),
		OPT_BOOLEAN(0, "no-movable", &o.no_movable,
			    "online into a kernel zone (ZONE_NORMAL), not ZONE_MOVABLE"),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, usage, 0);
	return action_run_devices(&a, ctx, argc, argv, usage, options);
}

int cmd_offline_memory(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = {
		"daxctl offline-memory [<options>] <device>... | all", NULL
	};
	struct action_opts opts = { 0 };
	struct action a = {
		.cmd = "offline-memory",
		.verb = "offline memory for",
		.done = "offlined memory for",
		.failed = "error offlining memory",
		.opts = &opts,
		.run = offline_one,
	};
	const struct option options[] = {
		ACTION_OPTS(&opts),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, usage, 0);
	return action_run_devices(&a, ctx, argc, argv, usage, options);
}
