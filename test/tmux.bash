# SPDX-License-Identifier: Apache-2.0
#
# tmux as the terminal of -i, for interactive.bats and golden/screens/render:
# a server of its own (socket TMUX_SOCK), one detached session of a fixed
# size whose pane runs the command, keys sent to it, its screen read back.
# Plain functions, no bats: render loads this file too. The pane's TERM is
# "screen" (in ncurses-base, so always there), the locale C.UTF-8, the
# tmux status line off (the pane is the whole window), and a pane whose
# command ended stays, dead, so that its exit status can be read.

export LC_ALL=C.UTF-8
unset TMUX

TMUX_TERM=screen

# tmux_init DIR: the socket and configuration of a server in DIR.
tmux_init() {
	TMUX_SOCK=$1/tmux.sock
	TMUX_CONF=$1/tmux.conf
	TMUX_SERVER=
	TMUX_PANE=
	TMUX_EXIT=$1/tmux.exit
	printf '%s\n' 'set -g status off' 'set -g remain-on-exit on' \
		"set -g default-terminal $TMUX_TERM" 'set -g history-limit 0' \
		>"$TMUX_CONF"
}

# tm ARGS...: a tmux command to the server of tmux_init.
tm() {
	tmux -S "$TMUX_SOCK" -f "$TMUX_CONF" "$@"
}

# tmux_start W H CMD...: a session WxH whose pane runs CMD (its words as
# they are) under sh, which writes its exit status to TMUX_EXIT: tmux
# itself does not always reap a pane's process (3.3a leaves a zombie now
# and then, its pane_dead_status empty). Sets TMUX_SERVER and TMUX_PANE,
# the pids of the server and of the pane's sh.
tmux_start() {
	local w=$1 h=$2
	shift 2
	rm -f "$TMUX_EXIT"
	tm new-session -d -x "$w" -y "$h" -- sh -c \
		'"$@"; echo $? >"$0.tmp" && mv "$0.tmp" "$0"' "$TMUX_EXIT" \
		"$@" || return 1
	TMUX_SERVER=$(tm display -p '#{pid}') || return 1
	TMUX_PANE=$(tm display -p '#{pane_pid}')
}

# tmux_stop: kills the server, and waits (5 s at most) until it and the
# pane's process are gone; the pane's process is sent SIGKILL if it
# outlives its terminal.
tmux_stop() {
	local pid deadline=$((SECONDS + 5))

	[ -n "${TMUX_SOCK-}" ] || return 0
	tm kill-server 2>/dev/null
	for pid in $TMUX_SERVER $TMUX_PANE; do
		while [ -e "/proc/$pid" ] && ((SECONDS <= deadline)); do
			grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" \
				2>/dev/null && break
			sleep 0.01
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	rm -f "$TMUX_SOCK"
	TMUX_SERVER= TMUX_PANE=
}

# tmux_keys KEY...: send-keys (key names such as Enter, or text).
tmux_keys() {
	tm send-keys -- "$@"
}

# tmux_screen: the pane's text, trailing blanks cut, one line a row.
tmux_screen() {
	tm capture-pane -p
}

# tmux_poll SECONDS CMD...: retries CMD every 10 ms until it succeeds, for
# SECONDS at most.
tmux_poll() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		((SECONDS <= deadline)) || return 1
		sleep 0.01
	done
}

# screen_has TEXT: some row of the screen holds TEXT.
screen_has() {
	tmux_screen | grep -qF -- "$1"
}

# screen_is FILE: the screen is FILE, row for row.
screen_is() {
	tmux_screen | cmp -s - "$1"
}

# screen_stable: the screen did not change over 0.3 s (for render, which
# has no expected screen to wait for).
screen_stable() {
	local before
	before=$(tmux_screen)
	sleep 0.3
	[ "$(tmux_screen)" = "$before" ]
}

# pane_status: the exit status of the pane's command, once it ended.
pane_status() {
	cat "$TMUX_EXIT" 2>/dev/null
}
