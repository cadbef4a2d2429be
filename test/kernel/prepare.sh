#!/bin/bash
# Prepare everything run-vm.sh needs, caching under $VM_CACHE
# (default /var/tmp/daxctl-vm-cache).
#
#  - host tools: qemu-system-x86 (+ ovmf, cpio, kmod) via apt-get install
#  - Debian kernel image (apt-get download + dpkg -x, never installed on host)
#  - busybox-static, ndctl/daxctl 76.1, jq and all their shared libraries
#    (apt-get download + dpkg -x), for use INSIDE the guest
#  - a base initramfs (cache/initramfs.cpio.gz)
#
# Idempotent: re-running only redoes cheap steps (initramfs assembly).
# Environment:
#   VM_KPKG        kernel package (default: what linux-image-amd64 depends on)
#   VM_NO_APT=1    never call apt-get (fail if something is missing)
#   VM_FORCE=1     re-extract everything
#   VM_EXTRA_MODS  more modules for the initramfs;  VM_INITRAMFS_HOOK  a
#                  program run with the initramfs root before it is packed
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${VM_CACHE:-/var/tmp/daxctl-vm-cache}
DEBS=$CACHE/debs
mkdir -p "$CACHE" "$DEBS"
# one preparation at a time per cache (runs may be started concurrently)
if [ -z "${VM_PREPARE_LOCKED:-}" ] && command -v flock >/dev/null; then
	export VM_PREPARE_LOCKED=1
	exec flock "$CACHE/.prepare.lock" "$0" "$@"
fi
[ -f "$CACHE/.gitignore" ] || printf '*\n!.gitignore\n' > "$CACHE/.gitignore"

log() { echo "[prepare] $*" >&2; }
die() { echo "[prepare] ERROR: $*" >&2; exit 1; }

apt_ok() { [ "${VM_NO_APT:-0}" != 1 ]; }
APT_UPDATED=0
apt_update_once() {
	if [ $APT_UPDATED = 0 ]; then
		apt-get update -qq >&2 || true
		APT_UPDATED=1
	fi
}

# ---------------------------------------------------------------- host tools
need_host_pkgs=()
command -v qemu-system-x86_64 >/dev/null || need_host_pkgs+=(qemu-system-x86)
command -v cpio >/dev/null || need_host_pkgs+=(cpio)
command -v depmod >/dev/null || need_host_pkgs+=(kmod)
[ -e /usr/share/ovmf/OVMF.fd ] || need_host_pkgs+=(ovmf)
if [ ${#need_host_pkgs[@]} -gt 0 ]; then
	apt_ok || die "missing host packages: ${need_host_pkgs[*]}"
	log "installing host packages: ${need_host_pkgs[*]}"
	apt_update_once
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${need_host_pkgs[@]}" >&2 || {
		# ovmf is optional (only for the EFI experiments)
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			qemu-system-x86 cpio kmod >&2
	}
fi

# ---------------------------------------------------------------- debs
KPKG=${VM_KPKG:-}
if [ -z "$KPKG" ]; then
	if [ -f "$CACHE/kpkg" ]; then
		KPKG=$(cat "$CACHE/kpkg")
	else
		KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null |
			awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
		if [ -z "$KPKG" ] && apt_ok; then
			apt_update_once
			KPKG=$(apt-cache depends linux-image-amd64 |
				awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
		fi
		[ -n "$KPKG" ] || die "cannot determine the kernel package"
	fi
fi
echo "$KPKG" > "$CACHE/kpkg"

# userspace packages extracted into the guest userland
USER_PKGS=(busybox-static ndctl daxctl libndctl6 libdaxctl1 libcxl1 libiniparser1
	libjson-c5 libkeyutils1 libtraceevent1 libtracefs1 libuuid1 libkmod2 libudev1
	liblzma5 libssl3 libzstd1 libc6 jq libjq1 libonig5
	# Debian's other consumers of libdaxctl (guest/debian.sh): PMDK's daxio
	# and pmempool, libpmem2, memkind-auto-dax-kmem-nodes and libmemkind
	pmdk-tools libpmem1 libpmem2 libpmemblk1 libpmemlog1 libpmemobj1
	libpmempool1 libmemkind0 libmemkind-progs libhwloc15 libnuma1)

have_deb() { ls "$DEBS/$1"_*.deb >/dev/null 2>&1; }
missing=()
for p in "$KPKG" "${USER_PKGS[@]}"; do have_deb "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	apt_ok || die "missing debs in cache: ${missing[*]}"
	log "downloading: ${missing[*]}"
	apt_update_once
	# apt-get download as root warns that _apt cannot write here; harmless
	(cd "$DEBS" && apt-get download "${missing[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2) ||
		die "apt-get download failed"
fi

# ---------------------------------------------------------------- extract
# shellcheck disable=SC2012 # package files and module directories, no blanks
KDEB=$(ls "$DEBS/$KPKG"_*.deb | head -n1)
if [ "${VM_FORCE:-0}" = 1 ] || [ ! -f "$CACHE/kernel/.stamp" ] ||
	[ "$(cat "$CACHE/kernel/.stamp")" != "$(basename "$KDEB")" ]; then
	log "extracting $(basename "$KDEB")"
	rm -rf "$CACHE/kernel"
	mkdir -p "$CACHE/kernel"
	dpkg -x "$KDEB" "$CACHE/kernel"
	basename "$KDEB" > "$CACHE/kernel/.stamp"
fi
# shellcheck disable=SC2012 # package files and module directories, no blanks
KVER=$(ls "$CACHE/kernel/lib/modules" | head -n1)
[ -n "$KVER" ] || die "no modules dir in kernel package"
echo "$KVER" > "$CACHE/kver"
ln -sfn "kernel/boot/vmlinuz-$KVER" "$CACHE/vmlinuz"
# full module index (for --show-depends); the deb does not ship modules.dep
if [ ! -f "$CACHE/kernel/lib/modules/$KVER/modules.dep" ]; then
	log "depmod on extracted kernel $KVER"
	depmod -b "$CACHE/kernel" "$KVER"
fi

# shellcheck disable=SC2010 # package file names, no blanks
user_stamp=$(cd "$DEBS" && ls | grep -v '^linux-image' | sort | md5sum | cut -d' ' -f1)
if [ "${VM_FORCE:-0}" = 1 ] || [ ! -f "$CACHE/userland/.stamp" ] ||
	[ "$(cat "$CACHE/userland/.stamp")" != "$user_stamp" ]; then
	log "extracting userland debs"
	rm -rf "$CACHE/userland"
	mkdir -p "$CACHE/userland"
	for p in "${USER_PKGS[@]}"; do
		# shellcheck disable=SC2012 # package files and module directories, no blanks
		dpkg -x "$(ls "$DEBS/$p"_*.deb | head -n1)" "$CACHE/userland"
	done
	echo "$user_stamp" > "$CACHE/userland/.stamp"
fi

# ---------------------------------------------------------------- initramfs
# Modules wanted in the guest (plus their dependencies).  Names that do not
# exist in this kernel (e.g. dax_pmem_core/dax_pmem_compat, removed in 5.x)
# are reported and skipped.
WANT_MODS=(nfit libnvdimm nd_pmem nd_btt nd_e820 dax_pmem dax_pmem_core dax_pmem_compat
	device_dax kmem dax_hmem virtio_pci virtio_blk 9pnet_virtio 9p virtio_mem)
# more (prepare-612.sh: the CXL modules)
# shellcheck disable=SC2206
WANT_MODS+=(${VM_EXTRA_MODS:-})

ST=$CACHE/initramfs-root
rm -rf "$ST"
mkdir -p "$ST"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,proc,sys,dev,tmp,run,out,etc,mnt,root,vmtest}
ln -s usr/bin "$ST/bin"
ln -s usr/sbin "$ST/sbin"
ln -s usr/lib "$ST/lib"
ln -s usr/lib64 "$ST/lib64"

U=$CACHE/userland
cp "$U/bin/busybox" "$ST/usr/bin/busybox"
for a in $("$U/bin/busybox" --list); do
	[ "$a" = busybox ] && continue
	[ -e "$ST/usr/bin/$a" ] || ln -s busybox "$ST/usr/bin/$a"
done
# kernel's request_module uses /sbin/modprobe -> busybox modprobe

BINS=(usr/bin/ndctl usr/bin/daxctl usr/bin/cxl usr/bin/jq
	usr/bin/daxio usr/bin/pmempool usr/bin/memkind-auto-dax-kmem-nodes
	# loaded with dlopen by guest/debian.sh, not linked by a program above
	usr/lib/x86_64-linux-gnu/libpmem2.so.1)
LIBPATH="$U/lib/x86_64-linux-gnu:$U/usr/lib/x86_64-linux-gnu"
declare -A seen_libs=()
copy_libs_of() {
	local bin=$1 line lib
	while read -r line; do
		lib=$(echo "$line" | awk '/=>/ {print $3; next} /^\// {print $1}')
		# shellcheck disable=SC2015 # the || branch is only for a missing library, either way right
		[ -n "$lib" ] && [ -f "$lib" ] || continue
		case $lib in
		"$U"/* | /lib64/ld-linux-x86-64.so.2) ;;
		*) log "WARNING: $(basename "$bin") needs $lib from the HOST (not in cached debs)";;
		esac
		[ -n "${seen_libs[$lib]:-}" ] && continue
		seen_libs[$lib]=1
		cp -L "$lib" "$ST/usr/lib/x86_64-linux-gnu/$(basename "$lib")"
	done < <(LD_LIBRARY_PATH=$LIBPATH ldd "$bin" 2>/dev/null || true)
}
for b in "${BINS[@]}"; do
	if [ -f "$U/$b" ]; then
		cp "$U/$b" "$ST/$b"
		copy_libs_of "$U/$b"
	else
		log "WARNING: $b not found in userland"
	fi
done
# libkmod dlopen()s nothing; but make sure the loader is where PT_INTERP says
cp -L "$U/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$ST/usr/lib/x86_64-linux-gnu/"
ln -sf ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$ST/usr/lib64/ld-linux-x86-64.so.2"
printf '/usr/lib/x86_64-linux-gnu\n' > "$ST/etc/ld.so.conf"
ldconfig -r "$ST" 2>/dev/null || true

# kernel modules
KM=$CACHE/kernel/lib/modules/$KVER
mkdir -p "$CACHE/empty.d"
mkdir -p "$ST/usr/lib/modules/$KVER"
: > "$CACHE/initramfs-modules.txt"
for m in "${WANT_MODS[@]}"; do
	# -C <empty dir>: ignore the host's /etc/modprobe.d (install/softdep rules)
	out=$(modprobe -C "$CACHE/empty.d" -d "$CACHE/kernel" -S "$KVER" --show-depends "$m" 2>/dev/null) || {
		echo "absent $m" >> "$CACHE/initramfs-modules.txt"
		continue
	}
	while read -r kind path _; do
		case $kind in
		insmod)
			rel=${path#"$KM"/}
			mkdir -p "$ST/usr/lib/modules/$KVER/$(dirname "$rel")"
			cp "$path" "$ST/usr/lib/modules/$KVER/$rel"
			echo "module $rel" >> "$CACHE/initramfs-modules.txt"
			;;
		builtin) echo "builtin $path" >> "$CACHE/initramfs-modules.txt";;
		esac
	done <<< "$out"
done
sort -u -o "$CACHE/initramfs-modules.txt" "$CACHE/initramfs-modules.txt"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$KM/$f" ] && cp "$KM/$f" "$ST/usr/lib/modules/$KVER/"
done
depmod -b "$ST" "$KVER"

# /init and minimal /etc
cp "$VM_DIR/init" "$ST/init"
chmod 755 "$ST/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$ST/etc/passwd"
echo "root:x:0:" > "$ST/etc/group"
ln -sf /proc/mounts "$ST/etc/mtab"
echo "$KVER" > "$ST/etc/vmtest-kver"
cat "$CACHE/initramfs-modules.txt" > "$ST/etc/vmtest-modules"
# shellcheck disable=SC2011 # package file names, no blanks
(cd "$U" && for p in "${USER_PKGS[@]}"; do ls "$DEBS/$p"_*.deb | xargs -n1 basename; done) \
	> "$ST/etc/vmtest-debs"

# a last touch by the caller (prepare-612.sh: ndctl v81)
if [ -n "${VM_INITRAMFS_HOOK:-}" ]; then "$VM_INITRAMFS_HOOK" "$ST" || die "$VM_INITRAMFS_HOOK failed"; fi

(cd "$ST" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$CACHE/initramfs.cpio.gz.tmp"
mv "$CACHE/initramfs.cpio.gz.tmp" "$CACHE/initramfs.cpio.gz"
log "kernel $KVER, initramfs $(du -h "$CACHE/initramfs.cpio.gz" | cut -f1)"
