/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Onlining and offlining a device's memory with the notes and failure
 * reports of online-memory and offline-memory; reconfigure-device uses
 * them too. Each returns 0 (changed), 1 (already so) or -errno after
 * action_fail().
 */
#ifndef _DAXCTL_MEMORY_OPS_H_
#define _DAXCTL_MEMORY_OPS_H_

#include <stdbool.h>

struct action;
struct daxctl_dev;
struct daxctl_memory;

/* The memory object and its block count, or a failure (devdax mode...). */
int memory_of(struct action *a, struct daxctl_dev *dev,
	      struct daxctl_memory **mem, int *total);
/*
 * After a failed online/offline: when the library said it could not undo
 * its part, say (action_left) how many blocks are online now.
 */
void memory_report_left(struct action *a, struct daxctl_memory *mem,
			int total);
int memory_online_blocks(struct action *a, struct daxctl_memory *mem,
			 int total, bool movable);
int memory_offline_blocks(struct action *a, struct daxctl_memory *mem,
			  int total);

/*
 * Bind kmem again in an undo, for a device whose memory was offline:
 * whatever the kernel's auto-online policy onlines is offlined again.
 * Returns 0 or -errno.
 */
int kmem_rebind_offline(struct daxctl_dev *dev);

#endif /* _DAXCTL_MEMORY_OPS_H_ */
