// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The FUSE low-level server that exposes daxsim's file tree (tree.c) as
 * a sysfs look-alike.
 *
 * Caching: entries and attributes are cached by the kernel for a long
 * time, contents never (direct_io, one ->show snapshot per open), readdir
 * never (no cache_readdir). Negative lookups are answered with ENOENT,
 * which the kernel does not cache, so additions need no notification.
 * Removals do: see the invalidation comment above flush_invals().
 */
#define FUSE_USE_VERSION 312

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree.h"

/* What sysfs uses for both the show buffer and the largest store. */
#define VFS_PAGE_SIZE 4096
/*
 * The tree only changes through writes, which invalidate what they
 * remove, so the kernel may keep entries and attributes as long as it
 * likes: daxctl walks tens of thousands of memory blocks.
 */
#define VFS_TIMEOUT 86400.0
/*
 * Writers wait for their invalidations while holding a worker thread;
 * lookups they wait for need free workers (libfuse's default cap is 10).
 */
#define VFS_MAX_THREADS 64

/* A snapshot of ->show, private to one open file. */
struct vfs_handle {
	int err;
	size_t len;
	char buf[];
};

static int (*store_hook)(struct vfs_node *node);

/*
 * Tests of interruptions (test/cli/signals.sh) need a write that takes a
 * while, and to know when one has begun: DAXSIM_WRITE_DELAY_MS delays
 * every write before it is handled (outside the model's lock, so readers
 * go on), DAXSIM_WRITE_LOG names a file that gets one line per write as
 * it begins, and DAXSIM_WRITE_HOLD a file that holds writes back (see
 * hold_write()). They are read once, when the tree is served.
 */
static struct vfs_node *live_node(fuse_ino_t ino);
static unsigned int write_delay_ms;
static FILE *write_log;
static const char *write_hold;
static unsigned long writes_begun;

static void write_knobs_init(void)
{
	const char *delay = getenv("DAXSIM_WRITE_DELAY_MS");
	const char *log = getenv("DAXSIM_WRITE_LOG");

	if (delay)
		write_delay_ms = (unsigned int)strtoul(delay, NULL, 10);
	write_hold = getenv("DAXSIM_WRITE_HOLD");
	if (write_hold && !*write_hold)
		write_hold = NULL;
	if (log && *log) {
		write_log = fopen(log, "a");
		if (!write_log)
			fprintf(stderr, "daxsim: %s: %s\n", log,
				strerror(errno));
		else
			setvbuf(write_log, NULL, _IOLBF, 0);
	}
}

/* "path value" of a write, for the log: the path below the root. */
static void log_write(fuse_ino_t ino, const char *value)
{
	const char *parts[64];
	struct vfs_node *n;
	char line[1024];
	size_t used = 0;
	int nr = 0;

	vfs_lock();
	n = live_node(ino);
	for (; n && vfs_parent(n) && nr < 64; n = vfs_parent(n))
		parts[nr++] = vfs_name(n);
	while (nr-- > 0 && used < sizeof(line))
		used += (size_t)snprintf(line + used, sizeof(line) - used,
					 "%s%s", parts[nr], nr ? "/" : "");
	vfs_unlock();
	/* one call per line: writes of several threads do not mix */
	fprintf(write_log, "%.*s %.*s\n", (int)used, line,
		(int)strcspn(value, "\n"), value);
}

/*
 * While the hold file exists, the Nth write since the start (counting
 * from 1) waits until the number in it is N or more: a test lets a run's
 * writes through up to the one it wants to interrupt.
 */
static void hold_write(unsigned long nth)
{
	for (;;) {
		FILE *f = fopen(write_hold, "r");
		unsigned long budget;
		int n;

		if (!f)
			return;
		n = fscanf(f, "%lu", &budget);
		fclose(f);
		if (n == 1 && nth <= budget)
			return;
		usleep(5000);
	}
}

static void write_knobs_apply(fuse_ino_t ino, const char *value)
{
	unsigned long nth = __atomic_add_fetch(&writes_begun, 1,
					       __ATOMIC_SEQ_CST);

	if (write_log)
		log_write(ino, value);
	if (write_hold)
		hold_write(nth);
	if (write_delay_ms)
		usleep(write_delay_ms * 1000);
}

void vfs_set_store_hook(int (*hook)(struct vfs_node *node))
{
	store_hook = hook;
}

static void node_stat(const struct vfs_node *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = node_ino(n);
	st->st_mode = n->mode;
	st->st_nlink = 1;
	st->st_blksize = VFS_PAGE_SIZE;
	st->st_atim = vfs_time;
	st->st_mtim = vfs_time;
	st->st_ctim = vfs_time;
	switch (n->mode & S_IFMT) {
	case S_IFDIR:
		st->st_nlink = 2;
		break;
	case S_IFREG:
		st->st_size = VFS_PAGE_SIZE;
		break;
	case S_IFLNK:
		st->st_size = strlen(n->target);
		break;
	}
}

static void node_entry(struct vfs_node *n, struct fuse_entry_param *e)
{
	memset(e, 0, sizeof(*e));
	e->ino = node_ino(n);
	e->attr_timeout = VFS_TIMEOUT;
	e->entry_timeout = VFS_TIMEOUT;
	node_stat(n, &e->attr);
}

/* The live node behind @ino, or NULL (ENOENT) once it has been removed. */
static struct vfs_node *live_node(fuse_ino_t ino)
{
	struct vfs_node *n = ino_node(ino);

	return n && !n->removed ? n : NULL;
}

/*
 * Invalidation. A ->store that removed nodes leaves their (parent, name)
 * queued; the write handler sends the invalidations after dropping
 * vfs_lock and before replying, so the writer's next lookup of a name
 * that was removed and perhaps created again reaches us instead of a
 * stale dentry. The kernel handles FUSE_NOTIFY_INVAL_ENTRY synchronously
 * in this thread's write to /dev/fuse and takes the parent directory's
 * inode lock (exclusive) to do it. Who can hold that lock while waiting
 * for us:
 *
 * - A lookup or readdir in that directory (lock shared) waiting for its
 *   reply: another worker of the multi-threaded loop serves it, which
 *   works because we no longer hold vfs_lock. With a single-threaded
 *   loop this would hang, and with every worker blocked here too:
 *   hence VFS_MAX_THREADS.
 * - The writer itself holds only the written file's inode lock, never
 *   a directory's, and a file is never the parent of a removed node, so
 *   a write never waits on itself; that includes a store removing the
 *   directory of the file being written (d_invalidate takes no inode
 *   locks).
 * - Not covered: a root process that unlinks or renames the very file
 *   being written, in the directory of a node the write removes, at the
 *   same moment: it holds the directory lock and waits for the file's
 *   inode lock (before we could even refuse with EACCES), while the
 *   writer holds the file lock and waits for this thread. Nothing does
 *   that to sysfs.
 *
 * Outside of write (a ->show that changed the tree, which models do not
 * do) the invalidations are sent after the reply, which is always safe.
 */
static void flush_invals(struct vfs_inval *list)
{
	struct vfs_inval *next;

	for (; list; list = next) {
		next = list->next;
		/* ENOENT: the kernel had already dropped the dentry. */
		fuse_lowlevel_notify_inval_entry(vfs_session, list->parent,
						 list->name, list->len);
		free(list);
	}
}

static void vfs_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* Contents change behind the kernel's back: never cache them. */
	conn->want &= ~(FUSE_CAP_WRITEBACK_CACHE | FUSE_CAP_AUTO_INVAL_DATA |
			FUSE_CAP_CACHE_SYMLINKS);
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
}

static void vfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	struct vfs_node *dir, *n = NULL;
	int err = 0;

	vfs_lock();
	dir = live_node(parent);
	if (!dir)
		err = ENOENT;
	else if (!is_dir(dir))
		err = ENOTDIR;
	else if (!(n = vfs_child(dir, name)))
		err = ENOENT;
	else {
		node_entry(n, &e);
		n->nlookup++;
	}
	vfs_unlock();
	if (err) {
		/* Not a zero-ino entry: that would be a cached negative. */
		fuse_reply_err(req, err);
		return;
	}
	if (fuse_reply_entry(req, &e)) {
		/* The kernel never saw it: take the lookup back. */
		vfs_lock();
		node_forget(n, 1);
		vfs_unlock();
	}
}

static void vfs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	vfs_lock();
	node_forget(ino_node(ino), nlookup);
	vfs_unlock();
	fuse_reply_none(req);
}

static void vfs_forget_multi(fuse_req_t req, size_t count,
			     struct fuse_forget_data *forgets)
{
	size_t i;

	vfs_lock();
	for (i = 0; i < count; i++)
		node_forget(ino_node(forgets[i].ino), forgets[i].nlookup);
	vfs_unlock();
	fuse_reply_none(req);
}

static void vfs_getattr(fuse_req_t req, fuse_ino_t ino,
			struct fuse_file_info *fi)
{
	struct vfs_node *n;
	struct stat st;

	(void)fi;
	vfs_lock();
	n = live_node(ino);
	if (n)
		node_stat(n, &st);
	vfs_unlock();
	if (!n) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	fuse_reply_attr(req, &st, VFS_TIMEOUT);
}

/*
 * Only truncation is accepted, and ignored: `echo x > attr` truncates
 * before it writes (the kernel may add mtime/ctime "now" to it). Modes,
 * owners and times are fixed.
 */
static void vfs_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr,
			int to_set, struct fuse_file_info *fi)
{
	const int fixed = FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID |
			  FUSE_SET_ATTR_GID | FUSE_SET_ATTR_ATIME |
			  FUSE_SET_ATTR_ATIME_NOW;
	struct vfs_node *n;
	struct stat st;
	int err = 0;

	(void)attr;
	(void)fi;
	vfs_lock();
	n = live_node(ino);
	if (!n)
		err = ENOENT;
	else if (!(to_set & FUSE_SET_ATTR_SIZE) || (to_set & fixed))
		err = EPERM;
	else if (!S_ISREG(n->mode))
		err = EINVAL;
	else
		node_stat(n, &st);
	vfs_unlock();
	if (err) {
		fuse_reply_err(req, err);
		return;
	}
	fuse_reply_attr(req, &st, VFS_TIMEOUT);
}

static void vfs_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct vfs_node *n;
	char *target = NULL;
	int err = 0;

	vfs_lock();
	n = live_node(ino);
	if (!n)
		err = ENOENT;
	else if (!S_ISLNK(n->mode))
		err = EINVAL;
	else if (!(target = strdup(n->target)))
		err = ENOMEM;
	vfs_unlock();
	if (err) {
		fuse_reply_err(req, err);
		return;
	}
	fuse_reply_readlink(req, target);
	free(target);
}

static void vfs_opendir(fuse_req_t req, fuse_ino_t ino,
			struct fuse_file_info *fi)
{
	struct vfs_node *n;
	int err = 0;

	vfs_lock();
	n = live_node(ino);
	if (!n)
		err = ENOENT;
	else if (!is_dir(n))
		err = ENOTDIR;
	vfs_unlock();
	if (err) {
		fuse_reply_err(req, err);
		return;
	}
	/* Children come and go with every write: no readdir cache. */
	fi->cache_readdir = 0;
	fi->keep_cache = 0;
	fuse_reply_open(req, fi);
}

/*
 * Offsets as kernfs hands them out: "." is followed by offset 1, ".." by
 * 2, and each child by the hash of the next one (INT32_MAX after the
 * last), so reading on from offset off starts at the first child whose
 * hash is at least off, whatever was added or removed in between.
 */
static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
		       off_t off, bool plus)
{
	struct vfs_node **counted = NULL, *dir;
	size_t used = 0, ncounted = 0, i;
	char *buf;
	int err = 0;

	buf = malloc(size);
	/* A readdirplus entry takes more than 128 bytes (fuse_entry_out). */
	if (plus && buf)
		counted = calloc(size / 128 + 1, sizeof(*counted));
	if (!buf || (plus && !counted)) {
		free(buf);
		fuse_reply_err(req, ENOMEM);
		return;
	}

	vfs_lock();
	dir = live_node(ino);
	if (!dir) {
		err = ENOENT;
		goto unlock;
	}
	if (!is_dir(dir)) {
		err = ENOTDIR;
		goto unlock;
	}
	if (off < 0)
		off = 0;
	for (; off < 2; off++) {
		struct vfs_node *n = off && dir->parent ? dir->parent : dir;
		const char *name = off ? ".." : ".";
		struct fuse_entry_param e;
		size_t len;

		node_entry(n, &e);
		if (plus) {
			/* The kernel takes no lookup for the dot entries. */
			e.ino = 0;
			len = fuse_add_direntry_plus(req, buf + used,
						     size - used, name, &e,
						     off + 1);
		} else {
			len = fuse_add_direntry(req, buf + used, size - used,
						name, &e.attr, off + 1);
		}
		if (len > size - used)
			goto unlock;
		used += len;
	}
	if (dir_order(dir->dir)) {
		err = ENOMEM;
		goto unlock;
	}
	{
		struct vfs_dir *d = dir->dir;
		uint32_t lo = 0, hi = d->order_nr;

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;

			if ((off_t)d->order[mid]->khash < off)
				lo = mid + 1;
			else
				hi = mid;
		}
		i = lo;
	}
	for (; i < dir->dir->order_nr; i++) {
		struct vfs_node *n = dir->dir->order[i];
		off_t next = i + 1 < dir->dir->order_nr ?
				     (off_t)dir->dir->order[i + 1]->khash :
				     (off_t)INT32_MAX;
		struct fuse_entry_param e;
		size_t len;

		node_entry(n, &e);
		if (plus)
			len = fuse_add_direntry_plus(req, buf + used,
						     size - used, n->name, &e,
						     next);
		else
			len = fuse_add_direntry(req, buf + used, size - used,
						n->name, &e.attr, next);
		if (len > size - used)
			break;
		used += len;
		if (plus) {
			n->nlookup++;
			counted[ncounted++] = n;
		}
	}
unlock:
	vfs_unlock();
	if (err)
		fuse_reply_err(req, err);
	else if (fuse_reply_buf(req, buf, used) && ncounted) {
		vfs_lock();
		for (i = 0; i < ncounted; i++)
			node_forget(counted[i], 1);
		vfs_unlock();
	}
	free(counted);
	free(buf);
}

static void vfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size,
			off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, false);
}

static void vfs_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size,
			    off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	do_readdir(req, ino, size, off, true);
}

/* What ->show makes of @n now; an error is kept for read() to return. */
static struct vfs_handle *snapshot(struct vfs_node *n)
{
	char page[VFS_PAGE_SIZE];
	struct vfs_handle *h;
	int len;

	len = n->ops->show(n, page, sizeof(page));
	if (len > (int)sizeof(page))
		len = sizeof(page);
	h = malloc(sizeof(*h) + (len > 0 ? len : 0));
	if (!h)
		return NULL;
	h->err = len < 0 ? -len : 0;
	h->len = len < 0 ? 0 : len;
	memcpy(h->buf, page, h->len);
	return h;
}

/*
 * sysfs refuses to open for reading (writing) an attribute without any
 * read (write) bit or ->show (->store), whoever asks, root included: the
 * kernel's own permission check lets root through, so do it here. The
 * content is produced once, now, and every read of this open file is
 * served from that snapshot.
 */
static void vfs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	int acc = fi->flags & O_ACCMODE;
	bool rd = acc == O_RDONLY || acc == O_RDWR;
	bool wr = acc == O_WRONLY || acc == O_RDWR;
	struct vfs_handle *h = NULL;
	struct vfs_inval *invals;
	struct vfs_node *n;
	int err = 0;

	vfs_lock();
	n = live_node(ino);
	if (!n)
		err = ENOENT;
	else if (is_dir(n))
		err = EISDIR;
	else if (!S_ISREG(n->mode))
		err = EINVAL;
	else if (wr && (!(n->mode & 0222) || !n->ops || !n->ops->store))
		err = EACCES;
	else if (rd && (!(n->mode & 0444) || !n->ops || !n->ops->show))
		err = EACCES;
	else if (rd && !(h = snapshot(n)))
		err = ENOMEM;
	invals = take_invals();
	vfs_unlock();
	if (err) {
		fuse_reply_err(req, err);
	} else {
		fi->fh = (uintptr_t)h;
		fi->direct_io = 1;
		fi->keep_cache = 0;
		/* Nothing to flush; spares a round trip per close. */
		fi->noflush = 1;
		if (fuse_reply_open(req, fi))
			free(h);
	}
	flush_invals(invals);
}

static void vfs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct vfs_handle *h = (struct vfs_handle *)(uintptr_t)fi->fh;
	bool gone;

	vfs_lock();
	gone = !live_node(ino);
	vfs_unlock();
	if (gone) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (!h) {
		fuse_reply_err(req, EBADF);
		return;
	}
	if (h->err) {
		fuse_reply_err(req, h->err);
		return;
	}
	if (off < 0 || (size_t)off >= h->len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	if (size > h->len - off)
		size = h->len - off;
	/*
	 * Reply from a copy: once the kernel has the data, the reader may
	 * close the file and another worker free the snapshot while this
	 * one is still returning from the reply.
	 */
	{
		char chunk[VFS_PAGE_SIZE];

		memcpy(chunk, h->buf + off, size);
		fuse_reply_buf(req, chunk, size);
	}
}

/* A positive errno, or 0. An injected fault keeps the model out of it. */
static int do_store(struct vfs_node *n, const char *buf, size_t len)
{
	int ret = store_hook ? store_hook(n) : 0;

	if (ret)
		return ret < 0 ? -ret : ret;
	ret = n->ops->store(n, buf, len);
	return ret < 0 ? -ret : 0;
}

/*
 * Each write is one ->store of a NUL-terminated copy, as with sysfs,
 * which also hands a store at most a page (a longer write comes back
 * short) and skips empty writes.
 */
static void vfs_write(fuse_req_t req, fuse_ino_t ino, const char *buf,
		      size_t size, off_t off, struct fuse_file_info *fi)
{
	struct vfs_inval *invals;
	struct vfs_node *n;
	char *copy;
	int err = 0;

	(void)off;
	(void)fi;
	if (size > VFS_PAGE_SIZE)
		size = VFS_PAGE_SIZE;
	copy = malloc(size + 1);
	if (!copy) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	memcpy(copy, buf, size);
	copy[size] = '\0';

	write_knobs_apply(ino, copy);
	vfs_lock();
	n = live_node(ino);
	if (!n)
		err = ENOENT;
	else if (!S_ISREG(n->mode) || !n->ops || !n->ops->store)
		err = EACCES;
	else if (size)
		err = do_store(n, copy, size);
	invals = take_invals();
	vfs_unlock();
	free(copy);

	/* Before the reply: the writer must find the new tree. */
	flush_invals(invals);
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_write(req, size);
}

static void vfs_release(fuse_req_t req, fuse_ino_t ino,
			struct fuse_file_info *fi)
{
	(void)ino;
	free((void *)(uintptr_t)fi->fh);
	fuse_reply_err(req, 0);
}

/* The tree belongs to the model: nothing is created or removed by hand. */
static void vfs_mknod(fuse_req_t req, fuse_ino_t parent, const char *name,
		      mode_t mode, dev_t rdev)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)rdev;
	fuse_reply_err(req, EACCES);
}

static void vfs_mkdir_op(fuse_req_t req, fuse_ino_t parent, const char *name,
			 mode_t mode)
{
	(void)parent;
	(void)name;
	(void)mode;
	fuse_reply_err(req, EACCES);
}

static void vfs_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)parent;
	(void)name;
	fuse_reply_err(req, EACCES);
}

static void vfs_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
			const char *name)
{
	(void)link;
	(void)parent;
	(void)name;
	fuse_reply_err(req, EACCES);
}

static void vfs_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		       fuse_ino_t newparent, const char *newname,
		       unsigned int flags)
{
	(void)parent;
	(void)name;
	(void)newparent;
	(void)newname;
	(void)flags;
	fuse_reply_err(req, EACCES);
}

static void vfs_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
		     const char *newname)
{
	(void)ino;
	(void)newparent;
	(void)newname;
	fuse_reply_err(req, EACCES);
}

static void vfs_create(fuse_req_t req, fuse_ino_t parent, const char *name,
		       mode_t mode, struct fuse_file_info *fi)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)fi;
	fuse_reply_err(req, EACCES);
}

static const struct fuse_lowlevel_ops vfs_ops = {
	.init		= vfs_init,
	.lookup		= vfs_lookup,
	.forget		= vfs_forget,
	.forget_multi	= vfs_forget_multi,
	.getattr	= vfs_getattr,
	.setattr	= vfs_setattr,
	.readlink	= vfs_readlink,
	.mknod		= vfs_mknod,
	.mkdir		= vfs_mkdir_op,
	.unlink		= vfs_unlink,
	.rmdir		= vfs_unlink,
	.symlink	= vfs_symlink,
	.rename		= vfs_rename,
	.link		= vfs_link,
	.create		= vfs_create,
	.open		= vfs_open,
	.read		= vfs_read,
	.write		= vfs_write,
	.release	= vfs_release,
	.opendir	= vfs_opendir,
	.readdir	= vfs_readdir,
	.readdirplus	= vfs_readdirplus,
};

int vfs_serve(const char *mountpoint, bool foreground, bool debug)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct vfs_inval *invals, *next;
	struct fuse_loop_config *cfg;
	struct fuse_session *se;
	char opts[128];
	int ret = 1;

	if (!vfs_root())
		return 1;
	/* allow_other: tests run daxctl as nobody against root's mount. */
	snprintf(opts, sizeof(opts),
		 "default_permissions,fsname=daxsim,subtype=daxsim%s%s",
		 geteuid() == 0 ? ",allow_other" : "",
		 debug ? ",debug" : "");
	if (fuse_opt_add_arg(&args, "daxsim") ||
	    fuse_opt_add_arg(&args, "-o") ||
	    fuse_opt_add_arg(&args, opts))
		goto out_args;

	se = fuse_session_new(&args, &vfs_ops, sizeof(vfs_ops), NULL);
	if (!se)
		goto out_args;
	if (fuse_set_signal_handlers(se))
		goto out_session;
	if (fuse_session_mount(se, mountpoint))
		goto out_signals;
	write_knobs_init();
	if (fuse_daemonize(foreground))
		goto out_unmount;

	cfg = fuse_loop_cfg_create();
	if (!cfg)
		goto out_unmount;
	fuse_loop_cfg_set_max_threads(cfg, VFS_MAX_THREADS);

	vfs_lock();
	vfs_session = se;
	vfs_unlock();
	/* A signal ending the loop is a clean exit: it returns its number. */
	ret = fuse_session_loop_mt(se, cfg) < 0 ? 1 : 0;
	vfs_lock();
	vfs_session = NULL;
	invals = take_invals();
	vfs_unlock();
	/* Unmounted: nobody left to tell. */
	for (; invals; invals = next) {
		next = invals->next;
		free(invals);
	}

	fuse_loop_cfg_destroy(cfg);
out_unmount:
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_session:
	fuse_session_destroy(se);
out_args:
	fuse_opt_free_args(&args);
	return ret;
}
