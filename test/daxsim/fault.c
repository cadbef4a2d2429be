// SPDX-License-Identifier: GPL-2.0-or-later
/* Injected faults: refusals no real machine produces on demand. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Called before every attribute write: 0, or the -errno to fail it with. */
int fault_check_write(struct vfs_node *node)
{
	struct sim_write_fault *f;
	char *path = NULL;
	int rc = 0;

	for (f = sim.write_faults; f; f = f->next) {
		if (!path)
			path = node_path(node);
		if (fnmatch(f->glob, path, 0) != 0)
			continue;
		f->seen++;
		if (f->seen >= f->nth && (!f->times || f->seen < f->nth + f->times))
			rc = -f->err;
	}
	free(path);
	return rc;
}

int fault_check_probe(const char *driver, const char *device)
{
	struct sim_probe_fault *f;

	for (f = sim.probe_faults; f; f = f->next)
		if (strcmp(f->driver, driver) == 0 &&
		    (!f->device || strcmp(f->device, device) == 0))
			return -f->err;
	return 0;
}

void fault_apply_block(struct sim_block *block)
{
	struct sim_block_fault *f;

	for (f = sim.block_faults; f; f = f->next) {
		if (f->index != block->index)
			continue;
		block->online_errno = f->online_err;
		block->offline_errno = f->offline_err;
	}
}

/* Whether @device must get no node in dev/ (a devnode fault names it). */
bool fault_no_devnode(const char *device)
{
	struct sim_devnode_fault *f;

	for (f = sim.devnode_faults; f; f = f->next)
		if (fnmatch(f->glob, device, 0) == 0)
			return true;
	return false;
}
