#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run test/lib/mutate (the library's mutators) against the kernel emulator.
. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/daxsim/daxsim.sh"

daxsim_start lib-mutate
# the program prints its own TAP plan
_tap_planned=1
DAXCTL_SYSROOT=$SIM "$top_builddir/test/lib/mutate"
