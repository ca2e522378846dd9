// Package iptables parses iptables-save and ip6tables-save output: the
// tables, their chains with policies and counters, and every rule split
// into its criteria (addresses, interfaces, protocol), its match modules
// with their options, and its target with the target's options.
//
// Neutron programs the Linux side of its data plane with these rules: the
// L3 agent's NAT for floating IPs and SNAT (neutron-l3-agent-PREROUTING,
// -float-snat, -snat, -OUTPUT in the qrouter-/snat- namespaces), the marks
// that pick DVR and address-scope routes, the hybrid firewall's per-port
// chains (neutron-openvswi-i<port>, -o<port>, -s<port>, -sg-chain,
// -sg-fallback, with physdev matches on the qbr bridge) and the conntrack
// zones set in the raw table. The analyzer walks these rules when it
// traces a packet, so rules are kept structured: Save.Table, Table.Chain
// and the Rule accessors give the fields without re-parsing text.
//
// Nothing is dropped: an option the parser does not know is kept, in
// order, in its match or target with a warning, and a line it cannot read
// at all becomes an error issue at its position.
package iptables
