// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dlopen-now LIBRARY...: load each library as a plugin host would
 * (dlopen with RTLD_NOW, as PMDK and memkind users load libpmem2 and
 * libmemkind), so that every symbol it and its dependencies need is bound
 * at once, and say which libdaxctl.so.1 came with it:
 *
 *	LIBRARY: libdaxctl PATH
 *	LIBRARY: DLERROR                  (exit status 1)
 *
 * Run with LD_BIND_NOW=1 and LD_LIBRARY_PATH pointing at the libdaxctl
 * under test (test/consumers/debian.sh).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

static const char *loaded_libdaxctl(void *handle)
{
	struct link_map *map = NULL;

	if (dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 || !map)
		return NULL;
	while (map->l_prev)
		map = map->l_prev;
	for (; map; map = map->l_next)
		if (strstr(map->l_name, "/libdaxctl.so"))
			return map->l_name;
	return NULL;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: dlopen-now LIBRARY...\n");
		return 129;
	}
	for (int i = 1; i < argc; i++) {
		void *handle = dlopen(argv[i], RTLD_NOW | RTLD_GLOBAL);
		const char *path;

		if (!handle) {
			printf("%s: %s\n", argv[i], dlerror());
			rc = 1;
			continue;
		}
		path = loaded_libdaxctl(handle);
		printf("%s: libdaxctl %s\n", argv[i], path ? path : "(none)");
	}
	return rc;
}
