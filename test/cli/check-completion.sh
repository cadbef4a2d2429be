#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The bash completion (contrib/daxctl.bash-completion) driven the way bash
# drives it: COMP_WORDS split as readline splits them ('=' is a word of its
# own), COMP_CWORD, then _daxctl; the candidates it leaves in COMPREPLY are
# recorded in test/cli/expected/check-completion.out. Devices and regions come
# from a recorded system (hmem-10-created: region 0, dax0.0 to dax0.5),
# read as JSON with jq, with python3 when jq is missing, and without
# either (then only names and options complete).

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"

require_prog bash

root=$(fixture hmem-10-created)

cat > "$_tmp/complete.bash" <<'EOF'
# complete.bash LINE: print what completing LINE (cursor at its end) offers
. "$COMPLETION"
line=$1
COMP_WORDS=()
word=
for ((i = 0; i < ${#line}; i++)); do
	c=${line:i:1}
	if [[ $c == ' ' ]]; then
		[[ -n $word ]] && COMP_WORDS+=("$word")
		word=
	elif [[ $c == = ]]; then
		[[ -n $word ]] && COMP_WORDS+=("$word")
		COMP_WORDS+=("=")
		word=
	else
		word+=$c
	fi
done
# the word under the cursor, possibly empty
if [[ -n $word || $line == *' ' ]]; then
	COMP_WORDS+=("$word")
fi
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
_daxctl
printf '%s\n' "${COMPREPLY[@]}" | sort
EOF

COMPLETION=$top_srcdir/contrib/daxctl.bash-completion
export COMPLETION

# offer LINE...: record the candidates for each line
offer() {
	for _l in "$@"; do
		run_sh "" "bash '$_tmp/complete.bash' '$_l'"
	done
}

DAXCTL_SYSROOT=$root
export DAXCTL_SYSROOT
offer "daxctl " "daxctl re" "daxctl --" "daxctl help on" \
	"daxctl reconfigure-device --" "daxctl reconfigure-device --mo" \
	"daxctl reconfigure-device --mode=" "daxctl reconfigure-device --mode=s" \
	"daxctl reconfigure-device -m " "daxctl reconfigure-device " \
	"daxctl offline-memory dax0." "daxctl reconfigure-device -m devdax dax0.1 " \
	"daxctl list --region=" "daxctl list -r " "daxctl list --dev=dax0.4" \
	"daxctl list -" "daxctl create-device -s " "daxctl version "

# the command line's --sysroot is the one the listing uses
DAXCTL_SYSROOT=$(fixture empty-root)
offer "daxctl disable-device " \
	"daxctl --sysroot $root disable-device " \
	"daxctl --sysroot=$root enable-device dax0.5"

# file names for --input
mkdir -p "$_tmp/in" && : > "$_tmp/in/dump.json"
offer "daxctl create-device --input=$_tmp/in/du" \
	"daxctl reconfigure-device --input $_tmp/in/du" \
	"daxctl reconfigure-device --in"

# without jq: python3; without either: no names, but no error. The
# PATHs are the system's programs, less those.
DAXCTL_SYSROOT=$root
export DAXCTL_SYSROOT
mkdir -p "$_tmp/nojq" "$_tmp/none"
for _d in /usr/local/bin /usr/bin /bin; do
	for _p in "$_d"/*; do
		_n=${_p##*/}
		case $_n in
		jq) ;;
		python3*) [ -e "$_tmp/nojq/$_n" ] || ln -s "$_p" "$_tmp/nojq/$_n" ;;
		*)
			[ -e "$_tmp/nojq/$_n" ] || ln -s "$_p" "$_tmp/nojq/$_n"
			[ -e "$_tmp/none/$_n" ] || ln -s "$_p" "$_tmp/none/$_n"
			;;
		esac
	done
done
with_path() { # DIR LINE
	PATH="$_tmp/bin:$1" "$_tmp/none/bash" "$_tmp/complete.bash" "$2"
}
with_path "$_tmp/nojq" "daxctl online-memory " > "$_tmp/nojq.out"
PATH=$_tmp/bin:$PATH bash "$_tmp/complete.bash" "daxctl online-memory " > "$_tmp/jq.out"
if [ -e "$_tmp/nojq/python3" ]; then
	grep -q '^dax0.5$' "$_tmp/nojq.out" && cmp -s "$_tmp/jq.out" "$_tmp/nojq.out"
	tap_result $? "without jq, python3 reads the JSON: the same devices"
else
	echo "ok $((_tap_count = _tap_count + 1)) - without jq, python3 reads the JSON # SKIP python3 is not installed"
fi
with_path "$_tmp/none" "daxctl online-memory " > "$_tmp/none.out" 2>&1
[ "$(cat "$_tmp/none.out")" = all ]
tap_result $? "with neither jq nor python3: only 'all', no error"

check_output check-completion
