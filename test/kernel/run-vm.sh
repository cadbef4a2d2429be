#!/bin/bash
# run-vm.sh GUEST_SCRIPT [OUTDIR]
#
# Boots Debian's real kernel in QEMU with a busybox initramfs that contains
# Debian's ndctl/daxctl 76.1, runs GUEST_SCRIPT (a busybox-sh script) inside
# the guest and copies what it writes to $VMTEST_OUT back to OUTDIR/guest/.
#
# GUEST_SCRIPT and OUTDIR may be relative to the current directory (normally
# the repository root).  OUTDIR defaults to $VM_CACHE/out/<script name>.
#
# Environment knobs (all optional):
#   VM_DAX=hmem,nvdimm  how to give the guest dax devices, comma separated:
#        hmem           soft-reserved RAM via memmap=..%..+0xefffffff -> dax_hmem
#                       (dynamic dax region hmem.0, target_node 0)
#        hmem-numa      2 NUMA nodes, all of node 1 soft-reserved -> dax_hmem
#                       (dynamic region on target_node 1, like CXL/HBM memory)
#        nvdimm         emulated NVDIMM with a label area (ndctl create-namespace)
#        nvdimm-nolabel emulated label-less NVDIMM (one raw namespace)
#        pmem-legacy    memmap=..!.. legacy e820 pmem (nd_e820)
#        cxl            (6.12) a CXL type-3 volatile memory device (512M) behind a
#                       CXL host bridge and root port, a 4G fixed memory window
#                       (q35,cxl=on); the cxl modules are loaded
#        memmap-on-memory  memory_hotplug.memmap_on_memory=1 (with another kind)
#        auto-online    a marker (with another kind): keep the kernel's policy
#        efi-fake-mem   OVMF + efi_fake_mem=..:0x40000 (needs CONFIG_EFI_FAKE_MEMMAP)
#        none
#   VM_ACCEL=auto|kvm|tcg   (auto: use KVM when it works)
#   VM_KERNEL=6.1|6.12      6.1: Debian 12's kernel, QEMU of the host, ndctl 76.1;
#                           6.12: bookworm-backports' kernel and QEMU 10, ndctl v81
#                           (test/kernel/prepare-612.sh, cache $VM_CACHE/k612)
#   VM_MEM=2G  VM_SMP=2  VM_TIMEOUT=<seconds>  VM_APPEND="extra kernel args"
#   VM_MODULES="..."        modules to modprobe before the script
#   VM_EXTRA="a:b"          host files/dirs copied to /vmtest/extra/ in the guest
#                           (shared libs of ELF files are added to /usr/lib/...
#                           unless the guest has a library of that name)
#   VM_EXTRA_LIBS="a:b"     host libraries copied to /vmtest/extra/lib/ (symlinks
#                           kept); run with LD_LIBRARY_PATH=/vmtest/extra/lib to
#                           use them instead of the guest's (Debian's libdaxctl)
#   VM_GUEST_ENV="K=V ..."  variables exported to the guest script, e.g.
#                           VM_EXTRA=build/daxctl VM_GUEST_ENV=DAXCTL=/vmtest/extra/daxctl
#   VM_EFI=1                boot through OVMF (-bios) instead of SeaBIOS
#   VM_SHELL=1              interactive guest shell instead of the script
#   VM_VERBOSE=1            echo the serial console while running
#   VM_NO_APT=1             never call apt-get
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${VM_CACHE:-/var/tmp/daxctl-vm-cache}
export VM_CACHE=$CACHE

usage() { sed -n '2,40p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage
GUEST_SCRIPT=$1
[ -f "$GUEST_SCRIPT" ] || { echo "no such guest script: $GUEST_SCRIPT" >&2; exit 2; }
GUEST_SCRIPT=$(cd "$(dirname "$GUEST_SCRIPT")" && pwd)/$(basename "$GUEST_SCRIPT")
SNAME=$(basename "$GUEST_SCRIPT" .sh)
OUTDIR=${2:-$CACHE/out/$SNAME}
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

log() { echo "[run-vm] $*" >&2; }

now() { echo "$EPOCHREALTIME"; }
T_START=$(now)

# ------------------------------------------------------------ prepare cache
# exit 4: the VM cannot be prepared here (no QEMU, packages not fetchable)
QEMU_BIN=qemu-system-x86_64
case ${VM_KERNEL:-6.1} in
6.1) "$VM_DIR/prepare.sh" || exit 4 ;;
6.12)
	"$VM_DIR/prepare-612.sh" || exit 4
	CACHE=$CACHE/k612
	QEMU_BIN=$CACHE/qemu/qemu-system-x86_64
	;;
*) echo "unknown VM_KERNEL: $VM_KERNEL" >&2; exit 2 ;;
esac
KVER=$(cat "$CACHE/kver")
KERNEL=$CACHE/kernel/boot/vmlinuz-$KVER
T_PREPARED=$(now)

# ------------------------------------------------------------ accelerator
ACCEL=${VM_ACCEL:-auto}
KVM_CPU=${VM_CPU:-host,-arch-capabilities}
# Does KVM really boot this kernel?  /dev/kvm may exist and qemu may start,
# yet the guest may never get anywhere (seen on a PVM-based nested host:
# stuck in the kernel decompressor).  So boot the base initramfs once with
# KVM (it powers off right after /init starts) and cache the verdict in
# cache/accel-probe.txt.  Delete that file to probe again.
probe_kvm() {
	local t0 t1 ok=tcg
	[ -w /dev/kvm ] || { echo "tcg no-writable-/dev/kvm"; return; }
	t0=$EPOCHREALTIME
	if timeout "${VM_KVM_PROBE_S:-30}" "$QEMU_BIN" -accel kvm -M pc -cpu "$KVM_CPU" -m 512 \
		-nodefaults -nographic -serial stdio -monitor none -no-reboot \
		-kernel "$KERNEL" -initrd "$CACHE/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 loglevel=4" < /dev/null 2>/dev/null |
		grep -a -m1 -q '@@VMTEST INIT'; then
		ok=kvm
	fi
	t1=$EPOCHREALTIME
	echo "$ok probe_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') kernel=$KVER cpu=$KVM_CPU"
}
if [ "$ACCEL" = auto ]; then
	PROBE=$CACHE/accel-probe.txt
	if [ ! -s "$PROBE" ] || ! grep -q "kernel=$KVER " "$PROBE"; then
		log "probing whether KVM can boot the guest (up to ${VM_KVM_PROBE_S:-30}s, cached)"
		probe_kvm > "$PROBE"
	fi
	ACCEL=$(cut -d' ' -f1 "$PROBE")
	log "accelerator probe: $(cat "$PROBE")"
fi
if [ "$ACCEL" = kvm ]; then
	# nested KVM here refuses MSR 0x10a (IA32_ARCH_CAPABILITIES) with -cpu host
	CPU=$KVM_CPU
	: "${VM_TIMEOUT:=600}"
else
	CPU=${VM_CPU:-max}
	: "${VM_TIMEOUT:=2400}"
fi

# ------------------------------------------------------------ dax scenario
VM_DAX=${VM_DAX:-hmem,nvdimm}
MEM=${VM_MEM:-2G}
SMP=${VM_SMP:-2}
MACHINE="pc,accel=$ACCEL"
QARGS=()
APPEND="console=ttyS0 panic=-1 loglevel=4 ${VM_APPEND:-}"
# a private run directory: several runs may share one cache
mkdir -p "$CACHE/run"
RUNDIR=$(mktemp -d "$CACHE/run/job.XXXXXX")
trap 'rm -rf "$RUNDIR"' EXIT
NUMA=0
MORE_MODULES=
for d in ${VM_DAX//,/ }; do
	case $d in
	hmem)
		# turn guest RAM [1G, 1.5G) into EFI_MEMORY_SP-like "Soft Reserved"
		# (e820 type 0xefffffff); dax_hmem then creates a dynamic region
		APPEND+=" memmap=512M%0x40000000-1+0xefffffff"
		;;
	hmem-numa)
		# node 0: 3G below 4G (holds the ACPI tables at its top),
		# node 1: 1G at [4G, 5G), entirely soft-reserved -> memoryless node,
		# dax region with target_node 1 (like CXL / HBM memory)
		NUMA=1
		APPEND+=" memmap=1G%0x100000000-1+0xefffffff"
		;;
	nvdimm | nvdimm-nolabel)
		MACHINE+=",nvdimm=on"
		img=$RUNDIR/nvdimm0.img
		rm -f "$img"
		# 1G + 2M: QEMU puts the label area (rounded up to the 2M backend
		# alignment) at the end, leaving a 16M-aligned 1G pmem region
		lbl=",label-size=128K"
		sz=1026M
		[ "$d" = nvdimm-nolabel ] && { lbl=; sz=1G; }
		truncate -s $sz "$img"
		QARGS+=(-object "memory-backend-file,id=nvmem0,share=on,mem-path=$img,size=$sz,align=2M"
			-device "nvdimm,id=nvdimm0,memdev=nvmem0$lbl")
		;;
	pmem-legacy)
		APPEND+=" memmap=256M!0x60000000"
		;;
	cxl)
		# QEMU's CXL: host bridge cxl.1, root port, a type-3 device with
		# 512M volatile memory, a 4G window targeting the host bridge.
		# No hypervisor CPUID bit: the kernel refuses to commit a region
		# when it cannot invalidate CPU caches, which it assumes of VMs
		# (CONFIG_CXL_REGION_INVALIDATION_TEST is off in Debian's kernel)
		MACHINE=${MACHINE/#pc,/q35,cxl=on,}
		CPU_FLAGS=,-hypervisor
		# shellcheck disable=SC2054 # QEMU option values contain commas
		QARGS+=(-object memory-backend-ram,id=cxlvmem0,share=on,size=512M
			-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
			-device cxl-rp,port=0,bus=cxl.1,id=cxlrp0,chassis=0,slot=2
			-device cxl-type3,bus=cxlrp0,volatile-memdev=cxlvmem0,id=cxl-vmem0
			-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G)
		MORE_MODULES+=" cxl_acpi cxl_pci cxl_port cxl_mem dax_cxl kmem"
		;;
	memmap-on-memory)
		APPEND+=" memory_hotplug.memmap_on_memory=1"
		;;
	auto-online)
		# a marker only: the kernel's own auto-online policy is kept
		# (check-kernel.sh adds no memhp_default_state=offline)
		;;
	efi-fake-mem)
		VM_EFI=1
		APPEND+=" efi_fake_mem=512M@0x40000000:0x40000"
		;;
	none) ;;
	*) echo "unknown VM_DAX entry: $d" >&2; exit 2;;
	esac
done
if [ $NUMA = 1 ]; then
	# shellcheck disable=SC2054 # QEMU option values contain commas
	QARGS+=(-object memory-backend-ram,id=ram0,size=3G
		-object memory-backend-ram,id=ram1,size=1G
		-numa "node,nodeid=0,cpus=0-$((SMP - 1)),memdev=ram0"
		-numa node,nodeid=1,memdev=ram1)
	MEM=4G
fi
if [ "${VM_EFI:-0}" = 1 ]; then
	QARGS+=(-bios /usr/share/ovmf/OVMF.fd)
fi

# ------------------------------------------------------------ job initramfs
JOB=$RUNDIR/job-root
rm -rf "$JOB"
mkdir -p "$JOB/vmtest/job" "$JOB/vmtest/extra" "$JOB/usr/lib/x86_64-linux-gnu"
cp -a "$VM_DIR/guest/." "$JOB/vmtest/job/"
if [ -n "${VM_EXTRA_LIBS:-}" ]; then
	mkdir -p "$JOB/vmtest/extra/lib"
	IFS=: read -r -a xlibs <<< "$VM_EXTRA_LIBS"
	for e in "${xlibs[@]}"; do
		cp -a "$e" "$JOB/vmtest/extra/lib/"
	done
fi
cp "$GUEST_SCRIPT" "$JOB/vmtest/job/$(basename "$GUEST_SCRIPT")"
if [ -n "${VM_EXTRA:-}" ]; then
	IFS=: read -r -a extras <<< "$VM_EXTRA"
	for e in "${extras[@]}"; do
		cp -a "$e" "$JOB/vmtest/extra/"
	done
	# shared libraries of ELF files (from the host; same Debian release)
	find "$JOB/vmtest/extra" -path "$JOB/vmtest/extra/lib" -prune -o -type f -print | while read -r f; do
		file -b "$f" 2>/dev/null | grep -q '^ELF.*dynamically' || continue
		ldd "$f" 2>/dev/null | awk '/=>/ {print $3}' | while read -r l; do
			# shellcheck disable=SC2015 # the || branch is only for a missing library, either way right
			[ -f "$l" ] && [ ! -e "$CACHE/initramfs-root/usr/lib/x86_64-linux-gnu/$(basename "$l")" ] &&
				cp -L "$l" "$JOB/usr/lib/x86_64-linux-gnu/" || true
		done
	done
fi
MODULES=${VM_MODULES:-"nfit libnvdimm nd_pmem nd_btt nd_e820 dax_pmem device_dax dax_hmem"}$MORE_MODULES
{
	echo "VMTEST_SCRIPT='$(basename "$GUEST_SCRIPT")'"
	echo "VMTEST_MODULES='$MODULES'"
	echo "VMTEST_DAX='$VM_DAX'"
	echo "VMTEST_SCENARIO='${VM_SCENARIO:-$VM_DAX}'"
	echo "VMTEST_SHELL='${VM_SHELL:-0}'"
	echo "VMTEST_ACCEL='$ACCEL'"
	# VM_GUEST_ENV="NAME=VALUE ...": exported into the guest script's environment
	for kv in ${VM_GUEST_ENV:-}; do
		echo "export ${kv%%=*}='${kv#*=}'"
	done
} > "$JOB/vmtest/job.env"
(cd "$JOB" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$RUNDIR/job.cpio.gz"
cat "$CACHE/initramfs.cpio.gz" "$RUNDIR/job.cpio.gz" > "$RUNDIR/initrd.cpio.gz"

# ------------------------------------------------------------ run
rm -rf "$OUTDIR/guest"
mkdir -p "$OUTDIR/guest"
QEMU=("$QEMU_BIN"
	-machine "$MACHINE" -cpu "$CPU${CPU_FLAGS:-}" -smp "$SMP"
	-m "$MEM,slots=4,maxmem=8G"
	-nographic -no-reboot -nodefaults -serial stdio -monitor none
	-kernel "$KERNEL" -initrd "$RUNDIR/initrd.cpio.gz"
	-append "$APPEND"
	-virtfs "local,path=$OUTDIR/guest,mount_tag=vmout,security_model=none,id=vmout"
	"${QARGS[@]}")
# command line for the record
for a in "${QEMU[@]}"; do
	case $a in *[[:space:]]*) printf "'%s' " "$a";; *) printf '%s ' "$a";; esac
done > "$OUTDIR/qemu-cmdline.txt"
echo >> "$OUTDIR/qemu-cmdline.txt"
log "accel=$ACCEL dax=$VM_DAX kernel=$KVER timeout=${VM_TIMEOUT}s"

SERIAL=$OUTDIR/serial.log
TIMING=$OUTDIR/timing.txt
: > "$SERIAL"
{
	echo "accel=$ACCEL"
	echo "dax=$VM_DAX"
	echo "kernel=$KVER"
	echo "prepare_s=$(awk -v a="$T_START" -v b="$T_PREPARED" 'BEGIN{printf "%.2f", b-a}')"
} > "$TIMING"

T_BOOT=$(now)
stamp() { awk -v a="$T_BOOT" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}'; }
set +e
if [ "${VM_SHELL:-0}" = 1 ]; then
	"${QEMU[@]}"
	QRC=$?
else
	timeout "$VM_TIMEOUT" "${QEMU[@]}" < /dev/null 2> "$OUTDIR/qemu-stderr.txt" |
		while IFS= read -r line; do
			line=${line%$'\r'}
			printf '%s\n' "$line" >> "$SERIAL"
			case $line in
			*"@@VMTEST INIT "*) echo "host_to_init_s=$(stamp)" >> "$TIMING";;
			*"@@VMTEST SCRIPT-START"*) echo "host_to_script_start_s=$(stamp)" >> "$TIMING";;
			*"@@VMTEST SCRIPT-END"*) echo "host_to_script_end_s=$(stamp)" >> "$TIMING";;
			*"@@VMTEST POWEROFF"*) echo "host_to_poweroff_s=$(stamp)" >> "$TIMING";;
			esac
			[ "${VM_VERBOSE:-0}" = 1 ] && printf '%s\n' "$line" >&2
		done
	QRC=${PIPESTATUS[0]}
fi
set -e
echo "qemu_exit_s=$(stamp)" >> "$TIMING"
echo "qemu_rc=$QRC" >> "$TIMING"
[ "$QRC" = 124 ] && log "TIMEOUT after ${VM_TIMEOUT}s"

# serial fallback transport
if grep -q '@@VMTEST TAR-BEGIN' "$SERIAL"; then
	sed -n '/@@VMTEST TAR-BEGIN/,/@@VMTEST TAR-END/p' "$SERIAL" | sed '1d;$d' |
		grep -E '^[A-Za-z0-9+/=]+$' | base64 -d | tar -xzf - -C "$OUTDIR/guest" ||
		log "could not decode the serial tarball"
fi

GRC=$(cat "$OUTDIR/guest/guest-rc" 2>/dev/null || echo missing)
echo "guest_rc=$GRC" >> "$TIMING"
echo "total_s=$(awk -v a="$T_START" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}')" >> "$TIMING"
sed 's/^/[run-vm]   /' "$TIMING" >&2
log "results in $OUTDIR"
if [ "$GRC" = 0 ]; then exit 0; fi
[ "$GRC" = missing ] && exit 3
exit 1
