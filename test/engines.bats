#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Real engines, each started by the test with everything of its own under
# one temporary folder, removed after: a rootful podman, a rootless one (a
# user made by the test), and a dockerd with its own data root, exec root
# and socket. What engine/containerstate.c reads of their containers, as
# the engine's own tools show them. Slow (an engine a test), so a suite
# of its own. As test/containers.bats: vfs storage, runc, no registry: an
# image imported from a tarball of Debian's static busybox.

bats_require_minimum_version 1.5.0

load common

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	need_commands podman runc busybox
	E=$(mktemp -d /tmp/nst-eng.XXXXXX)
	chmod 0755 "$E"
	mkdir -p "$E/rootfs/bin"
	cp /bin/busybox "$E/rootfs/bin/busybox"
	ln -s busybox "$E/rootfs/bin/sh"
	tar -C "$E/rootfs" -cf "$E/busybox.tar" .
	chmod 0644 "$E/busybox.tar"
	export E
}

teardown_file() {
	[ -n "${E-}" ] && [ -d "$E" ] || return 0
	rm -rf --one-file-system "$E"
}

setup() {
	W=$(mktemp -d "$E/test.XXXXXX")
	chmod 0755 "$W"
	TEST_USER=
}

# the mounts an engine that died badly may leave below $W
umount_left() {
	local m
	local -a mounts
	mapfile -t mounts < <(findmnt -rn -o TARGET | grep "^$W/" | sort -r)
	for m in "${mounts[@]}"; do
		umount -l "$m" || true
	done
}

teardown() {
	[ -n "${W-}" ] || return 0
	pod rm --all --force >/dev/null 2>&1 || true
	docker_stop
	rootless_cleanup
	kill_started
	umount_left
	rm -rf --one-file-system "$W"
}

# lookup ENGINE ID [PID...]: what the lookup tells, in $output
lookup() {
	run -0 timeout -k 5 20 "$NSTOOLS_HELPERS/containerstate" "$@"
}

# dumped PID [OPTION...]: the "container" of process PID in a new dump,
# compact, in $output; and no container unread
dumped() {
	local pid=$1
	shift
	dump "$@"
	run -0 q -c --arg p "$pid" '.processes[$p].container // "none"'
	q '.discovery.unread.containers == 0' >/dev/null
}

# --- podman, rootful ---------------------------------------------------------

pod() {
	podman --root "$W/root" --runroot "$W/run" --tmpdir "$W/tmp" \
		--storage-driver vfs --cgroup-manager cgroupfs \
		--events-backend none --runtime runc "$@"
}

# podman import writes a cache outside its storage (/var/lib/containers/
# cache): a tmpfs over /var/lib, in a mount namespace of its own, keeps
# the host's untouched.
POD_RUN=(run -d --network none --ulimit nofile=1024:1024
	--ulimit nproc=1024:1024)

@test "podman, rootful (real): name and image, its storage from conmon; in the dump" {
	local id why pid
	why=$(unshare -m --propagation private sh -c 'mount -t tmpfs none /var/lib &&
		exec "$@"' sh podman --root "$W/root" --runroot "$W/run" \
		--tmpdir "$W/tmp" --storage-driver vfs import "$E/busybox.tar" \
		localhost/nsdemo:1 2>&1) || skip "podman cannot import here: $why"
	id=$(pod "${POD_RUN[@]}" --name nsdemo localhost/nsdemo:1 \
		/bin/busybox sleep infinity 2>&1) ||
		skip "podman cannot run a container here: $id"
	lookup podman "$id"
	assert_output "0 name=nsdemo image=localhost/nsdemo:1"
	lookup -f podman "$id"
	assert_output "0 name=nsdemo image=localhost/nsdemo:1"
	# the dump: the container's process, named by its libpod-ID cgroup
	local want='{"engine":"podman","id":"'$id'","name":"nsdemo","image":"localhost/nsdemo:1"}'
	pid=$(pod inspect -f '{{.State.Pid}}' "$id")
	dumped "$pid"
	assert_output "$want"
	NSTOOLS_FALLBACKS_ONLY=1 dumped "$pid"
	assert_output "$want"
	dumped "$pid" --no-containers
	assert_output '"none"'
}

# --- podman, rootless --------------------------------------------------------

# as_user CMD...: CMD as the test's user, in its home
as_user() {
	runuser -u "$TEST_USER" -- env -C "$W/home" HOME="$W/home" \
		XDG_RUNTIME_DIR="$W/home/run" "$@"
}

upod() {
	as_user podman --storage-driver vfs --cgroup-manager cgroupfs \
		--events-backend none --runtime runc "$@"
}

rootless_cleanup() {
	local -a pids
	[ -n "${TEST_USER-}" ] || return 0
	upod system reset --force >/dev/null 2>&1 || true
	# what podman leaves (its pause process): the user's, made here
	mapfile -t pids < <(pgrep -u "$TEST_USER")
	((${#pids[@]} == 0)) || kill -KILL "${pids[@]}" 2>/dev/null || true
	userdel "$TEST_USER" 2>/dev/null || true
	TEST_USER=
}

@test "podman, rootless (real): name and image from the user's own storage" {
	local id why pid
	command -v newuidmap >/dev/null ||
		skip "newuidmap is not installed (uidmap; make check installs it)"
	TEST_USER=nstcs$$
	useradd -M -d "$W/home" -s /bin/sh "$TEST_USER"
	mkdir -p "$W/home/run"
	cp "$E/busybox.tar" "$W/home/"
	chown -R "$TEST_USER:" "$W/home"
	why=$(upod import busybox.tar localhost/rl:1 2>&1) ||
		skip "rootless podman cannot import here: $why"
	id=$(upod "${POD_RUN[@]}" --name rlweb localhost/rl:1 \
		/bin/busybox sleep infinity 2>&1) ||
		skip "rootless podman cannot run a container here: $id"
	id=${id##*$'\n'}
	pid=$(upod inspect -f '{{.State.Pid}}' "$id")
	[ -d "$W/home/.local/share/containers/storage" ]
	lookup podman "$id" "$pid"
	assert_output "0 name=rlweb image=localhost/rl:1"
}

# --- Docker ------------------------------------------------------------------

dk() {
	docker -H "unix://$W/docker.sock" "$@"
}

docker_stop() {
	local pid
	[ -s "$W/docker.pid" ] || return 0
	dk rm --force --all >/dev/null 2>&1 || true
	dk ps -aq 2>/dev/null | xargs -r docker -H "unix://$W/docker.sock" \
		rm --force >/dev/null 2>&1 || true
	pid=$(<"$W/docker.pid")
	kill -TERM "$pid" 2>/dev/null || true
	wait_for test ! -e "$W/docker.pid" || true
}

@test "docker (real): a dockerd of the test's, its data root from its command line; in the dump" {
	local id pid
	command -v dockerd >/dev/null ||
		skip "dockerd is not installed (docker.io; make check installs it)"
	# what dockerd and its shims write outside their roots (the trust
	# key in /etc/docker, /run/docker/plugins, the shims' sockets in
	# /run/containerd/s) goes to tmpfs in a mount namespace of its own
	start unshare -m --propagation private sh -c '
		mount -t tmpfs none /run &&
		{ [ ! -d /etc/docker ] || mount -t tmpfs none /etc/docker; } &&
		exec "$@"' sh \
		dockerd --data-root "$W/data" --exec-root "$W/exec" \
		-H "unix://$W/docker.sock" --pidfile "$W/docker.pid" \
		--bridge none --iptables=false --ip6tables=false
	wait_for test -S "$W/docker.sock"
	wait_for dk version
	dk import "$E/busybox.tar" nsdemo:1 >/dev/null
	id=$(dk run -d --name web --network none nsdemo:1 \
		/bin/busybox sleep infinity)
	lookup docker "$id"
	assert_output "0 name=web image=nsdemo:1"
	lookup -f docker "$id"
	assert_output "0 name=web image=nsdemo:1"
	# the dump: the container's process, named by its docker/ID cgroup
	pid=$(dk inspect -f '{{.State.Pid}}' "$id")
	dumped "$pid"
	assert_output '{"engine":"docker","id":"'$id'","name":"web","image":"nsdemo:1"}'
}
