# shellcheck shell=bash
# kernels.sh -- sourced by check-kernel.sh: the kernels of the tier and
# what differs between them (test/kernel/README.md).
#
#   KERNEL_VERSIONS    default "6.1 6.12"
#   KERNEL_KINDS       the region kinds run on every kernel
#   KERNEL_KINDS_612   more kinds on 6.12 only (default: cxl,
#                      memmap_on_memory, the auto-online policy)
#
# 6.1:  Debian 12's kernel, the host's QEMU, reference daxctl 76.1
# 6.12: bookworm-backports' kernel and QEMU 10, reference daxctl v81
#       (trixie), prepared by prepare-612.sh.  Its kernel auto-onlines
#       hot-added memory (CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE=y): the
#       scenarios that expect new blocks offline, as on 6.1, boot with
#       memhp_default_state=offline; the kind "auto-online" keeps the
#       kernel's default and records what happens (guest/autoonline.sh).
: "${KERNEL_VERSIONS:=6.1 6.12}"
: "${KERNEL_KINDS_612=cxl hmem,memmap-on-memory hmem,auto-online}"

kernel_kinds() { # VERSION
	case $1 in
	6.12) echo "$KERNEL_KINDS $KERNEL_KINDS_612" ;;
	*) echo "$KERNEL_KINDS" ;;
	esac
}

kernel_ref() { # VERSION: the reference daxctl's version, for the messages
	case $1 in
	6.12) echo v81 ;;
	*) echo 76.1 ;;
	esac
}

kernel_append() { # VERSION KIND: more kernel command line
	case $1,$2 in
	6.12,*auto-online*) ;;
	# q35 under TCG on a loaded host fails the kernel's IO-APIC timer
	# check ("IO-APIC + timer doesn't work", a panic at boot)
	6.12,cxl) echo memhp_default_state=offline no_timer_check ;;
	6.12,*) echo memhp_default_state=offline ;;
	esac
}

# shellcheck disable=SC2154 # kdir and tmp are check-kernel.sh's
kernel_prepare() { # VERSION: prepare its VM (0) or say why not (1, stdout)
	case $1 in
	6.12) "$kdir/prepare-612.sh" > "$tmp/prepare-$1.log" 2>&1 ||
		{ tail -n 5 "$tmp/prepare-$1.log"; return 1; } ;;
	esac
	return 0
}
