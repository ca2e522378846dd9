// Package netstack evaluates the Linux side of packet forwarding offline,
// the way the kernel would with the state a bundle captured: policy routing
// (`ip rule` in priority order, then the routing tables), neighbour
// resolution and proxy ARP, source address selection, netfilter (iptables
// raw, mangle, nat and filter chains), Linux bridge forwarding with its
// FDB, and the pairing of veth ends across namespaces.
//
// It works on the parsed records of parse/iproute, parse/bridge and
// parse/iptables, so every answer cites the rule, route, neighbour, FDB
// entry or iptables rule (file:line) that decided it. The semantics follow
// Linux 5.x/6.x: fib_rules_lookup (goto, nop, suppress_prefixlength,
// unreachable/prohibit/blackhole actions, iif lo for locally generated
// packets), fib_table_lookup (longest prefix, then tos and metric,
// throw/unreachable/prohibit/blackhole route types, dead next hops),
// inet_select_addr, arp_process, ipt_do_table (jumps, gotos, returns,
// policies) in the netfilter hook order, br_netfilter for bridged frames,
// and br_handle_frame_finish.
//
// The entry points: Namespace.Route (routing only), Namespace.Transit
// (netfilter and routing together, with NAT), Namespace.Bridged (a frame
// crossing a Linux bridge through iptables: the hybrid firewall),
// Namespace.Resolve and Namespace.AnswersARP (neighbours), Bridge.Forward,
// and PairVeths. FromModel, BridgesFromModel and VethEnds build the inputs
// from an analyze/model node.
//
// Missing data is never filled in: a namespace whose `ip rule`, routes or
// iptables-save were not collected answers DataMissing, not a guess with
// the default rules. What offline analysis cannot know is stated, not
// guessed silently: the connection-tracking state is the caller's
// assumption (Conntrack), and sysctls the bundle lacks (forwarding,
// proxy_arp, arp_ignore, bridge-nf-call-iptables) are taken from Neutron's
// settings for its namespaces, or the kernel's defaults elsewhere, each
// listed in the answer's Assumed. A rule or match netstack cannot evaluate
// (ipset contents, VRF, multicast) makes the answer Unsupported, naming it.
//
// Not modelled: rp_filter, multicast routing, VRF (l3mdev), nexthop
// objects, the flow hash that picks a multipath next hop, IPv6 source
// address selection beyond the route's src and the first global address,
// ip6tables, and FDB VLAN membership beyond what `bridge fdb` prints.
package netstack
