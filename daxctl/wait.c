// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Waiting for a device after binding it. The kernel's devtmpfs makes the
 * node daxX.Y as part of adding the device, so the node is usually there
 * at once; what takes time is udev: its rules (permissions, owners,
 * symbolic links, the daxdev-reconfigure unit of contrib/) run after the
 * uevent, asynchronously. So the wait has two parts: the node (through
 * the library, below the system root), then, only on the live system
 * while udevd runs, udev: the device is initialized in udev's database
 * and udev's event queue is empty. Without udevd (an initramfs, a
 * container) or under a system root there is no udev to wait for.
 *
 * One gap is left: an event the kernel sent that udevd has not read from
 * its socket yet is not in its queue. The device's own add event is
 * covered by the initialized check; a bind event of an older device can
 * still be missed for that moment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libudev.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/action.h"
#include "daxctl/builtin.h"
#include "daxctl/wait.h"
#include "util/sysroot.h"

int parse_seconds(const char *arg, unsigned int max_s, unsigned int *ms)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(arg, &end);
	if (errno || end == arg || *end || !(s >= 0) || s > max_s)
		return -EINVAL;
	*ms = (unsigned int)(s * 1000 + 0.5);
	return 0;
}

int wait_option_cb(const struct option *opt, const char *arg, bool unset)
{
	struct wait_opt *w = opt->value;

	w->set = true;
	if (unset) {
		w->off = true;
		return 0;
	}
	if (parse_seconds(arg, WAIT_MAX_S, &w->ms) < 0) {
		fprintf(stderr, "  Error: invalid wait '%s': expected seconds from 0 to %d (e.g. 5 or 0.5)\n",
			arg, WAIT_MAX_S);
		return -1;
	}
	w->off = false;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether udev processed @devname and has nothing more queued. */
static bool udev_done(struct udev *udev, struct udev_queue *queue,
		      const char *devname)
{
	struct udev_device *d;
	bool done;

	/* a fresh object each time: the database is read once per object */
	d = udev_device_new_from_subsystem_sysname(udev, "dax", devname);
	if (!d)
		return false;
	done = udev_device_get_is_initialized(d) > 0 &&
	       udev_queue_get_queue_is_empty(queue) > 0;
	udev_device_unref(d);
	return done;
}

/* 0 when udev is done with @devname within @ms, -ETIMEDOUT, -ENOMEM. */
static int wait_udev(const char *devname, long long ms)
{
	struct timespec pause = { 0, 10 * 1000 * 1000L };
	long long deadline = now_ms() + ms;
	struct udev_queue *queue;
	struct udev *udev;
	int rc = -ETIMEDOUT;

	udev = udev_new();
	if (!udev)
		return -ENOMEM;
	queue = udev_queue_new(udev);
	if (!queue) {
		udev_unref(udev);
		return -ENOMEM;
	}
	for (;;) {
		if (udev_done(udev, queue, devname)) {
			rc = 0;
			break;
		}
		if (now_ms() >= deadline)
			break;
		nanosleep(&pause, NULL);
	}
	udev_queue_unref(queue);
	udev_unref(udev);
	return rc;
}

void wait_for_device(struct action *a, struct daxctl_dev *dev,
		     const struct wait_opt *w)
{
	const char *devname = daxctl_dev_get_devname(dev);
	long long start = now_ms(), left;
	char node[4096];
	int rc;

	if (w->off || daxctl_get_dry_run(a->ctx))
		return;
	snprintf(node, sizeof(node), "%s%s/%s", ctx_root_prefix(a->ctx),
		 sysroot_mountpoint(SYSROOT_DEVFS), devname);
	rc = daxctl_dev_wait_node(dev, w->ms);
	if (rc == -ENODEV) {
		action_verbose(a, "no device directory below the system root: nothing to wait for");
		return;
	}
	if (rc == -ETIMEDOUT) {
		action_note(a, "%s did not appear within %.3g s (no devtmpfs, or udev is slow); the device is bound",
			    node, w->ms / 1000.0);
		return;
	}
	if (rc < 0) {
		action_note(a, "cannot wait for %s: %s", node, strerror(-rc));
		return;
	}
	if (strcmp(daxctl_get_event_source(a->ctx), "udev") != 0) {
		action_verbose(a, "%s exists", node);
		return;
	}
	left = (long long)w->ms - (now_ms() - start);
	rc = wait_udev(devname, left > 0 ? left : 0);
	if (rc == -ETIMEDOUT)
		action_note(a, "udev has not finished processing it within %.3g s; %s exists",
			    w->ms / 1000.0, node);
	else if (rc < 0)
		action_note(a, "cannot ask udev about it: %s", strerror(-rc));
	else
		action_verbose(a, "%s exists and udev has processed it", node);
}
