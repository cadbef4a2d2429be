/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Command-line option parsing for daxctl commands.
 *
 * The rules are the ones daxctl users and scripts already rely on, which
 * getopt_long() cannot express:
 *
 *  - short options bundle (-RDu), take their value glued (-r0) or as the
 *    next argument (-r 0);
 *  - long options take --opt=value or --opt value and may be abbreviated
 *    to any unambiguous prefix; an exact name always wins over a prefix;
 *  - every option can be negated with --no-<name> (booleans reset to 0,
 *    counters to 0, strings to NULL) unless it has PARSE_OPT_NONEG; an
 *    option whose name starts with "no-" can also be negated by dropping
 *    that prefix (--online for --no-online);
 *  - options and positional arguments interleave; "--" ends the options;
 *    "-" alone is a positional argument;
 *  - -h / --help print the usage (stderr, exit 129), --help-all also shows
 *    hidden options, --list-opts prints the long options for the shell
 *    completion (stdout, exit 130);
 *  - any usage error prints "  Error: ..." and the usage on stderr and
 *    exits 129.
 *
 * Option tables are arrays of struct option terminated by OPT_END(), built
 * with the OPT_*() macros below, which also check the type of the value
 * pointer at compile time.
 */
#ifndef _DAXCTL_PARSE_OPTIONS_H_
#define _DAXCTL_PARSE_OPTIONS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes of the usage paths, part of daxctl's interface. */
#define PARSE_OPT_EXIT_USAGE		129
#define PARSE_OPT_EXIT_LIST_OPTS	130

enum parse_opt_type {
	OPTION_END,
	OPTION_GROUP,		/* a heading in the usage, matches nothing */
	OPTION_BOOLEAN,		/* int: 1, or 0 when negated */
	OPTION_COUNT,		/* int: +1 per use (-vv), 0 when negated */
	OPTION_STRING,		/* const char *: the argument, NULL when negated */
	OPTION_INTEGER,		/* int: a decimal argument, 0 when negated */
	OPTION_CALLBACK,	/* calls ->callback; takes a value iff ->argh */
};

/* struct option .flags */
enum parse_opt_option_flags {
	PARSE_OPT_HIDDEN = 1 << 0,	/* usage shows it only with --help-all */
	PARSE_OPT_NONEG = 1 << 1,	/* no --no-<name> form */
};

/* parse_options() @flags */
enum parse_opt_flags {
	/* stop at the first positional argument, leaving it and the rest */
	PARSE_OPT_STOP_AT_NON_OPTION = 1 << 0,
};

struct option {
	enum parse_opt_type type;
	int short_name;			/* 0: none */
	const char *long_name;		/* NULL: none */
	void *value;
	const char *argh;		/* the value's name in the usage */
	const char *help;
	int flags;			/* PARSE_OPT_HIDDEN, PARSE_OPT_NONEG */
	/*
	 * OPTION_CALLBACK: @arg is the value (NULL for an option without
	 * one, or when @unset by --no-<name>). Return 0, or non-zero after
	 * printing an "  Error: ..." line to make the parser show the usage
	 * of this option and exit 129.
	 */
	int (*callback)(const struct option *opt, const char *arg, bool unset);
};

/* Evaluates to @v, warning at compile time unless it has type @type. */
#define PARSE_OPT_CHECK_TYPE(v, type) (1 ? (v) : (type)NULL)

#define OPT_END() { .type = OPTION_END }
#define OPT_GROUP(h) { .type = OPTION_GROUP, .help = (h) }

#define OPT_BOOLEAN_F(s, l, v, h, f) \
	{ .type = OPTION_BOOLEAN, .short_name = (s), .long_name = (l), \
	  .value = PARSE_OPT_CHECK_TYPE(v, int *), .help = (h), .flags = (f) }
#define OPT_BOOLEAN(s, l, v, h) OPT_BOOLEAN_F(s, l, v, h, 0)

#define OPT_COUNT_F(s, l, v, h, f) \
	{ .type = OPTION_COUNT, .short_name = (s), .long_name = (l), \
	  .value = PARSE_OPT_CHECK_TYPE(v, int *), .help = (h), .flags = (f) }
#define OPT_COUNT(s, l, v, h) OPT_COUNT_F(s, l, v, h, 0)

#define OPT_STRING_F(s, l, v, a, h, f) \
	{ .type = OPTION_STRING, .short_name = (s), .long_name = (l), \
	  .value = PARSE_OPT_CHECK_TYPE(v, const char **), .argh = (a), \
	  .help = (h), .flags = (f) }
#define OPT_STRING(s, l, v, a, h) OPT_STRING_F(s, l, v, a, h, 0)

#define OPT_INTEGER_F(s, l, v, a, h, f) \
	{ .type = OPTION_INTEGER, .short_name = (s), .long_name = (l), \
	  .value = PARSE_OPT_CHECK_TYPE(v, int *), .argh = (a), \
	  .help = (h), .flags = (f) }
#define OPT_INTEGER(s, l, v, a, h) OPT_INTEGER_F(s, l, v, a, h, 0)

/* @a NULL: the option takes no value. @v is passed through as ->value. */
#define OPT_CALLBACK_F(s, l, v, a, h, cb, f) \
	{ .type = OPTION_CALLBACK, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h), .callback = (cb), \
	  .flags = (f) }
#define OPT_CALLBACK(s, l, v, a, h, cb) OPT_CALLBACK_F(s, l, v, a, h, cb, 0)

/*
 * Parse @argv[1..@argc) against @options; @argv[0] (the command name) is
 * skipped. @usage is a NULL-terminated list of synopsis lines such as
 * "daxctl list [<options>]" (the first is printed as " usage: ...", the
 * others as "    or: ...").
 *
 * The positional arguments are moved, in order, to @argv[0..n) and
 * @argv[n] is set to NULL; n is returned. Usage errors, -h, --help,
 * --help-all and --list-opts do not return (see the top of this file).
 */
int parse_options(int argc, const char **argv, const struct option *options,
		  const char * const usage[], int flags);

/*
 * Print the usage: a blank line, the synopsis lines, a blank line, the
 * option table (hidden options only when @show_hidden), a blank line.
 */
void parse_options_usage(FILE *fp, const char * const usage[],
			 const struct option *options, bool show_hidden);

/* The usage on stderr, then exit 129. */
void usage_with_options(const char * const usage[],
			const struct option *options)
	__attribute__((noreturn));

/*
 * For commands without positional arguments: report each of
 * @argv[0..@argc) as `  Error: unknown parameter "<arg>"`, then the usage,
 * exit 129. Does nothing when @argc is 0.
 */
void usage_unknown_params(int argc, const char **argv,
			  const char * const usage[],
			  const struct option *options);

/*
 * Make -h / --help / --help-all print the usage on stdout and exit 0
 * instead of stderr / 129. The daxctl front end turns this on when the
 * user explicitly asked for a command's help ("daxctl help CMD") and no
 * man page is shown, so that the answer to a question is not an error.
 */
void parse_options_set_help_stdout(bool on);

#endif /* _DAXCTL_PARSE_OPTIONS_H_ */
