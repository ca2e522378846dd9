package rules

import (
	"fmt"

	"netxray/analyze/model"
)

// BrTunUnprogrammed reports a tunnel bridge with no agent flows while the
// node has ports on tunnel networks (neutron-domain.md §5 A5).
var BrTunUnprogrammed = &Rule{
	Name:     "br-tun-unprogrammed",
	Category: "ovs",
	Severity: Error,
	Doc: `br-tun has no agent flows on a node with tunnel ports
br-tun runs in fail_mode secure: only the agent's flows move traffic between
br-int and the tunnels (table 0 classification, 4 tun_id → local VLAN,
20/21/22 unicast, ARP and flooding). An empty br-tun, or one with only the
default drop, on a node with VIFs on VXLAN/GRE/Geneve networks means OVS
restarted or the flows were wiped and the agent has not reprogrammed them:
every overlay path to and from the node is down.`,
	Hint:  "check that neutron-openvswitch-agent is alive and resyncing (agent log); restarting it reprograms br-tun",
	Needs: []Need{needTunFlows},
	Run:   runBrTunUnprogrammed,
}

func runBrTunUnprogrammed(p *Pass) {
	for _, n := range p.Nodes() {
		tb := n.TunnelBridge()
		if tb == nil || tb.Flows == nil || programmed(tb) {
			continue
		}
		var vifs []*model.Port
		for _, ln := range p.Model.Networks.Of(n) {
			if ln.Segment.IsTunnel() {
				vifs = append(vifs, ln.VIFs()...)
			}
		}
		if len(vifs) == 0 && len(n.Tunnels()) == 0 {
			continue
		}
		count := len(tb.Flows.Flows)
		e := []Evidence{absent(n, flowsFile(n, tb), fmt.Sprintf("%s: no tun_id mapping, unicast or flood flow", plural(count, "flow", "flows")))}
		for i := range tb.Flows.Flows {
			e = append(e, flowEv(n, &tb.Flows.Flows[i]))
		}
		if len(vifs) > 0 {
			e = append(e, p.portEv(n, vifs[0], "other_config"))
		}
		has := "has no flows at all"
		if count > 0 {
			has = "has only " + plural(count, "default flow", "default flows")
		}
		p.Reportf(n, e, "%s %s while the node has %s and %s on tunnel networks: no overlay traffic enters or leaves it",
			tb.Name, has, plural(len(n.Tunnels()), "tunnel port", "tunnel ports"), plural(len(vifs), "VIF", "VIFs"))
	}
}
