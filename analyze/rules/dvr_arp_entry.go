package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"netxray/analyze/model"
	"netxray/collect"
	"netxray/parse/iproute"
)

// DVRARPEntry reports permanent ARP entries of a distributed router's qr-
// interfaces that are missing or name the wrong MAC (neutron-domain.md
// §3.2, §5 D4).
var DVRARPEntry = &Rule{
	Name:     "dvr-arp-entry",
	Category: "dvr",
	Severity: Warning,
	Doc: `a DVR router's permanent ARP entry is missing or stale
A distributed router never resolves the addresses of its subnets by ARP:
the l3 agent writes, in every qrouter-<router> and on every host, one
"<IP> dev qr-<port> lladdr <MAC> PERMANENT" neighbour for each port of the
subnet (VMs, the DHCP port, the sg- SNAT port), wherever that port lives.
The rule computes the expected entries from the ports of the qr- port's
network across the bundle set (OVSDB attached-mac of VIFs on the same
segment) and their addresses in the subnet as the bundle shows them
first-hand (DHCP host files, namespace addresses, OVS firewall flows).
Without an entry the router ARPs for the port, and the port answers to the
qr- MAC, which is the router's on the port's own node too: the answer stays
there and only br-tun's ARP responder, when it has the address, can resolve
it (routed east-west traffic to the port fails; bugs 1501086, 1512199, and
1933092 for sg- ports). An entry with another MAC (a port recreated with the
same IP) sends the traffic to the wrong port, and is an error.`,
	Hint:  "restart the l3 agent on the node (a full router sync rewrites the entries), or update the port to trigger the ARP update",
	Needs: []Need{needNetns},
	Run:   runDVRARPEntry,
}

func runDVRARPEntry(p *Pass) {
	eachDistributedQR(p, func(q model.RouterNS) bool {
		if why := sourceWhy(q.Node, collect.KindIPNeigh, q.NS.Name); q.NS.Capped || why != "" {
			p.Skipf(q.Node, "ip neigh of %s: %s", q.NS.Name, or(why, "capped"))
			return false
		}
		return true
	}, (&qrNeighbours{want: map[string]map[netip.Addr]expectedNeighbour{}}).check)
}

// eachDistributedQR calls check for every qr- interface of every qrouter
// namespace of a distributed router on a usable node that ok accepts.
func eachDistributedQR(p *Pass, ok func(model.RouterNS) bool, check func(*Pass, model.RouterNS, *model.Interface)) {
	for _, r := range p.Model.Routers.All() {
		if !r.Distributed {
			continue
		}
		for _, q := range r.QRouters {
			if !p.Usable(q.Node) || !ok(q) {
				continue
			}
			for _, ifc := range q.NS.Interfaces {
				if model.DeviceRole(ifc.Name) == "qr" && ifc.MAC != nil {
					check(p, q, ifc)
				}
			}
		}
	}
}

// expectedNeighbour is a port address a qr- interface must have a
// permanent entry for.
type expectedNeighbour struct {
	mac  string
	node *model.Node
	port *model.Port
}

// qrNeighbours checks qr- interfaces; want caches the expected entries by
// segment and subnets, which every host's copy of a router shares.
type qrNeighbours struct {
	want map[string]map[netip.Addr]expectedNeighbour
}

// check compares the permanent neighbours of one qr- interface with the
// ports of its subnets.
func (c *qrNeighbours) check(p *Pass, q model.RouterNS, qr *model.Interface) {
	m := p.Model
	port := portOnAnyBridge(q.Node, qr.Name)
	if port == nil {
		return // not plugged: ns-device-orphan says so
	}
	seg := m.Networks.SegmentOf(q.Node, port)
	if seg.IsZero() {
		p.Skipf(q.Node, "the network of %s is unknown (no tag mapping)", qr.Name)
		return
	}
	var subnets []netip.Prefix
	for _, a := range qr.Addrs {
		if a.Prefix.Addr().Is4() {
			subnets = append(subnets, a.Prefix.Masked())
		}
	}
	key := fmt.Sprint(seg.Key(), subnets, qr.MAC)
	want, ok := c.want[key]
	if !ok {
		want = map[netip.Addr]expectedNeighbour{}
		for _, ln := range m.Networks.On(seg) {
			for _, vif := range ln.VIFs() {
				mac := lower(vif.AttachedMAC)
				if model.DeviceRole(vif.Name) == "qr" || qr.MAC != nil && mac == qr.MAC.String() {
					continue // the router's own ports
				}
				for _, ip := range portIPv4s(m, mac) {
					if inAny(subnets, ip) {
						want[ip] = expectedNeighbour{mac, ln.Node, vif}
					}
				}
			}
		}
		c.want[key] = want
	}
	have := map[netip.Addr]*iproute.Neighbor{}
	for i := range q.NS.Neighbors {
		nb := &q.NS.Neighbors[i]
		if nb.Dev == qr.Name && nb.Dst.Is4() && slices.Contains(nb.States, "PERMANENT") {
			have[nb.Dst] = nb
		}
	}
	// Missing entries for ports on this node only cost an ARP the port
	// answers directly: info. Remote ones do not resolve: a warning.
	var remote, local missingSet
	for _, ip := range sortedAddrs(want) {
		w := want[ip]
		nb, ok := have[ip]
		switch {
		case !ok && w.node == q.Node:
			local.add(p, ip, w)
		case !ok:
			remote.add(p, ip, w)
		case !strings.EqualFold(nb.LLAddr, w.mac):
			p.Report(Finding{Node: q.Node.Name, Severity: Error,
				Evidence: []Evidence{ev(q.Node, nb.Pos, nb.Raw), p.ifaceEv(w.node, w.port, "external_ids")},
				Message: fmt.Sprintf("%s in %s has a permanent ARP entry %s lladdr %s, but %s has that address: routed traffic to it goes to the wrong MAC",
					qr.Name, q.NS.Name, ip, nb.LLAddr, what(w.node, w.port))})
		}
	}
	report := func(ms missingSet, sev Severity, effect string) {
		if len(ms.names) == 0 {
			return
		}
		e := append([]Evidence{ev(q.Node, qr.Pos, qr.Raw), absent(q.Node, neighFile(q.Node, q.NS.Name, q.NS.Neighbors),
			fmt.Sprintf("no PERMANENT entry on %s for %s", qr.Name, listed(ms.names, 3)))}, ms.ev...)
		p.Report(Finding{Node: q.Node.Name, Severity: sev, Evidence: e, Message: fmt.Sprintf(
			"%s in %s has no permanent ARP entry for %s: %s", qr.Name, q.NS.Name, listed(ms.names, 10), effect)})
	}
	report(remote, Warning, "the router must ARP for them, and the answer goes to the qr- MAC on the port's own node (only br-tun's ARP responder can resolve it)")
	report(local, Info, "ports on this node answer the router's ARP directly, but the l3 agent's sync of the router is incomplete")
}

// missingSet gathers the addresses without a permanent entry, with the
// evidence of the first ports.
type missingSet struct {
	names []string
	ev    []Evidence
}

func (ms *missingSet) add(p *Pass, ip netip.Addr, w expectedNeighbour) {
	ms.names = append(ms.names, fmt.Sprintf("%s (%s)", ip, what(w.node, w.port)))
	if len(ms.ev) < 3 {
		ms.ev = append(ms.ev, p.ifaceEv(w.node, w.port, "external_ids"))
	}
}

func inAny(ps []netip.Prefix, ip netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
