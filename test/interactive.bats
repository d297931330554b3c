#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The interactive interface, -i, with tmux as the terminal (tmux.bash): the
# first screen against the text view, golden screens from the fixture dump
# (golden/screens: folding, search, the details pane, the help), a refresh
# after a namespace came and went in a sandbox PID namespace, resize, the
# terminal given back, the hostile names of the fixture (no byte of them
# may reach the terminal as a control), and the errors before discovery.

load common
load sources
load views
load tmux

FIXTURE=$BATS_TEST_DIRNAME/fixtures/hostile.json

setup_file() {
	command -v tmux >/dev/null ||
		skip "tmux is not installed (make check installs it)"
}

setup() {
	views_setup
	tmux_init "$T"
}

teardown() {
	tmux_stop
	views_teardown
}

# waits_for WHAT CHECK [ARGS...]: polls CHECK for up to 10 s; when it
# never holds, says WHAT and prints the screen.
waits_for() {
	local what=$1
	shift
	tmux_poll 10 "$@" && return 0
	echo "$what" >&2
	tmux_screen >&2
	return 1
}

# wait_screen TEXT: waits until a row of the screen holds TEXT.
wait_screen() {
	waits_for "the screen never showed: $1" screen_has "$1"
}

# screen_lacks TEXT: no row of the screen holds TEXT.
screen_lacks() {
	! screen_has "$1"
}

# screen_matches REGEX: some row of the screen matches REGEX (grep -E).
screen_matches() {
	tmux_screen | grep -qE -- "$1"
}

# wait_match REGEX: waits until a row of the screen matches REGEX.
wait_match() {
	waits_for "the screen never matched: $1" screen_matches "$1"
}

# wait_no_screen TEXT: waits until no row holds TEXT.
wait_no_screen() {
	waits_for "the screen still shows: $1" screen_lacks "$1"
}

# expect_screen FILE: waits until the screen is FILE; shows the
# difference when it does not come.
expect_screen() {
	tmux_poll 10 screen_is "$1" && return 0
	echo "the screen is not $1:" >&2
	diff "$1" <(tmux_screen) >&2
	return 1
}

# wait_exit STATUS: waits until the pane's command ended with STATUS.
wait_exit() {
	if ! tmux_poll 10 test -s "$TMUX_EXIT"; then
		echo "the pane's command did not end" >&2
		tmux_screen >&2
		return 1
	fi
	[ "$(pane_status)" = "$1" ] && return 0
	echo "the pane's command ended with $(pane_status), not $1:" >&2
	tmux_screen >&2
	return 1
}

# first_rows TEXTFILE ROWS COLS HEADER: the rows the screen must start
# with for the text view TEXTFILE: its lines cut at COLS characters, as
# many as there are ROWS for trees, then blank rows; HEADER 1 when the
# view's first line (a list's heading) is the screen's first row, which
# is the same.
first_rows() {
	local line n=0
	while IFS= read -r line && ((n < $2)); do
		line=${line:0:$3}
		# as capture-pane, without the blanks at the end
		printf '%s\n' "${line%"${line##*[! ]}"}"
		n=$((n + 1))
	done <"$1"
	while ((n < $2)); do
		echo
		n=$((n + 1))
	done
}

# starts_with FILE ROWS: the first ROWS rows of the screen are FILE.
starts_with() {
	cmp -s "$1" <(tmux_screen | head -n "$2")
}

# check_first_screen W H TEXTFILE: the screen starts with the text view
# TEXTFILE cut to fit, down to the message line above the status line.
check_first_screen() {
	local rows=$(($2 - 2))
	first_rows "$3" "$rows" "$1" >"$T/expected"
	if ! tmux_poll 10 starts_with "$T/expected" "$rows"; then
		echo "the first $rows rows are not those of the text view:" >&2
		diff "$T/expected" <(tmux_screen | head -n "$rows") >&2
		return 1
	fi
}

# VIEWS: the five views with -i, as the arguments of nstool.
VIEWS=(lsuserns lspidns pidtree nsdiscover "nsdiscover -l")

@test "first screen: each view is its text view cut at the width, from --load" {
	local view
	for view in "${VIEWS[@]}"; do
		# shellcheck disable=SC2086
		TERM=$TMUX_TERM tool $view --load="$FIXTURE" --color=never \
			>"$T/text" 2>/dev/null
		# shellcheck disable=SC2086
		tmux_start 80 24 "$NSTOOLS_BIN/"$view -i --load="$FIXTURE"
		wait_screen " ${view%% *}  loaded  27 namespaces, 11 processes"
		check_first_screen 80 24 "$T/text"
		tmux_keys q
		wait_exit 0
		tmux_stop
	done
}

# sandbox_next_pid N: the next process made in the sandbox gets PID N.
sandbox_next_pid() {
	in_sandbox sh -c "echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid"
}

@test "first screen: each view is its text view cut at the width, live in a sandbox" {
	local view
	fixture_sandbox
	# something to show in every view: a child PID namespace
	sb_start "$FIX/child" unshare --pid --fork \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/child"
	for view in "${VIEWS[@]}"; do
		# the tool gets PID 100 in the sandbox both times
		sandbox_next_pid 100
		# shellcheck disable=SC2086
		TERM=$TMUX_TERM in_sandbox "$NSTOOLS_BIN/"$view --color=never \
			>"$T/text" 2>"$T/stderr"
		sandbox_next_pid 100
		# shellcheck disable=SC2086
		tmux_start 100 30 nsenter -t "$SANDBOX" -p -m -- \
			"$NSTOOLS_BIN/"$view -i
		wait_screen " ${view%% *}  "
		check_first_screen 100 30 "$T/text"
		tmux_keys q
		wait_exit 0
		tmux_stop
	done
}

@test "golden screens: each case of golden/screens/cases" {
	local name failed=
	for name in $(grep -Ev '^(#|$)' golden/screens/cases | cut -d' ' -f1); do
		[ -s "golden/screens/$name" ]
		golden/screens/render "$name" "golden/screens/$name" >"$T/out"
		if ! cmp -s "$T/out" "golden/screens/$name"; then
			echo "golden/screens/$name differs:"
			diff "golden/screens/$name" "$T/out"
			failed=1
		fi
	done
	[ -z "$failed" ]
}

@test "golden screens: a fold and a search say so, the panes show what they are for" {
	local s=golden/screens
	grep -q '^user:\[4026531837\] .* ("root")  \[+22\]$' \
		$s/lsuserns-details-fold
	cmp $s/lsuserns-details-unfold-all <(sed 's/  \[+[0-9]*\]$//' \
		$s/lsuserns-details-unfold-all)
	grep -q 'match 1 of 1  ? help  q quit$' $s/pidtree-search-folded
	grep -q '"sleep" (301/2)' $s/pidtree-search-folded
	grep -q '^ details  (J/K scroll, d closes)$' $s/nsdiscover-pane-ns
	grep -q '^│  ⋄─ UID 0 ("root")$' $s/pidtree-pane-process
	grep -q '^Keys$' $s/lspidns-help
	# the unfolded screen is the first one, the cursor aside
	cmp <(head -n 28 $s/lsuserns-details-unfold-all) \
		<(TERM=$TMUX_TERM tool lsuserns -d --load="$FIXTURE" \
			--color=never 2>/dev/null | cut_rows 100 28)
}

# cut_rows COLS ROWS: stdin's first ROWS lines cut at COLS characters,
# blank rows after them.
cut_rows() {
	cat >"$T/cut"
	first_rows "$T/cut" "$2" "$1"
}

# --- a refresh, in a sandbox PID namespace --------------------------------

# sandbox_child_pidns NAME: a child PID namespace of the sandbox whose init
# is "sleep"; sets CHILD (its nsenter, here), CHILD_PID (sleep, here) and
# CHILD_NS (its namespace).
sandbox_child_pidns() {
	sb_start "$FIX/$1" unshare --pid --fork \
		sh -c "$WRITE_PID; exec sleep 1000" "$FIX/$1"
	CHILD=$SB_STARTED
	CHILD_PID=$(first_child "$SB_PID")
	wait_for has_comm "$CHILD_PID" sleep
	CHILD_NS=$(ns_ino "$CHILD_PID" pid)
}

# stop_child: ends the child PID namespace of sandbox_child_pidns: its
# init first, which its parent (unshare, in the sandbox) reaps, for the
# sandbox's init would not.
stop_child() {
	stop_fixture "$CHILD_PID" && wait_for gone "$CHILD"
}

# start_in_sandbox ARGS...: lspidns -i ARGS in the sandbox, 100x30; waits
# for its first screen.
start_in_sandbox() {
	tmux_start 100 30 nsenter -t "$SANDBOX" -p -m -- \
		"$NSTOOLS_BIN/lspidns" -i "$@"
	wait_screen " lspidns  "
}

@test "refresh: r marks a new namespace [new], one that went [gone], then drops it" {
	fixture_sandbox
	start_in_sandbox
	wait_screen "pid:[$(ns_ino "$SANDBOX" pid)] process \"sleep\" (1)"
	sandbox_child_pidns child
	run tmux_screen
	refute_output --partial "pid:[$CHILD_NS]"
	tmux_keys r
	wait_match "^└─ pid:\\[$CHILD_NS\\] process \"sleep\" \\([0-9]+\\) .*  \\[new\\]\$"
	stop_child
	tmux_keys r
	wait_match "^└─ pid:\\[$CHILD_NS\\] process \"sleep\" \\([0-9]+\\) .*  \\[gone\\]\$"
	tmux_keys r
	wait_no_screen "pid:[$CHILD_NS]"
	tmux_keys q
	wait_exit 0
}

@test "refresh: a fold and the cursor stay with their node across r" {
	fixture_sandbox
	sandbox_child_pidns one
	start_in_sandbox
	wait_screen "pid:[$CHILD_NS]"
	# fold the sandbox's node (the first line, the cursor's)
	tmux_keys Enter
	wait_screen '  [+1]'
	sandbox_child_pidns two
	tmux_keys r
	# the new namespace is hidden in the fold, which counts it
	wait_screen '  [+2]'
	run tmux_screen
	refute_output --partial "pid:[$CHILD_NS]"
	tmux_keys Enter
	wait_match "pid:\\[$CHILD_NS\\] process \"sleep\" \\([0-9]+\\) .*  \\[new\\]\$"
	# the cursor is still on the first line: d shows its namespace
	tmux_keys d
	wait_screen ' details  (J/K scroll, d closes)'
	run tmux_screen
	assert_line --index 0 --partial "pid:[$(ns_ino "$SANDBOX" pid)] "
	run sed -n '/^ details  (J\/K scroll, d closes)$/{n;p;q}' <<<"$output"
	assert_output --partial "pid:[$(ns_ino "$SANDBOX" pid)] "
	tmux_keys q
	wait_exit 0
}

@test "refresh: w with --interval=0.2 shows a new namespace without a key" {
	fixture_sandbox
	start_in_sandbox --interval=0.2
	tmux_keys w
	wait_screen '  every 0.2s '
	sandbox_child_pidns child
	wait_screen "pid:[$CHILD_NS] process \"sleep\" ("
	stop_child
	wait_no_screen "pid:[$CHILD_NS]"
	tmux_keys w
	wait_no_screen '  every 0.2s '
	tmux_keys q
	wait_exit 0
}

@test "refresh: r and w on a loaded dump say that it is not discovered again" {
	tmux_start 100 30 "$NSTOOLS_BIN/pidtree" -i --load="$FIXTURE"
	wait_screen ' pidtree  loaded  '
	tmux_keys r
	wait_screen 'a loaded dump is not discovered again'
	tmux_keys j
	wait_no_screen 'a loaded dump is not discovered again'
	tmux_keys w
	wait_screen 'a loaded dump is not discovered again'
	run tmux_screen
	refute_output --partial 'every '
	tmux_keys q
	wait_exit 0
}

# --- the terminal ----------------------------------------------------------

@test "resize: the screen follows the size; too small says so until larger" {
	TERM=$TMUX_TERM tool pidtree --load="$FIXTURE" --color=never \
		>"$T/text" 2>/dev/null
	tmux_start 100 30 "$NSTOOLS_BIN/pidtree" -i --load="$FIXTURE"
	wait_screen ' pidtree  loaded  '
	tm resize-window -x 60 -y 12
	check_first_screen 60 12 "$T/text"
	wait_screen ' pidtree  loaded  27 namespaces, 11 processes'
	tm resize-window -x 39 -y 20
	wait_screen 'The terminal is too small.'
	tm resize-window -x 80 -y 9
	wait_screen 'The terminal is too small.'
	# keys still work while too small
	tmux_keys j
	tm resize-window -x 100 -y 30
	wait_no_screen 'The terminal is too small.'
	check_first_screen 100 30 "$T/text"
	tmux_keys q
	wait_exit 0
}

# shell_around CMD: bash -c of a command that prints BEFORE, runs CMD
# (bash) and prints AFTER= its status, and waits then.
shell_around() {
	printf 'echo BEFORE; %s; echo AFTER=$?; exec sleep 1000' "$1"
}

# tmux_around W H CMD: a session WxH whose pane runs shell_around CMD.
tmux_around() {
	tmux_start "$1" "$2" bash -c "$(shell_around "$3")"
}

# check_restored: the pane shows the shell's screen again: BEFORE and
# AFTER=0, and nothing of the interface.
check_restored() {
	wait_screen 'AFTER=0'
	run tmux_screen
	assert_line --index 0 BEFORE
	assert_line --index 1 AFTER=0
	refute_output --partial 'q quit'
	refute_output --partial 'pid:['
	assert_equal "$(tm display -p '#{alternate_on}')" 0
}

@test "q gives the terminal back as it was" {
	tmux_around 100 30 \
		"$NSTOOLS_BIN/pidtree -i --load=$FIXTURE"
	wait_screen ' pidtree  loaded  '
	assert_equal "$(tm display -p '#{alternate_on}')" 1
	tmux_keys q
	check_restored
}

@test "Escape closes the details pane first, then the search, then quits" {
	tmux_around 100 30 \
		"$NSTOOLS_BIN/pidtree -i --load=$FIXTURE"
	wait_screen ' pidtree  loaded  '
	tmux_keys /sleep Enter
	wait_screen 'match 1 of 1  ? help'
	tmux_keys d
	wait_screen ' details  (J/K scroll, d closes)'
	tmux_keys Escape
	wait_no_screen ' details  (J/K scroll, d closes)'
	run tmux_screen
	assert_output --partial 'match 1 of 1  ? help'
	tmux_keys Escape
	wait_no_screen 'match 1 of 1'
	run tmux_screen
	assert_output --partial ' pidtree  loaded  '
	tmux_keys Escape
	check_restored
}

@test "SIGTERM, SIGINT and SIGHUP quit with 0 and give the terminal back" {
	local sig pid
	for sig in TERM INT HUP; do
		tmux_around 100 30 \
			"$NSTOOLS_BIN/lspidns -i --load=$FIXTURE"
		wait_screen ' lspidns  loaded  '
		pid=$(only_child "$(only_child "$TMUX_PANE")")
		has_comm "$pid" lspidns
		kill -"$sig" "$pid"
		check_restored
		tmux_stop
	done
}

# --- hostile names ---------------------------------------------------------

@test "hostile names: no byte of them reaches the terminal as a control" {
	tmux_start 100 30 "$NSTOOLS_BIN/pidtree" -i --load="$FIXTURE"
	tm pipe-pane -o "cat >>'$T/bytes'"
	wait_screen ' pidtree  loaded  '
	# every byte written from here on is in $T/bytes: redraw all
	tmux_keys C-l
	tmux_keys /evil Enter
	wait_screen 'match 1 of 1'
	tmux_keys d
	wait_screen '⋄─ command line "evil" "\x1b]0;pwned\x07" "\u202eevil" "back\\slash" "\u009b2J"'
	wait_screen '⋄─ container "evil\n\x1b[31m\"x\u202e" (docker 0123456789ab)'
	tmux_keys /pwned Enter
	wait_screen 'no line has "pwned"'
	tmux_keys q
	wait_exit 0
	[ -s "$T/bytes" ]
	# no OSC, no BEL, no C1 CSI (U+009B in UTF-8), no bidi override
	run grep -c $'\x1b]' "$T/bytes"
	assert_output 0
	run grep -c $'\x07' "$T/bytes"
	assert_output 0
	run grep -c $'\xc2\x9b' "$T/bytes"
	assert_output 0
	run grep -c $'\xe2\x80\xae' "$T/bytes"
	assert_output 0
	# what was drawn is the escaped text
	grep -qF 'pwned\x07' "$T/bytes"
	run tm display -p '#{pane_title}'
	refute_output --partial pwned
}

# --- errors before discovery ----------------------------------------------

@test "errors: -i without a terminal on stdin or stdout" {
	local t
	for t in "${TOOLS[@]}"; do
		run tool "$t" -i --load="$FIXTURE" </dev/null
		assert_failure 2
		assert_output --partial '-i needs a terminal on standard input and output'
	done
	tmux_around 100 30 \
		"$NSTOOLS_BIN/pidtree -i --load=$FIXTURE | cat; \
		echo PIPE=\${PIPESTATUS[0]}; \
		$NSTOOLS_BIN/nsdiscover -l -i --load=$FIXTURE >/dev/null"
	wait_screen 'AFTER='
	run tmux_screen
	assert_line --partial 'pidtree: -i needs a terminal on standard input and output'
	assert_line PIPE=2
	assert_line --partial 'nsdiscover: -i needs a terminal on standard input and output'
	assert_line AFTER=2
}

@test "errors: --interval out of range, not a number, or without -i" {
	local arg
	for arg in 0.05 abc 0 -1 1e9 2x nan inf; do
		run tool lspidns -i --interval="$arg" --load="$FIXTURE"
		assert_failure 2
		assert_output --partial "invalid --interval '$arg'"
	done
	run tool lspidns --interval=1 --load="$FIXTURE"
	assert_failure 2
	assert_output --partial '--interval is for the interactive interface'
}

@test "errors: nsdiscover -i with --json, -r or -J" {
	local args
	for args in "-i --json" "-l -i -r" "-i -r" "-i -J"; do
		# shellcheck disable=SC2086
		run tool nsdiscover $args --load="$FIXTURE"
		assert_failure 2
		[ -n "$output" ]
	done
}

@test "errors: -p of a PID /proc does not have, told before the screen and a discovery" {
	tmux_around 100 30 "$NSTOOLS_BIN/pidtree -i -p 2147483647"
	wait_screen 'AFTER=1'
	run tmux_screen
	assert_line --index 0 BEFORE
	assert_line --index 1 'pidtree: no process 2147483647'
	assert_line --index 2 AFTER=1
	assert_equal "$(tm display -p '#{alternate_on}')" 0
}

@test "errors: a terminal smaller than 40x10, or one terminfo does not know" {
	tmux_around 30 8 \
		"$NSTOOLS_BIN/lsuserns -i --load=$FIXTURE"
	wait_screen 'AFTER=2'
	# the message wraps at 30 columns: joined again
	run tm capture-pane -p -J
	assert_line --index 1 --partial \
		'the terminal is too small for -i: 30x8, at least 40x10 are needed'
	tmux_stop
	tmux_around 100 30 \
		"TERM=nonexistent-term $NSTOOLS_BIN/lsuserns -i --load=$FIXTURE"
	wait_screen 'AFTER=2'
	run tmux_screen
	assert_line --index 0 BEFORE
	assert_line --index 1 --partial 'lsuserns: cannot use the terminal:'
	assert_line --index 2 AFTER=2
	assert_equal "$(tm display -p '#{alternate_on}')" 0
}
