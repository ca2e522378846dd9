package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"netxray/analyze/model"
	"netxray/analyze/netstack"
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
	mac, h, ok := t.resolve(n, ns, nsx, d.Dev, d.NextHop)
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
	if peerNS, peer := t.vethPeer(n, ns, out); peerNS != nil && peer != nil {
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
// table (DVR writes PERMANENT entries for every port of its subnets), else,
// when the kernel would ARP, what other evidence binds to ip (what the ARP
// would learn), else, for a next hop outside the cloud, an assumption.
func (t *tracer) resolve(n *model.Node, ns *model.Namespace, nsx *netstack.Namespace, dev string, ip netip.Addr) (string, Hop, bool) {
	h := Hop{Node: n.Name, Where: ns.Name, Kind: "arp"}
	r := nsx.Resolve(dev, ip)
	if r.Entry != nil {
		h.Evidence = []Evidence{evidence(r.Entry.Pos, r.Entry.Raw)}
	}
	switch r.State {
	case netstack.Resolved:
		h.Detail = fmt.Sprintf("%s is at %s on %s (%s)", ip, r.MAC, dev, strings.Join(r.Entry.States, ","))
		return strings.ToLower(r.MAC.String()), h, true
	case netstack.Failed:
		h.Detail = r.Reason
		return "", h, false
	}
	if mac := t.m.Addresses.MACOf(ip); mac != "" {
		h.Detail = fmt.Sprintf("%s; it would learn %s", r.Reason, mac)
		h.Evidence = t.bindingEvidence(ip, mac)
		return mac, h, true
	}
	if t.dst.External {
		h.Detail = fmt.Sprintf("%s is outside the cloud: its MAC is in no bundle; the trace goes on assuming ARP succeeds", ip)
		return externalMAC, h, true
	}
	h.Detail = fmt.Sprintf("%s, and no bundle tells the MAC of %s", r.Reason, ip)
	return "", h, false
}

// externalMAC stands for a router outside the cloud, whose MAC no bundle
// holds (a documentation-range address, RFC 7042).
const externalMAC = "00:00:5e:00:53:01"

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

// vethPeer finds the other end of veth ifc of namespace ns, pairing the
// node's veths once (netstack.PairVeths).
func (t *tracer) vethPeer(n *model.Node, ns *model.Namespace, ifc *model.Interface) (*model.Namespace, *model.Interface) {
	pairs, ok := t.veths[n]
	if !ok {
		pairs, _ = netstack.PairVeths(netstack.VethEnds(n))
		t.veths[n] = pairs
	}
	for _, p := range pairs {
		for _, e := range [][2]netstack.End{{p.A, p.B}, {p.B, p.A}} {
			if e[0].Namespace == ns.Name && e[0].Interface == ifc {
				return n.Namespace(e[1].Namespace), e[1].Interface
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

// netstackOf gives netstack a model namespace (once: it indexes its
// tables on first use).
func (t *tracer) netstackOf(n *model.Node, ns *model.Namespace) *netstack.Namespace {
	if x := t.stacks[ns]; x != nil {
		return x
	}
	x := netstack.FromModel(n, ns)
	t.stacks[ns] = x
	return x
}

func (t *tracer) fromExternal() branch {
	return branch{verdict: DataMissing, reason: "traces from an external address are not evaluated yet (the floating IP's DNAT needs iptables NAT)"}
}
