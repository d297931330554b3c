#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Complete discovery: namespaces that no process is in, found through the
# bind mounts of every mount namespace, the open fds and sockets of every
# process, and as the parent or owner of another namespace.

load common
load sources

setup() {
	sources_setup
}

teardown() {
	sources_teardown
}

@test "sources: net ns bind-mounted in our own mount namespace" {
	fixture_bind_own
	dump
	has_ns "$NET_OWN"
	ns_field "$NET_OWN" type '"net"'
	ns_field "$NET_OWN" owner "$INIT_USERNS"
	has_source "$NET_OWN" "{\"kind\":\"bindmount\",\"path\":\"$NET_OWN_PATH\",\"mntns\":$OWN_MNTNS}"
	no_process "$NET_OWN"
	# our mount namespace is nsdiscover's
	q --argjson m "$OWN_MNTNS" \
		'.processes[.discovery.pid | tostring].namespaces.mnt == $m'
	ns_field "$NET_OWN" 'reference | length' 2
	ns_field "$NET_OWN" 'reference[1]' "\"$NET_OWN_PATH\""
	ref_starts_in_mntns "$NET_OWN" "$OWN_MNTNS"
	ref_opens "$NET_OWN"
}

@test "sources: net ns made by ip netns add" {
	fixture_ip_netns
	dump
	has_ns "$NET_IP"
	ns_field "$NET_IP" type '"net"'
	ns_field "$NET_IP" owner "$INIT_USERNS"
	has_source "$NET_IP" "{\"kind\":\"bindmount\",\"path\":\"$NET_IP_PATH\",\"mntns\":$OWN_MNTNS}"
	no_process "$NET_IP"
	ns_field "$NET_IP" 'reference | length' 2
	ns_field "$NET_IP" 'reference[1]' "\"$NET_IP_PATH\""
	ref_starts_in_mntns "$NET_IP" "$OWN_MNTNS"
	ref_opens "$NET_IP"
}

@test "sources: net ns held only by an fd of another process" {
	fixture_fd
	dump
	has_ns "$NET_FD"
	ns_field "$NET_FD" type '"net"'
	ns_field "$NET_FD" owner "$INIT_USERNS"
	has_source "$NET_FD" "{\"kind\":\"fd\",\"pid\":$FD_HOLDER,\"fd\":7}"
	no_process "$NET_FD"
	ns_field "$NET_FD" reference "[\"/proc/$FD_HOLDER/fd/7\"]"
	ref_opens "$NET_FD"
}

@test "sources: net ns held only by an fd of a thread with its own fd table" {
	fixture_thread_fd
	[ "$TFD_TID" != "$TFD_HOLDER" ]
	# not in the fd table of the process's main thread
	[ ! -e "/proc/$TFD_HOLDER/fd/$TFD_FD" ] ||
		[ "$(stat -L -c %i "/proc/$TFD_HOLDER/fd/$TFD_FD")" != "$NET_TFD" ]
	dump
	has_ns "$NET_TFD"
	ns_field "$NET_TFD" type '"net"'
	ns_field "$NET_TFD" owner "$INIT_USERNS"
	has_source "$NET_TFD" "{\"kind\":\"fd\",\"pid\":$TFD_HOLDER,\"tid\":$TFD_TID,\"fd\":$TFD_FD}"
	no_process "$NET_TFD"
	ns_field "$NET_TFD" reference "[\"/proc/$TFD_HOLDER/task/$TFD_TID/fd/$TFD_FD\"]"
	ref_opens "$NET_TFD"
}

@test "sources: net ns held only by an fd opened through a bind mount since removed" {
	fixture_fd_bind
	[ "$(readlink "/proc/$FDB_HOLDER/fd/6")" = / ]
	dump
	has_ns "$NET_FDB"
	ns_field "$NET_FDB" type '"net"'
	has_source "$NET_FDB" "{\"kind\":\"fd\",\"pid\":$FDB_HOLDER,\"fd\":6}"
	no_process "$NET_FDB"
	ref_opens "$NET_FDB"
}

@test "sources: net ns held only by a socket" {
	fixture_socket
	# the helper is back in our net ns; its socket is not
	[ "$(ns_ino "$SOCK_HOLDER" net)" = "$(ns_ino $$ net)" ]
	[ "$NET_SOCK" != "$(ns_ino $$ net)" ]
	dump
	has_ns "$NET_SOCK"
	ns_field "$NET_SOCK" type '"net"'
	ns_field "$NET_SOCK" owner "$INIT_USERNS"
	# its ID is the one the kernel gives it (NS_GET_ID, Linux 6.18)
	[ "$NET_SOCK_ID" = 0 ] || ns_field "$NET_SOCK" id "$NET_SOCK_ID"
	has_source "$NET_SOCK" "{\"kind\":\"socket\",\"pid\":$SOCK_HOLDER,\"fd\":$SOCK_FD}"
	no_process "$NET_SOCK"
	ns_field "$NET_SOCK" reference "[\"/proc/$SOCK_HOLDER/fd/$SOCK_FD\"]"
	# a socket in the net ns of its process is no source of it
	q '. as $d | all(.namespaces | to_entries[] | .key as $k |
	       .value.sources[] | select(.kind == "socket") |
	       {ns: ($k | tonumber), pid};
	       $d.processes[.pid | tostring].namespaces.net != .ns)' >/dev/null
}

@test "sources: net ns bind-mounted only in another process's mount namespace" {
	fixture_bind_private
	# the tmpfs and the bind mount exist only in that mount namespace
	[ "$MNT_PRIV" != "$OWN_MNTNS" ]
	[ ! -e "$NET_PRIV_PATH" ]
	[ -z "$(findmnt -rn -o TARGET | grep -F "$FIX/private")" ]
	dump
	has_ns "$NET_PRIV"
	ns_field "$NET_PRIV" type '"net"'
	ns_field "$NET_PRIV" owner "$INIT_USERNS"
	has_source "$NET_PRIV" "{\"kind\":\"bindmount\",\"path\":\"$NET_PRIV_PATH\",\"mntns\":$MNT_PRIV}"
	no_process "$NET_PRIV"
	# not in our mount namespace
	q --arg i "$NET_PRIV" --argjson m "$OWN_MNTNS" \
		'all(.namespaces[$i].sources[]; .mntns != $m)' >/dev/null
	ns_field "$NET_PRIV" 'reference | length' 2
	ns_field "$NET_PRIV" 'reference[1]' "\"$NET_PRIV_PATH\""
	ref_starts_in_mntns "$NET_PRIV" "$MNT_PRIV"
	ref_opens "$NET_PRIV"
}

@test "sources: process-less mount namespace holding a bind-mounted net ns" {
	fixture_loose_mntns
	[ ! -e "$NET_LOOSE_PATH" ]
	[ -z "$(findmnt -rn -o TARGET | grep -F "$FIX/loose-inner")" ]
	dump
	# the mount namespace, bind-mounted here
	has_ns "$MNT_LOOSE"
	ns_field "$MNT_LOOSE" type '"mnt"'
	ns_field "$MNT_LOOSE" owner "$INIT_USERNS"
	has_source "$MNT_LOOSE" "{\"kind\":\"bindmount\",\"path\":\"$MNT_LOOSE_PATH\",\"mntns\":$OWN_MNTNS}"
	no_process "$MNT_LOOSE"
	ns_field "$MNT_LOOSE" 'reference | length' 2
	ns_field "$MNT_LOOSE" 'reference[1]' "\"$MNT_LOOSE_PATH\""
	ref_starts_in_mntns "$MNT_LOOSE" "$OWN_MNTNS"
	ref_opens "$MNT_LOOSE"
	# the net namespace, bind-mounted in it
	has_ns "$NET_LOOSE"
	ns_field "$NET_LOOSE" type '"net"'
	ns_field "$NET_LOOSE" owner "$INIT_USERNS"
	has_source "$NET_LOOSE" "{\"kind\":\"bindmount\",\"path\":\"$NET_LOOSE_PATH\",\"mntns\":$MNT_LOOSE}"
	no_process "$NET_LOOSE"
	ns_field "$NET_LOOSE" 'reference | length' 3
	ns_field "$NET_LOOSE" 'reference[1:]' "[\"$MNT_LOOSE_PATH\",\"$NET_LOOSE_PATH\"]"
	ref_starts_in_mntns "$NET_LOOSE" "$OWN_MNTNS"
	ref_opens "$NET_LOOSE"
}

@test "sources: fd-held process-less mount namespace holding a bind-mounted net ns" {
	fixture_fd_mntns
	[ ! -e "$NET_FDM_PATH" ]
	[ -z "$(findmnt -rn -o TARGET | grep -F "$FIX/fdm-inner")" ]
	dump
	# the mount namespace, held by an fd
	has_ns "$MNT_FDM"
	ns_field "$MNT_FDM" type '"mnt"'
	ns_field "$MNT_FDM" owner "$INIT_USERNS"
	has_source "$MNT_FDM" "{\"kind\":\"fd\",\"pid\":$FDM_HOLDER,\"fd\":5}"
	no_process "$MNT_FDM"
	ns_field "$MNT_FDM" reference "[\"/proc/$FDM_HOLDER/fd/5\"]"
	ref_opens "$MNT_FDM"
	# the net namespace, bind-mounted in it
	has_ns "$NET_FDM"
	ns_field "$NET_FDM" type '"net"'
	ns_field "$NET_FDM" owner "$INIT_USERNS"
	has_source "$NET_FDM" "{\"kind\":\"bindmount\",\"path\":\"$NET_FDM_PATH\",\"mntns\":$MNT_FDM}"
	no_process "$NET_FDM"
	ns_field "$NET_FDM" reference "[\"/proc/$FDM_HOLDER/fd/5\",\"$NET_FDM_PATH\"]"
	ref_opens "$NET_FDM"
}

@test "sources: bind-mounted PID namespace with a hidden parent" {
	fixture_pid_nested
	dump
	# the bind-mounted one
	has_ns "$PID_INNER"
	ns_field "$PID_INNER" type '"pid"'
	ns_field "$PID_INNER" owner "$INIT_USERNS"
	ns_field "$PID_INNER" parent "$PID_OUTER"
	has_source "$PID_INNER" "{\"kind\":\"bindmount\",\"path\":\"$PID_INNER_PATH\",\"mntns\":$OWN_MNTNS}"
	no_process "$PID_INNER"
	q --arg i "$PID_INNER" '.namespaces[$i].hidden // false | not' >/dev/null
	ns_field "$PID_INNER" 'reference[1:]' "[\"$PID_INNER_PATH\"]"
	ref_opens "$PID_INNER"
	# its parent, known only as such
	has_ns "$PID_OUTER"
	ns_field "$PID_OUTER" type '"pid"'
	ns_field "$PID_OUTER" hidden true
	ns_field "$PID_OUTER" sources "[{\"kind\":\"parent\",\"of\":$PID_INNER}]"
	ns_field "$PID_OUTER" children "[$PID_INNER]"
	ns_field "$PID_OUTER" parent "$INIT_PIDNS"
	ns_field "$PID_OUTER" owner "$INIT_USERNS"
	no_process "$PID_OUTER"
	# and the initial one knows it as a child
	q --arg i "$INIT_PIDNS" --argjson c "$PID_OUTER" \
		'.namespaces[$i].children | index($c) != null' >/dev/null
}

@test "sources: net ns owned by a process-less user namespace" {
	fixture_userns_owned
	[ "$USERNS" != "$INIT_USERNS" ]
	dump
	has_ns "$NET_USERNS"
	ns_field "$NET_USERNS" type '"net"'
	ns_field "$NET_USERNS" owner "$USERNS"
	has_source "$NET_USERNS" "{\"kind\":\"bindmount\",\"path\":\"$NET_USERNS_PATH\",\"mntns\":$OWN_MNTNS}"
	no_process "$NET_USERNS"
	ref_opens "$NET_USERNS"
	# its owner, known only as such
	has_ns "$USERNS"
	ns_field "$USERNS" type '"user"'
	ns_field "$USERNS" hidden true
	ns_field "$USERNS" sources "[{\"kind\":\"owner\",\"of\":$NET_USERNS}]"
	ns_field "$USERNS" parent "$INIT_USERNS"
	no_process "$USERNS"
	q --arg i "$INIT_USERNS" --argjson c "$USERNS" \
		'.namespaces[$i].children | index($c) != null' >/dev/null
}

# The namespaces of fixture_all, by the name of their variable.
ALL_NS=(NET_OWN NET_FD NET_TFD NET_FDB NET_SOCK NET_PRIV MNT_PRIV MNT_LOOSE
	NET_LOOSE MNT_FDM NET_FDM PID_INNER PID_OUTER NET_USERNS USERNS)

# expect_missing NAME...: every namespace of ALL_NS is in the last dump but
# those NAMEd, which are not; a NAME written ?NAME may be either.
expect_missing() {
	local name status=0
	for name in "${ALL_NS[@]}"; do
		if [[ " $* " == *" ?$name "* ]]; then
			continue
		elif [[ " $* " == *" $name "* ]]; then
			lacks_ns "${!name}" ||
				{ echo "$name (${!name}) found" >&2; status=1; }
		else
			has_ns "${!name}" >/dev/null ||
				{ echo "$name (${!name}) missing" >&2; status=1; }
		fi
	done
	return "$status"
}

# expect_passes TASKS FDS SOCKETS MOUNTS [CONTAINERS]: CONTAINERS true
# unless said
expect_passes() {
	local want="{\"tasks\":$1,\"fds\":$2,\"sockets\":$3,\"mounts\":$4,"
	want+="\"containers\":${5:-true}}"
	q --argjson p "$want" '.discovery.passes == $p' >/dev/null ||
		{ echo "passes: $(q -c .discovery.passes), expected $want" >&2
		  return 1; }
}

@test "sources: all found with every pass" {
	fixture_all
	dump
	expect_passes true true true true
	expect_missing
}

@test "sources: --no-fds drops the fd- and socket-held namespaces" {
	fixture_all
	dump --no-fds
	expect_passes true false false true
	# NET_FDM is bind-mounted in the fd-held MNT_FDM, which the kernel's
	# list of mount namespaces finds all the same (see below)
	expect_missing NET_FD NET_TFD NET_FDB NET_SOCK '?MNT_FDM' '?NET_FDM'
	q '[.namespaces[].sources[] | select(.kind == "fd" or .kind == "socket")]
	   == []' >/dev/null
}

@test "sources: --no-sockets drops the socket-held namespace only" {
	fixture_all
	dump --no-sockets
	expect_passes true true false true
	expect_missing NET_SOCK
	q '[.namespaces[].sources[] | select(.kind == "socket")] == []' >/dev/null
}

@test "sources: --no-mounts drops the bind-mounted namespaces" {
	fixture_all
	dump --no-mounts
	expect_passes true true true false
	# MNT_PRIV has a process, MNT_FDM an fd; what is bind-mounted, and
	# what only they lead to (parent, owner), goes
	expect_missing NET_OWN NET_PRIV MNT_LOOSE NET_LOOSE NET_FDM \
		PID_INNER PID_OUTER NET_USERNS USERNS
	q '[.namespaces[].sources[] | select(.kind == "bindmount")] == []' \
		>/dev/null
}

@test "sources: --no-tasks is recorded and keeps the other sources" {
	fixture_all
	dump --no-tasks
	expect_passes false true true true
	# the fd table of a thread of its own is one of the threads' things
	# not read then: NET_TFD may go either way
	expect_missing '?NET_TFD'
}

@test "sources: --no-containers is recorded and keeps every source" {
	fixture_all
	dump --no-containers
	expect_passes true true true true false
	expect_missing
}

# lsns_all FILE: every namespace (inode) that lsns -J --tree=owner reports,
# sorted, one a line, into FILE. lsns of util-linux 2.38 gives up (status 1,
# no message) when a process has a ")" in its name, as other things on the
# machine may run: lsns runs in a mount namespace of its own where the
# /proc/PID of those processes is hidden under an empty directory (their
# namespaces are then not compared), and that mount namespace is left out.
# Retried for up to 10 s, for such processes that start meanwhile.
lsns_all() {
	mkdir -p "$BATS_TEST_TMPDIR/empty"
	wait_for unshare --mount --propagation private sh -c '
		for comm in /proc/[0-9]*/comm; do
			case $(cat "$comm" 2>/dev/null) in
			*")"*) mount --bind "$1" "${comm%/comm}" 2>/dev/null &&
				echo "${comm%/comm}" >>"$0.hidden" ;;
			esac
		done
		stat -L -c %i /proc/self/ns/mnt >"$0.self" &&
		exec lsns -J --tree=owner >"$0.json" 2>"$0.err"' \
		"$1" "$BATS_TEST_TMPDIR/empty" || return 1
	jq -r '[.. | .ns? // empty] | unique[] | tostring' "$1.json" |
		grep -vx "$(cat "$1.self")" | sort >"$1"
}

@test "sources: every namespace lsns reports is found" {
	fixture_all
	# Other things may run on this machine and come and go: only the
	# namespaces lsns reports both before and after the dump count.
	lsns_all "$BATS_TEST_TMPDIR/lsns1"
	dump
	lsns_all "$BATS_TEST_TMPDIR/lsns2"
	comm -12 "$BATS_TEST_TMPDIR/lsns1" "$BATS_TEST_TMPDIR/lsns2" \
		>"$BATS_TEST_TMPDIR/lsns"
	q -r '.namespaces | keys[]' | sort >"$BATS_TEST_TMPDIR/ours"
	# lsns (2.38) lists the namespaces of processes only (with their
	# owners), so of the fixtures it sees the mount namespace with a process
	grep -qx "$MNT_PRIV" "$BATS_TEST_TMPDIR/lsns"
	missing=$(comm -23 "$BATS_TEST_TMPDIR/lsns" "$BATS_TEST_TMPDIR/ours")
	[ -z "$missing" ] || { echo "lsns reports, nsdiscover misses:" $missing >&2; false; }
	extra=$(comm -13 "$BATS_TEST_TMPDIR/lsns" "$BATS_TEST_TMPDIR/ours" | wc -l)
	echo "# nsdiscover finds $(wc -l <"$BATS_TEST_TMPDIR/ours") namespaces, lsns $(wc -l <"$BATS_TEST_TMPDIR/lsns"); $extra found by nsdiscover only" >&3
	if [ -s "$BATS_TEST_TMPDIR/lsns1.hidden" ] ||
	   [ -s "$BATS_TEST_TMPDIR/lsns2.hidden" ]; then
		echo "# (hidden from lsns, which cannot parse their names:" \
			$(sort -u "$BATS_TEST_TMPDIR"/lsns?.hidden) ")" >&3
	fi
}

# The fd-held namespaces of the fixtures below, by variable, and what holds
# each: "PID FD" or "PID TID FD".
fd_fixtures() {
	fixture_fd
	fixture_thread_fd
	fixture_fd_bind
	fixture_fd_mntns
	FD_HELD=(NET_FD NET_TFD NET_FDB MNT_FDM)
	declare -gA FD_SOURCE=(
		[NET_FD]="{\"kind\":\"fd\",\"pid\":$FD_HOLDER,\"fd\":7}"
		[NET_TFD]="{\"kind\":\"fd\",\"pid\":$TFD_HOLDER,\"tid\":$TFD_TID,\"fd\":$TFD_FD}"
		[NET_FDB]="{\"kind\":\"fd\",\"pid\":$FDB_HOLDER,\"fd\":6}"
		[MNT_FDM]="{\"kind\":\"fd\",\"pid\":$FDM_HOLDER,\"fd\":5}")
}

# ns_summary INO: its type, owner and fd sources in the last dump, one line.
ns_summary() {
	q -c --arg i "$1" '.namespaces[$i] | [.type, .owner,
		[.sources[] | select(.kind == "fd")]]'
}

@test "sources: nobody with only CAP_SYS_PTRACE finds fd-held namespaces through fdinfo, as root does" {
	local name got
	fd_fixtures
	dump
	declare -A as_root
	for name in "${FD_HELD[@]}"; do
		as_root[$name]=$(ns_summary "${!name}")
	done
	dump_ptrace
	for name in "${FD_HELD[@]}"; do
		has_source "${!name}" "${FD_SOURCE[$name]}"
		no_process "${!name}"
		got=$(ns_summary "${!name}")
		[ "$got" = "${as_root[$name]}" ] ||
			{ echo "$name as nobody: $got, as root: ${as_root[$name]}" >&2
			  false; }
	done
}

@test "sources: NSTOOLS_FALLBACKS_ONLY: nobody with only CAP_SYS_PTRACE counts the fd tables unread; root finds the same" {
	local name
	fd_fixtures
	NSTOOLS_FALLBACKS_ONLY=1 dump_ptrace
	for name in NET_FD NET_TFD NET_FDB; do
		lacks_ns "${!name}" || { echo "$name found" >&2; false; }
	done
	q '.discovery.unread."fd-tables" >= 4' >/dev/null
	grep -q 'the open fds of' "$BATS_TEST_TMPDIR/stderr"
	# root reads the links: the same fd-, socket- and bind-mount-held
	# namespaces either way, by whatever the fixtures hold
	fixture_socket
	fixture_loose_mntns
	local holders="$FD_HOLDER $TFD_HOLDER $FDB_HOLDER $FDM_HOLDER $SOCK_HOLDER"
	local filter='[.namespaces | to_entries[] | .key as $k | .value.sources[]
		| select((.kind == "fd" or .kind == "socket") and
			 (.pid | tostring | IN($h | split(" ")[])) or
			 (.kind == "bindmount" and (.path | startswith($f))))
		| {ns: $k} + .] | sort'
	dump
	q -c --arg h "$holders" --arg f "$FIX/" "$filter" >"$BATS_TEST_TMPDIR/new"
	NSTOOLS_FALLBACKS_ONLY=1 dump
	q -c --arg h "$holders" --arg f "$FIX/" "$filter" >"$BATS_TEST_TMPDIR/old"
	diff "$BATS_TEST_TMPDIR/old" "$BATS_TEST_TMPDIR/new" >&2
	[ "$(jq length "$BATS_TEST_TMPDIR/new")" -ge 7 ]
}

# copies_of TRACE PID: for the strace -ff files TRACE.TID of a discovery,
# "TID FD COPY CLOSED" for every pidfd_getfd of fd FD of process PID (its
# pidfd from pidfd_open(PID, 0)): COPY the fd it gave, CLOSED 1 when that
# thread closed it before taking any other copy, else 0.
copies_of() {
	local f
	for f in "$1".*; do
		awk -v pid="$2" -v tid="${f##*.}" '
		function num(s) { gsub(/[^0-9-]/, "", s); return s + 0 }
		/^pidfd_open\(/ { split($0, a, /[(,)=]/)
			if (num(a[2]) == pid && num(a[3]) == 0 && num(a[5]) >= 0)
				pidfd[num(a[5])] = 1 }
		/^pidfd_getfd\(/ { split($0, a, /[(,)=]/)
			if (open != "") { print tid, fd, open, 0; open = "" }
			if (num(a[2]) in pidfd && num(a[6]) >= 0) {
				fd = num(a[3]); open = num(a[6]) } }
		/^close\(/ { split($0, a, /[()]/); n = num(a[2])
			if (open != "" && n == open) { print tid, fd, open, 1; open = "" }
			delete pidfd[n] }
		/^close_range\(/ { split($0, a, /[(,)]/)
			if (open != "" && open >= num(a[2]) && open <= num(a[3])) {
				print tid, fd, open, 1; open = "" }
			for (n in pidfd)
				if (n + 0 >= num(a[2]) && n + 0 <= num(a[3]))
					delete pidfd[n] }
		END { if (open != "") print tid, fd, open, 0 }' "$f"
	done
}

@test "sources: nobody with only CAP_SYS_PTRACE copies only namespace fds, and closes each copy at once" {
	fixture_fd_bind
	dump_ptrace
	has_source "$NET_FDB" "{\"kind\":\"fd\",\"pid\":$FDB_HOLDER,\"fd\":6}"
	# LeakSanitizer cannot run under strace (it ptraces at exit)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		timeout -k 5 60 strace -ff -qq -o "$BATS_TEST_TMPDIR/trace" \
		-e trace=pidfd_open,pidfd_getfd,close,close_range \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace \
		"$FIX/bin/nsdiscover" --json >/dev/null 2>&1
	run copies_of "$BATS_TEST_TMPDIR/trace" "$FDB_HOLDER"
	# fd 6, the namespace, is copied and the copy closed at once; fd 8,
	# the pipe's write end, and the rest are left alone
	assert_output --regexp '^[0-9]+ 6 [0-9]+ 1$'
	# its reader is still waiting: the pipe is only the holder's
	[ -d "/proc/$(cat "$FIX/fdb-reader")" ]
}

# The fixtures' mount namespaces, as a JSON array: bind mounts in others
# (a copy of ours that something else on the machine made meanwhile) are
# not the fixtures' and may come and go between two dumps.
fixture_mntns() {
	echo "[$OWN_MNTNS,$MNT_PRIV,$MNT_LOOSE,$MNT_FDM]"
}

# fixture_entries FILE: the entries of the namespaces of ALL_NS in dump
# FILE, without what depends on the processes of the moment, one a line.
fixture_entries() {
	local name
	for name in "${ALL_NS[@]}"; do
		jq -c --arg i "${!name}" --argjson m "$(fixture_mntns)" '
			.namespaces[$i] | {type, owner, parent, hidden,
			sources: [.sources[] | select(.kind != "bindmount" or
						      (.mntns | IN($m[])))]}' "$1"
	done
}

@test "sources: listmount and the child that enters find the same" {
	fixture_all
	dump
	mv "$BATS_TEST_TMPDIR/dump.json" "$BATS_TEST_TMPDIR/listmount.json"
	NSTOOLS_FALLBACKS_ONLY=1 dump
	fixture_entries "$BATS_TEST_TMPDIR/listmount.json" >"$BATS_TEST_TMPDIR/listmount"
	fixture_entries "$BATS_TEST_TMPDIR/dump.json" >"$BATS_TEST_TMPDIR/entering"
	diff -u "$BATS_TEST_TMPDIR/entering" "$BATS_TEST_TMPDIR/listmount"
	# both read every fixture's mount namespace
	for f in "$BATS_TEST_TMPDIR/listmount.json" "$BATS_TEST_TMPDIR/dump.json"; do
		jq -e '.discovery["mount-namespaces-tried"] ==
		       {"listmount": 0, "entering": 0}' "$f" >/dev/null
	done
}

@test "sources: a mount namespace that only the kernel's list leads to" {
	fixture_fd_mntns
	# its one holder is an fd, which --no-fds leaves unread
	dump --no-fds
	ns_field "$MNT_FDM" sources '[{"kind":"listed"}]'
	ns_field "$MNT_FDM" type '"mnt"'
	ns_field "$MNT_FDM" owner "$INIT_USERNS"
	q --arg i "$MNT_FDM" '.namespaces[$i].hidden // false | not' >/dev/null
	no_process "$MNT_FDM"
	# its mounts are read through the fd the kernel gave
	has_source "$NET_FDM" "{\"kind\":\"bindmount\",\"path\":\"$NET_FDM_PATH\",\"mntns\":$MNT_FDM}"
	ns_field "$NET_FDM" owner "$INIT_USERNS"
	"$NSDISCOVER" --no-fds >"$BATS_TEST_TMPDIR/out" 2>/dev/null
	grep -qF "mnt:[$MNT_FDM] listed by the kernel" "$BATS_TEST_TMPDIR/out" ||
		{ cat "$BATS_TEST_TMPDIR/out" >&2; false; }
	# with an other source, that one names it, and "listed" is left out
	dump
	ns_field "$MNT_FDM" sources "[{\"kind\":\"fd\",\"pid\":$FDM_HOLDER,\"fd\":5}]"
	# the older ways alone do not find it
	NSTOOLS_FALLBACKS_ONLY=1 dump --no-fds
	lacks_ns "$MNT_FDM"
	lacks_ns "$NET_FDM"
}

@test "sources: as nobody with CAP_SYS_PTRACE, listmount reads a mount namespace without processes" {
	fixture_loose_mntns
	fixture_fd_mntns
	dump_ptrace
	# held by another user's fd: the copy of that fd is read
	has_source "$MNT_FDM" "{\"kind\":\"fd\",\"pid\":$FDM_HOLDER,\"fd\":5}"
	has_source "$NET_FDM" "{\"kind\":\"bindmount\",\"path\":\"$NET_FDM_PATH\",\"mntns\":$MNT_FDM}"
	ns_field "$NET_FDM" owner null
	# bind-mounted under $FIX, which dump_ptrace lets nobody search
	has_source "$MNT_LOOSE" "{\"kind\":\"bindmount\",\"path\":\"$MNT_LOOSE_PATH\",\"mntns\":$OWN_MNTNS}"
	ns_field "$MNT_LOOSE" owner "$INIT_USERNS"
	has_source "$NET_LOOSE" "{\"kind\":\"bindmount\",\"path\":\"$NET_LOOSE_PATH\",\"mntns\":$MNT_LOOSE}"
	ns_field "$NET_LOOSE" type '"net"'
	# no fd of it can be had without entering: its owner stays unknown
	ns_field "$NET_LOOSE" owner null
	# the child alone cannot enter without CAP_SYS_ADMIN, and says so
	NSTOOLS_FALLBACKS_ONLY=1 dump_ptrace
	has_ns "$MNT_LOOSE"
	lacks_ns "$NET_LOOSE"
	lacks_ns "$NET_FDM"
	q '.discovery["mount-namespaces-tried"].entering >= 1' >/dev/null
	grep -qF 'without processes (tried entering: CAP_SYS_ADMIN would read them, or Linux 6.18 for listmount)' "$BATS_TEST_TMPDIR/stderr" ||
		{ cat "$BATS_TEST_TMPDIR/stderr" >&2; false; }
}

# The issue's own case, all at once: what root holds in an fd, in a socket
# and in a bind mount inside a mount namespace no process is in.
@test "sources: nobody with only CAP_SYS_PTRACE finds root's fd-, socket- and loose-mount-held namespaces, as root does by inode" {
	local id
	fixture_fd
	fixture_socket
	fixture_fd_mntns
	dump
	# as root by inode, with its ID (privileges.bats checks it is
	# NS_GET_ID's)
	id=$(q --arg i "$NET_SOCK" '.namespaces[$i].id')
	[ "$id" -gt 0 ]
	has_source "$NET_FD" "{\"kind\":\"fd\",\"pid\":$FD_HOLDER,\"fd\":7}"
	has_source "$NET_SOCK" "{\"kind\":\"socket\",\"pid\":$SOCK_HOLDER,\"fd\":$SOCK_FD}"
	has_source "$NET_FDM" "{\"kind\":\"bindmount\",\"path\":\"$NET_FDM_PATH\",\"mntns\":$MNT_FDM}"
	dump_ptrace
	# no clause of the warning is about fds, sockets or mounts
	! grep -E 'open fds|sockets|bind mounts' "$BATS_TEST_TMPDIR/stderr"
	has_source "$NET_FD" "{\"kind\":\"fd\",\"pid\":$FD_HOLDER,\"fd\":7}"
	has_source "$MNT_FDM" "{\"kind\":\"fd\",\"pid\":$FDM_HOLDER,\"fd\":5}"
	has_source "$NET_FDM" "{\"kind\":\"bindmount\",\"path\":\"$NET_FDM_PATH\",\"mntns\":$MNT_FDM}"
	# the socket's namespace: by its ID, with no inode made up
	has_source "id:$id" "{\"kind\":\"socket\",\"pid\":$SOCK_HOLDER,\"fd\":$SOCK_FD}"
	ns_field "id:$id" type '"net"'
	q --arg i "id:$id" '.namespaces[$i] | has("nsid") | not' >/dev/null
	lacks_ns "$NET_SOCK"
}
