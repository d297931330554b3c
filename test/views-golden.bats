#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The views, byte for byte: every case of golden/cases rendered from the
# fixture dump fixtures/hostile.json (hidden namespaces, several roots, a
# loose thread, every source kind, hostile names, an inaccessible process)
# in both tree styles, with colours always and never. To change what a
# view prints, change the code, run golden/update and read the diff.

load common

# check_golden NAME: all four renderings of case NAME match.
check_golden() {
	local style color
	for style in line ascii; do
		for color in never always; do
			golden/render "$1" "$style" "$color" >"$BATS_TEST_TMPDIR/out"
			if ! cmp -s "$BATS_TEST_TMPDIR/out" "golden/$1.$style.$color"; then
				echo "golden/$1.$style.$color differs:"
				diff "golden/$1.$style.$color" "$BATS_TEST_TMPDIR/out" | cat -v
				return 1
			fi
		done
	done
}

@test "golden: lsuserns" {
	check_golden lsuserns
}

@test "golden: lsuserns -d" {
	check_golden lsuserns-details
}

@test "golden: lsuserns -d -t net,pid" {
	check_golden lsuserns-details-net-pid
}

@test "golden: lspidns" {
	check_golden lspidns
}

@test "golden: lspidns -u" {
	check_golden lspidns-user
}

@test "golden: pidtree" {
	check_golden pidtree
}

@test "golden: pidtree -t" {
	check_golden pidtree-tasks
}

@test "golden: pidtree -p 301" {
	check_golden pidtree-branch
}

@test "golden: pidtree -n pid:[4026532202] -p 2" {
	check_golden pidtree-branch-ns
}

@test "golden: pidtree -n id:1523713 -p 2: the same namespace by its ID" {
	check_golden pidtree-branch-ns-id
	cmp golden/pidtree-branch-ns.line.never \
		golden/pidtree-branch-ns-id.line.never
}

@test "golden: pidtree --pid 250" {
	check_golden pidtree-unknown-branch
}

@test "golden: nsdiscover" {
	check_golden nsdiscover
}

@test "golden: nsdiscover -t net,user" {
	check_golden nsdiscover-net-user
}

@test "golden: nsdiscover -l --output-all -u" {
	check_golden nsdiscover-list
}

@test "golden: nsdiscover -l -t net" {
	check_golden nsdiscover-list-net
}

@test "golden: nsdiscover -r -n --output-all" {
	check_golden nsdiscover-list-raw
}

@test "golden: nsdiscover -J --output-all" {
	check_golden nsdiscover-list-json
	jq -e '.namespaces | length > 20' golden/nsdiscover-list-json.line.never
}

@test "golden: every case has its four expected files" {
	local name style color
	for name in $(grep -Ev '^(#|$)' golden/cases | cut -d' ' -f1); do
		for style in line ascii; do
			for color in never always; do
				[ -s "golden/$name.$style.$color" ]
			done
		done
	done
}

@test "golden: colour never writes no escape byte, always does" {
	run grep -l $'\x1b' golden/*.never
	assert_failure 1
	for f in golden/*.always; do
		# a list has no colours, as lsns's
		[[ $f == golden/nsdiscover-list* ]] && continue
		grep -q $'\x1b\\[' "$f"
	done
}

@test "golden: hostile names cannot break a line or reach the terminal" {
	# every line of every rendering starts with a namespace (by inode, or
	# by ID), a quote, a tree glyph or the node of namespaces of unknown
	# owner: no name broke a line
	run grep -vhE '^([a-z]+:\[|[a-z]+:id:[0-9]|"|[│├└ |`]|\x1b|owner unknown, )' \
		$(ls golden/*.never | grep -v golden/nsdiscover-list)
	assert_failure 1
	# and every line of a list is a namespace (or the headings, or the
	# second bind mount of a namespace alone in its NSFS cell)
	run grep -vhE '^( *[0-9]+ | +[a-z]+ |[0-9]+ [a-z]+ | [a-z]+ | +NS | +/[^ ]+ *$)' \
		golden/nsdiscover-list.*.never golden/nsdiscover-list-net.*.never \
		golden/nsdiscover-list-raw.*.never
	assert_failure 1
	# the escape bytes in the fixture's names are shown, not sent
	grep -q 'a\\") (b\\n\\x1b\[31mX' golden/pidtree.line.never
	grep -q 'stray\\nthread' golden/lsuserns-details.line.never
}

@test "golden: lsuserns -p 300" {
	check_golden lsuserns-pid
}

@test "golden: lsuserns -d -t net,pid,mnt --pid 301" {
	check_golden lsuserns-pid-details
}

@test "golden: lspidns -p 301" {
	check_golden lspidns-pid
}

@test "golden: lspidns -u -n pid:[4026532202] --task 2: 301 by its inner PID" {
	check_golden lspidns-user-pid-ns
}

@test "golden: nsdiscover -p 301: its namespaces, with where each was found" {
	check_golden nsdiscover-pid
}

@test "golden: nsdiscover -t pid,user --ns pid:[4026532202] --task 2" {
	check_golden nsdiscover-pid-ns-types
}

@test "golden: nsdiscover NS...: each with the processes and threads in it" {
	check_golden nsdiscover-ns-args
}

@test "golden: nsdiscover -p 301 NS...: those of the process only" {
	check_golden nsdiscover-pid-ns-args
}

@test "golden: nsdiscover -l with the columns CONTAINER, ENGINE, UNIT" {
	check_golden nsdiscover-list-containers
}

@test "golden: lspidns -u -p container:NAME: down to the container's init" {
	check_golden lspidns-container
}

@test "golden: pidtree -p container:NAME: the branch down to its init" {
	check_golden pidtree-container
}

@test "golden: nsdiscover -p container:NAME: the namespaces of its init" {
	check_golden nsdiscover-container
}

@test "golden: nsdiscover container:ID-PREFIX as a namespace argument" {
	check_golden nsdiscover-container-arg
}

@test "golden: nsdiscover -l -p container:NAME" {
	check_golden nsdiscover-list-container
}

# The details of ui/details.h, which no tool prints yet (the interactive
# interface's pane will), through test/helpers/details. Not byte for
# byte: a UID's name comes from this host's user database.
@test "details: every fact of a process and a thread, a line each" {
	run "$NSTOOLS_HELPERS/details" fixtures/hostile.json
	assert_success
	assert_line 'process "sleep" (301)'
	assert_line '   ⋄─ PID 301 in pid:[4026531836]'
	assert_line '   ⋄─ PID 2 in pid:[4026532202]'
	assert_line '   ⋄─ parent "sh" (300)'
	assert_line '   ⋄─ started 3.01 s after boot'
	assert_line '   ⋄─ command line "sleep" "1000"'
	assert_line '   ⋄─ container ID 95a74531ef0de275bb15d71ae35b25ebde1492cfc38a7745e41e6c98cd263a1a'
	assert_line '   ⋄─ container image "localhost/busybox:latest"'
	assert_line '   ⋄─ for children: pid:[4026532202] container "nsdemo" (podman 95a74531ef0d) process "sh" (300) controlled by "/user.slice"'
	assert_line '   ⋄─ its namespaces could not be read'
	assert_line '   ⋄─ PID 1 in pid:[???]'
	# a thread below its process, and on its own
	assert_line '└─ task "stray\nthread" [102] of "bash" (100)'
	assert_line '      ⋄─ net:[4026532401] task "stray\nthread" [102] of "bash" (100)'
	assert_line 'task "bash" [101] of "bash" (100)'
	assert_line '   ⋄─ in every namespace of its process'
}

@test "details: hostile names cannot break a line or reach the terminal" {
	run "$NSTOOLS_HELPERS/details" fixtures/hostile.json
	assert_success
	assert_line '   ⋄─ command line "evil" "\x1b]0;pwned\x07" "\u202eevil" "back\\slash" "\u009b2J"'
	assert_line '   ⋄─ cgroup "/evil\x1b[2J\"cg"'
	# every line is a process, a thread or below one: no name broke one
	refute_line --regexp '^([^pt│├└ ]|p[^r]|t[^a])'
	run grep -c '[[:cntrl:]]' <<<"$output"
	assert_output 0
}

# counts_of FILTER ARGS...: nsdiscover ARGS on the fixture changed by the jq
# FILTER, without the property lines.
counts_of() {
	local filter=$1
	shift
	jq "$filter" fixtures/hostile.json >"$BATS_TEST_TMPDIR/dump.json"
	run "$NSTOOLS_BIN/nsdiscover" --treestyle=ascii \
		--load "$BATS_TEST_TMPDIR/dump.json" "$@"
}

@test "counts: a namespace's process count is whole only where every process that may be in it was read" {
	# the fixture's inaccessible process: no namespace of it is known
	counts_of . -t pid,net
	assert_success
	assert_line 'net:[4026531833] process "init" (1) controlled by "/init.scope", at least 7 processes'
	assert_line 'net:[4026532402] held by fd 7 of "holder" (200), no process known'
	assert_line 'pid:[4026531836] process "init" (1) controlled by "/init.scope", at least 7 processes'
	# its PID namespace known from NSpid: that type's counts are whole
	counts_of '.processes["250"].nspid = [250]' -t pid,net
	assert_line 'net:[4026531833] process "init" (1) controlled by "/init.scope", at least 7 processes'
	assert_line 'pid:[4026531836] process "init" (1) controlled by "/init.scope", 8 processes'
	assert_line '|- pid:[4026532200] hidden, 0 processes'
	# a process not even in the model: every count is partial
	counts_of '.processes["250"].nspid = [250] | .discovery.unread.processes = 2' -t pid
	assert_line 'pid:[4026531836] process "init" (1) controlled by "/init.scope", at least 8 processes'
	assert_line '|- pid:[4026532200] hidden, no process known'
	# every process read: whole counts
	counts_of '.processes["250"].inaccessible = false | .discovery.inaccessible = 0 | .discovery.unread.processes = 0' -t pid,net
	assert_line 'net:[4026531833] process "init" (1) controlled by "/init.scope", 7 processes'
	assert_line 'net:[4026532402] held by fd 7 of "holder" (200), 0 processes'
	assert_line 'net:[4026532400] container "nsdemo" (podman 95a74531ef0d) process "sh" (300) controlled by "/user.slice", bind-mounted at "/run/netns/app" and 1 more, 2 processes'
	refute_output --partial 'at least'
}
