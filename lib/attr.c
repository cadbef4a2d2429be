// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * File access: building root-prefixed paths, reading and writing sysfs
 * attributes, and resolving sysfs symlinks without leaving the system root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(SYS_openat2) && defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define HAVE_OPENAT2 1
#endif
#endif

#include <linux/magic.h>

#include "libdaxctl-private.h"
#include "util/strings.h"

int dax_sys_path(struct daxctl_ctx *ctx, char *buf, size_t len,
		 const char *fmt, ...)
{
	char rel[DAX_PATH_MAX];
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(rel, sizeof(rel), fmt, args);
	va_end(args);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return -ENAMETOOLONG;
	return sysroot_join(buf, len, ctx->root, SYSROOT_SYSFS, rel);
}

int dax_proc_path(struct daxctl_ctx *ctx, char *buf, size_t len,
		  const char *rel)
{
	return sysroot_join(buf, len, ctx->root, SYSROOT_PROCFS, rel);
}

int dax_attr_path(char *buf, size_t len, const char *dir, const char *attr)
{
	int n = snprintf(buf, len, "%s/%s", dir, attr);

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* ctx->root_fd when openat2() is missing: use open_checked() */
#define ROOT_FD_NO_OPENAT2 (-2)

void dax_close_root(struct daxctl_ctx *ctx)
{
	if (ctx->root_fd >= 0)
		close(ctx->root_fd);
	ctx->root_fd = -1;
}

/* @path without the system root and the slashes after it, or NULL. */
static const char *below_root(struct daxctl_ctx *ctx, const char *path)
{
	size_t n = strlen(ctx->root);

	if (strncmp(path, ctx->root, n) != 0 || path[n] != '/')
		return NULL;
	while (path[n] == '/')
		n++;
	return path + n;
}

/*
 * Open @rel below the root's directory descriptor, refusing (EXDEV) any
 * resolution that leaves it: a ".." above the root, an absolute symlink,
 * a magic link. Sysfs links are relative and stay inside sysfs, so a copy
 * of a real tree is unaffected. -ENOSYS when the kernel has no openat2().
 */
static int open_beneath(struct daxctl_ctx *ctx, const char *rel, int flags)
{
#ifdef HAVE_OPENAT2
	struct open_how how = {
		.flags = (unsigned long long)flags,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	int tries = 3;
	long fd;

	if (ctx->root_fd == ROOT_FD_NO_OPENAT2)
		return -ENOSYS;
	if (ctx->root_fd < 0) {
		ctx->root_fd = open(ctx->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (ctx->root_fd < 0)
			return -errno;
	}
	do
		fd = syscall(SYS_openat2, ctx->root_fd, rel, &how, sizeof(how));
	/* a rename elsewhere in the tree made ".." unverifiable: retry */
	while (fd < 0 && errno == EAGAIN && --tries);
	if (fd >= 0)
		return (int)fd;
	if (errno == ENOSYS) {
		dax_close_root(ctx);
		ctx->root_fd = ROOT_FD_NO_OPENAT2;
	}
	return -errno;
#else
	(void)ctx;
	(void)rel;
	(void)flags;
	return -ENOSYS;
#endif
}

/*
 * Without openat2(): open, then check where the descriptor really leads
 * (its /proc link, or the path's realpath() without procfs) before any
 * byte is read or written.
 */
static int open_checked(struct daxctl_ctx *ctx, const char *path, int flags)
{
	char link[64], buf[DAX_PATH_MAX], *real = buf, *resolved = NULL;
	size_t n = strlen(ctx->root);
	bool inside;
	ssize_t len;
	int fd, rc;

	fd = open(path, flags);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "%s/self/fd/%d",
		 sysroot_mountpoint(SYSROOT_PROCFS), fd);
	len = readlink(link, buf, sizeof(buf) - 1);
	if (len >= 0) {
		buf[len] = '\0';
	} else {
		resolved = realpath(path, NULL);
		if (!resolved) {
			rc = -errno;
			close(fd);
			return rc;
		}
		real = resolved;
	}
	inside = strncmp(real, ctx->root, n) == 0 && real[n] == '/';
	free(resolved);
	if (!inside) {
		close(fd);
		return -EXDEV;
	}
	return fd;
}

/*
 * Whether @path is in the live system's sysfs, checked to be sysfs (once
 * per context). Sysfs (kernfs) can hold no FIFO, device or socket: each
 * file it has is a regular attribute, so its opens need no fstat().
 */
static bool in_live_sysfs(struct daxctl_ctx *ctx, const char *path)
{
	const char *sysfs = sysroot_mountpoint(SYSROOT_SYSFS);
	size_t n = strlen(sysfs);
	struct statfs sfs;

	if (*ctx->root || strncmp(path, sysfs, n) != 0 || path[n] != '/')
		return false;
	if (!ctx->live_sysfs)
		ctx->live_sysfs = statfs(sysfs, &sfs) == 0 &&
				  sfs.f_type == SYSFS_MAGIC ? 1 : -1;
	return ctx->live_sysfs > 0;
}

/*
 * Open a file of the system root for one read or write. A crafted tree
 * must not hang the library or redirect it: the open never blocks (a
 * FIFO would wait for a writer for ever), whatever is not a regular file
 * is refused, and below a system root other than the live one the path
 * may not resolve outside that root. On the live system the root is "/",
 * which nothing can leave, so a plain open() is enough there, and what is
 * opened in its sysfs is known to be regular.
 * Returns the descriptor or -errno; refusals are logged with the path.
 */
int dax_open_file(struct daxctl_ctx *ctx, const char *path, int flags)
{
	const char *rel;
	struct stat st;
	int fd;

	flags |= O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	if (!*ctx->root) {
		fd = open(path, flags);
		if (fd < 0)
			fd = -errno;
	} else if ((rel = below_root(ctx, path))) {
		fd = open_beneath(ctx, rel, flags);
		/* no openat2(), or a seccomp filter that refuses it */
		if (fd == -ENOSYS || fd == -EPERM)
			fd = open_checked(ctx, path, flags);
	} else {
		fd = -EXDEV;
	}
	if (fd == -ENXIO) {
		/* what O_NONBLOCK makes of a FIFO without a reader */
		dax_err(ctx, "%s: a FIFO or device, not a regular file: refused\n",
			path);
		return -EINVAL;
	}
	if (fd == -EXDEV) {
		dax_err(ctx, "%s: resolves outside the system root %s: refused\n",
			path, ctx->root);
		return -EXDEV;
	}
	if (fd < 0) {
		dax_dbg(ctx, "open %s: %s\n", path, strerror(-fd));
		return fd;
	}
	if (in_live_sysfs(ctx, path))
		return fd;
	if (fstat(fd, &st) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		dax_err(ctx, "%s: %s, not a regular file: refused\n", path,
			file_type_name(st.st_mode));
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/* Returns the length read (newline stripped) or -errno. */
int dax_read_attr(struct daxctl_ctx *ctx, const char *path, char *buf,
		  size_t len)
{
	ssize_t n;
	int fd, rc;

	fd = dax_open_file(ctx, path, O_RDONLY);
	if (fd < 0)
		return fd;
	n = read(fd, buf, len - 1);
	rc = -errno;
	close(fd);
	if (n < 0) {
		dax_dbg(ctx, "read %s: %s\n", path, strerror(-rc));
		return rc;
	}
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return (int)n;
}

int dax_read_u64(struct daxctl_ctx *ctx, const char *dir, const char *attr,
		 int base, unsigned long long *out)
{
	char path[DAX_PATH_MAX], buf[DAX_ATTR_MAX];
	int rc;

	rc = dax_attr_path(path, sizeof(path), dir, attr);
	if (rc)
		return rc;
	rc = dax_read_attr(ctx, path, buf, sizeof(buf));
	if (rc < 0)
		return rc;
	rc = parse_u64(buf, base, out);
	if (rc)
		dax_err(ctx, "%s: unexpected value '%s'\n", path, buf);
	return rc;
}

int dax_write_attr(struct daxctl_ctx *ctx, const char *path,
		   const char *value)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd, rc;

	if (ctx->dry_run) {
		size_t rootlen = strlen(ctx->root);

		/* report the path as it is on the live system */
		if (rootlen && strncmp(path, ctx->root, rootlen) == 0)
			path += rootlen;
		dax_dbg(ctx, "dry run: write '%s' to %s\n", value, path);
		if (ctx->dry_run_report)
			ctx->dry_run_report(ctx, path, value);
		return 0;
	}
	fd = dax_open_file(ctx, path, O_WRONLY);
	if (fd < 0)
		return fd;
	n = write(fd, value, len);
	rc = n < 0 ? -errno : 0;
	/* sysfs reports some refusals only when the write is flushed */
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && (size_t)n != len)
		rc = -EIO;
	if (rc)
		dax_dbg(ctx, "write '%s' to %s: %s\n", value, path,
			strerror(-rc));
	return rc;
}

/* Basename of a symlink's target, e.g. the driver name from DEV/driver. */
int dax_readlink_basename(const char *path, char *buf, size_t len)
{
	char target[DAX_PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

/* Drop "." and "a/.." components of an absolute path, in place. */
static void normalise_path(char *path)
{
	char *out = path, *in = path;

	while (*in) {
		char *end;
		size_t n;

		while (*in == '/')
			in++;
		if (!*in)
			break;
		end = strchr(in, '/');
		n = end ? (size_t)(end - in) : strlen(in);
		if (n == 1 && in[0] == '.') {
			/* skip */
		} else if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/*
 * Resolve the symlink @dir/@name to an absolute, root-prefixed path. Sysfs
 * links are relative and stay inside sysfs; one that would leave the
 * system root's sysfs is refused so that a crafted tree cannot redirect
 * the library elsewhere. Returns a malloc'ed path or NULL (errno set).
 */
char *dax_resolve_link(struct daxctl_ctx *ctx, const char *dir,
		       const char *name)
{
	char link[DAX_PATH_MAX], target[DAX_PATH_MAX], sysfs[DAX_PATH_MAX];
	char *full;
	ssize_t n;
	size_t len;

	if (dax_attr_path(link, sizeof(link), dir, name))
		goto toolong;
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return NULL;
	target[n] = '\0';
	if (target[0] == '/')
		/* absolute links are taken as relative to the system root */
		n = asprintf(&full, "%s%s", ctx->root, target);
	else
		n = asprintf(&full, "%s/%s", dir, target);
	if (n < 0)
		return NULL;
	/* normalise only below the root so ".." cannot climb above it */
	len = strlen(ctx->root);
	normalise_path(full + len);
	if (sysroot_join(sysfs, sizeof(sysfs), ctx->root, SYSROOT_SYSFS, "")) {
		free(full);
		goto toolong;
	}
	n = (ssize_t)strlen(sysfs);
	if (strncmp(full, sysfs, (size_t)n) != 0 || full[n] != '/') {
		free(full);
		goto escape;
	}
	return full;
toolong:
	errno = ENAMETOOLONG;
	return NULL;
escape:
	dax_err(ctx, "%s: link leaves sysfs, ignored\n", link);
	errno = EXDEV;
	return NULL;
}
