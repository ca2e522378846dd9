package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"netxray/analyze/model"
	"netxray/analyze/netstack"
	"netxray/collect"
	"netxray/parse"
)

// linux follows the packet into namespace ns through device in: routing
// (policy rules, tables), next-hop resolution, and out through an OVS
// internal port (back into br-int) or a veth into the peer namespace.
func (t *tracer) linux(n *model.Node, ns *model.Namespace, in *model.Interface, p packet, hops []Hop, depth int) branch {
	if depth > maxHops {
		return branch{hops: hops, verdict: Loop, reason: fmt.Sprintf("over %d hops: the packet loops (last in %s on %s)", maxHops, ns.Name, n.Name)}
	}
	key := fmt.Sprintf("%s/%s/%s/%s/%s", n.Name, ns.Name, in.Name, p.srcIP, p.dstIP)
	if t.seen[key] {
		return branch{hops: hops, verdict: Loop, reason: fmt.Sprintf("the packet comes back into %s through %s on %s", ns.Name, in.Name, n.Name)}
	}
	t.seen[key] = true
	if ns.Capped {
		return branch{hops: hops, verdict: DataMissing, reason: fmt.Sprintf("%s on %s was not collected (namespace limit)", ns.Name, n.Name)}
	}
	var assumed []string
	if strings.HasPrefix(in.Name, "rfp-") && !t.isFixedIP(p.dstIP) {
		// Inbound to a floating IP: the qrouter's DNAT (iptables) picks
		// the fixed IP.
		return branch{hops: hops, verdict: DataMissing, reason: fmt.Sprintf("%s on %s would DNAT %s to a fixed IP: iptables NAT is not evaluated yet", ns.Name, n.Name, p.dstIP)}
	}
	nsx := t.netstackOf(n, ns)
	d, err := nsx.Route(netstack.Packet{Src: p.srcIP, Dst: p.dstIP, IIF: in.Name, Proto: protoNumber(p.proto), SrcPort: uint16(p.sport), DstPort: uint16(p.dport)})
	if err != nil {
		return branch{hops: hops, verdict: DataMissing, reason: fmt.Sprintf("cannot route in %s on %s: %v", ns.Name, n.Name, err)}
	}
	hop := Hop{Node: n.Name, Where: ns.Name, Kind: "route", Detail: routeDetail(in.Name, d)}
	for _, s := range d.Steps {
		hop.Evidence = append(hop.Evidence, evidence(s.Rule.Pos, s.Rule.Raw))
	}
	if d.Route != nil {
		hop.Evidence = append(hop.Evidence, evidence(d.Route.Pos, d.Route.Raw))
	}
	hops = append(hops, hop)
	for _, a := range d.Assumed {
		assumed = append(assumed, n.Name+" "+ns.Name+": "+a)
	}
	switch d.Verdict {
	case netstack.Forward:
	case netstack.Local:
		return branch{hops: hops, verdict: Dropped, assumed: assumed, reason: fmt.Sprintf("%s on %s takes %s as its own address (%s)", ns.Name, n.Name, p.dstIP, d.Reason)}
	case netstack.NoRoute:
		return branch{hops: hops, verdict: NoRoute, assumed: assumed, reason: fmt.Sprintf("no route to %s in %s on %s: %s", p.dstIP, ns.Name, n.Name, d.Reason)}
	case netstack.DataMissing:
		return branch{hops: hops, verdict: DataMissing, assumed: assumed, reason: fmt.Sprintf("%s on %s: %s", ns.Name, n.Name, d.Reason)}
	case netstack.Unsupported:
		return branch{hops: hops, verdict: DataMissing, assumed: assumed, reason: fmt.Sprintf("%s on %s: %s (not evaluated yet)", ns.Name, n.Name, d.Reason)}
	case netstack.Blackhole, netstack.Unreachable, netstack.Prohibit:
		return branch{hops: hops, verdict: NoRoute, assumed: assumed, reason: fmt.Sprintf("%s in %s on %s: %s", d.Verdict, ns.Name, n.Name, d.Reason)}
	default:
		return branch{hops: hops, verdict: Dropped, assumed: assumed, reason: fmt.Sprintf("%s in %s on %s: %s", d.Verdict, ns.Name, n.Name, d.Reason)}
	}
	q := p
	q.ttl--
	if q.ttl <= 0 {
		return branch{hops: hops, verdict: Dropped, assumed: assumed, reason: fmt.Sprintf("TTL expired in %s on %s", ns.Name, n.Name)}
	}
	out := nsx.Interface(d.Dev)
	if out == nil {
		return branch{hops: hops, verdict: DataMissing, assumed: assumed, reason: fmt.Sprintf("%s routes via %s, which is not among its collected interfaces", ns.Name, d.Dev)}
	}
	if ns.Kind == "snat" && strings.HasPrefix(d.Dev, "qg-") {
		if a := firstV4(out); a.IsValid() {
			assumed = append(assumed, fmt.Sprintf("%s on %s SNATs %s to %s (its qg- address; iptables NAT not evaluated yet)", ns.Name, n.Name, q.srcIP, a))
			q.srcIP = a
		}
	}
	mac, h, ok := t.resolve(n, ns, d.Dev, d.NextHop)
	hops = append(hops, h)
	if !ok {
		return branch{hops: hops, verdict: ARPUnresolved, assumed: assumed, reason: h.Detail}
	}
	q.srcMAC, q.dstMAC = strings.ToLower(out.MAC.String()), mac
	if port := portByName(n, d.Dev); port != nil {
		b := t.ovs(n, port.Bridge, port.Name, q, hops, depth+1)
		b.assumed = append(assumed, b.assumed...)
		return b
	}
	if peerNS, peer := vethPeer(n, ns, out); peer != nil {
		hops = append(hops, Hop{Node: n.Name, Where: out.Name, Kind: "veth", Detail: fmt.Sprintf("%s → %s in %s", out.Name, peer.Name, peerNS.Name),
			Evidence: []Evidence{evidence(out.Pos, firstLine(out.Raw)), evidence(peer.Pos, firstLine(peer.Raw))}})
		b := t.linux(n, peerNS, peer, q, hops, depth+1)
		b.assumed = append(assumed, b.assumed...)
		return b
	}
	return branch{hops: hops, verdict: DataMissing, assumed: assumed, reason: fmt.Sprintf("%s leaves %s through %s, which is neither an OVS port nor a veth with a collected peer", n.Name, ns.Name, d.Dev)}
}

func routeDetail(in string, d netstack.Decision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "in %s", in)
	if d.Rule != nil {
		fmt.Fprintf(&b, ", rule %d", d.Rule.Priority)
	}
	if d.Table != "" {
		fmt.Fprintf(&b, ", table %s", d.Table)
	}
	switch {
	case d.Verdict != netstack.Forward:
		fmt.Fprintf(&b, ": %s", d.Verdict)
	case d.Gateway.IsValid():
		fmt.Fprintf(&b, ": via %s dev %s", d.Gateway, d.Dev)
	default:
		fmt.Fprintf(&b, ": dev %s (on-link)", d.Dev)
	}
	return b.String()
}

// resolve finds the MAC of next hop ip on dev: the namespace's neighbour
// table first (DVR writes PERMANENT entries for every port of its
// subnets), else what other evidence binds to ip, as the kernel's ARP would
// learn it.
func (t *tracer) resolve(n *model.Node, ns *model.Namespace, dev string, ip netip.Addr) (string, Hop, bool) {
	h := Hop{Node: n.Name, Where: ns.Name, Kind: "arp"}
	for i := range ns.Neighbors {
		nb := &ns.Neighbors[i]
		if nb.Dst != ip || (nb.Dev != "" && nb.Dev != dev) {
			continue
		}
		if nb.MAC == nil || hasAny(nb.States, "FAILED", "INCOMPLETE") {
			h.Detail = fmt.Sprintf("the neighbour entry of %s on %s is %s", ip, dev, strings.Join(nb.States, ","))
			h.Evidence = []Evidence{evidence(nb.Pos, nb.Raw)}
			return "", h, false
		}
		h.Detail = fmt.Sprintf("%s is at %s on %s (%s)", ip, nb.MAC, dev, strings.Join(nb.States, ","))
		h.Evidence = []Evidence{evidence(nb.Pos, nb.Raw)}
		return strings.ToLower(nb.MAC.String()), h, true
	}
	if mac := t.m.Addresses.MACOf(ip); mac != "" {
		h.Detail = fmt.Sprintf("%s has no neighbour entry on %s; ARP would learn %s", ip, dev, mac)
		h.Evidence = t.bindingEvidence(ip, mac)
		return mac, h, true
	}
	if t.dst.External && ip == t.nextHopOutside(ip) {
		h.Detail = fmt.Sprintf("%s is outside the cloud: its MAC is not in the bundles; the trace goes on assuming ARP succeeds", ip)
		return externalMAC, h, true
	}
	h.Detail = fmt.Sprintf("no neighbour entry and no evidence of the MAC of %s on %s in %s", ip, dev, ns.Name)
	return "", h, false
}

// externalMAC stands for a router outside the cloud, whose MAC no bundle
// holds (a documentation-range address, RFC 7042).
const externalMAC = "00:00:5e:00:53:01"

// nextHopOutside accepts any next hop once the destination is external:
// an upstream gateway's MAC is never in a Neutron bundle.
func (t *tracer) nextHopOutside(ip netip.Addr) netip.Addr { return ip }

func hasAny(states []string, want ...string) bool {
	for _, w := range want {
		if hasState(states, w) {
			return true
		}
	}
	return false
}

func hasState(states []string, s string) bool {
	for _, st := range states {
		if st == s {
			return true
		}
	}
	return false
}

func firstV4(ifc *model.Interface) netip.Addr {
	for _, a := range ifc.Addrs {
		if a.Prefix.Addr().Is4() {
			return a.Prefix.Addr()
		}
	}
	return netip.Addr{}
}

// isFixedIP reports whether ip is a VM port's own address.
func (t *tracer) isFixedIP(ip netip.Addr) bool {
	for _, a := range t.m.Addresses.ByIP(ip) {
		if a.Source != "interface" {
			return true
		}
	}
	return false
}

// vethPeer finds the other end of veth ifc (in another namespace of n):
// the interface whose ifindex is ifc's @ifN and whose @ifN is ifc's.
func vethPeer(n *model.Node, ns *model.Namespace, ifc *model.Interface) (*model.Namespace, *model.Interface) {
	if ifc.LinkIndex == 0 {
		return nil, nil
	}
	for _, other := range n.Namespaces {
		if other == ns {
			continue
		}
		for _, c := range other.Interfaces {
			if c.Index == ifc.LinkIndex && c.LinkIndex == ifc.Index {
				return other, c
			}
		}
	}
	return nil, nil
}

func protoNumber(p string) uint8 {
	switch p {
	case "icmp":
		return 1
	case "tcp":
		return 6
	case "udp":
		return 17
	}
	return 0
}

// netstackOf gives netstack a model namespace's parsed state (once: it
// indexes its tables on first use). What was collected comes from the
// bundle's inventory: an empty file is not a missing one.
func (t *tracer) netstackOf(n *model.Node, ns *model.Namespace) *netstack.Namespace {
	if x := t.stacks[ns]; x != nil {
		return x
	}
	have := func(k parse.Kind) bool {
		sf, ok := n.Bundle.Source(k, ns.Name)
		return ok && sf.Status.Usable()
	}
	x := &netstack.Namespace{Name: ns.Name, Kind: ns.Kind, Interfaces: ns.Interfaces, Routes: ns.Routes,
		Rules4: ns.Rules, Neighbors: ns.Neighbors,
		Have: netstack.Have{Interfaces: have(collect.KindIPAddr), Routes: have(collect.KindIPRoute), Rules4: have(collect.KindIPRule), Neighbors: have(collect.KindIPNeigh)}}
	t.stacks[ns] = x
	return x
}

func (t *tracer) fromExternal() branch {
	return branch{verdict: DataMissing, reason: "traces from an external address are not evaluated yet (the floating IP's DNAT needs iptables NAT)"}
}
