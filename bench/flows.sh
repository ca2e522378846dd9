#!/usr/bin/env bash
# Compares the per-core speed of netxray's `ovs-ofctl dump-flows` parser
# (parse/ovs BenchmarkParseFlows) with Open vSwitch's own Python parser
# (ovs.flow.ofp.OFPFlow) on the same generated 100,000-flow Neutron dump.
#
# Both rates are flows per second of CPU time of one process (the Go
# benchmark runs with -cpu 1). ParseFlows returns every flow of the dump,
# so the Python side keeps every flow it parses too (the same job: its
# garbage collector then walks the flows as Go's does); it keeps its
# round's slice only, fewer flows than Go holds, which favours it. The
# rate of Python dropping each flow as it is made is measured and compared
# as well. This machine is a VM whose speed drifts by
# tens of percent from minute to minute, so the two are timed in
# alternating rounds (Go: the whole dump BENCHTIME times; Python: the
# round's slice of the dump) and each rate is the total of its rounds: both
# sides see the same slow and fast minutes.
# Environment: GO (go), PYTHON (/usr/bin/python3: the PATH python3 may be a
# pyenv one without python3-openvswitch), ROUNDS (5), BENCHTIME (10x).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
PYTHON=${PYTHON:-/usr/bin/python3}
ROUNDS=${ROUNDS:-5}
BENCHTIME=${BENCHTIME:-10x}
bt=${BENCHTIME%x}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dump=$tmp/flows.txt
NETXRAY_BENCH_DUMP=$dump "$GO" test -count=1 -run '^TestWriteBenchDump$' ./parse/ovs/ >/dev/null
flows=$(grep -c 'actions=' "$dump")
echo "dump: $flows flows, $(wc -c <"$dump") bytes ($dump)"
"$GO" test -c -o "$tmp/ovs.test" ./parse/ovs/

python=yes
if ! "$PYTHON" -c 'import ovs.flow.ofp' 2>/dev/null; then
	python=
	echo "python half skipped: ovs.flow.ofp is not importable with $PYTHON" \
		"(apt-get install -y python3-openvswitch python3-netaddr)"
fi

# metric NAME LINE prints the value printed before NAME in a benchmark line.
metric() { awk -v m="$1" '{for (i = 2; i <= NF; i++) if ($i == m) print $(i-1)}' <<<"$2"; }
slice=$(((flows + ROUNDS - 1) / ROUNDS))
go_flows=0 go_cpu=0 py_flows=0 py_cpu=0 pyd_flows=0 pyd_cpu=0
for ((r = 0; r < ROUNDS; r++)); do
	line=$("$tmp/ovs.test" -test.run '^$' -test.bench '^BenchmarkParseFlows$' \
		-test.benchtime "$BENCHTIME" -test.cpu 1 | grep '^BenchmarkParseFlows')
	rate=$(metric cpu-flows/s "$line")
	allocs=$(metric allocs/flow "$line")
	go_flows=$(awk -v a="$go_flows" -v b="${bt}" -v f="$flows" 'BEGIN { print a + f * b }')
	go_cpu=$(awk -v a="$go_cpu" -v b="${bt}" -v f="$flows" -v r="$rate" 'BEGIN { print a + f * b / r }')
	msg=$(printf 'round %d: go %.0f flows per CPU second' "$((r + 1))" "$rate")
	if [[ -n $python ]]; then
		for mode in keep discard; do
			out=$("$PYTHON" bench/ovs_flow_python.py "$dump" "$slice" "$((r * slice))" "$mode" | tail -1)
			if ! grep -q "mode=$mode" <<<"$out" || grep -q 'errors=[1-9]' <<<"$out"; then
				echo "python parser failed or had errors: $out" >&2
				exit 1
			fi
			n=$(sed -n 's/.* flows=\([0-9]*\).*/\1/p' <<<"$out")
			c=$(sed -n 's/.*cpu_s=\([0-9.]*\).*/\1/p' <<<"$out")
			if [[ $mode == keep ]]; then
				py_flows=$((py_flows + n))
				py_cpu=$(awk -v a="$py_cpu" -v c="$c" 'BEGIN { print a + c }')
			else
				pyd_flows=$((pyd_flows + n))
				pyd_cpu=$(awk -v a="$pyd_cpu" -v c="$c" 'BEGIN { print a + c }')
			fi
			msg+=$(printf ', python %s %s' "$mode" "$(sed -n 's/.*python_flows_per_cpu_s=\([0-9]*\).*/\1/p' <<<"$out")")
		done
	fi
	echo "$msg"
done
go_rate=$(awk -v n="$go_flows" -v c="$go_cpu" 'BEGIN { printf "%.0f", n / c }')
echo "go netxray ParseFlows: $go_rate flows per CPU second, $allocs allocs/flow ($ROUNDS rounds)"
[[ -n $python ]] || exit 0
py_rate=$(awk -v n="$py_flows" -v c="$py_cpu" 'BEGIN { printf "%.0f", n / c }')
pyd_rate=$(awk -v n="$pyd_flows" -v c="$pyd_cpu" 'BEGIN { printf "%.0f", n / c }')
echo "python ovs.flow.ofp.OFPFlow keeping its flows: $py_rate flows per CPU second ($py_flows flows)"
echo "python ovs.flow.ofp.OFPFlow dropping each flow: $pyd_rate flows per CPU second ($pyd_flows flows)"
awk -v g="$go_rate" -v p="$py_rate" 'BEGIN { printf "ratio (per core, CPU time, both keeping every flow): %.0fx (target 100x)\n", g / p }'
awk -v g="$go_rate" -v p="$pyd_rate" 'BEGIN { printf "ratio against python dropping each flow: %.0fx\n", g / p }'
