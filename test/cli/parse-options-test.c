// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of daxctl/parse-options: the parsing rules, the messages and
 * exit codes of the usage paths, and the usage layout. Paths that exit are
 * run in a child process whose exit status, stdout and stderr are checked.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daxctl/parse-options.h"

#include "tap.h"

static const char * const usage[] = { "test cmd [<options>]", NULL };

static const char *o_region, *o_dev, *o_secret, *o_size;
static int o_devs, o_regions, o_human, o_verbose, o_no_online, o_force;
static int o_nodes, o_size_calls;

static int size_cb(const struct option *opt, const char *arg, bool unset)
{
	o_size_calls++;
	if (unset) {
		*(const char **)opt->value = NULL;
		return 0;
	}
	if (!*arg || strspn(arg, "0123456789") != strlen(arg)) {
		fprintf(stderr, "  Error: invalid size '%s'\n", arg);
		return -1;
	}
	*(const char **)opt->value = arg;
	return 0;
}

static const struct option options[] = {
	OPT_STRING('r', "region", &o_region, "region-id", "region to use"),
	OPT_STRING('d', "dev", &o_dev, "dev-id", "device to use"),
	OPT_BOOLEAN('D', "devices", &o_devs, "show devices"),
	OPT_BOOLEAN('R', "regions", &o_regions, "show regions"),
	OPT_BOOLEAN('u', "human", &o_human, "human friendly numbers"),
	OPT_COUNT('v', "verbose", &o_verbose, "more messages"),
	OPT_GROUP("memory:"),
	OPT_BOOLEAN('N', "no-online", &o_no_online, "leave memory offline"),
	OPT_BOOLEAN_F('f', "force", &o_force, "do it anyway",
		      PARSE_OPT_NONEG),
	OPT_INTEGER('n', "nodes", &o_nodes, "n", "number of nodes"),
	OPT_CALLBACK('s', "size", &o_size, "size", "size in bytes", size_cb),
	OPT_STRING_F(0, "secret", &o_secret, "word", "not advertised",
		     PARSE_OPT_HIDDEN),
	OPT_BOOLEAN(0, "a-very-long-option-name", &o_force, NULL),
	OPT_END(),
};

static const char full_usage[] =
	"\n"
	" usage: test cmd [<options>]\n"
	"\n"
	"    -r, --region <region-id>\n"
	"                          region to use\n"
	"    -d, --dev <dev-id>    device to use\n"
	"    -D, --devices         show devices\n"
	"    -R, --regions         show regions\n"
	"    -u, --human           human friendly numbers\n"
	"    -v, --verbose         more messages\n"
	"\n"
	"memory:\n"
	"    -N, --no-online       leave memory offline\n"
	"    -f, --force           do it anyway\n"
	"    -n, --nodes <n>       number of nodes\n"
	"    -s, --size <size>     size in bytes\n"
	"        --a-very-long-option-name\n"
	"\n";

static const char secret_line[] =
	"        --secret <word>   not advertised\n";

/* positional arguments left by the last parse, joined with '|' */
static char params[512];

static void reset(void)
{
	o_region = o_dev = o_secret = o_size = NULL;
	o_devs = o_regions = o_human = o_verbose = o_no_online = 0;
	o_force = o_nodes = o_size_calls = 0;
	params[0] = '\0';
}

/* Parse "cmd <line>", split on blanks; returns the positional count. */
static int parse_flags(const char *line, int flags)
{
	static char buf[512];
	static const char *argv[64];
	int argc = 0, n, i;
	char *tok, *save;

	reset();
	snprintf(buf, sizeof(buf), "cmd %s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 63;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;

	n = parse_options(argc, argv, options, usage, flags);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(params, "|");
		strncat(params, argv[i], sizeof(params) - strlen(params) - 2);
	}
	if (argv[n] != NULL)
		strcpy(params, "argv[n] is not NULL");
	return n;
}

static int parse(const char *line)
{
	return parse_flags(line, 0);
}

struct child {
	int status;		/* exit status, -1 if it did not exit */
	char out[4096];
	char err[4096];
};

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Run parse("line") in a child, with help on stdout if @help_stdout. */
static void run_child(struct child *c, const char *line, bool help_stdout)
{
	FILE *out = tmpfile(), *err = tmpfile();
	int status;
	pid_t pid;

	c->status = -1;
	c->out[0] = c->err[0] = '\0';
	if (!out || !err) {
		printf("# tmpfile: %s\n", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		return;
	}
	if (pid == 0) {
		dup2(fileno(out), STDOUT_FILENO);
		dup2(fileno(err), STDERR_FILENO);
		parse_options_set_help_stdout(help_stdout);
		parse(line);
		exit(0);
	}
	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		c->status = WEXITSTATUS(status);
	slurp(out, c->out, sizeof(c->out));
	slurp(err, c->err, sizeof(c->err));
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* A usage error: exit 129, nothing on stdout, stderr starting with @err. */
static void usage_error(const char *line, const char *err)
{
	struct child c;
	char what[256];

	snprintf(what, sizeof(what), "'%s' is a usage error", line);
	run_child(&c, line, false);
	if (!ok(c.status == 129 && !c.out[0] && starts_with(c.err, err),
		"%s", what))
		printf("#   status %d\n#   stderr: %s\n#   want:   %s\n",
		       c.status, c.err, err);
}

static void test_short(void)
{
	is_int(parse("-RDu"), 0, "bundled switches leave no parameter");
	ok(o_regions && o_devs && o_human && !o_verbose,
	   "-RDu sets -R, -D and -u only");

	parse("-r0");
	is_str(o_region, "0", "-r0 glues the value");
	parse("-r 1");
	is_str(o_region, "1", "-r 1 takes the next argument");
	parse("-Rr2");
	ok(o_regions && o_region && !strcmp(o_region, "2"),
	   "-Rr2: a value ends the bundle");
	parse("-rR");
	ok(!o_regions && o_region && !strcmp(o_region, "R"),
	   "-rR: R is the value of -r");
	parse("-r -x");
	is_str(o_region, "-x", "-r takes the next argument even with a dash");
	parse("-vvv -v");
	is_int(o_verbose, 4, "-vvv -v counts 4");
	parse("-n 12");
	is_int(o_nodes, 12, "-n 12 sets an integer");
	parse("-n-3");
	is_int(o_nodes, -3, "-n-3 sets a negative integer");
}

static void test_long(void)
{
	parse("--region=3");
	is_str(o_region, "3", "--region=3");
	parse("--region 4");
	is_str(o_region, "4", "--region 4");
	parse("--region=");
	is_str(o_region, "", "--region= sets an empty value");
	parse("--region=a=b");
	is_str(o_region, "a=b", "the value starts after the first '='");
	parse("--region --devices");
	is_str(o_region, "--devices", "--region takes the next argument");
	ok(!o_devs, "... which is not parsed as an option");
	parse("--nodes=7");
	is_int(o_nodes, 7, "--nodes=7 sets an integer");
}

static void test_abbrev(void)
{
	parse("--hum");
	ok(o_human, "--hum abbreviates --human");
	parse("--dev 0.0");
	ok(o_dev && !strcmp(o_dev, "0.0") && !o_devs,
	   "--dev: the exact name wins over --devices");
	parse("--devi");
	ok(o_devs && !o_dev, "--devi abbreviates --devices");
	parse("--region 1");
	ok(o_region && !strcmp(o_region, "1") && !o_regions,
	   "--region: the exact name wins over --regions");
	parse("--regions");
	ok(o_regions && !o_region, "--regions");
	parse("--ver --verb");
	is_int(o_verbose, 2, "--ver and --verb abbreviate --verbose");
	parse("--si=5");
	is_str(o_size, "5", "--si=5 abbreviates --size");
	usage_error("--reg 0", "  Error: Ambiguous option: reg "
		    "(could be --region or --regions)\n\n usage: test cmd");
	usage_error("--reg=0", "  Error: Ambiguous option: reg=0 "
		    "(could be --region or --regions)\n");
	usage_error("--d", "  Error: Ambiguous option: d "
		    "(could be --dev or --devices)\n");
	usage_error("--no-reg", "  Error: Ambiguous option: no-reg "
		    "(could be --no-region or --no-regions)\n");
	/* the help of both candidates is shown */
	usage_error("--de", "  Error: Ambiguous option: de (could be --dev or "
		    "--devices)\n\n usage: test cmd [<options>]\n\n"
		    "    -d, --dev <dev-id>    device to use\n"
		    "    -D, --devices         show devices\n");
}

static void test_negation(void)
{
	parse("-u --no-human");
	ok(!o_human, "--no-human resets -u");
	parse("--no-human -u");
	ok(o_human, "the last one wins");
	parse("-r 1 --no-region");
	ok(o_region == NULL, "--no-region resets a string to NULL");
	parse("-vv --no-verbose -v");
	is_int(o_verbose, 1, "--no-verbose resets a counter");
	parse("--no-hu");
	ok(!o_human, "--no-hu abbreviates --no-human");

	parse("--no-online");
	is_int(o_no_online, 1, "--no-online sets the no- option");
	parse("-N --online");
	is_int(o_no_online, 0, "--online negates --no-online");
	parse("-N --onl");
	is_int(o_no_online, 0, "--onl abbreviates --online");
	parse("--no-onl");
	is_int(o_no_online, 1, "--no-onl abbreviates --no-online");
	parse("-N --no-no-online");
	is_int(o_no_online, 0, "--no-no-online negates --no-online");

	parse("-s 4 --no-size");
	ok(o_size == NULL && o_size_calls == 2,
	   "--no-size calls the callback with unset");
	usage_error("--no-force", "  Error: unknown option `no-force'\n");
	usage_error("--no-human=1", "  Error: option `no-human' takes no "
		    "value\n\n usage: test cmd [<options>]\n\n"
		    "    -u, --human           human friendly numbers\n");
	usage_error("--no-hu=1", "  Error: option `no-human' takes no value\n");
	usage_error("--onl=1", "  Error: option `online' takes no value\n");
	usage_error("--no-region=1",
		    "  Error: option `no-region' takes no value\n");
}

static void test_params(void)
{
	is_int(parse("a -R b -u c"), 3, "positionals interleave with options");
	is_str(params, "a|b|c", "... and keep their order");
	ok(o_regions && o_human, "... and the options are parsed");

	is_int(parse("-R -- -D --x"), 2, "-- ends the options");
	is_str(params, "-D|--x", "... what follows is positional");
	ok(o_regions && !o_devs, "... and not parsed");

	is_int(parse("- -R"), 1, "- alone is a positional argument");
	is_str(params, "-", "... kept as it is");

	is_int(parse("--"), 0, "a lone -- leaves nothing");
	is_int(parse(""), 0, "no arguments at all");
	is_str(params, "", "... and argv[0] is NULL");

	is_int(parse_flags("-R sub -D x", PARSE_OPT_STOP_AT_NON_OPTION), 3,
	       "PARSE_OPT_STOP_AT_NON_OPTION stops at the first positional");
	is_str(params, "sub|-D|x", "... and leaves the rest untouched");
	ok(o_regions && !o_devs, "... unparsed");
}

static void test_errors(void)
{
	usage_error("--bogus", "  Error: unknown option `bogus'\n\n"
		    " usage: test cmd [<options>]\n\n    -r, --region");
	usage_error("--bogus=1", "  Error: unknown option `bogus=1'\n");
	usage_error("-x", "  Error: unknown switch `x'\n\n usage: test cmd");
	usage_error("-Rx", "  Error: unknown switch `x'\n");
	usage_error("-r", "  Error: switch `r' requires a value\n\n"
		    " usage: test cmd [<options>]\n\n"
		    "    -r, --region <region-id>\n"
		    "                          region to use\n");
	usage_error("--region", "  Error: option `region' requires a value\n");
	usage_error("--regi", "  Error: Ambiguous option: regi");
	usage_error("--regio", "  Error: Ambiguous option: regio");
	usage_error("--dev", "  Error: option `dev' requires a value\n");
	usage_error("--human=1", "  Error: option `human' takes no value\n");
	usage_error("--hum=1", "  Error: option `human' takes no value\n");
	usage_error("-n x", "  Error: switch `n' expects a numerical value\n");
	usage_error("--nodes=1x",
		    "  Error: option `nodes' expects a numerical value\n");
	usage_error("--nodes=", "  Error: option `nodes' expects a numerical "
		    "value\n");
	usage_error("--nodes=99999999999",
		    "  Error: option `nodes' expects a numerical value\n");
	usage_error("-s 1k", "  Error: invalid size '1k'\n\n"
		    " usage: test cmd [<options>]\n\n"
		    "    -s, --size <size>     size in bytes\n");
	usage_error("--he", "  Error: unknown option `he'\n");
	usage_error("-x --help", "  Error: unknown switch `x'\n");
}

static void test_usage(void)
{
	struct child c;
	char all[4096];
	char *pos;

	run_child(&c, "-h", false);
	ok(c.status == 129 && !c.out[0] && !strcmp(c.err, full_usage),
	   "-h: usage on stderr, exit 129, hidden options left out");
	if (strcmp(c.err, full_usage))
		printf("# got:\n%s# want:\n%s", c.err, full_usage);

	run_child(&c, "--help", false);
	ok(c.status == 129 && !strcmp(c.err, full_usage), "--help: the same");

	run_child(&c, "-Rh", false);
	ok(c.status == 129 && !strcmp(c.err, full_usage), "-h in a bundle");

	run_child(&c, "--help -x", false);
	ok(c.status == 129 && !strcmp(c.err, full_usage),
	   "--help wins over a later error");

	/* --help-all: the hidden option where it is in the table */
	snprintf(all, sizeof(all), "%s", full_usage);
	pos = strstr(all, "        --a-very-long");
	if (pos) {
		size_t at = (size_t)(pos - all);

		snprintf(pos, sizeof(all) - at, "%s%s", secret_line,
			 full_usage + at);
	}
	run_child(&c, "--help-all", false);
	ok(c.status == 129 && !strcmp(c.err, all),
	   "--help-all also shows hidden options");
	if (strcmp(c.err, all))
		printf("# got:\n%s# want:\n%s", c.err, all);

	parse("--secret x");
	is_str(o_secret, "x", "hidden options still parse");

	run_child(&c, "--help", true);
	ok(c.status == 0 && !c.err[0] && !strcmp(c.out, full_usage),
	   "help on stdout mode: usage on stdout, exit 0");
	run_child(&c, "-x", true);
	ok(c.status == 129 && !c.out[0] && starts_with(c.err, "  Error:"),
	   "help on stdout mode: errors still on stderr, 129");

	run_child(&c, "--list-opts", false);
	is_int(c.status, 130, "--list-opts exits 130");
	is_str(c.out, "--region --dev --devices --regions --human --verbose "
	       "--no-online --force --nodes --size --a-very-long-option-name ",
	       "--list-opts: visible long options, blank separated, no newline");
	run_child(&c, "-R --list-opts -x", false);
	is_int(c.status, 130, "--list-opts acts where it is met");
	run_child(&c, "--list-o", false);
	is_int(c.status, 129, "--list-opts cannot be abbreviated");
}

static void test_unknown_params(void)
{
	const char *argv[] = { "a", "b c", NULL };
	struct child c;
	FILE *err = tmpfile();
	int status = -1;
	pid_t pid;

	usage_unknown_params(0, argv + 2, usage, options);
	ok(1, "usage_unknown_params() with no parameter returns");

	if (!err) {
		ok(0, "tmpfile");
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fileno(err), STDERR_FILENO);
		usage_unknown_params(2, argv, usage, options);
		exit(0);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		status = WEXITSTATUS(status);
	slurp(err, c.err, sizeof(c.err));
	is_int(status, 129, "usage_unknown_params() exits 129");
	ok(starts_with(c.err, "  Error: unknown parameter \"a\"\n\n"
		       "  Error: unknown parameter \"b c\"\n\n"
		       "\n usage: test cmd [<options>]\n"),
	   "usage_unknown_params() names each parameter, then the usage");
}

int main(void)
{
	test_short();
	test_long();
	test_abbrev();
	test_negation();
	test_params();
	test_errors();
	test_usage();
	test_unknown_params();
	return tap_done();
}
