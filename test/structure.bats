#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# The shape of the sources, as HACKING.md sets it out: includes name the
# folder of common/ and point down the layers, function bodies stay
# short, and every document, section and link that a file cites is in
# the repository. Reads the files only: no build, no root.

load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'
load structure

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

# scratch_tree: a copy of the checked sources in $BATS_TEST_TMPDIR/tree,
# to break on purpose.
scratch_tree() {
	local dir
	for dir in "${STRUCTURE_DIRS[@]}"; do
		mkdir -p "$BATS_TEST_TMPDIR/tree/$(dirname "$dir")"
		cp -r "$ROOT/$dir" "$BATS_TEST_TMPDIR/tree/$dir"
	done
	echo "$BATS_TEST_TMPDIR/tree"
}

# add_line FILE LINE: LINE after the first line of FILE (its licence tag).
add_line() {
	sed -i "1a $2" "$1"
}

@test "includes: each names its folder of common/ and points down the layers" {
	run include_offences "$ROOT"
	assert_success
	assert_output ''
}

@test "includes: the check reports a wrong include with file, line and rule" {
	local tree before
	tree=$(scratch_tree)
	before=$(include_offences "$tree" | wc -l)
	add_line "$tree/common/lib/util.c" '#include "model/model.h"'
	add_line "$tree/common/model/model.c" '#include "util.h"'
	add_line "$tree/common/model/json.c" '#include "engine/procfs.h"'
	add_line "$tree/common/engine/discover.c" '#include "ui/view.h"'
	add_line "$tree/common/ui/view.c" '#include "engine/discover.h"'
	add_line "$tree/common/ui/cli.c" '#include "engine/procfs.h"'
	add_line "$tree/common/ui/tree.c" '#include "ui/nosuch.h"'
	add_line "$tree/common/ui/style.c" '#include "tools/x.h"'
	add_line "$tree/pidtree/pidtree.c" '#include "engine/discover.h"'
	add_line "$tree/lspidns/lspidns.c" '#include <lib/util.h>'
	run include_offences "$tree"
	assert_success
	assert_line 'common/lib/util.c:2: #include "model/model.h": lib/ includes lib/ only'
	assert_line 'common/model/model.c:2: #include "util.h": name the folder of common/ the header is in: "lib/util.h"'
	assert_line 'common/model/json.c:2: #include "engine/procfs.h": model/ includes lib/ and model/ only'
	assert_line 'common/engine/discover.c:2: #include "ui/view.h": engine/ includes lib/, model/ and engine/ only'
	assert_line --partial 'common/ui/view.c:2: #include "engine/discover.h": ui/ includes lib/, model/ and ui/ only'
	assert_line --partial 'common/ui/cli.c:2: #include "engine/procfs.h": ui/ includes lib/, model/ and ui/ only'
	assert_line 'common/ui/tree.c:2: #include "ui/nosuch.h": no such header: common/ui/nosuch.h'
	assert_line 'common/ui/style.c:2: #include "tools/x.h": tools/ is no folder of common/ (lib, model, engine, ui)'
	assert_line 'pidtree/pidtree.c:2: #include "engine/discover.h": a tool includes ui/, model/ and lib/ only'
	assert_line 'lspidns/lspidns.c:2: #include <lib/util.h>: include a header of common/ with quotes, "folder/name.h"'
	# those ten more than before: ui/cli.c's own engine includes are allowed
	[ "${#lines[@]}" -eq $((before + 10)) ]
}

@test "functions: bodies stay short, median at most 10 lines, none over 60" {
	run function_length_offences "$ROOT" 10 60
	assert_success
	# only the line that says where the sources stand; any other is an offence
	refute_line --regexp '^[^#]'
	assert_line --regexp '^# median [0-9.]+ of [0-9]+ functions, longest '
}

@test "functions: the check reports a long body, a high median and a brace after a signature" {
	local tree i
	tree=$(scratch_tree)
	{
		printf 'static int too_long(void)\n{\n'
		for ((i = 0; i < 61; i++)); do
			printf '\tcall();\n'
		done
		printf '}\n\nint braced(void) {\n\treturn 0;\n}\n'
	} >>"$tree/common/lib/util.c"
	run function_length_offences "$tree" 10 60
	assert_success
	assert_line --regexp '^common/lib/util\.c:[0-9]+: too_long: 61 lines, more than 60$'
	assert_line --regexp '^common/lib/util\.c:[0-9]+: braced: put the "\{" of a function alone on the next line, at column 0$'
	# a limit below today's median: the median is reported
	run function_length_offences "$tree" 5 60
	assert_line --regexp '^median body [0-9.]+ lines, more than 5$'
}

@test "references: every document, HACKING.md section and link cited is in the repository" {
	run reference_offences "$ROOT"
	assert_success
	assert_output ''
}

@test "references: the check reports a document, a section and a link that are not there" {
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir -p "$tree/common/ui" "$tree/man" "$tree/test/bench"
	cp "$ROOT/README.md" "$ROOT/HACKING.md" "$tree/"
	cp "$ROOT/common/ui/view.h" "$tree/common/ui/"
	cp "$ROOT/test/bench/README.md" "$tree/test/bench/"
	printf '/* see DESIGN.md, "the namespace label" */\n' >"$tree/common/ui/a.c"
	printf '/* HACKING.md, "Layers"; HACKING.md, "No such part" */\n' >"$tree/common/ui/b.c"
	printf '.\\" from ../shared/DESIGN.md\n.\\" see README.md and test/bench/README.md\n' \
		>"$tree/man/x.1"
	printf '[a](HACKING.md#layers) [b](#nowhere) [c](NOPE.txt) [d](HACKING.md#nowhere)\n' \
		>>"$tree/README.md"
	run reference_offences "$tree"
	assert_success
	assert_line 'common/ui/a.c:1: DESIGN.md: no such document in the repository'
	assert_line 'common/ui/b.c:1: HACKING.md, "No such part": no such section'
	assert_line 'man/x.1:1: ../shared/DESIGN.md: no such document in the repository'
	assert_line --regexp '^README\.md:[0-9]+: #nowhere: no such heading$'
	assert_line --regexp '^README\.md:[0-9]+: NOPE\.txt: no such file$'
	assert_line --regexp '^README\.md:[0-9]+: HACKING\.md#nowhere: no such heading$'
	[ "${#lines[@]}" -eq 6 ]
}
