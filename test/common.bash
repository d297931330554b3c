# SPDX-License-Identifier: Apache-2.0
#
# Shared by every suite: paths to the tools and helpers, bats-assert, and
# helpers that build namespaces and clean them up again.

load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

: "${NSTOOLS_BIN:?run the tests with make check or make test}"
: "${NSTOOLS_HELPERS:?run the tests with make check or make test}"

NSDISCOVER="$NSTOOLS_BIN/nsdiscover"

# The inode of a namespace link: ns_ino PID TYPE
ns_ino() {
	stat -L -c %i "/proc/$1/ns/$2"
}

# Background processes started by a test; killed (with their process
# groups) in teardown by kill_started.
STARTED_PIDS=()

# start CMD...: runs CMD in the background in its own process group and
# remembers it for kill_started.
start() {
	setsid "$@" </dev/null &
	STARTED_PIDS+=("$!")
}

kill_started() {
	local pid
	for pid in "${STARTED_PIDS[@]}"; do
		kill -KILL -- "-$pid" 2>/dev/null
		kill -KILL "$pid" 2>/dev/null
	done
	for pid in "${STARTED_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	STARTED_PIDS=()
}

# wait_for CMD...: retries CMD until it succeeds, at most 10 s.
wait_for() {
	local i
	for i in $(seq 200); do
		"$@" && return 0
		sleep 0.05
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

# wait_file FILE: waits until FILE exists and is not empty.
wait_file() {
	wait_for test -s "$1"
}

# A dump of the live discovery in $BATS_TEST_TMPDIR/dump.json.
dump() {
	"$NSDISCOVER" --json "$@" >"$BATS_TEST_TMPDIR/dump.json" 2>"$BATS_TEST_TMPDIR/stderr"
}

# jq over the last dump: q FILTER [jq options]
q() {
	jq -e "$@" "$BATS_TEST_TMPDIR/dump.json"
}
