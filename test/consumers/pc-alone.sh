#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# libdaxctl.pc stands alone: with pkg-config restricted to the one .pc
# file a staged "make install" puts down (PKG_CONFIG_LIBDIR, no
# PKG_CONFIG_PATH), --cflags and --libs still work, name no other module,
# and give what a consumer needs and nothing more: the library links
# libuuid itself (a NEEDED entry) and opens libkmod with dlopen(), so
# neither uuid.pc nor libkmod.pc may be required. A small program is then
# built and linked with those flags alone.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"

require_prog pkg-config


stage=$_tmp/stage
stage_install "$stage"

libdir=$(unset PKG_CONFIG_SYSROOT_DIR
	pkg-config --variable=libdir "$top_builddir/lib/libdaxctl.pc")
includedir=$(unset PKG_CONFIG_SYSROOT_DIR
	pkg-config --variable=includedir "$top_builddir/lib/libdaxctl.pc")

# only the staged .pc: nothing from the system's pkg-config directories
unset PKG_CONFIG_PATH
PKG_CONFIG_LIBDIR=$stage$libdir/pkgconfig
PKG_CONFIG_SYSROOT_DIR=$stage
export PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR

# the words of FILE, one space apart
words() {
	tr -s ' \n' '  ' <"$1" | sed 's/^ //; s/ $//'
}

# pc NAME ARGS...: run pkg-config ARGS libdaxctl into $_tmp/NAME
pc() {
	_n=$1
	shift
	pkg-config --print-errors "$@" libdaxctl >"$_tmp/$_n" 2>"$_tmp/$_n.err"
	_rc=$?
	[ -s "$_tmp/$_n.err" ] && sed 's/^/# /' "$_tmp/$_n.err"
	return $_rc
}

pc requires --print-requires && pc requires-private --print-requires-private &&
	! [ -s "$_tmp/requires" ] && ! [ -s "$_tmp/requires-private" ]
rc=$?
[ $rc = 0 ] || sed 's/^/# requires: /' "$_tmp/requires" "$_tmp/requires-private"
tap_result $rc "libdaxctl.pc requires no other module (Requires, Requires.private)"

pc flags --cflags --libs
rc=$?
flags=$(words "$_tmp/flags")
tap_result $rc "pkg-config --cflags --libs libdaxctl with its .pc alone: $flags"

# what Debian's libdaxctl-dev gives, the prefix's -I and -L aside
expect="-I$stage$includedir -L$stage$libdir -ldaxctl"
[ "$flags" = "$expect" ]
rc=$?
[ $rc = 0 ] || echo "# expected: $expect"
tap_result $rc "the flags are -I, -L and -ldaxctl only"

pc static --static --cflags --libs
tap_result $? "pkg-config --static --cflags --libs libdaxctl with its .pc alone: $(words "$_tmp/static")"

# a consumer built with those flags alone
mkvar() {
	sed -n "s/^$1 = //p" "$top_builddir/Makefile" | sed -n 1p
}
cc=$(mkvar CC)
san_cflags=$(mkvar SANITIZE_CFLAGS)
san_ldflags=$(mkvar SANITIZE_LDFLAGS)
cat >"$_tmp/consumer.c" <<'EOC'
#include <stdio.h>
#include <daxctl/libdaxctl.h>

int main(void)
{
	struct daxctl_ctx *ctx;
	int rc = daxctl_new(&ctx);

	if (rc < 0) {
		fprintf(stderr, "daxctl_new: %d\n", rc);
		return 1;
	}
	daxctl_unref(ctx);
	puts("ok");
	return 0;
}
EOC
# shellcheck disable=SC2086 # the flags are words
if ${cc:-cc} -Wall -Wextra -Werror $san_cflags \
		-o "$_tmp/consumer" "$_tmp/consumer.c" $san_ldflags $flags >"$_tmp/cc.log" 2>&1; then
	rc=0
else
	rc=1
	sed 's/^/# /' "$_tmp/cc.log"
fi
tap_result $rc "a consumer compiles and links with those flags alone"

if [ $rc = 0 ]; then
	out=$(LD_LIBRARY_PATH=$stage$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
		"$_tmp/consumer" 2>&1)
	[ "$out" = ok ]
	rc=$?
	[ $rc = 0 ] || echo "# $out"
	tap_result $rc "the consumer runs against the staged library"
else
	tap_result 0 "the consumer runs against the staged library # SKIP not built"
fi
