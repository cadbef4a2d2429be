#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The boot-time path, without udev or systemd running: the udev rule is
# evaluated here for a set of uevents (a small evaluator that knows the
# rule syntax it needs and rejects anything else), the unit name it asks
# for is instantiated from daxdev-reconfigure@.service, and the resulting
# ExecStart command line is run against a recorded system to show that
# daxctl accepts it. The unit must answer to ndctl's instance name as
# well (daxdev-reconfigure@dev-dax0.0.service, the escaped device node,
# which drop-ins and documentation written for ndctl use).
# systemd-analyze verify checks the unit where it is installed, under
# both names. Results in test/cli/expected/check-boot-units.out.

. "${srcdir:-$(dirname "$0")/../..}/test/cli/common.sh"

rule=$top_srcdir/contrib/90-daxctl-device.rules
unit=$top_builddir/contrib/daxdev-reconfigure@.service
[ -f "$unit" ] || _bail "no $unit (make builds it)"

# udev_wants ACTION SUBSYSTEM KERNEL: the units the rule file asks systemd
# to start for that uevent, one per line (SYSTEMD_WANTS of tagged devices)
udev_wants() {
	awk -v action="$1" -v subsystem="$2" -v kernel="$3" '
	function glob_re(g,    r, i, c) {
		r = "^"
		for (i = 1; i <= length(g); i++) {
			c = substr(g, i, 1)
			if (c == "*") r = r ".*"
			else if (c == "?") r = r "."
			else if (c == "[") {
				r = r "["
				while (++i <= length(g) && substr(g, i, 1) != "]")
					r = r substr(g, i, 1)
				r = r "]"
			} else if (index(".^$+(){}|\\/", c)) r = r "\\" c
			else r = r c
		}
		return r "$"
	}
	function value_of(key) {
		if (key == "ACTION") return action
		if (key == "SUBSYSTEM") return subsystem
		if (key == "KERNEL") return kernel
		printf "%s:%d: this test does not know the match key %s\n", FILENAME, FNR, key > "/dev/stderr"
		bad = 1
		return ""
	}
	/^[ \t]*(#|$)/ { next }
	{
		line = $0
		matched = 1
		n = 0
		while (line != "") {
			sub(/^[ \t,]+/, "", line)
			if (line == "")
				break
			if (!match(line, /^[A-Z_]+(\{[A-Za-z_]+\})?(==|!=|\+=|=)"[^"]*"/)) {
				printf "%s:%d: cannot parse: %s\n", FILENAME, FNR, line > "/dev/stderr"
				bad = 1
				break
			}
			tok = substr(line, 1, RLENGTH)
			line = substr(line, RLENGTH + 1)
			match(tok, /(==|!=|\+=|=)/)
			key = substr(tok, 1, RSTART - 1)
			op = substr(tok, RSTART, RLENGTH)
			val = substr(tok, RSTART + RLENGTH + 1)
			val = substr(val, 1, length(val) - 1)
			if (op == "==" || op == "!=") {
				hit = value_of(key) ~ glob_re(val)
				if ((op == "==") != hit)
					matched = 0
				continue
			}
			assign[++n] = key SUBSEP op SUBSEP val
		}
		if (!matched)
			next
		for (i = 1; i <= n; i++) {
			split(assign[i], a, SUBSEP)
			gsub(/%k/, kernel, a[3])
			if (a[1] == "TAG")
				tags = tags " " a[3]
			else if (a[1] == "ENV{SYSTEMD_WANTS}")
				wants = (a[2] == "+=" ? wants " " : "") a[3]
			else {
				printf "%s:%d: this test does not know the key %s\n", FILENAME, FNR, a[1] > "/dev/stderr"
				bad = 1
			}
		}
	}
	END {
		if (bad)
			exit 1
		# systemd only looks at SYSTEMD_WANTS of devices tagged for it
		if (tags !~ / systemd( |$)/)
			exit 0
		n = split(wants, w, " ")
		for (i = 1; i <= n; i++)
			print w[i]
	}' "$rule"
}

# unit_exec INSTANCE: the command line the unit runs for INSTANCE, one
# word a line, as systemd makes it: the specifiers the unit uses expanded
# (it must use no others; %I is the instance with systemd's escaping
# undone: "-" is "/", "\x2d" is "-"), "$$" a "$", the words split at
# blanks outside quotes (sh splits the same way for this line)
unit_exec() {
	_e=$(sed -n 's/^ExecStart=//p' "$unit")
	case $_e in
	*%[!I]*) echo "unknown specifier in: $_e" >&2; return 1 ;;
	esac
	_i=$(printf '%s\n' "$1" | sed 's|-|/|g; s|\\x2d|-|g')
	_e=$(printf '%s\n' "$_e" | sed 's/\$\$/$/g')
	eval "set -- ${_e%%%I}"
	printf '%s\n' "$@" "$_i"
}

# run_unit INSTANCE: run the unit's command for INSTANCE on $root, with
# the daxctl under test in place of the installed one
run_unit() {
	unit_exec "$1" > "$_tmp/argv" || return 1
	set --
	while IFS= read -r _w; do
		case $_w in
		*/daxctl) _w=$_tmp/daxctl ;;
		esac
		set -- "$@" "$_w"
	done < "$_tmp/argv"
	"$@"
}

for ev in "add dax dax0.0" "add dax dax12.3" "remove dax dax0.0" \
	"bind dax dax0.0" "change dax dax0.0" "add block pmem0" \
	"add dax dax_region0" "add dax dax0"; do
	run_sh "" "udev_wants $ev"
done

cp "$unit" "$_tmp/unit"
run_sh "the unit" "sed -n '/^\\[/,\$p' \"\$_tmp/unit\" | sed 's| [^ ]*/daxctl | BINDIR/daxctl |'"

# The whole chain: uevent -> unit instance -> command line -> daxctl.
root=$(fixture nvdimm-50-pmem-devdax)
mkdir -p "$_tmp/conf"
DAXCTL_CONFIG_PATH=$_tmp/conf
export DAXCTL_CONFIG_PATH
want=$(udev_wants add dax dax0.0)
instance=${want#daxdev-reconfigure@}
instance=${instance%.service}
run_sh "the words of the unit's command for $instance" \
	"unit_exec '$instance' | sed 's|^/.*/daxctl\$|BINDIR/daxctl|'"
unit_exec "$instance" | grep -q '^/.*/daxctl$' ||
	_bail "ExecStart does not run daxctl by its absolute path"
# the daxctl under test, on the fixture, stands in for the installed one
printf '#!/bin/sh\nexec "%s" --sysroot "%s" "$@"\n' "$DAXCTL" "$root" \
	> "$_tmp/daxctl"
chmod +x "$_tmp/daxctl"
run_sh "the unit's command for $instance, no configuration" \
	"run_unit '$instance'"
uuid=$(cat "$(find "$root/sys/devices" -path '*/region0/dax0.0/uuid')")
printf '[reconfigure-device pmem]\nnvdimm.uuid = %s\nmode = system-ram\n' \
	"$uuid" > "$_tmp/conf/pmem.conf"
printf '#!/bin/sh\nexec "%s" --sysroot "%s" "$@" --dry-run\n' "$DAXCTL" \
	"$root" > "$_tmp/daxctl"
run_sh "the same with a matching section (dry run: the fixture is read-only)" \
	"run_unit '$instance' | head -n 4"
# ndctl's rule names the instance after the escaped device node, as
# systemd-escape -p --template=daxdev-reconfigure@.service /dev/dax0.0 does
for instance in dev-dax0.0 dax0.0 'dev-dax0.0\x2d' dev-sys-dax0.0; do
	run_sh "the unit's command for $instance (dry run)" \
		"run_unit '$instance' > \"\$_tmp/out\" 2>&1; _rc=\$?; sed -n '1p;\$p' \"\$_tmp/out\"; exit \$_rc"
done

# a configuration with an error: the command fails, so the oneshot unit
# does (systemctl --failed lists it), and the device is left as it is
printf '[reconfigure-device pmem]\nnvdimm.uuid = %s\nmode = ram\n' \
	"$uuid" > "$_tmp/conf/pmem.conf"
run_sh "the unit's command for dax0.0, a configuration with an error" \
	"run_unit dax0.0"

check_output check-boot-units

# systemd's own check of the unit, where systemd-analyze exists: the
# command must exist, so a copy runs the daxctl under test
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$_tmp/units"
	sed "s| [^ ]*/daxctl | $DAXCTL |" "$unit" \
		> "$_tmp/units/daxdev-reconfigure@.service"
	if systemd-analyze verify --man=no \
		"$_tmp/units/daxdev-reconfigure@dax0.0.service" \
		"$_tmp/units/daxdev-reconfigure@dev-dax0.0.service" \
		> "$_tmp/verify.log" 2>&1 && ! [ -s "$_tmp/verify.log" ]; then
		tap_result 0 "systemd-analyze verify: the unit is clean"
	else
		sed 's/^/# /' "$_tmp/verify.log"
		tap_result 1 "systemd-analyze verify: the unit is clean"
	fi
else
	echo "ok $((_tap_count = _tap_count + 1)) - systemd-analyze verify # SKIP systemd-analyze is not installed"
fi
