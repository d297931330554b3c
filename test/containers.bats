#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The four tools inside a podman container, with a PID namespace of its own
# and with the host's (--pid=host): they run, say what they could not see,
# exit 0, and show what is right from where they are. Slow (a container a
# test), so a suite of its own.
#
# No registry and no image: the container's root is a directory with
# Debian's static busybox, the tools and the libraries ldd names for them
# (podman run --rootfs). An imported image would do as well, but podman
# import writes a cache outside its storage (/var/lib/containers/cache).
# Everything podman makes (storage, state, the containers) is under one
# temporary directory, removed in teardown_file; nothing depends on the
# host's podman set-up. runc, not crun: crun refuses hybrid cgroups.

bats_require_minimum_version 1.5.0

load common
load sources
load views

# The podman command line, every path of it private to this run.
pod() {
	podman --root "$POD_DIR/root" --runroot "$POD_DIR/run" \
		--tmpdir "$POD_DIR/tmp" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend none --runtime runc "$@"
}

# root_dir DIR: the container's files: busybox as /bin/sh, the tools in
# /nst, and every library they load where ldd finds it.
root_dir() {
	local dir=$1 t lib
	mkdir -p "$dir/bin" "$dir/nst" "$dir/proc" "$dir/sys" "$dir/dev" \
		"$dir/tmp" "$dir/out" "$dir/etc"
	cp /bin/busybox "$dir/bin/busybox"
	ln -s busybox "$dir/bin/sh"
	for t in "${TOOLS[@]}"; do
		cp "$NSTOOLS_BIN/$t" "$dir/nst/$t"
		for lib in $(ldd "$NSTOOLS_BIN/$t" | grep -o '/[^ ]*'); do
			cp -L --parents "$lib" "$dir/"
		done
	done
}

setup_file() {
	local why
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	need_commands podman runc busybox
	POD_DIR=$(mktemp -d /tmp/nst-pod.XXXXXX)
	export POD_DIR
	mkdir "$POD_DIR/tmp"
	root_dir "$POD_DIR/rootfs"
	# what stops a container here is no failure of ours: say why, skip
	if ! why=$(run_container "" sh -c : 2>&1); then
		skip "podman cannot run a container here: $why"
	fi
}

teardown_file() {
	local m
	local -a mounts
	[ -n "${POD_DIR-}" ] && [ -d "$POD_DIR" ] || return 0
	pod rm --all --force >/dev/null 2>&1 || true
	# a mount left by a container that died badly
	mapfile -t mounts < <(findmnt -rn -o TARGET | grep "^$POD_DIR/" | sort -r)
	for m in "${mounts[@]}"; do
		umount -l "$m" || true
	done
	rm -rf --one-file-system "$POD_DIR"
}

setup() {
	views_setup
	mkdir "$T/out"
	chmod 0777 "$T/out"
}

teardown() {
	views_teardown
}

# run_container PODMAN_OPTIONS CMD...: CMD in a new container on the root
# directory, removed when it ends; $T/out (when there is a test) is its
# /out.
run_container() {
	local opts=$1
	shift
	# shellcheck disable=SC2086 # the options are words
	pod run --rm --network none --ulimit nofile=1024:1024 \
		--ulimit nproc=1024:1024 -e TERM=dumb \
		-e ASAN_OPTIONS="${ASAN_OPTIONS-}" -e UBSAN_OPTIONS="${UBSAN_OPTIONS-}" \
		${T:+-v "$T/out:/out"} $opts --rootfs "$POD_DIR/rootfs" "$@"
}

# The script a container runs: its PID namespace, then each tool, its
# output, stderr and status in /out; and a dump (not the last command,
# which the shell would run in its stead, as PID 1).
CONTAINER_SCRIPT='
busybox readlink /proc/self/ns/pid >/out/pidns
for t in lsuserns lspidns pidtree nsdiscover; do
	/nst/$t --treestyle=ascii --color=never >/out/$t 2>/out/$t.err
	echo $? >/out/$t.rc
done
/nst/nsdiscover --json >/out/dump.json 2>/dev/null
echo done >/out/done'

# tools_in_container PODMAN_OPTIONS: runs CONTAINER_SCRIPT; each tool
# exited 0 with one warning, that it could not see all (the container has
# no CAP_SYS_PTRACE).
tools_in_container() {
	local t
	run_container "$1" sh -c "$CONTAINER_SCRIPT" || return 1
	for t in "${TOOLS[@]}"; do
		expect_eq "$t: status" "$(cat "$T/out/$t.rc")" 0 || return 1
		only_warning "$t" "$T/out/$t.err" || return 1
		grep -q "^$t: warning: without CAP_SYS_PTRACE, " "$T/out/$t.err" ||
			{ show "$T/out/$t.err"; return 1; }
	done
}

@test "container, its own PID namespace: the tools show it from there" {
	tools_in_container ""
	own=$(cat "$T/out/pidns")
	[[ "$own" =~ ^pid:\[[0-9]+\]$ ]]
	[ "$own" != "pid:[$INIT_PIDNS]" ]
	out=$T/out
	# pidtree: one tree, its namespace at the top, its PID 1 below
	expect_prefix "pidtree" "$(head -1 "$out/pidtree")" "$own, owned by UID 0"
	[ "$(roots "$out/pidtree" | wc -l)" -eq 1 ] || { show "$out/pidtree"; false; }
	expect_prefix "above sh" "$(tree_parent "$out/pidtree" '"sh" (1)')" "$own,"
	# lspidns: its namespace alone, the host's is out of sight
	run -0 roots "$out/lspidns"
	[ "${#lines[@]}" -eq 1 ] && [[ "${lines[0]}" == "$own "* ]] || { show "$out/lspidns"; false; }
	# lsuserns: the host's user namespace (podman as root makes none)
	roots "$out/lsuserns" | grep -q "^user:\[$INIT_USERNS\] " || { show "$out/lsuserns"; false; }
	roots "$out/nsdiscover" | cut -d' ' -f1 | grep -qxF "$own" ||
		{ show "$out/nsdiscover"; false; }
	# the dump renders here as it showed there
	tool pidtree --treestyle=ascii --color=never --load "$out/dump.json" \
		>"$T/loaded" 2>/dev/null
	cmp <(grep -v '"pidtree" (' "$out/pidtree") \
	    <(grep -v '"nsdiscover" (' "$T/loaded") ||
		{ show "$out/pidtree"; show "$T/loaded"; false; }
}

@test "container, the host's PID namespace: the tools show the host's" {
	tools_in_container --pid=host
	out=$T/out
	[ "$(cat "$out/pidns")" = "pid:[$INIT_PIDNS]" ]
	# root's processes could not be read, and it says so
	grep -q "could not read the namespaces of [0-9]* of [0-9]* processes" \
		"$out/pidtree.err" || { show "$out/pidtree.err"; false; }
	expect_prefix "pidtree" "$(head -1 "$out/pidtree")" "pid:[$INIT_PIDNS], owned by UID 0"
	# this test's shell is there, with its PID
	grep -q "($$)" "$out/pidtree" || { show "$out/pidtree"; false; }
	roots "$out/lspidns" | grep -q "^pid:\[$INIT_PIDNS\] " || { show "$out/lspidns"; false; }
	roots "$out/lsuserns" | grep -q "^user:\[$INIT_USERNS\] " || { show "$out/lsuserns"; false; }
	roots "$out/nsdiscover" | grep -q "^pid:\[$INIT_PIDNS\] " || { show "$out/nsdiscover"; false; }
}

@test "containers: nothing of podman's is left on the host" {
	run -0 pod ps --all --quiet
	[ -z "$output" ]
	# the storage is ours alone
	[ -d "$POD_DIR/root" ]
}
