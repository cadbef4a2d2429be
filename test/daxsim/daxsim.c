// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxsim: serve an emulated /sys (dax bus, dax regions and devices, memory
 * blocks) and /proc/iomem from a scenario file, with the kernel's answers
 * to writes, so that daxctl can be tested end to end without a kernel:
 *
 *	daxsim [-f] [-d] SCENARIO MOUNTPOINT
 *	daxsim --check SCENARIO
 *	daxsim --dump SCENARIO DIR
 *
 * Point daxctl at it with --sysroot MOUNTPOINT (or DAXCTL_SYSROOT). Stop
 * it with fusermount3 -u MOUNTPOINT or SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: daxsim [-f] [-d] [--kernel GEN] SCENARIO MOUNTPOINT\n"
		   "       daxsim [--kernel GEN] --check SCENARIO\n"
		   "       daxsim [--kernel GEN] --dump SCENARIO DIR\n"
		   "  -f  stay in the foreground\n"
		   "  -d  FUSE debug output (implies -f)\n"
		   "  --check  load the scenario, report its size, do not mount\n"
		   "  --dump   write the tree into DIR as plain files (a static\n"
		   "           fixture: no kernel behind it, modes as sysfs)\n"
		   "  --kernel GEN  the kernel generation to emulate: 6.1, 6.12\n"
		   "           or newest (default: the scenario's \"kernel\",\n"
		   "           else $DAXSIM_KERNEL, else 6.1)\n");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct dump {
	char path[PATH_MAX];
	size_t len;
};

static int dump_node(struct vfs_node *node, void *arg)
{
	struct dump *d = arg;
	size_t len = d->len;
	mode_t mode = vfs_mode(node);
	int rc = 0;

	if (snprintf(d->path + len, sizeof(d->path) - len, "/%s",
		     vfs_name(node)) >= (int)(sizeof(d->path) - len))
		return -ENAMETOOLONG;
	d->len += strlen(d->path + len);
	if (S_ISDIR(mode)) {
		if (mkdir(d->path, 0755) && errno != EEXIST)
			rc = -errno;
		if (!rc)
			rc = vfs_for_each_child(node, dump_node, d);
	} else if (S_ISLNK(mode)) {
		if (symlink(vfs_link_target(node), d->path))
			rc = -errno;
	} else {
		char buf[4096];
		int n = vfs_show(node, buf, sizeof(buf)), fd;

		fd = open(d->path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0)
			rc = -errno;
		else if (n > 0 && write(fd, buf, (size_t)n) != n)
			rc = -EIO;
		if (fd >= 0 && close(fd) && !rc)
			rc = -errno;
		if (!rc && chmod(d->path, mode & 07777))
			rc = -errno;
	}
	if (rc)
		fprintf(stderr, "daxsim: %s: %s\n", d->path, strerror(-rc));
	d->len = len;
	d->path[len] = '\0';
	return rc;
}

static int dump_tree(const char *dir)
{
	struct dump d;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "daxsim: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	snprintf(d.path, sizeof(d.path), "%s", dir);
	d.len = strlen(d.path);
	return vfs_for_each_child(vfs_root(), dump_node, &d) ? 1 : 0;
}

int main(int argc, char **argv)
{
	bool foreground = false, debug = false, check = false, dump = false;
	const char *scenario = NULL, *mountpoint = NULL, *kernel = NULL;
	double t0 = now();
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0) {
			foreground = true;
		} else if (strcmp(argv[i], "-d") == 0) {
			debug = foreground = true;
		} else if (strcmp(argv[i], "--check") == 0) {
			check = true;
		} else if (strcmp(argv[i], "--dump") == 0) {
			dump = true;
		} else if (strcmp(argv[i], "--kernel") == 0) {
			if (++i == argc || !kernel_find(argv[i])) {
				fprintf(stderr, "daxsim: --kernel needs one of "
						"6.1, 6.12, newest\n");
				return 2;
			}
			kernel = argv[i];
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "daxsim: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (!scenario) {
			scenario = argv[i];
		} else if (!mountpoint) {
			mountpoint = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!scenario || (!check && !mountpoint) || (check && dump)) {
		usage(stderr);
		return 2;
	}
	scenario_load(scenario, kernel);
	/*
	 * daxctl's run directory below the system root (its intent records):
	 * sysfs has none, so a test names a real directory for "run".
	 */
	if (getenv("DAXSIM_RUN_DIR") && *getenv("DAXSIM_RUN_DIR"))
		vfs_mklink_text(vfs_root(), "run", getenv("DAXSIM_RUN_DIR"));
	vfs_set_store_hook(fault_check_write);
	if (check || debug) {
		struct sim_region *r;
		unsigned long b, blocks = 0;
		int devices = 0;

		for (r = sim.regions; r; r = r->next)
			for (i = 0; i < r->nr_device_slots; i++)
				devices += r->devices[i] != NULL;
		for (b = 0; b < sim.nr_block_slots; b++)
			blocks += sim.blocks[b] != NULL;
		fprintf(stderr, "daxsim: %s: kernel %s, %d devices, "
				"%lu memory blocks, built in %.3f s\n",
			scenario, sim.kernel.name, devices, blocks,
			now() - t0);
	}
	if (check)
		return 0;
	if (dump)
		return dump_tree(mountpoint);
	return vfs_serve(mountpoint, foreground, debug);
}
