#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every manual page that Documentation/docs.am builds has the sections its
# manual section calls for, as "== TITLE" headings, and a title line
# "= name(N)" naming the section it is installed in:
#
#   1 (man_sources)   NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXAMPLE(S),
#                     EXIT STATUS, ENVIRONMENT, SEE ALSO
#   3 (man3_sources)  NAME, SYNOPSIS, DESCRIPTION, EXAMPLE(S),
#                     RETURN VALUE, ENVIRONMENT, SEE ALSO
#   5 (man5_sources)  NAME, SYNOPSIS, DESCRIPTION, EXAMPLE(S),
#                     ENVIRONMENT, SEE ALSO
#
# EXAMPLE and EXAMPLES are both accepted. Pages are read with their
# include:: directives expanded and their comments removed, as in
# check-man-options.sh. Needs no asciidoctor.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"
. "$top_srcdir/test/meta/man-page-text.sh"

docs_am=$top_srcdir/Documentation/docs.am

required_1="NAME|SYNOPSIS|DESCRIPTION|OPTIONS|EXAMPLE/EXAMPLES|EXIT STATUS|ENVIRONMENT|SEE ALSO"
required_3="NAME|SYNOPSIS|DESCRIPTION|EXAMPLE/EXAMPLES|RETURN VALUE|ENVIRONMENT|SEE ALSO"
required_5="NAME|SYNOPSIS|DESCRIPTION|EXAMPLE/EXAMPLES|ENVIRONMENT|SEE ALSO"

# The words of the make variable $1 of docs.am, continuation lines
# included.
am_list() {
	awk -v name="$1" '
	!invar && $0 ~ "^" name "[ \t]*=" {
		invar = 1
		sub(/^[^=]*=/, "")
	}
	invar {
		more = sub(/\\[ \t]*$/, "")
		for (i = 1; i <= NF; i++)
			print $i
		if (!more)
			exit
	}' "$docs_am"
}

# check_page SECTION FILE: the title line and every required heading
check_page() {
	_sec=$1
	_file=$2
	_page=${_file##*/}
	_name=${_page%.adoc}
	if [ ! -f "$top_srcdir/$_file" ]; then
		tap_result 1 "$_page: $_file exists"
		return
	fi
	page_text "$top_srcdir/$_file" > "$_tmp/page" 2> "$_tmp/page.err"
	tap_result $? "$_page: includes resolve" ||
		sed 's/^/# /' "$_tmp/page.err"

	grep -qxF "= $_name($_sec)" "$_tmp/page"
	tap_result $? "$_page: title is '= $_name($_sec)'"

	# headings, blanks at the end of the line ignored
	sed -n 's/^== \(.*[^ 	]\)[ 	]*$/\1/p' "$_tmp/page" > "$_tmp/headings"
	case $_sec in
	1) _required=$required_1 ;;
	3) _required=$required_3 ;;
	5) _required=$required_5 ;;
	*) _required= ;;
	esac
	_old_ifs=$IFS
	IFS='|'
	set -f
	for _want in $_required; do
		IFS=$_old_ifs
		_found=1
		_alts=$(printf '%s\n' "$_want" | tr '/' '\n')
		while IFS= read -r _alt; do
			if grep -qxF "$_alt" "$_tmp/headings"; then
				_found=0
				break
			fi
		done <<EOF
$_alts
EOF
		tap_result "$_found" "$_page: has a section $(printf '%s' "$_want" | sed 's|/| or |g')"
		IFS='|'
	done
	IFS=$_old_ifs
	set +f
}

[ -f "$docs_am" ]
tap_result $? "Documentation/docs.am exists" || exit 1

for sec in 1 3 5; do
	case $sec in
	1) var=man_sources ;;
	*) var=man${sec}_sources ;;
	esac
	pages=$(am_list "$var")
	[ -n "$pages" ]
	tap_result $? "docs.am lists section $sec pages in $var" || continue
	for file in $pages; do
		check_page "$sec" "$file"
	done
done
