// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/lock.h"

int mutation_lock(struct daxctl_ctx *ctx, const char *cmd)
{
	const char *dir = daxctl_get_bus_path(ctx);
	int fd;

	/* no dax directory at all: there is nothing to change either */
	if (!dir)
		return 0;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
