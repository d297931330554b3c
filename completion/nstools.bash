# SPDX-License-Identifier: Apache-2.0
#
# bash completion for nstools: nsdiscover, lsuserns, lspidns, pidtree.
# Installed once per tool under share/bash-completion/completions, where
# bash-completion loads it when the tool's name is first completed; it
# can also be sourced by hand. Self-contained: it needs no function of the
# bash-completion package.
#
# Completes the options of each tool, the values of --color=,
# --treestyle=, --type=/-t (the part after the last comma of a list),
# --load= (files), --pid=/-p/--task= (PIDs; -p also container:),
# --ns=/-n (-n not for nsdiscover), the PID namespaces visible from here
# (pid:[INODE], or INODE when a digit was typed), and for nsdiscover
# --output=/-o, the columns of the list.

# _nstools_options TOOL: the tool's options; those that take a value end
# in "=" (so that the value is typed right after them).
_nstools_options()
{
	local shared='--color --treestyle= --load= --no-tasks --no-fds
		--no-sockets --no-mounts --no-containers --interactive
		--interval= --notruncate --help --version'

	case $1 in
	nsdiscover) echo "--type= --pid= --task= --ns= --json --list --output=
		--output-all --list-columns --noheadings --raw --nowrap
		$shared" ;;
	lsuserns) echo "--details --type= --pid= --task= --ns= $shared" ;;
	lspidns) echo "--user --pid= --task= --ns= $shared" ;;
	pidtree) echo "--pid= --ns= --tasks $shared" ;;
	esac
}

# _nstools_types TOOL LIST: LIST with its last item completed to every
# namespace type it may be that is not in LIST already (lsuserns -t takes
# no user).
_nstools_types()
{
	local head= last=$2 type
	local types='cgroup ipc mnt net pid time user uts'

	if [[ $2 == *,* ]]; then
		head=${2%,*},
		last=${2##*,}
	fi
	for type in $types; do
		[[ $1 == lsuserns && $type == user ]] && continue
		[[ ,$head == *,"$type",* ]] && continue
		[[ $type == "$last"* ]] && echo "$head$type"
	done
}

# _nstools_columns CMD LIST: LIST (of -o, maybe after a "+") with its last
# item completed to every column of the list that CMD (nsdiscover, as
# typed) names in --list-columns.
_nstools_columns()
{
	local head= last=$2 column

	if [[ $2 == *,* ]]; then
		head=${2%,*},
		last=${2##*,}
	elif [[ $2 == +* ]]; then
		head=+
		last=${2#+}
	fi
	while read -r column _; do
		[[ $column == "${last^^}"* ]] && echo "$head$column"
	done < <("$1" --list-columns 2>/dev/null)
}

# _nstools_pidns PREFIX: the PID namespaces visible from here, as
# pid:[INODE] (or as INODE when PREFIX starts with a digit), that start
# with PREFIX.
_nstools_pidns()
{
	local ns

	# one readlink for all; the links we may not read are left out
	while IFS= read -r ns; do
		[[ $1 == [0-9]* ]] && { ns=${ns#pid:[}; ns=${ns%]}; }
		[[ $ns == "$1"* ]] && echo "$ns"
	done < <(readlink /proc/[0-9]*/ns/pid 2>/dev/null | sort -u)
}

# _nstools_pids PREFIX: the PIDs under /proc that start with PREFIX.
_nstools_pids()
{
	local dir

	for dir in /proc/[0-9]*; do
		dir=${dir#/proc/}
		[[ $dir == "$1"* ]] && echo "$dir"
	done
}

# _nstools_takes_value TOOL OPTION: whether OPTION takes a value in the
# next word. Not --color: its value is optional, so only taken after "=".
_nstools_takes_value()
{
	case $1:$2 in
	*:--treestyle | *:--load | *:--interval) return 0 ;;
	nsdiscover:-t | nsdiscover:--type) return 0 ;;
	nsdiscover:-o | nsdiscover:--output) return 0 ;;
	lsuserns:-t | lsuserns:--type) return 0 ;;
	*:-p | *:--pid | *:--ns) return 0 ;;
	nsdiscover:--task | lsuserns:--task | lspidns:--task) return 0 ;;
	lsuserns:-n | lspidns:-n | pidtree:-n) return 0 ;;
	esac
	return 1
}

# _nstools_values CMD OPTION VALUE: the completions of VALUE given to
# OPTION of CMD (the tool as typed), one a line.
_nstools_values()
{
	local tool=${1##*/} opt=$2 value=$3 word words=

	case $tool:$opt in
	*:--color | *:--colour) words='auto always never' ;;
	*:--treestyle) words='line ascii' ;;
	*:--load) compgen -f -- "$value" ;;
	nsdiscover:-t | nsdiscover:--type | lsuserns:-t | lsuserns:--type)
		_nstools_types "$tool" "$value"
		;;
	*:-p | *:--pid)
		_nstools_pids "$value"
		[[ container: == "$value"* ]] && echo container:
		;;
	*:--task) _nstools_pids "$value" ;;
	*:--ns | lsuserns:-n | lspidns:-n | pidtree:-n)
		_nstools_pidns "$value"
		;;
	nsdiscover:-o | nsdiscover:--output) _nstools_columns "$1" "$value" ;;
	esac
	for word in $words; do
		[[ $word == "$value"* ]] && echo "$word"
	done
}

# _nstools: the completion function. The word under the cursor is taken
# from COMP_LINE, whole: readline splits it at the characters of
# COMP_WORDBREAKS (--color=al into --color, = and al; pid:[4 into pid, :
# and [4) and replaces only the part after the last of them, which is
# therefore cut off the front of every completion.
_nstools()
{
	local tool=${1##*/} line=${COMP_LINE:0:COMP_POINT}
	local cur prev opt c i keep candidates= files= nospace=
	local -a words

	cur=${line##*[[:space:]]}
	read -r -a words <<<"${line%"$cur"}"
	prev=${words[${#words[@]} - 1]-}

	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		candidates=$(_nstools_values "$1" "$opt" "${cur#*=}" |
			sed "s/^/$opt=/")
		[[ $opt == --load ]] && files=1
	elif _nstools_takes_value "$tool" "$prev"; then
		candidates=$(_nstools_values "$1" "$prev" "$cur")
		[[ $prev == --load ]] && files=1
	elif [[ -z $cur || $cur == -* ]]; then
		candidates=$(for opt in $(_nstools_options "$tool"); do
			[[ $opt == "$cur"* ]] && echo "$opt"
		done)
		# "--type=" and "--color" (whose value is optional): the value
		# follows without a blank
		[[ $'\n'$candidates$'\n' == *$'=\n'* ||
			$candidates == --color ]] && nospace=1
	fi

	# container:NAME: the name follows without a blank
	[[ $candidates == *container: ]] && nospace=1

	keep=$cur
	for ((i = 0; i < ${#cur}; i++)); do
		c=${cur:i:1}
		[[ ${COMP_WORDBREAKS-} == *"$c"* ]] && keep=${cur:i+1}
	done
	COMPREPLY=()
	while IFS= read -r c; do
		[[ -n $c ]] && COMPREPLY+=("${c:${#cur}-${#keep}}")
	done <<<"$candidates"
	# compopt works only while readline completes: not when tests call us
	[[ -n $nospace ]] && compopt -o nospace 2>/dev/null
	[[ -n $files ]] && compopt -o filenames 2>/dev/null
	return 0
}

complete -F _nstools nsdiscover lsuserns lspidns pidtree
