# SPDX-License-Identifier: Apache-2.0
#
# Helpers of views-live.bats: the four views run against namespaces built by
# the test, and the reading of their trees. Load after common and sources.
#
# Trees are read in the ascii style, whose prefix is made of groups of three
# characters: "|  " and "   " (a column), "|- " and "`- " (a node), "o- " (a
# property line of the node above). What follows the prefix is the text.

# views_setup: call from setup.
views_setup() {
	sources_setup
	T=$BATS_TEST_TMPDIR
	STOPS=()
	UNPRIV_DIR=
}

# views_teardown: call from teardown. The chains of stop_later are stopped
# leaf first, so that every process is reaped by its own parent.
views_teardown() {
	local i
	for ((i = ${#STOPS[@]} - 1; i >= 0; i--)); do
		stop_fixture ${STOPS[i]} 2>/dev/null || true
	done
	STOPS=()
	sources_teardown
	if [ -n "${UNPRIV_DIR-}" ] && [ -d "$UNPRIV_DIR" ]; then
		rm -rf --one-file-system "$UNPRIV_DIR"
	fi
}

# stop_later LEAF STARTED: stop LEAF STARTED in teardown.
stop_later() {
	STOPS+=("$1 $2")
}

# tool NAME ARGS...: runs the tool NAME.
tool() {
	local name=$1
	shift
	"$NSTOOLS_BIN/$name" "$@"
}

TOOLS=(lsuserns lspidns pidtree nsdiscover)

# children PID: the pids of the children of PID, one a line.
children() {
	cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep .
}

# only_child PID: the pid of the single child of PID; fails unless there is
# exactly one.
only_child() {
	local c
	c=$(children "$1") || return 1
	[ "$(wc -l <<<"$c")" -eq 1 ] || return 1
	echo "$c"
}

# has_comm PID NAME: the command name of PID is NAME.
has_comm() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# nspid PID: the NSpid line of PID, its PIDs joined by "/" as pidtree shows
# them ("HOST/.../OWN").
nspid() {
	awk '$1 == "NSpid:" { $1 = ""; sub(/^ /, ""); gsub(/ /, "/"); print }' \
		"/proc/$1/status"
}

# --- fixtures: each sets the variables named in its comment ---------------

# Nested PID namespaces, both with their own /proc, owned by NEST_USER (a
# user namespace of root's): NEST_STARTED (unshare, here) has in PID_MID
# the init NEST_INIT ("nst-init", 1), whose child NEST_UNSHARE ("unshare",
# 2) has in PID_INNER the init NEST_LEAF ("sleep", 3 in PID_MID, 1 in
# PID_INNER). fixture_nested_pidns LAUNCHER... starts it through LAUNCHER,
# a command that forks once (nsenter -p): NEST_STARTED is then its child.
fixture_nested_pidns() {
	local started
	start "$@" unshare --user --map-root-user --pid --fork --mount-proc sh -c "
		printf nst-init >/proc/self/comm
		unshare --pid --fork --mount-proc \
			sh -c 'echo ready >\"\$0\"; exec sleep 1000' '$FIX/nest-ready' &
		wait"
	started=$STARTED
	wait_file "$FIX/nest-ready"
	NEST_STARTED=$started
	if [ $# -gt 0 ]; then
		NEST_STARTED=$(only_child "$started")
	fi
	NEST_INIT=$(only_child "$NEST_STARTED")
	NEST_UNSHARE=$(only_child "$NEST_INIT")
	NEST_LEAF=$(only_child "$NEST_UNSHARE")
	stop_later "$NEST_LEAF" "$started"
	wait_for has_comm "$NEST_LEAF" sleep
	wait_for has_comm "$NEST_INIT" nst-init
	NEST_USER=$(ns_ino "$NEST_LEAF" user)
	PID_MID=$(ns_ino "$NEST_INIT" pid)
	PID_INNER=$(ns_ino "$NEST_LEAF" pid)
}

# USER_HIDDEN: a user namespace without processes, child of INIT_USERNS,
# parent of USER_CHILD, the user namespace of process USER_CHILD_PID.
fixture_hidden_userns() {
	local first
	start unshare --user --map-root-user \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/hu-first"
	first=$STARTED
	wait_file "$FIX/hu-first"
	USER_HIDDEN=$(ns_ino "$first" user)
	start nsenter -t "$first" -U -- unshare --user --map-root-user \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/hu-child"
	USER_CHILD_PID=$STARTED
	wait_file "$FIX/hu-child"
	USER_CHILD=$(ns_ino "$USER_CHILD_PID" user)
	stop_fixture "$first" "$first"
}

# NET_OWNED: the net namespace of process OWNED_PID, owned by USER_OWNER,
# a child user namespace that the process is in too.
fixture_owned_netns() {
	start unshare --user --map-root-user --net \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/owned"
	OWNED_PID=$STARTED
	wait_file "$FIX/owned"
	USER_OWNER=$(ns_ino "$OWNED_PID" user)
	NET_OWNED=$(ns_ino "$OWNED_PID" net)
}

# CHILD_PIDNS: the PID namespace of CHILD_PID ("sleep", root's, 1 in it),
# started by CHILD_STARTED (unshare) here, owned by our user namespace.
fixture_child_pidns() {
	start unshare --pid --fork sh -c "$WRITE_PID; exec sleep 1000" \
		"$FIX/child-pidns"
	CHILD_STARTED=$STARTED
	wait_file "$FIX/child-pidns"
	CHILD_PID=$(cat "$FIX/child-pidns")
	stop_later "$CHILD_PID" "$CHILD_STARTED"
	wait_for has_comm "$CHILD_PID" sleep
	CHILD_PIDNS=$(ns_ino "$CHILD_PID" pid)
}

# --- the sandbox ----------------------------------------------------------

# A PID namespace with its own /proc, in a mount namespace of its own
# (private: nothing mounted here later shows there): the views run in it see
# only the processes started in it, and the bind mounts it had when made or
# made in it since, so that what they show does not change unless the test
# changes it. SANDBOX is its init ("sleep"), as seen from here.
fixture_sandbox() {
	local started
	start unshare --pid --fork --mount-proc --propagation private \
		sh -c 'echo ready >"$0"; exec sleep 1000' "$FIX/sandbox"
	started=$STARTED
	wait_file "$FIX/sandbox"
	SANDBOX=$(only_child "$started")
	stop_later "$SANDBOX" "$started"
	wait_for has_comm "$SANDBOX" sleep
}

# in_sandbox CMD...: runs CMD in the sandbox (a child of nsenter).
in_sandbox() {
	nsenter -t "$SANDBOX" -p -m -- "$@"
}

# sb_start FILE CMD...: starts CMD in the sandbox; CMD (sh -c "$WRITE_PID
# ..." FILE) writes its pid there into FILE. Sets SB_STARTED (nsenter,
# here), SB_PID (CMD, as seen from here) and SB_INNER (CMD, as seen in the
# sandbox).
sb_start() {
	local file=$1
	shift
	start nsenter -t "$SANDBOX" -p -m -- "$@"
	SB_STARTED=$STARTED
	wait_file "$file"
	SB_INNER=$(cat "$file")
	SB_PID=$(only_child "$SB_STARTED")
}

# fixture_sandbox_all: the sandbox, and in it: nested PID namespaces (as
# fixture_nested_pidns); a hidden user namespace SB_USER_HIDDEN with a
# child; a net namespace SB_NET_BIND bind-mounted on $SB_NET_BIND_PATH; a
# net namespace SB_NET_OWNED, owned by the hidden user namespace
# SB_USER_OWNER, bind-mounted on $SB_NET_OWNED_PATH; a net namespace
# SB_NET_FD held only by fd 7 of SB_FD_HOLDER.
fixture_sandbox_all() {
	local first first_started
	fixture_sandbox
	fixture_nested_pidns nsenter -t "$SANDBOX" -p -m --
	# hidden user namespace, with a child
	sb_start "$FIX/sb-hu-first" unshare --user --map-root-user \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/sb-hu-first"
	first=$SB_PID first_started=$SB_STARTED
	SB_USER_HIDDEN=$(ns_ino "$first" user)
	sb_start "$FIX/sb-hu-child" nsenter -t "$SB_INNER" -U -- \
		unshare --user --map-root-user \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/sb-hu-child"
	stop_fixture "$first" "$first_started"
	# bind mounts on a tmpfs of the sandbox's
	mkdir "$FIX/sbx"
	SB_NET_BIND_PATH=$FIX/sbx/net
	SB_NET_OWNED_PATH=$FIX/sbx/owned
	in_sandbox sh -c "mount -t tmpfs nst-views '$FIX/sbx' &&
		touch '$SB_NET_BIND_PATH' '$SB_NET_OWNED_PATH' &&
		unshare --net='$SB_NET_BIND_PATH' true"
	SB_NET_BIND=$(in_sandbox stat -L -c %i "$SB_NET_BIND_PATH")
	sb_start "$FIX/sb-owned" unshare --user --map-root-user --net \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/sb-owned"
	SB_USER_OWNER=$(ns_ino "$SB_PID" user)
	SB_NET_OWNED=$(ns_ino "$SB_PID" net)
	in_sandbox mount --bind "/proc/$SB_INNER/ns/net" "$SB_NET_OWNED_PATH"
	stop_fixture "$SB_PID" "$SB_STARTED"
	# fd-held
	sb_start "$FIX/sb-fd-first" unshare --net \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/sb-fd-first"
	first=$SB_PID first_started=$SB_STARTED
	SB_NET_FD=$(ns_ino "$first" net)
	sb_start "$FIX/sb-fd" bash -c \
		"exec 7</proc/$SB_INNER/ns/net; $WRITE_PID; exec sleep 1000" \
		"$FIX/sb-fd"
	SB_FD_HOLDER=$SB_INNER
	stop_fixture "$first" "$first_started"
}

# --- reading trees ---------------------------------------------------------

# The awk functions that split an ascii tree line into depth and text.
TREE_AWK='
function depth(s,   d, g) {
	for (d = 0; ; d++) {
		g = substr(s, 3 * d + 1, 3)
		if (g != "|  " && g != "   " && g != "|- " && g != "`- " && g != "o- ")
			return d
	}
}
function split_line(s) {
	D = depth(s)
	TEXT = substr(s, 3 * D + 1)
	PROP = D > 0 && substr(s, 3 * D - 2, 3) == "o- "
}'

# texts FILE: the text of every line of the ascii tree FILE.
texts() {
	awk "$TREE_AWK"'{ split_line($0); print TEXT }' "$1"
}

# roots FILE: the text of every top-level line of the ascii tree FILE.
roots() {
	awk "$TREE_AWK"'{ split_line($0); if (D == 0) print TEXT }' "$1"
}

# node_line FILE PREFIX: the text of the first node line (not a property
# line) of the ascii tree FILE whose text starts with PREFIX.
node_line() {
	awk -v pat="$2" "$TREE_AWK"'
		{ split_line($0) }
		!PROP && index(TEXT, pat) == 1 { print TEXT; found = 1; exit }
		END { exit !found }' "$1"
}

# tree_parent FILE PREFIX: the text of the parent node of the first node
# line of FILE whose text starts with PREFIX; fails if there is no such
# line or it is at the top.
tree_parent() {
	awk -v pat="$2" "$TREE_AWK"'
		{ split_line($0) }
		PROP { next }
		index(TEXT, pat) == 1 { if (D > 0) { print node[D - 1]; found = 1 }; exit }
		{ node[D] = TEXT }
		END { exit !found }' "$1"
}

# prop_owners FILE PREFIX: for every property line of FILE whose text starts
# with PREFIX, the text of the node it belongs to (the node above).
prop_owners() {
	awk -v pat="$2" "$TREE_AWK"'
		{ split_line($0) }
		!PROP { owner = TEXT; next }
		index(TEXT, pat) == 1 { print owner }' "$1"
}

# expect_eq WHAT GOT EXPECTED: GOT equals EXPECTED, else both are shown.
expect_eq() {
	[ "$2" = "$3" ] && return 0
	printf '%s:\n  got:      %s\n  expected: %s\n' "$1" "$2" "$3" >&2
	return 1
}

# none_counted: stdin with a count of no process, ", no process known"
# where processes that could not be read may be in a namespace (PID 1,
# on some machines even for root), said as ", 0 processes": for a test
# of a namespace that holds no process, whatever else runs.
none_counted() {
	sed 's/, no process known$/, 0 processes/'
}

# expect_prefix WHAT GOT PREFIX: GOT starts with PREFIX.
expect_prefix() {
	[[ "$2" == "$3"* ]] && return 0
	printf '%s:\n  got:      %s\n  expected: %s...\n' "$1" "$2" "$3" >&2
	return 1
}

# show FILE: FILE on stderr (for the output of a failing test).
show() {
	echo "--- $1:" >&2
	cat -v "$1" >&2
}

# --- running the tools -----------------------------------------------------

# with_pid FILE CMD...: runs CMD, having written its pid to FILE first.
with_pid() {
	bash -c 'echo "$$" >"$0" && exec "$@"' "$@"
}

# only_warning TOOL FILE: FILE (a tool's stderr) is empty or exactly one
# "TOOL: warning: " line (discovery as root still cannot read everything on
# every machine).
only_warning() {
	local n
	n=$(wc -l <"$2")
	if [ "$n" -eq 0 ]; then
		return 0
	fi
	if [ "$n" -eq 1 ] && grep -q "^$1: warning: " "$2"; then
		return 0
	fi
	show "$2"
	return 1
}

# unprivileged_copy: copies the tools into UNPRIV_DIR, a directory that
# anyone can read, for setpriv to run them as nobody.
unprivileged_copy() {
	UNPRIV_DIR=$(mktemp -d /tmp/nst-views.XXXXXX)
	chmod 0755 "$UNPRIV_DIR"
	cp "${TOOLS[@]/#/$NSTOOLS_BIN/}" "$UNPRIV_DIR/"
	chmod 0755 "${TOOLS[@]/#/$UNPRIV_DIR/}"
}

# as_nobody CMD...: runs CMD as nobody without any capability.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}

# as_nobody_ptrace CMD...: runs CMD as nobody with only CAP_SYS_PTRACE.
as_nobody_ptrace() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace "$@"
}

# filtered FILE DUMPPID NAME VIEWPID: FILE without the lines of the dumping
# process ("nsdiscover" (DUMPPID...) and of the viewing one ("NAME"
# (VIEWPID...), in any label or process line.
filtered() {
	grep -vE "\"nsdiscover\" \\($2[/)]|\"$3\" \\($4[/)]" "$1"
}

# load_failed WHAT [ERRFILE]: says why compare_load gave up, with the
# stderr kept in $T/ERRFILE.
load_failed() {
	echo "compare_load: $1" >&2
	[ -z "${2-}" ] || show "$T/$2"
}

# compare_load WHERE NAME ARGS...: dumps with nsdiscover --json, runs NAME
# ARGS live right after and renders the dump with NAME ARGS --load (WHERE,
# a command prefix, or "" for none, runs the first two); true when the two
# are the same but for the lines of the tools' own processes. The files are
# left in $T: dump.json, live, loaded (and .f, filtered).
compare_load() {
	local where=$1 name=$2 dpid vpid
	shift 2
	$where bash -c 'echo "$$" >"$0" && exec "$@"' "$T/dump.pid" \
		"$NSDISCOVER" --json >"$T/dump.json" 2>"$T/dump.err" ||
		{ load_failed "nsdiscover --json: status $?" dump.err; return 2; }
	$where bash -c 'echo "$$" >"$0" && exec "$@"' "$T/live.pid" \
		"$NSTOOLS_BIN/$name" "$@" >"$T/live" 2>"$T/live.err" ||
		{ load_failed "$name $*: status $?" live.err; return 2; }
	tool "$name" "$@" --load "$T/dump.json" >"$T/loaded" 2>"$T/loaded.err" ||
		{ load_failed "$name $* --load: status $?" loaded.err; return 2; }
	dpid=$(cat "$T/dump.pid")
	vpid=$(cat "$T/live.pid")
	# the dump says who made it
	[ "$(jq .discovery.pid "$T/dump.json")" = "$dpid" ] ||
		{ load_failed "the dump's discovery.pid is not $dpid"; return 2; }
	filtered "$T/live" "$dpid" "$name" "$vpid" >"$T/live.f"
	filtered "$T/loaded" "$dpid" "$name" "$vpid" >"$T/loaded.f"
	[ -s "$T/live.f" ] || { load_failed "$name $*: nothing shown live"; return 2; }
	cmp -s "$T/live.f" "$T/loaded.f" || return 1
	# the warnings of the dump are given again
	cmp <(sed 's/^[a-z]*: //' "$T/dump.err") \
	    <(sed 's/^[a-z]*: //' "$T/loaded.err") ||
		{ show "$T/dump.err"; show "$T/loaded.err"; return 2; }
}

# sandbox_load_matches NAME ARGS...: in the sandbox, where nothing changes
# but the tools' own processes, a dump renders as NAME ARGS shows live.
sandbox_load_matches() {
	local st=0
	compare_load in_sandbox "$@" || st=$?
	if [ "$st" -eq 1 ]; then
		echo "$*: --load differs from live:" >&2
		diff "$T/loaded.f" "$T/live.f" >&2
	fi
	return "$st"
}

# host_load_matches NAME ARGS...: the same here, where anything else on the
# machine may come and go between the two runs (or a kernel thread change
# its name): retried up to 30 times until both saw the same.
host_load_matches() {
	local i st
	for i in $(seq 30); do
		st=0
		compare_load "" "$@" || st=$?
		[ "$st" -ne 1 ] && return "$st"
	done
	echo "$*: --load differs from live (30 tries), last:" >&2
	diff "$T/loaded.f" "$T/live.f" >&2
	return 1
}
