#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Least privilege in the interactive interface (-i), as privileges.bats
# checks it in the text views: the screen (ncurses, terminfo, the locale,
# the time zone) never runs with a capability effective; between two
# discoveries the discovery's capabilities stay permitted, none effective,
# and r raises only the discovery's for the discovery alone; from a dump
# every capability is gone at the start. Each tool runs on a terminal of
# its own: a tmux server of the test's own (tmux.bash), driven by
# send-keys and read by capture-pane; a screen is waited for, never slept
# for.

bats_require_minimum_version 1.5.0

load common
load sources
load views
load hostile
load tmux

setup() {
	hostile_setup
	need_commands tmux strace tic infocmp
	tmux_init "$T"
}

teardown() {
	screen_teardown
	hostile_teardown
}

# Capability sets as /proc/PID/status shows them: DISCOVERY_PERMITTED
# (hostile.bash) is 0x2c1004.
ZERO=0000000000000000
DISCOVERY_PRM=00000000002c1004
# CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH; CAP_SYS_PTRACE alone
PTRACE_DAC_PRM=0000000000080004
PTRACE_PRM=0000000000080000

# Every interactive view: the four tools, and the list of nsdiscover.
INTERACTIVE=(lsuserns lspidns pidtree nsdiscover "nsdiscover -l")

# The status line of a screen that waits for a key ends with this; the
# help (?) with HELP_SHOWN.
STATUS_SHOWN='? help  q quit'
HELP_SHOWN='this help; any key closes it'

# --- a terminal ---------------------------------------------------------------

# screen_entries DIR: compiles into the terminfo database DIR two copies
# of the system's entry of TMUX_TERM whose rmcup (written as the tool
# gives the terminal back) ends with the word PRIVRMCUP, which then stays
# on the screen: one of that name, and "nstpriv-i", which only DIR has.
screen_entries() {
	mkdir -p "$1"
	infocmp -x "$TMUX_TERM" |
		sed 's/rmcup=[^,]*,/rmcup=\\E[?1049lPRIVRMCUP,/' >"$T/term.src"
	grep -q PRIVRMCUP "$T/term.src"
	sed "s/^$TMUX_TERM|/nstpriv-i|/" "$T/term.src" >"$T/nstpriv-i.src"
	tic -x -o "$1" "$T/term.src" 2>/dev/null
	tic -x -o "$1" "$T/nstpriv-i.src" 2>/dev/null
	[ -f "$1/${TMUX_TERM:0:1}/$TMUX_TERM" ] && [ -f "$1/n/nstpriv-i" ]
}

# The shell around a command on the terminal: it says how the command
# ended, and stays, for the terminal's state to be read then.
SCREEN_SHELL='"$@"; st=$?; echo; echo "nst-screen-exited $st"; exec sleep 1000'

# screen_start CMD...: runs CMD on a new 100x30 terminal (tmux_start),
# with TERM=TMUX_TERM and the sanitizers' options of this shell (CMD may
# set others with env). SCREEN_PID is CMD's PID.
screen_start() {
	rm -f "$T/screen.pid"
	tmux_start 100 30 sh -c "$SCREEN_SHELL" sh \
		bash -c 'echo "$$" >"$0" && exec "$@"' "$T/screen.pid" \
		env "ASAN_OPTIONS=${ASAN_OPTIONS-}" \
		"UBSAN_OPTIONS=${UBSAN_OPTIONS-}" TERM="$TMUX_TERM" "$@"
	wait_file "$T/screen.pid"
	SCREEN_PID=$(<"$T/screen.pid")
}

# screen_ended: CMD of screen_start has ended.
screen_ended() {
	tmux_screen | grep -q '^nst-screen-exited '
}

# screen_wait TEXT: waits (10 s at most) until the terminal shows TEXT (a
# fixed string); fails at once when CMD has ended.
screen_wait() {
	local deadline=$((SECONDS + 10))

	until screen_has "$1"; do
		if screen_ended || ((SECONDS > deadline)); then
			echo "the screen does not show: $1" >&2
			tmux_screen >&2
			return 1
		fi
		sleep 0.02
	done
}

# screen_end STATUS: waits (10 s at most) until CMD has ended, and checks
# that it exited with STATUS and gave the terminal back: the normal
# screen, a visible cursor.
screen_end() {
	local st
	tmux_poll 10 screen_ended || { tmux_screen >&2; return 1; }
	st=$(tmux_screen | sed -n 's/^nst-screen-exited //p')
	[ "$st" = "$1" ] ||
		{ echo "exit $st, expected $1" >&2; tmux_screen >&2; return 1; }
	expect_eq "the alternate screen" "$(tm display -p '#{alternate_on}')" 0
	expect_eq "the cursor" "$(tm display -p '#{cursor_flag}')" 1
}

# screen_close: tmux_stop, and waits until everything the pane ran has
# gone too (SIGKILL after 10 s).
screen_close() {
	local -a pids=()
	if [ -n "$TMUX_PANE" ]; then
		mapfile -t pids < <(descendants "$TMUX_PANE")
	fi
	tmux_stop
	((${#pids[@]})) || return 0
	wait_for all_gone "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null || true
}

# all_gone PID...: none of the processes PID runs any more (a zombie
# left to the machine's init to reap has ended).
all_gone() {
	local pid stat
	for pid in "$@"; do
		stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		[[ ${stat##*) } == [ZX]* ]] || return 1
	done
}

screen_teardown() {
	screen_close
}

# --- what a screen did --------------------------------------------------------

# screen_events FILE TERMINFO: from an strace -f log FILE of a tool run
# with -i (trace=capset,openat,write,read), counting the calls of the main
# process as strace_facts does: "key N C" for each key read (read of fd 0),
# and "effective N WHAT" for each call that reads the terminal or a file
# under TERMINFO, of terminfo, the locale or the time zone, or writes to
# the terminal (fd 1 or 2), while a capability is effective (as before its
# first capset); "elsewhere PID WHAT" for any such file opened by another
# process or thread.
screen_events() {
	awk -v terminfo="$2" '
	function what(call) {
		if (call ~ /^openat\(/ && (index(call, "\"" terminfo) ||
		    call ~ /terminfo\//))
			return "terminfo"
		if (call ~ /^openat\(.*"\/usr\/(lib|share)\/(locale|x86_64-linux-gnu\/gconv)/)
			return "locale"
		if (call ~ /^openat\(.*"(\/etc\/localtime|\/usr\/share\/zoneinfo)/)
			return "tz"
		if (call ~ /^write\([12],/)
			return "write"
		if (call ~ /^read\(0,/)
			return "read0"
		return ""
	}
	NR == 1 { main = $1; eff = "all" }
	{ pid = $1; call = $0; sub(/^[0-9]+ +/, "", call); w = what(call) }
	pid != main {
		if (w != "" && w != "write" && w != "read0")
			print "elsewhere", pid, w
		next
	}
	{ n++ }
	call ~ /^capset\(/ {
		eff = call
		sub(/.*effective=/, "", eff)
		sub(/[,}].*/, "", eff)
	}
	w != "" && eff != "0" { print "effective", n, w }
	w == "read0" && match(call, /^read\(0, "[^"]*"/) {
		print "key", n, substr(call, RSTART + 9, RLENGTH - 10)
	}
	' "$1"
}

# capsets_between FACTS FROM TO: the capsets of the main process in
# strace_facts FACTS after call FROM and before call TO, one a line
# ("EFFECTIVE PERMITTED INHERITABLE").
capsets_between() {
	awk -v from="$2" -v to="$3" \
		'$1 == "capset" && $2 > from && $2 < to { print $3, $4, $5 }' <<<"$1"
}

# discovery_capsets WHAT SETS: SETS (from capsets_between) are those of
# one live discovery as root: the discovery's sets, CAP_SYS_ADMIN
# effective for the kernel's list of mount namespaces and no longer (when
# the view reads mount namespaces), then nothing effective, all permitted.
discovery_capsets() {
	local -a caps
	local disc="$DISCOVERY_EFFECTIVE $DISCOVERY_PERMITTED 0"
	mapfile -t caps <<<"$2"
	[ "${#caps[@]}" -eq 2 ] || [ "${#caps[@]}" -eq 4 ] ||
		{ echo "$1: ${#caps[@]} capsets: $2" >&2; return 1; }
	expect_eq "$1: first capset" "${caps[0]}" "$disc" || return 1
	if [ "${#caps[@]}" -eq 4 ]; then
		expect_eq "$1: the list's capset" "${caps[1]}" \
			"$DISCOVERY_EFFECTIVE|CAP_SYS_ADMIN $DISCOVERY_PERMITTED 0" &&
			expect_eq "$1: after the list" "${caps[2]}" "$disc" || return 1
	fi
	expect_eq "$1: last capset" "${caps[-1]}" "0 $DISCOVERY_PERMITTED 0"
}

# traced_screen WHAT ARGS...: runs the tool (NAME and ARGS from WHAT, then
# ARGS, then -i) under strace on a terminal with the entry nstpriv-i of
# $T/terminfo, waits for its first screen, types r and ? (the help shows
# once the second discovery is over), then q, and checks that it exited
# 0 and gave the terminal back with that entry. The log in $T/strace;
# sets FACTS (strace_facts), EVENTS (screen_events), KEY_R and KEY_Q (the
# calls that read the keys).
traced_screen() {
	local what=$1
	local -a cmd
	read -r -a cmd <<<"$what"
	shift
	[ -d "$T/terminfo" ] || screen_entries "$T/terminfo"
	rm -f "$T/strace"
	no_leak_check screen_start env TERMINFO="$T/terminfo" TERM=nstpriv-i \
		strace -f -qq --seccomp-bpf -o "$T/strace" \
		-e trace=capset,openat,write,read \
		"$NSTOOLS_BIN/${cmd[0]}" "${cmd[@]:1}" "$@" -i
	screen_wait "$STATUS_SHOWN"
	tmux_keys r '?'
	screen_wait "$HELP_SHOWN"
	tmux_keys q
	screen_end 0
	grep -q PRIVRMCUP <(tmux_screen) ||
		{ echo "$what: the entry of TERMINFO is not used" >&2; return 1; }
	screen_close
	FACTS=$(strace_facts "$T/strace" "$T/terminfo")
	EVENTS=$(screen_events "$T/strace" "$T/terminfo")
	KEY_R=$(awk '$1 == "key" && $3 == "r" { print $2; exit }' <<<"$EVENTS")
	KEY_Q=$(awk '$1 == "key" && $3 == "q" { print $2; exit }' <<<"$EVENTS")
	[ -n "$KEY_R" ] && [ -n "$KEY_Q" ] ||
		{ echo "$what: keys read: $(grep key <<<"$EVENTS")" >&2; return 1; }
}

# no_effective WHAT: nothing of EVENTS (screen_events) was read or written
# with a capability effective, and no other process opened terminfo or
# locale files.
no_effective() {
	run grep -E '^(effective|elsewhere) ' <<<"$EVENTS"
	[ -z "$output" ] || { echo "$1: $output" | head -5 >&2; return 1; }
}

@test "strace -i, live as root: the screen starts with nothing effective; r raises the discovery's for the discovery alone; q exits 0" {
	local what facts lower
	# a mount namespace without processes: discovery enters it in a child
	fixture_loose_mntns
	for what in "${INTERACTIVE[@]}"; do
		traced_screen "$what"
		no_effective "$what"
		# before the first key: one discovery, then nothing effective
		# before terminfo, the locale or the first write to the terminal
		discovery_capsets "$what, first" "$(capsets_between "$FACTS" 0 "$KEY_R")"
		lower=$(awk -v to="$KEY_R" '$1 == "capset" && $2 < to { n = $2 }
			END { print n }' <<<"$FACTS")
		facts="$FACTS"$'\n'"lowered $lower"
		before "$facts" lowered terminfo
		before "$facts" lowered write1
		before_if "$facts" lowered locale
		before_if "$facts" lowered write2
		# r: one discovery more, lowered again before the next key
		discovery_capsets "$what, r" "$(capsets_between "$FACTS" "$KEY_R" "$KEY_Q")"
		# q: nothing raised any more
		run capsets_between "$FACTS" "$KEY_Q" 1000000000
		assert_output ''
		# a child entered the mount namespace with the setns pair raised,
		# and nothing else
		run awk -v ok="$DISCOVERY_PERMITTED $DISCOVERY_PERMITTED" \
			'$1 == "child-capset" && $3 " " $4 != ok' <<<"$FACTS"
		assert_output ''
	done
}

@test "strace -i --load: every capability dropped before the dump, terminfo or the terminal; r raises nothing" {
	local what
	local -a cmd
	cp "$FIXTURE_DUMP" "$T/dump.json"
	screen_entries "$T/terminfo"
	for what in "${INTERACTIVE[@]}"; do
		read -r -a cmd <<<"$what"
		no_leak_check screen_start env TERMINFO="$T/terminfo" TERM=nstpriv-i \
			strace -f -qq --seccomp-bpf -o "$T/strace" \
			-e trace=capset,openat,write,read \
			"$NSTOOLS_BIN/${cmd[0]}" "${cmd[@]:1}" --load "$T/dump.json" -i
		screen_wait "$STATUS_SHOWN"
		tmux_keys r
		screen_wait 'a loaded dump is not discovered again'
		tmux_keys q
		screen_end 0
		screen_close
		FACTS=$(strace_facts "$T/strace" "$T/terminfo" "$T/dump.json")
		EVENTS=$(screen_events "$T/strace" "$T/terminfo")
		no_effective "$what"
		run awk '$1 == "capset" { print $3, $4, $5 }' <<<"$FACTS"
		assert_output '0 0 0'
		before "$FACTS" capset load
		before "$FACTS" capset terminfo
		before "$FACTS" capset write1
		before "$FACTS" capset read0
		# no child, and /proc is never opened
		run awk '$1 == "child-capset" || $1 == "proc"' <<<"$FACTS"
		assert_output ''
	done
}

# task_caps PID: "CapInh CapPrm CapEff CapAmb" of each thread of PID, one
# a line, the same lines once.
task_caps() {
	local task
	for task in /proc/"$1"/task/*; do
		cap_sets "$1/task/${task##*/}"
	done | sort -u
}

# waiting_caps WHAT WANT [LOADED]: with the tool of screen_start, checks
# that every thread of it holds the capability sets WANT ("CapInh CapPrm
# CapEff CapAmb") while the first screen waits for a key, and again after
# r (the help then shows: typed after r, it is read after the discovery),
# or, when LOADED, once r has said that a dump is not discovered again;
# then quits, and checks that it exited 0.
waiting_caps() {
	screen_wait "$STATUS_SHOWN"
	expect_eq "$1, first screen" "$(task_caps "$SCREEN_PID")" "$2"
	if [ -n "${3-}" ]; then
		tmux_keys r
		screen_wait 'a loaded dump is not discovered again'
	else
		tmux_keys r '?'
		screen_wait "$HELP_SHOWN"
	fi
	expect_eq "$1, after r" "$(task_caps "$SCREEN_PID")" "$2"
	tmux_keys q
	screen_end 0
	screen_close
}

@test "capabilities while -i waits for a key, as root: the discovery's permitted, none effective; none at all from a dump" {
	local what
	local -a cmd
	for what in "${INTERACTIVE[@]}"; do
		read -r -a cmd <<<"$what"
		screen_start "$NSTOOLS_BIN/${cmd[0]}" "${cmd[@]:1}" -i
		waiting_caps "$what" "$ZERO $DISCOVERY_PRM $ZERO $ZERO"
		screen_start "$NSTOOLS_BIN/${cmd[0]}" "${cmd[@]:1}" -i \
			--load "$FIXTURE_DUMP"
		waiting_caps "$what --load" "$NO_CAPS" loaded
	done
}

@test "capabilities while -i waits for a key, as nobody: file or ambient capabilities permitted, none effective; none from a dump" {
	local what
	local -a cmd
	filecap_copy cap_sys_ptrace,cap_dac_read_search+ep
	install -m 0644 "$FIXTURE_DUMP" "$FILECAP_DIR/dump.json"
	unprivileged_copy
	for what in "${INTERACTIVE[@]}"; do
		read -r -a cmd <<<"$what"
		screen_start setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=-all "$FILECAP_DIR/${cmd[0]}" "${cmd[@]:1}" -i
		waiting_caps "$what, file capabilities" \
			"$ZERO $PTRACE_DAC_PRM $ZERO $ZERO"
		screen_start setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=-all "$FILECAP_DIR/${cmd[0]}" "${cmd[@]:1}" -i \
			--load "$FILECAP_DIR/dump.json"
		waiting_caps "$what --load, file capabilities" "$NO_CAPS" loaded
		screen_start setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace \
			"$UNPRIV_DIR/${cmd[0]}" "${cmd[@]:1}" -i
		waiting_caps "$what, ambient CAP_SYS_PTRACE" \
			"$ZERO $PTRACE_PRM $ZERO $ZERO"
	done
}

# screen_as RUNNER TERMINFO TERM WHAT: the tool (NAME and ARGS from WHAT)
# run with -i by RUNNER (see privileged_runners) on a terminal, with that
# TERMINFO and TERM.
screen_as() {
	local -a prefix cmd
	read -r -a prefix <<<"$1"
	read -r -a cmd <<<"$4"
	screen_start env TERMINFO="$2" TERM="$3" \
		"${prefix[@]:0:${#prefix[@]}-1}" "${prefix[-1]}/${cmd[0]}" \
		"${cmd[@]:1}" -i
}

# screen_used WHAT WANT: the terminal shows PRIVRMCUP (the tool used an
# entry of screen_entries) when WANT is "used", not when it is "unused".
screen_used() {
	local n
	n=$(tmux_screen | grep -c PRIVRMCUP) || true
	if [ "$2" = used ]; then
		[ "$n" -gt 0 ] || { echo "$1: the entry is not used" >&2; return 1; }
	else
		[ "$n" -eq 0 ] || { echo "$1: the entry is used" >&2; return 1; }
	fi
}

# screen_refused NAME: the terminal shows, before the shell's line, the
# one message of a tool NAME that could not use it.
screen_refused() {
	run grep -v -e '^$' -e '^nst-screen-exited ' <(tmux_screen)
	assert_output "$1: cannot use the terminal: terminfo does not know its TERM"
}

@test "capabilities without the right to read: another user's terminfo entry is not used by -i; an unknown TERM exits 2" {
	local i dir file what
	privileged_runners
	# the same entries where anyone may read them
	screen_entries "$FILECAP_DIR/terminfo"
	for dir in "$PRIVATE_DIR/root" "$PRIVATE_DIR/nobody"; do
		screen_entries "$dir/terminfo"
	done
	chown -R 65534:65534 "$PRIVATE_DIR/nobody/terminfo"
	# ncurses itself opens an entry only if access(2) (the real UID,
	# without capabilities but for UID 0) allows it: for nobody, the
	# tool's lowering is the second guard; for UID 0 with only
	# CAP_DAC_READ_SEARCH, the only one
	for i in "${!RUNNERS[@]}"; do
		read -r dir file <<<"${SECRET[i]}"
		# readable: used (the test can tell)
		screen_as "${RUNNERS[i]}" "$FILECAP_DIR/terminfo" nstpriv-i pidtree
		screen_wait "$STATUS_SHOWN"
		tmux_keys q
		screen_end 0
		screen_used "${RUNNERS[i]}, readable" used
		screen_close
		# another's entry of a name the system knows: the system's, a
		# screen as any other
		for what in "${INTERACTIVE[@]}"; do
			screen_as "${RUNNERS[i]}" "$dir/terminfo" "$TMUX_TERM" "$what"
			screen_wait "$STATUS_SHOWN"
			tmux_keys q
			screen_end 0
			screen_used "${RUNNERS[i]} $what" unused
			screen_close
		done
		# and of a name nothing else knows: exit 2 before any screen,
		# with capabilities as without
		screen_as "${RUNNERS[i]}" "$dir/terminfo" nstpriv-i pidtree
		screen_end 2
		screen_refused pidtree
		screen_close
		screen_as "${REFERENCE[i]}" "$dir/terminfo" nstpriv-i pidtree
		screen_end 2
		screen_refused pidtree
		screen_close
	done
}
