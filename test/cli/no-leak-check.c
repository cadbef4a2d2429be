// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linked into test/cli/daxctl-rpath only. test/cli/setuid.sh runs that
 * copy set-ID; in an ASan build LeakSanitizer cannot stop a set-ID
 * process's threads at exit (it may not ptrace it) and fails the run, and
 * a secure-execution process does not read ASAN_OPTIONS: the option is
 * built in instead. Unused in other builds.
 */
const char *__asan_default_options(void);

__attribute__((visibility("default"), used))
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
