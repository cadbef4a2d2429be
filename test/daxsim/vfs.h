/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daxsim's file tree: directories, attribute files and symlinks that the
 * FUSE layer serves, built and changed by the kernel model. Attribute files
 * behave like sysfs ones: a read returns what ->show produces at open time
 * (one snapshot per open file), a write hands the whole buffer to ->store,
 * and the mode bits are enforced for root too (a file without a read bit
 * cannot be opened for reading, one without a write bit for writing:
 * EACCES), while other users also get the usual permission checks.
 *
 * The model runs under one global lock, taken by the FUSE layer around
 * every ->show and ->store call and every tree walk; the model itself never
 * locks. Changes to the tree made inside ->store are made visible to the
 * kernel's caches by the FUSE layer after the callback returns.
 */
#ifndef _DAXSIM_VFS_H_
#define _DAXSIM_VFS_H_

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct vfs_node;

struct vfs_attr_ops {
	/*
	 * Write the attribute's content (with its trailing newline) into
	 * @buf of @len bytes; return the length, or -errno (the read fails
	 * with that errno).
	 */
	int (*show)(struct vfs_node *node, char *buf, size_t len);
	/*
	 * Handle a write of @len bytes (not NUL-terminated in the caller's
	 * buffer; the FUSE layer passes a NUL-terminated copy). Return 0 on
	 * success (the whole write is accepted) or -errno.
	 */
	int (*store)(struct vfs_node *node, const char *buf, size_t len);
};

/* The root directory (it plays "/": it holds sys/ and proc/). */
struct vfs_node *vfs_root(void);

/*
 * Create a child of @dir; returns the new node, or NULL if @dir is not a
 * directory or already has a child of that name (a model bug: the caller
 * aborts). @data is the model object the node belongs to.
 */
struct vfs_node *vfs_mkdir(struct vfs_node *dir, const char *name,
			   mode_t mode, void *data);
struct vfs_node *vfs_mkattr(struct vfs_node *dir, const char *name,
			    mode_t mode, const struct vfs_attr_ops *ops,
			    void *data);
/* A symlink whose target is the relative path from @dir to @target. */
struct vfs_node *vfs_mklink(struct vfs_node *dir, const char *name,
			    struct vfs_node *target);
/* A symlink with a literal target, for links to what is not emulated. */
struct vfs_node *vfs_mklink_text(struct vfs_node *dir, const char *name,
				 const char *target);

/* mkdir -p for a '/'-separated path below @dir, mode 0755. */
struct vfs_node *vfs_mkdir_p(struct vfs_node *dir, const char *path);

/*
 * Remove @node and everything below it from the tree. Nodes the kernel
 * still knows answer ENOENT from then on and are freed once forgotten.
 */
void vfs_remove(struct vfs_node *node);

/* The child @name of @dir, or NULL. */
struct vfs_node *vfs_child(struct vfs_node *dir, const char *name);
/* Walk a '/'-separated relative path from @dir (no symlinks followed). */
struct vfs_node *vfs_walk(struct vfs_node *dir, const char *path);

/*
 * For dumping the tree as plain files: the live children of @dir in
 * readdir order (@fn's non-zero return stops the walk and is returned),
 * a node's type and mode bits, a link's target, a file's content.
 */
int vfs_for_each_child(struct vfs_node *dir,
		       int (*fn)(struct vfs_node *child, void *arg), void *arg);
mode_t vfs_mode(struct vfs_node *node);
const char *vfs_link_target(struct vfs_node *node);
int vfs_show(struct vfs_node *node, char *buf, size_t len);

void *vfs_data(struct vfs_node *node);
const char *vfs_name(struct vfs_node *node);
struct vfs_node *vfs_parent(struct vfs_node *node);

/*
 * Start serving the tree on @mountpoint (FUSE options in @argc/@argv, as
 * parsed by fuse_opt) and return when unmounted or on SIGINT/SIGTERM.
 * Returns 0 or 1.
 */
int vfs_serve(const char *mountpoint, bool foreground, bool debug);

/*
 * Called (under the lock) before every ->store: a non-zero return fails the
 * write with that -errno without calling ->store. For injected faults.
 */
void vfs_set_store_hook(int (*hook)(struct vfs_node *node));

/* Serialise the model: the FUSE layer takes it around every callback. */
void vfs_lock(void);
void vfs_unlock(void);

#endif /* _DAXSIM_VFS_H_ */
