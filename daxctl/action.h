/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every command that changes devices shares: choosing the devices
 * from the command line, running the command's step on each, recording
 * one result per device, and reporting them (device objects or
 * --json-result on stdout, notes, errors and the summary line on stderr,
 * the exit status).
 */
#ifndef _DAXCTL_ACTION_H_
#define _DAXCTL_ACTION_H_

#include <stdbool.h>

#include <json-c/json.h>

#include "daxctl/json.h"
#include "daxctl/parse-options.h"

struct daxctl_ctx;
struct daxctl_region;
struct daxctl_dev;

enum outcome {
	OUTCOME_CHANGED,	/* done, counted in the summary */
	OUTCOME_UNCHANGED,	/* nothing to do: already as requested */
	OUTCOME_FAILED,		/* refused or failed; see rollback */
};

/* After a failure, where the device was left. */
enum rollback {
	ROLLBACK_NONE,		/* nothing had changed yet */
	ROLLBACK_RESTORED,	/* changes undone: as it was before */
	ROLLBACK_INCOMPLETE,	/* neither as before nor as requested */
};

struct result {
	char name[64];		/* the device, or "regionN" before one exists */
	int region_id;
	enum outcome outcome;
	int err;		/* -errno when failed */
	char message[512];	/* why it failed */
	char left[256];		/* where an incomplete undo left the device */
	enum rollback rollback;
	struct json_object *device;	/* the device afterwards, or NULL */
	struct json_object *writes;	/* dry run: the planned writes */
	bool named;		/* selected by name, not only by "all" */
};

struct action;

/* Options every device command has. */
struct action_opts {
	const char *region;
	int human;
	int verbose;
	int dry_run;
	int json_result;
};

#define ACTION_OPTS(o)                                                        \
	OPT_STRING('r', "region", &(o)->region, "region-id",                  \
		   "only devices of this region (N, regionN or all)"),          \
	OPT_BOOLEAN('u', "human", &(o)->human,                                \
		    "sizes in IEC/SI units, addresses in hex"),               \
	OPT_COUNT('v', "verbose", &(o)->verbose,                              \
		  "say more, including the library's debug messages"),        \
	OPT_BOOLEAN(0, "dry-run", &(o)->dry_run,                              \
		    "print the writes it would make; change nothing"),        \
	OPT_BOOLEAN(0, "json-result", &(o)->json_result,                      \
		    "print one JSON result object per device on stdout")

struct action {
	const char *cmd;	/* "reconfigure-device" */
	const char *verb;	/* "specify a device to <verb>, or \"all\"" */
	const char *done;	/* summary: "<done> N device(s)" */
	const char *failed;	/* "<failed>: <strerror>" when an error */
	bool prints_device;	/* device objects on stdout on success */
	struct action_opts *opts;
	void *priv;		/* the command's own options */
	/*
	 * One device: 0 when changed, 1 when already as requested, -errno
	 * on failure after calling action_fail() with the reason.
	 */
	int (*run)(struct action *a, struct daxctl_dev *dev,
		   struct result *res);
	/* the state of the run, set up by action_begin() */
	struct daxctl_ctx *ctx;
	struct result *current;
	struct json_opts json;
	struct result *results;
	int nr_results, alloc_results;
	/* the library's first error message about the current object */
	char lib_error[512];
	/*
	 * Whether the library logged at critical priority: it could not undo
	 * a change, so the object is neither as before nor as requested.
	 */
	bool lib_incomplete;
};

/*
 * Parse and check the device arguments, run @a on every device they select
 * (each once, in region then device order), report, and return the
 * command's result.
 */
int action_run_devices(struct action *a, struct daxctl_ctx *ctx, int argc,
		       const char **argv, const char * const *usage,
		       const struct option *options);

/*
 * Wait until no other daxctl run is changing devices (lock.h); nothing
 * for a dry run. Done by action_run_devices(); create-device calls it
 * before it looks at the regions.
 */
int action_lock(struct action *a, struct daxctl_ctx *ctx);

/*
 * For commands that are not per device (create-device): set up logging,
 * the dry run and the results; then action_result_new() per object and
 * action_finish() for the report and the exit status.
 */
void action_begin(struct action *a, struct daxctl_ctx *ctx);
struct result *action_result_new(struct action *a, const char *name,
				 int region_id);
int action_finish(struct action *a);

/*
 * Record why the current device failed and print it: "<dev>: <why>",
 * followed by "; <left>" when action_left() said where an undo left it.
 */
int action_fail(struct action *a, int err, enum rollback rb,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * action_fail() for a library call that failed: "<what>: <strerror(err)>",
 * or, when the library logged an error about the object, its first one as
 * the cause, said once: "<what>: <cause>" ("<cause>" alone when it begins
 * with @what: "failed to online memory10: ..." for "failed to online
 * memory"), the device name it begins with dropped, the errno appended if
 * the cause lacks it.
 */
int action_fail_lib(struct action *a, int err, enum rollback rb,
		    const char *what);
/*
 * action_fail_lib() with a formatted <what>, and @hint (" (what to do)",
 * may be NULL) after the reason.
 */
int action_fail_libf(struct action *a, int err, enum rollback rb,
		     const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/*
 * An undo step was refused: record where the device is left ("left in
 * system-ram mode ..."), for the failure line and the result. Call it
 * before action_fail().
 */
void action_left(struct action *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A note on stderr about the current device, not an error. */
void action_note(struct action *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Only with -v. */
void action_verbose(struct action *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The first error the library logged for the current device, or "". */
const char *action_lib_error(struct action *a);
/* Whether the library said it could not undo a change (LOG_CRIT). */
bool action_lib_incomplete(struct action *a);

/*
 * Interruptions. From the moment a run holds the lock (action_lock()),
 * SIGINT, SIGTERM, SIGHUP and SIGPIPE only set a flag: the step under way
 * finishes, the command rolls the device back at its next step boundary
 * (or finishes a change whose last step was under way), the devices not
 * started yet are reported failed (EINTR), and action_finish() ends the
 * process by that same signal after the report, so that its parent sees
 * it die of the signal (a shell: status 128 + its number).
 */
/* The signal that arrived, or 0. */
int action_interrupted(void);
/* action_fail() for an interruption, with where the device was left. */
int action_fail_interrupted(struct action *a, enum rollback rb);

/* Reject an invalid -r value: usage error, exit 129. */
void action_check_region(const char *region, const char * const *usage,
			 const struct option *options);

/* "1 device" / "3 devices" */
const char *plural(int n, const char *one, const char *many);

#endif /* _DAXCTL_ACTION_H_ */
