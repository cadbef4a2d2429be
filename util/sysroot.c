// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "util/sysroot.h"

static const char *const mountpoints[] = {
	[SYSROOT_SYSFS] = "/sys",
	[SYSROOT_PROCFS] = "/proc",
	[SYSROOT_DEVFS] = "/dev",
	[SYSROOT_RUN] = "/run",
};

const char *sysroot_from_env(void)
{
	/* read even when secure: the caller refuses it rather than drop it */
	return getenv("DAXCTL_SYSROOT");
}

bool sysroot_secure_execution(void)
{
	/* AT_SECURE also covers file capabilities and LSM transitions */
	if (getauxval(AT_SECURE))
		return true;
	return getuid() != geteuid() || getgid() != getegid();
}

const char *sysroot_mountpoint(enum sysroot_fs fs)
{
	return mountpoints[fs];
}

char *sysroot_normalise(const char *root)
{
	size_t len;
	char *copy;

	if (!root)
		root = "";
	len = strlen(root);
	while (len && root[len - 1] == '/')
		len--;
	copy = malloc(len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, root, len);
	copy[len] = '\0';
	return copy;
}

bool sysroot_is_live(const char *root)
{
	if (root)
		root += strspn(root, "/");
	return !root || !*root;
}

char *sysroot_resolve(const char *root)
{
	char *real, *norm;

	if (!root || !*root)
		return sysroot_normalise(root);
	real = realpath(root, NULL);
	if (!real)
		return sysroot_normalise(root);
	norm = sysroot_normalise(real);
	free(real);
	return norm;
}

int sysroot_join(char *buf, size_t len, const char *root, enum sysroot_fs fs,
		 const char *rel)
{
	int n;

	if (rel && *rel)
		n = snprintf(buf, len, "%s%s/%s", root, mountpoints[fs], rel);
	else
		n = snprintf(buf, len, "%s%s", root, mountpoints[fs]);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}
