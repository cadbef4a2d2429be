/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command line of "daxctl list", apart from the listing itself, so
 * that the option fuzzer (test/fuzz/fuzz-options.c) runs the real one.
 */
#ifndef _DAXCTL_LIST_H_
#define _DAXCTL_LIST_H_

struct list_params {
	const char *region;
	const char *dev;
	int regions, devs, mappings, idle, human;
	int idle_skipped;	/* matching devices left out for being idle */
};

/*
 * Parse the options of "daxctl list" into @p, which the caller zeroes,
 * and check them. A usage error (an unknown option, any parameter, an
 * invalid region or device filter) prints the usage and exits with
 * PARSE_OPT_EXIT_USAGE, as --help does; --list-opts exits too. Returns
 * what parse_options() left in @argv: 0 positional arguments.
 */
int list_parse_args(int argc, const char **argv, struct list_params *p);

#endif /* _DAXCTL_LIST_H_ */
