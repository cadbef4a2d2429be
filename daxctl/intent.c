// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Intent records (intent.h). A record is text, one item per line:
 *
 *	daxctl-intent 1
 *	command reconfigure-device
 *	pid 1234
 *	driver kmem			("-": unbound)
 *	memory online-movable		(none, offline, online-movable,
 *					 online-kernel, partial)
 *	size 536870912
 *	align 2097152
 *	range 0x40000000 0x5fffffff	(one per range, in device order)
 *	end
 *
 * A record without its "end" line is never acted on: it cannot be one,
 * since records are renamed into place whole, but a reader cannot tell a
 * truncated file from a damaged one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/action.h"
#include "daxctl/builtin.h"
#include "daxctl/intent.h"
#include "daxctl/memory-ops.h"
#include "util/sysroot.h"

#define INTENT_SUFFIX ".intent"
#define INTENT_MAX 65536

enum mem_state {
	MEM_NONE,	/* not in system-ram mode */
	MEM_OFFLINE,
	MEM_MOVABLE,	/* every block online in ZONE_MOVABLE */
	MEM_KERNEL,	/* every block online, not all movable */
	MEM_PARTIAL,	/* some blocks online */
};

static const char *const mem_names[] = {
	[MEM_NONE] = "none",
	[MEM_OFFLINE] = "offline",
	[MEM_MOVABLE] = "online-movable",
	[MEM_KERNEL] = "online-kernel",
	[MEM_PARTIAL] = "partial",
};

struct dev_state {
	char command[64];
	long pid;
	char driver[64];	/* "" when unbound */
	enum mem_state memory;
	unsigned long long size;
	unsigned long align;
	int nr_ranges;
	struct { unsigned long long start, end; } *ranges;
};

/* the run directory of this run, -1 when none is kept */
static int run_fd = -1;
static char run_path[PATH_MAX];

static void state_free(struct dev_state *s)
{
	free(s->ranges);
	s->ranges = NULL;
	s->nr_ranges = 0;
}

static int capture(struct daxctl_dev *dev, struct dev_state *s)
{
	const char *driver = daxctl_dev_get_driver(dev);
	struct daxctl_mapping *m;
	int n = 0;

	memset(s, 0, sizeof(*s));
	snprintf(s->driver, sizeof(s->driver), "%s", driver ? driver : "");
	s->size = daxctl_dev_get_size(dev);
	s->align = daxctl_dev_get_align(dev);
	s->memory = MEM_NONE;
	if (driver && strcmp(driver, "kmem") == 0) {
		struct daxctl_memory *mem = daxctl_dev_get_memory(dev);
		int total = mem ? daxctl_memory_num_sections(mem) : -ENXIO;
		int online = mem ? daxctl_memory_is_online(mem) : -ENXIO;

		if (total < 0)
			return total;
		if (online < 0)
			return online;
		if (online == 0)
			s->memory = MEM_OFFLINE;
		else if (online < total)
			s->memory = MEM_PARTIAL;
		else
			s->memory = daxctl_memory_is_movable(mem) == 1 ?
					    MEM_MOVABLE : MEM_KERNEL;
	}
	daxctl_mapping_foreach(dev, m)
		n++;
	if (!n)
		return 0;
	s->ranges = calloc((size_t)n, sizeof(*s->ranges));
	if (!s->ranges)
		return -ENOMEM;
	daxctl_mapping_foreach(dev, m) {
		if (s->nr_ranges == n)
			break;
		s->ranges[s->nr_ranges].start = daxctl_mapping_get_start(m);
		s->ranges[s->nr_ranges++].end = daxctl_mapping_get_end(m);
	}
	return 0;
}

static bool same_layout(const struct dev_state *a, const struct dev_state *b)
{
	int i;

	if (a->size != b->size || a->align != b->align)
		return false;
	/* ranges unknown (not readable): size and alignment must do */
	if (!a->nr_ranges || !b->nr_ranges)
		return true;
	if (a->nr_ranges != b->nr_ranges)
		return false;
	for (i = 0; i < a->nr_ranges; i++)
		if (a->ranges[i].start != b->ranges[i].start ||
		    a->ranges[i].end != b->ranges[i].end)
			return false;
	return true;
}

/* Whether @cur is the recorded state @old. */
static bool same_state(const struct dev_state *cur, const struct dev_state *old)
{
	if (strcmp(cur->driver, old->driver) || !same_layout(cur, old))
		return false;
	/* which blocks of a partly online device were online is not kept */
	return old->memory == MEM_PARTIAL || cur->memory == old->memory;
}

static int serialise(const struct dev_state *s, const char *cmd, char **out,
		     size_t *len)
{
	FILE *f = open_memstream(out, len);
	int i;

	if (!f)
		return -errno;
	fprintf(f, "daxctl-intent 1\ncommand %s\npid %ld\ndriver %s\n", cmd,
		(long)getpid(), *s->driver ? s->driver : "-");
	fprintf(f, "memory %s\nsize %llu\nalign %lu\n", mem_names[s->memory],
		s->size, s->align);
	for (i = 0; i < s->nr_ranges; i++)
		fprintf(f, "range %#llx %#llx\n", s->ranges[i].start,
			s->ranges[i].end);
	fprintf(f, "end\n");
	if (fclose(f))
		return -ENOMEM;
	return 0;
}

/* Read the whole record @name of directory @dfd into a new buffer. */
static char *read_record(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char *buf;
	ssize_t n;
	size_t used = 0;

	if (fd < 0)
		return NULL;
	buf = malloc(INTENT_MAX);
	if (!buf) {
		close(fd);
		return NULL;
	}
	while (used < INTENT_MAX - 1) {
		n = read(fd, buf + used, INTENT_MAX - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return buf;
}

/* Parse a record; -EINVAL when it is not a whole one. */
static int parse(char *text, struct dev_state *s)
{
	char *line, *save = NULL, word[64];
	bool head = false, end = false;
	int i;

	memset(s, 0, sizeof(*s));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a, b;

		if (strcmp(line, "daxctl-intent 1") == 0) {
			head = true;
		} else if (sscanf(line, "command %63s", s->command) == 1) {
			continue;
		} else if (sscanf(line, "pid %ld", &s->pid) == 1) {
			continue;
		} else if (sscanf(line, "driver %63s", word) == 1) {
			snprintf(s->driver, sizeof(s->driver), "%s",
				 strcmp(word, "-") ? word : "");
		} else if (sscanf(line, "memory %63s", word) == 1) {
			for (i = 0; i <= MEM_PARTIAL; i++)
				if (strcmp(word, mem_names[i]) == 0)
					s->memory = (enum mem_state)i;
		} else if (sscanf(line, "size %llu", &s->size) == 1) {
			continue;
		} else if (sscanf(line, "align %lu", &s->align) == 1) {
			continue;
		} else if (sscanf(line, "range %llx %llx", &a, &b) == 2) {
			void *r = realloc(s->ranges, (size_t)(s->nr_ranges + 1) *
							     sizeof(*s->ranges));

			if (!r)
				return -ENOMEM;
			s->ranges = r;
			s->ranges[s->nr_ranges].start = a;
			s->ranges[s->nr_ranges++].end = b;
		} else if (strcmp(line, "end") == 0) {
			end = true;
		}
	}
	return head && end && *s->command ? 0 : -EINVAL;
}

static void record_name(char *buf, size_t len, const char *devname,
			const char *suffix)
{
	snprintf(buf, len, "%s%s%s", devname, INTENT_SUFFIX, suffix);
}

/* Whether the directory open at @fd may hold records: ours, private. */
static int check_dir(int fd, const char *path, const char *cmd, bool quiet)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_uid != geteuid() && !(quiet && st.st_uid == 0)) {
		if (!quiet)
			fprintf(stderr, "%s: %s belongs to uid %u, not to uid %u: refusing to keep intent records there\n",
				cmd, path, (unsigned int)st.st_uid,
				(unsigned int)geteuid());
		return -EPERM;
	}
	if (st.st_mode & 022) {
		if (!quiet)
			fprintf(stderr, "%s: %s is writable by others (mode %04o): refusing to keep intent records there\n",
				cmd, path, (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

static struct daxctl_dev *find_dev(struct daxctl_ctx *ctx, const char *name)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev;

	daxctl_region_foreach(ctx, region)
		daxctl_dev_foreach(region, dev)
			if (strcmp(daxctl_dev_get_devname(dev), name) == 0)
				return dev;
	return NULL;
}

static void sync_dir(void)
{
	if (run_fd >= 0)
		fsync(run_fd);
}

/*
 * Records of devices that are gone: only destroy-device deletes one, so
 * the run was past its last step (the deletion) and finished.
 */
static void drop_orphans(struct daxctl_ctx *ctx, const char *cmd)
{
	int fd = dup(run_fd);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		char name[256], *dot, *text;
		struct dev_state s = { 0 };
		size_t len = strlen(de->d_name);

		if (len > sizeof(INTENT_SUFFIX) + 3 &&
		    strcmp(de->d_name + len - 4, ".tmp") == 0) {
			/* a record never renamed into place: no change yet */
			unlinkat(run_fd, de->d_name, 0);
			continue;
		}
		dot = strstr(de->d_name, INTENT_SUFFIX);
		if (!dot || strcmp(dot, INTENT_SUFFIX) != 0 ||
		    (size_t)(dot - de->d_name) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(dot - de->d_name),
			 de->d_name);
		if (find_dev(ctx, name))
			continue;
		text = read_record(run_fd, de->d_name);
		if (text && parse(text, &s) == 0)
			fprintf(stderr, "%s: %s: the device is gone: the interrupted %s (pid %ld) had finished\n",
				cmd, name, s.command, s.pid);
		else
			fprintf(stderr, "%s: %s: the device is gone: dropped its damaged intent record\n",
				cmd, name);
		free(text);
		state_free(&s);
		unlinkat(run_fd, de->d_name, 0);
	}
	closedir(d);
	sync_dir();
}

int intent_open(struct daxctl_ctx *ctx, const char *cmd)
{
	int rc, fd;

	if (run_fd >= 0)
		return 0;
	rc = sysroot_join(run_path, sizeof(run_path), ctx_root_prefix(ctx),
			  SYSROOT_RUN, "daxctl");
	if (rc < 0)
		return rc;
	if (mkdir(run_path, 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		/* no run directory under this root: nowhere to keep them */
		if (rc == -ENOENT || rc == -EROFS)
			return 0;
		fprintf(stderr, "%s: cannot create %s for intent records: %s\n",
			cmd, run_path, strerror(-rc));
		return rc;
	}
	fd = open(run_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		fprintf(stderr, "%s: cannot open %s for intent records: %s\n",
			cmd, run_path, strerror(-rc));
		return rc;
	}
	rc = check_dir(fd, run_path, cmd, false);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	run_fd = fd;
	drop_orphans(ctx, cmd);
	return 0;
}

int intent_begin(struct action *a, struct daxctl_dev *dev)
{
	char tmp[300], name[300], *text = NULL;
	struct dev_state s;
	size_t len = 0, done = 0;
	int fd, rc;

	if (run_fd < 0)
		return 0;
	rc = capture(dev, &s);
	if (rc == 0)
		rc = serialise(&s, a->cmd, &text, &len);
	state_free(&s);
	if (rc < 0)
		return rc;
	record_name(tmp, sizeof(tmp), daxctl_dev_get_devname(dev), ".tmp");
	record_name(name, sizeof(name), daxctl_dev_get_devname(dev), "");
	unlinkat(run_fd, tmp, 0);
	fd = openat(run_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				 O_CLOEXEC, 0600);
	if (fd < 0) {
		free(text);
		return -errno;
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		done += (size_t)n;
	}
	free(text);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && renameat(run_fd, tmp, run_fd, name) < 0)
		rc = -errno;
	if (rc < 0) {
		unlinkat(run_fd, tmp, 0);
		return rc;
	}
	sync_dir();
	return 0;
}

void intent_end(struct daxctl_dev *dev)
{
	char name[300];

	if (run_fd < 0)
		return;
	record_name(name, sizeof(name), daxctl_dev_get_devname(dev), "");
	if (unlinkat(run_fd, name, 0) == 0)
		sync_dir();
}

/* Give a disabled @dev the size, alignment and ranges of @s. */
static int set_layout(struct daxctl_dev *dev, const struct dev_state *s)
{
	int i, rc = 0;

	if (daxctl_dev_get_size(dev))
		rc = daxctl_dev_set_size(dev, 0);
	if (rc == 0 && s->align && daxctl_dev_get_align(dev) != s->align)
		rc = daxctl_dev_set_align(dev, s->align);
	if (rc == 0 && s->size && !s->nr_ranges)
		return daxctl_dev_set_size(dev, s->size);
	for (i = 0; rc == 0 && i < s->nr_ranges; i++)
		rc = daxctl_dev_set_mapping(dev, s->ranges[i].start,
					    s->ranges[i].end);
	return rc;
}

static int bind_old(struct daxctl_dev *dev, const struct dev_state *old)
{
	if (strcmp(old->driver, "device_dax") == 0)
		return daxctl_dev_enable_devdax(dev);
	if (strcmp(old->driver, "kmem") == 0)
		return old->memory == MEM_MOVABLE || old->memory == MEM_KERNEL ?
			       daxctl_dev_enable_ram(dev) :
			       kmem_rebind_offline(dev);
	/* a third-party driver: the library cannot bind it */
	return -EOPNOTSUPP;
}

/* Bring @dev from @cur back to @old, step by step. */
static int undo(struct daxctl_dev *dev, const struct dev_state *cur,
		const struct dev_state *old)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);
	bool was_kmem = strcmp(old->driver, "kmem") == 0;
	int rc;

	/* memory that is online and should not be, or in the wrong zone */
	if (strcmp(cur->driver, "kmem") == 0 && cur->memory != MEM_OFFLINE &&
	    (!was_kmem || (old->memory != cur->memory &&
			   old->memory != MEM_PARTIAL))) {
		rc = mem ? daxctl_memory_offline(mem) : -ENXIO;
		if (rc < 0)
			return rc;
	}
	if (strcmp(cur->driver, old->driver) || !same_layout(cur, old)) {
		if (*cur->driver) {
			rc = daxctl_dev_disable(dev);
			if (rc < 0)
				return rc;
		}
		if (!same_layout(cur, old)) {
			rc = set_layout(dev, old);
			if (rc < 0)
				return rc;
		}
		if (*old->driver) {
			rc = bind_old(dev, old);
			if (rc < 0)
				return rc;
		}
	}
	if (was_kmem && (old->memory == MEM_MOVABLE ||
			 old->memory == MEM_KERNEL)) {
		mem = daxctl_dev_get_memory(dev);
		rc = !mem ? -ENXIO : old->memory == MEM_MOVABLE ?
					    daxctl_memory_online(mem) :
					    daxctl_memory_online_no_movable(mem);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int intent_resolve(struct action *a, struct daxctl_dev *dev)
{
	struct dev_state old, cur = { 0 };
	char name[300], *text;
	int rc;

	if (run_fd < 0)
		return 0;
	record_name(name, sizeof(name), daxctl_dev_get_devname(dev), "");
	text = read_record(run_fd, name);
	if (!text)
		return 0;
	rc = parse(text, &old);
	free(text);
	if (rc < 0) {
		action_note(a, "dropped a damaged intent record (%s/%s)",
			    run_path, name);
		state_free(&old);
		intent_end(dev);
		return 0;
	}
	rc = capture(dev, &cur);
	if (rc == 0 && same_state(&cur, &old)) {
		action_note(a, "an interrupted %s (pid %ld) had changed nothing",
			    old.command, old.pid);
	} else {
		if (rc == 0)
			rc = undo(dev, &cur, &old);
		state_free(&cur);
		if (rc == 0)
			rc = capture(dev, &cur);
		if (rc == 0 && !same_state(&cur, &old))
			rc = -EIO;
		if (rc < 0) {
			action_fail(a, rc, ROLLBACK_INCOMPLETE,
				    "an interrupted %s (pid %ld) left it half-changed, and undoing that failed: %s (intent record kept in %s)",
				    old.command, old.pid, strerror(-rc),
				    run_path);
			state_free(&old);
			state_free(&cur);
			return rc;
		}
		action_note(a, "an interrupted %s (pid %ld) was undone: the device is as it was before it",
			    old.command, old.pid);
	}
	state_free(&old);
	state_free(&cur);
	intent_end(dev);
	return 0;
}

/*
 * The records a list run may show: the run directory is read once per
 * run (list asks for every device; a directory opened and searched per
 * device would cost system calls per device, bench/README.md), and a
 * record is opened only for a device that has one.
 */
static struct {
	bool loaded;
	char root[PATH_MAX];
	int fd;			/* the run directory, -1 when none */
	char **names;
	size_t nr;
} pending = { .fd = -1 };

static void pending_load(const char *root)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;
	int fd;

	pending.loaded = true;
	snprintf(pending.root, sizeof(pending.root), "%s", root ? root : "");
	if (sysroot_join(path, sizeof(path), root, SYSROOT_RUN, "daxctl"))
		return;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (check_dir(fd, path, "list", true) < 0) {
		close(fd);
		return;
	}
	dir = fdopendir(dup(fd));
	if (!dir) {
		close(fd);
		return;
	}
	while ((de = readdir(dir))) {
		char **names;

		if (de->d_name[0] == '.')
			continue;
		names = realloc(pending.names,
				(pending.nr + 1) * sizeof(*names));
		if (!names)
			break;
		pending.names = names;
		names[pending.nr] = strdup(de->d_name);
		if (names[pending.nr])
			pending.nr++;
	}
	closedir(dir);
	pending.fd = fd;
}

static bool pending_has(const char *name)
{
	size_t i;

	for (i = 0; i < pending.nr; i++)
		if (strcmp(pending.names[i], name) == 0)
			return true;
	return false;
}

const char *intent_pending(const char *root, const char *devname, char *buf,
			   size_t len)
{
	char name[300], *text;
	struct dev_state s;

	if (!pending.loaded || strcmp(pending.root, root ? root : "") != 0) {
		intent_pending_free();
		pending_load(root);
	}
	if (pending.fd < 0)
		return NULL;
	record_name(name, sizeof(name), devname, "");
	if (!pending_has(name))
		return NULL;
	text = read_record(pending.fd, name);
	if (!text)
		return NULL;
	if (parse(text, &s) < 0) {
		snprintf(buf, len, "?");
	} else {
		snprintf(buf, len, "%s", s.command);
	}
	free(text);
	state_free(&s);
	return buf;
}

void intent_pending_free(void)
{
	size_t i;

	for (i = 0; i < pending.nr; i++)
		free(pending.names[i]);
	free(pending.names);
	if (pending.fd >= 0)
		close(pending.fd);
	pending.names = NULL;
	pending.nr = 0;
	pending.fd = -1;
	pending.loaded = false;
}
