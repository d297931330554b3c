# SPDX-License-Identifier: Apache-2.0
#
# Fixtures for nsdiscover-sources.bats: namespaces held by something other
# than a process (a bind mount, an fd, a socket, being the parent or owner
# of another namespace), and the checks made on them. Load after common.
#
# Every fixture lives under $FIX, a private temporary directory of the test;
# mounts made in the test's own mount namespace are listed in MOUNTED and
# undone by sources_teardown, which also kills what the test started.

# sources_setup: call from setup.
sources_setup() {
	FIX=$(mktemp -d /tmp/nst-sources.XXXXXX)
	MOUNTED=()
	NETNS_ADDED=()
	INIT_USERNS=$(ns_ino $$ user)
	INIT_PIDNS=$(ns_ino $$ pid)
	OWN_MNTNS=$(ns_ino $$ mnt)
}

# sources_teardown: call from teardown.
sources_teardown() {
	local i
	kill_started
	for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
		umount -R "${MOUNTED[i]}" 2>/dev/null ||
			umount -R -l "${MOUNTED[i]}" 2>/dev/null
	done
	MOUNTED=()
	for i in "${NETNS_ADDED[@]}"; do
		ip netns delete "$i" 2>/dev/null
	done
	NETNS_ADDED=()
	if [ -n "${FIX-}" ] && [ -d "$FIX" ]; then
		# anything still mounted below $FIX (a fixture that failed half
		# way) goes too, lazily, before the directory is removed
		findmnt -rn -o TARGET | grep -F "$FIX" | sort -r |
			while read -r i; do umount -l "$i"; done
		rm -rf --one-file-system "$FIX"
	fi
}

# private_tmpfs DIR: a fresh tmpfs on DIR (created), private so that
# nothing mounted below it propagates anywhere.
private_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs nst-sources "$1"
	MOUNTED+=("$1")
	mount --make-private "$1"
}

# tmpfs_net_code DIR NET INOFILE: shell code, for a sh -c in a mount
# namespace of its own, that mounts a tmpfs on DIR (so that it exists only
# there), bind-mounts a new net namespace on NET in it and writes that
# namespace's inode to INOFILE.
tmpfs_net_code() {
	printf "mount -t tmpfs nst-sources '%s' && touch '%s' &&
		unshare --net='%s' true && stat -L -c %%i '%s' >'%s'" \
		"$1" "$2" "$2" "$2" "$3"
}

# WRITE_PID: shell code for sh -c "...; $WRITE_PID; ..." FILE, that writes
# the (global) pid of the shell running it into FILE ($0), atomically. /proc/self is read by the shell itself
# (a redirection, no fork), and /proc is the host's, so the pid is the one
# seen from here even inside a new PID namespace.
WRITE_PID='read -r p _ </proc/self/stat && echo "$p" >"$0.tmp" && mv "$0.tmp" "$0"'

# gone PID: true when PID no longer exists (not even as a zombie).
gone() {
	[ ! -e "/proc/$1" ]
}

# exited PID: true when PID is gone or a zombie.
exited() {
	gone "$1" || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# stop_fixture LEAF [STARTED]: kills LEAF (a process of a fixture) and
# waits until it is gone; with STARTED (a pid given by start whose process
# tree ends in LEAF), that whole tree is stopped by common's stop, which
# reaps it at once: orphans would otherwise linger as zombies, still
# holding their PID namespace, until PID 1 reaps them. A STARTED that start
# did not give (a process further down) is waited for instead.
stop_fixture() {
	local leaf=$1 started=${2-}

	if [ -n "$started" ] && [ -n "${STARTED_REAPER[$started]-}" ]; then
		stop "$started" || return 1
	else
		kill -KILL "$leaf" 2>/dev/null
		[ -z "$started" ] || wait_for exited "$started" || return 1
	fi
	wait_for gone "$leaf"
}

# --- the fixtures: each sets the variables named in its comment ----------

# Case 1. NET_OWN: a net ns bind-mounted on $NET_OWN_PATH in the test's own
# mount namespace (unshare --net=FILE on a private tmpfs).
fixture_bind_own() {
	private_tmpfs "$FIX/own"
	NET_OWN_PATH=$FIX/own/net
	touch "$NET_OWN_PATH"
	unshare --net="$NET_OWN_PATH" true
	NET_OWN=$(stat -L -c %i "$NET_OWN_PATH")
}

# Case 1b. NET_IP: a net ns made by `ip netns add $NET_IP_NAME` (a name of
# this test), bind-mounted on $NET_IP_PATH.
fixture_ip_netns() {
	NET_IP_NAME=nst-sources-${FIX##*.}
	NETNS_ADDED+=("$NET_IP_NAME")
	ip netns add "$NET_IP_NAME"
	NET_IP_PATH=/run/netns/$NET_IP_NAME
	NET_IP=$(stat -L -c %i "$NET_IP_PATH")
}

# Case 2. NET_FD: a net ns held only by fd 7 of process FD_HOLDER.
fixture_fd() {
	local first
	start unshare --net sh -c "$WRITE_PID; exec sleep 1000" "$FIX/fd-first"
	first=$STARTED
	wait_file "$FIX/fd-first"
	NET_FD=$(ns_ino "$first" net)
	start bash -c "exec 7</proc/$first/ns/net; $WRITE_PID; exec sleep 1000" \
		"$FIX/fd-holder"
	FD_HOLDER=$STARTED
	wait_file "$FIX/fd-holder"
	stop_fixture "$first" "$first"
}

# Case 2b. NET_TFD: a net ns held only by fd TFD_FD of thread TFD_TID of
# process TFD_HOLDER, in a fd table of that thread's own (CLONE_FILES).
fixture_thread_fd() {
	local first
	start unshare --net sh -c "$WRITE_PID; exec sleep 1000" "$FIX/tfd-first"
	first=$STARTED
	wait_file "$FIX/tfd-first"
	NET_TFD=$(ns_ino "$first" net)
	start "$NSTOOLS_HELPERS/threadfd" "/proc/$first/ns/net" "$FIX/tfd-ready"
	wait_file "$FIX/tfd-ready"
	read -r TFD_HOLDER TFD_TID TFD_FD <"$FIX/tfd-ready"
	stop_fixture "$first" "$first"
}

# Case 2c. NET_FDB: a net ns held only by fd 6 of process FDB_HOLDER, opened
# through a bind mount that is gone since (its link reads "/"); fd 8 of
# FDB_HOLDER is the write end of a pipe, whose reader has written its pid
# to $FIX/fdb-reader.
fixture_fd_bind() {
	private_tmpfs "$FIX/fdb"
	touch "$FIX/fdb/net"
	unshare --net="$FIX/fdb/net" true
	NET_FDB=$(stat -L -c %i "$FIX/fdb/net")
	start bash -c "exec 6<'$FIX/fdb/net' 8> >(exec 6<&- sh -c '$WRITE_PID; exec cat >/dev/null' '$FIX/fdb-reader')
		$WRITE_PID; exec sleep 1000" "$FIX/fdb-holder"
	FDB_HOLDER=$STARTED
	wait_file "$FIX/fdb-holder"
	wait_file "$FIX/fdb-reader"
	umount -l "$FIX/fdb/net"
}

# Case 3. NET_SOCK: a net ns held only by socket SOCK_FD of SOCK_HOLDER;
# NET_SOCK_ID its NS_GET_ID (0 on a kernel without it).
fixture_socket() {
	start "$NSTOOLS_HELPERS/sockns" "$FIX/sock-ready"
	wait_file "$FIX/sock-ready"
	read -r SOCK_HOLDER SOCK_FD NET_SOCK NET_SOCK_ID <"$FIX/sock-ready"
}

# Case 3, the holder nobody: NET_SOCK, which root made, held only by socket
# SOCK_FD of SOCK_HOLDER, a process of nobody's (its fds nobody may list;
# asking the socket for its namespace needs CAP_NET_ADMIN over root's).
fixture_socket_nobody() {
	chmod 0711 "$FIX"
	install -d -m 0700 -o 65534 -g 65534 "$FIX/nobody"
	start "$NSTOOLS_HELPERS/sockns" "$FIX/nobody/sock-ready" 65534
	wait_file "$FIX/nobody/sock-ready"
	read -r SOCK_HOLDER SOCK_FD NET_SOCK NET_SOCK_ID \
		<"$FIX/nobody/sock-ready"
}

# Case 4. NET_PRIV: a net ns bind-mounted on $NET_PRIV_PATH only inside
# MNT_PRIV, the mount namespace of process PRIV_PID, on a tmpfs that
# exists only there.
fixture_bind_private() {
	mkdir "$FIX/private"
	NET_PRIV_PATH=$FIX/private/net
	start unshare --mount --propagation private sh -c "
		$(tmpfs_net_code "$FIX/private" "$NET_PRIV_PATH" "$FIX/private-net") &&
		$WRITE_PID && exec sleep 1000" "$FIX/private-ready"
	PRIV_PID=$STARTED
	wait_file "$FIX/private-ready"
	MNT_PRIV=$(ns_ino "$PRIV_PID" mnt)
	NET_PRIV=$(cat "$FIX/private-net")
}

# Case 5. MNT_LOOSE: a mount namespace without processes, bind-mounted on
# $MNT_LOOSE_PATH here, in which NET_LOOSE is bind-mounted on
# $NET_LOOSE_PATH (a tmpfs that exists only in MNT_LOOSE).
fixture_loose_mntns() {
	private_tmpfs "$FIX/loose"
	mkdir "$FIX/loose-inner"
	MNT_LOOSE_PATH=$FIX/loose/mnt
	NET_LOOSE_PATH=$FIX/loose-inner/net
	touch "$MNT_LOOSE_PATH"
	unshare --mount="$MNT_LOOSE_PATH" sh -c \
		"$(tmpfs_net_code "$FIX/loose-inner" "$NET_LOOSE_PATH" "$FIX/loose-net")"
	MNT_LOOSE=$(stat -L -c %i "$MNT_LOOSE_PATH")
	NET_LOOSE=$(cat "$FIX/loose-net")
}

# Case 5b. MNT_FDM: a mount namespace without processes, held only by fd 5
# of FDM_HOLDER, in which NET_FDM is bind-mounted on $NET_FDM_PATH (a tmpfs
# that exists only in MNT_FDM).
fixture_fd_mntns() {
	local first
	mkdir "$FIX/fdm-inner"
	NET_FDM_PATH=$FIX/fdm-inner/net
	start unshare --mount --propagation private sh -c "
		$(tmpfs_net_code "$FIX/fdm-inner" "$NET_FDM_PATH" "$FIX/fdm-net") &&
		$WRITE_PID && exec sleep 1000" "$FIX/fdm-first"
	first=$STARTED
	wait_file "$FIX/fdm-first"
	MNT_FDM=$(ns_ino "$first" mnt)
	NET_FDM=$(cat "$FIX/fdm-net")
	start bash -c "exec 5</proc/$first/ns/mnt; $WRITE_PID; exec sleep 1000" \
		"$FIX/fdm-holder"
	FDM_HOLDER=$STARTED
	wait_file "$FIX/fdm-holder"
	stop_fixture "$first" "$first"
}

# Case 6. PID_INNER: a PID namespace bind-mounted on $PID_INNER_PATH, child
# of PID_OUTER; neither has a process left.
fixture_pid_nested() {
	local started1 started2 p1 p2
	private_tmpfs "$FIX/pid"
	PID_INNER_PATH=$FIX/pid/inner
	touch "$PID_INNER_PATH"
	start unshare --pid --fork sh -c "$WRITE_PID; exec sleep 1000" \
		"$FIX/pid-p1"
	started1=$STARTED
	wait_file "$FIX/pid-p1"
	p1=$(cat "$FIX/pid-p1")
	start nsenter -t "$p1" -p -- unshare --pid --fork \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/pid-p2"
	started2=$STARTED
	wait_file "$FIX/pid-p2"
	p2=$(cat "$FIX/pid-p2")
	PID_OUTER=$(ns_ino "$p1" pid)
	PID_INNER=$(ns_ino "$p2" pid)
	mount --bind "/proc/$p2/ns/pid" "$PID_INNER_PATH"
	# p2's orphans go to p1, the init of its parent PID namespace, not to
	# a subreaper outside: both trees go before either is waited for
	stop "$started2"
	stop "$started1"
	wait_for gone "$p2"
	wait_for gone "$p1"
}

# Case 8. NET_USERNS: a net ns owned by USERNS, a child user namespace
# without processes, bind-mounted on $NET_USERNS_PATH here.
fixture_userns_owned() {
	local p
	private_tmpfs "$FIX/userns"
	NET_USERNS_PATH=$FIX/userns/net
	touch "$NET_USERNS_PATH"
	start unshare --user --map-root-user --net \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/userns-ready"
	p=$STARTED
	wait_file "$FIX/userns-ready"
	USERNS=$(ns_ino "$p" user)
	NET_USERNS=$(ns_ino "$p" net)
	mount --bind "/proc/$p/ns/net" "$NET_USERNS_PATH"
	stop_fixture "$p" "$p"
}

# All of them, for the tests of the options and of the cross-check.
fixture_all() {
	fixture_bind_own
	fixture_fd
	fixture_thread_fd
	fixture_fd_bind
	fixture_socket
	fixture_bind_private
	fixture_loose_mntns
	fixture_fd_mntns
	fixture_pid_nested
	fixture_userns_owned
}

# dump_ptrace [ARGS...]: dump, as nobody with only CAP_SYS_PTRACE (ambient),
# by a copy of nsdiscover that nobody may run, in $FIX/bin.
dump_ptrace() {
	if [ ! -x "$FIX/bin/nsdiscover" ]; then
		chmod 0711 "$FIX"
		mkdir -m 0755 "$FIX/bin"
		install -m 0755 "$NSDISCOVER" "$FIX/bin/nsdiscover"
	fi
	timeout -k 5 60 setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace \
		"$FIX/bin/nsdiscover" --json "$@" \
		>"$BATS_TEST_TMPDIR/dump.json" 2>"$BATS_TEST_TMPDIR/stderr"
}

# --- checks on the last dump ----------------------------------------------

# has_ns INO: INO is in the dump (its entry is printed, for failures).
has_ns() {
	q --arg i "$1" '.namespaces[$i]'
}

# lacks_ns INO: INO is not in the dump.
lacks_ns() {
	q --arg i "$1" '.namespaces | has($i) | not' >/dev/null
}

# ns_field INO FIELD VALUE: .namespaces[INO].FIELD equals the JSON VALUE.
ns_field() {
	q --arg i "$1" --argjson v "$3" ".namespaces[\$i].$2 == \$v" >/dev/null ||
		{ echo "namespace $1: .$2 is $(q -c --arg i "$1" ".namespaces[\$i].$2"), expected $3" >&2
		  return 1; }
}

# has_source INO SOURCE: SOURCE (JSON) is one of the sources of INO.
has_source() {
	q --arg i "$1" --argjson s "$2" '.namespaces[$i].sources | any(. == $s)' \
		>/dev/null ||
		{ echo "namespace $1: no source $2 in $(q -c --arg i "$1" '.namespaces[$i].sources')" >&2
		  return 1; }
}

# no_process INO: nothing but non-process sources hold INO.
no_process() {
	q --arg i "$1" '.namespaces[$i] | .nprocs == 0 and .leaders == [] and
		all(.sources[]; .kind != "process" and .kind != "task" and
		    .kind != "for-children")' >/dev/null ||
		{ echo "namespace $1 is said to have processes" >&2; return 1; }
}

# ref_ino INO: follows the reference of INO in the dump as a user would
# (the leading paths are mount namespaces entered one after the other, the
# last one opens the namespace) and prints the inode reached.
ref_ino() {
	local -a ref cmd=()
	local i
	mapfile -t ref < <(q -r --arg i "$1" '.namespaces[$i].reference[]')
	[ "${#ref[@]}" -gt 0 ] || return 1
	for ((i = 0; i < ${#ref[@]} - 1; i++)); do
		cmd+=(nsenter "--mount=${ref[i]}" --)
	done
	"${cmd[@]}" stat -L -c %i "${ref[-1]}"
}

# ref_opens INO: the reference of INO leads to INO.
ref_opens() {
	local got
	got=$(ref_ino "$1") || { echo "namespace $1: reference cannot be followed" >&2; return 1; }
	[ "$got" = "$1" ] ||
		{ echo "namespace $1: reference leads to $got" >&2; return 1; }
}

# ref_starts_in_mntns INO MNTNS: the reference of INO starts with
# /proc/PID/ns/mnt of a process that, in the dump, is in MNTNS.
ref_starts_in_mntns() {
	q --arg i "$1" --argjson m "$2" '
		.namespaces[$i].reference[0] as $r |
		($r | test("^/proc/[0-9]+/ns/mnt$")) and
		(.processes[$r | capture("^/proc/(?<p>[0-9]+)/").p].namespaces.mnt
		 == $m)' >/dev/null ||
		{ echo "namespace $1: reference $(q -c --arg i "$1" '.namespaces[$i].reference') does not start in mount namespace $2" >&2
		  return 1; }
}
