// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxctl monitor: one JSON object per line for each change of a dax device
 * (add, remove, bind, unbind) or of a memory block (add, remove, online,
 * offline), until interrupted, the first event (--once) or a timeout.
 *
 * Where the events come from is daxctl_get_event_source()'s answer:
 *  - "udev": udevd runs; events after udev processed them (its rules ran),
 *    through libudev's monitor;
 *  - "kernel": the live system without udevd (an initramfs, a container):
 *    the kernel's uevents straight from their netlink socket;
 *  - "sysfs": a system root (an emulator mount, a copy): nothing sends
 *    events, so the tree is read every POLL_MS and compared with the last
 *    reading. Changes that undo each other within one interval are not
 *    seen.
 * Every object says which source it came from.
 */
#include <errno.h>
#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libudev.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/builtin.h"
#include "daxctl/parse-options.h"
#include "daxctl/wait.h"

/* How often a system root is read ("sysfs" source). */
#define POLL_MS 100
/* The longest --timeout accepted, in seconds (a day). */
#define TIMEOUT_MAX_S 86400

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

struct monitor {
	const char *source;
	int once;
	unsigned long events;
};

/* "2026-01-31T12:00:00.000000Z": when daxctl saw the event, UTC. */
static void timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char sec[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06ldZ", sec, ts.tv_nsec / 1000);
}

static void add_string(struct json_object *obj, const char *key,
		       const char *value)
{
	if (value && *value)
		json_object_object_add(obj, key, json_object_new_string(value));
}

/*
 * Print one event. @driver is for dax devices (bind),
 * @state for memory blocks: what the block's state file says.
 */
static void emit(struct monitor *m, const char *event, const char *subsystem,
		 const char *device, const char *driver, const char *state)
{
	struct json_object *obj = json_object_new_object();
	char ts[64];

	if (!obj)
		return;
	timestamp(ts, sizeof(ts));
	add_string(obj, "timestamp", ts);
	add_string(obj, "source", m->source);
	add_string(obj, "event", event);
	add_string(obj, "subsystem", subsystem);
	add_string(obj, "device", device);
	add_string(obj, "driver", driver);
	add_string(obj, "state", state);
	printf("%s\n", json_object_to_json_string_ext(obj,
						      JSON_C_TO_STRING_PLAIN));
	/* readers of a pipe see each event when it happens */
	fflush(stdout);
	json_object_put(obj);
	m->events++;
}

static bool done(const struct monitor *m)
{
	return stop_signal || (m->once && m->events);
}

/* ---- "udev" and "kernel": libudev's monitor ---- */

struct netlink {
	struct udev *udev;
	struct udev_monitor *mon;
};

static int netlink_open(struct netlink *nl, const char *source)
{
	int rc;

	nl->udev = udev_new();
	if (!nl->udev)
		return -ENOMEM;
	nl->mon = udev_monitor_new_from_netlink(nl->udev, source);
	if (!nl->mon)
		return errno ? -errno : -ENOMEM;
	rc = udev_monitor_filter_add_match_subsystem_devtype(nl->mon, "dax",
							     NULL);
	if (rc == 0)
		rc = udev_monitor_filter_add_match_subsystem_devtype(nl->mon,
								     "memory",
								     NULL);
	if (rc == 0)
		rc = udev_monitor_enable_receiving(nl->mon);
	if (rc < 0)
		return rc;
	/* a device of many blocks sends a burst; best effort */
	udev_monitor_set_receive_buffer_size(nl->mon, 4 << 20);
	return 0;
}

static void netlink_close(struct netlink *nl)
{
	udev_monitor_unref(nl->mon);
	udev_unref(nl->udev);
}

static void netlink_receive(struct monitor *m, struct netlink *nl)
{
	struct udev_device *d = udev_monitor_receive_device(nl->mon);
	const char *subsystem, *action, *state = NULL, *driver = NULL;

	if (!d)
		return;
	subsystem = udev_device_get_subsystem(d);
	action = udev_device_get_action(d);
	if (subsystem && action) {
		if (strcmp(subsystem, "memory") == 0) {
			if (strcmp(action, "remove") != 0)
				state = udev_device_get_sysattr_value(d,
								      "state");
		} else if (strcmp(action, "bind") == 0) {
			/*
			 * only a bind event names its driver; for another
			 * one libudev would read the link as it is now
			 */
			driver = udev_device_get_driver(d);
		}
		emit(m, action, subsystem, udev_device_get_sysname(d), driver,
		     state);
	}
	udev_device_unref(d);
}

/* ---- "sysfs": read the tree, compare with the last reading ---- */

struct entry {
	char name[256];
	char value[64];	/* a device's driver, a block's state; "" for none */
};

struct snapshot {
	struct entry *v;
	size_t nr, alloc;
};

static int entry_cmp(const void *a, const void *b)
{
	return strverscmp(((const struct entry *)a)->name,
			  ((const struct entry *)b)->name);
}

/* A copy of @src that fits @len, cut if it must be. */
static void copy_cut(char *dst, const char *src, size_t len)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int snapshot_add(struct snapshot *s, const char *name,
			const char *value)
{
	if (s->nr == s->alloc) {
		size_t n = s->alloc ? s->alloc * 2 : 64;
		struct entry *v = realloc(s->v, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->alloc = n;
	}
	copy_cut(s->v[s->nr].name, name, sizeof(s->v[s->nr].name));
	copy_cut(s->v[s->nr].value, value, sizeof(s->v[s->nr].value));
	s->nr++;
	return 0;
}

static void driver_of(const char *dir, const char *name, char *buf,
		      size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s/driver", dir, name);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	copy_cut(buf, base ? base + 1 : target, len);
}

static void state_of(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s/state", dir, name);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	else
		buf[0] = '\0';
	fclose(f);
}

/* Entries of @dir starting with @prefix, with driver or state. */
static int snapshot_read(struct snapshot *s, const char *dir,
			 const char *prefix, bool memory)
{
	struct dirent *de;
	char value[64];
	DIR *d;
	int rc = 0;

	s->nr = 0;
	if (!dir)
		return 0;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (rc == 0 && (de = readdir(d))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		if (memory)
			state_of(dir, de->d_name, value, sizeof(value));
		else
			driver_of(dir, de->d_name, value, sizeof(value));
		rc = snapshot_add(s, de->d_name, value);
	}
	closedir(d);
	if (s->nr)
		qsort(s->v, s->nr, sizeof(*s->v), entry_cmp);
	return rc;
}

static bool is_online(const char *state)
{
	return strncmp(state, "online", 6) == 0;
}

/* The events that lead from @old to @new for one dax device. */
static void dax_diff(struct monitor *m, const char *name,
		     const struct entry *old, const struct entry *new)
{
	if (!old)
		emit(m, "add", "dax", name, NULL, NULL);
	if (old && *old->value && (!new || strcmp(old->value, new->value)))
		emit(m, "unbind", "dax", name, NULL, NULL);
	if (new && *new->value && (!old || strcmp(old->value, new->value)))
		emit(m, "bind", "dax", name, new->value, NULL);
	if (!new)
		emit(m, "remove", "dax", name, NULL, NULL);
}

/* The events that lead from @old to @new for one memory block. */
static void memory_diff(struct monitor *m, const char *name,
			const struct entry *old, const struct entry *new)
{
	if (!old)
		emit(m, "add", "memory", name, NULL, new->value);
	if (old && is_online(old->value) &&
	    (!new || strcmp(old->value, new->value)))
		emit(m, "offline", "memory", name, NULL,
		     new ? new->value : NULL);
	if (new && is_online(new->value) &&
	    (!old || strcmp(old->value, new->value)))
		emit(m, "online", "memory", name, NULL, new->value);
	if (!new)
		emit(m, "remove", "memory", name, NULL, NULL);
}

/* Walk two sorted snapshots side by side. */
static void diff(struct monitor *m, const struct snapshot *old,
		 const struct snapshot *new, bool memory)
{
	size_t i = 0, j = 0;

	while ((i < old->nr || j < new->nr) && !done(m)) {
		const struct entry *o = i < old->nr ? &old->v[i] : NULL;
		const struct entry *n = j < new->nr ? &new->v[j] : NULL;
		int c = !o ? 1 : !n ? -1 : strverscmp(o->name, n->name);

		if (c == 0 && !strcmp(o->value, n->value)) {
			i++;
			j++;
			continue;
		}
		if (c < 0)
			n = NULL;
		else if (c > 0)
			o = NULL;
		if (memory)
			memory_diff(m, o ? o->name : n->name, o, n);
		else
			dax_diff(m, o ? o->name : n->name, o, n);
		i += o != NULL;
		j += n != NULL;
	}
}

struct tree {
	char dax_dir[PATH_MAX];	/* where the devices are listed, or "" */
	const char *memory_dir;
	struct snapshot dax[2], memory[2];
	int cur;
};

static int tree_read(struct tree *t, int which)
{
	int rc = snapshot_read(&t->dax[which], *t->dax_dir ? t->dax_dir : NULL,
			       "dax", false);

	if (rc == 0)
		rc = snapshot_read(&t->memory[which], t->memory_dir, "memory",
				   true);
	return rc;
}

static int tree_open(struct tree *t, struct daxctl_ctx *ctx)
{
	const char *bus = daxctl_get_bus_path(ctx);
	struct stat st;

	memset(t, 0, sizeof(*t));
	if (bus) {
		/* the bus lists its devices in devices/, the class in itself */
		snprintf(t->dax_dir, sizeof(t->dax_dir), "%s/devices", bus);
		if (stat(t->dax_dir, &st) < 0)
			snprintf(t->dax_dir, sizeof(t->dax_dir), "%s", bus);
	}
	t->memory_dir = daxctl_get_memory_path(ctx);
	return tree_read(t, 0);
}

static int tree_poll(struct monitor *m, struct tree *t)
{
	int next = !t->cur, rc = tree_read(t, next);

	if (rc < 0)
		return rc;
	diff(m, &t->dax[t->cur], &t->dax[next], false);
	diff(m, &t->memory[t->cur], &t->memory[next], true);
	t->cur = next;
	return 0;
}

static void tree_close(struct tree *t)
{
	int i;

	for (i = 0; i < 2; i++) {
		free(t->dax[i].v);
		free(t->memory[i].v);
	}
}

/* ---- the command ---- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * After SIGINT or SIGTERM: print the events that had already come (queued
 * on the socket, or in the tree since the last reading), then stop.
 */
static void drain(struct monitor *m, struct netlink *nl, struct tree *t)
{
	struct pollfd pfd = { .events = POLLIN };

	stop_signal = 0;
	if (!nl->mon) {
		tree_poll(m, t);
		return;
	}
	pfd.fd = udev_monitor_get_fd(nl->mon);
	while (!done(m) && poll(&pfd, 1, 0) > 0)
		netlink_receive(m, nl);
}

/* A SIGINT or SIGTERM waiting while blocked: take it as delivered. */
static void take_pending_signal(const sigset_t *waitmask)
{
	static const int sigs[] = { SIGINT, SIGTERM };
	sigset_t pending;
	size_t i;

	if (sigpending(&pending) < 0)
		return;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigismember(&pending, sigs[i]) &&
		    !sigismember(waitmask, sigs[i]))
			stop_signal = sigs[i];
	}
}

/*
 * SIGINT and SIGTERM end the run (exit 0). They are blocked except inside
 * ppoll(), so one that arrives between two waits is not lost.
 */
static void catch_signals(sigset_t *waitmask)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
}

int cmd_monitor(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = {
		"daxctl monitor [<options>]", NULL
	};
	const char *timeout_arg = NULL;
	struct monitor m = { 0 };
	const struct option options[] = {
		OPT_BOOLEAN(0, "once", &m.once, "exit after the first event"),
		OPT_STRING(0, "timeout", &timeout_arg, "seconds",
			   "exit after this long (decimals allowed)"),
		OPT_END(),
	};
	struct netlink nl = { 0 };
	struct tree tree;
	long long deadline = -1;
	unsigned int timeout_ms = 0;
	bool interrupted;
	sigset_t waitmask;
	int rc;

	argc = parse_options(argc, argv, options, usage, 0);
	usage_unknown_params(argc, argv, usage, options);
	if (timeout_arg &&
	    parse_seconds(timeout_arg, TIMEOUT_MAX_S, &timeout_ms) < 0) {
		fprintf(stderr, "  Error: invalid timeout '%s': expected seconds from 0 to %d\n",
			timeout_arg, TIMEOUT_MAX_S);
		usage_with_options(usage, options);
	}

	m.source = daxctl_get_event_source(ctx);
	catch_signals(&waitmask);
	if (strcmp(m.source, "sysfs") == 0)
		rc = tree_open(&tree, ctx);
	else
		rc = netlink_open(&nl, m.source);
	if (rc < 0) {
		fprintf(stderr, "monitor: cannot listen to %s events: %s\n",
			m.source, strerror(-rc));
		if (strcmp(m.source, "sysfs") == 0)
			tree_close(&tree);
		else
			netlink_close(&nl);
		return rc;
	}
	/* from here on no event is missed: scripts may wait for this line */
	fprintf(stderr, "monitor: listening to %s events\n", m.source);
	if (timeout_arg)
		deadline = now_ms() + timeout_ms;

	while (!done(&m)) {
		long long wait = strcmp(m.source, "sysfs") == 0 ? POLL_MS : -1;
		struct pollfd pfd = { .events = POLLIN };
		struct timespec ts, *tsp = NULL;
		int n;

		if (deadline >= 0) {
			long long left = deadline - now_ms();

			if (left <= 0)
				break;
			if (wait < 0 || left < wait)
				wait = left;
		}
		if (wait >= 0) {
			ts.tv_sec = wait / 1000;
			ts.tv_nsec = (wait % 1000) * 1000000;
			tsp = &ts;
		}
		pfd.fd = nl.mon ? udev_monitor_get_fd(nl.mon) : -1;
		n = ppoll(&pfd, nl.mon ? 1 : 0, tsp, &waitmask);
		if (n < 0 && errno != EINTR) {
			rc = -errno;
			fprintf(stderr, "monitor: waiting for %s events: %s\n",
				m.source, strerror(errno));
			break;
		}
		/*
		 * ppoll() delivers a pending signal only when it has nothing
		 * else to report: with events always ready, look for it
		 */
		if (n > 0 && !stop_signal)
			take_pending_signal(&waitmask);
		if (stop_signal)
			break;
		if (nl.mon && n > 0)
			netlink_receive(&m, &nl);
		else if (!nl.mon) {
			rc = tree_poll(&m, &tree);
			if (rc < 0) {
				fprintf(stderr, "monitor: reading %s: %s\n",
					daxctl_get_sysroot(ctx), strerror(-rc));
				break;
			}
		}
	}

	interrupted = stop_signal != 0;
	/* what happened before the signal is still told */
	if (interrupted && rc == 0)
		drain(&m, &nl, &tree);
	if (nl.mon)
		netlink_close(&nl);
	else
		tree_close(&tree);
	fflush(stdout);
	if (rc < 0)
		return rc;
	/* a script asking for one event learns that none came */
	if (m.once && !m.events && !interrupted) {
		fprintf(stderr, "monitor: no event within %s s\n", timeout_arg);
		return -ETIMEDOUT;
	}
	return 0;
}
