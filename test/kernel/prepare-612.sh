#!/bin/bash
# prepare-612.sh -- the tier's second kernel: Debian's 6.12 from
# bookworm-backports, QEMU 10 (bookworm-backports, for CXL) and ndctl v81's
# daxctl/ndctl/cxl from trixie, all fetched with apt-get download through a
# PRIVATE apt configuration in the cache (never /etc/apt, never installed on
# the host) and unpacked with dpkg -x.
#
# Cache: ${VM_CACHE:-/var/tmp/daxctl-vm-cache}/k612/
#   apt-bpo/, apt-trixie/  the private sources.list, lists and archives
#   debs/                  what prepare.sh takes (the 6.12 kernel and the
#                          same bookworm userland as the 6.1 guest)
#   qemu/                  QEMU 10 unpacked, with the libraries the host
#                          lacks in qemu/lib; qemu/qemu-system-x86_64 runs it
#   v81/                   trixie's ndctl v81 tools, the trixie libraries
#                          they load and trixie's own ld.so
#   kernel/ kver initramfs.cpio.gz initramfs-root/  as prepare.sh makes them
#
# The mirror is the one of the machine's own Debian sources (read from
# /etc/apt/sources.list.d/*.sources or sources.list, the source with the
# suite "bookworm"), or $VM_DEBIAN_MIRROR.
#
# In the guest, /usr/bin/daxctl, ndctl and cxl are v81 (wrappers running
# /opt/v81/bin/* through trixie's ld-linux with --library-path); 76.1 stays
# as /usr/bin/daxctl-76.1.
#
# Environment: VM_KPKG_612 (kernel package; default the newest
# linux-image-6.12.*+deb12-amd64-unsigned), VM_NO_APT=1, VM_FORCE=1.
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASE=${VM_CACHE:-/var/tmp/daxctl-vm-cache}
K=$BASE/k612
mkdir -p "$K/debs"
if [ -z "${VM_PREPARE612_LOCKED:-}" ] && command -v flock >/dev/null; then
	export VM_PREPARE612_LOCKED=1
	exec flock "$K/.prepare612.lock" "$0" "$@"
fi

log() { echo "[prepare-612] $*" >&2; }
die() { echo "[prepare-612] ERROR: $*" >&2; exit 1; }

# the 6.1 cache first: its bookworm userland debs are reused
VM_CACHE=$BASE "$VM_DIR/prepare.sh" || die "prepare.sh (6.1) failed"

# ---------------------------------------------------------------- private apt
mirror() {
	[ -n "${VM_DEBIAN_MIRROR:-}" ] && { echo "$VM_DEBIAN_MIRROR"; return; }
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ { u = $2 } /^$/ { u = "" }
		     /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") { print u; exit } }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) { if ($(i + 1) == "bookworm") print $i; break } }' "$f"
	done
}
papt() { # SUITESET apt-get|apt-cache ARGS...: apt with the private configuration
	local d=$K/apt-$1 tool=$2
	shift 2
	"$tool" -o Dir::Etc::sourcelist="$d/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$d/lists" -o Dir::Cache="$d/cache" \
		-o Dir::State::status=/dev/null -o APT::Sandbox::User=root "$@"
}
apt_setup() { # SUITESET SUITES...
	local set=$1 d=$K/apt-$1 s
	shift
	[ -f "$d/lists/.updated" ] && return 0
	[ "${VM_NO_APT:-0}" != 1 ] || die "no private apt lists for $set (VM_NO_APT=1)"
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	: > "$d/sources.list"
	for s in "$@"; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $s main" >> "$d/sources.list"
	done
	log "apt-get update ($*) with the private sources list $d/sources.list"
	papt "$set" apt-get -qq update >&2 || die "apt-get update for $set failed"
	touch "$d/lists/.updated"
}
fetch() { # SUITESET DESTDIR PKG[/SUITE]...
	local set=$1 dest=$2 p missing=()
	shift 2
	mkdir -p "$dest"
	for p in "$@"; do
		ls "$dest/${p%%/*}"_*.deb >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return 0
	[ "${VM_NO_APT:-0}" != 1 ] || die "missing debs (VM_NO_APT=1): ${missing[*]}"
	log "downloading: ${missing[*]}"
	(cd "$dest" && papt "$set" apt-get -q download "${missing[@]}" >&2) ||
		die "apt-get download failed: ${missing[*]}"
}

MIRROR=
if [ ! -f "$K/apt-bpo/lists/.updated" ] || [ ! -f "$K/apt-trixie/lists/.updated" ]; then
	MIRROR=$(mirror | head -n1)
	[ -n "$MIRROR" ] || die "no Debian mirror with suite bookworm in /etc/apt (set VM_DEBIAN_MIRROR)"
fi
apt_setup bpo bookworm bookworm-backports
apt_setup trixie trixie

# ---------------------------------------------------------------- kernel
KPKG=${VM_KPKG_612:-}
if [ -z "$KPKG" ]; then
	KPKG=$(papt bpo apt-cache pkgnames linux-image-6.12. |
		grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' | sort -V | tail -n1)
	[ -n "$KPKG" ] || die "no linux-image-6.12.*+deb12-amd64-unsigned in bookworm-backports"
fi
fetch bpo "$K/debs" "$KPKG/bookworm-backports"
# the bookworm userland of the 6.1 guest (ndctl 76.1, busybox, jq ...)
for f in "$BASE"/debs/*.deb; do
	case $(basename "$f") in linux-image-*) continue ;; esac
	[ -e "$K/debs/$(basename "$f")" ] || ln -f "$f" "$K/debs/" 2>/dev/null || cp "$f" "$K/debs/"
done

# ---------------------------------------------------------------- QEMU 10
QD=$K/qemu-debs
fetch bpo "$QD" qemu-system-x86/bookworm-backports qemu-system-data/bookworm-backports \
	seabios
if [ "${VM_FORCE:-0}" = 1 ] || [ ! -x "$K/qemu/usr/bin/qemu-system-x86_64" ]; then
	log "extracting QEMU 10"
	rm -rf "$K/qemu"
	mkdir -p "$K/qemu/lib"
	for f in "$QD"/*.deb; do dpkg -x "$f" "$K/qemu"; done
fi
# the libraries the host lacks (its own QEMU 7.2 brought most): from the
# packages qemu-system-x86 depends on, the backports version when there is one
if LD_LIBRARY_PATH=$K/qemu/lib ldd "$K/qemu/usr/bin/qemu-system-x86_64" | grep -q 'not found'; then
	deps=$(papt bpo apt-cache depends qemu-system-x86/bookworm-backports 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^lib/ && $2 != "libc6" { print $2 }' | sort -u)
	for p in $deps; do
		if papt bpo apt-cache policy "$p" 2>/dev/null | grep -q 'bookworm-backports/main'; then
			fetch bpo "$QD/libs" "$p/bookworm-backports"
		else
			fetch bpo "$QD/libs" "$p"
		fi
	done
	rm -rf "$K/qemu-libs"
	mkdir -p "$K/qemu-libs"
	for f in "$QD"/libs/*.deb; do dpkg -x "$f" "$K/qemu-libs"; done
	LD_LIBRARY_PATH=$K/qemu/lib ldd "$K/qemu/usr/bin/qemu-system-x86_64" |
		awk '/not found/ { print $1 }' | while read -r so; do
		l=$(find "$K/qemu-libs" -name "$so" | head -n1)
		[ -n "$l" ] || die "QEMU 10 needs $so, in none of its dependencies"
		cp -L "$l" "$K/qemu/lib/$so"
	done
	rm -rf "$K/qemu-libs"
fi
cat > "$K/qemu/qemu-system-x86_64" <<'EOF'
#!/bin/sh
# QEMU 10 from bookworm-backports, unpacked by test/kernel/prepare-612.sh
d=$(cd "$(dirname "$0")" && pwd)
export LD_LIBRARY_PATH="$d/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export QEMU_MODULE_DIR="$d/usr/lib/x86_64-linux-gnu/qemu"
exec "$d/usr/bin/qemu-system-x86_64" -L "$d/usr/share/qemu" -L "$d/usr/share/seabios" "$@"
EOF
chmod 755 "$K/qemu/qemu-system-x86_64"
"$K/qemu/qemu-system-x86_64" --version | head -n1 > "$K/qemu/version" ||
	die "QEMU 10 does not run: $(cat "$K/qemu/version")"

# ---------------------------------------------------------------- ndctl v81
TD=$K/trixie-debs
tpkgs=$(papt trixie apt-cache depends --recurse --no-recommends --no-suggests \
	--no-conflicts --no-breaks --no-replaces --no-enhances daxctl ndctl cxl 2>/dev/null |
	grep -v '^ ' | grep -v -x -e init-system-helpers -e debconf | sort -u)
# shellcheck disable=SC2086
fetch trixie "$TD" $tpkgs
# shellcheck disable=SC2012 # a directory of package files, no blanks
tstamp=$(ls "$TD" | md5sum | cut -d' ' -f1)
if [ "${VM_FORCE:-0}" = 1 ] || [ "$(cat "$K/v81/.stamp" 2>/dev/null)" != "$tstamp" ]; then
	log "extracting ndctl v81 (trixie)"
	rm -rf "$K/v81-root" "$K/v81"
	mkdir -p "$K/v81-root" "$K/v81/bin" "$K/v81/lib"
	for f in "$TD"/*.deb; do dpkg -x "$f" "$K/v81-root"; done
	R=$K/v81-root
	LD=$R/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
	[ -f "$LD" ] || LD=$R/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
	cp -L "$LD" "$K/v81/lib/"
	TLP=$R/usr/lib/x86_64-linux-gnu:$R/lib/x86_64-linux-gnu
	for b in daxctl ndctl cxl; do
		cp "$R/usr/bin/$b" "$K/v81/bin/"
		"$LD" --library-path "$TLP" --list "$R/usr/bin/$b" |
			awk '/=>/ { print $3 }' | while read -r l; do
			case $l in "$R"/*) ;; *) die "v81 $b loads $l from outside trixie's packages" ;; esac
			cp -L "$l" "$K/v81/lib/"
		done
	done
	"$LD" --library-path "$K/v81/lib" "$K/v81/bin/daxctl" --version > "$K/v81/version"
	rm -rf "$K/v81-root"
	echo "$tstamp" > "$K/v81/.stamp"
fi

# ---------------------------------------------------------------- initramfs
# prepare.sh on the k612 cache, with the CXL modules, and a hook adding v81
cat > "$K/initramfs-hook.sh" <<'EOF'
#!/bin/sh
# called by prepare.sh with the initramfs root: put ndctl v81 in
ST=$1 K=$(dirname "$0")
mkdir -p "$ST/opt/v81"
cp -a "$K/v81/bin" "$K/v81/lib" "$ST/opt/v81/"
for b in daxctl ndctl cxl; do
	[ -e "$ST/usr/bin/$b" ] && mv "$ST/usr/bin/$b" "$ST/usr/bin/$b-76.1"
	printf '#!/bin/sh\nexec /opt/v81/lib/ld-linux-x86-64.so.2 --library-path /opt/v81/lib --argv0 "$0" /opt/v81/bin/%s "$@"\n' \
		"$b" > "$ST/usr/bin/$b"
	chmod 755 "$ST/usr/bin/$b"
done
cat "$K/v81/version" > "$ST/etc/vmtest-ref-version"
EOF
chmod 755 "$K/initramfs-hook.sh"
VM_CACHE=$K VM_KPKG=$KPKG VM_NO_APT=1 VM_INITRAMFS_HOOK=$K/initramfs-hook.sh \
	VM_EXTRA_MODS="cxl_acpi cxl_pci cxl_mem cxl_port cxl_pmem dax_cxl cxl_core" \
	"$VM_DIR/prepare.sh" || die "prepare.sh on the 6.12 cache failed"
log "kernel $(cat "$K/kver"), $(cat "$K/qemu/version"), daxctl v$(cat "$K/v81/version")"
