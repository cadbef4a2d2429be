// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daxsim's file tree: the nodes, their names and order, and their life
 * as the kernel sees it through the FUSE server (fuse.c).
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
 */
#define FUSE_USE_VERSION 312

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tree.h"

static pthread_mutex_t vfs_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct vfs_node *root;
struct timespec vfs_time;

static struct vfs_node **htab;
static size_t hmask;
static size_t hcount;

struct fuse_session *vfs_session;
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

/*
 * kernfs's name hash, as a 64-bit kernel computes it: sysfs lists a
 * directory sorted by it (the readdir order the recordings of test/replay/
 * show, which it reproduces), and programs that
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
int dir_order(struct vfs_dir *d)
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

/* ---- nodes ---- */

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

fuse_ino_t node_ino(const struct vfs_node *n)
{
	if (n == root)
		return FUSE_ROOT_ID;
	return (fuse_ino_t)(uintptr_t)n;
}

/* Called with the lock held, like everything that touches the tree. */
struct vfs_node *ino_node(fuse_ino_t ino)
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
struct vfs_inval *take_invals(void)
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
	if (vfs_session && node->nlookup)
		queue_inval(node);
	dir_del(node->parent->dir, node);
	remove_subtree(node);
}

/* Return @count lookups; a removed node goes once the kernel forgot it. */
void node_forget(struct vfs_node *n, uint64_t count)
{
	if (n == root)
		return;
	n->nlookup = count < n->nlookup ? n->nlookup - count : 0;
	if (!n->nlookup && n->removed)
		node_free(n);
}
