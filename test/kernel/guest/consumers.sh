# shellcheck shell=sh
# consumers.sh -- sourced by list.sh: defines run_consumers STAGE, which
# runs the consumer programs built on the host ($CONSUMERS_DIR, linked
# against OUR libdaxctl, loaded from $OURLIB) against the real /sys and
# checks them against the REFERENCE daxctl's listing of the same moment.
# Results: $VMTEST_OUT/consumers.tsv, STAGE<TAB>CHECK<TAB>0|1<TAB>detail
# (0 = consistent), plus every run recorded by lib.sh as c-STAGE-...
# Only the read-only consumers run (daxio, memkind, qemu).

_cons() { prog=$1; shift; LD_LIBRARY_PATH=$OURLIB "$CONSUMERS_DIR/$prog" "$@"; }

_cres() { # STAGE CHECK RESULT DETAIL
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$OUT/consumers.tsv"
}

run_consumers() { # STAGE
	cst=$1
	[ -n "${CONSUMERS_DIR:-}" ] && [ -d "$CONSUMERS_DIR" ] || return 0
	"$REF" list -RDi > /tmp/ref-RDi.json 2>/dev/null || return 0
	# region id, align, device name, size: one line per device
	jq -r '(if type=="array" then .[] else . end) | .align as $a | .id as $r
		| (.devices // [])[] | "\($r) \($a) \(.chardev) \(.size)"' \
		/tmp/ref-RDi.json > /tmp/ref-devs.txt 2>/dev/null
	while read -r rid ralign dev size; do
		mm=$(cat "/sys/bus/dax/devices/$dev/dev" 2>/dev/null)
		[ -n "$mm" ] || continue
		if [ -x "$CONSUMERS_DIR/daxio-like" ]; then
			vmt_run any "c-$cst-daxio-$dev" _cons daxio-like "$mm"
			want="$dev size $size align $ralign"
			got=$(cat "$VMT_LAST_OUT")
			[ "$got" = "$want" ] && r=0 || r=1
			# shellcheck disable=SC2086 # $r is 0 or 1
			_cres "$cst" "daxio-like $mm finds $dev with list's size and region align" $r "got '$got', list says '$want'"
			if [ -c "/dev/$dev" ]; then
				vmt_run any "c-$cst-daxio-dev-$dev" _cons daxio-like "/dev/$dev"
				got=$(cat "$VMT_LAST_OUT")
				[ "$got" = "$want" ] && r=0 || r=1
				# shellcheck disable=SC2086 # $r is 0 or 1
				_cres "$cst" "daxio-like /dev/$dev agrees with list" $r "got '$got'"
			fi
		fi
		if [ -x "$CONSUMERS_DIR/qemu-like" ]; then
			vmt_run any "c-$cst-qemu-$dev" _cons qemu-like "$mm"
			got=$(sed -n 's/^align //p' "$VMT_LAST_OUT")
			[ "$VMT_LAST_RC" = 0 ] && [ "$got" = "$ralign" ] && r=0 || r=1
			# shellcheck disable=SC2086 # $r is 0 or 1
			_cres "$cst" "qemu-like $mm: region $rid align" $r "rc $VMT_LAST_RC, align '$got', list says '$ralign'"
		fi
	done < /tmp/ref-devs.txt
	if [ -x "$CONSUMERS_DIR/memkind-like" ]; then
		vmt_run any "c-$cst-memkind" _cons memkind-like
		got=$(tr '\n' ' ' < "$VMT_LAST_OUT")
		want=$("$REF" list -D 2>/dev/null | jq -r '(if type=="array" then .[] else . end)
			| select(.mode == "system-ram") | .target_node' 2>/dev/null | sort -un | tr '\n' ' ')
		[ "$VMT_LAST_RC" = 0 ] && [ "$got" = "$want" ] && r=0 || r=1
		# shellcheck disable=SC2086 # $r is 0 or 1
		_cres "$cst" "memkind-like: kmem nodes are list's system-ram target nodes" $r "got '$got', list says '$want'"
	fi
}
