#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# What narrows a view (ui/focus): -p, --task and --ns of lsuserns, lspidns
# and nsdiscover, and the namespace arguments of nsdiscover, live against
# namespaces the test builds (nested PID namespaces, a hidden user
# namespace, a namespace held only by an fd, one that only a thread is in),
# every misuse and what names nothing, and --load against live. Only what
# the test built is looked at.

bats_require_minimum_version 1.5.0

load common
load sources
load views

# the fixture dump, for what only it has (an inaccessible process, IDs)
FIXTURE_DUMP=$BATS_TEST_DIRNAME/fixtures/hostile.json

setup() {
	views_setup
}

teardown() {
	local ret=0
	views_teardown || ret=1
	netns_del_added || ret=1
	return "$ret"
}

# focus TOOL ARGS...: the tool's ascii tree in $T/out, its stderr (at most
# the one warning) checked.
focus() {
	tool "$@" --treestyle=ascii >"$T/out" 2>"$T/err" ||
		{ show "$T/err"; return 1; }
	only_warning "$1" "$T/err"
}

# node_count FILE: how many node lines (not property lines) FILE has.
node_count() {
	awk "$TREE_AWK"'{ split_line($0); if (!PROP) n++ } END { print n + 0 }' "$1"
}

# fails_with STATUS MESSAGE TOOL ARGS...: TOOL ARGS exits STATUS, prints
# nothing, and its stderr is MESSAGE (and, for a usage error, the pointer
# to --help), apart from the one warning of a discovery.
fails_with() {
	local status=$1 message=$2 st=0
	shift 2
	tool "$@" >"$T/out" 2>"$T/err" || st=$?
	[ "$st" -eq "$status" ] || { echo "$*: exit $st, expected $status" >&2; show "$T/err"; return 1; }
	[ ! -s "$T/out" ] || { show "$T/out"; return 1; }
	grep -v "^$1: warning: " "$T/err" >"$T/msg"
	if [ "$status" -eq 2 ]; then
		printf '%s\n%s\n' "$message" "Try '$1 --help' for more information." |
			diff - "$T/msg"
	else
		printf '%s\n' "$message" | diff - "$T/msg"
	fi
}

# --- -p and --ns on nested PID namespaces ------------------------------------

@test "lspidns -p: the chain of PID namespaces down to the process's" {
	fixture_nested_pidns
	focus lspidns -p "$NEST_LEAF"
	[ "$(node_count "$T/out")" -eq 3 ] || { show "$T/out"; false; }
	expect_prefix "root" "$(roots "$T/out")" "pid:[$INIT_PIDNS]"
	expect_prefix "parent of the leaf's" \
		"$(tree_parent "$T/out" "pid:[$PID_INNER]")" "pid:[$PID_MID]"
	expect_prefix "parent of the middle" \
		"$(tree_parent "$T/out" "pid:[$PID_MID]")" "pid:[$INIT_PIDNS]"
	# --task is the same; -u puts the owner on the way
	tool lspidns --task "$NEST_LEAF" --treestyle=ascii >"$T/task" 2>/dev/null
	cmp "$T/out" "$T/task"
	focus lspidns -u -p "$NEST_LEAF"
	expect_prefix "owner above the middle" \
		"$(tree_parent "$T/out" "pid:[$PID_MID]")" "user:[$NEST_USER]"
	[ "$(node_count "$T/out")" -eq 5 ] || { show "$T/out"; false; }
}

@test "--ns: a PID counts in the PID namespace given (PID 1 of an inner one)" {
	fixture_nested_pidns
	focus lspidns -n "pid:[$PID_MID]" -p 1
	[ "$(node_count "$T/out")" -eq 2 ] || { show "$T/out"; false; }
	node_line "$T/out" "pid:[$PID_MID]" >/dev/null
	focus lspidns --ns "$PID_INNER" -p 1
	node_line "$T/out" "pid:[$PID_INNER]" >/dev/null
	# 2 in the middle one is the unshare that made the inner one
	focus nsdiscover --ns "pid:[$PID_MID]" -p 2 -t pid
	expect_eq "roots" "$(roots "$T/out")" \
		"$(roots "$T/out" | grep -F "pid:[$PID_MID] ")"
	[ "$(roots "$T/out" | wc -l)" -eq 1 ]
	focus lsuserns -n "$PID_INNER" -p 1
	expect_prefix "the leaf's user namespace" \
		"$(tree_parent "$T/out" "user:[$NEST_USER]")" "user:[$INIT_USERNS]"
}

@test "nsdiscover -p: exactly the namespaces of the process, -t narrowing" {
	local type want
	fixture_nested_pidns
	focus nsdiscover -p "$NEST_LEAF"
	want=$(for type in cgroup ipc mnt net pid time user uts; do
		echo "$type:[$(ns_ino "$NEST_LEAF" "$type")]"
	done)
	expect_eq "roots" "$(roots "$T/out" | sed 's/ .*//')" "$want"
	# no namespace below another, no process lines
	[ "$(node_count "$T/out")" -eq 8 ] || { show "$T/out"; false; }
	focus nsdiscover -p "$NEST_LEAF" -t pid,user
	expect_eq "roots" "$(roots "$T/out" | sed 's/ .*//')" \
		"$(printf 'pid:[%s]\nuser:[%s]' "$PID_INNER" "$NEST_USER")"
}

@test "nsdiscover NS: every process in it, each below its nearest ancestor in it" {
	local init unshare leaf starter
	fixture_nested_pidns
	init="\"nst-init\" ($(nspid "$NEST_INIT"))"
	unshare="\"unshare\" ($(nspid "$NEST_UNSHARE"))"
	leaf="\"sleep\" ($(nspid "$NEST_LEAF"))"
	focus nsdiscover "pid:[$PID_MID]"
	[ "$(node_count "$T/out")" -eq 3 ] || { show "$T/out"; false; }
	expect_prefix "top" "$(tree_parent "$T/out" "$init")" "pid:[$PID_MID] "
	expect_prefix "below the init" "$(tree_parent "$T/out" "$unshare")" "$init"
	grep -qF "pid:[$PID_MID] child of pid:[$INIT_PIDNS]" "$T/out"
	grep -qF "pid:[$PID_MID] owned by user:[$NEST_USER]" "$T/out"
	# the user namespace holds all four, across the PID namespaces
	starter="\"unshare\" ($(nspid "$NEST_STARTED"))"
	focus nsdiscover "$NEST_USER"
	[ "$(node_count "$T/out")" -eq 5 ] || { show "$T/out"; false; }
	expect_prefix "below the starter" "$(tree_parent "$T/out" "$init")" "$starter"
	expect_prefix "below unshare" "$(tree_parent "$T/out" "$leaf")" "$unshare"
	# -p with arguments: those the process is in
	focus nsdiscover -p "$NEST_INIT" "pid:[$PID_MID]" "pid:[$PID_INNER]"
	roots "$T/out" | grep -qF "pid:[$PID_MID] "
	! roots "$T/out" | grep -qF "pid:[$PID_INNER] "
}

# --- a hidden user namespace, an fd, a thread --------------------------------

@test "a hidden user namespace: on the chain of lsuserns -p, and by itself" {
	fixture_hidden_userns
	focus lsuserns -p "$USER_CHILD_PID"
	[ "$(node_count "$T/out")" -eq 3 ] || { show "$T/out"; false; }
	expect_prefix "the child's parent" \
		"$(tree_parent "$T/out" "user:[$USER_CHILD]")" \
		"user:[$USER_HIDDEN] hidden"
	focus nsdiscover "user:[$USER_HIDDEN]"
	[ "$(node_count "$T/out")" -eq 1 ] || { show "$T/out"; false; }
	expect_prefix "root" "$(roots "$T/out" | none_counted)" "user:[$USER_HIDDEN] hidden, 0 processes"
	grep -qF "user:[$USER_HIDDEN] parent of user:[$USER_CHILD]" "$T/out"
	grep -qF "user:[$USER_HIDDEN] child of user:[$INIT_USERNS]" "$T/out"
}

@test "a namespace held only by an fd: shown with its holder, not as the holder's" {
	fixture_fd
	focus nsdiscover "net:[$NET_FD]"
	[ "$(node_count "$T/out")" -eq 1 ] || { show "$T/out"; false; }
	grep -qF "net:[$NET_FD] held by fd 7 of \"sleep\" ($FD_HOLDER)" "$T/out"
	focus nsdiscover -p "$FD_HOLDER" -t net
	! grep -qF "net:[$NET_FD]" "$T/out"
	focus lsuserns -d -p "$FD_HOLDER"
	! grep -qF "net:[$NET_FD]" "$T/out"
	# with the process as well: not one of its namespaces
	focus nsdiscover -p "$FD_HOLDER" "$NET_FD"
	[ ! -s "$T/out" ]
}

@test "a namespace only a thread is in: its task line; a process's threads below it" {
	local pid tid netns pidns thread
	start unshare --pid --fork "$NSTOOLS_HELPERS/loosethread" "$FIX/tid"
	wait_file "$FIX/tid"
	pid=$(only_child "$STARTED")
	# the helper wrote its TID in its own PID namespace
	tid=$(ls "/proc/$pid/task" | grep -vx "$pid")
	netns=$(stat -L -c %i "/proc/$pid/task/$tid/ns/net")
	pidns=$(ns_ino "$pid" pid)
	thread="task \"loosethread\" [$tid] of \"loosethread\" ($pid)"
	focus nsdiscover "net:[$netns]"
	[ "$(node_count "$T/out")" -eq 1 ] || { show "$T/out"; false; }
	grep -qF "net:[$netns] entered by $thread" "$T/out"
	# the PID namespace holds the process and both its threads
	focus nsdiscover "pid:[$pidns]"
	expect_prefix "the thread's node" \
		"$(prop_owners "$T/out" "$thread")" \
		"\"loosethread\" ($(nspid "$pid"))"
	# -p: the process's own namespaces, not its thread's
	focus nsdiscover -p "$pid" -t net
	! grep -qF "net:[$netns]" "$T/out"
}

@test "nsdiscover NS: a network namespace's nsid as ip netns list-id says, else unassigned" {
	local set unset id
	netns_pair
	set=$NETNS_SET unset=$NETNS_UNSET id=$NETNS_ID
	[ "$(listed_nsid "$NETNS_SET_NAME")" = "$id" ]
	[ -z "$(listed_nsid "$NETNS_UNSET_NAME")" ]
	focus nsdiscover "net:[$set]" "$unset"
	[ "$(node_count "$T/out")" -eq 2 ] || { show "$T/out"; false; }
	grep -qE "o- net:\[$set\] netnsid $id\$" "$T/out" || { show "$T/out"; false; }
	grep -qE "o- net:\[$unset\] netnsid unassigned\$" "$T/out"
	[ "$(grep -c ' netnsid ' "$T/out")" -eq 2 ]
	# only the detail view shows it
	focus nsdiscover -t net
	! grep -qF ' netnsid ' "$T/out"
}

# --- errors ------------------------------------------------------------------

@test "what names nothing: exit 1 and one line naming it" {
	local name
	for name in lsuserns lspidns nsdiscover; do
		fails_with 1 "$name: no process 2147483647" "$name" -p 2147483647
		fails_with 1 "$name: no process 2147483647 in pid:[$INIT_PIDNS]" \
			"$name" --ns "pid:[$INIT_PIDNS]" -p 2147483647
		fails_with 1 "$name: unknown PID namespace pid:[1]" \
			"$name" --ns 'pid:[1]' -p 1
		fails_with 1 "$name: unknown PID namespace id:20481" \
			"$name" --ns 'id:20481' -p 1 --load "$FIXTURE_DUMP"
		fails_with 1 "$name: the namespaces of process 250 could not be read" \
			"$name" -p 250 --load "$FIXTURE_DUMP"
	done
	fails_with 1 "nsdiscover: unknown namespace net:[1]" nsdiscover 'net:[1]'
	fails_with 1 "nsdiscover: unknown namespace id:18446744073709551615" \
		nsdiscover "pid:[$INIT_PIDNS]" 'id:18446744073709551615'
	# of another type than the one named
	fails_with 1 "nsdiscover: unknown namespace net:[$INIT_PIDNS]" \
		nsdiscover "net:[$INIT_PIDNS]"
	fails_with 1 "nsdiscover: unknown namespace net:[1]" \
		nsdiscover -p 1 4026532202 'net:[1]' --load "$FIXTURE_DUMP"
}

# alone STATUS MESSAGE TOOL ARGS...: TOOL ARGS, run as nobody (the copy in
# $UNPRIV_DIR), exits STATUS with MESSAGE the only line on stderr: not
# after the warning that a discovery as nobody always has.
alone() {
	local status=$1 message=$2 name=$3 st=0
	shift 3
	as_nobody "$UNPRIV_DIR/$name" "$@" >"$T/out" 2>"$T/err" || st=$?
	[ "$st" -eq "$status" ] ||
		{ echo "$name $*: exit $st, expected $status" >&2; show "$T/err"; return 1; }
	[ ! -s "$T/out" ] || { show "$T/out"; return 1; }
	printf '%s\n' "$message" | diff - "$T/err"
}

@test "errors first: a PID /proc does not have is refused before a discovery; what only a discovery tells comes alone" {
	local name
	unprivileged_copy
	install -m 0644 "$FIXTURE_DUMP" "$UNPRIV_DIR/dump.json"
	for name in "${TOOLS[@]}"; do
		alone 1 "$name: no process 2147483647" "$name" -p 2147483647
		# told before a discovery: /proc is never listed
		strace -f -qq -e trace=openat -o "$T/strace" \
			"$NSTOOLS_BIN/$name" -p 2147483647 2>/dev/null || true
		run grep -c '"/proc", .*O_DIRECTORY' "$T/strace"
		assert_output 0
		grep -q '"/proc/2147483647/status"' "$T/strace"
		# a PID of another PID namespace: only the discovery can tell
		alone 1 "$name: no process 2147483647 in pid:[$INIT_PIDNS]" \
			"$name" --ns "pid:[$INIT_PIDNS]" -p 2147483647
		# a dump has no /proc: its own warning is not said either
		alone 1 "$name: no process 2147483647" \
			"$name" -p 2147483647 --load "$UNPRIV_DIR/dump.json"
		alone 1 "$name: unknown PID namespace pid:[1]" \
			"$name" --ns 'pid:[1]' -p 1
	done
	alone 1 "nsdiscover: unknown namespace net:[1]" nsdiscover 'net:[1]'
	alone 1 "nsdiscover: unknown namespace net:[1]" nsdiscover -l 'net:[1]'
	alone 1 "nsdiscover: no process 2147483647" nsdiscover -l -p 2147483647
}

@test "-p TID: a thread is shown as its process, and said to be one, in every tool" {
	local name
	fixture_thread_fd
	for name in "${TOOLS[@]}"; do
		tool "$name" -p "$TFD_TID" --treestyle=ascii >"$T/out" 2>"$T/err" ||
			{ show "$T/err"; false; }
		grep -qxF "$name: warning: $TFD_TID is a thread of process $TFD_HOLDER (\"threadfd\"): showing that process" "$T/err" ||
			{ show "$T/err"; false; }
		tool "$name" -p "$TFD_HOLDER" --treestyle=ascii >"$T/want" 2>/dev/null
		# the counts of nsdiscover's namespaces follow the machine
		if [ "$name" = nsdiscover ]; then
			diff <(roots "$T/want" | cut -d' ' -f1) <(roots "$T/out" | cut -d' ' -f1)
		else
			diff "$T/want" "$T/out"
		fi
	done
	# from a dump that holds the thread
	tool nsdiscover --json >"$T/dump.json"
	tool pidtree -p "$TFD_TID" --load "$T/dump.json" >"$T/out" 2>"$T/err"
	grep -qxF "pidtree: warning: $TFD_TID is a thread of process $TFD_HOLDER (\"threadfd\"): showing that process" "$T/err"
	for name in "${TOOLS[@]}"; do
		tool "$name" -p 102 --load "$FIXTURE_DUMP" >"$T/out" 2>"$T/err"
		grep -qxF "$name: warning: 102 is a thread of process 100 (\"bash\"): showing that process" "$T/err" ||
			{ show "$T/err"; false; }
		tool "$name" -p 100 --load "$FIXTURE_DUMP" >"$T/want" 2>/dev/null
		diff "$T/want" "$T/out"
	done
	# a TID counts as /proc shows it: not in another PID namespace
	fails_with 1 "pidtree: no process 102 in pid:[4026531836]" \
		pidtree -n 'pid:[4026531836]' -p 102 --load "$FIXTURE_DUMP"
}

@test "container:NAME: unknown, ambiguous and malformed, in every tool" {
	local name
	# a second container whose ID starts as nsdemo's, and a third named so
	jq '.processes["250"].container.id = "95a7ffff"
		| .processes["150"].container.name = "nsdemo"' \
		"$FIXTURE_DUMP" >"$T/two.json"
	for name in "${TOOLS[@]}"; do
		fails_with 1 "$name: no container 'web'" \
			"$name" -p container:web --load "$FIXTURE_DUMP"
		fails_with 1 "$name: no container 'x\\x1b[2J'" \
			"$name" -p "container:x\\x1b[2J" --load "$FIXTURE_DUMP"
		fails_with 1 "$name: container '95a7' is ambiguous: 2 containers match" \
			"$name" -p container:95a7 --load "$T/two.json"
		fails_with 1 "$name: container 'nsdemo' is ambiguous: 2 containers match" \
			"$name" -p container:nsdemo --load "$T/two.json"
		fails_with 2 "$name: invalid container 'container:' (container:NAME or container:ID-PREFIX)" \
			"$name" -p container:
		fails_with 2 "$name: invalid container 'container:a\x1b[2J' (container:NAME or container:ID-PREFIX)" \
			"$name" -p "container:a"$'\e'"[2J"
	done
	for name in lsuserns lspidns nsdiscover; do
		fails_with 2 "$name: --ns counts a PID, not a container" \
			"$name" --ns 1 -p container:nsdemo
		fails_with 2 "$name: invalid PID 'container:nsdemo'" \
			"$name" --task container:nsdemo
		# an init whose namespaces could not be read
		fails_with 1 "$name: the namespaces of process 250 could not be read" \
			"$name" -p container:app --load "$FIXTURE_DUMP"
	done
	fails_with 1 "nsdiscover: no container 'web'" \
		nsdiscover 4026532202 container:web --load "$FIXTURE_DUMP"
	fails_with 2 "nsdiscover: invalid container 'container:' (container:NAME or container:ID-PREFIX)" \
		nsdiscover container:
}

@test "container:NAME: by name or ID prefix, the oldest process whose parent is not in it" {
	local name
	for name in lspidns lsuserns nsdiscover; do
		focus "$name" -p container:nsdemo --load "$FIXTURE_DUMP"
		cp "$T/out" "$T/by-name"
		focus "$name" -p 300 --load "$FIXTURE_DUMP"
		diff -u "$T/out" "$T/by-name"
		focus "$name" -p container:95a74531ef0de275 --load "$FIXTURE_DUMP"
		diff -u "$T/out" "$T/by-name"
	done
	# as an argument: every namespace of the init, as with -p
	focus nsdiscover container:nsdemo --load "$FIXTURE_DUMP"
	expect_eq "roots" "$(roots "$T/out" | cut -d' ' -f1 | sort | tr '\n' ' ')" \
		"cgroup:[4026531835] ipc:[4026531839] mnt:[4026532301] net:[4026532400] pid:[4026532202] time:[4026531834] user:[4026532101] uts:[4026531838] "
	# 150 joins nsdemo, its parent outside it and older than 300: the init
	jq '.processes["150"].container = .processes["300"].container' \
		"$FIXTURE_DUMP" >"$T/older.json"
	focus pidtree -p container:nsdemo --load "$T/older.json"
	tail -n 1 "$T/out" | grep -q '"a\\") (b\\n\\x1b\[31mX" (150) .* in container "nsdemo"' ||
		{ show "$T/out"; false; }
	# the container's other processes do not say it again
	focus pidtree --load "$T/older.json"
	expect_eq "lines naming nsdemo" "$(grep -c 'container "nsdemo"' "$T/out")" 2
}

@test "a process whose namespaces could not be read: what is known, and a warning" {
	local name
	# one level of NSpid: it sits in the PID namespace of /proc all the same
	jq '.processes["250"].nspid = [250]' "$FIXTURE_DUMP" >"$T/known.json"
	for name in lsuserns lspidns nsdiscover; do
		tool "$name" -p 250 --load "$T/known.json" >"$T/out" 2>"$T/err"
		grep -qx "$name: warning: the namespaces of process 250 could not be read: showing only those known" "$T/err"
	done
	tool lspidns -p 250 --load "$T/known.json" >"$T/out" 2>/dev/null
	expect_eq "lspidns" "$(cut -d' ' -f1 "$T/out")" "pid:[4026531836]"
	tool nsdiscover -p 250 --load "$T/known.json" >"$T/out" 2>/dev/null
	expect_eq "nsdiscover" "$(roots "$T/out" | cut -d' ' -f1)" "pid:[4026531836]"
}

@test "misuse: exit 2 and one line naming it" {
	local name ns
	for name in lsuserns lspidns nsdiscover; do
		fails_with 2 "$name: -p given twice" "$name" -p 1 --task 2
		fails_with 2 "$name: invalid PID 'x'" "$name" -p x
		fails_with 2 "$name: invalid PID '0'" "$name" --pid=0
		fails_with 2 "$name: --ns needs --pid" "$name" --ns 1
		fails_with 2 "$name: --ns given twice" "$name" --ns 1 --ns 2 -p 1
		fails_with 2 "$name: invalid PID namespace 'pid:[' (pid:[INODE], INODE or id:ID)" \
			"$name" --ns 'pid:[' -p 1
		fails_with 2 "$name: 'net:[1]' is not a PID namespace" \
			"$name" --ns 'net:[1]' -p 1
	done
	for ns in 'pid:[' 0 net:1 'id:x' 'net:[1' 'Net:[1]'; do
		fails_with 2 "nsdiscover: invalid namespace '$ns' (type:[INODE], INODE or id:ID)" \
			nsdiscover "pid:[$INIT_PIDNS]" "$ns"
	done
	fails_with 2 "nsdiscover: --json dumps the whole model: no -p, no namespace arguments" \
		nsdiscover --json "$INIT_PIDNS"
	fails_with 2 "lspidns: unexpected argument '1'" lspidns 1
}

# --- --load ------------------------------------------------------------------

@test "--load: -p and namespace arguments render a dump as they show live" {
	fixture_nested_pidns
	fixture_hidden_userns
	fixture_fd
	host_load_matches lspidns -u -p "$NEST_LEAF"
	host_load_matches lsuserns -d -p "$NEST_LEAF"
	host_load_matches lsuserns -n "pid:[$PID_INNER]" -p 1
	host_load_matches nsdiscover -p "$NEST_LEAF" -t pid,user,mnt
	host_load_matches nsdiscover "pid:[$PID_MID]" "$NEST_USER" \
		"user:[$USER_HIDDEN]" "net:[$NET_FD]"
	host_load_matches nsdiscover --ns "$PID_INNER" -p 1 "$NEST_USER"
}
