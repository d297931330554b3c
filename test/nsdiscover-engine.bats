#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The discovery engine against the kernel: every test builds real
# namespaces (threads, zombies, odd names, missing privileges), runs
# nsdiscover --json and checks the dump against what /proc and the nsfs
# ioctls say. Needs root; nothing here looks at PID 1 or at anything else
# that runs on the machine.

load common

bats_require_minimum_version 1.5.0

NSREL="$NSTOOLS_HELPERS/nsrel"
TYPES=(cgroup ipc mnt net pid time user uts)
# U+FFFD, which invalid UTF-8 must become
REPLACEMENT=$'\xef\xbf\xbd'

setup() {
	local h
	[ "$(id -u)" = 0 ] || skip "needs root"
	for h in reaper nsrel loosethread rename; do
		[ -x "$NSTOOLS_HELPERS/$h" ] ||
			fail "missing helper $NSTOOLS_HELPERS/$h: run make helpers"
	done
	UNPRIV_DIR=
}

teardown() {
	local ret=0
	kill_started || ret=1
	netns_del_added || ret=1
	if [ -n "$UNPRIV_DIR" ]; then
		rm -rf "$UNPRIV_DIR"
	fi
	return "$ret"
}

# ns_json PID: a JSON object of the 8 namespace inodes of PID, as the
# kernel says, keyed by type (like "namespaces" in the dump).
ns_json() {
	local t args=()
	for t in "${TYPES[@]}"; do
		args+=("$t" "$(ns_ino "$1" "$t")")
	done
	jq -n '$ARGS.positional | [range(0; length; 2) as $i
		| {(.[$i]): (.[$i + 1] | tonumber)}] | add' --args "${args[@]}"
}

# json_numbers N...: a JSON array of numbers.
json_numbers() {
	jq -n '$ARGS.positional | map(tonumber)' --args "$@"
}

# NSpid of a process (outermost first), as a JSON array.
nspid_json() {
	local -a nspid
	read -r -a nspid < <(awk '$1 == "NSpid:" { $1 = ""; print }' "/proc/$1/status")
	json_numbers "${nspid[@]}"
}

# ns_differs PID TYPE: whether PID has left this shell's TYPE namespace.
ns_differs() {
	[ "$(ns_ino "$1" "$2")" != "$(ns_ino "$BASHPID" "$2")" ]
}

# check_references INO...: every path in the "reference" of each namespace
# opens that very namespace, as stat -L says; and there is one at least.
check_references() {
	local ino path n
	for ino in "$@"; do
		n=0
		while IFS= read -r path; do
			[ "$(stat -L -c %i "$path")" = "$ino" ] ||
				fail "reference $path is not namespace $ino"
			n=$((n + 1))
		done < <(q -r --argjson n "$ino" '.namespaces[$n | tostring].reference[]')
		((n > 0)) || fail "namespace $ino has no reference"
	done
}

# jq: a dump but for the nsdiscover process that made it (its PID differs
# from run to run, as may what it holds open while it reads).
BUT_NSDISCOVER='(.discovery.pid) as $me | del(.discovery)
	| del(.processes[$me | tostring])
	| .namespaces |= map_values(.leaders |= map(select(. != $me))
		| .sources |= map(select(.pid != $me)))'

# same_but_nsdiscover WHAT A B: whether dumps A and B are the same but for
# the nsdiscover process that made each (BUT_NSDISCOVER). If not, shows
# the difference, keeps both dumps where the message says (keep_failed,
# WHAT names them) and fails.
same_but_nsdiscover() {
	local what=$1 a=$2 b=$3 difference kept_a

	jq -S "$BUT_NSDISCOVER" "$a" >"$a.norm" &&
		jq -S "$BUT_NSDISCOVER" "$b" >"$b.norm" || return 1
	difference=$(diff "$a.norm" "$b.norm") && return 0
	keep_failed "$a" "$what"
	kept_a=$KEPT
	keep_failed "$b" "$what"
	echo "$what: the dumps differ but for nsdiscover (kept as $kept_a" \
		"and $KEPT):" >&2
	sed 's/^/  /' <<<"$difference" >&2
	return 1
}

# A script for sh -c that records, in directory $2, its PID, its NSpid
# line and its 8 namespaces, and then execs nsdiscover ($1) --json there.
RECORD_AND_DISCOVER='
	echo $$ >"$2/pid"
	awk "\$1 == \"NSpid:\" { \$1 = \"\"; print }" /proc/$$/status >"$2/nspid"
	for t in cgroup ipc mnt net pid time user uts; do
		echo "$t $(stat -L -c %i /proc/$$/ns/$t)"
	done >"$2/ns"
	exec "$1" --json >"$2/dump.json" 2>"$2/stderr"'

# The JSON of what RECORD_AND_DISCOVER recorded in directory $1: sets
# REC_PID, REC_NS (object by type) and REC_NSPID (array).
read_record() {
	local -a nspid
	REC_PID=$(<"$1/pid")
	REC_NS=$(jq -Rn '[inputs | split(" ") | {(.[0]): (.[1] | tonumber)}] | add' "$1/ns")
	read -r -a nspid <"$1/nspid"
	REC_NSPID=$(json_numbers "${nspid[@]}")
}

@test "own namespaces: discovery.pid has the kernel's 8 namespaces, NSpid and PID namespace" {
	local dir=$BATS_TEST_TMPDIR

	sh -c "$RECORD_AND_DISCOVER" sh "$NSDISCOVER" "$dir"
	read_record "$dir"

	check '.discovery.pid == $pid' --argjson pid "$REC_PID"
	check '.processes[$pid | tostring].namespaces == $ns' \
		--argjson pid "$REC_PID" --argjson ns "$REC_NS"
	check '.processes[$pid | tostring].nspid == $nspid' \
		--argjson pid "$REC_PID" --argjson nspid "$REC_NSPID"
	# run from the initial PID namespace, as this suite is
	check '.processes[$pid | tostring].nspid == [$pid]' --argjson pid "$REC_PID"
	check '.discovery.pidns == $ns.pid' --argjson ns "$REC_NS"
	check '. as $d | $ns | to_entries
		| all($d.namespaces[.value | tostring].type == .key)' \
		--argjson ns "$REC_NS"
	check '.processes[$pid | tostring] | has("inaccessible") | not' \
		--argjson pid "$REC_PID"
	# nothing above ours is visible from here
	check '(."user-ns-roots" | index($ns.user)) != null
		and (."pid-ns-roots" | index($ns.pid)) != null' --argjson ns "$REC_NS"
	# its parent shell shares them all, so it leads none of them
	check '. as $d | all($ns[]; $d.namespaces[tostring]
		| (.leaders | index($pid)) == null and .nprocs > 1)' \
		--argjson pid "$REC_PID" --argjson ns "$REC_NS"
}

@test "own namespaces: as PID 1 in fresh namespaces of all 8 types, owned by the new user namespace" {
	local dir=$BATS_TEST_TMPDIR

	unshare --user --map-root-user --mount --uts --ipc --net --cgroup \
		--time --pid --fork --mount-proc \
		sh -c "$RECORD_AND_DISCOVER" sh "$NSDISCOVER" "$dir"
	read_record "$dir"

	[ "$REC_PID" -eq 1 ]
	# all 8 are new
	local t
	for t in "${TYPES[@]}"; do
		[ "$(jq -r --arg t "$t" '.[$t]' <<<"$REC_NS")" != "$(ns_ino "$BASHPID" "$t")" ]
	done
	run -0 cat "$dir/stderr"
	assert_output ''
	check '.discovery | del(.passes) == {"pid": 1, "pidns": $ns.pid, "cap-sys-ptrace": true,
		"inaccessible": 0, "unread": $none,
		"mount-namespaces-tried": {"listmount": 0, "entering": 0},
		"warnings": []}' --argjson ns "$REC_NS" \
		--argjson none "$NOTHING_UNREAD"
	check '.processes["1"].namespaces == $ns and .processes["1"].nspid == [1]' \
		--argjson ns "$REC_NS"
	check '.processes | keys == ["1"]'
	check '. as $d | $ns | to_entries | map(select(.key != "user"))
		| all(.[]; .key as $t | $d.namespaces[.value | tostring]
		      | .type == $t and .owner == $ns.user
		        and .leaders == [1] and .ealdorman == 1)' \
		--argjson ns "$REC_NS"
	# the parents lie outside what may be seen from in there
	check '."user-ns-roots" == [$ns.user] and ."pid-ns-roots" == [$ns.pid]' \
		--argjson ns "$REC_NS"
}

@test "pid namespaces: a chain 3 deep, with NSpid, parents and children as the kernel says" {
	local ready=$BATS_TEST_TMPDIR/inner inner k p pp
	local -a chain

	# No --mount-proc: the innermost shell reads its host PID from /proc.
	start unshare --pid --fork --kill-child \
		unshare --pid --fork --kill-child \
		unshare --pid --fork --kill-child \
		sh -c 'read -r pid rest </proc/self/stat
			echo "$pid" >"$1.tmp"; mv "$1.tmp" "$1"
			exec sleep 1000' sh "$ready"
	wait_file "$ready"
	inner=$(<"$ready")

	# inner's PID namespace, then its parents up to ours
	mapfile -t chain < <("$NSREL" "/proc/$inner/ns/pid" parent parent parent)
	[ "${#chain[@]}" -eq 4 ]
	[ "${chain[3]}" = "$(ns_ino "$BASHPID" pid)" ]
	local nspid
	nspid=$(nspid_json "$inner")
	[ "$(jq length <<<"$nspid")" -eq 4 ]
	dump

	check '.processes[$p].nspid == $nspid' --arg p "$inner" --argjson nspid "$nspid"
	check '.processes[$p].namespaces.pid == $c[0]' --arg p "$inner" \
		--argjson c "$(json_numbers "${chain[@]}")"
	check '.discovery.pidns == $c[3]' --argjson c "$(json_numbers "${chain[@]}")"
	p=$inner
	for k in 0 1 2; do
		check '.namespaces[$c[$k] | tostring]
			| .type == "pid" and .parent == $c[$k + 1]' \
			--argjson c "$(json_numbers "${chain[@]}")" --argjson k "$k"
		check '.namespaces[$c[$k + 1] | tostring].children | index($c[$k]) != null' \
			--argjson c "$(json_numbers "${chain[@]}")" --argjson k "$k"
		# the unshare that forked into each level saw it for its children
		pp=$(ppid_of "$p")
		check '.namespaces[$c[$k] | tostring].sources
			| any(. == {"kind": "for-children", "pid": $pp})' \
			--argjson c "$(json_numbers "${chain[@]}")" --argjson k "$k" \
			--argjson pp "$pp"
		p=$pp
	done
	check '.namespaces[$c[0] | tostring] | .leaders == [$p] and .children == []' \
		--argjson c "$(json_numbers "${chain[@]}")" --argjson p "$inner"
	# but it shares its net namespace with its parent
	check '.namespaces[$n | tostring].leaders | index($p) == null' \
		--argjson n "$(ns_ino "$inner" net)" --argjson p "$inner"
	check_references "${chain[@]}"
}

@test "user namespaces: one left without processes between parent and child is hidden, with a parent source" {
	local dir=$BATS_TEST_TMPDIR pid middle child initial
	local -a chain

	# the first unshare execs into the second: nothing stays in the middle
	start unshare --user --map-root-user \
		sh -c 'stat -L -c %i /proc/$$/ns/user >"$1/middle"
			exec unshare --user sh -c "echo ready >\"\$1/ready\"; exec sleep 1000" sh "$1"' \
		sh "$dir"
	wait_file "$dir/ready"
	pid=$STARTED
	middle=$(<"$dir/middle")
	child=$(ns_ino "$pid" user)
	initial=$(ns_ino "$BASHPID" user)

	# what the kernel says: child -> middle -> ours
	mapfile -t chain < <("$NSREL" "/proc/$pid/ns/user" parent parent)
	[ "${chain[*]}" = "$child $middle $initial" ]
	dump

	check '.namespaces[$m | tostring] | .type == "user" and .hidden == true
		and .parent == $i and .children == [$c] and .leaders == []
		and .nprocs == 0 and .reference == []
		and .sources == [{"kind": "parent", "of": $c}]' \
		--argjson m "$middle" --argjson c "$child" --argjson i "$initial"
	check '.namespaces[$c | tostring] | .parent == $m and .leaders == [$p]
		and (has("hidden") | not)' \
		--argjson m "$middle" --argjson c "$child" --argjson p "$pid"
	check '.namespaces[$i | tostring].children | index($m) != null' \
		--argjson m "$middle" --argjson i "$initial"
	check '.processes[$p | tostring].namespaces.user == $c' \
		--argjson p "$pid" --argjson c "$child"
}

@test "ids: \"id\" is NS_GET_ID, also of a hidden parent; \"pidfd-ino\" the inode of a pidfd; neither with the fallbacks only" {
	local dir=$BATS_TEST_TMPDIR pid middle t ino id p
	"$NSREL" /proc/self/ns/user id >/dev/null 2>&1 ||
		skip "the kernel has no NS_GET_ID (Linux 6.18)"
	# a user namespace between two, which nothing but its child leads to
	start unshare --user --map-root-user \
		sh -c 'stat -L -c %i /proc/$$/ns/user >"$1/middle"
			exec unshare --user --net sh -c "echo ready >\"\$1/ready\"; exec sleep 1000" sh "$1"' \
		sh "$dir"
	wait_file "$dir/ready"
	pid=$STARTED
	middle=$(<"$dir/middle")
	dump
	for t in "${TYPES[@]}"; do
		ino=$(ns_ino "$pid" "$t")
		id=$("$NSREL" "/proc/$pid/ns/$t" id | tail -n 1)
		check '.namespaces[$i | tostring].id == $d' \
			--argjson i "$ino" --argjson d "$id"
	done
	# the hidden one, reached only through NS_GET_PARENT
	id=$("$NSREL" "/proc/$pid/ns/user" parent id | tail -n 1)
	check '.namespaces[$m | tostring] | .hidden and .id == $d' \
		--argjson m "$middle" --argjson d "$id"
	check '[.namespaces[].id | select(. != null)] | length == (unique | length)'
	for p in "$pid" "$BASHPID"; do
		check '.processes[$p | tostring]["pidfd-ino"] == $i' \
			--argjson p "$p" --argjson i "$("$NSTOOLS_HELPERS/pidfdino" "$p")"
	done
	# as on an older kernel: neither is there
	NSTOOLS_FALLBACKS_ONLY=1 timeout -k 5 60 "$NSDISCOVER" --json \
		>"$dir/dump.json" 2>"$dir/stderr"
	check '([.namespaces[] | select(has("id"))] | length) == 0 and
		([.processes[] | select(has("pidfd-ino"))] | length) == 0'
	check '.processes[$p | tostring].namespaces.user == $u' \
		--argjson p "$pid" --argjson u "$(ns_ino "$pid" user)"
}

@test "netnsid: as ip netns list-id says, -1 where none is assigned, also without processes; only of net namespaces" {
	local dir=$BATS_TEST_TMPDIR set unset id pid held

	# with an nsid and with none assigned, each held only by its bind
	# mount under /run/netns
	netns_pair
	set=$NETNS_SET unset=$NETNS_UNSET id=$NETNS_ID
	[ "$(listed_nsid "$NETNS_SET_NAME")" = "$id" ]
	[ -z "$(listed_nsid "$NETNS_UNSET_NAME")" ]
	# none assigned, held by a process alone
	start unshare --net sleep 1000
	pid=$STARTED
	wait_for ns_differs "$pid" net
	held=$(ns_ino "$pid" net)
	dump
	check_dump "$dir/dump.json" netnsid

	check '.namespaces[$n | tostring] | .type == "net" and .netnsid == $i
		and .nprocs == 0' --argjson n "$set" --argjson i "$id"
	check '.namespaces[$n | tostring] | .type == "net" and .netnsid == -1
		and .nprocs == 0' --argjson n "$unset"
	check '.namespaces[$n | tostring] | .netnsid == -1 and .leaders == [$p]' \
		--argjson n "$held" --argjson p "$pid"
	# the tool's own network namespace knows itself by no nsid
	check '.namespaces[$n | tostring].netnsid == -1' \
		--argjson n "$(ns_ino "$BASHPID" net)"
	check '[.namespaces[] | select(.type != "net" and has("netnsid"))]
		| length == 0'
	# the tree views show none, and ask none: no netlink socket (and
	# no LeakSanitizer, which cannot run under strace)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq \
		-e trace=socket -o "$dir/strace" "$NSDISCOVER" >/dev/null 2>&1
	run ! grep -q AF_NETLINK "$dir/strace"
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -qq \
		-e trace=socket -o "$dir/strace" "$NSDISCOVER" --json >/dev/null 2>&1
	grep -q 'AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE' "$dir/strace"
}

@test "netnsid: nobody, with CAP_SYS_PTRACE or without, is told the same as root" {
	local dir=$BATS_TEST_TMPDIR set id pid held status=0

	UNPRIV_DIR=$(mktemp -d /tmp/nstools-unpriv.XXXXXX)
	chmod 0755 "$UNPRIV_DIR"
	install -m 0755 "$NSDISCOVER" "$UNPRIV_DIR/nsdiscover"
	netns_add set
	set=$NETNS_INO
	id=$(netns_set_free "$NETNS_NAME")
	start unshare --net sleep 1000
	pid=$STARTED
	wait_for ns_differs "$pid" net
	held=$(ns_ino "$pid" net)

	# without capabilities: the bind mount (mode 0444) opens, the
	# process's link does not
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$UNPRIV_DIR/nsdiscover" --json >"$dir/dump.json" 2>"$dir/stderr" ||
		status=$?
	[ "$status" -eq 0 ]
	check '.namespaces[$n | tostring].netnsid == $i' \
		--argjson n "$set" --argjson i "$id"
	check '.namespaces[$n | tostring] == null' --argjson n "$held"
	# RTM_GETNSID asks for no capability: with CAP_SYS_PTRACE, both
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace \
		"$UNPRIV_DIR/nsdiscover" --json >"$dir/dump.json" 2>"$dir/stderr" ||
		status=$?
	[ "$status" -eq 0 ]
	check '.namespaces[$n | tostring].netnsid == $i' \
		--argjson n "$set" --argjson i "$id"
	check '.namespaces[$n | tostring].netnsid == -1' --argjson n "$held"
}

@test "user namespaces: a net namespace made in a child user namespace is owned by it" {
	local dir=$BATS_TEST_TMPDIR pid userns netns

	start unshare --user --map-root-user --net \
		sh -c 'echo ready >"$1/ready"; exec sleep 1000' sh "$dir"
	wait_file "$dir/ready"
	pid=$STARTED
	userns=$(ns_ino "$pid" user)
	netns=$(ns_ino "$pid" net)
	[ "$userns" != "$(ns_ino "$BASHPID" user)" ]
	# the kernel's word on the owner
	[ "$("$NSREL" "/proc/$pid/ns/net" owner | tail -n 1)" = "$userns" ]
	dump

	check '.namespaces[$n | tostring] | .type == "net" and .owner == $u
		and .leaders == [$p] and .ealdorman == $p' \
		--argjson n "$netns" --argjson u "$userns" --argjson p "$pid"
	check '.namespaces[$u | tostring] | .type == "user" and .leaders == [$p]
		and .parent == $i and (has("owner") | not)' \
		--argjson u "$userns" --argjson p "$pid" \
		--argjson i "$(ns_ino "$BASHPID" user)"
	check '.processes[$p | tostring].namespaces == $ns' \
		--argjson p "$pid" --argjson ns "$(ns_json "$pid")"
	check_references "$netns" "$userns"
}

@test "user namespaces: user-id and user-name tell who made one, as NS_GET_OWNER_UID does" {
	local nobody other name

	start setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare --user sleep 1000
	nobody=$STARTED
	start setpriv --reuid=54321 --regid=54321 --clear-groups \
		unshare --user sleep 1000
	other=$STARTED
	wait_for ns_differs "$nobody" user
	wait_for ns_differs "$other" user
	[ "$("$NSREL" "/proc/$nobody/ns/user" uid | tail -n 1)" = 65534 ]
	[ "$("$NSREL" "/proc/$other/ns/user" uid | tail -n 1)" = 54321 ]
	# most likely nobody has that UID: the name is then ""
	name=$(getent passwd 54321 | cut -d: -f1) || true
	dump

	check '.namespaces[$u | tostring]
		| ."user-id" == 65534 and ."user-name" == $name and .leaders == [$p]' \
		--argjson u "$(ns_ino "$nobody" user)" --argjson p "$nobody" \
		--arg name "$(getent passwd 65534 | cut -d: -f1)"
	check '.namespaces[$u | tostring]
		| ."user-id" == 54321 and ."user-name" == $name and .leaders == [$p]' \
		--argjson u "$(ns_ino "$other" user)" --argjson p "$other" \
		--arg name "$name"
	check '.processes[$p | tostring].uid == 54321' --argjson p "$other"
}

@test "user namespaces: one known only as the owner of a net namespace is hidden, with an owner source" {
	local dir=$BATS_TEST_TMPDIR maker holder userns netns

	start unshare --user --map-root-user --net \
		sh -c 'echo ready >"$1/ready"; exec sleep 1000' sh "$dir"
	wait_file "$dir/ready"
	maker=$STARTED
	userns=$(ns_ino "$maker" user)
	netns=$(ns_ino "$maker" net)
	# from our user namespace into that net namespace only
	start nsenter --net="/proc/$maker/ns/net" sleep 1000
	holder=$STARTED
	wait_for ns_differs "$holder" net
	stop "$maker"
	[ "$(ns_ino "$holder" net)" = "$netns" ]
	[ "$(ns_ino "$holder" user)" = "$(ns_ino "$BASHPID" user)" ]
	[ "$("$NSREL" "/proc/$holder/ns/net" owner | tail -n 1)" = "$userns" ]
	dump

	check '.namespaces[$u | tostring] | .type == "user" and .hidden == true
		and .leaders == [] and .parent == $i
		and .sources == [{"kind": "owner", "of": $n}]' \
		--argjson u "$userns" --argjson n "$netns" \
		--argjson i "$(ns_ino "$BASHPID" user)"
	check '.namespaces[$n | tostring] | .owner == $u and .leaders == [$p]
		and .ealdorman == $p' \
		--argjson u "$userns" --argjson n "$netns" --argjson p "$holder"
	check '.namespaces[$u | tostring].reference == []' --argjson u "$userns"
	check_references "$netns"
}

@test "for-children: the pid and time namespaces an unshare --fork made are sourced from its *_for_children links" {
	local maker child pidns timens

	start unshare --fork --pid --time sleep 1000
	maker=$STARTED
	wait_for first_child "$maker" >/dev/null
	child=$(first_child "$maker")
	pidns=$(ns_ino "$child" pid)
	timens=$(ns_ino "$child" time)
	[ "$(stat -L -c %i "/proc/$maker/ns/pid_for_children")" = "$pidns" ]
	[ "$(stat -L -c %i "/proc/$maker/ns/time_for_children")" = "$timens" ]
	[ "$(ns_ino "$maker" pid)" != "$pidns" ]
	[ "$(ns_ino "$maker" time)" != "$timens" ]
	dump

	local ns
	for ns in "$pidns" "$timens"; do
		check '.namespaces[$ns | tostring]
			| .leaders == [$c] and (has("hidden") | not)
			and (.sources | index([{"kind": "process", "pid": $c}]) != null)
			and (.sources | index([{"kind": "for-children", "pid": $m}]) != null)' \
			--argjson ns "$ns" --argjson c "$child" --argjson m "$maker"
	done
	check '.namespaces[$ns | tostring].parent == $our' \
		--argjson ns "$pidns" --argjson our "$(ns_ino "$BASHPID" pid)"
	check_references "$pidns" "$timens"
}

@test "threads: a thread alone in its net and uts namespaces is a loose thread and a task source" {
	local ready=$BATS_TEST_TMPDIR/tid pid tid netns utsns

	start "$NSTOOLS_HELPERS/loosethread" "$ready"
	pid=$STARTED
	wait_file "$ready"
	tid=$(<"$ready")
	[ "$tid" != "$pid" ]
	netns=$(stat -L -c %i "/proc/$pid/task/$tid/ns/net")
	utsns=$(stat -L -c %i "/proc/$pid/task/$tid/ns/uts")
	[ "$netns" != "$(ns_ino "$pid" net)" ]
	[ "$utsns" != "$(ns_ino "$pid" uts)" ]
	dump

	local ns
	for ns in "$netns" "$utsns"; do
		check '.namespaces[$ns | tostring]
			| ."loose-threads" == [$t] and .leaders == [] and .nprocs == 0
			and (has("hidden") | not)
			and (.sources | index([{"kind": "task", "pid": $p, "tid": $t}]) != null)' \
			--argjson ns "$ns" --argjson p "$pid" --argjson t "$tid"
	done
	check '.processes[$p | tostring] | .namespaces == $ns
		and ([.tasks[].tid] == [$t])
		and (.tasks[0].namespaces | .net == $net and .uts == $uts)' \
		--argjson p "$pid" --argjson t "$tid" --argjson ns "$(ns_json "$pid")" \
		--argjson net "$netns" --argjson uts "$utsns"

	check_references "$netns" "$utsns"

	dump --no-tasks
	check '.namespaces[$net | tostring] == null and .namespaces[$uts | tostring] == null' \
		--argjson net "$netns" --argjson uts "$utsns"
	check '.processes[$p | tostring].tasks == []' --argjson p "$pid"
}

@test "processes: pid, pidfd-ino, ppid, name, cmdline, state, starttime, uid, NSpid and cpu cgroup as /proc says" {
	local pid stat cgroup
	local -a fields

	start setpriv --reuid=65534 --regid=65534 --clear-groups \
		sh -c 'sleep 1000; exit' sh 'two words' ''
	pid=$STARTED
	# the shell waits for its sleep
	sleeping() {
		[ "$(<"/proc/$pid/comm")" = sh ] && first_child "$pid" >/dev/null &&
			[ "$(awk '{ print $3 }' "/proc/$pid/stat")" = S ]
	}
	wait_for sleeping
	stat=$(<"/proc/$pid/stat")
	read -r -a fields <<<"${stat##*) }"
	# the line of a v1 hierarchy with the cpu controller, else the v2 one
	cgroup=$(awk -F: '$2 ~ /(^|,)cpu(,|$)/ { cpu = substr($0, length($1 $2) + 3); found = 1 }
		$1 == "0" && $2 == "" { v2 = substr($0, 4) }
		END { print (found ? cpu : v2) }' "/proc/$pid/cgroup")
	dump

	check '.processes[$p | tostring] == {
		"pid": $p, "pidfd-ino": $pidfd, "ppid": $ppid, "name": "sh",
		"cmdline": ["sh", "-c", "sleep 1000; exit", "sh", "two words", ""],
		"state": "S",
		"starttime": $start, "uid": 65534, "cpucgroup": $cgroup,
		"namespaces": $ns, "nspid": $nspid, "tasks": []}' \
		--argjson p "$pid" --argjson ppid "${fields[1]}" \
		--argjson start "${fields[19]}" --arg cgroup "$cgroup" \
		--argjson ns "$(ns_json "$pid")" --argjson nspid "$(nspid_json "$pid")" \
		--argjson pidfd "$("$NSTOOLS_HELPERS/pidfdino" "$pid")"
}

@test "names: parentheses, a newline, escape bytes and invalid UTF-8 come out as valid JSON" {
	local dir=$BATS_TEST_TMPDIR rename=$NSTOOLS_HELPERS/rename
	local hostile=$'a) (b\n\x1b[31m) c:d' invalid=$'\xffok' split='ééééééééé'
	local a b c comm expected

	# a: a name of 16 bytes, and arguments that need escaping
	start "$rename" "$hostile" "$dir/a" $'tab\there' 'quote"and\back' $'x\xfey'
	# b: an invalid byte; c: the kernel's 15 bytes end in half an é
	start "$rename" "$invalid" "$dir/b"
	start "$rename" "$split" "$dir/c"
	wait_file "$dir/a"
	wait_file "$dir/b"
	wait_file "$dir/c"
	a=$(<"$dir/a") b=$(<"$dir/b") c=$(<"$dir/c")
	# the kernel keeps 15 bytes
	comm=$(<"/proc/$a/comm")
	[ "$comm" = $'a) (b\n\x1b[31m) c:' ]
	dump

	# valid JSON, valid UTF-8, no raw control bytes
	jq empty "$BATS_TEST_TMPDIR/dump.json"
	iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/dump.json" >/dev/null
	run ! env LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f]' "$BATS_TEST_TMPDIR/dump.json"

	check '.processes[$p].pid == ($p | tonumber) and .processes[$p].name == $n' \
		--arg p "$a" --arg n "$comm"
	expected=$(jq -n '$ARGS.positional' --args "$rename" "$hostile" "$dir/a" \
		$'tab\there' 'quote"and\back' "x${REPLACEMENT}y")
	check '.processes[$p].cmdline == $argv' --arg p "$a" --argjson argv "$expected"
	check '.processes[$p].name == $n' --arg p "$b" --arg n "${REPLACEMENT}ok"
	check '.processes[$p].name == $n' --arg p "$c" --arg n "ééééééé${REPLACEMENT}"
}

@test "zombies: one is listed in state Z with the user and pid namespaces the kernel keeps" {
	local parent zombie

	# sleep 0 exits, and the sleep the shell execs never reaps it
	start sh -c 'sleep 0 & exec sleep 1000'
	parent=$STARTED
	is_zombie_child() {
		local kid
		kid=$(first_child "$parent") &&
			[ "$(awk '{ print $3 }' "/proc/$kid/stat")" = Z ] &&
			zombie=$kid
	}
	wait_for is_zombie_child
	local nspid
	nspid=$(nspid_json "$zombie")
	dump

	check '.processes[$z | tostring]
		| .state == "Z" and .ppid == $p and (has("inaccessible") | not)
		and .namespaces == {"pid": $pid, "user": $user} and .nspid == $nspid' \
		--argjson z "$zombie" --argjson p "$parent" --argjson nspid "$nspid" \
		--argjson pid "$(ns_ino "$zombie" pid)" \
		--argjson user "$(ns_ino "$zombie" user)"
	# the kernel indeed dropped the others
	run ! stat -L "/proc/$zombie/ns/net"
}

@test "churn: 50 discoveries while processes, threads and namespaces come and go" {
	local dir=$BATS_TEST_TMPDIR i status

	start bash -c 'while :; do
			unshare --net true
			unshare --user --pid --fork true
			unshare --mount --uts --ipc --cgroup --time --fork true
			unshare --user --map-root-user --net sh -c "sleep 0.01 & wait"
			unshare --pid --fork --mount-proc sh -c "true & true & wait"
			echo tick >>"$1/ticks"
		done' churn "$dir"
	start bash -c 'while :; do
			"$2" "$1/tid" & sleep 0.005; kill -KILL $!; wait
			sh -c "sleep 0 & sleep 0.01"
		done' churn "$dir" "$NSTOOLS_HELPERS/loosethread"
	wait_file "$dir/ticks"

	for i in $(seq 50); do
		status=0
		timeout -k 5 60 "$NSDISCOVER" --json >"$dir/dump.json" 2>"$dir/stderr" ||
			status=$?
		[ "$status" -eq 0 ] || fail "run $i exited $status: $(cat "$dir/stderr")"
		check_dump "$dir/dump.json" "run $i"
		# warnings (the machine may hide some process) but no errors
		! grep -v '^nsdiscover: warning: ' "$dir/stderr" ||
			fail "run $i wrote more than warnings to stderr"
	done
	# the churn went on all along
	[ "$(wc -l <"$dir/ticks")" -gt 2 ]
}

@test "churn: an inode that a new namespace of another type takes never names both in one dump" {
	local dir=$BATS_TEST_TMPDIR i sandbox

	# The kernel gives a freed namespace inode to the next namespace made,
	# of any type: flipns unshares uts, ipc and cgroup in turn, so that the
	# links of one process, read one after the other, may name one inode
	# as two types. Before the engine told them apart, about one dump in
	# ten had a uts link naming a cgroup namespace. In a sandbox, where
	# a discovery is quick.
	start unshare --pid --fork --mount-proc --propagation private \
		sh -c '"$0" "$1" & wait' "$NSTOOLS_HELPERS/flipns" "$dir/flip"
	wait_file "$dir/flip"
	sandbox=$(pgrep -P "$STARTED")

	for i in $(seq 100); do
		nsenter -t "$sandbox" -p -m -- "$NSDISCOVER" --json \
			>"$dir/dump.json" 2>"$dir/stderr" ||
			fail "run $i exited $?: $(cat "$dir/stderr")"
		check_dump "$dir/dump.json" "run $i"
	done
}

@test "readers: the threads that read /proc find just what one reader finds" {
	local dir=$BATS_TEST_TMPDIR sandbox

	(($(nproc) > 1)) || skip "one CPU: the engine reads with one thread"
	# 275 processes in a PID namespace with its own /proc, nothing else:
	# enough for several readers, and nothing comes or goes between runs.
	# Among them a loose thread, a socket and an fd held by another.
	start unshare --pid --fork --mount-proc --propagation private bash -c '
		for i in $(seq 150); do sleep 1000 & done
		for i in $(seq 30); do
			unshare --user --map-root-user --net --uts sleep 1000 &
		done
		for i in $(seq 30); do
			unshare --pid --fork sh -c "sleep 1000 & exec sleep 1000" &
		done
		unshare --net sleep 1000 &
		bash -c "exec 7</proc/$!/ns/net; exec sleep 1000" &
		"$1" "$0/tid" & "$2" "$0/sock" &
		# settled once the helpers say so and the 242 sleeps run
		# sleep: a process is there before it has unshared what it
		# is to (counting processes said ready too soon)
		until [ -s "$0/tid" ] && [ -s "$0/sock" ] &&
			[ "$(pgrep -c -x sleep)" -ge 242 ]; do
			sleep 0.1
		done
		echo ready >"$0/ready"; wait' "$dir" \
		"$NSTOOLS_HELPERS/loosethread" "$NSTOOLS_HELPERS/sockns"
	wait_file "$dir/ready"
	sandbox=$(pgrep -P "$STARTED")

	# one reader when only one CPU may be used, several otherwise
	nsenter -t "$sandbox" -p -m -- taskset -c 0 "$NSDISCOVER" --json \
		>"$dir/one.json"
	nsenter -t "$sandbox" -p -m -- "$NSDISCOVER" --json >"$dir/many.json"
	check_dump "$dir/one.json" "one reader"
	check_dump "$dir/many.json" "several readers"
	same_but_nsdiscover "one reader or several" "$dir/one.json" \
		"$dir/many.json"
	# the readers are not threads of nsdiscover in what it found
	jq -e '.processes[.discovery.pid | tostring].tasks == []' "$dir/many.json"
	jq -e '(.processes | length) > 250 and
		any(.namespaces[]; ."loose-threads" != []) and
		any(.namespaces[].sources[]; .kind == "socket") and
		any(.namespaces[].sources[]; .kind == "fd")' "$dir/many.json"
}

@test "open files: ulimit -n 16 loses nothing; with fewer, exit 1 and say why" {
	local dir=$BATS_TEST_TMPDIR sandbox

	run -1 --separate-stderr bash -c 'ulimit -n 15; exec "$0" --json' \
		"$NSDISCOVER"
	assert_output ''
	[ "$stderr" = "nsdiscover: too few open files allowed: at least 16 are needed (ulimit -n)" ]

	# threads, one with an fd table of its own, a socket, 100 processes
	start unshare --pid --fork --mount-proc --propagation private bash -c '
		for i in $(seq 100); do sleep 1000 & done
		"$1" "$0/tid" & "$2" "$0/sock" &
		"$3" /proc/self/ns/net "$0/tfd" &
		until [ -s "$0/tid" ] && [ -s "$0/sock" ] && [ -s "$0/tfd" ]; do
			sleep 0.1
		done
		echo ready >"$0/ready"; wait' "$dir" "$NSTOOLS_HELPERS/loosethread" \
		"$NSTOOLS_HELPERS/sockns" "$NSTOOLS_HELPERS/threadfd"
	wait_file "$dir/ready"
	sandbox=$(pgrep -P "$STARTED")
	nsenter -t "$sandbox" -p -m -- bash -c 'ulimit -n 16; exec "$0" --json' \
		"$NSDISCOVER" >"$dir/low.json"
	nsenter -t "$sandbox" -p -m -- "$NSDISCOVER" --json >"$dir/high.json"
	# nsdiscover's own fds (what its readers hold for a moment) are no
	# source: one of them outranked the socket as the reference of the
	# socket's net namespace in about one dump in a hundred
	check_dump "$dir/low.json" "ulimit 16"
	check_dump "$dir/high.json" "no ulimit"
	same_but_nsdiscover "ulimit 16 or not" "$dir/low.json" "$dir/high.json"
	jq -e '([.processes[].tasks[]] | length) >= 2 and
		any(.namespaces[].sources[]; .kind == "socket")' "$dir/high.json"
}

@test "unprivileged: nobody without capabilities gets its own namespaces, a warning, and inaccessible processes" {
	local dir=$BATS_TEST_TMPDIR root status=0 line
	local -a lines

	# a copy the nobody user may run, wherever the build tree is (and
	# wherever TMPDIR points)
	UNPRIV_DIR=$(mktemp -d /tmp/nstools-unpriv.XXXXXX)
	chmod 0755 "$UNPRIV_DIR"
	install -m 0755 "$NSDISCOVER" "$UNPRIV_DIR/nsdiscover"
	start sleep 1000
	root=$STARTED

	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$UNPRIV_DIR/nsdiscover" --json >"$dir/dump.json" 2>"$dir/stderr" ||
		status=$?
	[ "$status" -eq 0 ]
	mapfile -t lines <"$dir/stderr"
	[ "${#lines[@]}" -eq 1 ] || fail "stderr: $(cat "$dir/stderr")"
	line=${lines[0]}
	[[ $line == "nsdiscover: warning: "*CAP_SYS_PTRACE* ]]

	check '.discovery."cap-sys-ptrace" == false'
	check '.discovery.warnings == [$w]' --arg w "${line#nsdiscover: warning: }"
	# its own 8 namespaces, those of the shell that ran it
	check '.processes[.discovery.pid | tostring]
		| .uid == 65534 and .namespaces == $ns and (has("inaccessible") | not)' \
		--argjson ns "$(ns_json "$BASHPID")"
	check '. as $d | $ns | to_entries
		| all($d.namespaces[.value | tostring].type == .key)' \
		--argjson ns "$(ns_json "$BASHPID")"
	check '.processes[$p | tostring]
		| .uid == 0 and .inaccessible == true and .namespaces == {}' \
		--argjson p "$root"
	check '.discovery.inaccessible > 0 and .discovery.inaccessible
		== ([.processes[] | select(.inaccessible)] | length)'
}

@test "unprivileged: nobody with only CAP_SYS_PTRACE sees a root process's private net namespace" {
	local dir=$BATS_TEST_TMPDIR pid netns status=0

	UNPRIV_DIR=$(mktemp -d /tmp/nstools-unpriv.XXXXXX)
	chmod 0755 "$UNPRIV_DIR"
	install -m 0755 "$NSDISCOVER" "$UNPRIV_DIR/nsdiscover"
	start unshare --net sleep 1000
	pid=$STARTED
	wait_for ns_differs "$pid" net
	netns=$(ns_ino "$pid" net)

	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace \
		"$UNPRIV_DIR/nsdiscover" --json >"$dir/dump.json" 2>"$dir/stderr" ||
		status=$?
	[ "$status" -eq 0 ]
	run ! grep -q 'without CAP_SYS_PTRACE' "$dir/stderr"
	run ! grep -v '^nsdiscover: warning: ' "$dir/stderr"

	check '.discovery."cap-sys-ptrace" == true'
	check '.processes[.discovery.pid | tostring].uid == 65534'
	check '.namespaces[$n | tostring] | .type == "net" and .leaders == [$p]
		and .owner == $u' \
		--argjson n "$netns" --argjson p "$pid" \
		--argjson u "$(ns_ino "$BASHPID" user)"
	check '.processes[$p | tostring]
		| .uid == 0 and .namespaces == $ns and (has("inaccessible") | not)' \
		--argjson p "$pid" --argjson ns "$(ns_json "$pid")"
}

@test "lsns: every namespace lsns lists is in the dump, with the same type" {
	local dir=$BATS_TEST_TMPDIR sandbox differ

	# Both run in a PID namespace with its own /proc, where nothing comes
	# or goes between the two runs, nor during them: on the host, any
	# process that exits while lsns reads its links makes lsns (util-linux
	# before 2.40.3) exit 1 without a word, and a namespace may come or go
	# between lsns and the dump. In it, namespaces of every type of our
	# own, besides the sandbox's and those of the machine it sits in; the
	# three sleeps run once all of them are made.
	start unshare --pid --fork --mount-proc --propagation private bash -c '
		unshare --net --uts --ipc sleep 1000 &
		unshare --user --map-root-user --pid --fork --mount-proc sleep 1000 &
		unshare --cgroup --time --fork sleep 1000 &
		until [ "$(pgrep -c -x sleep)" -ge 3 ]; do sleep 0.01; done
		echo ready >"$0/ready"; wait' "$dir"
	wait_file "$dir/ready"
	sandbox=$(pgrep -P "$STARTED")

	# a list: lsns -J alone nests namespaces in a tree
	nsenter -t "$sandbox" -p -m -- lsns -J --list >"$dir/lsns.json"
	nsenter -t "$sandbox" -p -m -- "$NSDISCOVER" --json >"$dir/dump.json"
	# the sandbox's 8 (2 its own) and ours: 3 + 3 + 2
	[ "$(jq '.namespaces | length' "$dir/lsns.json")" -eq 16 ] ||
		fail "lsns lists $(jq '.namespaces | length' "$dir/lsns.json") namespaces, not 16"
	# the same type, as many processes (each tool counts itself), and the
	# process lsns names sits in it
	differ=$(jq -r --slurpfile d "$dir/dump.json" '.namespaces[]
		| $d[0].namespaces[.ns | tostring] as $n
		| select($n.type != .type or $n.nprocs != .nprocs
			or $d[0].processes[.pid | tostring].namespaces[.type] != .ns)
		| "\(.type):[\(.ns)] of \(.nprocs) processes, \(.pid) among them,"
		+ " is \($n.type // "not"):[\(.ns)] in the dump, of"
		+ " \($n.nprocs // 0)"' "$dir/lsns.json")
	if [ -n "$differ" ]; then
		keep_failed "$dir/lsns.json" lsns
		keep_failed "$dir/dump.json" lsns
		fail "lsns and the dump differ (both kept in $KEPT_DIR): $differ"
	fi
}

@test "cli: --help prints the usage to stdout and exits 0" {
	run -0 --separate-stderr "$NSDISCOVER" --help
	assert_line --index 0 --partial 'Usage: nsdiscover'
	assert_output --partial '--json'
	assert_output --partial '--no-tasks'
	[ -z "$stderr" ]
}

@test "cli: an unknown option exits 2 and points to --help" {
	run -2 --separate-stderr "$NSDISCOVER" --no-such-option
	assert_output ''
	[[ $stderr == *"'--no-such-option'"* ]]
	# shellcheck disable=SC2154 # set by run
	[ "${stderr_lines[-1]}" = "Try 'nsdiscover --help' for more information." ]
}

@test "cli: --json to /dev/full exits 1 with a write error" {
	run -1 --separate-stderr sh -c 'exec "$1" --json >/dev/full' sh "$NSDISCOVER"
	# besides the warnings that the machine may cause
	run grep -v '^nsdiscover: warning: ' <<<"$stderr"
	assert_output --regexp '^nsdiscover: write error: .+$'
}

@test "cli: --json | head -1 ends quietly of SIGPIPE, even when SIGPIPE was ignored" {
	local dir=$BATS_TEST_TMPDIR

	# Alone in a PID namespace, nothing is hidden and so nothing warned
	# about; a long cmdline makes the dump far bigger than a pipe.
	unshare --pid --fork --mount-proc --kill-child bash -c '
		"$3" long "$2/long" $(seq 30000) &
		while [ ! -s "$2/long" ]; do sleep 0.01; done
		"$1" --json >"$2/dump.json" 2>"$2/err0"
		echo $? >"$2/status0"
		"$1" --json 2>"$2/err1" | head -n 1 >"$2/head1"
		echo "${PIPESTATUS[0]}" >"$2/status1"
		trap "" PIPE
		"$1" --json 2>"$2/err2" | head -n 1 >"$2/head2"
		echo "${PIPESTATUS[0]}" >"$2/status2"
		kill -KILL $!' sh "$NSDISCOVER" "$dir" "$NSTOOLS_HELPERS/rename"

	[ "$(<"$dir/status0")" -eq 0 ]
	[ ! -s "$dir/err0" ]
	[ "$(stat -c %s "$dir/dump.json")" -gt 200000 ]
	local i
	for i in 1 2; do
		[ ! -s "$dir/err$i" ] || fail "stderr $i: $(cat "$dir/err$i")"
		[ "$(<"$dir/head$i")" = '{' ]
		# killed by SIGPIPE: 128 + 13
		[ "$(<"$dir/status$i")" -eq 141 ]
	done
}
