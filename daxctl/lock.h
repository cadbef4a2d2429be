/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _DAXCTL_LOCK_H_
#define _DAXCTL_LOCK_H_

/*
 * Serialise the runs of daxctl that change devices: an exclusive flock()
 * on the dax bus directory of the system (daxctl_get_bus_path(), below
 * the context's system root), held until the process exits. A directory
 * lock needs no file to be created, so it works on read-only roots and on
 * captured trees;
 * listing never takes it and never waits. Waiting for another run is
 * announced on stderr. Returns 0, or -errno when locking failed for
 * another reason than the absence of any dax directory.
 */
struct daxctl_ctx;

int mutation_lock(struct daxctl_ctx *ctx, const char *cmd);

#endif /* _DAXCTL_LOCK_H_ */
