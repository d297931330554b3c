# SPDX-License-Identifier: Apache-2.0
#
# Helpers of structure.bats: the shape of the sources, read from the files
# alone (no build, no root). HACKING.md, "Layers", gives the rules and
# their reasons; each check prints one line per offence, FILE:LINE first,
# and nothing when the sources keep the rules.

# The folders whose sources are checked, relative to the top of the tree.
STRUCTURE_DIRS=(common/lib common/model common/engine common/ui
	lsuserns lspidns pidtree nsdiscover)

# structure_sources ROOT: every .c and .h under STRUCTURE_DIRS of the tree
# at ROOT, relative to ROOT, sorted, one a line.
structure_sources() {
	(cd "$1" && find "${STRUCTURE_DIRS[@]}" -type f \( -name '*.c' -o -name '*.h' \) |
		LC_ALL=C sort)
}

# include_offences ROOT: every #include of the sources at ROOT that breaks
# a rule of the layers: "FILE:LINE: #include "X": RULE". Quoted includes
# name a folder of common/ and a header that is there; a folder includes
# only the folders below it:
#
#   lib/     lib/
#   model/   lib/, model/
#   engine/  lib/, model/, engine/
#   ui/      lib/, model/, ui/ (and ui/cli.c alone: engine/discover.h,
#            engine/caps.h, to start a discovery)
#   a tool   lib/, model/, ui/
#
# Since every direction points down this order (lib, model, then engine
# and ui side by side, then the tools) and engine/ never includes ui/, no
# chain of includes can lead from a file back to a file of another folder:
# a cycle between folders cannot be written without breaking a rule here.
include_offences() {
	local root=$1
	local -a files
	mapfile -t files < <(structure_sources "$root")
	((${#files[@]})) || { echo "$root: no sources found"; return; }
	(cd "$root" && awk '
	BEGIN {
		allowed["lib"] = " lib "
		allowed["model"] = " lib model "
		allowed["engine"] = " lib model engine "
		allowed["ui"] = " lib model ui "
		allowed["tool"] = " lib model ui "
		rule["lib"] = "lib/ includes lib/ only"
		rule["model"] = "model/ includes lib/ and model/ only"
		rule["engine"] = "engine/ includes lib/, model/ and engine/ only"
		rule["ui"] = "ui/ includes lib/, model/ and ui/ only " \
			"(engine/discover.h and engine/caps.h: ui/cli.c alone)"
		rule["tool"] = "a tool includes ui/, model/ and lib/ only"
	}
	FNR == 1 {
		n = split(FILENAME, part, "/")
		layer = part[1] == "common" ? part[2] : "tool"
	}
	function exists(path,   ok) {
		ok = (getline junk < path) >= 0
		close(path)
		return ok
	}
	# where(NAME): ": \"FOLDER/NAME\"" for the folder that has NAME
	function where(name,   i, f) {
		split("lib model engine ui", f, " ")
		for (i = 1; i <= 4; i++)
			if (exists("common/" f[i] "/" name))
				return ": \"" f[i] "/" name "\""
		return ", as \"lib/util.h\""
	}
	function offence(what, why) {
		printf "%s:%d: #include %s: %s\n", FILENAME, FNR, what, why
	}
	# our headers by <...>: the quotes are what this check reads
	/^[ \t]*#[ \t]*include[ \t]*<(lib|model|engine|ui)\// {
		match($0, /<[^>]*>/)
		offence(substr($0, RSTART, RLENGTH),
			"include a header of common/ with quotes, \"folder/name.h\"")
		next
	}
	!/^[ \t]*#[ \t]*include[ \t]*"/ { next }
	{
		match($0, /"[^"]*"/)
		name = substr($0, RSTART + 1, RLENGTH - 2)
		if (name !~ /^[a-z]+\/[A-Za-z0-9_]+\.h$/) {
			offence("\"" name "\"", "name the folder of common/ " \
				"the header is in" where(name))
			next
		}
		split(name, part, "/")
		target = part[1]
		if (!(target in allowed)) {
			offence("\"" name "\"", target "/ is no folder of " \
				"common/ (lib, model, engine, ui)")
			next
		}
		if (!exists("common/" name)) {
			offence("\"" name "\"", "no such header: common/" name)
			next
		}
		if (index(allowed[layer], " " target " "))
			next
		if (FILENAME == "common/ui/cli.c" &&
		    (name == "engine/discover.h" || name == "engine/caps.h"))
			next
		offence("\"" name "\"", rule[layer])
	}
	' "${files[@]}")
}

# function_lengths ROOT: one line per function body in the sources at
# ROOT, "LINES FILE:LINE NAME", where LINE is that of the opening brace.
# A body is the lines between a "{" alone at column 0 and the next "}" at
# column 0 (kernel style), both left out. A function whose "{" ends its
# signature line instead would escape the count: such a line is printed
# as "BRACE FILE:LINE NAME".
function_lengths() {
	local root=$1
	local -a files
	mapfile -t files < <(structure_sources "$root")
	((${#files[@]})) || { echo "BRACE $root: no sources found"; return; }
	(cd "$root" && awk '
	function name_of(line) {
		if (!match(line, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/))
			return "?"
		line = substr(line, RSTART, RLENGTH)
		sub(/[ \t]*\($/, "", line)
		return line
	}
	FNR == 1 { inbody = 0; sig = "" }
	inbody && /^}/ {
		printf "%d %s:%d %s\n", FNR - start - 1, FILENAME, start, name
		inbody = 0
		next
	}
	inbody { next }
	/^\{[ \t]*$/ {
		inbody = 1
		start = FNR
		name = name_of(sig)
		next
	}
	# a definition at column 0 whose brace ends the line
	/^[A-Za-z_][^=;#]*\)[ \t]*\{[ \t]*$/ && !/^(struct|union|enum|typedef)[ \t]/ {
		printf "BRACE %s:%d %s\n", FILENAME, FNR, name_of($0)
		next
	}
	/^[A-Za-z_]/ && /\(/ { sig = $0 }
	' "${files[@]}")
}

# function_length_offences ROOT MEDIAN LONGEST: what breaks "the median
# body is at most MEDIAN lines and none is longer than LONGEST", one line
# each; the median and the longest are printed last either way, as
# "# median M of N functions, longest L (NAME)".
function_length_offences() {
	local root=$1 max_median=$2 max_len=$3
	function_lengths "$root" | LC_ALL=C sort -k1,1n | awk \
		-v max_median="$max_median" -v max_len="$max_len" '
	$1 == "BRACE" {
		printf "%s: %s: put the \"{\" of a function alone on the next " \
			"line, at column 0\n", $2, $3
		next
	}
	{
		len[++n] = $1
		if ($1 > max_len)
			printf "%s: %s: %d lines, more than %d\n", $2, $3, $1, max_len
		longest = $1 " (" $3 ", " $2 ")"
	}
	END {
		if (!n) {
			print "no function found"
			exit
		}
		median = n % 2 ? len[(n + 1) / 2] : (len[n / 2] + len[n / 2 + 1]) / 2
		if (median > max_median)
			printf "median body %s lines, more than %d\n", median, max_median
		printf "# median %s of %d functions, longest %s\n", median, n, longest
	}'
}

# reference_sources ROOT: the files whose references reference_offences
# follows, relative to ROOT: every text file of the tree but generated
# files and data (builds, the fixture, fuzz seeds, golden views) and the
# files of this check, whose examples are broken on purpose.
reference_sources() {
	(cd "$1" && find . \( -name .git -o -name 'build*' -o -path ./test/fixtures \
		-o -path ./test/fuzz/corpus -o -path ./test/golden \) -prune -o \
		-type f ! -name LICENSE ! -name 'structure.bat*' ! -name 'structure.bash' \
		-print | sed 's|^\./||' | LC_ALL=C sort | xargs grep -lI '' --)
}

# md_anchors FILE: the anchors GitHub makes of the headings of FILE, one a
# line: lower case, punctuation but "-" and "_" dropped, spaces as "-".
md_anchors() {
	sed -n 's/^#\{1,6\} //p' "$1" | tr 'A-Z' 'a-z' |
		sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}

# in_tree ROOT PATH: PATH (relative to ROOT) is a file inside the tree.
in_tree() {
	[ -f "$1/$2" ] && case $(realpath -m "$1/$2") in
		"$(realpath "$1")"/*) true ;;
		*) false ;;
		esac
}

# reference_offences ROOT: every reference a reader of the tree at ROOT
# cannot follow, "FILE:LINE: REFERENCE: WHY". Followed: the documents a
# file names (a Markdown file named in capitals, with or without a path:
# from the top or from the file's folder, inside the tree), the sections
# of HACKING.md cited by their title in double quotes after "HACKING.md, ",
# and the links of the Markdown files (a file of the tree, or the anchor
# of a heading).
reference_offences() (
	local root=$1 file line ref target anchor
	local -a files
	mapfile -t files < <(reference_sources "$root")
	cd "$root" || return
	# documents by name
	grep -HnoE '([A-Za-z0-9_.-]+/)*[A-Z][A-Za-z0-9_-]*\.md\b' -- "${files[@]}" |
	while IFS=: read -r file line ref; do
		in_tree . "$ref" || in_tree . "$(dirname "$file")/$ref" ||
			echo "$file:$line: $ref: no such document in the repository"
	done
	# sections of HACKING.md
	grep -HnoE 'HACKING\.md, "[^"]+"' -- "${files[@]}" |
	while IFS=: read -r file line ref; do
		ref=${ref#*\"}
		ref=${ref%\"}
		grep -qE "^#{2,3} $(printf '%s' "$ref" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$" HACKING.md 2>/dev/null ||
			echo "$file:$line: HACKING.md, \"$ref\": no such section"
	done
	# links of the Markdown files: ](target), ](target#anchor), ](#anchor)
	grep -HnoE '\]\([^) ]+\)' -- $(printf '%s\n' "${files[@]}" | grep '\.md$') |
	while IFS=: read -r file line ref; do
		ref=${ref#](}
		ref=${ref%)}
		case $ref in *://*|mailto:*) continue ;; esac
		target=${ref%%#*}
		anchor=
		case $ref in *#*) anchor=${ref#*#} ;; esac
		target=$(dirname "$file")/${target:-$(basename "$file")}
		if ! [ -e "$target" ]; then
			echo "$file:$line: $ref: no such file"
		elif [ -n "$anchor" ] && ! md_anchors "$target" | grep -qxF -- "$anchor"; then
			echo "$file:$line: $ref: no such heading"
		fi
	done
)
