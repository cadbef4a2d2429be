#!/bin/sh
# list.sh -- "daxctl list" of this project against Debian's daxctl 76.1 on
# a real kernel.  Runs inside the VM (busybox sh), see ../README.md.
#
# For each state of the dax devices ("stage") it runs every list option
# combination that matters twice: with OUR daxctl ($DAXCTL, our libdaxctl
# from /vmtest/extra/lib) as "o-STAGE-NAME" and with the reference as
# "r-STAGE-NAME".  Everything is recorded by lib.sh (commands.tsv and
# commands/NNN-NAME/{stdout,stderr,rc}); cases.tsv tells the host what to
# check:  STAGE<TAB>NAME<TAB>EXPECTED_RC<TAB>COMPARE(yes|no)<TAB>ARGS
# The states are reached with the REFERENCE tools (daxctl 76.1 and ndctl),
# so a bug of ours in a mutating command cannot hide a listing difference.
# If consumers.sh and $CONSUMERS_DIR exist, the consumer programs run at
# every stage too; so do Debian's own consumers of libdaxctl (debian.sh).
# Exit status: 0 unless the setup itself failed; the host judges results.

cd "$(dirname "$0")" || exit 1
. ./lib.sh

OUT=${VMTEST_OUT:-/tmp/vmt}
DAXCTL=${DAXCTL:-/vmtest/extra/daxctl}
OURLIB=${OURLIB:-/vmtest/extra/lib}
REF=/usr/bin/daxctl
NDCTL=/usr/bin/ndctl
vmt_init "$OUT"
: > "$OUT/cases.tsv"
SETUP_BAD=0

ours() { LD_LIBRARY_PATH=$OURLIB "$DAXCTL" "$@"; }

[ -f consumers.sh ] && . ./consumers.sh
[ -f debian.sh ] && . ./debian.sh

# which libraries our binary really loads (must be /vmtest/extra/lib's)
vmt_run any ours-ldd env LD_LIBRARY_PATH="$OURLIB" /lib64/ld-linux-x86-64.so.2 --list "$DAXCTL"
cp "$VMT_LAST_OUT" "$OUT/ours-ldd.txt"
vmt_run any ours-version ours --version
vmt_run any ref-version "$REF" --version

# case STAGE NAME RC COMPARE ARGS...: run both, record the case
case_() {
	c_st=$1 c_name=$2 c_rc=$3 c_cmp=$4
	shift 4
	printf '%s\t%s\t%s\t%s\t%s\n' "$c_st" "$c_name" "$c_rc" "$c_cmp" "$(vmt_quote "$@")" >> "$OUT/cases.tsv"
	vmt_run any "o-$c_st-$c_name" ours "$@"
	vmt_run any "r-$c_st-$c_name" "$REF" "$@"
}

# every combination, for the current state
suite() { # STAGE
	st=$1
	case_ "$st" plain 0 yes list
	case_ "$st" R 0 yes list -R
	case_ "$st" D 0 yes list -D
	case_ "$st" M 0 yes list -M
	case_ "$st" DM 0 yes list -DM
	case_ "$st" i 0 yes list -i
	case_ "$st" u 0 yes list -u
	case_ "$st" Du 0 yes list -D -u
	case_ "$st" RDMi 0 yes list -RDMi
	case_ "$st" RDMiu 0 yes list -RDMiu
	case_ "$st" long 0 yes list --regions --devices --mappings --idle --human
	# every region and device by name (ids from the reference)
	for r in $("$REF" list -R 2>/dev/null | jq -r 'if type=="array" then .[] else . end | .id' 2>/dev/null); do
		case_ "$st" "r$r" 0 yes list -r "$r"
		case_ "$st" "r$r-RDMu" 0 yes list -r "$r" -R -D -M -u
		case_ "$st" "region$r-D" 0 yes list -r "region$r" -D
	done
	for d in $("$REF" list -Di 2>/dev/null | jq -r 'if type=="array" then .[] else . end | .chardev' 2>/dev/null); do
		case_ "$st" "d-$d" 0 yes list -d "$d"
		case_ "$st" "d-$d-M" 0 yes list -d "$d" -M -i
		case_ "$st" "d-$d-R" 0 yes list -R -d "$d"
	done
	case_ "$st" d-all-iu 0 yes list -d all -i -u
	# filters that match nothing
	case_ "$st" r-none 0 yes list -r 99
	case_ "$st" R-r-none 0 yes list -R -r 99
	case_ "$st" d-none 0 yes list -d dax9.9
	# invalid filter values: a usage error for us (129), not for 76.1
	case_ "$st" r-neg 129 no list -r -1
	case_ "$st" r-word 129 no list -r region
	case_ "$st" r-hex 129 no list -r 0x1
	case_ "$st" d-noid 129 no list -d dax0
	case_ "$st" d-3part 129 no list -d dax0.0.0
	case_ "$st" d-path 129 no list -d ../dax0.0
	case_ "$st" d-empty 129 no list -d ""
	command -v run_consumers >/dev/null 2>&1 && run_consumers "$st"
	command -v run_debian >/dev/null 2>&1 && run_debian "$st"
	# raw sysfs facts for the report
	ls -l /sys/bus/dax/devices/ > "$OUT/sysfs-$st.txt" 2>&1
	# the dax-relevant sysfs, for fixtures (test/kernel/import-fixtures.sh)
	[ "${SNAPSHOTS:-0}" = 1 ] && [ -f snapshot.sh ] &&
		sh ./snapshot.sh "$OUT/snapshots/$st.txt" "$st" > /dev/null
}

# system-ram with the reference under an auto-online policy (6.12's
# default) needs -f: it refuses otherwise
SRF=
[ "$(cat /sys/devices/system/memory/auto_online_blocks 2>/dev/null)" = offline ] || SRF=-f

setup() { # NAME CMD...: a state change with the reference tools
	s_name=$1
	shift
	vmt_run ok "setup-$s_name" "$@" || SETUP_BAD=$((SETUP_BAD + 1))
}

vmt_note "scenario=${VMTEST_SCENARIO:-?} kernel=$(uname -r)"
# only the differential check or only the lifecycle suite (check-kernel.sh
# KERNEL_ONLY): the regions are set up as usual, without the list suites
case ${VMTEST_ONLY:-all} in
differential | lifecycle) suite() { :; } ;;
esac
# ---- CXL (6.12): the region made with the reference cxl tool first
case ",${VMTEST_DAX:-}," in
*,cxl,*) [ -f cxl.sh ] && . ./cxl.sh ;;
esac
suite boot

# ---- dynamic region (dax_hmem): carve devices, one of them system-ram
DYN=
for l in /sys/bus/dax/devices/dax*; do
	[ -e "$l" ] || continue
	r=$(realpath "$l")
	if [ -e "$(dirname "$r")/dax_region/create" ]; then
		DYN=$(cat "$(dirname "$r")/dax_region/id")
		break
	fi
done
if [ -n "$DYN" ]; then
	setup disable0 "$REF" disable-device "dax$DYN.0"
	# the kernel never deletes device 0 (EBUSY, daxctl exits 240), but
	# daxctl shrinks it to size 0 first, which frees the capacity
	vmt_run any setup-destroy0 "$REF" destroy-device "dax$DYN.0"
	setup create256 "$REF" create-device -r "$DYN" -s 256M
	setup create128 "$REF" create-device -r "$DYN" -s 128M
	suite created
	D1=$("$REF" list -r "$DYN" -D | jq -r 'if type=="array" then .[] else . end | select(.size == 268435456) | .chardev' | head -n1)
	setup sysram "$REF" reconfigure-device -m system-ram $SRF "$D1"
	suite sysram
	setup offline "$REF" offline-memory "$D1"
	suite offline
fi

# ---- ndctl pmem regions: a devdax namespace, then system-ram
if "$NDCTL" list -R 2>/dev/null | grep -q '"dev"'; then
	case ",${VMTEST_DAX:-}," in
	*,nvdimm,*)
		setup nd-disable "$NDCTL" disable-region all
		setup nd-labels "$NDCTL" init-labels all
		setup nd-enable "$NDCTL" enable-region all
		;;
	esac
	NS=$("$NDCTL" list -N | jq -r '(if type=="array" then .[0] else . end) | .dev // empty' 2>/dev/null)
	if [ -n "$NS" ]; then
		setup nd-devdax "$NDCTL" create-namespace -f -e "$NS" -m devdax
	else
		setup nd-devdax "$NDCTL" create-namespace -m devdax
	fi
	suite pmem
	PD=$("$REF" list -D | jq -r '(if type=="array" then .[0] else . end) | .chardev // empty')
	if [ -n "$PD" ]; then
		setup pmem-sysram "$REF" reconfigure-device -m system-ram $SRF "$PD"
		suite pmemsysram
	fi
fi

# ---- our own lifecycle commands, from the state reached above
[ -f lifecycle.sh ] && [ "${VMTEST_ONLY:-all}" != differential ] &&
	. ./lifecycle.sh

# ---- the differential record (hmem on 6.1 and 6.12, CXL on 6.12; last:
# it resets the region to its boot state itself): the host runs the same
# script on the emulator and compares (test/kernel/differential-host.sh)
[ "${VMTEST_ONLY:-all}" = lifecycle ] ||
case ${VMTEST_DAX:-},${KERNEL_VERSION:-6.1} in
hmem,6.1 | hmem,6.12 | cxl,6.12)
	[ -f differential.sh ] &&
		vmt_run ok differential env \
			DIFF_DAXCTL="env LD_LIBRARY_PATH=$OURLIB $DAXCTL" \
			sh ./differential.sh "$OUT/differential.txt"
	;;
esac

echo "$SETUP_BAD" > "$OUT/setup-failures"
vmt_finish > /dev/null
exit "$SETUP_BAD"
