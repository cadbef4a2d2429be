/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The insides of daxsim's file tree (tree.c), shared with the FUSE server
 * that serves it (fuse.c) and with nothing else: the model uses vfs.h.
 * Everything here is used under vfs_lock().
 */
#ifndef _DAXSIM_TREE_H_
#define _DAXSIM_TREE_H_

#include <fuse_lowlevel.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "vfs.h"

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

/* A dentry to invalidate, queued under vfs_lock and sent after it. */
struct vfs_inval {
	struct vfs_inval *next;
	fuse_ino_t parent;
	size_t len;
	char name[];
};

/* Every node's atime, mtime and ctime: when the tree was created. */
extern struct timespec vfs_time;
/* Set while serving; removals before that have nobody to tell. */
extern struct fuse_session *vfs_session;

static inline bool is_dir(const struct vfs_node *n)
{
	return S_ISDIR(n->mode);
}

/* For the FUSE server: see their definitions in tree.c. */
fuse_ino_t node_ino(const struct vfs_node *n);
struct vfs_node *ino_node(fuse_ino_t ino);
struct vfs_inval *take_invals(void);
void node_forget(struct vfs_node *n, uint64_t count);
int dir_order(struct vfs_dir *d);

#endif /* _DAXSIM_TREE_H_ */
