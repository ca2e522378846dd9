// Package model builds netxray's model of a bundle set: every node's parsed
// sources, and from them bridges, ports, tunnels, namespaces, interfaces,
// VMs, versions and the agents' configuration; across nodes, the address
// book (IP ↔ MAC), the networks (segment ↔ local VLAN per node), the
// routers (qrouter/snat/fip per node, DVR MACs) and the topology. Each
// object keeps the evidence (file:line) it came from. It is built once and
// shared by summaries, traces, rules, reports and diffs; nothing downstream
// re-reads files.
//
// Missing sources leave gaps that are marked (Node.Gaps), never guessed.
package model
