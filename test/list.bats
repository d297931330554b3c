#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The list, nsdiscover -l: lsns's columns against lsns itself, ours against
# what the test built, the formats, and --load. The comparisons with lsns run
# in the sandbox (a PID namespace with its own /proc, test/views.bash), where
# nothing changes but the tools' own processes: lsns and nsdiscover then see
# the same processes, and each counts only itself besides.

bats_require_minimum_version 1.5.0

load common
load sources
load views

# lsns's columns, in lsns's order.
LSNS_COLUMNS=NS,TYPE,PATH,NPROCS,PID,PPID,COMMAND,UID,USER,NETNSID,NSFS,PNS,ONS

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	views_setup
}

teardown() {
	local ret=0
	views_teardown || ret=1
	netns_del_added || ret=1
	return "$ret"
}

# lsns_out FILE ARGS...: lsns -l ARGS in the sandbox into FILE; lsns 2.38
# prints nothing (and may exit 0) when a process goes away under it, so
# an empty output is tried again.
lsns_out() {
	local file=$1 i
	shift
	for i in $(seq 10); do
		in_sandbox lsns -l "$@" >"$file" 2>/dev/null || true
		[ -s "$file" ] && return 0
	done
	echo "lsns -l $* printed nothing, 10 times" >&2
	return 1
}

# ours_out FILE ARGS...: nsdiscover -l ARGS in the sandbox into FILE.
ours_out() {
	local file=$1
	shift
	in_sandbox "$NSDISCOVER" -l "$@" >"$file" 2>"$file.err"
	only_warning nsdiscover "$file.err"
}

# same_rows LSNS OURS: every line of LSNS (raw, first field NS) is a line
# of OURS, word for word.
same_rows() {
	awk 'NR == FNR { ours[$1] = $0; next }
		!($1 in ours) { print "ours lacks: " $0; bad = 1; next }
		ours[$1] != $0 { print "lsns: " $0; print "ours: " ours[$1]; bad = 1 }
		END { exit bad }' "$2" "$1" >&2
}

# column FILE NS COLUMN: the value of COLUMN (a number, from 1) on the line
# of namespace NS of the raw list FILE, whose columns before COLUMN are
# never empty (an empty value leaves no field in raw output).
column() {
	awk -v ns="$2" -v c="$3" '$1 == ns { print $c; found = 1 }
		END { exit !found }' "$1"
}

@test "list: lsns's 13 columns agree with lsns on every namespace it lists" {
	fixture_sandbox_all
	lsns_out "$T/lsns" -r -n -o "$LSNS_COLUMNS"
	ours_out "$T/ours" -r -n -o "$LSNS_COLUMNS"
	same_rows "$T/lsns" "$T/ours"
	# and the namespaces lsns does not find: the hidden user namespace,
	# one held by an fd, one only bind-mounted
	for ns in "$SB_USER_HIDDEN" "$SB_NET_FD" "$SB_NET_BIND"; do
		! grep -q "^$ns " "$T/lsns"
		grep -q "^$ns " "$T/ours"
	done
}

@test "list: -J is lsns's JSON, key for key and type for type" {
	fixture_sandbox_all
	lsns_out "$T/lsns" -J -o "$LSNS_COLUMNS"
	ours_out "$T/ours" -J -o "$LSNS_COLUMNS"
	jq -e --slurpfile ours "$T/ours" '
		[.namespaces[] as $l | ($ours[0].namespaces[] | select(.ns == $l.ns))
			as $o | select($o != $l) | {lsns: $l, ours: $o}] as $diff
		| if $diff == [] then true else ($diff | debug | false) end' \
		"$T/lsns"
	[ "$(jq '.namespaces | length' "$T/ours")" -gt \
	  "$(jq '.namespaces | length' "$T/lsns")" ]
}

@test "list: the default columns are lsns's, also for -t net" {
	fixture_sandbox
	lsns_out "$T/lsns"
	ours_out "$T/ours"
	[ "$(head -1 "$T/lsns" | xargs)" = "$(head -1 "$T/ours" | xargs)" ]
	[ "$(head -1 "$T/ours" | xargs)" = "NS TYPE NPROCS PID USER COMMAND" ]
	lsns_out "$T/lsns" -t net
	ours_out "$T/ours" -t net
	[ "$(head -1 "$T/lsns" | xargs)" = "$(head -1 "$T/ours" | xargs)" ]
}

@test "list: -o +LIST, --output-all, -n and --list-columns" {
	local all
	fixture_sandbox
	ours_out "$T/plus" -o +PATH,id
	[ "$(head -1 "$T/plus" | xargs)" = "NS TYPE NPROCS PID USER COMMAND PATH ID" ]
	all=$("$NSDISCOVER" --list-columns | awk '{ print $1 }' | paste -sd ' ')
	[ "$all" = "NS TYPE PATH NPROCS PID PPID COMMAND UID USER NETNSID NSFS PNS ONS HOLDERS HIDDEN NSPID CGROUP ID CREATOR CONTAINER ENGINE UNIT" ]
	ours_out "$T/all" --output-all -r
	[ "$(head -1 "$T/all")" = "$all" ]
	ours_out "$T/none" -n -r --output-all
	[ "$(head -1 "$T/none")" = "$(sed -n 2p "$T/all")" ]
	# -t narrows the lines
	ours_out "$T/pid" -r -n -o TYPE -t pid,user
	[ "$(sort -u "$T/pid" | paste -sd ' ')" = "pid user" ]
}

# field FILE NS KEY: the value of KEY in the line of namespace NS of the
# JSON list FILE.
field() {
	jq -r --arg ns "$2" --arg k "$3" \
		'.namespaces[] | select(.ns == ($ns | tonumber)) | .[$k]' "$1"
}

@test "list: our own columns on the namespaces the test built" {
	local leaf_inner
	fixture_sandbox_all
	ours_out "$T/ours" -J -o NS,HOLDERS,HIDDEN,NSPID,ID,CREATOR,CGROUP,PID
	# held only by an fd; known only as a parent; bind-mounted
	[ "$(field "$T/ours" "$SB_NET_FD" holders)" = fd ]
	[ "$(field "$T/ours" "$SB_USER_HIDDEN" holders)" = parent ]
	[ "$(field "$T/ours" "$SB_USER_HIDDEN" hidden)" = true ]
	[ "$(field "$T/ours" "$SB_NET_BIND" holders)" = bindmount ]
	[ "$(field "$T/ours" "$SB_NET_BIND" hidden)" = false ]
	[ "$(field "$T/ours" "$SB_NET_BIND" pid)" = null ]
	# the innermost PID namespace's one process, from the sandbox down
	leaf_inner=$(nspid "$NEST_LEAF" | cut -d/ -f2-)
	[ "$(field "$T/ours" "$PID_INNER" nspid)" = "$leaf_inner" ]
	[ "$(field "$T/ours" "$PID_INNER" id)" = \
	  "$("$NSTOOLS_HELPERS/nsrel" "/proc/$NEST_LEAF/ns/pid" id | tail -1)" ]
	[ "$(field "$T/ours" "$PID_INNER" creator)" = null ]
	[ "$(field "$T/ours" "$NEST_USER" creator)" = 0 ]
	# the cgroup as the dump has it
	dump
	[ "$(field "$T/ours" "$PID_INNER" cgroup)" = \
	  "$(q -r --arg p "$NEST_LEAF" '.processes[$p].cpucgroup')" ]
}

@test "list: --load renders the list of the live run it was dumped from" {
	fixture_sandbox_all
	in_sandbox "$NSDISCOVER" --json >"$T/dump.json" 2>/dev/null
	ours_out "$T/live" --output-all -r
	"$NSDISCOVER" --load "$T/dump.json" --output-all -r >"$T/loaded" 2>/dev/null
	diff "$T/live" "$T/loaded"
	ours_out "$T/live" -J --output-all -t net,user
	"$NSDISCOVER" --load "$T/dump.json" -J --output-all -t net,user \
		>"$T/loaded" 2>/dev/null
	diff "$T/live" "$T/loaded"
}

@test "list: NETNSID is what ip netns list-id says, with or without processes" {
	local name nsid ns ns2
	netns_pair
	name=$NETNS_SET_NAME nsid=$NETNS_ID ns=$NETNS_SET ns2=$NETNS_UNSET
	[ "$(listed_nsid "$name")" = "$nsid" ]
	"$NSDISCOVER" -l -r -n -o NS,NETNSID,NSFS,NPROCS -t net >"$T/ours" 2>/dev/null
	[ "$(column "$T/ours" "$ns" 2)" = "$nsid" ]
	[ "$(column "$T/ours" "$ns" 3)" = "/run/netns/$name" ]
	[ "$(column "$T/ours" "$ns" 4)" = 0 ]
	[ "$(column "$T/ours" "$ns2" 2)" = unassigned ]
	# and with a process in it, as lsns says
	start ip netns exec "$name" sh -c "$WRITE_PID; exec sleep 1000" "$FIX/in"
	wait_file "$FIX/in"
	"$NSDISCOVER" -l -r -n -o NS,NETNSID -t net >"$T/ours" 2>/dev/null
	[ "$(column "$T/ours" "$ns" 2)" = "$nsid" ]
	[ "$(lsns -l -r -n -o NS,NETNSID -t net | awk -v ns="$ns" '$1 == ns { print $2 }')" = "$nsid" ]
}

@test "list: -p and namespace arguments narrow the lines, as lsns -p and lsns NS" {
	local inner
	fixture_sandbox_all
	# the innermost process, as the sandbox's /proc shows it
	inner=$(nspid "$NEST_LEAF" | cut -d/ -f2)
	lsns_out "$T/lsns" -r -n -o NS,TYPE,PID -p "$inner"
	ours_out "$T/ours" -r -n -o NS,TYPE,PID -p "$inner"
	diff "$T/lsns" "$T/ours"
	[ "$(wc -l <"$T/ours")" -eq 8 ]
	# in the PID namespace of the middle one, the innermost is 3
	ours_out "$T/ns" -r -n -o NS,TYPE,PID --ns "pid:[$PID_MID]" -p 3
	diff "$T/ours" "$T/ns"
	# namespaces by argument: those alone, in the list's order
	lsns_out "$T/lsns" -r -n -o NS,TYPE,NPROCS "$PID_INNER"
	ours_out "$T/ours" -r -n -o NS,TYPE,NPROCS "$PID_INNER"
	diff "$T/lsns" "$T/ours"
	ours_out "$T/ours" -r -n -o NS,TYPE,HOLDERS "net:[$SB_NET_FD]" \
		"user:[$SB_USER_HIDDEN]" "$PID_INNER"
	[ "$(awk '{ print $1 }' "$T/ours" | paste -sd ' ')" = \
	  "$(printf '%s\n' "$SB_USER_HIDDEN" "$PID_INNER" "$SB_NET_FD" | sort -n | paste -sd ' ')" ]
	grep -qx "$SB_USER_HIDDEN user parent" "$T/ours"
	grep -qx "$SB_NET_FD net fd" "$T/ours"
	grep -qx "$PID_INNER pid process.*" "$T/ours"
	# -t and -p together
	ours_out "$T/ours" -r -n -o TYPE -t pid,net -p "$inner"
	[ "$(paste -sd ' ' "$T/ours")" = "net pid" ]
}

@test "list: what names nothing is exit 1, what is malformed exit 2, one line each" {
	local st
	st=0; "$NSDISCOVER" -l -p 2147483647 >"$T/out" 2>"$T/err" || st=$?
	[ "$st" -eq 1 ] && [ ! -s "$T/out" ]
	# (after the warning of what could not be read, if any)
	[ "$(tail -1 "$T/err")" = "nsdiscover: no process 2147483647" ]
	st=0; "$NSDISCOVER" -l 'net:[1]' >"$T/out" 2>"$T/err" || st=$?
	[ "$st" -eq 1 ] && [ ! -s "$T/out" ]
	grep -qx 'nsdiscover: unknown namespace net:\[1\]' "$T/err"
	st=0; "$NSDISCOVER" -l 'net:[x]' >"$T/out" 2>"$T/err" || st=$?
	[ "$st" -eq 2 ] && [ ! -s "$T/out" ]
	st=0; "$NSDISCOVER" -l -o NS,BOGUS >"$T/out" 2>"$T/err" || st=$?
	[ "$st" -eq 2 ] && [ ! -s "$T/out" ]
	[ "$(head -1 "$T/err")" = "nsdiscover: unknown column 'BOGUS'" ]
	st=0; "$NSDISCOVER" -l --json >"$T/out" 2>"$T/err" || st=$?
	[ "$st" -eq 2 ] && [ ! -s "$T/out" ]
	grep -q -- '-J is the list as JSON' "$T/err"
}
