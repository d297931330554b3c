#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Which container and which systemd unit a process is in, from its cgroup
# paths (HACKING.md, "Containers and units"): real cgroups, made by the
# test with the names each engine (and the kubelet, and systemd) gives
# them, in this machine's hierarchies (the v1 name=systemd one of a
# hybrid host, the v1 cpu controller, the v2 one), with a process moved
# into each. No engine runs: the names alone are what is read here
# (containers.bats runs podman itself). Each test's cgroups are under a
# top cgroup of its own in each hierarchy, removed in teardown once its
# processes are gone.

bats_require_minimum_version 1.5.0

load common
load views

CGROUP_ROOT=/sys/fs/cgroup
# the hierarchies, as mounted here: name=systemd, cpu (v1), and v2
HIERARCHIES=(systemd cpu unified)

setup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (makes cgroups)"
	mountpoint -q "$CGROUP_ROOT/systemd" ||
		skip "no v1 name=systemd hierarchy at $CGROUP_ROOT/systemd"
	mountpoint -q "$CGROUP_ROOT/cpu" ||
		skip "no v1 cpu hierarchy at $CGROUP_ROOT/cpu"
	TOP="nstools-test-$$-$BATS_TEST_NUMBER"
	# an ID as the engines write them: 64 lower-case hex digits
	ID=$(printf '%s' "$TOP" | sha256sum | cut -c1-64)
	POD_UID=1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901
}

# remove_cgroups: the test's cgroups, innermost first, in each hierarchy;
# a cgroup is removable once its processes are reaped (kill_started).
remove_cgroups() {
	local h dir ret=0
	for h in "${HIERARCHIES[@]}"; do
		[ -d "$CGROUP_ROOT/$h/$TOP" ] || continue
		while read -r dir; do
			wait_for rmdir "$dir" || ret=1
		done < <(find "$CGROUP_ROOT/$h/$TOP" -depth -type d)
	done
	return "$ret"
}

teardown() {
	kill_started
	remove_cgroups
}

# start_in PATH HIERARCHY...: starts a sleep and moves it into the cgroup
# TOP/PATH of each HIERARCHY (made where missing); STARTED is its PID.
start_in() {
	local path=$1 h dir
	shift
	start sleep 1000
	for h in "$@"; do
		dir="$CGROUP_ROOT/$h/$TOP/$path"
		mkdir -p "$dir"
		echo "$STARTED" >"$dir/cgroup.procs"
	done
}

# in_container PID ENGINE ID: in the last dump, process PID is in the
# container ENGINE ID, and has no unit.
in_container() {
	q --arg p "$1" --arg e "$2" --arg i "$3" \
		'.processes[$p] | .container.engine == $e and
		.container.id == $i and (has("unit") | not)' >/dev/null ||
		{ q --arg p "$1" '.processes[$p]'; cat "/proc/$1/cgroup"; false; }
}

# in_unit PID UNIT: in the last dump, process PID is in no container, and
# in the unit UNIT ("" for none).
in_unit() {
	q --arg p "$1" --arg u "$2" \
		'.processes[$p] | (has("container") | not) and
		.unit == (if $u == "" then null else $u end)' >/dev/null ||
		{ q --arg p "$1" '.processes[$p]'; cat "/proc/$1/cgroup"; false; }
}

@test "podman: libpod-ID.scope of the systemd driver, /libpod_parent/libpod-ID of cgroupfs; its conmon is none" {
	local scope cgroupfs conmon
	start_in "machine.slice/libpod-$ID.scope" systemd cpu
	scope=$STARTED
	start_in "libpod_parent/libpod-$ID" systemd cpu
	cgroupfs=$STARTED
	start_in "machine.slice/libpod-conmon-$ID.scope" systemd cpu
	conmon=$STARTED
	dump
	in_container "$scope" podman "$ID"
	in_container "$cgroupfs" podman "$ID"
	in_unit "$conmon" "libpod-conmon-$ID.scope"
	# one container of both
	q --arg i "$ID" '[.processes[] | select(.container.id == $i)] |
		length == 2' >/dev/null
}

@test "podman: rootless, a libpod-ID.scope in the user's systemd, on the v2 line alone" {
	start_in "user.slice/user-1000.slice/user@1000.service/user.slice/libpod-$ID.scope/container" unified
	dump
	in_container "$STARTED" podman "$ID"
}

@test "Docker: docker-ID.scope of the systemd driver, /docker/ID of cgroupfs in the v1 cpu controller alone" {
	local scope cgroupfs
	start_in "system.slice/docker-$ID.scope" systemd cpu
	scope=$STARTED
	start_in "docker/$ID" cpu
	cgroupfs=$STARTED
	dump
	in_container "$scope" docker "$ID"
	in_container "$cgroupfs" docker "$ID"
}

@test "containerd: kubepods slices as the kubelet lays them out with the systemd driver, and with cgroupfs" {
	local slice=${POD_UID//-/_} scope cgroupfs
	start_in "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$slice.slice/cri-containerd-$ID.scope" systemd cpu
	scope=$STARTED
	start_in "kubepods/besteffort/pod$POD_UID/$ID" systemd cpu
	cgroupfs=$STARTED
	dump
	in_container "$scope" containerd "$ID"
	in_container "$cgroupfs" containerd "$ID"
}

@test "CRI-O: crio-ID.scope in a kubepods slice as the kubelet lays it out; crio-conmon-ID is none" {
	local slice=kubepods.slice/kubepods-pod${POD_UID//-/_}.slice ctr conmon
	start_in "$slice/crio-$ID.scope" systemd cpu
	ctr=$STARTED
	start_in "$slice/crio-conmon-$ID.scope" systemd cpu
	conmon=$STARTED
	dump
	in_container "$ctr" cri-o "$ID"
	in_unit "$conmon" "crio-conmon-$ID.scope"
}

@test "LXC: lxc.payload.NAME, and the older /lxc/NAME; its monitor is none" {
	local payload old monitor
	start_in lxc.payload.web/system.slice/nginx.service systemd cpu
	payload=$STARTED
	start_in lxc/old-web systemd cpu
	old=$STARTED
	start_in lxc.monitor.web systemd cpu
	monitor=$STARTED
	dump
	# a container's own units are not the process's: its container is
	in_container "$payload" lxc web
	in_container "$old" lxc old-web
	in_unit "$monitor" ""
	# LXC names its containers in the cgroup: that is the name
	q --arg p "$payload" '.processes[$p].container.name == "web"' >/dev/null
}

@test "systemd-nspawn: machine-NAME.scope, unescaped; its supervisor is none, nor a libvirt guest" {
	local payload supervisor guest
	start_in 'machine.slice/machine-my\x2dbox.scope/payload' systemd cpu
	payload=$STARTED
	start_in 'machine.slice/machine-my\x2dbox.scope/supervisor' systemd cpu
	supervisor=$STARTED
	start_in 'machine.slice/machine-qemu\x2d1\x2dvm.scope' systemd cpu
	guest=$STARTED
	dump
	in_container "$payload" nspawn my-box
	in_unit "$supervisor" 'machine-my\x2dbox.scope'
	in_unit "$guest" 'machine-qemu\x2d1\x2dvm.scope'
}

@test "units: a service, a session scope, a user's service, the innermost unit of the systemd tree" {
	local service session user v2 none
	start_in "system.slice/nstools-test-$$.service" systemd
	service=$STARTED
	start_in user.slice/user-1000.slice/session-7.scope systemd
	session=$STARTED
	start_in user.slice/user-1000.slice/user@1000.service/app.slice/dbus.service/sub systemd
	user=$STARTED
	# the systemd tree names the unit, not the v2 one beside it
	start_in "system.slice/other-$$.service" unified
	v2=$STARTED
	start_in plain/group systemd cpu
	none=$STARTED
	dump
	in_unit "$service" "nstools-test-$$.service"
	in_unit "$session" session-7.scope
	in_unit "$user" dbus.service
	in_unit "$v2" ""
	in_unit "$none" ""
}

@test "IDs that are not what the engine writes name no container" {
	local short upper long
	start_in "system.slice/docker-${ID:1}.scope" systemd cpu
	short=$STARTED
	start_in "docker/${ID^^}" systemd cpu
	upper=$STARTED
	start_in "libpod_parent/libpod-${ID}0" systemd cpu
	long=$STARTED
	dump
	in_unit "$short" "docker-${ID:1}.scope"
	in_unit "$upper" ""
	in_unit "$long" ""
}

@test "--no-containers: no container, no unit, and the pass said not to have run" {
	local ctr unit
	start_in "system.slice/docker-$ID.scope" systemd cpu
	ctr=$STARTED
	start_in "system.slice/nstools-test-$$.service" systemd cpu
	unit=$STARTED
	dump --no-containers
	q '.discovery.passes.containers == false' >/dev/null
	in_unit "$ctr" ""
	in_unit "$unit" ""
	dump
	q '.discovery.passes.containers' >/dev/null
	in_container "$ctr" docker "$ID"
}

@test "as nobody with only CAP_SYS_PTRACE, the engine and ID still come from the cgroup" {
	start_in "machine.slice/libpod-$ID.scope" systemd cpu
	unprivileged_copy
	as_nobody_ptrace "$UNPRIV_DIR/nsdiscover" --json \
		>"$BATS_TEST_TMPDIR/dump.json" 2>"$BATS_TEST_TMPDIR/stderr"
	rm -rf "$UNPRIV_DIR"
	in_container "$STARTED" podman "$ID"
}

@test "views that read only some cgroups (the ealdormen's, the list's lowest PIDs') run with containers about" {
	local name
	# an ealdorman: the only process of its UTS namespace
	start unshare --uts sleep 1000
	mkdir -p "$CGROUP_ROOT/systemd/$TOP/system.slice/docker-$ID.scope"
	echo "$STARTED" >"$CGROUP_ROOT/systemd/$TOP/system.slice/docker-$ID.scope/cgroup.procs"
	for name in lsuserns lspidns; do
		"$NSTOOLS_BIN/$name" >/dev/null 2>"$BATS_TEST_TMPDIR/err" ||
			{ cat "$BATS_TEST_TMPDIR/err"; false; }
	done
	"$NSDISCOVER" -l -o NS,PID,CGROUP >/dev/null
}
