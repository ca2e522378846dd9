package rules

import "fmt"

// L2popUnicastStale reports table-20 entries that send a MAC to the wrong
// node (neutron-domain.md §2.4, §5 B4).
var L2popUnicastStale = &Rule{
	Name:     "l2pop-unicast-stale",
	Category: "l2pop",
	Severity: Error,
	Doc: `table 20 sends a MAC to a node where its port is not
A br-tun table 20 entry (l2pop priority 2, or learned priority 1) for MAC m
outputs into the tunnel to node Z; the rule checks, against where the port
with attached-mac m actually is in the bundle set, that Z holds it. An entry
pointing to another node (after a live migration or an HA failover, bugs
1237841, 2123911), to the node itself, or to an endpoint no node owns sends
the port's unicast traffic into a black hole. DVR qr- MACs must have no
entry at all. Learned entries heal after their 300 s hard timeout unless
traffic refreshes them, so they are reported as warnings.`,
	Hint:  "restart the OVS agent on the node holding the stale entry (it rebuilds l2pop state); for learned entries check what keeps refreshing them (GARP from the old location)",
	Needs: []Need{needOVS, needTunFlows, needTunProgrammed},
	Run:   runL2popUnicastStale,
}

func runL2popUnicastStale(p *Pass) {
	m := p.Model
	ends := tunnelEndpoints(m)
	for _, x := range p.Nodes() {
		tb := x.TunnelBridge()
		if tb == nil || tb.Flows == nil {
			continue
		}
		for _, e := range unicastEntries(tb) {
			port := tb.Port(e.Out)
			if port == nil {
				continue // a deleted port: flow-port-missing
			}
			if !port.IsTunnel() {
				if !e.Learned {
					p.Reportf(x, []Evidence{flowEv(x, e.Flow)}, "%s table 20 entry for %s outputs to %s, which is no tunnel port: unicast to that MAC never leaves the node", tb.Name, e.MAC, port.Name)
				}
				continue
			}
			atts := m.Networks.Attachments(e.MAC)
			if len(atts) == 0 {
				continue // a port of a node outside the bundle set
			}
			remote := port.Options["remote_ip"]
			z := ends.node(remote)
			sev := Error
			kind := "l2pop entry"
			if e.Learned {
				sev, kind = Warning, "learned entry"
			}
			home, onZ, onX, distributed := atts[0], false, false, false
			for _, a := range atts {
				if a.Node == z {
					onZ = true
				}
				if a.Node == x {
					onX = true
					home = a
				}
				if distributedPort(m, a.Node, a.Port) {
					distributed = true
				}
			}
			if !onX && !onZ {
				home = atts[0]
			}
			evs := []Evidence{flowEv(x, e.Flow), p.ifaceEv(home.Node, home.Port, "external_ids")}
			dest := fmt.Sprintf("%s (%s)", port.Name, remote)
			if z != nil {
				dest = fmt.Sprintf("%s to %s (%s)", port.Name, z.Name, remote)
			}
			switch {
			case distributed && !e.Learned:
				p.Report(Finding{Node: x.Name, Severity: Warning, Evidence: evs, Message: fmt.Sprintf("%s table 20 has an l2pop entry for the distributed router interface %s, which l2pop never populates: it sends it into %s", tb.Name, what(home.Node, home.Port), dest)})
			case distributed:
			case onX:
				p.Report(Finding{Node: x.Name, Severity: sev, Evidence: evs, Message: fmt.Sprintf("%s table 20 %s sends the local %s into %s instead of delivering it on the node", tb.Name, kind, what(home.Node, home.Port), dest)})
			case z == nil:
				p.Report(Finding{Node: x.Name, Severity: sev, Evidence: evs, Message: fmt.Sprintf("%s table 20 %s sends %s into %s, an endpoint of no node of the bundle set: a black hole", tb.Name, kind, what(home.Node, home.Port), dest)})
			case !onZ:
				p.Report(Finding{Node: x.Name, Severity: sev, Evidence: evs, Message: fmt.Sprintf("%s table 20 %s sends %s into %s, where that port is not: stale after a move", tb.Name, kind, what(home.Node, home.Port), dest)})
			}
		}
	}
}
