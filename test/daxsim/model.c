// SPDX-License-Identifier: GPL-2.0-or-later
/* Pieces shared by the model: node helpers and sysfs-style parsing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct sim_model sim;

void model_die(const char *fmt, ...)
{
	va_list args;

	fprintf(stderr, "daxsim: ");
	va_start(args, fmt);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fprintf(stderr, "\n");
	exit(2);
}

struct vfs_node *mkattr(struct vfs_node *dir, const char *name, mode_t mode,
			const struct vfs_attr_ops *ops, void *data)
{
	struct vfs_node *node = vfs_mkattr(dir, name, mode, ops, data);

	if (!node)
		model_die("cannot create attribute %s/%s", vfs_name(dir), name);
	return node;
}

struct vfs_node *mkdir_node(struct vfs_node *dir, const char *name, void *data)
{
	struct vfs_node *node = vfs_mkdir(dir, name, 0755, data);

	if (!node)
		model_die("cannot create directory %s/%s", vfs_name(dir), name);
	return node;
}

struct vfs_node *mklink(struct vfs_node *dir, const char *name,
			struct vfs_node *target)
{
	struct vfs_node *node = vfs_mklink(dir, name, target);

	if (!node)
		model_die("cannot create link %s/%s", vfs_name(dir), name);
	return node;
}

static int show_const(struct vfs_node *node, char *buf, size_t len)
{
	return snprintf(buf, len, "%s\n", (const char *)vfs_data(node));
}

static const struct vfs_attr_ops const_ops = { .show = show_const };

struct vfs_node *mkconst(struct vfs_node *dir, const char *name, mode_t mode,
			 const char *text)
{
	char *copy = strdup(text);

	if (!copy)
		model_die("out of memory");
	return mkattr(dir, name, mode, &const_ops, copy);
}

/* The kernel's sysfs_streq: equal, ignoring one trailing newline on each. */
bool sysfs_streq(const char *buf, const char *s)
{
	while (*buf && *buf == *s) {
		buf++;
		s++;
	}
	if (*buf == *s)
		return true;
	if (!*buf && *s == '\n' && !s[1])
		return true;
	if (*buf == '\n' && !buf[1] && !*s)
		return true;
	return false;
}

/*
 * The kernel's kstrtoull: base 0 takes 0x hex and leading-0 octal; one
 * trailing newline is allowed; nothing else. -EINVAL or -ERANGE.
 */
int parse_ull(const char *buf, int base, uint64_t *out)
{
	unsigned long long v = 0;
	const char *s = buf;
	size_t len = strlen(buf);
	int any = 0;

	if (len && buf[len - 1] == '\n')
		len--;
	if (*s == '+') {
		s++;
		len--;
	}
	if (base == 0) {
		if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			base = 16;
			s += 2;
			len -= 2;
		} else if (len >= 1 && s[0] == '0') {
			base = 8;
		} else {
			base = 10;
		}
	} else if (base == 16 && len >= 2 && s[0] == '0' &&
		   (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	for (; len; s++, len--) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -EINVAL;
		if (d >= (unsigned int)base)
			return -EINVAL;
		if (v > (~0ULL - d) / (unsigned int)base)
			return -ERANGE;
		v = v * (unsigned int)base + d;
		any = 1;
	}
	if (!any)
		return -EINVAL;
	*out = v;
	return 0;
}

/* The path of @node below the root, e.g. "sys/bus/dax". Caller frees. */
char *node_path(struct vfs_node *node)
{
	const char *parts[64];
	size_t len = 0, n = 0, i;
	char *path, *p;

	for (; node && vfs_parent(node) && n < 64; node = vfs_parent(node)) {
		parts[n++] = vfs_name(node);
		len += strlen(vfs_name(node)) + 1;
	}
	path = malloc(len + 1);
	if (!path)
		model_die("out of memory");
	p = path;
	for (i = n; i-- > 0;) {
		p += sprintf(p, "%s%s", parts[i], i ? "/" : "");
	}
	*p = '\0';
	return path;
}

void model_init(void)
{
	sim.root = vfs_root();
	sim.sys = mkdir_node(sim.root, "sys", NULL);
	sim.dev_dir = mkdir_node(sim.root, "dev", NULL);
}

int show_node_list(char *buf, size_t len, const bool *set, int nr)
{
	int i, first = -1, n = 0;

	for (i = 0; i <= nr; i++) {
		if (i < nr && set[i]) {
			if (first < 0)
				first = i;
			continue;
		}
		if (first < 0)
			continue;
		n += snprintf(buf + n, len - (size_t)n, "%s%d", n ? "," : "",
			      first);
		if (i - 1 > first)
			n += snprintf(buf + n, len - (size_t)n, "-%d", i - 1);
		first = -1;
	}
	return n + snprintf(buf + n, len - (size_t)n, "\n");
}
