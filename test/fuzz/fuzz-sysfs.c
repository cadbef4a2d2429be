// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the library's sysfs parsers: the input becomes the
 * contents of a small fake sysfs tree (one hmem region, its device dax0.0
 * bound to kmem with two ranges, a second device whose name comes from the
 * input, a class-model link, two memory blocks, /proc/iomem), then the
 * whole public read API and the JSON builders of daxctl/json.c run on it.
 *
 * Input: fields separated by '|', in the order of the fields[] table
 * below. A file field is written verbatim (no newline is added, so a
 * missing newline, an empty file or binary junk are all expressible); the
 * single character "~", or a field the input does not reach, means the
 * file is absent. Link fields give a symlink's target, name fields a
 * directory entry's name. The last field holds flags: 'u' and 'M' for
 * daxctl list's -u and -M, 'w' to also online/offline the memory.
 *
 * The tree lives in a per-process temporary directory created once (and
 * removed at exit); only what changed since the previous input is
 * rewritten, so an input costs a few system calls besides the library's.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <daxctl/libdaxctl.h>

#include "daxctl/json.h"
#include "util/strings.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP '|'
#define ABSENT "~"

#define REGION "sys/devices/platform/hmem.0"
#define DEV REGION "/dax0.0"
#define MEM "sys/devices/system/memory"

enum kind {
	FILE_FIELD,	/* a regular file's contents */
	LINK_FIELD,	/* a symlink's target */
	XNAME_FIELD,	/* name of the second device, see set_xname() */
	MEMBASE_FIELD,	/* first memory block index, see set_membase() */
	EMBED_FIELD,	/* a path for daxctl_new_region(), not a file */
	FLAGS_FIELD,	/* what to run, see LLVMFuzzerTestOneInput() */
};

struct field {
	enum kind kind;
	const char *path;	/* below the root */
};

enum {
	F_STATE_A = 23,		/* the block states online/offline write */
	F_STATE_B = 26,
	F_EMBED = 31,
	F_FLAGS = 32,
};

static const struct field fields[] = {
	/* 0 */ { FILE_FIELD, REGION "/dax_region/id" },
	/* 1 */ { FILE_FIELD, REGION "/dax_region/size" },
	/* 2 */ { FILE_FIELD, REGION "/dax_region/align" },
	/* 3 */ { FILE_FIELD, REGION "/dax_region/available_size" },
	/* 4 */ { FILE_FIELD, REGION "/dax_region/seed" },
	/* 5 */ { FILE_FIELD, DEV "/size" },
	/* 6 */ { FILE_FIELD, DEV "/align" },
	/* 7 */ { FILE_FIELD, DEV "/target_node" },
	/* 8 */ { FILE_FIELD, DEV "/dev" },
	/* 9 */ { FILE_FIELD, DEV "/resource" },
	/* 10 */ { FILE_FIELD, DEV "/mapping0/start" },
	/* 11 */ { FILE_FIELD, DEV "/mapping0/end" },
	/* 12 */ { FILE_FIELD, DEV "/mapping0/page_offset" },
	/* 13 */ { FILE_FIELD, DEV "/mapping1/start" },
	/* 14 */ { FILE_FIELD, DEV "/mapping1/end" },
	/* 15 */ { FILE_FIELD, DEV "/mapping1/page_offset" },
	/* 16 */ { LINK_FIELD, DEV "/driver" },
	/* 17 */ { LINK_FIELD, "sys/bus/dax/devices/dax0.0" },
	/* 18 */ { LINK_FIELD, "sys/class/dax/dax1.0" },
	/* 19 */ { XNAME_FIELD, NULL },
	/* 20 */ { FILE_FIELD, REGION "/xdev/size" },
	/* 21 */ { FILE_FIELD, MEM "/block_size_bytes" },
	/* 22 */ { MEMBASE_FIELD, NULL },
	/* 23 */ { FILE_FIELD, MEM "/blkA/state" },
	/* 24 */ { FILE_FIELD, MEM "/blkA/valid_zones" },
	/* 25 */ { FILE_FIELD, MEM "/blkA/removable" },
	/* 26 */ { FILE_FIELD, MEM "/blkB/state" },
	/* 27 */ { FILE_FIELD, MEM "/blkB/valid_zones" },
	/* 28 */ { FILE_FIELD, MEM "/blkB/removable" },
	/* 29 */ { FILE_FIELD, MEM "/auto_online_blocks" },
	/* 30 */ { FILE_FIELD, "proc/iomem" },
	/* 31 */ { EMBED_FIELD, NULL },
	/* 32 */ { FLAGS_FIELD, NULL },
};

#define NR_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const char * const dirs[] = {
	"sys", "sys/bus", "sys/bus/dax", "sys/bus/dax/devices",
	"sys/bus/dax/drivers", "sys/bus/dax/drivers/kmem",
	"sys/bus/dax/drivers/device_dax", "sys/class", "sys/class/dax",
	"sys/devices", "sys/devices/platform", REGION, REGION "/dax_region",
	DEV, DEV "/mapping0", DEV "/mapping1", REGION "/xdev",
	"sys/devices/system", MEM, MEM "/blkA", MEM "/blkB",
	"sys/devices/system/node", "sys/devices/system/node/node0", "proc",
};

/* What the tree holds now, per field, to rewrite only what changed. */
struct cached {
	bool valid;		/* false: unknown, rewrite whatever comes */
	bool present;
	size_t len;
	char *data;
};

static struct cached cache[NR_FIELDS];
static char *root;		/* realpath of the temporary directory */
static int rootfd = -1;
static FILE *devnull;

static void die(const char *what)
{
	perror(what);
	abort();
}

#define TREE_PREFIX "daxctl-fuzz-sysfs."
#define TREE_LOCK ".lock"

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_own_tree(void)
{
	if (root)
		remove_tree(root);
}

/*
 * A crash skips the atexit() cleanup. Each process holds a lock on a file
 * in its tree for its lifetime, which the kernel drops however it ends:
 * a tree whose lock can be taken belongs to a dead process, and goes.
 * (A PID check would not do: another PID namespace may share the dir.)
 */
static void remove_stale_trees(const char *tmp)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(tmp);

	if (!d)
		return;
	while ((de = readdir(d))) {
		int fd;

		if (strncmp(de->d_name, TREE_PREFIX, strlen(TREE_PREFIX)))
			continue;
		snprintf(path, sizeof(path), "%s/%s/" TREE_LOCK, tmp,
			 de->d_name);
		/* no lock file yet: its owner is still setting it up */
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			snprintf(path, sizeof(path), "%s/%s", tmp, de->d_name);
			remove_tree(path);
		}
		close(fd);
	}
	closedir(d);
}

/* $TMPDIR, else a tmpfs if there is one: a disk is slower */
static const char *tmp_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp && *tmp)
		return tmp;
	if (access("/dev/shm", W_OK | X_OK) == 0)
		return "/dev/shm";
	return "/tmp";
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = tmp_dir();
	char tmpl[PATH_MAX];
	size_t i;
	int lockfd;

	remove_stale_trees(tmp);
	snprintf(tmpl, sizeof(tmpl), "%s/" TREE_PREFIX "XXXXXX", tmp);
	if (!mkdtemp(tmpl))
		die("mkdtemp");
	/* the library resolves its root: compare paths with the same */
	root = realpath(tmpl, NULL);
	if (!root)
		die("realpath");
	atexit(remove_own_tree);
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		die(root);
	/*
	 * Kept open and locked until the process ends; locked before it
	 * gets its name, so no other process ever finds it unlocked.
	 */
	lockfd = openat(rootfd, TREE_LOCK ".new",
			O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0 ||
	    renameat(rootfd, TREE_LOCK ".new", rootfd, TREE_LOCK) < 0)
		die(TREE_LOCK);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mkdirat(rootfd, dirs[i], 0755) < 0)
			die(dirs[i]);
	if (setenv("DAXCTL_SYSROOT", root, 1) < 0)
		die("setenv");
	unsetenv("DAXCTL_LOG");
	devnull = fopen("/dev/null", "we");
	if (!devnull)
		die("/dev/null");
	return 0;
}

/* A link target or a name: the field up to its first NUL. */
static char *field_string(const char *data, size_t len)
{
	char *s = len ? strndup(data, len) : strdup("");

	if (!s)
		die("strdup");
	return s;
}

static void set_file(const char *path, const char *data, size_t len,
		     bool present)
{
	int fd;

	if (!present) {
		if (unlinkat(rootfd, path, 0) < 0 && errno != ENOENT)
			die(path);
		return;
	}
	fd = openat(rootfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644);
	if (fd < 0)
		die(path);
	if (len && write(fd, data, len) != (ssize_t)len)
		die(path);
	close(fd);
}

static void set_link(const char *path, const char *target)
{
	if (unlinkat(rootfd, path, 0) < 0 && errno != ENOENT)
		die(path);
	/* an empty or overlong target cannot be a symlink: no link then */
	if (target && *target && symlinkat(target, rootfd, path) < 0 &&
	    errno != ENAMETOOLONG)
		die(path);
}

/* Whether the second device may take @name without clobbering the tree. */
static bool xname_usable(const char *name)
{
	static const char * const taken[] = {
		"", ".", "..", "dax_region", "dax0.0", "xdev",
	};
	size_t i;

	if (strlen(name) > 200 || strchr(name, '/'))
		return false;
	for (i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		if (strcmp(name, taken[i]) == 0)
			return false;
	return true;
}

/*
 * The second device: an entry @name in the region directory (a link to
 * its attribute directory "xdev") and on the bus. Any name can be tried:
 * the library must skip what is not "daxX.Y".
 */
static void set_xname(const char *old, const char *name)
{
	char path[PATH_MAX], target[PATH_MAX];

	if (old && xname_usable(old)) {
		snprintf(path, sizeof(path), REGION "/%s", old);
		set_link(path, NULL);
		snprintf(path, sizeof(path), "sys/bus/dax/devices/%s", old);
		set_link(path, NULL);
	}
	if (!name || !xname_usable(name))
		return;
	snprintf(path, sizeof(path), REGION "/%s", name);
	set_link(path, "xdev");
	snprintf(path, sizeof(path), "sys/bus/dax/devices/%s", name);
	snprintf(target, sizeof(target), "../../../devices/platform/hmem.0/%s",
		 name);
	set_link(path, target);
}

/* Decimal block index; false for anything else. */
static bool parse_index(const char *s, unsigned long *out)
{
	unsigned long long v;

	if (!s || parse_u64(s, 10, &v) || v > ULONG_MAX - 1)
		return false;
	*out = (unsigned long)v;
	return true;
}

/*
 * The two memory blocks are directories blkA and blkB, reached through
 * links memory<base> and memory<base + 1>: moving them to where the
 * input's ranges point re-points two links instead of moving their files.
 */
static void set_membase(const char *old, const char *base)
{
	char path[PATH_MAX];
	unsigned long idx;

	if (parse_index(old, &idx)) {
		snprintf(path, sizeof(path), MEM "/memory%lu", idx);
		set_link(path, NULL);
		snprintf(path, sizeof(path), MEM "/memory%lu", idx + 1);
		set_link(path, NULL);
	}
	if (!parse_index(base, &idx))
		return;
	snprintf(path, sizeof(path), MEM "/memory%lu", idx);
	set_link(path, "blkA");
	snprintf(path, sizeof(path), MEM "/memory%lu", idx + 1);
	set_link(path, "blkB");
}

static void apply_field(size_t i, const char *data, size_t len, bool present)
{
	struct cached *c = &cache[i];
	char *old = NULL, *now = NULL;

	if (present && len == strlen(ABSENT) && !memcmp(data, ABSENT, len))
		present = false;
	if (!present)
		len = 0;
	if (c->valid && c->present == present && c->len == len &&
	    (!len || !memcmp(c->data, data, len)))
		return;

	if (fields[i].kind != FILE_FIELD) {
		old = c->valid && c->present ?
			field_string(c->data, c->len) : NULL;
		now = present ? field_string(data, len) : NULL;
	}
	switch (fields[i].kind) {
	case FILE_FIELD:
		set_file(fields[i].path, data, len, present);
		break;
	case LINK_FIELD:
		set_link(fields[i].path, now);
		break;
	case XNAME_FIELD:
		set_xname(old, now);
		break;
	case MEMBASE_FIELD:
		set_membase(old, now);
		break;
	case EMBED_FIELD:
	case FLAGS_FIELD:
		break;
	}
	free(old);
	free(now);

	free(c->data);
	c->data = NULL;
	if (len) {
		c->data = malloc(len);
		if (!c->data)
			die("malloc");
		memcpy(c->data, data, len);
	}
	c->len = len;
	c->present = present;
	c->valid = true;
}

/* Split the input into the fields and bring the tree up to date. */
static void write_tree(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	size_t i;

	for (i = 0; i < NR_FIELDS; i++) {
		const char *sep;

		if (!p) {
			apply_field(i, NULL, 0, false);
			continue;
		}
		sep = memchr(p, SEP, (size_t)(end - p));
		apply_field(i, p, (size_t)((sep ? sep : end) - p), true);
		p = sep ? sep + 1 : NULL;
	}
}

/*
 * The library's messages are formatted (a bad format argument is a bug
 * ASan or UBSan would see) but not printed.
 */
static void __attribute__((format(printf, 6, 0)))
log_discard(struct daxctl_ctx *ctx, int priority, const char *file, int line,
	    const char *fn, const char *format, va_list args)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), format, args);
}

/*
 * A region found by the scan must lie lexically inside root/sys, whatever
 * the links say (sysfs itself when they point at its top), in canonical
 * form. An embedder's region may lie anywhere below the root.
 */
static void check_path(const char *path, bool scanned)
{
	size_t len = strlen(root);

	if (strncmp(path, root, len) != 0)
		abort();
	if (!scanned)
		return;
	path += len;
	if (strncmp(path, "/sys", 4) != 0 || (path[4] != '/' && path[4]))
		abort();
	if (strstr(path, "//") || strstr(path, "/./") || strstr(path, "/../"))
		abort();
	len = strlen(path);
	if (path[len - 1] == '/' ||
	    (len >= 2 && strcmp(path + len - 2, "/.") == 0) ||
	    (len >= 3 && strcmp(path + len - 3, "/..") == 0))
		abort();
}

static void walk_memory(struct daxctl_dev *dev)
{
	struct daxctl_memory *mem = daxctl_dev_get_memory(dev);
	int total, online;

	daxctl_dev_will_auto_online_memory(dev);
	daxctl_dev_has_online_memory(dev);
	if (!mem)
		return;
	/* the same object on every call, owned by the device */
	if (daxctl_dev_get_memory(dev) != mem ||
	    daxctl_memory_get_dev(mem) != dev)
		abort();
	if (!daxctl_memory_get_node_path(mem))
		abort();
	daxctl_memory_get_block_size(mem);
	total = daxctl_memory_num_sections(mem);
	online = daxctl_memory_is_online(mem);
	if (total >= 0 && online > total)
		abort();
	daxctl_memory_is_movable(mem);
}

static void walk_dev(struct daxctl_ctx *ctx, struct daxctl_region *region,
		     struct daxctl_dev *dev)
{
	unsigned long long prev_off = 0;
	struct daxctl_mapping *m;
	int region_id, id;

	if (daxctl_dev_get_region(dev) != region ||
	    daxctl_dev_get_ctx(dev) != ctx)
		abort();
	/* only "daxX.Y" names become devices, and Y is the id */
	if (!parse_dax_devname(daxctl_dev_get_devname(dev), &region_id, &id) ||
	    id != daxctl_dev_get_id(dev))
		abort();
	daxctl_dev_get_major(dev);
	daxctl_dev_get_minor(dev);
	daxctl_dev_get_size(dev);
	daxctl_dev_get_align(dev);
	daxctl_dev_get_target_node(dev);
	daxctl_dev_get_resource(dev);
	daxctl_dev_is_enabled(dev);
	daxctl_dev_is_system_ram_capable(dev);
	/* ranges: well formed, in page_offset order */
	daxctl_mapping_foreach(dev, m) {
		if (daxctl_mapping_get_end(m) < daxctl_mapping_get_start(m) ||
		    daxctl_mapping_get_offset(m) < prev_off)
			abort();
		prev_off = daxctl_mapping_get_offset(m);
		daxctl_mapping_get_size(m);
	}
	walk_memory(dev);
}

static void walk(struct daxctl_ctx *ctx, struct daxctl_region *embedded)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev, *seed;
	int prev_region = INT_MIN;
	uuid_t uu;

	daxctl_region_foreach(ctx, region) {
		const char *path = daxctl_region_get_path(region);
		const char *devname = daxctl_region_get_devname(region);
		int prev_dev = INT_MIN;

		if (daxctl_region_get_ctx(region) != ctx)
			abort();
		/* ascending ids */
		if (daxctl_region_get_id(region) < prev_region)
			abort();
		prev_region = daxctl_region_get_id(region);
		check_path(path, region != embedded);
		if (strcmp(devname, strrchr(path, '/') + 1) != 0)
			abort();
		daxctl_region_get_uuid(region, uu);
		daxctl_region_get_size(region);
		daxctl_region_get_align(region);
		daxctl_region_get_available_size(region);
		seed = daxctl_region_get_dev_seed(region);
		if (seed && daxctl_dev_get_region(seed) != region)
			abort();
		daxctl_dev_foreach(region, dev) {
			/*
			 * ascending ids; equal ones only in a crafted
			 * directory holding daxA.Y and daxB.Y
			 */
			if (daxctl_dev_get_id(dev) < prev_dev)
				abort();
			prev_dev = daxctl_dev_get_id(dev);
			walk_dev(ctx, region, dev);
		}
	}
}

/* What "daxctl list -RDi" prints, with -u and -M as asked. */
static void print_json(struct daxctl_ctx *ctx, bool human, bool mappings)
{
	struct json_opts opts = { .root = root, .human = human,
				  .mappings = mappings };
	struct json_object *top = json_object_new_array();
	struct daxctl_region *region;
	struct daxctl_dev *dev;

	if (!top)
		abort();
	daxctl_region_foreach(ctx, region) {
		struct json_object *robj = json_region(region, &opts);
		struct json_object *devs = json_object_new_array();

		daxctl_dev_foreach(region, dev)
			json_object_array_add(devs, json_dev(dev, &opts));
		if (robj) {
			json_object_object_add(robj, "devices", devs);
			json_object_array_add(top, robj);
		} else {
			json_object_put(devs);
		}
	}
	json_print(devnull, top);
	json_object_put(top);
}

/*
 * The memory state changes, last: they write the block state files, so
 * the cache forgets those (the next input rewrites them).
 */
static void change_memory(struct daxctl_ctx *ctx)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev;

	daxctl_region_foreach(ctx, region) {
		daxctl_dev_foreach(region, dev) {
			struct daxctl_memory *mem = daxctl_dev_get_memory(dev);

			if (!mem)
				continue;
			daxctl_memory_offline(mem);
			daxctl_memory_online(mem);
			daxctl_memory_online_no_movable(mem);
		}
	}
	cache[F_STATE_A].valid = false;
	cache[F_STATE_B].valid = false;
}

/* Whether the flags field has @c. */
static bool flag(char c)
{
	const struct cached *f = &cache[F_FLAGS];

	return f->present && f->len && memchr(f->data, c, f->len);
}

/*
 * Every input walks the whole API. The last field adds what costs more
 * file accesses than it finds bugs per input, to keep the rate up: 'u'
 * and 'M' are daxctl list's -u and -M, 'w' runs the memory state changes.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct daxctl_region *embedded = NULL;
	struct daxctl_ctx *ctx;
	struct cached *e = &cache[F_EMBED];

	write_tree(data, size);
	if (daxctl_new(&ctx) < 0)
		return 0;
	daxctl_set_log_fn(ctx, log_discard);
	/* every debug message is formatted too */
	daxctl_set_log_priority(ctx, LOG_DEBUG);

	/* an embedder (libndctl) naming a region before the scan */
	if (e->present) {
		char *path = field_string(e->data, e->len);

		embedded = daxctl_new_region(ctx, 7, NULL, path);
		free(path);
	}

	walk(ctx, embedded);
	print_json(ctx, flag('u'), flag('M'));
	if (flag('w'))
		change_memory(ctx);

	daxctl_region_unref(embedded);
	daxctl_unref(ctx);
	return 0;
}
