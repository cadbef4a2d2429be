// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A consumer in the style of famfs, which moves a device-dax device between
 * device_dax and its own driver (fsdev_dax): it finds the device by name,
 * checks whether a driver holds it, unbinds it and binds it back.
 *
 *	famfs-like cycle DEVNAME     is_enabled, disable, is_enabled,
 *	                             enable_devdax, is_enabled
 *	famfs-like driver DEVNAME    which driver holds the device, and what
 *	                             enable_devdax does when another one does
 *	famfs-like to-fsdev DEVNAME  disable, then bind fsdev_dax through
 *	                             sysfs (libdaxctl v81 has no call for it)
 *
 * libdaxctl does not name the bound driver, so that is read from the
 * device's "driver" link below $DAXCTL_SYSROOT/sys, as the library's root.
 * Exit status: 0 when every call succeeded and the device ended in the
 * expected state, 1 otherwise, 2 usage or system error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <daxctl/libdaxctl.h>

static const char *sysroot(void)
{
	const char *root = getenv("DAXCTL_SYSROOT");

	return root ? root : "";
}

/* The bound driver's name from sysfs, or NULL when there is no link. */
static const char *driver_name(struct daxctl_dev *dev)
{
	static char target[PATH_MAX];
	char link[PATH_MAX];
	const char *slash;
	ssize_t n;

	snprintf(link, sizeof(link), "%s/sys/bus/dax/devices/%s/driver",
		 sysroot(), daxctl_dev_get_devname(dev));
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return NULL;
	target[n] = '\0';
	slash = strrchr(target, '/');
	return slash ? slash + 1 : target;
}

static int is_enabled(struct daxctl_dev *dev)
{
	const char *drv = driver_name(dev);
	int rc = daxctl_dev_is_enabled(dev);

	printf("%s: is_enabled %d (driver %s)\n", daxctl_dev_get_devname(dev),
	       rc, drv ? drv : "none");
	return rc;
}

static int report_rc(struct daxctl_dev *dev, const char *call, int rc)
{
	if (rc < 0)
		printf("%s: %s %d (%s)\n", daxctl_dev_get_devname(dev), call,
		       rc, strerror(-rc));
	else
		printf("%s: %s %d\n", daxctl_dev_get_devname(dev), call, rc);
	return rc;
}

static int cycle(struct daxctl_dev *dev)
{
	int fail = 0;

	is_enabled(dev);
	if (report_rc(dev, "disable", daxctl_dev_disable(dev)) != 0)
		fail = 1;
	if (is_enabled(dev) != 0)
		fail = 1;
	if (report_rc(dev, "enable_devdax", daxctl_dev_enable_devdax(dev)))
		fail = 1;
	if (is_enabled(dev) != 1)
		fail = 1;
	return fail;
}

/* What famfs must know before it takes a device: who holds it now. */
static int driver(struct daxctl_dev *dev)
{
	const char *drv;
	int rc;

	is_enabled(dev);
	printf("%s: system-ram %d, memory %s\n", daxctl_dev_get_devname(dev),
	       daxctl_dev_is_system_ram_capable(dev),
	       daxctl_dev_get_memory(dev) ? "yes" : "no");
	/*
	 * enable_devdax succeeds on a device any driver holds, without
	 * taking it over: a caller that needs device_dax must check.
	 */
	rc = report_rc(dev, "enable_devdax", daxctl_dev_enable_devdax(dev));
	drv = driver_name(dev);
	if (drv && strcmp(drv, "device_dax") != 0)
		printf("%s: still held by %s\n", daxctl_dev_get_devname(dev),
		       drv);
	is_enabled(dev);
	return rc != 0;
}

static int sysfs_write(const char *rel, const char *value)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd, rc = 0;

	snprintf(path, sizeof(path), "%s/sys/%s", sysroot(), rel);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static int to_fsdev(struct daxctl_dev *dev)
{
	const char *name = daxctl_dev_get_devname(dev);
	const char *drv;
	int rc;

	is_enabled(dev);
	if (report_rc(dev, "disable", daxctl_dev_disable(dev)) != 0)
		return 1;
	/* fsdev_dax matches by name: new_id may bind it by itself */
	rc = sysfs_write("bus/dax/drivers/fsdev_dax/new_id", name);
	report_rc(dev, "fsdev_dax new_id", rc);
	if (!daxctl_dev_is_enabled(dev)) {
		rc = sysfs_write("bus/dax/drivers/fsdev_dax/bind", name);
		report_rc(dev, "fsdev_dax bind", rc);
	}
	/* is_enabled is read live: a bind made behind the library shows */
	if (is_enabled(dev) != 1)
		return 1;
	drv = driver_name(dev);
	return !drv || strcmp(drv, "fsdev_dax") != 0;
}

int main(int argc, char **argv)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev, *found = NULL;
	struct daxctl_ctx *ctx;
	int rc;

	if (argc != 3 || (strcmp(argv[1], "cycle") != 0 &&
			  strcmp(argv[1], "driver") != 0 &&
			  strcmp(argv[1], "to-fsdev") != 0)) {
		fprintf(stderr,
			"usage: famfs-like cycle|driver|to-fsdev DEVNAME\n");
		return 2;
	}

	rc = daxctl_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "famfs-like: daxctl_new: %s\n", strerror(-rc));
		return 2;
	}
	daxctl_region_foreach(ctx, region) {
		daxctl_dev_foreach(region, dev) {
			if (strcmp(daxctl_dev_get_devname(dev), argv[2]) == 0) {
				found = dev;
				break;
			}
		}
		if (found)
			break;
	}
	if (!found) {
		fprintf(stderr, "famfs-like: %s: no such device\n", argv[2]);
		daxctl_unref(ctx);
		return 1;
	}

	if (strcmp(argv[1], "cycle") == 0)
		rc = cycle(found);
	else if (strcmp(argv[1], "driver") == 0)
		rc = driver(found);
	else
		rc = to_fsdev(found);
	daxctl_unref(ctx);
	return rc;
}
