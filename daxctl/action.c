// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The machinery shared by the commands that change devices (action.h).
 * Per device the command returns changed, unchanged or failed; the
 * command's exit status is the last failure's errno (& 0xff), or 0. The
 * reference also exits non-zero for "already online" and 0 when nothing
 * matched; this project does neither (README.md, "Differences from ndctl's
 * daxctl").
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/action.h"
#include "daxctl/filter.h"
#include "daxctl/intent.h"
#include "daxctl/lock.h"

const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * The library's messages. An error about the current object becomes the
 * cause in its failure line (action_fail_lib()), so the library's own line
 * is only shown when asked for: with -v, or when DAXCTL_LOG raised the
 * library's log level. A failed undo (critical priority) is always shown:
 * it says what the library could not put back; so are messages outside
 * any object (while the devices are looked up), which no line carries.
 */
static void __attribute__((format(printf, 6, 0)))
action_log(struct daxctl_ctx *ctx, int priority, const char *file, int line,
	   const char *fn, const char *format, va_list args)
{
	struct action *a = daxctl_get_userdata(ctx);
	bool show;
	va_list copy;

	(void)file;
	(void)line;
	show = priority <= LOG_CRIT || !a || !a->current ||
	       a->opts->verbose || daxctl_get_log_priority(ctx) > LOG_ERR;
	va_copy(copy, args);
	if (show) {
		/* function names only help with debugging */
		if (priority >= LOG_DEBUG)
			fprintf(stderr, "libdaxctl: %s: ", fn);
		else
			fprintf(stderr, "libdaxctl: ");
		vfprintf(stderr, format, args);
	}
	/* the first error is the cause; later ones are its consequences */
	if (priority <= LOG_ERR && a && a->current) {
		if (priority <= LOG_CRIT)
			a->lib_incomplete = true;
		if (!a->lib_error[0]) {
			vsnprintf(a->lib_error, sizeof(a->lib_error), format,
				  copy);
			a->lib_error[strcspn(a->lib_error, "\n")] = '\0';
		}
	}
	va_end(copy);
}

static void dry_run_report(struct daxctl_ctx *ctx, const char *path,
			   const char *value)
{
	struct action *a = daxctl_get_userdata(ctx);
	struct result *res = a ? a->current : NULL;
	struct json_object *w;

	if (!res)
		return;
	if (!a->opts->json_result) {
		printf("%s: write '%s' to %s\n", res->name, value, path);
		return;
	}
	if (!res->writes && !(res->writes = json_object_new_array()))
		return;
	w = json_object_new_object();
	if (!w)
		return;
	json_object_object_add(w, "path", json_object_new_string(path));
	json_object_object_add(w, "value", json_object_new_string(value));
	json_object_array_add(res->writes, w);
}

static volatile sig_atomic_t interrupted;
static const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

static void on_signal(int signo)
{
	/* the first one counts; the rest add nothing */
	if (!interrupted)
		interrupted = signo;
}

/*
 * SA_RESTART: a step the signal arrives in is not cut short (a sysfs
 * write or a read of the device's state comes back whole); the flag is
 * looked at between steps.
 */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal,
				.sa_flags = SA_RESTART };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		sigaddset(&sa.sa_mask, caught[i]);
	for (i = 0; i < sizeof(caught) / sizeof(caught[0]); i++) {
		struct sigaction old;

		/* ignored by whoever started us (nohup): stays ignored */
		if (sigaction(caught[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(caught[i], &sa, NULL);
	}
}

int action_interrupted(void)
{
	return interrupted;
}

static const char *signal_name(int signo)
{
	static char buf[32];
	const char *abbrev = sigabbrev_np(signo);

	if (abbrev)
		snprintf(buf, sizeof(buf), "SIG%s", abbrev);
	else
		snprintf(buf, sizeof(buf), "signal %d", signo);
	return buf;
}

int action_fail_interrupted(struct action *a, enum rollback rb)
{
	return action_fail(a, -EINTR, rb, "interrupted by %s%s",
			   signal_name(interrupted),
			   rb == ROLLBACK_RESTORED ? ": rolled back" : "");
}

/* Die of the signal that interrupted the run, now that it is reported. */
static void exit_if_interrupted(const char *cmd)
{
	int signo = interrupted;
	sigset_t set;

	if (!signo)
		return;
	fprintf(stderr, "%s: interrupted by %s\n", cmd, signal_name(signo));
	fflush(stdout);
	fflush(stderr);
	signal(signo, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, signo);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(signo);
	/* not reached unless the signal is ignored by our parent's choice */
	_exit(128 + signo);
}

int action_lock(struct action *a, struct daxctl_ctx *ctx)
{
	int rc;

	/* a dry run changes nothing: like list, it never waits */
	if (a->opts->dry_run)
		return 0;
	rc = mutation_lock(ctx, a->cmd);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot lock out other daxctl runs: %s\n",
			a->cmd, strerror(-rc));
		return rc;
	}
	/*
	 * Interrupted while waiting, nothing was changed: the default
	 * action is right. From here on a signal waits for a step boundary.
	 */
	catch_signals();
	return intent_open(ctx, a->cmd);
}

void action_begin(struct action *a, struct daxctl_ctx *ctx)
{
	a->ctx = ctx;
	a->current = NULL;
	a->results = NULL;
	a->nr_results = a->alloc_results = 0;
	a->lib_error[0] = '\0';
	a->lib_incomplete = false;
	a->json.human = a->opts->human;
	a->json.root = NULL;
	daxctl_set_userdata(ctx, a);
	daxctl_set_log_fn(ctx, action_log);
	if (a->opts->verbose)
		daxctl_set_log_priority(ctx, LOG_DEBUG);
	if (a->opts->dry_run)
		daxctl_set_dry_run(ctx, dry_run_report);
}

struct result *action_result_new(struct action *a, const char *name,
				 int region_id)
{
	struct result *res;

	if (a->nr_results == a->alloc_results) {
		int n = a->alloc_results ? a->alloc_results * 2 : 16;
		struct result *r = realloc(a->results, (size_t)n * sizeof(*r));

		if (!r)
			return NULL;
		a->results = r;
		a->alloc_results = n;
	}
	res = &a->results[a->nr_results++];
	memset(res, 0, sizeof(*res));
	snprintf(res->name, sizeof(res->name), "%s", name);
	res->region_id = region_id;
	a->current = res;
	a->lib_error[0] = '\0';
	a->lib_incomplete = false;
	return res;
}

const char *action_lib_error(struct action *a)
{
	return a->lib_error;
}

bool action_lib_incomplete(struct action *a)
{
	return a->lib_incomplete;
}

/*
 * Format a line about the current object (or the command, outside one)
 * into @buf and print it on stderr as "<name>: <line>".
 */
static void __attribute__((format(printf, 4, 0)))
say(struct action *a, char *buf, size_t len, const char *fmt, va_list args)
{
	vsnprintf(buf, len, fmt, args);
	fprintf(stderr, "%s: %s\n", a->current ? a->current->name : a->cmd,
		buf);
}

int action_fail(struct action *a, int err, enum rollback rb,
		const char *fmt, ...)
{
	struct result *res = a->current;
	char msg[sizeof(res->message)];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	if (!res) {
		fprintf(stderr, "%s: %s\n", a->cmd, msg);
		return err;
	}
	/* one line: what failed and why, and where an undo left it */
	fprintf(stderr, "%s: %s%s%s\n", res->name, msg,
		res->left[0] ? "; " : "", res->left);
	res->outcome = OUTCOME_FAILED;
	res->err = err;
	/* the library could not undo its part */
	if (a->lib_incomplete && rb == ROLLBACK_RESTORED)
		rb = ROLLBACK_INCOMPLETE;
	res->rollback = rb;
	memcpy(res->message, msg, sizeof(msg));
	return err;
}

/* The library's cause without the object name it begins with. */
static const char *lib_cause(struct action *a)
{
	const char *cause = a->lib_error;
	size_t len;

	if (!a->current)
		return cause;
	len = strlen(a->current->name);
	if (strncmp(cause, a->current->name, len) == 0 &&
	    strncmp(cause + len, ": ", 2) == 0)
		cause += len + 2;
	return cause;
}

static int fail_lib(struct action *a, int err, enum rollback rb,
		    const char *what, const char *hint)
{
	const char *cause = lib_cause(a), *reason = strerror(-err);
	bool has_reason;

	if (!*cause)
		return action_fail(a, err, rb, "%s: %s%s", what, reason, hint);
	has_reason = strstr(cause, reason) != NULL;
	if (strncmp(cause, what, strlen(what)) == 0)
		return action_fail(a, err, rb, "%s%s%s%s", cause,
				   has_reason ? "" : ": ",
				   has_reason ? "" : reason, hint);
	return action_fail(a, err, rb, "%s: %s%s%s%s", what, cause,
			   has_reason ? "" : ": ", has_reason ? "" : reason,
			   hint);
}

int action_fail_lib(struct action *a, int err, enum rollback rb,
		    const char *what)
{
	return fail_lib(a, err, rb, what, "");
}

int action_fail_libf(struct action *a, int err, enum rollback rb,
		     const char *hint, const char *fmt, ...)
{
	char what[256];
	va_list args;

	va_start(args, fmt);
	vsnprintf(what, sizeof(what), fmt, args);
	va_end(args);
	return fail_lib(a, err, rb, what, hint ? hint : "");
}

void action_left(struct action *a, const char *fmt, ...)
{
	struct result *res = a->current;
	char msg[sizeof(res->left)];
	va_list args;

	va_start(args, fmt);
	if (!res || res->outcome == OUTCOME_FAILED) {
		/* no failure line to carry it (any more) */
		say(a, msg, sizeof(msg), fmt, args);
	} else {
		vsnprintf(msg, sizeof(msg), fmt, args);
	}
	va_end(args);
	if (res)
		memcpy(res->left, msg, sizeof(msg));
}

void action_note(struct action *a, const char *fmt, ...)
{
	char msg[512];
	va_list args;

	va_start(args, fmt);
	say(a, msg, sizeof(msg), fmt, args);
	va_end(args);
}

void action_verbose(struct action *a, const char *fmt, ...)
{
	char msg[512];
	va_list args;

	if (!a->opts->verbose)
		return;
	va_start(args, fmt);
	say(a, msg, sizeof(msg), fmt, args);
	va_end(args);
}

void action_check_region(const char *region, const char * const *usage,
			 const struct option *options)
{
	if (filter_region_valid(region))
		return;
	fprintf(stderr, "  Error: invalid region '%s': expected an id, regionN or all\n",
		region);
	usage_with_options(usage, options);
}

/* "/dev/daxX.Y" names the device; any other path does not. */
static const char *outcome_name(const struct action *a, enum outcome o)
{
	switch (o) {
	case OUTCOME_CHANGED:
		return a->opts->dry_run ? "would-change" : "changed";
	case OUTCOME_UNCHANGED:
		return "unchanged";
	default:
		return "failed";
	}
}

static const char *rollback_name(enum rollback rb)
{
	switch (rb) {
	case ROLLBACK_RESTORED:
		return "restored";
	case ROLLBACK_INCOMPLETE:
		return "incomplete";
	default:
		return "unchanged";
	}
}

static struct json_object *result_json(const struct action *a,
				       struct result *res)
{
	struct json_object *obj = json_object_new_object();
	const char *ename;

	if (!obj)
		return NULL;
	if (strncmp(res->name, "dax", 3) == 0)
		json_object_object_add(obj, "chardev",
				       json_object_new_string(res->name));
	json_object_object_add(obj, "region",
			       json_object_new_int(res->region_id));
	json_object_object_add(obj, "result",
			       json_object_new_string(outcome_name(a, res->outcome)));
	if (res->outcome == OUTCOME_FAILED) {
		ename = strerrorname_np(-res->err);
		json_object_object_add(obj, "errno",
				       json_object_new_string(ename ? ename : "?"));
		json_object_object_add(obj, "error",
				       json_object_new_string(res->message));
		json_object_object_add(obj, "state",
				       json_object_new_string(rollback_name(res->rollback)));
		if (res->left[0])
			json_object_object_add(obj, "left",
					       json_object_new_string(res->left));
	}
	if (res->writes) {
		json_object_object_add(obj, "writes", res->writes);
		res->writes = NULL;
	}
	if (res->device) {
		json_object_object_add(obj, "device", res->device);
		res->device = NULL;
	}
	return obj;
}

/*
 * The action lives in the command's stack frame, the context outlives it:
 * the library must not hand it to the log function any more (it logs
 * when the context is released).
 */
static void action_detach(struct action *a)
{
	a->current = NULL;
	daxctl_set_userdata(a->ctx, NULL);
}

int action_finish(struct action *a)
{
	struct json_object *out = NULL;
	int i, changed = 0, rc = 0;

	action_detach(a);
	if (a->opts->json_result || (a->prints_device && !a->opts->dry_run))
		out = json_object_new_array();
	for (i = 0; i < a->nr_results; i++) {
		struct result *res = &a->results[i];

		if (res->outcome == OUTCOME_CHANGED)
			changed++;
		if (res->outcome == OUTCOME_FAILED)
			rc = res->err;
		if (!out)
			continue;
		if (a->opts->json_result)
			json_object_array_add(out, result_json(a, res));
		else if (res->device && res->outcome != OUTCOME_FAILED) {
			json_object_array_add(out, res->device);
			res->device = NULL;
		}
	}
	/*
	 * With -u, ndctl's daxctl prints one device as a bare object, and
	 * scripts written for it read it so (jq .mode); --json-result is
	 * this project's own and always an array.
	 */
	if (out && json_object_array_length(out) == 1 && a->opts->human &&
	    !a->opts->json_result)
		json_print(stdout, json_object_array_get_idx(out, 0));
	else if (out && json_object_array_length(out))
		json_print(stdout, out);
	fflush(stdout);
	json_object_put(out);
	for (i = 0; i < a->nr_results; i++) {
		json_object_put(a->results[i].device);
		json_object_put(a->results[i].writes);
	}
	free(a->results);
	a->results = NULL;
	a->nr_results = a->alloc_results = 0;

	fprintf(stderr, "%s %d %s%s\n", a->done, changed,
		plural(changed, "device", "devices"),
		a->opts->dry_run ? " (dry run: nothing was changed)" : "");
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", a->failed, strerror(-rc));
	exit_if_interrupted(a->cmd);
	return rc;
}

/* Every argument as a filter, "/dev/" taken off. */
/* Whether @dev matches an argument; *named when one is not "all". */
static bool dev_selected(struct daxctl_dev *dev, int argc, const char **argv,
			 int *hits, bool *named)
{
	bool any = false;
	int i;

	*named = false;
	for (i = 0; i < argc; i++) {
		if (filter_match_dev(dev, filter_dev_arg_name(argv[i]))) {
			hits[i]++;
			any = true;
			if (strcmp(argv[i], "all") != 0)
				*named = true;
		}
	}
	return any;
}

static void no_match(struct action *a, const char *arg)
{
	if (a->opts->region && strcmp(a->opts->region, "all") != 0)
		fprintf(stderr, "%s: no device matches '%s' in region '%s'\n",
			a->cmd, arg, a->opts->region);
	else
		fprintf(stderr, "%s: no device matches '%s'\n", a->cmd, arg);
}

/*
 * One device: resolve what a killed run left, record the intent, run the
 * command's step, drop the record. A device reached after an interruption
 * is not started.
 */
static int run_one(struct action *a, struct daxctl_dev *dev,
		   struct result *res)
{
	int rc;

	if (interrupted)
		return action_fail(a, -EINTR, ROLLBACK_NONE,
				   "not started: interrupted by %s",
				   signal_name(interrupted));
	if (a->opts->dry_run)
		return a->run(a, dev, res);
	rc = intent_resolve(a, dev);
	if (rc < 0)
		return rc;
	/* what a killed run left is resolved: that much is done */
	if (interrupted)
		return action_fail(a, -EINTR, ROLLBACK_NONE,
				   "not started: interrupted by %s",
				   signal_name(interrupted));
	rc = intent_begin(a, dev);
	if (rc < 0)
		return action_fail(a, rc, ROLLBACK_NONE,
				   "cannot write its intent record: %s",
				   strerror(-rc));
	rc = a->run(a, dev, res);
	intent_end(dev);
	return rc;
}

int action_run_devices(struct action *a, struct daxctl_ctx *ctx, int argc,
		       const char **argv, const char * const *usage,
		       const struct option *options)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev, **devs = NULL;
	int i, n = 0, alloc = 0, rc, *hits, unmatched = 0;
	bool named, *by_name = NULL;

	if (argc == 0) {
		fprintf(stderr, "  Error: specify a device to %s, or \"all\"\n",
			a->verb);
		usage_with_options(usage, options);
	}
	for (i = 0; i < argc; i++) {
		if (!filter_dev_arg_valid(argv[i])) {
			fprintf(stderr, "  Error: invalid device '%s': expected daxX.Y, X.Y, /dev/daxX.Y or all\n",
				argv[i]);
			usage_with_options(usage, options);
		}
	}
	action_check_region(a->opts->region, usage, options);
	/* before the first look at the devices, so that what is seen is
	 * what the other run left */
	rc = action_lock(a, ctx);
	if (rc < 0)
		return rc;
	hits = calloc((size_t)argc, sizeof(*hits));
	if (!hits)
		return -ENOMEM;

	action_begin(a, ctx);
	daxctl_region_foreach(ctx, region) {
		if (!filter_match_region(region, a->opts->region))
			continue;
		daxctl_dev_foreach(region, dev) {
			if (!dev_selected(dev, argc, argv, hits, &named))
				continue;
			if (n == alloc) {
				struct daxctl_dev **v;
				bool *b;

				alloc = alloc ? alloc * 2 : 16;
				v = realloc(devs, (size_t)alloc * sizeof(*v));
				if (v)
					devs = v;
				b = realloc(by_name, (size_t)alloc * sizeof(*b));
				if (b)
					by_name = b;
				if (!v || !b) {
					free(devs);
					free(by_name);
					free(hits);
					action_detach(a);
					return -ENOMEM;
				}
			}
			by_name[n] = named;
			devs[n++] = dev;
		}
	}
	for (i = 0; i < argc; i++) {
		if (hits[i])
			continue;
		no_match(a, argv[i]);
		unmatched++;
	}
	free(hits);

	for (i = 0; i < n; i++) {
		struct result *res;

		dev = devs[i];
		res = action_result_new(a, daxctl_dev_get_devname(dev),
					daxctl_region_get_id(daxctl_dev_get_region(dev)));
		if (!res) {
			free(devs);
			free(by_name);
			action_detach(a);
			return -ENOMEM;
		}
		res->named = by_name[i];
		rc = run_one(a, dev, res);
		if (rc < 0) {
			if (res->outcome != OUTCOME_FAILED)
				action_fail(a, rc, ROLLBACK_NONE, "%s",
					    strerror(-rc));
		} else {
			res->outcome = rc == 0 ? OUTCOME_CHANGED :
						 OUTCOME_UNCHANGED;
		}
		a->current = NULL;
	}
	free(devs);
	free(by_name);
	rc = action_finish(a);
	/* a name that matched nothing is a failure too, after the rest */
	if (unmatched && rc == 0) {
		fprintf(stderr, "%s: %s\n", a->failed, strerror(ENXIO));
		rc = -ENXIO;
	}
	return rc;
}
