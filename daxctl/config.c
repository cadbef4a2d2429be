// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daxctl.conf.d parser. Strict on purpose: daxctl runs at boot as
 * root and changes what memory the kernel uses, so a misspelt key (which
 * would drop a match condition and widen the section) or a value it does
 * not understand is an error that stops everything, never something to
 * skip. The syntax itself is the reference's (daxctl.conf(5), FORMAT):
 * a value ends at a '#' or ';' unless it is quoted, and a boolean is read
 * by its first letter; a value that still means nothing is an error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daxctl/config.h"
#include "util/strings.h"
#include "util/sysroot.h"

/* Far beyond any real configuration; keeps a stray huge file out. */
#define CONFIG_FILE_MAX (1024 * 1024)
#define SECTION_TYPE "reconfigure-device"

static const char * const key_names[CONFIG_NR_KEYS] = {
	[CONFIG_NVDIMM_UUID] = "nvdimm.uuid",
	[CONFIG_REGION_PATH] = "region.path",
	[CONFIG_REGION_ID] = "region.id",
	[CONFIG_DEVICE] = "device",
	[CONFIG_RESOURCE] = "resource",
	[CONFIG_TARGET_NODE] = "target_node",
	[CONFIG_MODE] = "mode",
	[CONFIG_ONLINE] = "online",
	[CONFIG_MOVABLE] = "movable",
	[CONFIG_MEMMAP_ON_MEMORY] = "memmap_on_memory",
};

const char *config_key_name(enum config_key key)
{
	return key < CONFIG_NR_KEYS ? key_names[key] : "?";
}

/* The state of one file being parsed. */
struct parser {
	struct config *cfg;
	const char *file;
	int line;
	struct config_section *section;	/* the one keys go to */
	bool bad_header;		/* the last header was rejected */
	struct opened {
		struct config_section *section;
		int line;
	} *opened;			/* sections opened in this file */
	size_t nr_opened;
};

static void __attribute__((format(printf, 2, 3)))
parse_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	p->cfg->errors++;
	if (!p->cfg->log)
		return;
	fprintf(p->cfg->log, "%s:%d: ", p->file, p->line);
	va_start(ap, fmt);
	vfprintf(p->cfg->log, fmt, ap);
	va_end(ap);
	fputc('\n', p->cfg->log);
}

static void __attribute__((format(printf, 2, 3)))
config_log(struct config *cfg, const char *fmt, ...)
{
	va_list ap;

	if (!cfg->log)
		return;
	va_start(ap, fmt);
	vfprintf(cfg->log, fmt, ap);
	va_end(ap);
	fputc('\n', cfg->log);
}

void config_init(struct config *cfg, FILE *log)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->log = log;
}

void config_release(struct config *cfg)
{
	struct config_section *s, *next;
	size_t i;
	int k;

	for (s = cfg->sections; s; s = next) {
		next = s->next;
		for (k = 0; k < CONFIG_NR_KEYS; k++)
			free(s->values[k].text);
		free(s->name);
		free(s);
	}
	for (i = 0; i < cfg->nr_files; i++)
		free(cfg->files[i]);
	free(cfg->files);
	free(cfg->dir);
	memset(cfg, 0, sizeof(*cfg));
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Trim [*start, *end) of blanks on both sides. */
static void trim(const char **start, const char **end)
{
	while (*start < *end && is_blank(**start))
		(*start)++;
	while (*end > *start && is_blank((*end)[-1]))
		(*end)--;
}

static char *dup_range(const char *start, const char *end)
{
	size_t n = (size_t)(end - start);
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, start, n);
		s[n] = '\0';
	}
	return s;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/*
 * Decimal, or hexadecimal with 0x (parse_u64()), within [@min, @max]; a
 * '-' only when @min is negative.
 */
static bool parse_number(const char *s, long long min, long long max,
			 long long *out)
{
	bool negative = *s == '-' && min < 0;
	unsigned long long v;

	if (parse_u64(negative ? s + 1 : s, 0, &v) < 0)
		return false;
	if (v > (unsigned long long)(negative ? -min : max))
		return false;
	*out = negative ? -(long long)v : (long long)v;
	return true;
}

/*
 * The reference reads a boolean by its first character: t, y or 1 is
 * true, f, n or 0 false, in any case ("yes", "True", "N"). It ignores any
 * other value, which silently leaves the default in place: here "on" and
 * "off" mean what they say and anything else is an error.
 */
static bool parse_flag(const char *s, bool *out)
{
	if (strcasecmp(s, "on") == 0 || strcasecmp(s, "off") == 0) {
		*out = strcasecmp(s, "on") == 0;
		return true;
	}
	switch (*s) {
	case 't':
	case 'T':
	case 'y':
	case 'Y':
	case '1':
		*out = true;
		return true;
	case 'f':
	case 'F':
	case 'n':
	case 'N':
	case '0':
		*out = false;
		return true;
	default:
		return false;
	}
}

/* "dax3.1", or a pattern with a glob character */
static bool device_pattern_valid(const char *s)
{
	int region_id, id;

	return strpbrk(s, "*?[") || parse_dax_devname(s, &region_id, &id);
}

/* Check @text for @key and store what it means in @v. */
static bool parse_value(struct parser *p, enum config_key key,
			struct config_value *v, char *text)
{
	const char *sysfs = sysroot_mountpoint(SYSROOT_SYSFS);
	size_t n = strlen(sysfs);

	switch (key) {
	case CONFIG_NVDIMM_UUID:
		if (uuid_parse(text, v->uuid) == 0)
			return true;
		parse_error(p, "invalid UUID '%s' for nvdimm.uuid", text);
		return false;
	case CONFIG_REGION_PATH:
		/* accept the full sysfs path as well as list's form */
		if (strncmp(text, sysfs, n) == 0 &&
		    strncmp(text + n, "/devices/", 9) == 0)
			memmove(text, text + n + 8, strlen(text + n + 8) + 1);
		if (text[0] == '/' || text[0] == '*')
			return true;
		parse_error(p, "region.path '%s' is not a path as 'daxctl list -R' shows it (starting with '/')",
			    text);
		return false;
	case CONFIG_REGION_ID:
		if (parse_number(text, 0, INT_MAX, &v->number))
			return true;
		parse_error(p, "invalid region.id '%s': expected a region number",
			    text);
		return false;
	case CONFIG_DEVICE:
		if (device_pattern_valid(text))
			return true;
		parse_error(p, "invalid device '%s': expected a name like dax0.0 or a glob pattern",
			    text);
		return false;
	case CONFIG_RESOURCE:
		if (parse_number(text, 0, LLONG_MAX, &v->number))
			return true;
		parse_error(p, "invalid resource '%s': expected a physical address (decimal or 0x hexadecimal)",
			    text);
		return false;
	case CONFIG_TARGET_NODE:
		if (parse_number(text, -1, INT_MAX, &v->number))
			return true;
		parse_error(p, "invalid target_node '%s': expected a NUMA node number or -1",
			    text);
		return false;
	case CONFIG_MODE:
		if (strcasecmp(text, "system-ram") == 0) {
			v->mode = CONFIG_MODE_SYSTEM_RAM;
			return true;
		}
		if (strcasecmp(text, "devdax") == 0) {
			v->mode = CONFIG_MODE_DEVDAX;
			return true;
		}
		parse_error(p, "invalid mode '%s': expected system-ram or devdax",
			    text);
		return false;
	case CONFIG_ONLINE:
	case CONFIG_MOVABLE:
	case CONFIG_MEMMAP_ON_MEMORY:
		if (parse_flag(text, &v->flag))
			return true;
		parse_error(p, "invalid %s '%s': expected true or false (yes/no, on/off, 1/0; read by the first letter)",
			    key_names[key], text);
		return false;
	default:
		return false;
	}
}

static int key_lookup(const char *name)
{
	int k;

	/* the reference's documentation calls it start as well */
	if (strcmp(name, "start") == 0)
		return CONFIG_RESOURCE;
	for (k = 0; k < CONFIG_NR_KEYS; k++)
		if (strcmp(name, key_names[k]) == 0)
			return k;
	return -1;
}

/* The line where this file opened @s before, or 0. */
static int opened_here(struct parser *p, struct config_section *s)
{
	size_t i;

	for (i = 0; i < p->nr_opened; i++)
		if (p->opened[i].section == s)
			return p->opened[i].line;
	return 0;
}

static void parse_header(struct parser *p, const char *start,
			 const char *end)
{
	const char *close = memchr(start, ']', (size_t)(end - start));
	const char *type, *type_end, *name, *name_end, *rest;
	struct config_section *s, **tail;
	struct opened *opened;
	char *type_str;
	int first;

	/*
	 * Later keys must not land in the previous section; when this
	 * header is rejected, its keys are not reported once more.
	 */
	p->section = NULL;
	p->bad_header = true;
	if (!close) {
		parse_error(p, "missing ']' at the end of the section header");
		return;
	}
	for (rest = close + 1; rest < end; rest++) {
		if (!is_blank(*rest)) {
			parse_error(p, "text after the section header's ']'");
			return;
		}
	}
	type = start + 1;
	type_end = close;
	trim(&type, &type_end);
	if (type == type_end) {
		parse_error(p, "empty section header");
		return;
	}
	for (name = type; name < type_end && !is_blank(*name); name++)
		;
	name_end = type_end;
	type_end = name;
	trim(&name, &name_end);
	type_str = dup_range(type, type_end);
	if (!type_str) {
		parse_error(p, "out of memory");
		return;
	}
	lower(type_str);
	if (strcmp(type_str, SECTION_TYPE) != 0) {
		parse_error(p, "unknown section type '%s' (the only one is [%s NAME])",
			    type_str, SECTION_TYPE);
		free(type_str);
		return;
	}
	free(type_str);
	if (name == name_end) {
		parse_error(p, "section [%s] has no name: write [%s NAME]",
			    SECTION_TYPE, SECTION_TYPE);
		return;
	}
	for (rest = name; rest < name_end; rest++) {
		if (is_blank(*rest)) {
			parse_error(p, "section name '%.*s' has blanks in it",
				    (int)(name_end - name), name);
			return;
		}
	}

	for (s = p->cfg->sections; s; s = s->next)
		if (strlen(s->name) == (size_t)(name_end - name) &&
		    memcmp(s->name, name, (size_t)(name_end - name)) == 0)
			break;
	first = s ? opened_here(p, s) : 0;
	if (first) {
		parse_error(p, "section [%s %s] appears twice in this file (first at line %d)",
			    SECTION_TYPE, s->name, first);
		return;
	}
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (s)
			s->name = dup_range(name, name_end);
		if (!s || !s->name) {
			free(s);
			parse_error(p, "out of memory");
			return;
		}
		s->file = p->file;
		s->line = p->line;
		for (tail = &p->cfg->sections; *tail; tail = &(*tail)->next)
			;
		*tail = s;
	}
	opened = realloc(p->opened, (p->nr_opened + 1) * sizeof(*opened));
	if (!opened) {
		parse_error(p, "out of memory");
		return;
	}
	p->opened = opened;
	p->opened[p->nr_opened].section = s;
	p->opened[p->nr_opened++].line = p->line;
	p->section = s;
	p->bad_header = false;
}

/*
 * Narrow [@start, @end) to the value itself. As in the reference, a
 * quoted value ("..." or '...') is what is between the quotes, and an
 * unquoted one ends at the first '#' or ';', which start a comment.
 * Unlike it, text after the closing quote other than a comment, or a
 * quote that is never closed, is an error rather than part of the value.
 */
static bool value_range(struct parser *p, const char **start,
			const char **end)
{
	const char *s = *start, *close, *rest;

	if (s < *end && (*s == '"' || *s == '\'')) {
		close = memchr(s + 1, *s, (size_t)(*end - s - 1));
		if (!close) {
			parse_error(p, "the value's opening %c is never closed",
				    *s);
			return false;
		}
		for (rest = close + 1; rest < *end && is_blank(*rest); rest++)
			;
		if (rest < *end && *rest != '#' && *rest != ';') {
			parse_error(p, "text after the value's closing %c", *s);
			return false;
		}
		*start = s + 1;
		*end = close;
		return true;
	}
	for (rest = s; rest < *end && *rest != '#' && *rest != ';'; rest++)
		;
	*end = rest;
	trim(start, end);
	return true;
}

static void parse_key(struct parser *p, const char *start, const char *end)
{
	const char *eq = memchr(start, '=', (size_t)(end - start));
	const char *kend, *vstart, *vend;
	struct config_value *v, parsed = { 0 };
	char *key, *text;
	int k;

	if (p->bad_header)
		return;
	if (!eq) {
		parse_error(p, "expected a section header, 'key = value' or a comment");
		goto bad_key;
	}
	kend = eq;
	trim(&start, &kend);
	vstart = eq + 1;
	vend = end;
	trim(&vstart, &vend);
	if (start == kend) {
		parse_error(p, "no key before '='");
		goto bad_key;
	}
	key = dup_range(start, kend);
	if (!key) {
		parse_error(p, "out of memory");
		return;
	}
	lower(key);
	k = key_lookup(key);
	if (k < 0) {
		parse_error(p, "unknown key '%s' (known: nvdimm.uuid, region.path, region.id, device, resource, target_node, mode, online, movable, memmap_on_memory)",
			    key);
		goto out;
	}
	if (!p->section) {
		parse_error(p, "'%s' outside of a [%s NAME] section", key,
			    SECTION_TYPE);
		goto out;
	}
	if (!value_range(p, &vstart, &vend))
		goto out;
	if (vstart == vend) {
		parse_error(p, "empty value for '%s'", key);
		goto out;
	}
	text = dup_range(vstart, vend);
	if (!text) {
		parse_error(p, "out of memory");
		goto out;
	}
	if (!parse_value(p, (enum config_key)k, &parsed, text)) {
		free(text);
		goto out;
	}
	v = &p->section->values[k];
	if (v->set)
		config_log(p->cfg, "warning: %s:%d: '%s' of [%s %s] overrides %s:%d",
			   p->file, p->line, key_names[k], SECTION_TYPE,
			   p->section->name, v->file, v->line);
	free(v->text);
	*v = parsed;
	v->set = true;
	v->text = text;
	v->file = p->file;
	v->line = p->line;
	free(key);
	return;
out:
	free(key);
bad_key:
	/* its match keys are incomplete: "no match key" would be noise */
	if (p->section)
		p->section->bad_key = true;
}

/* Keep a copy of @name for the messages that name it later. */
static const char *remember_file(struct config *cfg, const char *name)
{
	char **files = realloc(cfg->files,
			       (cfg->nr_files + 1) * sizeof(*files));

	if (!files)
		return NULL;
	cfg->files = files;
	files[cfg->nr_files] = strdup(name);
	if (!files[cfg->nr_files])
		return NULL;
	return files[cfg->nr_files++];
}

void config_parse_buffer(struct config *cfg, const char *name,
			 const char *buf, size_t len)
{
	struct parser p = { .cfg = cfg };
	const char *pos = buf, *end = buf + len;

	p.file = remember_file(cfg, name);
	if (!p.file) {
		cfg->errors++;
		config_log(cfg, "%s: out of memory", name);
		return;
	}
	if (memchr(buf, '\0', len)) {
		/* the line of the first NUL */
		for (p.line = 1; *pos; pos++)
			if (*pos == '\n')
				p.line++;
		parse_error(&p, "binary data (a NUL byte): not a configuration file");
		return;
	}
	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		const char *lend = nl ? nl : end;
		const char *start = pos, *stop = lend;

		p.line++;
		trim(&start, &stop);
		if (start == stop || *start == '#' || *start == ';')
			;
		else if (*start == '[')
			parse_header(&p, start, stop);
		else
			parse_key(&p, start, stop);
		pos = nl ? nl + 1 : end;
	}
	free(p.opened);
}

int config_check(struct config *cfg)
{
	struct config_section *s;
	int errors = 0, k;

	for (s = cfg->sections; s; s = s->next) {
		bool devdax = s->values[CONFIG_MODE].set &&
			      s->values[CONFIG_MODE].mode == CONFIG_MODE_DEVDAX;

		for (k = 0; k < CONFIG_NR_MATCH_KEYS; k++)
			if (s->values[k].set)
				break;
		if (k == CONFIG_NR_MATCH_KEYS && !s->bad_key) {
			config_log(cfg, "%s:%d: [%s %s] has no match key (nvdimm.uuid, region.path, region.id, device, resource, target_node): it would match every device",
				   s->file, s->line, SECTION_TYPE, s->name);
			errors++;
		}
		for (k = CONFIG_ONLINE; devdax && k <= CONFIG_MEMMAP_ON_MEMORY; k++) {
			if (!s->values[k].set)
				continue;
			config_log(cfg, "%s:%d: '%s' is only for mode = system-ram, and [%s %s] has mode = devdax",
				   s->values[k].file, s->values[k].line,
				   key_names[k], SECTION_TYPE, s->name);
			errors++;
		}
	}
	cfg->errors += errors;
	return errors ? -EINVAL : 0;
}

static int read_file(struct config *cfg, const char *path)
{
	struct stat st;
	char *buf;
	ssize_t n = 0;
	size_t len = 0;
	int fd, rc = 0;

	/* never blocks: a FIFO put there since the scan is refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		config_log(cfg, "%s: cannot read: %s", path, strerror(-rc));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		/* the directory scan saw a regular file: it was replaced */
		rc = -EINVAL;
		config_log(cfg, "%s: %s, not a regular file: not a configuration file",
			   path, file_type_name(st.st_mode));
		goto fail;
	}
	if (st.st_size > CONFIG_FILE_MAX) {
		rc = -EFBIG;
		config_log(cfg, "%s: too large for a configuration file (%lld bytes)",
			   path, (long long)st.st_size);
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = -ENOMEM;
		goto fail;
	}
	while (len < (size_t)st.st_size + 1) {
		n = read(fd, buf + len, (size_t)st.st_size + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (n < 0 || len > (size_t)st.st_size) {
		rc = n < 0 ? -errno : -EFBIG;
		config_log(cfg, "%s: cannot read: %s", path,
			   n < 0 ? strerror(-rc) : "it grew while read");
		free(buf);
		goto fail;
	}
	close(fd);
	config_parse_buffer(cfg, path, buf, len);
	free(buf);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	cfg->errors++;
	return rc;
}

static int conf_name_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	       strcmp(d->d_name + n - 5, ".conf") == 0;
}

/* byte order, not the locale's: the same order on every system */
static int conf_name_compare(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int config_load_dir(struct config *cfg, const char *dir)
{
	struct dirent **names = NULL;
	char path[PATH_MAX];
	struct stat st;
	int n, i, rc = 0;

	free(cfg->dir);
	cfg->dir = strdup(dir);
	if (!cfg->dir)
		return -ENOMEM;
	n = scandir(dir, &names, conf_name_filter, conf_name_compare);
	if (n < 0) {
		if (errno == ENOENT)
			return 0;
		rc = -errno;
		config_log(cfg, "%s: cannot read the directory: %s", dir,
			   strerror(-rc));
		cfg->errors++;
		return rc;
	}
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     names[i]->d_name) >= sizeof(path)) {
			config_log(cfg, "%s/%s: path too long", dir,
				   names[i]->d_name);
			cfg->errors++;
			continue;
		}
		/*
		 * A link is followed. Whatever else is named *.conf is an
		 * error, not something to skip: a directory or FIFO left
		 * there would otherwise drop a configuration silently.
		 */
		if (stat(path, &st) < 0) {
			config_log(cfg, "%s: %s", path, strerror(errno));
			cfg->errors++;
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			config_log(cfg, "%s: %s, not a regular file: not a configuration file",
				   path, file_type_name(st.st_mode));
			cfg->errors++;
			continue;
		}
		read_file(cfg, path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (config_check(cfg) < 0 || cfg->errors)
		return rc ? rc : -EINVAL;
	return 0;
}
