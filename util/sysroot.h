/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef _UTIL_SYSROOT_H_
#define _UTIL_SYSROOT_H_

#include <stdbool.h>
#include <stddef.h>

/*
 * Where the kernel's pseudo filesystems live. This file and sysroot.c are
 * the only places that spell these locations; everything else names them
 * through these constants so that a system root prefix (a captured sysfs
 * dump, a test fixture, an emulator mount) can be put in front of all of
 * them. `make check` greps the tree to keep it that way.
 */
enum sysroot_fs {
	SYSROOT_SYSFS,	/* sysfs */
	SYSROOT_PROCFS,	/* procfs */
	SYSROOT_DEVFS,	/* devtmpfs */
	SYSROOT_RUN,	/* the run-time state directory (a tmpfs) */
};

/*
 * The system root named by the DAXCTL_SYSROOT environment variable, or
 * NULL. Unlike the other environment hooks it is returned in a
 * secure-execution (setuid) context too, for the caller to refuse: a
 * root silently dropped would act on the live system instead. Only the
 * library reads it, as the default root of a new context; programs ask
 * the context (daxctl_get_sysroot()).
 */
const char *sysroot_from_env(void);

/*
 * Whether this process runs in a secure-execution context: set-user-ID,
 * set-group-ID or with file capabilities (AT_SECURE), or with real and
 * effective ids that differ. No other system root than the live one is
 * accepted there.
 */
bool sysroot_secure_execution(void);

/* The mount point of @fs on a live system, e.g. the sysfs mount point. */
const char *sysroot_mountpoint(enum sysroot_fs fs);

/*
 * Normalise a system root given by the user or the environment: NULL, ""
 * and "/" mean the live system (returned as ""), trailing slashes are
 * dropped. Returns a malloc'ed string or NULL on allocation failure.
 */
char *sysroot_normalise(const char *root);

/* Whether @root names the live system: NULL, "" or "/" (slashes only). */
bool sysroot_is_live(const char *root);

/*
 * The root as the library uses it: normalised, and with its own symlinks
 * resolved when it exists (paths handed out are compared with realpath()s).
 * Returns a malloc'ed string or NULL on allocation failure.
 */
char *sysroot_resolve(const char *root);

/*
 * Write "<root><mountpoint of fs>/<rel>" into @buf. @rel may be empty.
 * Returns 0, or -ENAMETOOLONG when it does not fit.
 */
int sysroot_join(char *buf, size_t len, const char *root, enum sysroot_fs fs,
		 const char *rel);

#endif /* _UTIL_SYSROOT_H_ */
