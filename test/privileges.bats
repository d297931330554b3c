#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Least privilege: which capabilities the four tools hold, when, and what
# they read with them (strace, /proc/PID/status while they write), what
# they make of user-controlled input when installed with file
# capabilities or given ambient ones, and the view they give at every
# level of privilege: root, nobody, nobody with CAP_SYS_PTRACE, and root of
# a fresh user and PID namespace. Only what the tests build is looked at.

bats_require_minimum_version 1.5.0

load common
load sources
load views
load hostile

setup() {
	hostile_setup
}

teardown() {
	hostile_teardown
}

# traced CALLS NAME [ARGS...]: runs tool NAME under strace -f into
# $T/strace, tracing the system calls CALLS (and stopping only for them),
# colours from the terminfo entry nstpriv in $T/terminfo, a UTF-8 locale;
# stdout in $T/out. LeakSanitizer cannot run under strace.
traced() {
	local calls=$1 name=$2
	shift 2
	[ -d "$T/terminfo" ] || terminfo_entry "$T/terminfo"
	TERMINFO=$T/terminfo TERM=nstpriv LC_ALL=C.UTF-8 no_leak_check \
		timeout -k 5 60 strace -f -qq --seccomp-bpf -o "$T/strace" \
		-e trace="$calls" \
		"$NSTOOLS_BIN/$name" --color=always "$@" >"$T/out" 2>"$T/err"
}

@test "strace, live as root: discovery's capabilities only, the setns ones in the child, none before terminfo, locale or output" {
	local name facts caps
	# a mount namespace without processes: discovery enters it in a child
	fixture_loose_mntns
	for name in "${TOOLS[@]}"; do
		traced capset,openat,write "$name" || { show "$T/err"; false; }
		only_warning "$name" "$T/err"
		facts=$(strace_facts "$T/strace" "$T/terminfo")
		echo "$name: $facts" | tr '\n' ';' >&2
		echo >&2
		# the main process: discovery's sets; CAP_SYS_ADMIN effective
		# for the kernel's list of mount namespaces alone, when the view
		# reads mount namespaces; then none
		mapfile -t caps < <(awk '$1 == "capset" { print $3, $4, $5 }' <<<"$facts")
		[ "${#caps[@]}" -eq 2 ] || [ "${#caps[@]}" -eq 4 ] ||
			{ echo "$name: ${#caps[@]} capsets" >&2; false; }
		expect_eq "$name: first capset" "${caps[0]}" \
			"$DISCOVERY_EFFECTIVE $DISCOVERY_PERMITTED 0"
		if [ "${#caps[@]}" -eq 4 ]; then
			expect_eq "$name: the list's capset" "${caps[1]}" \
				"$DISCOVERY_EFFECTIVE|CAP_SYS_ADMIN $DISCOVERY_PERMITTED 0"
			expect_eq "$name: after the list" "${caps[2]}" "${caps[0]}"
		fi
		expect_eq "$name: last capset" "${caps[-1]}" "0 0 0"
		# limited before /proc is opened, dropped before anything else
		local first last
		first=$(awk '$1 == "capset" { print $2; exit }' <<<"$facts")
		last=$(awk '$1 == "capset" { n = $2 } END { print n }' <<<"$facts")
		facts+=$'\n'"first-capset $first"$'\n'"last-capset $last"
		before "$facts" first-capset proc
		before "$facts" last-capset terminfo
		before_if "$facts" last-capset locale
		before "$facts" last-capset write1
		before_if "$facts" last-capset write2
		# the terminfo entry was used: colours from it
		grep -q PRIVSETAF "$T/out"
		# a child entered the mount namespace with the setns pair raised,
		# and nothing else; pidtree reads no mounts, and enters nothing;
		# lspidns reads them by listmount alone: the net namespace
		# mounted there, whose owner only the child could ask, is not
		# of its types
		run awk '$1 == "child-capset" { print $3, $4 }' <<<"$facts"
		if [ "$name" = pidtree ] || [ "$name" = lspidns ]; then
			assert_output ''
			continue
		fi
		assert_output --partial "$DISCOVERY_PERMITTED $DISCOVERY_PERMITTED"
		run awk -v ok="$DISCOVERY_PERMITTED $DISCOVERY_PERMITTED" \
			'$1 == "child-capset" && $3 " " $4 != ok' <<<"$facts"
		assert_output ''
	done
}

@test "strace, --load: every capability dropped before the dump is opened or read, and before any output" {
	local name facts caps
	cp "$FIXTURE_DUMP" "$T/dump.json"
	for name in "${TOOLS[@]}"; do
		for src in file stdin; do
			if [ "$src" = file ]; then
				traced capset,openat,write,read "$name" --load "$T/dump.json" ||
					{ show "$T/err"; false; }
			else
				traced capset,openat,write,read "$name" --load - <"$T/dump.json" ||
					{ show "$T/err"; false; }
			fi
			facts=$(strace_facts "$T/strace" "$T/terminfo" "$T/dump.json")
			mapfile -t caps < <(awk '$1 == "capset" { print $2, $3, $4, $5 }' <<<"$facts")
			[ "${#caps[@]}" -eq 1 ] || { echo "$name: ${#caps[@]} capsets: $facts" >&2; false; }
			[[ ${caps[0]} == *" 0 0 0" ]] || { echo "$name: ${caps[0]}" >&2; false; }
			if [ "$src" = file ]; then
				before "$facts" capset load
				run -1 fact "$facts" read0
			else
				before "$facts" capset read0
			fi
			before "$facts" capset terminfo
			before "$facts" capset write1
			before "$facts" capset write2
			# no child, and /proc is never opened
			run awk '$1 == "child-capset" || $1 == "proc"' <<<"$facts"
			assert_output ''
		done
	done
}

# blocked_caps RUNNER... -- NAME [ARGS...]: runs tool NAME (through RUNNER,
# a command prefix, e.g. setpriv ...) with its stdout into a FIFO whose
# buffer is full already, waits until it blocks writing its output, and
# sets CAPS to its capability sets then; then reads the output into
# $T/out and checks that it exits 0.
blocked_caps() {
	local -a runner=()
	local name pid rw r st=0
	while [ "$1" != -- ]; do
		runner+=("$1")
		shift
	done
	shift
	name=$1
	shift
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	exec {rw}<>"$T/fifo"
	# 16 pages: the buffer of a pipe, full
	timeout 10 dd if=/dev/zero bs=4096 count=16 status=none >&"$rw"
	start bash -c 'exec "$@" >"$0"' "$T/fifo" "${runner[@]}" "$name" "$@"
	pid=$STARTED
	wait_for writing_stdout "$pid" || { exec {rw}>&-; return 1; }
	CAPS=$(cap_sets "$pid")
	exec {r}<"$T/fifo"
	exec {rw}>&-
	tail -c +65537 <&"$r" >"$T/out"
	exec {r}<&-
	wait "${STARTED_REAPER[$pid]}" || st=$?
	[ "$st" -eq 0 ] || { echo "$name: exit $st" >&2; return 1; }
	[ -s "$T/out" ]
}

@test "while it writes its output, no tool holds any capability: live as root, from a dump, with file capabilities" {
	local name
	filecap_copy cap_sys_ptrace,cap_dac_read_search+ep
	install -m 0644 "$FIXTURE_DUMP" "$FILECAP_DIR/dump.json"
	unprivileged_copy
	for name in "${TOOLS[@]}"; do
		blocked_caps -- "$NSTOOLS_BIN/$name"
		expect_eq "$name, live as root" "$CAPS" "$NO_CAPS"
		blocked_caps -- "$NSTOOLS_BIN/$name" --load "$FIXTURE_DUMP"
		expect_eq "$name --load, as root" "$CAPS" "$NO_CAPS"
		blocked_caps setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=-all -- "$FILECAP_DIR/$name"
		expect_eq "$name, live, nobody with file capabilities" "$CAPS" "$NO_CAPS"
		blocked_caps setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=+sys_ptrace,+dac_read_search \
			--ambient-caps=+sys_ptrace,+dac_read_search -- "$UNPRIV_DIR/$name" \
			--load "$FILECAP_DIR/dump.json"
		expect_eq "$name --load, nobody with ambient capabilities" "$CAPS" "$NO_CAPS"
	done
	# the test can tell: a shell of root's has them all
	start sleep 1000
	[ "$(cap_sets "$STARTED")" != "$NO_CAPS" ]
}

@test "capabilities without the right to read: a dump of another user's cannot be loaded, as without them" {
	local name i dir file msg
	privileged_runners
	for i in "${!RUNNERS[@]}"; do
		# discovery has the capabilities: the dump says so
		run_as "${RUNNERS[i]}" nsdiscover --json
		[ "$ST" -eq 0 ]
		jq -e '.discovery."cap-sys-ptrace"' "$T/out" >/dev/null
		read -r dir file <<<"${SECRET[i]}"
		for name in "${TOOLS[@]}"; do
			for f in "$dir/dump.json" "$file"; do
				# a good dump
				jq empty "$f"
				run_as "${REFERENCE[i]}" "$name" --load "$f"
				[ "$ST" -eq 1 ]
				cp "$T/err" "$T/err.reference"
				run_as "${RUNNERS[i]}" "$name" --load "$f"
				[ "$ST" -eq 1 ] ||
					{ echo "${RUNNERS[i]} $name --load $f: exit $ST" >&2; false; }
				[ ! -s "$T/out" ]
				# root is told how it can read the file; nobody can not
				msg="$name: cannot open $f: Permission denied"
				[[ ${RUNNERS[i]} == *--reuid=* ]] ||
					msg+=" (every capability is dropped before a dump is read: give it on standard input, --load=- <$f)"
				expect_eq "${RUNNERS[i]} $name --load $f" "$(cat "$T/err")" "$msg"
				cmp "$T/err" "$T/err.reference"
			done
		done
	done
	# root reads its own: it is still root, with no capability
	tool pidtree --load "$PRIVATE_DIR/root/dump.json" >/dev/null 2>&1
	# but not nobody's: its capabilities are gone before the file is opened
	run_as "$NSTOOLS_BIN" pidtree --load "$FILECAP_DIR/nobody.json"
	[ "$ST" -eq 1 ]
	expect_eq "root: pidtree --load $FILECAP_DIR/nobody.json" "$(cat "$T/err")" \
		"pidtree: cannot open $FILECAP_DIR/nobody.json: Permission denied (every capability is dropped before a dump is read: give it on standard input, --load=- <$FILECAP_DIR/nobody.json)"
	# and the way the message gives works
	run_as "$NSTOOLS_BIN" pidtree --load=- <"$FILECAP_DIR/nobody.json"
	[ "$ST" -eq 0 ] || { show "$T/err"; false; }
	[ -s "$T/out" ]
}

@test "capabilities without the right to read: another user's terminfo entry is not used" {
	local name i dir file
	privileged_runners
	# the same entry where anyone may read it
	terminfo_entry "$FILECAP_DIR/terminfo"
	install -m 0644 "$FIXTURE_DUMP" "$FILECAP_DIR/dump.json"
	for i in "${!RUNNERS[@]}"; do
		read -r dir file <<<"${SECRET[i]}"
		for name in "${TOOLS[@]}"; do
			# without capabilities, from a dump: the reference
			TERMINFO=$dir/terminfo TERM=nstpriv run_as "${REFERENCE[i]}" \
				"$name" --color=always --load "$FILECAP_DIR/dump.json"
			[ "$ST" -eq 0 ]
			cp "$T/out" "$T/out.reference"
			# readable: it is used (the test can tell)
			TERMINFO=$FILECAP_DIR/terminfo TERM=nstpriv run_as "${RUNNERS[i]}" \
				"$name" --color=always --load "$FILECAP_DIR/dump.json"
			grep -q PRIVSETAF "$T/out" ||
				{ echo "${RUNNERS[i]} $name: the readable entry is not used" >&2; false; }
			# another's: not used, from a dump or live
			TERMINFO=$dir/terminfo TERM=nstpriv run_as "${RUNNERS[i]}" \
				"$name" --color=always --load "$FILECAP_DIR/dump.json"
			[ "$ST" -eq 0 ]
			run grep -c PRIV "$T/out"
			assert_output 0
			cmp "$T/out" "$T/out.reference"
			TERMINFO=$dir/terminfo TERM=nstpriv run_as "${RUNNERS[i]}" \
				"$name" --color=always
			[ "$ST" -eq 0 ]
			[ -s "$T/out" ]
			run grep -c PRIV "$T/out"
			assert_output 0
		done
	done
}

# --- every level --------------------------------------------------------------

# A root process ("sleep", LVL_PID, 1 in its PID namespace LVL_PIDNS) in
# a user namespace LVL_USER and a net namespace LVL_NET of its own, all
# children or owned by ours: only the privileged may see them.
fixture_level() {
	start unshare --user --map-root-user --net --pid --fork \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/level"
	LVL_STARTED=$STARTED
	wait_file "$FIX/level"
	LVL_PID=$(cat "$FIX/level")
	stop_later "$LVL_PID" "$LVL_STARTED"
	wait_for has_comm "$LVL_PID" sleep
	LVL_USER=$(ns_ino "$LVL_PID" user)
	LVL_NET=$(ns_ino "$LVL_PID" net)
	LVL_PIDNS=$(ns_ino "$LVL_PID" pid)
}

# level_view NAME SEES: checks the view of tool NAME in $T/out (ascii):
# the tool's own namespaces (those of this shell) are there; those of
# fixture_level are there, in the right place, when SEES is "all", and
# nowhere when it is "own".
level_view() {
	local name=$1 sees=$2 t
	case $name in
	nsdiscover)
		for t in cgroup ipc mnt net pid time user uts; do
			node_line "$T/out" "$t:[$(ns_ino $$ "$t")] " >/dev/null ||
				{ echo "nsdiscover: no own $t namespace" >&2; return 1; }
		done
		if [ "$sees" = all ]; then
			node_line "$T/out" "net:[$LVL_NET] process \"unshare\" ($LVL_STARTED)" &&
			node_line "$T/out" "user:[$LVL_USER] process \"unshare\" ($LVL_STARTED)" &&
			node_line "$T/out" "pid:[$LVL_PIDNS] process \"sleep\" ($LVL_PID)"
		fi
		;;
	lsuserns)
		node_line "$T/out" "user:[$INIT_USERNS] " >/dev/null || return 1
		if [ "$sees" = all ]; then
			expect_prefix "parent of user:[$LVL_USER]" \
				"$(tree_parent "$T/out" "user:[$LVL_USER] ")" "user:[$INIT_USERNS] "
		fi
		;;
	lspidns)
		expect_prefix "top" "$(head -1 "$T/out")" "pid:[$INIT_PIDNS] " || return 1
		if [ "$sees" = all ]; then
			expect_prefix "parent of pid:[$LVL_PIDNS]" \
				"$(tree_parent "$T/out" "pid:[$LVL_PIDNS] ")" "pid:[$INIT_PIDNS] "
		fi
		;;
	pidtree)
		expect_prefix "top" "$(head -1 "$T/out")" "pid:[$INIT_PIDNS], " || return 1
		if [ "$sees" = all ]; then
			expect_eq "parent of sleep" \
				"$(tree_parent "$T/out" "\"sleep\" ($LVL_PID/1)")" \
				"pid:[$LVL_PIDNS], owned by UID 0 (\"root\")"
		else
			# where it is, its namespace unknown
			node_line "$T/out" "pid:[???] \"sleep\" ($LVL_PID/1)" >/dev/null
		fi
		;;
	esac || { show "$T/out"; return 1; }
	if [ "$sees" = own ]; then
		for t in "net:[$LVL_NET]" "user:[$LVL_USER]" "pid:[$LVL_PIDNS]"; do
			if grep -qF "$t" "$T/out"; then
				echo "$name shows $t" >&2
				show "$T/out"
				return 1
			fi
		done
	fi
}

@test "levels: root sees everything, with at most the one warning (PID 1 may be closed even to root)" {
	local name
	fixture_level
	for name in "${TOOLS[@]}"; do
		run_as "$NSTOOLS_BIN" "$name" --treestyle=ascii
		[ "$ST" -eq 0 ] || { show "$T/err"; false; }
		only_warning "$name" "$T/err"
		level_view "$name" all
	done
}

@test "levels: nobody without capabilities sees its own namespaces, not root's, with one warning" {
	local name
	fixture_level
	unprivileged_copy
	for name in "${TOOLS[@]}"; do
		run_as "as_nobody $UNPRIV_DIR" "$name" --treestyle=ascii
		[ "$ST" -eq 0 ] || { show "$T/err"; false; }
		[ "$(wc -l <"$T/err")" -eq 1 ] || { show "$T/err"; false; }
		grep -q "^$name: warning: without CAP_SYS_PTRACE, " "$T/err" ||
			{ show "$T/err"; false; }
		level_view "$name" own
	done
}

@test "levels: nobody's count of the processes in the host's namespaces says it is partial" {
	local line
	unprivileged_copy
	# root's processes (PID 1 among them) are closed to nobody
	run_as "as_nobody $UNPRIV_DIR" nsdiscover -t net --treestyle=ascii
	[ "$ST" -eq 0 ] || { show "$T/err"; false; }
	line=$(node_line "$T/out" "net:[$(stat -L -c %i /proc/self/ns/net)] ") ||
		{ show "$T/out"; false; }
	[[ $line =~ ", at least "[1-9][0-9]*" process"(es)?$ ]] ||
		{ echo "$line" >&2; false; }
	# in a user and PID namespace of its own, with its own /proc, every
	# process is read: the count is whole
	ST=0
	timeout -k 5 60 unshare -Urpf --mount-proc "$NSTOOLS_BIN/nsdiscover" \
		-t pid --treestyle=ascii >"$T/out" 2>"$T/err" || ST=$?
	[ "$ST" -eq 0 ] || { show "$T/err"; false; }
	run cat "$T/out"
	assert_line --regexp '^pid:\[[0-9]+\] process "nsdiscover" \(1\).*, 1 process$'
}

@test "levels: nobody with only CAP_SYS_PTRACE (ambient) sees what root sees" {
	local name
	fixture_level
	unprivileged_copy
	for name in "${TOOLS[@]}"; do
		run_as "as_nobody_ptrace $UNPRIV_DIR" "$name" --treestyle=ascii
		[ "$ST" -eq 0 ] || { show "$T/err"; false; }
		only_warning "$name" "$T/err"
		run grep -c 'without CAP_SYS_PTRACE' "$T/err"
		assert_output 0
		level_view "$name" all
	done
}

@test "levels: nobody with only CAP_SYS_PTRACE reads other users' fds through fdinfo, without the fd clause" {
	local name
	fixture_fd
	fixture_thread_fd
	unprivileged_copy
	for name in "${TOOLS[@]}"; do
		run_as "as_nobody_ptrace $UNPRIV_DIR" "$name" --treestyle=ascii
		[ "$ST" -eq 0 ] || { show "$T/err"; false; }
		only_warning "$name" "$T/err"
		run grep -c 'open fds' "$T/err"
		assert_output 0
	done
	run_as "as_nobody_ptrace $UNPRIV_DIR" nsdiscover --treestyle=ascii
	node_line "$T/out" "net:[$NET_FD] held by fd 7 of \"sleep\" ($FD_HOLDER)" ||
		{ show "$T/out"; false; }
	node_line "$T/out" "net:[$NET_TFD] held by fd $TFD_FD of " ||
		{ show "$T/out"; false; }
	# and without CAP_SYS_PTRACE, the fds of root's processes are not read
	run_as "as_nobody $UNPRIV_DIR" nsdiscover --treestyle=ascii
	! grep -qF "net:[$NET_FD]" "$T/out"
}

# RECORD_EXEC: for sh -c "..." DIR TOOL ARGS...: records the shell's 8
# namespaces in DIR/ns ("TYPE INODE" lines), then execs TOOL ARGS with
# stdout in DIR/out and stderr in DIR/err.
RECORD_EXEC='dir=$0
	for t in cgroup ipc mnt net pid time user uts; do
		echo "$t $(stat -L -c %i /proc/$$/ns/$t)"
	done >"$dir/ns"
	exec "$@" >"$dir/out" 2>"$dir/err"'

@test "levels: root of a fresh user and PID namespace with its own /proc sees it all, without a warning" {
	local name t
	fixture_level
	for name in "${TOOLS[@]}"; do
		rm -f "$T/ns" "$T/out" "$T/err"
		ST=0
		timeout -k 5 60 unshare -Urpf --mount-proc sh -c "$RECORD_EXEC" "$T" \
			"$NSTOOLS_BIN/$name" --treestyle=ascii || ST=$?
		[ "$ST" -eq 0 ] || { echo "$name: exit $ST" >&2; show "$T/err"; false; }
		# nothing is missing in there: no warning at all
		[ ! -s "$T/err" ] || { show "$T/err"; false; }
		own() { awk -v t="$1" '$1 == t { print $2 }' "$T/ns"; }
		[ "$(own user)" != "$INIT_USERNS" ]
		[ "$(own pid)" != "$INIT_PIDNS" ]
		case $name in
		nsdiscover)
			for t in cgroup ipc mnt net pid time user uts; do
				node_line "$T/out" "$t:[$(own "$t")] process \"nsdiscover\" (1)"
			done
			# owned by ours, or by a user namespace not visible from here
			node_line "$T/out" "mnt:[$(own mnt)] "
			grep -qx "   o- pid:\[$(own pid)\] owned by user:\[$(own user)\]" "$T/out"
			run grep -F "owned by user:[$INIT_USERNS]" "$T/out"
			assert_failure 1
			;;
		# one line each, but for pidtree, its own process (in whatever
		# cgroup the test runs)
		lsuserns)
			# and the host's cgroup, ipc, net, time and uts
			# namespaces, whose owner it cannot learn (and those
			# bind-mounted on the host, whose mounts it copied)
			run cat "$T/out"
			assert_line --index 0 --regexp "^user:\\[$(own user)\\] process \"lsuserns\" \\(1\\)( controlled by \".*\")? created by UID 0 \\(\"root\"\\)\$"
			assert_line --index 1 --regexp "^owner unknown, [0-9]+ namespaces\$"
			[ "$(cut -d' ' -f3 <<<"${lines[1]}")" -ge 5 ]
			[ "${#lines[@]}" -eq 2 ]
			;;
		lspidns)
			run cat "$T/out"
			assert_output --regexp "^pid:\\[$(own pid)\\] process \"lspidns\" \\(1\\)( controlled by \".*\")?\$"
			;;
		pidtree)
			run cat "$T/out"
			assert_line --index 0 "pid:[$(own pid)], owned by UID 0 (\"root\")"
			assert_line --index 1 --regexp "^\`- \"pidtree\" \\(1\\)( controlled by \".*\")?\$"
			[ "${#lines[@]}" -eq 2 ]
			;;
		esac
		# the namespaces outside are neither shown nor marked
		for t in "$LVL_NET" "$LVL_USER" "$LVL_PIDNS" "$INIT_USERNS" "$INIT_PIDNS"; do
			run grep -F "[$t]" "$T/out"
			assert_failure 1
		done
	done
	# and the dump says why: nothing inaccessible, no warning
	unshare -Urpf --mount-proc sh -c "$RECORD_EXEC" "$T" "$NSDISCOVER" --json
	[ ! -s "$T/err" ]
	jq -e --argjson u "$(awk '$1 == "user" { print $2 }' "$T/ns")" '.discovery
		| del(.passes, .pidns) == {"pid": 1, "cap-sys-ptrace": true,
		  "inaccessible": 0, "unread": $none,
		  "mount-namespaces-tried": {"listmount": 0, "entering": 0},
		  "warnings": []}' \
		--argjson none "$NOTHING_UNREAD" "$T/out"
	jq -e --argjson u "$(awk '$1 == "user" { print $2 }' "$T/ns")" \
		'."user-ns-roots" == [$u] and (.processes | keys) == ["1"]' "$T/out"
}

# socket_source PID FD: the socket source of fd FD of PID, as JSON.
socket_source() {
	jq -cn --argjson p "$1" --argjson f "$2" '[{kind: "socket", pid: $p, fd: $f}]'
}

@test "sockets: nobody with only CAP_SYS_PTRACE finds a net ns root made, held only by a socket, by its id; root by inode, with that id" {
	local src name
	fixture_socket_nobody
	[ "$NET_SOCK_ID" != 0 ] || skip "the kernel has no NS_GET_ID (Linux 6.18)"
	src=$(socket_source "$SOCK_HOLDER" "$SOCK_FD")
	unprivileged_copy
	# nobody may not ask SIOCGSKNS (CAP_NET_ADMIN over root's namespace),
	# but the socket's cookie is the namespace's id
	run_as "as_nobody_ptrace $UNPRIV_DIR" nsdiscover --json
	[ "$ST" -eq 0 ] || { show "$T/err"; false; }
	install -m 0644 "$T/out" "$UNPRIV_DIR/nobody.json"
	check_dump "$UNPRIV_DIR/nobody.json" "nobody with CAP_SYS_PTRACE"
	jq -e --arg k "id:$NET_SOCK_ID" --argjson id "$NET_SOCK_ID" \
		--argjson src "$src" --arg i "$NET_SOCK" '
		(.namespaces | has($i) | not) and (.namespaces[$k]
		| .type == "net" and .id == $id and (has("nsid") | not)
		  and (has("owner") | not) and .sources == $src)' \
		"$UNPRIV_DIR/nobody.json" >/dev/null
	# every view takes it, live and loaded; nsdiscover names it by its id
	for name in "${TOOLS[@]}"; do
		run_as "as_nobody_ptrace $UNPRIV_DIR" "$name" --treestyle=ascii
		[ "$ST" -eq 0 ] || { show "$T/err"; false; }
		only_warning "$name" "$T/err"
		run_as "as_nobody_ptrace $UNPRIV_DIR" "$name" \
			--load "$UNPRIV_DIR/nobody.json"
		[ "$ST" -eq 0 ] || { show "$T/err"; false; }
	done
	run_as "as_nobody_ptrace $UNPRIV_DIR" nsdiscover -t net --treestyle=ascii
	none_counted <"$T/out" |
		grep -qxF "net:id:$NET_SOCK_ID held by socket fd $SOCK_FD of \"sockns\" ($SOCK_HOLDER), 0 processes" ||
		{ show "$T/out"; false; }

	# root asks SIOCGSKNS: the same namespace, by inode, with that id
	"$NSDISCOVER" --json >"$T/root.json"
	jq -e --arg k "id:$NET_SOCK_ID" --argjson id "$NET_SOCK_ID" \
		--argjson src "$src" --arg i "$NET_SOCK" '
		(.namespaces | has($k) | not) and (.namespaces[$i]
		| .type == "net" and .id == $id and .sources == $src)' \
		"$T/root.json" >/dev/null

	# with the older ways alone, the socket stays unasked, and counted
	NSTOOLS_FALLBACKS_ONLY=1 run_as "as_nobody_ptrace $UNPRIV_DIR" nsdiscover --json
	[ "$ST" -eq 0 ] || { show "$T/err"; false; }
	jq -e --arg k "id:$NET_SOCK_ID" --arg i "$NET_SOCK" '
		(.namespaces | has($k) or has($i) | not)
		and .discovery.unread.sockets >= 1' "$T/out" >/dev/null
}

@test "sockets: nobody with only CAP_SYS_PTRACE finds a net ns held only by a root process's socket, by its id" {
	fixture_socket
	[ "$NET_SOCK_ID" != 0 ] || skip "the kernel has no NS_GET_ID (Linux 6.18)"
	unprivileged_copy
	# its fds are read through fdinfo and copies; its socket by its cookie
	run_as "as_nobody_ptrace $UNPRIV_DIR" nsdiscover --json
	[ "$ST" -eq 0 ] || { show "$T/err"; false; }
	jq -e --arg k "id:$NET_SOCK_ID" --argjson id "$NET_SOCK_ID" \
		--argjson src "$(socket_source "$SOCK_HOLDER" "$SOCK_FD")" \
		--arg i "$NET_SOCK" '(.namespaces | has($i) | not)
		and .namespaces[$k].id == $id and .namespaces[$k].sources == $src' \
		"$T/out" >/dev/null
}
