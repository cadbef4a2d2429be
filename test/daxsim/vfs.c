// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxsim's file tree and the FUSE low-level server that exposes it as a
 * sysfs look-alike.
 *
 * Inodes: a node's FUSE inode number is its address (the root is
 * FUSE_ROOT_ID). Every reply that hands the kernel an inode (lookup,
 * readdirplus) counts one lookup in the node; forget gives them back. A
 * removed node leaves the tree at once and answers ENOENT, but its memory
 * stays until the kernel has forgotten it, so an address is reused as an
 * inode number only once the kernel no longer knows the old inode.
 *
 * Names: one global hash keyed by (parent, name) serves every directory,
 * so a node pays for one chain pointer and a cached hash instead of a
 * table per directory. Creation order lives in a per-directory slot array
 * (see struct vfs_dir); readdir offsets are creation sequence numbers,
 * which stay valid whatever is added or removed between two readdir calls.
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
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vfs.h"

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

/*
 * Children of a directory in creation order. Removing a child leaves a
 * tombstone (its sequence number shifted left, low bit set: node
 * addresses are even; 64 bits so that any sequence number fits), so the
 * array stays sorted by sequence number and a readdir offset is found by
 * binary search. Tombstones are squeezed out once they are half the
 * array, which keeps removal amortised O(1) without a per-node list.
 */
struct vfs_dir {
	uint64_t *slot;
	uint32_t nr;
	uint32_t alloc;
	uint32_t holes;
	uint32_t next_seq;
	/* readdir order (see do_readdir), rebuilt when @gen moves on */
	struct vfs_node **order;
	uint32_t order_nr;
	uint32_t gen, order_gen;
};

struct vfs_node {
	struct vfs_node *parent;	/* NULL: the root or removed */
	struct vfs_node *hnext;		/* global name hash chain */
	void *data;
	union {
		struct vfs_dir *dir;		/* S_IFDIR */
		const struct vfs_attr_ops *ops;	/* S_IFREG */
		const char *target;		/* S_IFLNK, after name */
	};
	uint64_t nlookup;		/* lookups the kernel holds */
	uint32_t seq;			/* creation order in the parent */
	uint32_t hash;
	uint32_t khash;			/* kernfs's hash of the name */
	uint16_t mode;			/* S_IFMT bits included */
	bool removed;
	char name[];
};

/* A snapshot of ->show, private to one open file. */
struct vfs_handle {
	int err;
	size_t len;
	char buf[];
};

/* A dentry to invalidate, queued under vfs_lock and sent after it. */
struct vfs_inval {
	struct vfs_inval *next;
	fuse_ino_t parent;
	size_t len;
	char name[];
};

static pthread_mutex_t vfs_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct vfs_node *root;
static int (*store_hook)(struct vfs_node *node);
static struct timespec vfs_time;

static struct vfs_node **htab;
static size_t hmask;
static size_t hcount;

/* Set while serving; removals before that have nobody to tell. */
static struct fuse_session *session;
static struct vfs_inval *inval_head;
static struct vfs_inval **inval_tail = &inval_head;

void vfs_lock(void)
{
	pthread_mutex_lock(&vfs_mutex);
}

void vfs_unlock(void)
{
	pthread_mutex_unlock(&vfs_mutex);
}

void vfs_set_store_hook(int (*hook)(struct vfs_node *node))
{
	store_hook = hook;
}

/* ---- name hash ---- */

static uint32_t name_hash(const struct vfs_node *dir, const char *name)
{
	/* FNV-1a, seeded with the parent so that one table serves all. */
	uint64_t h = 0xcbf29ce484222325ULL;

	h ^= (uintptr_t)dir * 0x9e3779b97f4a7c15ULL;
	for (; *name; name++) {
		h ^= (unsigned char)*name;
		h *= 0x100000001b3ULL;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static int hash_grow(void)
{
	size_t size = htab ? (hmask + 1) * 2 : 4096;
	struct vfs_node **tab;
	size_t i;

	tab = calloc(size, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	for (i = 0; htab && i <= hmask; i++) {
		struct vfs_node *n = htab[i], *next;

		for (; n; n = next) {
			next = n->hnext;
			n->hnext = tab[n->hash & (size - 1)];
			tab[n->hash & (size - 1)] = n;
		}
	}
	free(htab);
	htab = tab;
	hmask = size - 1;
	return 0;
}

static struct vfs_node *hash_find(const struct vfs_node *dir,
				  const char *name, uint32_t hash)
{
	struct vfs_node *n;

	if (!htab)
		return NULL;
	for (n = htab[hash & hmask]; n; n = n->hnext)
		if (n->hash == hash && n->parent == dir &&
		    strcmp(n->name, name) == 0)
			return n;
	return NULL;
}

static int hash_add(struct vfs_node *n)
{
	/* Failing to grow only makes chains longer, if there is a table. */
	if ((!htab || hcount > hmask) && hash_grow() < 0 && !htab)
		return -ENOMEM;
	n->hnext = htab[n->hash & hmask];
	htab[n->hash & hmask] = n;
	hcount++;
	return 0;
}

static void hash_del(struct vfs_node *n)
{
	struct vfs_node **p = &htab[n->hash & hmask];

	for (; *p; p = &(*p)->hnext) {
		if (*p != n)
			continue;
		*p = n->hnext;
		n->hnext = NULL;
		hcount--;
		return;
	}
}

/* ---- children in creation order ---- */

static bool slot_is_tomb(uint64_t s)
{
	return s & 1;
}

static struct vfs_node *slot_node(uint64_t s)
{
	return (struct vfs_node *)(uintptr_t)s;
}

static uint32_t slot_seq(uint64_t s)
{
	if (slot_is_tomb(s))
		return (uint32_t)(s >> 1);
	return slot_node(s)->seq;
}

/* Index of the first slot whose sequence number is at least @seq. */
static uint32_t dir_seek(const struct vfs_dir *d, uint64_t seq)
{
	uint32_t lo = 0, hi = d->nr;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (slot_seq(d->slot[mid]) < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void dir_compact(struct vfs_dir *d)
{
	uint32_t i, j;

	for (i = j = 0; i < d->nr; i++)
		if (!slot_is_tomb(d->slot[i]))
			d->slot[j++] = d->slot[i];
	d->nr = j;
	d->holes = 0;
}

static int dir_add(struct vfs_dir *d, struct vfs_node *n)
{
	if (d->next_seq == UINT32_MAX)
		return -EOVERFLOW;
	if (d->nr == d->alloc && d->holes > d->nr / 2)
		dir_compact(d);
	if (d->nr == d->alloc) {
		uint32_t alloc = d->alloc ? d->alloc * 2 : 8;
		uint64_t *slot;

		slot = realloc(d->slot, alloc * sizeof(*slot));
		if (!slot)
			return -ENOMEM;
		d->slot = slot;
		d->alloc = alloc;
	}
	n->seq = d->next_seq++;
	d->slot[d->nr++] = (uintptr_t)n;
	d->gen++;
	return 0;
}

static void dir_del(struct vfs_dir *d, struct vfs_node *n)
{
	uint32_t i = dir_seek(d, n->seq);

	if (i >= d->nr || d->slot[i] != (uintptr_t)n)
		return;
	d->slot[i] = ((uint64_t)n->seq << 1) | 1;
	d->holes++;
	d->gen++;
	/* Trailing tombstones cost nothing to drop. */
	while (d->nr && slot_is_tomb(d->slot[d->nr - 1])) {
		d->nr--;
		d->holes--;
	}
	if (d->holes > 32 && d->holes > d->nr / 2)
		dir_compact(d);
}

static uint32_t kernfs_name_hash(const char *name);
struct vfs_dir;
static int dir_order(struct vfs_dir *d);

/* ---- nodes ---- */

static bool is_dir(const struct vfs_node *n)
{
	return S_ISDIR(n->mode);
}

static bool name_ok(const char *name)
{
	size_t len = strlen(name);

	if (!len || len > 255 || strchr(name, '/'))
		return false;
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static struct vfs_node *node_alloc(const char *name, mode_t mode,
				   const char *target)
{
	size_t nlen = strlen(name) + 1;
	size_t tlen = target ? strlen(target) + 1 : 0;
	struct vfs_node *n;

	n = calloc(1, sizeof(*n) + nlen + tlen);
	if (!n)
		return NULL;
	memcpy(n->name, name, nlen);
	n->mode = mode;
	if (target) {
		memcpy(n->name + nlen, target, tlen);
		n->target = n->name + nlen;
	}
	if (S_ISDIR(mode)) {
		n->dir = calloc(1, sizeof(*n->dir));
		if (!n->dir) {
			free(n);
			return NULL;
		}
	}
	return n;
}

static void node_free(struct vfs_node *n)
{
	if (is_dir(n) && n->dir) {
		free(n->dir->slot);
		free(n->dir->order);
		free(n->dir);
	}
	free(n);
}

struct vfs_node *vfs_root(void)
{
	if (root)
		return root;
	clock_gettime(CLOCK_REALTIME, &vfs_time);
	root = node_alloc("", S_IFDIR | 0755, NULL);
	return root;
}

static struct vfs_node *node_add(struct vfs_node *dir, const char *name,
				 mode_t mode, const char *target, void *data)
{
	struct vfs_node *n;
	uint32_t hash;

	if (!dir || dir->removed || !is_dir(dir) || !name_ok(name))
		return NULL;
	hash = name_hash(dir, name);
	if (hash_find(dir, name, hash))
		return NULL;
	n = node_alloc(name, mode, target);
	if (!n)
		return NULL;
	n->parent = dir;
	n->hash = hash;
	n->khash = kernfs_name_hash(name);
	n->data = data;
	if (dir_add(dir->dir, n) < 0) {
		node_free(n);
		return NULL;
	}
	if (hash_add(n) < 0) {
		dir_del(dir->dir, n);
		node_free(n);
		return NULL;
	}
	return n;
}

struct vfs_node *vfs_mkdir(struct vfs_node *dir, const char *name,
			   mode_t mode, void *data)
{
	return node_add(dir, name, S_IFDIR | (mode & 07777), NULL, data);
}

struct vfs_node *vfs_mkattr(struct vfs_node *dir, const char *name,
			    mode_t mode, const struct vfs_attr_ops *ops,
			    void *data)
{
	struct vfs_node *n;

	n = node_add(dir, name, S_IFREG | (mode & 07777), NULL, data);
	if (n)
		n->ops = ops;
	return n;
}

struct vfs_node *vfs_mklink_text(struct vfs_node *dir, const char *name,
				 const char *target)
{
	if (!target || !*target)
		return NULL;
	return node_add(dir, name, S_IFLNK | 0777, target, NULL);
}

static unsigned int node_depth(const struct vfs_node *n)
{
	unsigned int depth = 0;

	for (; n->parent; n = n->parent)
		depth++;
	return depth;
}

/*
 * The path from directory @from to @to the way sysfs writes its links:
 * up to the closest common ancestor, then down.
 */
static char *rel_path(const struct vfs_node *from, const struct vfs_node *to)
{
	unsigned int dfrom = node_depth(from), dto = node_depth(to);
	const struct vfs_node *a = from, *b = to, **down;
	unsigned int ups = 0, ndown = 0, i;
	size_t len = 0;
	char *path, *p;

	down = calloc(dto + 1, sizeof(*down));
	if (!down)
		return NULL;
	for (; dfrom > dto; dfrom--, ups++)
		a = a->parent;
	for (; dto > dfrom; dto--, b = b->parent)
		down[ndown++] = b;
	for (; a != b; a = a->parent, b = b->parent, ups++)
		down[ndown++] = b;

	len = ups * 3;
	for (i = 0; i < ndown; i++)
		len += strlen(down[i]->name) + 1;
	path = malloc(len + 2);
	if (!path) {
		free(down);
		return NULL;
	}
	p = path;
	for (i = 0; i < ups; i++)
		p = stpcpy(p, "../");
	while (ndown)
		p += sprintf(p, "%s/", down[--ndown]->name);
	free(down);
	if (p == path)
		/* The link points at its own directory. */
		return strcpy(path, ".");
	p[-1] = '\0';
	return path;
}

struct vfs_node *vfs_mklink(struct vfs_node *dir, const char *name,
			    struct vfs_node *target)
{
	struct vfs_node *n;
	char *path;

	if (!dir || !target || dir->removed || target->removed ||
	    !is_dir(dir))
		return NULL;
	path = rel_path(dir, target);
	if (!path)
		return NULL;
	n = vfs_mklink_text(dir, name, path);
	free(path);
	return n;
}

struct vfs_node *vfs_mkdir_p(struct vfs_node *dir, const char *path)
{
	char *copy, *comp, *save = NULL;

	copy = strdup(path);
	if (!copy)
		return NULL;
	for (comp = strtok_r(copy, "/", &save); comp && dir;
	     comp = strtok_r(NULL, "/", &save)) {
		struct vfs_node *child = vfs_child(dir, comp);

		if (!child)
			child = vfs_mkdir(dir, comp, 0755, NULL);
		else if (!is_dir(child))
			child = NULL;
		dir = child;
	}
	free(copy);
	return dir;
}

struct vfs_node *vfs_child(struct vfs_node *dir, const char *name)
{
	if (!dir || dir->removed || !is_dir(dir))
		return NULL;
	return hash_find(dir, name, name_hash(dir, name));
}

struct vfs_node *vfs_walk(struct vfs_node *dir, const char *path)
{
	char *copy, *comp, *save = NULL;

	copy = strdup(path);
	if (!copy)
		return NULL;
	for (comp = strtok_r(copy, "/", &save); comp && dir;
	     comp = strtok_r(NULL, "/", &save)) {
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0)
			dir = dir->parent ? dir->parent : dir;
		else
			dir = vfs_child(dir, comp);
	}
	free(copy);
	return dir;
}

/* Walk a directory's live children in kernfs order (the readdir order). */
int vfs_for_each_child(struct vfs_node *dir,
		       int (*fn)(struct vfs_node *child, void *arg), void *arg)
{
	uint32_t i;
	int rc;

	if (!dir || !is_dir(dir) || dir_order(dir->dir))
		return -ENOTDIR;
	for (i = 0; i < dir->dir->order_nr; i++) {
		rc = fn(dir->dir->order[i], arg);
		if (rc)
			return rc;
	}
	return 0;
}

mode_t vfs_mode(struct vfs_node *node)
{
	return node->mode;
}

const char *vfs_link_target(struct vfs_node *node)
{
	return S_ISLNK(node->mode) ? node->target : NULL;
}

int vfs_show(struct vfs_node *node, char *buf, size_t len)
{
	if (!S_ISREG(node->mode) || !node->ops || !node->ops->show)
		return -EACCES;
	return node->ops->show(node, buf, len);
}

void *vfs_data(struct vfs_node *node)
{
	return node->data;
}

const char *vfs_name(struct vfs_node *node)
{
	return node->name;
}

struct vfs_node *vfs_parent(struct vfs_node *node)
{
	return node->parent;
}

static fuse_ino_t node_ino(const struct vfs_node *n)
{
	if (n == root)
		return FUSE_ROOT_ID;
	return (fuse_ino_t)(uintptr_t)n;
}

/* Called with the lock held, like everything that touches the tree. */
static struct vfs_node *ino_node(fuse_ino_t ino)
{
	if (ino == FUSE_ROOT_ID)
		return root;
	return (struct vfs_node *)(uintptr_t)ino;
}

static void queue_inval(struct vfs_node *n)
{
	size_t len = strlen(n->name);
	struct vfs_inval *iv;

	iv = malloc(sizeof(*iv) + len + 1);
	if (!iv) {
		/* Only costs a stale dentry until it times out. */
		fprintf(stderr, "daxsim: no memory to invalidate %s\n",
			n->name);
		return;
	}
	iv->next = NULL;
	iv->parent = node_ino(n->parent);
	iv->len = len;
	memcpy(iv->name, n->name, len + 1);
	*inval_tail = iv;
	inval_tail = &iv->next;
}

/* Detach what removals queued so far, for flush_invals() after unlock. */
static struct vfs_inval *take_invals(void)
{
	struct vfs_inval *list = inval_head;

	inval_head = NULL;
	inval_tail = &inval_head;
	return list;
}

static void remove_subtree(struct vfs_node *n)
{
	if (is_dir(n) && n->dir) {
		struct vfs_dir *d = n->dir;
		uint32_t i;

		for (i = 0; i < d->nr; i++)
			if (!slot_is_tomb(d->slot[i]))
				remove_subtree(slot_node(d->slot[i]));
		free(d->slot);
		free(d->order);
		free(d);
		n->dir = NULL;
	}
	hash_del(n);
	n->removed = true;
	n->parent = NULL;
	if (!n->nlookup)
		node_free(n);
}

void vfs_remove(struct vfs_node *node)
{
	if (!node || node == root || node->removed)
		return;
	/*
	 * Only the top needs telling: its dentry pins those below, and
	 * invalidating it drops them all. Without a lookup the kernel has
	 * no positive dentry for it, and negative ones are never cached.
	 */
	if (session && node->nlookup)
		queue_inval(node);
	dir_del(node->parent->dir, node);
	remove_subtree(node);
}

/* Return @count lookups; a removed node goes once the kernel forgot it. */
static void node_forget(struct vfs_node *n, uint64_t count)
{
	if (n == root)
		return;
	n->nlookup = count < n->nlookup ? n->nlookup - count : 0;
	if (!n->nlookup && n->removed)
		node_free(n);
}

/* ---- FUSE ---- */

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
		fuse_lowlevel_notify_inval_entry(session, list->parent,
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
 * kernfs's name hash (fs/kernfs/dir.c with include/linux/stringhash.h on a
 * 64-bit kernel): sysfs lists a directory sorted by it, and programs that
 * walk sysfs (the reference daxctl among them) process entries in that
 * order, so the emulator lists them the same way.
 */
static uint32_t kernfs_name_hash(const char *name)
{
	unsigned long hash = 0;

	for (; *name; name++) {
		unsigned long c = (unsigned long)(long)(signed char)*name;

		hash = (hash + (c << 4) + (c >> 4)) * 11;
	}
	hash = (unsigned long)(((uint64_t)hash * 0x61C8864680B583EBull) >> 32);
	hash &= 0x7fffffffU;
	if (hash < 2)
		hash += 2;
	if (hash >= INT32_MAX)
		hash = INT32_MAX - 1;
	return (uint32_t)hash;
}

static int khash_cmp(const void *a, const void *b)
{
	const struct vfs_node *x = *(struct vfs_node *const *)a;
	const struct vfs_node *y = *(struct vfs_node *const *)b;

	if (x->khash != y->khash)
		return x->khash < y->khash ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The live children sorted as kernfs keeps them, cached until a change. */
static int dir_order(struct vfs_dir *d)
{
	struct vfs_node **order;
	uint32_t i, n = 0;

	if (d->order && d->order_gen == d->gen)
		return 0;
	order = realloc(d->order, (d->nr ? d->nr : 1) * sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (i = 0; i < d->nr; i++)
		if (!slot_is_tomb(d->slot[i]))
			order[n++] = slot_node(d->slot[i]);
	qsort(order, n, sizeof(*order), khash_cmp);
	d->order = order;
	d->order_nr = n;
	d->order_gen = d->gen;
	return 0;
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
	if (fuse_daemonize(foreground))
		goto out_unmount;

	cfg = fuse_loop_cfg_create();
	if (!cfg)
		goto out_unmount;
	fuse_loop_cfg_set_max_threads(cfg, VFS_MAX_THREADS);

	vfs_lock();
	session = se;
	vfs_unlock();
	/* A signal ending the loop is a clean exit: it returns its number. */
	ret = fuse_session_loop_mt(se, cfg) < 0 ? 1 : 0;
	vfs_lock();
	session = NULL;
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
