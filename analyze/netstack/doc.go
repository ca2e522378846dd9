// Package netstack evaluates the Linux side of packet forwarding offline,
// the way the kernel would with the state a bundle captured: policy routing
// (`ip rule` in priority order, then the routing tables), neighbour
// resolution and proxy ARP, source address selection, Linux bridge
// forwarding with its FDB, and the pairing of veth ends across namespaces.
//
// It works on the parsed records of parse/iproute and parse/bridge, so every
// answer cites the rule, route, neighbour or FDB entry (file:line) that
// decided it. The semantics follow Linux 5.x/6.x: fib_rules_lookup (goto,
// nop, suppress_prefixlength, unreachable/prohibit/blackhole actions, iif lo
// for locally generated packets), fib_table_lookup (longest prefix, then tos
// and metric, throw/unreachable/prohibit/blackhole route types, dead
// next hops), inet_select_addr, arp_process and br_handle_frame_finish.
//
// Missing data is never filled in: a namespace whose `ip rule` or routes
// were not collected answers DataMissing, not a guess with the default
// rules. Sysctls the bundle lacks (forwarding, proxy_arp, arp_ignore) are
// taken from Neutron's settings for its namespaces, or the kernel's
// defaults elsewhere, and each such assumption is listed in the answer.
//
// Not modelled: rp_filter, multicast routing, VRF (l3mdev), nexthop
// objects, IPv6 source address selection beyond the route's src and the
// first global address, and netfilter (iptables NAT and filtering is left
// to the caller until parse/iptables exists).
package netstack
