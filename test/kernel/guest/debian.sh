# shellcheck shell=sh
# debian.sh -- sourced by list.sh: defines run_debian STAGE, which runs
# Debian's own prebuilt consumers of libdaxctl on the real devices, each
# once with Debian's libdaxctl (the guest's) and once with OURS
# (LD_LIBRARY_PATH=$OURLIB; none of them has a RUNPATH):
#   ndctl list -DRNiv and Debian's daxctl list -RDMi: the same JSON (arrays
#     sorted: the library's iteration order is a documented difference);
#   daxio on a devdax device: zero, write a pattern, read it back, compare;
#   pmempool create obj, info, check, rm on a devdax device;
#   memkind-auto-dax-kmem-nodes when a device is system-ram: the same nodes,
#     those of the system-ram devices;
#   dlopen of libpmem2 and libmemkind with RTLD_NOW and LD_BIND_NOW=1
#     ($CONSUMERS_DIR/dlopen-now): they load with our libdaxctl.
# Results: $OUT/debian.tsv, STAGE<TAB>CHECK<TAB>0|1|skip<TAB>detail
# (0 = as expected; skip: the detail says why it could not run).

DEB_DAXCTL=/usr/bin/daxctl
# 6.12: /usr/bin/daxctl and ndctl are ndctl v81 run through trixie's loader
# with its own library path, which LD_LIBRARY_PATH cannot override
[ -x /usr/bin/daxctl-76.1 ] && DEB_DAXCTL=/usr/bin/daxctl-76.1
DEB_NDCTL=/usr/bin/ndctl
[ -d /opt/v81 ] && DEB_NDCTL=

# (variables: db_*, clear of lib.sh's and list.sh's)
_dres() { # STAGE CHECK RESULT DETAIL
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$OUT/debian.tsv"
}
# with LIB (deb: the guest's libdaxctl, ours: $OURLIB), CMD...
_withlib() {
	db_wl=$1
	shift
	if [ "$db_wl" = ours ]; then
		LD_LIBRARY_PATH=$OURLIB "$@"
	else
		"$@"
	fi
}
_sorted() { # FILE: its JSON with every array sorted, or its text
	jq -S -c 'walk(if type == "array" then sort else . end)' "$1" 2>/dev/null ||
		cat "$1"
}

# a devdax device with a node and a size, enabled (its name, or nothing)
_deb_devdax() {
	"$REF" list -D 2>/dev/null | jq -r '(if type == "array" then .[] else . end)
		| select(.mode == "devdax" and .size > 0 and (.state // "") != "disabled")
		| .chardev' 2>/dev/null | while read -r db_d; do
		[ -c "/dev/$db_d" ] && { echo "$db_d"; break; }
	done
}

# the listings: Debian's tool with both libraries
_deb_list() { # STAGE NAME TOOL ARGS...
	db_ls=$1 db_ln=$2
	shift 2
	vmt_run any "d-$db_ls-$db_ln-deb" "$@"
	db_rd=$VMT_LAST_RC
	_sorted "$VMT_LAST_OUT" > /tmp/deb-want
	vmt_run any "d-$db_ls-$db_ln-ours" env LD_LIBRARY_PATH="$OURLIB" "$@"
	db_ro=$VMT_LAST_RC
	_sorted "$VMT_LAST_OUT" > /tmp/deb-got
	db_r=1
	[ "$db_rd" = "$db_ro" ] && cmp -s /tmp/deb-want /tmp/deb-got && db_r=0
	_dres "$db_ls" "$*: our libdaxctl lists what Debian's does" $db_r \
		"exit $db_rd/$db_ro, $(wc -c < /tmp/deb-want) bytes; $(diff /tmp/deb-want /tmp/deb-got | sed -n '2,3p' | cut -c1-300 | tr '\n' ' ')"
}

# daxio: zero, write, read back, compare; 2 MiB (the usual align)
_deb_daxio() { # STAGE DEV LIB
	db_xs=$1 db_xd=/dev/$2 db_xl=$3 db_len=2097152
	# a pattern of this run: the other library's run must not pass for it
	{ echo "$db_xl $db_xs $db_xd"; cat /proc/uptime; } > /tmp/deb-seed
	db_i=0
	while [ $db_i -lt 16 ]; do	# doubled 16 times: more than 2 MiB
		cat /tmp/deb-seed /tmp/deb-seed > /tmp/deb-seed2
		mv /tmp/deb-seed2 /tmp/deb-seed
		db_i=$((db_i + 1))
	done
	head -c $db_len /tmp/deb-seed > /tmp/deb-pat
	rm -f /tmp/deb-seed
	head -c $db_len /dev/zero > /tmp/deb-zero
	vmt_run any "d-$db_xs-daxio-zero-$db_xl" _withlib "$db_xl" daxio -z -o "$db_xd" -l $db_len
	db_z=$VMT_LAST_RC
	rm -f /tmp/deb-back
	vmt_run any "d-$db_xs-daxio-readz-$db_xl" _withlib "$db_xl" daxio -i "$db_xd" -o /tmp/deb-back -l $db_len
	db_r=1
	[ "$db_z$VMT_LAST_RC" = 00 ] && cmp -s /tmp/deb-zero /tmp/deb-back && db_r=0
	_dres "$db_xs" "daxio with $db_xl libdaxctl: zero $db_xd, read zeros back" $db_r "exit $db_z/$VMT_LAST_RC"
	vmt_run any "d-$db_xs-daxio-write-$db_xl" _withlib "$db_xl" daxio -i /tmp/deb-pat -o "$db_xd" -l $db_len
	db_w=$VMT_LAST_RC
	rm -f /tmp/deb-back
	vmt_run any "d-$db_xs-daxio-read-$db_xl" _withlib "$db_xl" daxio -i "$db_xd" -o /tmp/deb-back -l $db_len
	db_r=1
	[ "$db_w$VMT_LAST_RC" = 00 ] && cmp -s /tmp/deb-pat /tmp/deb-back && db_r=0
	_dres "$db_xs" "daxio with $db_xl libdaxctl: write $db_xd, read the same back" $db_r "exit $db_w/$VMT_LAST_RC"
}

# pmempool: an obj pool over the whole device, its info, its check, rm;
# sets db_prc to the four exit statuses, db_pok to 0 when all went well
_deb_pmempool() { # STAGE DEV LIB
	db_ps=$1 db_pd=/dev/$2 db_pl=$3
	# PMDK creates a pool on a device dax only over zeros: the daxio runs
	# left their pattern there
	vmt_run any "d-$db_ps-pool-zero-$db_pl" _withlib "$db_pl" daxio -z -o "$db_pd" -l 2097152
	vmt_run any "d-$db_ps-pool-create-$db_pl" _withlib "$db_pl" pmempool create -v obj --layout=daxctl "$db_pd"
	db_prc=$VMT_LAST_RC
	vmt_run any "d-$db_ps-pool-info-$db_pl" _withlib "$db_pl" pmempool info "$db_pd"
	db_prc=$db_prc/$VMT_LAST_RC
	db_il=$(grep -c '^Layout *: daxctl$' "$VMT_LAST_OUT")
	db_it=$(grep -c '^type *: device dax$' "$VMT_LAST_OUT")
	vmt_run any "d-$db_ps-pool-check-$db_pl" _withlib "$db_pl" pmempool check -v "$db_pd"
	db_prc=$db_prc/$VMT_LAST_RC
	db_kl=$(grep -c 'consistent' "$VMT_LAST_OUT")
	vmt_run any "d-$db_ps-pool-rm-$db_pl" _withlib "$db_pl" pmempool rm "$db_pd"
	db_prc=$db_prc/$VMT_LAST_RC
	db_pok=1
	[ "$db_prc" = 0/0/0/0 ] && [ "$db_il" -ge 1 ] && [ "$db_it" -ge 1 ] &&
		[ "$db_kl" -ge 1 ] && db_pok=0
	db_pdetail="exit $db_prc, layout lines $db_il, device dax lines $db_it, consistent lines $db_kl"
}

run_debian() { # STAGE
	db_st=$1
	if [ -n "$DEB_NDCTL" ] && [ -x "$DEB_NDCTL" ]; then
		_deb_list "$db_st" ndctl "$DEB_NDCTL" list -DRNiv
	else
		_dres "$db_st" "ndctl list -DRNiv" skip "no ndctl 76.1 whose libdaxctl LD_LIBRARY_PATH can swap"
	fi
	if [ -x "$DEB_DAXCTL" ]; then
		_deb_list "$db_st" daxctl "$DEB_DAXCTL" list -RDMi
	else
		_dres "$db_st" "Debian's daxctl list" skip "no $DEB_DAXCTL"
	fi

	db_dev=$(_deb_devdax)
	if [ -z "$db_dev" ]; then
		:	# nothing to write to at this stage
	elif ! command -v daxio > /dev/null || ! command -v pmempool > /dev/null; then
		_dres "$db_st" "daxio, pmempool" skip "pmdk-tools is not in the initramfs"
	else
		for db_lib in deb ours; do
			_deb_daxio "$db_st" "$db_dev" $db_lib
		done
		db_what="pmempool: create obj, info (a device dax, the layout), check (consistent), rm on /dev/$db_dev"
		_deb_pmempool "$db_st" "$db_dev" deb
		db_drc=$db_prc db_dok=$db_pok db_dd=$db_pdetail
		_deb_pmempool "$db_st" "$db_dev" ours
		if [ "$db_dok" = 0 ]; then
			_dres "$db_st" "$db_what, with our libdaxctl" "$db_pok" "$db_pdetail"
		else
			# not ours to judge; but ours must not do worse
			_dres "$db_st" "$db_what, with our libdaxctl" skip \
				"it fails with Debian's libdaxctl too: $db_dd"
			db_r=1
			[ "$db_drc" = "$db_prc" ] && db_r=0
			_dres "$db_st" "pmempool on /dev/$db_dev: the exit statuses with our libdaxctl are Debian's" \
				$db_r "Debian's $db_drc, ours $db_prc"
		fi
	fi

	db_want=$("$REF" list -D 2>/dev/null | jq -r '(if type == "array" then .[] else . end)
		| select(.mode == "system-ram") | .target_node' 2>/dev/null | sort -un | tr '\n' ' ')
	if [ -z "$db_want" ]; then
		:	# no system-ram device at this stage
	elif ! command -v memkind-auto-dax-kmem-nodes > /dev/null; then
		_dres "$db_st" memkind-auto-dax-kmem-nodes skip "libmemkind-progs is not in the initramfs"
	else
		for db_lib in deb ours; do
			vmt_run any "d-$db_st-memkind-$db_lib" _withlib $db_lib memkind-auto-dax-kmem-nodes
			db_got=$(tr ',' '\n' < "$VMT_LAST_OUT" | sort -un | tr '\n' ' ')
			db_r=1
			[ "$VMT_LAST_RC" = 0 ] && [ "$db_got" = "$db_want" ] && db_r=0
			_dres "$db_st" "memkind-auto-dax-kmem-nodes with $db_lib libdaxctl: the system-ram devices' nodes" \
				$db_r "exit $VMT_LAST_RC, got '$db_got', list says '$db_want'"
		done
	fi

	if [ "$db_st" != boot ]; then
		:	# once is enough
	elif [ -x "${CONSUMERS_DIR:-}/dlopen-now" ]; then
		for db_l in libpmem2.so.1 libmemkind.so.0; do
			vmt_run any "d-$db_st-dlopen-$db_l" env LD_BIND_NOW=1 LD_LIBRARY_PATH="$OURLIB" "$CONSUMERS_DIR/dlopen-now" "$db_l"
			db_got=$(cat "$VMT_LAST_OUT")
			db_r=1
			[ "$VMT_LAST_RC" = 0 ] && [ "$db_got" = "$db_l: libdaxctl $OURLIB/libdaxctl.so.1" ] && db_r=0
			_dres "$db_st" "dlopen $db_l RTLD_NOW, LD_BIND_NOW=1: loads with our libdaxctl" $db_r "$db_got"
		done
	else
		_dres "$db_st" "dlopen libpmem2, libmemkind" skip "no dlopen-now built on the host"
	fi
}
