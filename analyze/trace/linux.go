package trace

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"netxray/analyze/model"
	"netxray/analyze/netstack"
	"netxray/parse/iptables"
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
	nsx := t.netstackOf(n, ns)
	tr, err := nsx.Transit(t.nsPacket(p, in.Name), t.conntrack(n, ns))
	if err != nil {
		return branch{hops: hops, verdict: DataMissing, reason: fmt.Sprintf("cannot route in %s on %s: %v", ns.Name, n.Name, err)}
	}
	if tr.Verdict == netstack.DataMissing && tr.Route == nil && !nsx.Have.IPTables {
		// Without iptables-save, route without netfilter and say so.
		d, rerr := nsx.Route(t.nsPacket(p, in.Name))
		if rerr != nil {
			return branch{hops: hops, verdict: DataMissing, reason: fmt.Sprintf("cannot route in %s on %s: %v", ns.Name, n.Name, rerr)}
		}
		tr = netstack.Transit{Verdict: d.Verdict, Reason: d.Reason, Route: &d, Out: t.nsPacket(p, in.Name)}
		assumed = append(assumed, fmt.Sprintf("%s on %s: %s; NAT and filtering there are not evaluated yet", ns.Name, n.Name, tr.Reason))
	}
	d := netstack.Decision{Verdict: tr.Verdict, Reason: tr.Reason}
	if tr.Route != nil {
		d = *tr.Route
	}
	hop := Hop{Node: n.Name, Where: ns.Name, Kind: "route", Detail: routeDetail(in.Name, d)}
	hop.Evidence = transitEvidence(&tr)
	hops = append(hops, hop)
	for _, nat := range tr.NAT {
		hops = append(hops, Hop{Node: n.Name, Where: ns.Name, Kind: "nat", Detail: fmt.Sprintf("%s %s → %s", nat.Kind, nat.From, nat.To),
			Evidence: ruleEvidence(nat.Rule)})
		t.recordNAT(n, ns, nat)
	}
	for _, a := range append(tr.Assumed, d.Assumed...) {
		assumed = append(assumed, n.Name+" "+ns.Name+": "+a)
	}
	if tr.Verdict == netstack.Filtered {
		return branch{hops: hops, verdict: Filtered, assumed: assumed, reason: fmt.Sprintf("iptables in %s on %s drops the packet: %s", ns.Name, n.Name, tr.Reason)}
	}
	if tr.Verdict != netstack.Forward && tr.Verdict != d.Verdict {
		d.Verdict, d.Reason = tr.Verdict, tr.Reason
	}
	p.srcIP, p.dstIP = tr.Out.Src, tr.Out.Dst
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
// ns nil is the root namespace.
func (t *tracer) netstackOf(n *model.Node, ns *model.Namespace) *netstack.Namespace {
	key := n.Name + "/"
	if ns != nil {
		key += ns.Name
	}
	if x := t.stacks[key]; x != nil {
		return x
	}
	x := netstack.FromModel(n, ns)
	t.stacks[key] = x
	return x
}

// hybrid takes the packet across the hybrid plug's Linux bridge qbrX
// between physIn and physOut (tapX, qvbX) through the host's iptables, as
// br_netfilter does: the security group's chains decide.
func (t *tracer) hybrid(n *model.Node, suffix, physIn, physOut string, p packet) (Hop, branch, bool) {
	br := "qbr" + suffix
	h := Hop{Node: n.Name, Where: br, Kind: "filter"}
	root := t.netstackOf(n, nil)
	tr, err := root.Bridged(t.nsPacket(p, ""), t.conntrack(n, nil), br, physIn, physOut)
	switch {
	case err != nil:
		h.Detail = fmt.Sprintf("%s → %s → %s: %v", physIn, br, physOut, err)
		return h, branch{verdict: DataMissing, reason: fmt.Sprintf("cannot evaluate the hybrid firewall on %s: %v", n.Name, err)}, false
	case tr.Verdict == netstack.Filtered:
		h.Detail = fmt.Sprintf("%s → %s → %s: dropped by the security group (%s)", physIn, br, physOut, tr.Reason)
		h.Evidence = transitEvidence(&tr)
		return h, branch{verdict: Filtered, reason: fmt.Sprintf("the hybrid firewall (iptables on %s, %s) drops the packet: %s", n.Name, br, tr.Reason)}, false
	case tr.Verdict == netstack.DataMissing:
		h.Detail = fmt.Sprintf("%s → %s → %s (iptables_hybrid firewall: %s)", physIn, br, physOut, tr.Reason)
		return h, branch{assumed: []string{fmt.Sprintf("the hybrid firewall of %s on %s lets the packet through: %s, so iptables is not evaluated yet", br, n.Name, tr.Reason)}}, true
	}
	h.Detail = fmt.Sprintf("%s → %s → %s: the security group accepts (%s)", physIn, br, physOut, tr.Reason)
	h.Evidence = transitEvidence(&tr)
	var b branch
	for _, a := range tr.Assumed {
		b.assumed = append(b.assumed, n.Name+" "+br+": "+a)
	}
	return h, b, true
}

// fromExternal starts a trace at a host on the external network: the
// packet reaches the node whose namespace answers ARP for the destination
// on an external-facing device (fg- of a floating IP's fip namespace by
// proxy ARP, qg- of a router's gateway), through that node's external NIC.
func (t *tracer) fromExternal() branch {
	p := packet{srcMAC: externalMAC, srcIP: t.src.IP, dstIP: t.dst.IP, proto: t.opts.Proto, sport: 40000, dport: t.opts.Port, ttl: 64, reply: t.reply}
	if t.reply {
		p.sport, p.dport = t.opts.Port, 40000
	}
	if t.unnat.IsValid() {
		p.dstIP = t.unnat
	}
	var tried []string
	for _, n := range t.m.Nodes {
		for _, ns := range n.Namespaces {
			if ns.Kind != "fip" && ns.Kind != "snat" && ns.Kind != "qrouter" {
				continue
			}
			nsx := t.netstackOf(n, ns)
			for _, ifc := range ns.Interfaces {
				if !strings.HasPrefix(ifc.Name, "fg-") && !strings.HasPrefix(ifc.Name, "qg-") {
					continue
				}
				ans, err := nsx.AnswersARP(ifc.Name, p.dstIP, p.srcIP)
				if err != nil || !ans.Answers {
					continue
				}
				nic := externalPort(n)
				if nic == nil {
					tried = append(tried, n.Name+" has no external NIC on an OVS bridge")
					continue
				}
				h := Hop{Node: n.Name, Where: ns.Name, Kind: "arp", Detail: fmt.Sprintf("%s answers ARP for %s on %s: %s", ns.Name, p.dstIP, ifc.Name, ans.Reason)}
				if ans.Route != nil {
					h.Evidence = append(h.Evidence, evidence(ans.Route.Pos, ans.Route.Raw))
				}
				if ans.Entry != nil {
					h.Evidence = append(h.Evidence, evidence(ans.Entry.Pos, ans.Entry.Raw))
				}
				q := p
				q.dstMAC = strings.ToLower(ifc.MAC.String())
				hops := []Hop{h, {Node: n.Name, Where: nic.Name, Kind: "deliver", Detail: fmt.Sprintf("arrives from the external network on %s (%s)", nic.Name, nic.Bridge),
					Evidence: []Evidence{evidence(nic.Pos, "port "+nic.Name)}}}
				b := t.ovs(n, nic.Bridge, nic.Name, q, hops, 0)
				b.assumed = append(append([]string(nil), ans.Assumed...), b.assumed...)
				return b
			}
		}
	}
	why := fmt.Sprintf("no router, floating-IP or SNAT namespace of any node answers ARP for %s on the external network", p.dstIP)
	if len(tried) > 0 {
		why += " (" + strings.Join(tried, "; ") + ")"
	}
	return branch{verdict: ARPUnresolved, reason: why}
}

// externalPort is the node's NIC on an external bridge (br-ex): a system
// port of a bridge that also has a patch to br-int and is not br-tun.
func externalPort(n *model.Node) *model.Port {
	for _, b := range n.Bridges {
		if b.Name == "br-int" || b.Name == "br-tun" {
			continue
		}
		patched := false
		for _, p := range b.Ports {
			if p.Type == "patch" {
				patched = true
			}
		}
		if !patched {
			continue
		}
		for _, p := range b.Ports {
			if (p.Type == "" || p.Type == "system") && p.Name != b.Name {
				return p
			}
		}
	}
	return nil
}

// nsPacket is p as netstack sees it arriving on dev.
func (t *tracer) nsPacket(p packet, dev string) netstack.Packet {
	q := netstack.Packet{Src: p.srcIP, Dst: p.dstIP, IIF: dev, Proto: protoNumber(p.proto), SrcPort: uint16(p.sport), DstPort: uint16(p.dport)}
	if p.proto == "icmp" {
		q.ICMPType = 8
		if p.reply {
			q.ICMPType = 0
		}
	}
	if mac, err := net.ParseMAC(p.srcMAC); err == nil {
		q.SrcMAC = mac
	}
	return q
}

// conntrack is the state a namespace's netfilter sees: NEW for a request,
// ESTABLISHED for a reply, with the NAT the request got there to undo.
func (t *tracer) conntrack(n *model.Node, ns *model.Namespace) netstack.Conntrack {
	if !t.reply {
		return netstack.Conntrack{State: "NEW"}
	}
	if ns == nil {
		return netstack.Conntrack{State: "ESTABLISHED"}
	}
	return netstack.Conntrack{State: "ESTABLISHED", Undo: t.undo[n.Name+"/"+ns.Name]}
}

// recordNAT keeps a request's NAT so its reply can be traced: conntrack
// undoes it in the same namespace, and a source NAT makes the reply go
// to the translated address.
func (t *tracer) recordNAT(n *model.Node, ns *model.Namespace, nat netstack.NAT) {
	if t.reply {
		return
	}
	key := n.Name + "/" + ns.Name
	t.nats[key] = append(t.nats[key], nat)
	if nat.Kind == "SNAT" || nat.Kind == "MASQUERADE" {
		t.snatTo = nat.To
	}
}

func ruleEvidence(r *iptables.Rule) []Evidence {
	if r == nil {
		return nil
	}
	return []Evidence{evidence(r.Pos, r.Raw)}
}

// transitEvidence quotes what decided a namespace transit: the iptables
// rules that matched (or the chain policy), the policy rules consulted and
// the route.
func transitEvidence(tr *netstack.Transit) []Evidence {
	var out []Evidence
	for _, st := range tr.Netfilter {
		for _, r := range st.Matched {
			out = append(out, evidence(r.Pos, r.Raw))
		}
		if st.Rule == nil && st.Policy != nil && st.Verdict != "accept" {
			out = append(out, evidence(st.Policy.Pos, st.Policy.Raw))
		}
	}
	if d := tr.Route; d != nil {
		for _, s := range d.Steps {
			out = append(out, evidence(s.Rule.Pos, s.Rule.Raw))
		}
		if d.Route != nil {
			out = append(out, evidence(d.Route.Pos, d.Route.Raw))
		}
	}
	return out
}
