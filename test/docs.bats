#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# What users meet besides the output: the manual pages (mandoc -Tlint
# clean, the same options as --help), make install and make uninstall,
# and the bash completion.

load common
load docs

setup() {
	source "$ROOT/completion/nstools.bash"
}

teardown() {
	kill_started
}

# --- manual pages ------------------------------------------------------------

@test "man: a page for every tool and the overview" {
	for name in "${TOOLS[@]}"; do
		[ -s "$ROOT/man/$name.1" ] || { echo "no man/$name.1"; false; }
	done
	[ -s "$ROOT/man/nstools.7" ]
}

@test "man: mandoc -Tlint finds nothing in any page, down to style" {
	run "$ROOT/man/lint"
	assert_success
	assert_output ''
}

@test "man: lint fails on a page with a warning" {
	printf '.Dd November 30, 2026\n.Dt BAD 1\n.Os\n.Sh NAME\n.Nm bad\n.Nd bad\n.Sh DESCRIPTION\n.Xr nosuchpage 1\n' \
		>"$BATS_TEST_TMPDIR/bad.1"
	run "$ROOT/man/lint" "$BATS_TEST_TMPDIR/bad.1"
	assert_failure
	assert_output --partial 'referenced manual not found'
}

@test "man: every page has the sections users look for" {
	local name section
	for name in "${TOOLS[@]}"; do
		for section in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT FILES \
			"EXIT STATUS" EXAMPLES "SEE ALSO"; do
			grep -qx ".Sh $section" "$ROOT/man/$name.1" ||
				{ echo "$name.1: no $section"; false; }
		done
	done
	for section in NAME DESCRIPTION ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
		grep -qx ".Sh $section" "$ROOT/man/nstools.7" ||
			{ echo "nstools.7: no $section"; false; }
	done
}

@test "man: every page refers to the kernel's and the peers' pages" {
	local page ref
	for page in "${TOOLS[@]/%/.1}" nstools.7; do
		for ref in "namespaces 7" "user_namespaces 7" "pid_namespaces 7" \
			"ioctl_ns 2" "proc 5" "capsh 1" "lsns 8" "pstree 1"; do
			grep -q "^\.Xr $ref" "$ROOT/man/$page" ||
				{ echo "$page: no Xr $ref"; false; }
		done
	done
}

@test "man: the environment and the privileges are documented" {
	local page
	for page in "${TOOLS[@]/%/.1}" nstools.7; do
		grep -q '^\.It Ev NO_COLOR' "$ROOT/man/$page"
		grep -q '^\.It Ev TERM' "$ROOT/man/$page"
		grep -q 'CAP_SYS_PTRACE' "$ROOT/man/$page"
	done
	grep -q "capsh --caps='cap_sys_ptrace+eip" "$ROOT/man/nstools.7"
	grep -q 'setcap cap_sys_ptrace+ep' "$ROOT/man/nstools.7"
}

@test "man: nsdiscover.1 documents every key of the JSON dump, and no other" {
	dump
	# the keys of a live dump and of the fixture, but the numbers that
	# namespaces and processes are keyed by and the types that the
	# namespaces of a process are
	jq -r 'paths | select(length < 2 or .[-2] != "namespaces") | .[-1] |
		strings | select(test("^[0-9]") | not)' \
		fixtures/hostile.json "$BATS_TEST_TMPDIR/dump.json" |
		sort -u >"$BATS_TEST_TMPDIR/keys"
	json_section_keys >"$BATS_TEST_TMPDIR/documented"
	diff -u --label "keys of dumps" --label "keys in nsdiscover.1" \
		"$BATS_TEST_TMPDIR/keys" "$BATS_TEST_TMPDIR/documented"
	# and every kind of source
	jq -r '.namespaces[].sources[].kind' fixtures/hostile.json |
		sort -u >"$BATS_TEST_TMPDIR/kinds"
	json_section_kinds >"$BATS_TEST_TMPDIR/documented"
	diff -u --label "kinds in the fixture" --label "kinds in nsdiscover.1" \
		"$BATS_TEST_TMPDIR/kinds" "$BATS_TEST_TMPDIR/documented"
}

@test "man: nsdiscover.1 documents every column of the list, and no other" {
	"$NSDISCOVER" --list-columns | awk '{ print $1 }' | sort >"$BATS_TEST_TMPDIR/columns"
	# the tags of the section LIST, in the rendered page
	mandoc -Tascii -O width=200 "$ROOT/man/nsdiscover.1" | col -b |
		awk '/^[A-Z]/ { on = ($0 == "LIST"); next } on' |
		expand | grep -E '^ {5}[A-Z][A-Z, ]*(  |$)' |
		sed -E 's/^ +//; s/  .*//' | tr -d ' ' | tr ',' '\n' |
		sort -u >"$BATS_TEST_TMPDIR/documented"
	diff -u --label "nsdiscover --list-columns" --label "LIST in nsdiscover.1" \
		"$BATS_TEST_TMPDIR/columns" "$BATS_TEST_TMPDIR/documented"
}

@test "man: the rendered pages run no cross-references together" {
	local page out bad=0
	# "lsns(8), setcap(8) lists": two references as the subject of a
	# verb, where a list of them ends with "and" or "or"; "lsns(8)
	# setcap(8)": two with nothing between them. mandoc -Tlint accepts
	# both: only the rendered text shows them.
	for page in "$ROOT"/man/*.[1-9]; do
		out=$(mandoc -Tutf8 -O width=200 "$page" | col -b |
			grep -nP '[\w.-]+\(\d\), [\w.-]+\(\d\) (?!and |or )[a-z]|[\w.-]+\(\d\) [\w.-]+\(\d\)') &&
			{ printf '%s:\n%s\n' "${page##*/}" "$out"; bad=1; }
	done
	[ "$bad" -eq 0 ]
	# the check finds what it looks for
	printf '.Dd December 3, 2026\n.Dt BAD 1\n.Os\n.Sh NAME\n.Nm bad\n.Nd bad\n.Sh DESCRIPTION\n.Xr lsns 8 ,\n.Xr setcap 8\nlists.\n' |
		mandoc -Tutf8 | col -b | grep -qP '[\w.-]+\(\d\), [\w.-]+\(\d\) (?!and |or )[a-z]'
}

@test "docs: every namespace in a shell command of the README and the pages is quoted" {
	# pid:[4026532249] is a glob to the shell (the manual says so):
	# where the README or a page gives a command, the brackets are quoted
	shell_commands >"$BATS_TEST_TMPDIR/commands"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/commands")" -gt 100 ]
	grep -q "lspidns -u -n 'pid:\[4026532202\]'" "$BATS_TEST_TMPDIR/commands"
	run grep -E '(^|[ =]|: )[a-z]+:\\?\[' "$BATS_TEST_TMPDIR/commands"
	assert_output ''
}

# --- the samples of output ----------------------------------------------------

@test "samples: every sample of the README and the pages is what the tools print today" {
	# test/docs/samples makes them again; --check shows the difference
	run "$ROOT/test/docs/samples" --check
	assert_success
	assert_output ''
	# the markers are there: a dozen samples at least
	[ "$(grep -c '^<!-- sample' "$ROOT"/README.md)" -ge 8 ]
	[ "$(cat "$ROOT"/man/*.[1-9] | grep -c '^\.\\" sample')" -ge 15 ]
}

@test "samples: the check fails on a sample that is not what the tools print" {
	local copy=$BATS_TEST_TMPDIR/src
	mkdir -p "$copy/test"
	cp -r "$ROOT"/README.md "$ROOT/man" "$copy/"
	cp -r "$ROOT/test/docs" "$ROOT/test/fixtures" "$copy/test/"
	sed -i 's/^`- "kthreadd" (2)/`- "kthreadd" (3)/' "$copy/man/pidtree.1"
	run "$copy/test/docs/samples" --check
	assert_failure
	assert_output --partial '-`- "kthreadd" (3) controlled by'
	assert_output --partial '+`- "kthreadd" (2) controlled by'
	# and makes it again
	run "$copy/test/docs/samples"
	assert_success
	assert_output 'samples: man/pidtree.1 made again'
	cmp "$ROOT/man/pidtree.1" "$copy/man/pidtree.1"
}

@test "samples: every block of output is a sample, or marked illustrative" {
	run unmarked_samples
	assert_output ''
	# the check finds one
	printf '.Sh EXAMPLES\n.Bd -literal\n$ pidtree\nx\n.Ed\n' >"$BATS_TEST_TMPDIR/x.1"
	ROOT=$BATS_TEST_TMPDIR/root
	mkdir -p "$ROOT/man"
	cp "$BATS_TEST_TMPDIR/x.1" "$ROOT/man/"
	touch "$ROOT"/README.md
	run unmarked_samples
	assert_output "$ROOT/man/x.1:2"
}

@test "samples: no old warning anywhere; the illustrative ones are worded as today" {
	# the tools' warnings today: with and without CAP_SYS_PTRACE
	{
		"$NSTOOLS_BIN/lspidns" --load="$ROOT/test/fixtures/hostile.json" 2>&1 >/dev/null
		"$NSTOOLS_BIN/pidtree" --load="$ROOT/test/fixtures/tour-nobody.json" 2>&1 >/dev/null
	} | warning_shapes >"$BATS_TEST_TMPDIR/today"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/today")" -eq 2 ]
	# every warning the README, the pages and the fixtures show
	cat "$ROOT"/README.md "$ROOT"/man/*.[1-9] "$ROOT"/test/fixtures/*.json |
		sed 's/\\e/\\/g' | warning_shapes >"$BATS_TEST_TMPDIR/shown"
	run comm -23 "$BATS_TEST_TMPDIR/shown" "$BATS_TEST_TMPDIR/today"
	assert_output ''
	run grep -rn 'could not be read (permission denied)' "$ROOT"/README.md \
		"$ROOT"/HACKING.md "$ROOT/man" "$ROOT/test/fixtures"
	assert_output ''
}

# --- the README's tour ---------------------------------------------------------

@test "tour: the pages give the README's tour" {
	tour_block >"$BATS_TEST_TMPDIR/readme"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/readme")" -ge 8 ]
	for page in "${TOOLS[@]}"; do
		man_tour_block "$ROOT/man/$page.1" >"$BATS_TEST_TMPDIR/page"
		# the README's comments are not in the pages
		sed -E 's/ +# .*//' "$BATS_TEST_TMPDIR/readme" |
			diff -u --label README.md --label "$page.1" - "$BATS_TEST_TMPDIR/page"
	done
}

@test "tour: every command works, the undo leaves nothing, and the dump has it all" {
	# in a mount and PID namespace of its own; it fails if the undo
	# leaves a process, a bound namespace or a file
	local before
	before=$(ls -A /run/netns 2>/dev/null; ls -d /tmp/ready 2>/dev/null || true)
	run "$ROOT/test/docs/tour" --dump "$BATS_TEST_TMPDIR/tour.json" \
		--dump-nobody "$BATS_TEST_TMPDIR/nobody.json"
	assert_success
	local d=$BATS_TEST_TMPDIR/tour.json
	# what the README says the tour makes: two nested PID namespaces in
	# a user namespace, ...
	jq -e '[.processes[] | select(.name == "sleep" and (.nspid | length) == 3)] | length == 1' "$d"
	# a net ns owned by a child user ns, one only bind-mounted, one only
	# held by fd 7, one only a thread is in
	jq -e '."user-ns-roots" as $roots | [.namespaces[] | select(.type == "net" and
		.nprocs == 1 and (.owner | IN($roots[]) | not))] | length == 1' "$d"
	jq -e '[.namespaces[] | select(.type == "net" and .nprocs == 0 and
		any(.sources[]; .kind == "bindmount" and .path == "/run/netns/demo"))] | length == 1' "$d"
	jq -e '[.namespaces[] | select(.type == "net" and .nprocs == 0 and
		any(.sources[]; .kind == "fd" and .fd == 7))] | length == 1' "$d"
	jq -e '[.namespaces[] | select(.type == "net" and .nprocs == 0 and
		any(.sources[]; .kind == "task"))] | length == 1' "$d"
	jq -e '.discovery."cap-sys-ptrace" == false' "$BATS_TEST_TMPDIR/nobody.json"
	# nothing of it on the host either
	[ "$(ls -A /run/netns 2>/dev/null; ls -d /tmp/ready 2>/dev/null || true)" = "$before" ]
}

# --- test/run-tests ------------------------------------------------------------

# ok_suite DIR: a suite of one test in DIR/ok.bats that passes where the
# tools of NSTOOLS_BIN run, and the suites' directory is the current one.
ok_suite() {
	mkdir -p "$1"
	printf '%s\n' '@test "ok" {' '	[ -f common.bash ]' \
		'	"$NSTOOLS_BIN/lspidns" --version' '}' >"$1/ok.bats"
}

@test "run-tests: from any directory, a suite named from there" {
	# one run, against NSTOOLS_BIN alone
	unset NSTOOLS_SANITIZED_BIN
	ok_suite "$BATS_TEST_TMPDIR/sub"
	# from the top of the sources, as the README gives it, with the
	# build's directories relative to there
	run bash -c 'cd "$1" && NSTOOLS_BIN=${2#"$1"/} test/run-tests "$3"' \
		_ "$ROOT" "$NSTOOLS_BIN" "$BATS_TEST_TMPDIR/sub/ok.bats"
	assert_success
	assert_line '1 passed, 0 failed'
	# a path relative to the caller's directory
	run bash -c 'cd "$1" && "$2/test/run-tests" sub/ok.bats' \
		_ "$BATS_TEST_TMPDIR" "$ROOT"
	assert_success
	assert_line '1 passed, 0 failed'
	# a suite that is nowhere
	run bash -c 'cd / && "$1/test/run-tests" no-such.bats' _ "$ROOT"
	assert_failure 2
	assert_output --partial 'no suite no-such.bats'
}

@test "run-tests: a suite of test/ by its name, from another directory" {
	unset NSTOOLS_SANITIZED_BIN
	run bash -c 'cd / && "$1/test/run-tests" structure.bats' _ "$ROOT"
	assert_success
	assert_line --regexp '^[0-9]+ passed, 0 failed$'
}

# --- --help and the pages agree ----------------------------------------------

@test "help and man: the option parsers find the options" {
	run help_options pidtree
	assert_line -- '--pid'
	assert_line -- '-p'
	assert_line -- '--treestyle'
	assert_line -- '--no-mounts'
	run man_options pidtree
	assert_line -- '--pid'
	assert_line -- '-p'
	assert_line -- '--treestyle'
	assert_line -- '--no-mounts'
}

@test "help and man: every option of --help is in the page, and the other way round" {
	local name
	for name in "${TOOLS[@]}"; do
		help_options "$name" >"$BATS_TEST_TMPDIR/help"
		man_options "$name" >"$BATS_TEST_TMPDIR/man"
		[ -s "$BATS_TEST_TMPDIR/help" ]
		diff -u --label "$name --help" --label "$name.1" \
			"$BATS_TEST_TMPDIR/help" "$BATS_TEST_TMPDIR/man" ||
			{ echo "$name: --help and $name.1 list different options"; false; }
	done
}

# --- install -----------------------------------------------------------------

@test "install: into DESTDIR under the default PREFIX, every file with its mode" {
	local dest=$BATS_TEST_TMPDIR/dest name
	run_make install DESTDIR="$dest"
	assert_success
	diff -u <(expected_files usr/local | sort -k2) <(installed_files "$dest")
	for name in "${TOOLS[@]}"; do
		cmp "$ROOT/man/$name.1" "$dest/usr/local/share/man/man1/$name.1"
		cmp "$ROOT/completion/nstools.bash" \
			"$dest/usr/local/share/bash-completion/completions/$name"
	done
	cmp "$ROOT/man/nstools.7" "$dest/usr/local/share/man/man7/nstools.7"
}

@test "install: the installed binaries run, live and from a dump" {
	local dest=$BATS_TEST_TMPDIR/dest bin name
	run_make install DESTDIR="$dest"
	assert_success
	bin=$dest/usr/local/bin
	for name in "${TOOLS[@]}"; do
		run "$bin/$name" --version
		assert_success
		assert_output --regexp "^$name [0-9]"
		run "$bin/$name" --color=never
		assert_success
		[ -n "$output" ]
	done
	"$bin/pidtree" --load=fixtures/hostile.json --treestyle=line \
		--color=never 2>/dev/null | cmp - golden/pidtree.line.never
}

@test "install: the installed pages render without a warning, the completion loads" {
	local dest=$BATS_TEST_TMPDIR/dest name page
	run_make install DESTDIR="$dest"
	assert_success
	# man-db and groff, as users read them
	for page in "${TOOLS[@]/%/.1}" nstools.7; do
		man --warnings -l "$dest/usr/local/share/man/man${page##*.}/$page" \
			>"$BATS_TEST_TMPDIR/page" 2>"$BATS_TEST_TMPDIR/err"
		grep -q "${page%.*}" "$BATS_TEST_TMPDIR/page"
		[ ! -s "$BATS_TEST_TMPDIR/err" ] || { cat "$BATS_TEST_TMPDIR/err"; false; }
	done
	for name in "${TOOLS[@]}"; do
		run bash -c 'source "$1" && complete -p "$2"' _ \
			"$dest/usr/local/share/bash-completion/completions/$name" "$name"
		assert_success
		assert_output "complete -F _nstools $name"
	done
}

@test "install: PREFIX moves everything" {
	local dest=$BATS_TEST_TMPDIR/dest
	run_make install DESTDIR="$dest" PREFIX=/opt/nstools
	assert_success
	diff -u <(expected_files opt/nstools | sort -k2) <(installed_files "$dest")
	run_make uninstall DESTDIR="$dest" PREFIX=/opt/nstools
	assert_success
	run installed_files "$dest"
	assert_output ''
}

@test "uninstall: removes every file install put there, and nothing else" {
	local dest=$BATS_TEST_TMPDIR/dest
	run_make install DESTDIR="$dest"
	assert_success
	touch "$dest/usr/local/bin/other"
	run_make uninstall DESTDIR="$dest"
	assert_success
	run installed_files "$dest"
	assert_output '644 usr/local/bin/other'
}

# --- bash completion ---------------------------------------------------------

@test "completion: the script is valid bash and completes all four tools" {
	bash -n "$ROOT/completion/nstools.bash"
	run complete -p nsdiscover lsuserns lspidns pidtree
	assert_success
	assert_line 'complete -F _nstools pidtree'
	assert_line 'complete -F _nstools nsdiscover'
}

@test "completion: the options of each tool are those of its --help" {
	local name
	for name in "${TOOLS[@]}"; do
		diff -u <(help_options "$name" | grep -- '^--') \
			<(complete_line "$name --" | sed 's/=$//' | sort) ||
			{ echo "$name: completion and --help differ"; false; }
	done
	run complete_line "pidtree --n"
	assert_output $'--ns=\n--no-tasks\n--no-fds\n--no-sockets\n--no-mounts\n--no-containers\n--notruncate'
}

@test "completion: the values of --color= and --treestyle=" {
	run complete_line "lspidns --color="
	assert_output $'auto\nalways\nnever'
	run complete_line "lspidns --color=al"
	assert_output 'always'
	run complete_line "nsdiscover --treestyle="
	assert_output $'line\nascii'
	run complete_line "nsdiscover --treestyle "
	assert_output $'line\nascii'
	# without = as a word break, the whole word is replaced
	COMP_WORDBREAKS=$' \t\n'
	run complete_line "lspidns --color=n"
	assert_output '--color=never'
}

@test "completion: --type lists, the part after the last comma" {
	run complete_line "nsdiscover --type="
	assert_output $'cgroup\nipc\nmnt\nnet\npid\ntime\nuser\nuts'
	run complete_line "nsdiscover -t net,u"
	assert_output $'net,user\nnet,uts'
	run complete_line "nsdiscover --type=cgroup,ipc,"
	assert_output $'cgroup,ipc,mnt\ncgroup,ipc,net\ncgroup,ipc,pid\ncgroup,ipc,time\ncgroup,ipc,user\ncgroup,ipc,uts'
	# lsuserns -t takes no user
	run complete_line "lsuserns -t u"
	assert_output 'uts'
	# the other tools have no --type
	run complete_line "lspidns --type="
	assert_output ''
}

@test "completion: nsdiscover --output completes the columns of its list" {
	run complete_line "$NSDISCOVER -o NS,T"
	assert_output 'NS,TYPE'
	run complete_line "$NSDISCOVER --output=+p"
	assert_output $'+PATH\n+PID\n+PPID\n+PNS'
	run complete_line "$NSDISCOVER -l -o "
	assert_line NETNSID
	assert_line CREATOR
	[ "${#lines[@]}" -eq "$("$NSDISCOVER" --list-columns | wc -l)" ]
}

@test "completion: --ns offers the PID namespaces visible from here" {
	local own child
	start unshare --pid --fork sleep 1000
	wait_for first_child "$STARTED"
	child=$(stat -L -c %i "/proc/$(first_child "$STARTED")/ns/pid")
	own=$(ns_ino $$ pid)
	run complete_line "pidtree -p 1 --ns "
	assert_line "pid:[$own]"
	assert_line "pid:[$child]"
	refute_line --regexp '^[^p]'
	# readline replaces only what follows the colon
	run complete_line "pidtree -p 1 --ns=pid:"
	assert_line "[$child]"
	# a digit asks for the bare inode
	run complete_line "pidtree -p 1 -n ${child:0:5}"
	assert_line "$child"
	refute_line --partial 'pid:'
	# lsuserns and lspidns take it too; nsdiscover's -n is no --ns
	run complete_line "lspidns --ns "
	assert_line "pid:[$child]"
	run complete_line "lsuserns -n "
	assert_line "pid:[$child]"
	run complete_line "nsdiscover -n "
	refute_line --partial "pid:["
}

@test "completion: pidtree --pid offers PIDs and container:, --load files" {
	run complete_line "pidtree --pid "
	assert_line "$$"
	run complete_line "pidtree -p $$"
	assert_line "$$"
	refute_line --regexp '[^0-9]'
	# and the start of container:NAME, for -p, not for --task
	run complete_line "lsuserns -p cont"
	assert_output 'container:'
	run complete_line "nsdiscover --task=cont"
	assert_output ''
	run complete_line "lspidns --load=fixtures/hos"
	assert_output 'fixtures/hostile.json'
	run complete_line "lspidns --load fixtures/hos"
	assert_output 'fixtures/hostile.json'
}
