#!/usr/bin/env bash
# Compares the per-core speed of netxray's `ovs-ofctl dump-flows` parser
# (parse/ovs BenchmarkParseFlows) with Open vSwitch's own Python parser
# (ovs.flow.ofp.OFPFlow) on the same generated 100,000-flow Neutron dump.
#
# Both rates are flows per second of CPU time of one process (the Go
# benchmark runs with -cpu 1), so other load on the machine matters less.
# Environment: GO (go), PYTHON (/usr/bin/python3: the PATH python3 may be a
# pyenv one without python3-openvswitch), BENCHTIME (10x), PY_FLOWS (all).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
PYTHON=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dump=$tmp/flows.txt
NETXRAY_BENCH_DUMP=$dump "$GO" test -count=1 -run '^TestWriteBenchDump$' ./parse/ovs/ >/dev/null
echo "dump: $(grep -c 'actions=' "$dump") flows, $(wc -c <"$dump") bytes ($dump)"

out=$("$GO" test -run '^$' -bench '^BenchmarkParseFlows$' -benchtime "${BENCHTIME:-10x}" -cpu 1 ./parse/ovs/)
line=$(grep '^BenchmarkParseFlows' <<<"$out")
metric() { awk -v m="$1" '{for (i = 2; i <= NF; i++) if ($i == m) print $(i-1)}' <<<"$line"; }
go_cpu=$(metric cpu-flows/s)
go_wall=$(metric flows/s)
allocs=$(metric allocs/flow)
printf 'go netxray ParseFlows: %.0f flows per CPU second (%.0f flows/s wall), %s allocs/flow\n' "$go_cpu" "$go_wall" "$allocs"

if ! "$PYTHON" -c 'import ovs.flow.ofp' 2>/dev/null; then
	echo "python half skipped: ovs.flow.ofp is not importable with $PYTHON" \
		"(apt-get install -y python3-openvswitch python3-netaddr)"
	exit 0
fi
pyout=$("$PYTHON" bench/ovs_flow_python.py "$dump" ${PY_FLOWS:+"$PY_FLOWS"})
echo "$pyout" | head -1
py_cpu=$(sed -n 's/.*python_flows_per_cpu_s=\([0-9]*\).*/\1/p' <<<"$pyout")
awk -v g="$go_cpu" -v p="$py_cpu" 'BEGIN { printf "ratio (per core, CPU time): %.0fx (target 100x)\n", g / p }'
