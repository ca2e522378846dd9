#!/usr/bin/python3
"""Parse an `ovs-ofctl dump-flows` file with Open vSwitch's own Python
parser (ovs.flow.ofp.OFPFlow, Debian package python3-openvswitch) and print
its rate, to compare with netxray's Go parser on the same input.

Usage: ovs_flow_python.py DUMP [MAX_FLOWS [SKIP_FLOWS [MODE]]]

Parses MAX_FLOWS flows (all by default; 0: all) after skipping the first
SKIP_FLOWS, so that a caller can time the dump in slices, alternating with
the tool it compares. MODE "keep" (the default) keeps every parsed flow in
a list, as netxray's ParseFlows returns every flow of the dump: the same
job, and Python's cyclic garbage collector then has the flows to walk as
Go's has. MODE "discard" drops each flow as soon as it is made, which no
reader of a whole dump does, but which is how OVS's parser is fastest.

Prints a human line and a machine line:
    python_flows_per_cpu_s=<n> python_flows_per_s=<n> flows=<n> errors=<n> cpu_s=<s>

OVS 3.1's OFPFlow cannot read its own dump-flows output: its info-section
decoders spell "n_packet" for n_packets and lack idle_age (and importance),
so with the default strict KVDecoders every flow line raises. We patch the
decoder table at run time (adding the missing keys, keeping OVS's
decoders) before timing anything.
"""

import sys
import time

from ovs.flow.decoders import decode_int, decode_time
from ovs.flow.kv import KVDecoders
from ovs.flow.ofp import OFPFlow


def patch_info_decoders():
    dec = OFPFlow.info_decoders()
    table = dict(getattr(dec, "_decoders", {}) or {})
    table.setdefault("n_packets", decode_int)
    table.setdefault("idle_age", decode_time)
    table.setdefault("hard_age", decode_time)
    table.setdefault("importance", decode_int)
    OFPFlow._info_decoders = KVDecoders(table)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else None
    skip = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    mode = sys.argv[4] if len(sys.argv) > 4 else "keep"
    if mode not in ("keep", "discard"):
        sys.exit("MODE must be keep or discard, not %r" % mode)
    with open(sys.argv[1]) as f:
        lines = [
            line
            for line in f
            if line.strip() and "_FLOW reply" not in line
        ]
    lines = lines[skip:]
    if limit:
        lines = lines[:limit]
    patch_info_decoders()
    errors = 0
    flows = []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    if mode == "keep":
        for line in lines:
            try:
                flows.append(OFPFlow(line))
            except Exception:  # count, do not stop: a rate needs all lines
                errors += 1
    else:
        for line in lines:
            try:
                OFPFlow(line)
            except Exception:
                errors += 1
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    if mode == "keep" and len(flows) + errors != len(lines):
        sys.exit("kept %d flows of %d lines" % (len(flows), len(lines)))
    n = len(lines)
    print(
        "python ovs.flow.ofp.OFPFlow (%s): %d flows in %.2fs (%.0f flows/s, "
        "%.0f flows per CPU second), %d errors" % (mode, n, wall, n / wall, n / cpu, errors)
    )
    print(
        "python_flows_per_cpu_s=%.0f python_flows_per_s=%.0f flows=%d errors=%d cpu_s=%.6f mode=%s"
        % (n / cpu, n / wall, n, errors, cpu, mode)
    )


if __name__ == "__main__":
    main()
