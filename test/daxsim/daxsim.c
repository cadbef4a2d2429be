// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxsim: serve an emulated /sys (dax bus, dax regions and devices, memory
 * blocks) and /proc/iomem from a scenario file, with the kernel's answers
 * to writes, so that daxctl can be tested end to end without a kernel:
 *
 *	daxsim [-f] [-d] SCENARIO MOUNTPOINT
 *	daxsim --check SCENARIO
 *
 * Point daxctl at it with --sysroot MOUNTPOINT (or DAXCTL_SYSROOT). Stop
 * it with fusermount3 -u MOUNTPOINT or SIGTERM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: daxsim [-f] [-d] SCENARIO MOUNTPOINT\n"
		   "       daxsim --check SCENARIO\n"
		   "  -f  stay in the foreground\n"
		   "  -d  FUSE debug output (implies -f)\n"
		   "  --check  load the scenario, report its size, do not mount\n");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	bool foreground = false, debug = false, check = false;
	const char *scenario = NULL, *mountpoint = NULL;
	double t0 = now();
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0) {
			foreground = true;
		} else if (strcmp(argv[i], "-d") == 0) {
			debug = foreground = true;
		} else if (strcmp(argv[i], "--check") == 0) {
			check = true;
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
	if (!scenario || (!check && !mountpoint)) {
		usage(stderr);
		return 2;
	}
	scenario_load(scenario);
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
		fprintf(stderr, "daxsim: %s: %d devices, %lu memory blocks, "
				"built in %.3f s\n",
			scenario, devices, blocks, now() - t0);
	}
	if (check)
		return 0;
	return vfs_serve(mountpoint, foreground, debug);
}
