// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Option parser for the daxctl commands; the rules are described in
 * parse-options.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daxctl/parse-options.h"

/* Layout of the option table in the usage, as scripts and docs show it. */
#define USAGE_INDENT	"    "
#define USAGE_HELP_COL	26
#define USAGE_GAP	2

/*
 * The only state outside a parse: set by the front end for the duration of
 * an explicit help request (see parse_options_set_help_stdout()).
 */
static bool help_on_stdout;

struct parser {
	int argc;
	const char **argv;
	int next;			/* index of the next unread argument */
	const struct option *options;
	const char * const *usage;
};

/*
 * A long option as it can be written on the command line: @prefix ("" or
 * "no-") followed by @name, which is the option's long name or, for a
 * "no-" option negated by dropping it, the rest of that name.
 */
struct spelling {
	const struct option *opt;
	const char *prefix;
	const char *name;
	bool unset;
};

enum match_kind {
	MATCH_NONE,
	MATCH_PREFIX,
	MATCH_EXACT,
};

void parse_options_set_help_stdout(bool on)
{
	help_on_stdout = on;
}

static bool takes_value(const struct option *opt)
{
	switch (opt->type) {
	case OPTION_STRING:
	case OPTION_INTEGER:
		return true;
	case OPTION_CALLBACK:
		return opt->argh != NULL;
	default:
		return false;
	}
}

static bool is_option(const struct option *opt)
{
	return opt->type != OPTION_END && opt->type != OPTION_GROUP;
}

static void print_header(FILE *fp, const char * const *usage)
{
	fprintf(fp, "\n usage: %s\n", usage[0]);
	for (usage++; *usage; usage++)
		fprintf(fp, "    or: %s\n", *usage);
	fputc('\n', fp);
}

static void print_option(FILE *fp, const struct option *opt)
{
	int len = 0;

	len += fprintf(fp, USAGE_INDENT);
	if (opt->short_name)
		len += fprintf(fp, "-%c", opt->short_name);
	if (opt->short_name && opt->long_name)
		len += fprintf(fp, ", ");
	else if (opt->long_name)
		/* keep the long names of all options in one column */
		len += fprintf(fp, "    ");
	if (opt->long_name)
		len += fprintf(fp, "--%s", opt->long_name);
	if (takes_value(opt))
		len += fprintf(fp, " <%s>", opt->argh ? opt->argh : "value");

	if (!opt->help || !*opt->help) {
		fputc('\n', fp);
		return;
	}
	if (len + USAGE_GAP > USAGE_HELP_COL) {
		fputc('\n', fp);
		len = 0;
	}
	fprintf(fp, "%*s%s\n", USAGE_HELP_COL - len, "", opt->help);
}

void parse_options_usage(FILE *fp, const char * const usage[],
			 const struct option *options, bool show_hidden)
{
	const struct option *opt;

	print_header(fp, usage);
	for (opt = options; opt->type != OPTION_END; opt++) {
		if (opt->type == OPTION_GROUP) {
			fprintf(fp, "\n%s\n", opt->help ? opt->help : "");
			continue;
		}
		if ((opt->flags & PARSE_OPT_HIDDEN) && !show_hidden)
			continue;
		print_option(fp, opt);
	}
	fputc('\n', fp);
}

void usage_with_options(const char * const usage[],
			const struct option *options)
{
	parse_options_usage(stderr, usage, options, false);
	exit(PARSE_OPT_EXIT_USAGE);
}

void usage_unknown_params(int argc, const char **argv,
			  const char * const usage[],
			  const struct option *options)
{
	int i;

	if (argc <= 0)
		return;
	for (i = 0; i < argc; i++)
		fprintf(stderr, "  Error: unknown parameter \"%s\"\n\n", argv[i]);
	usage_with_options(usage, options);
}

/*
 * Report a usage error: the message, then the synopsis followed by the
 * lines of the options concerned (@a, @b; either may be NULL) so the user
 * sees what was expected, or by the whole table when no option is
 * concerned. Exits 129.
 */
static void __attribute__((noreturn, format(printf, 4, 5)))
fail(const struct parser *p, const struct option *a, const struct option *b,
     const char *fmt, ...)
{
	va_list ap;

	fputs("  Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);

	if (!a && !b)
		usage_with_options(p->usage, p->options);
	print_header(stderr, p->usage);
	if (a)
		print_option(stderr, a);
	if (b)
		print_option(stderr, b);
	exit(PARSE_OPT_EXIT_USAGE);
}

static void __attribute__((noreturn)) show_help(const struct parser *p,
						bool show_hidden)
{
	FILE *fp = help_on_stdout ? stdout : stderr;

	parse_options_usage(fp, p->usage, p->options, show_hidden);
	exit(help_on_stdout ? 0 : PARSE_OPT_EXIT_USAGE);
}

/* Feeds the shell completion, which splits on blanks: keep the format. */
static void __attribute__((noreturn)) list_opts(const struct parser *p)
{
	const struct option *opt;

	for (opt = p->options; opt->type != OPTION_END; opt++) {
		if (!is_option(opt) || !opt->long_name)
			continue;
		if (opt->flags & PARSE_OPT_HIDDEN)
			continue;
		printf("--%s ", opt->long_name);
	}
	exit(PARSE_OPT_EXIT_LIST_OPTS);
}

static const struct option *find_long_name(const struct option *options,
					   const char *name)
{
	const struct option *opt;

	for (opt = options; opt->type != OPTION_END; opt++)
		if (is_option(opt) && opt->long_name &&
		    !strcmp(opt->long_name, name))
			return opt;
	return NULL;
}

static const struct option *find_short(const struct option *options, int c)
{
	const struct option *opt;

	for (opt = options; opt->type != OPTION_END; opt++)
		if (is_option(opt) && opt->short_name == c)
			return opt;
	return NULL;
}

/* How the first @len characters of @key relate to @prefix + @name. */
static enum match_kind match_spelling(const char *key, size_t len,
				      const char *prefix, const char *name)
{
	size_t plen = strlen(prefix);
	size_t nlen = strlen(name);

	if (len > plen + nlen)
		return MATCH_NONE;
	if (len <= plen)
		return strncmp(key, prefix, len) ? MATCH_NONE : MATCH_PREFIX;
	if (strncmp(key, prefix, plen) || strncmp(key + plen, name, len - plen))
		return MATCH_NONE;
	return len == plen + nlen ? MATCH_EXACT : MATCH_PREFIX;
}

/*
 * Fill @out with the ways @opt can be written, in the order they are
 * tried; returns how many.
 */
static int spellings_of(const struct option *opt, struct spelling out[3])
{
	int n = 0;

	out[n++] = (struct spelling){ opt, "", opt->long_name, false };
	if (opt->flags & PARSE_OPT_NONEG)
		return n;
	out[n++] = (struct spelling){ opt, "no-", opt->long_name, true };
	if (!strncmp(opt->long_name, "no-", 3))
		out[n++] = (struct spelling){ opt, "", opt->long_name + 3, true };
	return n;
}

/*
 * Resolve the first @len characters of @key to one spelling of one option.
 * An exact spelling wins at once. Otherwise the key must be a prefix of
 * the spellings of exactly one option; with several, -EINVAL is returned
 * with the last two candidates in @found and @other (what the error
 * message names). -ENOENT when nothing matches.
 */
static int find_long(const struct option *options, const char *key,
		     size_t len, struct spelling *found, struct spelling *other)
{
	const struct option *opt;
	bool have = false, ambiguous = false;

	for (opt = options; opt->type != OPTION_END; opt++) {
		struct spelling sp[3];
		int i, n;

		if (!is_option(opt) || !opt->long_name)
			continue;
		n = spellings_of(opt, sp);
		for (i = 0; i < n; i++) {
			if (match_spelling(key, len, sp[i].prefix,
					   sp[i].name) == MATCH_EXACT) {
				*found = sp[i];
				return 0;
			}
		}
		for (i = 0; i < n; i++) {
			if (match_spelling(key, len, sp[i].prefix,
					   sp[i].name) != MATCH_PREFIX)
				continue;
			/* one candidate per option, its first spelling */
			if (have) {
				*other = *found;
				ambiguous = true;
			}
			*found = sp[i];
			have = true;
			break;
		}
	}
	if (!have)
		return -ENOENT;
	return ambiguous ? -EINVAL : 0;
}

static int parse_int_value(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < INT_MIN || v > INT_MAX)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/*
 * Store the effect of one option occurrence. @kind ("switch"/"option"),
 * @prefix and @name only serve the error messages.
 */
static void set_value(const struct parser *p, const struct option *opt,
		      bool unset, const char *arg, const char *kind,
		      const char *prefix, const char *name)
{
	int *ival = opt->value;

	switch (opt->type) {
	case OPTION_BOOLEAN:
		*ival = unset ? 0 : 1;
		return;
	case OPTION_COUNT:
		*ival = unset ? 0 : *ival + 1;
		return;
	case OPTION_STRING:
		*(const char **)opt->value = unset ? NULL : arg;
		return;
	case OPTION_INTEGER:
		if (unset) {
			*ival = 0;
			return;
		}
		if (parse_int_value(arg, ival) < 0)
			fail(p, opt, NULL, "%s `%s%s' expects a numerical value",
			     kind, prefix, name);
		return;
	case OPTION_CALLBACK:
		if (opt->callback(opt, unset ? NULL : arg, unset)) {
			print_header(stderr, p->usage);
			print_option(stderr, opt);
			exit(PARSE_OPT_EXIT_USAGE);
		}
		return;
	default:
		return;
	}
}

static const char *next_arg(struct parser *p)
{
	if (p->next >= p->argc)
		return NULL;
	return p->argv[p->next++];
}

/* @arg: the argument without its leading "--", maybe with "=value". */
static void parse_long(struct parser *p, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	struct spelling sp, other;
	const char *value;
	int rc;

	/* built-ins, exact names only, unless the command took the name */
	if (!strcmp(arg, "help") && !find_long_name(p->options, "help"))
		show_help(p, false);
	if (!strcmp(arg, "help-all") && !find_long_name(p->options, "help-all"))
		show_help(p, true);
	if (!strcmp(arg, "list-opts") &&
	    !find_long_name(p->options, "list-opts"))
		list_opts(p);

	rc = find_long(p->options, arg, len, &sp, &other);
	if (rc == -ENOENT)
		fail(p, NULL, NULL, "unknown option `%s'", arg);
	if (rc == -EINVAL)
		fail(p, other.opt, sp.opt,
		     "Ambiguous option: %s (could be --%s%s or --%s%s)", arg,
		     other.prefix, other.name, sp.prefix, sp.name);

	if (sp.unset || !takes_value(sp.opt)) {
		if (eq)
			fail(p, sp.opt, NULL, "option `%s%s' takes no value",
			     sp.prefix, sp.name);
		value = NULL;
	} else if (eq) {
		value = eq + 1;
	} else {
		value = next_arg(p);
		if (!value)
			fail(p, sp.opt, NULL, "option `%s%s' requires a value",
			     sp.prefix, sp.name);
	}
	set_value(p, sp.opt, sp.unset, value, "option", sp.prefix, sp.name);
}

/* @arg: a cluster of switches without its leading "-", e.g. "RDr0". */
static void parse_short(struct parser *p, const char *arg)
{
	for (; *arg; arg++) {
		const struct option *opt = find_short(p->options, *arg);
		char name[2] = { *arg, '\0' };
		const char *value;

		if (!opt && *arg == 'h')
			show_help(p, false);
		if (!opt)
			fail(p, NULL, NULL, "unknown switch `%c'", *arg);
		if (!takes_value(opt)) {
			set_value(p, opt, false, NULL, "switch", "", name);
			continue;
		}
		/* the rest of the cluster, else the next argument */
		value = arg[1] ? arg + 1 : next_arg(p);
		if (!value)
			fail(p, opt, NULL, "switch `%c' requires a value", *arg);
		set_value(p, opt, false, value, "switch", "", name);
		return;
	}
}

int parse_options(int argc, const char **argv, const struct option *options,
		  const char * const usage[], int flags)
{
	struct parser p = {
		.argc = argc,
		.argv = argv,
		.next = 1,
		.options = options,
		.usage = usage,
	};
	int nparams = 0;

	/*
	 * Positional arguments are compacted to the front of argv as they
	 * are met; the write index never passes the read index.
	 */
	while (p.next < argc) {
		const char *arg = argv[p.next];

		if (arg[0] != '-' || !arg[1]) {
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION)
				break;
			argv[nparams++] = arg;
			p.next++;
			continue;
		}
		p.next++;
		if (!strcmp(arg, "--"))
			break;
		if (arg[1] == '-')
			parse_long(&p, arg + 2);
		else
			parse_short(&p, arg + 1);
	}
	while (p.next < argc)
		argv[nparams++] = argv[p.next++];
	argv[nparams] = NULL;
	return nparams;
}
