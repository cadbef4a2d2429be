// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxctl reconfigure-device: change a device's mode (devdax <-> system-ram)
 * or, on a disabled device of a dynamic region, its size and alignment, or
 * its whole layout (--input: the ranges of a "list -D -M" object).
 *
 * All or nothing per device: each step that fails undoes the steps before
 * it, so the device ends either as requested or as it was. When an undo
 * step is refused too (memory the kernel will not offline), the failure
 * says exactly where the device was left.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/action.h"
#include "daxctl/builtin.h"
#include "daxctl/config.h"
#include "daxctl/filter.h"
#include "daxctl/input.h"
#include "daxctl/memory-ops.h"
#include "daxctl/size-option.h"
#include "util/sysroot.h"

enum mode {
	MODE_UNSET,
	MODE_SYSTEM_RAM,
	MODE_DEVDAX,
	MODE_FAMFS,
};

struct reconfigure_opts {
	struct size_option size, align;
	const char *mode_name;
	enum mode mode;
	int no_online;
	int no_movable;
	int memmap;		/* --(no-)memmap-on-memory: 1, -1; 0 unset */
	int force;
	int check_config;	/* -C: mode, online, movable from config */
	const char *input;	/* --input: the layout to give the device */
	struct device_input layout;
	struct config config;
	const char *root;	/* the library's system root, for matching */
};

static void record_device(struct action *a, struct daxctl_dev *dev,
			  struct result *res)
{
	if (!daxctl_get_dry_run(a->ctx))
		res->device = json_dev(dev, &a->json);
}

/* Put back the driver @dev had, after it was unbound from it. */
static int rebind(struct daxctl_dev *dev, const char *driver)
{
	if (!driver)
		return 0;
	if (strcmp(driver, "device_dax") == 0)
		return daxctl_dev_enable_devdax(dev);
	if (strcmp(driver, "kmem") == 0)
		return daxctl_dev_enable_ram(dev);
	/* a third-party driver: the library cannot bind it */
	return -EOPNOTSUPP;
}

/*
 * Undo a half-done switch to system-ram: the device is bound to kmem. Its
 * blocks are all new, so every online one goes offline before kmem may be
 * unbound (never unbind kmem with online memory: the range would stay
 * reserved until reboot).
 */
static enum rollback undo_system_ram(struct action *a, struct daxctl_dev *dev,
				     const char *old_driver)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);
	int rc;

	if (mem && daxctl_memory_offline(mem) < 0) {
		rc = daxctl_memory_is_online(mem);
		if (rc < 0)
			action_left(a, "left in system-ram mode: the state of its memory blocks cannot be read (%s)",
				    strerror(-rc));
		else
			action_left(a, "left in system-ram mode with %d of %d memory blocks online: they cannot be offlined",
				    rc, daxctl_memory_num_sections(mem));
		return ROLLBACK_INCOMPLETE;
	}
	if (daxctl_dev_disable(dev) < 0) {
		action_left(a, "left in system-ram mode (memory offline): kmem could not be unbound");
		return ROLLBACK_INCOMPLETE;
	}
	if (rebind(dev, old_driver) < 0) {
		action_left(a, "left disabled: rebinding %s failed", old_driver);
		return ROLLBACK_INCOMPLETE;
	}
	return ROLLBACK_RESTORED;
}

/*
 * memmap_on_memory as the user asked, written before kmem binds (the
 * kernel reads it only then). Returns 0 with *@old the value to put back
 * on a later failure (-1: nothing was changed), 1 when there is nothing
 * to write, or a -errno after action_fail().
 */
static int set_memmap(struct action *a, struct daxctl_dev *dev, int *old)
{
	struct reconfigure_opts *o = a->priv;
	bool want = o->memmap > 0;
	int cur, rc;

	*old = -1;
	if (!o->memmap)
		return 1;
	cur = daxctl_dev_get_memmap_on_memory(dev);
	if (cur == -EOPNOTSUPP && !want) {
		/* before 6.8 kmem never puts the memmap on the device */
		action_verbose(a, "no memmap_on_memory attribute (before Linux 6.8): the memmap is never on the device");
		return 1;
	}
	if (cur == -EOPNOTSUPP)
		return action_fail(a, -EOPNOTSUPP, ROLLBACK_NONE,
				   "cannot honour --memmap-on-memory: the kernel has no memmap_on_memory attribute for the device (Linux 6.8 brought it)");
	if (cur < 0)
		return action_fail(a, cur, ROLLBACK_NONE,
				   "cannot read memmap_on_memory: %s",
				   strerror(-cur));
	if (cur == want)
		return 1;
	rc = daxctl_dev_set_memmap_on_memory(dev, want);
	if (rc < 0)
		return action_fail_lib(a, rc, ROLLBACK_NONE,
				       want ? "cannot honour --memmap-on-memory" :
					      "cannot honour --no-memmap-on-memory");
	action_verbose(a, "memmap_on_memory set to %d", want);
	*old = cur;
	return 0;
}

/* Put memmap_on_memory back to @old (-1: it was not changed). */
static enum rollback restore_memmap(struct action *a, struct daxctl_dev *dev,
				    int old, enum rollback rb)
{
	if (old < 0 || rb != ROLLBACK_RESTORED)
		return rb;
	if (daxctl_dev_set_memmap_on_memory(dev, old) < 0) {
		action_left(a, "left with memmap_on_memory %d (it was %d)",
			    !old, old);
		return ROLLBACK_INCOMPLETE;
	}
	return rb;
}

/*
 * The kernel's auto-online policy, MEM/auto_online_blocks: what it does
 * with the blocks kmem adds, as the kernel's memory hotplug ABI has it:
 * "offline", "online", "online_kernel" or "online_movable" (what 6.12
 * does with each: test/kernel/README.md). "" when it cannot be read.
 */
static void read_auto_online(struct reconfigure_opts *o, char *buf,
			     size_t len)
{
	char path[4096];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path),
		 "%s%s/devices/system/memory/auto_online_blocks",
		 o->root ? o->root : "", sysroot_mountpoint(SYSROOT_SYSFS));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * Where the policy puts new blocks: 1 ZONE_MOVABLE, 0 a kernel zone
 * ("online" lets the kernel pick, which is ZONE_NORMAL unless movable_node
 * or memory_hotplug.online_policy say otherwise), -1 nowhere (offline).
 */
static int policy_zone(const char *policy)
{
	if (strcmp(policy, "online_movable") == 0)
		return 1;
	if (strcmp(policy, "online") == 0 ||
	    strcmp(policy, "online_kernel") == 0)
		return 0;
	return -1;
}

static const char *zone_name(bool movable)
{
	return movable ? "ZONE_MOVABLE" : "a kernel zone";
}

/*
 * The memory of a device kmem holds, as the request says, whoever onlined
 * some of it first (the kernel's auto-online policy as kmem bound, or a
 * udev rule): -N offlines what is online; otherwise the offline blocks are
 * onlined into the zone asked for, and blocks found in the other zone are
 * offlined and onlined again into it. @pre: the blocks found online.
 * @accept (-f): when the kernel will not let them go, keep them where they
 * are with a warning instead of failing. @old_driver: the driver to go
 * back to when a failure leaves the memory offline, "" for none, NULL when
 * the device was in system-ram mode before (nothing to undo then).
 * Returns 0 when something changed, 1 when nothing had to, or fails.
 */
static int settle_memory(struct action *a, struct daxctl_dev *dev,
			 struct daxctl_memory *mem, int total, int pre,
			 const char *old_driver)
{
	struct reconfigure_opts *o = a->priv;
	bool movable = !o->no_movable;
	int rc, m;

	if (o->no_online) {
		if (pre == 0)
			return 1;
		rc = daxctl_memory_offline(mem);
		if (rc >= 0) {
			action_note(a, "offlined them again, as asked");
			return 0;
		}
		if (o->force) {
			action_note(a, "warning: they stay online: the kernel refused to offline them (%s)",
				    strerror(-rc));
			return 0;
		}
		/* as it was when it was in system-ram mode before */
		if (!old_driver)
			return action_fail_lib(a, rc, ROLLBACK_RESTORED,
					       "failed to offline memory");
		action_left(a, "left in system-ram mode with %d of %d memory blocks online",
			    daxctl_memory_is_online(mem), total);
		return action_fail_lib(a, rc, ROLLBACK_INCOMPLETE,
				       "failed to offline the memory the kernel onlined");
	}
	rc = pre == total ? 0 :
	     movable ? daxctl_memory_online(mem) :
		       daxctl_memory_online_no_movable(mem);
	if (rc < 0) {
		enum rollback rb = ROLLBACK_RESTORED;

		if (old_driver)
			rb = undo_system_ram(a, dev,
					     *old_driver ? old_driver : NULL);
		else
			memory_report_left(a, mem, total);
		return action_fail_lib(a, rc, rb, "failed to online memory");
	}
	if (rc > 0)
		action_verbose(a, "%d memory %s onlined", rc,
			       plural(rc, "block", "blocks"));
	/*
	 * All online now: in the zone asked for? (A kernel zone asked for
	 * with some blocks Movable and others not is not told apart here.)
	 */
	m = daxctl_memory_is_movable(mem);
	if (pre == 0 || m < 0 || (m == 1) == movable)
		return pre == total ? 1 : 0;
	rc = daxctl_memory_offline(mem);
	if (rc < 0) {
		if (o->force) {
			action_note(a, "warning: they stay in %s, not %s as asked: the kernel refused to offline them (%s)",
				    zone_name(!movable), zone_name(movable),
				    strerror(-rc));
			return 0;
		}
		if (old_driver)
			action_left(a, "left in system-ram mode with its memory online in %s",
				    zone_name(!movable));
		return action_fail_lib(a, rc, old_driver ? ROLLBACK_INCOMPLETE :
							   ROLLBACK_RESTORED,
				       movable ? "failed to move the memory to ZONE_MOVABLE" :
						 "failed to move the memory to a kernel zone");
	}
	rc = movable ? daxctl_memory_online(mem) :
		       daxctl_memory_online_no_movable(mem);
	if (rc < 0) {
		enum rollback rb = old_driver ?
			undo_system_ram(a, dev, *old_driver ? old_driver : NULL) :
			ROLLBACK_INCOMPLETE;

		if (!old_driver)
			action_left(a, "left in system-ram mode with its memory offline");
		return action_fail_lib(a, rc, rb, "failed to online memory");
	}
	action_note(a, "moved them to %s, as asked", zone_name(movable));
	return 0;
}

/* Say what the kernel (or a udev rule) did before daxctl could. */
static void note_preonlined(struct action *a, struct daxctl_memory *mem,
			    int total, int pre, const char *policy)
{
	int m = pre == total ? daxctl_memory_is_movable(mem) : -1;

	action_note(a, "the kernel onlined %d of %d memory %s itself as kmem bound (%s%s)%s",
		    pre, total, plural(total, "block", "blocks"),
		    policy_zone(policy) >= 0 ? "auto_online_blocks: " :
					       "a udev rule or the kernel's policy",
		    policy_zone(policy) >= 0 ? policy : "",
		    m == 1 ? ", into ZONE_MOVABLE" :
		    m == 0 ? ", into a kernel zone" : "");
}

static int to_system_ram(struct action *a, struct daxctl_dev *dev,
			 struct result *res)
{
	struct reconfigure_opts *o = a->priv;
	const char *driver = daxctl_dev_get_driver(dev);
	char old_driver[64] = "", policy[32];
	struct daxctl_memory *mem;
	enum rollback rb;
	int rc, total, old_memmap, cur, pre;

	if (!driver && daxctl_dev_is_enabled(dev))
		return action_fail(a, -EOPNOTSUPP, ROLLBACK_NONE,
				   "error: device model is dax-class: see daxctl-migrate-device-model(1)");
	if (driver && strcmp(driver, "kmem") == 0) {
		/* kmem read memmap_on_memory when it bound: too late now */
		cur = daxctl_dev_get_memmap_on_memory(dev);
		if (o->memmap > 0 && cur == -EOPNOTSUPP)
			return action_fail(a, -EOPNOTSUPP, ROLLBACK_NONE,
					   "cannot honour --memmap-on-memory: the kernel has no memmap_on_memory attribute for the device (Linux 6.8 brought it)");
		if (o->memmap && cur >= 0 && cur != (o->memmap > 0))
			return action_fail(a, -EBUSY, ROLLBACK_NONE,
					   "already in system-ram mode with memmap_on_memory %d, which only changes when kmem binds: make it devdax first",
					   cur);
		action_note(a, "already in system-ram mode");
		rc = 1;
		/*
		 * -f and -C (the configuration is the standing request) also
		 * take memory the kernel onlined by itself to the zone asked
		 * for; plain -m system-ram only onlines what is offline
		 */
		if (o->force || o->check_config) {
			rc = memory_of(a, dev, &mem, &total);
			pre = rc || a->opts->dry_run ? 0 :
			      daxctl_memory_is_online(mem);
			if (rc == 0 && pre < 0)
				rc = action_fail(a, pre, ROLLBACK_NONE,
						 "failed to determine online state: %s",
						 strerror(-pre));
			if (rc == 0)
				rc = settle_memory(a, dev, mem, total, pre,
						   NULL);
			if (rc == 1 && pre == total && !o->no_online)
				action_note(a, "all %d memory %s already online, in %s",
					    total, plural(total, "block", "blocks"),
					    zone_name(!o->no_movable));
			else if (rc == 1 && pre == 0 && o->no_online)
				action_note(a, "all %d memory %s already offline",
					    total, plural(total, "block", "blocks"));
		} else if (!o->no_online) {
			rc = memory_of(a, dev, &mem, &total);
			if (rc == 0)
				rc = memory_online_blocks(a, mem, total,
							  !o->no_movable);
		}
		if (rc >= 0)
			record_device(a, dev, res);
		return rc;
	}
	if (driver && strcmp(driver, "device_dax") != 0 && !o->force)
		return action_fail(a, -EBUSY, ROLLBACK_NONE,
				   "bound to %s: use --force to take it from that driver",
				   driver);
	/*
	 * Under an auto-online policy the kernel onlines the blocks itself as
	 * kmem binds. Into ZONE_MOVABLE, that is fine whatever was asked:
	 * movable memory can be offlined again, or onlined into a kernel zone.
	 * Into a kernel zone, it may never come back (kernel allocations land
	 * there at once): refused unless that is what was asked, or -f says to
	 * go ahead and move it where the kernel lets it go.
	 */
	read_auto_online(o, policy, sizeof(policy));
	if (!o->force && policy_zone(policy) == 0 &&
	    (!o->no_movable || o->no_online))
		return action_fail(a, -EBUSY, ROLLBACK_NONE,
				   "error: kernel policy will auto-online memory, aborting (auto_online_blocks is %s: the kernel would online it into %s as kmem binds, where it may stay%s; write 'offline' or 'online_movable' to %s/devices/system/memory/auto_online_blocks, or use --force to let the kernel online it, then %s where the kernel allows)",
				   policy, policy[6] ? "a kernel zone" :
				   "the zone of its choice (usually a kernel zone)",
				   o->no_online ? " online" : " unremovable",
				   sysroot_mountpoint(SYSROOT_SYSFS),
				   o->no_online ? "offline it again" :
						  "move it to ZONE_MOVABLE");
	if (daxctl_dev_get_target_node(dev) < 0 && *action_lib_error(a))
		return action_fail_lib(a, -EINVAL, ROLLBACK_NONE,
				       "cannot become system-ram");
	if (daxctl_dev_get_target_node(dev) < 0)
		return action_fail(a, -EINVAL, ROLLBACK_NONE,
				   "cannot become system-ram: the platform gave it no target NUMA node, and kmem refuses such a device");
	if (daxctl_dev_get_size(dev) == 0)
		return action_fail(a, -ENXIO, ROLLBACK_NONE,
				   "cannot become system-ram: the device has size 0");
	rc = set_memmap(a, dev, &old_memmap);
	if (rc < 0)
		return rc;

	if (driver) {
		snprintf(old_driver, sizeof(old_driver), "%s", driver);
		rc = daxctl_dev_disable(dev);
		if (rc < 0) {
			rb = old_memmap < 0 ? ROLLBACK_NONE :
			     restore_memmap(a, dev, old_memmap,
					    ROLLBACK_RESTORED);
			return action_fail_lib(a, rc, rb, "failed to disable");
		}
	}
	if (action_interrupted()) {
		rb = ROLLBACK_RESTORED;
		if (rebind(dev, *old_driver ? old_driver : NULL) < 0) {
			action_left(a, "left disabled: binding %s again failed",
				    old_driver);
			rb = ROLLBACK_INCOMPLETE;
		}
		return action_fail_interrupted(a, rb);
	}
	rc = daxctl_dev_enable_ram(dev);
	if (rc < 0) {
		rb = ROLLBACK_RESTORED;
		if (rebind(dev, *old_driver ? old_driver : NULL) < 0) {
			action_left(a, "left disabled: binding %s again failed",
				    old_driver);
			rb = ROLLBACK_INCOMPLETE;
		}
		rb = restore_memmap(a, dev, old_memmap, rb);
		return action_fail_lib(a, rc, rb,
				       "failed to enable system-ram mode");
	}
	/* with -N kmem's bind was the last step: the change is finished */
	if (!o->no_online && action_interrupted())
		return action_fail_interrupted(a,
			restore_memmap(a, dev, old_memmap,
				       undo_system_ram(a, dev, *old_driver ?
						       old_driver : NULL)));
	mem = daxctl_dev_get_memory(dev);
	total = mem ? daxctl_memory_num_sections(mem) : -ENXIO;
	/* a dry run added no blocks: none can be online */
	pre = total < 0 ? total :
	      a->opts->dry_run ? 0 : daxctl_memory_is_online(mem);
	if (pre < 0) {
		if (o->no_online) {
			record_device(a, dev, res);
			return 0;
		}
		rb = undo_system_ram(a, dev, *old_driver ? old_driver : NULL);
		rb = restore_memmap(a, dev, old_memmap, rb);
		return action_fail_lib(a, pre, rb, "failed to online memory");
	}
	if (pre > 0)
		note_preonlined(a, mem, total, pre, policy);
	rc = settle_memory(a, dev, mem, total, pre, old_driver);
	if (rc < 0)
		return rc;
	record_device(a, dev, res);
	return 0;
}

/* Undo a half-done switch to devdax: back to kmem, memory as it was. */
static enum rollback undo_devdax(struct action *a, struct daxctl_dev *dev,
				 bool unbound, int offlined, bool all_online,
				 bool movable)
{
	struct daxctl_memory *mem;
	int rc;

	if (unbound && (offlined > 0 ? daxctl_dev_enable_ram(dev) :
				       kmem_rebind_offline(dev)) < 0) {
		action_left(a, "left disabled: kmem could not be bound again");
		return ROLLBACK_INCOMPLETE;
	}
	if (offlined <= 0)
		return ROLLBACK_RESTORED;
	/*
	 * Only a device whose blocks were all online can be put back
	 * exactly: which of a partly online device's blocks were online is
	 * not known any more.
	 */
	if (!all_online) {
		action_left(a, "left in system-ram mode with its memory offline (%d blocks were online before)",
			    offlined);
		return ROLLBACK_INCOMPLETE;
	}
	mem = daxctl_dev_get_memory(dev);
	rc = !mem ? -ENXIO : movable ? daxctl_memory_online(mem) :
				       daxctl_memory_online_no_movable(mem);
	if (rc < 0) {
		action_left(a, "left in system-ram mode with its memory offline: onlining it again failed");
		return ROLLBACK_INCOMPLETE;
	}
	return ROLLBACK_RESTORED;
}

static int to_devdax(struct action *a, struct daxctl_dev *dev,
		     struct result *res)
{
	struct reconfigure_opts *o = a->priv;
	const char *driver = daxctl_dev_get_driver(dev);
	char old_driver[64] = "";
	struct daxctl_memory *mem = NULL;
	int rc, total = 0, online = 0, offlined = 0;
	bool movable = true;
	enum rollback rb;

	if ((!driver && daxctl_dev_is_enabled(dev)) ||
	    (driver && strcmp(driver, "device_dax") == 0)) {
		action_note(a, "already in devdax mode");
		record_device(a, dev, res);
		return 1;
	}
	if (driver && strcmp(driver, "kmem") != 0 && !o->force)
		return action_fail(a, -EBUSY, ROLLBACK_NONE,
				   "bound to %s: use --force to take it from that driver",
				   driver);
	if (!driver && daxctl_dev_get_size(dev) == 0)
		return action_fail(a, -ENXIO, ROLLBACK_NONE,
				   "cannot enable devdax mode: the device has size 0 (give it one with reconfigure-device -s)");
	if (driver && strcmp(driver, "kmem") == 0) {
		rc = memory_of(a, dev, &mem, &total);
		if (rc)
			return rc;
		/*
		 * With --force the zone is needed for a later undo; its check
		 * also tells whether every block is online, which saves the
		 * separate count.
		 */
		rc = o->force ? daxctl_memory_is_movable(mem) : -ENXIO;
		if (rc >= 0) {
			movable = rc == 1;
			online = total;
		} else {
			online = daxctl_memory_is_online(mem);
		}
		if (online < 0)
			return action_fail(a, online, ROLLBACK_NONE,
					   "failed to determine online state: %s",
					   strerror(-online));
		if (online && !o->force) {
			action_verbose(a, "found %d memory %s online", online,
				       plural(online, "block", "blocks"));
			return action_fail(a, -EBUSY, ROLLBACK_NONE,
					   "%d of %d memory blocks online: offline them first (offline-memory), or use --force",
					   online, total);
		}
		if (online) {
			offlined = daxctl_memory_offline(mem);
			if (offlined < 0) {
				memory_report_left(a, mem, total);
				return action_fail_lib(a, offlined,
						       ROLLBACK_RESTORED,
						       "failed to offline memory");
			}
		}
	}
	if (action_interrupted() && offlined > 0)
		return action_fail_interrupted(a,
			undo_devdax(a, dev, false, offlined, online == total,
				    movable));
	if (driver) {
		snprintf(old_driver, sizeof(old_driver), "%s", driver);
		rc = daxctl_dev_disable(dev);
		if (rc < 0) {
			rb = strcmp(old_driver, "kmem") == 0 ?
				     undo_devdax(a, dev, false, offlined,
						 online == total, movable) :
				     ROLLBACK_NONE;
			return action_fail_lib(a, rc, rb,
					       "failed to disable");
		}
	}
	if (action_interrupted() && *old_driver) {
		if (strcmp(old_driver, "kmem") == 0) {
			rb = undo_devdax(a, dev, true, offlined,
					 online == total, movable);
		} else if (rebind(dev, old_driver) < 0) {
			action_left(a, "left disabled: binding %s again is not possible here",
				    old_driver);
			rb = ROLLBACK_INCOMPLETE;
		} else {
			rb = ROLLBACK_RESTORED;
		}
		return action_fail_interrupted(a, rb);
	}
	rc = daxctl_dev_enable_devdax(dev);
	if (rc < 0) {
		if (strcmp(old_driver, "kmem") == 0) {
			rb = undo_devdax(a, dev, true, offlined,
					 online == total, movable);
		} else if (rebind(dev, *old_driver ? old_driver : NULL) < 0) {
			action_left(a, "left disabled: binding %s again is not possible here",
				    old_driver);
			rb = ROLLBACK_INCOMPLETE;
		} else {
			rb = ROLLBACK_RESTORED;
		}
		return action_fail_lib(a, rc, rb,
				       "failed to enable devdax mode");
	}
	record_device(a, dev, res);
	return 0;
}

/*
 * famfs mode: bind famfs's fsdev_dax. From devdax or disabled only: a
 * system-ram device goes to devdax first (its memory must be offlined,
 * which -m devdax does with its checks), and a device another driver
 * holds is taken only with --force.
 */
static int to_famfs(struct action *a, struct daxctl_dev *dev,
		    struct result *res)
{
	struct reconfigure_opts *o = a->priv;
	const char *driver = daxctl_dev_get_driver(dev);
	char old_driver[64] = "";
	enum rollback rb;
	int rc;

	if (!driver && daxctl_dev_is_enabled(dev))
		return action_fail(a, -EOPNOTSUPP, ROLLBACK_NONE,
				   "error: device model is dax-class: see daxctl-migrate-device-model(1)");
	if (driver && strcmp(driver, "fsdev_dax") == 0) {
		action_note(a, "already in famfs mode");
		record_device(a, dev, res);
		return 1;
	}
	if (driver && strcmp(driver, "kmem") == 0)
		return action_fail(a, -EBUSY, ROLLBACK_NONE,
				   "in system-ram mode: make it devdax first (reconfigure-device -m devdax %s)",
				   daxctl_dev_get_devname(dev));
	if (driver && strcmp(driver, "device_dax") != 0 && !o->force)
		return action_fail(a, -EBUSY, ROLLBACK_NONE,
				   "bound to %s: use --force to take it from that driver",
				   driver);
	if (!driver && daxctl_dev_get_size(dev) == 0)
		return action_fail(a, -ENXIO, ROLLBACK_NONE,
				   "cannot enable famfs mode: the device has size 0 (give it one with reconfigure-device -s)");
	/* before the device leaves its driver */
	rc = daxctl_load_driver(a->ctx, "fsdev_dax");
	if (rc < 0)
		return action_fail_libf(a, rc, ROLLBACK_NONE, NULL,
					"famfs mode needs the dax driver fsdev_dax (famfs), which is not available");
	if (driver) {
		snprintf(old_driver, sizeof(old_driver), "%s", driver);
		rc = daxctl_dev_disable(dev);
		if (rc < 0)
			return action_fail_lib(a, rc, ROLLBACK_NONE,
					       "failed to disable");
	}
	rc = daxctl_dev_enable_famfs(dev);
	if (rc < 0) {
		rb = ROLLBACK_RESTORED;
		if (rebind(dev, *old_driver ? old_driver : NULL) < 0) {
			action_left(a, "left disabled: binding %s again is not possible here",
				    old_driver);
			rb = ROLLBACK_INCOMPLETE;
		}
		return action_fail_lib(a, rc, rb,
				       "failed to enable famfs mode");
	}
	record_device(a, dev, res);
	return 0;
}

static int resize(struct action *a, struct daxctl_dev *dev, struct result *res)
{
	struct reconfigure_opts *o = a->priv;
	struct daxctl_region *region = daxctl_dev_get_region(dev);
	unsigned long old_align = daxctl_dev_get_align(dev);
	const char *driver;
	int rc;

	if (!daxctl_region_is_dynamic(region))
		return action_fail(a, -EOPNOTSUPP, ROLLBACK_NONE,
				   "region %d is static (an NVDIMM namespace or legacy pmem): its devices cannot be resized; change the namespace instead (ndctl)",
				   daxctl_region_get_id(region));
	if (daxctl_dev_is_system_ram_capable(dev))
		return action_fail(a, -EBUSY, ROLLBACK_NONE,
				   "the device is in system-ram mode: make it devdax (reconfigure-device -m devdax), disable it, then resize it");
	if (daxctl_dev_is_enabled(dev)) {
		driver = daxctl_dev_get_driver(dev);
		return action_fail(a, -EBUSY, ROLLBACK_NONE,
				   "the device is enabled (%s): disable it first (daxctl disable-device %s)",
				   driver ? driver : "?", daxctl_dev_get_devname(dev));
	}
	if ((!o->align.set || o->align.value == old_align) &&
	    (!o->size.set || o->size.value == daxctl_dev_get_size(dev))) {
		action_note(a, "already of that %s",
			    o->size.set ? "size" : "alignment");
		record_device(a, dev, res);
		return 1;
	}
	if (o->align.set && o->align.value != old_align) {
		rc = daxctl_dev_set_align(dev, (unsigned long)o->align.value);
		if (rc < 0)
			return action_fail_libf(a, rc, ROLLBACK_NONE,
						rc == -EINVAL ? " (supported: 4k, 2m, 1g, and it must divide every range)" : NULL,
						"failed to set the alignment to %s",
						o->align.arg);
	}
	if (o->size.set) {
		rc = daxctl_dev_set_size(dev, o->size.value);
		if (rc < 0) {
			enum rollback rb = ROLLBACK_NONE;

			if (o->align.set && o->align.value != old_align)
				rb = daxctl_dev_set_align(dev, old_align) < 0 ?
					     ROLLBACK_INCOMPLETE : ROLLBACK_RESTORED;
			return action_fail_libf(a, rc, rb,
						rc == -ENOSPC ? " (not enough space left in the region)" :
						rc == -EINVAL ? " (it must be a multiple of the device's alignment)" : NULL,
						"failed to set the size to %s",
						o->size.arg);
		}
	}
	record_device(a, dev, res);
	return 0;
}

/* Whether @dev has exactly the alignment and ranges of @in. */
static bool has_layout(struct daxctl_dev *dev, const struct device_input *in)
{
	struct daxctl_mapping *m;
	int i = 0;

	if (daxctl_dev_get_align(dev) != in->align ||
	    daxctl_dev_get_size(dev) != in->size)
		return false;
	daxctl_mapping_foreach(dev, m) {
		if (i == in->nr_ranges ||
		    daxctl_mapping_get_offset(m) != in->ranges[i].page_offset ||
		    daxctl_mapping_get_start(m) != in->ranges[i].start ||
		    daxctl_mapping_get_end(m) != in->ranges[i].end)
			return false;
		i++;
	}
	return i == in->nr_ranges;
}

/* Give @dev the alignment and ranges of @in, in the order of @in. */
static int set_layout(struct daxctl_dev *dev, const struct device_input *in)
{
	int i, rc = 0;

	if (daxctl_dev_get_size(dev))
		rc = daxctl_dev_set_size(dev, 0);
	if (rc == 0 && daxctl_dev_get_align(dev) != in->align)
		rc = daxctl_dev_set_align(dev, (unsigned long)in->align);
	for (i = 0; rc == 0 && i < in->nr_ranges; i++)
		rc = daxctl_dev_set_mapping(dev, in->ranges[i].start,
					    in->ranges[i].end);
	return rc;
}

/*
 * --input: the device gets the ranges the file lists, as create-device
 * --input gives them to a new device (ndctl's daxctl accepts the option
 * here and ignores it). The device's old ranges are released first, so
 * they are kept aside to be put back when the new ones cannot be had.
 */
static int relayout(struct action *a, struct daxctl_dev *dev,
		    struct result *res)
{
	struct reconfigure_opts *o = a->priv;
	struct daxctl_region *region = daxctl_dev_get_region(dev);
	struct device_input old = { 0 };
	struct daxctl_mapping *m;
	enum rollback rb;
	const char *driver;
	int rc, n = 0;

	if (daxctl_region_get_id(region) != o->layout.region_id)
		return action_fail(a, -EINVAL, ROLLBACK_NONE,
				   "the --input file describes a device of region %d, and this one is in region %d: its ranges are not there",
				   o->layout.region_id,
				   daxctl_region_get_id(region));
	if (!daxctl_region_is_dynamic(region))
		return action_fail(a, -EOPNOTSUPP, ROLLBACK_NONE,
				   "region %d is static (an NVDIMM namespace or legacy pmem): the ranges of its devices cannot be chosen",
				   daxctl_region_get_id(region));
	if (daxctl_dev_is_enabled(dev)) {
		driver = daxctl_dev_get_driver(dev);
		return action_fail(a, -EBUSY, ROLLBACK_NONE,
				   "the device is enabled (%s): disable it first (daxctl disable-device %s)",
				   driver ? driver : "?", daxctl_dev_get_devname(dev));
	}
	if (has_layout(dev, &o->layout)) {
		action_note(a, "already of that layout");
		return 1;
	}
	old.align = daxctl_dev_get_align(dev);
	daxctl_mapping_foreach(dev, m)
		n++;
	old.ranges = calloc((size_t)n + 1, sizeof(*old.ranges));
	if (!old.ranges)
		return -ENOMEM;
	daxctl_mapping_foreach(dev, m) {
		old.ranges[old.nr_ranges].start = daxctl_mapping_get_start(m);
		old.ranges[old.nr_ranges++].end = daxctl_mapping_get_end(m);
	}
	rc = set_layout(dev, &o->layout);
	if (rc < 0) {
		rb = set_layout(dev, &old) < 0 ? ROLLBACK_INCOMPLETE :
						 ROLLBACK_RESTORED;
		if (rb == ROLLBACK_INCOMPLETE)
			action_left(a, "left with size %llu: its old ranges could not all be taken back",
				    daxctl_dev_get_size(dev));
		device_input_free(&old);
		return action_fail_libf(a, rc, rb,
					rc == -ENOMEM ? " (a range is not free in the region)" :
					rc == -EINVAL || rc == -ENXIO ? " (not a multiple of the alignment)" : NULL,
					"failed to give it the ranges of the --input file");
	}
	device_input_free(&old);
	record_device(a, dev, res);
	return 0;
}

/*
 * -C: take the mode and its options from the one section that matches
 * @dev. 0 when one does, 1 when the device is to be left as it is.
 */
static int apply_config(struct action *a, struct daxctl_dev *dev)
{
	struct reconfigure_opts *o = a->priv;
	struct config_section *found[2], *s;
	const struct config_value *v;
	int n;

	n = config_match(&o->config, dev, o->root, found);
	if (n == 0) {
		action_note(a, "no section of %s matches: left as it is",
			    o->config.dir);
		return 1;
	}
	if (n > 1)
		/* an error in the configuration: the run fails */
		return action_fail(a, -EINVAL, ROLLBACK_NONE,
				   "matches both [reconfigure-device %s] (%s:%d) and [reconfigure-device %s] (%s:%d): left as it is",
				   found[0]->name, found[0]->file,
				   found[0]->line, found[1]->name,
				   found[1]->file, found[1]->line);
	s = found[0];
	v = s->values;
	o->mode = v[CONFIG_MODE].set && v[CONFIG_MODE].mode == CONFIG_MODE_DEVDAX ?
			  MODE_DEVDAX : MODE_SYSTEM_RAM;
	o->no_online = v[CONFIG_ONLINE].set && !v[CONFIG_ONLINE].flag;
	o->no_movable = v[CONFIG_MOVABLE].set && !v[CONFIG_MOVABLE].flag;
	o->memmap = !v[CONFIG_MEMMAP_ON_MEMORY].set ? 0 :
		    v[CONFIG_MEMMAP_ON_MEMORY].flag ? 1 : -1;
	action_verbose(a, "[reconfigure-device %s] (%s:%d) applies: mode %s%s%s%s",
		       s->name, s->file, s->line,
		       o->mode == MODE_DEVDAX ? "devdax" : "system-ram",
		       o->mode == MODE_DEVDAX ? "" :
		       o->no_online ? ", offline" : ", online",
		       o->mode == MODE_DEVDAX ? "" :
		       o->no_movable ? ", not movable" : ", movable",
		       o->memmap > 0 ? ", memmap_on_memory" :
		       o->memmap < 0 ? ", no memmap_on_memory" : "");
	return 0;
}

static int reconfigure_one(struct action *a, struct daxctl_dev *dev,
			   struct result *res)
{
	struct reconfigure_opts *o = a->priv;
	int rc;

	/* "all" means the devices that can take a mode: not idle ones */
	if ((o->mode != MODE_UNSET || o->check_config) &&
	    daxctl_dev_get_size(dev) == 0 && !res->named) {
		action_verbose(a, "size 0: skipped");
		return 1;
	}
	if (o->check_config) {
		/*
		 * udev runs -C for a new device of a dynamic region as soon
		 * as it is added, before it has a size: nothing to configure
		 */
		if (daxctl_dev_get_size(dev) == 0) {
			action_note(a, "size 0: nothing to configure");
			return 1;
		}
		rc = apply_config(a, dev);
		if (rc)
			return rc;
	}
	if (o->input)
		return relayout(a, dev, res);
	switch (o->mode) {
	case MODE_SYSTEM_RAM:
		return to_system_ram(a, dev, res);
	case MODE_DEVDAX:
		return to_devdax(a, dev, res);
	case MODE_FAMFS:
		return to_famfs(a, dev, res);
	default:
		return resize(a, dev, res);
	}
}

/*
 * -C, run at boot for each device: a configuration with errors changes
 * nothing, and the run fails (-EINVAL), so that its unit shows as failed
 * and the device is not silently left in the wrong mode. A device that
 * no section matches is no error.
 */
static int reconfigure_from_config(struct action *a, struct daxctl_ctx *ctx,
				   int argc, const char **argv,
				   const char * const *usage,
				   const struct option *options)
{
	struct reconfigure_opts *o = a->priv;
	int rc, i;

	/* command line errors first: they are the caller's to fix */
	for (i = 0; i < argc; i++)
		if (!filter_dev_arg_valid(argv[i]))
			break;
	if (argc == 0 || i < argc)
		return action_run_devices(a, ctx, argc, argv, usage, options);

	config_init(&o->config, stderr);
	o->root = ctx_root_prefix(ctx);
	rc = config_load_dir(&o->config, daxctl_get_config_path(ctx));
	if (rc < 0) {
		fprintf(stderr, "%s: the configuration has errors: no device was changed\n",
			a->cmd);
		/* no device was looked at: no result object either */
		if (a->opts->json_result)
			printf("[]\n");
		rc = -EINVAL;
	} else {
		rc = action_run_devices(a, ctx, argc, argv, usage, options);
	}
	config_release(&o->config);
	return rc;
}

/*
 * --memmap-on-memory and --no-memmap-on-memory, two options so that both
 * are listed (usage, --list-opts): the last one given wins.
 */
static int memmap_option(const struct option *opt, const char *arg,
			 bool unset)
{
	*(int *)opt->value = strcmp(opt->long_name, "memmap-on-memory") ? -1 : 1;
	return 0;
}

int cmd_reconfigure_device(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = {
		"daxctl reconfigure-device [<options>] <device>... | all",
		"daxctl reconfigure-device -C [<options>] <device>... | all",
		NULL
	};
	struct action_opts opts = { 0 };
	struct reconfigure_opts o = { 0 };
	struct action a = {
		.cmd = "reconfigure-device",
		.verb = "reconfigure",
		.done = "reconfigured",
		.failed = "error reconfiguring devices",
		.opts = &opts,
		.priv = &o,
		.run = reconfigure_one,
	};
	const struct option options[] = {
		ACTION_OPTS(&opts),
		OPT_SIZE('s', "size", &o.size,
			 "new size (dynamic regions, disabled device)"),
		OPT_SIZE('a', "align", &o.align,
			 "new alignment: 4k, 2m or 1g (disabled device)"),
		OPT_STRING('m', "mode", &o.mode_name, "mode",
			   "system-ram, devdax or famfs"),
		OPT_BOOLEAN('N', "no-online", &o.no_online,
			    "system-ram: leave the memory offline"),
		OPT_BOOLEAN(0, "no-movable", &o.no_movable,
			    "system-ram: online into a kernel zone, not ZONE_MOVABLE"),
		OPT_CALLBACK_F(0, "memmap-on-memory", &o.memmap, NULL,
			       "system-ram: carve the memory's memmap (struct pages) out of the device itself (Linux 6.8+)",
			       memmap_option, PARSE_OPT_NONEG),
		OPT_CALLBACK_F(0, "no-memmap-on-memory", &o.memmap, NULL,
			       "system-ram: keep the memmap off the device (Linux 6.8+)",
			       memmap_option, PARSE_OPT_NONEG),
		OPT_BOOLEAN('f', "force", &o.force,
			    "devdax: offline the memory first; system-ram: ignore the auto-online policy; either: take the device from another driver"),
		OPT_BOOLEAN('C', "check-config", &o.check_config,
			    "take the mode from the configuration files (daxctl.conf(5))"),
		OPT_STRING(0, "input", &o.input, "file",
			   "give the disabled device the ranges of a 'list -D -M' object"),
		OPT_END(),
	};
	int rc;

	argc = parse_options(argc, argv, options, usage, 0);
	o.root = ctx_root_prefix(ctx);
	if (o.input) {
		if (o.check_config || o.mode_name || o.no_online ||
		    o.no_movable || o.memmap || o.size.set || o.align.set) {
			fprintf(stderr, "  Error: --input gives the size, alignment and ranges of a disabled device: it cannot be combined with --mode, --no-online, --no-movable, --(no-)memmap-on-memory, --size, --align or --check-config (change the mode afterwards)\n");
			usage_with_options(usage, options);
		}
		if (argc != 1 || strcmp(argv[0], "all") == 0) {
			fprintf(stderr, "  Error: --input describes one device: name exactly one (not \"all\")\n");
			usage_with_options(usage, options);
		}
		rc = device_input_load(a.cmd, o.input, &o.layout);
		if (rc)
			return rc;
		rc = action_run_devices(&a, ctx, argc, argv, usage, options);
		device_input_free(&o.layout);
		return rc;
	}
	if (o.check_config) {
		if (o.mode_name || o.no_online || o.no_movable || o.memmap ||
		    o.size.set || o.align.set) {
			fprintf(stderr, "  Error: --check-config takes the mode from the configuration: it cannot be combined with --mode, --no-online, --no-movable, --(no-)memmap-on-memory, --size or --align\n");
			usage_with_options(usage, options);
		}
		a.prints_device = true;
		return reconfigure_from_config(&a, ctx, argc, argv, usage,
					       options);
	}
	if (o.mode_name) {
		if (strcmp(o.mode_name, "system-ram") == 0)
			o.mode = MODE_SYSTEM_RAM;
		else if (strcmp(o.mode_name, "devdax") == 0)
			o.mode = MODE_DEVDAX;
		else if (strcmp(o.mode_name, "famfs") == 0)
			o.mode = MODE_FAMFS;
		else {
			fprintf(stderr, "  Error: invalid mode '%s': expected system-ram, devdax or famfs\n",
				o.mode_name);
			usage_with_options(usage, options);
		}
	}
	if (!o.mode && !o.size.set && !o.align.set) {
		fprintf(stderr, "  Error: a 'align', 'mode' or 'size' option is required\n");
		usage_with_options(usage, options);
	}
	if (o.mode && (o.size.set || o.align.set)) {
		fprintf(stderr, "  Error: --mode cannot be combined with --size or --align: resize the disabled device first, then change its mode\n");
		usage_with_options(usage, options);
	}
	if (o.mode == MODE_DEVDAX && o.no_online) {
		fprintf(stderr, "  Error: --no-online is incompatible with --mode=devdax\n");
		usage_with_options(usage, options);
	}
	if (o.mode == MODE_FAMFS && (o.no_online || o.no_movable)) {
		fprintf(stderr, "  Error: --no-online and --no-movable are for --mode=system-ram, not famfs\n");
		usage_with_options(usage, options);
	}
	if (o.memmap && o.mode != MODE_SYSTEM_RAM) {
		fprintf(stderr, "  Error: --%smemmap-on-memory is only for --mode=system-ram (kmem reads it when it binds)\n",
			o.memmap < 0 ? "no-" : "");
		usage_with_options(usage, options);
	}
	a.prints_device = o.mode != MODE_UNSET;
	return action_run_devices(&a, ctx, argc, argv, usage, options);
}
