package netstack

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse/iproute"
)

// labNode returns a node of the healthy lab bundles
// (fixtures/bundles/healthy, see its README.md).
func labNode(t *testing.T, m *model.Model, name string) *model.Node {
	t.Helper()
	n := m.Node(name)
	if n == nil {
		t.Fatalf("no node %s in the lab bundles", name)
	}
	return n
}

var lab struct {
	once sync.Once
	m    *model.Model
	err  error
}

// labModel builds the model of the healthy lab bundles once for all tests
// (the bundles stay open until the test binary exits).
func labModel(t *testing.T) *model.Model {
	t.Helper()
	lab.once.Do(func() {
		b, err := collect.Open(filepath.Join("..", "..", "fixtures", "bundles", "healthy"))
		if err != nil {
			lab.err = err
			return
		}
		lab.m = model.Build(b)
	})
	if lab.err != nil {
		t.Fatal(lab.err)
	}
	return lab.m
}

// labNS returns the node's only namespace of a kind, through FromModel.
func labNS(t *testing.T, n *model.Node, kind string) *Namespace {
	t.Helper()
	var found *model.Namespace
	for _, ns := range n.Namespaces {
		if ns.Kind == kind {
			if found != nil {
				t.Fatalf("%s has several %s namespaces", n.Name, kind)
			}
			found = ns
		}
	}
	if found == nil {
		t.Fatalf("%s has no %s namespace", n.Name, kind)
	}
	ns := FromModel(n, found)
	if ns.Have != (Have{Interfaces: true, Routes: true, Rules4: true, Neighbors: true, IPTables: true}) {
		t.Fatalf("%s %s: sources %+v", n.Name, ns.Name, ns.Have)
	}
	return ns
}

// devWith returns the interface of ns holding address a (prefix: on a
// subnet containing a).
func devWith(ns *Namespace, a netip.Addr, subnetOK bool) *iproute.Interface {
	for _, ifc := range ns.Interfaces {
		for _, x := range ifc.Addrs {
			if x.Prefix.Addr() == a || (subnetOK && x.Prefix.Masked().Contains(a)) {
				return ifc
			}
		}
	}
	return nil
}

func mustRoute(t *testing.T, ns *Namespace, p Packet) Decision {
	t.Helper()
	d, err := ns.Route(p)
	if err != nil {
		t.Fatal(err)
	}
	if d.Verdict != Forward {
		t.Fatalf("%s: %+v: %s (%s) steps %q", ns.Name, p, d.Verdict, d.Reason, steps(d))
	}
	return d
}

// TestLabDVR routes the lab's north-south paths through the real
// namespaces of the healthy bundles: SNAT through the csnat table to the
// sg- port on net1 and out qg-, and floating IPs through table 16, the
// rfp/fpr veth and the fip namespace, both ways.
func TestLabDVR(t *testing.T) {
	m := labModel(t)
	cmp1, net1 := labNode(t, m, "cmp1"), labNode(t, m, "net1")
	internet := addr("8.8.8.8")
	extGW := addr("172.24.4.1")

	// vm2 (10.10.1.156, no floating IP) → internet, routed on cmp1.
	qr := labNS(t, cmp1, "qrouter")
	vm2 := addr("10.10.1.156")
	qrDev := devWith(qr, vm2, true)
	d := mustRoute(t, qr, Packet{Src: vm2, Dst: internet, IIF: qrDev.Name, Proto: 1})
	if d.Table != "168427777" || d.Rule.Priority != 168427777 || d.Dev != qrDev.Name || !strings.HasPrefix(d.Rule.Pos.File, "sos_commands/") {
		t.Errorf("vm2 → internet on cmp1: table %s rule %d dev %s (%s)", d.Table, d.Rule.Priority, d.Dev, d.Rule.Pos)
	}
	if d.Neighbor == nil || d.Neighbor.State != Resolved || !d.Neighbor.Entry.HasState("PERMANENT") {
		t.Errorf("sg- address %s not resolved PERMANENT on %s: %+v", d.NextHop, d.Dev, d.Neighbor)
	}
	snat := labNS(t, net1, "snat")
	sg := devWith(snat, d.NextHop, false)
	if sg == nil || !strings.HasPrefix(sg.Name, "sg-") {
		t.Fatalf("csnat next hop %s is not an sg- address of %s on net1", d.NextHop, snat.Name)
	}
	if d.Neighbor.MAC.String() != sg.MAC.String() {
		t.Errorf("cmp1's neighbour entry for %s is %s, net1's %s has %s", d.NextHop, d.Neighbor.MAC, sg.Name, sg.MAC)
	}
	d = mustRoute(t, snat, Packet{Src: vm2, Dst: internet, IIF: sg.Name, Proto: 1})
	if !strings.HasPrefix(d.Dev, "qg-") || d.NextHop != extGW || d.Table != "main" {
		t.Errorf("snat: out %s via %s table %s", d.Dev, d.NextHop, d.Table)
	}
	// The same subnet, routed on net1's own qrouter, also goes to sg-.
	d = mustRoute(t, labNS(t, net1, "qrouter"), Packet{Src: vm2, Dst: internet, IIF: qrDev.Name})
	if devWith(snat, d.NextHop, false) != sg {
		t.Errorf("net1 qrouter: next hop %s", d.NextHop)
	}

	// vm1 (10.10.1.23, floating IP 172.24.4.65) → internet.
	vm1, fipAddr := addr("10.10.1.23"), addr("172.24.4.65")
	d = mustRoute(t, qr, Packet{Src: vm1, Dst: internet, IIF: qrDev.Name})
	if d.Table != "16" || !strings.HasPrefix(d.Dev, "rfp-") || d.Neighbor.State != Resolved {
		t.Fatalf("vm1 → internet: table %s dev %s neighbour %v", d.Table, d.Dev, d.Neighbor)
	}
	ends, ids := VethEnds(cmp1)
	pairs, _ := PairVeths(ends, ids)
	fip := labNS(t, cmp1, "fip")
	peer, ok := peerOf(pairs, qr.Name, d.Dev)
	fpr := peer.Interface.Name
	if !ok || peer.Namespace != fip.Name || devWith(fip, d.NextHop, false).Name != fpr {
		t.Fatalf("%s is not paired with the fpr- holding %s: %v", d.Dev, d.NextHop, pairs)
	}
	d = mustRoute(t, fip, Packet{Src: fipAddr, Dst: internet, IIF: fpr})
	if !strings.HasPrefix(d.Dev, "fg-") || d.NextHop != extGW || d.Rule.IIF != fpr {
		t.Errorf("fip ns outbound: %s via %s rule %s", d.Dev, d.NextHop, d.Rule.Raw)
	}
	fg := d.Dev

	// Inbound to the floating IP: proxy ARP on fg-, then fpr- to the router.
	a, err := fip.AnswersARP(fg, fipAddr, extGW)
	if err != nil || !a.Answers || !a.Proxy {
		t.Errorf("fg- does not answer ARP for %s: %+v %v", fipAddr, a, err)
	}
	d = mustRoute(t, fip, Packet{Src: internet, Dst: fipAddr, IIF: fg})
	if d.Dev != fpr || devWith(qr, d.NextHop, false) == nil {
		t.Errorf("inbound: out %s to %s", d.Dev, d.NextHop)
	}
}

// peerOf returns the other end of dev's veth pair.
func peerOf(pairs []VethPair, ns, dev string) (End, bool) {
	for _, p := range pairs {
		switch {
		case p.A.Namespace == ns && p.A.Interface.Name == dev:
			return p.B, true
		case p.B.Namespace == ns && p.B.Interface.Name == dev:
			return p.A, true
		}
	}
	return End{Interface: &iproute.Interface{}}, false
}

// TestLabFloatingIPs checks every floating IP of every node both ways:
// each "from FIXED lookup 16" rule of a qrouter leaves by rfp-, and each
// host route of a fip namespace's main table is proxied on fg- and routed
// to fpr-.
func TestLabFloatingIPs(t *testing.T) {
	m := labModel(t)
	fips := 0
	for _, n := range m.Nodes {
		for _, mns := range n.Namespaces {
			ns := FromModel(n, mns)
			switch mns.Kind {
			case "qrouter":
				for _, r := range ns.Rules4 {
					if r.Table != "16" {
						continue
					}
					src := r.From.Addr()
					d := mustRoute(t, ns, Packet{Src: src, Dst: addr("8.8.8.8"), IIF: devWith(ns, src, true).Name})
					if !strings.HasPrefix(d.Dev, "rfp-") || d.Rule.Pos != r.Pos {
						t.Errorf("%s %s: %s leaves by %s (rule %s)", n.Name, ns.Name, src, d.Dev, d.Rule.Pos)
					}
				}
			case "fip":
				for _, rt := range ns.Routes {
					if !rt.Prefix.IsSingleIP() || !rt.Gateway.IsValid() || rt.Type != "unicast" {
						continue
					}
					fips++
					var fg string
					for _, ifc := range ns.Interfaces {
						if strings.HasPrefix(ifc.Name, "fg-") {
							fg = ifc.Name
						}
					}
					a, err := ns.AnswersARP(fg, rt.Prefix.Addr(), addr("172.24.4.1"))
					if err != nil || !a.Answers || a.Route.Pos != rt.Pos {
						t.Errorf("%s: no proxy ARP for %s on %s: %s %v", n.Name, rt.Prefix, fg, a.Reason, err)
					}
					d := mustRoute(t, ns, Packet{Src: addr("8.8.8.8"), Dst: rt.Prefix.Addr(), IIF: fg})
					if d.Dev != rt.Dev || d.Route.Pos != rt.Pos {
						t.Errorf("%s: %s routed by %s", n.Name, rt.Prefix, describeRoute(d.Route))
					}
				}
			}
		}
	}
	if fips != 2 {
		t.Errorf("%d floating IPs routed by fip namespaces, want 2 (vm1, vm4)", fips)
	}
}

// TestLabHybridBridges forwards through cmp2's qbr bridges (iptables_hybrid
// firewall): the router's MAC sits behind qvb, the VM's behind tap, and
// every qvb is paired with its qvo.
func TestLabHybridBridges(t *testing.T) {
	m := labModel(t)
	cmp2 := labNode(t, m, "cmp2")
	brs := BridgesFromModel(cmp2)
	if len(brs) != 3 {
		t.Fatalf("%d Linux bridges on cmp2, want 3 qbr", len(brs))
	}
	ends, ids := VethEnds(cmp2)
	pairs, unpaired := PairVeths(ends, ids)
	paired := map[string]string{}
	for _, p := range pairs {
		paired[p.A.Interface.Name] = p.B.Interface.Name
		paired[p.B.Interface.Name] = p.A.Interface.Name
	}
	for _, b := range brs {
		id := strings.TrimPrefix(b.Name, "qbr")
		if len(b.Ports) != 2 || paired["qvb"+id] != "qvo"+id {
			t.Errorf("%s: ports %+v, qvb paired with %q", b.Name, b.Ports, paired["qvb"+id])
		}
		var routerMAC, vmMAC string
		for _, e := range b.FDB {
			if e.Master == b.Name && strings.HasPrefix(e.MAC, "fa:16:3e:f3:") && e.Dev == "qvb"+id {
				routerMAC = e.MAC // the qr- ports (fa:16:3e:f3:…)
			}
			if e.Master == b.Name && e.Dev == "tap"+id && e.State == "" {
				vmMAC = e.MAC
			}
		}
		d, err := b.Forward("tap"+id, mac(routerMAC), 0)
		if err != nil || d.Verdict != Unicast || fmt.Sprint(d.Out) != "[qvb"+id+"]" {
			t.Errorf("%s: VM → router MAC %s: %s %v (%s) %v", b.Name, routerMAC, d.Verdict, d.Out, d.Reason, err)
		}
		d, err = b.Forward("qvb"+id, mac(vmMAC), 0)
		if err != nil || d.Verdict != Unicast || fmt.Sprint(d.Out) != "[tap"+id+"]" {
			t.Errorf("%s: → VM MAC %s: %s %v (%s) %v", b.Name, vmMAC, d.Verdict, d.Out, d.Reason, err)
		}
	}
	// The taps' peers live in the VMs' namespaces and the eth devices'
	// on the machine hosting the lab's node containers: no bundle has them.
	taps := 0
	for _, u := range unpaired {
		name := u.End.Interface.Name
		if strings.HasPrefix(name, "tap") {
			taps++
		}
		if !strings.HasPrefix(name, "tap") && !strings.HasPrefix(name, "eth") || u.End.Namespace != "" {
			t.Errorf("unexpected unpaired veth end %s: %s", u.End, u.Reason)
		}
	}
	if taps != 3 {
		t.Errorf("%d VM taps unpaired, want 3", taps)
	}
}

// TestLabNorthSouthTransit follows the lab's north-south traffic through
// netfilter and routing in every namespace it crosses, both directions.
func TestLabNorthSouthTransit(t *testing.T) {
	m := labModel(t)
	cmp1, net1 := labNode(t, m, "cmp1"), labNode(t, m, "net1")
	qr, snat, fip := labNS(t, cmp1, "qrouter"), labNS(t, net1, "snat"), labNS(t, cmp1, "fip")
	internet, vm1, vm2 := addr("8.8.8.8"), addr("10.10.1.23"), addr("10.10.1.156")
	qrDev := devWith(qr, vm2, true).Name
	transit := func(ns *Namespace, p Packet, ct Conntrack) Transit {
		t.Helper()
		tr, err := ns.Transit(p, ct)
		if err != nil || tr.Verdict != Forward {
			t.Fatalf("%s: %+v: %s (%s) %v", ns.Name, p, tr.Verdict, tr.Reason, err)
		}
		return tr
	}
	ping := func(src, dst netip.Addr, iif string) Packet {
		return Packet{Src: src, Dst: dst, IIF: iif, Proto: 1, ICMPType: 8}
	}

	// SNAT: the qrouter on cmp1 only routes to sg-; net1's snat namespace
	// rewrites the source to the router's gateway address.
	tr := transit(qr, ping(vm2, internet, qrDev), Conntrack{})
	if len(tr.NAT) != 0 || tr.Route.Table != "168427777" {
		t.Errorf("cmp1 qrouter: NAT %v table %s", tr.NAT, tr.Route.Table)
	}
	sg := devWith(snat, tr.Route.NextHop, false).Name
	out := transit(snat, ping(vm2, internet, sg), Conntrack{})
	qg := out.Route.Dev
	if out.Out.Src != addr("172.24.4.50") || len(out.NAT) != 1 || out.NAT[0].Kind != "SNAT" || !strings.HasPrefix(qg, "qg-") {
		t.Errorf("snat: out %s from %s, NAT %+v", qg, out.Out.Src, out.NAT)
	}
	back := transit(snat, Packet{Src: internet, Dst: out.Out.Src, IIF: qg, Proto: 1}, Conntrack{State: "ESTABLISHED", Undo: out.NAT})
	if back.Out.Dst != vm2 || back.Route.Dev != sg {
		t.Errorf("snat reply: to %s out %s", back.Out.Dst, back.Route.Dev)
	}

	// Floating IP: SNAT in the qrouter, untracked fip namespace, and back
	// through proxy ARP and DNAT.
	tr = transit(qr, ping(vm1, internet, qrDev), Conntrack{})
	if tr.Out.Src != addr("172.24.4.65") || tr.Route.Table != "16" {
		t.Fatalf("qrouter FIP egress: from %s table %s", tr.Out.Src, tr.Route.Table)
	}
	ends, ids := VethEnds(cmp1)
	pairs, _ := PairVeths(ends, ids)
	fpr, _ := peerOf(pairs, qr.Name, tr.Route.Dev)
	f := transit(fip, Packet{Src: tr.Out.Src, Dst: internet, IIF: fpr.Interface.Name, Proto: 1, ICMPType: 8}, Conntrack{})
	if f.Conntrack.State != "UNTRACKED" || len(f.NAT) != 0 || !strings.HasPrefix(f.Route.Dev, "fg-") {
		t.Errorf("fip egress: state %s NAT %v out %s", f.Conntrack.State, f.NAT, f.Route.Dev)
	}
	in := transit(fip, ping(internet, addr("172.24.4.65"), f.Route.Dev), Conntrack{})
	rfp, _ := peerOf(pairs, fip.Name, in.Route.Dev)
	in = transit(qr, ping(internet, addr("172.24.4.65"), rfp.Interface.Name), Conntrack{})
	if in.Out.Dst != vm1 || in.Route.Dev != qrDev || len(in.NAT) != 1 || in.NAT[0].Rule.Pos.Line == 0 {
		t.Errorf("qrouter FIP ingress: to %s out %s NAT %+v", in.Out.Dst, in.Route.Dev, in.NAT)
	}
}

// TestLabHybridFirewall runs the security group of vm4 (cmp2, hybrid
// iptables firewall) against the lab's live matrix: ping and TCP/22 pass,
// TCP/80 is filtered, spoofed sources are dropped.
func TestLabHybridFirewall(t *testing.T) {
	m := labModel(t)
	cmp2 := labNode(t, m, "cmp2")
	root := FromModel(cmp2, nil)
	if !root.Have.IPTables {
		t.Fatal("cmp2's iptables-save not in the bundle")
	}
	const br, qvb, tap = "qbr0778ad0d-cb", "qvb0778ad0d-cb", "tap0778ad0d-cb"
	vm4, vm4MAC, vm1 := addr("10.10.1.132"), mac("fa:16:3e:09:41:b5"), addr("10.10.1.23")
	for _, tc := range []struct {
		name    string
		p       Packet
		in, out string
		want    Verdict
		reason  string
		ct      string
	}{
		{"ping to vm4", Packet{Src: vm1, Dst: vm4, Proto: 1, ICMPType: 8}, qvb, tap, Forward, "", ""},
		{"ssh to vm4", Packet{Src: vm1, Dst: vm4, Proto: 6, SrcPort: 40000, DstPort: 22}, qvb, tap, Forward, "", ""},
		{"http to vm4 (not in the security group)", Packet{Src: vm1, Dst: vm4, Proto: 6, SrcPort: 40000, DstPort: 80}, qvb, tap, Filtered, "neutron-openvswi-sg-fallback", ""},
		{"http reply from vm4's established session", Packet{Src: vm1, Dst: vm4, Proto: 6, SrcPort: 80, DstPort: 40000}, qvb, tap, Forward, "", "ESTABLISHED"},
		{"vm4 sends from its own address and MAC", Packet{Src: vm4, Dst: vm1, Proto: 6, SrcPort: 40000, DstPort: 80, SrcMAC: vm4MAC}, tap, qvb, Forward, "", ""},
		{"vm4 spoofs its source", Packet{Src: addr("10.10.1.200"), Dst: vm1, Proto: 1, ICMPType: 8, SrcMAC: vm4MAC}, tap, qvb, Filtered, "Drop traffic without an IP/MAC allow rule", ""},
		{"vm4's MAC unknown: the anti-spoofing rule cannot be evaluated", Packet{Src: vm4, Dst: vm1, Proto: 1, ICMPType: 8}, tap, qvb, Unsupported, "source MAC", ""},
	} {
		tr, err := root.Bridged(tc.p, Conntrack{State: tc.ct}, br, tc.in, tc.out)
		if err != nil || tr.Verdict != tc.want || !strings.Contains(tr.Reason, tc.reason) {
			t.Errorf("%s: %s (%s) %v", tc.name, tr.Verdict, tr.Reason, err)
		}
		if len(tr.Assumed) != 1 || !strings.Contains(tr.Assumed[0], "bridge-nf-call-iptables") {
			t.Errorf("%s: assumed %q", tc.name, tr.Assumed)
		}
	}
}
