// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The library in a hostile system root (test/lib/hostile.sh builds it from
 * a copy of hmem-10-created): dax0.1/align is a FIFO, dax0.5/size a link
 * to a file outside the root, the device_dax driver's unbind a relative
 * link climbing out of it and dax_region/create an absolute one. Nothing
 * may hang, nothing outside may be read or written, and the links inside
 * the root (sysfs's own) keep working. Every check runs twice: with
 * openat2(), and with this program's syscall() refusing it (ENOSYS, as an
 * old kernel or a seccomp filter does), where the library checks where
 * each descriptor leads instead.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"
#include "fixture.h"

static int refuse_openat2, openat2_calls;

/* Interposes libc's: the library's calls land here first. */
__attribute__((visibility("default")))
long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	long a[6];
	va_list ap;
	int i;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
#ifdef SYS_openat2
	if (nr == SYS_openat2) {
		openat2_calls++;
		if (refuse_openat2) {
			errno = ENOSYS;
			return -1;
		}
	}
#endif
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "syscall");
	return real(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static const char *outside;

static void is_untouched(const char *name)
{
	char path[PATH_MAX], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outside, name);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	is_str(buf, "untouched\n", name);
}

static void run(const char *root, const char *mode)
{
	struct daxctl_region *region;
	struct daxctl_dev *dev;
	struct daxctl_ctx *ctx;

	printf("# %s\n", mode);
	if (daxctl_new(&ctx) || daxctl_set_sysroot(ctx, root)) {
		printf("Bail out! no context for %s\n", root);
		exit(99);
	}
	dev = fixture_dev(ctx, "dax0.1");
	ok(dev != NULL, "%s: dax0.1 found through the root's own links", mode);
	is_u64(daxctl_dev_get_size(dev), 256ULL << 20,
	       "dax0.1's size read (a regular file)");
	is_u64(daxctl_dev_get_align(dev), 0,
	       "dax0.1's align, a FIFO, is not read (and did not hang)");
	dev = fixture_dev(ctx, "dax0.5");
	ok(!dev || daxctl_dev_get_size(dev) != 4096,
	   "%s: dax0.5's size is not read from outside the root", mode);
	dev = fixture_dev(ctx, "dax0.1");
	is_int(daxctl_dev_disable(dev), -EXDEV,
	       "disabling through an unbind that climbs out is -EXDEV");
	is_untouched("unbind");
	region = daxctl_region_get_first(ctx);
	ok(region != NULL, "%s: region found", mode);
	is_int(daxctl_region_create_dev(region), -EXDEV,
	       "creating through an absolute link to outside is -EXDEV");
	is_untouched("create");
	daxctl_unref(ctx);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s ROOT OUTSIDE\n", argv[0]);
		return 99;
	}
	outside = argv[2];
	/* a read of a FIFO that blocks fails the test instead of hanging */
	alarm(60);
	run(argv[1], "openat2");
	ok(openat2_calls > 0, "openat2() was used (%d calls)", openat2_calls);
	openat2_calls = 0;
	refuse_openat2 = 1;
	run(argv[1], "without openat2");
	is_int(openat2_calls, 1,
	       "after one ENOSYS the library stops asking for openat2()");
	return tap_done();
}
