// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for daxctl/parse-options.c: parse_options() on an argv
 * made of the input's NUL-separated strings.
 *
 * argv[0] (which the parser skips) selects the setup:
 *  - "list": the argument handling of "daxctl list" itself,
 *    list_parse_args() of daxctl/list.c: its option table, then the
 *    checks of unknown parameters and filters;
 *  - anything else: a table with every option kind and flag the parser
 *    knows; an 's' in argv[0] adds PARSE_OPT_STOP_AT_NON_OPTION, an 'h'
 *    turns on help-on-stdout.
 *
 * Usage errors, --help and --list-opts end in exit(). The target is
 * linked with -Wl,--wrap=exit: while a parse runs, exit() longjmp()s back
 * here with the status; at any other time (libFuzzer's own exits) it is
 * the real exit(). The code under test is untouched. Its usage output goes
 * to a stream that discards it, as printing it would only slow the
 * fuzzer down; it is still formatted, so format bugs still show.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "daxctl/filter.h"
#include "daxctl/list.h"
#include "daxctl/parse-options.h"
#include "util/strings.h"

/* More arguments add nothing but time. */
#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void __real_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status) __attribute__((noreturn));

static jmp_buf exit_env;
static bool exit_armed;
static int exit_status;

void __wrap_exit(int status)
{
	if (!exit_armed)
		__real_exit(status);
	exit_armed = false;
	exit_status = status;
	longjmp(exit_env, 1);
}

/* Option values, reset before every parse: all_options', and list's. */
static struct {
	const char *region, *dev, *secret, *size;
	int devs, regions;
	int verbose, no_online, force, nodes, flag, short_only;
	int flag_calls;
} v;
static struct list_params lp;

/* What the current parse must respect, for the callbacks. */
static const char **orig_args;
static int orig_argc;

/* Whether @s points into one of the original arguments. */
static bool in_args(const char *s)
{
	int i;

	for (i = 1; i < orig_argc; i++) {
		const char *a = orig_args[i];

		if (s >= a && s <= a + strlen(a))
			return true;
	}
	return false;
}

static int size_cb(const struct option *opt, const char *arg, bool unset)
{
	unsigned long long bytes;

	/* a value-taking callback gets its value, or NULL when negated */
	if (unset != !arg || (arg && !in_args(arg)))
		abort();
	if (unset) {
		*(const char **)opt->value = NULL;
		return 0;
	}
	if (parse_u64(arg, 0, &bytes)) {
		fprintf(stderr, "  Error: invalid size '%s'\n", arg);
		return -1;
	}
	*(const char **)opt->value = arg;
	return 0;
}

static int flag_cb(const struct option *opt, const char *arg, bool unset)
{
	/* a switch callback never sees a value; this one cannot be negated */
	if (arg || unset)
		abort();
	v.flag_calls++;
	/* refuse the third use, to run the callback error path */
	if (v.flag_calls > 2) {
		fprintf(stderr, "  Error: too many -F\n");
		return -1;
	}
	return 0;
}

static const char * const all_usage[] = {
	"daxctl fuzz [<options>] <device>",
	"daxctl fuzz --other-form",
	NULL,
};

/* every option type and flag, and names that share prefixes */
static const struct option all_options[] = {
	OPT_STRING('r', "region", &v.region, "region-id", "region"),
	OPT_STRING('d', "dev", &v.dev, "dev-id", "device"),
	OPT_BOOLEAN('D', "devices", &v.devs, "show devices"),
	OPT_BOOLEAN('R', "regions", &v.regions, "show regions"),
	OPT_COUNT('v', "verbose", &v.verbose, "more messages"),
	OPT_GROUP("memory:"),
	OPT_BOOLEAN('N', "no-online", &v.no_online, "leave memory offline"),
	OPT_BOOLEAN_F('f', "force", &v.force, "do it anyway",
		      PARSE_OPT_NONEG),
	OPT_INTEGER('n', "nodes", &v.nodes, "n", "number of nodes"),
	OPT_CALLBACK('s', "size", &v.size, "size", "size in bytes", size_cb),
	OPT_CALLBACK_F('F', "flag", NULL, NULL, "a callback switch", flag_cb,
		       PARSE_OPT_NONEG),
	OPT_STRING_F(0, "secret", &v.secret, "word", "not advertised",
		     PARSE_OPT_HIDDEN),
	OPT_BOOLEAN('1', NULL, &v.short_only, "short only"),
	OPT_BOOLEAN(0, "a-very-long-option-name-that-wraps", &v.force, NULL),
	OPT_GROUP(NULL),
	OPT_END(),
};

static ssize_t discard(void *cookie, const char *buf, size_t len)
{
	return (ssize_t)len;
}

/*
 * Run the parse (for "list", all of list_parse_args()) with exit()
 * caught. Returns -1 when it returned normally, else the exit status.
 */
static int parse_caught(int argc, const char **argv, bool list, int flags,
			int *nparams)
{
	if (setjmp(exit_env))
		return exit_status;
	exit_armed = true;
	if (list) {
		*nparams = list_parse_args(argc, argv, &lp);
	} else {
		*nparams = parse_options(argc, argv, all_options, all_usage,
					 flags);
	}
	exit_armed = false;
	return -1;
}

/* The documented results of a parse that returned. */
static void check_result(int argc, const char **argv, int n, int flags,
			 size_t size)
{
	bool after_dashdash = false;
	int i, j = 1;

	if (n < 0 || n > argc - 1 || argv[n])
		abort();
	/* positional arguments: original pointers, in their original order */
	for (i = 0; i < n; i++) {
		while (j < argc && orig_args[j] != argv[i]) {
			if (!strcmp(orig_args[j], "--"))
				after_dashdash = true;
			j++;
		}
		if (j == argc)
			abort();
		/* an option-looking one was kept only after "--" */
		if (!flags && !after_dashdash && argv[i][0] == '-' &&
		    argv[i][1])
			abort();
		j++;
	}
	if ((v.region && !in_args(v.region)) || (v.dev && !in_args(v.dev)) ||
	    (v.secret && !in_args(v.secret)) || (v.size && !in_args(v.size)))
		abort();
	if ((v.devs | v.regions | v.no_online | v.force | v.short_only) & ~1)
		abort();
	/* one -v per byte at most */
	if (v.verbose < 0 || (size_t)v.verbose > size)
		abort();
}

/* What list_parse_args() returned with. */
static void check_list(int n)
{
	/* no parameter gets through */
	if (n)
		abort();
	if ((lp.region && !in_args(lp.region)) || (lp.dev && !in_args(lp.dev)))
		abort();
	if ((lp.devs | lp.regions | lp.mappings | lp.idle | lp.human) & ~1)
		abort();
	/* what cmd_list() goes on with was checked, hence valid */
	if (!filter_region_valid(lp.region) || !filter_dev_valid(lp.dev))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	const char **args, **argv;
	FILE *saved_out, *saved_err;
	int argc = 0, flags = 0, n = -1, status, i;
	bool list;
	size_t pos, len;

	if (!sink) {
		sink = fopencookie(NULL, "w", (cookie_io_functions_t){
						.write = discard });
		if (!sink)
			abort();
	}

	/* one malloc per argument, so ASan sees a read past its NUL */
	args = calloc(MAX_ARGS + 1, sizeof(*args));
	if (!args)
		abort();
	for (pos = 0; pos <= size && argc < MAX_ARGS; pos += len + 1) {
		const uint8_t *nul = memchr(data + pos, '\0', size - pos);
		char *arg;

		len = nul ? (size_t)(nul - (data + pos)) : size - pos;
		arg = malloc(len + 1);
		if (!arg)
			abort();
		memcpy(arg, data + pos, len);
		arg[len] = '\0';
		args[argc++] = arg;
	}
	/* argv[argc] is NULL, as main() gets it, and is its last entry */
	argv = calloc((size_t)argc + 1, sizeof(*argv));
	if (!argv)
		abort();
	memcpy(argv, args, sizeof(*argv) * (size_t)argc);
	orig_args = args;
	orig_argc = argc;

	list = strcmp(args[0], "list") == 0;
	if (!list && strchr(args[0], 's'))
		flags |= PARSE_OPT_STOP_AT_NON_OPTION;
	parse_options_set_help_stdout(!list && strchr(args[0], 'h'));
	memset(&v, 0, sizeof(v));
	memset(&lp, 0, sizeof(lp));

	saved_out = stdout;
	saved_err = stderr;
	stdout = stderr = sink;
	status = parse_caught(argc, argv, list, flags, &n);
	stdout = saved_out;
	stderr = saved_err;
	parse_options_set_help_stdout(false);

	if (status < 0) {
		check_result(argc, argv, n, list ? 0 : flags, size);
		if (list)
			check_list(n);
	} else if (status != PARSE_OPT_EXIT_USAGE &&
		   status != PARSE_OPT_EXIT_LIST_OPTS &&
		   !(status == 0 && !list && strchr(args[0], 'h'))) {
		/* only the documented exit codes */
		abort();
	}

	for (i = 0; i < argc; i++)
		free((void *)args[i]);
	free(args);
	free(argv);
	return 0;
}
