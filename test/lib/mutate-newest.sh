#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# test/lib/mutate on the emulator's newest generation, whose devices have
# the device-level memory state: the same results as on 6.1, where the
# library changes memory block by block.
DAXSIM_KERNEL=newest
export DAXSIM_KERNEL
. "${srcdir:-$(dirname "$0")/../..}/test/lib/mutate.sh"
