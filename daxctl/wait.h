/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --wait / --no-wait of the commands that bind a device to device_dax
 * (create-device, enable-device): before returning, wait until the
 * device's node exists and, while udevd runs, until udev has processed
 * it, so that a script can open the node as soon as daxctl returns.
 */
#ifndef _DAXCTL_WAIT_H_
#define _DAXCTL_WAIT_H_

#include <stdbool.h>

#include "daxctl/parse-options.h"

struct action;
struct daxctl_dev;

/* How long to wait, in milliseconds, when no option says. */
#define WAIT_DEFAULT_MS 5000
/* The longest --wait accepted, in seconds. */
#define WAIT_MAX_S 3600

struct wait_opt {
	unsigned int ms;	/* WAIT_DEFAULT_MS unless an option said */
	bool off;		/* --no-wait */
	bool set;		/* given on the command line */
};

/*
 * Parse a duration in seconds, 0 to @max_s, decimals allowed ("0.5"),
 * into milliseconds. Returns 0 or -EINVAL.
 */
int parse_seconds(const char *arg, unsigned int max_s, unsigned int *ms);

int wait_option_cb(const struct option *opt, const char *arg, bool unset);

#define OPT_WAIT(w)                                                           \
	OPT_CALLBACK(0, "wait", PARSE_OPT_CHECK_TYPE(w, struct wait_opt *),   \
		     "seconds", "wait for the device node and udev (default 5)", \
		     wait_option_cb)

/*
 * Wait as @w says for @dev, which the current result of @a just bound.
 * Never fails the device: when the node or udev is late it says so in a
 * note and returns.
 */
void wait_for_device(struct action *a, struct daxctl_dev *dev,
		     const struct wait_opt *w);

#endif /* _DAXCTL_WAIT_H_ */
