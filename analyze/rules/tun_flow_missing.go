package rules

import (
	"fmt"

	"netxray/analyze/model"
)

// TunFlowMissing reports a tunnel network with local ports but no br-tun
// tun_id → local VLAN flow (neutron-domain.md §1.3, §5 A5/A7).
var TunFlowMissing = &Rule{
	Name:     "tun-flow-missing",
	Category: "tunnel",
	Severity: Error,
	Doc: `no br-tun tun_id flow for a tunnel network with local ports
For every VXLAN/GRE/Geneve network with a port on the node, br-tun table 4
(VXLAN; 3 GRE, 6 Geneve) must map the network's VNI to its local VLAN:
"tun_id=<VNI> actions=mod_vlan_vid:<VLAN>,goto_table:10 (9 with DVR)". Frames
arriving from other nodes with a VNI that has no such flow hit the table's
default drop, so the node's ports on that network are unreachable from
every other node while their own outgoing traffic still leaves.`,
	Hint:  "restart the OVS agent on the node (it reprovisions local VLANs), or rebind a port of the network",
	Needs: []Need{needOVS, needTunFlows, needTunProgrammed},
	Run:   runTunFlowMissing,
}

func runTunFlowMissing(p *Pass) {
	for _, n := range p.Nodes() {
		tb := n.TunnelBridge()
		if tb == nil || tb.Flows == nil {
			continue
		}
		for _, ln := range tunnelNets(p.Model, n) {
			found := false
			for _, mp := range ln.From("ingress") {
				if mp.Segment.ID == ln.Segment.ID {
					found = true
				}
			}
			if found {
				continue
			}
			// Another VLAN may hold the VNI's ingress flow: that is a
			// mapping conflict, reported by local-vlan-conflict.
			if other := ingressElsewhere(p, n, ln.VLAN, ln.Segment.ID); other {
				continue
			}
			table := map[string]int{"gre": 3, "vxlan": 4, "geneve": 6}[ln.Segment.Type]
			tname := "3/4/6"
			if table != 0 {
				tname = fmt.Sprint(table)
			}
			vifs := byRole(ln.VIFs())
			e := []Evidence{absent(n, flowsFile(n, tb), fmt.Sprintf("no table=%s flow matching tun_id=%#x", tname, ln.Segment.ID))}
			for _, mp := range ln.From("flood") {
				e = append(e, flowEv(n, mp.Flow))
			}
			e = append(e, p.portEv(n, vifs[0], "other_config"))
			p.Reportf(n, e, "%s table %s has no tun_id=%#x flow for %s (local VLAN %d, %s here, e.g. %s): traffic of this network from other nodes is dropped on arrival",
				tb.Name, tname, ln.Segment.ID, ln.Segment, ln.VLAN, plural(len(vifs), "port", "ports"), vifs[0].Name)
		}
	}
}

// ingressElsewhere reports whether n maps VNI id to a VLAN other than vlan.
func ingressElsewhere(p *Pass, n *model.Node, vlan int, id uint32) bool {
	for _, ln := range p.Model.Networks.Of(n) {
		if ln.VLAN == vlan {
			continue
		}
		for _, mp := range ln.From("ingress") {
			if mp.Segment.IsTunnel() && mp.Segment.ID == id {
				return true
			}
		}
	}
	return false
}
