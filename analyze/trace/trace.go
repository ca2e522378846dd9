package trace

import (
	"fmt"
	"net/netip"
	"strings"

	"netxray/analyze/model"
	"netxray/analyze/netstack"
	"netxray/analyze/openflow"
)

// Options select the traffic.
type Options struct {
	// Proto is icmp (default), tcp or udp; Port the destination port.
	Proto string
	Port  int
	// Size is the IP packet size to check MTUs with; 0 skips the check.
	Size int
	// Both traces the reply too (Result.Reply): a ping or a TCP handshake
	// needs both directions.
	Both bool
}

// maxHops bounds a trace (a forwarding loop between nodes or namespaces
// ends as a loop verdict, not a hang).
const maxHops = 64

// Tracer traces packets on one model. Build it once for many traces: it
// keeps each node's compiled switch and namespaces.
type Tracer struct {
	m        *model.Model
	switches map[*model.Node]*openflow.Switch
	stacks   map[string]*netstack.Namespace // by node/namespace ("node/" the root)
	veths    map[*model.Node][]netstack.VethPair
	// arps are the guests' ARP requests already simulated, by node and
	// microflow: many traces share a source and its next hop.
	arps map[string]*openflow.Result
}

// New returns a Tracer of m.
func New(m *model.Model) *Tracer {
	return &Tracer{m: m, switches: map[*model.Node]*openflow.Switch{}, stacks: map[string]*netstack.Namespace{},
		veths: map[*model.Node][]netstack.VethPair{}, arps: map[string]*openflow.Result{}}
}

// tracer is one trace's state.
type tracer struct {
	*Tracer
	opts     Options
	src, dst *Endpoint
	// reply: tracing the answer, so conntrack says established.
	reply bool
	// unnat is the address the reply is sent to when the request was
	// source-NATed (conntrack reverses it where the NAT happened).
	unnat netip.Addr
	// nats are the request's NATs by node/namespace; undo gives a reply
	// those of its request; snatTo is the request's last source NAT.
	nats   map[string][]netstack.NAT
	undo   map[string][]netstack.NAT
	snatTo netip.Addr
	// deliveredTo is the VM NIC the request reached (after a DNAT, not
	// the address asked for): where its reply starts.
	deliveredTo *Endpoint
	seen        map[string]bool
}

// branch is one way the packet went; a flood forks several.
type branch struct {
	hops    []Hop
	verdict string
	reason  string
	assumed []string
}

// Run traces a packet from one endpoint to another on m (see Tracer for
// many traces).
func Run(m *model.Model, from, to string, opts Options) (*Result, error) {
	return New(m).Run(from, to, opts)
}

// Run traces a packet from one endpoint to another.
func (tr *Tracer) Run(from, to string, opts Options) (*Result, error) {
	m := tr.m
	if opts.Proto == "" {
		opts.Proto = "icmp"
	}
	switch opts.Proto {
	case "icmp":
	case "tcp", "udp":
		if opts.Port <= 0 || opts.Port > 65535 {
			return nil, fmt.Errorf("%s needs a destination port (tcp:22)", opts.Proto)
		}
	default:
		return nil, fmt.Errorf("unknown protocol %q (icmp, tcp:PORT, udp:PORT)", opts.Proto)
	}
	src, err := resolve(m, from)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	dst, err := resolve(m, to)
	if err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	res, fwd := tr.runOne(src, dst, opts, nil)
	if opts.Both && res.Verdict == Delivered {
		from := dst
		if fwd.deliveredTo != nil {
			from = fwd.deliveredTo
		}
		res.Reply, _ = tr.runOne(from, src, opts, fwd)
		if res.Verdict == Delivered && res.Reply.Verdict != Delivered {
			res.Verdict, res.Reason = res.Reply.Verdict, "the reply: "+res.Reply.Reason
		}
	}
	return res, nil
}

// runOne traces one direction; request is the forward trace when this is
// its reply.
func (tr *Tracer) runOne(src, dst *Endpoint, opts Options, request *tracer) (*Result, *tracer) {
	t := &tracer{Tracer: tr, opts: opts, src: src, dst: dst, seen: map[string]bool{}, nats: map[string][]netstack.NAT{}}
	if request != nil {
		t.reply, t.undo, t.unnat = true, request.nats, request.snatTo
	}
	proto := opts.Proto
	if opts.Port > 0 {
		proto = fmt.Sprintf("%s:%d", opts.Proto, opts.Port)
	}
	res := &Result{From: src.String(), To: dst.String(), Proto: proto}
	b := t.start()
	if b.verdict != Delivered {
		b.reason += deadPortNote(src, "source")
		b.reason += deadPortNote(dst, "destination")
	}
	res.Hops, res.Verdict, res.Reason, res.Assumptions = b.hops, b.verdict, b.reason, dedupe(b.assumed)
	if res.Hops == nil {
		res.Hops = []Hop{}
	}
	return res, t
}

func (t *tracer) start() branch {
	if t.src.External {
		return t.fromExternal()
	}
	if !t.src.IP.IsValid() {
		return branch{verdict: DataMissing, reason: fmt.Sprintf("no IP address of %s is known: the bundles have no DVR neighbour entry, ARP responder flow, firewall flow or DHCP host entry with its MAC %s", t.src.VM.Name(), t.src.MAC)}
	}
	p := packet{srcMAC: t.src.MAC, srcIP: t.src.IP, dstIP: t.dst.IP, proto: t.opts.Proto, sport: 40000, dport: t.opts.Port, ttl: 64, reply: t.reply}
	if t.reply {
		p.sport, p.dport = t.opts.Port, 40000
	}
	first, next, b, ok := t.firstHop(&p)
	if !ok {
		return b
	}
	if b, ok := t.guestARP(p, first, next); !ok {
		return b
	}
	return t.enterVIF(t.src.Node, t.src.NIC, p, []Hop{first})
}

// guestARP sends the guest's ARP request for its next hop
// through its node's switch: when the switch drops it outright (the
// anti-spoofing or firewall tables of a port whose address they lack), the
// guest never learns a MAC and nothing it sends leaves. Where the request
// goes once it leaves (flooded, answered by an ARP responder) is what the
// IP packet's own trace then checks.
func (t *tracer) guestARP(p packet, first Hop, next netip.Addr) (branch, bool) {
	n, port := t.src.Node, t.src.NIC.OVSPort
	if port == nil || !next.IsValid() || !t.src.IP.Is4() || !next.Is4() {
		return branch{}, true
	}
	br := n.Bridge(port.Bridge)
	if br == nil || br.Flows == nil {
		return branch{}, true // the IP packet's trace reports the missing dump
	}
	arp := fmt.Sprintf("in_port=%s,dl_src=%s,dl_dst=ff:ff:ff:ff:ff:ff,arp,arp_op=1,arp_spa=%s,arp_tpa=%s,arp_sha=%s,arp_tha=00:00:00:00:00:00",
		port.Name, p.srcMAC, t.src.IP, next, p.srcMAC)
	key := n.Name + "/" + port.Bridge + "/" + arp
	res, seen := t.arps[key]
	if !seen {
		var err error
		if res, err = openflow.Trace(t.switchOf(n), port.Bridge, arp, openflow.TraceOptions{Node: n.Name}); err != nil {
			res = nil
		}
		t.arps[key] = res
	}
	if res == nil || len(res.Outputs) > 0 || res.Uncertain {
		return branch{}, true
	}
	hop := flowHop(n, port.Bridge, port.Name, res)
	hop.Kind = "arp"
	b := t.dropped(n, res, []Hop{first, hop})
	b.verdict = ARPUnresolved
	b.reason = fmt.Sprintf("the guest's ARP request for %s is lost: %s", next, b.reason)
	return b, false
}

// firstHop decides the destination MAC the guest uses: the peer's own on
// the same subnet, else its gateway's (the router port of its subnet,
// which DVR places on every node); next is the address it ARPs for.
func (t *tracer) firstHop(p *packet) (hop Hop, next netip.Addr, b branch, ok bool) {
	n := t.src.Node
	gw, prefix := t.gatewayOf(n, t.src.IP)
	hop = Hop{Node: n.Name, Where: t.src.NIC.Tap, Kind: "arp"}
	if prefix.IsValid() && prefix.Contains(p.dstIP) {
		mac := t.m.Addresses.MACOf(p.dstIP)
		if mac == "" {
			return hop, next, branch{verdict: ARPUnresolved, reason: fmt.Sprintf("no node tells the MAC of %s (same subnet %s as the source)", p.dstIP, prefix)}, false
		}
		p.dstMAC = mac
		hop.Detail = fmt.Sprintf("%s is on-link (%s): the guest sends to its MAC %s", p.dstIP, prefix, mac)
		hop.Evidence = t.bindingEvidence(p.dstIP, mac)
		return hop, p.dstIP, branch{}, true
	}
	if gw == nil {
		return hop, next, branch{verdict: DataMissing, reason: fmt.Sprintf("no router port of %s's subnet is in any qrouter namespace of %s, so its gateway MAC is unknown", t.src.IP, n.Name)}, false
	}
	p.dstMAC = strings.ToLower(gw.ifc.MAC.String())
	hop.Detail = fmt.Sprintf("%s is off-link: the guest sends to its gateway %s (%s in %s)", p.dstIP, gw.addr.Addr(), gw.ifc.Name, gw.ns.Name)
	hop.Evidence = []Evidence{evidence(gw.ifc.Pos, firstLine(gw.ifc.Raw))}
	return hop, gw.addr.Addr(), branch{}, true
}

type routerPort struct {
	ns   *model.Namespace
	ifc  *model.Interface
	addr netip.Prefix
}

// gatewayOf finds the router port (qr-) whose subnet holds ip on node n.
func (t *tracer) gatewayOf(n *model.Node, ip netip.Addr) (*routerPort, netip.Prefix) {
	var subnet netip.Prefix
	for _, nn := range append([]*model.Node{n}, t.m.Nodes...) {
		for _, ns := range nn.Namespaces {
			if ns.Kind != "qrouter" && ns.Kind != "qdhcp" {
				continue
			}
			for _, ifc := range ns.Interfaces {
				for _, a := range ifc.Addrs {
					if a.Prefix.Bits() < 8 || !a.Prefix.Masked().Contains(ip) {
						continue
					}
					subnet = a.Prefix.Masked()
					if nn == n && ns.Kind == "qrouter" && strings.HasPrefix(ifc.Name, "qr-") {
						return &routerPort{ns: ns, ifc: ifc, addr: a.Prefix}, subnet
					}
				}
			}
		}
	}
	return nil, subnet
}

func (t *tracer) bindingEvidence(ip netip.Addr, mac string) []Evidence {
	for _, a := range t.m.Addresses.ByIP(ip) {
		if a.MAC == mac {
			return []Evidence{evidence(a.Pos, fmt.Sprintf("%s is at %s (%s on %s)", ip, mac, a.Source, a.Node))}
		}
	}
	return nil
}

// enterVIF sends p from a VM NIC into br-int: directly with the OVS
// firewall, through tap → qbr → qvb → qvo with the hybrid one.
func (t *tracer) enterVIF(n *model.Node, nic *model.NIC, p packet, hops []Hop) branch {
	port := nic.OVSPort
	if port == nil {
		return branch{hops: hops, verdict: DataMissing, reason: fmt.Sprintf("%s on %s is on no OVS bridge in the bundle", nic.Tap, n.Name)}
	}
	var assumed []string
	if strings.HasPrefix(port.Name, "qvo") {
		sfx := port.Name[3:]
		h, b, ok := t.hybrid(n, sfx, nic.Tap, "qvb"+sfx, p)
		hops = append(hops, h)
		if !ok {
			b.hops = hops
			return b
		}
		assumed = b.assumed
	}
	b := t.ovs(n, port.Bridge, port.Name, p, hops, 0)
	b.assumed = append(assumed, b.assumed...)
	return b
}

// ovs runs p through the node's switch from inPort of bridge and follows
// every output.
func (t *tracer) ovs(n *model.Node, bridge, inPort string, p packet, hops []Hop, depth int) branch {
	key := fmt.Sprintf("%s/%s/%s/%s/%s", n.Name, bridge, inPort, p.dstMAC, p.dstIP)
	if t.seen[key] || depth > maxHops {
		return branch{hops: hops, verdict: Loop, reason: fmt.Sprintf("the packet comes back to %s port %s on %s", bridge, inPort, n.Name)}
	}
	t.seen[key] = true
	sw := t.switchOf(n)
	br := n.Bridge(bridge)
	if br == nil || br.Flows == nil {
		return branch{hops: hops, verdict: DataMissing, reason: fmt.Sprintf("the bundle of %s has no flow dump of %s (ovs-ofctl dump-flows %s)", n.Name, bridge, bridge)}
	}
	topts := openflow.TraceOptions{Node: n.Name}
	if p.reply {
		topts.CTNext = []uint32{ctEstablished}
	}
	res, err := openflow.Trace(sw, bridge, p.microflow(inPort), topts)
	if err != nil {
		return branch{hops: hops, verdict: DataMissing, reason: fmt.Sprintf("cannot simulate %s on %s: %v", bridge, n.Name, err)}
	}
	hop := flowHop(n, bridge, inPort, res)
	hops = append(hops, hop)
	var assumed []string
	if res.Uncertain {
		for _, note := range res.Notes {
			assumed = append(assumed, n.Name+": "+note)
		}
	}
	if len(res.Outputs) == 0 {
		b := t.dropped(n, res, hops)
		b.assumed = append(assumed, b.assumed...)
		return b
	}
	var branches []branch
	for i := range res.Outputs {
		o := &res.Outputs[i]
		b, ok := t.follow(n, o, p.fromSwitch(o.Packet()), hops, depth)
		if ok {
			branches = append(branches, b)
		}
	}
	if len(branches) == 0 {
		return branch{hops: hops, verdict: Dropped, assumed: assumed,
			reason: fmt.Sprintf("on %s the switch sends the packet only to ports that do not lead to %s (%s)", n.Name, t.dst, strings.Join(res.OutputPorts(), ", "))}
	}
	b := best(branches)
	b.assumed = append(assumed, b.assumed...)
	return b
}

// ctEstablished is conntrack's state for a reply: +trk+est+rpl.
var ctEstablished = func() uint32 {
	v, err := openflow.ParseCTNext("trk,est,rpl")
	if err != nil || len(v) != 1 {
		panic("ct state trk,est,rpl: " + fmt.Sprint(err))
	}
	return v[0]
}()

// best prefers a delivered branch, else the one that went furthest.
func best(bs []branch) branch {
	out := bs[0]
	for _, b := range bs[1:] {
		switch {
		case out.verdict == Delivered:
		case b.verdict == Delivered, len(b.hops) > len(out.hops):
			out = b
		}
	}
	return out
}

// firewallTables are the OVS firewall's security-group tables: a drop
// there is the security group filtering, not a broken pipeline.
var firewallTables = map[int]bool{71: true, 72: true, 73: true, 81: true, 82: true, 93: true}

func (t *tracer) dropped(n *model.Node, res *openflow.Result, hops []Hop) branch {
	if len(res.Steps) == 0 {
		return branch{hops: hops, verdict: Dropped, reason: fmt.Sprintf("%s on %s dropped the packet: %s", res.Bridge, n.Name, res.Reason)}
	}
	last := res.Steps[len(res.Steps)-1]
	where := fmt.Sprintf("%s table %d on %s", last.Bridge, last.Table, n.Name)
	if last.Miss {
		return branch{hops: hops, verdict: Dropped, reason: fmt.Sprintf("no flow of %s matches the packet (table miss: drop)", where)}
	}
	if res.Verdict == openflow.VerdictController {
		return branch{hops: hops, verdict: Dropped, reason: fmt.Sprintf("%s sends the packet to the controller (%s:%d)", where, last.Pos.File, last.Pos.Line)}
	}
	v := Dropped
	if last.Bridge == "br-int" && firewallTables[last.Table] {
		v = Filtered
		where = "the OVS firewall (security group) in " + where
	}
	flow := fmt.Sprintf("flow %q", last.Match())
	if last.Match() == "" {
		flow = fmt.Sprintf("its catch-all drop flow (priority %d), nothing more specific matched", last.Priority)
	}
	return branch{hops: hops, verdict: v, reason: fmt.Sprintf("dropped by %s: %s (%s:%d)", where, flow, last.Pos.File, last.Pos.Line)}
}

func flowHop(n *model.Node, bridge, inPort string, res *openflow.Result) Hop {
	h := Hop{Node: n.Name, Where: bridge, Kind: "flow"}
	var path []string
	for _, s := range res.Steps {
		path = append(path, fmt.Sprintf("%s:%d", strings.TrimPrefix(s.Bridge, "br-"), s.Table))
		if s.Miss {
			continue
		}
		text := fmt.Sprintf("table=%d priority=%d %s actions=%s", s.Table, s.Priority, s.Match(), s.Actions())
		if s.HasCounters {
			text += fmt.Sprintf(" (n_packets=%d)", s.Packets)
		}
		h.Evidence = append(h.Evidence, evidence(s.Pos, text))
	}
	outs := res.OutputPorts()
	if len(outs) == 0 {
		outs = []string{"drop"}
	}
	h.Detail = fmt.Sprintf("in_port %s, tables %s → %s", inPort, strings.Join(path, " "), strings.Join(outs, ","))
	return h
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// deadVLAN is the tag Neutron's OVS agent gives a port it isolates (no
// binding, or a network it cannot wire); NORMAL and the agent's flows never
// forward its traffic.
const deadVLAN = 4095

// deadPortNote names an endpoint's isolated port: wherever the packet
// finally stopped, that port is why it had nowhere to go.
func deadPortNote(e *Endpoint, role string) string {
	if e.NIC == nil || e.NIC.OVSPort == nil || e.NIC.OVSPort.Tag != deadVLAN {
		return ""
	}
	p := e.NIC.OVSPort
	return fmt.Sprintf("; the %s's port %s on %s has VLAN %d, the agent's dead VLAN (%s:%d)", role, p.Name, e.Node.Name, deadVLAN, p.Pos.File, p.Pos.Line)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
