package rules

import (
	"fmt"
	"strings"

	"netxray/analyze/model"
)

// TunnelMissing reports pairs of nodes that share a tunnel network but lack
// a tunnel port between them (neutron-domain.md §2.2, §5 B3).
var TunnelMissing = &Rule{
	Name:     "tunnel-missing",
	Category: "tunnel",
	Severity: Error,
	Doc: `no tunnel port to a node that shares a tunnel network
Two nodes with ports on the same VXLAN/GRE/Geneve network need a tunnel port
each way in br-tun ("vxlan-<hex of remote IP>", options remote_ip=<peer's
local_ip>). The rule computes, from where ports are across the bundle set,
which pairs share a network, and reports the side that has no tunnel to the
other, saying whether the peer has one back (an asymmetric mesh: a tunnel
port deleted by hand or lost in a restart race, bug 1460164). Without it,
nothing of those networks goes from this node to the peer: unicast and
flooding alike.`,
	Hint:  "restart the OVS agent on the node (tunnel_sync recreates the ports); check the peer's local_ip is what the server knows for it",
	Needs: []Need{needOVS},
	Run:   runTunnelMissing,
}

func runTunnelMissing(p *Pass) {
	m := p.Model
	shared := map[[2]*model.Node][]string{}
	var pairs [][2]*model.Node
	for _, seg := range m.Networks.Segments() {
		if !seg.IsTunnel() {
			continue
		}
		car := carriers(m, seg)
		nodes := sortedNodes(car)
		for _, x := range nodes {
			for _, y := range nodes {
				if x == y {
					continue
				}
				k := [2]*model.Node{x, y}
				if shared[k] == nil {
					pairs = append(pairs, k)
				}
				shared[k] = append(shared[k], car[x].Segment.String())
			}
		}
	}
	for _, k := range pairs {
		x, y := k[0], k[1]
		if !p.Usable(x) || !p.Usable(y) {
			continue
		}
		ip := y.LocalIP()
		if ip == "" || tunnelTo(x, ip) != nil {
			continue
		}
		var e []Evidence
		back := ""
		if t := tunnelTo(y, x.LocalIP()); t != nil {
			e = append(e, p.ifaceEv(y, t, "options"))
			back = fmt.Sprintf("; %s has %s back to this node", y.Name, t.Name)
		}
		if tb := x.TunnelBridge(); tb != nil {
			var have []string
			for _, t := range x.Tunnels() {
				have = append(have, t.Name+" → "+t.Options["remote_ip"])
			}
			if tb.Flows != nil && len(tb.Flows.Flows) > 0 {
				e = append(e, absent(x, flowsFile(x, tb), "tunnel ports: "+or(strings.Join(have, ", "), "none")))
			}
		}
		p.Reportf(x, e, "no tunnel port to %s (%s) although both have ports on %s%s", y.Name, ip, strings.Join(shared[k], ", "), back)
	}
}
