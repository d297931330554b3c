#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Hostile and broken input: bad command lines, broken, mistyped, nested,
# huge and self-referencing dumps, and processes with names built to break
# the views. Every case ends in a clear message and the right exit status,
# never in a crash, a hang or output on stdout; every view stays one node
# a line. Only processes and namespaces made here are looked at.

bats_require_minimum_version 1.5.0

load common
load sources
load views
load hostile

setup() {
	hostile_setup
}

teardown() {
	hostile_teardown
}

# --- command lines --------------------------------------------------------------

# Bad for every tool: unknown options, missing and malformed values.
COMMON_BAD=(
	"--colour=sometimes" "-cx" "--color=ALWAYS" "--treestyle=LINE"
	"--treestyle=asci" "--help=1" "--version=2" "--no-tasks=yes"
	"--no-mounts=" "--json-" "-" "-- -" "-c always" "--lo" "--no"
	"--load=x --no-tasks" "--no-fds --load=x" "--load=x --no-sockets"
	"--load=x --no-mounts" "--load=x --no-containers"
)

# Bad for one tool.
TOOL_BAD_pidtree=(
	"-n net: -p 1" "-n pid:[ -p 1" "-n pid:[-1] -p 1"
	"-n pid:[99999999999999999999] -p 1" "-n pid:[0] -p 1"
	"-n pid:[_1] -p 1" "-n Pid:[1] -p 1" "-n pid:[] -p 1" "-n pid:1 -p 1"
	"-n pid[1] -p 1" "-n pid:[1 -p 1" "-n pid:[1]] -p 1" "-n :[1] -p 1"
	"-n pid:[0x1] -p 1" "-n pid:[+1] -p 1" "-n -1 -p 1" "-n 0 -p 1"
	"-n pid:[18446744073709551616] -p 1" "-n user:[4026531837] -p 1"
	"-n pid:[1]" "-n id: -p 1" "-n id:0 -p 1" "-n id:-1 -p 1"
	"-n id:18446744073709551616 -p 1" "-n id:1x -p 1" "-n id:[1] -p 1"
	"-n ID:1 -p 1" "-n pid:id: -p 1" "-n pid:id:0 -p 1" "-n net:id:1 -p 1"
	"-n pid:id:_1 -p 1" "-n :id:1 -p 1" "-n pid:ID:1 -p 1" "-n id:1"
	"-n pid:[id:1] -p 1" "-n id:_1 -p 1" "-n id::1 -p 1"
	"-p _1" "-p 1_" "-p +1" "-p 0x10" "-p 1e3" "-p 2147483648"
	"-p 4294967297" "-p 1 -p" "-p1 x" "-t1" "--tasks=1" "--pid"
	"-t --no-tasks" "--no-tasks --tasks" "-p 1 -p 2" "-p 1 --pid=1"
	"-p 1 -p container:x" "-p container:x -p 1" "-n 1 -n 2 -p 1"
)
# -p, --task and --ns of lsuserns, lspidns and nsdiscover (ui/focus).
FOCUS_BAD=(
	"-p _1" "-p 0" "-p x" "--pid=" "--task=1x" "-p 1 -p 2" "-p 1 --task 2"
	"--ns=pid:[1]" "--ns=net:[1] -p 1" "--ns=pid:[ -p 1" "--ns=id:0 -p 1"
	"--ns=1 --ns=2 -p 1" "--task"
)
TOOL_BAD_lsuserns=(
	"-t _" "-t ," "-t net," "-t ,net" "-t NET" "-t net,,pid" "-t net_pid"
	"-t network" "-t user" "-t net,user" "--type=" "-d1" "--details=yes"
	"${FOCUS_BAD[@]}" "-n 1" "1"
)
TOOL_BAD_lspidns=("-u1" "--user=yes" "-t pid" "-d" "${FOCUS_BAD[@]}"
	"-n 1" "pid:[1]")
TOOL_BAD_nsdiscover=(
	"-t _" "-t ," "-t net," "-t ,net" "-t Net" "-t net,,user" "--type="
	"-t net_pid" "--json=1" "-d" "${FOCUS_BAD[@]}"
	"_" "pid:[" "net:[0]" "1_2" "user:1" "Net:[1]" "--json -p 1" "--json 1"
	"-o" "-o_" "--output=" "-o NS,"
	"-o ,NS" "-o NS,,TYPE" "-o +" "-o +FOO" "-o NS,FOO" "-o NS_TYPE"
	"-l --json" "-J --json" "-r --json" "--output-all -o NS"
	"--list-columns=1" "--list=1" "-lx" "-o NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS,NS"
)

@test "command lines: unknown options, missing and malformed values exit 2 with a message and a pointer to --help" {
	local name a long
	local -a args list
	long=$(printf 'x%.0s' {1..5000})
	for name in "${TOOLS[@]}"; do
		declare -n tool_bad="TOOL_BAD_$name"
		list=("${COMMON_BAD[@]}" "${tool_bad[@]}")
		for a in "${list[@]}"; do
			read -r -a args <<<"$a"
			# "_" stands for a space inside one argument
			args=("${args[@]//_/ }")
			usage_error "$name" "${args[@]}"
		done
		usage_error "$name" "--$long"
		usage_error "$name" "-$long"
		usage_error "$name" --treestyle "$long"
		unset -n tool_bad
	done
	# the long ones are too, for the tools that take them
	usage_error nsdiscover -t "$long"
	usage_error lsuserns -t "net,$long"
	usage_error pidtree -n "pid:[$long]" -p 1
	usage_error pidtree -p "1$long"
}

@test "command lines: a colour after a bare -c or --color hints at --color=WHEN" {
	local name when
	for name in "${TOOLS[@]}"; do
		for when in auto always never; do
			usage_error "$name" -c "$when"
			[[ ${ERR[0]} == "$name: "*"'$when'"*" (did you mean --color=$when?)" ]] ||
				{ show "$T/err"; false; }
			usage_error "$name" --color "$when"
			[[ ${ERR[0]} == *" (did you mean --color=$when?)" ]]
		done
		# not a colour, or not after a bare -c: no hint
		usage_error "$name" -c sometimes
		[[ ${ERR[0]} != *"did you mean"* ]]
		usage_error "$name" --color=never always
		[[ ${ERR[0]} != *"did you mean"* ]]
		usage_error "$name" always
		[[ ${ERR[0]} != *"did you mean"* ]]
	done
	usage_error pidtree -c always
	expect_eq "pidtree -c always" "${ERR[0]}" \
		"pidtree: unexpected argument 'always' (did you mean --color=always?)"
	usage_error nsdiscover -c always
	expect_eq "nsdiscover -c always" "${ERR[0]}" \
		"nsdiscover: invalid namespace 'always' (type:[INODE], INODE or id:ID) (did you mean --color=always?)"
}

@test "command lines: options that contradict each other are refused, saying why" {
	local name
	usage_error pidtree -t --no-tasks
	expect_eq "pidtree -t --no-tasks" "${ERR[0]}" \
		"pidtree: -t shows the threads, and --no-tasks does not read them: one or the other"
	for name in "${TOOLS[@]}"; do
		usage_error "$name" --load "$FIXTURE_DUMP" --no-fds
		expect_eq "$name --load --no-fds" "${ERR[0]}" \
			"$name: --load shows the dump as it was made: --no-fds leaves out a pass of a discovery, and there is none"
		usage_error "$name" --no-containers --load=- <"$FIXTURE_DUMP"
		[[ ${ERR[0]} == *"--no-containers leaves out a pass"* ]]
		# a second -p is refused by every tool, whichever form
		usage_error "$name" -p 1 -p 2
		expect_eq "$name -p 1 -p 2" "${ERR[0]}" "$name: -p given twice"
		usage_error "$name" --pid=1 -p container:x
		expect_eq "$name --pid=1 -p container:x" "${ERR[0]}" "$name: -p given twice"
	done
	usage_error lsuserns --task 1 -p 2
	expect_eq "lsuserns --task 1 -p 2" "${ERR[0]}" "lsuserns: -p given twice"
	# each alone is fine
	run_tool 0 pidtree -t --load "$FIXTURE_DUMP"
}

@test "command lines: well-formed values that name nothing exit 1 with a message" {
	local max
	run_tool 1 pidtree -n 'pid:[1]' -p 1
	grep -qx 'pidtree: unknown PID namespace pid:\[1\]' "$T/err"
	run_tool 1 pidtree -n 1 -p 1
	run_tool 1 pidtree -n 'pid:[18446744073709551615]' -p 1
	run_tool 1 pidtree -n 'id:18446744073709551615' -p 1
	grep -qx 'pidtree: unknown PID namespace id:18446744073709551615' "$T/err"
	run_tool 1 pidtree -n 'pid:id:1' -p 1 --load "$FIXTURE_DUMP"
	# an ID the fixture has, of a namespace of another type
	run_tool 1 pidtree -n 'id:20481' -p 1 --load "$FIXTURE_DUMP"
	grep -qx 'pidtree: unknown PID namespace id:20481' "$T/err"
	# known only by its ID, and not a PID namespace
	run_tool 1 pidtree -n 'id:30122077' -p 1 --load "$FIXTURE_DUMP"
	run_tool 1 pidtree -p 2147483647
	grep -qx 'pidtree: no process 2147483647' "$T/err"
	run_tool 1 pidtree -n "pid:[$INIT_PIDNS]" -p 2147483647
	grep -qx "pidtree: no process 2147483647 in pid:\\[$INIT_PIDNS\\]" "$T/err"
	max=$(cat /proc/sys/kernel/pid_max)
	run_tool 1 pidtree -p "$max" --load "$FIXTURE_DUMP"
	# files that are no dump
	for name in "${TOOLS[@]}"; do
		for file in / /dev/null /proc/self/status; do
			load_error "$name" "$file"
		done
		# an empty name: no such file
		st=0
		tool "$name" --load= >"$T/out" 2>"$T/err" || st=$?
		[ "$st" -eq 1 ] || [ "$st" -eq 2 ]
		[ ! -s "$T/out" ]
		grep -q "^$name: ." "$T/err"
	done
}

# --- broken dumps -------------------------------------------------------------

@test "--load: the fixture cut at 50 places, never valid, always a message and exit 1" {
	local size cut i name n=0
	size=$(stat -c %s "$FIXTURE_DUMP")
	# the last byte is the newline after the closing brace
	for i in $(seq 0 49); do
		cut=$(( i < 3 ? i : (size - 2) * i / 49 ))
		head -c "$cut" "$FIXTURE_DUMP" >"$T/cut.json"
		for name in "${TOOLS[@]}"; do
			load_error "$name" "$T/cut.json" || { echo "cut at $cut" >&2; false; }
		done
		n=$((n + 1))
	done
	[ "$n" -eq 50 ]
	# and the whole of it loads
	run_tool 0 pidtree --load "$FIXTURE_DUMP"
}

@test "--load: files that are not JSON" {
	head -c 4096 /dev/urandom >"$T/random.json"
	printf '\0\0\0\0' >"$T/nul.json"
	{ printf '\xef\xbb\xbf'; cat "$FIXTURE_DUMP"; } >"$T/bom.json"
	iconv -f UTF-8 -t UTF-16 "$FIXTURE_DUMP" >"$T/utf16.json"
	{ cat "$FIXTURE_DUMP"; echo '{}'; } >"$T/two.json"
	{ cat "$FIXTURE_DUMP"; echo 'x'; } >"$T/trailing.json"
	printf 'null\n' >"$T/null.json"
	printf '"dump"\n' >"$T/string.json"
	printf '[]\n' >"$T/array.json"
	printf '42\n' >"$T/number.json"
	printf '{"namespaces": {}, "processes": {}, "discovery": {}}\n' >"$T/hollow.json"
	sed 's/"pid":500,/"pid":500,"pid":500,/' "$FIXTURE_DUMP" >"$T/dupkey.json"
	sed 's/"name":"holder"/"name":"ho\\u0000lder"/' "$FIXTURE_DUMP" >"$T/nulesc.json"
	sed 's/"name":"holder"/"name":"ho\xffder"/' "$FIXTURE_DUMP" >"$T/rawbyte.json"
	sed 's/"name":"holder"/"name":"\\ud800"/' "$FIXTURE_DUMP" >"$T/surrogate.json"
	sed 's/"pid":500,/"pid":99999999999999999999,/' "$FIXTURE_DUMP" >"$T/bigint.json"
	sed 's/"pid":500,/"pid":-99999999999999999999,/' "$FIXTURE_DUMP" >"$T/bignegint.json"
	sed 's/"pid":500,/"pid":5e2,/' "$FIXTURE_DUMP" >"$T/exponent.json"
	local f
	for f in random nul bom utf16 two trailing null string array number hollow \
		dupkey nulesc rawbyte surrogate bigint bignegint exponent; do
		grep -q . "$T/$f.json" || [ "$f" = nul ]
		load_error_all "$f" "$T/$f.json"
	done
}

@test "--load: what is no dump is refused saying why, before it is read; a FIFO without a writer does not hang" {
	local name
	mkfifo "$T/fifo"
	: >"$T/empty.json"
	printf '\0\0\0\0' >"$T/nul.json"
	sed 's/"name":"holder"/"name":"ho\\u0000lder"/' "$FIXTURE_DUMP" >"$T/nulesc.json"
	for name in "${TOOLS[@]}"; do
		load_error "$name" /
		expect_eq "$name --load /" "$LOAD_MESSAGE" "$name: /: is a directory"
		load_error "$name" /dev/zero
		expect_eq "$name --load /dev/zero" "$LOAD_MESSAGE" \
			"$name: /dev/zero: not a regular file nor a pipe"
		# nothing writes to it: opening it would wait for a writer
		load_error "$name" "$T/fifo"
		expect_eq "$name --load FIFO" "$LOAD_MESSAGE" \
			"$name: $T/fifo: empty: not a dump"
		# a pipe with a writer is read
		run_tool 0 "$name" --load <(cat "$FIXTURE_DUMP")
		load_error "$name" "$T/empty.json"
		expect_eq "$name --load empty" "$LOAD_MESSAGE" \
			"$name: $T/empty.json: empty: not a dump"
		load_error "$name" "$T/nul.json"
		expect_eq "$name --load NULs" "$LOAD_MESSAGE" \
			"$name: $T/nul.json: not valid JSON: a NUL byte at offset 0"
		load_error "$name" "$T/nulesc.json"
		[[ $LOAD_MESSAGE == "$name: $T/nulesc.json: not valid JSON: a string holds a NUL byte ("*"u0000) (line "[0-9]*", column "[0-9]*")" ]] ||
			{ echo "$LOAD_MESSAGE" >&2; false; }
		# standard input: a pipe is read, a device or a directory not
		run_tool 1 "$name" --load=- </dev/zero
		expect_eq "$name --load=- </dev/zero" "${ERR[0]}" \
			"$name: standard input: not a regular file nor a pipe"
		run_tool 1 "$name" --load=- <"$T"
		expect_eq "$name --load=- <DIR" "${ERR[0]}" \
			"$name: standard input: is a directory"
		cat "$FIXTURE_DUMP" | run_tool 0 "$name" --load=-
	done
}

# Cases of mistyped values: "what|jq filter on the fixture".
MISTYPED=(
	'nsid as a string|.namespaces["4026531835"].nsid = "4026531835"'
	'a container a string|.processes["300"].container = "nsdemo"'
	'a container without engine|.processes["300"].container |= del(.engine)'
	'a container without id|.processes["300"].container |= del(.id)'
	'a container id a number|.processes["300"].container.id = 95'
	'a container id empty|.processes["300"].container.id = ""'
	'a container engine empty|.processes["300"].container.engine = ""'
	'a container name a number|.processes["300"].container.name = 1'
	'a container name empty|.processes["300"].container.name = ""'
	'a container image null|.processes["300"].container.image = null'
	'a pod an array|.processes["250"].container.pod = ["web"]'
	'a pod namespace a bool|.processes["250"].container["pod-namespace"] = true'
	'a unit a number|.processes["1"].unit = 1'
	'a unit empty|.processes["1"].unit = ""'
	'unread containers negative|.discovery.unread.containers = -1'
	'unread containers a string|.discovery.unread.containers = "1"'
	'the containers pass a string|.discovery.passes.containers = "yes"'
	'pid as a string|.processes["1"].pid = "1"'
	'pid a bool|.processes["100"].pid = true'
	'ppid as a string|.processes["100"].ppid = "1"'
	'ppid negative|.processes["100"].ppid = -1'
	'uid negative|.processes["100"].uid = -1'
	'uid beyond 32 bits|.processes["100"].uid = 4294967296'
	'an NSpid beyond 31 bits|.processes["100"].nspid = [2147483648]'
	'starttime negative|.processes["100"].starttime = -5'
	'starttime a fraction|.processes["100"].starttime = 1.5'
	'starttime a bool|.processes["100"].starttime = true'
	'starttime null|.processes["100"].starttime = null'
	'namespaces an array|.namespaces = [.namespaces[]]'
	'processes an array|.processes = [.processes[]]'
	'a process an array|.processes["100"] = [1]'
	'a namespace a string|.namespaces["4026531835"] = "cgroup"'
	'the namespaces of a process an array|.processes["100"].namespaces = [4026531835]'
	'a namespace of a process as a string|.processes["100"].namespaces.net = "4026531833"'
	'a name a number|.processes["100"].name = 5'
	'a name null|.processes["100"].name = null'
	'a cmdline a string|.processes["100"].cmdline = "bash"'
	'a cmdline with a number|.processes["100"].cmdline = ["bash", 1]'
	'a cmdline with an object|.processes["100"].cmdline = [{}]'
	'nspid a number|.processes["100"].nspid = 100'
	'nspid with 0|.processes["100"].nspid = [0]'
	'nspid 40 long|.processes["100"].nspid = [range(1; 41)]'
	'state two letters|.processes["100"].state = "SS"'
	'state empty|.processes["100"].state = ""'
	'tasks an object|.processes["100"].tasks = {}'
	'a tid as a string|.processes["100"].tasks[0].tid = "101"'
	'a task an array|.processes["100"].tasks[0] = []'
	'a namespace of a task as a string|.processes["100"].tasks[0].namespaces.net = "4026531833"'
	'type a number|.namespaces["4026531835"].type = 1'
	'type unknown|.namespaces["4026531835"].type = "cgroups"'
	'owner as a string|.namespaces["4026531835"].owner = "4026531837"'
	'owner zero|.namespaces["4026531835"].owner = 0'
	'parent negative|.namespaces["4026532200"].parent = -1'
	'parent 1e30|.namespaces["4026532200"].parent = 1e30'
	'parent of another type|.namespaces["4026532200"].parent = 4026531837'
	'a net namespace with a parent|.namespaces["4026532400"].parent = 4026531833'
	'children an object|.namespaces["4026531836"].children = {}'
	'children as strings|.namespaces["4026531836"].children = ["4026532200", "4026532202"]'
	'sources an object|.namespaces["4026532402"].sources = {}'
	'a source without a kind|.namespaces["4026532402"].sources = [{"pid": 200, "fd": 7}]'
	'a source a number|.namespaces["4026532402"].sources = [7]'
	'a source of an unknown kind|.namespaces["4026532402"].sources[0].kind = "pipe"'
	'fd as a string|.namespaces["4026532402"].sources[0].fd = "7"'
	'fd negative|.namespaces["4026532402"].sources[0].fd = -7'
	'the pid of a source zero|.namespaces["4026532402"].sources[0].pid = 0'
	'a bind mount path a number|.namespaces["4026532300"].sources[0].path = 5'
	'a bind mount mntns as a string|.namespaces["4026532300"].sources[0].mntns = "4026531840"'
	'user-id as a string|.namespaces["4026531837"]["user-id"] = "0"'
	'user-id negative|.namespaces["4026531837"]["user-id"] = -1'
	'user-id beyond 32 bits|.namespaces["4026531837"]["user-id"] = 4294967296'
	'user-name a number|.namespaces["4026531837"]["user-name"] = 5'
	'discovery an array|.discovery = [.discovery]'
	'discovery.pid as a string|.discovery.pid = "500"'
	'discovery.pid a fraction|.discovery.pid = 500.5'
	'cap-sys-ptrace a number|.discovery["cap-sys-ptrace"] = 1'
	'inaccessible as a string|.processes["250"].inaccessible = "yes"'
	'discovery.inaccessible negative|.discovery.inaccessible = -1'
	'passes a list|.discovery.passes = ["tasks"]'
	'a pass as a string|.discovery.passes.tasks = "yes"'
	'unread a number|.discovery.unread = 1'
	'unread sockets negative|.discovery.unread.sockets = -1'
	'unread fd tables as a string|.discovery.unread["fd-tables"] = "2"'
	'unread mount namespaces beyond 31 bits|.discovery.unread["mount-namespaces"] = 2147483648'
	'mount-namespaces-tried a number|.discovery["mount-namespaces-tried"] = 1'
	'tried listmount negative|.discovery["mount-namespaces-tried"].listmount = -1'
	'tried entering as a string|.discovery["mount-namespaces-tried"].entering = "1"'
	'warnings a string|.discovery.warnings = "x"'
	'a warning a number|.discovery.warnings = [1]'
	'the top an array|[.]'
	'no namespaces|del(.namespaces)'
	'no processes|del(.processes)'
	'no discovery|del(.discovery)'
	'id as a string|.namespaces["4026531835"].id = "20481"'
	'id zero|.namespaces["4026531835"].id = 0'
	'id negative|.namespaces["4026531835"].id = -1'
	'id a fraction|.namespaces["4026531835"].id = 1.5'
	'two namespaces with one id|.namespaces["4026531839"].id = .namespaces["4026531835"].id'
	'an id-only namespace with the id of another|.namespaces["id:30122077"].id = .namespaces["4026531835"].id'
	'a namespace with neither nsid nor id|del(.namespaces["4026532404"].nsid)'
	'an id-only namespace keyed by another id|.namespaces["id:30122077"].id = 30122078'
	'an id-only namespace with an nsid|.namespaces["id:30122077"].nsid = 4026532999'
	'an id-only namespace without its id|del(.namespaces["id:30122077"].id)'
	'an id-only namespace keyed by a bad id|.namespaces["id:x"] = .namespaces["id:30122077"] | del(.namespaces["id:30122077"])'
	'an id-only namespace with an owner|.namespaces["id:30122077"].owner = 4026531837'
	'a link by inode to an id-only namespace|.processes["100"].namespaces.net = 30122077'
	'a namespace with an id keyed by it|.namespaces["id:20481"] = .namespaces["4026531835"] | del(.namespaces["4026531835"])'
	'pidfd-ino as a string|.processes["100"]["pidfd-ino"] = "1100"'
	'pidfd-ino zero|.processes["100"]["pidfd-ino"] = 0'
	'pidfd-ino negative|.processes["100"]["pidfd-ino"] = -1100'
	'netnsid as a string|.namespaces["4026532405"].netnsid = "7"'
	'netnsid null|.namespaces["4026532405"].netnsid = null'
	'netnsid a fraction|.namespaces["4026532405"].netnsid = 1.5'
	'netnsid below -1|.namespaces["4026532405"].netnsid = -2'
	'netnsid beyond 31 bits|.namespaces["4026532405"].netnsid = 2147483648'
	'netnsid on a user namespace|.namespaces["4026531837"].netnsid = 1'
	'netnsid on a uts namespace|.namespaces["4026531838"].netnsid = -1'
	'netnsid on an id-only namespace|.namespaces["id:30122077"].netnsid = 1'
)

@test "--load: values of the wrong type or out of range exit 1, naming the value" {
	local c i program=
	local -a docs
	# every case from one jq: one compact document a line
	for c in "${MISTYPED[@]}"; do
		program+="${program:+, }(${c#*|})"
	done
	mapfile -t docs < <(jq -c "$program" "$FIXTURE_DUMP")
	[ "${#docs[@]}" -eq "${#MISTYPED[@]}" ]
	for i in "${!MISTYPED[@]}"; do
		printf '%s\n' "${docs[i]}" >"$T/case.json"
		load_error_all "${MISTYPED[i]%%|*}" "$T/case.json"
	done
}

# warning_of TOOL FILTER LINE: TOOL --load of the fixture changed by the
# jq FILTER warns exactly LINE.
warning_of() {
	jq "$2" "$FIXTURE_DUMP" >"$T/changed.json"
	tool "$1" --load "$T/changed.json" >/dev/null 2>"$T/err"
	grep -qxF "$3" "$T/err" || { show "$T/err"; false; }
}

# ptrace_warning UNREAD LINE: warning_of pidtree, for the fixture made
# with CAP_SYS_PTRACE, nothing unread but UNREAD (a JSON member of
# discovery.unread).
ptrace_warning() {
	warning_of pidtree ".discovery |= (.unread = ({\"processes\": 0,
		\"fd-tables\": 0, \"sockets\": 0, \"mount-namespaces\": 0} + {$1})
		| .inaccessible = 0 | .[\"cap-sys-ptrace\"] = true)" "$2"
}

@test "--load: the warning is worded anew from discovery.unread, never the dump's text" {
	local name
	jq '.discovery |= (.unread = {"processes": 2, "fd-tables": 1, "sockets": 3,
		"mount-namespaces": 1} | .["cap-sys-ptrace"] = false
		| .warnings = ["\u001b[2Jforged"])' "$FIXTURE_DUMP" >"$T/unread.json"
	for name in "${TOOLS[@]}"; do
		tool "$name" --load "$T/unread.json" >/dev/null 2>"$T/err"
		grep -qxF "$name: warning: without CAP_SYS_PTRACE, could not read the namespaces of PID 250, 1 other process or thread, the open fds of 1 process (CAP_SYS_PTRACE would read them, or CAP_DAC_READ_SEARCH), the network namespaces of 3 sockets (CAP_SYS_PTRACE would ask them, or CAP_NET_ADMIN), the bind mounts in 1 mount namespace without processes, and what they hold is missing; run as root, or as USER with only CAP_SYS_PTRACE, from a root shell: capsh --caps='cap_sys_ptrace+eip cap_setpcap,cap_setuid,cap_setgid+ep' --keep=1 --user=USER --addamb=cap_sys_ptrace -- -c COMMAND" "$T/err" ||
			{ show "$T/err"; false; }
		only_warning "$name" "$T/err"
	done
	# the dump nsdiscover writes from it carries the same words
	tool nsdiscover --load "$T/unread.json" --json 2>"$T/err" >"$T/again.json"
	jq -e --arg w "$(sed 's/^nsdiscover: warning: //' "$T/err")" \
		'.discovery.warnings == [$w]' "$T/again.json"
	# how the unread mount namespaces were tried, and what would read them
	warning_of lsuserns '.discovery |= (.unread["mount-namespaces"] = 2
		| .["mount-namespaces-tried"] = {"listmount": 1, "entering": 1})' \
		'lsuserns: warning: could not read the namespaces of PID 250, the bind mounts in 2 mount namespaces without processes (tried listmount and entering: CAP_SYS_ADMIN would read them), and what they hold is missing'
	warning_of lsuserns '.discovery |= (.unread["mount-namespaces"] = 1
		| .["mount-namespaces-tried"] = {"listmount": 0, "entering": 1})' \
		'lsuserns: warning: could not read the namespaces of PID 250, the bind mounts in 1 mount namespace without processes (tried entering: CAP_SYS_ADMIN would read them, or Linux 6.18 for listmount), and what they hold is missing'
	# a dump from before "unread": its inaccessible processes stand for it
	warning_of lsuserns 'del(.discovery.unread)' \
		'lsuserns: warning: could not read the namespaces of PID 250, and what they hold is missing'
	# up to three PIDs are named, in order; more are counted
	warning_of lsuserns '.processes["300"].inaccessible = true
		| .discovery.inaccessible = 2 | .discovery.unread.processes = 2' \
		'lsuserns: warning: could not read the namespaces of PIDs 250 and 300, and what they hold is missing'
	warning_of lsuserns '.processes["300"].inaccessible = true
		| .processes["1"].inaccessible = true
		| .discovery.inaccessible = 3 | .discovery.unread.processes = 3' \
		'lsuserns: warning: could not read the namespaces of PIDs 1, 250 and 300, and what they hold is missing'
	warning_of lsuserns '.processes["300"].inaccessible = true
		| .processes["1"].inaccessible = true
		| .processes["301"].inaccessible = true
		| .discovery.inaccessible = 4 | .discovery.unread.processes = 4' \
		'lsuserns: warning: could not read the namespaces of 4 of 11 processes, and what they hold is missing'
	# with CAP_SYS_PTRACE, only CAP_DAC_READ_SEARCH or a newer kernel
	# would have read the fds
	ptrace_warning '"fd-tables": 2' 'pidtree: warning: could not read the open fds of 2 processes (CAP_DAC_READ_SEARCH would read them, or Linux 5.14), and what they hold is missing'
	# and a socket stays unasked only where its cookie is not its
	# namespace's ID: CAP_NET_ADMIN or a newer kernel
	ptrace_warning '"sockets": 1' 'pidtree: warning: could not read the network namespaces of 1 socket (CAP_NET_ADMIN would ask them, or Linux 6.18), and what they hold is missing'
}

@test "--load: containers whose engine's files were not read are said apart, with what would read them" {
	# alone, with CAP_SYS_PTRACE: no namespace is missing
	ptrace_warning '"containers": 2' "pidtree: warning: the names of 2 containers could not be read (CAP_DAC_READ_SEARCH would read the engines' files, unless their format is new)"
	ptrace_warning '"containers": 1' "pidtree: warning: the names of 1 container could not be read (CAP_DAC_READ_SEARCH would read the engines' files, unless their format is new)"
	# after what namespaces are missing
	warning_of lsuserns '.discovery.unread.containers = 3' \
		"lsuserns: warning: could not read the namespaces of PID 250, and what they hold is missing; the names of 3 containers could not be read (CAP_DAC_READ_SEARCH would read the engines' files, unless their format is new)"
	# without CAP_SYS_PTRACE, before how to run with it
	warning_of pidtree '.discovery |= (.unread = {"processes": 0,
		"fd-tables": 0, "sockets": 0, "mount-namespaces": 0,
		"containers": 1} | .inaccessible = 0
		| .["cap-sys-ptrace"] = false)' \
		"pidtree: warning: without CAP_SYS_PTRACE, other users' processes would not be read; the names of 1 container could not be read (CAP_DAC_READ_SEARCH would read the engines' files, unless their format is new); run as root, or as USER with only CAP_SYS_PTRACE, from a root shell: capsh --caps='cap_sys_ptrace+eip cap_setpcap,cap_setuid,cap_setgid+ep' --keep=1 --user=USER --addamb=cap_sys_ptrace -- -c COMMAND"
	# none unread: nothing said
	jq '.discovery |= (.unread = {"processes": 0, "fd-tables": 0,
		"sockets": 0, "mount-namespaces": 0, "containers": 0}
		| .inaccessible = 0 | .["cap-sys-ptrace"] = true)' \
		"$FIXTURE_DUMP" >"$T/none.json"
	tool pidtree --load "$T/none.json" >/dev/null 2>"$T/err"
	[[ ! -s $T/err ]] || { show "$T/err"; false; }
}

# nested KIND DEPTH: the fixture with the cmdline of process 100 nested
# DEPTH arrays deep (KIND cmdline), or with an unknown key of it nested
# DEPTH objects deep (KIND key); prints the path.
nested() {
	jq -c '.processes["100"].cmdline = "@NEST@"' "$FIXTURE_DUMP" |
		awk -v kind="$1" -v d="$2" '
		function times(s, n,   r) {
			for (r = ""; n > 0; n = int(n / 2)) {
				if (n % 2)
					r = r s
				s = s s
			}
			return r
		}
		{
			if (kind == "cmdline")
				s = times("[", d) times("]", d)
			else
				s = "[],\"deep\":" times("{\"a\":", d) "1" times("}", d)
			i = index($0, "\"@NEST@\"")
			print substr($0, 1, i - 1) s substr($0, i + 8)
		}' >"$T/nested-$1-$2.json"
	# it is there, at the depth asked for
	[ "$(tr -cd '[{' <"$T/nested-$1-$2.json" | wc -c)" -gt "$2" ] || return 1
	echo "$T/nested-$1-$2.json"
}

@test "--load: deeply nested values: refused, or ignored where unknown, never a crash" {
	local d
	for d in 10 1000 2000; do
		load_error_all "cmdline nested $d deep" "$(nested cmdline "$d")"
	done
	# beyond what the parser allows, anywhere
	for d in 2100 100000; do
		load_error_all "cmdline nested $d deep" "$(nested cmdline "$d")"
		load_error_all "an unknown key nested $d deep" "$(nested key "$d")"
	done
	# an unknown key is no error: room for later versions
	for name in "${TOOLS[@]}"; do
		run_tool 0 "$name" --load "$(nested key 1000)"
		[ -s "$T/out" ]
	done
}

@test "--load: a 300 MiB dump is refused as too large, at once and in little memory" {
	local name st rss secs
	# a dump in form, of processes with long command lines, past 64 MiB
	awk -v target=$((300 << 20)) 'BEGIN {
		pad = sprintf("%0900d", 0)
		gsub(/0/, "x", pad)
		printf "{\"namespaces\":{},\"processes\":{"
		for (i = 100000; size < target; i++) {
			s = sprintf("%s\"%d\":{\"pid\":%d,\"ppid\":1,\"name\":\"p\",\"cmdline\":[\"%s\"],\"state\":\"S\",\"starttime\":1,\"uid\":0,\"namespaces\":{},\"nspid\":[%d],\"tasks\":[]}",
				i > 100000 ? "," : "", i, i, pad, i)
			printf "%s", s
			size += length(s)
		}
		print "}}"
	}' >"$T/huge.json"
	[ "$(stat -c %s "$T/huge.json")" -gt $((300 << 20)) ]
	for name in "${TOOLS[@]}"; do
		for src in file stdin; do
			st=0
			if [ "$src" = file ]; then
				timeout -k 5 60 /usr/bin/time -f '%M %e' -o "$T/time" \
					"$NSTOOLS_BIN/$name" --load "$T/huge.json" \
					>"$T/out" 2>"$T/err" || st=$?
			else
				timeout -k 5 60 /usr/bin/time -f '%M %e' -o "$T/time" \
					"$NSTOOLS_BIN/$name" --load - <"$T/huge.json" \
					>"$T/out" 2>"$T/err" || st=$?
			fi
			read -r rss secs < <(tail -n 1 "$T/time")
			echo "# $name --load ($src) of 300 MiB: exit $st, max RSS $((rss / 1024)) MiB, $secs s" >&3
			[ "$st" -eq 1 ] || { echo "$name ($src): exit $st" >&2; show "$T/err"; false; }
			[ ! -s "$T/out" ]
			grep -q "^$name: .*larger than 64 MiB" "$T/err" || { show "$T/err"; false; }
			# bounded memory: far less than the file
			[ "$rss" -lt $((100 << 10)) ] ||
				{ echo "$name --load ($src) of 300 MiB: max RSS $((rss / 1024)) MiB" >&2; false; }
		done
	done
	rm -f "$T/huge.json"
}

@test "--load: out of memory while reading a dump is the tool's one message and exit 1" {
	local name
	# ASan reserves terabytes of address space: no limit fits it
	sanitized && skip "not with the sanitizers"
	# a dump in form that takes jansson some 250 MiB to read; the tools
	# start in a few: 100 MiB of address space runs out in the reading
	mutated many-warnings '.discovery.warnings = [range(2000000) | "w"]' \
		>/dev/null
	for name in "${TOOLS[@]}"; do
		(ulimit -v $((100 << 10)) &&
			run_tool 1 "$name" --load "$T/many-warnings.json") ||
			return 1
		mapfile -t ERR <"$T/err"
		[ "${ERR[*]}" = "$name: out of memory" ] ||
			{ show "$T/err"; return 1; }
	done
}

@test "--load: namespaces that are their own ancestors exit 1, naming the cycle" {
	local file
	file=$(mutated user-self '.namespaces["4026532101"].parent = 4026532101
		| .namespaces["4026532100"].children = []
		| .namespaces["4026532101"].children = [4026532101]')
	load_error_all "a user namespace its own parent" "$file"
	grep -q 'cycle' <<<"$LOAD_MESSAGE"
	file=$(mutated pid-self '.namespaces["4026532202"].parent = 4026532202
		| .namespaces["4026531836"].children -= [4026532202]
		| .namespaces["4026532202"].children = [4026532202]')
	load_error_all "a PID namespace its own parent" "$file"
	grep -q 'cycle' <<<"$LOAD_MESSAGE"
	file=$(mutated user-cycle '.namespaces["4026532100"].parent = 4026532101
		| .namespaces["4026531837"].children = []
		| .namespaces["4026532101"].children = [4026532100]')
	load_error_all "two user namespaces each other's parent" "$file"
	grep -q 'cycle' <<<"$LOAD_MESSAGE"
	# three PID namespaces in a ring, the root's child left out of it
	file=$(mutated pid-ring '.namespaces["4026532200"].parent = 4026532202
		| .namespaces["4026532202"].parent = 4026532201
		| .namespaces["4026532201"].children = [4026532202]
		| .namespaces["4026532202"].children = [4026532200]
		| .namespaces["4026531836"].children = []')
	load_error_all "three PID namespaces in a ring" "$file"
	grep -q 'cycle' <<<"$LOAD_MESSAGE"
	# without children lists to agree with: the parents alone
	file=$(mutated user-cycle-bare '.namespaces["4026532100"].parent = 4026532101
		| del(.namespaces[].children)')
	load_error_all "a user cycle, no children lists" "$file"
}

@test "--load: processes that are their own ancestors exit 1" {
	local -a failed=()
	# a ring that others hang from: 1 and 150 each other's parent
	refuse_mutated "a ring that others hang from" ppid-ring-below \
		'.processes["1"].ppid = 150 | .processes["150"].ppid = 1'
	# 301 and 310 (children of 300) each other's parent
	refuse_mutated "two processes each other's parent" ppid-pair \
		'.processes["301"].ppid = 310 | .processes["310"].ppid = 301'
	# 300, 301 and 310 in a ring: the namespace's init among them
	refuse_mutated "three processes in a ring" ppid-ring \
		'.processes["300"].ppid = 310
			| .processes["310"].ppid = 301 | .processes["301"].ppid = 300'
	report_unrefused
}

@test "--load: a process that is its own parent is a top of the tree, or refused, never lost" {
	local file name
	file=$(mutated ppid-self '.processes["301"].ppid = 301')
	for name in "${TOOLS[@]}"; do
		st=0
		timeout -k 5 20 "$NSTOOLS_BIN/$name" --load "$file" >"$T/out" 2>"$T/err" || st=$?
		[ "$st" -eq 0 ] || [ "$st" -eq 1 ] || { echo "$name: exit $st" >&2; false; }
		if [ "$st" -eq 1 ]; then
			[ ! -s "$T/out" ]
		elif [ "$name" = pidtree ]; then
			grep -qF '"sleep" (301/2)' "$T/out" || { show "$T/out"; false; }
		fi
	done
}

@test "--load: references to what is not in the dump, or lists that disagree, exit 1" {
	local -a failed=()
	refuse_mutated "children naming another's child" children-foreign \
		'.namespaces["4026532100"].children = [4026532101, 4026532900]'
	refuse_mutated "children naming a namespace not there" children-missing \
		'.namespaces["4026532100"].children += [12345]'
	refuse_mutated "children naming a PID namespace" children-type \
		'.namespaces["4026532100"].children += [4026532202]'
	refuse_mutated "children leaving out a child" children-omitted \
		'.namespaces["4026532100"].children = []'
	refuse_mutated "a bind mount in a mount namespace not there" mntns-missing \
		'.namespaces["4026532300"].sources[0].mntns = 12345'
	refuse_mutated "a bind mount in a net namespace" mntns-type \
		'.namespaces["4026532300"].sources[0].mntns = 4026531833'
	refuse_mutated "for-children naming a process not there" for-children-missing \
		'.namespaces["4026532202"].sources += [{"kind": "for-children", "pid": 77777}]'
	refuse_mutated "for-children naming a task not there" for-children-task \
		'.namespaces["4026532202"].sources += [{"kind": "for-children", "pid": 299, "tid": 77777}]'
	refuse_mutated "for-children of a net namespace" for-children-net \
		'.namespaces["4026532400"].sources += [{"kind": "for-children", "pid": 299}]'
	refuse_mutated "an owner not there" owner-missing \
		'.namespaces["4026532401"].owner = 12345'
	refuse_mutated "an owner that is no user namespace" owner-type \
		'.namespaces["4026532401"].owner = 4026531833'
	refuse_mutated "a process in a namespace not there" proc-ns-missing \
		'.processes["301"].namespaces.net = 12345'
	refuse_mutated "a process in a PID namespace as its net namespace" proc-ns-type \
		'.processes["301"].namespaces.net = 4026531836'
	refuse_mutated "a task in a namespace not there" task-ns-missing \
		'.processes["100"].tasks[0].namespaces.uts = 12345'
	refuse_mutated "the discovering process not there" discovery-pid \
		'.discovery.pid = 77777'
	refuse_mutated "the discovering PID namespace a net namespace" discovery-pidns \
		'.discovery.pidns = 4026531833'
	refuse_mutated "a namespace under another's key" key-nsid \
		'.namespaces["4026531835"].nsid = 4026531836'
	refuse_mutated "a process under another's key" key-pid \
		'.processes["100"].pid = 101'
	report_unrefused
}

# --- names built to break things ------------------------------------------------

R=$'\xef\xbf\xbd'

# The names given (PR_SET_NAME; the kernel keeps 15 bytes), how the views
# quote them, and the name in the JSON (U+FFFD for each invalid byte).
NAME_IN=(
	$'\e[2J\e[Hclear' $'\e]0;pwned\a' ')' '(' 'x) Z 1 1 1 (' $'two\nlines'
	$'cr\r\n' $'\xff\xfebad' $'\xc0\xafslash' 'fifteen-bytes!!'
	'sixteen-bytes!!!' '' $'a\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac'
	'abcd😀😀😀' $'\xc2\x9b2Jcsi' $'\xe2\x80\xaertl' 'q"b\s' $'t\tdel\x7f'
)
NAME_QUOTED=(
	'"\x1b[2J\x1b[Hclear"' '"\x1b]0;pwned\x07"' '")"' '"("' '"x) Z 1 1 1 ("'
	'"two\nlines"' '"cr\r\n"' '"\xff\xfebad"' '"\xc0\xafslash"'
	'"fifteen-bytes!!"' '"sixteen-bytes!!"' '""' '"a€€€€\xe2\x82"'
	'"abcd😀😀\xf0\x9f\x98"' '"\u009b2Jcsi"' '"\u202ertl"' '"q\"b\\s"'
	'"t\tdel\x7f"'
)
NAME_JSON=(
	$'\e[2J\e[Hclear' $'\e]0;pwned\a' ')' '(' 'x) Z 1 1 1 (' $'two\nlines'
	$'cr\r\n' "$R${R}bad" "$R${R}slash" 'fifteen-bytes!!' 'sixteen-bytes!!' ''
	"a€€€€$R$R" "abcd😀😀$R$R$R" $'\xc2\x9b2Jcsi' $'\xe2\x80\xaertl' 'q"b\s'
	$'t\tdel\x7f'
)

# fixture_names: a process with each of NAME_IN (NAME_PID[i]); the first
# two lead a user, net and uts namespace of their own (NAMES_USER, ...),
# the next two a PID namespace (NAMES_PIDNS, NAMES_PIDNS2); a zombie named
# $'zom\nbie' (NAMES_ZOMBIE); a process with an empty command line and
# hostile thread names, one of them alone in a net namespace (ODD_PID,
# ODD_LOOSE, ODD_NET).
fixture_names() {
	local i rename=$NSTOOLS_HELPERS/rename
	local -a started
	NAME_PID=()
	for i in "${!NAME_IN[@]}"; do
		case $i in
		0 | 1)
			start unshare --user --map-root-user --net --uts \
				"$rename" "${NAME_IN[i]}" "$FIX/name.$i" ;;
		2 | 3)
			start unshare --pid --fork "$rename" "${NAME_IN[i]}" "$FIX/name.$i" ;;
		*)
			start "$rename" "${NAME_IN[i]}" "$FIX/name.$i" ;;
		esac
		started[i]=$STARTED
	done
	for i in "${!NAME_IN[@]}"; do
		wait_file "$FIX/name.$i"
		NAME_PID[i]=$(cat "$FIX/name.$i")
	done
	# those are 1 in their PID namespaces: their PIDs as seen from here
	NAME_PID[2]=$(only_child "${started[2]}")
	NAME_PID[3]=$(only_child "${started[3]}")
	NAMES_USER=$(ns_ino "${NAME_PID[0]}" user)
	NAMES_NET=$(ns_ino "${NAME_PID[0]}" net)
	NAMES_PIDNS=$(ns_ino "${NAME_PID[2]}" pid)
	NAMES_PIDNS2=$(ns_ino "${NAME_PID[3]}" pid)
	# the zombie: its parent execs a sleep that never reaps it
	start sh -c '"$0" "$1" "$2" & exec sleep 1000' "$rename" $'zom\nbie' "$FIX/zombie"
	wait_file "$FIX/zombie"
	NAMES_ZOMBIE=$(cat "$FIX/zombie")
	kill -KILL "$NAMES_ZOMBIE"
	wait_for grep -q '^State:[[:space:]]*Z' "/proc/$NAMES_ZOMBIE/status"
	start "$NSTOOLS_HELPERS/oddtask" "$FIX/odd" $'odd\e[2J' $'lo\nose' \
		$'\e]2;t\a' $'\xff' ')'
	wait_file "$FIX/odd"
	read -r ODD_PID ODD_LOOSE <"$FIX/odd"
	ODD_NET=$(stat -L -c %i "/proc/$ODD_PID/task/$ODD_LOOSE/ns/net")
	[ -z "$(cat "/proc/$ODD_PID/cmdline")" ]
}

# view_args NAME: the arguments that show most of tool NAME.
view_args() {
	case $1 in
	lsuserns) echo -d ;;
	lspidns) echo -u ;;
	pidtree) echo -t ;;
	nsdiscover) ;;
	esac
}

# check_view FILE STYLE COLOR: FILE is a view in STYLE with colours COLOR
# (always or never): without the colour sequences of terminfo, no ESC byte
# is left, and every line is a tree line. The plain text goes to FILE.plain.
check_view() {
	if [ "$3" = always ]; then
		grep -q $'\x1b\\[' "$1" || { echo "$1: no colour" >&2; return 1; }
		strip_sgr <"$1" >"$1.plain"
	else
		cp "$1" "$1.plain"
	fi
	no_escape "$1.plain" && lines_well_formed "$1.plain" "$2"
}

@test "names: hostile names, threads, a zombie, an empty cmdline, kernel threads: every live view keeps one node a line" {
	local name style color i args
	fixture_names
	for name in "${TOOLS[@]}"; do
		args=$(view_args "$name")
		for style in line ascii; do
			for color in never always; do
				# shellcheck disable=SC2086 # no or one argument
				TERM=xterm-256color LC_ALL=C.UTF-8 \
					run_tool 0 "$name" $args --treestyle="$style" --color="$color"
				only_warning "$name" "$T/err"
				cp "$T/out" "$T/view"
				check_view "$T/view" "$style" "$color" ||
					{ echo "$name $args --treestyle=$style --color=$color" >&2; false; }
			done
		done
		# the names as quoted, where each tool shows them (ascii, plain)
		case $name in
		pidtree)
			for i in "${!NAME_IN[@]}"; do
				grep -qF "${NAME_QUOTED[i]} (${NAME_PID[i]}" "$T/view.plain" ||
					{ echo "pidtree: no ${NAME_QUOTED[i]} (${NAME_PID[i]}" >&2; false; }
			done
			grep -qF "\"zom\\nbie\" ($NAMES_ZOMBIE)" "$T/view.plain"
			grep -qF "o- task \"lo\\nose\" [$ODD_LOOSE] of \"odd\\x1b[2J\" ($ODD_PID) in net:[$ODD_NET]" "$T/view.plain"
			grep -qF "task \"\\x1b]2;t\\x07\" [" "$T/view.plain"
			grep -qF '"kthreadd" (2)' "$T/view.plain"
			;;
		lspidns)
			grep -qF "pid:[$NAMES_PIDNS] process ${NAME_QUOTED[2]} (${NAME_PID[2]})" "$T/view.plain"
			grep -qF "pid:[$NAMES_PIDNS2] process ${NAME_QUOTED[3]} (${NAME_PID[3]})" "$T/view.plain"
			;;
		lsuserns)
			grep -qF "user:[$NAMES_USER] process ${NAME_QUOTED[0]} (${NAME_PID[0]})" "$T/view.plain"
			grep -qF "o- net:[$NAMES_NET] process ${NAME_QUOTED[0]} (${NAME_PID[0]})" "$T/view.plain"
			;;
		nsdiscover)
			none_counted <"$T/view.plain" |
				grep -qF "net:[$ODD_NET] task \"lo\\nose\" [$ODD_LOOSE] of \"odd\\x1b[2J\" ($ODD_PID), 0 processes"
			grep -qF "net:[$NAMES_NET] process ${NAME_QUOTED[0]} (${NAME_PID[0]})" "$T/view.plain"
			;;
		esac || { show "$T/view.plain"; false; }
	done
}

@test "names: the JSON is valid UTF-8 and the names come back, U+FFFD for each invalid byte" {
	local i
	fixture_names
	dump
	only_warning nsdiscover "$BATS_TEST_TMPDIR/stderr"
	jq empty "$BATS_TEST_TMPDIR/dump.json"
	iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/dump.json" >/dev/null
	# (DEL may stand as it is in JSON)
	run ! env LC_ALL=C grep -q $'[\x01-\x1f]' "$BATS_TEST_TMPDIR/dump.json"
	for i in "${!NAME_IN[@]}"; do
		check '.processes[$p].name == $n' --arg p "${NAME_PID[i]}" --arg n "${NAME_JSON[i]}" ||
			{ echo "name $i: $(q -c --arg p "${NAME_PID[i]}" '.processes[$p].name')" >&2; false; }
	done
	check '.processes[$p] | .name == "zom\nbie" and .state == "Z" and .cmdline == []' \
		--arg p "$NAMES_ZOMBIE"
	check '.processes[$p] | .name == "odd\u001b[2J" and .cmdline == []
		and ([.tasks[].name] | sort) == (["lo\nose", "\u001b]2;t\u0007", "\ufffd", ")"] | sort)' \
		--arg p "$ODD_PID"
	check '.processes["2"] | .name == "kthreadd" and .cmdline == [] and .ppid == 0'
	# and a dump of them renders them as the tools show them live, but
	# for the invalid bytes, which the dump holds as U+FFFD
	local -a loaded=("${NAME_QUOTED[@]}")
	loaded[7]="\"$R${R}bad\"" loaded[8]="\"$R${R}slash\""
	loaded[12]="\"a€€€€$R$R\"" loaded[13]="\"abcd😀😀$R$R$R\""
	tool pidtree --load "$BATS_TEST_TMPDIR/dump.json" >"$T/loaded" 2>/dev/null
	for i in "${!NAME_IN[@]}"; do
		grep -qF "${loaded[i]} (${NAME_PID[i]}" "$T/loaded" ||
			{ echo "no ${loaded[i]} (${NAME_PID[i]}" >&2; show "$T/loaded"; false; }
	done
}

# list_well_formed FILE N: FILE (a list of N namespaces, with headings)
# has N + 1 lines, none with a control character, a C1 control or a mark
# that reorders a line; for raw output, nothing but printable ASCII.
list_well_formed() {
	local n
	n=$(wc -l <"$1")
	[ "$n" -eq $(($2 + 1)) ] || { echo "$1: $n lines for $2 namespaces" >&2; cat -v "$1" >&2; return 1; }
	if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]\|\xe2\x80[\xa8-\xae]' "$1"; then
		echo "$1: control characters:" >&2
		cat -v "$1" >&2
		return 1
	fi
}

@test "names: the list keeps one namespace a line in every column, as a table, raw and JSON" {
	local n d=$BATS_TEST_TMPDIR/dump.json
	fixture_names
	# live: no control character reaches the output
	LC_ALL=C.UTF-8 run_tool 0 nsdiscover -l -W --output-all
	list_well_formed "$T/out" "$(($(wc -l <"$T/out") - 1))"
	run ! grep -vE '^( *[0-9]+ | +[a-z]+ | +NS )' "$T/out"
	# from one dump, so that the count stays: a line a namespace
	dump
	LC_ALL=C.UTF-8 run_tool 0 nsdiscover -J --output-all --load "$d"
	jq empty "$T/out"
	iconv -f UTF-8 -t UTF-8 "$T/out" >/dev/null
	run ! env LC_ALL=C grep -q $'[\x01-\x1f]' "$T/out"
	n=$(jq '.namespaces | length' "$T/out")
	# the hostile names are there, as JSON strings
	jq -e --arg ns "$NAMES_NET" '.namespaces[] | select(.ns == ($ns | tonumber))
		| .command | contains("\u001b[2J")' "$T/out"
	LC_ALL=C.UTF-8 run_tool 0 nsdiscover -l -W --output-all --load "$d"
	list_well_formed "$T/out" "$n"
	grep -qF '\x1b[2J\x1b[Hclear' "$T/out"
	LC_ALL=C.UTF-8 run_tool 0 nsdiscover -r --output-all --load "$d"
	list_well_formed "$T/out" "$n"
	run ! env LC_ALL=C grep -q '[^ -~]' "$T/out"
}

# container_fixture NAME ENGINE UNIT: the fixture with processes 150, 300
# and 301 in one container called NAME of ENGINE, and the unit of init
# UNIT (jq strings); prints the path.
container_fixture() {
	local f=$T/containers-$RANDOM.json
	jq ".processes[\"150\"].container |= (.name = $1 | .engine = $2)
		| .processes[\"300\"].container = .processes[\"150\"].container
		| .processes[\"301\"].container = .processes[\"150\"].container
		| .processes[\"1\"].unit = $3" "$FIXTURE_DUMP" >"$f"
	echo "$f"
}

@test "names: hostile container names, engines and units from a dump: one line each, escaped, in every view and list" {
	local name args style color evil plain n
	evil=$(container_fixture '"evil\n\u001b[31m\"x\u202e"' '"dock\u001b[2Jer"' \
		'"init\n\u001b]0;x\u0007.scope"')
	plain=$(container_fixture '"plain"' '"docker"' '"init.scope"')
	for name in "${TOOLS[@]}"; do
		for args in "" "$(view_args "$name")"; do
			for style in line ascii; do
				# shellcheck disable=SC2086 # no or one argument
				tool "$name" $args --treestyle="$style" --color=never \
					--load "$plain" >"$T/plain" 2>/dev/null
				for color in never always; do
					# shellcheck disable=SC2086 # no or one argument
					TERM=xterm-256color LC_ALL=C.UTF-8 \
						run_tool 0 "$name" $args --treestyle="$style" \
						--color="$color" --load "$evil"
					cp "$T/out" "$T/$color"
					[ "$color" = never ] || strip_sgr <"$T/out" >"$T/$color"
					no_escape "$T/$color"
					# as many lines as with names that break nothing
					expect_eq "lines of $name $args --treestyle=$style --color=$color" \
						"$(wc -l <"$T/$color")" "$(wc -l <"$T/plain")" ||
						{ show "$T/$color"; false; }
				done
				cmp "$T/never" "$T/always"
			done
		done
		# where each shows it: the label of pid:[4026532202], or the process
		grep -qF 'container "evil\n\x1b[31m\"x\u202e" (dock\x1b[2Jer 0123456789ab)' "$T/never" ||
			{ echo "$name: no escaped container" >&2; show "$T/never"; false; }
	done
	tool pidtree --load "$evil" 2>/dev/null | grep -qF '"init" (1) controlled by "/init.scope" in unit "init\n\x1b]0;x\x07.scope"'
	# the list: a line a namespace, as a table, raw and JSON
	LC_ALL=C.UTF-8 run_tool 0 nsdiscover -J --output-all --load "$evil"
	jq -e '.namespaces[] | select(.pid == 300) | .container == "evil\n\u001b[31m\"x\u202e"
		and .engine == "dock\u001b[2Jer"' "$T/out"
	jq -e '.namespaces[] | select(.pid == 1) | .unit == "init\n\u001b]0;x\u0007.scope"' "$T/out" >/dev/null
	n=$(jq '.namespaces | length' "$T/out")
	LC_ALL=C.UTF-8 run_tool 0 nsdiscover -l -W --output-all --load "$evil"
	list_well_formed "$T/out" "$n"
	grep -qF 'evil\n\x1b[31m"x\u202e' "$T/out" || { show "$T/out"; false; }
	LC_ALL=C.UTF-8 run_tool 0 nsdiscover -r --output-all --load "$evil"
	list_well_formed "$T/out" "$n"
	run ! env LC_ALL=C grep -q '[^ -~]' "$T/out"
}

@test "names: a dump of them renders every view, both styles, both colours, one node a line" {
	local name style color args n want
	fixture_names
	dump
	local d=$BATS_TEST_TMPDIR/dump.json
	for name in "${TOOLS[@]}"; do
		for args in "" "$(view_args "$name")"; do
			for style in line ascii; do
				for color in never always; do
					# shellcheck disable=SC2086 # no or one argument
					TERM=xterm-256color LC_ALL=C.UTF-8 \
						run_tool 0 "$name" $args --treestyle="$style" \
						--color="$color" --load "$d"
					cp "$T/out" "$T/$color"
					check_view "$T/$color" "$style" "$color"
				done
				# colours from terminfo are all there is to it
				cmp "$T/never" "$T/always.plain"
				# one line a node: count what the dump says is shown
				n=$(wc -l <"$T/never")
				case "$name $args" in
				"pidtree "*)
					# every process, its threads with -t, and the PID
					# namespace nodes (lines of nothing else)
					want=$(jq --arg t "$args" '(.processes | length) +
						(if $t == "-t" then [.processes[].tasks[]] | length else 0 end)' "$d")
					want=$((want + $(grep -cE '^[^"]*pid:\[[0-9]+\](, owned by UID [0-9]+( \("[^"]*"\))?)?$' "$T/never")))
					;;
				"lsuserns ")
					want=$(jq '[.namespaces[] | select(.type == "user")] | length' "$d") ;;
				"lsuserns -d")
					want=$(jq '[.namespaces[] | select(.type == "user" or .owner != null)] | length' "$d") ;;
				"lspidns ")
					want=$(jq '[.namespaces[] | select(.type == "pid")] | length' "$d") ;;
				"lspidns -u")
					want=$(jq '[.namespaces[] | select(.type == "pid")] | length' "$d")
					want=$((want + $(grep -cE '^[^a-z]*user:\[' "$T/never"))) ;;
				"nsdiscover ")
					# the node lines (not the property lines): one a
					# namespace
					n=$(LC_ALL=C.UTF-8 grep -cE '^((│  |\|  |   )*(├─ |└─ |\|- |`- ))?[a-z]+:\[' "$T/never")
					want=$(jq '.namespaces | length' "$d") ;;
				esac
				expect_eq "lines of $name $args --treestyle=$style" "$n" "$want" ||
					{ show "$T/never"; false; }
			done
		done
	done
}
