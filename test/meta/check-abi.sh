#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The binary interface of the built libdaxctl, checked three ways:
#
#  - against its version script: the (symbol, node) pairs the library
#    exports are exactly those the script assigns, every node is defined
#    with the script's parent, and nothing else (no util/ or internal
#    symbol) is exported;
#  - against the contract: the node upstream gives every symbol is
#    hard-coded below (contract_table), so the script itself cannot drift;
#  - against the public header: every exported function is declared there
#    and every function declared there is exported.
#
# Then the file names (soname, libtool file name) and the pkg-config file.
# The symbol table checked is printed as "#" lines.

LC_ALL=C
export LC_ALL

: "${top_srcdir:=$(dirname "$0")/../..}"
: "${top_builddir:=.}"
: "${DAXCTL:=$top_builddir/daxctl/daxctl}"

SCRIPT=$top_srcdir/lib/libdaxctl.sym
HEADER=$top_srcdir/lib/daxctl/libdaxctl.h
PCFILE=$top_builddir/lib/libdaxctl.pc
LAFILE=$top_builddir/lib/libdaxctl.la
SONAME=libdaxctl.so.1
# upstream v81: libtool 7:1:6, installed as (current - age).revision.age
REALNAME=libdaxctl.so.1.1.6

# The contract: every symbol of upstream's libdaxctl at its node. Nodes are
# listed oldest first; each inherits the one before it. Adopting upstream's
# LIBDAXCTL_11 (famfs) means adding it here verbatim.
contract_table() {
	cat <<'EOF'
LIBDAXCTL_1 daxctl_new
LIBDAXCTL_1 daxctl_ref
LIBDAXCTL_1 daxctl_unref
LIBDAXCTL_1 daxctl_set_log_fn
LIBDAXCTL_1 daxctl_get_log_priority
LIBDAXCTL_1 daxctl_set_log_priority
LIBDAXCTL_1 daxctl_set_userdata
LIBDAXCTL_1 daxctl_get_userdata
LIBDAXCTL_2 daxctl_new_region
LIBDAXCTL_2 daxctl_region_ref
LIBDAXCTL_2 daxctl_region_unref
LIBDAXCTL_2 daxctl_region_get_uuid
LIBDAXCTL_2 daxctl_region_get_id
LIBDAXCTL_2 daxctl_region_get_ctx
LIBDAXCTL_2 daxctl_dev_get_first
LIBDAXCTL_2 daxctl_dev_get_next
LIBDAXCTL_2 daxctl_dev_get_region
LIBDAXCTL_2 daxctl_dev_get_id
LIBDAXCTL_2 daxctl_dev_get_devname
LIBDAXCTL_2 daxctl_dev_get_major
LIBDAXCTL_2 daxctl_dev_get_minor
LIBDAXCTL_2 daxctl_dev_get_size
LIBDAXCTL_3 daxctl_region_get_available_size
LIBDAXCTL_3 daxctl_region_get_devname
LIBDAXCTL_3 daxctl_region_get_dev_seed
LIBDAXCTL_4 daxctl_region_get_size
LIBDAXCTL_4 daxctl_region_get_align
LIBDAXCTL_4 daxctl_region_get_first
LIBDAXCTL_4 daxctl_region_get_next
LIBDAXCTL_5 daxctl_region_get_path
LIBDAXCTL_6 daxctl_dev_get_ctx
LIBDAXCTL_6 daxctl_dev_is_enabled
LIBDAXCTL_6 daxctl_dev_disable
LIBDAXCTL_6 daxctl_dev_enable_devdax
LIBDAXCTL_6 daxctl_dev_enable_ram
LIBDAXCTL_6 daxctl_dev_get_resource
LIBDAXCTL_6 daxctl_dev_get_target_node
LIBDAXCTL_6 daxctl_dev_get_memory
LIBDAXCTL_6 daxctl_memory_get_dev
LIBDAXCTL_6 daxctl_memory_get_node_path
LIBDAXCTL_6 daxctl_memory_get_block_size
LIBDAXCTL_6 daxctl_memory_online
LIBDAXCTL_6 daxctl_memory_offline
LIBDAXCTL_6 daxctl_memory_is_online
LIBDAXCTL_6 daxctl_memory_num_sections
LIBDAXCTL_7 daxctl_memory_is_movable
LIBDAXCTL_7 daxctl_memory_online_no_movable
LIBDAXCTL_8 daxctl_dev_set_size
LIBDAXCTL_8 daxctl_region_create_dev
LIBDAXCTL_8 daxctl_region_destroy_dev
LIBDAXCTL_8 daxctl_dev_get_align
LIBDAXCTL_8 daxctl_dev_set_align
LIBDAXCTL_8 daxctl_mapping_get_first
LIBDAXCTL_8 daxctl_mapping_get_next
LIBDAXCTL_8 daxctl_mapping_get_start
LIBDAXCTL_8 daxctl_mapping_get_end
LIBDAXCTL_8 daxctl_mapping_get_offset
LIBDAXCTL_8 daxctl_mapping_get_size
LIBDAXCTL_8 daxctl_dev_set_mapping
LIBDAXCTL_9 daxctl_dev_will_auto_online_memory
LIBDAXCTL_9 daxctl_dev_has_online_memory
LIBDAXCTL_9 daxctl_set_config_path
LIBDAXCTL_9 daxctl_get_config_path
LIBDAXCTL_10 daxctl_dev_is_system_ram_capable
EOF
}

# ---- prerequisites ----

if ! command -v readelf >/dev/null 2>&1; then
	echo "1..0 # SKIP readelf not found (install binutils)"
	exit 0
fi

# the shared object libtool built: its .la names it (dlname), .libs holds it
lib=
if [ -f "$LAFILE" ]; then
	dlname=$(sed -n "s/^dlname='\(.*\)'$/\1/p" "$LAFILE")
	[ -n "$dlname" ] && lib=$top_builddir/lib/.libs/$dlname
fi
[ -n "$lib" ] && [ -f "$lib" ] || lib=$top_builddir/lib/.libs/$SONAME
if ! [ -f "$lib" ] || ! readelf -h "$lib" >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - built library found"
	echo "# no ELF shared object at $lib (top_builddir=$top_builddir):"
	echo "# build the library first"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-abi.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

echo "1..16"
n=0
fail=0

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}

flunk() {
	n=$((n + 1))
	echo "not ok $n - $1"
	fail=1
}

# check DESCRIPTION FILE: ok if FILE is empty, otherwise not ok with FILE
# as the diagnostic
check() {
	if [ -s "$2" ]; then
		flunk "$1"
		sed 's/^/#   /' "$2"
	else
		pass "$1"
	fi
}

# set_diff A B: one line per element of only one of the sorted files A, B
set_diff() {
	comm -23 "$1" "$2" | sed "s/^/only in $3: /"
	comm -13 "$1" "$2" | sed "s/^/only in $4: /"
}

# ---- parse the version script ----
#
# Output: "node NAME PARENT" (PARENT "-" for none) in script order,
# "sym NAME SYMBOL", "local NAME PATTERN", "error MESSAGE".
awk '
{ buf = buf $0 "\n" }
END {
	# drop /* */ comments (may span lines) and # line comments
	text = ""
	while ((i = index(buf, "/*")) > 0) {
		text = text substr(buf, 1, i - 1) " "
		buf = substr(buf, i + 2)
		j = index(buf, "*/")
		if (j == 0) {
			print "error unterminated comment"
			buf = ""
			break
		}
		buf = substr(buf, j + 2)
	}
	text = text buf
	gsub(/#[^\n]*/, " ", text)
	gsub(/[{};:]/, " & ", text)
	nt = split(text, t, /[ \t\n]+/)
	node = ""; section = ""; state = "name"
	for (k = 1; k <= nt; k++) {
		tok = t[k]
		if (tok == "")
			continue
		if (state == "name") {
			if (tok !~ /^[A-Za-z_][A-Za-z0-9_.]*$/ || t[k + 1] != "{") {
				print "error expected NODE { near \"" tok "\""
				exit
			}
			node = tok; section = ""; state = "body"; k++
		} else if (state == "body") {
			if (tok == "}") {
				state = "parent"
			} else if ((tok == "global" || tok == "local") &&
				   t[k + 1] == ":") {
				section = tok; k++
			} else if (t[k + 1] == ";") {
				k++
				if (section == "local") {
					print "local", node, tok
				} else if (tok ~ /[*?\[]/) {
					print "error wildcard \"" tok "\" exported by " node
				} else if (tok == "extern" || tok ~ /"/) {
					print "error unsupported construct in " node
				} else {
					print "sym", node, tok
				}
			} else {
				print "error unexpected \"" tok "\" in " node
				exit
			}
		} else if (state == "parent") {
			if (tok == ";") {
				print "node", node, "-"
			} else if (t[k + 1] == ";") {
				print "node", node, tok; k++
			} else {
				print "error expected PARENT ; after " node
				exit
			}
			state = "name"
		}
	}
	if (state != "name")
		print "error unterminated node " node
}' "$SCRIPT" >"$tmp/script.parsed" 2>&1 ||
	echo "error cannot parse $SCRIPT" >>"$tmp/script.parsed"

awk '$1 == "node" { print $2, $3 }' "$tmp/script.parsed" >"$tmp/script.order"
sort "$tmp/script.order" >"$tmp/script.nodes"
awk '$1 == "sym" { print $3, $2 }' "$tmp/script.parsed" | sort -u \
	>"$tmp/script.pairs"

# ---- what the library exports ----

# version definitions: "NODE PARENT[,PARENT...]" ("-" for none), the
# library's own base definition (its soname) left out
readelf -V -W "$lib" >"$tmp/versions" 2>&1
awk '
function flush() {
	if (cur != "")
		print cur, (parents == "" ? "-" : parents)
	cur = ""; parents = ""
}
/^Version definition section/ { in_def = 1; next }
/^Version (needs|symbols) section/ { flush(); in_def = 0; next }
!in_def { next }
/Flags:/ && /Name:/ {
	flush()
	if ($0 ~ /Flags: *BASE/)
		next
	cur = $NF
	next
}
/Parent [0-9]+:/ && cur != "" {
	parents = parents (parents == "" ? "" : ",") $NF
}
END { flush() }' "$tmp/versions" | sort >"$tmp/lib.nodes"

# "SYMBOL NODE TYPE BIND VISIBILITY" of every defined dynamic symbol.
# readelf names a versioned one SYMBOL@@NODE (default version) or
# SYMBOL@NODE (hidden version). Each node also appears as an absolute
# symbol of its own name (readelf shows no version for it): not an export.
readelf --dyn-syms -W "$lib" >"$tmp/dynsym" 2>&1
awk 'NR == FNR { node[$1] = 1; next }
$1 ~ /^[0-9]+:$/ && NF >= 8 {
	ndx = ""
	for (i = 7; i < NF; i++)
		if ($i ~ /^(UND|ABS|COM|[0-9]+)$/) {
			ndx = $i
			name = $(i + 1)
			break
		}
	if (ndx == "" || ndx == "UND")
		next
	if (index(name, "@@")) {
		sym = substr(name, 1, index(name, "@@") - 1)
		ver = substr(name, index(name, "@@") + 2)
	} else if (index(name, "@")) {
		sym = substr(name, 1, index(name, "@") - 1)
		ver = "(hidden)" substr(name, index(name, "@") + 1)
	} else {
		sym = name
		ver = "(Base)"
	}
	if (ndx == "ABS" && $4 == "OBJECT" && (sym in node) &&
	    (ver == sym || ver == "(Base)"))
		next
	print sym, ver, $4, $5, $6
}' "$tmp/lib.nodes" "$tmp/dynsym" >"$tmp/exports"
awk '{ print $1, $2 }' "$tmp/exports" | sort -u >"$tmp/lib.pairs"

echo "# library: $lib"
nsyms=$(wc -l <"$tmp/lib.pairs")
echo "# exported symbol table (node, symbol), $nsyms symbols:"
awk '{ print $2 }' "$tmp/lib.pairs" | sort -u >"$tmp/lib.used"
{
	awk '{ print $1 }' "$tmp/script.order"
	cat "$tmp/lib.used"
} | awk '!seen[$0]++' | while read -r node; do
	awk -v node="$node" '$2 == node { printf "#   %-13s %s\n", $2, $1 }' \
		"$tmp/lib.pairs"
done

# ---- 1-3: the files ----

pass "built library found ($lib)"

soname=$(readelf -d -W "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$soname" = "$SONAME" ]; then
	pass "soname is $SONAME"
else
	flunk "soname is $SONAME"
	echo "#   got \"$soname\""
fi

# the soname is a symlink to the real file; libtool records the same name
# first in library_names
real=$(cd "$(dirname "$lib")" && readlink -f "$SONAME" 2>/dev/null)
real=${real##*/}
la_real=
[ -f "$LAFILE" ] &&
	la_real=$(sed -n "s/^library_names='\([^ ']*\).*/\1/p" "$LAFILE")
if [ "$real" = "$REALNAME" ] && [ "$la_real" = "$REALNAME" ]; then
	pass "library file is $REALNAME"
else
	flunk "library file is $REALNAME"
	echo "#   $SONAME resolves to \"$real\"; libdaxctl.la names \"$la_real\""
fi

# ---- 4-6: the version script, and the script against the contract ----

{
	awk '$1 == "error" { sub(/^error /, ""); print }' "$tmp/script.parsed"
	grep -q '^local [^ ]* \*$' "$tmp/script.parsed" ||
		echo "no \"local: *;\": every other symbol would be exported"
	# a name listed twice in one node is harmless (the reference lists
	# daxctl_region_unref twice); in two nodes it is ambiguous
	awk '$1 == "sym" { print $3, $2 }' "$tmp/script.parsed" | sort -u |
		awk '$1 == prev { print $1 " assigned to both " pnode " and " $2 }
		     { prev = $1; pnode = $2 }'
	awk '{ print $1 }' "$tmp/script.nodes" | sort | uniq -d |
		sed 's/^/node defined twice: /'
	[ -s "$tmp/script.pairs" ] || echo "no symbol exported"
} >"$tmp/t4"
check "version script $SCRIPT parses: explicit names, local: *" "$tmp/t4"

# nodes LIBDAXCTL_1..N of the contract, each inheriting the previous; other
# LIBDAXCTL_ nodes are the contract's to define, other prefixes are the
# project's own extensions
contract_table |
	awk '!seen[$1]++ { print $1, (prev == "" ? "-" : prev); prev = $1 }' |
	sort >"$tmp/contract.nodes"
grep '^LIBDAXCTL_' "$tmp/script.nodes" | sort >"$tmp/script.cnodes"
set_diff "$tmp/contract.nodes" "$tmp/script.cnodes" contract script \
	>"$tmp/t5"
check "version script nodes and parents match the contract" "$tmp/t5"
grep -v '^LIBDAXCTL_' "$tmp/script.nodes" |
	sed 's/^\([^ ]*\) \(.*\)/# project node \1 (parent \2), not in the contract/'

contract_table | awk '{ print $2, $1 }' | sort >"$tmp/contract.pairs"
grep ' LIBDAXCTL_' "$tmp/script.pairs" >"$tmp/script.cpairs"
set_diff "$tmp/contract.pairs" "$tmp/script.cpairs" contract script \
	>"$tmp/t6"
# a contract symbol must not hide in a project node either
awk 'NR == FNR { want[$1] = $2; next }
     ($1 in want) && $2 !~ /^LIBDAXCTL_/ {
	print $1 " is in project node " $2 ", contract says " want[$1]
}' "$tmp/contract.pairs" "$tmp/script.pairs" >>"$tmp/t6"
check "version script assigns every contract symbol to its contract node" \
	"$tmp/t6"

# ---- 7-9: the library against its version script ----

set_diff "$tmp/script.nodes" "$tmp/lib.nodes" script library >"$tmp/t7"
[ -s "$tmp/lib.nodes" ] || echo "no version definition in the library" \
	>>"$tmp/t7"
check "library defines exactly the script's nodes with the script's parents" \
	"$tmp/t7"

set_diff "$tmp/script.pairs" "$tmp/lib.pairs" script library >"$tmp/t8"
check "exported (symbol, node) pairs equal the version script's" "$tmp/t8"

# every export is a function named in the script, at its default version,
# global, default visibility; in particular no util/ or internal helper
awk 'NR == FNR { listed[$1] = 1; next }
{
	why = ""
	if (!($1 in listed))
		why = "not in the version script"
	else if ($2 ~ /^\(/)
		why = "version " $2
	else if ($3 != "FUNC" || $4 != "GLOBAL" || $5 != "DEFAULT")
		why = $3 " " $4 " " $5 ", want FUNC GLOBAL DEFAULT"
	if (why != "")
		print $1 ": " why
}' "$tmp/script.pairs" "$tmp/exports" >"$tmp/t9"
check "nothing but the script's functions is exported" "$tmp/t9"

# ---- 10-11: the library against the header ----
#
# Function names declared by the header: comments and preprocessor lines
# (macros included) dropped, declarations split at ";", each one's name
# the identifier before its first "(". typedefs and static inlines are not
# exports.
awk '
{ buf = buf $0 "\n" }
END {
	text = ""
	while ((i = index(buf, "/*")) > 0) {
		text = text substr(buf, 1, i - 1) " "
		buf = substr(buf, i + 2)
		j = index(buf, "*/")
		buf = j ? substr(buf, j + 2) : ""
	}
	text = text buf
	nl = split(text, line, "\n")
	code = ""; cont = 0
	for (k = 1; k <= nl; k++) {
		l = line[k]
		sub(/\/\/.*/, "", l)
		if (cont || l ~ /^[ \t]*#/) {
			cont = (l ~ /\\[ \t]*$/)
			continue
		}
		code = code " " l
	}
	gsub(/__attribute__[ \t]*\(\([^()]*(\([^()]*\)[^()]*)*\)\)/, " ", code)
	ns = split(code, stmt, ";")
	for (k = 1; k <= ns; k++) {
		s = stmt[k]
		sub(/.*}/, "", s)
		if (s ~ /(^|[^A-Za-z0-9_])(typedef|static)([^A-Za-z0-9_]|$)/)
			continue
		if (!match(s, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/))
			continue
		name = substr(s, RSTART, RLENGTH)
		sub(/[ \t]*\($/, "", name)
		print name
	}
}' "$HEADER" | sort -u >"$tmp/header.funcs"
echo "# header $HEADER declares $(wc -l <"$tmp/header.funcs") functions"

awk '{ print $1 }' "$tmp/lib.pairs" | sort -u >"$tmp/lib.syms"
comm -23 "$tmp/lib.syms" "$tmp/header.funcs" | sed 's/$/ is not declared/' \
	>"$tmp/t10"
check "every exported function is declared in libdaxctl.h" "$tmp/t10"

comm -13 "$tmp/lib.syms" "$tmp/header.funcs" | sed 's/$/ is not exported/' \
	>"$tmp/t11"
[ -s "$tmp/header.funcs" ] || echo "no function found in $HEADER" >>"$tmp/t11"
check "every function declared in libdaxctl.h is exported" "$tmp/t11"

# ---- 12-16: pkg-config ----

pc_field() {
	sed -n "s/^$1:[ \t]*//p" "$PCFILE" 2>/dev/null | head -n 1
}

pc_name=$(pc_field Name)
if [ "$pc_name" = libdaxctl ]; then
	pass "libdaxctl.pc: Name: libdaxctl"
else
	flunk "libdaxctl.pc: Name: libdaxctl"
	echo "#   got \"$pc_name\" in $PCFILE"
fi

pc_libs=$(pc_field Libs)
case " $pc_libs " in
*" -ldaxctl "*)
	pass "libdaxctl.pc: Libs has -ldaxctl" ;;
*)
	flunk "libdaxctl.pc: Libs has -ldaxctl"
	echo "#   got \"$pc_libs\"" ;;
esac

pc_cflags=$(pc_field Cflags)
# shellcheck disable=SC2016 # the literal pkg-config variable reference
if [ "$pc_cflags" = '-I${includedir}' ]; then
	pass "libdaxctl.pc: Cflags: -I\${includedir}"
else
	flunk "libdaxctl.pc: Cflags: -I\${includedir}"
	echo "#   got \"$pc_cflags\""
fi

pc_version=$(pc_field Version)
version=$("$DAXCTL" --version 2>/dev/null)
if [ -n "$version" ] && [ "$pc_version" = "$version" ]; then
	pass "libdaxctl.pc: Version: is the package version ($version)"
else
	flunk "libdaxctl.pc: Version: is the package version"
	echo "#   libdaxctl.pc says \"$pc_version\""
	echo "#   $DAXCTL --version says \"$version\""
fi

# and pkg-config itself reads it as consumers will
if command -v pkg-config >/dev/null 2>&1; then
	pc_dir=$(dirname "$PCFILE")
	pc() {
		PKG_CONFIG_PATH=$pc_dir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} \
			pkg-config "$@" libdaxctl 2>>"$tmp/pc.err" ||
			echo "(pkg-config $* failed)"
	}
	: >"$tmp/pc.err"
	pc_modversion=$(pc --modversion)
	pc_libs=$(pc --libs)
	got="$pc_modversion $(pc --cflags) $pc_libs"
	if ! [ -s "$tmp/pc.err" ] && [ "$pc_modversion" = "$version" ] &&
		case " $pc_libs " in *" -ldaxctl "*) true ;; *) false ;; esac; then
		pass "pkg-config reads libdaxctl.pc: $got"
	else
		flunk "pkg-config reads libdaxctl.pc"
		echo "#   got: $got"
		sed 's/^/#   /' "$tmp/pc.err"
	fi
else
	pass "pkg-config reads libdaxctl.pc # SKIP pkg-config not found"
fi

exit $fail
