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
#include <unistd.h>

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

/* Returns the length read (newline stripped) or -errno. */
int dax_read_attr(struct daxctl_ctx *ctx, const char *path, char *buf,
		  size_t len)
{
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		dax_dbg(ctx, "open %s: %s\n", path, strerror(-rc));
		return rc;
	}
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
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		dax_dbg(ctx, "open %s: %s\n", path, strerror(-rc));
		return rc;
	}
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
