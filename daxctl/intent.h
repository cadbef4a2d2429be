/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intent records: what a run that changes a device was about to do, kept
 * so that a run killed part-way (SIGKILL, a crash, a power cut of the
 * process, not of the machine) is noticed and resolved by the next one.
 *
 * One file per device, <root>/run/daxctl/<device>.intent (the run
 * directory comes from util/sysroot.h), written before the device's first
 * change (to a temporary name, fsync'ed, renamed) and removed after its
 * last. It holds the device's state before the change: driver, memory
 * state, size, alignment, ranges. The format is described in
 * daxctl-reconfigure-device(1), section INTERRUPTIONS.
 *
 * The directory is created with mode 0700 and must be owned by the
 * effective user and writable by nobody else; any other directory is
 * refused. A system root without a run directory (a captured tree, the
 * emulator unless told otherwise) keeps no records. Runs that change
 * devices hold the lock of lock.h, so a record found by one of them
 * belongs to a run that is gone.
 */
#ifndef _DAXCTL_INTENT_H_
#define _DAXCTL_INTENT_H_

#include <stdbool.h>
#include <stddef.h>

struct action;
struct daxctl_ctx;
struct daxctl_dev;

/*
 * Open (create) the run directory; records of devices that are gone are
 * dropped, with a note. Returns 0 (also when the root has no run
 * directory: then no record is kept), or -errno after saying why on
 * stderr.
 */
int intent_open(struct daxctl_ctx *ctx, const char *cmd);

/*
 * A record left for @dev by a run that was killed: put the device back
 * into the state recorded, and say so. 0 when there was none or it is
 * resolved, -errno after action_fail() when the device could not be put
 * back (the record is kept).
 */
int intent_resolve(struct action *a, struct daxctl_dev *dev);

/* Record @dev's state before @a changes it. 0 or -errno. */
int intent_begin(struct action *a, struct daxctl_dev *dev);
/* The change is over (done, undone, or reported): drop the record. */
void intent_end(struct daxctl_dev *dev);

/*
 * For list: the command of a record left for @devname under @root, in
 * @buf, or NULL. Never creates anything.
 */
const char *intent_pending(const char *root, const char *devname, char *buf,
			   size_t len);
/* Release what intent_pending() read (the end of a list run). */
void intent_pending_free(void);

#endif /* _DAXCTL_INTENT_H_ */
