# SPDX-License-Identifier: Apache-2.0
#
# Helpers of docs.bats: the options that --help and the manual pages list,
# make install into a DESTDIR, and the bash completion called as bash
# calls it. Load after common.

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
TOOLS=(nsdiscover lsuserns lspidns pidtree)

# option_names: the options named in the option tags on stdin (one tag a
# line, such as "-c, --color[=WHEN]"), one a line, sorted.
option_names() {
	grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | tr -d ' ,' | sort -u
}

# help_options TOOL: the options TOOL --help lists. Their lines start with
# "  -x, --long" or "      --long"; the tag ends at the first two spaces.
help_options() {
	"$NSTOOLS_BIN/$1" --help | grep -E '^ {2}-|^ {6}--' |
		sed -E 's/^ +//; s/  .*//' | option_names
}

# man_options TOOL: the options the OPTIONS section of man/TOOL.1 lists:
# in the rendered page, the tags are the lines indented by five spaces
# that start with "-"; wide enough that no tag is wrapped, the tag ends
# at the first two spaces.
man_options() {
	mandoc -Tascii -O width=200 "$ROOT/man/$1.1" | col -b |
		awk '/^[A-Z]/ { on = ($0 == "OPTIONS"); next } on' |
		grep -E '^ {5}-' | sed -E 's/^ +//; s/  .*//' | option_names
}

# json_section: the JSON section of nsdiscover.1, in mdoc.
json_section() {
	sed -n '/^\.Sh JSON$/,/^\.Sh [^J]/p' "$ROOT/man/nsdiscover.1"
}

# json_section_keys: the keys the JSON section names (with Cm), sorted.
json_section_keys() {
	json_section | grep -E '(^\.| )Cm ' | sed -E 's/.*Cm //' |
		tr ' ,' '\n\n' | grep -E '^[a-z][a-z-]*$' | sort -u
}

# json_section_kinds: the kinds of sources the JSON section names (the
# tags of its list of kinds), sorted.
json_section_kinds() {
	json_section | grep -E '^\.It Ql ' | sed -E 's/^\.It //' |
		grep -oE 'Ql [a-z-]+' | sed 's/^Ql //' | sort -u
}

# run_make TARGET [VAR=VALUE...]: make in the sources, for the build the
# suite tests (as a user would call it: none of the calling make's flags).
run_make() {
	run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -C "$ROOT" --no-print-directory \
		BUILD="$(dirname "$NSTOOLS_BIN")" "$@"
}

# installed_files DIR: every file and link under DIR with its mode, one
# "MODE PATH" a line (PATH relative to DIR), sorted.
installed_files() {
	(cd "$1" && find . ! -type d -printf '%m %P\n' | sort -k2)
}

# expected_files PREFIX: what make install puts under DESTDIR for PREFIX
# (without its leading /), as installed_files prints it.
expected_files() {
	local p=$1 t
	for t in "${TOOLS[@]}"; do
		echo "755 $p/bin/$t"
		echo "644 $p/share/man/man1/$t.1"
		echo "644 $p/share/bash-completion/completions/$t"
	done
	echo "644 $p/share/man/man7/nstools.7"
}

# complete_line LINE: what the completion offers for LINE with the cursor
# at its end, one a line. COMP_WORDS and COMP_CWORD are set as bash sets
# them: split at blanks, and each run of COMP_WORDBREAKS characters (= and
# : by default) a word of its own.
complete_line() {
	local line=$1 breaks=${COMP_WORDBREAKS//[[:space:]\"\']/} word= c i
	local -a words=()

	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ $c == [[:space:]] ]]; then
			[[ -n $word ]] && words+=("$word")
			word=
		elif [[ $breaks == *"$c"* ]]; then
			[[ -n $word && $breaks != *"${word: -1}"* ]] && words+=("$word") && word=
			word+=$c
		else
			[[ -n $word && $breaks == *"${word: -1}"* ]] && words+=("$word") && word=
			word+=$c
		fi
	done
	words+=("$word")
	COMP_WORDS=("${words[@]}")
	COMP_CWORD=$((${#words[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_nstools "${words[0]}" "${words[COMP_CWORD]}" "${words[COMP_CWORD - 1]}"
	((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}"
}

# shell_commands: the shell commands that the README and the manual
# pages give, one a line, as FILE:LINE: COMMAND: the README's "$ " lines
# and indented blocks outside fences, and its code spans that start with
# an option or a tool; the pages' "$ " and "# " lines of literal blocks,
# the lines of the literal blocks of EXAMPLES that show no output, and
# the Ql and Dl that start with an option or a command.
shell_commands() {
	awk '/^```/ { fence = !fence; next }
	fence && /^\$ / { print FILENAME ":" FNR ": " substr($0, 3); next }
	!fence && /^    [^ ]/ { print FILENAME ":" FNR ": " substr($0, 5); next }
	!fence {
		line = $0
		while (match(line, /`[^`]+`/)) {
			span = substr(line, RSTART + 1, RLENGTH - 2)
			if (span ~ /^(-|sudo |lsuserns |lspidns |pidtree |nsdiscover |lsns |nsenter |ip |unshare )/)
				print FILENAME ":" FNR ": " span
			line = substr(line, RSTART + RLENGTH)
		}
	}' "$ROOT"/README.md
	awk '/^\.Sh / { examples = ($0 == ".Sh EXAMPLES") }
	/^\.Bd -literal/ { lit = 1; shown = 0; next }
	/^\.Ed/ { lit = 0; next }
	lit && /^[$#] / { shown = 1; print FILENAME ":" FNR ": " substr($0, 3); next }
	lit && examples && !shown && !/^[{}" ]/ { print FILENAME ":" FNR ": " $0; next }
	/^\.(Pq |)(Ql|Dl) / {
		cmd = $0
		sub(/^\.(Pq |)(Ql|Dl) /, "", cmd)
		if (cmd ~ /^(\\-|sudo |lsuserns |lspidns |pidtree |nsdiscover |lsns |nsenter |ip |unshare )/)
			print FILENAME ":" FNR ": " cmd
	}' "$ROOT"/man/*.[1-9]
}

# unmarked_samples: the blocks of output of the README and the pages (a
# block with a "$ " line or a warning) that are neither samples nor
# marked illustrative, as FILE:LINE of their first line.
unmarked_samples() {
	awk '/^```/ {
		if (!fence) { fence = 1; start = FNR; marked = (prev ~ /^<!-- (sample|sample-output|illustrative): /); shows = 0 }
		else { fence = 0; if (shows && !marked) print FILENAME ":" start }
		prev = $0; next
	}
	fence && (/^\$ / || /: warning: /) { shows = 1 }
	{ prev = $0 }' "$ROOT"/README.md
	awk '/^\.Bd -literal/ { lit = 1; start = FNR; shows = 0
		marked = (prev ~ /^\.\\" (sample|sample-output|illustrative|tour): /); next }
	/^\.Ed/ { if (lit && shows && !marked) print FILENAME ":" start; lit = 0 }
	lit && (/^\$ / || /: warning: /) { shows = 1 }
	{ prev = $0 }' "$ROOT"/man/*.[1-9]
}

# warning_shapes: the warnings on stdin (lines "TOOL: warning: TEXT", a
# screen's "could not read ..." or a dump's "warnings":["TEXT"]), one a line, the tool's name and every
# number taken out.
warning_shapes() {
	sed -nE -e 's/^.*[a-z]+: warning: //p' -e '/^could not read /p' \
		-e 's/.*"warnings":\["([^"]*)".*/\1/p' |
		sed -E 's/[0-9]+/N/g' | sort -u
}

# tour_block: the commands of the README's tour, as test/docs/tour reads
# them.
tour_block() {
	awk '$0 == "<!-- tour -->" { on = 1; next }
		on && /^    / { print substr($0, 5); seen = 1; next }
		on && seen { exit }' "$ROOT"/README.md
}

# man_tour_block PAGE: the literal block after ".\" tour:" in PAGE, as
# text (\e a backslash).
man_tour_block() {
	awk '/^\.\\" tour: / { on = 1; next }
		on && /^\.Bd/ { next }
		on && /^\.Ed/ { exit }
		on' "$1" | sed 's/\\e/\\/g'
}
