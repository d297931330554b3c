# SPDX-License-Identifier: Apache-2.0
#
# Helpers of privileges.bats, hostile.bats and churn.bats: the tools run
# with odd privileges, on hostile command lines, dumps and process names,
# and while the machine churns. Load after common, sources and views.

# The dump every --load mutation starts from: hidden namespaces, several
# roots, every source kind, a loose thread, an inaccessible process.
FIXTURE_DUMP=$BATS_TEST_DIRNAME/fixtures/hostile.json

# hostile_setup: call from setup.
hostile_setup() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	views_setup
	FILECAP_DIR=
	PRIVATE_DIR=
}

# hostile_teardown: call from teardown.
hostile_teardown() {
	local dir
	views_teardown
	for dir in "${FILECAP_DIR-}" "${PRIVATE_DIR-}"; do
		if [ -n "$dir" ] && [ -d "$dir" ]; then
			rm -rf --one-file-system "$dir"
		fi
	done
	FILECAP_DIR= PRIVATE_DIR=
}

# --- sanitizers ---------------------------------------------------------------

# sanitized: the tools under test are instrumented (SANITIZE=address,...).
sanitized() {
	grep -qa __asan_init "$NSTOOLS_BIN/nsdiscover"
}

# no_leak_check CMD...: runs CMD without LeakSanitizer, which needs to
# ptrace the process at exit and so cannot run under strace; the rest of
# ASan and UBSan stays on. Without the instrumented build, only CMD.
no_leak_check() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$@"
}

# --- exits and messages -------------------------------------------------------

# run_tool STATUS NAME ARGS...: runs tool NAME (stdout in $T/out, stderr in
# $T/err, its lines in ERR) under a hang guard; fails unless it exits
# STATUS and, for a non-zero STATUS, wrote nothing on stdout and a first
# message line (warnings aside) "NAME: ". A crash (128 and up) always
# fails. Builtins only, but for the tool: some tests run it by the
# hundred.
run_tool() {
	local want=$1 name=$2 st=0 line
	shift 2
	timeout -k 5 60 "$NSTOOLS_BIN/$name" "$@" >"$T/out" 2>"$T/err" || st=$?
	mapfile -t ERR <"$T/err"
	if [ "$st" -ne "$want" ]; then
		echo "$name $*: exit $st, expected $want" >&2
		show "$T/err"
		return 1
	fi
	[ "$want" -eq 0 ] && return 0
	if [ -s "$T/out" ]; then
		echo "$name $*: wrote to stdout on error" >&2
		show "$T/out"
		return 1
	fi
	for line in "${ERR[@]}"; do
		[[ $line == "$name: warning: "* ]] && continue
		[[ $line == "$name: "?* ]] && return 0
		break
	done
	echo "$name $*: no '$name: ' message" >&2
	show "$T/err"
	return 1
}

# usage_error NAME ARGS...: exit 2, nothing on stdout, "NAME: " messages
# ending with the line that points to --help.
usage_error() {
	local name=$1 line
	run_tool 2 "$@" || return 1
	if [ "${ERR[-1]}" != "Try '$name --help' for more information." ]; then
		echo "$*: last line of stderr: ${ERR[-1]}" >&2
		return 1
	fi
	for line in "${ERR[@]:0:${#ERR[@]}-1}"; do
		if [[ $line != "$name: "* ]]; then
			echo "$*: a message line without '$name: '" >&2
			show "$T/err"
			return 1
		fi
	done
}

# load_error NAME FILE [ARGS...]: --load FILE exits 1 with one message
# "NAME: FILE: ..." (nothing else: warnings of a dump come only once it
# loaded), nothing on stdout, under a hang guard. The message is left in
# LOAD_MESSAGE.
load_error() {
	local name=$1 file=$2
	shift 2
	run_tool 1 "$name" --load "$file" "$@" || return 1
	if [ "${#ERR[@]}" -ne 1 ] || [[ ${ERR[0]} != "$name: $file: "?* ]]; then
		echo "$name --load $file: not one '$name: $file: ' message" >&2
		show "$T/err"
		return 1
	fi
	LOAD_MESSAGE=${ERR[0]}
}

# load_error_all WHAT FILE: load_error for every tool; shows the message of
# the first on fd 3 under WHAT.
load_error_all() {
	local name
	for name in "${TOOLS[@]}"; do
		load_error "$name" "$2" || { echo "case: $1" >&2; return 1; }
		if [ "$name" = "${TOOLS[0]}" ]; then
			echo "# $1: ${LOAD_MESSAGE#*: *: }" >&3
		fi
	done
}

# mutated NAME JQ-FILTER [JQ ARGS...]: $T/NAME.json, the fixture dump
# changed by JQ-FILTER; prints its path.
mutated() {
	local name=$1 filter=$2
	shift 2
	jq "$@" "$filter" "$FIXTURE_DUMP" >"$T/$name.json" || return 1
	echo "$T/$name.json"
}

# refuse_mutated CASE NAME JQ-FILTER: the fixture dump changed by
# JQ-FILTER (as mutated NAME) is refused by every tool; when it is not,
# CASE joins the caller's array "failed" (see report_unrefused).
refuse_mutated() {
	local file
	file=$(mutated "$2" "$3") && load_error_all "$1" "$file" ||
		failed+=("$1")
}

# report_unrefused: fails, naming them, when cases are in "failed".
report_unrefused() {
	[ "${#failed[@]}" -eq 0 ] || {
		printf 'not refused: %s\n' "${failed[@]}" >&2
		false
	}
}

# --- capabilities ----------------------------------------------------------------

# The capabilities discovery keeps effective, those it keeps permitted
# only (for the child that enters a mount namespace), as strace names
# them, in the order of their numbers.
DISCOVERY_EFFECTIVE='CAP_DAC_READ_SEARCH|CAP_NET_ADMIN|CAP_SYS_PTRACE'
DISCOVERY_PERMITTED='CAP_DAC_READ_SEARCH|CAP_NET_ADMIN|CAP_SYS_CHROOT|CAP_SYS_PTRACE|CAP_SYS_ADMIN'

# cap_sets PID: "CapInh CapPrm CapEff CapAmb" of PID, in hex.
cap_sets() {
	awk '$1 ~ /^Cap(Inh|Prm|Eff|Amb):$/ { printf "%s%s", sep, $2; sep = " " }
		END { print "" }' "/proc/$1/status"
}

NO_CAPS="0000000000000000 0000000000000000 0000000000000000 0000000000000000"

# writing_stdout PID: PID is blocked in write(2) on fd 1.
writing_stdout() {
	local sc
	sc=$(cat "/proc/$1/syscall" 2>/dev/null) || return 1
	[[ $sc == "1 0x1 "* ]]
}

# filecap_copy CAPS: copies the tools into FILECAP_DIR (0755, for nobody)
# with the file capabilities CAPS ("cap_sys_ptrace,cap_dac_read_search+ep").
filecap_copy() {
	local name
	FILECAP_DIR=$(mktemp -d /tmp/nst-filecap.XXXXXX)
	chmod 0755 "$FILECAP_DIR"
	for name in "${TOOLS[@]}"; do
		install -m 0755 "$NSTOOLS_BIN/$name" "$FILECAP_DIR/$name"
		setcap "$1" "$FILECAP_DIR/$name"
	done
}

# as_nobody_ambient CMD...: runs CMD as nobody with CAP_SYS_PTRACE and
# CAP_DAC_READ_SEARCH ambient (so effective in CMD).
as_nobody_ambient() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+sys_ptrace,+dac_read_search \
		--ambient-caps=+sys_ptrace,+dac_read_search "$@"
}

# private_dir: PRIVATE_DIR, a directory only root may enter (0700).
private_dir() {
	PRIVATE_DIR=$(mktemp -d /tmp/nst-private.XXXXXX)
	chmod 0700 "$PRIVATE_DIR"
}

# terminfo_entry DIR: compiles into the terminfo database DIR the entry
# "nstpriv", whose colour sequences are words that show when it is used.
terminfo_entry() {
	mkdir -p "$1"
	printf '%s\n' 'nstpriv|nstools privilege test terminal,' \
		'	colors#8, cols#80, lines#24,' \
		'	setaf=PRIVSETAF%p1%d:, sgr0=PRIVSGR0:, bold=PRIVBOLD:,' \
		>"$T/nstpriv.src"
	tic -o "$1" "$T/nstpriv.src"
}

# The ways to hold CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH but not the
# right to read what another user keeps to itself: nobody with the file
# capabilities of the tools in FILECAP_DIR, nobody with them ambient, and
# UID 0 with only them (no CAP_DAC_OVERRIDE, no other). For each, in
# RUNNERS: the command prefix (a command, not a shell function: a
# terminal runs them too), ending with the directory the tool is run
# from; in REFERENCE: the same user without any capability; in SECRET:
# the directory (0700) and the file (0600) that only another user may
# read, owned by root for nobody and by nobody for UID 0. With
# CAP_DAC_READ_SEARCH effective, each could read them (shown by cat for
# those whose capabilities cat inherits). Sets up what they need.
privileged_runners() {
	local root_only nobody_only
	filecap_copy cap_sys_ptrace,cap_dac_read_search+ep
	unprivileged_copy
	private_dir
	root_only=$PRIVATE_DIR/root
	nobody_only=$PRIVATE_DIR/nobody
	install -d -m 0700 "$root_only"
	install -d -m 0700 -o 65534 -g 65534 "$nobody_only"
	install -m 0644 "$FIXTURE_DUMP" "$root_only/dump.json"
	install -m 0600 "$FIXTURE_DUMP" "$FILECAP_DIR/root.json"
	install -m 0644 -o 65534 "$FIXTURE_DUMP" "$nobody_only/dump.json"
	install -m 0600 -o 65534 "$FIXTURE_DUMP" "$FILECAP_DIR/nobody.json"
	terminfo_entry "$root_only/terminfo"
	terminfo_entry "$nobody_only/terminfo"
	chown -R 65534:65534 "$nobody_only/terminfo"
	RUNNERS=(
		"setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $FILECAP_DIR"
		"setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+sys_ptrace,+dac_read_search --ambient-caps=+sys_ptrace,+dac_read_search $UNPRIV_DIR"
		"setpriv --bounding-set=-all,+sys_ptrace,+dac_read_search --inh-caps=-all $NSTOOLS_BIN"
	)
	REFERENCE=(
		"setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $UNPRIV_DIR"
		"setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $UNPRIV_DIR"
		"setpriv --bounding-set=-all --inh-caps=-all $NSTOOLS_BIN"
	)
	SECRET=(
		"$root_only $FILECAP_DIR/root.json"
		"$root_only $FILECAP_DIR/root.json"
		"$nobody_only $FILECAP_DIR/nobody.json"
	)
	# the capabilities are there: cat reads the secrets with them
	as_nobody_ambient cat "$root_only/dump.json" "$FILECAP_DIR/root.json" >/dev/null
	setpriv --bounding-set=-all,+sys_ptrace,+dac_read_search --inh-caps=-all \
		cat "$nobody_only/dump.json" "$FILECAP_DIR/nobody.json" >/dev/null
	run getcap "$FILECAP_DIR/nsdiscover"
	assert_output --partial 'cap_dac_read_search,cap_sys_ptrace=ep'
}

# run_as RUNNER NAME ARGS...: the tool NAME run by RUNNER (see above);
# stdout in $T/out, stderr in $T/err; sets ST to its exit status.
run_as() {
	local -a prefix
	local name=$2
	read -r -a prefix <<<"$1"
	shift 2
	ST=0
	"${prefix[@]:0:${#prefix[@]}-1}" "${prefix[-1]}/$name" "$@" \
		>"$T/out" 2>"$T/err" || ST=$?
}

# --- trees ------------------------------------------------------------------------

# strip_sgr: the colour sequences of xterm-256color removed (and only
# them: an escape sequence of a name survives).
strip_sgr() {
	sed 's/\x1b\[[0-9;]*m//g; s/\x1b(B//g'
}

# lines_well_formed FILE STYLE: every line of FILE (a view, without
# colour) is a tree prefix of STYLE (line or ascii) and then a namespace,
# a quoted name, "pid:[???] " and a name, or a task property line.
lines_well_formed() {
	local prefix start='((cgroup|ipc|mnt|net|pid|time|user|uts):\[[0-9]+\]|"|pid:\[\?\?\?\] "|task ")'
	if [ "$2" = line ]; then
		prefix='((│  |   )*(├─ |└─ |⋄─ ))?'
	else
		prefix='((\|  |   )*(\|- |`- |o- ))?'
	fi
	if LC_ALL=C.UTF-8 grep -vE "^$prefix$start" "$1" >"$T/malformed"; then
		echo "$1: lines that are not tree lines:" >&2
		cat -v "$T/malformed" >&2
		return 1
	fi
}

# no_escape FILE: not one ESC byte in FILE.
no_escape() {
	if LC_ALL=C grep -q $'\x1b' "$1"; then
		echo "$1: raw ESC bytes:" >&2
		LC_ALL=C grep -n $'\x1b' "$1" | head -5 | cat -v >&2
		return 1
	fi
}

# --- strace -----------------------------------------------------------------------

# strace_facts FILE TERMINFO [LOADFILE]: from an strace -f log FILE
# (trace=capset,openat,write[,read]), one line for each capset of the main
# process ("capset N EFFECTIVE PERMITTED INHERITABLE", N counting its
# traced calls, sets as "CAP_A|CAP_B" or "0") and of any child
# ("child-capset PID EFFECTIVE PERMITTED"), and the number of the first
# call of the main process that writes to fd 1 ("write1 N") or fd 2
# ("write2 N"), opens something under TERMINFO ("terminfo N"), a locale
# or gconv file ("locale N"), LOADFILE ("load N"), /proc ("proc N"), or
# reads fd 0 ("read0 N"). The main process made the first call traced.
strace_facts() {
	awk -v terminfo="$2" -v load="${3-}" '
	function set(s, key,   v) {
		if (!match(s, key "=[^,}]*"))
			return "?"
		v = substr(s, RSTART + length(key) + 1, RLENGTH - length(key) - 1)
		gsub(/1<</, "", v)
		return v
	}
	function first(what) {
		if (!(what in seen)) {
			seen[what] = n
			print what, n
		}
	}
	NR == 1 { main = $1 }
	{ pid = $1; call = $0; sub(/^[0-9]+ +/, "", call) }
	pid != main {
		if (call ~ /^capset\(/)
			print "child-capset", pid, set(call, "effective"), set(call, "permitted")
		next
	}
	{ n++ }
	call ~ /^capset\(/ {
		print "capset", n, set(call, "effective"), set(call, "permitted"),
			set(call, "inheritable")
	}
	call ~ /^write\(1,/ { first("write1") }
	call ~ /^write\(2,/ { first("write2") }
	call ~ /^read\(0,/ { first("read0") }
	call ~ /^openat\(/ && index(call, "\"" terminfo) { first("terminfo") }
	call ~ /^openat\(.*"\/usr\/(lib|share)\/(locale|x86_64-linux-gnu\/gconv)/ { first("locale") }
	call ~ /^openat\(AT_FDCWD, "\/proc"/ { first("proc") }
	load != "" && call ~ /^openat\(/ && index(call, "\"" load "\"") { first("load") }
	' "$1"
}

# fact FACTS WHAT: the number N of the line "WHAT N" of FACTS; fails
# when there is none.
fact() {
	awk -v what="$2" '$1 == what { print $2; found = 1 } END { exit !found }' <<<"$1"
}

# before FACTS A B: call A came before call B (both happened).
before() {
	local a b
	a=$(fact "$1" "$2") || { echo "no $2 call" >&2; return 1; }
	b=$(fact "$1" "$3") || { echo "no $3 call" >&2; return 1; }
	[ "$a" -lt "$b" ] || { echo "$2 (call $a) is not before $3 (call $b)" >&2; return 1; }
}

# before_if FACTS A B: call A came before call B, if B happened at all.
before_if() {
	fact "$1" "$3" >/dev/null || return 0
	before "$@"
}
