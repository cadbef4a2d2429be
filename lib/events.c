// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Where a program learns that devices changed: the device node devtmpfs
 * makes for a dax device, which source of change events the system has
 * (udev, the kernel's uevents, or only the sysfs tree itself under a
 * system root), and where the memory blocks live for a program that
 * watches them. No libudev here: the library stays free of it, as ndctl's
 * is; the command uses libudev for what needs udev itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libdaxctl-private.h"

/* udevd listens on this socket while it runs (systemd-udevd.service) */
#define UDEV_CONTROL_SOCKET "/run/udev/control"

/* How often the node is looked for while waiting. */
#define WAIT_POLL_NS (10 * 1000 * 1000L)

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

DAXCTL_EXPORT int daxctl_dev_wait_node(struct daxctl_dev *dev,
				       unsigned int timeout_ms)
{
	struct daxctl_ctx *ctx;
	char dir[DAX_PATH_MAX], node[DAX_PATH_MAX];
	struct timespec pause = { 0, WAIT_POLL_NS };
	long long deadline;
	struct stat st;
	int rc;

	if (!dev)
		return -EINVAL;
	ctx = dev->region->ctx;
	rc = sysroot_join(dir, sizeof(dir), ctx->root, SYSROOT_DEVFS, "");
	if (rc == 0)
		rc = sysroot_join(node, sizeof(node), ctx->root, SYSROOT_DEVFS,
				  dev->devname);
	if (rc < 0)
		return rc;
	/* a captured tree without dev/: nothing will ever make the node */
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		dax_dbg(ctx, "%s: no %s to wait in\n", dev->devname, dir);
		return -ENODEV;
	}
	deadline = now_ms() + timeout_ms;
	for (;;) {
		if (stat(node, &st) == 0) {
			dax_dbg(ctx, "%s: %s exists\n", dev->devname, node);
			return 0;
		}
		if (errno != ENOENT) {
			rc = -errno;
			dax_err(ctx, "%s: %s: %s\n", dev->devname, node,
				strerror(-rc));
			return rc;
		}
		if (now_ms() >= deadline)
			break;
		nanosleep(&pause, NULL);
	}
	dax_dbg(ctx, "%s: %s did not appear within %u ms\n", dev->devname,
		node, timeout_ms);
	return -ETIMEDOUT;
}

DAXCTL_EXPORT const char *daxctl_get_event_source(struct daxctl_ctx *ctx)
{
	if (!ctx)
		return NULL;
	/* libudev and the uevent socket only ever see the live system */
	if (*ctx->root)
		return "sysfs";
	return access(UDEV_CONTROL_SOCKET, F_OK) == 0 ? "udev" : "kernel";
}

DAXCTL_EXPORT const char *daxctl_get_memory_path(struct daxctl_ctx *ctx)
{
	char path[DAX_PATH_MAX];

	if (!ctx)
		return NULL;
	if (!ctx->memory_path &&
	    dax_sys_path(ctx, path, sizeof(path), "devices/system/memory") == 0)
		ctx->memory_path = strdup(path);
	return ctx->memory_path;
}
