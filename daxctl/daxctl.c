// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daxctl front end: global options, the command table, one library
 * context per run, and the exit status / stdout checks every command
 * shares.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <daxctl/libdaxctl.h>

#include "builtin.h"
#include "daxctl/parse-options.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, const char **argv, struct daxctl_ctx *ctx);
	const char *help;
};

/*
 * The single place to add a command. The order is the one "daxctl
 * --list-cmds" prints, which users and the shell completion know. The
 * reference's undocumented split-acpi (an ACPI table editor for test
 * benches) is not provided. Where each command's code is:
 *
 *   version, help                      daxctl.c
 *   list                               list.c
 *   migrate-device-model               migrate.c
 *   create-device                      create.c
 *   destroy-device                     destroy.c
 *   reconfigure-device                 reconfigure.c (-C: config.c,
 *                                      config-match.c)
 *   online-memory, offline-memory      memory.c
 *   enable-device, disable-device      enable-disable.c
 *   monitor                            monitor.c
 *
 * and action.c what the commands that change devices share.
 */
static const struct cmd_struct commands[] = {
	{ "version", cmd_version, "print the version of daxctl" },
	{ "list", cmd_list, "list dax regions, devices and mappings as JSON" },
	{ "help", cmd_help, "show the manual page or the usage of a command" },
	{ "migrate-device-model", cmd_migrate_device_model,
	  "put pmem dax devices on the dax bus from the next boot" },
	{ "create-device", cmd_create_device,
	  "create a device in a dynamic region" },
	{ "destroy-device", cmd_destroy_device,
	  "delete devices of a dynamic region" },
	{ "reconfigure-device", cmd_reconfigure_device,
	  "change the mode (devdax, system-ram), size or alignment of devices" },
	{ "online-memory", cmd_online_memory,
	  "online the memory of system-ram devices" },
	{ "offline-memory", cmd_offline_memory,
	  "offline the memory of system-ram devices" },
	{ "disable-device", cmd_disable_device,
	  "unbind devices from device_dax" },
	{ "enable-device", cmd_enable_device, "bind devices to device_dax" },
	{ "monitor", cmd_monitor,
	  "print dax device and memory block events as JSON lines" },
};

/* Scripts match this line: keep it as it is. */
static const char main_usage[] = "daxctl [--version] [--help] COMMAND [ARGS]";

static void print_main_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "\n usage: %s\n\n", main_usage);
	fprintf(fp, " Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(fp, "    %-22s%s\n", commands[i].name, commands[i].help);
	fprintf(fp, "\n Global options (before COMMAND):\n");
	fprintf(fp, "    %-22s%s\n", "-v, --version", "print the version");
	fprintf(fp, "    %-22s%s\n", "-h, --help", "print this help");
	fprintf(fp, "    %-22s%s\n", "--list-cmds",
		"print the command names, one per line");
	fprintf(fp, "    %-22s%s\n", "--sysroot <dir>",
		"inspect the sysfs tree captured under <dir>");
	fprintf(fp, "    %-22s%s\n", "",
		"instead of the live system");
	fprintf(fp, "\n 'daxctl help COMMAND' or 'daxctl COMMAND --help' shows the manual of a command.\n");
	fprintf(fp, " 'daxctl COMMAND -h' lists its options.\n\n");
}

static const struct cmd_struct *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/*
 * A man page installed under our own prefix must win over one of another
 * daxctl the system may have; the build can pass -DMANDIR for that.
 */
static void prefix_manpath(void)
{
#ifdef MANDIR
	const char *old = getenv("MANPATH");
	char *path;

	/* a trailing ':' keeps man's default search path after ours */
	if (asprintf(&path, "%s:%s", MANDIR, old ? old : "") < 0)
		return;
	setenv("MANPATH", path, 1);
	free(path);
#endif
}

/* Ask man, quietly, whether it has @page at all. */
static bool man_page_exists(const char *page)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execlp("man", "man", "-w", page, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * DAXCTL_MAN_VIEWER selects how a command's help is shown: unset, empty or
 * "man" runs man(1) when it has the page, "none" always prints the
 * built-in usage on stdout. The test suite sets "none" so that results do
 * not depend on the man pages installed on the host.
 */
static bool want_man_page(void)
{
	const char *viewer = getenv("DAXCTL_MAN_VIEWER");

	if (!viewer || !*viewer || !strcmp(viewer, "man"))
		return true;
	if (!strcmp(viewer, "none"))
		return false;
	fprintf(stderr, "  Warning: '%s': unknown man viewer.\n", viewer);
	return true;
}

/* Replaces the process with man when the page exists; else returns. */
static void show_man_page(const char *name)
{
	char *page;

	if (asprintf(&page, "daxctl-%s", name) < 0)
		return;
	prefix_manpath();
	if (man_page_exists(page)) {
		fflush(NULL);
		execlp("man", "man", page, (char *)NULL);
	}
	free(page);
}

/*
 * "daxctl help CMD" and "daxctl CMD --help": the man page, or else the
 * command's own usage, which its parse_options() call prints on stdout
 * (and exits 0) when asked for --help in this mode.
 */
static int show_command_help(const char *name, struct daxctl_ctx *ctx)
{
	const struct cmd_struct *cmd = find_command(name);
	const char *argv[3] = { NULL, "--help", NULL };

	if (!cmd) {
		fprintf(stderr, "Unknown command: '%s'\n", name);
		return 1;
	}
	if (want_man_page())
		show_man_page(cmd->name);
	parse_options_set_help_stdout(true);
	argv[0] = cmd->name;
	return cmd->fn(2, argv, ctx);
}

int cmd_version(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = { "daxctl version", NULL };
	const struct option options[] = {
		OPT_END(),
	};

	(void)ctx;
	/* extra words are ignored, as the reference does */
	parse_options(argc, argv, options, usage, 0);
	printf("%s\n", DAXCTL_VERSION);
	return 0;
}

int cmd_help(int argc, const char **argv, struct daxctl_ctx *ctx)
{
	static const char * const usage[] = { "daxctl help [command]", NULL };
	const struct option options[] = {
		OPT_END(),
	};

	/* words after the command name are ignored, not parsed */
	argc = parse_options(argc, argv, options, usage,
			     PARSE_OPT_STOP_AT_NON_OPTION);
	if (!argc) {
		print_main_usage(stdout);
		return 0;
	}
	return show_command_help(argv[0], ctx);
}

/* The context, created on first need: "daxctl --list-cmds" needs none. */
static int new_ctx(struct daxctl_ctx **ctx)
{
	int rc;

	if (*ctx)
		return 0;
	rc = daxctl_new(ctx);
	if (rc < 0) {
		fprintf(stderr, "daxctl: cannot create the library context: %s\n",
			strerror(-rc));
		*ctx = NULL;
	}
	return rc;
}

static int set_sysroot(struct daxctl_ctx **ctx, const char *dir)
{
	int rc = new_ctx(ctx);

	if (rc < 0)
		return rc;
	rc = daxctl_set_sysroot(*ctx, dir);
	if (rc == -EPERM)
		; /* the library said why: a setuid or setgid program */
	else if (rc == -ENOTDIR)
		fprintf(stderr, "daxctl: --sysroot: '%s' is not a directory\n",
			dir);
	else if (rc < 0)
		fprintf(stderr, "daxctl: --sysroot: cannot access '%s': %s\n",
			dir, strerror(-rc));
	return rc;
}

/*
 * Output that did not reach its file (a full disk, /dev/full) must not end
 * in a success status. Pipes and sockets are left alone: a reader that
 * went away early (daxctl list | head) is not an error worth reporting.
 * Runs at exit so that every path that printed something is covered.
 */
static void close_stdout(void)
{
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) < 0)
		return;
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return;
	if (fflush(stdout) != 0) {
		fprintf(stderr, "write failure on standard output: %s\n",
			strerror(errno));
		_exit(1);
	}
	if (ferror(stdout)) {
		fprintf(stderr, "unknown write failure on standard output\n");
		_exit(1);
	}
	if (fclose(stdout) != 0) {
		fprintf(stderr, "close failed on standard output: %s\n",
			strerror(errno));
		_exit(1);
	}
}

int main(int argc, char **argv)
{
	const char **args = (const char **)argv + 1;
	const struct cmd_struct *cmd;
	struct daxctl_ctx *ctx = NULL;
	size_t i;
	int rc;

	atexit(close_stdout);
	argc--;

	while (argc > 0 && args[0][0] == '-') {
		const char *opt = args[0];

		if (!strcmp(opt, "--version") || !strcmp(opt, "-v")) {
			/* anything after it is ignored */
			args[0] = "version";
			argc = 1;
			break;
		}
		if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			/* "daxctl --help list" is "daxctl help list" */
			args[0] = "help";
			break;
		}
		if (!strcmp(opt, "--list-cmds")) {
			for (i = 0; i < ARRAY_SIZE(commands); i++)
				printf("%s\n", commands[i].name);
			rc = 0;
			goto out;
		}
		if (!strcmp(opt, "--sysroot")) {
			if (argc < 2) {
				fprintf(stderr, "Option --sysroot requires a directory\n\n Usage: %s\n",
					main_usage);
				rc = PARSE_OPT_EXIT_USAGE;
				goto out;
			}
			if (set_sysroot(&ctx, args[1]) < 0) {
				rc = 1;
				goto out;
			}
			args += 2;
			argc -= 2;
			continue;
		}
		if (!strncmp(opt, "--sysroot=", 10)) {
			if (set_sysroot(&ctx, opt + 10) < 0) {
				rc = 1;
				goto out;
			}
			args++;
			argc--;
			continue;
		}
		/* "daxctl --list" is "daxctl list" */
		if (!strncmp(opt, "--", 2) && find_command(opt + 2)) {
			args[0] = opt + 2;
			break;
		}
		fprintf(stderr, "Unknown option: %s\n\n Usage: %s\n", opt,
			main_usage);
		rc = PARSE_OPT_EXIT_USAGE;
		goto out;
	}

	if (argc <= 0) {
		print_main_usage(stdout);
		rc = 1;
		goto out;
	}
	cmd = find_command(args[0]);
	if (!cmd) {
		fprintf(stderr, "Unknown command: '%s'\n", args[0]);
		rc = 1;
		goto out;
	}

	if (new_ctx(&ctx) < 0)
		return 1;
	if (argc > 1 && !strcmp(args[1], "--help"))
		rc = show_command_help(cmd->name, ctx);
	else
		rc = cmd->fn(argc, args, ctx);
out:
	daxctl_unref(ctx);
	return rc & 0xff;
}
