#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# What the engines' own files tell of a container (engine/containerstate.c),
# through the helper that calls the lookup alone (test/helpers/containerstate.c):
# the files laid out as each engine writes them, found where a process
# named as the engine's daemon says (a script of that name: the kernel
# names a script's process after the script), and hostile ones (a
# symlink, a FIFO, /dev/zero bound over, a huge file, bad JSON, wrong
# types) that must be refused at once, never hang nor crash; and, for
# Kubernetes, whose runtimes cannot run here, the dump of a process in a
# cgroup named as theirs, beside their files. The real podman and Docker
# are in test/engines.bats.

bats_require_minimum_version 1.5.0

load common

setup() {
	T=$BATS_TEST_TMPDIR
	mkdir -p "$T/bin"
	TEST_USER=
	CGROUP_TOP=
}

teardown() {
	kill_started
	[ -z "$TEST_USER" ] || userdel "$TEST_USER"
	remove_cgroups
}

# --- cgroups named as the engines name them, for the end-to-end tests ----

CGROUP_ROOT=/sys/fs/cgroup
CGROUP_TOP=
# the v1 hierarchies of a hybrid host where the kubelet's slices go
HIERARCHIES=(systemd cpu)

# start_in PATH: a sleep moved into the cgroup TOP/PATH of each hierarchy
# (made here, removed in teardown); STARTED is its PID. Skips where this
# machine has not these hierarchies.
start_in() {
	local h dir
	for h in "${HIERARCHIES[@]}"; do
		mountpoint -q "$CGROUP_ROOT/$h" ||
			skip "no v1 $h hierarchy at $CGROUP_ROOT/$h"
	done
	CGROUP_TOP="nstools-cstate-$$-$BATS_TEST_NUMBER"
	start sleep infinity
	for h in "${HIERARCHIES[@]}"; do
		dir="$CGROUP_ROOT/$h/$CGROUP_TOP/$1"
		mkdir -p "$dir"
		echo "$STARTED" >"$dir/cgroup.procs"
	done
}

# remove_cgroups: the test's cgroups, innermost first, once their
# processes are reaped
remove_cgroups() {
	local h dir
	[ -n "$CGROUP_TOP" ] || return 0
	for h in "${HIERARCHIES[@]}"; do
		[ -d "$CGROUP_ROOT/$h/$CGROUP_TOP" ] || continue
		while read -r dir; do
			wait_for rmdir "$dir"
		done < <(find "$CGROUP_ROOT/$h/$CGROUP_TOP" -depth -type d)
	done
}

# dumped PID: the "container" of process PID in a new dump, compact
dumped() {
	dump
	run -0 q -c --arg p "$1" '.processes[$p].container // "none"'
}

ID=4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b

# fake_daemon NAME ARG...: a process named NAME with that command line,
# until the test ends; waits until it runs.
fake_daemon() {
	local name=$1
	shift
	cat >"$T/bin/$name" <<'SCRIPT'
#!/bin/sh
echo up >"$0.ready"
sleep infinity &
wait
SCRIPT
	chmod +x "$T/bin/$name"
	start "$T/bin/$name" "$@" || return 1
	wait_file "$T/bin/$name.ready"
}

# lookup [-f] ENGINE ID [PID...]: the helper's line, in $output
lookup() {
	run -0 timeout -k 5 20 "$NSTOOLS_HELPERS/containerstate" "$@"
}

# --- Docker ------------------------------------------------------------------

# docker_layout ROOT [JSON]: a container's config.v2.json as dockerd writes it
docker_layout() {
	local json='{"ID":"'$ID'","Name":"/web","Config":{"Image":"busybox:latest","Cmd":["sleep"]},"State":{"Running":true}}'

	(($# > 1)) && json=$2
	mkdir -p "$1/containers/$ID"
	printf '%s' "$json" >"$1/containers/$ID/config.v2.json"
}

@test "docker (files laid out): name and image from config.v2.json, its root from dockerd --data-root" {
	docker_layout "$T/docker"
	fake_daemon dockerd --data-root "$T/docker" --exec-root "$T/exec"
	lookup docker "$ID"
	assert_output "0 name=web image=busybox:latest"
	lookup -f docker "$ID"
	assert_output "0 name=web image=busybox:latest"
	lookup docker "${ID/4f/5f}"
	assert_output "ENOENT"
}

@test "docker (files laid out): -g and --data-root= name the root too" {
	docker_layout "$T/docker"
	fake_daemon dockerd -g "$T/docker"
	lookup docker "$ID"
	assert_output "0 name=web image=busybox:latest"
	kill_started
	fake_daemon dockerd "--data-root=$T/docker"
	lookup docker "$ID"
	assert_output "0 name=web image=busybox:latest"
}

@test "docker (files laid out): a config file names the root where the command line does not" {
	docker_layout "$T/docker"
	printf '{"data-root": "%s", "log-driver": "json-file"}' "$T/docker" \
		>"$T/daemon.json"
	fake_daemon dockerd --config-file "$T/daemon.json"
	lookup docker "$ID"
	assert_output "0 name=web image=busybox:latest"
}

# hostile CASE: each is refused as not understood, at once, in both ways
# of opening
hostile() {
	lookup docker "$ID"
	assert_output "$1"
	lookup -f docker "$ID"
	assert_output "$1"
}

@test "docker (hostile files): a symlink, as the file or on the way, is not followed" {
	docker_layout "$T/real"
	fake_daemon dockerd --data-root "$T/docker"
	mkdir -p "$T/docker/containers/$ID"
	ln -s "$T/real/containers/$ID/config.v2.json" \
		"$T/docker/containers/$ID/config.v2.json"
	hostile EPROTO
	rm -r "$T/docker/containers/$ID"
	ln -s "$T/real/containers/$ID" "$T/docker/containers/$ID"
	hostile EPROTO
	# and the root itself through a symlink
	rm -r "$T/docker"
	ln -s "$T/real" "$T/docker"
	hostile EPROTO
}

@test "docker (hostile files): a FIFO opens without waiting and is refused" {
	fake_daemon dockerd --data-root "$T/docker"
	mkdir -p "$T/docker/containers/$ID"
	mkfifo "$T/docker/containers/$ID/config.v2.json"
	hostile EPROTO
}

@test "docker (hostile files): /dev/zero bound over the file is refused" {
	docker_layout "$T/docker"
	fake_daemon dockerd --data-root "$T/docker"
	run -0 timeout -k 5 20 unshare -m --propagation private sh -c '
		mount --bind /dev/zero "$1" && "$2" docker "$3" && "$2" -f docker "$3"
		' sh "$T/docker/containers/$ID/config.v2.json" \
		"$NSTOOLS_HELPERS/containerstate" "$ID"
	assert_output "EPROTO
EPROTO"
}

@test "docker (hostile files): a file over 1 MiB is not read" {
	docker_layout "$T/docker"
	fake_daemon dockerd --data-root "$T/docker"
	truncate -s 1100K "$T/docker/containers/$ID/config.v2.json"
	hostile EPROTO
	truncate -s 1G "$T/docker/containers/$ID/config.v2.json"
	hostile EPROTO
}

@test "docker (hostile files): bad JSON and wrong types are not understood" {
	fake_daemon dockerd --data-root "$T/docker"
	local bad
	for bad in '' '{' '{"Name":"/web"' '[]' '"web"' '{"Name":["/web"]}' \
		'{"Name":"/web","Config":"busybox"}' \
		'{"Name":"/web","Config":{"Image":7}}' \
		'{"Name":"/a\u0000b"}' '{"Name":"/a","Name":"/b"}'; do
		docker_layout "$T/docker" "$bad"
		hostile EPROTO
	done
}

@test "docker (hostile files): empty or absent fields tell nothing, and no name is guessed" {
	fake_daemon dockerd --data-root "$T/docker"
	docker_layout "$T/docker" '{"Name":"/","Config":null}'
	hostile 0
	docker_layout "$T/docker" '{"Name":"","Config":{"Image":""}}'
	hostile 0
	docker_layout "$T/docker" '{"Name":"/a b\nc\u001b[31m"}'
	lookup docker "$ID"
	[ "${lines[0]}" = "0 name=a b" ]
}

@test "docker (hostile files): an ID that is no plain name is not looked up" {
	fake_daemon dockerd --data-root "$T/docker"
	docker_layout "$T/docker"
	lookup docker "../$ID"
	assert_output ENOENT
	lookup docker ".."
	assert_output ENOENT
}

@test "docker (hostile files): a file we may not read counts as such" {
	docker_layout "$T/docker"
	chmod 0 "$T/docker/containers/$ID/config.v2.json"
	chmod 0755 "$T" "$T/docker" "$T/docker/containers" \
		"$T/docker/containers/$ID"
	fake_daemon dockerd --data-root "$T/docker"
	run -0 setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$NSTOOLS_HELPERS/containerstate" docker "$ID"
	assert_output EACCES
}

# --- Kubernetes: containerd (CRI) and CRI-O --------------------------------

@test "containerd (files laid out by its CRI plugin): container, pod and namespace from the bundle's annotations" {
	local b=$T/state/io.containerd.runtime.v2.task/k8s.io/$ID
	mkdir -p "$b" "$T/state/io.containerd.runtime.v2.task/moby"
	printf '%s' '{"ociVersion":"1.1.0","process":{"args":["/app"]},
		"annotations":{"io.kubernetes.cri.container-type":"container",
		"io.kubernetes.cri.container-name":"app",
		"io.kubernetes.cri.image-name":"registry.example/app:1.2",
		"io.kubernetes.cri.sandbox-id":"0011",
		"io.kubernetes.cri.sandbox-name":"web-0",
		"io.kubernetes.cri.sandbox-namespace":"prod"}}' >"$b/config.json"
	fake_daemon containerd --config "$T/none.toml" --state "$T/state"
	lookup containerd "$ID"
	assert_output "0 name=app image=registry.example/app:1.2 pod=web-0 pod-namespace=prod"
	lookup -f containerd "$ID"
	assert_output "0 name=app image=registry.example/app:1.2 pod=web-0 pod-namespace=prod"
}

@test "containerd (files laid out, a process in a cgroup named as the kubelet names it): the dump names container, pod and namespace" {
	local b=$T/state/io.containerd.runtime.v2.task/k8s.io/$ID
	mkdir -p "$b"
	printf '%s' '{"ociVersion":"1.1.0","annotations":{
		"io.kubernetes.cri.container-name":"app",
		"io.kubernetes.cri.image-name":"registry.example/app:1.2",
		"io.kubernetes.cri.sandbox-name":"web-0",
		"io.kubernetes.cri.sandbox-namespace":"prod"}}' >"$b/config.json"
	fake_daemon containerd --state "$T/state"
	start_in "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1b2c3d4e_5f60.slice/cri-containerd-$ID.scope"
	dumped "$STARTED"
	assert_output '{"engine":"containerd","id":"'$ID'","name":"app","image":"registry.example/app:1.2","pod":"web-0","pod-namespace":"prod"}'
	q '.discovery.unread.containers == 0' >/dev/null
	# a bundle not understood: the engine and ID alone, counted
	printf '[]' >"$b/config.json"
	dumped "$STARTED"
	assert_output '{"engine":"containerd","id":"'$ID'"}'
	q '.discovery.unread.containers == 1' >/dev/null
}

@test "containerd (files laid out): the state from its config.toml" {
	local b=$T/state/io.containerd.runtime.v2.task/default/$ID
	mkdir -p "$b"
	printf '{"ociVersion":"1.1.0"}' >"$b/config.json"
	printf 'version = 2\nroot = "%s/root"\nstate = "%s/state"\n[grpc]\n  address = "x"\n' \
		"$T" "$T" >"$T/config.toml"
	fake_daemon containerd -c "$T/config.toml"
	lookup containerd "$ID"
	assert_output "0"
}

@test "cri-o (files laid out): container, pod and namespace from the bundle's annotations under crio --runroot" {
	local b=$T/run/overlay-containers/$ID/userdata
	mkdir -p "$b"
	printf '%s' '{"ociVersion":"1.0.2","annotations":{
		"io.container.manager":"cri-o",
		"io.kubernetes.container.name":"coredns",
		"io.kubernetes.cri-o.ImageName":"k8s.gcr.io/coredns/coredns:v1.8.6",
		"io.kubernetes.pod.name":"coredns-6d4b75cb6d-4mtdm",
		"io.kubernetes.pod.namespace":"kube-system"}}' >"$b/config.json"
	fake_daemon crio --runroot "$T/run"
	lookup cri-o "$ID"
	assert_output "0 name=coredns image=k8s.gcr.io/coredns/coredns:v1.8.6 pod=coredns-6d4b75cb6d-4mtdm pod-namespace=kube-system"
	printf '{"annotations":{"io.kubernetes.pod.name":["x"]}}' >"$b/config.json"
	lookup cri-o "$ID"
	assert_output EPROTO
}

@test "cri-o (files laid out, a process in a cgroup named as CRI-O names it): the dump names container, pod and namespace" {
	local b=$T/run/overlay-containers/$ID/userdata
	mkdir -p "$b"
	printf '%s' '{"ociVersion":"1.0.2","annotations":{
		"io.kubernetes.container.name":"coredns",
		"io.kubernetes.cri-o.ImageName":"k8s.gcr.io/coredns/coredns:v1.8.6",
		"io.kubernetes.pod.name":"coredns-6d4b75cb6d-4mtdm",
		"io.kubernetes.pod.namespace":"kube-system"}}' >"$b/config.json"
	fake_daemon crio --runroot "$T/run"
	start_in "kubepods.slice/kubepods-pod1b2c3d4e_5f60.slice/crio-$ID.scope"
	dumped "$STARTED"
	assert_output '{"engine":"cri-o","id":"'$ID'","name":"coredns","image":"k8s.gcr.io/coredns/coredns:v1.8.6","pod":"coredns-6d4b75cb6d-4mtdm","pod-namespace":"kube-system"}'
	NSTOOLS_FALLBACKS_ONLY=1 dumped "$STARTED"
	assert_output '{"engine":"cri-o","id":"'$ID'","name":"coredns","image":"k8s.gcr.io/coredns/coredns:v1.8.6","pod":"coredns-6d4b75cb6d-4mtdm","pod-namespace":"kube-system"}'
}

# --- podman (files laid out; the real one in containers-engines.bats) -------

# podman_layout ROOT: containers.json and images.json as containers/storage
# writes them
podman_layout() {
	mkdir -p "$1/overlay-containers/$ID/userdata" "$1/overlay-images"
	printf '[{"id":"%s","names":["nsdemo"],"image":"85da","layer":"c979","metadata":"{}","created":"2026-12-03T14:03:57Z","flags":{"MountLabel":""}}]' \
		"$ID" >"$1/overlay-containers/containers.json"
	printf '[{"id":"85da","digest":"sha256:85da","names":["localhost/demo:1","localhost/demo:2"]}]' \
		>"$1/overlay-images/images.json"
}

@test "podman (files laid out): name and image from containers.json, its root from conmon -b" {
	podman_layout "$T/storage"
	fake_daemon conmon --api-version 1 -c "$ID" -u "$ID" \
		-b "$T/storage/overlay-containers/$ID/userdata"
	lookup podman "$ID"
	assert_output "0 name=nsdemo image=localhost/demo:1"
	lookup -f podman "$ID"
	assert_output "0 name=nsdemo image=localhost/demo:1"
}

@test "podman (hostile files): wrong types in containers.json are not understood" {
	podman_layout "$T/storage"
	fake_daemon podman --root "$T/storage" run
	printf '[{"id":"%s","names":"nsdemo"}]' "$ID" \
		>"$T/storage/overlay-containers/containers.json"
	lookup podman "$ID"
	assert_output EPROTO
	printf '{"id":"%s"}' "$ID" >"$T/storage/overlay-containers/containers.json"
	lookup podman "$ID"
	assert_output EPROTO
	# without images.json, the image stays unknown
	printf '[{"id":"%s","names":["nsdemo"],"image":"85da"}]' "$ID" \
		>"$T/storage/overlay-containers/containers.json"
	rm "$T/storage/overlay-images/images.json"
	lookup podman "$ID"
	assert_output "0 name=nsdemo"
}

@test "podman, rootless (files laid out): the storage in the home of the owner of the container's processes" {
	TEST_USER=nstcsl$$
	useradd -M -d "$T/home" -s /bin/sh "$TEST_USER"
	podman_layout "$T/home/.local/share/containers/storage"
	start setpriv --reuid="$TEST_USER" --regid="$TEST_USER" --clear-groups \
		sleep infinity
	lookup podman "$ID" "$STARTED"
	assert_output "0 name=nsdemo image=localhost/demo:1"
	# without a process of the user's in the container, no home to look in
	lookup podman "$ID"
	assert_output ENOENT
}
