#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The four views run live against namespaces built by the test (nested PID
# namespaces, hidden and child user namespaces, bind mounts), unprivileged,
# into broken outputs and terminals, and from dumps, good and bad. Only the
# namespaces and processes made here are looked at: the machine may run
# anything else meanwhile (and its PID 1 may not be readable even by root).

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

# --- pidtree ----------------------------------------------------------------

@test "pidtree: nested PID namespaces show the PID chain and their nodes" {
	fixture_nested_pidns
	tool pidtree --treestyle=ascii >"$T/out" 2>"$T/err"
	only_warning pidtree "$T/err"
	# the innermost process: its NSpid, from here down to its own
	leaf_pids=$(nspid "$NEST_LEAF")
	[[ "$leaf_pids" =~ ^$NEST_LEAF/3/1$ ]]
	line=$(node_line "$T/out" "\"sleep\" ($leaf_pids)") || { show "$T/out"; false; }
	[[ "$line" == "\"sleep\" ($leaf_pids)" || "$line" == "\"sleep\" ($leaf_pids) "* ]]
	# each level under the right parent
	expect_eq "parent of sleep" "$(tree_parent "$T/out" "\"sleep\" ($leaf_pids)")" \
		"pid:[$PID_INNER], owned by UID 0 (\"root\")"
	expect_prefix "parent of pid:[$PID_INNER]" \
		"$(tree_parent "$T/out" "pid:[$PID_INNER],")" \
		"\"unshare\" ($(nspid "$NEST_UNSHARE"))"
	[ "$(nspid "$NEST_UNSHARE")" = "$NEST_UNSHARE/2" ]
	expect_prefix "parent of the inner unshare" \
		"$(tree_parent "$T/out" "\"unshare\" ($NEST_UNSHARE/2)")" \
		"\"nst-init\" ($NEST_INIT/1)"
	expect_eq "parent of nst-init" \
		"$(tree_parent "$T/out" "\"nst-init\" ($NEST_INIT/1)")" \
		"pid:[$PID_MID], owned by UID 0 (\"root\")"
	expect_prefix "parent of pid:[$PID_MID]" \
		"$(tree_parent "$T/out" "pid:[$PID_MID],")" \
		"\"unshare\" ($NEST_STARTED)"
	# the top is our PID namespace
	expect_prefix "first line" "$(head -1 "$T/out")" "pid:[$INIT_PIDNS], owned by UID "
	# each namespace once
	[ "$(texts "$T/out" | grep -c "^pid:\[$PID_MID\]")" -eq 1 ]
	[ "$(texts "$T/out" | grep -c "^pid:\[$PID_INNER\]")" -eq 1 ]
}

# ancestry FILE PREFIX: the texts of the nodes from the top of FILE down to
# the first node whose text starts with PREFIX.
ancestry() {
	awk -v pat="$2" "$TREE_AWK"'
		{ split_line($0) }
		PROP { next }
		{ node[D] = TEXT }
		index(TEXT, pat) == 1 {
			for (i = 0; i <= D; i++) print node[i]; found = 1; exit }
		END { exit !found }' "$1"
}

# is_chain FILE: every line of the ascii tree FILE is one level below the
# line before it (a single branch).
is_chain() {
	awk "$TREE_AWK"'{ split_line($0); if (PROP || D != NR - 1) bad = 1 }
		END { exit bad || NR == 0 }' "$1" || { show "$1"; false; }
}

@test "pidtree -p: only the branch from the top down to the process" {
	fixture_nested_pidns
	leaf_pids=$(nspid "$NEST_LEAF")
	tool pidtree --treestyle=ascii -p "$NEST_LEAF" >"$T/branch" 2>"$T/err"
	only_warning pidtree "$T/err"
	is_chain "$T/branch"
	run grep -F '"kthreadd"' "$T/branch"
	assert_failure 1
	expect_prefix "last line" "$(texts "$T/branch" | tail -1)" "\"sleep\" ($leaf_pids)"
	# the same ancestors as in the whole tree
	tool pidtree --treestyle=ascii >"$T/all" 2>/dev/null
	ancestry "$T/all" "\"sleep\" ($leaf_pids)" >"$T/ancestry"
	texts "$T/branch" >"$T/branch.texts"
	diff "$T/ancestry" "$T/branch.texts"
	grep -qx "pid:\[$PID_MID\], owned by UID 0 (\"root\")" "$T/branch.texts"
	grep -qx "pid:\[$PID_INNER\], owned by UID 0 (\"root\")" "$T/branch.texts"
	grep -q "^\"unshare\" ($NEST_STARTED)" "$T/branch.texts"
}

@test "pidtree -n: the PID counts in the given namespace" {
	fixture_nested_pidns
	tool pidtree -p "$NEST_LEAF" >"$T/host" 2>/dev/null
	run --separate-stderr tool pidtree -n "pid:[$PID_INNER]" -p 1
	assert_success
	[ "$output" = "$(cat "$T/host")" ]
	# the bare inode
	run --separate-stderr tool pidtree -n "$PID_INNER" -p 1
	assert_success
	[ "$output" = "$(cat "$T/host")" ]
	# counted in the middle namespace, and long options
	run --separate-stderr tool pidtree --ns="pid:[$PID_MID]" --pid=3
	assert_success
	[ "$output" = "$(cat "$T/host")" ]
	# the init of the middle namespace
	run --separate-stderr tool pidtree --treestyle=ascii -n "$PID_MID" -p 1
	assert_success
	echo "$output" >"$T/mid"
	is_chain "$T/mid"
	expect_prefix "last line" "$(texts "$T/mid" | tail -1)" "\"nst-init\" ($NEST_INIT/1)"
}

@test "pidtree -p/-n: an unknown namespace or PID exits 1" {
	fixture_nested_pidns
	run --separate-stderr tool pidtree -n 123 -p 1
	assert_failure 1
	assert_output ''
	[[ "$stderr" == *"pidtree: unknown PID namespace"* ]]
	# a namespace that exists, but is no PID namespace we know of
	run --separate-stderr tool pidtree -n "$(ns_ino $$ net)" -p 1
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ]
	assert_output ''
	# PIDs are below pid_max
	max=$(cat /proc/sys/kernel/pid_max)
	run --separate-stderr tool pidtree -p "$max"
	assert_failure 1
	assert_output ''
	[[ "$stderr" == *"pidtree: no process $max"* ]]
	# the inner namespace has its init only
	run --separate-stderr tool pidtree -n "pid:[$PID_INNER]" -p 2
	assert_failure 1
	assert_output ''
	[[ "$stderr" == *"pidtree: no process 2"* ]]
}

@test "pidtree -p/-n: malformed values exit 2" {
	local -a args
	for a in "-p abc" "-p 0" "-p -1" "-p 1x" "-p 99999999999999999999" \
		"-n net:[1] -p 1" "-n pid:[ -p 1" "-n pid:[x] -p 1" \
		"-n pid:[1]x -p 1" "-n 4026531836"; do
		read -r -a args <<<"$a"
		run --separate-stderr tool pidtree "${args[@]}"
		[ "$status" -eq 2 ] || { echo "pidtree $a: status $status" >&2; false; }
		assert_output ''
		[[ "$stderr" == *"Try 'pidtree --help' for more information." ]] ||
			{ echo "pidtree $a: $stderr" >&2; false; }
	done
}

# --- lsuserns ----------------------------------------------------------------

@test "lsuserns: a hidden user namespace between a parent and a child" {
	fixture_hidden_userns
	tool lsuserns --treestyle=ascii >"$T/out" 2>"$T/err"
	only_warning lsuserns "$T/err"
	hidden="user:[$USER_HIDDEN] hidden created by UID 0 (\"root\")"
	expect_eq "hidden" "$(node_line "$T/out" "user:[$USER_HIDDEN] ")" "$hidden"
	expect_prefix "parent of hidden" \
		"$(tree_parent "$T/out" "user:[$USER_HIDDEN] ")" "user:[$INIT_USERNS] "
	expect_eq "parent of child" \
		"$(tree_parent "$T/out" "user:[$USER_CHILD] ")" "$hidden"
	child=$(node_line "$T/out" "user:[$USER_CHILD] ")
	expect_prefix "child" "$child" "user:[$USER_CHILD] process \"sleep\" ($USER_CHILD_PID)"
	[[ "$child" == *' created by UID 0 ("root")' ]]
	# no property lines without -d
	run grep -F 'o- ' "$T/out"
	assert_failure 1
}

@test "lsuserns -d: a net namespace under its owning user namespace, only there" {
	fixture_owned_netns
	tool lsuserns -d --treestyle=ascii >"$T/out" 2>"$T/err"
	only_warning lsuserns "$T/err"
	owners=$(prop_owners "$T/out" "net:[$NET_OWNED] ")
	[ "$(wc -l <<<"$owners")" -eq 1 ] || { show "$T/out"; false; }
	expect_prefix "owner of net:[$NET_OWNED]" "$owners" "user:[$USER_OWNER] "
	# once in the whole output, as that property line
	[ "$(grep -c "net:\[$NET_OWNED\]" "$T/out")" -eq 1 ]
	expect_prefix "property" \
		"$(texts "$T/out" | grep "^net:\[$NET_OWNED\]")" \
		"net:[$NET_OWNED] process \"sleep\" ($OWNED_PID)"
	# our own net namespace is under our user namespace
	expect_prefix "owner of our net ns" \
		"$(prop_owners "$T/out" "net:[$(ns_ino $$ net)] ")" "user:[$INIT_USERNS] "
}

@test "lsuserns -d -t: only the namespaces of the types listed" {
	fixture_owned_netns
	tool lsuserns -d -t pid --treestyle=ascii >"$T/pid" 2>/dev/null
	run grep -F "net:[$NET_OWNED]" "$T/pid"
	assert_failure 1
	# every property line is a pid namespace
	run awk '/o- / && !/o- pid:\[/' "$T/pid"
	assert_output ''
	grep -q "o- pid:\[$INIT_PIDNS\] " "$T/pid"
	tool lsuserns -d --type=net,pid --treestyle=ascii >"$T/netpid" 2>/dev/null
	expect_prefix "owner" "$(prop_owners "$T/netpid" "net:[$NET_OWNED] ")" \
		"user:[$USER_OWNER] "
	run awk '/o- / && !/o- (pid|net):\[/' "$T/netpid"
	assert_output ''
	# the user namespaces are there still
	for f in "$T/pid" "$T/netpid"; do
		node_line "$f" "user:[$USER_OWNER] process \"sleep\" ($OWNED_PID)"
		node_line "$f" "user:[$INIT_USERNS] "
	done
}

# --- lspidns -----------------------------------------------------------------

@test "lspidns -u: the owning user namespace inserted where ownership changes" {
	fixture_nested_pidns
	tool lspidns --treestyle=ascii -u >"$T/out" 2>"$T/err"
	only_warning lspidns "$T/err"
	expect_prefix "top" "$(head -1 "$T/out")" "user:[$INIT_USERNS] "
	expect_prefix "parent of our pid ns" \
		"$(tree_parent "$T/out" "pid:[$INIT_PIDNS] ")" "user:[$INIT_USERNS] "
	# PID_MID is owned by a child user namespace: inserted above it
	user=$(node_line "$T/out" "user:[$NEST_USER] ")
	expect_prefix "user ns" "$user" "user:[$NEST_USER] process \"unshare\" ($NEST_STARTED)"
	[[ "$user" == *' created by UID 0 ("root")' ]]
	expect_prefix "parent of user:[$NEST_USER]" \
		"$(tree_parent "$T/out" "user:[$NEST_USER] ")" "pid:[$INIT_PIDNS] "
	expect_prefix "parent of pid:[$PID_MID]" \
		"$(tree_parent "$T/out" "pid:[$PID_MID] ")" "user:[$NEST_USER] "
	# PID_INNER has the same owner: nothing in between
	expect_prefix "parent of pid:[$PID_INNER]" \
		"$(tree_parent "$T/out" "pid:[$PID_INNER] ")" "pid:[$PID_MID] "
	expect_prefix "pid:[$PID_INNER]" "$(node_line "$T/out" "pid:[$PID_INNER] ")" \
		"pid:[$PID_INNER] process \"sleep\" ($NEST_LEAF)"
	[ "$(grep -c "user:\[$NEST_USER\]" "$T/out")" -eq 1 ]
	# without -u, no user namespace at all
	tool lspidns --treestyle=ascii >"$T/plain" 2>/dev/null
	run grep -F 'user:[' "$T/plain"
	assert_failure 1
	expect_prefix "top without -u" "$(head -1 "$T/plain")" "pid:[$INIT_PIDNS] "
	expect_prefix "parent of pid:[$PID_MID] without -u" \
		"$(tree_parent "$T/plain" "pid:[$PID_MID] ")" "pid:[$INIT_PIDNS] "
}

# --- nsdiscover --------------------------------------------------------------

@test "nsdiscover: a bind-mounted net namespace and its property lines" {
	fixture_bind_own
	tool nsdiscover --treestyle=ascii >"$T/out" 2>"$T/err"
	only_warning nsdiscover "$T/err"
	expect_eq "node" "$(node_line "$T/out" "net:[$NET_OWN] " | none_counted)" \
		"net:[$NET_OWN] bind-mounted at \"$NET_OWN_PATH\", 0 processes"
	owners=$(prop_owners "$T/out" \
		"net:[$NET_OWN] bind-mounted at \"$NET_OWN_PATH\" in mnt:[$OWN_MNTNS]")
	expect_prefix "owner of the bind-mount line" "$owners" "net:[$NET_OWN] "
	owners=$(prop_owners "$T/out" "net:[$NET_OWN] owned by user:[$INIT_USERNS]")
	expect_prefix "owner of the owned-by line" "$owners" "net:[$NET_OWN] "
	# every property line of it says which namespace it is about
	run awk -v id="net:[$NET_OWN]" \
		'index($0, "o- ") && index($0, id) && !index($0, "o- " id " ")' "$T/out"
	assert_output ''
}

@test "labels: a namespace made by ip netns keeps its name beside its process" {
	fixture_ip_netns
	start ip netns exec "$NET_IP_NAME" sh -c 'echo > "$1"; exec sleep 600' \
		sh "$T/ready"
	wait_file "$T/ready"
	label="net:[$NET_IP] process \"sleep\" ($STARTED)"
	name=", bind-mounted at \"$NET_IP_PATH\""
	tool nsdiscover -t net --treestyle=ascii >"$T/nsd" 2>/dev/null
	tool lsuserns -d -t net --treestyle=ascii >"$T/lsu" 2>/dev/null
	for out in nsd lsu; do
		line=$(texts "$T/$out" | grep -F -m1 "net:[$NET_IP] ")
		expect_prefix "$out: the process first" "$line" "$label"
		[[ $line == *"$name"* ]] ||
			fail "$out: no \"$name\" in: $line"
	done
	# seen again in the mount namespace of ip netns exec, one name still
	[[ $line != *" more"* ]] || fail "counted twice: $line"
}

@test "nsdiscover -t net: only net namespaces" {
	fixture_bind_own
	tool nsdiscover -t net --treestyle=ascii >"$T/out" 2>/dev/null
	[ -s "$T/out" ]
	run grep -v '^net:\[' <(roots "$T/out")
	assert_output ''
	# the property lines too
	run grep -v '^net:\[' <(texts "$T/out")
	assert_output ''
	node_line "$T/out" "net:[$NET_OWN] "
	node_line "$T/out" "net:[$(ns_ino $$ net)] "
	# and with two types, both and only them
	tool nsdiscover --type=net,user --treestyle=ascii >"$T/two" 2>/dev/null
	run grep -vE '^(net|user):\[' <(texts "$T/two")
	assert_output ''
	node_line "$T/two" "user:[$INIT_USERNS] "
}

# --- unprivileged ------------------------------------------------------------

@test "unprivileged: every tool exits 0 with exactly one warning" {
	unprivileged_copy
	for name in "${TOOLS[@]}"; do
		as_nobody "$UNPRIV_DIR/$name" >"$T/out" 2>"$T/err" ||
			{ echo "$name: status $?" >&2; show "$T/err"; false; }
		[ -s "$T/out" ]
		[ "$(wc -l <"$T/err")" -eq 1 ] || { show "$T/err"; false; }
		grep -q "^$name: warning: " "$T/err" || { show "$T/err"; false; }
	done
}

@test "unprivileged: pidtree shows root's process in a child PID namespace as pid:[???]" {
	fixture_child_pidns
	unprivileged_copy
	as_nobody "$UNPRIV_DIR/pidtree" --treestyle=ascii >"$T/out" 2>"$T/err"
	[ "$(wc -l <"$T/err")" -eq 1 ]
	line=$(node_line "$T/out" "pid:[???] \"sleep\" ($CHILD_PID/1)") ||
		{ show "$T/out"; false; }
	expect_prefix "parent" "$(tree_parent "$T/out" "pid:[???] \"sleep\" ($CHILD_PID/1)")" \
		"\"unshare\" ($CHILD_STARTED)"
	run grep -F "pid:[$CHILD_PIDNS]" "$T/out"
	assert_failure 1
	# -p too
	as_nobody "$UNPRIV_DIR/pidtree" --treestyle=ascii -p "$CHILD_PID" >"$T/branch" 2>/dev/null
	is_chain "$T/branch"
	expect_prefix "last line" "$(texts "$T/branch" | tail -1)" "pid:[???] \"sleep\" ($CHILD_PID/1)"
}

@test "CAP_SYS_PTRACE only: pidtree shows the child PID namespace" {
	fixture_child_pidns
	unprivileged_copy
	as_nobody_ptrace grep -qx 'CapEff:[[:space:]]*0000000000080000' /proc/self/status
	as_nobody_ptrace "$UNPRIV_DIR/pidtree" --treestyle=ascii >"$T/out" 2>"$T/err"
	only_warning pidtree "$T/err"
	expect_eq "parent of sleep" "$(tree_parent "$T/out" "\"sleep\" ($CHILD_PID/1)")" \
		"pid:[$CHILD_PIDNS], owned by UID 0 (\"root\")"
	expect_prefix "parent of pid:[$CHILD_PIDNS]" \
		"$(tree_parent "$T/out" "pid:[$CHILD_PIDNS],")" "\"unshare\" ($CHILD_STARTED)"
	run grep -F 'pid:[???] "sleep" ('"$CHILD_PID/" "$T/out"
	assert_failure 1
}

# --- output ------------------------------------------------------------------

@test "output: a failed write exits 1 with the write error, for every tool" {
	for name in "${TOOLS[@]}"; do
		st=0
		tool "$name" >/dev/full 2>"$T/err" || st=$?
		[ "$st" -eq 1 ] || { echo "$name: status $st" >&2; show "$T/err"; false; }
		grep -qx "$name: write error: No space left on device" "$T/err" ||
			{ show "$T/err"; false; }
		grep -v "^$name: write error: " "$T/err" >"$T/rest" || true
		only_warning "$name" "$T/rest"
		# the same from a dump
		st=0
		tool "$name" --load "$BATS_TEST_DIRNAME/fixtures/hostile.json" >/dev/full 2>"$T/err" || st=$?
		[ "$st" -eq 1 ] || { echo "$name --load: status $st" >&2; false; }
		grep -qx "$name: write error: No space left on device" "$T/err"
	done
}

@test "output: a closed pipe ends quietly, for every tool" {
	tool nsdiscover --json 2>/dev/null | jq --argjson none "$NOTHING_UNREAD" \
		'.discovery |= (.inaccessible = 0 | .unread = $none | .warnings = [])' \
		>"$T/clean.json"
	mkfifo "$T/fifo"
	for name in "${TOOLS[@]}"; do
		# | head -1, live
		tool "$name" 2>"$T/err" | head -1 >"$T/first"
		st=${PIPESTATUS[0]}
		[ "$st" -eq 0 ] || [ "$st" -eq 141 ] || { echo "$name | head: $st" >&2; false; }
		[ -s "$T/first" ]
		only_warning "$name" "$T/err"
		# | head -1, from a dump without warnings: nothing at all
		tool "$name" --load "$T/clean.json" 2>"$T/err" | head -1 >"$T/first"
		st=${PIPESTATUS[0]}
		[ "$st" -eq 0 ] || [ "$st" -eq 141 ]
		[ -s "$T/first" ]
		[ ! -s "$T/err" ] || { show "$T/err"; false; }
		# a pipe already closed by its reader, SIGPIPE default and ignored
		exec {rw}<>"$T/fifo"
		exec {w}>"$T/fifo"
		exec {rw}<&-
		for ign in no yes; do
			st=0
			bash -c 'if [ "$0" = yes ]; then trap "" PIPE; fi; exec "$@"' \
				"$ign" "$NSTOOLS_BIN/$name" --load "$T/clean.json" \
				>&"$w" 2>"$T/err" || st=$?
			[ "$st" -eq 0 ] || [ "$st" -eq 141 ] ||
				{ echo "$name, SIGPIPE ignored: $ign: status $st" >&2; show "$T/err"; false; }
			[ ! -s "$T/err" ] || { show "$T/err"; false; }
		done
		st=0
		tool "$name" >&"$w" 2>"$T/err" || st=$?
		exec {w}>&-
		[ "$st" -eq 0 ] || [ "$st" -eq 141 ]
		only_warning "$name" "$T/err"
	done
}

@test "colour: piped auto has no escape byte; -c, --color, --color=always have" {
	for name in "${TOOLS[@]}"; do
		TERM=xterm-256color tool "$name" 2>/dev/null | cat >"$T/auto"
		[ -s "$T/auto" ]
		run grep -c $'\x1b' "$T/auto"
		assert_failure 1
		TERM=xterm-256color tool "$name" --color=auto 2>/dev/null | cat >"$T/auto"
		run grep -c $'\x1b' "$T/auto"
		assert_failure 1
		TERM=xterm-256color tool "$name" --color=never 2>/dev/null | cat >"$T/never"
		run grep -c $'\x1b' "$T/never"
		assert_failure 1
		for opt in -c --color --color=always; do
			TERM=xterm-256color tool "$name" "$opt" 2>/dev/null >"$T/always"
			grep -q $'\x1b\\[' "$T/always" ||
				{ echo "$name $opt: no colour" >&2; false; }
			# NO_COLOR is for auto only
			TERM=xterm-256color NO_COLOR=1 tool "$name" "$opt" 2>/dev/null >"$T/always"
			grep -q $'\x1b\\[' "$T/always" ||
				{ echo "NO_COLOR=1 $name $opt: no colour" >&2; false; }
		done
		# the same text, but for the escapes
		TERM=xterm-256color tool "$name" -c --load "$BATS_TEST_DIRNAME/fixtures/hostile.json" \
			2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/\x1b(B//g' >"$T/stripped"
		tool "$name" --load "$BATS_TEST_DIRNAME/fixtures/hostile.json" 2>/dev/null >"$T/plain"
		diff "$T/plain" "$T/stripped"
	done
}

@test "colour: auto on a terminal, unless NO_COLOR or no colours" {
	command -v script >/dev/null || skip "no script(1)"
	for name in "${TOOLS[@]}"; do
		script -qec "env TERM=xterm-256color '$NSTOOLS_BIN/$name' 2>/dev/null" \
			/dev/null </dev/null >"$T/tty"
		[ -s "$T/tty" ]
		grep -q $'\x1b\\[' "$T/tty" || { echo "$name: no colour on a tty" >&2; false; }
		script -qec "env TERM=xterm-256color NO_COLOR= '$NSTOOLS_BIN/$name' 2>/dev/null" \
			/dev/null </dev/null >"$T/tty"
		grep -q $'\x1b\\[' "$T/tty" ||
			{ echo "$name: no colour on a tty with NO_COLOR empty" >&2; false; }
		script -qec "env TERM=xterm-256color NO_COLOR=1 '$NSTOOLS_BIN/$name' 2>/dev/null" \
			/dev/null </dev/null >"$T/tty"
		[ -s "$T/tty" ]
		run grep -c $'\x1b' "$T/tty"
		assert_failure 1
		script -qec "env TERM=xterm-256color '$NSTOOLS_BIN/$name' --color=never 2>/dev/null" \
			/dev/null </dev/null >"$T/tty"
		run grep -c $'\x1b' "$T/tty"
		assert_failure 1
		script -qec "env TERM=dumb '$NSTOOLS_BIN/$name' 2>/dev/null" \
			/dev/null </dev/null >"$T/tty"
		[ -s "$T/tty" ]
		run grep -c $'\x1b' "$T/tty"
		assert_failure 1
	done
}

# --- lines that fit the terminal --------------------------------------------

# podman_dump: the fixture with a podman cgroup for process 300 (a 64-digit
# ID, as podman's systemd driver names it), in $T/podman.json.
podman_dump() {
	jq '.processes["300"].cpucgroup = "/machine.slice/libpod-95a74531ef0de275bb15d71ae35b25ebde1492cfc38a7745e41e6c98cd263a1a.scope/container"' \
		"$BATS_TEST_DIRNAME/fixtures/hostile.json" >"$T/podman.json"
}

# on_tty COLS TOOL ARGS...: the tool's standard output on a terminal COLS
# wide (COLUMNS unset), without the terminal's carriage returns.
on_tty() {
	local cols=$1 cmd
	shift
	cmd=$(printf '%q ' "$NSTOOLS_BIN/$1" "${@:2}")
	script -qec "stty cols $cols; env -u COLUMNS $cmd 2>/dev/null" \
		/dev/null </dev/null | tr -d '\r'
}

# widest FILE: the columns of its widest line.
widest() {
	LC_ALL=C.UTF-8 wc -L <"$1"
}

@test "lines: on a terminal, each line fits, shortened in the middle" {
	command -v script >/dev/null || skip "no script(1)"
	podman_dump
	local args=(--load "$T/podman.json" --color=never --treestyle=line)
	for run in "lsuserns -d" "lspidns -u" pidtree nsdiscover; do
		on_tty 80 $run "${args[@]}" >"$T/tty"
		[ -s "$T/tty" ]
		(($(widest "$T/tty") <= 80)) ||
			fail "$run: a line wider than 80: $(widest "$T/tty")"
		tool $run "${args[@]}" 2>/dev/null >"$T/pipe"
		(($(widest "$T/pipe") > 80)) || fail "$run: nothing to shorten"
		# one line a node still
		expect_eq "$run: lines" "$(wc -l <"$T/tty")" "$(wc -l <"$T/pipe")"
	done
	# the cgroup, in the middle, and what follows it kept
	on_tty 80 pidtree "${args[@]}" >"$T/tty"
	assert_equal "$(grep -c '"sh" (300/1) controlled by "/machin…tainer" in container' "$T/tty")" 1
	on_tty 80 pidtree "${args[@]/line/ascii}" >"$T/tty"
	grep -qF '"/machi...ainer" in container' "$T/tty"
	# a wider terminal, or COLUMNS, leaves more
	on_tty 200 pidtree "${args[@]}" >"$T/tty"
	grep -qF '"/machine.slice/libpod-95a74531ef0de275bb15d71ae35b25ebde1492cfc38a7745e41e6c98cd263a1a.scope/container"' "$T/tty"
	script -qec "stty cols 200; COLUMNS=80 $NSTOOLS_BIN/pidtree ${args[*]} 2>/dev/null" \
		/dev/null </dev/null | tr -d '\r' >"$T/tty"
	(($(widest "$T/tty") <= 80))
}

@test "lines: --notruncate and -u write them whole; a pipe is never fitted" {
	command -v script >/dev/null || skip "no script(1)"
	podman_dump
	local args=(--load "$T/podman.json" --color=never)
	for run in "lsuserns -d" "lspidns -u" pidtree nsdiscover; do
		tool $run "${args[@]}" 2>/dev/null >"$T/pipe"
		on_tty 80 $run "${args[@]}" --notruncate >"$T/tty"
		diff -u "$T/pipe" "$T/tty" || fail "$run --notruncate on a tty"
		COLUMNS=40 tool $run "${args[@]}" 2>/dev/null | cat >"$T/cat"
		diff -u "$T/pipe" "$T/cat" || fail "$run | cat"
	done
	for run in lsuserns pidtree nsdiscover; do
		tool $run "${args[@]}" 2>/dev/null >"$T/pipe"
		on_tty 80 $run "${args[@]}" -u >"$T/tty"
		diff -u "$T/pipe" "$T/tty" || fail "$run -u on a tty"
	done
	# nsdiscover -u is no longer a list of its own, and lspidns -u is --user
	tool nsdiscover -u "${args[@]}" 2>/dev/null >"$T/u"
	diff -u "$T/pipe" "$T/u"
	tool lspidns -u "${args[@]}" 2>/dev/null | grep -q '^user:\['
	# colours survive the fitting, and end where they end
	script -qec "stty cols 80; env -u COLUMNS TERM=xterm-256color $NSTOOLS_BIN/pidtree --load $T/podman.json 2>/dev/null" \
		/dev/null </dev/null | tr -d '\r' >"$T/colour"
	grep -q $'\x1b\\[' "$T/colour"
	run grep -c $'[\x01-\x04]' "$T/colour"
	assert_output 0
}

@test "options: --color=bogus and --treestyle=bogus exit 2" {
	for name in "${TOOLS[@]}"; do
		for opt in --color=bogus --treestyle=bogus --color= --treestyle=; do
			run --separate-stderr tool "$name" "$opt"
			[ "$status" -eq 2 ] || { echo "$name $opt: status $status" >&2; false; }
			assert_output ''
			[[ "$stderr" == *"Try '$name --help' for more information." ]]
		done
	done
}

# glyphs FILE: "line", "ascii", "none" or "mixed", by the prefixes of the
# lines of FILE (names, which may hold anything, are not looked at).
glyphs() {
	local ascii line
	ascii=$(grep -cE '^((\|  |   )*(\|- |`- |o- ))' "$1")
	line=$(grep -cE '^((│  |   )*(├─ |└─ |⋄─ ))' "$1")
	if [ "$ascii" -gt 0 ] && [ "$line" -gt 0 ]; then
		echo mixed
	elif [ "$ascii" -gt 0 ]; then
		echo ascii
	elif [ "$line" -gt 0 ]; then
		echo line
	else
		echo none
	fi
}

@test "tree style: ascii in the C locale, line in a UTF-8 one, unless told" {
	# a child PID namespace and a child user namespace: every view is a tree
	fixture_child_pidns
	fixture_owned_netns
	for name in "${TOOLS[@]}"; do
		args=()
		[ "$name" = lsuserns ] && args=(-d)
		LC_ALL=C tool "$name" "${args[@]}" >"$T/c" 2>/dev/null
		expect_eq "$name, LC_ALL=C" "$(glyphs "$T/c")" ascii
		LC_ALL=C.UTF-8 tool "$name" "${args[@]}" >"$T/utf8" 2>/dev/null
		expect_eq "$name, LC_ALL=C.UTF-8" "$(glyphs "$T/utf8")" line
		# LC_CTYPE decides
		env -u LC_ALL LANG=C LC_CTYPE=C.UTF-8 "$NSTOOLS_BIN/$name" "${args[@]}" \
			>"$T/ctype" 2>/dev/null
		expect_eq "$name, LC_CTYPE=C.UTF-8" "$(glyphs "$T/ctype")" line
		LC_ALL=C tool "$name" "${args[@]}" --treestyle=line >"$T/c" 2>/dev/null
		expect_eq "$name, LC_ALL=C --treestyle=line" "$(glyphs "$T/c")" line
		LC_ALL=C.UTF-8 tool "$name" "${args[@]}" --treestyle=ascii >"$T/utf8" 2>/dev/null
		expect_eq "$name, LC_ALL=C.UTF-8 --treestyle=ascii" "$(glyphs "$T/utf8")" ascii
	done
}

# --- --load ------------------------------------------------------------------

# In the sandbox (see fixture_sandbox_all), where only the tools' own
# processes differ between two runs, a dump renders exactly as the view
# shows live.

@test "--load: lsuserns -d renders a dump as it shows live" {
	fixture_sandbox_all
	sandbox_load_matches lsuserns -d
	grep -q "user:\[$SB_USER_HIDDEN\] hidden" "$T/loaded"
	grep -q "user:\[$SB_USER_OWNER\] hidden" "$T/loaded"
	grep -q "net:\[$SB_NET_OWNED\] bind-mounted at \"$SB_NET_OWNED_PATH\"" "$T/loaded"
	sandbox_load_matches lsuserns
	sandbox_load_matches lsuserns -d -t net,pid --treestyle=ascii
}

@test "--load: lspidns -u renders a dump as it shows live" {
	fixture_sandbox_all
	sandbox_load_matches lspidns -u
	grep -q "pid:\[$PID_INNER\] " "$T/loaded"
	grep -q "user:\[$NEST_USER\] " "$T/loaded"
	sandbox_load_matches lspidns
}

@test "--load: pidtree renders a dump as it shows live" {
	fixture_sandbox_all
	sandbox_load_matches pidtree
	grep -q "pid:\[$PID_INNER\], owned by" "$T/loaded"
	grep -q '"nst-init" ([0-9]*/1)' "$T/loaded"
	sandbox_load_matches pidtree -t
	sandbox_load_matches pidtree -p 1
	sandbox_load_matches pidtree -n "$PID_INNER" -p 1
}

@test "--load: nsdiscover renders a dump as it shows live" {
	fixture_sandbox_all
	sandbox_load_matches nsdiscover
	grep -qF "net:[$SB_NET_BIND] bind-mounted at \"$SB_NET_BIND_PATH\"" "$T/loaded"
	grep -qF "net:[$SB_NET_FD] held by fd 7 of \"sleep\" ($SB_FD_HOLDER)" "$T/loaded"
	sandbox_load_matches nsdiscover -t net,user --treestyle=ascii
}

@test "--load: a dump renders the same wherever it is rendered" {
	fixture_sandbox_all
	in_sandbox "$NSDISCOVER" --json >"$T/dump.json" 2>/dev/null
	for args in "lsuserns -d" "lspidns -u" "pidtree -t" "nsdiscover"; do
		read -r -a argv <<<"$args"
		tool "${argv[@]}" --load "$T/dump.json" >"$T/here" 2>&1
		in_sandbox "$NSTOOLS_BIN/${argv[0]}" "${argv[@]:1}" \
			--load "$T/dump.json" >"$T/there" 2>&1
		diff "$T/here" "$T/there"
	done
}

@test "--load: here, where other things come and go, the same but for them" {
	fixture_nested_pidns
	fixture_hidden_userns
	fixture_owned_netns
	fixture_bind_own
	host_load_matches lsuserns -d
	grep -q "user:\[$USER_HIDDEN\] hidden" "$T/loaded"
	host_load_matches lspidns -u
	grep -q "pid:\[$PID_INNER\] " "$T/loaded"
	host_load_matches pidtree -p "$NEST_LEAF"
	grep -qF "\"sleep\" ($(nspid "$NEST_LEAF"))" "$T/loaded"
}

@test "--load -: the dump from standard input" {
	fixture_nested_pidns
	tool nsdiscover --json >"$T/dump.json" 2>/dev/null
	for name in "${TOOLS[@]}"; do
		tool "$name" --load "$T/dump.json" >"$T/file" 2>"$T/file.err"
		[ -s "$T/file" ]
		tool "$name" --load - <"$T/dump.json" >"$T/stdin" 2>"$T/stdin.err"
		cmp "$T/file" "$T/stdin"
		cmp "$T/file.err" "$T/stdin.err"
		# a pipe, not a file
		cat "$T/dump.json" | tool "$name" --load=- >"$T/pipe" 2>/dev/null
		cmp "$T/file" "$T/pipe"
	done
}

@test "--load: a missing file exits 1" {
	for name in "${TOOLS[@]}"; do
		run --separate-stderr tool "$name" --load /nonexistent
		assert_failure 1
		assert_output ''
		[[ "$stderr" == "$name: "*"/nonexistent"* ]] || { echo "$stderr" >&2; false; }
	done
}

# bad_dump NAME FILE: every tool exits 1 on dump FILE, with a message and
# nothing on standard output.
bad_dump() {
	local name st
	for name in "${TOOLS[@]}"; do
		st=0
		tool "$name" --load "$2" >"$T/out" 2>"$T/err" || st=$?
		[ "$st" -eq 1 ] || { echo "$1: $name exits $st" >&2; show "$T/err"; return 1; }
		[ ! -s "$T/out" ] || { echo "$1: $name writes" >&2; show "$T/out"; return 1; }
		grep -q "^$name: ." "$T/err" ||
			{ echo "$1: $name says" >&2; show "$T/err"; return 1; }
		if [ "$name" = "${TOOLS[0]}" ]; then
			echo "# $1: $(head -1 "$T/err")" >&3
		fi
	done
}

@test "--load: broken dumps exit 1 with a message and no output" {
	fixture_nested_pidns
	tool nsdiscover --json >"$T/dump.json" 2>/dev/null
	echo 'not json' >"$T/not-json"
	bad_dump "not json" "$T/not-json"
	echo '{}' >"$T/empty"
	bad_dump "{}" "$T/empty"
	: >"$T/nothing"
	bad_dump "empty file" "$T/nothing"
	head -c 500 "$T/dump.json" >"$T/truncated"
	bad_dump "truncated" "$T/truncated"
	# a namespace owned by a user namespace that is not in the dump
	jq '(.namespaces | to_entries | map(select(.value.type == "net"))
	     | first.key) as $k | .namespaces[$k].owner = 12345' \
		"$T/dump.json" >"$T/dangling"
	bad_dump "dangling owner" "$T/dangling"
	# PID_MID and PID_INNER each other's parent (and child)
	jq --arg m "$PID_MID" --arg i "$PID_INNER" --arg r "$INIT_PIDNS" '
		.namespaces[$m].parent = ($i | tonumber) |
		.namespaces[$i].children = [($m | tonumber)] |
		.namespaces[$r].children -= [($m | tonumber)]' \
		"$T/dump.json" >"$T/cycle"
	bad_dump "pid cycle" "$T/cycle"
	for name in "${TOOLS[@]}"; do
		tool "$name" --load "$T/cycle" 2>&1 >/dev/null | grep -q cycle
	done
	printf '[%.0s' {1..100000} >"$T/deep"
	bad_dump "nested 100000 deep" "$T/deep"
}

# --- every line stands alone -------------------------------------------------

@test "lines: every line of nsdiscover, lsuserns -d, lspidns -u names a namespace" {
	fixture_nested_pidns
	fixture_hidden_userns
	fixture_owned_netns
	fixture_bind_own
	ids='(cgroup|ipc|mnt|net|pid|time|user|uts):\['
	tool nsdiscover >"$T/out" 2>/dev/null
	[ -s "$T/out" ]
	[ "$(grep -cvE "$ids" "$T/out")" -eq 0 ] || { grep -vE "$ids" "$T/out"; false; }
	[ "$(grep -cE "^[^a-z]*$ids" "$T/out")" -eq "$(wc -l <"$T/out")" ]
	tool lsuserns -d >"$T/out" 2>/dev/null
	[ "$(grep -cvE "$ids" "$T/out")" -eq 0 ]
	tool lspidns -u >"$T/out" 2>/dev/null
	[ "$(grep -cvE "$ids" "$T/out")" -eq 0 ]
	# each property line of nsdiscover begins with the namespace of its node
	tool nsdiscover --treestyle=ascii >"$T/out" 2>/dev/null
	run awk "$TREE_AWK"'
		{ split_line($0) }
		!PROP { match(TEXT, /^[a-z]+:\[[0-9]+\]/); id = substr(TEXT, 1, RLENGTH); next }
		index(TEXT, id " ") != 1 { print }' "$T/out"
	assert_output ''
}

# --- options -----------------------------------------------------------------

# options NAME: every option of tool NAME.
options() {
	local common='-c --color --treestyle --load --no-tasks --no-fds
		--no-sockets --no-mounts -h --help -V --version'
	case $1 in
	lsuserns) echo "-d --details -t --type $common" ;;
	lspidns) echo "-u --user $common" ;;
	pidtree) echo "-p --pid -n --ns -t --tasks $common" ;;
	nsdiscover) echo "-t --type --json $common" ;;
	esac
}

@test "-h/--help: every option, on standard output, status 0" {
	for name in "${TOOLS[@]}"; do
		for h in -h --help; do
			run --separate-stderr tool "$name" "$h"
			assert_success
			[ -z "$stderr" ]
			[[ "${lines[0]}" == "Usage: $name "* ]]
			for opt in $(options "$name"); do
				grep -qE -- "(^|[ ,])$opt([ =,[]|\$)" <<<"$output" ||
					{ echo "$name $h: no $opt" >&2; false; }
			done
		done
	done
}

@test "-V/--version: the name and version, status 0" {
	version=$(sed -n 's/^VERSION *:= *//p' "$BATS_TEST_DIRNAME/../Makefile")
	[ -n "$version" ]
	for name in "${TOOLS[@]}"; do
		for v in -V --version; do
			run --separate-stderr tool "$name" "$v"
			assert_success
			assert_output "$name $version"
			[ -z "$stderr" ]
		done
	done
}

@test "misuse: unknown options, arguments and missing values exit 2" {
	for name in "${TOOLS[@]}"; do
		bad=("--bogus" "-Z" "foo" "--load" "--treestyle" "-- foo")
		case $name in
		lsuserns | nsdiscover) bad+=("-t" "--type" "-t bogus" "--type=net,bogus") ;;
		lspidns) bad+=("-t") ;;
		pidtree) bad+=("-p" "--pid" "-n" "--ns" "-t foo") ;;
		esac
		for a in "${bad[@]}"; do
			read -r -a args <<<"$a"
			run --separate-stderr tool "$name" "${args[@]}"
			[ "$status" -eq 2 ] || { echo "$name $a: status $status" >&2; false; }
			assert_output ''
			[[ "$stderr" == "$name: "* ]] || { echo "$name $a: $stderr" >&2; false; }
			[ "${stderr##*$'\n'}" = "Try '$name --help' for more information." ] ||
				{ echo "$name $a: $stderr" >&2; false; }
		done
	done
}
