#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Right wherever the tools run: in a child PID namespace that has its
# parent's /proc, inside a user namespace as an ordinary user, with /proc
# mounted hidepid=invisible, and without /proc. Every case for all four
# tools. Only what the test builds is looked at. Containers, which are
# slow, are in containers.bats.

bats_require_minimum_version 1.5.0

load common
load sources
load views

setup() {
	views_setup
}

teardown() {
	views_teardown
}

# without_leak_check CMD...: CMD without LeakSanitizer (the rest of ASan
# and UBSan stays on), for a tool whose /proc is not that of its PID
# namespace, or is missing: LeakSanitizer reads /proc/PID/task by the PID
# the process has in its own namespace, and fails, or reads another's.
without_leak_check() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$@"
}

# --- a child PID namespace with its parent's /proc ---------------------------

# fixture_child_with_grandchild: fixture_child_pidns (CHILD_PIDNS, its init
# CHILD_PID, "sleep", 1 in it; /proc stays ours), and in it a PID namespace
# GC_PIDNS whose init GC_PID ("sleep") was started by "unshare".
fixture_child_with_grandchild() {
	local started
	fixture_child_pidns
	start nsenter -t "$CHILD_PID" -p -- unshare --pid --fork \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/grandchild"
	started=$STARTED
	wait_file "$FIX/grandchild"
	GC_PID=$(cat "$FIX/grandchild")
	stop_later "$GC_PID" "$started"
	wait_for has_comm "$GC_PID" sleep
	GC_PIDNS=$(ns_ino "$GC_PID" pid)
}

# in_child CMD...: runs CMD in the child PID namespace, with our /proc.
in_child() {
	without_leak_check nsenter -t "$CHILD_PID" -p -- "$@"
}

# child_tool NAME ARGS...: the tool NAME run in the child PID namespace, its
# output (ascii, no colour) in $T/NAME, its stderr in $T/NAME.err; fails
# unless it exits 0 with at most its one warning.
child_tool() {
	local name=$1
	shift
	in_child "$NSTOOLS_BIN/$name" --treestyle=ascii --color=never "$@" \
		>"$T/$name" 2>"$T/$name.err" || { show "$T/$name.err"; return 1; }
	only_warning "$name" "$T/$name.err"
}

ROOT_OWNED=', owned by UID 0 ("root")'

@test "child PID namespace, parent's /proc: pidtree starts from its own namespace" {
	fixture_child_with_grandchild
	child_tool pidtree
	# one tree, from the tool's own PID namespace; the host's nowhere
	expect_eq "first line" "$(head -1 "$T/pidtree")" "pid:[$CHILD_PIDNS]$ROOT_OWNED"
	[ "$(roots "$T/pidtree" | wc -l)" -eq 1 ] || { show "$T/pidtree"; false; }
	! grep -q "pid:\[$INIT_PIDNS\]" "$T/pidtree" || { show "$T/pidtree"; false; }
	# PIDs as seen from there: its init is 1, at the top
	expect_eq "above the init" "$(tree_parent "$T/pidtree" '"sleep" (1)')" \
		"pid:[$CHILD_PIDNS]$ROOT_OWNED"
	# the grandchild: its PIDs from the child down, below its namespace
	gc_pids=$(nspid "$GC_PID")
	gc_pids=${gc_pids#*/}
	[[ "$gc_pids" =~ ^[0-9]+/1$ ]]
	expect_eq "above the grandchild's init" \
		"$(tree_parent "$T/pidtree" "\"sleep\" ($gc_pids)")" \
		"pid:[$GC_PIDNS]$ROOT_OWNED"
	expect_prefix "above the grandchild's namespace" \
		"$(tree_parent "$T/pidtree" "pid:[$GC_PIDNS]")" '"unshare" ('
	# only the processes of the child namespace and below: its init, the
	# grandchild's unshare and init, and pidtree itself
	run -0 grep -c '^"' <(texts "$T/pidtree")
	[ "$output" -eq 4 ] || { show "$T/pidtree"; false; }
}

@test "child PID namespace, parent's /proc: pidtree -p and -n count PIDs from there" {
	fixture_child_with_grandchild
	child_tool pidtree -p 1
	is_branch=$(texts "$T/pidtree" | cut -d' ' -f1-2)
	expect_eq "branch of 1" "$is_branch" "pid:[$CHILD_PIDNS], owned
\"sleep\" (1)"
	# the grandchild by its PID in our (the host's) namespace
	gc_pids=$(nspid "$GC_PID")
	child_tool pidtree -n "pid:[$INIT_PIDNS]" -p "$GC_PID"
	grep -q "\"sleep\" (${gc_pids#*/})" "$T/pidtree" || { show "$T/pidtree"; false; }
	# a process outside the child namespace is not there
	run -1 in_child "$NSTOOLS_BIN/pidtree" -n "pid:[$INIT_PIDNS]" -p $$
	assert_output --partial "pidtree: no process $$ in pid:[$INIT_PIDNS]"
}

@test "child PID namespace, parent's /proc: lspidns nests it under its parent" {
	fixture_child_with_grandchild
	for args in "" "-u"; do
		child_tool lspidns $args
		! roots "$T/lspidns" | grep -q "^pid:\[$CHILD_PIDNS\]" ||
			{ show "$T/lspidns"; false; }
		expect_prefix "lspidns $args: above the child" \
			"$(tree_parent "$T/lspidns" "pid:[$CHILD_PIDNS]")" \
			"pid:[$INIT_PIDNS] "
		expect_prefix "lspidns $args: above the grandchild" \
			"$(tree_parent "$T/lspidns" "pid:[$GC_PIDNS]")" \
			"pid:[$CHILD_PIDNS] "
	done
}

@test "child PID namespace, parent's /proc: nsdiscover and lsuserns show it as from here" {
	fixture_child_with_grandchild
	child_tool nsdiscover -t pid
	expect_prefix "nsdiscover: above the child" \
		"$(tree_parent "$T/nsdiscover" "pid:[$CHILD_PIDNS]")" \
		"pid:[$INIT_PIDNS] "
	child_tool lsuserns -d
	roots "$T/lsuserns" | grep -q "^user:\[$INIT_USERNS\]" ||
		{ show "$T/lsuserns"; false; }
	# their owners are known from here
	for ns in "$CHILD_PIDNS" "$GC_PIDNS"; do
		expect_prefix "owner of pid:[$ns]" \
			"$(prop_owners "$T/lsuserns" "pid:[$ns] ")" "user:[$INIT_USERNS] " ||
			{ show "$T/lsuserns"; false; }
	done
}

@test "child PID namespace, parent's /proc: a dump made there renders the same" {
	fixture_child_with_grandchild
	in_child "$NSDISCOVER" --json >"$T/dump.json" 2>"$T/dump.err"
	child_tool pidtree
	tool pidtree --treestyle=ascii --color=never --load "$T/dump.json" \
		>"$T/loaded" 2>"$T/loaded.err"
	# the same but for the tools' own lines
	cmp <(grep -v '"pidtree" (' "$T/pidtree") \
	    <(grep -v '"nsdiscover" (' "$T/loaded") ||
		{ show "$T/pidtree"; show "$T/loaded"; false; }
	tool lspidns --treestyle=ascii --load "$T/dump.json" >"$T/lspidns" 2>/dev/null
	expect_prefix "loaded lspidns: above the child" \
		"$(tree_parent "$T/lspidns" "pid:[$CHILD_PIDNS]")" "pid:[$INIT_PIDNS] "
}

# --- inside a user namespace, as an ordinary user --------------------------

# in_userns NAME ARGS...: the tool NAME run as nobody inside a user
# namespace of its own (root there), its output in $T/NAME, its stderr in
# $T/NAME.err; fails unless it exits 0 with at most its one warning.
in_userns() {
	local name=$1
	shift
	[ -n "$UNPRIV_DIR" ] || unprivileged_copy
	as_nobody unshare --user --map-root-user "$UNPRIV_DIR/$name" \
		--treestyle=ascii --color=never "$@" \
		>"$T/$name" 2>"$T/$name.err" || { show "$T/$name.err"; return 1; }
	only_warning "$name" "$T/$name.err"
}

# unknown_owner_lines FILE: the property lines under the node "owner
# unknown, ..." of lsuserns output FILE.
unknown_owner_lines() {
	awk "$TREE_AWK"'{ split_line($0) }
		!PROP { under = (TEXT ~ /^owner unknown, /); next }
		under { print TEXT }' "$1"
}

@test "user namespace: lsuserns lists what it cannot place under 'owner unknown'" {
	host_net=$(ns_ino $$ net)
	in_userns lsuserns -d
	# its own user namespace is a root (the tool is all that is in it);
	# the host's owns what it cannot see
	roots "$T/lsuserns" | grep -q '^user:\[[0-9]*\] process "lsuserns" (' ||
		{ show "$T/lsuserns"; false; }
	node=$(roots "$T/lsuserns" | grep '^owner unknown, ') || { show "$T/lsuserns"; false; }
	unknown_owner_lines "$T/lsuserns" >"$T/unknown"
	grep -q "^net:\[$host_net\] " "$T/unknown" || { show "$T/lsuserns"; false; }
	grep -q "^pid:\[$INIT_PIDNS\] " "$T/unknown" || { show "$T/lsuserns"; false; }
	grep -q "^mnt:\[$OWN_MNTNS\] " "$T/unknown" || { show "$T/lsuserns"; false; }
	n=$(wc -l <"$T/unknown")
	expect_eq "the node" "$node" "owner unknown, $n namespaces"
	# plain: the node with its count (namespaces bind-mounted here by
	# whatever else runs on the machine may add to it, and come and go)
	in_userns lsuserns
	roots "$T/lsuserns" | grep -qE '^owner unknown, [0-9]+ namespaces?$' ||
		{ show "$T/lsuserns"; false; }
	! grep -q '^ *o- ' "$T/lsuserns"
	# -t: only those types, counted
	in_userns lsuserns -t net
	node=$(roots "$T/lsuserns" | grep '^owner unknown, ')
	unknown_owner_lines "$T/lsuserns" >"$T/unknown"
	n=$(wc -l <"$T/unknown")
	[ "$n" -eq 1 ] && expect_eq "-t net" "$node" "owner unknown, 1 namespace" ||
		expect_eq "-t net" "$node" "owner unknown, $n namespaces"
	grep -q "^net:\[$host_net\] " "$T/unknown" || { show "$T/lsuserns"; false; }
	! grep -v '^net:' "$T/unknown" || { show "$T/lsuserns"; false; }
}

@test "user namespace: lspidns, pidtree and nsdiscover show what they can" {
	host_net=$(ns_ino $$ net)
	in_userns lspidns
	roots "$T/lspidns" | grep -q "^pid:\[$INIT_PIDNS\] " || { show "$T/lspidns"; false; }
	in_userns lspidns -u
	roots "$T/lspidns" | grep -q "^pid:\[$INIT_PIDNS\] " || { show "$T/lspidns"; false; }
	in_userns pidtree
	# its PID namespace, whose owner it cannot learn
	expect_eq "first line" "$(head -1 "$T/pidtree")" "pid:[$INIT_PIDNS]"
	grep -q '"pidtree" (' "$T/pidtree" || { show "$T/pidtree"; false; }
	in_userns nsdiscover
	grep -q "o- net:\[$host_net\] owner unknown$" "$T/nsdiscover" ||
		{ show "$T/nsdiscover"; false; }
	# and a dump made there says the same
	in_userns nsdiscover --json
	tool lsuserns -d --treestyle=ascii --load "$T/nsdiscover" >"$T/loaded" 2>/dev/null
	unknown_owner_lines "$T/loaded" | grep -q "^net:\[$host_net\] " ||
		{ show "$T/loaded"; false; }
}

# --- /proc hidden or missing -----------------------------------------------

# as_nobody and as_nobody_ptrace, as commands that with_proc can run
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
NOBODY_PTRACE=(setpriv --reuid=65534 --regid=65534 --clear-groups
	--inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace)

# with_proc OPTIONS CMD...: runs CMD in a mount namespace of its own where
# /proc is a new procfs mounted with OPTIONS ("hidepid=invisible"), or,
# for OPTIONS "none", an empty tmpfs.
with_proc() {
	local opts=$1
	shift
	if [ "$opts" = none ]; then
		unshare --mount --propagation private sh -c \
			'mount -t tmpfs nst-noproc /proc && exec "$@"' sh "$@"
	else
		unshare --mount --propagation private sh -c \
			'mount -t proc -o "$0" proc /proc && exec "$@"' "$opts" "$@"
	fi
}

@test "hidepid=invisible: every tool warns and shows the user's own, exit 0" {
	unprivileged_copy
	for t in "${TOOLS[@]}"; do
		run --separate-stderr with_proc hidepid=invisible "${NOBODY[@]}" \
			"$UNPRIV_DIR/$t" --treestyle=ascii --color=never
		[ "$status" -eq 0 ] || { echo "$t: status $status: $stderr" >&2; false; }
		# (nobody's processes elsewhere on the machine may be listed, and
		# some of them not be readable: either sentence)
		[[ "$stderr" == "$t: warning: without CAP_SYS_PTRACE, "*"; run as root, or as USER with only CAP_SYS_PTRACE, from a root shell: capsh "* ]] ||
			{ echo "$t: $stderr" >&2; false; }
		[ "$(wc -l <<<"$stderr")" -eq 1 ]
		# its own namespaces, through its own process
		own="pid:\[$INIT_PIDNS\]"
		[ "$t" != lsuserns ] || own="user:\[$INIT_USERNS\]"
		grep -q "$own" <<<"$output" || { echo "$t: $output" >&2; false; }
	done
	# root's processes are not listed, even as unreadable
	run -0 with_proc hidepid=invisible "${NOBODY[@]}" "$UNPRIV_DIR/pidtree" --color=never
	! grep -q "($$)" <<<"$output"
	# CAP_SYS_PTRACE shows them again
	run -0 with_proc hidepid=invisible "${NOBODY_PTRACE[@]}" "$UNPRIV_DIR/pidtree" --color=never
	grep -q "($$)" <<<"$output"
}

@test "no /proc: every tool says so and exits 1" {
	for t in "${TOOLS[@]}"; do
		run --separate-stderr without_leak_check with_proc none "$NSTOOLS_BIN/$t"
		[ "$status" -eq 1 ] || { echo "$t: status $status" >&2; false; }
		[ -z "$output" ]
		# (the instrumented build adds notes of its own, "==PID==...")
		expect_eq "$t" "$(grep -v '^==\|^False positive\|^For details' <<<"$stderr")" \
			"$t: /proc does not show this process: mount a procfs of this PID namespace"
	done
	# nor with --json
	run --separate-stderr without_leak_check with_proc none "$NSDISCOVER" --json
	[ "$status" -eq 1 ] && [ -z "$output" ]
}
