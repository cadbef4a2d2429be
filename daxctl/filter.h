/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _DAXCTL_FILTER_H_
#define _DAXCTL_FILTER_H_

#include <stdbool.h>

struct daxctl_region;
struct daxctl_dev;

/*
 * Region filter: NULL or "all" match every region; otherwise a decimal id
 * "N" or "regionN". Several regions may share an id (NVDIMM), so one
 * filter can match several regions.
 */
bool filter_region_valid(const char *filter);
bool filter_match_region(struct daxctl_region *region, const char *filter);

/* Device filter: NULL or "all", "daxX.Y", or the tuple "X.Y". */
bool filter_dev_valid(const char *filter);
bool filter_match_dev(struct daxctl_dev *dev, const char *filter);

/*
 * A device named on the command line: a device filter, or "/dev/daxX.Y"
 * (below the system root's /dev). filter_dev_arg_name() gives the filter
 * to match with, the name without its /dev/ part.
 */
const char *filter_dev_arg_name(const char *arg);
bool filter_dev_arg_valid(const char *arg);

#endif /* _DAXCTL_FILTER_H_ */
