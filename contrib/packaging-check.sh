#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The packaging check of CI: one release tarball, from which the Debian
# packages are built, checked by lintian and installed over the machine's
# own (then put back), and the RPM packages are built and tried.
#
#   contrib/packaging-check.sh [BUILDDIR]
#
# BUILDDIR is a configured build directory whose "make dist" makes the
# tarball (default: build/). As root, on Debian 12; it installs what it
# needs with apt. "make check" is not run again inside the package builds
# (CI runs it before): see contrib/debian/build-packages.sh and
# contrib/rpm/build-rpms.sh to build with it.
set -eu
cd "$(dirname "$0")/.."
builddir=${1:-build}
[ -f "$builddir/Makefile" ] || { echo "${0##*/}: no configured build in $builddir" >&2; exit 1; }

start=$(date +%s)
echo "== make dist in $builddir"
make -C "$builddir" --quiet dist >/dev/null
version=$(sed -n 's/^VERSION = //p' "$builddir/Makefile")
tarball=$builddir/daxctl-$version.tar.xz

sh contrib/debian/build-packages.sh --tarball "$tarball" --nocheck --install-check
sh contrib/rpm/build-rpms.sh --tarball "$tarball" --nocheck
echo "== packaging check done in $(($(date +%s) - start)) s"
