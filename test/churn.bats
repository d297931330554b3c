#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
#
# Faults and load: every tool, 200 times each, while the churn helper
# creates and ends processes, threads and namespaces as fast as it can.
# It all happens in a sandbox (a PID namespace with its own /proc), so
# that the tools see the churn and little else: each run is cheap, and
# nothing that runs beside the tests on this machine is looked at. Times
# are shown, never asserted: speed is for the benchmarks.

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

# The runs: one view of each tool, and the dump.
CHURN_RUNS=("nsdiscover --json" "nsdiscover" "lsuserns -d" "lspidns -u" "pidtree -t")

# RUN_LOOP, for bash -c "$RUN_LOOP" DIR BIN COUNT: COUNT rounds of
# CHURN_RUNS (passed after COUNT) with the tools in BIN, each under a hang
# guard. Appends to DIR/runs a line "RUN ROUND STATUS MICROSECONDS
# STDOUT-NOT-EMPTY STDERR-OK" a run; STDERR-OK is 1 when stderr is empty
# or the one warning line. Keeps every dump as DIR/json.ROUND and the
# stderr of a run that was not OK as DIR/err.RUN.ROUND. Only builtins
# besides the tools: the loop adds little to what is measured.
RUN_LOOP='dir=$0 bin=$1 count=$2
	shift 2
	runs=("$@")
	for ((i = 1; i <= count; i++)); do
		for k in "${!runs[@]}"; do
			read -r -a argv <<<"${runs[k]}"
			out=$dir/out.$k
			[ "${runs[k]}" = "nsdiscover --json" ] && out=$dir/json.$i
			t0=$EPOCHREALTIME
			timeout -k 5 60 "$bin/${argv[0]}" "${argv[@]:1}" \
				>"$out" 2>"$dir/err"
			st=$?
			t1=$EPOCHREALTIME
			nonempty=0
			[ -s "$out" ] && nonempty=1
			mapfile -t lines <"$dir/err"
			errok=0
			if ((${#lines[@]} == 0)) || { ((${#lines[@]} == 1)) &&
				[[ ${lines[0]} == "${argv[0]}: warning: "* ]]; }; then
				errok=1
			else
				mv "$dir/err" "$dir/err.$k.$i"
			fi
			echo "$k $i $st $((${t1/./} - ${t0/./})) $nonempty $errok" >>"$dir/runs"
		done
	done'

# run_rounds DIR COUNT: RUN_LOOP in the sandbox.
run_rounds() {
	mkdir -p "$1"
	in_sandbox bash -c "$RUN_LOOP" "$1" "$NSTOOLS_BIN" "$2" "${CHURN_RUNS[@]}"
}

# stat_ms DIR RUN WHAT: the median or the maximum (WHAT) of the times of
# run RUN in DIR/runs, in milliseconds with one decimal.
stat_ms() {
	awk -v k="$2" '$1 == k { print $4 }' "$1/runs" | sort -n |
		awk -v what="$3" '{ t[NR] = $1 }
			END { v = what == "max" ? t[NR] : t[int((NR + 1) / 2)]
			      printf "%.1f", v / 1000 }'
}

@test "churn: 200 runs of every tool while processes, threads and namespaces come and go" {
	local quiet=$T/quiet busy=$T/churn k before after bad
	fixture_sandbox
	# the same runs on a quiet sandbox first, for the times
	run_rounds "$quiet" 50
	# the churn, in the sandbox
	start nsenter -t "$SANDBOX" -p -m -- "$NSTOOLS_HELPERS/churn" \
		"$T/churn.ready" "$T/churn.stats" 300
	wait_file "$T/churn.ready"
	wait_file "$T/churn.stats"
	before=$(cat "$T/churn.stats")
	run_rounds "$busy" 200
	after=$(cat "$T/churn.stats")
	stop "$STARTED"

	# 200 runs of each, all done, all fine
	[ "$(wc -l <"$busy/runs")" -eq $((200 * ${#CHURN_RUNS[@]})) ]
	bad=$(awk '$3 != 0 || $5 != 1 || $6 != 1' "$busy/runs" | head -5)
	if [ -n "$bad" ]; then
		echo "runs that failed (run round status us stdout stderr):" >&2
		echo "$bad" >&2
		cat "$busy"/err.* 2>/dev/null | head -20 >&2
		false
	fi
	# every dump holds the invariants (check_dump says which broke, and
	# where the dump is kept), and has the process that made it
	bad=0
	for k in $(seq 200); do
		check_dump "$busy/json.$k" "round $k" || bad=$((bad + 1))
	done
	[ "$bad" -eq 0 ] || fail "$bad of 200 dumps break an invariant (above)"
	# the churn went on all along
	read -r -a b <<<"$before"
	read -r -a a <<<"$after"
	[ "${a[0]}" -gt "${b[0]}" ]
	echo "# churn during the runs: $((a[0] - b[0])) rounds, $((a[1] - b[1])) processes, $((a[2] - b[2])) threads, $((a[3] - b[3])) namespaces" >&3
	for k in "${!CHURN_RUNS[@]}"; do
		echo "# ${CHURN_RUNS[k]}: quiet median $(stat_ms "$quiet" "$k" median) ms, churn median $(stat_ms "$busy" "$k" median) ms, max $(stat_ms "$busy" "$k" max) ms (200 runs, 0 failed)" >&3
	done
}
