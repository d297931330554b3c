# SPDX-License-Identifier: Apache-2.0
#
# Shared by every suite: paths to the tools and helpers, bats-assert, and
# helpers that build namespaces and clean them up again.

load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

: "${NSTOOLS_BIN:?run the tests with make check or make test}"
: "${NSTOOLS_HELPERS:?run the tests with make check or make test}"

NSDISCOVER="$NSTOOLS_BIN/nsdiscover"

# discovery.unread of a dump that missed nothing
NOTHING_UNREAD='{"processes": 0, "fd-tables": 0, "sockets": 0,
	"mount-namespaces": 0, "containers": 0}'

# The inode of a namespace link: ns_ino PID TYPE
ns_ino() {
	stat -L -c %i "/proc/$1/ns/$2"
}

# Background processes started by a test: the PIDs of their reapers (see
# test/helpers/reaper.c), killed with everything below them in teardown by
# kill_started. STARTED_REAPER maps the PID of a started command to its
# reaper; STARTED is the PID of the last command started.
STARTED_PIDS=()
declare -gA STARTED_REAPER=()
STARTED=
STARTED_COUNT=0

# start CMD...: runs CMD in the background, in a session of its own, under
# the reaper helper: CMD gets a process group of its own, and whatever it
# leaves orphaned is reaped at once instead of by the machine's init.
# Sets STARTED to the PID of CMD (not of the reaper).
start() {
	local pidfile="$BATS_TEST_TMPDIR/started.$((STARTED_COUNT++)).pid"
	local reaper

	rm -f "$pidfile"
	"$NSTOOLS_HELPERS/reaper" "$pidfile" "$@" </dev/null 3>&- &
	reaper=$!
	STARTED_PIDS+=("$reaper")
	wait_file "$pidfile" || return 1
	STARTED=$(<"$pidfile")
	STARTED_REAPER[$STARTED]=$reaper
}

# descendants PID: the PIDs of every process below PID (all its threads'
# children, recursively), zombies included; also those in nested PID
# namespaces, as /proc here names them.
descendants() {
	local -a queue=("$1") kids
	local pid file

	while ((${#queue[@]})); do
		pid=${queue[0]}
		queue=("${queue[@]:1}")
		for file in /proc/"$pid"/task/*/children; do
			kids=()
			read -r -a kids 2>/dev/null <"$file" || true
			((${#kids[@]})) || continue
			printf '%s\n' "${kids[@]}"
			queue+=("${kids[@]}")
		done
	done
}

# reaper_running PID: whether PID is a reaper that this shell started and
# that has not exited yet (bash may reap it at any time once it has).
reaper_running() {
	local stat=

	read -r -d '' stat 2>/dev/null <"/proc/$1/stat"
	[[ $stat == "$1 (reaper) "[!ZX]" $BASHPID "* ]]
}

# kill_tree REAPER: SIGKILLs everything below a reaper, round after round
# (a process that forks meanwhile, or that a read of the unreliable
# children files misses, is caught by the next one), until the reaper has
# exited: it does once it has reaped them all. Fails after 10 s.
kill_tree() {
	local reaper=$1 deadline=$((SECONDS + 10))
	local -a pids

	while reaper_running "$reaper" && ((SECONDS <= deadline)); do
		mapfile -t pids < <(descendants "$reaper")
		if ((${#pids[@]})); then
			kill -KILL "${pids[@]}" 2>/dev/null || true
		fi
		sleep 0.01
	done
	if reaper_running "$reaper"; then
		echo "kill_tree: still running below reaper $reaper:" \
			"$(descendants "$reaper" | tr '\n' ' ')" >&2
		return 1
	fi
	wait "$reaper" 2>/dev/null || true
}

# stop PID: kills a command started by start, with all it started.
stop() {
	local reaper=${STARTED_REAPER[$1]:?"stop: $1 was not started"}
	local -a rest=()
	local pid

	kill_tree "$reaper" || return 1
	for pid in "${STARTED_PIDS[@]}"; do
		[ "$pid" = "$reaper" ] || rest+=("$pid")
	done
	STARTED_PIDS=("${rest[@]}")
	unset "STARTED_REAPER[$1]"
}

# kill_started: kills everything start started; call it from teardown.
kill_started() {
	local reaper ret=0

	for reaper in "${STARTED_PIDS[@]}"; do
		kill_tree "$reaper" || ret=1
	done
	STARTED_PIDS=()
	STARTED_REAPER=()
	return "$ret"
}

# ppid_of PID: the parent PID, from /proc/PID/stat (whatever the name).
ppid_of() {
	local stat
	local -a fields
	stat=$(<"/proc/$1/stat") || return 1
	read -r -a fields <<<"${stat##*) }"
	echo "${fields[1]}"
}

# first_child PID: the PID of the first child of PID's main thread; fails
# when it has none (yet).
first_child() {
	local -a kids
	read -r -a kids 2>/dev/null <"/proc/$1/task/$1/children" || true
	((${#kids[@]})) || return 1
	echo "${kids[0]}"
}

# check FILTER [jq options]: q, quietly, that says which filter failed (and
# with which arguments) when it does.
check() {
	if ! q "$@" >/dev/null; then
		echo "dump check failed: $*" >&2
		return 1
	fi
}

# need_commands CMD...: skips the test (or the file, from setup_file),
# naming the first of the commands that is not installed.
need_commands() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null ||
			skip "$t is not installed (make check installs it)"
	done
}

# wait_for CMD...: retries CMD until it succeeds, at most 10 s.
wait_for() {
	local deadline=$((SECONDS + 10))

	until "$@"; do
		if ((SECONDS > deadline)); then
			echo "timed out waiting for: $*" >&2
			return 1
		fi
		sleep 0.01
	done
}

# wait_file FILE: waits until FILE exists and is not empty.
wait_file() {
	wait_for test -s "$1"
}

# A dump of the live discovery in $BATS_TEST_TMPDIR/dump.json; a hanging
# nsdiscover fails the test after 60 s instead of hanging the suite.
dump() {
	timeout -k 5 60 "$NSDISCOVER" --json "$@" >"$BATS_TEST_TMPDIR/dump.json" 2>"$BATS_TEST_TMPDIR/stderr"
}

# jq over the last dump: q FILTER [jq options]
q() {
	jq -e "$@" "$BATS_TEST_TMPDIR/dump.json"
}

# --- dumps made under churn -------------------------------------------------

# The invariants every dump holds, however the machine changed while it was
# made: a jq program that prints one line "INVARIANT: EXAMPLES" for each
# one that a dump breaks (at most 3 examples each), and nothing otherwise.
DUMP_INVARIANTS='
def broken(invariant; examples):
	[examples] | select(length > 0)
	| "\(invariant): \(.[:3] | join("; "))\(if length > 3 then "; and \(length - 3) more" else "" end)";
. as $d
| broken("every process is keyed by its pid";
	.processes | to_entries[] | select(.key != (.value.pid | tostring))
	| "key \(.key), pid \(.value.pid)"),
  broken("every namespace is keyed by its nsid, or id:ID when it has none";
	.namespaces | to_entries[]
	| select(.key != (.value | if .nsid then .nsid | tostring
		else "id:\(.id)" end))
	| "key \(.key), nsid \(.value.nsid), id \(.value.id)"),
  broken("no two namespaces have one id";
	[.namespaces[] | select(.id != null)] | group_by(.id)[]
	| select(length > 1) | "id \(.[0].id): \(map(.nsid | tostring) | join(", "))"),
  broken("every link of a process or task names a namespace of that type";
	.processes[] | .pid as $pid
	| ({who: "process \($pid)", ns: .namespaces},
	   (.tasks[] | {who: "task \(.tid) of \($pid)", ns: .namespaces}))
	| .who as $who | .ns | to_entries[]
	| $d.namespaces[.value | tostring].type as $t
	| select($t != .key)
	| "\($who): \(.key):[\(.value)] is \(if $t then "a \($t) namespace"
		else "not in the dump" end)"),
  broken("a parent is a namespace of the same type";
	.namespaces[] | select(.parent != null)
	| select($d.namespaces[.parent | tostring].type != .type)
	| "\(.type):[\(.nsid)] has parent \(.parent)"),
  broken("only a net namespace has a netnsid, -1 or more";
	.namespaces[] | select(.netnsid != null)
	| select(.type != "net" or (.netnsid | type) != "number" or .netnsid < -1)
	| "\(.type):[\(.nsid)] has netnsid \(.netnsid)"),
  broken("an owner is a user namespace";
	.namespaces[] | select(.owner != null)
	| select($d.namespaces[.owner | tostring].type != "user")
	| "\(.type):[\(.nsid)] has owner \(.owner)"),
  broken("every child names the namespace as its parent";
	.namespaces[] | .nsid as $n | .children[]?
	| select($d.namespaces[tostring].parent != $n)
	| "\($n) lists child \(.)"),
  broken("every leader is a process of the dump";
	.namespaces[] | .nsid as $n | .leaders[]
	| select($d.processes[tostring] == null)
	| "leader \(.) of \($n)"),
  broken("the ealdorman is one of the leaders";
	.namespaces[] | select(.ealdorman != null)
	| select(.ealdorman as $e | .leaders | index([$e]) == null)
	| "ealdorman \(.ealdorman) of \(.nsid)"),
  broken("every source names a process (and task) of the dump";
	.namespaces[] | .nsid as $n | .sources[] | select(.pid != null)
	| select(.tid as $t | $d.processes[.pid | tostring]
		| . == null or ($t != null and (any(.tasks[]; .tid == $t) | not)))
	| "\(.kind) source of \($n): pid \(.pid)\(if .tid then ", tid \(.tid)" else "" end)"),
  broken("no fd or socket of the process that made the dump is a source";
	.namespaces[] | .nsid as $n | .sources[]
	| select(.pid == $d.discovery.pid and .fd != null)
	| "\(.kind) source of \($n): pid \(.pid), fd \(.fd)"),
  broken("the process that made the dump is in it";
	select($d.processes[$d.discovery.pid | tostring] == null)
	| "pid \($d.discovery.pid)")'

# check_dump DUMP WHAT: whether DUMP holds every invariant (DUMP_INVARIANTS)
# and nsdiscover --load takes it. If not, says which invariant broke (WHAT
# names the dump, as "run 12"), keeps a copy of DUMP where the message
# says, outside the test's directory (which bats removes), and fails.
check_dump() {
	local dump=$1 what=$2 broken

	if ! broken=$(jq -r "$DUMP_INVARIANTS" "$dump" 2>&1); then
		broken="unreadable: $broken"
	elif [ -z "$broken" ]; then
		# the loader's own checks; its warnings go to stderr too
		broken=$("$NSDISCOVER" --load "$dump" 2>&1 >/dev/null) && return 0
		broken="refused by nsdiscover --load: $broken"
	fi
	keep_failed "$dump" "$what"
	echo "$what: the dump breaks an invariant (kept as $KEPT):" >&2
	sed 's/^/  /' <<<"$broken" >&2
	return 1
}

# keep_failed FILE WHAT: copies FILE into KEPT_DIR, /tmp/nst-failed.XXXXXX
# (made once a test and left in place for whoever reads the failure), as
# WHAT (spaces made dashes) and FILE's name; sets KEPT to the copy's path.
keep_failed() {
	if [ -z "${KEPT_DIR-}" ] || [ ! -d "$KEPT_DIR" ]; then
		KEPT_DIR=$(mktemp -d /tmp/nst-failed.XXXXXX) || return 1
	fi
	KEPT=$KEPT_DIR/${2// /-}.${1##*/}
	cp "$1" "$KEPT"
}

# --- network namespaces with names and nsids ---------------------------------

# netns_add SUFFIX: ip netns add of a name no one else uses (the suite's,
# the shell's and the test's), removed by netns_del_added in teardown;
# sets NETNS_NAME to it and NETNS_INO to its inode.
NETNS_NAMES=()
netns_add() {
	local suite=${BATS_TEST_FILENAME##*/}
	NETNS_NAME=nstools-${suite%.bats}-$$-$BATS_TEST_NUMBER-$1
	ip netns add "$NETNS_NAME" || return 1
	NETNS_NAMES+=("$NETNS_NAME")
	NETNS_INO=$(stat -L -c %i "/run/netns/$NETNS_NAME")
}

# netns_del_added: ip netns del of every name netns_add made; for teardown.
netns_del_added() {
	local name ret=0
	for name in "${NETNS_NAMES[@]}"; do
		ip netns del "$name" || ret=1
	done
	NETNS_NAMES=()
	return "$ret"
}

# netns_set_free NAME: ip netns set NAME to an nsid our network namespace
# gives no other (something else on the machine may have taken any one);
# prints it.
netns_set_free() {
	local id
	for id in 7 $(shuf -i 1000-2000000 -n 20); do
		if ip netns set "$1" "$id" 2>/dev/null; then
			echo "$id"
			return 0
		fi
	done
	echo "no free nsid for $1" >&2
	return 1
}

# netns_pair: two network namespaces by netns_add, held by their bind
# mounts alone: NETNS_SET (named NETNS_SET_NAME) with a free nsid,
# NETNS_ID, and NETNS_UNSET (named NETNS_UNSET_NAME) with none.
netns_pair() {
	netns_add set || return 1
	NETNS_SET=$NETNS_INO NETNS_SET_NAME=$NETNS_NAME
	NETNS_ID=$(netns_set_free "$NETNS_NAME") || return 1
	netns_add unset || return 1
	NETNS_UNSET=$NETNS_INO NETNS_UNSET_NAME=$NETNS_NAME
}

# listed_nsid NAME: the nsid that ip netns list-id shows for NAME, or
# nothing when it lists none.
listed_nsid() {
	ip netns list-id |
		sed -n "s/^nsid \([0-9]*\) (iproute2 netns name: $1)\$/\1/p"
}
