// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "daxctl/lock.h"
#include "util/sysroot.h"

/* The bus model's directory, or the class model's on old kernels. */
static int open_dax_dir(void)
{
	static const char * const dirs[] = { "bus/dax", "class/dax" };
	char path[4096];
	char *root;
	size_t i;
	int fd = -1;

	root = sysroot_resolve(sysroot_from_env());
	if (!root)
		return -ENOMEM;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && fd < 0; i++) {
		if (sysroot_join(path, sizeof(path), root, SYSROOT_SYSFS,
				 dirs[i]))
			continue;
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	free(root);
	return fd;
}

int mutation_lock(const char *cmd)
{
	int fd = open_dax_dir();

	/* no dax directory at all: there is nothing to change either */
	if (fd == -ENOMEM)
		return fd;
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;	/* fd stays open: the lock lasts until exit */
	if (errno != EWOULDBLOCK) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	fprintf(stderr, "%s: waiting for another daxctl run that changes devices\n",
		cmd);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int rc = -errno;

			close(fd);
			return rc;
		}
	}
	return 0;
}
