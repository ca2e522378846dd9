package rules

import (
	"fmt"
	"sort"

	"netxray/analyze/model"
)

// L2popFloodMissing reports table-22 flood flows that miss a node sharing
// the network (neutron-domain.md §2.2, §2.4, §5 B3).
var L2popFloodMissing = &Rule{
	Name:     "l2pop-flood-missing",
	Category: "l2pop",
	Severity: Error,
	Doc: `flood flow misses a node that shares the network
br-tun table 22 floods broadcast, multicast and unknown unicast of a local
VLAN into the tunnels: "dl_vlan=<VLAN> actions=strip_vlan,set tun_id=<VNI>,
output:<t1>,output:<t2>...". With l2population its outputs must be exactly
the tunnels to the nodes that have ports on the network, computed here from
where ports are across the bundle set. A missing output (or a missing flood
flow) means ARP, DHCP and VRRP of that network never reach the other node
(restart races, bug 1978088: split-brain of keepalived, DHCP failures); an
extra output to a node without ports of the network is stale, harmless
but a sign that fdb_remove was lost.`,
	Hint:  "restart the OVS agent on the node (it asks the server for the full flooding list), and check the tunnel to the missing node exists",
	Needs: []Need{needOVS, needTunFlows, needTunProgrammed},
	Run:   runL2popFloodMissing,
}

func runL2popFloodMissing(p *Pass) {
	m := p.Model
	ends := tunnelEndpoints(m)
	for _, seg := range m.Networks.Segments() {
		if !seg.IsTunnel() {
			continue
		}
		car := carriers(m, seg)
		for _, x := range sortedNodes(car) {
			tb := x.TunnelBridge()
			if !p.Usable(x) || tb == nil {
				continue
			}
			var peers []*model.Node
			for _, y := range sortedNodes(car) {
				if y != x {
					peers = append(peers, y)
				}
			}
			if len(peers) == 0 {
				continue
			}
			lnX := car[x]
			floods := floodFlows(lnX)
			if len(floods) == 0 {
				p.Reportf(x, []Evidence{absent(x, flowsFile(x, tb), fmt.Sprintf("no table=22 flow matching dl_vlan=%d", lnX.VLAN)), p.portEv(x, byRole(lnX.VIFs())[0], "other_config")},
					"%s has no flood flow for local VLAN %d (%s): broadcasts of the network (ARP, DHCP) never leave the node for %s", tb.Name, lnX.VLAN, lnX.Segment, names(peers))
				continue
			}
			reached := map[*model.Node]bool{}
			for _, f := range floods {
				for _, o := range model.Outputs(f) {
					if port := tb.Port(o); port != nil && port.IsTunnel() {
						if z := ends.node(port.Options["remote_ip"]); z != nil {
							reached[z] = true
						}
					}
				}
			}
			for _, y := range peers {
				if reached[y] {
					continue
				}
				e := []Evidence{flowEv(x, floods[0])}
				if back := tunnelTo(y, x.LocalIP()); back != nil {
					e = append(e, p.portEv(y, back, "name"))
				}
				p.Reportf(x, e, "%s flood flow of local VLAN %d (%s) has no output to %s (%s), which has ports on the network: its broadcasts (ARP, DHCP) never reach them",
					tb.Name, lnX.VLAN, lnX.Segment, y.Name, y.LocalIP())
			}
			if on, _ := l2popOn(x); !on {
				continue
			}
			var extra []*model.Node
			for z := range reached {
				if _, has := car[z]; !has && z != x && len(z.Bridges) > 0 {
					extra = append(extra, z)
				}
			}
			sort.Slice(extra, func(i, j int) bool { return extra[i].Name < extra[j].Name })
			for _, z := range extra {
				p.Report(Finding{Node: x.Name, Severity: Info, Evidence: []Evidence{flowEv(x, floods[0])},
					Message: fmt.Sprintf("%s flood flow of local VLAN %d (%s) still outputs to %s, which has no port on the network (stale flooding entry)", tb.Name, lnX.VLAN, lnX.Segment, z.Name)})
			}
		}
	}
}
